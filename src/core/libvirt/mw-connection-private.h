/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-connection-private.h: what the two halves of MwConnection share. mw-connection.c opens,
 * closes and loses the connection; mw-connection-domains.c keeps its domain list current. */
#pragma once

#include "mw-connection.h"
#include "mw-libvirt.h"

G_BEGIN_DECLS

/* One connect attempt. libvirt keeps it as the opaque pointer of the lifecycle callback, and the
 * close watch and the workers hold it too. It outlives the MwConnection if it has to (it may be
 * freed on any thread, hence the atomic refcount) and points back to it only while that
 * connection attempt is current: teardown sets `self` to NULL, so late events and late worker
 * results are dropped. */
typedef struct
{
  char *uri;           /* read-only: what this attempt connects to */
  MwConnection *self;  /* main thread only; NULL once this attempt is no longer current */
  char *lost_reason;   /* main thread only: the connection dropped before connect finished */
  gulong cancelled_id; /* main thread only: its handler on the attempt's cancellable, or 0 */
} MwConnectionContext;

struct _MwConnection
{
  GObject parent_instance;

  /* Owned */
  char *uri;
  char *title;
  char *error_message;
  char *hostname;
  MwConnectionState state;
  gboolean autoconnect;
  GListStore *domains;          /* MwDomain */
  GHashTable *domains_by_uuid;  /* uuid (owned by the MwDomain) → MwDomain, mirrors domains */
  virConnectPtr conn;           /* set only while CONNECTED */
  int lifecycle_callback_id;    /* -1 when not registered */
  MwLibvirtCloseWatch *close_watch;  /* NULL when not registered */
  MwConnectionContext *context; /* of the current connect attempt, or NULL */

  /* Domain UUIDs waiting for a re-read, in event order, without duplicates. The set owns the
   * strings; the queue borrows them. */
  GQueue pending_queue;
  GHashTable *pending_set;
  gboolean reload_pending;      /* the next refresh re-reads every domain, not just the queue */
  gboolean refresh_in_flight;
  guint recheck_id;             /* a reload a moment after a domain migrated away */
};

MwConnectionContext *mw_connection_context_ref   (MwConnectionContext *context);
/* Any thread; also libvirt's virFreeCallback. */
void                 mw_connection_context_unref (void                *context);

/* mw-connection-domains.c, worker thread: registers the lifecycle callback that keeps the list
 * current (-1 with libvirt's error set when it cannot), then reads every domain. */
int                  mw_connection_watch_domains (virConnectPtr        conn,
                                                  MwConnectionContext *context);
GArray              *mw_connection_list_domains  (virConnectPtr        conn,
                                                  GError             **error);

/* mw-connection-domains.c, main thread. */
void                 mw_connection_set_domains   (MwConnection        *self,
                                                  GArray              *infos);
void                 mw_connection_clear_domains (MwConnection        *self);
/* Re-reads what events queued (and a pending reload) while the connect worker ran. */
void                 mw_connection_refresh_pending (MwConnection      *self);
void                 mw_connection_clear_pending (MwConnection        *self);
/* Queues one domain for a re-read, as its lifecycle event does. */
void                 mw_connection_queue_refresh (MwConnection        *self,
                                                  const char          *uuid);

G_END_DECLS
