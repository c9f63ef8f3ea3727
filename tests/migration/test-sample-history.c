/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sample-history.c: the ring buffer, its events and its CSV form. */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "mw-sample-history.h"

#define MIB (G_GUINT64_CONSTANT (1024) * 1024)
#define START_US G_GINT64_CONSTANT (1000000000)

static MwJobSample
make_sample (gint64  t_ms,
             guint64 iteration,
             guint64 remaining_mib)
{
  MwJobSample sample = { 0 };

  sample.time_us = START_US + t_ms * 1000;
  sample.elapsed_ms = (guint64) t_ms;
  sample.state = MW_JOB_STATE_RUNNING;
  sample.have = MW_JOB_HAVE_MEMORY_REMAINING | MW_JOB_HAVE_ITERATION | MW_JOB_HAVE_THROUGHPUT
                | MW_JOB_HAVE_DIRTY_RATE;
  sample.iteration = iteration;
  sample.memory_remaining = remaining_mib * MIB;
  sample.memory_total = 256 * MIB;
  sample.memory_bps = 60 * MIB;
  sample.dirty_rate_bps = 64 * MIB;
  sample.page_size = 4096;

  return sample;
}

static void
on_changed_cb (MwSampleHistory *history,
               guint           *count)
{
  (*count)++;
}

static void
test_push_and_events (void)
{
  g_autoptr(MwSampleHistory) history = mw_sample_history_new (10);
  MwJobSample sample;
  const MwHistoryEvent *event;
  guint changed = 0;

  g_signal_connect (history, "changed", G_CALLBACK (on_changed_cb), &changed);
  mw_sample_history_set_start_us (history, START_US);
  g_assert_cmpint (mw_sample_history_get_start_us (history), ==, START_US);
  g_assert_null (mw_sample_history_get_last (history));
  g_assert_cmpint (mw_sample_history_get_end_us (history), ==, 0);

  sample = make_sample (200, 1, 200);
  mw_sample_history_push (history, &sample);
  sample = make_sample (400, 1, 150);
  mw_sample_history_push (history, &sample);
  sample = make_sample (600, 2, 90);
  mw_sample_history_push (history, &sample);
  g_assert_cmpuint (changed, ==, 3);

  g_assert_cmpuint (mw_sample_history_get_n_samples (history), ==, 3);
  /* Times become relative to the start. */
  g_assert_cmpint (mw_sample_history_get_sample (history, 0)->time_us, ==, 200000);
  g_assert_cmpint (mw_sample_history_get_last (history)->time_us, ==, 600000);
  g_assert_cmpint (mw_sample_history_get_end_us (history), ==, 600000);
  g_assert_cmpuint (mw_sample_history_get_max_bytes (history), ==, 200 * MIB);
  g_assert_cmpuint (mw_sample_history_get_max_rate (history), ==, 64 * MIB);

  /* A PASS event for pass 1 and for pass 2, not for the repeated 1. */
  g_assert_cmpuint (mw_sample_history_get_n_events (history), ==, 2);
  event = mw_sample_history_get_event (history, 0);
  g_assert_cmpint (event->kind, ==, MW_HISTORY_EVENT_PASS);
  g_assert_cmpint (event->value, ==, 1);
  g_assert_cmpint (event->time_us, ==, 200000);
  event = mw_sample_history_get_event (history, 1);
  g_assert_cmpint (event->kind, ==, MW_HISTORY_EVENT_PASS);
  g_assert_cmpint (event->value, ==, 2);
  g_assert_cmpint (event->time_us, ==, 600000);

  /* Throttle changes make AUTO_CONVERGE events. */
  sample = make_sample (800, 2, 80);
  sample.have |= MW_JOB_HAVE_THROTTLE;
  sample.auto_converge_throttle = 20;
  mw_sample_history_push (history, &sample);
  sample.time_us += 200000;
  mw_sample_history_push (history, &sample);
  sample.time_us += 200000;
  sample.auto_converge_throttle = 30;
  mw_sample_history_push (history, &sample);
  g_assert_cmpuint (mw_sample_history_get_n_events (history), ==, 4);
  event = mw_sample_history_get_event (history, 2);
  g_assert_cmpint (event->kind, ==, MW_HISTORY_EVENT_AUTO_CONVERGE);
  g_assert_cmpint (event->value, ==, 20);
  event = mw_sample_history_get_event (history, 3);
  g_assert_cmpint (event->value, ==, 30);

  mw_sample_history_add_event (history, START_US + 1500000, MW_HISTORY_EVENT_FAILED, 0,
                               "operation failed: job 'migration out' failed");
  g_assert_cmpuint (changed, ==, 7);
  event = mw_sample_history_get_event (history, 4);
  g_assert_cmpint (event->kind, ==, MW_HISTORY_EVENT_FAILED);
  g_assert_cmpstr (event->text, ==, "operation failed: job 'migration out' failed");
  g_assert_cmpint (mw_sample_history_get_end_us (history), ==, 1500000);

  mw_sample_history_clear (history);
  g_assert_cmpuint (changed, ==, 8);
  g_assert_cmpuint (mw_sample_history_get_n_samples (history), ==, 0);
  g_assert_cmpuint (mw_sample_history_get_n_events (history), ==, 0);
  g_assert_cmpint (mw_sample_history_get_end_us (history), ==, 0);

  g_signal_handlers_disconnect_by_data (history, &changed);
  g_assert_finalize_object (g_steal_pointer (&history));
}

