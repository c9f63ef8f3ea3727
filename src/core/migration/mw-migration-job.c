/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-job.c: one migration from PREPARING to the proof (see mw-migration-job.h).
 *
 * Threads: the MwMigrationJob, its history, pinger and convergence belong to the main thread.
 * Every libvirt call runs in a GTask worker that gets copied input plus its own references
 * (virConnectRef, virDomainRef) and hands a plain struct back. Only main-thread completion
 * callbacks touch the object.
 *
 * The job holds one connection to each host, opened by the prepare worker and closed (after
 * the event callbacks are deregistered) by a worker once the job is over. libvirt keeps an
 * EventContext as the opaque pointer of the domain events and close callbacks; it may outlive
 * the job, and points back to it only while the job watches (teardown clears `self`), so late
 * events are dropped.
 *
 * Sampling: a main-context timer starts a stats worker each interval unless one is in flight;
 * a pass or completion event asks for one more sample as soon as the current one is back.
 *
 * Bandwidth "unlimited": libvirt 9.0 passes virDomainMigrateSetMaxSpeed's MiB/s to QEMU 7.2's
 * max-bandwidth parameter as bytes/s. QEMU 7.2 treats 0 as "no limit" (its rate limiter only
 * applies a positive maximum), but libvirt itself stores "unlimited" as its maximum,
 * QEMU_DOMAIN_MIG_BANDWIDTH_MAX = INT64_MAX / 1 MiB = 8796093022207 MiB/s, which is what
 * `virsh migrate-getspeed` shows on a domain nobody capped. Both lift a cap here (measured in
 * the lab); the job sends libvirt's own figure, so the value reads back the same as "never
 * capped" and does not depend on how a QEMU version reads 0.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <libvirt/virterror.h>

#include "mw-core-enums.h"
#include "mw-libvirt.h"
#include "mw-migration.h"
#include "mw-migration-job.h"
#include "mw-migration-summary.h"
#include "mw-migration-verify.h"
#include "mw-migration-volumes.h"
#include "mw-uri.h"

#define DEFAULT_SAMPLE_INTERVAL_MS 250
#define HISTORY_CAPACITY           (4 * 3600 * 4)  /* four hours at 4 Hz */
#define PING_INTERVAL_MS           100
#define PING_TIMEOUT_MS            1000
#define PING_LEAD_IN_MS            1000
#define PING_TAIL_MS               2000
#define RESTART_SETTLE_MS          2000
/* An abort asked for right after the migration call began may come before libvirt has a job. */
#define ABORT_RETRY_MS             200
#define ABORT_RETRY_FOR_US         (10 * G_USEC_PER_SEC)
/* libvirt's "no cap" (QEMU_DOMAIN_MIG_BANDWIDTH_MAX in libvirt's qemu driver). */
#define BANDWIDTH_UNLIMITED_MIB_S  (G_MAXINT64 / (1024 * 1024))

typedef struct
{
  MwMigrationJob *self;  /* main thread only; NULL once the job stopped watching */
} EventContext;


struct _MwMigrationJob
{
  GObject parent_instance;

  /* Owned */
  char *source_uri;
  char *destination_uri;
  char *domain_name;
  char *peer_uri;
  char *ping_address;
  char *source_host;
  char *destination_host;
  MwMigrationOptions *options;     /* what the current (or next) migration call uses */
  MwMigrationJobState state;
  guint sample_interval_ms;
  MwSampleHistory *history;
  MwPinger *pinger;
  MwConvergence *convergence;
  MwConvergenceContext context;
  GError *error;
  MwMigrationJobResult *result;
  GDateTime *started;
  GCancellable *cancellable;       /* cancelled on dispose: late worker results are dropped */

  virConnectPtr sconn;
  virConnectPtr dconn;
  virDomainPtr sdom;
  int event_ids[3];                /* iteration, job-completed, lifecycle on sconn; -1 if none */
  gboolean close_registered[2];    /* close callbacks on sconn, dconn */
  EventContext *event_context;
  GArray *created_volumes;         /* MwCreatedVolume on the destination, removed on failure */

  guint lead_in_id;
  GSource *sample_source;          /* a steady tick: ready times step by the interval */
  gint64 next_sample_us;
  guint pinger_tail_id;
  guint settle_id;
  gboolean sample_in_flight;
  gboolean sample_again;
  gboolean migration_running;      /* a migrate worker is blocked in libvirt */
  gboolean migration_started;      /* a migrate call was made at least once */
  gboolean saw_running_sample;     /* of the current call: max downtime applied after it */
  gboolean abort_requested;
  gboolean cancel_before_start;
  gboolean downtime_failure_seen;
  gboolean have_completed_sample;
  MwRemedy restart_pending;
  guint passes;                    /* highest pass seen */
  gint64 call_start_us;
  gint64 call_end_us;
  gint64 total_ms;
  gint64 abort_asked_us;
  guint64 last_data_processed;
  gint64 downtime_ms;              /* from completed stats, -1 when none */
  char *migrate_error_message;
  gboolean verify_done;
  gboolean tail_done;
  struct
  {
    gboolean dest_exists, dest_active, dest_persistent;
    gboolean src_exists, src_active;
    gboolean dest_unreachable, src_unreachable;
    gboolean dest_leftover;        /* an unfinished incoming copy, paused (mw-leftover.h) */
    char *dest_check_error;
  } found;
};

G_DEFINE_FINAL_TYPE (MwMigrationJob, mw_migration_job, G_TYPE_OBJECT)

G_DEFINE_QUARK (mw-migration-job-error-quark, mw_migration_job_error)

/* libvirt's test driver invents guests, and their addresses (192.168.0.x): nothing there
 * answers, and a probe would go to a real network. */
static gboolean
is_test_driver_uri (const char *uri_text)
{
  g_autoptr(MwUri) uri = mw_uri_parse (uri_text, NULL);

  return uri != NULL && uri->hypervisor == MW_HYPERVISOR_TEST;
}


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
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_FINISHED,
  SIGNAL_ACTION_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_sample (MwMigrationJob *self);

static void
stop_sample_source (MwMigrationJob *self)
{
  if (self->sample_source == NULL)
    return;
  g_source_destroy (self->sample_source);
  g_clear_pointer (&self->sample_source, g_source_unref);
}

static void start_verify (MwMigrationJob *self);
static void start_migration_call (MwMigrationJob *self);
static void on_settle_cb (gpointer user_data);
static void request_abort (MwMigrationJob *self);

/* ---- EventContext ------------------------------------------------------------------------- */

static EventContext *
event_context_new (MwMigrationJob *self)
{
  EventContext *context = g_atomic_rc_box_new0 (EventContext);

  context->self = self;
  return context;
}

static EventContext *
event_context_ref (EventContext *context)
{
  return g_atomic_rc_box_acquire (context);
}

