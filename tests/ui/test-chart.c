/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The migration chart and ping strip, replaying a recorded migration as the live view would:
 * what it draws (empty, one sample, decimated, replayed, dark), the ping strip on a live
 * pinger, and (-m perf) what a frame costs. What it writes and where (axes, labels, units,
 * gaps) is test-chart-axes.c; the shared fixture and traces are mw-test-chart.c.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "mw-convergence.h"
#include "mw-test-chart.h"

/* ---- tests ------------------------------------------------------------------------------- */

static void
test_chart_empty (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(MwSampleHistory) history = mw_sample_history_new (64);
  g_autoptr(GskRenderNode) node = NULL;
  g_autofree char *path = NULL;
  SnapshotWait wait = { fixture->chart, 0 };

  mw_test_wait_frames (GTK_WIDGET (fixture->chart), 1);
  g_assert_cmpstr (mw_migration_chart_get_summary (fixture->chart), ==,
                   "No migration samples yet.");

  wait.n_snapshots = mw_migration_chart_get_n_snapshots (fixture->chart);
  mw_migration_chart_set_history (fixture->chart, history);
  g_assert_true (mw_test_wait_until (chart_snapshotted, &wait, 5000));
  path = mw_test_save_screenshot (GTK_WIDGET (fixture->window), "chart-empty");

  /* The placeholder is text alone: no lines, no points. */
  g_assert_cmpuint (mw_migration_chart_get_n_drawn_points (fixture->chart), ==, 0);
  node = render_widget (GTK_WIDGET (fixture->chart));
  g_assert_nonnull (node);
  g_assert_true (node_has_type (node, GSK_TEXT_NODE));
  g_assert_false (node_has_type (node, GSK_CAIRO_NODE));
  assert_description (GTK_WIDGET (fixture->chart), "No migration samples yet.");
  g_assert_cmpint (mw_migration_chart_get_end_us (fixture->chart), ==, 5 * G_USEC_PER_SEC);
  g_assert_cmpint (mw_ping_strip_get_end_us (fixture->strip), ==, 5 * G_USEC_PER_SEC);
}

static void
test_chart_one_sample (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(MwSampleHistory) history = mw_sample_history_new (64);
  g_autoptr(GskRenderNode) node = NULL;
  g_autofree char *path = NULL;
  g_autofree char *size = NULL;
  MwJobSample sample = { 0 };
  SnapshotWait wait = { fixture->chart, 0 };

  mw_sample_history_set_start_us (history, 1000);
  sample.time_us = 1000 + 500 * 1000;
  sample.state = MW_JOB_STATE_RUNNING;
  sample.have = MW_JOB_HAVE_MEMORY_REMAINING | MW_JOB_HAVE_THROUGHPUT | MW_JOB_HAVE_ITERATION;
  sample.memory_total = 2048 * MIB;
  sample.memory_remaining = 1990 * MIB;
  sample.memory_bps = 60 * MIB;
  sample.iteration = 1;
  mw_sample_history_push (history, &sample);

  mw_migration_chart_set_history (fixture->chart, history);
  wait.n_snapshots = mw_migration_chart_get_n_snapshots (fixture->chart);
  g_assert_true (mw_test_wait_until (chart_snapshotted, &wait, 5000));
  path = mw_test_save_screenshot (GTK_WIDGET (fixture->window), "chart-one-sample");

  g_assert_cmpuint (mw_migration_chart_get_n_drawn_points (fixture->chart), ==, 1);
  node = render_widget (GTK_WIDGET (fixture->chart));
  g_assert_true (node_has_type (node, GSK_CAIRO_NODE));
  size = mw_format_bytes (sample.memory_remaining);
  g_assert_true (g_str_has_prefix (size, "1.9"));
  g_assert_nonnull (strstr (mw_migration_chart_get_summary (fixture->chart), size));
}

