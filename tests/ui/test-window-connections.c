/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The main window's connections: adding, removing, losing, cancelling and declining. */
#include "config.h"

#include <glib/gstdio.h>

#include "mw-add-connection-dialog.h"
#include "mw-credentials-dialog.h"
#include "mw-libvirt.h"
#include "mw-test-ui.h"
#include "mw-test-window.h"
#include "mw-uri.h"

typedef MwTestWindow Fixture;

static gboolean
keyring_forgot (gpointer data)
{
  return mw_test_keyring_get ("hostk.invalid", 2222, "ops") == NULL;
}

/* Removing an ssh connection from the app removes the password the Add Remote Host wizard
 * remembered for its login (user, host and port from the URI), and only that one. */
static void
test_window_remove_forgets_password (Fixture       *fixture,
                                     gconstpointer  data)
{
  MwConnectionList *list = mw_application_get_connections (fixture->app);
  g_autoptr(GError) error = NULL;
  MwConnection *connection;

  mw_test_keyring_install ();
  mw_test_keyring_store ("hostk.invalid", 2222, "ops", "s3cret");
  mw_test_keyring_store ("hostk.invalid", 22, "ops", "another login");
  connection = mw_connection_list_add (list, "qemu+ssh://ops@hostk.invalid:2222/system", FALSE,
                                       FALSE, &error);
  g_assert_no_error (error);
  mw_window_select_connection (fixture->window, connection);
  g_assert_cmpstr (mw_test_keyring_get ("hostk.invalid", 2222, "ops"), ==, "s3cret");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                             "win.remove-connection", NULL));
  g_assert_null (mw_connection_list_find (list, "qemu+ssh://ops@hostk.invalid:2222/system"));
  g_assert_true (mw_test_wait_until (keyring_forgot, NULL, 5000));
  g_assert_cmpstr (mw_test_keyring_get ("hostk.invalid", 22, "ops"), ==, "another login");
  mw_secrets_set_backend (NULL);
}

static MwAddConnectionDialog *
find_add_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* borrowed */
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (MW_IS_ADD_CONNECTION_DIALOG (window))
        return MW_ADD_CONNECTION_DIALOG (window);
    }

  return NULL;
}

static gboolean
row_titled (GtkWidget *widget,
            gpointer   data)
{
  return g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

static void
set_row_text (MwAddConnectionDialog *dialog,
              const char            *title,
              const char            *text)
{
  GtkWidget *row = mw_test_find_widget (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, row_titled,
                                        (gpointer) title);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static void
set_combo (MwAddConnectionDialog *dialog,
           const char            *title,
           guint                  position)
{
  GtkWidget *row = mw_test_find_widget (GTK_WIDGET (dialog), ADW_TYPE_COMBO_ROW, row_titled,
                                        (gpointer) title);

  g_assert_nonnull (row);
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), position);
}

static void
assert_refused (MwAddConnectionDialog *dialog,
                GtkWidget             *add_button,
                const char            *expected_message)
{
  g_assert_null (mw_add_connection_dialog_get_uri (dialog));
  g_assert_cmpstr (mw_add_connection_dialog_get_message (dialog), ==, expected_message);
  g_assert_false (gtk_widget_get_sensitive (add_button));
}

static char *
error_text (gboolean (*validate) (const char *, GError **),
            const char *input)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (validate (input, &error));
  return g_strdup (error->message);
}

