/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The migration wizard on the shipped demo nodes, walked as a user would: by its actions, by
 * focus and activation as Tab / Enter / Escape do, and with a recorded trace replayed into its
 * live page (the test driver refuses to migrate, so nothing real runs there).
 *
 * The trace is $MW_TEST_DATA/lab-trace.csv (recorded in the lab) when present, else
 * synthetic-trace.csv. Screenshots land in $MW_SCREENSHOT_DIR as wizard-*.png.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "mw-application.h"
#include "mw-libvirt.h"
#include "mw-migration-caps.h"
#include "mw-migration-chart.h"
#include "mw-migration-wizard.h"
#include "mw-ping-strip-private.h"
#include "mw-test-ui.h"
#include "mw-uri.h"
#include "mw-window.h"
#include "mw-wizard-result-page.h"

#define UNREACHABLE_URI "qemu+ssh://root@nowhere.invalid/system"

typedef struct
{
  MwApplication *app;
  MwWindow *window;
  MwConnection *hosta;
  MwConnection *hostb;
  MwConnection *offline;
  MwMigrationWizard *wizard;
} Fixture;

static gboolean
all_demo_connected (gpointer data)
{
  Fixture *fixture = data;
  GListModel *connections = G_LIST_MODEL (mw_application_get_connections (fixture->app));
  guint n = g_list_model_get_n_items (connections);
  guint demo = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MwConnection) connection = g_list_model_get_item (connections, i);

      if (!mw_uri_is_demo (mw_connection_get_uri (connection)))
        continue;
      if (mw_connection_get_state (connection) != MW_CONNECTION_STATE_CONNECTED)
        return FALSE;
      demo++;
    }

  return demo >= 2;
}

static MwConnection *
find_demo (Fixture    *fixture,
           const char *file)
{
  GListModel *connections = G_LIST_MODEL (mw_application_get_connections (fixture->app));
  guint n = g_list_model_get_n_items (connections);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MwConnection) connection = g_list_model_get_item (connections, i);

      if (g_str_has_suffix (mw_connection_get_uri (connection), file))
        return connection;
    }

  return NULL;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  GError *error = NULL;
  MwConnectionList *list;

  fixture->app = mw_application_new ();
  g_application_set_flags (G_APPLICATION (fixture->app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (fixture->app), NULL, &error));
  g_assert_no_error (error);

  fixture->window = mw_window_new (fixture->app);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 760);
  gtk_window_present (GTK_WINDOW (fixture->window));
  g_assert_true (mw_test_wait_until (all_demo_connected, fixture, 10000));

  fixture->hosta = find_demo (fixture, "/hosta.xml");
  fixture->hostb = find_demo (fixture, "/hostb.xml");
  g_assert_nonnull (fixture->hosta);
  g_assert_nonnull (fixture->hostb);

  /* A saved host that is not connected: listed, greyed, with the reason. */
  list = mw_application_get_connections (fixture->app);
  fixture->offline = mw_connection_list_add (list, UNREACHABLE_URI, FALSE, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->offline);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->wizard != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->wizard));
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_application_quit (G_APPLICATION (fixture->app));
  g_clear_object (&fixture->app);
}

static MwMigrationWizard *
open_wizard (Fixture *fixture,
             int      width,
             int      height)
{
  MwDomain *web01 = mw_connection_find_domain (fixture->hosta, "web01");

  g_assert_nonnull (web01);
  g_assert_true (mw_domain_is_active (web01));
  fixture->wizard = mw_window_open_migration (fixture->window, web01, NULL);
  g_object_add_weak_pointer (G_OBJECT (fixture->wizard), (gpointer *) &fixture->wizard);
  gtk_window_set_default_size (GTK_WINDOW (fixture->wizard), width, height);
  mw_test_wait_frames (GTK_WIDGET (fixture->wizard), 2);
  return fixture->wizard;
}

/* ---- finding what is shown -------------------------------------------------------------------- */

static gboolean
row_titled (GtkWidget *widget,
            gpointer   data)
{
  return g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

static GtkWidget *
find_row (MwMigrationWizard *wizard,
          GType              type,
          const char        *title)
{
  GtkWidget *row = mw_test_find_widget (GTK_WIDGET (wizard), type, row_titled, (gpointer) title);

  g_assert_nonnull (row);
  return row;
}

static gboolean
has_action_name (GtkWidget *widget,
                 gpointer   data)
{
  return GTK_IS_ACTIONABLE (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), data) == 0;
}

static GtkWidget *
find_button (MwMigrationWizard *wizard,
             const char        *action)
{
  GtkWidget *button = mw_test_find_widget (GTK_WIDGET (wizard), GTK_TYPE_BUTTON, has_action_name,
                                           (gpointer) action);

  g_assert_nonnull (button);
  return button;
}

/* Whether the user could press the button now: shown, and its action enabled. */
static gboolean
button_usable (MwMigrationWizard *wizard,
               const char        *action)
{
  GtkWidget *button = find_button (wizard, action);

  return gtk_widget_is_drawable (button) && gtk_widget_is_sensitive (button);
}

static void
shot (MwMigrationWizard *wizard,
      const char        *name)
{
  g_free (mw_test_save_screenshot (GTK_WIDGET (wizard), name));
}

static void
choose_destination (Fixture *fixture)
{
  GtkWidget *row = find_row (fixture->wizard, ADW_TYPE_ACTION_ROW,
                             mw_connection_get_title (fixture->hostb));

  /* As a click or Enter on the row does. */
  g_assert_true (gtk_widget_is_sensitive (row));
  gtk_widget_activate (row);
  g_assert_true (mw_migration_wizard_get_destination (fixture->wizard) == fixture->hostb);
}

/* ---- tests ------------------------------------------------------------------------------------ */

