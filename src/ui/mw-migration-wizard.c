/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-wizard.c: the shell around the pages: the stack and the header bar, the actions,
 * and the job.
 *
 * What the user decides lives in an MwMigrationPlan that every page binds to (src/ui/wizard/):
 * each page writes its choices into the plan and says through its `valid` property whether the
 * user may go on, which is all the shell needs to enable Next and Migrate. Migrate has the plan
 * create the MwMigrationJob; the live and result pages bind to it, and the shell drives it: the
 * migration.* actions, abort on close, and the result page once it `finished`. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mw-application.h"
#include "mw-migration-wizard.h"
#include "mw-report-saver.h"
#include "mw-wizard-checks-page.h"
#include "mw-wizard-destination-page.h"
#include "mw-wizard-live-page.h"
#include "mw-wizard-options-page.h"
#include "mw-wizard-result-page.h"

typedef enum
{
  PAGE_DESTINATION,
  PAGE_OPTIONS,
  PAGE_CHECKS,
  PAGE_LIVE,
  PAGE_RESULT,
  N_PAGES
} Page;

static const struct
{
  const char *name;
  GType (*get_type) (void);
} pages[N_PAGES] = {
  { "destination", mw_wizard_destination_page_get_type },
  { "options", mw_wizard_options_page_get_type },
  { "checks", mw_wizard_checks_page_get_type },
  { "live", mw_wizard_live_page_get_type },
  { "result", mw_wizard_result_page_get_type },
};

/* The steps the user walks through before the migration runs. */
#define N_STEPS 3

struct _MwMigrationWizard
{
  AdwWindow parent_instance;

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkWidget *cancel_button;
  GtkWidget *back_button;
  GtkWidget *abort_button;
  GtkWidget *next_button;
  GtkWidget *migrate_button;
  GtkWidget *close_button;
  GtkWidget *postcopy_button;
  GtkWidget *save_button;
  GtkWidget *retry_button;
  GtkStack *stack;

  /* Owned */
  MwMigrationPlan *plan;
  GCancellable *cancellable;         /* cancelled when the wizard goes */
  GtkFileChooserNative *chooser;
  AdwToast *remedy_toast;            /* "Removing the bandwidth limit…" while its call runs */

  /* Borrowed */
  MwWizardPage *pages[N_PAGES];      /* in stack */
};

G_DEFINE_FINAL_TYPE (MwMigrationWizard, mw_migration_wizard, ADW_TYPE_WINDOW)

/* ---- small helpers -------------------------------------------------------------------------- */

static Page
current_page (MwMigrationWizard *self)
{
  GtkWidget *child = gtk_stack_get_visible_child (self->stack);

  for (guint i = 0; i < N_PAGES; i++)
    if (child == GTK_WIDGET (self->pages[i]))
      return i;
  return PAGE_DESTINATION;
}

static MwMigrationJob *
get_job (MwMigrationWizard *self)
{
  return mw_migration_plan_get_job (self->plan);
}

static gboolean
job_is_active (MwMigrationWizard *self)
{
  if (get_job (self) == NULL)
    return FALSE;

  switch (mw_migration_job_get_state (get_job (self)))
    {
    case MW_MIGRATION_JOB_STATE_PREPARING:
    case MW_MIGRATION_JOB_STATE_RUNNING:
    case MW_MIGRATION_JOB_STATE_POSTCOPY:
    case MW_MIGRATION_JOB_STATE_POSTCOPY_PAUSED:
    case MW_MIGRATION_JOB_STATE_VERIFYING:
      return TRUE;
    case MW_MIGRATION_JOB_STATE_READY:
    case MW_MIGRATION_JOB_STATE_SUCCEEDED:
    case MW_MIGRATION_JOB_STATE_FAILED:
    case MW_MIGRATION_JOB_STATE_CANCELLED:
    default:
      return FALSE;
    }
}

/* A job that ended without moving the guest: the user may go back and try again. */
static gboolean
job_did_not_succeed (MwMigrationWizard *self)
{
  MwMigrationJob *job = get_job (self);
  const MwMigrationJobResult *result = job ? mw_migration_job_get_result (job) : NULL;

  return result != NULL && result->state != MW_MIGRATION_JOB_STATE_SUCCEEDED;
}

