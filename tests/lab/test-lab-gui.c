/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-lab-gui CASE OUTDIR: the real window and wizard, driven through their widgets and actions
 * against the two lab hosts, printing what the window SHOWS as key=value lines. It judges
 * nothing itself: tests/lab/gui.sh compares every line with what the lab sees by its own means
 * (virsh on both hosts, the switch's pinger, the saved report).
 *
 * CASE: there (hosta → hostb), back (hostb → hosta), abort (hosta → hostb at 16 MiB/s, the
 * abort button pressed once the live page has samples), silent (hosta → hostb, and once the
 * migration call returned, the command in $MW_GUI_ON_VERIFY runs — gui.sh takes the guest's
 * link down there), cut (16 MiB/s; $MW_GUI_ON_RUNNING cuts the hosts' link once samples came,
 * then Abort), remedy (16 MiB/s while gui.sh's guest dirties more: once the live page offers to
 * remove the limit, its button is clicked; $MW_GUI_ON_REMEDY runs before and after the click
 * took effect, gui.sh records libvirt's speed there), refused (16 MiB/s; once the checks pass,
 * $MW_GUI_ON_CHECKED changes the guest so that libvirt refuses — gui.sh plugs in a disk only
 * hosta has; then Back to Options, what it kept, and the checks run again).
 *
 * Printed: discovered=, title=, icon=, summary=, fact=ok|bad|TITLE|SUBTITLE (one a row),
 * figure=CAPTION|VALUE (one a tile), report=PATH; remedy: offered=ACTION|BUTTON|ROW (each shown),
 * remedy-applied=yes|no; refused: text=LABEL (every label of the result page), kept-destination=,
 * kept-address=, kept-cap=, check=passed|warning|blocking|other|TITLE|SUBTITLE (every check row,
 * second run). Screenshots of every page: OUTDIR/gui-CASE-*.png.
 */
#include "config.h"

#include <adwaita.h>

#include "mw-lab-gui.h"
#include "mw-migration-wizard.h"
#include "mw-test-ui.h"
#include "mw-wizard-result-page.h"

#define GUEST       "labguest"
#define GUEST_IP    "10.77.0.10"
#define WAIT_MS     (180 * 1000)

typedef struct
{
  MwLabGui gui;
  MwConnection *from;                 /* borrowed: gui.a or gui.b */
  MwConnection *to;
  MwMigrationWizard *wizard;
  const char *name;
  char *outdir;
  guint shots;
} Run;

/* TRUE while a stack below WIDGET still cross-fades from one page to the next. */
static gboolean
any_stack_in_transition (GtkWidget *widget)
{
  if (GTK_IS_STACK (widget) && gtk_stack_get_transition_running (GTK_STACK (widget)))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (any_stack_in_transition (child))
      return TRUE;
  return FALSE;
}

static void
shot (Run        *run,
      const char *page)
{
  g_autofree char *name = g_strdup_printf ("gui-%s-%u-%s", run->name, ++run->shots, page);
  gint64 deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

  /* A picture of the page, not of a cross-fade between two (bounded: 2 s). */
  mw_test_wait_frames (GTK_WIDGET (run->wizard), 3);
  while (any_stack_in_transition (GTK_WIDGET (run->wizard))
         && g_get_monotonic_time () < deadline)
    mw_test_wait_frames (GTK_WIDGET (run->wizard), 1);
  g_free (mw_test_save_screenshot (GTK_WIDGET (run->wizard), name));
}

/* ---- finding widgets as a user sees them ------------------------------------------------------ */

static GtkWidget *
find_row (Run        *run,
          GType       type,
          const char *title)
{
  GtkWidget *row = mw_test_find_widget (GTK_WIDGET (run->wizard), type, mw_lab_row_titled,
                                        (gpointer) title);

  if (row == NULL)
    g_error ("No row “%s” is shown", title);
  return row;
}

/* The Migrate button as a user sees it: shown and sensitive. */
static gboolean
migrate_usable (gpointer data)
{
  Run *run = data;

  return mw_lab_usable_button (GTK_WIDGET (run->wizard), "wizard.migrate") != NULL;
}

static gboolean
job_state_is (gpointer data)
{
  Run *run = ((gpointer *) data)[0];
  MwMigrationJobState state = GPOINTER_TO_INT (((gpointer *) data)[1]);
  MwMigrationJob *job = mw_migration_wizard_get_job (run->wizard);

  return job != NULL && mw_migration_job_get_state (job) == state;
}

static gboolean
job_has_samples (gpointer data)
{
  Run *run = data;
  MwMigrationJob *job = mw_migration_wizard_get_job (run->wizard);

  return job != NULL
         && mw_sample_history_get_n_samples (mw_migration_job_get_history (job)) >= 6;
}

static gboolean
job_finished (gpointer data)
{
  Run *run = data;
  MwMigrationJob *job = mw_migration_wizard_get_job (run->wizard);

  return job != NULL && mw_migration_job_get_result (job) != NULL;
}

static gboolean
spinner_idle (GtkWidget *widget,
              gpointer   data)
{
  return gtk_widget_get_visible (widget) && gtk_spinner_get_spinning (GTK_SPINNER (widget));
}

static gboolean
discovery_done (gpointer data)
{
  Run *run = data;

  return mw_test_find_widget (GTK_WIDGET (run->wizard), GTK_TYPE_SPINNER, spinner_idle,
                              NULL) == NULL;
}

/* ---- reading the result page ------------------------------------------------------------------- */

static gboolean
has_class (GtkWidget  *widget,
           const char *name)
{
  return gtk_widget_has_css_class (widget, name);
}

static void
read_tree (GtkWidget *widget)
{
  GtkWidget *child;

  if (!gtk_widget_is_drawable (widget))
    return;

  if (GTK_IS_IMAGE (widget) && has_class (widget, "result-icon"))
    {
      g_autofree char *icon = g_strdup_printf ("%s|%s", gtk_image_get_icon_name (GTK_IMAGE (widget)),
                                               has_class (widget, "success") ? "success"
                                               : has_class (widget, "warning") ? "warning"
                                                                                : "error");
      mw_lab_say ("icon", icon);
    }
  else if (GTK_IS_LABEL (widget) && has_class (widget, "title-1"))
    mw_lab_say ("title", gtk_label_get_text (GTK_LABEL (widget)));
  else if (GTK_IS_LABEL (widget) && has_class (widget, "body"))
    mw_lab_say ("summary", gtk_label_get_text (GTK_LABEL (widget)));
  else if (ADW_IS_ACTION_ROW (widget))
    {
      GtkWidget *icon = mw_test_find_widget (widget, GTK_TYPE_IMAGE, NULL, NULL);
      g_autofree char *line = g_strdup_printf ("%s|%s|%s",
                                               icon != NULL && has_class (icon, "success")
                                                 ? "ok" : "bad",
                                               adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)),
                                               adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)));

      mw_lab_say ("fact", line);
      return;
    }
  else if (GTK_IS_FLOW_BOX_CHILD (widget))
    {
      GtkWidget *box = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (widget));
      GtkWidget *value = gtk_widget_get_first_child (box);
      GtkWidget *caption = gtk_widget_get_next_sibling (value);
      g_autofree char *line = g_strdup_printf ("%s|%s", gtk_label_get_text (GTK_LABEL (caption)),
                                               gtk_label_get_text (GTK_LABEL (value)));

      mw_lab_say ("figure", line);
      return;
    }

  for (child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    read_tree (child);
}

