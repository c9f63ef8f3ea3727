/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-check-rules.h: the pre-flight checks themselves, for MwPreflight and the tests.
 *
 * Each check is an MwCheckSpec run in its own worker thread: a pure `eval` function of the facts
 * when they decide it, else a `run` function that probes the hosts (CPU comparison, name
 * resolution, ports, the dirty rate) and then calls a pure `mw_check_eval_*` function on the
 * facts and the probe's outcome. The tests call the eval functions with crafted facts. A spec's
 * optional `fix` also runs in a worker.
 * Results are translated sentences; `fix` texts carry exact commands.
 */
#pragma once

#include <gio/gio.h>
#include <libvirt/libvirt.h>

#include "mw-check.h"
#include "mw-check-facts.h"
#include "mw-convergence.h"
#include "mw-migration-caps.h"

G_BEGIN_DECLS

/* mw-check-caps-share.c: the pair's capabilities (mw_migration_caps_read ()), read once for
 * every check of one pre-flight run that judges them (zero-copy, post-copy): the first to ask
 * reads them, the others wait for its answer, an error included. Atomically refcounted; any
 * thread. */
typedef struct _MwCheckCapsShare MwCheckCapsShare;

MwCheckCapsShare      *mw_check_caps_share_new   (void);
MwCheckCapsShare      *mw_check_caps_share_ref   (MwCheckCapsShare   *share);
void                   mw_check_caps_share_unref (MwCheckCapsShare   *share);
/* Blocking, worker. The caps of facts' pair and domain, owned by share (valid while it is), or
 * NULL with the error of the one read. */
const MwMigrationCaps *mw_check_caps_share_get   (MwCheckCapsShare   *share,
                                                  const MwCheckFacts *facts,
                                                  GCancellable       *cancellable,
                                                  GError            **error);

/* What a check's worker gets. Connections may be NULL when that host could not be reached;
 * a spec that needs one is not run then (MwPreflight reports ERROR instead). */
typedef struct
{
  MwCheckFacts *facts;
  virConnectPtr sconn;
  virConnectPtr dconn;
  guint timeout_s;
  MwCheckCapsShare *caps;   /* the run's; NULL: the check reads the caps itself */
} MwCheckContext;

typedef enum /*< flags >*/
{
  MW_CHECK_NEEDS_NOTHING = 0,
  MW_CHECK_NEEDS_SOURCE  = 1 << 0,
  MW_CHECK_NEEDS_DEST    = 1 << 1,
  MW_CHECK_NEEDS_DOMAIN  = 1 << 2,
} MwCheckNeeds;

typedef void     (*MwCheckEvalFunc) (const MwCheckFacts *facts,
                                     MwCheckResult      *result);
typedef void     (*MwCheckRunFunc) (const MwCheckContext *context,
                                    MwCheckResult        *result,
                                    GCancellable         *cancellable);
typedef gboolean (*MwCheckFixFunc) (const MwCheckContext *context,
                                    GCancellable         *cancellable,
                                    GError              **error);

typedef struct
{
  const char *id;
  const char *title;        /* untranslated, marked for gettext: translate when shown */
  MwCheckNeeds needs;
  MwCheckEvalFunc eval;     /* the facts decide; NULL when run probes */
  MwCheckRunFunc run;       /* probes first; NULL when eval decides */
  MwCheckFixFunc fix;       /* NULL: the check only explains its fix */
} MwCheckSpec;

/* In display order. */
const MwCheckSpec *mw_check_specs_get      (guint *n_specs);

/* Where a probe of the source's view of the destination (name resolution, ports) ran. The
 * migration stream leaves from the source, with the source's own name resolution and routes, so
 * only SOURCE and LOCAL_SOURCE results may block; every result names its vantage point. */
typedef enum
{
  MW_VANTAGE_SOURCE,         /* on the source host, over ssh as the source URI's user */
  MW_VANTAGE_LOCAL_SOURCE,   /* on this computer, which is the source host (a local URI) */
  MW_VANTAGE_DESKTOP,        /* on this computer in the source's stead: it could not be asked */
} MwVantage;

typedef struct
{
  MwVantage kind;
  const char *why_not;       /* DESKTOP: why the source host was not asked; else NULL */
} MwVantagePoint;

