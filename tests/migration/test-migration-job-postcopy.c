/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-migration-job-postcopy.c: a post-copy migration that breaks off, on the scripted backend
 * (job-fixture.h): the job pauses instead of failing, waits for both hosts, recovers with the
 * same options plus VIR_MIGRATE_POSTCOPY_RESUME, stays paused when a recovery fails, pauses on
 * purpose, and a recovery started afresh tells a post-copy that finished by itself. No host. */

#include "config.h"

#include <string.h>

#include <libvirt/virterror.h>

#include "job-fixture.h"
#include "mw-libvirt.h"

/* What libvirt 11.3 said in the lab when the link between the hosts was cut in post-copy. */
#define BROKE_OFF_TEXT "operation failed: migration out job: unexpectedly failed"

typedef struct
{
  guint can_recover_notified;
} Counts;

static void
on_can_recover_cb (GObject    *object,
                   GParamSpec *pspec,
                   Counts     *counts)
{
  counts->can_recover_notified++;
}

/* Both hosts as libvirt shows a post-copy that broke off: the source paused, the destination
 * paused (or running) with reason POSTCOPY_FAILED; unreachable ones say so. */
static void
reply_broke_off (Fixture  *f,
                 gboolean  dest_unreachable,
                 gboolean  src_unreachable)
{
  MwVerifyFindings found = { 0 };

  found.dest_unreachable = dest_unreachable;
  found.src_unreachable = src_unreachable;
  if (!dest_unreachable)
    found.dest_exists = found.dest_active = found.dest_postcopy_failed = TRUE;
  if (!src_unreachable)
    found.src_exists = found.src_active = found.src_postcopy_failed = TRUE;
  mw_fake_backend_reply_findings (f->fake, mw_fake_backend_wait (f->fake, MW_FAKE_VERIFY),
                                  &found);
}

/* Main loop until `can-recover` was notified n times (fails the test after 5 s). */
static void
run_until_notified (Counts *counts,
                    guint   n)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (counts->can_recover_notified < n)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("can-recover notified %u times, waited for %u", counts->can_recover_notified, n);
      run_for (1);
    }
}

static MwMigrationOptions *
postcopy_options (void)
{
  MwMigrationOptions *options = mw_migration_options_new_defaults ();

  options->postcopy = TRUE;
  options->bandwidth_mib_s = 8;
  return options;
}

/* Running in post-copy, then the migration call fails and both hosts say it broke off. */
static void
start_and_break (Fixture  *f,
                 gboolean  dest_unreachable)
{
  g_autoptr(MwMigrationOptions) options = postcopy_options ();

  fixture_init (f, options);
  start_running (f);
  mw_job_backend_emit_postcopy_started (MW_JOB_BACKEND (f->fake));
  g_assert_cmpint (mw_migration_job_get_state (f->job), ==, MW_MIGRATION_JOB_STATE_POSTCOPY);
  mw_job_backend_emit_postcopy_failed (MW_JOB_BACKEND (f->fake));
  mw_fake_backend_reply (f->fake, mw_fake_backend_wait (f->fake, MW_FAKE_MIGRATE),
                         libvirt_error (VIR_ERR_OPERATION_FAILED, BROKE_OFF_TEXT));
  reply_broke_off (f, dest_unreachable, FALSE);
  run_until_state (f, MW_MIGRATION_JOB_STATE_POSTCOPY_PAUSED);
}

