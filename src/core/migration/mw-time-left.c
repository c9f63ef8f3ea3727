/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-time-left.c: the time-left estimate and its range.
 *
 * Pure functions; see the header. The arithmetic is mw_convergence_precopy_seconds (), fed
 * with smoothed rates, and with one correction for where the newest sample sits in its pass:
 * what is left falls during a pass, while what the guest dirtied since the pass began only
 * comes back at the next bitmap sync, so it is added to what is left (at most all of memory).
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "mw-time-left.h"

/* Weight of the newest reading in the smoothed rates. */
#define SMOOTHING 0.3

G_DEFINE_BOXED_TYPE (MwTimeLeft, mw_time_left, mw_time_left_copy, mw_time_left_free)

MwTimeLeft *
mw_time_left_copy (const MwTimeLeft *self)
{
  MwTimeLeft *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->convergence = self->convergence != NULL ? mw_convergence_copy (self->convergence) : NULL;
  copy->text = g_strdup (self->text);

  return copy;
}

void
mw_time_left_free (MwTimeLeft *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->convergence, mw_convergence_free);
  g_free (self->text);
  g_free (self);
}

/* A rate smoothed over the window, with its lowest and highest reading. */
typedef struct
{
  double smooth;
  double low;
  double high;
  guint n;
} Rate;

static void
rate_add (Rate   *rate,
          double  value)
{
  if (rate->n++ == 0)
    {
      rate->smooth = rate->low = rate->high = value;
      return;
    }
  rate->smooth += SMOOTHING * (value - rate->smooth);
  rate->low = MIN (rate->low, value);
  rate->high = MAX (rate->high, value);
}

static gint64
to_us (double seconds)
{
  if (!isfinite (seconds) || seconds < 0)
    return -1;
  if (seconds > (double) G_MAXINT64 / G_USEC_PER_SEC / 2)
    return G_MAXINT64 / 2;
  return (gint64) (seconds * G_USEC_PER_SEC);
}

/* What is left, plus what the guest dirtied since the newest pass began, at dirty_bps. */
static double
left_with_dirtied (const MwJobSample *last,
                   gint64             since_pass_us,
                   double             dirty_bps)
{
  double left = (double) last->memory_remaining + dirty_bps * since_pass_us / G_USEC_PER_SEC;

  if (last->memory_total > 0)
    left = MIN (left, (double) last->memory_total);
  return left;
}

static char *
describe_estimate (const MwTimeLeft *self)
{
  g_autofree char *about = mw_format_duration_us (self->remaining_us);
  g_autofree char *low = NULL;
  g_autofree char *high = NULL;

  if (self->high_us < 0)
    /* Translators: time left while the guest's dirty rate is not measured yet: what the first
     * copy of memory needs; what the guest writes meanwhile comes after it */
    return g_strdup_printf (_("about %s for the first copy of memory"), about);
  if (self->high_us < G_USEC_PER_SEC)
    /* Translators: time left */
    return g_strdup (_("under a second"));
  /* Steady rates, or a spread of under a second: no range. */
  if (self->high_us - self->low_us <= self->remaining_us * MW_TIME_LEFT_SETTLED_PERCENT / 100
      || self->high_us - self->low_us < G_USEC_PER_SEC)
    /* Translators: time left, e.g. "about 40 s" */
    return g_strdup_printf (_("about %s"), about);

  low = mw_format_duration_us (self->low_us);
  high = mw_format_duration_us (self->high_us);
  /* Translators: time left and its range, e.g. "about 40 s (30 s–55 s)" */
  return g_strdup_printf (_("about %s (%s–%s)"), about, low, high);
}

