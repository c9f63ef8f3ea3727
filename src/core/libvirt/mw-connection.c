/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-connection.c: one libvirt connection and the live list of its domains.
 *
 * Threads: the MwConnection and its domain list belong to the main thread. Workers (connect,
 * refresh, close) receive copies of what they need plus their own virConnectPtr reference, and
 * hand plain structs back; only the main-thread completion callbacks touch the object.
 *
 * libvirt keeps an EventContext as the opaque pointer of the lifecycle and close callbacks. It
 * outlives the MwConnection if it has to (libvirt may free it from any thread, hence the atomic
 * refcount) and points back to it only while that connection attempt is current: teardown sets
 * context->self to NULL, so late events and late worker results are dropped.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <libvirt/virterror.h>

#include "mw-connection.h"
#include "mw-core-enums.h"
#include "mw-libvirt.h"
#include "mw-uri.h"


typedef struct
{
  MwConnection *self;  /* main thread only; NULL once this attempt is no longer current */
  char *lost_reason;   /* main thread only: the connection dropped before connect finished */
} EventContext;

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
  EventContext *close_context;  /* the close callback's opaque, or NULL when not registered */
  EventContext *event_context;  /* of the current connect attempt, or NULL */

  /* Domain UUIDs waiting for a re-read, in event order, without duplicates. The set owns the
   * strings; the queue borrows them. */
  GQueue pending_queue;
  GHashTable *pending_set;
  gboolean refresh_in_flight;
};

G_DEFINE_FINAL_TYPE (MwConnection, mw_connection, G_TYPE_OBJECT)

G_DEFINE_QUARK (mw-connection-error-quark, mw_connection_error)

