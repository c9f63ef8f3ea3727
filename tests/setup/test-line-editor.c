/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-line-editor.c: the remote line editor's commands (mw-line-editor.h), run locally with sh
 * against temporary directories: a line added to a file without a final newline, removed again
 * exactly, mode kept, hostile names and lines quoted or refused, and a write that fails (a
 * directory where the temporary file goes; a full tmpfs, as root) leaving the file byte for byte
 * as it was and the command failing. */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "mw-line-editor.h"
#include "mw-migration-options.h"
#include "mw-setup-journal.h"
#include "mw-shell.h"

typedef struct
{
  int status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

/* The command as the remote login shell runs it: sh -c, HOME set. TRUE when it exited 0. */
static gboolean
run_sh (const char *home,
        const char *command,
        Run        *run)
{
  const char *argv[] = { "sh", "-c", command, NULL };
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "HOME", home, TRUE);
  int status = -1;

  run_clear (run);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &run->out, &run->err, &status, NULL));
  run->status = WIFEXITED (status) ? WEXITSTATUS (status) : -1;
  return run->status == 0;
}

static char *
read_file (const char *path)
{
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static void
write_file (const char *path,
            const char *text)
{
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static void
remove_tree (const char *dir)
{
  const char *argv[] = { "rm", "-rf", dir, NULL };

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, NULL, NULL));
}

/* A file whose last line has no newline: the line goes on a line of its own; adding again
 * changes nothing; removing leaves the original lines (now ending in a newline), mode kept. */
static void
test_add_remove (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mw-lines-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "exports", NULL);
  g_autofree char *add = NULL;
  g_autofree char *remove = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) entries = NULL;
  GStatBuf st;
  Run run = { 0 };

  write_file (path, "/srv/a 10.0.0.0/8(ro)\n/srv/b host(rw)");
  g_assert_cmpint (g_chmod (path, 0640), ==, 0);
  add = mw_line_editor_add_command (path, "/srv/vm 10.78.0.0/24(rw)", 0644, NULL, NULL);
  remove = mw_line_editor_remove_command (path, "/srv/vm 10.78.0.0/24(rw)", NULL);

  g_assert_true (run_sh (dir, add, &run));
  g_assert_cmpstr (run.out, ==, "changed\n");
  g_assert_cmpstr (run.err, ==, "");
  text = read_file (path);
  g_assert_cmpstr (text, ==, "/srv/a 10.0.0.0/8(ro)\n/srv/b host(rw)\n/srv/vm 10.78.0.0/24(rw)\n");
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0640);

  g_assert_true (run_sh (dir, add, &run));
  g_assert_cmpstr (run.out, ==, "unchanged\n");
  g_free (text);
  text = read_file (path);
  g_assert_cmpstr (text, ==, "/srv/a 10.0.0.0/8(ro)\n/srv/b host(rw)\n/srv/vm 10.78.0.0/24(rw)\n");

  g_assert_true (run_sh (dir, remove, &run));
  g_assert_cmpstr (run.out, ==, "changed\n");
  g_free (text);
  text = read_file (path);
  g_assert_cmpstr (text, ==, "/srv/a 10.0.0.0/8(ro)\n/srv/b host(rw)\n");
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0640);
  g_assert_true (run_sh (dir, remove, &run));
  g_assert_cmpstr (run.out, ==, "unchanged\n");

  /* a missing file is made with the mode asked for; removing its only line leaves it empty */
  g_unlink (path);
  g_assert_true (run_sh (dir, add, &run));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0644);
  g_assert_true (run_sh (dir, remove, &run));
  g_free (text);
  text = read_file (path);
  g_assert_cmpstr (text, ==, "");

  /* no temporary file is left behind */
  {
    g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);

    g_assert_cmpstr (g_dir_read_name (listing), ==, "exports");
    g_assert_null (g_dir_read_name (listing));
  }
  run_clear (&run);
  remove_tree (dir);
}

