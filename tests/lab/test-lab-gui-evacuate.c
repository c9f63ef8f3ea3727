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

#include "mw-evacuation-plan-row.h"
#include "mw-evacuation-progress-row.h"
#include "mw-evacuation-sparkline.h"
#include "mw-evacuation-window-private.h"
#include "mw-lab-gui.h"
#include "mw-test-ui.h"

#define WAIT_MS (150 * 1000)

static const char *const guests[] = { "labguest", "labextra1", "labstore", NULL };

typedef struct
{
  MwLabGui gui;
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
say_phase (Run        *run,
           const char *key,
           const char *value)
{
  g_autofree char *full = g_strdup_printf ("%s-%s", run->phase, key);

  mw_lab_say (full, value);
}

static gint64 t0_us;

/* ms-WHAT=N: milliseconds since the program started, for evacuate-gui.sh's timing lines. */
static void
mark (const char *what)
{
  g_autofree char *key = g_strdup_printf ("ms-%s", what);
  g_autofree char *ms = g_strdup_printf ("%" G_GINT64_FORMAT,
                                         (g_get_monotonic_time () - t0_us) / 1000);

  mw_lab_say (key, ms);
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

static GtkWidget *
action_button (Run        *run,
               const char *action)
{
  return mw_test_find_widget (GTK_WIDGET (run->evacuation), GTK_TYPE_BUTTON,
                              mw_lab_has_action_name, (gpointer) action);
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

static gboolean
is_icon (GtkWidget *widget,
         gpointer   name)
{
  return g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (widget)), name) == 0;
}

/* The plan row's stand-in for its drop-down as a user sees it: a shown button with the
 * drop-down's arrow. (Not merely any plain GtkButton: the priority spin button's − and + are
 * plain GtkButtons too, before it in the row, and a click there changes the guest's priority.) */
static gboolean
is_stand_in (GtkWidget *widget,
             gpointer   data)
{
  return G_TYPE_FROM_INSTANCE (widget) == GTK_TYPE_BUTTON && gtk_widget_get_mapped (widget)
         && mw_test_find_widget (widget, GTK_TYPE_IMAGE, is_icon,
                                 (gpointer) "pan-down-symbolic") != NULL;
}

static gboolean
is_mapped (GtkWidget *widget,
           gpointer   data)
{
  return gtk_widget_get_mapped (widget);
}

static gboolean
popover_shown (gpointer popover)
{
  return gtk_widget_get_mapped (popover);
}

static gboolean
popover_hidden (gpointer popover)
{
  return !gtk_widget_get_visible (popover);
}

/* choice in the row's drop-down as a user makes it: a click on the stand-in (which makes the
 * drop-down and opens it) or on the drop-down, then in its list the pointer over the choice
 * (which selects it) and a click (which activates it). Returns what the drop-down then shows. */
static const char *
choose (MwEvacuationPlanRow *row,
        const char          *choice)
{
  const char *name = mw_evacuation_item_get_name (mw_evacuation_plan_row_get_item (row));
  GtkWidget *drop = mw_test_find_widget (GTK_WIDGET (row), GTK_TYPE_DROP_DOWN, is_mapped, NULL);
  GtkWidget *popover;
  GtkWidget *list;
  guint position;

  if (drop == NULL)
    {
      GtkWidget *stand_in = mw_test_find_widget (GTK_WIDGET (row), GTK_TYPE_BUTTON, is_stand_in,
                                                 NULL);

      if (stand_in == NULL)
        g_error ("The row of %s shows neither a drop-down nor its stand-in", name);
      g_signal_emit_by_name (stand_in, "clicked");
      drop = mw_test_find_widget (GTK_WIDGET (row), GTK_TYPE_DROP_DOWN, is_mapped, NULL);
      if (drop == NULL)
        g_error ("A click on the stand-in of %s showed no drop-down", name);
    }
  else
    g_signal_emit_by_name (drop, "activate");
  popover = mw_test_find_widget (drop, GTK_TYPE_POPOVER, NULL, NULL);
  if (popover == NULL || !mw_test_wait_until (popover_shown, popover, 5000))
    g_error ("The drop-down of %s did not open", name);
  list = mw_test_find_widget (popover, GTK_TYPE_LIST_VIEW, NULL, NULL);
  position = choice_position (GTK_DROP_DOWN (drop), choice);
  g_assert_true (gtk_widget_activate_action (list, "list.select-item", "(ubb)", position, FALSE,
                                             FALSE));
  g_assert_true (gtk_widget_activate_action (list, "list.activate-item", "u", position));
  if (!mw_test_wait_until (popover_hidden, popover, 5000))
    g_error ("The drop-down of %s stayed open after the choice", name);
  return gtk_string_object_get_string (gtk_drop_down_get_selected_item (GTK_DROP_DOWN (drop)));
}

/* Every row that needs a decision gets one in its drop-down: a guest that only warned is moved
 * anyway, one that cannot move is left where it is. Printed: what the row then shows. */
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
      MwEvacuationGroup group;
      g_autofree char *line = NULL;

      if (item == NULL || !gtk_widget_get_mapped (GTK_WIDGET (row)))
        continue;
      group = mw_evacuation_item_get_group (item);
      if (group != MW_EVACUATION_GROUP_NEEDS_DECISION && group != MW_EVACUATION_GROUP_CANNOT_MOVE)
        continue;
      line = g_strdup_printf ("%s|%s", mw_evacuation_item_get_name (item),
                              choose (row, group == MW_EVACUATION_GROUP_NEEDS_DECISION
                                           ? "Migrate anyway" : "Leave it"));
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

/* The lab's own command, as evacuate-gui.sh wrote it; the main loop keeps running meanwhile
 * (keepalives, redraws). */
static void
run_hook (const char *name)
{
  gboolean ran;
  gboolean ok = mw_lab_run_hook (name, MW_LAB_HOOK_LOOPING, &ran);

  if (!ran)
    return;
  mw_lab_say ("hook-status", ok ? "0" : "failed");
  mark ("hook-done");
}

int
main (int   argc,
      char *argv[])
{
  Run run = { 0 };
  GtkWidget *spin;
  g_auto(GStrv) destinations = NULL;
  g_autofree char *wall = NULL;

  t0_us = g_get_monotonic_time ();
  if (argc != 2)
    {
      g_printerr ("usage: test-lab-gui-evacuate OUTDIR\n");
      return 2;
    }
  mw_lab_gui_init (argv[1]);
  run.outdir = g_strdup (argv[1]);
  run.seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                    string_free);
  run.points = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* Screenshots show pages, not cross-fades between them. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  mw_lab_gui_start (&run.gui, TRUE, guests);
  mark ("connected");

  /* Evacuate Host… as the menus and Ctrl+Shift+E open it: for the host selected. */
  mw_window_select_connection (run.gui.window, run.gui.a);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (run.gui.window), "win.evacuate-host", NULL));
  g_assert_true (mw_test_wait_until (find_evacuation_window, &run, 5000));
  gtk_window_set_default_size (GTK_WINDOW (run.evacuation), 1000, 640);

  /* Setup: hostb is the only other host, so it is chosen; two migrations at a time. */
  destinations = mw_evacuation_setup_page_dup_destinations (
    mw_evacuation_window_get_setup_page (run.evacuation));
  g_assert_cmpstrv (destinations, ((const char *[]) { MW_LAB_B_URI, NULL }));
  mw_test_wait_frames (GTK_WIDGET (run.evacuation), 3);
  spin = mw_test_find_widget (mw_test_find_widget (GTK_WIDGET (run.evacuation),
                                                   ADW_TYPE_ACTION_ROW, mw_lab_row_titled,
                                                   (gpointer) "_At most at once"),
                              GTK_TYPE_SPIN_BUTTON, NULL, NULL);
  g_assert_nonnull (spin);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 2);
  shot (&run, "setup");
  press (&run, "evacuation.check");
  plan_and_run (&run, "evac");

  mw_lab_say ("bring-back-enabled",
       button_usable (action_button (&run, "evacuation.bring-back")) ? "yes" : "no");
  run_hook ("MW_GUI_AFTER_EVACUATE");

  press (&run, "evacuation.bring-back");
  plan_and_run (&run, "back");

  wall = g_strdup_printf ("%" G_GINT64_FORMAT, (g_get_monotonic_time () - t0_us) / 1000);
  mw_lab_say ("wall-ms", wall);

  gtk_window_destroy (GTK_WINDOW (run.evacuation));
  mw_lab_gui_stop (&run.gui);
  g_hash_table_unref (run.seen);
  g_hash_table_unref (run.points);
  g_free (run.outdir);
  return 0;
}