static void
test_wizard_destination (Fixture       *fixture,
                         gconstpointer  data)
{
  MwMigrationWizard *wizard = open_wizard (fixture, 1000, 700);
  GtkWidget *source_row, *hostb_row, *offline_row;
  g_autofree char *source_reason = NULL;
  g_autofree char *offline_reason = NULL;

  g_assert_cmpstr (mw_migration_wizard_get_page (wizard), ==, "destination");
  g_assert_null (mw_migration_wizard_get_destination (wizard));
  g_assert_false (button_usable (wizard, "wizard.next"));

  /* The source itself is listed, greyed out, and says why. */
  source_reason = mw_migration_wizard_get_unusable_reason (wizard, fixture->hosta);
  g_assert_cmpstr (source_reason, ==, "Source host: web01 is here now");
  source_row = find_row (wizard, ADW_TYPE_ACTION_ROW, mw_connection_get_title (fixture->hosta));
  g_assert_false (gtk_widget_is_sensitive (source_row));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (source_row)), ==, source_reason);

  offline_reason = mw_migration_wizard_get_unusable_reason (wizard, fixture->offline);
  g_assert_nonnull (offline_reason);
  g_assert_true (g_str_has_prefix (offline_reason, "Not connected"));
  offline_row = find_row (wizard, ADW_TYPE_ACTION_ROW, mw_connection_get_title (fixture->offline));
  g_assert_false (gtk_widget_is_sensitive (offline_row));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (offline_row)), ==, offline_reason);

  /* The other demo node is a usable destination. */
  g_assert_null (mw_migration_wizard_get_unusable_reason (wizard, fixture->hostb));
  hostb_row = find_row (wizard, ADW_TYPE_ACTION_ROW, mw_connection_get_title (fixture->hostb));
  g_assert_true (gtk_widget_is_sensitive (hostb_row));
  g_assert_false (mw_migration_wizard_set_destination (wizard, fixture->hosta));
  g_assert_null (mw_migration_wizard_get_destination (wizard));

  choose_destination (fixture);
  g_assert_true (button_usable (wizard, "wizard.next"));
  shot (wizard, "wizard-1-destination");

  gtk_window_set_default_size (GTK_WINDOW (wizard), 700, 700);
  mw_test_wait_frames (GTK_WIDGET (wizard), 2);
  shot (wizard, "wizard-1-destination-narrow");
}

static gboolean
is_drop_down (GtkWidget *widget,
              gpointer   data)
{
  return GTK_IS_DROP_DOWN (widget);
}

static void
set_combo (MwMigrationWizard *wizard,
           const char        *title,
           guint              position)
{
  GtkWidget *row = find_row (wizard, ADW_TYPE_ACTION_ROW, title);
  GtkWidget *drop = mw_test_find_widget (row, GTK_TYPE_DROP_DOWN, is_drop_down, NULL);

  g_assert_nonnull (drop);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (drop), position);
}

static gboolean
is_switch (GtkWidget *widget,
           gpointer   data)
{
  return GTK_IS_SWITCH (widget);
}

static void
set_switch (MwMigrationWizard *wizard,
            const char        *title,
            gboolean           active)
{
  GtkWidget *row = find_row (wizard, ADW_TYPE_ACTION_ROW, title);
  GtkWidget *sw = mw_test_find_widget (row, GTK_TYPE_SWITCH, is_switch, NULL);

  g_assert_nonnull (sw);
  gtk_switch_set_active (GTK_SWITCH (sw), active);
}

typedef struct
{
  char *text;
  gboolean done;
} ClipboardRead;

static void
on_clipboard_read_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  ClipboardRead *read = user_data;
  g_autoptr(GError) error = NULL;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);
  g_assert_no_error (error);
  read->done = TRUE;
}

static gboolean
clipboard_read_done (gpointer data)
{
  return ((ClipboardRead *) data)->done;
}

static gboolean
migrate_usable (gpointer data)
{
  return button_usable (data, "wizard.migrate");
}

