/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-wizard-destination-page.c: the destination list, rebuilt from the connections whenever one
 * of them (its state, host name or domains) changes, and the radio the user picks written into
 * the plan. */
#include "config.h"

#include <glib/gi18n.h>

#include <adwaita.h>

#include "mw-wizard-destination-page.h"

struct _MwWizardDestinationPage
{
  MwWizardPage parent_instance;

  /* Template widgets */
  AdwActionRow *domain_row;
  AdwPreferencesGroup *destination_group;
  GtkListBox *destination_list;

  /* Borrowed */
  GtkCheckButton *radio_group;       /* first destination radio, the group leader */

  gboolean syncing;                  /* the page itself changes the plan's destination */
};

G_DEFINE_FINAL_TYPE (MwWizardDestinationPage, mw_wizard_destination_page, MW_TYPE_WIZARD_PAGE)

static void
set_destination (MwWizardDestinationPage *self,
                 MwConnection            *destination)
{
  self->syncing = TRUE;
  mw_migration_plan_set_destination (mw_wizard_page_get_plan (MW_WIZARD_PAGE (self)), destination);
  self->syncing = FALSE;
}

static void
on_destination_toggled_cb (GtkCheckButton          *check,
                           MwWizardDestinationPage *self)
{
  MwMigrationPlan *plan = mw_wizard_page_get_plan (MW_WIZARD_PAGE (self));
  MwConnection *connection = g_object_get_data (G_OBJECT (check), "mw-connection");

  if (gtk_check_button_get_active (check))
    set_destination (self, connection);
  else if (mw_migration_plan_get_destination (plan) == connection)
    set_destination (self, NULL);
}

static GtkWidget *
create_destination_row (MwWizardDestinationPage *self,
                        MwConnection            *connection)
{
  MwMigrationPlan *plan = mw_wizard_page_get_plan (MW_WIZARD_PAGE (self));
  g_autofree char *reason = mw_migration_plan_get_unusable_reason (plan, connection);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();
  const char *hostname = mw_connection_get_hostname (connection);
  g_autofree char *subtitle = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), mw_connection_get_title (connection));
  if (reason != NULL)
    subtitle = g_markup_escape_text (reason, -1);
  else if (hostname != NULL && !mw_migration_plan_is_test_connection (connection))
    /* Translators: "hostb · qemu+ssh://root@hostb/system" */
    subtitle = g_markup_printf_escaped (_("%s · %s"), hostname, mw_connection_get_uri (connection));
  else
    subtitle = g_markup_escape_text (mw_connection_get_uri (connection), -1);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  g_object_set_data_full (G_OBJECT (check), "mw-connection", g_object_ref (connection),
                          g_object_unref);
  g_object_set_data_full (G_OBJECT (row), "mw-connection", g_object_ref (connection),
                          g_object_unref);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  if (self->radio_group == NULL)
    self->radio_group = GTK_CHECK_BUTTON (check);
  else
    gtk_check_button_set_group (GTK_CHECK_BUTTON (check), self->radio_group);

  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  gtk_widget_set_sensitive (row, reason == NULL);
  if (reason != NULL)
    gtk_widget_add_css_class (row, "unusable");

  if (reason == NULL && connection == mw_migration_plan_get_destination (plan))
    gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  g_signal_connect (check, "toggled", G_CALLBACK (on_destination_toggled_cb), self);

  return row;
}

/* Rows are rebuilt rather than patched: the list is short and reasons depend on both ends. */
static void
rebuild_destinations (MwWizardDestinationPage *self)
{
  MwMigrationPlan *plan = mw_wizard_page_get_plan (MW_WIZARD_PAGE (self));
  MwConnection *destination = mw_migration_plan_get_destination (plan);
  GListModel *model = G_LIST_MODEL (mw_migration_plan_get_connections (plan));
  guint n = g_list_model_get_n_items (model);
  GtkWidget *child;
  gboolean any_usable = FALSE;
  gboolean any_connected = FALSE;

  /* The chosen destination stays chosen while it can still be used, and for good once the
   * migration started: the guest arriving there makes it "unusable" (the guest is there now),
   * and the live and result pages must still name it. */
  if (destination != NULL && mw_migration_plan_get_job (plan) == NULL)
    {
      g_autofree char *reason = mw_migration_plan_get_unusable_reason (plan, destination);

      if (reason != NULL)
        set_destination (self, NULL);
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->destination_list))) != NULL)
    gtk_list_box_remove (self->destination_list, child);
  self->radio_group = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MwConnection) connection = g_list_model_get_item (model, i);
      GtkWidget *row = create_destination_row (self, connection);

      any_usable |= gtk_widget_get_sensitive (row);
      any_connected |= connection != mw_migration_plan_get_source (plan)
                       && mw_connection_get_state (connection) == MW_CONNECTION_STATE_CONNECTED;
      gtk_list_box_append (self->destination_list, row);
    }

  /* A connected host can still refuse it (the same name defined there, another hypervisor…):
   * connecting one more is then not the only way, and the reason is on its row. */
  if (!any_usable && any_connected)
    adw_preferences_group_set_description (self->destination_group,
                                           _("No other host can take it now: each host says why "
                                             "below."));
  else if (!any_usable)
    adw_preferences_group_set_description (self->destination_group,
                                           _("No other host can take it now. Connect to another "
                                             "host of the same kind in the main window."));
  else
    adw_preferences_group_set_description (self->destination_group, NULL);
}