/* A precheck may refuse: its exit status and sentence come back, nothing is written. */
static void
test_precheck (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mw-lines-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "exports", NULL);
  g_autofree char *add = NULL;
  g_autofree char *text = NULL;
  Run run = { 0 };

  write_file (path, "/srv/vm *(ro)\n");
  add = mw_line_editor_add_command (path, "/srv/vm 10.78.0.0/24(rw)", 0644,
                                    "if grep -q '^/srv/vm ' \"$f\"; then echo taken >&2; "
                                    "exit 3; fi", NULL);
  g_assert_false (run_sh (dir, add, &run));
  g_assert_cmpint (run.status, ==, 3);
  g_assert_cmpstr (run.err, ==, "taken\n");
  text = read_file (path);
  g_assert_cmpstr (text, ==, "/srv/vm *(ro)\n");
  run_clear (&run);
  remove_tree (dir);
}

/* The temporary file cannot be written (a directory is in its place): both commands fail with
 * the sentence, and the file stays byte for byte as it was. */
static void
test_failed_write (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mw-lines-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "exports", NULL);
  g_autofree char *blocker = g_strconcat (path, ".migwizard-new", NULL);
  g_autofree char *add = NULL;
  g_autofree char *remove = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GString) original = g_string_new (NULL);
  Run run = { 0 };

  for (guint i = 0; i < 300; i++)
    g_string_append_printf (original, "/srv/share%u 10.%u.0.0/16(rw)\n", i, i % 250);
  g_string_append (original, "/srv/vm 10.78.0.0/24(rw)\n");
  write_file (path, original->str);
  g_assert_cmpint (g_mkdir (blocker, 0700), ==, 0);

  remove = mw_line_editor_remove_command (path, "/srv/vm 10.78.0.0/24(rw)", NULL);
  g_assert_false (run_sh (dir, remove, &run));
  g_assert_nonnull (strstr (run.err, " was left as it was: "));
  g_assert_cmpstr (run.out, ==, "");
  text = read_file (path);
  g_assert_cmpstr (text, ==, original->str);

  add = mw_line_editor_add_command (path, "/srv/other 10.78.0.0/24(rw)", 0644, NULL, NULL);
  g_assert_false (run_sh (dir, add, &run));
  g_assert_nonnull (strstr (run.err, " was left as it was: "));
  g_free (text);
  text = read_file (path);
  g_assert_cmpstr (text, ==, original->str);
  run_clear (&run);
  remove_tree (dir);
}

/* A full filesystem for real: a 16 KiB tmpfs in a mount namespace of its own (root only). */
static void
test_full_tmpfs (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mw-lines-XXXXXX", NULL);
  g_autofree char *mnt = g_build_filename (dir, "mnt", NULL);
  g_autofree char *saved = g_build_filename (dir, "saved", NULL);
  g_autofree char *path = g_build_filename (mnt, "exports", NULL);
  g_autofree char *remove = NULL;
  g_autofree char *add = NULL;
  g_autofree char *script = NULL;
  g_autofree char *q_mnt = mw_shell_quote (mnt);
  g_autofree char *q_saved = mw_shell_quote (saved);
  g_autofree char *q_path = mw_shell_quote (path);
  g_autofree char *q_remove = NULL;
  g_autofree char *q_add = NULL;
  g_autoptr(GString) original = g_string_new (NULL);
  const char *argv[] = { "unshare", "-m", "sh", "-c", NULL, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  if (getuid () != 0)
    {
      g_test_skip ("needs root for a tmpfs in a mount namespace");
      remove_tree (dir);
      return;
    }
  for (guint i = 0; i < 300; i++)
    g_string_append_printf (original, "/srv/share%u 10.%u.0.0/16(rw)\n", i, i % 250);
  g_string_append (original, "/srv/vm 10.78.0.0/24(rw)\n");
  write_file (saved, original->str);
  g_assert_cmpint (g_mkdir (mnt, 0700), ==, 0);

  remove = mw_line_editor_remove_command (path, "/srv/vm 10.78.0.0/24(rw)", NULL);
  add = mw_line_editor_add_command (path, "/srv/x 10.78.0.0/24(rw)", 0644, NULL, NULL);
  q_remove = mw_shell_quote (remove);
  q_add = mw_shell_quote (add);
  /* Mount, copy the file in, fill the rest, then run both commands and compare. */
  script = g_strdup_printf ("mount --make-rprivate / 2>/dev/null; "
                            "mount -t tmpfs -o size=16k none %s || exit 77; "
                            "cp %s %s || exit 77; "
                            "dd if=/dev/zero of=%s/fill bs=1k 2>/dev/null; "
                            "sh -c %s; echo \"remove=$?\"; cmp -s %s %s && echo same; "
                            "sh -c %s; echo \"add=$?\"; cmp -s %s %s && echo same; "
                            "umount %s",
                            q_mnt, q_saved, q_path, q_mnt, q_remove, q_saved, q_path, q_add,
                            q_saved, q_path, q_mnt);
  argv[4] = script;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, NULL));
  if (WIFEXITED (status) && WEXITSTATUS (status) == 77)
    {
      g_test_skip ("cannot mount a tmpfs here");
      remove_tree (dir);
      return;
    }
  g_test_message ("%s%s", out, err);
  g_assert_cmpstr (out, ==, "remove=1\nsame\nadd=1\nsame\n");
  g_assert_nonnull (strstr (err, " was left as it was: "));
  remove_tree (dir);
}

