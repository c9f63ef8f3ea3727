/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-evacuation.h: running a plan: every guest moved, shut down, saved or left, as chosen.
 *
 * Main thread. mw_evacuation_start () goes down the plan's items in order: each guest to
 * migrate gets its own MwMigrationJob (which prepares, pings when an address is known,
 * migrates, verifies on both hosts and keeps the per-guest report), at most `parallel` at once;
 * shutting down, saving and starting (bring-back) run in workers alongside. With a `bandwidth`
 * cap (MiB/s) the running migrations share it evenly; when one starts or ends the others get
 * the new share. Each item's `state` follows: queued → checking (its job prepares) → migrating
 * → checking (its job verifies) → done / failed / skipped, with `location` and `verified` set
 * from what the hosts said.
 *
 * One failure does not stop the others unless `stop-on-failure`. cancel_item () takes one guest
 * out (a running migration is aborted, the guest stays where it was); stop () does that to all:
 * the running migrations are aborted, the queued guests are skipped untouched. `finished` is
 * emitted once, when nothing runs any more. The counts (`n-done`, `n-failed`, `n-skipped`,
 * `n-running`) notify as they change; `max-running` is the most migrations seen at once.
 */
#pragma once

#include <gio/gio.h>

#include "mw-evacuation-plan.h"

G_BEGIN_DECLS

typedef enum
{
  MW_EVACUATION_RUN_IDLE,
  MW_EVACUATION_RUN_RUNNING,
  MW_EVACUATION_RUN_STOPPING,    /* stop () was asked: waiting for the aborted migrations */
  MW_EVACUATION_RUN_FINISHED,
} MwEvacuationRunState;

/* How long a guest gets to shut down when asked. */
#define MW_EVACUATION_SHUTDOWN_TIMEOUT_S 120

#define MW_TYPE_EVACUATION (mw_evacuation_get_type ())

G_DECLARE_FINAL_TYPE (MwEvacuation, mw_evacuation, MW, EVACUATION, GObject)

MwEvacuation         *mw_evacuation_new                  (MwEvacuationPlan *plan);

MwEvacuationPlan     *mw_evacuation_get_plan             (MwEvacuation *self);
MwEvacuationRunState  mw_evacuation_get_state            (MwEvacuation *self);

/* Before start (). */
guint                 mw_evacuation_get_parallel         (MwEvacuation *self);
void                  mw_evacuation_set_parallel         (MwEvacuation *self,
                                                          guint         parallel);
/* 0: no cap. */
guint                 mw_evacuation_get_bandwidth        (MwEvacuation *self);
void                  mw_evacuation_set_bandwidth        (MwEvacuation *self,
                                                          guint         mib_s);
gboolean              mw_evacuation_get_stop_on_failure  (MwEvacuation *self);
void                  mw_evacuation_set_stop_on_failure  (MwEvacuation *self,
                                                          gboolean      stop_on_failure);
/* Ping each running guest: at its item's `ping-address`, else at the address found on its
 * source host (DHCP lease, ARP, guest agent); a guest without one moves unpinged. An item with a
 * `ping-address` is pinged whether or not this is set. */
gboolean              mw_evacuation_get_ping             (MwEvacuation *self);
void                  mw_evacuation_set_ping             (MwEvacuation *self,
                                                          gboolean      ping);
/* The job sampling interval (ms, default the job's). */
void                  mw_evacuation_set_sample_interval  (MwEvacuation *self,
                                                          guint         interval_ms);

void                  mw_evacuation_start                (MwEvacuation     *self);
void                  mw_evacuation_cancel_item          (MwEvacuation     *self,
                                                          MwEvacuationItem *item);
void                  mw_evacuation_stop                 (MwEvacuation     *self);

guint                 mw_evacuation_get_n_done           (MwEvacuation *self);
guint                 mw_evacuation_get_n_failed         (MwEvacuation *self);
guint                 mw_evacuation_get_n_skipped        (MwEvacuation *self);
guint                 mw_evacuation_get_n_running        (MwEvacuation *self);
guint                 mw_evacuation_get_max_running      (MwEvacuation *self);
/* Whether stop () was asked (or stop-on-failure stopped it). */
gboolean              mw_evacuation_get_stopped          (MwEvacuation *self);
/* From start () to `finished` (or until now), ms. */
gint64                mw_evacuation_get_elapsed_ms       (MwEvacuation *self);
/* After `finished`: TRUE when every guest that was to move (or start) did. */
gboolean              mw_evacuation_get_all_moved        (MwEvacuation *self);
/* The per-guest job reports, name → MwReport, made when each job finished. */
GHashTable           *mw_evacuation_get_job_reports      (MwEvacuation *self);

G_END_DECLS
