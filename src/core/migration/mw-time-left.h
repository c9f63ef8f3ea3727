/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-time-left.h: how long a live migration has left, with how sure that is.
 *
 * Pure functions over recent samples, on top of mw-convergence.h (its verdict, its pre-copy
 * series, its remedies). The throughput and dirty rate are smoothed over the last
 * MW_TIME_LEFT_WINDOW_US of samples; the range comes from their spread over that window (the
 * fastest link with the quietest guest, the slowest with the busiest), so it narrows once
 * the rates settle. During the first pass QEMU has not measured the dirty rate yet: the estimate
 * is then the first copy's alone, open above ("about 5 s for the first copy of memory"); pages of
 * zeros ahead (an idle guest's untouched memory) move without their bytes and may make it
 * shorter. A migration whose guest dirties memory at least as fast
 * as the link moves it cannot finish: the estimate says so, with the remedies.
 */
#pragma once

#include "mw-convergence.h"

G_BEGIN_DECLS

#define MW_TIME_LEFT_WINDOW_US (5 * G_USEC_PER_SEC)
/* A range narrower than this share of the estimate is not shown. */
#define MW_TIME_LEFT_SETTLED_PERCENT 20

typedef enum
{
  MW_TIME_LEFT_UNKNOWN,   /* no throughput yet, or not running */
  MW_TIME_LEFT_ESTIMATE,  /* remaining_us within [low_us, high_us] (high_us -1: open) */
  MW_TIME_LEFT_NEVER,     /* cannot finish at this rate; see remedies */
  MW_TIME_LEFT_DONE,      /* the job completed */
} MwTimeLeftKind;

typedef struct
{
  MwTimeLeftKind kind;
  gint64 remaining_us;         /* best guess, -1 unless ESTIMATE or DONE */
  gint64 low_us;               /* the range; equal to remaining_us when the rates are steady */
  gint64 high_us;              /* -1: no upper bound known yet */
  gint64 elapsed_us;           /* libvirt's job time at the newest sample */
  guint64 throughput_bps;      /* smoothed */
  guint64 dirty_rate_bps;      /* smoothed, 0 when not measured */
  MwRemedy remedies;           /* only for NEVER */
  gboolean auto_converge;      /* on, from the context: it may still end a NEVER */
  guint throttle_percent;      /* auto-converge's vCPU throttle, newest */
  MwConvergence *convergence;  /* what the estimate was built on */
  char *text;                  /* "about 40 s (30 s–55 s)", "cannot finish at this rate" … */
} MwTimeLeft;

#define MW_TYPE_TIME_LEFT (mw_time_left_get_type ())

GType       mw_time_left_get_type         (void) G_GNUC_CONST;
MwTimeLeft *mw_time_left_copy             (const MwTimeLeft *self);
void        mw_time_left_free             (MwTimeLeft       *self);

/* samples: oldest first, the same as mw_convergence_assess_samples () takes. */
MwTimeLeft *mw_time_left_estimate_samples (const MwJobSample          *samples,
                                           guint                       n_samples,
                                           const MwConvergenceContext *context);
/* The same over a history's kept samples (the last MW_CONVERGENCE_PASSES passes and at least
 * the window). */
MwTimeLeft *mw_time_left_estimate         (MwSampleHistory            *history,
                                           const MwConvergenceContext *context);

/* Replaying a recorded trace (the unit tests and bench/bench-estimate): libvirt's job time of
 * its completed sample in µs, -1 when it never completed. */
gint64      mw_time_left_trace_end_us     (MwSampleHistory            *trace);
/* libvirt's job time in µs when the copy began: the job's setup (the destination's QEMU
 * starting, seconds in the lab) copies nothing and no estimate exists before it. From the
 * first sample that moved data, less what it moved at its throughput; -1 if none moved. */
gint64      mw_time_left_trace_copy_start_us (MwSampleHistory         *trace);
/* The estimate as it stood at the newest running sample whose job time is at most fraction of
 * the way through the copy (copy start to the trace's end), the downtime and bandwidth events
 * until then applied to a copy of context; NULL when no sample is that early. */
MwTimeLeft *mw_time_left_at_fraction      (MwSampleHistory            *trace,
                                           double                      fraction,
                                           const MwConvergenceContext *context);

/* One translated paragraph for NEVER: why, then each remedy on its own line. */
char       *mw_time_left_describe_never   (const MwTimeLeft *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwTimeLeft, mw_time_left_free)

G_END_DECLS
