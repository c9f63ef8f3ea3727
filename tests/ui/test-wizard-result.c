/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The migration wizard's live and result pages on the shipped demo nodes: a recorded trace
 * replayed into the live page, the test driver's refusal on the failure page (its report saved,
 * retried), and the result page's chart on screen and in the report's PNG (the test driver
 * refuses to migrate, so nothing real runs there). The trace is $MW_TEST_DATA/lab-trace.csv
 * when present, else synthetic-trace.csv (mw-test-trace.c); the fixture: mw-test-wizard.c.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "mw-migration-chart.h"
#include "mw-migration-plan.h"
#include "mw-ping-strip-private.h"
#include "mw-test-trace.h"
#include "mw-test-wizard.h"
#include "mw-wizard-result-page.h"

static void
assert_remedy_rows (MwMigrationWizard   *wizard,
                    const MwConvergence *c)
{
  struct { MwRemedy remedy; const char *action; } map[] = {
    { MW_REMEDY_RAISE_DOWNTIME, "migration.raise-downtime" },
    { MW_REMEDY_REMOVE_BANDWIDTH_CAP, "migration.remove-cap" },
    { MW_REMEDY_SWITCH_TO_POSTCOPY, "migration.postcopy" },
    { MW_REMEDY_RESTART_AUTO_CONVERGE, "migration.restart-auto-converge" },
    { MW_REMEDY_RESTART_POSTCOPY, "migration.restart-postcopy" },
  };
  MwMigrationLivePage *page = mw_migration_wizard_get_live_page (wizard);

  g_assert_cmpint (mw_migration_live_page_get_shown_remedies (page), ==, c->remedies);
  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    {
      GtkWidget *button = mw_test_find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON,
                                               has_action_name, (gpointer) map[i].action);
      GtkWidget *row = gtk_widget_get_ancestor (button, ADW_TYPE_ACTION_ROW);
      g_autofree char *text = NULL;

      g_assert_cmpint (gtk_widget_get_visible (row), ==, (c->remedies & map[i].remedy) != 0);
      if (c->remedies & map[i].remedy)
        {
          text = mw_convergence_describe_remedy (c, map[i].remedy);
          g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, text);
        }
    }
}

