/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-libvirt.h: process-wide libvirt set-up and libvirt errors as GErrors. */
#pragma once

#include <gio/gio.h>
#include <libvirt/libvirt.h>

G_BEGIN_DECLS

#define MW_LIBVIRT_ERROR (mw_libvirt_error_quark ())

GQuark   mw_libvirt_error_quark  (void);

/* Call once from main() before any main loop runs: ignores SIGPIPE (pipes to ssh), initialises
 * libvirt, registers the GLib event loop implementation (gvir_event_register) so events and
 * keepalives are dispatched on the default main context, and stops libvirt printing errors on
 * stderr. Idempotent. */
void     mw_libvirt_init         (void);

/* Turns the calling thread's last libvirt error into a GError (MW_LIBVIRT_ERROR, code = the
 * virErrorNumber). libvirt keeps errors per thread: call this in the worker that failed.
 * prefix, when given, is put before libvirt's own text ("Could not connect: …"). */
void     mw_libvirt_set_error    (GError    **error,
                                  const char *prefix);

/* TRUE when the calling thread's last libvirt error has this virErrorNumber (VIR_ERR_NO_DOMAIN:
 * the host answered that it has no such domain, as opposed to not answering). */
gboolean mw_libvirt_last_error_is (int code);

/* Worker. Opens a libvirt connection that never waits for a person: ssh URIs get no_tty=1 (a
 * prompt fails instead), the auth callback refuses every credential, and a keepalive of 5 s × 3
 * notices a dead peer. prefix as for mw_libvirt_set_error. */
virConnectPtr mw_libvirt_open    (const char *uri,
                                  const char *prefix,
                                  GError    **error);

G_END_DECLS
