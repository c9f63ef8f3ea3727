/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-migration-options.c: defaults, conflicts, libvirt flags and params, virsh rendering. */

#include "config.h"

#include <string.h>

#include "mw-core-enums.h"
#include "mw-migration-options.h"
#include "mw-shell.h"

#define DEST "qemu+ssh://root@hostb/system"

static void
test_defaults (void)
{
  g_autoptr(MwMigrationOptions) options = mw_migration_options_new_defaults ();
  g_autoptr(MwMigrationOptions) copy = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (options->mode, ==, MW_MIGRATION_MODE_LIVE);
  g_assert_cmpint (options->persistence, ==, MW_MIGRATION_PERSISTENCE_MOVE);
  g_assert_cmpint (options->storage, ==, MW_MIGRATION_STORAGE_SHARED);
  g_assert_cmpuint (options->max_downtime_ms, ==, 0);
  g_assert_cmpuint (options->bandwidth_mib_s, ==, 0);
  g_assert_false (options->auto_converge);
  g_assert_false (options->postcopy);
  g_assert_cmpuint (options->postcopy_after_s, ==, 0);
  g_assert_cmpint (options->compression, ==, MW_MIGRATION_COMPRESSION_NONE);
  g_assert_cmpint (options->connection, ==, MW_MIGRATION_CONNECTION_PEER_TO_PEER);
  g_assert_false (options->tls);
  g_assert_false (options->unsafe);

  g_assert_true (mw_migration_options_validate (options, &error));
  g_assert_no_error (error);
  g_assert_null (mw_migration_options_get_warnings (options));

  copy = mw_migration_options_copy (options);
  g_assert_true (mw_migration_options_equal (options, copy));
  copy->tls = TRUE;
  g_assert_false (mw_migration_options_equal (options, copy));
  copy->tls = FALSE;
  copy->postcopy_after_s = 5;
  g_assert_false (mw_migration_options_equal (options, copy));

  g_assert_true (G_TYPE_IS_BOXED (MW_TYPE_MIGRATION_OPTIONS));
}

/* The defaults with what CHANGE sets: its fields that are zero leave them (no case needs a
 * client-driven connection, the one default that is not zero). */
static void
apply_change (MwMigrationOptions       *o,
              const MwMigrationOptions *change)
{
#define TAKE(field) if (change->field) o->field = change->field
  TAKE (mode);
  TAKE (persistence);
  TAKE (storage);
  TAKE (max_downtime_ms);
  TAKE (bandwidth_mib_s);
  TAKE (auto_converge);
  TAKE (postcopy);
  TAKE (postcopy_after_s);
  TAKE (compression);
  TAKE (connection);
  TAKE (tls);
  TAKE (unsafe);
  TAKE (parallel_connections);
  TAKE (zerocopy);
  TAKE (xbzrle_cache_mib);
  TAKE (postcopy_resume);
#undef TAKE
}

