/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-lab-gui-evacuate OUTDIR: Evacuate Host… in the real window against the two lab hosts,
 * driven through its widgets and actions, printing what the window SHOWS as key=value lines.
 * It judges nothing itself: tests/lab/evacuate-gui.sh compares every line with what the lab sees
 * by its own means (virsh on both hosts, boot ids, the lab's pingers, the saved reports).
 *
 * hosta is selected in the sidebar and win.evacuate-host opens the window, as the menus do; the
 * setup page's "At most at once" spin is set to 2 and Check pressed; the plan page is read (its
 * status line, then one line a guest row: icon, labels); every guest that needs a decision gets
 * one through its row's drop-down ("Migrate anyway" for a mover, "Leave it" for one that cannot
 * move); Start is pressed and the progress rows are watched until the summary shows; the summary
 * is read and saved as OUTDIR/gui-evac.json. Then $MW_GUI_AFTER_EVACUATE runs (evacuate-gui.sh
 * takes the lab's view there, while the window waits), Bring Back… is pressed and the same pages
 * are gone through again, saved as OUTDIR/gui-back.json.
 *
 * Printed, PHASE being evac or back: PHASE-plan-status=, PHASE-plan=ICON|LABEL|…, PHASE-decided=
 * NAME|CHOICE, PHASE-progress=NAME|STATE LINE>STATE LINE>… (each line a row showed, in order),
 * PHASE-max-migrating= (rows shown migrating at once), PHASE-chart-points=NAME|N (the most points
 * its sparkline drew), PHASE-outcome=, PHASE-summary=CELL|CELL|… (one a row), PHASE-report=PATH,
 * bring-back-enabled=yes|no, hook-status=, wall-ms=. Screenshots: OUTDIR/gui-evac-N-PAGE.png.
 */
#include "config.h"

#include <adwaita.h>

#include "mw-application.h"
#include "mw-evacuation-plan-row.h"
#include "mw-evacuation-progress-row.h"
#include "mw-evacuation-sparkline.h"
#include "mw-evacuation-window-private.h"
#include "mw-libvirt.h"
#include "mw-test-ui.h"
#include "mw-window.h"

#define A_URI   "qemu+ssh://root@hosta/system"
#define B_URI   "qemu+ssh://root@hostb/system"
#define WAIT_MS (150 * 1000)

static const char *const guests[] = { "labguest", "labextra1", "labstore" };

typedef struct
{
  MwApplication *app;
  MwWindow *window;
  MwConnection *a;
  MwConnection *b;
  MwEvacuationWindow *evacuation;
  char *outdir;
  guint shots;

  /* the progress page, watched */
  const char *phase;
  GHashTable *seen;                   /* guest name → GString of the state lines its row showed */
  GHashTable *points;                 /* guest name → the most points its sparkline drew */
  guint max_migrating;
  gboolean progress_shot;
  guint watch_id;
} Run;

static void
say (const char *key,
     const char *value)
{
  g_autofree char *flat = g_strdup (value != NULL ? value : "");

  g_strdelimit (flat, "\n", ' ');
  printf ("%s=%s\n", key, flat);
  fflush (stdout);
}

static void
say_phase (Run        *run,
           const char *key,
           const char *value)
{
  g_autofree char *full = g_strdup_printf ("%s-%s", run->phase, key);

  say (full, value);
}

static gint64 t0_us;

/* ms-WHAT=N: milliseconds since the program started, for evacuate-gui.sh's timing lines. */
static void
mark (const char *what)
{
  g_autofree char *key = g_strdup_printf ("ms-%s", what);
  g_autofree char *ms = g_strdup_printf ("%" G_GINT64_FORMAT,
                                         (g_get_monotonic_time () - t0_us) / 1000);

  say (key, ms);
}

static void
shot (Run        *run,
      const char *page)
{
  g_autofree char *name = g_strdup_printf ("gui-evac-%u-%s", ++run->shots, page);

  mw_test_wait_frames (GTK_WIDGET (run->evacuation), 3);
  g_free (mw_test_save_screenshot (GTK_WIDGET (run->evacuation), name));
}

static void
string_free (gpointer string)
{
  g_string_free (string, TRUE);
}

/* ---- finding widgets as a user sees them ---------------------------------------------------- */

static gboolean
hosts_ready (gpointer data)
{
  Run *run = data;

  if (mw_connection_get_state (run->a) != MW_CONNECTION_STATE_CONNECTED
      || mw_connection_get_state (run->b) != MW_CONNECTION_STATE_CONNECTED)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (guests); i++)
    {
      MwDomain *domain = mw_connection_find_domain (run->a, guests[i]);

      if (domain == NULL || !mw_domain_is_active (domain))
        return FALSE;
    }
  return TRUE;
}

