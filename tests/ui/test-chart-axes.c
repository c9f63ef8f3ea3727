/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The migration chart's axes and words: the window it fits the run into, gaps where a value is
 * unknown, the total rate, pass labels and markers that keep clear of each other, and units with
 * sensible decimals (fixture and traces: mw-test-chart.c).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mw-test-chart.h"

/* The history-relative time a point drawn at x stands for. */
static double
time_at (MwMigrationChart *chart,
         float             x)
{
  int inset = mw_migration_chart_get_plot_inset_start (chart);
  float plot_w = floorf (gtk_widget_get_width (GTK_WIDGET (chart)) - inset
                         - mw_migration_chart_get_plot_inset_end (chart));
  gint64 start = mw_migration_chart_get_start_us (chart);

  return start + (x - inset) / plot_w * (mw_migration_chart_get_end_us (chart) - start);
}

static gboolean
rects_overlap (const graphene_rect_t *a,
               const graphene_rect_t *b)
{
  return a->origin.x < b->origin.x + b->size.width && b->origin.x < a->origin.x + a->size.width &&
         a->origin.y < b->origin.y + b->size.height && b->origin.y < a->origin.y + a->size.height;
}

/* Every label inside the widget, and no two on top of each other. */
static void
assert_texts_apart (GtkWidget        *widget,
                    const MwPlotText *texts,
                    guint             n_texts)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  g_assert_cmpuint (n_texts, >, 0);
  for (guint i = 0; i < n_texts; i++)
    {
      const graphene_rect_t *r = &texts[i].rect;

      if (r->origin.x < 0 || r->origin.y < 0 || r->origin.x + r->size.width > width ||
          r->origin.y + r->size.height > height)
        g_error ("“%s” at %g,%g %gx%g leaves the %dx%d %s", texts[i].text, r->origin.x,
                 r->origin.y, r->size.width, r->size.height, width, height,
                 G_OBJECT_TYPE_NAME (widget));
      for (guint j = 0; j < i; j++)
        if (rects_overlap (r, &texts[j].rect))
          g_error ("“%s” at %g,%g %gx%g overlaps “%s” at %g,%g %gx%g", texts[i].text,
                   r->origin.x, r->origin.y, r->size.width, r->size.height, texts[j].text,
                   texts[j].rect.origin.x, texts[j].rect.origin.y, texts[j].rect.size.width,
                   texts[j].rect.size.height);
    }
}

/* No label of the chart crossed by an event's marker line. */
static void
assert_markers_clear (MwMigrationChart *chart)
{
  guint n_texts, n_markers;
  const MwPlotText *texts = mw_migration_chart_get_texts (chart, &n_texts);
  const graphene_rect_t *markers = mw_migration_chart_get_markers (chart, &n_markers);

  g_assert_cmpuint (n_markers, >, 0);
  for (guint i = 0; i < n_texts; i++)
    for (guint j = 0; j < n_markers; j++)
      if (rects_overlap (&texts[i].rect, &markers[j]))
        g_error ("“%s” at %g,%g %gx%g is crossed by the marker at x = %g", texts[i].text,
                 texts[i].rect.origin.x, texts[i].rect.origin.y, texts[i].rect.size.width,
                 texts[i].rect.size.height, markers[j].origin.x);
}

/* ---- fitting the run ------------------------------------------------------------------------ */

