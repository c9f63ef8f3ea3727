/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-convergence.c: verdicts, estimates and remedies on synthetic samples. */

#include "config.h"

#include <string.h>

#include "mw-convergence.h"

#define MIB (G_GUINT64_CONSTANT (1024) * 1024)

/* Appends the samples of one pass: `steps` samples 250 ms apart, memory left falling from
 * start_mib towards end_mib, at the given rates (MiB/s; dirty 0 = not measured). */
static void
add_pass (GArray  *samples,
          guint64  iteration,
          double   start_mib,
          double   end_mib,
          double   throughput_mib,
          double   dirty_mib,
          guint    steps)
{
  guint i;

  for (i = 0; i < steps; i++)
    {
      MwJobSample sample = { 0 };
      double left = start_mib + (end_mib - start_mib) * i / MAX (steps - 1, 1);

      sample.time_us = (gint64) samples->len * 250000;
      sample.elapsed_ms = (guint64) samples->len * 250;
      sample.state = MW_JOB_STATE_RUNNING;
      sample.have = MW_JOB_HAVE_MEMORY_REMAINING | MW_JOB_HAVE_ITERATION | MW_JOB_HAVE_THROUGHPUT
                    | MW_JOB_HAVE_DIRTY_RATE;
      sample.iteration = iteration;
      sample.memory_total = 256 * MIB;
      sample.memory_remaining = (guint64) (left * MIB);
      sample.memory_bps = (guint64) (throughput_mib * MIB);
      sample.dirty_rate_bps = (guint64) (dirty_mib * MIB);
      sample.page_size = 4096;
      g_array_append_val (samples, sample);
    }
}

static MwConvergence *
assess (GArray                     *samples,
        const MwConvergenceContext *context)
{
  return mw_convergence_assess_samples ((const MwJobSample *) (gpointer) samples->data,
                                        samples->len, context);
}

static void
test_empty (void)
{
  g_autoptr(MwConvergence) result = mw_convergence_assess_samples (NULL, 0, NULL);

  g_assert_cmpint (result->verdict, ==, MW_CONVERGENCE_UNKNOWN);
  g_assert_cmpint (result->remaining_us, ==, -1);
  g_assert_cmpuint (result->remedies, ==, MW_REMEDY_NONE);
  g_assert_nonnull (result->message);
}

static void
test_first_pass_unknown (void)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (MwJobSample));
  g_autoptr(MwConvergence) result = NULL;

  add_pass (samples, 1, 256, 100, 60, 0, 6);
  result = assess (samples, NULL);
  g_assert_cmpint (result->verdict, ==, MW_CONVERGENCE_UNKNOWN);
  g_assert_cmpstr (result->message, ==,
                   "Too early to tell: the first copy of memory is still running (100 MiB left "
                   "at 60 MiB/s).");
}

static void
test_no_throughput_unknown (void)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (MwJobSample));
  g_autoptr(MwConvergence) result = NULL;

  add_pass (samples, 1, 256, 256, 0, 0, 2);
  result = assess (samples, NULL);
  g_assert_cmpint (result->verdict, ==, MW_CONVERGENCE_UNKNOWN);
  g_assert_cmpuint (result->throughput_bps, ==, 0);
}

static void
test_throughput_from_processed (void)
{
  MwJobSample samples[2] = { { 0 } };
  g_autoptr(MwConvergence) result = NULL;

  /* No memory_bps: 50 MiB in 0.5 s is 100 MiB/s. */
  samples[0].state = samples[1].state = MW_JOB_STATE_RUNNING;
  samples[0].time_us = 0;
  samples[1].time_us = 500000;
  samples[0].memory_processed = 10 * MIB;
  samples[1].memory_processed = 60 * MIB;
  result = mw_convergence_assess_samples (samples, 2, NULL);
  g_assert_cmpuint (result->throughput_bps, ==, 100 * MIB);
}

