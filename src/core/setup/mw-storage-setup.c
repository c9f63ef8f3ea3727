/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-storage-setup.c: the netfs pool of the NFS plan on both hosts (mw-storage-setup.h), each
 * host's steps journaled on their own (mw-setup-object.h), then the cross-host check and the
 * search for a pool both hosts already share.
 *
 * Threads: everything taking a URI or a virConnectPtr blocks and runs in a worker; the `_async`
 * wrapper copies its input into the task. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <libvirt/virterror.h>

#include "mw-libvirt.h"
#include "mw-setup-host.h"
#include "mw-setup-object.h"
#include "mw-setup-task.h"
#include "mw-storage-setup.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStoragePool, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStoragePoolSource, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStoragePoolTarget, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStorageVol, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStorageVolTarget, g_object_unref)

#define VERIFY_VOLUME_BYTES (1024 * 1024)

/* The pool on one host */

static gboolean
same_dir (const char *a,
          const char *b)
{
  g_autofree char *x = g_strdup (a != NULL ? a : "");
  g_autofree char *y = g_strdup (b != NULL ? b : "");

  while (strlen (x) > 1 && g_str_has_suffix (x, "/"))
    x[strlen (x) - 1] = '\0';
  while (strlen (y) > 1 && g_str_has_suffix (y, "/"))
    y[strlen (y) - 1] = '\0';
  return g_str_equal (x, y);
}

/* A same-named pool is reused only when it is the plan's: netfs, same server, export and mount
 * path (spec->data is the plan). */
static gboolean
pool_matches (const MwSetupObjectSpec  *spec,
              const char               *existing_xml,
              GError                  **error)
{
  const MwNfsPlan *plan = spec->data;
  g_autoptr(GVirConfigStoragePool) config = NULL;
  g_autoptr(GVirConfigStoragePoolSource) source = NULL;
  g_autoptr(GVirConfigStoragePoolTarget) target = NULL;
  const char *host = NULL;
  g_autofree char *dir = NULL;
  const char *path = NULL;

  config = gvir_config_storage_pool_new_from_xml (existing_xml, error);
  if (config == NULL)
    return FALSE;
  source = gvir_config_storage_pool_get_source (config);
  target = gvir_config_storage_pool_get_target (config);
  if (source != NULL)
    {
      host = gvir_config_storage_pool_source_get_host (source);
      /* its get_directory reads <directory>, see fix_source_dir in mw-nfs-plan.c */
      dir = mw_setup_xml_find_attribute (existing_xml, "dir", "path", NULL);
    }
  if (target != NULL)
    path = gvir_config_storage_pool_target_get_path (target);

  if (gvir_config_storage_pool_get_pool_type (config) == GVIR_CONFIG_STORAGE_POOL_TYPE_NETFS
      && g_strcmp0 (host, plan->server) == 0 && same_dir (dir, plan->export_path)
      && same_dir (path, plan->target_path))
    return TRUE;
  g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_CONFLICT,
               _("a pool named “%s” already exists with source %s:%s at %s; it was left as "
                 "it is (choose another pool name, or remove it yourself)"),
               plan->pool_name, host != NULL ? host : "-", dir != NULL ? dir : "-",
               path != NULL ? path : "-");
  return FALSE;
}

/* A host without the NFS client fails to start the pool with mount's words; say what it lacks. */
static void
explain_nfs_mount (GError **error)
{
  g_autofree char *libvirt_text = NULL;

  if (error == NULL || *error == NULL
      || strstr ((*error)->message, "unknown filesystem type 'nfs'") == NULL)
    return;
  libvirt_text = g_strdup ((*error)->message);
  /* one line: libvirt appends mount's multi-line output */
  g_strdelimit (g_strstrip (libvirt_text), "\n", ' ');
  g_clear_error (error);
  g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_FAILED,
               _("mount: unknown filesystem type 'nfs' (this host cannot mount NFS: it needs "
                 "nfs-common and a kernel with the NFS client) — libvirt said: %s"),
               libvirt_text);
}

