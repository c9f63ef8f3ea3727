/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-evacuation-setup-page.c: destinations, order and limits of an evacuation. Main thread.
 *
 * The destinations are the other connections as they were when the page was made: the plan
 * opens its own connections, so a destination need not be connected here. */
#include "config.h"

#include "mw-evacuation-setup-page.h"

struct _MwEvacuationSetupPage
{
  AdwBin parent_instance;

  /* Template widgets */
  GtkListBox *destinations_list;
  AdwPreferencesGroup *order_group;
  AdwComboRow *order_row;
  GtkSpinButton *parallel_spin;
  GtkSpinButton *bandwidth_spin;

  /* Owned */
  GPtrArray *uris;                    /* char *, one per check button */
  GPtrArray *checks;                  /* GtkCheckButton, borrowed from the list */
  char *order_description;            /* the group's, as the template has it (translated) */

  gboolean parallel_touched;          /* the user set it: no longer follows the destinations */
  gboolean setting_parallel;
};

G_DEFINE_FINAL_TYPE (MwEvacuationSetupPage, mw_evacuation_setup_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_VALID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static guint
count_chosen (MwEvacuationSetupPage *self)
{
  guint n = 0;

  for (guint i = 0; i < self->checks->len; i++)
    n += gtk_check_button_get_active (g_ptr_array_index (self->checks, i));
  return n;
}

static void
on_destination_toggled_cb (MwEvacuationSetupPage *self)
{
  guint n = count_chosen (self);

  /* One migration per link until the user says otherwise. */
  if (!self->parallel_touched && n > 0)
    {
      self->setting_parallel = TRUE;
      gtk_spin_button_set_value (self->parallel_spin, n);
      self->setting_parallel = FALSE;
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
}

static void
on_parallel_changed_cb (MwEvacuationSetupPage *self)
{
  if (!self->setting_parallel)
    self->parallel_touched = TRUE;
}

/* The plan page has a priority per guest only when the order is by priority: the group says
 * so then, and nothing otherwise. */
static void
on_order_changed_cb (MwEvacuationSetupPage *self)
{
  if (self->order_description == NULL)
    self->order_description =
      g_strdup (adw_preferences_group_get_description (self->order_group));
  adw_preferences_group_set_description (self->order_group,
                                         adw_combo_row_get_selected (self->order_row)
                                         == MW_EVACUATION_ORDER_PRIORITY
                                         ? self->order_description : NULL);
}

static void
add_destination (MwEvacuationSetupPage *self,
                 MwConnection          *connection)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();

  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), mw_connection_get_title (connection));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), mw_connection_get_uri (connection));
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  mw_connection_get_title (connection), -1);
  g_signal_connect_swapped (check, "toggled", G_CALLBACK (on_destination_toggled_cb), self);
  gtk_list_box_append (self->destinations_list, row);
  g_ptr_array_add (self->uris, g_strdup (mw_connection_get_uri (connection)));
  g_ptr_array_add (self->checks, check);
}

static void
mw_evacuation_setup_page_dispose (GObject *object)
{
  MwEvacuationSetupPage *self = MW_EVACUATION_SETUP_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_EVACUATION_SETUP_PAGE);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  G_OBJECT_CLASS (mw_evacuation_setup_page_parent_class)->dispose (object);
}

static void
mw_evacuation_setup_page_finalize (GObject *object)
{
  MwEvacuationSetupPage *self = MW_EVACUATION_SETUP_PAGE (object);

  g_ptr_array_unref (self->uris);
  g_free (self->order_description);
  G_OBJECT_CLASS (mw_evacuation_setup_page_parent_class)->finalize (object);
}

