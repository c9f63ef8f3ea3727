/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-report.c: the run report's JSON and CSV, written sync and async. */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "mw-report.h"

#define MIB (G_GUINT64_CONSTANT (1024) * 1024)
#define START_US G_GINT64_CONSTANT (5000000000)

static MwSampleHistory *
make_history (void)
{
  MwSampleHistory *history = mw_sample_history_new (100);
  MwJobSample sample = { 0 };
  guint i;

  mw_sample_history_set_start_us (history, START_US);
  for (i = 0; i < 5; i++)
    {
      sample.time_us = START_US + i * 225000;
      sample.elapsed_ms = i * 225;
      sample.state = MW_JOB_STATE_RUNNING;
      sample.have = MW_JOB_HAVE_MEMORY_REMAINING | MW_JOB_HAVE_ITERATION | MW_JOB_HAVE_THROUGHPUT
                    | MW_JOB_HAVE_DIRTY_RATE | MW_JOB_HAVE_THROTTLE;
      sample.iteration = i / 2 + 1;
      sample.memory_total = 256 * MIB;
      sample.memory_remaining = (256 - 50 * i) * MIB;
      sample.memory_processed = 50 * i * MIB;
      sample.data_processed = 50 * i * MIB;
      sample.memory_bps = 300 * MIB;
      sample.dirty_rate_bps = (16 + i) * MIB;
      sample.page_size = 4096;
      sample.auto_converge_throttle = i >= 3 ? 20 : 0;
      mw_sample_history_push (history, &sample);
    }

  memset (&sample, 0, sizeof sample);
  sample.time_us = START_US + 1200000;
  sample.elapsed_ms = 1234;
  sample.state = MW_JOB_STATE_COMPLETED;
  sample.have = MW_JOB_HAVE_DOWNTIME | MW_JOB_HAVE_DOWNTIME_NET;
  sample.downtime_ms = 148;
  sample.downtime_net_ms = 131;
  mw_sample_history_push (history, &sample);
  mw_sample_history_add_event (history, START_US + 1200000, MW_HISTORY_EVENT_COMPLETED, 0,
                               "done, \"really\"");

  return history;
}

static MwReport *
make_report (gboolean with_pinger)
{
  g_autoptr(MwSampleHistory) history = make_history ();
  g_autoptr(MwMigrationOptions) options = mw_migration_options_new_defaults ();
  g_autoptr(MwPinger) pinger = NULL;
  g_autoptr(GDateTime) started = g_date_time_new_utc (2024, 5, 6, 7, 8, 9);
  MwReportInfo info = { 0 };

  options->bandwidth_mib_s = 64;
  info.domain_name = "web 1";
  info.source_uri = "qemu+ssh://root@hosta/system";
  info.source_host = "hosta";
  info.destination_uri = "qemu+ssh://root@hostb/system";
  info.destination_host = "hostb";
  info.options = options;
  info.outcome = MW_REPORT_OUTCOME_COMPLETED;
  info.started = started;
  info.downtime_ms = -1;

  if (with_pinger)
    {
      g_autoptr(GError) error = NULL;

      pinger = mw_pinger_new ("127.0.0.1", 20, 1000);
      if (mw_pinger_start (pinger, START_US, &error))
        {
          gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

          while (mw_pinger_get_received (pinger) < 3 && g_get_monotonic_time () < deadline)
            g_main_context_iteration (NULL, FALSE);
          mw_pinger_stop (pinger);
        }
      else
        g_test_message ("Pinger unavailable: %s", error->message);
    }

  return mw_report_new (&info, history, pinger);
}

