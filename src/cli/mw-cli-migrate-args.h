/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-cli-migrate-args.h: `mig-wizard-cli migrate`'s options, as parsed, and the
 * MwMigrationOptions they stand for. No I/O, so the tests check every option's mapping. */
#pragma once

#include <glib.h>

#include "mw-migration-options.h"

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
  int parallel;               /* connections; 0: one stream */
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

/* Longest argument any command takes, in bytes. */
#define MW_CLI_MAX_ARG 4096

/* Before GOption sees them: every argument valid UTF-8 and at most MW_CLI_MAX_ARG bytes long
 * (GOption's own messages would not name the option, or would repeat 64 KiB back). The message
 * names the option or the argument's position. */
gboolean            mw_cli_check_args               (int                     argc,
                                                     char                  **argv,
                                                     GError                **error);
/* After GOption: drops the "--" it leaves before an argument that starts with '-'. */
void                mw_cli_drop_separator           (int                    *argc,
                                                     char                  **argv);

/* Checks one URI option's value (option: "--from", "URI_A"…) with the app's own URI parser, so
 * every command refuses what the Add Connection dialog refuses, before any host is contacted.
 * The message names the option. */
gboolean            mw_cli_check_uri                (const char             *option,
                                                     const char             *uri,
                                                     GError                **error);
/* A domain name as libvirt takes it: not empty, valid UTF-8, no control characters. */
gboolean            mw_cli_check_domain             (const char             *name,
                                                     GError                **error);

/* The destination URI the migration and the printed virsh line give libvirt: --peer-uri when
 * set (peer-to-peer), else --to. */
const char         *mw_cli_migrate_args_dest_uri    (const MwCliMigrateArgs *args);

/* The end summary's timing line, each figure named: the migration call as the job timed it (the
 * summary's, the report's and the window's total; 0 when no call was made) and this command's
 * own wall time, which adds connecting, checking both hosts and the report. */
char               *mw_cli_migrate_timing           (gint64                  call_ms,
                                                     gint64                  command_us);

G_END_DECLS
