/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-connection.c: one libvirt connection: connecting, disconnecting, noticing it dropped.
 *
 * Threads: the MwConnection and its domain list belong to the main thread. Workers (connect,
 * refresh, close) receive copies of what they need plus their own virConnectPtr reference, and
 * hand plain structs back; only the main-thread completion callbacks touch the object. The
 * domain list and the events that keep it current are in mw-connection-domains.c; the
 * MwConnectionContext that late events and results are checked against is described in
 * mw-connection-private.h.
 */

#include "config.h"

#include <stdlib.h>

#include <glib/gi18n.h>
#include <libvirt/virterror.h>

#include "mw-connection-private.h"
#include "mw-core-enums.h"
#include "mw-uri.h"

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

/* MwConnectionContext */

static MwConnectionContext *
context_new (MwConnection *self)
{
  MwConnectionContext *context = g_atomic_rc_box_new0 (MwConnectionContext);

  context->uri = g_strdup (self->uri);
  context->self = self;
  return context;
}

MwConnectionContext *
mw_connection_context_ref (MwConnectionContext *context)
{
  return g_atomic_rc_box_acquire (context);
}

static void
context_clear (gpointer data)
{
  MwConnectionContext *context = data;

  g_free (context->uri);
  g_free (context->lost_reason);
}

void
mw_connection_context_unref (void *context)
{
  g_atomic_rc_box_release_full (context, context_clear);
}

/* Losing the connection */

static void connection_lost (MwConnection *self,
                             const char   *reason);

/* On the main thread, through the close watch (mw-libvirt.h). */
static void
on_connection_lost_cb (int         reason,
                       const char *message,
                       gpointer    user_data)
{
  MwConnectionContext *context = user_data;
  MwConnection *self = context->self;

  if (self == NULL)
    return;

  if (self->state == MW_CONNECTION_STATE_CONNECTING)
    {
      /* The connect worker may still succeed with a dead handle; it checks this when done. */
      g_free (context->lost_reason);
      context->lost_reason = g_strdup (message);
    }
  else if (self->state == MW_CONNECTION_STATE_CONNECTED)
    connection_lost (self, message);
}

/* Closing: worker threads, never the main one. */

typedef struct
{
  virConnectPtr conn;
  int lifecycle_callback_id;   /* -1 when not registered */
  MwLibvirtCloseWatch *close_watch;
} Registered;

/* Drops what a connection registered, then our reference. Worker thread only. */
static void
close_connection (Registered *registered)
{
  if (registered->lifecycle_callback_id >= 0)
    virConnectDomainEventDeregisterAny (registered->conn, registered->lifecycle_callback_id);
  g_clear_pointer (&registered->close_watch, mw_libvirt_close_watch_free);
  virConnectClose (g_steal_pointer (&registered->conn));
  registered->lifecycle_callback_id = -1;

  /* Failures here (a dead connection) are expected and interest nobody. */
  virResetLastError ();
}

/* Worker: closes a copy of what a connection registered, then frees it. */
static void
close_and_free (gpointer data)
{
  close_connection (data);
  g_free (data);
}

/* Main thread: hands the connection (our reference) to a worker that deregisters and closes it.
 * Nothing waits for it, so a closing connection never keeps the MwConnection alive. */
static void
close_in_thread (Registered *registered)
{
  mw_libvirt_release_in_worker (close_and_free, g_memdup2 (registered, sizeof *registered));
  registered->conn = NULL;
  registered->lifecycle_callback_id = -1;
  registered->close_watch = NULL;
}

/* Connect */

typedef struct
{
  Registered registered;
  char *hostname;
  GArray *domains;  /* MwDomainInfo */
} ConnectResult;

/* Only a result nobody consumed still holds a connection; close it off the main thread. */
static void
connect_result_free (gpointer data)
{
  ConnectResult *result = data;

  if (result->registered.conn != NULL)
    close_in_thread (&result->registered);

  g_free (result->hostname);
  g_clear_pointer (&result->domains, g_array_unref);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConnectResult, connect_result_free)

