/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-wizard.c: the shell around the pages: the stack and the header bar, which
 * actions are enabled, and closing.
 *
 * What the user decides lives in an MwMigrationPlan that every page binds to (src/ui/wizard/):
 * each page writes its choices into the plan and says through its `valid` property whether the
 * user may go on, which is all the shell needs to enable Next and Migrate. Migrate has the plan
 * create the MwMigrationJob (mw-migration-wizard-job.c); the live and result pages bind to it.
 * Walking the pages and saving the report are in mw-migration-wizard-actions.c. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mw-migration-wizard-private.h"
#include "mw-wizard-checks-page.h"
#include "mw-wizard-destination-page.h"
#include "mw-wizard-live-page.h"
#include "mw-wizard-options-page.h"
#include "mw-wizard-result-page.h"

static const struct
{
  const char *name;
  GType (*get_type) (void);
} pages[MW_WIZARD_N_PAGES] = {
  { "destination", mw_wizard_destination_page_get_type },
  { "options", mw_wizard_options_page_get_type },
  { "checks", mw_wizard_checks_page_get_type },
  { "live", mw_wizard_live_page_get_type },
  { "result", mw_wizard_result_page_get_type },
};

G_DEFINE_FINAL_TYPE (MwMigrationWizard, mw_migration_wizard, ADW_TYPE_WINDOW)

/* ---- small helpers -------------------------------------------------------------------------- */

MwWizardPageId
mw_migration_wizard_current_page (MwMigrationWizard *self)
{
  GtkWidget *child = gtk_stack_get_visible_child (self->stack);

  for (guint i = 0; i < MW_WIZARD_N_PAGES; i++)
    if (child == GTK_WIDGET (self->pages[i]))
      return i;
  return MW_PAGE_DESTINATION;
}

void
mw_migration_wizard_go_to (MwMigrationWizard *self,
                           MwWizardPageId     page)
{
  gtk_stack_set_visible_child (self->stack, GTK_WIDGET (self->pages[page]));
}

