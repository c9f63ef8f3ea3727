/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-job-backend-libvirt.c: a migration job's talks with two libvirt hosts.
 *
 * Threads: the object's fields belong to the main thread. Every libvirt call runs in a GTask
 * worker that gets copied input plus its own references (virConnectRef, virDomainRef) and hands
 * a plain struct back.
 *
 * Events and close callbacks: mw-job-backend-libvirt-watch.c.
 *
 * Bandwidth "unlimited": libvirt passes virDomainMigrateSetMaxSpeed's MiB/s to QEMU's
 * max-bandwidth as bytes/s. QEMU treats 0 as "no limit", but libvirt itself stores "unlimited"
 * as QEMU_DOMAIN_MIG_BANDWIDTH_MAX = INT64_MAX / 1 MiB = 8796093022207 MiB/s (mw-libvirt.h), which is what
 * `virsh migrate-getspeed` shows on a domain nobody capped. Both lift a cap (measured in the
 * lab); the backend sends libvirt's own figure, so the value reads back the same as "never
 * capped" and does not depend on how a QEMU version reads 0.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libvirt/virterror.h>

#include "mw-job-backend-libvirt-private.h"
#include "mw-libvirt.h"
#include "mw-migration.h"
#include "mw-migration-job.h"
#include "mw-migration-volumes.h"



struct _MwJobBackendLibvirt
{
  MwJobBackend parent_instance;

  /* Owned */
  char *source_uri;
  char *destination_uri;
  EventContext *event_context;
  Hosts hosts;                       /* once prepared */
  GArray *created_volumes;           /* MwCreatedVolume on the destination */
  MwSpeedGuard speed;                /* workers, under its lock */
};

G_DEFINE_FINAL_TYPE (MwJobBackendLibvirt, mw_job_backend_libvirt, MW_TYPE_JOB_BACKEND)

static void
mw_job_backend_libvirt_release (MwJobBackend *backend)
{
  MwJobBackendLibvirt *self = MW_JOB_BACKEND_LIBVIRT (backend);
  Hosts *hosts;

  if (self->event_context != NULL)
    self->event_context->self = NULL;
  g_clear_pointer (&self->event_context, mw_job_event_context_unref);
  if (self->hosts.sconn == NULL && self->hosts.dconn == NULL)
    return;

  hosts = g_memdup2 (&self->hosts, sizeof self->hosts);
  memset (&self->hosts, 0, sizeof self->hosts);
  mw_libvirt_release_in_worker (mw_job_hosts_free, hosts);
}

/* ---- prepare (worker) ---------------------------------------------------------------------- */

typedef struct
{
  char *source_uri;
  char *destination_uri;
  char *domain_name;
  MwMigrationOptions *options;
  EventContext *context;
} PrepareData;

static void
prepare_data_free (gpointer data)
{
  PrepareData *prepare = data;

  g_free (prepare->source_uri);
  g_free (prepare->destination_uri);
  g_free (prepare->domain_name);
  mw_migration_options_free (prepare->options);
  mw_job_event_context_unref (prepare->context);
  g_free (prepare);
}

typedef struct
{
  Hosts *hosts;
  GArray *created_volumes;
  char *canonical_name;
  gulong destination_libvirt;
} PrepareResult;

/* Worker, unless it holds no connections. */
static void
prepare_result_release (gpointer data)
{
  PrepareResult *result = data;

  if (result->hosts != NULL)
    {
      if (result->hosts->dconn != NULL && result->created_volumes != NULL)
        mw_created_volumes_delete (result->hosts->dconn, result->created_volumes);
      mw_job_hosts_free (result->hosts);
    }
  g_clear_pointer (&result->created_volumes, g_array_unref);
  g_free (result->canonical_name);
  g_free (result);
}

/* Only a result nobody took still holds connections (the job went away meanwhile); it goes when
 * its task does, often on the main thread, so the volumes and connections go in a worker. */
