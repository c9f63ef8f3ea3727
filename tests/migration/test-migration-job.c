/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-migration-job.c: MwMigrationJob's state machine, driven through a scripted backend
 * (mw-fake-backend.h): success, abort in each phase, an abort libvirt refuses, lost
 * connections, post-copy, what verification finds, and volume clean-up (the remedies:
 * test-migration-job-remedy.c). No host. */

#include "config.h"

#include <string.h>

#include <libvirt/virterror.h>

#include "job-fixture.h"
#include "mw-libvirt.h"

/* What the report of the job as it is now says. */
static gint64
report_libvirt_time_ms (MwMigrationJob *job)
{
  g_autoptr(MwReport) report = mw_migration_job_create_report (job);

  return mw_report_get_libvirt_time_ms (report);
}

static gint64
report_total_time_ms (MwMigrationJob *job)
{
  g_autoptr(MwReport) report = mw_migration_job_create_report (job);

  return mw_report_get_total_time_ms (report);
}

/* ---- the tests ----------------------------------------------------------------------------- */

static void
test_success (void)
{
  Fixture f = { 0 };
  const MwMigrationJobResult *result;
  MwFakeCall *verify;
  MwVerifyFindings found = { 0 };

  fixture_init (&f, NULL);
  start_running (&f);
  g_assert_nonnull (mw_migration_job_get_convergence (f.job));
  g_assert_cmpuint (f.finished, ==, 0);
  /* libvirt's own job time, which is not the call the summary times. */
  {
    MwJobSample sample = { 0 };

    sample.state = MW_JOB_STATE_RUNNING;
    sample.have = MW_JOB_HAVE_ITERATION;
    sample.iteration = 1;
    sample.elapsed_ms = 7;
    mw_fake_backend_set_sample (f.fake, &sample);
    while (report_libvirt_time_ms (f.job) != 7)
      run_for (5);
  }

  reply_ok (&f, MW_FAKE_MIGRATE);
  run_until_state (&f, MW_MIGRATION_JOB_STATE_VERIFYING);
  verify = mw_fake_backend_wait (f.fake, MW_FAKE_VERIFY);
  g_assert_true (verify->migration_started);
  g_assert_true (verify->call_succeeded);
  found.dest_exists = found.dest_active = found.dest_persistent = TRUE;
  found.have_completed = TRUE;
  /* libvirt's completed job counted passes the samples never saw. */
  found.completed.have = MW_JOB_HAVE_DOWNTIME | MW_JOB_HAVE_ITERATION;
  found.completed.downtime_ms = 42;
  found.completed.iteration = 3;
  mw_fake_backend_reply_findings (f.fake, verify, &found);

  result = finish (&f, MW_MIGRATION_JOB_STATE_SUCCEEDED);
  g_assert_true (result->on_destination);
  g_assert_false (result->on_source);
  g_assert_cmpint (result->downtime_ms, ==, 42);
  /* One figure for passes: the result's is the history's (the live page's) and the report's. */
  g_assert_cmpuint (result->passes, ==, 3);
  g_assert_cmpuint (mw_sample_history_get_passes (mw_migration_job_get_history (f.job)), ==, 3);
  {
    g_autoptr(MwReport) report = mw_migration_job_create_report (f.job);
    g_autoptr(JsonNode) root = mw_report_to_json (report);
    JsonObject *summary = json_object_get_object_member (json_node_get_object (root), "summary");

    g_assert_cmpint (json_object_get_int_member (summary, "passes"), ==, 3);
  }
  g_assert_null (result->error_message);
  g_assert_cmpuint (mw_fake_backend_count (f.fake, MW_FAKE_MIGRATE), ==, 1);
  g_assert_cmpuint (mw_fake_backend_count (f.fake, MW_FAKE_REMOVE_VOLUMES), ==, 0);
  g_assert_cmpuint (f.action_failures, ==, 0);
  /* One figure: the report's total is the summary's (and the window's) call time. */
  g_assert_cmpint (result->total_ms, >, 7);
  g_assert_cmpint (report_total_time_ms (f.job), ==, result->total_ms);
  fixture_clear (&f);
}

/* A host slower than the sample interval: one request at a time, never a queue of them, and the
 * next sample goes out as soon as the slow one returns, not at the next tick (which would halve
 * the rate of a host a little slower than the interval). */