/* Recover, and check the call it makes: the first run's options, resumed. */
static void
recover_and_check_call (Fixture *f)
{
  MwFakeCall *call;
  guint flags = 0;
  virTypedParameterPtr params = NULL;
  int n_params = 0;
  g_autoptr(GError) error = NULL;

  mw_migration_job_recover (f->job);
  g_assert_cmpint (mw_migration_job_get_state (f->job), ==, MW_MIGRATION_JOB_STATE_POSTCOPY);
  g_assert_false (mw_migration_job_get_can_recover (f->job));
  call = mw_fake_backend_wait (f->fake, MW_FAKE_MIGRATE);
  g_assert_true (call->options->postcopy_resume);
  g_assert_true (call->options->postcopy);
  g_assert_cmpuint (call->options->bandwidth_mib_s, ==, 8);
  g_assert_cmpint (call->options->connection, ==, MW_MIGRATION_CONNECTION_PEER_TO_PEER);
  g_assert_true (mw_migration_options_to_flags_and_params (call->options,
                                                           "qemu+ssh://root@hostb/system",
                                                           &flags, &params, &n_params, &error));
  g_assert_no_error (error);
  g_assert_cmphex (flags & (VIR_MIGRATE_POSTCOPY | VIR_MIGRATE_POSTCOPY_RESUME | VIR_MIGRATE_PEER2PEER
                            | VIR_MIGRATE_LIVE),
                   ==, VIR_MIGRATE_POSTCOPY | VIR_MIGRATE_POSTCOPY_RESUME | VIR_MIGRATE_PEER2PEER
                         | VIR_MIGRATE_LIVE);
  virTypedParamsFree (params, n_params);
  /* Put back for the test to answer. */
  mw_fake_backend_requeue (f->fake, call);
}

/* The verdict after a recovery: the existing one, from both hosts. */
static void
finish_recovered (Fixture *f)
{
  const MwMigrationJobResult *result;
  MwFakeCall *verify;
  MwVerifyFindings found = { 0 };

  reply_ok (f, MW_FAKE_MIGRATE);
  verify = mw_fake_backend_wait (f->fake, MW_FAKE_VERIFY);
  g_assert_true (verify->call_succeeded);
  found.dest_exists = found.dest_active = found.dest_persistent = TRUE;
  mw_fake_backend_reply_findings (f->fake, verify, &found);
  result = finish (f, MW_MIGRATION_JOB_STATE_SUCCEEDED);
  g_assert_true (result->on_destination);
  g_assert_false (result->on_source);
  g_assert_null (result->error_message);
  g_assert_null (mw_migration_job_get_paused_message (f->job));
}

/* Broken off in post-copy: paused, in words, not a failure; Recover finishes it. */
static void
test_broke_off_recovered (void)
{
  Fixture f = { 0 };
  Counts counts = { 0 };
  const char *message;

  start_and_break (&f, FALSE);
  g_assert_cmpuint (f.finished, ==, 0);
  g_assert_null (mw_migration_job_get_result (f.job));
  message = mw_migration_job_get_paused_message (f.job);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "paused on hostb"));
  g_assert_nonnull (strstr (message, "still on hosta"));
  g_assert_nonnull (strstr (message, "nothing is lost yet"));
  g_assert_nonnull (strstr (message, "Do not stop or reboot either host"));
  /* libvirt's words stay, for the details. */
  g_assert_nonnull (strstr (mw_migration_job_get_error (f.job)->message, BROKE_OFF_TEXT));
  g_assert_true (mw_migration_job_get_can_recover (f.job));
  g_assert_null (mw_migration_job_get_recover_blocker (f.job));

  g_signal_connect (f.job, "notify::can-recover", G_CALLBACK (on_can_recover_cb), &counts);
  recover_and_check_call (&f);
  g_assert_cmpuint (counts.can_recover_notified, ==, 1);
  finish_recovered (&f);
  g_assert_cmpuint (f.action_failures, ==, 0);
  g_assert_cmpuint (mw_fake_backend_count (f.fake, MW_FAKE_MIGRATE), ==, 2);
  fixture_clear (&f);
}

