/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Evacuate Host… in the window, with 300 guests on libvirt's test driver.
 *
 * The test writes two test-driver nodes (a source with 300 guests, every 25th with its disk on
 * local storage the destination does not have; a destination with the same shared pool), opens
 * the evacuation window through win.evacuate-host as the menus do, lets the real pre-flight
 * check every guest, decides as a user would (for all, then one row), and runs the evacuation on
 * the scripted job backend of the core's tests (tests/migration/mw-fake-backend.h): each
 * migration reports shrinking memory for a few samples, then ends; one fails, one is cancelled
 * from its row. The summary is checked against the core's own record (the report's JSON).
 * The main loop's worst stall is measured with a tick callback while planning, running and
 * scrolling the 300 rows. */
#include "config.h"

#include <time.h>

#include <glib/gstdio.h>

#include "mw-evacuation-plan-row.h"
#include "mw-evacuation-progress-row.h"
#include "mw-evacuation-report.h"
#include "mw-evacuation-sparkline.h"
#include "mw-evacuation-window-private.h"
#include "mw-libvirt.h"
#include "mw-test-evacuation.h"
#include "mw-test-ui.h"
#include "mw-window-private.h"

/* Pre-flights at once: on the test driver each opens the 300-guest node, which costs CPU. */
#define MAX_CHECKS 8

/* 300; MW_TEST_GUESTS=N for a quicker run while working on the window. */
static guint N_GUESTS = 300;

typedef struct
{
  guint n_guests;                     /* on the source node */
  char *dir;
  char *src_uri;
  char *dst_uri;
  MwApplication *app;
  MwWindow *window;
  MwEvacuationWindow *evacuation_window;
  MwConnection *src;

  /* the scripted run */
  MwTestJobDriver *driver;
  guint driver_id;

  /* stalls: the longest gap between two frame-clock ticks of the evacuation window, and
   * between two runs of a 5 ms main-loop timer */
  gint64 last_tick_us;
  gint64 worst_gap_us;
  guint tick_id;
  gint64 last_beat_us;
  gint64 worst_beat_us;
  gint64 last_beat_cpu_us;            /* the main thread's own CPU time at the last beat */
  gint64 worst_busy_us;               /* the most CPU the main thread spent between two beats */
  guint beat_id;
} Fixture;

/* ---- stalls ------------------------------------------------------------------------------ */

static gboolean
on_tick_cb (GtkWidget     *widget,
            GdkFrameClock *clock,
            gpointer       user_data)
{
  Fixture *fixture = user_data;
  gint64 now = g_get_monotonic_time ();

  if (fixture->last_tick_us > 0)
    fixture->worst_gap_us = MAX (fixture->worst_gap_us, now - fixture->last_tick_us);
  fixture->last_tick_us = now;
  return G_SOURCE_CONTINUE;
}

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* Wall time between beats says how long the loop did not answer, on this machine under its
 * load; the main thread's CPU time between them says how much of that was our own work. */
static gboolean
on_beat_cb (gpointer user_data)
{
  Fixture *fixture = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_us ();

  if (fixture->last_beat_cpu_us > 0)
    fixture->worst_busy_us = MAX (fixture->worst_busy_us, cpu - fixture->last_beat_cpu_us);

  if (fixture->last_beat_us > 0)
    fixture->worst_beat_us = MAX (fixture->worst_beat_us, now - fixture->last_beat_us);
  /* MW_TEST_STALLS: say where each long turn was, by wall time or by our own CPU. */
  if (fixture->last_beat_us > 0
      && (now - fixture->last_beat_us > 200000 || cpu - fixture->last_beat_cpu_us > 30000)
      && g_getenv ("MW_TEST_STALLS") != NULL)
    {
      MwEvacuationPlan *plan = mw_evacuation_plan_page_get_plan (
        mw_evacuation_window_get_plan_page (fixture->evacuation_window));

      MwEvacuation *evacuation =
        mw_evacuation_window_get_evacuation (fixture->evacuation_window);

      g_test_message ("gap %.0f ms (main thread CPU %.0f ms): page %s, %u done, plan state %d, "
                      "%u checked", (now - fixture->last_beat_us) / 1e3,
                      (cpu - fixture->last_beat_cpu_us) / 1e3,
                      mw_evacuation_window_get_page_name (fixture->evacuation_window),
                      evacuation != NULL ? mw_evacuation_get_n_done (evacuation) : 0,
                      plan != NULL ? (int) mw_evacuation_plan_get_state (plan) : -1,
                      plan != NULL ? mw_evacuation_plan_get_n_checked (plan) : 0);
    }
  fixture->last_beat_cpu_us = cpu;
  fixture->last_beat_us = now;
  return G_SOURCE_CONTINUE;
}

static void
stall_reset (Fixture *fixture)
{
  /* From now: what the action that follows does at once counts, too. */
  fixture->last_tick_us = 0;
  fixture->last_beat_us = g_get_monotonic_time ();
  fixture->last_beat_cpu_us = thread_cpu_us ();
  fixture->worst_gap_us = fixture->worst_beat_us = fixture->worst_busy_us = 0;
  if (fixture->beat_id == 0)
    fixture->beat_id = g_timeout_add_full (G_PRIORITY_HIGH, 5, on_beat_cb, fixture, NULL);
}

