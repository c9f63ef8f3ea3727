/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-process.c: running a program: argv only, LC_ALL=C, own process group, stated stdin, a
 * timeout, a cancel that kills the group and waits, capped output. Worker threads only. */

#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "mw-process.h"

#define READ_CHUNK 65536

typedef struct
{
  GByteArray *data;
  gboolean done;
} Stream;

typedef struct
{
  GCancellable *stop;        /* fired by the timeout or the caller's cancellable */
  Stream out, err;
  gboolean exited;
  gboolean timed_out;
} Run;

static void
child_setup (gpointer user_data)
{
  /* Its own session and process group, and no controlling terminal. */
  setsid ();
}

static void read_next (GInputStream *stream, Run *run, Stream *which);

static void
on_read_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Run *run = g_object_get_data (source, "mw-run");
  Stream *which = user_data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result,
                                                             NULL);
  gsize size = bytes != NULL ? g_bytes_get_size (bytes) : 0;

  if (size == 0)
    {
      which->done = TRUE;  /* EOF, an error, or stopped */
      return;
    }
  if (which->data->len < MW_PROCESS_OUTPUT_CAP)
    g_byte_array_append (which->data, g_bytes_get_data (bytes, NULL),
                         MIN (size, MW_PROCESS_OUTPUT_CAP - which->data->len));
  read_next (G_INPUT_STREAM (source), run, which);
}

static void
read_next (GInputStream *stream,
           Run          *run,
           Stream       *which)
{
  g_input_stream_read_bytes_async (stream, READ_CHUNK, G_PRIORITY_DEFAULT, run->stop, on_read_cb,
                                   which);
}

static void
on_wait_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Run *run = user_data;

  run->exited = g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  if (!run->exited)
    g_cancellable_cancel (run->stop);  /* only when stopped: treated as such below */
}

static gboolean
on_timeout_cb (gpointer user_data)
{
  Run *run = user_data;

  run->timed_out = TRUE;
  g_cancellable_cancel (run->stop);
  return G_SOURCE_REMOVE;
}

static void
on_cancelled_cb (GCancellable *cancellable,
                 gpointer      user_data)
{
  g_cancellable_cancel (user_data);
}

static char *
take_text (GByteArray *data)
{
  g_byte_array_append (data, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (data, FALSE);
}

void
mw_process_result_clear (MwProcessResult *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
  result->status = 0;
  result->timed_out = FALSE;
}

gboolean
mw_process_run (const MwProcessSpec *spec,
                GCancellable        *cancellable,
                MwProcessResult     *result,
                GError             **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GSource) timeout = NULL;
  g_autoptr(GError) local_error = NULL;
  GOutputStream *input;
  Run run = { 0 };
  gulong handler = 0;
  const char *pid_text;

  g_return_val_if_fail (spec != NULL && spec->argv != NULL && spec->argv[0] != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  memset (result, 0, sizeof *result);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                        | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C", TRUE);
  for (guint i = 0; spec->env != NULL && spec->env[i] != NULL && spec->env[i + 1] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, spec->env[i], spec->env[i + 1], TRUE);

  process = g_subprocess_launcher_spawnv (launcher, spec->argv, &local_error);
  if (process == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not run %s: %s"),
                   spec->argv[0], local_error->message);
      return FALSE;
    }

  /* stdin: what the caller states, then closed, so a reader sees EOF and never a terminal. The
   * texts are small (a password, a key), so the pipe's buffer takes them at once. */
  input = g_subprocess_get_stdin_pipe (process);
  if (spec->stdin_text != NULL && *spec->stdin_text != '\0')
    g_output_stream_write_all (input, spec->stdin_text, strlen (spec->stdin_text), NULL, NULL,
                               NULL);
  g_output_stream_close (input, NULL, NULL);

  /* A private context, iterated here: this runs in a worker thread. */
  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  run.stop = g_cancellable_new ();
  run.out.data = g_byte_array_new ();
  run.err.data = g_byte_array_new ();
  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled_cb),
                                     g_object_ref (run.stop), g_object_unref);
  if (spec->timeout_s > 0)
    {
      timeout = g_timeout_source_new_seconds (spec->timeout_s);
      g_source_set_callback (timeout, on_timeout_cb, &run, NULL);
      g_source_attach (timeout, context);
    }

  g_object_set_data (G_OBJECT (g_subprocess_get_stdout_pipe (process)), "mw-run", &run);
  g_object_set_data (G_OBJECT (g_subprocess_get_stderr_pipe (process)), "mw-run", &run);
  read_next (g_subprocess_get_stdout_pipe (process), &run, &run.out);
  read_next (g_subprocess_get_stderr_pipe (process), &run, &run.err);
  g_subprocess_wait_async (process, run.stop, on_wait_cb, &run);

  while (!(run.out.done && run.err.done && run.exited) && !g_cancellable_is_cancelled (run.stop))
    g_main_context_iteration (context, TRUE);

  if (g_cancellable_is_cancelled (run.stop))
    {
      /* Stopped: the whole group goes, and is waited for. */
      pid_text = g_subprocess_get_identifier (process);
      if (pid_text != NULL)
        kill (-(pid_t) atoi (pid_text), SIGKILL);
      g_subprocess_force_exit (process);
      g_subprocess_wait (process, NULL, NULL);
    }
  /* Let the pending reads and the wait report back (they see EOF or the stop). */
  while (!(run.out.done && run.err.done))
    g_main_context_iteration (context, TRUE);
  while (g_main_context_pending (context))
    g_main_context_iteration (context, FALSE);

  if (timeout != NULL)
    g_source_destroy (timeout);
  g_cancellable_disconnect (cancellable, handler);
  g_main_context_pop_thread_default (context);

  result->out = take_text (run.out.data);
  result->err = take_text (run.err.data);
  result->timed_out = run.timed_out;
  result->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process)
                                                        : -1;
  g_object_unref (run.stop);

  if (!run.timed_out && g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      mw_process_result_clear (result);
      return FALSE;
    }
  return TRUE;
}
