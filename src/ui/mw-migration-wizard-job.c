/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-wizard-job.c: the wizard's running migration. wizard.migrate has the plan create
 * the MwMigrationJob and shows the live page; migration.* drive the job: abort puts the live
 * page in its stopping state, the remedies, post-copy and recover each show a toast saying what
 * they do; when the job `finished`, the result page and, for a user who is elsewhere, a desktop
 * notification. Main thread. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mw-application.h"
#include "mw-migration-wizard-private.h"

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
  mw_migration_wizard_update_actions (self);
  mw_migration_wizard_go_to (self, MW_PAGE_RESULT);
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
  MwMigrationJob *job = mw_migration_plan_get_job (self->plan);

  /* An abort that failed leaves the migration running: the live page says so again, and Abort
   * can be tried again. Another action failing meanwhile (a remedy asked before the abort)
   * changes nothing about the stop under way. */
  if (job == NULL || !mw_migration_job_get_abort_requested (job))
    mw_migration_live_page_set_stopping (mw_migration_wizard_get_live_page (self), FALSE);
  mw_migration_wizard_update_actions (self);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (markup));
}

static void
migrate_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (widget);
  MwWizardPage *checks = self->pages[MW_PAGE_CHECKS];
  MwMigrationJob *job;

  if (mw_migration_plan_get_job (self->plan) != NULL)
    return;
  mw_wizard_page_commit (checks);
  if (!mw_wizard_page_validate (checks, NULL))
    return;

  job = mw_migration_plan_create_job (self->plan);
  g_signal_connect_object (job, "notify::state",
                           G_CALLBACK (mw_migration_wizard_update_actions), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (job, "notify::convergence",
                           G_CALLBACK (mw_migration_wizard_update_actions), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (job, "notify::can-recover",
                           G_CALLBACK (mw_migration_wizard_update_actions), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (job, "finished", G_CALLBACK (on_job_finished_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (job, "action-failed", G_CALLBACK (on_job_action_failed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (job, "remedy-done", G_CALLBACK (dismiss_remedy_toast), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (job, "notify::state", G_CALLBACK (on_job_state_cb), self,
                           G_CONNECT_SWAPPED);

  /* A new job (Retry after an abort): nothing is stopping yet. */
  mw_migration_live_page_set_stopping (mw_migration_wizard_get_live_page (self), FALSE);
  mw_migration_wizard_go_to (self, MW_PAGE_LIVE);
  mw_migration_job_start (job);
  mw_migration_wizard_update_actions (self);
}

static void
abort_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (widget);

  if (mw_migration_plan_get_job (self->plan) == NULL)
    return;

  /* The live page says it, not a toast: a toast would outlast the abort and hang over the result
   * page, and libadwaita 1.2 cannot safely dismiss one that may still be coming in. Set first:
   * an abort refused at once clears it (on_job_action_failed_cb). */
  mw_migration_live_page_set_stopping (mw_migration_wizard_get_live_page (self), TRUE);
  mw_migration_wizard_update_actions (self);
  mw_migration_job_abort (mw_migration_plan_get_job (self->plan));
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

  if (mw_migration_plan_get_job (self->plan) == NULL)
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
        mw_migration_job_apply_remedy (mw_migration_plan_get_job (self->plan), remedies[i].remedy);
      }
}

static void
postcopy_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (widget);

  if (mw_migration_plan_get_job (self->plan) == NULL)
    return;

  mw_migration_job_start_postcopy (mw_migration_plan_get_job (self->plan));
  mw_migration_wizard_toast (self, _("Switching to post-copy…"));
  gtk_widget_action_set_enabled (widget, "migration.postcopy", FALSE);
}

static void
pause_postcopy_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (widget);

  if (mw_migration_plan_get_job (self->plan) == NULL)
    return;

  mw_migration_job_pause_postcopy (mw_migration_plan_get_job (self->plan));
  mw_migration_wizard_toast (self, _("Pausing the post-copy…"));
  gtk_widget_action_set_enabled (widget, "migration.pause-postcopy", FALSE);
}

static void
recover_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (widget);

  if (mw_migration_plan_get_job (self->plan) == NULL)
    return;

  mw_migration_job_recover (mw_migration_plan_get_job (self->plan));
  gtk_widget_action_set_enabled (widget, "migration.recover", FALSE);
}

void
mw_migration_wizard_class_init_job_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "wizard.migrate", NULL, migrate_action);
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
}
