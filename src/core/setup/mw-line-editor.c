/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-line-editor.c: the remote commands that add a line to a file or remove it, through a
 * checked temporary file renamed over the original (mw-line-editor.h).
 *
 * The commands are POSIX sh (dash, bash, busybox ash) with POSIX tools only: grep -F -x, cp -p,
 * tail -c, wc, mv. Threads: pure, any thread. */

#include "config.h"

#include <glib/gi18n.h>

#include "mw-line-editor.h"
#include "mw-migration-options.h"
#include "mw-setup-journal.h"
#include "mw-shell.h"

/* The temporary file sits next to the file, so the rename is atomic; a stale one is replaced. */
#define TEMP_SUFFIX ".migwizard-new"

static gboolean
has_control (const char *text,
             gboolean    allow_tab)
{
  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_iscntrl (*p) && !(allow_tab && *p == '\t'))
      return TRUE;
  return FALSE;
}

/* "f=…" as the shell reads it: "~/x" becomes "$HOME"/x, the rest one quoted word. */
static char *
path_assignment (const char  *path,
                 GError     **error)
{
  g_autofree char *quoted = NULL;

  if (path == NULL || has_control (path, FALSE) || g_str_has_suffix (path, "/")
      || !(path[0] == '/' || (g_str_has_prefix (path, "~/") && path[2] != '\0')))
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID,
                   _("“%s” is not a file path the set-up can edit."), path != NULL ? path : "");
      return NULL;
    }
  if (path[0] == '~')
    {
      quoted = mw_shell_quote (path + 2);
      return g_strdup_printf ("f=\"$HOME\"/%s", quoted);
    }
  quoted = mw_shell_quote (path);
  return g_strdup_printf ("f=%s", quoted);
}

static char *
line_assignment (const char  *line,
                 GError     **error)
{
  g_autofree char *quoted = NULL;

  if (line == NULL || *line == '\0' || has_control (line, TRUE))
    {
      g_set_error_literal (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID,
                           _("A line to add to a file must be one non-empty line of text."));
      return NULL;
    }
  quoted = mw_shell_quote (line);
  return g_strdup_printf ("l=%s", quoted);
}

/* What the command prints on stderr when it left the file alone. */
static char *
failure_echo (const char *path)
{
  g_autofree char *text = g_strdup_printf (_("%s was left as it was: its new contents could "
                                             "not be written and checked."), path);
  g_autofree char *quoted = mw_shell_quote (text);

  return g_strdup_printf ("printf '%%s\\n' %s >&2", quoted);
}

/* The three words both commands start from: f=PATH, l=LINE and the failure's echo. */
static gboolean
prepare (const char  *path,
         const char  *line,
         char       **f,
         char       **l,
         char       **fail,
         GError     **error)
{
  *f = path_assignment (path, error);
  if (*f == NULL)
    return FALSE;
  *l = line_assignment (line, error);
  if (*l == NULL)
    return FALSE;
  *fail = failure_echo (path);
  return TRUE;
}

/* A symlinked file is edited where it points, so the link stays a link. */
#define PRELUDE_TAIL \
  "if [ -L \"$f\" ]; then f=$(readlink -f -- \"$f\") || exit 1; fi; " \
  "t=\"$f" TEMP_SUFFIX "\"; "

/* After the rename: SELinux hosts give the new file the label of the path. */
#define RELABEL \
  "{ command -v restorecon >/dev/null 2>&1 && restorecon -- \"$f\"; true; }"

char *
mw_line_editor_add_command (const char  *path,
                            const char  *line,
                            guint        new_mode,
                            const char  *precheck,
                            GError     **error)
{
  g_autofree char *f = NULL;
  g_autofree char *l = NULL;
  g_autofree char *fail = NULL;

  if (!prepare (path, line, &f, &l, &fail, error))
    return NULL;

  /* nl: the last line lacks its newline, which goes in first; n: the bytes the line adds. The
   * check: size and line count grew by exactly that, and the last line is the new one. */
  return g_strdup_printf (
    "( %s; %s; " PRELUDE_TAIL
    "if [ -f \"$f\" ] && grep -qxF -e \"$l\" -- \"$f\"; then echo unchanged; exit 0; fi; "
    "%s%s"
    "n=$(printf '%%s\\n' \"$l\" | wc -c); nl=0; size=0; lines=0; "
    "if [ -e \"$f\" ]; then "
    "size=$(wc -c < \"$f\") && lines=$(grep -c '' < \"$f\"; [ $? -le 1 ]) || exit 1; "
    "if [ -n \"$(tail -c 1 -- \"$f\")\" ]; then nl=1; fi; "
    "fi; "
    "if { if [ -e \"$f\" ]; then rm -f -- \"$t\" && cp -p -- \"$f\" \"$t\" "
    "&& { cat -- \"$f\" && { [ \"$nl\" = 0 ] || echo; } && printf '%%s\\n' \"$l\"; } > \"$t\"; "
    "else rm -f -- \"$t\" && : > \"$t\" && chmod %o \"$t\" && printf '%%s\\n' \"$l\" > \"$t\"; "
    "fi; } "
    "&& [ \"$(( $(wc -c < \"$t\") ))\" -eq \"$(( size + nl + n ))\" ] "
    "&& [ \"$(( $(grep -c '' < \"$t\") ))\" -eq \"$(( lines + 1 ))\" ] "
    "&& [ \"$(tail -n 1 -- \"$t\")\" = \"$l\" ] "
    "&& mv -f -- \"$t\" \"$f\"; "
    "then " RELABEL "; echo changed; "
    "else rm -f -- \"$t\" 2>/dev/null; %s; exit 1; fi )",
    f, l, precheck != NULL ? precheck : "", precheck != NULL ? "; " : "", new_mode, fail);
}

char *
mw_line_editor_remove_command (const char  *path,
                               const char  *line,
                               GError     **error)
{
  g_autofree char *f = NULL;
  g_autofree char *l = NULL;
  g_autofree char *fail = NULL;

  if (!prepare (path, line, &f, &l, &fail, error))
    return NULL;

  /* grep -v exits 1 when no line is left (the file held only this line): that is fine, 2 is
   * an error. The check: k lines fewer, none of them equal to the line. */
  return g_strdup_printf (
    "( %s; %s; " PRELUDE_TAIL
    "if [ ! -f \"$f\" ] || ! grep -qxF -e \"$l\" -- \"$f\"; then echo unchanged; exit 0; fi; "
    "lines=$(grep -c '' < \"$f\") && k=$(grep -cxF -e \"$l\" < \"$f\") || exit 1; "
    "if rm -f -- \"$t\" && cp -p -- \"$f\" \"$t\" "
    "&& { grep -vxF -e \"$l\" < \"$f\"; [ $? -le 1 ]; } > \"$t\" "
    "&& [ \"$(( $(grep -c '' < \"$t\") ))\" -eq \"$(( lines - k ))\" ] "
    "&& ! grep -qxF -e \"$l\" < \"$t\" "
    "&& mv -f -- \"$t\" \"$f\"; "
    "then " RELABEL "; echo changed; "
    "else rm -f -- \"$t\" 2>/dev/null; %s; exit 1; fi )",
    f, l, fail);
}
