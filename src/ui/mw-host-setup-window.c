/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-host-setup-window.c: the Storage and Network pages of host set-up: their actions and the
 * workers behind them. The two hosts and the guest are chosen in mw-host-setup-hosts.c; the
 * NFS server is set up over ssh (its host key confirmed first) in mw-host-setup-server.c; the
 * lists' rows are built by mw-setup-rows.c.
 *
 * Main thread only. Every blocking step (ssh, libvirt) runs in a core worker; completions hold a
 * reference to the window and drop their result when the window's cancellable was cancelled.
 * One operation at a time: `busy` disables the actions that start another.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "mw-application.h"
#include "mw-host-setup-window-private.h"
#include "mw-setup-rows.h"
#include "mw-storage-setup.h"

G_DEFINE_FINAL_TYPE (MwHostSetupWindow, mw_host_setup_window, ADW_TYPE_WINDOW)

enum
{
  PROP_0,
  PROP_CONNECTIONS,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean on_idle_survey_cb (gpointer data);

static void
toast (MwHostSetupWindow *self,
       const char        *text)
{
  AdwToast *new_toast = adw_toast_new (text);

  adw_toast_set_timeout (new_toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, new_toast);
}

/* A step that ran a while is over: a desktop notification when the user is elsewhere. */
static void
notify_done (MwHostSetupWindow *self,
             const char        *title,
             const char        *body)
{
  MwApplication *app = mw_application_for_window (GTK_WINDOW (self));

  if (app != NULL)
    mw_application_notify_done (app, GTK_WINDOW (self), title, body);
}

void
mw_host_setup_window_set_busy (MwHostSetupWindow *self,
                               gboolean           busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  mw_host_setup_window_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* A worker is done: FALSE when the window is going, so its result is to be dropped; else the
 * window is no longer busy. */
gboolean
mw_host_setup_window_end_work (MwHostSetupWindow *self)
{
  if (g_cancellable_is_cancelled (self->cancellable))
    return FALSE;

  mw_host_setup_window_set_busy (self, FALSE);
  /* The hosts may have changed meanwhile; the result at hand is shown, then read anew. */
  g_idle_add_full (G_PRIORITY_DEFAULT, on_idle_survey_cb, g_object_ref (self), g_object_unref);
  return TRUE;
}

/* A dialog asking before a change: Cancel, or response (the suggested one); callback gets
 * the window. The caller adds the body and presents it. */
AdwMessageDialog *
mw_host_setup_window_consent_dialog_new (MwHostSetupWindow *self,
                                         const char        *heading,
                                         const char        *response,
                                         const char        *response_label,
                                         GCallback          callback)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                                         heading, NULL));

  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"),
                                    response, response_label, NULL);
  adw_message_dialog_set_response_appearance (dialog, response, ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", callback, self);

  return dialog;
}

/* Plan */

static gboolean
plan_has_empty_field (MwHostSetupWindow *self)
{
  AdwEntryRow *rows[] = { self->server_row, self->export_row, self->network_row, self->pool_row,
                          self->target_row };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (rows[i])));

      if (*g_strstrip (text) == '\0')
        return TRUE;
    }
  return FALSE;
}

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
  gtk_widget_remove_css_class (GTK_WIDGET (self->plan_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->plan_label), "dim-label");
  gtk_widget_set_visible (GTK_WIDGET (self->plan_warning_label), FALSE);
  if (mw_nfs_plan_validate (plan, &error))
    {
      g_autofree char *text = mw_nfs_plan_render (plan);
      g_auto(GStrv) warnings = mw_nfs_plan_get_warnings (plan);

      gtk_label_set_text (self->plan_label, text);
      if (warnings[0] != NULL)
        {
          g_autofree char *joined = g_strjoinv ("\n", warnings);

          gtk_label_set_text (self->plan_warning_label, joined);
          gtk_widget_set_visible (GTK_WIDGET (self->plan_warning_label), TRUE);
        }
      self->plan = g_steal_pointer (&plan);
    }
  else if (plan_has_empty_field (self))
    {
      /* Not an error yet: the fields are still being filled in. */
      gtk_label_set_text (self->plan_label, _("Fill in every field above to see what the "
                                              "server needs."));
      gtk_widget_add_css_class (GTK_WIDGET (self->plan_label), "dim-label");
    }
  else
    {
      gtk_label_set_text (self->plan_label, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->plan_label), "error");
    }
  mw_host_setup_window_update_actions (self);
}

