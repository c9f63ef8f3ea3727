/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-report-forecast.c: pre-flight's forecast beside the outcome, in the report's JSON and
 * CSV and in the sentences the result page and the CLI show (mw-forecast.h). No host. */

#include "config.h"

#include <string.h>

#include "mw-check-rules.h"
#include "mw-forecast.h"
#include "mw-report.h"

#define MIB (G_GUINT64_CONSTANT (1024) * 1024)
#define START_US G_GINT64_CONSTANT (5000000000)

/* Three passes, then libvirt's completed job with a downtime of 148 ms. */
static MwSampleHistory *
make_history (void)
{
  MwSampleHistory *history = mw_sample_history_new (100);
  MwJobSample sample = { 0 };

  mw_sample_history_set_start_us (history, START_US);
  for (guint i = 0; i < 5; i++)
    {
      sample.time_us = START_US + i * 225000;
      sample.elapsed_ms = i * 225;
      sample.state = MW_JOB_STATE_RUNNING;
      sample.have = MW_JOB_HAVE_MEMORY_REMAINING | MW_JOB_HAVE_ITERATION
                    | MW_JOB_HAVE_THROUGHPUT;
      sample.iteration = i / 2 + 1;
      sample.memory_total = 256 * MIB;
      sample.memory_remaining = (256 - 50 * i) * MIB;
      sample.memory_bps = 300 * MIB;
      mw_sample_history_push (history, &sample);
    }
  memset (&sample, 0, sizeof sample);
  sample.time_us = START_US + 1200000;
  sample.elapsed_ms = 1234;
  sample.state = MW_JOB_STATE_COMPLETED;
  sample.have = MW_JOB_HAVE_DOWNTIME;
  sample.downtime_ms = 148;
  mw_sample_history_push (history, &sample);
  return history;
}

static void
converging (MwForecast *forecast,
            guint       pause_min,
            guint       pause_max,
            guint       passes_min,
            guint       passes_max)
{
  memset (forecast, 0, sizeof *forecast);
  forecast->verdict = MW_CONVERGENCE_CONVERGING;
  forecast->seconds = 4.2;
  forecast->downtime_min_ms = pause_min;
  forecast->downtime_max_ms = pause_max;
  forecast->downtime_ms = (pause_min + pause_max) / 2;
  forecast->passes_min = passes_min;
  forecast->passes_max = passes_max;
  forecast->passes = passes_min;
  forecast->memory_bytes = 256 * MIB;
  forecast->dirty_bps = 16 * MIB;
  forecast->link_bps = 100 * MIB;
}

static MwReport *
make_report (const MwForecast *forecast,
             MwReportOutcome   outcome)
{
  g_autoptr(MwSampleHistory) history = make_history ();
  MwReportInfo info = { 0 };

  info.domain_name = "vm";
  info.outcome = outcome;
  info.downtime_ms = -1;
  info.call_ms = 4700;
  info.forecast = forecast;
  return mw_report_new (&info, history, NULL);
}

/* The report's "forecast" member (NULL when null) and its "held" object. */
static JsonObject *
forecast_json (MwReport    *report,
               JsonNode   **root,
               JsonObject **held)
{
  JsonObject *object;
  JsonObject *forecast;

  *root = mw_report_to_json (report);
  object = json_node_get_object (*root);
  g_assert_true (json_object_has_member (object, "forecast"));
  if (json_object_get_null_member (object, "forecast"))
    return NULL;
  forecast = json_object_get_object_member (object, "forecast");
  *held = json_object_get_object_member (forecast, "held");
  return forecast;
}

static void
test_held (void)
{
  MwForecast forecast;
  g_autoptr(MwReport) report = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(MwSampleHistory) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  JsonObject *json;
  JsonObject *held = NULL;
  MwForecastOutcome outcome;

  converging (&forecast, 25, 400, 3, 6);
  report = make_report (&forecast, MW_REPORT_OUTCOME_COMPLETED);
  /* The report keeps a copy. */
  forecast.downtime_max_ms = 1;
  g_assert_cmpuint (mw_report_get_forecast (report)->downtime_max_ms, ==, 400);

  mw_report_get_forecast_outcome (report, &outcome);
  g_assert_true (outcome.completed);
  g_assert_cmpint (outcome.downtime_ms, ==, 148);
  g_assert_cmpuint (outcome.passes, ==, 3);
  g_assert_cmpint (outcome.total_ms, ==, 4700);

  json = forecast_json (report, &root, &held);
  g_assert_nonnull (json);
  g_assert_cmpstr (json_object_get_string_member (json, "verdict"), ==, "converging");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (json, "seconds"), 4.2, 1e-9);
  g_assert_cmpint (json_object_get_int_member (json, "downtime_min_ms"), ==, 25);
  g_assert_cmpint (json_object_get_int_member (json, "downtime_max_ms"), ==, 400);
  g_assert_cmpint (json_object_get_int_member (json, "passes_min"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json, "passes_max"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (json, "link_bps"), ==, 100 * MIB);
  g_assert_true (json_object_get_boolean_member (held, "converges"));
  g_assert_true (json_object_get_boolean_member (held, "pause"));
  g_assert_true (json_object_get_boolean_member (held, "passes"));

  /* The CSV says it in two notes after the samples, which a trace loader skips. */
  csv = mw_report_to_csv (report);
  g_assert_true (g_str_has_prefix (csv, "record,time_us,"));
  g_assert_nonnull (strstr (csv, "\n# forecast,verdict=converging,seconds=4.2,pause_ms=25-400,"
                                 "passes=3-6,"));
  g_assert_nonnull (strstr (csv, "\n# outcome,outcome=completed,downtime_ms=148,passes=3,"
                                 "total_time_ms=4700,converges_held=yes,pause_held=yes,"
                                 "passes_held=yes\n"));
  loaded = mw_sample_history_parse_csv (csv, "report.csv", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mw_sample_history_get_n_samples (loaded), ==, 6);
}