static void
test_wizard_options (Fixture       *fixture,
                     gconstpointer  data)
{
  MwMigrationWizard *wizard = open_wizard (fixture, 1000, 700);
  g_autoptr(MwMigrationOptions) expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *virsh = NULL;
  ClipboardRead read = { NULL, FALSE };

  choose_destination (fixture);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL));
  g_assert_cmpstr (mw_migration_wizard_get_page (wizard), ==, "options");

  /* Defaults are valid, and the command is exactly the core's rendering. */
  expected = mw_migration_options_new_defaults ();
  /* Peer-to-peer by default, but the demo nodes' URIs are local: managed by the app. */
  g_assert_cmpint (expected->connection, ==, MW_MIGRATION_CONNECTION_PEER_TO_PEER);
  g_assert_false (mw_uri_is_remote (mw_connection_get_uri (fixture->hostb)));
  expected->connection = MW_MIGRATION_CONNECTION_CLIENT;
  g_assert_true (mw_migration_options_equal (mw_migration_wizard_get_options (wizard), expected));
  g_assert_null (mw_migration_wizard_get_validation_message (wizard));
  virsh = mw_migration_options_to_virsh_text (expected, mw_connection_get_uri (fixture->hosta),
                                              "web01", mw_connection_get_uri (fixture->hostb),
                                              &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mw_migration_wizard_get_virsh_text (wizard), ==, virsh);
  g_assert_true (button_usable (wizard, "wizard.next"));
  mw_test_wait_frames (GTK_WIDGET (wizard), 2);
  shot (wizard, "wizard-2-options");

  /* Copy puts that same text on the clipboard. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.copy-command", NULL));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (wizard)), NULL,
                                 on_clipboard_read_cb, &read);
  g_assert_true (mw_test_wait_until (clipboard_read_done, &read, 5000));
  g_assert_cmpstr (read.text, ==, virsh);
  g_free (read.text);

  /* A max downtime shows the migrate-setmaxdowntime line too. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (mw_test_find_widget (
                               find_row (wizard, ADW_TYPE_ACTION_ROW, "Maximum Do_wntime (ms)"),
                               GTK_TYPE_SPIN_BUTTON, NULL, NULL)), 500);
  g_assert_cmpuint (mw_migration_wizard_get_options (wizard)->max_downtime_ms, ==, 500);
  g_clear_pointer (&virsh, g_free);
  expected->max_downtime_ms = 500;
  virsh = mw_migration_options_to_virsh_text (expected, mw_connection_get_uri (fixture->hosta),
                                              "web01", mw_connection_get_uri (fixture->hostb),
                                              NULL);
  g_assert_cmpstr (mw_migration_wizard_get_virsh_text (wizard), ==, virsh);

  /* A conflict blocks Next with the core's own sentence. */
  set_switch (wizard, "_Encrypt With TLS", TRUE);
  set_combo (wizard, "_Transport", MW_MIGRATION_CONNECTION_TUNNELLED);
  expected->tls = TRUE;
  expected->connection = MW_MIGRATION_CONNECTION_TUNNELLED;
  g_assert_true (mw_migration_options_equal (mw_migration_wizard_get_options (wizard), expected));
  g_clear_error (&error);
  g_assert_false (mw_migration_options_validate (expected, &error));
  g_assert_error (error, MW_MIGRATION_OPTIONS_ERROR, MW_MIGRATION_OPTIONS_ERROR_TUNNELLED_TLS);
  g_assert_cmpstr (mw_migration_wizard_get_validation_message (wizard), ==, error->message);
  g_assert_null (mw_migration_wizard_get_virsh_text (wizard));
  g_assert_false (button_usable (wizard, "wizard.next"));
  g_assert_false (button_usable (wizard, "wizard.copy-command"));
  gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL);
  g_assert_cmpstr (mw_migration_wizard_get_page (wizard), ==, "options");
  mw_test_wait_frames (GTK_WIDGET (wizard), 4);
  shot (wizard, "wizard-2-options-conflict");

  /* Offline with post-copy: another conflict, another sentence. */
  set_combo (wizard, "_Transport", MW_MIGRATION_CONNECTION_CLIENT);
  set_switch (wizard, "_Encrypt With TLS", FALSE);
  set_combo (wizard, "_Migration", MW_MIGRATION_MODE_OFFLINE);
  set_switch (wizard, "Allow _Post-Copy", TRUE);
  g_clear_error (&error);
  g_assert_false (mw_migration_options_validate (mw_migration_wizard_get_options (wizard), &error));
  g_assert_cmpstr (mw_migration_wizard_get_validation_message (wizard), ==, error->message);
  g_assert_false (button_usable (wizard, "wizard.next"));

  /* Unsafe is allowed, with a warning that says why it is unsafe. */
  set_switch (wizard, "Allow _Post-Copy", FALSE);
  set_combo (wizard, "_Migration", MW_MIGRATION_MODE_LIVE);
  set_switch (wizard, "_Unsafe: Skip Safety Checks", TRUE);
  g_assert_null (mw_migration_wizard_get_validation_message (wizard));
  g_assert_true (button_usable (wizard, "wizard.next"));
  {
    g_auto(GStrv) warnings = mw_migration_options_get_warnings (mw_migration_wizard_get_options (wizard));

    g_assert_nonnull (warnings);
    g_assert_nonnull (warnings[0]);
  }
  mw_test_wait_frames (GTK_WIDGET (wizard), 4);
  shot (wizard, "wizard-2-options-unsafe");

  gtk_window_set_default_size (GTK_WINDOW (wizard), 700, 700);
  mw_test_wait_frames (GTK_WIDGET (wizard), 2);
  shot (wizard, "wizard-2-options-narrow");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL));
  g_assert_cmpstr (mw_migration_wizard_get_page (wizard), ==, "checks");
  /* Migrate waits for the pre-flight checks; web01 has nothing that blocks. */
  g_assert_false (button_usable (wizard, "wizard.migrate"));
  g_assert_true (mw_test_wait_until (migrate_usable, wizard, 20000));
  gtk_window_set_default_size (GTK_WINDOW (wizard), 1000, 700);
  mw_test_wait_frames (GTK_WIDGET (wizard), 2);
  shot (wizard, "wizard-3-checks");
}

/* Tab: what the window's move-focus binding does; Enter/Space: activate the focus widget. */
static GtkWidget *
tab_until (MwMigrationWizard *wizard,
           GtkWidget         *target,
           guint              max_steps)
{
  for (guint i = 0; i < max_steps; i++)
    {
      GtkWidget *focus;

      if (!gtk_widget_child_focus (GTK_WIDGET (wizard), GTK_DIR_TAB_FORWARD))
        gtk_widget_child_focus (GTK_WIDGET (wizard), GTK_DIR_TAB_FORWARD);  /* wrapped */
      focus = gtk_root_get_focus (GTK_ROOT (wizard));
      if (focus != NULL && (focus == target || gtk_widget_is_ancestor (focus, target)))
        return focus;
    }

  return NULL;
}

static gboolean
page_is_options (gpointer data)
{
  return g_strcmp0 (mw_migration_wizard_get_page (data), "options") == 0;
}

