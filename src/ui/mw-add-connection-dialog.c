/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-add-connection-dialog.c: builds a libvirt URI from a few plain choices, shows it as it is
 * typed, and names everything that is wrong with the input before anything is tried. A whole URI
 * pasted into the User or Host row is spread over the rows. */
#include "config.h"

#include <string.h>

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
  AdwEntryRow *parameters_row;
  GtkSwitch *autoconnect_switch;
  GtkLabel *uri_label;
  GtkLabel *message_label;

  /* Owned */
  char *node_path;     /* a pasted test driver URI's node file, while the test driver is chosen */
  gboolean filling;    /* the rows are being set from a pasted URI */
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

/* The query of a libvirt URI as the Parameters row takes it: name=value pairs joined with '&',
 * values without spaces, quotes or what would end the URI. "" is valid (none). */
static gboolean
validate_parameters (const char  *text,
                     GError     **error)
{
  g_auto(GStrv) pairs = NULL;
  gboolean valid = TRUE;

  if (*text == '\0')
    return TRUE;

  pairs = g_strsplit (text, "&", -1);
  for (guint i = 0; valid && pairs[i] != NULL; i++)
    {
      const char *equals = strchr (pairs[i], '=');
      const char *p;

      if (equals == NULL || equals == pairs[i])
        {
          valid = FALSE;
          break;
        }
      for (p = pairs[i]; p < equals; p++)
        valid = valid && (g_ascii_isalnum (*p) || *p == '_');
      for (p = equals + 1; *p != '\0'; p++)
        valid = valid && g_ascii_isgraph (*p) && strchr ("#?\"'`\\", *p) == NULL;
    }
  if (valid)
    {
      /* The same refusal as for a whole URI: nothing that turns host-key checking off or names
       * a program to run. */
      g_autofree char *query = g_strconcat ("?", text, NULL);

      return mw_uri_check_query (query, error);
    }

  g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_SYNTAX,
                       _("Parameters are name=value pairs joined with “&”, such as "
                         "keyfile=/home/me/.ssh/id_ed25519."));
  return FALSE;
}

/* A whole URI pasted (or typed) into the User or Host row: its parts go to the rows they map to,
 * its query to the Parameters row, a test driver's node file is kept. FALSE when text is not a
 * URI; TRUE when it was one, with error set when it cannot be read (the text then stays). */
static gboolean
take_pasted_uri (MwAddConnectionDialog  *self,
                 AdwEntryRow            *row,
                 GError                **error)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  g_autoptr(MwUri) uri = NULL;
  g_autofree char *port = NULL;

  if (strstr (text, "://") == NULL)
    return FALSE;

  uri = mw_uri_parse (text, error);
  if (uri == NULL)
    return TRUE;

  self->filling = TRUE;
  g_clear_pointer (&self->node_path, g_free);
  if (uri->hypervisor == MW_HYPERVISOR_TEST && g_strcmp0 (uri->path, "/default") != 0)
    self->node_path = g_strdup (uri->path);
  port = uri->port != 0 ? g_strdup_printf ("%u", uri->port) : g_strdup ("");
  adw_combo_row_set_selected (self->hypervisor_row, uri->hypervisor);
  adw_combo_row_set_selected (self->transport_row, uri->transport);
  gtk_editable_set_text (GTK_EDITABLE (self->user_row), uri->user != NULL ? uri->user : "");
  gtk_editable_set_text (GTK_EDITABLE (self->host_row), uri->host != NULL ? uri->host : "");
  gtk_editable_set_text (GTK_EDITABLE (self->port_row), port);
  gtk_editable_set_text (GTK_EDITABLE (self->parameters_row),
                         uri->query != NULL ? uri->query : "");
  self->filling = FALSE;

  return TRUE;
}

/* built (taken) with the Parameters row's query and a kept node file. */
static char *
add_extras (MwAddConnectionDialog  *self,
            char                   *built,
            const char             *parameters,
            GError                **error)
{
  g_autofree char *owned = built;
  g_autoptr(MwUri) uri = NULL;

  if (*parameters == '\0' && self->node_path == NULL)
    return g_steal_pointer (&owned);

  uri = mw_uri_parse (owned, error);
  if (uri == NULL)
    return NULL;
  if (self->node_path != NULL)
    {
      g_free (uri->path);
      uri->path = g_strdup (self->node_path);
    }
  g_free (uri->query);
  uri->query = *parameters != '\0' ? g_strdup (parameters) : NULL;

  return mw_uri_to_string (uri);
}

static void
add_problem (GString      *problems,
             const GError *error)
{
  if (error == NULL)
    return;
  if (problems->len > 0)
    g_string_append_c (problems, '\n');
  g_string_append (problems, error->message);
}

/* Each field is checked on its own, so every problem shows at once: each bad row is marked,
 * and its sentence listed under the fields. */