static void
test_dirty_outruns_link (void)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (MwJobSample));
  g_autoptr(MwConvergence) result = NULL;
  MwConvergenceContext context = { 0 };
  g_autofree char *text = NULL;

  context.bandwidth_mib_s = 60;
  add_pass (samples, 1, 256, 10, 60, 0, 8);
  add_pass (samples, 2, 120, 10, 60, 64, 4);
  add_pass (samples, 3, 125, 10, 60, 64, 4);
  /* Two passes outrun: not yet enough. */
  result = assess (samples, &context);
  g_assert_cmpint (result->verdict, ==, MW_CONVERGENCE_UNKNOWN);
  g_assert_nonnull (strstr (result->message, "Too early to tell"));
  g_clear_pointer (&result, mw_convergence_free);

  add_pass (samples, 4, 122, 40, 60, 64, 3);
  result = assess (samples, &context);
  g_assert_cmpint (result->verdict, ==, MW_CONVERGENCE_NOT_CONVERGING);
  g_assert_cmpstr (result->message, ==,
                   "The guest dirties memory at 64 MiB/s but the link moves 60 MiB/s: this "
                   "migration will not finish.");
  g_assert_cmpint (result->remaining_us, ==, -1);
  g_assert_cmpuint (result->remedies, ==,
                    MW_REMEDY_RAISE_DOWNTIME | MW_REMEDY_REMOVE_BANDWIDTH_CAP
                    | MW_REMEDY_RESTART_POSTCOPY | MW_REMEDY_RESTART_AUTO_CONVERGE);
  /* The floor is 120 MiB at the start of pass 2; at 60 MiB/s that is 2 s, +20 %: 2.4 s. */
  g_assert_cmpuint (result->suggested_downtime_ms, ==, 2400);
  text = mw_convergence_describe_remedy (result, MW_REMEDY_RAISE_DOWNTIME);
  g_assert_cmpstr (text, ==, "Raise the maximum downtime to 2.4 s: the guest pauses about that "
                             "long when it switches hosts.");
  g_clear_pointer (&text, g_free);
  text = mw_convergence_describe_remedy (result, MW_REMEDY_REMOVE_BANDWIDTH_CAP);
  g_assert_cmpstr (text, ==, "Remove the bandwidth limit of 60 MiB/s.");
  g_clear_pointer (&text, g_free);
  text = mw_convergence_describe_remedy (result, MW_REMEDY_RESTART_AUTO_CONVERGE);
  g_assert_nonnull (strstr (text, "auto-converge"));
  g_clear_pointer (&text, g_free);

  /* Started with post-copy and auto-converge, no cap: switching is the live remedy. */
  context.bandwidth_mib_s = 0;
  context.postcopy_allowed = TRUE;
  context.auto_converge = TRUE;
  g_clear_pointer (&result, mw_convergence_free);
  result = assess (samples, &context);
  g_assert_cmpuint (result->remedies, ==, MW_REMEDY_RAISE_DOWNTIME | MW_REMEDY_SWITCH_TO_POSTCOPY);
  text = mw_convergence_describe_remedy (result, MW_REMEDY_SWITCH_TO_POSTCOPY);
  g_assert_cmpstr (text, ==, "Switch to post-copy: the guest moves now and fetches the rest of "
                             "its memory (40 MiB) over the network.");
  g_clear_pointer (&text, g_free);

  /* A downtime already above what is needed is not suggested again. */
  context.max_downtime_ms = 10000;
  g_clear_pointer (&result, mw_convergence_free);
  result = assess (samples, &context);
  g_assert_false (result->remedies & MW_REMEDY_RAISE_DOWNTIME);
  g_assert_cmpuint (result->suggested_downtime_ms, ==, 0);
}

static void
test_stalled (void)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (MwJobSample));
  g_autoptr(MwConvergence) result = NULL;

  /* Dirty rate never measured (0), but each pass starts with ~100 MiB again. */
  add_pass (samples, 1, 256, 5, 100, 0, 8);
  add_pass (samples, 2, 100, 5, 100, 0, 4);
  add_pass (samples, 3, 98, 5, 100, 0, 4);
  add_pass (samples, 4, 99, 50, 100, 0, 2);
  result = assess (samples, NULL);
  g_assert_cmpint (result->verdict, ==, MW_CONVERGENCE_NOT_CONVERGING);
  g_assert_cmpstr (result->message, ==,
                   "The memory left to copy is not shrinking (at least 98 MiB at the start of "
                   "each of the last 3 passes): this migration will not finish.");
  g_assert_true (result->remedies & MW_REMEDY_RAISE_DOWNTIME);
  g_assert_false (result->remedies & MW_REMEDY_REMOVE_BANDWIDTH_CAP);
  /* 98 MiB at 100 MiB/s, +20 %: 1176 ms, rounded up to 1.2 s. */
  g_assert_cmpuint (result->suggested_downtime_ms, ==, 1200);
}

