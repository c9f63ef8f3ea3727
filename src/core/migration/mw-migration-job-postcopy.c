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
 *
 * A host's connection that dies while the job waits (its libvirt daemon restarted, say after
 * an update) is opened again before the next look (mw_job_backend_reopen_async), and what the
 * hosts say is read afresh, the destination's libvirt version included.
 *
 * Where no recovery can work — the destination runs a libvirt whose daemon crashes on a
 * resume (11.2, 11.3: mw_libvirt_crashes_on_postcopy_resume) — the job says so from the start
 * of post-copy: Pause post-copy is refused, Recover is not offered, a `--postcopy-recover` run
 * fails before any call (which would kill the destination's daemon), and a stalled post-copy
 * is left to go on rather than paused. Such a daemon can be updated and restarted while the
 * guest waits: the reopened connection then reads the new version, and Recover is offered.
 * Main thread.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "mw-migration-caps.h"
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

/* What to do on a destination whose libvirt crashes on a resume, after why not. */
static char *
impossible_remedy (MwMigrationJob *self)
{
  /* Translators: "hostb"; follows the sentence saying which libvirt crashes. */
  return g_strdup_printf (_("Update libvirt on %s to a release without that bug and restart "
                            "its daemon (the paused guest survives that); then recover the "
                            "migration."), self->destination_host);
}

void
mw_migration_job_update_recover_offer (MwMigrationJob *self)
{
  const MwVerifyFindings *found = self->found;
  g_autofree char *blocker = NULL;

  if (self->state == MW_MIGRATION_JOB_STATE_POSTCOPY && self->recovery_impossible != NULL)
    {
      set_recover_offer (self, FALSE, self->recovery_impossible);
      return;
    }
  if (self->state != MW_MIGRATION_JOB_STATE_POSTCOPY_PAUSED)
    {
      set_recover_offer (self, FALSE, NULL);
      return;
    }
  if (self->recovering)
    blocker = g_strdup (_("A recovery is under way."));
  else if (self->recovery_impossible != NULL)
    {
      g_autofree char *remedy = impossible_remedy (self);

      blocker = g_strdup_printf ("%s %s", self->recovery_impossible, remedy);
    }
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

void
mw_migration_job_set_destination_libvirt (MwMigrationJob *self,
                                          gulong          version)
{
  g_autofree char *why = NULL;

  if (version == 0 || version == self->destination_libvirt)
    return;
  self->destination_libvirt = version;
  why = mw_migration_caps_postcopy_recovery_why_not (self->destination_host, version);
  if (g_strcmp0 (why, self->recovery_impossible) == 0)
    return;
  if (why != NULL)
    g_message ("%s", why);
  else if (self->recovery_impossible != NULL)
    g_message ("%s now runs libvirt %lu: a post-copy can be recovered there",
               self->destination_host, version);
  g_free (self->recovery_impossible);
  self->recovery_impossible = g_steal_pointer (&why);
  mw_migration_job_update_recover_offer (self);
}

static void on_watch_tick_cb (gpointer user_data);

void
mw_migration_job_mark_connection_dead (MwMigrationJob *self,
                                       gboolean        destination)
{
  if (destination)
    self->destination_dead = TRUE;
  else
    self->source_dead = TRUE;
  /* Waiting: the next look (which opens it again first) comes now, not a tick later. */
  if (self->state == MW_MIGRATION_JOB_STATE_POSTCOPY_PAUSED && self->paused_watch_id != 0)
    {
      g_clear_handle_id (&self->paused_watch_id, g_source_remove);
      self->paused_watch_id = g_idle_add_once (on_watch_tick_cb, self);
    }
}

/* ---- watching both hosts while paused ----------------------------------------------------- */

static void on_watch_tick_cb (gpointer user_data);

static void
schedule_watch (MwMigrationJob *self)
{
  g_clear_handle_id (&self->paused_watch_id, g_source_remove);
  self->paused_watch_id = g_timeout_add_once (self->paused_watch_ms, on_watch_tick_cb, self);
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
  mw_migration_job_update_recover_offer (self);
  schedule_watch (self);
}

static void
ask_both_hosts (MwMigrationJob *self)
{
  mw_job_backend_verify_async (self->backend, self->domain_name, TRUE, FALSE, self->cancellable,
                               on_watch_done_cb, g_object_ref (self));
}

static void
on_reopen_done_cb (GObject      *source,
                   GAsyncResult *res,
                   gpointer      user_data)
{
  g_autoptr(MwMigrationJob) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree MwJobReopened *reopened = NULL;

  reopened = mw_job_backend_reopen_finish (MW_JOB_BACKEND (source), res, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* the job is going away */
  if (self->state != MW_MIGRATION_JOB_STATE_POSTCOPY_PAUSED || self->recovering)
    {
      self->watch_in_flight = FALSE;
      return;
    }
  if (reopened == NULL)
    /* Still not answering: the look below says so, and the next tick tries again. */
    g_debug ("Job %s: could not reopen a host: %s", self->domain_name, error->message);
  else
    {
      if (reopened->source)
        {
          g_message ("The connection to %s was opened again", self->source_host);
          self->source_dead = FALSE;
        }
      if (reopened->destination)
        {
          g_message ("The connection to %s was opened again", self->destination_host);
          self->destination_dead = FALSE;
        }
      mw_migration_job_set_destination_libvirt (self, reopened->destination_libvirt);
    }
  ask_both_hosts (self);
}

static void
on_watch_tick_cb (gpointer user_data)
{
  MwMigrationJob *self = user_data;
  const MwVerifyFindings *found = self->found;
  gboolean source;
  gboolean destination;

  self->paused_watch_id = 0;
  if (self->watch_in_flight)
    {
      schedule_watch (self);
      return;
    }
  self->watch_in_flight = TRUE;
  /* A connection said lost, or a host that did not answer the last look: its connection may
   * be dead for good (a restarted daemon never answers on the old one). The backend keeps a
   * live one. */
  source = self->source_dead || (found != NULL && found->src_unreachable);
  destination = self->destination_dead || (found != NULL && found->dest_unreachable);
  if (source || destination)
    mw_job_backend_reopen_async (self->backend, self->domain_name, source, destination,
                                 self->cancellable, on_reopen_done_cb, g_object_ref (self));
  else
    ask_both_hosts (self);
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
  if (!self->options->postcopy_resume)
    return FALSE;
  /* The call would kill the destination's libvirt daemon, and recover nothing. */
  if (self->recovery_impossible != NULL)
    {
      g_autofree char *remedy = impossible_remedy (self);

      mw_migration_job_fail (self, g_error_new (MW_MIGRATION_JOB_ERROR,
                                                MW_MIGRATION_JOB_ERROR_CANNOT_RECOVER, "%s %s",
                                                self->recovery_impossible, remedy));
      return TRUE;
    }
  /* A recovery from the paused state (Recover) knows both hosts already. */
  if (self->postcopy_seen)
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
  if (self->recovery_impossible != NULL)
    {
      g_autofree char *remedy = impossible_remedy (self);
      g_autofree char *what = NULL;

      what = g_strdup_printf (_("The migration of “%s” broke off in post-copy. The guest is "
                                "paused on %s, and part of its memory is still on %s, so "
                                "nothing is lost yet. Do not stop or reboot either host."),
                              self->domain_name, self->destination_host, self->source_host);
      self->paused_message = g_strjoin (" ", what, self->recovery_impossible, remedy, NULL);
    }
  else
    self->paused_message =
      g_strdup_printf (_("The migration of “%s” broke off in post-copy. The guest is paused on "
                         "%s, and part of its memory is still on %s, so nothing is lost yet. Do "
                         "not stop or reboot either host: once both answer again, recover the "
                         "migration to finish it."),
                       self->domain_name, self->destination_host, self->source_host);
  g_message ("%s (%s)", self->paused_message,
             self->error != NULL ? self->error->message : "no error");

  mw_migration_job_change_state (self, MW_MIGRATION_JOB_STATE_POSTCOPY_PAUSED);
  mw_migration_job_update_recover_offer (self);
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
  mw_migration_job_update_recover_offer (self);
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
  /* Paused, it could only stay so. */
  if (self->recovery_impossible != NULL)
    {
      mw_migration_job_emit_action_failed (self, self->recovery_impossible);
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
  /* Paused, it could only stay so; a stream that stalled on a link that drops packets went on
   * by itself once the link was back (the lab, 2026-12-05). */
  if (self->recovery_impossible != NULL)
    {
      g_message ("The post-copy of %s moved no data for the stall timeout; not pausing it: %s",
                 self->domain_name, self->recovery_impossible);
      return;
    }
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
mw_migration_job_get_recovery_impossible (MwMigrationJob *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_JOB (self), NULL);

  return self->recovery_impossible;
}

const char *
mw_migration_job_get_recover_blocker (MwMigrationJob *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_JOB (self), NULL);

  return self->recover_blocker;
}