/* Figures outside the ranges: said so, item by item. */
static void
test_missed (void)
{
  MwForecast forecast;
  g_autoptr(MwReport) report = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *csv = NULL;
  JsonObject *held = NULL;

  converging (&forecast, 25, 100, 4, 6);
  report = make_report (&forecast, MW_REPORT_OUTCOME_COMPLETED);
  g_assert_nonnull (forecast_json (report, &root, &held));
  g_assert_true (json_object_get_boolean_member (held, "converges"));
  g_assert_false (json_object_get_boolean_member (held, "pause"));
  g_assert_false (json_object_get_boolean_member (held, "passes"));
  csv = mw_report_to_csv (report);
  g_assert_nonnull (strstr (csv, "converges_held=yes,pause_held=no,passes_held=no\n"));
}

/* Forecast not to converge, and it did: wrong; no ranges to hold the pause against. */
static void
test_not_converging (void)
{
  MwForecast forecast = { 0 };
  g_autoptr(MwReport) report = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *json;
  JsonObject *held = NULL;

  forecast.verdict = MW_CONVERGENCE_NOT_CONVERGING;
  forecast.seconds = -1;
  report = make_report (&forecast, MW_REPORT_OUTCOME_COMPLETED);
  json = forecast_json (report, &root, &held);
  g_assert_cmpstr (json_object_get_string_member (json, "verdict"), ==, "not-converging");
  g_assert_true (json_object_get_null_member (json, "seconds"));
  g_assert_false (json_object_get_boolean_member (held, "converges"));
  g_assert_true (json_object_get_null_member (held, "pause"));
  g_assert_true (json_object_get_null_member (held, "passes"));

  /* After a remedy it ran with other settings than those forecast for: not checked. */
  {
    g_autoptr(MwSampleHistory) history = make_history ();
    g_autoptr(MwReport) remedied = NULL;
    g_autoptr(JsonNode) remedied_root = NULL;
    MwReportInfo info = { 0 };

    mw_sample_history_add_event (history, START_US + 600000, MW_HISTORY_EVENT_REMEDY,
                                 MW_REMEDY_REMOVE_BANDWIDTH_CAP, NULL);
    info.domain_name = "vm";
    info.outcome = MW_REPORT_OUTCOME_COMPLETED;
    info.downtime_ms = -1;
    info.forecast = &forecast;
    remedied = mw_report_new (&info, history, NULL);
    g_assert_nonnull (forecast_json (remedied, &remedied_root, &held));
    g_assert_true (json_object_get_null_member (held, "converges"));
  }
}

/* A failed or stopped migration proves nothing about convergence or the pause. */
static void
test_failed (void)
{
  MwForecast forecast;
  g_autoptr(MwReport) report = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *held = NULL;

  converging (&forecast, 25, 400, 3, 6);
  report = make_report (&forecast, MW_REPORT_OUTCOME_CANCELLED);
  g_assert_nonnull (forecast_json (report, &root, &held));
  g_assert_true (json_object_get_null_member (held, "converges"));
  g_assert_true (json_object_get_null_member (held, "pause"));
  g_assert_true (json_object_get_null_member (held, "passes"));
}

/* Without a forecast the report says none: null in the JSON, a note in the CSV. */
static void
test_none (void)
{
  g_autoptr(MwReport) report = make_report (NULL, MW_REPORT_OUTCOME_COMPLETED);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *csv = NULL;
  JsonObject *held = NULL;

  g_assert_null (mw_report_get_forecast (report));
  g_assert_null (forecast_json (report, &root, &held));
  csv = mw_report_to_csv (report);
  g_assert_nonnull (strstr (csv, "\n# forecast,none\n"));
  g_assert_nonnull (strstr (csv, "converges_held=unknown,pause_held=unknown,"
                                 "passes_held=unknown\n"));
}

