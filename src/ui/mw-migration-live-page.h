/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-live-page.h: a running migration, as the wizard's live page shows it.
 *
 * A view over three models and a state, all set from outside: the sample history (chart and
 * numbers), the pinger (ping strip and counts) and the newest convergence verdict (the banner
 * and its remedies). The wizard binds them to its MwMigrationJob; a test binds a history that
 * replays a recorded trace, with no job at all.
 *
 * The remedy buttons name the `migration.*` actions (raise-downtime, remove-cap, postcopy,
 * restart-auto-converge, restart-postcopy, pause-postcopy, recover); whoever hosts the page installs them, so the page
 * itself never talks to a job. Main thread only.
 */
#pragma once

#include <gtk/gtk.h>

#include "mw-convergence.h"
#include "mw-migration-job.h"
#include "mw-pinger.h"
#include "mw-sample-history.h"

G_BEGIN_DECLS

#define MW_TYPE_MIGRATION_LIVE_PAGE (mw_migration_live_page_get_type ())

G_DECLARE_FINAL_TYPE (MwMigrationLivePage, mw_migration_live_page, MW, MIGRATION_LIVE_PAGE,
                      GtkWidget)


MwSampleHistory     *mw_migration_live_page_get_history     (MwMigrationLivePage *self);
void                 mw_migration_live_page_set_history     (MwMigrationLivePage *self,
                                                             MwSampleHistory     *history);
MwPinger            *mw_migration_live_page_get_pinger      (MwMigrationLivePage *self);
void                 mw_migration_live_page_set_pinger      (MwMigrationLivePage *self,
                                                             MwPinger            *pinger);
const MwConvergence *mw_migration_live_page_get_convergence (MwMigrationLivePage *self);
/* Takes a copy; NULL shows "waiting for the first figures". */
void                 mw_migration_live_page_set_convergence (MwMigrationLivePage *self,
                                                             const MwConvergence *convergence);
/* The migration's options as they stand (a remedy changes them): the time left depends on
 * its downtime limit. NULL: libvirt's defaults. */
void                 mw_migration_live_page_set_options     (MwMigrationLivePage      *self,
                                                             const MwMigrationOptions *options);
/* The time left as shown: "about 40 s (30 s–55 s)", "Cannot finish at this rate", "—". */
const char          *mw_migration_live_page_get_time_left   (MwMigrationLivePage *self);
const char          *mw_migration_live_page_get_passes      (MwMigrationLivePage *self);
MwMigrationJobState  mw_migration_live_page_get_state       (MwMigrationLivePage *self);
void                 mw_migration_live_page_set_state       (MwMigrationLivePage *self,
                                                             MwMigrationJobState  state);
/* The user asked to stop the migration: until the state is SUCCEEDED, FAILED or CANCELLED
 * the verdict says "Stopping the migration…" with a spinner, and no remedy is offered. Whoever
 * runs the abort sets it, and clears it when the abort failed. */
gboolean             mw_migration_live_page_get_stopping    (MwMigrationLivePage *self);
void                 mw_migration_live_page_set_stopping    (MwMigrationLivePage *self,
                                                             gboolean             stopping);
/* A post-copy that broke off (state POSTCOPY_PAUSED): the banner's paragraph, and why Recover
 * waits (NULL: it does not); the job's properties of the same names. */
void                 mw_migration_live_page_set_paused_message  (MwMigrationLivePage *self,
                                                                 const char          *message);
void                 mw_migration_live_page_set_recover_blocker (MwMigrationLivePage *self,
                                                                 const char          *blocker);
/* Where the guest goes, for the words of the post-copy banner ("Demo: hostb"). */
void                 mw_migration_live_page_set_destination_title (MwMigrationLivePage *self,
                                                                   const char          *title);

/* The remedies whose buttons are shown now (a subset of the convergence's). */
MwRemedy             mw_migration_live_page_get_shown_remedies (MwMigrationLivePage *self);
/* The numbers beside the chart in words, and the verdict's title, for tests and screen
 * readers. */
const char          *mw_migration_live_page_get_verdict_title (MwMigrationLivePage *self);

/* The widgets whose picture goes into a report's PNG: the chart and ping strip in their card. */
GtkWidget           *mw_migration_live_page_get_chart_card  (MwMigrationLivePage *self);

/* For tests where ping sockets are forbidden: count and draw these records instead of a
 * pinger's (NULL, 0 to go back to the pinger). */
void                 mw_migration_live_page_set_test_ping_records (MwMigrationLivePage *self,
                                                                   const char          *address,
                                                                   const MwPingRecord  *records,
                                                                   guint                n_records);

G_END_DECLS
