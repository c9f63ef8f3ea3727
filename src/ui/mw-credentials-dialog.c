/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-credentials-dialog.c: the rows are made from the request's fields; answers stay in the
 * entries (GtkPasswordEntry keeps a password in non-pageable memory) until fill copies them. */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-credentials-dialog.h"

struct _MwCredentialsDialog
{
  AdwWindow parent_instance;

  /* Template widgets */
  GtkLabel *uri_label;
  GtkLabel *problem_label;
  GtkListBox *fields_list;
  GtkCheckButton *remember_check;

  /* Owned */
  GPtrArray *rows;        /* an AdwEntryRow per field, in the request's order */
  gboolean finished;      /* "finished" was emitted */
};

G_DEFINE_FINAL_TYPE (MwCredentialsDialog, mw_credentials_dialog, ADW_TYPE_WINDOW)

enum
{
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
finish (MwCredentialsDialog *self,
        gboolean             accepted)
{
  if (self->finished)
    return;
  self->finished = TRUE;
  g_signal_emit (self, signals[FINISHED], 0, accepted);
}

static void
connect_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  finish (MW_CREDENTIALS_DIALOG (widget), TRUE);
  gtk_window_destroy (GTK_WINDOW (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  finish (MW_CREDENTIALS_DIALOG (widget), FALSE);
  gtk_window_destroy (GTK_WINDOW (widget));
}

static gboolean
mw_credentials_dialog_close_request (GtkWindow *window)
{
  finish (MW_CREDENTIALS_DIALOG (window), FALSE);
  return GTK_WINDOW_CLASS (mw_credentials_dialog_parent_class)->close_request (window);
}

/* Enter in a row goes to the next empty one, and connects from the last. */
static void
on_row_entry_activated_cb (MwCredentialsDialog *self,
                           AdwEntryRow         *row)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *next = g_ptr_array_index (self->rows, i);
      const char *text = gtk_editable_get_text (GTK_EDITABLE (next));

      if (next != GTK_WIDGET (row) && (text == NULL || *text == '\0'))
        {
          gtk_widget_grab_focus (next);
          return;
        }
    }
  gtk_widget_activate_action (GTK_WIDGET (self), "credentials.connect", NULL);
}

static const char *
row_title (const MwCredentialField *field)
{
  switch (field->kind)
    {
    case MW_CREDENTIAL_USERNAME:
      return _("_Username");
    case MW_CREDENTIAL_PASSWORD:
      return _("_Password");
    case MW_CREDENTIAL_REALM:
      return _("R_ealm");
    case MW_CREDENTIAL_PROMPT:
    case MW_CREDENTIAL_SECRET_PROMPT:
    default:
      /* libvirt's (or the SASL mechanism's) own words. */
      return field->prompt;
    }
}

static void
add_row (MwCredentialsDialog     *self,
         const MwCredentialField *field)
{
  GtkWidget *row;

  if (mw_credential_kind_is_secret (field->kind))
    row = adw_password_entry_row_new ();
  else
    row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), row_title (field));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row),
                                         field->kind != MW_CREDENTIAL_PROMPT
                                         && field->kind != MW_CREDENTIAL_SECRET_PROMPT);
  if (field->value != NULL && !mw_credential_kind_is_secret (field->kind))
    gtk_editable_set_text (GTK_EDITABLE (row), field->value);
  g_signal_connect_object (row, "entry-activated", G_CALLBACK (on_row_entry_activated_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_list_box_append (self->fields_list, row);
  g_ptr_array_add (self->rows, row);
}

MwCredentialsDialog *
mw_credentials_dialog_new (GtkWindow                 *parent,
                           const MwCredentialRequest *request)
{
  MwCredentialsDialog *self;
  g_autofree char *text = NULL;
  GtkWidget *first_empty = NULL;

  g_return_val_if_fail (request != NULL, NULL);

  self = g_object_new (MW_TYPE_CREDENTIALS_DIALOG, "transient-for", parent, NULL);
  /* Translators: %s is a libvirt connection URI, e.g. qemu+tcp://10.0.0.3/system */
  text = g_strdup_printf (_("The host asks for your credentials to open %s."), request->uri);
  gtk_label_set_text (self->uri_label, text);
  if (request->problem != NULL)
    {
      gtk_label_set_text (self->problem_label, request->problem);
      gtk_widget_set_visible (GTK_WIDGET (self->problem_label), TRUE);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  request->problem != NULL ? request->problem : text, -1);

  for (guint i = 0; i < request->fields->len; i++)
    add_row (self, &g_array_index (request->fields, MwCredentialField, i));
  gtk_check_button_set_active (self->remember_check, request->remember);

  for (guint i = 0; i < self->rows->len && first_empty == NULL; i++)
    {
      const char *value = gtk_editable_get_text (g_ptr_array_index (self->rows, i));

      if (value == NULL || *value == '\0')
        first_empty = g_ptr_array_index (self->rows, i);
    }
  if (first_empty != NULL)
    gtk_window_set_focus (GTK_WINDOW (self), first_empty);
  return self;
}

void
mw_credentials_dialog_fill (MwCredentialsDialog *self,
                            MwCredentialRequest *request)
{
  g_return_if_fail (MW_IS_CREDENTIALS_DIALOG (self));
  g_return_if_fail (request != NULL && request->fields->len == self->rows->len);

  for (guint i = 0; i < self->rows->len; i++)
    mw_credential_request_set_value (request, i,
                                     gtk_editable_get_text (g_ptr_array_index (self->rows, i)));
  request->remember = gtk_check_button_get_active (self->remember_check);
}

guint
mw_credentials_dialog_get_n_rows (MwCredentialsDialog *self)
{
  g_return_val_if_fail (MW_IS_CREDENTIALS_DIALOG (self), 0);

  return self->rows->len;
}

GtkEditable *
mw_credentials_dialog_get_row (MwCredentialsDialog *self,
                               guint                i)
{
  g_return_val_if_fail (MW_IS_CREDENTIALS_DIALOG (self), NULL);
  g_return_val_if_fail (i < self->rows->len, NULL);

  return g_ptr_array_index (self->rows, i);
}

const char *
mw_credentials_dialog_get_problem (MwCredentialsDialog *self)
{
  g_return_val_if_fail (MW_IS_CREDENTIALS_DIALOG (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->problem_label))
           ? gtk_label_get_text (self->problem_label) : NULL;
}

static void
mw_credentials_dialog_dispose (GObject *object)
{
  MwCredentialsDialog *self = MW_CREDENTIALS_DIALOG (object);

  /* Destroyed with its parent, unanswered: whoever waits hears "no". */
  finish (self, FALSE);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_CREDENTIALS_DIALOG);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (mw_credentials_dialog_parent_class)->dispose (object);
}

static void
mw_credentials_dialog_class_init (MwCredentialsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = mw_credentials_dialog_dispose;
  window_class->close_request = mw_credentials_dialog_close_request;

  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/MigWizard/mw-credentials-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MwCredentialsDialog, uri_label);
  gtk_widget_class_bind_template_child (widget_class, MwCredentialsDialog, problem_label);
  gtk_widget_class_bind_template_child (widget_class, MwCredentialsDialog, fields_list);
  gtk_widget_class_bind_template_child (widget_class, MwCredentialsDialog, remember_check);

  gtk_widget_class_install_action (widget_class, "credentials.connect", NULL, connect_action);
  gtk_widget_class_install_action (widget_class, "credentials.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "credentials.cancel",
                                       NULL);
}

static void
mw_credentials_dialog_init (MwCredentialsDialog *self)
{
  self->rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
