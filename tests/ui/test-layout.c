/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The windows in one shipped language (--language=de, ru or zh_CN; Russian's words run longest,
 * German's compounds do not break, Chinese needs other fonts' metrics): nothing that a user needs
 * to read may be cut. po/LANG.po is compiled (msgfmt) into a temporary tree and the text domain
 * bound to it, as tests/data/check-runtime-i18n.sh does for the command line.
 *
 * On each surface (the main window, Add Connection, Add Remote Host, the migration wizard's
 * pages, Set Up Hosts' pages, Evacuate Host's setup and plan) every shown label whose layout is ellipsized must carry a tooltip
 * (on itself or a parent) that says the whole text, and every spin button's text must fit its
 * field. Evacuate Host is shot on its setup and plan pages. Screenshots land in
 * $MW_SCREENSHOT_DIR as LANG-*.png.
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "mw-add-connection-dialog.h"
#include "mw-add-host-wizard.h"
#include "mw-application.h"
#include "mw-evacuation-plan-page.h"
#include "mw-evacuation-window-private.h"
#include "mw-host-setup-window.h"
#include "mw-libvirt.h"
#include "mw-migration-wizard.h"
#include "mw-test-ui.h"
#include "mw-window.h"

typedef struct
{
  MwApplication *app;
  MwWindow *window;
} Fixture;

static char *locale_tree;
static const char *language = "ru";

/* ---- what is cut ----------------------------------------------------------------------------- */

static gboolean
has_tooltip_up (GtkWidget *widget)
{
  for (; widget != NULL; widget = gtk_widget_get_parent (widget))
    {
      if (gtk_widget_get_has_tooltip (widget))
        return TRUE;
    }
  return FALSE;
}

static void
collect_cut (GtkWidget *widget,
             GPtrArray *found)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  if (GTK_IS_LABEL (widget))
    {
      PangoLayout *layout = gtk_label_get_layout (GTK_LABEL (widget));

      if (pango_layout_is_ellipsized (layout) && !has_tooltip_up (widget))
        g_ptr_array_add (found,
                         g_strdup_printf ("label “%s” in a %s",
                                          gtk_label_get_text (GTK_LABEL (widget)),
                                          G_OBJECT_TYPE_NAME (gtk_widget_get_parent (widget))));
    }
  else if (GTK_IS_TEXT (widget) && gtk_widget_get_ancestor (widget, GTK_TYPE_SPIN_BUTTON))
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (widget));
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
      int width = 0;

      pango_layout_get_pixel_size (layout, &width, NULL);
      if (width > gtk_widget_get_width (widget))
        g_ptr_array_add (found, g_strdup_printf ("spin button text “%s”, %d px in %d px", text,
                                                 width, gtk_widget_get_width (widget)));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_cut (child, found);
}

/* Shoots the window as LANG-name.png and fails the test, naming every cut text it shows. */
static void
assert_nothing_cut (GtkWidget  *window,
                    const char *name)
{
  g_autofree char *file = g_strconcat (language, "-", name, NULL);
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

  mw_test_wait_frames (window, 3);
  g_free (mw_test_save_screenshot (window, file));
  collect_cut (window, found);
  for (guint i = 0; i < found->len; i++)
    g_test_message ("%s: cut: %s", name, (char *) g_ptr_array_index (found, i));
  if (found->len > 0)
    g_test_fail ();
}

/* ---- the app on the demo nodes ------------------------------------------------------------- */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  if (locale_tree == NULL)
    {
      g_test_skip ("msgfmt is not installed");
      return;
    }
  fixture->app = mw_test_app_new ();
  fixture->window = mw_window_new (fixture->app);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 700);
  gtk_window_present (GTK_WINDOW (fixture->window));
  g_assert_true (mw_test_wait_until (mw_test_demo_connected, fixture->app, 10000));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  if (fixture->app == NULL)
    return;
  /* Dialogs and wizards first, then the main window. */
  for (guint n = g_list_model_get_n_items (toplevels); n > 0; n--)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, n - 1);

      if (window != GTK_WINDOW (fixture->window))
        gtk_window_destroy (window);
    }
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_application_quit (G_APPLICATION (fixture->app));
  g_clear_object (&fixture->app);
}

