/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-chart-layers.c: what MwMigrationChart draws, layer by layer: grid and bands as
 * colour nodes, every line and marker in one cairo node, text as layout nodes. Colours are
 * the theme's named colours. */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "mw-migration-chart-layers.h"

/* ---- samples ----------------------------------------------------------------------------- */

const guint mw_chart_series_bits[MW_CHART_N_SERIES] = {
  [MW_CHART_SERIES_REMAINING] = MW_JOB_HAVE_MEMORY_REMAINING,
  [MW_CHART_SERIES_DIRTY_RATE] = MW_JOB_HAVE_DIRTY_RATE,
  [MW_CHART_SERIES_THROUGHPUT] = MW_JOB_HAVE_THROUGHPUT,
};

guint
mw_chart_sample_known (const MwJobSample *sample)
{
  guint known = sample->have & ~(MW_JOB_HAVE_MEMORY_REMAINING | MW_JOB_HAVE_DIRTY_RATE);

  if ((sample->have & MW_JOB_HAVE_MEMORY_REMAINING) && sample->memory_total > 0)
    known |= MW_JOB_HAVE_MEMORY_REMAINING;
  if ((sample->have & MW_JOB_HAVE_DIRTY_RATE) && sample->dirty_rate_bps > 0)
    known |= MW_JOB_HAVE_DIRTY_RATE;

  return known;
}

/* ---- formatting -------------------------------------------------------------------------- */

char *
mw_chart_format_ms (guint64 ms)
{
  /* Translators: a duration in milliseconds, or in seconds from one second up */
  return ms < 1000 ? g_strdup_printf (_("%llu ms"), (unsigned long long) ms)
                   : g_strdup_printf (_("%.1f s"), ms / 1000.0);
}

char *
mw_chart_format_rate (guint64 bps)
{
  double mib = bps / MW_CHART_MIB;

  /* Translators: a transfer rate in mebibytes per second */
  return g_strdup_printf (mib < 10 && bps != 0 ? _("%.1f MiB/s") : _("%.0f MiB/s"), mib);
}

char *
mw_chart_format_size (guint64 bytes)
{
  return g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);
}

/* ---- colours and ranges ------------------------------------------------------------------ */

void
mw_chart_get_palette (GtkWidget      *widget,
                      MwChartPalette *palette)
{
  mw_plot_lookup_color (widget, "accent_color", "theme_selected_bg_color", &palette->remaining);
  mw_plot_lookup_color (widget, "warning_color", NULL, &palette->dirty);
  mw_plot_lookup_color (widget, "success_color", NULL, &palette->bps);
  mw_plot_lookup_color (widget, "warning_color", NULL, &palette->throttle);
  mw_plot_lookup_color (widget, "success_color", NULL, &palette->success);
  mw_plot_lookup_color (widget, "error_color", NULL, &palette->error);
}

static void
set_source (cairo_t       *cr,
            const GdkRGBA *color,
            double         alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

/* Byte steps are powers of two so IEC labels come out round (256 MiB, 1 GiB, 2 GiB …). */
static guint64
nice_bytes_step (double raw)
{
  guint64 step = 1024 * 1024;

  while (step < raw)
    step *= 2;

  return step;
}

/* Rate steps are 1, 2, 2.5, 5 × 10ⁿ MiB/s. */
static double
nice_rate_step (double raw_mib)
{
  static const double mantissas[] = { 1, 2, 2.5, 5, 10 };
  double magnitude;

  if (raw_mib <= 0)
    return 1;

  magnitude = pow (10, floor (log10 (raw_mib)));
  for (guint i = 0; i < G_N_ELEMENTS (mantissas); i++)
    if (mantissas[i] * magnitude >= raw_mib * 0.9999)
      return mantissas[i] * magnitude;

  return 10 * magnitude;
}

void
mw_chart_scale_init (MwChartScale *scale,
                     guint64       max_bytes,
                     guint64       max_rate,
                     float         plot_h)
{
  /* Both y axes get the same number of divisions so they share the grid lines. */
  int target_div = CLAMP ((int) (plot_h / 44), 2, 6);

  scale->byte_step = nice_bytes_step (MAX (max_bytes, 1) / (double) target_div);
  scale->n_div = MAX (1, (int) ceil (max_bytes / (double) scale->byte_step));
  scale->rate_step = nice_rate_step (max_rate / MW_CHART_MIB / scale->n_div);
}

/* ---- background layers ------------------------------------------------------------------- */

void
mw_chart_append_placeholder (const MwChartDraw *draw,
                             const char        *text)
{
  PangoLayout *layout = draw->canvas.layout;
  int text_h;

  pango_layout_set_attributes (layout, NULL);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, NULL, &text_h);
  mw_plot_canvas_append_text (&draw->canvas, text, draw->canvas.width / 2,
                              (draw->canvas.height - text_h) / 2, 0.5f, &draw->canvas.dim);
}

