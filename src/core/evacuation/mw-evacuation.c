/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-evacuation.c: the run of an evacuation plan; see mw-evacuation.h.
 *
 * Main thread. The jobs do their own talking to the hosts (in their workers); the shut-down,
 * save and start actions and the address look-ups run in workers and complete here. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-core-enums.h"
#include "mw-domain-address.h"
#include "mw-evacuation-host.h"
#include "mw-evacuation-private.h"

/* Object data on an item while its job runs. */
#define DATA_SHARE      "mw-evacuation-share"      /* the bandwidth the job was given, MiB/s */
#define DATA_CANCELLED  "mw-evacuation-cancelled"  /* cancel_item () or stop () took it out */
#define DATA_STARTED    "mw-evacuation-started"    /* its job's start () was called */

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

G_DEFINE_FINAL_TYPE (MwEvacuation, mw_evacuation, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_PLAN,
  PROP_STATE,
  PROP_PARALLEL,
  PROP_BANDWIDTH,
  PROP_STOP_ON_FAILURE,
  PROP_PING,
  PROP_N_DONE,
  PROP_N_FAILED,
  PROP_N_SKIPPED,
  PROP_N_RUNNING,
  PROP_MAX_RUNNING,
  N_PROPS
};

enum
{
  SIGNAL_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void schedule (MwEvacuation *self);

static MwMigrationJob *
default_factory (const char               *source_uri,
                 const char               *destination_uri,
                 const char               *domain_name,
                 const MwMigrationOptions *options,
                 gpointer                  user_data)
{
  return mw_migration_job_new (source_uri, destination_uri, domain_name, options);
}

static void
mw_evacuation_dispose (GObject *object)
{
  MwEvacuation *self = MW_EVACUATION (object);

  g_cancellable_cancel (self->cancellable);
  if (self->active != NULL)
    for (guint i = 0; i < self->active->len; i++)
      {
        MwEvacuationItem *item = g_ptr_array_index (self->active, i);
        MwMigrationJob *job = mw_evacuation_item_get_job (item);

        if (job != NULL)
          g_signal_handlers_disconnect_by_data (job, item);
      }
  g_clear_pointer (&self->active, g_ptr_array_unref);
  g_clear_pointer (&self->queue, g_ptr_array_unref);
  g_clear_pointer (&self->job_reports, g_hash_table_unref);
  g_clear_object (&self->plan);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (mw_evacuation_parent_class)->dispose (object);
}

static void
mw_evacuation_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  MwEvacuation *self = MW_EVACUATION (object);

