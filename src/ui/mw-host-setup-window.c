/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-host-setup-window.c: the Storage and Network pages of host set-up.
 *
 * Main thread only. Every blocking step (ssh, libvirt) runs in a core worker; completions hold a
 * reference to the window and drop their result when the window's cancellable was cancelled.
 * One operation at a time: `busy` disables the actions that start another.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "mw-bridge-setup.h"
#include "mw-connection.h"
#include "mw-domain.h"
#include "mw-host-setup-window.h"
#include "mw-storage-setup.h"

struct _MwHostSetupWindow
{
  AdwWindow parent_instance;

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  AdwViewStack *view_stack;
  GtkDropDown *host_a_dropdown;
  GtkDropDown *host_b_dropdown;
  GtkDropDown *domain_dropdown;
  AdwEntryRow *server_row;
  AdwEntryRow *export_row;
  AdwEntryRow *network_row;
  AdwEntryRow *pool_row;
  AdwEntryRow *target_row;
  GtkLabel *plan_label;
  GtkLabel *storage_status_label;
  GtkListBox *storage_steps;
  GtkLabel *network_status_label;
  GtkLabel *host_a_title;
  GtkLabel *host_b_title;
  GtkListBox *host_a_list;
  GtkListBox *host_b_list;
  GtkListBox *domain_list;
  GtkDropDown *bridge_host_dropdown;
  AdwEntryRow *bridge_name_row;
  AdwEntryRow *bridge_nic_row;
  GtkSpinButton *bridge_timeout_spin;
  AdwEntryRow *network_name_row;

  /* Owned */
  GCancellable *cancellable;        /* cancelled when the window goes */
  GPtrArray *hosts;                 /* MwConnection, the connected ones when opened */
  GtkStringList *host_names;
  GtkStringList *domain_names;      /* "(none)" first */
  MwNfsPlan *plan;                  /* NULL while the fields are not valid */
  MwBridgeChange *change;           /* a bridge waiting for "Keep" */
  guint countdown_id;
  gboolean busy;
  char *initial_domain;

  /* Borrowed */
  MwConnectionList *connections;
  AdwMessageDialog *confirm_dialog; /* while a change is pending */
};

G_DEFINE_FINAL_TYPE (MwHostSetupWindow, mw_host_setup_window, ADW_TYPE_WINDOW)