/* Names and lines with spaces, quotes, $ and $(…) are data; newlines and relative paths are
 * refused. */
static void
test_quoting (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mw-lines-XXXXXX", NULL);
  g_autofree char *sub = g_build_filename (dir, "a dir 'q' $HOME \"x\"", NULL);
  g_autofree char *path = g_build_filename (sub, "known hosts $(id)", NULL);
  g_autofree char *canary = g_build_filename (dir, "pwned", NULL);
  g_autofree char *line = g_strdup_printf ("host ssh-ed25519 AAAA 'it''s' \"$HOME\" "
                                           "$(touch %s) `touch %s`", canary, canary);
  g_autofree char *add = NULL;
  g_autofree char *remove = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };

  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  write_file (path, "first\n");
  add = mw_line_editor_add_command (path, line, 0600, NULL, &error);
  g_assert_no_error (error);
  remove = mw_line_editor_remove_command (path, line, &error);
  g_assert_no_error (error);
  g_assert_true (run_sh (dir, add, &run));
  expected = g_strdup_printf ("first\n%s\n", line);
  text = read_file (path);
  g_assert_cmpstr (text, ==, expected);
  g_assert_false (g_file_test (canary, G_FILE_TEST_EXISTS));
  g_assert_true (run_sh (dir, remove, &run));
  g_free (text);
  text = read_file (path);
  g_assert_cmpstr (text, ==, "first\n");

  /* ~/ is the remote user's home, the rest still one quoted word */
  {
    g_autofree char *home_add = mw_line_editor_add_command ("~/.ssh dir/keys", "k 1", 0600,
                                                            NULL, NULL);
    g_autofree char *ssh_dir = g_build_filename (dir, ".ssh dir", NULL);
    g_autofree char *keys = g_build_filename (ssh_dir, "keys", NULL);

    g_assert_cmpint (g_mkdir (ssh_dir, 0700), ==, 0);
    g_assert_true (run_sh (dir, home_add, &run));
    g_free (text);
    text = read_file (keys);
    g_assert_cmpstr (text, ==, "k 1\n");
  }

  {
    const char *bad_lines[] = { "two\nlines", "cr\r", "", NULL };
    const char *bad_paths[] = { "relative/file", "/etc/new\nline", "/etc/dir/", "~/", NULL };

    for (guint i = 0; bad_lines[i] != NULL; i++)
      {
        g_clear_error (&error);
        g_assert_null (mw_line_editor_add_command (path, bad_lines[i], 0600, NULL, &error));
        g_assert_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID);
        g_clear_error (&error);
        g_assert_null (mw_line_editor_remove_command (path, bad_lines[i], &error));
        g_assert_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID);
      }
    for (guint i = 0; bad_paths[i] != NULL; i++)
      {
        g_clear_error (&error);
        g_assert_null (mw_line_editor_add_command (bad_paths[i], "x", 0600, NULL, &error));
        g_assert_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID);
      }
  }
  run_clear (&run);
  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mw/line-editor/add-remove", test_add_remove);
  g_test_add_func ("/mw/line-editor/precheck", test_precheck);
  g_test_add_func ("/mw/line-editor/failed-write", test_failed_write);
  g_test_add_func ("/mw/line-editor/full-tmpfs", test_full_tmpfs);
  g_test_add_func ("/mw/line-editor/quoting", test_quoting);

  return g_test_run ();
}