static gpointer
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }
  return NULL;
}

/* ---- tests ----------------------------------------------------------------------------------- */

static void
test_main_window (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->app == NULL)
    return;
  assert_nothing_cut (GTK_WIDGET (fixture->window), "main-window");
}

static void
test_add_dialogs (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkWidget *dialog;
  GtkWidget *row;

  if (fixture->app == NULL)
    return;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.add-connection",
                                             NULL));
  dialog = find_toplevel (MW_TYPE_ADD_CONNECTION_DIALOG);
  g_assert_nonnull (dialog);
  /* Over SSH, so that every row shows: the rows are Hypervisor, then Connect Through. */
  row = mw_test_find_widget (dialog, ADW_TYPE_COMBO_ROW, NULL, NULL);
  g_assert_nonnull (row);
  row = gtk_widget_get_next_sibling (row);
  g_assert_true (ADW_IS_COMBO_ROW (row));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), MW_TRANSPORT_SSH);
  assert_nothing_cut (dialog, "add-connection");
  gtk_window_destroy (GTK_WINDOW (dialog));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.add-host",
                                             NULL));
  dialog = find_toplevel (MW_TYPE_ADD_HOST_WIZARD);
  g_assert_nonnull (dialog);
  assert_nothing_cut (dialog, "add-host");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
migrate_enabled (gpointer data)
{
  return gtk_widget_is_sensitive (data);
}

static gboolean
has_migrate_action (GtkWidget *widget,
                    gpointer   data)
{
  return GTK_IS_ACTIONABLE (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)),
                       "wizard.migrate") == 0;
}

static gboolean
on_result_page (gpointer wizard)
{
  return g_strcmp0 (mw_migration_wizard_get_page (wizard), "result") == 0;
}

static void
test_migration_wizard (Fixture       *fixture,
                       gconstpointer  data)
{
  MwConnection *hosta;
  MwConnection *hostb;
  MwMigrationWizard *wizard;
  GtkWidget *migrate;

  if (fixture->app == NULL)
    return;
  hosta = mw_test_find_demo (fixture->app, "/hosta.xml");
  hostb = mw_test_find_demo (fixture->app, "/hostb.xml");
  wizard = mw_window_open_migration (fixture->window, mw_connection_find_domain (hosta, "web01"),
                                     NULL);
  /* The narrowest the wizard is shown in the tests. */
  gtk_window_set_default_size (GTK_WINDOW (wizard), 700, 700);
  g_assert_true (mw_migration_wizard_set_destination (wizard, hostb));
  assert_nothing_cut (GTK_WIDGET (wizard), "wizard-destination");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL));
  g_assert_cmpstr (mw_migration_wizard_get_page (wizard), ==, "options");
  assert_nothing_cut (GTK_WIDGET (wizard), "wizard-options");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL));
  g_assert_cmpstr (mw_migration_wizard_get_page (wizard), ==, "checks");
  migrate = mw_test_find_widget (GTK_WIDGET (wizard), GTK_TYPE_BUTTON, has_migrate_action, NULL);
  g_assert_nonnull (migrate);
  g_assert_true (mw_test_wait_until (migrate_enabled, migrate, 20000));
  assert_nothing_cut (GTK_WIDGET (wizard), "wizard-checks");

  /* The test driver refuses: the result page says so. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.migrate", NULL));
  g_assert_true (mw_test_wait_until (on_result_page, wizard, 30000));
  assert_nothing_cut (GTK_WIDGET (wizard), "wizard-result");
}

static gboolean
idle (gpointer data)
{
  return !mw_host_setup_window_get_busy (data);
}

static void
test_host_setup (Fixture       *fixture,
                 gconstpointer  data)
{
  MwHostSetupWindow *window;
  GtkWidget *stack;

  if (fixture->app == NULL)
    return;
  window = mw_host_setup_window_new (GTK_WINDOW (fixture->window),
                                     mw_application_get_connections (fixture->app), "web01");
  gtk_window_present (GTK_WINDOW (window));
  assert_nothing_cut (GTK_WIDGET (window), "host-setup-storage");

  stack = mw_test_find_widget (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK, NULL, NULL);
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), "network");
  mw_test_wait_frames (GTK_WIDGET (window), 2);
  g_assert_true (mw_test_wait_until (idle, window, 20000));
  assert_nothing_cut (GTK_WIDGET (window), "host-setup-network");
}

static gboolean
plan_checked (gpointer data)
{
  MwEvacuationPlan *plan =
    mw_evacuation_plan_page_get_plan (mw_evacuation_window_get_plan_page (data));

  return plan != NULL && mw_evacuation_plan_get_state (plan) >= MW_EVACUATION_PLAN_STATE_READY;
}

static void
test_evacuation (Fixture       *fixture,
                 gconstpointer  data)
{
  MwEvacuationWindow *window;

  if (fixture->app == NULL)
    return;
  /* At its default size, as Evacuate Host… opens it. */
  window = mw_evacuation_window_new (GTK_WINDOW (fixture->window),
                                     mw_application_get_connections (fixture->app),
                                     mw_test_find_demo (fixture->app, "/hosta.xml"));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpstr (mw_evacuation_window_get_page_name (window), ==, "setup");
  assert_nothing_cut (GTK_WIDGET (window), "evacuation-setup");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "evacuation.check", NULL));
  g_assert_cmpstr (mw_evacuation_window_get_page_name (window), ==, "plan");
  g_assert_true (mw_test_wait_until (plan_checked, window, 60000));
  assert_nothing_cut (GTK_WIDGET (window), "evacuation-plan");
}

