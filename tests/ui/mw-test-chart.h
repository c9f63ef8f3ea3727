/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-test-chart.h: what the chart's test programs (test-chart.c, test-chart-axes.c) share: a
 * window with the chart above the ping strip, the recorded (or synthetic) trace, generated runs
 * and pings, and waiting for the chart's next snapshot. */
#pragma once

#include <adwaita.h>

#include "mw-migration-chart-private.h"
#include "mw-ping-strip-private.h"
#include "mw-sample-history.h"
#include "mw-test-trace.h"
#include "mw-test-ui.h"

G_BEGIN_DECLS

typedef struct
{
  GtkWindow *window;
  MwMigrationChart *chart;
  MwPingStrip *strip;
} Fixture;

typedef struct
{
  MwMigrationChart *chart;
  guint n_snapshots;
} SnapshotWait;

void             fixture_set_up        (Fixture           *fixture,
                                        gconstpointer      data);
void             fixture_tear_down     (Fixture           *fixture,
                                        gconstpointer      data);
/* For mw_test_wait_until: the chart drew a snapshot since wait's n_snapshots. */
gboolean         chart_snapshotted     (gpointer           data);
gboolean         node_has_type         (GskRenderNode     *node,
                                        GskRenderNodeType  type);
GskRenderNode   *render_widget         (GtkWidget         *widget);
void             assert_description    (GtkWidget         *widget,
                                        const char        *expected);
MwSampleHistory *make_run              (guint              n_samples,
                                        gint64             interval_us,
                                        guint              samples_per_pass);
void             show_history          (Fixture           *fixture,
                                        MwSampleHistory   *history);
/* The start of each chart test program's main: the test AT context, GTK and libadwaita. */
void             mw_test_chart_init    (int               *argc,
                                        char            ***argv);

G_END_DECLS
