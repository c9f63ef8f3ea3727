/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-caps.h: which of the newer migration options work on this pair of hosts, and
 * if not, why, in one sentence.
 *
 * The facts (each host's libvirt and QEMU version and CPUs, and whether the guest's memory is
 * locked) are read once per pair by mw_migration_caps_read (); everything after is a pure
 * function of them, so tests give fake versions. A version of 0 means "not known": the option
 * is then not greyed, and libvirt has the last word.
 *
 * The rules, each from libvirt's and QEMU's own documentation:
 * - parallel connections (VIR_MIGRATE_PARALLEL, "parallel.connections"): libvirt 5.2;
 * - zero-copy (VIR_MIGRATE_ZEROCOPY): libvirt 8.5 and QEMU 7.1 (zero-copy-send), and the
 *   source's QEMU allowed to lock the pages it sends. libvirt sees to that itself: in
 *   qemuMigrationSrcRun it raises the QEMU process's RLIMIT_MEMLOCK (prlimit) to the guest's
 *   <memtune><hard_limit> when one is set, else to all its memory, for the migration's length,
 *   and puts it back after. Nothing in the domain's definition is needed. What can stop it is
 *   the host: raising a hard limit needs CAP_SYS_RESOURCE, which a daemon in a container or a
 *   capability-bounded service lacks ("cannot limit locked memory of process … Operation not
 *   permitted"); then QEMU's present limit must already be that high. Only the source matters
 *   (the destination receives normally). The probe reads the daemon's CapEff and QEMU's limit
 *   on the source, over ssh as the URI's user (or here, for a local URI);
 * - xbzrle: every supported version;
 * - mt (multithread compression): removed in QEMU 9.1;
 * - zlib, zstd (multifd compression): libvirt 9.4 on both hosts (the value of
 *   VIR_MIGRATE_PARAM_COMPRESSION, libvirt-domain.h "Supported compression methods: xbzrle, mt,
 *   zlib, zstd", since 9.4.0) and QEMU 5.0;
 * - post-copy: libvirt 1.3.3 and QEMU 2.5, and the destination's QEMU able to get a userfaultfd
 *   (mw-migration-caps-postcopy.c has the rules and where each comes from).
 */
#pragma once

#include <gio/gio.h> /* GCancellable, GAsyncResult */
#include <libvirt/libvirt.h>

#include "mw-migration-options.h"

G_BEGIN_DECLS

typedef enum
{
  MW_MIGRATION_FEATURE_PARALLEL,
  MW_MIGRATION_FEATURE_ZEROCOPY,
  MW_MIGRATION_FEATURE_XBZRLE,
  MW_MIGRATION_FEATURE_MT,
  MW_MIGRATION_FEATURE_ZLIB,
  MW_MIGRATION_FEATURE_ZSTD,
  MW_MIGRATION_FEATURE_POSTCOPY,
  MW_MIGRATION_N_FEATURES,
} MwMigrationFeature;

/* What decides whether QEMU on a host may open a userfaultfd (post-copy's incoming side), as
 * the probe read it there (mw_migration_caps_uffd_command). */
typedef struct
{
  gboolean probed;            /* FALSE: not asked (not qemu, not ssh/local, ssh failed) */
  int sysctl;                 /* /proc/sys/vm/unprivileged_userfaultfd: 0, 1; -1: no such file */
  gboolean have_dev;          /* /dev/userfaultfd exists (Linux 6.1) */
  guint dev_mode;             /* its permission bits, e.g. 0600 */
  guint dev_uid;
  char *qemu_user;            /* qemu.conf's user; NULL: the build's default (not root) */
  gboolean namespaces_off;    /* qemu.conf's namespaces = [ ] */
  gboolean keep_caps;         /* qemu.conf's clear_emulator_capabilities = 0 */
} MwUffdFacts;

typedef struct
{
  char *name;                 /* as the sentences name the host ("hostb") */
  gulong libvirt_version;     /* virConnectGetLibVersion: major * 1,000,000 + minor * 1,000 */
  gulong qemu_version;        /* virConnectGetVersion, the same encoding */
  guint cpus;                 /* virNodeGetInfo; 0: not known */
  MwUffdFacts uffd;
} MwMigrationHostFacts;

/* Can the source's libvirt raise its QEMU's locked-memory limit (CAP_SYS_RESOURCE)? */
typedef enum
{
  MW_MEMLOCK_UNKNOWN,         /* not asked (not qemu:///system, ssh failed): not greyed */
  MW_MEMLOCK_CAN_RAISE,
  MW_MEMLOCK_FIXED,           /* it cannot: QEMU's present hard limit is all there is */
} MwMemlockRaise;

typedef struct
{
  MwMigrationHostFacts source;
  MwMigrationHostFacts destination;
  gboolean memory_locked;     /* the guest's <memoryBacking><locked/> */
  guint64 hard_limit_kib;     /* the guest's <memtune><hard_limit>; 0: none */
  guint64 memory_kib;         /* the guest's <memory>; 0: not known */
  MwMemlockRaise memlock_raise;
  char *memlock_daemon;       /* the source's libvirt daemon ("virtqemud", "libvirtd") */
  guint64 memlock_bytes;      /* the source QEMU's hard RLIMIT_MEMLOCK; G_MAXUINT64: unlimited,
                               * 0: not known */
} MwMigrationCaps;

#define MW_TYPE_MIGRATION_CAPS (mw_migration_caps_get_type ())

GType            mw_migration_caps_get_type (void) G_GNUC_CONST;

MwMigrationCaps *mw_migration_caps_new      (void);
MwMigrationCaps *mw_migration_caps_copy     (const MwMigrationCaps *self);
void             mw_migration_caps_free     (MwMigrationCaps       *self);

/* Reads the domain XML's memory locking facts into self. FALSE with an error for bad XML. */
gboolean         mw_migration_caps_set_domain_xml (MwMigrationCaps  *self,
                                                   const char       *xml,
                                                   GError          **error);

/* Reads the probe's output (see mw_migration_caps_memlock_command ()) into the memlock
 * fields: "daemon NAME", its "CapEff:" line, QEMU's "Max locked memory" line. What is missing
 * stays unknown. */
void             mw_migration_caps_set_memlock_probe (MwMigrationCaps *self,
                                                      const char      *output);
/* The command the probe runs on the source: sh -c SCRIPT sh DOMAIN. */
GStrv            mw_migration_caps_memlock_command (const char *domain);
/* Worker. Runs the probe on the source (over ssh for qemu+ssh://…/system, here for
 * qemu:///system; other URIs are left unknown) and reads its output into self. */
void             mw_migration_caps_probe_memlock (MwMigrationCaps *self,
                                                  const char      *source_uri,
                                                  const char      *domain,
                                                  guint            timeout_s,
                                                  GCancellable    *cancellable);
/* The command the post-copy probe runs on a host: sh -c SCRIPT. */
GStrv            mw_migration_caps_uffd_command (void);
/* Reads the probe's output ("uffd_sysctl 0", "uffd_dev 600 0", "conf_user root", …) into
 * facts; probed is set, what is missing stays at its default. */
void             mw_migration_caps_set_uffd_probe (MwUffdFacts *facts,
                                                   const char  *output);
/* Worker. Runs the probe on both hosts (over ssh for qemu+ssh://…/system, here for
 * qemu:///system; other URIs stay not probed). */
void             mw_migration_caps_probe_uffd (MwMigrationCaps *self,
                                               const char      *source_uri,
                                               const char      *destination_uri,
                                               guint            timeout_s,
                                               GCancellable    *cancellable);
/* NULL when QEMU on host can get a userfaultfd, or when that is not known; else one translated
 * sentence why not, naming the host. */
char            *mw_migration_caps_uffd_why_not (const MwMigrationHostFacts *host);
/* For the pre-flight check: what the probe found on host, one translated sentence; NULL when
 * not probed. */
char            *mw_migration_caps_uffd_detail (const MwMigrationHostFacts *host);
/* How to let QEMU on host get a userfaultfd (exact commands), or NULL when nothing stands in
 * the way. */
char            *mw_migration_caps_uffd_fix (const MwMigrationHostFacts *host);
/* Worker: runs command (argv) on the host of uri, over ssh as the URI's user for
 * qemu+ssh://…, here for a local qemu:// URI; its standard output when it exits 0 in time, else
 * NULL. The one runner of the caps' probes. */
char            *mw_migration_caps_run_probe (const char         *uri,
                                              const char * const *command,
                                              guint               timeout_s,
                                              GCancellable       *cancellable);

/* Test hook: when set, mw_migration_caps_read () takes these as the post-copy probe's outputs
 * on the source and the destination instead of asking (NULL: ask). */
void             mw_migration_caps_set_fake_uffd_probe (const char *source_output,
                                                        const char *destination_output);

/* For the pre-flight check's fix text: how to let the guest's QEMU lock what zero-copy needs on
 * the source (exact commands), or NULL when nothing stands in the way. */
char            *mw_migration_caps_memlock_fix (const MwMigrationCaps *self);
/* The locked memory zero-copy needs on the source, in bytes: the guest's <hard_limit>, else
 * its memory (libvirt's own choice); 0 when not known. */
guint64          mw_migration_caps_memlock_needed (const MwMigrationCaps *self);

/* NULL when feature works on this pair, else one translated sentence saying what is missing
 * and where ("Needs libvirt 9.4 on both hosts; hostb has 9.0."). */
char            *mw_migration_caps_why_not  (const MwMigrationCaps *self,
                                             MwMigrationFeature     feature);
/* NULL when both hosts have at least libvirt libvirt_version and QEMU qemu_version (the
 * encoding below; 0: any), else why_not ()'s sentence for the first that falls short. For
 * options older than the features above (post-copy, auto-converge) that a policy checks. */
char            *mw_migration_caps_why_not_versions (const MwMigrationCaps *self,
                                                     gulong                 libvirt_version,
                                                     gulong                 qemu_version);
/* Recovering a post-copy that broke off (VIR_MIGRATE_POSTCOPY_RESUME) on a destination whose
 * libvirt daemon crashes on it: libvirt 11.2.0 to 11.3.x. Their qemuMigrationDstPrepareResume
 * (qemu_migration.c) passes a NULL fd pointer to qemuMigrationDstPrepare, and
 * qemuProcessIncomingDefNew (qemu_process.c) reads *fd for every URI but a sparse save image's:
 * the destination's daemon dies with SIGSEGV whatever URI, listen address, port or connection
 * mode the resume uses (docs/postcopy-recovery.md). 11.2.0 is the release that turned that
 * argument into a pointer (the sparse save format); 11.3.0 is the newest read and crashed in
 * the lab. Later releases are not known here, so they are not greyed. */
#define MW_POSTCOPY_RESUME_CRASH_FIRST 11002000UL
#define MW_POSTCOPY_RESUME_CRASH_LAST 11003999UL

/* Does a destination running this libvirt crash when asked to resume a post-copy? FALSE for
 * 0 (not known). */
gboolean         mw_libvirt_crashes_on_postcopy_resume (gulong libvirt_version);
/* NULL when a post-copy that broke off can be recovered with destination (named host, running
 * libvirt_version) as far as is known, else one translated sentence why not ("Recovering a
 * post-copy that broke off is not possible on these hosts: hostb has libvirt 11.3, …"). */
char            *mw_migration_caps_postcopy_recovery_why_not (const char *host,
                                                              gulong      libvirt_version);
/* The same for this pair (the destination's facts). A separate question from why_not (): the
 * post-copy itself works, only its recovery does not. */
char            *mw_migration_caps_why_no_postcopy_recovery  (const MwMigrationCaps *self);
/* The feature options needs, or MW_MIGRATION_N_FEATURES when it needs none; first is where to
 * start looking, so a caller can walk them all. */
MwMigrationFeature mw_migration_caps_next_needed (const MwMigrationOptions *options,
                                                  MwMigrationFeature        first);
/* FALSE with MW_MIGRATION_OPTIONS_ERROR_UNSUPPORTED and why_not ()'s sentence for the first
 * option in options that this pair cannot do. */
gboolean         mw_migration_caps_check    (const MwMigrationCaps    *self,
                                             const MwMigrationOptions *options,
                                             GError                  **error);

/* What one connection moves: its sender and its receiver each keep one CPU busy (copying,
 * and TCP's checksums) at about 1 GiB/s, i.e. one connection fills a 10 Gbit/s link. */
#define MW_PARALLEL_CONNECTION_BPS (G_GUINT64_CONSTANT (1) << 30)
#define MW_PARALLEL_MAX_DEFAULT 16

/* How many parallel connections to offer, and, when explanation is given, one translated
 * sentence why. link_bps: the link's throughput (measured, or the migration's bandwidth cap),
 * 0 when not known. Enough connections to fill the link at MW_PARALLEL_CONNECTION_BPS each, but
 * at most half the CPUs of the smaller host (the other half stays with its guests), at least 1,
 * at most MW_PARALLEL_MAX_DEFAULT; QEMU's own 2 (within the CPUs) when the link is not known. */
guint            mw_migration_caps_default_parallel (const MwMigrationCaps *self,
                                                     guint64                link_bps,
                                                     char                 **explanation);

/* "9.4" for 9004000. */
char            *mw_version_string          (gulong                 version);

/* Worker. Opens both hosts, reads the facts and the domain's definition (on the source). */
MwMigrationCaps *mw_migration_caps_read     (const char            *source_uri,
                                             const char            *destination_uri,
                                             const char            *domain,
                                             GCancellable          *cancellable,
                                             GError               **error);
void             mw_migration_caps_read_async  (const char          *source_uri,
                                                const char          *destination_uri,
                                                const char          *domain,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
MwMigrationCaps *mw_migration_caps_read_finish (GAsyncResult        *result,
                                                GError             **error);

/* Test hook: when set, mw_migration_caps_read () replaces the versions it read with these
 * (for the UI test against two test:/// connections); 0 keeps what was read. */
void             mw_migration_caps_set_fake_versions (gulong source_libvirt,
                                                      gulong source_qemu,
                                                      gulong destination_libvirt,
                                                      gulong destination_qemu);

/* Test hook: when set, mw_migration_caps_read () takes this as the memlock probe's output
 * instead of asking the source (NULL: ask). */
void             mw_migration_caps_set_fake_memlock_probe (const char *output);

/* Tests: how many times mw_migration_caps_read () began in this process (each opens both hosts
 * and runs the probes). */
guint            mw_migration_caps_get_n_reads (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwMigrationCaps, mw_migration_caps_free)

G_END_DECLS