/* Worker: undoes a half-made connection in the worker that made it. */
static void
fail_connect (GTask         *task,
              ConnectResult *result,
              GError        *error)
{
  close_connection (&result->registered);
  g_task_return_error (task, error);
}

static void
connect_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  MwConnectionContext *context = task_data;
  g_autoptr(ConnectResult) result = g_new0 (ConnectResult, 1);
  virConnectPtr conn;
  char *hostname;
  GError *error = NULL;

  result->registered.lifecycle_callback_id = -1;

  /* No tty, keepalive: the one opener (mw-libvirt.h). The cancellable is this thread's
   * current one meanwhile, so a credentials prompt it asks is withdrawn when it is cancelled. */
  if (cancellable != NULL)
    g_cancellable_push_current (cancellable);
  conn = mw_libvirt_open (context->uri, NULL, &error);
  if (cancellable != NULL)
    g_cancellable_pop_current (cancellable);
  if (conn == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  result->registered.conn = conn;
  result->registered.close_watch =
    mw_libvirt_watch_close (conn, NULL, on_connection_lost_cb,
                            mw_connection_context_ref (context),
                            mw_connection_context_unref);

  /* Registered before listing, so no change between the list and the first event is missed. */
  result->registered.lifecycle_callback_id = mw_connection_watch_domains (conn, context);
  if (result->registered.lifecycle_callback_id < 0)
    {
      mw_libvirt_set_error (&error, _("Could not watch the host’s domains"));
      fail_connect (task, result, error);
      return;
    }

  result->domains = mw_connection_list_domains (conn, &error);
  if (result->domains == NULL)
    {
      fail_connect (task, result, error);
      return;
    }

  hostname = virConnectGetHostname (conn);
  if (hostname != NULL)
    {
      result->hostname = g_strdup (hostname);
      free (hostname);
    }
  else
    virResetLastError ();

  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      fail_connect (task, result, error);
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

/* Lets go of the current attempt: late events and worker results are dropped from here on, and
 * the libvirt connection is closed in a worker. Notifies nothing. */
static void
teardown (MwConnection *self)
{
  if (self->context != NULL)
    {
      self->context->self = NULL;
      g_clear_pointer (&self->context, mw_connection_context_unref);
    }

  if (self->conn != NULL)
    {
      Registered registered = { g_steal_pointer (&self->conn), self->lifecycle_callback_id,
                                g_steal_pointer (&self->close_watch) };

      close_in_thread (&registered);
      self->lifecycle_callback_id = -1;
    }

  mw_connection_clear_pending (self);
}

/* Back to DISCONNECTED with nothing listed; reason is the error message, NULL for none. */
static void
set_disconnected (MwConnection *self,
                  const char   *reason)
{
  g_object_freeze_notify (G_OBJECT (self));
  mw_connection_clear_domains (self);
  set_string_property (self, &self->hostname, NULL, PROP_HOSTNAME);
  set_string_property (self, &self->error_message, reason, PROP_ERROR_MESSAGE);
  set_state (self, MW_CONNECTION_STATE_DISCONNECTED);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
connection_lost (MwConnection *self,
                 const char   *reason)
{
  g_autoptr(GObject) guard = g_object_ref (G_OBJECT (self));

  teardown (self);
  set_disconnected (self, reason);
  g_signal_emit (self, signals[SIGNAL_LOST], 0, reason);
}

/* Connect completion, main thread */

static gboolean
apply_connect_result (MwConnection         *self,
                      MwConnectionContext  *context,
                      ConnectResult        *result,
                      GError              **error)
{
  if (context->lost_reason != NULL)
    {
      g_set_error_literal (error, MW_LIBVIRT_ERROR, VIR_ERR_SYSTEM_ERROR, context->lost_reason);
      return FALSE;
    }

  self->conn = g_steal_pointer (&result->registered.conn);
  self->lifecycle_callback_id = result->registered.lifecycle_callback_id;
  self->close_watch = g_steal_pointer (&result->registered.close_watch);

  g_object_freeze_notify (G_OBJECT (self));
  mw_connection_set_domains (self, result->domains);
  set_string_property (self, &self->hostname, result->hostname, PROP_HOSTNAME);
  set_string_property (self, &self->error_message, NULL, PROP_ERROR_MESSAGE);
  set_state (self, MW_CONNECTION_STATE_CONNECTED);
  g_object_thaw_notify (G_OBJECT (self));

  mw_connection_refresh_pending (self);

  return TRUE;
}

/* Main thread: a cancelled attempt is let go at once, also while libvirt still waits for a host
 * that does not answer; its worker's result, whenever it comes, is closed and dropped. */
static gboolean
drop_cancelled_attempt_cb (gpointer data)
{
  MwConnectionContext *context = data;
  MwConnection *self = context->self;

  if (self != NULL && self->state == MW_CONNECTION_STATE_CONNECTING)
    {
      g_autoptr(GObject) guard = g_object_ref (G_OBJECT (self));

      teardown (self);
      set_disconnected (self, NULL);
    }
  return G_SOURCE_REMOVE;
}

/* Whichever thread cancelled: the attempt is let go on the main thread. */
static void
on_attempt_cancelled_cb (GCancellable        *cancellable,
                         MwConnectionContext *context)
{
  g_idle_add_full (G_PRIORITY_DEFAULT, drop_cancelled_attempt_cb,
                   mw_connection_context_ref (context), mw_connection_context_unref);
}

static void
on_connect_thread_done_cb (GObject      *source_object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  MwConnection *self = MW_CONNECTION (g_task_get_source_object (outer));
  MwConnectionContext *context = g_task_get_task_data (G_TASK (result));
  g_autoptr(ConnectResult) connect_result = NULL;
  g_autoptr(GError) error = NULL;

  if (context->cancelled_id != 0)
    g_cancellable_disconnect (g_task_get_cancellable (outer), context->cancelled_id);
  context->cancelled_id = 0;

  /* Let go when it was cancelled: what the worker made is closed when freed. */
  if (context->self == NULL)
    {
      connect_result = g_task_propagate_pointer (G_TASK (result), NULL);
      g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                               _("Connecting was cancelled."));
      return;
    }

  g_assert (self->context == context);

  connect_result = g_task_propagate_pointer (G_TASK (result), &error);
  if (connect_result != NULL && apply_connect_result (self, context, connect_result, &error))
    {
      g_task_return_boolean (outer, TRUE);
      return;
    }

  /* connect_result, if any, still holds the dead connection and closes it when freed. */
  teardown (self);
  mw_connection_clear_domains (self);

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
  self->context = context_new (self);

  g_object_freeze_notify (G_OBJECT (self));
  set_string_property (self, &self->error_message, NULL, PROP_ERROR_MESSAGE);
  set_state (self, MW_CONNECTION_STATE_CONNECTING);
  g_object_thaw_notify (G_OBJECT (self));

  /* The inner task carries the worker's result to on_connect_thread_done_cb, which applies it
   * on the main thread before the caller hears back through the outer one. It always delivers
   * its result, cancelled or not, so a connection made after all is closed, not leaked.
   * Only the outer task refs self: the worker thread may drop the last reference to the inner
   * one, and must never be where the MwConnection is finalized. */
  inner = g_task_new (NULL, cancellable, on_connect_thread_done_cb, g_steal_pointer (&outer));
  g_task_set_source_tag (inner, connect_thread);
  g_task_set_check_cancellable (inner, FALSE);
  g_task_set_task_data (inner, mw_connection_context_ref (self->context),
                        mw_connection_context_unref);
  g_task_run_in_thread (inner, connect_thread);

  if (cancellable != NULL)
    self->context->cancelled_id =
      g_cancellable_connect (cancellable, G_CALLBACK (on_attempt_cancelled_cb),
                             mw_connection_context_ref (self->context),
                             mw_connection_context_unref);
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
  set_disconnected (self, NULL);
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

virConnectPtr
mw_connection_get_virconnect (MwConnection *self)
{
  g_return_val_if_fail (MW_IS_CONNECTION (self), NULL);

  return self->conn;
}