static void
test_wizard_keyboard (Fixture       *fixture,
                      gconstpointer  data)
{
  MwMigrationWizard *wizard = open_wizard (fixture, 1000, 700);
  GtkWidget *hostb_row = find_row (wizard, ADW_TYPE_ACTION_ROW,
                                   mw_connection_get_title (fixture->hostb));
  GtkWidget *source_row = find_row (wizard, ADW_TYPE_ACTION_ROW,
                                    mw_connection_get_title (fixture->hosta));
  GtkWidget *focus;

  gtk_window_present (GTK_WINDOW (wizard));
  mw_test_wait_frames (GTK_WIDGET (wizard), 2);

  /* Tab reaches the usable destination, never the greyed source. */
  focus = tab_until (wizard, hostb_row, 40);
  g_assert_nonnull (focus);
  g_assert_null (tab_until (wizard, source_row, 20));
  focus = tab_until (wizard, hostb_row, 40);
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_activate (focus));   /* Space / Enter */
  g_assert_true (mw_migration_wizard_get_destination (wizard) == fixture->hostb);

  /* Tab to Next, Enter. */
  focus = tab_until (wizard, find_button (wizard, "wizard.next"), 40);
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_activate (focus));
  /* A button shows itself pressed for a moment before it clicks. */
  g_assert_true (mw_test_wait_until (page_is_options, wizard, 2000));

  /* Focus moved into the page, not left on the header. */
  focus = gtk_root_get_focus (GTK_ROOT (wizard));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (gtk_widget_get_ancestor (
    find_row (wizard, ADW_TYPE_ACTION_ROW, "_Migration"), ADW_TYPE_PREFERENCES_PAGE))));

  /* Enter activates the default widget, Next; Alt+Left is Back; Alt+Right is Next. */
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (wizard)) ==
                 find_button (wizard, "wizard.next"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL));
  g_assert_cmpstr (mw_migration_wizard_get_page (wizard), ==, "checks");
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (wizard)) ==
                 find_button (wizard, "wizard.migrate"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.back", NULL));
  g_assert_cmpstr (mw_migration_wizard_get_page (wizard), ==, "options");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.back", NULL));
  g_assert_cmpstr (mw_migration_wizard_get_page (wizard), ==, "destination");
  g_assert_true (mw_migration_wizard_get_destination (wizard) == fixture->hostb);

  /* Escape closes it: nothing ran, nothing to ask. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "window.close", NULL));
  mw_test_wait_frames (GTK_WIDGET (fixture->window), 1);
  g_assert_null (fixture->wizard);
}

/* ---- the live page, replaying a recorded trace ------------------------------------------------ */

static MwSampleHistory *
load_trace (void)
{
  const char *dir = g_getenv ("MW_TEST_DATA");
  g_autofree char *lab = NULL;
  g_autofree char *synthetic = NULL;
  g_autoptr(GError) error = NULL;
  MwSampleHistory *history;
  const char *path;

  g_assert_nonnull (dir);
  lab = g_build_filename (dir, "lab-trace.csv", NULL);
  synthetic = g_build_filename (dir, "synthetic-trace.csv", NULL);
  path = g_file_test (lab, G_FILE_TEST_EXISTS) ? lab : synthetic;
  g_test_message ("replaying %s trace %s",
                  path == lab ? "the recorded lab" : "the SYNTHETIC", path);

  history = mw_sample_history_load_csv (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mw_sample_history_get_n_samples (history), >, 10);
  return history;
}

/* Replies every 100 ms over the trace, with the switch-over outage near its end. */
static GArray *
make_ping_records (gint64 end_us,
                   gint64 now_us)
{
  const gint64 interval = 100 * 1000, timeout = 1000 * 1000;
  GArray *records = g_array_new (FALSE, TRUE, sizeof (MwPingRecord));
  guint16 sequence = 0;

  for (gint64 sent = 0; sent <= MIN (end_us, now_us); sent += interval)
    {
      MwPingRecord record = { sequence++, sent, -1, FALSE };
      gboolean dropped = sent >= end_us - 600 * 1000 && sent < end_us - 150 * 1000;

      if (dropped)
        record.lost = now_us - sent > timeout;
      else if (now_us - sent >= 400)
        record.rtt_us = 250 + (sequence * 37) % 300;
      g_array_append_val (records, record);
    }

  return records;
}

static void
assert_remedy_rows (MwMigrationWizard   *wizard,
                    const MwConvergence *c)
{
  struct { MwRemedy remedy; const char *action; } map[] = {
    { MW_REMEDY_RAISE_DOWNTIME, "migration.raise-downtime" },
    { MW_REMEDY_REMOVE_BANDWIDTH_CAP, "migration.remove-cap" },
    { MW_REMEDY_SWITCH_TO_POSTCOPY, "migration.postcopy" },
    { MW_REMEDY_RESTART_AUTO_CONVERGE, "migration.restart-auto-converge" },
    { MW_REMEDY_RESTART_POSTCOPY, "migration.restart-postcopy" },
  };
  MwMigrationLivePage *page = mw_migration_wizard_get_live_page (wizard);

  g_assert_cmpint (mw_migration_live_page_get_shown_remedies (page), ==, c->remedies);
  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    {
      GtkWidget *button = mw_test_find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON,
                                               has_action_name, (gpointer) map[i].action);
      GtkWidget *row = gtk_widget_get_ancestor (button, ADW_TYPE_ACTION_ROW);
      g_autofree char *text = NULL;

      g_assert_cmpint (gtk_widget_get_visible (row), ==, (c->remedies & map[i].remedy) != 0);
      if (c->remedies & map[i].remedy)
        {
          text = mw_convergence_describe_remedy (c, map[i].remedy);
          g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, text);
        }
    }
}

