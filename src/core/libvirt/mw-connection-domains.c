/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-connection-domains.c: an MwConnection's live list of domains.
 *
 * The connect worker lists every domain once (mw_connection_list_domains). From then on domain
 * lifecycle events, dispatched on the default main context, queue a domain for a re-read, and
 * one refresh worker at a time re-reads the queued ones, so events stay in order and a burst
 * costs one round trip. Workers get their own virConnectPtr reference and hand back plain
 * structs; only main-thread callbacks touch the list.
 *
 * Events alone can leave a domain listed that the host no longer has. A migration's confirm
 * step on the source sends STOPPED (migrated) and then removes the domain without an UNDEFINED
 * event; the re-read that STOPPED queued may run before the removal and find the domain still
 * there, shut off and persistent, and nothing tells the list again (issue #10: a "Shut off"
 * guest that `virsh list --all` did not show). So a reload, which lists the whole host and
 * drops what is not in the listing, runs on mw_connection_reload (the migration job's end), on
 * UNDEFINED and STOPPED (migrated) events, and once more a moment after the latter.
 *
 * A listing costs a fixed number of round trips, not two per domain: over qemu+ssh, 1000
 * domains read one by one (virDomainGetInfo, virDomainIsPersistent) were 2000 round trips.
 * One virConnectGetAllDomainStats call brings every domain's state, vCPUs and memory, and one
 * list of the transient domains tells the persistent ones; a driver without domain stats is
 * read one by one as before.
 */

#include "config.h"

#include <stdlib.h>

#include <glib/gi18n.h>
#include <libvirt/virterror.h>

#include "mw-connection-private.h"

/* After STOPPED (migrated): long enough for the source's confirm step to have removed the
 * domain, short enough that nobody acts on the ghost meanwhile. */
#define RECHECK_AFTER_MIGRATED_MS 1000

static void queue_reload  (MwConnection *self);
static void schedule_recheck (MwConnection *self);

/* Runs on the main thread: gvir_event_register dispatches libvirt events from the default main
 * context. */
static int
on_domain_lifecycle_cb (virConnectPtr  conn,
                        virDomainPtr   domain,
                        int            event,
                        int            detail,
                        void          *opaque)
{
  MwConnectionContext *context = opaque;
  char uuid[VIR_UUID_STRING_BUFLEN];

  if (context->self == NULL)
    return 0;

  /* Reads the handle the event carries; no round trip to the daemon. */
  if (virDomainGetUUIDString (domain, uuid) < 0)
    {
      virResetLastError ();
      return 0;
    }

  if (event == VIR_DOMAIN_EVENT_UNDEFINED)
    queue_reload (context->self);
  else if (event == VIR_DOMAIN_EVENT_STOPPED && detail == VIR_DOMAIN_EVENT_STOPPED_MIGRATED)
    {
      queue_reload (context->self);
      schedule_recheck (context->self);
    }
  else
    mw_connection_queue_refresh (context->self, uuid);
  return 0;
}

/* Workers */

/* Issue #10: an incoming copy on the destination was listed as plain "Paused" (and offered
 * Resume and Force Off) while the guest ran on the source. */
static gboolean
paused_by_migration (int state,
                     int reason)
{
  return state == VIR_DOMAIN_PAUSED
         && (reason == VIR_DOMAIN_PAUSED_MIGRATION || reason == VIR_DOMAIN_PAUSED_POSTCOPY);
}

/* Fills info from a domain handle. FALSE leaves libvirt's error set for the caller to read. */
static gboolean
read_domain_info (virDomainPtr  domain,
                  MwDomainInfo *info)
{
  char uuid[VIR_UUID_STRING_BUFLEN];
  virDomainInfo libvirt_info;
  int persistent;
  int state;
  int reason;

  if (virDomainGetUUIDString (domain, uuid) < 0 || virDomainGetInfo (domain, &libvirt_info) < 0
      || virDomainGetState (domain, &state, &reason, 0) < 0)
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
  info->migrating = paused_by_migration (state, reason);

  return TRUE;
}

int
mw_connection_watch_domains (virConnectPtr        conn,
                             MwConnectionContext *context)
{
  int id;

  id = virConnectDomainEventRegisterAny (conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                         VIR_DOMAIN_EVENT_CALLBACK (on_domain_lifecycle_cb),
                                         mw_connection_context_ref (context),
                                         mw_connection_context_unref);
  /* libvirt did not take the opaque: drop the reference given for it. */
  if (id < 0)
    mw_connection_context_unref (context);
  return id;
}

/* Fills info from a stats record: the handle's name and UUID (no round trip) and the
 * record's fields; FALSE when one is missing. */
static gboolean
read_domain_record (virDomainStatsRecordPtr  record,
                    GHashTable              *transient,
                    MwDomainInfo            *info)
{
  char uuid[VIR_UUID_STRING_BUFLEN];
  int state;
  int reason = 0;
  unsigned int vcpus;
  unsigned long long memory, max_memory;

  if (virDomainGetUUIDString (record->dom, uuid) < 0
      || virTypedParamsGetInt (record->params, record->nparams, "state.state", &state) != 1
      || virTypedParamsGetUInt (record->params, record->nparams, "vcpu.current", &vcpus) != 1
      || virTypedParamsGetULLong (record->params, record->nparams, "balloon.current",
                                  &memory) != 1
      || virTypedParamsGetULLong (record->params, record->nparams, "balloon.maximum",
                                  &max_memory) != 1)
    return FALSE;

  info->name = g_strdup (virDomainGetName (record->dom));
  info->uuid = g_strdup (uuid);
  info->state = state >= 0 && state <= MW_DOMAIN_STATE_PMSUSPENDED
                  ? (MwDomainState) state
                  : MW_DOMAIN_STATE_NOSTATE;
  info->vcpus = vcpus;
  info->memory_kib = memory;
  info->max_memory_kib = max_memory;
  info->persistent = !g_hash_table_contains (transient, uuid);
  virTypedParamsGetInt (record->params, record->nparams, "state.reason", &reason);
  info->migrating = paused_by_migration (state, reason);
  return TRUE;
}

/* Every domain in two round trips; FALSE (libvirt's error set, infos untouched) when the
 * driver has no domain stats. NOWAIT: a domain busy with a job (a migration) is not waited
 * for; its record then lacks a field and it is read on its own. */
static gboolean
list_domains_bulk (virConnectPtr  conn,
                   GArray        *infos)
{
  virDomainStatsRecordPtr *records = NULL;
  virDomainPtr *transients = NULL;
  g_autoptr(GHashTable) transient = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                           NULL);
  int n_records, n_transients;

  n_records = virConnectGetAllDomainStats (conn, VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_VCPU
                                           | VIR_DOMAIN_STATS_BALLOON, &records,
                                           VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT);
  if (n_records < 0)
    return FALSE;
  n_transients = virConnectListAllDomains (conn, &transients,
                                           VIR_CONNECT_LIST_DOMAINS_TRANSIENT);
  if (n_transients < 0)
    {
      virDomainStatsRecordListFree (records);
      return FALSE;
    }
  for (int i = 0; i < n_transients; i++)
    {
      char uuid[VIR_UUID_STRING_BUFLEN];

      if (virDomainGetUUIDString (transients[i], uuid) == 0)
        g_hash_table_add (transient, g_strdup (uuid));
      virDomainFree (transients[i]);
    }
  free (transients);

  for (int i = 0; i < n_records; i++)
    {
      MwDomainInfo info = { 0 };

      if (read_domain_record (records[i], transient, &info)
          || read_domain_info (records[i]->dom, &info))
        g_array_append_val (infos, info);
      else
        {
          /* Undefined since the listing: skipped, as below. */
          mw_domain_info_clear (&info);
          virResetLastError ();
        }
    }
  virDomainStatsRecordListFree (records);
  return TRUE;
}

