/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-job.c: one migration from PREPARING to the proof (see mw-migration-job.h) — the
 * state machine. The hosts are behind an MwJobBackend (libvirt, or a scripted fake in the unit
 * tests); sampling and events are in mw-migration-job-progress.c, actions and remedies in
 * mw-migration-job-actions.c.
 *
 * Threads: the MwMigrationJob, its history, pinger and convergence belong to the main thread;
 * so do the backend's callbacks and signals. Every backend call holds a reference to the job
 * until its callback ran; dispose cancels them, and a cancelled result is dropped.
 *
 * PREPARING   backend prepare (a recovery then asks both hosts: mw-migration-job-postcopy.c);
 *             the pinger starts one second ahead of the call
 * RUNNING     the migration call; samples at the interval, one in flight
 * POSTCOPY    after the switch (event or action)
 * POSTCOPY_PAUSED  a post-copy broke off: both hosts watched until Recover (mw-migration-job-
 *             postcopy.c) calls again with VIR_MIGRATE_POSTCOPY_RESUME → POSTCOPY
 * VERIFYING   the call returned (or never started): both hosts are asked where the guest is;
 *             volumes prepare created go when the guest is not on the destination; the pinger
 *             keeps going two seconds
 * SUCCEEDED, FAILED, CANCELLED   `finished`, once; the backend lets go of the hosts
 */

#include "config.h"

#include <glib/gi18n.h>

#include "mw-core-enums.h"
#include "mw-job-backend-libvirt.h"
#include "mw-migration-job-private.h"
#include "mw-uri.h"

#define DEFAULT_SAMPLE_INTERVAL_MS 250
#define HISTORY_CAPACITY           (4 * 3600 * 4)  /* four hours at 4 Hz */

G_DEFINE_FINAL_TYPE (MwMigrationJob, mw_migration_job, G_TYPE_OBJECT)

G_DEFINE_QUARK (mw-migration-job-error-quark, mw_migration_job_error)

enum
{
  PROP_0,
  PROP_SOURCE_URI,
  PROP_DESTINATION_URI,
  PROP_DOMAIN_NAME,
  PROP_OPTIONS,
  PROP_STATE,
  PROP_HISTORY,
  PROP_PINGER,
  PROP_CONVERGENCE,
  PROP_PEER_URI,
  PROP_SAMPLE_INTERVAL,
  PROP_PING_ADDRESS,
  PROP_BACKEND,
  PROP_CAN_RECOVER,
  PROP_RECOVER_BLOCKER,
  PROP_PAUSED_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_FINISHED,
  SIGNAL_ACTION_FAILED,
  SIGNAL_REMEDY_DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* libvirt's test driver invents guests, and their addresses (192.168.0.x): nothing there
 * answers, and a probe would go to a real network. */
static gboolean
is_test_driver_uri (const char *uri_text)
{
  g_autoptr(MwUri) uri = mw_uri_parse (uri_text, NULL);

  return uri != NULL && uri->hypervisor == MW_HYPERVISOR_TEST;
}

void
mw_migration_job_change_state (MwMigrationJob      *self,
                               MwMigrationJobState  state)
{
  if (self->state == state)
    return;

  g_debug ("Job %s: state %d -> %d", self->domain_name, self->state, state);
  self->state = state;
  if (state == MW_MIGRATION_JOB_STATE_POSTCOPY)
    self->postcopy_seen = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  /* Where no recovery can work, post-copy says so (Pause refused); out of it, nothing. */
  if (state != MW_MIGRATION_JOB_STATE_POSTCOPY_PAUSED && self->recovery_impossible != NULL)
    mw_migration_job_update_recover_offer (self);
}

void
mw_migration_job_emit_remedy_done (MwMigrationJob *self,
                                   MwRemedy        remedy,
                                   gboolean        taken)
{
  g_signal_emit (self, signals[SIGNAL_REMEDY_DONE], 0, remedy, taken);
}

void
mw_migration_job_emit_action_failed (MwMigrationJob *self,
                                     const char     *message)
{
  /* Refused before any call: the remedy is done too. */
  if (self->applying_remedy != MW_REMEDY_NONE)
    mw_migration_job_emit_remedy_done (self, self->applying_remedy, FALSE);
  g_signal_emit (self, signals[SIGNAL_ACTION_FAILED], 0, message);
}

gboolean
mw_migration_job_is_migrating (MwMigrationJob *self)
{
  return self->migration_running
         && (self->state == MW_MIGRATION_JOB_STATE_RUNNING
             || self->state == MW_MIGRATION_JOB_STATE_POSTCOPY);
}

void
mw_migration_job_emit_finished (MwMigrationJob *self)
{
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
}

void
mw_migration_job_notify_paused (MwMigrationJob *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED_MESSAGE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECOVER_BLOCKER]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_RECOVER]);
  g_object_thaw_notify (G_OBJECT (self));
}

