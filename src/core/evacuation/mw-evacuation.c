/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-evacuation.c: the run of an evacuation plan; see mw-evacuation.h. The object, the counts
 * and the end of the run, shutting down, saving and starting, start, cancel and stop; the
 * migrations themselves are in mw-evacuation-jobs.c.
 *
 * Main thread. The jobs do their own talking to the hosts (in their workers); the shut-down,
 * save and start actions and the address look-ups run in workers and complete here. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-core-enums.h"
#include "mw-evacuation-host.h"
#include "mw-evacuation-private.h"
#include "mw-uri.h"

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

void
mw_evacuation_notify_running (MwEvacuation *self,
                              gboolean      max_too)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RUNNING]);
  if (max_too)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_RUNNING]);
}

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
void
mw_evacuation_count_end (MwEvacuation     *self,
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

void
mw_evacuation_maybe_finish (MwEvacuation *self)
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
  mw_evacuation_count_end (self, item);
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
  /* Named as the guests' own sentences name hosts ("runs on hostb"). */
  g_autofree char *host = mw_uri_get_host_label (source);
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
          /* Translators: %s is a host, as in "runs on hostb". */
          message = g_strdup_printf (_("Shut off on %s."), host);
          break;
        case MW_EVACUATION_ACTION_MANAGED_SAVE:
          message = g_strdup_printf (_("Saved to disk on %s; starting it restores it."), host);
          break;
        case MW_EVACUATION_ACTION_START:
        case MW_EVACUATION_ACTION_MIGRATE:
        case MW_EVACUATION_ACTION_LEAVE:
        default:
          message = g_strdup_printf (_("Runs on %s again."), host);
          break;
        }
      mw_evacuation_item_set_location (item, source, TRUE);
      mw_evacuation_item_set_message (item, message);
      mw_evacuation_item_set_state (item, MW_EVACUATION_STATE_DONE);
    }
  mw_evacuation_count_end (self, item);
  if (error != NULL && self->stop_on_failure)
    mw_evacuation_stop (self);
  mw_evacuation_maybe_finish (self);
}

static gboolean
on_idle_finish_cb (gpointer user_data)
{
  MwEvacuation *self = user_data;

  mw_evacuation_maybe_finish (self);
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
  mw_evacuation_schedule (self);
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
  g_object_set_data (G_OBJECT (item), MW_EVACUATION_DATA_CANCELLED, GINT_TO_POINTER (TRUE));
  if (g_object_get_data (G_OBJECT (item), MW_EVACUATION_DATA_STARTED) != NULL)
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
  mw_evacuation_maybe_finish (self);
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
  mw_evacuation_maybe_finish (self);
}
