/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-add-host-tests.c: the Add Host wizard's Test page. Logs in over SSH, asks libvirt for its
 * versions, then checks the peer-to-peer path from the new host to every other SSH host in the
 * list and offers to set it up. Main thread; the ssh work runs in mw-ssh's workers (the
 * _async calls copy what they need), each with the window's cancellable. Window and rows are
 * referenced and let go of only here, on the main thread. */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-add-host-wizard-private.h"

static void
set_step (GtkStack   *state,
          GtkSpinner *spinner,
          const char *name)
{
  gtk_stack_set_visible_child_name (state, name);
  gtk_spinner_set_spinning (spinner, g_str_equal (name, "run"));
}

/* A step's outcome on its row: "ok", or "fail" with the reason and a way to run the tests
 * again; nothing when it was cancelled. FALSE unless it passed. */
static gboolean
end_step (MwAddHostWizard *self,
          GtkStack        *state,
          GtkSpinner      *spinner,
          AdwActionRow    *row,
          const GError    *error)
{
  if (error == NULL)
    {
      set_step (state, spinner, "ok");
      return TRUE;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;

  set_step (state, spinner, "fail");
  adw_action_row_set_subtitle (row, error->message);
  gtk_button_set_label (self->next_button, _("_Try Again"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next", TRUE);

  return FALSE;
}

/* One peer-to-peer path on the Test page: the new host (source) to a peer already in the list. */
typedef struct
{
  MwAddHostWizard *self;   /* owned reference */
  AdwActionRow *row;       /* owned reference */
  MwSshTarget *peer;
  MwSshHostKey *peer_key;  /* confirmed by the user, once fetched */
} P2pPath;

static void
p2p_path_free (P2pPath *path)
{
  g_clear_object (&path->self);
  g_clear_object (&path->row);
  g_clear_pointer (&path->peer, mw_ssh_target_free);
  g_clear_pointer (&path->peer_key, mw_ssh_host_key_free);
  g_free (path);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (P2pPath, p2p_path_free)

static void check_p2p_path (P2pPath *path);

static void
set_p2p_row (AdwActionRow *row,
             const char   *icon_name,
             const char   *css_class,
             const char   *subtitle,
             GtkWidget    *suffix)
{
  GtkWidget *old_icon = g_object_get_data (G_OBJECT (row), "mw-icon");
  GtkWidget *old_suffix = g_object_get_data (G_OBJECT (row), "mw-suffix");
  GtkWidget *icon = NULL;

  if (old_icon != NULL)
    adw_action_row_remove (row, old_icon);
  if (old_suffix != NULL)
    adw_action_row_remove (row, old_suffix);
  if (icon_name != NULL)
    {
      icon = gtk_image_new_from_icon_name (icon_name);
      if (css_class != NULL)
        gtk_widget_add_css_class (icon, css_class);
      adw_action_row_add_prefix (row, icon);
    }
  if (suffix != NULL)
    adw_action_row_add_suffix (row, suffix);
  g_object_set_data (G_OBJECT (row), "mw-icon", icon);
  g_object_set_data (G_OBJECT (row), "mw-suffix", suffix);
  adw_action_row_set_subtitle (row, subtitle);
}

/* Main thread: the path came back with the result, and goes here. */
static void
on_p2p_setup_done_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(P2pPath) path = user_data;
  g_autoptr(GError) error = NULL;

  if (!mw_ssh_setup_p2p_finish (result, &error))
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("Setting it up failed: %s"), error->message);
      set_p2p_row (path->row, "dialog-error-symbolic", "error", text, NULL);
      return;
    }

  /* Checked again, not assumed. */
  check_p2p_path (path);
}

/* The worker gets copies of the targets and the key (mw_ssh_setup_p2p_async); the path, with
 * its window and row, stays here and comes back with the result. */
static void
start_p2p_setup (P2pPath *path)
{
  set_p2p_row (path->row, NULL, NULL, _("Setting it up…"), gtk_spinner_new ());
  gtk_spinner_start (GTK_SPINNER (g_object_get_data (G_OBJECT (path->row), "mw-suffix")));
  mw_ssh_setup_p2p_async (path->self->context, path->self->target, path->peer, path->peer_key,
                          NULL, path->self->cancellable, on_p2p_setup_done_cb, path);
}

static void
on_p2p_confirm_response_cb (AdwMessageDialog *dialog,
                            const char       *response,
                            gpointer          user_data)
{
  P2pPath *path = user_data;

  if (g_strcmp0 (response, "setup") != 0)
    {
      p2p_path_free (path);
      return;
    }
  start_p2p_setup (path);
}

void
mw_add_host_wizard_setup_p2p (MwAddHostWizard    *self,
                              AdwActionRow       *row,
                              const MwSshTarget  *peer,
                              const MwSshHostKey *peer_key)
{
  P2pPath *path = g_new0 (P2pPath, 1);

  path->self = g_object_ref (self);
  path->row = g_object_ref (row);
  path->peer = mw_ssh_target_copy (peer);
  path->peer_key = mw_ssh_host_key_copy (peer_key);
  start_p2p_setup (path);
}

static void
on_p2p_peer_key_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(P2pPath) path = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSshHostKeyCheck) check = mw_ssh_check_host_key_finish (result, &error);
  g_autofree char *source_name = NULL;
  g_autofree char *peer_name = NULL;
  MwSshHostKey *key;
  AdwMessageDialog *dialog;

  if (check == NULL)
    {
      /* A changed key for the peer is the same loud stop as for a new host. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_p2p_row (path->row, "dialog-error-symbolic", "error", error->message, NULL);
      return;
    }

  key = check->known != NULL ? check->known : g_ptr_array_index (check->keys, 0);
  path->peer_key = mw_ssh_host_key_copy (key);
  source_name = mw_ssh_target_to_string (path->self->target);
  peer_name = mw_ssh_target_to_string (path->peer);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (path->self),
                                                       _("Let the Source Host Log In to the Destination?"),
                                                       NULL));
  adw_message_dialog_format_body (
    dialog,
    /* Translators: %1$s is the source host, %2$s the destination, %3$s the key type, %4$s its
     * SHA256 fingerprint */
    _("In a peer-to-peer migration the libvirt daemon on %1$s logs in to %2$s as root. "
      "MigWizard will give root on %1$s an SSH key if it has none, make it trust this host key "
      "of %2$s:\n\n%3$s %4$s\n\nand authorise that key for root on %2$s. Compare the "
      "fingerprint with the one %2$s shows before you go on."),
    source_name, peer_name, key->type, key->fingerprint);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "setup", _("_Set Up"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "setup", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_p2p_confirm_response_cb),
                    g_steal_pointer (&path));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_p2p_setup_clicked_cb (GtkButton *button,
                         P2pPath   *template)
{
  P2pPath *path = g_new0 (P2pPath, 1);

  path->self = g_object_ref (template->self);
  path->row = g_object_ref (template->row);
  path->peer = mw_ssh_target_copy (template->peer);
  set_p2p_row (path->row, NULL, NULL, _("Fetching the destination’s host key…"),
               gtk_spinner_new ());
  gtk_spinner_start (GTK_SPINNER (g_object_get_data (G_OBJECT (path->row), "mw-suffix")));
  mw_ssh_check_host_key_async (path->self->context, path->peer, path->self->cancellable,
                               on_p2p_peer_key_cb, path);
}