static void
test_add_connection_dialog (Fixture       *fixture,
                            gconstpointer  data)
{
  MwConnectionList *list = mw_application_get_connections (fixture->app);
  guint n_before = g_list_model_get_n_items (G_LIST_MODEL (list));
  MwAddConnectionDialog *dialog;
  GtkWidget *add_button;
  g_autofree char *bad_host = error_text (mw_uri_validate_host, "bad host!");
  g_autofree char *bad_user = error_text (mw_uri_validate_user, "root;reboot");
  g_autoptr(GError) port_error = NULL;
  guint port;
  MwConnection *added;

  g_assert_false (mw_uri_parse_port ("70000", &port, &port_error));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.add-connection",
                                             NULL));
  dialog = find_add_dialog ();
  g_assert_nonnull (dialog);
  mw_test_wait_frames (GTK_WIDGET (dialog), 1);
  add_button = mw_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, mw_test_has_action_name,
                                    (gpointer) "dialog.add");
  g_assert_nonnull (add_button);

  /* The default is this computer's system libvirt. */
  g_assert_cmpstr (mw_add_connection_dialog_get_uri (dialog), ==, "qemu:///system");

  set_combo (dialog, "Connect _Through", MW_TRANSPORT_SSH);
  set_row_text (dialog, "_User", "root");
  set_row_text (dialog, "_Host", "bad host!");
  assert_refused (dialog, add_button, bad_host);
  g_free (mw_test_save_screenshot (GTK_WIDGET (dialog), "add-connection-bad-host"));

  set_row_text (dialog, "_Host", "hostb");
  set_row_text (dialog, "_Port (optional)", "70000");
  assert_refused (dialog, add_button, port_error->message);

  set_row_text (dialog, "_Port (optional)", "");
  set_row_text (dialog, "_User", "root;reboot");
  assert_refused (dialog, add_button, bad_user);

  set_row_text (dialog, "_User", "root");
  g_assert_cmpstr (mw_add_connection_dialog_get_uri (dialog), ==, "qemu+ssh://root@hostb/system");
  g_assert_null (mw_add_connection_dialog_get_message (dialog));
  g_assert_true (gtk_widget_get_sensitive (add_button));
  g_free (mw_test_save_screenshot (GTK_WIDGET (dialog), "add-connection-ssh"));

  set_row_text (dialog, "_Host", "fd00::10");
  set_row_text (dialog, "_Port (optional)", "2222");
  g_assert_cmpstr (mw_add_connection_dialog_get_uri (dialog), ==,
                   "qemu+ssh://root@[fd00::10]:2222/system");

  /* A test-driver connection is added for real, saved, selected and connected. */
  set_combo (dialog, "Hyper_visor", MW_HYPERVISOR_TEST);
  set_combo (dialog, "Connect _Through", MW_TRANSPORT_LOCAL);
  g_assert_cmpstr (mw_add_connection_dialog_get_uri (dialog), ==, "test:///default");
  g_signal_emit_by_name (add_button, "clicked");  /* as a click does */

  g_assert_null (find_add_dialog ());
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n_before + 1);
  added = mw_connection_list_find (list, "test:///default");
  g_assert_nonnull (added);
  g_assert_true (mw_window_get_selected_connection (fixture->window) == added);
  {
    g_auto(GStrv) saved = g_settings_get_strv (mw_application_get_settings (fixture->app),
                                               "connections");

    g_assert_true (g_strv_contains ((const char * const *) saved, "test:///default"));
  }

  /* Adding it again is refused with the list's own message, and the dialog stays open. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.add-connection",
                                             NULL));
  dialog = find_add_dialog ();
  g_assert_nonnull (dialog);
  mw_test_wait_frames (GTK_WIDGET (dialog), 1);
  add_button = mw_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, mw_test_has_action_name,
                                    (gpointer) "dialog.add");
  set_combo (dialog, "Hyper_visor", MW_HYPERVISOR_TEST);
  g_signal_emit_by_name (add_button, "clicked");  /* as a click does */
  g_assert_true (find_add_dialog () == dialog);
  {
    g_autoptr(GError) duplicate = NULL;

    g_assert_null (mw_connection_list_add (list, "test:///default", TRUE, FALSE, &duplicate));
    g_assert_error (duplicate, MW_CONNECTION_LIST_ERROR, MW_CONNECTION_LIST_ERROR_EXISTS);
    g_assert_cmpstr (mw_add_connection_dialog_get_message (dialog), ==, duplicate->message);
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n_before + 1);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
button_labelled (GtkWidget *widget,
                 gpointer   data)
{
  return g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0;
}