/* The sentences the result page and the CLI show: the forecast's figure beside the outcome's,
 * and whether it held; without a forecast, that none was made. */
static void
test_describe (void)
{
  MwForecast forecast;
  MwForecastOutcome outcome = { TRUE, TRUE, 148, 5, 4700, FALSE };
  g_autofree char *pause = NULL;
  g_autofree char *passes = NULL;
  g_autofree char *converges = NULL;
  g_autofree char *none = NULL;

  converging (&forecast, 25, 400, 3, 4);
  pause = mw_forecast_describe (&forecast, &outcome, MW_FORECAST_ITEM_PAUSE);
  passes = mw_forecast_describe (&forecast, &outcome, MW_FORECAST_ITEM_PASSES);
  converges = mw_forecast_describe (&forecast, &outcome, MW_FORECAST_ITEM_CONVERGES);
  none = mw_forecast_describe (NULL, &outcome, MW_FORECAST_ITEM_PAUSE);
  g_test_message ("%s\n%s\n%s\n%s", pause, passes, converges, none);
  g_assert_cmpstr (pause, ==, "Pause at the switch-over: forecast 25–400 ms, outcome 148 ms "
                              "(as forecast).");
  g_assert_cmpstr (passes, ==, "Memory passes: forecast 3–4, outcome 5 (not as forecast).");
  g_assert_cmpstr (converges, ==, "Convergence: forecast converges in about 4.2 s, outcome "
                                  "completed in 4.7 s (as forecast).");
  g_assert_cmpstr (none, ==, "Pause at the switch-over: no forecast was made; outcome 148 ms.");
  g_assert_cmpint (mw_forecast_match (NULL, &outcome, MW_FORECAST_ITEM_PAUSE), ==,
                   MW_FORECAST_UNCHECKED);
}

/* The forecast check hands its figures on as a value, the same the sentence gives; the check
 * keeps a copy; a guest whose dirty rate could not be measured has none. */
static void
test_from_check (void)
{
  static const char xml[] = "<domain type='kvm'><name>guest</name>"
                            "<memory unit='MiB'>256</memory></domain>";
  g_autoptr(MwCheckFacts) facts = mw_check_facts_new ("qemu+ssh://root@hosta/system",
                                                      "qemu+ssh://root@hostb/system", "guest",
                                                      NULL);
  g_autoptr(MwCheck) check = mw_check_new ("forecast", "Convergence forecast");
  g_autoptr(GError) error = NULL;
  g_autofree char *range = NULL;
  MwCheckResult result = { 0 };

  facts->domain = mw_domain_facts_new_from_xml (xml, &error);
  g_assert_no_error (error);
  facts->domain->active = TRUE;
  facts->options->bandwidth_mib_s = 64;

  mw_check_eval_forecast (facts, 48 * MIB, 123 * MIB, NULL, &result);
  g_assert_nonnull (result.forecast);
  g_assert_cmpint (result.forecast->verdict, ==, MW_CONVERGENCE_CONVERGING);
  g_assert_cmpuint (result.forecast->memory_bytes, ==, 256 * MIB);
  g_assert_cmpuint (result.forecast->dirty_bps, ==, 48 * MIB);
  g_assert_cmpuint (result.forecast->link_bps, ==, 64 * MIB);
  range = g_strdup_printf ("with a pause of %u–%u ms", result.forecast->downtime_min_ms,
                           result.forecast->downtime_max_ms);
  g_assert_nonnull (strstr (result.sentence, range));
  mw_check_apply_result (check, &result);
  mw_check_result_clear (&result);
  g_assert_null (result.forecast);
  g_assert_nonnull (mw_check_get_forecast (check));
  g_assert_cmpuint (mw_check_get_forecast (check)->dirty_bps, ==, 48 * MIB);

  mw_check_eval_forecast (facts, G_MAXUINT64, 0, "no dirty-rate support", &result);
  g_assert_null (result.forecast);
  mw_check_apply_result (check, &result);
  mw_check_result_clear (&result);
  g_assert_null (mw_check_get_forecast (check));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mw/report/forecast/held", test_held);
  g_test_add_func ("/mw/report/forecast/missed", test_missed);
  g_test_add_func ("/mw/report/forecast/not-converging", test_not_converging);
  g_test_add_func ("/mw/report/forecast/failed", test_failed);
  g_test_add_func ("/mw/report/forecast/none", test_none);
  g_test_add_func ("/mw/report/forecast/describe", test_describe);
  g_test_add_func ("/mw/report/forecast/from-check", test_from_check);

  return g_test_run ();
}