/* Leaves out of the figures what the test itself just did in one turn. */
static void
stall_skip (Fixture *fixture)
{
  fixture->last_tick_us = 0;
  fixture->last_beat_us = g_get_monotonic_time ();
  fixture->last_beat_cpu_us = thread_cpu_us ();
}

static void
stall_report (Fixture    *fixture,
              const char *what)
{
  const char *renderer = g_getenv ("GSK_RENDERER");

  g_test_message ("stall: %s: worst frame gap %.1f ms, worst main-loop gap %.1f ms, of which "
                  "main-thread CPU at most %.1f ms (GSK_RENDERER=%s)", what,
                  fixture->worst_gap_us / 1000.0, fixture->worst_beat_us / 1000.0,
                  fixture->worst_busy_us / 1000.0, renderer != NULL ? renderer : "default");
  /* Never frozen by our own work: no single stretch of main-thread CPU reaches two seconds
   * (the figures above are what to read; the wall gaps also count the time other processes
   * had the CPU, which on a shared 2-core runner is most of it). */
  g_assert_cmpint (fixture->worst_busy_us, <, 2 * G_USEC_PER_SEC);
}

/* ---- fixture ----------------------------------------------------------------------------- */

static gboolean
is_evacuation_window (gpointer data)
{
  Fixture *fixture = data;
  g_autoptr(GListModel) toplevels = NULL;

  toplevels = g_object_ref (gtk_window_get_toplevels ());
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (MW_IS_EVACUATION_WINDOW (window))
        {
          fixture->evacuation_window = MW_EVACUATION_WINDOW (window);
          return TRUE;
        }
    }
  return FALSE;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  MwConnectionList *list;

  fixture->n_guests = data != NULL ? GPOINTER_TO_UINT (data) : N_GUESTS;
  fixture->dir = g_dir_make_tmp ("mw-evac-ui-XXXXXX", NULL);
  mw_test_evacuation_write_nodes (fixture->dir, fixture->n_guests, &fixture->src_uri,
                                  &fixture->dst_uri);
  fixture->app = mw_test_app_new ();
  /* Only the two nodes written here: no demo nodes offered. */
  mw_application_load_connections (fixture->app, FALSE);
  list = mw_application_get_connections (fixture->app);
  fixture->src = mw_connection_list_add (list, fixture->src_uri, FALSE, FALSE, &error);
  g_assert_no_error (error);
  mw_connection_list_add (list, fixture->dst_uri, FALSE, FALSE, &error);
  g_assert_no_error (error);
  fixture->window = mw_window_new (fixture->app);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1000, 700);
  gtk_window_present (GTK_WINDOW (fixture->window));
  fixture->driver = mw_test_job_driver_new ();
}

/* What Save Report… wrote: the JSON, the CSV and a report per guest that ran a job. */
static void
remove_reports (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    if (g_str_has_prefix (name, "report"))
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);

        g_unlink (path);
      }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *src = g_build_filename (fixture->dir, "src.xml", NULL);
  g_autofree char *dst = g_build_filename (fixture->dir, "dst.xml", NULL);

  g_clear_handle_id (&fixture->driver_id, g_source_remove);
  g_clear_handle_id (&fixture->beat_id, g_source_remove);
  if (fixture->evacuation_window != NULL)
    {
      if (fixture->tick_id != 0)
        gtk_widget_remove_tick_callback (GTK_WIDGET (fixture->evacuation_window), fixture->tick_id);
      gtk_window_destroy (GTK_WINDOW (fixture->evacuation_window));
    }
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_application_quit (G_APPLICATION (fixture->app));
  g_clear_object (&fixture->app);
  mw_test_job_driver_free (fixture->driver);
  g_unlink (src);
  g_unlink (dst);
  remove_reports (fixture->dir);
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->src_uri);
  g_free (fixture->dst_uri);
}

/* Opens the window as the menus and Ctrl+Shift+E do: the selected connection's action. */
static void
open_evacuation (Fixture *fixture)
{
  mw_window_select_connection (fixture->window, fixture->src);
  g_assert_true (mw_window_get_selected_connection (fixture->window) == fixture->src);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.evacuate-host",
                                             NULL));
  g_assert_true (mw_test_wait_until (is_evacuation_window, fixture, 5000));
  gtk_window_set_default_size (GTK_WINDOW (fixture->evacuation_window), 1000, 760);
  mw_evacuation_window_set_job_factory (fixture->evacuation_window, mw_test_job_driver_factory,
                                        fixture->driver, 20);
  fixture->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (fixture->evacuation_window),
                                                   on_tick_cb, fixture, NULL);
}

static gboolean
match_action_button (GtkWidget *widget,
                     gpointer   action)
{
  return g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0;
}

static gboolean
action_button_sensitive (Fixture    *fixture,
                         const char *action)
{
  GtkWidget *button = mw_test_find_widget (GTK_WIDGET (fixture->evacuation_window),
                                           GTK_TYPE_BUTTON, match_action_button,
                                           (gpointer) action);

  g_assert_nonnull (button);
  return gtk_widget_get_visible (button) && gtk_widget_is_sensitive (button);
}

static gboolean
menu_has_action (GMenuModel *menu,
                 const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *name = NULL;
      GMenuLinkIter *links;
      const char *link;
      GMenuModel *child;
      gboolean found = FALSE;

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &name)
          && g_str_equal (name, action))
        return TRUE;
      links = g_menu_model_iterate_item_links (menu, i);
      while (!found && g_menu_link_iter_get_next (links, &link, &child))
        {
          found = menu_has_action (child, action);
          g_object_unref (child);
        }
      g_object_unref (links);
      if (found)
        return TRUE;
    }
  return FALSE;
}

