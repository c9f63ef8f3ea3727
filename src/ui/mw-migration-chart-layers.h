/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-chart-layers.h: the layers MwMigrationChart's snapshot () stacks, back to front:
 * value grid, throttle band, time ticks (mw-plot-utils), event markers and series lines in one
 * cairo node, event labels, legend. Each reads the history and the decimated columns it is
 * given and nothing else. Main thread; not API. */
#pragma once

#include <gtk/gtk.h>

#include "mw-plot-utils.h"
#include "mw-sample-history.h"

G_BEGIN_DECLS

#define MW_CHART_MIB 1048576.0
#define MW_CHART_PAD 6.0f          /* around the legend and between blocks */
#define MW_CHART_BAND_HEIGHT 5.0f  /* the throttle band under the plot */

/* One pixel column of decimated samples. */
typedef struct
{
  double t_sum;               /* for the mean time of the column's samples */
  guint n;
  guint have;                 /* union of the samples' MwJobHave bits */
  guint64 remaining;          /* maxima over the column */
  guint64 dirty;
  guint64 bps;
  guint throttle;
} MwChartColumn;

/* The series' colours, the theme's named ones. */
typedef struct
{
  GdkRGBA remaining;
  GdkRGBA dirty;
  GdkRGBA bps;
  GdkRGBA throttle;
  GdkRGBA success;
  GdkRGBA error;
} MwChartPalette;

/* The y axes: n_div divisions of byte_step bytes on the left and rate_step MiB/s on the
 * right, sharing the grid lines. */
typedef struct
{
  int n_div;
  guint64 byte_step;
  double rate_step;
} MwChartScale;

/* Everything one snapshot's layers draw from. */
typedef struct
{
  MwPlotCanvas canvas;
  MwChartPalette palette;
  float legend_y;
  float lane_y;               /* the two lanes of event labels */
  float band_y;               /* the throttle band */
  float xlabel_y;             /* the time labels */
  const MwTimePlot *plot;
  MwSampleHistory *history;
  const MwChartColumn *columns;
  int n_columns;
  MwChartScale scale;
  gboolean show_throttle;
} MwChartDraw;

char *mw_chart_format_ms            (guint64            ms);
char *mw_chart_format_rate          (guint64            bps);
char *mw_chart_format_size          (guint64            bytes);

void  mw_chart_get_palette          (GtkWidget         *widget,
                                     MwChartPalette    *palette);
void  mw_chart_scale_init           (MwChartScale      *scale,
                                     guint64            max_bytes,
                                     guint64            max_rate,
                                     float              plot_h);

void  mw_chart_append_placeholder   (const MwChartDraw *draw,
                                     const char        *text);
void  mw_chart_append_value_grid    (const MwChartDraw *draw);
void  mw_chart_append_throttle_band (const MwChartDraw *draw);
void  mw_chart_append_lines         (const MwChartDraw *draw);
void  mw_chart_append_event_labels  (const MwChartDraw *draw);
void  mw_chart_append_legend        (const MwChartDraw *draw);

G_END_DECLS