static void
test_slow_samples (void)
{
  Fixture f = { 0 };
  MwJobSample sample = { 0 };
  guint before;

  fixture_init (&f, NULL);
  start_running (&f);
  sample.state = MW_JOB_STATE_RUNNING;
  mw_fake_backend_set_sample (f.fake, &sample);
  mw_fake_backend_hold_samples (f.fake);
  mw_migration_job_set_sample_interval (f.job, 1000);
  before = mw_fake_backend_count (f.fake, MW_FAKE_SAMPLE);
  /* The next request goes out and is held. */
  while (mw_fake_backend_count (f.fake, MW_FAKE_SAMPLE) == before)
    run_for (5);
  /* Over a second: a tick comes and finds that request still out; nothing else goes. */
  run_for (1200);
  g_assert_cmpuint (mw_fake_backend_count (f.fake, MW_FAKE_SAMPLE), ==, before + 1);
  g_assert_cmpuint (mw_fake_backend_release_samples (f.fake), ==, 1);
  /* Well before the next tick: the one follow-up, and only one. */
  run_for (100);
  g_assert_cmpuint (mw_fake_backend_count (f.fake, MW_FAKE_SAMPLE), ==, before + 2);
  mw_fake_backend_release_samples (f.fake);

  mw_migration_job_abort (f.job);
  mw_fake_backend_reply (f.fake, mw_fake_backend_wait (f.fake, MW_FAKE_ACT), NULL);
  mw_fake_backend_reply (f.fake, mw_fake_backend_wait (f.fake, MW_FAKE_MIGRATE),
                         libvirt_error (VIR_ERR_OPERATION_ABORTED, "migration job: canceled"));
  mw_fake_backend_reply_findings (f.fake, mw_fake_backend_wait (f.fake, MW_FAKE_VERIFY),
                                  &(MwVerifyFindings) { .src_exists = TRUE, .src_active = TRUE });
  finish (&f, MW_MIGRATION_JOB_STATE_CANCELLED);
  fixture_clear (&f);
}

static void
test_prepare_fails (void)
{
  Fixture f = { 0 };
  const MwMigrationJobResult *result;

  fixture_init (&f, NULL);
  mw_migration_job_start (f.job);
  mw_fake_backend_reply (f.fake, mw_fake_backend_wait (f.fake, MW_FAKE_PREPARE),
                         g_error_new_literal (MW_MIGRATION_JOB_ERROR,
                                              MW_MIGRATION_JOB_ERROR_DOMAIN, "no such guest"));
  result = finish (&f, MW_MIGRATION_JOB_STATE_FAILED);
  g_assert_cmpstr (result->error_message, ==, "no such guest");
  g_assert_cmpuint (mw_fake_backend_count (f.fake, MW_FAKE_MIGRATE), ==, 0);
  fixture_clear (&f);
}

/* Abort while the hosts are still being prepared: the call never starts. */
static void
test_abort_preparing (void)
{
  Fixture f = { 0 };
  const MwMigrationJobResult *result;

  fixture_init (&f, NULL);
  mw_migration_job_start (f.job);
  mw_migration_job_abort (f.job);
  reply_ok (&f, MW_FAKE_PREPARE);
  reply_findings (&f, FALSE, TRUE);
  result = finish (&f, MW_MIGRATION_JOB_STATE_CANCELLED);
  g_assert_true (result->on_source);
  g_assert_false (result->on_destination);
  g_assert_cmpuint (mw_fake_backend_count (f.fake, MW_FAKE_MIGRATE), ==, 0);
  g_assert_cmpuint (mw_fake_backend_count (f.fake, MW_FAKE_ACT), ==, 0);
  fixture_clear (&f);
}

