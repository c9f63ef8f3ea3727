/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-connection.h: one libvirt connection and the live list of its domains.
 *
 * Main thread object. Every libvirt call it makes runs in a GTask worker thread; results come
 * back to the main thread and only there touch the object. Domain lifecycle events (dispatched
 * on the default main context by gvir_event_register) keep `domains` current without polling:
 * an event queues the domain for a re-read, and one worker at a time re-reads the queued ones,
 * so events stay in order and a burst costs one round trip. Keepalive (5 s, 3 missed) and a close
 * callback turn a dropped connection into state DISCONNECTED with `error-message` set and the
 * `lost` signal.
 *
 * Signals:
 *   lost (MwConnection *self, const char *reason, gpointer user_data)
 *     The open connection dropped (close callback: EOF, keepalive timeout, error). By the time
 *     it is emitted the state is DISCONNECTED, the domain list is empty and `error-message`
 *     holds reason, a plain translated sentence such as "The host stopped answering.".
 *     Not emitted for mw_connection_disconnect () or for a connect that fails.
 *
 * Properties besides the getters below: `n-domains` (guint), the size of `domains`, notified
 * when it changes.
 */
#pragma once

#include <gio/gio.h>
#include <libvirt/libvirt.h>

#include "mw-domain.h"

G_BEGIN_DECLS

#define MW_CONNECTION_ERROR (mw_connection_error_quark ())

typedef enum
{
  MW_CONNECTION_ERROR_NOT_CONNECTED,
  MW_CONNECTION_ERROR_BUSY,
} MwConnectionError;

typedef enum
{
  MW_CONNECTION_STATE_DISCONNECTED,
  MW_CONNECTION_STATE_CONNECTING,
  MW_CONNECTION_STATE_CONNECTED,
  MW_CONNECTION_STATE_FAILED,
} MwConnectionState;

#define MW_TYPE_CONNECTION (mw_connection_get_type ())

G_DECLARE_FINAL_TYPE (MwConnection, mw_connection, MW, CONNECTION, GObject)

GQuark             mw_connection_error_quark       (void);

MwConnection      *mw_connection_new               (const char *uri);

const char        *mw_connection_get_uri           (MwConnection *self);
const char        *mw_connection_get_title         (MwConnection *self);
MwConnectionState  mw_connection_get_state         (MwConnection *self);
/* Why it failed or was lost, in libvirt's words; NULL when there is nothing to say. */
const char        *mw_connection_get_error_message (MwConnection *self);
gboolean           mw_connection_get_autoconnect   (MwConnection *self);
void               mw_connection_set_autoconnect   (MwConnection *self,
                                                    gboolean      autoconnect);
/* The host's name as libvirt reports it once connected, else NULL. */
const char        *mw_connection_get_hostname      (MwConnection *self);
/* A GListModel of MwDomain; the same object for the connection's whole life. Empty when not
 * connected. */
GListModel        *mw_connection_get_domains       (MwConnection *self);
MwDomain          *mw_connection_find_domain       (MwConnection *self,
                                                    const char   *name);

/* Opens the connection, registers for events, reads every domain. While one connect is running
 * a second one fails with MW_CONNECTION_ERROR_BUSY. Cancelling cancellable also withdraws a
 * credentials question the attempt is waiting on (mw-credentials.h's provider). */
void               mw_connection_connect_async     (MwConnection        *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean           mw_connection_connect_finish    (MwConnection        *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
/* Deregisters events, empties the domain list and closes the libvirt connection in a worker.
 * State becomes DISCONNECTED. Does nothing when not connected. */
void               mw_connection_disconnect        (MwConnection        *self);

/* Reads every domain from the host again in a worker: domains gone from the host leave the
 * list, new ones join it, the others are updated in place. Events keep the list current as long
 * as libvirt sends them; this is for when it may not have: after a migration (the source's
 * confirm step removes the domain after its STOPPED event, with no UNDEFINED event). UNDEFINED
 * and STOPPED (migrated) events do it by themselves. Does nothing when not connected. */
void               mw_connection_reload            (MwConnection        *self);

/* The open libvirt connection, for core operations that run in worker threads (libvirt
 * connections are thread-safe). Borrowed; NULL when not connected. Take a reference with
 * virConnectRef() to keep it past the next main-loop iteration. */
virConnectPtr      mw_connection_get_virconnect    (MwConnection *self);

G_END_DECLS