void
mw_chart_append_value_grid (const MwChartDraw *draw)
{
  const MwPlotCanvas *canvas = &draw->canvas;

  for (int i = 0; i <= draw->scale.n_div; i++)
    {
      float y = roundf (canvas->plot_y + canvas->plot_h - i * canvas->plot_h / draw->scale.n_div);
      g_autofree char *size = mw_chart_format_size (draw->scale.byte_step * i);
      g_autofree char *rate = mw_chart_format_rate (draw->scale.rate_step * MW_CHART_MIB * i);

      gtk_snapshot_append_color (canvas->snapshot, &canvas->grid,
                                 &GRAPHENE_RECT_INIT (canvas->plot_x, y - (i == 0),
                                                      canvas->plot_w, 1));
      mw_plot_canvas_append_text (canvas, size, canvas->plot_x - MW_PLOT_LABEL_GAP,
                                  y - canvas->text_h / 2, 1, &canvas->dim);
      mw_plot_canvas_append_text (canvas, rate, canvas->plot_x + canvas->plot_w + MW_PLOT_LABEL_GAP,
                                  y - canvas->text_h / 2, 0, &canvas->dim);
    }
}

static gboolean
throttle_color (guint    throttle,
                GdkRGBA *color,
                gpointer user_data)
{
  const MwChartPalette *palette = user_data;

  if (throttle == 0)
    return FALSE;
  *color = palette->throttle;
  color->alpha *= 0.3f + 0.7f * MIN (throttle, 99) / 99.0f;
  return TRUE;
}

/* Runs of equal throttle, each held until the next sample. */
void
mw_chart_append_throttle_band (const MwChartDraw *draw)
{
  const MwPlotCanvas *canvas = &draw->canvas;
  const MwChartColumn *columns = draw->columns;
  g_autofree guint *held = g_new0 (guint, draw->n_columns);
  int last_column = -1;

  gtk_snapshot_append_color (canvas->snapshot, &canvas->grid,
                             &GRAPHENE_RECT_INIT (canvas->plot_x, draw->band_y, canvas->plot_w,
                                                  MW_CHART_BAND_HEIGHT));
  for (int c = 0; c < draw->n_columns; c++)
    if (columns[c].n > 0)
      last_column = c;
  for (int c = 0; c <= last_column; c++)
    {
      if (columns[c].n == 0)
        held[c] = c > 0 ? held[c - 1] : 0;
      else
        held[c] = (columns[c].known & MW_JOB_HAVE_THROTTLE) ? columns[c].throttle : 0;
    }
  mw_plot_append_runs (canvas->snapshot,
                       &GRAPHENE_RECT_INIT (canvas->plot_x, draw->band_y, draw->n_columns,
                                            MW_CHART_BAND_HEIGHT),
                       held, throttle_color, (gpointer) &draw->palette);
}

/* ---- lines and markers ------------------------------------------------------------------- */

static char *
event_label (const MwChartDraw     *draw,
             const MwHistoryEvent  *event,
             const GdkRGBA        **color)
{
  *color = &draw->canvas.fg;

  switch (event->kind)
    {
    case MW_HISTORY_EVENT_PASS:
      *color = &draw->canvas.dim;
      /* Translators: a marker on the chart where a memory copy pass begins */
      return g_strdup_printf (_("pass %lld"), (long long) event->value);
    case MW_HISTORY_EVENT_POSTCOPY:
      *color = &draw->palette.remaining;
      return g_strdup (_("post-copy"));
    case MW_HISTORY_EVENT_DOWNTIME_CHANGED:
      *color = &draw->canvas.dim;
      return g_strdup_printf (_("downtime %lld ms"), (long long) event->value);
    case MW_HISTORY_EVENT_SPEED_CHANGED:
      *color = &draw->canvas.dim;
      if (event->value == 0)
        return g_strdup (_("speed unlimited"));
      return g_strdup_printf (_("speed %lld MiB/s"), (long long) event->value);
    case MW_HISTORY_EVENT_AUTO_CONVERGE:
      return NULL;            /* the throttle band shows it */
    case MW_HISTORY_EVENT_ABORT_REQUESTED:
      *color = &draw->palette.error;
      return g_strdup (_("abort requested"));
    case MW_HISTORY_EVENT_COMPLETED:
      *color = &draw->palette.success;
      return g_strdup (_("completed"));
    case MW_HISTORY_EVENT_FAILED:
      *color = &draw->palette.error;
      return g_strdup (_("failed"));
    case MW_HISTORY_EVENT_CANCELLED:
      *color = &draw->palette.error;
      return g_strdup (_("cancelled"));
    default:
      return NULL;
    }
}

