/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-evacuation-plan-page.c: the plan, grouped, with a decision for each guest. Main thread.
 *
 * The list is the plan's items through a filter (the chosen group) and a sort (by group, then
 * the plan's own order: the sort is stable). Neither watches the items, so a refresh, at most
 * every REFRESH_MS while the pre-flight answers, re-filters, re-sorts and recounts: 300 checks
 * answering cost a few list updates, not 300. Decisions live here (`decided`), not in the core:
 * the core gives every guest an action, but only the user can say a warning is acceptable.
 *
 * The list view shows the sorted list through an MwListReveal: a new plan's guests, the grouping
 * once the checks are over and a group's filter reach the screen a few rows a frame (GTK 4.8
 * would build up to 200 rows in one go, about 1 ms of the main thread each), REVEAL_ROWS at
 * first; a whole-list change waits until the last list's rows are dropped the same way. */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-evacuation-labels.h"
#include "mw-evacuation-plan-page.h"
#include "mw-evacuation-plan-row.h"
#include "mw-list-reveal.h"

#define REFRESH_MS 200
#define RESORT_MS 700
/* Rows shown at once: about those that fit in the window. */
#define REVEAL_ROWS 12

struct _MwEvacuationPlanPage
{
  AdwBin parent_instance;

  /* Template widgets */
  GtkSpinner *spinner;
  GtkLabel *status_label;
  GtkProgressBar *progress_bar;
  GtkToggleButton *all_toggle;
  GtkToggleButton *cannot_toggle;
  GtkToggleButton *needs_toggle;
  GtkToggleButton *ready_toggle;
  GtkWidget *decide_button;
  GtkListView *list_view;
  GtkLabel *undecided_label;

  /* Owned */
  MwEvacuationPlan *plan;
  GHashTable *decided;                /* MwEvacuationItem (ref) → itself */
  GtkCustomFilter *filter;
  GtkFilterListModel *filter_model;
  GtkCustomSorter *sorter;
  GtkSortListModel *sort_model;
  MwListReveal *reveal;               /* sort_model as the list view shows it */
  int needs_all;                      /* the action chosen for all that need a decision, or -1 */
  int cannot_all;                     /* the same for all that cannot move */
  GPtrArray *rows;                    /* MwEvacuationPlanRow, weak: every row the factory made */
  guint refresh_id;
  guint resort_id;

  /* Borrowed */
  MwConnectionList *connections;

  guint n_undecided;
  gboolean ready;
  gboolean sorted;                    /* by group: only once the plan is checked */
  gboolean filter_dirty;              /* a group's filter was chosen: refilter at the change */
  gboolean parked;                    /* the plan runs: its rows are let go, the plan stays */
};