static void
toast (MwMigrationWizard *self,
       const char        *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static void
show_page (MwMigrationWizard *self,
           Page               page)
{
  gtk_stack_set_visible_child (self->stack, GTK_WIDGET (self->pages[page]));
}

/* ---- the header and the actions ------------------------------------------------------------- */

static void
update_header (MwMigrationWizard *self)
{
  Page page = current_page (self);
  const char *name = mw_domain_get_name (mw_migration_plan_get_domain (self->plan));
  gboolean postcopy = mw_migration_plan_get_options (self->plan)->postcopy;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *tooltip = NULL;
  GtkWidget *default_widget = NULL;

  if (page < N_STEPS)
    {
      /* Translators: %s is the domain's name */
      title = g_strdup_printf (_("Migrate %s"), name);
      /* Translators: "Step 1 of 3: Destination" */
      subtitle = g_strdup_printf (_("Step %u of %u: %s"), page + 1, N_STEPS,
                                  mw_wizard_page_get_title (self->pages[page]));
    }
  else
    {
      title = page == PAGE_LIVE ? g_strdup_printf (_("Migrating %s"), name) : g_strdup (name);
      /* Translators: "Demo: hosta → Demo: hostb" */
      subtitle = g_strdup_printf (_("%s → %s"), mw_migration_plan_get_source_title (self->plan),
                                  mw_migration_plan_get_destination_title (self->plan));
    }

  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  /* Long button labels (German's "Zurück zu den Optionen") leave the title little room at the
   * narrowest size; what it cuts, the tooltip says whole. */
  tooltip = g_strdup_printf ("%s\n%s", title, subtitle);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->window_title), tooltip);
  gtk_window_set_title (GTK_WINDOW (self), title);

  gtk_widget_set_visible (self->cancel_button, page < N_STEPS);
  gtk_widget_set_visible (self->back_button, page > 0 && page < N_STEPS);
  gtk_widget_set_visible (self->next_button, page < N_STEPS - 1);
  gtk_widget_set_visible (self->migrate_button, page == N_STEPS - 1);
  gtk_widget_set_visible (self->abort_button, page == PAGE_LIVE);
  gtk_widget_set_visible (self->postcopy_button, page == PAGE_LIVE && postcopy);
  gtk_widget_set_visible (self->close_button, page == PAGE_RESULT);
  gtk_widget_set_visible (self->save_button, page == PAGE_RESULT);
  gtk_widget_set_visible (self->retry_button, page == PAGE_RESULT && job_did_not_succeed (self));

  if (page < N_STEPS - 1)
    default_widget = self->next_button;
  else if (page == N_STEPS - 1)
    default_widget = self->migrate_button;
  else if (page == PAGE_RESULT)
    default_widget = self->close_button;
  gtk_window_set_default_widget (GTK_WINDOW (self), default_widget);
}

