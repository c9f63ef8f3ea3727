/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-cli-evacuate.c: `mig-wizard-cli evacuate` and `bring-back`.
 *
 * Both drive an MwEvacuationPlan and then an MwEvacuation on a GMainLoop, exactly as the window
 * will: the plan is printed first (--dry-run stops there), then one line per change of a guest's
 * state, then the summary table. Ctrl+C (or SIGTERM) stops all: running migrations are aborted,
 * every guest stays where it is (each job checks both hosts), queued guests are not touched.
 * Exit status: 0 only when every guest that was to move (or start) did; 1 otherwise, when
 * stopped, or when the plan could not be made; 2 for bad input.
 */

#include "config.h"

#include <signal.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "mw-cli-evacuate.h"
#include "mw-cli-evacuate-args.h"
#include "mw-convergence.h"
#include "mw-evacuation-report.h"
#include "mw-libvirt.h"

#define EXIT_BAD_INPUT 2

typedef struct
{
  MwCliEvacuateArgs args;
  GMainLoop *loop;
  MwEvacuationPlan *plan;
  MwEvacuation *evacuation;
  char *report_path;         /* where this run's report goes, or NULL */
  gint64 start_us;
  guint n_signals;
  int exit_status;
} Cli;

static int
usage_error (const char *message)
{
  g_printerr ("mig-wizard-cli: %s\n", message);
  g_printerr (_("Try “%s --help” for the options.\n"), g_get_prgname ());
  return EXIT_BAD_INPUT;
}

static const char *
group_text (MwEvacuationGroup group)
{
  switch (group)
    {
    case MW_EVACUATION_GROUP_READY:
      return C_("evacuation", "ready");
    case MW_EVACUATION_GROUP_NEEDS_DECISION:
      return C_("evacuation", "needs a decision");
    case MW_EVACUATION_GROUP_CANNOT_MOVE:
      return C_("evacuation", "cannot move");
    case MW_EVACUATION_GROUP_UNCHECKED:
    default:
      return C_("evacuation", "not checked");
    }
}

static const char *
action_text (MwEvacuationAction action)
{
  switch (action)
    {
    case MW_EVACUATION_ACTION_MIGRATE:
      return C_("evacuation", "migrate");
    case MW_EVACUATION_ACTION_SHUT_DOWN:
      return C_("evacuation", "shut down");
    case MW_EVACUATION_ACTION_MANAGED_SAVE:
      return C_("evacuation", "save to disk");
    case MW_EVACUATION_ACTION_START:
      return C_("evacuation", "start");
    case MW_EVACUATION_ACTION_LEAVE:
    default:
      return C_("evacuation", "leave");
    }
}

static const char *
state_text (MwEvacuationState state)
{
  switch (state)
    {
    case MW_EVACUATION_STATE_QUEUED:
      return C_("evacuation", "queued");
    case MW_EVACUATION_STATE_CHECKING:
      return C_("evacuation", "checking");
    case MW_EVACUATION_STATE_MIGRATING:
      return C_("evacuation", "migrating");
    case MW_EVACUATION_STATE_ACTING:
      return C_("evacuation", "working");
    case MW_EVACUATION_STATE_DONE:
      return C_("evacuation", "done");
    case MW_EVACUATION_STATE_FAILED:
      return C_("evacuation", "FAILED");
    case MW_EVACUATION_STATE_SKIPPED:
    default:
      return C_("evacuation", "skipped");
    }
}

static char *
ms_text (gint64 ms)
{
  return ms >= 0 ? g_strdup_printf ("%.1f s", ms / 1000.0) : g_strdup ("–");
}

/* ---- the plan ------------------------------------------------------------------------------ */

