/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Desktop notifications of Evacuate Host…, run by fake-notifications.py in a private D-Bus
 * session (it writes what it receives to $MW_NOTIFY_LOG, one JSON line per notification). A
 * small evacuation on test-driver nodes, its migrations on the scripted job backend, finishes
 * with the evacuation window focused: nothing is sent. Its Bring Back… then finishes while
 * another window has the focus: one notification, titled for the bring-back, whose body is the
 * summary page's sentence; its default action brings the evacuation window back. */
#include <json-glib/json-glib.h>

#include <glib/gstdio.h>

#include "mw-evacuation-window-private.h"
#include "mw-libvirt.h"
#include "mw-test-evacuation.h"
#include "mw-test-notify.h"
#include "mw-test-ui.h"
#include "mw-window.h"

#define N_GUESTS 4

typedef struct
{
  char *dir;
  char *src_uri;
  char *dst_uri;
  MwApplication *app;
  MwWindow *window;
  MwConnection *src;
  MwEvacuationWindow *evacuation_window;
  MwTestJobDriver *driver;
  guint driver_id;
} Fixture;

static gboolean
is_evacuation_window (gpointer data)
{
  Fixture *fixture = data;
  g_autoptr(GListModel) toplevels = g_object_ref (gtk_window_get_toplevels ());

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (MW_IS_EVACUATION_WINDOW (window))
        {
          fixture->evacuation_window = MW_EVACUATION_WINDOW (window);
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
plan_checked (gpointer data)
{
  Fixture *fixture = data;
  MwEvacuationPlanPage *page = mw_evacuation_window_get_plan_page (fixture->evacuation_window);
  MwEvacuationPlan *plan = mw_evacuation_plan_page_get_plan (page);

  return plan != NULL && mw_evacuation_plan_get_state (plan) >= MW_EVACUATION_PLAN_STATE_READY;
}

static gboolean
finished (gpointer data)
{
  Fixture *fixture = data;
  MwEvacuation *evacuation = mw_evacuation_window_get_evacuation (fixture->evacuation_window);

  return evacuation != NULL && mw_evacuation_get_state (evacuation) == MW_EVACUATION_RUN_FINISHED
         && g_strcmp0 (mw_evacuation_window_get_page_name (fixture->evacuation_window),
                       "summary") == 0;
}

/* Checks the plan shown, moves every guest that can move, leaves the others, and runs it. */
static void
plan_and_run (Fixture *fixture)
{
  MwEvacuationPlanPage *page = mw_evacuation_window_get_plan_page (fixture->evacuation_window);

  g_assert_true (mw_test_wait_until (plan_checked, fixture, 60000));
  gtk_widget_activate_action (GTK_WIDGET (page), "plan.decide-needs", "s", "migrate");
  gtk_widget_activate_action (GTK_WIDGET (page), "plan.decide-cannot", "s", "leave");
  g_assert_true (mw_evacuation_plan_page_get_ready (page));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->evacuation_window),
                                             "evacuation.start", NULL));
  g_assert_true (mw_test_wait_until (finished, fixture, 60000));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  MwConnectionList *list;

  fixture->dir = g_dir_make_tmp ("mw-evac-notify-XXXXXX", NULL);
  mw_test_evacuation_write_nodes (fixture->dir, N_GUESTS, &fixture->src_uri, &fixture->dst_uri);
  fixture->app = mw_test_app_new ();
  g_assert_nonnull (g_application_get_dbus_connection (G_APPLICATION (fixture->app)));
  mw_application_load_connections (fixture->app, FALSE);
  list = mw_application_get_connections (fixture->app);
  fixture->src = mw_connection_list_add (list, fixture->src_uri, FALSE, FALSE, &error);
  g_assert_no_error (error);
  mw_connection_list_add (list, fixture->dst_uri, FALSE, FALSE, &error);
  g_assert_no_error (error);
  fixture->window = mw_window_new (fixture->app);
  gtk_window_present (GTK_WINDOW (fixture->window));
  fixture->driver = mw_test_job_driver_new ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *src = g_build_filename (fixture->dir, "src.xml", NULL);
  g_autofree char *dst = g_build_filename (fixture->dir, "dst.xml", NULL);

  g_clear_handle_id (&fixture->driver_id, g_source_remove);
  if (fixture->evacuation_window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->evacuation_window));
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_application_quit (G_APPLICATION (fixture->app));
  g_clear_object (&fixture->app);
  mw_test_job_driver_free (fixture->driver);
  g_unlink (src);
  g_unlink (dst);
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->src_uri);
  g_free (fixture->dst_uri);
}