/* ---- a remedy, a refusal ----------------------------------------------------------------------- */

static GtkWidget *
usable_button (Run        *run,
               const char *action)
{
  return mw_lab_usable_button (GTK_WIDGET (run->wizard), action);
}

static gboolean
remove_cap_offered (gpointer data)
{
  return usable_button (data, "migration.remove-cap") != NULL;
}

static gboolean
cap_removed (gpointer data)
{
  MwMigrationJob *job = mw_migration_wizard_get_job (((Run *) data)->wizard);

  return job != NULL && mw_migration_job_get_options (job)->bandwidth_mib_s == 0;
}

/* Every remedy button the live page shows, by its label as the user reads it. */
static void
say_offered (Run *run)
{
  const char *actions[] = { "migration.raise-downtime", "migration.remove-cap",
                            "migration.postcopy", "migration.restart-auto-converge",
                            "migration.restart-postcopy" };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      GtkWidget *button = usable_button (run, actions[i]);

      if (button != NULL)
        {
          GtkWidget *row = gtk_widget_get_ancestor (button, ADW_TYPE_ACTION_ROW);
          g_autofree char *line =
            g_strdup_printf ("%s|%s|%s", actions[i], gtk_button_get_label (GTK_BUTTON (button)),
                             row != NULL ? adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row))
                                         : "");

          mw_lab_say ("offered", line);
        }
    }
}

