/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-job.h: one migration as the user lives it, from before the start to the proof.
 *
 * A main-thread GObject that the wizard's live page, the command line and the lab tests all
 * drive the same way:
 *
 *   job = mw_migration_job_new (source_uri, destination_uri, domain, options);
 *   mw_migration_job_set_ping_address (job, "10.77.0.10");   // or mw_domain_discover_address_async
 *   mw_migration_job_start (job);                            // returns at once
 *   … watch `state`, `history` (samples), `pinger`, `convergence`; act with abort (),
 *     set_max_downtime (), set_bandwidth (), start_postcopy (), restart () …
 *   `finished` → get_result (), create_report ()
 *
 * The hosts are behind an MwJobBackend (mw-job-backend.h): libvirt by default, a scripted fake
 * in the unit tests (tests/migration/test-migration-job.c cover the state machine with it).
 *
 * Threads: the job opens its OWN libvirt connections to both hosts in workers (the UI's
 * MwConnections are left alone). The migration call blocks a worker for its whole length. A
 * timer on the main context asks a worker for virDomainGetJobStats every sample interval, with
 * at most one request in flight; the samples come back to the main thread and are pushed into
 * the history. Migration-iteration and job-completed events of the source connection (via
 * gvir_event_register) mark pass boundaries at their exact time and trigger an extra sample.
 * Remedies and abort each run as their own worker task; a GCancellable cannot stop a running
 * libvirt call, abort () is the way to stop a migration.
 *
 * GObject API (added by the implementation, for binding): read-only properties `state`
 * (MwMigrationJobState), `convergence` (MwConvergence, boxed), `history`, `pinger` (notified
 * when the pinger is created, one second before the migration call); read-write `peer-uri`,
 * `sample-interval` (ms), `ping-address`; construct-only `source-uri`, `destination-uri`,
 * `domain-name`, `options`. Signals: `finished` (no arguments) and `action-failed` (const char
 * *message). A remedy that succeeds updates get_options () (max_downtime_ms, bandwidth_mib_s;
 * auto_converge / postcopy after a RESTART remedy). set_bandwidth (0) sends libvirt's own
 * "unlimited" (8796093022207 MiB/s, what `virsh migrate-getspeed` shows when nothing is capped);
 * with QEMU 7.2, 0 lifts the cap too (both measured in the lab).
 *
 * A post-copy that breaks off goes to POSTCOPY_PAUSED instead of FAILED when a host says so
 * (paused or running with reason POSTCOPY_FAILED) or cannot be asked (the guest cannot be back
 * on the source): property `can-recover` turns TRUE once both hosts answer, recover () resumes
 * the migration (VIR_MIGRATE_POSTCOPY_RESUME, the same options) → POSTCOPY → VERIFYING; a
 * recovery that fails leaves it paused, with `action-failed`. `finished` only comes at an end.
 *
 * Steps: PREPARING (open both connections, look the domain up, pre-create destination volumes
 * for copy-storage, start the pinger one second ahead) → RUNNING (→ POSTCOPY) → VERIFYING
 * (look on both hosts where the domain runs, whether it is persistent there and gone from the
 * source — checked, not assumed; completed-job statistics for the downtime; the pinger keeps
 * going two seconds after the end) → SUCCEEDED, FAILED or CANCELLED.
 */
#pragma once

#include <gio/gio.h>

#include "mw-convergence.h"
#include "mw-forecast.h"
#include "mw-migration-options.h"
#include "mw-pinger.h"
#include "mw-report.h"
#include "mw-sample-history.h"

G_BEGIN_DECLS

#define MW_MIGRATION_JOB_ERROR (mw_migration_job_error_quark ())

typedef enum
{
  MW_MIGRATION_JOB_ERROR_NOT_RUNNING,    /* a remedy or abort with no migration running */
  MW_MIGRATION_JOB_ERROR_DOMAIN,         /* the domain is missing or not in a state to move */
  MW_MIGRATION_JOB_ERROR_STORAGE,        /* a destination volume could not be pre-created */
  MW_MIGRATION_JOB_ERROR_VERIFY,         /* libvirt said success but the domain is not there */
  MW_MIGRATION_JOB_ERROR_SOURCE_LOST,    /* the source's libvirt stopped answering mid-way */
  MW_MIGRATION_JOB_ERROR_CANNOT_RECOVER, /* the destination's libvirt crashes on a resume */
} MwMigrationJobError;

