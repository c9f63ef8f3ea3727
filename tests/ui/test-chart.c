/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The migration chart and ping strip, replaying a recorded migration as the live view would.
 *
 * The trace is $MW_TEST_DATA/lab-trace.csv (recorded in the lab) when present, else
 * synthetic-trace.csv, which this program writes with `--write-synthetic-trace PATH`: a
 * simulated pre-copy of a 4 GiB guest over 1 GbE that does not converge until auto-converge
 * throttles it and the allowed downtime is raised.
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <time.h>

#include <adwaita.h>

#include "mw-migration-chart-private.h"
#include "mw-migration-live-page.h"
#include "mw-ping-strip-private.h"
#include "mw-sample-history.h"
#include "mw-test-ui.h"

#define MIB (1024.0 * 1024.0)

typedef struct
{
  GtkWindow *window;
  MwMigrationChart *chart;
  MwPingStrip *strip;
} Fixture;

/* ---- the synthetic trace ----------------------------------------------------------------- */

static void
write_synthetic_trace (const char *path)
{
  const double total = 4096 * MIB;
  const double hot_set = 1700 * MIB;       /* what the workload keeps dirtying */
  const double base_dirty = 220 * MIB;     /* bytes/s, unthrottled */
  const double link = 112 * MIB;           /* 1 GbE, after overhead */
  const double dt = 0.1;                   /* simulation step, s */
  const guint sample_every = 5;            /* one sample per 0.5 s, as the job polls */
  g_autoptr(MwSampleHistory) history = mw_sample_history_new (100000);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240611);
  g_autoptr(GError) error = NULL;
  double pass_size = total, pass_left = total, dirty = 0, sent = 0, measured_dirty = 0, pass_dirtied = 0;
  double pass_time = 0, max_downtime_ms = 300;
  guint iteration = 1, throttle = 0, step = 0;
  gboolean done = FALSE;

  mw_sample_history_set_start_us (history, 0);

  while (!done)
    {
      double t = ++step * dt;
      double rate = base_dirty * (1 - throttle / 100.0) * (0.9 + 0.2 * g_rand_double (rand));
      double bw = t < 1.0 ? link * t : link * (0.94 + 0.08 * g_rand_double (rand));
      double out = MIN (bw * dt, pass_left);
      /* Only pages this pass already sent count again; the rest are still to go. */
      double dirtied = rate * dt * (1 - dirty / hot_set) * (1 - pass_left / pass_size);
      double remaining, expected_ms;

      pass_left -= out;
      sent += out;
      dirty = MIN (dirty + dirtied, hot_set);
      pass_dirtied += rate * dt;
      pass_time += dt;
      remaining = pass_left + dirty;
      expected_ms = remaining / link * 1000;

      /* The user raises the allowed downtime after a minute of no progress. */
      if (step == 600)
        {
          max_downtime_ms = 500;
          mw_sample_history_add_event (history, (gint64) (t * G_USEC_PER_SEC),
                                       MW_HISTORY_EVENT_DOWNTIME_CHANGED, 500, NULL);
        }

      if (pass_left <= 0)
        {
          /* A pass ends: what was dirtied meanwhile is the next pass. QEMU throttles the
           * guest once passes keep dirtying more than half of what they send. */
          measured_dirty = pass_dirtied / pass_time;
          if (iteration >= 6 && measured_dirty > 0.5 * link)
            throttle = throttle == 0 ? 20 : MIN (throttle + 10, 99);
          pass_size = pass_left = MAX (dirty, 4096);
          dirty = 0;
          pass_dirtied = 0;
          pass_time = 0;
          iteration++;
        }

      if (expected_ms <= max_downtime_ms && iteration > 1)
        done = TRUE;

      if (step % sample_every == 0 || done)
        {
          MwJobSample sample = { 0 };

          sample.time_us = (gint64) (t * G_USEC_PER_SEC);
          sample.elapsed_ms = (guint64) (t * 1000);
          sample.state = done ? MW_JOB_STATE_COMPLETED : MW_JOB_STATE_RUNNING;
          sample.have = MW_JOB_HAVE_MEMORY_REMAINING | MW_JOB_HAVE_THROUGHPUT |
                        MW_JOB_HAVE_ITERATION | MW_JOB_HAVE_EXPECTED_DOWNTIME;
          sample.memory_total = sample.data_total = (guint64) total;
          sample.memory_processed = sample.data_processed = (guint64) sent;
          sample.memory_remaining = sample.data_remaining = done ? 0 : (guint64) remaining;
          sample.memory_bps = (guint64) bw;
          sample.page_size = 4096;
          sample.iteration = iteration;
          sample.expected_downtime_ms = (guint64) expected_ms;
          sample.setup_time_ms = 14;
          /* QEMU measures the dirty rate once a pass has completed. */
          if (iteration > 1)
            {
              sample.have |= MW_JOB_HAVE_DIRTY_RATE;
              sample.dirty_rate_bps = (guint64) (measured_dirty / 4096) * 4096;
            }
          if (throttle > 0)
            {
              sample.have |= MW_JOB_HAVE_THROTTLE;
              sample.auto_converge_throttle = throttle;
            }
          if (done)
            {
              sample.have |= MW_JOB_HAVE_DOWNTIME;
              sample.downtime_ms = (guint64) expected_ms + 38;
            }
          mw_sample_history_push (history, &sample);
        }
    }

  mw_sample_history_add_event (history, (gint64) (step * dt * G_USEC_PER_SEC),
                               MW_HISTORY_EVENT_COMPLETED, 0, NULL);
  if (!mw_sample_history_save_csv (history, path, &error))
    g_error ("%s", error->message);
  g_print ("wrote %s: %u samples, %u events, %.1f s\n", path,
           mw_sample_history_get_n_samples (history), mw_sample_history_get_n_events (history),
           step * dt);
}