void
mw_migration_job_update_convergence (MwMigrationJob *self)
{
  g_clear_pointer (&self->convergence, mw_convergence_free);
  self->convergence = mw_convergence_assess (self->history, &self->context);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONVERGENCE]);
}

/* ---- the migration call -------------------------------------------------------------------- */

static void
on_settle_cb (gpointer user_data)
{
  mw_migration_job_start_call (user_data);
}


/* The options' post-copy timer: the switch happens once, if the migration is still in its
 * pre-copy then (a migration that finished sooner needs none). The timer is cleared with the
 * job's other timeouts, so self is alive whenever it runs. */
static void
on_postcopy_after_cb (gpointer user_data)
{
  MwMigrationJob *self = user_data;

  self->postcopy_after_id = 0;
  if (self->state == MW_MIGRATION_JOB_STATE_RUNNING)
    mw_migration_job_start_postcopy (self);
}
static void
on_migrate_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(MwMigrationJob) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = mw_job_backend_migrate_finish (MW_JOB_BACKEND (source), result, &error);
  if (self->result != NULL || g_cancellable_is_cancelled (self->cancellable))
    return;

  self->call_end_us = g_get_monotonic_time ();
  self->total_ms += (self->call_end_us - self->call_start_us) / 1000;
  self->migration_running = FALSE;
  mw_migration_job_stop_sampling (self);

  if (!ok && self->restart_pending != MW_REMEDY_NONE)
    {
      g_debug ("Aborted for a restart: %s", error->message);
      mw_migration_job_schedule_restart (self);
      /* The guest settles on the source before the second attempt. */
      mw_migration_job_change_state (self, MW_MIGRATION_JOB_STATE_PREPARING);
      self->settle_id = g_timeout_add_once (MW_JOB_RESTART_SETTLE_MS, on_settle_cb, self);
      return;
    }

  if (!ok)
    {
      g_autofree char *explained = NULL;

      g_clear_error (&self->error);
      if (self->migrate_error_message == NULL)
        explained = mw_migration_job_explain_error (self, error);
      if (self->source_lost)
        self->error = g_error_new (MW_MIGRATION_JOB_ERROR, MW_MIGRATION_JOB_ERROR_SOURCE_LOST,
                                   "%s (%s)", self->migrate_error_message, error->message);
      else if (self->migrate_error_message != NULL || explained != NULL)
        self->error = g_error_new (error->domain, error->code, "%s (%s)",
                                   explained != NULL ? explained : self->migrate_error_message,
                                   error->message);
      else
        self->error = g_error_copy (error);
    }
  mw_migration_job_begin_verify (self);
}

void
mw_migration_job_start_call (MwMigrationJob *self)
{
  const char *dest_uri = NULL;

  self->settle_id = 0;
  if (self->cancel_before_start)
    {
      mw_migration_job_begin_verify (self);
      return;
    }

  if (self->options->connection != MW_MIGRATION_CONNECTION_CLIENT)
    dest_uri = self->peer_uri != NULL ? self->peer_uri : self->destination_uri;

  self->migration_running = TRUE;
  self->migration_started = TRUE;
  self->saw_running_sample = FALSE;
  self->sample_in_flight = FALSE;
  self->call_start_us = g_get_monotonic_time ();
  /* A recovery resumes the post-copy where it broke off. */
  if (self->options->postcopy_resume)
    mw_migration_job_change_state (self, MW_MIGRATION_JOB_STATE_POSTCOPY);
  else
    {
      self->passes = 0;
      self->postcopy_seen = FALSE;
      mw_migration_job_change_state (self, MW_MIGRATION_JOB_STATE_RUNNING);
      /* The options' timer, as the printed virsh line's `--timeout N --timeout-postcopy`: from
       * the start of the migration call, for the CLI and the window alike. */
      g_clear_handle_id (&self->postcopy_after_id, g_source_remove);
      if (self->options->postcopy && self->options->postcopy_after_s > 0)
        self->postcopy_after_id = g_timeout_add_once (self->options->postcopy_after_s * 1000,
                                                      on_postcopy_after_cb, self);
    }
  mw_migration_job_update_convergence (self);

  /* Not cancellable: once started, only an abort stops a migration. */
  mw_job_backend_migrate_async (self->backend, self->domain_name, dest_uri, self->options, NULL,
                                on_migrate_done_cb, g_object_ref (self));
  mw_migration_job_start_sampling (self);
}

