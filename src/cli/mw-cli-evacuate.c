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
#include "mw-cli-usage.h"
#include "mw-convergence.h"
#include "mw-evacuation-report.h"
#include "mw-libvirt.h"
#include "mw-text.h"

#define EXIT_BAD_INPUT MW_CLI_EXIT_BAD_INPUT

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

G_GNUC_PRINTF (1, 2)
static int
usage_error_printf (const char *format,
                    ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  return mw_cli_usage_error (message);
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

/* ---- tables ------------------------------------------------------------------------------ */

/* Rows of cells printed with each column as wide as its widest cell, measured in terminal
 * columns (mw_text_width), so names in any script and translated headers line up; the last
 * column is not padded. A row may carry note lines, printed indented under it. */
typedef struct
{
  guint n_columns;
  guint right_aligned;   /* bit i: column i is aligned right */
  GPtrArray *cells;      /* char *, row after row */
  GPtrArray *notes;      /* GPtrArray of char * (or NULL), one a row */
} Table;

static void
table_init (Table *table,
            guint  n_columns,
            guint  right_aligned)
{
  table->n_columns = n_columns;
  table->right_aligned = right_aligned;
  table->cells = g_ptr_array_new_with_free_func (g_free);
  table->notes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
}

static void
table_clear (Table *table)
{
  g_clear_pointer (&table->cells, g_ptr_array_unref);
  g_clear_pointer (&table->notes, g_ptr_array_unref);
}

/* n_columns strings. */
static void
table_add_row (Table *table,
               ...)
{
  va_list args;

  va_start (args, table);
  for (guint i = 0; i < table->n_columns; i++)
    g_ptr_array_add (table->cells, g_strdup (va_arg (args, const char *)));
  va_end (args);
  g_ptr_array_add (table->notes, g_ptr_array_new_with_free_func (g_free));
}

/* Under the last row. */
static void
table_add_note (Table      *table,
                const char *line)
{
  g_ptr_array_add (g_ptr_array_index (table->notes, table->notes->len - 1), g_strdup (line));
}

static void
table_print (Table *table)
{
  g_autofree guint *widths = g_new0 (guint, table->n_columns);
  guint n_rows = table->notes->len;

  for (guint i = 0; i < table->cells->len; i++)
    widths[i % table->n_columns] = MAX (widths[i % table->n_columns],
                                        mw_text_width (g_ptr_array_index (table->cells, i)));
  for (guint r = 0; r < n_rows; r++)
    {
      g_autoptr(GString) line = g_string_new (NULL);
      GPtrArray *notes = g_ptr_array_index (table->notes, r);

      for (guint c = 0; c < table->n_columns; c++)
        {
          const char *cell = g_ptr_array_index (table->cells, r * table->n_columns + c);

          if (c > 0)
            g_string_append_c (line, ' ');
          if (table->right_aligned & (1u << c))
            mw_text_pad_start (line, cell, widths[c]);
          else if (c + 1 < table->n_columns)
            mw_text_pad_end (line, cell, widths[c]);
          else
            g_string_append (line, cell);
        }
      g_print ("%s\n", line->str);
      for (guint n = 0; n < notes->len; n++)
        g_print ("    %s\n", (const char *) g_ptr_array_index (notes, n));
    }
}

/* ---- the plan ------------------------------------------------------------------------------ */

static const char *
run_state_text (MwEvacuationItem *item)
{
  if (mw_evacuation_item_get_was_paused (item))
    return C_("evacuation", "paused");
  return mw_evacuation_item_get_was_running (item) ? C_("evacuation", "running")
                                                   : C_("evacuation", "shut off");
}

static void
print_plan (Cli *cli)
{
  GListModel *items = mw_evacuation_plan_get_items (cli->plan);
  guint n = g_list_model_get_n_items (items);
  Table table;

  table_init (&table, 7, 1u << 3);
  table_add_row (&table, C_("evacuation", "GUEST"), C_("evacuation", "STATE"),
                 C_("evacuation", "MEMORY"), C_("evacuation", "PRIO"), C_("evacuation", "GROUP"),
                 C_("evacuation", "TO"), C_("evacuation", "ACTION"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MwEvacuationItem) item = g_list_model_get_item (items, i);
      g_autofree char *memory = mw_format_bytes (mw_evacuation_item_get_memory_kib (item) * 1024);
      g_autofree char *priority = g_strdup_printf ("%d", mw_evacuation_item_get_priority (item));
      MwEvacuationAction action = mw_evacuation_item_get_action (item);
      MwEvacuationGroup group = mw_evacuation_item_get_group (item);
      const char *name = mw_evacuation_item_get_name (item);
      const char *reason = mw_evacuation_item_get_reason (item);

      table_add_row (&table, name, run_state_text (item), memory, priority, group_text (group),
                     action == MW_EVACUATION_ACTION_MIGRATE
                       ? mw_evacuation_item_get_destination (item) : "–",
                     action_text (action));
      if (reason != NULL)
        {
          g_auto(GStrv) lines = g_strsplit (reason, "\n", -1);

          for (guint l = 0; lines[l] != NULL; l++)
            table_add_note (&table, lines[l]);
        }
      /* What the user can do about it, in this command's terms, until it is decided. */
      if ((group == MW_EVACUATION_GROUP_NEEDS_DECISION || group == MW_EVACUATION_GROUP_CANNOT_MOVE)
          && !mw_evacuation_plan_get_action_for (cli->plan, name, NULL))
        {
          g_autofree char *hint = NULL;

          if (group == MW_EVACUATION_GROUP_CANNOT_MOVE)
            /* Translators: the first %s is a guest's name, the second one of the words
             * shutdown, managed-save or leave (not translated: the option takes them). */
            hint = g_strdup_printf (_("Decide with --action %s=shutdown|managed-save|leave "
                                      "(now: %s)."),
                                    name, mw_cli_evacuate_action_word (action));
          else
            /* Translators: the first %s is a guest's name, the second one of the words
             * migrate, shutdown, managed-save or leave (not translated). */
            hint = g_strdup_printf (_("Decide with --action %s=migrate|shutdown|managed-save|leave "
                                      "(now: %s)."),
                                    name, mw_cli_evacuate_action_word (action));
          table_add_note (&table, hint);
        }
    }
  g_print ("\n");
  table_print (&table);
  table_clear (&table);
  g_print (g_dngettext (GETTEXT_PACKAGE, "\n%u guest: %u ready, %u need a decision, %u cannot "
                        "move.\n", "\n%u guests: %u ready, %u need a decision, %u cannot move.\n",
                        n),
           n, mw_evacuation_plan_count_group (cli->plan, MW_EVACUATION_GROUP_READY),
           mw_evacuation_plan_count_group (cli->plan, MW_EVACUATION_GROUP_NEEDS_DECISION),
           mw_evacuation_plan_count_group (cli->plan, MW_EVACUATION_GROUP_CANNOT_MOVE));
}

/* The --action choices against the plan: each names a guest of it, and none migrates a guest
 * that cannot move. FALSE with one sentence. */
static gboolean
check_actions (Cli     *cli,
               GError **error)
{
  GHashTableIter iter;
  gpointer name, value;

  if (cli->args.action_values == NULL)
    return TRUE;
  g_hash_table_iter_init (&iter, cli->args.action_values);
  while (g_hash_table_iter_next (&iter, &name, &value))
    {
      GListModel *items = mw_evacuation_plan_get_items (cli->plan);
      MwEvacuationItem *found = NULL;

      for (guint i = 0; found == NULL && i < g_list_model_get_n_items (items); i++)
        {
          g_autoptr(MwEvacuationItem) item = g_list_model_get_item (items, i);

          if (g_str_equal (mw_evacuation_item_get_name (item), name))
            found = item;   /* the plan keeps it */
        }
      if (found == NULL)
        {
          mw_set_error_quoting (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                                /* Translators: %s is the name given to --action. */
                                _("--action names “%s”, which is not a guest of this host."),
                                name);
          return FALSE;
        }
      if (GPOINTER_TO_INT (value) == MW_EVACUATION_ACTION_MIGRATE
          && mw_evacuation_item_get_group (found) == MW_EVACUATION_GROUP_CANNOT_MOVE)
        {
          mw_set_error_quoting (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                                /* Translators: %s is a guest's name. */
                                _("--action: “%s” cannot move (the plan above says why); choose "
                                  "shutdown, managed-save or leave for it."), name);
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- the run ------------------------------------------------------------------------------- */

static void
on_item_state_cb (MwEvacuationItem *item,
                  GParamSpec       *pspec,
                  Cli              *cli)
{
  MwEvacuationState state = mw_evacuation_item_get_state (item);
  double t = (g_get_monotonic_time () - cli->start_us) / 1e6;

  g_autoptr(GString) line = g_string_new (NULL);

  g_string_append_printf (line, "%7.1f s  ", t);
  mw_text_pad_end (line, mw_evacuation_item_get_name (item), 24);
  g_print ("%s %s", line->str, state_text (state));
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
  Table table;

  /* TIME, DOWNTIME and PING GAP aligned right. */
  table_init (&table, 8, (1u << 5) | (1u << 6) | (1u << 7));
  table_add_row (&table, C_("evacuation", "GUEST"), C_("evacuation", "ACTION"),
                 C_("evacuation", "STATE"), C_("evacuation", "NOW ON"),
                 C_("evacuation", "CHECKED"), C_("evacuation", "TIME"),
                 C_("evacuation", "DOWNTIME"), C_("evacuation", "PING GAP"));
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

      table_add_row (&table, mw_evacuation_item_get_name (item),
                     action_text (mw_evacuation_item_get_action (item)),
                     state_text (mw_evacuation_item_get_state (item)),
                     location != NULL ? location : C_("evacuation", "unknown"),
                     mw_evacuation_item_get_verified (item) ? C_("evacuation", "yes")
                                                            : C_("evacuation", "no"),
                     time, downtime, gap);
    }
  g_print ("\n");
  table_print (&table);
  table_clear (&table);
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
  g_autoptr(GError) error = NULL;

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
      if (!check_actions (cli, &error))
        {
          cli->exit_status = mw_cli_usage_error (error->message);
          g_main_loop_quit (cli->loop);
        }
      else if (cli->args.dry_run || cli->n_signals > 0)
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
  if (!mw_cli_parse_options (context, &argc, &argv, &error)
      || !mw_cli_evacuate_args_check (&cli->args, argc, &error))
    return mw_cli_usage_error (error->message);
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

/* Why the report given to bring-back cannot be used, in one sentence; the exit status. A file
 * that is not there or cannot be read is bad input (2); one that is no evacuation report, or
 * has nothing to bring back, is 1. */
static int
report_error (const char   *path,
              const GError *error)
{
  g_autofree char *shown = mw_text_for_message (path);

  if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    /* Translators: %s is a file name. */
    return usage_error_printf (_("--report: there is no file “%s”. Give the report an "
                                 "evacuation wrote (evacuate --report FILE)."), shown);
  if (error->domain == G_FILE_ERROR)
    /* Translators: %s is a file name. */
    return usage_error_printf (_("--report: “%s” cannot be read: give a report file you may "
                                 "read."), shown);
  if (error->domain == JSON_PARSER_ERROR)
    /* Translators: %s is a file name. */
    g_printerr (_("mig-wizard-cli: “%s” is not a MigWizard evacuation report (it is not "
                  "JSON).\n"), shown);
  else
    g_printerr ("mig-wizard-cli: %s\n", error->message);
  return 1;
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
      status = report_error (cli.args.report, error);
      cli_clear (&cli);
      return status;
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
