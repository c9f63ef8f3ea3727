/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-add-host.c: the Add Remote Host wizard's pages, driven through its actions, and the Add
 * Connection dialog's fields (the other MwConnectionAdder).
 * No remote host: the host-key result is handed in (mw_add_host_wizard_show_host_key), the
 * scan and the libvirt test go to a closed loopback port and must fail cleanly; the lab test
 * (tests/ssh/lab-ssh.sh) does the real thing. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "mw-add-connection-dialog.h"
#include "mw-add-host-wizard.h"
#include "mw-libvirt.h"
#include "mw-uri.h"
#include "mw-test-ui.h"

typedef struct
{
  MwConnectionList *connections;
  MwAddHostWizard *wizard;
  char *dir;
  char *ssh_dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(MwSshContext) context = NULL;

  fixture->dir = g_dir_make_tmp ("mw-add-host-XXXXXX", NULL);
  fixture->ssh_dir = g_build_filename (fixture->dir, "dot-ssh", NULL);
  context = mw_ssh_context_new (fixture->ssh_dir);
  fixture->connections = mw_connection_list_new (NULL);
  fixture->wizard = mw_add_host_wizard_new (NULL, fixture->connections, context);
  gtk_window_present (GTK_WINDOW (fixture->wizard));
  mw_test_wait_frames (GTK_WIDGET (fixture->wizard), 3);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", fixture->dir);

  gtk_window_destroy (GTK_WINDOW (fixture->wizard));
  g_clear_object (&fixture->connections);
  g_assert_cmpint (system (command), ==, 0);
  g_free (fixture->ssh_dir);
  g_free (fixture->dir);
}

static gboolean
match_title (GtkWidget *widget,
             gpointer   data)
{
  return g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

static GtkWidget *
find_row_in (GtkWidget  *root,
             GType       type,
             const char *title)
{
  GtkWidget *row = mw_test_find_widget (root, type, match_title, (gpointer) title);

  g_assert_nonnull (row);
  return row;
}

static GtkWidget *
find_row (Fixture    *fixture,
          GType       type,
          const char *title)
{
  return find_row_in (GTK_WIDGET (fixture->wizard), type, title);
}

static void
shoot (Fixture    *fixture,
       const char *name)
{
  /* mw_test_save_screenshot waits for fresh frames itself. */
  g_free (mw_test_save_screenshot (GTK_WIDGET (fixture->wizard), name));
}

static gboolean
match_action (GtkWidget *widget,
              gpointer   data)
{
  return g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), data) == 0;
}

/* As a user sees it: the button for action is shown and can be pressed. */
static gboolean
button_usable (GtkWidget  *root,
               const char *action)
{
  GtkWidget *button = mw_test_find_widget (root, GTK_TYPE_BUTTON, match_action,
                                           (gpointer) action);

  g_assert_nonnull (button);
  return gtk_widget_get_visible (button) && gtk_widget_is_sensitive (button);
}

/* The header's forward button. */
static gboolean
next_enabled (Fixture *fixture)
{
  return button_usable (GTK_WIDGET (fixture->wizard), "wizard.next");
}

static void
go_next (Fixture *fixture)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->wizard), "wizard.next", NULL));
}

typedef struct
{
  Fixture *fixture;
  const char *page;
} PageWait;

static gboolean
on_page (gpointer data)
{
  PageWait *wait = data;

  return g_strcmp0 (mw_add_host_wizard_get_page (wait->fixture->wizard), wait->page) == 0;
}

static void
wait_page (Fixture    *fixture,
           const char *page)
{
  PageWait wait = { fixture, page };

  if (!mw_test_wait_until (on_page, &wait, 20000))
    g_error ("page %s never came (on %s)", page, mw_add_host_wizard_get_page (fixture->wizard));
}

static GPtrArray *
host_keys (Fixture    *fixture,
           const char *name)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autofree char *pub = g_strconcat (path, ".pub", NULL);
  g_autofree char *text = NULL;
  const char *argv[] = { "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", path, NULL };
  GPtrArray *keys = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_ssh_host_key_free);
  int status = -1;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, NULL));
  g_assert_true (g_file_get_contents (pub, &text, NULL, NULL));
  g_ptr_array_add (keys, mw_ssh_host_key_new_from_line (text, NULL, NULL));
  g_assert_nonnull (g_ptr_array_index (keys, 0));
  return keys;
}

