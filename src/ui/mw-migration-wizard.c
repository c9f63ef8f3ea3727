/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-wizard.c: the pages, the options they build, and the job they drive.
 *
 * Before Migrate the wizard holds only a copy of the options and the chosen destination; the
 * options page reads every widget into that copy on each change (one direction, no loops),
 * and shows what the core says of it: explain () under each row, validate () in the banner
 * (blocking Next), the warnings, and to_virsh_text (). Migrate creates the MwMigrationJob and
 * binds the live page to it; `finished` fills the result page from the job's checked result. */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-core-enums.h"
#include "mw-migration-chart.h"
#include "mw-domain-address.h"
#include "mw-migration-wizard.h"
#include "mw-preflight-view.h"
#include "mw-ping-strip.h"
#include "mw-uri.h"

static const char *page_names[] = { "destination", "options", "checks", "live", "result" };
/* The steps the user walks through before the migration runs. */
#define N_STEPS 3

struct _MwMigrationWizard
{
  AdwWindow parent_instance;

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkWidget *cancel_button;
  GtkWidget *back_button;
  GtkWidget *abort_button;
  GtkWidget *next_button;
  GtkWidget *migrate_button;
  GtkWidget *close_button;
  GtkWidget *postcopy_button;
  GtkWidget *save_button;
  GtkStack *stack;
  AdwActionRow *domain_row;
  AdwPreferencesGroup *destination_group;
  GtkListBox *destination_list;
  GtkRevealer *options_banner;
  GtkWidget *options_banner_box;
  GtkImage *options_banner_icon;
  GtkLabel *options_banner_label;
  AdwActionRow *mode_row;
  GtkDropDown *mode_drop;
  AdwActionRow *persistence_row;
  GtkDropDown *persistence_drop;
  AdwActionRow *storage_row;
  GtkDropDown *storage_drop;
  AdwActionRow *downtime_row;
  GtkSpinButton *downtime_spin;
  AdwActionRow *bandwidth_row;
  GtkSpinButton *bandwidth_spin;
  AdwActionRow *auto_converge_row;
  GtkSwitch *auto_converge_switch;
  AdwActionRow *postcopy_row;
  GtkSwitch *postcopy_switch;
  AdwActionRow *compression_row;
  GtkDropDown *compression_drop;
  AdwActionRow *connection_row;
  GtkDropDown *connection_drop;
  AdwActionRow *tls_row;
  GtkSwitch *tls_switch;
  AdwActionRow *unsafe_row;
  GtkSwitch *unsafe_switch;
  AdwPreferencesGroup *ping_group;
  AdwEntryRow *ping_row;
  GtkSpinner *ping_spinner;
  GtkLabel *virsh_label;
  GtkWidget *checks_box;
  AdwActionRow *summary_domain_row;
  AdwActionRow *summary_from_row;
  AdwActionRow *summary_to_row;
  AdwActionRow *summary_mode_row;
  AdwActionRow *summary_ping_row;
  MwMigrationLivePage *live_page;
  GtkImage *result_icon;
  GtkLabel *result_title;
  GtkLabel *result_summary;
  GtkListBox *facts_list;
  GtkFlowBox *figures_box;
  GtkWidget *advice_group;
  GtkLabel *advice_label;
  GtkWidget *result_chart_card;
  MwMigrationChart *result_chart;
  MwPingStrip *result_strip;
  GtkWidget *details_expander;
  GtkLabel *details_label;

  /* Owned */
  MwConnectionList *connections;
  MwDomain *domain;
  MwConnection *source;
  MwConnection *destination;
  MwMigrationOptions *options;
  char *virsh_text;
  char *validation_message;
  GCancellable *cancellable;         /* cancelled when the wizard goes */
  MwMigrationJob *job;
  char *discovered_for;              /* destination URI the discovery ran for */
  gboolean ping_edited;              /* the user typed an address: discovery keeps off it */
  gboolean transport_chosen;         /* the user picked the transport: defaults keep off it */
  gboolean setting_ping;
  gboolean syncing;
  GtkFileChooserNative *chooser;
  GtkCheckButton *radio_group;       /* first destination radio, the group leader */
  MwPreflight *preflight;            /* checks for the current destination and options */
  GtkWidget *preflight_view;         /* in checks_box */
};

G_DEFINE_FINAL_TYPE (MwMigrationWizard, mw_migration_wizard, ADW_TYPE_WINDOW)

static void update_actions (MwMigrationWizard *self);
static void write_options_to_widgets (MwMigrationWizard *self);
static void rebuild_destinations (MwMigrationWizard *self);

/* ---- small helpers -------------------------------------------------------------------------- */

static const char *
connection_title (MwConnection *connection)
{
  return connection ? mw_connection_get_title (connection) : _("the source");
}

static const char *
current_page (MwMigrationWizard *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

static guint
page_index (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    if (g_strcmp0 (page_names[i], name) == 0)
      return i;
  return 0;
}

static gboolean
job_is_active (MwMigrationWizard *self)
{
  if (self->job == NULL)
    return FALSE;

  switch (mw_migration_job_get_state (self->job))
    {
    case MW_MIGRATION_JOB_STATE_PREPARING:
    case MW_MIGRATION_JOB_STATE_RUNNING:
    case MW_MIGRATION_JOB_STATE_POSTCOPY:
    case MW_MIGRATION_JOB_STATE_VERIFYING:
      return TRUE;
    case MW_MIGRATION_JOB_STATE_READY:
    case MW_MIGRATION_JOB_STATE_SUCCEEDED:
    case MW_MIGRATION_JOB_STATE_FAILED:
    case MW_MIGRATION_JOB_STATE_CANCELLED:
    default:
      return FALSE;
    }
}

static void
toast (MwMigrationWizard *self,
       const char        *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/* ---- destination ---------------------------------------------------------------------------- */

static gboolean
same_hypervisor (const char *a,
                 const char *b,
                 char      **a_title,
                 char      **b_title)
{
  g_autoptr(MwUri) ua = mw_uri_parse (a, NULL);
  g_autoptr(MwUri) ub = mw_uri_parse (b, NULL);

  if (ua == NULL || ub == NULL || ua->hypervisor == ub->hypervisor)
    return TRUE;

  *a_title = mw_uri_get_title (a);
  *b_title = mw_uri_get_title (b);
  return FALSE;
}

static gboolean
is_test_driver (const char *uri)
{
  g_autoptr(MwUri) parsed = mw_uri_parse (uri, NULL);

  return parsed != NULL && parsed->hypervisor == MW_HYPERVISOR_TEST;
}

char *
mw_migration_wizard_get_unusable_reason (MwMigrationWizard *self,
                                         MwConnection      *candidate)
{
  const char *name;
  const char *here, *there;

  g_return_val_if_fail (MW_IS_MIGRATION_WIZARD (self), NULL);
  g_return_val_if_fail (MW_IS_CONNECTION (candidate), NULL);

  name = mw_domain_get_name (self->domain);

  if (candidate == self->source)
    /* Translators: %s is the domain's name */
    return g_strdup_printf (_("Source host: %s is here now"), name);

  switch (mw_connection_get_state (candidate))
    {
    case MW_CONNECTION_STATE_CONNECTING:
      return g_strdup (_("Not connected yet: connecting…"));
    case MW_CONNECTION_STATE_FAILED:
      if (mw_connection_get_error_message (candidate) != NULL)
        /* Translators: %s is libvirt's reason */
        return g_strdup_printf (_("Not connected: %s"),
                                mw_connection_get_error_message (candidate));
      return g_strdup (_("Not connected: connecting failed"));
    case MW_CONNECTION_STATE_DISCONNECTED:
      return g_strdup (_("Not connected: connect to it in the main window first"));
    case MW_CONNECTION_STATE_CONNECTED:
    default:
      break;
    }

  if (self->source != NULL)
    {
      g_autofree char *source_kind = NULL;
      g_autofree char *candidate_kind = NULL;

      if (!same_hypervisor (mw_connection_get_uri (self->source), mw_connection_get_uri (candidate),
                            &source_kind, &candidate_kind))
        /* Translators: "Different hypervisor: Xen here, QEMU/KVM on the source" */
        return g_strdup_printf (_("Different hypervisor: %s here, %s on the source"),
                                candidate_kind, source_kind);

      /* Each test-driver node stands for a machine of its own, whatever this host is called. */
      here = mw_connection_get_hostname (candidate);
      there = mw_connection_get_hostname (self->source);
      if (here != NULL && there != NULL && g_ascii_strcasecmp (here, there) == 0 &&
          !(is_test_driver (mw_connection_get_uri (candidate)) &&
            is_test_driver (mw_connection_get_uri (self->source))))
        /* Translators: %s is the host name both connections lead to */
        return g_strdup_printf (_("Same host as the source (%s): a migration needs another "
                                  "machine"), here);
    }

  if (mw_connection_find_domain (candidate, name) != NULL)
    /* Translators: %s is the domain's name */
    return g_strdup_printf (_("A domain named “%s” already exists there"), name);

  return NULL;
}

static void
on_destination_toggled_cb (GtkCheckButton    *check,
                           MwMigrationWizard *self)
{
  MwConnection *connection = g_object_get_data (G_OBJECT (check), "mw-connection");

  if (!gtk_check_button_get_active (check))
    {
      if (self->destination == connection)
        g_clear_object (&self->destination);
    }
  else
    g_set_object (&self->destination, connection);

  update_actions (self);
}

static GtkWidget *
create_destination_row (MwMigrationWizard *self,
                        MwConnection      *connection)
{
  g_autofree char *reason = mw_migration_wizard_get_unusable_reason (self, connection);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();
  const char *hostname = mw_connection_get_hostname (connection);
  g_autofree char *subtitle = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), mw_connection_get_title (connection));
  if (reason != NULL)
    subtitle = g_markup_escape_text (reason, -1);
  else if (hostname != NULL && !is_test_driver (mw_connection_get_uri (connection)))
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

  if (reason == NULL && connection == self->destination)
    gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  g_signal_connect (check, "toggled", G_CALLBACK (on_destination_toggled_cb), self);

  return row;
}

