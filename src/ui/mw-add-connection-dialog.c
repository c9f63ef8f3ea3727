/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-add-connection-dialog.c: builds a libvirt URI from a few plain choices, shows it as it is
 * typed, and names what is wrong with the input before anything is tried. */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-add-connection-dialog.h"
#include "mw-uri.h"

struct _MwAddConnectionDialog
{
  MwConnectionAdder parent_instance;

  /* Template widgets */
  GtkWidget *add_button;
  AdwComboRow *hypervisor_row;
  AdwComboRow *transport_row;
  AdwEntryRow *user_row;
  AdwEntryRow *host_row;
  AdwEntryRow *port_row;
  GtkSwitch *autoconnect_switch;
  GtkLabel *uri_label;
  GtkLabel *message_label;
};

G_DEFINE_FINAL_TYPE (MwAddConnectionDialog, mw_add_connection_dialog, MW_TYPE_CONNECTION_ADDER)

MwAddConnectionDialog *
mw_add_connection_dialog_new (GtkWindow        *parent,
                              MwConnectionList *connections)
{
  return g_object_new (MW_TYPE_ADD_CONNECTION_DIALOG,
                       "transient-for", parent,
                       "connections", connections,
                       NULL);
}

const char *
mw_add_connection_dialog_get_uri (MwAddConnectionDialog *self)
{
  g_return_val_if_fail (MW_IS_ADD_CONNECTION_DIALOG (self), NULL);

  return mw_connection_adder_get_uri (MW_CONNECTION_ADDER (self));
}

const char *
mw_add_connection_dialog_get_message (MwAddConnectionDialog *self)
{
  g_return_val_if_fail (MW_IS_ADD_CONNECTION_DIALOG (self), NULL);

  return mw_connection_adder_get_message (MW_CONNECTION_ADDER (self));
}

static void
set_message (MwAddConnectionDialog *self,
             const char            *message,
             const char            *style)
{
  mw_connection_adder_set_message (MW_CONNECTION_ADDER (self), message, style);
}

static void
mark_row (GtkWidget *row,
          gboolean   bad)
{
  if (bad)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
}

static void
on_field_changed_cb (MwAddConnectionDialog *self)
{
  MwTransport transport = adw_combo_row_get_selected (self->transport_row);
  MwHypervisor hypervisor = adw_combo_row_get_selected (self->hypervisor_row);
  gboolean remote = transport != MW_TRANSPORT_LOCAL;
  const char *host = gtk_editable_get_text (GTK_EDITABLE (self->host_row));
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  guint port = 0;

  gtk_widget_set_visible (GTK_WIDGET (self->user_row), remote);
  gtk_widget_set_visible (GTK_WIDGET (self->host_row), remote);
  gtk_widget_set_visible (GTK_WIDGET (self->port_row), remote);

  if (!remote || mw_uri_parse_port (gtk_editable_get_text (GTK_EDITABLE (self->port_row)), &port,
                                    &error))
    uri = mw_uri_build (hypervisor, transport,
                        remote ? gtk_editable_get_text (GTK_EDITABLE (self->user_row)) : NULL,
                        remote ? host : NULL,
                        remote ? port : 0,
                        &error);

  mark_row (GTK_WIDGET (self->user_row), error && g_error_matches (error, MW_URI_ERROR, MW_URI_ERROR_USER));
  mark_row (GTK_WIDGET (self->host_row), error && g_error_matches (error, MW_URI_ERROR, MW_URI_ERROR_HOST));
  mark_row (GTK_WIDGET (self->port_row), error && g_error_matches (error, MW_URI_ERROR, MW_URI_ERROR_PORT));

  gtk_label_set_text (self->uri_label, uri ? uri : "—");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.add", uri != NULL);

  if (error != NULL)
    /* An empty host is where everyone starts: a hint, not an error. */
    set_message (self, error->message,
                 g_error_matches (error, MW_URI_ERROR, MW_URI_ERROR_NEEDS_HOST) && *host == '\0'
                   ? "dim-label" : "error");
  else if (transport == MW_TRANSPORT_TCP)
    set_message (self, _("TCP sends everything unencrypted and, as usually set up "
                         "(auth_tcp = \"none\"), lets anyone on the network control the host. "
                         "Use it only on an isolated lab network; prefer SSH or TLS."),
                 "warning");
  else
    set_message (self, NULL, NULL);

  mw_connection_adder_take_uri (MW_CONNECTION_ADDER (self), g_steal_pointer (&uri));
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  MwAddConnectionDialog *self = MW_ADD_CONNECTION_DIALOG (widget);
  g_autoptr(GError) error = NULL;

  if (mw_connection_adder_get_uri (MW_CONNECTION_ADDER (self)) == NULL)
    return;

  if (!mw_connection_adder_add (MW_CONNECTION_ADDER (self),
                                gtk_switch_get_active (self->autoconnect_switch), &error))
    set_message (self, error->message, "error");
}

static void
mw_add_connection_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), MW_TYPE_ADD_CONNECTION_DIALOG);

  G_OBJECT_CLASS (mw_add_connection_dialog_parent_class)->dispose (object);
}

static void
mw_add_connection_dialog_class_init (MwAddConnectionDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_add_connection_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/MigWizard/mw-add-connection-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MwAddConnectionDialog, add_button);
  gtk_widget_class_bind_template_child (widget_class, MwAddConnectionDialog, hypervisor_row);
  gtk_widget_class_bind_template_child (widget_class, MwAddConnectionDialog, transport_row);
  gtk_widget_class_bind_template_child (widget_class, MwAddConnectionDialog, user_row);
  gtk_widget_class_bind_template_child (widget_class, MwAddConnectionDialog, host_row);
  gtk_widget_class_bind_template_child (widget_class, MwAddConnectionDialog, port_row);
  gtk_widget_class_bind_template_child (widget_class, MwAddConnectionDialog, autoconnect_switch);
  gtk_widget_class_bind_template_child (widget_class, MwAddConnectionDialog, uri_label);
  gtk_widget_class_bind_template_child (widget_class, MwAddConnectionDialog, message_label);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed_cb);

  gtk_widget_class_install_action (widget_class, "dialog.add", NULL, add_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mw_add_connection_dialog_init (MwAddConnectionDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  mw_connection_adder_set_message_label (MW_CONNECTION_ADDER (self), self->message_label);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->add_button);
  on_field_changed_cb (self);
}