enum
{
  PROP_0,
  PROP_URI,
  PROP_TITLE,
  PROP_STATE,
  PROP_ERROR_MESSAGE,
  PROP_AUTOCONNECT,
  PROP_HOSTNAME,
  PROP_DOMAINS,
  PROP_N_DOMAINS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_LOST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* EventContext */

static EventContext *
event_context_new (MwConnection *self)
{
  EventContext *context = g_atomic_rc_box_new0 (EventContext);

  context->self = self;
  return context;
}

static EventContext *
event_context_ref (EventContext *context)
{
  return g_atomic_rc_box_acquire (context);
}

static void
event_context_clear (gpointer data)
{
  EventContext *context = data;

  g_free (context->lost_reason);
}

/* Also libvirt's virFreeCallback, so it may run on any thread. */
static void
event_context_unref (void *data)
{
  g_atomic_rc_box_release_full (data, event_context_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EventContext, event_context_unref)

/* libvirt callbacks */

static void queue_refresh (MwConnection *self,
                           const char   *uuid);

/* Runs on the main thread: gvir_event_register dispatches libvirt events from the default main
 * context. */
static int
on_domain_lifecycle_cb (virConnectPtr  conn,
                        virDomainPtr   domain,
                        int            event,
                        int            detail,
                        void          *opaque)
{
  EventContext *context = opaque;
  char uuid[VIR_UUID_STRING_BUFLEN];

  if (context->self == NULL)
    return 0;

  /* Reads the handle the event carries; no round trip to the daemon. */
  if (virDomainGetUUIDString (domain, uuid) < 0)
    {
      virResetLastError ();
      return 0;
    }

  queue_refresh (context->self, uuid);
  return 0;
}

typedef struct
{
  EventContext *context;
  int reason;
} LostData;

static void
lost_data_free (gpointer data)
{
  LostData *lost = data;

  event_context_unref (lost->context);
  g_free (lost);
}

static const char *
close_reason_to_string (int reason)
{
  switch (reason)
    {
    case VIR_CONNECT_CLOSE_REASON_ERROR:
      return _("The connection failed because of a network or protocol error.");
    case VIR_CONNECT_CLOSE_REASON_EOF:
      return _("The host closed the connection.");
    case VIR_CONNECT_CLOSE_REASON_KEEPALIVE:
      return _("The host stopped answering.");
    case VIR_CONNECT_CLOSE_REASON_CLIENT:
      return _("The connection was closed.");
    default:
      return _("The connection was lost.");
    }
}

static void connection_lost (MwConnection *self,
                             const char   *reason);

static gboolean
on_lost_idle_cb (gpointer data)
{
  LostData *lost = data;
  MwConnection *self = lost->context->self;
  const char *reason = close_reason_to_string (lost->reason);

  if (self == NULL)
    return G_SOURCE_REMOVE;

  if (self->state == MW_CONNECTION_STATE_CONNECTING)
    {
      /* The connect worker may still succeed with a dead handle; it checks this when done. */
      g_free (lost->context->lost_reason);
      lost->context->lost_reason = g_strdup (reason);
    }
  else if (self->state == MW_CONNECTION_STATE_CONNECTED)
    connection_lost (self, reason);

  return G_SOURCE_REMOVE;
}

/* May run on whichever thread noticed the drop, even a worker blocked in a libvirt call. */
static void
on_connection_closed_cb (virConnectPtr  conn,
                         int            reason,
                         void          *opaque)
{
  LostData *lost = g_new0 (LostData, 1);

  lost->context = event_context_ref (opaque);
  lost->reason = reason;
  g_idle_add_full (G_PRIORITY_DEFAULT, on_lost_idle_cb, lost, lost_data_free);
}

/* Worker helpers: everything below up to the next section runs in worker threads only. */

/* Drops what a connection registered, then our reference. Worker thread only.
 *
 * The close callback is registered without a free function because drivers without close
 * callbacks (test, local qemu) accept the registration and never free anything: we keep the
 * opaque's reference ourselves and drop it once the callback can no longer run. */
static void
close_connection (virConnectPtr  conn,
                  int            lifecycle_callback_id,
                  EventContext  *close_context)
{
  if (lifecycle_callback_id >= 0)
    virConnectDomainEventDeregisterAny (conn, lifecycle_callback_id);
  if (close_context != NULL)
    {
      virConnectUnregisterCloseCallback (conn, on_connection_closed_cb);
      event_context_unref (close_context);
    }
  virConnectClose (conn);

  /* Failures here (a dead connection) are expected and interest nobody. */
  virResetLastError ();
}

typedef struct
{
  virConnectPtr conn;
  int lifecycle_callback_id;
  EventContext *close_context;
} CloseData;

static void
close_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CloseData *data = task_data;

  close_connection (data->conn, data->lifecycle_callback_id, data->close_context);
  g_task_return_boolean (task, TRUE);
}

/* Main thread: hands conn (our reference) to a worker that deregisters and closes it. No source
 * object, so a closing connection never keeps the MwConnection alive. */
static void
close_in_thread (virConnectPtr  conn,
                 int            lifecycle_callback_id,
                 EventContext  *close_context)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);
  CloseData *data = g_new0 (CloseData, 1);

  data->conn = conn;
  data->lifecycle_callback_id = lifecycle_callback_id;
  data->close_context = close_context;

  g_task_set_source_tag (task, close_in_thread);
  g_task_set_task_data (task, data, g_free);
  g_task_run_in_thread (task, close_thread);
}

/* Fills info from a domain handle. FALSE leaves libvirt's error set for the caller to read. */
static gboolean
read_domain_info (virDomainPtr  domain,
                  MwDomainInfo *info)
{
  char uuid[VIR_UUID_STRING_BUFLEN];
  virDomainInfo libvirt_info;
  int persistent;

  if (virDomainGetUUIDString (domain, uuid) < 0 || virDomainGetInfo (domain, &libvirt_info) < 0)
    return FALSE;

  persistent = virDomainIsPersistent (domain);
  if (persistent < 0)
    return FALSE;

  info->name = g_strdup (virDomainGetName (domain));
  info->uuid = g_strdup (uuid);
  info->state = libvirt_info.state <= MW_DOMAIN_STATE_PMSUSPENDED
                  ? (MwDomainState) libvirt_info.state
                  : MW_DOMAIN_STATE_NOSTATE;
  info->vcpus = libvirt_info.nrVirtCpu;
  info->memory_kib = libvirt_info.memory;
  info->max_memory_kib = libvirt_info.maxMem;
  info->persistent = persistent == 1;

  return TRUE;
}

/* Connect */

typedef struct
{
  char *uri;
  EventContext *context;
} ConnectData;

static void
connect_data_free (gpointer data)
{
  ConnectData *connect = data;

  g_free (connect->uri);
  event_context_unref (connect->context);
  g_free (connect);
}

typedef struct
{
  virConnectPtr conn;
  int lifecycle_callback_id;
  EventContext *close_context;
  char *hostname;
  GArray *domains;  /* MwDomainInfo */
} ConnectResult;

