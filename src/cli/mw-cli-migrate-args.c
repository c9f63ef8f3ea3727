/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-cli-migrate-args.c: `mig-wizard-cli migrate`'s option table and its mapping to
 * MwMigrationOptions. The mapping is the one place a CLI option becomes what libvirt hears, so
 * tests/cli checks it for every option (mw-cli.c only runs the result). */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "mw-cli-migrate-args.h"
#include "mw-convergence.h"
#include "mw-migration-job.h"
#include "mw-text.h"
#include "mw-uri.h"

/* --abort-after's ceiling: a week, far below what a GLib timeout in ms can hold. */
#define MW_CLI_MAX_SECONDS (7 * 24 * 3600.0)

void
mw_cli_migrate_args_init (MwCliMigrateArgs *args)
{
  g_return_if_fail (args != NULL);

  *args = (MwCliMigrateArgs) { 0 };
  args->rate = 4.0;
  args->stall_timeout = MW_MIGRATION_JOB_DEFAULT_STALL_TIMEOUT_S;
  args->dirty_mib_s = -1;
}

void
mw_cli_migrate_args_clear (MwCliMigrateArgs *args)
{
  g_return_if_fail (args != NULL);

  g_clear_pointer (&args->from, g_free);
  g_clear_pointer (&args->to, g_free);
  g_clear_pointer (&args->copy_storage, g_free);
  g_clear_pointer (&args->compressed, g_free);
  g_clear_pointer (&args->peer_uri, g_free);
  g_clear_pointer (&args->ping, g_free);
  g_clear_pointer (&args->report, g_free);
  g_clear_pointer (&args->csv, g_free);
  g_clear_pointer (&args->parallel, g_free);
  g_clear_pointer (&args->policy, g_free);
}

