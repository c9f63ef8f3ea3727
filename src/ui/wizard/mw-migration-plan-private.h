/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-plan-private.h: for the UI tests, which give the wizard's job a scripted backend
 * (tests/migration/mw-fake-backend.h), as the evacuation window's tests give its run. */
#pragma once

#include "mw-evacuation-private.h"
#include "mw-migration-plan.h"

G_BEGIN_DECLS

/* Before create_job (); NULL restores mw_migration_job_new. */
void mw_migration_plan_set_job_factory (MwMigrationPlan        *self,
                                        MwEvacuationJobFactory  factory,
                                        gpointer                user_data);

G_END_DECLS