/* Also libvirt's virFreeCallback: any thread. */
static void
event_context_unref (void *data)
{
  g_atomic_rc_box_release (data);
}

/* ---- small helpers ------------------------------------------------------------------------ */


static char *
host_of_uri (const char *uri_text)
{
  g_autoptr(MwUri) uri = mw_uri_parse (uri_text, NULL);

  if (uri != NULL && uri->host != NULL)
    return g_strdup (uri->host);
  /* A test-driver node stands for a host of its own: "Demo: hosta". */
  if (uri != NULL && uri->hypervisor == MW_HYPERVISOR_TEST)
    return mw_uri_get_title (uri_text);
  if (uri != NULL && uri->transport == MW_TRANSPORT_LOCAL)
    return g_strdup (_("this computer"));
  return g_strdup (uri_text);
}

static void
set_state (MwMigrationJob      *self,
           MwMigrationJobState  state)
{
  if (self->state == state)
    return;

  g_debug ("Job %s: state %d -> %d", self->domain_name, self->state, state);
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
emit_action_failed (MwMigrationJob *self,
                    const char     *message)
{
  g_signal_emit (self, signals[SIGNAL_ACTION_FAILED], 0, message);
}

static gboolean
is_running_state (MwMigrationJob *self)
{
  return self->migration_running
         && (self->state == MW_MIGRATION_JOB_STATE_RUNNING
             || self->state == MW_MIGRATION_JOB_STATE_POSTCOPY);
}

/* ---- connections (workers) ---------------------------------------------------------------- */

/* Worker. */
static virConnectPtr
open_connection (const char  *uri_text,
                 const char  *what,
                 GError     **error)
{
  g_autofree char *prefix = g_strdup_printf (_("Could not connect to the %s host %s"), what,
                                             uri_text);

  return mw_libvirt_open (uri_text, prefix, error);
}

typedef struct
{
  EventContext *context;
  gboolean destination;
  int reason;
} LostData;

static void
lost_data_free (gpointer data)
{
  LostData *lost = data;

  event_context_unref (lost->context);
  g_free (lost);
}

static gboolean
on_lost_idle_cb (gpointer data)
{
  LostData *lost = data;
  MwMigrationJob *self = lost->context->self;
  g_autofree char *text = NULL;

  if (self == NULL || !is_running_state (self))
    return G_SOURCE_REMOVE;

  text = g_strdup_printf (lost->destination
                            ? _("The connection to the destination host %s was lost")
                            : _("The connection to the source host %s was lost"),
                          lost->destination ? self->destination_host : self->source_host);
  g_message ("%s (reason %d)", text, lost->reason);
  g_clear_pointer (&self->migrate_error_message, g_free);
  self->migrate_error_message = g_strdup (text);

  /* A client-driven migration only notices a dead destination at its very end (in the lab:
   * minutes later): stop it now, so the guest keeps running on the source. */
  if (lost->destination && self->state == MW_MIGRATION_JOB_STATE_RUNNING)
    request_abort (self);

  return G_SOURCE_REMOVE;
}

/* Any thread (also a worker blocked in a libvirt call): hands the loss to the main thread. */
static void
post_lost (void     *opaque,
           int       reason,
           gboolean  destination)
{
  LostData *lost = g_new0 (LostData, 1);

  lost->context = event_context_ref (opaque);
  lost->destination = destination;
  lost->reason = reason;
  g_idle_add_full (G_PRIORITY_DEFAULT, on_lost_idle_cb, lost, lost_data_free);
}

static void
on_source_closed_cb (virConnectPtr  conn,
                     int            reason,
                     void          *opaque)
{
  post_lost (opaque, reason, FALSE);
}

static void
on_destination_closed_cb (virConnectPtr  conn,
                          int            reason,
                          void          *opaque)
{
  post_lost (opaque, reason, TRUE);
}

/* ---- domain events (main thread, via gvir_event_register) --------------------------------- */

static void on_event_sample (MwMigrationJob *self);

static void
on_migration_iteration_cb (virConnectPtr  conn,
                           virDomainPtr   domain,
                           int            iteration,
                           void          *opaque)
{
  EventContext *context = opaque;
  MwMigrationJob *self = context->self;

  if (self == NULL || !is_running_state (self))
    return;

  /* The exact time a pass began; the history's own PASS marking (from samples) then skips it. */
  if (iteration > 0 && (guint) iteration > self->passes)
    {
      self->passes = iteration;
      mw_sample_history_add_event (self->history, g_get_monotonic_time (),
                                   MW_HISTORY_EVENT_PASS, iteration, NULL);
    }
  on_event_sample (self);
}

static void
on_job_completed_cb (virConnectPtr         conn,
                     virDomainPtr          domain,
                     virTypedParameterPtr  params,
                     int                   n_params,
                     void                 *opaque)
{
  EventContext *context = opaque;
  MwMigrationJob *self = context->self;
  MwJobSample sample;
  gint64 now = g_get_monotonic_time ();

  if (self == NULL || self->have_completed_sample)
    return;
  if (!self->migration_running && self->state != MW_MIGRATION_JOB_STATE_VERIFYING)
    return;

  /* The completed job's own statistics: downtime, and nothing left to copy. */
  mw_job_sample_from_params (&sample, VIR_DOMAIN_JOB_COMPLETED, params, n_params, now);
  sample.state = MW_JOB_STATE_COMPLETED;
  self->have_completed_sample = TRUE;
  if ((sample.have & MW_JOB_HAVE_DOWNTIME) != 0)
    self->downtime_ms = (gint64) sample.downtime_ms;
  if (sample.data_processed > 0)
    self->last_data_processed = sample.data_processed;
  mw_sample_history_push (self->history, &sample);
  mw_sample_history_add_event (self->history, now, MW_HISTORY_EVENT_COMPLETED, 0, NULL);
}

static void
on_lifecycle_cb (virConnectPtr  conn,
                 virDomainPtr   domain,
                 int            event,
                 int            detail,
                 void          *opaque)
{
  EventContext *context = opaque;
  MwMigrationJob *self = context->self;

  if (self == NULL || !is_running_state (self))
    return;

  if (event == VIR_DOMAIN_EVENT_SUSPENDED && detail == VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY
      && self->state != MW_MIGRATION_JOB_STATE_POSTCOPY)
    {
      mw_sample_history_add_event (self->history, g_get_monotonic_time (),
                                   MW_HISTORY_EVENT_POSTCOPY, 0, NULL);
      set_state (self, MW_MIGRATION_JOB_STATE_POSTCOPY);
      on_event_sample (self);
    }
}

/* ---- prepare (worker) ---------------------------------------------------------------------- */

typedef struct
{
  char *source_uri;
  char *destination_uri;
  char *domain_name;
  MwMigrationOptions *options;
  EventContext *context;
} PrepareData;

static void
prepare_data_free (gpointer data)
{
  PrepareData *prepare = data;

  g_free (prepare->source_uri);
  g_free (prepare->destination_uri);
  g_free (prepare->domain_name);
  mw_migration_options_free (prepare->options);
  event_context_unref (prepare->context);
  g_free (prepare);
}

typedef struct
{
  virConnectPtr sconn;
  virConnectPtr dconn;
  virDomainPtr sdom;
  int event_ids[3];
  gboolean close_registered[2];
  EventContext *context;        /* the reference the close callbacks hold */
  GArray *created_volumes;
  char *canonical_name;
} PrepareResult;


/* Worker: drops what was registered, deletes what was created when asked, closes. */
static void
release_connections (virConnectPtr  sconn,
                     virConnectPtr  dconn,
                     virDomainPtr   sdom,
                     const int     *event_ids,
                     const gboolean *close_registered,
                     EventContext  *context,
                     GArray        *volumes_to_delete)
{
  for (guint i = 0; i < 3; i++)
    if (sconn != NULL && event_ids[i] >= 0)
      virConnectDomainEventDeregisterAny (sconn, event_ids[i]);

  if (dconn != NULL && volumes_to_delete != NULL)
    mw_created_volumes_delete (dconn, volumes_to_delete);

  if (sdom != NULL)
    virDomainFree (sdom);
  if (sconn != NULL)
    {
      if (close_registered[0])
        {
          virConnectUnregisterCloseCallback (sconn, on_source_closed_cb);
          event_context_unref (context);
        }
      virConnectClose (sconn);
    }
  if (dconn != NULL)
    {
      if (close_registered[1])
        {
          virConnectUnregisterCloseCallback (dconn, on_destination_closed_cb);
          event_context_unref (context);
        }
      virConnectClose (dconn);
    }
  virResetLastError ();
}

static void
prepare_result_free (gpointer data)
{
  PrepareResult *result = data;

  /* Only a result nobody took still holds connections (the job went away meanwhile). */
  if (result->sconn != NULL || result->dconn != NULL)
    release_connections (result->sconn, result->dconn, result->sdom, result->event_ids,
                         result->close_registered, result->context, result->created_volumes);
  g_clear_pointer (&result->created_volumes, g_array_unref);
  g_free (result->canonical_name);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PrepareResult, prepare_result_free)

static virDomainPtr
lookup_domain (virConnectPtr  conn,
               const char    *name)
{
  if (g_uuid_string_is_valid (name))
    return virDomainLookupByUUIDString (conn, name);
  return virDomainLookupByName (conn, name);
}



static void
prepare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PrepareData *data = task_data;
  g_autoptr(PrepareResult) result = g_new0 (PrepareResult, 1);
  virDomainPtr ddom;
  virDomainInfo info;
  int persistent;
  GError *error = NULL;

  result->event_ids[0] = result->event_ids[1] = result->event_ids[2] = -1;
  result->created_volumes = mw_created_volumes_new ();
  result->context = data->context;

  result->sconn = open_connection (data->source_uri, _("source"), &error);
  if (result->sconn == NULL)
    goto failed;
  result->dconn = open_connection (data->destination_uri, _("destination"), &error);
  if (result->dconn == NULL)
    goto failed;

  result->sdom = lookup_domain (result->sconn, data->domain_name);
  if (result->sdom == NULL)
    {
      if (mw_libvirt_last_error_is (VIR_ERR_NO_DOMAIN))
        {
          virResetLastError ();
          g_set_error (&error, MW_MIGRATION_JOB_ERROR, MW_MIGRATION_JOB_ERROR_DOMAIN,
                       _("There is no virtual machine “%s” on the source host. Check its name, "
                         "or whether it was moved already."), data->domain_name);
        }
      else
        mw_libvirt_set_error (&error, _("Could not look the virtual machine up"));
      goto failed;
    }
  result->canonical_name = g_strdup (virDomainGetName (result->sdom));

  if (virDomainGetInfo (result->sdom, &info) < 0
      || (persistent = virDomainIsPersistent (result->sdom)) < 0)
    {
      mw_libvirt_set_error (&error, _("Could not read the virtual machine’s state"));
      goto failed;
    }
  if (data->options->mode == MW_MIGRATION_MODE_LIVE
      && info.state != VIR_DOMAIN_RUNNING && info.state != VIR_DOMAIN_PAUSED)
    {
      g_set_error (&error, MW_MIGRATION_JOB_ERROR, MW_MIGRATION_JOB_ERROR_DOMAIN,
                   _("“%s” is not running on the source host, and a live migration moves a "
                     "running guest. Start it first, or choose an offline migration."),
                   result->canonical_name);
      goto failed;
    }
  if (data->options->mode == MW_MIGRATION_MODE_OFFLINE && persistent != 1)
    {
      g_set_error (&error, MW_MIGRATION_JOB_ERROR, MW_MIGRATION_JOB_ERROR_DOMAIN,
                   _("“%s” is only a transient guest, and an offline migration moves a "
                     "definition. Choose a live migration instead."), result->canonical_name);
      goto failed;
    }

  /* Running on the destination already (same UUID): libvirt would refuse, say it plainly. */
  {
    char uuid[VIR_UUID_STRING_BUFLEN];

    if (virDomainGetUUIDString (result->sdom, uuid) == 0
        && (ddom = virDomainLookupByUUIDString (result->dconn, uuid)) != NULL)
      {
        int active = virDomainIsActive (ddom);

        virDomainFree (ddom);
        if (active == 1)
          {
            g_set_error (&error, MW_MIGRATION_JOB_ERROR, MW_MIGRATION_JOB_ERROR_DOMAIN,
                         _("“%s” already runs on the destination host. Choose another "
                           "destination, or stop that copy first."), result->canonical_name);
            goto failed;
          }
      }
    virResetLastError ();
  }

  if (data->options->storage != MW_MIGRATION_STORAGE_SHARED
      && !mw_created_volumes_precreate (result->sconn, result->dconn, result->sdom, result->created_volumes, &error))
    goto failed;

  /* Watching: registered last, so a failure above leaves nothing to deregister but volumes. */
  result->event_ids[0] =
    virConnectDomainEventRegisterAny (result->sconn, result->sdom,
                                      VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION,
                                      VIR_DOMAIN_EVENT_CALLBACK (on_migration_iteration_cb),
                                      event_context_ref (data->context), event_context_unref);
  result->event_ids[1] =
    virConnectDomainEventRegisterAny (result->sconn, result->sdom,
                                      VIR_DOMAIN_EVENT_ID_JOB_COMPLETED,
                                      VIR_DOMAIN_EVENT_CALLBACK (on_job_completed_cb),
                                      event_context_ref (data->context), event_context_unref);
  result->event_ids[2] =
    virConnectDomainEventRegisterAny (result->sconn, result->sdom,
                                      VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                      VIR_DOMAIN_EVENT_CALLBACK (on_lifecycle_cb),
                                      event_context_ref (data->context), event_context_unref);
  for (guint i = 0; i < 3; i++)
    if (result->event_ids[i] < 0)
      {
        /* libvirt did not take the opaque: drop the reference given for it. */
        event_context_unref (data->context);
        g_message ("Could not watch a migration event (%u): %s", i,
                   virGetLastErrorMessage ());
        virResetLastError ();
      }

  /* The close callbacks are registered without a free function (some drivers never call it);
   * the job drops their reference itself once deregistered. */
  if (virConnectRegisterCloseCallback (result->sconn, on_source_closed_cb, data->context,
                                       NULL) == 0)
    {
      event_context_ref (data->context);
      result->close_registered[0] = TRUE;
    }
  if (virConnectRegisterCloseCallback (result->dconn, on_destination_closed_cb, data->context,
                                       NULL) == 0)
    {
      event_context_ref (data->context);
      result->close_registered[1] = TRUE;
    }
  virResetLastError ();

  g_task_return_pointer (task, g_steal_pointer (&result), prepare_result_free);
  return;

failed:
  release_connections (result->sconn, result->dconn, result->sdom, result->event_ids,
                       result->close_registered, result->context, result->created_volumes);
  result->sconn = result->dconn = NULL;
  result->sdom = NULL;
  g_task_return_error (task, error);
}

