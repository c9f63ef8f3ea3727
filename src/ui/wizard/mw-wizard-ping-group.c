/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-wizard-ping-group.c: the guest address entry, its discovery through libvirt (a worker in
 * mw-domain-address.c; dispose cancels it, so its callback never outlives the group) and the
 * description under it. */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-domain-address.h"
#include "mw-wizard-ping-group.h"

struct _MwWizardPingGroup
{
  AdwPreferencesGroup parent_instance;

  /* Template widgets */
  AdwEntryRow *ping_row;
  GtkSpinner *ping_spinner;

  /* Owned */
  MwMigrationPlan *plan;
  GCancellable *cancellable;         /* cancelled when the group goes */
  char *discovered_for;              /* destination URI the discovery ran for */

  gboolean ping_edited;              /* the user typed an address: discovery keeps off it */
  gboolean setting_ping;
};

G_DEFINE_FINAL_TYPE (MwWizardPingGroup, mw_wizard_ping_group, ADW_TYPE_PREFERENCES_GROUP)

enum
{
  PROP_0,
  PROP_PLAN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
is_address (const char *text)
{
  g_autoptr(GInetAddress) address = text ? g_inet_address_new_from_string (text) : NULL;

  return address != NULL;
}

static void
set_ping_text (MwWizardPingGroup *self,
               const char        *text)
{
  self->setting_ping = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->ping_row), text ? text : "");
  self->setting_ping = FALSE;
}

static void
show_ping_text (MwWizardPingGroup *self)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (self);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->ping_row));
  gboolean bad = *text != '\0' && !is_address (text);

  if (bad)
    gtk_widget_add_css_class (GTK_WIDGET (self->ping_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->ping_row), "error");

  if (bad)
    adw_preferences_group_set_description (group,
                                           _("Not an IPv4 or IPv6 address: nothing will be "
                                             "pinged."));
  else if (*text == '\0')
    adw_preferences_group_set_description (group,
                                           _("Without an address nothing is pinged, and the "
                                             "outage the guest sees is not measured."));
  else if (self->setting_ping)
    adw_preferences_group_set_description (group,
                                           _("Found by libvirt (DHCP lease, ARP table or guest "
                                             "agent). Pinged ten times a second while it "
                                             "moves."));
  else
    adw_preferences_group_set_description (group,
                                           _("Pinged ten times a second while it moves."));
}

static void
on_ping_row_changed_cb (MwWizardPingGroup *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->ping_row));

  if (!self->setting_ping)
    self->ping_edited = TRUE;

  show_ping_text (self);
  if (self->plan != NULL)
    mw_migration_plan_set_ping_address (self->plan, is_address (text) ? text : NULL);
}

static void
on_discover_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  MwWizardPingGroup *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = mw_domain_discover_address_finish (result, &error);

  /* Cancelled by dispose: self may be gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_stop (self->ping_spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->ping_spinner), FALSE);

  if (self->ping_edited)
    return;

  if (address != NULL)
    set_ping_text (self, address);
  show_ping_text (self);
  if (address == NULL)
    {
      /* Translators: %s says what was tried; the user can still type the address */
      g_autofree char *text = g_strdup_printf (_("%s Type the guest’s address to ping it."),
                                               error->message);

      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self), text);
    }
}

void
mw_wizard_ping_group_discover (MwWizardPingGroup *self)
{
  MwConnection *source, *destination;
  MwDomain *domain;
  const char *dest_uri;

  g_return_if_fail (MW_IS_WIZARD_PING_GROUP (self));
  g_return_if_fail (self->plan != NULL);

  source = mw_migration_plan_get_source (self->plan);
  destination = mw_migration_plan_get_destination (self->plan);
  domain = mw_migration_plan_get_domain (self->plan);
  if (destination == NULL || !mw_domain_is_active (domain) || self->ping_edited)
    return;

  dest_uri = mw_connection_get_uri (destination);
  if (g_strcmp0 (self->discovered_for, dest_uri) == 0)
    return;

  g_free (self->discovered_for);
  self->discovered_for = g_strdup (dest_uri);

  gtk_widget_set_visible (GTK_WIDGET (self->ping_spinner), TRUE);
  gtk_spinner_start (self->ping_spinner);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                         _("Asking libvirt for the guest’s address…"));
  mw_domain_discover_address_async (mw_connection_get_uri (source), mw_domain_get_name (domain),
                                    self->cancellable, on_discover_cb, self);
}

MwMigrationPlan *
mw_wizard_ping_group_get_plan (MwWizardPingGroup *self)
{
  g_return_val_if_fail (MW_IS_WIZARD_PING_GROUP (self), NULL);

  return self->plan;
}

void
mw_wizard_ping_group_set_plan (MwWizardPingGroup *self,
                               MwMigrationPlan   *plan)
{
  g_return_if_fail (MW_IS_WIZARD_PING_GROUP (self));
  g_return_if_fail (plan == NULL || MW_IS_MIGRATION_PLAN (plan));

  if (!g_set_object (&self->plan, plan))
    return;

  if (plan != NULL)
    set_ping_text (self, mw_migration_plan_get_ping_address (plan));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAN]);
}

/* ---- class ---------------------------------------------------------------------------------- */

static void
mw_wizard_ping_group_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  MwWizardPingGroup *self = MW_WIZARD_PING_GROUP (object);

  switch (prop_id)
    {
    case PROP_PLAN:
      g_value_set_object (value, self->plan);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_wizard_ping_group_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  MwWizardPingGroup *self = MW_WIZARD_PING_GROUP (object);

  switch (prop_id)
    {
    case PROP_PLAN:
      mw_wizard_ping_group_set_plan (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_wizard_ping_group_dispose (GObject *object)
{
  MwWizardPingGroup *self = MW_WIZARD_PING_GROUP (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_WIZARD_PING_GROUP);
  g_clear_object (&self->plan);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (mw_wizard_ping_group_parent_class)->dispose (object);
}

static void
mw_wizard_ping_group_finalize (GObject *object)
{
  MwWizardPingGroup *self = MW_WIZARD_PING_GROUP (object);

  g_free (self->discovered_for);

  G_OBJECT_CLASS (mw_wizard_ping_group_parent_class)->finalize (object);
}

static void
mw_wizard_ping_group_class_init (MwWizardPingGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = mw_wizard_ping_group_get_property;
  object_class->set_property = mw_wizard_ping_group_set_property;
  object_class->dispose = mw_wizard_ping_group_dispose;
  object_class->finalize = mw_wizard_ping_group_finalize;

  properties[PROP_PLAN] =
    g_param_spec_object ("plan", NULL, NULL, MW_TYPE_MIGRATION_PLAN,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/com/example/MigWizard/wizard/"
                                               "mw-wizard-ping-group.ui");
  gtk_widget_class_bind_template_child (widget_class, MwWizardPingGroup, ping_row);
  gtk_widget_class_bind_template_child (widget_class, MwWizardPingGroup, ping_spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_ping_row_changed_cb);
}

static void
mw_wizard_ping_group_init (MwWizardPingGroup *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  /* What an empty entry means, before anything was asked or typed. */
  show_ping_text (self);
}