/* The label of a toast that is up (not on its way out) reading title, or NULL. */
static GtkWidget *
toast_label (Fixture    *fixture,
             const char *title)
{
  GtkWidget *label = mw_test_find_widget (GTK_WIDGET (fixture->window), GTK_TYPE_LABEL,
                                          mw_test_label_is, (gpointer) title);

  if (label == NULL || !gtk_widget_get_can_target (mw_test_toast_of (label)))
    return NULL;
  return label;
}

typedef struct
{
  Fixture *fixture;
  const char *title;
} ToastGone;

static gboolean
toast_gone (gpointer data)
{
  ToastGone *gone = data;

  mw_test_wait_frames (GTK_WIDGET (gone->fixture->window), 1);
  return toast_label (gone->fixture, gone->title) == NULL;
}

static gboolean
is_connected (gpointer connection)
{
  return mw_connection_get_state (connection) == MW_CONNECTION_STATE_CONNECTED;
}

/* As a dropped link does (mw-connection.c's connection_lost): the connection is not connected
 * any more, then it says "lost". */
static void
lose (MwConnection *connection)
{
  mw_connection_disconnect (connection);
  g_signal_emit_by_name (connection, "lost", "The host stopped answering.");
}

/* Both hosts lost at once (this computer's network went down): each gets a Reconnect toast, one
 * after the other. The second used to push the first aside (high priority) to show it again
 * later, which libadwaita 1.2 asserts on when the first has not finished hiding; and a toast
 * stayed up, timeless, after its host was connected again by other means. */
static void
test_window_reconnect_toasts (Fixture       *fixture,
                              gconstpointer  data)
{
  MwConnection *hosta = mw_test_find_demo (fixture->app, "/hosta.xml");
  MwConnection *hostb = mw_test_find_demo (fixture->app, "/hostb.xml");
  g_autofree char *lost_a = g_strdup_printf ("Lost the connection to %s",
                                             mw_connection_get_title (hosta));
  g_autofree char *lost_b = g_strdup_printf ("Lost the connection to %s",
                                             mw_connection_get_title (hostb));
  ToastGone gone = { fixture, lost_b };
  GtkWidget *label;
  GtkWidget *button;

  lose (hosta);
  mw_test_window_wait_toast (fixture, lost_a);
  label = g_object_ref (toast_label (fixture, lost_a));
  lose (hostb);
  mw_test_wait_frames (GTK_WIDGET (fixture->window), 2);
  /* The first stays up; the second waits its turn. */
  g_assert_true (gtk_widget_get_can_target (mw_test_toast_of (label)));
  g_assert_null (toast_label (fixture, lost_b));
  g_assert_true (mw_test_wait_until (mw_test_toast_in_place, label, 5000));
  g_free (mw_test_save_screenshot (GTK_WIDGET (fixture->window), "window-connection-lost"));

  /* Its Reconnect connects that host, and the second toast comes. */
  button = mw_test_find_widget (mw_test_toast_of (label), GTK_TYPE_BUTTON, button_labelled,
                                (gpointer) "_Reconnect");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");  /* as a click does */
  g_clear_object (&label);
  g_assert_true (mw_test_wait_until (is_connected, hosta, 10000));
  mw_test_window_wait_toast (fixture, lost_b);
  label = g_object_ref (toast_label (fixture, lost_b));
  g_assert_true (mw_test_wait_until (mw_test_toast_in_place, label, 5000));
  g_clear_object (&label);

  /* Connected again from the sidebar: its Reconnect toast has nothing left to say, and goes. */
  mw_window_select_connection (fixture->window, hostb);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.connect", NULL));
  g_assert_true (mw_test_wait_until (is_connected, hostb, 10000));
  g_assert_true (mw_test_wait_until (toast_gone, &gone, 5000));
}

