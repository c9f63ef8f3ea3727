/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-job-private.h: what the pieces of MwMigrationJob share.
 *
 *   mw-migration-job.c          the state machine: start, prepare, the migration call;
 *                               GObject plumbing
 *   mw-migration-job-verdict.c  the end: verification on both hosts, volume clean-up, the
 *                               verdict, the result and the report
 *   mw-migration-job-progress.c sampling (one request in flight) and the backend's events
 *   mw-migration-job-actions.c  abort, remedies and the actions on a running migration
 *   mw-migration-job-postcopy.c a post-copy that broke off: the pause, watching both hosts,
 *                               Recover, Pause post-copy
 *
 * Everything here runs on the main thread; the backend (mw-job-backend.h) does the talking. */
#pragma once

#include "mw-job-backend.h"
#include "mw-migration-job.h"

G_BEGIN_DECLS

#define MW_JOB_PING_INTERVAL_MS     100
#define MW_JOB_PING_TIMEOUT_MS      1000
#define MW_JOB_PING_LEAD_IN_MS      1000
#define MW_JOB_PING_TAIL_MS         2000
/* A guest that has not answered since the call returned gets this long before it is called
 * silent (a TCG guest on a loaded machine took up to 3 s to answer again in the lab). */
#define MW_JOB_PING_SILENT_WAIT_MS  10000
#define MW_JOB_PING_RECHECK_MS      250
/* This many probes lost in a row at the end (0.3 s at 100 ms) and the guest is not answering. */
#define MW_JOB_PING_SILENT_RUN      3
#define MW_JOB_RESTART_SETTLE_MS    2000
/* An abort asked for right after the migration call began may come before libvirt has a job. */
#define MW_JOB_ABORT_RETRY_MS       200
#define MW_JOB_ABORT_RETRY_FOR_US   (10 * G_USEC_PER_SEC)
/* While a post-copy is paused, both hosts are asked this often whether they answer. */
#define MW_JOB_PAUSED_WATCH_MS      2000

struct _MwMigrationJob
{
  GObject parent_instance;

  /* Owned */
  MwJobBackend *backend;
  char *source_uri;
  char *destination_uri;
  char *domain_name;
  char *peer_uri;
  char *ping_address;
  char *source_host;
  char *destination_host;
  MwMigrationOptions *options;     /* what the current (or next) migration call uses */
  MwMigrationOptions *requested_options; /* as constructed, before any remedy */
  MwForecast *forecast;            /* pre-flight's, or NULL */
  MwMigrationJobState state;
  guint sample_interval_ms;
  guint stall_timeout_s;           /* a stalled pre-copy is stopped after this; 0: never */
  MwSampleHistory *history;
  MwPinger *pinger;
  MwConvergence *convergence;
  MwConvergenceContext context;
  GError *error;
  MwMigrationJobResult *result;
  GDateTime *started;
  GCancellable *cancellable;       /* cancelled on dispose: late results are dropped */

  gboolean prepared;               /* the backend holds both hosts and the domain */
  guint n_created_volumes;         /* pre-created on the destination by prepare */
  guint lead_in_id;
  GSource *sample_source;          /* a steady tick: ready times step by the interval */
  gint64 next_sample_us;
  guint pinger_tail_id;
  guint settle_id;
  guint postcopy_after_id;         /* the options' post-copy timer, from the migration call */
  gboolean sample_in_flight;
  gboolean sample_again;
  gboolean migration_running;      /* a migration call is under way */
  gboolean migration_started;      /* a migrate call was made at least once */
  gboolean saw_running_sample;     /* of the current call: max downtime applied after it */
  gboolean abort_requested;
  gboolean source_lost;            /* the source's connection closed during the call */
  gboolean cancel_before_start;
  gboolean downtime_failure_seen;
  gboolean have_completed_sample;
  MwRemedy restart_pending;
  MwRemedy applying_remedy;        /* while apply_remedy () runs its action(s) */
  guint passes;                    /* highest pass seen */
  gint64 call_start_us;
  gint64 call_end_us;
  gint64 total_ms;
  gint64 abort_asked_us;
  guint64 last_data_processed;
  gint64 downtime_ms;              /* from completed stats, -1 when none */
  gint64 downtime_net_ms;          /* from completed stats, -1 when none */
  char *migrate_error_message;
  gboolean verify_done;
  gboolean tail_done;
  MwVerifyFindings *found;         /* what verification found; NULL before */

  /* Post-copy that broke off (mw-migration-job-postcopy.c) */
  gboolean postcopy_seen;          /* the current migration reached post-copy */
  gboolean postcopy_failed_event;  /* the source said so (SUSPENDED_POSTCOPY_FAILED) */
  gboolean postcopy_pause_requested;
  gboolean recovering;             /* a recovery call is under way */
  gboolean nothing_to_recover;     /* started as a recovery, found the post-copy finished */
  gboolean can_recover;
  gboolean watch_in_flight;
  guint paused_watch_id;
  guint paused_watch_ms;           /* MW_JOB_PAUSED_WATCH_MS; shorter in the unit tests */
  char *paused_message;
  char *recover_blocker;
  gulong destination_libvirt;      /* as prepare or the latest reopen read it; 0: not known */
  char *recovery_impossible;       /* why no recovery can work on these hosts, or NULL */
  gboolean source_dead;            /* its connection was said lost: opened again before asking */
  gboolean destination_dead;
};

