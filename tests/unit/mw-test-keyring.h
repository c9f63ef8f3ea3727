/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-test-keyring.h: an in-memory keyring behind mw-secrets for the unit and ui tests. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An in-memory keyring behind mw-secrets (the Secret Service is not there under test): what the
 * app stores, looks up and clears stays in this process. Installing it empties it. */
void           mw_test_keyring_install    (void);
/* The stored password of user@host:port (port 22 for ssh's default), or NULL. Borrowed. */
const char    *mw_test_keyring_get        (const char      *host,
                                           guint            port,
                                           const char      *user);
/* The remembered answer to libvirt's credential ("username", "password") for uri, or NULL.
 * Borrowed. */
const char    *mw_test_keyring_get_credential (const char  *uri,
                                               const char  *credential);
G_END_DECLS
