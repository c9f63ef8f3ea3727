/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-cli-migrate-args.h: `mig-wizard-cli migrate`'s options, as parsed, and the
 * MwMigrationOptions they stand for. No I/O, so the tests check every option's mapping. */
#pragma once

#include <glib.h>

#include "mw-cli-args.h"
#include "mw-migration-options.h"
#include "mw-migration-policy.h"

G_BEGIN_DECLS

typedef struct
{
  char *from;
  char *to;
  gboolean offline;
  gboolean temporary;
  char *copy_storage;
  int max_downtime;
  int bandwidth;
  gboolean auto_converge;
  gboolean postcopy;
  int postcopy_after;         /* whole seconds: virsh's --timeout takes no fraction */
  gboolean postcopy_recover;  /* resume a post-copy that broke off (the first run's options) */
  char *compressed;
  char *parallel;             /* "N" connections (1-255) or "auto"; NULL: one stream */
  gboolean zerocopy;
  int xbzrle_cache;           /* MiB; 0: QEMU's default */
  gboolean client;
  gboolean p2p;
  gboolean tunnelled;
  char *peer_uri;
  gboolean tls;
  gboolean unsafe;
  char *ping;
  double rate;
  char *report;
  char *csv;
  double abort_after;
  int stall_timeout;          /* seconds; 0: never */
  gboolean print_virsh;
  gboolean quiet;
  gboolean forecast;          /* pre-flight's forecast first, put beside the outcome */
  char *policy;               /* "recommended": the policy decides how the memory moves */
  int link_mib_s;             /* the link's measured throughput, for the policy; 0: not known */
  int dirty_mib_s;            /* the guest's measured dirty rate, for the policy; -1: not known */
} MwCliMigrateArgs;

/* The defaults (4 samples a second, everything else off). */
void                mw_cli_migrate_args_init        (MwCliMigrateArgs       *args);
void                mw_cli_migrate_args_clear       (MwCliMigrateArgs       *args);

/* The `migrate` option context; its entries write into args, which must outlive it. */
GOptionContext     *mw_cli_migrate_args_context_new (MwCliMigrateArgs       *args);

/* The options args stand for, validated; NULL with one plain sentence (G_OPTION_ERROR or
 * MW_MIGRATION_OPTIONS_ERROR) when they are wrong or conflict. */
MwMigrationOptions *mw_cli_migrate_args_to_options  (const MwCliMigrateArgs *args,
                                                     GError                **error);

/* What mw_cli_migrate_args_to_options () puts in parallel_connections for `--parallel auto`:
 * the caller replaces it with mw_migration_caps_default_parallel () once both hosts answered,
 * before the options go anywhere else. */
#define MW_CLI_PARALLEL_AUTO G_MAXUINT

/* The policy's input from args (--link-mib-s, else the --bandwidth cap; --dirty-mib-s;
 * --max-downtime), caps left to the caller. FALSE when args ask for no policy. */
gboolean            mw_cli_migrate_args_policy_input (const MwCliMigrateArgs  *args,
                                                      MwMigrationPolicyInput  *input);

/* The destination URI the migration and the printed virsh line give libvirt: --peer-uri when
 * set (peer-to-peer), else --to. */
const char         *mw_cli_migrate_args_dest_uri    (const MwCliMigrateArgs *args);

/* The end summary's timing line, each figure named: the migration call as the job timed it (the
 * summary's, the report's and the window's total; 0 when no call was made) and this command's
 * own wall time, which adds connecting, checking both hosts and the report. */
char               *mw_cli_migrate_timing           (gint64                  call_ms,
                                                     gint64                  command_us);

G_END_DECLS
