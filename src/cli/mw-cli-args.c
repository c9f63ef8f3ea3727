/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-cli-args.c: the argument checks every command shares; see mw-cli-args.h. */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mw-cli-args.h"
#include "mw-text.h"
#include "mw-uri.h"

gboolean
mw_cli_bad_value (GError     **error,
                  const char  *message)
{
  g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, message);
  return FALSE;
}

gboolean
mw_cli_check_args (int          argc,
                   char       **argv,
                   GError     **error)
{
  for (int i = 1; i < argc; i++)
    {
      gboolean valid = g_utf8_validate (argv[i], -1, NULL);
      gboolean too_long = strlen (argv[i]) > MW_CLI_MAX_ARG;
      g_autofree char *name = NULL;
      g_autofree char *shown = NULL;

      if (valid && !too_long)
        continue;
      /* "--from=VALUE" names its option; anything else is named by its position (the word
       * before it may be a flag, not the option the value belongs to). */
      if (argv[i][0] == '-' && strchr (argv[i], '=') != NULL)
        name = g_strndup (argv[i], strchr (argv[i], '=') - argv[i]);
      else
        /* Translators: how an argument without an option name is called in a message. */
        name = g_strdup_printf (_("argument %d"), i);
      shown = mw_text_for_message (name);
      if (!valid)
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     /* Translators: %s is an option such as --from, or "argument 2". */
                     _("%s: the value is not valid UTF-8 text."), shown);
      else
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     /* Translators: %s is an option such as --from, or "argument 2". */
                     _("%s: the value is longer than %d bytes."), shown, MW_CLI_MAX_ARG);
      return FALSE;
    }
  return TRUE;
}

void
mw_cli_drop_separator (int   *argc,
                       char **argv)
{
  if (*argc > 1 && g_str_equal (argv[1], "--"))
    {
      memmove (&argv[1], &argv[2], (*argc - 1) * sizeof (char *));
      (*argc)--;
    }
}

