/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-evacuation-plan-page.h: the plan before anything starts: the pre-flight's progress, every
 * guest grouped (cannot move, needs a decision, ready; a filter per group with its count), and
 * what to do with each guest that needs a decision or cannot move, chosen per guest or for all.
 * `ready` is TRUE once the plan is checked and every guest has a decision: only then may the
 * evacuation start. Main thread. */
#pragma once

#include <adwaita.h>

#include "mw-connection-list.h"
#include "mw-evacuation-plan.h"

G_BEGIN_DECLS

#define MW_TYPE_EVACUATION_PLAN_PAGE (mw_evacuation_plan_page_get_type ())

G_DECLARE_FINAL_TYPE (MwEvacuationPlanPage, mw_evacuation_plan_page, MW, EVACUATION_PLAN_PAGE,
                      AdwBin)

GtkWidget        *mw_evacuation_plan_page_new          (MwConnectionList     *connections);
MwEvacuationPlan *mw_evacuation_plan_page_get_plan     (MwEvacuationPlanPage *self);
/* Shows plan (checking or checked) and forgets the decisions made for the last one. */
void              mw_evacuation_plan_page_set_plan     (MwEvacuationPlanPage *self,
                                                        MwEvacuationPlan     *plan);
gboolean          mw_evacuation_plan_page_get_ready    (MwEvacuationPlanPage *self);
/* Guests that need a decision or cannot move and have none yet. */
guint             mw_evacuation_plan_page_get_n_undecided (MwEvacuationPlanPage *self);
/* Chooses action for item as its row's drop-down would. */
void              mw_evacuation_plan_page_decide       (MwEvacuationPlanPage *self,
                                                        MwEvacuationItem     *item,
                                                        MwEvacuationAction    action);
/* The plan is running and the page is out of sight: its rows go (a few a frame, as they came),
 * so that the next plan's list does not first show, then drop, the last one's 200 rows. The plan
 * and the decisions stay; set_plan () shows a list again. */
void              mw_evacuation_plan_page_park         (MwEvacuationPlanPage *self);
/* The list view shows all of the current list: no whole-list change waits, and every row came
 * in (a new list reaches the screen a few rows a frame). */
gboolean          mw_evacuation_plan_page_get_settled  (MwEvacuationPlanPage *self);
/* The list shown (sorted by group, filtered by the chosen group), for tests. */
GListModel       *mw_evacuation_plan_page_get_shown    (MwEvacuationPlanPage *self);

G_END_DECLS
