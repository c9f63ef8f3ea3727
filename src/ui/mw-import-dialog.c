/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-import-dialog.c: adds the connections chosen from Virtual Machine Manager's list.
 *
 * All rows start checked: the user already keeps these connections, so the usual answer is to
 * take them all, and each can still be left out with one click. The adding itself is
 * MwConnectionAdder's, as for the Add Connection dialog. */
#include "config.h"

#include "mw-import-dialog.h"
#include "mw-uri.h"

struct _MwImportDialog
{
  MwConnectionAdder parent_instance;

  /* Template widgets */
  AdwPreferencesGroup *group;
  GtkLabel *message_label;

  /* Owned */
  GStrv uris;
  GStrv autoconnect;
  GPtrArray *checks;   /* GtkCheckButton, one per uri, same order (borrowed from the rows) */
};

G_DEFINE_FINAL_TYPE (MwImportDialog, mw_import_dialog, MW_TYPE_CONNECTION_ADDER)

enum {
  PROP_0,
  PROP_URIS,
  PROP_AUTOCONNECT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

MwImportDialog *
mw_import_dialog_new (GtkWindow          *parent,
                      MwConnectionList   *connections,
                      const char * const *uris,
                      const char * const *autoconnect)
{
  g_return_val_if_fail (uris != NULL && uris[0] != NULL, NULL);

  return g_object_new (MW_TYPE_IMPORT_DIALOG,
                       "transient-for", parent,
                       "connections", connections,
                       "uris", uris,
                       "autoconnect", autoconnect,
                       NULL);
}

const char * const *
mw_import_dialog_get_uris (MwImportDialog *self)
{
  g_return_val_if_fail (MW_IS_IMPORT_DIALOG (self), NULL);

  return (const char * const *) self->uris;
}

static int
uri_index (MwImportDialog *self,
           const char     *uri)
{
  for (guint i = 0; self->uris[i] != NULL; i++)
    if (g_str_equal (self->uris[i], uri))
      return (int) i;
  return -1;
}

gboolean
mw_import_dialog_set_chosen (MwImportDialog *self,
                             const char     *uri,
                             gboolean        chosen)
{
  int i;

  g_return_val_if_fail (MW_IS_IMPORT_DIALOG (self), FALSE);
  g_return_val_if_fail (uri != NULL, FALSE);

  i = uri_index (self, uri);
  if (i < 0)
    return FALSE;
  gtk_check_button_set_active (g_ptr_array_index (self->checks, i), chosen);
  return TRUE;
}

static void
update_add_action (MwImportDialog *self)
{
  gboolean any = FALSE;

  for (guint i = 0; i < self->checks->len; i++)
    any = any || gtk_check_button_get_active (g_ptr_array_index (self->checks, i));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.add", any);
}

static void
add_row (MwImportDialog *self,
         const char     *uri)
{
  g_autofree char *title = mw_uri_get_title (uri);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), uri);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  g_signal_connect_object (check, "toggled", G_CALLBACK (update_add_action), self,
                           G_CONNECT_SWAPPED);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  adw_preferences_group_add (self->group, row);
  g_ptr_array_add (self->checks, check);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  MwImportDialog *self = MW_IMPORT_DIALOG (widget);
  MwConnectionAdder *adder = MW_CONNECTION_ADDER (self);
  g_autoptr(GString) refused = g_string_new (NULL);

  for (guint i = 0; self->uris[i] != NULL; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->checks, i);
      gboolean autoconnect;
      g_autoptr(GError) error = NULL;

      if (!gtk_check_button_get_active (check))
        continue;
      autoconnect = self->autoconnect != NULL &&
                    g_strv_contains ((const char * const *) self->autoconnect, self->uris[i]);
      if (mw_connection_adder_add_uri (adder, self->uris[i], autoconnect, &error))
        {
          /* Added: its row goes, so a second Add after a refusal cannot repeat it. */
          gtk_check_button_set_active (check, FALSE);
          gtk_widget_set_sensitive (gtk_widget_get_ancestor (GTK_WIDGET (check),
                                                             ADW_TYPE_ACTION_ROW), FALSE);
        }
      else
        g_string_append_printf (refused, "%s%s", refused->len > 0 ? "\n" : "", error->message);
    }

  mw_connection_list_autoconnect (mw_connection_adder_get_connections (adder));
  if (refused->len > 0)
    {
      mw_connection_adder_set_message (adder, refused->str, "error");
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
}

static void
mw_import_dialog_constructed (GObject *object)
{
  MwImportDialog *self = MW_IMPORT_DIALOG (object);

  G_OBJECT_CLASS (mw_import_dialog_parent_class)->constructed (object);

  g_assert (self->uris != NULL);
  for (guint i = 0; self->uris[i] != NULL; i++)
    add_row (self, self->uris[i]);
  update_add_action (self);
}

static void
mw_import_dialog_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MwImportDialog *self = MW_IMPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_URIS:
      g_value_set_boxed (value, self->uris);
      break;
    case PROP_AUTOCONNECT:
      g_value_set_boxed (value, self->autoconnect);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_import_dialog_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  MwImportDialog *self = MW_IMPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_URIS:
      self->uris = g_value_dup_boxed (value);
      break;
    case PROP_AUTOCONNECT:
      self->autoconnect = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_import_dialog_dispose (GObject *object)
{
  MwImportDialog *self = MW_IMPORT_DIALOG (object);

  g_clear_pointer (&self->checks, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_IMPORT_DIALOG);

  G_OBJECT_CLASS (mw_import_dialog_parent_class)->dispose (object);
}

static void
mw_import_dialog_finalize (GObject *object)
{
  MwImportDialog *self = MW_IMPORT_DIALOG (object);

  g_strfreev (self->uris);
  g_strfreev (self->autoconnect);

  G_OBJECT_CLASS (mw_import_dialog_parent_class)->finalize (object);
}

static void
mw_import_dialog_class_init (MwImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = mw_import_dialog_constructed;
  object_class->dispose = mw_import_dialog_dispose;
  object_class->finalize = mw_import_dialog_finalize;
  object_class->get_property = mw_import_dialog_get_property;
  object_class->set_property = mw_import_dialog_set_property;

  properties[PROP_URIS] =
    g_param_spec_boxed ("uris", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUTOCONNECT] =
    g_param_spec_boxed ("autoconnect", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/MigWizard/mw-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MwImportDialog, group);
  gtk_widget_class_bind_template_child (widget_class, MwImportDialog, message_label);

  gtk_widget_class_install_action (widget_class, "import.add", NULL, add_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mw_import_dialog_init (MwImportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->checks = g_ptr_array_new ();
  mw_connection_adder_set_message_label (MW_CONNECTION_ADDER (self), self->message_label);
}