/* A host that asks for a username and a password (libvirt's test driver with an <auth> user,
 * one question at a time), added to the app and selected; the keyring is the in-memory one. */
static MwConnection *
add_auth_host (Fixture  *fixture,
               char    **dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *uri = NULL;
  MwConnection *connection;

  mw_test_keyring_install ();
  *dir = g_dir_make_tmp ("mw-window-auth-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (*dir, "node.xml", NULL);
  g_file_set_contents (path,
                       "<node><auth><user password='s3cret'>mwuser</user></auth>"
                       "<domain type='test'><name>authguest</name><memory>65536</memory>"
                       "<os><type>hvm</type></os></domain></node>", -1, &error);
  g_assert_no_error (error);
  uri = g_strconcat ("test://", path, NULL);
  connection = mw_connection_list_add (mw_application_get_connections (fixture->app), uri, FALSE,
                                       FALSE, &error);
  g_assert_no_error (error);
  mw_window_select_connection (fixture->window, connection);
  return connection;
}

static void
remove_auth_host (Fixture      *fixture,
                  MwConnection *connection,
                  char         *dir)
{
  g_autofree char *path = g_build_filename (dir, "node.xml", NULL);

  mw_connection_disconnect (connection);
  mw_connection_list_remove (mw_application_get_connections (fixture->app), connection);
  g_unlink (path);
  g_rmdir (dir);
  g_free (dir);
  mw_secrets_set_backend (NULL);
}

static MwCredentialsDialog *
find_credentials_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* borrowed */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (MW_IS_CREDENTIALS_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return MW_CREDENTIALS_DIALOG (window);
    }
  return NULL;
}

static gboolean
credentials_asked (gpointer data)
{
  return find_credentials_dialog () != NULL;
}

static gboolean
settled_disconnected (gpointer connection)
{
  return mw_connection_get_state (connection) == MW_CONNECTION_STATE_DISCONNECTED
         && find_credentials_dialog () == NULL;
}

