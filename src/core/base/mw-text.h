/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-text.h: quoting what someone typed, or a remote host answered, inside a sentence.
 *
 * Pure: any thread. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Longest quoted text in a message, in characters; longer input ends in "…". */
#define MW_TEXT_MESSAGE_MAX_CHARS 80

/* text as it can sit inside a message: valid UTF-8 (bad bytes become U+FFFD), control
 * characters as U+FFFD too (a newline or an escape sequence would forge a second line), at most
 * MW_TEXT_MESSAGE_MAX_CHARS characters. NULL gives "". */
char *mw_text_for_message (const char *text);

/* Replaces the message of *error (when set) with valid UTF-8: GMarkup and libxml2 cut the text
 * they quote at a byte, not a character. */
void  mw_text_make_error_valid (GError **error);

/* The columns text takes in a terminal: a wide (East Asian) character two, a combining or
 * zero-width one none, any other one. For tables whose cells hold names and translations. */
guint mw_text_width            (const char *text);
/* Appends text to out, then spaces up to width columns (pad_end: a left-aligned cell), or the
 * spaces first (pad_start: right-aligned). A text as wide or wider is appended as it is. */
void  mw_text_pad_end          (GString    *out,
                                const char *text,
                                guint       width);
void  mw_text_pad_start        (GString    *out,
                                const char *text,
                                guint       width);

/* g_set_error with one "%s" in format, filled with mw_text_for_message (text). */
#define mw_set_error_quoting(error, domain, code, format, text)                         \
  G_STMT_START                                                                          \
  {                                                                                     \
    g_autofree char *mw_shown = mw_text_for_message (text);                             \
                                                                                        \
    g_set_error (error, domain, code, format, mw_shown);                                \
  }                                                                                     \
  G_STMT_END

G_END_DECLS