static ConnectResult *
connect_result_new (void)
{
  ConnectResult *result = g_new0 (ConnectResult, 1);

  result->lifecycle_callback_id = -1;
  result->domains = g_array_new (FALSE, TRUE, sizeof (MwDomainInfo));
  g_array_set_clear_func (result->domains, (GDestroyNotify) mw_domain_info_clear);

  return result;
}

/* Only a result nobody consumed still holds a connection; close it off the main thread. */
static void
connect_result_free (gpointer data)
{
  ConnectResult *result = data;

  if (result->conn != NULL)
    close_in_thread (result->conn, result->lifecycle_callback_id, result->close_context);

  g_free (result->hostname);
  g_array_unref (result->domains);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConnectResult, connect_result_free)

/* Worker: undoes a half-made connection in the worker that made it. */
static void
connect_result_close (ConnectResult *result)
{
  close_connection (result->conn, result->lifecycle_callback_id, result->close_context);
  result->conn = NULL;
  result->lifecycle_callback_id = -1;
  result->close_context = NULL;
}

static void
connect_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ConnectData *data = task_data;
  g_autoptr(ConnectResult) result = connect_result_new ();
  virDomainPtr *domains = NULL;
  char *hostname;
  GError *error = NULL;
  int n_domains;

  /* No tty, no credential prompt, keepalive: the one opener (mw-libvirt.h). */
  result->conn = mw_libvirt_open (data->uri, NULL, &error);
  if (result->conn == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (virConnectRegisterCloseCallback (result->conn, on_connection_closed_cb, data->context,
                                       NULL) == 0)
    result->close_context = event_context_ref (data->context);
  else
    virResetLastError ();

  /* Registered before listing, so no change between the list and the first event is missed. */
  result->lifecycle_callback_id =
    virConnectDomainEventRegisterAny (result->conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                      VIR_DOMAIN_EVENT_CALLBACK (on_domain_lifecycle_cb),
                                      event_context_ref (data->context), event_context_unref);
  if (result->lifecycle_callback_id < 0)
    {
      event_context_unref (data->context);
      mw_libvirt_set_error (&error, _("Could not watch the host’s domains"));
      connect_result_close (result);
      g_task_return_error (task, error);
      return;
    }

  n_domains = virConnectListAllDomains (result->conn, &domains, 0);
  if (n_domains < 0)
    {
      mw_libvirt_set_error (&error, _("Could not list the host’s domains"));
      connect_result_close (result);
      g_task_return_error (task, error);
      return;
    }

  for (int i = 0; i < n_domains; i++)
    {
      MwDomainInfo info = { 0 };

      /* A domain undefined since the list was made is skipped; its event removes nothing. */
      if (read_domain_info (domains[i], &info))
        g_array_append_val (result->domains, info);
      else
        {
          mw_domain_info_clear (&info);
          virResetLastError ();
        }
      virDomainFree (domains[i]);
    }
  free (domains);

  hostname = virConnectGetHostname (result->conn);
  if (hostname != NULL)
    {
      result->hostname = g_strdup (hostname);
      free (hostname);
    }
  else
    virResetLastError ();

  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      connect_result_close (result);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&result), connect_result_free);
}

/* Main thread state changes */

static void
set_state (MwConnection      *self,
           MwConnectionState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_string_property (MwConnection  *self,
                     char         **field,
                     const char    *value,
                     guint          prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
clear_domains (MwConnection *self)
{
  g_hash_table_remove_all (self->domains_by_uuid);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->domains)) > 0)
    g_list_store_remove_all (self->domains);
}

static void
clear_pending (MwConnection *self)
{
  g_queue_clear (&self->pending_queue);
  g_hash_table_remove_all (self->pending_set);
  self->refresh_in_flight = FALSE;
}

/* Lets go of the current attempt: late events and worker results are dropped from here on, and
 * the libvirt connection is closed in a worker. Notifies nothing. */
static void
teardown (MwConnection *self)
{
  if (self->event_context != NULL)
    {
      self->event_context->self = NULL;
      g_clear_pointer (&self->event_context, event_context_unref);
    }

  if (self->conn != NULL)
    {
      close_in_thread (g_steal_pointer (&self->conn), self->lifecycle_callback_id,
                       g_steal_pointer (&self->close_context));
      self->lifecycle_callback_id = -1;
    }

  clear_pending (self);
}

