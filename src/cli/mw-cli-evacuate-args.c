/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-cli-evacuate-args.c: the evacuate and bring-back options; see mw-cli-evacuate-args.h. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "mw-cli-evacuate-args.h"
#include "mw-text.h"

void
mw_cli_evacuate_args_init (MwCliEvacuateArgs *args,
                           gboolean           bring_back)
{
  g_return_if_fail (args != NULL);
  *args = (MwCliEvacuateArgs) { 0 };
  args->parallel = 1;
  args->bring_back = bring_back;
  args->order_value = MW_EVACUATION_ORDER_PRIORITY;
  args->cannot_move_value = MW_EVACUATION_ACTION_LEAVE;
}

void
mw_cli_evacuate_args_clear (MwCliEvacuateArgs *args)
{
  g_return_if_fail (args != NULL);
  g_clear_pointer (&args->from, g_free);
  g_clear_pointer (&args->to, g_free);
  g_clear_pointer (&args->order, g_free);
  g_clear_pointer (&args->priorities, g_strfreev);
  g_clear_pointer (&args->addresses, g_strfreev);
  g_clear_pointer (&args->cannot_move, g_free);
  g_clear_pointer (&args->report, g_free);
  g_clear_pointer (&args->destinations, g_strfreev);
  g_clear_pointer (&args->priority_values, g_hash_table_unref);
  g_clear_pointer (&args->address_values, g_hash_table_unref);
  g_clear_pointer (&args->actions, g_strfreev);
  g_clear_pointer (&args->action_values, g_hash_table_unref);
}

GOptionContext *
mw_cli_evacuate_args_context_new (MwCliEvacuateArgs *args)
{
  GOptionContext *context;
  /* GOption copies the tables; the pointers into args stay. */
  const GOptionEntry plan_entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &args->from,
      N_("The host to empty (required)"), "URI" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &args->to,
      N_("Where the guests go; several, comma-separated, are filled by free memory (required)"),
      "URI[,URI…]" },
    { "order", 0, 0, G_OPTION_ARG_STRING, &args->order,
      N_("The order the guests go in (default: priority)"), "priority|small-first|large-first" },
    { "priority", 0, 0, G_OPTION_ARG_STRING_ARRAY, &args->priorities,
      N_("A guest’s priority: higher goes first (default 0); repeat for each guest"), "NAME=N" },
    { "address", 0, 0, G_OPTION_ARG_STRING_ARRAY, &args->addresses,
      N_("Ping this guest at this address (implies --ping); repeat for each guest"),
      "NAME=ADDR" },
    { "cannot-move", 0, 0, G_OPTION_ARG_STRING, &args->cannot_move,
      N_("What to do with a guest that cannot move (default: leave)"),
      "shutdown|managed-save|leave" },
    { "action", 0, 0, G_OPTION_ARG_STRING_ARRAY, &args->actions,
      N_("Decide for one guest that needs a decision or cannot move (or any other): migrate "
         "it anyway, shut it down, save it to disk, or leave it; repeat for each guest"),
      "NAME=ACTION" },
    { "report", 0, 0, G_OPTION_ARG_FILENAME, &args->report,
      N_("Write the evacuation’s report here (JSON, a CSV next to it)"), "FILE" },
    { NULL }
  };
  const GOptionEntry back_entries[] = {
    { "report", 0, 0, G_OPTION_ARG_FILENAME, &args->report,
      N_("The report of the evacuation to undo (required); its bring-back report goes next "
         "to it"), "FILE" },
    { NULL }
  };
  const GOptionEntry run_entries[] = {
    { "parallel", 0, 0, G_OPTION_ARG_INT, &args->parallel,
      N_("At most this many migrations at once, 1 to 64 (default 1)"), "N" },
    { "bandwidth", 0, 0, G_OPTION_ARG_INT, &args->bandwidth,
      N_("A bandwidth cap shared by the running migrations, in MiB/s (default and 0: none)"), "MIB_S" },
    { "stop-on-failure", 0, 0, G_OPTION_ARG_NONE, &args->stop_on_failure,
      N_("Stop everything when one guest fails"), NULL },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &args->dry_run,
      N_("Show the plan and stop"), NULL },
    { "ping", 0, 0, G_OPTION_ARG_NONE, &args->ping,
      N_("Ping each running guest during its migration (its address from libvirt)"), NULL },
    { NULL }
  };

  if (args->bring_back)
    {
      context = g_option_context_new (_("— move the guests of an evacuation back"));
      g_option_context_set_summary (context,
        _("Reads an evacuation report, plans moving every guest back where it came from (and "
          "starting what was shut down or saved), prints the plan, then runs it."));
      g_option_context_add_main_entries (context, back_entries, GETTEXT_PACKAGE);
    }
  else
    {
      context = g_option_context_new (_("— move every guest off a host"));
      g_option_context_set_summary (context,
        _("Lists every guest of the host, runs the pre-flight checks for each, prints the plan, "
          "then moves them one by one (or N at a time). Exit status: 0 when every guest that "
          "was to move did, 1 otherwise or when stopped (Ctrl+C), 2 for bad input."));
      g_option_context_add_main_entries (context, plan_entries, GETTEXT_PACKAGE);
    }
  g_option_context_add_main_entries (context, run_entries, GETTEXT_PACKAGE);
  return context;
}

