/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-list-reveal.h: a long list shown a few rows per frame, so that filling it, or changing all
 * of it at once, never holds the main loop for long.
 *
 * GTK 4.8's GtkListView keeps a row widget for up to 200 items around its anchor, whatever its
 * height, and makes them all in the main-loop dispatch that added the items: for a plan of 300
 * guests that is 200 templates built, bound, measured and drawn in one go (about 0.3 s of the
 * main thread on the project's machine), and as much again to destroy them when the whole list
 * changes. An MwListReveal sits between the list's model and the list view: a GtkSliceListModel
 * that shows the first `step` items of the source at once, then, every frame of the widget it
 * paces on, as many more as fit in a few milliseconds, until it shows them all; items added
 * later come in the same way.
 *
 * A change of the whole list (another model, another sort order or filter) goes through
 * mw_list_reveal_change (): `apply` runs at once when the list shows at most `step` rows;
 * otherwise the list first drops its rows, as many a frame as fit in those milliseconds, and
 * `apply` runs once it is down to `step`. The source itself is never held back: only the list
 * view lags. Main thread. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MW_TYPE_LIST_REVEAL (mw_list_reveal_get_type ())

G_DECLARE_FINAL_TYPE (MwListReveal, mw_list_reveal, MW, LIST_REVEAL, GObject)

/* Applies the owner's wanted model, sort order or filter to the source. */
typedef void (*MwListRevealApply) (gpointer user_data);

/* source: the list's whole model (a reference is kept); widget: the one whose frame clock
 * paces the reveal (weak; the list view); apply: see mw_list_reveal_change (). */
MwListReveal *mw_list_reveal_new         (GListModel        *source,
                                          GtkWidget         *widget,
                                          guint              step,
                                          MwListRevealApply  apply,
                                          gpointer           user_data);
/* What the list view shows: the source's first items, more each frame. */
GListModel   *mw_list_reveal_get_model   (MwListReveal      *self);
/* Runs apply now, or once the list is down to `step` rows (a later call before then still
 * runs it once). */
void          mw_list_reveal_change      (MwListReveal      *self);
/* No change waits and the list shows every item of the source. */
gboolean      mw_list_reveal_get_settled (MwListReveal      *self);
/* Stops pacing, before the widget goes (a pending change is dropped). */
void          mw_list_reveal_stop        (MwListReveal      *self);

G_END_DECLS
