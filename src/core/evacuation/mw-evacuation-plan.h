/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-evacuation-plan.h: every guest of a host, where each would go and whether it can.
 *
 * Main thread. mw_evacuation_plan_run () asks the source for its domains (running or not) and
 * each destination for its free memory in one worker, places the guests (one destination, or
 * spread by free memory: mw-evacuation-placement.h), then runs MwPreflight for each guest
 * against its destination, at most `max-checks` at a time, and sorts them into groups: ready,
 * needs a decision (warnings, or a check that could not answer), cannot move (a blocking check,
 * named in the item's `reason`). The checks of all guests share one MwPreflightHosts: each host
 * is opened and its facts read once per run of the plan, only each domain's own facts are read
 * per guest. A guest that cannot move gets the plan's `cannot-move-action`
 * unless the user chose one for it; the others are migrated. `items` is a GListModel of
 * MwEvacuationItem kept in the plan's `order`; `state` and `n-checked` notify as it goes.
 *
 * A bring-back plan (mw-evacuation-report.h) is made of items added with add_item (), each with
 * its own source and destination; run () then only checks them.
 */
#pragma once

#include <gio/gio.h>

#include "mw-evacuation-item.h"
#include "mw-evacuation-placement.h"
#include "mw-migration-options.h"

G_BEGIN_DECLS

typedef enum
{
  MW_EVACUATION_PLAN_STATE_IDLE,
  MW_EVACUATION_PLAN_STATE_SURVEYING,  /* asking the hosts */
  MW_EVACUATION_PLAN_STATE_CHECKING,   /* pre-flight for each guest */
  MW_EVACUATION_PLAN_STATE_READY,
  MW_EVACUATION_PLAN_STATE_FAILED,     /* a host could not be asked: see get_error () */
} MwEvacuationPlanState;

#define MW_EVACUATION_PLAN_DEFAULT_MAX_CHECKS 4

#define MW_TYPE_EVACUATION_PLAN (mw_evacuation_plan_get_type ())

G_DECLARE_FINAL_TYPE (MwEvacuationPlan, mw_evacuation_plan, MW, EVACUATION_PLAN, GObject)

/* source_uri may be NULL for a plan made of added items (bring-back). */
MwEvacuationPlan      *mw_evacuation_plan_new             (const char          *source_uri,
                                                           const char * const  *destinations);

const char            *mw_evacuation_plan_get_source_uri  (MwEvacuationPlan *self);
const char * const    *mw_evacuation_plan_get_destinations (MwEvacuationPlan *self);
/* MwEvacuationItem, in the plan's order. */
GListModel            *mw_evacuation_plan_get_items       (MwEvacuationPlan *self);
MwEvacuationPlanState  mw_evacuation_plan_get_state       (MwEvacuationPlan *self);
const GError          *mw_evacuation_plan_get_error       (MwEvacuationPlan *self);
guint                  mw_evacuation_plan_get_n_checked   (MwEvacuationPlan *self);
/* Whether this plan brings guests back to where an evacuation took them from. */
gboolean               mw_evacuation_plan_get_bring_back  (MwEvacuationPlan *self);
void                   mw_evacuation_plan_set_bring_back  (MwEvacuationPlan *self,
                                                           gboolean          bring_back);

MwEvacuationOrder      mw_evacuation_plan_get_order       (MwEvacuationPlan *self);
void                   mw_evacuation_plan_set_order       (MwEvacuationPlan *self,
                                                           MwEvacuationOrder order);
/* Sorts the items again (after priorities changed). */
void                   mw_evacuation_plan_sort            (MwEvacuationPlan *self);
guint                  mw_evacuation_plan_get_max_checks  (MwEvacuationPlan *self);
void                   mw_evacuation_plan_set_max_checks  (MwEvacuationPlan *self,
                                                           guint             max_checks);
/* The options every migration starts from (copied); the plan makes a shut-off guest's
 * migration offline. NULL: the defaults. */
const MwMigrationOptions *mw_evacuation_plan_get_options  (MwEvacuationPlan *self);
void                   mw_evacuation_plan_set_options     (MwEvacuationPlan         *self,
                                                           const MwMigrationOptions *options);
/* options for one guest: the plan's, made offline when the guest is not running. */
MwMigrationOptions    *mw_evacuation_plan_options_for     (MwEvacuationPlan *self,
                                                           MwEvacuationItem *item);

/* What happens to a guest that cannot move (SHUT_DOWN, MANAGED_SAVE or LEAVE, the default);
 * setting it applies it to every such guest, also those already checked. */
MwEvacuationAction     mw_evacuation_plan_get_cannot_move_action (MwEvacuationPlan  *self);
void                   mw_evacuation_plan_set_cannot_move_action (MwEvacuationPlan  *self,
                                                                  MwEvacuationAction action);
/* The priority given to a guest of this name when it is listed (before run ()). */
void                   mw_evacuation_plan_set_priority_for (MwEvacuationPlan *self,
                                                            const char       *name,
                                                            int               priority);

/* What happens to the guest of this name, chosen for it: MIGRATE (also when its checks warn),
 * SHUT_DOWN, MANAGED_SAVE or LEAVE. Applied once the guest is checked, or at once when it is;
 * MIGRATE is not applied to a guest that cannot move (it gets the cannot-move action), and
 * set_cannot_move_action () leaves a guest with a choice of its own alone. */
void                   mw_evacuation_plan_set_action_for   (MwEvacuationPlan  *self,
                                                            const char        *name,
                                                            MwEvacuationAction action);
/* Whether an action was chosen for the guest of this name, and which. */
gboolean               mw_evacuation_plan_get_action_for   (MwEvacuationPlan   *self,
                                                            const char         *name,
                                                            MwEvacuationAction *action);

/* The address to ping a guest of this name at (before run ()). */
void                   mw_evacuation_plan_set_address_for  (MwEvacuationPlan *self,
                                                            const char       *name,
                                                            const char       *address);

/* Before run (): adds a guest with its source and destination already set. */
void                   mw_evacuation_plan_add_item        (MwEvacuationPlan *self,
                                                           MwEvacuationItem *item);
/* Lists (unless items were added) and checks every guest. Returns at once; watch `state`. */
void                   mw_evacuation_plan_run             (MwEvacuationPlan *self);
/* Stops checking: the checks under way still answer; the guests not checked yet stay
 * UNCHECKED and are left (action LEAVE). */
void                   mw_evacuation_plan_cancel          (MwEvacuationPlan *self);

/* Counts of the checked guests by group. */
guint                  mw_evacuation_plan_count_group     (MwEvacuationPlan *self,
                                                           MwEvacuationGroup group);

G_END_DECLS