static void
test_host_page (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *address = find_row (fixture, ADW_TYPE_ENTRY_ROW,
                                 "_Address (user@host or user@host:port)");
  AdwComboRow *transport = ADW_COMBO_ROW (find_row (fixture, ADW_TYPE_COMBO_ROW,
                                                    "Connect _Through"));
  AdwComboRow *instance = ADW_COMBO_ROW (find_row (fixture, ADW_TYPE_COMBO_ROW,
                                                   "_Libvirt Instance"));

  g_assert_cmpstr (mw_add_host_wizard_get_page (fixture->wizard), ==, "host");
  g_assert_false (next_enabled (fixture));
  shoot (fixture, "add-host-empty");

  gtk_editable_set_text (GTK_EDITABLE (address), "root@hostb;reboot");
  g_assert_null (mw_add_host_wizard_get_uri (fixture->wizard));
  g_assert_nonnull (mw_add_host_wizard_get_message (fixture->wizard));
  g_assert_false (next_enabled (fixture));
  g_assert_true (gtk_widget_has_css_class (address, "error"));
  shoot (fixture, "add-host-invalid");

  gtk_editable_set_text (GTK_EDITABLE (address), "root@[fe80::1]:2222");
  g_assert_cmpstr (mw_add_host_wizard_get_uri (fixture->wizard), ==,
                   "qemu+ssh://root@[fe80::1]:2222/system");
  g_assert_true (next_enabled (fixture));
  adw_combo_row_set_selected (instance, 1);
  g_assert_cmpstr (mw_add_host_wizard_get_uri (fixture->wizard), ==,
                   "qemu+ssh://root@[fe80::1]:2222/session");
  adw_combo_row_set_selected (instance, 0);

  adw_combo_row_set_selected (transport, 2);
  g_assert_cmpstr (mw_add_host_wizard_get_uri (fixture->wizard), ==,
                   "qemu+tcp://root@[fe80::1]/system");
  g_assert_nonnull (strstr (mw_add_host_wizard_get_message (fixture->wizard),
                            "no authentication and no encryption"));
  shoot (fixture, "add-host-tcp-warning");

  adw_combo_row_set_selected (transport, 1);
  g_assert_nonnull (strstr (mw_add_host_wizard_get_message (fixture->wizard), "certificates"));
  shoot (fixture, "add-host-tls");

  /* A real scan of a closed loopback port: back to the Host page with the reason. */
  adw_combo_row_set_selected (transport, 0);
  gtk_editable_set_text (GTK_EDITABLE (address), "root@127.0.0.1:1");
  go_next (fixture);
  g_assert_cmpstr (mw_add_host_wizard_get_page (fixture->wizard), ==, "busy");
  shoot (fixture, "add-host-busy");
  wait_page (fixture, "host");
  g_assert_nonnull (strstr (mw_add_host_wizard_get_message (fixture->wizard),
                            "did not answer with an SSH host key"));
  shoot (fixture, "add-host-no-answer");
}

