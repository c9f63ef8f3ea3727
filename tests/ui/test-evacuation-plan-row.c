/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A row of the evacuation plan, alone in a window: what it costs and that the choice still works.
 *
 * The plan's list keeps up to 200 rows alive, so a row makes its drop-down only when the user
 * clicks the button standing in for it, its priority spin button only when the order is by
 * priority, and shares its two choice lists with every other row. Checked here: no drop-down
 * and no spin button until needed, one model for all rows, the first click opens the real
 * drop-down and a choice in it decides the guest, a decided guest shows its choice on the
 * stand-in, the spin button sets the priority. */
#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "mw-evacuation-labels.h"
#include "mw-evacuation-plan-row.h"
#include "mw-test-ui.h"

typedef struct
{
  GtkWindow *window;
  GtkBox *box;
  GHashTable *decided;
  GPtrArray *items;
  guint n_decided;
  guint n_priority;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->window = GTK_WINDOW (gtk_window_new ());
  fixture->box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 0));
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->box));
  gtk_window_set_default_size (fixture->window, 700, 300);
  gtk_window_present (fixture->window);
  fixture->decided = g_hash_table_new (g_direct_hash, g_direct_equal);
  fixture->items = g_ptr_array_new_with_free_func (g_object_unref);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  g_hash_table_unref (fixture->decided);
  g_ptr_array_unref (fixture->items);
}

static MwEvacuationItem *
item_new (Fixture           *fixture,
          const char        *name,
          MwEvacuationGroup  group)
{
  MwEvacuationItem *item = mw_evacuation_item_new (name, "test:///default", 1024 * 1024, TRUE);

  mw_evacuation_item_set_group (item, group,
                                group == MW_EVACUATION_GROUP_READY ? NULL : "A check warned.");
  g_ptr_array_add (fixture->items, item);
  return item;
}

static void
on_decided_cb (MwEvacuationPlanRow *row,
               MwEvacuationItem    *item,
               Fixture             *fixture)
{
  g_hash_table_add (fixture->decided, item);
  fixture->n_decided++;
}

static void
on_priority_changed_cb (MwEvacuationPlanRow *row,
                        MwEvacuationItem    *item,
                        Fixture             *fixture)
{
  fixture->n_priority++;
}

static MwEvacuationPlanRow *
row_new (Fixture          *fixture,
         MwEvacuationItem *item,
         gboolean          show_priority)
{
  GtkWidget *row = mw_evacuation_plan_row_new (NULL);

  g_signal_connect (row, "decided", G_CALLBACK (on_decided_cb), fixture);
  g_signal_connect (row, "priority-changed", G_CALLBACK (on_priority_changed_cb), fixture);
  gtk_box_append (fixture->box, row);
  mw_evacuation_plan_row_bind (MW_EVACUATION_PLAN_ROW (row), item, fixture->decided,
                               show_priority);
  mw_test_wait_frames (row, 2);
  return MW_EVACUATION_PLAN_ROW (row);
}

static GtkWidget *
find (MwEvacuationPlanRow *row,
      GType                type)
{
  return mw_test_find_widget (GTK_WIDGET (row), type, NULL, NULL);
}

static gboolean
is_shown_button (GtkWidget *widget,
                   gpointer   data)
{
  return G_TYPE_FROM_INSTANCE (widget) == GTK_TYPE_BUTTON && gtk_widget_get_mapped (widget);
}

static GtkWidget *
stand_in (MwEvacuationPlanRow *row)
{
  GtkWidget *button = mw_test_find_widget (GTK_WIDGET (row), GTK_TYPE_BUTTON, is_shown_button,
                                           NULL);

  g_assert_nonnull (button);
  return button;
}

static gboolean
is_label_with (GtkWidget *widget,
               gpointer   text)
{
  return g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0;
}