static void
prepare_result_free (gpointer data)
{
  PrepareResult *result = data;

  if (result->hosts != NULL)
    mw_libvirt_release_in_worker (prepare_result_release, result);
  else
    prepare_result_release (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PrepareResult, prepare_result_free)

static virConnectPtr
open_connection (const char  *uri_text,
                 const char  *what,
                 GError     **error)
{
  g_autofree char *prefix = g_strdup_printf (_("Could not connect to the %s host %s"), what,
                                             uri_text);

  return mw_libvirt_open (uri_text, prefix, error);
}

/* Worker: the host's libvirt (virConnectGetLibVersion's encoding), 0 when it does not say. */
static gulong
libvirt_version (virConnectPtr conn)
{
  unsigned long version = 0;

  if (conn == NULL || virConnectGetLibVersion (conn, &version) < 0)
    version = 0;
  virResetLastError ();
  return version;
}

/* Worker: can this domain move the way the options say? */
static gboolean
check_domain (PrepareData    *data,
              PrepareResult  *result,
              GError        **error)
{
  Hosts *hosts = result->hosts;
  virDomainInfo info;
  int persistent;
  char uuid[VIR_UUID_STRING_BUFLEN];
  virDomainPtr ddom;
  g_autoptr(GError) local = NULL;

  hosts->sdom = mw_libvirt_lookup_domain (hosts->sconn, data->domain_name,
                                          _("Could not look the virtual machine up"), &local);
  /* A recovery whose guest left the source's list (moved with --undefinesource, the post-copy
   * finished): the job asks both hosts before any call, with no source domain to watch. */
  if (hosts->sdom == NULL && data->options->postcopy_resume
      && g_error_matches (local, MW_LIBVIRT_ERROR, VIR_ERR_NO_DOMAIN))
    {
      result->canonical_name = g_strdup (data->domain_name);
      virResetLastError ();
      return TRUE;
    }
  if (hosts->sdom == NULL)
    {
      if (g_error_matches (local, MW_LIBVIRT_ERROR, VIR_ERR_NO_DOMAIN))
        g_set_error (error, MW_MIGRATION_JOB_ERROR, MW_MIGRATION_JOB_ERROR_DOMAIN,
                     _("There is no virtual machine “%s” on the source host. Check its name, "
                       "or whether it was moved already."), data->domain_name);
      else
        g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  result->canonical_name = g_strdup (virDomainGetName (hosts->sdom));

  if (virDomainGetInfo (hosts->sdom, &info) < 0
      || (persistent = virDomainIsPersistent (hosts->sdom)) < 0)
    {
      mw_libvirt_set_error (error, _("Could not read the virtual machine’s state"));
      return FALSE;
    }
  /* Recovering a post-copy that broke off: the guest is paused on the destination by design,
   * and libvirt itself refuses a domain that is not waiting for recovery. Shut off here, it
   * may have arrived already: the job asks both hosts before the call. */
  if (data->options->postcopy_resume)
    {
      virResetLastError ();
      return TRUE;
    }

  if (data->options->mode == MW_MIGRATION_MODE_LIVE
      && info.state != VIR_DOMAIN_RUNNING && info.state != VIR_DOMAIN_PAUSED)
    {
      g_set_error (error, MW_MIGRATION_JOB_ERROR, MW_MIGRATION_JOB_ERROR_DOMAIN,
                   _("“%s” is not running on the source host, and a live migration moves a "
                     "running guest. Start it first, or choose an offline migration."),
                   result->canonical_name);
      return FALSE;
    }
  if (data->options->mode == MW_MIGRATION_MODE_OFFLINE && persistent != 1)
    {
      g_set_error (error, MW_MIGRATION_JOB_ERROR, MW_MIGRATION_JOB_ERROR_DOMAIN,
                   _("“%s” is only a transient guest, and an offline migration moves a "
                     "definition. Choose a live migration instead."), result->canonical_name);
      return FALSE;
    }

  /* Running on the destination already (same UUID): libvirt would refuse, say it plainly. */
  if (virDomainGetUUIDString (hosts->sdom, uuid) == 0
      && (ddom = virDomainLookupByUUIDString (hosts->dconn, uuid)) != NULL)
    {
      int active = virDomainIsActive (ddom);

      virDomainFree (ddom);
      if (active == 1)
        {
          g_set_error (error, MW_MIGRATION_JOB_ERROR, MW_MIGRATION_JOB_ERROR_DOMAIN,
                       _("“%s” already runs on the destination host. Choose another "
                         "destination, or stop that copy first."), result->canonical_name);
          return FALSE;
        }
    }
  virResetLastError ();
  return TRUE;
}

/* Worker: registered last, so a failure before leaves nothing to deregister but volumes. */
static void
prepare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PrepareData *data = task_data;
  g_autoptr(PrepareResult) result = g_new0 (PrepareResult, 1);
  Hosts *hosts;
  GError *error = NULL;

  result->hosts = hosts = g_new0 (Hosts, 1);
  hosts->event_ids[0] = hosts->event_ids[1] = hosts->event_ids[2] = -1;
  hosts->context = mw_job_event_context_ref (data->context);
  result->created_volumes = mw_created_volumes_new ();

  hosts->sconn = open_connection (data->source_uri, _("source"), &error);
  if (hosts->sconn == NULL)
    goto failed;
  hosts->dconn = open_connection (data->destination_uri, _("destination"), &error);
  if (hosts->dconn == NULL)
    goto failed;
  result->destination_libvirt = libvirt_version (hosts->dconn);
  if (!check_domain (data, result, &error))
    goto failed;
  if (data->options->storage != MW_MIGRATION_STORAGE_SHARED && !data->options->postcopy_resume
      && !mw_created_volumes_precreate (hosts->sconn, hosts->dconn, hosts->sdom,
                                        result->created_volumes, &error))
    goto failed;

  if (hosts->sdom != NULL)
    mw_speed_guard_read_before (&MW_JOB_BACKEND_LIBVIRT (source_object)->speed, hosts->sdom);
  mw_job_hosts_watch (hosts);
  g_task_return_pointer (task, g_steal_pointer (&result), prepare_result_free);
  return;

failed:
  g_task_return_error (task, error);
}

static void
mw_job_backend_libvirt_prepare_async (MwJobBackend             *backend,
                                      const char               *domain_name,
                                      const MwMigrationOptions *options,
                                      GCancellable             *cancellable,
                                      GAsyncReadyCallback       callback,
                                      gpointer                  user_data)
{
  MwJobBackendLibvirt *self = MW_JOB_BACKEND_LIBVIRT (backend);
  g_autoptr(GTask) task = NULL;
  PrepareData *data;

  g_return_if_fail (self->event_context == NULL);

  self->event_context = mw_job_event_context_new (self);
  data = g_new0 (PrepareData, 1);
  data->source_uri = g_strdup (self->source_uri);
  data->destination_uri = g_strdup (self->destination_uri);
  data->domain_name = g_strdup (domain_name);
  data->options = mw_migration_options_copy (options);
  data->context = mw_job_event_context_ref (self->event_context);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mw_job_backend_libvirt_prepare_async);
  g_task_set_task_data (task, data, prepare_data_free);
  g_task_run_in_thread (task, prepare_thread);
}