static gboolean
parse_int (const char *text,
           int        *value)
{
  char *end = NULL;
  long parsed;

  if (text == NULL || *text == '\0')
    return FALSE;
  parsed = strtol (text, &end, 10);
  if (*end != '\0' || parsed < G_MININT || parsed > G_MAXINT)
    return FALSE;
  *value = (int) parsed;
  return TRUE;
}

/* One NAME=VALUE item's value into TABLE under NAME (owned); FALSE with ERROR set when it is no
 * such value. ITEM is what the user typed, for the message. */
typedef gboolean (*AddAssignment) (GHashTable  *table,
                                   const char  *item,
                                   char        *name,
                                   const char  *value,
                                   GError     **error);

/* Every ITEMS of OPTION (NAME=VALUE, SHAPE says how in a message), each added by ADD. */
static gboolean
add_assignments (char          **items,
                 const char     *option,
                 const char     *shape,
                 GHashTable     *table,
                 AddAssignment   add,
                 GError        **error)
{
  for (guint i = 0; items != NULL && items[i] != NULL; i++)
    {
      g_autofree char *name = NULL;
      const char *value = NULL;

      if (!mw_cli_split_assignment (option, shape, items[i], &name, &value, error)
          || !add (table, items[i], g_steal_pointer (&name), value, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
add_priority (GHashTable  *table,
              const char  *item,
              char        *name,
              const char  *value,
              GError     **error)
{
  g_autofree char *owned = name;
  int priority;

  if (!parse_int (value, &priority))
    {
      mw_set_error_quoting (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                            /* Translators: %s is what the user typed. */
                            _("--priority takes NAME=N (a whole number), not “%s”."), item);
      return FALSE;
    }
  g_hash_table_replace (table, g_steal_pointer (&owned), GINT_TO_POINTER (priority));
  return TRUE;
}

static gboolean
add_address (GHashTable  *table,
             const char  *item,
             char        *name,
             const char  *value,
             GError     **error)
{
  g_hash_table_replace (table, name, g_strdup (value));
  return TRUE;
}

/* The words --cannot-move and --action take; migrate only where allow_migrate. */
static gboolean
action_from_word (const char         *word,
                  gboolean            allow_migrate,
                  MwEvacuationAction *action)
{
  if (g_str_equal (word, "shutdown"))
    *action = MW_EVACUATION_ACTION_SHUT_DOWN;
  else if (g_str_equal (word, "managed-save"))
    *action = MW_EVACUATION_ACTION_MANAGED_SAVE;
  else if (g_str_equal (word, "leave"))
    *action = MW_EVACUATION_ACTION_LEAVE;
  else if (allow_migrate && g_str_equal (word, "migrate"))
    *action = MW_EVACUATION_ACTION_MIGRATE;
  else
    return FALSE;
  return TRUE;
}

const char *
mw_cli_evacuate_action_word (MwEvacuationAction action)
{
  switch (action)
    {
    case MW_EVACUATION_ACTION_MIGRATE:
      return "migrate";
    case MW_EVACUATION_ACTION_SHUT_DOWN:
      return "shutdown";
    case MW_EVACUATION_ACTION_MANAGED_SAVE:
      return "managed-save";
    case MW_EVACUATION_ACTION_START:
      return "start";
    case MW_EVACUATION_ACTION_LEAVE:
    default:
      return "leave";
    }
}

static gboolean
add_action (GHashTable  *table,
            const char  *item,
            char        *name,
            const char  *value,
            GError     **error)
{
  g_autofree char *owned = name;
  MwEvacuationAction action;

  if (!action_from_word (value, TRUE, &action))
    {
      mw_set_error_quoting (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                            /* Translators: %s is what the user typed. */
                            _("--action takes NAME=migrate, NAME=shutdown, "
                              "NAME=managed-save or NAME=leave, not “%s”."),
                            item);
      return FALSE;
    }
  if (g_hash_table_contains (table, owned))
    {
      mw_set_error_quoting (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                            /* Translators: %s is a guest's name. */
                            _("--action names “%s” twice."), owned);
      return FALSE;
    }
  g_hash_table_insert (table, g_steal_pointer (&owned), GINT_TO_POINTER (action));
  return TRUE;
}

/* --priority, --address and --action into their tables; --address turns pinging on. */
static gboolean
check_assignments (MwCliEvacuateArgs  *args,
                   GError            **error)
{
  args->priority_values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  args->address_values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  args->action_values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (args->addresses != NULL)
    args->ping = TRUE;
  return add_assignments (args->priorities, "--priority", "NAME=N", args->priority_values,
                          add_priority, error)
         && add_assignments (args->addresses, "--address", "NAME=ADDR", args->address_values,
                             add_address, error)
         && add_assignments (args->actions, "--action", "NAME=ACTION", args->action_values,
                             add_action, error);
}

static gboolean
check_destinations (MwCliEvacuateArgs  *args,
                    GError            **error)
{
  g_auto(GStrv) parts = g_strsplit (args->to, ",", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *uri = g_strstrip (g_strdup (parts[i]));

      if (*uri == '\0')
        return mw_cli_bad_value (error, _("--to has an empty URI in its list."));
      if (!mw_cli_check_uri ("--to", uri, error))
        return FALSE;
      if (g_str_equal (uri, args->from))
        return mw_cli_bad_value (error, _("--to names the host that is being emptied (--from)."));
      for (guint j = 0; j < i; j++)
        if (g_str_equal (g_strstrip (parts[j]), uri))
          return mw_cli_bad_value (error, _("--to names the same host twice."));
      g_strv_builder_add (builder, uri);
    }
  args->destinations = g_strv_builder_end (builder);
  return TRUE;
}

gboolean
mw_cli_evacuate_args_check (MwCliEvacuateArgs  *args,
                            int                 n_rest,
                            GError            **error)
{
  g_return_val_if_fail (args != NULL, FALSE);

  if (n_rest != 1)
    return mw_cli_bad_value (error, args->bring_back ? _("bring-back takes no other words than its options.")
                                              : _("evacuate takes no other words than its options."));
  if (args->bring_back)
    {
      if (args->report == NULL)
        return mw_cli_bad_value (error,
                                 _("bring-back needs --report FILE, the evacuation’s report."));
      if (*args->report == '\0')
        return mw_cli_bad_value (error, _("--report needs a file name."));
    }
  else
    {
      if (args->from == NULL || args->to == NULL)
        return mw_cli_bad_value (error, _("evacuate needs --from URI and --to URI."));
      if (!mw_cli_check_uri ("--from", args->from, error) || !check_destinations (args, error))
        return FALSE;
      if (args->order != NULL && !mw_evacuation_order_from_nick (args->order, &args->order_value))
        return mw_cli_bad_value (error,
                          _("--order takes priority, small-first or large-first."));
      if (args->cannot_move != NULL
          && !action_from_word (args->cannot_move, FALSE, &args->cannot_move_value))
        return mw_cli_bad_value (error,
                                 _("--cannot-move takes shutdown, managed-save or leave."));
      if (args->report != NULL && *args->report == '\0')
        return mw_cli_bad_value (error, _("--report needs a file name."));
      if (!check_assignments (args, error))
        return FALSE;
    }
  if (args->parallel < 1 || args->parallel > 64)
    return mw_cli_bad_value (error, _("--parallel takes a number from 1 to 64."));
  if (args->bandwidth < 0)
    return mw_cli_bad_value (error, _("--bandwidth takes a positive number of MiB/s (0: no cap)."));
  return TRUE;
}

void
mw_cli_evacuate_args_apply (const MwCliEvacuateArgs *args,
                            MwEvacuationPlan        *plan)
{
  GHashTableIter iter;
  gpointer name, value;

  g_return_if_fail (args != NULL);
  g_return_if_fail (MW_IS_EVACUATION_PLAN (plan));

  mw_evacuation_plan_set_order (plan, args->order_value);
  mw_evacuation_plan_set_cannot_move_action (plan, args->cannot_move_value);
  if (args->priority_values != NULL)
    {
      g_hash_table_iter_init (&iter, args->priority_values);
      while (g_hash_table_iter_next (&iter, &name, &value))
        mw_evacuation_plan_set_priority_for (plan, name, GPOINTER_TO_INT (value));
    }
  if (args->address_values != NULL)
    {
      g_hash_table_iter_init (&iter, args->address_values);
      while (g_hash_table_iter_next (&iter, &name, &value))
        mw_evacuation_plan_set_address_for (plan, name, value);
    }
  if (args->action_values != NULL)
    {
      g_hash_table_iter_init (&iter, args->action_values);
      while (g_hash_table_iter_next (&iter, &name, &value))
        mw_evacuation_plan_set_action_for (plan, name, GPOINTER_TO_INT (value));
    }
}