static void
test_host_key_pages (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkWidget *address = find_row (fixture, ADW_TYPE_ENTRY_ROW,
                                 "_Address (user@host or user@host:port)");
  g_autoptr(GPtrArray) keys = host_keys (fixture, "host");
  MwSshHostKeyCheck check = { MW_SSH_HOST_KEY_NEW, keys, NULL };
  MwSshHostKey *key = g_ptr_array_index (keys, 0);
  g_autoptr(GError) changed = NULL;
  g_autofree char *known_hosts = g_build_filename (fixture->ssh_dir, "known_hosts", NULL);
  g_autofree char *known = NULL;
  GtkWidget *passphrase;
  GtkWidget *repeat;

  gtk_editable_set_text (GTK_EDITABLE (address), "root@10.77.0.3");
  mw_add_host_wizard_show_host_key (fixture->wizard, &check, NULL);
  g_assert_cmpstr (mw_add_host_wizard_get_page (fixture->wizard), ==, "host-key");
  g_assert_true (next_enabled (fixture));
  g_assert_nonnull (mw_test_find_widget (GTK_WIDGET (fixture->wizard), GTK_TYPE_LABEL, NULL,
                                         NULL));
  shoot (fixture, "add-host-fingerprint");

  /* Confirm: the key lands in known_hosts, then the Key page offers to create a key. */
  go_next (fixture);
  wait_page (fixture, "key");
  g_assert_true (g_file_get_contents (known_hosts, &known, NULL, NULL));
  g_assert_true (g_str_has_prefix (known, "10.77.0.3 ssh-ed25519 "));
  g_assert_nonnull (strstr (known, key->key_blob));
  passphrase = find_row (fixture, ADW_TYPE_PASSWORD_ENTRY_ROW, "_Passphrase (optional)");
  repeat = find_row (fixture, ADW_TYPE_PASSWORD_ENTRY_ROW, "_Repeat Passphrase");
  g_assert_true (gtk_widget_get_visible (passphrase));
  g_assert_true (next_enabled (fixture));
  gtk_editable_set_text (GTK_EDITABLE (passphrase), "one");
  g_assert_false (next_enabled (fixture));
  gtk_editable_set_text (GTK_EDITABLE (repeat), "two");
  g_assert_false (next_enabled (fixture));
  shoot (fixture, "add-host-create-key");
  gtk_editable_set_text (GTK_EDITABLE (passphrase), "");
  gtk_editable_set_text (GTK_EDITABLE (repeat), "");
  g_assert_true (next_enabled (fixture));

  /* Create the key (no passphrase): then the password is asked once. */
  go_next (fixture);
  wait_page (fixture, "password");
  {
    g_autofree char *pub = g_build_filename (fixture->ssh_dir, "id_ed25519.pub", NULL);

    g_assert_true (g_file_test (pub, G_FILE_TEST_IS_REGULAR));
  }
  g_assert_false (next_enabled (fixture));
  gtk_editable_set_text (GTK_EDITABLE (find_row (fixture, ADW_TYPE_PASSWORD_ENTRY_ROW,
                                                 "_Password")), "secret");
  g_assert_true (next_enabled (fixture));
  shoot (fixture, "add-host-password");

  /* A changed key: a dead end that says why, with nothing to press but Cancel. */
  g_set_error (&changed, MW_SSH_ERROR, MW_SSH_ERROR_HOST_KEY_CHANGED,
               "The host key of 10.77.0.3 has CHANGED.\nKnown key: ED25519 %s\n"
               "Offered key: ED25519 SHA256:AAAAnewnewnewnewnewnewnewnewnewnewnewnewnew\n"
               "Nothing was changed. If the host's owner confirms the new key, remove line 1 "
               "of %s (ssh-keygen -f known_hosts -R 10.77.0.3) and add the host again.",
               key->fingerprint, known_hosts);
  mw_add_host_wizard_show_host_key (fixture->wizard, NULL, changed);
  g_assert_cmpstr (mw_add_host_wizard_get_page (fixture->wizard), ==, "changed");
  g_assert_false (next_enabled (fixture));
  shoot (fixture, "add-host-changed");
}

static gboolean
password_is (gpointer data)
{
  Fixture *fixture = data;
  GtkWidget *row = find_row (fixture, ADW_TYPE_PASSWORD_ENTRY_ROW, "_Password");

  return g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (row)), "rem3mbered") == 0;
}

/* A password remembered in the keyring the first time root@10.77.0.3 was added is filled in
 * when the same login is added again (an in-memory keyring stands in for the Secret Service). */