/* For the unit tests: a job whose hosts are the given backend (a scripted fake). */
MwMigrationJob *mw_migration_job_new_with_backend (MwJobBackend             *backend,
                                                   const char               *source_uri,
                                                   const char               *destination_uri,
                                                   const char               *domain_name,
                                                   const MwMigrationOptions *options);

/* mw-migration-job.c */
void     mw_migration_job_change_state        (MwMigrationJob      *self,
                                               MwMigrationJobState  state);
void     mw_migration_job_emit_remedy_done    (MwMigrationJob      *self,
                                               MwRemedy             remedy,
                                               gboolean             taken);
void     mw_migration_job_emit_action_failed  (MwMigrationJob      *self,
                                               const char          *message);
void     mw_migration_job_update_convergence  (MwMigrationJob      *self);
/* A migration call runs and the job is RUNNING or POSTCOPY. */
gboolean mw_migration_job_is_migrating        (MwMigrationJob      *self);
void     mw_migration_job_emit_finished       (MwMigrationJob      *self);

/* The migration call (again, for a recovery). */
void     mw_migration_job_start_call          (MwMigrationJob      *self);
/* Prepared: the pinger's lead-in, then the call. */
void     mw_migration_job_begin_call          (MwMigrationJob      *self);
/* can-recover, recover-blocker and paused-message, at once. */
void     mw_migration_job_notify_paused       (MwMigrationJob      *self);

/* mw-migration-job-verdict.c */
void     mw_migration_job_begin_verify        (MwMigrationJob      *self);
/* Ends the job now (PREPARING failed); takes error. */
void     mw_migration_job_fail                (MwMigrationJob      *self,
                                               GError              *error);
void     mw_migration_job_clear_timeouts      (MwMigrationJob      *self);
/* One sentence for a failed preparation or migration call whose libvirt text alone says
 * little to a person (no space or memory on the destination); NULL when libvirt's own words
 * will do. A lost peer is told at the verdict, once both hosts were asked. */
char    *mw_migration_job_explain_error       (MwMigrationJob      *self,
                                               const GError        *error);
void     mw_migration_job_result_free         (MwMigrationJobResult *result);

/* mw-migration-job-progress.c */
void     mw_migration_job_connect_backend     (MwMigrationJob      *self);
void     mw_migration_job_start_sampling      (MwMigrationJob      *self);
void     mw_migration_job_stop_sampling       (MwMigrationJob      *self);
void     mw_migration_job_sample_now          (MwMigrationJob      *self);

/* Ends the job now with the verdict from what both hosts said. */
void     mw_migration_job_conclude_from_findings (MwMigrationJob   *self);

/* mw-migration-job-postcopy.c */
/* After verification: did a post-copy break off, the guest waiting for recovery? */
gboolean mw_migration_job_postcopy_broke_off  (MwMigrationJob      *self);
void     mw_migration_job_enter_paused        (MwMigrationJob      *self);
void     mw_migration_job_stop_watching       (MwMigrationJob      *self);
/* Prepared, started as a recovery (`--postcopy-recover`): both hosts asked first; TRUE when
 * that is under way (it begins the call, or ends the job when there is nothing to recover). */
gboolean mw_migration_job_check_before_resume (MwMigrationJob      *self);
/* The destination's libvirt as read now (prepare, reopen): whether a recovery can work. */
void     mw_migration_job_set_destination_libvirt (MwMigrationJob  *self,
                                                   gulong           version);
/* can-recover and recover-blocker from the state and the latest findings. */
void     mw_migration_job_update_recover_offer (MwMigrationJob     *self);
/* A host's connection said lost while paused: open it again at the next look. */
void     mw_migration_job_mark_connection_dead (MwMigrationJob     *self,
                                                gboolean            destination);
/* A post-copy whose stream stalled: paused on purpose, to be recovered (client-driven
 * migrations have no libvirt keepalive between the hosts to notice a cut link). */
void     mw_migration_job_pause_stalled_postcopy (MwMigrationJob   *self);

/* mw-migration-job-actions.c */
void     mw_migration_job_run_action          (MwMigrationJob      *self,
                                               MwJobAction          action,
                                               guint64              value,
                                               gboolean             automatic);
void     mw_migration_job_request_abort       (MwMigrationJob      *self);
/* The aborted call of a RESTART remedy returned: options for the next call. */
void     mw_migration_job_schedule_restart    (MwMigrationJob      *self);

G_END_DECLS