static void
test_wizard_live_replay (Fixture       *fixture,
                         gconstpointer  data)
{
  MwMigrationWizard *wizard = open_wizard (fixture, 1000, 700);
  MwMigrationLivePage *page = mw_migration_wizard_get_live_page (wizard);
  g_autoptr(MwSampleHistory) trace = load_trace ();
  g_autoptr(MwSampleHistory) live = mw_sample_history_new (4096);
  MwConvergenceContext context;
  guint n_samples = mw_sample_history_get_n_samples (trace);
  guint n_events = mw_sample_history_get_n_events (trace);
  gint64 end_us = mw_sample_history_get_end_us (trace);
  gint64 start = g_get_monotonic_time ();
  guint not_converging = 0, e = 0;
  gboolean shot_mid = FALSE, shot_stuck = FALSE;

  choose_destination (fixture);
  mw_convergence_context_init_from_options (&context, mw_migration_wizard_get_options (wizard));

  /* What the wizard does on Migrate, minus the job: the page gets a history, a ping source,
   * the state and each new verdict. */
  mw_migration_wizard_show_page (wizard, "live");
  mw_migration_live_page_set_destination_title (page, mw_connection_get_title (fixture->hostb));
  mw_migration_live_page_set_history (page, live);
  mw_migration_live_page_set_state (page, MW_MIGRATION_JOB_STATE_RUNNING);
  mw_sample_history_set_start_us (live, start);
  g_assert_true (gtk_widget_is_drawable (find_button (wizard, "migration.abort")));
  /* Abort is always there; a running job enables it (here, with no job, the test does). */
  gtk_widget_action_set_enabled (GTK_WIDGET (wizard), "migration.abort", TRUE);

  for (guint i = 0; i < n_samples; i++)
    {
      const MwJobSample *sample = mw_sample_history_get_sample (trace, i);
      MwJobSample copy = *sample;
      g_autoptr(GArray) records = make_ping_records (end_us, sample->time_us);
      g_autoptr(MwConvergence) c = NULL;

      for (; e < n_events && mw_sample_history_get_event (trace, e)->time_us <= sample->time_us;
           e++)
        {
          const MwHistoryEvent *event = mw_sample_history_get_event (trace, e);

          if (event->kind == MW_HISTORY_EVENT_DOWNTIME_CHANGED)
            context.max_downtime_ms = (guint) event->value;
          if (event->kind != MW_HISTORY_EVENT_PASS &&
              event->kind != MW_HISTORY_EVENT_AUTO_CONVERGE)
            mw_sample_history_add_event (live, start + event->time_us, event->kind, event->value,
                                         event->text);
        }
      if (sample->have & MW_JOB_HAVE_THROTTLE && sample->auto_converge_throttle > 0)
        context.auto_converge = TRUE;

      copy.time_us = start + sample->time_us;
      mw_sample_history_push (live, &copy);
      mw_migration_live_page_set_test_ping_records (page, "10.77.0.10",
                                                    (MwPingRecord *) records->data, records->len);
      c = mw_convergence_assess (live, &context);
      mw_migration_live_page_set_convergence (page, c);
      g_main_context_iteration (NULL, FALSE);

      if (c->verdict == MW_CONVERGENCE_NOT_CONVERGING)
        {
          not_converging++;
          g_assert_cmpstr (mw_migration_live_page_get_verdict_title (page), ==, "Not Converging");
          assert_remedy_rows (wizard, c);
          if (!shot_stuck && not_converging >= 3)
            {
              /* A running job would have these enabled; show them as the user would. */
              gtk_widget_action_set_enabled (GTK_WIDGET (wizard), "migration.abort", TRUE);
              gtk_widget_action_set_enabled (GTK_WIDGET (wizard), "migration.raise-downtime",
                                             (c->remedies & MW_REMEDY_RAISE_DOWNTIME) != 0);
              gtk_widget_action_set_enabled (GTK_WIDGET (wizard),
                                             "migration.restart-auto-converge",
                                             (c->remedies & MW_REMEDY_RESTART_AUTO_CONVERGE) != 0);
              gtk_widget_action_set_enabled (GTK_WIDGET (wizard), "migration.restart-postcopy",
                                             (c->remedies & MW_REMEDY_RESTART_POSTCOPY) != 0);
              mw_test_wait_frames (GTK_WIDGET (wizard), 2);
              shot (wizard, "wizard-4-live-not-converging");
              gtk_window_set_default_size (GTK_WINDOW (wizard), 700, 700);
              mw_test_wait_frames (GTK_WIDGET (wizard), 3);
              shot (wizard, "wizard-4-live-not-converging-narrow");
              gtk_window_set_default_size (GTK_WINDOW (wizard), 1000, 700);
              mw_test_wait_frames (GTK_WIDGET (wizard), 2);
              shot_stuck = TRUE;
            }
        }
      else
        g_assert_cmpint (mw_migration_live_page_get_shown_remedies (page), ==, MW_REMEDY_NONE);

      if (!shot_mid && i >= n_samples * 2 / 3 && c->verdict != MW_CONVERGENCE_NOT_CONVERGING)
        {
          mw_test_wait_frames (GTK_WIDGET (wizard), 2);
          shot (wizard, "wizard-4-live-mid");
          shot_mid = TRUE;
        }
    }

  g_test_message ("%u of %u samples judged not converging", not_converging, n_samples);
  g_assert_cmpuint (not_converging, >, 0);
  mw_test_wait_frames (GTK_WIDGET (wizard), 2);
  shot (wizard, "wizard-4-live-end");
}

/* ---- the test driver refuses: the failure page ------------------------------------------------ */

static gboolean
on_result_page (gpointer data)
{
  Fixture *fixture = data;

  return g_strcmp0 (mw_migration_wizard_get_page (fixture->wizard), "result") == 0;
}

typedef struct
{
  gboolean done;
  gboolean ok;
  GError *error;
} SaveWait;

static void
on_saved_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  SaveWait *wait = user_data;

  wait->ok = mw_migration_wizard_save_report_finish (MW_MIGRATION_WIZARD (object), result,
                                                     &wait->error);
  wait->done = TRUE;
}

static gboolean
save_done (gpointer data)
{
  return ((SaveWait *) data)->done;
}

/* Destination, options, checks, Migrate: the test driver refuses, and the result page shows.
 * forecast: handed to the job as the checks page would (the test driver's guests cannot be
 * measured, so pre-flight makes none), or NULL. */
