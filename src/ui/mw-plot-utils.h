/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-plot-utils.h: what the migration chart and the ping strip draw with, once: the time axis
 * they share (its window, insets, properties, ticks and pixel columns), their summary in
 * words, the model they watch, the caption layout of their labels, theme colours, text and
 * runs of colour placed in a snapshot. Main thread. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* ---- the time axis ---------------------------------------------------------------------- */

/* Until a history says otherwise, both plots show the first five seconds: the shortest window,
 * which then grows with the run (mw_time_plot_fit_end_us ()). */
#define MW_TIME_PLOT_DEFAULT_END_US (5 * G_USEC_PER_SEC)

/* What a plot on the migration's time axis has: the visible window (history-relative µs), the
 * plot's horizontal insets (pixels), and the latest values in words, which are also its
 * accessible description. The chart computes the window and insets; the strip under it binds
 * them, so both draw time t at the same x. */
typedef struct
{
  gint64 start_us;
  gint64 end_us;
  int inset_start;
  int inset_end;
  char *summary;
} MwTimePlot;

/* Its properties, in the order mw_time_plot_install_properties () gives them ids. */
typedef enum
{
  MW_TIME_PLOT_PROP_START_US,
  MW_TIME_PLOT_PROP_END_US,
  MW_TIME_PLOT_PROP_PLOT_INSET_START,
  MW_TIME_PLOT_PROP_PLOT_INSET_END,
  MW_TIME_PLOT_PROP_SUMMARY,
  MW_TIME_PLOT_N_PROPS
} MwTimePlotProp;

void         mw_time_plot_init               (MwTimePlot       *plot,
                                              GtkWidget        *widget,
                                              const char       *label);
void         mw_time_plot_clear              (MwTimePlot       *plot);
/* Fills pspecs[0 .. MW_TIME_PLOT_N_PROPS - 1] ("start-us", "end-us", "plot-inset-start",
 * "plot-inset-end", "summary"); the window and insets get access (G_PARAM_READABLE where the
 * plot computes them, G_PARAM_READWRITE where it follows another), the summary is read-only. */
void         mw_time_plot_install_properties (GParamSpec      **pspecs,
                                              GParamFlags       access);
/* For the class's get_property, as GtkEditable delegates: prop is prop_id less the first id
 * given; FALSE when that is not one of these properties. */
gboolean     mw_time_plot_get_property       (const MwTimePlot *plot,
                                              guint             prop,
                                              GValue           *value);
gint64       mw_time_plot_value_of           (MwTimePlotProp    prop,
                                              const GValue     *value);
/* Sets the window or an inset; FALSE when it was so already. */
gboolean     mw_time_plot_set                (MwTimePlot       *plot,
                                              MwTimePlotProp    prop,
                                              gint64            value);
/* Replaces the summary and the widget's accessible description with text; FALSE when it was
 * the same. */
gboolean     mw_time_plot_set_summary        (MwTimePlot       *plot,
                                              GtkWidget        *widget,
                                              const char       *text);

/* From class_init: what every plot's class does alike. Its measure () asks min_width ×
 * min_height at least and nat_height, with the same natural width for every plot so plots
 * stacked in a box line up; it repaints when the theme changes (named colours live there);
 * its accessible role is an image. */
void         mw_time_plot_class_init         (GtkWidgetClass   *widget_class,
                                              int               min_width,
                                              int               min_height,
                                              int               nat_height);
/* Width of the plot between the insets, whole pixels. */
float        mw_time_plot_width              (const MwTimePlot *plot,
                                              float             widget_width);
/* x of time_us in a plot plot_w wide. */
double       mw_time_plot_x                  (const MwTimePlot *plot,
                                              float             plot_w,
                                              double            time_us);
/* The pixel column of time_us among n_columns across the window, or -1 outside it. */
int          mw_time_plot_column             (const MwTimePlot *plot,
                                              int               n_columns,
                                              gint64            time_us);