static void
on_plan_changed_cb (MwHostSetupWindow *self)
{
  update_plan (self);
}

void
mw_host_setup_window_update_actions (MwHostSetupWindow *self)
{
  gboolean idle = !self->busy && self->change == NULL;
  gboolean plan = self->plan != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.copy-exports", plan);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.copy-plan", plan);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.apply-server", idle && plan);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.define-pools",
                                 idle && plan && mw_host_setup_window_hosts_chosen (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.refresh-network",
                                 idle && mw_host_setup_window_hosts_chosen (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.create-bridge",
                                 idle && mw_host_setup_window_hosts_chosen (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.define-network",
                                 idle && mw_host_setup_window_hosts_chosen (self));
}

/* setup.copy-exports: the /etc/exports line; setup.copy-plan: the whole plan. */
static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MwHostSetupWindow *self = MW_HOST_SETUP_WINDOW (widget);
  g_autofree char *text = NULL;

  if (self->plan == NULL)
    return;
  if (g_str_equal (action_name, "setup.copy-exports"))
    text = mw_nfs_plan_get_exports_line (self->plan);
  else
    text = mw_nfs_plan_render (self->plan);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  toast (self, _("Copied"));
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
  if (!mw_host_setup_window_end_work (self))
    return;
  if (outcome == NULL)
    {
      mw_setup_rows_clear (self->storage_steps);
      gtk_label_set_text (self->storage_status_label, error->message);
      notify_done (self, _("Shared storage was not set up"), error->message);
      return;
    }

  mw_setup_rows_show_steps (self->storage_steps, outcome->steps, FALSE);
  if (mw_pool_setup_result_ok (outcome))
    {
      g_string_append_printf (status, _("Pool “%s” is defined, started and set to start at boot "
                                        "on both hosts, and a test volume made on one was seen on "
                                        "the other."), self->plan->pool_name);
      notify_done (self, _("Shared storage is ready"), status->str);
    }
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
      notify_done (self, _("Shared storage was not set up"),
                   _("The pool is not ready on both hosts."));
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

  if (self->plan == NULL || !mw_host_setup_window_hosts_chosen (self))
    return;
  mw_host_setup_window_set_busy (self, TRUE);
  gtk_label_set_text (self->storage_status_label, _("Creating the pool on both hosts…"));
  mw_nfs_setup_pools_async (self->plan,
                            mw_host_setup_window_host_uri (self, self->host_a_dropdown),
                            mw_host_setup_window_host_uri (self, self->host_b_dropdown),
                            self->cancellable, on_pools_done_cb, g_object_ref (self));
}

/* Network */

static void
on_survey_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(MwHostSetupWindow) self = user_data;
  g_autoptr(MwNetworkSurvey) survey = NULL;
  g_autoptr(GError) error = NULL;

  survey = mw_network_survey_finish (result, &error);
  if (!mw_host_setup_window_end_work (self))
    return;
  if (survey == NULL)
    {
      gtk_label_set_text (self->network_status_label, error->message);
      return;
    }

  /* The guest is one of host A's. */
  mw_setup_rows_show_networks (self->host_a_list, self->host_a_title, survey->a, survey->nics,
                               TRUE);
  mw_setup_rows_show_networks (self->host_b_list, self->host_b_title, survey->b, survey->nics,
                               FALSE);
  mw_setup_rows_show_guest (self->domain_list, survey,
                            mw_host_setup_window_get_domain (self) != NULL);
  gtk_label_set_text (self->network_status_label,
                      _("Bridges and libvirt networks of both hosts, side by side."));
  g_clear_pointer (&self->survey, mw_network_survey_free);
  self->survey = g_steal_pointer (&survey);
}

