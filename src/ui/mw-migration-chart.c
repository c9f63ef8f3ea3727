/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-chart.c: memory remaining, dirty rate and throughput over time.
 *
 * The history is the model: the chart refs it, recomputes its window and summary and queues a
 * draw on `changed`, and reads it only in snapshot(). snapshot() decimates to at most one point
 * per pixel column (each series keeps its column maximum, so spikes survive), then stacks the
 * layers of mw-migration-chart-layers.c over the time axis of mw-plot-utils.
 */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "mw-convergence.h"
#include "mw-migration-chart-layers.h"
#include "mw-migration-chart-private.h"

struct _MwMigrationChart
{
  GtkWidget parent_instance;

  /* Owned */
  MwSampleHistory *history;
  MwTimePlot plot;                    /* insets from the allocation and the font */

  gint64 min_range_us;

  /* What snapshot () drew, for tests */
  guint n_snapshots;
  guint n_drawn_points;
  GArray *texts;                      /* MwPlotText */
  GArray *points[MW_CHART_N_SERIES];  /* MwChartPoint */
  GArray *markers;                    /* graphene_rect_t */
};

G_DEFINE_FINAL_TYPE (MwMigrationChart, mw_migration_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_HISTORY,
  PROP_MIN_RANGE_US,
  PROP_PLOT,                          /* the MwTimePlot properties, in their order */
  N_PROPS = PROP_PLOT + MW_TIME_PLOT_N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
notify_plot (MwMigrationChart *self,
             MwTimePlotProp    prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLOT + prop]);
}

/* ---- the model --------------------------------------------------------------------------- */

static void
update_summary (MwMigrationChart *self)
{
  const MwJobSample *last = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *elapsed = NULL;

  if (self->history != NULL)
    last = mw_sample_history_get_last (self->history);

  if (last == NULL)
    {
      g_string_append (text, _("No migration samples yet."));
    }
  else
    {
      guint known = mw_chart_sample_known (last);

      if (known & MW_JOB_HAVE_ITERATION)
        g_string_append_printf (text, _("Pass %llu. "), (unsigned long long) last->iteration);
      if (known & MW_JOB_HAVE_MEMORY_REMAINING)
        {
          g_autofree char *size = mw_format_bytes (last->memory_remaining);

          g_string_append_printf (text, _("%s of memory remaining. "), size);
        }
      if (known & MW_JOB_HAVE_DIRTY_RATE)
        {
          g_autofree char *rate = mw_chart_format_rate (last->dirty_rate_bps);

          g_string_append_printf (text, _("Dirty rate %s. "), rate);
        }
      if (known & MW_JOB_HAVE_THROUGHPUT)
        {
          g_autofree char *rate = mw_chart_format_rate (mw_chart_history_total_bps (self->history));

          /* Translators: the whole migration's transfer rate (all connections, and disks) */
          g_string_append_printf (text, _("Total rate %s. "), rate);
        }
      if (known & MW_JOB_HAVE_EXPECTED_DOWNTIME)
        {
          g_autofree char *expected = mw_chart_format_ms (last->expected_downtime_ms);

          g_string_append_printf (text, _("Expected downtime %s. "), expected);
        }
      if ((known & MW_JOB_HAVE_THROTTLE) && last->auto_converge_throttle > 0)
        g_string_append_printf (text, _("CPU throttled by %u %%. "), last->auto_converge_throttle);
      elapsed = mw_time_plot_format_clock (last->time_us);
      g_string_append_printf (text, _("%s elapsed."), elapsed);
    }

  if (mw_time_plot_set_summary (&self->plot, GTK_WIDGET (self), text->str))
    notify_plot (self, MW_TIME_PLOT_PROP_SUMMARY);
}

