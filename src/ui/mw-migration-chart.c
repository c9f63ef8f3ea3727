/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-chart.c: memory remaining, dirty rate and throughput over time.
 *
 * The history is the model: the chart refs it, recomputes its window and summary and queues a
 * draw on `changed`, and reads it only in snapshot(). snapshot() decimates to at most one point
 * per pixel column (each series keeps its column maximum, so spikes survive), then draws in
 * three layers: grid and bands as colour nodes, every line and marker in one cairo node, text
 * as layout nodes. Colours are the theme's named colours.
 */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "mw-migration-chart-private.h"
#include "mw-plot-utils.h"

#define DEFAULT_MIN_RANGE_US (60 * G_USEC_PER_SEC)
#define MIB 1048576.0
#define PAD 6.0f              /* around the legend and between blocks */
#define BAND_HEIGHT 5.0f      /* throttle band under the plot */
#define LABEL_GAP 6.0f        /* between an axis label and the plot */

struct _MwMigrationChart
{
  GtkWidget parent_instance;

  /* Owned */
  MwSampleHistory *history;
  char *summary;

  gint64 min_range_us;
  gint64 start_us;
  gint64 end_us;
  int inset_start;                    /* from the allocation and the font, in size_allocate */
  int inset_end;

  /* Test counters, written by snapshot () */
  guint n_snapshots;
  guint n_drawn_points;
};

G_DEFINE_FINAL_TYPE (MwMigrationChart, mw_migration_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_HISTORY,
  PROP_MIN_RANGE_US,
  PROP_START_US,
  PROP_END_US,
  PROP_PLOT_INSET_START,
  PROP_PLOT_INSET_END,
  PROP_SUMMARY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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
} Column;

typedef struct
{
  GdkRGBA fg;
  GdkRGBA dim;                /* fg at label opacity */
  GdkRGBA grid;
  GdkRGBA remaining;
  GdkRGBA dirty;
  GdkRGBA bps;
  GdkRGBA throttle;
  GdkRGBA success;
  GdkRGBA error;
} Palette;

/* ---- formatting -------------------------------------------------------------------------- */

static char *
format_ms (guint64 ms)
{
  /* Translators: a duration in milliseconds, or in seconds from one second up */
  return ms < 1000 ? g_strdup_printf (_("%llu ms"), (unsigned long long) ms)
                   : g_strdup_printf (_("%.1f s"), ms / 1000.0);
}

static char *
format_rate (guint64 bps)
{
  double mib = bps / MIB;

  /* Translators: a transfer rate in mebibytes per second */
  return g_strdup_printf (mib < 10 && bps != 0 ? _("%.1f MiB/s") : _("%.0f MiB/s"), mib);
}

static char *
format_clock (gint64 us)
{
  gint64 s = us / G_USEC_PER_SEC;

  if (s >= 3600)
    return g_strdup_printf ("%d:%02d:%02d", (int) (s / 3600), (int) (s / 60 % 60), (int) (s % 60));
  return g_strdup_printf ("%d:%02d", (int) (s / 60), (int) (s % 60));
}

static char *
format_size (guint64 bytes)
{
  return g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);
}

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
      if (last->have & MW_JOB_HAVE_ITERATION)
        g_string_append_printf (text, _("Pass %llu. "), (unsigned long long) last->iteration);
      if (last->have & MW_JOB_HAVE_MEMORY_REMAINING)
        {
          g_autofree char *size = format_size (last->memory_remaining);

          g_string_append_printf (text, _("%s of memory remaining. "), size);
        }
      if (last->have & MW_JOB_HAVE_DIRTY_RATE)
        {
          g_autofree char *rate = format_rate (last->dirty_rate_bps);

          g_string_append_printf (text, _("Dirty rate %s. "), rate);
        }
      if (last->have & MW_JOB_HAVE_THROUGHPUT)
        {
          g_autofree char *rate = format_rate (last->memory_bps);

          g_string_append_printf (text, _("Throughput %s. "), rate);
        }
      if (last->have & MW_JOB_HAVE_EXPECTED_DOWNTIME)
        {
          g_autofree char *expected = format_ms (last->expected_downtime_ms);

          g_string_append_printf (text, _("Expected downtime %s. "), expected);
        }
      if ((last->have & MW_JOB_HAVE_THROTTLE) && last->auto_converge_throttle > 0)
        g_string_append_printf (text, _("CPU throttled by %u %%. "), last->auto_converge_throttle);
      elapsed = format_clock (last->time_us);
      g_string_append_printf (text, _("%s elapsed."), elapsed);
    }

  if (g_strcmp0 (text->str, self->summary) == 0)
    return;

  g_free (self->summary);
  self->summary = g_string_free (g_steal_pointer (&text), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->summary,
                                  -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
}

