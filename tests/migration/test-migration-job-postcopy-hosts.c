/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-migration-job-postcopy-hosts.c: a paused post-copy and what the hosts themselves do to it,
 * on the scripted backend (job-fixture.h): a connection that dies while the job waits is opened
 * again and both hosts are asked afresh; a destination whose libvirt crashes on a resume
 * (11.2, 11.3) is told from the start of post-copy, Pause and Recover refused, a
 * `--postcopy-recover` run fails before any call; the same daemon, updated and restarted while
 * the guest waits, is read anew and Recover offered. No host. */

#include "config.h"

#include <string.h>

#include <libvirt/virterror.h>

#include "job-fixture.h"
#include "mw-libvirt.h"
#include "mw-migration-caps.h"

#define LIBVIRT_11_3 11003000UL
#define LIBVIRT_11_5 11005000UL
/* The paused job's look at both hosts, every 2 s in the app. */
#define WATCH_MS 100

/* Both hosts as libvirt shows a post-copy that broke off; unreachable ones say so. */
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

static MwMigrationOptions *
postcopy_options (void)
{
  MwMigrationOptions *options = mw_migration_options_new_defaults ();

  options->postcopy = TRUE;
  return options;
}

/* Prepared with the destination on version, running, then in post-copy. */
static void
start_postcopy (Fixture *f,
                gulong   version)
{
  g_autoptr(MwMigrationOptions) options = postcopy_options ();

  fixture_init (f, options);
  f->job->paused_watch_ms = WATCH_MS;
  mw_fake_backend_set_destination_libvirt (f->fake, version);
  start_running (f);
  mw_job_backend_emit_postcopy_started (MW_JOB_BACKEND (f->fake));
  g_assert_cmpint (mw_migration_job_get_state (f->job), ==, MW_MIGRATION_JOB_STATE_POSTCOPY);
}

/* The migration call fails in post-copy; both hosts say it broke off: paused. */
static void
break_off (Fixture *f)
{
  mw_job_backend_emit_postcopy_failed (MW_JOB_BACKEND (f->fake));
  mw_fake_backend_reply (f->fake, mw_fake_backend_wait (f->fake, MW_FAKE_MIGRATE),
                         libvirt_error (VIR_ERR_OPERATION_FAILED,
                                        "operation failed: job 'migration out' failed in "
                                        "post-copy phase"));
  reply_broke_off (f, FALSE, FALSE);
  run_until_state (f, MW_MIGRATION_JOB_STATE_POSTCOPY_PAUSED);
}

/* Recover, the call succeeds, the guest is on the destination only. */
static void
recover_to_the_end (Fixture *f)
{
  MwVerifyFindings found = { 0 };
  MwFakeCall *call;

  /* A look under way is answered first: its call is not the verdict's. */
  if (mw_fake_backend_has_pending (f->fake, MW_FAKE_VERIFY))
    reply_broke_off (f, FALSE, FALSE);
  g_assert_true (mw_migration_job_get_can_recover (f->job));
  mw_migration_job_recover (f->job);
  call = mw_fake_backend_wait (f->fake, MW_FAKE_MIGRATE);
  g_assert_true (call->options->postcopy_resume);
  mw_fake_backend_reply (f->fake, call, NULL);
  found.dest_exists = found.dest_active = found.dest_persistent = TRUE;
  mw_fake_backend_reply_findings (f->fake, mw_fake_backend_wait (f->fake, MW_FAKE_VERIFY),
                                  &found);
  g_assert_true (finish (f, MW_MIGRATION_JOB_STATE_SUCCEEDED)->on_destination);
}

/* The destination's daemon restarted while the job waits: its connection is said lost, the
 * next look opens it again first (only that host), then asks both; Recover comes back. Before
 * this, the job asked through the dead connection for ever ("Waiting for hostb to answer
 * again" on the live page). */
static void
test_reopen_after_restart (void)
{
  Fixture f = { 0 };
  MwFakeCall *reopen;

  start_postcopy (&f, 0);
  break_off (&f);
  g_assert_true (mw_migration_job_get_can_recover (f.job));

  mw_job_backend_emit_connection_lost (MW_JOB_BACKEND (f.fake), TRUE, VIR_CONNECT_CLOSE_REASON_EOF);
  g_assert_cmpint (mw_migration_job_get_state (f.job), ==, MW_MIGRATION_JOB_STATE_POSTCOPY_PAUSED);
  reopen = mw_fake_backend_wait (f.fake, MW_FAKE_REOPEN);
  g_assert_true (reopen->destination);
  g_assert_false (reopen->source);
  /* Opened before the hosts are asked. */
  g_assert_false (mw_fake_backend_has_pending (f.fake, MW_FAKE_VERIFY));
  mw_fake_backend_reply (f.fake, reopen, NULL);
  reply_broke_off (&f, FALSE, FALSE);
  run_for (50);
  g_assert_true (mw_migration_job_get_can_recover (f.job));
  /* Open again: the next look asks at once. */
  reply_broke_off (&f, FALSE, FALSE);
  g_assert_cmpuint (mw_fake_backend_count (f.fake, MW_FAKE_REOPEN), ==, 1);

  recover_to_the_end (&f);
  fixture_clear (&f);
}

