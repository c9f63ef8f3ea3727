/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-job-backend-libvirt-watch.c: how the libvirt backend hears from the hosts — the source
 * domain's migration-iteration, job-completed and lifecycle events, both connections' close
 * callbacks — and how it lets go of them.
 *
 * libvirt keeps an EventContext as the opaque pointer of the events and close callbacks; it may
 * outlive the backend, and points back to it only while it watches (release clears `self`), so
 * late events are dropped. A lost connection reaches the main context through
 * mw_libvirt_watch_close (the one close-callback plumbing, also MwConnection's). Domain events
 * come on the main thread (gvir_event_register). */

#include "config.h"

#include <libvirt/virterror.h>

#include "mw-job-backend-libvirt-private.h"
#include "mw-libvirt.h"

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

/* ---- lost connections (main thread, through mw_libvirt_watch_close) ----------------------- */

static void
on_source_lost_cb (int         reason,
                   const char *message,
                   gpointer    opaque)
{
  MwJobBackend *backend = watching (opaque);

  if (backend != NULL)
    mw_job_backend_emit_connection_lost (backend, FALSE, reason);
}

static void
on_destination_lost_cb (int         reason,
                        const char *message,
                        gpointer    opaque)
{
  MwJobBackend *backend = watching (opaque);

  if (backend != NULL)
    mw_job_backend_emit_connection_lost (backend, TRUE, reason);
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

  if (backend == NULL)
    return;
  if (event == VIR_DOMAIN_EVENT_SUSPENDED && detail == VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY)
    mw_job_backend_emit_postcopy_started (backend);
  /* The source's half of a post-copy that broke off: paused, its memory waiting (libvirt 1.3.3;
   * RESUMED_POSTCOPY_FAILED is the destination's, since 8.5, and not watched here). */
  else if (event == VIR_DOMAIN_EVENT_SUSPENDED
           && detail == VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY_FAILED)
    mw_job_backend_emit_postcopy_failed (backend);
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
  g_clear_pointer (&hosts->close_watches[0], mw_libvirt_close_watch_free);
  g_clear_pointer (&hosts->close_watches[1], mw_libvirt_close_watch_free);
  g_clear_pointer (&hosts->sconn, virConnectClose);
  g_clear_pointer (&hosts->dconn, virConnectClose);
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
mw_job_hosts_watch_source (Hosts *hosts)
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

  /* No source domain (a recovery of a guest gone from the source): no domain events. */
  for (guint i = 0; i < MW_JOB_N_EVENTS && hosts->sdom != NULL; i++)
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

  hosts->close_watches[0] =
    mw_libvirt_watch_close (hosts->sconn, NULL, on_source_lost_cb,
                            mw_job_event_context_ref (hosts->context),
                            mw_job_event_context_unref);
  virResetLastError ();
}

void
mw_job_hosts_watch_destination (Hosts *hosts)
{
  hosts->close_watches[1] =
    mw_libvirt_watch_close (hosts->dconn, NULL, on_destination_lost_cb,
                            mw_job_event_context_ref (hosts->context),
                            mw_job_event_context_unref);
  virResetLastError ();
}

void
mw_job_hosts_watch (Hosts *hosts)
{
  mw_job_hosts_watch_source (hosts);
  mw_job_hosts_watch_destination (hosts);
}