static void
test_chart_decimation (Fixture       *fixture,
                       gconstpointer  data)
{
  /* 30 000 samples, 10 ms apart: far more than pixels. */
  g_autoptr(MwSampleHistory) history = make_run (30000, 10000, 3000);
  g_autofree char *path = NULL;
  SnapshotWait wait = { fixture->chart, 0 };
  int width;

  wait.n_snapshots = mw_migration_chart_get_n_snapshots (fixture->chart);
  mw_migration_chart_set_history (fixture->chart, history);
  g_assert_true (mw_test_wait_until (chart_snapshotted, &wait, 5000));
  path = mw_test_save_screenshot (GTK_WIDGET (fixture->window), "chart-decimated");

  width = gtk_widget_get_width (GTK_WIDGET (fixture->chart));
  g_test_message ("30000 samples drawn as %u points on a %d px wide chart",
                  mw_migration_chart_get_n_drawn_points (fixture->chart), width);
  g_assert_cmpuint (mw_migration_chart_get_n_drawn_points (fixture->chart), >, width / 2);
  g_assert_cmpuint (mw_migration_chart_get_n_drawn_points (fixture->chart), <=,
                    width - mw_migration_chart_get_plot_inset_start (fixture->chart)
                          - mw_migration_chart_get_plot_inset_end (fixture->chart));
}

static void
replay (Fixture         *fixture,
        MwSampleHistory *trace,
        MwSampleHistory *live)
{
  guint n_samples = mw_sample_history_get_n_samples (trace);
  guint n_events = mw_sample_history_get_n_events (trace);
  gint64 end_us = mw_sample_history_get_end_us (trace);
  gint64 start = g_get_monotonic_time ();
  guint e = 0;

  /* Both sides of the live view get the same start: chart and strip times line up. */
  mw_sample_history_set_start_us (live, start);
  mw_migration_chart_set_history (fixture->chart, live);

  for (guint i = 0; i < n_samples; i++)
    {
      const MwJobSample *sample = mw_sample_history_get_sample (trace, i);
      MwJobSample copy = *sample;
      SnapshotWait wait = { fixture->chart, mw_migration_chart_get_n_snapshots (fixture->chart) };
      g_autoptr(GArray) records = NULL;
      g_autofree char *remaining = NULL;

      /* Events the job adds itself; PASS and AUTO_CONVERGE come from the samples. */
      for (; e < n_events && mw_sample_history_get_event (trace, e)->time_us <= sample->time_us;
           e++)
        {
          const MwHistoryEvent *event = mw_sample_history_get_event (trace, e);

          if (event->kind != MW_HISTORY_EVENT_PASS &&
              event->kind != MW_HISTORY_EVENT_AUTO_CONVERGE)
            mw_sample_history_add_event (live, start + event->time_us, event->kind,
                                         event->value, event->text);
        }

      copy.time_us = start + sample->time_us;
      mw_sample_history_push (live, &copy);
      records = make_ping_records (end_us, sample->time_us);
      mw_ping_strip_set_test_records (fixture->strip, (MwPingRecord *) records->data,
                                      records->len);

      /* Every push is drawn, and the words follow the numbers. */
      g_assert_true (mw_test_wait_until (chart_snapshotted, &wait, 5000));
      /* In the setup phase nothing is known to copy yet, and the words don't pretend. */
      if ((sample->have & MW_JOB_HAVE_MEMORY_REMAINING) && sample->memory_total > 0)
        {
          remaining = mw_format_bytes (sample->memory_remaining);
          g_assert_nonnull (strstr (mw_migration_chart_get_summary (fixture->chart), remaining));
        }
      else
        {
          g_assert_null (strstr (mw_migration_chart_get_summary (fixture->chart), "remaining"));
        }
      assert_description (GTK_WIDGET (fixture->chart),
                          mw_migration_chart_get_summary (fixture->chart));
      g_assert_cmpint (mw_ping_strip_get_end_us (fixture->strip), ==,
                       mw_migration_chart_get_end_us (fixture->chart));

      if (i == n_samples / 2)
        g_free (mw_test_save_screenshot (GTK_WIDGET (fixture->window), "chart-replay-mid"));
    }

  for (; e < n_events; e++)
    {
      const MwHistoryEvent *event = mw_sample_history_get_event (trace, e);

      if (event->kind != MW_HISTORY_EVENT_PASS && event->kind != MW_HISTORY_EVENT_AUTO_CONVERGE)
        mw_sample_history_add_event (live, start + event->time_us, event->kind, event->value,
                                     event->text);
    }
}