/* The window grows with the run, to the next round time past its newest sample or event. */
static void
update_window (MwMigrationChart *self)
{
  gint64 span = 0;
  gint64 end;

  if (self->history != NULL)
    span = mw_sample_history_get_end_us (self->history);
  /* Never an empty window, whatever min-range-us says. */
  end = mw_time_plot_fit_end_us (span, MAX (self->min_range_us, G_USEC_PER_SEC));

  if (mw_time_plot_set (&self->plot, MW_TIME_PLOT_PROP_END_US, end))
    notify_plot (self, MW_TIME_PLOT_PROP_END_US);
}

static void
on_history_changed_cb (MwMigrationChart *self)
{
  update_window (self);
  update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ---- geometry ---------------------------------------------------------------------------- */

/* Gutters wide enough for the widest label either axis can show, so they only change with the
 * font and a strip bound to them stays put while the ranges move. */
static void
update_insets (MwMigrationChart *self)
{
  g_autoptr(PangoLayout) layout = mw_plot_label_layout_new (GTK_WIDGET (self));
  int start = mw_chart_scale_widest_bytes (layout) + MW_PLOT_LABEL_GAP + MW_CHART_PAD;
  int end = mw_chart_scale_widest_rate (layout) + MW_PLOT_LABEL_GAP + MW_CHART_PAD;

  if (mw_time_plot_set (&self->plot, MW_TIME_PLOT_PROP_PLOT_INSET_START, start))
    notify_plot (self, MW_TIME_PLOT_PROP_PLOT_INSET_START);
  if (mw_time_plot_set (&self->plot, MW_TIME_PLOT_PROP_PLOT_INSET_END, end))
    notify_plot (self, MW_TIME_PLOT_PROP_PLOT_INSET_END);
}

/* ---- drawing ----------------------------------------------------------------------------- */

/* Legend on top, two lanes of event labels, the plot, the throttle band, the time labels. */
static gboolean
lay_out (MwChartDraw *draw)
{
  MwPlotCanvas *canvas = &draw->canvas;

  draw->legend_y = MW_CHART_PAD;
  draw->lane_y = draw->legend_y + canvas->text_h + MW_CHART_PAD;
  draw->xlabel_y = canvas->height - canvas->text_h - 1;
  draw->band_y = draw->xlabel_y - 3 - MW_CHART_BAND_HEIGHT;
  canvas->plot_y = draw->lane_y + 2 * canvas->text_h + 2;
  canvas->plot_h = floorf (draw->band_y - 3 - canvas->plot_y);

  return canvas->plot_w >= 16 && canvas->plot_h >= 16;
}

static void
mw_migration_chart_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  MwMigrationChart *self = MW_MIGRATION_CHART (widget);
  g_autofree MwChartColumn *columns = NULL;
  g_autoptr(GArray) labels = NULL;
  MwChartDraw draw = { .plot = &self->plot, .history = self->history };
  guint64 max_bytes = 0, max_rate = 0;

  self->n_snapshots++;
  self->n_drawn_points = 0;

  mw_plot_canvas_init (&draw.canvas, &self->plot, widget, snapshot);
  g_array_set_size (self->texts, 0);
  draw.canvas.texts = self->texts;
  g_array_set_size (self->markers, 0);
  draw.markers = self->markers;
  for (guint i = 0; i < MW_CHART_N_SERIES; i++)
    {
      g_array_set_size (self->points[i], 0);
      draw.points[i] = self->points[i];
    }
  mw_chart_get_palette (widget, &draw.palette);

  if (self->history == NULL || mw_sample_history_get_n_samples (self->history) == 0)
    mw_chart_append_placeholder (&draw, self->history != NULL ? _("Waiting for the first sample…")
                                                              : _("No migration running"));
  else if (lay_out (&draw))
    {
      draw.n_columns = (int) draw.canvas.plot_w;
      draw.columns = columns = g_new0 (MwChartColumn, draw.n_columns);
      self->n_drawn_points = mw_chart_decimate (self->history, &self->plot, columns,
                                                draw.n_columns, &max_bytes, &max_rate,
                                                &draw.show_throttle);
      mw_chart_scale_init (&draw.scale, max_bytes, max_rate, draw.canvas.plot_h);

      draw.labels = labels = mw_chart_place_event_labels (&draw);
      mw_chart_append_value_grid (&draw);
      mw_time_plot_append_ticks (&self->plot, &draw.canvas, draw.xlabel_y);
      if (draw.show_throttle)
        mw_chart_append_throttle_band (&draw);
      mw_chart_append_lines (&draw);
      mw_chart_append_event_labels (&draw);
      mw_chart_append_legend (&draw);
    }

  mw_plot_canvas_clear (&draw.canvas);
}

