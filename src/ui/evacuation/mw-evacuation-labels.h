/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-evacuation-labels.h: the words and icons every evacuation page shows for a guest's group,
 * state and action, once. Main thread. */
#pragma once

#include <gtk/gtk.h>

#include "mw-connection-list.h"
#include "mw-evacuation-item.h"

G_BEGIN_DECLS

const char *mw_evacuation_group_title   (MwEvacuationGroup   group);
const char *mw_evacuation_group_icon    (MwEvacuationGroup   group);
const char *mw_evacuation_state_title   (MwEvacuationState   state);
const char *mw_evacuation_state_icon    (MwEvacuationState   state);
/* A guest's state shown in words, styled alike on the progress rows and in the summary:
 * sets label's text and its classes (extra_class, may be NULL, then the state's colour). */
void        mw_evacuation_state_style_label (GtkLabel          *label,
                                             MwEvacuationState  state,
                                             const char        *text,
                                             const char        *extra_class);
/* What a choice does, as a menu or drop-down says it ("Shut down"). */
const char *mw_evacuation_action_title  (MwEvacuationAction  action);
/* A host as the user named it: the connection's title when connections has it, else the URI. */
const char *mw_evacuation_host_title    (MwConnectionList   *connections,
                                         const char         *uri);
/* "4.0 GiB · running", for a row's subtitle. */
char       *mw_evacuation_item_describe (MwEvacuationItem   *item);
/* A duration in ms as the summary shows it ("1.2 s", "2:05"); "—" for -1. */
char       *mw_evacuation_format_ms     (gint64              ms);
/* The summary's sentence over items (MwEvacuationItem): how long it took and how many guests
 * moved, were started, shut down, suspended to disk, left by choice, failed or were not moved,
 * each counted only when there are some ("Done in 12.3 s: 3 moved, 1 left where it was, as
 * chosen."). stopped: Stop All ended it; all_moved: the core's mw_evacuation_get_all_moved (). */
char       *mw_evacuation_describe_outcome (GListModel       *items,
                                            gboolean          stopped,
                                            gboolean          all_moved,
                                            gint64            elapsed_ms);

G_END_DECLS
