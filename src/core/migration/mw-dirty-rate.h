/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-dirty-rate.h: how fast a running guest dirties its memory, measured by libvirt and QEMU
 * before any migration starts.
 *
 * libvirt's own calculation (libvirt 7.2, within the 9.0 floor): virDomainStartDirtyRateCalc
 * asks QEMU (calc-dirty-rate, QEMU 5.2) to count the distinct pages the guest writes for a
 * number of seconds; the domain stats group VIR_DOMAIN_STATS_DIRTYRATE then gives
 * dirtyrate.calc_status (0 not started, 1 measuring, 2 measured) and
 * dirtyrate.megabytes_per_second (MiB/s, despite the name). The sampling mode is QEMU's default
 * (page sampling), the only one that works on every accelerator, TCG included. libvirt's test
 * driver does not implement the call ("this function is not supported by the connection
 * driver"), so against it the probe fails with that error, which callers treat as "not
 * measured".
 *
 * The triple as in libvirt-glib: a blocking call for workers, _async (GTask, its own thread)
 * and _finish. A GCancellable stops the wait for QEMU's result between two polls (every half
 * second); the calculation QEMU started ends by itself after its seconds.
 */
#pragma once

#include <gio/gio.h>
#include <libvirt/libvirt.h>

G_BEGIN_DECLS

/* What the policy and the forecast read. */
typedef struct
{
  guint64 bytes_per_second;
  guint seconds;              /* the window QEMU counted over */
} MwDirtyRate;

/* Worker. Measures domain (an open handle) over seconds (1–60). FALSE with an error (libvirt's,
 * or G_IO_ERROR_CANCELLED, or G_IO_ERROR_TIMED_OUT when QEMU gave no result within seconds + 5
 * s). */
gboolean mw_dirty_rate_measure_domain (virDomainPtr   domain,
                                       guint          seconds,
                                       GCancellable  *cancellable,
                                       MwDirtyRate   *rate,
                                       GError       **error);

/* Worker. Opens uri with the one opener, looks domain up (name or UUID) and measures it. */
gboolean mw_dirty_rate_measure        (const char    *uri,
                                       const char    *domain,
                                       guint          seconds,
                                       GCancellable  *cancellable,
                                       MwDirtyRate   *rate,
                                       GError       **error);

void     mw_dirty_rate_measure_async  (const char          *uri,
                                       const char          *domain,
                                       guint                seconds,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean mw_dirty_rate_measure_finish (GAsyncResult  *result,
                                       MwDirtyRate   *rate,
                                       GError       **error);

/* One translated sentence: "The guest is dirtying about 44 MiB/s (measured over 1 s)." */
char    *mw_dirty_rate_describe       (const MwDirtyRate *rate);

G_END_DECLS
