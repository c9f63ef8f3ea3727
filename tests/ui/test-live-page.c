/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The live page's "Estimated time left" and its verdict icon, fed as the job would feed them. */
#include "config.h"

#include <string.h>

#include "mw-migration-live-page.h"
#include "mw-test-chart.h"

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

/* Once the migration call has returned, the live page shows no stale time left ("about 4.5 s
 * for the first copy of memory" was seen while switching over), and its "Memory passes" is the
 * figure the result and the report show: the history's, with libvirt's iteration events between
 * samples and the completed job's statistics (5 on the tile vs 8 on the result was seen). */
static void
test_live_page_after_the_call (void)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  MwMigrationLivePage *page = g_object_new (MW_TYPE_MIGRATION_LIVE_PAGE, NULL);
  g_autofree char *path = g_build_filename (g_getenv ("MW_TEST_DATA"), "lab-trace.csv", NULL);
  g_autoptr(MwSampleHistory) trace = mw_sample_history_load_csv (path, NULL);
  g_autoptr(MwSampleHistory) history = mw_sample_history_new (256);
  g_autofree char *expected = NULL;
  MwJobSample completed = { 0 };
  guint64 passes;

  g_assert_nonnull (trace);
  gtk_window_set_default_size (window, 900, 700);
  gtk_window_set_child (window, GTK_WIDGET (page));
  gtk_window_present (window);
  mw_sample_history_set_start_us (history, 0);
  mw_migration_live_page_set_history (page, history);
  mw_migration_live_page_set_state (page, MW_MIGRATION_JOB_STATE_RUNNING);
  mw_migration_live_page_set_options (page, NULL);

  /* The first copy, as recorded: the page gives its time left. */
  for (guint i = 0; i < mw_sample_history_get_n_samples (trace); i++)
    {
      const MwJobSample *sample = mw_sample_history_get_sample (trace, i);

      if (sample->state != MW_JOB_STATE_RUNNING || sample->iteration > 1)
        break;
      mw_sample_history_push (history, sample);
      completed = *sample;
    }
  g_test_message ("time left in the first copy: %s", mw_migration_live_page_get_time_left (page));
  g_assert_true (g_str_has_suffix (mw_migration_live_page_get_time_left (page),
                                   " for the first copy of memory"));
  g_assert_cmpstr (mw_migration_live_page_get_passes (page), ==, "1");

  /* libvirt's iteration events between two samples, then the call returns with the completed
   * job's statistics (as the job pushes them). */
  mw_sample_history_add_event (history, completed.time_us + 100000, MW_HISTORY_EVENT_PASS, 2,
                               NULL);
  mw_sample_history_add_event (history, completed.time_us + 200000, MW_HISTORY_EVENT_PASS, 3,
                               NULL);
  g_assert_cmpstr (mw_migration_live_page_get_passes (page), ==, "3");
  mw_migration_live_page_set_state (page, MW_MIGRATION_JOB_STATE_VERIFYING);
  g_assert_cmpstr (mw_migration_live_page_get_time_left (page), ==, "—");

  completed.state = MW_JOB_STATE_COMPLETED;
  completed.time_us += 300000;
  completed.iteration = 4;
  completed.have |= MW_JOB_HAVE_ITERATION;
  completed.memory_remaining = 0;
  mw_sample_history_push (history, &completed);
  passes = mw_sample_history_get_passes (history);
  g_assert_cmpuint (passes, ==, 4);
  expected = g_strdup_printf ("%" G_GUINT64_FORMAT, passes);
  g_assert_cmpstr (mw_migration_live_page_get_passes (page), ==, expected);
  g_assert_cmpstr (mw_migration_live_page_get_time_left (page), ==, "—");

  mw_migration_live_page_set_state (page, MW_MIGRATION_JOB_STATE_SUCCEEDED);
  g_assert_cmpstr (mw_migration_live_page_get_time_left (page), ==, "—");
  g_assert_cmpstr (mw_migration_live_page_get_passes (page), ==, expected);
  mw_test_wait_frames (GTK_WIDGET (window), 2);
  g_free (mw_test_save_screenshot (GTK_WIDGET (window), "live-page-after-the-call"));

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

int
main (int   argc,
      char *argv[])
{
  mw_test_chart_init (&argc, &argv);

  g_test_add_func ("/mw/live-page/verdict-icon", test_live_page_verdict_icon);
  g_test_add_func ("/mw/live-page/time-left", test_live_page_time_left);
  g_test_add_func ("/mw/live-page/after-the-call", test_live_page_after_the_call);

  return g_test_run ();
}
