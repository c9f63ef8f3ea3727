/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-secrets.h: a host's SSH password in the user's keyring (Secret Service, via libsecret).
 *
 * Schema com.example.MigWizard.Password, attributes host, port, user: one item per ssh login.
 * The password is only ever in memory and in the keyring: never in settings, files or logs.
 * Async only: libsecret talks to the Secret Service over D-Bus, which may also have to unlock
 * the keyring.
 */
#pragma once

#include <gio/gio.h>

#include "mw-ssh.h"

G_BEGIN_DECLS

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
/* The stored password of login (which names its user), or NULL (no error) when there is none.
 * Free with mw_secrets_free. */
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
/* Wipes and frees a password from mw_secrets_lookup_finish. */
void        mw_secrets_free            (char                *password);

G_END_DECLS