/* ---- finishing ----------------------------------------------------------------------------- */

typedef struct
{
  virConnectPtr sconn;
  virConnectPtr dconn;
  virDomainPtr sdom;
  int event_ids[3];
  gboolean close_registered[2];
  EventContext *context;
} ReleaseData;

static void
release_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ReleaseData *data = task_data;

  release_connections (data->sconn, data->dconn, data->sdom, data->event_ids,
                       data->close_registered, data->context, NULL);
  event_context_unref (data->context);
  g_task_return_boolean (task, TRUE);
}

/* Main thread: stops watching (late events are dropped) and hands the connections to a worker
 * that deregisters and closes them. */
static void
release_in_thread (MwMigrationJob *self)
{
  g_autoptr(GTask) task = NULL;
  ReleaseData *data;

  if (self->event_context != NULL)
    self->event_context->self = NULL;
  if (self->sconn == NULL && self->dconn == NULL)
    {
      g_clear_pointer (&self->event_context, event_context_unref);
      return;
    }

  data = g_new0 (ReleaseData, 1);
  data->sconn = g_steal_pointer (&self->sconn);
  data->dconn = g_steal_pointer (&self->dconn);
  data->sdom = g_steal_pointer (&self->sdom);
  memcpy (data->event_ids, self->event_ids, sizeof data->event_ids);
  memcpy (data->close_registered, self->close_registered, sizeof data->close_registered);
  data->context = g_steal_pointer (&self->event_context);
  self->event_ids[0] = self->event_ids[1] = self->event_ids[2] = -1;
  self->close_registered[0] = self->close_registered[1] = FALSE;

  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_source_tag (task, release_in_thread);
  g_task_set_task_data (task, data, g_free);
  g_task_run_in_thread (task, release_thread);
}

