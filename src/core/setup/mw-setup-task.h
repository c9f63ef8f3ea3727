/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-setup-task.h: the GTask side of the set-up's blocking calls (ssh, bridges, storage).
 *
 * Each blocking call has an `_async` that copies its input into the task data and runs the call
 * in a worker (mw_setup_task_run), and a `_finish` that checks the result came from that
 * `_async` (mw_setup_task_is) and propagates it.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The blocking call of an `_async`, in a worker: TRUE with *result set (when the call has one),
 * or FALSE with error set. */
typedef gboolean (*MwSetupTaskFunc) (gpointer       task_data,
                                     gpointer      *result,
                                     GCancellable  *cancellable,
                                     GError       **error);

/* A task tagged source_tag that owns task_data (freed with task_data_free), with no source
 * object. */
GTask    *mw_setup_task_new (gpointer             source_tag,
                             gpointer             task_data,
                             GDestroyNotify       task_data_free,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data);
/* Runs func on the task's data in a worker. The task returns func's error, or its result as a
 * pointer freed with result_free, or TRUE when result_free is NULL (a call without a result). */
void      mw_setup_task_run (GTask               *task,
                             MwSetupTaskFunc      func,
                             GDestroyNotify       result_free);
/* Whether result is a task that mw_setup_task_new made for source_tag. */
gboolean  mw_setup_task_is  (GAsyncResult        *result,
                             gpointer             source_tag);

G_END_DECLS
