/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-wizard-result-page.h: the wizard's page after the migration: what the plan's job found on
 * both hosts when it finished (checked, not assumed), its figures, advice after a failure,
 * the chart of the run and libvirt's words under Details. Filled when the job emits
 * `finished`. */
#pragma once

#include "mw-wizard-page.h"

G_BEGIN_DECLS

#define MW_TYPE_WIZARD_RESULT_PAGE (mw_wizard_result_page_get_type ())

G_DECLARE_FINAL_TYPE (MwWizardResultPage, mw_wizard_result_page, MW, WIZARD_RESULT_PAGE,
                      MwWizardPage)

/* The chart and ping strip of the run in their card, as a report's PNG shows them. */
GtkWidget *mw_wizard_result_page_get_chart_card (MwWizardResultPage *self);

G_END_DECLS