static void
result_free (MwMigrationJobResult *result)
{
  if (result == NULL)
    return;
  g_free (result->error_message);
  g_free (result->summary);
  g_free (result);
}

static void
clear_timeouts (MwMigrationJob *self)
{
  g_clear_handle_id (&self->lead_in_id, g_source_remove);
  stop_sample_source (self);
  g_clear_handle_id (&self->pinger_tail_id, g_source_remove);
  g_clear_handle_id (&self->settle_id, g_source_remove);
}

/* Main thread, once verification and the ping tail are over (or PREPARING failed). */
static void
conclude (MwMigrationJob      *self,
          MwMigrationJobState  state)
{
  g_autoptr(GObject) guard = g_object_ref (G_OBJECT (self));
  MwMigrationJobResult *result;
  gint64 now = g_get_monotonic_time ();

  g_assert (self->result == NULL);
  clear_timeouts (self);
  if (self->pinger != NULL && mw_pinger_is_running (self->pinger))
    mw_pinger_stop (self->pinger);
  release_in_thread (self);

  result = g_new0 (MwMigrationJobResult, 1);
  result->state = state;
  result->on_destination = self->found.dest_active;
  result->persistent_on_destination = self->found.dest_exists && self->found.dest_persistent;
  result->on_source = self->found.src_active;
  result->defined_on_source = self->found.src_exists;
  result->destination_unreachable = self->found.dest_unreachable;
  result->source_unreachable = self->found.src_unreachable;
  result->leftover_on_destination = self->found.dest_leftover;
  result->total_ms = self->total_ms;
  result->downtime_ms = state == MW_MIGRATION_JOB_STATE_SUCCEEDED ? self->downtime_ms : -1;
  result->data_transferred = self->last_data_processed;
  result->passes = self->passes;
  result->pings_sent = self->pinger != NULL ? mw_pinger_get_sent (self->pinger) : 0;
  result->pings_lost = self->pinger != NULL ? mw_pinger_get_lost (self->pinger) : 0;
  result->longest_ping_gap_us = self->pinger != NULL
                                  ? mw_pinger_get_longest_gap_us (self->pinger) : -1;
  if (self->error != NULL)
    result->error_message = g_strdup (self->error->message);
  {
    MwSummaryContext summary = {
      self->domain_name, self->source_host, self->destination_host,
      self->options->mode == MW_MIGRATION_MODE_OFFLINE, self->migration_started,
    };

    result->summary = mw_migration_summary (result, &summary);
  }
  self->result = result;

  switch (state)
    {
    case MW_MIGRATION_JOB_STATE_SUCCEEDED:
      break;
    case MW_MIGRATION_JOB_STATE_CANCELLED:
      if (self->migration_started)
        mw_sample_history_add_event (self->history, now, MW_HISTORY_EVENT_CANCELLED, 0, NULL);
      break;
    case MW_MIGRATION_JOB_STATE_FAILED:
    case MW_MIGRATION_JOB_STATE_READY:
    case MW_MIGRATION_JOB_STATE_PREPARING:
    case MW_MIGRATION_JOB_STATE_RUNNING:
    case MW_MIGRATION_JOB_STATE_POSTCOPY:
    case MW_MIGRATION_JOB_STATE_VERIFYING:
    default:
      mw_sample_history_add_event (self->history, now, MW_HISTORY_EVENT_FAILED, 0,
                                   result->error_message);
      break;
    }

  g_debug ("Job %s: %s", self->domain_name, result->summary);
  set_state (self, state);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
}