static void
test_wizard_live_replay (Fixture       *fixture,
                         gconstpointer  data)
{
  MwMigrationWizard *wizard = open_wizard (fixture, 1000, 700);
  MwMigrationLivePage *page = mw_migration_wizard_get_live_page (wizard);
  g_autoptr(MwSampleHistory) trace = load_trace ();
  g_autoptr(MwSampleHistory) live = mw_sample_history_new (4096);
  MwConvergenceContext context;
  guint n_samples = mw_sample_history_get_n_samples (trace);
  guint n_events = mw_sample_history_get_n_events (trace);
  gint64 end_us = mw_sample_history_get_end_us (trace);
  gint64 start = g_get_monotonic_time ();
  guint not_converging = 0, e = 0;
  gboolean shot_mid = FALSE, shot_stuck = FALSE;

  choose_destination (fixture);
  mw_convergence_context_init_from_options (&context, mw_migration_wizard_get_options (wizard));

  /* What the wizard does on Migrate, minus the job: the page gets a history, a ping source,
   * the state and each new verdict. */
  mw_migration_wizard_show_page (wizard, "live");
  mw_migration_live_page_set_destination_title (page, mw_connection_get_title (fixture->hostb));
  mw_migration_live_page_set_history (page, live);
  mw_migration_live_page_set_state (page, MW_MIGRATION_JOB_STATE_RUNNING);
  mw_sample_history_set_start_us (live, start);
  g_assert_true (gtk_widget_is_drawable (find_button (wizard, "migration.abort")));
  /* Abort is always there; a running job enables it (here, with no job, the test does). */
  gtk_widget_action_set_enabled (GTK_WIDGET (wizard), "migration.abort", TRUE);

  for (guint i = 0; i < n_samples; i++)
    {
      const MwJobSample *sample = mw_sample_history_get_sample (trace, i);
      MwJobSample copy = *sample;
      g_autoptr(GArray) records = make_ping_records (end_us, sample->time_us);
      g_autoptr(MwConvergence) c = NULL;

      for (; e < n_events && mw_sample_history_get_event (trace, e)->time_us <= sample->time_us;
           e++)
        {
          const MwHistoryEvent *event = mw_sample_history_get_event (trace, e);

          if (event->kind == MW_HISTORY_EVENT_DOWNTIME_CHANGED)
            context.max_downtime_ms = (guint) event->value;
          if (event->kind != MW_HISTORY_EVENT_PASS &&
              event->kind != MW_HISTORY_EVENT_AUTO_CONVERGE)
            mw_sample_history_add_event (live, start + event->time_us, event->kind, event->value,
                                         event->text);
        }
      if (sample->have & MW_JOB_HAVE_THROTTLE && sample->auto_converge_throttle > 0)
        context.auto_converge = TRUE;

      copy.time_us = start + sample->time_us;
      mw_sample_history_push (live, &copy);
      mw_migration_live_page_set_test_ping_records (page, "10.77.0.10",
                                                    (MwPingRecord *) records->data, records->len);
      c = mw_convergence_assess (live, &context);
      mw_migration_live_page_set_convergence (page, c);
      g_main_context_iteration (NULL, FALSE);

      if (c->verdict == MW_CONVERGENCE_NOT_CONVERGING)
        {
          not_converging++;
          g_assert_cmpstr (mw_migration_live_page_get_verdict_title (page), ==, "Not Converging");
          assert_remedy_rows (wizard, c);
          if (!shot_stuck && not_converging >= 3)
            {
              /* A running job would have these enabled; show them as the user would. */
              gtk_widget_action_set_enabled (GTK_WIDGET (wizard), "migration.abort", TRUE);
              gtk_widget_action_set_enabled (GTK_WIDGET (wizard), "migration.raise-downtime",
                                             (c->remedies & MW_REMEDY_RAISE_DOWNTIME) != 0);
              gtk_widget_action_set_enabled (GTK_WIDGET (wizard),
                                             "migration.restart-auto-converge",
                                             (c->remedies & MW_REMEDY_RESTART_AUTO_CONVERGE) != 0);
              gtk_widget_action_set_enabled (GTK_WIDGET (wizard), "migration.restart-postcopy",
                                             (c->remedies & MW_REMEDY_RESTART_POSTCOPY) != 0);
              mw_test_wait_frames (GTK_WIDGET (wizard), 2);
              shot (wizard, "wizard-4-live-not-converging");
              gtk_window_set_default_size (GTK_WINDOW (wizard), 700, 700);
              mw_test_wait_frames (GTK_WIDGET (wizard), 3);
              shot (wizard, "wizard-4-live-not-converging-narrow");
              gtk_window_set_default_size (GTK_WINDOW (wizard), 1000, 700);
              mw_test_wait_frames (GTK_WIDGET (wizard), 2);
              shot_stuck = TRUE;
            }
        }
      else
        g_assert_cmpint (mw_migration_live_page_get_shown_remedies (page), ==, MW_REMEDY_NONE);

      if (!shot_mid && i >= n_samples * 2 / 3 && c->verdict != MW_CONVERGENCE_NOT_CONVERGING)
        {
          mw_test_wait_frames (GTK_WIDGET (wizard), 2);
          shot (wizard, "wizard-4-live-mid");
          shot_mid = TRUE;
        }
    }

  g_test_message ("%u of %u samples judged not converging", not_converging, n_samples);
  g_assert_cmpuint (not_converging, >, 0);
  mw_test_wait_frames (GTK_WIDGET (wizard), 2);
  shot (wizard, "wizard-4-live-end");
}

/* ---- the test driver refuses: the failure page ------------------------------------------------ */

static gboolean
on_result_page (gpointer data)
{
  Fixture *fixture = data;

  return g_strcmp0 (mw_migration_wizard_get_page (fixture->wizard), "result") == 0;
}

typedef struct
{
  gboolean done;
  gboolean ok;
  GError *error;
} SaveWait;

static void
on_saved_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  SaveWait *wait = user_data;

  wait->ok = mw_migration_wizard_save_report_finish (MW_MIGRATION_WIZARD (object), result,
                                                     &wait->error);
  wait->done = TRUE;
}

static gboolean
save_done (gpointer data)
{
  return ((SaveWait *) data)->done;
}