static void
test_notify_evacuation (Fixture       *fixture,
                        gconstpointer  data)
{
  GtkWidget *elsewhere = gtk_window_new ();   /* another program's window, for the focus */
  g_autoptr(JsonArray) records = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  JsonObject *record;

  gtk_window_set_title (GTK_WINDOW (elsewhere), "Elsewhere");
  gtk_window_set_default_size (GTK_WINDOW (elsewhere), 200, 100);

  mw_window_select_connection (fixture->window, fixture->src);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.evacuate-host",
                                             NULL));
  g_assert_true (mw_test_wait_until (is_evacuation_window, fixture, 5000));
  mw_evacuation_window_set_job_factory (fixture->evacuation_window, mw_test_job_driver_factory,
                                        fixture->driver, 20);
  fixture->driver_id = g_timeout_add (15, mw_test_job_driver_tick, fixture->driver);

  /* Focused: the user sees the summary; nothing is sent. */
  gtk_window_present (GTK_WINDOW (fixture->evacuation_window));
  g_assert_true (mw_test_wait_until (mw_test_window_is_active, fixture->evacuation_window, 5000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->evacuation_window),
                                             "evacuation.check", NULL));
  plan_and_run (fixture);
  g_assert_cmpuint (mw_evacuation_get_n_done (mw_evacuation_window_get_evacuation (
                      fixture->evacuation_window)), >, 0);

  /* The user is in another window while the bring-back runs: one notification. Had the
   * focused run sent one, it would be in the log before it (one connection, in order). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->evacuation_window),
                                             "evacuation.bring-back", NULL));
  gtk_window_present (GTK_WINDOW (elsewhere));
  g_assert_true (mw_test_wait_until (mw_test_window_is_active, elsewhere, 5000));
  g_assert_false (gtk_window_is_active (GTK_WINDOW (fixture->evacuation_window)));
  plan_and_run (fixture);
  g_assert_true (mw_test_wait_until (mw_test_notify_one_received, NULL, 10000));
  records = mw_test_notify_read_log ();
  g_assert_cmpuint (json_array_get_length (records), ==, 1);
  record = json_array_get_object_element (records, 0);
  g_test_message ("notification: %s — %s", json_object_get_string_member (record, "summary"),
                  json_object_get_string_member (record, "body"));
  expected = g_strdup_printf ("Bring Back to %s Finished", mw_connection_get_title (fixture->src));
  g_assert_cmpstr (json_object_get_string_member (record, "summary"), ==, expected);
  g_assert_cmpstr (json_object_get_string_member (record, "body"), ==,
                   mw_evacuation_summary_page_get_outcome (
                     mw_evacuation_window_get_summary_page (fixture->evacuation_window)));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (record, "body"), "Done in "));

  /* Clicked: the evacuation window comes back, on its summary. */
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
  g_assert_true (mw_test_wait_until (mw_test_window_is_active, fixture->evacuation_window, 5000));
  g_assert_cmpstr (mw_evacuation_window_get_page_name (fixture->evacuation_window), ==, "summary");
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
  g_test_add ("/mw/notify/evacuation", Fixture, NULL, fixture_set_up, test_notify_evacuation,
              fixture_tear_down);
  return g_test_run ();
}
