/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-secrets.c: the password of an ssh login in the keyring. The keyring is a small backend
 * (MwSecretsBackend): libsecret's own async calls by default, which run on the caller's main
 * context; tests install an in-memory one. Main thread. */
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

/* ---- the Secret Service ---------------------------------------------------------------------- */

/* The item's attributes: one item per ssh login. */
static GHashTable *
login_attributes (const char *host,
                  guint       port,
                  const char *user)
{
  return secret_attributes_build (&password_schema, "host", host, "port", (int) port, "user",
                                  user, NULL);
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
        g_task_return_pointer (task, password, (GDestroyNotify) mw_secrets_free);
      return;
    }

  done = tag == mw_secrets_store_async ? secret_password_store_finish (result, &error)
                                       : secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, done);
}

static void
service_store (const char *host,
               guint       port,
               const char *user,
               const char *label,
               const char *password,
               GTask      *task)
{
  g_autoptr(GHashTable) attributes = login_attributes (host, port, user);

  secret_password_storev (&password_schema, attributes, SECRET_COLLECTION_DEFAULT, label,
                          password, g_task_get_cancellable (task), on_done_cb, task);
}

static void
service_lookup (const char *host,
                guint       port,
                const char *user,
                GTask      *task)
{
  g_autoptr(GHashTable) attributes = login_attributes (host, port, user);

  secret_password_lookupv (&password_schema, attributes, g_task_get_cancellable (task),
                           on_done_cb, task);
}

static void
service_clear (const char *host,
               guint       port,
               const char *user,
               GTask      *task)
{
  g_autoptr(GHashTable) attributes = login_attributes (host, port, user);

  secret_password_clearv (&password_schema, attributes, g_task_get_cancellable (task),
                          on_done_cb, task);
}

static const MwSecretsBackend secret_service = { service_store, service_lookup, service_clear };
static const MwSecretsBackend *backend = &secret_service;

void
mw_secrets_set_backend (const MwSecretsBackend *new_backend)
{
  backend = new_backend != NULL ? new_backend : &secret_service;
}

/* ---- the calls ------------------------------------------------------------------------------- */

/* Port 0 is ssh's default, stored as 22 so both spellings find the same item; a login without
 * a user is ssh's default user, this one. */
static guint
login_port (guint port)
{
  return port != 0 ? port : 22;
}

static const char *
login_user (const char *user)
{
  return user != NULL ? user : g_get_user_name ();
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
  g_autofree char *label = NULL;

  g_return_if_fail (host != NULL && password != NULL);

  /* Translators: the keyring item's label; %s is user@host */
  label = g_strdup_printf (_("MigWizard SSH password for %s@%s"), login_user (user), host);
  backend->store (host, login_port (port), login_user (user), label, password,
                  mw_setup_task_new (mw_secrets_store_async, NULL, NULL, cancellable, callback,
                                     user_data));
}

gboolean
mw_secrets_store_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (mw_setup_task_is (result, mw_secrets_store_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
mw_secrets_lookup_async (const MwSshTarget   *login,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (login != NULL && login->host != NULL);

  backend->lookup (login->host, login_port (login->port), login_user (login->user),
                   mw_setup_task_new (mw_secrets_lookup_async, NULL, NULL, cancellable, callback,
                                      user_data));
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
  g_return_if_fail (login != NULL && login->host != NULL);

  backend->clear (login->host, login_port (login->port), login_user (login->user),
                  mw_setup_task_new (mw_secrets_clear_async, NULL, NULL, cancellable, callback,
                                     user_data));
}

gboolean
mw_secrets_clear_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (mw_setup_task_is (result, mw_secrets_clear_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

MwSshTarget *
mw_secrets_login_for_uri (const char *uri)
{
  g_autoptr(MwUri) parsed = mw_uri_parse (uri, NULL);

  /* Only an ssh connection logs in with a password MigWizard may have stored. */
  if (parsed == NULL || parsed->transport != MW_TRANSPORT_SSH)
    return NULL;
  return mw_ssh_target_new_for_uri (uri, NULL);
}

void
mw_secrets_free (char *password)
{
  if (password != NULL)
    secret_password_free (password);
}
