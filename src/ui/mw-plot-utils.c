/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-plot-utils.c: the time axis, labels and colours shared by the chart and the ping strip. */
#include "config.h"

#include <math.h>

#include "mw-plot-utils.h"

/* ---- the time axis ---------------------------------------------------------------------- */

void
mw_time_plot_init (MwTimePlot *plot,
                   GtkWidget  *widget,
                   const char *label)
{
  plot->end_us = MW_TIME_PLOT_DEFAULT_END_US;
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

void
mw_time_plot_clear (MwTimePlot *plot)
{
  g_clear_pointer (&plot->summary, g_free);
}

/* A time on the axis: history-relative µs. */
static GParamSpec *
time_pspec (const char  *name,
            gint64       default_us,
            GParamFlags  flags)
{
  return g_param_spec_int64 (name, NULL, NULL, 0, G_MAXINT64, default_us, flags);
}

/* An inset: pixels. */
static GParamSpec *
inset_pspec (const char  *name,
             GParamFlags  flags)
{
  return g_param_spec_int (name, NULL, NULL, 0, G_MAXINT, 0, flags);
}

void
mw_time_plot_install_properties (GParamSpec  **pspecs,
                                 GParamFlags   access)
{
  GParamFlags flags = access | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  pspecs[MW_TIME_PLOT_PROP_START_US] = time_pspec ("start-us", 0, flags);
  pspecs[MW_TIME_PLOT_PROP_END_US] = time_pspec ("end-us", MW_TIME_PLOT_DEFAULT_END_US, flags);
  pspecs[MW_TIME_PLOT_PROP_PLOT_INSET_START] = inset_pspec ("plot-inset-start", flags);
  pspecs[MW_TIME_PLOT_PROP_PLOT_INSET_END] = inset_pspec ("plot-inset-end", flags);
  pspecs[MW_TIME_PLOT_PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

gboolean
mw_time_plot_get_property (const MwTimePlot *plot,
                           guint             prop,
                           GValue           *value)
{
  switch ((MwTimePlotProp) prop)
    {
    case MW_TIME_PLOT_PROP_START_US:
      g_value_set_int64 (value, plot->start_us);
      break;
    case MW_TIME_PLOT_PROP_END_US:
      g_value_set_int64 (value, plot->end_us);
      break;
    case MW_TIME_PLOT_PROP_PLOT_INSET_START:
      g_value_set_int (value, plot->inset_start);
      break;
    case MW_TIME_PLOT_PROP_PLOT_INSET_END:
      g_value_set_int (value, plot->inset_end);
      break;
    case MW_TIME_PLOT_PROP_SUMMARY:
      g_value_set_string (value, plot->summary);
      break;
    case MW_TIME_PLOT_N_PROPS:
    default:
      return FALSE;
    }

  return TRUE;
}

gint64
mw_time_plot_value_of (MwTimePlotProp  prop,
                       const GValue   *value)
{
  g_assert (prop < MW_TIME_PLOT_PROP_SUMMARY);

  if (prop == MW_TIME_PLOT_PROP_START_US || prop == MW_TIME_PLOT_PROP_END_US)
    return g_value_get_int64 (value);
  return g_value_get_int (value);
}

gboolean
mw_time_plot_set (MwTimePlot     *plot,
                  MwTimePlotProp  prop,
                  gint64          value)
{
  switch (prop)
    {
    case MW_TIME_PLOT_PROP_START_US:
      if (plot->start_us == value)
        return FALSE;
      plot->start_us = value;
      return TRUE;
    case MW_TIME_PLOT_PROP_END_US:
      if (plot->end_us == value)
        return FALSE;
      plot->end_us = value;
      return TRUE;
    case MW_TIME_PLOT_PROP_PLOT_INSET_START:
      if (plot->inset_start == value)
        return FALSE;
      plot->inset_start = (int) value;
      return TRUE;
    case MW_TIME_PLOT_PROP_PLOT_INSET_END:
      if (plot->inset_end == value)
        return FALSE;
      plot->inset_end = (int) value;
      return TRUE;
    case MW_TIME_PLOT_PROP_SUMMARY:
    case MW_TIME_PLOT_N_PROPS:
    default:
      g_assert_not_reached ();
    }
}

gboolean
mw_time_plot_set_summary (MwTimePlot *plot,
                          GtkWidget  *widget,
                          const char *text)
{
  if (g_strcmp0 (text, plot->summary) == 0)
    return FALSE;

  g_free (plot->summary);
  plot->summary = g_strdup (text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, plot->summary,
                                  -1);
  return TRUE;
}

typedef struct
{
  int min_width;
  int min_height;
  int nat_height;
} PlotSize;

static GQuark
plot_size_quark (void)
{
  return g_quark_from_static_string ("mw-time-plot-size");
}

static void
time_plot_measure (GtkWidget      *widget,
                   GtkOrientation  orientation,
                   int             for_size,
                   int            *minimum,
                   int            *natural,
                   int            *minimum_baseline,
                   int            *natural_baseline)
{
  const PlotSize *size = g_type_get_qdata (G_OBJECT_TYPE (widget), plot_size_quark ());

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = size->min_width;
      *natural = 640;
    }
  else
    {
      *minimum = size->min_height;
      *natural = size->nat_height;
    }
}

static void
time_plot_css_changed (GtkWidget         *widget,
                       GtkCssStyleChange *change)
{
  GtkWidgetClass *parent_class = g_type_class_peek_parent (GTK_WIDGET_GET_CLASS (widget));

  parent_class->css_changed (widget, change);
  gtk_widget_queue_draw (widget);
}

void
mw_time_plot_class_init (GtkWidgetClass *widget_class,
                         int             min_width,
                         int             min_height,
                         int             nat_height)
{
  PlotSize *size = g_new0 (PlotSize, 1);    /* lives as long as the type: for ever */

  size->min_width = min_width;
  size->min_height = min_height;
  size->nat_height = nat_height;
  g_type_set_qdata (G_TYPE_FROM_CLASS (widget_class), plot_size_quark (), size);

  widget_class->measure = time_plot_measure;
  widget_class->css_changed = time_plot_css_changed;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

float
mw_time_plot_width (const MwTimePlot *plot,
                    float             widget_width)
{
  return floorf (widget_width - plot->inset_start - plot->inset_end);
}

double
mw_time_plot_x (const MwTimePlot *plot,
                float             plot_w,
                double            time_us)
{
  double span = MAX (plot->end_us - plot->start_us, 1);

  return plot->inset_start + (time_us - plot->start_us) / span * plot_w;
}

int
mw_time_plot_column (const MwTimePlot *plot,
                     int               n_columns,
                     gint64            time_us)
{
  double span = MAX (plot->end_us - plot->start_us, 1);

  if (time_us < plot->start_us || time_us > plot->end_us)
    return -1;

  return MIN ((int) ((time_us - plot->start_us) / span * n_columns), n_columns - 1);
}

/* The finest round step at least min_px apart; a somewhat coarser one when that one divides the
 * window and the finer one does not, so the window's end gets its tick. */
static gint64
nice_time_step (gint64 span_us,
                double us_per_px,
                int    min_px)
{
  static const int seconds[] = { 1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1200, 1800,
                                 3600, 7200, 14400, 28800, 43200, 86400 };
  guint first = G_N_ELEMENTS (seconds) - 1;

  for (guint i = 0; i < G_N_ELEMENTS (seconds); i++)
    if (seconds[i] * G_USEC_PER_SEC / us_per_px >= min_px)
      {
        first = i;
        break;
      }
  for (guint i = first; i < G_N_ELEMENTS (seconds) && seconds[i] <= 2.5 * seconds[first]; i++)
    if (span_us % (seconds[i] * (gint64) G_USEC_PER_SEC) == 0)
      return (gint64) seconds[i] * G_USEC_PER_SEC;

  return (gint64) seconds[first] * G_USEC_PER_SEC;
}

char *
mw_time_plot_format_clock (gint64 us)
{
  gint64 s = us / G_USEC_PER_SEC;

  if (s >= 3600)
    return g_strdup_printf ("%d:%02d:%02d", (int) (s / 3600), (int) (s / 60 % 60), (int) (s % 60));
  return g_strdup_printf ("%d:%02d", (int) (s / 60), (int) (s % 60));
}

gint64
mw_time_plot_fit_end_us (gint64 span_us,
                         gint64 min_us)
{
  static const int seconds[] = { 5, 10, 15, 20, 30, 40, 60, 90, 120, 180, 240, 300, 360, 480,
                                 600, 900, 1200, 1800, 2400, 3600, 5400, 7200, 10800, 14400,
                                 21600, 28800, 43200, 86400 };
  const gint64 day = 86400 * (gint64) G_USEC_PER_SEC;
  gint64 need = MAX (span_us, min_us);

  for (guint i = 0; i < G_N_ELEMENTS (seconds); i++)
    if (seconds[i] * (gint64) G_USEC_PER_SEC >= need)
      return seconds[i] * (gint64) G_USEC_PER_SEC;

  return (need + day - 1) / day * day;
}

void
mw_plot_canvas_init (MwPlotCanvas     *canvas,
                     const MwTimePlot *plot,
                     GtkWidget        *widget,
                     GtkSnapshot      *snapshot)
{
  canvas->snapshot = snapshot;
  canvas->layout = mw_plot_label_layout_new (widget);
  canvas->width = gtk_widget_get_width (widget);
  canvas->height = gtk_widget_get_height (widget);
  canvas->text_h = mw_plot_text_height (canvas->layout);
  canvas->plot_x = plot->inset_start;
  canvas->plot_y = 0;
  canvas->plot_w = mw_time_plot_width (plot, canvas->width);
  canvas->plot_h = canvas->height;
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &canvas->fg);
  canvas->dim = canvas->fg;
  canvas->dim.alpha *= 0.7f;
  canvas->grid = canvas->fg;
  canvas->grid.alpha *= 0.1f;
  canvas->texts = NULL;
}

void
mw_plot_canvas_clear (MwPlotCanvas *canvas)
{
  g_clear_object (&canvas->layout);
}

void
mw_time_plot_append_ticks (const MwTimePlot   *plot,
                           const MwPlotCanvas *canvas,
                           float               label_y)
{
  double span = MAX (plot->end_us - plot->start_us, 1);
  gint64 step = nice_time_step (plot->end_us - plot->start_us, span / canvas->plot_w,
                                mw_plot_text_width (canvas->layout, "00:00") + 36);

  for (gint64 t = (plot->start_us + step - 1) / step * step; t <= plot->end_us; t += step)
    {
      float x = roundf (mw_time_plot_x (plot, canvas->plot_w, t));
      g_autofree char *clock = mw_time_plot_format_clock (t);

      if (t > plot->start_us)
        gtk_snapshot_append_color (canvas->snapshot, &canvas->grid,
                                   &GRAPHENE_RECT_INIT (x, canvas->plot_y, 1, canvas->plot_h));
      if (x + mw_plot_text_width (canvas->layout, clock) / 2.0f <= canvas->width)
        mw_plot_canvas_append_text (canvas, clock, x, label_y, 0.5f, &canvas->dim);
    }
}

/* ---- the model a plot draws ------------------------------------------------------------- */

gboolean
mw_plot_watch_model (GtkWidget *widget,
                     gpointer   model_ptr,
                     gpointer   model,
                     GCallback  on_changed)
{
  GObject **slot = model_ptr;

  if (*slot == model)
    return FALSE;

  if (*slot != NULL)
    g_signal_handlers_disconnect_by_func (*slot, on_changed, widget);
  g_set_object (slot, model);
  if (model != NULL)
    g_signal_connect_swapped (model, "changed", on_changed, widget);

  return TRUE;
}

/* ---- drawing ---------------------------------------------------------------------------- */

PangoLayout *
mw_plot_label_layout_new (GtkWidget *widget)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, NULL);
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_scale_new (0.8333));
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);

  return layout;
}