static MwSampleHistory *
load_trace (void)
{
  const char *dir = g_getenv ("MW_TEST_DATA");
  g_autofree char *lab = NULL;
  g_autofree char *synthetic = NULL;
  g_autoptr(GError) error = NULL;
  MwSampleHistory *history;
  const char *path;

  g_assert_nonnull (dir);
  lab = g_build_filename (dir, "lab-trace.csv", NULL);
  synthetic = g_build_filename (dir, "synthetic-trace.csv", NULL);
  path = g_file_test (lab, G_FILE_TEST_EXISTS) ? lab : synthetic;
  g_test_message ("replaying %s trace %s",
                  path == lab ? "the recorded lab" : "the SYNTHETIC", path);

  history = mw_sample_history_load_csv (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (history);
  g_assert_cmpuint (mw_sample_history_get_n_samples (history), >, 10);

  return history;
}

/* Ping records for the trace's duration, one per 100 ms: replies, one stray loss, and the
 * switch-over outage just before the end. Records sent after now_us are left out, those
 * still within the timeout are waiting. */
static GArray *
make_ping_records (gint64 end_us,
                   gint64 now_us)
{
  const gint64 interval = 100 * 1000, timeout = 1000 * 1000;
  GArray *records = g_array_new (FALSE, TRUE, sizeof (MwPingRecord));
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  guint16 sequence = 0;

  for (gint64 sent = 0; sent <= MIN (end_us, now_us); sent += interval)
    {
      MwPingRecord record = { sequence++, sent, -1, FALSE };
      gboolean dropped = (sent >= end_us - 700 * 1000 && sent < end_us - 150 * 1000) ||
                         sent == 71 * G_USEC_PER_SEC;
      gint64 rtt = 200 + g_rand_int_range (rand, 0, 400);

      if (dropped)
        record.lost = now_us - sent > timeout;
      else if (now_us - sent >= rtt)
        record.rtt_us = rtt;
      g_array_append_val (records, record);
    }

  return records;
}

/* ---- fixture ----------------------------------------------------------------------------- */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_title (fixture->window, "Migration chart");
  gtk_window_set_default_size (fixture->window, 880, 400);

  fixture->chart = MW_MIGRATION_CHART (mw_migration_chart_new (NULL));
  fixture->strip = MW_PING_STRIP (mw_ping_strip_new (NULL));
  mw_migration_chart_bind_axis (fixture->chart, fixture->strip);

  gtk_widget_set_vexpand (GTK_WIDGET (fixture->chart), TRUE);
  gtk_widget_add_css_class (card, "card");
  gtk_widget_set_margin_top (GTK_WIDGET (fixture->chart), 8);
  gtk_widget_set_margin_bottom (GTK_WIDGET (fixture->strip), 8);
  gtk_box_append (GTK_BOX (card), GTK_WIDGET (fixture->chart));
  gtk_box_append (GTK_BOX (card), GTK_WIDGET (fixture->strip));
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_box_append (GTK_BOX (box), card);
  gtk_window_set_child (fixture->window, box);
  gtk_window_present (fixture->window);
  mw_test_wait_frames (GTK_WIDGET (fixture->window), 2);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_object_ref (fixture->chart);
  g_object_ref (fixture->strip);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (fixture->window);
  g_assert_finalize_object (fixture->chart);
  g_assert_finalize_object (fixture->strip);
}

typedef struct
{
  MwMigrationChart *chart;
  guint n_snapshots;
} SnapshotWait;

static gboolean
chart_snapshotted (gpointer data)
{
  SnapshotWait *wait = data;

  return mw_migration_chart_get_n_snapshots (wait->chart) > wait->n_snapshots;
}