static void
rebuild_destinations (MwMigrationWizard *self)
{
  GListModel *model = G_LIST_MODEL (self->connections);
  guint n = g_list_model_get_n_items (model);
  GtkWidget *child;
  gboolean any_usable = FALSE;

  /* The chosen destination stays chosen while it can still be used, and for good once the
   * migration started: the guest arriving there makes it "unusable" (the guest is there now),
   * and the live and result pages must still name it. */
  if (self->destination != NULL && self->job == NULL)
    {
      g_autofree char *reason = mw_migration_wizard_get_unusable_reason (self, self->destination);

      if (reason != NULL)
        g_clear_object (&self->destination);
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->destination_list))) != NULL)
    gtk_list_box_remove (self->destination_list, child);
  self->radio_group = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MwConnection) connection = g_list_model_get_item (model, i);
      GtkWidget *row = create_destination_row (self, connection);

      any_usable |= gtk_widget_get_sensitive (row);
      gtk_list_box_append (self->destination_list, row);
    }

  if (!any_usable)
    adw_preferences_group_set_description (self->destination_group,
                                           _("No other host can take it now. Connect to another "
                                             "host of the same kind in the main window."));
  else
    adw_preferences_group_set_description (self->destination_group, NULL);

  update_actions (self);
}

static void
on_connection_changed_cb (MwMigrationWizard *self)
{
  /* Rows are rebuilt rather than patched: the list is short and reasons depend on both ends. */
  if (g_strcmp0 (current_page (self), "destination") == 0 || self->destination != NULL)
    rebuild_destinations (self);
}

static void
watch_connection (MwMigrationWizard *self,
                  MwConnection      *connection)
{
  g_signal_connect_object (connection, "notify::state", G_CALLBACK (on_connection_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (connection, "notify::hostname", G_CALLBACK (on_connection_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (mw_connection_get_domains (connection), "items-changed",
                           G_CALLBACK (on_connection_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
on_connections_items_changed_cb (MwMigrationWizard *self,
                                 guint              position,
                                 guint              removed,
                                 guint              added,
                                 GListModel        *model)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(MwConnection) connection = g_list_model_get_item (model, i);

      watch_connection (self, connection);
    }
  rebuild_destinations (self);
}

/* ---- options -------------------------------------------------------------------------------- */

static void
set_explanation (MwMigrationWizard *self,
                 gpointer           row,
                 MwMigrationOption  option)
{
  g_autofree char *escaped =
    g_markup_escape_text (mw_migration_options_explain (self->options, option), -1);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
}

static void
set_banner (MwMigrationWizard *self,
            const char        *text,
            const char        *style)
{
  gtk_widget_remove_css_class (self->options_banner_box, "error");
  gtk_widget_remove_css_class (self->options_banner_box, "warning");
  if (text != NULL)
    {
      gtk_widget_add_css_class (self->options_banner_box, style);
      gtk_image_set_from_icon_name (self->options_banner_icon,
                                    g_str_equal (style, "error") ? "dialog-error-symbolic"
                                                                 : "dialog-warning-symbolic");
      gtk_label_set_text (self->options_banner_label, text);
    }
  gtk_revealer_set_reveal_child (self->options_banner, text != NULL);
}

static void
read_options (MwMigrationWizard *self)
{
  MwMigrationOptions *o = self->options;

  o->mode = gtk_drop_down_get_selected (self->mode_drop);
  o->persistence = gtk_drop_down_get_selected (self->persistence_drop);
  o->storage = gtk_drop_down_get_selected (self->storage_drop);
  o->max_downtime_ms = (guint) gtk_spin_button_get_value_as_int (self->downtime_spin);
  o->bandwidth_mib_s = (guint) gtk_spin_button_get_value_as_int (self->bandwidth_spin);
  o->auto_converge = gtk_switch_get_active (self->auto_converge_switch);
  o->postcopy = gtk_switch_get_active (self->postcopy_switch);
  o->compression = gtk_drop_down_get_selected (self->compression_drop);
  o->connection = gtk_drop_down_get_selected (self->connection_drop);
  o->tls = gtk_switch_get_active (self->tls_switch);
  o->unsafe = gtk_switch_get_active (self->unsafe_switch);
}

static void
update_options (MwMigrationWizard *self)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) warnings = NULL;
  const char *dest_uri = self->destination ? mw_connection_get_uri (self->destination) : NULL;

  set_explanation (self, self->mode_row, MW_MIGRATION_OPTION_MODE);
  set_explanation (self, self->persistence_row, MW_MIGRATION_OPTION_PERSISTENCE);
  set_explanation (self, self->storage_row, MW_MIGRATION_OPTION_STORAGE);
  set_explanation (self, self->downtime_row, MW_MIGRATION_OPTION_MAX_DOWNTIME);
  set_explanation (self, self->bandwidth_row, MW_MIGRATION_OPTION_BANDWIDTH);
  set_explanation (self, self->auto_converge_row, MW_MIGRATION_OPTION_AUTO_CONVERGE);
  set_explanation (self, self->postcopy_row, MW_MIGRATION_OPTION_POSTCOPY);
  set_explanation (self, self->compression_row, MW_MIGRATION_OPTION_COMPRESSION);
  set_explanation (self, self->connection_row, MW_MIGRATION_OPTION_CONNECTION);
  set_explanation (self, self->tls_row, MW_MIGRATION_OPTION_TLS);
  set_explanation (self, self->unsafe_row, MW_MIGRATION_OPTION_UNSAFE);

  if (!mw_domain_is_active (self->domain))
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->mode_row),
                                 _("The domain is not running: only its definition can move."));

  g_clear_pointer (&self->validation_message, g_free);
  g_clear_pointer (&self->virsh_text, g_free);

  if (!mw_migration_options_validate (self->options, &error))
    self->validation_message = g_strdup (error->message);
  else if (dest_uri != NULL)
    {
      self->virsh_text = mw_migration_options_to_virsh_text (self->options,
                                                             mw_connection_get_uri (self->source),
                                                             mw_domain_get_name (self->domain),
                                                             dest_uri, &error);
      if (self->virsh_text == NULL)
        self->validation_message = g_strdup (error->message);
    }

  if (self->validation_message != NULL)
    set_banner (self, self->validation_message, "error");
  else if ((warnings = mw_migration_options_get_warnings (self->options)) != NULL &&
           warnings[0] != NULL)
    {
      g_autofree char *text = g_strjoinv ("\n", warnings);

      set_banner (self, text, "warning");
    }
  else
    set_banner (self, NULL, NULL);

  gtk_label_set_text (self->virsh_label, self->virsh_text ? self->virsh_text
                                                          : _("No command while the options "
                                                              "conflict."));
  update_actions (self);
}

static void
on_option_changed_cb (MwMigrationWizard *self)
{
  if (self->syncing)
    return;

  read_options (self);
  update_options (self);
}

static void
on_connection_option_changed_cb (MwMigrationWizard *self)
{
  if (!self->syncing)
    self->transport_chosen = TRUE;
  on_option_changed_cb (self);
}

/* Peer-to-peer (the default) needs a destination URI the source host can open; a local one
 * (the test driver, qemu:///system on this machine) only works managed by this app. */
static void
apply_destination_defaults (MwMigrationWizard *self)
{
  MwMigrationConnection connection;

  if (self->destination == NULL || self->transport_chosen)
    return;

  connection = mw_uri_is_remote (mw_connection_get_uri (self->destination))
                 ? MW_MIGRATION_CONNECTION_PEER_TO_PEER : MW_MIGRATION_CONNECTION_CLIENT;
  if (self->options->connection == connection)
    return;

  self->options->connection = connection;
  write_options_to_widgets (self);
}

static int
on_spin_input_cb (GtkSpinButton *spin,
                  double        *new_value)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  char *end = NULL;
  double value = g_ascii_strtod (text, &end);

  /* "Default" and "Unlimited" (and anything else that is not a number) mean 0. */
  *new_value = end != text ? MAX (value, 0) : 0;
  return TRUE;
}

