/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "mw-connection-list.h"

G_BEGIN_DECLS

#define MW_TYPE_APPLICATION (mw_application_get_type ())

G_DECLARE_FINAL_TYPE (MwApplication, mw_application, MW, APPLICATION, AdwApplication)

MwApplication    *mw_application_new             (void);
/* The connections every window shows; loaded from GSettings at startup. */
MwConnectionList *mw_application_get_connections (MwApplication *self);
GSettings        *mw_application_get_settings    (MwApplication *self);
/* Loads the saved connections once and connects those marked autoconnect. offer_defaults: on a
 * first start, offer the demo nodes (not when the user named connections with --connect). */
void              mw_application_load_connections (MwApplication *self,
                                                   gboolean       offer_defaults);
/* When none of the app's windows is active (the user is elsewhere), sends a desktop notification
 * titled title with body, one sentence saying how the work of window ended; its default action
 * presents window again, on the page it shows. A later call for the same window replaces it.
 * TRUE when it was sent. */
gboolean          mw_application_notify_done     (MwApplication *self,
                                                  GtkWindow     *window,
                                                  const char    *title,
                                                  const char    *body);
/* The application a window (or the window it is transient for) belongs to, or NULL. */
MwApplication    *mw_application_for_window      (GtkWindow     *window);

G_END_DECLS
