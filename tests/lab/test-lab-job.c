/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-lab-job: a guest dirtying memory faster than a capped link moves it, through
 * MwMigrationJob, as the wizard's live page drives it.
 *
 * The guest dirties 256 MiB/s and the link is capped at 64 MiB/s (LAB.md: the way to show a
 * migration that does not converge under TCG). With the default options the job's convergence
 * must say NOT_CONVERGING, offering the remedies; each remedy must then complete the migration:
 *   hosta → hostb: raise the maximum downtime to the suggested value;
 *   hostb → hosta: started with post-copy allowed, switch to post-copy.
 * The guest must then run on the destination (checked on both hosts by the job) and have
 * survived: the lab's own check (same boot id, no oops, no page of the dirtier lost a write),
 * taken while the dirtier still runs. (QEMU 7.2's TCG corrupted such guests; the lab runs on
 * bookworm-backports' QEMU 10, which does not.)
 *
 * MW_LAB_TRACE_OUT, when set, names a file the first run's history is saved to (CSV), the
 * recorded trace the chart's UI test replays. Needs a lab that is up; MW_LAB_SCRIPT names it. */

#include "config.h"

#include <unistd.h>

#include <gio/gio.h>

#include "mw-libvirt.h"
#include "mw-migration-job.h"

#define GUEST_NAME "labguest"
#define GUEST_IP "10.77.0.10"
#define NOT_CONVERGING_WITHIN_S 60
#define FINISH_WITHIN_S 90

static const char *lab_script;
static char *uris[2];

static char *
lab_run (const char *arg1,
         const char *arg2,
         const char *arg3)
{
  const char *argv[] = { lab_script, arg1, arg2, arg3, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s %s %s failed: %s%s", lab_script, arg1, arg2 ? arg2 : "", out, err);
  return g_strstrip (g_steal_pointer (&out));
}

typedef struct
{
  gboolean finished;
  gboolean seen_not_converging;
  gint64 not_converging_us;
  MwRemedy offered;
  MwRemedy apply;
  gboolean applied;
  guint suggested_downtime_ms;
  GPtrArray *action_failures;
} Watch;

static void
on_convergence_cb (GObject    *object,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  MwMigrationJob *job = MW_MIGRATION_JOB (object);
  Watch *watch = user_data;
  const MwConvergence *convergence = mw_migration_job_get_convergence (job);

  if (convergence == NULL || convergence->verdict != MW_CONVERGENCE_NOT_CONVERGING
      || watch->applied)
    return;

  watch->seen_not_converging = TRUE;
  watch->not_converging_us = g_get_monotonic_time ();
  watch->offered = convergence->remedies;
  watch->suggested_downtime_ms = convergence->suggested_downtime_ms;
  g_test_message ("NOT_CONVERGING: %s (remedies 0x%x)", convergence->message,
                  convergence->remedies);
  if ((convergence->remedies & watch->apply) != 0)
    {
      watch->applied = TRUE;
      mw_migration_job_apply_remedy (job, watch->apply);
    }
}

static void
on_finished_cb (MwMigrationJob *job,
                gpointer        user_data)
{
  Watch *watch = user_data;

  watch->finished = TRUE;
}

static void
on_action_failed_cb (MwMigrationJob *job,
                     const char     *message,
                     gpointer        user_data)
{
  Watch *watch = user_data;

  g_test_message ("action failed: %s", message);
  g_ptr_array_add (watch->action_failures, g_strdup (message));
}

static gboolean
on_timeout_cb (gpointer user_data)
{
  g_error ("the migration did not finish within %d s", FINISH_WITHIN_S);
  return G_SOURCE_REMOVE;
}

static void
run_remedy (int          from,
            int          to,
            MwRemedy     remedy,
            const char  *trace_out)
{
  static const char *names[] = { "hosta", "hostb" };
  g_autoptr(MwMigrationOptions) options = mw_migration_options_new_defaults ();
  g_autoptr(MwMigrationJob) job = NULL;
  g_autoptr(MwReport) report = NULL;
  const MwMigrationJobResult *result;
  Watch watch = { 0 };
  g_autofree char *boot_id = NULL;
  g_autofree char *verdict = NULL;
  gint64 t0;
  guint timeout_id;
  double span_s;

  options->bandwidth_mib_s = 64;
  options->postcopy = remedy == MW_REMEDY_SWITCH_TO_POSTCOPY;
  watch.apply = remedy;
  watch.action_failures = g_ptr_array_new_with_free_func (g_free);

  boot_id = lab_run ("guest", "bootid", NULL);
  g_free (lab_run ("guest", "dirty", "256"));

  job = mw_migration_job_new (uris[from], uris[to], GUEST_NAME, options);
  mw_migration_job_set_ping_address (job, GUEST_IP);
  g_signal_connect (job, "notify::convergence", G_CALLBACK (on_convergence_cb), &watch);
  g_signal_connect (job, "finished", G_CALLBACK (on_finished_cb), &watch);
  g_signal_connect (job, "action-failed", G_CALLBACK (on_action_failed_cb), &watch);

  t0 = g_get_monotonic_time ();
  timeout_id = g_timeout_add_seconds (FINISH_WITHIN_S, on_timeout_cb, NULL);
  mw_migration_job_start (job);
  while (!watch.finished)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout_id);

  result = mw_migration_job_get_result (job);
  g_assert_nonnull (result);
  g_test_message ("%s", result->summary);

  /* Survival, checked while the dirtier still runs; lab_run fails the test on "survived=no". */
  verdict = lab_run ("guest", "check", boot_id);
  g_test_message ("guest check: %s", verdict);
  g_assert_true (g_str_has_prefix (verdict, "survived=yes"));
  g_free (lab_run ("guest", "dirty", "0"));

  g_assert_true (watch.seen_not_converging);
  g_assert_true ((watch.offered & remedy) != 0);
  g_assert_true (watch.applied);
  g_assert_cmpuint (watch.action_failures->len, ==, 0);
  g_assert_cmpint (result->state, ==, MW_MIGRATION_JOB_STATE_SUCCEEDED);
  g_assert_true (result->on_destination);
  g_assert_false (result->on_source);
  g_assert_true (result->persistent_on_destination);
  g_assert_false (result->defined_on_source);

  report = mw_migration_job_create_report (job);
  g_assert_cmpint (mw_report_get_outcome (report), ==, MW_REPORT_OUTCOME_COMPLETED);
  span_s = (watch.not_converging_us - t0) / 1e6;
  g_print ("# FIGURE e-%s %s->%s not_converging_after_s=%.1f remedy_suggested_downtime_ms=%u "
           "total_s=%.1f passes=%u downtime_ms=%" G_GINT64_FORMAT " pings_lost=%u/%u "
           "longest_gap_s=%.2f samples=%u\n",
           remedy == MW_REMEDY_RAISE_DOWNTIME ? "raise-downtime" : "postcopy",
           names[from], names[to], span_s, watch.suggested_downtime_ms,
           result->total_ms / 1000.0, result->passes, result->downtime_ms, result->pings_lost,
           result->pings_sent, result->longest_ping_gap_us / 1e6,
           mw_sample_history_get_n_samples (mw_migration_job_get_history (job)));

  if (trace_out != NULL)
    {
      g_autoptr(GError) error = NULL;

      mw_sample_history_save_csv (mw_migration_job_get_history (job), trace_out, &error);
      g_assert_no_error (error);
      g_test_message ("trace saved to %s", trace_out);
    }

  g_ptr_array_unref (watch.action_failures);
  g_assert_finalize_object (g_steal_pointer (&job));
}

static void
test_raise_downtime (void)
{
  run_remedy (0, 1, MW_REMEDY_RAISE_DOWNTIME, g_getenv ("MW_LAB_TRACE_OUT"));
}

static void
test_postcopy (void)
{
  run_remedy (1, 0, MW_REMEDY_SWITCH_TO_POSTCOPY, NULL);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);

  lab_script = g_getenv ("MW_LAB_SCRIPT");
  if (geteuid () != 0 || lab_script == NULL)
    {
      g_print ("1..0 # SKIP needs root and MW_LAB_SCRIPT\n");
      return 77;
    }

  mw_libvirt_init ();
  text = lab_run ("uris", NULL, NULL);
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >=, 2);
  uris[0] = lines[0];
  uris[1] = lines[1];

  g_test_add_func ("/mw/lab/job/not-converging/raise-downtime", test_raise_downtime);
  g_test_add_func ("/mw/lab/job/not-converging/postcopy", test_postcopy);
  rc = g_test_run ();
  return rc;
}