static void
on_lead_in_cb (gpointer user_data)
{
  MwMigrationJob *self = user_data;

  self->lead_in_id = 0;
  mw_migration_job_start_call (self);
}

/* ---- start --------------------------------------------------------------------------------- */

/* TRUE when the pinger runs and the call waits for its lead-in. */
static gboolean
start_pinger (MwMigrationJob *self,
              gint64          now)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (self->ping_address == NULL)
    return FALSE;
  if (is_test_driver_uri (self->source_uri))
    {
      mw_migration_job_emit_action_failed (self, _("Guests of libvirt’s test driver are not "
                                                   "real machines: MigWizard does not ping "
                                                   "them."));
      return FALSE;
    }

  self->pinger = mw_pinger_new (self->ping_address, MW_JOB_PING_INTERVAL_MS,
                                MW_JOB_PING_TIMEOUT_MS);
  if (mw_pinger_start (self->pinger, now, &error))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PINGER]);
      self->lead_in_id = g_timeout_add_once (MW_JOB_PING_LEAD_IN_MS, on_lead_in_cb, self);
      return TRUE;
    }

  text = g_strdup_printf (_("The guest cannot be pinged: %s"), error->message);
  g_message ("%s", text);
  mw_migration_job_emit_action_failed (self, text);
  g_clear_object (&self->pinger);
  return FALSE;
}

static void
on_prepare_done_cb (GObject      *source,
                    GAsyncResult *res,
                    gpointer      user_data)
{
  g_autoptr(MwMigrationJob) self = user_data;
  g_autoptr(MwJobPrepared) prepared = NULL;
  g_autofree char *explained = NULL;
  GError *error = NULL;

  prepared = mw_job_backend_prepare_finish (MW_JOB_BACKEND (source), res, &error);
  if (prepared == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_error_free (error);
          return;
        }
      explained = mw_migration_job_explain_error (self, error);
      if (explained != NULL)
        {
          GError *wrapped = g_error_new (error->domain, error->code, "%s (%s)", explained,
                                         error->message);

          g_error_free (error);
          error = wrapped;
        }
      mw_migration_job_fail (self, error);
      return;
    }

  self->prepared = TRUE;
  self->n_created_volumes = prepared->n_created_volumes;
  mw_migration_job_set_destination_libvirt (self, prepared->destination_libvirt);
  if (g_strcmp0 (prepared->canonical_name, self->domain_name) != 0)
    {
      g_free (self->domain_name);
      self->domain_name = g_steal_pointer (&prepared->canonical_name);
    }

  if (self->cancel_before_start)
    {
      mw_migration_job_begin_verify (self);
      return;
    }
  if (!mw_migration_job_check_before_resume (self))
    mw_migration_job_begin_call (self);
}

void
mw_migration_job_begin_call (MwMigrationJob *self)
{
  gint64 now = g_get_monotonic_time ();

  mw_sample_history_set_start_us (self->history, now);
  if (!start_pinger (self, now))
    mw_migration_job_start_call (self);
}

void
mw_migration_job_start (MwMigrationJob *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (MW_IS_MIGRATION_JOB (self));
  g_return_if_fail (self->state == MW_MIGRATION_JOB_STATE_READY);

  self->started = g_date_time_new_now_local ();
  mw_migration_job_change_state (self, MW_MIGRATION_JOB_STATE_PREPARING);

  if (!mw_migration_options_validate (self->options, &error))
    {
      mw_migration_job_fail (self, g_steal_pointer (&error));
      return;
    }

  mw_job_backend_prepare_async (self->backend, self->domain_name, self->options,
                                self->cancellable, on_prepare_done_cb, g_object_ref (self));
}

/* ---- GObject ------------------------------------------------------------------------------- */