gboolean
mw_cli_check_uri (const char  *option,
                  const char  *uri,
                  GError     **error)
{
  g_autoptr(GError) uri_error = NULL;
  g_autoptr(MwUri) parsed = NULL;

  g_return_val_if_fail (option != NULL, FALSE);

  parsed = mw_uri_parse (uri, &uri_error);
  if (parsed == NULL)
    {
      /* Translators: "--from: “x” is not a connection URI such as qemu:///system." */
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("%s: %s"), option,
                   uri_error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
mw_cli_check_domain (const char  *name,
                     GError     **error)
{
  if (name == NULL || *name == '\0')
    return mw_cli_bad_value (error, _("The domain name cannot be empty."));
  if (!g_utf8_validate (name, -1, NULL))
    return mw_cli_bad_value (error, _("The domain name is not valid text."));
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return mw_cli_bad_value (error, _("The domain name cannot contain control characters."));
  return TRUE;
}

gboolean
mw_cli_parse_options (GOptionContext   *context,
                      int              *argc,
                      char           ***argv,
                      GError          **error)
{
  if (!mw_cli_check_args (*argc, *argv, error)
      || !g_option_context_parse (context, argc, argv, error))
    return FALSE;
  mw_cli_drop_separator (argc, *argv);
  return TRUE;
}

gboolean
mw_cli_split_assignment (const char   *option,
                         const char   *format,
                         const char   *text,
                         char        **name,
                         const char  **value,
                         GError      **error)
{
  const char *eq = strrchr (text, '=');

  if (eq == NULL || eq == text || eq[1] == '\0')
    {
      g_autofree char *shown = mw_text_for_message (text);

      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   /* Translators: "--action takes NAME=ACTION, not “web01”." */
                   _("%s takes %s, not “%s”."), option, format, shown);
      return FALSE;
    }
  *name = g_strndup (text, eq - text);
  *value = eq + 1;
  return TRUE;
}

/* The option that puts an offline migration's conflicting value in OPTIONS. */
static const char *
offline_conflict (const MwMigrationOptions *options,
                  int                       code)
{
  switch (code)
    {
    case MW_MIGRATION_OPTIONS_ERROR_OFFLINE_TEMPORARY:
      return "--temporary";
    case MW_MIGRATION_OPTIONS_ERROR_OFFLINE_STORAGE:
      return "--copy-storage";
    case MW_MIGRATION_OPTIONS_ERROR_OFFLINE_POSTCOPY:
      return "--postcopy";
    case MW_MIGRATION_OPTIONS_ERROR_OFFLINE_AUTO_CONVERGE:
      return "--auto-converge";
    case MW_MIGRATION_OPTIONS_ERROR_OFFLINE_COMPRESSION:
      return "--compressed";
    case MW_MIGRATION_OPTIONS_ERROR_OFFLINE_DOWNTIME:
      return "--max-downtime";
    case MW_MIGRATION_OPTIONS_ERROR_OFFLINE_BANDWIDTH:
      return "--bandwidth";
    case MW_MIGRATION_OPTIONS_ERROR_OFFLINE_PARALLEL:
      return options->parallel_connections != 0 ? "--parallel" : "--zerocopy";
    default:
      return NULL;
    }
}

void
mw_cli_name_option_error (const MwMigrationOptions *options,
                          GError                   *error)
{
  const char *option;
  char *message = NULL;

  g_return_if_fail (options != NULL);
  if (error == NULL || error->domain != MW_MIGRATION_OPTIONS_ERROR)
    return;

  if ((option = offline_conflict (options, error->code)) != NULL)
    /* Translators: %s is a command-line option such as --bandwidth */
    message = g_strdup_printf (_("%s does not apply to an offline migration: drop it, or drop "
                                 "--offline to migrate the guest live."), option);
  else
    switch (error->code)
      {
      case MW_MIGRATION_OPTIONS_ERROR_TUNNELLED_PARALLEL:
      case MW_MIGRATION_OPTIONS_ERROR_TUNNELLED_TLS:
      case MW_MIGRATION_OPTIONS_ERROR_TUNNELLED_POSTCOPY:
        option = error->code == MW_MIGRATION_OPTIONS_ERROR_TUNNELLED_PARALLEL ? "--parallel"
                 : error->code == MW_MIGRATION_OPTIONS_ERROR_TUNNELLED_TLS ? "--tls"
                 : "--postcopy";
        /* Translators: %s is a command-line option such as --tls */
        message = g_strdup_printf (_("%s cannot be combined with --tunnelled: drop one of the "
                                     "two."), option);
        break;
      case MW_MIGRATION_OPTIONS_ERROR_POSTCOPY_COMPRESSION:
        message = g_strdup (_("--postcopy cannot be combined with --compressed=mt: choose "
                              "--compressed=xbzrle, or drop --compressed."));
        break;
      case MW_MIGRATION_OPTIONS_ERROR_PARALLEL_COMPRESSION:
        if (options->parallel_connections != 0)
          message = g_strdup (_("--parallel compresses only with zlib or zstd: choose "
                                "--compressed=zlib or --compressed=zstd, or drop --parallel."));
        else
          message = g_strdup (_("--compressed=zlib and --compressed=zstd need --parallel N: add "
                                "it, or choose --compressed=xbzrle."));
        break;
      case MW_MIGRATION_OPTIONS_ERROR_ZEROCOPY:
        message = g_strdup (_("--zerocopy needs --parallel N, and neither --compressed nor --tls: "
                              "change those, or drop --zerocopy."));
        break;
      case MW_MIGRATION_OPTIONS_ERROR_XBZRLE_CACHE:
        message = g_strdup (_("--xbzrle-cache needs --compressed=xbzrle: add it, or drop "
                              "--xbzrle-cache."));
        break;
      default:
        break;
      }
  if (message != NULL)
    {
      g_free (error->message);
      error->message = message;
    }
}