static gboolean
on_spin_output_cb (GtkSpinButton *spin,
                   gpointer       user_data)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (gtk_widget_get_root (GTK_WIDGET (spin)));
  int value = gtk_spin_button_get_value_as_int (spin);
  g_autofree char *text = NULL;

  if (value == 0)
    text = g_strdup (spin == self->downtime_spin ? C_("downtime", "Default") : _("Unlimited"));
  else
    text = g_strdup_printf ("%d", value);

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (spin)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

static void
write_options_to_widgets (MwMigrationWizard *self)
{
  const MwMigrationOptions *o = self->options;

  self->syncing = TRUE;
  gtk_drop_down_set_selected (self->mode_drop, o->mode);
  gtk_drop_down_set_selected (self->persistence_drop, o->persistence);
  gtk_drop_down_set_selected (self->storage_drop, o->storage);
  gtk_spin_button_set_value (self->downtime_spin, o->max_downtime_ms);
  gtk_spin_button_set_value (self->bandwidth_spin, o->bandwidth_mib_s);
  gtk_switch_set_active (self->auto_converge_switch, o->auto_converge);
  gtk_switch_set_active (self->postcopy_switch, o->postcopy);
  gtk_drop_down_set_selected (self->compression_drop, o->compression);
  gtk_drop_down_set_selected (self->connection_drop, o->connection);
  gtk_switch_set_active (self->tls_switch, o->tls);
  gtk_switch_set_active (self->unsafe_switch, o->unsafe);
  self->syncing = FALSE;
}

/* ---- the guest's address -------------------------------------------------------------------- */

static gboolean
is_address (const char *text)
{
  g_autoptr(GInetAddress) address = text ? g_inet_address_new_from_string (text) : NULL;

  return address != NULL;
}

static void
set_ping_text (MwMigrationWizard *self,
               const char        *text)
{
  self->setting_ping = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->ping_row), text ? text : "");
  self->setting_ping = FALSE;
}

static void
on_ping_row_changed_cb (MwMigrationWizard *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->ping_row));
  gboolean bad = *text != '\0' && !is_address (text);

  if (!self->setting_ping)
    self->ping_edited = TRUE;

  if (bad)
    gtk_widget_add_css_class (GTK_WIDGET (self->ping_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->ping_row), "error");

  if (bad)
    adw_preferences_group_set_description (self->ping_group,
                                           _("Not an IPv4 or IPv6 address: nothing will be "
                                             "pinged."));
  else if (*text == '\0')
    adw_preferences_group_set_description (self->ping_group,
                                           _("Without an address nothing is pinged, and the "
                                             "outage the guest sees is not measured."));
  else if (self->setting_ping)
    adw_preferences_group_set_description (self->ping_group,
                                           _("Found by libvirt (DHCP lease, ARP table or guest "
                                             "agent). Pinged ten times a second while it "
                                             "moves."));
  else
    adw_preferences_group_set_description (self->ping_group,
                                           _("Pinged ten times a second while it moves."));
}

static void
on_discover_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  MwMigrationWizard *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = mw_domain_discover_address_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }

  gtk_spinner_stop (self->ping_spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->ping_spinner), FALSE);

  if (!self->ping_edited)
    {
      if (address != NULL)
        set_ping_text (self, address);
      on_ping_row_changed_cb (self);
      if (address == NULL)
        {
          /* Translators: %s says what was tried; the user can still type the address */
          g_autofree char *text = g_strdup_printf (_("%s Type the guest’s address to ping it."),
                                                   error->message);

          adw_preferences_group_set_description (self->ping_group, text);
        }
    }

  g_object_unref (self);
}

static void
discover_ping_address (MwMigrationWizard *self)
{
  const char *dest_uri;

  if (self->destination == NULL || !mw_domain_is_active (self->domain) || self->ping_edited)
    return;

  dest_uri = mw_connection_get_uri (self->destination);
  if (g_strcmp0 (self->discovered_for, dest_uri) == 0)
    return;

  g_free (self->discovered_for);
  self->discovered_for = g_strdup (dest_uri);

  gtk_widget_set_visible (GTK_WIDGET (self->ping_spinner), TRUE);
  gtk_spinner_start (self->ping_spinner);
  adw_preferences_group_set_description (self->ping_group,
                                         _("Asking libvirt for the guest’s address…"));
  mw_domain_discover_address_async (mw_connection_get_uri (self->source),
                                    mw_domain_get_name (self->domain), self->cancellable,
                                    on_discover_cb, g_object_ref (self));
}

/* ---- pages ---------------------------------------------------------------------------------- */

static void
set_summary (AdwActionRow *row,
             const char   *text)
{
  g_autofree char *escaped = g_markup_escape_text (text ? text : "", -1);

  adw_action_row_set_subtitle (row, escaped);
}

