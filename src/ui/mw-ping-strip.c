/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-ping-strip.c: ping replies as ticks on the chart's time axis.
 *
 * The pinger is the model: the strip refs it, updates its summary and queues a draw on
 * `changed`, and reads the records only in snapshot (). Records are folded into pixel
 * columns, the worst state winning (lost over waiting over replied), and drawn as runs of
 * colour nodes; the longest gap between replies is shaded behind them.
 */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "mw-ping-strip-private.h"
#include "mw-plot-utils.h"

#define STRIP_HEIGHT 24
#define TICK_HEIGHT 12.0f
#define LABEL_GAP 6.0f        /* as the chart's axis labels */

struct _MwPingStrip
{
  GtkWidget parent_instance;

  /* Owned */
  MwPinger *pinger;
  GArray *test_records;               /* of MwPingRecord; replaces the pinger's when set */
  char *summary;

  gint64 start_us;
  gint64 end_us;
  int inset_start;
  int inset_end;

  /* Test counter, written by snapshot () */
  guint n_snapshots;
};

G_DEFINE_FINAL_TYPE (MwPingStrip, mw_ping_strip, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PINGER,
  PROP_START_US,
  PROP_END_US,
  PROP_PLOT_INSET_START,
  PROP_PLOT_INSET_END,
  PROP_SUMMARY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Column states, in order of precedence. */
typedef enum
{
  TICK_NONE,
  TICK_REPLIED,
  TICK_WAITING,
  TICK_LOST,
} TickState;

static guint
get_n_records (MwPingStrip *self)
{
  if (self->test_records != NULL)
    return self->test_records->len;
  if (self->pinger != NULL)
    return mw_pinger_get_n_records (self->pinger);
  return 0;
}

static const MwPingRecord *
get_record (MwPingStrip *self,
            guint        index)
{
  if (self->test_records != NULL)
    return &g_array_index (self->test_records, MwPingRecord, index);
  return mw_pinger_get_record (self->pinger, index);
}

/* The longest time between two consecutive replies (their arrival), as the pinger counts it;
 * 0 when there were fewer than two replies. */
static gint64
find_longest_gap (MwPingStrip *self,
                  gint64      *from_us,
                  gint64      *to_us)
{
  guint n = get_n_records (self);
  gint64 previous = -1;
  gint64 longest = 0;

  for (guint i = 0; i < n; i++)
    {
      const MwPingRecord *record = get_record (self, i);
      gint64 arrival;

      if (record->rtt_us < 0)
        continue;
      arrival = record->sent_us + record->rtt_us;
      if (previous >= 0 && arrival - previous > longest)
        {
          longest = arrival - previous;
          *from_us = previous;
          *to_us = arrival;
        }
      previous = MAX (previous, arrival);
    }

  return longest;
}

/* A gap is worth marking when several probes in a row went unanswered. */
static gboolean
gap_is_notable (MwPingStrip *self,
                gint64       gap_us)
{
  guint n = get_n_records (self);
  gint64 interval;

  if (n < 2 || gap_us <= 0)
    return FALSE;
  interval = (get_record (self, n - 1)->sent_us - get_record (self, 0)->sent_us) / (n - 1);

  return gap_us > 3 * MAX (interval, 1);
}

static char *
format_seconds (gint64 us)
{
  /* Translators: a duration in seconds */
  return g_strdup_printf (_("%.1f s"), us / (double) G_USEC_PER_SEC);
}

static void
update_summary (MwPingStrip *self)
{
  guint n = get_n_records (self);
  guint replied = 0, lost = 0;
  gint64 from = 0, to = 0, gap;
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      const MwPingRecord *record = get_record (self, i);

      replied += record->rtt_us >= 0;
      lost += record->lost;
    }

  if (n == 0)
    {
      g_string_append (text, _("No ping probes sent yet."));
    }
  else
    {
      g_string_append_printf (text, _("Ping: %u sent, %u replied, %u lost."), n, replied, lost);
      gap = find_longest_gap (self, &from, &to);
      if (gap > 0)
        {
          g_autofree char *seconds = format_seconds (gap);

          g_string_append_printf (text, _(" Longest gap between replies %s."), seconds);
        }
    }

  if (g_strcmp0 (text->str, self->summary) == 0)
    return;

  g_free (self->summary);
  self->summary = g_string_free (g_steal_pointer (&text), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->summary,
                                  -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
}

static void
on_pinger_changed_cb (MwPingStrip *self)
{
  update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
mw_ping_strip_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  MwPingStrip *self = MW_PING_STRIP (widget);
  g_autoptr(PangoLayout) layout = NULL;
  g_autofree guint8 *columns = NULL;
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  GdkRGBA fg, dim, track, colors[4];
  float width = gtk_widget_get_width (widget);
  float height = gtk_widget_get_height (widget);
  float plot_x = self->inset_start;
  float plot_w = floorf (width - self->inset_start - self->inset_end);
  float tick_y = roundf ((height - TICK_HEIGHT) / 2);
  double span = MAX (self->end_us - self->start_us, 1);
  gint64 gap, gap_from = 0, gap_to = 0;
  guint n = get_n_records (self);
  int n_columns;
  float label_y;

  self->n_snapshots++;

  if (plot_w < 8)
    return;

  gtk_style_context_get_color (context, &fg);
  dim = fg;
  dim.alpha *= 0.7f;
  track = fg;
  track.alpha *= 0.06f;
  colors[TICK_NONE] = track;
  mw_plot_lookup_color (widget, "success_color", NULL, &colors[TICK_REPLIED]);
  colors[TICK_WAITING] = fg;
  colors[TICK_WAITING].alpha *= 0.3f;
  mw_plot_lookup_color (widget, "error_color", NULL, &colors[TICK_LOST]);
  layout = mw_plot_label_layout_new (widget);
  label_y = (height - mw_plot_text_height (layout)) / 2;  /* labels centred on the strip */

  /* Translators: the label of the strip of ping replies under the migration chart */
  mw_plot_append_text (snapshot, layout, _("Ping"), plot_x - LABEL_GAP, label_y, 1, &dim);
  gtk_snapshot_append_color (snapshot, &track,
                             &GRAPHENE_RECT_INIT (plot_x, tick_y, plot_w, TICK_HEIGHT));

  if (n == 0)
    return;

  gap = find_longest_gap (self, &gap_from, &gap_to);
  if (gap_is_notable (self, gap))
    {
      GdkRGBA shade = colors[TICK_LOST];
      float from = plot_x + (gap_from - self->start_us) / span * plot_w;
      float to = plot_x + (gap_to - self->start_us) / span * plot_w;
      g_autofree char *seconds = format_seconds (gap);
      g_autofree char *label = NULL;

      from = CLAMP (from, plot_x, plot_x + plot_w);
      to = CLAMP (to, plot_x, plot_x + plot_w);
      shade.alpha *= 0.18f;
      gtk_snapshot_append_color (snapshot, &shade,
                                 &GRAPHENE_RECT_INIT (floorf (from), 0,
                                                      MAX (ceilf (to) - floorf (from), 1),
                                                      height));
      /* Translators: the longest time without a ping reply, e.g. "gap 1.4 s" */
      label = g_strdup_printf (_("gap %s"), seconds);
      mw_plot_append_text (snapshot, layout, label, plot_x + plot_w + LABEL_GAP, label_y, 0,
                   &colors[TICK_LOST]);
    }

  /* Fold records into columns, the worst state winning. */
  n_columns = (int) plot_w;
  columns = g_new0 (guint8, n_columns);
  for (guint i = 0; i < n; i++)
    {
      const MwPingRecord *record = get_record (self, i);
      TickState state;
      int c;

      if (record->sent_us < self->start_us || record->sent_us > self->end_us)
        continue;
      c = MIN ((int) ((record->sent_us - self->start_us) / span * n_columns), n_columns - 1);
      state = record->lost ? TICK_LOST : record->rtt_us >= 0 ? TICK_REPLIED : TICK_WAITING;
      columns[c] = MAX (columns[c], state);
    }

  /* Runs of one state become one colour node each. */
  for (int c = 0, run_start = 0; c <= n_columns; c++)
    {
      if (c < n_columns && columns[c] == columns[run_start])
        continue;
      if (columns[run_start] != TICK_NONE)
        gtk_snapshot_append_color (snapshot, &colors[columns[run_start]],
                                   &GRAPHENE_RECT_INIT (plot_x + run_start, tick_y,
                                                        c - run_start, TICK_HEIGHT));
      run_start = c;
    }
}

static void
mw_ping_strip_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 120;
      *natural = 640;
    }
  else
    {
      *minimum = STRIP_HEIGHT;
      *natural = STRIP_HEIGHT;
    }
}

