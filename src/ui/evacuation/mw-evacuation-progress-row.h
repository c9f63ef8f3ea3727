/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-evacuation-progress-row.h: one guest while the evacuation runs: its state in words and
 * icon, what happened (the core's sentence), a small live chart of the memory its migration
 * still has to copy, the last ping when it is pinged, and a button that cancels it (it stays
 * where it is). A GtkListView factory binds it to an MwEvacuationItem; it follows the item's
 * `state`, `message` and `job` and the job's pinger. Emits `cancel` (item). Main thread. */
#pragma once

#include <gtk/gtk.h>

#include "mw-connection-list.h"
#include "mw-evacuation-item.h"

G_BEGIN_DECLS

#define MW_TYPE_EVACUATION_PROGRESS_ROW (mw_evacuation_progress_row_get_type ())

G_DECLARE_FINAL_TYPE (MwEvacuationProgressRow, mw_evacuation_progress_row, MW,
                      EVACUATION_PROGRESS_ROW, GtkBox)

GtkWidget        *mw_evacuation_progress_row_new       (MwConnectionList        *connections);
void              mw_evacuation_progress_row_bind      (MwEvacuationProgressRow *self,
                                                        MwEvacuationItem        *item);
void              mw_evacuation_progress_row_unbind    (MwEvacuationProgressRow *self);
MwEvacuationItem *mw_evacuation_progress_row_get_item  (MwEvacuationProgressRow *self);
/* What the row shows, for tests: its state line and ping text. */
const char       *mw_evacuation_progress_row_get_state_text (MwEvacuationProgressRow *self);
const char       *mw_evacuation_progress_row_get_ping_text  (MwEvacuationProgressRow *self);
GtkWidget        *mw_evacuation_progress_row_get_sparkline  (MwEvacuationProgressRow *self);

G_END_DECLS