/* Appends `steps` samples 250 ms apart of a pass-1 stream that moved `processed_mib` in all;
 * moving: 2 MiB more at each sample. */
static void
add_stream (GArray  *samples,
            guint    steps,
            gboolean moving)
{
  for (guint i = 0; i < steps; i++)
    {
      MwJobSample sample = { 0 };
      const MwJobSample *last = samples->len > 0
                                  ? &g_array_index (samples, MwJobSample, samples->len - 1)
                                  : NULL;

      sample.time_us = (gint64) samples->len * 250000;
      sample.state = MW_JOB_STATE_RUNNING;
      sample.have = MW_JOB_HAVE_MEMORY_REMAINING | MW_JOB_HAVE_ITERATION | MW_JOB_HAVE_THROUGHPUT;
      sample.iteration = 1;
      sample.memory_total = 256 * MIB;
      sample.data_processed = (last != NULL ? last->data_processed : 0) + (moving ? 2 * MIB : 0);
      sample.memory_processed = sample.data_processed;
      sample.memory_remaining = 256 * MIB - sample.memory_processed;
      /* libvirt keeps repeating the last rate it measured. */
      sample.memory_bps = 8 * MIB;
      g_array_append_val (samples, sample);
    }
}

/* The stream stops (a cut link): STALLED once nothing moved for the context's stall time,
 * throughput 0 whatever libvirt repeats; not before, and not before any byte moved. */
static void
test_stream_stalled (void)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (MwJobSample));
  g_autoptr(GArray) waiting = g_array_new (FALSE, FALSE, sizeof (MwJobSample));
  g_autoptr(MwConvergence) result = NULL;
  MwConvergenceContext context = { 0 };

  add_stream (samples, 8, TRUE);
  add_stream (samples, 16, FALSE);   /* 4 s without a byte */
  result = assess (samples, NULL);
  g_assert_cmpint (result->verdict, !=, MW_CONVERGENCE_STALLED);
  g_assert_cmpint (result->stalled_us, ==, 4 * G_USEC_PER_SEC);

  add_stream (samples, 8, FALSE);    /* 6 s */
  g_clear_pointer (&result, mw_convergence_free);
  result = assess (samples, NULL);
  g_assert_cmpint (result->verdict, ==, MW_CONVERGENCE_STALLED);
  g_assert_cmpint (result->stalled_us, ==, 6 * G_USEC_PER_SEC);
  g_assert_cmpuint (result->throughput_bps, ==, 0);
  g_assert_cmpint (result->remaining_us, ==, -1);
  g_assert_cmpuint (result->remedies, ==, MW_REMEDY_NONE);
  g_assert_cmpstr (result->message, ==,
                   "No data has moved for 6.0 s: the migration stream is stuck. The network "
                   "between the two hosts may be down or blocked.");

  /* A longer stall time in the context: not yet. */
  context.stall_us = 10 * G_USEC_PER_SEC;
  g_clear_pointer (&result, mw_convergence_free);
  result = assess (samples, &context);
  g_assert_cmpint (result->verdict, !=, MW_CONVERGENCE_STALLED);

  /* Moving again: no longer stalled. */
  add_stream (samples, 1, TRUE);
  g_clear_pointer (&result, mw_convergence_free);
  result = assess (samples, NULL);
  g_assert_cmpint (result->stalled_us, ==, 0);
  g_assert_cmpint (result->verdict, !=, MW_CONVERGENCE_STALLED);

  /* The destination's QEMU still starting: nothing moved yet is no stall. */
  add_stream (waiting, 40, FALSE);
  g_clear_pointer (&result, mw_convergence_free);
  result = assess (waiting, NULL);
  g_assert_cmpint (result->verdict, !=, MW_CONVERGENCE_STALLED);
}

/* MW_CONVERGENCE_STALL_US reaches the context (the lab and the job tests shorten it). */
static void
test_stall_env (void)
{
  MwConvergenceContext context;

  g_setenv ("MW_CONVERGENCE_STALL_US", "250000", TRUE);
  mw_convergence_context_init_from_options (&context, NULL);
  g_unsetenv ("MW_CONVERGENCE_STALL_US");
  g_assert_cmpint (context.stall_us, ==, 250000);
  mw_convergence_context_init_from_options (&context, NULL);
  g_assert_cmpint (context.stall_us, ==, 0);
}