/* Whether the last snapshot of widget drew a node of this type (a walk of its render tree). */
static gboolean
node_has_type (GskRenderNode     *node,
               GskRenderNodeType  type)
{
  GskRenderNodeType node_type = gsk_render_node_get_node_type (node);

  if (node_type == type)
    return TRUE;

  switch ((int) node_type)
    {
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        if (node_has_type (gsk_container_node_get_child (node, i), type))
          return TRUE;
      return FALSE;
    case GSK_TRANSFORM_NODE:
      return node_has_type (gsk_transform_node_get_child (node), type);
    case GSK_CLIP_NODE:
      return node_has_type (gsk_clip_node_get_child (node), type);
    case GSK_OPACITY_NODE:
      return node_has_type (gsk_opacity_node_get_child (node), type);
    default:
      return FALSE;
    }
}

static GskRenderNode *
render_widget (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot),
                          gtk_widget_get_width (widget), gtk_widget_get_height (widget));

  return gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
}

static void
assert_description (GtkWidget  *widget,
                    const char *expected)
{
  if (g_strcmp0 (g_getenv ("GTK_A11Y"), "test") != 0)
    return;
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (widget),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, expected);
}

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

/* A run of a 4 GiB guest that never converges: n_samples interval_us apart, a pass every
 * samples_per_pass, each copying 2 GiB down to nothing; wavy throughput and dirty rate. */
static MwSampleHistory *
make_run (guint  n_samples,
          gint64 interval_us,
          guint  samples_per_pass)
{
  MwSampleHistory *history = mw_sample_history_new (n_samples + 1);

  mw_sample_history_set_start_us (history, 0);
  for (guint i = 1; i <= n_samples; i++)
    {
      MwJobSample sample = { 0 };

      sample.time_us = i * interval_us;
      sample.have = MW_JOB_HAVE_MEMORY_REMAINING | MW_JOB_HAVE_DIRTY_RATE |
                    MW_JOB_HAVE_THROUGHPUT | MW_JOB_HAVE_ITERATION;
      sample.iteration = 1 + i / samples_per_pass;
      sample.memory_total = 4096 * MIB;
      sample.memory_remaining = (guint64) ((samples_per_pass - i % samples_per_pass)
                                           / (double) samples_per_pass * 2048 * MIB);
      sample.memory_bps = (guint64) ((100 + 10 * sin (i / 50.0)) * MIB);
      sample.dirty_rate_bps = (guint64) ((40 + 30 * sin (i / 700.0)) * MIB);
      mw_sample_history_push (history, &sample);
    }

  return history;
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

/* ---- what a snapshot drew ---------------------------------------------------------------- */

/* Sets the chart's history (or just redraws) and waits until a snapshot drew it. */
static void
show_history (Fixture         *fixture,
              MwSampleHistory *history)
{
  SnapshotWait wait = { fixture->chart, mw_migration_chart_get_n_snapshots (fixture->chart) };

  mw_migration_chart_set_history (fixture->chart, history);
  gtk_widget_queue_draw (GTK_WIDGET (fixture->chart));
  g_assert_true (mw_test_wait_until (chart_snapshotted, &wait, 5000));
}

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

/* ---- the live page's verdict ---------------------------------------------------------------- */

static gboolean
is_verdict_icon (GtkWidget *widget,
                 gpointer   data)
{
  return gtk_widget_has_css_class (widget, "verdict-icon");
}

static gboolean
label_is (GtkWidget *widget,
          gpointer   data)
{
  return g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), data) == 0;
}

/* The live page's "Estimated time left" replays a recorded trace as the job would push it:
 * the first copy's estimate in pass 1, and "Cannot finish at this rate" with what would help
 * (its tooltip) once the lab's non-converging trace calls it. */