static void
mw_migration_job_constructed (GObject *object)
{
  MwMigrationJob *self = MW_MIGRATION_JOB (object);

  G_OBJECT_CLASS (mw_migration_job_parent_class)->constructed (object);

  if (self->options == NULL)
    self->options = mw_migration_options_new_defaults ();
  self->requested_options = mw_migration_options_copy (self->options);
  mw_convergence_context_init_from_options (&self->context, self->options);
  self->source_host = mw_uri_get_host_label (self->source_uri);
  self->destination_host = mw_uri_get_host_label (self->destination_uri);
  if (self->backend == NULL)
    self->backend = mw_job_backend_libvirt_new (self->source_uri, self->destination_uri);
  mw_migration_job_connect_backend (self);
}

static void
mw_migration_job_dispose (GObject *object)
{
  MwMigrationJob *self = MW_MIGRATION_JOB (object);

  g_cancellable_cancel (self->cancellable);
  mw_migration_job_clear_timeouts (self);
  if (self->pinger != NULL && mw_pinger_is_running (self->pinger))
    mw_pinger_stop (self->pinger);
  if (self->backend != NULL)
    {
      /* Disconnected here, on this thread: left to the closures' invalidation at the end of
       * dispose, they race with the backend's own finalisation when a worker drops its last
       * reference (GLib: "invalid_closure_notify: assertion failed (handler != NULL)"). */
      g_signal_handlers_disconnect_by_data (self->backend, self);
      mw_job_backend_release (self->backend);
    }
  g_clear_object (&self->backend);
  g_clear_object (&self->pinger);
  g_clear_object (&self->history);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (mw_migration_job_parent_class)->dispose (object);
}

