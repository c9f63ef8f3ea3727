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

struct _MwPingStrip
{
  GtkWidget parent_instance;

  /* Owned */
  MwPinger *pinger;
  GArray *test_records;               /* of MwPingRecord; replaces the pinger's when set */
  MwTimePlot plot;                    /* bound to the chart's */

  /* What snapshot () drew, for tests */
  guint n_snapshots;
  GArray *texts;                      /* MwPlotText */
};

G_DEFINE_FINAL_TYPE (MwPingStrip, mw_ping_strip, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PINGER,
  PROP_PLOT,                          /* the MwTimePlot properties, in their order */
  N_PROPS = PROP_PLOT + MW_TIME_PLOT_N_PROPS
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

  if (mw_time_plot_set_summary (&self->plot, GTK_WIDGET (self), text->str))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLOT + MW_TIME_PLOT_PROP_SUMMARY]);
}

static void
on_pinger_changed_cb (MwPingStrip *self)
{
  update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_axis (MwPingStrip    *self,
          MwTimePlotProp  prop,
          gint64          value)
{
  if (!mw_time_plot_set (&self->plot, prop, value))
    return;

  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLOT + prop]);
}

static gboolean
tick_color (guint    state,
            GdkRGBA *color,
            gpointer user_data)
{
  const GdkRGBA *colors = user_data;

  if (state == TICK_NONE)
    return FALSE;
  *color = colors[state];
  return TRUE;
}

static void
append_strip (MwPingStrip        *self,
              const MwPlotCanvas *canvas)
{
  g_autofree guint *columns = NULL;
  GdkRGBA track, colors[4];
  float tick_y = roundf ((canvas->height - TICK_HEIGHT) / 2);
  float label_y = (canvas->height - canvas->text_h) / 2;  /* labels centred on the strip */
  gint64 gap, gap_from = 0, gap_to = 0;
  guint n = get_n_records (self);
  int n_columns;

  track = canvas->fg;
  track.alpha *= 0.06f;
  colors[TICK_NONE] = track;
  mw_plot_lookup_color (GTK_WIDGET (self), "success_color", NULL, &colors[TICK_REPLIED]);
  colors[TICK_WAITING] = canvas->fg;
  colors[TICK_WAITING].alpha *= 0.3f;
  mw_plot_lookup_color (GTK_WIDGET (self), "error_color", NULL, &colors[TICK_LOST]);

  /* Translators: the label of the strip of ping replies under the migration chart */
  mw_plot_canvas_append_text (canvas, _("Ping"), canvas->plot_x - MW_PLOT_LABEL_GAP, label_y, 1,
                              &canvas->dim);
  gtk_snapshot_append_color (canvas->snapshot, &track,
                             &GRAPHENE_RECT_INIT (canvas->plot_x, tick_y, canvas->plot_w,
                                                  TICK_HEIGHT));

  if (n == 0)
    return;

  gap = find_longest_gap (self, &gap_from, &gap_to);
  if (gap_is_notable (self, gap))
    {
      GdkRGBA shade = colors[TICK_LOST];
      float right = canvas->plot_x + canvas->plot_w;
      float from = mw_time_plot_x (&self->plot, canvas->plot_w, gap_from);
      float to = mw_time_plot_x (&self->plot, canvas->plot_w, gap_to);
      g_autofree char *seconds = format_seconds (gap);
      g_autofree char *label = NULL;

      from = CLAMP (from, canvas->plot_x, right);
      to = CLAMP (to, canvas->plot_x, right);
      shade.alpha *= 0.18f;
      gtk_snapshot_append_color (canvas->snapshot, &shade,
                                 &GRAPHENE_RECT_INIT (floorf (from), 0,
                                                      MAX (ceilf (to) - floorf (from), 1),
                                                      canvas->height));
      /* Translators: the longest time without a ping reply, e.g. "gap 1.4 s" */
      label = g_strdup_printf (_("gap %s"), seconds);
      mw_plot_canvas_append_text (canvas, label, right + MW_PLOT_LABEL_GAP, label_y, 0,
                                  &colors[TICK_LOST]);
    }

  /* Fold records into columns, the worst state winning; a run of one state is one node. */
  n_columns = (int) canvas->plot_w;
  columns = g_new0 (guint, n_columns);
  for (guint i = 0; i < n; i++)
    {
      const MwPingRecord *record = get_record (self, i);
      int c = mw_time_plot_column (&self->plot, n_columns, record->sent_us);
      TickState state;

      if (c < 0)
        continue;
      state = record->lost ? TICK_LOST : record->rtt_us >= 0 ? TICK_REPLIED : TICK_WAITING;
      columns[c] = MAX (columns[c], state);
    }
  mw_plot_append_runs (canvas->snapshot,
                       &GRAPHENE_RECT_INIT (canvas->plot_x, tick_y, n_columns, TICK_HEIGHT),
                       columns, tick_color, colors);
}

