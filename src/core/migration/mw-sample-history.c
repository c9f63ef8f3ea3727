/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-sample-history.c: ring buffer of job samples plus the migration's events.
 *
 * Main thread only (or whichever single thread owns a copy). Samples live in a fixed array used
 * as a ring: `head` is the oldest, `n_samples` how many are kept. Events are never dropped.
 */

#include "config.h"

#include <stddef.h>
#include <string.h>

#include <glib/gi18n.h>

#include "mw-core-enums.h"
#include "mw-sample-history.h"

#define LOAD_MIN_CAPACITY 4096

struct _MwSampleHistory
{
  GObject parent_instance;

  /* Owned */
  MwJobSample *samples;     /* capacity slots, a ring */
  GArray *events;           /* MwHistoryEvent, text owned */

  guint capacity;
  guint head;               /* index of the oldest kept sample */
  guint n_samples;
  gint64 start_us;          /* monotonic time relative times count from */
  gboolean start_set;       /* FALSE until set_start_us or the first push/event */
  gint64 end_us;            /* newest relative time seen */
  guint64 last_iteration;   /* for PASS events; not reset when old samples are dropped */
  guint last_throttle;      /* for AUTO_CONVERGE events */
};

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

/* CSV columns. The guint64 fields of MwJobSample are read and written through this table. */
typedef struct
{
  const char *name;
  gsize offset;
} U64Column;

static const U64Column u64_columns[] = {
  { "elapsed_ms", G_STRUCT_OFFSET (MwJobSample, elapsed_ms) },
  { "data_total", G_STRUCT_OFFSET (MwJobSample, data_total) },
  { "data_processed", G_STRUCT_OFFSET (MwJobSample, data_processed) },
  { "data_remaining", G_STRUCT_OFFSET (MwJobSample, data_remaining) },
  { "memory_total", G_STRUCT_OFFSET (MwJobSample, memory_total) },
  { "memory_processed", G_STRUCT_OFFSET (MwJobSample, memory_processed) },
  { "memory_remaining", G_STRUCT_OFFSET (MwJobSample, memory_remaining) },
  { "memory_bps", G_STRUCT_OFFSET (MwJobSample, memory_bps) },
  { "dirty_rate_bps", G_STRUCT_OFFSET (MwJobSample, dirty_rate_bps) },
  { "page_size", G_STRUCT_OFFSET (MwJobSample, page_size) },
  { "iteration", G_STRUCT_OFFSET (MwJobSample, iteration) },
  { "postcopy_requests", G_STRUCT_OFFSET (MwJobSample, postcopy_requests) },
  { "expected_downtime_ms", G_STRUCT_OFFSET (MwJobSample, expected_downtime_ms) },
  { "downtime_ms", G_STRUCT_OFFSET (MwJobSample, downtime_ms) },
  { "setup_time_ms", G_STRUCT_OFFSET (MwJobSample, setup_time_ms) },
  { "disk_total", G_STRUCT_OFFSET (MwJobSample, disk_total) },
  { "disk_processed", G_STRUCT_OFFSET (MwJobSample, disk_processed) },
  { "disk_remaining", G_STRUCT_OFFSET (MwJobSample, disk_remaining) },
};

/* Column order: record, time_us, state, have, the u64 columns, auto_converge_throttle, then
 * the event columns. */
#define COL_RECORD    0
#define COL_TIME      1
#define COL_STATE     2
#define COL_HAVE      3
#define COL_U64_FIRST 4
#define COL_THROTTLE  (COL_U64_FIRST + G_N_ELEMENTS (u64_columns))
#define COL_EVENT     (COL_THROTTLE + 1)
#define COL_VALUE     (COL_EVENT + 1)
#define COL_TEXT      (COL_VALUE + 1)
#define N_COLUMNS     (COL_TEXT + 1)

static guint64 *
sample_u64 (MwJobSample *sample,
            guint        column)
{
  return G_STRUCT_MEMBER_P (sample, u64_columns[column].offset);
}

static const char *
column_name (guint column)
{
  switch (column)
    {
    case COL_RECORD:
      return "record";
    case COL_TIME:
      return "time_us";
    case COL_STATE:
      return "state";
    case COL_HAVE:
      return "have";
    case COL_EVENT:
      return "event";
    case COL_VALUE:
      return "value";
    case COL_TEXT:
      return "text";
    default:
      break;
    }

  if (column == COL_THROTTLE)
    return "auto_converge_throttle";

  g_assert (column >= COL_U64_FIRST && column < COL_THROTTLE);
  return u64_columns[column - COL_U64_FIRST].name;
}

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

