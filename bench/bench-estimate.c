/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-estimate: how far the time-left estimate was from the real end, in recorded traces.
 *
 *   _build/bench/bench-estimate TRACE.csv…        (bench/run-bench-estimate records them)
 *
 * For each trace (mig-wizard-cli migrate --csv, or the app's report CSV) and for 25 % and 50 %
 * of the copy (from its first byte to the completed job's time; libvirt's setup before it,
 * seconds in the lab, copies nothing and has no estimate): the estimate as the live page showed
 * it at the last sample by then,
 * the end it predicts (job time then + time left), the real end (the completed job's time),
 * the error in seconds and as a share of the real end, and whether the range held the real end.
 * Prints figures; exits 1 only when a trace cannot be read or never completed.
 */

#include "config.h"

#include <locale.h>

#include "mw-sample-history.h"
#include "mw-time-left.h"

static void
print_fraction (MwSampleHistory *trace,
                double           fraction,
                gint64           end_us)
{
  g_autoptr(MwTimeLeft) estimate = mw_time_left_at_fraction (trace, fraction, NULL);
  double at_s;
  double predicted_s;
  double error_s;
  g_autofree char *high = NULL;

  g_print ("  %3.0f %% of the copy  ", fraction * 100);
  if (estimate == NULL)
    {
      g_print ("no running sample that early\n");
      return;
    }
  at_s = estimate->elapsed_us / 1e6;
  switch (estimate->kind)
    {
    case MW_TIME_LEFT_ESTIMATE:
      predicted_s = at_s + estimate->remaining_us / 1e6;
      error_s = predicted_s - end_us / 1e6;
      high = estimate->high_us >= 0 ? g_strdup_printf ("%.1f", at_s + estimate->high_us / 1e6)
                                    : g_strdup ("open");
      g_print ("at %5.1f s  predicted end %6.1f s  error %+6.1f s (%+4.0f %%)  range %5.1f–%s s"
               "  %s  \"%s\"\n",
               at_s, predicted_s, error_s, error_s * 1e8 / end_us,
               at_s + estimate->low_us / 1e6,
               high,
               estimate->low_us <= end_us - estimate->elapsed_us
                 && (estimate->high_us < 0 || estimate->high_us >= end_us - estimate->elapsed_us)
                 ? "range holds it" : "range misses it",
               estimate->text);
      break;
    case MW_TIME_LEFT_NEVER:
      g_print ("at %5.1f s  says it cannot finish at this rate (dirty %.0f MiB/s, link %.0f MiB/s)\n",
               at_s, estimate->dirty_rate_bps / 1048576.0, estimate->throughput_bps / 1048576.0);
      break;
    case MW_TIME_LEFT_DONE:
    case MW_TIME_LEFT_UNKNOWN:
    default:
      g_print ("at %5.1f s  no estimate yet (%s)\n", at_s, estimate->convergence->message);
      break;
    }
}

int
main (int   argc,
      char *argv[])
{
  int status = 0;

  setlocale (LC_ALL, "");
  if (argc < 2)
    {
      g_printerr ("Usage: %s TRACE.csv…\n", argv[0]);
      return 2;
    }

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MwSampleHistory) trace = mw_sample_history_load_csv (argv[i], &error);
      g_autofree char *name = g_path_get_basename (argv[i]);
      gint64 end_us;

      if (trace == NULL)
        {
          g_printerr ("%s: %s\n", argv[i], error->message);
          status = 1;
          continue;
        }
      end_us = mw_time_left_trace_end_us (trace);
      if (end_us <= 0)
        {
          g_print ("%s: never completed\n", name);
          status = 1;
          continue;
        }
      g_print ("%s: copy from %.1f s to the real end %.1f s (libvirt job time), %u passes\n",
               name, mw_time_left_trace_copy_start_us (trace) / 1e6, end_us / 1e6,
               (guint) mw_sample_history_get_last (trace)->iteration);
      print_fraction (trace, 0.25, end_us);
      print_fraction (trace, 0.50, end_us);
    }

  return status;
}
