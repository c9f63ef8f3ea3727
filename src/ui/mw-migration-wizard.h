/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-wizard.h: moving one domain to another host, from choosing where to the proof.
 *
 * A modal AdwWindow with a GtkStack of pages — destination, options, checks, live, result, one
 * class each in src/ui/wizard/ over an MwMigrationPlan — and Back / Next / Migrate in the header
 * bar. Actions (also the keyboard's way in):
 *   wizard.next, wizard.back, wizard.migrate, wizard.copy-command,
 *   migration.abort, migration.raise-downtime, migration.remove-cap, migration.postcopy,
 *   migration.restart-auto-converge, migration.restart-postcopy, report.save.
 * The running migration is an MwMigrationJob; the live page is bound to its history, pinger,
 * convergence and state. Main thread only; everything that blocks runs in the job's workers or
 * in GIO's async file I/O.
 */
#pragma once

#include <adwaita.h>

#include "mw-connection-list.h"
#include "mw-migration-job.h"
#include "mw-migration-live-page.h"

G_BEGIN_DECLS

#define MW_TYPE_MIGRATION_WIZARD (mw_migration_wizard_get_type ())

G_DECLARE_FINAL_TYPE (MwMigrationWizard, mw_migration_wizard, MW, MIGRATION_WIZARD, AdwWindow)

/* domain: an MwDomain of a connection in connections (its source). */
MwMigrationWizard        *mw_migration_wizard_new             (GtkWindow         *parent,
                                                               MwConnectionList  *connections,
                                                               MwDomain          *domain);
MwDomain                 *mw_migration_wizard_get_domain      (MwMigrationWizard *self);
/* Chooses the destination; FALSE (and nothing chosen) when it cannot be used. */
gboolean                  mw_migration_wizard_set_destination (MwMigrationWizard *self,
                                                               MwConnection      *destination);
MwConnection             *mw_migration_wizard_get_destination (MwMigrationWizard *self);
/* Why a connection cannot be the destination, in words, or NULL when it can. */
char                     *mw_migration_wizard_get_unusable_reason (MwMigrationWizard *self,
                                                                   MwConnection      *candidate);

/* The page shown: "destination", "options", "checks", "live" or "result". */
const char               *mw_migration_wizard_get_page        (MwMigrationWizard *self);
const MwMigrationOptions *mw_migration_wizard_get_options     (MwMigrationWizard *self);
/* The command line shown on the options page, or NULL while the options are invalid. */
const char               *mw_migration_wizard_get_virsh_text  (MwMigrationWizard *self);
/* The validation message shown (and blocking Next), or NULL when the options are valid. */
const char               *mw_migration_wizard_get_validation_message (MwMigrationWizard *self);
/* NULL before Migrate. */
MwMigrationJob           *mw_migration_wizard_get_job         (MwMigrationWizard *self);
MwMigrationLivePage      *mw_migration_wizard_get_live_page   (MwMigrationWizard *self);

/* Writes json_file, and beside it the same name with .csv (samples and events) and .png (the
 * chart), as Save Report… does after its file chooser. Needs a finished job. */
void                      mw_migration_wizard_save_report_async  (MwMigrationWizard   *self,
                                                                  GFile               *json_file,
                                                                  GCancellable        *cancellable,
                                                                  GAsyncReadyCallback  callback,
                                                                  gpointer             user_data);
gboolean                  mw_migration_wizard_save_report_finish (MwMigrationWizard   *self,
                                                                  GAsyncResult        *result,
                                                                  GError             **error);

/* For tests: show a page without walking there (the live page with no job, to replay a
 * recorded trace into it). */
void                      mw_migration_wizard_show_page       (MwMigrationWizard *self,
                                                               const char        *name);

G_END_DECLS