static gboolean
in_window (const MwChartDraw    *draw,
           const MwHistoryEvent *event)
{
  return event->time_us >= draw->plot->start_us && event->time_us <= draw->plot->end_us;
}

/* Draws a run of points already on the path: a line (over a filled area down to the bottom when
 * fill is set), or a dot when the run is a single point. */
static void
finish_run (const MwChartDraw *draw,
            cairo_t           *cr,
            guint              n_points,
            double             first_x,
            double             last_x,
            const GdkRGBA     *color,
            double             line_width,
            gboolean           fill)
{
  double bottom = draw->canvas.plot_y + draw->canvas.plot_h;

  if (n_points == 1)
    {
      double x, y;

      cairo_get_current_point (cr, &x, &y);
      cairo_new_path (cr);
      set_source (cr, color, 1);
      cairo_arc (cr, x, y, line_width + 1.5, 0, 2 * G_PI);
      cairo_fill (cr);
      return;
    }
  if (fill)
    {
      cairo_path_t *path = cairo_copy_path (cr);

      cairo_line_to (cr, last_x, bottom);
      cairo_line_to (cr, first_x, bottom);
      cairo_close_path (cr);
      set_source (cr, color, 0.22);
      cairo_fill (cr);
      cairo_append_path (cr, path);
      cairo_path_destroy (path);
    }
  set_source (cr, color, 1);
  cairo_set_line_width (cr, line_width);
  cairo_stroke (cr);
}

/* One series through the decimated columns. A column whose samples all lack the value ends the
 * line there: a gap, not a zero and not a bridge. */
static void
append_series (const MwChartDraw *draw,
               cairo_t           *cr,
               MwChartSeries      series,
               double             y_scale,
               const GdkRGBA     *color,
               double             line_width,
               gboolean           fill)
{
  guint bit = mw_chart_series_bits[series];
  double y0 = draw->canvas.plot_y + draw->canvas.plot_h;
  double first_x = 0, last_x = 0;
  guint n = 0;

  for (int i = 0; i < draw->n_columns; i++)
    {
      const MwChartColumn *column = &draw->columns[i];
      guint64 value;
      double x, y;

      if (column->n == 0)
        continue;
      if (!(column->known & bit))
        {
          if (n > 0)
            finish_run (draw, cr, n, first_x, last_x, color, line_width, fill);
          n = 0;
          continue;
        }
      value = column->value[series];
      x = mw_time_plot_x (draw->plot, draw->canvas.plot_w, column->t_sum / column->n);
      y = y0 - value * y_scale;
      if (draw->points[series] != NULL)
        {
          MwChartPoint point = { x, y, value, n == 0 };

          g_array_append_val (draw->points[series], point);
        }
      if (n == 0)
        {
          cairo_move_to (cr, x, y);
          first_x = x;
        }
      else
        {
          cairo_line_to (cr, x, y);
        }
      last_x = x;
      n++;
    }
  if (n > 0)
    finish_run (draw, cr, n, first_x, last_x, color, line_width, fill);
}

static void
append_event_markers (const MwChartDraw *draw,
                      cairo_t           *cr)
{
  guint n_events = mw_sample_history_get_n_events (draw->history);

  cairo_set_line_width (cr, 1);
  for (guint i = 0; i < n_events; i++)
    {
      const MwHistoryEvent *event = mw_sample_history_get_event (draw->history, i);
      const GdkRGBA *color;
      g_autofree char *label = event_label (draw, event, &color);
      double x;

      if (label == NULL || !in_window (draw, event))
        continue;
      x = roundf (mw_time_plot_x (draw->plot, draw->canvas.plot_w, event->time_us)) + 0.5;
      if (event->kind == MW_HISTORY_EVENT_PASS)
        {
          static const double dashes[] = { 3, 3 };

          cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
          set_source (cr, &draw->canvas.fg, 0.3);
        }
      else
        {
          cairo_set_dash (cr, NULL, 0, 0);
          set_source (cr, color, color == &draw->canvas.dim ? 0.6 : 0.85);
        }
      cairo_move_to (cr, x, draw->lane_y);
      cairo_line_to (cr, x, draw->canvas.plot_y + draw->canvas.plot_h);
      cairo_stroke (cr);
    }
  cairo_set_dash (cr, NULL, 0, 0);
}

