/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The main window on the shipped demo nodes, as a first-time user sees it (nothing saved): the
 * fixture of test-window*.c and the ways they look at what the window shows. */
#pragma once

#include <adwaita.h>

#include "mw-application.h"
#include "mw-window-private.h"

G_BEGIN_DECLS

typedef struct
{
  MwApplication *app;
  MwWindow *window;
} MwTestWindow;

/* A window on the demo nodes, both connected and every domain listed. */
void           mw_test_window_set_up         (MwTestWindow  *fixture,
                                              gconstpointer  data);
void           mw_test_window_tear_down      (MwTestWindow  *fixture,
                                              gconstpointer  data);
/* How many domains the app's connections list, all of them. */
guint          mw_test_window_count_domains  (MwTestWindow  *fixture);
GtkColumnView *mw_test_window_domain_view    (MwTestWindow  *fixture);
/* Waits (5 s at most) until a toast with this title is in the window. */
void           mw_test_window_wait_toast     (MwTestWindow  *fixture,
                                              const char    *title);

gboolean       mw_test_model_has_name        (GListModel    *model,
                                              const char    *name);

/* Matches for mw_test_find_widget: a drawn status page titled data; a widget whose action is
 * data; a visible label reading data; a menu button showing the icon data. */
gboolean       mw_test_status_title_is       (GtkWidget     *widget,
                                              gpointer       data);
gboolean       mw_test_has_action_name       (GtkWidget     *widget,
                                              gpointer       data);
gboolean       mw_test_label_is              (GtkWidget     *widget,
                                              gpointer       data);
gboolean       mw_test_icon_is               (GtkWidget     *widget,
                                              gpointer       data);

/* A menu item by its label; its sensitivity is its action's enabled state. */
GtkWidget     *mw_test_menu_item             (GtkWidget     *popover,
                                              const char    *label);
/* The visible message dialog with this heading, or NULL. */
AdwMessageDialog *mw_test_find_message_dialog (const char   *heading);
/* The toast widget (in an AdwToastOverlay) that widget is part of. */
GtkWidget     *mw_test_toast_of              (GtkWidget     *widget);
/* A condition: the toast showing widget is up, neither coming in nor going (see the .c). */
gboolean       mw_test_toast_in_place        (gpointer       widget);

G_END_DECLS
