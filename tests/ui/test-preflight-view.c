/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pre-flight view on the demo nodes: rows fill in, the summary counts what blocks, and the
 * disk cache row's fix is asked first, saves cache='none', then offers to restart the guest
 * (saying it goes down), after which the check runs again and passes. Each row shows its result
 * as soon as its check finishes (a slow check stands in for a real probe), and what blocks is
 * listed at the top, above the fold, while the rest still runs. */
#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "mw-libvirt.h"
#include "mw-preflight-private.h"
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

/* The demo nodes' pre-flight for db01, whose disk cache mode blocks. */
static MwPreflight *
demo_preflight (void)
{
  g_autofree char *hosta = g_strdup_printf ("test://%s/hosta.xml", g_getenv ("MW_DEMO_DIR"));
  g_autofree char *hostb = g_strdup_printf ("test://%s/hostb.xml", g_getenv ("MW_DEMO_DIR"));

  return mw_preflight_new (hosta, hostb, "db01", NULL);
}

/* A window height pixels tall with view in a scrolled window, shown. */
static GtkWidget *
present_view (GtkWidget  *view,
              int         height,
              GtkWidget **scrolled)
{
  GtkWidget *window = gtk_window_new ();

  *scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (*scrolled), view);
  gtk_window_set_child (GTK_WINDOW (window), *scrolled);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, height);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
test_demo (void)
{
  g_autoptr(MwPreflight) preflight = demo_preflight ();
  GtkWidget *view = mw_preflight_view_new (preflight);
  GtkWidget *scrolled;
  GtkWidget *window;
  MwCheck *cache = mw_preflight_find_check (preflight, "disk-cache");
  GtkWidget *row;
  GtkWidget *button;
  g_autofree char *shot = NULL;

  window = present_view (view, 900, &scrolled);

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

static gint slow_released;

/* Takes until the test releases it, as a probe of a slow host would. Worker thread. */
static void
slow_run (const MwCheckContext *context,
          MwCheckResult        *result,
          GCancellable         *cancellable)
{
  while (!g_atomic_int_get (&slow_released) && !g_cancellable_is_cancelled (cancellable))
    g_usleep (10 * 1000);
  mw_check_result_set (result, MW_CHECK_STATE_PASSED, "The slow check has finished.", NULL,
                       NULL, NULL);
}

static const MwCheckSpec slow_spec = {
  "forecast", "Convergence forecast", MW_CHECK_NEEDS_SOURCE | MW_CHECK_NEEDS_DOMAIN, NULL,
  slow_run, NULL
};

static gboolean
check_is_done (gpointer data)
{
  return mw_check_is_done (data);
}

static const char *
subtitle_of (GtkWidget  *view,
             const char *id)
{
  GtkWidget *row = mw_test_find_widget (view, ADW_TYPE_EXPANDER_ROW, is_named, (gpointer) id);

  g_assert_nonnull (row);
  return adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row));
}

/* Where widget is, in the scrolled window's visible area. */
static graphene_rect_t
visible_bounds (GtkWidget *widget,
                GtkWidget *scrolled)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (widget, scrolled, &bounds));
  return bounds;
}

typedef struct
{
  GtkWidget *row;
  GtkWidget *scrolled;
} InView;

/* The row's header (its focused part) wholly inside the visible area. */
static gboolean
row_in_view (gpointer data)
{
  InView *in_view = data;
  graphene_rect_t bounds = visible_bounds (in_view->row, in_view->scrolled);

  return bounds.origin.y >= 0
         && bounds.origin.y + 50 <= gtk_widget_get_height (in_view->scrolled);
}