static void
test_conflicts (void)
{
  const struct
  {
    MwMigrationOptions change;
    MwMigrationOptionsError code;
    const char *message;
  } cases[] = {
    { { .mode = MW_MIGRATION_MODE_OFFLINE, .persistence = MW_MIGRATION_PERSISTENCE_TEMPORARY },
      MW_MIGRATION_OPTIONS_ERROR_OFFLINE_TEMPORARY,
      "An offline migration only moves the guest’s definition, so it cannot be temporary: "
      "choose to keep the guest on the destination, or migrate it live." },
    { { .mode = MW_MIGRATION_MODE_OFFLINE, .storage = MW_MIGRATION_STORAGE_COPY_ALL },
      MW_MIGRATION_OPTIONS_ERROR_OFFLINE_STORAGE,
      "An offline migration cannot copy disks: use shared storage, or migrate the guest live "
      "to copy its disks." },
    { { .mode = MW_MIGRATION_MODE_OFFLINE, .storage = MW_MIGRATION_STORAGE_COPY_INCREMENTAL },
      MW_MIGRATION_OPTIONS_ERROR_OFFLINE_STORAGE, NULL },
    { { .mode = MW_MIGRATION_MODE_OFFLINE, .postcopy = TRUE },
      MW_MIGRATION_OPTIONS_ERROR_OFFLINE_POSTCOPY,
      "Post-copy needs a live migration: turn post-copy off, or migrate the guest live." },
    { { .mode = MW_MIGRATION_MODE_OFFLINE, .auto_converge = TRUE },
      MW_MIGRATION_OPTIONS_ERROR_OFFLINE_AUTO_CONVERGE,
      "Auto-converge slows a running guest, so it needs a live migration: turn it off, or "
      "migrate the guest live." },
    { { .mode = MW_MIGRATION_MODE_OFFLINE, .compression = MW_MIGRATION_COMPRESSION_XBZRLE },
      MW_MIGRATION_OPTIONS_ERROR_OFFLINE_COMPRESSION,
      "An offline migration copies no memory, so there is nothing to compress: turn "
      "compression off." },
    { { .mode = MW_MIGRATION_MODE_OFFLINE, .max_downtime_ms = 500 },
      MW_MIGRATION_OPTIONS_ERROR_OFFLINE_DOWNTIME,
      "A maximum downtime only applies to a live migration: set it back to the default." },
    { { .mode = MW_MIGRATION_MODE_OFFLINE, .bandwidth_mib_s = 64 },
      MW_MIGRATION_OPTIONS_ERROR_OFFLINE_BANDWIDTH,
      "A bandwidth limit only applies to a live migration: remove the limit." },
    { { .connection = MW_MIGRATION_CONNECTION_TUNNELLED, .tls = TRUE },
      MW_MIGRATION_OPTIONS_ERROR_TUNNELLED_TLS,
      "TLS and tunnelled migration cannot be combined: a tunnelled migration is already as "
      "secure as the libvirt connection it uses. Turn one of them off." },
    { { .connection = MW_MIGRATION_CONNECTION_TUNNELLED, .postcopy = TRUE },
      MW_MIGRATION_OPTIONS_ERROR_TUNNELLED_POSTCOPY,
      "Post-copy does not work through a tunnelled migration: choose peer-to-peer without "
      "tunnel, or turn post-copy off." },
    { { .postcopy = TRUE, .compression = MW_MIGRATION_COMPRESSION_MT },
      MW_MIGRATION_OPTIONS_ERROR_POSTCOPY_COMPRESSION,
      "Post-copy cannot be combined with multithread compression: choose XBZRLE compression "
      "or none, or turn post-copy off." },
    { { .postcopy_after_s = 5 }, MW_MIGRATION_OPTIONS_ERROR_POSTCOPY_AFTER,
      "Switching to post-copy after a time needs post-copy allowed: allow post-copy, or "
      "remove the time." },
    { { .mode = MW_MIGRATION_MODE_OFFLINE, .postcopy = TRUE, .postcopy_after_s = 5 },
      MW_MIGRATION_OPTIONS_ERROR_OFFLINE_POSTCOPY, NULL },
    { { .connection = MW_MIGRATION_CONNECTION_TUNNELLED, .postcopy = TRUE, .postcopy_after_s = 5 },
      MW_MIGRATION_OPTIONS_ERROR_TUNNELLED_POSTCOPY, NULL },
    { { .mode = MW_MIGRATION_MODE_OFFLINE, .parallel_connections = 2 },
      MW_MIGRATION_OPTIONS_ERROR_OFFLINE_PARALLEL,
      "An offline migration copies no memory, so parallel connections and zero-copy do not "
      "apply: turn them off." },
    { { .connection = MW_MIGRATION_CONNECTION_TUNNELLED, .parallel_connections = 2 },
      MW_MIGRATION_OPTIONS_ERROR_TUNNELLED_PARALLEL,
      "Parallel connections do not work through a tunnelled migration: choose peer-to-peer "
      "without tunnel, or one connection." },
    { { .parallel_connections = 2, .compression = MW_MIGRATION_COMPRESSION_XBZRLE },
      MW_MIGRATION_OPTIONS_ERROR_PARALLEL_COMPRESSION,
      "Parallel connections can only be compressed with zlib or zstd: choose one of those, or "
      "one connection." },
    { { .compression = MW_MIGRATION_COMPRESSION_ZSTD },
      MW_MIGRATION_OPTIONS_ERROR_PARALLEL_COMPRESSION,
      "zlib and zstd compression work on parallel connections only: turn parallel "
      "connections on, or choose XBZRLE." },
    { { .zerocopy = TRUE }, MW_MIGRATION_OPTIONS_ERROR_ZEROCOPY,
      "Zero-copy needs parallel connections, without compression and without TLS: change "
      "those, or turn zero-copy off." },
    { { .parallel_connections = 2, .zerocopy = TRUE, .compression = MW_MIGRATION_COMPRESSION_ZLIB },
      MW_MIGRATION_OPTIONS_ERROR_ZEROCOPY, NULL },
    { { .parallel_connections = 2, .zerocopy = TRUE, .tls = TRUE },
      MW_MIGRATION_OPTIONS_ERROR_ZEROCOPY, NULL },
    { { .xbzrle_cache_mib = 128 }, MW_MIGRATION_OPTIONS_ERROR_XBZRLE_CACHE,
      "An XBZRLE cache size needs XBZRLE compression: choose it, or remove the size." },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MwMigrationOptions) options = mw_migration_options_new_defaults ();
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) argv = NULL;
      unsigned int flags = 0;
      virTypedParameterPtr params = NULL;
      int nparams = 0;

      apply_change (options, &cases[i].change);
      g_assert_false (mw_migration_options_validate (options, &error));
      g_assert_error (error, MW_MIGRATION_OPTIONS_ERROR, (int) cases[i].code);
      if (cases[i].message != NULL)
        g_assert_cmpstr (error->message, ==, cases[i].message);
      g_clear_error (&error);

      /* Nothing invalid reaches libvirt or the clipboard. */
      g_assert_false (mw_migration_options_to_flags_and_params (options, DEST, &flags, &params,
                                                                &nparams, &error));
      g_assert_error (error, MW_MIGRATION_OPTIONS_ERROR, (int) cases[i].code);
      g_clear_error (&error);
      argv = mw_migration_options_to_virsh (options, NULL, "vm", DEST, &error);
      g_assert_null (argv);
      g_assert_error (error, MW_MIGRATION_OPTIONS_ERROR, (int) cases[i].code);
    }
}

static void
test_warnings (void)
{
  g_autoptr(MwMigrationOptions) options = mw_migration_options_new_defaults ();
  g_auto(GStrv) warnings = NULL;
  g_autoptr(GError) error = NULL;

  options->unsafe = TRUE;
  options->postcopy = TRUE;
  g_assert_true (mw_migration_options_validate (options, &error));
  warnings = mw_migration_options_get_warnings (options);
  g_assert_cmpuint (g_strv_length (warnings), ==, 2);
  g_assert_true (g_str_has_prefix (warnings[0], "Unsafe:"));
  g_assert_nonnull (strstr (warnings[1], "post-copy"));
}

