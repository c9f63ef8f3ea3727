/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-ping-strip.h: a thin strip of the guest's ping replies, on the migration chart's x axis.
 *
 * Each probe is a tick at its send time: the success colour for a reply, the error colour for
 * a probe lost, dim while it waits; the longest gap between replies is shaded and read out.
 *
 * Shared axis: bind `start-us`, `end-us`, `plot-inset-start` and `plot-inset-end` from an
 * MwMigrationChart of the same width (stack both in a vertical box), as
 * mw_migration_chart_bind_axis () does; unbound, the strip draws its own 0-5 s window. Record
 * times are relative to the pinger's start, chart times to the history's start; the two line
 * up because the caller passes the same monotonic time to mw_pinger_start () and
 * mw_sample_history_set_start_us ().
 * Main thread only.
 */
#pragma once

#include <gtk/gtk.h>

#include "mw-pinger.h"

G_BEGIN_DECLS

#define MW_TYPE_PING_STRIP (mw_ping_strip_get_type ())

G_DECLARE_FINAL_TYPE (MwPingStrip, mw_ping_strip, MW, PING_STRIP, GtkWidget)

GtkWidget  *mw_ping_strip_new              (MwPinger    *pinger);
MwPinger   *mw_ping_strip_get_pinger       (MwPingStrip *self);
void        mw_ping_strip_set_pinger       (MwPingStrip *self,
                                            MwPinger    *pinger);
gint64      mw_ping_strip_get_start_us     (MwPingStrip *self);
void        mw_ping_strip_set_start_us     (MwPingStrip *self,
                                            gint64       start_us);
gint64      mw_ping_strip_get_end_us       (MwPingStrip *self);
void        mw_ping_strip_set_end_us       (MwPingStrip *self,
                                            gint64       end_us);
int         mw_ping_strip_get_plot_inset_start (MwPingStrip *self);
void        mw_ping_strip_set_plot_inset_start (MwPingStrip *self,
                                                int          inset);
int         mw_ping_strip_get_plot_inset_end   (MwPingStrip *self);
void        mw_ping_strip_set_plot_inset_end   (MwPingStrip *self,
                                                int          inset);
/* Sent, replies, lost and the longest gap in words; also the accessible description. */
const char *mw_ping_strip_get_summary      (MwPingStrip *self);

G_END_DECLS