enum
{
  PROP_0,
  PROP_CONNECTIONS,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_actions (MwHostSetupWindow *self);

static void
toast (MwHostSetupWindow *self,
       const char        *text)
{
  AdwToast *new_toast = adw_toast_new (text);

  adw_toast_set_timeout (new_toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, new_toast);
}

static void
set_busy (MwHostSetupWindow *self,
          gboolean           busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static MwConnection *
host_at (MwHostSetupWindow *self,
         guint              position)
{
  return position < self->hosts->len ? g_ptr_array_index (self->hosts, position) : NULL;
}

static const char *
uri_a (MwHostSetupWindow *self)
{
  MwConnection *host = host_at (self, gtk_drop_down_get_selected (self->host_a_dropdown));

  return host != NULL ? mw_connection_get_uri (host) : NULL;
}

static const char *
uri_b (MwHostSetupWindow *self)
{
  MwConnection *host = host_at (self, gtk_drop_down_get_selected (self->host_b_dropdown));

  return host != NULL ? mw_connection_get_uri (host) : NULL;
}

static const char *
selected_domain (MwHostSetupWindow *self)
{
  guint position = gtk_drop_down_get_selected (self->domain_dropdown);

  if (position == 0 || position == GTK_INVALID_LIST_POSITION)
    return NULL;
  return gtk_string_list_get_string (self->domain_names, position);
}

static gboolean
hosts_chosen (MwHostSetupWindow *self)
{
  return uri_a (self) != NULL && uri_b (self) != NULL && g_strcmp0 (uri_a (self), uri_b (self));
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
add_row (GtkListBox *list,
         const char *icon_name,
         const char *title,
         const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
  if (icon_name != NULL)
    adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name (icon_name));
  gtk_list_box_append (list, row);
}

static const char *
step_icon (MwSetupStepState state)
{
  switch (state)
    {
    case MW_SETUP_STEP_DONE:
      return "object-select-symbolic";
    case MW_SETUP_STEP_UNCHANGED:
      return "emblem-default-symbolic";
    case MW_SETUP_STEP_FAILED:
      return "dialog-error-symbolic";
    case MW_SETUP_STEP_UNDONE:
      return "edit-undo-symbolic";
    case MW_SETUP_STEP_UNDO_FAILED:
      return "dialog-warning-symbolic";
    default:
      return NULL;
    }
}

static void
show_steps (GtkListBox *list,
            GPtrArray  *steps,
            gboolean    append)
{
  if (!append)
    clear_list (list);
  for (guint i = 0; steps != NULL && i < steps->len; i++)
    {
      const MwSetupStep *step = g_ptr_array_index (steps, i);
      g_autofree char *title = g_strdup_printf ("%s: %s", step->host, step->title);
      g_autofree char *subtitle = NULL;

      if (step->message != NULL)
        subtitle = g_strdup_printf ("%s — %s", mw_setup_step_state_to_string (step->state),
                                    step->message);
      else
        subtitle = g_strdup (mw_setup_step_state_to_string (step->state));
      add_row (list, step_icon (step->state), title, subtitle);
    }
}

/* Plan */

static void
update_plan (MwHostSetupWindow *self)
{
  g_autoptr(MwNfsPlan) plan = NULL;
  g_autoptr(GError) error = NULL;

  plan = mw_nfs_plan_new (gtk_editable_get_text (GTK_EDITABLE (self->server_row)),
                          gtk_editable_get_text (GTK_EDITABLE (self->export_row)),
                          gtk_editable_get_text (GTK_EDITABLE (self->network_row)),
                          gtk_editable_get_text (GTK_EDITABLE (self->pool_row)),
                          gtk_editable_get_text (GTK_EDITABLE (self->target_row)));
  g_clear_pointer (&self->plan, mw_nfs_plan_free);
  if (mw_nfs_plan_validate (plan, &error))
    {
      g_autofree char *text = mw_nfs_plan_render (plan);

      gtk_label_set_text (self->plan_label, text);
      self->plan = g_steal_pointer (&plan);
    }
  else
    gtk_label_set_text (self->plan_label, error->message);
  update_actions (self);
}

static void
on_plan_changed_cb (MwHostSetupWindow *self)
{
  update_plan (self);
}

static void
update_actions (MwHostSetupWindow *self)
{
  gboolean idle = !self->busy && self->change == NULL;
  gboolean plan = self->plan != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.copy-exports", plan);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.copy-plan", plan);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.apply-server", idle && plan);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.define-pools",
                                 idle && plan && hosts_chosen (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.refresh-network",
                                 idle && hosts_chosen (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.create-bridge",
                                 idle && hosts_chosen (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.define-network",
                                 idle && hosts_chosen (self));
}

static void
copy_text (MwHostSetupWindow *self,
           const char        *text)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  toast (self, _("Copied"));
}

static void
copy_exports_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  MwHostSetupWindow *self = MW_HOST_SETUP_WINDOW (widget);
  g_autofree char *line = NULL;

  if (self->plan == NULL)
    return;
  line = mw_nfs_plan_get_exports_line (self->plan);
  copy_text (self, line);
}

static void
copy_plan_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  MwHostSetupWindow *self = MW_HOST_SETUP_WINDOW (widget);
  g_autofree char *text = NULL;

  if (self->plan == NULL)
    return;
  text = mw_nfs_plan_render (self->plan);
  copy_text (self, text);
}

/* Server over ssh */

static void
on_apply_server_done_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(MwHostSetupWindow) self = user_data;
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GPtrArray) done = NULL;
  g_autoptr(GError) error = NULL;

  done = mw_nfs_apply_server_finish (result, &steps, &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  set_busy (self, FALSE);
  show_steps (self->storage_steps, steps, FALSE);
  if (done == NULL)
    gtk_label_set_text (self->storage_status_label, error->message);
  else
    gtk_label_set_text (self->storage_status_label,
                        _("The server exports the directory (showmount -e lists it). Now create "
                          "the pool on both hosts."));
}

