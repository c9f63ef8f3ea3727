/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-chart-private.h: hooks for the tests; not API. */
#pragma once

#include "mw-migration-chart.h"
#include "mw-migration-chart-layers.h"

G_BEGIN_DECLS

/* For tests: how many times snapshot() ran, and how many decimated points (pixel columns
 * with data) the last one drew. */
guint            mw_migration_chart_get_n_snapshots  (MwMigrationChart *self);
guint            mw_migration_chart_get_n_drawn_points (MwMigrationChart *self);
/* For tests: what the last snapshot drew, in widget coordinates: every label, each series'
 * points (a run starts after a gap), and each event marker's line. */
const MwPlotText  *mw_migration_chart_get_texts  (MwMigrationChart *self,
                                                  guint            *n_texts);
const MwChartPoint *mw_migration_chart_get_points (MwMigrationChart *self,
                                                   MwChartSeries     series,
                                                   guint            *n_points);
const graphene_rect_t *mw_migration_chart_get_markers (MwMigrationChart *self,
                                                       guint            *n_markers);

G_END_DECLS
