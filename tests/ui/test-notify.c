/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Desktop notifications, run by fake-notifications.py in a private D-Bus session: it owns
 * org.freedesktop.Notifications and writes what it receives to $MW_NOTIFY_LOG, one JSON line per
 * notification. A migration on the demo nodes (the test driver refuses it) finishes twice: with
 * the wizard focused, nothing is sent; with another window focused, one notification says where
 * the guest runs and why it was not moved, and its default action brings the wizard back. Set Up
 * Hosts' Create the Pool on Both Hosts on the demo nodes (done on each, not shared) ends while
 * another window has the focus: one notification says so and brings Set Up Hosts back. */
#include <json-glib/json-glib.h>

#include "mw-host-setup-window.h"
#include "mw-libvirt.h"
#include "mw-test-notify.h"
#include "mw-test-ui.h"
#include "mw-window.h"

typedef struct
{
  MwApplication *app;
  MwWindow *window;
  MwConnection *hosta;
  MwConnection *hostb;
} Fixture;

static gboolean
is_inactive (gpointer window)
{
  return !gtk_window_is_active (window);
}

static gboolean
has_action_name (GtkWidget *widget,
                 gpointer   data)
{
  return GTK_IS_ACTIONABLE (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), data) == 0;
}

static gboolean
migrate_usable (gpointer wizard)
{
  GtkWidget *button = mw_test_find_widget (wizard, GTK_TYPE_BUTTON, has_action_name,
                                           (gpointer) "wizard.migrate");

  return button != NULL && gtk_widget_is_drawable (button) && gtk_widget_is_sensitive (button);
}

static gboolean
on_result_page (gpointer wizard)
{
  return g_strcmp0 (mw_migration_wizard_get_page (wizard), "result") == 0;
}

/* Opens the wizard on web01 towards hostb and runs it to the result page; focus, when given,
 * holds the focus from the moment Migrate is pressed. */
static MwMigrationWizard *
run_migration (Fixture   *fixture,
               GtkWindow *focus)
{
  MwDomain *web01 = mw_connection_find_domain (fixture->hosta, "web01");
  MwMigrationWizard *wizard;

  g_assert_nonnull (web01);
  wizard = mw_window_open_migration (fixture->window, web01, fixture->hostb);
  g_assert_true (mw_migration_wizard_get_destination (wizard) == fixture->hostb);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL));
  g_assert_true (mw_test_wait_until (migrate_usable, wizard, 20000));

  if (focus != NULL)
    {
      gtk_window_present (focus);
      g_assert_true (mw_test_wait_until (mw_test_window_is_active, focus, 5000));
      g_assert_false (gtk_window_is_active (GTK_WINDOW (wizard)));
      g_assert_false (gtk_window_is_active (GTK_WINDOW (fixture->window)));
    }
  else
    {
      gtk_window_present (GTK_WINDOW (wizard));
      g_assert_true (mw_test_wait_until (mw_test_window_is_active, wizard, 5000));
    }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.migrate", NULL));
  g_assert_true (mw_test_wait_until (on_result_page, wizard, 30000));
  return wizard;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->app = mw_test_app_new ();
  g_assert_nonnull (g_application_get_dbus_connection (G_APPLICATION (fixture->app)));
  fixture->window = mw_window_new (fixture->app);
  gtk_window_present (GTK_WINDOW (fixture->window));
  g_assert_true (mw_test_wait_until (mw_test_demo_connected, fixture->app, 10000));
  fixture->hosta = mw_test_find_demo (fixture->app, "/hosta.xml");
  fixture->hostb = mw_test_find_demo (fixture->app, "/hostb.xml");
  g_assert_nonnull (fixture->hosta);
  g_assert_nonnull (fixture->hostb);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_application_quit (G_APPLICATION (fixture->app));
  g_clear_object (&fixture->app);
}

static void
test_notify_migration (Fixture       *fixture,
                       gconstpointer  data)
{
  GtkWidget *elsewhere = gtk_window_new ();   /* another program's window, for the focus */
  MwMigrationWizard *focused, *unfocused;
  const MwMigrationJobResult *result;
  g_autoptr(JsonArray) records = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *why = NULL;
  g_autofree char *expected = NULL;
  JsonObject *record;
  JsonArray *actions;

  gtk_window_set_title (GTK_WINDOW (elsewhere), "Elsewhere");
  gtk_window_set_default_size (GTK_WINDOW (elsewhere), 200, 100);

  /* Focused: the user sees the result page; nothing is sent. */
  focused = run_migration (fixture, NULL);
  gtk_window_destroy (GTK_WINDOW (focused));

  /* The user is in another window: one notification. Had the focused run sent one, it would be
   * in the log before this one (one connection, in order). */
  unfocused = run_migration (fixture, GTK_WINDOW (elsewhere));
  g_assert_true (mw_test_wait_until (mw_test_notify_one_received, NULL, 10000));
  records = mw_test_notify_read_log ();
  g_assert_cmpuint (json_array_get_length (records), ==, 1);
  record = json_array_get_object_element (records, 0);

  result = mw_migration_job_get_result (mw_migration_wizard_get_job (unfocused));
  g_assert_nonnull (result);
  g_assert_true (result->on_source);
  g_assert_nonnull (result->error_message);
  why = g_strndup (result->error_message, strcspn (result->error_message, "\n"));
  expected = g_strdup_printf ("web01 was not moved and still runs on %s: %s",
                              mw_connection_get_title (fixture->hosta), why);
  g_test_message ("notification: %s — %s", json_object_get_string_member (record, "summary"),
                  json_object_get_string_member (record, "body"));
  g_assert_cmpstr (json_object_get_string_member (record, "summary"), ==, "Migration failed");
  g_assert_cmpstr (json_object_get_string_member (record, "body"), ==, expected);

  /* Clicked: the default action brings the wizard back, still on its result page. */
  actions = json_object_get_array_member (record, "actions");
  g_assert_cmpuint (json_array_get_length (actions), >=, 2);
  g_assert_cmpstr (json_array_get_string_element (actions, 0), ==, "default");
  g_assert_true (mw_test_wait_until (is_inactive, unfocused, 1000));
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.Notifications",
                                       "/org/freedesktop/Notifications",
                                       "com.example.MigWizard.FakeNotifications", "InvokeAction",
                                       g_variant_new ("(us)",
                                                      (guint32) json_object_get_int_member (record,
                                                                                            "id"),
                                                      "default"),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (mw_test_wait_until (mw_test_window_is_active, unfocused, 5000));
  g_assert_cmpstr (mw_migration_wizard_get_page (unfocused), ==, "result");

  gtk_window_destroy (GTK_WINDOW (unfocused));
  gtk_window_destroy (GTK_WINDOW (elsewhere));
}