static void
test_shrinking_converges (void)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (MwJobSample));
  g_autoptr(MwConvergence) result = NULL;

  /* 300 MiB/s link, 100 MiB/s dirty: each pass starts a third of the last. */
  add_pass (samples, 1, 1024, 100, 300, 0, 8);
  add_pass (samples, 2, 900, 300, 300, 100, 4);
  add_pass (samples, 3, 300, 200, 300, 100, 2);
  result = assess (samples, NULL);
  g_assert_cmpint (result->verdict, ==, MW_CONVERGENCE_CONVERGING);
  /* (200 − 90) / (300 − 100) + 0.3 = 0.85 s. */
  g_assert_cmpint (result->remaining_us, >=, 840000);
  g_assert_cmpint (result->remaining_us, <=, 860000);
  g_assert_cmpuint (result->remedies, ==, MW_REMEDY_NONE);
  g_assert_cmpstr (result->message, ==, "The link moves 300 MiB/s, faster than the guest dirties "
                                        "memory (100 MiB/s): about 0.8 s left.");
}

static void
test_converging_without_dirty_rate (void)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (MwJobSample));
  g_autoptr(MwConvergence) result = NULL;

  add_pass (samples, 1, 4096, 2000, 100, 0, 8);
  add_pass (samples, 2, 1500, 1200, 100, 0, 2);
  result = assess (samples, NULL);
  g_assert_cmpint (result->verdict, ==, MW_CONVERGENCE_CONVERGING);
  g_assert_cmpint (result->remaining_us, ==, 12 * G_USEC_PER_SEC);
  g_assert_cmpstr (result->message, ==, "The link moves 100 MiB/s and the memory left keeps "
                                        "shrinking: about 12 s left.");
}

static void
test_completing (void)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (MwJobSample));
  g_autoptr(MwConvergence) result = NULL;
  MwJobSample *last;

  add_pass (samples, 1, 256, 10, 300, 0, 4);
  add_pass (samples, 2, 30, 20, 300, 0, 2);
  /* 20 MiB at 300 MiB/s is 67 ms, within the default 300 ms. */
  result = assess (samples, NULL);
  g_assert_cmpint (result->verdict, ==, MW_CONVERGENCE_COMPLETING);
  g_assert_cmpstr (result->message, ==,
                   "Almost done: the last 20 MiB fit within the allowed pause of 0.3 s.");
  g_clear_pointer (&result, mw_convergence_free);

  /* Post-copy always completes. */
  last = &g_array_index (samples, MwJobSample, samples->len - 1);
  last->state = MW_JOB_STATE_POSTCOPY;
  last->memory_remaining = 150 * MIB;
  result = assess (samples, NULL);
  g_assert_cmpint (result->verdict, ==, MW_CONVERGENCE_COMPLETING);
  g_assert_cmpint (result->remaining_us, ==, G_USEC_PER_SEC / 2);
  g_assert_nonnull (strstr (result->message, "Post-copy"));
  g_clear_pointer (&result, mw_convergence_free);

  last->state = MW_JOB_STATE_COMPLETED;
  result = assess (samples, NULL);
  g_assert_cmpint (result->verdict, ==, MW_CONVERGENCE_COMPLETING);
  g_assert_cmpint (result->remaining_us, ==, 0);
  g_clear_pointer (&result, mw_convergence_free);

  last->state = MW_JOB_STATE_CANCELLED;
  result = assess (samples, NULL);
  g_assert_cmpint (result->verdict, ==, MW_CONVERGENCE_UNKNOWN);
}

static void
test_idle_guest_not_stalled (void)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (MwJobSample));
  g_autoptr(MwConvergence) result = NULL;

  /* Tiny, equal pass starts are below the downtime budget: completing, not stalled. */
  add_pass (samples, 1, 256, 1, 300, 0, 4);
  add_pass (samples, 2, 1, 1, 300, 0, 1);
  add_pass (samples, 3, 1, 1, 300, 0, 1);
  add_pass (samples, 4, 1, 1, 300, 0, 1);
  result = assess (samples, NULL);
  g_assert_cmpint (result->verdict, ==, MW_CONVERGENCE_COMPLETING);
}

