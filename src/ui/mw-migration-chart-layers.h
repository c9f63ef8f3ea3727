/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-chart-layers.h: the layers MwMigrationChart's snapshot () stacks, back to front:
 * value grid, throttle band, time ticks (mw-plot-utils), event markers and series lines in one
 * cairo node, event labels (placed before anything is drawn: markers reach up to them), legend.
 * Each reads the history and the decimated columns it is given and nothing else. Main thread;
 * not API. */
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
 * right, sharing the grid lines. Each axis speaks one unit: the left one byte_unit (MiB, or
 * GiB once a step is a whole GiB), which the legend's remaining memory speaks too; the right
 * one MiB/s with rate_decimals decimals on every label. */
typedef struct
{
  int n_div;
  guint64 byte_step;
  guint64 byte_unit;
  double rate_step;
  int rate_decimals;
} MwChartScale;

/* An event's label, where mw_chart_place_event_labels () found room for it. */
typedef struct
{
  guint event;                /* its index in the history's events */
  float x;
  int lane;                   /* 0 the top one, 1 the one under it */
  char *text;
  const GdkRGBA *color;
} MwChartLabel;

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
  GArray *labels;             /* MwChartLabel, from mw_chart_place_event_labels () */
  GArray *points[MW_CHART_N_SERIES]; /* borrowed, may be NULL: MwChartPoint, what was drawn */
  GArray *markers;            /* borrowed, may be NULL: graphene_rect_t, the event markers drawn */
} MwChartDraw;

/* The MwJobHave bit of each series. */
extern const guint mw_chart_series_bits[MW_CHART_N_SERIES];

/* The MwJobHave bits of the values a sample really knows, which is less than `have`: libvirt
 * reports memory remaining as 0 in the setup phase (the total is 0 too: nothing is known to
 * copy yet), and QEMU reports a dirty rate of 0 until it has measured a whole pass, and again in
 * a completed job's statistics. Those are unknown, drawn as gaps and left out of the words. */
guint mw_chart_sample_known         (const MwJobSample *sample);
/* The whole migration's transfer rate at the newest sample (mw_job_sample_total_bps ()). */
guint64 mw_chart_history_total_bps  (MwSampleHistory   *history);

char *mw_chart_format_ms            (guint64            ms);
/* A rate in MiB/s, with a decimal below 10 MiB/s. */
char *mw_chart_format_rate          (guint64            bps);

/* Labels in the scale's units: of the left axis ("512 MiB", "0 MiB", "2 GiB"), of the right axis
 * ("62.5 MiB/s" on every label when one needs the decimal), and a size for the legend in the
 * left axis' unit ("122 MiB", "1.3 GiB"). */
char *mw_chart_scale_format_bytes   (const MwChartScale *scale,
                                     guint64             bytes);
char *mw_chart_scale_format_rate    (const MwChartScale *scale,
                                     guint64             bps);
char *mw_chart_scale_format_size    (const MwChartScale *scale,
                                     guint64             bytes);
/* The widest label either axis can show, in pixels of layout, so the plot's insets can hold
 * them whatever the ranges. */
int   mw_chart_scale_widest_bytes   (PangoLayout        *layout);
int   mw_chart_scale_widest_rate    (PangoLayout        *layout);

void  mw_chart_get_palette          (GtkWidget         *widget,
                                     MwChartPalette    *palette);
void  mw_chart_scale_init           (MwChartScale      *scale,
                                     guint64            max_bytes,
                                     guint64            max_rate,
                                     float              plot_h);

/* One column per pixel of n_columns across plot's window, each series keeping its maximum over
 * the column (so spikes survive); raises what the y axes must hold. Returns the columns with a
 * sample. */
guint mw_chart_decimate             (MwSampleHistory   *history,
                                     const MwTimePlot  *plot,
                                     MwChartColumn     *columns,
                                     int                n_columns,
                                     guint64           *max_bytes,
                                     guint64           *max_rate,
                                     gboolean          *show_throttle);

/* An event's label on the chart and its colour; NULL for an event drawn without a marker. */
char    *mw_chart_event_label       (const MwChartDraw     *draw,
                                     const MwHistoryEvent  *event,
                                     const GdkRGBA        **color);
gboolean mw_chart_event_in_window   (const MwChartDraw     *draw,
                                     const MwHistoryEvent  *event);
/* The pixel column of an event's marker. */
float    mw_chart_marker_x          (const MwChartDraw     *draw,
                                     const MwHistoryEvent  *event);

void  mw_chart_append_placeholder   (const MwChartDraw *draw,
                                     const char        *text);
void  mw_chart_append_value_grid    (const MwChartDraw *draw);
void  mw_chart_append_throttle_band (const MwChartDraw *draw);
/* Where the event labels go, before anything is drawn (markers reach up to their labels):
 * never on another label, never across a marker, inside the plot. Passes close together share
 * one label ("passes 3–5") and none goes unnamed while a pass label fits; another event's label
 * with no room is left out. Returns an array of MwChartLabel for draw->labels. In
 * mw-migration-chart-labels.c. */
GArray *mw_chart_place_event_labels (const MwChartDraw *draw);
void  mw_chart_append_lines         (const MwChartDraw *draw);
/* How far a series' marks reach past their points: a lone sample's dot (1.5 px line + 1.5). */
#define MW_CHART_MARK_REACH 3
/* Only one series, in its own node (a small chart without markers): clipped to the plot grown
 * by MW_CHART_MARK_REACH, so the first and the last point are drawn whole; the widget keeps that
 * much room around its plot. */
void  mw_chart_append_one_series    (const MwChartDraw *draw,
                                     MwChartSeries      series);
/* mw-migration-chart-labels.c */
void  mw_chart_append_event_labels  (const MwChartDraw *draw);
void  mw_chart_append_legend        (const MwChartDraw *draw);

G_END_DECLS
