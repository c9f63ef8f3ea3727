/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-plot-utils.c: labels and colours shared by the chart and the ping strip. */
#include "config.h"

#include <math.h>

#include "mw-plot-utils.h"

PangoLayout *
mw_plot_label_layout_new (GtkWidget *widget)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, NULL);
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_scale_new (0.8333));
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);

  return layout;
}

int
mw_plot_text_width (PangoLayout *layout,
                    const char  *text)
{
  int width;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &width, NULL);

  return width;
}

int
mw_plot_text_height (PangoLayout *layout)
{
  int height;

  pango_layout_set_text (layout, "0:00", -1);
  pango_layout_get_pixel_size (layout, NULL, &height);

  return height;
}

void
mw_plot_lookup_color (GtkWidget  *widget,
                      const char *name,
                      const char *fallback,
                      GdkRGBA    *color)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  if (gtk_style_context_lookup_color (context, name, color))
    return;
  if (fallback != NULL && gtk_style_context_lookup_color (context, fallback, color))
    return;
  gtk_style_context_get_color (context, color);
}

void
mw_plot_append_text (GtkSnapshot   *snapshot,
                     PangoLayout   *layout,
                     const char    *text,
                     float          x,
                     float          y,
                     float          xalign,
                     const GdkRGBA *color)
{
  int width;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &width, NULL);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (roundf (x - xalign * width),
                                                          roundf (y)));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}