/* Stores a sample whose time is already relative; no events, no signal. */
static void
append_sample (MwSampleHistory   *self,
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
  append_sample (self, &copy);

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
    append_sample (copy, mw_sample_history_get_sample (self, i));
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

/* CSV writing */

static const char *
enum_nick (GType type,
           int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *enum_value = g_enum_get_value (klass, value);

  /* Nicks live as long as the (static) type does. */
  return enum_value != NULL ? enum_value->value_nick : "";
}

static void
append_csv_text (GString    *out,
                 const char *text)
{
  const char *p;

  if (text == NULL)
    return;

  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }

  g_string_append_c (out, '"');
  for (p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_sample_row (GString           *out,
                   const MwJobSample *sample)
{
  guint i;

  g_string_append_printf (out, "sample,%" G_GINT64_FORMAT ",%s,%u",
                          sample->time_us,
                          enum_nick (MW_TYPE_JOB_STATE, sample->state),
                          sample->have);
  for (i = 0; i < G_N_ELEMENTS (u64_columns); i++)
    g_string_append_printf (out, ",%" G_GUINT64_FORMAT,
                            *sample_u64 ((MwJobSample *) sample, i));
  g_string_append_printf (out, ",%u,,,\n", sample->auto_converge_throttle);
}

static void
append_event_row (GString              *out,
                  const MwHistoryEvent *event)
{
  guint i;

  g_string_append_printf (out, "event,%" G_GINT64_FORMAT ",,", event->time_us);
  /* state and have are empty; so are the u64 columns and the throttle */
  for (i = 0; i <= G_N_ELEMENTS (u64_columns); i++)
    g_string_append_c (out, ',');
  g_string_append_printf (out, ",%s,%" G_GINT64_FORMAT ",",
                          enum_nick (MW_TYPE_HISTORY_EVENT_KIND, event->kind),
                          event->value);
  append_csv_text (out, event->text);
  g_string_append_c (out, '\n');
}

char *
mw_sample_history_to_csv (MwSampleHistory *self)
{
  GString *out;
  guint s = 0;
  guint e = 0;
  guint i;

  g_return_val_if_fail (MW_IS_SAMPLE_HISTORY (self), NULL);

  out = g_string_new (NULL);
  for (i = 0; i < N_COLUMNS; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, column_name (i));
    }
  g_string_append_c (out, '\n');

  /* Merge by time; an event at the same time as a sample follows it (a PASS event is caused by
   * the sample that shows the new pass). */
  while (s < self->n_samples || e < self->events->len)
    {
      const MwHistoryEvent *event = NULL;

      if (e < self->events->len)
        event = &g_array_index (self->events, MwHistoryEvent, e);

      if (s < self->n_samples)
        {
          const MwJobSample *sample = mw_sample_history_get_sample (self, s);

          if (event == NULL || sample->time_us <= event->time_us)
            {
              append_sample_row (out, sample);
              s++;
              continue;
            }
        }

      g_assert (event != NULL);
      append_event_row (out, event);
      e++;
    }

  return g_string_free (out, FALSE);
}

gboolean
mw_sample_history_save_csv (MwSampleHistory  *self,
                            const char       *path,
                            GError          **error)
{
  g_autofree char *data = NULL;

  g_return_val_if_fail (MW_IS_SAMPLE_HISTORY (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = mw_sample_history_to_csv (self);

  return g_file_set_contents (path, data, -1, error);
}

/* CSV reading */

/* Splits data into rows of fields (RFC 4180 quoting, LF or CRLF line ends). line_numbers gets
 * the line each row starts on. */
static gboolean
split_csv (const char  *data,
           const char  *name,
           GPtrArray   *rows,
           GArray      *line_numbers,
           GError     **error)
{
  const char *p = data;
  guint line = 1;

  while (*p != '\0')
    {
      g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
      guint row_line = line;
      gboolean row_done = FALSE;

      while (!row_done)
        {
          GString *field = g_string_new (NULL);

          if (*p == '"')
            {
              guint quote_line = line;

              p++;
              for (;;)
                {
                  if (*p == '\0')
                    {
                      g_string_free (field, TRUE);
                      g_set_error (error, MW_SAMPLE_HISTORY_ERROR, MW_SAMPLE_HISTORY_ERROR_LINE,
                                   _("Line %u of “%s”: a quoted field is never closed."),
                                   quote_line, name);
                      return FALSE;
                    }
                  if (*p == '"' && p[1] == '"')
                    {
                      g_string_append_c (field, '"');
                      p += 2;
                      continue;
                    }
                  if (*p == '"')
                    {
                      p++;
                      break;
                    }
                  if (*p == '\n')
                    line++;
                  g_string_append_c (field, *p++);
                }
              if (*p != ',' && *p != '\n' && *p != '\0' && !(p[0] == '\r' && p[1] == '\n'))
                {
                  g_string_free (field, TRUE);
                  g_set_error (error, MW_SAMPLE_HISTORY_ERROR, MW_SAMPLE_HISTORY_ERROR_LINE,
                               _("Line %u of “%s”: unexpected text after a quoted field."),
                               line, name);
                  return FALSE;
                }
            }
          else
            {
              while (*p != ',' && *p != '\n' && *p != '\0' && !(p[0] == '\r' && p[1] == '\n'))
                g_string_append_c (field, *p++);
            }

          g_ptr_array_add (fields, g_string_free (field, FALSE));

          if (*p == ',')
            p++;
          else
            {
              if (*p == '\r')
                p++;
              if (*p == '\n')
                {
                  p++;
                  line++;
                }
              row_done = TRUE;
            }
        }

      /* Blank lines carry nothing. */
      if (fields->len == 1 && *(const char *) g_ptr_array_index (fields, 0) == '\0')
        continue;

      g_ptr_array_add (fields, NULL);
      g_ptr_array_add (rows, g_ptr_array_steal (fields, NULL));
      g_array_append_val (line_numbers, row_line);
    }

  return TRUE;
}

static gboolean
parse_u64 (const char  *text,
           guint        column,
           guint        line,
           const char  *name,
           guint64     *value,
           GError     **error)
{
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, value, NULL))
    {
      g_set_error (error, MW_SAMPLE_HISTORY_ERROR, MW_SAMPLE_HISTORY_ERROR_LINE,
                   _("Line %u of “%s”: “%s” in column %s is not a whole number."),
                   line, name, text, column_name (column));
      return FALSE;
    }

  return TRUE;
}

static gboolean
parse_i64 (const char  *text,
           guint        column,
           guint        line,
           const char  *name,
           gint64      *value,
           GError     **error)
{
  if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, value, NULL))
    {
      g_set_error (error, MW_SAMPLE_HISTORY_ERROR, MW_SAMPLE_HISTORY_ERROR_LINE,
                   _("Line %u of “%s”: “%s” in column %s is not a whole number."),
                   line, name, text, column_name (column));
      return FALSE;
    }

  return TRUE;
}