static void
update_window (MwMigrationChart *self)
{
  gint64 end = self->min_range_us;

  if (self->history != NULL)
    end = MAX (end, mw_sample_history_get_end_us (self->history));
  /* Never an empty window, whatever min-range-us says. */
  end = MAX (end, G_USEC_PER_SEC);

  if (end == self->end_us)
    return;

  self->end_us = end;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END_US]);
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
  g_autofree char *size = format_size (1000 * 1024 * 1024 + 1023 * 1024 * 1024 / 10 * 9);
  g_autofree char *rate = format_rate (9000 * MIB);
  int start = mw_plot_text_width (layout, size) + LABEL_GAP + PAD;
  int end = mw_plot_text_width (layout, rate) + LABEL_GAP + PAD;

  if (start != self->inset_start)
    {
      self->inset_start = start;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLOT_INSET_START]);
    }
  if (end != self->inset_end)
    {
      self->inset_end = end;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLOT_INSET_END]);
    }
}

/* ---- ranges ------------------------------------------------------------------------------ */

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

static gint64
nice_time_step (double us_per_px,
                int    min_px)
{
  static const int seconds[] = { 1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1200, 1800,
                                 3600, 7200, 14400 };

  for (guint i = 0; i < G_N_ELEMENTS (seconds); i++)
    if (seconds[i] * G_USEC_PER_SEC / us_per_px >= min_px)
      return (gint64) seconds[i] * G_USEC_PER_SEC;

  return 14400 * (gint64) G_USEC_PER_SEC;
}

/* ---- drawing ----------------------------------------------------------------------------- */

static void
get_palette (GtkWidget *widget,
             Palette   *palette)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  gtk_style_context_get_color (context, &palette->fg);
  palette->dim = palette->fg;
  palette->dim.alpha *= 0.7f;
  palette->grid = palette->fg;
  palette->grid.alpha *= 0.1f;
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

static char *
event_label (const MwHistoryEvent *event,
             const Palette        *palette,
             const GdkRGBA       **color)
{
  *color = &palette->fg;

  switch (event->kind)
    {
    case MW_HISTORY_EVENT_PASS:
      *color = &palette->dim;
      /* Translators: a marker on the chart where a memory copy pass begins */
      return g_strdup_printf (_("pass %lld"), (long long) event->value);
    case MW_HISTORY_EVENT_POSTCOPY:
      *color = &palette->remaining;
      return g_strdup (_("post-copy"));
    case MW_HISTORY_EVENT_DOWNTIME_CHANGED:
      *color = &palette->dim;
      return g_strdup_printf (_("downtime %lld ms"), (long long) event->value);
    case MW_HISTORY_EVENT_SPEED_CHANGED:
      *color = &palette->dim;
      if (event->value == 0)
        return g_strdup (_("speed unlimited"));
      return g_strdup_printf (_("speed %lld MiB/s"), (long long) event->value);
    case MW_HISTORY_EVENT_AUTO_CONVERGE:
      return NULL;            /* the throttle band shows it */
    case MW_HISTORY_EVENT_ABORT_REQUESTED:
      *color = &palette->error;
      return g_strdup (_("abort requested"));
    case MW_HISTORY_EVENT_COMPLETED:
      *color = &palette->success;
      return g_strdup (_("completed"));
    case MW_HISTORY_EVENT_FAILED:
      *color = &palette->error;
      return g_strdup (_("failed"));
    case MW_HISTORY_EVENT_CANCELLED:
      *color = &palette->error;
      return g_strdup (_("cancelled"));
    default:
      return NULL;
    }
}