static MwJobPrepared *
mw_job_backend_libvirt_prepare_finish (MwJobBackend  *backend,
                                       GAsyncResult  *res,
                                       GError       **error)
{
  MwJobBackendLibvirt *self = MW_JOB_BACKEND_LIBVIRT (backend);
  g_autoptr(PrepareResult) result = g_task_propagate_pointer (G_TASK (res), error);
  MwJobPrepared *prepared;

  if (result == NULL)
    return NULL;

  self->hosts = *result->hosts;
  g_clear_pointer (&result->hosts, g_free);
  g_array_append_vals (self->created_volumes, result->created_volumes->data,
                       result->created_volumes->len);
  /* The strings now belong to self->created_volumes. */
  g_array_set_clear_func (result->created_volumes, NULL);

  prepared = g_new0 (MwJobPrepared, 1);
  prepared->canonical_name = g_steal_pointer (&result->canonical_name);
  prepared->n_created_volumes = self->created_volumes->len;
  prepared->destination_libvirt = result->destination_libvirt;
  return prepared;
}

/* ---- the migration call -------------------------------------------------------------------- */

static void
on_migrated_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (mw_migration_migrate_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
mw_job_backend_libvirt_migrate_async (MwJobBackend             *backend,
                                      const char               *domain_name,
                                      const char               *dest_uri,
                                      const MwMigrationOptions *options,
                                      GCancellable             *cancellable,
                                      GAsyncReadyCallback       callback,
                                      gpointer                  user_data)
{
  MwJobBackendLibvirt *self = MW_JOB_BACKEND_LIBVIRT (backend);
  GTask *task;

  g_return_if_fail (self->hosts.sconn != NULL);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mw_job_backend_libvirt_migrate_async);
  mw_migration_migrate_async (self->hosts.sconn, domain_name, self->hosts.dconn, dest_uri,
                              options, cancellable, on_migrated_cb, task);
}