static void
fail_now (MwMigrationJob *self,
          GError         *error)
{
  g_clear_error (&self->error);
  self->error = error;
  conclude (self, MW_MIGRATION_JOB_STATE_FAILED);
}

/* ---- convergence --------------------------------------------------------------------------- */

static void
update_convergence (MwMigrationJob *self)
{
  g_clear_pointer (&self->convergence, mw_convergence_free);
  self->convergence = mw_convergence_assess (self->history, &self->context);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONVERGENCE]);
}

/* ---- remedies and abort (workers) ---------------------------------------------------------- */

typedef enum
{
  ACTION_ABORT,
  ACTION_DOWNTIME,
  ACTION_SPEED,
  ACTION_POSTCOPY,
} ActionKind;

typedef struct
{
  ActionKind kind;
  virDomainPtr dom;
  guint64 value;
  gboolean automatic;    /* not asked for by the user: no action-failed on failure */
} ActionData;

static void
action_data_free (gpointer data)
{
  ActionData *action = data;

  virDomainFree (action->dom);
  g_free (action);
}

static void
action_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ActionData *action = task_data;
  GError *error = NULL;
  int rc = -1;
  const char *prefix = NULL;

  switch (action->kind)
    {
    case ACTION_ABORT:
      rc = virDomainAbortJob (action->dom);
      prefix = _("Could not stop the migration");
      break;
    case ACTION_DOWNTIME:
      rc = virDomainMigrateSetMaxDowntime (action->dom, action->value, 0);
      prefix = _("Could not change the maximum downtime");
      break;
    case ACTION_SPEED:
      rc = virDomainMigrateSetMaxSpeed (action->dom,
                                        action->value == 0 ? BANDWIDTH_UNLIMITED_MIB_S
                                                           : action->value, 0);
      prefix = _("Could not change the bandwidth limit");
      break;
    case ACTION_POSTCOPY:
      rc = virDomainMigrateStartPostCopy (action->dom, 0);
      prefix = _("Could not switch the migration to post-copy");
      break;
    default:
      g_assert_not_reached ();
    }

  if (rc < 0)
    {
      mw_libvirt_set_error (&error, prefix);
      g_task_return_error (task, error);
    }
  else
    g_task_return_boolean (task, TRUE);
}

static void on_action_done_cb (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data);

static void
run_action (MwMigrationJob *self,
            ActionKind      kind,
            guint64         value,
            gboolean        automatic)
{
  g_autoptr(GTask) task = NULL;
  ActionData *action;

  g_assert (self->sdom != NULL);

  action = g_new0 (ActionData, 1);
  action->kind = kind;
  action->value = value;
  action->automatic = automatic;
  action->dom = self->sdom;
  virDomainRef (self->sdom);

  task = g_task_new (self, self->cancellable, on_action_done_cb, NULL);
  g_task_set_source_tag (task, run_action);
  g_task_set_task_data (task, action, action_data_free);
  g_task_run_in_thread (task, action_thread);
}

static gboolean
on_abort_retry_cb (gpointer user_data)
{
  MwMigrationJob *self = user_data;

  if (self->migration_running && self->sdom != NULL)
    run_action (self, ACTION_ABORT, 0, TRUE);
  return G_SOURCE_REMOVE;
}

static void
on_action_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  MwMigrationJob *self = MW_MIGRATION_JOB (source);
  ActionData *action = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_monotonic_time ();

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      switch (action->kind)
        {
        case ACTION_DOWNTIME:
          self->context.max_downtime_ms = (guint) action->value;
          self->options->max_downtime_ms = (guint) action->value;
          mw_sample_history_add_event (self->history, now, MW_HISTORY_EVENT_DOWNTIME_CHANGED,
                                       (gint64) action->value, NULL);
          break;
        case ACTION_SPEED:
          self->context.bandwidth_mib_s = (guint) action->value;
          self->options->bandwidth_mib_s = (guint) action->value;
          mw_sample_history_add_event (self->history, now, MW_HISTORY_EVENT_SPEED_CHANGED,
                                       (gint64) action->value, NULL);
          break;
        case ACTION_POSTCOPY:
          /* Usually the lifecycle event (SUSPENDED_POSTCOPY) was first; if not, mark it now. */
          if (self->state == MW_MIGRATION_JOB_STATE_RUNNING && self->migration_running)
            {
              mw_sample_history_add_event (self->history, now, MW_HISTORY_EVENT_POSTCOPY, 0,
                                           NULL);
              set_state (self, MW_MIGRATION_JOB_STATE_POSTCOPY);
            }
          break;
        case ACTION_ABORT:
        default:
          break;
        }
      if (self->convergence != NULL)
        update_convergence (self);
      start_sample (self);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Too early: the migration call runs, but libvirt has no job yet. */
  if (action->kind == ACTION_ABORT && self->migration_running
      && now - self->abort_asked_us < ABORT_RETRY_FOR_US
      && (g_error_matches (error, MW_LIBVIRT_ERROR, VIR_ERR_OPERATION_INVALID)
          || g_error_matches (error, MW_LIBVIRT_ERROR, VIR_ERR_OPERATION_FAILED)))
    {
      g_debug ("Abort too early (%s); trying again", error->message);
      g_timeout_add_full (G_PRIORITY_DEFAULT, ABORT_RETRY_MS, on_abort_retry_cb,
                          g_object_ref (self), g_object_unref);
      return;
    }

  g_message ("%s", error->message);
  if (action->kind == ACTION_ABORT)
    {
      self->abort_requested = FALSE;
      self->restart_pending = MW_REMEDY_NONE;
    }
  if (action->kind == ACTION_DOWNTIME && action->automatic)
    {
      if (!self->downtime_failure_seen)
        emit_action_failed (self, error->message);
      self->downtime_failure_seen = TRUE;
      return;
    }
  emit_action_failed (self, error->message);
}

static gboolean
check_action_allowed (MwMigrationJob *self)
{
  if (is_running_state (self) && self->sdom != NULL)
    return TRUE;

  emit_action_failed (self, _("No migration is running, so there is nothing to change."));
  return FALSE;
}

static void
request_abort (MwMigrationJob *self)
{
  gint64 now = g_get_monotonic_time ();

  if (!self->abort_requested)
    mw_sample_history_add_event (self->history, now, MW_HISTORY_EVENT_ABORT_REQUESTED, 0, NULL);
  self->abort_requested = TRUE;
  self->abort_asked_us = now;
  run_action (self, ACTION_ABORT, 0, FALSE);
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
          start_verify (self);
        }
      return;
    }

  if (!check_action_allowed (self))
    return;
  self->restart_pending = MW_REMEDY_NONE;
  request_abort (self);
}

