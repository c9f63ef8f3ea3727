/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The summary page's sentence counts what happened to each guest. The lab's evacuation (three
 * guests moved, labstore left where it was by the user's choice) was summed up as "all 4 guests
 * are where they were to go"; here the items are given their actions and end states by hand, the
 * summary page is shown with them, and its sentence must say 3 moved and 1 left by choice, and
 * count shut down, suspended, failed and not moved guests as such. */
#include "config.h"

#include "mw-evacuation.h"
#include "mw-evacuation-labels.h"
#include "mw-evacuation-summary-page.h"
#include "mw-test-ui.h"

#define A_URI "test:///a"
#define B_URI "test:///b"

static void
add (MwEvacuationPlan   *plan,
     const char         *name,
     MwEvacuationAction  action,
     MwEvacuationState   state)
{
  MwEvacuationItem *item = mw_evacuation_item_new (name, A_URI, 256 * 1024, TRUE);

  mw_evacuation_item_set_destination (item, B_URI);
  mw_evacuation_item_set_action (item, action);
  mw_evacuation_item_set_state (item, state);
  mw_evacuation_plan_add_item (plan, item);
  g_object_unref (item);
}

/* The lab's evacuation as the summary page shows it. */
static void
test_page (void)
{
  const char *const destinations[] = { B_URI, NULL };
  g_autoptr(MwEvacuationPlan) plan = mw_evacuation_plan_new (A_URI, destinations);
  g_autoptr(MwEvacuation) evacuation = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = mw_evacuation_summary_page_new (NULL);
  const char *outcome;

  add (plan, "labguest", MW_EVACUATION_ACTION_MIGRATE, MW_EVACUATION_STATE_DONE);
  add (plan, "labextra1", MW_EVACUATION_ACTION_MIGRATE, MW_EVACUATION_STATE_DONE);
  add (plan, "labextra2", MW_EVACUATION_ACTION_MIGRATE, MW_EVACUATION_STATE_DONE);
  add (plan, "labstore", MW_EVACUATION_ACTION_LEAVE, MW_EVACUATION_STATE_SKIPPED);
  evacuation = mw_evacuation_new (plan);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  mw_evacuation_summary_page_set_evacuation (MW_EVACUATION_SUMMARY_PAGE (page), evacuation);
  outcome = mw_evacuation_summary_page_get_outcome (MW_EVACUATION_SUMMARY_PAGE (page));
  g_test_message ("outcome: %s", outcome);
  g_assert_nonnull (strstr (outcome, ": 3 moved, 1 left where it was, as chosen."));
  g_assert_null (strstr (outcome, "4"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Every kind counted, in words, in each of the three sentences. */
static void
test_counts (void)
{
  const char *const destinations[] = { B_URI, NULL };
  g_autoptr(MwEvacuationPlan) plan = mw_evacuation_plan_new (A_URI, destinations);
  GListModel *items = mw_evacuation_plan_get_items (plan);
  g_autofree char *done = NULL;
  g_autofree char *finished = NULL;
  g_autofree char *stopped = NULL;

  add (plan, "m1", MW_EVACUATION_ACTION_MIGRATE, MW_EVACUATION_STATE_DONE);
  add (plan, "m2", MW_EVACUATION_ACTION_MIGRATE, MW_EVACUATION_STATE_DONE);
  add (plan, "s1", MW_EVACUATION_ACTION_SHUT_DOWN, MW_EVACUATION_STATE_DONE);
  add (plan, "z1", MW_EVACUATION_ACTION_MANAGED_SAVE, MW_EVACUATION_STATE_DONE);
  add (plan, "l1", MW_EVACUATION_ACTION_LEAVE, MW_EVACUATION_STATE_SKIPPED);
  add (plan, "l2", MW_EVACUATION_ACTION_LEAVE, MW_EVACUATION_STATE_SKIPPED);
  done = mw_evacuation_describe_outcome (items, FALSE, TRUE, 12300);
  g_assert_cmpstr (done, ==, "Done in 12.3 s: 2 moved, 1 shut down, 1 suspended to disk, "
                             "2 left where they were, as chosen.");

  add (plan, "f1", MW_EVACUATION_ACTION_MIGRATE, MW_EVACUATION_STATE_FAILED);
  add (plan, "f2", MW_EVACUATION_ACTION_SHUT_DOWN, MW_EVACUATION_STATE_FAILED);
  add (plan, "c1", MW_EVACUATION_ACTION_MIGRATE, MW_EVACUATION_STATE_SKIPPED);
  finished = mw_evacuation_describe_outcome (items, FALSE, FALSE, 65000);
  g_assert_cmpstr (finished, ==, "Finished in 1:05: 2 moved, 1 shut down, 1 suspended to disk, "
                                 "2 left where they were, as chosen, 2 failed, 1 not moved. "
                                 "See the table.");
  stopped = mw_evacuation_describe_outcome (items, TRUE, FALSE, 5000);
  g_assert_true (g_str_has_prefix (stopped, "Stopped after 5.0 s: 2 moved, "));
  g_assert_nonnull (strstr (stopped, ", 1 not moved. The guests not moved stay where they were."));
}

/* The table's figures as the report keeps them. Seen in the lab: labextra1 paused 32 ms (the
 * note: "The guest was paused for 32 ms (29 ms without the network)"), the Downtime cell read
 * "0.0 s", no pause at all. */
static void
test_cells (void)
{
  GtkWidget *page = g_object_ref_sink (mw_evacuation_summary_page_new (NULL));
  g_autoptr(MwEvacuationItem) item = mw_evacuation_item_new ("labextra1", A_URI, 128 * 1024,
                                                             TRUE);
  g_autofree char *time = NULL;
  g_autofree char *downtime = NULL;
  g_autofree char *gap = NULL;
  g_autofree char *long_downtime = NULL;
  g_autofree char *none = NULL;

  mw_evacuation_item_set_figures (item, 20800, 32, 113000);
  time = mw_evacuation_summary_page_cell_text (MW_EVACUATION_SUMMARY_PAGE (page), item, 3);
  downtime = mw_evacuation_summary_page_cell_text (MW_EVACUATION_SUMMARY_PAGE (page), item, 4);
  gap = mw_evacuation_summary_page_cell_text (MW_EVACUATION_SUMMARY_PAGE (page), item, 5);
  g_assert_cmpstr (time, ==, "20.8 s");
  g_assert_cmpstr (downtime, ==, "32 ms");
  g_assert_cmpstr (gap, ==, "0.1 s");
  mw_evacuation_item_set_figures (item, 80000, 12500, -1);
  long_downtime = mw_evacuation_summary_page_cell_text (MW_EVACUATION_SUMMARY_PAGE (page), item,
                                                        4);
  none = mw_evacuation_summary_page_cell_text (MW_EVACUATION_SUMMARY_PAGE (page), item, 5);
  g_assert_cmpstr (long_downtime, ==, "12.5 s");
  g_assert_cmpstr (none, ==, "—");
  g_object_unref (page);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/mw/evacuation-outcome/page", test_page);
  g_test_add_func ("/mw/evacuation-outcome/counts", test_counts);
  g_test_add_func ("/mw/evacuation-outcome/cells", test_cells);
  return g_test_run ();
}