/* As a pointer's click does (gtk_widget_activate would emit it only after a timeout). */
static void
click (GtkWidget *button)
{
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
popover_shown (gpointer popover)
{
  return gtk_widget_get_mapped (popover);
}

/* Counted for the report: what a bound row holds. */
static guint
count_widgets (GtkWidget *widget)
{
  guint n = 1;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_widgets (child);
  return n;
}

static void
test_lazy (Fixture       *fixture,
           gconstpointer  data)
{
  MwEvacuationPlanRow *ready = row_new (fixture, item_new (fixture, "ready",
                                                           MW_EVACUATION_GROUP_READY), FALSE);
  MwEvacuationPlanRow *needs = row_new (fixture, item_new (fixture, "needs",
                                                           MW_EVACUATION_GROUP_NEEDS_DECISION),
                                        FALSE);

  g_test_message ("widgets in a row: ready %u, needs a decision %u",
                  count_widgets (GTK_WIDGET (ready)), count_widgets (GTK_WIDGET (needs)));
  g_assert_null (find (ready, GTK_TYPE_DROP_DOWN));
  g_assert_null (find (ready, GTK_TYPE_SPIN_BUTTON));
  g_assert_null (find (needs, GTK_TYPE_DROP_DOWN));
  g_assert_null (find (needs, GTK_TYPE_SPIN_BUTTON));
  /* The stand-in says what the drop-down would: nothing chosen yet. */
  g_assert_nonnull (mw_test_find_widget (stand_in (needs), GTK_TYPE_LABEL, is_label_with,
                                         (gpointer) _("Choose…")));
}

static void
test_choose (Fixture       *fixture,
             gconstpointer  data)
{
  MwEvacuationItem *item = item_new (fixture, "needs", MW_EVACUATION_GROUP_NEEDS_DECISION);
  MwEvacuationItem *other = item_new (fixture, "cannot", MW_EVACUATION_GROUP_CANNOT_MOVE);
  MwEvacuationPlanRow *row = row_new (fixture, item, FALSE);
  MwEvacuationPlanRow *row2 = row_new (fixture, other, FALSE);
  MwEvacuationPlanRow *row3;
  GtkDropDown *drop;
  GtkDropDown *drop2;
  GListModel *model;

  /* The first click makes the drop-down, shows it in the stand-in's place and opens it. */
  click (stand_in (row));
  drop = GTK_DROP_DOWN (find (row, GTK_TYPE_DROP_DOWN));
  g_assert_nonnull (drop);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (drop)));
  g_assert_null (mw_test_find_widget (GTK_WIDGET (row), GTK_TYPE_BUTTON, is_shown_button,
                                      NULL));
  /* It opens as a keyboard activation does: after the button's pressed look (250 ms). */
  g_assert_nonnull (find (row, GTK_TYPE_POPOVER));
  g_assert_true (mw_test_wait_until (popover_shown, find (row, GTK_TYPE_POPOVER), 5000));
  model = gtk_drop_down_get_model (drop);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 5);
  g_assert_cmpuint (gtk_drop_down_get_selected (drop), ==, 0);
  gtk_popover_popdown (GTK_POPOVER (find (row, GTK_TYPE_POPOVER)));

  /* Every row offers the same list for a group: one model, not one per row. */
  click (stand_in (row2));
  drop2 = GTK_DROP_DOWN (find (row2, GTK_TYPE_DROP_DOWN));
  gtk_popover_popdown (GTK_POPOVER (find (row2, GTK_TYPE_POPOVER)));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (drop2)), ==, 4);
  mw_evacuation_plan_row_bind (row2, item, fixture->decided, FALSE);
  g_assert_true (gtk_drop_down_get_model (drop2) == model);

  /* A choice in the drop-down decides the guest, once: position 2 is the second action, shut
   * down. */
  gtk_drop_down_set_selected (drop, 2);
  g_assert_cmpuint (fixture->n_decided, ==, 1);
  g_assert_cmpint (mw_evacuation_item_get_action (item), ==, MW_EVACUATION_ACTION_SHUT_DOWN);
  g_assert_cmpuint (gtk_drop_down_get_selected (drop2), ==, 0);
  mw_evacuation_plan_row_refresh (row2);
  g_assert_cmpuint (gtk_drop_down_get_selected (drop2), ==, 2);

  /* A fresh row bound to the decided guest shows the choice on its stand-in. */
  row3 = row_new (fixture, item, FALSE);
  g_assert_null (find (row3, GTK_TYPE_DROP_DOWN));
  g_assert_nonnull (mw_test_find_widget (stand_in (row3), GTK_TYPE_LABEL, is_label_with,
                                         (gpointer) mw_evacuation_action_title (
                                           MW_EVACUATION_ACTION_SHUT_DOWN)));
}

static void
test_priority (Fixture       *fixture,
               gconstpointer  data)
{
  MwEvacuationItem *item = item_new (fixture, "ready", MW_EVACUATION_GROUP_READY);
  MwEvacuationPlanRow *row = row_new (fixture, item, FALSE);
  GtkSpinButton *spin;

  g_assert_null (find (row, GTK_TYPE_SPIN_BUTTON));
  mw_evacuation_item_set_priority (item, 7);
  mw_evacuation_plan_row_bind (row, item, fixture->decided, TRUE);
  spin = GTK_SPIN_BUTTON (find (row, GTK_TYPE_SPIN_BUTTON));
  g_assert_nonnull (spin);
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (spin)));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, 7);
  g_assert_cmpuint (fixture->n_priority, ==, 0);
  gtk_spin_button_set_value (spin, 12);
  g_assert_cmpint (mw_evacuation_item_get_priority (item), ==, 12);
  g_assert_cmpuint (fixture->n_priority, ==, 1);
  /* Back to another order: kept, hidden. */
  mw_evacuation_plan_row_bind (row, item, fixture->decided, FALSE);
  g_assert_false (gtk_widget_is_visible (GTK_WIDGET (spin)));
}

static gboolean
is_detail_label (GtkWidget *widget,
                 gpointer   data)
{
  return g_str_has_prefix (gtk_label_get_label (GTK_LABEL (widget)), data);
}