static void
on_apply_consent_cb (AdwMessageDialog  *dialog,
                     const char        *response,
                     MwHostSetupWindow *self)
{
  if (!g_str_equal (response, "apply") || self->plan == NULL)
    return;
  set_busy (self, TRUE);
  gtk_label_set_text (self->storage_status_label, _("Setting up the server…"));
  mw_nfs_apply_server_async (self->plan, self->cancellable, on_apply_server_done_cb,
                             g_object_ref (self));
}

static void
apply_server_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  MwHostSetupWindow *self = MW_HOST_SETUP_WINDOW (widget);
  g_autofree char *line = NULL;
  GtkWidget *dialog;

  if (self->plan == NULL)
    return;
  line = mw_nfs_plan_get_exports_line (self->plan);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Change the NFS Server?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("MigWizard will log in to root@%s over SSH and create %s, "
                                    "add “%s” to /etc/exports, run exportfs -r, allow TCP 2049 "
                                    "in firewalld or ufw when one is active, and check the "
                                    "export with showmount -e. If a step fails, the steps "
                                    "before it are undone."),
                                  self->plan->server, self->plan->export_path, line);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "apply", _("_Change Server"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "apply",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_apply_consent_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Pools */

static void
on_pools_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(MwHostSetupWindow) self = user_data;
  g_autoptr(MwPoolSetupResult) outcome = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) status = g_string_new (NULL);

  outcome = mw_nfs_setup_pools_finish (result, &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  set_busy (self, FALSE);
  if (outcome == NULL)
    {
      clear_list (self->storage_steps);
      gtk_label_set_text (self->storage_status_label, error->message);
      return;
    }

  show_steps (self->storage_steps, outcome->steps, FALSE);
  if (mw_pool_setup_result_ok (outcome))
    g_string_append_printf (status, _("Pool “%s” is defined, started and set to start at boot "
                                      "on both hosts, and a test volume made on one was seen on "
                                      "the other."), self->plan->pool_name);
  else
    {
      g_string_append (status, _("The pool is not ready on both hosts."));
      if (outcome->error_a != NULL)
        g_string_append_printf (status, "\n%s", outcome->error_a);
      if (outcome->error_b != NULL)
        g_string_append_printf (status, "\n%s", outcome->error_b);
      if (outcome->verify_error != NULL)
        g_string_append_printf (status, "\n%s", outcome->verify_error);
      if (outcome->error_a != NULL || outcome->error_b != NULL)
        g_string_append (status, _("\nA host where a step failed was left as it was."));
      if (outcome->fallback_pool != NULL)
        g_string_append_printf (status, _("\nBoth hosts already share pool “%s” at %s: use it "
                                          "instead."), outcome->fallback_pool,
                                outcome->fallback_path);
    }
  gtk_label_set_text (self->storage_status_label, status->str);
}

static void
define_pools_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  MwHostSetupWindow *self = MW_HOST_SETUP_WINDOW (widget);

  if (self->plan == NULL || !hosts_chosen (self))
    return;
  set_busy (self, TRUE);
  gtk_label_set_text (self->storage_status_label, _("Creating the pool on both hosts…"));
  mw_nfs_setup_pools_async (self->plan, uri_a (self), uri_b (self), self->cancellable,
                            on_pools_done_cb, g_object_ref (self));
}

/* Network */

static void
show_host_networks (GtkListBox           *list,
                    GtkLabel             *title,
                    const MwHostNetworks *networks,
                    GPtrArray            *nics)
{
  clear_list (list);
  gtk_label_set_text (title, networks->label);
  if (networks->error != NULL)
    add_row (list, "dialog-warning-symbolic", _("Could not read everything"), networks->error);
  for (guint i = 0; networks->bridges[i] != NULL; i++)
    {
      gboolean used = FALSE;

      for (guint j = 0; j < nics->len; j++)
        {
          const MwDomainNic *nic = g_ptr_array_index (nics, j);

          used |= !nic->is_network && g_strcmp0 (nic->source, networks->bridges[i]) == 0;
        }
      add_row (list, "network-wired-symbolic", networks->bridges[i],
               used ? _("Bridge · used by the guest") : _("Bridge"));
    }
  if (networks->bridges_from == NULL)
    add_row (list, "dialog-question-symbolic", _("Bridges unknown"),
             _("libvirt lists no host interfaces here, and the host is not reachable over SSH."));
  for (guint i = 0; i < networks->networks->len; i++)
    {
      const MwNetworkInfo *info = g_ptr_array_index (networks->networks, i);
      gboolean used = FALSE;
      g_autofree char *subtitle = NULL;

      for (guint j = 0; j < nics->len; j++)
        {
          const MwDomainNic *nic = g_ptr_array_index (nics, j);

          used |= nic->is_network && g_strcmp0 (nic->source, info->name) == 0;
        }
      /* Translators: libvirt network, its forward mode, its bridge, active or not */
      subtitle = g_strdup_printf (_("libvirt network · %s · bridge %s · %s%s"),
                                  info->forward_mode != NULL ? info->forward_mode
                                                             : _("isolated"),
                                  info->bridge != NULL ? info->bridge : "-",
                                  info->active ? _("active") : _("inactive"),
                                  used ? _(" · used by the guest") : "");
      add_row (list, "network-workgroup-symbolic", info->name, subtitle);
    }
}