/* Abort during the memory passes: libvirt stops the job, the guest stays on the source. */
static void
test_abort_iteration (void)
{
  Fixture f = { 0 };
  const MwMigrationJobResult *result;
  MwFakeCall *act, *verify;

  fixture_init (&f, NULL);
  start_running (&f);
  mw_migration_job_abort (f.job);
  act = mw_fake_backend_wait (f.fake, MW_FAKE_ACT);
  g_assert_cmpint (act->action, ==, MW_JOB_ACTION_ABORT);
  g_assert_true (history_has_event (f.job, MW_HISTORY_EVENT_ABORT_REQUESTED));
  mw_fake_backend_reply (f.fake, act, NULL);
  mw_fake_backend_reply (f.fake, mw_fake_backend_wait (f.fake, MW_FAKE_MIGRATE),
                         libvirt_error (VIR_ERR_OPERATION_ABORTED, "migration job: canceled"));
  verify = mw_fake_backend_wait (f.fake, MW_FAKE_VERIFY);
  g_assert_false (verify->call_succeeded);
  mw_fake_backend_reply_findings (f.fake, verify, &(MwVerifyFindings) {
                                    .src_exists = TRUE, .src_active = TRUE });
  result = finish (&f, MW_MIGRATION_JOB_STATE_CANCELLED);
  g_assert_true (result->on_source);
  g_assert_false (result->on_destination);
  g_assert_true (history_has_event (f.job, MW_HISTORY_EVENT_CANCELLED));
  fixture_clear (&f);
}

/* Abort at the switch-over: the call completes before libvirt takes the abort. The verdict
 * follows the hosts, not the request. */
static void
test_abort_switchover (void)
{
  Fixture f = { 0 };
  const MwMigrationJobResult *result;
  MwFakeCall *act;

  fixture_init (&f, NULL);
  start_running (&f);
  mw_migration_job_abort (f.job);
  act = mw_fake_backend_wait (f.fake, MW_FAKE_ACT);
  reply_ok (&f, MW_FAKE_MIGRATE);
  mw_fake_backend_reply (f.fake, act, libvirt_error (VIR_ERR_OPERATION_INVALID,
                                                      "no job is active on the domain"));
  reply_findings (&f, TRUE, FALSE);
  result = finish (&f, MW_MIGRATION_JOB_STATE_SUCCEEDED);
  g_assert_true (result->on_destination);
  g_assert_false (result->on_source);
  /* Not retried: the call is over. */
  g_assert_cmpuint (mw_fake_backend_count (f.fake, MW_FAKE_ACT), ==, 1);
  fixture_clear (&f);
}

/* libvirt has no job yet when the abort comes: asked again until it takes. */
static void
test_abort_retried (void)
{
  Fixture f = { 0 };
  const MwMigrationJobResult *result;

  fixture_init (&f, NULL);
  start_running (&f);
  mw_migration_job_abort (f.job);
  mw_fake_backend_reply (f.fake, mw_fake_backend_wait (f.fake, MW_FAKE_ACT),
                         libvirt_error (VIR_ERR_OPERATION_INVALID, "no job yet"));
  g_assert_false (mw_fake_backend_has_pending (f.fake, MW_FAKE_ACT));
  reply_ok (&f, MW_FAKE_ACT);
  g_assert_cmpuint (mw_fake_backend_count (f.fake, MW_FAKE_ACT), ==, 2);
  g_assert_cmpuint (f.action_failures, ==, 0);
  mw_fake_backend_reply (f.fake, mw_fake_backend_wait (f.fake, MW_FAKE_MIGRATE),
                         libvirt_error (VIR_ERR_OPERATION_ABORTED, "canceled"));
  reply_findings (&f, FALSE, TRUE);
  result = finish (&f, MW_MIGRATION_JOB_STATE_CANCELLED);
  g_assert_true (result->on_source);
  fixture_clear (&f);
}

/* An abort libvirt refuses for good is said, and the migration goes on. */
static void
test_abort_refused (void)
{
  Fixture f = { 0 };

  fixture_init (&f, NULL);
  start_running (&f);
  mw_migration_job_abort (f.job);
  mw_fake_backend_reply (f.fake, mw_fake_backend_wait (f.fake, MW_FAKE_ACT),
                         libvirt_error (VIR_ERR_OPERATION_DENIED, "denied"));
  run_for (50);
  g_assert_cmpuint (f.action_failures, ==, 1);
  g_assert_cmpstr (f.last_failure, ==, "denied");
  g_assert_cmpint (mw_migration_job_get_state (f.job), ==, MW_MIGRATION_JOB_STATE_RUNNING);
  g_assert_cmpuint (mw_fake_backend_count (f.fake, MW_FAKE_ACT), ==, 1);
  migration_returns (&f, TRUE, FALSE, MW_MIGRATION_JOB_STATE_SUCCEEDED);
  fixture_clear (&f);
}

