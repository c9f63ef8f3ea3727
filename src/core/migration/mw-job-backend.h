/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-job-backend.h: everything MwMigrationJob asks of the two hosts, behind one narrow class.
 *
 * The job is a state machine on the main thread; the backend does the talking. Each call is an
 * _async/_finish pair that completes on the main context; events arrive as signals, also on
 * the main thread. Two implementations: MwJobBackendLibvirt (mw-job-backend-libvirt.h: its own
 * connections to both hosts, workers, libvirt events) and, in the tests, a scripted fake that
 * lets a unit test drive every transition with no host at all (tests/migration/).
 *
 * Calls, in the order a job makes them:
 *   prepare   open both hosts, look the domain up, check it can move, pre-create the volumes of
 *             a copy-storage migration, start watching its events;
 *   migrate   the migration call itself (blocks a worker for the whole migration);
 *   sample    the running job's statistics, one request at a time;
 *   act       abort, max downtime, max speed or post-copy on the running migration;
 *   verify    ask both hosts where the guest is (a host that cannot be asked says so);
 *   reopen    while a post-copy waits, paused: open a host's connection again when it died (a
 *             daemon restarted, say after an update), and watch it as prepare did;
 *   remove_volumes  remove what prepare created on the destination;
 *   release   stop watching and close (in a worker); late events are dropped.
 *
 * Signals: `migration-iteration` (int pass), `job-completed` (const MwJobSample *),
 * `postcopy-started`, `postcopy-failed` (the source said its post-copy broke off and the
 * migration is paused), `connection-lost` (gboolean destination, int libvirt reason).
 */
#pragma once

#include <gio/gio.h>

#include "mw-job-sample.h"
#include "mw-migration-options.h"
#include "mw-migration-verify.h"

G_BEGIN_DECLS

typedef enum
{
  MW_JOB_ACTION_ABORT,
  MW_JOB_ACTION_MAX_DOWNTIME,   /* value: milliseconds */
  MW_JOB_ACTION_MAX_SPEED,      /* value: MiB/s, 0 lifts the cap */
  MW_JOB_ACTION_POSTCOPY,
  MW_JOB_ACTION_POSTCOPY_PAUSE, /* virDomainAbortJobFlags (VIR_DOMAIN_ABORT_JOB_POSTCOPY) */
} MwJobAction;

/* What prepare found and made. */
typedef struct
{
  char *canonical_name;         /* the domain's own name (the job may have been given a UUID) */
  guint n_created_volumes;      /* volumes pre-created on the destination */
  gulong destination_libvirt;   /* virConnectGetLibVersion on the destination; 0: not known */
} MwJobPrepared;

void mw_job_prepared_free (MwJobPrepared *prepared);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwJobPrepared, mw_job_prepared_free)

/* What reopen did. */
typedef struct
{
  gboolean source;              /* its connection was dead and is open again */
  gboolean destination;
  gulong destination_libvirt;   /* as the destination runs now; 0: not known */
} MwJobReopened;

#define MW_TYPE_JOB_BACKEND (mw_job_backend_get_type ())

G_DECLARE_DERIVABLE_TYPE (MwJobBackend, mw_job_backend, MW, JOB_BACKEND, GObject)

/* Each _finish defaults to propagating the GTask's result. */
struct _MwJobBackendClass
{
  GObjectClass parent_class;

  void              (*prepare_async)        (MwJobBackend             *self,
                                             const char               *domain_name,
                                             const MwMigrationOptions *options,
                                             GCancellable             *cancellable,
                                             GAsyncReadyCallback       callback,
                                             gpointer                  user_data);
  MwJobPrepared    *(*prepare_finish)       (MwJobBackend             *self,
                                             GAsyncResult             *result,
                                             GError                  **error);
  /* dest_uri: the destination as the source host sees it (peer-to-peer); NULL client-driven. */
  void              (*migrate_async)        (MwJobBackend             *self,
                                             const char               *domain_name,
                                             const char               *dest_uri,
                                             const MwMigrationOptions *options,
                                             GCancellable             *cancellable,
                                             GAsyncReadyCallback       callback,
                                             gpointer                  user_data);
  gboolean          (*migrate_finish)       (MwJobBackend             *self,
                                             GAsyncResult             *result,
                                             GError                  **error);
  void              (*sample_async)         (MwJobBackend             *self,
                                             GCancellable             *cancellable,
                                             GAsyncReadyCallback       callback,
                                             gpointer                  user_data);
  MwJobSample      *(*sample_finish)        (MwJobBackend             *self,
                                             GAsyncResult             *result,
                                             GError                  **error);
  void              (*act_async)            (MwJobBackend             *self,
                                             MwJobAction               action,
                                             guint64                   value,
                                             GCancellable             *cancellable,
                                             GAsyncReadyCallback       callback,
                                             gpointer                  user_data);
  gboolean          (*act_finish)           (MwJobBackend             *self,
                                             GAsyncResult             *result,
                                             GError                  **error);
  /* call_succeeded: the migration call returned success (a leftover copy on the destination is
   * only looked for after a failure). */
  void              (*verify_async)         (MwJobBackend             *self,
                                             const char               *domain_name,
                                             gboolean                  migration_started,
                                             gboolean                  call_succeeded,
                                             GCancellable             *cancellable,
                                             GAsyncReadyCallback       callback,
                                             gpointer                  user_data);
  MwVerifyFindings *(*verify_finish)        (MwJobBackend             *self,
                                             GAsyncResult             *result,
                                             GError                  **error);
  /* Each host asked for whose connection is dead (or was said lost) is opened again; a live
   * one is kept. An error when one could not be opened (the host still does not answer). */
  void              (*reopen_async)         (MwJobBackend             *self,
                                             const char               *domain_name,
                                             gboolean                  source,
                                             gboolean                  destination,
                                             GCancellable             *cancellable,
                                             GAsyncReadyCallback       callback,
                                             gpointer                  user_data);
  MwJobReopened    *(*reopen_finish)        (MwJobBackend             *self,
                                             GAsyncResult             *result,
                                             GError                  **error);
  void              (*remove_volumes_async) (MwJobBackend             *self,
                                             GCancellable             *cancellable,
                                             GAsyncReadyCallback       callback,
                                             gpointer                  user_data);
  gboolean          (*remove_volumes_finish)(MwJobBackend             *self,
                                             GAsyncResult             *result,
                                             GError                  **error);
  /* Main thread; must not block. */
  void              (*release)              (MwJobBackend             *self);
};

