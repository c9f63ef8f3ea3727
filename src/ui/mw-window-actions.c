/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-window-actions.c: the window's actions (win.*) and their keys. Main thread. */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-add-connection-dialog.h"
#include "mw-add-host-wizard.h"
#include "mw-evacuation-window.h"
#include "mw-host-setup-window.h"
#include "mw-import-dialog.h"
#include "mw-secrets.h"
#include "mw-virt-manager.h"
#include "mw-window-private.h"

static void
on_add_dialog_connection_added_cb (MwWindow               *self,
                                   MwConnection           *connection,
                                   MwAddConnectionDialog  *dialog)
{
  mw_window_select_connection (self, connection);
  mw_window_connect (self, connection);
}

static void
add_connection_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  MwWindow *self = MW_WINDOW (widget);
  MwAddConnectionDialog *dialog = mw_add_connection_dialog_new (GTK_WINDOW (self),
                                                                self->connections);

  g_signal_connect_object (dialog, "connection-added",
                           G_CALLBACK (on_add_dialog_connection_added_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_host_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  MwWindow *self = MW_WINDOW (widget);
  MwAddHostWizard *wizard = mw_add_host_wizard_new (GTK_WINDOW (self), self->connections, NULL);

  /* Same ending as the Add Connection dialog: select the new host and connect it. */
  g_signal_connect_object (wizard, "connection-added",
                           G_CALLBACK (on_add_dialog_connection_added_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (wizard));
}

MwImportDialog *
mw_window_offer_virt_manager (MwWindow *self,
                              gboolean  first_start)
{
  g_auto(GStrv) uris = NULL;
  g_auto(GStrv) autoconnect = NULL;
  MwImportDialog *dialog;

  g_return_val_if_fail (MW_IS_WINDOW (self), NULL);

  if (first_start && g_settings_get_boolean (self->settings, "virt-manager-offered"))
    return NULL;

  uris = mw_virt_manager_new_uris (self->connections, &autoconnect);
  if (uris == NULL || uris[0] == NULL)
    {
      if (!first_start)
        adw_toast_overlay_add_toast (self->toast_overlay,
                                     adw_toast_new (uris == NULL
                                                    ? _("Virtual Machine Manager is not installed.")
                                                    : _("Every connection of Virtual Machine "
                                                        "Manager is already listed.")));
      return NULL;
    }

  dialog = mw_import_dialog_new (GTK_WINDOW (self), self->connections,
                                 (const char * const *) uris, (const char * const *) autoconnect);
  g_settings_set_boolean (self->settings, "virt-manager-offered", TRUE);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
import_virt_manager_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  mw_window_offer_virt_manager (MW_WINDOW (widget), FALSE);
}

static void
host_setup_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  MwWindow *self = MW_WINDOW (widget);
  MwDomain *domain = mw_window_get_selected_domain (self);
  MwHostSetupWindow *setup;

  setup = mw_host_setup_window_new (GTK_WINDOW (self), self->connections,
                                    domain != NULL ? mw_domain_get_name (domain) : NULL);
  gtk_window_present (GTK_WINDOW (setup));
}

static void
evacuate_host_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  MwWindow *self = MW_WINDOW (widget);
  MwEvacuationWindow *evacuation;

  if (self->selected == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_("Select the host to evacuate in the sidebar "
                                                    "first.")));
      return;
    }
  evacuation = mw_evacuation_window_new (GTK_WINDOW (self), self->connections, self->selected);
  gtk_window_present (GTK_WINDOW (evacuation));
}

static void
connect_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  MwWindow *self = MW_WINDOW (widget);

  if (self->selected != NULL)
    mw_window_connect (self, self->selected);
}

static void
reconnect_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  MwWindow *self = MW_WINDOW (widget);
  MwConnection *connection = mw_connection_list_find (self->connections,
                                                      g_variant_get_string (parameter, NULL));

  if (connection != NULL)
    mw_window_connect (self, connection);
}

static void
disconnect_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  MwWindow *self = MW_WINDOW (widget);

  if (self->selected != NULL)
    mw_connection_disconnect (self->selected);
}