/* Asks the fake server to invoke the default action of the notification RECORD. */
static void
click (JsonObject *record)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.Notifications",
                                       "/org/freedesktop/Notifications",
                                       "com.example.MigWizard.FakeNotifications", "InvokeAction",
                                       g_variant_new ("(us)",
                                                      (guint32) json_object_get_int_member (record,
                                                                                            "id"),
                                                      "default"),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
  g_assert_no_error (error);
}

static gboolean
setup_idle (gpointer window)
{
  return !mw_host_setup_window_get_busy (window);
}

static gboolean
is_network_row (GtkWidget *widget,
                gpointer   data)
{
  const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));

  return title != NULL && g_str_has_prefix (title, "Hosts’ Network");
}

static gboolean
more_received (gpointer data)
{
  g_autoptr(JsonArray) records = mw_test_notify_read_log ();

  return json_array_get_length (records) > GPOINTER_TO_UINT (data);
}

static void
test_notify_setup (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWidget *elsewhere = gtk_window_new ();
  MwHostSetupWindow *setup;
  GtkWidget *network_row;
  g_autoptr(JsonArray) records = NULL;
  JsonObject *record;
  guint before;

  /* The log holds what earlier tests of this run received. */
  records = mw_test_notify_read_log ();
  before = json_array_get_length (records);
  g_clear_pointer (&records, json_array_unref);

  setup = mw_host_setup_window_new (GTK_WINDOW (fixture->window),
                                    mw_application_get_connections (fixture->app), "db01");
  gtk_window_present (GTK_WINDOW (setup));
  g_assert_true (mw_host_setup_window_select_hosts (setup, mw_connection_get_uri (fixture->hosta),
                                                    mw_connection_get_uri (fixture->hostb)));
  network_row = mw_test_find_widget (GTK_WIDGET (setup), ADW_TYPE_ENTRY_ROW, is_network_row,
                                     NULL);
  g_assert_nonnull (network_row);
  gtk_editable_set_text (GTK_EDITABLE (network_row), "192.168.10.0/24");

  gtk_window_set_title (GTK_WINDOW (elsewhere), "Elsewhere");
  gtk_window_set_default_size (GTK_WINDOW (elsewhere), 200, 100);
  gtk_window_present (GTK_WINDOW (elsewhere));
  g_assert_true (mw_test_wait_until (mw_test_window_is_active, elsewhere, 5000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (setup), "setup.define-pools", NULL));
  g_assert_true (mw_test_wait_until (setup_idle, setup, 20000));

  g_assert_true (mw_test_wait_until (more_received, GUINT_TO_POINTER (before), 10000));
  records = mw_test_notify_read_log ();
  g_assert_cmpuint (json_array_get_length (records), ==, before + 1);
  record = json_array_get_object_element (records, before);
  g_test_message ("notification: %s — %s", json_object_get_string_member (record, "summary"),
                  json_object_get_string_member (record, "body"));
  g_assert_cmpstr (json_object_get_string_member (record, "summary"), ==,
                   "Shared storage was not set up");
  g_assert_cmpstr (json_object_get_string_member (record, "body"), ==,
                   "The pool is not ready on both hosts.");

  /* Clicked: Set Up Hosts comes back to the front. */
  g_assert_false (gtk_window_is_active (GTK_WINDOW (setup)));
  click (record);
  g_assert_true (mw_test_wait_until (mw_test_window_is_active, setup, 5000));

  gtk_window_destroy (GTK_WINDOW (setup));
  gtk_window_destroy (GTK_WINDOW (elsewhere));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  mw_libvirt_init ();

  if (g_getenv ("MW_NOTIFY_LOG") == NULL)
    {
      g_test_skip ("needs tests/ui/fake-notifications.py around it");
      return 77;
    }

  g_test_add ("/mw/notify/migration", Fixture, NULL, fixture_set_up, test_notify_migration,
              fixture_tear_down);
  g_test_add ("/mw/notify/setup", Fixture, NULL, fixture_set_up, test_notify_setup,
              fixture_tear_down);

  return g_test_run ();
}