static gboolean
parse_nick (GType        type,
            const char  *text,
            guint        column,
            guint        line,
            const char  *name,
            int         *value,
            GError     **error)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *enum_value = g_enum_get_value_by_nick (klass, text);

  if (enum_value == NULL)
    {
      g_set_error (error, MW_SAMPLE_HISTORY_ERROR, MW_SAMPLE_HISTORY_ERROR_LINE,
                   _("Line %u of “%s”: “%s” in column %s is not a known value."),
                   line, name, text, column_name (column));
      return FALSE;
    }

  *value = enum_value->value;
  return TRUE;
}

static gboolean
parse_sample_row (char        **fields,
                  guint         line,
                  const char   *name,
                  MwJobSample  *sample,
                  GError      **error)
{
  guint64 value;
  int state;
  guint i;

  memset (sample, 0, sizeof *sample);

  if (!parse_i64 (fields[COL_TIME], COL_TIME, line, name, &sample->time_us, error)
      || !parse_nick (MW_TYPE_JOB_STATE, fields[COL_STATE], COL_STATE, line, name, &state, error)
      || !parse_u64 (fields[COL_HAVE], COL_HAVE, line, name, &value, error))
    return FALSE;
  sample->state = state;
  sample->have = (guint) value;

  for (i = 0; i < G_N_ELEMENTS (u64_columns); i++)
    if (!parse_u64 (fields[COL_U64_FIRST + i], COL_U64_FIRST + i, line, name,
                    sample_u64 (sample, i), error))
      return FALSE;

  if (!parse_u64 (fields[COL_THROTTLE], COL_THROTTLE, line, name, &value, error))
    return FALSE;
  if (value > 100)
    {
      g_set_error (error, MW_SAMPLE_HISTORY_ERROR, MW_SAMPLE_HISTORY_ERROR_LINE,
                   _("Line %u of “%s”: a throttle of %s %% is more than 100 %%."),
                   line, name, fields[COL_THROTTLE]);
      return FALSE;
    }
  sample->auto_converge_throttle = (guint) value;

  return TRUE;
}

