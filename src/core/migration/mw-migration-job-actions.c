/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-job-actions.c: what the user (or the job itself) does to a running migration —
 * abort, max downtime, bandwidth, post-copy — and the remedies built on them, including the
 * two that restart the migration with another option. Each action is one backend call; a
 * failure leaves the migration running and is reported through `action-failed`. Main thread. */

#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/virterror.h>

#include "mw-libvirt.h"
#include "mw-migration-job-private.h"

typedef struct
{
  MwMigrationJob *self;
  MwJobAction action;
  guint64 value;
  gboolean automatic;    /* not asked for by the user: no action-failed on failure */
  MwRemedy remedy;       /* the remedy this call carries out, else NONE */
} ActionData;

static void
action_data_free (ActionData *data)
{
  g_object_unref (data->self);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ActionData, action_data_free)

static gboolean
on_abort_retry_cb (gpointer user_data)
{
  MwMigrationJob *self = user_data;

  if (self->migration_running && self->prepared)
    {
      /* The abort of a RESTART remedy carries it on. */
      self->applying_remedy = self->restart_pending;
      mw_migration_job_run_action (self, MW_JOB_ACTION_ABORT, 0, TRUE);
      self->applying_remedy = MW_REMEDY_NONE;
    }
  return G_SOURCE_REMOVE;
}

static void
action_succeeded (MwMigrationJob *self,
                  ActionData     *action)
{
  gint64 now = g_get_monotonic_time ();

  switch (action->action)
    {
    case MW_JOB_ACTION_MAX_DOWNTIME:
      self->context.max_downtime_ms = (guint) action->value;
      self->options->max_downtime_ms = (guint) action->value;
      mw_sample_history_add_event (self->history, now, MW_HISTORY_EVENT_DOWNTIME_CHANGED,
                                   (gint64) action->value, NULL);
      break;
    case MW_JOB_ACTION_MAX_SPEED:
      self->context.bandwidth_mib_s = (guint) action->value;
      self->options->bandwidth_mib_s = (guint) action->value;
      mw_sample_history_add_event (self->history, now, MW_HISTORY_EVENT_SPEED_CHANGED,
                                   (gint64) action->value, NULL);
      break;
    case MW_JOB_ACTION_POSTCOPY:
      /* Usually the lifecycle event (SUSPENDED_POSTCOPY) was first; if not, mark it now. */
      if (self->state == MW_MIGRATION_JOB_STATE_RUNNING && self->migration_running)
        {
          mw_sample_history_add_event (self->history, now, MW_HISTORY_EVENT_POSTCOPY, 0, NULL);
          mw_migration_job_change_state (self, MW_MIGRATION_JOB_STATE_POSTCOPY);
        }
      break;
    case MW_JOB_ACTION_POSTCOPY_PAUSE:
      /* The call returns with an error now; the verdict finds the guest paused. */
    case MW_JOB_ACTION_ABORT:
    default:
      break;
    }
  if (self->convergence != NULL)
    mw_migration_job_update_convergence (self);
  mw_migration_job_sample_now (self);
}

static void
on_action_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ActionData) action = user_data;
  MwMigrationJob *self = action->self;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_monotonic_time ();

  if (mw_job_backend_act_finish (MW_JOB_BACKEND (source), result, &error))
    {
      action_succeeded (self, action);
      if (action->remedy != MW_REMEDY_NONE)
        {
          mw_sample_history_add_event (self->history, now, MW_HISTORY_EVENT_REMEDY,
                                       action->remedy, NULL);
          mw_migration_job_emit_remedy_done (self, action->remedy, TRUE);
        }
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Too early: the migration call runs, but libvirt has no job yet. */
  if (action->action == MW_JOB_ACTION_ABORT && self->migration_running
      && now - self->abort_asked_us < MW_JOB_ABORT_RETRY_FOR_US
      && (g_error_matches (error, MW_LIBVIRT_ERROR, VIR_ERR_OPERATION_INVALID)
          || g_error_matches (error, MW_LIBVIRT_ERROR, VIR_ERR_OPERATION_FAILED)))
    {
      g_debug ("Abort too early (%s); trying again", error->message);
      g_timeout_add_full (G_PRIORITY_DEFAULT, MW_JOB_ABORT_RETRY_MS, on_abort_retry_cb,
                          g_object_ref (self), g_object_unref);
      return;
    }

  g_message ("%s", error->message);
  if (action->remedy != MW_REMEDY_NONE)
    mw_migration_job_emit_remedy_done (self, action->remedy, FALSE);
  if (action->action == MW_JOB_ACTION_POSTCOPY_PAUSE && !action->automatic)
    self->postcopy_pause_requested = FALSE;
  if (action->action == MW_JOB_ACTION_ABORT)
    {
      self->abort_requested = FALSE;
      self->restart_pending = MW_REMEDY_NONE;
    }
  if (action->action == MW_JOB_ACTION_MAX_DOWNTIME && action->automatic)
    {
      if (!self->downtime_failure_seen)
        mw_migration_job_emit_action_failed (self, error->message);
      self->downtime_failure_seen = TRUE;
      return;
    }
  mw_migration_job_emit_action_failed (self, error->message);
}

void
mw_migration_job_run_action (MwMigrationJob *self,
                             MwJobAction     kind,
                             guint64         value,
                             gboolean        automatic)
{
  ActionData *action;

  g_assert (self->prepared);

  action = g_new0 (ActionData, 1);
  action->self = g_object_ref (self);
  action->action = kind;
  action->value = value;
  action->automatic = automatic;
  action->remedy = self->applying_remedy;
  mw_job_backend_act_async (self->backend, kind, value, self->cancellable, on_action_done_cb,
                            action);
}