G_DEFINE_FINAL_TYPE (MwEvacuationPlanPage, mw_evacuation_plan_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_READY,
  PROP_N_UNDECIDED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
needs_choice (MwEvacuationItem *item)
{
  MwEvacuationGroup group = mw_evacuation_item_get_group (item);

  return group == MW_EVACUATION_GROUP_NEEDS_DECISION || group == MW_EVACUATION_GROUP_CANNOT_MOVE;
}

/* Cannot move first: those need the user most; unchecked last. */
static int
group_rank (MwEvacuationGroup group)
{
  switch (group)
    {
    case MW_EVACUATION_GROUP_CANNOT_MOVE:
      return 0;
    case MW_EVACUATION_GROUP_NEEDS_DECISION:
      return 1;
    case MW_EVACUATION_GROUP_READY:
      return 2;
    case MW_EVACUATION_GROUP_UNCHECKED:
    default:
      return 3;
    }
}

static int
compare_groups (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  return group_rank (mw_evacuation_item_get_group ((MwEvacuationItem *) a))
         - group_rank (mw_evacuation_item_get_group ((MwEvacuationItem *) b));
}

static gboolean
filter_group (gpointer object,
              gpointer user_data)
{
  MwEvacuationPlanPage *self = user_data;
  MwEvacuationGroup group = mw_evacuation_item_get_group (object);

  if (gtk_toggle_button_get_active (self->cannot_toggle))
    return group == MW_EVACUATION_GROUP_CANNOT_MOVE;
  if (gtk_toggle_button_get_active (self->needs_toggle))
    return group == MW_EVACUATION_GROUP_NEEDS_DECISION;
  if (gtk_toggle_button_get_active (self->ready_toggle))
    return group == MW_EVACUATION_GROUP_READY;
  return TRUE;
}

static void
set_toggle_label (GtkToggleButton *toggle,
                  char            *label)
{
  gtk_button_set_label (GTK_BUTTON (toggle), label);
  g_free (label);
}

/* A guest classified after the user chose for all of its group follows that choice. */
static void
apply_all_choices (MwEvacuationPlanPage *self,
                   MwEvacuationItem     *item)
{
  MwEvacuationGroup group = mw_evacuation_item_get_group (item);
  int all = group == MW_EVACUATION_GROUP_NEEDS_DECISION ? self->needs_all
            : group == MW_EVACUATION_GROUP_CANNOT_MOVE ? self->cannot_all : -1;

  if (all < 0 || g_hash_table_contains (self->decided, item))
    return;
  /* A guest already shut off is neither shut down nor saved: it is left as it is (its row
   * offers no more; the summary would say "Shut down" and Bring Back would start it). */
  if (!mw_evacuation_item_get_was_running (item)
      && (all == MW_EVACUATION_ACTION_SHUT_DOWN || all == MW_EVACUATION_ACTION_MANAGED_SAVE))
    all = MW_EVACUATION_ACTION_LEAVE;
  mw_evacuation_item_set_action (item, all);
  g_hash_table_add (self->decided, g_object_ref (item));
}

static void
update_counts (MwEvacuationPlanPage *self)
{
  GListModel *items = mw_evacuation_plan_get_items (self->plan);
  guint n = g_list_model_get_n_items (items);
  guint n_checked = mw_evacuation_plan_get_n_checked (self->plan);
  MwEvacuationPlanState state = mw_evacuation_plan_get_state (self->plan);
  guint n_ready = mw_evacuation_plan_count_group (self->plan, MW_EVACUATION_GROUP_READY);
  guint n_needs = mw_evacuation_plan_count_group (self->plan, MW_EVACUATION_GROUP_NEEDS_DECISION);
  guint n_cannot = mw_evacuation_plan_count_group (self->plan, MW_EVACUATION_GROUP_CANNOT_MOVE);
  gboolean busy = state == MW_EVACUATION_PLAN_STATE_SURVEYING
                  || state == MW_EVACUATION_PLAN_STATE_CHECKING;
  guint n_undecided = 0;
  gboolean ready;
  g_autofree char *status = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MwEvacuationItem) item = g_list_model_get_item (items, i);

      apply_all_choices (self, item);
      if (needs_choice (item) && !g_hash_table_contains (self->decided, item))
        n_undecided++;
    }

  if (state == MW_EVACUATION_PLAN_STATE_SURVEYING)
    status = g_strdup (_("Asking the hosts for their guests and free memory…"));
  else if (state == MW_EVACUATION_PLAN_STATE_CHECKING)
    status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Checking %u of %u guest…",
                                           "Checking %u of %u guests…", n), n_checked, n);
  else if (state == MW_EVACUATION_PLAN_STATE_FAILED)
    /* Translators: %s is libvirt's or the system's message. */
    status = g_strdup_printf (_("The plan could not be made: %s"),
                              mw_evacuation_plan_get_error (self->plan)->message);
  else if (n == 0)
    status = g_strdup (_("The host has no guests: there is nothing to move."));
  else
    status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u guest checked: %u ready, %u need a decision, "
                                           "%u cannot move.",
                                           "%u guests checked: %u ready, %u need a decision, "
                                           "%u cannot move.", n_checked),
                              n_checked, n_ready, n_needs, n_cannot);
  gtk_label_set_label (self->status_label, status);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_progress_bar_set_fraction (self->progress_bar, n > 0 ? (double) n_checked / n : 0);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), busy);
  if (state == MW_EVACUATION_PLAN_STATE_FAILED)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");

  /* Translators: the filter buttons of the plan's list, with how many guests each shows. */
  set_toggle_label (self->cannot_toggle, g_strdup_printf (_("_Cannot move (%u)"), n_cannot));
  set_toggle_label (self->needs_toggle, g_strdup_printf (_("_Needs a decision (%u)"), n_needs));
  set_toggle_label (self->ready_toggle, g_strdup_printf (_("_Ready (%u)"), n_ready));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "plan.decide-needs", n_needs > 0 || busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "plan.decide-cannot", n_cannot > 0 || busy);
  gtk_widget_set_sensitive (self->decide_button, n_needs + n_cannot > 0 || busy);

  if (n_undecided > 0)
    {
      g_autofree char *text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%u guest still needs your decision before the start.",
                                      "%u guests still need your decision before the start.",
                                      n_undecided), n_undecided);

      gtk_label_set_label (self->undecided_label, text);
    }
  else
    gtk_label_set_label (self->undecided_label,
                         busy ? "" : _("Every guest has a decision."));
  gtk_widget_set_visible (GTK_WIDGET (self->undecided_label),
                          n_undecided > 0 || (!busy && n > 0));

  ready = state == MW_EVACUATION_PLAN_STATE_READY && n_undecided == 0 && n > 0;
  if (n_undecided != self->n_undecided)
    {
      self->n_undecided = n_undecided;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_UNDECIDED]);
    }
  if (ready != self->ready)
    {
      self->ready = ready;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
    }
}