MwTimeLeft *
mw_time_left_estimate_samples (const MwJobSample          *samples,
                               guint                       n_samples,
                               const MwConvergenceContext *context)
{
  g_autoptr(MwTimeLeft) self = g_new0 (MwTimeLeft, 1);
  const MwConvergence *convergence;
  const MwJobSample *last;
  Rate throughput = { 0 };
  Rate dirty = { 0 };
  const MwJobSample *drain_from = NULL;
  gint64 pass_start_us;
  guint downtime_ms;
  double seconds;
  double low;
  double high;
  guint i;

  g_return_val_if_fail (samples != NULL || n_samples == 0, NULL);

  self->kind = MW_TIME_LEFT_UNKNOWN;
  self->remaining_us = self->low_us = self->high_us = -1;
  self->convergence = mw_convergence_assess_samples (samples, n_samples, context);
  convergence = self->convergence;
  if (n_samples == 0)
    return g_steal_pointer (&self);

  last = &samples[n_samples - 1];
  self->elapsed_us = (gint64) last->elapsed_ms * 1000;
  self->auto_converge = context != NULL && context->auto_converge;
  self->throttle_percent = last->auto_converge_throttle;
  switch (last->state)
    {
    case MW_JOB_STATE_COMPLETED:
      self->kind = MW_TIME_LEFT_DONE;
      self->remaining_us = self->low_us = self->high_us = 0;
      return g_steal_pointer (&self);
    case MW_JOB_STATE_POSTCOPY:
      /* Post-copy always ends: what is left at the throughput. */
      if (convergence->remaining_us >= 0)
        {
          self->kind = MW_TIME_LEFT_ESTIMATE;
          self->remaining_us = self->low_us = self->high_us = convergence->remaining_us;
          self->text = describe_estimate (self);
        }
      return g_steal_pointer (&self);
    case MW_JOB_STATE_RUNNING:
      break;
    case MW_JOB_STATE_NONE:
    case MW_JOB_STATE_FAILED:
    case MW_JOB_STATE_CANCELLED:
    default:
      return g_steal_pointer (&self);
    }

  if (convergence->verdict == MW_CONVERGENCE_STALLED)
    return g_steal_pointer (&self);

  /* The window's rates, oldest first; and where the newest pass began. */
  pass_start_us = last->time_us;
  for (i = 0; i < n_samples; i++)
    {
      const MwJobSample *sample = &samples[i];

      if (sample->iteration == last->iteration && sample->time_us < pass_start_us)
        pass_start_us = sample->time_us;
      if (sample->state != MW_JOB_STATE_RUNNING
          || sample->time_us < last->time_us - MW_TIME_LEFT_WINDOW_US)
        continue;
      if ((sample->have & MW_JOB_HAVE_THROUGHPUT) != 0 && sample->memory_bps > 0)
        rate_add (&throughput, (double) sample->memory_bps);
      if (drain_from == NULL && sample->iteration == last->iteration && sample->memory_total > 0)
        drain_from = sample;
      if ((sample->have & MW_JOB_HAVE_DIRTY_RATE) != 0 && sample->dirty_rate_bps > 0)
        rate_add (&dirty, (double) sample->dirty_rate_bps);
    }
  if (throughput.n == 0 && convergence->throughput_bps > 0)
    rate_add (&throughput, (double) convergence->throughput_bps);
  if (throughput.n == 0)
    return g_steal_pointer (&self);

  /* Pages of zeros move without their bytes: when what is left falls faster than the bytes
   * sent (an idle guest's untouched memory), that is the pace what is left goes at. */
  if (drain_from != NULL && last->time_us - drain_from->time_us >= G_USEC_PER_SEC / 2
      && drain_from->memory_remaining > last->memory_remaining)
    {
      double drain = (double) (drain_from->memory_remaining - last->memory_remaining)
                     * G_USEC_PER_SEC / (double) (last->time_us - drain_from->time_us);

      if (drain > throughput.smooth)
        {
          double factor = drain / throughput.smooth;

          throughput.smooth *= factor;
          throughput.low *= factor;
          throughput.high *= factor;
        }
    }
  self->throughput_bps = (guint64) throughput.smooth;
  self->dirty_rate_bps = (guint64) dirty.smooth;
  downtime_ms = context != NULL ? context->max_downtime_ms : 0;

  /* The guest outruns the link: said as soon as the smoothed rates show it (the convergence
   * verdict waits for several passes before it calls it). */
  if (convergence->verdict == MW_CONVERGENCE_NOT_CONVERGING
      || (dirty.n > 0 && dirty.smooth >= throughput.smooth))
    {
      self->kind = MW_TIME_LEFT_NEVER;
      if (convergence->verdict == MW_CONVERGENCE_NOT_CONVERGING)
        self->remedies = convergence->remedies;
      else
        {
          g_autoptr(MwConvergence) outrun = mw_convergence_copy (convergence);

          outrun->throughput_bps = self->throughput_bps;
          mw_convergence_add_remedies (outrun, context, last->memory_remaining);
          self->remedies = outrun->remedies;
          g_clear_pointer (&self->convergence, mw_convergence_free);
          self->convergence = g_steal_pointer (&outrun);
        }
      self->text = g_strdup (_("cannot finish at this rate"));
      return g_steal_pointer (&self);
    }

  seconds = mw_convergence_precopy_seconds (left_with_dirtied (last, last->time_us - pass_start_us,
                                                               dirty.smooth),
                                            throughput.smooth, dirty.smooth, downtime_ms);
  low = mw_convergence_precopy_seconds (left_with_dirtied (last, last->time_us - pass_start_us,
                                                           dirty.low),
                                        throughput.high, dirty.low, downtime_ms);
  high = mw_convergence_precopy_seconds (left_with_dirtied (last, last->time_us - pass_start_us,
                                                            dirty.high),
                                         throughput.low, dirty.high, downtime_ms);

  self->kind = MW_TIME_LEFT_ESTIMATE;
  self->remaining_us = to_us (seconds);
  self->low_us = MIN (to_us (low), self->remaining_us);
  /* Before QEMU measured a dirty rate, later passes cannot be told: no upper bound. */
  self->high_us = dirty.n == 0 && last->iteration < 2 ? -1 : to_us (high);
  if (self->high_us >= 0)
    self->high_us = MAX (self->high_us, self->remaining_us);
  self->text = describe_estimate (self);

  return g_steal_pointer (&self);
}