static void
update_checks_summary (MwMigrationWizard *self)
{
  const MwMigrationOptions *o = self->options;
  const char *ping = gtk_editable_get_text (GTK_EDITABLE (self->ping_row));
  g_autofree char *how = NULL;

  how = g_strdup_printf ("%s · %s · %s",
                         o->mode == MW_MIGRATION_MODE_LIVE ? _("Live") : _("Offline"),
                         o->persistence == MW_MIGRATION_PERSISTENCE_MOVE ? _("move for good")
                                                                         : _("temporary move"),
                         o->storage == MW_MIGRATION_STORAGE_SHARED ? _("shared storage")
                         : o->storage == MW_MIGRATION_STORAGE_COPY_ALL ? _("copy all disks")
                                                                       : _("copy changed disks"));
  set_summary (self->summary_domain_row, mw_domain_get_name (self->domain));
  set_summary (self->summary_from_row, connection_title (self->source));
  set_summary (self->summary_to_row, connection_title (self->destination));
  set_summary (self->summary_mode_row, how);
  set_summary (self->summary_ping_row, is_address (ping) ? ping : _("No ping"));
}

static void
on_preflight_changed_cb (MwMigrationWizard *self)
{
  update_actions (self);
}

static void
clear_preflight (MwMigrationWizard *self)
{
  if (self->preflight != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->preflight, self);
      mw_preflight_cancel (self->preflight);
    }
  if (self->preflight_view != NULL)
    gtk_box_remove (GTK_BOX (self->checks_box), self->preflight_view);
  self->preflight_view = NULL;
  g_clear_object (&self->preflight);
}

/* Checks run anew each time the page is shown: the destination or the options may have
 * changed, and so may the hosts. They run in workers; the list fills in as they finish. */
static void
run_preflight (MwMigrationWizard *self)
{
  if (self->destination == NULL || self->job != NULL)
    return;

  clear_preflight (self);
  self->preflight = mw_preflight_new (mw_connection_get_uri (self->source),
                                      mw_connection_get_uri (self->destination),
                                      mw_domain_get_name (self->domain), self->options);
  g_signal_connect_swapped (self->preflight, "notify::running",
                            G_CALLBACK (on_preflight_changed_cb), self);
  g_signal_connect_swapped (self->preflight, "notify::n-blocking",
                            G_CALLBACK (on_preflight_changed_cb), self);
  self->preflight_view = mw_preflight_view_new (self->preflight);
  gtk_box_append (GTK_BOX (self->checks_box), self->preflight_view);
  mw_preflight_run (self->preflight);
}

/* Migrate waits for the checks, and refuses while one blocks (a fix, or another option such as
 * unsafe or copy storage, clears it). */
static gboolean
preflight_allows_migration (MwMigrationWizard *self)
{
  return self->preflight != NULL &&
         !mw_preflight_get_running (self->preflight) &&
         mw_preflight_get_n_blocking (self->preflight) == 0;
}

static void
update_header (MwMigrationWizard *self)
{
  const char *page = current_page (self);
  guint index = page_index (page);
  const char *name = mw_domain_get_name (self->domain);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  GtkWidget *default_widget = NULL;

  if (index < N_STEPS)
    {
      const char *steps[] = { N_("Destination"), N_("Options"), N_("Checks") };

      /* Translators: %s is the domain's name */
      title = g_strdup_printf (_("Migrate %s"), name);
      /* Translators: "Step 1 of 3: Destination" */
      subtitle = g_strdup_printf (_("Step %u of %u: %s"), index + 1, N_STEPS, _(steps[index]));
    }
  else if (g_str_equal (page, "live"))
    {
      title = g_strdup_printf (_("Migrating %s"), name);
      /* Translators: "Demo: hosta → Demo: hostb" */
      subtitle = g_strdup_printf (_("%s → %s"), connection_title (self->source),
                                  connection_title (self->destination));
    }
  else
    {
      title = g_strdup (name);
      subtitle = g_strdup_printf (_("%s → %s"), connection_title (self->source),
                                  connection_title (self->destination));
    }

  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_window_set_title (GTK_WINDOW (self), title);

  gtk_widget_set_visible (self->cancel_button, index < N_STEPS);
  gtk_widget_set_visible (self->back_button, index > 0 && index < N_STEPS);
  gtk_widget_set_visible (self->next_button, index < N_STEPS - 1);
  gtk_widget_set_visible (self->migrate_button, index == N_STEPS - 1);
  gtk_widget_set_visible (self->abort_button, g_str_equal (page, "live"));
  gtk_widget_set_visible (self->postcopy_button,
                          g_str_equal (page, "live") && self->options->postcopy);
  gtk_widget_set_visible (self->close_button, g_str_equal (page, "result"));
  gtk_widget_set_visible (self->save_button, g_str_equal (page, "result"));

  if (index < N_STEPS - 1)
    default_widget = self->next_button;
  else if (index == N_STEPS - 1)
    default_widget = self->migrate_button;
  else if (g_str_equal (page, "result"))
    default_widget = self->close_button;
  gtk_window_set_default_widget (GTK_WINDOW (self), default_widget);
}

static void
update_actions (MwMigrationWizard *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  const char *page = current_page (self);
  guint index = page_index (page);
  gboolean valid = self->validation_message == NULL;
  MwMigrationJobState state = self->job ? mw_migration_job_get_state (self->job)
                                        : MW_MIGRATION_JOB_STATE_READY;
  const MwConvergence *c = self->job ? mw_migration_job_get_convergence (self->job) : NULL;
  gboolean running = state == MW_MIGRATION_JOB_STATE_RUNNING;
  MwRemedy remedies = c != NULL && c->verdict == MW_CONVERGENCE_NOT_CONVERGING ? c->remedies
                                                                              : MW_REMEDY_NONE;
  gboolean can_next;

  switch (index)
    {
    case 0:
      can_next = self->destination != NULL;
      break;
    case 1:
      can_next = valid && self->destination != NULL;
      break;
    default:
      can_next = FALSE;
      break;
    }

  gtk_widget_action_set_enabled (widget, "wizard.next", can_next);
  gtk_widget_action_set_enabled (widget, "wizard.back", index > 0 && index < N_STEPS);
  gtk_widget_action_set_enabled (widget, "wizard.migrate",
                                 index == N_STEPS - 1 && valid && self->destination != NULL &&
                                 self->job == NULL && preflight_allows_migration (self));
  gtk_widget_action_set_enabled (widget, "wizard.copy-command", self->virsh_text != NULL);

  gtk_widget_action_set_enabled (widget, "migration.abort",
                                 state == MW_MIGRATION_JOB_STATE_PREPARING || running);
  gtk_widget_action_set_enabled (widget, "migration.raise-downtime",
                                 running && (remedies & MW_REMEDY_RAISE_DOWNTIME));
  gtk_widget_action_set_enabled (widget, "migration.remove-cap",
                                 running && (remedies & MW_REMEDY_REMOVE_BANDWIDTH_CAP));
  gtk_widget_action_set_enabled (widget, "migration.postcopy",
                                 running && self->job != NULL &&
                                 mw_migration_job_get_options (self->job)->postcopy);
  gtk_widget_action_set_enabled (widget, "migration.restart-auto-converge",
                                 running && (remedies & MW_REMEDY_RESTART_AUTO_CONVERGE));
  gtk_widget_action_set_enabled (widget, "migration.restart-postcopy",
                                 running && (remedies & MW_REMEDY_RESTART_POSTCOPY));
  gtk_widget_action_set_enabled (widget, "report.save",
                                 self->job != NULL && mw_migration_job_get_result (self->job));

  if (state == MW_MIGRATION_JOB_STATE_POSTCOPY)
    gtk_widget_set_tooltip_text (self->abort_button,
                                 _("Post-copy cannot be stopped: the guest already runs on the "
                                   "destination"));
}

