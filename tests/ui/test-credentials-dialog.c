/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-credentials-dialog.c: a connection that needs a username and password opens the
 * credentials dialog from its worker; the test fills it as a person would and the connection
 * opens and lists its domains.
 *
 * In the ui suite the host is libvirt's test driver with an <auth> user (it asks for the
 * username and the password one at a time, so two dialogs) and the keyring is the in-memory one.
 * tests/lab/sasl.sh runs the same binary against the lab's SASL libvirtd (one dialog with both
 * rows) and a real Secret Service (gnome-keyring in a private D-Bus session), with:
 *   MW_TEST_SASL_URI, MW_TEST_SASL_USER, MW_TEST_SASL_PASSWORD (the lab's), MW_TEST_SASL_GUEST
 *   (a domain the host has), MW_TEST_REAL_KEYRING=1.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "mw-application.h"
#include "mw-connection-list.h"
#include "mw-credentials-dialog.h"
#include "mw-libvirt.h"
#include "mw-test-ui.h"
#include "mw-window.h"

/* One application for the whole run: with a session bus (tests/lab/sasl.sh), a second one
 * could not export its object path while the first is still being let go. */
static MwApplication *app;

typedef struct
{
  MwApplication *app;
  MwWindow *window;
  char *dir;
  char *uri;
  const char *user;
  const char *password;
  const char *guest;
  gboolean real_keyring;
  MwConnection *connection;
  gboolean connected;
  gboolean finished;      /* the connect's callback ran */
  char *error;            /* its error's message */
  guint dialogs_seen;
} Fixture;

static const SecretSchema credential_schema = {
  "com.example.MigWizard.LibvirtCredential", SECRET_SCHEMA_NONE,
  {
    { "uri", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "credential", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
  0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};

/* What the keyring holds, asked the keyring itself (libsecret directly for the real one). */
static char *
keyring_get (Fixture    *fixture,
             const char *credential)
{
  g_autoptr(GError) error = NULL;
  char *value;

  if (!fixture->real_keyring)
    return g_strdup (mw_test_keyring_get_credential (fixture->uri, credential));
  value = secret_password_lookup_sync (&credential_schema, NULL, &error, "uri", fixture->uri,
                                       "credential", credential, NULL);
  g_assert_no_error (error);
  return value;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  GError *error = NULL;
  const char *uri = g_getenv ("MW_TEST_SASL_URI");

  if (uri != NULL)
    {
      fixture->uri = g_strdup (uri);
      fixture->user = g_getenv ("MW_TEST_SASL_USER");
      fixture->password = g_getenv ("MW_TEST_SASL_PASSWORD");
      fixture->guest = g_getenv ("MW_TEST_SASL_GUEST");
      g_assert_nonnull (fixture->user);
      g_assert_nonnull (fixture->password);
      g_assert_nonnull (fixture->guest);
    }
  else
    {
      g_autofree char *path = NULL;

      fixture->dir = g_dir_make_tmp ("mw-credentials-XXXXXX", &error);
      g_assert_no_error (error);
      path = g_build_filename (fixture->dir, "node.xml", NULL);
      g_file_set_contents (path,
                           "<node><auth><user password='s3cret'>mwuser</user></auth>"
                           "<domain type='test'><name>authguest</name><memory>65536</memory>"
                           "<os><type>hvm</type></os></domain></node>", -1, &error);
      g_assert_no_error (error);
      fixture->uri = g_strconcat ("test://", path, NULL);
      fixture->user = "mwuser";
      fixture->password = "s3cret";
      fixture->guest = "authguest";
    }
  fixture->real_keyring = g_strcmp0 (g_getenv ("MW_TEST_REAL_KEYRING"), "1") == 0;
  if (!fixture->real_keyring)
    mw_test_keyring_install ();

  fixture->app = app;
  fixture->window = mw_window_new (fixture->app);
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->connection != NULL)
    mw_connection_disconnect (fixture->connection);
  g_clear_object (&fixture->connection);
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  if (fixture->dir != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, "node.xml", NULL);

      g_unlink (path);
      g_rmdir (fixture->dir);
    }
  g_free (fixture->dir);
  g_free (fixture->uri);
  g_free (fixture->error);
  mw_secrets_set_backend (NULL);
}

static MwCredentialsDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* borrowed */
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (MW_IS_CREDENTIALS_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return MW_CREDENTIALS_DIALOG (window);
    }
  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return find_dialog () != NULL;
}

