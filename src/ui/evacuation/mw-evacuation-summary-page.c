/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-evacuation-summary-page.c: the table at the end of an evacuation. Main thread.
 *
 * Every cell is a label made from the item as the core left it: `location` and `verified` are
 * what the hosts said after the run, never the plan's destination. The rows come in a few a
 * frame (MwListReveal): GTK 4.8 would build 200 of them, seven cells each, at the end. */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-evacuation-labels.h"
#include "mw-evacuation-summary-page.h"
#include "mw-list-reveal.h"

/* Rows shown at once: about those that fit in the window. */
#define REVEAL_ROWS 12

enum {
  COLUMN_GUEST,
  COLUMN_NOW_ON,
  COLUMN_OUTCOME,
  COLUMN_TIME,
  COLUMN_DOWNTIME,
  COLUMN_PING_GAP,
  COLUMN_NOTE,
  N_COLUMNS
};

struct _MwEvacuationSummaryPage
{
  AdwBin parent_instance;

  /* Template widgets */
  GtkImage *outcome_icon;
  GtkLabel *outcome_label;
  GtkWidget *bring_back_button;
  GtkColumnView *column_view;

  /* Owned */
  MwEvacuation *evacuation;
  GtkFilterListModel *items;          /* the evacuation's items, unfiltered: the reveal's source */
  MwListReveal *reveal;
  GtkNoSelection *selection;

  /* Borrowed */
  MwConnectionList *connections;
};

G_DEFINE_FINAL_TYPE (MwEvacuationSummaryPage, mw_evacuation_summary_page, ADW_TYPE_BIN)

static const char *
outcome_of (MwEvacuationItem *item)
{
  switch (mw_evacuation_item_get_state (item))
    {
    case MW_EVACUATION_STATE_DONE:
      switch (mw_evacuation_item_get_action (item))
        {
        case MW_EVACUATION_ACTION_SHUT_DOWN:
          return _("Shut down");
        case MW_EVACUATION_ACTION_MANAGED_SAVE:
          return _("Suspended to disk");
        case MW_EVACUATION_ACTION_START:
          return _("Started");
        case MW_EVACUATION_ACTION_LEAVE:
          return _("Left");
        case MW_EVACUATION_ACTION_MIGRATE:
        default:
          return _("Moved");
        }
    case MW_EVACUATION_STATE_FAILED:
      return _("Failed");
    case MW_EVACUATION_STATE_SKIPPED:
      return mw_evacuation_item_get_action (item) == MW_EVACUATION_ACTION_LEAVE
             ? _("Left") : _("Skipped");
    case MW_EVACUATION_STATE_QUEUED:
    case MW_EVACUATION_STATE_CHECKING:
    case MW_EVACUATION_STATE_MIGRATING:
    case MW_EVACUATION_STATE_ACTING:
    default:
      return mw_evacuation_state_title (mw_evacuation_item_get_state (item));
    }
}

char *
mw_evacuation_summary_page_cell_text (MwEvacuationSummaryPage *self,
                                      MwEvacuationItem        *item,
                                      guint                    column)
{
  const char *location = mw_evacuation_item_get_location (item);
  gint64 gap_us;
  gint64 downtime_ms;

  g_return_val_if_fail (MW_IS_EVACUATION_SUMMARY_PAGE (self), NULL);
  g_return_val_if_fail (MW_IS_EVACUATION_ITEM (item), NULL);

  switch (column)
    {
    case COLUMN_GUEST:
      return g_strdup (mw_evacuation_item_get_name (item));
    case COLUMN_NOW_ON:
      if (location == NULL)
        return g_strdup (_("Unknown"));
      return g_strdup_printf (mw_evacuation_item_get_verified (item)
                              /* Translators: %s is a host; the hosts were asked after the run. */
                              ? _("%s (checked)") : _("%s (not checked)"),
                              mw_evacuation_host_title (self->connections, location));
    case COLUMN_OUTCOME:
      return g_strdup (outcome_of (item));
    case COLUMN_TIME:
      return mw_evacuation_format_ms (mw_evacuation_item_get_time_ms (item));
    case COLUMN_DOWNTIME:
      downtime_ms = mw_evacuation_item_get_downtime_ms (item);
      /* A pause is tens or hundreds of ms: in tenths of a second 32 ms read "0.0 s", no pause
       * at all, beside a note that says "paused for 32 ms". */
      if (downtime_ms >= 0 && downtime_ms < 10000)
        /* Translators: a guest's downtime in milliseconds. */
        return g_strdup_printf (_("%u ms"), (guint) downtime_ms);
      return mw_evacuation_format_ms (downtime_ms);
    case COLUMN_PING_GAP:
      gap_us = mw_evacuation_item_get_ping_gap_us (item);
      return mw_evacuation_format_ms (gap_us < 0 ? -1 : gap_us / 1000);
    case COLUMN_NOTE:
    default:
      return g_strdup (mw_evacuation_item_get_message (item) != NULL
                       ? mw_evacuation_item_get_message (item) : "");
    }
}

static void
on_setup_cell_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "mw-column"));

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (column >= COLUMN_TIME && column <= COLUMN_PING_GAP)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (list_item, label);
}

static void
on_bind_cell_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 MwEvacuationSummaryPage  *self)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "mw-column"));
  MwEvacuationItem *item = gtk_list_item_get_item (list_item);
  g_autofree char *text = mw_evacuation_summary_page_cell_text (self, item, column);
  GtkWidget *label = gtk_list_item_get_child (list_item);

  if (column == COLUMN_OUTCOME)
    mw_evacuation_state_style_label (GTK_LABEL (label), mw_evacuation_item_get_state (item), text,
                                     NULL);
  else
    gtk_label_set_label (GTK_LABEL (label), text);
  /* A note can be long: all of it on hover. */
  gtk_widget_set_tooltip_text (label, column == COLUMN_NOTE && *text != '\0' ? text : NULL);
}

