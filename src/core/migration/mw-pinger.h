/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-pinger.h: ICMP echo to the guest every interval, as an unprivileged user can.
 *
 * Uses a datagram ICMP socket (SOCK_DGRAM, IPPROTO_ICMP / IPPROTO_ICMPV6), which Linux allows
 * to the groups in net.ipv4.ping_group_range; when the system forbids it, start() fails with
 * MW_PINGER_ERROR_FORBIDDEN and a message naming that sysctl. Sending and receiving run in the
 * pinger's own thread so that a busy main loop never delays or drops a probe; records reach the
 * main context in order through `changed`. Main-thread API.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MW_PINGER_ERROR (mw_pinger_error_quark ())

typedef enum
{
  MW_PINGER_ERROR_ADDRESS,    /* not an IPv4 or IPv6 address */
  MW_PINGER_ERROR_FORBIDDEN,  /* ping sockets not allowed for this user */
  MW_PINGER_ERROR_SOCKET,     /* anything else the socket said */
} MwPingerError;

typedef struct
{
  guint16 sequence;
  gint64 sent_us;             /* relative to the pinger's start_us */
  gint64 rtt_us;              /* -1: no reply (yet, or lost once timeout passed) */
  gboolean lost;              /* no reply within the timeout */
} MwPingRecord;

#define MW_TYPE_PINGER (mw_pinger_get_type ())

G_DECLARE_FINAL_TYPE (MwPinger, mw_pinger, MW, PINGER, GObject)

GQuark              mw_pinger_error_quark      (void);

/* address: a literal IPv4 or IPv6 address. interval_ms: 100 for the live view. A reply later
 * than timeout_ms counts as lost.
 *
 * When the datagram socket is refused but the process has CAP_NET_RAW (root on a host whose
 * ping_group_range excludes it, as on stock Debian for root), the pinger falls back to a raw
 * ICMP socket unless the `allow-raw` property is FALSE. */
MwPinger           *mw_pinger_new              (const char  *address,
                                                guint        interval_ms,
                                                guint        timeout_ms);
/* start_us: the monotonic time sent_us is measured from (so it shares the chart's axis). */
gboolean            mw_pinger_start            (MwPinger    *self,
                                                gint64       start_us,
                                                GError     **error);
void                mw_pinger_stop             (MwPinger    *self);
gboolean            mw_pinger_is_running       (MwPinger    *self);
const char         *mw_pinger_get_address      (MwPinger    *self);

/* One record per echo request sent, answered or not: the number sent. */
guint               mw_pinger_get_n_records    (MwPinger    *self);
const MwPingRecord *mw_pinger_get_record       (MwPinger    *self,
                                                guint        index);
guint               mw_pinger_get_received     (MwPinger    *self);
guint               mw_pinger_get_lost         (MwPinger    *self);
/* The longest time between two consecutive replies, in µs (the outage a user would notice). */
gint64              mw_pinger_get_longest_gap_us (MwPinger  *self);
guint               mw_pinger_get_interval_ms  (MwPinger    *self);
guint               mw_pinger_get_timeout_ms   (MwPinger    *self);

G_END_DECLS
