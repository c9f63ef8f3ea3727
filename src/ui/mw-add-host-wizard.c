/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-add-host-wizard.c: the Add Remote Host wizard.
 *
 * Main thread only. Every ssh, ssh-keygen and libvirt step is an mw-ssh _async call with the
 * window's cancellable (cancelled on close); results come back here and move the stack. The
 * password lives in the password row and in the copy task's data (wiped when freed) only.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-add-host-wizard-private.h"
#include "mw-secrets.h"


enum {
  PROP_0,
  PROP_PAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MwAddHostWizard, mw_add_host_wizard, MW_TYPE_CONNECTION_ADDER)

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

  return mw_connection_adder_get_uri (MW_CONNECTION_ADDER (self));
}

const char *
mw_add_host_wizard_get_message (MwAddHostWizard *self)
{
  g_return_val_if_fail (MW_IS_ADD_HOST_WIZARD (self), NULL);

  return mw_connection_adder_get_message (MW_CONNECTION_ADDER (self));
}

MwTransport
mw_add_host_wizard_get_transport (MwAddHostWizard *self)
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
  mw_connection_adder_set_message (MW_CONNECTION_ADDER (self), message, style);
}

/* The address names a connection the list already has. */
static gboolean
is_listed (MwAddHostWizard *self)
{
  MwConnectionList *list = mw_connection_adder_get_connections (MW_CONNECTION_ADDER (self));
  const char *uri = mw_add_host_wizard_get_uri (self);

  return uri != NULL && mw_connection_list_find (list, uri) != NULL;
}

/* Page changes go through here so the header, the actions and `page` agree. */
void
mw_add_host_wizard_show_page (MwAddHostWizard *self,
                              const char      *name)
{
  const char *next_label = _("_Next");
  gboolean can_go_on = TRUE;
  /* Back to the address from the pages where nothing runs; the host key stays confirmed. */
  gboolean can_go_back = g_str_equal (name, "host-key") || g_str_equal (name, "changed")
                         || g_str_equal (name, "key") || g_str_equal (name, "password");
  g_autofree char *subtitle = NULL;

  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_spinner_set_spinning (self->busy_spinner, g_str_equal (name, "busy"));

  if (g_str_equal (name, "host"))
    can_go_on = mw_add_host_wizard_get_uri (self) != NULL && !is_listed (self);
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
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), can_go_back);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.back", can_go_back);
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
  mw_add_host_wizard_show_page (self, "busy");
}

/* Back to the Host page with the reason, for what the user can fix there. */
static void
fail_to_host_page (MwAddHostWizard *self,
                   const GError    *error)
{
  set_message (self, error->message, "error");
  mw_add_host_wizard_show_page (self, "host");
}

static void
on_field_changed_cb (MwAddHostWizard *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->address_row));
  MwTransport transport = mw_add_host_wizard_get_transport (self);
  MwHypervisor hypervisor = adw_combo_row_get_selected (self->hypervisor_row) == 1
                              ? MW_HYPERVISOR_QEMU_SESSION : MW_HYPERVISOR_QEMU;
  g_autoptr(MwSshTarget) target = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  gboolean listed;

  target = mw_ssh_target_parse (text, &error);
  if (target != NULL)
    uri = mw_ssh_target_to_uri (target, hypervisor, transport, &error);

  g_clear_pointer (&self->target, mw_ssh_target_free);
  self->target = g_steal_pointer (&target);
  self->keyring_asked = FALSE;
  gtk_label_set_text (self->uri_label, uri != NULL ? uri : "");
  mw_connection_adder_take_uri (MW_CONNECTION_ADDER (self), g_steal_pointer (&uri));
  listed = is_listed (self);

  if (listed)
    set_message (self, _("This connection is in the list already."), "error");
  else if (mw_add_host_wizard_get_uri (self) != NULL && self->target->user == NULL
           && transport == MW_TRANSPORT_SSH)
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

  /* An empty address is where everyone starts: the hint above, no red before typing. */
  if (listed || (error != NULL && !g_error_matches (error, MW_URI_ERROR, MW_URI_ERROR_EMPTY)))
    gtk_widget_add_css_class (GTK_WIDGET (self->address_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->address_row), "error");

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "host") == 0)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next",
                                   mw_add_host_wizard_get_uri (self) != NULL && !listed);
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

  mw_add_host_wizard_show_page (self, "key");
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
          mw_add_host_wizard_show_page (self, "changed");
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
  {
    g_autofree char *advice = mw_ssh_host_key_compare_advice (self->host_key);
    /* Translators: %s is the sentence on how to compare the fingerprint */
    g_autofree char *text = g_strdup_printf (_("This is the first connection to this host. %s "
                                               "Confirm only if they are the same."), advice);

    adw_preferences_group_set_description (self->host_key_group, text);
  }

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

  mw_add_host_wizard_show_page (self, "host-key");
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

