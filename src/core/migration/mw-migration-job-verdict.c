/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-job-verdict.c: how a migration job ends — both hosts asked where the guest is,
 * volumes made for a guest that did not arrive removed, the pinger's tail, the verdict (from
 * what the hosts said, never from the migration call alone), the result and the report.
 * Main thread. */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mw-migration-job-private.h"
#include "mw-migration-summary.h"

/* ---- the verdict ------------------------------------------------------------------------------- */

void
mw_migration_job_result_free (MwMigrationJobResult *result)
{
  if (result == NULL)
    return;
  g_free (result->error_message);
  g_free (result->summary);
  g_free (result);
}

void
mw_migration_job_clear_timeouts (MwMigrationJob *self)
{
  g_clear_handle_id (&self->lead_in_id, g_source_remove);
  mw_migration_job_stop_sampling (self);
  g_clear_handle_id (&self->pinger_tail_id, g_source_remove);
  g_clear_handle_id (&self->settle_id, g_source_remove);
  g_clear_handle_id (&self->postcopy_after_id, g_source_remove);
  mw_migration_job_stop_watching (self);
}

/* Replies to pings sent after the migration call returned. */
static guint
count_answered_after_call (MwMigrationJob *self)
{
  gint64 end_rel_us = self->call_end_us - mw_sample_history_get_start_us (self->history);
  guint n = mw_pinger_get_n_records (self->pinger);
  guint answered = 0;

  for (guint i = 0; i < n; i++)
    {
      const MwPingRecord *record = mw_pinger_get_record (self->pinger, i);

      if (record->rtt_us >= 0 && record->sent_us >= end_rel_us)
        answered++;
    }
  return answered;
}

/* The probes lost in a row at the end (after the last reply; those still waiting not counted). */
static guint
count_lost_at_end (MwMigrationJob *self)
{
  guint n = mw_pinger_get_n_records (self->pinger);
  guint lost = 0;

  for (guint i = n; i > 0; i--)
    {
      const MwPingRecord *record = mw_pinger_get_record (self->pinger, i - 1);

      if (record->rtt_us >= 0)
        break;
      if (record->lost)
        lost++;
    }
  return lost;
}

/* Silent: no reply since the call returned, or not answering at the end (an outage still
 * going on when the job stops looking). */
static gboolean
guest_is_silent (MwMigrationJob *self)
{
  return count_answered_after_call (self) == 0
         || count_lost_at_end (self) >= MW_JOB_PING_SILENT_RUN;
}

static void
fill_result (MwMigrationJob       *self,
             MwMigrationJobResult *result)
{
  MwVerifyFindings none = { 0 };
  const MwVerifyFindings *found = self->found != NULL ? self->found : &none;
  MwSummaryContext summary = {
    self->domain_name, self->source_host, self->destination_host,
    self->options->mode == MW_MIGRATION_MODE_OFFLINE, self->migration_started,
  };

  result->on_destination = found->dest_active;
  result->persistent_on_destination = found->dest_exists && found->dest_persistent;
  result->on_source = found->src_active;
  result->defined_on_source = found->src_exists;
  result->destination_unreachable = found->dest_unreachable;
  result->source_unreachable = found->src_unreachable;
  result->leftover_on_destination = found->dest_leftover;
  result->nothing_to_recover = self->nothing_to_recover;
  result->total_ms = self->total_ms;
  result->downtime_ms = result->state == MW_MIGRATION_JOB_STATE_SUCCEEDED ? self->downtime_ms
                                                                          : -1;
  result->downtime_net_ms = result->state == MW_MIGRATION_JOB_STATE_SUCCEEDED
                              ? self->downtime_net_ms : -1;
  result->data_transferred = self->last_data_processed;
  /* The history's figure, as the live page and the report show it: it includes the completed
   * job's statistics, which come after the last sample. */
  result->passes = (guint) MAX ((guint64) self->passes,
                                mw_sample_history_get_passes (self->history));
  result->pings_sent = self->pinger != NULL ? mw_pinger_get_n_records (self->pinger) : 0;
  result->pings_lost = self->pinger != NULL ? mw_pinger_get_lost (self->pinger) : 0;
  result->longest_ping_gap_us = self->pinger != NULL
                                  ? mw_pinger_get_longest_gap_us (self->pinger) : -1;
  if (self->pinger != NULL && self->migration_started)
    {
      result->pings_answered_after = count_answered_after_call (self);
      result->pings_lost_at_end = count_lost_at_end (self);
      result->guest_silent = guest_is_silent (self);
    }
  if (self->error != NULL)
    result->error_message = g_strdup (self->error->message);
  result->summary = mw_migration_summary (result, &summary);
  /* What the user did to the running migration belongs to what happened. */
  {
    g_autofree char *remedies = mw_remedies_taken_describe (self->history);

    if (remedies != NULL)
      {
        char *with = g_strconcat (result->summary, " ", remedies, NULL);

        g_free (result->summary);
        result->summary = with;
      }
  }
}