static gboolean
define_pool_with_journal (const MwNfsPlan *plan,
                          virConnectPtr    conn,
                          MwSetupJournal  *journal,
                          GCancellable    *cancellable,
                          GError         **error)
{
  g_autofree char *xml = mw_nfs_plan_get_pool_xml (plan);
  MwSetupObjectSpec spec = { MW_SETUP_OBJECT_POOL, plan->pool_name, xml, pool_matches,
                             explain_nfs_mount, plan };

  return mw_setup_object_apply (journal, conn, &spec, cancellable, error);
}

/* Cross-host check */

static void
set_host_error (GError    **error,
                const char *host,
                const char *step)
{
  g_autoptr(GError) libvirt_error = NULL;

  mw_libvirt_set_error (&libvirt_error, NULL);
  mw_setup_set_error (error, MW_SETUP_ERROR_FAILED, host, step, libvirt_error->message);
}

gboolean
mw_storage_verify_shared (const char    *pool_name,
                          virConnectPtr  a,
                          const char    *a_label,
                          virConnectPtr  b,
                          const char    *b_label,
                          GError       **error)
{
  g_autoptr(GVirConfigStorageVol) config = gvir_config_storage_vol_new ();
  g_autoptr(GVirConfigStorageVolTarget) target = gvir_config_storage_vol_target_new ();
  g_autofree char *name = g_strdup_printf ("migwizard-check-%08x.raw", g_random_int ());
  g_autofree char *xml = NULL;
  virStoragePoolPtr pool_a = NULL;
  virStoragePoolPtr pool_b = NULL;
  virStorageVolPtr vol_a = NULL;
  virStorageVolPtr vol_b = NULL;
  gboolean ok = FALSE;

  gvir_config_storage_vol_set_name (config, name);
  gvir_config_storage_vol_set_capacity (config, VERIFY_VOLUME_BYTES);
  gvir_config_storage_vol_set_allocation (config, VERIFY_VOLUME_BYTES);
  gvir_config_storage_vol_target_set_format (target, "raw");
  gvir_config_storage_vol_set_target (config, target);
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));

  pool_a = virStoragePoolLookupByName (a, pool_name);
  if (pool_a == NULL)
    {
      set_host_error (error, a_label, _("find the pool"));
      goto out;
    }
  vol_a = virStorageVolCreateXML (pool_a, xml, 0);
  if (vol_a == NULL)
    {
      set_host_error (error, a_label, _("create a 1 MiB test volume"));
      goto out;
    }

  pool_b = virStoragePoolLookupByName (b, pool_name);
  if (pool_b == NULL)
    {
      set_host_error (error, b_label, _("find the pool"));
      goto out;
    }
  if (virStoragePoolRefresh (pool_b, 0) < 0)
    {
      set_host_error (error, b_label, _("refresh the pool"));
      goto out;
    }
  vol_b = virStorageVolLookupByName (pool_b, name);
  if (vol_b == NULL)
    {
      virResetLastError ();
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_NOT_FOUND,
                   _("%s: see the test volume: %s made %s in pool “%s”, but %s does not see it: "
                     "the pool is not shared storage"),
                   b_label, a_label, name, pool_name, b_label);
      goto out;
    }
  ok = TRUE;

out:
  if (vol_a != NULL)
    {
      if (virStorageVolDelete (vol_a, 0) < 0)
        {
          g_autoptr(GError) delete_error = NULL;

          set_host_error (&delete_error, a_label, _("delete the test volume"));
          if (ok)
            g_propagate_error (error, g_steal_pointer (&delete_error));
          ok = FALSE;
        }
      virStorageVolFree (vol_a);
    }
  if (vol_b != NULL)
    virStorageVolFree (vol_b);
  if (pool_b != NULL)
    {
      virStoragePoolRefresh (pool_b, 0);
      virStoragePoolFree (pool_b);
    }
  if (pool_a != NULL)
    virStoragePoolFree (pool_a);
  virResetLastError ();
  return ok;
}

