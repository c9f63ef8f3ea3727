/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-evacuation-run.c: running an evacuation plan, with each guest's MwMigrationJob on a
 * scripted backend (tests/migration/mw-fake-backend.h), so every migration's end is chosen by
 * the test: the order, the concurrency limit, the bandwidth share, a failure, cancel and stop,
 * the report and the bring-back plan made from it. Planning is in test-evacuation.c. */

#include "config.h"

#include <libvirt/virterror.h>

#include "evacuation-fixture.h"
#include "mw-evacuation-report.h"
#include "mw-fake-backend.h"
#include "mw-libvirt.h"
#include "mw-migration-job-private.h"
#include "mw-test-core.h"
#include "mw-uri.h"

/* ---- the run, on scripted backends --------------------------------------------------------- */

typedef struct
{
  MwEvacuationPlan *plan;
  MwEvacuation *evacuation;
  GHashTable *fakes;             /* name → MwFakeBackend, one per job made */
  GPtrArray *launched;           /* names, in the order their jobs were made */
  char *fail;                    /* the guest whose migration fails */
  guint finished;
  guint max_seen;
} Run;

static MwMigrationJob *
fake_factory (const char               *source_uri,
              const char               *destination_uri,
              const char               *domain_name,
              const MwMigrationOptions *options,
              gpointer                  user_data)
{
  Run *run = user_data;
  MwFakeBackend *fake = mw_fake_backend_new ();
  MwJobSample sample = { 0 };

  sample.state = MW_JOB_STATE_RUNNING;
  sample.have = MW_JOB_HAVE_ITERATION;
  sample.iteration = 1;
  sample.memory_total = sample.memory_remaining = 64 * 1024 * 1024;
  mw_fake_backend_set_sample (fake, &sample);
  g_hash_table_insert (run->fakes, g_strdup (domain_name), fake);
  g_ptr_array_add (run->launched, g_strdup (domain_name));
  return mw_migration_job_new_with_backend (MW_JOB_BACKEND (fake), source_uri, destination_uri,
                                            domain_name, options);
}

static void
on_finished_cb (MwEvacuation *evacuation,
                Run          *run)
{
  run->finished++;
}

static void
on_n_running_cb (MwEvacuation *evacuation,
                 GParamSpec   *pspec,
                 Run          *run)
{
  run->max_seen = MAX (run->max_seen, mw_evacuation_get_n_running (evacuation));
}

/* n running guests g1…gn of 1…n GiB (so the priority order is by name). */
static void
run_init (Run  *run,
          guint n)
{
  run->plan = mw_evacuation_plan_new (SRC, (const char *[]) { DST, NULL });
  for (guint i = 1; i <= n; i++)
    {
      g_autofree char *name = g_strdup_printf ("g%u", i);
      g_autoptr(MwEvacuationItem) item = item_new (name, i, 0, TRUE);

      mw_evacuation_plan_add_item (run->plan, item);
    }
  run->evacuation = mw_evacuation_new (run->plan);
  run->fakes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  run->launched = g_ptr_array_new_with_free_func (g_free);
  mw_evacuation_set_job_factory (run->evacuation, fake_factory, run);
  mw_evacuation_set_sample_interval (run->evacuation, 10);
  g_signal_connect (run->evacuation, "finished", G_CALLBACK (on_finished_cb), run);
  g_signal_connect (run->evacuation, "notify::n-running", G_CALLBACK (on_n_running_cb), run);
}

static void
run_clear (Run *run)
{
  g_assert_cmpuint (run->finished, ==, 1);
  g_assert_finalize_object (run->evacuation);
  g_assert_finalize_object (run->plan);
  g_hash_table_unref (run->fakes);
  g_ptr_array_unref (run->launched);
  g_free (run->fail);
}

static MwFakeBackend *
fake_of (Run        *run,
         const char *name)
{
  MwFakeBackend *fake = g_hash_table_lookup (run->fakes, name);

  g_assert_nonnull (fake);
  return fake;
}

/* Takes the guest's job through prepare to a running migration call. */
static void
bring_to_migrate (Run        *run,
                  const char *name)
{
  MwFakeBackend *fake;

  mw_test_wait_until (g_hash_table_contains (run->fakes, name));
  fake = fake_of (run, name);
  mw_fake_backend_reply (fake, mw_fake_backend_wait (fake, MW_FAKE_PREPARE), NULL);
  mw_test_wait_until (mw_fake_backend_has_pending (fake, MW_FAKE_MIGRATE));
}