/* ---- sampling and actions (workers) -------------------------------------------------------- */

static void
sample_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  virDomainPtr dom = task_data;
  virTypedParameterPtr params = NULL;
  int n_params = 0;
  int type = VIR_DOMAIN_JOB_NONE;
  MwJobSample *sample;
  GError *error = NULL;

  if (virDomainGetJobStats (dom, &type, &params, &n_params, 0) < 0)
    {
      mw_libvirt_set_error (&error, _("Could not read the migration’s progress"));
      g_task_return_error (task, error);
      return;
    }
  sample = g_new0 (MwJobSample, 1);
  mw_job_sample_from_params (sample, type, params, n_params, g_get_monotonic_time ());
  virTypedParamsFree (params, n_params);
  g_task_return_pointer (task, sample, g_free);
}

/* Worker. */
static void
domain_release (gpointer dom)
{
  virDomainFree (dom);
}

/* The task goes after its callback, on the main thread; its reference may be the domain's last
 * (the job went meanwhile), and with it the connection's. */
static void
domain_unref (gpointer dom)
{
  mw_libvirt_release_in_worker (domain_release, dom);
}

/* A task on the source domain, with a reference of its own. */
static GTask *
domain_task_new (MwJobBackendLibvirt *self,
                 gpointer             source_tag,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  virDomainRef (self->hosts.sdom);
  g_task_set_task_data (task, self->hosts.sdom, domain_unref);
  return task;
}

static void
mw_job_backend_libvirt_sample_async (MwJobBackend        *backend,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  MwJobBackendLibvirt *self = MW_JOB_BACKEND_LIBVIRT (backend);
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (self->hosts.sdom != NULL);
  task = domain_task_new (self, mw_job_backend_libvirt_sample_async, cancellable, callback,
                          user_data);
  g_task_run_in_thread (task, sample_thread);
}

typedef struct
{
  MwJobAction action;
  guint64 value;
} ActionData;

static void
action_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  virDomainPtr dom = task_data;
  ActionData *action = g_object_get_data (G_OBJECT (task), "mw-action");
  GError *error = NULL;
  int rc = -1;
  const char *prefix = NULL;

  switch (action->action)
    {
    case MW_JOB_ACTION_ABORT:
      rc = virDomainAbortJob (dom);
      prefix = _("Could not stop the migration");
      break;
    case MW_JOB_ACTION_MAX_DOWNTIME:
      rc = virDomainMigrateSetMaxDowntime (dom, action->value, 0);
      prefix = _("Could not change the maximum downtime");
      break;
    case MW_JOB_ACTION_MAX_SPEED:
      /* Only while the migration may still run (mw-job-backend-libvirt-speed.c). */
      if (!mw_speed_guard_set (&MW_JOB_BACKEND_LIBVIRT (source_object)->speed, dom,
                               action->value == 0 ? MW_LIBVIRT_SPEED_UNLIMITED_MIB_S : action->value,
                               &error))
        {
          g_task_return_error (task, error);
          return;
        }
      rc = 0;
      break;
    case MW_JOB_ACTION_POSTCOPY:
      rc = virDomainMigrateStartPostCopy (dom, 0);
      prefix = _("Could not switch the migration to post-copy");
      break;
    case MW_JOB_ACTION_POSTCOPY_PAUSE:
      /* libvirt 8.5 (declared in 9.0's header): QEMU pauses the post-copy, to be recovered. */
      rc = virDomainAbortJobFlags (dom, VIR_DOMAIN_ABORT_JOB_POSTCOPY);
      prefix = _("Could not pause the post-copy migration");
      break;
    default:
      g_assert_not_reached ();
    }

  if (rc < 0)
    {
      mw_libvirt_set_error (&error, prefix);
      g_task_return_error (task, error);
    }
  else
    g_task_return_boolean (task, TRUE);
}