static void
test_keyring_prefill (Fixture       *fixture,
                      gconstpointer  data)
{
  GtkWidget *address = find_row (fixture, ADW_TYPE_ENTRY_ROW,
                                 "_Address (user@host or user@host:port)");
  g_autoptr(GPtrArray) keys = host_keys (fixture, "host");
  MwSshHostKeyCheck check = { MW_SSH_HOST_KEY_NEW, keys, NULL };
  GtkSwitch *remember;

  mw_test_keyring_install ();
  mw_test_keyring_store ("10.77.0.3", 0, "root", "rem3mbered");
  mw_test_keyring_store ("10.77.0.3", 2222, "root", "other port");
  g_assert_cmpstr (mw_test_keyring_get ("10.77.0.3", 22, "root"), ==, "rem3mbered");

  gtk_editable_set_text (GTK_EDITABLE (address), "root@10.77.0.3");
  mw_add_host_wizard_show_host_key (fixture->wizard, &check, NULL);
  go_next (fixture);
  wait_page (fixture, "key");
  go_next (fixture);
  wait_page (fixture, "password");
  g_assert_true (mw_test_wait_until (password_is, fixture, 5000));
  remember = GTK_SWITCH (mw_test_find_widget (GTK_WIDGET (fixture->wizard), GTK_TYPE_SWITCH,
                                              NULL, NULL));
  g_assert_true (gtk_switch_get_active (remember));
  g_assert_true (next_enabled (fixture));
  mw_secrets_set_backend (NULL);
}

static gboolean
has_subtitle (gpointer data)
{
  const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (data));

  return subtitle != NULL && *subtitle != '\0';
}

static void
test_tcp_test_page (Fixture       *fixture,
                    gconstpointer  data)
{
  GtkWidget *address = find_row (fixture, ADW_TYPE_ENTRY_ROW,
                                 "_Address (user@host or user@host:port)");
  AdwComboRow *transport = ADW_COMBO_ROW (find_row (fixture, ADW_TYPE_COMBO_ROW,
                                                    "Connect _Through"));
  AdwActionRow *libvirt_row = ADW_ACTION_ROW (find_row (fixture, ADW_TYPE_ACTION_ROW,
                                                        "Connect to libvirt"));

  /* TCP skips the SSH pages; nothing listens on loopback's 16509 here, so libvirt fails and
   * the wizard cannot go on. */
  adw_combo_row_set_selected (transport, 2);
  gtk_editable_set_text (GTK_EDITABLE (address), "127.0.0.1");
  go_next (fixture);
  g_assert_cmpstr (mw_add_host_wizard_get_page (fixture->wizard), ==, "test");
  g_assert_false (next_enabled (fixture));
  g_assert_true (mw_test_wait_until (has_subtitle, libvirt_row, 20000));
  /* The reason is shown, and the one way on is to try again. */
  g_assert_true (next_enabled (fixture));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (libvirt_row), "16509"));
  shoot (fixture, "add-host-test-failed");
  go_next (fixture);
  g_assert_cmpstr (mw_add_host_wizard_get_page (fixture->wizard), ==, "test");
  g_assert_false (next_enabled (fixture));
}

static gboolean
back_usable (Fixture *fixture)
{
  return button_usable (GTK_WIDGET (fixture->wizard), "wizard.back");
}

/* Nothing is red before the user types; a connection already in the list is refused on the
 * Host page itself, with Next off, not only when Next is pressed. */
static void
test_host_page_states (Fixture       *fixture,
                       gconstpointer  data)
{
  GtkWidget *address = find_row (fixture, ADW_TYPE_ENTRY_ROW,
                                 "_Address (user@host or user@host:port)");
  g_autoptr(GError) error = NULL;

  g_assert_false (gtk_widget_has_css_class (address, "error"));
  g_assert_false (next_enabled (fixture));
  g_assert_false (back_usable (fixture));

  g_assert_nonnull (mw_connection_list_add (fixture->connections,
                                            "qemu+ssh://root@hostb/system", FALSE, FALSE,
                                            &error));
  g_assert_no_error (error);
  gtk_editable_set_text (GTK_EDITABLE (address), "root@hostb");
  g_assert_cmpstr (mw_add_host_wizard_get_message (fixture->wizard), ==,
                   "This connection is in the list already.");
  g_assert_true (gtk_widget_has_css_class (address, "error"));
  g_assert_false (next_enabled (fixture));
  shoot (fixture, "add-host-listed");
  /* Enter in the row does nothing either. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->wizard), "wizard.next", NULL);
  g_assert_cmpstr (mw_add_host_wizard_get_page (fixture->wizard), ==, "host");

  gtk_editable_set_text (GTK_EDITABLE (address), "root@hostc");
  g_assert_false (gtk_widget_has_css_class (address, "error"));
  g_assert_true (next_enabled (fixture));

  /* Emptied again: back to the hint, not an error. */
  gtk_editable_set_text (GTK_EDITABLE (address), "");
  g_assert_false (gtk_widget_has_css_class (address, "error"));
  g_assert_false (next_enabled (fixture));
}