/* Destination, options, checks, Migrate: the test driver refuses, and the result page shows. */
static MwMigrationWizard *
run_refused (Fixture *fixture,
             guint    bandwidth)   /* typed into the options page when not 0 */
{
  MwMigrationWizard *wizard = open_wizard (fixture, 1000, 700);

  choose_destination (fixture);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL));
  if (bandwidth != 0)
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (mw_test_find_widget (
                                 find_row (wizard, ADW_TYPE_ACTION_ROW,
                                           "_Bandwidth Limit (MiB/s)"),
                                 GTK_TYPE_SPIN_BUTTON, NULL, NULL)), bandwidth);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL));
  g_assert_true (mw_test_wait_until (migrate_usable, wizard, 20000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.migrate", NULL));
  g_assert_nonnull (mw_migration_wizard_get_job (wizard));

  g_assert_true (mw_test_wait_until (on_result_page, fixture, 30000));
  return wizard;
}

/* Save Report… as web01-report.json in a new temporary directory, which it returns. */
static char *
save_report (MwMigrationWizard *wizard)
{
  g_autofree char *dir = g_dir_make_tmp ("mw-wizard-XXXXXX", NULL);
  g_autofree char *json = NULL;
  g_autoptr(GFile) json_file = NULL;
  SaveWait wait = { FALSE, FALSE, NULL };

  g_assert_nonnull (dir);
  json = g_build_filename (dir, "web01-report.json", NULL);
  json_file = g_file_new_for_path (json);
  mw_migration_wizard_save_report_async (wizard, json_file, NULL, on_saved_cb, &wait);
  g_assert_true (mw_test_wait_until (save_done, &wait, 10000));
  g_assert_no_error (wait.error);
  g_assert_true (wait.ok);

  return g_steal_pointer (&dir);
}

/* Checks that the report's JSON, CSV and (when with_png) PNG are there, and removes them. */
static void
remove_report (const char *dir,
               gboolean    with_png)
{
  const char *suffixes[] = { ".json", ".csv", ".png" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat ("web01-report", suffixes[i], NULL);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (i == 2 && !with_png && !g_file_test (path, G_FILE_TEST_EXISTS))
        continue;
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
      g_remove (path);
    }
  g_rmdir (dir);
}

static void
test_wizard_refused (Fixture       *fixture,
                     gconstpointer  data)
{
  MwMigrationWizard *wizard = run_refused (fixture, 0);
  const MwMigrationJobResult *result;
  g_autofree char *dir = NULL;

  /* The test driver's guests and their invented addresses are never pinged. */
  g_assert_null (mw_migration_job_get_pinger (mw_migration_wizard_get_job (wizard)));
  result = mw_migration_job_get_result (mw_migration_wizard_get_job (wizard));
  g_assert_nonnull (result);
  g_assert_cmpint (result->state, !=, MW_MIGRATION_JOB_STATE_SUCCEEDED);
  /* Checked, not assumed: the guest is still where it was. */
  g_assert_true (result->on_source);
  g_assert_false (result->on_destination);
  g_assert_true (button_usable (wizard, "report.save"));
  mw_test_wait_frames (GTK_WIDGET (wizard), 2);
  shot (wizard, "wizard-5-result-failed");

  /* The PNG only when the chart had samples to draw. */
  dir = save_report (wizard);
  remove_report (dir, FALSE);
}

/* Refused: back to the options with every choice kept, and on to a new try. */
static void
test_wizard_retry (Fixture       *fixture,
                   gconstpointer  data)
{
  MwMigrationWizard *wizard = run_refused (fixture, 42);

  g_assert_true (button_usable (wizard, "wizard.retry"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.retry", NULL));
  g_assert_cmpstr (mw_migration_wizard_get_page (wizard), ==, "options");
  g_assert_null (mw_migration_wizard_get_job (wizard));
  g_assert_true (mw_migration_wizard_get_destination (wizard) == fixture->hostb);
  g_assert_cmpuint (mw_migration_wizard_get_options (wizard)->bandwidth_mib_s, ==, 42);
  g_assert_false (button_usable (wizard, "report.save"));
  mw_test_wait_frames (GTK_WIDGET (wizard), 2);
  shot (wizard, "wizard-6-back-to-options");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL));
  g_assert_true (mw_test_wait_until (migrate_usable, wizard, 20000));
}

/* ---- the result page's chart, on screen and in the report's PNG ------------------------------ */

/* The column of rows [y0, y1) of an opaque ARGB32 image that is reddest overall (the error
 * colour, which marks both an abort request on the chart and a lost ping on the strip). */
static int
reddest_column (const guchar *pixels,
                gsize         stride,
                int           width,
                int           y0,
                int           y1)
{
  double best = 0;
  int best_x = -1;

  for (int x = 0; x < width; x++)
    {
      double sum = 0;

      for (int y = y0; y < y1; y++)
        {
          const guchar *p = pixels + y * stride + x * 4;  /* B, G, R, A on little-endian */

          sum += MAX (p[2] - MAX (p[0], p[1]), 0);
        }
      if (sum > best)
        {
          best = sum;
          best_x = x;
        }
    }

  return best_x;
}

static void
test_wizard_result_chart (Fixture       *fixture,
                          gconstpointer  data)
{
  MwMigrationWizard *wizard = run_refused (fixture, 0);
  GtkWidget *page = mw_test_find_widget (GTK_WIDGET (wizard), MW_TYPE_WIZARD_RESULT_PAGE, NULL,
                                         NULL);
  GtkWidget *card = mw_wizard_result_page_get_chart_card (MW_WIZARD_RESULT_PAGE (page));
  MwMigrationChart *chart = MW_MIGRATION_CHART (mw_test_find_widget (card, MW_TYPE_MIGRATION_CHART,
                                                                     NULL, NULL));
  MwPingStrip *strip = MW_PING_STRIP (mw_test_find_widget (card, MW_TYPE_PING_STRIP, NULL, NULL));
  GtkScrolledWindow *scrolled = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (
                                                       card, GTK_TYPE_SCROLLED_WINDOW));
  g_autoptr(MwSampleHistory) trace = load_trace ();
  g_autoptr(GArray) records = g_array_new (FALSE, TRUE, sizeof (MwPingRecord));
  const gint64 mark_us = 5 * G_USEC_PER_SEC;
  g_autofree char *dir = NULL;
  g_autofree char *png = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guchar *pixels = NULL;
  graphene_point_t chart_at, strip_at;
  int width, height, chart_x, strip_x;
  gsize stride;

  g_assert_nonnull (chart);
  g_assert_nonnull (strip);

  /* The test driver's run has no samples: give the card the lab trace's, with an abort request
   * and a lost ping at the same moment. */
  mw_sample_history_add_event (trace, mw_sample_history_get_start_us (trace) + mark_us,
                               MW_HISTORY_EVENT_ABORT_REQUESTED, 0, NULL);
  for (gint64 sent = 0; sent <= mw_sample_history_get_end_us (trace); sent += 100 * 1000)
    {
      MwPingRecord record = { (guint16) records->len, sent, 300, FALSE };

      if (sent == mark_us)
        {
          record.rtt_us = -1;
          record.lost = TRUE;
        }
      g_array_append_val (records, record);
    }
  mw_migration_chart_set_history (chart, trace);
  mw_ping_strip_set_test_records (strip, (MwPingRecord *) records->data, records->len);
  gtk_widget_set_visible (card, TRUE);
  mw_test_wait_frames (GTK_WIDGET (wizard), 2);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (scrolled),
                            gtk_adjustment_get_upper (gtk_scrolled_window_get_vadjustment (
                                                        scrolled)));
  mw_test_wait_frames (GTK_WIDGET (wizard), 2);
  shot (wizard, "wizard-5-result-chart");

  /* On screen: the strip under the chart has the chart's time axis. */
  g_assert_cmpint (mw_ping_strip_get_start_us (strip), ==, mw_migration_chart_get_start_us (chart));
  g_assert_cmpint (mw_ping_strip_get_end_us (strip), ==, mw_migration_chart_get_end_us (chart));
  g_assert_cmpint (mw_ping_strip_get_plot_inset_start (strip), ==,
                   mw_migration_chart_get_plot_inset_start (chart));
  g_assert_cmpint (mw_ping_strip_get_plot_inset_end (strip), ==,
                   mw_migration_chart_get_plot_inset_end (chart));

  /* In the report's PNG: the abort marker and the lost ping in the same pixel column. */
  dir = save_report (wizard);
  png = g_build_filename (dir, "web01-report.png", NULL);
  texture = gdk_texture_new_from_filename (png, &error);
  g_assert_no_error (error);
  if (g_getenv ("MW_SCREENSHOT_DIR") != NULL)
    {
      g_autofree char *copy = g_build_filename (g_getenv ("MW_SCREENSHOT_DIR"),
                                                "report-chart.png", NULL);

      g_assert_true (gdk_texture_save_to_png (texture, copy));
    }

  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  g_assert_cmpint (width, ==, gtk_widget_get_width (card));
  stride = width * 4;
  pixels = g_malloc (stride * height);
  gdk_texture_download (texture, pixels, stride);
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (chart), card, &GRAPHENE_POINT_INIT (0, 0),
                                           &chart_at));
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (strip), card, &GRAPHENE_POINT_INIT (0, 0),
                                           &strip_at));
  /* The middle of the plot, below the event labels; the middle of the strip's ticks. */
  chart_x = reddest_column (pixels, stride, width,
                            chart_at.y + gtk_widget_get_height (GTK_WIDGET (chart)) * 0.45,
                            chart_at.y + gtk_widget_get_height (GTK_WIDGET (chart)) * 0.7);
  strip_x = reddest_column (pixels, stride, width,
                            strip_at.y + gtk_widget_get_height (GTK_WIDGET (strip)) / 2 - 3,
                            strip_at.y + gtk_widget_get_height (GTK_WIDGET (strip)) / 2 + 3);
  g_test_message ("abort marker at x = %d, lost ping at x = %d", chart_x, strip_x);
  g_assert_cmpint (chart_x, >, 0);
  g_assert_cmpint (strip_x, >, 0);
  g_assert_cmpint (ABS (chart_x - strip_x), <=, 1);

  remove_report (dir, TRUE);
}

