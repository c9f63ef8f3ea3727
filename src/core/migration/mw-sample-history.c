/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-sample-history.c: ring buffer of job samples plus the migration's events.
 *
 * Main thread only (or whichever single thread owns a copy). Samples live in a fixed array used
 * as a ring: `head` is the oldest, `n_samples` how many are kept. Events are never dropped.
 * The CSV form is in mw-sample-history-csv.c.
 */

#include "config.h"

#include "mw-sample-history-private.h"

G_DEFINE_FINAL_TYPE (MwSampleHistory, mw_sample_history, G_TYPE_OBJECT)

G_DEFINE_QUARK (mw-sample-history-error-quark, mw_sample_history_error)

enum
{
  PROP_0,
  PROP_CAPACITY,
  PROP_START_US,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];


static void
history_event_clear (gpointer data)
{
  MwHistoryEvent *event = data;

  g_clear_pointer (&event->text, g_free);
}

static void
mw_sample_history_finalize (GObject *object)
{
  MwSampleHistory *self = MW_SAMPLE_HISTORY (object);

  g_clear_pointer (&self->samples, g_free);
  g_clear_pointer (&self->events, g_array_unref);

  G_OBJECT_CLASS (mw_sample_history_parent_class)->finalize (object);
}

static void
mw_sample_history_constructed (GObject *object)
{
  MwSampleHistory *self = MW_SAMPLE_HISTORY (object);

  G_OBJECT_CLASS (mw_sample_history_parent_class)->constructed (object);

  self->samples = g_new0 (MwJobSample, self->capacity);
}

