/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-shell.c: POSIX shell quoting, the one place every command line shown to a user or sent to a
 * remote shell (over ssh) is quoted. */

#include "config.h"

#include <string.h>

#include "mw-shell.h"

/* Characters a POSIX shell never interprets in a word. */
static gboolean
is_shell_safe (const char *word)
{
  const char *p;

  if (*word == '\0')
    return FALSE;

  for (p = word; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("_-+=:,./@%", *p) == NULL)
      return FALSE;

  /* A leading '=' or '%' is harmless, but '~' would expand; it is not in the set anyway. */
  return TRUE;
}

char *
mw_shell_quote (const char *word)
{
  GString *quoted;
  const char *p;

  g_return_val_if_fail (word != NULL, NULL);

  if (is_shell_safe (word))
    return g_strdup (word);

  quoted = g_string_new ("'");
  for (p = word; *p != '\0'; p++)
    {
      if (*p == '\'')
        g_string_append (quoted, "'\\''");
      else
        g_string_append_c (quoted, *p);
    }
  g_string_append_c (quoted, '\'');

  return g_string_free (quoted, FALSE);
}

char *
mw_shell_join (const char * const *argv)
{
  GString *line;
  guint i;

  g_return_val_if_fail (argv != NULL, NULL);

  line = g_string_new (NULL);
  for (i = 0; argv[i] != NULL; i++)
    {
      g_autofree char *quoted = mw_shell_quote (argv[i]);

      if (i > 0)
        g_string_append_c (line, ' ');
      g_string_append (line, quoted);
    }

  return g_string_free (line, FALSE);
}
