/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-evacuation-progress-row.c: a guest of a running evacuation. Main thread.
 *
 * Rows are recycled as the list scrolls: bind () takes every signal it needs on the item, its
 * job and the job's pinger, unbind () drops them all, so a row only ever listens to the guest it
 * shows and 300 guests cost the rows on screen. */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-evacuation-labels.h"
#include "mw-evacuation-progress-row.h"
#include "mw-evacuation-sparkline.h"

struct _MwEvacuationProgressRow
{
  GtkBox parent_instance;

  /* Template widgets */
  GtkImage *state_icon;
  GtkLabel *name_label;
  GtkLabel *state_label;
  MwEvacuationSparkline *sparkline;
  GtkLabel *ping_label;
  GtkWidget *cancel_button;

  /* Owned */
  MwEvacuationItem *item;
  MwMigrationJob *job;
  MwPinger *pinger;

  /* Borrowed */
  MwConnectionList *connections;
};

G_DEFINE_FINAL_TYPE (MwEvacuationProgressRow, mw_evacuation_progress_row, GTK_TYPE_BOX)

enum {
  SIGNAL_CANCEL,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_ping (MwEvacuationProgressRow *self)
{
  g_autofree char *text = NULL;
  guint n = self->pinger != NULL ? mw_pinger_get_n_records (self->pinger) : 0;

  for (guint i = n; i > 0 && text == NULL; i--)
    {
      const MwPingRecord *record = mw_pinger_get_record (self->pinger, i - 1);

      if (record->rtt_us >= 0)
        /* Translators: the last ping's round trip, in milliseconds. */
        text = g_strdup_printf (_("ping %.1f ms"), record->rtt_us / 1000.0);
      else if (record->lost)
        text = g_strdup (_("ping lost"));
    }
  gtk_label_set_label (self->ping_label, text != NULL ? text : "");
}

static void
set_pinger (MwEvacuationProgressRow *self,
            MwPinger                *pinger)
{
  if (self->pinger == pinger)
    return;
  if (self->pinger != NULL)
    g_signal_handlers_disconnect_by_data (self->pinger, self);
  g_set_object (&self->pinger, pinger);
  if (pinger != NULL)
    g_signal_connect_swapped (pinger, "changed", G_CALLBACK (update_ping), self);
  update_ping (self);
}

static void
on_job_pinger_cb (MwEvacuationProgressRow *self)
{
  set_pinger (self, mw_migration_job_get_pinger (self->job));
}

static void
set_job (MwEvacuationProgressRow *self,
         MwMigrationJob          *job)
{
  if (self->job == job)
    return;
  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (self->job, self);
  g_set_object (&self->job, job);
  if (job != NULL)
    g_signal_connect_swapped (job, "notify::pinger", G_CALLBACK (on_job_pinger_cb), self);
  mw_evacuation_sparkline_set_history (self->sparkline,
                                       job != NULL ? mw_migration_job_get_history (job) : NULL);
  set_pinger (self, job != NULL ? mw_migration_job_get_pinger (job) : NULL);
}

static void
update (MwEvacuationProgressRow *self)
{
  MwEvacuationItem *item = self->item;
  MwEvacuationState state = mw_evacuation_item_get_state (item);
  const char *message = mw_evacuation_item_get_message (item);
  const char *destination = mw_evacuation_item_get_destination (item);
  g_autofree char *line = NULL;
  g_autofree char *a11y = NULL;

  gtk_image_set_from_icon_name (self->state_icon, mw_evacuation_state_icon (state));
  gtk_label_set_label (self->name_label, mw_evacuation_item_get_name (item));
  if (message != NULL)
    /* Translators: a guest's state, then what happened ("Failed — Migration failed: …"). */
    line = g_strdup_printf (_("%s — %s"), mw_evacuation_state_title (state), message);
  else if (destination != NULL
           && mw_evacuation_item_get_action (item) == MW_EVACUATION_ACTION_MIGRATE)
    /* Translators: a guest's state, then the host it goes to ("Queued → hostb"). */
    line = g_strdup_printf (_("%s → %s"), mw_evacuation_state_title (state),
                            mw_evacuation_host_title (self->connections, destination));
  else
    line = g_strdup_printf (_("%s — %s"), mw_evacuation_state_title (state),
                            mw_evacuation_action_title (mw_evacuation_item_get_action (item)));
  mw_evacuation_state_style_label (self->state_label, state, line, "caption");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->state_label), line);
  /* Only what has not ended can be taken out; keeps its room so the rows line up. */
  gtk_widget_set_opacity (self->cancel_button,
                          state == MW_EVACUATION_STATE_QUEUED
                          || state == MW_EVACUATION_STATE_CHECKING
                          || state == MW_EVACUATION_STATE_MIGRATING ? 1 : 0);
  gtk_widget_set_sensitive (self->cancel_button,
                            state == MW_EVACUATION_STATE_QUEUED
                            || state == MW_EVACUATION_STATE_CHECKING
                            || state == MW_EVACUATION_STATE_MIGRATING);
  set_job (self, mw_evacuation_item_get_job (item));

  /* Translators: a progress row for screen readers: guest name, then its state line. */
  a11y = g_strdup_printf (_("%s: %s"), mw_evacuation_item_get_name (item), line);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  g_free (a11y);
  /* Translators: %s is a guest's name. */
  a11y = g_strdup_printf (_("Cancel %s"), mw_evacuation_item_get_name (item));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->cancel_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
}