static MwMigrationWizard *
run_refused_forecast (Fixture          *fixture,
                      guint             bandwidth,   /* typed into the options page when not 0 */
                      const MwForecast *forecast)
{
  MwMigrationWizard *wizard = open_wizard (fixture, 1000, 700);

  choose_destination (fixture);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL));
  if (bandwidth != 0)
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (mw_test_find_widget (
                                 find_row (wizard, ADW_TYPE_ACTION_ROW,
                                           "_Bandwidth Limit (MiB/s)"),
                                 GTK_TYPE_SPIN_BUTTON, NULL, NULL)), bandwidth);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL));
  g_assert_true (mw_test_wait_until (migrate_usable, wizard, 20000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.migrate", NULL));
  g_assert_nonnull (mw_migration_wizard_get_job (wizard));
  /* Pre-flight on the demo nodes cannot measure a dirty rate: no forecast went to the job. */
  g_assert_null (mw_migration_job_get_forecast (mw_migration_wizard_get_job (wizard)));
  if (forecast != NULL)
    mw_migration_job_set_forecast (mw_migration_wizard_get_job (wizard), forecast);

  g_assert_true (mw_test_wait_until (on_result_page, fixture, 30000));
  return wizard;
}

static MwMigrationWizard *
run_refused (Fixture *fixture,
             guint    bandwidth)
{
  return run_refused_forecast (fixture, bandwidth, NULL);
}

/* The subtitle of the result page's forecast row with that title. */
static const char *
forecast_row_subtitle (MwMigrationWizard *wizard,
                       const char        *title)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (find_row (wizard, ADW_TYPE_ACTION_ROW,
                                                                title)));
}