static void
test_chart_replay (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(MwSampleHistory) trace = load_trace ();
  g_autoptr(MwSampleHistory) live = mw_sample_history_new (4096);
  g_autofree char *path = NULL;
  guint before;

  replay (fixture, trace, live);
  mw_test_wait_frames (GTK_WIDGET (fixture->window), 2);
  path = mw_test_save_screenshot (GTK_WIDGET (fixture->window), "chart-replay-end");

  g_assert_cmpuint (mw_sample_history_get_n_samples (live), ==,
                    mw_sample_history_get_n_samples (trace));
  g_assert_cmpint (mw_migration_chart_get_end_us (fixture->chart), ==,
                   mw_time_plot_fit_end_us (mw_sample_history_get_end_us (trace),
                                            5 * G_USEC_PER_SEC));
  g_assert_nonnull (strstr (mw_ping_strip_get_summary (fixture->strip), "lost"));

  /* Cheap when idle: frames without a change reuse the chart's last render node. */
  before = mw_migration_chart_get_n_snapshots (fixture->chart);
  mw_test_wait_frames (GTK_WIDGET (fixture->window), 5);
  g_assert_cmpuint (mw_migration_chart_get_n_snapshots (fixture->chart), ==, before);
}

static void
test_chart_dark (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(MwSampleHistory) trace = load_trace ();
  g_autoptr(GArray) records = make_ping_records (mw_sample_history_get_end_us (trace),
                                                 G_MAXINT64 / 2);
  g_autofree char *path = NULL;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  mw_migration_chart_set_history (fixture->chart, trace);
  mw_ping_strip_set_test_records (fixture->strip, (MwPingRecord *) records->data, records->len);
  path = mw_test_save_screenshot (GTK_WIDGET (fixture->window), "chart-dark");
  g_assert_cmpuint (mw_migration_chart_get_n_drawn_points (fixture->chart), >, 0);
}

/* ---- drawing cost (-m perf) ----------------------------------------------------------------- */

/* CPU time this process used so far, in all its threads (GL on llvmpipe renders in several). */
static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* What one frame of the chart costs: its snapshot () and rendering the node with the window's
 * renderer (GSK_RENDERER picks it), in CPU time, which other load on the machine disturbs less
 * than wall time, averaged over many frames. */
static void
measure_frames (Fixture    *fixture,
                const char *what)
{
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (fixture->window));
  GtkWidget *chart = GTK_WIDGET (fixture->chart);
  int width = gtk_widget_get_width (chart), height = gtk_widget_get_height (chart);
  const guint n_frames = 300;
  double snapshot_s = 0, render_s = 0;

  for (guint i = 0; i < n_frames + 10; i++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      g_autoptr(GskRenderNode) node = NULL;
      g_autoptr(GdkTexture) texture = NULL;
      double start = cpu_seconds (), rendering;

      /* What a frame after a change runs (GTK reuses the node of a frame without one). */
      GTK_WIDGET_GET_CLASS (chart)->snapshot (chart, snapshot);
      node = gtk_snapshot_free_to_node (snapshot);
      g_assert_nonnull (node);
      rendering = cpu_seconds ();
      texture = gsk_renderer_render_texture (renderer, node,
                                             &GRAPHENE_RECT_INIT (0, 0, width, height));
      if (i < 10)
        continue;             /* warm-up: glyph caches, shaders */
      snapshot_s += rendering - start;
      render_s += cpu_seconds () - rendering;
    }
  g_test_message ("%s, %s, %dx%d, CPU per frame: snapshot %.3f ms, render %.3f ms, "
                  "frame %.3f ms", what, G_OBJECT_TYPE_NAME (renderer), width, height,
                  snapshot_s * 1000 / n_frames, render_s * 1000 / n_frames,
                  (snapshot_s + render_s) * 1000 / n_frames);
  g_test_maximized_result ((snapshot_s + render_s) * 1000 / n_frames, "%s: ms per frame", what);
}

