/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-time-left.c: the time-left estimate on traces recorded in the lab, and on made-up
 * samples for what a trace cannot show on demand.
 *
 * Traces in $MW_TEST_DATA (see estimate-traces.README): the converging ones (an idle guest, a
 * guest dirtying below the bandwidth cap) must have, at 25 % and at 50 % of libvirt's job
 * time, an estimate whose range holds the real end; lab-trace.csv (a guest dirtying 4× faster
 * than the capped link) must say it cannot finish before its remedy was applied.
 */

#include "config.h"

#include <string.h>

#include "mw-time-left.h"

#define MIB (G_GUINT64_CONSTANT (1024) * 1024)

static MwSampleHistory *
load_trace (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("MW_TEST_DATA"), name, NULL);
  g_autoptr(GError) error = NULL;
  MwSampleHistory *trace = mw_sample_history_load_csv (path, &error);

  g_assert_no_error (error);
  return trace;
}

typedef struct
{
  const char *trace;
  double fraction;        /* of the copy: from its start to the completed job's time */
  gboolean range_holds;   /* else: the estimate errs long (zero pages ahead) */
} TraceCase;

/* The estimate at a fraction of a converging trace's copy against its real end. */
static void
test_converging_trace (gconstpointer data)
{
  const TraceCase *c = data;
  g_autoptr(MwSampleHistory) trace = load_trace (c->trace);
  gint64 end_us = mw_time_left_trace_end_us (trace);
  g_autoptr(MwTimeLeft) left = mw_time_left_at_fraction (trace, c->fraction, NULL);
  g_autofree char *high = NULL;
  gint64 real_left_us;

  g_assert_cmpint (end_us, >, 0);
  g_assert_nonnull (left);
  g_assert_cmpint (left->kind, ==, MW_TIME_LEFT_ESTIMATE);
  g_assert_nonnull (left->text);
  real_left_us = end_us - left->elapsed_us;
  high = left->high_us < 0 ? g_strdup ("open")
                           : g_strdup_printf ("%.2f", (left->elapsed_us + left->high_us) / 1e6);
  g_test_message ("%s at %.0f %% of the copy: job time %.2f s, estimated end %.2f s (%.2f–%s s), "
                  "real end %.2f s: \"%s\"", c->trace, c->fraction * 100, left->elapsed_us / 1e6,
                  (left->elapsed_us + left->remaining_us) / 1e6,
                  (left->elapsed_us + left->low_us) / 1e6, high, end_us / 1e6, left->text);
  g_assert_cmpint (left->low_us, <=, left->remaining_us);
  if (left->high_us >= 0)
    g_assert_cmpint (left->high_us, >=, left->remaining_us);

  if (c->range_holds)
    {
      g_assert_cmpint (left->low_us, <=, real_left_us);
      if (left->high_us >= 0)
        g_assert_cmpint (left->high_us, >=, real_left_us);
    }
  else
    {
      /* Still in the first copy, whose rest was mostly pages of zeros: it went faster than
       * any rate seen so far, and the estimate said more, not less. */
      g_assert_cmpint (left->high_us, ==, -1);
      g_assert_cmpint (left->remaining_us, >, real_left_us);
    }
}

/* estimate-above.csv: the guest dirtied as fast as the 32 MiB/s link moved it, with
 * auto-converge on, which throttled it to the end (92 s, 24 passes): at 25 % and 50 % of the
 * copy the estimate says it cannot finish at this rate, and that auto-converge may still end it. */
static void
test_auto_converge_trace (void)
{
  g_autoptr(MwSampleHistory) trace = load_trace ("estimate-above.csv");
  MwConvergenceContext context = { .bandwidth_mib_s = 32, .auto_converge = TRUE };
  const double fractions[] = { 0.25, 0.50 };

  for (guint i = 0; i < G_N_ELEMENTS (fractions); i++)
    {
      g_autoptr(MwTimeLeft) left = mw_time_left_at_fraction (trace, fractions[i], &context);
      g_autofree char *why = NULL;

      g_assert_nonnull (left);
      g_assert_cmpint (left->kind, ==, MW_TIME_LEFT_NEVER);
      g_assert_cmpstr (left->text, ==, "cannot finish at this rate");
      g_assert_false (left->remedies & MW_REMEDY_RESTART_AUTO_CONVERGE);
      g_assert_true (left->remedies & MW_REMEDY_REMOVE_BANDWIDTH_CAP);
      why = mw_time_left_describe_never (left);
      g_assert_nonnull (strstr (why, "Auto-converge is slowing the guest"));
      g_assert_nonnull (strstr (why, "Remove the bandwidth limit of 32 MiB/s."));
    }
}