static void
mw_job_backend_libvirt_act_async (MwJobBackend        *backend,
                                  MwJobAction          action,
                                  guint64              value,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  MwJobBackendLibvirt *self = MW_JOB_BACKEND_LIBVIRT (backend);
  g_autoptr(GTask) task = NULL;
  ActionData *data;

  g_return_if_fail (self->hosts.sdom != NULL);
  task = domain_task_new (self, mw_job_backend_libvirt_act_async, cancellable, callback,
                          user_data);
  data = g_new0 (ActionData, 1);
  data->action = action;
  data->value = value;
  g_object_set_data_full (G_OBJECT (task), "mw-action", data, g_free);
  g_task_run_in_thread (task, action_thread);
}

/* ---- verification and clean-up (workers) --------------------------------------------------- */

typedef struct
{
  virConnectPtr sconn;
  virConnectPtr dconn;
  char *domain_name;
  gboolean migration_started;
  gboolean call_succeeded;
  GArray *volumes;
} HostsData;

/* Worker: the task's references may be the last ones (the job went meanwhile). */
static void
hosts_data_release (gpointer data)
{
  HostsData *hosts = data;

  virConnectClose (hosts->sconn);
  virConnectClose (hosts->dconn);
  g_free (hosts->domain_name);
  g_clear_pointer (&hosts->volumes, g_array_unref);
  g_free (hosts);
}

/* The task goes after its callback, on the main thread. */
static void
hosts_data_free (gpointer data)
{
  mw_libvirt_release_in_worker (hosts_data_release, data);
}

static GTask *
hosts_task_new (MwJobBackendLibvirt *self,
                gpointer             source_tag,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data,
                HostsData          **data_out)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  HostsData *data = g_new0 (HostsData, 1);

  data->sconn = self->hosts.sconn;
  virConnectRef (data->sconn);
  data->dconn = self->hosts.dconn;
  virConnectRef (data->dconn);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, hosts_data_free);
  *data_out = data;
  return task;
}

static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  HostsData *data = task_data;

  /* The call has returned: the guest's migration speed as it was (a no-op unless changed). */
  mw_speed_guard_end (&MW_JOB_BACKEND_LIBVIRT (source_object)->speed, data->sconn,
                      data->domain_name);
  g_task_return_pointer (task,
                         mw_migration_verify (data->sconn, data->dconn, data->domain_name,
                                              data->migration_started, data->call_succeeded),
                         (GDestroyNotify) mw_verify_findings_free);
}

static void
mw_job_backend_libvirt_verify_async (MwJobBackend        *backend,
                                     const char          *domain_name,
                                     gboolean             migration_started,
                                     gboolean             call_succeeded,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  MwJobBackendLibvirt *self = MW_JOB_BACKEND_LIBVIRT (backend);
  g_autoptr(GTask) task = NULL;
  HostsData *data;

  g_return_if_fail (self->hosts.sconn != NULL);
  task = hosts_task_new (self, mw_job_backend_libvirt_verify_async, cancellable, callback,
                         user_data, &data);
  data->domain_name = g_strdup (domain_name);
  data->migration_started = migration_started;
  data->call_succeeded = call_succeeded;
  g_task_run_in_thread (task, verify_thread);
}

static void
remove_volumes_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  HostsData *data = task_data;

  mw_created_volumes_delete (data->dconn, data->volumes);
  g_task_return_boolean (task, TRUE);
}

static void
mw_job_backend_libvirt_remove_volumes_async (MwJobBackend        *backend,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  MwJobBackendLibvirt *self = MW_JOB_BACKEND_LIBVIRT (backend);
  g_autoptr(GTask) task = NULL;
  HostsData *data;

  g_return_if_fail (self->hosts.dconn != NULL);
  task = hosts_task_new (self, mw_job_backend_libvirt_remove_volumes_async, cancellable,
                         callback, user_data, &data);
  /* Handed over: removed once, whatever the job does next. */
  data->volumes = g_steal_pointer (&self->created_volumes);
  self->created_volumes = mw_created_volumes_new ();
  g_task_run_in_thread (task, remove_volumes_thread);
}

/* ---- reopening a dead connection (worker, then the main thread swaps) ---------------------- */

typedef struct
{
  char *source_uri;
  char *destination_uri;
  char *domain_name;
  gboolean source;
  gboolean destination;
  virConnectPtr sconn;               /* the present ones, referenced; may be NULL */
  virConnectPtr dconn;
  EventContext *context;
} ReopenData;