  switch (prop_id)
    {
    case PROP_PLAN:
      g_value_set_object (value, self->plan);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PARALLEL:
      g_value_set_uint (value, self->parallel);
      break;
    case PROP_BANDWIDTH:
      g_value_set_uint (value, self->bandwidth);
      break;
    case PROP_STOP_ON_FAILURE:
      g_value_set_boolean (value, self->stop_on_failure);
      break;
    case PROP_PING:
      g_value_set_boolean (value, self->ping);
      break;
    case PROP_N_DONE:
      g_value_set_uint (value, self->n_done);
      break;
    case PROP_N_FAILED:
      g_value_set_uint (value, self->n_failed);
      break;
    case PROP_N_SKIPPED:
      g_value_set_uint (value, self->n_skipped);
      break;
    case PROP_N_RUNNING:
      g_value_set_uint (value, self->active->len);
      break;
    case PROP_MAX_RUNNING:
      g_value_set_uint (value, self->max_running);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_evacuation_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  MwEvacuation *self = MW_EVACUATION (object);

  switch (prop_id)
    {
    case PROP_PLAN:
      self->plan = g_value_dup_object (value);
      break;
    case PROP_PARALLEL:
      mw_evacuation_set_parallel (self, g_value_get_uint (value));
      break;
    case PROP_BANDWIDTH:
      mw_evacuation_set_bandwidth (self, g_value_get_uint (value));
      break;
    case PROP_STOP_ON_FAILURE:
      mw_evacuation_set_stop_on_failure (self, g_value_get_boolean (value));
      break;
    case PROP_PING:
      mw_evacuation_set_ping (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_evacuation_class_init (MwEvacuationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = mw_evacuation_dispose;
  object_class->get_property = mw_evacuation_get_property;
  object_class->set_property = mw_evacuation_set_property;

  properties[PROP_PLAN] =
    g_param_spec_object ("plan", NULL, NULL, MW_TYPE_EVACUATION_PLAN,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, MW_TYPE_EVACUATION_RUN_STATE,
                       MW_EVACUATION_RUN_IDLE, ro);
  properties[PROP_PARALLEL] = g_param_spec_uint ("parallel", NULL, NULL, 1, 64, 1, rw);
  properties[PROP_BANDWIDTH] = g_param_spec_uint ("bandwidth", NULL, NULL, 0, G_MAXUINT, 0, rw);
  properties[PROP_STOP_ON_FAILURE] =
    g_param_spec_boolean ("stop-on-failure", NULL, NULL, FALSE, rw);
  properties[PROP_PING] = g_param_spec_boolean ("ping", NULL, NULL, FALSE, rw);
  properties[PROP_N_DONE] = g_param_spec_uint ("n-done", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_FAILED] = g_param_spec_uint ("n-failed", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_SKIPPED] = g_param_spec_uint ("n-skipped", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_RUNNING] = g_param_spec_uint ("n-running", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_MAX_RUNNING] =
    g_param_spec_uint ("max-running", NULL, NULL, 0, G_MAXUINT, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MwEvacuation::finished:
   *
   * Nothing runs any more; every item has its final state. Emitted once.
   */
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
mw_evacuation_init (MwEvacuation *self)
{
  self->queue = g_ptr_array_new_with_free_func (g_object_unref);
  self->active = g_ptr_array_new_with_free_func (g_object_unref);
  self->job_reports = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->cancellable = g_cancellable_new ();
  self->factory = default_factory;
  self->parallel = 1;
}

MwEvacuation *
mw_evacuation_new (MwEvacuationPlan *plan)
{
  g_return_val_if_fail (MW_IS_EVACUATION_PLAN (plan), NULL);
  return g_object_new (MW_TYPE_EVACUATION, "plan", plan, NULL);
}

void
mw_evacuation_set_job_factory (MwEvacuation           *self,
                               MwEvacuationJobFactory  factory,
                               gpointer                user_data)
{
  g_return_if_fail (MW_IS_EVACUATION (self));
  self->factory = factory != NULL ? factory : default_factory;
  self->factory_data = user_data;
}

MwEvacuationPlan *
mw_evacuation_get_plan (MwEvacuation *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION (self), NULL);
  return self->plan;
}

MwEvacuationRunState
mw_evacuation_get_state (MwEvacuation *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION (self), MW_EVACUATION_RUN_IDLE);
  return self->state;
}

guint
mw_evacuation_get_parallel (MwEvacuation *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION (self), 1);
  return self->parallel;
}

void
mw_evacuation_set_parallel (MwEvacuation *self,
                            guint         parallel)
{
  g_return_if_fail (MW_IS_EVACUATION (self));
  parallel = MAX (parallel, 1);
  if (self->parallel == parallel)
    return;
  self->parallel = parallel;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PARALLEL]);
}

guint
mw_evacuation_get_bandwidth (MwEvacuation *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION (self), 0);
  return self->bandwidth;
}

void
mw_evacuation_set_bandwidth (MwEvacuation *self,
                             guint         mib_s)
{
  g_return_if_fail (MW_IS_EVACUATION (self));
  if (self->bandwidth == mib_s)
    return;
  self->bandwidth = mib_s;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BANDWIDTH]);
}

gboolean
mw_evacuation_get_stop_on_failure (MwEvacuation *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION (self), FALSE);
  return self->stop_on_failure;
}

void
mw_evacuation_set_stop_on_failure (MwEvacuation *self,
                                   gboolean      stop_on_failure)
{
  g_return_if_fail (MW_IS_EVACUATION (self));
  if (self->stop_on_failure == !!stop_on_failure)
    return;
  self->stop_on_failure = !!stop_on_failure;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STOP_ON_FAILURE]);
}