MwTimeLeft *
mw_time_left_estimate (MwSampleHistory            *history,
                       const MwConvergenceContext *context)
{
  g_autofree MwJobSample *samples = NULL;
  const MwJobSample *last;
  guint n;
  guint first;
  guint changes = 0;
  guint i;

  g_return_val_if_fail (MW_IS_SAMPLE_HISTORY (history), NULL);

  /* The samples the convergence verdict needs (its passes), and at least the window. */
  n = mw_sample_history_get_n_samples (history);
  last = n > 0 ? mw_sample_history_get_sample (history, n - 1) : NULL;
  first = n;
  while (first > 0)
    {
      const MwJobSample *sample = mw_sample_history_get_sample (history, first - 1);

      if (first < n)
        {
          const MwJobSample *next = mw_sample_history_get_sample (history, first);

          if (sample->iteration != next->iteration)
            changes++;
        }
      if (changes > MW_CONVERGENCE_PASSES
          && sample->time_us < last->time_us - MW_TIME_LEFT_WINDOW_US)
        break;
      first--;
    }

  samples = g_new (MwJobSample, MAX (n - first, 1));
  for (i = first; i < n; i++)
    samples[i - first] = *mw_sample_history_get_sample (history, i);

  return mw_time_left_estimate_samples (samples, n - first, context);
}

gint64
mw_time_left_trace_end_us (MwSampleHistory *trace)
{
  guint n;

  g_return_val_if_fail (MW_IS_SAMPLE_HISTORY (trace), -1);

  n = mw_sample_history_get_n_samples (trace);
  for (guint i = n; i > 0; i--)
    {
      const MwJobSample *sample = mw_sample_history_get_sample (trace, i - 1);

      if (sample->state == MW_JOB_STATE_COMPLETED)
        return (gint64) sample->elapsed_ms * 1000;
    }
  return -1;
}

