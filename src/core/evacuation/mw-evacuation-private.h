/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-evacuation-private.h: for the unit tests, which give the run jobs on a scripted backend. */
#pragma once

#include "mw-evacuation.h"

G_BEGIN_DECLS

typedef MwMigrationJob *(*MwEvacuationJobFactory) (const char               *source_uri,
                                                   const char               *destination_uri,
                                                   const char               *domain_name,
                                                   const MwMigrationOptions *options,
                                                   gpointer                  user_data);

/* Before start (); NULL restores mw_migration_job_new. */
void mw_evacuation_set_job_factory (MwEvacuation           *self,
                                    MwEvacuationJobFactory  factory,
                                    gpointer                user_data);

G_END_DECLS
