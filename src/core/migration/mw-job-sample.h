/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-job-sample.h: one reading of a migration job, taken from virDomainGetJobStats.
 *
 * Plain data, copied by value; safe on any thread. Byte counts are bytes, rates bytes/s.
 * A field libvirt did not report is 0 and its bit in `have` is clear.
 */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>

G_BEGIN_DECLS

typedef enum
{
  MW_JOB_HAVE_MEMORY_REMAINING   = 1 << 0,
  MW_JOB_HAVE_DIRTY_RATE         = 1 << 1,
  MW_JOB_HAVE_THROUGHPUT         = 1 << 2,
  MW_JOB_HAVE_ITERATION          = 1 << 3,
  MW_JOB_HAVE_EXPECTED_DOWNTIME  = 1 << 4,
  MW_JOB_HAVE_DOWNTIME           = 1 << 5,
  MW_JOB_HAVE_THROTTLE           = 1 << 6,
  MW_JOB_HAVE_DISK               = 1 << 7,
  MW_JOB_HAVE_DOWNTIME_NET       = 1 << 8,
} MwJobHave;

/* virDomainJobType, plus what we know of the outcome. */
typedef enum
{
  MW_JOB_STATE_NONE,
  MW_JOB_STATE_RUNNING,      /* VIR_DOMAIN_JOB_UNBOUNDED / BOUNDED */
  MW_JOB_STATE_POSTCOPY,     /* running, switched to post-copy */
  MW_JOB_STATE_COMPLETED,
  MW_JOB_STATE_FAILED,
  MW_JOB_STATE_CANCELLED,
} MwJobState;

typedef struct
{
  gint64 time_us;              /* monotonic time the sample was taken (g_get_monotonic_time) */
  guint64 elapsed_ms;          /* VIR_DOMAIN_JOB_TIME_ELAPSED */
  MwJobState state;
  guint have;                  /* MwJobHave bits */

  guint64 data_total;          /* memory + disk */
  guint64 data_processed;
  guint64 data_remaining;
  guint64 memory_total;
  guint64 memory_processed;
  guint64 memory_remaining;
  guint64 memory_bps;          /* throughput of the memory stream, VIR_DOMAIN_JOB_MEMORY_BPS */
  guint64 dirty_rate_bps;      /* VIR_DOMAIN_JOB_MEMORY_DIRTY_RATE (pages/s) × page size */
  guint64 page_size;           /* VIR_DOMAIN_JOB_MEMORY_PAGE_SIZE, 4096 when not reported */
  guint64 iteration;           /* VIR_DOMAIN_JOB_MEMORY_ITERATION: the pass, from 1 */
  guint64 postcopy_requests;
  guint64 expected_downtime_ms;
  guint64 downtime_ms;         /* only in completed-job statistics */
  guint64 downtime_net_ms;     /* the same less the control messages' network time; completed
                                * statistics only, when libvirt could time it */
  guint64 setup_time_ms;
  guint64 disk_total;
  guint64 disk_processed;
  guint64 disk_remaining;
  guint auto_converge_throttle; /* percent */
} MwJobSample;

/* Fills sample from virDomainGetJobStats output. type is its job type. time_us is stored as
 * given (the caller takes it right after the call returns). */
void   mw_job_sample_from_params (MwJobSample          *sample,
                                  int                   type,
                                  virTypedParameterPtr  params,
                                  int                   nparams,
                                  gint64                time_us);

/* Rate maths, kept apart so it is tested by itself: pages per second times page size, with the
 * page size defaulting to 4 KiB when libvirt gave none. */
guint64 mw_job_dirty_rate_bytes  (guint64 dirty_pages_per_s,
                                  guint64 page_size);

/* The whole migration's transfer rate at sample: the memory stream's (QEMU counts every
 * connection of a parallel migration in it) plus the disks being copied, from how far
 * disk_processed moved since prev (the sample before; NULL: memory only). 0 when unknown. */
guint64 mw_job_sample_total_bps  (const MwJobSample *prev,
                                  const MwJobSample *sample);

G_END_DECLS
