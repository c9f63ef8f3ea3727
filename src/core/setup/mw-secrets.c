/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-secrets.c: the password of an ssh login, and libvirt's credentials, in the keyring. The
 * keyring is a small backend (MwSecretsBackend): libsecret's own async calls by default, which
 * run on the caller's main context; tests install an in-memory one. Main thread, except the
 * credentials' blocking lookup and store, which a connection's worker calls. */
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

static const SecretSchema credential_schema = {
  "com.example.MigWizard.LibvirtCredential", SECRET_SCHEMA_NONE,
  {
    { "uri", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "credential", SECRET_SCHEMA_ATTRIBUTE_STRING },
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
  GError *error = NULL;
  char *password;
  gboolean done;

  if (g_task_get_source_tag (task) == mw_secrets_lookup_async)
    {
      password = secret_password_lookup_finish (result, &error);
      if (error != NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, password, (GDestroyNotify) mw_secrets_free);
      return;
    }

  done = g_task_get_source_tag (task) == mw_secrets_store_async
           ? secret_password_store_finish (result, &error)
           : secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, done);
}

/* The tasks below are tagged with the public call's kind (store, lookup, clear) whatever the
 * schema, so on_done_cb knows which libsecret call to finish. */
static void
service_store (const SecretSchema *schema,
               GHashTable         *attributes,
               const char         *label,
               const char         *password,
               GTask              *task)
{
  secret_password_storev (schema, attributes, SECRET_COLLECTION_DEFAULT, label, password,
                          g_task_get_cancellable (task), on_done_cb, task);
}

static void
service_lookup (const SecretSchema *schema,
                GHashTable         *attributes,
                GTask              *task)
{
  secret_password_lookupv (schema, attributes, g_task_get_cancellable (task), on_done_cb, task);
}

static void
service_clear (const SecretSchema *schema,
               GHashTable         *attributes,
               GTask              *task)
{
  secret_password_clearv (schema, attributes, g_task_get_cancellable (task), on_done_cb, task);
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
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (host != NULL && password != NULL);

  /* Translators: the keyring item's label; %s is user@host */
  label = g_strdup_printf (_("MigWizard SSH password for %s@%s"), login_user (user), host);
  attributes = login_attributes (host, login_port (port), login_user (user));
  backend->store (&password_schema, attributes, label, password,
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
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (login != NULL && login->host != NULL);

  attributes = login_attributes (login->host, login_port (login->port), login_user (login->user));
  backend->lookup (&password_schema, attributes,
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
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (login != NULL && login->host != NULL);

  attributes = login_attributes (login->host, login_port (login->port), login_user (login->user));
  backend->clear (&password_schema, attributes,
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

/* ---- libvirt's credentials ------------------------------------------------------------------ */

static GHashTable *
credential_attributes (const char *uri,
                       const char *credential)
{
  if (credential == NULL)
    return secret_attributes_build (&credential_schema, "uri", uri, NULL);
  return secret_attributes_build (&credential_schema, "uri", uri, "credential", credential, NULL);
}

static void
on_sync_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The calling thread waits on a main context of its own until the backend is done. */
static GAsyncResult *
wait_for (GMainContext  *context,
          GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);
  return *result;
}

static GMainContext *
private_context (void)
{
  GMainContext *context = g_main_context_new ();

  g_main_context_push_thread_default (context);
  return context;
}

char *
mw_secrets_lookup_credential (const char    *uri,
                              const char    *credential,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GMainContext *context;

  g_return_val_if_fail (uri != NULL && credential != NULL, NULL);
  g_return_val_if_fail (!g_main_context_is_owner (g_main_context_default ()), NULL);

  attributes = credential_attributes (uri, credential);
  context = private_context ();
  backend->lookup (&credential_schema, attributes,
                   mw_setup_task_new (mw_secrets_lookup_async, NULL, NULL, cancellable,
                                      on_sync_done_cb, &result));
  return g_task_propagate_pointer (G_TASK (wait_for (context, &result)), error);
}

gboolean
mw_secrets_store_credential (const char    *uri,
                             const char    *credential,
                             const char    *value,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *label = NULL;
  GMainContext *context;

  g_return_val_if_fail (uri != NULL && credential != NULL && value != NULL, FALSE);
  g_return_val_if_fail (!g_main_context_is_owner (g_main_context_default ()), FALSE);

  /* Translators: the keyring item's label; %s is what libvirt asked for ("username",
   * "password"), the second %s a connection's URI */
  label = g_strdup_printf (_("MigWizard libvirt %s for %s"), credential, uri);
  attributes = credential_attributes (uri, credential);
  context = private_context ();
  backend->store (&credential_schema, attributes, label, value,
                  mw_setup_task_new (mw_secrets_store_async, NULL, NULL, cancellable,
                                     on_sync_done_cb, &result));
  return g_task_propagate_boolean (G_TASK (wait_for (context, &result)), error);
}

void
mw_secrets_clear_credentials_async (const char          *uri,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  GTask *task;

  g_return_if_fail (uri != NULL);

  attributes = credential_attributes (uri, NULL);
  task = mw_setup_task_new (mw_secrets_clear_async, NULL, NULL, cancellable, callback, user_data);
  backend->clear (&credential_schema, attributes, task);
}

gboolean
mw_secrets_clear_credentials_finish (GAsyncResult  *result,
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