static void
connection_lost (MwConnection *self,
                 const char   *reason)
{
  g_autoptr(GObject) guard = g_object_ref (G_OBJECT (self));

  teardown (self);

  g_object_freeze_notify (G_OBJECT (self));
  clear_domains (self);
  set_string_property (self, &self->hostname, NULL, PROP_HOSTNAME);
  set_string_property (self, &self->error_message, reason, PROP_ERROR_MESSAGE);
  set_state (self, MW_CONNECTION_STATE_DISCONNECTED);
  g_object_thaw_notify (G_OBJECT (self));

  g_signal_emit (self, signals[SIGNAL_LOST], 0, reason);
}

/* Refresh: one worker at a time re-reads every queued domain. */

typedef struct
{
  virConnectPtr conn;  /* our own reference */
  GStrv uuids;
  EventContext *context;
} RefreshData;

static void
refresh_data_free (gpointer data)
{
  RefreshData *refresh = data;

  /* The worker has dropped conn; only a task that never ran still holds it. */
  g_assert (refresh->conn == NULL);
  g_strfreev (refresh->uuids);
  event_context_unref (refresh->context);
  g_free (refresh);
}

typedef struct
{
  char *uuid;
  gboolean gone;
  MwDomainInfo info;  /* valid when !gone */
} RefreshEntry;

static void
refresh_entry_free (gpointer data)
{
  RefreshEntry *entry = data;

  g_free (entry->uuid);
  mw_domain_info_clear (&entry->info);
  g_free (entry);
}

static void
refresh_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  RefreshData *data = task_data;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (refresh_entry_free);

  for (guint i = 0; data->uuids[i] != NULL; i++)
    {
      RefreshEntry *entry = g_new0 (RefreshEntry, 1);
      virDomainPtr domain;

      entry->uuid = g_strdup (data->uuids[i]);
      domain = virDomainLookupByUUIDString (data->conn, data->uuids[i]);

      if (domain != NULL && read_domain_info (domain, &entry->info))
        g_ptr_array_add (entries, entry);
      else if (mw_libvirt_last_error_is (VIR_ERR_NO_DOMAIN))
        {
          entry->gone = TRUE;
          g_ptr_array_add (entries, entry);
        }
      else
        {
          /* Some other failure (the connection is going away): leave the domain as it is. */
          refresh_entry_free (entry);
        }

      if (domain != NULL)
        virDomainFree (domain);
      virResetLastError ();
    }

  virConnectClose (g_steal_pointer (&data->conn));
  virResetLastError ();

  g_task_return_pointer (task, g_steal_pointer (&entries), (GDestroyNotify) g_ptr_array_unref);
}

static void start_refresh (MwConnection *self);

static void
apply_refresh (MwConnection *self,
               GPtrArray    *entries)
{
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < entries->len; i++)
    {
      RefreshEntry *entry = g_ptr_array_index (entries, i);
      MwDomain *domain = g_hash_table_lookup (self->domains_by_uuid, entry->uuid);

      if (entry->gone)
        {
          guint position;

          if (domain == NULL)
            continue;

          if (g_list_store_find (self->domains, domain, &position))
            g_list_store_remove (self->domains, position);
          g_hash_table_remove (self->domains_by_uuid, entry->uuid);
        }
      else if (domain != NULL)
        mw_domain_update (domain, &entry->info);
      else
        {
          domain = mw_domain_new (self, &entry->info);
          g_hash_table_insert (self->domains_by_uuid, (char *) mw_domain_get_uuid (domain),
                               g_object_ref (domain));
          g_ptr_array_add (added, domain);
        }
    }

  /* New domains land together: one items-changed however big the burst was. */
  if (added->len > 0)
    g_list_store_splice (self->domains,
                         g_list_model_get_n_items (G_LIST_MODEL (self->domains)),
                         0, added->pdata, added->len);
}

static void
on_refresh_done_cb (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  RefreshData *data = g_task_get_task_data (G_TASK (result));
  MwConnection *self = data->context->self;
  g_autoptr(GPtrArray) entries = g_task_propagate_pointer (G_TASK (result), NULL);

  /* Disconnected, lost or reconnected meanwhile: the result is of a connection that is gone. */
  if (self == NULL || entries == NULL)
    return;

  self->refresh_in_flight = FALSE;
  apply_refresh (self, entries);

  if (!g_queue_is_empty (&self->pending_queue))
    start_refresh (self);
}

