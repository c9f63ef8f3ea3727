/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-evacuation-plan-row.h: one guest of an evacuation plan, as its list shows it: the group the
 * pre-flight put it in (icon and words), its size, state and destination, the checks' reason,
 * its priority (when the order is by priority) and, for a guest that needs a decision or cannot
 * move, a drop-down of what to do with it ("Choose…" until the user chose; a plain button stands
 * in for it until its first click). A GtkListView factory binds it to an MwEvacuationItem and
 * rebinds it as it scrolls. Main thread. */
#pragma once

#include <gtk/gtk.h>

#include "mw-connection-list.h"
#include "mw-evacuation-item.h"

G_BEGIN_DECLS

#define MW_TYPE_EVACUATION_PLAN_ROW (mw_evacuation_plan_row_get_type ())

G_DECLARE_FINAL_TYPE (MwEvacuationPlanRow, mw_evacuation_plan_row, MW, EVACUATION_PLAN_ROW,
                      GtkBox)

GtkWidget        *mw_evacuation_plan_row_new      (MwConnectionList    *connections);
/* decided (borrowed, outlives the row): the items the user chose for; the drop-down shows their
 * action, "Choose…" for the others. */
void              mw_evacuation_plan_row_bind     (MwEvacuationPlanRow *self,
                                                   MwEvacuationItem    *item,
                                                   GHashTable          *decided,
                                                   gboolean             show_priority);
/* Shows the item again (after decided changed for it). */
void              mw_evacuation_plan_row_refresh  (MwEvacuationPlanRow *self);
void              mw_evacuation_plan_row_unbind   (MwEvacuationPlanRow *self);
MwEvacuationItem *mw_evacuation_plan_row_get_item (MwEvacuationPlanRow *self);
/* Chooses as the drop-down would (tests; keyboard users have the drop-down). */
void              mw_evacuation_plan_row_choose   (MwEvacuationPlanRow *self,
                                                   MwEvacuationAction   action);

G_END_DECLS
