/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-job-sample.c: turning virDomainGetJobStats output into an MwJobSample.
 *
 * Pure functions, safe on any thread. What libvirt 9.0 / QEMU 7.2 report, and how it is read:
 * - "downtime" is QEMU's *expected* downtime while the job runs and the real downtime only in
 *   completed-job statistics (and not at all after an abort or a post-copy migration);
 *   "downtime_net", the same less the time libvirt's control messages spent between the hosts
 *   (by their clocks), is only in completed-job statistics, and only when libvirt timed that.
 * - "memory_dirty_rate" is pages/s, refreshed once per bitmap sync (at most once a second), so
 *   it stays 0 during short migrations and during the first pass.
 * - "memory_postcopy_requests" is only added once the destination asked for pages, which is
 *   the only sign of post-copy in the statistics themselves; the job also learns of the switch
 *   from the domain's lifecycle event and may set MW_JOB_STATE_POSTCOPY itself.
 */

#include "config.h"

#include <string.h>


#include "mw-job-sample.h"

#define DEFAULT_PAGE_SIZE 4096

guint64
mw_job_dirty_rate_bytes (guint64 dirty_pages_per_s,
                         guint64 page_size)
{
  if (page_size == 0)
    page_size = DEFAULT_PAGE_SIZE;

  /* Saturate rather than wrap on absurd input. */
  if (dirty_pages_per_s > G_MAXUINT64 / page_size)
    return G_MAXUINT64;

  return dirty_pages_per_s * page_size;
}

guint64
mw_job_sample_total_bps (const MwJobSample *prev,
                         const MwJobSample *sample)
{
  guint64 total = (sample->have & MW_JOB_HAVE_THROUGHPUT) != 0 ? sample->memory_bps : 0;

  if (prev != NULL && (sample->have & MW_JOB_HAVE_DISK) != 0 && (prev->have & MW_JOB_HAVE_DISK) != 0
      && sample->time_us > prev->time_us && sample->disk_processed > prev->disk_processed)
    total += (guint64) ((double) (sample->disk_processed - prev->disk_processed) * G_USEC_PER_SEC
                        / (double) (sample->time_us - prev->time_us));
  return total;
}

/* The parameter when it exists with this type; one of another type counts as missing. The type
 * is checked here, since virTypedParamsGet* would report (and print) a libvirt error for it. */
static virTypedParameterPtr
find_param (virTypedParameterPtr  params,
            int                   nparams,
            const char           *name,
            int                   type)
{
  virTypedParameterPtr param = virTypedParamsGet (params, nparams, name);

  return param != NULL && param->type == type ? param : NULL;
}

/* TRUE when the parameter exists as an unsigned long long. */
static gboolean
get_ullong (virTypedParameterPtr  params,
            int                   nparams,
            const char           *name,
            guint64              *value)
{
  virTypedParameterPtr param = find_param (params, nparams, name, VIR_TYPED_PARAM_ULLONG);

  if (param != NULL)
    *value = param->value.ul;
  return param != NULL;
}

static MwJobState
state_from_type (int type)
{
  switch (type)
    {
    case VIR_DOMAIN_JOB_BOUNDED:
    case VIR_DOMAIN_JOB_UNBOUNDED:
      return MW_JOB_STATE_RUNNING;
    case VIR_DOMAIN_JOB_COMPLETED:
      return MW_JOB_STATE_COMPLETED;
    case VIR_DOMAIN_JOB_FAILED:
      return MW_JOB_STATE_FAILED;
    case VIR_DOMAIN_JOB_CANCELLED:
      return MW_JOB_STATE_CANCELLED;
    case VIR_DOMAIN_JOB_NONE:
    default:
      return MW_JOB_STATE_NONE;
    }
}