typedef enum
{
  MW_MIGRATION_JOB_STATE_READY,
  MW_MIGRATION_JOB_STATE_PREPARING,
  MW_MIGRATION_JOB_STATE_RUNNING,
  MW_MIGRATION_JOB_STATE_POSTCOPY,
  MW_MIGRATION_JOB_STATE_VERIFYING,
  MW_MIGRATION_JOB_STATE_SUCCEEDED,
  MW_MIGRATION_JOB_STATE_FAILED,
  MW_MIGRATION_JOB_STATE_CANCELLED,
  /* A post-copy that broke off (the link between the hosts, Pause post-copy): the guest is
   * paused on the destination with part of its memory still on the source. Not an end: the
   * job keeps asking both hosts, and recover () finishes the migration. */
  MW_MIGRATION_JOB_STATE_POSTCOPY_PAUSED,
} MwMigrationJobState;

/* What was found after the end, on both hosts. */
typedef struct
{
  MwMigrationJobState state;      /* SUCCEEDED, FAILED or CANCELLED */
  gboolean on_destination;        /* the domain is active on the destination */
  gboolean persistent_on_destination;
  gboolean on_source;             /* active on the source */
  gboolean defined_on_source;     /* still defined on the source (active or not) */
  gboolean destination_unreachable; /* the destination could not be asked where the guest is */
  gboolean source_unreachable;
  gboolean leftover_on_destination; /* an unfinished incoming copy waits there (mw-leftover.h) */
  gboolean nothing_to_recover;    /* a recovery (postcopy_resume from the start) found the
                                   * post-copy finished already: no call was made */
  gint64 total_ms;                /* from the migration call to its return */
  gint64 downtime_ms;             /* libvirt's completed-job downtime; -1 when it kept none */
  gint64 downtime_net_ms;         /* the same without the network's part; -1 when none */
  guint64 data_transferred;       /* bytes, from the last sample or the completed stats */
  guint passes;
  guint pings_sent;
  guint pings_lost;
  gint64 longest_ping_gap_us;     /* -1 without a pinger */
  guint pings_answered_after;     /* replies to pings sent after the migration call returned */
  guint pings_lost_at_end;        /* probes lost in a row at the very end */
  gboolean guest_silent;          /* pinged, but no reply after the call returned, or not
                                   * answering at the end (the job waits up to 10 s for it):
                                   * a success that needs a look */
  char *error_message;            /* libvirt's text for a failure, else NULL */
  char *summary;                  /* one translated paragraph: what happened and where it runs */
} MwMigrationJobResult;

#define MW_TYPE_MIGRATION_JOB (mw_migration_job_get_type ())

G_DECLARE_FINAL_TYPE (MwMigrationJob, mw_migration_job, MW, MIGRATION_JOB, GObject)

GQuark               mw_migration_job_error_quark      (void);

MwMigrationJob      *mw_migration_job_new              (const char               *source_uri,
                                                        const char               *destination_uri,
                                                        const char               *domain_name,
                                                        const MwMigrationOptions *options);

const char          *mw_migration_job_get_source_uri      (MwMigrationJob *self);
const char          *mw_migration_job_get_destination_uri (MwMigrationJob *self);
const char          *mw_migration_job_get_domain_name     (MwMigrationJob *self);
const MwMigrationOptions *mw_migration_job_get_options    (MwMigrationJob *self);
/* The options as the user asked for them, before any remedy changed them (what the report
 * shows as "options"; the remedies taken are listed beside them). */
const MwMigrationOptions *mw_migration_job_get_requested_options (MwMigrationJob *self);
MwMigrationJobState  mw_migration_job_get_state           (MwMigrationJob *self);
/* An abort was asked for and not refused (a refused abort clears it before `action-failed`). */
gboolean             mw_migration_job_get_abort_requested (MwMigrationJob *self);
/* The samples and events of this run; the same object for the job's life. */
MwSampleHistory     *mw_migration_job_get_history         (MwMigrationJob *self);
/* NULL until a ping address is set. */
MwPinger            *mw_migration_job_get_pinger          (MwMigrationJob *self);
/* The newest verdict (property `convergence`, notified after each sample); NULL before the
 * first sample. */
const MwConvergence *mw_migration_job_get_convergence     (MwMigrationJob *self);
/* The error that ended the job, or NULL. */
const GError        *mw_migration_job_get_error           (MwMigrationJob *self);
/* Valid once `finished` was emitted, else NULL. */
const MwMigrationJobResult *mw_migration_job_get_result   (MwMigrationJob *self);