static void
show_page (MwMigrationWizard *self,
           const char        *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
}

static void
on_stack_visible_child_cb (MwMigrationWizard *self)
{
  const char *page = current_page (self);

  if (g_strcmp0 (page, "options") == 0)
    {
      apply_destination_defaults (self);
      update_options (self);
      discover_ping_address (self);
    }
  else if (g_strcmp0 (page, "checks") == 0)
    {
      update_checks_summary (self);
      run_preflight (self);
    }

  update_header (self);
  update_actions (self);

  /* Keyboard users land on the page, not on the header bar. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_child_focus (gtk_stack_get_visible_child (self->stack), GTK_DIR_TAB_FORWARD);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (widget);
  guint index = page_index (current_page (self));

  if (index + 1 < N_STEPS)
    show_page (self, page_names[index + 1]);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (widget);
  guint index = page_index (current_page (self));

  if (index > 0 && index < N_STEPS)
    show_page (self, page_names[index - 1]);
}

static void
copy_command_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (widget);

  if (self->virsh_text == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->virsh_text);
  toast (self, _("Command copied"));
}

/* ---- the result ----------------------------------------------------------------------------- */

static void
add_fact (MwMigrationWizard *self,
          gboolean           good,
          const char        *title,
          const char        *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (good ? "emblem-ok-symbolic"
                                                       : "dialog-warning-symbolic");
  g_autofree char *escaped_title = g_markup_escape_text (title, -1);

  gtk_widget_add_css_class (icon, good ? "success" : "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  good ? _("As expected") : _("Not as expected"), -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped_title);
  if (subtitle != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (subtitle, -1);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
    }
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_list_box_append (self->facts_list, row);
}

static void
add_figure (MwMigrationWizard *self,
            const char        *caption,
            char              *value)   /* transfer full; NULL shows a dash */
{
  GtkWidget *child = gtk_flow_box_child_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *value_label = gtk_label_new (value ? value : "—");
  GtkWidget *caption_label = gtk_label_new (caption);

  gtk_label_set_xalign (GTK_LABEL (value_label), 0.0);
  gtk_label_set_xalign (GTK_LABEL (caption_label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (caption_label), TRUE);
  gtk_widget_add_css_class (value_label, "stat-value");
  gtk_widget_add_css_class (value_label, "numeric");
  gtk_widget_add_css_class (caption_label, "caption");
  gtk_widget_add_css_class (caption_label, "dim-label");
  gtk_widget_add_css_class (box, "stat");
  gtk_box_append (GTK_BOX (box), value_label);
  gtk_box_append (GTK_BOX (box), caption_label);
  gtk_widget_set_focusable (child, FALSE);
  gtk_flow_box_child_set_child (GTK_FLOW_BOX_CHILD (child), box);
  gtk_flow_box_append (self->figures_box, child);
  g_free (value);
}

static char *
failure_advice (MwMigrationWizard          *self,
                const MwMigrationJobResult *result,
                const GError               *error)
{
  const char *text = result->error_message ? result->error_message
                                           : error ? error->message : "";
  g_autofree char *lower = g_utf8_strdown (text, -1);

  if (result->state == MW_MIGRATION_JOB_STATE_CANCELLED)
    return g_strdup (_("You stopped it. To get through next time: allow a longer downtime, "
                       "turn on auto-converge so the guest slows down until its memory can be "
                       "copied, or allow post-copy and switch to it once most memory is "
                       "across."));
  if (error != NULL && g_error_matches (error, MW_MIGRATION_JOB_ERROR,
                                        MW_MIGRATION_JOB_ERROR_STORAGE))
    return g_strdup (_("The destination’s disks could not be prepared: check that its storage "
                       "pool exists, is active and has room, or use shared storage."));
  if (strstr (lower, "not supported") != NULL || strstr (lower, "unsupported") != NULL)
    return g_strdup (_("This host’s libvirt driver cannot do this kind of migration. The demo "
                       "and test hosts cannot migrate at all; use two QEMU/KVM hosts."));
  if (strstr (lower, "certificate") != NULL || strstr (lower, "tls") != NULL)
    return g_strdup (_("The hosts could not set up TLS for the migration stream: install the "
                       "migration certificates on both hosts, or turn TLS off on a trusted "
                       "network."));
  /* libvirt's "Migration without shared storage is unsafe": the disks may well be on storage
   * both hosts see, but on a file system the source's libvirt does not take for shared. */
  if (strstr (lower, "shared storage") != NULL)
    return g_strdup (_("libvirt on the source does not know that the disks’ directory is shared: "
                       "it sees a local file system there. If the destination mounts that "
                       "directory (for example over NFS from the source), list it in "
                       "shared_filesystems in /etc/libvirt/qemu.conf on the source and restart "
                       "its libvirt daemon; otherwise copy the storage with the migration, or "
                       "choose “Unsafe” knowingly."));
  if (strstr (lower, "storage") != NULL || strstr (lower, "unsafe") != NULL ||
      strstr (lower, "cache") != NULL)
    return g_strdup (_("libvirt refuses a disk whose cache mode is not safe to migrate: set "
                       "cache='none' (the Checks page offers the fix) and restart the guest, or "
                       "copy the storage with the migration."));
  if (strstr (lower, "connect") != NULL || strstr (lower, "ssh") != NULL ||
      strstr (lower, "host key") != NULL || strstr (lower, "refused") != NULL)
    return g_strdup (_("The hosts could not reach each other: check that the destination’s "
                       "name resolves from the source, that its firewall lets migration "
                       "traffic in (ports 49152–49215), and that SSH keys are in place for "
                       "peer-to-peer."));
  return g_strdup (_("Read libvirt’s words under Details, fix what they name, then try again. "
                     "The guest was not touched."));
}

static void
fill_result (MwMigrationWizard *self)
{
  const MwMigrationJobResult *r = mw_migration_job_get_result (self->job);
  const GError *error = mw_migration_job_get_error (self->job);
  const MwMigrationOptions *o = mw_migration_job_get_options (self->job);
  const char *source = connection_title (self->source);
  const char *dest = connection_title (self->destination);
  const char *name = mw_domain_get_name (self->domain);
  gboolean ok = r->state == MW_MIGRATION_JOB_STATE_SUCCEEDED;
  const char *details = r->error_message ? r->error_message : error ? error->message : NULL;
  GtkWidget *child;
  g_autofree char *title = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->facts_list))) != NULL)
    gtk_list_box_remove (self->facts_list, child);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->figures_box))) != NULL)
    gtk_flow_box_remove (self->figures_box, child);

  if (ok)
    {
      /* Translators: "web01 Now Runs on Demo: hostb" */
      title = g_strdup_printf (_("%s Now Runs on %s"), name, dest);
      gtk_image_set_from_icon_name (self->result_icon, "emblem-ok-symbolic");
    }
  else if (r->state == MW_MIGRATION_JOB_STATE_CANCELLED)
    {
      title = g_strdup (_("Migration Aborted"));
      gtk_image_set_from_icon_name (self->result_icon, "process-stop-symbolic");
    }
  else
    {
      title = g_strdup (_("Migration Failed"));
      gtk_image_set_from_icon_name (self->result_icon, "dialog-error-symbolic");
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->result_icon), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->result_icon), "error");
  gtk_widget_add_css_class (GTK_WIDGET (self->result_icon), ok ? "success" : "error");
  gtk_label_set_text (self->result_title, title);
  gtk_label_set_text (self->result_summary, r->summary ? r->summary : "");
  gtk_widget_set_visible (GTK_WIDGET (self->result_summary), r->summary != NULL);

  if (ok)
    {
      g_autofree char *runs = g_strdup_printf (_("Runs on %s"), dest);
      g_autofree char *kept = g_strdup_printf (_("Defined on %s for good"), dest);
      g_autofree char *temp = g_strdup_printf (_("Temporary on %s"), dest);
      g_autofree char *gone = g_strdup_printf (_("Gone from %s"), source);
      g_autofree char *still = g_strdup_printf (_("Still defined on %s"), source);

      add_fact (self, r->on_destination, runs,
                r->on_destination ? _("Found running there after the migration")
                                  : _("Not found running there, although libvirt reported "
                                      "success"));
      if (o->persistence == MW_MIGRATION_PERSISTENCE_MOVE)
        {
          add_fact (self, r->persistent_on_destination, kept,
                    r->persistent_on_destination ? _("It starts there from now on")
                                                 : _("Not defined there: it is gone when it "
                                                     "shuts down"));
          add_fact (self, !r->on_source && !r->defined_on_source, gone,
                    !r->defined_on_source ? _("No longer defined on the source")
                                          : _("Still defined on the source: remove it by hand "
                                              "before starting it there"));
        }
      else
        {
          add_fact (self, TRUE, temp,
                    r->persistent_on_destination ? _("Also defined there")
                                                 : _("Runs there until it shuts down"));
          add_fact (self, r->defined_on_source && !r->on_source, still,
                    _("It starts from the source again next time"));
        }
    }
  else
    {
      g_autofree char *still = g_strdup_printf (_("Still running on %s"), source);
      g_autofree char *not_source = g_strdup_printf (_("Not running on %s"), source);
      g_autofree char *not_there = g_strdup_printf (_("Not running on %s"), dest);

      add_fact (self, r->on_source, r->on_source ? still : not_source,
                r->on_source ? _("Checked on the source after the failure: the guest is fine")
                             : _("Look at the source host: the guest is not running there"));
      add_fact (self, !r->on_destination, not_there,
                !r->on_destination ? _("Nothing was left behind on the destination")
                                   : _("A copy runs there too: check both hosts now"));
    }

  add_figure (self, _("Total time"), r->total_ms >= 0 ? mw_format_duration_us (r->total_ms * 1000)
                                                      : NULL);
  add_figure (self, _("Downtime (libvirt)"),
              r->downtime_ms >= 0 ? g_strdup_printf (_("%lld ms"), (long long) r->downtime_ms)
                                  : g_strdup (_("Not reported")));
  add_figure (self, _("Longest ping gap"),
              r->longest_ping_gap_us >= 0
                ? g_strdup_printf (_("%lld ms"), (long long) (r->longest_ping_gap_us / 1000))
                : g_strdup (_("No ping")));
  add_figure (self, _("Data sent"), mw_format_bytes (r->data_transferred));
  add_figure (self, _("Memory passes"), g_strdup_printf ("%u", r->passes));
  add_figure (self, _("Pings lost"),
              r->longest_ping_gap_us >= 0 ? g_strdup_printf (_("%u of %u"), r->pings_lost,
                                                             r->pings_sent)
                                          : NULL);

  gtk_widget_set_visible (self->advice_group, !ok);
  if (!ok)
    {
      g_autofree char *advice = failure_advice (self, r, error);

      gtk_label_set_text (self->advice_label, advice);
    }

  gtk_widget_set_visible (self->details_expander, details != NULL);
  gtk_label_set_text (self->details_label, details ? details : "");

  mw_migration_chart_set_history (self->result_chart, mw_migration_job_get_history (self->job));
  mw_ping_strip_set_pinger (self->result_strip, mw_migration_job_get_pinger (self->job));
  gtk_widget_set_visible (self->result_chart_card,
                          mw_sample_history_get_n_samples (mw_migration_job_get_history (self->job))
                            > 0);
}

