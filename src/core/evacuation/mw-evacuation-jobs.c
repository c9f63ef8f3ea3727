/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-evacuation-jobs.c: the migrations of an evacuation's run (see mw-evacuation.h): starting
 * them in the plan's order up to `parallel` at once, the bandwidth cap shared between those
 * running, and each job's end. The run's object, its counts and its other actions are in
 * mw-evacuation.c.
 *
 * Main thread; the jobs talk to the hosts in their own workers. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-domain-address.h"
#include "mw-uri.h"
#include "mw-evacuation-private.h"

/* ---- bandwidth ----------------------------------------------------------------------------- */

static guint
share_for (MwEvacuation *self,
           guint         n_running)
{
  return self->bandwidth == 0 ? 0 : MAX (1, self->bandwidth / MAX (n_running, 1));
}

/* Gives each running live migration the current share; a job still preparing gets it once it
 * runs (its options already carry the share it was started with). */
static void
rebalance (MwEvacuation *self)
{
  guint share = share_for (self, self->active->len);

  if (self->bandwidth == 0)
    return;
  for (guint i = 0; i < self->active->len; i++)
    {
      MwEvacuationItem *item = g_ptr_array_index (self->active, i);
      MwMigrationJob *job = mw_evacuation_item_get_job (item);
      MwMigrationJobState state = mw_migration_job_get_state (job);

      if (!mw_evacuation_item_get_was_running (item))
        continue;
      if (state != MW_MIGRATION_JOB_STATE_RUNNING)
        continue;
      if (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (item), MW_EVACUATION_DATA_SHARE)) == share)
        continue;
      g_object_set_data (G_OBJECT (item), MW_EVACUATION_DATA_SHARE, GUINT_TO_POINTER (share));
      mw_migration_job_set_bandwidth (job, share);
    }
}

/* ---- migrations ---------------------------------------------------------------------------- */

static void
on_job_state_cb (MwMigrationJob   *job,
                 GParamSpec       *pspec,
                 MwEvacuationItem *item)
{
  MwEvacuation *self = g_object_get_data (G_OBJECT (job), "mw-evacuation");

  switch (mw_migration_job_get_state (job))
    {
    case MW_MIGRATION_JOB_STATE_RUNNING:
      mw_evacuation_item_set_state (item, MW_EVACUATION_STATE_MIGRATING);
      rebalance (self);
      break;
    case MW_MIGRATION_JOB_STATE_POSTCOPY:
    case MW_MIGRATION_JOB_STATE_POSTCOPY_PAUSED:
      mw_evacuation_item_set_state (item, MW_EVACUATION_STATE_MIGRATING);
      break;
    case MW_MIGRATION_JOB_STATE_PREPARING:
    case MW_MIGRATION_JOB_STATE_VERIFYING:
      mw_evacuation_item_set_state (item, MW_EVACUATION_STATE_CHECKING);
      break;
    case MW_MIGRATION_JOB_STATE_READY:
    case MW_MIGRATION_JOB_STATE_SUCCEEDED:
    case MW_MIGRATION_JOB_STATE_FAILED:
    case MW_MIGRATION_JOB_STATE_CANCELLED:
    default:
      break;
    }
}

static void
end_active (MwEvacuation     *self,
            MwEvacuationItem *item)
{
  g_autoptr(MwEvacuationItem) keep = g_object_ref (item);

  g_ptr_array_remove (self->active, item);
  mw_evacuation_notify_running (self, FALSE);
  mw_evacuation_count_end (self, item);
  if (mw_evacuation_item_get_state (item) == MW_EVACUATION_STATE_FAILED
      && self->stop_on_failure)
    mw_evacuation_stop (self);
  mw_evacuation_schedule (self);
  rebalance (self);
  mw_evacuation_maybe_finish (self);
}

static void
on_job_finished_cb (MwMigrationJob   *job,
                    MwEvacuationItem *item)
{
  MwEvacuation *self = g_object_get_data (G_OBJECT (job), "mw-evacuation");
  const MwMigrationJobResult *result = mw_migration_job_get_result (job);
  const MwMigrationOptions *options = mw_migration_job_get_options (job);
  const char *source = mw_evacuation_item_get_source_uri (item);
  const char *dest = mw_evacuation_item_get_destination (item);
  gboolean cancelled = g_object_get_data (G_OBJECT (item), MW_EVACUATION_DATA_CANCELLED) != NULL;
  gboolean arrived;

  g_signal_handlers_disconnect_by_data (job, item);
  g_hash_table_replace (self->job_reports, g_strdup (mw_evacuation_item_get_name (item)),
                        mw_migration_job_create_report (job));
  mw_evacuation_item_set_figures (item, result->total_ms, result->downtime_ms,
                                  result->longest_ping_gap_us);

  arrived = options->mode == MW_MIGRATION_MODE_OFFLINE ? result->persistent_on_destination
                                                        : result->on_destination;
  if (result->state == MW_MIGRATION_JOB_STATE_SUCCEEDED && arrived)
    {
      mw_evacuation_item_set_location (item, dest, TRUE);
      mw_evacuation_item_set_message (item, result->summary);
      mw_evacuation_item_set_state (item, MW_EVACUATION_STATE_DONE);
    }
  else
    {
      /* Where the hosts said it is, not where it should be. */
      if (result->on_destination)
        mw_evacuation_item_set_location (item, dest, !result->destination_unreachable);
      else if ((result->on_source || result->defined_on_source) && !result->source_unreachable)
        mw_evacuation_item_set_location (item, source, TRUE);
      else
        mw_evacuation_item_set_location (item, NULL, FALSE);
      if (cancelled && result->state == MW_MIGRATION_JOB_STATE_CANCELLED
          && g_strcmp0 (mw_evacuation_item_get_location (item), source) == 0
          && mw_evacuation_item_get_verified (item))
        {
          /* Stopped on purpose: what libvirt said of the aborted call ("End of file while
           * reading data" from a peer-to-peer one) is no news; where it is, is. */
          g_autofree char *host = mw_uri_get_host_label (source);
          g_autofree char *stopped =
            /* Translators: %s is the host the guest was to leave, as in "runs on hostb". */
            g_strdup_printf (_("Stopped: its migration was aborted, and it stays on %s."),
                             host);

          mw_evacuation_item_set_message (item, stopped);
        }
      else
        mw_evacuation_item_set_message (item, result->error_message != NULL
                                                ? result->error_message : result->summary);
      mw_evacuation_item_set_state (item,
                                    cancelled && result->state == MW_MIGRATION_JOB_STATE_CANCELLED
                                      ? MW_EVACUATION_STATE_SKIPPED
                                      : MW_EVACUATION_STATE_FAILED);
    }
  end_active (self, item);
}

