/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-evacuation-plan-row.c: a guest of the plan. Main thread.
 *
 * Bound rows follow their item's `group`, `reason`, `destination` and `action` (the pre-flight
 * answers while the list is shown); a choice in the drop-down sets the item's action and emits
 * `decided`, a new priority sets the item's and emits `priority-changed`.
 *
 * A plan shows hundreds of guests and GtkListView (GTK 4.8) keeps up to 200 rows alive, so a
 * row is kept cheap: a GtkDropDown (a button, a popover with its own list view and factory) and
 * a GtkSpinButton cost many widgets each. The row shows a button that looks like the drop-down
 * and makes the real one on its first click (then keeps it, as rows are recycled); the spin
 * button is made the first time the order is by priority. The choices are two string lists
 * shared by every row. */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-evacuation-labels.h"
#include "mw-evacuation-plan-row.h"

struct _MwEvacuationPlanRow
{
  GtkBox parent_instance;

  /* Template widgets */
  GtkImage *group_icon;
  GtkLabel *name_label;
  GtkLabel *group_label;
  GtkLabel *detail_label;
  GtkLabel *reason_label;
  GtkStack *decision_stack;
  GtkLabel *fixed_label;
  GtkButton *choose_button;
  GtkLabel *choose_label;

  /* Owned (children of the row, made on first need; NULL until then) */
  GtkSpinButton *priority_spin;
  GtkDropDown *decision_drop;         /* the "drop" page of decision_stack */

  /* Owned */
  MwEvacuationItem *item;

  /* Borrowed */
  MwConnectionList *connections;

  GHashTable *decided;                /* the page's: items the user chose for */
  gboolean updating;                  /* the drop-down or spin is set from the item */
};

G_DEFINE_FINAL_TYPE (MwEvacuationPlanRow, mw_evacuation_plan_row, GTK_TYPE_BOX)