static void
test_chart_window (Fixture       *fixture,
                   gconstpointer  data)
{
  const struct { double last_s; double end_s; } cases[] = {
    { 0, 5 }, { 1.25, 5 }, { 4.2, 5 }, { 5, 5 }, { 7.5, 10 }, { 10.45, 15 }, { 25, 30 },
    { 61, 90 }, { 200, 240 }, { 3700, 5400 },
  };
  g_autoptr(MwSampleHistory) trace = load_trace ();
  g_autoptr(MwSampleHistory) live = mw_sample_history_new (4096);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MwSampleHistory) history = mw_sample_history_new (16);
      MwJobSample sample = { 0 };

      mw_sample_history_set_start_us (history, 0);
      sample.time_us = (gint64) (cases[i].last_s * G_USEC_PER_SEC);
      sample.have = MW_JOB_HAVE_MEMORY_REMAINING;
      sample.memory_total = 1024 * MIB;
      sample.memory_remaining = 512 * MIB;
      if (cases[i].last_s > 0)
        mw_sample_history_push (history, &sample);
      show_history (fixture, history);
      g_test_message ("last sample at %g s: window 0 to %g s", cases[i].last_s,
                      mw_migration_chart_get_end_us (fixture->chart) / 1e6);
      g_assert_cmpint (mw_migration_chart_get_start_us (fixture->chart), ==, 0);
      g_assert_cmpint (mw_migration_chart_get_end_us (fixture->chart), ==,
                       (gint64) (cases[i].end_s * G_USEC_PER_SEC));
      g_assert_cmpint (mw_ping_strip_get_end_us (fixture->strip), ==,
                       mw_migration_chart_get_end_us (fixture->chart));
    }

  /* Live, the window grows with the run: it always holds the newest sample, which is past its
   * middle once the run is longer than the shortest window. */
  mw_sample_history_set_start_us (live, 0);
  show_history (fixture, live);
  for (guint i = 0; i < mw_sample_history_get_n_samples (trace); i++)
    {
      const MwJobSample *sample = mw_sample_history_get_sample (trace, i);
      gint64 end_us;

      mw_sample_history_push (live, sample);
      end_us = mw_migration_chart_get_end_us (fixture->chart);
      g_assert_cmpint (end_us, >=, sample->time_us);
      g_assert_cmpint (end_us, <=, MAX (2 * sample->time_us, 5 * G_USEC_PER_SEC));
      g_assert_cmpint (end_us % G_USEC_PER_SEC, ==, 0);
    }
  mw_test_wait_frames (GTK_WIDGET (fixture->window), 2);
  g_free (mw_test_save_screenshot (GTK_WIDGET (fixture->window), "chart-fits-run"));
}

/* ---- unknown values ------------------------------------------------------------------------- */

static void
test_chart_unknown_gaps (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(MwSampleHistory) trace = load_trace ();
  g_autoptr(MwSampleHistory) history = mw_sample_history_new (16);
  const MwChartPoint *points;
  guint n_points, n_runs = 0;
  double first_dirty_s = -1, first_remaining_s = -1, last_dirty_s = 0;

  /* The lab trace as QEMU reported it: a dirty rate of 0 until a pass has been measured, and
   * again in the completed job's statistics; nothing to copy yet in the setup phase. */
  for (guint i = 0; i < mw_sample_history_get_n_samples (trace); i++)
    {
      const MwJobSample *sample = mw_sample_history_get_sample (trace, i);

      if (first_dirty_s < 0 && sample->dirty_rate_bps > 0)
        first_dirty_s = sample->time_us / 1e6;
      if (sample->dirty_rate_bps > 0)
        last_dirty_s = sample->time_us / 1e6;
      if (first_remaining_s < 0 && sample->memory_total > 0)
        first_remaining_s = sample->time_us / 1e6;
    }
  g_assert_cmpfloat (first_dirty_s, >, 1);
  show_history (fixture, trace);
  g_free (mw_test_save_screenshot (GTK_WIDGET (fixture->window), "chart-unknown-gaps"));

  points = mw_migration_chart_get_points (fixture->chart, MW_CHART_SERIES_DIRTY_RATE, &n_points);
  g_assert_cmpuint (n_points, >, 0);
  for (guint i = 0; i < n_points; i++)
    {
      double t = time_at (fixture->chart, points[i].x) / 1e6;

      g_assert_cmpuint (points[i].value, >, 0);
      /* A pixel column's samples are drawn at their mean time: allow one column either way. */
      g_assert_cmpfloat (t, >=, first_dirty_s - 0.05);
      g_assert_cmpfloat (t, <=, last_dirty_s + 0.05);
    }
  points = mw_migration_chart_get_points (fixture->chart, MW_CHART_SERIES_REMAINING, &n_points);
  g_assert_cmpuint (n_points, >, 0);
  for (guint i = 0; i < n_points; i++)
    g_assert_cmpfloat (time_at (fixture->chart, points[i].x) / 1e6, >=, first_remaining_s - 0.05);

  /* A dirty rate missing from one sample breaks the line there instead of bridging it. */
  mw_sample_history_set_start_us (history, 0);
  for (guint i = 1; i <= 3; i++)
    {
      MwJobSample sample = { 0 };

      sample.time_us = i * G_USEC_PER_SEC;
      sample.have = MW_JOB_HAVE_MEMORY_REMAINING | MW_JOB_HAVE_THROUGHPUT;
      sample.memory_total = 1024 * MIB;
      sample.memory_remaining = (4 - i) * 200 * MIB;
      sample.memory_bps = 100 * MIB;
      if (i != 2)
        {
          sample.have |= MW_JOB_HAVE_DIRTY_RATE;
          sample.dirty_rate_bps = 40 * MIB;
        }
      mw_sample_history_push (history, &sample);
    }
  show_history (fixture, history);
  points = mw_migration_chart_get_points (fixture->chart, MW_CHART_SERIES_DIRTY_RATE, &n_points);
  g_assert_cmpuint (n_points, ==, 2);
  for (guint i = 0; i < n_points; i++)
    n_runs += points[i].run_start;
  g_assert_cmpuint (n_runs, ==, 2);
  points = mw_migration_chart_get_points (fixture->chart, MW_CHART_SERIES_THROUGHPUT, &n_points);
  g_assert_cmpuint (n_points, ==, 3);
  g_assert_true (points[0].run_start && !points[1].run_start && !points[2].run_start);
}

