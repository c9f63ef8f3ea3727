/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-cli-check.c: `mig-wizard-cli check`, the pre-flight checks without the wizard.
 *
 * Exit status: 0 when no check blocks and none failed to run, 1 when at least one blocks,
 * 3 when none blocks but some could not run (ERROR), 2 for bad usage.
 */

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "mw-cli-check.h"
#include "mw-cli-usage.h"
#include "mw-cli-migrate-args.h"
#include "mw-libvirt.h"
#include "mw-preflight.h"
#include "mw-text.h"
#include "mw-uri.h"

typedef struct
{
  gboolean fix_done;
  GError *fix_error;
} CliWait;

static void
on_fix_done_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  CliWait *wait = user_data;

  mw_preflight_fix_finish (MW_PREFLIGHT (source_object), result, &wait->fix_error);
  wait->fix_done = TRUE;
}

/* Every result arrives as a main-context event, so iterating wakes up for each. The fix
 * completes before its check's re-run starts: wait for both. */
static void
wait_until_done (MwPreflight *preflight,
                 CliWait     *wait)
{
  while (mw_preflight_get_running (preflight) || !wait->fix_done)
    g_main_context_iteration (NULL, TRUE);
}

static const char *
state_mark (MwCheckState state)
{
  switch (state)
    {
    case MW_CHECK_STATE_PASSED:
      return "✔";
    case MW_CHECK_STATE_WARNING:
      return "⚠";
    case MW_CHECK_STATE_BLOCKING:
      return "✖";
    case MW_CHECK_STATE_ERROR:
      return "?";
    case MW_CHECK_STATE_PENDING:
    case MW_CHECK_STATE_RUNNING:
    default:
      return "…";
    }
}

static void
print_indented (const char *label,
                const char *text)
{
  g_auto(GStrv) lines = NULL;

  if (text == NULL || *text == '\0')
    return;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    g_print ("    %s%s\n", i == 0 ? label : "", lines[i]);
}

static void
print_human (MwPreflight *preflight)
{
  GListModel *checks = mw_preflight_get_checks (preflight);
  guint n = g_list_model_get_n_items (checks);
  guint n_blocking = mw_preflight_get_n_blocking (preflight);
  guint n_warnings = mw_preflight_get_n_warnings (preflight);
  guint n_errors = mw_preflight_get_n_errors (preflight);
  g_autofree char *blocking = NULL;
  g_autofree char *warnings = NULL;
  g_autofree char *errors = NULL;

  g_print (_("Pre-flight checks: %s from %s to %s\n\n"), mw_preflight_get_domain (preflight),
           mw_preflight_get_source_uri (preflight), mw_preflight_get_dest_uri (preflight));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MwCheck) check = g_list_model_get_item (checks, i);

      g_print ("%s %s: %s\n", state_mark (mw_check_get_state (check)), mw_check_get_title (check),
               mw_check_get_sentence (check) ? mw_check_get_sentence (check) : "");
      if (mw_check_get_state (check) != MW_CHECK_STATE_PASSED)
        {
          print_indented ("", mw_check_get_detail (check));
          print_indented (_("Fix: "), mw_check_get_fix (check));
          if (mw_check_get_can_fix (check))
            g_print (_("    (mig-wizard-cli check … --fix %s applies it: %s)\n"),
                     mw_check_get_id (check), mw_check_get_fix_label (check));
        }
    }
  blocking = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u blocking", "%u blocking",
                                           n_blocking), n_blocking);
  warnings = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u warning", "%u warnings",
                                           n_warnings), n_warnings);
  errors = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u could not run",
                                         "%u could not run", n_errors), n_errors);
  g_print ("\n%s %s, %s, %s\n", n_blocking > 0 ? "✖" : "✔", blocking, warnings, errors);
}

