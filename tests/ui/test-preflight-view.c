/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pre-flight view on the demo nodes: rows fill in, the summary counts what blocks, and the
 * disk cache row's fix is asked first, saves cache='none', then offers to restart the guest
 * (saying it goes down), after which the check runs again and passes. */
#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "mw-libvirt.h"
#include "mw-preflight-view.h"
#include "mw-test-ui.h"

static gboolean
preflight_idle (gpointer data)
{
  return !mw_preflight_get_running (data);
}

static gboolean
is_named (GtkWidget *widget,
          gpointer   data)
{
  return g_strcmp0 (gtk_widget_get_name (widget), data) == 0;
}

static gboolean
is_visible_button (GtkWidget *widget,
                   gpointer   data)
{
  return gtk_widget_get_visible (widget) && GTK_IS_BUTTON (widget)
         && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0;
}

static gboolean
check_done (gpointer data)
{
  return mw_check_is_done (data) && mw_check_get_sentence (data) != NULL
         && strstr (mw_check_get_sentence (data), "next boot") != NULL;
}

static gboolean
check_passed (gpointer data)
{
  return mw_check_get_state (data) == MW_CHECK_STATE_PASSED;
}

/* The confirmation a fix button opens, answered with response. */
static void
answer_fix_dialog (const char *expected_in_body,
                   const char *response,
                   const char *screenshot)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* borrowed */
  AdwMessageDialog *dialog = NULL;

  for (guint i = 0; dialog == NULL && i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        dialog = ADW_MESSAGE_DIALOG (window);
    }
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Disk cache mode");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), expected_in_body));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  if (screenshot != NULL)
    g_free (mw_test_save_screenshot (GTK_WIDGET (dialog), screenshot));
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_demo (void)
{
  g_autofree char *hosta = g_strdup_printf ("test://%s/hosta.xml", g_getenv ("MW_DEMO_DIR"));
  g_autofree char *hostb = g_strdup_printf ("test://%s/hostb.xml", g_getenv ("MW_DEMO_DIR"));
  g_autoptr(MwPreflight) preflight = mw_preflight_new (hosta, hostb, "db01", NULL);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *view = mw_preflight_view_new (preflight);
  MwCheck *cache = mw_preflight_find_check (preflight, "disk-cache");
  GtkWidget *row;
  GtkWidget *button;
  g_autofree char *shot = NULL;

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_window_set_child (GTK_WINDOW (window), scrolled);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 900);
  gtk_window_present (GTK_WINDOW (window));

  mw_preflight_run (preflight);
  g_assert_true (mw_test_wait_until (preflight_idle, preflight, 10000));
  mw_test_wait_frames (window, 3);
  g_assert_true (mw_preflight_view_get_blocking (MW_PREFLIGHT_VIEW (view)));
  shot = mw_test_save_screenshot (window, "preflight-view");

  row = mw_test_find_widget (view, ADW_TYPE_EXPANDER_ROW, is_named, (gpointer) "disk-cache");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==,
                   mw_check_get_sentence (cache));
  g_assert_null (mw_test_find_widget (mw_test_find_widget (view, ADW_TYPE_EXPANDER_ROW, is_named,
                                                           (gpointer) "network"),
                                      GTK_TYPE_BUTTON, is_visible_button,
                                      (gpointer) "Set Cache to None"));

  button = mw_test_find_widget (row, GTK_TYPE_BUTTON, is_visible_button,
                                (gpointer) "Set Cache to None");
  g_assert_nonnull (button);

  /* Asked first: Cancel changes nothing. */
  g_signal_emit_by_name (button, "clicked");  /* as a click does */
  answer_fix_dialog ("persistent definition", "cancel", NULL);
  mw_test_wait_frames (window, 2);
  g_assert_cmpint (mw_check_get_state (cache), ==, MW_CHECK_STATE_BLOCKING);
  g_assert_nonnull (strstr (mw_check_get_sentence (cache), "unsafe migration"));
  g_assert_true (gtk_widget_get_visible (button));

  g_signal_emit_by_name (button, "clicked");
  answer_fix_dialog ("persistent definition", "fix", "preflight-fix-save-dialog");
  g_assert_true (mw_test_wait_until (check_done, cache, 10000));
  mw_test_wait_frames (window, 2);
  g_assert_nonnull (strstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), "next boot"));

  /* Saved: the row now offers the restart, which says the guest goes down. */
  button = mw_test_find_widget (row, GTK_TYPE_BUTTON, is_visible_button,
                                (gpointer) "Restart Guest");
  g_assert_nonnull (button);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  mw_test_wait_frames (window, 3);
  g_free (mw_test_save_screenshot (window, "preflight-fix-restart-offered"));
  g_signal_emit_by_name (button, "clicked");
  answer_fix_dialog ("goes down", "fix", "preflight-fix-restart-dialog");
  g_assert_true (mw_test_wait_until (check_passed, cache, 10000));
  mw_test_wait_frames (window, 2);
  g_assert_false (gtk_widget_get_visible (button));
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==,
                   mw_check_get_sentence (cache));
  g_free (mw_test_save_screenshot (window, "preflight-fix-passed"));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  mw_libvirt_init ();

  g_test_add_func ("/mw/ui/preflight-view/demo", test_demo);

  return g_test_run ();
}
