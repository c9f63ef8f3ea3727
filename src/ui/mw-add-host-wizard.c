/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-add-host-wizard.c: the Add Remote Host wizard.
 *
 * Main thread only. Every ssh, ssh-keygen and libvirt step is an mw-ssh _async call with the
 * window's cancellable (cancelled on close); results come back here and move the stack. The
 * password lives in the password row and in the copy task's data (wiped when freed) only.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-add-host-wizard.h"
#include "mw-secrets.h"

struct _MwAddHostWizard
{
  AdwWindow parent_instance;

  /* Template widgets */
  AdwWindowTitle *window_title;
  GtkButton *next_button;
  AdwToastOverlay *toast_overlay;
  GtkStack *stack;
  AdwEntryRow *address_row;
  AdwComboRow *hypervisor_row;
  AdwComboRow *transport_row;
  GtkLabel *message_label;
  GtkLabel *uri_label;
  AdwStatusPage *busy_page;
  GtkSpinner *busy_spinner;
  AdwActionRow *key_type_row;
  GtkLabel *fingerprint_label;
  AdwPreferencesGroup *other_keys_group;
  GtkLabel *other_keys_label;
  AdwPreferencesGroup *host_key_group;
  GtkLabel *changed_label;
  AdwPreferencesGroup *key_group;
  AdwActionRow *existing_key_row;
  AdwPasswordEntryRow *passphrase_row;
  AdwPasswordEntryRow *passphrase_confirm_row;
  AdwPreferencesGroup *password_group;
  AdwPasswordEntryRow *password_row;
  GtkSwitch *remember_switch;
  GtkStack *login_state;
  GtkSpinner *login_spinner;
  AdwActionRow *login_row;
  GtkStack *libvirt_state;
  GtkSpinner *libvirt_spinner;
  AdwActionRow *libvirt_row;
  AdwActionRow *versions_row;
  AdwPreferencesGroup *p2p_group;
  AdwStatusPage *done_page;

  /* Owned */
  MwConnectionList *connections;
  MwSshContext *context;
  GCancellable *cancellable;
  MwSshTarget *target;
  MwSshHostKey *host_key;     /* the key shown for confirmation */
  char *public_key;           /* the user's public key file, once known */
  char *uri;
  char *message;
  GPtrArray *p2p_rows;        /* rows added to p2p_group, one per peer */
  gboolean test_passed;
};

enum {
  PROP_0,
  PROP_CONNECTIONS,
  PROP_URI,
  PROP_PAGE,
  N_PROPS
};