static gboolean
settled (gpointer data)
{
  Fixture *fixture = data;

  return fixture->finished;
}

/* Either a dialog to answer or the end. */
static gboolean
dialog_or_settled (gpointer data)
{
  return dialog_shown (data) || settled (data);
}

static void
on_connected_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Fixture *fixture = user_data;
  g_autoptr(GError) error = NULL;

  fixture->connected = mw_connection_connect_finish (MW_CONNECTION (source), result, &error);
  g_clear_pointer (&fixture->error, g_free);
  fixture->error = error != NULL ? g_strdup (error->message) : NULL;
  fixture->finished = TRUE;
}

static void
start_connect (Fixture *fixture)
{
  g_clear_object (&fixture->connection);
  fixture->connection = mw_connection_new (fixture->uri);
  fixture->connected = FALSE;
  fixture->finished = FALSE;
  mw_connection_connect_async (fixture->connection, NULL, on_connected_cb, fixture);
}

/* Answers the dialog on screen as a person: types into each row (the password rows get
 * password), ticks "Remember in keyring" when asked, and presses Enter in the last row. */
static void
answer (MwCredentialsDialog *dialog,
        const char          *user,
        const char          *password,
        gboolean             remember)
{
  GtkWidget *check = mw_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_CHECK_BUTTON, NULL,
                                          NULL);
  GtkEditable *row = NULL;

  g_assert_nonnull (check);
  g_assert_cmpuint (mw_credentials_dialog_get_n_rows (dialog), >, 0);
  for (guint i = 0; i < mw_credentials_dialog_get_n_rows (dialog); i++)
    {
      row = mw_credentials_dialog_get_row (dialog, i);
      gtk_editable_set_text (row, ADW_IS_PASSWORD_ENTRY_ROW (row) ? password : user);
    }
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), remember);
  /* Enter in the last row submits. */
  g_signal_emit_by_name (row, "entry-activated");
}

/* Answers every dialog that comes until the connection settles; how many came. */
static guint
answer_all (Fixture    *fixture,
            const char *password,
            gboolean    remember)
{
  guint n = 0;

  for (;;)
    {
      MwCredentialsDialog *dialog;

      g_assert_true (mw_test_wait_until (dialog_or_settled, fixture, 20000));
      dialog = find_dialog ();
      if (dialog == NULL)
        return n;
      n++;
      answer (dialog, fixture->user, password, remember);
      mw_test_wait_frames (GTK_WIDGET (fixture->window), 1);
    }
}

static gboolean
lists_guest (Fixture *fixture)
{
  return mw_connection_find_domain (fixture->connection, fixture->guest) != NULL;
}

/* The dialog names the connection; the answers open it and its domains are listed. */
static void
test_connect (Fixture       *fixture,
              gconstpointer  data)
{
  MwCredentialsDialog *dialog;
  g_autofree char *shot = NULL;

  start_connect (fixture);
  g_assert_true (mw_test_wait_until (dialog_shown, fixture, 20000));
  dialog = find_dialog ();
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog))
                 == GTK_WINDOW (fixture->window));
  g_assert_nonnull (mw_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_LABEL, NULL, NULL));
  g_assert_null (mw_credentials_dialog_get_problem (dialog));
  shot = mw_test_save_screenshot (GTK_WIDGET (dialog), "credentials-dialog");

  g_assert_cmpuint (answer_all (fixture, fixture->password, FALSE), >=, 1);
  g_assert_cmpint (mw_connection_get_state (fixture->connection), ==,
                   MW_CONNECTION_STATE_CONNECTED);
  g_assert_true (fixture->connected);
  g_assert_true (lists_guest (fixture));
  /* Not asked to remember: nothing kept. */
  g_free (keyring_get (fixture, "password"));
  g_assert_null (keyring_get (fixture, "password"));
}

