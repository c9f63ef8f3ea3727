/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-cli-migrate-args.c: `mig-wizard-cli migrate`'s options, parsed by its own option table,
 * become the MwMigrationOptions they say — each option on its own, the conflicting pairs, and
 * the end summary's timing line. */

#include "config.h"

#include <string.h>

#include "mw-cli-migrate-args.h"
#include "mw-uri.h"

#define FROM "qemu+ssh://root@hosta/system"
#define TO "qemu+ssh://root@hostb/system"

/* The defaults (all zero but the connection) with what an option changes. */
#define P2P .connection = MW_MIGRATION_CONNECTION_PEER_TO_PEER
#define CLIENT .connection = MW_MIGRATION_CONNECTION_CLIENT

/* Parses "migrate --from FROM --to TO <extra> vm" with the command's own table. */
static MwMigrationOptions *
parse (const char        *extra,
       MwCliMigrateArgs  *args,
       GError           **error)
{
  g_autofree char *line = g_strdup_printf ("migrate --from " FROM " --to " TO " %s vm", extra);
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) argv = NULL;

  g_assert_true (g_shell_parse_argv (line, NULL, &argv, NULL));
  mw_cli_migrate_args_init (args);
  context = mw_cli_migrate_args_context_new (args);
  if (!g_option_context_parse_strv (context, &argv, error))
    return NULL;
  g_assert_cmpuint (g_strv_length (argv), ==, 2);
  g_assert_cmpstr (argv[1], ==, "vm");
  return mw_cli_migrate_args_to_options (args, error);
}