int
mw_plot_text_width (PangoLayout *layout,
                    const char  *text)
{
  int width;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &width, NULL);

  return width;
}

int
mw_plot_text_height (PangoLayout *layout)
{
  int height;

  pango_layout_set_text (layout, "0:00", -1);
  pango_layout_get_pixel_size (layout, NULL, &height);

  return height;
}

void
mw_plot_lookup_color (GtkWidget  *widget,
                      const char *name,
                      const char *fallback,
                      GdkRGBA    *color)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  if (gtk_style_context_lookup_color (context, name, color))
    return;
  if (fallback != NULL && gtk_style_context_lookup_color (context, fallback, color))
    return;
  gtk_style_context_get_color (context, color);
}

static void
plot_text_clear (gpointer data)
{
  g_free (((MwPlotText *) data)->text);
}

GArray *
mw_plot_texts_new (void)
{
  GArray *texts = g_array_new (FALSE, FALSE, sizeof (MwPlotText));

  g_array_set_clear_func (texts, plot_text_clear);
  return texts;
}

void
mw_plot_canvas_append_text (const MwPlotCanvas *canvas,
                            const char         *text,
                            float               x,
                            float               y,
                            float               xalign,
                            const GdkRGBA      *color)
{
  MwPlotText drawn;
  int width, height;

  pango_layout_set_text (canvas->layout, text, -1);
  pango_layout_get_pixel_size (canvas->layout, &width, &height);
  graphene_rect_init (&drawn.rect, roundf (x - xalign * width), roundf (y), width, height);
  gtk_snapshot_save (canvas->snapshot);
  gtk_snapshot_translate (canvas->snapshot, &drawn.rect.origin);
  gtk_snapshot_append_layout (canvas->snapshot, canvas->layout, color);
  gtk_snapshot_restore (canvas->snapshot);

  if (canvas->texts == NULL)
    return;
  drawn.text = g_strdup (text);
  g_array_append_val (canvas->texts, drawn);
}

void
mw_plot_append_runs (GtkSnapshot           *snapshot,
                     const graphene_rect_t *area,
                     const guint           *values,
                     MwPlotRunColor         run_color,
                     gpointer               user_data)
{
  int n_values = (int) area->size.width;
  float x = area->origin.x;

  for (int c = 0, run_start = 0; c <= n_values; c++)
    {
      GdkRGBA color;

      if (c < n_values && values[c] == values[run_start])
        continue;
      if (run_start < n_values && run_color (values[run_start], &color, user_data))
        gtk_snapshot_append_color (snapshot, &color,
                                   &GRAPHENE_RECT_INIT (x + run_start, area->origin.y,
                                                        c - run_start, area->size.height));
      run_start = c;
    }
}