/* ---- the job -------------------------------------------------------------------------------- */

static void
on_job_state_cb (MwMigrationWizard *self)
{
  mw_migration_live_page_set_state (self->live_page, mw_migration_job_get_state (self->job));
  if (mw_migration_live_page_get_pinger (self->live_page) == NULL)
    mw_migration_live_page_set_pinger (self->live_page, mw_migration_job_get_pinger (self->job));
  update_actions (self);
}

static void
on_job_pinger_cb (MwMigrationWizard *self)
{
  mw_migration_live_page_set_pinger (self->live_page, mw_migration_job_get_pinger (self->job));
}

static void
on_job_convergence_cb (MwMigrationWizard *self)
{
  mw_migration_live_page_set_convergence (self->live_page,
                                          mw_migration_job_get_convergence (self->job));
  update_actions (self);
}

static void
on_job_finished_cb (MwMigrationWizard *self)
{
  on_job_state_cb (self);
  fill_result (self);
  show_page (self, "result");
}

static void
on_job_action_failed_cb (MwMigrationWizard *self,
                         const char        *message)
{
  AdwToast *t = adw_toast_new (message);

  adw_toast_set_priority (t, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

static void
migrate_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (widget);
  const char *ping = gtk_editable_get_text (GTK_EDITABLE (self->ping_row));

  if (self->job != NULL || self->destination == NULL || self->validation_message != NULL ||
      !preflight_allows_migration (self))
    return;

  self->job = mw_migration_job_new (mw_connection_get_uri (self->source),
                                    mw_connection_get_uri (self->destination),
                                    mw_domain_get_name (self->domain), self->options);
  if (is_address (ping) && self->options->mode == MW_MIGRATION_MODE_LIVE)
    mw_migration_job_set_ping_address (self->job, ping);

  g_signal_connect_object (self->job, "notify::state", G_CALLBACK (on_job_state_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->job, "notify::convergence", G_CALLBACK (on_job_convergence_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->job, "notify::pinger", G_CALLBACK (on_job_pinger_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->job, "finished", G_CALLBACK (on_job_finished_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->job, "action-failed", G_CALLBACK (on_job_action_failed_cb), self,
                           G_CONNECT_SWAPPED);

  mw_migration_live_page_set_destination_title (self->live_page,
                                                connection_title (self->destination));
  mw_migration_live_page_set_history (self->live_page, mw_migration_job_get_history (self->job));
  mw_migration_live_page_set_pinger (self->live_page, mw_migration_job_get_pinger (self->job));
  mw_migration_live_page_set_convergence (self->live_page, NULL);
  mw_migration_live_page_set_state (self->live_page, MW_MIGRATION_JOB_STATE_PREPARING);

  show_page (self, "live");
  mw_migration_job_start (self->job);
  update_actions (self);
}

static void
abort_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (widget);

  if (self->job == NULL)
    return;

  mw_migration_job_abort (self->job);
  toast (self, _("Stopping the migration…"));
  gtk_widget_action_set_enabled (widget, "migration.abort", FALSE);
}

static void
apply_remedy (MwMigrationWizard *self,
              MwRemedy           remedy,
              const char        *message)
{
  if (self->job == NULL)
    return;

  mw_migration_job_apply_remedy (self->job, remedy);
  toast (self, message);
}

static void
remedy_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (widget);

  if (g_str_equal (action_name, "migration.raise-downtime"))
    apply_remedy (self, MW_REMEDY_RAISE_DOWNTIME, _("Raising the maximum downtime…"));
  else if (g_str_equal (action_name, "migration.remove-cap"))
    apply_remedy (self, MW_REMEDY_REMOVE_BANDWIDTH_CAP, _("Removing the bandwidth limit…"));
  else if (g_str_equal (action_name, "migration.restart-auto-converge"))
    apply_remedy (self, MW_REMEDY_RESTART_AUTO_CONVERGE,
                  _("Restarting the migration with auto-converge…"));
  else if (g_str_equal (action_name, "migration.restart-postcopy"))
    apply_remedy (self, MW_REMEDY_RESTART_POSTCOPY,
                  _("Restarting the migration with post-copy allowed…"));
}

static void
postcopy_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (widget);

  if (self->job == NULL)
    return;

  mw_migration_job_start_postcopy (self->job);
  toast (self, _("Switching to post-copy…"));
  gtk_widget_action_set_enabled (widget, "migration.postcopy", FALSE);
}

/* ---- the report ----------------------------------------------------------------------------- */

typedef struct
{
  guint pending;
  GError *error;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_clear_error (&data->error);
  g_free (data);
}

static void
save_step_done (GTask  *task,
                GError *error)   /* transfer full */
{
  SaveData *data = g_task_get_task_data (task);

  if (error != NULL && data->error == NULL)
    data->error = error;
  else if (error != NULL)
    g_error_free (error);

  if (--data->pending > 0)
    return;

  if (data->error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_report_written_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  mw_report_write_finish (MW_REPORT (object), result, &error);
  save_step_done (task, error);
}

static void
on_png_written_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  g_file_replace_contents_finish (G_FILE (object), result, NULL, &error);
  save_step_done (task, error);
}

/* The chart card as the user sees it; rendering needs the main thread, writing does not. */
static GBytes *
render_chart_png (MwMigrationWizard *self)
{
  GtkWidget *card = self->result_chart_card;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer;
  int width, height;

  if (!gtk_widget_is_drawable (card))
    card = mw_migration_live_page_get_chart_card (self->live_page);
  width = gtk_widget_get_width (card);
  height = gtk_widget_get_height (card);
  renderer = gtk_native_get_renderer (GTK_NATIVE (self));
  if (!gtk_widget_is_drawable (card) || width <= 0 || height <= 0 || renderer == NULL)
    return NULL;

  paintable = gtk_widget_paintable_new (card);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_to_node (snapshot);
  if (node == NULL)
    return NULL;

  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  return gdk_texture_save_to_png_bytes (texture);
}

static GFile *
sibling_with_extension (GFile      *json_file,
                        const char *extension)
{
  g_autofree char *basename = g_file_get_basename (json_file);
  g_autoptr(GFile) parent = g_file_get_parent (json_file);
  g_autofree char *stem = g_str_has_suffix (basename, ".json")
                            ? g_strndup (basename, strlen (basename) - strlen (".json"))
                            : g_strdup (basename);
  g_autofree char *name = g_strconcat (stem, extension, NULL);

  return g_file_get_child (parent, name);
}

void
mw_migration_wizard_save_report_async (MwMigrationWizard   *self,
                                       GFile               *json_file,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(MwReport) report = NULL;
  g_autoptr(GFile) csv_file = NULL;
  g_autoptr(GFile) png_file = NULL;
  g_autoptr(GBytes) png = NULL;
  SaveData *data;

  g_return_if_fail (MW_IS_MIGRATION_WIZARD (self));
  g_return_if_fail (G_IS_FILE (json_file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mw_migration_wizard_save_report_async);

  if (self->job == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("Nothing to save: no migration ran."));
      return;
    }

  data = g_new0 (SaveData, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);

  report = mw_migration_job_create_report (self->job);
  csv_file = sibling_with_extension (json_file, ".csv");
  png_file = sibling_with_extension (json_file, ".png");
  png = render_chart_png (self);

  data->pending = png != NULL ? 2 : 1;
  mw_report_write_async (report, json_file, csv_file, cancellable, on_report_written_cb,
                         g_object_ref (task));
  if (png != NULL)
    g_file_replace_contents_bytes_async (png_file, png, NULL, FALSE,
                                         G_FILE_CREATE_REPLACE_DESTINATION, cancellable,
                                         on_png_written_cb, g_object_ref (task));
}

gboolean
mw_migration_wizard_save_report_finish (MwMigrationWizard  *self,
                                        GAsyncResult       *result,
                                        GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        mw_migration_wizard_save_report_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_report_saved_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (object);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!mw_migration_wizard_save_report_finish (self, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: %s is why the report could not be written */
      text = g_strdup_printf (_("Could not save the report: %s"), error->message);
    }
  else
    {
      g_autofree char *name = g_file_get_basename (file);

      /* Translators: %s is the JSON file's name; a CSV and a PNG are written beside it */
      text = g_strdup_printf (_("Saved %s, with its CSV and chart"), name);
    }

  toast (self, text);
}

static void
on_chooser_response_cb (GtkNativeDialog   *chooser,
                        int                response,
                        MwMigrationWizard *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);

  if (file != NULL)
    mw_migration_wizard_save_report_async (self, file, self->cancellable, on_report_saved_cb,
                                           g_object_ref (file));
}

static void
save_report_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (widget);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *name = NULL;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;

  /* Translators: a file name; %s are the domain's name and a time stamp */
  name = g_strdup_printf (_("%s-migration-%s.json"), mw_domain_get_name (self->domain), stamp);
  self->chooser = gtk_file_chooser_native_new (_("Save Report"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"),
                                               _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  gtk_file_filter_set_name (filter, _("Migration report (JSON, with CSV and PNG beside it)"));
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ---- closing -------------------------------------------------------------------------------- */

static void
on_abort_dialog_response_cb (AdwMessageDialog  *dialog,
                             const char        *response,
                             MwMigrationWizard *self)
{
  if (g_str_equal (response, "abort") && self->job != NULL)
    abort_action (GTK_WIDGET (self), "migration.abort", NULL);
}

static gboolean
mw_migration_wizard_close_request (GtkWindow *window)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (window);
  GtkWidget *dialog;

  if (!job_is_active (self))
    return GTK_WINDOW_CLASS (mw_migration_wizard_parent_class)->close_request (window);

  if (mw_migration_job_get_state (self->job) != MW_MIGRATION_JOB_STATE_RUNNING &&
      mw_migration_job_get_state (self->job) != MW_MIGRATION_JOB_STATE_PREPARING)
    {
      toast (self, _("Wait for the end: the guest is already switching hosts."));
      return TRUE;
    }

  dialog = adw_message_dialog_new (window, _("Abort the Migration?"),
                                   _("The guest keeps running on the source, as it was. The "
                                     "memory copied so far is thrown away."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "continue", _("_Keep Migrating"),
                                    "abort", _("_Abort"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "abort",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "continue");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "continue");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_abort_dialog_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

/* ---- public --------------------------------------------------------------------------------- */

MwMigrationWizard *
mw_migration_wizard_new (GtkWindow        *parent,
                         MwConnectionList *connections,
                         MwDomain         *domain)
{
  MwMigrationWizard *self;
  GListModel *model;
  g_autofree char *details = NULL;
  g_autofree char *memory = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (MW_IS_CONNECTION_LIST (connections), NULL);
  g_return_val_if_fail (MW_IS_DOMAIN (domain), NULL);

  self = g_object_new (MW_TYPE_MIGRATION_WIZARD, "transient-for", parent, NULL);
  self->connections = g_object_ref (connections);
  self->domain = g_object_ref (domain);
  self->source = mw_domain_get_connection (domain);
  if (self->source != NULL)
    g_object_ref (self->source);

  /* A domain that does not run can only move offline. */
  if (!mw_domain_is_active (domain))
    self->options->mode = MW_MIGRATION_MODE_OFFLINE;
  write_options_to_widgets (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->mode_drop), mw_domain_is_active (domain));

  memory = g_format_size_full (mw_domain_get_memory_kib (domain) * 1024, G_FORMAT_SIZE_IEC_UNITS);
  /* Translators: "Running · 2 vCPUs · 4.0 GiB · on Demo: hosta" */
  details = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u vCPU · %s · on %s",
                                          "%s · %u vCPUs · %s · on %s",
                                          mw_domain_get_vcpus (domain)),
                             mw_domain_state_to_string (mw_domain_get_state (domain)),
                             mw_domain_get_vcpus (domain), memory,
                             connection_title (self->source));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->domain_row),
                                 mw_domain_get_name (domain));
  adw_action_row_set_subtitle (self->domain_row, details);

  model = G_LIST_MODEL (connections);
  g_signal_connect_object (model, "items-changed", G_CALLBACK (on_connections_items_changed_cb),
                           self, G_CONNECT_SWAPPED);
  on_connections_items_changed_cb (self, 0, 0, g_list_model_get_n_items (model), model);

  read_options (self);
  update_options (self);
  on_ping_row_changed_cb (self);
  self->ping_edited = FALSE;
  update_header (self);
  update_actions (self);

  return self;
}