static void
test_start_from_first_push (void)
{
  g_autoptr(MwSampleHistory) history = mw_sample_history_new (4);
  MwJobSample sample = make_sample (250, 1, 10);

  mw_sample_history_push (history, &sample);
  g_assert_cmpint (mw_sample_history_get_start_us (history), ==, START_US + 250000);
  g_assert_cmpint (mw_sample_history_get_last (history)->time_us, ==, 0);
}

static void
test_ring_wrap (void)
{
  g_autoptr(MwSampleHistory) history = mw_sample_history_new (4);
  guint i;

  mw_sample_history_set_start_us (history, START_US);
  for (i = 0; i < 10; i++)
    {
      MwJobSample sample = make_sample (100 * i, i + 1, 1000 - i);

      mw_sample_history_push (history, &sample);
    }

  g_assert_cmpuint (mw_sample_history_get_n_samples (history), ==, 4);
  for (i = 0; i < 4; i++)
    {
      const MwJobSample *sample = mw_sample_history_get_sample (history, i);

      /* The oldest kept is the 7th pushed. */
      g_assert_cmpint (sample->time_us, ==, 100000 * (6 + i));
      g_assert_cmpuint (sample->iteration, ==, 7 + i);
    }
  g_assert_cmpuint (mw_sample_history_get_last (history)->iteration, ==, 10);
  /* Only kept samples count for the y range. */
  g_assert_cmpuint (mw_sample_history_get_max_bytes (history), ==, (1000 - 6) * MIB);
  /* Events are all kept. */
  g_assert_cmpuint (mw_sample_history_get_n_events (history), ==, 10);
}

static void
assert_same_history (MwSampleHistory *a,
                     MwSampleHistory *b)
{
  guint i;

  g_assert_cmpuint (mw_sample_history_get_n_samples (a), ==, mw_sample_history_get_n_samples (b));
  g_assert_cmpuint (mw_sample_history_get_n_events (a), ==, mw_sample_history_get_n_events (b));
  for (i = 0; i < mw_sample_history_get_n_samples (a); i++)
    g_assert_cmpmem (mw_sample_history_get_sample (a, i), sizeof (MwJobSample),
                     mw_sample_history_get_sample (b, i), sizeof (MwJobSample));
  for (i = 0; i < mw_sample_history_get_n_events (a); i++)
    {
      const MwHistoryEvent *ea = mw_sample_history_get_event (a, i);
      const MwHistoryEvent *eb = mw_sample_history_get_event (b, i);

      g_assert_cmpint (ea->time_us, ==, eb->time_us);
      g_assert_cmpint (ea->kind, ==, eb->kind);
      g_assert_cmpint (ea->value, ==, eb->value);
      g_assert_cmpstr (ea->text, ==, eb->text);
    }
}