static void
mw_ping_strip_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  MwPingStrip *self = MW_PING_STRIP (widget);
  MwPlotCanvas canvas;

  self->n_snapshots++;

  mw_plot_canvas_init (&canvas, &self->plot, widget, snapshot);
  g_array_set_size (self->texts, 0);
  canvas.texts = self->texts;
  if (canvas.plot_w >= 8)
    append_strip (self, &canvas);
  mw_plot_canvas_clear (&canvas);
}

static void
mw_ping_strip_dispose (GObject *object)
{
  MwPingStrip *self = MW_PING_STRIP (object);

  mw_plot_watch_model (GTK_WIDGET (self), &self->pinger, NULL, G_CALLBACK (on_pinger_changed_cb));

  G_OBJECT_CLASS (mw_ping_strip_parent_class)->dispose (object);
}

static void
mw_ping_strip_finalize (GObject *object)
{
  MwPingStrip *self = MW_PING_STRIP (object);

  g_clear_pointer (&self->test_records, g_array_unref);
  mw_time_plot_clear (&self->plot);
  g_array_unref (self->texts);

  G_OBJECT_CLASS (mw_ping_strip_parent_class)->finalize (object);
}

static void
mw_ping_strip_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  MwPingStrip *self = MW_PING_STRIP (object);

  if (mw_time_plot_get_property (&self->plot, prop_id - PROP_PLOT, value))
    return;

  switch (prop_id)
    {
    case PROP_PINGER:
      g_value_set_object (value, self->pinger);
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

  /* The window and the insets; the summary is read-only. */
  if (prop_id - PROP_PLOT < MW_TIME_PLOT_PROP_SUMMARY)
    {
      set_axis (self, prop_id - PROP_PLOT, mw_time_plot_value_of (prop_id - PROP_PLOT, value));
      return;
    }

  switch (prop_id)
    {
    case PROP_PINGER:
      mw_ping_strip_set_pinger (self, g_value_get_object (value));
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

  widget_class->snapshot = mw_ping_strip_snapshot;

  properties[PROP_PINGER] =
    g_param_spec_object ("pinger", NULL, NULL,
                         MW_TYPE_PINGER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Writable: bound to the chart's. */
  mw_time_plot_install_properties (&properties[PROP_PLOT], G_PARAM_READWRITE);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "pingstrip");
  mw_time_plot_class_init (widget_class, 120, STRIP_HEIGHT, STRIP_HEIGHT);
}

static void
mw_ping_strip_init (MwPingStrip *self)
{
  mw_time_plot_init (&self->plot, GTK_WIDGET (self), _("Guest ping replies"));
  self->texts = mw_plot_texts_new ();
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

  if (!mw_plot_watch_model (GTK_WIDGET (self), &self->pinger, pinger,
                            G_CALLBACK (on_pinger_changed_cb)))
    return;

  on_pinger_changed_cb (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PINGER]);
}

gint64
mw_ping_strip_get_start_us (MwPingStrip *self)
{
  g_return_val_if_fail (MW_IS_PING_STRIP (self), 0);

  return self->plot.start_us;
}

void
mw_ping_strip_set_start_us (MwPingStrip *self,
                            gint64       start_us)
{
  g_return_if_fail (MW_IS_PING_STRIP (self));

  set_axis (self, MW_TIME_PLOT_PROP_START_US, start_us);
}

gint64
mw_ping_strip_get_end_us (MwPingStrip *self)
{
  g_return_val_if_fail (MW_IS_PING_STRIP (self), 0);

  return self->plot.end_us;
}

void
mw_ping_strip_set_end_us (MwPingStrip *self,
                          gint64       end_us)
{
  g_return_if_fail (MW_IS_PING_STRIP (self));

  set_axis (self, MW_TIME_PLOT_PROP_END_US, end_us);
}

int
mw_ping_strip_get_plot_inset_start (MwPingStrip *self)
{
  g_return_val_if_fail (MW_IS_PING_STRIP (self), 0);

  return self->plot.inset_start;
}

void
mw_ping_strip_set_plot_inset_start (MwPingStrip *self,
                                    int          inset)
{
  g_return_if_fail (MW_IS_PING_STRIP (self));

  set_axis (self, MW_TIME_PLOT_PROP_PLOT_INSET_START, inset);
}

int
mw_ping_strip_get_plot_inset_end (MwPingStrip *self)
{
  g_return_val_if_fail (MW_IS_PING_STRIP (self), 0);

  return self->plot.inset_end;
}

void
mw_ping_strip_set_plot_inset_end (MwPingStrip *self,
                                  int          inset)
{
  g_return_if_fail (MW_IS_PING_STRIP (self));

  set_axis (self, MW_TIME_PLOT_PROP_PLOT_INSET_END, inset);
}

const char *
mw_ping_strip_get_summary (MwPingStrip *self)
{
  g_return_val_if_fail (MW_IS_PING_STRIP (self), NULL);

  return self->plot.summary;
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

const MwPlotText *
mw_ping_strip_get_texts (MwPingStrip *self,
                         guint       *n_texts)
{
  g_return_val_if_fail (MW_IS_PING_STRIP (self), NULL);
  g_return_val_if_fail (n_texts != NULL, NULL);

  *n_texts = self->texts->len;
  return (const MwPlotText *) self->texts->data;
}