static void
on_cancel_clicked_cb (MwEvacuationProgressRow *self)
{
  if (self->item != NULL)
    g_signal_emit (self, signals[SIGNAL_CANCEL], 0, self->item);
}

static void
mw_evacuation_progress_row_dispose (GObject *object)
{
  MwEvacuationProgressRow *self = MW_EVACUATION_PROGRESS_ROW (object);

  mw_evacuation_progress_row_unbind (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_EVACUATION_PROGRESS_ROW);
  G_OBJECT_CLASS (mw_evacuation_progress_row_parent_class)->dispose (object);
}

static void
mw_evacuation_progress_row_class_init (MwEvacuationProgressRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_evacuation_progress_row_dispose;

  /* (MwEvacuationItem *item): the user wants this guest out of the evacuation. */
  signals[SIGNAL_CANCEL] =
    g_signal_new ("cancel", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, MW_TYPE_EVACUATION_ITEM);

  g_type_ensure (MW_TYPE_EVACUATION_SPARKLINE);
  gtk_widget_class_set_template_from_resource (widget_class, "/com/example/MigWizard/evacuation/"
                                               "mw-evacuation-progress-row.ui");
  gtk_widget_class_bind_template_child (widget_class, MwEvacuationProgressRow, state_icon);
  gtk_widget_class_bind_template_child (widget_class, MwEvacuationProgressRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, MwEvacuationProgressRow, state_label);
  gtk_widget_class_bind_template_child (widget_class, MwEvacuationProgressRow, sparkline);
  gtk_widget_class_bind_template_child (widget_class, MwEvacuationProgressRow, ping_label);
  gtk_widget_class_bind_template_child (widget_class, MwEvacuationProgressRow, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked_cb);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
mw_evacuation_progress_row_init (MwEvacuationProgressRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
mw_evacuation_progress_row_new (MwConnectionList *connections)
{
  MwEvacuationProgressRow *self = g_object_new (MW_TYPE_EVACUATION_PROGRESS_ROW, NULL);

  self->connections = connections;
  return GTK_WIDGET (self);
}

void
mw_evacuation_progress_row_bind (MwEvacuationProgressRow *self,
                                 MwEvacuationItem        *item)
{
  g_return_if_fail (MW_IS_EVACUATION_PROGRESS_ROW (self));
  g_return_if_fail (MW_IS_EVACUATION_ITEM (item));

  mw_evacuation_progress_row_unbind (self);
  self->item = g_object_ref (item);
  g_signal_connect_swapped (item, "notify::state", G_CALLBACK (update), self);
  g_signal_connect_swapped (item, "notify::message", G_CALLBACK (update), self);
  g_signal_connect_swapped (item, "notify::job", G_CALLBACK (update), self);
  update (self);
}

void
mw_evacuation_progress_row_unbind (MwEvacuationProgressRow *self)
{
  g_return_if_fail (MW_IS_EVACUATION_PROGRESS_ROW (self));

  if (self->item == NULL)
    return;
  set_job (self, NULL);
  g_signal_handlers_disconnect_by_data (self->item, self);
  g_clear_object (&self->item);
}

MwEvacuationItem *
mw_evacuation_progress_row_get_item (MwEvacuationProgressRow *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_PROGRESS_ROW (self), NULL);
  return self->item;
}

const char *
mw_evacuation_progress_row_get_state_text (MwEvacuationProgressRow *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_PROGRESS_ROW (self), NULL);
  return gtk_label_get_label (self->state_label);
}

const char *
mw_evacuation_progress_row_get_ping_text (MwEvacuationProgressRow *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_PROGRESS_ROW (self), NULL);
  return gtk_label_get_label (self->ping_label);
}

GtkWidget *
mw_evacuation_progress_row_get_sparkline (MwEvacuationProgressRow *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_PROGRESS_ROW (self), NULL);
  return GTK_WIDGET (self->sparkline);
}