static void
mw_ping_strip_css_changed (GtkWidget         *widget,
                           GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (mw_ping_strip_parent_class)->css_changed (widget, change);
  gtk_widget_queue_draw (widget);
}

static void
mw_ping_strip_dispose (GObject *object)
{
  MwPingStrip *self = MW_PING_STRIP (object);

  if (self->pinger != NULL)
    g_signal_handlers_disconnect_by_func (self->pinger, on_pinger_changed_cb, self);
  g_clear_object (&self->pinger);

  G_OBJECT_CLASS (mw_ping_strip_parent_class)->dispose (object);
}

static void
mw_ping_strip_finalize (GObject *object)
{
  MwPingStrip *self = MW_PING_STRIP (object);

  g_clear_pointer (&self->test_records, g_array_unref);
  g_free (self->summary);

  G_OBJECT_CLASS (mw_ping_strip_parent_class)->finalize (object);
}

static void
mw_ping_strip_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  MwPingStrip *self = MW_PING_STRIP (object);

  switch (prop_id)
    {
    case PROP_PINGER:
      g_value_set_object (value, self->pinger);
      break;
    case PROP_START_US:
      g_value_set_int64 (value, self->start_us);
      break;
    case PROP_END_US:
      g_value_set_int64 (value, self->end_us);
      break;
    case PROP_PLOT_INSET_START:
      g_value_set_int (value, self->inset_start);
      break;
    case PROP_PLOT_INSET_END:
      g_value_set_int (value, self->inset_end);
      break;
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_ping_strip_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  MwPingStrip *self = MW_PING_STRIP (object);

  switch (prop_id)
    {
    case PROP_PINGER:
      mw_ping_strip_set_pinger (self, g_value_get_object (value));
      break;
    case PROP_START_US:
      mw_ping_strip_set_start_us (self, g_value_get_int64 (value));
      break;
    case PROP_END_US:
      mw_ping_strip_set_end_us (self, g_value_get_int64 (value));
      break;
    case PROP_PLOT_INSET_START:
      mw_ping_strip_set_plot_inset_start (self, g_value_get_int (value));
      break;
    case PROP_PLOT_INSET_END:
      mw_ping_strip_set_plot_inset_end (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_ping_strip_class_init (MwPingStripClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_ping_strip_dispose;
  object_class->finalize = mw_ping_strip_finalize;
  object_class->get_property = mw_ping_strip_get_property;
  object_class->set_property = mw_ping_strip_set_property;

  widget_class->measure = mw_ping_strip_measure;
  widget_class->snapshot = mw_ping_strip_snapshot;
  widget_class->css_changed = mw_ping_strip_css_changed;

  properties[PROP_PINGER] =
    g_param_spec_object ("pinger", NULL, NULL,
                         MW_TYPE_PINGER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_START_US] =
    g_param_spec_int64 ("start-us", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_END_US] =
    g_param_spec_int64 ("end-us", NULL, NULL,
                        0, G_MAXINT64, 60 * G_USEC_PER_SEC,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLOT_INSET_START] =
    g_param_spec_int ("plot-inset-start", NULL, NULL,
                      0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLOT_INSET_END] =
    g_param_spec_int ("plot-inset-end", NULL, NULL,
                      0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "pingstrip");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
mw_ping_strip_init (MwPingStrip *self)
{
  self->end_us = 60 * G_USEC_PER_SEC;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Guest ping replies"),
                                  -1);
  update_summary (self);
}

GtkWidget *
mw_ping_strip_new (MwPinger *pinger)
{
  g_return_val_if_fail (pinger == NULL || MW_IS_PINGER (pinger), NULL);

  return g_object_new (MW_TYPE_PING_STRIP, "pinger", pinger, NULL);
}

MwPinger *
mw_ping_strip_get_pinger (MwPingStrip *self)
{
  g_return_val_if_fail (MW_IS_PING_STRIP (self), NULL);

  return self->pinger;
}

void
mw_ping_strip_set_pinger (MwPingStrip *self,
                          MwPinger    *pinger)
{
  g_return_if_fail (MW_IS_PING_STRIP (self));
  g_return_if_fail (pinger == NULL || MW_IS_PINGER (pinger));

  if (self->pinger == pinger)
    return;

  if (self->pinger != NULL)
    g_signal_handlers_disconnect_by_func (self->pinger, on_pinger_changed_cb, self);
  g_set_object (&self->pinger, pinger);
  if (pinger != NULL)
    g_signal_connect_swapped (pinger, "changed", G_CALLBACK (on_pinger_changed_cb), self);

  on_pinger_changed_cb (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PINGER]);
}

gint64
mw_ping_strip_get_start_us (MwPingStrip *self)
{
  g_return_val_if_fail (MW_IS_PING_STRIP (self), 0);

  return self->start_us;
}

void
mw_ping_strip_set_start_us (MwPingStrip *self,
                            gint64       start_us)
{
  g_return_if_fail (MW_IS_PING_STRIP (self));

  if (self->start_us == start_us)
    return;

  self->start_us = start_us;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_START_US]);
}

