/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-evacuation-item.h: one guest of an evacuation (or of a bring-back), as a row binds to it.
 *
 * A main-thread GObject. MwEvacuationPlan fills in what the host and the pre-flight say
 * (`group`, `reason`, `destination`) and the user's choices (`priority`, `action`); MwEvacuation
 * then moves it through `state` and fills in where it is now and how the move went. Every
 * property notifies when it changes (G_PARAM_EXPLICIT_NOTIFY), so a GtkListView row can bind to
 * it; `job` is the guest's MwMigrationJob while and after it migrates (its history feeds a live
 * chart), `preflight` the checks that decided its group.
 */
#pragma once

#include <glib-object.h>

#include "mw-migration-job.h"
#include "mw-preflight.h"

G_BEGIN_DECLS

/* What the pre-flight said. */
typedef enum
{
  MW_EVACUATION_GROUP_UNCHECKED,      /* not checked yet, or being checked */
  MW_EVACUATION_GROUP_READY,          /* every check passed */
  MW_EVACUATION_GROUP_NEEDS_DECISION, /* warnings, or a check that could not answer */
  MW_EVACUATION_GROUP_CANNOT_MOVE,    /* a check blocks it: `reason` says which and why */
} MwEvacuationGroup;

/* What the run does with the guest. */
typedef enum
{
  MW_EVACUATION_ACTION_MIGRATE,
  MW_EVACUATION_ACTION_SHUT_DOWN,     /* asks the guest's OS to shut down, waits for it */
  MW_EVACUATION_ACTION_MANAGED_SAVE,  /* suspends it to disk on its host (virDomainManagedSave) */
  MW_EVACUATION_ACTION_LEAVE,         /* nothing: it stays where it is, as it is */
  MW_EVACUATION_ACTION_START,         /* bring-back: start (or restore) it where it came from */
} MwEvacuationAction;

typedef enum
{
  MW_EVACUATION_STATE_QUEUED,
  MW_EVACUATION_STATE_CHECKING,       /* its job prepares, or verifies both hosts */
  MW_EVACUATION_STATE_MIGRATING,      /* its job's migration call runs */
  MW_EVACUATION_STATE_ACTING,         /* shutting down, saving or starting */
  MW_EVACUATION_STATE_DONE,
  MW_EVACUATION_STATE_FAILED,
  MW_EVACUATION_STATE_SKIPPED,        /* left, cancelled before it started, or stopped */
} MwEvacuationState;

#define MW_TYPE_EVACUATION_ITEM (mw_evacuation_item_get_type ())

G_DECLARE_FINAL_TYPE (MwEvacuationItem, mw_evacuation_item, MW, EVACUATION_ITEM, GObject)

/* source_uri: the host the guest is on now; was_running: active when the plan was made. */
MwEvacuationItem   *mw_evacuation_item_new              (const char *name,
                                                         const char *source_uri,
                                                         guint64     memory_kib,
                                                         gboolean    was_running);

const char         *mw_evacuation_item_get_name         (MwEvacuationItem *self);
const char         *mw_evacuation_item_get_source_uri   (MwEvacuationItem *self);
guint64             mw_evacuation_item_get_memory_kib   (MwEvacuationItem *self);
gboolean            mw_evacuation_item_get_was_running  (MwEvacuationItem *self);
/* Active but paused when the plan was made (`was-paused`; was_running is TRUE too). */
gboolean            mw_evacuation_item_get_was_paused   (MwEvacuationItem *self);
void                mw_evacuation_item_set_was_paused   (MwEvacuationItem *self,
                                                         gboolean          was_paused);

int                 mw_evacuation_item_get_priority     (MwEvacuationItem *self);
void                mw_evacuation_item_set_priority     (MwEvacuationItem *self,
                                                         int               priority);
/* NULL until the plan places it (and for START, which does not move). */
const char         *mw_evacuation_item_get_destination  (MwEvacuationItem *self);
void                mw_evacuation_item_set_destination  (MwEvacuationItem *self,
                                                         const char       *uri);
MwEvacuationGroup   mw_evacuation_item_get_group        (MwEvacuationItem *self);
/* The blocking (or warning) checks' sentences, one per line; NULL when ready. */
const char         *mw_evacuation_item_get_reason       (MwEvacuationItem *self);
void                mw_evacuation_item_set_group        (MwEvacuationItem *self,
                                                         MwEvacuationGroup group,
                                                         const char       *reason);
MwEvacuationAction  mw_evacuation_item_get_action       (MwEvacuationItem *self);
void                mw_evacuation_item_set_action       (MwEvacuationItem *self,
                                                         MwEvacuationAction action);
MwPreflight        *mw_evacuation_item_get_preflight    (MwEvacuationItem *self);
void                mw_evacuation_item_set_preflight    (MwEvacuationItem *self,
                                                         MwPreflight      *preflight);

/* The address to ping during its migration; NULL: found on its host when the run pings. */
const char         *mw_evacuation_item_get_ping_address (MwEvacuationItem *self);
void                mw_evacuation_item_set_ping_address (MwEvacuationItem *self,
                                                         const char       *address);

MwEvacuationState   mw_evacuation_item_get_state        (MwEvacuationItem *self);
void                mw_evacuation_item_set_state        (MwEvacuationItem *self,
                                                         MwEvacuationState state);
MwMigrationJob     *mw_evacuation_item_get_job          (MwEvacuationItem *self);
void                mw_evacuation_item_set_job          (MwEvacuationItem *self,
                                                         MwMigrationJob   *job);
/* Where the guest is after the run, as the hosts said (NULL before or when unknown). */
const char         *mw_evacuation_item_get_location     (MwEvacuationItem *self);
/* Whether the location was checked on the hosts, not assumed. */
gboolean            mw_evacuation_item_get_verified     (MwEvacuationItem *self);
void                mw_evacuation_item_set_location     (MwEvacuationItem *self,
                                                         const char       *uri,
                                                         gboolean          verified);
/* One plain sentence about the outcome (libvirt's words for a failure); NULL before. */
const char         *mw_evacuation_item_get_message      (MwEvacuationItem *self);
void                mw_evacuation_item_set_message      (MwEvacuationItem *self,
                                                         const char       *message);

/* Figures of the move, from the job's result; -1 when not known. Properties `time-ms`,
 * `downtime-ms`, `ping-gap-us`, notified when set. */
gint64              mw_evacuation_item_get_time_ms      (MwEvacuationItem *self);
gint64              mw_evacuation_item_get_downtime_ms  (MwEvacuationItem *self);
gint64              mw_evacuation_item_get_ping_gap_us  (MwEvacuationItem *self);
void                mw_evacuation_item_set_figures      (MwEvacuationItem *self,
                                                         gint64            time_ms,
                                                         gint64            downtime_ms,
                                                         gint64            ping_gap_us);

/* Nicks for JSON, CSV and the command line ("ready", "shut-down", "migrating"…), and back. */
const char         *mw_evacuation_group_to_nick         (MwEvacuationGroup  group);
const char         *mw_evacuation_action_to_nick        (MwEvacuationAction action);
const char         *mw_evacuation_state_to_nick         (MwEvacuationState  state);
gboolean            mw_evacuation_action_from_nick      (const char        *nick,
                                                         MwEvacuationAction *action);

G_END_DECLS