static void
test_history (void)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (MwJobSample));
  g_autoptr(MwSampleHistory) history = mw_sample_history_new (1000);
  g_autoptr(MwConvergence) from_history = NULL;
  g_autoptr(MwConvergence) from_array = NULL;
  g_autoptr(MwConvergence) copy = NULL;
  g_autoptr(MwMigrationOptions) options = mw_migration_options_new_defaults ();
  MwConvergenceContext context;
  guint64 pass;
  guint i;

  options->bandwidth_mib_s = 60;
  mw_convergence_context_init_from_options (&context, options);
  g_assert_cmpuint (context.bandwidth_mib_s, ==, 60);
  g_assert_false (context.postcopy_allowed);

  /* Many passes: only the last few decide. */
  add_pass (samples, 1, 256, 10, 60, 0, 8);
  for (pass = 2; pass < 20; pass++)
    add_pass (samples, pass, 200 - pass, 10, 60, pass < 15 ? 30 : 64, 4);

  mw_sample_history_set_start_us (history, 0);
  for (i = 0; i < samples->len; i++)
    mw_sample_history_push (history, &g_array_index (samples, MwJobSample, i));

  from_history = mw_convergence_assess (history, &context);
  from_array = assess (samples, &context);
  g_assert_cmpint (from_history->verdict, ==, MW_CONVERGENCE_NOT_CONVERGING);
  g_assert_cmpint (from_history->verdict, ==, from_array->verdict);
  g_assert_cmpuint (from_history->remedies, ==, from_array->remedies);
  g_assert_cmpuint (from_history->suggested_downtime_ms, ==, from_array->suggested_downtime_ms);
  g_assert_cmpstr (from_history->message, ==, from_array->message);

  copy = mw_convergence_copy (from_history);
  g_assert_cmpstr (copy->message, ==, from_history->message);
  g_assert_true (copy->message != from_history->message);
}

static void
test_format (void)
{
  const struct
  {
    char *(*format) (guint64);
    guint64 value;
    const char *text;
  } cases[] = {
    { mw_format_rate, 64 * MIB, "64 MiB/s" },
    { mw_format_rate, 3 * MIB / 2, "1.5 MiB/s" },
    { mw_format_rate, 512 * 1024, "512 KiB/s" },
    { mw_format_bytes, 300 * MIB, "300 MiB" },
    { mw_format_bytes, 2355 * MIB, "2.3 GiB" },
    { mw_format_bytes, 2048, "2 KiB" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = cases[i].format (cases[i].value);

      g_assert_cmpstr (text, ==, cases[i].text);
    }

  {
    g_autofree char *a = mw_format_duration_us (4300000);
    g_autofree char *b = mw_format_duration_us (42 * G_USEC_PER_SEC);
    g_autofree char *c = mw_format_duration_us (125 * G_USEC_PER_SEC);
    g_autofree char *d = mw_format_duration_us ((gint64) 3 * 3600 * G_USEC_PER_SEC + 60000000);

    g_assert_cmpstr (a, ==, "4.3 s");
    g_assert_cmpstr (b, ==, "42 s");
    g_assert_cmpstr (c, ==, "2 min 5 s");
    g_assert_cmpstr (d, ==, "3 h 1 min");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mw/convergence/empty", test_empty);
  g_test_add_func ("/mw/convergence/first-pass-unknown", test_first_pass_unknown);
  g_test_add_func ("/mw/convergence/no-throughput-unknown", test_no_throughput_unknown);
  g_test_add_func ("/mw/convergence/throughput-from-processed", test_throughput_from_processed);
  g_test_add_func ("/mw/convergence/dirty-outruns-link", test_dirty_outruns_link);
  g_test_add_func ("/mw/convergence/stalled", test_stalled);
  g_test_add_func ("/mw/convergence/stream-stalled", test_stream_stalled);
  g_test_add_func ("/mw/convergence/stall-env", test_stall_env);
  g_test_add_func ("/mw/convergence/shrinking-converges", test_shrinking_converges);
  g_test_add_func ("/mw/convergence/converging-without-dirty-rate",
                   test_converging_without_dirty_rate);
  g_test_add_func ("/mw/convergence/completing", test_completing);
  g_test_add_func ("/mw/convergence/idle-guest-not-stalled", test_idle_guest_not_stalled);
  g_test_add_func ("/mw/convergence/history", test_history);
  g_test_add_func ("/mw/convergence/format", test_format);

  return g_test_run ();
}