/* Once verification and the ping tail are over (or PREPARING failed). */
static void
conclude (MwMigrationJob      *self,
          MwMigrationJobState  state)
{
  g_autoptr(GObject) guard = g_object_ref (G_OBJECT (self));
  gint64 now = g_get_monotonic_time ();

  g_assert (self->result == NULL);
  mw_migration_job_clear_timeouts (self);
  if (self->pinger != NULL && mw_pinger_is_running (self->pinger))
    mw_pinger_stop (self->pinger);
  mw_job_backend_release (self->backend);

  self->result = g_new0 (MwMigrationJobResult, 1);
  self->result->state = state;
  fill_result (self, self->result);

  if (state == MW_MIGRATION_JOB_STATE_CANCELLED)
    {
      if (self->migration_started)
        mw_sample_history_add_event (self->history, now, MW_HISTORY_EVENT_CANCELLED, 0, NULL);
    }
  else if (state != MW_MIGRATION_JOB_STATE_SUCCEEDED)
    mw_sample_history_add_event (self->history, now, MW_HISTORY_EVENT_FAILED, 0,
                                 self->result->error_message);

  g_debug ("Job %s: %s", self->domain_name, self->result->summary);
  mw_migration_job_change_state (self, state);
  mw_migration_job_emit_finished (self);
}

void
mw_migration_job_fail (MwMigrationJob *self,
                       GError         *error)
{
  g_clear_error (&self->error);
  self->error = error;
  conclude (self, MW_MIGRATION_JOB_STATE_FAILED);
}

char *
mw_migration_job_explain_error (MwMigrationJob *self,
                                const GError   *error)
{
  const char *text = error->message;

  if (strstr (text, "No space left on device") != NULL)
    return g_strdup_printf (_("%s has no space left for the guest’s data"),
                            self->destination_host);
  if (strstr (text, "Cannot allocate memory") != NULL
      || strstr (text, "cannot set up guest memory") != NULL)
    return g_strdup_printf (_("%s does not have enough free memory for the guest"),
                            self->destination_host);
  return NULL;
}

/* The source could not be asked afterwards: its libvirt went away during the migration,
 * whatever the call returned, and that is the cause to tell. */
static void
blame_lost_source (MwMigrationJob *self)
{
  g_autofree char *cause = NULL;

  if (self->found == NULL || !self->found->src_unreachable || self->error == NULL
      || g_error_matches (self->error, MW_MIGRATION_JOB_ERROR,
                          MW_MIGRATION_JOB_ERROR_SOURCE_LOST))
    return;
  cause = g_strdup (self->error->message);
  g_clear_error (&self->error);
  self->error = g_error_new (MW_MIGRATION_JOB_ERROR, MW_MIGRATION_JOB_ERROR_SOURCE_LOST,
                             _("The source host’s libvirt (%s) stopped answering during the "
                               "migration (%s)"), self->source_host, cause);
}

/* Peer-to-peer, the source's libvirt lost the destination's and said so in its own words: the
 * destination's daemon went away when it could not be asked afterwards, else the link between
 * the hosts did (this program still reached the destination over its own connection). */
static void
blame_lost_peer (MwMigrationJob *self)
{
  const char *text;
  g_autofree char *sentence = NULL;
  GError *explained;

  if (self->error == NULL || self->migrate_error_message != NULL || self->found == NULL
      || self->options->connection == MW_MIGRATION_CONNECTION_CLIENT)
    return;
  text = self->error->message;
  if (strstr (text, "Lost connection to destination host") == NULL
      && strstr (text, "keepalive timeout") == NULL
      && strstr (text, "client socket is closed") == NULL
      && strstr (text, "Connection timed out") == NULL
      && strstr (text, "No route to host") == NULL)
    return;

  if (self->found->dest_unreachable)
    sentence = g_strdup_printf (_("The destination host’s libvirt (%s) stopped answering during "
                                  "the migration"), self->destination_host);
  else
    sentence = g_strdup_printf (_("%s lost its connection to %s during the migration: the "
                                  "network between the two hosts failed or is blocked"),
                                self->source_host, self->destination_host);
  explained = g_error_new (self->error->domain, self->error->code, "%s (%s)", sentence, text);
  g_clear_error (&self->error);
  self->error = explained;
}