/* lab-trace.csv: the job said NOT_CONVERGING 8.3 s after its start and the test raised the
 * downtime; every estimate from the third pass until then says it cannot finish. */
static void
test_not_converging_trace (void)
{
  g_autoptr(MwSampleHistory) trace = load_trace ("lab-trace.csv");
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (MwJobSample));
  gint64 remedy_us = G_MAXINT64;
  guint never = 0;

  for (guint i = 0; i < mw_sample_history_get_n_events (trace); i++)
    {
      const MwHistoryEvent *event = mw_sample_history_get_event (trace, i);

      if (event->kind == MW_HISTORY_EVENT_DOWNTIME_CHANGED)
        remedy_us = MIN (remedy_us, event->time_us);
    }
  g_assert_cmpint (remedy_us, <, G_MAXINT64);

  for (guint i = 0; i < mw_sample_history_get_n_samples (trace); i++)
    {
      const MwJobSample *sample = mw_sample_history_get_sample (trace, i);
      g_autoptr(MwTimeLeft) left = NULL;

      if (sample->time_us >= remedy_us)
        break;
      g_array_append_val (samples, *sample);
      left = mw_time_left_estimate_samples ((MwJobSample *) samples->data, samples->len, NULL);
      g_test_message ("%.2f s pass %u: %s (%s)", sample->time_us / 1e6,
                      (guint) sample->iteration, left->text ? left->text : "-",
                      left->convergence->message);
      /* From the moment the convergence verdict calls it, the estimate says so too. */
      if (left->convergence->verdict == MW_CONVERGENCE_NOT_CONVERGING)
        {
          g_autofree char *why = NULL;

          g_assert_cmpint (left->kind, ==, MW_TIME_LEFT_NEVER);
          g_assert_cmpstr (left->text, ==, "cannot finish at this rate");
          g_assert_cmpint (left->remaining_us, ==, -1);
          /* What would help: the convergence's own remedies, described. */
          g_assert_true (left->remedies & MW_REMEDY_RESTART_AUTO_CONVERGE);
          why = mw_time_left_describe_never (left);
          g_assert_nonnull (strstr (why, "auto-converge"));
          never++;
        }
    }
  g_assert_cmpuint (never, >, 0);
}

/* Steady rates give "about …" with no range; moving rates a range around the estimate that
 * holds the figures the pre-copy series gives at either end. */
static void
push (GArray  *samples,
      guint64  iteration,
      double   left_mib,
      double   throughput_mib,
      double   dirty_mib)
{
  MwJobSample sample = { 0 };

  sample.time_us = (gint64) samples->len * 250000;
  sample.elapsed_ms = (guint64) samples->len * 250;
  sample.state = MW_JOB_STATE_RUNNING;
  sample.have = MW_JOB_HAVE_MEMORY_REMAINING | MW_JOB_HAVE_ITERATION | MW_JOB_HAVE_THROUGHPUT
                | MW_JOB_HAVE_DIRTY_RATE;
  sample.iteration = iteration;
  sample.memory_total = 4096 * MIB;
  sample.memory_remaining = (guint64) (left_mib * MIB);
  sample.memory_bps = (guint64) (throughput_mib * MIB);
  sample.dirty_rate_bps = (guint64) (dirty_mib * MIB);
  sample.data_processed = (samples->len + 1) * MIB;
  g_array_append_val (samples, sample);
}