/* The source host's name for the texts: the URI's host, else the name libvirt reports. */
char     *mw_check_source_name             (const MwCheckFacts *facts);
/* Asks the source host: runs command there over ssh when the source URI is qemu+ssh. SOURCE
 * when the source answered (*status is the command's exit status, *out what it printed);
 * otherwise nothing ran there, and the result is LOCAL_SOURCE for a local source URI, else
 * DESKTOP with *why_not saying why (ssh's own message, or the URI's transport). Blocking. */
MwVantage mw_check_ask_source              (const MwCheckContext *context,
                                            const char * const   *command,
                                            GCancellable         *cancellable,
                                            char                **out,
                                            int                  *status,
                                            char                **why_not);
/* Runs argv with a timeout; *status is the exit status (-1 when killed by the timeout). */
gboolean mw_check_spawn                    (const char * const *argv,
                                            guint               timeout_s,
                                            GCancellable       *cancellable,
                                            char              **out,
                                            int                *status,
                                            GError            **error);

/* mw-check-connection.c */
typedef enum
{
  MW_RESOLVE_NOT_CHECKED,   /* no name to look up, or no way to look it up where it matters */
  MW_RESOLVE_REMOTE,        /* resolves to an address that is not loopback */
  MW_RESOLVE_LOOPBACK,
  MW_RESOLVE_FAILED,
} MwResolveOutcome;

typedef struct
{
  const char *name;
  MwResolveOutcome outcome;
  const char *addresses;    /* what it resolved to, for the detail */
  MwVantagePoint vantage;   /* where it was looked up */
} MwResolveProbe;

typedef enum
{
  MW_PROBE_NOT_RUN,         /* no way to try from here */
  MW_PROBE_OK,
  MW_PROBE_FAILED,
  MW_PROBE_TIMED_OUT,
} MwProbeOutcome;

void mw_check_eval_connections   (const MwCheckFacts   *facts,
                                  MwCheckResult        *result);
void mw_check_eval_same_host     (const MwCheckFacts   *facts,
                                  MwCheckResult        *result);
void mw_check_eval_dest_hostname (const MwCheckFacts   *facts,
                                  const MwResolveProbe *probes,
                                  guint                 n_probes,
                                  MwCheckResult        *result);
/* output: what the probe printed (libvirt's error on failure). */
void mw_check_eval_peer_to_peer  (const MwCheckFacts   *facts,
                                  MwProbeOutcome        outcome,
                                  const char           *output,
                                  MwCheckResult        *result);
/* outcome: OK when a TCP connection to the port was accepted or actively refused (nothing
 * filters it), TIMED_OUT when it was dropped; vantage: where it was tried. */
void mw_check_eval_ports         (const MwCheckFacts   *facts,
                                  const char           *host,
                                  MwProbeOutcome        outcome,
                                  const MwVantagePoint *vantage,
                                  const char           *output,
                                  MwCheckResult        *result);

/* mw-check-cpu.c */
void mw_check_eval_hypervisor    (const MwCheckFacts   *facts,
                                  MwCheckResult        *result);
/* compare: a virCPUCompareResult, or -1 when the destination could not compare (message). */
void mw_check_eval_cpu           (const MwCheckFacts   *facts,
                                  int                   compare,
                                  const char           *message,
                                  MwCheckResult        *result);
void mw_check_eval_cpu_flags     (const MwCheckFacts   *facts,
                                  MwCheckResult        *result);
/* Features the source host CPU has and the destination's lacks; NULL-terminated, sorted. */
GStrv mw_check_missing_cpu_features (const MwHostFacts *source,
                                     const MwHostFacts *dest);

/* mw-check-domain.c */
void mw_check_eval_name          (const MwCheckFacts   *facts,
                                  MwCheckResult        *result);
void mw_check_eval_memory        (const MwCheckFacts   *facts,
                                  MwCheckResult        *result);
void mw_check_eval_devices       (const MwCheckFacts   *facts,
                                  MwCheckResult        *result);
void mw_check_eval_cluster       (const MwCheckFacts   *facts,
                                  MwCheckResult        *result);
/* A warning when the guest autostarts on the source and the migration keeps its definition
 * there (temporary): a reboot of the source would start a second copy. */
void mw_check_eval_autostart     (const MwCheckFacts   *facts,
                                  MwCheckResult        *result);