void
mw_job_sample_from_params (MwJobSample          *sample,
                           int                   type,
                           virTypedParameterPtr  params,
                           int                   nparams,
                           gint64                time_us)
{
  guint64 dirty_pages = 0;
  guint64 downtime = 0;
  virTypedParameterPtr throttle;

  g_return_if_fail (sample != NULL);
  g_return_if_fail (params != NULL || nparams == 0);

  /* virTypedParamsGet resets libvirt's thread-local error, which needs the library
   * initialised; a no-op after the first call. */
  if (virInitialize () < 0)
    g_error ("Could not initialise libvirt");

  memset (sample, 0, sizeof *sample);
  sample->time_us = time_us;
  sample->state = state_from_type (type);
  sample->page_size = DEFAULT_PAGE_SIZE;

  if (nparams <= 0)
    return;

  get_ullong (params, nparams, VIR_DOMAIN_JOB_TIME_ELAPSED, &sample->elapsed_ms);
  get_ullong (params, nparams, VIR_DOMAIN_JOB_SETUP_TIME, &sample->setup_time_ms);

  get_ullong (params, nparams, VIR_DOMAIN_JOB_DATA_TOTAL, &sample->data_total);
  get_ullong (params, nparams, VIR_DOMAIN_JOB_DATA_PROCESSED, &sample->data_processed);
  get_ullong (params, nparams, VIR_DOMAIN_JOB_DATA_REMAINING, &sample->data_remaining);

  get_ullong (params, nparams, VIR_DOMAIN_JOB_MEMORY_TOTAL, &sample->memory_total);
  get_ullong (params, nparams, VIR_DOMAIN_JOB_MEMORY_PROCESSED, &sample->memory_processed);
  if (get_ullong (params, nparams, VIR_DOMAIN_JOB_MEMORY_REMAINING, &sample->memory_remaining))
    sample->have |= MW_JOB_HAVE_MEMORY_REMAINING;
  if (get_ullong (params, nparams, VIR_DOMAIN_JOB_MEMORY_BPS, &sample->memory_bps))
    sample->have |= MW_JOB_HAVE_THROUGHPUT;

  if (!get_ullong (params, nparams, VIR_DOMAIN_JOB_MEMORY_PAGE_SIZE, &sample->page_size)
      || sample->page_size == 0)
    sample->page_size = DEFAULT_PAGE_SIZE;
  if (get_ullong (params, nparams, VIR_DOMAIN_JOB_MEMORY_DIRTY_RATE, &dirty_pages))
    {
      sample->dirty_rate_bps = mw_job_dirty_rate_bytes (dirty_pages, sample->page_size);
      sample->have |= MW_JOB_HAVE_DIRTY_RATE;
    }

  if (get_ullong (params, nparams, VIR_DOMAIN_JOB_MEMORY_ITERATION, &sample->iteration))
    sample->have |= MW_JOB_HAVE_ITERATION;
  get_ullong (params, nparams, VIR_DOMAIN_JOB_MEMORY_POSTCOPY_REQS, &sample->postcopy_requests);

  if (get_ullong (params, nparams, VIR_DOMAIN_JOB_DOWNTIME, &downtime))
    {
      if (sample->state == MW_JOB_STATE_COMPLETED)
        {
          sample->downtime_ms = downtime;
          sample->have |= MW_JOB_HAVE_DOWNTIME;
        }
      else
        {
          sample->expected_downtime_ms = downtime;
          sample->have |= MW_JOB_HAVE_EXPECTED_DOWNTIME;
        }
    }

  if (sample->state == MW_JOB_STATE_COMPLETED
      && get_ullong (params, nparams, VIR_DOMAIN_JOB_DOWNTIME_NET, &sample->downtime_net_ms))
    sample->have |= MW_JOB_HAVE_DOWNTIME_NET;

  throttle = find_param (params, nparams, VIR_DOMAIN_JOB_AUTO_CONVERGE_THROTTLE,
                         VIR_TYPED_PARAM_INT);
  if (throttle != NULL)
    {
      sample->auto_converge_throttle = (guint) CLAMP (throttle->value.i, 0, 100);
      sample->have |= MW_JOB_HAVE_THROTTLE;
    }

  if (get_ullong (params, nparams, VIR_DOMAIN_JOB_DISK_TOTAL, &sample->disk_total))
    sample->have |= MW_JOB_HAVE_DISK;
  get_ullong (params, nparams, VIR_DOMAIN_JOB_DISK_PROCESSED, &sample->disk_processed);
  get_ullong (params, nparams, VIR_DOMAIN_JOB_DISK_REMAINING, &sample->disk_remaining);

  if (sample->state == MW_JOB_STATE_RUNNING && sample->postcopy_requests > 0)
    sample->state = MW_JOB_STATE_POSTCOPY;
}