enum {
  CONNECTION_ADDED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (MwAddHostWizard, mw_add_host_wizard, ADW_TYPE_WINDOW)

static void run_tests          (MwAddHostWizard *self);
static void show_password_page (MwAddHostWizard *self);

MwAddHostWizard *
mw_add_host_wizard_new (GtkWindow          *parent,
                        MwConnectionList   *connections,
                        const MwSshContext *context)
{
  MwAddHostWizard *self = g_object_new (MW_TYPE_ADD_HOST_WIZARD,
                                        "transient-for", parent,
                                        "connections", connections,
                                        NULL);

  if (context != NULL)
    {
      mw_ssh_context_free (self->context);
      self->context = mw_ssh_context_copy (context);
    }
  return self;
}

const char *
mw_add_host_wizard_get_page (MwAddHostWizard *self)
{
  g_return_val_if_fail (MW_IS_ADD_HOST_WIZARD (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
mw_add_host_wizard_get_uri (MwAddHostWizard *self)
{
  g_return_val_if_fail (MW_IS_ADD_HOST_WIZARD (self), NULL);

  return self->uri;
}

const char *
mw_add_host_wizard_get_message (MwAddHostWizard *self)
{
  g_return_val_if_fail (MW_IS_ADD_HOST_WIZARD (self), NULL);

  return self->message;
}

static MwTransport
get_transport (MwAddHostWizard *self)
{
  switch (adw_combo_row_get_selected (self->transport_row))
    {
    case 1:
      return MW_TRANSPORT_TLS;
    case 2:
      return MW_TRANSPORT_TCP;
    default:
      return MW_TRANSPORT_SSH;
    }
}

static void
set_message (MwAddHostWizard *self,
             const char      *message,
             const char      *style)
{
  GtkWidget *label = GTK_WIDGET (self->message_label);

  g_free (self->message);
  self->message = g_strdup (message);

  gtk_label_set_text (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (label, message != NULL);
  gtk_widget_remove_css_class (label, "error");
  gtk_widget_remove_css_class (label, "warning");
  gtk_widget_remove_css_class (label, "dim-label");
  if (style != NULL)
    gtk_widget_add_css_class (label, style);
}

/* Page changes go through here so the header, the next action and `page` agree. */
static void
show_page (MwAddHostWizard *self,
           const char      *name)
{
  const char *next_label = _("_Next");
  gboolean can_go_on = TRUE;
  g_autofree char *subtitle = NULL;

  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_spinner_set_spinning (self->busy_spinner, g_str_equal (name, "busy"));

  if (g_str_equal (name, "host"))
    can_go_on = self->uri != NULL;
  else if (g_str_equal (name, "busy") || g_str_equal (name, "changed"))
    can_go_on = FALSE;
  else if (g_str_equal (name, "host-key"))
    next_label = _("_Confirm");
  else if (g_str_equal (name, "password"))
    {
      next_label = _("_Copy Key");
      can_go_on = *gtk_editable_get_text (GTK_EDITABLE (self->password_row)) != '\0';
    }
  else if (g_str_equal (name, "test"))
    can_go_on = self->test_passed;
  else if (g_str_equal (name, "done"))
    next_label = _("_Add Host");

  gtk_button_set_label (self->next_button, next_label);
  gtk_widget_set_visible (GTK_WIDGET (self->next_button), !g_str_equal (name, "changed"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next", can_go_on);
  if (self->target != NULL)
    subtitle = mw_ssh_target_to_string (self->target);
  adw_window_title_set_subtitle (self->window_title, subtitle != NULL ? subtitle : "");

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
}

static void
show_busy (MwAddHostWizard *self,
           const char      *title)
{
  adw_status_page_set_title (self->busy_page, title);
  show_page (self, "busy");
}

/* Back to the Host page with the reason, for what the user can fix there. */
static void
fail_to_host_page (MwAddHostWizard *self,
                   const GError    *error)
{
  set_message (self, error->message, "error");
  show_page (self, "host");
}

static void
on_field_changed_cb (MwAddHostWizard *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->address_row));
  MwTransport transport = get_transport (self);
  MwHypervisor hypervisor = adw_combo_row_get_selected (self->hypervisor_row) == 1
                              ? MW_HYPERVISOR_QEMU_SESSION : MW_HYPERVISOR_QEMU;
  g_autoptr(MwSshTarget) target = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;

  target = mw_ssh_target_parse (text, &error);
  if (target != NULL)
    uri = mw_ssh_target_to_uri (target, hypervisor, transport, &error);

  if (uri != NULL && target->user == NULL && transport == MW_TRANSPORT_SSH)
    set_message (self, _("No user given: ssh uses the one from your ~/.ssh/config, or your "
                         "own user name."), "dim-label");
  else if (error != NULL)
    set_message (self, error->message,
                 g_error_matches (error, MW_URI_ERROR, MW_URI_ERROR_EMPTY) ? "dim-label"
                                                                           : "error");
  else if (transport == MW_TRANSPORT_TCP)
    set_message (self, _("TCP has no authentication and no encryption: it works only with "
                         "auth_tcp = \"none\" in libvirtd.conf, which lets anyone who can "
                         "reach port 16509 control every VM on the host. Use it only on an "
                         "isolated lab network. SSH or TLS are the safe choices."), "warning");
  else if (transport == MW_TRANSPORT_TLS)
    set_message (self, _("TLS encrypts and authenticates with X.509 certificates: the host "
                         "needs a server certificate, and this computer a client certificate "
                         "in /etc/pki/libvirt (or ~/.pki/libvirt), both signed by a CA the "
                         "other side trusts. MigWizard does not set these up; SSH needs "
                         "nothing but an account."), "dim-label");
  else
    set_message (self, NULL, NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->address_row), TRUE);
  if (error != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->address_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->address_row), "error");

  g_clear_pointer (&self->target, mw_ssh_target_free);
  self->target = g_steal_pointer (&target);
  g_free (self->uri);
  self->uri = g_steal_pointer (&uri);
  gtk_label_set_text (self->uri_label, self->uri != NULL ? self->uri : "");
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "host") == 0)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next", self->uri != NULL);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URI]);
}

static void
on_address_activated_cb (MwAddHostWizard *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "wizard.next", NULL);
}