/* Worker. */
static void
reopen_data_release (gpointer data)
{
  ReopenData *reopen = data;

  g_clear_pointer (&reopen->sconn, virConnectClose);
  g_clear_pointer (&reopen->dconn, virConnectClose);
  g_free (reopen->source_uri);
  g_free (reopen->destination_uri);
  g_free (reopen->domain_name);
  mw_job_event_context_unref (reopen->context);
  g_free (reopen);
}

static void
reopen_data_free (gpointer data)
{
  mw_libvirt_release_in_worker (reopen_data_release, data);
}

typedef struct
{
  Hosts *fresh;                      /* only the reopened sides, watched */
  MwJobReopened reopened;
} ReopenResult;

/* A result nobody took (the job went): its connections go in a worker. */
static void
reopen_result_free (gpointer data)
{
  ReopenResult *result = data;

  if (result->fresh != NULL)
    mw_libvirt_release_in_worker (mw_job_hosts_free, result->fresh);
  g_free (result);
}

/* Worker: does this connection need opening again? A closed socket (the daemon restarted) or
 * a keepalive that gave up makes virConnectIsAlive 0. */
static gboolean
connection_dead (virConnectPtr conn)
{
  gboolean dead = conn == NULL || virConnectIsAlive (conn) != 1;

  virResetLastError ();
  return dead;
}

static void
reopen_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ReopenData *data = task_data;
  ReopenResult *result = g_new0 (ReopenResult, 1);
  Hosts *fresh;
  GError *error = NULL;

  result->fresh = fresh = g_new0 (Hosts, 1);
  fresh->event_ids[0] = fresh->event_ids[1] = fresh->event_ids[2] = -1;
  fresh->context = mw_job_event_context_ref (data->context);

  if (data->source && connection_dead (data->sconn))
    {
      fresh->sconn = open_connection (data->source_uri, _("source"), &error);
      if (fresh->sconn == NULL)
        goto failed;
      /* Gone from the source (it finished meanwhile): nothing to watch there but the close. */
      fresh->sdom = virDomainLookupByName (fresh->sconn, data->domain_name);
      virResetLastError ();
      mw_job_hosts_watch_source (fresh);
      result->reopened.source = TRUE;
    }
  if (data->destination && connection_dead (data->dconn))
    {
      fresh->dconn = open_connection (data->destination_uri, _("destination"), &error);
      if (fresh->dconn == NULL)
        goto failed;
      mw_job_hosts_watch_destination (fresh);
      result->reopened.destination = TRUE;
    }
  result->reopened.destination_libvirt =
    libvirt_version (fresh->dconn != NULL ? fresh->dconn : data->dconn);
  g_task_return_pointer (task, result, reopen_result_free);
  return;

failed:
  mw_job_hosts_free (g_steal_pointer (&result->fresh));
  g_free (result);
  g_task_return_error (task, error);
}

static void
mw_job_backend_libvirt_reopen_async (MwJobBackend        *backend,
                                     const char          *domain_name,
                                     gboolean             source,
                                     gboolean             destination,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  MwJobBackendLibvirt *self = MW_JOB_BACKEND_LIBVIRT (backend);
  g_autoptr(GTask) task = NULL;
  ReopenData *data;

  g_return_if_fail (self->event_context != NULL);

  data = g_new0 (ReopenData, 1);
  data->source_uri = g_strdup (self->source_uri);
  data->destination_uri = g_strdup (self->destination_uri);
  data->domain_name = g_strdup (domain_name);
  data->source = source;
  data->destination = destination;
  if ((data->sconn = self->hosts.sconn) != NULL)
    virConnectRef (data->sconn);
  if ((data->dconn = self->hosts.dconn) != NULL)
    virConnectRef (data->dconn);
  data->context = mw_job_event_context_ref (self->event_context);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mw_job_backend_libvirt_reopen_async);
  g_task_set_task_data (task, data, reopen_data_free);
  g_task_run_in_thread (task, reopen_thread);
}