/* Ends the guest's migration call: success, or a failure when it is run->fail. */
static void
end_migration (Run        *run,
               const char *name)
{
  MwFakeBackend *fake = fake_of (run, name);
  gboolean fails = g_strcmp0 (name, run->fail) == 0;
  MwVerifyFindings found = { 0 };

  mw_fake_backend_reply (fake, mw_fake_backend_wait (fake, MW_FAKE_MIGRATE),
                         fails ? g_error_new_literal (MW_LIBVIRT_ERROR, VIR_ERR_OPERATION_FAILED,
                                                      "migration failed: disk gone")
                               : NULL);
  found.dest_exists = found.dest_active = found.dest_persistent = !fails;
  found.src_exists = found.src_active = fails;
  mw_fake_backend_reply_findings (fake, mw_fake_backend_wait (fake, MW_FAKE_VERIFY), &found);
}

static MwEvacuationItem *
run_item (Run        *run,
          const char *name)
{
  return find_item (run->plan, name);
}

static void
assert_state (Run               *run,
              const char        *name,
              MwEvacuationState  state)
{
  mw_test_wait_until (mw_evacuation_item_get_state (run_item (run, name)) == state);
}

static void
test_run_parallel (void)
{
  Run run = { 0 };
  guint n_time = 0;

  run_init (&run, 5);
  /* A row binds to the figures: they notify once the job is over. */
  g_signal_connect (run_item (&run, "g1"), "notify::time-ms", G_CALLBACK (on_count_cb), &n_time);
  mw_evacuation_set_parallel (run.evacuation, 2);
  mw_evacuation_start (run.evacuation);
  for (guint i = 1; i <= 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("g%u", i);

      bring_to_migrate (&run, name);
      /* Never more than two at once: the third is made only after one ended. */
      g_assert_cmpuint (g_hash_table_size (run.fakes), <=, MIN (i + 1, 5));
      g_assert_cmpuint (mw_evacuation_get_n_running (run.evacuation), <=, 2);
      end_migration (&run, name);
      assert_state (&run, name, MW_EVACUATION_STATE_DONE);
      g_assert_cmpstr (mw_evacuation_item_get_location (run_item (&run, name)), ==, DST);
      g_assert_true (mw_evacuation_item_get_verified (run_item (&run, name)));
    }
  mw_test_wait_until (run.finished == 1);
  g_assert_cmpuint (n_time, ==, 1);
  g_assert_cmpint (mw_evacuation_item_get_time_ms (run_item (&run, "g1")), >=, 0);
  g_assert_cmpuint (run.max_seen, ==, 2);
  g_assert_cmpuint (mw_evacuation_get_max_running (run.evacuation), ==, 2);
  g_assert_cmpuint (mw_evacuation_get_n_done (run.evacuation), ==, 5);
  g_assert_true (mw_evacuation_get_all_moved (run.evacuation));
  /* In the plan's order. */
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("g%u", i + 1);

      g_assert_cmpstr (g_ptr_array_index (run.launched, i), ==, name);
    }
  run_clear (&run);
}

static guint64
migrate_bandwidth (Run        *run,
                   const char *name)
{
  MwFakeBackend *fake = fake_of (run, name);
  MwFakeCall *call = mw_fake_backend_wait (fake, MW_FAKE_MIGRATE);
  guint64 bandwidth = call->options->bandwidth_mib_s;

  /* Put back for end_migration: answered by the next wait. */
  mw_fake_backend_reply (fake, call, NULL);
  return bandwidth;
}