/* The saved report's "forecast" member, NULL when it is null. */
static JsonObject *
saved_forecast (const char *dir,
                JsonParser *parser)
{
  g_autofree char *json = g_build_filename (dir, "web01-report.json", NULL);
  g_autoptr(GError) error = NULL;
  JsonObject *root;

  g_assert_true (json_parser_load_from_file (parser, json, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_has_member (root, "forecast"));
  return json_object_get_null_member (root, "forecast")
           ? NULL : json_object_get_object_member (root, "forecast");
}

/* Save Report… as web01-report.json in a new temporary directory, which it returns. */
static char *
save_report (MwMigrationWizard *wizard)
{
  g_autofree char *dir = g_dir_make_tmp ("mw-wizard-XXXXXX", NULL);
  g_autofree char *json = NULL;
  g_autoptr(GFile) json_file = NULL;
  SaveWait wait = { FALSE, FALSE, NULL };

  g_assert_nonnull (dir);
  json = g_build_filename (dir, "web01-report.json", NULL);
  json_file = g_file_new_for_path (json);
  mw_migration_wizard_save_report_async (wizard, json_file, NULL, on_saved_cb, &wait);
  g_assert_true (mw_test_wait_until (save_done, &wait, 10000));
  g_assert_no_error (wait.error);
  g_assert_true (wait.ok);

  return g_steal_pointer (&dir);
}

/* Checks that the report's JSON, CSV and (when with_png) PNG are there, and removes them. */
static void
remove_report (const char *dir,
               gboolean    with_png)
{
  const char *suffixes[] = { ".json", ".csv", ".png" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat ("web01-report", suffixes[i], NULL);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (i == 2 && !with_png && !g_file_test (path, G_FILE_TEST_EXISTS))
        continue;
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
      g_remove (path);
    }
  g_rmdir (dir);
}

static void
test_wizard_refused (Fixture       *fixture,
                     gconstpointer  data)
{
  MwMigrationWizard *wizard = run_refused (fixture, 0);
  const MwMigrationJobResult *result;
  g_autofree char *dir = NULL;

  /* The test driver's guests and their invented addresses are never pinged. */
  g_assert_null (mw_migration_job_get_pinger (mw_migration_wizard_get_job (wizard)));
  result = mw_migration_job_get_result (mw_migration_wizard_get_job (wizard));
  g_assert_nonnull (result);
  g_assert_cmpint (result->state, !=, MW_MIGRATION_JOB_STATE_SUCCEEDED);
  /* Checked, not assumed: the guest is still where it was. */
  g_assert_true (result->on_source);
  g_assert_false (result->on_destination);
  g_assert_true (button_usable (wizard, "report.save"));
  mw_test_wait_frames (GTK_WIDGET (wizard), 2);
  shot (wizard, "wizard-5-result-failed");
  /* Without a forecast, the page and the report say there was none. */
  g_assert_nonnull (strstr (forecast_row_subtitle (wizard, "No Forecast"),
                            "made no convergence forecast"));

  /* The PNG only when the chart had samples to draw. */
  dir = save_report (wizard);
  {
    g_autoptr(JsonParser) parser = json_parser_new ();

    g_assert_null (saved_forecast (dir, parser));
  }
  remove_report (dir, FALSE);
}

/* The plan hands the checks' forecast to the job it creates. */
static void
assert_plan_hands_on_forecast (Fixture           *fixture,
                               MwMigrationWizard *wizard)
{
  g_autoptr(MwMigrationPlan) plan = NULL;
  MwForecast forecast = { 0 };
  MwMigrationJob *job;

  plan = mw_migration_plan_new (mw_application_get_connections (fixture->app),
                                mw_migration_wizard_get_domain (wizard));
  mw_migration_plan_set_destination (plan, fixture->hostb);
  forecast.verdict = MW_CONVERGENCE_NOT_CONVERGING;
  forecast.seconds = -1;
  mw_migration_plan_set_forecast (plan, &forecast);
  g_assert_cmpint (mw_migration_plan_get_forecast (plan)->verdict, ==,
                   MW_CONVERGENCE_NOT_CONVERGING);
  job = mw_migration_plan_create_job (plan);
  g_assert_nonnull (mw_migration_job_get_forecast (job));
  g_assert_cmpint (mw_migration_job_get_forecast (job)->verdict, ==,
                   MW_CONVERGENCE_NOT_CONVERGING);
  mw_migration_plan_set_forecast (plan, NULL);
  g_assert_null (mw_migration_plan_get_forecast (plan));
}

/* Refused: back to the options with every choice kept, and on to a new try. */
static void
test_wizard_retry (Fixture       *fixture,
                   gconstpointer  data)
{
  MwMigrationWizard *wizard = run_refused (fixture, 42);

  g_assert_true (button_usable (wizard, "wizard.retry"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.retry", NULL));
  g_assert_cmpstr (mw_migration_wizard_get_page (wizard), ==, "options");
  g_assert_null (mw_migration_wizard_get_job (wizard));
  g_assert_true (mw_migration_wizard_get_destination (wizard) == fixture->hostb);
  g_assert_cmpuint (mw_migration_wizard_get_options (wizard)->bandwidth_mib_s, ==, 42);
  g_assert_false (button_usable (wizard, "report.save"));
  mw_test_wait_frames (GTK_WIDGET (wizard), 2);
  shot (wizard, "wizard-6-back-to-options");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL));
  g_assert_true (mw_test_wait_until (migrate_usable, wizard, 20000));
}

/* ---- the result page's chart, on screen and in the report's PNG ------------------------------ */

/* The column of rows [y0, y1) of an opaque ARGB32 image that is reddest overall (the error
 * colour, which marks both an abort request on the chart and a lost ping on the strip). */
static int
reddest_column (const guchar *pixels,
                gsize         stride,
                int           width,
                int           y0,
                int           y1)
{
  double best = 0;
  int best_x = -1;

  for (int x = 0; x < width; x++)
    {
      double sum = 0;

      for (int y = y0; y < y1; y++)
        {
          const guchar *p = pixels + y * stride + x * 4;  /* B, G, R, A on little-endian */

          sum += MAX (p[2] - MAX (p[0], p[1]), 0);
        }
      if (sum > best)
        {
          best = sum;
          best_x = x;
        }
    }

  return best_x;
}

static void
test_wizard_result_chart (Fixture       *fixture,
                          gconstpointer  data)
{
  MwMigrationWizard *wizard = run_refused (fixture, 0);
  GtkWidget *page = mw_test_find_widget (GTK_WIDGET (wizard), MW_TYPE_WIZARD_RESULT_PAGE, NULL,
                                         NULL);
  GtkWidget *card = mw_wizard_result_page_get_chart_card (MW_WIZARD_RESULT_PAGE (page));
  MwMigrationChart *chart = MW_MIGRATION_CHART (mw_test_find_widget (card, MW_TYPE_MIGRATION_CHART,
                                                                     NULL, NULL));
  MwPingStrip *strip = MW_PING_STRIP (mw_test_find_widget (card, MW_TYPE_PING_STRIP, NULL, NULL));
  GtkScrolledWindow *scrolled = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (
                                                       card, GTK_TYPE_SCROLLED_WINDOW));
  g_autoptr(MwSampleHistory) trace = load_trace ();
  g_autoptr(GArray) records = g_array_new (FALSE, TRUE, sizeof (MwPingRecord));
  const gint64 mark_us = 5 * G_USEC_PER_SEC;
  g_autofree char *dir = NULL;
  g_autofree char *png = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guchar *pixels = NULL;
  graphene_point_t chart_at, strip_at;
  int width, height, chart_x, strip_x;
  gsize stride;

  g_assert_nonnull (chart);
  g_assert_nonnull (strip);

  /* The test driver's run has no samples: give the card the lab trace's, with an abort request
   * and a lost ping at the same moment. */
  mw_sample_history_add_event (trace, mw_sample_history_get_start_us (trace) + mark_us,
                               MW_HISTORY_EVENT_ABORT_REQUESTED, 0, NULL);
  for (gint64 sent = 0; sent <= mw_sample_history_get_end_us (trace); sent += 100 * 1000)
    {
      MwPingRecord record = { (guint16) records->len, sent, 300, FALSE };

      if (sent == mark_us)
        {
          record.rtt_us = -1;
          record.lost = TRUE;
        }
      g_array_append_val (records, record);
    }
  mw_migration_chart_set_history (chart, trace);
  mw_ping_strip_set_test_records (strip, (MwPingRecord *) records->data, records->len);
  gtk_widget_set_visible (card, TRUE);
  mw_test_wait_frames (GTK_WIDGET (wizard), 2);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (scrolled),
                            gtk_adjustment_get_upper (gtk_scrolled_window_get_vadjustment (
                                                        scrolled)));
  mw_test_wait_frames (GTK_WIDGET (wizard), 2);
  shot (wizard, "wizard-5-result-chart");

  /* On screen: the strip under the chart has the chart's time axis. */
  g_assert_cmpint (mw_ping_strip_get_start_us (strip), ==, mw_migration_chart_get_start_us (chart));
  g_assert_cmpint (mw_ping_strip_get_end_us (strip), ==, mw_migration_chart_get_end_us (chart));
  g_assert_cmpint (mw_ping_strip_get_plot_inset_start (strip), ==,
                   mw_migration_chart_get_plot_inset_start (chart));
  g_assert_cmpint (mw_ping_strip_get_plot_inset_end (strip), ==,
                   mw_migration_chart_get_plot_inset_end (chart));

  /* In the report's PNG: the abort marker and the lost ping in the same pixel column. */
  dir = save_report (wizard);
  png = g_build_filename (dir, "web01-report.png", NULL);
  texture = gdk_texture_new_from_filename (png, &error);
  g_assert_no_error (error);
  if (g_getenv ("MW_SCREENSHOT_DIR") != NULL)
    {
      g_autofree char *copy = g_build_filename (g_getenv ("MW_SCREENSHOT_DIR"),
                                                "report-chart.png", NULL);

      g_assert_true (gdk_texture_save_to_png (texture, copy));
    }

  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  g_assert_cmpint (width, ==, gtk_widget_get_width (card));
  stride = width * 4;
  pixels = g_malloc (stride * height);
  gdk_texture_download (texture, pixels, stride);
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (chart), card, &GRAPHENE_POINT_INIT (0, 0),
                                           &chart_at));
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (strip), card, &GRAPHENE_POINT_INIT (0, 0),
                                           &strip_at));
  /* The middle of the plot, below the event labels; the middle of the strip's ticks. */
  chart_x = reddest_column (pixels, stride, width,
                            chart_at.y + gtk_widget_get_height (GTK_WIDGET (chart)) * 0.45,
                            chart_at.y + gtk_widget_get_height (GTK_WIDGET (chart)) * 0.7);
  strip_x = reddest_column (pixels, stride, width,
                            strip_at.y + gtk_widget_get_height (GTK_WIDGET (strip)) / 2 - 3,
                            strip_at.y + gtk_widget_get_height (GTK_WIDGET (strip)) / 2 + 3);
  g_test_message ("abort marker at x = %d, lost ping at x = %d", chart_x, strip_x);
  g_assert_cmpint (chart_x, >, 0);
  g_assert_cmpint (strip_x, >, 0);
  g_assert_cmpint (ABS (chart_x - strip_x), <=, 1);

  remove_report (dir, TRUE);
}

