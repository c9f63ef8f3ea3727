/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-wizard-live-page.c: binds the live view to the job when the plan gets one. */
#include "config.h"

#include "mw-wizard-live-page.h"

struct _MwWizardLivePage
{
  MwWizardPage parent_instance;

  /* Template widgets */
  MwMigrationLivePage *view;
};

G_DEFINE_FINAL_TYPE (MwWizardLivePage, mw_wizard_live_page, MW_TYPE_WIZARD_PAGE)

/* Before the bound convergence updates the view: the options as they stand (a remedy raises
 * the downtime limit), for its time left. */
static void
on_job_convergence_cb (MwWizardLivePage *self,
                       GParamSpec       *pspec,
                       MwMigrationJob   *job)
{
  mw_migration_live_page_set_options (self->view, mw_migration_job_get_options (job));
}

static void
on_plan_job_cb (MwWizardLivePage *self)
{
  MwMigrationPlan *plan = mw_wizard_page_get_plan (MW_WIZARD_PAGE (self));
  MwMigrationJob *job = mw_migration_plan_get_job (plan);
  const char *bound[] = { "history", "pinger", "convergence", "paused-message",
                          "recover-blocker", "state" };

  if (job == NULL)
    return;

  mw_migration_live_page_set_destination_title (self->view,
                                                mw_migration_plan_get_destination_title (plan));
  g_signal_connect_object (job, "notify::convergence", G_CALLBACK (on_job_convergence_cb), self,
                           G_CONNECT_SWAPPED);
  on_job_convergence_cb (self, NULL, job);
  for (guint i = 0; i < G_N_ELEMENTS (bound); i++)
    g_object_bind_property (job, bound[i], self->view, bound[i], G_BINDING_SYNC_CREATE);
}

/* The job never goes on: it can stop or finish, not leave. */
static gboolean
mw_wizard_live_page_validate (MwWizardPage  *page,
                              char         **reason)
{
  return FALSE;
}

MwMigrationLivePage *
mw_wizard_live_page_get_view (MwWizardLivePage *self)
{
  g_return_val_if_fail (MW_IS_WIZARD_LIVE_PAGE (self), NULL);

  return self->view;
}

static void
mw_wizard_live_page_constructed (GObject *object)
{
  MwWizardLivePage *self = MW_WIZARD_LIVE_PAGE (object);

  G_OBJECT_CLASS (mw_wizard_live_page_parent_class)->constructed (object);

  g_signal_connect_object (mw_wizard_page_get_plan (MW_WIZARD_PAGE (self)), "notify::job",
                           G_CALLBACK (on_plan_job_cb), self, G_CONNECT_SWAPPED);
  on_plan_job_cb (self);
}

static void
mw_wizard_live_page_class_init (MwWizardLivePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = mw_wizard_live_page_constructed;
  MW_WIZARD_PAGE_CLASS (klass)->validate = mw_wizard_live_page_validate;

  g_type_ensure (MW_TYPE_MIGRATION_LIVE_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/com/example/MigWizard/wizard/"
                                               "mw-wizard-live-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MwWizardLivePage, view);
}

static void
mw_wizard_live_page_init (MwWizardLivePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