static void
test_live_page_time_left (void)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  MwMigrationLivePage *page = g_object_new (MW_TYPE_MIGRATION_LIVE_PAGE, NULL);
  g_autofree char *path = g_build_filename (g_getenv ("MW_TEST_DATA"), "lab-trace.csv", NULL);
  g_autoptr(MwSampleHistory) trace = mw_sample_history_load_csv (path, NULL);
  g_autoptr(MwSampleHistory) history = mw_sample_history_new (256);
  gboolean saw_first_copy = FALSE;
  gboolean saw_never = FALSE;

  g_assert_nonnull (trace);
  gtk_window_set_default_size (window, 900, 700);
  gtk_window_set_child (window, GTK_WIDGET (page));
  gtk_window_present (window);
  mw_sample_history_set_start_us (history, 0);
  mw_migration_live_page_set_history (page, history);
  mw_migration_live_page_set_state (page, MW_MIGRATION_JOB_STATE_RUNNING);
  mw_migration_live_page_set_options (page, NULL);
  g_assert_cmpstr (mw_migration_live_page_get_time_left (page), ==, "—");

  for (guint i = 0; i < mw_sample_history_get_n_samples (trace); i++)
    {
      const MwJobSample *sample = mw_sample_history_get_sample (trace, i);
      g_autoptr(MwConvergence) convergence = NULL;
      const char *shown;

      if (sample->state != MW_JOB_STATE_RUNNING)
        break;
      mw_sample_history_push (history, sample);
      convergence = mw_convergence_assess (history, NULL);
      mw_migration_live_page_set_convergence (page, convergence);
      shown = mw_migration_live_page_get_time_left (page);
      if (sample->iteration == 1)
        {
          g_assert_true (g_str_has_suffix (shown, " for the first copy of memory"));
          saw_first_copy = TRUE;
        }
      if (convergence->verdict == MW_CONVERGENCE_NOT_CONVERGING)
        {
          GtkWidget *label = mw_test_find_widget (GTK_WIDGET (page), GTK_TYPE_LABEL,
                                                  label_is, (gpointer) shown);
          const char *tooltip;

          g_assert_cmpstr (shown, ==, "Cannot finish at this rate");
          g_assert_nonnull (label);
          tooltip = gtk_widget_get_tooltip_text (label);
          g_assert_nonnull (strstr (tooltip, "auto-converge"));
          saw_never = TRUE;
        }
    }
  g_assert_true (saw_first_copy);
  g_assert_true (saw_never);
  mw_test_wait_frames (GTK_WIDGET (window), 2);
  g_free (mw_test_save_screenshot (GTK_WIDGET (window), "live-page-cannot-finish"));

  gtk_window_destroy (window);
}

/* A check mark says it worked: only a migration that finished gets one. */
static void
test_live_page_verdict_icon (void)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  MwMigrationLivePage *page = g_object_new (MW_TYPE_MIGRATION_LIVE_PAGE, NULL);
  GtkImage *icon = NULL;
  MwConvergence convergence = { 0 };
  const struct
  {
    MwMigrationJobState state;
    MwConvergenceVerdict verdict;
    gboolean check_mark;
  } cases[] = {
    { MW_MIGRATION_JOB_STATE_RUNNING, MW_CONVERGENCE_UNKNOWN, FALSE },
    { MW_MIGRATION_JOB_STATE_RUNNING, MW_CONVERGENCE_CONVERGING, FALSE },
    { MW_MIGRATION_JOB_STATE_RUNNING, MW_CONVERGENCE_COMPLETING, FALSE },
    { MW_MIGRATION_JOB_STATE_RUNNING, MW_CONVERGENCE_NOT_CONVERGING, FALSE },
    { MW_MIGRATION_JOB_STATE_VERIFYING, MW_CONVERGENCE_COMPLETING, FALSE },
    { MW_MIGRATION_JOB_STATE_SUCCEEDED, MW_CONVERGENCE_COMPLETING, TRUE },
    { MW_MIGRATION_JOB_STATE_FAILED, MW_CONVERGENCE_NOT_CONVERGING, FALSE },
  };

  gtk_window_set_default_size (window, 900, 700);
  gtk_window_set_child (window, GTK_WIDGET (page));
  gtk_window_present (window);
  icon = GTK_IMAGE (mw_test_find_widget (GTK_WIDGET (page), GTK_TYPE_IMAGE, is_verdict_icon,
                                         NULL));
  g_assert_nonnull (icon);

  convergence.remaining_us = -1;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      convergence.verdict = cases[i].verdict;
      mw_migration_live_page_set_state (page, cases[i].state);
      mw_migration_live_page_set_convergence (page, &convergence);
      g_test_message ("%s: %s", mw_migration_live_page_get_verdict_title (page),
                      gtk_image_get_icon_name (icon));
      g_assert_cmpint (g_strcmp0 (gtk_image_get_icon_name (icon), "emblem-ok-symbolic") == 0, ==,
                       cases[i].check_mark);
      if (cases[i].verdict == MW_CONVERGENCE_CONVERGING)
        {
          mw_test_wait_frames (GTK_WIDGET (window), 2);
          g_free (mw_test_save_screenshot (GTK_WIDGET (window), "live-page-converging"));
        }
    }

  gtk_window_destroy (window);
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
  /* The test AT context lets the accessible description be read back. */
  g_setenv ("GTK_A11Y", "test", TRUE);

  if (argc == 3 && g_str_equal (argv[1], "--write-synthetic-trace"))
    {
      write_synthetic_trace (argv[2]);
      return 0;
    }

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

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
  g_test_add_func ("/mw/live-page/verdict-icon", test_live_page_verdict_icon);
  g_test_add_func ("/mw/live-page/time-left", test_live_page_time_left);
  if (g_test_perf ())
    g_test_add ("/mw/chart/draw-cost", Fixture, NULL,
                fixture_set_up, test_chart_draw_cost, fixture_tear_down);

  return g_test_run ();
}