static void
on_plan_destination_cb (MwWizardDestinationPage *self)
{
  /* Chosen from outside the list (the command line's --to): show it chosen. */
  if (!self->syncing)
    rebuild_destinations (self);
  mw_wizard_page_revalidate (MW_WIZARD_PAGE (self));
}

static void
watch_connection (MwWizardDestinationPage *self,
                  MwConnection            *connection)
{
  g_signal_connect_object (connection, "notify::state", G_CALLBACK (rebuild_destinations),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (connection, "notify::hostname", G_CALLBACK (rebuild_destinations),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (mw_connection_get_domains (connection), "items-changed",
                           G_CALLBACK (rebuild_destinations), self, G_CONNECT_SWAPPED);
}

static void
on_connections_items_changed_cb (MwWizardDestinationPage *self,
                                 guint                    position,
                                 guint                    removed,
                                 guint                    added,
                                 GListModel              *model)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(MwConnection) connection = g_list_model_get_item (model, i);

      watch_connection (self, connection);
    }
  rebuild_destinations (self);
}

static void
show_domain (MwWizardDestinationPage *self)
{
  MwMigrationPlan *plan = mw_wizard_page_get_plan (MW_WIZARD_PAGE (self));
  MwDomain *domain = mw_migration_plan_get_domain (plan);
  g_autofree char *memory = NULL;
  g_autofree char *details = NULL;

  memory = g_format_size_full (mw_domain_get_memory_kib (domain) * 1024, G_FORMAT_SIZE_IEC_UNITS);
  /* Translators: "Running · 2 vCPUs · 4.0 GiB · on Demo: hosta" */
  details = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u vCPU · %s · on %s",
                                          "%s · %u vCPUs · %s · on %s",
                                          mw_domain_get_vcpus (domain)),
                             mw_domain_state_to_string (mw_domain_get_state (domain)),
                             mw_domain_get_vcpus (domain), memory,
                             mw_migration_plan_get_source_title (plan));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->domain_row),
                                 mw_domain_get_name (domain));
  adw_action_row_set_subtitle (self->domain_row, details);
}

/* ---- MwWizardPage --------------------------------------------------------------------------- */

static gboolean
mw_wizard_destination_page_validate (MwWizardPage  *page,
                                     char         **reason)
{
  return mw_migration_plan_get_destination (mw_wizard_page_get_plan (page)) != NULL;
}

/* ---- class ---------------------------------------------------------------------------------- */

static void
mw_wizard_destination_page_constructed (GObject *object)
{
  MwWizardDestinationPage *self = MW_WIZARD_DESTINATION_PAGE (object);
  MwMigrationPlan *plan;
  GListModel *model;

  G_OBJECT_CLASS (mw_wizard_destination_page_parent_class)->constructed (object);

  plan = mw_wizard_page_get_plan (MW_WIZARD_PAGE (self));
  model = G_LIST_MODEL (mw_migration_plan_get_connections (plan));
  show_domain (self);
  g_signal_connect_object (plan, "notify::destination", G_CALLBACK (on_plan_destination_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (model, "items-changed", G_CALLBACK (on_connections_items_changed_cb),
                           self, G_CONNECT_SWAPPED);
  on_connections_items_changed_cb (self, 0, 0, g_list_model_get_n_items (model), model);
  mw_wizard_page_revalidate (MW_WIZARD_PAGE (self));
}

static void
mw_wizard_destination_page_class_init (MwWizardDestinationPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  MwWizardPageClass *page_class = MW_WIZARD_PAGE_CLASS (klass);

  object_class->constructed = mw_wizard_destination_page_constructed;
  page_class->validate = mw_wizard_destination_page_validate;

  gtk_widget_class_set_template_from_resource (widget_class, "/com/example/MigWizard/wizard/"
                                               "mw-wizard-destination-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MwWizardDestinationPage, domain_row);
  gtk_widget_class_bind_template_child (widget_class, MwWizardDestinationPage, destination_group);
  gtk_widget_class_bind_template_child (widget_class, MwWizardDestinationPage, destination_list);
}

static void
mw_wizard_destination_page_init (MwWizardDestinationPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