static MwSampleHistory *
make_full_history (void)
{
  MwSampleHistory *history = mw_sample_history_new (100);
  MwJobSample sample;
  guint i;

  mw_sample_history_set_start_us (history, START_US);
  for (i = 0; i < 12; i++)
    {
      sample = make_sample (225 * i, i / 3 + 1, 256 - 10 * i);
      sample.data_total = 320 * MIB + i;
      sample.data_processed = 10 * MIB * i;
      sample.data_remaining = 7;
      sample.memory_processed = 11 * MIB * i;
      sample.expected_downtime_ms = 300 + i;
      sample.setup_time_ms = 3;
      sample.postcopy_requests = 0;
      sample.disk_total = 64 * MIB;
      sample.disk_processed = i;
      sample.disk_remaining = 64 * MIB - i;
      sample.have |= MW_JOB_HAVE_EXPECTED_DOWNTIME | MW_JOB_HAVE_DISK | MW_JOB_HAVE_THROTTLE;
      sample.auto_converge_throttle = i >= 6 ? 20 : 0;
      mw_sample_history_push (history, &sample);
    }
  sample = make_sample (3000, 4, 0);
  sample.state = MW_JOB_STATE_COMPLETED;
  sample.downtime_ms = 148;
  sample.have = MW_JOB_HAVE_DOWNTIME | MW_JOB_HAVE_MEMORY_REMAINING;
  mw_sample_history_push (history, &sample);

  mw_sample_history_add_event (history, START_US + 1000000, MW_HISTORY_EVENT_DOWNTIME_CHANGED,
                               5000, NULL);
  mw_sample_history_add_event (history, START_US + 1100000, MW_HISTORY_EVENT_SPEED_CHANGED, 0,
                               "");
  mw_sample_history_add_event (history, START_US + 2000000, MW_HISTORY_EVENT_FAILED, -1,
                               "a \"quoted\", comma'd\nmulti-line message");
  mw_sample_history_add_event (history, START_US + 3000000, MW_HISTORY_EVENT_COMPLETED, 0,
                               NULL);

  return history;
}

