/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-evacuation-report.h: the record of a whole evacuation, and the bring-back made from it.
 *
 * JSON layout (version 1):
 *   { "format": "mig-wizard-evacuation", "version": 1, "generated": ISO 8601,
 *     "kind": "evacuation" | "bring-back", "source": uri | null, "destinations": [ uri ],
 *     "parallel", "bandwidth_mib_s", "order", "stop_on_failure", "stopped", "all_moved",
 *     "total_time_ms", "max_running",
 *     "guests": [ { "name", "from": where it was, "to": where it was to go | null,
 *                   "was_running", "memory_kib", "priority", "group", "reason",
 *                   "action", "state", "now_on": where the hosts say it is | null,
 *                   "verified", "time_ms", "downtime_ms", "ping_gap_ms" (null: unknown),
 *                   "message", "ping_address" | null,
 *                   "report": the per-guest job report's file name | null } ] }
 * The CSV has one row per guest with the same fields (no reason, no report). Per-guest job
 * reports (mw-report.h) go next to the JSON as STEM-NAME.json and STEM-NAME.csv.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "mw-evacuation.h"

G_BEGIN_DECLS

#define MW_EVACUATION_REPORT_ERROR (mw_evacuation_report_error_quark ())

typedef enum
{
  MW_EVACUATION_REPORT_ERROR_INVALID,   /* not an evacuation report */
  MW_EVACUATION_REPORT_ERROR_NOTHING,   /* nothing in it to bring back */
} MwEvacuationReportError;

GQuark            mw_evacuation_report_error_quark     (void);

/* Main thread. */
JsonNode         *mw_evacuation_to_json                (MwEvacuation *self);
char             *mw_evacuation_to_csv                 (MwEvacuation *self);

/* Writes the JSON, the CSV (when csv_file is not NULL) and each guest's job report; the
 * snapshot is taken at the call, the files are written in a worker. */
void              mw_evacuation_write_report_async     (MwEvacuation        *self,
                                                        GFile               *json_file,
                                                        GFile               *csv_file,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean          mw_evacuation_write_report_finish    (MwEvacuation        *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* A plan that undoes the evacuation the report records: each guest that moved goes back from
 * where it is now to where it came from; each guest that was shut down or saved is started
 * where it is. Guests that were left, failed or skipped are not in it. */
MwEvacuationPlan *mw_evacuation_plan_new_bring_back    (JsonNode            *report,
                                                        GError             **error);
/* The same from a report file; blocks on the read (small local file). */
MwEvacuationPlan *mw_evacuation_plan_new_bring_back_from_file (const char    *path,
                                                               GError       **error);

G_END_DECLS
