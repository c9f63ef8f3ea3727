/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-pinger-private.h: a test hook — what the pinger's thread would post (a probe sent, its
 * reply, its loss), applied on the main thread as the thread's messages are. */
#pragma once

#include "mw-pinger.h"

G_BEGIN_DECLS

/* SENT (reply and lost FALSE: time_us is the send time), REPLY (time_us: arrival) or LOST. */
void mw_pinger_feed_for_test (MwPinger *self,
                              gboolean  reply,
                              gboolean  lost,
                              guint     index,
                              gint64    time_us,
                              gint64    rtt_us);

G_END_DECLS