/* A swatch and its text; returns the x after it. With draw FALSE it only measures. */
static float
legend_item (GtkSnapshot   *snapshot,
             PangoLayout   *layout,
             const char    *text,
             const GdkRGBA *swatch,
             const GdkRGBA *text_color,
             gboolean       area,
             float          x,
             float          y,
             float          text_h,
             gboolean       draw)
{
  float mid = roundf (y + text_h / 2);
  int width = mw_plot_text_width (layout, text);

  if (draw)
    {
      if (area)
        {
          GdkRGBA fill = *swatch;

          fill.alpha *= 0.3f;
          gtk_snapshot_append_color (snapshot, &fill, &GRAPHENE_RECT_INIT (x, mid - 5, 14, 10));
          gtk_snapshot_append_color (snapshot, swatch, &GRAPHENE_RECT_INIT (x, mid - 5, 14, 2));
        }
      else
        {
          gtk_snapshot_append_color (snapshot, swatch, &GRAPHENE_RECT_INIT (x, mid - 1, 14, 2));
        }
      mw_plot_append_text (snapshot, layout, text, x + 19, y, 0, text_color);
    }

  return x + 19 + width + 16;
}

typedef struct
{
  const char *name;
  const GdkRGBA *color;
  gboolean area;
  char *value;
} LegendEntry;

static void
append_legend (MwMigrationChart  *self,
               GtkSnapshot       *snapshot,
               PangoLayout       *layout,
               const Palette     *palette,
               const MwJobSample *last,
               gboolean           show_throttle,
               float              left,
               float              right,
               float              y,
               float              text_h)
{
  LegendEntry entries[] = {
    { _("Remaining"), &palette->remaining, TRUE, NULL },
    { _("Dirty rate"), &palette->dirty, FALSE, NULL },
    { _("Throughput"), &palette->bps, FALSE, NULL },
    { _("Throttle"), &palette->throttle, TRUE, NULL },
  };
  guint n_entries = show_throttle ? 4 : 3;
  g_autofree char *readout = NULL;
  float x;
  float readout_x = right;
  gboolean with_values = TRUE;

  if (last->have & MW_JOB_HAVE_MEMORY_REMAINING)
    entries[0].value = format_size (last->memory_remaining);
  if (last->have & MW_JOB_HAVE_DIRTY_RATE)
    entries[1].value = format_rate (last->dirty_rate_bps);
  if (last->have & MW_JOB_HAVE_THROUGHPUT)
    entries[2].value = format_rate (last->memory_bps);
  if (last->have & MW_JOB_HAVE_THROTTLE)
    entries[3].value = g_strdup_printf ("%u %%", last->auto_converge_throttle);

  if (last->have & MW_JOB_HAVE_EXPECTED_DOWNTIME)
    {
      g_autofree char *expected = format_ms (last->expected_downtime_ms);
      gint64 limit_ms = -1;

      /* The newest limit the job set, if it set one. */
      for (guint i = mw_sample_history_get_n_events (self->history); i > 0; i--)
        {
          const MwHistoryEvent *event = mw_sample_history_get_event (self->history, i - 1);

          if (event->kind == MW_HISTORY_EVENT_DOWNTIME_CHANGED)
            {
              limit_ms = event->value;
              break;
            }
        }
      if (limit_ms >= 0)
        {
          g_autofree char *limit = format_ms (limit_ms);

          /* Translators: the downtime libvirt expects if it switched over now, and the most
           * the user allows, e.g. "Expected downtime 1.2 s (limit 500 ms)" */
          readout = g_strdup_printf (_("Expected downtime %s (limit %s)"), expected, limit);
        }
      else
        {
          /* Translators: the downtime libvirt expects if it switched over now */
          readout = g_strdup_printf (_("Expected downtime %s"), expected);
        }
      readout_x = right - mw_plot_text_width (layout, readout);
    }

  /* Values in the legend when they fit, names only when they don't. */
  for (guint pass = 0; pass < 2; pass++)
    {
      x = left;
      for (guint i = 0; i < n_entries; i++)
        {
          g_autofree char *text = NULL;

          text = with_values && entries[i].value != NULL
                 ? g_strdup_printf ("%s %s", entries[i].name, entries[i].value)
                 : g_strdup (entries[i].name);
          x = legend_item (snapshot, layout, text, entries[i].color, &palette->fg,
                           entries[i].area, x, y, text_h, pass == 1);
        }
      if (pass == 0 && x > readout_x)
        with_values = FALSE;
    }

  if (readout != NULL && x - 16 + 12 <= readout_x)
    mw_plot_append_text (snapshot, layout, readout, right, y, 1, &palette->dim);

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    g_free (entries[i].value);
}

