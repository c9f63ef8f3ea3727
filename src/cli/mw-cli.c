/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-cli.c: mig-wizard-cli, the core without GTK, for admins' scripts and for the lab tests.
 *
 *   mig-wizard-cli migrate --from URI --to URI DOMAIN [OPTION…]
 *   mig-wizard-cli list URI
 *   mig-wizard-cli check …            (mw-cli-check.c)
 *   mig-wizard-cli evacuate …, bring-back …   (mw-cli-evacuate.c)
 *   mig-wizard-cli --version
 *
 * `migrate` drives one MwMigrationJob on a GMainLoop, exactly as the wizard's live page does:
 * progress lines on stdout, the same end summary, Ctrl+C (or SIGTERM) aborts the migration and
 * leaves the guest on the source. Exit status: 0 only when the guest was found running on the
 * destination afterwards (with --postcopy-recover also when the post-copy had finished by itself:
 * nothing to recover); 1 when the migration failed or was stopped; 2 for bad input; 3 when a
 * post-copy broke off and the guest waits, paused, for `migrate … --postcopy-recover` (printed
 * whole: this command's own arguments, that option added).
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
#include "mw-cli-credentials.h"
#include "mw-cli-evacuate.h"
#include "mw-cli-migrate-args.h"
#include "mw-cli-setup.h"
#include "mw-cli-usage.h"
#include "mw-domain-address.h"
#include "mw-leftover.h"
#include "mw-libvirt.h"
#include "mw-migration-caps.h"
#include "mw-migration-job.h"
#include "mw-migration-options.h"
#include "mw-migration-summary.h"
#include "mw-preflight.h"
#include "mw-report.h"
#include "mw-time-left.h"
#include "mw-text.h"

#define EXIT_BAD_INPUT MW_CLI_EXIT_BAD_INPUT
#define EXIT_POSTCOPY_PAUSED 3

typedef struct
{
  MwCliMigrateArgs args;
  char **argv;                     /* as given, for the recover command */

  /* Run */
  GMainLoop *loop;
  MwMigrationJob *job;
  gint64 start_us;                 /* this command's start, for its own wall time */
  gint64 last_progress_us;
  gboolean said_never;           /* the last progress line said it cannot finish */
  guint abort_after_id;
  guint n_signals;
  int exit_status;
  gboolean running_seen;
} Cli;

static void
cli_clear (Cli *cli)
{
  mw_cli_migrate_args_clear (&cli->args);
  g_clear_pointer (&cli->argv, g_strfreev);
  g_clear_handle_id (&cli->abort_after_id, g_source_remove);
  g_clear_object (&cli->job);
  g_clear_pointer (&cli->loop, g_main_loop_unref);
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
    case MW_CONVERGENCE_STALLED:
      return _("STALLED");
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
  MwConvergenceContext context;
  g_autoptr(MwTimeLeft) time_left = NULL;
  g_autofree char *remaining = NULL;
  g_autofree char *dirty = NULL;
  g_autofree char *throughput = NULL;
  g_autofree char *status = NULL;

  /* At most one line a second. */
  if (cli->args.quiet || last == NULL || now - cli->last_progress_us < G_USEC_PER_SEC)
    return;
  cli->last_progress_us = now;

  remaining = mw_format_bytes (last->memory_remaining);
  dirty = (last->have & MW_JOB_HAVE_DIRTY_RATE) != 0 && last->dirty_rate_bps > 0
            ? mw_format_rate (last->dirty_rate_bps) : g_strdup ("–");
  throughput = mw_format_rate (last->memory_bps);
  mw_convergence_context_init_from_options (&context, mw_migration_job_get_options (cli->job));
  time_left = mw_time_left_estimate (history, &context);

  /* Translators: the verdict ("converging") and the time left ("about 40 s (30 s–55 s)",
   * "cannot finish at this rate"), at the end of a progress line. */
  status = time_left->text != NULL ? g_strdup_printf (_("%s, time left %s"),
                                                      verdict_word (convergence), time_left->text)
                                   : g_strdup (verdict_word (convergence));

  /* Translators: one progress line; keep the columns short. */
  g_print (_("%6.1f s  pass %-3llu remaining %-10s dirty %-12s throughput %-12s %s\n"),
           last->time_us / 1e6, (unsigned long long) last->iteration, remaining, dirty, throughput,
           status);
  /* What would help, once (the line above repeats every second). */
  if (time_left->kind == MW_TIME_LEFT_NEVER && !cli->said_never)
    {
      g_autofree char *why = mw_time_left_describe_never (time_left);

      g_print ("%s\n", why);
    }
  cli->said_never = time_left->kind == MW_TIME_LEFT_NEVER;
  if (convergence != NULL && convergence->verdict == MW_CONVERGENCE_STALLED)
    g_print ("          %s\n", convergence->message);
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
    case MW_MIGRATION_JOB_STATE_POSTCOPY_PAUSED:
    case MW_MIGRATION_JOB_STATE_READY:
    case MW_MIGRATION_JOB_STATE_SUCCEEDED:
    case MW_MIGRATION_JOB_STATE_FAILED:
    case MW_MIGRATION_JOB_STATE_CANCELLED:
    default:
      return NULL;
    }
}