/* Grouped once the checks are over: re-sorting while they answer would move the rows under
 * the user's eyes (and GtkListView keeps its anchor row in view, wherever it went). */
static void
refresh (MwEvacuationPlanPage *self)
{
  gboolean checked;

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->plan == NULL)
    return;
  checked = mw_evacuation_plan_get_state (self->plan) >= MW_EVACUATION_PLAN_STATE_READY;
  /* "All" shows every guest whatever its group: re-filtering would only rebind every row. */
  if (!gtk_toggle_button_get_active (self->all_toggle))
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  if (checked && !self->sorted)
    {
      self->sorted = TRUE;
      mw_list_reveal_change (self->reveal);
    }
  update_counts (self);
}

static gboolean
on_refresh_timeout_cb (gpointer user_data)
{
  MwEvacuationPlanPage *self = user_data;

  self->refresh_id = 0;
  refresh (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_refresh (MwEvacuationPlanPage *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add (REFRESH_MS, on_refresh_timeout_cb, self);
}

static void
on_plan_state_cb (MwEvacuationPlanPage *self)
{
  /* The end of the checks shows at once. */
  if (mw_evacuation_plan_get_state (self->plan) >= MW_EVACUATION_PLAN_STATE_READY)
    refresh (self);
  else
    schedule_refresh (self);
}

/* The whole list changes: the plan's items, grouped once checked, through the chosen filter.
 * MwListReveal calls it once the rows of the last list are few. */
static void
apply_list (gpointer user_data)
{
  MwEvacuationPlanPage *self = user_data;
  GListModel *items = self->plan != NULL && !self->parked
                      ? mw_evacuation_plan_get_items (self->plan) : NULL;

  if (gtk_filter_list_model_get_model (self->filter_model) != items)
    {
      /* Emptied first: the last plan's rows are not re-sorted on their way out. */
      gtk_filter_list_model_set_model (self->filter_model, NULL);
      gtk_sort_list_model_set_sorter (self->sort_model, NULL);
    }
  gtk_sort_list_model_set_sorter (self->sort_model,
                                  self->sorted ? GTK_SORTER (self->sorter) : NULL);
  if (self->filter_dirty)
    {
      self->filter_dirty = FALSE;
      gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
    }
  gtk_filter_list_model_set_model (self->filter_model, items);
  /* The first row at the top: the list would otherwise follow the row it showed first to
   * wherever the sort put it. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->sort_model)) > 0)
    gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", 0);
}

static void
on_filter_toggled_cb (MwEvacuationPlanPage *self)
{
  if (self->reveal == NULL)
    return;
  self->filter_dirty = TRUE;
  mw_list_reveal_change (self->reveal);
}

static gboolean
on_resort_timeout_cb (gpointer user_data)
{
  MwEvacuationPlanPage *self = user_data;

  self->resort_id = 0;
  mw_evacuation_plan_sort (self->plan);
  return G_SOURCE_REMOVE;
}

static void
on_row_priority_changed_cb (MwEvacuationPlanPage *self)
{
  /* Re-sorted once the user stops turning the spin button. */
  g_clear_handle_id (&self->resort_id, g_source_remove);
  self->resort_id = g_timeout_add (RESORT_MS, on_resort_timeout_cb, self);
}

static void
on_row_decided_cb (MwEvacuationPlanPage *self,
                   MwEvacuationItem     *item)
{
  g_hash_table_add (self->decided, g_object_ref (item));
  update_counts (self);
}

static void
on_row_gone_cb (gpointer  rows,
                GObject  *row)
{
  g_ptr_array_remove_fast (rows, row);
}

static void
on_setup_row_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 MwEvacuationPlanPage     *self)
{
  GtkWidget *row = mw_evacuation_plan_row_new (self->connections);

  g_signal_connect_object (row, "decided", G_CALLBACK (on_row_decided_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "priority-changed", G_CALLBACK (on_row_priority_changed_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_list_item_set_child (list_item, row);
  gtk_list_item_set_activatable (list_item, FALSE);
  g_ptr_array_add (self->rows, row);
  g_object_weak_ref (G_OBJECT (row), on_row_gone_cb, self->rows);
}

static void
on_bind_row_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                MwEvacuationPlanPage     *self)
{
  MwEvacuationItem *item = gtk_list_item_get_item (list_item);

  mw_evacuation_plan_row_bind (MW_EVACUATION_PLAN_ROW (gtk_list_item_get_child (list_item)),
                               item, self->decided,
                               mw_evacuation_plan_get_order (self->plan)
                               == MW_EVACUATION_ORDER_PRIORITY);
}

static void
on_unbind_row_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  MwEvacuationPlanPage     *self)
{
  mw_evacuation_plan_row_unbind (MW_EVACUATION_PLAN_ROW (gtk_list_item_get_child (list_item)));
}

static void
decide_all (MwEvacuationPlanPage *self,
            MwEvacuationGroup     group,
            MwEvacuationAction    action)
{
  GListModel *items = mw_evacuation_plan_get_items (self->plan);

  if (group == MW_EVACUATION_GROUP_CANNOT_MOVE)
    {
      self->cannot_all = action;
      mw_evacuation_plan_set_cannot_move_action (self->plan, action);
    }
  else
    self->needs_all = action;
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(MwEvacuationItem) item = g_list_model_get_item (items, i);

      if (mw_evacuation_item_get_group (item) != group)
        continue;
      /* "For all" overrides the choices made one by one. */
      g_hash_table_remove (self->decided, item);
      apply_all_choices (self, item);
    }
  /* The rows on screen show the choice (their item's action may not have changed). */
  for (guint i = 0; i < self->rows->len; i++)
    mw_evacuation_plan_row_refresh (g_ptr_array_index (self->rows, i));
  update_counts (self);
}

static void
decide_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  MwEvacuationPlanPage *self = MW_EVACUATION_PLAN_PAGE (widget);
  MwEvacuationAction action;

  if (self->plan == NULL
      || !mw_evacuation_action_from_nick (g_variant_get_string (parameter, NULL), &action))
    return;
  decide_all (self, g_str_equal (action_name, "plan.decide-needs")
                    ? MW_EVACUATION_GROUP_NEEDS_DECISION : MW_EVACUATION_GROUP_CANNOT_MOVE,
              action);
}