static void
start_refresh (MwConnection *self)
{
  g_autoptr(GTask) task = NULL;
  RefreshData *data;
  guint n = 0;

  g_assert (self->conn != NULL);
  g_assert (!self->refresh_in_flight);

  data = g_new0 (RefreshData, 1);
  data->conn = self->conn;
  virConnectRef (data->conn);
  data->context = event_context_ref (self->event_context);
  data->uuids = g_new0 (char *, self->pending_queue.length + 1);
  for (GList *l = self->pending_queue.head; l != NULL; l = l->next)
    data->uuids[n++] = g_strdup (l->data);

  g_queue_clear (&self->pending_queue);
  g_hash_table_remove_all (self->pending_set);
  self->refresh_in_flight = TRUE;

  /* No source object: the EventContext tells the callback whether the connection still cares. */
  task = g_task_new (NULL, NULL, on_refresh_done_cb, NULL);
  g_task_set_source_tag (task, start_refresh);
  g_task_set_task_data (task, data, refresh_data_free);
  g_task_run_in_thread (task, refresh_thread);
}

static void
queue_refresh (MwConnection *self,
               const char   *uuid)
{
  char *copy;

  if (!g_hash_table_contains (self->pending_set, uuid))
    {
      copy = g_strdup (uuid);
      g_hash_table_add (self->pending_set, copy);
      g_queue_push_tail (&self->pending_queue, copy);
    }

  /* Before the connect result is in, the queue waits for it. */
  if (self->conn != NULL && !self->refresh_in_flight)
    start_refresh (self);
}

/* Connect completion, main thread */

static gboolean
apply_connect_result (MwConnection   *self,
                      EventContext   *context,
                      ConnectResult  *result,
                      GError        **error)
{
  g_autoptr(GPtrArray) domains = NULL;

  if (context->lost_reason != NULL)
    {
      g_set_error_literal (error, MW_LIBVIRT_ERROR, VIR_ERR_SYSTEM_ERROR, context->lost_reason);
      return FALSE;
    }

  self->conn = g_steal_pointer (&result->conn);
  self->lifecycle_callback_id = result->lifecycle_callback_id;
  self->close_context = g_steal_pointer (&result->close_context);

  /* Every way out of CONNECTED emptied the list, and refreshes wait for the connection. */
  g_assert (g_hash_table_size (self->domains_by_uuid) == 0);

  domains = g_ptr_array_new_full (result->domains->len, g_object_unref);
  for (guint i = 0; i < result->domains->len; i++)
    {
      const MwDomainInfo *info = &g_array_index (result->domains, MwDomainInfo, i);
      MwDomain *domain;

      domain = mw_domain_new (self, info);
      g_hash_table_insert (self->domains_by_uuid, (char *) mw_domain_get_uuid (domain),
                           g_object_ref (domain));
      g_ptr_array_add (domains, domain);
    }

  g_object_freeze_notify (G_OBJECT (self));
  /* One items-changed for the whole host, however many domains it has. */
  g_list_store_splice (self->domains, 0, g_list_model_get_n_items (G_LIST_MODEL (self->domains)),
                       domains->pdata, domains->len);
  set_string_property (self, &self->hostname, result->hostname, PROP_HOSTNAME);
  set_string_property (self, &self->error_message, NULL, PROP_ERROR_MESSAGE);
  set_state (self, MW_CONNECTION_STATE_CONNECTED);
  g_object_thaw_notify (G_OBJECT (self));

  if (!g_queue_is_empty (&self->pending_queue) && !self->refresh_in_flight)
    start_refresh (self);

  return TRUE;
}

static void
on_connect_thread_done_cb (GObject      *source_object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  MwConnection *self = MW_CONNECTION (g_task_get_source_object (outer));
  ConnectData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(ConnectResult) connect_result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (self->event_context == data->context);

  connect_result = g_task_propagate_pointer (G_TASK (result), &error);
  if (connect_result != NULL && apply_connect_result (self, data->context, connect_result, &error))
    {
      g_task_return_boolean (outer, TRUE);
      return;
    }

  /* connect_result, if any, still holds the dead connection and closes it when freed. */
  teardown (self);
  clear_domains (self);

  g_object_freeze_notify (G_OBJECT (self));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      set_string_property (self, &self->error_message, NULL, PROP_ERROR_MESSAGE);
      set_state (self, MW_CONNECTION_STATE_DISCONNECTED);
    }
  else
    {
      set_string_property (self, &self->error_message, error->message, PROP_ERROR_MESSAGE);
      set_state (self, MW_CONNECTION_STATE_FAILED);
    }
  g_object_thaw_notify (G_OBJECT (self));

  g_task_return_error (outer, g_steal_pointer (&error));
}

