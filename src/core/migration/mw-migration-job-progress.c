/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-job-progress.c: how a migration job follows its migration — the steady stats
 * sampling with at most one request in flight, and the backend's events (a new pass, the
 * completed job's statistics, the switch to post-copy, a lost connection). Main thread. */

#include "config.h"

#include <glib/gi18n.h>

#include "mw-migration-job-private.h"

/* ---- sampling ------------------------------------------------------------------------------ */

/* A pre-copy whose stream has moved nothing for the stall timeout will not move again by
 * itself: TCP keeps retrying a cut link for many minutes, and a client-driven migration has no
 * libvirt keepalive on it. Stopped, with the reason; post-copy cannot go back, so it is paused
 * instead, to be recovered (mw-migration-job-postcopy.c). */
static void
stop_if_stalled (MwMigrationJob *self)
{
  const MwConvergence *convergence = self->convergence;
  g_autofree char *stalled_text = NULL;

  if (convergence == NULL || convergence->verdict != MW_CONVERGENCE_STALLED
      || self->stall_timeout_s == 0 || self->abort_requested
      || convergence->stalled_us < (gint64) self->stall_timeout_s * G_USEC_PER_SEC)
    return;
  if (self->state == MW_MIGRATION_JOB_STATE_POSTCOPY)
    {
      mw_migration_job_pause_stalled_postcopy (self);
      return;
    }
  if (self->state != MW_MIGRATION_JOB_STATE_RUNNING)
    return;

  stalled_text = mw_format_duration_us (convergence->stalled_us);
  g_free (self->migrate_error_message);
  self->migrate_error_message =
    g_strdup_printf (_("No data reached %s for %s, so MigWizard stopped the migration: the "
                       "network between the two hosts is down or blocked"),
                     self->destination_host, stalled_text);
  g_message ("%s", self->migrate_error_message);
  self->restart_pending = MW_REMEDY_NONE;
  mw_migration_job_request_abort (self);
}