static void
update_actions (MwMigrationWizard *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  Page page = current_page (self);
  gboolean page_valid = mw_wizard_page_get_valid (self->pages[page]);
  MwMigrationJob *job = get_job (self);
  MwMigrationJobState state = job ? mw_migration_job_get_state (job)
                                  : MW_MIGRATION_JOB_STATE_READY;
  const MwConvergence *c = job ? mw_migration_job_get_convergence (job) : NULL;
  gboolean running = state == MW_MIGRATION_JOB_STATE_RUNNING;
  MwRemedy remedies = c != NULL && c->verdict == MW_CONVERGENCE_NOT_CONVERGING ? c->remedies
                                                                              : MW_REMEDY_NONE;

  gtk_widget_action_set_enabled (widget, "wizard.next", page < N_STEPS - 1 && page_valid);
  gtk_widget_action_set_enabled (widget, "wizard.back", page > 0 && page < N_STEPS);
  gtk_widget_action_set_enabled (widget, "wizard.migrate",
                                 page == N_STEPS - 1 && page_valid && job == NULL);
  gtk_widget_action_set_enabled (widget, "wizard.copy-command",
                                 mw_migration_plan_get_virsh_text (self->plan) != NULL);

  gtk_widget_action_set_enabled (widget, "migration.abort",
                                 state == MW_MIGRATION_JOB_STATE_PREPARING || running);
  gtk_widget_action_set_enabled (widget, "migration.raise-downtime",
                                 running && (remedies & MW_REMEDY_RAISE_DOWNTIME));
  gtk_widget_action_set_enabled (widget, "migration.remove-cap",
                                 running && (remedies & MW_REMEDY_REMOVE_BANDWIDTH_CAP));
  gtk_widget_action_set_enabled (widget, "migration.postcopy",
                                 running && job != NULL &&
                                 mw_migration_job_get_options (job)->postcopy);
  gtk_widget_action_set_enabled (widget, "migration.restart-auto-converge",
                                 running && (remedies & MW_REMEDY_RESTART_AUTO_CONVERGE));
  gtk_widget_action_set_enabled (widget, "migration.restart-postcopy",
                                 running && (remedies & MW_REMEDY_RESTART_POSTCOPY));
  /* Where no recovery can work, a pause could only last. */
  gtk_widget_action_set_enabled (widget, "migration.pause-postcopy",
                                 state == MW_MIGRATION_JOB_STATE_POSTCOPY && job != NULL
                                 && mw_migration_job_get_recovery_impossible (job) == NULL);
  gtk_widget_action_set_enabled (widget, "migration.recover",
                                 job != NULL && mw_migration_job_get_can_recover (job));
  gtk_widget_action_set_enabled (widget, "wizard.retry",
                                 page == PAGE_RESULT && job_did_not_succeed (self));
  gtk_widget_action_set_enabled (widget, "report.save",
                                 job != NULL && mw_migration_job_get_result (job));

  if (state == MW_MIGRATION_JOB_STATE_POSTCOPY)
    gtk_widget_set_tooltip_text (self->abort_button,
                                 _("Post-copy cannot be stopped: the guest already runs on the "
                                   "destination"));
}

static void
on_stack_visible_child_cb (MwMigrationWizard *self)
{
  mw_wizard_page_shown (self->pages[current_page (self)]);
  update_header (self);
  update_actions (self);

  /* Keyboard users land on the page, not on the header bar. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_child_focus (gtk_stack_get_visible_child (self->stack), GTK_DIR_TAB_FORWARD);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (widget);
  Page page = current_page (self);

  if (page + 1 >= N_STEPS)
    return;

  mw_wizard_page_commit (self->pages[page]);
  if (mw_wizard_page_validate (self->pages[page], NULL))
    show_page (self, page + 1);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (widget);
  Page page = current_page (self);

  if (page > 0 && page < N_STEPS)
    show_page (self, page - 1);
}

/* Back to the options with every choice kept; the finished job (and its report) goes. */
static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (widget);

  if (!job_did_not_succeed (self))
    return;
  mw_migration_plan_forget_job (self->plan);
  show_page (self, PAGE_OPTIONS);
}

static void
copy_command_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (widget);
  const char *virsh_text = mw_migration_plan_get_virsh_text (self->plan);

  if (virsh_text == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), virsh_text);
  toast (self, _("Command copied"));
}

/* ---- the job -------------------------------------------------------------------------------- */

