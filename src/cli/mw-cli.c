/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-cli.c: mig-wizard-cli, the core without GTK, for admins' scripts and for the lab tests.
 *
 *   mig-wizard-cli migrate --from URI --to URI DOMAIN [OPTION…]
 *   mig-wizard-cli list URI
 *   mig-wizard-cli check …            (mw-cli-check.c)
 *   mig-wizard-cli --version
 *
 * `migrate` drives one MwMigrationJob on a GMainLoop, exactly as the wizard's live page does:
 * progress lines on stdout, the same end summary, Ctrl+C (or SIGTERM) aborts the migration and
 * leaves the guest on the source. Exit status: 0 only when the guest was found running on the
 * destination afterwards; 1 when the migration failed or was stopped; 2 for bad input.
 */

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdlib.h>

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <libvirt/libvirt.h>

#include "mw-i18n.h"
#include "mw-cli-check.h"
#include "mw-cli-setup.h"
#include "mw-domain-address.h"
#include "mw-leftover.h"
#include "mw-libvirt.h"
#include "mw-migration-job.h"
#include "mw-migration-options.h"
#include "mw-report.h"

#define EXIT_BAD_INPUT 2

typedef struct
{
  /* Options, as parsed */
  char *from;
  char *to;
  gboolean offline;
  gboolean temporary;
  char *copy_storage;
  int max_downtime;
  int bandwidth;
  gboolean auto_converge;
  gboolean postcopy;
  double postcopy_after;
  char *compressed;
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
  gboolean print_virsh;
  gboolean quiet;

  /* Run */
  GMainLoop *loop;
  MwMigrationJob *job;
  gint64 last_progress_us;
  guint abort_after_id;
  guint postcopy_after_id;
  guint n_signals;
  int exit_status;
  gboolean running_seen;
} Cli;

static void
cli_clear (Cli *cli)
{
  g_free (cli->from);
  g_free (cli->to);
  g_free (cli->copy_storage);
  g_free (cli->compressed);
  g_free (cli->peer_uri);
  g_free (cli->ping);
  g_free (cli->report);
  g_free (cli->csv);
  g_clear_handle_id (&cli->abort_after_id, g_source_remove);
  g_clear_handle_id (&cli->postcopy_after_id, g_source_remove);
  g_clear_object (&cli->job);
  g_clear_pointer (&cli->loop, g_main_loop_unref);
}

static int
usage_error (GOptionContext *context,
             const char     *message)
{
  g_printerr ("mig-wizard-cli: %s\n", message);
  if (context != NULL)
    g_printerr (_("Try “%s --help” for the options.\n"), g_get_prgname ());
  return EXIT_BAD_INPUT;
}

/* ---- migrate: progress and the end -------------------------------------------------------- */

static const char *
verdict_word (const MwConvergence *convergence)
{
  if (convergence == NULL)
    return _("waiting");
  switch (convergence->verdict)
    {
    case MW_CONVERGENCE_CONVERGING:
      return _("converging");
    case MW_CONVERGENCE_NOT_CONVERGING:
      return _("NOT converging");
    case MW_CONVERGENCE_COMPLETING:
      return _("completing");
    case MW_CONVERGENCE_UNKNOWN:
    default:
      return _("judging");
    }
}