static void
on_field_changed_cb (MwAddConnectionDialog *self)
{
  MwTransport transport;
  MwHypervisor hypervisor;
  gboolean remote;
  const char *user;
  const char *host;
  const char *parameters;
  AdwEntryRow *pasted_row = NULL;
  g_autoptr(GError) pasted_error = NULL;
  g_autoptr(GError) user_error = NULL;
  g_autoptr(GError) host_error = NULL;
  g_autoptr(GError) port_error = NULL;
  g_autoptr(GError) parameters_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autofree char *uri = NULL;
  guint port = 0;

  if (self->filling)
    return;

  /* A URI pasted into the User or Host row fills the rows; then they are checked as typed. */
  if (take_pasted_uri (self, self->host_row, &pasted_error))
    pasted_row = self->host_row;
  else if (take_pasted_uri (self, self->user_row, &pasted_error))
    pasted_row = self->user_row;

  transport = adw_combo_row_get_selected (self->transport_row);
  hypervisor = adw_combo_row_get_selected (self->hypervisor_row);
  remote = transport != MW_TRANSPORT_LOCAL;
  user = gtk_editable_get_text (GTK_EDITABLE (self->user_row));
  host = gtk_editable_get_text (GTK_EDITABLE (self->host_row));
  parameters = gtk_editable_get_text (GTK_EDITABLE (self->parameters_row));
  if (hypervisor != MW_HYPERVISOR_TEST)
    g_clear_pointer (&self->node_path, g_free);

  gtk_widget_set_visible (GTK_WIDGET (self->user_row), remote);
  gtk_widget_set_visible (GTK_WIDGET (self->host_row), remote);
  gtk_widget_set_visible (GTK_WIDGET (self->port_row), remote);
  gtk_widget_set_visible (GTK_WIDGET (self->parameters_row), remote || *parameters != '\0');

  if (pasted_error == NULL)
    {
      if (remote)
        {
          mw_uri_validate_user (user, &user_error);
          /* An empty host is where everyone starts: a hint below, not an error. */
          if (*host != '\0')
            mw_uri_validate_host (host, &host_error);
          mw_uri_parse_port (gtk_editable_get_text (GTK_EDITABLE (self->port_row)), &port,
                             &port_error);
        }
      validate_parameters (parameters, &parameters_error);
    }

  if (pasted_error == NULL && user_error == NULL && host_error == NULL && port_error == NULL
      && parameters_error == NULL)
    {
      uri = mw_uri_build (hypervisor, transport, remote ? user : NULL, remote ? host : NULL,
                          remote ? port : 0, &error);
      if (uri != NULL)
        uri = add_extras (self, g_steal_pointer (&uri), parameters, &error);
    }

  if (pasted_error == NULL)
    pasted_row = NULL;
  mark_row (GTK_WIDGET (self->user_row), user_error != NULL || pasted_row == self->user_row);
  mark_row (GTK_WIDGET (self->host_row), host_error != NULL || pasted_row == self->host_row);
  mark_row (GTK_WIDGET (self->port_row), port_error != NULL);
  mark_row (GTK_WIDGET (self->parameters_row), parameters_error != NULL);

  gtk_label_set_text (self->uri_label, uri ? uri : "—");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.add", uri != NULL);

  add_problem (problems, pasted_error);
  add_problem (problems, user_error);
  add_problem (problems, host_error);
  add_problem (problems, port_error);
  add_problem (problems, parameters_error);
  if (problems->len == 0 && error != NULL
      && !g_error_matches (error, MW_URI_ERROR, MW_URI_ERROR_NEEDS_HOST))
    add_problem (problems, error);

  if (problems->len > 0)
    set_message (self, problems->str, "error");
  else if (error != NULL)
    set_message (self, error->message, "dim-label");
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
mw_add_connection_dialog_finalize (GObject *object)
{
  MwAddConnectionDialog *self = MW_ADD_CONNECTION_DIALOG (object);

  g_free (self->node_path);

  G_OBJECT_CLASS (mw_add_connection_dialog_parent_class)->finalize (object);
}

static void
mw_add_connection_dialog_class_init (MwAddConnectionDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_add_connection_dialog_dispose;
  object_class->finalize = mw_add_connection_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/MigWizard/mw-add-connection-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MwAddConnectionDialog, add_button);
  gtk_widget_class_bind_template_child (widget_class, MwAddConnectionDialog, hypervisor_row);
  gtk_widget_class_bind_template_child (widget_class, MwAddConnectionDialog, transport_row);
  gtk_widget_class_bind_template_child (widget_class, MwAddConnectionDialog, user_row);
  gtk_widget_class_bind_template_child (widget_class, MwAddConnectionDialog, host_row);
  gtk_widget_class_bind_template_child (widget_class, MwAddConnectionDialog, port_row);
  gtk_widget_class_bind_template_child (widget_class, MwAddConnectionDialog, parameters_row);
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
