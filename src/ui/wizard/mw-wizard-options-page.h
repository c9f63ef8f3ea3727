/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-wizard-options-page.h: the wizard's second page: how the domain moves (mode, storage,
 * speed, transport…), the guest to ping, and the equivalent virsh command. Its rows are bound
 * to the plan's `options`; the banner shows the plan's `validation-message` (blocking Next) or
 * the options' warnings. The copy button names the wizard's `wizard.copy-command` action. */
#pragma once

#include "mw-wizard-page.h"

G_BEGIN_DECLS

#define MW_TYPE_WIZARD_OPTIONS_PAGE (mw_wizard_options_page_get_type ())

G_DECLARE_FINAL_TYPE (MwWizardOptionsPage, mw_wizard_options_page, MW, WIZARD_OPTIONS_PAGE,
                      MwWizardPage)


G_END_DECLS