static void
mw_migration_chart_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  update_insets (MW_MIGRATION_CHART (widget));
}

static void
mw_migration_chart_dispose (GObject *object)
{
  MwMigrationChart *self = MW_MIGRATION_CHART (object);

  mw_plot_watch_model (GTK_WIDGET (self), &self->history, NULL,
                       G_CALLBACK (on_history_changed_cb));

  G_OBJECT_CLASS (mw_migration_chart_parent_class)->dispose (object);
}

static void
mw_migration_chart_finalize (GObject *object)
{
  MwMigrationChart *self = MW_MIGRATION_CHART (object);

  mw_time_plot_clear (&self->plot);
  g_array_unref (self->texts);
  g_array_unref (self->markers);
  for (guint i = 0; i < MW_CHART_N_SERIES; i++)
    g_array_unref (self->points[i]);

  G_OBJECT_CLASS (mw_migration_chart_parent_class)->finalize (object);
}

static void
mw_migration_chart_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  MwMigrationChart *self = MW_MIGRATION_CHART (object);

  if (mw_time_plot_get_property (&self->plot, prop_id - PROP_PLOT, value))
    return;

  switch (prop_id)
    {
    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;
    case PROP_MIN_RANGE_US:
      g_value_set_int64 (value, self->min_range_us);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_migration_chart_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  MwMigrationChart *self = MW_MIGRATION_CHART (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      mw_migration_chart_set_history (self, g_value_get_object (value));
      break;
    case PROP_MIN_RANGE_US:
      mw_migration_chart_set_min_range_us (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_migration_chart_class_init (MwMigrationChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_migration_chart_dispose;
  object_class->finalize = mw_migration_chart_finalize;
  object_class->get_property = mw_migration_chart_get_property;
  object_class->set_property = mw_migration_chart_set_property;

  widget_class->size_allocate = mw_migration_chart_size_allocate;
  widget_class->snapshot = mw_migration_chart_snapshot;

  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL,
                         MW_TYPE_SAMPLE_HISTORY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MIN_RANGE_US] =
    g_param_spec_int64 ("min-range-us", NULL, NULL,
                        0, G_MAXINT64, MW_TIME_PLOT_DEFAULT_END_US,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The chart computes its window and insets: read-only here, bound by the strip. */
  mw_time_plot_install_properties (&properties[PROP_PLOT], G_PARAM_READABLE);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "migrationchart");
  mw_time_plot_class_init (widget_class, 320, 180, 280);
}

static void
mw_migration_chart_init (MwMigrationChart *self)
{
  self->min_range_us = MW_TIME_PLOT_DEFAULT_END_US;
  self->texts = mw_plot_texts_new ();
  self->markers = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));
  for (guint i = 0; i < MW_CHART_N_SERIES; i++)
    self->points[i] = g_array_new (FALSE, FALSE, sizeof (MwChartPoint));
  mw_time_plot_init (&self->plot, GTK_WIDGET (self), _("Migration progress"));
  update_summary (self);
}

GtkWidget *
mw_migration_chart_new (MwSampleHistory *history)
{
  g_return_val_if_fail (history == NULL || MW_IS_SAMPLE_HISTORY (history), NULL);

  return g_object_new (MW_TYPE_MIGRATION_CHART, "history", history, NULL);
}