static gboolean
is_connection_row (GtkWidget *widget,
                   gpointer   data)
{
  return g_str_equal (G_OBJECT_TYPE_NAME (widget), "MwConnectionRow");
}

static gboolean
is_primary_menu_button (GtkWidget *widget,
                        gpointer   data)
{
  return g_strcmp0 (gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget)),
                    "open-menu-symbolic") == 0;
}

static gboolean
is_order_group (GtkWidget *widget,
                gpointer   data)
{
  return g_strcmp0 (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget)),
                    "Order and Limits") == 0;
}

/* The window's menu, the connection row's context menu and the shortcuts window offer it; with
 * no host selected it says what to do instead of opening. */
static void
test_open (Fixture       *fixture,
           gconstpointer  data)
{
  GtkWidget *primary = mw_test_find_widget (GTK_WIDGET (fixture->window), GTK_TYPE_MENU_BUTTON,
                                            is_primary_menu_button, NULL);
  GtkWidget *row = mw_test_find_widget (GTK_WIDGET (fixture->window), GTK_TYPE_LIST_BOX_ROW,
                                        is_connection_row, NULL);
  GtkPopoverMenu *row_menu = NULL;
  g_autoptr(GBytes) overlay = NULL;
  g_autofree char *dests = NULL;
  MwEvacuationSetupPage *setup;
  g_auto(GStrv) chosen = NULL;

  g_assert_nonnull (primary);
  g_assert_true (menu_has_action (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (primary)),
                                  "win.evacuate-host"));
  g_assert_nonnull (row);
  row_menu = GTK_POPOVER_MENU (mw_test_find_widget (row, GTK_TYPE_POPOVER_MENU, NULL, NULL));
  g_assert_nonnull (row_menu);
  g_assert_true (menu_has_action (gtk_popover_menu_get_menu_model (row_menu),
                                  "win.evacuate-host"));
  overlay = g_resources_lookup_data ("/com/example/MigWizard/gtk/help-overlay.ui", 0, NULL);
  g_assert_nonnull (strstr (g_bytes_get_data (overlay, NULL), "Evacuate Host"));

  /* Nothing selected ("All connections"): no window. */
  mw_window_select_connection (fixture->window, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.evacuate-host",
                                             NULL));
  mw_test_wait_frames (GTK_WIDGET (fixture->window), 3);
  g_assert_false (is_evacuation_window (fixture));

  open_evacuation (fixture);
  g_assert_cmpstr (mw_evacuation_window_get_page_name (fixture->evacuation_window), ==, "setup");
  setup = mw_evacuation_window_get_setup_page (fixture->evacuation_window);
  /* The other connection is offered, and chosen as the only one; the source is not. */
  chosen = mw_evacuation_setup_page_dup_destinations (setup);
  g_assert_cmpstrv (chosen, ((const char *[]) { fixture->dst_uri, NULL }));
  g_assert_false (mw_evacuation_setup_page_set_destination (setup, fixture->src_uri, TRUE));
  g_assert_true (mw_evacuation_setup_page_set_destination (setup, fixture->dst_uri, FALSE));
  g_assert_false (action_button_sensitive (fixture, "evacuation.check"));
  g_assert_true (mw_evacuation_setup_page_set_destination (setup, fixture->dst_uri, TRUE));
  g_clear_pointer (&chosen, g_strfreev);
  chosen = mw_evacuation_setup_page_dup_destinations (setup);
  g_assert_cmpstrv (chosen, ((const char *[]) { fixture->dst_uri, NULL }));
  /* One migration per link by default. */
  g_assert_cmpuint (mw_evacuation_setup_page_get_parallel (setup), ==, g_strv_length (chosen));
  g_assert_true (action_button_sensitive (fixture, "evacuation.check"));
  g_free (mw_test_save_screenshot (GTK_WIDGET (fixture->evacuation_window), "evacuation-setup"));

  /* "Priorities can be set per guest on the next page." only while the order is by priority:
   * the plan page shows no priority otherwise. */
  {
    AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (
      mw_test_find_widget (GTK_WIDGET (setup), ADW_TYPE_PREFERENCES_GROUP, is_order_group,
                           NULL));
    const char *description;

    g_assert_nonnull (group);
    g_assert_cmpstr (adw_preferences_group_get_description (group), ==,
                     "Priorities can be set per guest on the next page.");
    mw_evacuation_setup_page_set_order (setup, MW_EVACUATION_ORDER_SMALL_FIRST);
    description = adw_preferences_group_get_description (group);
    g_assert_true (description == NULL || *description == '\0');
    mw_evacuation_setup_page_set_order (setup, MW_EVACUATION_ORDER_PRIORITY);
    g_assert_cmpstr (adw_preferences_group_get_description (group), ==,
                     "Priorities can be set per guest on the next page.");
  }
}

static gboolean
plan_checked (gpointer data)
{
  Fixture *fixture = data;
  MwEvacuationPlanPage *page = mw_evacuation_window_get_plan_page (fixture->evacuation_window);
  MwEvacuationPlan *plan = mw_evacuation_plan_page_get_plan (page);

  /* Checked, and the list on screen grouped (it comes in a few rows a frame). */
  return plan != NULL && mw_evacuation_plan_get_state (plan) >= MW_EVACUATION_PLAN_STATE_READY
         && mw_evacuation_plan_page_get_settled (page);
}