/* The host-key page has a way back to the address, which keeps what was typed. */
static void
test_host_key_back (Fixture       *fixture,
                    gconstpointer  data)
{
  GtkWidget *address = find_row (fixture, ADW_TYPE_ENTRY_ROW,
                                 "_Address (user@host or user@host:port)");
  g_autoptr(GPtrArray) keys = host_keys (fixture, "host");
  MwSshHostKeyCheck check = { MW_SSH_HOST_KEY_NEW, keys, NULL };

  gtk_editable_set_text (GTK_EDITABLE (address), "root@10.77.0.3");
  mw_add_host_wizard_show_host_key (fixture->wizard, &check, NULL);
  g_assert_cmpstr (mw_add_host_wizard_get_page (fixture->wizard), ==, "host-key");
  g_assert_true (back_usable (fixture));
  shoot (fixture, "add-host-fingerprint-back");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->wizard), "wizard.back", NULL));
  g_assert_cmpstr (mw_add_host_wizard_get_page (fixture->wizard), ==, "host");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (address)), ==, "root@10.77.0.3");
  g_assert_cmpstr (mw_add_host_wizard_get_uri (fixture->wizard), ==,
                   "qemu+ssh://root@10.77.0.3/system");
  g_assert_true (next_enabled (fixture));
  g_assert_false (back_usable (fixture));
}

/* ---- the Add Connection dialog -------------------------------------------------------------- */

typedef struct
{
  MwConnectionList *connections;
  MwAddConnectionDialog *dialog;
} DialogFixture;

static void
dialog_set_up (DialogFixture *fixture,
               gconstpointer  data)
{
  fixture->connections = mw_connection_list_new (NULL);
  fixture->dialog = mw_add_connection_dialog_new (NULL, fixture->connections);
  gtk_window_present (GTK_WINDOW (fixture->dialog));
  mw_test_wait_frames (GTK_WIDGET (fixture->dialog), 3);
}

static void
dialog_tear_down (DialogFixture *fixture,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->dialog));
  g_clear_object (&fixture->connections);
}

static GtkWidget *
dialog_row (DialogFixture *fixture,
            GType          type,
            const char    *title)
{
  return find_row_in (GTK_WIDGET (fixture->dialog), type, title);
}

static gboolean
add_enabled (DialogFixture *fixture)
{
  return button_usable (GTK_WIDGET (fixture->dialog), "dialog.add");
}

static char *
error_text (gboolean  (*validate) (const char *, GError **),
            const char *input)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (validate (input, &error));
  return g_strdup (error->message);
}

