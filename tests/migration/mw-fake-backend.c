/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-fake-backend.c: the scripted backend (see mw-fake-backend.h). */

#include "config.h"

#include "mw-fake-backend.h"

struct _MwFakeBackend
{
  MwJobBackend parent_instance;

  GPtrArray *pending;           /* MwFakeCall */
  guint counts[MW_FAKE_N_KINDS];
  gboolean have_sample;
  MwJobSample sample;
  gboolean hold_samples;
  GPtrArray *held_samples;      /* GTask, while hold_samples */
  guint n_created_volumes;
  gulong destination_libvirt;
  gboolean released;
};

G_DEFINE_FINAL_TYPE (MwFakeBackend, mw_fake_backend, MW_TYPE_JOB_BACKEND)

static void
fake_call_free (MwFakeCall *call)
{
  g_clear_object (&call->task);
  g_free (call->dest_uri);
  g_clear_pointer (&call->options, mw_migration_options_free);
  g_free (call);
}

static MwFakeCall *
record (MwFakeBackend       *self,
        MwFakeKind           kind,
        GCancellable        *cancellable,
        GAsyncReadyCallback  callback,
        gpointer             user_data)
{
  MwFakeCall *call = g_new0 (MwFakeCall, 1);

  call->kind = kind;
  call->task = g_task_new (self, cancellable, callback, user_data);
  self->counts[kind]++;
  g_ptr_array_add (self->pending, call);
  return call;
}

static void
fake_prepare_async (MwJobBackend             *backend,
                    const char               *domain_name,
                    const MwMigrationOptions *options,
                    GCancellable             *cancellable,
                    GAsyncReadyCallback       callback,
                    gpointer                  user_data)
{
  MwFakeCall *call = record (MW_FAKE_BACKEND (backend), MW_FAKE_PREPARE, cancellable, callback,
                             user_data);

  call->options = mw_migration_options_copy (options);
}

static void
fake_migrate_async (MwJobBackend             *backend,
                    const char               *domain_name,
                    const char               *dest_uri,
                    const MwMigrationOptions *options,
                    GCancellable             *cancellable,
                    GAsyncReadyCallback       callback,
                    gpointer                  user_data)
{
  MwFakeCall *call = record (MW_FAKE_BACKEND (backend), MW_FAKE_MIGRATE, cancellable, callback,
                             user_data);

  call->dest_uri = g_strdup (dest_uri);
  call->options = mw_migration_options_copy (options);
}

static void
fake_sample_async (MwJobBackend        *backend,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  MwFakeBackend *self = MW_FAKE_BACKEND (backend);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  self->counts[MW_FAKE_SAMPLE]++;
  if (self->hold_samples)
    {
      g_ptr_array_add (self->held_samples, g_steal_pointer (&task));
      return;
    }
  if (self->have_sample)
    {
      MwJobSample *sample = g_memdup2 (&self->sample, sizeof self->sample);

      sample->time_us = g_get_monotonic_time ();
      g_task_return_pointer (task, sample, g_free);
    }
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "no answer (fake)");
}

static void
fake_act_async (MwJobBackend        *backend,
                MwJobAction          action,
                guint64              value,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  MwFakeCall *call = record (MW_FAKE_BACKEND (backend), MW_FAKE_ACT, cancellable, callback,
                             user_data);

  call->action = action;
  call->value = value;
}

static void
fake_verify_async (MwJobBackend        *backend,
                   const char          *domain_name,
                   gboolean             migration_started,
                   gboolean             call_succeeded,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  MwFakeCall *call = record (MW_FAKE_BACKEND (backend), MW_FAKE_VERIFY, cancellable, callback,
                             user_data);

  call->migration_started = migration_started;
  call->call_succeeded = call_succeeded;
}

static void
fake_reopen_async (MwJobBackend        *backend,
                   const char          *domain_name,
                   gboolean             source,
                   gboolean             destination,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  MwFakeCall *call = record (MW_FAKE_BACKEND (backend), MW_FAKE_REOPEN, cancellable, callback,
                             user_data);

  call->source = source;
  call->destination = destination;
}

static void
fake_remove_volumes_async (MwJobBackend        *backend,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  record (MW_FAKE_BACKEND (backend), MW_FAKE_REMOVE_VOLUMES, cancellable, callback, user_data);
}

static void
fake_release (MwJobBackend *backend)
{
  MW_FAKE_BACKEND (backend)->released = TRUE;
}

static void
mw_fake_backend_finalize (GObject *object)
{
  MwFakeBackend *self = MW_FAKE_BACKEND (object);

  g_ptr_array_unref (self->pending);
  g_ptr_array_unref (self->held_samples);
  G_OBJECT_CLASS (mw_fake_backend_parent_class)->finalize (object);
}

