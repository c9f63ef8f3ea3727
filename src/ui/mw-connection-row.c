/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-connection-row.c: a connection in the sidebar: what it is, its state, and why it failed.
 * Its context menu (right click, Menu key, Shift+F10) offers the window's connection actions,
 * which act on the selected row; opening the menu selects this row first. */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-connection-row.h"
#include "mw-uri.h"

struct _MwConnectionRow
{
  GtkListBoxRow parent_instance;

  /* Template widgets */
  GtkImage *icon;
  GtkLabel *title_label;
  GtkLabel *subtitle_label;
  GtkSpinner *spinner;
  GtkImage *status_icon;
  GtkPopoverMenu *context_menu;

  /* Owned */
  MwConnection *connection;
};

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MwConnectionRow, mw_connection_row, GTK_TYPE_LIST_BOX_ROW)

MwConnectionRow *
mw_connection_row_new (MwConnection *connection)
{
  return g_object_new (MW_TYPE_CONNECTION_ROW, "connection", connection, NULL);
}

MwConnection *
mw_connection_row_get_connection (MwConnectionRow *self)
{
  g_return_val_if_fail (MW_IS_CONNECTION_ROW (self), NULL);

  return self->connection;
}

static void
update (MwConnectionRow *self)
{
  MwConnectionState state = mw_connection_get_state (self->connection);
  const char *reason = mw_connection_get_error_message (self->connection);
  guint n = g_list_model_get_n_items (mw_connection_get_domains (self->connection));
  g_autofree char *subtitle = NULL;
  const char *status_icon = NULL;

  switch (state)
    {
    case MW_CONNECTION_STATE_CONNECTING:
      subtitle = g_strdup (_("Connecting…"));
      break;
    case MW_CONNECTION_STATE_CONNECTED:
      subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u domain", "%u domains", n), n);
      break;
    case MW_CONNECTION_STATE_FAILED:
      subtitle = g_strdup (_("Failed"));
      status_icon = "dialog-error-symbolic";
      break;
    case MW_CONNECTION_STATE_DISCONNECTED:
    default:
      subtitle = g_strdup (reason ? _("Connection lost") : _("Not connected"));
      if (reason != NULL)
        status_icon = "network-offline-symbolic";
      break;
    }

  gtk_label_set_text (self->subtitle_label, subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), state == MW_CONNECTION_STATE_CONNECTING);
  gtk_spinner_set_spinning (self->spinner, state == MW_CONNECTION_STATE_CONNECTING);
  gtk_widget_set_visible (GTK_WIDGET (self->status_icon), status_icon != NULL);
  if (status_icon != NULL)
    gtk_image_set_from_icon_name (self->status_icon, status_icon);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), reason ? reason : mw_connection_get_uri (self->connection));
  gtk_widget_set_opacity (GTK_WIDGET (self->icon), state == MW_CONNECTION_STATE_CONNECTED ? 1.0 : 0.55);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle,
                                  -1);
}

static void
on_domains_items_changed_cb (MwConnectionRow *self)
{
  update (self);
}

static void
popup_menu (MwConnectionRow *self,
            double           x,
            double           y)
{
  GtkWidget *list = gtk_widget_get_parent (GTK_WIDGET (self));

  if (GTK_IS_LIST_BOX (list))
    gtk_list_box_select_row (GTK_LIST_BOX (list), GTK_LIST_BOX_ROW (self));

  if (x >= 0)
    gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu),
                                 &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  else
    gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu), NULL);
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

static void
on_click_pressed_cb (GtkGestureClick *gesture,
                     int              n_press,
                     double           x,
                     double           y,
                     MwConnectionRow *self)
{
  popup_menu (self, x, y);
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
menu_popup_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  popup_menu (MW_CONNECTION_ROW (widget), -1, -1);
}

static void
mw_connection_row_constructed (GObject *object)
{
  MwConnectionRow *self = MW_CONNECTION_ROW (object);
  const char *uri = mw_connection_get_uri (self->connection);

  G_OBJECT_CLASS (mw_connection_row_parent_class)->constructed (object);

  gtk_label_set_text (self->title_label, mw_connection_get_title (self->connection));
  gtk_image_set_from_icon_name (self->icon,
                                mw_uri_is_demo (uri) ? "applications-science-symbolic"
                                : mw_uri_is_remote (uri) ? "network-server-symbolic"
                                : "computer-symbolic");

  g_signal_connect_object (self->connection, "notify::state", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->connection, "notify::error-message", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (mw_connection_get_domains (self->connection), "items-changed",
                           G_CALLBACK (on_domains_items_changed_cb), self, G_CONNECT_SWAPPED);
  update (self);
}

static void
mw_connection_row_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  MwConnectionRow *self = MW_CONNECTION_ROW (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_connection_row_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  MwConnectionRow *self = MW_CONNECTION_ROW (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_connection_row_dispose (GObject *object)
{
  MwConnectionRow *self = MW_CONNECTION_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_CONNECTION_ROW);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (mw_connection_row_parent_class)->dispose (object);
}

static void
mw_connection_row_class_init (MwConnectionRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = mw_connection_row_constructed;
  object_class->dispose = mw_connection_row_dispose;
  object_class->get_property = mw_connection_row_get_property;
  object_class->set_property = mw_connection_row_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, MW_TYPE_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/MigWizard/mw-connection-row.ui");
  gtk_widget_class_bind_template_child (widget_class, MwConnectionRow, icon);
  gtk_widget_class_bind_template_child (widget_class, MwConnectionRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, MwConnectionRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, MwConnectionRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, MwConnectionRow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, MwConnectionRow, context_menu);

  gtk_widget_class_install_action (widget_class, "row.menu", NULL, menu_popup_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "row.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "row.menu", NULL);
}

static void
mw_connection_row_init (MwConnectionRow *self)
{
  GtkGesture *click;

  gtk_widget_init_template (GTK_WIDGET (self));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_click_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}