/* Main thread: the fresh sides in, the dead ones out (let go in a worker). */
static MwJobReopened *
mw_job_backend_libvirt_reopen_finish (MwJobBackend  *backend,
                                      GAsyncResult  *res,
                                      GError       **error)
{
  MwJobBackendLibvirt *self = MW_JOB_BACKEND_LIBVIRT (backend);
  ReopenResult *result = g_task_propagate_pointer (G_TASK (res), error);
  MwJobReopened *reopened;
  Hosts *fresh;
  Hosts *old;

  if (result == NULL)
    return NULL;
  reopened = g_memdup2 (&result->reopened, sizeof result->reopened);
  fresh = g_steal_pointer (&result->fresh);
  reopen_result_free (result);
  /* Released meanwhile: nothing to swap into. */
  if (self->event_context == NULL)
    {
      mw_libvirt_release_in_worker (mw_job_hosts_free, fresh);
      return reopened;
    }

  old = g_new0 (Hosts, 1);
  old->event_ids[0] = old->event_ids[1] = old->event_ids[2] = -1;
  if (reopened->source)
    {
      old->sconn = self->hosts.sconn;
      old->sdom = self->hosts.sdom;
      memcpy (old->event_ids, self->hosts.event_ids, sizeof old->event_ids);
      old->close_watches[0] = self->hosts.close_watches[0];
      self->hosts.sconn = g_steal_pointer (&fresh->sconn);
      self->hosts.sdom = g_steal_pointer (&fresh->sdom);
      memcpy (self->hosts.event_ids, fresh->event_ids, sizeof fresh->event_ids);
      self->hosts.close_watches[0] = g_steal_pointer (&fresh->close_watches[0]);
      fresh->event_ids[0] = fresh->event_ids[1] = fresh->event_ids[2] = -1;
    }
  if (reopened->destination)
    {
      old->dconn = self->hosts.dconn;
      old->close_watches[1] = self->hosts.close_watches[1];
      self->hosts.dconn = g_steal_pointer (&fresh->dconn);
      self->hosts.close_watches[1] = g_steal_pointer (&fresh->close_watches[1]);
    }
  mw_libvirt_release_in_worker (mw_job_hosts_free, old);
  mw_libvirt_release_in_worker (mw_job_hosts_free, fresh);
  return reopened;
}

/* ---- GObject ------------------------------------------------------------------------------- */

static void
mw_job_backend_libvirt_dispose (GObject *object)
{
  mw_job_backend_libvirt_release (MW_JOB_BACKEND (object));

  G_OBJECT_CLASS (mw_job_backend_libvirt_parent_class)->dispose (object);
}

static void
mw_job_backend_libvirt_finalize (GObject *object)
{
  MwJobBackendLibvirt *self = MW_JOB_BACKEND_LIBVIRT (object);

  g_free (self->source_uri);
  g_free (self->destination_uri);
  g_clear_pointer (&self->created_volumes, g_array_unref);
  mw_speed_guard_clear (&self->speed);

  G_OBJECT_CLASS (mw_job_backend_libvirt_parent_class)->finalize (object);
}

static void
mw_job_backend_libvirt_class_init (MwJobBackendLibvirtClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  MwJobBackendClass *backend_class = MW_JOB_BACKEND_CLASS (klass);

  object_class->dispose = mw_job_backend_libvirt_dispose;
  object_class->finalize = mw_job_backend_libvirt_finalize;

  backend_class->prepare_async = mw_job_backend_libvirt_prepare_async;
  backend_class->prepare_finish = mw_job_backend_libvirt_prepare_finish;
  backend_class->migrate_async = mw_job_backend_libvirt_migrate_async;
  backend_class->sample_async = mw_job_backend_libvirt_sample_async;
  backend_class->act_async = mw_job_backend_libvirt_act_async;
  backend_class->verify_async = mw_job_backend_libvirt_verify_async;
  backend_class->reopen_async = mw_job_backend_libvirt_reopen_async;
  backend_class->reopen_finish = mw_job_backend_libvirt_reopen_finish;
  backend_class->remove_volumes_async = mw_job_backend_libvirt_remove_volumes_async;
  backend_class->release = mw_job_backend_libvirt_release;
}

static void
mw_job_backend_libvirt_init (MwJobBackendLibvirt *self)
{
  self->created_volumes = mw_created_volumes_new ();
  mw_speed_guard_init (&self->speed);
}

MwJobBackend *
mw_job_backend_libvirt_new (const char *source_uri,
                            const char *destination_uri)
{
  MwJobBackendLibvirt *self = g_object_new (MW_TYPE_JOB_BACKEND_LIBVIRT, NULL);

  self->source_uri = g_strdup (source_uri);
  self->destination_uri = g_strdup (destination_uri);
  return MW_JOB_BACKEND (self);
}