/* Pre-flight's forecast beside the outcome: the result page's three rows and the report. */
static void
test_wizard_result_forecast (Fixture       *fixture,
                             gconstpointer  data)
{
  MwForecast forecast = { 0 };
  MwMigrationWizard *wizard;
  GtkWidget *page;
  GtkScrolledWindow *scrolled;
  GtkAdjustment *adjustment;
  GtkWidget *row;
  graphene_point_t at;
  g_autofree char *dir = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *json;

  forecast.verdict = MW_CONVERGENCE_CONVERGING;
  forecast.seconds = 4.2;
  forecast.downtime_ms = 180;
  forecast.downtime_min_ms = 25;
  forecast.downtime_max_ms = 400;
  forecast.passes = 4;
  forecast.passes_min = 3;
  forecast.passes_max = 6;
  wizard = run_refused_forecast (fixture, 0, &forecast);
  g_assert_cmpuint (mw_migration_job_get_forecast (mw_migration_wizard_get_job (
                      wizard))->passes_max, ==, 6);

  g_assert_cmpstr (forecast_row_subtitle (wizard, "Convergence"), ==,
                   "Forecast: converges in about 4.2 s. Outcome: did not complete.");
  g_assert_cmpstr (forecast_row_subtitle (wizard, "Pause at the switch-over"), ==,
                   "Forecast: 25–400 ms. Outcome: —.");
  /* The figures above have their own "Memory passes"; the forecast's row is in its list. */
  page = mw_test_find_widget (GTK_WIDGET (wizard), MW_TYPE_WIZARD_RESULT_PAGE, NULL, NULL);
  row = find_row (wizard, ADW_TYPE_ACTION_ROW, "Memory passes");
  g_assert_true (gtk_widget_is_ancestor (row, page));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "Forecast: 3–6. Outcome: —.");

  /* Scrolled to the rows, as the user would, for the screenshot. */
  scrolled = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (row, GTK_TYPE_SCROLLED_WINDOW));
  mw_test_wait_frames (GTK_WIDGET (wizard), 2);
  g_assert_true (gtk_widget_compute_point (row, GTK_WIDGET (scrolled),
                                           &GRAPHENE_POINT_INIT (0, 0), &at));
  g_test_message ("forecast rows at y = %g in the scrolled window", at.y);
  g_assert_cmpfloat (at.y, >, 0);
  adjustment = gtk_scrolled_window_get_vadjustment (scrolled);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + at.y - 250);
  mw_test_wait_frames (GTK_WIDGET (wizard), 2);
  shot (wizard, "wizard-5-result-forecast");

  dir = save_report (wizard);
  json = saved_forecast (dir, parser);
  g_assert_nonnull (json);
  g_assert_cmpstr (json_object_get_string_member (json, "verdict"), ==, "converging");
  g_assert_cmpint (json_object_get_int_member (json, "downtime_max_ms"), ==, 400);
  /* A refusal proves nothing about convergence or the pause. */
  g_assert_true (json_object_get_null_member (json_object_get_object_member (json, "held"),
                                              "converges"));
  remove_report (dir, FALSE);

  assert_plan_hands_on_forecast (fixture, wizard);
}

int
main (int   argc,
      char *argv[])
{
  mw_test_wizard_init (&argc, &argv);

  g_test_add ("/mw/wizard/live-replay", Fixture, NULL, fixture_set_up, test_wizard_live_replay,
              fixture_tear_down);
  g_test_add ("/mw/wizard/refused", Fixture, NULL, fixture_set_up, test_wizard_refused,
              fixture_tear_down);
  g_test_add ("/mw/wizard/retry", Fixture, NULL, fixture_set_up, test_wizard_retry,
              fixture_tear_down);
  g_test_add ("/mw/wizard/result-forecast", Fixture, NULL, fixture_set_up,
              test_wizard_result_forecast, fixture_tear_down);
  g_test_add ("/mw/wizard/result-chart", Fixture, NULL, fixture_set_up, test_wizard_result_chart,
              fixture_tear_down);

  return g_test_run ();
}