static void
append_placeholder (GtkSnapshot   *snapshot,
                    PangoLayout   *layout,
                    const char    *text,
                    float          width,
                    float          height,
                    const Palette *palette)
{
  int text_h;

  pango_layout_set_attributes (layout, NULL);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, NULL, &text_h);
  mw_plot_append_text (snapshot, layout, text, width / 2, (height - text_h) / 2, 0.5f, &palette->dim);
}

/* Adds the series' decimated points to the path; returns how many. */
static guint
add_series (cairo_t      *cr,
            const Column *columns,
            int           n_columns,
            guint         bit,
            gsize         offset,
            double        x0,
            double        x_scale,
            double        start_us,
            double        y0,
            double        y_scale,
            double       *first_x,
            double       *last_x)
{
  guint n = 0;

  for (int i = 0; i < n_columns; i++)
    {
      const Column *column = &columns[i];
      guint64 value;
      double x, y;

      if (column->n == 0 || !(column->have & bit))
        continue;
      value = G_STRUCT_MEMBER (guint64, column, offset);
      x = x0 + (column->t_sum / column->n - start_us) * x_scale;
      y = y0 - value * y_scale;
      if (n == 0)
        {
          cairo_move_to (cr, x, y);
          *first_x = x;
        }
      else
        {
          cairo_line_to (cr, x, y);
        }
      *last_x = x;
      n++;
    }

  return n;
}

static void
stroke_series (cairo_t       *cr,
               guint          n_points,
               double         x,
               const GdkRGBA *color,
               double         line_width)
{
  set_source (cr, color, 1);
  if (n_points == 1)
    {
      double y;

      cairo_get_current_point (cr, &x, &y);
      cairo_new_path (cr);
      cairo_arc (cr, x, y, line_width + 1.5, 0, 2 * G_PI);
      cairo_fill (cr);
      return;
    }
  cairo_set_line_width (cr, line_width);
  cairo_stroke (cr);
}