static void
print_plan (Cli *cli)
{
  GListModel *items = mw_evacuation_plan_get_items (cli->plan);
  guint n = g_list_model_get_n_items (items);

  g_print ("\n%-24s %-9s %-10s %4s  %-16s %-36s %s\n", C_("evacuation", "GUEST"), C_("evacuation", "STATE"), C_("evacuation", "MEMORY"),
           C_("evacuation", "PRIO"), C_("evacuation", "GROUP"), C_("evacuation", "TO"), C_("evacuation", "ACTION"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MwEvacuationItem) item = g_list_model_get_item (items, i);
      g_autofree char *memory = mw_format_bytes (mw_evacuation_item_get_memory_kib (item) * 1024);
      MwEvacuationAction action = mw_evacuation_item_get_action (item);
      const char *reason = mw_evacuation_item_get_reason (item);

      g_print ("%-24s %-9s %-10s %4d  %-16s %-36s %s\n", mw_evacuation_item_get_name (item),
               mw_evacuation_item_get_was_running (item) ? C_("evacuation", "running") : C_("evacuation", "shut off"), memory,
               mw_evacuation_item_get_priority (item),
               group_text (mw_evacuation_item_get_group (item)),
               action == MW_EVACUATION_ACTION_MIGRATE ? mw_evacuation_item_get_destination (item)
                                                      : "–",
               action_text (action));
      if (reason != NULL)
        {
          g_auto(GStrv) lines = g_strsplit (reason, "\n", -1);

          for (guint l = 0; lines[l] != NULL; l++)
            g_print ("    %s\n", lines[l]);
        }
    }
  g_print (g_dngettext (GETTEXT_PACKAGE, "\n%u guest: %u ready, %u need a decision, %u cannot "
                        "move.\n", "\n%u guests: %u ready, %u need a decision, %u cannot move.\n",
                        n),
           n, mw_evacuation_plan_count_group (cli->plan, MW_EVACUATION_GROUP_READY),
           mw_evacuation_plan_count_group (cli->plan, MW_EVACUATION_GROUP_NEEDS_DECISION),
           mw_evacuation_plan_count_group (cli->plan, MW_EVACUATION_GROUP_CANNOT_MOVE));
}

/* ---- the run ------------------------------------------------------------------------------- */

static void
on_item_state_cb (MwEvacuationItem *item,
                  GParamSpec       *pspec,
                  Cli              *cli)
{
  MwEvacuationState state = mw_evacuation_item_get_state (item);
  double t = (g_get_monotonic_time () - cli->start_us) / 1e6;

  g_print ("%7.1f s  %-24s %s", t, mw_evacuation_item_get_name (item), state_text (state));
  if (state == MW_EVACUATION_STATE_MIGRATING)
    g_print (" → %s", mw_evacuation_item_get_destination (item));
  if (state == MW_EVACUATION_STATE_FAILED || state == MW_EVACUATION_STATE_SKIPPED)
    {
      const char *message = mw_evacuation_item_get_message (item);

      if (message != NULL)
        g_print (": %s", message);
    }
  g_print ("\n");
}

static void
print_summary (Cli *cli)
{
  GListModel *items = mw_evacuation_plan_get_items (cli->plan);
  MwEvacuation *evacuation = cli->evacuation;

  g_print ("\n%-24s %-13s %-9s %-36s %-8s %9s %9s %9s\n", C_("evacuation", "GUEST"), C_("evacuation", "ACTION"), C_("evacuation", "STATE"),
           C_("evacuation", "NOW ON"), C_("evacuation", "CHECKED"), C_("evacuation", "TIME"), C_("evacuation", "DOWNTIME"), C_("evacuation", "PING GAP"));
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(MwEvacuationItem) item = g_list_model_get_item (items, i);
      gint64 gap_us = mw_evacuation_item_get_ping_gap_us (item);
      g_autofree char *time = ms_text (mw_evacuation_item_get_time_ms (item));
      g_autofree char *downtime = mw_evacuation_item_get_downtime_ms (item) >= 0
        ? g_strdup_printf ("%" G_GINT64_FORMAT " ms", mw_evacuation_item_get_downtime_ms (item))
        : g_strdup ("–");
      g_autofree char *gap = gap_us >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT " ms",
                                                            gap_us / 1000)
                                         : g_strdup ("–");
      const char *location = mw_evacuation_item_get_location (item);

      g_print ("%-24s %-13s %-9s %-36s %-8s %9s %9s %9s\n", mw_evacuation_item_get_name (item),
               action_text (mw_evacuation_item_get_action (item)),
               state_text (mw_evacuation_item_get_state (item)),
               location != NULL ? location : C_("evacuation", "unknown"),
               mw_evacuation_item_get_verified (item) ? C_("evacuation", "yes") : C_("evacuation", "no"), time, downtime, gap);
    }
  g_print (_("\n%u done, %u failed, %u skipped in %.1f s (at most %u migrations at once).\n"),
           mw_evacuation_get_n_done (evacuation), mw_evacuation_get_n_failed (evacuation),
           mw_evacuation_get_n_skipped (evacuation),
           mw_evacuation_get_elapsed_ms (evacuation) / 1000.0,
           mw_evacuation_get_max_running (evacuation));
}

