/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-job-postcopy.c: a post-copy migration that broke off, and how it is finished.
 *
 * Once the guest runs on the destination in post-copy, the pages it has not received yet are
 * only on the source: a migration that breaks off then (the link between the hosts, a host
 * that stops answering, Pause post-copy) cannot go back. libvirt (≥ 8.5 with QEMU) pauses it
 * instead: the source's domain is paused with reason POSTCOPY_FAILED, the destination's paused
 * or running with that reason, and the migration can be resumed with
 * VIR_MIGRATE_POSTCOPY | VIR_MIGRATE_POSTCOPY_RESUME and the flags of the run that broke.
 *
 * The job decides "paused" from what both hosts said after the call returned (never from the
 * call alone), asks both again every MW_JOB_PAUSED_WATCH_MS, and offers Recover (property
 * `can-recover`) while both answer. A recovery that fails lands here again; one the hosts
 * finished by themselves (another client resumed it) ends the job with the usual verdict.
 * A job started as a recovery (`mig-wizard-cli migrate … --postcopy-recover`) asks both hosts
 * before the call: a post-copy that finished meanwhile (QEMU's stream outlived a cut link and
 * completed by itself) ends it at once, the guest on the destination, nothing to recover.
 * Main thread.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "mw-migration-job-private.h"

/* ---- deciding ---------------------------------------------------------------------------- */

gboolean
mw_migration_job_postcopy_broke_off (MwMigrationJob *self)
{
  const MwVerifyFindings *found = self->found;

  if (!self->postcopy_seen || self->error == NULL || found == NULL || self->cancel_before_start)
    return FALSE;
  /* The destination answers and has no guest: its QEMU is gone, there is nothing to resume. */
  if (!found->dest_unreachable && !found->dest_exists)
    return FALSE;
  return found->dest_postcopy_failed || found->src_postcopy_failed
         || self->postcopy_failed_event
         /* A host that cannot be asked may hold the paused half: keep watching. */
         || found->dest_unreachable || found->src_unreachable;
}

/* ---- the recover offer -------------------------------------------------------------------- */

static void
set_recover_offer (MwMigrationJob *self,
                   gboolean        can_recover,
                   const char     *blocker)
{
  gboolean changed = !self->can_recover != !can_recover
                     || g_strcmp0 (self->recover_blocker, blocker) != 0;

  g_free (self->recover_blocker);
  self->recover_blocker = g_strdup (blocker);
  self->can_recover = can_recover;
  if (changed)
    mw_migration_job_notify_paused (self);
}

/* From the latest findings. */
static void
update_recover_offer (MwMigrationJob *self)
{
  const MwVerifyFindings *found = self->found;
  g_autofree char *blocker = NULL;

  if (self->state != MW_MIGRATION_JOB_STATE_POSTCOPY_PAUSED)
    {
      set_recover_offer (self, FALSE, NULL);
      return;
    }
  if (self->recovering)
    blocker = g_strdup (_("A recovery is under way."));
  else if (found == NULL || (found->dest_unreachable && found->src_unreachable))
    blocker = g_strdup_printf (_("Waiting for %s and %s to answer again."), self->source_host,
                               self->destination_host);
  else if (found->dest_unreachable)
    blocker = g_strdup_printf (_("Waiting for %s to answer again."), self->destination_host);
  else if (found->src_unreachable)
    blocker = g_strdup_printf (_("Waiting for %s to answer again."), self->source_host);
  /* libvirt refuses to resume a side that still thinks the migration runs (in the lab the
   * destination's libvirt noticed the cut seconds after the source's). */
  else if (!found->dest_postcopy_failed)
    blocker = g_strdup_printf (_("Waiting for %s to notice that the migration broke off."),
                               self->destination_host);
  else if (!found->src_postcopy_failed)
    blocker = g_strdup_printf (_("Waiting for %s to notice that the migration broke off."),
                               self->source_host);
  set_recover_offer (self, blocker == NULL, blocker);
}

/* ---- watching both hosts while paused ----------------------------------------------------- */

static void on_watch_tick_cb (gpointer user_data);

static void
schedule_watch (MwMigrationJob *self)
{
  g_clear_handle_id (&self->paused_watch_id, g_source_remove);
  self->paused_watch_id = g_timeout_add_once (MW_JOB_PAUSED_WATCH_MS, on_watch_tick_cb, self);
}