static void
on_survey_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(MwHostSetupWindow) self = user_data;
  g_autoptr(MwNetworkSurvey) survey = NULL;
  g_autoptr(GError) error = NULL;

  survey = mw_network_survey_finish (result, &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  set_busy (self, FALSE);
  if (survey == NULL)
    {
      gtk_label_set_text (self->network_status_label, error->message);
      return;
    }

  show_host_networks (self->host_a_list, self->host_a_title, survey->a, survey->nics);
  show_host_networks (self->host_b_list, self->host_b_title, survey->b, survey->nics);
  clear_list (self->domain_list);
  if (survey->domain_error != NULL)
    add_row (self->domain_list, "dialog-warning-symbolic", _("Could not read the guest"),
             survey->domain_error);
  else if (survey->nics->len == 0)
    add_row (self->domain_list, NULL,
             selected_domain (self) != NULL ? _("No bridge or network interfaces")
                                            : _("Choose a guest to see what it needs"),
             NULL);
  for (guint i = 0; i < survey->nics->len; i++)
    {
      const MwDomainNic *nic = g_ptr_array_index (survey->nics, i);
      gboolean on_a = mw_host_networks_provides (survey->a, nic);
      gboolean on_b = mw_host_networks_provides (survey->b, nic);
      g_autofree char *title = g_strdup_printf (nic->is_network ? _("%s: network “%s”")
                                                                : _("%s: bridge “%s”"),
                                                nic->mac != NULL ? nic->mac : "?", nic->source);
      g_autofree char *subtitle =
        g_strdup_printf (_("%s: %s · %s: %s"), survey->a->label,
                         on_a ? _("present") : _("missing"), survey->b->label,
                         on_b ? _("present") : _("missing"));

      add_row (self->domain_list,
               on_a && on_b ? "object-select-symbolic" : "dialog-warning-symbolic", title,
               subtitle);
    }
  gtk_label_set_text (self->network_status_label,
                      _("Bridges and libvirt networks of both hosts, side by side."));
}

static void
refresh_network_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  MwHostSetupWindow *self = MW_HOST_SETUP_WINDOW (widget);
  g_autofree char *ssh_a = NULL;
  g_autofree char *ssh_b = NULL;

  if (!hosts_chosen (self))
    return;
  ssh_a = mw_bridge_ssh_target_for_uri (uri_a (self));
  ssh_b = mw_bridge_ssh_target_for_uri (uri_b (self));
  set_busy (self, TRUE);
  gtk_label_set_text (self->network_status_label, _("Reading both hosts…"));
  mw_network_survey_async (uri_a (self), ssh_a, uri_b (self), ssh_b, selected_domain (self),
                           self->cancellable, on_survey_done_cb, g_object_ref (self));
}

/* Bridge with confirm-or-revert */

static const char *
bridge_uri (MwHostSetupWindow *self)
{
  return gtk_drop_down_get_selected (self->bridge_host_dropdown) == 1 ? uri_b (self)
                                                                      : uri_a (self);
}

