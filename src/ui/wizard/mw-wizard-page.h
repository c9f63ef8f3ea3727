/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-wizard-page.h: the base of the migration wizard's pages.
 *
 * A page shows part of an MwMigrationPlan (construct-only property `plan`) and writes the user's
 * choices back into it. The wizard asks a page whether the user may go on (`validate`, cached in
 * the read-only property `valid`, which notifies when the answer changes), has it `commit` its
 * choices before leaving it, and tells it when it is `shown`. `title` names the page in the
 * header's "Step 1 of 3: Destination". Each subclass has a template whose one top-level object
 * is the page's content, laid out as a bin; the base disposes it. Main thread only.
 */
#pragma once

#include <gtk/gtk.h>

#include "mw-migration-plan.h"

G_BEGIN_DECLS

#define MW_TYPE_WIZARD_PAGE (mw_wizard_page_get_type ())

G_DECLARE_DERIVABLE_TYPE (MwWizardPage, mw_wizard_page, MW, WIZARD_PAGE, GtkWidget)

struct _MwWizardPageClass
{
  GtkWidgetClass parent_class;

  /* Whether the user may go on from this page now. When not, *reason may be set to why (the
   * text the page itself shows), or left NULL. The default allows. */
  gboolean (*validate) (MwWizardPage  *self,
                        char         **reason);
  /* Writes the page's choices into the plan. The default writes nothing. */
  void     (*commit)   (MwWizardPage  *self);
  /* The page became the one shown. The default does nothing. */
  void     (*shown)    (MwWizardPage  *self);

  gpointer padding[8];
};

/* type: a subclass. */
GtkWidget       *mw_wizard_page_new        (GType             type,
                                            MwMigrationPlan  *plan);
MwMigrationPlan *mw_wizard_page_get_plan   (MwWizardPage     *self);
const char      *mw_wizard_page_get_title  (MwWizardPage     *self);
void             mw_wizard_page_set_title  (MwWizardPage     *self,
                                            const char       *title);
gboolean         mw_wizard_page_get_valid  (MwWizardPage     *self);

/* reason: (out) (optional) (transfer full). */
gboolean         mw_wizard_page_validate   (MwWizardPage     *self,
                                            char            **reason);
void             mw_wizard_page_commit     (MwWizardPage     *self);
void             mw_wizard_page_shown      (MwWizardPage     *self);

/* For subclasses, when something validate () reads changed: asks again and updates `valid`. */
void             mw_wizard_page_revalidate (MwWizardPage     *self);

G_END_DECLS
