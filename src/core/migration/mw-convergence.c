/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-convergence.c: the convergence verdict, its estimate and its remedies.
 *
 * Pure functions; see the header for the rules. The arithmetic, with R the memory left, T the
 * throughput, d the dirty rate and D the allowed downtime: each pass sends what the previous
 * one left while the guest dirties d per second, so R shrinks by d/T per pass, and the copy
 * switches over once R ≤ T·D. Summing that series gives about (R − T·D) / (T − d) + D
 * (mw_convergence_precopy_seconds, shared with mw-time-left.c).
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "mw-convergence.h"

#define MIB (1024.0 * 1024.0)

G_DEFINE_BOXED_TYPE (MwConvergence, mw_convergence, mw_convergence_copy, mw_convergence_free)

/* One memory pass, as seen in the samples. */
typedef struct
{
  guint64 iteration;
  guint64 start_remaining;    /* memory_remaining of the pass's first sample */
  gboolean have_start;
  guint64 dirty_rate_bps;     /* last non-zero reading in the pass */
  guint64 throughput_bps;     /* last non-zero reading in the pass */
} PassSummary;

MwConvergence *
mw_convergence_copy (const MwConvergence *self)
{
  MwConvergence *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->message = g_strdup (self->message);

  return copy;
}

void
mw_convergence_free (MwConvergence *self)
{
  if (self == NULL)
    return;

  g_free (self->message);
  g_free (self);
}

void
mw_convergence_context_init_from_options (MwConvergenceContext     *context,
                                          const MwMigrationOptions *options)
{
  const char *stall;

  g_return_if_fail (context != NULL);

  memset (context, 0, sizeof *context);
  stall = g_getenv ("MW_CONVERGENCE_STALL_US");
  if (stall != NULL)
    context->stall_us = g_ascii_strtoll (stall, NULL, 10);
  if (options == NULL)
    return;

  context->max_downtime_ms = options->max_downtime_ms;
  context->bandwidth_mib_s = options->bandwidth_mib_s;
  context->auto_converge = options->auto_converge;
  context->postcopy_allowed = options->postcopy;
}

/* Formatting */

char *
mw_format_rate (guint64 bytes_per_s)
{
  double mib = bytes_per_s / MIB;

  if (mib >= 10)
    return g_strdup_printf (_("%.0f MiB/s"), mib);
  if (mib >= 1)
    return g_strdup_printf (_("%.1f MiB/s"), mib);

  return g_strdup_printf (_("%.0f KiB/s"), bytes_per_s / 1024.0);
}

char *
mw_format_bytes (guint64 bytes)
{
  double mib = bytes / MIB;

  if (mib >= 1024)
    return g_strdup_printf (_("%.1f GiB"), mib / 1024);
  if (mib >= 10)
    return g_strdup_printf (_("%.0f MiB"), mib);
  if (mib >= 1)
    return g_strdup_printf (_("%.1f MiB"), mib);

  return g_strdup_printf (_("%.0f KiB"), bytes / 1024.0);
}

char *
mw_format_duration_us (gint64 duration_us)
{
  double seconds = MAX (duration_us, 0) / (double) G_USEC_PER_SEC;
  gint64 whole;

  if (seconds < 10)
    return g_strdup_printf (_("%.1f s"), seconds);
  if (seconds < 60)
    return g_strdup_printf (_("%.0f s"), seconds);

  whole = (gint64) llround (seconds);
  if (whole < 3600)
    /* Translators: minutes and seconds */
    return g_strdup_printf (_("%d min %d s"), (int) (whole / 60), (int) (whole % 60));

  /* Translators: hours and minutes */
  return g_strdup_printf (_("%d h %d min"), (int) (whole / 3600), (int) (whole % 3600 / 60));
}

/* Assessment */