/* Before start (): the destination URI as the *source host* sees it, for peer-to-peer
 * (default: the destination URI); the sample interval (default 250 ms, 4 Hz; 100 for 10 Hz);
 * the guest address to ping (NULL: no ping). */
void                 mw_migration_job_set_peer_uri        (MwMigrationJob *self,
                                                           const char     *peer_uri);
void                 mw_migration_job_set_sample_interval (MwMigrationJob *self,
                                                           guint           interval_ms);
void                 mw_migration_job_set_ping_address    (MwMigrationJob *self,
                                                           const char     *address);
/* Pre-flight's convergence forecast for this migration (copied; NULL: none was made), kept to
 * be put beside the outcome on the result page and in the report. */
void                 mw_migration_job_set_forecast        (MwMigrationJob   *self,
                                                           const MwForecast *forecast);
const MwForecast    *mw_migration_job_get_forecast        (MwMigrationJob *self);
/* A pre-copy whose stream moved no byte for this long (convergence STALLED: a cut or blocked
 * network between the hosts) is stopped, the error saying why; 0 never stops it. Default
 * MW_MIGRATION_JOB_DEFAULT_STALL_TIMEOUT_S. Post-copy is never stopped. */
#define MW_MIGRATION_JOB_DEFAULT_STALL_TIMEOUT_S 60
void                 mw_migration_job_set_stall_timeout   (MwMigrationJob *self,
                                                           guint           seconds);

/* Finds an IPv4 address of the running domain on the source host: DHCP lease, then ARP, then
 * the guest agent (virDomainInterfaceAddresses). Fails with a plain message naming what was
 * tried when none knows one; the user can type it in instead. */

/* Starts; returns at once. `finished` is emitted exactly once, also for a failure in
 * PREPARING. */
void                 mw_migration_job_start               (MwMigrationJob *self);

/* Actions on the running migration. Each runs in a worker; failures are reported through the
 * `action-failed` signal (const char *message) and leave the migration running. Each adds an
 * event to the history. */
void                 mw_migration_job_abort               (MwMigrationJob *self);
void                 mw_migration_job_set_max_downtime    (MwMigrationJob *self,
                                                           guint           downtime_ms);
/* 0 removes the cap. */
void                 mw_migration_job_set_bandwidth       (MwMigrationJob *self,
                                                           guint           mib_s);
/* Needs options->postcopy. */
void                 mw_migration_job_start_postcopy      (MwMigrationJob *self);
/* In POSTCOPY: pause the post-copy on purpose (virDomainAbortJobFlags with
 * VIR_DOMAIN_ABORT_JOB_POSTCOPY, libvirt 8.5); the job goes to POSTCOPY_PAUSED. */
void                 mw_migration_job_pause_postcopy      (MwMigrationJob *self);
/* In POSTCOPY_PAUSED: one plain paragraph — where the guest is, that part of its memory is on
 * the source, that nothing is lost yet, not to stop or reboot either host; NULL otherwise. */
const char          *mw_migration_job_get_paused_message  (MwMigrationJob *self);
/* Property `can-recover`: paused, both hosts answer, no recovery under way. Properties
 * `paused-message` and `recover-blocker` are the getters around it. */
gboolean             mw_migration_job_get_can_recover     (MwMigrationJob *self);
/* Why Recover is not offered now, one sentence; NULL when it is (or not paused). Also in
 * POSTCOPY when no recovery can work on these hosts (mw_migration_job_get_recovery_impossible
 * ()): then Pause post-copy is refused for the same reason. */
const char          *mw_migration_job_get_recover_blocker (MwMigrationJob *self);
/* Once prepared: why a post-copy of this job could not be recovered on these hosts (the
 * destination's libvirt crashes on a resume, mw_migration_caps_postcopy_recovery_why_not ()),
 * re-read whenever the destination's connection is opened again; NULL when it could. */
const char          *mw_migration_job_get_recovery_impossible (MwMigrationJob *self);
/* Resumes the paused post-copy; a refusal or a failed recovery is reported through
 * `action-failed` and the job stays paused. */
void                 mw_migration_job_recover             (MwMigrationJob *self);
/* Applies one remedy from the current convergence (the RESTART ones abort, wait for the guest
 * to settle on the source, and start again with the option on, keeping the history). */
void                 mw_migration_job_apply_remedy        (MwMigrationJob *self,
                                                           MwRemedy        remedy);

/* A snapshot for saving (JSON, CSV); valid at any time, complete after `finished`. */
MwReport            *mw_migration_job_create_report       (MwMigrationJob *self);

G_END_DECLS