gboolean
mw_evacuation_get_ping (MwEvacuation *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION (self), FALSE);
  return self->ping;
}

void
mw_evacuation_set_ping (MwEvacuation *self,
                        gboolean      ping)
{
  g_return_if_fail (MW_IS_EVACUATION (self));
  if (self->ping == !!ping)
    return;
  self->ping = !!ping;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PING]);
}

void
mw_evacuation_set_sample_interval (MwEvacuation *self,
                                   guint         interval_ms)
{
  g_return_if_fail (MW_IS_EVACUATION (self));
  self->sample_interval_ms = interval_ms;
}

guint
mw_evacuation_get_n_done (MwEvacuation *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION (self), 0);
  return self->n_done;
}

guint
mw_evacuation_get_n_failed (MwEvacuation *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION (self), 0);
  return self->n_failed;
}

guint
mw_evacuation_get_n_skipped (MwEvacuation *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION (self), 0);
  return self->n_skipped;
}

guint
mw_evacuation_get_n_running (MwEvacuation *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION (self), 0);
  return self->active->len;
}

guint
mw_evacuation_get_max_running (MwEvacuation *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION (self), 0);
  return self->max_running;
}

gboolean
mw_evacuation_get_stopped (MwEvacuation *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION (self), FALSE);
  return self->stopped;
}

gint64
mw_evacuation_get_elapsed_ms (MwEvacuation *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION (self), 0);
  if (self->start_us == 0)
    return 0;
  return ((self->end_us != 0 ? self->end_us : g_get_monotonic_time ()) - self->start_us) / 1000;
}

gboolean
mw_evacuation_get_all_moved (MwEvacuation *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION (self), FALSE);
  return self->all_moved;
}

GHashTable *
mw_evacuation_get_job_reports (MwEvacuation *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION (self), NULL);
  return self->job_reports;
}

/* ---- the end of one guest ------------------------------------------------------------------ */

static void
set_state (MwEvacuation        *self,
           MwEvacuationRunState state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* One item reached DONE, FAILED or SKIPPED. */
static void
count_end (MwEvacuation     *self,
           MwEvacuationItem *item)
{
  switch (mw_evacuation_item_get_state (item))
    {
    case MW_EVACUATION_STATE_DONE:
      self->n_done++;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DONE]);
      break;
    case MW_EVACUATION_STATE_FAILED:
      self->n_failed++;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_FAILED]);
      break;
    case MW_EVACUATION_STATE_SKIPPED:
      self->n_skipped++;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SKIPPED]);
      break;
    case MW_EVACUATION_STATE_QUEUED:
    case MW_EVACUATION_STATE_CHECKING:
    case MW_EVACUATION_STATE_MIGRATING:
    case MW_EVACUATION_STATE_ACTING:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
is_over (MwEvacuationItem *item)
{
  MwEvacuationState state = mw_evacuation_item_get_state (item);

  return state == MW_EVACUATION_STATE_DONE || state == MW_EVACUATION_STATE_FAILED
         || state == MW_EVACUATION_STATE_SKIPPED;
}

static void
maybe_finish (MwEvacuation *self)
{
  GListModel *items = mw_evacuation_plan_get_items (self->plan);
  gboolean all_moved = TRUE;

  if (self->state != MW_EVACUATION_RUN_RUNNING && self->state != MW_EVACUATION_RUN_STOPPING)
    return;
  if (self->active->len > 0 || self->n_acting > 0)
    return;
  for (guint i = self->next; i < self->queue->len; i++)
    if (!is_over (g_ptr_array_index (self->queue, i)))
      return;

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(MwEvacuationItem) item = g_list_model_get_item (items, i);
      MwEvacuationAction action = mw_evacuation_item_get_action (item);

      if ((action == MW_EVACUATION_ACTION_MIGRATE || action == MW_EVACUATION_ACTION_START)
          && mw_evacuation_item_get_state (item) != MW_EVACUATION_STATE_DONE)
        all_moved = FALSE;
    }
  self->all_moved = all_moved;
  self->end_us = g_get_monotonic_time ();
  set_state (self, MW_EVACUATION_RUN_FINISHED);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
}