static void
on_convergence_cb (GObject    *object,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  Cli *cli = user_data;
  MwSampleHistory *history = mw_migration_job_get_history (cli->job);
  const MwConvergence *convergence = mw_migration_job_get_convergence (cli->job);
  const MwJobSample *last = mw_sample_history_get_last (history);
  gint64 now = g_get_monotonic_time ();
  g_autofree char *remaining = NULL;
  g_autofree char *dirty = NULL;
  g_autofree char *throughput = NULL;
  g_autofree char *left = NULL;

  /* At most one line a second. */
  if (cli->quiet || last == NULL || now - cli->last_progress_us < G_USEC_PER_SEC)
    return;
  cli->last_progress_us = now;

  remaining = mw_format_bytes (last->memory_remaining);
  dirty = (last->have & MW_JOB_HAVE_DIRTY_RATE) != 0 && last->dirty_rate_bps > 0
            ? mw_format_rate (last->dirty_rate_bps) : g_strdup ("–");
  throughput = mw_format_rate (last->memory_bps);
  if (convergence != NULL && convergence->remaining_us >= 0)
    left = mw_format_duration_us (convergence->remaining_us);

  /* Translators: one progress line; keep the columns short. */
  g_print (_("%6.1f s  pass %-3llu remaining %-10s dirty %-12s throughput %-12s %s%s%s%s\n"),
           last->time_us / 1e6, (unsigned long long) last->iteration, remaining, dirty, throughput,
           verdict_word (convergence),
           left != NULL ? " (" : "", left != NULL ? left : "", left != NULL ? ")" : "");
  if (convergence != NULL && convergence->throttle_percent > 0)
    g_print (_("          the guest’s vCPUs are throttled to %u %%\n"),
             100 - convergence->throttle_percent);
}

static void
on_abort_after_cb (gpointer user_data)
{
  Cli *cli = user_data;

  cli->abort_after_id = 0;
  g_print (_("Stopping the migration (--abort-after)…\n"));
  mw_migration_job_abort (cli->job);
}

static void
on_postcopy_after_cb (gpointer user_data)
{
  Cli *cli = user_data;

  cli->postcopy_after_id = 0;
  if (mw_migration_job_get_state (cli->job) != MW_MIGRATION_JOB_STATE_RUNNING)
    return;
  g_print (_("Switching to post-copy (--postcopy-after)…\n"));
  mw_migration_job_start_postcopy (cli->job);
}

static const char *
state_text (MwMigrationJobState state)
{
  switch (state)
    {
    case MW_MIGRATION_JOB_STATE_PREPARING:
      return _("Preparing: connecting to both hosts and checking the guest…");
    case MW_MIGRATION_JOB_STATE_RUNNING:
      return _("Migrating…");
    case MW_MIGRATION_JOB_STATE_POSTCOPY:
      return _("Post-copy: the guest runs on the destination while the rest of its memory follows…");
    case MW_MIGRATION_JOB_STATE_VERIFYING:
      return _("Checking both hosts…");
    case MW_MIGRATION_JOB_STATE_READY:
    case MW_MIGRATION_JOB_STATE_SUCCEEDED:
    case MW_MIGRATION_JOB_STATE_FAILED:
    case MW_MIGRATION_JOB_STATE_CANCELLED:
    default:
      return NULL;
    }
}

static void
on_state_cb (GObject    *object,
             GParamSpec *pspec,
             gpointer    user_data)
{
  Cli *cli = user_data;
  MwMigrationJobState state = mw_migration_job_get_state (cli->job);
  const char *text = state_text (state);

  if (text != NULL && !cli->quiet)
    g_print ("%s\n", text);

  if (state == MW_MIGRATION_JOB_STATE_RUNNING && !cli->running_seen)
    {
      cli->running_seen = TRUE;
      if (cli->abort_after > 0)
        cli->abort_after_id = g_timeout_add_once ((guint) (cli->abort_after * 1000),
                                                  on_abort_after_cb, cli);
      if (cli->postcopy_after > 0)
        cli->postcopy_after_id = g_timeout_add_once ((guint) (cli->postcopy_after * 1000),
                                                     on_postcopy_after_cb, cli);
    }
}

static void
on_action_failed_cb (MwMigrationJob *job,
                     const char     *message,
                     gpointer        user_data)
{
  g_printerr (_("Warning: %s\n"), message);
}

static void
on_report_written_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;

  if (!mw_report_write_finish (MW_REPORT (source), result, &error))
    {
      g_printerr (_("Could not write the report: %s\n"), error->message);
      if (cli->exit_status == 0)
        cli->exit_status = 1;
    }
  g_main_loop_quit (cli->loop);
}