static void
stop_countdown (MwHostSetupWindow *self)
{
  g_clear_handle_id (&self->countdown_id, g_source_remove);
  if (self->confirm_dialog != NULL)
    {
      AdwMessageDialog *dialog = g_steal_pointer (&self->confirm_dialog);

      g_signal_handlers_disconnect_by_data (dialog, self);
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
}

static void
on_settle_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(MwHostSetupWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean kept = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (result), "mw-confirm"));
  gboolean ok = mw_bridge_change_settle_finish (result, &error);

  /* the change was the task's data: free it only now */
  g_clear_pointer (&self->change, mw_bridge_change_free);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  set_busy (self, FALSE);
  if (!ok)
    toast (self, error->message);
  else
    toast (self, kept ? _("The bridge was kept.") : _("The change was rolled back."));
  refresh_network_action (GTK_WIDGET (self), NULL, NULL);
}

static void
settle (MwHostSetupWindow *self,
        gboolean           keep)
{
  if (self->change == NULL || self->busy)
    return;
  stop_countdown (self);
  set_busy (self, TRUE);
  mw_bridge_change_settle_async (self->change, keep, self->cancellable, on_settle_done_cb,
                                 g_object_ref (self));
}

static void
on_confirm_response_cb (AdwMessageDialog  *dialog,
                        const char        *response,
                        MwHostSetupWindow *self)
{
  self->confirm_dialog = NULL;
  g_clear_handle_id (&self->countdown_id, g_source_remove);
  settle (self, g_str_equal (response, "keep"));
}

static void
update_countdown_text (MwHostSetupWindow *self)
{
  const MwBridgePlan *plan = mw_bridge_change_get_plan (self->change);
  gint64 left = (mw_bridge_change_get_deadline (self->change) - g_get_monotonic_time ())
                / G_USEC_PER_SEC;

  adw_message_dialog_format_body (self->confirm_dialog,
                                  g_dngettext (GETTEXT_PACKAGE,
                                               "Bridge “%s” is up on %s and the host still "
                                               "answers. Without an answer it rolls back by "
                                               "itself in %d second.",
                                               "Bridge “%s” is up on %s and the host still "
                                               "answers. Without an answer it rolls back by "
                                               "itself in %d seconds.",
                                               (gulong) MAX (left, 0)),
                                  plan->bridge, plan->ssh_target, (int) MAX (left, 0));
}

static gboolean
on_countdown_cb (gpointer data)
{
  MwHostSetupWindow *self = data;

  if (self->confirm_dialog == NULL || self->change == NULL)
    {
      self->countdown_id = 0;
      return G_SOURCE_REMOVE;
    }
  if (g_get_monotonic_time () >= mw_bridge_change_get_deadline (self->change))
    {
      /* too late to keep: the host rolls back by itself; wait for it to say so */
      self->countdown_id = 0;
      settle (self, FALSE);
      return G_SOURCE_REMOVE;
    }
  update_countdown_text (self);
  return G_SOURCE_CONTINUE;
}

static void
on_bridge_created_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(MwHostSetupWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  MwBridgeChange *change = mw_bridge_create_finish (result, &error);
  GtkWidget *dialog;

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      /* nobody can confirm any more: the host rolls back by itself */
      g_clear_pointer (&change, mw_bridge_change_free);
      return;
    }
  set_busy (self, FALSE);
  if (change == NULL)
    {
      toast (self, error->message);
      gtk_label_set_text (self->network_status_label, error->message);
      return;
    }

  self->change = change;
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Keep This Change?"), NULL);
  self->confirm_dialog = ADW_MESSAGE_DIALOG (dialog);
  update_countdown_text (self);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "revert", _("_Roll Back Now"),
                                    "keep", _("_Keep"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "revert",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "keep",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "revert");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "revert");
  g_signal_connect (dialog, "response", G_CALLBACK (on_confirm_response_cb), self);
  self->countdown_id = g_timeout_add (250, on_countdown_cb, self);
  update_actions (self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static MwBridgePlan *
bridge_plan (MwHostSetupWindow *self,
             GError           **error)
{
  g_autofree char *target = mw_bridge_ssh_target_for_uri (bridge_uri (self));
  g_autoptr(MwBridgePlan) plan = NULL;

  if (target == NULL)
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID,
                   _("This connection does not name a host MigWizard can reach over SSH."));
      return NULL;
    }
  plan = mw_bridge_plan_new (target, gtk_editable_get_text (GTK_EDITABLE (self->bridge_name_row)),
                             gtk_editable_get_text (GTK_EDITABLE (self->bridge_nic_row)),
                             (guint) gtk_spin_button_get_value_as_int (self->bridge_timeout_spin));
  if (!mw_bridge_plan_validate (plan, error))
    return NULL;
  return g_steal_pointer (&plan);
}