static void
test_as_they_finish (void)
{
  g_autoptr(MwPreflight) preflight = demo_preflight ();
  GtkWidget *view = mw_preflight_view_new (preflight);
  GtkWidget *scrolled;
  GtkWidget *window;
  MwCheck *cache = mw_preflight_find_check (preflight, "disk-cache");
  MwCheck *slow = mw_preflight_find_check (preflight, "forecast");
  GListModel *checks = mw_preflight_get_checks (preflight);
  GtkWidget *blocking_list;
  GtkWidget *blocking_row;
  GtkWidget *cache_row;
  GtkWidget *summary;
  GtkWidget *focus;
  GtkAdjustment *vadjustment;
  InView in_view;
  graphene_rect_t bounds;
  int height;
  g_autofree char *shot = NULL;

  g_atomic_int_set (&slow_released, 0);
  mw_preflight_replace_spec (preflight, &slow_spec);
  /* Small enough that the disk cache row starts below the fold. */
  window = present_view (view, 480, &scrolled);

  mw_preflight_run (preflight);
  g_assert_true (mw_test_wait_until (check_is_done, cache, 10000));
  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(MwCheck) check = g_list_model_get_item (checks, i);

      if (check != slow)
        g_assert_true (mw_test_wait_until (check_is_done, check, 10000));
    }
  mw_test_wait_frames (window, 3);

  /* The slow check still runs; every other row already shows its own result. */
  g_assert_true (mw_preflight_get_running (preflight));
  g_assert_cmpint (mw_check_get_state (slow), ==, MW_CHECK_STATE_RUNNING);
  g_assert_cmpstr (subtitle_of (view, "forecast"), ==, "Checking…");
  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(MwCheck) check = g_list_model_get_item (checks, i);

      if (check != slow)
        g_assert_cmpstr (subtitle_of (view, mw_check_get_id (check)), ==,
                         mw_check_get_sentence (check));
    }

  /* What blocks is on top, in view, named, and counted in the summary, before the end. */
  g_assert_cmpint (mw_check_get_state (cache), ==, MW_CHECK_STATE_BLOCKING);
  blocking_list = mw_test_find_widget (view, GTK_TYPE_LIST_BOX, is_named, (gpointer) "blocking");
  g_assert_nonnull (blocking_list);
  g_assert_true (gtk_widget_get_visible (blocking_list));
  blocking_row = mw_test_find_widget (blocking_list, ADW_TYPE_ACTION_ROW, is_named,
                                      (gpointer) "disk-cache");
  g_assert_nonnull (blocking_row);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (blocking_row)), ==,
                   mw_check_get_sentence (cache));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (blocking_row)), ==,
                   mw_check_get_title (cache));
  height = gtk_widget_get_height (scrolled);
  bounds = visible_bounds (blocking_row, scrolled);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, height);
  cache_row = mw_test_find_widget (view, ADW_TYPE_EXPANDER_ROW, is_named,
                                   (gpointer) "disk-cache");
  bounds = visible_bounds (cache_row, scrolled);
  g_assert_cmpfloat (bounds.origin.y, >=, height);  /* the full row alone would be unseen */
  summary = gtk_widget_get_first_child (gtk_widget_get_first_child (view));
  summary = gtk_widget_get_last_child (summary);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (summary)), "found so far"));
  shot = mw_test_save_screenshot (window, "preflight-view-running");

  /* Activating it opens the check's own row, scrolled to the top. */
  gtk_widget_activate (blocking_row);
  mw_test_wait_frames (window, 5);
  in_view.row = cache_row;
  in_view.scrolled = scrolled;
  g_assert_true (mw_test_wait_until (row_in_view, &in_view, 5000));
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (cache_row)));
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_true (focus == cache_row || gtk_widget_is_ancestor (focus, cache_row));
  vadjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), >, 0);
  g_free (shot);
  shot = mw_test_save_screenshot (window, "preflight-view-opened");

  /* The slow one fills in by itself. */
  g_atomic_int_set (&slow_released, 1);
  g_assert_true (mw_test_wait_until (preflight_idle, preflight, 10000));
  g_assert_cmpstr (subtitle_of (view, "forecast"), ==, "The slow check has finished.");

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  mw_libvirt_init ();

  g_test_add_func ("/mw/ui/preflight-view/demo", test_demo);
  g_test_add_func ("/mw/ui/preflight-view/as-they-finish", test_as_they_finish);

  return g_test_run ();
}