static void
mw_evacuation_plan_page_dispose (GObject *object)
{
  MwEvacuationPlanPage *self = MW_EVACUATION_PLAN_PAGE (object);

  mw_evacuation_plan_page_set_plan (self, NULL);
  if (self->reveal != NULL)
    mw_list_reveal_stop (self->reveal);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_handle_id (&self->resort_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_EVACUATION_PLAN_PAGE);
  for (guint i = 0; self->rows != NULL && i < self->rows->len; i++)
    g_object_weak_unref (g_ptr_array_index (self->rows, i),
                         on_row_gone_cb, self->rows);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_object (&self->reveal);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->filter);
  g_clear_object (&self->sorter);
  g_clear_pointer (&self->decided, g_hash_table_unref);
  G_OBJECT_CLASS (mw_evacuation_plan_page_parent_class)->dispose (object);
}

static void
mw_evacuation_plan_page_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  MwEvacuationPlanPage *self = MW_EVACUATION_PLAN_PAGE (object);

  switch (prop_id)
    {
    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;
    case PROP_N_UNDECIDED:
      g_value_set_uint (value, self->n_undecided);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_evacuation_plan_page_class_init (MwEvacuationPlanPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = mw_evacuation_plan_page_dispose;
  object_class->get_property = mw_evacuation_plan_page_get_property;

  properties[PROP_READY] = g_param_spec_boolean ("ready", NULL, NULL, FALSE, flags);
  properties[PROP_N_UNDECIDED] = g_param_spec_uint ("n-undecided", NULL, NULL, 0, G_MAXUINT, 0,
                                                    flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/com/example/MigWizard/evacuation/"
                                               "mw-evacuation-plan-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, MwEvacuationPlanPage, name)
  BIND (spinner);
  BIND (status_label);
  BIND (progress_bar);
  BIND (all_toggle);
  BIND (cannot_toggle);
  BIND (needs_toggle);
  BIND (ready_toggle);
  BIND (decide_button);
  BIND (list_view);
  BIND (undecided_label);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_filter_toggled_cb);
  gtk_widget_class_install_action (widget_class, "plan.decide-needs", "s", decide_all_action);
  gtk_widget_class_install_action (widget_class, "plan.decide-cannot", "s", decide_all_action);
}

static void
mw_evacuation_plan_page_init (MwEvacuationPlanPage *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->decided = g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref, NULL);
  self->rows = g_ptr_array_new ();
  self->needs_all = self->cannot_all = -1;
  self->filter = gtk_custom_filter_new (filter_group, self, NULL);
  self->sorter = gtk_custom_sorter_new (compare_groups, NULL, NULL);
  self->filter_model = gtk_filter_list_model_new (NULL, g_object_ref (GTK_FILTER (self->filter)));
  self->sort_model = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filter_model)),
                                              NULL);
  g_signal_connect (factory, "setup", G_CALLBACK (on_setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (on_bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_unbind_row_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  self->reveal = mw_list_reveal_new (G_LIST_MODEL (self->sort_model),
                                     GTK_WIDGET (self->list_view), REVEAL_ROWS,
                                     apply_list, self);
  gtk_list_view_set_model (self->list_view,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (
                             g_object_ref (mw_list_reveal_get_model (self->reveal)))));
}

GtkWidget *
mw_evacuation_plan_page_new (MwConnectionList *connections)
{
  MwEvacuationPlanPage *self = g_object_new (MW_TYPE_EVACUATION_PLAN_PAGE, NULL);

  self->connections = connections;
  return GTK_WIDGET (self);
}

MwEvacuationPlan *
mw_evacuation_plan_page_get_plan (MwEvacuationPlanPage *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_PLAN_PAGE (self), NULL);
  return self->plan;
}