static gboolean
finished (gpointer data)
{
  Fixture *fixture = data;
  MwEvacuation *evacuation = mw_evacuation_window_get_evacuation (fixture->evacuation_window);

  return evacuation != NULL && mw_evacuation_get_state (evacuation) == MW_EVACUATION_RUN_FINISHED
         && g_strcmp0 (mw_evacuation_window_get_page_name (fixture->evacuation_window),
                       "summary") == 0;
}

static gboolean
is_bound_plan_row (GtkWidget *widget,
                   gpointer   group)
{
  MwEvacuationItem *item = mw_evacuation_plan_row_get_item (MW_EVACUATION_PLAN_ROW (widget));

  return item != NULL && gtk_widget_is_drawable (widget)
         && mw_evacuation_item_get_group (item) == (MwEvacuationGroup) GPOINTER_TO_INT (group);
}

static gboolean
is_bound_row (GtkWidget *widget,
              gpointer   data)
{
  return mw_evacuation_plan_row_get_item (MW_EVACUATION_PLAN_ROW (widget)) != NULL
         && gtk_widget_is_drawable (widget);
}

static gboolean
is_row_in_state (GtkWidget *widget,
                 gpointer   state)
{
  MwEvacuationItem *item =
    mw_evacuation_progress_row_get_item (MW_EVACUATION_PROGRESS_ROW (widget));

  return item != NULL && gtk_widget_is_drawable (widget)
         && mw_evacuation_item_get_state (item) == (MwEvacuationState) GPOINTER_TO_INT (state);
}

typedef struct
{
  Fixture *fixture;
  MwEvacuationState state;
  guint min_points;
} RowWait;

/* A migrating guest's row on screen whose chart has drawn min_points columns. */
static gboolean
migrating_row_drawn (gpointer data)
{
  RowWait *wait = data;
  GtkWidget *row = mw_test_find_widget (GTK_WIDGET (wait->fixture->evacuation_window),
                                        MW_TYPE_EVACUATION_PROGRESS_ROW, is_row_in_state,
                                        GINT_TO_POINTER (MW_EVACUATION_STATE_MIGRATING));

  return row != NULL
         && mw_evacuation_sparkline_get_n_points (MW_EVACUATION_SPARKLINE (
              mw_evacuation_progress_row_get_sparkline (MW_EVACUATION_PROGRESS_ROW (row))))
            >= wait->min_points;
}

static MwEvacuationItem *
find_item (GListModel *items,
           const char *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(MwEvacuationItem) item = g_list_model_get_item (items, i);

      if (g_str_equal (mw_evacuation_item_get_name (item), name))
        return item;   /* the plan keeps it */
    }
  g_error ("no guest %s", name);
}

static gboolean
is_drawable (GtkWidget *widget,
             gpointer   data)
{
  return gtk_widget_is_drawable (widget);
}

/* Scrolls a list through all of its rows, a page at a time, drawing each. */
static void
scroll_through (GtkWidget *root)
{
  GtkScrolledWindow *scrolled = GTK_SCROLLED_WINDOW (
    mw_test_find_widget (root, GTK_TYPE_SCROLLED_WINDOW, is_drawable, NULL));
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scrolled);

  while (gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment)
         < gtk_adjustment_get_upper (adjustment) - 1)
    {
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment)
                                            + gtk_adjustment_get_page_size (adjustment));
      mw_test_wait_frames (root, 1);
    }
  gtk_adjustment_set_value (adjustment, 0);
  mw_test_wait_frames (root, 2);
}

