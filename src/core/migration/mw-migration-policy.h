/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-policy.h: the recommended options for one live migration, and why.
 *
 * One pure function of what is known before the migration starts: both hosts' capabilities
 * (mw-migration-caps), the guest's memory, the link's throughput (measured, or the user's cap),
 * the guest's dirty rate when measured (mw-dirty-rate.h; the _measured variants measure it
 * first), and the user's downtime limit.
 * It keeps the user's choices about where things go (persistence, storage, transport, TLS,
 * unsafe) and decides how the memory moves: live, max downtime, bandwidth, parallel
 * connections, auto-converge, post-copy after the first pass, compression. Each decision comes
 * with one plain sentence saying why.
 *
 * Whether pre-copy alone finishes is the forecast's own model (mw_convergence_precopy_seconds):
 * - it finishes within MW_POLICY_SLOW_FACTOR × one memory pass: neither auto-converge nor
 *   post-copy (nothing to gain, and post-copy's risk of a lost guest on a broken link);
 * - it finishes, but slowly: auto-converge (QEMU throttles the vCPUs only while needed);
 * - it never finishes (the guest dirties as fast as the link moves): post-copy, switched on
 *   after the first pass (postcopy_after_s = one memory pass at the link's speed, rounded up),
 *   where both hosts can; else auto-converge, with XBZRLE on a link slower than 1 Gbit/s;
 * - the dirty rate is not known: auto-converge, and post-copy after the first pass where both
 *   hosts can, as the safety net.
 * Post-copy and parallel connections are not combined (QEMU refused it before 10.1), so when
 * post-copy is chosen the memory goes in one stream. Pure: safe on any thread.
 */
#pragma once

#include <gio/gio.h>

#include "mw-migration-caps.h"
#include "mw-migration-options.h"

G_BEGIN_DECLS

/* Pre-copy predicted to take longer than this many memory passes counts as slow. */
#define MW_POLICY_SLOW_FACTOR 3

typedef struct
{
  const MwMigrationCaps *caps; /* both hosts and the guest; NULL: not known (nothing greyed) */
  guint64 memory_bytes;        /* the guest's memory; 0: caps' memory_kib, else not known */
  guint64 link_bps;            /* the link's throughput, bytes a second; 0: not known */
  gboolean link_is_cap;        /* link_bps is the user's bandwidth cap: kept as the cap */
  gint64 dirty_rate_bps;       /* the guest's dirty rate, bytes a second; -1: not measured */
  guint max_downtime_ms;       /* the user's limit; 0: QEMU's default (300 ms) */
} MwMigrationPolicyInput;

/* Sets input to "nothing known" (dirty rate -1, everything else 0). */
void                mw_migration_policy_input_init (MwMigrationPolicyInput       *input);

/* The recommended options: a copy of base with the memory-moving options decided, valid for
 * mw_migration_options_validate () and, when input->caps is set, mw_migration_caps_check ().
 * reasons (optional): one translated sentence per decision, in the order live, downtime,
 * bandwidth, parallel, convergence, compression. */
MwMigrationOptions *mw_migration_policy_recommend  (const MwMigrationOptions     *base,
                                                    const MwMigrationPolicyInput *input,
                                                    GStrv                        *reasons);

/* How long the measured variants let QEMU count the guest's dirty pages, seconds. */
#define MW_POLICY_DIRTY_WINDOW_S 1

/* Worker. mw_migration_policy_recommend () with the dirty rate measured first when input has
 * none (-1) and base is a live migration: on source_uri, for MW_POLICY_DIRTY_WINDOW_S
 * (mw-dirty-rate.h). Then reasons (optional) start with one more sentence, what was measured
 * ("The guest is dirtying about 44 MiB/s (measured over 1 s).") or why it could not be; the
 * policy then takes the rate as not known. Cancelled: NULL with G_IO_ERROR_CANCELLED. */
MwMigrationOptions *
mw_migration_policy_recommend_measured        (const MwMigrationOptions     *base,
                                               const MwMigrationPolicyInput *input,
                                               const char                   *source_uri,
                                               const char                   *domain,
                                               GCancellable                 *cancellable,
                                               GStrv                        *reasons,
                                               GError                      **error);
/* The same in a thread; base, input (and its caps), source_uri and domain are copied. */
void
mw_migration_policy_recommend_measured_async  (const MwMigrationOptions     *base,
                                               const MwMigrationPolicyInput *input,
                                               const char                   *source_uri,
                                               const char                   *domain,
                                               GCancellable                 *cancellable,
                                               GAsyncReadyCallback           callback,
                                               gpointer                      user_data);
MwMigrationOptions *
mw_migration_policy_recommend_measured_finish (GAsyncResult                 *result,
                                               GStrv                        *reasons,
                                               GError                      **error);

G_END_DECLS