static void
skip_item (MwEvacuation     *self,
           MwEvacuationItem *item,
           const char       *message)
{
  mw_evacuation_item_set_location (item, mw_evacuation_item_get_source_uri (item), FALSE);
  mw_evacuation_item_set_message (item, message);
  mw_evacuation_item_set_state (item, MW_EVACUATION_STATE_SKIPPED);
  count_end (self, item);
}

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
      if (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (item), DATA_SHARE)) == share)
        continue;
      g_object_set_data (G_OBJECT (item), DATA_SHARE, GUINT_TO_POINTER (share));
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RUNNING]);
  count_end (self, item);
  if (mw_evacuation_item_get_state (item) == MW_EVACUATION_STATE_FAILED
      && self->stop_on_failure)
    mw_evacuation_stop (self);
  schedule (self);
  rebalance (self);
  maybe_finish (self);
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
  gboolean cancelled = g_object_get_data (G_OBJECT (item), DATA_CANCELLED) != NULL;
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
          g_autofree char *stopped =
            /* Translators: %s is the URI of the host the guest was to leave. */
            g_strdup_printf (_("Stopped: its migration was aborted, and it stays on %s."),
                             source);

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

  if (g_object_get_data (G_OBJECT (item), DATA_CANCELLED) != NULL)
    {
      /* Taken out while its address was looked up: it never started. */
      g_signal_handlers_disconnect_by_data (job, item);
      mw_evacuation_item_set_location (item, mw_evacuation_item_get_source_uri (item), FALSE);
      mw_evacuation_item_set_message (item, _("Not moved: it was taken out before it started."));
      mw_evacuation_item_set_state (item, MW_EVACUATION_STATE_SKIPPED);
      end_active (self, item);
      return;
    }
  g_object_set_data (G_OBJECT (item), DATA_STARTED, GINT_TO_POINTER (TRUE));
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
    mw_migration_job_set_ping_address (job, address);
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
      g_object_set_data (G_OBJECT (item), DATA_SHARE, GUINT_TO_POINTER (share));
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RUNNING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_RUNNING]);

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

static void
schedule (MwEvacuation *self)
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

/* ---- shutting down, saving, starting ------------------------------------------------------- */

