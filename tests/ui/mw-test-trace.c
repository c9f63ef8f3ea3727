/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-test-trace.c: a migration to replay, for the chart's and the wizard's tests (mw-test-trace.h).
 *
 * The trace is $MW_TEST_DATA/lab-trace.csv (recorded in the lab) when present, else
 * synthetic-trace.csv, which test-chart writes with `--write-synthetic-trace PATH`: a
 * simulated pre-copy of a 4 GiB guest over 1 GbE that does not converge until auto-converge
 * throttles it and the allowed downtime is raised.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "mw-test-trace.h"

void
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

MwSampleHistory *
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
GArray *
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
