/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-evacuation-summary-page.h: the end of an evacuation: one line on the whole, then a table
 * of every guest: where the hosts say it is now (and whether that was checked on them), what
 * happened to it, how long it took, its downtime and longest ping gap, and the core's sentence.
 * Save Report… and Bring Back… are the window's actions (evacuation.save-report,
 * evacuation.bring-back). Main thread. */
#pragma once

#include <adwaita.h>

#include "mw-connection-list.h"
#include "mw-evacuation.h"

G_BEGIN_DECLS

#define MW_TYPE_EVACUATION_SUMMARY_PAGE (mw_evacuation_summary_page_get_type ())

G_DECLARE_FINAL_TYPE (MwEvacuationSummaryPage, mw_evacuation_summary_page, MW,
                      EVACUATION_SUMMARY_PAGE, AdwBin)

GtkWidget  *mw_evacuation_summary_page_new             (MwConnectionList        *connections);
/* A finished evacuation. */
void        mw_evacuation_summary_page_set_evacuation  (MwEvacuationSummaryPage *self,
                                                        MwEvacuation            *evacuation);
const char *mw_evacuation_summary_page_get_outcome     (MwEvacuationSummaryPage *self);
/* Why Bring Back… cannot be offered (its button's tooltip), or NULL when it can. */
void        mw_evacuation_summary_page_set_bring_back_blocked (MwEvacuationSummaryPage *self,
                                                              const char              *why);
/* The text of a cell as the table shows it (column: 0 guest, 1 now on, 2 outcome, 3 time,
 * 4 downtime, 5 ping gap, 6 note); for tests and for the accessible row labels. */
char       *mw_evacuation_summary_page_cell_text       (MwEvacuationSummaryPage *self,
                                                        MwEvacuationItem        *item,
                                                        guint                    column);

G_END_DECLS
