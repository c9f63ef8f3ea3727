/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-evacuation-setup-page.h: the first page of Evacuate Host…: where the guests go (one host,
 * or spread over several by free memory), in which order, how many at once and the bandwidth
 * they share. `valid` says whether a plan can be made (a destination is chosen). Main thread. */
#pragma once

#include <adwaita.h>

#include "mw-connection-list.h"
#include "mw-evacuation-placement.h"

G_BEGIN_DECLS

#define MW_TYPE_EVACUATION_SETUP_PAGE (mw_evacuation_setup_page_get_type ())

G_DECLARE_FINAL_TYPE (MwEvacuationSetupPage, mw_evacuation_setup_page, MW,
                      EVACUATION_SETUP_PAGE, AdwBin)

/* Every connection of connections but source is offered as a destination. */
GtkWidget         *mw_evacuation_setup_page_new              (MwConnectionList *connections,
                                                              MwConnection     *source);
gboolean           mw_evacuation_setup_page_get_valid        (MwEvacuationSetupPage *self);
/* The chosen destinations' URIs, in the list's order. */
GStrv              mw_evacuation_setup_page_dup_destinations (MwEvacuationSetupPage *self);
/* Ticks (or unticks) the destination of that URI; FALSE when it is not offered. */
gboolean           mw_evacuation_setup_page_set_destination  (MwEvacuationSetupPage *self,
                                                              const char            *uri,
                                                              gboolean               chosen);
MwEvacuationOrder  mw_evacuation_setup_page_get_order        (MwEvacuationSetupPage *self);
void               mw_evacuation_setup_page_set_order        (MwEvacuationSetupPage *self,
                                                              MwEvacuationOrder      order);
/* At most this many migrations at once: 1 per destination unless the user raised it. */
guint              mw_evacuation_setup_page_get_parallel     (MwEvacuationSetupPage *self);
void               mw_evacuation_setup_page_set_parallel     (MwEvacuationSetupPage *self,
                                                              guint                  parallel);
/* MiB/s shared by the running migrations, 0 for no cap. */
guint              mw_evacuation_setup_page_get_bandwidth    (MwEvacuationSetupPage *self);
void               mw_evacuation_setup_page_set_bandwidth    (MwEvacuationSetupPage *self,
                                                              guint                  mib_s);

G_END_DECLS
