/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-test-evacuation.h: test-driver nodes with many guests, and scripted jobs for their run. */
#pragma once

#include "mw-fake-backend.h"
#include "mw-migration-job.h"

G_BEGIN_DECLS

#define LOCAL_EVERY 25                 /* guest i with i % 25 == 7 has a local-only disk */
#define FAILING_GUEST "guest010"
/* The first migrations run long enough to be watched (their rows, their charts); the rest
 * finish in a few samples so that 300 guests take seconds. */
#define N_SLOW 8
#define SAMPLES_SLOW 60
#define SAMPLES_FAST 3

/* Writes dir/src.xml (n_guests guests "guest000"…, every 10th shut off, every LOCAL_EVERY-th
 * with its disk on storage only the source has) and dir/dst.xml (no guest, the same shared
 * pool and bridge); their test:// URIs come back in src_uri and dst_uri. */
void             mw_test_evacuation_write_nodes (const char  *dir,
                                                 guint        n_guests,
                                                 char       **src_uri,
                                                 char       **dst_uri);

typedef struct
{
  GHashTable *fakes;                  /* name → MwFakeBackend, one per job made */
  GHashTable *ticks;                  /* name → samples sent while migrating */
  gboolean hold;                      /* migration calls end only when aborted */
} MwTestJobDriver;

MwTestJobDriver *mw_test_job_driver_new     (void);
void             mw_test_job_driver_free    (MwTestJobDriver          *driver);
/* An MwEvacuationJobFactory (user_data: the driver): jobs on scripted backends. */
MwMigrationJob  *mw_test_job_driver_factory (const char               *source_uri,
                                             const char               *destination_uri,
                                             const char               *domain_name,
                                             const MwMigrationOptions *options,
                                             gpointer                  user_data);
/* A GSourceFunc (the driver): answers one step of every job. */
gboolean         mw_test_job_driver_tick    (gpointer                  user_data);

G_END_DECLS