static guint
summarise_passes (const MwJobSample *samples,
                  guint              n_samples,
                  PassSummary       *passes,
                  guint              max_passes)
{
  guint n_passes = 0;
  guint i;

  for (i = 0; i < n_samples; i++)
    {
      const MwJobSample *sample = &samples[i];
      PassSummary *pass;

      if ((sample->have & MW_JOB_HAVE_ITERATION) == 0 || sample->iteration == 0)
        continue;

      if (n_passes == 0 || passes[n_passes - 1].iteration != sample->iteration)
        {
          /* Keep the newest max_passes: shift the oldest out. */
          if (n_passes == max_passes)
            {
              memmove (passes, passes + 1, (max_passes - 1) * sizeof *passes);
              n_passes--;
            }
          pass = &passes[n_passes++];
          memset (pass, 0, sizeof *pass);
          pass->iteration = sample->iteration;
          if ((sample->have & MW_JOB_HAVE_MEMORY_REMAINING) != 0)
            {
              pass->start_remaining = sample->memory_remaining;
              pass->have_start = TRUE;
            }
        }
      pass = &passes[n_passes - 1];

      if ((sample->have & MW_JOB_HAVE_DIRTY_RATE) != 0 && sample->dirty_rate_bps > 0)
        pass->dirty_rate_bps = sample->dirty_rate_bps;
      if ((sample->have & MW_JOB_HAVE_THROUGHPUT) != 0 && sample->memory_bps > 0)
        pass->throughput_bps = sample->memory_bps;
    }

  return n_passes;
}

/* Newest throughput: libvirt's memory_bps, else what memory_processed grew by over time. */
static guint64
newest_throughput (const MwJobSample *samples,
                   guint              n_samples)
{
  guint i;

  for (i = n_samples; i > 0; i--)
    {
      const MwJobSample *sample = &samples[i - 1];

      if ((sample->have & MW_JOB_HAVE_THROUGHPUT) != 0 && sample->memory_bps > 0)
        return sample->memory_bps;
    }

  for (i = n_samples; i > 1; i--)
    {
      const MwJobSample *a = &samples[i - 2];
      const MwJobSample *b = &samples[i - 1];

      if (b->time_us > a->time_us && b->memory_processed > a->memory_processed)
        return (guint64) ((double) (b->memory_processed - a->memory_processed) * G_USEC_PER_SEC
                          / (double) (b->time_us - a->time_us));
    }

  return 0;
}

static guint64
newest_dirty_rate (const MwJobSample *samples,
                   guint              n_samples)
{
  guint i;

  for (i = n_samples; i > 0; i--)
    {
      const MwJobSample *sample = &samples[i - 1];

      if ((sample->have & MW_JOB_HAVE_DIRTY_RATE) != 0 && sample->dirty_rate_bps > 0)
        return sample->dirty_rate_bps;
    }

  return 0;
}

/* How long the newest samples have shown the same bytes moved; 0 before any byte moved (the
 * destination's QEMU may take seconds to start). */
static gint64
stalled_for_us (const MwJobSample *samples,
                guint              n_samples)
{
  const MwJobSample *last = &samples[n_samples - 1];
  guint first = n_samples - 1;

  if (last->data_processed == 0)
    return 0;
  while (first > 0 && samples[first - 1].data_processed == last->data_processed)
    first--;
  return last->time_us - samples[first].time_us;
}

static gint64
seconds_to_us (double seconds)
{
  if (!isfinite (seconds) || seconds < 0)
    return -1;
  if (seconds > (double) G_MAXINT64 / G_USEC_PER_SEC)
    return G_MAXINT64;

  return (gint64) (seconds * G_USEC_PER_SEC);
}

static void add_remedies (MwConvergence              *result,
                          const MwConvergenceContext *context,
                          guint64                     floor_remaining,
                          guint                       downtime_ms);

double
mw_convergence_precopy_seconds (double remaining,
                                double throughput_bps,
                                double dirty_rate_bps,
                                guint  downtime_ms)
{
  double budget;

  if (throughput_bps <= 0)
    return -1;
  if (downtime_ms == 0)
    downtime_ms = MW_CONVERGENCE_DEFAULT_DOWNTIME_MS;
  budget = throughput_bps * downtime_ms / 1000.0;

  /* It fits in one switch-over, or the dirty rate is not measured yet: the copy of what is
   * left is all that can be told. */
  if (remaining <= budget || dirty_rate_bps <= 0)
    return remaining / throughput_bps;
  if (dirty_rate_bps >= throughput_bps)
    return -1;

  return (remaining - budget) / (throughput_bps - dirty_rate_bps) + downtime_ms / 1000.0;
}

void
mw_convergence_add_remedies (MwConvergence              *result,
                             const MwConvergenceContext *context,
                             guint64                     floor_remaining)
{
  static const MwConvergenceContext no_context = { 0 };
  guint downtime_ms;

  g_return_if_fail (result != NULL);

  if (context == NULL)
    context = &no_context;
  downtime_ms = context->max_downtime_ms != 0 ? context->max_downtime_ms
                                              : MW_CONVERGENCE_DEFAULT_DOWNTIME_MS;
  result->bandwidth_cap_mib_s = context->bandwidth_mib_s;
  if (result->throughput_bps > 0)
    add_remedies (result, context, MAX (floor_remaining, 1), downtime_ms);
}