static void
test_flags_and_params (void)
{
  g_autoptr(MwMigrationOptions) options = mw_migration_options_new_defaults ();
  g_autoptr(GError) error = NULL;
  unsigned int flags = 0;
  virTypedParameterPtr params = NULL;
  int nparams = 0;
  unsigned long long bandwidth = 0;
  const char *method = NULL;

  /* Defaults. */
  g_assert_true (mw_migration_options_to_flags_and_params (options, DEST, &flags, &params,
                                                           &nparams, &error));
  g_assert_no_error (error);
  g_assert_cmphex (flags, ==, VIR_MIGRATE_LIVE | VIR_MIGRATE_PERSIST_DEST
                              | VIR_MIGRATE_UNDEFINE_SOURCE | VIR_MIGRATE_PEER2PEER);
  g_assert_cmpint (nparams, ==, 0);
  virTypedParamsFree (params, nparams);

  /* Everything on (that goes together). */
  options->persistence = MW_MIGRATION_PERSISTENCE_TEMPORARY;
  options->storage = MW_MIGRATION_STORAGE_COPY_ALL;
  options->bandwidth_mib_s = 64;
  options->max_downtime_ms = 5000;
  options->auto_converge = TRUE;
  options->postcopy = TRUE;
  options->compression = MW_MIGRATION_COMPRESSION_XBZRLE;
  options->tls = TRUE;
  options->unsafe = TRUE;
  g_assert_true (mw_migration_options_to_flags_and_params (options, DEST, &flags, &params,
                                                           &nparams, &error));
  g_assert_cmphex (flags, ==, VIR_MIGRATE_LIVE | VIR_MIGRATE_PEER2PEER
                              | VIR_MIGRATE_NON_SHARED_DISK | VIR_MIGRATE_AUTO_CONVERGE
                              | VIR_MIGRATE_POSTCOPY | VIR_MIGRATE_COMPRESSED | VIR_MIGRATE_TLS
                              | VIR_MIGRATE_UNSAFE);
  /* Max downtime is no parameter in libvirt 9.0: the job sets it once running. */
  g_assert_cmpint (nparams, ==, 2);
  g_assert_cmpint (virTypedParamsGetULLong (params, nparams, VIR_MIGRATE_PARAM_BANDWIDTH,
                                            &bandwidth), ==, 1);
  g_assert_cmpuint (bandwidth, ==, 64);
  g_assert_cmpint (virTypedParamsGetString (params, nparams, VIR_MIGRATE_PARAM_COMPRESSION,
                                            &method), ==, 1);
  g_assert_cmpstr (method, ==, "xbzrle");
  virTypedParamsFree (params, nparams);

  /* Incremental copy, multithread compression, tunnelled, client-driven. */
  mw_migration_options_free (options);
  options = mw_migration_options_new_defaults ();
  options->storage = MW_MIGRATION_STORAGE_COPY_INCREMENTAL;
  options->compression = MW_MIGRATION_COMPRESSION_MT;
  options->connection = MW_MIGRATION_CONNECTION_TUNNELLED;
  g_assert_true (mw_migration_options_to_flags_and_params (options, DEST, &flags, &params,
                                                           &nparams, &error));
  g_assert_cmphex (flags, ==, VIR_MIGRATE_LIVE | VIR_MIGRATE_PERSIST_DEST
                              | VIR_MIGRATE_UNDEFINE_SOURCE | VIR_MIGRATE_PEER2PEER
                              | VIR_MIGRATE_TUNNELLED | VIR_MIGRATE_NON_SHARED_INC
                              | VIR_MIGRATE_COMPRESSED);
  g_assert_cmpint (virTypedParamsGetString (params, nparams, VIR_MIGRATE_PARAM_COMPRESSION,
                                            &method), ==, 1);
  g_assert_cmpstr (method, ==, "mt");
  virTypedParamsFree (params, nparams);

  options->connection = MW_MIGRATION_CONNECTION_CLIENT;
  options->storage = MW_MIGRATION_STORAGE_SHARED;
  options->compression = MW_MIGRATION_COMPRESSION_NONE;
  g_assert_true (mw_migration_options_to_flags_and_params (options, "qemu:///system", &flags,
                                                           &params, &nparams, &error));
  g_assert_cmphex (flags, ==, VIR_MIGRATE_LIVE | VIR_MIGRATE_PERSIST_DEST
                              | VIR_MIGRATE_UNDEFINE_SOURCE);
  virTypedParamsFree (params, nparams);

  /* Offline: OFFLINE | PERSIST_DEST, never LIVE. */
  options->mode = MW_MIGRATION_MODE_OFFLINE;
  g_assert_true (mw_migration_options_to_flags_and_params (options, DEST, &flags, &params,
                                                           &nparams, &error));
  g_assert_no_error (error);
  g_assert_cmphex (flags, ==, VIR_MIGRATE_OFFLINE | VIR_MIGRATE_PERSIST_DEST
                              | VIR_MIGRATE_UNDEFINE_SOURCE);
  virTypedParamsFree (params, nparams);
}