/* The destination's connection dies: the job stops the migration at once (client-driven
 * migrations notice only at the end), the guest stays on the source, and the end is a failure
 * that names the cause — not a cancel the user never asked for. */
static void
test_lost_destination (void)
{
  Fixture f = { 0 };
  const MwMigrationJobResult *result;
  MwFakeCall *act;

  fixture_init (&f, NULL);
  start_running (&f);
  mw_job_backend_emit_connection_lost (MW_JOB_BACKEND (f.fake), TRUE, 0);
  act = mw_fake_backend_wait (f.fake, MW_FAKE_ACT);
  g_assert_cmpint (act->action, ==, MW_JOB_ACTION_ABORT);
  mw_fake_backend_reply (f.fake, act, NULL);
  mw_fake_backend_reply (f.fake, mw_fake_backend_wait (f.fake, MW_FAKE_MIGRATE),
                         libvirt_error (VIR_ERR_OPERATION_ABORTED, "canceled"));
  reply_findings (&f, FALSE, TRUE);
  result = finish (&f, MW_MIGRATION_JOB_STATE_FAILED);
  g_assert_true (result->on_source);
  g_assert_nonnull (strstr (result->error_message, "destination host hostb was lost"));
  fixture_clear (&f);
}

static void
test_lost_source (void)
{
  Fixture f = { 0 };
  const MwMigrationJobResult *result;
  MwVerifyFindings found = { 0 };

  fixture_init (&f, NULL);
  start_running (&f);
  mw_job_backend_emit_connection_lost (MW_JOB_BACKEND (f.fake), FALSE, 0);
  run_for (20);
  g_assert_false (mw_fake_backend_has_pending (f.fake, MW_FAKE_ACT));
  mw_fake_backend_reply (f.fake, mw_fake_backend_wait (f.fake, MW_FAKE_MIGRATE),
                         libvirt_error (VIR_ERR_SYSTEM_ERROR, "end of file"));
  found.src_unreachable = TRUE;
  mw_fake_backend_reply_findings (f.fake, mw_fake_backend_wait (f.fake, MW_FAKE_VERIFY),
                                  &found);
  result = finish (&f, MW_MIGRATION_JOB_STATE_FAILED);
  g_assert_true (result->source_unreachable);
  g_assert_nonnull (strstr (result->error_message,
                            "The source host’s libvirt (hosta) stopped answering"));
  g_assert_true (g_error_matches (mw_migration_job_get_error (f.job), MW_MIGRATION_JOB_ERROR,
                                  MW_MIGRATION_JOB_ERROR_SOURCE_LOST));
  /* Where the guest is, said for the side that could be asked only. */
  g_assert_nonnull (strstr (result->summary, "does not run on hostb, and hosta could not be "
                                             "asked"));
  fixture_clear (&f);
}

/* The source's daemon dies and the call fails before its close callback arrives (or without
 * one): the hosts' answers still name the cause, and the destination's paused incoming copy is
 * no guest that runs there (mw_migration_verify reports it as a leftover). */
static void
test_lost_source_call_first (void)
{
  Fixture f = { 0 };
  const MwMigrationJobResult *result;
  MwVerifyFindings found = { 0 };

  fixture_init (&f, NULL);
  start_running (&f);
  mw_fake_backend_reply (f.fake, mw_fake_backend_wait (f.fake, MW_FAKE_MIGRATE),
                         libvirt_error (VIR_ERR_SYSTEM_ERROR,
                                        "End of file while reading data: Input/output error"));
  found.src_unreachable = TRUE;
  found.dest_exists = TRUE;
  found.dest_leftover = TRUE;
  mw_fake_backend_reply_findings (f.fake, mw_fake_backend_wait (f.fake, MW_FAKE_VERIFY),
                                  &found);
  result = finish (&f, MW_MIGRATION_JOB_STATE_FAILED);
  g_assert_false (result->on_destination);
  g_assert_true (g_error_matches (mw_migration_job_get_error (f.job), MW_MIGRATION_JOB_ERROR,
                                  MW_MIGRATION_JOB_ERROR_SOURCE_LOST));
  g_assert_cmpstr (result->error_message, ==,
                   "The source host’s libvirt (hosta) stopped answering during the migration "
                   "(End of file while reading data: Input/output error)");
  g_assert_nonnull (strstr (result->summary, "hosta could not be asked"));
  fixture_clear (&f);
}