GArray *
mw_connection_list_domains (virConnectPtr   conn,
                            GError        **error)
{
  g_autoptr(GArray) infos = g_array_new (FALSE, TRUE, sizeof (MwDomainInfo));
  virDomainPtr *domains = NULL;
  int n_domains;

  g_array_set_clear_func (infos, (GDestroyNotify) mw_domain_info_clear);

  if (list_domains_bulk (conn, infos))
    return g_steal_pointer (&infos);
  virResetLastError ();

  n_domains = virConnectListAllDomains (conn, &domains, 0);
  if (n_domains < 0)
    {
      mw_libvirt_set_error (error, _("Could not list the host’s domains"));
      return NULL;
    }

  for (int i = 0; i < n_domains; i++)
    {
      MwDomainInfo info = { 0 };

      /* A domain undefined since the list was made is skipped; its event removes nothing. */
      if (read_domain_info (domains[i], &info))
        g_array_append_val (infos, info);
      else
        {
          mw_domain_info_clear (&info);
          virResetLastError ();
        }
      virDomainFree (domains[i]);
    }
  free (domains);

  return g_steal_pointer (&infos);
}

/* Refresh: one worker at a time re-reads every queued domain. */

typedef struct
{
  virConnectPtr conn;  /* our own reference */
  GStrv uuids;         /* empty when all */
  gboolean all;        /* list every domain: a reload */
  MwConnectionContext *context;
} RefreshData;