/* A wrong password: asked again, with a sentence saying why; the right one then opens it. */
static void
test_wrong_password (Fixture       *fixture,
                     gconstpointer  data)
{
  MwCredentialsDialog *dialog;

  start_connect (fixture);
  for (;;)
    {
      g_assert_true (mw_test_wait_until (dialog_shown, fixture, 20000));
      dialog = find_dialog ();
      if (mw_credentials_dialog_get_problem (dialog) != NULL)
        break;
      answer (dialog, fixture->user, "wrong password", TRUE);
      mw_test_wait_frames (GTK_WIDGET (fixture->window), 1);
    }
  g_assert_nonnull (strstr (mw_credentials_dialog_get_problem (dialog), "did not accept"));
  g_free (mw_test_save_screenshot (GTK_WIDGET (dialog), "credentials-dialog-refused"));

  answer_all (fixture, fixture->password, FALSE);
  g_assert_cmpint (mw_connection_get_state (fixture->connection), ==,
                   MW_CONNECTION_STATE_CONNECTED);
  g_assert_true (lists_guest (fixture));
}

/* Cancel: the connect ends with a sentence and the connection is simply not connected (the
 * person chose so: no failure shown); the worker is not left waiting. */
static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  start_connect (fixture);
  g_assert_true (mw_test_wait_until (dialog_shown, fixture, 20000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (find_dialog ()), "credentials.cancel",
                                             NULL));
  g_assert_true (mw_test_wait_until (settled, fixture, 20000));
  g_assert_false (fixture->connected);
  g_assert_cmpint (mw_connection_get_state (fixture->connection), ==,
                   MW_CONNECTION_STATE_DISCONNECTED);
  g_assert_nonnull (strstr (fixture->error, "no credentials were given"));
  g_assert_null (find_dialog ());
}

/* The window closes under the dialog: the dialog goes with it and the worker hears "no". */
static void
test_window_closed (Fixture       *fixture,
                    gconstpointer  data)
{
  start_connect (fixture);
  g_assert_true (mw_test_wait_until (dialog_shown, fixture, 20000));
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  fixture->window = NULL;
  g_assert_true (mw_test_wait_until (settled, fixture, 20000));
  g_assert_false (fixture->connected);
  g_assert_nonnull (strstr (fixture->error, "no credentials were given"));
  g_assert_null (find_dialog ());
}

static gboolean
keyring_forgot (gpointer data)
{
  g_autofree char *password = keyring_get (data, "password");

  return password == NULL;
}

/* "Remember in keyring": kept once accepted, used next time without a dialog, forgotten when
 * the connection is removed from the app. */
static void
test_remember (Fixture       *fixture,
               gconstpointer  data)
{
  MwConnectionList *list = mw_application_get_connections (fixture->app);
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *user = NULL;
  MwConnection *listed;

  start_connect (fixture);
  g_assert_cmpuint (answer_all (fixture, fixture->password, TRUE), >=, 1);
  g_assert_cmpint (mw_connection_get_state (fixture->connection), ==,
                   MW_CONNECTION_STATE_CONNECTED);
  stored = keyring_get (fixture, "password");
  user = keyring_get (fixture, "username");
  g_assert_cmpstr (stored, ==, fixture->password);
  g_assert_cmpstr (user, ==, fixture->user);

  /* Next time: no dialog at all. */
  mw_connection_disconnect (fixture->connection);
  start_connect (fixture);
  g_assert_cmpuint (answer_all (fixture, "not asked", FALSE), ==, 0);
  g_assert_cmpint (mw_connection_get_state (fixture->connection), ==,
                   MW_CONNECTION_STATE_CONNECTED);
  g_assert_true (lists_guest (fixture));

  /* Removed from the app: forgotten. */
  listed = mw_connection_list_add (list, fixture->uri, FALSE, FALSE, &error);
  g_assert_no_error (error);
  mw_window_select_connection (fixture->window, listed);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                             "win.remove-connection", NULL));
  g_assert_true (mw_test_wait_until (keyring_forgot, fixture, 10000));
  g_free (user);
  user = keyring_get (fixture, "username");
  g_assert_null (user);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  mw_libvirt_init ();
  app = mw_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("The application did not register: %s", error->message);

#define ADD(path, func) \
  g_test_add ("/mw/credentials-dialog/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)
  ADD ("connect", test_connect);
  ADD ("wrong-password", test_wrong_password);
  ADD ("cancel", test_cancel);
  ADD ("window-closed", test_window_closed);
  ADD ("remember", test_remember);
#undef ADD

  status = g_test_run ();
  g_application_quit (G_APPLICATION (app));
  g_clear_object (&app);
  return status;
}