static void
on_sample_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(MwMigrationJob) self = user_data;
  g_autofree MwJobSample *sample = NULL;
  g_autoptr(GError) error = NULL;

  sample = mw_job_backend_sample_finish (MW_JOB_BACKEND (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->sample_in_flight = FALSE;

  /* Samples of a call that has returned are stale: the completed statistics come instead. */
  if (!mw_migration_job_is_migrating (self))
    return;

  if (sample == NULL)
    g_debug ("%s", error->message);
  else if (sample->state == MW_JOB_STATE_RUNNING)
    {
      if (self->state == MW_MIGRATION_JOB_STATE_POSTCOPY)
        sample->state = MW_JOB_STATE_POSTCOPY;
      if ((sample->have & MW_JOB_HAVE_ITERATION) != 0 && sample->iteration > self->passes)
        self->passes = (guint) sample->iteration;
      /* libvirt repeats the last throughput while nothing moves: a sample that moved nothing
       * since the previous one moved at 0 B/s. */
      if (sample->data_processed > 0 && sample->data_processed == self->last_data_processed)
        sample->memory_bps = 0;
      if (sample->data_processed > 0)
        self->last_data_processed = sample->data_processed;
      mw_sample_history_push (self->history, sample);
      mw_migration_job_update_convergence (self);
      stop_if_stalled (self);

      /* The migration job exists now: max downtime can be set (it is no migration parameter). */
      if (!self->saw_running_sample)
        {
          self->saw_running_sample = TRUE;
          if (self->options->max_downtime_ms > 0)
            mw_migration_job_run_action (self, MW_JOB_ACTION_MAX_DOWNTIME,
                                         self->options->max_downtime_ms, TRUE);
        }
    }

  if (self->sample_again)
    {
      self->sample_again = FALSE;
      mw_migration_job_sample_now (self);
    }
}

/* Asks for one sample now, or right after the one in flight. */
void
mw_migration_job_sample_now (MwMigrationJob *self)
{
  if (!mw_migration_job_is_migrating (self) || !self->prepared)
    return;
  if (self->sample_in_flight)
    {
      self->sample_again = TRUE;
      return;
    }

  self->sample_in_flight = TRUE;
  mw_job_backend_sample_async (self->backend, self->cancellable, on_sample_done_cb,
                               g_object_ref (self));
}

static gboolean
on_sample_tick_cb (gpointer user_data)
{
  MwMigrationJob *self = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 interval_us = (gint64) self->sample_interval_ms * 1000;

  /* One request in flight at a time; a tick that finds one still out asks for the next sample
   * as soon as it returns (one, however many ticks pass meanwhile): a host slower than the
   * interval gets samples back to back, not one every other tick. */
  mw_migration_job_sample_now (self);

  /* The next tick is due one interval after this one was *due*, so the rate holds (a plain
   * timeout drifts by its dispatch delay every tick); after a stall, no burst to catch up. */
  self->next_sample_us += interval_us;
  if (self->next_sample_us <= now)
    self->next_sample_us = now + interval_us;
  g_source_set_ready_time (self->sample_source, self->next_sample_us);
  return G_SOURCE_CONTINUE;
}

static gboolean
sample_source_dispatch (GSource     *source,
                        GSourceFunc  callback,
                        gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs sample_source_funcs = {
  NULL, NULL, sample_source_dispatch, NULL, NULL, NULL,
};

void
mw_migration_job_stop_sampling (MwMigrationJob *self)
{
  if (self->sample_source == NULL)
    return;
  g_source_destroy (self->sample_source);
  g_clear_pointer (&self->sample_source, g_source_unref);
}

void
mw_migration_job_start_sampling (MwMigrationJob *self)
{
  mw_migration_job_stop_sampling (self);
  self->sample_source = g_source_new (&sample_source_funcs, sizeof (GSource));
  g_source_set_static_name (self->sample_source, "MwMigrationJob sampling");
  g_source_set_callback (self->sample_source, on_sample_tick_cb, self, NULL);
  self->next_sample_us = g_get_monotonic_time () + (gint64) self->sample_interval_ms * 1000;
  g_source_set_ready_time (self->sample_source, self->next_sample_us);
  g_source_attach (self->sample_source, NULL);
  mw_migration_job_sample_now (self);
}

/* ---- the backend's events ------------------------------------------------------------------ */

static void
on_migration_iteration_cb (MwJobBackend   *backend,
                           int             iteration,
                           MwMigrationJob *self)
{
  if (!mw_migration_job_is_migrating (self))
    return;

  /* The exact time a pass began; the history's own PASS marking (from samples) then skips it. */
  if (iteration > 0 && (guint) iteration > self->passes)
    {
      self->passes = iteration;
      mw_sample_history_add_event (self->history, g_get_monotonic_time (),
                                   MW_HISTORY_EVENT_PASS, iteration, NULL);
    }
  /* An event marks a change: one more sample as soon as possible. */
  mw_migration_job_sample_now (self);
}

static void
on_job_completed_cb (MwJobBackend      *backend,
                     const MwJobSample *completed,
                     MwMigrationJob    *self)
{
  MwJobSample sample = *completed;

  if (self->have_completed_sample)
    return;
  if (!self->migration_running && self->state != MW_MIGRATION_JOB_STATE_VERIFYING)
    return;

  /* The completed job's own statistics: downtime, and nothing left to copy. */
  sample.state = MW_JOB_STATE_COMPLETED;
  self->have_completed_sample = TRUE;
  if ((sample.have & MW_JOB_HAVE_DOWNTIME) != 0)
    self->downtime_ms = (gint64) sample.downtime_ms;
  if ((sample.have & MW_JOB_HAVE_DOWNTIME_NET) != 0)
    self->downtime_net_ms = (gint64) sample.downtime_net_ms;
  if (sample.data_processed > 0)
    self->last_data_processed = sample.data_processed;
  mw_sample_history_push (self->history, &sample);
  mw_sample_history_add_event (self->history, sample.time_us, MW_HISTORY_EVENT_COMPLETED,
                               0, NULL);
}

static void
on_postcopy_started_cb (MwJobBackend   *backend,
                        MwMigrationJob *self)
{
  if (!mw_migration_job_is_migrating (self) || self->state == MW_MIGRATION_JOB_STATE_POSTCOPY)
    return;

  mw_sample_history_add_event (self->history, g_get_monotonic_time (),
                               MW_HISTORY_EVENT_POSTCOPY, 0, NULL);
  mw_migration_job_change_state (self, MW_MIGRATION_JOB_STATE_POSTCOPY);
  mw_migration_job_sample_now (self);
}

/* The source's domain says its post-copy broke off: the call returns soon, and the verdict
 * pauses the job even if a host cannot be asked then. */
static void
on_postcopy_failed_cb (MwJobBackend   *backend,
                       MwMigrationJob *self)
{
  if (!mw_migration_job_is_migrating (self))
    return;
  g_message ("libvirt says the post-copy of %s broke off", self->domain_name);
  self->postcopy_failed_event = TRUE;
}

static void
on_connection_lost_cb (MwJobBackend   *backend,
                       gboolean        destination,
                       int             reason,
                       MwMigrationJob *self)
{
  g_autofree char *text = NULL;

  /* Paused: nothing runs to stop, but the connection must be opened again before the hosts
   * can be asked (a restarted daemon never answers on the old one). */
  if (self->state == MW_MIGRATION_JOB_STATE_POSTCOPY_PAUSED)
    {
      g_message ("The connection to %s was lost while the post-copy waits (reason %d)",
                 destination ? self->destination_host : self->source_host, reason);
      mw_migration_job_mark_connection_dead (self, destination);
      return;
    }
  if (!mw_migration_job_is_migrating (self))
    return;

  if (destination)
    text = g_strdup_printf (_("The connection to the destination host %s was lost"),
                            self->destination_host);
  else
    {
      text = g_strdup_printf (_("The source host’s libvirt (%s) stopped answering during the "
                                "migration"), self->source_host);
      self->source_lost = TRUE;
    }
  g_message ("%s (reason %d)", text, reason);
  /* Should the post-copy pause now, the hosts are asked through a connection opened again. */
  mw_migration_job_mark_connection_dead (self, destination);
  g_clear_pointer (&self->migrate_error_message, g_free);
  self->migrate_error_message = g_strdup (text);

  /* A client-driven migration only notices a dead destination at its very end (in the lab:
   * minutes later): stop it now, so the guest keeps running on the source. */
  if (destination && self->state == MW_MIGRATION_JOB_STATE_RUNNING)
    mw_migration_job_request_abort (self);
}

void
mw_migration_job_connect_backend (MwMigrationJob *self)
{
  g_signal_connect_object (self->backend, "migration-iteration",
                           G_CALLBACK (on_migration_iteration_cb), self, 0);
  g_signal_connect_object (self->backend, "job-completed",
                           G_CALLBACK (on_job_completed_cb), self, 0);
  g_signal_connect_object (self->backend, "postcopy-started",
                           G_CALLBACK (on_postcopy_started_cb), self, 0);
  g_signal_connect_object (self->backend, "postcopy-failed",
                           G_CALLBACK (on_postcopy_failed_cb), self, 0);
  g_signal_connect_object (self->backend, "connection-lost",
                           G_CALLBACK (on_connection_lost_cb), self, 0);
}