/* This very command with --postcopy-recover, quoted for a shell. */
static char *
recover_command (Cli *cli)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;

  g_strv_builder_add (builder, "mig-wizard-cli");
  for (guint i = 0; cli->argv[i] != NULL; i++)
    if (!g_str_equal (cli->argv[i], "--postcopy-recover"))
      g_strv_builder_add (builder, cli->argv[i]);
  g_strv_builder_add (builder, "--postcopy-recover");
  argv = g_strv_builder_end (builder);
  return mw_shell_join ((const char * const *) argv);
}

/* Not an end for the job, but for this command: the admin recovers when the hosts answer. */
static void
stop_paused (Cli *cli)
{
  const GError *error = mw_migration_job_get_error (cli->job);
  g_autofree char *command = recover_command (cli);

  g_clear_handle_id (&cli->abort_after_id, g_source_remove);
  g_print ("\n%s\n", mw_migration_job_get_paused_message (cli->job));
  if (error != NULL)
    g_print (_("libvirt said: %s\n"), error->message);
  /* Translators: followed by a command line on its own line. */
  g_print (_("To recover it, run:\n"));
  g_print ("  %s\n", command);
  cli->exit_status = EXIT_POSTCOPY_PAUSED;
  g_main_loop_quit (cli->loop);
}