static void
on_bridge_consent_cb (AdwMessageDialog  *dialog,
                      const char        *response,
                      MwHostSetupWindow *self)
{
  g_autoptr(MwBridgePlan) plan = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "create"))
    return;
  plan = bridge_plan (self, &error);
  if (plan == NULL)
    {
      toast (self, error->message);
      return;
    }
  set_busy (self, TRUE);
  gtk_label_set_text (self->network_status_label, _("Creating the bridge…"));
  mw_bridge_create_async (plan, self->cancellable, on_bridge_created_cb, g_object_ref (self));
}

static void
create_bridge_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  MwHostSetupWindow *self = MW_HOST_SETUP_WINDOW (widget);
  g_autoptr(MwBridgePlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;

  plan = bridge_plan (self, &error);
  if (plan == NULL)
    {
      toast (self, error->message);
      return;
    }
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Create the Bridge?"), NULL);
  if (plan->nic != NULL)
    adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                    _("On %s, bridge “%s” takes over %s and its addresses. If "
                                      "you do not keep the change within %u seconds, the host "
                                      "puts everything back by itself, even if the connection "
                                      "is lost."), plan->ssh_target, plan->bridge, plan->nic,
                                    plan->timeout_s);
  else
    adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                    _("On %s, an empty bridge “%s” is created. If you do not "
                                      "keep it within %u seconds, the host removes it by "
                                      "itself."), plan->ssh_target, plan->bridge,
                                    plan->timeout_s);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "create", _("C_reate"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "create",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_bridge_consent_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_network_defined_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(MwHostSetupWindow) self = user_data;
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GPtrArray) done = NULL;
  g_autoptr(GError) error = NULL;

  done = mw_bridge_define_network_finish (result, &steps, &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  set_busy (self, FALSE);
  if (done == NULL)
    {
      toast (self, error->message);
      gtk_label_set_text (self->network_status_label, error->message);
      return;
    }
  toast (self, _("The bridge network is defined and started."));
  refresh_network_action (GTK_WIDGET (self), NULL, NULL);
}

static void
define_network_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  MwHostSetupWindow *self = MW_HOST_SETUP_WINDOW (widget);

  if (!hosts_chosen (self))
    return;
  set_busy (self, TRUE);
  mw_bridge_define_network_async (bridge_uri (self),
                                  gtk_editable_get_text (GTK_EDITABLE (self->network_name_row)),
                                  gtk_editable_get_text (GTK_EDITABLE (self->bridge_name_row)),
                                  self->cancellable, on_network_defined_cb, g_object_ref (self));
}

/* Hosts and guest */

static void
fill_domains (MwHostSetupWindow *self)
{
  MwConnection *host = host_at (self, gtk_drop_down_get_selected (self->host_a_dropdown));
  GListModel *domains = host != NULL ? mw_connection_get_domains (host) : NULL;
  g_autofree char *previous = g_strdup (selected_domain (self) != NULL ? selected_domain (self)
                                                                       : self->initial_domain);
  guint n = domains != NULL ? g_list_model_get_n_items (domains) : 0;
  guint select = 0;

  gtk_string_list_splice (self->domain_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->domain_names)), NULL);
  gtk_string_list_append (self->domain_names, _("(No guest)"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MwDomain) domain = g_list_model_get_item (domains, i);

      gtk_string_list_append (self->domain_names, mw_domain_get_name (domain));
      if (g_strcmp0 (mw_domain_get_name (domain), previous) == 0)
        select = i + 1;
    }
  gtk_drop_down_set_selected (self->domain_dropdown, select);
}