/* Every wrong field is marked and named at once, not the first one only. */
static void
test_dialog_all_errors (DialogFixture *fixture,
                        gconstpointer  data)
{
  GtkWidget *user = dialog_row (fixture, ADW_TYPE_ENTRY_ROW, "_User");
  GtkWidget *host = dialog_row (fixture, ADW_TYPE_ENTRY_ROW, "_Host");
  GtkWidget *port = dialog_row (fixture, ADW_TYPE_ENTRY_ROW, "_Port (optional)");
  g_autoptr(GError) port_error = NULL;
  guint number;
  g_autofree char *bad_user = error_text (mw_uri_validate_user, "root;reboot");
  g_autofree char *bad_host = error_text (mw_uri_validate_host, "bad host!");
  g_autofree char *all = NULL;

  g_assert_false (mw_uri_parse_port ("70000", &number, &port_error));
  all = g_strjoin ("\n", bad_user, bad_host, port_error->message, NULL);

  adw_combo_row_set_selected (ADW_COMBO_ROW (dialog_row (fixture, ADW_TYPE_COMBO_ROW,
                                                         "Connect _Through")),
                              MW_TRANSPORT_SSH);
  /* SSH chosen, nothing typed: a hint, no red row. */
  g_assert_false (gtk_widget_has_css_class (host, "error"));
  g_assert_false (add_enabled (fixture));

  gtk_editable_set_text (GTK_EDITABLE (user), "root;reboot");
  gtk_editable_set_text (GTK_EDITABLE (host), "bad host!");
  gtk_editable_set_text (GTK_EDITABLE (port), "70000");
  g_assert_true (gtk_widget_has_css_class (user, "error"));
  g_assert_true (gtk_widget_has_css_class (host, "error"));
  g_assert_true (gtk_widget_has_css_class (port, "error"));
  g_assert_cmpstr (mw_add_connection_dialog_get_message (fixture->dialog), ==, all);
  g_assert_null (mw_add_connection_dialog_get_uri (fixture->dialog));
  g_assert_false (add_enabled (fixture));
  g_free (mw_test_save_screenshot (GTK_WIDGET (fixture->dialog), "add-connection-all-errors"));

  /* Fixing one clears its mark and its sentence only. */
  gtk_editable_set_text (GTK_EDITABLE (host), "hostb");
  g_assert_false (gtk_widget_has_css_class (host, "error"));
  g_assert_true (gtk_widget_has_css_class (user, "error"));
  g_assert_true (gtk_widget_has_css_class (port, "error"));
  g_free (all);
  all = g_strjoin ("\n", bad_user, port_error->message, NULL);
  g_assert_cmpstr (mw_add_connection_dialog_get_message (fixture->dialog), ==, all);

  gtk_editable_set_text (GTK_EDITABLE (user), "root");
  gtk_editable_set_text (GTK_EDITABLE (port), "2222");
  g_assert_false (gtk_widget_has_css_class (user, "error"));
  g_assert_false (gtk_widget_has_css_class (port, "error"));
  g_assert_cmpstr (mw_add_connection_dialog_get_uri (fixture->dialog), ==,
                   "qemu+ssh://root@hostb:2222/system");
  g_assert_true (add_enabled (fixture));
}