/* The result in one sentence for a desktop notification, sent when the user is elsewhere. */
static void
notify_result (MwMigrationWizard *self)
{
  MwApplication *app = mw_application_for_window (GTK_WINDOW (self));
  MwMigrationJob *job = mw_migration_plan_get_job (self->plan);
  const MwMigrationJobResult *result = mw_migration_job_get_result (job);
  const char *guest = mw_migration_job_get_domain_name (job);
  const char *source = mw_migration_plan_get_source_title (self->plan);
  const char *destination = mw_migration_plan_get_destination_title (self->plan);
  g_autofree char *why = NULL;
  g_autofree char *body = NULL;
  const char *title;

  if (app == NULL || result == NULL)
    return;

  /* libvirt's first line is enough to tell one failure from another. */
  why = g_strdup (result->error_message != NULL ? result->error_message : "");
  why[strcspn (why, "\n")] = '\0';

  if (result->state == MW_MIGRATION_JOB_STATE_SUCCEEDED)
    {
      title = _("Migration finished");
      body = g_strdup_printf (_("%s now runs on %s."), guest, destination);
    }
  else if (result->on_source && result->state == MW_MIGRATION_JOB_STATE_CANCELLED)
    {
      title = _("Migration stopped");
      body = g_strdup_printf (_("%s was not moved and still runs on %s."), guest, source);
    }
  else if (result->on_source)
    {
      title = _("Migration failed");
      /* Translators: guest, source host, then libvirt's reason */
      body = g_strdup_printf (_("%s was not moved and still runs on %s: %s"), guest, source, why);
    }
  else if (result->on_destination)
    {
      title = _("Migration failed");
      /* Translators: guest, destination host, then libvirt's reason */
      body = g_strdup_printf (_("%s runs on %s, but the migration reported an error: %s"),
                              guest, destination, why);
    }
  else
    {
      title = _("Migration failed");
      body = g_strdup_printf (_("Where %s runs now could not be checked: the wizard says what "
                                "to do next."), guest);
    }

  mw_application_notify_done (app, GTK_WINDOW (self), title, body);
}

/* Connected after the result page's handler: the page is filled before it is shown. */
static void
on_job_finished_cb (MwMigrationWizard *self)
{
  update_actions (self);
  show_page (self, PAGE_RESULT);
  notify_result (self);
}

/* A remedy's "…ing" toast is true while its call runs: gone when the call returns, or when
 * the migration call does. */
static void
dismiss_remedy_toast (MwMigrationWizard *self)
{
  /* Never adw_toast_dismiss(): a remedy's call often returns while its toast is still coming
   * in, and libadwaita 1.2 then runs the show's end on the freed toast (test-lab-gui's remedy
   * case crashed with SIGSEGV). The toast has a short timeout of its own instead. */
  g_clear_object (&self->remedy_toast);
}

static void
on_remedy_toast_dismissed_cb (MwMigrationWizard *self,
                              AdwToast          *t)
{
  if (self->remedy_toast == t)
    g_clear_object (&self->remedy_toast);
}

static void
on_job_state_cb (MwMigrationWizard *self,
                 GParamSpec        *pspec,
                 MwMigrationJob    *job)
{
  MwMigrationJobState state = mw_migration_job_get_state (job);

  if (state != MW_MIGRATION_JOB_STATE_RUNNING && state != MW_MIGRATION_JOB_STATE_POSTCOPY)
    dismiss_remedy_toast (self);
}

static void
on_job_action_failed_cb (MwMigrationWizard *self,
                         const char        *message)
{
  /* Titles are markup in libadwaita 1.2, and libvirt's messages may hold '<' or '&'. Normal
   * priority: a high one pushes a toast back, and 1.2 asserts when that toast shows again
   * before it finished hiding (two failed actions in a row). */
  g_autofree char *markup = g_markup_escape_text (message, -1);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (markup));
}