static void
assert_report_json (JsonNode *root,
                    gboolean  with_pinger)
{
  JsonObject *object;
  JsonObject *options;
  JsonObject *summary;
  JsonArray *samples;
  JsonArray *events;
  JsonObject *sample;
  JsonObject *event;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (object, "format"), ==, "mig-wizard-report");
  g_assert_cmpint (json_object_get_int_member (object, "version"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "started"), ==,
                   "2024-05-06T07:08:09Z");
  g_assert_cmpstr (json_object_get_string_member (object, "domain"), ==, "web 1");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "source"),
                                                  "host"), ==, "hosta");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object,
                                                                                 "destination"),
                                                  "uri"), ==, "qemu+ssh://root@hostb/system");

  options = json_object_get_object_member (object, "options");
  g_assert_cmpstr (json_object_get_string_member (options, "mode"), ==, "live");
  g_assert_cmpstr (json_object_get_string_member (options, "connection"), ==, "peer-to-peer");
  g_assert_cmpstr (json_object_get_string_member (options, "storage"), ==, "shared");
  g_assert_cmpint (json_object_get_int_member (options, "bandwidth_mib_s"), ==, 64);
  g_assert_false (json_object_get_boolean_member (options, "tls"));
  g_assert_cmpint (json_object_get_int_member (options, "postcopy_after_s"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (options, "virsh"), ==,
                   "virsh -c qemu+ssh://root@hosta/system migrate --live --persistent "
                   "--undefinesource --p2p --bandwidth 64 --domain 'web 1' "
                   "--desturi qemu+ssh://root@hostb/system");

  summary = json_object_get_object_member (object, "summary");
  g_assert_cmpstr (json_object_get_string_member (summary, "outcome"), ==, "completed");
  /* No call timed by a job: libvirt's job time, under both names. */
  g_assert_cmpint (json_object_get_int_member (summary, "total_time_ms"), ==, 1234);
  g_assert_cmpint (json_object_get_int_member (summary, "libvirt_time_ms"), ==, 1234);
  /* Taken from the completed sample, since the job passed none. */
  g_assert_cmpint (json_object_get_int_member (summary, "downtime_ms"), ==, 148);
  g_assert_cmpint (json_object_get_int_member (summary, "downtime_net_ms"), ==, 131);
  g_assert_cmpint (json_object_get_int_member (summary, "passes"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (summary, "peak_dirty_rate_bps"), ==, 20 * MIB);
  g_assert_cmpint (json_object_get_int_member (summary, "peak_throughput_bps"), ==, 300 * MIB);
  g_assert_cmpint (json_object_get_int_member (summary, "max_throttle_percent"), ==, 20);

  samples = json_object_get_array_member (object, "samples");
  g_assert_cmpuint (json_array_get_length (samples), ==, 6);
  sample = json_array_get_object_element (samples, 2);
  g_assert_cmpint (json_object_get_int_member (sample, "time_us"), ==, 450000);
  g_assert_cmpstr (json_object_get_string_member (sample, "state"), ==, "running");
  g_assert_cmpint (json_object_get_int_member (sample, "memory_remaining"), ==, 156 * MIB);
  g_assert_cmpint (json_object_get_int_member (sample, "dirty_rate_bps"), ==, 18 * MIB);
  g_assert_cmpint (json_object_get_int_member (sample, "iteration"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (sample, "page_size"), ==, 4096);
  g_assert_true (json_object_has_member (sample, "disk_remaining"));
  g_assert_true (json_object_has_member (sample, "expected_downtime_ms"));
  g_assert_cmpuint (json_object_get_size (sample), ==, 23);
  sample = json_array_get_object_element (samples, 5);
  g_assert_cmpstr (json_object_get_string_member (sample, "state"), ==, "completed");

  events = json_object_get_array_member (object, "events");
  /* 3 PASS, 1 AUTO_CONVERGE, 1 COMPLETED. */
  g_assert_cmpuint (json_array_get_length (events), ==, 5);
  event = json_array_get_object_element (events, 0);
  g_assert_cmpstr (json_object_get_string_member (event, "kind"), ==, "pass");
  g_assert_true (json_object_get_null_member (event, "text"));
  event = json_array_get_object_element (events, 4);
  g_assert_cmpstr (json_object_get_string_member (event, "kind"), ==, "completed");
  g_assert_cmpstr (json_object_get_string_member (event, "text"), ==, "done, \"really\"");

  if (!with_pinger)
    {
      g_assert_true (json_object_get_null_member (object, "ping"));
      g_assert_true (json_object_get_null_member (summary, "longest_ping_gap_ms"));
    }
  else
    {
      JsonObject *ping = json_object_get_object_member (object, "ping");
      JsonArray *records = json_object_get_array_member (ping, "records");
      gint64 sent = json_object_get_int_member (ping, "sent");

      g_assert_cmpstr (json_object_get_string_member (ping, "address"), ==, "127.0.0.1");
      g_assert_cmpint (json_object_get_int_member (ping, "interval_ms"), ==, 20);
      g_assert_cmpuint (json_array_get_length (records), ==, sent);
      g_assert_cmpint (json_object_get_int_member (summary, "pings_sent"), ==, sent);
      g_assert_cmpint (json_object_get_int_member (ping, "received")
                       + json_object_get_int_member (ping, "lost"), <=, sent);
      g_assert_true (json_object_has_member (json_array_get_object_element (records, 0),
                                             "rtt_us"));
    }
}

static void
test_json (void)
{
  g_autoptr(MwReport) report = make_report (FALSE);
  g_autoptr(JsonNode) root = mw_report_to_json (report);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;

  g_assert_cmpint (mw_report_get_outcome (report), ==, MW_REPORT_OUTCOME_COMPLETED);
  g_assert_cmpint (mw_report_get_total_time_ms (report), ==, 1234);
  g_assert_cmpint (mw_report_get_downtime_ms (report), ==, 148);
  g_assert_cmpint (mw_report_get_downtime_net_ms (report), ==, 131);
  g_assert_cmpint (mw_report_get_longest_ping_gap_us (report), ==, -1);
  assert_report_json (root, FALSE);

  /* And through text: it parses back. */
  data = mw_report_to_json_data (report, &length);
  g_assert_true (json_parser_load_from_data (parser, data, (gssize) length, &error));
  g_assert_no_error (error);
  assert_report_json (json_parser_get_root (parser), FALSE);
}

static void
test_json_with_pings (void)
{
  g_autoptr(MwReport) report = make_report (TRUE);
  g_autoptr(JsonNode) root = mw_report_to_json (report);

  if (mw_report_get_longest_ping_gap_us (report) < 0)
    {
      g_test_skip ("No pinger here");
      return;
    }
  assert_report_json (root, TRUE);
}

static void
test_minimal (void)
{
  MwReportInfo info = { 0 };
  g_autoptr(MwReport) report = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *csv = NULL;
  JsonObject *object;

  info.domain_name = "vm";
  info.outcome = MW_REPORT_OUTCOME_CANCELLED;
  info.outcome_message = "operation aborted: migration out job: canceled by client";
  info.downtime_ms = -1;
  report = mw_report_new (&info, NULL, NULL);
  root = mw_report_to_json (report);
  object = json_node_get_object (root);
  g_assert_true (json_object_get_null_member (object, "options"));
  g_assert_true (json_object_get_null_member (object, "started"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object,
                                                                                 "summary"),
                                                  "outcome"), ==, "cancelled");
  /* libvirt keeps no downtime for a cancelled job. */
  g_assert_true (json_object_get_null_member (json_object_get_object_member (object, "summary"),
                                              "downtime_ms"));
  g_assert_true (json_object_get_null_member (json_object_get_object_member (object, "summary"),
                                              "downtime_net_ms"));
  g_assert_true (json_object_get_null_member (json_object_get_object_member (object, "summary"),
                                              "libvirt_time_ms"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "samples")),
                    ==, 0);

  csv = mw_report_to_csv (report);
  g_assert_true (g_str_has_prefix (csv, "record,time_us,"));
  /* The header, then only the notes on the forecast (none) and the outcome. */
  g_assert_true (g_str_has_prefix (strchr (csv, '\n') + 1, "# forecast,none\n# outcome,"));
  {
    g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);

    g_assert_cmpuint (g_strv_length (lines), ==, 4);
    g_assert_cmpstr (lines[3], ==, "");
  }
}