static void
say_labels (GtkWidget *widget)
{
  if (!gtk_widget_is_drawable (widget))
    return;
  if (GTK_IS_LABEL (widget) && *gtk_label_get_text (GTK_LABEL (widget)) != '\0')
    mw_lab_say ("text", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    say_labels (child);
}

/* The pre-flight rows: their mark's colour, title and sentence. */
static void
say_checks (GtkWidget *widget)
{
  if (!gtk_widget_is_drawable (widget))
    return;
  if (ADW_IS_EXPANDER_ROW (widget))
    {
      GtkWidget *icon = mw_test_find_widget (widget, GTK_TYPE_IMAGE, NULL, NULL);
      const char *state = icon == NULL ? "other"
                          : has_class (icon, "success") ? "passed"
                          : has_class (icon, "warning") ? "warning"
                          : has_class (icon, "error") ? "blocking" : "other";
      g_autofree char *line =
        g_strdup_printf ("%s|%s|%s", state,
                         adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)),
                         adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (widget)));

      mw_lab_say ("check", line);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    say_checks (child);
}

/* After a refusal: Back to Options, what it kept, and the checks once more. */
static void
retry_after_refusal (Run *run)
{
  GtkWidget *row;
  GtkWidget *spin;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (run->wizard), "wizard.retry", NULL));
  mw_test_wait_frames (GTK_WIDGET (run->wizard), 3);
  shot (run, "options-kept");
  mw_lab_say ("kept-destination", mw_migration_wizard_get_destination (run->wizard) != NULL
       ? mw_connection_get_title (mw_migration_wizard_get_destination (run->wizard)) : "");
  row = find_row (run, ADW_TYPE_ENTRY_ROW, "Guest _Address");
  mw_lab_say ("kept-address", gtk_editable_get_text (GTK_EDITABLE (row)));
  row = find_row (run, ADW_TYPE_ACTION_ROW, "_Bandwidth Limit (MiB/s)");
  spin = mw_test_find_widget (row, GTK_TYPE_SPIN_BUTTON, NULL, NULL);
  {
    g_autofree char *cap = g_strdup_printf ("%.0f",
                                            gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)));

    mw_lab_say ("kept-cap", cap);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (run->wizard), "wizard.next", NULL));
  mw_test_wait_frames (GTK_WIDGET (run->wizard), 3);
  g_assert_true (mw_test_wait_until (discovery_done, run, 120000));
  shot (run, "checks-again");
  mw_lab_say ("migrate-usable-again", migrate_usable (run) ? "yes" : "no");
  say_checks (GTK_WIDGET (run->wizard));
}

/* ---- the run ----------------------------------------------------------------------------------- */

typedef struct
{
  gboolean done;
  GError *error;
} SaveWait;

static void
on_saved_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  SaveWait *wait = user_data;

  mw_migration_wizard_save_report_finish (MW_MIGRATION_WIZARD (object), result, &wait->error);
  wait->done = TRUE;
}

static gboolean
save_done (gpointer data)
{
  return ((SaveWait *) data)->done;
}

/* The lab's own command, as gui.sh wrote it, waited for with the main loop held: nothing of
 * the migration moves on meanwhile. */
static void
run_hook (const char *name)
{
  g_autofree char *key = g_strdup_printf ("hook-status-%s", name);
  gboolean ran;
  gboolean ok = mw_lab_run_hook (name, MW_LAB_HOOK_BLOCKING, &ran);

  if (ran)
    mw_lab_say (key, ok ? "0" : "failed");
}

static void
on_job_state_cb (MwMigrationJob *job,
                 GParamSpec     *pspec,
                 gpointer        user_data)
{
  if (mw_migration_job_get_state (job) == MW_MIGRATION_JOB_STATE_VERIFYING)
    run_hook ("MW_GUI_ON_VERIFY");
}

/* ---- the main loop's heartbeat ------------------------------------------------------------------ */

/* A 20 ms timeout on the main loop: the worst wait between two of its calls is how long the
 * window could not answer a click or draw a frame. */
