/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-migration-job-remedy.c: MwMigrationJob's remedies on a running migration, driven through
 * the scripted backend (mw-fake-backend.h): each remedy's call, what a refusal does, and how a
 * remedy taken is told (remedy-done, the history, the result's summary, the report). No host. */

#include "config.h"

#include <string.h>

#include <libvirt/virterror.h>

#include "job-fixture.h"
#include "mw-libvirt.h"

static void
test_remedy_raise_downtime (void)
{
  Fixture f = { 0 };
  MwFakeCall *act;
  guint64 value;

  fixture_init (&f, NULL);
  start_running (&f);
  mw_migration_job_apply_remedy (f.job, MW_REMEDY_RAISE_DOWNTIME);
  act = mw_fake_backend_wait (f.fake, MW_FAKE_ACT);
  g_assert_cmpint (act->action, ==, MW_JOB_ACTION_MAX_DOWNTIME);
  value = act->value;
  g_assert_cmpuint (value, >, MW_CONVERGENCE_DEFAULT_DOWNTIME_MS);
  mw_fake_backend_reply (f.fake, act, NULL);
  run_for (20);
  g_assert_cmpuint (mw_migration_job_get_options (f.job)->max_downtime_ms, ==, value);
  g_assert_true (history_has_event (f.job, MW_HISTORY_EVENT_DOWNTIME_CHANGED));
  migration_returns (&f, TRUE, FALSE, MW_MIGRATION_JOB_STATE_SUCCEEDED);
  fixture_clear (&f);
}

typedef struct
{
  guint done;
  guint taken;
  MwRemedy remedy;
} RemedyDone;

static void
on_remedy_done_cb (MwMigrationJob *job,
                   MwRemedy        remedy,
                   gboolean        taken,
                   RemedyDone     *seen)
{
  seen->done++;
  seen->taken += taken ? 1 : 0;
  seen->remedy = remedy;
}

/* The sentence of the remedy the history records, as the result's summary and the report say
 * it: NULL when none. */
static char *
remedy_in_report (MwMigrationJob *job,
                  const char    **nick)
{
  g_autoptr(MwReport) report = mw_migration_job_create_report (job);
  g_autoptr(JsonNode) root = mw_report_to_json (report);
  JsonObject *summary = json_object_get_object_member (json_node_get_object (root), "summary");
  JsonArray *remedies = json_object_get_array_member (summary, "remedies");
  JsonObject *first;

  if (json_array_get_length (remedies) == 0)
    return NULL;
  g_assert_cmpuint (json_array_get_length (remedies), ==, 1);
  first = json_array_get_object_element (remedies, 0);
  g_assert_cmpint (json_object_get_int_member (first, "time_ms"), >=, 0);
  *nick = g_intern_string (json_object_get_string_member (first, "remedy"));
  return g_strdup (json_object_get_string_member (first, "text"));
}

/* Remove Limit: its call returns (remedy-done, which dismisses the window's toast), and the
 * result's summary and the report's JSON say, in one sentence, that it was taken. */
static void
test_remedy_remove_cap (void)
{
  Fixture f = { 0 };
  g_autoptr(MwMigrationOptions) options = mw_migration_options_new_defaults ();
  MwFakeCall *act;
  RemedyDone seen = { 0 };
  const MwMigrationJobResult *result;
  g_autofree char *text = NULL;
  const char *nick = NULL;

  options->bandwidth_mib_s = 64;
  fixture_init (&f, options);
  g_signal_connect (f.job, "remedy-done", G_CALLBACK (on_remedy_done_cb), &seen);
  start_running (&f);
  mw_migration_job_apply_remedy (f.job, MW_REMEDY_REMOVE_BANDWIDTH_CAP);
  act = mw_fake_backend_wait (f.fake, MW_FAKE_ACT);
  g_assert_cmpint (act->action, ==, MW_JOB_ACTION_MAX_SPEED);
  g_assert_cmpuint (act->value, ==, 0);
  g_assert_cmpuint (seen.done, ==, 0);
  mw_fake_backend_reply (f.fake, act, NULL);
  run_for (20);
  g_assert_cmpuint (seen.done, ==, 1);
  g_assert_cmpuint (seen.taken, ==, 1);
  g_assert_cmpint (seen.remedy, ==, MW_REMEDY_REMOVE_BANDWIDTH_CAP);
  g_assert_cmpuint (mw_migration_job_get_options (f.job)->bandwidth_mib_s, ==, 0);
  g_assert_true (history_has_event (f.job, MW_HISTORY_EVENT_SPEED_CHANGED));
  g_assert_true (history_has_event (f.job, MW_HISTORY_EVENT_REMEDY));
  result = migration_returns (&f, TRUE, FALSE, MW_MIGRATION_JOB_STATE_SUCCEEDED);

  text = remedy_in_report (f.job, &nick);
  g_assert_nonnull (text);
  g_assert_cmpstr (nick, ==, "remove-bandwidth-cap");
  g_assert_true (g_str_has_prefix (text, "The bandwidth limit was removed "));
  g_assert_true (g_str_has_suffix (text, " into the migration."));
  g_test_message ("%s", result->summary);
  g_assert_nonnull (strstr (result->summary, text));

  /* The report's options are the user's (the cap of 64 MiB/s), not the remedy's 0: the
   * remedy is listed on its own (above). */
  {
    g_autoptr(MwReport) report = mw_migration_job_create_report (f.job);
    g_autoptr(JsonNode) root = mw_report_to_json (report);
    JsonObject *json_options = json_object_get_object_member (json_node_get_object (root),
                                                              "options");

    g_assert_cmpint (json_object_get_int_member (json_options, "bandwidth_mib_s"), ==, 64);
    g_assert_nonnull (strstr (json_object_get_string_member (json_options, "virsh"),
                              "--bandwidth 64"));
    g_assert_cmpuint (mw_migration_job_get_requested_options (f.job)->bandwidth_mib_s, ==, 64);
  }
  fixture_clear (&f);
}

/* A remedy libvirt refuses is done too (the toast goes), and was not taken: neither the
 * summary nor the report claims it. */
static void
test_remedy_refused (void)
{
  Fixture f = { 0 };
  g_autoptr(MwMigrationOptions) options = mw_migration_options_new_defaults ();
  RemedyDone seen = { 0 };
  const MwMigrationJobResult *result;
  g_autofree char *text = NULL;
  const char *nick = NULL;

  options->bandwidth_mib_s = 64;
  fixture_init (&f, options);
  g_signal_connect (f.job, "remedy-done", G_CALLBACK (on_remedy_done_cb), &seen);
  start_running (&f);
  mw_migration_job_apply_remedy (f.job, MW_REMEDY_REMOVE_BANDWIDTH_CAP);
  mw_fake_backend_reply (f.fake, mw_fake_backend_wait (f.fake, MW_FAKE_ACT),
                         libvirt_error (VIR_ERR_OPERATION_FAILED, "no"));
  run_for (20);
  g_assert_cmpuint (seen.done, ==, 1);
  g_assert_cmpuint (seen.taken, ==, 0);
  g_assert_cmpuint (f.action_failures, ==, 1);
  g_assert_false (history_has_event (f.job, MW_HISTORY_EVENT_REMEDY));
  result = migration_returns (&f, TRUE, FALSE, MW_MIGRATION_JOB_STATE_SUCCEEDED);
  text = remedy_in_report (f.job, &nick);
  g_assert_null (text);
  g_assert_null (strstr (result->summary, "bandwidth limit"));
  fixture_clear (&f);
}

static void
test_remedy_postcopy (void)
{
  Fixture f = { 0 };
  g_autoptr(MwMigrationOptions) options = mw_migration_options_new_defaults ();
  MwSampleHistory *history;
  MwFakeCall *act;
  guint n;

  options->postcopy = TRUE;
  fixture_init (&f, options);
  start_running (&f);
  mw_migration_job_apply_remedy (f.job, MW_REMEDY_SWITCH_TO_POSTCOPY);
  act = mw_fake_backend_wait (f.fake, MW_FAKE_ACT);
  g_assert_cmpint (act->action, ==, MW_JOB_ACTION_POSTCOPY);
  mw_fake_backend_reply (f.fake, act, NULL);
  run_until_state (&f, MW_MIGRATION_JOB_STATE_POSTCOPY);
  g_assert_true (history_has_event (f.job, MW_HISTORY_EVENT_POSTCOPY));

  /* Samples after the switch are marked as post-copy. */
  history = mw_migration_job_get_history (f.job);
  n = mw_sample_history_get_n_samples (history);
  while (mw_sample_history_get_n_samples (history) < n + 2)
    run_for (5);
  n = mw_sample_history_get_n_samples (history);
  g_assert_cmpint (mw_sample_history_get_sample (history, n - 1)->state, ==,
                   MW_JOB_STATE_POSTCOPY);

  /* Restarting in post-copy is refused. */
  mw_migration_job_apply_remedy (f.job, MW_REMEDY_RESTART_AUTO_CONVERGE);
  g_assert_cmpuint (f.action_failures, ==, 1);
  g_assert_false (mw_fake_backend_has_pending (f.fake, MW_FAKE_ACT));

  migration_returns (&f, TRUE, FALSE, MW_MIGRATION_JOB_STATE_SUCCEEDED);
  fixture_clear (&f);
}

static void
test_postcopy_needs_option (void)
{
  Fixture f = { 0 };

  fixture_init (&f, NULL);
  start_running (&f);
  mw_migration_job_apply_remedy (f.job, MW_REMEDY_SWITCH_TO_POSTCOPY);
  g_assert_cmpuint (f.action_failures, ==, 1);
  g_assert_cmpuint (mw_fake_backend_count (f.fake, MW_FAKE_ACT), ==, 0);
  migration_returns (&f, TRUE, FALSE, MW_MIGRATION_JOB_STATE_SUCCEEDED);
  fixture_clear (&f);
}

/* The RESTART remedies: abort, let the guest settle on the source, the same migration again
 * with the option on, one history for both calls. */
static void
restart_with (MwRemedy remedy)
{
  Fixture f = { 0 };
  MwFakeCall *act, *migrate;
  const MwMigrationJobResult *result;

  fixture_init (&f, NULL);
  start_running (&f);
  mw_migration_job_apply_remedy (f.job, remedy);
  act = mw_fake_backend_wait (f.fake, MW_FAKE_ACT);
  g_assert_cmpint (act->action, ==, MW_JOB_ACTION_ABORT);
  mw_fake_backend_reply (f.fake, act, NULL);
  mw_fake_backend_reply (f.fake, mw_fake_backend_wait (f.fake, MW_FAKE_MIGRATE),
                         libvirt_error (VIR_ERR_OPERATION_ABORTED, "canceled"));
  run_until_state (&f, MW_MIGRATION_JOB_STATE_PREPARING);
  g_assert_cmpuint (mw_fake_backend_count (f.fake, MW_FAKE_VERIFY), ==, 0);

  migrate = mw_fake_backend_wait (f.fake, MW_FAKE_MIGRATE);
  g_assert_cmpint (mw_migration_job_get_state (f.job), ==, MW_MIGRATION_JOB_STATE_RUNNING);
  if (remedy == MW_REMEDY_RESTART_AUTO_CONVERGE)
    g_assert_true (migrate->options->auto_converge);
  else
    g_assert_true (migrate->options->postcopy);
  mw_fake_backend_reply (f.fake, migrate, NULL);
  reply_findings (&f, TRUE, FALSE);
  result = finish (&f, MW_MIGRATION_JOB_STATE_SUCCEEDED);
  g_assert_true (result->on_destination);
  g_assert_cmpuint (mw_fake_backend_count (f.fake, MW_FAKE_MIGRATE), ==, 2);
  g_assert_cmpuint (mw_fake_backend_count (f.fake, MW_FAKE_PREPARE), ==, 1);
  fixture_clear (&f);
}

static void
test_remedy_restart_auto_converge (void)
{
  restart_with (MW_REMEDY_RESTART_AUTO_CONVERGE);
}

static void
test_remedy_restart_postcopy (void)
{
  restart_with (MW_REMEDY_RESTART_POSTCOPY);
}

/* Pre-flight's forecast, handed to the job, comes out in its report beside the outcome (the
 * job's own passes and libvirt's downtime); a job without one says none. */
static JsonObject *
report_forecast (MwMigrationJob *job,
                 JsonNode      **root)
{
  g_autoptr(MwReport) report = mw_migration_job_create_report (job);
  JsonObject *object;

  *root = mw_report_to_json (report);
  object = json_node_get_object (*root);
  g_assert_true (json_object_has_member (object, "forecast"));
  return json_object_get_null_member (object, "forecast")
           ? NULL : json_object_get_object_member (object, "forecast");
}

static void
test_report_forecast (void)
{
  Fixture f = { 0 };
  MwForecast forecast = { 0 };
  const MwMigrationJobResult *result;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *json;
  JsonObject *held;

  forecast.verdict = MW_CONVERGENCE_CONVERGING;
  forecast.seconds = 4.5;
  forecast.passes = 4;
  forecast.passes_min = 1;
  forecast.passes_max = 9;
  forecast.downtime_ms = 200;
  forecast.downtime_min_ms = 25;
  forecast.downtime_max_ms = 400;
  forecast.dirty_bps = 48 << 20;
  fixture_init (&f, NULL);
  mw_migration_job_set_forecast (f.job, &forecast);
  /* A copy: the caller's may go. */
  forecast.passes_max = 0;
  g_assert_cmpuint (mw_migration_job_get_forecast (f.job)->passes_max, ==, 9);
  start_running (&f);
  result = migration_returns (&f, TRUE, FALSE, MW_MIGRATION_JOB_STATE_SUCCEEDED);
  g_assert_cmpuint (result->passes, >, 0);

  json = report_forecast (f.job, &root);
  g_assert_nonnull (json);
  g_assert_cmpstr (json_object_get_string_member (json, "verdict"), ==, "converging");
  g_assert_cmpint (json_object_get_int_member (json, "downtime_min_ms"), ==, 25);
  g_assert_cmpint (json_object_get_int_member (json, "downtime_max_ms"), ==, 400);
  g_assert_cmpint (json_object_get_int_member (json, "passes_max"), ==, 9);
  g_assert_cmpint (json_object_get_int_member (json, "dirty_rate_bps"), ==, 48 << 20);
  held = json_object_get_object_member (json, "held");
  g_assert_true (json_object_get_boolean_member (held, "converges"));
  /* The report's passes are the job's (the result page's). */
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     json_node_get_object (root), "summary"), "passes"), ==, result->passes);
  g_assert_true (json_object_get_boolean_member (held, "passes")
                 == (result->passes >= 1 && result->passes <= 9));
  fixture_clear (&f);
}