/* The verdict: from what both hosts said, never from the migration call alone. */
static MwMigrationJobState
decide (MwMigrationJob *self)
{
  const MwVerifyFindings *found = self->found;
  gboolean arrived;

  /* Started as a recovery, found finished already: the guest's place is the whole verdict. */
  if (self->nothing_to_recover)
    return found->dest_active && !found->src_active ? MW_MIGRATION_JOB_STATE_SUCCEEDED
                                                    : MW_MIGRATION_JOB_STATE_FAILED;
  if (!self->migration_started || self->cancel_before_start)
    return MW_MIGRATION_JOB_STATE_CANCELLED;
  blame_lost_source (self);
  blame_lost_peer (self);
  if (g_error_matches (self->error, MW_MIGRATION_JOB_ERROR, MW_MIGRATION_JOB_ERROR_SOURCE_LOST))
    return MW_MIGRATION_JOB_STATE_FAILED;
  /* Stopped because a connection died is a failure with its cause, not the user's cancel. */
  if (self->error != NULL)
    return self->abort_requested && self->migrate_error_message == NULL
             ? MW_MIGRATION_JOB_STATE_CANCELLED : MW_MIGRATION_JOB_STATE_FAILED;

  arrived = self->options->mode == MW_MIGRATION_MODE_OFFLINE
              ? found->dest_exists && found->dest_persistent
              : found->dest_active;
  if (!arrived && found->dest_check_error != NULL)
    self->error = g_error_new (MW_MIGRATION_JOB_ERROR, MW_MIGRATION_JOB_ERROR_VERIFY,
                               _("libvirt reported success, but the destination could "
                                 "not be asked whether the guest runs there (%s)"),
                               found->dest_check_error);
  else if (!arrived)
    self->error = g_error_new (MW_MIGRATION_JOB_ERROR, MW_MIGRATION_JOB_ERROR_VERIFY,
                               _("libvirt reported success, but “%s” does not run on "
                                 "the destination"), self->domain_name);
  /* A live guest that also still runs on the source has not moved: two copies, one disk. */
  if (arrived && self->options->mode == MW_MIGRATION_MODE_LIVE && found->src_active)
    {
      self->error = g_error_new (MW_MIGRATION_JOB_ERROR, MW_MIGRATION_JOB_ERROR_VERIFY,
                                 _("libvirt reported success, but “%s” runs on both hosts"),
                                 self->domain_name);
      return MW_MIGRATION_JOB_STATE_FAILED;
    }
  return arrived ? MW_MIGRATION_JOB_STATE_SUCCEEDED : MW_MIGRATION_JOB_STATE_FAILED;
}

void
mw_migration_job_conclude_from_findings (MwMigrationJob *self)
{
  conclude (self, decide (self));
}

static void
maybe_conclude (MwMigrationJob *self)
{
  if (!self->verify_done || !self->tail_done || self->result != NULL)
    return;
  /* Not an end: the guest waits on the destination for the rest of its memory. */
  if (mw_migration_job_postcopy_broke_off (self))
    {
      mw_migration_job_enter_paused (self);
      return;
    }
  conclude (self, decide (self));
}

/* ---- verification -------------------------------------------------------------------------- */

