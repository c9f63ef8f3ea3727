/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-evacuation-window-private.h: for the UI tests, which drive the pages and give the run
 * jobs on a scripted backend, as tests/evacuation does. */
#pragma once

#include "mw-evacuation-plan-page.h"
#include "mw-evacuation-private.h"
#include "mw-evacuation-progress-page.h"
#include "mw-evacuation-setup-page.h"
#include "mw-evacuation-summary-page.h"
#include "mw-evacuation-window.h"

G_BEGIN_DECLS

MwEvacuationSetupPage    *mw_evacuation_window_get_setup_page    (MwEvacuationWindow *self);
MwEvacuationPlanPage     *mw_evacuation_window_get_plan_page     (MwEvacuationWindow *self);
MwEvacuationProgressPage *mw_evacuation_window_get_progress_page (MwEvacuationWindow *self);
MwEvacuationSummaryPage  *mw_evacuation_window_get_summary_page  (MwEvacuationWindow *self);
/* "setup", "plan", "progress" or "summary". */
const char               *mw_evacuation_window_get_page_name     (MwEvacuationWindow *self);
/* The evacuation that ran or runs (NULL before Start). */
MwEvacuation             *mw_evacuation_window_get_evacuation    (MwEvacuationWindow *self);

/* What Save Report… does once the file is chosen: the core's JSON there, the CSV beside it,
 * each guest's job report next to them; a toast says how it went. */
void mw_evacuation_window_save_report     (MwEvacuationWindow     *self,
                                           GFile                  *json_file);

/* Before Start: the run's jobs come from factory (NULL: real ones), sampled every
 * interval_ms (0: the job's default). */
void mw_evacuation_window_set_job_factory (MwEvacuationWindow     *self,
                                           MwEvacuationJobFactory  factory,
                                           gpointer                user_data,
                                           guint                   interval_ms);
/* What Check and Bring Back… do with their plan: the plan page shows it and its pre-flight
 * runs (bench/bench-evacuation-window brings back guests that no run of its own moved). */
void mw_evacuation_window_show_plan       (MwEvacuationWindow     *self,
                                           MwEvacuationPlan       *plan);
/* Before Check: how many pre-flights run at once. */
void mw_evacuation_window_set_max_checks  (MwEvacuationWindow     *self,
                                           guint                   max_checks);

G_END_DECLS
