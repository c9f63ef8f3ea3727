/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-evacuation-sparkline.c: memory remaining of one guest's migration, small.
 *
 * The history is the model, as for MwMigrationChart: refs it, follows its `changed` (window,
 * summary, queue_draw) and reads it only in snapshot (), through the chart's own layers. */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-evacuation-sparkline.h"
#include "mw-migration-chart-layers.h"

#define SPARKLINE_WIDTH 120
#define SPARKLINE_HEIGHT 28
/* How far the marks reach past their points (mw_chart_append_one_series's MW_CHART_MARK_REACH),
 * and a pixel of air: the plot keeps that far from every edge, so the first and the last point
 * are drawn whole. */
#define EDGE_PX (MW_CHART_MARK_REACH + 1)

struct _MwEvacuationSparkline
{
  GtkWidget parent_instance;

  /* Owned */
  MwSampleHistory *history;
  MwTimePlot plot;
  guint n_points;
  gboolean have_figures;              /* a sample of the history has memory figures */
};

G_DEFINE_FINAL_TYPE (MwEvacuationSparkline, mw_evacuation_sparkline, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_HISTORY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_summary (MwEvacuationSparkline *self)
{
  const MwJobSample *last = NULL;
  g_autofree char *size = NULL;
  g_autofree char *text = NULL;

  if (self->history != NULL)
    last = mw_sample_history_get_last (self->history);
  if (last != NULL && (mw_chart_sample_known (last) & MW_JOB_HAVE_MEMORY_REMAINING))
    {
      size = g_format_size_full (last->memory_remaining, G_FORMAT_SIZE_IEC_UNITS);
      /* Translators: %s is an amount of memory, "1.2 GiB". */
      text = g_strdup_printf (_("%s of memory left to copy"), size);
    }
  mw_time_plot_set_summary (&self->plot, GTK_WIDGET (self), text != NULL ? text : "");
}

/* Unlike the big chart's round times, the window is the run so far, from its first sample with
 * memory figures: a small chart has no time labels to keep round, the time the job took to
 * prepare is no part of the line (libvirt reports a running job with no memory figures while
 * the destination's QEMU starts, seconds under load), and a young run should not be a spike at
 * the right edge. */
static void
on_history_changed_cb (MwEvacuationSparkline *self)
{
  guint n_samples = mw_sample_history_get_n_samples (self->history);
  gint64 start = 0;

  self->have_figures = FALSE;
  for (guint i = 0; i < n_samples; i++)
    {
      const MwJobSample *sample = mw_sample_history_get_sample (self->history, i);

      if (mw_chart_sample_known (sample) & MW_JOB_HAVE_MEMORY_REMAINING)
        {
          start = sample->time_us;
          self->have_figures = TRUE;
          break;
        }
    }
  mw_time_plot_set (&self->plot, MW_TIME_PLOT_PROP_START_US, start);
  mw_time_plot_set (&self->plot, MW_TIME_PLOT_PROP_END_US,
                    MAX (mw_sample_history_get_end_us (self->history),
                         start + G_USEC_PER_SEC / 2));
  update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
mw_evacuation_sparkline_snapshot (GtkWidget   *widget,
                                  GtkSnapshot *snapshot)
{
  MwEvacuationSparkline *self = MW_EVACUATION_SPARKLINE (widget);
  g_autofree MwChartColumn *columns = NULL;
  MwChartDraw draw = { .plot = &self->plot, .history = self->history };
  guint64 max_bytes = 0, max_rate = 0;

  self->n_points = 0;
  /* No memory figures yet: not even the baseline, which would say nothing is left. */
  if (self->history == NULL || !self->have_figures)
    return;

  mw_plot_canvas_init (&draw.canvas, &self->plot, widget, snapshot);
  mw_chart_get_palette (widget, &draw.palette);
  draw.canvas.plot_y = EDGE_PX;
  draw.canvas.plot_h = draw.canvas.height - 2 * EDGE_PX;
  if (draw.canvas.plot_w >= 8 && draw.canvas.plot_h >= 4)
    {
      /* The baseline, so an empty run still shows where zero is. */
      gtk_snapshot_append_color (snapshot, &draw.canvas.grid,
                                 &GRAPHENE_RECT_INIT (draw.canvas.plot_x,
                                                      draw.canvas.plot_y + draw.canvas.plot_h - 1,
                                                      draw.canvas.plot_w, 1));
      draw.n_columns = (int) draw.canvas.plot_w;
      draw.columns = columns = g_new0 (MwChartColumn, draw.n_columns);
      mw_chart_decimate (self->history, &self->plot, columns, draw.n_columns, &max_bytes,
                         &max_rate, &draw.show_throttle);
      /* The points of the one line drawn, not every column with a sample. */
      for (int c = 0; c < draw.n_columns; c++)
        self->n_points += (columns[c].known & mw_chart_series_bits[MW_CHART_SERIES_REMAINING]) != 0;
      mw_chart_scale_init (&draw.scale, max_bytes, max_rate, draw.canvas.plot_h);
      /* No axis labels to keep round: the most memory left is the top, not the next power of
       * two MiB above it (261 MiB drew at half height on a 512 MiB axis). */
      draw.scale.byte_step = MAX (max_bytes, 1);
      draw.scale.n_div = 1;
      mw_chart_append_one_series (&draw, MW_CHART_SERIES_REMAINING);
    }
  mw_plot_canvas_clear (&draw.canvas);
}

static void
mw_evacuation_sparkline_measure (GtkWidget      *widget,
                                 GtkOrientation  orientation,
                                 int             for_size,
                                 int            *minimum,
                                 int            *natural,
                                 int            *minimum_baseline,
                                 int            *natural_baseline)
{
  *minimum = *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? SPARKLINE_WIDTH
                                                                   : SPARKLINE_HEIGHT;
}

static void
mw_evacuation_sparkline_dispose (GObject *object)
{
  MwEvacuationSparkline *self = MW_EVACUATION_SPARKLINE (object);

  mw_plot_watch_model (GTK_WIDGET (self), &self->history, NULL,
                       G_CALLBACK (on_history_changed_cb));
  G_OBJECT_CLASS (mw_evacuation_sparkline_parent_class)->dispose (object);
}

static void
mw_evacuation_sparkline_finalize (GObject *object)
{
  MwEvacuationSparkline *self = MW_EVACUATION_SPARKLINE (object);

  mw_time_plot_clear (&self->plot);
  G_OBJECT_CLASS (mw_evacuation_sparkline_parent_class)->finalize (object);
}

static void
mw_evacuation_sparkline_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  MwEvacuationSparkline *self = MW_EVACUATION_SPARKLINE (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_evacuation_sparkline_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  MwEvacuationSparkline *self = MW_EVACUATION_SPARKLINE (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      mw_evacuation_sparkline_set_history (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_evacuation_sparkline_class_init (MwEvacuationSparklineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_evacuation_sparkline_dispose;
  object_class->finalize = mw_evacuation_sparkline_finalize;
  object_class->get_property = mw_evacuation_sparkline_get_property;
  object_class->set_property = mw_evacuation_sparkline_set_property;
  widget_class->snapshot = mw_evacuation_sparkline_snapshot;
  widget_class->measure = mw_evacuation_sparkline_measure;

  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL, MW_TYPE_SAMPLE_HISTORY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "sparkline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
mw_evacuation_sparkline_init (MwEvacuationSparkline *self)
{
  mw_time_plot_init (&self->plot, GTK_WIDGET (self), _("Memory left to copy"));
  mw_time_plot_set (&self->plot, MW_TIME_PLOT_PROP_PLOT_INSET_START, EDGE_PX);
  mw_time_plot_set (&self->plot, MW_TIME_PLOT_PROP_PLOT_INSET_END, EDGE_PX);
}

GtkWidget *
mw_evacuation_sparkline_new (void)
{
  return g_object_new (MW_TYPE_EVACUATION_SPARKLINE, NULL);
}

MwSampleHistory *
mw_evacuation_sparkline_get_history (MwEvacuationSparkline *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_SPARKLINE (self), NULL);
  return self->history;
}

void
mw_evacuation_sparkline_set_history (MwEvacuationSparkline *self,
                                     MwSampleHistory       *history)
{
  g_return_if_fail (MW_IS_EVACUATION_SPARKLINE (self));
  g_return_if_fail (history == NULL || MW_IS_SAMPLE_HISTORY (history));

  if (!mw_plot_watch_model (GTK_WIDGET (self), &self->history, history,
                            G_CALLBACK (on_history_changed_cb)))
    return;
  if (history != NULL)
    on_history_changed_cb (self);
  else
    {
      update_summary (self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY]);
}

guint
mw_evacuation_sparkline_get_n_points (MwEvacuationSparkline *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_SPARKLINE (self), 0);
  return self->n_points;
}

const char *
mw_evacuation_sparkline_get_summary (MwEvacuationSparkline *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_SPARKLINE (self), NULL);
  return self->plot.summary;
}