/* A password remembered when this login was added before: filled in, once, if the row is still
 * empty and the page still shown. */
static void
on_secret_found_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(MwAddHostWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  char *password = mw_secrets_lookup_finish (result, &error);

  if (password == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No password from the keyring: %s", error->message);
      return;
    }
  if (g_str_equal (mw_add_host_wizard_get_page (self), "password")
      && *gtk_editable_get_text (GTK_EDITABLE (self->password_row)) == '\0')
    {
      gtk_editable_set_text (GTK_EDITABLE (self->password_row), password);
      gtk_switch_set_active (self->remember_switch, TRUE);
    }
  mw_secrets_free (password);
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
  mw_add_host_wizard_show_page (self, "password");
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
  /* Only the first time: after a refusal the remembered password is the refused one. */
  if (!self->keyring_asked)
    {
      self->keyring_asked = TRUE;
      mw_secrets_lookup_async (self->target, self->cancellable, on_secret_found_cb,
                               g_object_ref (self));
    }
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
      mw_add_host_wizard_show_page (self, "test");
      mw_add_host_wizard_run_tests (self);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (g_error_matches (error, MW_SSH_ERROR, MW_SSH_ERROR_HOST_KEY_CHANGED))
    {
      gtk_label_set_text (self->changed_label, error->message);
      mw_add_host_wizard_show_page (self, "changed");
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
    mw_secrets_store_async (self->target->host, self->target->port, self->target->user,
                            gtk_editable_get_text (GTK_EDITABLE (self->password_row)),
                            self->cancellable, on_secret_stored_cb, g_object_ref (self));
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");

  mw_add_host_wizard_show_page (self, "test");
  mw_add_host_wizard_run_tests (self);
}


static void
save_connection (MwAddHostWizard *self)
{
  g_autoptr(GError) error = NULL;

  if (!mw_connection_adder_add (MW_CONNECTION_ADDER (self), TRUE, &error))
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
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
      if (mw_add_host_wizard_get_uri (self) == NULL)
        return;
      if (is_listed (self))
        return;
      if (mw_add_host_wizard_get_transport (self) != MW_TRANSPORT_SSH)
        {
          mw_add_host_wizard_show_page (self, "test");
          mw_add_host_wizard_run_tests (self);
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
        mw_add_host_wizard_show_page (self, "done");
      else
        mw_add_host_wizard_run_tests (self);
    }
  else if (g_str_equal (page, "done"))
    save_connection (self);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MwAddHostWizard *self = MW_ADD_HOST_WIZARD (widget);

  g_clear_pointer (&self->host_key, mw_ssh_host_key_free);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  mw_add_host_wizard_show_page (self, "host");
  /* The message may be a failure's from before: show what the fields say now. */
  on_field_changed_cb (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->address_row));
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
    case PROP_PAGE:
      g_value_set_string (value, mw_add_host_wizard_get_page (self));
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
  window_class->close_request = mw_add_host_wizard_close_request;

  properties[PROP_PAGE] =
    g_param_spec_string ("page", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/MigWizard/mw-add-host-wizard.ui");
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, window_title);
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, next_button);
  gtk_widget_class_bind_template_child (widget_class, MwAddHostWizard, back_button);
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
  gtk_widget_class_install_action (widget_class, "wizard.back", NULL, back_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mw_add_host_wizard_init (MwAddHostWizard *self)
{
  self->cancellable = g_cancellable_new ();
  self->context = mw_ssh_context_new (NULL);
  self->p2p_rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  mw_connection_adder_set_message_label (MW_CONNECTION_ADDER (self), self->message_label);
  on_field_changed_cb (self);
  mw_add_host_wizard_show_page (self, "host");
}