static void
test_chart_draw_cost (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(MwSampleHistory) trace = load_trace ();
  /* A 5-minute run sampled every 10 ms, a pass every second: 300 markers. */
  g_autoptr(MwSampleHistory) long_run = make_run (30000, 10000, 100);
  SnapshotWait wait = { fixture->chart, 0 };

  wait.n_snapshots = mw_migration_chart_get_n_snapshots (fixture->chart);
  mw_migration_chart_set_history (fixture->chart, trace);
  g_assert_true (mw_test_wait_until (chart_snapshotted, &wait, 5000));
  measure_frames (fixture, "lab trace");

  wait.n_snapshots = mw_migration_chart_get_n_snapshots (fixture->chart);
  mw_migration_chart_set_history (fixture->chart, long_run);
  g_assert_true (mw_test_wait_until (chart_snapshotted, &wait, 5000));
  measure_frames (fixture, "30000 samples, 300 passes");
}

static void
on_pinger_changed_cb (guint *count)
{
  (*count)++;
}

static gboolean
has_two_replies (gpointer data)
{
  return mw_pinger_get_received (data) >= 2;
}

/* A real pinger on loopback, where the system lets this user open ping sockets. */
static void
test_ping_strip_live (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(MwPinger) pinger = mw_pinger_new ("127.0.0.1", 50, 1000);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  guint changes = 0;
  guint before;

  g_signal_connect_swapped (pinger, "changed", G_CALLBACK (on_pinger_changed_cb), &changes);
  if (!mw_pinger_start (pinger, g_get_monotonic_time (), &error))
    {
      g_autofree char *reason = g_strdup_printf ("no ping sockets here: %s", error->message);

      g_test_skip (reason);
      return;
    }

  mw_ping_strip_set_pinger (fixture->strip, pinger);
  mw_migration_chart_set_min_range_us (fixture->chart, 3 * G_USEC_PER_SEC);
  before = mw_ping_strip_get_n_snapshots (fixture->strip);
  g_assert_true (mw_test_wait_until (has_two_replies, pinger, 5000));
  mw_test_wait_frames (GTK_WIDGET (fixture->window), 2);
  g_assert_cmpuint (changes, >, 0);
  g_assert_cmpuint (mw_ping_strip_get_n_snapshots (fixture->strip), >, before);
  g_assert_nonnull (strstr (mw_ping_strip_get_summary (fixture->strip), "replied"));
  path = mw_test_save_screenshot (GTK_WIDGET (fixture->window), "ping-strip-live");
  mw_pinger_stop (pinger);
  mw_ping_strip_set_pinger (fixture->strip, NULL);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && g_str_equal (argv[1], "--write-synthetic-trace"))
    {
      write_synthetic_trace (argv[2]);
      return 0;
    }

  mw_test_chart_init (&argc, &argv);

  g_test_add ("/mw/chart/empty", Fixture, NULL,
              fixture_set_up, test_chart_empty, fixture_tear_down);
  g_test_add ("/mw/chart/one-sample", Fixture, NULL,
              fixture_set_up, test_chart_one_sample, fixture_tear_down);
  g_test_add ("/mw/chart/decimation", Fixture, NULL,
              fixture_set_up, test_chart_decimation, fixture_tear_down);
  g_test_add ("/mw/chart/replay", Fixture, NULL,
              fixture_set_up, test_chart_replay, fixture_tear_down);
  g_test_add ("/mw/chart/dark", Fixture, NULL,
              fixture_set_up, test_chart_dark, fixture_tear_down);
  g_test_add ("/mw/chart/ping-strip-live", Fixture, NULL,
              fixture_set_up, test_ping_strip_live, fixture_tear_down);
  if (g_test_perf ())
    g_test_add ("/mw/chart/draw-cost", Fixture, NULL,
                fixture_set_up, test_chart_draw_cost, fixture_tear_down);

  return g_test_run ();
}