static void
on_password_forgotten_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Nothing stored is the usual case; a keyring that cannot be reached keeps nothing either. */
  if (!mw_secrets_clear_finish (result, &error) && error != NULL)
    g_debug ("The keyring did not forget the password: %s", error->message);
}

static void
on_credentials_forgotten_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!mw_secrets_clear_credentials_finish (result, &error) && error != NULL)
    g_debug ("The keyring did not forget the credentials: %s", error->message);
}

static void
remove_connection_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  MwWindow *self = MW_WINDOW (widget);
  g_autoptr(MwConnection) connection = NULL;
  g_autoptr(MwSshTarget) login = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (self->selected == NULL)
    return;

  connection = g_object_ref (self->selected);
  title = g_strdup_printf (_("Removed %s"), mw_connection_get_title (connection));
  mw_window_cancel_connect (self, connection);
  mw_connection_disconnect (connection);
  mw_connection_list_remove (self->connections, connection);
  /* A password the Add Remote Host wizard remembered for this login goes with it. */
  login = mw_secrets_login_for_uri (mw_connection_get_uri (connection));
  if (login != NULL)
    mw_secrets_clear_async (login, NULL, on_password_forgotten_cb, NULL);
  /* So do the libvirt credentials remembered in the credentials dialog. */
  mw_secrets_clear_credentials_async (mw_connection_get_uri (connection), NULL,
                                      on_credentials_forgotten_cb, NULL);

  toast = adw_toast_new (title);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  MwWindow *self = MW_WINDOW (widget);

  gtk_toggle_button_set_active (self->search_button, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
show_sidebar_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  adw_leaflet_navigate (MW_WINDOW (widget)->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
migrate_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  MwWindow *self = MW_WINDOW (widget);
  MwDomain *domain = mw_window_get_selected_domain (self);

  if (domain != NULL)
    mw_window_open_migration (self, domain, NULL);
}

static void
domain_menu_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  MwWindow *self = MW_WINDOW (widget);
  guint position = gtk_single_selection_get_selected (self->selection);
  GtkWidget *cell;
  graphene_rect_t bounds;

  if (position == GTK_INVALID_LIST_POSITION)
    return;

  /* From the keyboard: point at the selected row's first cell. */
  cell = mw_window_find_cell_child (GTK_WIDGET (self->domain_view), position);
  if (cell != NULL && gtk_widget_compute_bounds (cell, GTK_WIDGET (self->domain_view), &bounds))
    mw_window_popup_domain_menu (self, &(GdkRectangle) { (int) bounds.origin.x,
                                               (int) bounds.origin.y,
                                               (int) bounds.size.width,
                                               (int) bounds.size.height });
  else
    mw_window_popup_domain_menu (self, NULL);
}


void
mw_window_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.add-connection", NULL, add_connection_action);
  gtk_widget_class_install_action (widget_class, "win.add-host", NULL, add_host_action);
  gtk_widget_class_install_action (widget_class, "win.connect", NULL, connect_action);
  gtk_widget_class_install_action (widget_class, "win.reconnect", "s", reconnect_action);
  gtk_widget_class_install_action (widget_class, "win.disconnect", NULL, disconnect_action);
  gtk_widget_class_install_action (widget_class, "win.remove-connection", NULL,
                                   remove_connection_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL, show_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.migrate", NULL, migrate_action);
  gtk_widget_class_install_action (widget_class, "win.domain-menu", NULL, domain_menu_action);
  gtk_widget_class_install_action (widget_class, "win.host-setup", NULL, host_setup_action);
  gtk_widget_class_install_action (widget_class, "win.import-virt-manager", NULL,
                                   import_virt_manager_action);
  gtk_widget_class_install_action (widget_class, "win.evacuate-host", NULL, evacuate_host_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.add-connection", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.add-host", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.connect", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.disconnect", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, GDK_CONTROL_MASK,
                                       "win.remove-connection", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, GDK_CONTROL_MASK, "win.migrate",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.evacuate-host", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK,
                                       "settings.sort-by", "s", "name");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_CONTROL_MASK,
                                       "settings.sort-by", "s", "state");

}
