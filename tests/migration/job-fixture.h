/* SPDX-License-Identifier: GPL-3.0-or-later */
/* job-fixture.h: a migration job on the scripted backend (mw-fake-backend.h), and the steps the
 * job's tests share: start it, answer its calls, run the main loop until a state. */
#pragma once

#include "mw-fake-backend.h"
#include "mw-migration-job-private.h"

G_BEGIN_DECLS

typedef struct
{
  MwFakeBackend *fake;
  MwMigrationJob *job;
  guint finished;
  guint action_failures;
  char *last_failure;
} Fixture;

/* The job, on a fake backend, with a 10 ms sample interval; counts `finished` and
 * `action-failed`. clear () checks it finished once and the hosts were let go. */
void                        fixture_init       (Fixture                  *f,
                                                const MwMigrationOptions *options);
void                        fixture_clear      (Fixture                  *f);
/* Main loop until the job is in state (fails the test after 5 s). */
void                        run_until_state    (Fixture                  *f,
                                                MwMigrationJobState       state);
void                        run_for            (guint                     ms);
/* Waits for a call of that kind and answers it with success. */
void                        reply_ok           (Fixture                  *f,
                                                MwFakeKind                kind);
GError                     *libvirt_error      (int                       code,
                                                const char               *message);
void                        reply_findings     (Fixture                  *f,
                                                gboolean                  on_destination,
                                                gboolean                  on_source);
void                        set_running_sample (Fixture                  *f,
                                                guint64                   iteration);
/* Start, prepare, and the migration call under way with samples flowing. */
void                        start_running      (Fixture                  *f);
gboolean                    history_has_event  (MwMigrationJob           *job,
                                                MwHistoryEventKind        kind);
/* Until the job ends in state; its result. */
const MwMigrationJobResult *finish             (Fixture                  *f,
                                                MwMigrationJobState       state);
/* The migration call returns, the guest is found where on_destination and on_source say, and
 * the job ends in state: its result. */
const MwMigrationJobResult *migration_returns  (Fixture                  *f,
                                                gboolean                  on_destination,
                                                gboolean                  on_source,
                                                MwMigrationJobState       state);

G_END_DECLS
