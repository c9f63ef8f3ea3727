/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-forecast.h: pre-flight's convergence forecast as a value, and how it compares with what
 * happened.
 *
 * The forecast check (src/core/checks/mw-check-forecast.c) fills an MwForecast; it travels as a
 * boxed copy from the check to MwPreflight, the wizard's plan, the job, and the job's report, so
 * the report, the result page and the CLI can put the forecast's figures beside the outcome's.
 * A migration without one (no pre-flight, the dirty rate not measured) carries NULL, and each
 * of those says so. Plain data, any thread.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "mw-convergence.h"

G_BEGIN_DECLS

typedef struct
{
  MwConvergenceVerdict verdict;  /* CONVERGING, NOT_CONVERGING, or UNKNOWN (not measured) */
  double seconds;                /* predicted duration of the memory copy; -1: never */
  guint downtime_ms;             /* predicted pause at the switch-over */
  guint passes;
  MwRemedy remedies;             /* for NOT_CONVERGING: RESTART_* and the others */
  guint suggested_downtime_ms;
  /* Where the model is unsure, as measured in the lab (bench/run-bench-forecast): the pause
   * libvirt will report and the passes it will count ("Memory iteration") lie in these ranges,
   * which hold downtime_ms and passes. */
  guint downtime_min_ms;
  guint downtime_max_ms;
  guint passes_min;
  guint passes_max;
  guint64 switch_over_bytes;     /* QEMU switches over once no more than this is left */
  /* What it was made from (0: not known). */
  guint64 memory_bytes;
  guint64 dirty_bps;
  guint64 link_bps;
} MwForecast;

#define MW_TYPE_FORECAST (mw_forecast_get_type ())

GType       mw_forecast_get_type  (void) G_GNUC_CONST;
MwForecast *mw_forecast_copy      (const MwForecast *self);
void        mw_forecast_free      (MwForecast       *self);

/* What happened, to hold a forecast against. */
typedef struct
{
  gboolean completed;            /* the migration completed */
  gboolean ended;                /* it ended at all (completed, failed or was stopped) */
  gint64 downtime_ms;            /* libvirt's pause at the switch-over; -1: it kept none */
  guint passes;                  /* memory passes libvirt counted */
  gint64 total_ms;               /* the migration call; -1: unknown */
  gboolean remedied;             /* a remedy changed the settings the forecast was made for */
} MwForecastOutcome;

/* The three figures a forecast makes, in the order they are shown. */
typedef enum
{
  MW_FORECAST_ITEM_CONVERGES,    /* converges (in about N s) or not, against the outcome */
  MW_FORECAST_ITEM_PAUSE,        /* the pause range against libvirt's downtime */
  MW_FORECAST_ITEM_PASSES,       /* the passes range against libvirt's count */
  MW_FORECAST_N_ITEMS,
} MwForecastItem;

typedef enum
{
  MW_FORECAST_HELD,              /* the outcome lies in what was forecast */
  MW_FORECAST_MISSED,            /* it does not */
  MW_FORECAST_UNCHECKED,         /* nothing to hold it against (no figure on one side) */
} MwForecastMatch;

/* forecast may be NULL (then UNCHECKED). A migration that failed or was stopped does not
 * check CONVERGES, nor does one forecast not to converge that completed after a remedy (the
 * forecast was for the settings before it); a pause or passes only count for one that
 * completed. */
MwForecastMatch mw_forecast_match        (const MwForecast        *forecast,
                                          const MwForecastOutcome *outcome,
                                          MwForecastItem           item);
/* The item's translated caption ("Pause at the switch-over"). */
const char     *mw_forecast_item_caption (MwForecastItem           item);
/* The forecast's figure ("25–400 ms", "3–6", "converges in about 4.2 s"), or NULL when it has
 * none for the item (forecast NULL, or not converging for the pause and passes). */
char           *mw_forecast_format_predicted (const MwForecast     *forecast,
                                              MwForecastItem        item);
/* The outcome's figure ("44 ms", "5", "completed in 4.7 s"), or NULL when unknown. */
char           *mw_forecast_format_actual (const MwForecastOutcome *outcome,
                                           MwForecastItem           item);
/* One translated sentence for the item, forecast beside outcome: "Pause at the switch-over:
 * forecast 25–400 ms, outcome 44 ms (within the forecast)." Says so when there was no
 * forecast. */
char           *mw_forecast_describe     (const MwForecast        *forecast,
                                          const MwForecastOutcome *outcome,
                                          MwForecastItem           item);

/* { "verdict", "seconds" (null: never), "downtime_ms", "downtime_min_ms", "downtime_max_ms",
 *   "passes", "passes_min", "passes_max", "switch_over_bytes", "memory_bytes", "dirty_rate_bps",
 *   "link_bps", "held": { "converges", "pause", "passes": true | false | null } } as a member
 * `name` of the object being built; null when forecast is NULL. */
void            mw_forecast_add_json     (JsonBuilder             *builder,
                                          const char              *name,
                                          const MwForecast        *forecast,
                                          const MwForecastOutcome *outcome);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwForecast, mw_forecast_free)

G_END_DECLS