static void
mw_sample_history_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  MwSampleHistory *self = MW_SAMPLE_HISTORY (object);

  switch (prop_id)
    {
    case PROP_CAPACITY:
      g_value_set_uint (value, self->capacity);
      break;
    case PROP_START_US:
      g_value_set_int64 (value, self->start_us);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_sample_history_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  MwSampleHistory *self = MW_SAMPLE_HISTORY (object);

  switch (prop_id)
    {
    case PROP_CAPACITY:
      self->capacity = g_value_get_uint (value);
      break;
    case PROP_START_US:
      mw_sample_history_set_start_us (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_sample_history_class_init (MwSampleHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = mw_sample_history_constructed;
  object_class->finalize = mw_sample_history_finalize;
  object_class->get_property = mw_sample_history_get_property;
  object_class->set_property = mw_sample_history_set_property;

  properties[PROP_CAPACITY] =
    g_param_spec_uint ("capacity", NULL, NULL,
                       1, G_MAXUINT / sizeof (MwJobSample), 3600,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_START_US] =
    g_param_spec_int64 ("start-us", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MwSampleHistory::changed:
   *
   * A sample or event was added, or the history was cleared.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
mw_sample_history_init (MwSampleHistory *self)
{
  self->events = g_array_new (FALSE, TRUE, sizeof (MwHistoryEvent));
  g_array_set_clear_func (self->events, history_event_clear);
}

MwSampleHistory *
mw_sample_history_new (guint capacity)
{
  g_return_val_if_fail (capacity > 0, NULL);

  return g_object_new (MW_TYPE_SAMPLE_HISTORY, "capacity", capacity, NULL);
}

void
mw_sample_history_set_start_us (MwSampleHistory *self,
                                gint64           monotonic_us)
{
  g_return_if_fail (MW_IS_SAMPLE_HISTORY (self));

  if (self->start_set && self->start_us == monotonic_us)
    return;

  self->start_us = monotonic_us;
  self->start_set = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_START_US]);
}

gint64
mw_sample_history_get_start_us (MwSampleHistory *self)
{
  g_return_val_if_fail (MW_IS_SAMPLE_HISTORY (self), 0);

  return self->start_us;
}

static gint64
to_relative (MwSampleHistory *self,
             gint64           monotonic_us)
{
  if (!self->start_set)
    mw_sample_history_set_start_us (self, monotonic_us);

  return monotonic_us - self->start_us;
}

void
mw_sample_history_append_sample (MwSampleHistory   *self,
                                 const MwJobSample *sample)
{
  guint slot;

  if (self->n_samples < self->capacity)
    {
      slot = (self->head + self->n_samples) % self->capacity;
      self->n_samples++;
    }
  else
    {
      slot = self->head;
      self->head = (self->head + 1) % self->capacity;
    }

  self->samples[slot] = *sample;
  self->end_us = MAX (self->end_us, sample->time_us);
}

static void
append_event (MwSampleHistory   *self,
              gint64             relative_us,
              MwHistoryEventKind kind,
              gint64             value,
              const char        *text)
{
  MwHistoryEvent event = { 0 };

  event.time_us = relative_us;
  event.kind = kind;
  event.value = value;
  event.text = (text != NULL && *text != '\0') ? g_strdup (text) : NULL;
  g_array_append_val (self->events, event);
  self->end_us = MAX (self->end_us, relative_us);
}

void
mw_sample_history_push (MwSampleHistory   *self,
                        const MwJobSample *sample)
{
  MwJobSample copy;

  g_return_if_fail (MW_IS_SAMPLE_HISTORY (self));
  g_return_if_fail (sample != NULL);

  copy = *sample;
  copy.time_us = to_relative (self, sample->time_us);
  mw_sample_history_append_sample (self, &copy);

  if ((copy.have & MW_JOB_HAVE_ITERATION) != 0 && copy.iteration > self->last_iteration)
    {
      self->last_iteration = copy.iteration;
      append_event (self, copy.time_us, MW_HISTORY_EVENT_PASS, (gint64) copy.iteration, NULL);
    }

  if ((copy.have & MW_JOB_HAVE_THROTTLE) != 0 && copy.auto_converge_throttle != self->last_throttle)
    {
      self->last_throttle = copy.auto_converge_throttle;
      append_event (self, copy.time_us, MW_HISTORY_EVENT_AUTO_CONVERGE,
                    copy.auto_converge_throttle, NULL);
    }

  g_signal_emit (self, signals[CHANGED], 0);
}

void
mw_sample_history_add_event (MwSampleHistory   *self,
                             gint64             monotonic_us,
                             MwHistoryEventKind kind,
                             gint64             value,
                             const char        *text)
{
  g_return_if_fail (MW_IS_SAMPLE_HISTORY (self));

  /* A pass marked at its exact time (the job's migration-iteration event) is not marked again
   * by the first sample that shows it. */
  if (kind == MW_HISTORY_EVENT_PASS && value > 0 && (guint64) value > self->last_iteration)
    self->last_iteration = (guint64) value;
  append_event (self, to_relative (self, monotonic_us), kind, value, text);
  g_signal_emit (self, signals[CHANGED], 0);
}

void
mw_sample_history_clear (MwSampleHistory *self)
{
  g_return_if_fail (MW_IS_SAMPLE_HISTORY (self));

  self->head = 0;
  self->n_samples = 0;
  self->end_us = 0;
  self->last_iteration = 0;
  self->last_throttle = 0;
  g_array_set_size (self->events, 0);

  g_signal_emit (self, signals[CHANGED], 0);
}

MwSampleHistory *
mw_sample_history_copy (MwSampleHistory *self)
{
  MwSampleHistory *copy;
  guint i;

  g_return_val_if_fail (MW_IS_SAMPLE_HISTORY (self), NULL);

  copy = mw_sample_history_new (self->capacity);
  copy->start_us = self->start_us;
  copy->start_set = self->start_set;
  for (i = 0; i < self->n_samples; i++)
    mw_sample_history_append_sample (copy, mw_sample_history_get_sample (self, i));
  for (i = 0; i < self->events->len; i++)
    {
      const MwHistoryEvent *event = &g_array_index (self->events, MwHistoryEvent, i);

      append_event (copy, event->time_us, event->kind, event->value, event->text);
    }
  copy->end_us = self->end_us;
  copy->last_iteration = self->last_iteration;
  copy->last_throttle = self->last_throttle;

  return copy;
}

guint
mw_sample_history_get_n_samples (MwSampleHistory *self)
{
  g_return_val_if_fail (MW_IS_SAMPLE_HISTORY (self), 0);

  return self->n_samples;
}

const MwJobSample *
mw_sample_history_get_sample (MwSampleHistory *self,
                              guint            index)
{
  g_return_val_if_fail (MW_IS_SAMPLE_HISTORY (self), NULL);
  g_return_val_if_fail (index < self->n_samples, NULL);

  return &self->samples[(self->head + index) % self->capacity];
}

const MwJobSample *
mw_sample_history_get_last (MwSampleHistory *self)
{
  g_return_val_if_fail (MW_IS_SAMPLE_HISTORY (self), NULL);

  if (self->n_samples == 0)
    return NULL;

  return mw_sample_history_get_sample (self, self->n_samples - 1);
}

guint
mw_sample_history_get_n_events (MwSampleHistory *self)
{
  g_return_val_if_fail (MW_IS_SAMPLE_HISTORY (self), 0);

  return self->events->len;
}

const MwHistoryEvent *
mw_sample_history_get_event (MwSampleHistory *self,
                             guint            index)
{
  g_return_val_if_fail (MW_IS_SAMPLE_HISTORY (self), NULL);
  g_return_val_if_fail (index < self->events->len, NULL);

  return &g_array_index (self->events, MwHistoryEvent, index);
}

gint64
mw_sample_history_get_end_us (MwSampleHistory *self)
{
  g_return_val_if_fail (MW_IS_SAMPLE_HISTORY (self), 0);

  return self->end_us;
}

guint64
mw_sample_history_get_passes (MwSampleHistory *self)
{
  g_return_val_if_fail (MW_IS_SAMPLE_HISTORY (self), 0);

  return self->last_iteration;
}

guint64
mw_sample_history_get_max_bytes (MwSampleHistory *self)
{
  guint64 max = 0;
  guint i;

  g_return_val_if_fail (MW_IS_SAMPLE_HISTORY (self), 0);

  for (i = 0; i < self->n_samples; i++)
    max = MAX (max, mw_sample_history_get_sample (self, i)->memory_remaining);

  return max;
}

guint64
mw_sample_history_get_max_rate (MwSampleHistory *self)
{
  guint64 max = 0;
  guint i;

  g_return_val_if_fail (MW_IS_SAMPLE_HISTORY (self), 0);

  for (i = 0; i < self->n_samples; i++)
    {
      const MwJobSample *sample = mw_sample_history_get_sample (self, i);

      max = MAX (max, sample->dirty_rate_bps);
      max = MAX (max, sample->memory_bps);
    }

  return max;
}
