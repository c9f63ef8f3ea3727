/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-job-backend-libvirt-private.h: the libvirt backend's hold on the two hosts, shared by its
 * two files: mw-job-backend-libvirt.c (the calls) and mw-job-backend-libvirt-watch.c (events,
 * close callbacks, letting go). */
#pragma once

#include <libvirt/libvirt.h>

#include "mw-job-backend-libvirt.h"
#include "mw-libvirt.h"

G_BEGIN_DECLS

#define MW_JOB_N_EVENTS 3

typedef struct
{
  MwJobBackendLibvirt *self;  /* main thread only; NULL once the backend stopped watching */
} EventContext;

/* What a worker needs to let go of the hosts; also what prepare hands back. */
typedef struct
{
  virConnectPtr sconn;
  virConnectPtr dconn;
  virDomainPtr sdom;
  int event_ids[MW_JOB_N_EVENTS];           /* iteration, job-completed, lifecycle on sconn; -1 if none */
  MwLibvirtCloseWatch *close_watches[2]; /* on sconn, dconn; NULL if none */
  EventContext *context;             /* the reference the close callbacks hold */
} Hosts;

/* The guest's migration speed before the job, and whether the job changed it
 * (mw-job-backend-libvirt-speed.c). */
typedef struct
{
  GMutex lock;
  gboolean before_known;
  unsigned long before_mib_s;
  gboolean touched;
  gboolean ended;
} MwSpeedGuard;

void          mw_speed_guard_init        (MwSpeedGuard  *guard);
void          mw_speed_guard_clear       (MwSpeedGuard  *guard);
/* Workers. */
void          mw_speed_guard_read_before (MwSpeedGuard  *guard,
                                          virDomainPtr   sdom);
gboolean      mw_speed_guard_set         (MwSpeedGuard  *guard,
                                          virDomainPtr   dom,
                                          unsigned long  mib_s,
                                          GError       **error);
void          mw_speed_guard_end         (MwSpeedGuard  *guard,
                                          virConnectPtr  sconn,
                                          const char    *domain_name);

/* Main thread. */
EventContext *mw_job_event_context_new   (MwJobBackendLibvirt *self);
/* Any thread. */
EventContext *mw_job_event_context_ref   (EventContext *context);
void          mw_job_event_context_unref (void         *context);

/* Workers: start watching the source domain's events and both connections' close (registered
 * last, so a failure before leaves nothing to deregister); drop all that and close. */
void          mw_job_hosts_watch         (Hosts        *hosts);
/* One side of it: the source's events and close, or the destination's close (a reopened
 * connection). */
void          mw_job_hosts_watch_source  (Hosts        *hosts);
void          mw_job_hosts_watch_destination (Hosts    *hosts);
void          mw_job_hosts_release       (Hosts        *hosts);
void          mw_job_hosts_free          (gpointer      hosts);

G_END_DECLS
