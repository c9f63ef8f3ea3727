/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-shell.h: POSIX shell quoting for command lines shown to users and run by a remote shell.
 *
 * Pure: any thread. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* POSIX shell quoting: returns word unchanged when it needs none, else single-quoted. */
char *mw_shell_quote (const char *word);
/* argv joined with spaces, each word quoted as needed. */
char *mw_shell_join  (const char * const *argv);

G_END_DECLS