gint64
mw_time_left_trace_copy_start_us (MwSampleHistory *trace)
{
  guint n;

  g_return_val_if_fail (MW_IS_SAMPLE_HISTORY (trace), -1);

  n = mw_sample_history_get_n_samples (trace);
  for (guint i = 0; i < n; i++)
    {
      const MwJobSample *sample = mw_sample_history_get_sample (trace, i);
      gint64 start_us = (gint64) sample->elapsed_ms * 1000;

      if (sample->state != MW_JOB_STATE_RUNNING || sample->data_processed == 0)
        continue;
      if (sample->memory_bps > 0)
        start_us -= (gint64) ((double) sample->data_processed / sample->memory_bps
                              * G_USEC_PER_SEC);
      if (i > 0)
        start_us = MAX (start_us,
                        (gint64) mw_sample_history_get_sample (trace, i - 1)->elapsed_ms * 1000);
      return MAX (start_us, 0);
    }
  return -1;
}

MwTimeLeft *
mw_time_left_at_fraction (MwSampleHistory            *trace,
                          double                      fraction,
                          const MwConvergenceContext *context)
{
  MwConvergenceContext at = { 0 };
  gint64 end_us = mw_time_left_trace_end_us (trace);
  gint64 start_us = mw_time_left_trace_copy_start_us (trace);
  gint64 cut_us;
  guint n;
  guint last = G_MAXUINT;

  g_return_val_if_fail (MW_IS_SAMPLE_HISTORY (trace), NULL);

  if (end_us < 0 || start_us < 0)
    return NULL;
  if (context != NULL)
    at = *context;
  cut_us = start_us + (gint64) ((end_us - start_us) * fraction);
  n = mw_sample_history_get_n_samples (trace);
  for (guint i = 0; i < n; i++)
    {
      const MwJobSample *sample = mw_sample_history_get_sample (trace, i);

      if (sample->state == MW_JOB_STATE_RUNNING && (gint64) sample->elapsed_ms * 1000 <= cut_us)
        last = i;
    }
  if (last == G_MAXUINT)
    return NULL;

  for (guint i = 0; i < mw_sample_history_get_n_events (trace); i++)
    {
      const MwHistoryEvent *event = mw_sample_history_get_event (trace, i);

      if (event->time_us > mw_sample_history_get_sample (trace, last)->time_us)
        break;
      if (event->kind == MW_HISTORY_EVENT_DOWNTIME_CHANGED)
        at.max_downtime_ms = (guint) event->value;
      else if (event->kind == MW_HISTORY_EVENT_SPEED_CHANGED)
        at.bandwidth_mib_s = (guint) event->value;
    }

  {
    g_autofree MwJobSample *samples = g_new (MwJobSample, last + 1);

    for (guint i = 0; i <= last; i++)
      samples[i] = *mw_sample_history_get_sample (trace, i);
    return mw_time_left_estimate_samples (samples, last + 1, &at);
  }
}

char *
mw_time_left_describe_never (const MwTimeLeft *self)
{
  GString *text;
  g_autofree char *dirty = NULL;
  g_autofree char *rate = NULL;

  g_return_val_if_fail (self != NULL && self->kind == MW_TIME_LEFT_NEVER, NULL);

  dirty = mw_format_rate (self->dirty_rate_bps);
  rate = mw_format_rate (self->throughput_bps);
  text = g_string_new (NULL);
  if (self->dirty_rate_bps >= self->throughput_bps && self->dirty_rate_bps > 0)
    g_string_append_printf (text, _("It cannot finish at this rate: the guest dirties memory at "
                                    "%s and the link moves %s."), dirty, rate);
  else
    g_string_append (text, _("It cannot finish at this rate: the memory left to copy is not "
                             "shrinking."));
  if (self->auto_converge && self->throttle_percent < 99)
    g_string_append_printf (text, "\n%s",
                            _("Auto-converge is slowing the guest down step by step: it may "
                              "still finish once the guest writes slowly enough."));
  for (guint bit = 1; bit <= MW_REMEDY_RESTART_POSTCOPY; bit <<= 1)
    if ((self->remedies & bit) != 0)
      {
        g_autofree char *line = mw_convergence_describe_remedy (self->convergence, bit);

        g_string_append_printf (text, "\n• %s", line);
      }

  return g_string_free (text, FALSE);
}
