/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-process.h: the one way MigWizard runs a program.
 *
 * Argument vectors only (never a shell string here; a remote shell's command line is built by
 * mw_shell_join and is one argument of ssh). Every child runs with LC_ALL=C, in its own session
 * and process group (no controlling terminal: ssh can only ask through SSH_ASKPASS, or fail), with
 * stdin a pipe that holds what the caller states (or nothing) and is then closed. A timeout or a
 * cancel kills the whole process group and waits for it, so nothing keeps running behind a
 * "cancelled". Output is kept up to a cap; the rest is read and dropped.
 *
 * Blocking: call it from a worker thread (it iterates a private main context).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MW_PROCESS_OUTPUT_CAP (4 * 1024 * 1024)

typedef struct
{
  const char * const *argv;
  const char * const *env;      /* NAME, VALUE pairs to add, NULL-terminated; may be NULL */
  const char *stdin_text;       /* written to the child's stdin, which is then closed; NULL: empty */
  guint timeout_s;              /* 0: none */
} MwProcessSpec;

typedef struct
{
  char *out;                    /* stdout, NUL-terminated, at most MW_PROCESS_OUTPUT_CAP bytes */
  char *err;                    /* stderr, likewise */
  int status;                   /* the exit status; -1 when killed (by a signal or the timeout) */
  gboolean timed_out;
} MwProcessResult;

void     mw_process_result_clear (MwProcessResult     *result);

/* TRUE when the program ran to its end or to the timeout (see result->timed_out); FALSE with
 * error when it could not start or cancellable fired (G_IO_ERROR_CANCELLED): in both cases no
 * child is left running. */
gboolean mw_process_run          (const MwProcessSpec *spec,
                                  GCancellable        *cancellable,
                                  MwProcessResult     *result,
                                  GError             **error);

G_END_DECLS