static void
test_destination (void)
{
  g_autoptr(MwMigrationOptions) options = mw_migration_options_new_defaults ();
  g_autoptr(GError) error = NULL;
  unsigned int flags = 0;
  virTypedParameterPtr params = NULL;
  int nparams = 0;

  /* Peer-to-peer: the source connects, so a local URI would name the source itself. */
  g_assert_false (mw_migration_options_to_flags_and_params (options, "qemu:///system", &flags,
                                                            &params, &nparams, &error));
  g_assert_error (error, MW_MIGRATION_OPTIONS_ERROR, MW_MIGRATION_OPTIONS_ERROR_DESTINATION);
  g_assert_nonnull (strstr (error->message, "“qemu:///system”"));
  g_clear_error (&error);

  g_assert_false (mw_migration_options_to_flags_and_params (options, NULL, &flags, &params,
                                                            &nparams, &error));
  g_assert_error (error, MW_MIGRATION_OPTIONS_ERROR, MW_MIGRATION_OPTIONS_ERROR_DESTINATION);
  g_clear_error (&error);

  g_assert_true (mw_migration_options_to_flags_and_params (options, "qemu+tcp://[fd00::3]/system",
                                                           &flags, &params, &nparams, &error));
  g_assert_no_error (error);
  virTypedParamsFree (params, nparams);
}

static void
test_shell_quote (void)
{
  const struct
  {
    const char *word;
    const char *quoted;
  } cases[] = {
    { "vm1", "vm1" },
    { "qemu+ssh://root@hostb/system", "qemu+ssh://root@hostb/system" },
    { "qemu+tcp://[fd00::3]/system", "'qemu+tcp://[fd00::3]/system'" },
    { "", "''" },
    { "web server", "'web server'" },
    { "it's", "'it'\\''s'" },
    { "$(reboot)", "'$(reboot)'" },
    { "a;b&c|d", "'a;b&c|d'" },
    { "*", "'*'" },
    { "~root", "'~root'" },
    { "line\nbreak", "'line\nbreak'" },
    { "-x", "-x" },
    { "\"dq\"", "'\"dq\"'" },
    { "back\\slash", "'back\\slash'" },
    { "ünïcode", "'ünïcode'" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *quoted = mw_shell_quote (cases[i].word);
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) parsed = NULL;
      int argc = 0;

      g_assert_cmpstr (quoted, ==, cases[i].quoted);
      /* The shell reads back exactly the word. */
      g_assert_true (g_shell_parse_argv (quoted, &argc, &parsed, &error));
      g_assert_no_error (error);
      g_assert_cmpint (argc, ==, 1);
      g_assert_cmpstr (parsed[0], ==, cases[i].word);
    }
}

static void
test_virsh (void)
{
  g_autoptr(MwMigrationOptions) options = mw_migration_options_new_defaults ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  g_autofree char *text = NULL;

  argv = mw_migration_options_to_virsh (options, NULL, "vm1", DEST, &error);
  g_assert_no_error (error);
  text = mw_shell_join ((const char * const *) argv);
  g_assert_cmpstr (text, ==,
                   "virsh migrate --live --persistent --undefinesource --p2p "
                   "--domain vm1 --desturi qemu+ssh://root@hostb/system");
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&argv, g_strfreev);

  /* Odd names and every option. */
  options->persistence = MW_MIGRATION_PERSISTENCE_TEMPORARY;
  options->storage = MW_MIGRATION_STORAGE_COPY_ALL;
  options->bandwidth_mib_s = 64;
  options->max_downtime_ms = 5000;
  options->auto_converge = TRUE;
  options->postcopy = TRUE;
  options->compression = MW_MIGRATION_COMPRESSION_XBZRLE;
  options->tls = TRUE;
  options->unsafe = TRUE;
  text = mw_migration_options_to_virsh_text (options, "qemu:///system", "it's a -vm",
                                             DEST, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==,
                   "virsh -c qemu:///system migrate --live --p2p --copy-storage-all "
                   "--auto-converge --postcopy --tls --unsafe --compressed --comp-methods xbzrle "
                   "--bandwidth 64 --domain 'it'\\''s a -vm' --desturi "
                   "qemu+ssh://root@hostb/system\n"
                   "# While it runs, from another terminal:\n"
                   "virsh -c qemu:///system migrate-setmaxdowntime --domain 'it'\\''s a -vm' "
                   "--downtime 5000");
  g_clear_pointer (&text, g_free);

  /* The argv and the text agree: the shell gives back the argv. */
  argv = mw_migration_options_to_virsh (options, NULL, "$(rm -rf ~)", DEST, &error);
  text = mw_shell_join ((const char * const *) argv);
  {
    g_auto(GStrv) parsed = NULL;

    g_assert_true (g_shell_parse_argv (text, NULL, &parsed, &error));
    g_assert_no_error (error);
    g_assert_true (g_strv_equal ((const char * const *) parsed, (const char * const *) argv));
  }
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&argv, g_strfreev);

  /* Offline, tunnelled, incremental, multithread. */
  mw_migration_options_free (options);
  options = mw_migration_options_new_defaults ();
  options->mode = MW_MIGRATION_MODE_OFFLINE;
  options->connection = MW_MIGRATION_CONNECTION_CLIENT;
  argv = mw_migration_options_to_virsh (options, NULL, "vm", DEST, &error);
  text = mw_shell_join ((const char * const *) argv);
  g_assert_cmpstr (text, ==, "virsh migrate --offline --persistent --undefinesource "
                             "--domain vm --desturi qemu+ssh://root@hostb/system");
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&argv, g_strfreev);

  options->mode = MW_MIGRATION_MODE_LIVE;
  options->connection = MW_MIGRATION_CONNECTION_TUNNELLED;
  options->storage = MW_MIGRATION_STORAGE_COPY_INCREMENTAL;
  options->compression = MW_MIGRATION_COMPRESSION_MT;
  text = mw_migration_options_to_virsh_text (options, NULL, "vm", DEST, &error);
  g_assert_cmpstr (text, ==, "virsh migrate --live --persistent --undefinesource --p2p "
                             "--tunnelled --copy-storage-inc --compressed --comp-methods mt "
                             "--domain vm --desturi qemu+ssh://root@hostb/system");

  g_assert_null (mw_migration_options_to_virsh_downtime (options, NULL, "vm"));
}