/* The row's memory line, its text after "1.0 GiB · running" (the size as GLib writes it). */
static const char *
detail_of (MwEvacuationPlanRow *row)
{
  g_autofree char *size = g_format_size_full (G_GUINT64_CONSTANT (1) << 30,
                                              G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *start = g_strdup_printf ("%s · running", size);
  GtkWidget *label = mw_test_find_widget (GTK_WIDGET (row), GTK_TYPE_LABEL, is_detail_label,
                                          start);

  g_assert_nonnull (label);
  return gtk_label_get_label (GTK_LABEL (label)) + strlen (start);
}

/* "→ host" only while the guest is to go there: a guest left where it is (what a guest that
 * cannot move gets by default), shut down or saved does not go to the host the placement chose
 * (seen in the lab: labstore "128.0 MiB · running → QEMU/KVM: hostb", Cannot move, Leave it,
 * and after the run it was on hosta, as virsh said). */
static void
test_destination (Fixture       *fixture,
                  gconstpointer  data)
{
  MwEvacuationItem *stays = item_new (fixture, "stays", MW_EVACUATION_GROUP_CANNOT_MOVE);
  MwEvacuationItem *goes = item_new (fixture, "goes", MW_EVACUATION_GROUP_NEEDS_DECISION);
  MwEvacuationPlanRow *stays_row, *goes_row;

  mw_evacuation_item_set_destination (stays, "test:///elsewhere");
  mw_evacuation_item_set_action (stays, MW_EVACUATION_ACTION_LEAVE);
  mw_evacuation_item_set_destination (goes, "test:///elsewhere");
  mw_evacuation_item_set_action (goes, MW_EVACUATION_ACTION_MIGRATE);
  stays_row = row_new (fixture, stays, FALSE);
  goes_row = row_new (fixture, goes, FALSE);
  g_assert_cmpstr (detail_of (stays_row), ==, "");
  g_assert_cmpstr (detail_of (goes_row), ==, " → test:///elsewhere");
  /* Decided otherwise: it stays, and the row says no more that it goes. */
  mw_evacuation_item_set_action (goes, MW_EVACUATION_ACTION_SHUT_DOWN);
  g_assert_cmpstr (detail_of (goes_row), ==, "");
  mw_evacuation_item_set_action (goes, MW_EVACUATION_ACTION_MIGRATE);
  g_assert_cmpstr (detail_of (goes_row), ==, " → test:///elsewhere");
}

/* A guest that is shut off can be neither shut down nor saved: its drop-down offers to move
 * its definition or leave it (needs a decision), or only to leave it (cannot move). Before, it
 * offered "Shut down": the summary then said "Shut down" of a guest the evacuation never
 * touched, and Bring Back… started it. */
static void
test_shut_off (Fixture       *fixture,
               gconstpointer  data)
{
  MwEvacuationItem *needs = mw_evacuation_item_new ("off-needs", "test:///default", 1024, FALSE);
  MwEvacuationItem *cannot = mw_evacuation_item_new ("off-cannot", "test:///default", 1024, FALSE);
  MwEvacuationPlanRow *row, *row2;
  GtkDropDown *drop;
  GListModel *model;

  g_ptr_array_add (fixture->items, needs);
  g_ptr_array_add (fixture->items, cannot);
  mw_evacuation_item_set_group (needs, MW_EVACUATION_GROUP_NEEDS_DECISION, "A check warned.");
  mw_evacuation_item_set_group (cannot, MW_EVACUATION_GROUP_CANNOT_MOVE, "A check refused.");
  row = row_new (fixture, needs, FALSE);
  row2 = row_new (fixture, cannot, FALSE);

  click (stand_in (row));
  drop = GTK_DROP_DOWN (find (row, GTK_TYPE_DROP_DOWN));
  gtk_popover_popdown (GTK_POPOVER (find (row, GTK_TYPE_POPOVER)));
  model = gtk_drop_down_get_model (drop);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (model), 1), ==, "Migrate anyway");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (model), 2), ==, "Leave it");
  gtk_drop_down_set_selected (drop, 2);
  g_assert_cmpint (mw_evacuation_item_get_action (needs), ==, MW_EVACUATION_ACTION_LEAVE);

  click (stand_in (row2));
  drop = GTK_DROP_DOWN (find (row2, GTK_TYPE_DROP_DOWN));
  gtk_popover_popdown (GTK_POPOVER (find (row2, GTK_TYPE_POPOVER)));
  model = gtk_drop_down_get_model (drop);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (model), 1), ==, "Leave it");
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/mw/evacuation-plan-row/lazy", Fixture, NULL, fixture_set_up, test_lazy,
              fixture_tear_down);
  g_test_add ("/mw/evacuation-plan-row/choose", Fixture, NULL, fixture_set_up, test_choose,
              fixture_tear_down);
  g_test_add ("/mw/evacuation-plan-row/destination", Fixture, NULL, fixture_set_up,
              test_destination, fixture_tear_down);
  g_test_add ("/mw/evacuation-plan-row/shut-off", Fixture, NULL, fixture_set_up, test_shut_off,
              fixture_tear_down);
  g_test_add ("/mw/evacuation-plan-row/priority", Fixture, NULL, fixture_set_up, test_priority,
              fixture_tear_down);
  return g_test_run ();
}
