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

/* The series drawn as lines, in the order they are drawn. */
typedef enum
{
  MW_CHART_SERIES_REMAINING,
  MW_CHART_SERIES_DIRTY_RATE,
  MW_CHART_SERIES_THROUGHPUT,
  MW_CHART_N_SERIES
} MwChartSeries;

/* One point of a series as drawn (widget coordinates), kept for tests. */
typedef struct
{
  float x;
  float y;
  guint64 value;
  gboolean run_start;         /* the first point, or the first after a gap */
} MwChartPoint;

/* One pixel column of decimated samples. */
typedef struct
{
  double t_sum;               /* for the mean time of the column's samples */
  guint n;
  guint known;                /* MwJobHave bits some sample of the column knows */
  guint64 value[MW_CHART_N_SERIES]; /* maxima over the column, of the known values */
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
  GArray *points[MW_CHART_N_SERIES]; /* borrowed, may be NULL: MwChartPoint, what was drawn */
} MwChartDraw;

/* The MwJobHave bit of each series. */
extern const guint mw_chart_series_bits[MW_CHART_N_SERIES];

/* The MwJobHave bits of the values a sample really knows, which is less than `have`: libvirt
 * reports memory remaining as 0 in the setup phase (the total is 0 too: nothing is known to
 * copy yet), and QEMU reports a dirty rate of 0 until it has measured a whole pass, and again in
 * a completed job's statistics. Those are unknown, drawn as gaps and left out of the words. */
guint mw_chart_sample_known         (const MwJobSample *sample);

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