/* ---- every option on its own: libvirt's flags and params, and the printed line ------------ */

/* Each row: the defaults (all zero but the connection) with one option changed. */
#define P2P .connection = MW_MIGRATION_CONNECTION_PEER_TO_PEER
#define DEFAULT_FLAGS (VIR_MIGRATE_LIVE | VIR_MIGRATE_PERSIST_DEST | VIR_MIGRATE_UNDEFINE_SOURCE \
                       | VIR_MIGRATE_PEER2PEER)
#define LINE_START "virsh -c qemu+ssh://root@hosta/system migrate --live "
#define LINE_END "--domain vm --desturi qemu+ssh://root@hostb/system"

typedef struct
{
  const char *name;
  MwMigrationOptions options;
  unsigned int flags;
  unsigned long long bandwidth;   /* 0: no VIR_MIGRATE_PARAM_BANDWIDTH */
  const char *compression;        /* NULL: no VIR_MIGRATE_PARAM_COMPRESSION */
  const char *virsh;              /* the printed text, all of it */
  int parallel;                   /* 0: no VIR_MIGRATE_PARAM_PARALLEL_CONNECTIONS */
  unsigned long long xbzrle_cache; /* bytes; 0: no VIR_MIGRATE_PARAM_COMPRESSION_XBZRLE_CACHE */
} OptionCase;

static const OptionCase option_cases[] = {
  { "defaults", { P2P }, DEFAULT_FLAGS, 0, NULL,
    LINE_START "--persistent --undefinesource --p2p " LINE_END },
  { "offline", { .mode = MW_MIGRATION_MODE_OFFLINE, P2P },
    VIR_MIGRATE_OFFLINE | VIR_MIGRATE_PERSIST_DEST | VIR_MIGRATE_UNDEFINE_SOURCE
    | VIR_MIGRATE_PEER2PEER, 0, NULL,
    "virsh -c qemu+ssh://root@hosta/system migrate --offline --persistent --undefinesource "
    "--p2p " LINE_END },
  { "temporary", { .persistence = MW_MIGRATION_PERSISTENCE_TEMPORARY, P2P },
    VIR_MIGRATE_LIVE | VIR_MIGRATE_PEER2PEER, 0, NULL,
    LINE_START "--p2p " LINE_END },
  { "copy-storage all", { .storage = MW_MIGRATION_STORAGE_COPY_ALL, P2P },
    DEFAULT_FLAGS | VIR_MIGRATE_NON_SHARED_DISK, 0, NULL,
    LINE_START "--persistent --undefinesource --p2p --copy-storage-all " LINE_END },
  { "copy-storage inc", { .storage = MW_MIGRATION_STORAGE_COPY_INCREMENTAL, P2P },
    DEFAULT_FLAGS | VIR_MIGRATE_NON_SHARED_INC, 0, NULL,
    LINE_START "--persistent --undefinesource --p2p --copy-storage-inc " LINE_END },
  /* No flag or parameter in libvirt 9.0: the job sets it once the migration runs. */
  { "max-downtime", { .max_downtime_ms = 500, P2P }, DEFAULT_FLAGS, 0, NULL,
    LINE_START "--persistent --undefinesource --p2p " LINE_END "\n"
    "# While it runs, from another terminal:\n"
    "virsh -c qemu+ssh://root@hosta/system migrate-setmaxdowntime --domain vm --downtime 500" },
  { "bandwidth", { .bandwidth_mib_s = 64, P2P }, DEFAULT_FLAGS, 64, NULL,
    LINE_START "--persistent --undefinesource --p2p --bandwidth 64 " LINE_END },
  { "auto-converge", { .auto_converge = TRUE, P2P },
    DEFAULT_FLAGS | VIR_MIGRATE_AUTO_CONVERGE, 0, NULL,
    LINE_START "--persistent --undefinesource --p2p --auto-converge " LINE_END },
  { "postcopy", { .postcopy = TRUE, P2P }, DEFAULT_FLAGS | VIR_MIGRATE_POSTCOPY, 0, NULL,
    LINE_START "--persistent --undefinesource --p2p --postcopy " LINE_END },
  /* The switch is an action (virDomainMigrateStartPostCopy), not a flag; virsh's own timer
   * makes it, so the line really switches. */
  { "postcopy-after", { .postcopy = TRUE, .postcopy_after_s = 7, P2P },
    DEFAULT_FLAGS | VIR_MIGRATE_POSTCOPY, 0, NULL,
    LINE_START "--persistent --undefinesource --p2p --postcopy --timeout 7 --timeout-postcopy "
    LINE_END },
  { "compressed xbzrle", { .compression = MW_MIGRATION_COMPRESSION_XBZRLE, P2P },
    DEFAULT_FLAGS | VIR_MIGRATE_COMPRESSED, 0, "xbzrle",
    LINE_START "--persistent --undefinesource --p2p --compressed --comp-methods xbzrle "
    LINE_END },
  { "compressed mt", { .compression = MW_MIGRATION_COMPRESSION_MT, P2P },
    DEFAULT_FLAGS | VIR_MIGRATE_COMPRESSED, 0, "mt",
    LINE_START "--persistent --undefinesource --p2p --compressed --comp-methods mt " LINE_END },
  { "client", { .connection = MW_MIGRATION_CONNECTION_CLIENT },
    VIR_MIGRATE_LIVE | VIR_MIGRATE_PERSIST_DEST | VIR_MIGRATE_UNDEFINE_SOURCE, 0, NULL,
    LINE_START "--persistent --undefinesource " LINE_END },
  { "tunnelled", { .connection = MW_MIGRATION_CONNECTION_TUNNELLED },
    DEFAULT_FLAGS | VIR_MIGRATE_TUNNELLED, 0, NULL,
    LINE_START "--persistent --undefinesource --p2p --tunnelled " LINE_END },
  { "tls", { .tls = TRUE, P2P }, DEFAULT_FLAGS | VIR_MIGRATE_TLS, 0, NULL,
    LINE_START "--persistent --undefinesource --p2p --tls " LINE_END },
  { "unsafe", { .unsafe = TRUE, P2P }, DEFAULT_FLAGS | VIR_MIGRATE_UNSAFE, 0, NULL,
    LINE_START "--persistent --undefinesource --p2p --unsafe " LINE_END },
  { "parallel 4", { .parallel_connections = 4, P2P }, DEFAULT_FLAGS | VIR_MIGRATE_PARALLEL, 0,
    NULL, LINE_START "--persistent --undefinesource --p2p --parallel --parallel-connections 4 "
    LINE_END, 4 },
  { "parallel 1", { .parallel_connections = 1, P2P }, DEFAULT_FLAGS | VIR_MIGRATE_PARALLEL, 0,
    NULL, LINE_START "--persistent --undefinesource --p2p --parallel --parallel-connections 1 "
    LINE_END, 1 },
  { "zerocopy", { .parallel_connections = 2, .zerocopy = TRUE, P2P },
    DEFAULT_FLAGS | VIR_MIGRATE_PARALLEL | VIR_MIGRATE_ZEROCOPY, 0, NULL,
    LINE_START "--persistent --undefinesource --p2p --parallel --parallel-connections 2 "
    "--zerocopy " LINE_END, 2 },
  { "compressed zlib", { .parallel_connections = 2, .compression = MW_MIGRATION_COMPRESSION_ZLIB,
                         P2P },
    DEFAULT_FLAGS | VIR_MIGRATE_PARALLEL | VIR_MIGRATE_COMPRESSED, 0, "zlib",
    LINE_START "--persistent --undefinesource --p2p --parallel --parallel-connections 2 "
    "--compressed --comp-methods zlib " LINE_END, 2 },
  { "compressed zstd", { .parallel_connections = 3, .compression = MW_MIGRATION_COMPRESSION_ZSTD,
                         P2P },
    DEFAULT_FLAGS | VIR_MIGRATE_PARALLEL | VIR_MIGRATE_COMPRESSED, 0, "zstd",
    LINE_START "--persistent --undefinesource --p2p --parallel --parallel-connections 3 "
    "--compressed --comp-methods zstd " LINE_END, 3 },
  { "xbzrle cache", { .compression = MW_MIGRATION_COMPRESSION_XBZRLE, .xbzrle_cache_mib = 256,
                      P2P },
    DEFAULT_FLAGS | VIR_MIGRATE_COMPRESSED, 0, "xbzrle",
    LINE_START "--persistent --undefinesource --p2p --compressed --comp-methods xbzrle "
    "--comp-xbzrle-cache 268435456 " LINE_END, 0, 268435456 },
};