static void
mw_fake_backend_class_init (MwFakeBackendClass *klass)
{
  MwJobBackendClass *backend_class = MW_JOB_BACKEND_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = mw_fake_backend_finalize;
  backend_class->prepare_async = fake_prepare_async;
  backend_class->migrate_async = fake_migrate_async;
  backend_class->sample_async = fake_sample_async;
  backend_class->act_async = fake_act_async;
  backend_class->verify_async = fake_verify_async;
  backend_class->reopen_async = fake_reopen_async;
  backend_class->remove_volumes_async = fake_remove_volumes_async;
  backend_class->release = fake_release;
}

static void
mw_fake_backend_init (MwFakeBackend *self)
{
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) fake_call_free);
  self->held_samples = g_ptr_array_new_with_free_func (g_object_unref);
}

MwFakeBackend *
mw_fake_backend_new (void)
{
  return g_object_new (MW_TYPE_FAKE_BACKEND, NULL);
}

void
mw_fake_backend_set_sample (MwFakeBackend     *self,
                            const MwJobSample *sample)
{
  self->have_sample = sample != NULL;
  if (sample != NULL)
    self->sample = *sample;
}

void
mw_fake_backend_hold_samples (MwFakeBackend *self)
{
  self->hold_samples = TRUE;
}

guint
mw_fake_backend_release_samples (MwFakeBackend *self)
{
  g_autoptr(GPtrArray) held = g_steal_pointer (&self->held_samples);

  self->held_samples = g_ptr_array_new_with_free_func (g_object_unref);
  self->hold_samples = FALSE;
  for (guint i = 0; i < held->len; i++)
    {
      MwJobSample *sample = g_memdup2 (&self->sample, sizeof self->sample);

      sample->time_us = g_get_monotonic_time ();
      g_task_return_pointer (g_ptr_array_index (held, i), sample, g_free);
    }
  return held->len;
}

void
mw_fake_backend_set_created_volumes (MwFakeBackend *self,
                                     guint          n)
{
  self->n_created_volumes = n;
}

void
mw_fake_backend_set_destination_libvirt (MwFakeBackend *self,
                                         gulong         version)
{
  self->destination_libvirt = version;
}

guint
mw_fake_backend_count (MwFakeBackend *self,
                       MwFakeKind     kind)
{
  return self->counts[kind];
}

gboolean
mw_fake_backend_get_released (MwFakeBackend *self)
{
  return self->released;
}

static gint
find_pending (MwFakeBackend *self,
              MwFakeKind     kind)
{
  for (guint i = 0; i < self->pending->len; i++)
    if (((MwFakeCall *) g_ptr_array_index (self->pending, i))->kind == kind)
      return (gint) i;
  return -1;
}

gboolean
mw_fake_backend_has_pending (MwFakeBackend *self,
                             MwFakeKind     kind)
{
  return find_pending (self, kind) >= 0;
}

MwFakeCall *
mw_fake_backend_wait (MwFakeBackend *self,
                      MwFakeKind     kind)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  gint index;

  while ((index = find_pending (self, kind)) < 0)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("The job made no call of kind %d within 5 s", kind);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return g_ptr_array_steal_index (self->pending, (guint) index);
}

void
mw_fake_backend_requeue (MwFakeBackend *self,
                         MwFakeCall    *call)
{
  g_ptr_array_add (self->pending, call);
}

void
mw_fake_backend_reply (MwFakeBackend *self,
                       MwFakeCall    *call,
                       GError        *error)
{
  if (error != NULL)
    g_task_return_error (call->task, error);
  else if (call->kind == MW_FAKE_PREPARE)
    {
      MwJobPrepared *prepared = g_new0 (MwJobPrepared, 1);

      prepared->canonical_name = g_strdup ("guest");
      prepared->n_created_volumes = self->n_created_volumes;
      prepared->destination_libvirt = self->destination_libvirt;
      g_task_return_pointer (call->task, prepared, (GDestroyNotify) mw_job_prepared_free);
    }
  else if (call->kind == MW_FAKE_REOPEN)
    {
      MwJobReopened *reopened = g_new0 (MwJobReopened, 1);

      reopened->source = call->source;
      reopened->destination = call->destination;
      reopened->destination_libvirt = self->destination_libvirt;
      g_task_return_pointer (call->task, reopened, g_free);
    }
  else
    {
      g_assert (call->kind != MW_FAKE_VERIFY);
      g_task_return_boolean (call->task, TRUE);
    }
  fake_call_free (call);
}

void
mw_fake_backend_reply_findings (MwFakeBackend          *self,
                                MwFakeCall             *call,
                                const MwVerifyFindings *findings)
{
  MwVerifyFindings *copy = g_memdup2 (findings, sizeof *findings);

  g_assert (call->kind == MW_FAKE_VERIFY);
  copy->dest_check_error = g_strdup (findings->dest_check_error);
  g_task_return_pointer (call->task, copy, (GDestroyNotify) mw_verify_findings_free);
  fake_call_free (call);
}
