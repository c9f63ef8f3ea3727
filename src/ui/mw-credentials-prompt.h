/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-credentials-prompt.h: the app's credential provider. A connection's worker that libvirt
 * asks for credentials hands the question to the main thread, which shows an
 * MwCredentialsDialog over the application's active window; the worker waits until the person
 * connects, cancels or the dialog goes with its window, or until the worker's current
 * GCancellable (a connection's attempt pushes its own) is cancelled: the dialog then closes. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Main thread, once at start-up: app asks from now on. app must outlive the process's
 * connections (it does: it is the process's). */
void mw_credentials_prompt_install (GtkApplication *app);

G_END_DECLS
