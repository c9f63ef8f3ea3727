/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The progress row's sparkline at its edges. Its node is rendered into an image and the marks
 * (pixels drawn opaque: the line and the dots, not the pale fill or the baseline) are measured:
 * a lone first sample is a whole dot, not half of one cut by the widget's edge; a run drawn
 * from its first sample (taken a second after the job began, as a job's first sample is) starts
 * at the left edge instead of after an empty stretch, ends at the right edge without being cut
 * there, and nothing is drawn past its last point. A job that runs seconds with no memory figures
 * (libvirt's job while the destination's QEMU starts, as in the lab) draws nothing then, not a
 * baseline saying nothing is left, and its line starts at the left edge with its first figures. */
#include "config.h"

#include "mw-evacuation-sparkline.h"
#include "mw-test-ui.h"

#define MIB (1024 * 1024)

typedef struct
{
  int left, right, top, bottom;       /* the marks' box, inclusive; left = -1: no marks */
  int width, height;
} Marks;

static void
push (MwSampleHistory *history,
      gint64           time_us,
      guint64          remaining)
{
  MwJobSample sample = { 0 };

  sample.time_us = time_us;
  sample.have = MW_JOB_HAVE_MEMORY_REMAINING;
  sample.memory_total = 512 * MIB;
  sample.memory_remaining = remaining;
  mw_sample_history_push (history, &sample);
}

/* A sample as libvirt's job info gives it before the memory transfer begins: running, no totals. */
static void
push_empty (MwSampleHistory *history,
            gint64           time_us)
{
  MwJobSample sample = { 0 };

  sample.time_us = time_us;
  sample.have = MW_JOB_HAVE_MEMORY_REMAINING;
  mw_sample_history_push (history, &sample);
}

static Marks
measure_marks (GtkWidget *sparkline)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  Marks marks = { -1, -1, -1, -1, gtk_widget_get_width (sparkline),
                  gtk_widget_get_height (sparkline) };
  const guint8 *data;
  int stride;

  GTK_WIDGET_GET_CLASS (sparkline)->snapshot (sparkline, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    return marks;             /* nothing drawn */
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, marks.width, marks.height);
  cr = cairo_create (surface);
  gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < marks.height; y++)
    for (int x = 0; x < marks.width; x++)
      {
        /* ARGB32, native endian: alpha is the high byte of each 32-bit pixel. */
        guint32 pixel = *(const guint32 *) (data + y * stride + 4 * x);

        if ((pixel >> 24) < 160)
          continue;
        if (marks.left < 0 || x < marks.left)
          marks.left = x;
        marks.right = MAX (marks.right, x);
        if (marks.top < 0)
          marks.top = y;
        marks.bottom = y;
      }
  cairo_surface_destroy (surface);
  g_test_message ("marks: x %d…%d, y %d…%d in %d×%d", marks.left, marks.right, marks.top,
                  marks.bottom, marks.width, marks.height);
  return marks;
}

