/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-test-chart.c: what the chart's test programs share (mw-test-chart.h). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "mw-test-chart.h"

/* ---- the synthetic trace ----------------------------------------------------------------- */

/* ---- fixture ----------------------------------------------------------------------------- */

void
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

void
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

gboolean
chart_snapshotted (gpointer data)
{
  SnapshotWait *wait = data;

  return mw_migration_chart_get_n_snapshots (wait->chart) > wait->n_snapshots;
}

/* Whether the last snapshot of widget drew a node of this type (a walk of its render tree). */
gboolean
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

GskRenderNode *
render_widget (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot),
                          gtk_widget_get_width (widget), gtk_widget_get_height (widget));

  return gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
}

void
assert_description (GtkWidget  *widget,
                    const char *expected)
{
  if (g_strcmp0 (g_getenv ("GTK_A11Y"), "test") != 0)
    return;
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (widget),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, expected);
}

/* A run of a 4 GiB guest that never converges: n_samples interval_us apart, a pass every
 * samples_per_pass, each copying 2 GiB down to nothing; wavy throughput and dirty rate. */
MwSampleHistory *
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

/* ---- what a snapshot drew ---------------------------------------------------------------- */

/* Sets the chart's history (or just redraws) and waits until a snapshot drew it. */
void
show_history (Fixture         *fixture,
              MwSampleHistory *history)
{
  SnapshotWait wait = { fixture->chart, mw_migration_chart_get_n_snapshots (fixture->chart) };

  mw_migration_chart_set_history (fixture->chart, history);
  gtk_widget_queue_draw (GTK_WIDGET (fixture->chart));
  g_assert_true (mw_test_wait_until (chart_snapshotted, &wait, 5000));
}

void
mw_test_chart_init (int    *argc,
                    char ***argv)
{
  /* The test AT context lets the accessible description be read back. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (argc, argv, NULL);
  adw_init ();
}