static void
on_hosts_changed_cb (MwHostSetupWindow *self)
{
  g_autofree char *label_a = NULL;
  g_autofree char *label_b = NULL;
  const char *names[3] = { NULL, NULL, NULL };
  g_autoptr(GtkStringList) bridge_hosts = NULL;
  guint bridge_selected;

  if (self->hosts == NULL)
    return;
  if (uri_a (self) != NULL && *gtk_editable_get_text (GTK_EDITABLE (self->server_row)) == '\0')
    {
      label_a = mw_setup_host_label (uri_a (self));
      gtk_editable_set_text (GTK_EDITABLE (self->server_row), label_a);
    }
  g_clear_pointer (&label_a, g_free);
  label_a = uri_a (self) != NULL ? mw_setup_host_label (uri_a (self)) : g_strdup ("-");
  label_b = uri_b (self) != NULL ? mw_setup_host_label (uri_b (self)) : g_strdup ("-");
  names[0] = label_a;
  names[1] = label_b;
  bridge_selected = gtk_drop_down_get_selected (self->bridge_host_dropdown);
  bridge_hosts = gtk_string_list_new (names);
  gtk_drop_down_set_model (self->bridge_host_dropdown, G_LIST_MODEL (bridge_hosts));
  gtk_drop_down_set_selected (self->bridge_host_dropdown,
                              bridge_selected == 0 ? 0 : 1);
  gtk_label_set_text (self->host_a_title, label_a);
  gtk_label_set_text (self->host_b_title, label_b);
  update_actions (self);
}

static void
on_host_a_changed_cb (MwHostSetupWindow *self)
{
  fill_domains (self);
}

static void
fill_hosts (MwHostSetupWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->connections));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MwConnection) connection = g_list_model_get_item (G_LIST_MODEL (self->connections),
                                                                  i);

      if (mw_connection_get_state (connection) != MW_CONNECTION_STATE_CONNECTED)
        continue;
      g_ptr_array_add (self->hosts, g_object_ref (connection));
      gtk_string_list_append (self->host_names, mw_connection_get_title (connection));
    }
  gtk_drop_down_set_model (self->host_a_dropdown, G_LIST_MODEL (self->host_names));
  gtk_drop_down_set_model (self->host_b_dropdown, G_LIST_MODEL (self->host_names));
  gtk_drop_down_set_selected (self->host_a_dropdown, 0);
  gtk_drop_down_set_selected (self->host_b_dropdown, self->hosts->len > 1 ? 1 : 0);
  fill_domains (self);
  on_hosts_changed_cb (self);
}

gboolean
mw_host_setup_window_select_hosts (MwHostSetupWindow *self,
                                   const char        *uri_a_wanted,
                                   const char        *uri_b_wanted)
{
  guint a = GTK_INVALID_LIST_POSITION;
  guint b = GTK_INVALID_LIST_POSITION;

  g_return_val_if_fail (MW_IS_HOST_SETUP_WINDOW (self), FALSE);

  for (guint i = 0; i < self->hosts->len; i++)
    {
      const char *uri = mw_connection_get_uri (g_ptr_array_index (self->hosts, i));

      if (g_strcmp0 (uri, uri_a_wanted) == 0)
        a = i;
      if (g_strcmp0 (uri, uri_b_wanted) == 0)
        b = i;
    }
  if (a == GTK_INVALID_LIST_POSITION || b == GTK_INVALID_LIST_POSITION)
    return FALSE;
  gtk_drop_down_set_selected (self->host_a_dropdown, a);
  gtk_drop_down_set_selected (self->host_b_dropdown, b);
  return TRUE;
}

gboolean
mw_host_setup_window_get_busy (MwHostSetupWindow *self)
{
  g_return_val_if_fail (MW_IS_HOST_SETUP_WINDOW (self), FALSE);

  return self->busy;
}

AdwMessageDialog *
mw_host_setup_window_get_confirm_dialog (MwHostSetupWindow *self)
{
  g_return_val_if_fail (MW_IS_HOST_SETUP_WINDOW (self), NULL);

  return self->confirm_dialog;
}

MwHostSetupWindow *
mw_host_setup_window_new (GtkWindow        *parent,
                          MwConnectionList *connections,
                          const char       *domain)
{
  MwHostSetupWindow *self;

  g_return_val_if_fail (MW_IS_CONNECTION_LIST (connections), NULL);

  self = g_object_new (MW_TYPE_HOST_SETUP_WINDOW, "connections", connections,
                       "transient-for", parent, NULL);
  self->initial_domain = g_strdup (domain);
  fill_hosts (self);
  g_signal_connect_swapped (self->host_a_dropdown, "notify::selected",
                            G_CALLBACK (on_host_a_changed_cb), self);
  update_plan (self);
  return self;
}

