/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-ping-strip-private.h: hooks for the tests and for replaying a recorded trace; not API. */
#pragma once

#include "mw-ping-strip.h"
#include "mw-plot-utils.h"

G_BEGIN_DECLS

/* For tests on hosts where ping sockets are forbidden: draw a copy of these records instead
 * of a pinger's (NULL, 0 to go back to the pinger). */
void        mw_ping_strip_set_test_records (MwPingStrip        *self,
                                            const MwPingRecord *records,
                                            guint               n_records);
/* For tests: how many snapshot () ran, and the labels the last one drew (widget coordinates). */
guint       mw_ping_strip_get_n_snapshots  (MwPingStrip *self);
const MwPlotText *mw_ping_strip_get_texts  (MwPingStrip *self,
                                            guint       *n_texts);

G_END_DECLS