typedef struct
{
  unsigned long long bandwidth;
  const char *compression;
  int parallel;
  unsigned long long xbzrle_cache;
} LineParams;

/* What `virsh migrate` hands libvirt for a line: virsh's own option → flag table (doMigrate in
 * tools/virsh-domain.c), so the test can say that the printed line asks for what the job
 * asks for. Unknown options fail the test. */
static unsigned int
virsh_line_flags (char       **argv,
                  LineParams  *line)
{
  const struct
  {
    const char *option;
    unsigned int flag;
  } table[] = {
    { "--live", VIR_MIGRATE_LIVE }, { "--offline", VIR_MIGRATE_OFFLINE },
    { "--p2p", VIR_MIGRATE_PEER2PEER }, { "--tunnelled", VIR_MIGRATE_TUNNELLED },
    { "--persistent", VIR_MIGRATE_PERSIST_DEST },
    { "--undefinesource", VIR_MIGRATE_UNDEFINE_SOURCE },
    { "--copy-storage-all", VIR_MIGRATE_NON_SHARED_DISK },
    { "--copy-storage-inc", VIR_MIGRATE_NON_SHARED_INC },
    { "--compressed", VIR_MIGRATE_COMPRESSED }, { "--auto-converge", VIR_MIGRATE_AUTO_CONVERGE },
    { "--postcopy", VIR_MIGRATE_POSTCOPY }, { "--tls", VIR_MIGRATE_TLS },
    { "--unsafe", VIR_MIGRATE_UNSAFE }, { "--parallel", VIR_MIGRATE_PARALLEL },
    { "--zerocopy", VIR_MIGRATE_ZEROCOPY },
    /* Options that add no flag. */
    { "--timeout-postcopy", 0 },
  };
  unsigned int flags = 0;
  guint i, j;

  *line = (LineParams) { 0 };
  g_assert_cmpstr (argv[0], ==, "virsh");
  g_assert_cmpstr (argv[1], ==, "-c");
  g_assert_cmpstr (argv[3], ==, "migrate");
  for (i = 4; argv[i] != NULL; i++)
    {
      gboolean known = FALSE;

      if (g_str_equal (argv[i], "--domain") || g_str_equal (argv[i], "--desturi")
          || g_str_equal (argv[i], "--timeout"))
        {
          g_assert_nonnull (argv[++i]);
          continue;
        }
      if (g_str_equal (argv[i], "--bandwidth"))
        {
          line->bandwidth = g_ascii_strtoull (argv[++i], NULL, 10);
          continue;
        }
      if (g_str_equal (argv[i], "--comp-methods"))
        {
          line->compression = argv[++i];
          continue;
        }
      if (g_str_equal (argv[i], "--parallel-connections"))
        {
          line->parallel = (int) g_ascii_strtoll (argv[++i], NULL, 10);
          continue;
        }
      if (g_str_equal (argv[i], "--comp-xbzrle-cache"))
        {
          line->xbzrle_cache = g_ascii_strtoull (argv[++i], NULL, 10);
          continue;
        }
      for (j = 0; j < G_N_ELEMENTS (table); j++)
        if (g_str_equal (argv[i], table[j].option))
          {
            flags |= table[j].flag;
            known = TRUE;
          }
      if (!known)
        g_error ("the test does not know virsh's %s", argv[i]);
    }
  return flags;
}