static void
test_run_300 (Fixture       *fixture,
              gconstpointer  data)
{
  MwEvacuationSetupPage *setup;
  MwEvacuationPlanPage *plan_page;
  MwEvacuationPlan *plan;
  GListModel *items;
  GListModel *shown;
  MwEvacuationPlanRow *row;
  MwEvacuationItem *chosen_item;
  MwEvacuationItem *cancelled;
  MwEvacuationSummaryPage *summary;
  MwEvacuation *evacuation;
  g_autoptr(JsonNode) report = NULL;
  JsonArray *guests;
  guint n_cannot, n_needs, n_ready, n_undecided;
  gint64 start_us;
  RowWait wait = { fixture, MW_EVACUATION_STATE_MIGRATING, 3 };

  open_evacuation (fixture);
  setup = mw_evacuation_window_get_setup_page (fixture->evacuation_window);
  g_assert_true (mw_evacuation_setup_page_set_destination (setup, fixture->dst_uri, TRUE));
  mw_evacuation_setup_page_set_parallel (setup, 4);
  mw_evacuation_window_set_max_checks (fixture->evacuation_window, MAX_CHECKS);

  /* The plan: every guest checked against the destination, before anything starts. */
  stall_reset (fixture);
  start_us = g_get_monotonic_time ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->evacuation_window),
                                             "evacuation.check", NULL));
  g_assert_cmpstr (mw_evacuation_window_get_page_name (fixture->evacuation_window), ==, "plan");
  g_assert_false (action_button_sensitive (fixture, "evacuation.start"));
  g_assert_true (mw_test_wait_until (plan_checked, fixture, 600000));
  g_test_message ("plan: %u guests checked in %.1f s", N_GUESTS,
                  (g_get_monotonic_time () - start_us) / 1e6);
  stall_report (fixture, "planning 300 guests");
  plan_page = mw_evacuation_window_get_plan_page (fixture->evacuation_window);
  plan = mw_evacuation_plan_page_get_plan (plan_page);
  items = mw_evacuation_plan_get_items (plan);
  g_assert_cmpint (mw_evacuation_plan_get_state (plan), ==, MW_EVACUATION_PLAN_STATE_READY);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, N_GUESTS);
  n_cannot = mw_evacuation_plan_count_group (plan, MW_EVACUATION_GROUP_CANNOT_MOVE);
  n_needs = mw_evacuation_plan_count_group (plan, MW_EVACUATION_GROUP_NEEDS_DECISION);
  n_ready = mw_evacuation_plan_count_group (plan, MW_EVACUATION_GROUP_READY);
  g_test_message ("plan: %u ready, %u need a decision, %u cannot move", n_ready, n_needs,
                  n_cannot);
  g_assert_cmpuint (n_cannot + n_needs + n_ready, ==, N_GUESTS);
  /* Each guest with a local-only disk cannot move, with the checks' reason. */
  for (guint i = 7; i < N_GUESTS; i += LOCAL_EVERY)
    {
      g_autofree char *name = g_strdup_printf ("guest%03u", i);
      MwEvacuationItem *item = find_item (items, name);

      g_assert_cmpint (mw_evacuation_item_get_group (item), ==, MW_EVACUATION_GROUP_CANNOT_MOVE);
      g_assert_nonnull (mw_evacuation_item_get_reason (item));
    }
  g_assert_cmpuint (n_cannot, >=, N_GUESTS / LOCAL_EVERY);
  /* The test driver measures no dirty rate and no free memory: the rest need a decision. */
  g_assert_cmpuint (n_needs, >, 0);

  /* Shown grouped: those that cannot move first, then those that need a decision. */
  shown = mw_evacuation_plan_page_get_shown (plan_page);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, N_GUESTS);
  for (guint i = 0; i < N_GUESTS; i++)
    {
      g_autoptr(MwEvacuationItem) item = g_list_model_get_item (shown, i);
      MwEvacuationGroup expected = i < n_cannot ? MW_EVACUATION_GROUP_CANNOT_MOVE
                                   : i < n_cannot + n_needs ? MW_EVACUATION_GROUP_NEEDS_DECISION
                                   : MW_EVACUATION_GROUP_READY;

      g_assert_cmpint (mw_evacuation_item_get_group (item), ==, expected);
    }
  /* And on screen: the list starts with the first guest that cannot move. */
  mw_test_wait_frames (GTK_WIDGET (plan_page), 2);
  row = MW_EVACUATION_PLAN_ROW (mw_test_find_widget (GTK_WIDGET (plan_page),
                                                     MW_TYPE_EVACUATION_PLAN_ROW, is_bound_row,
                                                     NULL));
  g_assert_nonnull (row);
  {
    g_autoptr(MwEvacuationItem) first = g_list_model_get_item (shown, 0);

    g_assert_true (mw_evacuation_plan_row_get_item (row) == first);
  }
  /* Start waits for a decision on every guest that needs one. */
  g_assert_cmpuint (mw_evacuation_plan_page_get_n_undecided (plan_page), ==, n_cannot + n_needs);
  g_assert_false (mw_evacuation_plan_page_get_ready (plan_page));
  g_assert_false (action_button_sensitive (fixture, "evacuation.start"));
  g_free (mw_test_save_screenshot (GTK_WIDGET (fixture->evacuation_window), "evacuation-plan"));
  stall_reset (fixture);
  scroll_through (GTK_WIDGET (plan_page));
  stall_report (fixture, "scrolling the 300-guest plan");

  /* For all that cannot move: shut down; then one of them, from its row: suspend to disk. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (plan_page), "plan.decide-cannot", "s",
                                             "shut-down"));
  n_undecided = mw_evacuation_plan_page_get_n_undecided (plan_page);
  g_assert_cmpuint (n_undecided, ==, n_needs);
  mw_test_wait_frames (GTK_WIDGET (plan_page), 2);
  row = MW_EVACUATION_PLAN_ROW (mw_test_find_widget (GTK_WIDGET (plan_page),
                                                     MW_TYPE_EVACUATION_PLAN_ROW,
                                                     is_bound_plan_row,
                                                     GINT_TO_POINTER (
                                                       MW_EVACUATION_GROUP_CANNOT_MOVE)));
  g_assert_nonnull (row);
  chosen_item = mw_evacuation_plan_row_get_item (row);
  g_assert_cmpint (mw_evacuation_item_get_action (chosen_item), ==, MW_EVACUATION_ACTION_SHUT_DOWN);
  mw_evacuation_plan_row_choose (row, MW_EVACUATION_ACTION_MANAGED_SAVE);
  g_assert_cmpint (mw_evacuation_item_get_action (chosen_item), ==,
                   MW_EVACUATION_ACTION_MANAGED_SAVE);
  if (n_needs > 0)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (plan_page), "plan.decide-needs", "s",
                                               "migrate"));
  g_assert_cmpuint (mw_evacuation_plan_page_get_n_undecided (plan_page), ==, 0);
  g_assert_true (mw_evacuation_plan_page_get_ready (plan_page));
  g_assert_true (action_button_sensitive (fixture, "evacuation.start"));
  g_free (mw_test_save_screenshot (GTK_WIDGET (fixture->evacuation_window),
                                   "evacuation-plan-decided"));

  /* The run. */
  fixture->driver_id = g_timeout_add (15, mw_test_job_driver_tick, fixture->driver);
  stall_reset (fixture);
  start_us = g_get_monotonic_time ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->evacuation_window),
                                             "evacuation.start", NULL));
  g_assert_cmpstr (mw_evacuation_window_get_page_name (fixture->evacuation_window), ==,
                   "progress");
  evacuation = mw_evacuation_window_get_evacuation (fixture->evacuation_window);
  g_assert_cmpuint (mw_evacuation_get_parallel (evacuation), ==, 4);
  /* A migrating row shows its state in words and a chart of memory left. */
  g_assert_true (mw_test_wait_until (migrating_row_drawn, &wait, 20000));
  {
    GtkWidget *migrating = mw_test_find_widget (GTK_WIDGET (fixture->evacuation_window),
                                                MW_TYPE_EVACUATION_PROGRESS_ROW, is_row_in_state,
                                                GINT_TO_POINTER (MW_EVACUATION_STATE_MIGRATING));
    GtkWidget *queued = mw_test_find_widget (GTK_WIDGET (fixture->evacuation_window),
                                             MW_TYPE_EVACUATION_PROGRESS_ROW, is_row_in_state,
                                             GINT_TO_POINTER (MW_EVACUATION_STATE_QUEUED));
    GtkWidget *cancel;

    g_assert_nonnull (strstr (mw_evacuation_progress_row_get_state_text (
                                MW_EVACUATION_PROGRESS_ROW (migrating)), "Migrating"));
    g_assert_nonnull (strstr (mw_evacuation_sparkline_get_summary (MW_EVACUATION_SPARKLINE (
                                mw_evacuation_progress_row_get_sparkline (
                                  MW_EVACUATION_PROGRESS_ROW (migrating)))), "left to copy"));
    g_free (mw_test_save_screenshot (GTK_WIDGET (fixture->evacuation_window),
                                     "evacuation-progress"));
    /* The screenshot renders the whole window to a PNG in one turn (~80 ms of main-thread CPU
     * on cairo): the test's work, not the window's, so the stall count starts again after it. */
    stall_skip (fixture);
    /* Cancel one queued guest from its row: it is skipped and stays where it is. */
    g_assert_nonnull (queued);
    cancelled = mw_evacuation_progress_row_get_item (MW_EVACUATION_PROGRESS_ROW (queued));
    cancel = mw_test_find_widget (queued, GTK_TYPE_BUTTON, NULL, NULL);
    g_assert_true (gtk_widget_is_sensitive (cancel));
    g_signal_emit_by_name (cancel, "clicked");
    g_assert_cmpint (mw_evacuation_item_get_state (cancelled), ==, MW_EVACUATION_STATE_SKIPPED);
  }
  scroll_through (GTK_WIDGET (mw_evacuation_window_get_progress_page (fixture->evacuation_window)));
  g_assert_true (mw_test_wait_until (finished, fixture, 240000));
  g_test_message ("run: %u guests in %.1f s, at most %u at once", N_GUESTS,
                  (g_get_monotonic_time () - start_us) / 1e6,
                  mw_evacuation_get_max_running (evacuation));
  stall_report (fixture, "running 300 guests");
  g_assert_cmpuint (mw_evacuation_get_max_running (evacuation), <=, 4);

  /* The summary says what the core found, guest by guest. */
  summary = mw_evacuation_window_get_summary_page (fixture->evacuation_window);
  report = mw_evacuation_to_json (evacuation);
  guests = json_object_get_array_member (json_node_get_object (report), "guests");
  g_assert_cmpuint (json_array_get_length (guests), ==, N_GUESTS);
  for (guint i = 0; i < N_GUESTS; i++)
    {
      JsonObject *guest = json_array_get_object_element (guests, i);
      const char *name = json_object_get_string_member (guest, "name");
      MwEvacuationItem *item = find_item (items, name);
      const char *now_on = json_object_get_string_member_with_default (guest, "now_on", NULL);
      g_autofree char *cell = mw_evacuation_summary_page_cell_text (summary, item, 1);
      g_autofree char *outcome = mw_evacuation_summary_page_cell_text (summary, item, 2);
      const char *state = json_object_get_string_member (guest, "state");
      MwConnection *host;

      /* Where it is now: the hosts' answer, and whether it was checked there. */
      g_assert_nonnull (now_on);
      host = mw_connection_list_find (mw_application_get_connections (fixture->app), now_on);
      g_assert_nonnull (host);
      g_assert_true (g_str_has_prefix (cell, mw_connection_get_title (host)));
      g_assert_nonnull (strstr (cell, json_object_get_boolean_member (guest, "verified")
                                      ? "(checked)" : "(not checked)"));
      if (g_str_equal (name, FAILING_GUEST))
        {
          g_assert_cmpstr (state, ==, "failed");
          g_assert_cmpstr (outcome, ==, "Failed");
          g_assert_cmpstr (now_on, ==, fixture->src_uri);
        }
      else if (item == cancelled)
        {
          g_assert_cmpstr (state, ==, "skipped");
          g_assert_cmpstr (now_on, ==, fixture->src_uri);
        }
      else if (mw_evacuation_item_get_action (item) == MW_EVACUATION_ACTION_MIGRATE)
        {
          g_assert_cmpstr (state, ==, "done");
          g_assert_cmpstr (outcome, ==, "Moved");
          g_assert_cmpstr (now_on, ==, fixture->dst_uri);
          g_assert_true (json_object_get_boolean_member (guest, "verified"));
        }
      else if (item == chosen_item)
        g_assert_cmpstr (outcome, ==, state[0] == 'd' ? "Suspended to disk" : "Failed");
      else
        g_assert_cmpstr (outcome, ==, state[0] == 'd' ? "Shut down" : "Failed");
    }
  g_assert_nonnull (strstr (mw_evacuation_summary_page_get_outcome (summary), "not moved"));
  g_assert_true (action_button_sensitive (fixture, "evacuation.save-report"));
  g_assert_true (action_button_sensitive (fixture, "evacuation.bring-back"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (mw_test_find_widget (
                     GTK_WIDGET (fixture->evacuation_window), GTK_TYPE_BUTTON,
                     match_action_button, (gpointer) "evacuation.bring-back")), ==,
                   "Plan moving every guest back to where it came from, and starting what was "
                   "shut down");
  g_free (mw_test_save_screenshot (GTK_WIDGET (fixture->evacuation_window), "evacuation-summary"));

  /* Bring Back plans the way home from the evacuation's own record: the guests that moved go
   * back from the destination, the ones shut down or saved start where they are. */
  /* The run is over: its scripted jobs' driver stops, so the stalls below are the window's. */
  g_clear_handle_id (&fixture->driver_id, g_source_remove);
  stall_reset (fixture);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->evacuation_window),
                                             "evacuation.bring-back", NULL));
  g_assert_cmpstr (mw_evacuation_window_get_page_name (fixture->evacuation_window), ==, "plan");
  plan = mw_evacuation_plan_page_get_plan (plan_page);
  g_assert_true (mw_evacuation_plan_get_bring_back (plan));
  items = mw_evacuation_plan_get_items (plan);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==,
                    mw_evacuation_get_n_done (evacuation));
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(MwEvacuationItem) item = g_list_model_get_item (items, i);

      if (mw_evacuation_item_get_action (item) == MW_EVACUATION_ACTION_START)
        g_assert_cmpstr (mw_evacuation_item_get_source_uri (item), ==, fixture->src_uri);
      else
        {
          g_assert_cmpstr (mw_evacuation_item_get_source_uri (item), ==, fixture->dst_uri);
          g_assert_cmpstr (mw_evacuation_item_get_destination (item), ==, fixture->src_uri);
        }
    }
  g_assert_true (mw_test_wait_until (plan_checked, fixture, 600000));
  stall_report (fixture, "planning the way back");
  g_free (mw_test_save_screenshot (GTK_WIDGET (fixture->evacuation_window),
                                   "evacuation-bring-back-plan"));
}

