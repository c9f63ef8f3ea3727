/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-evacuation-window.h: Evacuate Host…: every guest off one host, planned first.
 *
 * Four pages in one window: where to and how (MwEvacuationSetupPage), the checked plan with a
 * decision for every guest that needs one (MwEvacuationPlanPage), the run (…ProgressPage) and
 * the summary (…SummaryPage) with Save Report… and Bring Back…, which plans and runs the way
 * back from the evacuation's own record. Actions: evacuation.back, .check, .start,
 * .save-report, .bring-back. Closing it while guests move asks first and stops them (each stays
 * where it is). Main thread. */
#pragma once

#include <adwaita.h>

#include "mw-connection-list.h"

G_BEGIN_DECLS

#define MW_TYPE_EVACUATION_WINDOW (mw_evacuation_window_get_type ())

G_DECLARE_FINAL_TYPE (MwEvacuationWindow, mw_evacuation_window, MW, EVACUATION_WINDOW, AdwWindow)

/* source: the host to empty; the other connections are offered as destinations. */
MwEvacuationWindow *mw_evacuation_window_new (GtkWindow        *parent,
                                              MwConnectionList *connections,
                                              MwConnection     *source);

G_END_DECLS