#define HEARTBEAT_MS 20
static gint64 heartbeat_last_us;
static gint64 heartbeat_worst_us;

static gboolean
heartbeat (gpointer data)
{
  gint64 now = g_get_monotonic_time ();

  if (heartbeat_last_us != 0)
    heartbeat_worst_us = MAX (heartbeat_worst_us, now - heartbeat_last_us);
  heartbeat_last_us = now;
  return G_SOURCE_CONTINUE;
}

static gboolean
label_shown (GtkWidget *widget,
             gpointer   text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_is_drawable (widget)
         && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static gboolean
stalled_shown (gpointer data)
{
  Run *run = data;

  return mw_test_find_widget (GTK_WIDGET (run->wizard), GTK_TYPE_LABEL, label_shown,
                              (gpointer) "Stalled") != NULL;
}

/* The lab's own command (gui.sh's MW_GUI_ON_RUNNING), started without waiting for it: the main
 * loop must keep beating meanwhile. */
static void
spawn_hook (const char *name)
{
  const char *hook = g_getenv (name);
  const char *argv[] = { "sh", "-c", hook, NULL };
  g_autoptr(GError) error = NULL;

  if (hook == NULL)
    g_error ("%s is not set", name);
  if (!g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, &error))
    g_error ("%s: %s", name, error->message);
}

