/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-preflight-hosts.c: the shared hosts' facts; see mw-preflight-hosts.h.
 *
 * Threads: the object, its entries and the waiting tasks belong to the main thread. One worker
 * per host opens it and gathers its facts (mw_preflight_gather_host) and hands both back; the
 * runs then each get their own reference to the connection and to the read-only facts. */

#include "config.h"

#include "mw-preflight-hosts.h"
#include "mw-preflight-private.h"

typedef struct
{
  char *uri;
  gboolean done;
  virConnectPtr conn;     /* NULL before, and when the host could not be opened */
  MwHostFacts *facts;     /* NULL before */
  GPtrArray *waiters;     /* GTask, asked before it was done */
} Entry;

struct _MwPreflightHosts
{
  GObject parent_instance;

  /* Owned */
  GHashTable *entries;    /* uri → Entry */
};

G_DEFINE_FINAL_TYPE (MwPreflightHosts, mw_preflight_hosts, G_TYPE_OBJECT)

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  /* The gathering task holds the object, so nobody still waits when the entries go. */
  g_assert (entry->waiters->len == 0);
  g_free (entry->uri);
  mw_preflight_release_connection (entry->conn);
  g_clear_pointer (&entry->facts, mw_host_facts_free);
  g_ptr_array_unref (entry->waiters);
  g_free (entry);
}

void
mw_preflight_host_free (MwPreflightHost *host)
{
  if (host == NULL)
    return;
  mw_preflight_release_connection (host->conn);
  g_clear_pointer (&host->facts, mw_host_facts_free);
  g_free (host);
}

static MwPreflightHost *
entry_share (Entry *entry)
{
  MwPreflightHost *host = g_new0 (MwPreflightHost, 1);

  if (entry->conn != NULL && virConnectRef (entry->conn) == 0)
    host->conn = entry->conn;
  host->facts = mw_host_facts_ref (entry->facts);
  return host;
}

static void
mw_preflight_hosts_finalize (GObject *object)
{
  MwPreflightHosts *self = MW_PREFLIGHT_HOSTS (object);

  g_clear_pointer (&self->entries, g_hash_table_unref);
  G_OBJECT_CLASS (mw_preflight_hosts_parent_class)->finalize (object);
}

static void
mw_preflight_hosts_class_init (MwPreflightHostsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mw_preflight_hosts_finalize;
}

static void
mw_preflight_hosts_init (MwPreflightHosts *self)
{
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, entry_free);
}

MwPreflightHosts *
mw_preflight_hosts_new (void)
{
  return g_object_new (MW_TYPE_PREFLIGHT_HOSTS, NULL);
}

guint
mw_preflight_hosts_get_n_gathered (MwPreflightHosts *self)
{
  g_return_val_if_fail (MW_IS_PREFLIGHT_HOSTS (self), 0);
  return g_hash_table_size (self->entries);
}

/* Gathering one host */

static void
gather_host_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  MwPreflightHost *host = g_new0 (MwPreflightHost, 1);

  host->facts = mw_preflight_gather_host (task_data, &host->conn);
  g_task_return_pointer (task, host, (GDestroyNotify) mw_preflight_host_free);
}

static void
on_gather_host_done_cb (GObject      *source_object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  MwPreflightHosts *self = MW_PREFLIGHT_HOSTS (source_object);
  Entry *entry = user_data;
  MwPreflightHost *host = g_task_propagate_pointer (G_TASK (result), NULL);
  g_autoptr(GPtrArray) waiters = NULL;

  g_assert (host != NULL);   /* no cancellable: it always answers */
  g_assert (g_hash_table_lookup (self->entries, entry->uri) == entry);
  entry->done = TRUE;
  entry->conn = g_steal_pointer (&host->conn);
  entry->facts = g_steal_pointer (&host->facts);
  mw_preflight_host_free (host);

  waiters = g_steal_pointer (&entry->waiters);
  entry->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiters->len; i++)
    g_task_return_pointer (g_ptr_array_index (waiters, i), entry_share (entry),
                           (GDestroyNotify) mw_preflight_host_free);
}

void
mw_preflight_hosts_get_async (MwPreflightHosts    *self,
                              const char          *uri,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Entry *entry;

  g_return_if_fail (MW_IS_PREFLIGHT_HOSTS (self));
  g_return_if_fail (uri != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mw_preflight_hosts_get_async);

  entry = g_hash_table_lookup (self->entries, uri);
  if (entry == NULL)
    {
      g_autoptr(GTask) gather = NULL;

      entry = g_new0 (Entry, 1);
      entry->uri = g_strdup (uri);
      entry->waiters = g_ptr_array_new_with_free_func (g_object_unref);
      g_hash_table_insert (self->entries, entry->uri, entry);
      /* Holds the object until the host answered: entries never go with a gathering under
       * way. */
      gather = g_task_new (self, NULL, on_gather_host_done_cb, entry);
      g_task_set_source_tag (gather, mw_preflight_hosts_get_async);
      g_task_set_task_data (gather, g_strdup (uri), g_free);
      g_task_run_in_thread (gather, gather_host_thread);
    }
  if (entry->done)
    /* GTask calls back from an idle: never from inside this call. */
    g_task_return_pointer (task, entry_share (entry), (GDestroyNotify) mw_preflight_host_free);
  else
    g_ptr_array_add (entry->waiters, g_steal_pointer (&task));
}

MwPreflightHost *
mw_preflight_hosts_get_finish (MwPreflightHosts  *self,
                               GAsyncResult      *result,
                               GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mw_preflight_hosts_get_async,
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