/* A host that did not answer the last look: its connection is reopened before the next, which
 * fails while the host is down (the look then says it waits) and works once it is back. */
static void
test_reopen_unreachable (void)
{
  Fixture f = { 0 };
  MwFakeCall *reopen;

  start_postcopy (&f, 0);
  mw_job_backend_emit_postcopy_failed (MW_JOB_BACKEND (f.fake));
  mw_fake_backend_reply (f.fake, mw_fake_backend_wait (f.fake, MW_FAKE_MIGRATE),
                         libvirt_error (VIR_ERR_INTERNAL_ERROR,
                                        "internal error: client socket is closed"));
  reply_broke_off (&f, TRUE, FALSE);
  run_until_state (&f, MW_MIGRATION_JOB_STATE_POSTCOPY_PAUSED);
  g_assert_cmpstr (mw_migration_job_get_recover_blocker (f.job), ==,
                   "Waiting for hostb to answer again.");

  reopen = mw_fake_backend_wait (f.fake, MW_FAKE_REOPEN);
  g_assert_true (reopen->destination);
  g_assert_false (reopen->source);
  mw_fake_backend_reply (f.fake, reopen,
                         libvirt_error (VIR_ERR_SYSTEM_ERROR,
                                        "Cannot recv data: Connection refused"));
  reply_broke_off (&f, TRUE, FALSE);
  run_for (50);
  g_assert_false (mw_migration_job_get_can_recover (f.job));
  g_assert_cmpstr (mw_migration_job_get_recover_blocker (f.job), ==,
                   "Waiting for hostb to answer again.");

  reply_ok (&f, MW_FAKE_REOPEN);
  reply_broke_off (&f, FALSE, FALSE);
  run_for (50);
  g_assert_true (mw_migration_job_get_can_recover (f.job));
  g_assert_cmpuint (mw_fake_backend_count (f.fake, MW_FAKE_REOPEN), ==, 2);
  recover_to_the_end (&f);
  fixture_clear (&f);
}

/* libvirt 11.3 on the destination: said from the start of post-copy; Pause refused (it could
 * only stay paused); broken off all the same, the paused sentence says why there is no Recover
 * and what to do; the daemon updated and restarted, the reopened connection reads 11.5 and
 * Recover is offered, and works. */
static void
test_resume_crashes_destination (void)
{
  Fixture f = { 0 };
  const char *why;
  const char *message;

  start_postcopy (&f, LIBVIRT_11_3);
  why = mw_migration_job_get_recovery_impossible (f.job);
  g_assert_nonnull (why);
  g_assert_nonnull (strstr (why, "hostb has libvirt 11.3"));
  g_assert_nonnull (strstr (why, "crashes when asked to resume"));
  g_assert_cmpstr (mw_migration_job_get_recover_blocker (f.job), ==, why);
  g_assert_false (mw_migration_job_get_can_recover (f.job));

  mw_migration_job_pause_postcopy (f.job);
  g_assert_cmpuint (f.action_failures, ==, 1);
  g_assert_cmpstr (f.last_failure, ==, why);
  g_assert_false (mw_fake_backend_has_pending (f.fake, MW_FAKE_ACT));
  /* Nor does a stalled stream get paused: it may go on once the link is back. */
  mw_migration_job_pause_stalled_postcopy (f.job);
  run_for (20);
  g_assert_false (mw_fake_backend_has_pending (f.fake, MW_FAKE_ACT));

  break_off (&f);
  message = mw_migration_job_get_paused_message (f.job);
  g_assert_nonnull (strstr (message, "nothing is lost yet"));
  g_assert_nonnull (strstr (message, why));
  g_assert_nonnull (strstr (message, "Update libvirt on hostb"));
  g_assert_null (strstr (message, "once both answer again"));
  g_assert_false (mw_migration_job_get_can_recover (f.job));
  g_assert_true (g_str_has_prefix (mw_migration_job_get_recover_blocker (f.job), why));
  mw_migration_job_recover (f.job);
  g_assert_cmpuint (f.action_failures, ==, 2);
  g_assert_false (mw_fake_backend_has_pending (f.fake, MW_FAKE_MIGRATE));

  /* The admin updates libvirt on hostb and restarts it; the guest waits. */
  if (mw_fake_backend_has_pending (f.fake, MW_FAKE_VERIFY))
    reply_broke_off (&f, FALSE, FALSE);
  mw_fake_backend_set_destination_libvirt (f.fake, LIBVIRT_11_5);
  mw_job_backend_emit_connection_lost (MW_JOB_BACKEND (f.fake), TRUE, VIR_CONNECT_CLOSE_REASON_EOF);
  reply_ok (&f, MW_FAKE_REOPEN);
  reply_broke_off (&f, FALSE, FALSE);
  g_assert_null (mw_migration_job_get_recovery_impossible (f.job));
  run_for (50);
  g_assert_null (mw_migration_job_get_recover_blocker (f.job));
  recover_to_the_end (&f);
  fixture_clear (&f);
}

