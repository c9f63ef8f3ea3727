/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-summary.h: the result's paragraph in words, built from the verified facts only:
 * where the guest was found running (never libvirt's word alone), a host that could not be
 * asked, an unfinished copy left behind, the time, passes, pause and pings. */
#pragma once

#include "mw-migration-job.h"

G_BEGIN_DECLS

typedef struct
{
  const char *domain_name;
  const char *source_host;
  const char *destination_host;
  gboolean offline;            /* an offline migration: only the definition moves */
  gboolean migration_started;  /* the migration call was made */
} MwSummaryContext;

/* The three downtimes of a finished migration, side by side. */
typedef enum
{
  MW_DOWNTIME_LIBVIRT,      /* VIR_DOMAIN_JOB_DOWNTIME of the completed job */
  MW_DOWNTIME_LIBVIRT_NET,  /* VIR_DOMAIN_JOB_DOWNTIME_NET of the completed job */
  MW_DOWNTIME_PING_GAP,     /* the longest gap between ping replies the guest's users saw */
  MW_N_DOWNTIMES,
} MwDowntimeKind;

/* Its translated caption ("Downtime (libvirt)"), and one line on what it measures. */
const char *mw_downtime_caption     (MwDowntimeKind kind);
const char *mw_downtime_explanation (MwDowntimeKind kind);
/* The figure in ms, -1 when unknown (never 0 for unknown). */
gint64      mw_downtime_ms          (const MwMigrationJobResult *result,
                                     MwDowntimeKind              kind);
/* "67 ms", or a translated phrase saying why it is unknown ("not reported by libvirt"). */
char       *mw_downtime_format      (const MwMigrationJobResult *result,
                                     MwDowntimeKind              kind);

/* One whole translated sentence for a remedy taken at_us into the migration ("The bandwidth
 * limit was removed 12 s into the migration."). */
char *mw_remedy_taken_describe     (MwRemedy                    remedy,
                                    gint64                      at_us);
/* Those sentences for every remedy the history records (MW_HISTORY_EVENT_REMEDY), joined by
 * spaces; NULL when none was taken. */
char *mw_remedies_taken_describe   (MwSampleHistory            *history);

/* The outcome a forecast is held against (mw-forecast.h), from the figures the result page and
 * the CLI show: libvirt's downtime, the passes, the call's time; whether the history (may be
 * NULL) records a remedy taken. */
void  mw_forecast_outcome_from_result (const MwMigrationJobResult *result,
                                       MwSampleHistory            *history,
                                       MwForecastOutcome          *outcome);
/* Whether the history records a remedy taken (MW_HISTORY_EVENT_REMEDY). */
gboolean mw_history_has_remedy        (MwSampleHistory            *history);

/* One translated paragraph for result (its state, where the guest is, figures). */
char *mw_migration_summary (const MwMigrationJobResult *result,
                            const MwSummaryContext     *context);

G_END_DECLS