/* ---- the catalogue --------------------------------------------------------------------------- */

static char *
compile_catalogue (void)
{
  g_autofree char *po_file = g_strconcat (language, ".po", NULL);
  g_autofree char *po = g_build_filename (g_getenv ("MW_TEST_DATA"), "..", "..", "po", po_file,
                                          NULL);
  g_autofree char *tree = g_dir_make_tmp ("mw-layout-XXXXXX", NULL);
  g_autofree char *dir = g_build_filename (tree, language, "LC_MESSAGES", NULL);
  g_autofree char *mo = g_build_filename (dir, GETTEXT_PACKAGE ".mo", NULL);
  const char *argv[] = { "msgfmt", "-o", mo, po, NULL };
  g_autoptr(GError) error = NULL;
  int status = -1;

  if (g_find_program_in_path ("msgfmt") == NULL)
    return NULL;
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                               NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&tree);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* --language=LANG, taken out before GTest sees the arguments. */
  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--language="))
      {
        language = argv[i] + strlen ("--language=");
        memmove (&argv[i], &argv[i + 1], (argc - i) * sizeof (char *));
        argc--;
        break;
      }
  g_setenv ("LANGUAGE", language, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  mw_libvirt_init ();

  locale_tree = compile_catalogue ();
  if (locale_tree != NULL)
    {
      setlocale (LC_ALL, "");
      bindtextdomain (GETTEXT_PACKAGE, locale_tree);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
      /* The catalogue is there and read: a known string comes back translated. */
      g_assert_cmpstr (_("Add Connection"), !=, "Add Connection");
    }

  g_test_add ("/mw/layout/main-window", Fixture, NULL, fixture_set_up, test_main_window,
              fixture_tear_down);
  g_test_add ("/mw/layout/add-dialogs", Fixture, NULL, fixture_set_up, test_add_dialogs,
              fixture_tear_down);
  g_test_add ("/mw/layout/migration-wizard", Fixture, NULL, fixture_set_up,
              test_migration_wizard, fixture_tear_down);
  g_test_add ("/mw/layout/evacuation", Fixture, NULL, fixture_set_up, test_evacuation,
              fixture_tear_down);
  g_test_add ("/mw/layout/host-setup", Fixture, NULL, fixture_set_up, test_host_setup,
              fixture_tear_down);

  status = g_test_run ();
  if (locale_tree != NULL)
    {
      g_autofree char *command = g_strdup_printf ("rm -rf '%s'", locale_tree);

      g_assert_cmpint (system (command), ==, 0);
    }
  g_free (locale_tree);
  return status;
}