/* The rate line is the whole migration's: a guest whose disk is copied alongside its memory
 * (40 MiB/s of memory, disk_processed growing 60 MiB/s) moves 100 MiB/s in all, and the
 * legend names it the total rate with that figure. QEMU's memory figure already counts every
 * connection of a parallel migration (checked in the lab: bench/run-bench-estimate notes). */
static void
test_chart_total_rate (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(MwSampleHistory) history = mw_sample_history_new (16);
  const MwChartPoint *points;
  const MwPlotText *texts;
  guint n_points, n_texts;
  gboolean labelled = FALSE;

  mw_sample_history_set_start_us (history, 0);
  for (guint i = 1; i <= 4; i++)
    {
      MwJobSample sample = { 0 };

      sample.time_us = i * G_USEC_PER_SEC;
      sample.state = MW_JOB_STATE_RUNNING;
      sample.have = MW_JOB_HAVE_MEMORY_REMAINING | MW_JOB_HAVE_THROUGHPUT | MW_JOB_HAVE_DISK;
      sample.memory_total = 1024 * MIB;
      sample.memory_remaining = (5 - i) * 200 * MIB;
      sample.memory_bps = 40 * MIB;
      sample.disk_total = 2048 * MIB;
      sample.disk_processed = i * 60 * MIB;
      mw_sample_history_push (history, &sample);
    }
  show_history (fixture, history);

  points = mw_migration_chart_get_points (fixture->chart, MW_CHART_SERIES_THROUGHPUT, &n_points);
  g_assert_cmpuint (n_points, ==, 4);
  /* The first sample has none before it: its memory rate alone. */
  g_assert_cmpuint (points[0].value, ==, 40 * MIB);
  for (guint i = 1; i < n_points; i++)
    g_assert_cmpuint (points[i].value, ==, 100 * MIB);

  texts = mw_migration_chart_get_texts (fixture->chart, &n_texts);
  for (guint i = 0; i < n_texts; i++)
    labelled |= g_str_equal (texts[i].text, "Total rate 100 MiB/s");
  g_assert_true (labelled);
}

/* ---- labels --------------------------------------------------------------------------------- */

/* Whether a label names pass n: "pass n", or "passes a–b" with a ≤ n ≤ b. */
static gboolean
names_pass (const char *text,
            gint64      n)
{
  long long a, b;
  const char *dash;

  if (sscanf (text, "passes %lld", &a) == 1 && (dash = strstr (text, "–")) != NULL &&
      sscanf (dash + strlen ("–"), "%lld", &b) == 1)
    return a <= n && n <= b;
  return sscanf (text, "pass %lld", &a) == 1 && a == n;
}

/* Every pass in the chart's window is named by a label (its own, or one it shares with the
 * passes close to it); returns how many labels name several passes. */