void
mw_connection_connect_async (MwConnection        *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) inner = NULL;
  ConnectData *data;

  g_return_if_fail (MW_IS_CONNECTION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, mw_connection_connect_async);

  if (self->state == MW_CONNECTION_STATE_CONNECTING)
    {
      g_task_return_new_error (outer, MW_CONNECTION_ERROR, MW_CONNECTION_ERROR_BUSY,
                               _("Already connecting to %s."), self->title);
      return;
    }

  if (self->state == MW_CONNECTION_STATE_CONNECTED)
    {
      g_task_return_boolean (outer, TRUE);
      return;
    }

  teardown (self);
  self->event_context = event_context_new (self);

  g_object_freeze_notify (G_OBJECT (self));
  set_string_property (self, &self->error_message, NULL, PROP_ERROR_MESSAGE);
  set_state (self, MW_CONNECTION_STATE_CONNECTING);
  g_object_thaw_notify (G_OBJECT (self));

  data = g_new0 (ConnectData, 1);
  data->uri = g_strdup (self->uri);
  data->context = event_context_ref (self->event_context);

  /* The inner task carries the worker's result to on_connect_thread_done_cb, which applies it
   * on the main thread before the caller hears back through the outer one. It always delivers
   * its result, cancelled or not, so a connection made after all is closed, not leaked.
   * Only the outer task refs self: the worker thread may drop the last reference to the inner
   * one, and must never be where the MwConnection is finalized. */
  inner = g_task_new (NULL, cancellable, on_connect_thread_done_cb, g_steal_pointer (&outer));
  g_task_set_source_tag (inner, connect_thread);
  g_task_set_check_cancellable (inner, FALSE);
  g_task_set_task_data (inner, data, connect_data_free);
  g_task_run_in_thread (inner, connect_thread);
}

gboolean
mw_connection_connect_finish (MwConnection  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (MW_IS_CONNECTION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mw_connection_connect_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
mw_connection_disconnect (MwConnection *self)
{
  g_return_if_fail (MW_IS_CONNECTION (self));

  if (self->state != MW_CONNECTION_STATE_CONNECTED)
    return;

  teardown (self);

  g_object_freeze_notify (G_OBJECT (self));
  clear_domains (self);
  set_string_property (self, &self->hostname, NULL, PROP_HOSTNAME);
  set_string_property (self, &self->error_message, NULL, PROP_ERROR_MESSAGE);
  set_state (self, MW_CONNECTION_STATE_DISCONNECTED);
  g_object_thaw_notify (G_OBJECT (self));
}

/* GObject */

static void
on_domains_items_changed_cb (GListModel   *model,
                             guint         position,
                             guint         removed,
                             guint         added,
                             MwConnection *self)
{
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DOMAINS]);
}

static void
mw_connection_dispose (GObject *object)
{
  MwConnection *self = MW_CONNECTION (object);

  teardown (self);

  if (self->domains != NULL)
    g_signal_handlers_disconnect_by_func (self->domains, on_domains_items_changed_cb, self);
  g_clear_pointer (&self->domains_by_uuid, g_hash_table_unref);
  g_clear_object (&self->domains);

  G_OBJECT_CLASS (mw_connection_parent_class)->dispose (object);
}

static void
mw_connection_finalize (GObject *object)
{
  MwConnection *self = MW_CONNECTION (object);

  g_queue_clear (&self->pending_queue);
  g_clear_pointer (&self->pending_set, g_hash_table_unref);
  g_free (self->uri);
  g_free (self->title);
  g_free (self->error_message);
  g_free (self->hostname);

  G_OBJECT_CLASS (mw_connection_parent_class)->finalize (object);
}

static void
mw_connection_constructed (GObject *object)
{
  MwConnection *self = MW_CONNECTION (object);

  G_OBJECT_CLASS (mw_connection_parent_class)->constructed (object);

  g_assert (self->uri != NULL);
  self->title = mw_uri_get_title (self->uri);
}