GOptionContext *
mw_cli_migrate_args_context_new (MwCliMigrateArgs *args)
{
  GOptionContext *context;
  /* GOption copies the table; the pointers into args stay. */
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &args->from,
      N_("The source host’s libvirt URI (required)"), "URI" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &args->to,
      N_("The destination host’s libvirt URI (required)"), "URI" },
    { "offline", 0, 0, G_OPTION_ARG_NONE, &args->offline,
      N_("Move only the definition, not a running guest"), NULL },
    { "temporary", 0, 0, G_OPTION_ARG_NONE, &args->temporary,
      N_("Run there until shut down; keep the definition on the source"), NULL },
    { "copy-storage", 0, 0, G_OPTION_ARG_STRING, &args->copy_storage,
      N_("Copy the disks too: all, or inc (the backing image is there already)"), "all|inc" },
    { "max-downtime", 0, 0, G_OPTION_ARG_INT, &args->max_downtime,
      N_("The longest pause allowed at the switch-over, 0 to 2147483647 ms (default: QEMU’s "
         "300)"), "MS" },
    { "bandwidth", 0, 0, G_OPTION_ARG_INT, &args->bandwidth,
      N_("Cap the migration’s bandwidth, 0 to 2147483647 MiB/s (default and 0: unlimited)"),
      "MIB_S" },
    { "auto-converge", 0, 0, G_OPTION_ARG_NONE, &args->auto_converge,
      N_("Slow the guest’s vCPUs down until the migration converges"), NULL },
    { "postcopy", 0, 0, G_OPTION_ARG_NONE, &args->postcopy,
      N_("Allow switching to post-copy"), NULL },
    { "postcopy-after", 0, 0, G_OPTION_ARG_INT, &args->postcopy_after,
      N_("Switch to post-copy this many whole seconds after the start, 0 to 2147483647 "
         "(implies --postcopy)"), "SECONDS" },
    { "postcopy-recover", 0, 0, G_OPTION_ARG_NONE, &args->postcopy_recover,
      N_("Recover a post-copy migration that broke off and is paused (give the same options as "
         "the run that broke)"), NULL },
    { "compressed", 0, 0, G_OPTION_ARG_STRING, &args->compressed,
      N_("Compress the memory stream (zlib and zstd need --parallel)"),
      "xbzrle|mt|zlib|zstd" },
    { "xbzrle-cache", 0, 0, G_OPTION_ARG_INT, &args->xbzrle_cache,
      N_("XBZRLE’s page cache, 0 to 2147483647 MiB (default and 0: QEMU’s 64)"), "MIB" },
    { "parallel", 0, 0, G_OPTION_ARG_STRING, &args->parallel,
      N_("Send the memory over 1 to 255 connections at once; “auto” sizes it from the link "
         "and both hosts’ CPUs (default: one stream)"), "N|auto" },
    { "zerocopy", 0, 0, G_OPTION_ARG_NONE, &args->zerocopy,
      N_("Send pages without copying them: needs --parallel, and neither --tls nor "
         "--compressed; the source’s libvirt must be able to let the guest lock its memory"),
      NULL },
    { "client", 0, 0, G_OPTION_ARG_NONE, &args->client,
      N_("This program talks to both hosts (client-driven)"), NULL },
    { "p2p", 0, 0, G_OPTION_ARG_NONE, &args->p2p,
      N_("The source host talks to the destination itself (the default)"), NULL },
    { "tunnelled", 0, 0, G_OPTION_ARG_NONE, &args->tunnelled,
      N_("Peer-to-peer, with the data through libvirt’s own connection"), NULL },
    { "peer-uri", 0, 0, G_OPTION_ARG_STRING, &args->peer_uri,
      N_("The destination’s URI as the source host sees it (peer-to-peer)"), "URI" },
    { "tls", 0, 0, G_OPTION_ARG_NONE, &args->tls,
      N_("Encrypt the migration stream (the hosts need migration certificates)"), NULL },
    { "unsafe", 0, 0, G_OPTION_ARG_NONE, &args->unsafe,
      N_("Skip libvirt’s shared-storage and cache-mode safety checks"), NULL },
    { "ping", 0, 0, G_OPTION_ARG_STRING, &args->ping,
      N_("Ping the guest at this address during the migration; “auto” asks libvirt for it"),
      "ADDR|auto" },
    { "rate", 0, 0, G_OPTION_ARG_DOUBLE, &args->rate,
      N_("Progress samples a second, 0.1 to 100 (default: 4)"), "HZ" },
    { "report", 0, 0, G_OPTION_ARG_FILENAME, &args->report,
      N_("Write the report (JSON) to this file at the end"), "FILE.json" },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &args->csv,
      N_("Write the samples and events (CSV) to this file at the end"), "FILE" },
    { "abort-after", 0, 0, G_OPTION_ARG_DOUBLE, &args->abort_after,
      N_("Stop the migration this long after the start, 0 to 604800 s (the guest stays on "
         "the source)"), "SECONDS" },
    { "stall-timeout", 0, 0, G_OPTION_ARG_INT, &args->stall_timeout,
      N_("Stop a migration whose stream moved no data for this long, 0 to 604800 s (default: "
         "60; 0: never)"), "SECONDS" },
    { "print-virsh", 0, 0, G_OPTION_ARG_NONE, &args->print_virsh,
      N_("Print the equivalent virsh commands and exit without migrating"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &args->quiet,
      N_("No progress lines, only the summary"), NULL },
    { "forecast", 0, 0, G_OPTION_ARG_NONE, &args->forecast,
      N_("Run the pre-flight checks first for their convergence forecast (a few seconds), and "
         "put it beside the outcome in the summary and the report"), NULL },
    { "policy", 0, 0, G_OPTION_ARG_STRING, &args->policy,
      N_("“recommended”: choose parallel connections, auto-converge, post-copy and compression "
         "from both hosts, the link and the dirty rate, and say why (keeps --max-downtime as "
         "the limit)"), "recommended" },
    { "link-mib-s", 0, 0, G_OPTION_ARG_INT, &args->link_mib_s,
      N_("The link’s measured throughput, for --policy (default: the --bandwidth cap)"),
      "MIB_S" },
    { "dirty-mib-s", 0, 0, G_OPTION_ARG_INT, &args->dirty_mib_s,
      N_("The guest’s measured dirty rate, for --policy (default: measured for 1 s)"), "MIB_S" },
    G_OPTION_ENTRY_NULL
  };

  g_return_val_if_fail (args != NULL, NULL);

  context = g_option_context_new (_("DOMAIN — live-migrate a virtual machine"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Moves DOMAIN from the --from host to the --to host while it runs, shows how the copy\n"
      "progresses (pass, memory left, dirty rate, throughput, and whether it will finish),\n"
      "and checks on both hosts where the guest runs afterwards. Ctrl+C stops the migration;\n"
      "the guest then keeps running on the source."));
  g_option_context_set_description (context,
    _("Exit status: 0 when the guest was found running on the destination (with\n"
      "--postcopy-recover also when the post-copy had finished already: nothing to recover),\n"
      "1 when the migration failed or was stopped, 2 for bad input, 3 when a post-copy broke\n"
      "off and the guest waits, paused, for --postcopy-recover.\n\n"
      "Example:\n"
      "  mig-wizard-cli migrate --from qemu+ssh://root@hosta/system \\\n"
      "      --to qemu+ssh://root@hostb/system --ping auto --report run.json labguest"));

  return context;
}

