/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-options.h: what the wizard's Options page decides, and how libvirt hears it.
 *
 * A plain boxed struct with public fields, so a page can bind its switches to them and a
 * worker can take a copy. Pure functions, no I/O: safe on any thread.
 *
 * Conflicts libvirt 9.0 / QEMU 7.2 would refuse are caught by validate () with one plain
 * sentence each; to_flags_and_params () and to_virsh () validate first, so nothing invalid
 * reaches libvirt or the clipboard.
 *
 * Max downtime is not a migration parameter in libvirt 9.0 (there is no
 * VIR_MIGRATE_PARAM_* for it, and `virsh migrate` has no option for it): the job applies it with
 * virDomainMigrateSetMaxDowntime () once the migration runs, and the virsh rendering shows it as
 * a `virsh migrate-setmaxdowntime` command to run meanwhile.
 *
 * Switching to post-copy is an action, not a flag: whoever runs the job calls
 * mw_migration_job_start_postcopy () (the live page's button, mig-wizard-cli's timer for
 * postcopy_after_s). The virsh rendering of postcopy_after_s is virsh's own timer,
 * `--timeout N --timeout-postcopy`, so the printed line switches too.
 */
#pragma once

#include <glib-object.h>
#include <libvirt/libvirt.h>

#include "mw-shell.h" /* mw_shell_quote, once declared here */

G_BEGIN_DECLS

#define MW_MIGRATION_OPTIONS_ERROR (mw_migration_options_error_quark ())

/* One code per conflict. */
typedef enum
{
  MW_MIGRATION_OPTIONS_ERROR_OFFLINE_TEMPORARY,    /* offline needs the definition persisted */
  MW_MIGRATION_OPTIONS_ERROR_OFFLINE_STORAGE,      /* offline cannot copy disks */
  MW_MIGRATION_OPTIONS_ERROR_OFFLINE_POSTCOPY,     /* post-copy needs live */
  MW_MIGRATION_OPTIONS_ERROR_OFFLINE_AUTO_CONVERGE,
  MW_MIGRATION_OPTIONS_ERROR_OFFLINE_COMPRESSION,
  MW_MIGRATION_OPTIONS_ERROR_OFFLINE_DOWNTIME,
  MW_MIGRATION_OPTIONS_ERROR_OFFLINE_BANDWIDTH,
  MW_MIGRATION_OPTIONS_ERROR_TUNNELLED_TLS,        /* TLS and tunnelled cannot be combined */
  MW_MIGRATION_OPTIONS_ERROR_TUNNELLED_POSTCOPY,
  MW_MIGRATION_OPTIONS_ERROR_POSTCOPY_COMPRESSION, /* QEMU: post-copy and multithread compression */
  MW_MIGRATION_OPTIONS_ERROR_DESTINATION,          /* missing or unusable destination URI */
  MW_MIGRATION_OPTIONS_ERROR_POSTCOPY_AFTER,       /* a post-copy timer without post-copy */
  MW_MIGRATION_OPTIONS_ERROR_OFFLINE_PARALLEL,     /* parallel or zero-copy with offline */
  MW_MIGRATION_OPTIONS_ERROR_TUNNELLED_PARALLEL,   /* libvirt: no parallel in a tunnel */
  MW_MIGRATION_OPTIONS_ERROR_PARALLEL_COMPRESSION, /* zlib/zstd need parallel; xbzrle/mt refuse it */
  MW_MIGRATION_OPTIONS_ERROR_ZEROCOPY,             /* zero-copy: parallel, no compression or TLS */
  MW_MIGRATION_OPTIONS_ERROR_XBZRLE_CACHE,         /* a cache size without xbzrle */
  MW_MIGRATION_OPTIONS_ERROR_UNSUPPORTED,          /* this pair of hosts cannot (mw-migration-caps) */
  MW_MIGRATION_OPTIONS_ERROR_POSTCOPY_RESUME,      /* recovering post-copy without post-copy */
} MwMigrationOptionsError;