static char *
pool_target_path (virStoragePoolPtr pool)
{
  char *raw = virStoragePoolGetXMLDesc (pool, 0);
  g_autoptr(GVirConfigStoragePool) config = NULL;
  g_autoptr(GVirConfigStoragePoolTarget) target = NULL;
  char *path = NULL;

  if (raw == NULL)
    {
      virResetLastError ();
      return NULL;
    }
  config = gvir_config_storage_pool_new_from_xml (raw, NULL);
  free (raw);
  if (config == NULL)
    return NULL;
  target = gvir_config_storage_pool_get_target (config);
  if (target != NULL)
    path = g_strdup (gvir_config_storage_pool_target_get_path (target));
  return path;
}

char *
mw_storage_find_common_pool (virConnectPtr  a,
                             virConnectPtr  b,
                             const char    *exclude)
{
  virStoragePoolPtr *pools = NULL;
  char *found = NULL;
  int n;

  n = virConnectListAllStoragePools (a, &pools, VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE);
  if (n < 0)
    {
      virResetLastError ();
      return NULL;
    }
  for (int i = 0; i < n; i++)
    {
      const char *name = virStoragePoolGetName (pools[i]);
      g_autofree char *path_a = NULL;
      g_autofree char *path_b = NULL;
      virStoragePoolPtr other;

      if (found == NULL && g_strcmp0 (name, exclude) != 0
          && (other = virStoragePoolLookupByName (b, name)) != NULL)
        {
          path_a = pool_target_path (pools[i]);
          path_b = pool_target_path (other);
          /* Same name and path is what a shared pool looks like, but two local directories
           * look the same: only a volume made on one host and seen from the other proves it. */
          if (path_a != NULL && path_b != NULL && same_dir (path_a, path_b)
              && virStoragePoolIsActive (other) == 1
              && strcmp (path_a, "/var/lib/libvirt/images") != 0
              && mw_storage_verify_shared (name, a, "a", b, "b", NULL))
            found = g_strdup_printf ("%s\t%s", name, path_a);
          virStoragePoolFree (other);
        }
      virStoragePoolFree (pools[i]);
    }
  free (pools);
  virResetLastError ();
  return found;
}

/* Both hosts */

void
mw_pool_setup_result_free (MwPoolSetupResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->steps, g_ptr_array_unref);
  g_free (result->error_a);
  g_free (result->error_b);
  g_free (result->verify_error);
  g_free (result->fallback_pool);
  g_free (result->fallback_path);
  g_free (result);
}

gboolean
mw_pool_setup_result_ok (const MwPoolSetupResult *result)
{
  return result->error_a == NULL && result->error_b == NULL && result->verified;
}

char *
mw_pool_setup_result_to_string (const MwPoolSetupResult *result)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < result->steps->len; i++)
    {
      g_autofree char *line = mw_setup_step_to_string (g_ptr_array_index (result->steps, i));

      g_string_append_printf (text, "%s\n", line);
    }
  if (result->error_a != NULL)
    g_string_append_printf (text, _("Failed: %s\n"), result->error_a);
  if (result->error_b != NULL)
    g_string_append_printf (text, _("Failed: %s\n"), result->error_b);
  if (result->verified)
    g_string_append (text, _("Verified: a volume made on the first host was seen on the "
                             "second.\n"));
  else if (result->verify_error != NULL)
    g_string_append_printf (text, _("Not verified: %s\n"), result->verify_error);
  if (result->fallback_pool != NULL)
    g_string_append_printf (text, _("Using instead: pool “%s” at %s, which both hosts already "
                                    "share.\n"), result->fallback_pool, result->fallback_path);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
append_steps (GPtrArray      *all,
              MwSetupJournal *journal)
{
  GPtrArray *steps = mw_setup_journal_get_steps (journal);

  for (guint i = 0; i < steps->len; i++)
    g_ptr_array_add (all, mw_setup_step_copy (g_ptr_array_index (steps, i)));
}

