/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-evacuation-sparkline.h: a guest's memory remaining as a small filled line, for a row of
 * the evacuation's progress list. It draws with the migration chart's layers (the same
 * decimation, scale and series drawing) on the same time axis (mw-plot-utils), without grid,
 * labels or legend; its accessible description says the latest figure. Main thread. */
#pragma once

#include <gtk/gtk.h>

#include "mw-sample-history.h"

G_BEGIN_DECLS

#define MW_TYPE_EVACUATION_SPARKLINE (mw_evacuation_sparkline_get_type ())

G_DECLARE_FINAL_TYPE (MwEvacuationSparkline, mw_evacuation_sparkline, MW, EVACUATION_SPARKLINE,
                      GtkWidget)

GtkWidget       *mw_evacuation_sparkline_new         (void);
MwSampleHistory *mw_evacuation_sparkline_get_history (MwEvacuationSparkline *self);
/* NULL: nothing drawn (a guest that does not migrate, or not yet). */
void             mw_evacuation_sparkline_set_history (MwEvacuationSparkline *self,
                                                      MwSampleHistory       *history);
/* How many pixel columns the last snapshot drew a point in (tests). */
guint            mw_evacuation_sparkline_get_n_points (MwEvacuationSparkline *self);
/* The latest figure in words, also the accessible description ("1.2 GiB left"). */
const char      *mw_evacuation_sparkline_get_summary (MwEvacuationSparkline *self);

G_END_DECLS