static void
test_csv_round_trip (void)
{
  g_autoptr(MwSampleHistory) history = make_full_history ();
  g_autoptr(MwSampleHistory) loaded = NULL;
  g_autoptr(MwSampleHistory) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *csv_again = NULL;

  dir = g_dir_make_tmp ("mw-history-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "trace.csv", NULL);

  g_assert_true (mw_sample_history_save_csv (history, path, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (path, &csv, NULL, &error));
  g_assert_true (g_str_has_prefix (csv, "record,time_us,state,have,elapsed_ms,"));
  g_assert_nonnull (strstr (csv, ",auto_converge_throttle,event,value,text\n"));
  g_assert_nonnull (strstr (csv, "\nsample,0,running,"));
  g_assert_nonnull (strstr (csv, ",pass,2,\n"));

  loaded = mw_sample_history_load_csv (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpint (mw_sample_history_get_start_us (loaded), ==, 0);
  assert_same_history (history, loaded);

  /* The loaded copy writes the same file again. */
  csv_again = mw_sample_history_to_csv (loaded);
  g_assert_cmpstr (csv, ==, csv_again);

  /* Pushing to a loaded trace keeps counting passes from where it stopped. */
  copy = mw_sample_history_copy (history);
  assert_same_history (history, copy);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_csv_malformed (void)
{
  g_autoptr(MwSampleHistory) history = make_full_history ();
  g_autofree char *csv = mw_sample_history_to_csv (history);
  g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);
  g_autofree char *header = g_strconcat (lines[0], "\n", NULL);
  struct
  {
    const char *body;
    int code;
    const char *needle;
  } cases[] = {
    { "", MW_SAMPLE_HISTORY_ERROR_HEADER, "Line 1 of" },
    { "time,remaining\n1,2\n", MW_SAMPLE_HISTORY_ERROR_HEADER, "Line 1 of" },
    { NULL, MW_SAMPLE_HISTORY_ERROR_LINE,
      "Line 3 of “bad.csv”: “12x” in column memory_remaining" },
    { NULL, MW_SAMPLE_HISTORY_ERROR_LINE, "Line 2 of “bad.csv”: 3 fields" },
    { NULL, MW_SAMPLE_HISTORY_ERROR_LINE,
      "Line 2 of “bad.csv”: “walking” in column state" },
    { NULL, MW_SAMPLE_HISTORY_ERROR_LINE, "Line 2 of “bad.csv”: “blip” is neither" },
    { NULL, MW_SAMPLE_HISTORY_ERROR_LINE, "Line 2 of “bad.csv”: a quoted field" },
    { NULL, MW_SAMPLE_HISTORY_ERROR_LINE, "Line 2 of “bad.csv”: “party” in column event" },
  };
  g_auto(GStrv) fields = g_strsplit (lines[1], ",", -1);
  g_autofree char *bad_number = NULL;
  g_autofree char *bad_count = g_strconcat (header, "sample,1,running\n", NULL);
  g_autofree char *bad_state = NULL;
  g_autofree char *bad_record = NULL;
  g_autofree char *bad_quote = NULL;
  g_autofree char *bad_event = NULL;
  g_autofree char *joined = NULL;
  guint i;

  /* Line 3: the second sample row with a broken memory_remaining (column 10). */
  for (i = 2; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "sample,"))
      {
        g_auto(GStrv) second = g_strsplit (lines[i], ",", -1);

        g_free (second[10]);
        second[10] = g_strdup ("12x");
        joined = g_strjoinv (",", second);
        bad_number = g_strconcat (header, lines[1], "\n", joined, "\n", NULL);
        g_clear_pointer (&joined, g_free);
        break;
      }
  g_assert_nonnull (bad_number);

  g_free (fields[2]);
  fields[2] = g_strdup ("walking");
  joined = g_strjoinv (",", fields);
  bad_state = g_strconcat (header, joined, "\n", NULL);
  g_clear_pointer (&joined, g_free);

  g_free (fields[0]);
  fields[0] = g_strdup ("blip");
  g_free (fields[2]);
  fields[2] = g_strdup ("running");
  joined = g_strjoinv (",", fields);
  bad_record = g_strconcat (header, joined, "\n", NULL);

  bad_quote = g_strconcat (header, "event,1,\"never closed\n", NULL);

  for (i = 1; lines[i] != NULL; i++)
    if (strstr (lines[i], ",pass,") != NULL)
      {
        g_autoptr(GString) row = g_string_new (lines[i]);

        g_string_replace (row, ",pass,", ",party,", 1);
        bad_event = g_strconcat (header, row->str, "\n", NULL);
        break;
      }
  g_assert_nonnull (bad_event);

  cases[2].body = bad_number;
  cases[3].body = bad_count;
  cases[4].body = bad_state;
  cases[5].body = bad_record;
  cases[6].body = bad_quote;
  cases[7].body = bad_event;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MwSampleHistory) loaded = NULL;

      g_test_message ("case %u", i);
      loaded = mw_sample_history_parse_csv (cases[i].body, "bad.csv", &error);
      g_assert_null (loaded);
      g_assert_error (error, MW_SAMPLE_HISTORY_ERROR, cases[i].code);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, cases[i].needle));
    }

  /* A missing file is a file error. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (mw_sample_history_load_csv ("/nonexistent/trace.csv", &error));
    g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  }
}

static void
test_csv_blank_and_crlf (void)
{
  g_autoptr(MwSampleHistory) history = make_full_history ();
  g_autofree char *csv = mw_sample_history_to_csv (history);
  g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);
  g_autofree char *crlf = g_strjoinv ("\r\n", lines);
  g_autoptr(MwSampleHistory) loaded = NULL;
  g_autoptr(GError) error = NULL;

  /* Windows line ends survive a spreadsheet round trip; the multi-line text keeps its LF. */
  loaded = mw_sample_history_parse_csv (crlf, "crlf.csv", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mw_sample_history_get_n_samples (loaded), ==,
                    mw_sample_history_get_n_samples (history));
  g_assert_cmpuint (mw_sample_history_get_n_events (loaded), ==,
                    mw_sample_history_get_n_events (history));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mw/sample-history/push-and-events", test_push_and_events);
  g_test_add_func ("/mw/sample-history/start-from-first-push", test_start_from_first_push);
  g_test_add_func ("/mw/sample-history/ring-wrap", test_ring_wrap);
  g_test_add_func ("/mw/sample-history/csv-round-trip", test_csv_round_trip);
  g_test_add_func ("/mw/sample-history/csv-malformed", test_csv_malformed);
  g_test_add_func ("/mw/sample-history/csv-blank-and-crlf", test_csv_blank_and_crlf);

  return g_test_run ();
}
