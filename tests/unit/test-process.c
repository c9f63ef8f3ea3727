/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-process: the one process runner (mw-process.h) with real programs: output and status,
 * LC_ALL=C, stated stdin, its own session and group, a timeout and a cancel that kill the whole
 * group (a grandchild included) and wait, capped output, a program that does not exist. */

#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "mw-process.h"
#include "mw-test-core.h"

static MwProcessResult
run_ok (const char * const *argv,
        const char         *stdin_text,
        guint               timeout_s)
{
  MwProcessSpec spec = { argv, NULL, stdin_text, timeout_s };
  MwProcessResult result;
  g_autoptr(GError) error = NULL;

  g_assert_true (mw_process_run (&spec, NULL, &result, &error));
  g_assert_no_error (error);
  return result;
}

/* Gone, or a zombie waiting for this box's slow init to reap it: either way not running. */
static void
test_output_and_status (void)
{
  const char *argv[] = { "sh", "-c", "echo out; echo err >&2; echo \"$LC_ALL\"; exit 3", NULL };
  MwProcessResult r = run_ok (argv, NULL, 10);

  g_assert_cmpstr (r.out, ==, "out\nC\n");
  g_assert_cmpstr (r.err, ==, "err\n");
  g_assert_cmpint (r.status, ==, 3);
  g_assert_false (r.timed_out);
  mw_process_result_clear (&r);
}

static void
test_stdin (void)
{
  const char *argv[] = { "cat", NULL };
  MwProcessResult r = run_ok (argv, "a secret", 10);

  g_assert_cmpstr (r.out, ==, "a secret");
  mw_process_result_clear (&r);
  /* No stdin stated: an empty pipe, closed; cat ends instead of waiting for a terminal. */
  r = run_ok (argv, NULL, 10);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_cmpint (r.status, ==, 0);
  mw_process_result_clear (&r);
}

static void
test_own_session (void)
{
  /* pid, process group and session of the child itself: all the same. */
  const char *argv[] = { "sh", "-c", "read pid rest < /proc/self/stat; "
                         "cut -d' ' -f1,5,6 /proc/$$/stat", NULL };
  MwProcessResult r = run_ok (argv, NULL, 10);
  g_auto(GStrv) ids = g_strsplit (g_strstrip (r.out), " ", -1);

  g_assert_cmpuint (g_strv_length (ids), ==, 3);
  g_assert_cmpstr (ids[1], ==, ids[0]);
  g_assert_cmpstr (ids[2], ==, ids[0]);
  mw_process_result_clear (&r);
}

static void
test_timeout_kills_group (void)
{
  /* A grandchild in the background, its pid on stdout, then the shell waits for it. */
  const char *argv[] = { "sh", "-c", "sleep 30 & echo $!; wait", NULL };
  gint64 t0 = g_get_monotonic_time ();
  MwProcessResult r = run_ok (argv, NULL, 1);
  double took = (g_get_monotonic_time () - t0) / 1e6;
  int grandchild = atoi (r.out);

  g_test_message ("timed out after %.2f s; grandchild %d", took, grandchild);
  g_assert_true (r.timed_out);
  g_assert_cmpint (r.status, ==, -1);
  g_assert_cmpfloat (took, <, 5.0);
  g_assert_cmpint (grandchild, >, 1);
  g_assert_true (mw_test_pid_gone (grandchild));
  mw_process_result_clear (&r);
}

typedef struct
{
  GCancellable *cancellable;
  const char *pidfile;
} CancelLater;

/* Cancels once the grandchild runs (its pid is written): on a loaded machine the shell can take
 * longer to start than any fixed delay. */
static gpointer
cancel_later_thread (gpointer data)
{
  CancelLater *later = data;

  for (guint i = 0; i < 1000 && !g_file_test (later->pidfile, G_FILE_TEST_EXISTS); i++)
    g_usleep (10 * 1000);
  g_usleep (100 * 1000);
  g_cancellable_cancel (later->cancellable);
  return NULL;
}

static void
test_cancel_kills_group (void)
{
  const char *argv[] = { "sh", "-c", "sleep 30 & echo $! > \"$PIDFILE\"; wait", NULL };
  g_autofree char *dir = g_dir_make_tmp ("mw-process-XXXXXX", NULL);
  g_autofree char *pidfile = g_build_filename (dir, "pid", NULL);
  const char *env[] = { "PIDFILE", pidfile, NULL };
  MwProcessSpec spec = { argv, env, NULL, 0 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *pid_text = NULL;
  MwProcessResult r;
  GThread *thread;
  gint64 t0 = g_get_monotonic_time ();

  CancelLater later = { cancellable, pidfile };

  thread = g_thread_new ("cancel", cancel_later_thread, &later);
  g_assert_false (mw_process_run (&spec, cancellable, &r, &error));
  g_thread_join (thread);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpfloat ((g_get_monotonic_time () - t0) / 1e6, <, 5.0);
  g_assert_true (g_file_get_contents (pidfile, &pid_text, NULL, NULL));
  g_assert_true (mw_test_pid_gone (atoi (pid_text)));
  g_assert_null (r.out);
  g_unlink (pidfile);
  g_rmdir (dir);
}

static void
test_output_capped (void)
{
  const char *argv[] = { "sh", "-c", "yes | head -c 6000000", NULL };
  MwProcessResult r = run_ok (argv, NULL, 30);

  g_assert_cmpuint (strlen (r.out), ==, MW_PROCESS_OUTPUT_CAP);
  g_assert_cmpint (r.status, ==, 0);
  mw_process_result_clear (&r);
}

static void
test_missing_program (void)
{
  const char *argv[] = { "/nonexistent/mw-no-such-program", NULL };
  MwProcessSpec spec = { argv, NULL, NULL, 5 };
  MwProcessResult r;
  g_autoptr(GError) error = NULL;

  g_assert_false (mw_process_run (&spec, NULL, &r, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "mw-no-such-program"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mw/process/output-and-status", test_output_and_status);
  g_test_add_func ("/mw/process/stdin", test_stdin);
  g_test_add_func ("/mw/process/own-session", test_own_session);
  g_test_add_func ("/mw/process/timeout-kills-group", test_timeout_kills_group);
  g_test_add_func ("/mw/process/cancel-kills-group", test_cancel_kills_group);
  g_test_add_func ("/mw/process/output-capped", test_output_capped);
  g_test_add_func ("/mw/process/missing-program", test_missing_program);
  return g_test_run ();
}