static void
on_finished_cb (MwMigrationJob *job,
                gpointer        user_data)
{
  Cli *cli = user_data;
  const MwMigrationJobResult *result = mw_migration_job_get_result (job);

  g_clear_handle_id (&cli->abort_after_id, g_source_remove);
  g_clear_handle_id (&cli->postcopy_after_id, g_source_remove);

  g_print ("\n%s\n", result->summary);
  if (result->leftover_on_destination)
    /* Translators: the command is shown as it is; the three words in capitals are values. */
    g_print (_("Remove it with: mig-wizard-cli remove-leftover --from %s --to %s %s\n"),
             cli->from, cli->to, mw_migration_job_get_domain_name (job));
  /* Success means: found running on the destination, not merely libvirt's word. */
  cli->exit_status = result->state == MW_MIGRATION_JOB_STATE_SUCCEEDED
                     && (result->on_destination
                         || mw_migration_job_get_options (job)->mode == MW_MIGRATION_MODE_OFFLINE)
                       ? 0 : 1;

  if (cli->report != NULL || cli->csv != NULL)
    {
      g_autoptr(MwReport) report = mw_migration_job_create_report (job);
      g_autoptr(GFile) json_file = NULL;
      g_autoptr(GFile) csv_file = NULL;

      if (cli->report != NULL)
        json_file = g_file_new_for_commandline_arg (cli->report);
      else
        {
          /* The CSV alone: the JSON goes next to it. */
          g_autofree char *json = g_strconcat (cli->csv, ".json", NULL);

          json_file = g_file_new_for_commandline_arg (json);
        }
      if (cli->csv != NULL)
        csv_file = g_file_new_for_commandline_arg (cli->csv);
      mw_report_write_async (report, json_file, csv_file, NULL, on_report_written_cb, cli);
      return;
    }
  g_main_loop_quit (cli->loop);
}

static gboolean
on_signal_cb (gpointer user_data)
{
  Cli *cli = user_data;
  MwMigrationJobState state = mw_migration_job_get_state (cli->job);

  cli->n_signals++;
  if (state == MW_MIGRATION_JOB_STATE_POSTCOPY)
    {
      g_printerr (_("The migration is in post-copy: the guest already runs on the destination "
                    "and cannot go back. Waiting for it to finish.\n"));
      return G_SOURCE_CONTINUE;
    }
  if (cli->n_signals == 1)
    {
      g_printerr (_("\nStopping the migration; the guest stays on the source…\n"));
      mw_migration_job_abort (cli->job);
    }
  else
    g_printerr (_("Still stopping; the guest stays on the source. Please wait.\n"));
  return G_SOURCE_CONTINUE;
}

static void
on_discovered_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;

  address = mw_domain_discover_address_finish (result, &error);
  if (address == NULL)
    g_printerr (_("Warning: %s The migration goes on without a ping.\n"), error->message);
  else
    {
      g_print (_("Pinging the guest at %s\n"), address);
      mw_migration_job_set_ping_address (cli->job, address);
    }
  mw_migration_job_start (cli->job);
}

/* ---- migrate: options ----------------------------------------------------------------------- */