static void
migrate_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (widget);
  MwWizardPage *checks = self->pages[PAGE_CHECKS];
  MwMigrationJob *job;

  if (get_job (self) != NULL)
    return;
  mw_wizard_page_commit (checks);
  if (!mw_wizard_page_validate (checks, NULL))
    return;

  job = mw_migration_plan_create_job (self->plan);
  g_signal_connect_object (job, "notify::state", G_CALLBACK (update_actions), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (job, "notify::convergence", G_CALLBACK (update_actions), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (job, "notify::can-recover", G_CALLBACK (update_actions), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (job, "finished", G_CALLBACK (on_job_finished_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (job, "action-failed", G_CALLBACK (on_job_action_failed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (job, "remedy-done", G_CALLBACK (dismiss_remedy_toast), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (job, "notify::state", G_CALLBACK (on_job_state_cb), self,
                           G_CONNECT_SWAPPED);

  show_page (self, PAGE_LIVE);
  mw_migration_job_start (job);
  update_actions (self);
}

static void
abort_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (widget);

  if (get_job (self) == NULL)
    return;

  mw_migration_job_abort (get_job (self));
  toast (self, _("Stopping the migration…"));
  gtk_widget_action_set_enabled (widget, "migration.abort", FALSE);
}

static void
remedy_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (widget);
  static const struct
  {
    const char *action;
    MwRemedy remedy;
    const char *message;
  } remedies[] = {
    { "migration.raise-downtime", MW_REMEDY_RAISE_DOWNTIME, N_("Raising the maximum downtime…") },
    { "migration.remove-cap", MW_REMEDY_REMOVE_BANDWIDTH_CAP,
      N_("Removing the bandwidth limit…") },
    { "migration.restart-auto-converge", MW_REMEDY_RESTART_AUTO_CONVERGE,
      N_("Restarting the migration with auto-converge…") },
    { "migration.restart-postcopy", MW_REMEDY_RESTART_POSTCOPY,
      N_("Restarting the migration with post-copy allowed…") },
  };

  if (get_job (self) == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (remedies); i++)
    if (g_str_equal (action_name, remedies[i].action))
      {
        /* Shown first: a call that fails at once dismisses it before its error shows. */
        dismiss_remedy_toast (self);
        self->remedy_toast = g_object_ref (adw_toast_new (_(remedies[i].message)));
        adw_toast_set_timeout (self->remedy_toast, 3);
        g_signal_connect_object (self->remedy_toast, "dismissed",
                                 G_CALLBACK (on_remedy_toast_dismissed_cb), self,
                                 G_CONNECT_SWAPPED);
        adw_toast_overlay_add_toast (self->toast_overlay, self->remedy_toast);
        mw_migration_job_apply_remedy (get_job (self), remedies[i].remedy);
      }
}

static void
postcopy_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (widget);

  if (get_job (self) == NULL)
    return;

  mw_migration_job_start_postcopy (get_job (self));
  toast (self, _("Switching to post-copy…"));
  gtk_widget_action_set_enabled (widget, "migration.postcopy", FALSE);
}

static void
pause_postcopy_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (widget);

  if (get_job (self) == NULL)
    return;

  mw_migration_job_pause_postcopy (get_job (self));
  toast (self, _("Pausing the post-copy…"));
  gtk_widget_action_set_enabled (widget, "migration.pause-postcopy", FALSE);
}

static void
recover_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (widget);

  if (get_job (self) == NULL)
    return;

  mw_migration_job_recover (get_job (self));
  gtk_widget_action_set_enabled (widget, "migration.recover", FALSE);
}

/* ---- the report ----------------------------------------------------------------------------- */

void
mw_migration_wizard_save_report_async (MwMigrationWizard   *self,
                                       GFile               *json_file,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  GtkWidget *card;

  g_return_if_fail (MW_IS_MIGRATION_WIZARD (self));
  g_return_if_fail (G_IS_FILE (json_file));

  /* The chart as last shown: the result page's, else the live page's. */
  card = mw_wizard_result_page_get_chart_card (MW_WIZARD_RESULT_PAGE (self->pages[PAGE_RESULT]));
  if (!gtk_widget_is_drawable (card))
    card = mw_migration_live_page_get_chart_card (mw_migration_wizard_get_live_page (self));

  mw_report_saver_save_async (self, get_job (self), card, json_file, cancellable, callback,
                              user_data);
}

gboolean
mw_migration_wizard_save_report_finish (MwMigrationWizard  *self,
                                        GAsyncResult       *result,
                                        GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return mw_report_saver_save_finish (result, error);
}

static void
on_report_saved_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (object);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  mw_migration_wizard_save_report_finish (self, result, &error);
  text = mw_report_saver_describe (file, error);
  if (text != NULL)
    toast (self, text);
}

static void
on_chooser_response_cb (GtkNativeDialog   *chooser,
                        int                response,
                        MwMigrationWizard *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);

  if (file != NULL)
    mw_migration_wizard_save_report_async (self, file, self->cancellable, on_report_saved_cb,
                                           g_object_ref (file));
}