typedef enum
{
  MW_MIGRATION_MODE_LIVE,     /* the guest keeps running while its memory is copied */
  MW_MIGRATION_MODE_OFFLINE,  /* only the definition moves (VIR_MIGRATE_OFFLINE) */
} MwMigrationMode;

typedef enum
{
  MW_MIGRATION_PERSISTENCE_MOVE,      /* --persistent --undefinesource: the guest now lives there */
  MW_MIGRATION_PERSISTENCE_TEMPORARY, /* runs there until shut down; still defined on the source */
} MwMigrationPersistence;

typedef enum
{
  MW_MIGRATION_STORAGE_SHARED,           /* both hosts see the same disks */
  MW_MIGRATION_STORAGE_COPY_ALL,         /* --copy-storage-all */
  MW_MIGRATION_STORAGE_COPY_INCREMENTAL, /* --copy-storage-inc: backing image already there */
} MwMigrationStorage;

/* One method (--comp-methods). xbzrle and mt work on a single stream; zlib and zstd compress
 * parallel streams (multifd) and need libvirt 9.4 on both hosts: the values are only strings
 * of VIR_MIGRATE_PARAM_COMPRESSION, so nothing newer than libvirt 9.0's header is used, and
 * mw-migration-caps says when a pair cannot. */
typedef enum
{
  MW_MIGRATION_COMPRESSION_NONE,
  MW_MIGRATION_COMPRESSION_XBZRLE,       /* --compressed --comp-methods xbzrle */
  MW_MIGRATION_COMPRESSION_MT,           /* --compressed --comp-methods mt (multithread zlib) */
  MW_MIGRATION_COMPRESSION_ZLIB,         /* --compressed --comp-methods zlib (parallel only) */
  MW_MIGRATION_COMPRESSION_ZSTD,         /* --compressed --comp-methods zstd (parallel only) */
} MwMigrationCompression;

/* Who drives the migration. Tunnelled always implies peer-to-peer, so "tunnelled without
 * peer-to-peer" cannot even be expressed. CLIENT is libvirt's default "managed direct"
 * migration (no flag); virsh's --direct means something else (hypervisor-native, not QEMU). */
typedef enum
{
  MW_MIGRATION_CONNECTION_CLIENT,        /* this app talks to both hosts (virDomainMigrate3) */
  MW_MIGRATION_CONNECTION_PEER_TO_PEER,  /* --p2p: the source host talks to the destination */
  MW_MIGRATION_CONNECTION_TUNNELLED,     /* --p2p --tunnelled: data through the libvirt link */
} MwMigrationConnection;

/* The options, for explain (). */
typedef enum
{
  MW_MIGRATION_OPTION_MODE,
  MW_MIGRATION_OPTION_PERSISTENCE,
  MW_MIGRATION_OPTION_STORAGE,
  MW_MIGRATION_OPTION_MAX_DOWNTIME,
  MW_MIGRATION_OPTION_BANDWIDTH,
  MW_MIGRATION_OPTION_AUTO_CONVERGE,
  MW_MIGRATION_OPTION_POSTCOPY,
  MW_MIGRATION_OPTION_COMPRESSION,
  MW_MIGRATION_OPTION_CONNECTION,
  MW_MIGRATION_OPTION_TLS,
  MW_MIGRATION_OPTION_UNSAFE,
  MW_MIGRATION_OPTION_PARALLEL,
  MW_MIGRATION_OPTION_ZEROCOPY,
} MwMigrationOption;

