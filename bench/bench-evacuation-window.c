/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-evacuation-window.c: how long the Evacuate Host window keeps the main loop from running
 * while it plans N guests, and while it plans their way back (issue #13).
 *
 *   bench-evacuation-window [N…]               (default N: 10 100 1000)
 *
 * Run under a display (xvfb-run) with the UI tests' environment; bench/README.md has the
 * command. For each N it writes the UI test's two test-driver nodes (tests/ui/mw-test-evacuation.c:
 * N guests on the source, every 25th with a disk only the source has, every 10th shut off; an
 * empty destination with the same pool and bridge), opens the window on the source as Evacuate
 * Host… does and:
 *
 *   plan        Check: the survey, then every guest's pre-flight, the list filled and grouped;
 *   bring back  Bring Back…'s plan for the same N guests (as if all had moved, the shut-off ones
 *               shut down): its list replaces the first, every guest checked again.
 *
 * Each phase ends when its plan is checked, or after MW_BENCH_BUDGET_S (60) seconds, when the
 * plan is cancelled (the line says how many were checked; the list's work is all done by then).
 * Figures per phase: the time to a listed and to a checked plan; the longest gap between two runs
 * of a 5 ms main-loop timer (wall time: also the time other processes had the CPU); the most CPU
 * time the main thread used between two of those runs (our own work: what this is about); the
 * longest gap between two frames of the window. "done" is when the plan was checked and the
 * list showed it all. MW_BENCH_VERBOSE=1 prints each stretch of main-thread CPU over 50 ms as it
 * happens. GSK_RENDERER is GTK's: unset, GTK's default. */

#include "config.h"

#include <stdlib.h>
#include <time.h>

#include <adwaita.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "mw-evacuation-report.h"
#include "mw-evacuation-window-private.h"
#include "mw-libvirt.h"
#include "mw-test-evacuation.h"

typedef struct
{
  gint64 start_us;
  gint64 last_beat_us;
  gint64 last_beat_cpu_us;
  gint64 worst_gap_us;
  gint64 worst_busy_us;
  gint64 last_frame_us;
  gint64 worst_frame_us;
} Stalls;

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gboolean
on_beat_cb (gpointer user_data)
{
  Stalls *stalls = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_us ();

  if (stalls->last_beat_us != 0 && cpu - stalls->last_beat_cpu_us > 50000
      && g_getenv ("MW_BENCH_VERBOSE") != NULL)
    g_printerr ("  a stretch of %.1f ms of main-thread CPU (%.1f ms wall), %.2f s in\n",
                (cpu - stalls->last_beat_cpu_us) / 1e3, (now - stalls->last_beat_us) / 1e3,
                (now - stalls->start_us) / 1e6);
  if (stalls->last_beat_us != 0)
    {
      stalls->worst_gap_us = MAX (stalls->worst_gap_us, now - stalls->last_beat_us);
      stalls->worst_busy_us = MAX (stalls->worst_busy_us, cpu - stalls->last_beat_cpu_us);
    }
  stalls->last_beat_us = now;
  stalls->last_beat_cpu_us = cpu;
  return G_SOURCE_CONTINUE;
}

static gboolean
on_frame_cb (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  Stalls *stalls = user_data;
  gint64 now = g_get_monotonic_time ();

  if (stalls->last_frame_us != 0)
    stalls->worst_frame_us = MAX (stalls->worst_frame_us, now - stalls->last_frame_us);
  stalls->last_frame_us = now;
  return G_SOURCE_CONTINUE;
}

static void
stalls_reset (Stalls *stalls)
{
  memset (stalls, 0, sizeof *stalls);
  stalls->start_us = g_get_monotonic_time ();
}

static gint64
budget_us (void)
{
  const char *budget = g_getenv ("MW_BENCH_BUDGET_S");

  return (budget != NULL ? g_ascii_strtoll (budget, NULL, 10) : 60) * G_USEC_PER_SEC;
}

/* Runs the main loop until the plan is checked (or cancelled at the budget); prints a line. */
static void
measure_plan (MwEvacuationWindow *window,
              const char         *phase,
              guint               n,
              Stalls             *stalls,
              gint64              t0)
{
  MwEvacuationPlanPage *page = mw_evacuation_window_get_plan_page (window);
  MwEvacuationPlan *plan = mw_evacuation_plan_page_get_plan (page);
  gint64 listed_us = 0;
  gint64 settled_us;
  gboolean cut = FALSE;

  while (mw_evacuation_plan_get_state (plan) != MW_EVACUATION_PLAN_STATE_READY
         && mw_evacuation_plan_get_state (plan) != MW_EVACUATION_PLAN_STATE_FAILED)
    {
      g_main_context_iteration (NULL, TRUE);
      if (listed_us == 0 && mw_evacuation_plan_get_state (plan) == MW_EVACUATION_PLAN_STATE_CHECKING)
        listed_us = g_get_monotonic_time () - t0;
      if (!cut && g_get_monotonic_time () - t0 > budget_us ())
        {
          cut = TRUE;
          mw_evacuation_plan_cancel (plan);
        }
    }
  if (mw_evacuation_plan_get_state (plan) == MW_EVACUATION_PLAN_STATE_FAILED)
    g_error ("plan failed: %s", mw_evacuation_plan_get_error (plan)->message);
  /* What the end of the checks started (the grouped list) is on screen, too. */
  while (!mw_evacuation_plan_page_get_settled (page))
    g_main_context_iteration (NULL, TRUE);
  settled_us = g_get_monotonic_time () - t0;
  for (gint64 until = g_get_monotonic_time () + 300 * 1000; g_get_monotonic_time () < until;)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);

  g_print ("%6u  %-10s %9.2f %9.2f%s %10.1f %10.1f %10.1f   %u of %u checked\n",
           n, phase, listed_us / 1e6, settled_us / 1e6, cut ? "*" : " ",
           stalls->worst_busy_us / 1e3, stalls->worst_gap_us / 1e3, stalls->worst_frame_us / 1e3,
           mw_evacuation_plan_get_n_checked (plan),
           g_list_model_get_n_items (mw_evacuation_plan_get_items (plan)));
}