/* GObject */

static gboolean
on_close_request_cb (GtkWindow *window)
{
  MwHostSetupWindow *self = MW_HOST_SETUP_WINDOW (window);

  /* A pending bridge change is not confirmed by closing: the host rolls it back. */
  g_cancellable_cancel (self->cancellable);
  stop_countdown (self);
  return FALSE;
}

static void
mw_host_setup_window_dispose (GObject *object)
{
  MwHostSetupWindow *self = MW_HOST_SETUP_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  stop_countdown (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_HOST_SETUP_WINDOW);
  g_clear_pointer (&self->hosts, g_ptr_array_unref);
  g_clear_object (&self->host_names);
  g_clear_object (&self->domain_names);
  g_clear_object (&self->cancellable);
  self->connections = NULL;

  G_OBJECT_CLASS (mw_host_setup_window_parent_class)->dispose (object);
}

static void
mw_host_setup_window_finalize (GObject *object)
{
  MwHostSetupWindow *self = MW_HOST_SETUP_WINDOW (object);

  g_clear_pointer (&self->plan, mw_nfs_plan_free);
  /* the settle task may still use it only while it holds a window reference: not here */
  g_clear_pointer (&self->change, mw_bridge_change_free);
  g_free (self->initial_domain);

  G_OBJECT_CLASS (mw_host_setup_window_parent_class)->finalize (object);
}

static void
mw_host_setup_window_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  MwHostSetupWindow *self = MW_HOST_SETUP_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONNECTIONS:
      g_value_set_object (value, self->connections);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_host_setup_window_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  MwHostSetupWindow *self = MW_HOST_SETUP_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONNECTIONS:
      self->connections = g_value_get_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_host_setup_window_class_init (MwHostSetupWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = mw_host_setup_window_dispose;
  object_class->finalize = mw_host_setup_window_finalize;
  object_class->get_property = mw_host_setup_window_get_property;
  object_class->set_property = mw_host_setup_window_set_property;
  window_class->close_request = on_close_request_cb;

  /* Borrowed: the application's list outlives its windows. */
  properties[PROP_CONNECTIONS] =
    g_param_spec_object ("connections", NULL, NULL, MW_TYPE_CONNECTION_LIST,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/MigWizard/mw-host-setup-window.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, MwHostSetupWindow, name)
  BIND (toast_overlay);
  BIND (view_stack);
  BIND (host_a_dropdown);
  BIND (host_b_dropdown);
  BIND (domain_dropdown);
  BIND (server_row);
  BIND (export_row);
  BIND (network_row);
  BIND (pool_row);
  BIND (target_row);
  BIND (plan_label);
  BIND (storage_status_label);
  BIND (storage_steps);
  BIND (network_status_label);
  BIND (host_a_title);
  BIND (host_b_title);
  BIND (host_a_list);
  BIND (host_b_list);
  BIND (domain_list);
  BIND (bridge_host_dropdown);
  BIND (bridge_name_row);
  BIND (bridge_nic_row);
  BIND (bridge_timeout_spin);
  BIND (network_name_row);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_plan_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_hosts_changed_cb);

  gtk_widget_class_install_action (widget_class, "setup.copy-exports", NULL, copy_exports_action);
  gtk_widget_class_install_action (widget_class, "setup.copy-plan", NULL, copy_plan_action);
  gtk_widget_class_install_action (widget_class, "setup.apply-server", NULL, apply_server_action);
  gtk_widget_class_install_action (widget_class, "setup.define-pools", NULL, define_pools_action);
  gtk_widget_class_install_action (widget_class, "setup.refresh-network", NULL,
                                   refresh_network_action);
  gtk_widget_class_install_action (widget_class, "setup.create-bridge", NULL,
                                   create_bridge_action);
  gtk_widget_class_install_action (widget_class, "setup.define-network", NULL,
                                   define_network_action);
}

static void
mw_host_setup_window_init (MwHostSetupWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->hosts = g_ptr_array_new_with_free_func (g_object_unref);
  self->host_names = gtk_string_list_new (NULL);
  self->domain_names = gtk_string_list_new (NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drop_down_set_model (self->domain_dropdown, G_LIST_MODEL (self->domain_names));
}