static void
refresh_network_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  MwHostSetupWindow *self = MW_HOST_SETUP_WINDOW (widget);
  const char *uri_a = mw_host_setup_window_host_uri (self, self->host_a_dropdown);
  const char *uri_b = mw_host_setup_window_host_uri (self, self->host_b_dropdown);
  g_autofree char *ssh_a = NULL;
  g_autofree char *ssh_b = NULL;

  if (!mw_host_setup_window_hosts_chosen (self))
    return;
  self->network_stale = FALSE;
  ssh_a = mw_bridge_ssh_target_for_uri (uri_a);
  ssh_b = mw_bridge_ssh_target_for_uri (uri_b);
  mw_host_setup_window_set_busy (self, TRUE);
  gtk_label_set_text (self->network_status_label, _("Reading both hosts…"));
  mw_network_survey_async (uri_a, ssh_a, uri_b, ssh_b, mw_host_setup_window_get_domain (self),
                           self->cancellable, on_survey_done_cb, g_object_ref (self));
}

/* The Network page shows both hosts as soon as it is shown, without a press on Refresh: read
 * them when the page is visible and they changed since the last reading. */
static void
survey_if_shown (MwHostSetupWindow *self)
{
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "network") != 0)
    return;
  if (!mw_host_setup_window_hosts_chosen (self))
    {
      mw_setup_rows_clear (self->host_a_list);
      mw_setup_rows_clear (self->host_b_list);
      mw_setup_rows_clear (self->domain_list);
      gtk_label_set_text (self->network_status_label,
                          _("Choose two different hosts above to compare their networks."));
      return;
    }
  if (self->network_stale && !self->busy && self->change == NULL)
    refresh_network_action (GTK_WIDGET (self), NULL, NULL);
}

static gboolean
on_idle_survey_cb (gpointer data)
{
  MwHostSetupWindow *self = data;

  if (!g_cancellable_is_cancelled (self->cancellable))
    survey_if_shown (self);
  return G_SOURCE_REMOVE;
}

void
mw_host_setup_window_hosts_changed (MwHostSetupWindow *self)
{
  self->network_stale = TRUE;
  g_clear_pointer (&self->survey, mw_network_survey_free);
  survey_if_shown (self);
}

/* Bridge with confirm-or-revert */

static void
network_failed (MwHostSetupWindow *self,
                const GError      *error)
{
  toast (self, error->message);
  gtk_label_set_text (self->network_status_label, error->message);
}