/* A report as an evacuation of all n guests from dst to src would have written: the running
 * guests moved, the shut-off ones (every 10th, as the node has them) shut down. */
static JsonNode *
fake_report (guint       n,
             const char *src_uri,
             const char *dst_uri)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, "mig-wizard-evacuation");
  json_builder_set_member_name (builder, "guests");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("guest%03u", i);
      gboolean shut_off = i % 10 == 3;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name);
      json_builder_set_member_name (builder, "from");
      json_builder_add_string_value (builder, shut_off ? src_uri : dst_uri);
      json_builder_set_member_name (builder, "now_on");
      json_builder_add_string_value (builder, src_uri);
      json_builder_set_member_name (builder, "action");
      json_builder_add_string_value (builder, shut_off ? "shut-down" : "migrate");
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, "done");
      json_builder_set_member_name (builder, "was_running");
      json_builder_add_boolean_value (builder, !shut_off);
      json_builder_set_member_name (builder, "memory_kib");
      json_builder_add_int_value (builder, (512 + (i % 8) * 256) * 1024);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
run_size (guint n)
{
  g_autofree char *dir = g_dir_make_tmp ("mw-bench-evac-window-XXXXXX", NULL);
  g_autofree char *src_uri = NULL;
  g_autofree char *dst_uri = NULL;
  g_autofree char *src_path = NULL;
  g_autofree char *dst_path = NULL;
  g_autoptr(MwConnectionList) connections = mw_connection_list_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) report = NULL;
  g_autoptr(MwEvacuationPlan) back = NULL;
  MwConnection *source;
  MwEvacuationWindow *window;
  Stalls stalls = { 0 };
  guint beat_id, frame_id;
  gint64 t0;

  mw_test_evacuation_write_nodes (dir, n, &src_uri, &dst_uri);
  source = mw_connection_list_add (connections, src_uri, FALSE, FALSE, &error);
  g_assert_no_error (error);
  mw_connection_list_add (connections, dst_uri, FALSE, FALSE, &error);
  g_assert_no_error (error);

  window = mw_evacuation_window_new (NULL, connections, source);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 760);
  gtk_window_present (GTK_WINDOW (window));
  if (!mw_evacuation_setup_page_set_destination (mw_evacuation_window_get_setup_page (window),
                                                 dst_uri, TRUE))
    g_error ("the setup page does not offer %s", dst_uri);
  /* The window drawn once before anything is measured. */
  for (gint64 until = g_get_monotonic_time () + 500 * 1000; g_get_monotonic_time () < until;)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);

  beat_id = g_timeout_add_full (G_PRIORITY_HIGH, 5, on_beat_cb, &stalls, NULL);
  frame_id = gtk_widget_add_tick_callback (GTK_WIDGET (window), on_frame_cb, &stalls, NULL);

  stalls_reset (&stalls);
  on_beat_cb (&stalls);
  t0 = g_get_monotonic_time ();
  if (!gtk_widget_activate_action (GTK_WIDGET (window), "evacuation.check", NULL))
    g_error ("evacuation.check is not enabled");
  measure_plan (window, "plan", n, &stalls, t0);

  report = fake_report (n, src_uri, dst_uri);
  back = mw_evacuation_plan_new_bring_back (report, &error);
  g_assert_no_error (error);
  stalls_reset (&stalls);
  on_beat_cb (&stalls);
  t0 = g_get_monotonic_time ();
  mw_evacuation_window_show_plan (window, back);
  measure_plan (window, "bring back", n, &stalls, t0);

  g_source_remove (beat_id);
  gtk_widget_remove_tick_callback (GTK_WIDGET (window), frame_id);
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  src_path = g_build_filename (dir, "src.xml", NULL);
  dst_path = g_build_filename (dir, "dst.xml", NULL);
  g_unlink (src_path);
  g_unlink (dst_path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  guint sizes[16] = { 10, 100, 1000 };
  guint n_sizes = 3;
  const char *renderer = g_getenv ("GSK_RENDERER");

  if (argc > 1)
    for (n_sizes = 0; n_sizes < G_N_ELEMENTS (sizes) && (int) n_sizes + 1 < argc; n_sizes++)
      sizes[n_sizes] = (guint) atoi (argv[n_sizes + 1]);

  gtk_init ();
  adw_init ();
  mw_libvirt_init ();
  g_print ("GSK_RENDERER=%s, %u pre-flights at once, budget %" G_GINT64_FORMAT " s a phase\n",
           renderer != NULL ? renderer : "(GTK's default)", MW_EVACUATION_PLAN_DEFAULT_MAX_CHECKS,
           budget_us () / G_USEC_PER_SEC);
  g_print ("%6s  %-10s %9s %10s %10s %10s %10s\n", "guests", "phase", "listed s", "done s",
           "main CPU", "loop gap", "frame gap");
  g_print ("%6s  %-10s %9s %10s %10s %10s %10s\n", "", "", "", "", "ms (max)", "ms (max)",
           "ms (max)");
  for (guint s = 0; s < n_sizes; s++)
    run_size (sizes[s]);
  return 0;
}