void
mw_migration_job_stop_watching (MwMigrationJob *self)
{
  g_clear_handle_id (&self->paused_watch_id, g_source_remove);
}

/* Resumed by someone else meanwhile: the guest runs on the destination only, nothing paused. */
static gboolean
finished_elsewhere (const MwVerifyFindings *found)
{
  return !found->dest_unreachable && !found->src_unreachable && found->dest_active
         && !found->src_active && !found->dest_postcopy_failed && !found->src_postcopy_failed;
}

static void
on_watch_done_cb (GObject      *source,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  g_autoptr(MwMigrationJob) self = user_data;
  MwVerifyFindings *found;

  found = mw_job_backend_verify_finish (MW_JOB_BACKEND (source), res, NULL);
  if (found == NULL)
    return;  /* cancelled: the job is going away */
  self->watch_in_flight = FALSE;
  if (self->state != MW_MIGRATION_JOB_STATE_POSTCOPY_PAUSED || self->recovering)
    {
      mw_verify_findings_free (found);
      return;
    }

  g_clear_pointer (&self->found, mw_verify_findings_free);
  self->found = found;
  if (finished_elsewhere (found))
    {
      g_message ("The post-copy of %s was resumed and finished outside this job",
                 self->domain_name);
      g_clear_error (&self->error);
      mw_migration_job_conclude_from_findings (self);
      return;
    }
  update_recover_offer (self);
  schedule_watch (self);
}

static void
on_watch_tick_cb (gpointer user_data)
{
  MwMigrationJob *self = user_data;

  self->paused_watch_id = 0;
  if (self->watch_in_flight)
    {
      schedule_watch (self);
      return;
    }
  self->watch_in_flight = TRUE;
  mw_job_backend_verify_async (self->backend, self->domain_name, TRUE, FALSE, self->cancellable,
                               on_watch_done_cb, g_object_ref (self));
}

/* ---- a recovery started afresh (mig-wizard-cli … --postcopy-recover) ----------------------- */

static void
on_resume_check_done_cb (GObject      *source,
                         GAsyncResult *res,
                         gpointer      user_data)
{
  g_autoptr(MwMigrationJob) self = user_data;
  MwVerifyFindings *found;

  found = mw_job_backend_verify_finish (MW_JOB_BACKEND (source), res, NULL);
  if (found == NULL)
    return;  /* cancelled: the job is going away */

  if (finished_elsewhere (found))
    {
      /* The truth, not "not running on the source": it arrived, by itself or another client. */
      g_message ("The post-copy of %s finished before this recovery: nothing to recover",
                 self->domain_name);
      g_clear_pointer (&self->found, mw_verify_findings_free);
      self->found = found;
      self->nothing_to_recover = TRUE;
      mw_migration_job_conclude_from_findings (self);
      return;
    }
  /* Its memory is on the source, or nowhere: without the source's guest there is no call to
   * make (and no domain the backend could sample). */
  if (!found->src_exists)
    {
      GError *error;

      if (found->src_unreachable)
        error = g_error_new (MW_MIGRATION_JOB_ERROR, MW_MIGRATION_JOB_ERROR_DOMAIN,
                             _("%s could not be asked whether “%s” waits there to be "
                               "recovered. Try again once it answers."), self->source_host,
                             self->domain_name);
      else
        error = g_error_new (MW_MIGRATION_JOB_ERROR, MW_MIGRATION_JOB_ERROR_DOMAIN,
                             _("There is nothing to recover from: “%s” is no longer on %s, "
                               "where the rest of its memory would be, and it does not simply "
                               "run on %s. Look at both hosts."),
                             self->domain_name, self->source_host, self->destination_host);
      mw_verify_findings_free (found);
      mw_migration_job_fail (self, error);
      return;
    }
  /* Anything else is libvirt's to judge: it refuses a domain not waiting for recovery. */
  mw_verify_findings_free (found);
  mw_migration_job_begin_call (self);
}

gboolean
mw_migration_job_check_before_resume (MwMigrationJob *self)
{
  /* A recovery from the paused state (Recover) knows both hosts already. */
  if (!self->options->postcopy_resume || self->postcopy_seen)
    return FALSE;
  mw_job_backend_verify_async (self->backend, self->domain_name, FALSE, FALSE, self->cancellable,
                               on_resume_check_done_cb, g_object_ref (self));
  return TRUE;
}