static void
on_p2p_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(P2pPath) path = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *explanation = NULL;
  gboolean works = mw_ssh_check_p2p_finish (result, &explanation, &error);
  GtkWidget *button;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Could not check as root on the source: %s"),
                                               error->message);

      set_p2p_row (path->row, "dialog-warning-symbolic", "warning", text, NULL);
      return;
    }
  if (works)
    {
      set_p2p_row (path->row, "emblem-ok-symbolic", "success", explanation, NULL);
      return;
    }

  /* Offer the fix; the button keeps this path for its clicks (each click works on a copy). */
  {
    AdwActionRow *row = path->row;  /* kept alive by the path the button owns */

    button = gtk_button_new_with_mnemonic (_("_Set Up…"));
    gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
    g_signal_connect_data (button, "clicked", G_CALLBACK (on_p2p_setup_clicked_cb),
                           g_steal_pointer (&path),
                           (GClosureNotify) (void (*) (void)) p2p_path_free, 0);
    set_p2p_row (row, "dialog-warning-symbolic", "warning", explanation, button);
  }
}

static void
check_p2p_path (P2pPath *path)
{
  P2pPath *check = g_new0 (P2pPath, 1);

  check->self = g_object_ref (path->self);
  check->row = g_object_ref (path->row);
  check->peer = mw_ssh_target_copy (path->peer);
  set_p2p_row (check->row, NULL, NULL, _("Checking…"), NULL);
  mw_ssh_check_p2p_async (check->self->context, check->self->target, check->peer->host,
                          check->self->cancellable, on_p2p_done_cb, check);
}

