/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The migration wizard on the shipped demo nodes, walked as a user would: by its actions, by
 * focus and activation as Tab / Enter / Escape do, its options against what the hosts can do,
 * and opened from the command line. Its live and result pages: test-wizard-result.c; the
 * fixture: mw-test-wizard.c. Screenshots land in $MW_SCREENSHOT_DIR as wizard-*.png.
 */
#include "config.h"

#include <glib/gstdio.h>

#include <string.h>

#include <adwaita.h>

#include "mw-migration-caps.h"
#include "mw-test-wizard.h"

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

static gboolean
twin_connected (gpointer data)
{
  return mw_connection_get_state (data) == MW_CONNECTION_STATE_CONNECTED
         && mw_connection_find_domain (data, "web01") != NULL;
}

static gboolean
is_group_described (GtkWidget *widget,
                    gpointer   data)
{
  const char *description = adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (widget));

  return description != NULL && g_str_has_prefix (description, "No other host");
}

/* No usable destination, but a connected host that refuses the guest (a domain of its name is
 * defined there): the page no longer sends the user to connect one more host, it points at the
 * reasons. Seen in the lab after a temporary move hosta -> hostb and back: hosta, connected,
 * "A domain named “labguest” already exists there", and above it "No other host can take it
 * now. Connect to another host of the same kind in the main window." */
static void
test_wizard_none_usable (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("mw-twin-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "twin.xml", NULL);
  g_autofree char *uri = g_strconcat ("test://", path, NULL);
  g_autoptr(GError) error = NULL;
  MwConnection *twin;
  MwMigrationWizard *wizard;
  GtkWidget *group;

  g_assert_true (g_file_set_contents (path,
                                      "<node><domain type='test'><name>web01</name>"
                                      "<memory>262144</memory><os><type>hvm</type></os>"
                                      "</domain></node>", -1, &error));
  twin = mw_connection_list_add (mw_application_get_connections (fixture->app), uri, TRUE, FALSE,
                                 &error);
  g_assert_no_error (error);
  mw_connection_list_autoconnect (mw_application_get_connections (fixture->app));
  g_assert_true (mw_test_wait_until (twin_connected, twin, 10000));
  mw_connection_disconnect (fixture->hostb);
  wizard = open_wizard (fixture, 1000, 700);
  group = mw_test_find_widget (GTK_WIDGET (wizard), ADW_TYPE_PREFERENCES_GROUP,
                               is_group_described, NULL);
  g_assert_nonnull (group);
  g_assert_cmpstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (group)), ==,
                   "No other host can take it now: each host says why below.");
  shot (wizard, "wizard-1-destination-none-usable");
  g_remove (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  mw_test_wizard_init (&argc, &argv);

  g_test_add ("/mw/wizard/none-usable", Fixture, NULL, fixture_set_up, test_wizard_none_usable,
              fixture_tear_down);
  g_test_add ("/mw/wizard/destination", Fixture, NULL, fixture_set_up, test_wizard_destination,
              fixture_tear_down);
  g_test_add ("/mw/wizard/options", Fixture, NULL, fixture_set_up, test_wizard_options,
              fixture_tear_down);
  g_test_add ("/mw/wizard/options-caps", Fixture, NULL, fixture_set_up, test_wizard_options_caps,
              fixture_tear_down);
  g_test_add ("/mw/wizard/keyboard", Fixture, NULL, fixture_set_up, test_wizard_keyboard,
              fixture_tear_down);
  g_test_add ("/mw/wizard/command-line", Fixture, NULL, fixture_set_up, test_wizard_command_line,
              fixture_tear_down);

  return g_test_run ();
}