MwSampleHistory *
mw_migration_chart_get_history (MwMigrationChart *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_CHART (self), NULL);

  return self->history;
}

void
mw_migration_chart_set_history (MwMigrationChart *self,
                                MwSampleHistory  *history)
{
  g_return_if_fail (MW_IS_MIGRATION_CHART (self));
  g_return_if_fail (history == NULL || MW_IS_SAMPLE_HISTORY (history));

  if (!mw_plot_watch_model (GTK_WIDGET (self), &self->history, history,
                            G_CALLBACK (on_history_changed_cb)))
    return;

  on_history_changed_cb (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY]);
}

gint64
mw_migration_chart_get_min_range_us (MwMigrationChart *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_CHART (self), 0);

  return self->min_range_us;
}

void
mw_migration_chart_set_min_range_us (MwMigrationChart *self,
                                     gint64            min_range_us)
{
  g_return_if_fail (MW_IS_MIGRATION_CHART (self));
  g_return_if_fail (min_range_us >= 0);

  if (self->min_range_us == min_range_us)
    return;

  self->min_range_us = min_range_us;
  update_window (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MIN_RANGE_US]);
}

gint64
mw_migration_chart_get_start_us (MwMigrationChart *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_CHART (self), 0);

  return self->plot.start_us;
}

gint64
mw_migration_chart_get_end_us (MwMigrationChart *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_CHART (self), 0);

  return self->plot.end_us;
}

int
mw_migration_chart_get_plot_inset_start (MwMigrationChart *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_CHART (self), 0);

  return self->plot.inset_start;
}

int
mw_migration_chart_get_plot_inset_end (MwMigrationChart *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_CHART (self), 0);

  return self->plot.inset_end;
}

void
mw_migration_chart_bind_axis (MwMigrationChart *self,
                              gpointer          follower)
{
  g_return_if_fail (MW_IS_MIGRATION_CHART (self));
  g_return_if_fail (GTK_IS_WIDGET (follower));

  for (MwTimePlotProp prop = MW_TIME_PLOT_PROP_START_US; prop < MW_TIME_PLOT_PROP_SUMMARY; prop++)
    {
      const char *name = g_param_spec_get_name (properties[PROP_PLOT + prop]);

      g_object_bind_property (self, name, follower, name, G_BINDING_SYNC_CREATE);
    }
}

const char *
mw_migration_chart_get_summary (MwMigrationChart *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_CHART (self), NULL);

  return self->plot.summary;
}

guint
mw_migration_chart_get_n_snapshots (MwMigrationChart *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_CHART (self), 0);

  return self->n_snapshots;
}

guint
mw_migration_chart_get_n_drawn_points (MwMigrationChart *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_CHART (self), 0);

  return self->n_drawn_points;
}

const MwPlotText *
mw_migration_chart_get_texts (MwMigrationChart *self,
                              guint            *n_texts)
{
  g_return_val_if_fail (MW_IS_MIGRATION_CHART (self), NULL);
  g_return_val_if_fail (n_texts != NULL, NULL);

  *n_texts = self->texts->len;
  return (const MwPlotText *) self->texts->data;
}

const MwChartPoint *
mw_migration_chart_get_points (MwMigrationChart *self,
                               MwChartSeries     series,
                               guint            *n_points)
{
  g_return_val_if_fail (MW_IS_MIGRATION_CHART (self), NULL);
  g_return_val_if_fail (series < MW_CHART_N_SERIES, NULL);
  g_return_val_if_fail (n_points != NULL, NULL);

  *n_points = self->points[series]->len;
  return (const MwChartPoint *) self->points[series]->data;
}

const graphene_rect_t *
mw_migration_chart_get_markers (MwMigrationChart *self,
                                guint            *n_markers)
{
  g_return_val_if_fail (MW_IS_MIGRATION_CHART (self), NULL);
  g_return_val_if_fail (n_markers != NULL, NULL);

  *n_markers = self->markers->len;
  return (const graphene_rect_t *) self->markers->data;
}