enum {
  SIGNAL_DECIDED,
  SIGNAL_PRIORITY_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Shared by every row, made once with the class: "Choose…", then the actions of their list
 * below. */
static GtkStringList *needs_choices;
static GtkStringList *cannot_choices;
static GtkStringList *needs_off_choices;
static GtkStringList *cannot_off_choices;

/* What each drop-down offers after "Choose…": a guest that needs a decision may still be
 * migrated (the checks only warned); one that cannot move may not. A guest that is shut off
 * can be neither shut down nor saved: it stays as it is, or its definition moves. */
static const MwEvacuationAction needs_actions[] = {
  MW_EVACUATION_ACTION_MIGRATE, MW_EVACUATION_ACTION_SHUT_DOWN,
  MW_EVACUATION_ACTION_MANAGED_SAVE, MW_EVACUATION_ACTION_LEAVE,
};
static const MwEvacuationAction cannot_actions[] = {
  MW_EVACUATION_ACTION_SHUT_DOWN, MW_EVACUATION_ACTION_MANAGED_SAVE, MW_EVACUATION_ACTION_LEAVE,
};
static const MwEvacuationAction needs_off_actions[] = {
  MW_EVACUATION_ACTION_MIGRATE, MW_EVACUATION_ACTION_LEAVE,
};
static const MwEvacuationAction cannot_off_actions[] = {
  MW_EVACUATION_ACTION_LEAVE,
};

static const MwEvacuationAction *
choices_of (MwEvacuationItem *item,
            guint            *n)
{
  gboolean off = !mw_evacuation_item_get_was_running (item);

  if (mw_evacuation_item_get_group (item) == MW_EVACUATION_GROUP_NEEDS_DECISION)
    {
      *n = off ? G_N_ELEMENTS (needs_off_actions) : G_N_ELEMENTS (needs_actions);
      return off ? needs_off_actions : needs_actions;
    }
  *n = off ? G_N_ELEMENTS (cannot_off_actions) : G_N_ELEMENTS (cannot_actions);
  return off ? cannot_off_actions : cannot_actions;
}

static GtkStringList *
choices_model (MwEvacuationItem *item)
{
  gboolean off = !mw_evacuation_item_get_was_running (item);

  if (mw_evacuation_item_get_group (item) == MW_EVACUATION_GROUP_NEEDS_DECISION)
    return off ? needs_off_choices : needs_choices;
  return off ? cannot_off_choices : cannot_choices;
}

/* The position in choices_model () to show: the item's action once the user chose, else 0
 * ("Choose…"). */
static guint
selected_choice (MwEvacuationItem *item,
                 GHashTable       *decided)
{
  guint n;
  const MwEvacuationAction *actions = choices_of (item, &n);

  if (decided == NULL || !g_hash_table_contains (decided, item))
    return 0;
  for (guint i = 0; i < n; i++)
    if (actions[i] == mw_evacuation_item_get_action (item))
      return i + 1;
  return 0;
}

static void
update (MwEvacuationPlanRow *self)
{
  MwEvacuationItem *item = self->item;
  MwEvacuationGroup group = mw_evacuation_item_get_group (item);
  const char *reason = mw_evacuation_item_get_reason (item);
  const char *destination = mw_evacuation_item_get_destination (item);
  g_autofree char *describe = mw_evacuation_item_describe (item);
  g_autofree char *detail = NULL;
  g_autofree char *a11y = NULL;
  g_autofree char *one_line = NULL;

  gtk_image_set_from_icon_name (self->group_icon, mw_evacuation_group_icon (group));
  gtk_label_set_label (self->name_label, mw_evacuation_item_get_name (item));
  gtk_label_set_label (self->group_label, mw_evacuation_group_title (group));
  gtk_widget_set_css_classes (GTK_WIDGET (self->group_label),
                              (const char *[]) {
                                "caption",
                                group == MW_EVACUATION_GROUP_READY ? "success"
                                : group == MW_EVACUATION_GROUP_NEEDS_DECISION ? "warning"
                                : group == MW_EVACUATION_GROUP_CANNOT_MOVE ? "error"
                                : "dim-label",
                                NULL });
  /* The arrow only for a guest that goes there: one left, shut down or saved stays where it
   * is, whatever host the placement had in mind for it. */
  if (destination != NULL && mw_evacuation_item_get_action (item) == MW_EVACUATION_ACTION_MIGRATE)
    /* Translators: "4.0 GiB · running → hostb". */
    detail = g_strdup_printf (_("%s → %s"), describe,
                              mw_evacuation_host_title (self->connections, destination));
  gtk_label_set_label (self->detail_label, detail != NULL ? detail : describe);
  /* One line per row, so 300 rows stay short: the checks' sentences side by side, all of them
   * in the tooltip and the accessible description. */
  one_line = g_strdup (reason != NULL ? reason : "");
  g_strdelimit (one_line, "\n", ' ');
  gtk_label_set_label (self->reason_label, one_line);
  gtk_widget_set_visible (GTK_WIDGET (self->reason_label), reason != NULL);
  /* A tooltip is parsed as markup each time it is set: only when it changes. */
  if (g_strcmp0 (gtk_widget_get_tooltip_text (GTK_WIDGET (self->reason_label)), reason) != 0)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->reason_label), reason);

  self->updating = TRUE;
  if (group == MW_EVACUATION_GROUP_NEEDS_DECISION || group == MW_EVACUATION_GROUP_CANNOT_MOVE)
    {
      GtkStringList *choices = choices_model (item);
      guint selected = selected_choice (item, self->decided);

      if (self->decision_drop != NULL)
        {
          gtk_drop_down_set_model (self->decision_drop, G_LIST_MODEL (choices));
          gtk_drop_down_set_selected (self->decision_drop, selected);
        }
      else
        gtk_label_set_label (self->choose_label, gtk_string_list_get_string (choices, selected));
      gtk_stack_set_visible_child_name (self->decision_stack,
                                        self->decision_drop != NULL ? "drop" : "choose");
    }
  else
    {
      gtk_label_set_label (self->fixed_label,
                           group == MW_EVACUATION_GROUP_UNCHECKED
                           && mw_evacuation_item_get_action (item) != MW_EVACUATION_ACTION_LEAVE
                           ? _("Checking…")
                           : mw_evacuation_action_title (mw_evacuation_item_get_action (item)));
      gtk_stack_set_visible_child_name (self->decision_stack, "fixed");
    }
  if (self->priority_spin != NULL)
    gtk_spin_button_set_value (self->priority_spin, mw_evacuation_item_get_priority (item));
  self->updating = FALSE;

  /* Translators: a row of the plan for screen readers: guest name, then its group. */
  a11y = g_strdup_printf (_("%s: %s"), mw_evacuation_item_get_name (item),
                          mw_evacuation_group_title (group));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, reason != NULL ? reason : "",
                                  -1);
  g_free (a11y);
  /* Translators: %s is a guest's name. */
  a11y = g_strdup_printf (_("What to do with %s"), mw_evacuation_item_get_name (item));
  gtk_accessible_update_property (self->decision_drop != NULL
                                  ? GTK_ACCESSIBLE (self->decision_drop)
                                  : GTK_ACCESSIBLE (self->choose_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
}

static void
on_decision_selected_cb (MwEvacuationPlanRow *self)
{
  guint selected = gtk_drop_down_get_selected (self->decision_drop);
  const MwEvacuationAction *actions;
  guint n;

  /* GTK 4.8's drop-down notifies `selected` twice for one change: the second finds the
   * choice made. */
  if (self->updating || self->item == NULL || selected == 0
      || selected == GTK_INVALID_LIST_POSITION
      || selected == selected_choice (self->item, self->decided))
    return;
  actions = choices_of (self->item, &n);
  if (selected > n)
    return;
  mw_evacuation_plan_row_choose (self, actions[selected - 1]);
}

static void
on_priority_changed_cb (MwEvacuationPlanRow *self)
{
  if (self->updating || self->item == NULL)
    return;
  mw_evacuation_item_set_priority (self->item,
                                   gtk_spin_button_get_value_as_int (self->priority_spin));
  g_signal_emit (self, signals[SIGNAL_PRIORITY_CHANGED], 0, self->item);
}

/* The first click on the stand-in: the real drop-down takes its place for good, and opens. */
static void
on_choose_clicked_cb (MwEvacuationPlanRow *self)
{
  if (self->decision_drop == NULL)
    {
      self->decision_drop = GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL));
      g_signal_connect_swapped (self->decision_drop, "notify::selected",
                                G_CALLBACK (on_decision_selected_cb), self);
      gtk_stack_add_named (self->decision_stack, GTK_WIDGET (self->decision_drop), "drop");
    }
  if (self->item != NULL)
    update (self);
  /* Opens it as a keyboard activation does: after the button's pressed look. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self->decision_drop)))
    g_signal_emit_by_name (self->decision_drop, "activate");
}

static void
ensure_priority_spin (MwEvacuationPlanRow *self)
{
  if (self->priority_spin != NULL)
    return;
  self->priority_spin = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (-100, 100, 1));
  gtk_spin_button_set_increments (self->priority_spin, 1, 10);
  gtk_spin_button_set_numeric (self->priority_spin, TRUE);
  gtk_widget_set_valign (GTK_WIDGET (self->priority_spin), GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->priority_spin),
                               _("Priority: higher goes first"));
  g_signal_connect_swapped (self->priority_spin, "value-changed",
                            G_CALLBACK (on_priority_changed_cb), self);
  gtk_widget_insert_before (GTK_WIDGET (self->priority_spin), GTK_WIDGET (self),
                            GTK_WIDGET (self->decision_stack));
}

static GtkStringList *
choices_new (const MwEvacuationAction *actions,
             guint                     n)
{
  GtkStringList *list = gtk_string_list_new ((const char *[]) { _("Choose…"), NULL });

  for (guint i = 0; i < n; i++)
    gtk_string_list_append (list, actions[i] == MW_EVACUATION_ACTION_MIGRATE
                                  ? _("Migrate anyway") : mw_evacuation_action_title (actions[i]));
  return list;
}

static void
mw_evacuation_plan_row_dispose (GObject *object)
{
  MwEvacuationPlanRow *self = MW_EVACUATION_PLAN_ROW (object);

  mw_evacuation_plan_row_unbind (self);
  /* The drop-down went with the stack's pages; the spin button is a child of the row. */
  self->decision_drop = NULL;
  if (self->priority_spin != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->priority_spin));
      self->priority_spin = NULL;
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_EVACUATION_PLAN_ROW);
  G_OBJECT_CLASS (mw_evacuation_plan_row_parent_class)->dispose (object);
}

