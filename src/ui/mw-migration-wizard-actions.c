/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-wizard-actions.c: walking the wizard's pages (wizard.next, .back, .retry), the
 * virsh line (wizard.copy-command), and saving the report (report.save), with their keys.
 * Main thread. */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-migration-wizard-private.h"
#include "mw-report-saver.h"
#include "mw-wizard-result-page.h"

/* ---- walking the pages ---------------------------------------------------------------------- */

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (widget);
  MwWizardPageId page = mw_migration_wizard_current_page (self);

  if (page + 1 >= MW_WIZARD_N_STEPS)
    return;

  mw_wizard_page_commit (self->pages[page]);
  if (mw_wizard_page_validate (self->pages[page], NULL))
    mw_migration_wizard_go_to (self, page + 1);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (widget);
  MwWizardPageId page = mw_migration_wizard_current_page (self);

  if (page > 0 && page < MW_WIZARD_N_STEPS)
    mw_migration_wizard_go_to (self, page - 1);
}

/* Back to the options with every choice kept; the finished job (and its report) goes. */
static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  MwMigrationWizard *self = MW_MIGRATION_WIZARD (widget);

  if (!mw_migration_wizard_job_failed (self))
    return;
  mw_migration_plan_forget_job (self->plan);
  mw_migration_wizard_go_to (self, MW_PAGE_OPTIONS);
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
  mw_migration_wizard_toast (self, _("Command copied"));
}

/* ---- the report ----------------------------------------------------------------------------- */

void
mw_migration_wizard_save_report_async (MwMigrationWizard   *self,
                                       GFile               *json_file,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  MwWizardResultPage *result_page;
  GtkWidget *card;

  g_return_if_fail (MW_IS_MIGRATION_WIZARD (self));
  g_return_if_fail (G_IS_FILE (json_file));

  /* The chart as last shown: the result page's, else the live page's. */
  result_page = MW_WIZARD_RESULT_PAGE (self->pages[MW_PAGE_RESULT]);
  card = mw_wizard_result_page_get_chart_card (result_page);
  if (!gtk_widget_is_drawable (card))
    card = mw_migration_live_page_get_chart_card (mw_migration_wizard_get_live_page (self));

  mw_report_saver_save_async (self, mw_migration_plan_get_job (self->plan), card, json_file,
                              cancellable, callback, user_data);
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
    mw_migration_wizard_toast (self, text);
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

void
mw_migration_wizard_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "wizard.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "wizard.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "wizard.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "wizard.copy-command", NULL, copy_command_action);
  gtk_widget_class_install_action (widget_class, "report.save", NULL, save_report_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "wizard.next",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "wizard.back",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "wizard.copy-command", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "report.save",
                                       NULL);
}
