/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-chart-labels.c: MwMigrationChart's text layers, as layout nodes: where each
 * event's label goes (never on another label, never across a marker; passes close together
 * share one label, "passes 3–5"), and the legend with the newest values. */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "mw-migration-chart-layers.h"

/* ---- text layers ------------------------------------------------------------------------- */

/* Room for event labels: the spans of the labels placed on each lane, and the pixel columns of
 * the markers that cross the lanes (sorted). */
typedef struct
{
  float from;
  float to;
} Span;

typedef struct
{
  GArray *markers;            /* float */
  GArray *lanes[2];           /* Span */
} LabelRoom;

static guint
first_marker_from (const LabelRoom *room,
                   float            x)
{
  const float *xs = (const float *) room->markers->data;
  guint lo = 0, hi = room->markers->len;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (xs[mid] < x)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

static void
add_marker (LabelRoom *room,
            float      x)
{
  g_array_insert_val (room->markers, first_marker_from (room, x), x);
}

/* Whether a marker's pixel [x, x + 1] comes within 2 px of [from, to]. */
static gboolean
crosses_marker (const LabelRoom *room,
                float            from,
                float            to)
{
  guint i = first_marker_from (room, from - 3);

  return i < room->markers->len && g_array_index (room->markers, float, i) <= to + 2;
}

/* Whether a label on the lane covers column x (a marker would cross it there). */
static gboolean
lane_covers (const LabelRoom *room,
             guint            lane,
             float            x)
{
  for (guint i = 0; i < room->lanes[lane]->len; i++)
    {
      const Span *taken = &g_array_index (room->lanes[lane], Span, i);

      if (x + 1 >= taken->from - 2 && x <= taken->to + 2)
        return TRUE;
    }

  return FALSE;
}

/* Takes [from, to] on the lane when it is in the plot, 4 px clear of the lane's labels and
 * not crossed by a marker; FALSE if not. */
static gboolean
take_span (LabelRoom         *room,
           const MwChartDraw *draw,
           guint              lane,
           float              from,
           float              to)
{
  const MwPlotCanvas *canvas = &draw->canvas;
  GArray *spans = room->lanes[lane];
  Span span = { from, to };

  if (from < canvas->plot_x || to > canvas->plot_x + canvas->plot_w ||
      crosses_marker (room, from, to))
    return FALSE;
  for (guint i = 0; i < spans->len; i++)
    {
      const Span *taken = &g_array_index (spans, Span, i);

      if (from < taken->to + 4 && to > taken->from - 4)
        return FALSE;
    }
  g_array_append_val (spans, span);

  return TRUE;
}

static void
chart_label_clear (gpointer data)
{
  g_free (((MwChartLabel *) data)->text);
}

/* Gives back what a placed label took: its span on its lane, and its marker's column. */
static void
release_label (LabelRoom          *room,
               const MwChartLabel *label,
               float               w,
               float               marker)
{
  GArray *spans = room->lanes[label->lane];

  for (guint i = 0; i < spans->len; i++)
    {
      const Span *span = &g_array_index (spans, Span, i);

      if (span->from == label->x && span->to == label->x + w)
        {
          g_array_remove_index (spans, i);
          break;
        }
    }
  for (guint i = 0; i < room->markers->len; i++)
    if (g_array_index (room->markers, float, i) == marker)
      {
        g_array_remove_index (room->markers, i);
        break;
      }
}

/* Right of its marker, else left of it, on each lane from first_lane to last_lane. */
static gboolean
place_label (LabelRoom         *room,
             const MwChartDraw *draw,
             MwChartLabel      *label,
             float              marker,
             int                first_lane,
             int                last_lane)
{
  float w = mw_plot_text_width (draw->canvas.layout, label->text);
  int step = first_lane <= last_lane ? 1 : -1;

  for (label->lane = first_lane;; label->lane += step)
    {
      label->x = marker + 4;
      if (take_span (room, draw, label->lane, label->x, label->x + w))
        return TRUE;
      label->x = marker - 3 - w;
      if (take_span (room, draw, label->lane, label->x, label->x + w))
        return TRUE;
      if (label->lane == last_lane)
        return FALSE;
    }
}

/* Passes whose markers would sit under one label, labelled together at the first one's marker. */
typedef struct
{
  guint event;                /* the first pass's index in the history's events */
  gint64 first;
  gint64 last;
  float marker;
  guint label;                /* its index in the labels once placed */
} PassRun;

static char *
pass_run_text (gint64 first,
               gint64 last)
{
  if (first == last)
    /* Translators: a marker on the chart where a memory copy pass begins */
    return g_strdup_printf (_("pass %lld"), (long long) first);
  /* Translators: one label on the chart for several memory copy passes close together,
   * "passes 3–5" */
  return g_strdup_printf (_("passes %lld–%lld"), (long long) first, (long long) last);
}

/* A run's label on either lane, the top one first; its marker then crosses the lanes, so no
 * label may cover it. */
static gboolean
place_pass_run (LabelRoom         *room,
                const MwChartDraw *draw,
                const PassRun     *run,
                MwChartLabel      *label)
{
  label->event = run->event;
  label->color = &draw->canvas.dim;
  label->text = pass_run_text (run->first, run->last);
  if (!lane_covers (room, 0, run->marker) && !lane_covers (room, 1, run->marker)
      && place_label (room, draw, label, run->marker, 0, 1))
    {
      add_marker (room, run->marker);
      return TRUE;
    }
  g_clear_pointer (&label->text, g_free);
  return FALSE;
}

/* The label of prev, placed before, made to name the passes up to last too; FALSE (and prev's
 * label where it was) when the longer text finds no room. */
static gboolean
extend_pass_run (LabelRoom         *room,
                 const MwChartDraw *draw,
                 GArray            *labels,
                 PassRun           *prev,
                 gint64             last)
{
  MwChartLabel *old = &g_array_index (labels, MwChartLabel, prev->label);
  float old_w = mw_plot_text_width (draw->canvas.layout, old->text);
  PassRun longer = *prev;
  MwChartLabel label = { 0 };
  Span span = { old->x, old->x + old_w };

  longer.last = last;
  release_label (room, old, old_w, prev->marker);
  if (place_pass_run (room, draw, &longer, &label))
    {
      g_free (old->text);
      *old = label;
      *prev = longer;
      return TRUE;
    }
  g_array_append_val (room->lanes[old->lane], span);
  add_marker (room, prev->marker);
  return FALSE;
}

/* Passes after the other events, where room is left. Passes whose markers would sit under one
 * label share it ("passes 3–5"). A run with no room of its own joins the label before it,
 * which then names both; when that does not fit either, it goes on with the next run. So no
 * pass goes unnamed while any pass label fits. */
static void
place_pass_labels (const MwChartDraw *draw,
                   LabelRoom         *room,
                   GArray            *labels)
{
  guint n_events = mw_sample_history_get_n_events (draw->history);
  PassRun run = { 0 };
  PassRun prev = { 0 };
  gboolean open = FALSE;
  gboolean have_prev = FALSE;
  gint64 carried = -1;        /* the first pass left without a label so far, else -1 */

  for (guint i = 0; i <= n_events; i++)
    {
      const MwHistoryEvent *event = i < n_events
                                      ? mw_sample_history_get_event (draw->history, i) : NULL;
      float marker = 0;

      if (event != NULL
          && (event->kind != MW_HISTORY_EVENT_PASS || !mw_chart_event_in_window (draw, event)))
        continue;
      if (event != NULL)
        {
          marker = mw_chart_marker_x (draw, event);
          if (open)
            {
              g_autofree char *text = pass_run_text (carried >= 0 ? carried : run.first,
                                                     event->value);

              /* Under the run's label (right of its marker): one label for both. */
              if (marker <= run.marker + 4 + mw_plot_text_width (draw->canvas.layout, text) + 4)
                {
                  run.last = event->value;
                  continue;
                }
            }
        }

      if (open)
        {
          MwChartLabel label = { 0 };

          if (carried >= 0)
            run.first = carried;
          if (place_pass_run (room, draw, &run, &label))
            {
              g_array_append_val (labels, label);
              prev = run;
              prev.label = labels->len - 1;
              have_prev = TRUE;
              carried = -1;
            }
          else if (have_prev && extend_pass_run (room, draw, labels, &prev, run.last))
            carried = -1;
          else
            carried = run.first;
        }
      if (event == NULL)
        break;
      run = (PassRun) { i, event->value, event->value, marker, 0 };
      open = TRUE;
    }
}

GArray *
mw_chart_place_event_labels (const MwChartDraw *draw)
{
  guint n_events = mw_sample_history_get_n_events (draw->history);
  GArray *labels = g_array_new (FALSE, FALSE, sizeof (MwChartLabel));
  LabelRoom room;

  g_array_set_clear_func (labels, chart_label_clear);
  room.markers = g_array_new (FALSE, FALSE, sizeof (float));
  for (guint i = 0; i < G_N_ELEMENTS (room.lanes); i++)
    room.lanes[i] = g_array_new (FALSE, FALSE, sizeof (Span));
  for (guint i = 0; i < n_events; i++)
    {
      const MwHistoryEvent *event = mw_sample_history_get_event (draw->history, i);

      if (event->kind != MW_HISTORY_EVENT_PASS && mw_chart_event_in_window (draw, event))
        add_marker (&room, mw_chart_marker_x (draw, event));
    }

  /* The rarer, more important events first, on the lower lane or the top one, right of the
   * marker or left of it; a label with no room is left out, its marker stays. Then the
   * passes, where room is left. */
  for (guint i = 0; i < n_events; i++)
    {
      const MwHistoryEvent *event = mw_sample_history_get_event (draw->history, i);
      MwChartLabel label = { i, 0, 0, NULL, NULL };

      if (event->kind == MW_HISTORY_EVENT_PASS || !mw_chart_event_in_window (draw, event))
        continue;
      label.text = mw_chart_event_label (draw, event, &label.color);
      if (label.text == NULL)
        continue;
      if (place_label (&room, draw, &label, mw_chart_marker_x (draw, event), 1, 0))
        g_array_append_val (labels, label);
      else
        g_free (label.text);
    }
  place_pass_labels (draw, &room, labels);

  g_array_unref (room.markers);
  for (guint i = 0; i < G_N_ELEMENTS (room.lanes); i++)
    g_array_unref (room.lanes[i]);

  return labels;
}

void
mw_chart_append_event_labels (const MwChartDraw *draw)
{
  const MwPlotCanvas *canvas = &draw->canvas;

  for (guint i = 0; i < draw->labels->len; i++)
    {
      const MwChartLabel *label = &g_array_index (draw->labels, MwChartLabel, i);

      mw_plot_canvas_append_text (canvas, label->text, label->x,
                                  draw->lane_y + label->lane * canvas->text_h, 0, label->color);
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
    /* Translators: the whole migration's transfer rate (all connections, and disks) */
    { _("Total rate"), &draw->palette.bps, FALSE, NULL },
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
    entries[0].value = mw_chart_scale_format_size (&draw->scale, last->memory_remaining);
  if (known & MW_JOB_HAVE_DIRTY_RATE)
    entries[1].value = mw_chart_format_rate (last->dirty_rate_bps);
  if ((known & MW_JOB_HAVE_THROUGHPUT) || mw_chart_history_total_bps (draw->history) > 0)
    entries[2].value = mw_chart_format_rate (mw_chart_history_total_bps (draw->history));
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