static gboolean
job_is_active (MwMigrationWizard *self)
{
  MwMigrationJob *job = mw_migration_plan_get_job (self->plan);

  if (job == NULL)
    return FALSE;

  switch (mw_migration_job_get_state (job))
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

gboolean
mw_migration_wizard_job_failed (MwMigrationWizard *self)
{
  MwMigrationJob *job = mw_migration_plan_get_job (self->plan);
  const MwMigrationJobResult *result = job ? mw_migration_job_get_result (job) : NULL;

  return result != NULL && result->state != MW_MIGRATION_JOB_STATE_SUCCEEDED;
}

void
mw_migration_wizard_toast (MwMigrationWizard *self,
                           const char        *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/* ---- the header and the actions ------------------------------------------------------------- */

static void
update_header (MwMigrationWizard *self)
{
  MwWizardPageId page = mw_migration_wizard_current_page (self);
  const char *name = mw_domain_get_name (mw_migration_plan_get_domain (self->plan));
  gboolean postcopy = mw_migration_plan_get_options (self->plan)->postcopy;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *tooltip = NULL;
  GtkWidget *default_widget = NULL;

  if (page < MW_WIZARD_N_STEPS)
    {
      /* Translators: %s is the domain's name */
      title = g_strdup_printf (_("Migrate %s"), name);
      /* Translators: "Step 1 of 3: Destination" */
      subtitle = g_strdup_printf (_("Step %u of %u: %s"), page + 1, MW_WIZARD_N_STEPS,
                                  mw_wizard_page_get_title (self->pages[page]));
    }
  else
    {
      title = page == MW_PAGE_LIVE ? g_strdup_printf (_("Migrating %s"), name) : g_strdup (name);
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

  gtk_widget_set_visible (self->cancel_button, page < MW_WIZARD_N_STEPS);
  gtk_widget_set_visible (self->back_button, page > 0 && page < MW_WIZARD_N_STEPS);
  gtk_widget_set_visible (self->next_button, page < MW_WIZARD_N_STEPS - 1);
  gtk_widget_set_visible (self->migrate_button, page == MW_WIZARD_N_STEPS - 1);
  gtk_widget_set_visible (self->abort_button, page == MW_PAGE_LIVE);
  gtk_widget_set_visible (self->postcopy_button, page == MW_PAGE_LIVE && postcopy);
  gtk_widget_set_visible (self->close_button, page == MW_PAGE_RESULT);
  gtk_widget_set_visible (self->save_button, page == MW_PAGE_RESULT);
  gtk_widget_set_visible (self->retry_button,
                          page == MW_PAGE_RESULT && mw_migration_wizard_job_failed (self));

  if (page < MW_WIZARD_N_STEPS - 1)
    default_widget = self->next_button;
  else if (page == MW_WIZARD_N_STEPS - 1)
    default_widget = self->migrate_button;
  else if (page == MW_PAGE_RESULT)
    default_widget = self->close_button;
  gtk_window_set_default_widget (GTK_WINDOW (self), default_widget);
}

void
mw_migration_wizard_update_actions (MwMigrationWizard *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  MwWizardPageId page = mw_migration_wizard_current_page (self);
  gboolean page_valid = mw_wizard_page_get_valid (self->pages[page]);
  MwMigrationJob *job = mw_migration_plan_get_job (self->plan);
  MwMigrationJobState state = job ? mw_migration_job_get_state (job)
                                  : MW_MIGRATION_JOB_STATE_READY;
  const MwConvergence *c = job ? mw_migration_job_get_convergence (job) : NULL;
  gboolean running = state == MW_MIGRATION_JOB_STATE_RUNNING;
  MwRemedy remedies = c != NULL && c->verdict == MW_CONVERGENCE_NOT_CONVERGING ? c->remedies
                                                                              : MW_REMEDY_NONE;

  gtk_widget_action_set_enabled (widget, "wizard.next", page < MW_WIZARD_N_STEPS - 1 && page_valid);
  gtk_widget_action_set_enabled (widget, "wizard.back", page > 0 && page < MW_WIZARD_N_STEPS);
  gtk_widget_action_set_enabled (widget, "wizard.migrate",
                                 page == MW_WIZARD_N_STEPS - 1 && page_valid && job == NULL);
  gtk_widget_action_set_enabled (widget, "wizard.copy-command",
                                 mw_migration_plan_get_virsh_text (self->plan) != NULL);

  /* Not again while the live page says the migration is stopping. */
  gtk_widget_action_set_enabled (widget, "migration.abort",
                                 (state == MW_MIGRATION_JOB_STATE_PREPARING || running)
                                 && !mw_migration_live_page_get_stopping (
                                      mw_migration_wizard_get_live_page (self)));
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
                                 page == MW_PAGE_RESULT && mw_migration_wizard_job_failed (self));
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
  mw_wizard_page_shown (self->pages[mw_migration_wizard_current_page (self)]);
  update_header (self);
  mw_migration_wizard_update_actions (self);

  /* Keyboard users land on the page, not on the header bar. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_child_focus (gtk_stack_get_visible_child (self->stack), GTK_DIR_TAB_FORWARD);
}

/* ---- closing -------------------------------------------------------------------------------- */

static void
on_abort_dialog_response_cb (AdwMessageDialog  *dialog,
                             const char        *response,
                             MwMigrationWizard *self)
{
  if (g_str_equal (response, "abort"))
    gtk_widget_activate_action (GTK_WIDGET (self), "migration.abort", NULL);
}

static gboolean
mw_migration_wizard_close_request (GtkWindow *window)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (window);
  MwMigrationJobState state;
  GtkWidget *dialog;

  if (!job_is_active (self))
    return GTK_WINDOW_CLASS (mw_migration_wizard_parent_class)->close_request (window);

  state = mw_migration_job_get_state (mw_migration_plan_get_job (self->plan));
  if (state == MW_MIGRATION_JOB_STATE_POSTCOPY_PAUSED)
    {
      mw_migration_wizard_toast (self, _("The guest waits, paused, on the destination: recover "
                                         "the migration before closing this window."));
      return TRUE;
    }
  if (state != MW_MIGRATION_JOB_STATE_RUNNING && state != MW_MIGRATION_JOB_STATE_PREPARING)
    {
      mw_migration_wizard_toast (self,
                                 _("Wait for the end: the guest is already switching hosts."));
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

  for (guint i = 0; i < MW_WIZARD_N_PAGES; i++)
    {
      self->pages[i] = MW_WIZARD_PAGE (mw_wizard_page_new (pages[i].get_type (), self->plan));
      gtk_stack_add_named (self->stack, GTK_WIDGET (self->pages[i]), pages[i].name);
      g_signal_connect_object (self->pages[i], "notify::valid",
                               G_CALLBACK (mw_migration_wizard_update_actions), self,
                               G_CONNECT_SWAPPED);
    }
  g_signal_connect_object (self->plan, "notify::virsh-text",
                           G_CALLBACK (mw_migration_wizard_update_actions), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->stack, "notify::visible-child",
                           G_CALLBACK (on_stack_visible_child_cb), self, G_CONNECT_SWAPPED);

  update_header (self);
  mw_migration_wizard_update_actions (self);

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

  return mw_migration_plan_get_job (self->plan);
}

MwMigrationLivePage *
mw_migration_wizard_get_live_page (MwMigrationWizard *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_WIZARD (self), NULL);

  return mw_wizard_live_page_get_view (MW_WIZARD_LIVE_PAGE (self->pages[MW_PAGE_LIVE]));
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

  mw_migration_wizard_class_init_actions (widget_class);
  mw_migration_wizard_class_init_job_actions (widget_class);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mw_migration_wizard_init (MwMigrationWizard *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}