/* A recovery that fails (the link still down) leaves the guest paused, with the sentence. */
static void
test_recover_fails_stays_paused (void)
{
  Fixture f = { 0 };

  start_and_break (&f, FALSE);
  recover_and_check_call (&f);
  mw_fake_backend_reply (f.fake, mw_fake_backend_wait (f.fake, MW_FAKE_MIGRATE),
                         libvirt_error (VIR_ERR_SYSTEM_ERROR,
                                        "Cannot recv data: Connection timed out"));
  reply_broke_off (&f, FALSE, FALSE);
  run_until_state (&f, MW_MIGRATION_JOB_STATE_POSTCOPY_PAUSED);
  g_assert_cmpuint (f.finished, ==, 0);
  g_assert_cmpuint (f.action_failures, ==, 1);
  g_assert_true (g_str_has_prefix (f.last_failure, "The recovery did not succeed, and the guest "
                                                   "is still paused on hostb: "));
  g_assert_nonnull (strstr (f.last_failure, "Connection timed out"));
  g_assert_nonnull (strstr (mw_migration_job_get_paused_message (f.job), "nothing is lost yet"));
  g_assert_true (mw_migration_job_get_can_recover (f.job));

  /* The second time it works. */
  recover_and_check_call (&f);
  finish_recovered (&f);
  fixture_clear (&f);
}

/* A host that does not answer: paused all the same, Recover waits for it (watching). */
static void
test_waits_for_both_hosts (void)
{
  Fixture f = { 0 };
  Counts counts = { 0 };

  start_and_break (&f, TRUE);
  g_assert_false (mw_migration_job_get_can_recover (f.job));
  g_assert_cmpstr (mw_migration_job_get_recover_blocker (f.job), ==,
                   "Waiting for hostb to answer again.");
  mw_migration_job_recover (f.job);
  g_assert_cmpuint (f.action_failures, ==, 1);
  g_assert_cmpstr (f.last_failure, ==, "Waiting for hostb to answer again.");
  g_assert_false (mw_fake_backend_has_pending (f.fake, MW_FAKE_MIGRATE));

  /* The job asks again by itself, the connection of a host that did not answer opened again
   * first (test-migration-job-postcopy-hosts.c); still down, then back. */
  g_signal_connect (f.job, "notify::can-recover", G_CALLBACK (on_can_recover_cb), &counts);
  reply_ok (&f, MW_FAKE_REOPEN);
  reply_broke_off (&f, TRUE, TRUE);
  run_until_notified (&counts, 1);
  g_assert_cmpstr (mw_migration_job_get_recover_blocker (f.job), ==,
                   "Waiting for hosta and hostb to answer again.");
  g_assert_cmpuint (counts.can_recover_notified, ==, 1);
  reply_ok (&f, MW_FAKE_REOPEN);
  reply_broke_off (&f, FALSE, FALSE);
  run_until_notified (&counts, 2);
  g_assert_true (mw_migration_job_get_can_recover (f.job));
  g_assert_null (mw_migration_job_get_recover_blocker (f.job));
  g_assert_cmpint (mw_migration_job_get_state (f.job), ==,
                   MW_MIGRATION_JOB_STATE_POSTCOPY_PAUSED);

  recover_and_check_call (&f);
  finish_recovered (&f);
  fixture_clear (&f);
}

/* The destination's libvirt has not noticed yet (running, post-copy): Recover waits for it. */
static void
test_waits_for_destination_to_notice (void)
{
  Fixture f = { 0 };
  Counts counts = { 0 };
  g_autoptr(MwMigrationOptions) options = postcopy_options ();
  MwVerifyFindings found = { 0 };

  fixture_init (&f, options);
  start_running (&f);
  mw_job_backend_emit_postcopy_started (MW_JOB_BACKEND (f.fake));
  mw_fake_backend_reply (f.fake, mw_fake_backend_wait (f.fake, MW_FAKE_MIGRATE),
                         libvirt_error (VIR_ERR_INTERNAL_ERROR,
                                        "internal error: client socket is closed"));
  found.dest_exists = found.dest_active = TRUE;
  found.src_exists = found.src_active = found.src_postcopy_failed = TRUE;
  mw_fake_backend_reply_findings (f.fake, mw_fake_backend_wait (f.fake, MW_FAKE_VERIFY),
                                  &found);
  run_until_state (&f, MW_MIGRATION_JOB_STATE_POSTCOPY_PAUSED);
  g_assert_false (mw_migration_job_get_can_recover (f.job));
  g_assert_cmpstr (mw_migration_job_get_recover_blocker (f.job), ==,
                   "Waiting for hostb to notice that the migration broke off.");

  g_signal_connect (f.job, "notify::can-recover", G_CALLBACK (on_can_recover_cb), &counts);
  reply_broke_off (&f, FALSE, FALSE);
  run_until_notified (&counts, 1);
  g_assert_true (mw_migration_job_get_can_recover (f.job));
  recover_and_check_call (&f);
  finish_recovered (&f);
  fixture_clear (&f);
}

