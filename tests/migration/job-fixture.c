/* SPDX-License-Identifier: GPL-3.0-or-later */
/* job-fixture.c: the migration job's test fixture (see job-fixture.h). */

#include "config.h"

#include "job-fixture.h"
#include "mw-libvirt.h"

static void
on_finished_cb (MwMigrationJob *job,
                Fixture        *f)
{
  f->finished++;
}

static void
on_action_failed_cb (MwMigrationJob *job,
                     const char     *message,
                     Fixture        *f)
{
  f->action_failures++;
  g_free (f->last_failure);
  f->last_failure = g_strdup (message);
}

void
fixture_init (Fixture                  *f,
              const MwMigrationOptions *options)
{
  f->fake = mw_fake_backend_new ();
  f->job = mw_migration_job_new_with_backend (MW_JOB_BACKEND (f->fake),
                                              "qemu+ssh://root@hosta/system",
                                              "qemu+ssh://root@hostb/system", "guest", options);
  mw_migration_job_set_sample_interval (f->job, 10);
  g_signal_connect (f->job, "finished", G_CALLBACK (on_finished_cb), f);
  g_signal_connect (f->job, "action-failed", G_CALLBACK (on_action_failed_cb), f);
}

void
fixture_clear (Fixture *f)
{
  /* Finished exactly once, and the hosts let go. */
  g_assert_cmpuint (f->finished, ==, 1);
  g_assert_true (mw_fake_backend_get_released (f->fake));
  g_assert_finalize_object (f->job);
  g_assert_finalize_object (f->fake);
  g_free (f->last_failure);
}

void
run_until_state (Fixture             *f,
                 MwMigrationJobState  state)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (mw_migration_job_get_state (f->job) != state)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("state %d, waited for %d", mw_migration_job_get_state (f->job), state);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* Lets the job run for a while (samples come and go). */
void
run_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

void
reply_ok (Fixture    *f,
          MwFakeKind  kind)
{
  mw_fake_backend_reply (f->fake, mw_fake_backend_wait (f->fake, kind), NULL);
}

GError *
libvirt_error (int         code,
               const char *message)
{
  return g_error_new_literal (MW_LIBVIRT_ERROR, code, message);
}

void
reply_findings (Fixture  *f,
                gboolean  on_destination,
                gboolean  on_source)
{
  MwVerifyFindings found = { 0 };

  found.dest_exists = found.dest_active = found.dest_persistent = on_destination;
  found.src_exists = found.src_active = on_source;
  mw_fake_backend_reply_findings (f->fake, mw_fake_backend_wait (f->fake, MW_FAKE_VERIFY),
                                  &found);
}

void
set_running_sample (Fixture *f,
                    guint64  iteration)
{
  MwJobSample sample = { 0 };

  sample.state = MW_JOB_STATE_RUNNING;
  sample.have = MW_JOB_HAVE_ITERATION;
  sample.iteration = iteration;
  sample.memory_total = 1024 * 1024 * 1024;
  sample.memory_remaining = 512 * 1024 * 1024;
  sample.memory_processed = 512 * 1024 * 1024;
  sample.data_processed = 512 * 1024 * 1024;
  sample.memory_bps = 64 * 1024 * 1024;
  sample.page_size = 4096;
  mw_fake_backend_set_sample (f->fake, &sample);
}

/* Start, prepare, and the migration call under way with samples flowing. */
void
start_running (Fixture *f)
{
  set_running_sample (f, 1);
  mw_migration_job_start (f->job);
  g_assert_cmpint (mw_migration_job_get_state (f->job), ==, MW_MIGRATION_JOB_STATE_PREPARING);
  reply_ok (f, MW_FAKE_PREPARE);
  run_until_state (f, MW_MIGRATION_JOB_STATE_RUNNING);
  g_assert_true (mw_fake_backend_has_pending (f->fake, MW_FAKE_MIGRATE));
  while (mw_sample_history_get_n_samples (mw_migration_job_get_history (f->job)) < 3)
    run_for (5);
}

gboolean
history_has_event (MwMigrationJob     *job,
                   MwHistoryEventKind  kind)
{
  MwSampleHistory *history = mw_migration_job_get_history (job);

  for (guint i = 0; i < mw_sample_history_get_n_events (history); i++)
    if (mw_sample_history_get_event (history, i)->kind == kind)
      return TRUE;
  return FALSE;
}

const MwMigrationJobResult *
finish (Fixture             *f,
        MwMigrationJobState  state)
{
  run_until_state (f, state);
  g_assert_cmpuint (f->finished, ==, 1);
  return mw_migration_job_get_result (f->job);
}

const MwMigrationJobResult *
migration_returns (Fixture             *f,
                   gboolean             on_destination,
                   gboolean             on_source,
                   MwMigrationJobState  state)
{
  reply_ok (f, MW_FAKE_MIGRATE);
  reply_findings (f, on_destination, on_source);
  return finish (f, state);
}