static void
on_report_written_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;

  if (!mw_evacuation_write_report_finish (MW_EVACUATION (source), result, &error))
    {
      g_printerr (_("Could not write the report: %s\n"), error->message);
      cli->exit_status = 1;
    }
  else
    g_print (_("Report: %s\n"), cli->report_path);
  g_main_loop_quit (cli->loop);
}

static void
on_evacuation_finished_cb (MwEvacuation *evacuation,
                           Cli          *cli)
{
  print_summary (cli);
  cli->exit_status = mw_evacuation_get_all_moved (evacuation)
                     && !mw_evacuation_get_stopped (evacuation) ? 0 : 1;
  if (cli->report_path != NULL)
    {
      g_autoptr(GFile) json = g_file_new_for_commandline_arg (cli->report_path);
      g_autofree char *csv_path = NULL;
      g_autoptr(GFile) csv = NULL;

      csv_path = g_str_has_suffix (cli->report_path, ".json")
        ? g_strdup_printf ("%.*s.csv", (int) strlen (cli->report_path) - 5, cli->report_path)
        : g_strconcat (cli->report_path, ".csv", NULL);
      csv = g_file_new_for_commandline_arg (csv_path);
      mw_evacuation_write_report_async (evacuation, json, csv, NULL, on_report_written_cb, cli);
      return;
    }
  g_main_loop_quit (cli->loop);
}

static void
start_run (Cli *cli)
{
  GListModel *items = mw_evacuation_plan_get_items (cli->plan);

  cli->evacuation = mw_evacuation_new (cli->plan);
  mw_evacuation_set_parallel (cli->evacuation, (guint) cli->args.parallel);
  mw_evacuation_set_bandwidth (cli->evacuation, (guint) cli->args.bandwidth);
  mw_evacuation_set_stop_on_failure (cli->evacuation, cli->args.stop_on_failure);
  mw_evacuation_set_ping (cli->evacuation, cli->args.ping);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(MwEvacuationItem) item = g_list_model_get_item (items, i);

      g_signal_connect (item, "notify::state", G_CALLBACK (on_item_state_cb), cli);
    }
  g_signal_connect (cli->evacuation, "finished", G_CALLBACK (on_evacuation_finished_cb), cli);
  g_print ("\n");
  cli->start_us = g_get_monotonic_time ();
  mw_evacuation_start (cli->evacuation);
}

static void
on_plan_state_cb (MwEvacuationPlan *plan,
                  GParamSpec       *pspec,
                  Cli              *cli)
{
  switch (mw_evacuation_plan_get_state (plan))
    {
    case MW_EVACUATION_PLAN_STATE_CHECKING:
      {
        guint n = g_list_model_get_n_items (mw_evacuation_plan_get_items (plan));

        g_print (g_dngettext (GETTEXT_PACKAGE, "Checking %u guest…\n", "Checking %u guests…\n",
                              n), n);
      }
      break;
    case MW_EVACUATION_PLAN_STATE_FAILED:
      g_printerr ("mig-wizard-cli: %s\n", mw_evacuation_plan_get_error (plan)->message);
      cli->exit_status = 1;
      g_main_loop_quit (cli->loop);
      break;
    case MW_EVACUATION_PLAN_STATE_READY:
      print_plan (cli);
      if (cli->args.dry_run || cli->n_signals > 0)
        {
          cli->exit_status = cli->n_signals > 0 ? 1 : 0;
          g_main_loop_quit (cli->loop);
        }
      else
        start_run (cli);
      break;
    case MW_EVACUATION_PLAN_STATE_IDLE:
    case MW_EVACUATION_PLAN_STATE_SURVEYING:
    default:
      break;
    }
}