/* A pre-copy whose stream moves nothing (a cut link) is stopped after the stall timeout, with
 * the reason; throughput reads 0 meanwhile, not libvirt's last figure. */
static void
test_stall_timeout (void)
{
  Fixture f = { 0 };
  const MwMigrationJobResult *result;
  const MwJobSample *last;
  MwFakeCall *act;
  gint64 started;

  g_setenv ("MW_CONVERGENCE_STALL_US", "50000", TRUE);
  fixture_init (&f, NULL);
  g_unsetenv ("MW_CONVERGENCE_STALL_US");
  mw_migration_job_set_stall_timeout (f.job, 1);
  started = g_get_monotonic_time ();
  start_running (&f);
  /* set_running_sample's figures never change: nothing moves. */
  act = mw_fake_backend_wait (f.fake, MW_FAKE_ACT);
  g_assert_cmpint (act->action, ==, MW_JOB_ACTION_ABORT);
  g_assert_cmpint (g_get_monotonic_time () - started, >=, G_USEC_PER_SEC);
  g_assert_cmpint (mw_migration_job_get_convergence (f.job)->verdict, ==,
                   MW_CONVERGENCE_STALLED);
  last = mw_sample_history_get_last (mw_migration_job_get_history (f.job));
  g_assert_cmpuint (last->memory_bps, ==, 0);
  mw_fake_backend_reply (f.fake, act, NULL);
  mw_fake_backend_reply (f.fake, mw_fake_backend_wait (f.fake, MW_FAKE_MIGRATE),
                         libvirt_error (VIR_ERR_OPERATION_ABORTED, "canceled by client"));
  reply_findings (&f, FALSE, TRUE);
  result = finish (&f, MW_MIGRATION_JOB_STATE_FAILED);
  g_assert_true (result->on_source);
  g_assert_true (g_str_has_prefix (result->error_message, "No data reached hostb for "));
  g_assert_nonnull (strstr (result->error_message, "so MigWizard stopped the migration: the "
                                                   "network between the two hosts is down or "
                                                   "blocked (canceled by client)"));
  fixture_clear (&f);
}

/* Stall timeout 0: a stalled migration is left alone. */
static void
test_stall_timeout_off (void)
{
  Fixture f = { 0 };

  g_setenv ("MW_CONVERGENCE_STALL_US", "50000", TRUE);
  fixture_init (&f, NULL);
  g_unsetenv ("MW_CONVERGENCE_STALL_US");
  mw_migration_job_set_stall_timeout (f.job, 0);
  start_running (&f);
  run_for (300);
  g_assert_cmpint (mw_migration_job_get_convergence (f.job)->verdict, ==,
                   MW_CONVERGENCE_STALLED);
  g_assert_cmpuint (mw_fake_backend_count (f.fake, MW_FAKE_ACT), ==, 0);
  migration_returns (&f, TRUE, FALSE, MW_MIGRATION_JOB_STATE_SUCCEEDED);
  fixture_clear (&f);
}

/* Peer-to-peer: the source's libvirt loses the destination (the link between the hosts): a
 * sentence says so before libvirt's words. Client-driven, the same words are left as they are. */
static void
link_lost_case (MwMigrationConnection connection,
                gboolean              explained)
{
  Fixture f = { 0 };
  const MwMigrationJobResult *result;
  g_autoptr(MwMigrationOptions) options = mw_migration_options_new_defaults ();

  options->connection = connection;
  fixture_init (&f, options);
  start_running (&f);
  mw_fake_backend_reply (f.fake, mw_fake_backend_wait (f.fake, MW_FAKE_MIGRATE),
                         libvirt_error (VIR_ERR_OPERATION_FAILED,
                                        "operation failed: Lost connection to destination host"));
  reply_findings (&f, FALSE, TRUE);
  result = finish (&f, MW_MIGRATION_JOB_STATE_FAILED);
  if (explained)
    g_assert_cmpstr (result->error_message, ==,
                     "hosta lost its connection to hostb during the migration: the network "
                     "between the two hosts failed or is blocked (operation failed: Lost "
                     "connection to destination host)");
  else
    g_assert_cmpstr (result->error_message, ==,
                     "operation failed: Lost connection to destination host");
  fixture_clear (&f);
}