MwDomain *
mw_migration_wizard_get_domain (MwMigrationWizard *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_WIZARD (self), NULL);

  return self->domain;
}

gboolean
mw_migration_wizard_set_destination (MwMigrationWizard *self,
                                     MwConnection      *destination)
{
  g_autofree char *reason = NULL;

  g_return_val_if_fail (MW_IS_MIGRATION_WIZARD (self), FALSE);
  g_return_val_if_fail (destination == NULL || MW_IS_CONNECTION (destination), FALSE);

  if (destination != NULL && (reason = mw_migration_wizard_get_unusable_reason (self, destination)))
    return FALSE;

  g_set_object (&self->destination, destination);
  rebuild_destinations (self);
  apply_destination_defaults (self);
  update_options (self);
  return TRUE;
}

MwConnection *
mw_migration_wizard_get_destination (MwMigrationWizard *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_WIZARD (self), NULL);

  return self->destination;
}

const char *
mw_migration_wizard_get_page (MwMigrationWizard *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_WIZARD (self), NULL);

  return current_page (self);
}

const MwMigrationOptions *
mw_migration_wizard_get_options (MwMigrationWizard *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_WIZARD (self), NULL);

  return self->options;
}

const char *
mw_migration_wizard_get_virsh_text (MwMigrationWizard *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_WIZARD (self), NULL);

  return self->virsh_text;
}

