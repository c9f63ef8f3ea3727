/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-setup-task.c: making, running and checking the set-up's worker tasks. */

#include "config.h"

#include "mw-setup-task.h"

typedef struct
{
  MwSetupTaskFunc func;
  GDestroyNotify result_free;
} Call;

GTask *
mw_setup_task_new (gpointer             source_tag,
                   gpointer             task_data,
                   GDestroyNotify       task_data_free,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, task_data, task_data_free);
  return task;
}

static void
call_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const Call *call = g_object_get_data (G_OBJECT (task), "mw-setup-call");
  gpointer result = NULL;
  GError *error = NULL;

  if (!call->func (task_data, &result, cancellable, &error))
    g_task_return_error (task, error);
  else if (call->result_free != NULL)
    g_task_return_pointer (task, result, call->result_free);
  else
    g_task_return_boolean (task, TRUE);
}

void
mw_setup_task_run (GTask           *task,
                   MwSetupTaskFunc  func,
                   GDestroyNotify   result_free)
{
  Call *call = g_new0 (Call, 1);

  call->func = func;
  call->result_free = result_free;
  g_object_set_data_full (G_OBJECT (task), "mw-setup-call", call, g_free);
  g_task_run_in_thread (task, call_thread);
}

gboolean
mw_setup_task_is (GAsyncResult *result,
                  gpointer      source_tag)
{
  return g_task_is_valid (result, NULL) && g_task_get_source_tag (G_TASK (result)) == source_tag;
}
