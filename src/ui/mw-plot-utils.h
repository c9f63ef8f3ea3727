/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-plot-utils.h: what the migration chart and the ping strip draw with, once: the caption
 * layout of their axis labels, theme colours, and text placed in a snapshot. Main thread. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Caption-sized with tabular figures, so axis labels don't wobble as they change. */
PangoLayout *mw_plot_label_layout_new (GtkWidget     *widget);
int          mw_plot_text_width       (PangoLayout   *layout,
                                       const char    *text);
/* The height of one line of figures. */
int          mw_plot_text_height      (PangoLayout   *layout);
/* The theme's named colour, else fallback's (may be NULL), else the foreground: never a literal. */
void         mw_plot_lookup_color     (GtkWidget     *widget,
                                       const char    *name,
                                       const char    *fallback,
                                       GdkRGBA       *color);
/* text with its top at y, and x at xalign of its width (0 left, 0.5 centre, 1 right). */
void         mw_plot_append_text      (GtkSnapshot   *snapshot,
                                       PangoLayout   *layout,
                                       const char    *text,
                                       float          x,
                                       float          y,
                                       float          xalign,
                                       const GdkRGBA *color);

G_END_DECLS
