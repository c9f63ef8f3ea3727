/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-chart.h: the live view of one migration, drawn from an MwSampleHistory.
 *
 * x is time since the history's start, from 0 to a round time past the newest sample, so the
 * axis grows with the run and a short run fills the width; memory remaining is a filled area on
 * the left axis (MiB or GiB), dirty rate and throughput are lines on the right axis (MiB/s); a
 * value libvirt has not measured yet is a gap. Pass boundaries and other history events are
 * vertical markers; the auto-converge throttle is a thin band under the plot and expected
 * downtime is read out in the top corner.
 *
 * The visible window is exposed as `start-us` / `end-us` (history-relative µs) and the plot's
 * horizontal insets as `plot-inset-start` / `plot-inset-end` (pixels), so that a widget of the
 * same width stacked under the chart (MwPingStrip) can bind all four and share the x axis.
 * Main thread only.
 */
#pragma once

#include <gtk/gtk.h>

#include "mw-sample-history.h"

G_BEGIN_DECLS

#define MW_TYPE_MIGRATION_CHART (mw_migration_chart_get_type ())

G_DECLARE_FINAL_TYPE (MwMigrationChart, mw_migration_chart, MW, MIGRATION_CHART, GtkWidget)

GtkWidget       *mw_migration_chart_new              (MwSampleHistory  *history);
MwSampleHistory *mw_migration_chart_get_history      (MwMigrationChart *self);
void             mw_migration_chart_set_history      (MwMigrationChart *self,
                                                      MwSampleHistory  *history);
/* The x axis always spans at least this much (5 s by default), so a young run grows from
 * the left instead of being stretched over the whole width. */
gint64           mw_migration_chart_get_min_range_us (MwMigrationChart *self);
void             mw_migration_chart_set_min_range_us (MwMigrationChart *self,
                                                      gint64            min_range_us);
/* Visible window, history-relative µs: [0, mw_time_plot_fit_end_us (newest sample or event,
 * min-range-us)]. */
gint64           mw_migration_chart_get_start_us     (MwMigrationChart *self);
gint64           mw_migration_chart_get_end_us       (MwMigrationChart *self);
int              mw_migration_chart_get_plot_inset_start (MwMigrationChart *self);
int              mw_migration_chart_get_plot_inset_end   (MwMigrationChart *self);
/* Makes follower (a widget with the same four properties, such as MwPingStrip, as wide as the
 * chart and stacked with it) take the chart's window and insets from now on, so both draw any
 * time at the same x. */
void             mw_migration_chart_bind_axis        (MwMigrationChart *self,
                                                      gpointer          follower);
/* The latest values in words; also the accessible description. */
const char      *mw_migration_chart_get_summary      (MwMigrationChart *self);

G_END_DECLS