static void
on_passphrase_changed_cb (MwAddHostWizard *self)
{
  const char *a = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row));
  const char *b = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_confirm_row));
  gboolean same = g_strcmp0 (a, b) == 0;

  if (same)
    gtk_widget_remove_css_class (GTK_WIDGET (self->passphrase_confirm_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->passphrase_confirm_row), "error");
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "key") == 0)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next", same);
}

static void
on_password_changed_cb (MwAddHostWizard *self)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "password") == 0)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next",
                                   *gtk_editable_get_text (GTK_EDITABLE (self->password_row))
                                     != '\0');
}

/* ---- the key page ------------------------------------------------------------------------- */

static void
show_key_page (MwAddHostWizard *self)
{
  g_autofree char *path = mw_ssh_find_public_key (self->context);
  g_autofree char *dir = mw_ssh_context_get_dir (self->context);
  gboolean have_key = path != NULL;

  g_free (self->public_key);
  self->public_key = g_steal_pointer (&path);

  gtk_widget_set_visible (GTK_WIDGET (self->existing_key_row), have_key);
  gtk_widget_set_visible (GTK_WIDGET (self->passphrase_row), !have_key);
  gtk_widget_set_visible (GTK_WIDGET (self->passphrase_confirm_row), !have_key);
  if (have_key)
    {
      adw_preferences_group_set_description (self->key_group,
        _("MigWizard logs in with this key. If the host does not accept it yet, you type the "
          "password once and the key is copied to the host."));
      adw_action_row_set_subtitle (self->existing_key_row, self->public_key);
    }
  else
    {
      g_autofree char *description =
        g_strdup_printf (_("You have no SSH key yet. MigWizard creates an ed25519 key in %s. "
                           "A passphrase protects it if this computer is stolen; with a "
                           "passphrase, your SSH agent must hold the key for MigWizard to log "
                           "in."), dir);

      adw_preferences_group_set_description (self->key_group, description);
    }

  show_page (self, "key");
  if (!have_key)
    on_passphrase_changed_cb (self);
}

static void
on_accept_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(MwAddHostWizard) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!mw_ssh_accept_host_key_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail_to_host_page (self, error);
      return;
    }

  show_key_page (self);
}

void
mw_add_host_wizard_show_host_key (MwAddHostWizard         *self,
                                  const MwSshHostKeyCheck *check,
                                  const GError            *error)
{
  GString *others;

  g_return_if_fail (MW_IS_ADD_HOST_WIZARD (self));
  g_return_if_fail (check != NULL || error != NULL);

  if (check == NULL)
    {
      if (g_error_matches (error, MW_SSH_ERROR, MW_SSH_ERROR_HOST_KEY_CHANGED))
        {
          gtk_label_set_text (self->changed_label, error->message);
          show_page (self, "changed");
        }
      else
        fail_to_host_page (self, error);
      return;
    }

  if (check->state == MW_SSH_HOST_KEY_KNOWN_SAME)
    {
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_("The host key is already known and matches.")));
      show_key_page (self);
      return;
    }

  g_clear_pointer (&self->host_key, mw_ssh_host_key_free);
  self->host_key = mw_ssh_host_key_copy (g_ptr_array_index (check->keys, 0));
  {
    g_autofree char *type = g_strdup_printf (_("%s (%u bits)"), self->host_key->type,
                                             self->host_key->bits);

    adw_action_row_set_subtitle (self->key_type_row, type);
  }
  gtk_label_set_text (self->fingerprint_label, self->host_key->fingerprint);

  others = g_string_new (NULL);
  for (guint i = 1; i < check->keys->len; i++)
    {
      MwSshHostKey *key = g_ptr_array_index (check->keys, i);

      g_string_append_printf (others, "%s%s %s", others->len > 0 ? "\n" : "", key->type,
                              key->fingerprint);
    }
  gtk_label_set_text (self->other_keys_label, others->str);
  gtk_widget_set_visible (GTK_WIDGET (self->other_keys_group), others->len > 0);
  g_string_free (others, TRUE);

  show_page (self, "host-key");
}

static void
on_check_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(MwAddHostWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSshHostKeyCheck) check = mw_ssh_check_host_key_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  mw_add_host_wizard_show_host_key (self, check, error);
}