/* The destination's disk is full when the volumes of a copy-storage migration are made there:
 * the migration does not start, and the sentence says why before libvirt's words. */
static void
test_prepare_no_space (void)
{
  Fixture f = { 0 };
  const MwMigrationJobResult *result;

  fixture_init (&f, NULL);
  mw_migration_job_start (f.job);
  mw_fake_backend_reply (f.fake, mw_fake_backend_wait (f.fake, MW_FAKE_PREPARE),
                         libvirt_error (VIR_ERR_INTERNAL_ERROR,
                                        "Could not create the volume: qcow2: Could not write "
                                        "refcount table: No space left on device"));
  result = finish (&f, MW_MIGRATION_JOB_STATE_FAILED);
  g_assert_true (g_str_has_prefix (result->error_message,
                                   "hostb has no space left for the guest’s data (Could not "
                                   "create the volume"));
  g_assert_true (g_str_has_prefix (result->summary, "The migration did not start: hostb has no "
                                                    "space left"));
  fixture_clear (&f);
}

static void
test_link_lost_p2p (void)
{
  link_lost_case (MW_MIGRATION_CONNECTION_PEER_TO_PEER, TRUE);
}

/* What libvirt 11.3 says in the lab once the keepalive between the cut hosts gave up, and also
 * when the destination's daemon was stopped: told apart by whether the destination could be
 * asked afterwards. */
static void
peer_gone_case (gboolean    dest_unreachable,
                const char *expect_prefix)
{
  Fixture f = { 0 };
  const MwMigrationJobResult *result;
  MwVerifyFindings found = { 0 };

  fixture_init (&f, NULL);
  start_running (&f);
  mw_fake_backend_reply (f.fake, mw_fake_backend_wait (f.fake, MW_FAKE_MIGRATE),
                         libvirt_error (VIR_ERR_INTERNAL_ERROR,
                                        "internal error: client socket is closed"));
  found.src_exists = found.src_active = TRUE;
  found.dest_unreachable = dest_unreachable;
  mw_fake_backend_reply_findings (f.fake, mw_fake_backend_wait (f.fake, MW_FAKE_VERIFY),
                                  &found);
  result = finish (&f, MW_MIGRATION_JOB_STATE_FAILED);
  g_assert_true (g_str_has_prefix (result->error_message, expect_prefix));
  fixture_clear (&f);
}

static void
test_link_lost_p2p_keepalive (void)
{
  peer_gone_case (FALSE, "hosta lost its connection to hostb during the migration: the network "
                         "between the two hosts failed or is blocked (internal error: client "
                         "socket is closed)");
}

static void
test_destination_daemon_gone_p2p (void)
{
  peer_gone_case (TRUE, "The destination host’s libvirt (hostb) stopped answering during the "
                        "migration (internal error: client socket is closed)");
}

static void
test_link_lost_client (void)
{
  link_lost_case (MW_MIGRATION_CONNECTION_CLIENT, FALSE);
}

/* libvirt's event says the guest switched to post-copy (QEMU did it, or another client). */
static void
test_postcopy_event (void)
{
  Fixture f = { 0 };
  g_autoptr(MwMigrationOptions) options = mw_migration_options_new_defaults ();

  options->postcopy = TRUE;
  fixture_init (&f, options);
  start_running (&f);
  mw_job_backend_emit_iteration (MW_JOB_BACKEND (f.fake), 3);
  g_assert_true (history_has_event (f.job, MW_HISTORY_EVENT_PASS));
  mw_job_backend_emit_postcopy_started (MW_JOB_BACKEND (f.fake));
  g_assert_cmpint (mw_migration_job_get_state (f.job), ==, MW_MIGRATION_JOB_STATE_POSTCOPY);
  g_assert_true (history_has_event (f.job, MW_HISTORY_EVENT_POSTCOPY));
  g_assert_cmpuint (migration_returns (&f, TRUE, FALSE, MW_MIGRATION_JOB_STATE_SUCCEEDED)->passes,
                    ==, 3);
  fixture_clear (&f);
}