/* "auto", or an address the pinger takes (brackets around IPv6 are not part of it). */
static gboolean
check_ping (const char  *ping,
            GError     **error)
{
  g_autoptr(GInetAddress) address = NULL;

  if (ping == NULL || g_str_equal (ping, "auto"))
    return TRUE;
  address = g_inet_address_new_from_string (ping);
  if (address == NULL)
    {
      mw_set_error_quoting (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                            _("--ping takes an IPv4 or IPv6 address or “auto”, not “%s”."),
                            ping);
      return FALSE;
    }
  return TRUE;
}

/* --parallel: unset is one stream (0); "auto" is MW_CLI_PARALLEL_AUTO, sized once both
 * hosts are known; else 1 to 255 connections (QEMU's multifd-channels is a uint8). 0 is refused:
 * it used to pass silently as "one stream", which is not what someone typing it asked for. */
static gboolean
parse_parallel (const char  *text,
                guint       *connections,
                GError     **error)
{
  guint64 value = 0;

  *connections = 0;
  if (text == NULL)
    return TRUE;
  if (g_str_equal (text, "auto"))
    {
      *connections = MW_CLI_PARALLEL_AUTO;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (text, 10, 1, 255, &value, NULL))
    return mw_cli_bad_value (error, _("--parallel takes a number of connections from 1 to 255, or "
                               "“auto”."));
  *connections = (guint) value;
  return TRUE;
}

/* --policy recommended decides the options that move the memory: naming one of them too is
 * refused rather than silently overridden. */
static gboolean
check_policy (const MwCliMigrateArgs  *args,
              GError                 **error)
{
  if (args->link_mib_s < 0 || args->dirty_mib_s < -1)
    return mw_cli_bad_value (error, _("--link-mib-s and --dirty-mib-s cannot be negative."));
  if (args->policy == NULL)
    {
      if (args->link_mib_s != 0 || args->dirty_mib_s != -1)
        return mw_cli_bad_value (error, _("--link-mib-s and --dirty-mib-s are for --policy "
                                          "recommended."));
      return TRUE;
    }
  if (!g_str_equal (args->policy, "recommended"))
    {
      mw_set_error_quoting (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                            _("--policy takes “recommended”, not “%s”."), args->policy);
      return FALSE;
    }
  if (args->offline || args->auto_converge || args->postcopy || args->postcopy_after != 0
      || args->postcopy_recover || args->compressed != NULL || args->parallel != NULL
      || args->zerocopy || args->xbzrle_cache != 0)
    return mw_cli_bad_value (error, _("--policy recommended chooses --auto-converge, --postcopy, "
                                      "--postcopy-after, --parallel, --compressed and "
                                      "--zerocopy itself, and is for live migrations: leave "
                                      "those out, or leave out --policy."));
  return TRUE;
}

