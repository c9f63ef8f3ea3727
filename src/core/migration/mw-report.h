/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-report.h: the record of one migration run, written as JSON and CSV.
 *
 * mw_report_new () runs on the main thread and takes a snapshot of everything (the history and
 * pinger are main-thread objects); the report is immutable afterwards, so it can be handed to a
 * worker. Writing is the libvirt-glib triple; the _async variant does all formatting and file
 * I/O in a worker thread. The CSV is mw_sample_history_save_csv ()'s format, so a report's CSV
 * can be loaded back as a trace.
 *
 * JSON layout (version 1):
 *   { "format": "mig-wizard-report", "version": 1, "generated": ISO 8601, "started": ISO 8601|null,
 *     "domain": str, "source": { "uri", "host" }, "destination": { "uri", "host" },
 *     "options": as the user chose them, before any remedy (summary.remedies lists those):
 *                { "mode", "persistence", "storage", "max_downtime_ms", "bandwidth_mib_s",
 *                  "auto_converge", "postcopy", "postcopy_after_s", "compression",
 *                  "connection", "tls", "unsafe", "parallel_connections", "zerocopy",
 *                  "xbzrle_cache_mib",
 *                  "virsh": the equivalent command (null when it cannot be rendered) } | null,
 *     "summary": { "outcome", "message",
 *                  "total_time_ms": the migration call, the figure the window and the CLI show
 *                  (libvirt's job time when the job did not time it),
 *                  "libvirt_time_ms": libvirt's own job time (null: it reported none),
 *                  "downtime_ms" (null: libvirt kept none),
 *                  "downtime_net_ms": the same less the network's part (null: none),
 *                  "longest_ping_gap_ms" (null: no pinger), "passes",
 *                  "peak_dirty_rate_bps", "peak_throughput_bps", "data_processed",
 *                  "max_throttle_percent", "pings_sent", "pings_received", "pings_lost",
 *                  "remedies": [ { "remedy": its nick, "time_ms": when its call returned,
 *                                  "text": the result page's sentence } ] },
 *     "forecast": pre-flight's convergence forecast and whether the outcome held it
 *                 (mw_forecast_add_json ()), null when none was made,
 *     "samples": [ { "time_us", "state", "have", every MwJobSample field by its C name } ],
 *     "events": [ { "time_us", "kind", "value", "text" } ],
 *     "ping": { "address", "interval_ms", "timeout_ms", "sent", "received", "lost",
 *               "longest_gap_us", "records": [ { "sequence", "sent_us", "rtt_us", "lost" } ] }
 *             | null }
 * Enumerations are written by their nicks ("live", "peer-to-peer", "completed", "pass").
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "mw-forecast.h"
#include "mw-migration-options.h"
#include "mw-pinger.h"
#include "mw-sample-history.h"

G_BEGIN_DECLS

typedef enum
{
  MW_REPORT_OUTCOME_UNKNOWN,     /* still running, or never learnt */
  MW_REPORT_OUTCOME_COMPLETED,
  MW_REPORT_OUTCOME_FAILED,
  MW_REPORT_OUTCOME_CANCELLED,
} MwReportOutcome;

/* What the job knows besides samples and pings. Pointers are borrowed for the call. */
typedef struct
{
  const char *domain_name;
  const char *source_uri;
  const char *source_host;              /* may be NULL */
  const char *destination_uri;
  const char *destination_host;         /* may be NULL */
  const char *peer_uri;                 /* the destination as the source sees it, may be NULL */
  const MwMigrationOptions *options;    /* as the user chose them (before any remedy); may be
                                         * NULL */
  const MwForecast *forecast;           /* pre-flight's forecast; NULL: none was made */
  guint passes;                         /* the job's count; 0: the history's */
  MwReportOutcome outcome;
  const char *outcome_message;          /* libvirt's message for a failure, may be NULL */
  GDateTime *started;                   /* wall-clock start, may be NULL */
  gint64 downtime_ms;                   /* completed-job downtime; -1: look in the samples */
  gint64 downtime_net_ms;               /* its downtime_net; -1: look in the samples */
  gint64 call_ms;                       /* the migration call as the job timed it (its result's
                                         * total_ms); 0: not timed, libvirt's job time is used */
} MwReportInfo;

#define MW_TYPE_REPORT (mw_report_get_type ())

G_DECLARE_FINAL_TYPE (MwReport, mw_report, MW, REPORT, GObject)

/* Main thread. history and pinger may be NULL. */
MwReport        *mw_report_new          (const MwReportInfo  *info,
                                         MwSampleHistory     *history,
                                         MwPinger            *pinger);

/* Any thread (the report is immutable). */
JsonNode        *mw_report_to_json      (MwReport            *self);
char            *mw_report_to_json_data (MwReport            *self,
                                         gsize               *length);
char            *mw_report_to_csv       (MwReport            *self);

MwReportOutcome  mw_report_get_outcome           (MwReport   *self);
/* The migration call as the job timed it; without it, libvirt's job time (falling back to the
 * history's span), ms. */
gint64           mw_report_get_total_time_ms     (MwReport   *self);
/* libvirt's own job time (the longest elapsed time of the samples), ms; -1 when none. */
gint64           mw_report_get_libvirt_time_ms   (MwReport   *self);
/* -1 when libvirt kept none (abort, post-copy). */
gint64           mw_report_get_downtime_ms       (MwReport   *self);
gint64           mw_report_get_downtime_net_ms   (MwReport   *self);
/* -1 without a pinger. */
gint64           mw_report_get_longest_ping_gap_us (MwReport *self);
/* Memory passes: the job's count (the result page's), else the history's. */
guint            mw_report_get_passes            (MwReport   *self);
/* Pre-flight's forecast, NULL when none was made; and the outcome to hold it against, from
 * this report's own figures. */
const MwForecast *mw_report_get_forecast         (MwReport   *self);
void             mw_report_get_forecast_outcome  (MwReport          *self,
                                                  MwForecastOutcome *outcome);

/* Writes the JSON to json_file and, when csv_file is not NULL, the samples and events as CSV,
 * replacing existing files. Blocks: not on the main thread. */
gboolean         mw_report_write        (MwReport            *self,
                                         GFile               *json_file,
                                         GFile               *csv_file,
                                         GCancellable        *cancellable,
                                         GError             **error);
void             mw_report_write_async  (MwReport            *self,
                                         GFile               *json_file,
                                         GFile               *csv_file,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean         mw_report_write_finish (MwReport            *self,
                                         GAsyncResult        *result,
                                         GError             **error);

G_END_DECLS