static void
save_report_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (widget);

  if (self->chooser != NULL)
    return;

  self->chooser = mw_report_saver_new_chooser (GTK_WINDOW (self), mw_domain_get_name (
                                                 mw_migration_plan_get_domain (self->plan)));
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ---- closing -------------------------------------------------------------------------------- */

static void
on_abort_dialog_response_cb (AdwMessageDialog  *dialog,
                             const char        *response,
                             MwMigrationWizard *self)
{
  if (g_str_equal (response, "abort") && get_job (self) != NULL)
    abort_action (GTK_WIDGET (self), "migration.abort", NULL);
}

static gboolean
mw_migration_wizard_close_request (GtkWindow *window)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (window);
  MwMigrationJobState state;
  GtkWidget *dialog;

  if (!job_is_active (self))
    return GTK_WINDOW_CLASS (mw_migration_wizard_parent_class)->close_request (window);

  state = mw_migration_job_get_state (get_job (self));
  if (state == MW_MIGRATION_JOB_STATE_POSTCOPY_PAUSED)
    {
      toast (self, _("The guest waits, paused, on the destination: recover the migration "
                     "before closing this window."));
      return TRUE;
    }
  if (state != MW_MIGRATION_JOB_STATE_RUNNING && state != MW_MIGRATION_JOB_STATE_PREPARING)
    {
      toast (self, _("Wait for the end: the guest is already switching hosts."));
      return TRUE;
    }

  dialog = adw_message_dialog_new (window, _("Abort the Migration?"),
                                   _("The guest keeps running on the source, as it was. The "
                                     "memory copied so far is thrown away."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "continue", _("_Keep Migrating"),
                                    "abort", _("_Abort"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "abort",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "continue");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "continue");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_abort_dialog_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

/* ---- public --------------------------------------------------------------------------------- */

MwMigrationWizard *
mw_migration_wizard_new (GtkWindow        *parent,
                         MwConnectionList *connections,
                         MwDomain         *domain)
{
  MwMigrationWizard *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (MW_IS_CONNECTION_LIST (connections), NULL);
  g_return_val_if_fail (MW_IS_DOMAIN (domain), NULL);

  self = g_object_new (MW_TYPE_MIGRATION_WIZARD, "transient-for", parent, NULL);
  self->plan = mw_migration_plan_new (connections, domain);

  for (guint i = 0; i < N_PAGES; i++)
    {
      self->pages[i] = MW_WIZARD_PAGE (mw_wizard_page_new (pages[i].get_type (), self->plan));
      gtk_stack_add_named (self->stack, GTK_WIDGET (self->pages[i]), pages[i].name);
      g_signal_connect_object (self->pages[i], "notify::valid", G_CALLBACK (update_actions),
                               self, G_CONNECT_SWAPPED);
    }
  g_signal_connect_object (self->plan, "notify::virsh-text", G_CALLBACK (update_actions), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->stack, "notify::visible-child",
                           G_CALLBACK (on_stack_visible_child_cb), self, G_CONNECT_SWAPPED);

  update_header (self);
  update_actions (self);

  return self;
}

MwDomain *
mw_migration_wizard_get_domain (MwMigrationWizard *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_WIZARD (self), NULL);

  return mw_migration_plan_get_domain (self->plan);
}

gboolean
mw_migration_wizard_set_destination (MwMigrationWizard *self,
                                     MwConnection      *destination)
{
  g_autofree char *reason = NULL;

  g_return_val_if_fail (MW_IS_MIGRATION_WIZARD (self), FALSE);
  g_return_val_if_fail (destination == NULL || MW_IS_CONNECTION (destination), FALSE);

  if (destination != NULL &&
      (reason = mw_migration_plan_get_unusable_reason (self->plan, destination)) != NULL)
    return FALSE;

  mw_migration_plan_set_destination (self->plan, destination);
  return TRUE;
}

MwConnection *
mw_migration_wizard_get_destination (MwMigrationWizard *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_WIZARD (self), NULL);

  return mw_migration_plan_get_destination (self->plan);
}