/* ms, rounded up to the next 100 ms, with a 20 % margin for what the guest dirties meanwhile. */
static guint
downtime_for (guint64 bytes,
              guint64 throughput_bps)
{
  double ms = (double) bytes / (double) throughput_bps * 1000.0 * 1.2;

  ms = ceil (ms / 100.0) * 100.0;

  return (guint) CLAMP (ms, 100.0, (double) G_MAXUINT);
}

static void
add_remedies (MwConvergence              *result,
              const MwConvergenceContext *context,
              guint64                     floor_remaining,
              guint                       downtime_ms)
{
  guint suggested;

  suggested = downtime_for (floor_remaining, result->throughput_bps);
  if (suggested > downtime_ms)
    {
      result->remedies |= MW_REMEDY_RAISE_DOWNTIME;
      result->suggested_downtime_ms = suggested;
    }

  if (context->bandwidth_mib_s != 0)
    result->remedies |= MW_REMEDY_REMOVE_BANDWIDTH_CAP;

  if (context->postcopy_allowed)
    result->remedies |= MW_REMEDY_SWITCH_TO_POSTCOPY;
  else
    result->remedies |= MW_REMEDY_RESTART_POSTCOPY;

  if (!context->auto_converge)
    result->remedies |= MW_REMEDY_RESTART_AUTO_CONVERGE;
}

