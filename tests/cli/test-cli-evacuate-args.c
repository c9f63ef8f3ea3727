/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-cli-evacuate-args.c: `mig-wizard-cli evacuate` and `bring-back` options, parsed by their
 * own tables: what each option sets, and one specific sentence for each bad input. */

#include "config.h"

#include <string.h>

#include "mw-cli-evacuate-args.h"

#define FROM "qemu+ssh://root@hosta/system"
#define TO "qemu+ssh://root@hostb/system"
#define TO2 "qemu+ssh://root@hostc/system"

/* Parses "COMMAND <line>" with the command's table, then checks it. */
static gboolean
parse (const char         *line,
       gboolean            bring_back,
       MwCliEvacuateArgs  *args,
       GError            **error)
{
  g_autofree char *full = g_strdup_printf ("%s %s", bring_back ? "bring-back" : "evacuate", line);
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) argv = NULL;

  g_assert_true (g_shell_parse_argv (full, NULL, &argv, NULL));
  mw_cli_evacuate_args_init (args, bring_back);
  context = mw_cli_evacuate_args_context_new (args);
  if (!g_option_context_parse_strv (context, &argv, error))
    return FALSE;
  return mw_cli_evacuate_args_check (args, (int) g_strv_length (argv), error);
}

static void
test_defaults (void)
{
  MwCliEvacuateArgs args;
  g_autoptr(GError) error = NULL;

  g_assert_true (parse ("--from " FROM " --to " TO, FALSE, &args, &error));
  g_assert_no_error (error);
  g_assert_cmpint (args.parallel, ==, 1);
  g_assert_cmpint (args.bandwidth, ==, 0);
  g_assert_cmpint (args.order_value, ==, MW_EVACUATION_ORDER_PRIORITY);
  g_assert_cmpint (args.cannot_move_value, ==, MW_EVACUATION_ACTION_LEAVE);
  g_assert_cmpuint (g_strv_length (args.destinations), ==, 1);
  g_assert_cmpstr (args.destinations[0], ==, TO);
  g_assert_false (args.dry_run || args.stop_on_failure || args.ping);
  g_assert_null (args.report);
  mw_cli_evacuate_args_clear (&args);
}

static void
test_every_option (void)
{
  MwCliEvacuateArgs args;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwEvacuationPlan) plan = mw_evacuation_plan_new (FROM, (const char *[]) { TO, NULL });

  g_assert_true (parse ("--from " FROM " --to '" TO ", " TO2 "' --parallel 3 --bandwidth 200 "
                        "--order large-first --priority db=10 --priority web=-2 "
                        "--priority a=b=3 --cannot-move managed-save --stop-on-failure "
                        "--dry-run --report /tmp/r.json --address db=10.0.0.5 "
                        "--action web=leave --action db=migrate", FALSE, &args, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (args.destinations), ==, 2);
  g_assert_cmpstr (args.destinations[1], ==, TO2);
  g_assert_cmpint (args.parallel, ==, 3);
  g_assert_cmpint (args.bandwidth, ==, 200);
  g_assert_cmpint (args.order_value, ==, MW_EVACUATION_ORDER_LARGE_FIRST);
  g_assert_cmpint (args.cannot_move_value, ==, MW_EVACUATION_ACTION_MANAGED_SAVE);
  g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (args.priority_values, "db")), ==, 10);
  g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (args.priority_values, "web")), ==, -2);
  /* The last '=' splits: a name may hold one. */
  g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (args.priority_values, "a=b")), ==, 3);
  /* An address implies pinging. */
  g_assert_true (args.stop_on_failure && args.dry_run && args.ping);
  g_assert_cmpstr (g_hash_table_lookup (args.address_values, "db"), ==, "10.0.0.5");
  g_assert_cmpstr (args.report, ==, "/tmp/r.json");

  mw_cli_evacuate_args_apply (&args, plan);
  g_assert_cmpint (mw_evacuation_plan_get_order (plan), ==, MW_EVACUATION_ORDER_LARGE_FIRST);
  {
    MwEvacuationAction action;

    g_assert_true (mw_evacuation_plan_get_action_for (plan, "web", &action));
    g_assert_cmpint (action, ==, MW_EVACUATION_ACTION_LEAVE);
    g_assert_true (mw_evacuation_plan_get_action_for (plan, "db", &action));
    g_assert_cmpint (action, ==, MW_EVACUATION_ACTION_MIGRATE);
  }
  g_assert_cmpint (mw_evacuation_plan_get_cannot_move_action (plan), ==,
                   MW_EVACUATION_ACTION_MANAGED_SAVE);
  mw_cli_evacuate_args_clear (&args);

  g_assert_true (parse ("--cannot-move shutdown --from " FROM " --to " TO " --order small-first",
                        FALSE, &args, &error));
  g_assert_cmpint (args.cannot_move_value, ==, MW_EVACUATION_ACTION_SHUT_DOWN);
  g_assert_cmpint (args.order_value, ==, MW_EVACUATION_ORDER_SMALL_FIRST);
  mw_cli_evacuate_args_clear (&args);
}

static void
test_bad_input (void)
{
  const struct
  {
    const char *line;
    gboolean bring_back;
    const char *sentence;   /* a part of the message */
  } cases[] = {
    { "--to " TO, FALSE, "needs --from URI and --to URI" },
    { "--from " FROM, FALSE, "needs --from URI and --to URI" },
    { "--from " FROM " --to " TO " guest", FALSE, "no other words" },
    { "--from " FROM " --to " FROM, FALSE, "being emptied" },
    { "--from " FROM " --to " TO "," TO, FALSE, "same host twice" },
    { "--from " FROM " --to " TO ",", FALSE, "empty URI" },
    { "--from " FROM " --to " TO " --order biggest", FALSE, "--order takes" },
    { "--from " FROM " --to " TO " --cannot-move delete", FALSE, "--cannot-move takes" },
    { "--from " FROM " --to " TO " --priority db", FALSE, "--priority takes NAME=N" },
    { "--from " FROM " --to " TO " --priority db=high", FALSE, "not “db=high”" },
    { "--from " FROM " --to " TO " --priority =3", FALSE, "--priority takes" },
    { "--from " FROM " --to " TO " --action web=fly", FALSE, "not “web=fly”" },
    { "--from " FROM " --to " TO " --action web=leave --action web=migrate", FALSE,
      "--action names “web” twice" },
    { "--from " FROM " --to not-a-uri", FALSE, "--to: " },
    { "--report ''", TRUE, "--report needs a file name" },
    { "--from " FROM " --to " TO " --address db", FALSE, "--address takes NAME=ADDR" },
    { "--from " FROM " --to " TO " --address db=", FALSE, "not “db=”" },
    { "--from " FROM " --to " TO " --parallel 0", FALSE, "--parallel takes" },
    { "--from " FROM " --to " TO " --parallel 65", FALSE, "--parallel takes" },
    { "--from " FROM " --to " TO " --bandwidth -5", FALSE, "--bandwidth takes" },
    { "--parallel 2", TRUE, "needs --report FILE" },
    { "--report r.json --from " FROM, TRUE, "from" },   /* not an option of bring-back */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      MwCliEvacuateArgs args;
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", cases[i].line);
      g_assert_false (parse (cases[i].line, cases[i].bring_back, &args, &error));
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, cases[i].sentence));
      mw_cli_evacuate_args_clear (&args);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mw/cli-evacuate-args/defaults", test_defaults);
  g_test_add_func ("/mw/cli-evacuate-args/every-option", test_every_option);
  g_test_add_func ("/mw/cli-evacuate-args/bad-input", test_bad_input);
  return g_test_run ();
}
