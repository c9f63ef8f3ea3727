/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-list-reveal.c: see mw-list-reveal.h. Main thread. */
#include "config.h"

#include "mw-list-reveal.h"

/* Rows are added or dropped this many at a time, until this much of a frame went on them. */
#define CHUNK_ROWS 4
#define BUDGET_US 8000

struct _MwListReveal
{
  GObject parent_instance;

  /* Owned */
  GListModel *source;
  GtkSliceListModel *slice;

  /* Borrowed (weak) */
  GtkWidget *widget;

  MwListRevealApply apply;
  gpointer apply_data;
  guint step;
  guint tick_id;
  gboolean pending;                   /* a change waits for the list to be short */
};

G_DEFINE_FINAL_TYPE (MwListReveal, mw_list_reveal, G_TYPE_OBJECT)

static guint
n_shown (MwListReveal *self)
{
  return MIN (gtk_slice_list_model_get_size (self->slice),
              g_list_model_get_n_items (self->source));
}

/* One frame's share: rows made (or dropped) a few at a time until BUDGET_US of this frame went
 * on it. What a row costs depends on the machine and its load; measuring keeps the frame short
 * on a slow one and fills the list faster on a fast one. Its measuring and drawing come later in
 * the same frame and cost about as much again. */
static void
resize_by (MwListReveal *self,
           guint         target,
           gint64        start_us)
{
  guint size = n_shown (self);

  while (size != target)
    {
      size = size < target ? MIN (target, size + CHUNK_ROWS) : MAX (target, size - CHUNK_ROWS);
      gtk_slice_list_model_set_size (self->slice, size);
      if (g_get_monotonic_time () - start_us >= BUDGET_US)
        break;
    }
}

static gboolean
on_tick_cb (GtkWidget     *widget,
            GdkFrameClock *clock,
            gpointer       user_data)
{
  MwListReveal *self = user_data;
  gint64 start_us = g_get_monotonic_time ();
  guint n = g_list_model_get_n_items (self->source);

  if (self->pending)
    {
      if (n_shown (self) > self->step)
        {
          resize_by (self, self->step, start_us);
          return G_SOURCE_CONTINUE;
        }
      self->pending = FALSE;
      gtk_slice_list_model_set_size (self->slice, self->step);
      self->apply (self->apply_data);
      return G_SOURCE_CONTINUE;
    }
  if (gtk_slice_list_model_get_size (self->slice) < n)
    {
      resize_by (self, n, start_us);
      return G_SOURCE_CONTINUE;
    }
  self->tick_id = 0;
  return G_SOURCE_REMOVE;
}

static void
ensure_tick (MwListReveal *self)
{
  if (self->tick_id == 0 && self->widget != NULL)
    self->tick_id = gtk_widget_add_tick_callback (self->widget, on_tick_cb, self, NULL);
}

/* After the slice saw the change (it connected first): more to show comes in by frames; a
 * slice much longer than the source would show what is added later all at once. */
static void
on_source_items_changed_cb (MwListReveal *self,
                            guint         position,
                            guint         removed,
                            guint         added)
{
  guint n = g_list_model_get_n_items (self->source);

  if (gtk_slice_list_model_get_size (self->slice) > MAX (n, self->step))
    gtk_slice_list_model_set_size (self->slice, MAX (n, self->step));
  if (gtk_slice_list_model_get_size (self->slice) < n)
    ensure_tick (self);
}

static void
mw_list_reveal_dispose (GObject *object)
{
  MwListReveal *self = MW_LIST_REVEAL (object);

  mw_list_reveal_stop (self);
  g_clear_weak_pointer (&self->widget);
  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  g_clear_object (&self->slice);
  g_clear_object (&self->source);
  G_OBJECT_CLASS (mw_list_reveal_parent_class)->dispose (object);
}

static void
mw_list_reveal_class_init (MwListRevealClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = mw_list_reveal_dispose;
}

static void
mw_list_reveal_init (MwListReveal *self)
{
}

MwListReveal *
mw_list_reveal_new (GListModel        *source,
                    GtkWidget         *widget,
                    guint              step,
                    MwListRevealApply  apply,
                    gpointer           user_data)
{
  MwListReveal *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (source), NULL);
  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (step > 0 && apply != NULL, NULL);

  self = g_object_new (MW_TYPE_LIST_REVEAL, NULL);
  self->source = g_object_ref (source);
  self->slice = gtk_slice_list_model_new (g_object_ref (source), 0, step);
  g_set_weak_pointer (&self->widget, widget);
  self->step = step;
  self->apply = apply;
  self->apply_data = user_data;
  g_signal_connect_object (source, "items-changed", G_CALLBACK (on_source_items_changed_cb),
                           self, G_CONNECT_SWAPPED);
  on_source_items_changed_cb (self, 0, 0, 0);
  return self;
}

GListModel *
mw_list_reveal_get_model (MwListReveal *self)
{
  g_return_val_if_fail (MW_IS_LIST_REVEAL (self), NULL);
  return G_LIST_MODEL (self->slice);
}

void
mw_list_reveal_change (MwListReveal *self)
{
  g_return_if_fail (MW_IS_LIST_REVEAL (self));

  /* A short list, or one not drawn (no frames to pace on: nothing is on screen to change). */
  if (n_shown (self) <= self->step || self->widget == NULL
      || !gtk_widget_get_realized (self->widget))
    {
      self->pending = FALSE;
      gtk_slice_list_model_set_size (self->slice, self->step);
      self->apply (self->apply_data);
      on_source_items_changed_cb (self, 0, 0, 0);
      return;
    }
  self->pending = TRUE;
  ensure_tick (self);
}

gboolean
mw_list_reveal_get_settled (MwListReveal *self)
{
  g_return_val_if_fail (MW_IS_LIST_REVEAL (self), FALSE);
  return !self->pending
         && gtk_slice_list_model_get_size (self->slice) >= g_list_model_get_n_items (self->source);
}

void
mw_list_reveal_stop (MwListReveal *self)
{
  g_return_if_fail (MW_IS_LIST_REVEAL (self));

  if (self->tick_id != 0 && self->widget != NULL)
    gtk_widget_remove_tick_callback (self->widget, self->tick_id);
  self->tick_id = 0;
  self->pending = FALSE;
}