MwPoolSetupResult *
mw_nfs_setup_pools (const MwNfsPlan *plan,
                    const char      *uri_a,
                    const char      *uri_b,
                    GCancellable    *cancellable,
                    GError         **error)
{
  g_autoptr(MwPoolSetupResult) result = g_new0 (MwPoolSetupResult, 1);
  g_autofree char *label_a = mw_setup_host_label (uri_a);
  g_autofree char *label_b = mw_setup_host_label (uri_b);
  g_autoptr(MwSetupJournal) journal_a = NULL;
  g_autoptr(MwSetupJournal) journal_b = NULL;
  g_autoptr(GError) local_error = NULL;
  virConnectPtr a = NULL;
  virConnectPtr b = NULL;
  char *common;

  g_return_val_if_fail (plan != NULL && uri_a != NULL && uri_b != NULL, NULL);

  if (!mw_nfs_plan_validate (plan, error))
    return NULL;

  if (g_str_equal (label_a, label_b))
    {
      g_free (label_b);
      label_b = g_strdup_printf ("%s (2)", label_a);
    }

  a = mw_setup_host_connect (uri_a, label_a, error);
  if (a == NULL)
    return NULL;
  b = mw_setup_host_connect (uri_b, label_b, error);
  if (b == NULL)
    {
      virConnectClose (a);
      return NULL;
    }

  result->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_setup_step_free);
  journal_a = mw_setup_journal_new (label_a);
  journal_b = mw_setup_journal_new (label_b);

  /* Each host on its own: a failure on one leaves that host as it was and does not stop the
   * other, so the user sees both hosts' answers at once. */
  if (!define_pool_with_journal (plan, a, journal_a, cancellable, &local_error))
    {
      result->error_a = g_strdup (local_error->message);
      g_clear_error (&local_error);
    }
  if (!define_pool_with_journal (plan, b, journal_b, cancellable, &local_error))
    {
      result->error_b = g_strdup (local_error->message);
      g_clear_error (&local_error);
    }

  if (result->error_a == NULL && result->error_b == NULL)
    {
      if (mw_storage_verify_shared (plan->pool_name, a, label_a, b, label_b, &local_error))
        result->verified = TRUE;
      else
        result->verify_error = g_strdup (local_error->message);
    }

  append_steps (result->steps, journal_a);
  append_steps (result->steps, journal_b);

  if (!result->verified)
    {
      common = mw_storage_find_common_pool (a, b, plan->pool_name);
      if (common != NULL)
        {
          g_auto(GStrv) parts = g_strsplit (common, "\t", 2);

          result->fallback_pool = g_strdup (parts[0]);
          result->fallback_path = g_strdup (parts[1]);
          g_free (common);
        }
    }

  /* The journals hold pool handles of these connections: free them first. */
  g_clear_pointer (&journal_a, mw_setup_journal_free);
  g_clear_pointer (&journal_b, mw_setup_journal_free);
  virConnectClose (a);
  virConnectClose (b);
  return g_steal_pointer (&result);
}

typedef struct
{
  MwNfsPlan *plan;
  char *uri_a;
  char *uri_b;
} PoolsTaskData;

static void
pools_task_data_free (gpointer data)
{
  PoolsTaskData *task_data = data;

  mw_nfs_plan_free (task_data->plan);
  g_free (task_data->uri_a);
  g_free (task_data->uri_b);
  g_free (task_data);
}

static gboolean
setup_pools_call (gpointer       data,
                  gpointer      *result,
                  GCancellable  *cancellable,
                  GError       **error)
{
  PoolsTaskData *input = data;

  *result = mw_nfs_setup_pools (input->plan, input->uri_a, input->uri_b, cancellable, error);
  return *result != NULL;
}

void
mw_nfs_setup_pools_async (const MwNfsPlan     *plan,
                          const char          *uri_a,
                          const char          *uri_b,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  PoolsTaskData *task_data = g_new0 (PoolsTaskData, 1);
  g_autoptr(GTask) task = mw_setup_task_new (mw_nfs_setup_pools_async, task_data,
                                             pools_task_data_free, cancellable, callback,
                                             user_data);

  task_data->plan = mw_nfs_plan_copy (plan);
  task_data->uri_a = g_strdup (uri_a);
  task_data->uri_b = g_strdup (uri_b);
  mw_setup_task_run (task, setup_pools_call, (GDestroyNotify) mw_pool_setup_result_free);
}

MwPoolSetupResult *
mw_nfs_setup_pools_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (mw_setup_task_is (result, mw_nfs_setup_pools_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

