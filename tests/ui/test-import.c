/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The first start offers Virtual Machine Manager's connections: virt-manager's schema compiled
 * into a temporary directory, both apps' settings in one keyfile (GIO's keyfile backend), as
 * dconf would hold them on a desktop. virt-manager lists a demo node MigWizard already has and
 * test:///default, which it opens at start: only test:///default is offered, Add adds it (saved,
 * set to connect at start, connected), and the next start does not offer again. */
#include <glib/gstdio.h>

#include "mw-libvirt.h"
#include "mw-test-ui.h"
#include "mw-uri.h"
#include "mw-window.h"

#define REMOTE_URI "qemu+ssh://root@hostc.example/system"

static char *tmp_dir;

static const char *
demo_uri (void)
{
  static char *uri;

  if (uri == NULL)
    {
      g_auto(GStrv) demo = mw_uri_get_demo_uris ();

      uri = g_strdup (demo[0]);
    }
  return uri;
}

/* Before GIO reads its environment: the schema directory, the backend and its file. */
static void
set_up_settings (void)
{
  g_autofree char *schemas = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *config = NULL;
  g_autofree char *keyfile_dir = NULL;
  g_autofree char *keyfile = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *schema_dirs = NULL;
  g_autoptr(GError) error = NULL;
  int status = -1;
  const char *argv[] = { "glib-compile-schemas", "--strict", NULL, NULL };

  tmp_dir = g_dir_make_tmp ("mw-import-XXXXXX", &error);
  g_assert_no_error (error);
  schemas = g_build_filename (tmp_dir, "schemas", NULL);
  g_assert_cmpint (g_mkdir_with_parents (schemas, 0700), ==, 0);
  xml = g_build_filename (g_getenv ("MW_TEST_DATA"), "virt-manager-connections.gschema.xml", NULL);
  g_assert_true (g_file_get_contents (xml, &contents, NULL, &error));
  g_clear_pointer (&xml, g_free);
  xml = g_build_filename (schemas, "org.virt-manager.virt-manager.gschema.xml", NULL);
  g_assert_true (g_file_set_contents (xml, contents, -1, &error));
  g_clear_pointer (&contents, g_free);
  argv[2] = schemas;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  config = g_build_filename (tmp_dir, "config", NULL);
  keyfile_dir = g_build_filename (config, "glib-2.0", "settings", NULL);
  g_assert_cmpint (g_mkdir_with_parents (keyfile_dir, 0700), ==, 0);
  keyfile = g_build_filename (keyfile_dir, "keyfile", NULL);
  g_assert_nonnull (demo_uri ());
  contents = g_strdup_printf ("[org/virt-manager/virt-manager/connections]\n"
                              "uris=['%s', 'test:///default']\n"
                              "autoconnect=['test:///default']\n", demo_uri ());
  g_assert_true (g_file_set_contents (keyfile, contents, -1, &error));

  /* virt-manager's schema first, then ours from the build tree. */
  schema_dirs = g_strdup_printf ("%s:%s", schemas, g_getenv ("GSETTINGS_SCHEMA_DIR"));
  g_setenv ("GSETTINGS_SCHEMA_DIR", schema_dirs, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "keyfile", TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
}

static gboolean
connected (gpointer data)
{
  return mw_connection_get_state (data) == MW_CONNECTION_STATE_CONNECTED;
}

static gboolean
is_add_button (GtkWidget *widget,
               gpointer   data)
{
  return g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), "import.add") == 0;
}

/* What the user sees: the Add button usable or greyed. */
static gboolean
add_usable (MwImportDialog *dialog)
{
  GtkWidget *button = mw_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, is_add_button,
                                           NULL);

  g_assert_nonnull (button);
  return gtk_widget_is_sensitive (button);
}

static void
test_import_first_start (void)
{
  g_autoptr(MwApplication) app = mw_test_app_new ();
  MwConnectionList *list;
  MwWindow *window;
  MwImportDialog *dialog;
  MwConnection *added;
  const char * const *offered;
  g_autoptr(GSettings) settings = NULL;
  g_auto(GStrv) saved = NULL;
  g_auto(GStrv) saved_auto = NULL;
  guint n_before;

  window = mw_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  list = mw_application_get_connections (app);
  n_before = g_list_model_get_n_items (G_LIST_MODEL (list));

  dialog = mw_window_offer_virt_manager (window, TRUE);
  g_assert_nonnull (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  offered = mw_import_dialog_get_uris (dialog);
  g_assert_cmpstrv (offered, ((const char *[]) { "test:///default", NULL }));
  g_free (mw_test_save_screenshot (GTK_WIDGET (dialog), "import-virt-manager"));

  /* All checked at first; chosen one by one: none checked, nothing to add. */
  g_assert_true (add_usable (dialog));
  g_assert_true (mw_import_dialog_set_chosen (dialog, "test:///default", FALSE));
  g_assert_false (add_usable (dialog));
  g_assert_false (mw_import_dialog_set_chosen (dialog, demo_uri (), TRUE));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n_before);

  g_assert_true (mw_import_dialog_set_chosen (dialog, "test:///default", TRUE));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.add", NULL));
  g_assert_null (dialog);   /* closed once everything chosen was added */

  added = mw_connection_list_find (list, "test:///default");
  g_assert_nonnull (added);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n_before + 1);
  g_assert_true (mw_connection_get_autoconnect (added));
  g_assert_true (mw_test_wait_until (connected, added, 10000));

  /* Saved where the next start reads it, and the offer remembered. */
  settings = g_settings_new ("com.example.MigWizard");
  saved = g_settings_get_strv (settings, "connections");
  saved_auto = g_settings_get_strv (settings, "autoconnect");
  g_assert_true (g_strv_contains ((const char * const *) saved, "test:///default"));
  g_assert_true (g_strv_contains ((const char * const *) saved_auto, "test:///default"));
  g_assert_true (g_settings_get_boolean (settings, "virt-manager-offered"));

  /* Not offered a second time; from the menu, nothing is left to offer. */
  g_assert_null (mw_window_offer_virt_manager (window, TRUE));
  g_assert_null (mw_window_offer_virt_manager (window, FALSE));

  gtk_window_destroy (GTK_WINDOW (window));
  g_application_quit (G_APPLICATION (app));
}

/* A later start with a new connection in virt-manager: not offered unasked, but the menu does. */
static void
test_import_menu (void)
{
  g_autoptr(MwApplication) app = mw_test_app_new ();
  g_autoptr(GSettings) vm = g_settings_new ("org.virt-manager.virt-manager.connections");
  const char *uris[] = { "test:///default", REMOTE_URI, NULL };
  MwWindow *window;
  MwImportDialog *dialog;

  g_assert_true (g_settings_set_strv (vm, "uris", uris));
  window = mw_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_null (mw_window_offer_virt_manager (window, TRUE));
  dialog = mw_window_offer_virt_manager (window, FALSE);
  g_assert_nonnull (dialog);
  g_assert_cmpstrv (mw_import_dialog_get_uris (dialog),
                    ((const char *[]) { REMOTE_URI, NULL }));
  gtk_window_destroy (GTK_WINDOW (window));
  g_application_quit (G_APPLICATION (app));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  set_up_settings ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  mw_libvirt_init ();

  g_test_add_func ("/mw/import/first-start", test_import_first_start);
  g_test_add_func ("/mw/import/menu", test_import_menu);

  status = g_test_run ();
  g_test_message ("settings in %s", tmp_dir);
  return status;
}