static void
on_act_done_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(MwEvacuationItem) item = user_data;
  g_autoptr(GError) error = NULL;
  MwEvacuation *self;
  const char *source = mw_evacuation_item_get_source_uri (item);
  g_autofree char *message = NULL;

  if (!mw_evacuation_act_finish (result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = g_object_get_data (G_OBJECT (item), "mw-evacuation");
  self->n_acting--;
  if (error != NULL)
    {
      mw_evacuation_item_set_location (item, source, FALSE);
      mw_evacuation_item_set_message (item, error->message);
      mw_evacuation_item_set_state (item, MW_EVACUATION_STATE_FAILED);
    }
  else
    {
      switch (mw_evacuation_item_get_action (item))
        {
        case MW_EVACUATION_ACTION_SHUT_DOWN:
          /* Translators: %s is a host's URI. */
          message = g_strdup_printf (_("Shut off on %s."), source);
          break;
        case MW_EVACUATION_ACTION_MANAGED_SAVE:
          message = g_strdup_printf (_("Saved to disk on %s; starting it restores it."), source);
          break;
        case MW_EVACUATION_ACTION_START:
        case MW_EVACUATION_ACTION_MIGRATE:
        case MW_EVACUATION_ACTION_LEAVE:
        default:
          message = g_strdup_printf (_("Runs on %s again."), source);
          break;
        }
      mw_evacuation_item_set_location (item, source, TRUE);
      mw_evacuation_item_set_message (item, message);
      mw_evacuation_item_set_state (item, MW_EVACUATION_STATE_DONE);
    }
  count_end (self, item);
  if (error != NULL && self->stop_on_failure)
    mw_evacuation_stop (self);
  maybe_finish (self);
}

static gboolean
on_idle_finish_cb (gpointer user_data)
{
  MwEvacuation *self = user_data;

  maybe_finish (self);
  return G_SOURCE_REMOVE;
}

void
mw_evacuation_start (MwEvacuation *self)
{
  GListModel *items;

  g_return_if_fail (MW_IS_EVACUATION (self));
  g_return_if_fail (self->state == MW_EVACUATION_RUN_IDLE);

  self->start_us = g_get_monotonic_time ();
  set_state (self, MW_EVACUATION_RUN_RUNNING);
  items = mw_evacuation_plan_get_items (self->plan);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(MwEvacuationItem) item = g_list_model_get_item (items, i);
      MwEvacuationAction action = mw_evacuation_item_get_action (item);

      switch (action)
        {
        case MW_EVACUATION_ACTION_MIGRATE:
          mw_evacuation_item_set_state (item, MW_EVACUATION_STATE_QUEUED);
          g_ptr_array_add (self->queue, g_object_ref (item));
          break;
        case MW_EVACUATION_ACTION_LEAVE:
          skip_item (self, item, _("Left where it is, as chosen."));
          break;
        case MW_EVACUATION_ACTION_SHUT_DOWN:
        case MW_EVACUATION_ACTION_MANAGED_SAVE:
        case MW_EVACUATION_ACTION_START:
        default:
          g_object_set_data (G_OBJECT (item), "mw-evacuation", self);
          self->n_acting++;
          mw_evacuation_item_set_state (item, MW_EVACUATION_STATE_ACTING);
          mw_evacuation_act_async (mw_evacuation_item_get_source_uri (item),
                                   mw_evacuation_item_get_name (item), action,
                                   MW_EVACUATION_SHUTDOWN_TIMEOUT_S, self->cancellable,
                                   on_act_done_cb, g_object_ref (item));
          break;
        }
    }
  schedule (self);
  /* Nothing may be left to do: `finished` still comes from the main loop, after start (). */
  g_idle_add_full (G_PRIORITY_DEFAULT, on_idle_finish_cb, g_object_ref (self), g_object_unref);
}

static void
take_out (MwEvacuation     *self,
          MwEvacuationItem *item,
          const char       *message)
{
  MwMigrationJob *job;

  if (is_over (item))
    return;
  if (mw_evacuation_item_get_state (item) == MW_EVACUATION_STATE_QUEUED)
    {
      skip_item (self, item, message);
      return;
    }
  job = mw_evacuation_item_get_job (item);
  if (job == NULL || !g_ptr_array_find (self->active, item, NULL))
    return;   /* shutting down, saving or starting: that runs to its end */
  g_object_set_data (G_OBJECT (item), DATA_CANCELLED, GINT_TO_POINTER (TRUE));
  if (g_object_get_data (G_OBJECT (item), DATA_STARTED) != NULL)
    mw_migration_job_abort (job);
  /* else start_job () takes it out once its address look-up answers. */
}

void
mw_evacuation_cancel_item (MwEvacuation     *self,
                           MwEvacuationItem *item)
{
  g_return_if_fail (MW_IS_EVACUATION (self));
  g_return_if_fail (MW_IS_EVACUATION_ITEM (item));
  take_out (self, item, _("Not moved: it was taken out of the evacuation."));
  maybe_finish (self);
}

void
mw_evacuation_stop (MwEvacuation *self)
{
  g_autoptr(GPtrArray) active = NULL;

  g_return_if_fail (MW_IS_EVACUATION (self));
  if (self->state != MW_EVACUATION_RUN_RUNNING)
    return;
  self->stopped = TRUE;
  set_state (self, MW_EVACUATION_RUN_STOPPING);
  for (guint i = self->next; i < self->queue->len; i++)
    take_out (self, g_ptr_array_index (self->queue, i),
              _("Not started: the evacuation was stopped."));
  /* take_out () may end an item and so change self->active. */
  active = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->active->len; i++)
    g_ptr_array_add (active, g_object_ref (g_ptr_array_index (self->active, i)));
  for (guint i = 0; i < active->len; i++)
    take_out (self, g_ptr_array_index (active, i), NULL);
  maybe_finish (self);
}