/* A time on the axis as a clock: "1:30", "1:02:03". */
char        *mw_time_plot_format_clock       (gint64            time_us);
/* The end of a window from 0 that holds data up to span_us and at least min_us: the next round
 * time at or after both (5, 10, 15, 20, 30, 40 s, 1, 1:30, 2, 3, 4, 5 min …), so the data fills
 * two thirds of the width or more once it is longer than min_us, and the last tick is the end. */
gint64       mw_time_plot_fit_end_us         (gint64            span_us,
                                              gint64            min_us);

/* One snapshot () of a plot: where it draws, and the colours and label layout it draws with.
 * The plot's rows (plot_y, plot_h) are the widget's own business; the columns come from the
 * insets. */
typedef struct
{
  GtkSnapshot *snapshot;
  PangoLayout *layout;        /* owned: mw_plot_label_layout_new () */
  float width;                /* the widget's */
  float height;
  float text_h;               /* one line of figures */
  float plot_x;
  float plot_y;
  float plot_w;
  float plot_h;
  GdkRGBA fg;
  GdkRGBA dim;                /* fg at the opacity of a secondary label */
  GdkRGBA grid;
  GArray *texts;              /* borrowed, may be NULL: MwPlotText, what was drawn */
} MwPlotCanvas;

/* One label a canvas drew: its text and where (widget coordinates). */
typedef struct
{
  char *text;
  graphene_rect_t rect;
} MwPlotText;

/* An array of MwPlotText, for a widget that keeps what its last snapshot wrote (tests read it). */
GArray      *mw_plot_texts_new               (void);

void         mw_plot_canvas_init             (MwPlotCanvas     *canvas,
                                              const MwTimePlot *plot,
                                              GtkWidget        *widget,
                                              GtkSnapshot      *snapshot);
void         mw_plot_canvas_clear            (MwPlotCanvas     *canvas);

/* text in the canvas' label layout, its top at y and x at xalign of its width (0 left,
 * 0.5 centre, 1 right); noted in canvas->texts when there is one. */
void         mw_plot_canvas_append_text      (const MwPlotCanvas *canvas,
                                              const char         *text,
                                              float               x,
                                              float               y,
                                              float               xalign,
                                              const GdkRGBA      *color);

/* Vertical grid lines over the plot and clock labels ("1:30") at round times, the labels' top
 * at label_y; a label that would leave the widget is left out. */
void         mw_time_plot_append_ticks       (const MwTimePlot   *plot,
                                              const MwPlotCanvas *canvas,
                                              float               label_y);

/* ---- the model a plot draws ------------------------------------------------------------- */

/* Swaps *model_ptr (a GObject with a `changed` signal, or NULL) for model, moving on_changed
 * (connected swapped, to widget) along; FALSE when it was that model already. */
gboolean     mw_plot_watch_model             (GtkWidget        *widget,
                                              gpointer          model_ptr,
                                              gpointer          model,
                                              GCallback         on_changed);

/* ---- drawing ---------------------------------------------------------------------------- */

/* Between an axis label and the plot. */
#define MW_PLOT_LABEL_GAP 6.0f

/* Caption-sized with tabular figures, so axis labels don't wobble as they change. */
PangoLayout *mw_plot_label_layout_new (GtkWidget     *widget);
int          mw_plot_text_width       (PangoLayout   *layout,
                                       const char    *text);
/* The height of one line of figures. */
int          mw_plot_text_height      (PangoLayout   *layout);
/* The theme's named colour, else fallback's (may be NULL), else the foreground: never a literal. */
void         mw_plot_lookup_color     (GtkWidget     *widget,
                                       const char    *name,
                                       const char    *fallback,
                                       GdkRGBA       *color);
/* The colour of a run of columns holding value; FALSE to leave the run empty. */
typedef gboolean (*MwPlotRunColor) (guint    value,
                                    GdkRGBA *color,
                                    gpointer user_data);

/* One value per pixel column of area (as many as it is wide), drawn as one colour node per
 * run of equal values. */
void         mw_plot_append_runs      (GtkSnapshot           *snapshot,
                                       const graphene_rect_t *area,
                                       const guint           *values,
                                       MwPlotRunColor         run_color,
                                       gpointer               user_data);

G_END_DECLS