typedef struct
{
  MwMigrationMode mode;
  MwMigrationPersistence persistence;
  MwMigrationStorage storage;
  guint max_downtime_ms;      /* 0: QEMU's default (300 ms); libvirt sets none */
  guint bandwidth_mib_s;      /* 0: unlimited */
  gboolean auto_converge;     /* throttle the vCPUs until it converges */
  gboolean postcopy;          /* allow switching to post-copy (the switch itself is an action) */
  guint postcopy_after_s;     /* switch this long after the migration call starts; 0: only when
                               * asked. Needs postcopy. Applied by the job's runner, see above. */
  MwMigrationCompression compression;
  MwMigrationConnection connection;
  gboolean tls;               /* encrypt the migration stream (hosts need migration certs) */
  gboolean unsafe;            /* skip libvirt's shared-storage and cache-mode safety checks */
  guint parallel_connections; /* 0: one stream; N: VIR_MIGRATE_PARALLEL with N connections */
  gboolean zerocopy;          /* VIR_MIGRATE_ZEROCOPY: needs parallel and locked memory */
  guint xbzrle_cache_mib;     /* xbzrle's page cache; 0: QEMU's default (64 MiB) */
  gboolean postcopy_resume;   /* recover a post-copy migration that broke off and is paused
                               * (VIR_MIGRATE_POSTCOPY | VIR_MIGRATE_POSTCOPY_RESUME): the same
                               * options as the run that broke, this one added. Set by the job's
                               * Recover and by `migrate --postcopy-recover`. Needs postcopy. */
} MwMigrationOptions;

#define MW_TYPE_MIGRATION_OPTIONS (mw_migration_options_get_type ())

GType               mw_migration_options_get_type     (void) G_GNUC_CONST;
GQuark              mw_migration_options_error_quark  (void);

MwMigrationOptions *mw_migration_options_new_defaults (void);
MwMigrationOptions *mw_migration_options_copy         (const MwMigrationOptions *self);
void                mw_migration_options_free         (MwMigrationOptions       *self);
gboolean            mw_migration_options_equal        (const MwMigrationOptions *a,
                                                       const MwMigrationOptions *b);

/* FALSE with MW_MIGRATION_OPTIONS_ERROR and one translated sentence (cause and fix) for the
 * first conflict found. */
gboolean            mw_migration_options_validate     (const MwMigrationOptions *self,
                                                       GError                  **error);
/* Translated warnings for valid but risky choices (unsafe, post-copy); NULL when none. */
GStrv               mw_migration_options_get_warnings (const MwMigrationOptions *self);

/* Flags and typed parameters for virDomainMigrate3 (CLIENT: pass the destination connection)
 * or virDomainMigrateToURI3 (PEER_TO_PEER, TUNNELLED: pass dest_uri as dconnuri). dest_uri is
 * the destination's libvirt URI; peer-to-peer needs one that names a remote host, since the
 * source host connects to it. Free params with virTypedParamsFree (). Validates first. */
gboolean            mw_migration_options_to_flags_and_params (const MwMigrationOptions *self,
                                                              const char               *dest_uri,
                                                              unsigned int             *flags,
                                                              virTypedParameterPtr     *params,
                                                              int                      *nparams,
                                                              GError                  **error);

/* argv of the equivalent `virsh [-c source_uri] migrate … --domain NAME --desturi URI`.
 * source_uri may be NULL (virsh's default connection). NULL with an error when invalid. */
GStrv               mw_migration_options_to_virsh     (const MwMigrationOptions *self,
                                                       const char               *source_uri,
                                                       const char               *domain_name,
                                                       const char               *dest_uri,
                                                       GError                  **error);
/* argv of `virsh [-c source_uri] migrate-setmaxdowntime --domain NAME --downtime MS`, to run
 * while the migration runs; NULL when max downtime is libvirt's default. */
GStrv               mw_migration_options_to_virsh_downtime (const MwMigrationOptions *self,
                                                            const char               *source_uri,
                                                            const char               *domain_name);
/* What a trainer pastes into a POSIX shell, meant for the computer that runs MigWizard (virsh
 * connects to source_uri from there): the migrate command line, quoted, and when a max downtime
 * is set, a comment line and the migrate-setmaxdowntime line to run meanwhile. */
char               *mw_migration_options_to_virsh_text (const MwMigrationOptions *self,
                                                        const char               *source_uri,
                                                        const char               *domain_name,
                                                        const char               *dest_uri,
                                                        GError                  **error);

/* One plain, translated line about what the option does with its current value. */
const char         *mw_migration_options_explain      (const MwMigrationOptions *self,
                                                       MwMigrationOption         option);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwMigrationOptions, mw_migration_options_free)

G_END_DECLS
