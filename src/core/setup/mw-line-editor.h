/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-line-editor.h: the one remote "line editor": the shell commands that add a line to a text
 * file on a host, or remove it again (/etc/exports, ~/.ssh/authorized_keys, ~/.ssh/known_hosts).
 *
 * The file is never written in place: the new contents go to a temporary file next to it (a
 * copy with its mode and owner), are checked (every command's exit status, chained with &&,
 * and the expected line count), and only then renamed over the file. On any failure the file
 * is left byte for byte as it was, the temporary file is removed and the command exits
 * non-zero with the cause on stderr. An added line never runs on from a last line that lacks
 * its newline. Each command runs in a subshell, prints "changed" or "unchanged" on stdout, and
 * can be chained with && to what follows.
 *
 * Pure: builds strings, any thread. The path and the line are quoted with mw_shell_quote; a
 * value with a newline (or another control character in the path) is refused.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* path: absolute, or "~/…" for the remote user's home. new_mode: the mode of the file when it
 * does not exist yet (0600, 0644). precheck: NULL, or shell code run once the line is known to
 * be missing and before anything is written; it sees the file as "$f" and the line as "$l",
 * and may `echo unchanged; exit 0` (nothing to do) or `exit` non-zero with a sentence on stderr
 * (refused). Returns NULL with MW_SETUP_ERROR_INVALID for a path or line it cannot carry. */
char *mw_line_editor_add_command    (const char  *path,
                                     const char  *line,
                                     guint        new_mode,
                                     const char  *precheck,
                                     GError     **error);
/* Removes every line equal to line; "unchanged" when there is none (or no file). */
char *mw_line_editor_remove_command (const char  *path,
                                     const char  *line,
                                     GError     **error);

G_END_DECLS
