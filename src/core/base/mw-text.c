/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-text.c: quoting untrusted text inside messages (see mw-text.h). */
#include "config.h"

#include "mw-text.h"

char *
mw_text_for_message (const char *text)
{
  g_autofree char *valid = NULL;
  GString *shown;
  guint n = 0;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, -1);
  shown = g_string_new (NULL);
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (n == MW_TEXT_MESSAGE_MAX_CHARS)
        {
          g_string_append (shown, "…");
          break;
        }
      g_string_append_unichar (shown, g_unichar_iscntrl (c) ? 0xFFFD : c);
    }
  return g_string_free (shown, FALSE);
}

void
mw_text_make_error_valid (GError **error)
{
  char *valid;

  if (error == NULL || *error == NULL || g_utf8_validate ((*error)->message, -1, NULL))
    return;
  valid = g_utf8_make_valid ((*error)->message, -1);
  g_free ((*error)->message);
  (*error)->message = valid;
}

guint
mw_text_width (const char *text)
{
  guint width = 0;

  g_return_val_if_fail (text == NULL || g_utf8_validate (text, -1, NULL), 0);

  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }
  return width;
}

void
mw_text_pad_end (GString    *out,
                 const char *text,
                 guint       width)
{
  guint used = mw_text_width (text);

  g_string_append (out, text != NULL ? text : "");
  for (; used < width; used++)
    g_string_append_c (out, ' ');
}

void
mw_text_pad_start (GString    *out,
                   const char *text,
                   guint       width)
{
  for (guint used = mw_text_width (text); used < width; used++)
    g_string_append_c (out, ' ');
  g_string_append (out, text != NULL ? text : "");
}