gboolean
mw_cli_migrate_args_policy_input (const MwCliMigrateArgs *args,
                                  MwMigrationPolicyInput *input)
{
  g_return_val_if_fail (args != NULL, FALSE);
  g_return_val_if_fail (input != NULL, FALSE);

  mw_migration_policy_input_init (input);
  if (args->policy == NULL)
    return FALSE;
  /* The slower of the two is what the migration gets; a cap above the link changes nothing. */
  if (args->bandwidth > 0 && (args->link_mib_s == 0 || args->bandwidth <= args->link_mib_s))
    {
      input->link_bps = (guint64) args->bandwidth << 20;
      input->link_is_cap = TRUE;
    }
  else
    input->link_bps = (guint64) args->link_mib_s << 20;
  input->dirty_rate_bps = args->dirty_mib_s < 0 ? -1 : (gint64) args->dirty_mib_s << 20;
  input->max_downtime_ms = (guint) MAX (args->max_downtime, 0);
  return TRUE;
}

/* Fills options from args; FALSE for a value no option takes. */
static gboolean
fill_options (const MwCliMigrateArgs  *args,
              MwMigrationOptions      *options,
              GError                 **error)
{
  int modes = (args->client ? 1 : 0) + (args->p2p ? 1 : 0) + (args->tunnelled ? 1 : 0);
  const char *uris[] = { args->from, args->to, args->peer_uri };

  for (guint i = 0; i < G_N_ELEMENTS (uris); i++)
    {
      if (uris[i] != NULL && !mw_uri_check_query (uris[i], error))
        return FALSE;
    }
  if (args->offline)
    options->mode = MW_MIGRATION_MODE_OFFLINE;
  if (args->temporary)
    options->persistence = MW_MIGRATION_PERSISTENCE_TEMPORARY;
  if (args->copy_storage != NULL)
    {
      if (g_str_equal (args->copy_storage, "all"))
        options->storage = MW_MIGRATION_STORAGE_COPY_ALL;
      else if (g_str_equal (args->copy_storage, "inc"))
        options->storage = MW_MIGRATION_STORAGE_COPY_INCREMENTAL;
      else
        {
          mw_set_error_quoting (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                                _("--copy-storage takes “all” or “inc”, not “%s”."),
                                args->copy_storage);
          return FALSE;
        }
    }
  if (args->max_downtime < 0 || args->bandwidth < 0)
    return mw_cli_bad_value (error, _("--max-downtime and --bandwidth cannot be negative."));
  options->max_downtime_ms = (guint) args->max_downtime;
  options->bandwidth_mib_s = (guint) args->bandwidth;
  options->auto_converge = args->auto_converge;
  if (!(args->stall_timeout >= 0 && args->stall_timeout <= MW_CLI_MAX_SECONDS))
    return mw_cli_bad_value (error, _("--stall-timeout takes a number of seconds, 0 for never."));
  /* GOption reads "nan" and "inf" as numbers: only a finite number passes these. */
  if (!(args->abort_after >= 0 && args->abort_after <= MW_CLI_MAX_SECONDS)
      || args->postcopy_after < 0)
    return mw_cli_bad_value (error, _("--abort-after and --postcopy-after take a positive number "
                                      "of seconds."));
  options->postcopy = args->postcopy || args->postcopy_after > 0;
  options->postcopy_after_s = (guint) args->postcopy_after;
  options->postcopy_resume = args->postcopy_recover;
  if (args->compressed != NULL)
    {
      if (g_str_equal (args->compressed, "xbzrle"))
        options->compression = MW_MIGRATION_COMPRESSION_XBZRLE;
      else if (g_str_equal (args->compressed, "mt"))
        options->compression = MW_MIGRATION_COMPRESSION_MT;
      else if (g_str_equal (args->compressed, "zlib"))
        options->compression = MW_MIGRATION_COMPRESSION_ZLIB;
      else if (g_str_equal (args->compressed, "zstd"))
        options->compression = MW_MIGRATION_COMPRESSION_ZSTD;
      else
        {
          mw_set_error_quoting (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                                _("--compressed takes “xbzrle”, “mt”, “zlib” or “zstd”, not “%s”."),
                                args->compressed);
          return FALSE;
        }
    }
  if (!parse_parallel (args->parallel, &options->parallel_connections, error)
      || !check_policy (args, error))
    return FALSE;
  options->zerocopy = args->zerocopy;
  if (args->xbzrle_cache < 0)
    return mw_cli_bad_value (error, _("--xbzrle-cache cannot be negative."));
  options->xbzrle_cache_mib = (guint) args->xbzrle_cache;
  if (modes > 1)
    return mw_cli_bad_value (error, _("Choose one of --client, --p2p and --tunnelled."));
  if (args->client)
    options->connection = MW_MIGRATION_CONNECTION_CLIENT;
  else if (args->tunnelled)
    options->connection = MW_MIGRATION_CONNECTION_TUNNELLED;
  else
    options->connection = MW_MIGRATION_CONNECTION_PEER_TO_PEER;
  options->tls = args->tls;
  options->unsafe = args->unsafe;
  if (args->peer_uri != NULL && options->connection == MW_MIGRATION_CONNECTION_CLIENT)
    return mw_cli_bad_value (error, _("--peer-uri is for --p2p or --tunnelled migrations."));
  if (!(args->rate >= 0.1 && args->rate <= 100))
    return mw_cli_bad_value (error,
                             _("--rate takes a number of samples a second from 0.1 to 100."));
  if ((args->from != NULL && !mw_cli_check_uri ("--from", args->from, error))
      || (args->to != NULL && !mw_cli_check_uri ("--to", args->to, error))
      || (args->peer_uri != NULL && !mw_cli_check_uri ("--peer-uri", args->peer_uri, error))
      || !check_ping (args->ping, error))
    return FALSE;
  if ((args->report != NULL && *args->report == '\0') || (args->csv != NULL && *args->csv == '\0'))
    return mw_cli_bad_value (error, _("--report and --csv need a file name."));
  return TRUE;
}