/* The job calls these; they dispatch to the class. */
void              mw_job_backend_prepare_async        (MwJobBackend             *self,
                                                       const char               *domain_name,
                                                       const MwMigrationOptions *options,
                                                       GCancellable             *cancellable,
                                                       GAsyncReadyCallback       callback,
                                                       gpointer                  user_data);
MwJobPrepared    *mw_job_backend_prepare_finish       (MwJobBackend             *self,
                                                       GAsyncResult             *result,
                                                       GError                  **error);
void              mw_job_backend_migrate_async        (MwJobBackend             *self,
                                                       const char               *domain_name,
                                                       const char               *dest_uri,
                                                       const MwMigrationOptions *options,
                                                       GCancellable             *cancellable,
                                                       GAsyncReadyCallback       callback,
                                                       gpointer                  user_data);
gboolean          mw_job_backend_migrate_finish       (MwJobBackend             *self,
                                                       GAsyncResult             *result,
                                                       GError                  **error);
void              mw_job_backend_sample_async         (MwJobBackend             *self,
                                                       GCancellable             *cancellable,
                                                       GAsyncReadyCallback       callback,
                                                       gpointer                  user_data);
MwJobSample      *mw_job_backend_sample_finish        (MwJobBackend             *self,
                                                       GAsyncResult             *result,
                                                       GError                  **error);
void              mw_job_backend_act_async            (MwJobBackend             *self,
                                                       MwJobAction               action,
                                                       guint64                   value,
                                                       GCancellable             *cancellable,
                                                       GAsyncReadyCallback       callback,
                                                       gpointer                  user_data);
gboolean          mw_job_backend_act_finish           (MwJobBackend             *self,
                                                       GAsyncResult             *result,
                                                       GError                  **error);
void              mw_job_backend_verify_async         (MwJobBackend             *self,
                                                       const char               *domain_name,
                                                       gboolean                  migration_started,
                                                       gboolean                  call_succeeded,
                                                       GCancellable             *cancellable,
                                                       GAsyncReadyCallback       callback,
                                                       gpointer                  user_data);
MwVerifyFindings *mw_job_backend_verify_finish        (MwJobBackend             *self,
                                                       GAsyncResult             *result,
                                                       GError                  **error);
void              mw_job_backend_reopen_async         (MwJobBackend             *self,
                                                       const char               *domain_name,
                                                       gboolean                  source,
                                                       gboolean                  destination,
                                                       GCancellable             *cancellable,
                                                       GAsyncReadyCallback       callback,
                                                       gpointer                  user_data);
/* Free with g_free. */
MwJobReopened    *mw_job_backend_reopen_finish        (MwJobBackend             *self,
                                                       GAsyncResult             *result,
                                                       GError                  **error);
void              mw_job_backend_remove_volumes_async (MwJobBackend             *self,
                                                       GCancellable             *cancellable,
                                                       GAsyncReadyCallback       callback,
                                                       gpointer                  user_data);
gboolean          mw_job_backend_remove_volumes_finish (MwJobBackend            *self,
                                                        GAsyncResult            *result,
                                                        GError                 **error);
void              mw_job_backend_release              (MwJobBackend             *self);

/* For implementations, main thread only. */
void              mw_job_backend_emit_iteration       (MwJobBackend             *self,
                                                       int                       iteration);
void              mw_job_backend_emit_job_completed   (MwJobBackend             *self,
                                                       const MwJobSample        *sample);
void              mw_job_backend_emit_postcopy_started (MwJobBackend            *self);
void              mw_job_backend_emit_postcopy_failed (MwJobBackend             *self);
void              mw_job_backend_emit_connection_lost (MwJobBackend             *self,
                                                       gboolean                  destination,
                                                       int                       reason);

G_END_DECLS
