/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-test-wizard.c: the migration wizard on the shipped demo nodes, for its test programs
 * (mw-test-wizard.h). */
#include "config.h"

#include <string.h>

#include "mw-libvirt.h"
#include "mw-test-wizard.h"
#include "mw-uri.h"

void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  GError *error = NULL;
  MwConnectionList *list;

  fixture->app = mw_test_app_new ();

  fixture->window = mw_window_new (fixture->app);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 760);
  gtk_window_present (GTK_WINDOW (fixture->window));
  g_assert_true (mw_test_wait_until (mw_test_demo_connected, fixture->app, 10000));

  fixture->hosta = mw_test_find_demo (fixture->app, "/hosta.xml");
  fixture->hostb = mw_test_find_demo (fixture->app, "/hostb.xml");
  g_assert_nonnull (fixture->hosta);
  g_assert_nonnull (fixture->hostb);

  /* A saved host that is not connected: listed, greyed, with the reason. */
  list = mw_application_get_connections (fixture->app);
  fixture->offline = mw_connection_list_add (list, UNREACHABLE_URI, FALSE, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->offline);
}

void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->wizard != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->wizard));
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_application_quit (G_APPLICATION (fixture->app));
  g_clear_object (&fixture->app);
}

MwMigrationWizard *
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

GtkWidget *
find_row (MwMigrationWizard *wizard,
          GType              type,
          const char        *title)
{
  GtkWidget *row = mw_test_find_widget (GTK_WIDGET (wizard), type, row_titled, (gpointer) title);

  g_assert_nonnull (row);
  return row;
}

gboolean
has_action_name (GtkWidget *widget,
                 gpointer   data)
{
  return GTK_IS_ACTIONABLE (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), data) == 0;
}

GtkWidget *
find_button (MwMigrationWizard *wizard,
             const char        *action)
{
  GtkWidget *button = mw_test_find_widget (GTK_WIDGET (wizard), GTK_TYPE_BUTTON, has_action_name,
                                           (gpointer) action);

  g_assert_nonnull (button);
  return button;
}

/* Whether the user could press the button now: shown, and its action enabled. */
gboolean
button_usable (MwMigrationWizard *wizard,
               const char        *action)
{
  GtkWidget *button = find_button (wizard, action);

  return gtk_widget_is_drawable (button) && gtk_widget_is_sensitive (button);
}

void
shot (MwMigrationWizard *wizard,
      const char        *name)
{
  g_free (mw_test_save_screenshot (GTK_WIDGET (wizard), name));
}

void
choose_destination (Fixture *fixture)
{
  GtkWidget *row = find_row (fixture->wizard, ADW_TYPE_ACTION_ROW,
                             mw_connection_get_title (fixture->hostb));

  /* As a click or Enter on the row does. */
  g_assert_true (gtk_widget_is_sensitive (row));
  gtk_widget_activate (row);
  g_assert_true (mw_migration_wizard_get_destination (fixture->wizard) == fixture->hostb);
}

gboolean
migrate_usable (gpointer data)
{
  return button_usable (data, "wizard.migrate");
}

void
mw_test_wizard_init (int    *argc,
                     char ***argv)
{
  gtk_test_init (argc, argv, NULL);
  adw_init ();
  /* Screenshots show pages, not cross-fades between them. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  mw_libvirt_init ();
}