/* libvirt said success, but the guest runs on both hosts: never a success. */
static void
test_verify_both (void)
{
  Fixture f = { 0 };
  const MwMigrationJobResult *result;

  fixture_init (&f, NULL);
  start_running (&f);
  result = migration_returns (&f, TRUE, TRUE, MW_MIGRATION_JOB_STATE_FAILED);
  g_assert_true (result->on_destination);
  g_assert_true (result->on_source);
  g_assert_nonnull (strstr (result->error_message, "both hosts"));
  g_assert_nonnull (strstr (result->summary, "both hosts"));
  fixture_clear (&f);
}

static void
test_verify_neither (void)
{
  Fixture f = { 0 };
  const MwMigrationJobResult *result;

  fixture_init (&f, NULL);
  start_running (&f);
  result = migration_returns (&f, FALSE, FALSE, MW_MIGRATION_JOB_STATE_FAILED);
  g_assert_false (result->on_destination);
  g_assert_false (result->on_source);
  g_assert_nonnull (strstr (result->error_message, "does not run on the destination"));
  fixture_clear (&f);
}

static void
test_verify_unreachable (void)
{
  Fixture f = { 0 };
  const MwMigrationJobResult *result;
  MwVerifyFindings found = { 0 };

  fixture_init (&f, NULL);
  start_running (&f);
  reply_ok (&f, MW_FAKE_MIGRATE);
  found.dest_unreachable = TRUE;
  found.dest_check_error = (char *) "Cannot recv data";
  mw_fake_backend_reply_findings (f.fake, mw_fake_backend_wait (f.fake, MW_FAKE_VERIFY),
                                  &found);
  result = finish (&f, MW_MIGRATION_JOB_STATE_FAILED);
  g_assert_true (result->destination_unreachable);
  g_assert_nonnull (strstr (result->error_message, "could not be asked"));
  fixture_clear (&f);
}

/* Volumes made for a guest that did not arrive go again; not when it arrived, and not when
 * the destination could not be asked. */
static void
volumes_case (gboolean arrived,
              gboolean unreachable,
              guint    expect_removals)
{
  Fixture f = { 0 };
  g_autoptr(MwMigrationOptions) options = mw_migration_options_new_defaults ();
  MwVerifyFindings found = { 0 };

  options->storage = MW_MIGRATION_STORAGE_COPY_ALL;
  fixture_init (&f, options);
  mw_fake_backend_set_created_volumes (f.fake, 2);
  start_running (&f);
  if (arrived)
    reply_ok (&f, MW_FAKE_MIGRATE);
  else
    mw_fake_backend_reply (f.fake, mw_fake_backend_wait (f.fake, MW_FAKE_MIGRATE),
                           libvirt_error (VIR_ERR_OPERATION_FAILED, "disk copy failed"));
  found.dest_exists = found.dest_active = found.dest_persistent = arrived;
  found.src_exists = found.src_active = !arrived;
  found.dest_unreachable = unreachable;
  mw_fake_backend_reply_findings (f.fake, mw_fake_backend_wait (f.fake, MW_FAKE_VERIFY),
                                  &found);
  if (expect_removals > 0)
    {
      run_for (20);
      /* Not concluded before the volumes are gone. */
      g_assert_cmpuint (f.finished, ==, 0);
      reply_ok (&f, MW_FAKE_REMOVE_VOLUMES);
    }
  finish (&f, arrived ? MW_MIGRATION_JOB_STATE_SUCCEEDED : MW_MIGRATION_JOB_STATE_FAILED);
  g_assert_cmpuint (mw_fake_backend_count (f.fake, MW_FAKE_REMOVE_VOLUMES), ==,
                    expect_removals);
  fixture_clear (&f);
}

static void
test_volumes_removed_after_failure (void)
{
  volumes_case (FALSE, FALSE, 1);
}

static void
test_volumes_kept_when_arrived (void)
{
  volumes_case (TRUE, FALSE, 0);
}

static void
test_volumes_kept_when_unreachable (void)
{
  volumes_case (FALSE, TRUE, 0);
}