/* The content page says title and description, and offers the Connect button. */
static void
assert_not_connected_page (Fixture    *fixture,
                           const char *title,
                           const char *description)
{
  GtkWidget *page;
  GtkWidget *button;

  mw_test_wait_frames (GTK_WIDGET (fixture->window), 1);
  page = mw_test_find_widget (GTK_WIDGET (fixture->window), ADW_TYPE_STATUS_PAGE,
                              mw_test_status_title_is, (gpointer) title);
  g_assert_nonnull (page);
  g_assert_cmpstr (adw_status_page_get_description (ADW_STATUS_PAGE (page)), ==, description);
  button = mw_test_find_widget (page, GTK_TYPE_BUTTON, mw_test_has_action_name,
                                (gpointer) "win.connect");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_drawable (button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Connect");
}

static gboolean
asked_or_settled (gpointer connection)
{
  return find_credentials_dialog () != NULL
         || mw_connection_get_state (connection) != MW_CONNECTION_STATE_CONNECTING;
}

/* Answers every question until none comes, as a person types: the username rows get the
 * user, the password rows the password, and Enter in the last row. */
static void
answer_credentials (Fixture      *fixture,
                    MwConnection *connection)
{
  for (;;)
    {
      MwCredentialsDialog *dialog;
      GtkEditable *row = NULL;

      g_assert_true (mw_test_wait_until (asked_or_settled, connection, 20000));
      if ((dialog = find_credentials_dialog ()) == NULL)
        return;
      for (guint i = 0; i < mw_credentials_dialog_get_n_rows (dialog); i++)
        {
          row = mw_credentials_dialog_get_row (dialog, i);
          gtk_editable_set_text (row, ADW_IS_PASSWORD_ENTRY_ROW (row) ? "s3cret" : "mwuser");
        }
      g_signal_emit_by_name (row, "entry-activated");  /* the dialog goes */
      mw_test_wait_frames (GTK_WIDGET (fixture->window), 1);
    }
}

/* Issue #14: Cancel in the credentials dialog left the page as if nothing had been tried. It says
 * that no credentials were given, and its Connect asks again, which then opens the host. */
static void
test_window_decline_credentials (Fixture       *fixture,
                                 gconstpointer  data)
{
  char *dir = NULL;
  MwConnection *connection = add_auth_host (fixture, &dir);
  g_autofree char *description = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.connect", NULL));
  g_assert_true (mw_test_wait_until (credentials_asked, NULL, 20000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (find_credentials_dialog ()),
                                             "credentials.cancel", NULL));
  g_assert_true (mw_test_wait_until (settled_disconnected, connection, 20000));
  description = g_strdup_printf ("%s was not opened because no credentials were given. "
                                 "Connect again to enter them.",
                                 mw_connection_get_title (connection));
  mw_test_wait_frames (GTK_WIDGET (fixture->window), 1);
  g_free (mw_test_save_screenshot (GTK_WIDGET (fixture->window), "window-credentials-declined"));
  assert_not_connected_page (fixture, "No Credentials Given", description);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.connect", NULL));
  answer_credentials (fixture, connection);
  g_assert_cmpint (mw_connection_get_state (connection), ==, MW_CONNECTION_STATE_CONNECTED);
  g_assert_nonnull (mw_connection_find_domain (connection, "authguest"));
  remove_auth_host (fixture, connection, dir);
}

/* Issue #14: cancelling a connection attempt while its credentials dialog was open left the
 * dialog there. The attempt is cancelled as the connecting page's Cancel does: the dialog goes,
 * and the page says the connecting was cancelled. */
static void
test_window_cancel_connect (Fixture       *fixture,
                            gconstpointer  data)
{
  char *dir = NULL;
  MwConnection *connection = add_auth_host (fixture, &dir);
  g_autofree char *description = NULL;
  GtkWidget *cancel;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.connect", NULL));
  mw_test_wait_frames (GTK_WIDGET (fixture->window), 1);
  cancel = mw_test_find_widget (GTK_WIDGET (fixture->window), GTK_TYPE_BUTTON,
                                mw_test_has_action_name, (gpointer) "win.cancel-connect");
  g_assert_nonnull (cancel);
  g_assert_true (gtk_widget_is_drawable (cancel));
  g_free (mw_test_save_screenshot (GTK_WIDGET (fixture->window), "window-connecting"));
  g_assert_true (mw_test_wait_until (credentials_asked, NULL, 20000));
  g_free (mw_test_save_screenshot (GTK_WIDGET (find_credentials_dialog ()),
                                   "window-credentials-asked"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.cancel-connect",
                                             NULL));
  g_assert_true (mw_test_wait_until (settled_disconnected, connection, 20000));
  description = g_strdup_printf ("Connecting to %s was cancelled.",
                                 mw_connection_get_title (connection));
  mw_test_wait_frames (GTK_WIDGET (fixture->window), 1);
  g_free (mw_test_save_screenshot (GTK_WIDGET (fixture->window), "window-connect-cancelled"));
  assert_not_connected_page (fixture, "Not Connected", description);
  remove_auth_host (fixture, connection, dir);
}

static gboolean
page_titled (gpointer data)
{
  void **pair = data;

  mw_test_wait_frames (GTK_WIDGET (pair[0]), 1);
  return mw_test_find_widget (GTK_WIDGET (pair[0]), ADW_TYPE_STATUS_PAGE,
                              mw_test_status_title_is, pair[1]) != NULL;
}

/* A host that takes the TCP connection and never answers: a listening socket nobody accepts
 * from (libvirt waits for it with no end). Closing it makes libvirt's open fail. */
static GSocket *
silent_host_new (char **uri)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                              G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (listener, any_port, TRUE, &error));
  g_assert_true (g_socket_listen (listener, &error));
  bound = g_socket_get_local_address (listener, &error);
  g_assert_no_error (error);
  *uri = g_strdup_printf ("qemu+tcp://127.0.0.1:%u/system",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  return g_steal_pointer (&listener);
}