/* ---- key, password, tests ----------------------------------------------------------------- */

static void
on_generate_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(MwAddHostWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = mw_ssh_generate_key_finish (result, &error);

  if (path == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
          show_key_page (self);
        }
      return;
    }

  g_free (self->public_key);
  self->public_key = g_steal_pointer (&path);
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_confirm_row), "");
  show_password_page (self);
}

static void
show_password_page (MwAddHostWizard *self)
{
  g_autofree char *description = NULL;

  description = g_strdup_printf (_("The host does not accept your key yet. Type the password "
                                   "of %s on %s once: MigWizard logs in with it to add %s to "
                                   "~/.ssh/authorized_keys there, and never writes it to disk."),
                                 self->target->user != NULL ? self->target->user
                                                            : g_get_user_name (),
                                 self->target->host, self->public_key);
  adw_preferences_group_set_description (self->password_group, description);
  show_page (self, "password");
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
on_first_login_done_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(MwAddHostWizard) self = user_data;
  g_autoptr(GError) error = NULL;

  if (mw_ssh_test_login_finish (result, &error))
    {
      /* The key works already: no password needed. */
      show_page (self, "test");
      run_tests (self);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (g_error_matches (error, MW_SSH_ERROR, MW_SSH_ERROR_HOST_KEY_CHANGED))
    {
      gtk_label_set_text (self->changed_label, error->message);
      show_page (self, "changed");
      return;
    }

  show_password_page (self);
}

static void
on_secret_stored_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(MwAddHostWizard) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!mw_secrets_store_finish (result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *text = g_strdup_printf (_("The password was not saved in the keyring: %s"),
                                               error->message);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
    }
}

static void
on_copy_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(MwAddHostWizard) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!mw_ssh_copy_key_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      show_password_page (self);
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (g_error_matches (error, MW_SSH_ERROR,
                                                                   MW_SSH_ERROR_AUTH)
                                                  ? _("The password was refused. Try again.")
                                                  : error->message));
      return;
    }

  if (gtk_switch_get_active (self->remember_switch))
    mw_secrets_store_async (self->target->host, self->target->port,
                            self->target->user != NULL ? self->target->user : g_get_user_name (),
                            gtk_editable_get_text (GTK_EDITABLE (self->password_row)),
                            self->cancellable, on_secret_stored_cb, g_object_ref (self));
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");

  show_page (self, "test");
  run_tests (self);
}

static void
set_step (GtkStack   *state,
          GtkSpinner *spinner,
          const char *name)
{
  gtk_stack_set_visible_child_name (state, name);
  gtk_spinner_set_spinning (spinner, g_str_equal (name, "run"));
}