static gboolean
build_options (Cli                 *cli,
               MwMigrationOptions  *options,
               char               **message)
{
  int modes = (cli->client ? 1 : 0) + (cli->p2p ? 1 : 0) + (cli->tunnelled ? 1 : 0);

  if (cli->offline)
    options->mode = MW_MIGRATION_MODE_OFFLINE;
  if (cli->temporary)
    options->persistence = MW_MIGRATION_PERSISTENCE_TEMPORARY;
  if (cli->copy_storage != NULL)
    {
      if (g_str_equal (cli->copy_storage, "all"))
        options->storage = MW_MIGRATION_STORAGE_COPY_ALL;
      else if (g_str_equal (cli->copy_storage, "inc"))
        options->storage = MW_MIGRATION_STORAGE_COPY_INCREMENTAL;
      else
        {
          *message = g_strdup_printf (_("--copy-storage takes “all” or “inc”, not “%s”."),
                                      cli->copy_storage);
          return FALSE;
        }
    }
  if (cli->max_downtime < 0 || cli->bandwidth < 0)
    {
      *message = g_strdup (_("--max-downtime and --bandwidth cannot be negative."));
      return FALSE;
    }
  options->max_downtime_ms = (guint) cli->max_downtime;
  options->bandwidth_mib_s = (guint) cli->bandwidth;
  options->auto_converge = cli->auto_converge;
  options->postcopy = cli->postcopy || cli->postcopy_after > 0;
  if (cli->compressed != NULL)
    {
      if (g_str_equal (cli->compressed, "xbzrle"))
        options->compression = MW_MIGRATION_COMPRESSION_XBZRLE;
      else if (g_str_equal (cli->compressed, "mt"))
        options->compression = MW_MIGRATION_COMPRESSION_MT;
      else
        {
          *message = g_strdup_printf (_("--compressed takes “xbzrle” or “mt”, not “%s”."),
                                      cli->compressed);
          return FALSE;
        }
    }
  if (modes > 1)
    {
      *message = g_strdup (_("Choose one of --client, --p2p and --tunnelled."));
      return FALSE;
    }
  if (cli->p2p)
    options->connection = MW_MIGRATION_CONNECTION_PEER_TO_PEER;
  else if (cli->tunnelled)
    options->connection = MW_MIGRATION_CONNECTION_TUNNELLED;
  options->tls = cli->tls;
  options->unsafe = cli->unsafe;
  if (cli->peer_uri != NULL && options->connection == MW_MIGRATION_CONNECTION_CLIENT)
    {
      *message = g_strdup (_("--peer-uri is for --p2p or --tunnelled migrations."));
      return FALSE;
    }
  if (cli->rate < 0.1 || cli->rate > 100)
    {
      *message = g_strdup (_("--rate takes a number of samples a second from 0.1 to 100."));
      return FALSE;
    }
  if (cli->abort_after < 0 || cli->postcopy_after < 0)
    {
      *message = g_strdup (_("--abort-after and --postcopy-after take a positive number of "
                             "seconds."));
      return FALSE;
    }
  return TRUE;
}