/* `migrate … --postcopy-recover` against libvirt 11.3: refused before any call (the call would
 * kill hostb's daemon), with the reason and what to do. */
static void
test_recover_afresh_refused (void)
{
  Fixture f = { 0 };
  g_autoptr(MwMigrationOptions) options = postcopy_options ();
  const MwMigrationJobResult *result;
  const GError *error;

  options->postcopy_resume = TRUE;
  fixture_init (&f, options);
  mw_fake_backend_set_destination_libvirt (f.fake, LIBVIRT_11_3);
  mw_migration_job_start (f.job);
  reply_ok (&f, MW_FAKE_PREPARE);
  result = finish (&f, MW_MIGRATION_JOB_STATE_FAILED);
  g_assert_cmpuint (mw_fake_backend_count (f.fake, MW_FAKE_MIGRATE), ==, 0);
  g_assert_cmpuint (mw_fake_backend_count (f.fake, MW_FAKE_VERIFY), ==, 0);
  error = mw_migration_job_get_error (f.job);
  g_assert_error (error, MW_MIGRATION_JOB_ERROR, MW_MIGRATION_JOB_ERROR_CANNOT_RECOVER);
  g_assert_nonnull (strstr (result->error_message, "hostb has libvirt 11.3"));
  g_assert_nonnull (strstr (result->error_message, "Update libvirt on hostb"));
  fixture_clear (&f);
}

/* Any other version, or none known: post-copy as before, Pause allowed. */
static void
test_other_versions (void)
{
  static const gulong versions[] = { 0, 9000000, 11001000, 11004000, LIBVIRT_11_5 };

  for (guint i = 0; i < G_N_ELEMENTS (versions); i++)
    {
      Fixture f = { 0 };
      MwFakeCall *act;

      start_postcopy (&f, versions[i]);
      g_assert_null (mw_migration_job_get_recovery_impossible (f.job));
      g_assert_null (mw_migration_job_get_recover_blocker (f.job));
      mw_migration_job_pause_postcopy (f.job);
      act = mw_fake_backend_wait (f.fake, MW_FAKE_ACT);
      g_assert_cmpint (act->action, ==, MW_JOB_ACTION_POSTCOPY_PAUSE);
      mw_fake_backend_reply (f.fake, act, NULL);
      break_off (&f);
      recover_to_the_end (&f);
      g_assert_cmpuint (f.action_failures, ==, 0);
      fixture_clear (&f);
    }
}

/* Which libvirt crashes on a resume: 11.2.0 to 11.3.x, on the destination only; the sentence
 * names the host and its version. */
static void
test_caps_range (void)
{
  static const struct
  {
    gulong version;
    gboolean crashes;
  } cases[] = {
    { 0, FALSE }, { 9000000, FALSE }, { 11001000, FALSE }, { 11001999, FALSE },
    { 11002000, TRUE }, { 11002001, TRUE }, { LIBVIRT_11_3, TRUE }, { 11003002, TRUE },
    { 11004000, FALSE }, { LIBVIRT_11_5, FALSE }, { 12008000, FALSE },
  };
  g_autoptr(MwMigrationCaps) caps = mw_migration_caps_new ();
  g_autofree char *why = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *sentence = mw_migration_caps_postcopy_recovery_why_not ("hostb",
                                                                               cases[i].version);

      g_assert_cmpint (mw_libvirt_crashes_on_postcopy_resume (cases[i].version), ==,
                       cases[i].crashes);
      g_assert_cmpint (sentence != NULL, ==, cases[i].crashes);
    }

  caps->source = (MwMigrationHostFacts) { g_strdup ("hosta"), LIBVIRT_11_3, 10000000, 2 };
  caps->destination = (MwMigrationHostFacts) { g_strdup ("hostb"), 9000000, 7002000, 2 };
  /* The source's libvirt takes no part in the crash. */
  g_assert_null (mw_migration_caps_why_no_postcopy_recovery (caps));
  caps->destination.libvirt_version = LIBVIRT_11_3;
  why = mw_migration_caps_why_no_postcopy_recovery (caps);
  g_assert_cmpstr (why, ==, "Recovering a post-copy that broke off is not possible on these "
                            "hosts: hostb has libvirt 11.3, whose daemon crashes when asked to "
                            "resume one (a bug of libvirt 11.2 and 11.3).");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mw/migration-job-postcopy-hosts/caps-range", test_caps_range);
  g_test_add_func ("/mw/migration-job-postcopy-hosts/reopen-after-restart",
                   test_reopen_after_restart);
  g_test_add_func ("/mw/migration-job-postcopy-hosts/reopen-unreachable",
                   test_reopen_unreachable);
  g_test_add_func ("/mw/migration-job-postcopy-hosts/resume-crashes-destination",
                   test_resume_crashes_destination);
  g_test_add_func ("/mw/migration-job-postcopy-hosts/recover-afresh-refused",
                   test_recover_afresh_refused);
  g_test_add_func ("/mw/migration-job-postcopy-hosts/other-versions", test_other_versions);

  return g_test_run ();
}