void
mw_migration_job_set_max_downtime (MwMigrationJob *self,
                                   guint           downtime_ms)
{
  g_return_if_fail (MW_IS_MIGRATION_JOB (self));
  g_return_if_fail (downtime_ms > 0);

  if (!check_action_allowed (self))
    return;
  run_action (self, ACTION_DOWNTIME, downtime_ms, FALSE);
}

void
mw_migration_job_set_bandwidth (MwMigrationJob *self,
                                guint           mib_s)
{
  g_return_if_fail (MW_IS_MIGRATION_JOB (self));

  if (!check_action_allowed (self))
    return;
  run_action (self, ACTION_SPEED, mib_s, FALSE);
}

void
mw_migration_job_start_postcopy (MwMigrationJob *self)
{
  g_return_if_fail (MW_IS_MIGRATION_JOB (self));

  if (!check_action_allowed (self))
    return;
  if (!self->options->postcopy)
    {
      emit_action_failed (self, _("This migration was started without post-copy. Restart it "
                                  "with post-copy allowed to use it."));
      return;
    }
  if (self->state == MW_MIGRATION_JOB_STATE_POSTCOPY)
    return;
  run_action (self, ACTION_POSTCOPY, 0, FALSE);
}

void
mw_migration_job_apply_remedy (MwMigrationJob *self,
                               MwRemedy        remedy)
{
  g_return_if_fail (MW_IS_MIGRATION_JOB (self));

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
          emit_action_failed (self, _("A migration in post-copy cannot be restarted."));
          return;
        }
      self->restart_pending = remedy;
      request_abort (self);
      break;
    case MW_REMEDY_NONE:
    default:
      g_return_if_reached ();
    }
}

/* ---- sampling ------------------------------------------------------------------------------ */

static void
domain_unref (gpointer dom)
{
  virDomainFree (dom);
}

static void
sample_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  virDomainPtr dom = task_data;
  virTypedParameterPtr params = NULL;
  int n_params = 0;
  int type = VIR_DOMAIN_JOB_NONE;
  MwJobSample *sample;
  GError *error = NULL;

  if (virDomainGetJobStats (dom, &type, &params, &n_params, 0) < 0)
    {
      mw_libvirt_set_error (&error, _("Could not read the migration’s progress"));
      g_task_return_error (task, error);
      return;
    }
  sample = g_new0 (MwJobSample, 1);
  mw_job_sample_from_params (sample, type, params, n_params, g_get_monotonic_time ());
  virTypedParamsFree (params, n_params);
  g_task_return_pointer (task, sample, g_free);
}

static void
on_sample_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  MwMigrationJob *self = MW_MIGRATION_JOB (source);
  g_autofree MwJobSample *sample = NULL;
  g_autoptr(GError) error = NULL;

  sample = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->sample_in_flight = FALSE;

  /* Samples of a call that has returned are stale: the completed statistics come instead. */
  if (!is_running_state (self))
    return;

  if (sample == NULL)
    g_debug ("%s", error->message);
  else if (sample->state == MW_JOB_STATE_RUNNING)
    {
      if (self->state == MW_MIGRATION_JOB_STATE_POSTCOPY)
        sample->state = MW_JOB_STATE_POSTCOPY;
      if ((sample->have & MW_JOB_HAVE_ITERATION) != 0 && sample->iteration > self->passes)
        self->passes = (guint) sample->iteration;
      if (sample->data_processed > 0)
        self->last_data_processed = sample->data_processed;
      mw_sample_history_push (self->history, sample);
      update_convergence (self);

      /* The migration job exists now: max downtime can be set (it is no migration parameter). */
      if (!self->saw_running_sample)
        {
          self->saw_running_sample = TRUE;
          if (self->options->max_downtime_ms > 0)
            run_action (self, ACTION_DOWNTIME, self->options->max_downtime_ms, TRUE);
        }
    }

  if (self->sample_again)
    {
      self->sample_again = FALSE;
      start_sample (self);
    }
}

static void
start_sample (MwMigrationJob *self)
{
  g_autoptr(GTask) task = NULL;

  if (!is_running_state (self) || self->sdom == NULL)
    return;
  if (self->sample_in_flight)
    {
      self->sample_again = TRUE;
      return;
    }

  self->sample_in_flight = TRUE;
  virDomainRef (self->sdom);
  task = g_task_new (self, self->cancellable, on_sample_done_cb, NULL);
  g_task_set_source_tag (task, start_sample);
  g_task_set_task_data (task, self->sdom, domain_unref);
  g_task_run_in_thread (task, sample_thread);
}

/* An event marks a change: one more sample as soon as possible. */
static void
on_event_sample (MwMigrationJob *self)
{
  start_sample (self);
}

static gboolean
on_sample_tick_cb (gpointer user_data)
{
  MwMigrationJob *self = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 interval_us = (gint64) self->sample_interval_ms * 1000;

  /* One request in flight: a slow host skips ticks rather than queueing them. */
  if (!self->sample_in_flight)
    start_sample (self);

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

static void
start_sample_source (MwMigrationJob *self)
{
  stop_sample_source (self);
  self->sample_source = g_source_new (&sample_source_funcs, sizeof (GSource));
  g_source_set_static_name (self->sample_source, "MwMigrationJob sampling");
  g_source_set_callback (self->sample_source, on_sample_tick_cb, self, NULL);
  self->next_sample_us = g_get_monotonic_time () + (gint64) self->sample_interval_ms * 1000;
  g_source_set_ready_time (self->sample_source, self->next_sample_us);
  g_source_attach (self->sample_source, NULL);
}

/* ---- the migration call -------------------------------------------------------------------- */

static void
on_migrate_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(MwMigrationJob) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = mw_migration_migrate_finish (result, &error);
  if (self->result != NULL)
    return;

  self->call_end_us = g_get_monotonic_time ();
  self->total_ms += (self->call_end_us - self->call_start_us) / 1000;
  self->migration_running = FALSE;
  stop_sample_source (self);

  if (!ok && self->restart_pending != MW_REMEDY_NONE)
    {
      g_debug ("Aborted for a restart: %s", error->message);
      self->abort_requested = FALSE;
      if (self->restart_pending == MW_REMEDY_RESTART_AUTO_CONVERGE)
        self->options->auto_converge = TRUE;
      else
        self->options->postcopy = TRUE;
      self->restart_pending = MW_REMEDY_NONE;
      self->options->max_downtime_ms = self->context.max_downtime_ms;
      self->options->bandwidth_mib_s = self->context.bandwidth_mib_s;
      mw_convergence_context_init_from_options (&self->context, self->options);
      /* The guest settles on the source before the second attempt. */
      set_state (self, MW_MIGRATION_JOB_STATE_PREPARING);
      self->settle_id = g_timeout_add_once (RESTART_SETTLE_MS, on_settle_cb, self);
      return;
    }

  if (!ok)
    {
      g_clear_error (&self->error);
      if (self->migrate_error_message != NULL)
        self->error = g_error_new (error->domain, error->code, "%s (%s)",
                                   self->migrate_error_message, error->message);
      else
        self->error = g_error_copy (error);
    }
  start_verify (self);
}