/* Peer-to-peer from the new host to every other SSH host in the list: the source's libvirtd
 * logs in to the destination as root. Informative; it never blocks adding the host. */
static void
check_p2p_paths (MwAddHostWizard *self)
{
  MwConnectionList *connections = mw_connection_adder_get_connections (MW_CONNECTION_ADDER (self));
  GListModel *list = G_LIST_MODEL (connections);
  guint n = g_list_model_get_n_items (list);
  P2pPath path = { 0 };

  for (guint i = 0; i < self->p2p_rows->len; i++)
    adw_preferences_group_remove (self->p2p_group, g_ptr_array_index (self->p2p_rows, i));
  g_ptr_array_set_size (self->p2p_rows, 0);

  if (mw_add_host_wizard_get_transport (self) != MW_TRANSPORT_SSH)
    return;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MwConnection) connection = g_list_model_get_item (list, i);
      g_autoptr(MwUri) peer = mw_uri_parse (mw_connection_get_uri (connection), NULL);
      g_autofree char *title = NULL;
      GtkWidget *row;

      if (peer == NULL || peer->transport != MW_TRANSPORT_SSH || peer->host == NULL
          || g_strcmp0 (peer->host, self->target->host) == 0)
        continue;

      /* Translators: a migration path, "hosta → hostb" */
      title = g_strdup_printf (_("%s → %s"), self->target->host, peer->host);
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_group_add (self->p2p_group, row);
      g_ptr_array_add (self->p2p_rows, row);

      path.self = self;
      path.row = ADW_ACTION_ROW (row);
      path.peer = g_new0 (MwSshTarget, 1);
      path.peer->user = g_strdup (peer->user);
      path.peer->host = g_strdup (peer->host);
      path.peer->port = peer->port;
      check_p2p_path (&path);
      g_clear_pointer (&path.peer, mw_ssh_target_free);
    }
}

static void
on_libvirt_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(MwAddHostWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSshLibvirtInfo) info = mw_ssh_test_libvirt_finish (result, &error);
  g_autofree char *lib = NULL;
  g_autofree char *hv = NULL;
  g_autofree char *versions = NULL;
  g_autofree char *description = NULL;

  if (!end_step (self, self->libvirt_state, self->libvirt_spinner, self->libvirt_row, error))
    return;

  adw_action_row_set_subtitle (self->libvirt_row, mw_add_host_wizard_get_uri (self));
  lib = mw_ssh_format_version (info->lib_version);
  hv = mw_ssh_format_version (info->hv_version);
  /* Translators: "hostb: libvirt 9.0.0, QEMU 7.2.0" */
  versions = g_strdup_printf (_("%s: libvirt %s, %s %s"), info->hostname, lib,
                              info->hypervisor, hv);
  adw_action_row_set_subtitle (self->versions_row, versions);

  description = g_strdup_printf (_("%s\n%s"), mw_add_host_wizard_get_uri (self), versions);
  adw_status_page_set_description (self->done_page, description);
  self->test_passed = TRUE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next", TRUE);
  check_p2p_paths (self);
}

static void
start_libvirt_test (MwAddHostWizard *self)
{
  set_step (self->libvirt_state, self->libvirt_spinner, "run");
  mw_ssh_test_libvirt_async (mw_add_host_wizard_get_uri (self), self->cancellable,
                             on_libvirt_done_cb, g_object_ref (self));
}

static void
on_login_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(MwAddHostWizard) self = user_data;
  g_autoptr(GError) error = NULL;

  mw_ssh_test_login_finish (result, &error);
  if (!end_step (self, self->login_state, self->login_spinner, self->login_row, error))
    return;

  adw_action_row_set_subtitle (self->login_row, "");
  start_libvirt_test (self);
}

void
mw_add_host_wizard_run_tests (MwAddHostWizard *self)
{
  self->test_passed = FALSE;
  gtk_button_set_label (self->next_button, _("_Next"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next", FALSE);
  adw_action_row_set_subtitle (self->libvirt_row, "");
  set_step (self->libvirt_state, self->libvirt_spinner, "wait");
  adw_action_row_set_subtitle (self->versions_row, "—");

  if (mw_add_host_wizard_get_transport (self) != MW_TRANSPORT_SSH)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->login_row), FALSE);
      start_libvirt_test (self);
      return;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->login_row), TRUE);
  set_step (self->login_state, self->login_spinner, "run");
  mw_ssh_test_login_async (self->context, self->target, self->cancellable, on_login_done_cb,
                           g_object_ref (self));
}