static guint
assert_every_pass_named (MwMigrationChart *chart,
                         MwSampleHistory  *history)
{
  guint n_texts, n_passes = 0, shared = 0;
  const MwPlotText *texts = mw_migration_chart_get_texts (chart, &n_texts);
  gint64 start = mw_migration_chart_get_start_us (chart);
  gint64 end = mw_migration_chart_get_end_us (chart);

  for (guint i = 0; i < mw_sample_history_get_n_events (history); i++)
    {
      const MwHistoryEvent *event = mw_sample_history_get_event (history, i);
      gboolean named = FALSE;

      if (event->kind != MW_HISTORY_EVENT_PASS || event->time_us < start || event->time_us > end)
        continue;
      n_passes++;
      for (guint j = 0; j < n_texts && !named; j++)
        named = names_pass (texts[j].text, event->value);
      if (!named)
        g_error ("pass %" G_GINT64_FORMAT " has no label", event->value);
    }
  for (guint j = 0; j < n_texts; j++)
    shared += g_str_has_prefix (texts[j].text, "passes ") ? 1 : 0;
  g_test_message ("%u passes named, %u labels shared", n_passes, shared);
  g_assert_cmpuint (n_passes, >, 0);
  return shared;
}

/* A run that never converges: a pass every 0.4 s for a minute, and what the user tried. */
static MwSampleHistory *
make_many_passes (void)
{
  MwSampleHistory *history = make_run (150, 400 * 1000, 1);

  mw_sample_history_add_event (history, 30 * G_USEC_PER_SEC, MW_HISTORY_EVENT_DOWNTIME_CHANGED,
                               900, NULL);
  mw_sample_history_add_event (history, 30 * G_USEC_PER_SEC + 1000,
                               MW_HISTORY_EVENT_SPEED_CHANGED, 0, NULL);
  mw_sample_history_add_event (history, 60 * G_USEC_PER_SEC, MW_HISTORY_EVENT_ABORT_REQUESTED, 0,
                               NULL);

  return history;
}

static void
test_chart_labels (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(MwSampleHistory) trace = load_trace ();
  g_autoptr(MwSampleHistory) passes = make_many_passes ();
  g_autoptr(GArray) records = make_ping_records (mw_sample_history_get_end_us (trace),
                                                 G_MAXINT64 / 2);
  const int widths[] = { 880, 480 };
  const MwPlotText *texts;
  guint n_texts;

  mw_ping_strip_set_test_records (fixture->strip, (MwPingRecord *) records->data, records->len);
  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      g_autofree char *name = NULL;

      gtk_window_set_default_size (fixture->window, widths[w], 400);
      mw_test_wait_frames (GTK_WIDGET (fixture->window), 3);

      show_history (fixture, trace);
      name = g_strdup_printf ("chart-labels-trace-%d", widths[w]);
      g_free (mw_test_save_screenshot (GTK_WIDGET (fixture->window), name));
      texts = mw_migration_chart_get_texts (fixture->chart, &n_texts);
      assert_texts_apart (GTK_WIDGET (fixture->chart), texts, n_texts);
      assert_markers_clear (fixture->chart);
      assert_every_pass_named (fixture->chart, trace);
      mw_test_wait_frames (GTK_WIDGET (fixture->strip), 1);
      texts = mw_ping_strip_get_texts (fixture->strip, &n_texts);
      assert_texts_apart (GTK_WIDGET (fixture->strip), texts, n_texts);

      show_history (fixture, passes);
      g_free (name);
      name = g_strdup_printf ("chart-labels-passes-%d", widths[w]);
      g_free (mw_test_save_screenshot (GTK_WIDGET (fixture->window), name));
      texts = mw_migration_chart_get_texts (fixture->chart, &n_texts);
      assert_texts_apart (GTK_WIDGET (fixture->chart), texts, n_texts);
      assert_markers_clear (fixture->chart);
      /* 150 passes in a minute: far too many for one label each, so they share. */
      g_assert_cmpuint (assert_every_pass_named (fixture->chart, passes), >, 0);
    }
}

/* ---- units ---------------------------------------------------------------------------------- */

/* The unit of a label "12 MiB" or "Remaining 12 MiB": its last word. */
static const char *
unit_of (const char *text)
{
  const char *space = strrchr (text, ' ');

  g_assert_nonnull (space);
  return space + 1;
}

/* How many digits a label's number has after the point. */
static int
decimals_of (const char *text)
{
  const char *space = strrchr (text, ' ');
  const char *point = strchr (text, '.');

  return point != NULL && point < space ? (int) (space - point - 1) : 0;
}

/* Each y axis speaks one unit with one number of decimals, the legend speaks the left axis'
 * unit, and no label says "bytes". */