void
mw_chart_append_lines (const MwChartDraw *draw)
{
  const MwPlotCanvas *canvas = &draw->canvas;
  const MwChartScale *scale = &draw->scale;
  double bytes_scale = canvas->plot_h / (double) (scale->byte_step * scale->n_div);
  double rate_scale = canvas->plot_h / (scale->rate_step * MW_CHART_MIB * scale->n_div);
  double bottom = canvas->plot_y + canvas->plot_h;
  cairo_t *cr;

  cr = gtk_snapshot_append_cairo (canvas->snapshot,
                                  &GRAPHENE_RECT_INIT (canvas->plot_x - 4, draw->lane_y,
                                                       canvas->plot_w + 8,
                                                       bottom - draw->lane_y + 4));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);

  append_event_markers (draw, cr);

  cairo_rectangle (cr, canvas->plot_x, canvas->plot_y - 2, canvas->plot_w, canvas->plot_h + 2);
  cairo_clip (cr);

  append_series (draw, cr, MW_CHART_SERIES_REMAINING, bytes_scale, &draw->palette.remaining, 1.5,
                 TRUE);
  append_series (draw, cr, MW_CHART_SERIES_DIRTY_RATE, rate_scale, &draw->palette.dirty, 1.5,
                 FALSE);
  append_series (draw, cr, MW_CHART_SERIES_THROUGHPUT, rate_scale, &draw->palette.bps, 2, FALSE);

  cairo_destroy (cr);
}

/* ---- text layers ------------------------------------------------------------------------- */

/* Occupied x intervals of one label lane, so event labels don't pile up. */
typedef struct
{
  float from[64];
  float to[64];
  guint n;
} Lane;

static gboolean
lane_take (Lane  *lane,
           float  from,
           float  to)
{
  for (guint i = 0; i < lane->n; i++)
    if (from < lane->to[i] + 4 && to > lane->from[i] - 4)
      return FALSE;
  if (lane->n < G_N_ELEMENTS (lane->from))
    {
      lane->from[lane->n] = from;
      lane->to[lane->n] = to;
      lane->n++;
    }
  return TRUE;
}

void
mw_chart_append_event_labels (const MwChartDraw *draw)
{
  const MwPlotCanvas *canvas = &draw->canvas;
  guint n_events = mw_sample_history_get_n_events (draw->history);
  Lane lanes[2] = { 0 };

  /* The rarer, more important ones first, then passes where room is left. */
  for (guint round = 0; round < 2; round++)
    for (guint i = 0; i < n_events; i++)
      {
        const MwHistoryEvent *event = mw_sample_history_get_event (draw->history, i);
        const GdkRGBA *color;
        g_autofree char *label = NULL;
        gboolean is_pass = event->kind == MW_HISTORY_EVENT_PASS;
        float x, w;

        if (is_pass != (round == 1) || !in_window (draw, event))
          continue;
        label = event_label (draw, event, &color);
        if (label == NULL)
          continue;
        x = roundf (mw_time_plot_x (draw->plot, canvas->plot_w, event->time_us)) + 4;
        w = mw_plot_text_width (canvas->layout, label);
        if (x + w > canvas->plot_x + canvas->plot_w)
          x -= w + 8;
        /* Passes on the top lane only; other events below, or on top when that is full. */
        if (!is_pass && lane_take (&lanes[1], x, x + w))
          mw_plot_canvas_append_text (canvas, label, x, draw->lane_y + canvas->text_h, 0, color);
        else if (lane_take (&lanes[0], x, x + w))
          mw_plot_canvas_append_text (canvas, label, x, draw->lane_y, 0, color);
      }
}

typedef struct
{
  const char *name;
  const GdkRGBA *color;
  gboolean area;
  char *value;
} LegendEntry;

/* An entry's swatch and text at x; returns the x after it. With draw_it FALSE it only
 * measures. */