static gboolean
two_migrating (gpointer data)
{
  Fixture *fixture = data;
  MwEvacuation *evacuation = mw_evacuation_window_get_evacuation (fixture->evacuation_window);

  return evacuation != NULL && mw_evacuation_get_n_running (evacuation) == 2
         && g_hash_table_size (fixture->driver->ticks) >= 2;
}

static gboolean
is_file_chooser (gpointer data)
{
  GtkWidget **found = data;
  g_autoptr(GListModel) toplevels = g_object_ref (gtk_window_get_toplevels ());

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        {
          *found = GTK_WIDGET (window);
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

/* Stop All while two guests migrate: both are aborted and stay on the source, the queued ones
 * are skipped untouched; the summary says it stopped, and Save Report… writes the core's
 * record through the file chooser. */
static void
test_stop_all (Fixture       *fixture,
               gconstpointer  data)
{
  MwEvacuationSetupPage *setup;
  MwEvacuationPlanPage *plan_page;
  MwEvacuation *evacuation;
  GListModel *items;
  GtkWidget *chooser = NULL;
  g_autoptr(GFile) json_file = NULL;
  g_autofree char *json_path = g_build_filename (fixture->dir, "report.json", NULL);
  g_autofree char *csv_path = g_build_filename (fixture->dir, "report.csv", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;

  open_evacuation (fixture);
  setup = mw_evacuation_window_get_setup_page (fixture->evacuation_window);
  mw_evacuation_setup_page_set_parallel (setup, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->evacuation_window),
                                             "evacuation.check", NULL));
  g_assert_true (mw_test_wait_until (plan_checked, fixture, 600000));
  plan_page = mw_evacuation_window_get_plan_page (fixture->evacuation_window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (plan_page), "plan.decide-cannot", "s",
                                             "leave"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (plan_page), "plan.decide-needs", "s",
                                             "migrate"));
  g_assert_true (mw_evacuation_plan_page_get_ready (plan_page));

  /* The migrations end only when aborted: two still run when Stop All comes. */
  fixture->driver->hold = TRUE;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->evacuation_window),
                                             "evacuation.start", NULL));
  fixture->driver_id = g_timeout_add (15, mw_test_job_driver_tick, fixture->driver);
  g_assert_true (mw_test_wait_until (two_migrating, fixture, 30000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (
                                               mw_evacuation_window_get_progress_page (
                                                 fixture->evacuation_window)),
                                             "progress.stop-all", NULL));
  g_assert_true (mw_test_wait_until (finished, fixture, 30000));
  evacuation = mw_evacuation_window_get_evacuation (fixture->evacuation_window);
  g_assert_true (mw_evacuation_get_stopped (evacuation));
  g_assert_false (mw_evacuation_get_all_moved (evacuation));
  items = mw_evacuation_plan_get_items (mw_evacuation_get_plan (evacuation));
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(MwEvacuationItem) item = g_list_model_get_item (items, i);

      /* Nothing moved; every guest is where it was. */
      g_assert_cmpint (mw_evacuation_item_get_state (item), ==, MW_EVACUATION_STATE_SKIPPED);
      g_assert_cmpstr (mw_evacuation_item_get_location (item), ==, fixture->src_uri);
    }
  g_assert_nonnull (strstr (mw_evacuation_summary_page_get_outcome (
                              mw_evacuation_window_get_summary_page (fixture->evacuation_window)),
                            "Stopped after"));
  /* Nothing moved: Bring Back… is not offered, and its tooltip says why. */
  {
    GtkWidget *bring_back = mw_test_find_widget (GTK_WIDGET (fixture->evacuation_window),
                                                 GTK_TYPE_BUTTON, match_action_button,
                                                 (gpointer) "evacuation.bring-back");

    g_assert_true (gtk_widget_get_visible (bring_back));
    g_assert_false (gtk_widget_is_sensitive (bring_back));
    g_assert_cmpstr (gtk_widget_get_tooltip_text (bring_back), ==,
                     "Nothing to bring back: no guest was moved, shut down or saved.");
    gtk_widget_activate_action (GTK_WIDGET (fixture->evacuation_window),
                                "evacuation.bring-back", NULL);
    g_assert_cmpstr (mw_evacuation_window_get_page_name (fixture->evacuation_window), ==,
                     "summary");
  }
  g_free (mw_test_save_screenshot (GTK_WIDGET (fixture->evacuation_window),
                                   "evacuation-stopped"));

  /* Save Report… offers the file chooser; what it does with the file chosen: */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->evacuation_window),
                                             "evacuation.save-report", NULL));
  g_assert_true (mw_test_wait_until (is_file_chooser, &chooser, 10000));
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  json_file = g_file_new_for_path (json_path);
  mw_evacuation_window_save_report (fixture->evacuation_window, json_file);
  g_assert_true (mw_test_wait_until (file_exists, csv_path, 20000));
  g_assert_true (mw_test_wait_until (file_exists, json_path, 20000));
  g_assert_true (json_parser_load_from_file (parser, json_path, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_get_boolean_member (root, "stopped"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "guests")), ==,
                    fixture->n_guests);
}