static void
test_range (void)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (MwJobSample));
  g_autoptr(MwTimeLeft) steady = NULL;
  g_autoptr(MwTimeLeft) moving = NULL;
  g_autoptr(MwTimeLeft) first = NULL;
  g_autoptr(MwTimeLeft) outrun = NULL;
  MwConvergenceContext context = { .max_downtime_ms = 500 };

  /* Pass 1: no dirty rate yet, so no upper bound. */
  push (samples, 1, 1000, 100, 0);
  first = mw_time_left_estimate_samples ((MwJobSample *) samples->data, samples->len, &context);
  g_assert_cmpint (first->kind, ==, MW_TIME_LEFT_ESTIMATE);
  g_assert_cmpint (first->high_us, ==, -1);
  g_assert_cmpint (first->low_us, ==, 10 * G_USEC_PER_SEC);
  g_assert_cmpstr (first->text, ==, "about 10 s for the first copy of memory");

  /* Pass 2 at a steady 100 MiB/s with 20 MiB/s dirtied, 400 MiB left, nothing dirtied since
   * the pass began (one sample): (400 − 50) / 80 + 0.5 = 4.875 s, no range shown. */
  g_array_set_size (samples, 0);
  push (samples, 2, 400, 100, 20);
  steady = mw_time_left_estimate_samples ((MwJobSample *) samples->data, samples->len, &context);
  g_assert_cmpint (steady->kind, ==, MW_TIME_LEFT_ESTIMATE);
  g_assert_cmpint (steady->remaining_us, ==, 4875000);
  g_assert_cmpint (steady->low_us, ==, steady->remaining_us);
  g_assert_cmpint (steady->high_us, ==, steady->remaining_us);
  g_assert_cmpstr (steady->text, ==, "about 4.9 s");

  /* The throughput swings between 60 and 140 MiB/s: a range, around the estimate. */
  g_array_set_size (samples, 0);
  for (guint i = 0; i < 8; i++)
    push (samples, 2, 400, i % 2 ? 140 : 60, 20);
  moving = mw_time_left_estimate_samples ((MwJobSample *) samples->data, samples->len, &context);
  g_assert_cmpint (moving->kind, ==, MW_TIME_LEFT_ESTIMATE);
  g_assert_cmpint (moving->low_us, <, moving->remaining_us);
  g_assert_cmpint (moving->high_us, >, moving->remaining_us);
  /* The bounds are the series at the window's fastest link and slowest link, with what the
   * guest dirtied during the 1.75 s of this pass added. */
  g_assert_cmpfloat_with_epsilon (moving->high_us / 1e6,
                                  mw_convergence_precopy_seconds ((400 + 20 * 1.75) * MIB,
                                                                  60.0 * MIB, 20.0 * MIB, 500),
                                  1e-3);
  g_assert_cmpfloat_with_epsilon (moving->low_us / 1e6,
                                  mw_convergence_precopy_seconds ((400 + 20 * 1.75) * MIB,
                                                                  140.0 * MIB, 20.0 * MIB, 500),
                                  1e-3);
  g_assert_nonnull (strstr (moving->text, "–"));

  /* Dirtied as fast as the link moves it: cannot finish, with what would help, at once (the
   * convergence verdict still waits for more passes). */
  g_array_set_size (samples, 0);
  push (samples, 2, 400, 100, 120);
  outrun = mw_time_left_estimate_samples ((MwJobSample *) samples->data, samples->len, &context);
  g_assert_cmpint (outrun->kind, ==, MW_TIME_LEFT_NEVER);
  g_assert_cmpint (outrun->convergence->verdict, !=, MW_CONVERGENCE_NOT_CONVERGING);
  g_assert_true (outrun->remedies & MW_REMEDY_RESTART_AUTO_CONVERGE);
  g_assert_true (outrun->remedies & MW_REMEDY_RESTART_POSTCOPY);
}

int
main (int    argc,
      char **argv)
{
  /* Recorded in the lab by bench/run-bench-estimate (tests/data/estimate-traces.README). */
  static const TraceCase cases[] = {
    { "estimate-below.csv", 0.25, TRUE },
    { "estimate-below.csv", 0.50, TRUE },
    { "estimate-idle.csv", 0.25, FALSE },
    { "estimate-idle.csv", 0.50, TRUE },
  };

  g_setenv ("LC_ALL", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/mw/time-left/trace/%s/%.0f", cases[i].trace,
                                               cases[i].fraction * 100);

      g_test_add_data_func (path, &cases[i], test_converging_trace);
    }
  g_test_add_func ("/mw/time-left/trace/not-converging", test_not_converging_trace);
  g_test_add_func ("/mw/time-left/trace/auto-converge", test_auto_converge_trace);
  g_test_add_func ("/mw/time-left/range", test_range);

  return g_test_run ();
}
