/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration.c: options → virDomainMigrate3 / virDomainMigrateToURI3, and abort.
 *
 * Threads: the migration runs in a GTask worker holding its own references to the connections
 * (virConnectRef), so the caller may drop its references while it runs; mw_migration_abort
 * blocks in the caller's thread. libvirt errors are per thread, so they become GErrors in the
 * worker that failed. */

#include "config.h"

#include <glib/gi18n.h>

#include "mw-migration.h"

#include <stdlib.h>

#include "mw-libvirt.h"

G_DEFINE_QUARK (mw-migration-error-quark, mw_migration_error)

/* Runs in the caller's thread. */
static virDomainPtr
lookup_domain (virConnectPtr conn,
               const char   *domain,
               GError      **error)
{
  g_autofree char *prefix = g_strdup_printf (_("Could not find the virtual machine “%s”"),
                                             domain);

  return mw_libvirt_lookup_domain (conn, domain, prefix, error);
}

/* Task data: copied inputs, owned by the task, used only by the worker. */
typedef struct
{
  virConnectPtr       sconn;
  virConnectPtr       dconn;
  char               *domain;
  char               *dest_uri;
  MwMigrationOptions *options;
} MigrateData;

/* Worker: the task's references to the connections may be the last ones. */
static void
migrate_data_release (gpointer data)
{
  MigrateData *md = data;

  if (md->sconn != NULL)
    virConnectClose (md->sconn);
  if (md->dconn != NULL)
    virConnectClose (md->dconn);
  g_free (md->domain);
  g_free (md->dest_uri);
  g_clear_pointer (&md->options, mw_migration_options_free);
  g_free (md);
}

/* The task goes after its callback, on the main thread. */
static void
migrate_data_free (gpointer data)
{
  mw_libvirt_release_in_worker (migrate_data_release, data);
}

/* Worker. */
static gboolean
migrate (const MigrateData  *md,
         GCancellable       *cancellable,
         GError            **error)
{
  const MwMigrationOptions *options = md->options;
  gboolean peer_to_peer;
  virTypedParameterPtr params = NULL;
  int n_params = 0;
  virDomainPtr dom = NULL;
  virDomainPtr ddom = NULL;
  unsigned int flags = 0;
  g_autofree char *uri = NULL;
  gboolean ok = FALSE;

  peer_to_peer = options->connection != MW_MIGRATION_CONNECTION_CLIENT;

  if (md->dest_uri != NULL)
    uri = g_strdup (md->dest_uri);
  else if (md->dconn != NULL)
    {
      /* Formatted from the connection's own data, no round trip. */
      char *text = virConnectGetURI (md->dconn);

      if (text == NULL)
        {
          mw_libvirt_set_error (error, _("Could not read the destination’s address"));
          return FALSE;
        }
      uri = g_strdup (text);
      free (text);
    }

  if (peer_to_peer && uri == NULL)
    {
      g_set_error_literal (error, MW_MIGRATION_ERROR, MW_MIGRATION_ERROR_INVALID_OPTIONS,
                           _("A peer-to-peer migration needs the destination’s URI."));
      return FALSE;
    }
  if (!peer_to_peer && md->dconn == NULL)
    {
      g_set_error_literal (error, MW_MIGRATION_ERROR, MW_MIGRATION_ERROR_INVALID_OPTIONS,
                           _("A client-driven migration needs a connection to the destination."));
      return FALSE;
    }

  if (!mw_migration_options_to_flags_and_params (options, uri, &flags, &params, &n_params, error))
    return FALSE;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;

  dom = lookup_domain (md->sconn, md->domain, error);
  if (dom == NULL)
    goto out;

  g_debug ("Migrating %s: flags 0x%x, %s", md->domain, flags,
           peer_to_peer ? uri : "client-driven");
  if (peer_to_peer)
    {
      if (virDomainMigrateToURI3 (dom, uri, params, n_params, flags) < 0)
        {
          mw_libvirt_set_error (error, _("The migration failed"));
          goto out;
        }
    }
  else
    {
      ddom = virDomainMigrate3 (dom, md->dconn, params, n_params, flags);
      if (ddom == NULL)
        {
          mw_libvirt_set_error (error, _("The migration failed"));
          goto out;
        }
    }
  ok = TRUE;

out:
  if (ddom != NULL)
    virDomainFree (ddom);
  if (dom != NULL)
    virDomainFree (dom);
  virTypedParamsFree (params, n_params);
  return ok;
}

static void
migrate_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  MigrateData *md = task_data;
  GError *error = NULL;

  if (migrate (md, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
mw_migration_migrate_async (virConnectPtr             sconn,
                            const char               *domain,
                            virConnectPtr             dconn,
                            const char               *dest_uri,
                            const MwMigrationOptions *options,
                            GCancellable             *cancellable,
                            GAsyncReadyCallback       callback,
                            gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  MigrateData *md;

  g_return_if_fail (sconn != NULL);
  g_return_if_fail (domain != NULL);
  g_return_if_fail (options != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  md = g_new0 (MigrateData, 1);
  md->sconn = sconn;
  virConnectRef (sconn);
  if (dconn != NULL)
    {
      md->dconn = dconn;
      virConnectRef (dconn);
    }
  md->domain = g_strdup (domain);
  md->dest_uri = g_strdup (dest_uri);
  md->options = mw_migration_options_copy (options);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mw_migration_migrate_async);
  g_task_set_task_data (task, md, migrate_data_free);
  g_task_run_in_thread (task, migrate_thread);
}

gboolean
mw_migration_migrate_finish (GAsyncResult *result,
                             GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mw_migration_migrate_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
mw_migration_abort (virConnectPtr  sconn,
                    const char    *domain,
                    GCancellable  *cancellable,
                    GError       **error)
{
  virDomainPtr dom;
  int rc;

  g_return_val_if_fail (sconn != NULL, FALSE);
  g_return_val_if_fail (domain != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  dom = lookup_domain (sconn, domain, error);
  if (dom == NULL)
    return FALSE;
  rc = virDomainAbortJob (dom);
  if (rc < 0)
    mw_libvirt_set_error (error, _("Could not stop the migration"));
  virDomainFree (dom);
  return rc == 0;
}