/* The fix: autostart off for the domain on the source. */
gboolean mw_check_fix_autostart  (const MwCheckContext *context,
                                  GCancellable         *cancellable,
                                  GError              **error);
/* The speed limit libvirt keeps on the guest for its migrations (MiB/s), 0 when none or not
 * said. A warning when a live migration with no bandwidth limit of its own would run at it. */
guint64  mw_check_leftover_speed (const MwCheckFacts   *facts);
void     mw_check_eval_speed_limit (const MwCheckFacts *facts,
                                    MwCheckResult      *result);
/* The fix: no speed limit for the guest on the source. */
gboolean mw_check_fix_speed_limit (const MwCheckContext *context,
                                   GCancellable         *cancellable,
                                   GError              **error);

/* mw-check-storage.c */
/* Whether the disk is on storage both hosts see: a network disk, or a pool with the same name
 * and target path on both. */
gboolean mw_check_disk_is_shared (const MwCheckFacts   *facts,
                                  const MwDiskFact     *disk);
/* mw-check-storage.c: what the source's libvirt will think of a shared pool's directory. libvirt
 * refuses to migrate a disk on a file system it does not know to be shared ("Migration without
 * shared storage is unsafe") unless qemu.conf's shared_filesystems lists its directory: the
 * classic trap is one host exporting its own disk directory over NFS to the other. */
typedef struct
{
  const char *dir;        /* the pool directory, as the source sees it */
  const char *fs_type;    /* what `stat -f -c %T` says there; NULL when it could not be asked */
  gboolean listed;        /* under a shared_filesystems entry of the source's qemu.conf */
  gboolean has_option;    /* the source's libvirt knows shared_filesystems (its qemu.conf names it) */
} MwSharedDirProbe;

void mw_check_eval_storage       (const MwCheckFacts   *facts,
                                  MwCheckResult        *result);
/* After mw_check_eval_storage passed: would the source's libvirt agree? Blocks when a directory
 * is on a local file system (ext4, xfs, btrfs, tmpfs…) that shared_filesystems does not list,
 * and says how to fix it on this pair (shared_filesystems where the source's libvirt has it,
 * else Unsafe knowingly or copying). Leaves result alone when nothing speaks against it. */
void mw_check_eval_storage_as_libvirt_sees (const MwCheckFacts     *facts,
                                             const MwSharedDirProbe *probes,
                                             guint                   n_probes,
                                             MwCheckResult          *result);
/* The directories listed by a qemu.conf text's shared_filesystems (comments ignored); NULL when
 * it sets none. *has_option: the text names the option at all (even commented out). */
GStrv mw_check_parse_shared_filesystems (const char *qemu_conf,
                                         gboolean   *has_option);
void mw_check_eval_disk_cache    (const MwCheckFacts   *facts,
                                  MwCheckResult        *result);
void mw_check_eval_lock_manager  (const MwCheckFacts   *facts,
                                  MwCheckResult        *result);
/* The fix: inactive domain XML with every shared, writable disk's cache set to none (through
 * libvirt-gconfig). NULL with an error when the XML does not parse. *n_changed may be NULL. */
char *mw_check_set_disk_cache_none (const MwCheckFacts *facts,
                                    const char         *inactive_xml,
                                    guint              *n_changed,
                                    GError            **error);

/* mw-check-network.c */
void mw_check_eval_network       (const MwCheckFacts   *facts,
                                  MwCheckResult        *result);

/* mw-check-forecast.c (MwForecast: mw-forecast.h) */

/* The link throughput the forecast assumes, in bytes/s, and one sentence saying where it comes
 * from: the caller's figure (facts->link_bps), the bandwidth cap, or a default per transport. */
guint64 mw_check_estimate_link   (const MwCheckFacts   *facts,
                                  char                **how);
/* Pure: memory to copy, the measured dirty rate, the working set the guest keeps rewriting (0:
 * none detected, i.e. bounded only by memory), the link, the options. Within a pass of t
 * seconds the guest dirties min (dirty_bps × t, working set) again. */
void mw_forecast_predict         (guint64                   memory_bytes,
                                  guint64                   dirty_bps,
                                  guint64                   working_set_bytes,
                                  guint64                   link_bps,
                                  const MwMigrationOptions *options,
                                  MwForecast               *forecast);