static gboolean
wizard_opened (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (MW_IS_MIGRATION_WIZARD (window))
        {
          *(MwMigrationWizard **) data = MW_MIGRATION_WIZARD (window);
          return TRUE;
        }
    }

  return FALSE;
}

static void
test_wizard_command_line (Fixture       *fixture,
                          gconstpointer  data)
{
  /* What --migrate web01 --from hosta --to hostb does once the URIs are checked. */
  mw_connection_disconnect (fixture->hostb);
  mw_window_migrate_when_connected (fixture->window, fixture->hosta, "web01", fixture->hostb);
  g_assert_true (mw_test_wait_until (wizard_opened, &fixture->wizard, 10000));
  g_object_add_weak_pointer (G_OBJECT (fixture->wizard), (gpointer *) &fixture->wizard);
  g_assert_cmpstr (mw_domain_get_name (mw_migration_wizard_get_domain (fixture->wizard)), ==,
                   "web01");
  g_assert_true (mw_migration_wizard_get_destination (fixture->wizard) == fixture->hostb);
  g_assert_true (button_usable (fixture->wizard, "wizard.next"));
}

static gboolean
zerocopy_greyed (gpointer data)
{
  GtkWidget *row = find_row (data, ADW_TYPE_ACTION_ROW, "_Zero-Copy");

  return !gtk_widget_get_sensitive (mw_test_find_widget (row, GTK_TYPE_SWITCH, NULL, NULL));
}

/* Issue #12: the newer options, greyed with the reason this pair cannot do them. The demo
 * nodes are test:/// connections; the hook gives them a lab-like source (libvirt 11.3, QEMU
 * 10.0) and a Debian 12 destination (libvirt 9.0, QEMU 7.2), and the source the lab's
 * memlock probe output. */
