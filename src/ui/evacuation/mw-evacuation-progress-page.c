/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-evacuation-progress-page.c: the running evacuation. Main thread.
 *
 * The counts follow the evacuation's own (`n-done`, `n-failed`, `n-skipped`, `n-running`); the
 * elapsed time ticks once a second while it runs and stops at `finished`. The rows come in a
 * few a frame (MwListReveal): GTK 4.8 would build 200 of them, charts included, at Start. */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-evacuation-labels.h"
#include "mw-evacuation-progress-page.h"
#include "mw-evacuation-progress-row.h"
#include "mw-list-reveal.h"

/* Rows shown at once: about those that fit in the window. */
#define REVEAL_ROWS 12

struct _MwEvacuationProgressPage
{
  AdwBin parent_instance;

  /* Template widgets */
  GtkLabel *count_label;
  GtkLabel *elapsed_label;
  GtkProgressBar *progress_bar;
  GtkListView *list_view;

  /* Owned */
  MwEvacuation *evacuation;
  GtkFilterListModel *items;          /* the evacuation's items, unfiltered: the reveal's source */
  MwListReveal *reveal;
  GtkNoSelection *selection;
  guint tick_id;

  /* Borrowed */
  MwConnectionList *connections;
};

G_DEFINE_FINAL_TYPE (MwEvacuationProgressPage, mw_evacuation_progress_page, ADW_TYPE_BIN)

static void
update_elapsed (MwEvacuationProgressPage *self)
{
  gint64 ms = self->evacuation != NULL ? mw_evacuation_get_elapsed_ms (self->evacuation) : 0;
  g_autofree char *text = mw_evacuation_format_ms (ms);

  gtk_label_set_label (self->elapsed_label, text);
}

static void
update_counts (MwEvacuationProgressPage *self)
{
  MwEvacuation *evacuation = self->evacuation;
  GListModel *items;
  guint total, done, failed, skipped, running, over;
  MwEvacuationRunState state;
  g_autofree char *text = NULL;

  if (evacuation == NULL)
    return;
  items = mw_evacuation_plan_get_items (mw_evacuation_get_plan (evacuation));
  total = g_list_model_get_n_items (items);
  done = mw_evacuation_get_n_done (evacuation);
  failed = mw_evacuation_get_n_failed (evacuation);
  skipped = mw_evacuation_get_n_skipped (evacuation);
  running = mw_evacuation_get_n_running (evacuation);
  state = mw_evacuation_get_state (evacuation);
  over = done + failed + skipped;

  if (state == MW_EVACUATION_RUN_STOPPING)
    text = g_strdup (_("Stopping: waiting for the running migrations to end…"));
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u of %u guest done · %u failed · %u skipped · "
                                         "%u migrating",
                                         "%u of %u guests done · %u failed · %u skipped · "
                                         "%u migrating", total),
                            done, total, failed, skipped, running);
  gtk_label_set_label (self->count_label, text);
  gtk_progress_bar_set_fraction (self->progress_bar, total > 0 ? (double) over / total : 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "progress.stop-all",
                                 state == MW_EVACUATION_RUN_RUNNING);
  update_elapsed (self);
}

static gboolean
on_tick_cb (gpointer user_data)
{
  update_elapsed (user_data);
  return G_SOURCE_CONTINUE;
}

static void
on_finished_cb (MwEvacuationProgressPage *self)
{
  g_clear_handle_id (&self->tick_id, g_source_remove);
  update_counts (self);
}

static void
on_row_cancel_cb (MwEvacuationProgressPage *self,
                  MwEvacuationItem         *item)
{
  if (self->evacuation != NULL)
    mw_evacuation_cancel_item (self->evacuation, item);
}

static void
stop_all_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  MwEvacuationProgressPage *self = MW_EVACUATION_PROGRESS_PAGE (widget);

  if (self->evacuation != NULL)
    mw_evacuation_stop (self->evacuation);
}

static void
on_setup_row_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 MwEvacuationProgressPage *self)
{
  GtkWidget *row = mw_evacuation_progress_row_new (self->connections);

  g_signal_connect_object (row, "cancel", G_CALLBACK (on_row_cancel_cb), self, G_CONNECT_SWAPPED);
  gtk_list_item_set_child (list_item, row);
  gtk_list_item_set_activatable (list_item, FALSE);
}