static void
mw_evacuation_plan_row_class_init (MwEvacuationPlanRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_evacuation_plan_row_dispose;

  /* (MwEvacuationItem *item): the user chose the item's action. */
  signals[SIGNAL_DECIDED] =
    g_signal_new ("decided", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, MW_TYPE_EVACUATION_ITEM);
  /* (MwEvacuationItem *item): the user set the item's priority. */
  signals[SIGNAL_PRIORITY_CHANGED] =
    g_signal_new ("priority-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, MW_TYPE_EVACUATION_ITEM);

  gtk_widget_class_set_template_from_resource (widget_class, "/com/example/MigWizard/evacuation/"
                                               "mw-evacuation-plan-row.ui");
  gtk_widget_class_bind_template_child (widget_class, MwEvacuationPlanRow, group_icon);
  gtk_widget_class_bind_template_child (widget_class, MwEvacuationPlanRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, MwEvacuationPlanRow, group_label);
  gtk_widget_class_bind_template_child (widget_class, MwEvacuationPlanRow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, MwEvacuationPlanRow, reason_label);
  gtk_widget_class_bind_template_child (widget_class, MwEvacuationPlanRow, decision_stack);
  gtk_widget_class_bind_template_child (widget_class, MwEvacuationPlanRow, fixed_label);
  gtk_widget_class_bind_template_child (widget_class, MwEvacuationPlanRow, choose_button);
  gtk_widget_class_bind_template_child (widget_class, MwEvacuationPlanRow, choose_label);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_clicked_cb);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  needs_choices = choices_new (needs_actions, G_N_ELEMENTS (needs_actions));
  cannot_choices = choices_new (cannot_actions, G_N_ELEMENTS (cannot_actions));
  needs_off_choices = choices_new (needs_off_actions, G_N_ELEMENTS (needs_off_actions));
  cannot_off_choices = choices_new (cannot_off_actions, G_N_ELEMENTS (cannot_off_actions));
}

