/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The options page says, before post-copy is chosen, when a post-copy that breaks off could not
 * be recovered on this pair (issue #12): the destination's libvirt 11.2–11.3 crashes on any
 * resume. On the shipped demo nodes, the caps hook giving them versions: hostb on 11.3 puts
 * the sentence under Allow Post-Copy and in its tooltip; hostb on 11.5 (the source on 11.3,
 * which takes no part in the crash) leaves the row as it was. */
#include "config.h"

#include <string.h>

#include "mw-libvirt.h"
#include "mw-migration-caps.h"
#include "mw-migration-wizard.h"
#include "mw-test-ui.h"
#include "mw-window.h"

/* The demo node's title names the host. */
#define WHY "Recovering a post-copy that broke off is not possible on these hosts: Demo: hostb has " \
            "libvirt 11.3, whose daemon crashes when asked to resume one (a bug of libvirt " \
            "11.2 and 11.3)."

static gboolean
row_titled (GtkWidget *widget,
            gpointer   data)
{
  return g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

static GtkWidget *
find_row (MwMigrationWizard *wizard,
          const char        *title)
{
  GtkWidget *row = mw_test_find_widget (GTK_WIDGET (wizard), ADW_TYPE_ACTION_ROW, row_titled,
                                        (gpointer) title);

  g_assert_nonnull (row);
  return row;
}

/* The caps were read: the parallel row suggests a count, which it does only with them. */
static gboolean
caps_read (gpointer data)
{
  const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (find_row (
                           data, "Para_llel Connections")));

  return subtitle != NULL && strstr (subtitle, "Suggested: ") != NULL;
}

/* The Post-copy row's subtitle and tooltip with the destination on destination_libvirt. */
static void
options_page (gulong   destination_libvirt,
              char   **subtitle,
              char   **tooltip)
{
  g_autoptr(MwApplication) app = mw_test_app_new ();
  MwWindow *window = mw_window_new (app);
  MwMigrationWizard *wizard;
  GtkWidget *row;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (mw_test_wait_until (mw_test_demo_connected, app, 10000));
  mw_migration_caps_set_fake_versions (11003000, 10000000, destination_libvirt, 10000000);
  wizard = mw_window_open_migration (window,
                                     mw_connection_find_domain (mw_test_find_demo (app,
                                                                                   "/hosta.xml"),
                                                                "web01"),
                                     mw_test_find_demo (app, "/hostb.xml"));
  gtk_window_set_default_size (GTK_WINDOW (wizard), 1000, 900);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL));
  g_assert_cmpstr (mw_migration_wizard_get_page (wizard), ==, "options");
  g_assert_true (mw_test_wait_until (caps_read, wizard, 10000));
  mw_migration_caps_set_fake_versions (0, 0, 0, 0);

  row = find_row (wizard, "Allow _Post-Copy");
  *subtitle = g_strdup (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
  *tooltip = g_strdup (gtk_widget_get_tooltip_text (row));
  if (destination_libvirt == 11003000)
    {
      /* Scrolled into view for the picture. */
      gtk_widget_grab_focus (mw_test_find_widget (row, GTK_TYPE_SWITCH, NULL, NULL));
      mw_test_wait_frames (GTK_WIDGET (wizard), 4);
      g_free (mw_test_save_screenshot (GTK_WIDGET (wizard), "wizard-options-postcopy-recovery"));
    }
  gtk_window_destroy (GTK_WINDOW (wizard));
  gtk_window_destroy (GTK_WINDOW (window));
  g_application_quit (G_APPLICATION (app));
}

static void
test_note (void)
{
  g_autofree char *subtitle = NULL;
  g_autofree char *tooltip = NULL;
  g_autofree char *fixed_subtitle = NULL;
  g_autofree char *fixed_tooltip = NULL;

  options_page (11003000, &subtitle, &tooltip);
  /* The option's own explanation stays first; the reason follows on its own line. */
  g_assert_nonnull (subtitle);
  g_assert_true (g_str_has_suffix (subtitle, "\n" WHY));
  g_assert_false (g_str_has_prefix (subtitle, WHY));
  g_assert_cmpstr (tooltip, ==, WHY);

  options_page (11005000, &fixed_subtitle, &fixed_tooltip);
  g_assert_nonnull (fixed_subtitle);
  g_assert_null (strstr (fixed_subtitle, "not possible"));
  g_assert_null (fixed_tooltip);
  /* The same explanation without the line. */
  g_assert_true (g_str_has_prefix (subtitle, fixed_subtitle));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  mw_libvirt_init ();

  g_test_add_func ("/mw/options/postcopy-recovery-note", test_note);

  return g_test_run ();
}