/* Pause post-copy on purpose: only in post-copy; the job then waits to be recovered. */
static void
test_pause_postcopy (void)
{
  Fixture f = { 0 };
  g_autoptr(MwMigrationOptions) options = postcopy_options ();
  MwFakeCall *act;

  fixture_init (&f, options);
  start_running (&f);
  mw_migration_job_pause_postcopy (f.job);
  g_assert_cmpuint (f.action_failures, ==, 1);
  g_assert_false (mw_fake_backend_has_pending (f.fake, MW_FAKE_ACT));

  mw_migration_job_start_postcopy (f.job);
  act = mw_fake_backend_wait (f.fake, MW_FAKE_ACT);
  g_assert_cmpint (act->action, ==, MW_JOB_ACTION_POSTCOPY);
  mw_fake_backend_reply (f.fake, act, NULL);
  run_until_state (&f, MW_MIGRATION_JOB_STATE_POSTCOPY);

  mw_migration_job_pause_postcopy (f.job);
  act = mw_fake_backend_wait (f.fake, MW_FAKE_ACT);
  g_assert_cmpint (act->action, ==, MW_JOB_ACTION_POSTCOPY_PAUSE);
  mw_fake_backend_reply (f.fake, act, NULL);
  mw_fake_backend_reply (f.fake, mw_fake_backend_wait (f.fake, MW_FAKE_MIGRATE),
                         libvirt_error (VIR_ERR_OPERATION_FAILED,
                                        "operation failed: job 'migration out' failed in "
                                        "post-copy phase"));
  reply_broke_off (&f, FALSE, FALSE);
  run_until_state (&f, MW_MIGRATION_JOB_STATE_POSTCOPY_PAUSED);
  g_assert_cmpuint (f.action_failures, ==, 1);

  recover_and_check_call (&f);
  finish_recovered (&f);
  fixture_clear (&f);
}

/* The destination answers and has no guest any more (its QEMU died): nothing to resume, a
 * failure as before. And a pre-copy that fails is a failure, whatever the hosts say. */
static void
test_not_paused (void)
{
  Fixture f = { 0 };
  g_autoptr(MwMigrationOptions) options = postcopy_options ();
  MwVerifyFindings found = { 0 };

  fixture_init (&f, options);
  start_running (&f);
  mw_job_backend_emit_postcopy_started (MW_JOB_BACKEND (f.fake));
  mw_fake_backend_reply (f.fake, mw_fake_backend_wait (f.fake, MW_FAKE_MIGRATE),
                         libvirt_error (VIR_ERR_OPERATION_FAILED, BROKE_OFF_TEXT));
  found.src_exists = found.src_active = found.src_postcopy_failed = TRUE;
  mw_fake_backend_reply_findings (f.fake, mw_fake_backend_wait (f.fake, MW_FAKE_VERIFY),
                                  &found);
  finish (&f, MW_MIGRATION_JOB_STATE_FAILED);
  fixture_clear (&f);

  memset (&f, 0, sizeof f);
  fixture_init (&f, options);
  start_running (&f);
  mw_fake_backend_reply (f.fake, mw_fake_backend_wait (f.fake, MW_FAKE_MIGRATE),
                         libvirt_error (VIR_ERR_OPERATION_FAILED, "operation failed: cut"));
  reply_broke_off (&f, TRUE, FALSE);
  finish (&f, MW_MIGRATION_JOB_STATE_FAILED);
  fixture_clear (&f);
}