static gboolean
find_evacuation_window (gpointer data)
{
  Run *run = data;
  g_autoptr(GListModel) toplevels = g_object_ref (gtk_window_get_toplevels ());

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (MW_IS_EVACUATION_WINDOW (window))
        {
          run->evacuation = MW_EVACUATION_WINDOW (window);
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
has_action_name (GtkWidget *widget,
                 gpointer   data)
{
  return GTK_IS_ACTIONABLE (widget) && gtk_widget_is_drawable (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), data) == 0;
}

static GtkWidget *
action_button (Run        *run,
               const char *action)
{
  return mw_test_find_widget (GTK_WIDGET (run->evacuation), GTK_TYPE_BUTTON, has_action_name,
                              (gpointer) action);
}

static gboolean
button_usable (GtkWidget *button)
{
  return button != NULL && gtk_widget_is_drawable (button) && gtk_widget_is_sensitive (button);
}

/* A click on the shown, sensitive button of action, as a user would. */
static void
press (Run        *run,
       const char *action)
{
  GtkWidget *button = action_button (run, action);

  if (!button_usable (button))
    g_error ("No usable button for %s is shown", action);
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
row_titled (GtkWidget *widget,
            gpointer   data)
{
  return gtk_widget_is_drawable (widget)
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

static gboolean
page_is (Run        *run,
         const char *name)
{
  return g_strcmp0 (mw_evacuation_window_get_page_name (run->evacuation), name) == 0;
}

static gboolean
plan_checked (gpointer data)
{
  Run *run = data;
  MwEvacuationPlan *plan =
    mw_evacuation_plan_page_get_plan (mw_evacuation_window_get_plan_page (run->evacuation));

  return page_is (run, "plan") && plan != NULL
         && mw_evacuation_plan_get_state (plan) >= MW_EVACUATION_PLAN_STATE_READY;
}

static gboolean
start_usable (gpointer data)
{
  return button_usable (action_button (data, "evacuation.start"));
}

static gboolean
summary_shown (gpointer data)
{
  return page_is (data, "summary");
}

/* The shown labels of a widget, in the order a reader meets them, "|" between. */
static void
collect_labels (GtkWidget *widget,
                GString   *out)
{
  if (!gtk_widget_is_drawable (widget))
    return;
  if (GTK_IS_LABEL (widget) && *gtk_label_get_text (GTK_LABEL (widget)) != '\0')
    g_string_append_printf (out, "%s%s", out->len > 0 ? "|" : "",
                            gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, out);
}

static void
find_all (GtkWidget *widget,
          GType      type,
          GPtrArray *found)
{
  if (!gtk_widget_is_drawable (widget) && !gtk_widget_get_visible (widget))
    return;
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    find_all (child, type, found);
}

/* ---- the plan page ---------------------------------------------------------------------------- */

static void
read_plan (Run *run)
{
  GtkWidget *page = GTK_WIDGET (mw_evacuation_window_get_plan_page (run->evacuation));
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GtkWidget *status;
  g_autoptr(GString) text = g_string_new (NULL);

  mw_test_wait_frames (page, 3);
  /* The status line is the page's first label. */
  status = mw_test_find_widget (page, GTK_TYPE_LABEL, NULL, NULL);
  collect_labels (status, text);
  say_phase (run, "plan-status", text->str);
  find_all (page, MW_TYPE_EVACUATION_PLAN_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      GtkWidget *icon = mw_test_find_widget (row, GTK_TYPE_IMAGE, NULL, NULL);
      g_autoptr(GString) line = g_string_new (gtk_image_get_icon_name (GTK_IMAGE (icon)));

      collect_labels (row, line);
      say_phase (run, "plan", line->str);
    }
}

static guint
choice_position (GtkDropDown *drop,
                 const char  *text)
{
  GListModel *model = gtk_drop_down_get_model (drop);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (model), i), text))
      return i;
  g_error ("The drop-down offers no “%s”", text);
}

