/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-secrets.h: a host's SSH password in the user's keyring (Secret Service, via libsecret).
 *
 * Schema com.example.MigWizard.Password, attributes host, port, user: one item per ssh login.
 * Schema com.example.MigWizard.LibvirtCredential, attributes uri, credential: what libvirt asked
 * for to open a connection (credential: "username", "password", …; mw-credentials.h), one item
 * per answer, all of a URI's forgotten together.
 * The password is only ever in memory and in the keyring: never in settings, files or logs.
 * Async only: libsecret talks to the Secret Service over D-Bus, which may also have to unlock
 * the keyring. A login without a user is this user's; port 0 is 22. Main thread.
 *
 * The Add Remote Host wizard stores the password when asked to, fills it in when the same login
 * is added again, and the window forgets it when the connection is removed.
 */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "mw-ssh.h"

G_BEGIN_DECLS

/* The keyring the calls below use, item by item: schema says what kind of secret (its name
 * tells the kinds apart), attributes (string → string) which one. store replaces the item with
 * the same attributes; lookup finds one item whose attributes include all of attributes; clear
 * removes every such item. Each function finishes task: g_task_return_boolean for store (stored)
 * and clear (something was removed), g_task_return_pointer with a copy that mw_secrets_free
 * frees (or NULL: none stored) for lookup. The task's cancellable is the caller's; the task
 * completes on the main context that was the thread's default when the call was made. */
typedef struct
{
  void (*store)  (const SecretSchema *schema,
                  GHashTable         *attributes,
                  const char         *label,
                  const char         *password,
                  GTask              *task);
  void (*lookup) (const SecretSchema *schema,
                  GHashTable         *attributes,
                  GTask              *task);
  void (*clear)  (const SecretSchema *schema,
                  GHashTable         *attributes,
                  GTask              *task);
} MwSecretsBackend;

/* NULL: the Secret Service through libsecret, the default. Tests put an in-memory keyring here;
 * backend must outlive its use. */
void        mw_secrets_set_backend     (const MwSecretsBackend *backend);

const void *mw_secrets_get_schema      (void);

void        mw_secrets_store_async     (const char          *host,
                                        guint                port,
                                        const char          *user,
                                        const char          *password,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean    mw_secrets_store_finish    (GAsyncResult        *result,
                                        GError             **error);
/* The stored password of login, or NULL (no error) when there is none. Free with
 * mw_secrets_free. */
void        mw_secrets_lookup_async    (const MwSshTarget   *login,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
char       *mw_secrets_lookup_finish   (GAsyncResult        *result,
                                        GError             **error);
/* Forgets the password of login; TRUE when something was removed. */
void        mw_secrets_clear_async     (const MwSshTarget   *login,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean    mw_secrets_clear_finish    (GAsyncResult        *result,
                                        GError             **error);
/* The login whose password may be stored for a connection: the URI's user, host and port for
 * qemu+ssh, NULL for any other transport. */
MwSshTarget *mw_secrets_login_for_uri  (const char          *uri);
/* Worker: these block, running the keyring on a private main context of the calling thread
 * (never the main thread's). The remembered answer to credential of uri, or NULL (no error)
 * when there is none; free with mw_secrets_free. */
char       *mw_secrets_lookup_credential  (const char    *uri,
                                           const char    *credential,
                                           GCancellable  *cancellable,
                                           GError       **error);
/* Worker: remembers value as the answer to credential of uri. */
gboolean    mw_secrets_store_credential   (const char    *uri,
                                           const char    *credential,
                                           const char    *value,
                                           GCancellable  *cancellable,
                                           GError       **error);
/* Main thread: forgets every remembered answer of uri; TRUE when something was removed. */
void        mw_secrets_clear_credentials_async  (const char          *uri,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean    mw_secrets_clear_credentials_finish (GAsyncResult        *result,
                                                 GError             **error);
/* Wipes and frees a password from mw_secrets_lookup_finish. */
void        mw_secrets_free            (char                *password);

G_END_DECLS