/* A whole URI pasted into the Host row is spread over the rows it maps to. */
static void
test_dialog_paste_uri (DialogFixture *fixture,
                       gconstpointer  data)
{
  AdwComboRow *hypervisor = ADW_COMBO_ROW (dialog_row (fixture, ADW_TYPE_COMBO_ROW,
                                                       "Hyper_visor"));
  AdwComboRow *transport = ADW_COMBO_ROW (dialog_row (fixture, ADW_TYPE_COMBO_ROW,
                                                      "Connect _Through"));
  GtkWidget *user = dialog_row (fixture, ADW_TYPE_ENTRY_ROW, "_User");
  GtkWidget *host = dialog_row (fixture, ADW_TYPE_ENTRY_ROW, "_Host");
  GtkWidget *port = dialog_row (fixture, ADW_TYPE_ENTRY_ROW, "_Port (optional)");
  GtkWidget *parameters;
  const char *pasted = "qemu+ssh://user@host:2222/system?keyfile=/home/user/.ssh/id_lab";
  g_autofree char *node = g_strdup_printf ("test://%s/hosta.xml", g_getenv ("MW_DEMO_DIR"));
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(MwUri) refused = NULL;

  adw_combo_row_set_selected (transport, MW_TRANSPORT_SSH);
  gtk_editable_set_text (GTK_EDITABLE (host), pasted);
  g_assert_cmpuint (adw_combo_row_get_selected (hypervisor), ==, MW_HYPERVISOR_QEMU);
  g_assert_cmpuint (adw_combo_row_get_selected (transport), ==, MW_TRANSPORT_SSH);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (user)), ==, "user");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (host)), ==, "host");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (port)), ==, "2222");
  parameters = dialog_row (fixture, ADW_TYPE_ENTRY_ROW,
                           "Pa_rameters (optional, such as keyfile=…)");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (parameters)), ==,
                   "keyfile=/home/user/.ssh/id_lab");
  g_assert_false (gtk_widget_has_css_class (host, "error"));
  g_assert_cmpstr (mw_add_connection_dialog_get_uri (fixture->dialog), ==, pasted);
  g_assert_null (mw_add_connection_dialog_get_message (fixture->dialog));
  g_assert_true (add_enabled (fixture));
  g_free (mw_test_save_screenshot (GTK_WIDGET (fixture->dialog), "add-connection-pasted"));

  /* The rows stay editable: the parameters follow the URI, and bad ones are marked. */
  gtk_editable_set_text (GTK_EDITABLE (parameters), "keyfile=/tmp/a b");
  g_assert_true (gtk_widget_has_css_class (parameters, "error"));
  g_assert_false (add_enabled (fixture));
  /* Parameters that turn host-key checking off or run a program are refused by name. */
  gtk_editable_set_text (GTK_EDITABLE (parameters), "no_tty=1&no_verify=1");
  g_assert_false (add_enabled (fixture));
  g_assert_nonnull (strstr (mw_add_connection_dialog_get_message (fixture->dialog),
                            "“no_verify=1” turns off the check of the host’s identity"));
  gtk_editable_set_text (GTK_EDITABLE (parameters), "command=/tmp/x");
  g_assert_false (add_enabled (fixture));
  g_assert_nonnull (strstr (mw_add_connection_dialog_get_message (fixture->dialog),
                            "remove it from the URI"));
  gtk_editable_set_text (GTK_EDITABLE (parameters), "");
  g_assert_false (gtk_widget_has_css_class (parameters, "error"));
  g_assert_cmpstr (mw_add_connection_dialog_get_uri (fixture->dialog), ==,
                   "qemu+ssh://user@host:2222/system");

  /* A URI that cannot be used stays where it was pasted, marked, with the parser's reason. */
  refused = mw_uri_parse ("qemu+ssh://root@hostb:99999/system", &parse_error);
  g_assert_null (refused);
  gtk_editable_set_text (GTK_EDITABLE (host), "qemu+ssh://root@hostb:99999/system");
  g_assert_true (gtk_widget_has_css_class (host, "error"));
  g_assert_cmpstr (mw_add_connection_dialog_get_message (fixture->dialog), ==,
                   parse_error->message);
  g_assert_false (add_enabled (fixture));

  /* A test driver node file is taken as it is: local, its path kept. */
  gtk_editable_set_text (GTK_EDITABLE (host), node);
  g_assert_cmpuint (adw_combo_row_get_selected (hypervisor), ==, MW_HYPERVISOR_TEST);
  g_assert_cmpuint (adw_combo_row_get_selected (transport), ==, MW_TRANSPORT_LOCAL);
  g_assert_cmpstr (mw_add_connection_dialog_get_uri (fixture->dialog), ==, node);
  g_assert_true (add_enabled (fixture));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  mw_libvirt_init ();

  g_test_add ("/mw/add-host/host-page", Fixture, NULL, fixture_set_up, test_host_page,
              fixture_tear_down);
  g_test_add ("/mw/add-host/keyring-prefill", Fixture, NULL, fixture_set_up,
              test_keyring_prefill, fixture_tear_down);
  g_test_add ("/mw/add-host/host-key-pages", Fixture, NULL, fixture_set_up, test_host_key_pages,
              fixture_tear_down);
  g_test_add ("/mw/add-host/tcp-test-page", Fixture, NULL, fixture_set_up, test_tcp_test_page,
              fixture_tear_down);
  g_test_add ("/mw/add-host/host-page-states", Fixture, NULL, fixture_set_up,
              test_host_page_states, fixture_tear_down);
  g_test_add ("/mw/add-host/host-key-back", Fixture, NULL, fixture_set_up, test_host_key_back,
              fixture_tear_down);
  g_test_add ("/mw/add-connection/all-errors", DialogFixture, NULL, dialog_set_up,
              test_dialog_all_errors, dialog_tear_down);
  g_test_add ("/mw/add-connection/paste-uri", DialogFixture, NULL, dialog_set_up,
              test_dialog_paste_uri, dialog_tear_down);

  return g_test_run ();
}