static void
test_run_bandwidth (void)
{
  Run run = { 0 };
  MwFakeBackend *fake;
  MwFakeCall *act;
  MwVerifyFindings found = { .dest_exists = TRUE, .dest_active = TRUE, .dest_persistent = TRUE };

  run_init (&run, 3);
  mw_evacuation_set_parallel (run.evacuation, 2);
  mw_evacuation_set_bandwidth (run.evacuation, 100);
  mw_evacuation_start (run.evacuation);
  bring_to_migrate (&run, "g1");
  bring_to_migrate (&run, "g2");
  /* Two running: 50 MiB/s each from the start. */
  g_assert_cmpuint (migrate_bandwidth (&run, "g1"), ==, 50);
  fake = fake_of (&run, "g1");
  mw_fake_backend_reply_findings (fake, mw_fake_backend_wait (fake, MW_FAKE_VERIFY), &found);
  assert_state (&run, "g1", MW_EVACUATION_STATE_DONE);
  /* g3 takes g1's place: still two, still 50 each, and g2 is not touched. */
  bring_to_migrate (&run, "g3");
  g_assert_cmpuint (mw_fake_backend_count (fake_of (&run, "g2"), MW_FAKE_ACT), ==, 0);
  g_assert_cmpuint (migrate_bandwidth (&run, "g2"), ==, 50);
  fake = fake_of (&run, "g2");
  mw_fake_backend_reply_findings (fake, mw_fake_backend_wait (fake, MW_FAKE_VERIFY), &found);
  /* g3 alone: it gets the whole cap. */
  fake = fake_of (&run, "g3");
  act = mw_fake_backend_wait (fake, MW_FAKE_ACT);
  g_assert_cmpint (act->action, ==, MW_JOB_ACTION_MAX_SPEED);
  g_assert_cmpuint (act->value, ==, 100);
  mw_fake_backend_reply (fake, act, NULL);
  g_assert_cmpuint (migrate_bandwidth (&run, "g3"), ==, 50);
  mw_fake_backend_reply_findings (fake, mw_fake_backend_wait (fake, MW_FAKE_VERIFY), &found);
  mw_test_wait_until (run.finished == 1);
  g_assert_true (mw_evacuation_get_all_moved (run.evacuation));
  run_clear (&run);
}

static void
test_run_failure (gconstpointer data)
{
  gboolean stop_on_failure = GPOINTER_TO_INT (data);
  Run run = { 0 };
  MwEvacuationItem *failed;

  run_init (&run, 3);
  run.fail = g_strdup ("g2");
  mw_evacuation_set_stop_on_failure (run.evacuation, stop_on_failure);
  mw_evacuation_start (run.evacuation);
  bring_to_migrate (&run, "g1");
  end_migration (&run, "g1");
  bring_to_migrate (&run, "g2");
  end_migration (&run, "g2");
  assert_state (&run, "g2", MW_EVACUATION_STATE_FAILED);
  failed = run_item (&run, "g2");
  /* Where the hosts say it is: still on the source, checked. */
  g_assert_cmpstr (mw_evacuation_item_get_location (failed), ==, SRC);
  g_assert_true (mw_evacuation_item_get_verified (failed));
  g_assert_nonnull (strstr (mw_evacuation_item_get_message (failed), "disk gone"));
  if (stop_on_failure)
    {
      /* The rest is left untouched: no job was even made for g3. */
      assert_state (&run, "g3", MW_EVACUATION_STATE_SKIPPED);
      g_assert_false (g_hash_table_contains (run.fakes, "g3"));
      g_assert_true (mw_evacuation_get_stopped (run.evacuation));
    }
  else
    {
      bring_to_migrate (&run, "g3");
      end_migration (&run, "g3");
      assert_state (&run, "g3", MW_EVACUATION_STATE_DONE);
    }
  mw_test_wait_until (run.finished == 1);
  g_assert_cmpuint (mw_evacuation_get_n_failed (run.evacuation), ==, 1);
  g_assert_cmpuint (mw_evacuation_get_n_done (run.evacuation), ==, stop_on_failure ? 1 : 2);
  g_assert_false (mw_evacuation_get_all_moved (run.evacuation));
  run_clear (&run);
}

/* The abort of a running migration, as libvirt answers it: the guest stays on the source. */
/* The abort as libvirt answers it: "canceled", or for a peer-to-peer migration whose
 * connection between the daemons went with it, "End of file while reading data". */
static void
answer_abort_with (Run        *run,
                   const char *name,
                   int         code,
                   const char *libvirt_message)
{
  MwFakeBackend *fake = fake_of (run, name);
  MwFakeCall *act = mw_fake_backend_wait (fake, MW_FAKE_ACT);
  MwVerifyFindings found = { .src_exists = TRUE, .src_active = TRUE };

  g_assert_cmpint (act->action, ==, MW_JOB_ACTION_ABORT);
  mw_fake_backend_reply (fake, act, NULL);
  mw_fake_backend_reply (fake, mw_fake_backend_wait (fake, MW_FAKE_MIGRATE),
                         g_error_new_literal (MW_LIBVIRT_ERROR, code, libvirt_message));
  mw_fake_backend_reply_findings (fake, mw_fake_backend_wait (fake, MW_FAKE_VERIFY), &found);
}

static void
answer_abort (Run        *run,
              const char *name)
{
  answer_abort_with (run, name, VIR_ERR_OPERATION_ABORTED, "migration job: canceled");
}

