/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-wizard-live-page.h: the wizard's page while the migration runs: an MwMigrationLivePage
 * bound to the plan's job (its history, pinger, convergence and state) once there is one. */
#pragma once

#include "mw-migration-live-page.h"
#include "mw-wizard-page.h"

G_BEGIN_DECLS

#define MW_TYPE_WIZARD_LIVE_PAGE (mw_wizard_live_page_get_type ())

G_DECLARE_FINAL_TYPE (MwWizardLivePage, mw_wizard_live_page, MW, WIZARD_LIVE_PAGE, MwWizardPage)

MwMigrationLivePage *mw_wizard_live_page_get_view (MwWizardLivePage *self);

G_END_DECLS
