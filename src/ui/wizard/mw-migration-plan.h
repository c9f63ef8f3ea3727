/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-plan.h: one migration as the wizard's pages decide it, and its job once it runs.
 *
 * The model the wizard's pages bind to. Construct-only: the connections and the domain (its
 * connection is the source). Read-write: `destination` (an MwConnection), `options` (boxed
 * MwMigrationOptions, copied in and out), `ping-address` (an IP address, or NULL: no ping).
 * Read-only, kept from those: `validation-message` (the core's sentence for the first conflict,
 * NULL when the options are valid), `virsh-text` (the equivalent command, NULL while invalid or
 * with no destination) and `job` (set once by create_job ()). Every property notifies only when
 * its value changed. GLib only, main thread only.
 */
#pragma once

#include <gio/gio.h>

#include "mw-connection-list.h"
#include "mw-migration-job.h"

G_BEGIN_DECLS

#define MW_TYPE_MIGRATION_PLAN (mw_migration_plan_get_type ())

G_DECLARE_FINAL_TYPE (MwMigrationPlan, mw_migration_plan, MW, MIGRATION_PLAN, GObject)

/* domain: an MwDomain of a connection in connections. A domain that does not run starts with
 * offline options: only its definition can move. */
MwMigrationPlan          *mw_migration_plan_new                (MwConnectionList *connections,
                                                                MwDomain         *domain);
MwConnectionList         *mw_migration_plan_get_connections    (MwMigrationPlan  *self);
MwDomain                 *mw_migration_plan_get_domain         (MwMigrationPlan  *self);
MwConnection             *mw_migration_plan_get_source         (MwMigrationPlan  *self);
MwConnection             *mw_migration_plan_get_destination    (MwMigrationPlan  *self);
void                      mw_migration_plan_set_destination    (MwMigrationPlan  *self,
                                                                MwConnection     *destination);
const MwMigrationOptions *mw_migration_plan_get_options        (MwMigrationPlan  *self);
void                      mw_migration_plan_set_options        (MwMigrationPlan          *self,
                                                                const MwMigrationOptions *options);
const char               *mw_migration_plan_get_ping_address   (MwMigrationPlan  *self);
void                      mw_migration_plan_set_ping_address   (MwMigrationPlan  *self,
                                                                const char       *address);
const char               *mw_migration_plan_get_validation_message (MwMigrationPlan *self);
const char               *mw_migration_plan_get_virsh_text     (MwMigrationPlan  *self);

/* The connections' titles for headings ("Demo: hostb"), or "the source" while one is unknown. */
const char               *mw_migration_plan_get_source_title      (MwMigrationPlan *self);
const char               *mw_migration_plan_get_destination_title (MwMigrationPlan *self);

/* Why a connection cannot be the destination, in words, or NULL when it can. */
char                     *mw_migration_plan_get_unusable_reason (MwMigrationPlan *self,
                                                                 MwConnection    *candidate);
/* Whether the connection is libvirt's test driver (the demo nodes): each node stands for a
 * machine of its own, and its host name tells nothing. */
gboolean                  mw_migration_plan_is_test_connection (MwConnection     *connection);

/* Pre-flight's convergence forecast for these choices (copied; NULL: none), which create_job ()
 * hands to the job for the result page and the report. The checks page sets it. */
const MwForecast         *mw_migration_plan_get_forecast       (MwMigrationPlan  *self);
void                      mw_migration_plan_set_forecast       (MwMigrationPlan  *self,
                                                                const MwForecast *forecast);

/* NULL until create_job (). */
MwMigrationJob           *mw_migration_plan_get_job            (MwMigrationPlan  *self);
/* Makes the job for this plan (pinging the address only for a live migration), keeps it as
 * `job` and returns it, not started. Needs a destination; once per plan. */
MwMigrationJob           *mw_migration_plan_create_job         (MwMigrationPlan  *self);
/* After a job that did not succeed: the plan lets it go (`job` back to NULL), keeping every
 * choice, so the user can change them and create a new one. */
void                      mw_migration_plan_forget_job         (MwMigrationPlan  *self);

G_END_DECLS