int
mw_cli_check (int    argc,
              char **argv)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *fix_id = NULL;
  gboolean json = FALSE, client = FALSE, tunnelled = FALSE, copy_storage = FALSE;
  gboolean unsafe = FALSE, auto_converge = FALSE, postcopy = FALSE, offline = FALSE;
  int timeout_s = MW_PREFLIGHT_DEFAULT_TIMEOUT_S, bandwidth = 0, downtime = 0, link = 0;
  const GOptionEntry entries[] = {
    { "from", 'f', 0, G_OPTION_ARG_STRING, &from, N_("Source host URI"), "URI" },
    { "to", 't', 0, G_OPTION_ARG_STRING, &to, N_("Destination host URI"), "URI" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the results as JSON"), NULL },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout_s, N_("Seconds each check may take"), "S" },
    { "client", 0, 0, G_OPTION_ARG_NONE, &client,
      N_("Plan a client-driven migration (default: peer-to-peer)"), NULL },
    { "tunnelled", 0, 0, G_OPTION_ARG_NONE, &tunnelled, N_("Plan a tunnelled migration"), NULL },
    { "copy-storage", 0, 0, G_OPTION_ARG_NONE, &copy_storage, N_("Plan to copy all disks"),
      NULL },
    { "offline", 0, 0, G_OPTION_ARG_NONE, &offline, N_("Plan an offline migration"), NULL },
    { "unsafe", 0, 0, G_OPTION_ARG_NONE, &unsafe, N_("Plan an unsafe migration"), NULL },
    { "auto-converge", 0, 0, G_OPTION_ARG_NONE, &auto_converge, N_("Plan auto-converge"), NULL },
    { "postcopy", 0, 0, G_OPTION_ARG_NONE, &postcopy, N_("Plan to allow post-copy"), NULL },
    { "bandwidth", 0, 0, G_OPTION_ARG_INT, &bandwidth, N_("Planned bandwidth limit"), "MIB_S" },
    { "max-downtime", 0, 0, G_OPTION_ARG_INT, &downtime, N_("Planned maximum downtime"), "MS" },
    { "link-mib-s", 0, 0, G_OPTION_ARG_INT, &link,
      N_("The migration link’s throughput, for the forecast (default: an estimate)"), "MIB_S" },
    { "fix", 0, 0, G_OPTION_ARG_STRING, &fix_id,
      N_("Apply this check’s fix, then check it again"), "ID" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("DOMAIN — pre-flight checks"));
  g_autoptr(GError) error = NULL;
  g_autoptr(MwMigrationOptions) options = mw_migration_options_new_defaults ();
  g_autoptr(MwPreflight) preflight = NULL;
  CliWait wait = { 0 };
  MwCheck *fix_check = NULL;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!mw_cli_parse_options (context, &argc, &argv, &error))
    {
      return mw_cli_usage_error (error->message);
    }
  if (from == NULL || to == NULL || argc != 2)
    {
      return mw_cli_usage_error (_("check needs --from URI, --to URI and one DOMAIN."));
    }
  if (timeout_s <= 0)
    g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                         _("--timeout takes a positive number of seconds."));
  else if (bandwidth < 0 || downtime < 0 || link < 0)
    g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                         _("--bandwidth, --max-downtime and --link-mib-s cannot be negative."));
  else if (mw_cli_check_uri ("--from", from, &error) && mw_cli_check_uri ("--to", to, &error))
    mw_cli_check_domain (argv[1], &error);
  if (error != NULL)
    {
      return mw_cli_usage_error (error->message);
    }

  if (tunnelled)
    options->connection = MW_MIGRATION_CONNECTION_TUNNELLED;
  else if (client)
    options->connection = MW_MIGRATION_CONNECTION_CLIENT;
  options->storage = copy_storage ? MW_MIGRATION_STORAGE_COPY_ALL : MW_MIGRATION_STORAGE_SHARED;
  options->mode = offline ? MW_MIGRATION_MODE_OFFLINE : MW_MIGRATION_MODE_LIVE;
  options->unsafe = unsafe;
  options->auto_converge = auto_converge;
  options->postcopy = postcopy;
  options->bandwidth_mib_s = bandwidth;
  options->max_downtime_ms = downtime;

  mw_libvirt_init ();
  preflight = mw_preflight_new (from, to, argv[1], options);
  mw_preflight_set_timeout (preflight, timeout_s);
  mw_preflight_set_link_bps (preflight, (guint64) link * 1024 * 1024);
  if (fix_id != NULL && (fix_check = mw_preflight_find_check (preflight, fix_id)) == NULL)
    {
      g_autofree char *shown = mw_text_for_message (fix_id);
      g_autofree char *message = g_strdup_printf (_("--fix: there is no check called “%s”."),
                                                  shown);

      return mw_cli_usage_error (message);
    }

  wait.fix_done = TRUE;
  mw_preflight_run (preflight);
  wait_until_done (preflight, &wait);

  if (fix_check != NULL)
    {
      if (!mw_check_get_can_fix (fix_check))
        g_printerr (_("mig-wizard-cli check: “%s” has nothing MigWizard can fix (%s)\n"),
                    fix_id, mw_check_state_to_nick (mw_check_get_state (fix_check)));
      else
        {
          wait.fix_done = FALSE;
          mw_preflight_fix_async (preflight, fix_check, NULL, on_fix_done_cb, &wait);
          wait_until_done (preflight, &wait);
          if (wait.fix_error != NULL)
            {
              g_printerr (_("mig-wizard-cli check: the fix failed: %s\n"),
                          wait.fix_error->message);
              g_clear_error (&wait.fix_error);
            }
          else if (!json)
            g_print (_("Applied the fix for “%s”, then checked it again.\n\n"), fix_id);
        }
    }

  if (json)
    {
      g_autoptr(JsonNode) root = mw_preflight_to_json (preflight);
      g_autofree char *text = json_to_string (root, TRUE);

      g_print ("%s\n", text);
    }
  else
    print_human (preflight);

  if (mw_preflight_get_n_blocking (preflight) > 0)
    return 1;
  if (mw_preflight_get_n_errors (preflight) > 0)
    return 3;
  return 0;
}