/* The same, knowing the link's own speed (raw_link_bps, 0: link_bps) when a bandwidth cap
 * holds the copy to link_bps: QEMU lifts the cap for the last copy while the guest is paused. */
void mw_forecast_predict_raw     (guint64                   memory_bytes,
                                  guint64                   dirty_bps,
                                  guint64                   working_set_bytes,
                                  guint64                   link_bps,
                                  guint64                   raw_link_bps,
                                  const MwMigrationOptions *options,
                                  MwForecast               *forecast);
/* dirty_bps: G_MAXUINT64 when the dirty rate could not be measured (message says why). */
void mw_check_eval_forecast      (const MwCheckFacts   *facts,
                                  guint64               dirty_bps,
                                  guint64               working_set_bytes,
                                  const char           *message,
                                  MwCheckResult        *result);
/* From QEMU's two measurements over a short and a long window: the dirty rate to forecast with
 * and the working set, 0 when none shows. QEMU counts the *distinct* pages dirtied in its
 * window, so a guest rewriting a small working set over and over looks slower over a long
 * window than over a short one. The set bounds what a pass can leave from above; a short pass
 * leaves less (what the guest dirtied meanwhile), so it is no floor. */
void mw_forecast_from_windows    (guint64                   short_bps,
                                  guint                     short_s,
                                  guint64                   long_bps,
                                  guint                     long_s,
                                  guint64                  *dirty_bps,
                                  guint64                  *working_set_bytes);

/* mw-check-zerocopy.c: PASSED when zero-copy can work (or nothing rules it out), else the
 * reason from mw_migration_caps_why_not () with the fix: BLOCKING when the options ask for
 * zero-copy, PASSED with the reason when they do not. */
void mw_check_eval_zerocopy      (const MwCheckFacts    *facts,
                                  const MwMigrationCaps *caps,
                                  MwCheckResult         *result);

/* mw-check-postcopy.c: PASSED when post-copy can work (or nothing rules it out), else the
 * reason from mw_migration_caps_why_not () with the fix: BLOCKING when the options ask for
 * post-copy, PASSED with the reason when they do not. */
void mw_check_eval_postcopy      (const MwCheckFacts    *facts,
                                  const MwMigrationCaps *caps,
                                  MwCheckResult         *result);

/* mw-check-zerocopy.c: an option the pair cannot do, BLOCKING when chosen, else PASSED with OFF. */
void mw_check_result_set_unavailable (MwCheckResult *result,
                                      gboolean       chosen,
                                      const char    *why,
                                      const char    *off,
                                      const char    *detail,
                                      const char    *fix);

/* mw-check-zerocopy.c: gets the pair's capabilities (context->caps, read once per run) and
 * lets EVAL judge them (the zero-copy and post-copy checks); a pair that cannot be read is the
 * check's ERROR. */
typedef void (*MwCheckCapsEval) (const MwCheckFacts    *facts,
                                 const MwMigrationCaps *caps,
                                 MwCheckResult         *result);
void mw_check_run_on_caps        (const MwCheckContext *context,
                                  MwCheckResult        *result,
                                  GCancellable         *cancellable,
                                  MwCheckCapsEval       eval);

/* The run functions of the checks that probe, for the spec table in mw-check-rules.c. */
void mw_check_run_dest_hostname  (const MwCheckContext *context, MwCheckResult *result, GCancellable *cancellable);
void mw_check_run_peer_to_peer   (const MwCheckContext *context, MwCheckResult *result, GCancellable *cancellable);
void mw_check_run_ports          (const MwCheckContext *context, MwCheckResult *result, GCancellable *cancellable);
void mw_check_run_cpu            (const MwCheckContext *context, MwCheckResult *result, GCancellable *cancellable);
void mw_check_run_storage        (const MwCheckContext *context, MwCheckResult *result, GCancellable *cancellable);
gboolean mw_check_fix_disk_cache (const MwCheckContext *context, GCancellable *cancellable, GError **error);
void mw_check_run_forecast       (const MwCheckContext *context, MwCheckResult *result, GCancellable *cancellable);
void mw_check_run_zerocopy       (const MwCheckContext *context, MwCheckResult *result, GCancellable *cancellable);
void mw_check_run_postcopy       (const MwCheckContext *context, MwCheckResult *result, GCancellable *cancellable);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwCheckCapsShare, mw_check_caps_share_unref)

G_END_DECLS