static void
mw_connection_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  MwConnection *self = MW_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_URI:
      g_value_set_string (value, self->uri);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    case PROP_AUTOCONNECT:
      g_value_set_boolean (value, self->autoconnect);
      break;
    case PROP_HOSTNAME:
      g_value_set_string (value, self->hostname);
      break;
    case PROP_DOMAINS:
      g_value_set_object (value, self->domains);
      break;
    case PROP_N_DOMAINS:
      g_value_set_uint (value, g_list_model_get_n_items (G_LIST_MODEL (self->domains)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_connection_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  MwConnection *self = MW_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_URI:
      self->uri = g_value_dup_string (value);
      break;
    case PROP_AUTOCONNECT:
      mw_connection_set_autoconnect (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_connection_class_init (MwConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags read_only =
    G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = mw_connection_constructed;
  object_class->dispose = mw_connection_dispose;
  object_class->finalize = mw_connection_finalize;
  object_class->get_property = mw_connection_get_property;
  object_class->set_property = mw_connection_set_property;

  properties[PROP_URI] =
    g_param_spec_string ("uri", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, read_only);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, MW_TYPE_CONNECTION_STATE,
                       MW_CONNECTION_STATE_DISCONNECTED, read_only);
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL, read_only);
  properties[PROP_AUTOCONNECT] =
    g_param_spec_boolean ("autoconnect", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HOSTNAME] = g_param_spec_string ("hostname", NULL, NULL, NULL, read_only);
  properties[PROP_DOMAINS] =
    g_param_spec_object ("domains", NULL, NULL, G_TYPE_LIST_MODEL, read_only);
  properties[PROP_N_DOMAINS] =
    g_param_spec_uint ("n-domains", NULL, NULL, 0, G_MAXUINT, 0, read_only);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_LOST] =
    g_signal_new ("lost", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
mw_connection_init (MwConnection *self)
{
  self->state = MW_CONNECTION_STATE_DISCONNECTED;
  self->lifecycle_callback_id = -1;
  self->domains = g_list_store_new (MW_TYPE_DOMAIN);
  self->domains_by_uuid = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  self->pending_set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->pending_queue);

  g_signal_connect (self->domains, "items-changed", G_CALLBACK (on_domains_items_changed_cb),
                    self);
}

/* Public API */

MwConnection *
mw_connection_new (const char *uri)
{
  g_return_val_if_fail (uri != NULL, NULL);

  return g_object_new (MW_TYPE_CONNECTION, "uri", uri, NULL);
}

const char *
mw_connection_get_uri (MwConnection *self)
{
  g_return_val_if_fail (MW_IS_CONNECTION (self), NULL);

  return self->uri;
}

const char *
mw_connection_get_title (MwConnection *self)
{
  g_return_val_if_fail (MW_IS_CONNECTION (self), NULL);

  return self->title;
}

MwConnectionState
mw_connection_get_state (MwConnection *self)
{
  g_return_val_if_fail (MW_IS_CONNECTION (self), MW_CONNECTION_STATE_DISCONNECTED);

  return self->state;
}

const char *
mw_connection_get_error_message (MwConnection *self)
{
  g_return_val_if_fail (MW_IS_CONNECTION (self), NULL);

  return self->error_message;
}

gboolean
mw_connection_get_autoconnect (MwConnection *self)
{
  g_return_val_if_fail (MW_IS_CONNECTION (self), FALSE);

  return self->autoconnect;
}

void
mw_connection_set_autoconnect (MwConnection *self,
                               gboolean      autoconnect)
{
  g_return_if_fail (MW_IS_CONNECTION (self));

  autoconnect = !!autoconnect;
  if (self->autoconnect == autoconnect)
    return;

  self->autoconnect = autoconnect;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTOCONNECT]);
}

const char *
mw_connection_get_hostname (MwConnection *self)
{
  g_return_val_if_fail (MW_IS_CONNECTION (self), NULL);

  return self->hostname;
}

GListModel *
mw_connection_get_domains (MwConnection *self)
{
  g_return_val_if_fail (MW_IS_CONNECTION (self), NULL);

  return G_LIST_MODEL (self->domains);
}

MwDomain *
mw_connection_find_domain (MwConnection *self,
                           const char   *name)
{
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (MW_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  g_hash_table_iter_init (&iter, self->domains_by_uuid);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      if (g_strcmp0 (mw_domain_get_name (value), name) == 0)
        return value;
    }

  return NULL;
}

virConnectPtr
mw_connection_get_virconnect (MwConnection *self)
{
  g_return_val_if_fail (MW_IS_CONNECTION (self), NULL);

  return self->conn;
}
