/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-job-backend.c: the abstract backend of a migration job (see mw-job-backend.h). */

#include "config.h"

#include "mw-job-backend.h"

enum
{
  SIGNAL_MIGRATION_ITERATION,
  SIGNAL_JOB_COMPLETED,
  SIGNAL_POSTCOPY_STARTED,
  SIGNAL_POSTCOPY_FAILED,
  SIGNAL_CONNECTION_LOST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_ABSTRACT_TYPE (MwJobBackend, mw_job_backend, G_TYPE_OBJECT)

void
mw_job_prepared_free (MwJobPrepared *prepared)
{
  if (prepared == NULL)
    return;
  g_free (prepared->canonical_name);
  g_free (prepared);
}

/* The default _finish functions: an implementation that completes a GTask needs none. */
static gboolean
task_boolean_finish (MwJobBackend  *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static MwJobPrepared *
task_prepared_finish (MwJobBackend  *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static MwJobSample *
task_sample_finish (MwJobBackend  *self,
                    GAsyncResult  *result,
                    GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static MwVerifyFindings *
task_findings_finish (MwJobBackend  *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static MwJobReopened *
task_reopened_finish (MwJobBackend  *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
mw_job_backend_class_init (MwJobBackendClass *klass)
{
  klass->prepare_finish = task_prepared_finish;
  klass->migrate_finish = task_boolean_finish;
  klass->sample_finish = task_sample_finish;
  klass->act_finish = task_boolean_finish;
  klass->verify_finish = task_findings_finish;
  klass->reopen_finish = task_reopened_finish;
  klass->remove_volumes_finish = task_boolean_finish;

  signals[SIGNAL_MIGRATION_ITERATION] =
    g_signal_new ("migration-iteration", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  signals[SIGNAL_JOB_COMPLETED] =
    g_signal_new ("job-completed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_POSTCOPY_STARTED] =
    g_signal_new ("postcopy-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_POSTCOPY_FAILED] =
    g_signal_new ("postcopy-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_CONNECTION_LOST] =
    g_signal_new ("connection-lost", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_BOOLEAN, G_TYPE_INT);
}

static void
mw_job_backend_init (MwJobBackend *self)
{
}

#define CLASS(self) MW_JOB_BACKEND_GET_CLASS (self)

void
mw_job_backend_prepare_async (MwJobBackend             *self,
                              const char               *domain_name,
                              const MwMigrationOptions *options,
                              GCancellable             *cancellable,
                              GAsyncReadyCallback       callback,
                              gpointer                  user_data)
{
  g_return_if_fail (MW_IS_JOB_BACKEND (self));
  CLASS (self)->prepare_async (self, domain_name, options, cancellable, callback, user_data);
}

MwJobPrepared *
mw_job_backend_prepare_finish (MwJobBackend  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return CLASS (self)->prepare_finish (self, result, error);
}

void
mw_job_backend_migrate_async (MwJobBackend             *self,
                              const char               *domain_name,
                              const char               *dest_uri,
                              const MwMigrationOptions *options,
                              GCancellable             *cancellable,
                              GAsyncReadyCallback       callback,
                              gpointer                  user_data)
{
  g_return_if_fail (MW_IS_JOB_BACKEND (self));
  CLASS (self)->migrate_async (self, domain_name, dest_uri, options, cancellable, callback,
                               user_data);
}

gboolean
mw_job_backend_migrate_finish (MwJobBackend  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return CLASS (self)->migrate_finish (self, result, error);
}

void
mw_job_backend_sample_async (MwJobBackend        *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (MW_IS_JOB_BACKEND (self));
  CLASS (self)->sample_async (self, cancellable, callback, user_data);
}

MwJobSample *
mw_job_backend_sample_finish (MwJobBackend  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return CLASS (self)->sample_finish (self, result, error);
}

void
mw_job_backend_act_async (MwJobBackend        *self,
                          MwJobAction          action,
                          guint64              value,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (MW_IS_JOB_BACKEND (self));
  CLASS (self)->act_async (self, action, value, cancellable, callback, user_data);
}

gboolean
mw_job_backend_act_finish (MwJobBackend  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return CLASS (self)->act_finish (self, result, error);
}

void
mw_job_backend_verify_async (MwJobBackend        *self,
                             const char          *domain_name,
                             gboolean             migration_started,
                             gboolean             call_succeeded,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (MW_IS_JOB_BACKEND (self));
  CLASS (self)->verify_async (self, domain_name, migration_started, call_succeeded, cancellable,
                              callback, user_data);
}

MwVerifyFindings *
mw_job_backend_verify_finish (MwJobBackend  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return CLASS (self)->verify_finish (self, result, error);
}

void
mw_job_backend_reopen_async (MwJobBackend        *self,
                             const char          *domain_name,
                             gboolean             source,
                             gboolean             destination,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (MW_IS_JOB_BACKEND (self));
  CLASS (self)->reopen_async (self, domain_name, source, destination, cancellable, callback,
                              user_data);
}

MwJobReopened *
mw_job_backend_reopen_finish (MwJobBackend  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return CLASS (self)->reopen_finish (self, result, error);
}

void
mw_job_backend_remove_volumes_async (MwJobBackend        *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (MW_IS_JOB_BACKEND (self));
  CLASS (self)->remove_volumes_async (self, cancellable, callback, user_data);
}

gboolean
mw_job_backend_remove_volumes_finish (MwJobBackend  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return CLASS (self)->remove_volumes_finish (self, result, error);
}

void
mw_job_backend_release (MwJobBackend *self)
{
  g_return_if_fail (MW_IS_JOB_BACKEND (self));
  CLASS (self)->release (self);
}

void
mw_job_backend_emit_iteration (MwJobBackend *self,
                               int           iteration)
{
  g_signal_emit (self, signals[SIGNAL_MIGRATION_ITERATION], 0, iteration);
}

void
mw_job_backend_emit_job_completed (MwJobBackend      *self,
                                   const MwJobSample *sample)
{
  g_signal_emit (self, signals[SIGNAL_JOB_COMPLETED], 0, sample);
}

void
mw_job_backend_emit_postcopy_started (MwJobBackend *self)
{
  g_signal_emit (self, signals[SIGNAL_POSTCOPY_STARTED], 0);
}

void
mw_job_backend_emit_postcopy_failed (MwJobBackend *self)
{
  g_signal_emit (self, signals[SIGNAL_POSTCOPY_FAILED], 0);
}

void
mw_job_backend_emit_connection_lost (MwJobBackend *self,
                                     gboolean      destination,
                                     int           reason)
{
  g_signal_emit (self, signals[SIGNAL_CONNECTION_LOST], 0, destination, reason);
}