static void
mw_evacuation_plan_row_init (MwEvacuationPlanRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
mw_evacuation_plan_row_new (MwConnectionList *connections)
{
  MwEvacuationPlanRow *self = g_object_new (MW_TYPE_EVACUATION_PLAN_ROW, NULL);

  self->connections = connections;
  return GTK_WIDGET (self);
}

void
mw_evacuation_plan_row_bind (MwEvacuationPlanRow *self,
                             MwEvacuationItem    *item,
                             GHashTable          *decided,
                             gboolean             show_priority)
{
  g_return_if_fail (MW_IS_EVACUATION_PLAN_ROW (self));
  g_return_if_fail (MW_IS_EVACUATION_ITEM (item));

  mw_evacuation_plan_row_unbind (self);
  self->item = g_object_ref (item);
  self->decided = decided;
  if (show_priority)
    ensure_priority_spin (self);
  if (self->priority_spin != NULL)
    gtk_widget_set_visible (GTK_WIDGET (self->priority_spin), show_priority);
  g_signal_connect_swapped (item, "notify::group", G_CALLBACK (update), self);
  g_signal_connect_swapped (item, "notify::action", G_CALLBACK (update), self);
  g_signal_connect_swapped (item, "notify::destination", G_CALLBACK (update), self);
  update (self);
}

void
mw_evacuation_plan_row_unbind (MwEvacuationPlanRow *self)
{
  g_return_if_fail (MW_IS_EVACUATION_PLAN_ROW (self));

  if (self->item == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->item, self);
  g_clear_object (&self->item);
}

void
mw_evacuation_plan_row_refresh (MwEvacuationPlanRow *self)
{
  g_return_if_fail (MW_IS_EVACUATION_PLAN_ROW (self));

  if (self->item != NULL)
    update (self);
}

MwEvacuationItem *
mw_evacuation_plan_row_get_item (MwEvacuationPlanRow *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_PLAN_ROW (self), NULL);
  return self->item;
}

void
mw_evacuation_plan_row_choose (MwEvacuationPlanRow *self,
                               MwEvacuationAction   action)
{
  g_return_if_fail (MW_IS_EVACUATION_PLAN_ROW (self));
  g_return_if_fail (self->item != NULL);

  g_object_ref (self);
  mw_evacuation_item_set_action (self->item, action);
  g_signal_emit (self, signals[SIGNAL_DECIDED], 0, self->item);
  /* The action may not have changed (Leave it, already left): show the choice anyway. */
  if (self->item != NULL)
    update (self);
  g_object_unref (self);
}