/* The options' post-copy timer is the job's own, for the window and the CLI alike: once
 * postcopy_after_s has passed in pre-copy the job asks for the switch by itself, once; a
 * migration that ends sooner is never switched. */
static void
test_postcopy_after_timer (void)
{
  Fixture f = { 0 };
  g_autoptr(MwMigrationOptions) options = postcopy_options ();
  gint64 start_us;
  MwFakeCall *act;

  options->postcopy_after_s = 1;
  fixture_init (&f, options);
  start_running (&f);
  start_us = g_get_monotonic_time ();
  act = mw_fake_backend_wait (f.fake, MW_FAKE_ACT);
  g_assert_cmpint (act->action, ==, MW_JOB_ACTION_POSTCOPY);
  g_assert_cmpint (g_get_monotonic_time () - start_us, >=, 900 * 1000);
  mw_fake_backend_reply (f.fake, act, NULL);
  run_until_state (&f, MW_MIGRATION_JOB_STATE_POSTCOPY);
  run_for (1200);
  g_assert_false (mw_fake_backend_has_pending (f.fake, MW_FAKE_ACT));
  migration_returns (&f, TRUE, FALSE, MW_MIGRATION_JOB_STATE_SUCCEEDED);
  fixture_clear (&f);

  memset (&f, 0, sizeof f);
  fixture_init (&f, options);
  start_running (&f);
  migration_returns (&f, TRUE, FALSE, MW_MIGRATION_JOB_STATE_SUCCEEDED);
  run_for (1300);
  g_assert_false (mw_fake_backend_has_pending (f.fake, MW_FAKE_ACT));
  fixture_clear (&f);
}

/* `migrate … --postcopy-recover` after the post-copy finished by itself (QEMU's stream outlived
 * the cut link, seen in the lab): both hosts are asked before any call, and the truth is told:
 * the guest runs on the destination, nothing to recover, a success (the CLI's exit 0). */
static void
recover_finished_already (gboolean still_defined_on_source)
{
  Fixture f = { 0 };
  g_autoptr(MwMigrationOptions) options = postcopy_options ();
  const MwMigrationJobResult *result;
  MwVerifyFindings found = { 0 };

  options->postcopy_resume = TRUE;
  fixture_init (&f, options);
  mw_migration_job_start (f.job);
  reply_ok (&f, MW_FAKE_PREPARE);
  /* Shut off on the source (or undefined there: --undefinesource), running on the destination. */
  found.src_exists = still_defined_on_source;
  found.dest_exists = found.dest_active = found.dest_persistent = TRUE;
  mw_fake_backend_reply_findings (f.fake, mw_fake_backend_wait (f.fake, MW_FAKE_VERIFY),
                                  &found);
  result = finish (&f, MW_MIGRATION_JOB_STATE_SUCCEEDED);
  g_assert_cmpuint (mw_fake_backend_count (f.fake, MW_FAKE_MIGRATE), ==, 0);
  g_assert_true (result->nothing_to_recover);
  g_assert_true (result->on_destination);
  g_assert_false (result->on_source);
  g_assert_null (result->error_message);
  g_assert_true (g_str_has_prefix (result->summary, "Nothing to recover: the post-copy "
                                                    "migration of “guest” had already finished"));
  g_assert_nonnull (strstr (result->summary, "“guest” runs on hostb."));
  fixture_clear (&f);
}

static void
test_recover_finished_already (void)
{
  recover_finished_already (TRUE);
  recover_finished_already (FALSE);
}

/* Gone from the source while the destination waits: the rest of the memory is lost, and no
 * call is made (the backend would have no source domain to drive). */
