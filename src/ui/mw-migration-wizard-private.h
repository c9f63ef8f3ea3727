/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-wizard-private.h: what mw-migration-wizard.c (the shell: header bar, which
 * actions are enabled, closing), mw-migration-wizard-actions.c (walking the pages, the report)
 * and mw-migration-wizard-job.c (the running migration) share. Main thread only. */
#pragma once

#include "mw-migration-plan.h"
#include "mw-migration-wizard.h"
#include "mw-wizard-page.h"

G_BEGIN_DECLS

/* The stack's pages, in the order the user meets them. */
typedef enum
{
  MW_PAGE_DESTINATION,
  MW_PAGE_OPTIONS,
  MW_PAGE_CHECKS,
  MW_PAGE_LIVE,
  MW_PAGE_RESULT,
  MW_WIZARD_N_PAGES
} MwWizardPageId;

/* The steps the user walks through before the migration runs. */
#define MW_WIZARD_N_STEPS 3

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
  MwWizardPage *pages[MW_WIZARD_N_PAGES]; /* in stack */
};

/* mw-migration-wizard.c */
MwWizardPageId     mw_migration_wizard_current_page   (MwMigrationWizard *self);
void               mw_migration_wizard_go_to          (MwMigrationWizard *self,
                                                       MwWizardPageId     page);
/* A job that ended without moving the guest: the user may go back and try again. */
gboolean           mw_migration_wizard_job_failed     (MwMigrationWizard *self);
void               mw_migration_wizard_toast          (MwMigrationWizard *self,
                                                       const char        *text);
/* Enables the wizard.*, migration.* and report.* actions for the page and the job's state. */
void               mw_migration_wizard_update_actions (MwMigrationWizard *self);

/* mw-migration-wizard-actions.c: wizard.next, wizard.back, wizard.retry, wizard.copy-command,
 * report.save and their keys. */
void               mw_migration_wizard_class_init_actions (GtkWidgetClass *widget_class);

/* mw-migration-wizard-job.c: wizard.migrate creates and follows the job; migration.* drive it
 * (abort, the remedies, post-copy, recover); the result page and a desktop notification when
 * it finished. */
void               mw_migration_wizard_class_init_job_actions (GtkWidgetClass *widget_class);

G_END_DECLS
