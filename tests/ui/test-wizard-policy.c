/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The options page's recommended policy (issue #12), on the shipped demo nodes: Use Recommended
 * fills the option rows with the policy's choices for this pair and shows its reasons under
 * its row, the first saying what was measured of the guest's dirty rate (here: that the test
 * driver cannot); a change made by hand takes the reasons away again. The caps hook gives both demo
 * nodes the lab's versions (libvirt 11.3, QEMU 10.0). */
#include "config.h"

#include <string.h>

#include "mw-libvirt.h"
#include "mw-migration-caps.h"
#include "mw-migration-wizard.h"
#include "mw-test-ui.h"
#include "mw-window.h"

typedef struct
{
  MwApplication *app;
  MwWindow *window;
  MwMigrationWizard *wizard;
} Fixture;

static gboolean
row_titled (GtkWidget *widget,
            gpointer   data)
{
  return g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

static GtkWidget *
find_row (Fixture    *fixture,
          const char *title)
{
  GtkWidget *row = mw_test_find_widget (GTK_WIDGET (fixture->wizard), ADW_TYPE_ACTION_ROW,
                                        row_titled, (gpointer) title);

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

/* The policy's measurement came back (here: refused by the test driver). */
static gboolean
measured (gpointer data)
{
  const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (data));

  return subtitle != NULL && g_str_has_prefix (subtitle, "The guest’s dirty rate");
}

static void
test_recommend (void)
{
  Fixture fixture = { 0 };
  MwConnection *hosta, *hostb;
  MwDomain *web01;
  GtkWidget *policy_row;
  GtkWidget *downtime_spin;
  GtkWidget *bandwidth_spin;
  const MwMigrationOptions *options;
  const char *hint;
  const char *subtitle;
  g_autofree char *hint_copy = NULL;

  fixture.app = mw_test_app_new ();
  fixture.window = mw_window_new (fixture.app);
  gtk_window_present (GTK_WINDOW (fixture.window));
  g_assert_true (mw_test_wait_until (mw_test_demo_connected, fixture.app, 10000));
  hosta = mw_test_find_demo (fixture.app, "/hosta.xml");
  hostb = mw_test_find_demo (fixture.app, "/hostb.xml");
  web01 = mw_connection_find_domain (hosta, "web01");
  g_assert_nonnull (web01);

  mw_migration_caps_set_fake_versions (11003000, 10000000, 11003000, 10000000);
  fixture.wizard = mw_window_open_migration (fixture.window, web01, hostb);
  gtk_window_set_default_size (GTK_WINDOW (fixture.wizard), 1000, 900);
  g_assert_true (mw_migration_wizard_get_destination (fixture.wizard) == hostb);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.wizard), "wizard.next", NULL));
  g_assert_cmpstr (mw_migration_wizard_get_page (fixture.wizard), ==, "options");
  g_assert_true (mw_test_wait_until (caps_read, &fixture, 10000));
  mw_migration_caps_set_fake_versions (0, 0, 0, 0);

  /* The user's limit and link: 500 ms, a 32 MiB/s cap. */
  downtime_spin = mw_test_find_widget (find_row (&fixture, "Maximum Do_wntime (ms)"),
                                       GTK_TYPE_SPIN_BUTTON, NULL, NULL);
  bandwidth_spin = mw_test_find_widget (find_row (&fixture, "_Bandwidth Limit (MiB/s)"),
                                        GTK_TYPE_SPIN_BUTTON, NULL, NULL);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (downtime_spin), 500);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (bandwidth_spin), 32);

  policy_row = find_row (&fixture, "Recommended Policy");
  hint = adw_action_row_get_subtitle (ADW_ACTION_ROW (policy_row));
  hint_copy = g_strdup (hint);
  g_assert_true (g_str_has_prefix (hint, "Chooses the options below"));

  /* As a click on Use Recommended does: the guest's dirty rate is measured first, in a worker;
   * the test driver has no such calculation, so it ends with libvirt's refusal. */
  g_assert_true (gtk_widget_activate_action (policy_row, "options.recommend", NULL));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (policy_row)), ==,
                   "Measuring how fast the guest dirties its memory…");
  g_assert_true (mw_test_wait_until (measured, policy_row, 10000));
  options = mw_migration_wizard_get_options (fixture.wizard);
  /* The dirty rate could not be measured: auto-converge, and post-copy after one pass over
   * web01's memory at 32 MiB/s; the limit and the cap stay. */
  g_assert_true (options->auto_converge);
  g_assert_true (options->postcopy);
  g_assert_cmpuint (options->postcopy_after_s, >, 0);
  g_assert_cmpuint (options->max_downtime_ms, ==, 500);
  g_assert_cmpuint (options->bandwidth_mib_s, ==, 32);
  g_assert_cmpuint (options->parallel_connections, ==, 0);
  /* The rows show it. */
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (mw_test_find_widget (
                   find_row (&fixture, "Auto-Con_verge"), GTK_TYPE_SWITCH, NULL, NULL))));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (mw_test_find_widget (
                   find_row (&fixture, "Allow _Post-Copy"), GTK_TYPE_SWITCH, NULL, NULL))));
  /* One reason a line, each whole. */
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (policy_row));
  g_assert_true (g_str_has_prefix (subtitle, "The guest’s dirty rate could not be measured (this "
                                             "function is not supported by the connection "
                                             "driver: virDomainStartDirtyRateCalc), so the "
                                             "policy takes it as not known.\nLive: the guest "
                                             "keeps running"));
  g_assert_nonnull (strstr (subtitle, "\nMaximum downtime 500 ms, your limit:"));
  g_assert_nonnull (strstr (subtitle, "\nBandwidth capped at 32 MiB/s, as you asked."));
  g_assert_nonnull (strstr (subtitle, "\nAuto-converge, and post-copy after the first pass ("));
  g_assert_nonnull (strstr (subtitle, "\nNo compression:"));
  mw_test_wait_frames (GTK_WIDGET (fixture.wizard), 4);
  g_free (mw_test_save_screenshot (GTK_WIDGET (fixture.wizard), "wizard-2-options-policy"));

  /* A change by hand: the reasons no longer describe the options, so they go. */
  gtk_switch_set_active (GTK_SWITCH (mw_test_find_widget (find_row (&fixture, "Auto-Con_verge"),
                                                          GTK_TYPE_SWITCH, NULL, NULL)),
                         FALSE);
  g_assert_false (mw_migration_wizard_get_options (fixture.wizard)->auto_converge);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (policy_row)), ==, hint_copy);

  gtk_window_destroy (GTK_WINDOW (fixture.wizard));
  gtk_window_destroy (GTK_WINDOW (fixture.window));
  g_application_quit (G_APPLICATION (fixture.app));
  g_clear_object (&fixture.app);
}