static void
refresh_data_free (gpointer data)
{
  RefreshData *refresh = data;

  /* The worker has dropped conn; only a task that never ran still holds it. */
  g_assert (refresh->conn == NULL);
  g_strfreev (refresh->uuids);
  mw_connection_context_unref (refresh->context);
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

typedef struct
{
  GPtrArray *entries;  /* RefreshEntry */
  gboolean complete;   /* entries are every domain of the host: the others are gone */
} RefreshResult;

static void
refresh_result_free (gpointer data)
{
  RefreshResult *result = data;

  g_ptr_array_unref (result->entries);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RefreshResult, refresh_result_free)

/* Worker: every domain of the host; FALSE (entries untouched) when it could not be listed. */
static gboolean
read_all (virConnectPtr  conn,
          GPtrArray     *entries)
{
  g_autoptr(GArray) infos = mw_connection_list_domains (conn, NULL);
  g_autofree MwDomainInfo *moved = NULL;
  gsize n = 0;

  if (infos == NULL)
    return FALSE;

  /* The infos move into the entries: stolen from the array, they are not cleared with it. */
  moved = g_array_steal (infos, &n);
  for (gsize i = 0; i < n; i++)
    {
      RefreshEntry *entry = g_new0 (RefreshEntry, 1);

      entry->info = moved[i];
      entry->uuid = g_strdup (entry->info.uuid);
      g_ptr_array_add (entries, entry);
    }

  return TRUE;
}

static void
refresh_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  RefreshData *data = task_data;
  g_autoptr(RefreshResult) result = g_new0 (RefreshResult, 1);
  GPtrArray *entries;

  result->entries = g_ptr_array_new_with_free_func (refresh_entry_free);
  entries = result->entries;

  /* A listing that fails (the connection is going away) changes nothing. */
  if (data->all)
    result->complete = read_all (data->conn, entries);

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

  g_task_return_pointer (task, g_steal_pointer (&result), refresh_result_free);
}

/* Main thread */

/* The new domain goes into the lookup table now and into added, for one splice later. */
static void
add_domain (MwConnection       *self,
            const MwDomainInfo *info,
            GPtrArray          *added)
{
  MwDomain *domain = mw_domain_new (self, info);

  g_hash_table_insert (self->domains_by_uuid, (char *) mw_domain_get_uuid (domain),
                       g_object_ref (domain));
  g_ptr_array_add (added, domain);
}

/* A complete listing: what it does not hold is gone from the host. */
static void
remove_unlisted (MwConnection *self,
                 GPtrArray    *entries)
{
  g_autoptr(GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->domains));

  for (guint i = 0; i < entries->len; i++)
    g_hash_table_add (listed, ((RefreshEntry *) g_ptr_array_index (entries, i))->uuid);

  for (guint i = n; i > 0; i--)
    {
      g_autoptr(MwDomain) domain = g_list_model_get_item (G_LIST_MODEL (self->domains), i - 1);

      if (g_hash_table_contains (listed, mw_domain_get_uuid (domain)))
        continue;
      g_list_store_remove (self->domains, i - 1);
      g_hash_table_remove (self->domains_by_uuid, mw_domain_get_uuid (domain));
    }
}

static void
apply_refresh (MwConnection  *self,
               RefreshResult *result)
{
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);
  GPtrArray *entries = result->entries;

  if (result->complete)
    remove_unlisted (self, entries);

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
        add_domain (self, &entry->info, added);
    }

  /* New domains land together: one items-changed however big the burst was. */
  if (added->len > 0)
    g_list_store_splice (self->domains,
                         g_list_model_get_n_items (G_LIST_MODEL (self->domains)),
                         0, added->pdata, added->len);
}

