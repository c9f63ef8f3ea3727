/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-test-ssh.h: what the ssh test programs share. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A fresh key pair dir/name of that type (ssh-keygen, no passphrase): the public key's path. */
char *make_key (const char *dir,
                const char *name,
                const char *type);

G_END_DECLS