MwConvergence *
mw_convergence_assess_samples (const MwJobSample          *samples,
                               guint                       n_samples,
                               const MwConvergenceContext *context)
{
  static const MwConvergenceContext no_context = { 0 };
  PassSummary passes[MW_CONVERGENCE_PASSES] = { { 0 } };
  g_autoptr(MwConvergence) result = g_new0 (MwConvergence, 1);
  const MwJobSample *last;
  guint n_passes;
  guint downtime_ms;
  guint64 budget;
  guint64 iteration;
  g_autofree char *rate_text = NULL;
  g_autofree char *dirty_text = NULL;
  g_autofree char *left_text = NULL;
  g_autofree char *time_text = NULL;
  guint i;

  g_return_val_if_fail (samples != NULL || n_samples == 0, NULL);

  if (context == NULL)
    context = &no_context;

  result->verdict = MW_CONVERGENCE_UNKNOWN;
  result->remaining_us = -1;
  result->bandwidth_cap_mib_s = context->bandwidth_mib_s;

  if (n_samples == 0)
    {
      result->message = g_strdup (_("Waiting for the first figures from the migration."));
      return g_steal_pointer (&result);
    }

  last = &samples[n_samples - 1];
  result->memory_remaining = last->memory_remaining;
  result->throughput_bps = newest_throughput (samples, n_samples);
  result->dirty_rate_bps = newest_dirty_rate (samples, n_samples);
  result->throttle_percent = last->auto_converge_throttle;
  iteration = (last->have & MW_JOB_HAVE_ITERATION) != 0 ? last->iteration : 0;
  left_text = mw_format_bytes (result->memory_remaining);

  switch (last->state)
    {
    case MW_JOB_STATE_COMPLETED:
      result->verdict = MW_CONVERGENCE_COMPLETING;
      result->remaining_us = 0;
      result->message = g_strdup (_("The migration has finished."));
      return g_steal_pointer (&result);

    case MW_JOB_STATE_POSTCOPY:
      result->verdict = MW_CONVERGENCE_COMPLETING;
      if (result->throughput_bps > 0)
        result->remaining_us =
          seconds_to_us ((double) result->memory_remaining / result->throughput_bps);
      result->message =
        g_strdup_printf (_("Post-copy: the guest already runs on the destination and fetches "
                           "its last %s of memory from the source."), left_text);
      return g_steal_pointer (&result);

    case MW_JOB_STATE_NONE:
    case MW_JOB_STATE_FAILED:
    case MW_JOB_STATE_CANCELLED:
      result->message = g_strdup (_("The migration is not running."));
      return g_steal_pointer (&result);

    case MW_JOB_STATE_RUNNING:
    default:
      break;
    }

  result->stalled_us = stalled_for_us (samples, n_samples);
  if (result->stalled_us > 0
      && result->stalled_us >= (context->stall_us > 0 ? context->stall_us
                                                      : MW_CONVERGENCE_DEFAULT_STALL_US))
    {
      g_autofree char *stalled_text = mw_format_duration_us (result->stalled_us);

      result->verdict = MW_CONVERGENCE_STALLED;
      result->throughput_bps = 0;
      result->message =
        g_strdup_printf (_("No data has moved for %s: the migration stream is stuck. The "
                           "network between the two hosts may be down or blocked."),
                         stalled_text);
      return g_steal_pointer (&result);
    }

  if (result->throughput_bps == 0)
    {
      result->message = g_strdup (_("Waiting for the first throughput figures."));
      return g_steal_pointer (&result);
    }

  downtime_ms = context->max_downtime_ms != 0 ? context->max_downtime_ms
                                              : MW_CONVERGENCE_DEFAULT_DOWNTIME_MS;
  budget = (guint64) ((double) result->throughput_bps * downtime_ms / 1000.0);
  rate_text = mw_format_rate (result->throughput_bps);
  dirty_text = mw_format_rate (result->dirty_rate_bps);

  n_passes = summarise_passes (samples, n_samples, passes, G_N_ELEMENTS (passes));

  /* Rule 1: the guest dirties memory at least as fast as the link moves it, pass after pass. */
  if (n_passes == MW_CONVERGENCE_PASSES)
    {
      gboolean outrun = TRUE;

      for (i = 0; i < n_passes && outrun; i++)
        outrun = passes[i].dirty_rate_bps > 0 && passes[i].throughput_bps > 0
                 && passes[i].dirty_rate_bps >= passes[i].throughput_bps;

      if (outrun)
        {
          guint64 floor_remaining = G_MAXUINT64;
          g_autofree char *pass_dirty = mw_format_rate (passes[n_passes - 1].dirty_rate_bps);
          g_autofree char *pass_rate = mw_format_rate (passes[n_passes - 1].throughput_bps);

          /* What a switch-over would have to send: the least left at a pass start (mid-pass
           * readings fall lower, but QEMU only decides after a bitmap sync). */
          for (i = 0; i < n_passes; i++)
            if (passes[i].have_start && passes[i].iteration >= 2)
              floor_remaining = MIN (floor_remaining, passes[i].start_remaining);
          if (floor_remaining == G_MAXUINT64)
            floor_remaining = result->memory_remaining;

          result->verdict = MW_CONVERGENCE_NOT_CONVERGING;
          result->message =
            g_strdup_printf (_("The guest dirties memory at %s but the link moves %s: this "
                               "migration will not finish."), pass_dirty, pass_rate);
          add_remedies (result, context, MAX (floor_remaining, 1), downtime_ms);
          return g_steal_pointer (&result);
        }
    }

  /* Rule 2: what is left at the start of each pass stays above what one switch-over could
   * send, and does not shrink. Pass 1 starts with all of memory, so it is left out. */
  if (n_passes == MW_CONVERGENCE_PASSES)
    {
      gboolean stalled = TRUE;
      guint64 floor_remaining = G_MAXUINT64;

      for (i = 0; i < n_passes && stalled; i++)
        {
          stalled = passes[i].iteration >= 2 && passes[i].have_start
                    && passes[i].start_remaining > budget;
          if (stalled && i > 0)
            stalled = passes[i].start_remaining * 100.0
                      > passes[i - 1].start_remaining * (100.0 - MW_CONVERGENCE_MIN_DROP_PERCENT);
          if (stalled)
            floor_remaining = MIN (floor_remaining, passes[i].start_remaining);
        }

      if (stalled)
        {
          g_autofree char *floor_text = mw_format_bytes (floor_remaining);

          result->verdict = MW_CONVERGENCE_NOT_CONVERGING;
          result->message =
            g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "The memory left to copy is not shrinking (at least "
                                          "%s at the start of each of the last %u pass): this "
                                          "migration will not finish.",
                                          "The memory left to copy is not shrinking (at least "
                                          "%s at the start of each of the last %u passes): this "
                                          "migration will not finish.",
                                          n_passes),
                             floor_text, n_passes);
          add_remedies (result, context, floor_remaining, downtime_ms);
          return g_steal_pointer (&result);
        }
    }

  /* Pass 1 copies all of memory whatever the guest does: too early to judge. */
  if (iteration < 2)
    {
      result->message =
        g_strdup_printf (_("Too early to tell: the first copy of memory is still running (%s "
                           "left at %s)."), left_text, rate_text);
      return g_steal_pointer (&result);
    }

  /* Within a pass, what is left falls to nearly nothing before the next bitmap sync brings
   * back what the guest dirtied meanwhile; so a small remainder only means the end when the
   * guest is not known to dirty memory as fast as the link moves it. */
  if (result->memory_remaining <= budget && result->dirty_rate_bps < result->throughput_bps)
    {
      g_autofree char *downtime_text = mw_format_duration_us ((gint64) downtime_ms * 1000);

      result->verdict = MW_CONVERGENCE_COMPLETING;
      result->remaining_us =
        seconds_to_us ((double) result->memory_remaining / result->throughput_bps);
      result->message =
        g_strdup_printf (_("Almost done: the last %s fit within the allowed pause of %s."),
                         left_text, downtime_text);
      return g_steal_pointer (&result);
    }

  if (result->dirty_rate_bps >= result->throughput_bps)
    {
      /* Outrun now, but not yet for long enough to call it. */
      result->message =
        g_strdup_printf (_("Too early to tell: the guest dirties memory at %s, as fast as the "
                           "link moves it (%s)."), dirty_text, rate_text);
      return g_steal_pointer (&result);
    }

  result->verdict = MW_CONVERGENCE_CONVERGING;
  result->remaining_us =
    seconds_to_us (mw_convergence_precopy_seconds ((double) result->memory_remaining,
                                                   (double) result->throughput_bps,
                                                   (double) result->dirty_rate_bps,
                                                   downtime_ms));
  if (result->dirty_rate_bps > 0)
    {
      time_text = mw_format_duration_us (result->remaining_us);
      result->message =
        g_strdup_printf (_("The link moves %s, faster than the guest dirties memory (%s): about "
                           "%s left."), rate_text, dirty_text, time_text);
    }
  else
    {
      time_text = mw_format_duration_us (result->remaining_us);
      result->message =
        g_strdup_printf (_("The link moves %s and the memory left keeps shrinking: about %s "
                           "left."), rate_text, time_text);
    }

  return g_steal_pointer (&result);
}