static void
test_each_option (void)
{
  const struct
  {
    const char *extra;
    MwMigrationOptions expected;
  } cases[] = {
    { "", { P2P } },
    { "--offline", { .mode = MW_MIGRATION_MODE_OFFLINE, P2P } },
    { "--temporary", { .persistence = MW_MIGRATION_PERSISTENCE_TEMPORARY, P2P } },
    { "--copy-storage all", { .storage = MW_MIGRATION_STORAGE_COPY_ALL, P2P } },
    { "--copy-storage inc", { .storage = MW_MIGRATION_STORAGE_COPY_INCREMENTAL, P2P } },
    { "--max-downtime 500", { .max_downtime_ms = 500, P2P } },
    { "--bandwidth 8", { .bandwidth_mib_s = 8, P2P } },
    { "--auto-converge", { .auto_converge = TRUE, P2P } },
    { "--postcopy", { .postcopy = TRUE, P2P } },
    { "--postcopy-after 4", { .postcopy = TRUE, .postcopy_after_s = 4, P2P } },
    { "--postcopy --postcopy-after 4", { .postcopy = TRUE, .postcopy_after_s = 4, P2P } },
    { "--postcopy --bandwidth 8 --postcopy-recover",
      { .postcopy = TRUE, .bandwidth_mib_s = 8, .postcopy_resume = TRUE, P2P } },
    { "--compressed xbzrle", { .compression = MW_MIGRATION_COMPRESSION_XBZRLE, P2P } },
    { "--compressed mt", { .compression = MW_MIGRATION_COMPRESSION_MT, P2P } },
    { "--parallel 4", { .parallel_connections = 4, P2P } },
    { "--parallel 1", { .parallel_connections = 1, P2P } },
    /* Sized by the caller once both hosts answered. */
    { "--parallel auto", { .parallel_connections = MW_CLI_PARALLEL_AUTO, P2P } },
    { "--parallel 2 --zerocopy", { .parallel_connections = 2, .zerocopy = TRUE, P2P } },
    { "--parallel 2 --compressed zlib",
      { .parallel_connections = 2, .compression = MW_MIGRATION_COMPRESSION_ZLIB, P2P } },
    { "--parallel 2 --compressed zstd",
      { .parallel_connections = 2, .compression = MW_MIGRATION_COMPRESSION_ZSTD, P2P } },
    { "--compressed xbzrle --xbzrle-cache 256",
      { .compression = MW_MIGRATION_COMPRESSION_XBZRLE, .xbzrle_cache_mib = 256, P2P } },
    /* Issue #10: --client was accepted and the migration ran peer-to-peer anyway. */
    { "--client", { CLIENT } },
    { "--client --bandwidth 8", { .bandwidth_mib_s = 8, CLIENT } },
    { "--p2p", { P2P } },
    { "--tunnelled", { .connection = MW_MIGRATION_CONNECTION_TUNNELLED } },
    { "--tls", { .tls = TRUE, P2P } },
    { "--unsafe", { .unsafe = TRUE, P2P } },
    /* Run options change nothing libvirt hears. */
    { "--ping auto --rate 10 --report r.json --csv r.csv --abort-after 3 --quiet "
      "--print-virsh", { P2P } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const MwMigrationOptions *expected = &cases[i].expected;
      MwCliMigrateArgs args;
      g_autoptr(MwMigrationOptions) options = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("migrate %s", cases[i].extra);
      options = parse (cases[i].extra, &args, &error);
      g_assert_no_error (error);
      g_assert_nonnull (options);
      g_assert_cmpint (options->connection, ==, expected->connection);
      g_assert_cmpuint (options->postcopy_after_s, ==, expected->postcopy_after_s);
      g_assert_true (mw_migration_options_equal (options, expected));
      g_assert_cmpstr (mw_cli_migrate_args_dest_uri (&args), ==, TO);
      mw_cli_migrate_args_clear (&args);
    }
}

/* The printed line of `migrate --client --print-virsh` is client-driven too: no --p2p. */
static void
test_client_line (void)
{
  MwCliMigrateArgs args;
  g_autoptr(MwMigrationOptions) options = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  options = parse ("--client --print-virsh", &args, &error);
  g_assert_no_error (error);
  g_assert_true (args.print_virsh);
  text = mw_migration_options_to_virsh_text (options, args.from, "vm",
                                             mw_cli_migrate_args_dest_uri (&args), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "virsh -c " FROM " migrate --live --persistent --undefinesource "
                             "--domain vm --desturi " TO);
  mw_cli_migrate_args_clear (&args);
}

static void
test_peer_uri (void)
{
  MwCliMigrateArgs args;
  g_autoptr(MwMigrationOptions) options = NULL;
  g_autoptr(GError) error = NULL;

  options = parse ("--peer-uri qemu+ssh://root@10.78.0.3/system", &args, &error);
  g_assert_no_error (error);
  g_assert_cmpint (options->connection, ==, MW_MIGRATION_CONNECTION_PEER_TO_PEER);
  g_assert_cmpstr (mw_cli_migrate_args_dest_uri (&args), ==, "qemu+ssh://root@10.78.0.3/system");
  mw_cli_migrate_args_clear (&args);
}

static void
test_refused (void)
{
  const struct
  {
    const char *extra;
    GQuark domain;
    int code;
  } cases[] = {
    /* Connection modes exclude each other. */
    { "--client --p2p", G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE },
    { "--client --tunnelled", G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE },
    { "--p2p --tunnelled", G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE },
    { "--client --peer-uri qemu+ssh://root@hostb/system", G_OPTION_ERROR,
      G_OPTION_ERROR_BAD_VALUE },
    /* A URI that turns host-key checking off or names a program to run (the later --from and
     * --to win over the ones parse() puts first). */
    { "--peer-uri 'qemu+ssh://root@hostb/system?no_verify=1'", MW_URI_ERROR,
      MW_URI_ERROR_UNSAFE },
    { "--from 'qemu+ssh://root@hosta/system?command=/tmp/x'", MW_URI_ERROR,
      MW_URI_ERROR_UNSAFE },
    { "--to 'qemu+ssh://root@hostb/system?known_hosts_verify=ignore'", MW_URI_ERROR,
      MW_URI_ERROR_UNSAFE },
    /* Values no option takes. */
    { "--copy-storage some", G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE },
    { "--compressed lz4", G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE },
    { "--parallel -1", G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE },
    { "--parallel 256", G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE },
    /* 0 used to pass as "one stream" without a word. */
    { "--parallel 0", G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE },
    { "--parallel 2x", G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE },
    { "--parallel ''", G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE },
    { "--parallel AUTO", G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE },
    { "--xbzrle-cache -1", G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE },
    { "--bandwidth -1", G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE },
    { "--max-downtime -1", G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE },
    { "--postcopy-after -1", G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE },
    { "--abort-after -1", G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE },
    { "--rate 0", G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE },
    { "--rate 101", G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE },
    /* virsh's --timeout takes whole seconds: so does --postcopy-after. */
    { "--postcopy-after 2.5", G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE },
    /* The conflicting pairs MwMigrationOptions refuses. */
    { "--offline --temporary", MW_MIGRATION_OPTIONS_ERROR,
      MW_MIGRATION_OPTIONS_ERROR_OFFLINE_TEMPORARY },
    { "--offline --copy-storage all", MW_MIGRATION_OPTIONS_ERROR,
      MW_MIGRATION_OPTIONS_ERROR_OFFLINE_STORAGE },
    { "--offline --postcopy", MW_MIGRATION_OPTIONS_ERROR,
      MW_MIGRATION_OPTIONS_ERROR_OFFLINE_POSTCOPY },
    { "--offline --postcopy-after 4", MW_MIGRATION_OPTIONS_ERROR,
      MW_MIGRATION_OPTIONS_ERROR_OFFLINE_POSTCOPY },
    { "--offline --auto-converge", MW_MIGRATION_OPTIONS_ERROR,
      MW_MIGRATION_OPTIONS_ERROR_OFFLINE_AUTO_CONVERGE },
    { "--offline --compressed xbzrle", MW_MIGRATION_OPTIONS_ERROR,
      MW_MIGRATION_OPTIONS_ERROR_OFFLINE_COMPRESSION },
    { "--offline --max-downtime 500", MW_MIGRATION_OPTIONS_ERROR,
      MW_MIGRATION_OPTIONS_ERROR_OFFLINE_DOWNTIME },
    { "--offline --bandwidth 8", MW_MIGRATION_OPTIONS_ERROR,
      MW_MIGRATION_OPTIONS_ERROR_OFFLINE_BANDWIDTH },
    { "--tunnelled --tls", MW_MIGRATION_OPTIONS_ERROR, MW_MIGRATION_OPTIONS_ERROR_TUNNELLED_TLS },
    { "--tunnelled --postcopy", MW_MIGRATION_OPTIONS_ERROR,
      MW_MIGRATION_OPTIONS_ERROR_TUNNELLED_POSTCOPY },
    { "--tunnelled --postcopy-after 4", MW_MIGRATION_OPTIONS_ERROR,
      MW_MIGRATION_OPTIONS_ERROR_TUNNELLED_POSTCOPY },
    { "--postcopy --compressed mt", MW_MIGRATION_OPTIONS_ERROR,
      MW_MIGRATION_OPTIONS_ERROR_POSTCOPY_COMPRESSION },
    { "--postcopy-recover", MW_MIGRATION_OPTIONS_ERROR,
      MW_MIGRATION_OPTIONS_ERROR_POSTCOPY_RESUME },
    { "--offline --parallel 2", MW_MIGRATION_OPTIONS_ERROR,
      MW_MIGRATION_OPTIONS_ERROR_OFFLINE_PARALLEL },
    { "--tunnelled --parallel 2", MW_MIGRATION_OPTIONS_ERROR,
      MW_MIGRATION_OPTIONS_ERROR_TUNNELLED_PARALLEL },
    { "--compressed zstd", MW_MIGRATION_OPTIONS_ERROR,
      MW_MIGRATION_OPTIONS_ERROR_PARALLEL_COMPRESSION },
    { "--parallel 2 --compressed xbzrle", MW_MIGRATION_OPTIONS_ERROR,
      MW_MIGRATION_OPTIONS_ERROR_PARALLEL_COMPRESSION },
    { "--zerocopy", MW_MIGRATION_OPTIONS_ERROR, MW_MIGRATION_OPTIONS_ERROR_ZEROCOPY },
    { "--parallel 2 --zerocopy --tls", MW_MIGRATION_OPTIONS_ERROR,
      MW_MIGRATION_OPTIONS_ERROR_ZEROCOPY },
    { "--xbzrle-cache 64", MW_MIGRATION_OPTIONS_ERROR, MW_MIGRATION_OPTIONS_ERROR_XBZRLE_CACHE },
    /* --policy recommended decides these itself; its inputs make no sense without it. */
    { "--policy fastest", G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE },
    { "--policy recommended --auto-converge", G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE },
    { "--policy recommended --postcopy-after 4", G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE },
    { "--policy recommended --parallel auto", G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE },
    { "--policy recommended --compressed xbzrle", G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE },
    { "--policy recommended --offline", G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE },
    { "--policy recommended --link-mib-s -1", G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE },
    { "--link-mib-s 100", G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE },
    { "--dirty-mib-s 0", G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      MwCliMigrateArgs args;
      g_autoptr(MwMigrationOptions) options = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("migrate %s", cases[i].extra);
      options = parse (cases[i].extra, &args, &error);
      g_assert_null (options);
      g_assert_error (error, cases[i].domain, cases[i].code);
      mw_cli_migrate_args_clear (&args);
    }
}

/* --policy recommended's input: the measured link, else the cap; the dirty rate; the limit. */
static void
test_policy_input (void)
{
  const struct
  {
    const char *extra;
    guint64 link_mib_s;
    gboolean link_is_cap;
    gint64 dirty_mib_s;
    guint downtime_ms;
  } cases[] = {
    { "--policy recommended", 0, FALSE, -1, 0 },
    { "--policy recommended --link-mib-s 32 --dirty-mib-s 0 --max-downtime 500",
      32, FALSE, 0, 500 },
    { "--policy recommended --bandwidth 16 --dirty-mib-s 64", 16, TRUE, 64, 0 },
    /* The slower one is what the migration gets. */
    { "--policy recommended --bandwidth 16 --link-mib-s 32", 16, TRUE, -1, 0 },
    { "--policy recommended --bandwidth 64 --link-mib-s 32", 32, FALSE, -1, 0 },
  };
  MwCliMigrateArgs args;
  MwMigrationPolicyInput input;
  g_autoptr(MwMigrationOptions) plain = parse ("", &args, NULL);

  g_assert_false (mw_cli_migrate_args_policy_input (&args, &input));
  mw_cli_migrate_args_clear (&args);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MwMigrationOptions) options = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("migrate %s", cases[i].extra);
      options = parse (cases[i].extra, &args, &error);
      g_assert_no_error (error);
      g_assert_true (mw_cli_migrate_args_policy_input (&args, &input));
      g_assert_cmpuint (input.link_bps, ==, cases[i].link_mib_s << 20);
      g_assert_cmpint (input.link_is_cap, ==, cases[i].link_is_cap);
      g_assert_cmpint (input.dirty_rate_bps, ==,
                       cases[i].dirty_mib_s < 0 ? -1 : cases[i].dirty_mib_s << 20);
      g_assert_cmpuint (input.max_downtime_ms, ==, cases[i].downtime_ms);
      g_assert_null (input.caps);
      mw_cli_migrate_args_clear (&args);
    }
}

static void
test_timing (void)
{
  g_autofree char *both = mw_cli_migrate_timing (4700, 6700 * 1000);
  g_autofree char *none = mw_cli_migrate_timing (0, 2300 * 1000);

  /* Each figure named: the call (the report's and the window's total) and the command. */
  g_assert_cmpstr (both, ==, "Migration call: 4.7 s; this command ran 6.7 s.");
  g_assert_cmpstr (none, ==, "No migration call was made; this command ran 2.3 s.");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mw/cli-migrate-args/each-option", test_each_option);
  g_test_add_func ("/mw/cli-migrate-args/client-line", test_client_line);
  g_test_add_func ("/mw/cli-migrate-args/peer-uri", test_peer_uri);
  g_test_add_func ("/mw/cli-migrate-args/refused", test_refused);
  g_test_add_func ("/mw/cli-migrate-args/timing", test_timing);
  g_test_add_func ("/mw/cli-migrate-args/policy-input", test_policy_input);

  return g_test_run ();
}