static gboolean
check_action_allowed (MwMigrationJob *self)
{
  if (mw_migration_job_is_migrating (self) && self->prepared)
    return TRUE;

  mw_migration_job_emit_action_failed (self, _("No migration is running, so there is nothing "
                                               "to change."));
  return FALSE;
}

void
mw_migration_job_request_abort (MwMigrationJob *self)
{
  gint64 now = g_get_monotonic_time ();

  if (!self->abort_requested)
    mw_sample_history_add_event (self->history, now, MW_HISTORY_EVENT_ABORT_REQUESTED, 0, NULL);
  self->abort_requested = TRUE;
  self->abort_asked_us = now;
  mw_migration_job_run_action (self, MW_JOB_ACTION_ABORT, 0, FALSE);
}

void
mw_migration_job_abort (MwMigrationJob *self)
{
  g_return_if_fail (MW_IS_MIGRATION_JOB (self));

  /* Before the migration call: it simply never starts. */
  if (self->state == MW_MIGRATION_JOB_STATE_PREPARING && !self->migration_running)
    {
      self->cancel_before_start = TRUE;
      self->restart_pending = MW_REMEDY_NONE;
      if (self->lead_in_id != 0 || self->settle_id != 0)
        {
          g_clear_handle_id (&self->lead_in_id, g_source_remove);
          g_clear_handle_id (&self->settle_id, g_source_remove);
          mw_migration_job_begin_verify (self);
        }
      return;
    }

  if (!check_action_allowed (self))
    return;
  self->restart_pending = MW_REMEDY_NONE;
  mw_migration_job_request_abort (self);
}

void
mw_migration_job_set_max_downtime (MwMigrationJob *self,
                                   guint           downtime_ms)
{
  g_return_if_fail (MW_IS_MIGRATION_JOB (self));
  g_return_if_fail (downtime_ms > 0);

  if (!check_action_allowed (self))
    return;
  mw_migration_job_run_action (self, MW_JOB_ACTION_MAX_DOWNTIME, downtime_ms, FALSE);
}

void
mw_migration_job_set_bandwidth (MwMigrationJob *self,
                                guint           mib_s)
{
  g_return_if_fail (MW_IS_MIGRATION_JOB (self));

  if (!check_action_allowed (self))
    return;
  mw_migration_job_run_action (self, MW_JOB_ACTION_MAX_SPEED, mib_s, FALSE);
}

void
mw_migration_job_start_postcopy (MwMigrationJob *self)
{
  g_return_if_fail (MW_IS_MIGRATION_JOB (self));

  if (!check_action_allowed (self))
    return;
  if (!self->options->postcopy)
    {
      mw_migration_job_emit_action_failed (self, _("This migration was started without "
                                                   "post-copy. Restart it with post-copy "
                                                   "allowed to use it."));
      return;
    }
  if (self->state == MW_MIGRATION_JOB_STATE_POSTCOPY)
    return;
  mw_migration_job_run_action (self, MW_JOB_ACTION_POSTCOPY, 0, FALSE);
}

static void
apply_remedy (MwMigrationJob *self,
              MwRemedy        remedy)
{
  switch (remedy)
    {
    case MW_REMEDY_RAISE_DOWNTIME:
      {
        guint downtime = self->convergence != NULL ? self->convergence->suggested_downtime_ms : 0;

        if (downtime == 0)
          downtime = MAX (self->context.max_downtime_ms, MW_CONVERGENCE_DEFAULT_DOWNTIME_MS) * 4;
        mw_migration_job_set_max_downtime (self, downtime);
      }
      break;
    case MW_REMEDY_REMOVE_BANDWIDTH_CAP:
      mw_migration_job_set_bandwidth (self, 0);
      break;
    case MW_REMEDY_SWITCH_TO_POSTCOPY:
      mw_migration_job_start_postcopy (self);
      break;
    case MW_REMEDY_RESTART_AUTO_CONVERGE:
    case MW_REMEDY_RESTART_POSTCOPY:
      if (!check_action_allowed (self))
        return;
      if (self->state == MW_MIGRATION_JOB_STATE_POSTCOPY)
        {
          mw_migration_job_emit_action_failed (self, _("A migration in post-copy cannot be "
                                                       "restarted."));
          return;
        }
      self->restart_pending = remedy;
      mw_migration_job_request_abort (self);
      break;
    case MW_REMEDY_NONE:
    default:
      g_return_if_reached ();
    }
}

void
mw_migration_job_apply_remedy (MwMigrationJob *self,
                               MwRemedy        remedy)
{
  g_return_if_fail (MW_IS_MIGRATION_JOB (self));

  /* Its call carries the remedy: when it returns, remedy-done (and the history's event). */
  self->applying_remedy = remedy;
  apply_remedy (self, remedy);
  self->applying_remedy = MW_REMEDY_NONE;
}

/* After the aborted call of a RESTART remedy returned: the same migration again, with the
 * option on and the settings the user changed meanwhile, once the guest settled on the source. */
void
mw_migration_job_schedule_restart (MwMigrationJob *self)
{
  self->abort_requested = FALSE;
  if (self->restart_pending == MW_REMEDY_RESTART_AUTO_CONVERGE)
    self->options->auto_converge = TRUE;
  else
    self->options->postcopy = TRUE;
  self->restart_pending = MW_REMEDY_NONE;
  self->options->max_downtime_ms = self->context.max_downtime_ms;
  self->options->bandwidth_mib_s = self->context.bandwidth_mib_s;
  mw_convergence_context_init_from_options (&self->context, self->options);
}