/* ---- entering the pause ------------------------------------------------------------------- */

void
mw_migration_job_enter_paused (MwMigrationJob *self)
{
  gboolean recovery_failed = self->recovering;

  self->recovering = FALSE;
  self->postcopy_pause_requested = FALSE;
  self->abort_requested = FALSE;
  self->source_lost = FALSE;
  g_clear_pointer (&self->migrate_error_message, g_free);
  /* The next call resumes this one, with the same options. */
  self->options->postcopy_resume = TRUE;

  g_free (self->paused_message);
  self->paused_message =
    g_strdup_printf (_("The migration of “%s” broke off in post-copy. The guest is paused on "
                       "%s, and part of its memory is still on %s, so nothing is lost yet. Do "
                       "not stop or reboot either host: once both answer again, recover the "
                       "migration to finish it."),
                     self->domain_name, self->destination_host, self->source_host);
  g_message ("%s (%s)", self->paused_message,
             self->error != NULL ? self->error->message : "no error");

  mw_migration_job_change_state (self, MW_MIGRATION_JOB_STATE_POSTCOPY_PAUSED);
  update_recover_offer (self);
  mw_migration_job_notify_paused (self);
  schedule_watch (self);

  if (recovery_failed)
    {
      g_autofree char *text = NULL;

      text = g_strdup_printf (_("The recovery did not succeed, and the guest is still paused on "
                                "%s: %s"), self->destination_host,
                              self->error != NULL ? self->error->message : "");
      mw_migration_job_emit_action_failed (self, text);
    }
}

/* ---- the actions -------------------------------------------------------------------------- */

void
mw_migration_job_recover (MwMigrationJob *self)
{
  g_return_if_fail (MW_IS_MIGRATION_JOB (self));

  if (self->state != MW_MIGRATION_JOB_STATE_POSTCOPY_PAUSED)
    {
      mw_migration_job_emit_action_failed (self, _("No post-copy migration is paused, so there "
                                                   "is nothing to recover."));
      return;
    }
  if (!self->can_recover)
    {
      mw_migration_job_emit_action_failed (self, self->recover_blocker);
      return;
    }

  g_debug ("Job %s: recovering the post-copy", self->domain_name);
  mw_migration_job_stop_watching (self);
  self->recovering = TRUE;
  self->options->postcopy_resume = TRUE;
  g_clear_error (&self->error);
  update_recover_offer (self);
  mw_migration_job_start_call (self);
}

void
mw_migration_job_pause_postcopy (MwMigrationJob *self)
{
  g_return_if_fail (MW_IS_MIGRATION_JOB (self));

  if (self->state != MW_MIGRATION_JOB_STATE_POSTCOPY || !self->migration_running
      || !self->prepared)
    {
      mw_migration_job_emit_action_failed (self, _("Only a migration in post-copy can be "
                                                   "paused."));
      return;
    }
  self->postcopy_pause_requested = TRUE;
  mw_migration_job_run_action (self, MW_JOB_ACTION_POSTCOPY_PAUSE, 0, FALSE);
}

void
mw_migration_job_pause_stalled_postcopy (MwMigrationJob *self)
{
  if (self->postcopy_pause_requested || self->state != MW_MIGRATION_JOB_STATE_POSTCOPY
      || !self->migration_running)
    return;
  g_message ("The post-copy of %s moved no data for the stall timeout: pausing it",
             self->domain_name);
  self->postcopy_pause_requested = TRUE;
  mw_migration_job_run_action (self, MW_JOB_ACTION_POSTCOPY_PAUSE, 0, TRUE);
}

/* ---- accessors ---------------------------------------------------------------------------- */

const char *
mw_migration_job_get_paused_message (MwMigrationJob *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_JOB (self), NULL);

  return self->state == MW_MIGRATION_JOB_STATE_POSTCOPY_PAUSED ? self->paused_message : NULL;
}

gboolean
mw_migration_job_get_can_recover (MwMigrationJob *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_JOB (self), FALSE);

  return self->can_recover;
}

const char *
mw_migration_job_get_recover_blocker (MwMigrationJob *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_JOB (self), NULL);

  return self->recover_blocker;
}