/* The window has heard back from every connect it started. */
static gboolean
attempt_over (gpointer data)
{
  Fixture *fixture = data;

  return g_hash_table_size (fixture->window->attempts) == 0;
}

/* A host that takes the TCP connection and never answers (libvirt waits with no end): the
 * connecting page's Cancel says "cancelled" at once, not when libvirt gives up. */
static void
test_window_cancel_silent_host (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) listener = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *description = NULL;
  gpointer pair[2] = { fixture->window, (gpointer) "Not Connected" };
  MwConnection *connection;
  GtkWidget *cancel;

  listener = silent_host_new (&uri);
  connection = mw_connection_list_add (mw_application_get_connections (fixture->app), uri, FALSE,
                                       FALSE, &error);
  g_assert_no_error (error);
  mw_window_select_connection (fixture->window, connection);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.connect", NULL));
  mw_test_wait_frames (GTK_WIDGET (fixture->window), 1);
  cancel = mw_test_find_widget (GTK_WIDGET (fixture->window), GTK_TYPE_BUTTON,
                                mw_test_has_action_name, (gpointer) "win.cancel-connect");
  g_assert_nonnull (cancel);
  g_assert_true (gtk_widget_is_drawable (cancel));
  g_signal_emit_by_name (cancel, "clicked");  /* as a click does */
  g_assert_true (mw_test_wait_until (page_titled, pair, 5000));
  description = g_strdup_printf ("Connecting to %s was cancelled.",
                                 mw_connection_get_title (connection));
  assert_not_connected_page (fixture, "Not Connected", description);

  /* The host goes: libvirt's late failure ends the attempt and changes nothing shown. */
  g_assert_true (g_socket_close (listener, &error));
  g_assert_true (mw_test_wait_until (attempt_over, fixture, 10000));
  g_assert_cmpint (mw_connection_get_state (connection), ==, MW_CONNECTION_STATE_DISCONNECTED);
  assert_not_connected_page (fixture, "Not Connected", description);
  mw_connection_list_remove (mw_application_get_connections (fixture->app), connection);
}

static gboolean
not_connecting (gpointer connection)
{
  return mw_connection_get_state (connection) != MW_CONNECTION_STATE_CONNECTING;
}

static gboolean
connecting_shown (gpointer data)
{
  Fixture *fixture = data;
  GtkLabel *label = fixture->window->connecting_label;  /* the content's, not a sidebar row's */

  mw_test_wait_frames (GTK_WIDGET (fixture->window), 1);
  return gtk_widget_is_drawable (GTK_WIDGET (label))
         && g_str_equal (gtk_label_get_text (label), "Connecting…");
}

/* All Connections with no domain listed: what it says follows every host's state (issue #10:
 * "None of the connected hosts has a domain." while both hosts were still connecting, seen in
 * the lab; and when none was connected at all). */