/* A pinged guest that answers after the call returned is not silent. The pinger really pings
 * 127.0.0.1 (the test driver's rule against pinging applies to test:/// URIs only). */
static void
test_pinged_guest_answers (void)
{
  Fixture f = { 0 };
  const MwMigrationJobResult *result;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwPinger) probe = mw_pinger_new ("127.0.0.1", 100, 1000);

  if (!mw_pinger_start (probe, g_get_monotonic_time (), &error))
    {
      g_test_skip (error->message);
      return;
    }
  mw_pinger_stop (probe);

  fixture_init (&f, NULL);
  mw_migration_job_set_ping_address (f.job, "127.0.0.1");
  start_running (&f);
  g_assert_nonnull (mw_migration_job_get_pinger (f.job));
  result = migration_returns (&f, TRUE, FALSE, MW_MIGRATION_JOB_STATE_SUCCEEDED);
  g_assert_false (result->guest_silent);
  g_assert_cmpuint (result->pings_answered_after, >=, 10);
  g_assert_cmpuint (result->pings_lost, ==, 0);
  fixture_clear (&f);
}

/* Actions with nothing running are refused with a sentence, not sent. */
static void
test_action_not_running (void)
{
  Fixture f = { 0 };

  fixture_init (&f, NULL);
  mw_migration_job_set_bandwidth (f.job, 10);
  g_assert_cmpuint (f.action_failures, ==, 1);
  g_assert_cmpuint (mw_fake_backend_count (f.fake, MW_FAKE_ACT), ==, 0);
  g_assert_finalize_object (f.job);
  g_assert_finalize_object (f.fake);
  g_free (f.last_failure);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mw/migration-job/success", test_success);
  g_test_add_func ("/mw/migration-job/prepare-fails", test_prepare_fails);
  g_test_add_func ("/mw/migration-job/abort/preparing", test_abort_preparing);
  g_test_add_func ("/mw/migration-job/abort/iteration", test_abort_iteration);
  g_test_add_func ("/mw/migration-job/abort/switch-over", test_abort_switchover);
  g_test_add_func ("/mw/migration-job/abort/retried", test_abort_retried);
  g_test_add_func ("/mw/migration-job/abort/refused", test_abort_refused);
  g_test_add_func ("/mw/migration-job/lost/destination", test_lost_destination);
  g_test_add_func ("/mw/migration-job/lost/source", test_lost_source);
  g_test_add_func ("/mw/migration-job/lost/source-call-first", test_lost_source_call_first);
  g_test_add_func ("/mw/migration-job/lost/link-p2p", test_link_lost_p2p);
  g_test_add_func ("/mw/migration-job/lost/link-p2p-keepalive", test_link_lost_p2p_keepalive);
  g_test_add_func ("/mw/migration-job/lost/destination-daemon-p2p",
                   test_destination_daemon_gone_p2p);
  g_test_add_func ("/mw/migration-job/prepare-no-space", test_prepare_no_space);
  g_test_add_func ("/mw/migration-job/lost/link-client", test_link_lost_client);
  g_test_add_func ("/mw/migration-job/stall/timeout", test_stall_timeout);
  g_test_add_func ("/mw/migration-job/stall/timeout-off", test_stall_timeout_off);
  g_test_add_func ("/mw/migration-job/postcopy-event", test_postcopy_event);
  g_test_add_func ("/mw/migration-job/verify/both", test_verify_both);
  g_test_add_func ("/mw/migration-job/verify/neither", test_verify_neither);
  g_test_add_func ("/mw/migration-job/verify/unreachable", test_verify_unreachable);
  g_test_add_func ("/mw/migration-job/volumes/removed-after-failure",
                   test_volumes_removed_after_failure);
  g_test_add_func ("/mw/migration-job/volumes/kept-when-arrived",
                   test_volumes_kept_when_arrived);
  g_test_add_func ("/mw/migration-job/volumes/kept-when-unreachable",
                   test_volumes_kept_when_unreachable);
  g_test_add_func ("/mw/migration-job/action-not-running", test_action_not_running);
  g_test_add_func ("/mw/migration-job/slow-samples", test_slow_samples);
  g_test_add_func ("/mw/migration-job/pinged-guest-answers", test_pinged_guest_answers);

  return g_test_run ();
}
