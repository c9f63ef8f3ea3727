/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-secrets.c: libsecret's own async calls; they run on the caller's main context. */
#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "mw-secrets.h"

static const SecretSchema password_schema = {
  "com.example.MigWizard.Password", SECRET_SCHEMA_NONE,
  {
    { "host", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "port", SECRET_SCHEMA_ATTRIBUTE_INTEGER },
    { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
  0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};

const void *
mw_secrets_get_schema (void)
{
  return &password_schema;
}

static void
on_store_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (secret_password_store_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
mw_secrets_store_async (const char          *host,
                        guint                port,
                        const char          *user,
                        const char          *password,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;
  g_autofree char *label = NULL;

  g_return_if_fail (host != NULL && user != NULL && password != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mw_secrets_store_async);
  /* Translators: the keyring item's label; %s is user@host */
  label = g_strdup_printf (_("MigWizard SSH password for %s@%s"), user, host);
  secret_password_store (&password_schema, SECRET_COLLECTION_DEFAULT, label, password,
                         cancellable, on_store_done_cb, task,
                         "host", host, "port", (int) (port != 0 ? port : 22), "user", user,
                         NULL);
}

gboolean
mw_secrets_store_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mw_secrets_store_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_lookup_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *password = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, password, (GDestroyNotify) secret_password_free);
}

void
mw_secrets_lookup_async (const char          *host,
                         guint                port,
                         const char          *user,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (host != NULL && user != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mw_secrets_lookup_async);
  secret_password_lookup (&password_schema, cancellable, on_lookup_done_cb, task,
                          "host", host, "port", (int) (port != 0 ? port : 22), "user", user,
                          NULL);
}

char *
mw_secrets_lookup_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mw_secrets_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_clear_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean removed = secret_password_clear_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, removed);
}

void
mw_secrets_clear_async (const char          *host,
                        guint                port,
                        const char          *user,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (host != NULL && user != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mw_secrets_clear_async);
  secret_password_clear (&password_schema, cancellable, on_clear_done_cb, task,
                         "host", host, "port", (int) (port != 0 ? port : 22), "user", user,
                         NULL);
}

gboolean
mw_secrets_clear_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mw_secrets_clear_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
mw_secrets_free (char *password)
{
  if (password != NULL)
    secret_password_free (password);
}