static void
test_window_all_connecting (Fixture       *fixture,
                            gconstpointer  data)
{
  MwConnectionList *list = mw_application_get_connections (fixture->app);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) listener = NULL;
  g_autofree char *uri = NULL;
  gpointer pair[2] = { fixture->window, (gpointer) "Not Connected" };
  MwConnection *silent;
  GtkWidget *page;

  mw_window_select_connection (fixture->window, NULL);
  /* Every host, also those an earlier test of this program left in the settings. */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr(MwConnection) connection = g_list_model_get_item (G_LIST_MODEL (list), i);

      mw_connection_disconnect (connection);
    }
  g_assert_true (mw_test_wait_until (page_titled, pair, 5000));
  page = mw_test_find_widget (GTK_WIDGET (fixture->window), ADW_TYPE_STATUS_PAGE,
                              mw_test_status_title_is, (gpointer) "Not Connected");
  g_assert_cmpstr (adw_status_page_get_description (ADW_STATUS_PAGE (page)), ==,
                   "None of the hosts is connected. Select one in the sidebar to connect to it.");
  g_free (mw_test_save_screenshot (GTK_WIDGET (fixture->window), "window-all-not-connected"));

  /* A host that keeps connecting: the page says so, not that the hosts have no domain. */
  listener = silent_host_new (&uri);
  silent = mw_connection_list_add (list, uri, FALSE, FALSE, &error);
  g_assert_no_error (error);
  mw_window_connect (fixture->window, silent);
  g_assert_cmpint (mw_connection_get_state (silent), ==, MW_CONNECTION_STATE_CONNECTING);
  g_assert_true (mw_test_wait_until (connecting_shown, fixture, 5000));
  g_free (mw_test_save_screenshot (GTK_WIDGET (fixture->window), "window-all-connecting"));

  /* It fails: the page leaves "Connecting…". */
  g_assert_true (g_socket_close (listener, &error));
  g_assert_true (mw_test_wait_until (not_connecting, silent, 10000));
  g_assert_true (mw_test_wait_until (page_titled, pair, 5000));
  g_assert_false (connecting_shown (fixture));
  mw_connection_list_remove (list, silent);
}

/* The window is closed while a connect it started still waits for a silent host, and something
 * still holds the window: the attempt is let go, and the connection's change of state reaches a
 * window already disposed, which must not touch what it let go of. */
static void
test_window_close_while_connecting (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(MwWindow) closed = g_object_ref (fixture->window);
  g_autofree char *uri = NULL;
  MwConnection *connection;

  listener = silent_host_new (&uri);
  connection = mw_connection_list_add (mw_application_get_connections (fixture->app), uri, FALSE,
                                       FALSE, &error);
  g_assert_no_error (error);
  mw_window_select_connection (fixture->window, connection);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.connect", NULL));

  gtk_window_close (GTK_WINDOW (fixture->window));  /* as its close button does */
  g_assert_true (mw_test_wait_until (not_connecting, connection, 5000));
  g_assert_cmpint (mw_connection_get_state (connection), ==, MW_CONNECTION_STATE_DISCONNECTED);
  g_assert_true (g_socket_close (listener, &error));
  mw_connection_list_remove (mw_application_get_connections (fixture->app), connection);

  /* A window of its own for the tear-down. */
  fixture->window = mw_window_new (fixture->app);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  mw_libvirt_init ();

  g_test_add ("/mw/window/remove-forgets-password", Fixture, NULL, mw_test_window_set_up,
              test_window_remove_forgets_password, mw_test_window_tear_down);
  g_test_add ("/mw/window/add-connection", Fixture, NULL, mw_test_window_set_up,
              test_add_connection_dialog, mw_test_window_tear_down);
  g_test_add ("/mw/window/reconnect-toasts", Fixture, NULL, mw_test_window_set_up,
              test_window_reconnect_toasts, mw_test_window_tear_down);
  g_test_add ("/mw/window/decline-credentials", Fixture, NULL, mw_test_window_set_up,
              test_window_decline_credentials, mw_test_window_tear_down);
  g_test_add ("/mw/window/cancel-connect", Fixture, NULL, mw_test_window_set_up,
              test_window_cancel_connect, mw_test_window_tear_down);
  g_test_add ("/mw/window/cancel-silent-host", Fixture, NULL, mw_test_window_set_up,
              test_window_cancel_silent_host, mw_test_window_tear_down);
  g_test_add ("/mw/window/close-while-connecting", Fixture, NULL, mw_test_window_set_up,
              test_window_close_while_connecting, mw_test_window_tear_down);
  g_test_add ("/mw/window/all-connecting", Fixture, NULL, mw_test_window_set_up,
              test_window_all_connecting, mw_test_window_tear_down);

  return g_test_run ();
}
