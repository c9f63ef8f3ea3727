/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-live-page-postcopy.c: the live page for a post-copy migration — Pause Post-Copy while
 * it runs, and a post-copy that broke off shown in words, as paused (not failed), with Recover
 * and the reason it waits. The page as the wizard binds it to a job (state, paused-message,
 * recover-blocker), read back from its widgets. */

#include "config.h"

#include <adwaita.h>

#include "mw-migration-live-page.h"
#include "mw-test-ui.h"

#define PAUSED_TEXT "The migration of “guest” broke off in post-copy. The guest is paused on hostb."
/* The job's recover-blocker in post-copy on a destination whose libvirt crashes on a resume. */
#define IMPOSSIBLE_TEXT "Recovering a post-copy that broke off is not possible on these hosts: " \
                        "hostb has libvirt 11.3, whose daemon crashes when asked to resume one " \
                        "(a bug of libvirt 11.2 and 11.3)."

static gboolean
row_titled (GtkWidget *widget,
            gpointer   title)
{
  return g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static gboolean
label_is (GtkWidget *widget,
          gpointer   text)
{
  return g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static void
test_paused (void)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  MwMigrationLivePage *page = g_object_new (MW_TYPE_MIGRATION_LIVE_PAGE, NULL);
  GtkWidget *pause_row, *recover_row;

  gtk_window_set_default_size (window, 900, 700);
  gtk_window_set_child (window, GTK_WIDGET (page));
  gtk_window_present (window);
  pause_row = mw_test_find_widget (GTK_WIDGET (page), ADW_TYPE_ACTION_ROW, row_titled,
                                   (gpointer) "Pause the post-copy on purpose: the guest waits "
                                              "on the destination until you recover the "
                                              "migration");
  recover_row = mw_test_find_widget (GTK_WIDGET (page), ADW_TYPE_ACTION_ROW, row_titled,
                                     (gpointer) "Finish the migration from where it stopped");
  g_assert_nonnull (pause_row);
  g_assert_nonnull (recover_row);

  /* Pre-copy: neither. */
  mw_migration_live_page_set_state (page, MW_MIGRATION_JOB_STATE_RUNNING);
  g_assert_false (gtk_widget_get_visible (pause_row));
  g_assert_false (gtk_widget_get_visible (recover_row));

  /* Post-copy: Pause. */
  mw_migration_live_page_set_state (page, MW_MIGRATION_JOB_STATE_POSTCOPY);
  g_assert_true (gtk_widget_get_visible (pause_row));
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_parent (pause_row)));
  g_assert_false (gtk_widget_get_visible (recover_row));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (pause_row)), ==, "");

  /* On hosts where no recovery can work, said under Pause before anything breaks. */
  g_object_set (page, "recover-blocker", IMPOSSIBLE_TEXT, NULL);
  g_assert_true (gtk_widget_get_visible (pause_row));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (pause_row)), ==,
                   IMPOSSIBLE_TEXT);
  mw_test_wait_frames (GTK_WIDGET (window), 2);
  g_free (mw_test_save_screenshot (GTK_WIDGET (window), "live-page-postcopy-impossible"));
  g_object_set (page, "recover-blocker", NULL, NULL);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (pause_row)), ==, "");

  /* Broken off, a host not answering: paused in words, Recover with the reason. */
  g_object_set (page, "paused-message", PAUSED_TEXT,
                "recover-blocker", "Waiting for hostb to answer again.",
                "state", MW_MIGRATION_JOB_STATE_POSTCOPY_PAUSED, NULL);
  g_assert_cmpstr (mw_migration_live_page_get_verdict_title (page), ==, "Post-Copy Paused");
  g_assert_nonnull (mw_test_find_widget (GTK_WIDGET (page), GTK_TYPE_LABEL, label_is,
                                         (gpointer) PAUSED_TEXT));
  g_assert_false (gtk_widget_get_visible (pause_row));
  g_assert_true (gtk_widget_get_visible (recover_row));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (recover_row)), ==,
                   "Waiting for hostb to answer again.");
  mw_test_wait_frames (GTK_WIDGET (window), 2);
  g_free (mw_test_save_screenshot (GTK_WIDGET (window), "live-page-postcopy-paused"));

  /* Both answer. */
  g_object_set (page, "recover-blocker", NULL, NULL);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (recover_row)), ==,
                   "Both hosts answer: the migration can go on.");

  /* Recovered. */
  mw_migration_live_page_set_state (page, MW_MIGRATION_JOB_STATE_SUCCEEDED);
  g_assert_false (gtk_widget_get_visible (recover_row));

  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/mw/live-page/postcopy-paused", test_paused);
  return g_test_run ();
}