static const char *
bridge_uri (MwHostSetupWindow *self)
{
  gboolean on_b = gtk_drop_down_get_selected (self->bridge_host_dropdown) == 1;

  return mw_host_setup_window_host_uri (self, on_b ? self->host_b_dropdown
                                                   : self->host_a_dropdown);
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
  g_clear_pointer (&self->survey, mw_network_survey_free);
  if (!mw_host_setup_window_end_work (self))
    return;
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
  mw_host_setup_window_set_busy (self, TRUE);
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
  mw_host_setup_window_set_busy (self, FALSE);
  if (change == NULL)
    {
      network_failed (self, error);
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
  mw_host_setup_window_update_actions (self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The bridge the fields describe, or NULL after a toast saying what is wrong. */
static MwBridgePlan *
bridge_plan (MwHostSetupWindow *self)
{
  g_autofree char *target = mw_bridge_ssh_target_for_uri (bridge_uri (self));
  g_autoptr(MwBridgePlan) plan = NULL;
  g_autoptr(GError) error = NULL;

  if (target == NULL)
    {
      toast (self, _("This connection does not name a host MigWizard can reach over SSH."));
      return NULL;
    }
  plan = mw_bridge_plan_new (target, gtk_editable_get_text (GTK_EDITABLE (self->bridge_name_row)),
                             gtk_editable_get_text (GTK_EDITABLE (self->bridge_nic_row)),
                             (guint) gtk_spin_button_get_value_as_int (self->bridge_timeout_spin));
  if (!mw_bridge_plan_validate (plan, &error))
    {
      toast (self, error->message);
      return NULL;
    }
  return g_steal_pointer (&plan);
}

static void
on_bridge_consent_cb (AdwMessageDialog  *dialog,
                      const char        *response,
                      MwHostSetupWindow *self)
{
  g_autoptr(MwBridgePlan) plan = NULL;

  if (!g_str_equal (response, "create"))
    return;
  plan = bridge_plan (self);
  if (plan == NULL)
    return;
  mw_host_setup_window_set_busy (self, TRUE);
  gtk_label_set_text (self->network_status_label, _("Creating the bridge…"));
  mw_bridge_create_async (plan, self->cancellable, on_bridge_created_cb, g_object_ref (self));
}

/* The Network page's reading of the host the bridge would go on, or NULL when it has none. */
static const MwHostNetworks *
bridge_host_networks (MwHostSetupWindow *self)
{
  if (self->survey == NULL)
    return NULL;
  return gtk_drop_down_get_selected (self->bridge_host_dropdown) == 1 ? self->survey->b
                                                                      : self->survey->a;
}

static void
create_bridge_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  MwHostSetupWindow *self = MW_HOST_SETUP_WINDOW (widget);
  const MwHostNetworks *host = bridge_host_networks (self);
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->bridge_name_row));
  g_autoptr(MwBridgePlan) plan = NULL;
  AdwMessageDialog *dialog;

  /* Issue #10: the window listed hostb's br0 and still offered to create "an empty bridge br0"
   * there, which the host then refused after the user had agreed. */
  if (host != NULL && mw_host_networks_has_bridge (host, name))
    {
      g_autofree char *text =
        /* Translators: the first %s is a host ("hostb"), the second a bridge ("br0") */
        g_strdup_printf (_("%s already has a bridge “%s”: use it as it is, or choose another "
                           "name."), host->label, name);

      toast (self, text);
      return;
    }
  plan = bridge_plan (self);
  if (plan == NULL)
    return;
  dialog = mw_host_setup_window_consent_dialog_new (self, _("Create the Bridge?"), "create",
                                                    _("C_reate"),
                                                    G_CALLBACK (on_bridge_consent_cb));
  if (plan->nic != NULL)
    adw_message_dialog_format_body (dialog,
                                    _("On %s, bridge “%s” takes over %s and its addresses. If "
                                      "you do not keep the change within %u seconds, the host "
                                      "puts everything back by itself, even if the connection "
                                      "is lost."), plan->ssh_target, plan->bridge, plan->nic,
                                    plan->timeout_s);
  else
    adw_message_dialog_format_body (dialog,
                                    _("On %s, an empty bridge “%s” is created. If you do not "
                                      "keep it within %u seconds, the host removes it by "
                                      "itself."), plan->ssh_target, plan->bridge,
                                    plan->timeout_s);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_network_defined_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(MwHostSetupWindow) self = user_data;
  g_autoptr(GPtrArray) done = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *host = NULL;
  g_autofree char *done_text = NULL;

  done = mw_bridge_define_network_finish (result, NULL, &error);
  if (!mw_host_setup_window_end_work (self))
    return;
  if (done == NULL)
    {
      network_failed (self, error);
      notify_done (self, _("The bridge network was not set up"), error->message);
      return;
    }
  /* On the one host chosen under On Host, not on both: the sentence names it. */
  host = mw_setup_host_label (bridge_uri (self));
  /* Translators: %1$s is the libvirt network's name, %2$s the host ("hostb"). */
  done_text = g_strdup_printf (_("The bridge network “%1$s” is defined and started on %2$s."),
                               gtk_editable_get_text (GTK_EDITABLE (self->network_name_row)),
                               host);
  toast (self, done_text);
  notify_done (self, _("The bridge network is ready"), done_text);
  refresh_network_action (GTK_WIDGET (self), NULL, NULL);
}

