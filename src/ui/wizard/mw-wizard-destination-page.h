/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-wizard-destination-page.h: the wizard's first page: the domain, and a radio list of every
 * connection to choose the destination from, the unusable ones greyed with the reason. Bound to
 * the plan's `destination`; valid once there is one. */
#pragma once

#include "mw-wizard-page.h"

G_BEGIN_DECLS

#define MW_TYPE_WIZARD_DESTINATION_PAGE (mw_wizard_destination_page_get_type ())

G_DECLARE_FINAL_TYPE (MwWizardDestinationPage, mw_wizard_destination_page, MW,
                      WIZARD_DESTINATION_PAGE, MwWizardPage)


G_END_DECLS