MwSampleHistory *
mw_sample_history_parse_csv (const char  *data,
                             const char  *name,
                             GError     **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GArray) line_numbers = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (MwJobSample));
  g_autoptr(MwSampleHistory) history = NULL;
  char **header;
  guint i;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (name == NULL)
    name = _("the trace");

  if (!split_csv (data, name, rows, line_numbers, error))
    return NULL;

  header = rows->len > 0 ? g_ptr_array_index (rows, 0) : NULL;
  if (header == NULL || g_strv_length (header) != N_COLUMNS)
    goto bad_header;
  for (i = 0; i < N_COLUMNS; i++)
    if (g_strcmp0 (header[i], column_name (i)) != 0)
      goto bad_header;

  /* Events are kept in file order; samples are counted first so the ring is large enough. */
  history = mw_sample_history_new (LOAD_MIN_CAPACITY);
  history->start_us = 0;
  history->start_set = TRUE;

  for (i = 1; i < rows->len; i++)
    {
      char **fields = g_ptr_array_index (rows, i);
      guint line = g_array_index (line_numbers, guint, i);
      guint n_fields = g_strv_length (fields);

      if (n_fields != N_COLUMNS)
        {
          g_set_error (error, MW_SAMPLE_HISTORY_ERROR, MW_SAMPLE_HISTORY_ERROR_LINE,
                       _("Line %u of “%s”: %u fields where the header names %u."),
                       line, name, n_fields, (guint) N_COLUMNS);
          return NULL;
        }

      if (g_str_equal (fields[COL_RECORD], "sample"))
        {
          MwJobSample sample;

          if (!parse_sample_row (fields, line, name, &sample, error))
            return NULL;
          g_array_append_val (samples, sample);
        }
      else if (g_str_equal (fields[COL_RECORD], "event"))
        {
          gint64 time_us;
          gint64 value;
          int kind;

          if (!parse_i64 (fields[COL_TIME], COL_TIME, line, name, &time_us, error)
              || !parse_nick (MW_TYPE_HISTORY_EVENT_KIND, fields[COL_EVENT], COL_EVENT, line, name,
                              &kind, error)
              || !parse_i64 (fields[COL_VALUE], COL_VALUE, line, name, &value, error))
            return NULL;
          append_event (history, time_us, kind, value, fields[COL_TEXT]);
        }
      else
        {
          g_set_error (error, MW_SAMPLE_HISTORY_ERROR, MW_SAMPLE_HISTORY_ERROR_LINE,
                       _("Line %u of “%s”: “%s” is neither a sample nor an event."),
                       line, name, fields[COL_RECORD]);
          return NULL;
        }
    }

  if (samples->len > history->capacity)
    {
      g_free (history->samples);
      history->capacity = samples->len;
      history->samples = g_new0 (MwJobSample, history->capacity);
    }
  for (i = 0; i < samples->len; i++)
    {
      const MwJobSample *sample = &g_array_index (samples, MwJobSample, i);

      append_sample (history, sample);
      if ((sample->have & MW_JOB_HAVE_ITERATION) != 0)
        history->last_iteration = MAX (history->last_iteration, sample->iteration);
      if ((sample->have & MW_JOB_HAVE_THROTTLE) != 0)
        history->last_throttle = sample->auto_converge_throttle;
    }

  return g_steal_pointer (&history);

bad_header:
  g_set_error (error, MW_SAMPLE_HISTORY_ERROR, MW_SAMPLE_HISTORY_ERROR_HEADER,
               _("Line 1 of “%s”: this is not a migration trace (the header does not name the "
                 "expected columns)."),
               name);
  return NULL;
}

MwSampleHistory *
mw_sample_history_load_csv (const char  *path,
                            GError     **error)
{
  g_autofree char *data = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (path, &data, NULL, error))
    return NULL;

  name = g_filename_display_basename (path);

  return mw_sample_history_parse_csv (data, name, error);
}