static void
start_migration_call (MwMigrationJob *self)
{
  const char *dest_uri = NULL;

  self->settle_id = 0;
  if (self->cancel_before_start)
    {
      start_verify (self);
      return;
    }

  if (self->options->connection != MW_MIGRATION_CONNECTION_CLIENT)
    dest_uri = self->peer_uri != NULL ? self->peer_uri : self->destination_uri;

  self->migration_running = TRUE;
  self->migration_started = TRUE;
  self->saw_running_sample = FALSE;
  self->passes = 0;
  self->sample_in_flight = FALSE;
  self->call_start_us = g_get_monotonic_time ();
  set_state (self, MW_MIGRATION_JOB_STATE_RUNNING);
  update_convergence (self);

  mw_migration_migrate_async (self->sconn, self->domain_name, self->dconn, dest_uri,
                              self->options, NULL, on_migrate_done_cb, g_object_ref (self));

  start_sample_source (self);
  start_sample (self);
}

static void
on_settle_cb (gpointer user_data)
{
  start_migration_call (user_data);
}

static void
on_lead_in_cb (gpointer user_data)
{
  MwMigrationJob *self = user_data;

  self->lead_in_id = 0;
  start_migration_call (self);
}

/* ---- verification (worker) ----------------------------------------------------------------- */

typedef struct
{
  virConnectPtr sconn;
  virConnectPtr dconn;
  char *domain_name;
  gboolean migration_started;
  gboolean call_succeeded;   /* the migration call returned success */
  GArray *created_volumes;   /* removed when the domain is not on the destination */
} VerifyData;

static void
verify_data_free (gpointer data)
{
  VerifyData *verify = data;

  virConnectClose (verify->sconn);
  virConnectClose (verify->dconn);
  g_free (verify->domain_name);
  g_array_unref (verify->created_volumes);
  g_free (verify);
}

static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  VerifyData *data = task_data;

  g_task_return_pointer (task,
                         mw_migration_verify (data->sconn, data->dconn, data->domain_name,
                                              data->migration_started, data->call_succeeded,
                                              data->created_volumes),
                         (GDestroyNotify) mw_verify_findings_free);
}

static void maybe_conclude (MwMigrationJob *self);

static void
on_verify_done_cb (GObject      *source,
                   GAsyncResult *res,
                   gpointer      user_data)
{
  MwMigrationJob *self = MW_MIGRATION_JOB (source);
  MwVerifyFindings *result;
  g_autoptr(GError) error = NULL;

  result = g_task_propagate_pointer (G_TASK (res), &error);
  if (result == NULL)
    return;  /* cancelled: the job is going away */

  self->found.dest_exists = result->dest_exists;
  self->found.dest_active = result->dest_active;
  self->found.dest_persistent = result->dest_persistent;
  self->found.src_exists = result->src_exists;
  self->found.src_active = result->src_active;
  self->found.dest_unreachable = result->dest_unreachable;
  self->found.src_unreachable = result->src_unreachable;
  self->found.dest_leftover = result->dest_leftover;
  self->found.dest_check_error = g_strdup (result->dest_check_error);

  if (result->have_completed)
    {
      if ((result->completed.have & MW_JOB_HAVE_DOWNTIME) != 0)
        self->downtime_ms = (gint64) result->completed.downtime_ms;
      if (result->completed.data_processed > 0)
        self->last_data_processed = result->completed.data_processed;
      if (!self->have_completed_sample)
        {
          self->have_completed_sample = TRUE;
          result->completed.state = MW_JOB_STATE_COMPLETED;
          mw_sample_history_push (self->history, &result->completed);
        }
    }
  mw_verify_findings_free (result);
  self->verify_done = TRUE;
  maybe_conclude (self);
}

static void
on_pinger_tail_cb (gpointer user_data)
{
  MwMigrationJob *self = user_data;

  self->pinger_tail_id = 0;
  if (self->pinger != NULL)
    mw_pinger_stop (self->pinger);
  self->tail_done = TRUE;
  maybe_conclude (self);
}

static void
start_verify (MwMigrationJob *self)
{
  g_autoptr(GTask) task = NULL;
  VerifyData *data;
  gboolean ok;

  set_state (self, MW_MIGRATION_JOB_STATE_VERIFYING);
  if (self->pinger != NULL && mw_pinger_is_running (self->pinger))
    self->pinger_tail_id = g_timeout_add_once (PING_TAIL_MS, on_pinger_tail_cb, self);
  else
    self->tail_done = TRUE;

  ok = self->migration_started && self->error == NULL && !self->abort_requested
       && !self->cancel_before_start;
  data = g_new0 (VerifyData, 1);
  data->sconn = self->sconn;
  virConnectRef (self->sconn);
  data->dconn = self->dconn;
  virConnectRef (self->dconn);
  data->domain_name = g_strdup (self->domain_name);
  data->migration_started = self->migration_started;
  data->call_succeeded = ok;
  data->created_volumes = ok ? mw_created_volumes_new ()
                             : mw_created_volumes_copy (self->created_volumes);

  task = g_task_new (self, self->cancellable, on_verify_done_cb, NULL);
  g_task_set_source_tag (task, start_verify);
  g_task_set_task_data (task, data, verify_data_free);
  g_task_run_in_thread (task, verify_thread);
}

static void
maybe_conclude (MwMigrationJob *self)
{
  MwMigrationJobState state;

  if (!self->verify_done || !self->tail_done || self->result != NULL)
    return;

  if (!self->migration_started || self->cancel_before_start)
    state = MW_MIGRATION_JOB_STATE_CANCELLED;
  else if (self->error != NULL)
    state = self->abort_requested ? MW_MIGRATION_JOB_STATE_CANCELLED
                                  : MW_MIGRATION_JOB_STATE_FAILED;
  else
    {
      gboolean arrived = self->options->mode == MW_MIGRATION_MODE_OFFLINE
                           ? self->found.dest_exists && self->found.dest_persistent
                           : self->found.dest_active;

      state = MW_MIGRATION_JOB_STATE_SUCCEEDED;
      if (!arrived)
        {
          state = MW_MIGRATION_JOB_STATE_FAILED;
          if (self->found.dest_check_error != NULL)
            self->error = g_error_new (MW_MIGRATION_JOB_ERROR, MW_MIGRATION_JOB_ERROR_VERIFY,
                                       _("libvirt reported success, but the destination could "
                                         "not be asked whether the guest runs there (%s)"),
                                       self->found.dest_check_error);
          else
            self->error = g_error_new (MW_MIGRATION_JOB_ERROR, MW_MIGRATION_JOB_ERROR_VERIFY,
                                       _("libvirt reported success, but “%s” does not run on "
                                         "the destination"), self->domain_name);
        }
    }
  conclude (self, state);
}