/* The plan row's stand-in for its drop-down: a plain GtkButton (not a subclass), shown. */
static gboolean
is_shown_plain_button (GtkWidget *widget,
                       gpointer   data)
{
  return G_TYPE_FROM_INSTANCE (widget) == GTK_TYPE_BUTTON && gtk_widget_get_mapped (widget);
}

static gboolean
popover_shown (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

/* Every row with a drop-down shown gets a choice in it: a guest that only warned is moved
 * anyway, one that cannot move is left where it is. */
static void
decide (Run *run)
{
  GtkWidget *page = GTK_WIDGET (mw_evacuation_window_get_plan_page (run->evacuation));
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  find_all (page, MW_TYPE_EVACUATION_PLAN_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      MwEvacuationPlanRow *row = g_ptr_array_index (rows, i);
      MwEvacuationItem *item = mw_evacuation_plan_row_get_item (row);
      GtkWidget *drop = mw_test_find_widget (GTK_WIDGET (row), GTK_TYPE_DROP_DOWN, NULL, NULL);
      const char *choice;
      g_autofree char *line = NULL;

      /* A row shows a plain button in the drop-down's place until its first click, which makes
       * the drop-down and opens it (after the button's pressed look): click, then close it. */
      if (drop == NULL)
        {
          GtkWidget *stand_in = mw_test_find_widget (GTK_WIDGET (row), GTK_TYPE_BUTTON,
                                                     is_shown_plain_button, NULL);
          GtkWidget *popover;

          if (stand_in == NULL)
            continue;
          g_signal_emit_by_name (stand_in, "clicked");
          drop = mw_test_find_widget (GTK_WIDGET (row), GTK_TYPE_DROP_DOWN, NULL, NULL);
          popover = mw_test_find_widget (GTK_WIDGET (row), GTK_TYPE_POPOVER, NULL, NULL);
          if (popover != NULL && mw_test_wait_until (popover_shown, popover, 5000))
            gtk_popover_popdown (GTK_POPOVER (popover));
          if (drop == NULL)
            continue;
        }
      else if (!gtk_widget_is_drawable (drop))
        continue;
      choice = mw_evacuation_item_get_group (item) == MW_EVACUATION_GROUP_NEEDS_DECISION
               ? "Migrate anyway" : "Leave it";
      gtk_drop_down_set_selected (GTK_DROP_DOWN (drop),
                                  choice_position (GTK_DROP_DOWN (drop), choice));
      line = g_strdup_printf ("%s|%s", mw_evacuation_item_get_name (item), choice);
      say_phase (run, "decided", line);
    }
}

/* ---- the progress page ---------------------------------------------------------------------- */

static gboolean
watch_progress (gpointer data)
{
  Run *run = data;
  GtkWidget *page = GTK_WIDGET (mw_evacuation_window_get_progress_page (run->evacuation));
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  guint migrating = 0;
  gboolean charted = FALSE;

  find_all (page, MW_TYPE_EVACUATION_PROGRESS_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      MwEvacuationProgressRow *row = g_ptr_array_index (rows, i);
      MwEvacuationItem *item = mw_evacuation_progress_row_get_item (row);
      const char *line = mw_evacuation_progress_row_get_state_text (row);
      const char *name;
      GString *seen;
      guint points;

      if (item == NULL)
        continue;
      name = mw_evacuation_item_get_name (item);
      seen = g_hash_table_lookup (run->seen, name);
      if (seen == NULL)
        {
          seen = g_string_new (NULL);
          g_hash_table_insert (run->seen, g_strdup (name), seen);
        }
      if (!g_str_has_suffix (seen->str, line))
        g_string_append_printf (seen, "%s%s", seen->len > 0 ? ">" : "", line);
      if (g_str_has_prefix (line, "Migrating"))
        migrating++;
      points = mw_evacuation_sparkline_get_n_points (
        MW_EVACUATION_SPARKLINE (mw_evacuation_progress_row_get_sparkline (row)));
      if (points > GPOINTER_TO_UINT (g_hash_table_lookup (run->points, name)))
        g_hash_table_insert (run->points, g_strdup (name), GUINT_TO_POINTER (points));
      charted |= points >= 3 && g_str_has_prefix (line, "Migrating");
    }
  run->max_migrating = MAX (run->max_migrating, migrating);
  /* One picture while two run and one of them has a chart worth seeing. */
  if (!run->progress_shot && migrating == 2 && charted)
    {
      g_autofree char *name = g_strdup_printf ("gui-evac-%u-%s-progress", ++run->shots,
                                               run->phase);

      run->progress_shot = TRUE;
      g_free (mw_test_save_screenshot (GTK_WIDGET (run->evacuation), name));
    }
  return G_SOURCE_CONTINUE;
}

static void
report_progress (Run *run)
{
  GHashTableIter iter;
  gpointer name, value;
  g_autofree char *max = g_strdup_printf ("%u", run->max_migrating);

  g_hash_table_iter_init (&iter, run->seen);
  while (g_hash_table_iter_next (&iter, &name, &value))
    {
      g_autofree char *line = g_strdup_printf ("%s|%s", (char *) name, ((GString *) value)->str);
      g_autofree char *points = g_strdup_printf (
        "%s|%u", (char *) name, GPOINTER_TO_UINT (g_hash_table_lookup (run->points, name)));

      say_phase (run, "progress", line);
      say_phase (run, "chart-points", points);
    }
  say_phase (run, "max-migrating", max);
}

/* ---- the summary page ------------------------------------------------------------------------ */

static gboolean
csv_written (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

static void
read_summary (Run *run)
{
  MwEvacuationSummaryPage *page = mw_evacuation_window_get_summary_page (run->evacuation);
  GtkWidget *list = mw_test_find_widget (GTK_WIDGET (page), GTK_TYPE_LIST_VIEW, NULL, NULL);
  g_autofree char *json = g_strdup_printf ("%s/gui-%s.json", run->outdir, run->phase);
  g_autofree char *csv = g_strdup_printf ("%s/gui-%s.csv", run->outdir, run->phase);
  g_autoptr(GFile) file = g_file_new_for_path (json);

  mw_test_wait_frames (GTK_WIDGET (page), 3);
  say_phase (run, "outcome", mw_evacuation_summary_page_get_outcome (page));
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      g_autoptr(GString) cells = g_string_new (NULL);

      collect_labels (row, cells);
      if (cells->len > 0)
        say_phase (run, "summary", cells->str);
    }
  /* What Save Report… does with the file chosen. */
  mw_evacuation_window_save_report (run->evacuation, file);
  if (!mw_test_wait_until (csv_written, csv, 20000))
    g_error ("The report was not written to %s", json);
  say_phase (run, "report", json);
}

/* ---- one pass through the pages --------------------------------------------------------------- */

static void
plan_and_run (Run        *run,
              const char *phase)
{
  run->phase = phase;
  g_hash_table_remove_all (run->seen);
  g_hash_table_remove_all (run->points);
  run->max_migrating = 0;
  run->progress_shot = FALSE;

  if (!mw_test_wait_until (plan_checked, run, 60000))
    {
      shot (run, "plan-unchecked");
      g_error ("The plan was not checked within a minute");
    }
  mark (g_str_equal (phase, "evac") ? "evac-planned" : "back-planned");
  read_plan (run);
  shot (run, g_str_equal (phase, "evac") ? "plan" : "back-plan");
  decide (run);
  if (!mw_test_wait_until (start_usable, run, 5000))
    {
      shot (run, "plan-not-ready");
      g_error ("Start never became possible");
    }
  shot (run, g_str_equal (phase, "evac") ? "plan-decided" : "back-plan-decided");
  press (run, "evacuation.start");
  mark (g_str_equal (phase, "evac") ? "evac-started" : "back-started");
  run->watch_id = g_timeout_add (50, watch_progress, run);
  if (!mw_test_wait_until (summary_shown, run, WAIT_MS))
    {
      shot (run, "progress-stuck");
      g_error ("No summary within %d s", WAIT_MS / 1000);
    }
  mark (g_str_equal (phase, "evac") ? "evac-finished" : "back-finished");
  g_clear_handle_id (&run->watch_id, g_source_remove);
  /* The last lines the rows hold, as the page left them when the summary replaced it. */
  watch_progress (run);
  report_progress (run);
  shot (run, g_str_equal (phase, "evac") ? "summary" : "back-summary");
  read_summary (run);
  mark (g_str_equal (phase, "evac") ? "evac-read" : "back-read");
}

/* ---- the lab's turn, while the window waits ---------------------------------------------------- */

typedef struct
{
  gboolean done;
  gboolean ok;
} HookWait;

static void
on_hook_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  HookWait *wait = user_data;

  wait->ok = g_subprocess_wait_check_finish (G_SUBPROCESS (source), result, NULL);
  wait->done = TRUE;
}

