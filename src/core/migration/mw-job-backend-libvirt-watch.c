/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-job-backend-libvirt-watch.c: how the libvirt backend hears from the hosts — the source
 * domain's migration-iteration, job-completed and lifecycle events, both connections' close
 * callbacks — and how it lets go of them.
 *
 * libvirt keeps an EventContext as the opaque pointer of the events and close callbacks; it may
 * outlive the backend, and points back to it only while it watches (release clears `self`), so
 * late events are dropped. Close callbacks may fire in any thread (also in a worker blocked in
 * a libvirt call): they hand the loss to the main context. Domain events come on the main
 * thread (gvir_event_register). */

#include "config.h"

#include <libvirt/virterror.h>

#include "mw-job-backend-libvirt-private.h"

/* ---- EventContext ------------------------------------------------------------------------- */

EventContext *
mw_job_event_context_new (MwJobBackendLibvirt *self)
{
  EventContext *context = g_atomic_rc_box_new0 (EventContext);

  context->self = self;
  return context;
}

EventContext *
mw_job_event_context_ref (EventContext *context)
{
  return g_atomic_rc_box_acquire (context);
}

/* Also libvirt's virFreeCallback: any thread. */
void
mw_job_event_context_unref (void *data)
{
  g_atomic_rc_box_release (data);
}

static MwJobBackend *
watching (void *opaque)
{
  EventContext *context = opaque;

  return context->self != NULL ? MW_JOB_BACKEND (context->self) : NULL;
}

/* ---- lost connections (any thread) --------------------------------------------------------- */

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

  mw_job_event_context_unref (lost->context);
  g_free (lost);
}

static gboolean
on_lost_idle_cb (gpointer data)
{
  LostData *lost = data;
  MwJobBackend *backend = watching (lost->context);

  if (backend != NULL)
    mw_job_backend_emit_connection_lost (backend, lost->destination, lost->reason);
  return G_SOURCE_REMOVE;
}

static void
post_lost (void     *opaque,
           int       reason,
           gboolean  destination)
{
  LostData *lost = g_new0 (LostData, 1);

  lost->context = mw_job_event_context_ref (opaque);
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

static void
on_migration_iteration_cb (virConnectPtr  conn,
                           virDomainPtr   domain,
                           int            iteration,
                           void          *opaque)
{
  MwJobBackend *backend = watching (opaque);

  if (backend != NULL)
    mw_job_backend_emit_iteration (backend, iteration);
}

static void
on_job_completed_cb (virConnectPtr         conn,
                     virDomainPtr          domain,
                     virTypedParameterPtr  params,
                     int                   n_params,
                     void                 *opaque)
{
  MwJobBackend *backend = watching (opaque);
  MwJobSample sample;

  if (backend == NULL)
    return;
  mw_job_sample_from_params (&sample, VIR_DOMAIN_JOB_COMPLETED, params, n_params,
                             g_get_monotonic_time ());
  sample.state = MW_JOB_STATE_COMPLETED;
  mw_job_backend_emit_job_completed (backend, &sample);
}

static void
on_lifecycle_cb (virConnectPtr  conn,
                 virDomainPtr   domain,
                 int            event,
                 int            detail,
                 void          *opaque)
{
  MwJobBackend *backend = watching (opaque);

  if (backend != NULL && event == VIR_DOMAIN_EVENT_SUSPENDED
      && detail == VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY)
    mw_job_backend_emit_postcopy_started (backend);
}

/* ---- releasing (worker) -------------------------------------------------------------------- */

/* Worker: drops what was registered, closes. */
void
mw_job_hosts_release (Hosts *hosts)
{
  for (guint i = 0; i < MW_JOB_N_EVENTS; i++)
    if (hosts->sconn != NULL && hosts->event_ids[i] >= 0)
      virConnectDomainEventDeregisterAny (hosts->sconn, hosts->event_ids[i]);
  g_clear_pointer (&hosts->sdom, virDomainFree);
  if (hosts->sconn != NULL)
    {
      if (hosts->close_registered[0])
        {
          virConnectUnregisterCloseCallback (hosts->sconn, on_source_closed_cb);
          mw_job_event_context_unref (hosts->context);
        }
      g_clear_pointer (&hosts->sconn, virConnectClose);
    }
  if (hosts->dconn != NULL)
    {
      if (hosts->close_registered[1])
        {
          virConnectUnregisterCloseCallback (hosts->dconn, on_destination_closed_cb);
          mw_job_event_context_unref (hosts->context);
        }
      g_clear_pointer (&hosts->dconn, virConnectClose);
    }
  g_clear_pointer (&hosts->context, mw_job_event_context_unref);
  virResetLastError ();
}

void
mw_job_hosts_free (gpointer data)
{
  mw_job_hosts_release (data);
  g_free (data);
}


void
mw_job_hosts_watch (Hosts *hosts)
{
  static const int ids[MW_JOB_N_EVENTS] = {
    VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION,
    VIR_DOMAIN_EVENT_ID_JOB_COMPLETED,
    VIR_DOMAIN_EVENT_ID_LIFECYCLE,
  };
  virConnectDomainEventGenericCallback callbacks[MW_JOB_N_EVENTS] = {
    VIR_DOMAIN_EVENT_CALLBACK (on_migration_iteration_cb),
    VIR_DOMAIN_EVENT_CALLBACK (on_job_completed_cb),
    VIR_DOMAIN_EVENT_CALLBACK (on_lifecycle_cb),
  };

  for (guint i = 0; i < MW_JOB_N_EVENTS; i++)
    {
      hosts->event_ids[i] =
        virConnectDomainEventRegisterAny (hosts->sconn, hosts->sdom, ids[i], callbacks[i],
                                          mw_job_event_context_ref (hosts->context),
                                          mw_job_event_context_unref);
      if (hosts->event_ids[i] < 0)
        {
          /* libvirt did not take the opaque: drop the reference given for it. */
          mw_job_event_context_unref (hosts->context);
          g_message ("Could not watch a migration event (%u): %s", i,
                     virGetLastErrorMessage ());
          virResetLastError ();
        }
    }

  /* The close callbacks are registered without a free function (some drivers never call it);
   * hosts_release drops their reference itself once deregistered. */
  if (virConnectRegisterCloseCallback (hosts->sconn, on_source_closed_cb, hosts->context,
                                       NULL) == 0)
    {
      mw_job_event_context_ref (hosts->context);
      hosts->close_registered[0] = TRUE;
    }
  if (virConnectRegisterCloseCallback (hosts->dconn, on_destination_closed_cb, hosts->context,
                                       NULL) == 0)
    {
      mw_job_event_context_ref (hosts->context);
      hosts->close_registered[1] = TRUE;
    }
  virResetLastError ();
}