static void
on_state_cb (GObject    *object,
             GParamSpec *pspec,
             gpointer    user_data)
{
  Cli *cli = user_data;
  MwMigrationJobState state = mw_migration_job_get_state (cli->job);
  const char *text = state_text (state);

  if (text != NULL && !cli->args.quiet)
    g_print ("%s\n", text);
  if (state == MW_MIGRATION_JOB_STATE_POSTCOPY_PAUSED)
    {
      stop_paused (cli);
      return;
    }

  if (state == MW_MIGRATION_JOB_STATE_RUNNING && !cli->running_seen)
    {
      cli->running_seen = TRUE;
      /* Said before the post-copy starts, not once it broke off. */
      if (cli->args.postcopy && mw_migration_job_get_recovery_impossible (cli->job) != NULL)
        g_printerr (_("Note: %s\n"), mw_migration_job_get_recovery_impossible (cli->job));
      if (cli->args.abort_after > 0)
        cli->abort_after_id = g_timeout_add_once ((guint) (cli->args.abort_after * 1000),
                                                  on_abort_after_cb, cli);
      /* --postcopy-after's timer is the job's own (the options' postcopy_after_s). */
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
  g_autofree char *timing = NULL;

  g_clear_handle_id (&cli->abort_after_id, g_source_remove);

  timing = mw_cli_migrate_timing (result->total_ms, g_get_monotonic_time () - cli->start_us);
  g_print ("\n%s\n%s\n", result->summary, timing);
  /* Nothing moved in this run when there was nothing to recover: no downtime of its own. */
  if (result->state == MW_MIGRATION_JOB_STATE_SUCCEEDED && !result->nothing_to_recover
      && mw_migration_job_get_options (job)->mode != MW_MIGRATION_MODE_OFFLINE)
    for (guint kind = 0; kind < MW_N_DOWNTIMES; kind++)
      {
        g_autofree char *value = mw_downtime_format (result, kind);

        /* An unknown figure says why instead of what it would have measured. */
        if (mw_downtime_ms (result, kind) < 0)
          /* Translators: one of the three downtimes: its name, why it is unknown. */
          g_print (_("%s: %s.\n"), mw_downtime_caption (kind), value);
        else
          /* Translators: one of the three downtimes: its name, its figure, what it measures. */
          g_print (_("%s: %s. %s\n"), mw_downtime_caption (kind), value,
                   mw_downtime_explanation (kind));
      }
  /* Pre-flight's forecast beside the outcome, the result page's three lines. */
  if (!result->nothing_to_recover
      && mw_migration_job_get_options (job)->mode != MW_MIGRATION_MODE_OFFLINE)
    {
      const MwForecast *forecast = mw_migration_job_get_forecast (job);
      MwForecastOutcome outcome;

      mw_forecast_outcome_from_result (result, mw_migration_job_get_history (job), &outcome);
      if (forecast == NULL)
        g_print (cli->args.forecast
                   ? _("No convergence forecast could be made for this migration.\n")
                   : _("No convergence forecast was made for this migration (--forecast makes "
                       "one).\n"));
      for (guint item = 0; forecast != NULL && item < MW_FORECAST_N_ITEMS; item++)
        {
          g_autofree char *line = mw_forecast_describe (forecast, &outcome, item);

          g_print ("%s\n", line);
        }
    }
  if (result->leftover_on_destination)
    /* Translators: the command is shown as it is; the three words in capitals are values. */
    g_print (_("Remove it with: mig-wizard-cli remove-leftover --from %s --to %s %s\n"),
             cli->args.from, cli->args.to, mw_migration_job_get_domain_name (job));
  /* Success means: found running on the destination, not merely libvirt's word. */
  cli->exit_status = result->state == MW_MIGRATION_JOB_STATE_SUCCEEDED
                     && (result->on_destination
                         || mw_migration_job_get_options (job)->mode == MW_MIGRATION_MODE_OFFLINE)
                       ? 0 : 1;

  if (cli->args.report != NULL || cli->args.csv != NULL)
    {
      g_autoptr(MwReport) report = mw_migration_job_create_report (job);
      g_autoptr(GFile) json_file = NULL;
      g_autoptr(GFile) csv_file = NULL;

      if (cli->args.report != NULL)
        json_file = g_file_new_for_commandline_arg (cli->args.report);
      else
        {
          /* The CSV alone: the JSON goes next to it. */
          g_autofree char *json = g_strconcat (cli->args.csv, ".json", NULL);

          json_file = g_file_new_for_commandline_arg (json);
        }
      if (cli->args.csv != NULL)
        csv_file = g_file_new_for_commandline_arg (cli->args.csv);
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

/* ---- migrate ------------------------------------------------------------------------------ */

static void
on_preflight_running_cb (MwPreflight *preflight,
                         GParamSpec  *pspec,
                         GMainLoop   *loop)
{
  if (!mw_preflight_get_running (preflight))
    g_main_loop_quit (loop);
}

/* --forecast: the pre-flight checks run (what they find is the check command's business) for
 * the forecast, whose sentence is printed; its figures, or NULL when none could be made. */
static MwForecast *
run_forecast (const char               *from,
              const char               *to,
              const char               *domain,
              const MwMigrationOptions *options)
{
  g_autoptr(MwPreflight) preflight = mw_preflight_new (from, to, domain, options);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  const MwForecast *forecast;
  MwCheck *check;

  g_signal_connect (preflight, "notify::running", G_CALLBACK (on_preflight_running_cb), loop);
  mw_preflight_run (preflight);
  if (mw_preflight_get_running (preflight))
    g_main_loop_run (loop);
  g_signal_handlers_disconnect_by_data (preflight, loop);

  check = mw_preflight_find_check (preflight, "forecast");
  if (check != NULL && mw_check_get_sentence (check) != NULL)
    /* Translators: the forecast check's sentence */
    g_print (_("Forecast: %s\n"), mw_check_get_sentence (check));
  forecast = mw_preflight_get_forecast (preflight);
  return forecast != NULL ? mw_forecast_copy (forecast) : NULL;
}

static int
cmd_migrate (int    argc,
             char **argv)
{
  Cli cli = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwMigrationOptions) options = NULL;
  g_autoptr(MwMigrationCaps) policy_caps = NULL; /* read once for --policy, kept for the check */
  g_auto(GStrv) warnings = NULL;
  guint sigint_id, sigterm_id;
  int status;

  cli.start_us = g_get_monotonic_time ();
  cli.argv = g_strdupv (argv);
  mw_cli_migrate_args_init (&cli.args);
  context = mw_cli_migrate_args_context_new (&cli.args);

  if (!mw_cli_parse_options (context, &argc, &argv, &error))
    {
      status = mw_cli_usage_error (error->message);
      cli_clear (&cli);
      return status;
    }
  if (cli.args.from == NULL || cli.args.to == NULL || argc != 2)
    {
      status = mw_cli_usage_error (_("migrate needs --from URI, --to URI and one DOMAIN."));
      cli_clear (&cli);
      return status;
    }
  options = mw_cli_migrate_args_to_options (&cli.args, &error);
  if (options == NULL || !mw_cli_check_domain (argv[1], &error))
    {
      status = mw_cli_usage_error (error->message);
      cli_clear (&cli);
      return status;
    }

  mw_libvirt_init ();
  /* --parallel auto: sized from both hosts' CPUs and the --bandwidth cap (the link figure the
   * command has), before anything shows or uses the options. */
  if (options->parallel_connections == MW_CLI_PARALLEL_AUTO)
    {
      g_autoptr(MwMigrationCaps) caps = NULL;
      g_autofree char *why = NULL;

      caps = mw_migration_caps_read (cli.args.from, cli.args.to, NULL, NULL, &error);
      if (caps == NULL)
        {
          g_printerr ("mig-wizard-cli: %s\n", error->message);
          cli_clear (&cli);
          return 1;
        }
      options->parallel_connections =
        mw_migration_caps_default_parallel (caps, (guint64) options->bandwidth_mib_s << 20, &why);
      if (!cli.args.quiet || cli.args.print_virsh)
        g_printerr (_("--parallel auto: %s\n"), why);
    }

  /* --policy recommended: decided from both hosts, the guest's memory, the link and the dirty
   * rate, one line each why, before anything shows or uses the options. */
  if (cli.args.policy != NULL)
    {
      g_autoptr(MwMigrationOptions) recommended = NULL;
      g_auto(GStrv) reasons = NULL;
      MwMigrationPolicyInput input;

      policy_caps = mw_migration_caps_read (cli.args.from, cli.args.to, argv[1], NULL, &error);
      if (policy_caps == NULL)
        {
          g_printerr ("mig-wizard-cli: %s\n", error->message);
          cli_clear (&cli);
          return 1;
        }
      mw_cli_migrate_args_policy_input (&cli.args, &input);
      input.caps = policy_caps;
      /* Without --dirty-mib-s the guest's dirty rate is measured first (1 s). */
      recommended = mw_migration_policy_recommend_measured (options, &input, cli.args.from,
                                                            argv[1], NULL, &reasons, &error);
      if (recommended == NULL)
        {
          g_printerr ("mig-wizard-cli: %s\n", error->message);
          cli_clear (&cli);
          return 1;
        }
      g_clear_pointer (&options, mw_migration_options_free);
      options = g_steal_pointer (&recommended);
      for (guint i = 0; (!cli.args.quiet || cli.args.print_virsh) && reasons[i] != NULL; i++)
        g_printerr (_("--policy recommended: %s\n"), reasons[i]);
    }

  if (cli.args.print_virsh)
    {
      g_autofree char *text = NULL;

      text = mw_migration_options_to_virsh_text (options, cli.args.from, argv[1],
                                                 mw_cli_migrate_args_dest_uri (&cli.args),
                                                 &error);
      if (text == NULL)
        status = mw_cli_usage_error (error->message);
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

  /* Options newer than libvirt 9.0 ask both hosts first: refused with the reason (exit 2)
   * when this pair cannot do them. */
  if (mw_migration_caps_next_needed (options, 0) < MW_MIGRATION_N_FEATURES)
    {
      g_autoptr(MwMigrationCaps) caps = NULL;

      caps = policy_caps != NULL ? g_steal_pointer (&policy_caps)
                                 : mw_migration_caps_read (cli.args.from, cli.args.to, argv[1],
                                                           NULL, &error);
      if (caps == NULL || !mw_migration_caps_check (caps, options, &error))
        {
          status = caps == NULL ? 1 : mw_cli_usage_error (error->message);
          if (caps == NULL)
            g_printerr ("mig-wizard-cli: %s\n", error->message);
          cli_clear (&cli);
          return status;
        }
    }

  if (cli.args.forecast && options->mode == MW_MIGRATION_MODE_LIVE)
    {
      g_autoptr(MwForecast) forecast = run_forecast (cli.args.from, cli.args.to, argv[1],
                                                     options);

      cli.job = mw_migration_job_new (cli.args.from, cli.args.to, argv[1], options);
      mw_migration_job_set_forecast (cli.job, forecast);
    }
  else
    cli.job = mw_migration_job_new (cli.args.from, cli.args.to, argv[1], options);
  cli.loop = g_main_loop_new (NULL, FALSE);
  cli.exit_status = 1;
  mw_migration_job_set_sample_interval (cli.job, (guint) MAX (10.0, 1000.0 / cli.args.rate));
  mw_migration_job_set_stall_timeout (cli.job, (guint) cli.args.stall_timeout);
  if (cli.args.peer_uri != NULL)
    mw_migration_job_set_peer_uri (cli.job, cli.args.peer_uri);
  g_signal_connect (cli.job, "notify::state", G_CALLBACK (on_state_cb), &cli);
  g_signal_connect (cli.job, "notify::convergence", G_CALLBACK (on_convergence_cb), &cli);
  g_signal_connect (cli.job, "action-failed", G_CALLBACK (on_action_failed_cb), &cli);
  g_signal_connect (cli.job, "finished", G_CALLBACK (on_finished_cb), &cli);
  sigint_id = g_unix_signal_add (SIGINT, on_signal_cb, &cli);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal_cb, &cli);

  g_print (_("Migrating “%s” from %s to %s\n"), argv[1], cli.args.from, cli.args.to);
  if (cli.args.ping != NULL && g_str_equal (cli.args.ping, "auto"))
    mw_domain_discover_address_async (cli.args.from, argv[1], NULL, on_discovered_cb, &cli);
  else
    {
      if (cli.args.ping != NULL)
        mw_migration_job_set_ping_address (cli.job, cli.args.ping);
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
  virDomainPtr *domains = NULL;
  GError *error = NULL;
  virConnectPtr conn;
  int n;

  /* The one opener: the URI checked, no ssh prompt, the credentials libvirt asks for. */
  conn = mw_libvirt_open_full (uri, VIR_CONNECT_RO, _("Could not connect"), &error);
  if (conn == NULL)
    {
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
  if (!mw_cli_parse_options (context, &argc, &argv, &error))
    return mw_cli_usage_error (error->message);
  if (argc != 2)
    return mw_cli_usage_error (_("list needs one URI."));
  if (!mw_cli_check_uri ("URI", argv[1], &error))
    return mw_cli_usage_error (error->message);

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
  if (!mw_cli_parse_options (context, &argc, &argv, &error))
    return mw_cli_usage_error (error->message);
  if (argc != 2 || from == NULL || to == NULL)
    return mw_cli_usage_error (_("remove-leftover needs --from, --to and one domain name."));
  if (!mw_cli_check_uri ("--from", from, &error) || !mw_cli_check_uri ("--to", to, &error)
      || !mw_cli_check_domain (argv[1], &error))
    return mw_cli_usage_error (error->message);

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
  mw_cli_credentials_install ();

  if (argc > 1 && g_str_equal (argv[1], "check"))
    {
      g_set_prgname ("mig-wizard-cli check");
      return mw_cli_check (argc - 1, argv + 1);
    }
  if (argc > 1 && g_str_equal (argv[1], "migrate"))
    {
      g_set_prgname ("mig-wizard-cli migrate");
      return cmd_migrate (argc - 1, argv + 1);
    }
  if (argc > 1 && g_str_equal (argv[1], "evacuate"))
    {
      g_set_prgname ("mig-wizard-cli evacuate");
      return mw_cli_evacuate (argc - 1, argv + 1);
    }
  if (argc > 1 && g_str_equal (argv[1], "bring-back"))
    {
      g_set_prgname ("mig-wizard-cli bring-back");
      return mw_cli_bring_back (argc - 1, argv + 1);
    }
  if (argc > 1 && g_str_equal (argv[1], "setup-pool"))
    {
      g_set_prgname ("mig-wizard-cli setup-pool");
      return mw_cli_setup_pool (argc - 1, argv + 1);
    }
  if (argc > 1 && g_str_equal (argv[1], "setup-bridge"))
    {
      g_set_prgname ("mig-wizard-cli setup-bridge");
      return mw_cli_setup_bridge (argc - 1, argv + 1);
    }
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
                 "  mig-wizard-cli check --from URI --to URI DOMAIN [OPTION…]\n"
                 "  mig-wizard-cli evacuate --from URI --to URI[,URI…] [OPTION…]\n"
                 "  mig-wizard-cli bring-back --report FILE [OPTION…]\n"
                 "  mig-wizard-cli list URI\n"
                 "  mig-wizard-cli remove-leftover --from URI --to URI DOMAIN\n"
                 "  mig-wizard-cli setup-pool --server HOST --export PATH --network CIDR URI URI\n"
                 "  mig-wizard-cli setup-bridge --ssh USER@HOST --bridge NAME [--nic NIC]\n"
                 "  mig-wizard-cli --version\n\n"
                 "“mig-wizard-cli COMMAND --help” shows a command’s options.\n"));
      return 0;
    }
  if (argc > 1)
    {
      g_autofree char *shown = mw_text_for_message (argv[1]);

      g_printerr (_("mig-wizard-cli: there is no command “%s” (try --help).\n"), shown);
    }
  else
    g_printerr (_("Usage: mig-wizard-cli migrate|check|list … (or --help)\n"));
  return EXIT_BAD_INPUT;
}