MwMigrationOptions *
mw_cli_migrate_args_to_options (const MwCliMigrateArgs  *args,
                                GError                 **error)
{
  g_autoptr(MwMigrationOptions) options = NULL;

  g_return_val_if_fail (args != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  options = mw_migration_options_new_defaults ();
  if (!fill_options (args, options, error))
    return NULL;
  if (!mw_migration_options_validate (options, error))
    {
      mw_cli_name_option_error (options, error != NULL ? *error : NULL);
      return NULL;
    }

  return g_steal_pointer (&options);
}

const char *
mw_cli_migrate_args_dest_uri (const MwCliMigrateArgs *args)
{
  g_return_val_if_fail (args != NULL, NULL);

  return args->peer_uri != NULL ? args->peer_uri : args->to;
}

char *
mw_cli_migrate_timing (gint64 call_ms,
                       gint64 command_us)
{
  g_autofree char *call = mw_format_duration_us (call_ms * 1000);
  g_autofree char *command = mw_format_duration_us (command_us);

  if (call_ms <= 0)
    /* Translators: %s is a duration like "2.3 s". */
    return g_strdup_printf (_("No migration call was made; this command ran %s."), command);
  /* Translators: two durations like "4.7 s"; the first is the libvirt migration call (the
   * report's total), the second the whole command with its checks before and after. */
  return g_strdup_printf (_("Migration call: %s; this command ran %s."), call, command);
}
