/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-evacuation-private.h: the run's insides, shared by mw-evacuation.c (the object, its counts,
 * shutting down, saving and starting) and mw-evacuation-jobs.c (the migrations); and for the
 * unit tests, which give the run jobs on a scripted backend. */
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

/* Object data on an item while its job runs. */
/* the bandwidth the job was given, MiB/s */
#define MW_EVACUATION_DATA_SHARE     "mw-evacuation-share"
/* cancel_item () or stop () took it out */
#define MW_EVACUATION_DATA_CANCELLED "mw-evacuation-cancelled"
/* its job's start () was called */
#define MW_EVACUATION_DATA_STARTED   "mw-evacuation-started"

struct _MwEvacuation
{
  GObject parent_instance;

  /* Owned */
  MwEvacuationPlan *plan;
  GPtrArray *queue;                /* MwEvacuationItem to migrate, in the plan's order */
  GPtrArray *active;               /* MwEvacuationItem whose job runs */
  GHashTable *job_reports;         /* name → MwReport */
  GCancellable *cancellable;       /* address look-ups and actions; cancelled on dispose */

  MwEvacuationJobFactory factory;
  gpointer factory_data;
  MwEvacuationRunState state;
  guint parallel;
  guint bandwidth;
  guint sample_interval_ms;
  gboolean stop_on_failure;
  gboolean ping;
  gboolean stopped;
  gboolean all_moved;
  guint next;                      /* index in queue of the next guest to start */
  guint n_acting;
  guint n_done;
  guint n_failed;
  guint n_skipped;
  guint max_running;
  gint64 start_us;
  gint64 end_us;
};

/* mw-evacuation.c */
void mw_evacuation_count_end      (MwEvacuation     *self,
                                   MwEvacuationItem *item);
void mw_evacuation_maybe_finish   (MwEvacuation     *self);
/* Notifies `n-running`, and `max-running` with max_too. */
void mw_evacuation_notify_running (MwEvacuation     *self,
                                   gboolean          max_too);

/* mw-evacuation-jobs.c: starts queued migrations while fewer than `parallel` run. */
void mw_evacuation_schedule       (MwEvacuation     *self);

G_END_DECLS