void
mw_evacuation_plan_page_set_plan (MwEvacuationPlanPage *self,
                                  MwEvacuationPlan     *plan)
{
  g_return_if_fail (MW_IS_EVACUATION_PLAN_PAGE (self));
  g_return_if_fail (plan == NULL || MW_IS_EVACUATION_PLAN (plan));

  if (self->plan == plan)
    return;
  if (self->plan != NULL)
    g_signal_handlers_disconnect_by_data (self->plan, self);
  g_set_object (&self->plan, plan);
  if (self->decided != NULL)
    g_hash_table_remove_all (self->decided);
  self->needs_all = self->cannot_all = -1;
  if (self->reveal == NULL)
    return;
  self->sorted = FALSE;
  self->parked = FALSE;
  /* Shown whole: the "All" filter (its toggle asks for the change, too). */
  if (plan != NULL)
    gtk_toggle_button_set_active (self->all_toggle, TRUE);
  mw_list_reveal_change (self->reveal);
  if (plan == NULL)
    return;
  g_signal_connect_swapped (plan, "notify::state", G_CALLBACK (on_plan_state_cb), self);
  g_signal_connect_swapped (plan, "notify::n-checked", G_CALLBACK (schedule_refresh), self);
  refresh (self);
}

gboolean
mw_evacuation_plan_page_get_ready (MwEvacuationPlanPage *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_PLAN_PAGE (self), FALSE);
  return self->ready;
}

guint
mw_evacuation_plan_page_get_n_undecided (MwEvacuationPlanPage *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_PLAN_PAGE (self), 0);
  return self->n_undecided;
}

void
mw_evacuation_plan_page_decide (MwEvacuationPlanPage *self,
                                MwEvacuationItem     *item,
                                MwEvacuationAction    action)
{
  g_return_if_fail (MW_IS_EVACUATION_PLAN_PAGE (self));
  g_return_if_fail (MW_IS_EVACUATION_ITEM (item));

  mw_evacuation_item_set_action (item, action);
  on_row_decided_cb (self, item);
}

void
mw_evacuation_plan_page_park (MwEvacuationPlanPage *self)
{
  g_return_if_fail (MW_IS_EVACUATION_PLAN_PAGE (self));

  if (self->parked || self->reveal == NULL)
    return;
  self->parked = TRUE;
  mw_list_reveal_change (self->reveal);
}

gboolean
mw_evacuation_plan_page_get_settled (MwEvacuationPlanPage *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_PLAN_PAGE (self), FALSE);
  return self->reveal == NULL || mw_list_reveal_get_settled (self->reveal);
}

GListModel *
mw_evacuation_plan_page_get_shown (MwEvacuationPlanPage *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_PLAN_PAGE (self), NULL);
  return G_LIST_MODEL (self->sort_model);
}