static int
cmd_migrate (int    argc,
             char **argv)
{
  Cli cli = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwMigrationOptions) options = mw_migration_options_new_defaults ();
  g_autofree char *message = NULL;
  g_auto(GStrv) warnings = NULL;
  guint sigint_id, sigterm_id;
  int status;
  GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &cli.from,
      N_("The source host’s libvirt URI (required)"), "URI" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &cli.to,
      N_("The destination host’s libvirt URI (required)"), "URI" },
    { "offline", 0, 0, G_OPTION_ARG_NONE, &cli.offline,
      N_("Move only the definition, not a running guest"), NULL },
    { "temporary", 0, 0, G_OPTION_ARG_NONE, &cli.temporary,
      N_("Run there until shut down; keep the definition on the source"), NULL },
    { "copy-storage", 0, 0, G_OPTION_ARG_STRING, &cli.copy_storage,
      N_("Copy the disks too: all, or inc (the backing image is there already)"), "all|inc" },
    { "max-downtime", 0, 0, G_OPTION_ARG_INT, &cli.max_downtime,
      N_("The longest pause allowed at the switch-over, ms (default: QEMU’s 300)"), "MS" },
    { "bandwidth", 0, 0, G_OPTION_ARG_INT, &cli.bandwidth,
      N_("Cap the migration’s bandwidth (default: unlimited)"), "MIB_S" },
    { "auto-converge", 0, 0, G_OPTION_ARG_NONE, &cli.auto_converge,
      N_("Slow the guest’s vCPUs down until the migration converges"), NULL },
    { "postcopy", 0, 0, G_OPTION_ARG_NONE, &cli.postcopy,
      N_("Allow switching to post-copy"), NULL },
    { "postcopy-after", 0, 0, G_OPTION_ARG_DOUBLE, &cli.postcopy_after,
      N_("Switch to post-copy this long after the start (implies --postcopy)"), "SECONDS" },
    { "compressed", 0, 0, G_OPTION_ARG_STRING, &cli.compressed,
      N_("Compress the memory stream"), "xbzrle|mt" },
    { "client", 0, 0, G_OPTION_ARG_NONE, &cli.client,
      N_("This program talks to both hosts (client-driven)"), NULL },
    { "p2p", 0, 0, G_OPTION_ARG_NONE, &cli.p2p,
      N_("The source host talks to the destination itself (the default)"), NULL },
    { "tunnelled", 0, 0, G_OPTION_ARG_NONE, &cli.tunnelled,
      N_("Peer-to-peer, with the data through libvirt’s own connection"), NULL },
    { "peer-uri", 0, 0, G_OPTION_ARG_STRING, &cli.peer_uri,
      N_("The destination’s URI as the source host sees it (peer-to-peer)"), "URI" },
    { "tls", 0, 0, G_OPTION_ARG_NONE, &cli.tls,
      N_("Encrypt the migration stream (the hosts need migration certificates)"), NULL },
    { "unsafe", 0, 0, G_OPTION_ARG_NONE, &cli.unsafe,
      N_("Skip libvirt’s shared-storage and cache-mode safety checks"), NULL },
    { "ping", 0, 0, G_OPTION_ARG_STRING, &cli.ping,
      N_("Ping the guest at this address during the migration; “auto” asks libvirt for it"),
      "ADDR|auto" },
    { "rate", 0, 0, G_OPTION_ARG_DOUBLE, &cli.rate,
      N_("Progress samples a second (default: 4)"), "HZ" },
    { "report", 0, 0, G_OPTION_ARG_FILENAME, &cli.report,
      N_("Write the report (JSON) to this file at the end"), "FILE.json" },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &cli.csv,
      N_("Write the samples and events (CSV) to this file at the end"), "FILE" },
    { "abort-after", 0, 0, G_OPTION_ARG_DOUBLE, &cli.abort_after,
      N_("Stop the migration this long after the start (the guest stays on the source)"),
      "SECONDS" },
    { "print-virsh", 0, 0, G_OPTION_ARG_NONE, &cli.print_virsh,
      N_("Print the equivalent virsh commands and exit without migrating"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &cli.quiet,
      N_("No progress lines, only the summary"), NULL },
    G_OPTION_ENTRY_NULL
  };

  cli.rate = 4.0;
  context = g_option_context_new (_("DOMAIN — live-migrate a virtual machine"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Moves DOMAIN from the --from host to the --to host while it runs, shows how the copy\n"
      "progresses (pass, memory left, dirty rate, throughput, and whether it will finish),\n"
      "and checks on both hosts where the guest runs afterwards. Ctrl+C stops the migration;\n"
      "the guest then keeps running on the source."));
  g_option_context_set_description (context,
    _("Exit status: 0 when the guest was found running on the destination, 1 when the\n"
      "migration failed or was stopped, 2 for bad input.\n\n"
      "Example:\n"
      "  mig-wizard-cli migrate --from qemu+ssh://root@hosta/system \\\n"
      "      --to qemu+ssh://root@hostb/system --ping auto --report run.json labguest"));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      status = usage_error (context, error->message);
      cli_clear (&cli);
      return status;
    }
  if (cli.from == NULL || cli.to == NULL || argc != 2)
    {
      status = usage_error (context, _("migrate needs --from URI, --to URI and one DOMAIN."));
      cli_clear (&cli);
      return status;
    }
  if (!build_options (&cli, options, &message)
      || !mw_migration_options_validate (options, &error))
    {
      status = usage_error (context, message != NULL ? message : error->message);
      cli_clear (&cli);
      return status;
    }

  if (cli.print_virsh)
    {
      g_autofree char *text = mw_migration_options_to_virsh_text (options, cli.from, argv[1],
                                                                  cli.peer_uri != NULL
                                                                    ? cli.peer_uri : cli.to,
                                                                  &error);

      if (text == NULL)
        status = usage_error (context, error->message);
      else
        {
          g_print ("%s\n", text);
          status = 0;
        }
      cli_clear (&cli);
      return status;
    }

  warnings = mw_migration_options_get_warnings (options);
  for (guint i = 0; warnings != NULL && warnings[i] != NULL; i++)
    g_printerr (_("Note: %s\n"), warnings[i]);

  mw_libvirt_init ();
  cli.loop = g_main_loop_new (NULL, FALSE);
  cli.exit_status = 1;
  cli.job = mw_migration_job_new (cli.from, cli.to, argv[1], options);
  mw_migration_job_set_sample_interval (cli.job, (guint) MAX (10.0, 1000.0 / cli.rate));
  if (cli.peer_uri != NULL)
    mw_migration_job_set_peer_uri (cli.job, cli.peer_uri);
  g_signal_connect (cli.job, "notify::state", G_CALLBACK (on_state_cb), &cli);
  g_signal_connect (cli.job, "notify::convergence", G_CALLBACK (on_convergence_cb), &cli);
  g_signal_connect (cli.job, "action-failed", G_CALLBACK (on_action_failed_cb), &cli);
  g_signal_connect (cli.job, "finished", G_CALLBACK (on_finished_cb), &cli);
  sigint_id = g_unix_signal_add (SIGINT, on_signal_cb, &cli);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal_cb, &cli);

  g_print (_("Migrating “%s” from %s to %s\n"), argv[1], cli.from, cli.to);
  if (cli.ping != NULL && g_str_equal (cli.ping, "auto"))
    mw_domain_discover_address_async (cli.from, argv[1], NULL, on_discovered_cb, &cli);
  else
    {
      if (cli.ping != NULL)
        mw_migration_job_set_ping_address (cli.job, cli.ping);
      mw_migration_job_start (cli.job);
    }

  g_main_loop_run (cli.loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_signal_handlers_disconnect_by_data (cli.job, &cli);
  status = cli.exit_status;
  cli_clear (&cli);
  return status;
}

