/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-sample-history-csv.c: an MwSampleHistory as CSV, written for the report and read back for
 * the recorded traces the UI tests replay. One header line naming the columns, then a line per
 * sample and per event in time order (RFC 4180 quoting, LF or CRLF line ends). A line that
 * starts with '#' is a note for people (the report's forecast beside its outcome) and is not
 * read.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mw-core-enums.h"
#include "mw-sample-history-private.h"

#define LOAD_MIN_CAPACITY 4096

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

void
mw_csv_append_text (GString    *out,
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
  mw_csv_append_text (out, event->text);
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

      if (*p == '#')
        {
          p += strcspn (p, "\n");
          if (*p == '\n')
            p++;
          line++;
          continue;
        }

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

/* One line of the file being read, for the parsers and their error messages. */
typedef struct
{
  char **fields;
  guint line;
  const char *name;   /* the file, as the user knows it */
} CsvRow;

/* A whole number in column: signed into *signed_value when that is given, else unsigned into
 * *unsigned_value. */
static gboolean
parse_number (const CsvRow  *row,
              guint          column,
              gint64        *signed_value,
              guint64       *unsigned_value,
              GError       **error)
{
  const char *text = row->fields[column];
  gboolean ok = signed_value != NULL
                  ? g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, signed_value, NULL)
                  : g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, unsigned_value, NULL);

  if (!ok)
    g_set_error (error, MW_SAMPLE_HISTORY_ERROR, MW_SAMPLE_HISTORY_ERROR_LINE,
                 _("Line %u of “%s”: “%s” in column %s is not a whole number."),
                 row->line, row->name, text, column_name (column));
  return ok;
}

static gboolean
parse_nick (const CsvRow  *row,
            guint          column,
            GType          type,
            int           *value,
            GError       **error)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *enum_value = g_enum_get_value_by_nick (klass, row->fields[column]);

  if (enum_value == NULL)
    {
      g_set_error (error, MW_SAMPLE_HISTORY_ERROR, MW_SAMPLE_HISTORY_ERROR_LINE,
                   _("Line %u of “%s”: “%s” in column %s is not a known value."),
                   row->line, row->name, row->fields[column], column_name (column));
      return FALSE;
    }

  *value = enum_value->value;
  return TRUE;
}

static gboolean
parse_sample_row (const CsvRow  *row,
                  MwJobSample   *sample,
                  GError       **error)
{
  guint64 value;
  int state;
  guint i;

  memset (sample, 0, sizeof *sample);

  if (!parse_number (row, COL_TIME, &sample->time_us, NULL, error)
      || !parse_nick (row, COL_STATE, MW_TYPE_JOB_STATE, &state, error)
      || !parse_number (row, COL_HAVE, NULL, &value, error))
    return FALSE;
  sample->state = state;
  sample->have = (guint) value;

  for (i = 0; i < G_N_ELEMENTS (u64_columns); i++)
    if (!parse_number (row, COL_U64_FIRST + i, NULL, sample_u64 (sample, i), error))
      return FALSE;

  if (!parse_number (row, COL_THROTTLE, NULL, &value, error))
    return FALSE;
  if (value > 100)
    {
      g_set_error (error, MW_SAMPLE_HISTORY_ERROR, MW_SAMPLE_HISTORY_ERROR_LINE,
                   _("Line %u of “%s”: a throttle of %s %% is more than 100 %%."),
                   row->line, row->name, row->fields[COL_THROTTLE]);
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

  /* Events are added in file order, as the job added them (with the start at 0 their times
   * stay as written); samples are counted first so the ring is large enough. */
  history = mw_sample_history_new (LOAD_MIN_CAPACITY);
  mw_sample_history_set_start_us (history, 0);

  for (i = 1; i < rows->len; i++)
    {
      CsvRow row = { g_ptr_array_index (rows, i), g_array_index (line_numbers, guint, i), name };
      guint n_fields = g_strv_length (row.fields);

      if (n_fields != N_COLUMNS)
        {
          g_set_error (error, MW_SAMPLE_HISTORY_ERROR, MW_SAMPLE_HISTORY_ERROR_LINE,
                       _("Line %u of “%s”: %u fields where the header names %u."),
                       row.line, name, n_fields, (guint) N_COLUMNS);
          return NULL;
        }

      if (g_str_equal (row.fields[COL_RECORD], "sample"))
        {
          MwJobSample sample;

          if (!parse_sample_row (&row, &sample, error))
            return NULL;
          g_array_append_val (samples, sample);
        }
      else if (g_str_equal (row.fields[COL_RECORD], "event"))
        {
          gint64 time_us;
          gint64 value;
          int kind;

          if (!parse_number (&row, COL_TIME, &time_us, NULL, error)
              || !parse_nick (&row, COL_EVENT, MW_TYPE_HISTORY_EVENT_KIND, &kind, error)
              || !parse_number (&row, COL_VALUE, &value, NULL, error))
            return NULL;
          mw_sample_history_add_event (history, time_us, kind, value, row.fields[COL_TEXT]);
        }
      else
        {
          g_set_error (error, MW_SAMPLE_HISTORY_ERROR, MW_SAMPLE_HISTORY_ERROR_LINE,
                       _("Line %u of “%s”: “%s” is neither a sample nor an event."),
                       row.line, name, row.fields[COL_RECORD]);
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

      mw_sample_history_append_sample (history, sample);
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