static float
legend_item (const MwChartDraw *draw,
             const LegendEntry *entry,
             const char        *text,
             float              x,
             gboolean           draw_it)
{
  const MwPlotCanvas *canvas = &draw->canvas;
  float mid = roundf (draw->legend_y + canvas->text_h / 2);
  int width = mw_plot_text_width (canvas->layout, text);

  if (draw_it)
    {
      if (entry->area)
        {
          GdkRGBA fill = *entry->color;

          fill.alpha *= 0.3f;
          gtk_snapshot_append_color (canvas->snapshot, &fill,
                                     &GRAPHENE_RECT_INIT (x, mid - 5, 14, 10));
          gtk_snapshot_append_color (canvas->snapshot, entry->color,
                                     &GRAPHENE_RECT_INIT (x, mid - 5, 14, 2));
        }
      else
        {
          gtk_snapshot_append_color (canvas->snapshot, entry->color,
                                     &GRAPHENE_RECT_INIT (x, mid - 1, 14, 2));
        }
      mw_plot_canvas_append_text (canvas, text, x + 19, draw->legend_y, 0, &canvas->fg);
    }

  return x + 19 + width + 16;
}

/* "Expected downtime 1.2 s (limit 500 ms)" for the top corner, or NULL. */
static char *
format_downtime_readout (MwSampleHistory   *history,
                         const MwJobSample *last)
{
  g_autofree char *expected = NULL;
  gint64 limit_ms = -1;

  if (!(last->have & MW_JOB_HAVE_EXPECTED_DOWNTIME))
    return NULL;

  expected = mw_chart_format_ms (last->expected_downtime_ms);
  /* The newest limit the job set, if it set one. */
  for (guint i = mw_sample_history_get_n_events (history); i > 0; i--)
    {
      const MwHistoryEvent *event = mw_sample_history_get_event (history, i - 1);

      if (event->kind == MW_HISTORY_EVENT_DOWNTIME_CHANGED)
        {
          limit_ms = event->value;
          break;
        }
    }
  if (limit_ms >= 0)
    {
      g_autofree char *limit = mw_chart_format_ms (limit_ms);

      /* Translators: the downtime libvirt expects if it switched over now, and the most
       * the user allows, e.g. "Expected downtime 1.2 s (limit 500 ms)" */
      return g_strdup_printf (_("Expected downtime %s (limit %s)"), expected, limit);
    }

  /* Translators: the downtime libvirt expects if it switched over now */
  return g_strdup_printf (_("Expected downtime %s"), expected);
}

void
mw_chart_append_legend (const MwChartDraw *draw)
{
  const MwJobSample *last = mw_sample_history_get_last (draw->history);
  LegendEntry entries[] = {
    { _("Remaining"), &draw->palette.remaining, TRUE, NULL },
    { _("Dirty rate"), &draw->palette.dirty, FALSE, NULL },
    { _("Throughput"), &draw->palette.bps, FALSE, NULL },
    { _("Throttle"), &draw->palette.throttle, TRUE, NULL },
  };
  guint n_entries = draw->show_throttle ? 4 : 3;
  g_autofree char *readout = format_downtime_readout (draw->history, last);
  float right = draw->canvas.width - MW_CHART_PAD;
  float x;
  float readout_x = right;
  gboolean with_values = TRUE;
  guint known = mw_chart_sample_known (last);

  if (known & MW_JOB_HAVE_MEMORY_REMAINING)
    entries[0].value = mw_chart_format_size (last->memory_remaining);
  if (known & MW_JOB_HAVE_DIRTY_RATE)
    entries[1].value = mw_chart_format_rate (last->dirty_rate_bps);
  if (known & MW_JOB_HAVE_THROUGHPUT)
    entries[2].value = mw_chart_format_rate (last->memory_bps);
  if (known & MW_JOB_HAVE_THROTTLE)
    entries[3].value = g_strdup_printf ("%u %%", last->auto_converge_throttle);
  if (readout != NULL)
    readout_x = right - mw_plot_text_width (draw->canvas.layout, readout);

  /* Values in the legend when they fit, names only when they don't. */
  for (guint pass = 0; pass < 2; pass++)
    {
      x = MW_CHART_PAD;
      for (guint i = 0; i < n_entries; i++)
        {
          g_autofree char *text = NULL;

          text = with_values && entries[i].value != NULL
                 ? g_strdup_printf ("%s %s", entries[i].name, entries[i].value)
                 : g_strdup (entries[i].name);
          x = legend_item (draw, &entries[i], text, x, pass == 1);
        }
      if (pass == 0 && x > readout_x)
        with_values = FALSE;
    }

  if (readout != NULL && x - 16 + 12 <= readout_x)
    mw_plot_canvas_append_text (&draw->canvas, readout, right, draw->legend_y, 1,
                                &draw->canvas.dim);

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    g_free (entries[i].value);
}
