/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers for tests that run real windows under Xvfb. */
#pragma once

#include <gtk/gtk.h>

#include "mw-application.h"
#include "mw-secrets.h"
#include "../unit/mw-test-keyring.h"

G_BEGIN_DECLS

typedef gboolean (*MwTestCondition) (gpointer data);

/* Iterates the default main context until condition holds or timeout_ms passes. */
gboolean   mw_test_wait_until        (MwTestCondition  condition,
                                      gpointer         data,
                                      guint            timeout_ms);
/* Lets the widget be laid out and painted a few frames. */
void       mw_test_wait_frames       (GtkWidget       *widget,
                                      guint            n_frames);
/* Renders the widget (a window, with its decorations) into $MW_SCREENSHOT_DIR/name.png. */
char      *mw_test_save_screenshot   (GtkWidget       *widget,
                                      const char      *name);
/* The first descendant of root of the given type for which match (may be NULL) holds. */
GtkWidget *mw_test_find_widget       (GtkWidget       *root,
                                      GType            type,
                                      gboolean       (*match) (GtkWidget *widget, gpointer data),
                                      gpointer         data);

/* An application that registers without a session bus name clash (non-unique). */
MwApplication *mw_test_app_new            (void);
/* A condition for mw_test_wait_until: both shipped demo nodes of app are connected. */
gboolean       mw_test_demo_connected     (gpointer         app);
/* The connection of app whose URI ends in file ("/hosta.xml"), or NULL. Borrowed. */
MwConnection  *mw_test_find_demo          (MwApplication   *app,
                                           const char      *file);

/* Stores through mw_secrets_store_async, as the app does, and waits for it. */
void           mw_test_keyring_store      (const char      *host,
                                           guint            port,
                                           const char      *user,
                                           const char      *password);

G_END_DECLS