static void
test_run_stop_all (void)
{
  Run run = { 0 };

  run_init (&run, 4);
  mw_evacuation_set_parallel (run.evacuation, 2);
  mw_evacuation_start (run.evacuation);
  bring_to_migrate (&run, "g1");
  bring_to_migrate (&run, "g2");
  mw_evacuation_stop (run.evacuation);
  /* Queued ones are skipped at once and never touched. */
  g_assert_cmpint (mw_evacuation_item_get_state (run_item (&run, "g3")), ==,
                   MW_EVACUATION_STATE_SKIPPED);
  g_assert_cmpint (mw_evacuation_item_get_state (run_item (&run, "g4")), ==,
                   MW_EVACUATION_STATE_SKIPPED);
  g_assert_null (mw_evacuation_item_get_job (run_item (&run, "g3")));
  g_assert_cmpuint (run.finished, ==, 0);
  answer_abort (&run, "g1");
  answer_abort_with (&run, "g2", VIR_ERR_SYSTEM_ERROR,
                     "End of file while reading data: : Input/output error");
  mw_test_wait_until (run.finished == 1);
  /* Stopped, not failed: the message says where each aborted guest stays, not libvirt's
   * words for the aborted call. */
  for (guint i = 1; i <= 2; i++)
    {
      g_autofree char *name = g_strdup_printf ("g%u", i);
      const char *message = mw_evacuation_item_get_message (run_item (&run, name));

      g_autofree char *host = mw_uri_get_host_label (SRC);

      g_assert_nonnull (strstr (message, "Stopped: its migration was aborted"));
      /* The host as the guests' own sentences name it, not its URI. */
      g_assert_nonnull (strstr (message, host));
      g_assert_null (strstr (message, SRC));
    }
  for (guint i = 1; i <= 4; i++)
    {
      g_autofree char *name = g_strdup_printf ("g%u", i);
      MwEvacuationItem *item = run_item (&run, name);

      g_assert_cmpint (mw_evacuation_item_get_state (item), ==, MW_EVACUATION_STATE_SKIPPED);
      g_assert_cmpstr (mw_evacuation_item_get_location (item), ==, SRC);
      /* The aborted ones were checked on both hosts by their jobs. */
      g_assert_true (mw_evacuation_item_get_verified (item) == (i <= 2));
    }
  g_assert_cmpuint (g_hash_table_size (run.fakes), ==, 2);
  g_assert_false (mw_evacuation_get_all_moved (run.evacuation));
  run_clear (&run);
}

static void
test_run_cancel_one (void)
{
  Run run = { 0 };

  run_init (&run, 2);
  mw_evacuation_start (run.evacuation);
  bring_to_migrate (&run, "g1");
  mw_evacuation_cancel_item (run.evacuation, run_item (&run, "g1"));
  answer_abort (&run, "g1");
  assert_state (&run, "g1", MW_EVACUATION_STATE_SKIPPED);
  /* The others go on. */
  bring_to_migrate (&run, "g2");
  end_migration (&run, "g2");
  mw_test_wait_until (run.finished == 1);
  g_assert_cmpint (mw_evacuation_item_get_state (run_item (&run, "g2")), ==,
                   MW_EVACUATION_STATE_DONE);
  g_assert_false (mw_evacuation_get_stopped (run.evacuation));
  run_clear (&run);
}

/* A whole evacuation with every action, its report, and the bring-back plan from it. The guest
 * that is shut down is test:///default's own "test" (the driver shuts it off at once). */