static void
test_edges (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *sparkline = mw_evacuation_sparkline_new ();
  g_autoptr(MwSampleHistory) history = mw_sample_history_new (600);
  Marks marks;

  gtk_widget_set_halign (sparkline, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (sparkline, GTK_ALIGN_CENTER);
  gtk_window_set_child (GTK_WINDOW (window), sparkline);
  gtk_window_present (GTK_WINDOW (window));
  mw_sample_history_set_start_us (history, 0);
  mw_evacuation_sparkline_set_history (MW_EVACUATION_SPARKLINE (sparkline), history);
  mw_test_wait_frames (sparkline, 3);

  /* Nothing yet: nothing drawn. */
  marks = measure_marks (sparkline);
  g_assert_cmpint (marks.left, ==, -1);

  /* The first sample, a second into the job: one dot, whole (as wide as it is high), inside. */
  push (history, G_USEC_PER_SEC, 400 * MIB);
  mw_test_wait_frames (sparkline, 2);
  g_assert_cmpuint (mw_evacuation_sparkline_get_n_points (MW_EVACUATION_SPARKLINE (sparkline)),
                    ==, 1);
  marks = measure_marks (sparkline);
  g_assert_cmpint (marks.left, >, 0);
  g_assert_cmpint (marks.right - marks.left, >=, 4);
  g_assert_cmpint (ABS ((marks.right - marks.left) - (marks.bottom - marks.top)), <=, 1);

  /* A run: memory left falls from 400 MiB to nothing over four seconds. The line spans the
   * whole width from its first sample, never touching the widget's edges. */
  for (int i = 1; i <= 40; i++)
    push (history, G_USEC_PER_SEC + i * G_USEC_PER_SEC / 10, (guint64) (400 - 10 * i) * MIB);
  mw_test_wait_frames (sparkline, 2);
  marks = measure_marks (sparkline);
  g_assert_cmpint (marks.left, >, 0);
  g_assert_cmpint (marks.left, <=, 4);
  g_assert_cmpint (marks.right, <, marks.width - 1);
  /* (A point is drawn at the mean time of its pixel column's samples.) */
  g_assert_cmpint (marks.right, >=, marks.width - 6);
  g_assert_cmpint (marks.top, >, 0);
  g_assert_cmpint (marks.bottom, <, marks.height - 1);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The lab's labguest, evacuated under load: 15 samples in 4 s without memory figures, then
 * 261 MiB, 88 MiB, 80 MiB and nothing left, a quarter of a second apart. */
static void
test_preparing (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *sparkline = mw_evacuation_sparkline_new ();
  g_autoptr(MwSampleHistory) history = mw_sample_history_new (600);
  const guint64 left[] = { 261, 88, 80, 0 };
  gint64 t = G_USEC_PER_SEC / 4;
  GtkSnapshot *snapshot;
  g_autoptr(GskRenderNode) node = NULL;
  Marks marks;

  gtk_widget_set_halign (sparkline, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (sparkline, GTK_ALIGN_CENTER);
  gtk_window_set_child (GTK_WINDOW (window), sparkline);
  gtk_window_present (GTK_WINDOW (window));
  mw_sample_history_set_start_us (history, 0);
  mw_evacuation_sparkline_set_history (MW_EVACUATION_SPARKLINE (sparkline), history);
  for (int i = 0; i < 15; i++, t += G_USEC_PER_SEC / 4)
    push_empty (history, t);
  mw_test_wait_frames (sparkline, 2);

  /* No figures: no points, and nothing at all drawn (no baseline). */
  snapshot = gtk_snapshot_new ();
  GTK_WIDGET_GET_CLASS (sparkline)->snapshot (sparkline, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_null (node);
  g_assert_cmpuint (mw_evacuation_sparkline_get_n_points (MW_EVACUATION_SPARKLINE (sparkline)),
                    ==, 0);

  /* The figures: four points, the line from the left edge to the right one, not squeezed into
   * the last fifth after the empty stretch. */
  for (guint i = 0; i < G_N_ELEMENTS (left); i++, t += G_USEC_PER_SEC / 4)
    push (history, t, left[i] * MIB);
  mw_test_wait_frames (sparkline, 2);
  marks = measure_marks (sparkline);
  g_assert_cmpuint (mw_evacuation_sparkline_get_n_points (MW_EVACUATION_SPARKLINE (sparkline)),
                    ==, G_N_ELEMENTS (left));
  g_assert_cmpint (marks.left, >, 0);
  g_assert_cmpint (marks.left, <=, 4);
  g_assert_cmpint (marks.right, >=, marks.width - 6);
  /* It falls from near the top: 261 MiB is most of the axis. */
  g_assert_cmpint (marks.top, <=, marks.height / 3);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/mw/evacuation-sparkline/edges", test_edges);
  g_test_add_func ("/mw/evacuation-sparkline/preparing", test_preparing);
  return g_test_run ();
}