static gboolean
on_signal_cb (gpointer user_data)
{
  Cli *cli = user_data;

  cli->n_signals++;
  if (cli->evacuation == NULL)
    {
      if (mw_evacuation_plan_get_state (cli->plan) == MW_EVACUATION_PLAN_STATE_SURVEYING)
        {
          cli->exit_status = 1;
          g_main_loop_quit (cli->loop);
        }
      else
        mw_evacuation_plan_cancel (cli->plan);
      return G_SOURCE_CONTINUE;
    }
  if (cli->n_signals == 1)
    {
      g_printerr (_("\nStopping: running migrations are aborted and every guest stays where it "
                    "is…\n"));
      mw_evacuation_stop (cli->evacuation);
    }
  else
    g_printerr (_("Still stopping; the guests stay where they are. Please wait.\n"));
  return G_SOURCE_CONTINUE;
}

static int
run (Cli *cli)
{
  guint sigint_id, sigterm_id;

  mw_cli_evacuate_args_apply (&cli->args, cli->plan);
  cli->loop = g_main_loop_new (NULL, FALSE);
  cli->exit_status = 1;
  g_signal_connect (cli->plan, "notify::state", G_CALLBACK (on_plan_state_cb), cli);
  sigint_id = g_unix_signal_add (SIGINT, on_signal_cb, cli);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal_cb, cli);
  mw_evacuation_plan_run (cli->plan);
  g_main_loop_run (cli->loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_signal_handlers_disconnect_by_data (cli->plan, cli);
  return cli->exit_status;
}

static void
cli_clear (Cli *cli)
{
  mw_cli_evacuate_args_clear (&cli->args);
  g_clear_object (&cli->evacuation);
  g_clear_object (&cli->plan);
  g_clear_pointer (&cli->loop, g_main_loop_unref);
  g_clear_pointer (&cli->report_path, g_free);
}

static int
parse (Cli        *cli,
       gboolean    bring_back,
       int         argc,
       char      **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;

  mw_cli_evacuate_args_init (&cli->args, bring_back);
  context = mw_cli_evacuate_args_context_new (&cli->args);
  if (!g_option_context_parse (context, &argc, &argv, &error)
      || !mw_cli_evacuate_args_check (&cli->args, argc, &error))
    return usage_error (error->message);
  return 0;
}

int
mw_cli_evacuate (int    argc,
                 char **argv)
{
  Cli cli = { 0 };
  int status;

  status = parse (&cli, FALSE, argc, argv);
  if (status == 0)
    {
      mw_libvirt_init ();
      cli.plan = mw_evacuation_plan_new (cli.args.from,
                                         (const char * const *) cli.args.destinations);
      cli.report_path = g_strdup (cli.args.report);
      g_print (_("Evacuating %s\n"), cli.args.from);
      status = run (&cli);
    }
  cli_clear (&cli);
  return status;
}

int
mw_cli_bring_back (int    argc,
                   char **argv)
{
  Cli cli = { 0 };
  g_autoptr(GError) error = NULL;
  int status;

  status = parse (&cli, TRUE, argc, argv);
  if (status != 0)
    {
      cli_clear (&cli);
      return status;
    }
  cli.plan = mw_evacuation_plan_new_bring_back_from_file (cli.args.report, &error);
  if (cli.plan == NULL)
    {
      g_printerr ("mig-wizard-cli: %s\n", error->message);
      cli_clear (&cli);
      return 1;
    }
  mw_libvirt_init ();
  cli.report_path = g_str_has_suffix (cli.args.report, ".json")
    ? g_strdup_printf ("%.*s-back.json", (int) strlen (cli.args.report) - 5, cli.args.report)
    : g_strconcat (cli.args.report, "-back.json", NULL);
  g_print (_("Bringing the guests of %s back\n"), cli.args.report);
  status = run (&cli);
  cli_clear (&cli);
  return status;
}