/* ---- start --------------------------------------------------------------------------------- */

static void
on_prepare_done_cb (GObject      *source,
                    GAsyncResult *res,
                    gpointer      user_data)
{
  MwMigrationJob *self = MW_MIGRATION_JOB (source);
  PrepareResult *result;
  GError *error = NULL;
  gint64 now;

  result = g_task_propagate_pointer (G_TASK (res), &error);
  if (result == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_error_free (error);
          return;
        }
      fail_now (self, error);
      return;
    }

  self->sconn = g_steal_pointer (&result->sconn);
  self->dconn = g_steal_pointer (&result->dconn);
  self->sdom = g_steal_pointer (&result->sdom);
  memcpy (self->event_ids, result->event_ids, sizeof self->event_ids);
  memcpy (self->close_registered, result->close_registered, sizeof self->close_registered);
  g_array_append_vals (self->created_volumes, result->created_volumes->data,
                       result->created_volumes->len);
  /* The strings now belong to self->created_volumes. */
  g_array_set_clear_func (result->created_volumes, NULL);
  if (g_strcmp0 (result->canonical_name, self->domain_name) != 0)
    {
      g_free (self->domain_name);
      self->domain_name = g_steal_pointer (&result->canonical_name);
    }
  prepare_result_free (result);

  if (self->cancel_before_start)
    {
      start_verify (self);
      return;
    }

  now = g_get_monotonic_time ();
  mw_sample_history_set_start_us (self->history, now);
  if (self->ping_address != NULL && is_test_driver_uri (self->source_uri))
    emit_action_failed (self, _("Guests of libvirt’s test driver are not real machines: "
                                "MigWizard does not ping them."));
  else if (self->ping_address != NULL)
    {
      g_autoptr(GError) ping_error = NULL;

      self->pinger = mw_pinger_new (self->ping_address, PING_INTERVAL_MS, PING_TIMEOUT_MS);
      if (!mw_pinger_start (self->pinger, now, &ping_error))
        {
          g_autofree char *text = g_strdup_printf (_("The guest cannot be pinged: %s"),
                                                   ping_error->message);

          g_message ("%s", text);
          emit_action_failed (self, text);
          g_clear_object (&self->pinger);
        }
      else
        {
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PINGER]);
          self->lead_in_id = g_timeout_add_once (PING_LEAD_IN_MS, on_lead_in_cb, self);
          return;
        }
    }
  start_migration_call (self);
}

void
mw_migration_job_start (MwMigrationJob *self)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  PrepareData *data;

  g_return_if_fail (MW_IS_MIGRATION_JOB (self));
  g_return_if_fail (self->state == MW_MIGRATION_JOB_STATE_READY);

  self->started = g_date_time_new_now_local ();
  set_state (self, MW_MIGRATION_JOB_STATE_PREPARING);

  if (!mw_migration_options_validate (self->options, &error))
    {
      fail_now (self, g_steal_pointer (&error));
      return;
    }

  self->event_context = event_context_new (self);
  data = g_new0 (PrepareData, 1);
  data->source_uri = g_strdup (self->source_uri);
  data->destination_uri = g_strdup (self->destination_uri);
  data->domain_name = g_strdup (self->domain_name);
  data->options = mw_migration_options_copy (self->options);
  data->context = event_context_ref (self->event_context);

  task = g_task_new (self, self->cancellable, on_prepare_done_cb, NULL);
  g_task_set_source_tag (task, mw_migration_job_start);
  g_task_set_task_data (task, data, prepare_data_free);
  g_task_run_in_thread (task, prepare_thread);
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
  info.options = self->options;
  info.started = self->started;
  info.downtime_ms = self->downtime_ms;
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
      break;
    case MW_MIGRATION_JOB_STATE_CANCELLED:
      info.outcome = MW_REPORT_OUTCOME_CANCELLED;
      info.outcome_message = self->error != NULL ? self->error->message : NULL;
      info.downtime_ms = -1;
      break;
    case MW_MIGRATION_JOB_STATE_READY:
    case MW_MIGRATION_JOB_STATE_PREPARING:
    case MW_MIGRATION_JOB_STATE_RUNNING:
    case MW_MIGRATION_JOB_STATE_POSTCOPY:
    case MW_MIGRATION_JOB_STATE_VERIFYING:
    default:
      info.outcome = MW_REPORT_OUTCOME_UNKNOWN;
      break;
    }

  return mw_report_new (&info, self->history, self->pinger);
}

/* ---- GObject ------------------------------------------------------------------------------- */

static void
mw_migration_job_constructed (GObject *object)
{
  MwMigrationJob *self = MW_MIGRATION_JOB (object);

  G_OBJECT_CLASS (mw_migration_job_parent_class)->constructed (object);

  if (self->options == NULL)
    self->options = mw_migration_options_new_defaults ();
  mw_convergence_context_init_from_options (&self->context, self->options);
  self->source_host = host_of_uri (self->source_uri);
  self->destination_host = host_of_uri (self->destination_uri);
}

static void
mw_migration_job_dispose (GObject *object)
{
  MwMigrationJob *self = MW_MIGRATION_JOB (object);

  g_cancellable_cancel (self->cancellable);
  clear_timeouts (self);
  if (self->pinger != NULL && mw_pinger_is_running (self->pinger))
    mw_pinger_stop (self->pinger);
  release_in_thread (self);
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
  g_free (self->found.dest_check_error);
  g_clear_pointer (&self->options, mw_migration_options_free);
  g_clear_pointer (&self->convergence, mw_convergence_free);
  g_clear_pointer (&self->result, result_free);
  g_clear_pointer (&self->started, g_date_time_unref);
  g_clear_pointer (&self->created_volumes, g_array_unref);
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
}

static void
mw_migration_job_init (MwMigrationJob *self)
{
  self->state = MW_MIGRATION_JOB_STATE_READY;
  self->sample_interval_ms = DEFAULT_SAMPLE_INTERVAL_MS;
  self->history = mw_sample_history_new (HISTORY_CAPACITY);
  self->cancellable = g_cancellable_new ();
  self->created_volumes = mw_created_volumes_new ();
  self->event_ids[0] = self->event_ids[1] = self->event_ids[2] = -1;
  self->downtime_ms = -1;
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

MwMigrationJobState
mw_migration_job_get_state (MwMigrationJob *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_JOB (self), MW_MIGRATION_JOB_STATE_READY);
  return self->state;
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
