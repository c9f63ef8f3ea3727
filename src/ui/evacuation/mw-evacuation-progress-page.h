/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-evacuation-progress-page.h: the evacuation as it runs: how many guests are done, failed,
 * skipped and running, the time since the start, Stop All (action progress.stop-all), and one
 * row per guest in the plan's order (MwEvacuationProgressRow, in a GtkListView so hundreds of
 * guests cost the rows on screen). Main thread. */
#pragma once

#include <adwaita.h>

#include "mw-connection-list.h"
#include "mw-evacuation.h"

G_BEGIN_DECLS

#define MW_TYPE_EVACUATION_PROGRESS_PAGE (mw_evacuation_progress_page_get_type ())

G_DECLARE_FINAL_TYPE (MwEvacuationProgressPage, mw_evacuation_progress_page, MW,
                      EVACUATION_PROGRESS_PAGE, AdwBin)

GtkWidget    *mw_evacuation_progress_page_new            (MwConnectionList         *connections);
MwEvacuation *mw_evacuation_progress_page_get_evacuation (MwEvacuationProgressPage *self);
void          mw_evacuation_progress_page_set_evacuation (MwEvacuationProgressPage *self,
                                                          MwEvacuation             *evacuation);
/* The overall line ("12 of 300 done, 1 failed…"), for tests. */
const char   *mw_evacuation_progress_page_get_count_text (MwEvacuationProgressPage *self);
GtkListView  *mw_evacuation_progress_page_get_list_view  (MwEvacuationProgressPage *self);

G_END_DECLS