static void
assert_units (Fixture    *fixture,
              const char *what)
{
  int width = gtk_widget_get_width (GTK_WIDGET (fixture->chart));
  int inset_start = mw_migration_chart_get_plot_inset_start (fixture->chart);
  int inset_end = mw_migration_chart_get_plot_inset_end (fixture->chart);
  const char *left_unit = NULL, *right_unit = NULL;
  int left_decimals = -1, right_decimals = -1;
  guint n_texts, n_left = 0, n_right = 0;
  const MwPlotText *texts = mw_migration_chart_get_texts (fixture->chart, &n_texts);

  for (guint i = 0; i < n_texts; i++)
    {
      const MwPlotText *t = &texts[i];

      g_test_message ("%s: “%s”", what, t->text);
      g_assert_null (strstr (t->text, "bytes"));
      if (t->rect.origin.x + t->rect.size.width <= inset_start)
        {
          if (left_unit == NULL)
            {
              left_unit = unit_of (t->text);
              left_decimals = decimals_of (t->text);
            }
          g_assert_cmpstr (unit_of (t->text), ==, left_unit);
          g_assert_cmpint (decimals_of (t->text), ==, left_decimals);
          n_left++;
        }
      else if (t->rect.origin.x >= width - inset_end)
        {
          if (right_unit == NULL)
            {
              right_unit = unit_of (t->text);
              right_decimals = decimals_of (t->text);
            }
          g_assert_cmpstr (unit_of (t->text), ==, right_unit);
          g_assert_cmpint (decimals_of (t->text), ==, right_decimals);
          n_right++;
        }
    }
  g_assert_cmpuint (n_left, >=, 2);
  g_assert_cmpuint (n_right, ==, n_left);
  g_assert_cmpstr (right_unit, ==, "MiB/s");
  for (guint i = 0; i < n_texts; i++)
    if (g_str_has_prefix (texts[i].text, "Remaining "))
      g_assert_cmpstr (unit_of (texts[i].text), ==, left_unit);
}

static void
test_chart_units (Fixture       *fixture,
                  gconstpointer  data)
{
  const double sizes_mib[] = { 0.4, 3, 90, 256, 700, 1000, 1900, 4096, 40000 };
  const double rates_mib[] = { 0.3, 2, 7, 64, 110, 1100, 9000 };
  g_autoptr(MwSampleHistory) trace = load_trace ();

  show_history (fixture, trace);
  assert_units (fixture, "lab trace");

  for (guint i = 0; i < G_N_ELEMENTS (sizes_mib); i++)
    {
      g_autoptr(MwSampleHistory) history = mw_sample_history_new (16);
      g_autofree char *what = g_strdup_printf ("%g MiB at %g MiB/s", sizes_mib[i],
                                               rates_mib[i % G_N_ELEMENTS (rates_mib)]);

      mw_sample_history_set_start_us (history, 0);
      for (guint s = 1; s <= 4; s++)
        {
          MwJobSample sample = { 0 };

          sample.time_us = s * G_USEC_PER_SEC;
          sample.have = MW_JOB_HAVE_MEMORY_REMAINING | MW_JOB_HAVE_THROUGHPUT |
                        MW_JOB_HAVE_DIRTY_RATE;
          sample.memory_total = (guint64) (2 * sizes_mib[i] * MIB);
          /* Down to nothing left, as a run that completes. */
          sample.memory_remaining = (guint64) ((4 - s) / 3.0 * sizes_mib[i] * MIB);
          sample.memory_bps = (guint64) (rates_mib[i % G_N_ELEMENTS (rates_mib)] * MIB);
          sample.dirty_rate_bps = sample.memory_bps / 2;
          mw_sample_history_push (history, &sample);
        }
      show_history (fixture, history);
      assert_units (fixture, what);
    }
}

int
main (int   argc,
      char *argv[])
{
  mw_test_chart_init (&argc, &argv);

  g_test_add ("/mw/chart/window", Fixture, NULL,
              fixture_set_up, test_chart_window, fixture_tear_down);
  g_test_add ("/mw/chart/unknown-gaps", Fixture, NULL,
              fixture_set_up, test_chart_unknown_gaps, fixture_tear_down);
  g_test_add ("/mw/chart/total-rate", Fixture, NULL,
              fixture_set_up, test_chart_total_rate, fixture_tear_down);
  g_test_add ("/mw/chart/labels", Fixture, NULL,
              fixture_set_up, test_chart_labels, fixture_tear_down);
  g_test_add ("/mw/chart/units", Fixture, NULL,
              fixture_set_up, test_chart_units, fixture_tear_down);

  return g_test_run ();
}
