/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The main window's test programs share their set-up and the ways they look at what it shows. */
#include "config.h"

#include "mw-test-window.h"
#include "mw-test-ui.h"

guint
mw_test_window_count_domains (MwTestWindow *fixture)
{
  GListModel *connections = G_LIST_MODEL (mw_application_get_connections (fixture->app));
  guint n = g_list_model_get_n_items (connections);
  guint total = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MwConnection) connection = g_list_model_get_item (connections, i);

      total += g_list_model_get_n_items (mw_connection_get_domains (connection));
    }

  return total;
}

static gboolean
visible_is_total (gpointer data)
{
  MwTestWindow *fixture = data;

  return g_list_model_get_n_items (mw_window_get_visible_domains (fixture->window)) ==
         mw_test_window_count_domains (fixture);
}

gboolean
mw_test_model_has_name (GListModel *model,
                        const char *name)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MwDomain) domain = g_list_model_get_item (model, i);

      if (g_strcmp0 (mw_domain_get_name (domain), name) == 0)
        return TRUE;
    }

  return FALSE;
}

gboolean
mw_test_status_title_is (GtkWidget *widget,
                         gpointer   data)
{
  return gtk_widget_is_drawable (widget) &&
         g_strcmp0 (adw_status_page_get_title (ADW_STATUS_PAGE (widget)), data) == 0;
}

void
mw_test_window_set_up (MwTestWindow  *fixture,
                       gconstpointer  data)
{
  GError *error = NULL;

  fixture->app = mw_application_new ();
  g_application_set_flags (G_APPLICATION (fixture->app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (fixture->app), NULL, &error));
  g_assert_no_error (error);

  fixture->window = mw_window_new (fixture->app);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 700);
  gtk_window_present (GTK_WINDOW (fixture->window));

  g_assert_true (mw_test_wait_until (mw_test_demo_connected, fixture->app, 10000));
  g_assert_true (mw_test_wait_until (visible_is_total, fixture, 5000));
}

void
mw_test_window_tear_down (MwTestWindow  *fixture,
                          gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_application_quit (G_APPLICATION (fixture->app));
  g_clear_object (&fixture->app);
}

gboolean
mw_test_has_action_name (GtkWidget *widget,
                         gpointer   data)
{
  return g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), data) == 0;
}

GtkColumnView *
mw_test_window_domain_view (MwTestWindow *fixture)
{
  GtkWidget *view = mw_test_find_widget (GTK_WIDGET (fixture->window), GTK_TYPE_COLUMN_VIEW,
                                         NULL, NULL);

  g_assert_nonnull (view);
  return GTK_COLUMN_VIEW (view);
}

gboolean
mw_test_label_is (GtkWidget *widget,
                  gpointer   data)
{
  return gtk_widget_get_visible (widget)
         && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), data) == 0;
}

gboolean
mw_test_icon_is (GtkWidget *widget,
                 gpointer   data)
{
  return g_strcmp0 (gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget)), data) == 0;
}

/* GTK 4.8's menu items show their label (mnemonic stripped) as the property "text". */
static gboolean
item_text_is (GtkWidget *widget,
              gpointer   data)
{
  g_autofree char *text = NULL;

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (widget), "text") == NULL)
    return FALSE;
  g_object_get (widget, "text", &text, NULL);
  return g_strcmp0 (text, data) == 0;
}

/* A menu item by its label; its sensitivity is its action's enabled state. */
GtkWidget *
mw_test_menu_item (GtkWidget  *popover,
                   const char *label)
{
  GtkWidget *item = mw_test_find_widget (popover, GTK_TYPE_WIDGET, item_text_is,
                                         (gpointer) label);

  g_assert_nonnull (item);
  return item;
}

AdwMessageDialog *
mw_test_find_message_dialog (const char *heading)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* borrowed */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window))
          && g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (window)),
                        heading) == 0)
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

static gboolean
toast_shown (gpointer data)
{
  void **pair = data;

  return mw_test_find_widget (GTK_WIDGET (pair[0]), GTK_TYPE_LABEL, mw_test_label_is,
                              pair[1]) != NULL;
}

/* The toast widget (in the window's AdwToastOverlay) that widget is part of. */
GtkWidget *
mw_test_toast_of (GtkWidget *widget)
{
  while (widget != NULL && !ADW_IS_TOAST_OVERLAY (gtk_widget_get_parent (widget)))
    widget = gtk_widget_get_parent (widget);
  g_assert_nonnull (widget);
  return widget;
}

/* Whether the toast showing widget is up: neither on its way out (a dismissed toast stops
 * taking input) nor still coming in (its bottom edge below the overlay's). Clicking a toast's
 * button dismisses it, and libadwaita 1.2 crashes when a toast is dismissed while still coming
 * in; so a click waits for this, which follows the animation frame by frame. */
gboolean
mw_test_toast_in_place (gpointer widget)
{
  GtkWidget *toast = mw_test_toast_of (widget);
  GtkWidget *overlay = gtk_widget_get_parent (toast);
  graphene_rect_t bounds;

  mw_test_wait_frames (overlay, 1);
  return gtk_widget_get_can_target (toast)
         && gtk_widget_compute_bounds (toast, overlay, &bounds)
         && bounds.origin.y + bounds.size.height <= gtk_widget_get_height (overlay);
}

void
mw_test_window_wait_toast (MwTestWindow *fixture,
                           const char   *title)
{
  gpointer pair[2] = { fixture->window, (gpointer) title };

  g_assert_true (mw_test_wait_until (toast_shown, pair, 5000));
}