static void
test_recover_gone_from_source (void)
{
  Fixture f = { 0 };
  g_autoptr(MwMigrationOptions) options = postcopy_options ();
  const MwMigrationJobResult *result;
  MwVerifyFindings found = { 0 };

  options->postcopy_resume = TRUE;
  fixture_init (&f, options);
  mw_migration_job_start (f.job);
  reply_ok (&f, MW_FAKE_PREPARE);
  found.dest_exists = found.dest_active = found.dest_postcopy_failed = TRUE;
  mw_fake_backend_reply_findings (f.fake, mw_fake_backend_wait (f.fake, MW_FAKE_VERIFY),
                                  &found);
  result = finish (&f, MW_MIGRATION_JOB_STATE_FAILED);
  g_assert_cmpuint (mw_fake_backend_count (f.fake, MW_FAKE_MIGRATE), ==, 0);
  g_assert_false (result->nothing_to_recover);
  g_assert_nonnull (strstr (result->error_message, "“guest” is no longer on hosta"));
  fixture_clear (&f);
}

/* Started as a recovery while both hosts wait for it: the check lets the call through, with
 * the resume flag, and the usual verdict follows. */
static void
test_recover_afresh (void)
{
  Fixture f = { 0 };
  g_autoptr(MwMigrationOptions) options = postcopy_options ();
  MwFakeCall *call;

  options->postcopy_resume = TRUE;
  fixture_init (&f, options);
  mw_migration_job_start (f.job);
  reply_ok (&f, MW_FAKE_PREPARE);
  g_assert_false (mw_fake_backend_has_pending (f.fake, MW_FAKE_MIGRATE));
  reply_broke_off (&f, FALSE, FALSE);
  call = mw_fake_backend_wait (f.fake, MW_FAKE_MIGRATE);
  g_assert_true (call->options->postcopy_resume);
  g_assert_cmpint (mw_migration_job_get_state (f.job), ==, MW_MIGRATION_JOB_STATE_POSTCOPY);
  mw_fake_backend_requeue (f.fake, call);
  finish_recovered (&f);
  g_assert_false (mw_migration_job_get_result (f.job)->nothing_to_recover);
  fixture_clear (&f);
}

/* Recovering needs post-copy among the options; it adds the resume flag to them. */
static void
test_resume_options (void)
{
  g_autoptr(MwMigrationOptions) options = mw_migration_options_new_defaults ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;

  options->postcopy_resume = TRUE;
  g_assert_false (mw_migration_options_validate (options, &error));
  g_assert_error (error, MW_MIGRATION_OPTIONS_ERROR, MW_MIGRATION_OPTIONS_ERROR_POSTCOPY_RESUME);
  g_clear_error (&error);
  options->postcopy = TRUE;
  g_assert_true (mw_migration_options_validate (options, &error));
  argv = mw_migration_options_to_virsh (options, "qemu+ssh://root@hosta/system", "guest",
                                        "qemu+ssh://root@hostb/system", &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_contains ((const char * const *) argv, "--postcopy-resume"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mw/migration-job-postcopy/broke-off-recovered", test_broke_off_recovered);
  g_test_add_func ("/mw/migration-job-postcopy/recover-fails-stays-paused",
                   test_recover_fails_stays_paused);
  g_test_add_func ("/mw/migration-job-postcopy/waits-for-both-hosts", test_waits_for_both_hosts);
  g_test_add_func ("/mw/migration-job-postcopy/waits-for-destination-to-notice",
                   test_waits_for_destination_to_notice);
  g_test_add_func ("/mw/migration-job-postcopy/pause-postcopy", test_pause_postcopy);
  g_test_add_func ("/mw/migration-job-postcopy/not-paused", test_not_paused);
  g_test_add_func ("/mw/migration-job-postcopy/after-timer", test_postcopy_after_timer);
  g_test_add_func ("/mw/migration-job-postcopy/resume-options", test_resume_options);
  g_test_add_func ("/mw/migration-job-postcopy/recover-finished-already",
                   test_recover_finished_already);
  g_test_add_func ("/mw/migration-job-postcopy/recover-afresh", test_recover_afresh);
  g_test_add_func ("/mw/migration-job-postcopy/recover-gone-from-source",
                   test_recover_gone_from_source);
  return g_test_run ();
}