static void
mw_migration_chart_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  MwMigrationChart *self = MW_MIGRATION_CHART (widget);
  g_autoptr(PangoLayout) layout = NULL;
  g_autofree Column *columns = NULL;
  const MwJobSample *last;
  Palette palette;
  Lane lanes[2] = { 0 };
  cairo_t *cr;
  float width = gtk_widget_get_width (widget);
  float height = gtk_widget_get_height (widget);
  float text_h, legend_y, lane_y, plot_x, plot_y, plot_w, plot_h, band_y, xlabel_y;
  double span, x_scale, bytes_scale, rate_scale, first_x = 0, last_x = 0;
  guint64 max_bytes = 0, max_rate = 0, byte_step;
  double rate_step;
  gint64 time_step;
  guint n_samples, n_events, n_points;
  int n_columns, n_div, target_div;
  gboolean show_throttle = FALSE;

  self->n_snapshots++;
  self->n_drawn_points = 0;

  get_palette (widget, &palette);
  layout = mw_plot_label_layout_new (widget);

  n_samples = self->history != NULL ? mw_sample_history_get_n_samples (self->history) : 0;
  if (n_samples == 0)
    {
      append_placeholder (snapshot, layout,
                          self->history != NULL ? _("Waiting for the first sample…")
                                                : _("No migration running"),
                          width, height, &palette);
      return;
    }

  text_h = mw_plot_text_height (layout);
  legend_y = PAD;
  lane_y = legend_y + text_h + PAD;
  plot_y = lane_y + 2 * text_h + 2;
  xlabel_y = height - text_h - 1;
  band_y = xlabel_y - 3 - BAND_HEIGHT;
  plot_x = self->inset_start;
  plot_w = floorf (width - self->inset_start - self->inset_end);
  plot_h = floorf (band_y - 3 - plot_y);
  if (plot_w < 16 || plot_h < 16)
    return;

  /* Decimate: one column per pixel, each series keeping its maximum. */
  n_columns = (int) plot_w;
  columns = g_new0 (Column, n_columns);
  span = self->end_us - self->start_us;
  for (guint i = 0; i < n_samples; i++)
    {
      const MwJobSample *sample = mw_sample_history_get_sample (self->history, i);
      Column *column;
      int c;

      if (sample->time_us < self->start_us || sample->time_us > self->end_us)
        continue;
      c = MIN ((int) ((sample->time_us - self->start_us) / span * n_columns), n_columns - 1);
      column = &columns[c];
      column->n++;
      column->t_sum += sample->time_us;
      column->have |= sample->have;
      if (sample->have & MW_JOB_HAVE_MEMORY_REMAINING)
        {
          column->remaining = MAX (column->remaining, sample->memory_remaining);
          max_bytes = MAX (max_bytes, sample->memory_remaining);
        }
      if (sample->have & MW_JOB_HAVE_DIRTY_RATE)
        {
          column->dirty = MAX (column->dirty, sample->dirty_rate_bps);
          max_rate = MAX (max_rate, sample->dirty_rate_bps);
        }
      if (sample->have & MW_JOB_HAVE_THROUGHPUT)
        {
          column->bps = MAX (column->bps, sample->memory_bps);
          max_rate = MAX (max_rate, sample->memory_bps);
        }
      if (sample->have & MW_JOB_HAVE_THROTTLE)
        {
          column->throttle = MAX (column->throttle, sample->auto_converge_throttle);
          show_throttle |= sample->auto_converge_throttle > 0;
        }
    }
  for (int c = 0; c < n_columns; c++)
    self->n_drawn_points += columns[c].n > 0;

  /* Both y axes get the same number of divisions so they share the grid lines. */
  target_div = CLAMP ((int) (plot_h / 44), 2, 6);
  byte_step = nice_bytes_step (MAX (max_bytes, 1) / (double) target_div);
  n_div = MAX (1, (int) ceil (max_bytes / (double) byte_step));
  rate_step = nice_rate_step (max_rate / MIB / n_div);
  bytes_scale = plot_h / (double) (byte_step * n_div);
  rate_scale = plot_h / (rate_step * MIB * n_div);
  x_scale = plot_w / span;

  /* Grid */
  for (int i = 0; i <= n_div; i++)
    {
      float y = roundf (plot_y + plot_h - i * plot_h / n_div);
      g_autofree char *size = format_size (byte_step * i);
      g_autofree char *rate = format_rate (rate_step * MIB * i);

      gtk_snapshot_append_color (snapshot, &palette.grid,
                                 &GRAPHENE_RECT_INIT (plot_x, y - (i == 0), plot_w, 1));
      mw_plot_append_text (snapshot, layout, size, plot_x - LABEL_GAP, y - text_h / 2, 1, &palette.dim);
      mw_plot_append_text (snapshot, layout, rate, plot_x + plot_w + LABEL_GAP, y - text_h / 2, 0,
                   &palette.dim);
    }
  time_step = nice_time_step (span / plot_w, mw_plot_text_width (layout, "00:00") + 36);
  for (gint64 t = (self->start_us + time_step - 1) / time_step * time_step;
       t <= self->end_us;
       t += time_step)
    {
      float x = roundf (plot_x + (t - self->start_us) * x_scale);
      g_autofree char *clock = format_clock (t);

      if (t > self->start_us)
        gtk_snapshot_append_color (snapshot, &palette.grid,
                                   &GRAPHENE_RECT_INIT (x, plot_y, 1, plot_h));
      if (x + mw_plot_text_width (layout, clock) / 2.0f <= width)
        mw_plot_append_text (snapshot, layout, clock, x, xlabel_y, 0.5f, &palette.dim);
    }

  /* Throttle band: runs of equal throttle, each held until the next sample. */
  if (show_throttle)
    {
      guint current = 0;
      int run_start = 0;
      int last_column = -1;

      gtk_snapshot_append_color (snapshot, &palette.grid,
                                 &GRAPHENE_RECT_INIT (plot_x, band_y, plot_w, BAND_HEIGHT));
      for (int c = 0; c < n_columns; c++)
        if (columns[c].n > 0)
          last_column = c;
      for (int c = 0; c <= last_column + 1; c++)
        {
          gboolean inside = c <= last_column;
          guint value = current;

          if (inside && columns[c].n > 0)
            value = (columns[c].have & MW_JOB_HAVE_THROTTLE) ? columns[c].throttle : 0;
          if (inside && value == current)
            continue;
          if (current > 0)
            {
              GdkRGBA color = palette.throttle;

              color.alpha *= 0.3f + 0.7f * MIN (current, 99) / 99.0f;
              gtk_snapshot_append_color (snapshot, &color,
                                         &GRAPHENE_RECT_INIT (plot_x + run_start, band_y,
                                                              MAX (c - run_start, 1),
                                                              BAND_HEIGHT));
            }
          current = value;
          run_start = c;
        }
    }

  /* Lines and markers, all in one cairo node. */
  cr = gtk_snapshot_append_cairo (snapshot,
                                  &GRAPHENE_RECT_INIT (plot_x - 4, lane_y, plot_w + 8,
                                                       plot_y + plot_h - lane_y + 4));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);

  n_events = mw_sample_history_get_n_events (self->history);
  cairo_set_line_width (cr, 1);
  for (guint i = 0; i < n_events; i++)
    {
      const MwHistoryEvent *event = mw_sample_history_get_event (self->history, i);
      const GdkRGBA *color;
      g_autofree char *label = event_label (event, &palette, &color);
      double x;

      if (label == NULL || event->time_us < self->start_us || event->time_us > self->end_us)
        continue;
      x = roundf (plot_x + (event->time_us - self->start_us) * x_scale) + 0.5;
      if (event->kind == MW_HISTORY_EVENT_PASS)
        {
          static const double dashes[] = { 3, 3 };

          cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
          set_source (cr, &palette.fg, 0.3);
        }
      else
        {
          cairo_set_dash (cr, NULL, 0, 0);
          set_source (cr, color, color == &palette.dim ? 0.6 : 0.85);
        }
      cairo_move_to (cr, x, lane_y);
      cairo_line_to (cr, x, plot_y + plot_h);
      cairo_stroke (cr);
    }
  cairo_set_dash (cr, NULL, 0, 0);

  cairo_rectangle (cr, plot_x, plot_y - 2, plot_w, plot_h + 2);
  cairo_clip (cr);

  n_points = add_series (cr, columns, n_columns, MW_JOB_HAVE_MEMORY_REMAINING,
                         G_STRUCT_OFFSET (Column, remaining), plot_x, x_scale, self->start_us,
                         plot_y + plot_h, bytes_scale, &first_x, &last_x);
  if (n_points > 1)
    {
      cairo_path_t *path = cairo_copy_path (cr);

      cairo_line_to (cr, last_x, plot_y + plot_h);
      cairo_line_to (cr, first_x, plot_y + plot_h);
      cairo_close_path (cr);
      set_source (cr, &palette.remaining, 0.22);
      cairo_fill (cr);
      cairo_append_path (cr, path);
      cairo_path_destroy (path);
    }
  if (n_points > 0)
    stroke_series (cr, n_points, first_x, &palette.remaining, 1.5);

  n_points = add_series (cr, columns, n_columns, MW_JOB_HAVE_DIRTY_RATE,
                         G_STRUCT_OFFSET (Column, dirty), plot_x, x_scale, self->start_us,
                         plot_y + plot_h, rate_scale, &first_x, &last_x);
  if (n_points > 0)
    stroke_series (cr, n_points, first_x, &palette.dirty, 1.5);

  n_points = add_series (cr, columns, n_columns, MW_JOB_HAVE_THROUGHPUT,
                         G_STRUCT_OFFSET (Column, bps), plot_x, x_scale, self->start_us,
                         plot_y + plot_h, rate_scale, &first_x, &last_x);
  if (n_points > 0)
    stroke_series (cr, n_points, first_x, &palette.bps, 2);

  cairo_destroy (cr);

  /* Event labels: the rarer, more important ones first, then passes where room is left. */
  for (guint round = 0; round < 2; round++)
    for (guint i = 0; i < n_events; i++)
      {
        const MwHistoryEvent *event = mw_sample_history_get_event (self->history, i);
        const GdkRGBA *color;
        g_autofree char *label = NULL;
        gboolean is_pass = event->kind == MW_HISTORY_EVENT_PASS;
        float x, w;

        if (is_pass != (round == 1) || event->time_us < self->start_us ||
            event->time_us > self->end_us)
          continue;
        label = event_label (event, &palette, &color);
        if (label == NULL)
          continue;
        x = roundf (plot_x + (event->time_us - self->start_us) * x_scale) + 4;
        w = mw_plot_text_width (layout, label);
        if (x + w > plot_x + plot_w)
          x -= w + 8;
        /* Passes on the top lane only; other events below, or on top when that is full. */
        if (!is_pass && lane_take (&lanes[1], x, x + w))
          mw_plot_append_text (snapshot, layout, label, x, lane_y + text_h, 0, color);
        else if (lane_take (&lanes[0], x, x + w))
          mw_plot_append_text (snapshot, layout, label, x, lane_y, 0, color);
      }

  last = mw_sample_history_get_last (self->history);
  append_legend (self, snapshot, layout, &palette, last, show_throttle, PAD,
                 width - PAD, legend_y, text_h);
}