static void
start_job (MwEvacuation     *self,
           MwEvacuationItem *item)
{
  MwMigrationJob *job = mw_evacuation_item_get_job (item);

  if (g_object_get_data (G_OBJECT (item), MW_EVACUATION_DATA_CANCELLED) != NULL)
    {
      /* Taken out while its address was looked up: it never started. */
      g_signal_handlers_disconnect_by_data (job, item);
      mw_evacuation_item_set_location (item, mw_evacuation_item_get_source_uri (item), FALSE);
      mw_evacuation_item_set_message (item, _("Not moved: it was taken out before it started."));
      mw_evacuation_item_set_state (item, MW_EVACUATION_STATE_SKIPPED);
      end_active (self, item);
      return;
    }
  g_object_set_data (G_OBJECT (item), MW_EVACUATION_DATA_STARTED, GINT_TO_POINTER (TRUE));
  mw_migration_job_start (job);
}

static void
on_address_cb (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(MwEvacuationItem) item = user_data;
  g_autofree char *address = NULL;
  g_autoptr(GError) error = NULL;
  MwMigrationJob *job = mw_evacuation_item_get_job (item);
  MwEvacuation *self;

  address = mw_domain_discover_address_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = g_object_get_data (G_OBJECT (job), "mw-evacuation");
  if (address != NULL)
    {
      mw_migration_job_set_ping_address (job, address);
      /* The report keeps it, for Bring Back and for the reader. */
      mw_evacuation_item_set_ping_address (item, address);
    }
  start_job (self, item);
}

static void
launch (MwEvacuation     *self,
        MwEvacuationItem *item,
        guint             share)
{
  g_autoptr(MwMigrationOptions) options = mw_evacuation_plan_options_for (self->plan, item);
  g_autoptr(MwMigrationJob) job = NULL;

  if (options->mode == MW_MIGRATION_MODE_LIVE && share > 0)
    {
      options->bandwidth_mib_s = share;
      g_object_set_data (G_OBJECT (item), MW_EVACUATION_DATA_SHARE, GUINT_TO_POINTER (share));
    }
  job = self->factory (mw_evacuation_item_get_source_uri (item),
                       mw_evacuation_item_get_destination (item),
                       mw_evacuation_item_get_name (item), options, self->factory_data);
  if (self->sample_interval_ms > 0)
    mw_migration_job_set_sample_interval (job, self->sample_interval_ms);
  /* The job does not own the run; the run disconnects from its jobs in dispose. */
  g_object_set_data (G_OBJECT (job), "mw-evacuation", self);
  g_signal_connect (job, "notify::state", G_CALLBACK (on_job_state_cb), item);
  g_signal_connect (job, "finished", G_CALLBACK (on_job_finished_cb), item);
  mw_evacuation_item_set_job (item, job);
  mw_evacuation_item_set_state (item, MW_EVACUATION_STATE_CHECKING);

  g_ptr_array_add (self->active, g_object_ref (item));
  self->max_running = MAX (self->max_running, self->active->len);
  mw_evacuation_notify_running (self, TRUE);

  if (mw_evacuation_item_get_ping_address (item) != NULL)
    {
      mw_migration_job_set_ping_address (job, mw_evacuation_item_get_ping_address (item));
      start_job (self, item);
    }
  else if (self->ping && mw_evacuation_item_get_was_running (item))
    mw_domain_discover_address_async (mw_evacuation_item_get_source_uri (item),
                                      mw_evacuation_item_get_name (item), self->cancellable,
                                      on_address_cb, g_object_ref (item));
  else
    start_job (self, item);
}

void
mw_evacuation_schedule (MwEvacuation *self)
{
  guint n_queued = 0;
  guint n_after;

  if (self->state != MW_EVACUATION_RUN_RUNNING)
    return;
  for (guint i = self->next; i < self->queue->len; i++)
    n_queued += mw_evacuation_item_get_state (g_ptr_array_index (self->queue, i))
                == MW_EVACUATION_STATE_QUEUED;
  /* The share counts every migration this round leaves running. */
  n_after = MIN (self->parallel, self->active->len + n_queued);

  while (self->active->len < self->parallel && self->next < self->queue->len
         && self->state == MW_EVACUATION_RUN_RUNNING)
    {
      MwEvacuationItem *item = g_ptr_array_index (self->queue, self->next++);

      if (mw_evacuation_item_get_state (item) != MW_EVACUATION_STATE_QUEUED)
        continue;
      launch (self, item, share_for (self, n_after));
    }
}