static void
define_network_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  MwHostSetupWindow *self = MW_HOST_SETUP_WINDOW (widget);

  if (!mw_host_setup_window_hosts_chosen (self))
    return;
  mw_host_setup_window_set_busy (self, TRUE);
  mw_bridge_define_network_async (bridge_uri (self),
                                  gtk_editable_get_text (GTK_EDITABLE (self->network_name_row)),
                                  gtk_editable_get_text (GTK_EDITABLE (self->bridge_name_row)),
                                  self->cancellable, on_network_defined_cb, g_object_ref (self));
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
  mw_host_setup_window_fill_hosts (self);
  update_plan (self);
  return self;
}

/* GObject */

/* The window is going: the workers' results are dropped, and a pending bridge change is not
 * confirmed by closing: the host rolls it back. */
static void
drop_work (MwHostSetupWindow *self)
{
  g_cancellable_cancel (self->cancellable);
  stop_countdown (self);
}

static gboolean
on_close_request_cb (GtkWindow *window)
{
  drop_work (MW_HOST_SETUP_WINDOW (window));
  return FALSE;
}

static void
mw_host_setup_window_dispose (GObject *object)
{
  MwHostSetupWindow *self = MW_HOST_SETUP_WINDOW (object);

  drop_work (self);
  if (self->view_stack != NULL)
    g_signal_handlers_disconnect_by_data (self->view_stack, self);
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
  g_clear_pointer (&self->survey, mw_network_survey_free);
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
  gtk_widget_class_bind_template_child (widget_class, MwHostSetupWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MwHostSetupWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, MwHostSetupWindow, host_a_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MwHostSetupWindow, host_b_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MwHostSetupWindow, domain_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MwHostSetupWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, MwHostSetupWindow, export_row);
  gtk_widget_class_bind_template_child (widget_class, MwHostSetupWindow, network_row);
  gtk_widget_class_bind_template_child (widget_class, MwHostSetupWindow, pool_row);
  gtk_widget_class_bind_template_child (widget_class, MwHostSetupWindow, target_row);
  gtk_widget_class_bind_template_child (widget_class, MwHostSetupWindow, plan_label);
  gtk_widget_class_bind_template_child (widget_class, MwHostSetupWindow, plan_warning_label);
  gtk_widget_class_bind_template_child (widget_class, MwHostSetupWindow, storage_status_label);
  gtk_widget_class_bind_template_child (widget_class, MwHostSetupWindow, storage_steps);
  gtk_widget_class_bind_template_child (widget_class, MwHostSetupWindow, network_status_label);
  gtk_widget_class_bind_template_child (widget_class, MwHostSetupWindow, host_a_title);
  gtk_widget_class_bind_template_child (widget_class, MwHostSetupWindow, host_b_title);
  gtk_widget_class_bind_template_child (widget_class, MwHostSetupWindow, host_a_list);
  gtk_widget_class_bind_template_child (widget_class, MwHostSetupWindow, host_b_list);
  gtk_widget_class_bind_template_child (widget_class, MwHostSetupWindow, domain_list);
  gtk_widget_class_bind_template_child (widget_class, MwHostSetupWindow, bridge_host_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MwHostSetupWindow, bridge_name_row);
  gtk_widget_class_bind_template_child (widget_class, MwHostSetupWindow, bridge_nic_row);
  gtk_widget_class_bind_template_child (widget_class, MwHostSetupWindow, bridge_timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, MwHostSetupWindow, network_name_row);
  gtk_widget_class_bind_template_callback (widget_class, on_plan_changed_cb);
  mw_host_setup_window_class_init_hosts (widget_class);

  gtk_widget_class_install_action (widget_class, "setup.copy-exports", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "setup.copy-plan", NULL, copy_action);
  mw_host_setup_window_class_init_server (widget_class);
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
  self->network_stale = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drop_down_set_model (self->domain_dropdown, G_LIST_MODEL (self->domain_names));
  g_signal_connect_swapped (self->view_stack, "notify::visible-child-name",
                            G_CALLBACK (survey_if_shown), self);
}