static void
test_wizard_options_caps (Fixture       *fixture,
                          gconstpointer  data)
{
  MwMigrationWizard *wizard = NULL;
  GtkWidget *parallel_row;
  GtkWidget *zerocopy_row;
  GtkWidget *compression_row;
  const char *subtitle;
  g_autofree char *source = NULL;
  g_autofree char *destination = NULL;
  g_autofree char *zlib = NULL;
  g_autofree char *mt = NULL;
  g_autofree char *locked = NULL;

  mw_migration_caps_set_fake_versions (11003000, 10000000, 9000000, 7002000);
  /* The lab's source: its libvirtd lacks CAP_SYS_RESOURCE, QEMU may lock 8 MiB. */
  mw_migration_caps_set_fake_memlock_probe ("daemon libvirtd\nCapEff:\t000001fffeffffff\n"
                                            "Max locked memory  8388608  8388608  bytes\n");
  wizard = open_wizard (fixture, 1000, 900);
  choose_destination (fixture);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL));
  g_assert_cmpstr (mw_migration_wizard_get_page (wizard), ==, "options");
  g_assert_true (mw_test_wait_until (zerocopy_greyed, wizard, 10000));
  mw_migration_caps_set_fake_versions (0, 0, 0, 0);
  mw_migration_caps_set_fake_memlock_probe (NULL);

  source = mw_uri_get_title (mw_connection_get_uri (fixture->hosta));
  destination = mw_uri_get_title (mw_connection_get_uri (fixture->hostb));

  /* Zero-copy: the source's libvirt cannot raise QEMU's locked-memory limit to web01's
   * memory. */
  zerocopy_row = find_row (wizard, ADW_TYPE_ACTION_ROW, "_Zero-Copy");
  locked = g_strdup_printf ("Needs the guest’s QEMU on %s allowed to lock ", source);
  g_assert_true (g_str_has_prefix (gtk_widget_get_tooltip_text (zerocopy_row), locked));
  g_assert_true (g_str_has_suffix (gtk_widget_get_tooltip_text (zerocopy_row),
                                   "libvirt raises that limit for zero-copy, but libvirtd there "
                                   "lacks CAP_SYS_RESOURCE, and the limit is 8.0 MiB."));
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (zerocopy_row));
  g_assert_nonnull (strstr (subtitle, "CAP_SYS_RESOURCE"));

  /* Parallel works on both, and the row suggests a count with its reason. */
  parallel_row = find_row (wizard, ADW_TYPE_ACTION_ROW, "Para_llel Connections");
  g_assert_true (gtk_widget_get_sensitive (mw_test_find_widget (parallel_row,
                                                                GTK_TYPE_SPIN_BUTTON, NULL,
                                                                NULL)));
  g_assert_null (gtk_widget_get_tooltip_text (parallel_row));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (parallel_row)),
                            "Suggested: "));

  /* Compression: zlib/zstd need 9.4 on both, mt is gone from QEMU 10.0. */
  compression_row = find_row (wizard, ADW_TYPE_ACTION_ROW, "C_ompression");
  zlib = g_strdup_printf ("zlib: Needs libvirt 9.4 on both hosts; %s has 9.0.", destination);
  mt = g_strdup_printf ("mt: QEMU removed multithread compression in 9.1; %s has 10.0.", source);
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (compression_row), zlib));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (compression_row), mt));

  /* Choosing one the pair lacks: the reason under the row, and Next refuses with it. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (mw_test_find_widget (parallel_row,
                                                                   GTK_TYPE_SPIN_BUTTON, NULL,
                                                                   NULL)), 2);
  set_combo (wizard, "C_ompression", MW_MIGRATION_COMPRESSION_ZSTD);
  g_assert_cmpint (mw_migration_wizard_get_options (wizard)->compression, ==,
                   MW_MIGRATION_COMPRESSION_ZSTD);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (compression_row)),
                            "Needs libvirt 9.4 on both hosts"));
  g_assert_false (button_usable (wizard, "wizard.next"));
  gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL);
  g_assert_cmpstr (mw_migration_wizard_get_page (wizard), ==, "options");

  gtk_widget_grab_focus (zerocopy_row);
  mw_test_wait_frames (GTK_WIDGET (wizard), 4);
  shot (wizard, "wizard-2-options-caps");

  /* Back to what the pair can do: Next again. */
  set_combo (wizard, "C_ompression", MW_MIGRATION_COMPRESSION_NONE);
  g_assert_true (button_usable (wizard, "wizard.next"));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* Screenshots show pages, not cross-fades between them. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  mw_libvirt_init ();

  g_test_add ("/mw/wizard/destination", Fixture, NULL, fixture_set_up, test_wizard_destination,
              fixture_tear_down);
  g_test_add ("/mw/wizard/options", Fixture, NULL, fixture_set_up, test_wizard_options,
              fixture_tear_down);
  g_test_add ("/mw/wizard/options-caps", Fixture, NULL, fixture_set_up,
              test_wizard_options_caps, fixture_tear_down);
  g_test_add ("/mw/wizard/keyboard", Fixture, NULL, fixture_set_up, test_wizard_keyboard,
              fixture_tear_down);
  g_test_add ("/mw/wizard/live-replay", Fixture, NULL, fixture_set_up, test_wizard_live_replay,
              fixture_tear_down);
  g_test_add ("/mw/wizard/refused", Fixture, NULL, fixture_set_up, test_wizard_refused,
              fixture_tear_down);
  g_test_add ("/mw/wizard/retry", Fixture, NULL, fixture_set_up, test_wizard_retry,
              fixture_tear_down);
  g_test_add ("/mw/wizard/result-chart", Fixture, NULL, fixture_set_up, test_wizard_result_chart,
              fixture_tear_down);
  g_test_add ("/mw/wizard/command-line", Fixture, NULL, fixture_set_up, test_wizard_command_line,
              fixture_tear_down);

  return g_test_run ();
}
