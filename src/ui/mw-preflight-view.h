/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-preflight-view.h: an MwPreflight's checks as a list that fills in as they finish.
 *
 * Each row shows the check's state (spinner while it runs), its sentence, and expands to the
 * detail and how to fix it; a "Fix" button runs mw_preflight_fix_async when MigWizard can fix
 * it itself. A summary line on top counts what blocks. `blocking` is TRUE while at least one
 * check blocks, for a wizard to bind its Next button to. The view does not start the checks:
 * call mw_preflight_run.
 */
#pragma once

#include <gtk/gtk.h>

#include "mw-preflight.h"

G_BEGIN_DECLS

#define MW_TYPE_PREFLIGHT_VIEW (mw_preflight_view_get_type ())

G_DECLARE_FINAL_TYPE (MwPreflightView, mw_preflight_view, MW, PREFLIGHT_VIEW, GtkWidget)

GtkWidget   *mw_preflight_view_new           (MwPreflight     *preflight);
MwPreflight *mw_preflight_view_get_preflight (MwPreflightView *self);
gboolean     mw_preflight_view_get_blocking  (MwPreflightView *self);

G_END_DECLS