/* A failed step leaves the page with the reason and a way to run the tests again. */
static void
offer_retry (MwAddHostWizard *self)
{
  gtk_button_set_label (self->next_button, _("_Try Again"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next", TRUE);
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

static void
on_p2p_setup_done_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  P2pPath *path = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
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

/* Worker: the whole fix (mw_ssh_setup_p2p blocks on ssh). */
static void
p2p_setup_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  P2pPath *path = task_data;
  GError *error = NULL;

  if (mw_ssh_setup_p2p (path->self->context, path->self->target, path->peer, path->peer_key, NULL,
                        cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_p2p_confirm_response_cb (AdwMessageDialog *dialog,
                            const char       *response,
                            gpointer          user_data)
{
  P2pPath *path = user_data;
  g_autoptr(GTask) task = NULL;

  if (g_strcmp0 (response, "setup") != 0)
    {
      p2p_path_free (path);
      return;
    }

  set_p2p_row (path->row, NULL, NULL, _("Setting it up…"), gtk_spinner_new ());
  gtk_spinner_start (GTK_SPINNER (g_object_get_data (G_OBJECT (path->row), "mw-suffix")));
  /* The task owns the path from here; the re-check after it takes a new one. */
  task = g_task_new (NULL, path->self->cancellable, on_p2p_setup_done_cb, path);
  g_task_set_source_tag (task, on_p2p_confirm_response_cb);
  g_task_set_task_data (task, path, (GDestroyNotify) p2p_path_free);
  g_task_run_in_thread (task, p2p_setup_thread);
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
  GListModel *list = G_LIST_MODEL (self->connections);
  guint n = g_list_model_get_n_items (list);
  P2pPath path = { 0 };

  for (guint i = 0; i < self->p2p_rows->len; i++)
    adw_preferences_group_remove (self->p2p_group, g_ptr_array_index (self->p2p_rows, i));
  g_ptr_array_set_size (self->p2p_rows, 0);

  if (get_transport (self) != MW_TRANSPORT_SSH)
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

  if (info == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_step (self->libvirt_state, self->libvirt_spinner, "fail");
      adw_action_row_set_subtitle (self->libvirt_row, error->message);
      offer_retry (self);
      return;
    }

  set_step (self->libvirt_state, self->libvirt_spinner, "ok");
  adw_action_row_set_subtitle (self->libvirt_row, self->uri);
  lib = mw_ssh_format_version (info->lib_version);
  hv = mw_ssh_format_version (info->hv_version);
  /* Translators: "hostb: libvirt 9.0.0, QEMU 7.2.0" */
  versions = g_strdup_printf (_("%s: libvirt %s, %s %s"), info->hostname, lib,
                              info->hypervisor, hv);
  adw_action_row_set_subtitle (self->versions_row, versions);

  description = g_strdup_printf (_("%s\n%s"), self->uri, versions);
  adw_status_page_set_description (self->done_page, description);
  self->test_passed = TRUE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next", TRUE);
  check_p2p_paths (self);
}

static void
start_libvirt_test (MwAddHostWizard *self)
{
  set_step (self->libvirt_state, self->libvirt_spinner, "run");
  mw_ssh_test_libvirt_async (self->uri, self->cancellable, on_libvirt_done_cb,
                             g_object_ref (self));
}

static void
on_login_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(MwAddHostWizard) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!mw_ssh_test_login_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_step (self->login_state, self->login_spinner, "fail");
      adw_action_row_set_subtitle (self->login_row, error->message);
      offer_retry (self);
      return;
    }

  set_step (self->login_state, self->login_spinner, "ok");
  adw_action_row_set_subtitle (self->login_row, "");
  start_libvirt_test (self);
}

static void
run_tests (MwAddHostWizard *self)
{
  self->test_passed = FALSE;
  gtk_button_set_label (self->next_button, _("_Next"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next", FALSE);
  adw_action_row_set_subtitle (self->libvirt_row, "");
  set_step (self->libvirt_state, self->libvirt_spinner, "wait");
  adw_action_row_set_subtitle (self->versions_row, "—");

  if (get_transport (self) != MW_TRANSPORT_SSH)
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

static void
save_connection (MwAddHostWizard *self)
{
  g_autoptr(GError) error = NULL;
  MwConnection *connection;

  connection = mw_connection_list_add (self->connections, self->uri, TRUE, TRUE, &error);
  if (connection == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }

  g_signal_emit (self, signals[CONNECTION_ADDED], 0, connection);
  gtk_window_close (GTK_WINDOW (self));
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MwAddHostWizard *self = MW_ADD_HOST_WIZARD (widget);
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (g_str_equal (page, "host"))
    {
      if (self->uri == NULL)
        return;
      if (mw_connection_list_find (self->connections, self->uri) != NULL)
        {
          set_message (self, _("This connection is in the list already."), "error");
          return;
        }
      if (get_transport (self) != MW_TRANSPORT_SSH)
        {
          show_page (self, "test");
          run_tests (self);
          return;
        }
      show_busy (self, _("Fetching the Host Key…"));
      mw_ssh_check_host_key_async (self->context, self->target, self->cancellable,
                                   on_check_done_cb, g_object_ref (self));
    }
  else if (g_str_equal (page, "host-key"))
    {
      g_return_if_fail (self->host_key != NULL);
      show_busy (self, _("Saving the Host Key…"));
      mw_ssh_accept_host_key_async (self->context, self->target, self->host_key,
                                    self->cancellable, on_accept_done_cb, g_object_ref (self));
    }
  else if (g_str_equal (page, "key"))
    {
      if (self->public_key == NULL)
        {
          g_autofree char *comment = g_strdup_printf ("%s@%s", g_get_user_name (),
                                                      g_get_host_name ());

          show_busy (self, _("Creating Your Key…"));
          mw_ssh_generate_key_async (self->context, comment,
                                     gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row)),
                                     self->cancellable, on_generate_done_cb, g_object_ref (self));
        }
      else
        {
          show_busy (self, _("Trying Your Key…"));
          mw_ssh_test_login_async (self->context, self->target, self->cancellable,
                                   on_first_login_done_cb, g_object_ref (self));
        }
    }
  else if (g_str_equal (page, "password"))
    {
      const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

      if (*password == '\0' || self->public_key == NULL)
        return;
      show_busy (self, _("Copying Your Key…"));
      mw_ssh_copy_key_async (self->context, self->target, self->public_key, password,
                             self->cancellable, on_copy_done_cb, g_object_ref (self));
    }
  else if (g_str_equal (page, "test"))
    {
      if (self->test_passed)
        show_page (self, "done");
      else
        run_tests (self);
    }
  else if (g_str_equal (page, "done"))
    save_connection (self);
}

static void
mw_add_host_wizard_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  MwAddHostWizard *self = MW_ADD_HOST_WIZARD (object);

  switch (prop_id)
    {
    case PROP_CONNECTIONS:
      g_value_set_object (value, self->connections);
      break;
    case PROP_URI:
      g_value_set_string (value, self->uri);
      break;
    case PROP_PAGE:
      g_value_set_string (value, mw_add_host_wizard_get_page (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_add_host_wizard_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  MwAddHostWizard *self = MW_ADD_HOST_WIZARD (object);

  switch (prop_id)
    {
    case PROP_CONNECTIONS:
      self->connections = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
mw_add_host_wizard_close_request (GtkWindow *window)
{
  MwAddHostWizard *self = MW_ADD_HOST_WIZARD (window);

  /* Workers finish on their own; their results are dropped. */
  g_cancellable_cancel (self->cancellable);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");

  return GTK_WINDOW_CLASS (mw_add_host_wizard_parent_class)->close_request (window);
}

static void
mw_add_host_wizard_dispose (GObject *object)
{
  MwAddHostWizard *self = MW_ADD_HOST_WIZARD (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_ADD_HOST_WIZARD);
  g_clear_object (&self->connections);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (mw_add_host_wizard_parent_class)->dispose (object);
}

static void
mw_add_host_wizard_finalize (GObject *object)
{
  MwAddHostWizard *self = MW_ADD_HOST_WIZARD (object);

  mw_ssh_context_free (self->context);
  mw_ssh_target_free (self->target);
  mw_ssh_host_key_free (self->host_key);
  g_free (self->public_key);
  g_free (self->uri);
  g_free (self->message);
  g_clear_pointer (&self->p2p_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (mw_add_host_wizard_parent_class)->finalize (object);
}

static void
mw_add_host_wizard_class_init (MwAddHostWizardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = mw_add_host_wizard_dispose;
  object_class->finalize = mw_add_host_wizard_finalize;
  object_class->get_property = mw_add_host_wizard_get_property;
  object_class->set_property = mw_add_host_wizard_set_property;
  window_class->close_request = mw_add_host_wizard_close_request;

  properties[PROP_CONNECTIONS] =
    g_param_spec_object ("connections", NULL, NULL, MW_TYPE_CONNECTION_LIST,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_URI] =
    g_param_spec_string ("uri", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAGE] =
    g_param_spec_string ("page", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CONNECTION_ADDED] =
    g_signal_new ("connection-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, MW_TYPE_CONNECTION);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/MigWizard/mw-add-host-wizard.ui");
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, window_title);
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, next_button);
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, stack);
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, address_row);
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, hypervisor_row);
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, transport_row);
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, message_label);
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, uri_label);
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, busy_page);
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, busy_spinner);
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, host_key_group);
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, key_type_row);
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, fingerprint_label);
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, other_keys_group);
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, other_keys_label);
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, changed_label);
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, key_group);
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, existing_key_row);
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, passphrase_confirm_row);
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, password_group);
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, password_row);
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, remember_switch);
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, login_state);
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, login_spinner);
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, login_row);
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, libvirt_state);
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, libvirt_spinner);
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, libvirt_row);
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, versions_row);
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, p2p_group);
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, done_page);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_address_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_passphrase_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_password_changed_cb);

  gtk_widget_class_install_action (widget_class, "wizard.next", NULL, next_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mw_add_host_wizard_init (MwAddHostWizard *self)
{
  self->cancellable = g_cancellable_new ();
  self->context = mw_ssh_context_new (NULL);
  self->p2p_rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  on_field_changed_cb (self);
  show_page (self, "host");
}