static void
test_each_option (void)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (option_cases); i++)
    {
      const OptionCase *c = &option_cases[i];
      g_autoptr(MwMigrationOptions) defaults = mw_migration_options_new_defaults ();
      const MwMigrationOptions *options = &c->options;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      g_auto(GStrv) lines = NULL;
      g_auto(GStrv) argv = NULL;
      unsigned int flags = 0;
      virTypedParameterPtr params = NULL;
      int nparams = 0;
      unsigned long long bandwidth = 0;
      unsigned long long cache = 0;
      int parallel = 0;
      const char *compression = NULL;
      LineParams line;

      g_test_message ("option: %s", c->name);
      if (i == 0)
        g_assert_true (mw_migration_options_equal (options, defaults));
      else
        g_assert_false (mw_migration_options_equal (options, defaults));

      /* What libvirt receives. */
      g_assert_true (mw_migration_options_to_flags_and_params (options, DEST, &flags, &params,
                                                               &nparams, &error));
      g_assert_no_error (error);
      g_assert_cmphex (flags, ==, c->flags);
      if (virTypedParamsGetULLong (params, nparams, VIR_MIGRATE_PARAM_BANDWIDTH, &bandwidth) != 1)
        bandwidth = 0;
      g_assert_cmpuint (bandwidth, ==, c->bandwidth);
      if (virTypedParamsGetString (params, nparams, VIR_MIGRATE_PARAM_COMPRESSION,
                                   &compression) != 1)
        compression = NULL;
      g_assert_cmpstr (compression, ==, c->compression);
      if (virTypedParamsGetInt (params, nparams, VIR_MIGRATE_PARAM_PARALLEL_CONNECTIONS,
                                &parallel) != 1)
        parallel = 0;
      g_assert_cmpint (parallel, ==, c->parallel);
      if (virTypedParamsGetULLong (params, nparams, VIR_MIGRATE_PARAM_COMPRESSION_XBZRLE_CACHE,
                                   &cache) != 1)
        cache = 0;
      g_assert_cmpuint (cache, ==, c->xbzrle_cache);
      g_assert_cmpint (nparams, ==, (c->bandwidth != 0) + (c->compression != NULL)
                                    + (c->parallel != 0) + (c->xbzrle_cache != 0));

      /* What is printed. */
      text = mw_migration_options_to_virsh_text (options, "qemu+ssh://root@hosta/system", "vm",
                                                 DEST, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (text, ==, c->virsh);

      /* The printed line asks libvirt for the same flags and parameters. */
      lines = g_strsplit (text, "\n", -1);
      g_assert_true (g_shell_parse_argv (lines[0], NULL, &argv, &error));
      g_assert_no_error (error);
      g_assert_cmphex (virsh_line_flags (argv, &line), ==, flags);
      g_assert_cmpuint (line.bandwidth, ==, bandwidth);
      g_assert_cmpstr (line.compression, ==, compression);
      g_assert_cmpint (line.parallel, ==, parallel);
      g_assert_cmpuint (line.xbzrle_cache, ==, cache);
      virTypedParamsFree (params, nparams);
    }
}

/* Every option virsh is given must be one `virsh migrate` of this libvirt knows, and the named
 * --domain/--desturi form must parse: asks the installed virsh (no connection is made for
 * --help). */