static void start_refresh (MwConnection *self);

static void
on_refresh_done_cb (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  RefreshData *data = g_task_get_task_data (G_TASK (result));
  MwConnection *self = data->context->self;
  g_autoptr(RefreshResult) refresh = g_task_propagate_pointer (G_TASK (result), NULL);

  /* Disconnected, lost or reconnected meanwhile: the result is of a connection that is gone. */
  if (self == NULL)
    return;

  self->refresh_in_flight = FALSE;
  apply_refresh (self, refresh);
  mw_connection_refresh_pending (self);
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
  data->context = mw_connection_context_ref (self->context);
  /* A reload reads every domain, the queued ones included. */
  data->all = self->reload_pending;
  data->uuids = g_new0 (char *, data->all ? 1 : self->pending_queue.length + 1);
  for (GList *l = self->pending_queue.head; !data->all && l != NULL; l = l->next)
    data->uuids[n++] = g_strdup (l->data);

  g_queue_clear (&self->pending_queue);
  g_hash_table_remove_all (self->pending_set);
  self->reload_pending = FALSE;
  self->refresh_in_flight = TRUE;

  /* No source object: the context tells the callback whether the connection still cares. */
  task = g_task_new (NULL, NULL, on_refresh_done_cb, NULL);
  g_task_set_source_tag (task, start_refresh);
  g_task_set_task_data (task, data, refresh_data_free);
  g_task_run_in_thread (task, refresh_thread);
}

void
mw_connection_refresh_pending (MwConnection *self)
{
  /* Before the connect result is in, the queue waits for it. */
  if (self->conn != NULL && !self->refresh_in_flight
      && (self->reload_pending || !g_queue_is_empty (&self->pending_queue)))
    start_refresh (self);
}

static void
queue_reload (MwConnection *self)
{
  self->reload_pending = TRUE;
  mw_connection_refresh_pending (self);
}

static gboolean
on_recheck_timeout_cb (gpointer user_data)
{
  MwConnection *self = user_data;

  self->recheck_id = 0;
  queue_reload (self);
  return G_SOURCE_REMOVE;
}

/* Cleared with the pending queue, so the timeout never outlives the connection attempt. */
static void
schedule_recheck (MwConnection *self)
{
  if (self->recheck_id == 0)
    self->recheck_id = g_timeout_add (RECHECK_AFTER_MIGRATED_MS, on_recheck_timeout_cb, self);
}

void
mw_connection_reload (MwConnection *self)
{
  g_return_if_fail (MW_IS_CONNECTION (self));

  if (self->state == MW_CONNECTION_STATE_CONNECTED)
    queue_reload (self);
}

void
mw_connection_queue_refresh (MwConnection *self,
                             const char   *uuid)
{
  char *copy;

  if (!g_hash_table_contains (self->pending_set, uuid))
    {
      copy = g_strdup (uuid);
      g_hash_table_add (self->pending_set, copy);
      g_queue_push_tail (&self->pending_queue, copy);
    }

  mw_connection_refresh_pending (self);
}

void
mw_connection_clear_pending (MwConnection *self)
{
  g_queue_clear (&self->pending_queue);
  g_hash_table_remove_all (self->pending_set);
  self->reload_pending = FALSE;
  self->refresh_in_flight = FALSE;
  g_clear_handle_id (&self->recheck_id, g_source_remove);
}

void
mw_connection_set_domains (MwConnection *self,
                           GArray       *infos)
{
  g_autoptr(GPtrArray) domains = g_ptr_array_new_full (infos->len, g_object_unref);

  /* Every way out of CONNECTED emptied the list, and refreshes wait for the connection. */
  g_assert (g_hash_table_size (self->domains_by_uuid) == 0);

  for (guint i = 0; i < infos->len; i++)
    add_domain (self, &g_array_index (infos, MwDomainInfo, i), domains);

  /* One items-changed for the whole host, however many domains it has. */
  g_list_store_splice (self->domains, 0, g_list_model_get_n_items (G_LIST_MODEL (self->domains)),
                       domains->pdata, domains->len);
}

void
mw_connection_clear_domains (MwConnection *self)
{
  g_hash_table_remove_all (self->domains_by_uuid);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->domains)) > 0)
    g_list_store_remove_all (self->domains);
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
