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