MwConvergence *
mw_convergence_assess (MwSampleHistory            *history,
                       const MwConvergenceContext *context)
{
  g_autofree MwJobSample *samples = NULL;
  guint n;
  guint first;
  guint changes = 0;
  guint i;

  g_return_val_if_fail (MW_IS_SAMPLE_HISTORY (history), NULL);

  /* Only the last MW_CONVERGENCE_PASSES passes matter, plus the one before for whole passes:
   * walk back to where that pass began instead of copying the whole ring. */
  n = mw_sample_history_get_n_samples (history);
  first = n;
  while (first > 0)
    {
      const MwJobSample *sample = mw_sample_history_get_sample (history, first - 1);

      if (first < n)
        {
          const MwJobSample *next = mw_sample_history_get_sample (history, first);

          if (sample->iteration != next->iteration && ++changes > MW_CONVERGENCE_PASSES)
            break;
        }
      first--;
    }

  samples = g_new (MwJobSample, MAX (n - first, 1));
  for (i = first; i < n; i++)
    samples[i - first] = *mw_sample_history_get_sample (history, i);

  return mw_convergence_assess_samples (samples, n - first, context);
}

char *
mw_convergence_describe_remedy (const MwConvergence *self,
                                MwRemedy             remedy)
{
  g_return_val_if_fail (self != NULL, NULL);

  switch (remedy)
    {
    case MW_REMEDY_RAISE_DOWNTIME:
      {
        g_autofree char *downtime =
          mw_format_duration_us ((gint64) self->suggested_downtime_ms * 1000);

        return g_strdup_printf (_("Raise the maximum downtime to %s: the guest pauses about "
                                  "that long when it switches hosts."), downtime);
      }

    case MW_REMEDY_REMOVE_BANDWIDTH_CAP:
      return g_strdup_printf (_("Remove the bandwidth limit of %u MiB/s."),
                              self->bandwidth_cap_mib_s);

    case MW_REMEDY_SWITCH_TO_POSTCOPY:
      {
        g_autofree char *left = mw_format_bytes (self->memory_remaining);

        return g_strdup_printf (_("Switch to post-copy: the guest moves now and fetches the "
                                  "rest of its memory (%s) over the network."), left);
      }

    case MW_REMEDY_RESTART_AUTO_CONVERGE:
      return g_strdup (_("Cancel, then migrate again with auto-converge, which slows the guest "
                         "until its memory can be copied."));

    case MW_REMEDY_RESTART_POSTCOPY:
      return g_strdup (_("Cancel, then migrate again with post-copy allowed, and switch to it."));

    case MW_REMEDY_NONE:
    default:
      g_return_val_if_reached (NULL);
    }
}