static void
mw_evacuation_setup_page_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  MwEvacuationSetupPage *self = MW_EVACUATION_SETUP_PAGE (object);

  switch (prop_id)
    {
    case PROP_VALID:
      g_value_set_boolean (value, mw_evacuation_setup_page_get_valid (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_evacuation_setup_page_class_init (MwEvacuationSetupPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_evacuation_setup_page_dispose;
  object_class->finalize = mw_evacuation_setup_page_finalize;
  object_class->get_property = mw_evacuation_setup_page_get_property;

  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/com/example/MigWizard/evacuation/"
                                               "mw-evacuation-setup-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MwEvacuationSetupPage, destinations_list);
  gtk_widget_class_bind_template_child (widget_class, MwEvacuationSetupPage, order_group);
  gtk_widget_class_bind_template_child (widget_class, MwEvacuationSetupPage, order_row);
  gtk_widget_class_bind_template_child (widget_class, MwEvacuationSetupPage, parallel_spin);
  gtk_widget_class_bind_template_child (widget_class, MwEvacuationSetupPage, bandwidth_spin);
  gtk_widget_class_bind_template_callback (widget_class, on_parallel_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_order_changed_cb);
}

static void
mw_evacuation_setup_page_init (MwEvacuationSetupPage *self)
{
  self->uris = g_ptr_array_new_with_free_func (g_free);
  self->checks = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
mw_evacuation_setup_page_new (MwConnectionList *connections,
                              MwConnection     *source)
{
  MwEvacuationSetupPage *self = g_object_new (MW_TYPE_EVACUATION_SETUP_PAGE, NULL);
  GListModel *model = G_LIST_MODEL (connections);

  g_return_val_if_fail (MW_IS_CONNECTION_LIST (connections), NULL);
  g_return_val_if_fail (MW_IS_CONNECTION (source), NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(MwConnection) connection = g_list_model_get_item (model, i);

      if (g_strcmp0 (mw_connection_get_uri (connection), mw_connection_get_uri (source)) != 0)
        add_destination (self, connection);
    }
  /* The only other host is the obvious choice. */
  if (self->checks->len == 1)
    gtk_check_button_set_active (g_ptr_array_index (self->checks, 0), TRUE);
  return GTK_WIDGET (self);
}

gboolean
mw_evacuation_setup_page_get_valid (MwEvacuationSetupPage *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_SETUP_PAGE (self), FALSE);
  return count_chosen (self) > 0;
}

GStrv
mw_evacuation_setup_page_dup_destinations (MwEvacuationSetupPage *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (MW_IS_EVACUATION_SETUP_PAGE (self), NULL);
  for (guint i = 0; i < self->checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->checks, i)))
      g_strv_builder_add (builder, g_ptr_array_index (self->uris, i));
  return g_strv_builder_end (builder);
}

gboolean
mw_evacuation_setup_page_set_destination (MwEvacuationSetupPage *self,
                                          const char            *uri,
                                          gboolean               chosen)
{
  g_return_val_if_fail (MW_IS_EVACUATION_SETUP_PAGE (self), FALSE);
  g_return_val_if_fail (uri != NULL, FALSE);

  for (guint i = 0; i < self->uris->len; i++)
    if (g_str_equal (g_ptr_array_index (self->uris, i), uri))
      {
        gtk_check_button_set_active (g_ptr_array_index (self->checks, i), chosen);
        return TRUE;
      }
  return FALSE;
}

MwEvacuationOrder
mw_evacuation_setup_page_get_order (MwEvacuationSetupPage *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_SETUP_PAGE (self), MW_EVACUATION_ORDER_PRIORITY);
  /* The rows are in the enum's order. */
  return (MwEvacuationOrder) adw_combo_row_get_selected (self->order_row);
}

void
mw_evacuation_setup_page_set_order (MwEvacuationSetupPage *self,
                                    MwEvacuationOrder      order)
{
  g_return_if_fail (MW_IS_EVACUATION_SETUP_PAGE (self));
  adw_combo_row_set_selected (self->order_row, order);
}

guint
mw_evacuation_setup_page_get_parallel (MwEvacuationSetupPage *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_SETUP_PAGE (self), 1);
  return (guint) gtk_spin_button_get_value_as_int (self->parallel_spin);
}

void
mw_evacuation_setup_page_set_parallel (MwEvacuationSetupPage *self,
                                       guint                  parallel)
{
  g_return_if_fail (MW_IS_EVACUATION_SETUP_PAGE (self));
  gtk_spin_button_set_value (self->parallel_spin, parallel);
}

guint
mw_evacuation_setup_page_get_bandwidth (MwEvacuationSetupPage *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_SETUP_PAGE (self), 0);
  return (guint) gtk_spin_button_get_value_as_int (self->bandwidth_spin);
}

void
mw_evacuation_setup_page_set_bandwidth (MwEvacuationSetupPage *self,
                                        guint                  mib_s)
{
  g_return_if_fail (MW_IS_EVACUATION_SETUP_PAGE (self));
  gtk_spin_button_set_value (self->bandwidth_spin, mib_s);
}