/* ---- list ---------------------------------------------------------------------------------- */

static const char *
domain_state_name (int state)
{
  switch (state)
    {
    case VIR_DOMAIN_RUNNING:
      return "running";
    case VIR_DOMAIN_BLOCKED:
      return "blocked";
    case VIR_DOMAIN_PAUSED:
      return "paused";
    case VIR_DOMAIN_SHUTDOWN:
      return "shutting-down";
    case VIR_DOMAIN_SHUTOFF:
      return "shut-off";
    case VIR_DOMAIN_CRASHED:
      return "crashed";
    case VIR_DOMAIN_PMSUSPENDED:
      return "suspended";
    default:
      return "unknown";
    }
}

/* Worker: one line per domain, "name<TAB>state<TAB>persistent|transient". */
static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *uri = task_data;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  virConnectPtr conn = virConnectOpenReadOnly (uri);
  virDomainPtr *domains = NULL;
  GError *error = NULL;
  int n;

  if (conn == NULL)
    {
      mw_libvirt_set_error (&error, _("Could not connect"));
      g_task_return_error (task, error);
      return;
    }
  n = virConnectListAllDomains (conn, &domains, 0);
  if (n < 0)
    {
      mw_libvirt_set_error (&error, _("Could not list the host’s domains"));
      virConnectClose (conn);
      g_task_return_error (task, error);
      return;
    }
  for (int i = 0; i < n; i++)
    {
      int state = VIR_DOMAIN_NOSTATE;

      if (virDomainGetState (domains[i], &state, NULL, 0) < 0)
        state = VIR_DOMAIN_NOSTATE;
      g_ptr_array_add (lines, g_strdup_printf ("%s\t%s\t%s", virDomainGetName (domains[i]),
                                               domain_state_name (state),
                                               virDomainIsPersistent (domains[i]) == 1
                                                 ? "persistent" : "transient"));
      virDomainFree (domains[i]);
    }
  free (domains);
  virConnectClose (conn);
  g_task_return_pointer (task, g_steal_pointer (&lines), (GDestroyNotify) g_ptr_array_unref);
}

static int
cmd_list (int    argc,
          char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) lines = NULL;

  context = g_option_context_new (_("URI — list the virtual machines of a host"));
  g_option_context_set_summary (context,
    _("Prints one line per domain: its name, its state, and whether it is persistent."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);
  if (argc != 2)
    return usage_error (context, _("list needs one URI."));

  mw_libvirt_init ();
  /* One worker, waited for: nothing else runs in this command. */
  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_task_data (task, g_strdup (argv[1]), g_free);
  g_task_run_in_thread_sync (task, list_thread);
  lines = g_task_propagate_pointer (task, &error);
  if (lines == NULL)
    {
      g_printerr ("mig-wizard-cli: %s\n", error->message);
      return 1;
    }
  for (guint i = 0; i < lines->len; i++)
    g_print ("%s\n", (const char *) g_ptr_array_index (lines, i));
  return 0;
}

