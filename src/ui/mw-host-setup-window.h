/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-host-setup-window.h: shared NFS storage and the same bridge on two hosts.
 *
 * Picks two connected connections (and optionally a guest of the first), shows the NFS plan
 * exactly as the server needs it, applies it with consent, defines the pool on both hosts, and
 * lists and creates bridges with a "Keep this change?" countdown. Main thread only; all work
 * runs in the core's workers. */
#pragma once

#include <adwaita.h>

#include "mw-connection-list.h"

G_BEGIN_DECLS

#define MW_TYPE_HOST_SETUP_WINDOW (mw_host_setup_window_get_type ())

G_DECLARE_FINAL_TYPE (MwHostSetupWindow, mw_host_setup_window, MW, HOST_SETUP_WINDOW, AdwWindow)

/* domain may be NULL; it is preselected when host A lists it. */
MwHostSetupWindow *mw_host_setup_window_new          (GtkWindow        *parent,
                                                      MwConnectionList *connections,
                                                      const char       *domain);
/* For tests and the window's own actions: preselects hosts by URI. FALSE when not connected. */
gboolean           mw_host_setup_window_select_hosts (MwHostSetupWindow *self,
                                                      const char        *uri_a,
                                                      const char        *uri_b);
/* TRUE while a worker runs. Notifies "busy". */
gboolean           mw_host_setup_window_get_busy     (MwHostSetupWindow *self);
/* The confirm dialog of a bridge change while one is pending, else NULL. */
AdwMessageDialog  *mw_host_setup_window_get_confirm_dialog (MwHostSetupWindow *self);

G_END_DECLS