static void
mw_migration_chart_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 320;
      *natural = 640;
    }
  else
    {
      *minimum = 180;
      *natural = 280;
    }
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
mw_migration_chart_css_changed (GtkWidget         *widget,
                                GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (mw_migration_chart_parent_class)->css_changed (widget, change);
  /* Named colours live in the theme; a dark/light switch must repaint. */
  gtk_widget_queue_draw (widget);
}

static void
mw_migration_chart_dispose (GObject *object)
{
  MwMigrationChart *self = MW_MIGRATION_CHART (object);

  if (self->history != NULL)
    g_signal_handlers_disconnect_by_func (self->history, on_history_changed_cb, self);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (mw_migration_chart_parent_class)->dispose (object);
}

static void
mw_migration_chart_finalize (GObject *object)
{
  MwMigrationChart *self = MW_MIGRATION_CHART (object);

  g_free (self->summary);

  G_OBJECT_CLASS (mw_migration_chart_parent_class)->finalize (object);
}

static void
mw_migration_chart_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  MwMigrationChart *self = MW_MIGRATION_CHART (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;
    case PROP_MIN_RANGE_US:
      g_value_set_int64 (value, self->min_range_us);
      break;
    case PROP_START_US:
      g_value_set_int64 (value, self->start_us);
      break;
    case PROP_END_US:
      g_value_set_int64 (value, self->end_us);
      break;
    case PROP_PLOT_INSET_START:
      g_value_set_int (value, self->inset_start);
      break;
    case PROP_PLOT_INSET_END:
      g_value_set_int (value, self->inset_end);
      break;
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
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

  widget_class->measure = mw_migration_chart_measure;
  widget_class->size_allocate = mw_migration_chart_size_allocate;
  widget_class->snapshot = mw_migration_chart_snapshot;
  widget_class->css_changed = mw_migration_chart_css_changed;

  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL,
                         MW_TYPE_SAMPLE_HISTORY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MIN_RANGE_US] =
    g_param_spec_int64 ("min-range-us", NULL, NULL,
                        0, G_MAXINT64, DEFAULT_MIN_RANGE_US,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_START_US] =
    g_param_spec_int64 ("start-us", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_END_US] =
    g_param_spec_int64 ("end-us", NULL, NULL,
                        0, G_MAXINT64, DEFAULT_MIN_RANGE_US,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLOT_INSET_START] =
    g_param_spec_int ("plot-inset-start", NULL, NULL,
                      0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLOT_INSET_END] =
    g_param_spec_int ("plot-inset-end", NULL, NULL,
                      0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "migrationchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
mw_migration_chart_init (MwMigrationChart *self)
{
  self->min_range_us = DEFAULT_MIN_RANGE_US;
  self->end_us = DEFAULT_MIN_RANGE_US;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Migration progress"),
                                  -1);
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

  if (self->history == history)
    return;

  if (self->history != NULL)
    g_signal_handlers_disconnect_by_func (self->history, on_history_changed_cb, self);
  g_set_object (&self->history, history);
  if (history != NULL)
    g_signal_connect_swapped (history, "changed", G_CALLBACK (on_history_changed_cb), self);

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

  return self->start_us;
}

gint64
mw_migration_chart_get_end_us (MwMigrationChart *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_CHART (self), 0);

  return self->end_us;
}

int
mw_migration_chart_get_plot_inset_start (MwMigrationChart *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_CHART (self), 0);

  return self->inset_start;
}

int
mw_migration_chart_get_plot_inset_end (MwMigrationChart *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_CHART (self), 0);

  return self->inset_end;
}

const char *
mw_migration_chart_get_summary (MwMigrationChart *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_CHART (self), NULL);

  return self->summary;
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