/* ---- remove-leftover ----------------------------------------------------------------------- */

static int
cmd_remove_leftover (int    argc,
                     char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("The host the guest runs on"), "URI" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("The host that holds the unfinished copy"), "URI" },
    { NULL }
  };

  context = g_option_context_new (_("DOMAIN — remove the unfinished copy a failed migration left"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);
  if (argc != 2 || from == NULL || to == NULL)
    return usage_error (context, _("remove-leftover needs --from, --to and one domain name."));

  mw_libvirt_init ();
  /* Checks both hosts before it touches anything (mw-leftover.h); no main loop runs here. */
  if (!mw_leftover_remove (from, to, argv[1], NULL, &error))
    {
      g_printerr ("mig-wizard-cli: %s\n", error->message);
      return 1;
    }
  g_print (_("%s no longer holds an unfinished copy of “%s”; it runs on %s.\n"), to, argv[1],
           from);
  return 0;
}

/* ---- main ---------------------------------------------------------------------------------- */

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  /* MW_LOCALEDIR: catalogues compiled in a build tree (the uninstalled app, the tests). */
  bindtextdomain (GETTEXT_PACKAGE, mw_localedir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("mig-wizard-cli");

  if (argc > 1 && g_str_equal (argv[1], "check"))
    return mw_cli_check (argc - 1, argv + 1);
  if (argc > 1 && g_str_equal (argv[1], "migrate"))
    {
      g_set_prgname ("mig-wizard-cli migrate");
      return cmd_migrate (argc - 1, argv + 1);
    }
  if (argc > 1 && g_str_equal (argv[1], "setup-pool"))
    return mw_cli_setup_pool (argc - 1, argv + 1);
  if (argc > 1 && g_str_equal (argv[1], "setup-bridge"))
    return mw_cli_setup_bridge (argc - 1, argv + 1);
  if (argc > 1 && g_str_equal (argv[1], "remove-leftover"))
    {
      g_set_prgname ("mig-wizard-cli remove-leftover");
      return cmd_remove_leftover (argc - 1, argv + 1);
    }
  if (argc > 1 && g_str_equal (argv[1], "list"))
    {
      g_set_prgname ("mig-wizard-cli list");
      return cmd_list (argc - 1, argv + 1);
    }
  if (argc > 1 && (g_str_equal (argv[1], "--version") || g_str_equal (argv[1], "-V")))
    {
      g_print ("mig-wizard-cli %s (libvirt %d.%d.%d)\n", PACKAGE_VERSION,
               LIBVIR_VERSION_NUMBER / 1000000, LIBVIR_VERSION_NUMBER / 1000 % 1000,
               LIBVIR_VERSION_NUMBER % 1000);
      return 0;
    }
  if (argc > 1 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")
                   || g_str_equal (argv[1], "help")))
    {
      g_print (_("Usage:\n"
                 "  mig-wizard-cli migrate --from URI --to URI DOMAIN [OPTION…]\n"
                 "  mig-wizard-cli check [OPTION…]\n"
                 "  mig-wizard-cli list URI\n"
                 "  mig-wizard-cli remove-leftover --from URI --to URI DOMAIN\n"
                 "  mig-wizard-cli setup-pool --server HOST --export PATH --network CIDR URI URI\n"
                 "  mig-wizard-cli setup-bridge --ssh USER@HOST --bridge NAME [--nic NIC]\n"
                 "  mig-wizard-cli --version\n\n"
                 "“mig-wizard-cli COMMAND --help” shows a command’s options.\n"));
      return 0;
    }
  g_printerr (_("Usage: mig-wizard-cli migrate|check|list … (or --help)\n"));
  return EXIT_BAD_INPUT;
}
