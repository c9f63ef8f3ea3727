/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-secrets.c: libsecret's own async calls; they run on the caller's main context. */
#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "mw-secrets.h"
#include "mw-setup-task.h"

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

/* The item's attributes: one item per ssh login. */
static GHashTable *
login_attributes (const char *host,
                  guint       port,
                  const char *user)
{
  return secret_attributes_build (&password_schema, "host", host,
                                  "port", (int) (port != 0 ? port : 22), "user", user, NULL);
}

/* Ends the libsecret call that the task's source tag names. */
static void
on_done_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  gpointer tag = g_task_get_source_tag (task);
  GError *error = NULL;
  char *password;
  gboolean done;

  if (tag == mw_secrets_lookup_async)
    {
      password = secret_password_lookup_finish (result, &error);
      if (error != NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, password, (GDestroyNotify) secret_password_free);
      return;
    }

  done = tag == mw_secrets_store_async ? secret_password_store_finish (result, &error)
                                       : secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, done);
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
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (host != NULL && user != NULL && password != NULL);

  attributes = login_attributes (host, port, user);
  /* Translators: the keyring item's label; %s is user@host */
  label = g_strdup_printf (_("MigWizard SSH password for %s@%s"), user, host);
  secret_password_storev (&password_schema, attributes, SECRET_COLLECTION_DEFAULT, label,
                          password, cancellable, on_done_cb,
                          mw_setup_task_new (mw_secrets_store_async, NULL, NULL, cancellable,
                                             callback, user_data));
}

gboolean
mw_secrets_store_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (mw_setup_task_is (result, mw_secrets_store_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Starts libsecret's lookup or clear (the tag says which) of login's item. */
static void
start_for_login (gpointer             tag,
                 const MwSshTarget   *login,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  GTask *task;

  g_return_if_fail (login != NULL && login->user != NULL);

  attributes = login_attributes (login->host, login->port, login->user);
  task = mw_setup_task_new (tag, NULL, NULL, cancellable, callback, user_data);
  if (tag == mw_secrets_lookup_async)
    secret_password_lookupv (&password_schema, attributes, cancellable, on_done_cb, task);
  else
    secret_password_clearv (&password_schema, attributes, cancellable, on_done_cb, task);
}

void
mw_secrets_lookup_async (const MwSshTarget   *login,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  start_for_login (mw_secrets_lookup_async, login, cancellable, callback, user_data);
}

char *
mw_secrets_lookup_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (mw_setup_task_is (result, mw_secrets_lookup_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
mw_secrets_clear_async (const MwSshTarget   *login,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  start_for_login (mw_secrets_clear_async, login, cancellable, callback, user_data);
}

gboolean
mw_secrets_clear_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (mw_setup_task_is (result, mw_secrets_clear_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
mw_secrets_free (char *password)
{
  if (password != NULL)
    secret_password_free (password);
}