char *
mw_migration_wizard_get_unusable_reason (MwMigrationWizard *self,
                                         MwConnection      *candidate)
{
  g_return_val_if_fail (MW_IS_MIGRATION_WIZARD (self), NULL);

  return mw_migration_plan_get_unusable_reason (self->plan, candidate);
}

const char *
mw_migration_wizard_get_page (MwMigrationWizard *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_WIZARD (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

const MwMigrationOptions *
mw_migration_wizard_get_options (MwMigrationWizard *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_WIZARD (self), NULL);

  return mw_migration_plan_get_options (self->plan);
}

const char *
mw_migration_wizard_get_virsh_text (MwMigrationWizard *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_WIZARD (self), NULL);

  return mw_migration_plan_get_virsh_text (self->plan);
}

const char *
mw_migration_wizard_get_validation_message (MwMigrationWizard *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_WIZARD (self), NULL);

  return mw_migration_plan_get_validation_message (self->plan);
}

MwMigrationJob *
mw_migration_wizard_get_job (MwMigrationWizard *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_WIZARD (self), NULL);

  return get_job (self);
}

MwMigrationLivePage *
mw_migration_wizard_get_live_page (MwMigrationWizard *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_WIZARD (self), NULL);

  return mw_wizard_live_page_get_view (MW_WIZARD_LIVE_PAGE (self->pages[PAGE_LIVE]));
}

void
mw_migration_wizard_show_page (MwMigrationWizard *self,
                               const char        *name)
{
  g_return_if_fail (MW_IS_MIGRATION_WIZARD (self));
  g_return_if_fail (gtk_stack_get_child_by_name (self->stack, name) != NULL);

  gtk_stack_set_visible_child_name (self->stack, name);
}

/* ---- class ---------------------------------------------------------------------------------- */

static void
mw_migration_wizard_dispose (GObject *object)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (object);

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->remedy_toast);

  /* The pages go with the template; nothing is shown any more. */
  if (self->stack != NULL)
    g_signal_handlers_disconnect_by_data (self->stack, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_MIGRATION_WIZARD);
  memset (self->pages, 0, sizeof self->pages);
  g_clear_object (&self->plan);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (mw_migration_wizard_parent_class)->dispose (object);
}

static void
mw_migration_wizard_class_init (MwMigrationWizardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = mw_migration_wizard_dispose;
  window_class->close_request = mw_migration_wizard_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/MigWizard/mw-migration-wizard.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, MwMigrationWizard, name)
  BIND (toast_overlay);
  BIND (window_title);
  BIND (cancel_button);
  BIND (back_button);
  BIND (abort_button);
  BIND (next_button);
  BIND (migrate_button);
  BIND (close_button);
  BIND (postcopy_button);
  BIND (save_button);
  BIND (retry_button);
  BIND (stack);
#undef BIND

  gtk_widget_class_install_action (widget_class, "wizard.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "wizard.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "wizard.migrate", NULL, migrate_action);
  gtk_widget_class_install_action (widget_class, "wizard.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "wizard.copy-command", NULL, copy_command_action);
  gtk_widget_class_install_action (widget_class, "migration.abort", NULL, abort_action);
  gtk_widget_class_install_action (widget_class, "migration.raise-downtime", NULL, remedy_action);
  gtk_widget_class_install_action (widget_class, "migration.remove-cap", NULL, remedy_action);
  gtk_widget_class_install_action (widget_class, "migration.postcopy", NULL, postcopy_action);
  gtk_widget_class_install_action (widget_class, "migration.restart-auto-converge", NULL,
                                   remedy_action);
  gtk_widget_class_install_action (widget_class, "migration.restart-postcopy", NULL,
                                   remedy_action);
  gtk_widget_class_install_action (widget_class, "migration.pause-postcopy", NULL,
                                   pause_postcopy_action);
  gtk_widget_class_install_action (widget_class, "migration.recover", NULL, recover_action);
  gtk_widget_class_install_action (widget_class, "report.save", NULL, save_report_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "wizard.next",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "wizard.back",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "wizard.copy-command", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "report.save",
                                       NULL);
}

static void
mw_migration_wizard_init (MwMigrationWizard *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}
