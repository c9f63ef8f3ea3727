/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-wizard-checks-page.h: the wizard's last step before Migrate: the pre-flight checks for the
 * plan as it stands (run anew each time the page is shown) and a summary of the plan. Valid,
 * and so Migrate possible, once the checks finished with nothing blocking and the options are
 * valid for a destination. */
#pragma once

#include "mw-wizard-page.h"

G_BEGIN_DECLS

#define MW_TYPE_WIZARD_CHECKS_PAGE (mw_wizard_checks_page_get_type ())

G_DECLARE_FINAL_TYPE (MwWizardChecksPage, mw_wizard_checks_page, MW, WIZARD_CHECKS_PAGE,
                      MwWizardPage)


G_END_DECLS
