/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-cli-credentials.h: the CLI's credential provider. Credentials libvirt asks for are read
 * from the keyring when the app remembered them (mw-credentials.h); otherwise they are asked on
 * the terminal (/dev/tty; a password without echo) when standard input is one, and refused with
 * a sentence saying so when it is not (a script, a pipe, cron). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Once, from main (), before any connection opens. */
void mw_cli_credentials_install (void);

G_END_DECLS