static void
on_bind_row_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  mw_evacuation_progress_row_bind (MW_EVACUATION_PROGRESS_ROW (gtk_list_item_get_child (list_item)),
                                   gtk_list_item_get_item (list_item));
}

static void
on_unbind_row_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  user_data)
{
  mw_evacuation_progress_row_unbind (
    MW_EVACUATION_PROGRESS_ROW (gtk_list_item_get_child (list_item)));
}

/* The evacuation's items reach the list: MwListReveal calls it once the last one's rows are few. */
static void
apply_items (gpointer user_data)
{
  MwEvacuationProgressPage *self = user_data;

  gtk_filter_list_model_set_model (self->items,
                                   self->evacuation != NULL
                                   ? mw_evacuation_plan_get_items (
                                       mw_evacuation_get_plan (self->evacuation))
                                   : NULL);
}

static void
mw_evacuation_progress_page_dispose (GObject *object)
{
  MwEvacuationProgressPage *self = MW_EVACUATION_PROGRESS_PAGE (object);

  mw_evacuation_progress_page_set_evacuation (self, NULL);
  if (self->reveal != NULL)
    mw_list_reveal_stop (self->reveal);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_EVACUATION_PROGRESS_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->reveal);
  g_clear_object (&self->items);
  G_OBJECT_CLASS (mw_evacuation_progress_page_parent_class)->dispose (object);
}

static void
mw_evacuation_progress_page_class_init (MwEvacuationProgressPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_evacuation_progress_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/com/example/MigWizard/evacuation/"
                                               "mw-evacuation-progress-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MwEvacuationProgressPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, MwEvacuationProgressPage, elapsed_label);
  gtk_widget_class_bind_template_child (widget_class, MwEvacuationProgressPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, MwEvacuationProgressPage, list_view);
  gtk_widget_class_install_action (widget_class, "progress.stop-all", NULL, stop_all_action);
}

static void
mw_evacuation_progress_page_init (MwEvacuationProgressPage *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (factory, "setup", G_CALLBACK (on_setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (on_bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_unbind_row_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  self->items = gtk_filter_list_model_new (NULL, NULL);
  self->reveal = mw_list_reveal_new (G_LIST_MODEL (self->items), GTK_WIDGET (self->list_view),
                                     REVEAL_ROWS, apply_items, self);
  self->selection = gtk_no_selection_new (g_object_ref (mw_list_reveal_get_model (self->reveal)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "progress.stop-all", FALSE);
}

GtkWidget *
mw_evacuation_progress_page_new (MwConnectionList *connections)
{
  MwEvacuationProgressPage *self = g_object_new (MW_TYPE_EVACUATION_PROGRESS_PAGE, NULL);

  self->connections = connections;
  return GTK_WIDGET (self);
}

MwEvacuation *
mw_evacuation_progress_page_get_evacuation (MwEvacuationProgressPage *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_PROGRESS_PAGE (self), NULL);
  return self->evacuation;
}

void
mw_evacuation_progress_page_set_evacuation (MwEvacuationProgressPage *self,
                                            MwEvacuation             *evacuation)
{
  static const char *const counts[] = { "notify::n-done", "notify::n-failed", "notify::n-skipped",
                                        "notify::n-running", "notify::state" };

  g_return_if_fail (MW_IS_EVACUATION_PROGRESS_PAGE (self));
  g_return_if_fail (evacuation == NULL || MW_IS_EVACUATION (evacuation));

  if (self->evacuation == evacuation)
    return;
  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->evacuation != NULL)
    g_signal_handlers_disconnect_by_data (self->evacuation, self);
  g_set_object (&self->evacuation, evacuation);
  if (self->reveal != NULL)
    mw_list_reveal_change (self->reveal);
  if (evacuation == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    g_signal_connect_swapped (evacuation, counts[i], G_CALLBACK (update_counts), self);
  g_signal_connect_swapped (evacuation, "finished", G_CALLBACK (on_finished_cb), self);
  if (mw_evacuation_get_state (evacuation) != MW_EVACUATION_RUN_FINISHED)
    self->tick_id = g_timeout_add_seconds (1, on_tick_cb, self);
  update_counts (self);
}

const char *
mw_evacuation_progress_page_get_count_text (MwEvacuationProgressPage *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_PROGRESS_PAGE (self), NULL);
  return gtk_label_get_label (self->count_label);
}

GtkListView *
mw_evacuation_progress_page_get_list_view (MwEvacuationProgressPage *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_PROGRESS_PAGE (self), NULL);
  return self->list_view;
}