static void
test_report_no_forecast (void)
{
  Fixture f = { 0 };
  g_autoptr(JsonNode) root = NULL;

  fixture_init (&f, NULL);
  start_running (&f);
  migration_returns (&f, TRUE, FALSE, MW_MIGRATION_JOB_STATE_SUCCEEDED);
  g_assert_null (mw_migration_job_get_forecast (f.job));
  g_assert_null (report_forecast (f.job, &root));
  fixture_clear (&f);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mw/migration-job/remedy/raise-downtime", test_remedy_raise_downtime);
  g_test_add_func ("/mw/migration-job/remedy/remove-cap", test_remedy_remove_cap);
  g_test_add_func ("/mw/migration-job/remedy/refused", test_remedy_refused);
  g_test_add_func ("/mw/migration-job/remedy/postcopy", test_remedy_postcopy);
  g_test_add_func ("/mw/migration-job/remedy/postcopy-needs-option", test_postcopy_needs_option);
  g_test_add_func ("/mw/migration-job/remedy/restart-auto-converge",
                   test_remedy_restart_auto_converge);
  g_test_add_func ("/mw/migration-job/remedy/restart-postcopy", test_remedy_restart_postcopy);
  g_test_add_func ("/mw/migration-job/report/forecast", test_report_forecast);
  g_test_add_func ("/mw/migration-job/report/no-forecast", test_report_no_forecast);

  return g_test_run ();
}