/* A destination whose QEMU cannot open a userfaultfd (Debian 12's libvirt 9.0 and QEMU 7.2 with
 * vm.unprivileged_userfaultfd at 0, as the caps' probe prints it): the post-copy switch is
 * greyed with the reason under its row, and the policy does not choose post-copy. */
static gboolean
postcopy_greyed (gpointer data)
{
  return !gtk_widget_get_sensitive (mw_test_find_widget (find_row (data, "Allow _Post-Copy"),
                                                         GTK_TYPE_SWITCH, NULL, NULL));
}

static void
test_postcopy_greyed (void)
{
  Fixture fixture = { 0 };
  MwConnection *hosta, *hostb;
  MwDomain *web01;
  GtkWidget *postcopy_row;
  GtkWidget *policy_row;
  const char *subtitle;

  fixture.app = mw_test_app_new ();
  fixture.window = mw_window_new (fixture.app);
  gtk_window_present (GTK_WINDOW (fixture.window));
  g_assert_true (mw_test_wait_until (mw_test_demo_connected, fixture.app, 10000));
  hosta = mw_test_find_demo (fixture.app, "/hosta.xml");
  hostb = mw_test_find_demo (fixture.app, "/hostb.xml");
  web01 = mw_connection_find_domain (hosta, "web01");
  g_assert_nonnull (web01);

  mw_migration_caps_set_fake_versions (9000000, 7002000, 9000000, 7002000);
  mw_migration_caps_set_fake_uffd_probe (NULL, "uffd_sysctl 0\nuffd_dev 600 0\nuffd_end\n");
  fixture.wizard = mw_window_open_migration (fixture.window, web01, hostb);
  gtk_window_set_default_size (GTK_WINDOW (fixture.wizard), 1000, 900);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.wizard), "wizard.next", NULL));
  g_assert_cmpstr (mw_migration_wizard_get_page (fixture.wizard), ==, "options");
  g_assert_true (mw_test_wait_until (postcopy_greyed, &fixture, 10000));
  mw_migration_caps_set_fake_versions (0, 0, 0, 0);
  mw_migration_caps_set_fake_uffd_probe (NULL, NULL);

  postcopy_row = find_row (&fixture, "Allow _Post-Copy");
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (postcopy_row));
  /* The demo node's title names it. */
  g_assert_cmpstr (subtitle, ==, "Post-copy cannot work: on Demo: hostb, "
                                 "vm.unprivileged_userfaultfd is 0 and QEMU 7.2 cannot use "
                                 "/dev/userfaultfd instead (QEMU 8.1 can).");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (postcopy_row), ==, subtitle);

  /* The policy, not knowing the dirty rate, would take post-copy as its safety net: not here. */
  policy_row = find_row (&fixture, "Recommended Policy");
  g_assert_true (gtk_widget_activate_action (policy_row, "options.recommend", NULL));
  g_assert_true (mw_test_wait_until (measured, policy_row, 10000));
  g_assert_false (mw_migration_wizard_get_options (fixture.wizard)->postcopy);
  g_assert_true (mw_migration_wizard_get_options (fixture.wizard)->auto_converge);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (policy_row)),
                            "post-copy cannot work here. Post-copy cannot work: on Demo: "
                            "hostb"));
  mw_test_wait_frames (GTK_WIDGET (fixture.wizard), 4);
  g_free (mw_test_save_screenshot (GTK_WIDGET (fixture.wizard), "wizard-2-options-no-postcopy"));

  gtk_window_destroy (GTK_WINDOW (fixture.wizard));
  gtk_window_destroy (GTK_WINDOW (fixture.window));
  g_application_quit (G_APPLICATION (fixture.app));
  g_clear_object (&fixture.app);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  mw_libvirt_init ();

  g_test_add_func ("/mw/wizard-policy/recommend", test_recommend);
  g_test_add_func ("/mw/wizard-policy/postcopy-greyed", test_postcopy_greyed);

  return g_test_run ();
}