/* Decide for All → Shut Down on the guests that need a decision: the running ones are shut
 * down, the ones already shut off (every guest0N3 here) are left as they are: shutting down a
 * guest that is off does nothing, yet the summary said "Shut down" and Bring Back… started it.
 * Suspend to Disk for those that cannot move: the running ones only. */
static void
test_decide_shut_off (Fixture       *fixture,
                      gconstpointer  data)
{
  MwEvacuationPlanPage *plan_page;
  GListModel *items;
  guint n_off = 0, n_down = 0, n_saved = 0;

  open_evacuation (fixture);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->evacuation_window),
                                             "evacuation.check", NULL));
  g_assert_true (mw_test_wait_until (plan_checked, fixture, 600000));
  plan_page = mw_evacuation_window_get_plan_page (fixture->evacuation_window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (plan_page), "plan.decide-needs", "s",
                                             "shut-down"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (plan_page), "plan.decide-cannot", "s",
                                             "managed-save"));
  g_assert_true (mw_evacuation_plan_page_get_ready (plan_page));
  items = mw_evacuation_plan_get_items (mw_evacuation_plan_page_get_plan (plan_page));
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(MwEvacuationItem) item = g_list_model_get_item (items, i);
      MwEvacuationAction action = mw_evacuation_item_get_action (item);

      if (!mw_evacuation_item_get_was_running (item))
        {
          g_assert_cmpint (action, ==, MW_EVACUATION_ACTION_LEAVE);
          n_off++;
        }
      else if (mw_evacuation_item_get_group (item) == MW_EVACUATION_GROUP_NEEDS_DECISION)
        n_down += action == MW_EVACUATION_ACTION_SHUT_DOWN;
      else
        n_saved += action == MW_EVACUATION_ACTION_MANAGED_SAVE;
    }
  g_assert_cmpuint (n_off, ==, 3);
  g_assert_cmpuint (n_down + n_saved + n_off, ==, fixture->n_guests);
  g_assert_cmpuint (n_saved, >, 0);
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
  if (g_getenv ("MW_TEST_GUESTS") != NULL)
    N_GUESTS = MAX (atoi (g_getenv ("MW_TEST_GUESTS")), 30);

  g_test_add ("/mw/evacuation-window/open", Fixture, NULL, fixture_set_up, test_open,
              fixture_tear_down);
  g_test_add ("/mw/evacuation-window/run-300", Fixture, NULL, fixture_set_up, test_run_300,
              fixture_tear_down);
  g_test_add ("/mw/evacuation-window/stop-all", Fixture, GUINT_TO_POINTER (30), fixture_set_up,
              test_stop_all, fixture_tear_down);
  g_test_add ("/mw/evacuation-window/decide-shut-off", Fixture, GUINT_TO_POINTER (30),
              fixture_set_up, test_decide_shut_off, fixture_tear_down);
  return g_test_run ();
}