static void
run_case (Run *run)
{
  MwDomain *domain = mw_connection_find_domain (run->from, GUEST);
  GtkWidget *row;
  gpointer running[2] = { run, GINT_TO_POINTER (MW_MIGRATION_JOB_STATE_RUNNING) };
  MwMigrationJob *job;
  SaveWait wait = { FALSE, NULL };
  g_autofree char *report = g_build_filename (run->outdir, "gui-report.json", NULL);
  g_autoptr(GFile) report_file = g_file_new_for_path (report);
  const char *address;

  run->wizard = mw_window_open_migration (run->gui.window, domain, NULL);
  gtk_window_set_default_size (GTK_WINDOW (run->wizard), 1000, 760);
  shot (run, "destination");

  /* The destination, as a click on its row. */
  row = find_row (run, ADW_TYPE_ACTION_ROW, mw_connection_get_title (run->to));
  gtk_widget_activate (row);
  g_assert_true (mw_migration_wizard_get_destination (run->wizard) == run->to);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (run->wizard), "wizard.next", NULL));

  /* Options: what discovery found for the address, else typed in as a user would. */
  g_assert_true (mw_test_wait_until (discovery_done, run, 30000));
  row = find_row (run, ADW_TYPE_ENTRY_ROW, "Guest _Address");
  address = gtk_editable_get_text (GTK_EDITABLE (row));
  mw_lab_say ("discovered", address);
  if (g_strcmp0 (address, GUEST_IP) != 0)
    gtk_editable_set_text (GTK_EDITABLE (row), GUEST_IP);
  if (g_str_equal (run->name, "abort") || g_str_equal (run->name, "cut")
      || g_str_equal (run->name, "remedy") || g_str_equal (run->name, "refused"))
    {
      GtkWidget *bandwidth = find_row (run, ADW_TYPE_ACTION_ROW, "_Bandwidth Limit (MiB/s)");
      GtkWidget *spin = mw_test_find_widget (bandwidth, GTK_TYPE_SPIN_BUTTON, NULL, NULL);

      gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 16);
    }
  shot (run, "options");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (run->wizard), "wizard.next", NULL));

  /* Checks: Migrate becomes possible once nothing blocks. */
  if (!mw_test_wait_until (migrate_usable, run, 120000))
    {
      shot (run, "checks-blocked");
      g_error ("Migrate never became possible on the Checks page");
    }
  shot (run, "checks");
  /* refused: the hosts change between the checks and the click, as they may in real life. */
  run_hook ("MW_GUI_ON_CHECKED");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (run->wizard), "wizard.migrate", NULL));
  job = mw_migration_wizard_get_job (run->wizard);
  g_assert_nonnull (job);
  g_signal_connect (job, "notify::state", G_CALLBACK (on_job_state_cb), NULL);
  heartbeat_last_us = 0;
  heartbeat_worst_us = 0;
  g_timeout_add (HEARTBEAT_MS, heartbeat, NULL);

  if (g_str_equal (run->name, "cut"))
    {
      /* The hosts' own link cut mid-copy: the window must keep answering, say the stream
       * stalled, and take the user's Abort. */
      g_assert_true (mw_test_wait_until (job_state_is, running, 60000));
      g_assert_true (mw_test_wait_until (job_has_samples, run, 60000));
      shot (run, "live");
      spawn_hook ("MW_GUI_ON_RUNNING");
      mw_lab_say ("stalled-shown", mw_test_wait_until (stalled_shown, run, 45000) ? "yes" : "no");
      shot (run, "live-stalled");
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (run->wizard), "migration.abort",
                                                 NULL));
    }
  else if (g_str_equal (run->name, "abort"))
    {
      g_assert_true (mw_test_wait_until (job_state_is, running, 60000));
      g_assert_true (mw_test_wait_until (job_has_samples, run, 60000));
      shot (run, "live");
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (run->wizard), "migration.abort",
                                                 NULL));
    }
  else if (g_str_equal (run->name, "remedy"))
    {
      /* The window must find out by itself that this will not finish, and offer the way out;
       * the user clicks it. */
      g_assert_true (mw_test_wait_until (job_state_is, running, 60000));
      if (!mw_test_wait_until (remove_cap_offered, run, 90000))
        {
          shot (run, "live-no-remedy");
          g_error ("The live page never offered to remove the bandwidth limit");
        }
      shot (run, "live-remedy");
      say_offered (run);
      run_hook ("MW_GUI_ON_REMEDY");
      gtk_widget_activate (usable_button (run, "migration.remove-cap"));
      mw_lab_say ("remedy-applied", mw_test_wait_until (cap_removed, run, 20000) ? "yes" : "no");
      run_hook ("MW_GUI_ON_REMEDY");
      shot (run, "live-after-remedy");
    }
  else if (g_str_equal (run->name, "refused"))
    ;
  else if (mw_test_wait_until (job_has_samples, run, 60000))
    shot (run, "live");

  g_assert_true (mw_test_wait_until (job_finished, run, WAIT_MS));
  mw_test_wait_frames (GTK_WIDGET (run->wizard), 3);
  shot (run, "result");

  read_tree (mw_test_find_widget (GTK_WIDGET (run->wizard), MW_TYPE_WIZARD_RESULT_PAGE, NULL,
                                  NULL));
  {
    g_autofree char *worst = g_strdup_printf ("%" G_GINT64_FORMAT,
                                              heartbeat_worst_us / 1000 - HEARTBEAT_MS);

    mw_lab_say ("heartbeat-worst-ms", worst);
  }

  mw_migration_wizard_save_report_async (run->wizard, report_file, NULL, on_saved_cb, &wait);
  g_assert_true (mw_test_wait_until (save_done, &wait, 20000));
  g_assert_no_error (wait.error);
  mw_lab_say ("report", report);

  if (g_str_equal (run->name, "refused"))
    {
      say_labels (mw_test_find_widget (GTK_WIDGET (run->wizard), MW_TYPE_WIZARD_RESULT_PAGE,
                                       NULL, NULL));
      retry_after_refusal (run);
    }
}

int
main (int   argc,
      char *argv[])
{
  Run run = { 0 };
  gboolean from_b;

  if (argc != 3)
    {
      g_printerr ("usage: test-lab-gui there|back|abort|silent|cut|remedy|refused OUTDIR\n");
      return 2;
    }
  mw_lab_gui_init (argv[2]);
  run.name = argv[1];
  run.outdir = g_strdup (argv[2]);
  from_b = g_str_equal (run.name, "back");

  mw_lab_gui_start (&run.gui, !from_b, (const char *const[]) { GUEST, NULL });
  run.from = from_b ? run.gui.b : run.gui.a;
  run.to = from_b ? run.gui.a : run.gui.b;
  mw_test_wait_frames (GTK_WIDGET (run.gui.window), 3);
  {
    g_autofree char *name = g_strdup_printf ("gui-%s-0-window", run.name);

    g_free (mw_test_save_screenshot (GTK_WIDGET (run.gui.window), name));
  }

  run_case (&run);

  gtk_window_destroy (GTK_WINDOW (run.wizard));
  mw_lab_gui_stop (&run.gui);
  g_free (run.outdir);
  return 0;
}