const char *
mw_migration_wizard_get_validation_message (MwMigrationWizard *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_WIZARD (self), NULL);

  return self->validation_message;
}

MwMigrationJob *
mw_migration_wizard_get_job (MwMigrationWizard *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_WIZARD (self), NULL);

  return self->job;
}

MwMigrationLivePage *
mw_migration_wizard_get_live_page (MwMigrationWizard *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_WIZARD (self), NULL);

  return self->live_page;
}

void
mw_migration_wizard_show_page (MwMigrationWizard *self,
                               const char        *name)
{
  g_return_if_fail (MW_IS_MIGRATION_WIZARD (self));
  g_return_if_fail (gtk_stack_get_child_by_name (self->stack, name) != NULL);

  show_page (self, name);
}

/* ---- class ---------------------------------------------------------------------------------- */

static void
mw_migration_wizard_dispose (GObject *object)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (object);

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  if (self->preflight != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->preflight, self);
      mw_preflight_cancel (self->preflight);
    }
  self->preflight_view = NULL;
  g_clear_object (&self->preflight);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_MIGRATION_WIZARD);

  g_clear_object (&self->job);
  g_clear_object (&self->destination);
  g_clear_object (&self->source);
  g_clear_object (&self->domain);
  g_clear_object (&self->connections);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (mw_migration_wizard_parent_class)->dispose (object);
}

static void
mw_migration_wizard_finalize (GObject *object)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (object);

  mw_migration_options_free (self->options);
  g_free (self->virsh_text);
  g_free (self->validation_message);
  g_free (self->discovered_for);

  G_OBJECT_CLASS (mw_migration_wizard_parent_class)->finalize (object);
}

static void
mw_migration_wizard_class_init (MwMigrationWizardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = mw_migration_wizard_dispose;
  object_class->finalize = mw_migration_wizard_finalize;
  window_class->close_request = mw_migration_wizard_close_request;

  g_type_ensure (MW_TYPE_MIGRATION_LIVE_PAGE);
  g_type_ensure (MW_TYPE_MIGRATION_CHART);
  g_type_ensure (MW_TYPE_PING_STRIP);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/MigWizard/mw-migration-wizard.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, MwMigrationWizard, name)
  BIND (toast_overlay);
  BIND (window_title);
  BIND (cancel_button);
  BIND (back_button);
  BIND (abort_button);
  BIND (next_button);
  BIND (migrate_button);
  BIND (close_button);
  BIND (postcopy_button);
  BIND (save_button);
  BIND (stack);
  BIND (domain_row);
  BIND (destination_group);
  BIND (destination_list);
  BIND (options_banner);
  BIND (options_banner_box);
  BIND (options_banner_icon);
  BIND (options_banner_label);
  BIND (mode_row);
  BIND (mode_drop);
  BIND (persistence_row);
  BIND (persistence_drop);
  BIND (storage_row);
  BIND (storage_drop);
  BIND (downtime_row);
  BIND (downtime_spin);
  BIND (bandwidth_row);
  BIND (bandwidth_spin);
  BIND (auto_converge_row);
  BIND (auto_converge_switch);
  BIND (postcopy_row);
  BIND (postcopy_switch);
  BIND (compression_row);
  BIND (compression_drop);
  BIND (connection_row);
  BIND (connection_drop);
  BIND (tls_row);
  BIND (tls_switch);
  BIND (unsafe_row);
  BIND (unsafe_switch);
  BIND (ping_group);
  BIND (ping_row);
  BIND (ping_spinner);
  BIND (virsh_label);
  BIND (checks_box);
  BIND (summary_domain_row);
  BIND (summary_from_row);
  BIND (summary_to_row);
  BIND (summary_mode_row);
  BIND (summary_ping_row);
  BIND (live_page);
  BIND (result_icon);
  BIND (result_title);
  BIND (result_summary);
  BIND (facts_list);
  BIND (figures_box);
  BIND (advice_group);
  BIND (advice_label);
  BIND (result_chart_card);
  BIND (result_chart);
  BIND (result_strip);
  BIND (details_expander);
  BIND (details_label);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_option_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_connection_option_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_spin_input_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_spin_output_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_ping_row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_stack_visible_child_cb);

  gtk_widget_class_install_action (widget_class, "wizard.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "wizard.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "wizard.migrate", NULL, migrate_action);
  gtk_widget_class_install_action (widget_class, "wizard.copy-command", NULL, copy_command_action);
  gtk_widget_class_install_action (widget_class, "migration.abort", NULL, abort_action);
  gtk_widget_class_install_action (widget_class, "migration.raise-downtime", NULL, remedy_action);
  gtk_widget_class_install_action (widget_class, "migration.remove-cap", NULL, remedy_action);
  gtk_widget_class_install_action (widget_class, "migration.postcopy", NULL, postcopy_action);
  gtk_widget_class_install_action (widget_class, "migration.restart-auto-converge", NULL,
                                   remedy_action);
  gtk_widget_class_install_action (widget_class, "migration.restart-postcopy", NULL,
                                   remedy_action);
  gtk_widget_class_install_action (widget_class, "report.save", NULL, save_report_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "wizard.next",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "wizard.back",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "wizard.copy-command", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "report.save",
                                       NULL);
}

static void
mw_migration_wizard_init (MwMigrationWizard *self)
{
  self->cancellable = g_cancellable_new ();
  self->options = mw_migration_options_new_defaults ();

  gtk_widget_init_template (GTK_WIDGET (self));
}
