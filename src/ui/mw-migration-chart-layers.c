/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-chart-layers.c: what MwMigrationChart draws, layer by layer: grid and bands as
 * colour nodes, every line and marker in one cairo node. Colours are the theme's named colours.
 * The text layers (event labels, legend) are in mw-migration-chart-labels.c. */
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

guint64
mw_chart_history_total_bps (MwSampleHistory *history)
{
  guint n = mw_sample_history_get_n_samples (history);

  if (n == 0)
    return 0;
  return mw_job_sample_total_bps (n > 1 ? mw_sample_history_get_sample (history, n - 2) : NULL,
                                  mw_sample_history_get_sample (history, n - 1));
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

#define MW_CHART_GIB (1024 * (guint64) MW_CHART_MIB)

char *
mw_chart_scale_format_bytes (const MwChartScale *scale,
                             guint64             bytes)
{
  /* Steps are whole MiB, or whole GiB once this unit is GiB: no decimals. */
  if (scale->byte_unit == MW_CHART_GIB)
    /* Translators: an axis label in gibibytes */
    return g_strdup_printf (_("%.0f GiB"), bytes / (double) MW_CHART_GIB);
  return g_strdup_printf (_("%.0f MiB"), bytes / MW_CHART_MIB);
}

char *
mw_chart_scale_format_size (const MwChartScale *scale,
                            guint64             bytes)
{
  if (scale->byte_unit == MW_CHART_GIB)
    return g_strdup_printf (_("%.1f GiB"), bytes / (double) MW_CHART_GIB);
  if (bytes != 0 && bytes < 10 * MW_CHART_MIB)
    return g_strdup_printf (_("%.1f MiB"), bytes / MW_CHART_MIB);
  return g_strdup_printf (_("%.0f MiB"), bytes / MW_CHART_MIB);
}

char *
mw_chart_scale_format_rate (const MwChartScale *scale,
                            guint64             bps)
{
  if (scale->rate_decimals > 0)
    return g_strdup_printf (_("%.1f MiB/s"), bps / MW_CHART_MIB);
  return g_strdup_printf (_("%.0f MiB/s"), bps / MW_CHART_MIB);
}

/* Figures are tabular: any four (five) digits are as wide as these. */
int
mw_chart_scale_widest_bytes (PangoLayout *layout)
{
  MwChartScale mib = { .byte_unit = MW_CHART_MIB };
  MwChartScale gib = { .byte_unit = MW_CHART_GIB };
  g_autofree char *in_mib = mw_chart_scale_format_bytes (&mib, 8888 * MW_CHART_MIB);
  g_autofree char *in_gib = mw_chart_scale_format_bytes (&gib, 8888 * MW_CHART_GIB);

  return MAX (mw_plot_text_width (layout, in_mib), mw_plot_text_width (layout, in_gib));
}

int
mw_chart_scale_widest_rate (PangoLayout *layout)
{
  MwChartScale whole = { .rate_decimals = 0 };
  MwChartScale tenths = { .rate_decimals = 1 };
  g_autofree char *large = mw_chart_scale_format_rate (&whole, 88888 * MW_CHART_MIB);
  g_autofree char *decimal = mw_chart_scale_format_rate (&tenths, 888.8 * MW_CHART_MIB);

  return MAX (mw_plot_text_width (layout, large), mw_plot_text_width (layout, decimal));
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
  scale->byte_unit = scale->byte_step >= MW_CHART_GIB ? MW_CHART_GIB : MW_CHART_MIB;
  scale->n_div = MAX (1, (int) ceil (max_bytes / (double) scale->byte_step));
  /* Whole MiB/s at least: below that, the axis would need a third unit or more decimals. */
  scale->rate_step = nice_rate_step (MAX (max_rate / MW_CHART_MIB / scale->n_div, 1));
  scale->rate_decimals = scale->rate_step != floor (scale->rate_step);
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
      g_autofree char *size = mw_chart_scale_format_bytes (&draw->scale, draw->scale.byte_step * i);
      g_autofree char *rate = mw_chart_scale_format_rate (&draw->scale,
                                                          draw->scale.rate_step * MW_CHART_MIB * i);

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

char *
mw_chart_event_label (const MwChartDraw     *draw,
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
    case MW_HISTORY_EVENT_REMEDY:
      return NULL;            /* its own change (speed, downtime, post-copy) is marked */
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

gboolean
mw_chart_event_in_window (const MwChartDraw    *draw,
                          const MwHistoryEvent *event)
{
  return event->time_us >= draw->plot->start_us && event->time_us <= draw->plot->end_us;
}

float
mw_chart_marker_x (const MwChartDraw    *draw,
                   const MwHistoryEvent *event)
{
  return roundf (mw_time_plot_x (draw->plot, draw->canvas.plot_w, event->time_us));
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

/* Every marker crosses the plot; the marker of an event other than a pass, and of a pass with a
 * label, also crosses the label lanes up to its label. A pass without a label less than 4 px
 * from the last one drawn is left out: at that density the dashes would only hatch the plot.
 * (One stroke per marker: cairo strokes many dashed lines as one path more slowly.) */
static void
append_event_markers (const MwChartDraw *draw,
                      cairo_t           *cr)
{
  static const double dashes[] = { 3, 3 };
  guint n_events = mw_sample_history_get_n_events (draw->history);
  g_autofree gboolean *labelled = g_new0 (gboolean, n_events);
  double bottom = draw->canvas.plot_y + draw->canvas.plot_h;
  double last_pass_x = -G_MAXDOUBLE;

  for (guint i = 0; i < draw->labels->len; i++)
    labelled[g_array_index (draw->labels, MwChartLabel, i).event] = TRUE;

  cairo_set_line_width (cr, 1);
  for (guint i = 0; i < n_events; i++)
    {
      const MwHistoryEvent *event = mw_sample_history_get_event (draw->history, i);
      const GdkRGBA *color;
      g_autofree char *label = NULL;
      gboolean is_pass = event->kind == MW_HISTORY_EVENT_PASS;
      double x, top;

      if (!mw_chart_event_in_window (draw, event))
        continue;
      label = mw_chart_event_label (draw, event, &color);
      if (label == NULL)
        continue;
      x = mw_chart_marker_x (draw, event) + 0.5;
      if (is_pass && !labelled[i] && fabs (x - last_pass_x) < 4)
        continue;
      top = is_pass && !labelled[i] ? draw->canvas.plot_y : draw->lane_y;
      if (draw->markers != NULL)
        {
          graphene_rect_t rect = GRAPHENE_RECT_INIT (x - 0.5, top, 1, bottom - top);

          g_array_append_val (draw->markers, rect);
        }
      if (is_pass)
        {
          last_pass_x = x;
          cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
          set_source (cr, &draw->canvas.fg, 0.3);
        }
      else
        {
          cairo_set_dash (cr, NULL, 0, 0);
          set_source (cr, color, color == &draw->canvas.dim ? 0.6 : 0.85);
        }
      cairo_move_to (cr, x, top);
      cairo_line_to (cr, x, bottom);
      cairo_stroke (cr);
    }
  cairo_set_dash (cr, NULL, 0, 0);
}

guint
mw_chart_decimate (MwSampleHistory  *history,
                   const MwTimePlot *plot,
                   MwChartColumn    *columns,
                   int               n_columns,
                   guint64          *max_bytes,
                   guint64          *max_rate,
                   gboolean         *show_throttle)
{
  guint n_samples = mw_sample_history_get_n_samples (history);
  guint n_points = 0;

  for (guint i = 0; i < n_samples; i++)
    {
      const MwJobSample *sample = mw_sample_history_get_sample (history, i);
      const MwJobSample *prev = i > 0 ? mw_sample_history_get_sample (history, i - 1) : NULL;
      int c = mw_time_plot_column (plot, n_columns, sample->time_us);
      guint64 total_bps = mw_job_sample_total_bps (prev, sample);
      guint64 values[MW_CHART_N_SERIES] = { sample->memory_remaining, sample->dirty_rate_bps,
                                             total_bps };
      guint known = mw_chart_sample_known (sample);
      MwChartColumn *column;

      if (c < 0)
        continue;
      /* The rate drawn is the whole migration's: memory over all connections, plus disks. */
      if (total_bps > 0)
        known |= MW_JOB_HAVE_THROUGHPUT;
      column = &columns[c];
      column->n++;
      column->t_sum += sample->time_us;
      column->known |= known;
      for (guint s = 0; s < MW_CHART_N_SERIES; s++)
        if (known & mw_chart_series_bits[s])
          column->value[s] = MAX (column->value[s], values[s]);
      if (known & MW_JOB_HAVE_MEMORY_REMAINING)
        *max_bytes = MAX (*max_bytes, sample->memory_remaining);
      if (known & MW_JOB_HAVE_DIRTY_RATE)
        *max_rate = MAX (*max_rate, sample->dirty_rate_bps);
      if (known & MW_JOB_HAVE_THROUGHPUT)
        *max_rate = MAX (*max_rate, total_bps);
      if (known & MW_JOB_HAVE_THROTTLE)
        {
          column->throttle = MAX (column->throttle, sample->auto_converge_throttle);
          *show_throttle |= sample->auto_converge_throttle > 0;
        }
    }
  for (int c = 0; c < n_columns; c++)
    n_points += columns[c].n > 0;
  return n_points;
}

void
mw_chart_append_one_series (const MwChartDraw *draw,
                            MwChartSeries      series)
{
  const MwPlotCanvas *canvas = &draw->canvas;
  const MwChartScale *scale = &draw->scale;
  const GdkRGBA *colors[MW_CHART_N_SERIES] = { &draw->palette.remaining, &draw->palette.dirty,
                                               &draw->palette.bps };
  double y_scale = series == MW_CHART_SERIES_REMAINING
                   ? canvas->plot_h / (double) (scale->byte_step * scale->n_div)
                   : canvas->plot_h / (scale->rate_step * MW_CHART_MIB * scale->n_div);
  const double reach = MW_CHART_MARK_REACH;
  cairo_t *cr;

  cr = gtk_snapshot_append_cairo (canvas->snapshot,
                                  &GRAPHENE_RECT_INIT (canvas->plot_x - reach,
                                                       canvas->plot_y - reach,
                                                       canvas->plot_w + 2 * reach,
                                                       canvas->plot_h + 2 * reach));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  append_series (draw, cr, series, y_scale, colors[series], 1.5,
                 series == MW_CHART_SERIES_REMAINING);
  cairo_destroy (cr);
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