/* One figure everywhere: the report's total is the job's timing of the migration call (what
 * the summary and the window show), libvirt's own job time is kept under its own name; the
 * printed line is the one the job's options and destination give, timer included. */
static void
test_one_total (void)
{
  g_autoptr(MwSampleHistory) history = make_history ();
  g_autoptr(MwMigrationOptions) options = mw_migration_options_new_defaults ();
  g_autoptr(MwReport) report = NULL;
  g_autoptr(JsonNode) root = NULL;
  MwReportInfo info = { 0 };
  JsonObject *object;
  JsonObject *summary;
  JsonObject *json_options;

  options->postcopy = TRUE;
  options->postcopy_after_s = 4;
  info.domain_name = "vm";
  info.source_uri = "qemu+ssh://root@hosta/system";
  info.destination_uri = "qemu+ssh://root@hostb/system";
  info.peer_uri = "qemu+ssh://root@10.78.0.3/system";
  info.options = options;
  info.outcome = MW_REPORT_OUTCOME_COMPLETED;
  info.downtime_ms = -1;
  info.call_ms = 4700;
  report = mw_report_new (&info, history, NULL);

  g_assert_cmpint (mw_report_get_total_time_ms (report), ==, 4700);
  g_assert_cmpint (mw_report_get_libvirt_time_ms (report), ==, 1234);
  root = mw_report_to_json (report);
  object = json_node_get_object (root);
  summary = json_object_get_object_member (object, "summary");
  g_assert_cmpint (json_object_get_int_member (summary, "total_time_ms"), ==, 4700);
  g_assert_cmpint (json_object_get_int_member (summary, "libvirt_time_ms"), ==, 1234);
  json_options = json_object_get_object_member (object, "options");
  g_assert_cmpint (json_object_get_int_member (json_options, "postcopy_after_s"), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (json_options, "virsh"), ==,
                   "virsh -c qemu+ssh://root@hosta/system migrate --live --persistent "
                   "--undefinesource --p2p --postcopy --timeout 4 --timeout-postcopy "
                   "--domain vm --desturi qemu+ssh://root@10.78.0.3/system");

  /* Client-driven: the job ignores a peer URI, and so does the line. */
  options->postcopy_after_s = 0;
  options->postcopy = FALSE;
  options->connection = MW_MIGRATION_CONNECTION_CLIENT;
  g_clear_object (&report);
  g_clear_pointer (&root, json_node_unref);
  report = mw_report_new (&info, NULL, NULL);
  root = mw_report_to_json (report);
  json_options = json_object_get_object_member (json_node_get_object (root), "options");
  g_assert_cmpstr (json_object_get_string_member (json_options, "virsh"), ==,
                   "virsh -c qemu+ssh://root@hosta/system migrate --live --persistent "
                   "--undefinesource --domain vm --desturi qemu+ssh://root@hostb/system");
  g_assert_cmpint (mw_report_get_total_time_ms (report), ==, 4700);
}