static void
test_virsh_accepts (void)
{
  g_autofree char *virsh = g_find_program_in_path ("virsh");
  g_autofree char *help = NULL;
  g_autoptr(MwMigrationOptions) options = mw_migration_options_new_defaults ();
  g_auto(GStrv) argv = NULL;
  g_auto(GStrv) downtime = NULL;
  const char *help_argv[] = { "virsh", "migrate", "--help", NULL };
  const char *downtime_help_argv[] = { "virsh", "migrate-setmaxdowntime", "--help", NULL };
  g_autofree char *downtime_help = NULL;
  g_autoptr(GError) error = NULL;
  guint i;

  if (virsh == NULL)
    {
      g_test_skip ("virsh is not installed");
      return;
    }

  g_assert_true (g_spawn_sync (NULL, (char **) help_argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &help, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_sync (NULL, (char **) downtime_help_argv, NULL, G_SPAWN_SEARCH_PATH,
                               NULL, NULL, &downtime_help, NULL, NULL, &error));

  options->persistence = MW_MIGRATION_PERSISTENCE_MOVE;
  options->storage = MW_MIGRATION_STORAGE_COPY_ALL;
  options->bandwidth_mib_s = 64;
  options->max_downtime_ms = 500;
  options->auto_converge = TRUE;
  options->postcopy = TRUE;
  options->postcopy_after_s = 5;
  options->compression = MW_MIGRATION_COMPRESSION_XBZRLE;
  options->xbzrle_cache_mib = 64;
  options->tls = TRUE;
  options->unsafe = TRUE;
  argv = mw_migration_options_to_virsh (options, NULL, "vm", DEST, &error);
  g_assert_true (g_strv_contains ((const char * const *) argv, "--timeout-postcopy"));
  for (i = 2; argv[i] != NULL; i++)
    if (g_str_has_prefix (argv[i], "--"))
      {
        g_autofree char *needle = g_strdup_printf ("[%s", argv[i]);
        g_autofree char *needle2 = g_strdup_printf (" %s ", argv[i]);

        g_test_message ("checking %s", argv[i]);
        g_assert_true (strstr (help, needle) != NULL || strstr (help, needle2) != NULL);
      }

  options->connection = MW_MIGRATION_CONNECTION_TUNNELLED;
  options->tls = FALSE;
  options->postcopy = FALSE;
  options->postcopy_after_s = 0;
  options->storage = MW_MIGRATION_STORAGE_COPY_INCREMENTAL;
  g_strfreev (argv);
  argv = mw_migration_options_to_virsh (options, NULL, "vm", DEST, &error);
  for (i = 2; argv[i] != NULL; i++)
    if (g_str_has_prefix (argv[i], "--"))
      {
        g_autofree char *needle = g_strdup_printf ("%s", argv[i]);

        g_assert_nonnull (strstr (help, needle));
      }

  /* Parallel, zero-copy, multifd compression. */
  options->connection = MW_MIGRATION_CONNECTION_PEER_TO_PEER;
  options->parallel_connections = 2;
  options->compression = MW_MIGRATION_COMPRESSION_ZSTD;
  options->xbzrle_cache_mib = 0;
  g_strfreev (argv);
  argv = mw_migration_options_to_virsh (options, NULL, "vm", DEST, &error);
  g_assert_no_error (error);
  options->compression = MW_MIGRATION_COMPRESSION_NONE;
  options->zerocopy = TRUE;
  {
    g_auto(GStrv) zerocopy = mw_migration_options_to_virsh (options, NULL, "vm", DEST, &error);

    g_assert_no_error (error);
    g_assert_true (g_strv_contains ((const char * const *) zerocopy, "--zerocopy"));
    g_assert_nonnull (strstr (help, "[--zerocopy]"));
  }
  for (i = 2; argv[i] != NULL; i++)
    if (g_str_has_prefix (argv[i], "--"))
      {
        g_autofree char *needle = g_strdup_printf ("[%s", argv[i]);

        g_test_message ("checking %s", argv[i]);
        g_assert_nonnull (strstr (help, needle));
      }

  downtime = mw_migration_options_to_virsh_downtime (options, NULL, "vm");
  g_assert_nonnull (strstr (downtime_help, "[--domain] <string>"));
  g_assert_nonnull (strstr (downtime_help, "[--downtime] <number>"));
  g_assert_cmpstr (downtime[1], ==, "migrate-setmaxdowntime");
}

static void
test_explain (void)
{
  g_autoptr(MwMigrationOptions) options = mw_migration_options_new_defaults ();
  g_autoptr(GEnumClass) klass = g_type_class_ref (MW_TYPE_MIGRATION_OPTION);
  guint i;

  for (i = 0; i < klass->n_values; i++)
    {
      const char *text = mw_migration_options_explain (options, klass->values[i].value);

      g_assert_nonnull (text);
      g_assert_cmpuint (strlen (text), >, 20);
      g_assert_null (strchr (text, '\n'));
    }

  g_assert_cmpstr (mw_migration_options_explain (options, MW_MIGRATION_OPTION_STORAGE), !=,
                   (options->storage = MW_MIGRATION_STORAGE_COPY_ALL,
                    mw_migration_options_explain (options, MW_MIGRATION_OPTION_STORAGE)));
  options->connection = MW_MIGRATION_CONNECTION_CLIENT;
  g_assert_nonnull (strstr (mw_migration_options_explain (options, MW_MIGRATION_OPTION_CONNECTION),
                            "closed"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mw/migration-options/defaults", test_defaults);
  g_test_add_func ("/mw/migration-options/conflicts", test_conflicts);
  g_test_add_func ("/mw/migration-options/warnings", test_warnings);
  g_test_add_func ("/mw/migration-options/flags-and-params", test_flags_and_params);
  g_test_add_func ("/mw/migration-options/destination", test_destination);
  g_test_add_func ("/mw/migration-options/shell-quote", test_shell_quote);
  g_test_add_func ("/mw/migration-options/virsh", test_virsh);
  g_test_add_func ("/mw/migration-options/each-option", test_each_option);
  g_test_add_func ("/mw/migration-options/virsh-accepts", test_virsh_accepts);
  g_test_add_func ("/mw/migration-options/explain", test_explain);

  return g_test_run ();
}