static void
on_volumes_removed_cb (GObject      *source,
                       GAsyncResult *res,
                       gpointer      user_data)
{
  g_autoptr(MwMigrationJob) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!mw_job_backend_remove_volumes_finish (MW_JOB_BACKEND (source), res, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->n_created_volumes = 0;
  self->verify_done = TRUE;
  maybe_conclude (self);
}

static void
on_verify_done_cb (GObject      *source,
                   GAsyncResult *res,
                   gpointer      user_data)
{
  g_autoptr(MwMigrationJob) self = user_data;
  MwVerifyFindings *found;
  g_autoptr(GError) error = NULL;

  found = mw_job_backend_verify_finish (MW_JOB_BACKEND (source), res, &error);
  if (found == NULL)
    return;  /* cancelled: the job is going away */
  g_clear_pointer (&self->found, mw_verify_findings_free);
  self->found = found;

  if (found->have_completed)
    {
      if ((found->completed.have & MW_JOB_HAVE_DOWNTIME) != 0)
        self->downtime_ms = (gint64) found->completed.downtime_ms;
      if ((found->completed.have & MW_JOB_HAVE_DOWNTIME_NET) != 0)
        self->downtime_net_ms = (gint64) found->completed.downtime_net_ms;
      if (found->completed.data_processed > 0)
        self->last_data_processed = found->completed.data_processed;
      if (!self->have_completed_sample)
        {
          self->have_completed_sample = TRUE;
          found->completed.state = MW_JOB_STATE_COMPLETED;
          mw_sample_history_push (self->history, &found->completed);
        }
    }

  /* A failed step leaves the host as it was: volumes made for a guest that did not arrive go.
   * Not when the destination could not be asked: they may hold a running guest's disks. */
  if (self->n_created_volumes > 0 && !found->dest_unreachable && !found->dest_exists)
    {
      mw_job_backend_remove_volumes_async (self->backend, self->cancellable,
                                           on_volumes_removed_cb, g_object_ref (self));
      return;
    }
  self->verify_done = TRUE;
  maybe_conclude (self);
}

static void
on_pinger_tail_cb (gpointer user_data)
{
  MwMigrationJob *self = user_data;
  gint64 since_end_ms = (g_get_monotonic_time () - self->call_end_us) / 1000;

  /* The guest does not answer (yet): give it a while before saying so. */
  if (self->pinger != NULL && self->migration_started && self->error == NULL
      && guest_is_silent (self) && since_end_ms < MW_JOB_PING_SILENT_WAIT_MS)
    {
      self->pinger_tail_id = g_timeout_add_once (MW_JOB_PING_RECHECK_MS, on_pinger_tail_cb,
                                                 self);
      return;
    }

  self->pinger_tail_id = 0;
  if (self->pinger != NULL)
    mw_pinger_stop (self->pinger);
  self->tail_done = TRUE;
  maybe_conclude (self);
}

void
mw_migration_job_begin_verify (MwMigrationJob *self)
{
  gboolean ok;

  mw_migration_job_change_state (self, MW_MIGRATION_JOB_STATE_VERIFYING);
  self->verify_done = self->tail_done = FALSE;
  /* A post-copy call that failed may leave the guest paused, to be recovered: the pinger goes
   * on (the end stops it). */
  if (self->postcopy_seen && self->error != NULL)
    self->tail_done = TRUE;
  else if (self->pinger != NULL && mw_pinger_is_running (self->pinger))
    self->pinger_tail_id = g_timeout_add_once (MW_JOB_PING_TAIL_MS, on_pinger_tail_cb, self);
  else
    self->tail_done = TRUE;

  ok = self->migration_started && self->error == NULL && !self->abort_requested
       && !self->cancel_before_start;
  mw_job_backend_verify_async (self->backend, self->domain_name, self->migration_started, ok,
                               self->cancellable, on_verify_done_cb, g_object_ref (self));
}


/* ---- report -------------------------------------------------------------------------------- */

MwReport *
mw_migration_job_create_report (MwMigrationJob *self)
{
  MwReportInfo info = { 0 };

  g_return_val_if_fail (MW_IS_MIGRATION_JOB (self), NULL);

  info.domain_name = self->domain_name;
  info.source_uri = self->source_uri;
  info.source_host = self->source_host;
  info.destination_uri = self->destination_uri;
  info.destination_host = self->destination_host;
  info.peer_uri = self->peer_uri;
  /* What the user chose; a remedy's change is in the summary's remedies. */
  info.options = self->requested_options;
  info.forecast = self->forecast;
  info.passes = self->result != NULL ? self->result->passes : self->passes;
  info.started = self->started;
  info.downtime_ms = self->downtime_ms;
  info.downtime_net_ms = self->downtime_net_ms;
  /* The report's total is the summary's and the window's: the job's timing of the call. */
  info.call_ms = self->total_ms;
  switch (self->state)
    {
    case MW_MIGRATION_JOB_STATE_SUCCEEDED:
      info.outcome = MW_REPORT_OUTCOME_COMPLETED;
      break;
    case MW_MIGRATION_JOB_STATE_FAILED:
      info.outcome = MW_REPORT_OUTCOME_FAILED;
      info.outcome_message = self->error != NULL ? self->error->message : NULL;
      /* Not libvirt's figure for a job that did not complete. */
      info.downtime_ms = -1;
      info.downtime_net_ms = -1;
      break;
    case MW_MIGRATION_JOB_STATE_CANCELLED:
      info.outcome = MW_REPORT_OUTCOME_CANCELLED;
      info.outcome_message = self->error != NULL ? self->error->message : NULL;
      info.downtime_ms = -1;
      info.downtime_net_ms = -1;
      break;
    case MW_MIGRATION_JOB_STATE_READY:
    case MW_MIGRATION_JOB_STATE_PREPARING:
    case MW_MIGRATION_JOB_STATE_RUNNING:
    case MW_MIGRATION_JOB_STATE_POSTCOPY:
    case MW_MIGRATION_JOB_STATE_POSTCOPY_PAUSED:
    case MW_MIGRATION_JOB_STATE_VERIFYING:
    default:
      info.outcome = MW_REPORT_OUTCOME_UNKNOWN;
      break;
    }

  return mw_report_new (&info, self->history, self->pinger);
}