static void
check_files (GFile *json_file,
             GFile *csv_file)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json_path = g_file_get_path (json_file);
  g_autofree char *csv_path = g_file_get_path (csv_file);
  g_autoptr(MwSampleHistory) loaded = NULL;

  g_assert_true (json_parser_load_from_file (parser, json_path, &error));
  g_assert_no_error (error);
  assert_report_json (json_parser_get_root (parser), FALSE);

  /* The CSV is a trace. */
  loaded = mw_sample_history_load_csv (csv_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mw_sample_history_get_n_samples (loaded), ==, 6);
  g_assert_cmpuint (mw_sample_history_get_n_events (loaded), ==, 5);
}

static void
on_write_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GError **error = user_data;

  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  if (!mw_report_write_finish (MW_REPORT (source), result, error))
    g_assert_nonnull (*error);
  else
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NONE, "ok");
}

static void
test_write (void)
{
  g_autoptr(MwReport) report = make_report (FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mw-report-XXXXXX", &error);
  g_autofree char *json_path = g_build_filename (dir, "run.json", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "run.csv", NULL);
  g_autofree char *missing_path = g_build_filename (dir, "no", "such", "run.json", NULL);
  g_autoptr(GFile) json_file = g_file_new_for_path (json_path);
  g_autoptr(GFile) csv_file = g_file_new_for_path (csv_path);
  g_autoptr(GFile) missing = g_file_new_for_path (missing_path);
  GError *async_result = NULL;

  g_assert_no_error (error);

  /* Sync. */
  g_assert_true (mw_report_write (report, json_file, csv_file, NULL, &error));
  g_assert_no_error (error);
  check_files (json_file, csv_file);
  g_unlink (json_path);
  g_unlink (csv_path);

  /* Async: the callback runs on this thread's context. */
  mw_report_write_async (report, json_file, csv_file, NULL, on_write_cb, &async_result);
  while (async_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (async_result, G_IO_ERROR, G_IO_ERROR_NONE);
  g_clear_error (&async_result);
  check_files (json_file, csv_file);

  /* A directory that does not exist fails with GIO's error. */
  mw_report_write_async (report, missing, NULL, NULL, on_write_cb, &async_result);
  while (async_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (async_result, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&async_result);

  g_unlink (json_path);
  g_unlink (csv_path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mw/report/json", test_json);
  g_test_add_func ("/mw/report/json-with-pings", test_json_with_pings);
  g_test_add_func ("/mw/report/minimal", test_minimal);
  g_test_add_func ("/mw/report/one-total", test_one_total);
  g_test_add_func ("/mw/report/write", test_write);

  return g_test_run ();
}