gint64
mw_ping_strip_get_end_us (MwPingStrip *self)
{
  g_return_val_if_fail (MW_IS_PING_STRIP (self), 0);

  return self->end_us;
}

void
mw_ping_strip_set_end_us (MwPingStrip *self,
                          gint64       end_us)
{
  g_return_if_fail (MW_IS_PING_STRIP (self));

  if (self->end_us == end_us)
    return;

  self->end_us = end_us;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END_US]);
}

int
mw_ping_strip_get_plot_inset_start (MwPingStrip *self)
{
  g_return_val_if_fail (MW_IS_PING_STRIP (self), 0);

  return self->inset_start;
}

void
mw_ping_strip_set_plot_inset_start (MwPingStrip *self,
                                    int          inset)
{
  g_return_if_fail (MW_IS_PING_STRIP (self));

  if (self->inset_start == inset)
    return;

  self->inset_start = inset;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLOT_INSET_START]);
}

int
mw_ping_strip_get_plot_inset_end (MwPingStrip *self)
{
  g_return_val_if_fail (MW_IS_PING_STRIP (self), 0);

  return self->inset_end;
}

void
mw_ping_strip_set_plot_inset_end (MwPingStrip *self,
                                  int          inset)
{
  g_return_if_fail (MW_IS_PING_STRIP (self));

  if (self->inset_end == inset)
    return;

  self->inset_end = inset;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLOT_INSET_END]);
}

const char *
mw_ping_strip_get_summary (MwPingStrip *self)
{
  g_return_val_if_fail (MW_IS_PING_STRIP (self), NULL);

  return self->summary;
}

void
mw_ping_strip_set_test_records (MwPingStrip        *self,
                                const MwPingRecord *records,
                                guint               n_records)
{
  g_return_if_fail (MW_IS_PING_STRIP (self));
  g_return_if_fail (records != NULL || n_records == 0);

  g_clear_pointer (&self->test_records, g_array_unref);
  if (records != NULL)
    {
      self->test_records = g_array_sized_new (FALSE, FALSE, sizeof (MwPingRecord), n_records);
      g_array_append_vals (self->test_records, records, n_records);
    }
  on_pinger_changed_cb (self);
}

guint
mw_ping_strip_get_n_snapshots (MwPingStrip *self)
{
  g_return_val_if_fail (MW_IS_PING_STRIP (self), 0);

  return self->n_snapshots;
}