static void
mw_migration_job_finalize (GObject *object)
{
  MwMigrationJob *self = MW_MIGRATION_JOB (object);

  g_free (self->source_uri);
  g_free (self->destination_uri);
  g_free (self->domain_name);
  g_free (self->peer_uri);
  g_free (self->ping_address);
  g_free (self->source_host);
  g_free (self->destination_host);
  g_free (self->migrate_error_message);
  g_free (self->paused_message);
  g_free (self->recover_blocker);
  g_free (self->recovery_impossible);
  g_clear_pointer (&self->found, mw_verify_findings_free);
  g_clear_pointer (&self->options, mw_migration_options_free);
  g_clear_pointer (&self->requested_options, mw_migration_options_free);
  g_clear_pointer (&self->forecast, mw_forecast_free);
  g_clear_pointer (&self->convergence, mw_convergence_free);
  g_clear_pointer (&self->result, mw_migration_job_result_free);
  g_clear_pointer (&self->started, g_date_time_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (mw_migration_job_parent_class)->finalize (object);
}

static void
mw_migration_job_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MwMigrationJob *self = MW_MIGRATION_JOB (object);

  switch (prop_id)
    {
    case PROP_SOURCE_URI:
      g_value_set_string (value, self->source_uri);
      break;
    case PROP_DESTINATION_URI:
      g_value_set_string (value, self->destination_uri);
      break;
    case PROP_DOMAIN_NAME:
      g_value_set_string (value, self->domain_name);
      break;
    case PROP_OPTIONS:
      g_value_set_boxed (value, self->options);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;
    case PROP_PINGER:
      g_value_set_object (value, self->pinger);
      break;
    case PROP_CONVERGENCE:
      g_value_set_boxed (value, self->convergence);
      break;
    case PROP_PEER_URI:
      g_value_set_string (value, self->peer_uri);
      break;
    case PROP_SAMPLE_INTERVAL:
      g_value_set_uint (value, self->sample_interval_ms);
      break;
    case PROP_PING_ADDRESS:
      g_value_set_string (value, self->ping_address);
      break;
    case PROP_BACKEND:
      g_value_set_object (value, self->backend);
      break;
    case PROP_CAN_RECOVER:
      g_value_set_boolean (value, self->can_recover);
      break;
    case PROP_RECOVER_BLOCKER:
      g_value_set_string (value, self->recover_blocker);
      break;
    case PROP_PAUSED_MESSAGE:
      g_value_set_string (value, mw_migration_job_get_paused_message (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_migration_job_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  MwMigrationJob *self = MW_MIGRATION_JOB (object);

  switch (prop_id)
    {
    case PROP_SOURCE_URI:
      self->source_uri = g_value_dup_string (value);
      break;
    case PROP_DESTINATION_URI:
      self->destination_uri = g_value_dup_string (value);
      break;
    case PROP_DOMAIN_NAME:
      self->domain_name = g_value_dup_string (value);
      break;
    case PROP_OPTIONS:
      self->options = g_value_dup_boxed (value);
      break;
    case PROP_PEER_URI:
      mw_migration_job_set_peer_uri (self, g_value_get_string (value));
      break;
    case PROP_SAMPLE_INTERVAL:
      mw_migration_job_set_sample_interval (self, g_value_get_uint (value));
      break;
    case PROP_PING_ADDRESS:
      mw_migration_job_set_ping_address (self, g_value_get_string (value));
      break;
    case PROP_BACKEND:
      self->backend = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_migration_job_class_init (MwMigrationJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = mw_migration_job_constructed;
  object_class->dispose = mw_migration_job_dispose;
  object_class->finalize = mw_migration_job_finalize;
  object_class->get_property = mw_migration_job_get_property;
  object_class->set_property = mw_migration_job_set_property;

  properties[PROP_SOURCE_URI] =
    g_param_spec_string ("source-uri", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESTINATION_URI] =
    g_param_spec_string ("destination-uri", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DOMAIN_NAME] =
    g_param_spec_string ("domain-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OPTIONS] =
    g_param_spec_boxed ("options", NULL, NULL, MW_TYPE_MIGRATION_OPTIONS,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, MW_TYPE_MIGRATION_JOB_STATE,
                       MW_MIGRATION_JOB_STATE_READY,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL, MW_TYPE_SAMPLE_HISTORY,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PINGER] =
    g_param_spec_object ("pinger", NULL, NULL, MW_TYPE_PINGER,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONVERGENCE] =
    g_param_spec_boxed ("convergence", NULL, NULL, MW_TYPE_CONVERGENCE,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PEER_URI] =
    g_param_spec_string ("peer-uri", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SAMPLE_INTERVAL] =
    g_param_spec_uint ("sample-interval", NULL, NULL, 10, 60000, DEFAULT_SAMPLE_INTERVAL_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PING_ADDRESS] =
    g_param_spec_string ("ping-address", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* Who talks to the hosts; NULL (the default) for libvirt. For the unit tests' fake. */
  properties[PROP_BACKEND] =
    g_param_spec_object ("backend", NULL, NULL, MW_TYPE_JOB_BACKEND,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /* A paused post-copy: can it be recovered now, why not, and what to tell the user
   * (mw_migration_job_get_can_recover and the two getters after it). */
  properties[PROP_CAN_RECOVER] =
    g_param_spec_boolean ("can-recover", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RECOVER_BLOCKER] =
    g_param_spec_string ("recover-blocker", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAUSED_MESSAGE] =
    g_param_spec_string ("paused-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MwMigrationJob::finished:
   *
   * The job is over (SUCCEEDED, FAILED or CANCELLED); get_result () is valid. Emitted once.
   */
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * MwMigrationJob::action-failed:
   * @message: one translated sentence, libvirt's text included
   *
   * An action on the running migration (abort, a remedy) failed; the migration goes on.
   */
  signals[SIGNAL_ACTION_FAILED] =
    g_signal_new ("action-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * MwMigrationJob::remedy-done:
   * @remedy: the #MwRemedy
   * @taken: its call returned success (then the history has a REMEDY event); FALSE: it failed
   *   and action-failed follows
   *
   * The call of a remedy asked for with apply_remedy () returned.
   */
  signals[SIGNAL_REMEDY_DONE] =
    g_signal_new ("remedy-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, MW_TYPE_REMEDY, G_TYPE_BOOLEAN);
}

static void
mw_migration_job_init (MwMigrationJob *self)
{
  self->state = MW_MIGRATION_JOB_STATE_READY;
  self->sample_interval_ms = DEFAULT_SAMPLE_INTERVAL_MS;
  self->stall_timeout_s = MW_MIGRATION_JOB_DEFAULT_STALL_TIMEOUT_S;
  self->paused_watch_ms = MW_JOB_PAUSED_WATCH_MS;
  self->history = mw_sample_history_new (HISTORY_CAPACITY);
  self->cancellable = g_cancellable_new ();
  self->downtime_ms = -1;
  self->downtime_net_ms = -1;
}

/* ---- public accessors ---------------------------------------------------------------------- */

MwMigrationJob *
mw_migration_job_new (const char               *source_uri,
                      const char               *destination_uri,
                      const char               *domain_name,
                      const MwMigrationOptions *options)
{
  g_return_val_if_fail (source_uri != NULL, NULL);
  g_return_val_if_fail (destination_uri != NULL, NULL);
  g_return_val_if_fail (domain_name != NULL, NULL);

  return g_object_new (MW_TYPE_MIGRATION_JOB,
                       "source-uri", source_uri,
                       "destination-uri", destination_uri,
                       "domain-name", domain_name,
                       "options", options,
                       NULL);
}

MwMigrationJob *
mw_migration_job_new_with_backend (MwJobBackend             *backend,
                                   const char               *source_uri,
                                   const char               *destination_uri,
                                   const char               *domain_name,
                                   const MwMigrationOptions *options)
{
  g_return_val_if_fail (MW_IS_JOB_BACKEND (backend), NULL);

  return g_object_new (MW_TYPE_MIGRATION_JOB,
                       "backend", backend,
                       "source-uri", source_uri,
                       "destination-uri", destination_uri,
                       "domain-name", domain_name,
                       "options", options,
                       NULL);
}

const char *
mw_migration_job_get_source_uri (MwMigrationJob *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_JOB (self), NULL);
  return self->source_uri;
}

const char *
mw_migration_job_get_destination_uri (MwMigrationJob *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_JOB (self), NULL);
  return self->destination_uri;
}

const char *
mw_migration_job_get_domain_name (MwMigrationJob *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_JOB (self), NULL);
  return self->domain_name;
}

const MwMigrationOptions *
mw_migration_job_get_options (MwMigrationJob *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_JOB (self), NULL);
  return self->options;
}

const MwMigrationOptions *
mw_migration_job_get_requested_options (MwMigrationJob *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_JOB (self), NULL);
  return self->requested_options;
}

void
mw_migration_job_set_forecast (MwMigrationJob   *self,
                               const MwForecast *forecast)
{
  g_return_if_fail (MW_IS_MIGRATION_JOB (self));

  g_clear_pointer (&self->forecast, mw_forecast_free);
  if (forecast != NULL)
    self->forecast = mw_forecast_copy (forecast);
}

const MwForecast *
mw_migration_job_get_forecast (MwMigrationJob *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_JOB (self), NULL);
  return self->forecast;
}

MwMigrationJobState
mw_migration_job_get_state (MwMigrationJob *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_JOB (self), MW_MIGRATION_JOB_STATE_READY);
  return self->state;
}

gboolean
mw_migration_job_get_abort_requested (MwMigrationJob *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_JOB (self), FALSE);
  return self->abort_requested;
}

MwSampleHistory *
mw_migration_job_get_history (MwMigrationJob *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_JOB (self), NULL);
  return self->history;
}

MwPinger *
mw_migration_job_get_pinger (MwMigrationJob *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_JOB (self), NULL);
  return self->pinger;
}

const MwConvergence *
mw_migration_job_get_convergence (MwMigrationJob *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_JOB (self), NULL);
  return self->convergence;
}

