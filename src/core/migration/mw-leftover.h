/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-leftover.h: the unfinished incoming copy a failed migration can leave on its destination.
 *
 * When the destination's libvirt daemon dies mid-migration, its incoming QEMU keeps existing,
 * paused, with only part of the guest's memory. The source aborts and the guest keeps running
 * there. A restarted daemon reconnects to that QEMU, finds its migration unfinished and kills
 * it (libvirt 9.0 within a second; libvirt 11.3 about 1.5 s after it starts, and until then
 * lists the domain "paused"). Until then the destination lists a guest that never ran there.
 *
 * mw_leftover_remove destroys that copy, and only that: the guest must be running on the source
 * and the destination's copy paused as an incoming migration (never a post-copy guest, whose
 * memory is split between the hosts, and never a guest that runs).
 */
#pragma once

#include <gio/gio.h>
#include <libvirt/libvirt.h>

G_BEGIN_DECLS

/* TRUE for the state and reason (virDomainGetState) of an unfinished incoming copy: paused
 * as an incoming migration leaves it (reason migration, starting up or unknown), or being shut
 * down. Never for running, user-paused or post-copy states. */
gboolean mw_leftover_state_is_unfinished (int state,
                                          int reason);
/* Worker. TRUE when dom is an unfinished incoming copy: active and paused as an incoming
 * migration leaves it (reason migration, starting up or unknown), or being shut down. */
gboolean mw_leftover_is_unfinished_copy (virDomainPtr   dom);

gboolean mw_leftover_remove             (const char    *source_uri,
                                         const char    *destination_uri,
                                         const char    *domain_name,
                                         GCancellable  *cancellable,
                                         GError       **error);
void     mw_leftover_remove_async       (const char          *source_uri,
                                         const char          *destination_uri,
                                         const char          *domain_name,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean mw_leftover_remove_finish      (GAsyncResult  *result,
                                         GError       **error);

G_END_DECLS