static void
add_column (MwEvacuationSummaryPage *self,
            guint                    column,
            const char              *title,
            gboolean                 expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *view_column;

  g_object_set_data (G_OBJECT (factory), "mw-column", GUINT_TO_POINTER (column));
  g_signal_connect (factory, "setup", G_CALLBACK (on_setup_cell_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (on_bind_cell_cb), self);
  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_append_column (self->column_view, view_column);
  g_object_unref (view_column);
}

static void
update_outcome (MwEvacuationSummaryPage *self)
{
  MwEvacuation *evacuation = self->evacuation;
  g_autofree char *text =
    mw_evacuation_describe_outcome (mw_evacuation_plan_get_items (
                                      mw_evacuation_get_plan (evacuation)),
                                    mw_evacuation_get_stopped (evacuation),
                                    mw_evacuation_get_all_moved (evacuation),
                                    mw_evacuation_get_elapsed_ms (evacuation));

  gtk_label_set_label (self->outcome_label, text);
  gtk_image_set_from_icon_name (self->outcome_icon,
                                mw_evacuation_get_all_moved (evacuation)
                                && !mw_evacuation_get_stopped (evacuation)
                                ? "emblem-ok-symbolic" : "dialog-warning-symbolic");
  gtk_widget_set_visible (self->bring_back_button,
                          !mw_evacuation_plan_get_bring_back (mw_evacuation_get_plan (evacuation)));
}

/* The finished items reach the table: MwListReveal calls it once the last table's rows are
 * few. A new model, so every row is bound again from the finished items. */
static void
apply_items (gpointer user_data)
{
  MwEvacuationSummaryPage *self = user_data;

  gtk_filter_list_model_set_model (self->items, NULL);
  if (self->evacuation != NULL)
    gtk_filter_list_model_set_model (self->items, mw_evacuation_plan_get_items (
                                                    mw_evacuation_get_plan (self->evacuation)));
}

static void
mw_evacuation_summary_page_dispose (GObject *object)
{
  MwEvacuationSummaryPage *self = MW_EVACUATION_SUMMARY_PAGE (object);

  if (self->reveal != NULL)
    mw_list_reveal_stop (self->reveal);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_EVACUATION_SUMMARY_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->reveal);
  g_clear_object (&self->items);
  g_clear_object (&self->evacuation);
  G_OBJECT_CLASS (mw_evacuation_summary_page_parent_class)->dispose (object);
}

static void
mw_evacuation_summary_page_class_init (MwEvacuationSummaryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_evacuation_summary_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/com/example/MigWizard/evacuation/"
                                               "mw-evacuation-summary-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MwEvacuationSummaryPage, outcome_icon);
  gtk_widget_class_bind_template_child (widget_class, MwEvacuationSummaryPage, outcome_label);
  gtk_widget_class_bind_template_child (widget_class, MwEvacuationSummaryPage, bring_back_button);
  gtk_widget_class_bind_template_child (widget_class, MwEvacuationSummaryPage, column_view);
}

static void
mw_evacuation_summary_page_init (MwEvacuationSummaryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  add_column (self, COLUMN_GUEST, _("Guest"), FALSE);
  add_column (self, COLUMN_NOW_ON, _("Now On"), FALSE);
  add_column (self, COLUMN_OUTCOME, _("Outcome"), FALSE);
  add_column (self, COLUMN_TIME, _("Time"), FALSE);
  add_column (self, COLUMN_DOWNTIME, _("Downtime"), FALSE);
  add_column (self, COLUMN_PING_GAP, _("Ping Gap"), FALSE);
  add_column (self, COLUMN_NOTE, _("Note"), TRUE);
  self->items = gtk_filter_list_model_new (NULL, NULL);
  self->reveal = mw_list_reveal_new (G_LIST_MODEL (self->items), GTK_WIDGET (self->column_view),
                                     REVEAL_ROWS, apply_items, self);
  self->selection = gtk_no_selection_new (g_object_ref (mw_list_reveal_get_model (self->reveal)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
}

GtkWidget *
mw_evacuation_summary_page_new (MwConnectionList *connections)
{
  MwEvacuationSummaryPage *self = g_object_new (MW_TYPE_EVACUATION_SUMMARY_PAGE, NULL);

  self->connections = connections;
  return GTK_WIDGET (self);
}

void
mw_evacuation_summary_page_set_evacuation (MwEvacuationSummaryPage *self,
                                           MwEvacuation            *evacuation)
{
  g_return_if_fail (MW_IS_EVACUATION_SUMMARY_PAGE (self));
  g_return_if_fail (MW_IS_EVACUATION (evacuation));

  g_set_object (&self->evacuation, evacuation);
  mw_list_reveal_change (self->reveal);
  update_outcome (self);
}

void
mw_evacuation_summary_page_set_bring_back_blocked (MwEvacuationSummaryPage *self,
                                                   const char              *why)
{
  g_return_if_fail (MW_IS_EVACUATION_SUMMARY_PAGE (self));
  /* A disabled button still shows its tooltip: it says why instead of what it would do. */
  gtk_widget_set_tooltip_text (self->bring_back_button,
                               why != NULL ? why
                               : _("Plan moving every guest back to where it came from, and "
                                   "starting what was shut down"));
}

const char *
mw_evacuation_summary_page_get_outcome (MwEvacuationSummaryPage *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_SUMMARY_PAGE (self), NULL);
  return gtk_label_get_label (self->outcome_label);
}