const GError *
mw_migration_job_get_error (MwMigrationJob *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_JOB (self), NULL);
  return self->error;
}

const MwMigrationJobResult *
mw_migration_job_get_result (MwMigrationJob *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_JOB (self), NULL);
  return self->result;
}

void
mw_migration_job_set_peer_uri (MwMigrationJob *self,
                               const char     *peer_uri)
{
  g_return_if_fail (MW_IS_MIGRATION_JOB (self));

  if (g_strcmp0 (self->peer_uri, peer_uri) == 0)
    return;
  g_free (self->peer_uri);
  self->peer_uri = g_strdup (peer_uri);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PEER_URI]);
}

void
mw_migration_job_set_sample_interval (MwMigrationJob *self,
                                      guint           interval_ms)
{
  g_return_if_fail (MW_IS_MIGRATION_JOB (self));
  g_return_if_fail (interval_ms >= 10);

  if (self->sample_interval_ms == interval_ms)
    return;
  self->sample_interval_ms = interval_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAMPLE_INTERVAL]);
}

void
mw_migration_job_set_stall_timeout (MwMigrationJob *self,
                                    guint           seconds)
{
  g_return_if_fail (MW_IS_MIGRATION_JOB (self));

  self->stall_timeout_s = seconds;
}

void
mw_migration_job_set_ping_address (MwMigrationJob *self,
                                   const char     *address)
{
  g_return_if_fail (MW_IS_MIGRATION_JOB (self));

  if (g_strcmp0 (self->ping_address, address) == 0)
    return;
  g_free (self->ping_address);
  self->ping_address = g_strdup (address);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PING_ADDRESS]);
}