static gboolean
hook_done (gpointer data)
{
  return ((HookWait *) data)->done;
}

static void
run_hook (const char *name)
{
  const char *hook = g_getenv (name);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  HookWait wait = { FALSE, FALSE };

  if (hook == NULL)
    return;
  /* A test harness, not the product: the lab's own command, as evacuate-gui.sh wrote it. The
   * main loop keeps running meanwhile (keepalives, redraws). */
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "sh", "-c", hook, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check_async (process, NULL, on_hook_done_cb, &wait);
  g_assert_true (mw_test_wait_until (hook_done, &wait, 120000));
  say ("hook-status", wait.ok ? "0" : "failed");
  mark ("hook-done");
}

int
main (int   argc,
      char *argv[])
{
  Run run = { 0 };
  GError *error = NULL;
  MwConnectionList *list;
  GtkWidget *spin;
  g_auto(GStrv) destinations = NULL;
  g_autofree char *wall = NULL;

  t0_us = g_get_monotonic_time ();
  mw_libvirt_init ();
  gtk_init ();
  adw_init ();
  if (argc != 2)
    {
      g_printerr ("usage: test-lab-gui-evacuate OUTDIR\n");
      return 2;
    }
  run.outdir = g_strdup (argv[1]);
  g_setenv ("MW_SCREENSHOT_DIR", run.outdir, TRUE);
  run.seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                    string_free);
  run.points = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* Screenshots show pages, not cross-fades between them. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  run.app = mw_application_new ();
  g_application_set_flags (G_APPLICATION (run.app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (run.app), NULL, &error));
  g_assert_no_error (error);
  run.window = mw_window_new (run.app);
  gtk_window_set_default_size (GTK_WINDOW (run.window), 1100, 760);
  gtk_window_present (GTK_WINDOW (run.window));

  /* The two lab hosts, added as the Add Connection dialog adds them, and connected. */
  list = mw_application_get_connections (run.app);
  run.a = g_object_ref (mw_connection_list_add (list, A_URI, TRUE, FALSE, &error));
  g_assert_no_error (error);
  run.b = g_object_ref (mw_connection_list_add (list, B_URI, TRUE, FALSE, &error));
  g_assert_no_error (error);
  mw_window_connect (run.window, run.a);
  mw_window_connect (run.window, run.b);
  if (!mw_test_wait_until (hosts_ready, &run, 60000))
    g_error ("The window never listed the three guests running on hosta");
  mark ("connected");

  /* Evacuate Host… as the menus and Ctrl+Shift+E open it: for the host selected. */
  mw_window_select_connection (run.window, run.a);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (run.window), "win.evacuate-host", NULL));
  g_assert_true (mw_test_wait_until (find_evacuation_window, &run, 5000));
  gtk_window_set_default_size (GTK_WINDOW (run.evacuation), 1000, 640);

  /* Setup: hostb is the only other host, so it is chosen; two migrations at a time. */
  destinations = mw_evacuation_setup_page_dup_destinations (
    mw_evacuation_window_get_setup_page (run.evacuation));
  g_assert_cmpstrv (destinations, ((const char *[]) { B_URI, NULL }));
  mw_test_wait_frames (GTK_WIDGET (run.evacuation), 3);
  spin = mw_test_find_widget (mw_test_find_widget (GTK_WIDGET (run.evacuation),
                                                   ADW_TYPE_ACTION_ROW, row_titled,
                                                   (gpointer) "_At most at once"),
                              GTK_TYPE_SPIN_BUTTON, NULL, NULL);
  g_assert_nonnull (spin);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 2);
  shot (&run, "setup");
  press (&run, "evacuation.check");
  plan_and_run (&run, "evac");

  say ("bring-back-enabled",
       button_usable (action_button (&run, "evacuation.bring-back")) ? "yes" : "no");
  run_hook ("MW_GUI_AFTER_EVACUATE");

  press (&run, "evacuation.bring-back");
  plan_and_run (&run, "back");

  wall = g_strdup_printf ("%" G_GINT64_FORMAT, (g_get_monotonic_time () - t0_us) / 1000);
  say ("wall-ms", wall);

  gtk_window_destroy (GTK_WINDOW (run.evacuation));
  gtk_window_destroy (GTK_WINDOW (run.window));
  g_clear_object (&run.a);
  g_clear_object (&run.b);
  g_clear_object (&run.app);
  g_hash_table_unref (run.seen);
  g_hash_table_unref (run.points);
  g_free (run.outdir);
  return 0;
}