static void
test_report_bring_back (void)
{
  Run run = { 0 };
  g_autoptr(MwEvacuationItem) off = mw_evacuation_item_new ("test", "test:///default", 8, TRUE);
  g_autoptr(MwEvacuationItem) left = item_new ("left", 1, 0, TRUE);
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(MwEvacuationPlan) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;
  JsonArray *guests;
  GListModel *items;

  run_init (&run, 1);
  mw_evacuation_item_set_action (off, MW_EVACUATION_ACTION_SHUT_DOWN);
  mw_evacuation_item_set_action (left, MW_EVACUATION_ACTION_LEAVE);
  mw_evacuation_plan_add_item (run.plan, off);
  mw_evacuation_plan_add_item (run.plan, left);
  mw_evacuation_start (run.evacuation);
  g_assert_cmpint (mw_evacuation_item_get_state (left), ==, MW_EVACUATION_STATE_SKIPPED);
  bring_to_migrate (&run, "g1");
  end_migration (&run, "g1");
  mw_test_wait_until (run.finished == 1);
  g_assert_cmpint (mw_evacuation_item_get_state (off), ==, MW_EVACUATION_STATE_DONE);
  g_assert_true (mw_evacuation_item_get_verified (off));
  /* Left alone counts as handled: everything that was to move moved. */
  g_assert_true (mw_evacuation_get_all_moved (run.evacuation));

  json = mw_evacuation_to_json (run.evacuation);
  guests = json_object_get_array_member (json_node_get_object (json), "guests");
  g_assert_cmpuint (json_array_get_length (guests), ==, 3);
  csv = mw_evacuation_to_csv (run.evacuation);
  lines = g_strsplit (csv, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);   /* header, 3 rows, the final "" */
  g_assert_true (g_str_has_prefix (lines[0], "name,from,to,"));

  back = mw_evacuation_plan_new_bring_back (json, &error);
  g_assert_no_error (error);
  g_assert_true (mw_evacuation_plan_get_bring_back (back));
  items = mw_evacuation_plan_get_items (back);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 2);
  {
    MwEvacuationItem *g1 = find_item (back, "g1");
    MwEvacuationItem *test = find_item (back, "test");

    /* Moved: from where it is now back to where it came from. */
    g_assert_cmpstr (mw_evacuation_item_get_source_uri (g1), ==, DST);
    g_assert_cmpstr (mw_evacuation_item_get_destination (g1), ==, SRC);
    g_assert_cmpint (mw_evacuation_item_get_action (g1), ==, MW_EVACUATION_ACTION_MIGRATE);
    /* Shut down: started where it is. */
    g_assert_cmpstr (mw_evacuation_item_get_source_uri (test), ==, "test:///default");
    g_assert_cmpint (mw_evacuation_item_get_action (test), ==, MW_EVACUATION_ACTION_START);
  }
  run_clear (&run);

  /* Running the START half for real starts "test" again. */
  {
    g_autoptr(MwEvacuationPlan) start = mw_evacuation_plan_new (NULL, NULL);
    g_autoptr(MwEvacuationItem) item = mw_evacuation_item_new ("test", "test:///default", 8,
                                                               TRUE);
    g_autoptr(MwEvacuation) evacuation = NULL;
    guint finished = 0;

    mw_evacuation_item_set_action (item, MW_EVACUATION_ACTION_START);
    mw_evacuation_plan_add_item (start, item);
    evacuation = mw_evacuation_new (start);
    g_signal_connect (evacuation, "notify::n-done", G_CALLBACK (on_count_cb), &finished);
    mw_evacuation_start (evacuation);
    mw_test_wait_until (mw_evacuation_get_state (evacuation) == MW_EVACUATION_RUN_FINISHED);
    g_assert_cmpint (mw_evacuation_item_get_state (item), ==, MW_EVACUATION_STATE_DONE);
    g_assert_cmpuint (finished, ==, 1);
    g_assert_true (mw_evacuation_get_all_moved (evacuation));
  }
}

static void
test_bring_back_invalid (void)
{
  g_autoptr(JsonNode) node = json_from_string ("{\"format\": \"mig-wizard-report\"}", NULL);
  g_autoptr(JsonNode) empty = json_from_string ("{\"format\": \"mig-wizard-evacuation\", "
                                                "\"guests\": []}", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_null (mw_evacuation_plan_new_bring_back (node, &error));
  g_assert_error (error, MW_EVACUATION_REPORT_ERROR, MW_EVACUATION_REPORT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (mw_evacuation_plan_new_bring_back (empty, &error));
  g_assert_error (error, MW_EVACUATION_REPORT_ERROR, MW_EVACUATION_REPORT_ERROR_NOTHING);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  mw_libvirt_init ();

  g_test_add_func ("/mw/evacuation/run/parallel", test_run_parallel);
  g_test_add_func ("/mw/evacuation/run/bandwidth", test_run_bandwidth);
  g_test_add_data_func ("/mw/evacuation/run/failure-goes-on", GINT_TO_POINTER (FALSE),
                        test_run_failure);
  g_test_add_data_func ("/mw/evacuation/run/stop-on-failure", GINT_TO_POINTER (TRUE),
                        test_run_failure);
  g_test_add_func ("/mw/evacuation/run/stop-all", test_run_stop_all);
  g_test_add_func ("/mw/evacuation/run/cancel-one", test_run_cancel_one);
  g_test_add_func ("/mw/evacuation/report/bring-back", test_report_bring_back);
  g_test_add_func ("/mw/evacuation/report/invalid", test_bring_back_invalid);
  return g_test_run ();
}
