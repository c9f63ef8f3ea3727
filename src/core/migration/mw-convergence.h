/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-convergence.h: will this live migration finish, and what would help?
 *
 * Pure functions over recent samples. A memory pass is the set of samples with the same
 * `iteration`; a pass starts with what the guest dirtied during the previous one. The verdict:
 * - UNKNOWN: too early (no throughput yet, or fewer than MW_CONVERGENCE_PASSES passes to judge).
 * - NOT_CONVERGING: the dirty rate was at least the throughput in each of the last
 *   MW_CONVERGENCE_PASSES passes, or the memory left at the start of each of those passes did
 *   not fall (by MW_CONVERGENCE_MIN_DROP_PERCENT or more each time).
 * - COMPLETING: post-copy is running, the job reported completion, or (from pass 2 on) what is
 *   left fits within the allowed downtime at the current throughput while the guest is not
 *   known to dirty memory as fast as the link moves it.
 * - CONVERGING: otherwise, with an estimate of the time left.
 * - STALLED: a running pre-copy whose stream has moved no byte (data_processed unchanged) for
 *   the context's stall_us or longer — the network between the hosts is down or blocked, and
 *   no estimate or remedy means anything. Checked before everything else but COMPLETED and
 *   POSTCOPY.
 * QEMU refreshes the dirty rate once per ≥ 1 s bitmap sync, so a dirty rate of 0 counts as
 * "not measured", not as an idle guest.
 */
#pragma once

#include <glib-object.h>

#include "mw-job-sample.h"
#include "mw-migration-options.h"
#include "mw-sample-history.h"

G_BEGIN_DECLS

#define MW_CONVERGENCE_PASSES            3
#define MW_CONVERGENCE_MIN_DROP_PERCENT  5
/* QEMU's downtime limit when libvirt sets none. */
#define MW_CONVERGENCE_DEFAULT_DOWNTIME_MS 300
/* No byte moved for this long and a running migration is STALLED (MW_CONVERGENCE_STALL_US in
 * the environment overrides it, for tests). */
#define MW_CONVERGENCE_DEFAULT_STALL_US  (5 * G_USEC_PER_SEC)

typedef enum
{
  MW_CONVERGENCE_UNKNOWN,
  MW_CONVERGENCE_CONVERGING,
  MW_CONVERGENCE_NOT_CONVERGING,
  MW_CONVERGENCE_COMPLETING,
  MW_CONVERGENCE_STALLED,
} MwConvergenceVerdict;

/* What would help a migration that does not converge. The first three act on the running
 * migration; the RESTART ones need it aborted and started again with the option on, since
 * libvirt only takes those flags at the start. */
typedef enum /*< flags >*/
{
  MW_REMEDY_NONE                 = 0,
  MW_REMEDY_RAISE_DOWNTIME       = 1 << 0, /* virDomainMigrateSetMaxDowntime (suggested value) */
  MW_REMEDY_REMOVE_BANDWIDTH_CAP = 1 << 1, /* virDomainMigrateSetMaxSpeed (0 = unlimited) */
  MW_REMEDY_SWITCH_TO_POSTCOPY   = 1 << 2, /* virDomainMigrateStartPostCopy; started with it */
  MW_REMEDY_RESTART_AUTO_CONVERGE = 1 << 3, /* abort, restart with auto-converge */
  MW_REMEDY_RESTART_POSTCOPY     = 1 << 4, /* abort, restart with post-copy allowed */
} MwRemedy;

/* What is in effect for the running migration (the job updates it when a remedy is applied). */
typedef struct
{
  guint max_downtime_ms;     /* 0: QEMU's default, MW_CONVERGENCE_DEFAULT_DOWNTIME_MS */
  guint bandwidth_mib_s;     /* 0: unlimited */
  gboolean auto_converge;    /* started with auto-converge */
  gboolean postcopy_allowed; /* started with post-copy allowed */
  gint64 stall_us;           /* 0: MW_CONVERGENCE_DEFAULT_STALL_US */
} MwConvergenceContext;

typedef struct
{
  MwConvergenceVerdict verdict;
  MwRemedy remedies;             /* only for NOT_CONVERGING */
  gint64 remaining_us;           /* estimated time left; -1 when unknown or never */
  guint64 memory_remaining;      /* bytes, from the newest sample */
  guint64 throughput_bps;        /* newest measured */
  guint64 dirty_rate_bps;        /* newest measured, 0 if not yet */
  guint suggested_downtime_ms;   /* for MW_REMEDY_RAISE_DOWNTIME, else 0 */
  guint throttle_percent;        /* auto-converge's vCPU throttle, newest */
  guint bandwidth_cap_mib_s;     /* the context's cap, for MW_REMEDY_REMOVE_BANDWIDTH_CAP */
  gint64 stalled_us;             /* how long no byte has moved (newest samples); 0 if moving */
  char *message;                 /* one translated sentence for the user */
} MwConvergence;

#define MW_TYPE_CONVERGENCE (mw_convergence_get_type ())

GType          mw_convergence_get_type      (void) G_GNUC_CONST;
MwConvergence *mw_convergence_copy          (const MwConvergence        *self);
void           mw_convergence_free          (MwConvergence              *self);

/* Also reads MW_CONVERGENCE_STALL_US from the environment. */
void           mw_convergence_context_init_from_options (MwConvergenceContext     *context,
                                                         const MwMigrationOptions *options);

/* samples: oldest first (only the recent ones matter; passing all is fine). */
MwConvergence *mw_convergence_assess_samples (const MwJobSample          *samples,
                                              guint                       n_samples,
                                              const MwConvergenceContext *context);
/* The same over a history's kept samples. */
MwConvergence *mw_convergence_assess        (MwSampleHistory            *history,
                                             const MwConvergenceContext *context);

/* The pre-copy series in seconds: what is left, at the throughput, while the guest dirties
 * memory at dirty_rate_bps (0: not measured), until the rest fits in downtime_ms (0: QEMU's
 * default). remaining / throughput when the dirty rate is unknown or the rest fits already;
 * -1 when the guest dirties memory at least as fast as the link moves it. */
double         mw_convergence_precopy_seconds (double remaining,
                                               double throughput_bps,
                                               double dirty_rate_bps,
                                               guint  downtime_ms);

/* Sets result's remedies (and suggested downtime) for a migration that cannot finish, as
 * NOT_CONVERGING does, from result->throughput_bps and the least that is left at a pass start. */
void           mw_convergence_add_remedies  (MwConvergence              *result,
                                             const MwConvergenceContext *context,
                                             guint64                     floor_remaining);

/* One translated imperative line for a single remedy flag, with its figures (for a button or
 * a row: "Raise the maximum downtime to 4.3 s"). */
char          *mw_convergence_describe_remedy (const MwConvergence *self,
                                               MwRemedy             remedy);

/* "64 MiB/s", "1.5 MiB/s"; "300 MiB", "2.3 GiB"; "4.3 s", "2 min 5 s". Shared with the UI. */
char          *mw_format_rate               (guint64 bytes_per_s);
char          *mw_format_bytes              (guint64 bytes);
char          *mw_format_duration_us        (gint64  duration_us);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwConvergence, mw_convergence_free)

G_END_DECLS
