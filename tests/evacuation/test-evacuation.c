/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-evacuation.c: planning the evacuation of a host. The order and the spread over several
 * destinations, then the plan against libvirt's test driver (the demo nodes, node files written
 * here, test:///default). The run of a plan is in test-evacuation-run.c. */

#include "config.h"

#include <glib/gstdio.h>

#include "evacuation-fixture.h"
#include "mw-libvirt.h"
#include "mw-test-core.h"

/* ---- order and placement ------------------------------------------------------------------- */

static gpointer
copy_ref (gconstpointer object,
          gpointer      user_data)
{
  return g_object_ref ((gpointer) object);
}

static int
compare_pointers (gconstpointer a,
                  gconstpointer b,
                  gpointer      order)
{
  return mw_evacuation_compare_items (*(gconstpointer *) a, *(gconstpointer *) b, order);
}

static char *
names_in_order (GPtrArray         *items,
                MwEvacuationOrder  order)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_copy (items, (GCopyFunc) copy_ref, NULL);
  g_autoptr(GString) names = g_string_new (NULL);

  g_ptr_array_sort_with_data (sorted, compare_pointers, GINT_TO_POINTER (order));
  for (guint i = 0; i < sorted->len; i++)
    g_string_append_printf (names, "%s%s", i > 0 ? " " : "",
                            mw_evacuation_item_get_name (g_ptr_array_index (sorted, i)));
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static void
test_order (void)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *by_priority = NULL;
  g_autofree char *small = NULL;
  g_autofree char *large = NULL;

  g_ptr_array_add (items, item_new ("web", 4, 0, TRUE));
  g_ptr_array_add (items, item_new ("db", 16, 10, TRUE));
  g_ptr_array_add (items, item_new ("cache", 2, 0, TRUE));
  g_ptr_array_add (items, item_new ("mail", 4, 5, TRUE));
  g_ptr_array_add (items, item_new ("build", 8, -1, FALSE));
  by_priority = names_in_order (items, MW_EVACUATION_ORDER_PRIORITY);
  small = names_in_order (items, MW_EVACUATION_ORDER_SMALL_FIRST);
  large = names_in_order (items, MW_EVACUATION_ORDER_LARGE_FIRST);
  /* Priority: higher first, then by name. Size: equal sizes by priority, then name. */
  g_assert_cmpstr (by_priority, ==, "db mail cache web build");
  g_assert_cmpstr (small, ==, "cache mail web build db");
  g_assert_cmpstr (large, ==, "db build mail web cache");
}

static void
test_spread (void)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  const char *dests[] = { "test:///a", "test:///b", NULL };
  guint64 free_kib[] = { 8 * GIB_KIB, 4 * GIB_KIB };
  const char *expected[] = { "test:///a", "test:///a", "test:///b", "test:///b", "test:///a" };

  g_ptr_array_add (items, item_new ("g4", 4, 0, TRUE));
  g_ptr_array_add (items, item_new ("g3", 3, 0, TRUE));
  g_ptr_array_add (items, item_new ("g2", 2, 0, TRUE));
  g_ptr_array_add (items, item_new ("g1", 1, 0, TRUE));
  g_ptr_array_add (items, item_new ("off", 16, 0, FALSE));
  mw_evacuation_spread (items, dests, free_kib);
  /* 4 → a (4 left on each); 3 → a on the tie (1 left); 2 and 1 → b (1 left); the shut-off
   * guest takes no memory and goes to the first of the tie. */
  for (guint i = 0; i < items->len; i++)
    g_assert_cmpstr (mw_evacuation_item_get_destination (g_ptr_array_index (items, i)), ==,
                     expected[i]);
}

/* ---- the plan on the test driver ----------------------------------------------------------- */

static char *
demo_uri (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("MW_DEMO_DIR"), name, NULL);

  return g_strdup_printf ("test://%s", path);
}

static void
wait_plan (MwEvacuationPlan *plan)
{
  mw_evacuation_plan_run (plan);
  mw_test_wait_until (mw_evacuation_plan_get_state (plan) == MW_EVACUATION_PLAN_STATE_READY
                      || mw_evacuation_plan_get_state (plan) == MW_EVACUATION_PLAN_STATE_FAILED);
  g_assert_no_error ((GError *) mw_evacuation_plan_get_error (plan));
  g_assert_cmpint (mw_evacuation_plan_get_state (plan), ==, MW_EVACUATION_PLAN_STATE_READY);
}

static void
test_plan_same_host (void)
{
  const char *dests[] = { "test:///default", NULL };
  g_autoptr(MwEvacuationPlan) plan = mw_evacuation_plan_new ("test:///default", dests);
  MwEvacuationItem *item;
  guint n_state = 0;

  g_signal_connect (plan, "notify::state", G_CALLBACK (on_count_cb), &n_state);
  mw_evacuation_plan_set_cannot_move_action (plan, MW_EVACUATION_ACTION_SHUT_DOWN);
  wait_plan (plan);
  /* surveying, checking, ready */
  g_assert_cmpuint (n_state, ==, 3);
  g_assert_cmpuint (mw_evacuation_plan_get_n_checked (plan), ==, 1);
  item = find_item (plan, "test");
  g_assert_true (mw_evacuation_item_get_was_running (item));
  g_assert_cmpint (mw_evacuation_item_get_group (item), ==, MW_EVACUATION_GROUP_CANNOT_MOVE);
  /* The reason is the blocking checks' own words. */
  g_assert_nonnull (mw_evacuation_item_get_reason (item));
  g_assert_cmpuint (mw_preflight_get_n_blocking (mw_evacuation_item_get_preflight (item)), >, 0);
  g_assert_cmpint (mw_evacuation_item_get_action (item), ==, MW_EVACUATION_ACTION_SHUT_DOWN);
  /* Chosen for all afterwards: every guest that cannot move follows. */
  mw_evacuation_plan_set_cannot_move_action (plan, MW_EVACUATION_ACTION_MANAGED_SAVE);
  g_assert_cmpint (mw_evacuation_item_get_action (item), ==, MW_EVACUATION_ACTION_MANAGED_SAVE);
}

static void
test_plan_demo (void)
{
  g_autofree char *hosta = demo_uri ("hosta.xml");
  g_autofree char *hostb = demo_uri ("hostb.xml");
  const char *dests[] = { hostb, NULL };
  g_autoptr(MwEvacuationPlan) plan = mw_evacuation_plan_new (hosta, dests);
  GListModel *items = mw_evacuation_plan_get_items (plan);
  guint n_groups = 0;

  mw_evacuation_plan_set_priority_for (plan, "mail01", 7);
  mw_evacuation_plan_set_max_checks (plan, 3);
  wait_plan (plan);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 8);
  g_assert_cmpuint (mw_evacuation_plan_get_n_checked (plan), ==, 8);
  /* Priority order: mail01 first, the rest by name. */
  {
    g_autoptr(MwEvacuationItem) first = g_list_model_get_item (items, 0);
    g_autoptr(MwEvacuationItem) second = g_list_model_get_item (items, 1);

    g_assert_cmpstr (mw_evacuation_item_get_name (first), ==, "mail01");
    g_assert_cmpstr (mw_evacuation_item_get_name (second), ==, "build01");
  }
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(MwEvacuationItem) item = g_list_model_get_item (items, i);
      MwPreflight *preflight = mw_evacuation_item_get_preflight (item);
      MwEvacuationGroup group = mw_evacuation_item_get_group (item);

      g_assert_cmpstr (mw_evacuation_item_get_destination (item), ==, hostb);
      g_assert_nonnull (preflight);
      g_assert_false (mw_preflight_get_running (preflight));
      /* The group is what the checks said. */
      if (mw_preflight_get_n_blocking (preflight) > 0)
        g_assert_cmpint (group, ==, MW_EVACUATION_GROUP_CANNOT_MOVE);
      else if (mw_preflight_get_n_warnings (preflight) + mw_preflight_get_n_errors (preflight) > 0)
        g_assert_cmpint (group, ==, MW_EVACUATION_GROUP_NEEDS_DECISION);
      else
        g_assert_cmpint (group, ==, MW_EVACUATION_GROUP_READY);
      g_assert_true ((group == MW_EVACUATION_GROUP_READY)
                     == (mw_evacuation_item_get_reason (item) == NULL));
    }
  /* Shut-off guests are checked for an offline move. */
  n_groups = mw_evacuation_plan_count_group (plan, MW_EVACUATION_GROUP_READY)
             + mw_evacuation_plan_count_group (plan, MW_EVACUATION_GROUP_NEEDS_DECISION)
             + mw_evacuation_plan_count_group (plan, MW_EVACUATION_GROUP_CANNOT_MOVE);
  g_assert_cmpuint (n_groups, ==, 8);
}

/* Decisions per guest: one chosen for a guest beats the plan's cannot-move action, a guest
 * that needs a decision can be left, and a guest that cannot move is never migrated. A paused
 * guest is known to be paused. */
static void
test_plan_actions (void)
{
  g_autofree char *hosta = demo_uri ("hosta.xml");
  g_autofree char *hostb = demo_uri ("hostb.xml");
  const char *dests[] = { hostb, NULL };
  g_autoptr(MwEvacuationPlan) plan = mw_evacuation_plan_new (hosta, dests);
  MwEvacuationAction action;

  mw_evacuation_plan_set_cannot_move_action (plan, MW_EVACUATION_ACTION_SHUT_DOWN);
  mw_evacuation_plan_set_action_for (plan, "db01", MW_EVACUATION_ACTION_MANAGED_SAVE);
  mw_evacuation_plan_set_action_for (plan, "web01", MW_EVACUATION_ACTION_LEAVE);
  g_assert_true (mw_evacuation_plan_get_action_for (plan, "web01", &action));
  g_assert_cmpint (action, ==, MW_EVACUATION_ACTION_LEAVE);
  g_assert_false (mw_evacuation_plan_get_action_for (plan, "web02", NULL));
  wait_plan (plan);

  g_assert_cmpint (mw_evacuation_item_get_group (find_item (plan, "db01")), ==,
                   MW_EVACUATION_GROUP_CANNOT_MOVE);
  g_assert_cmpint (mw_evacuation_item_get_action (find_item (plan, "db01")), ==,
                   MW_EVACUATION_ACTION_MANAGED_SAVE);
  g_assert_cmpint (mw_evacuation_item_get_group (find_item (plan, "web01")), ==,
                   MW_EVACUATION_GROUP_NEEDS_DECISION);
  g_assert_cmpint (mw_evacuation_item_get_action (find_item (plan, "web01")), ==,
                   MW_EVACUATION_ACTION_LEAVE);
  g_assert_cmpint (mw_evacuation_item_get_action (find_item (plan, "web02")), ==,
                   MW_EVACUATION_ACTION_MIGRATE);

  /* The action for all does not override a guest's own. */
  mw_evacuation_plan_set_cannot_move_action (plan, MW_EVACUATION_ACTION_LEAVE);
  g_assert_cmpint (mw_evacuation_item_get_action (find_item (plan, "db01")), ==,
                   MW_EVACUATION_ACTION_MANAGED_SAVE);
  /* Decided after the checks: applied at once; "migrate" is not for a guest that cannot move. */
  mw_evacuation_plan_set_action_for (plan, "web02", MW_EVACUATION_ACTION_SHUT_DOWN);
  g_assert_cmpint (mw_evacuation_item_get_action (find_item (plan, "web02")), ==,
                   MW_EVACUATION_ACTION_SHUT_DOWN);
  mw_evacuation_plan_set_action_for (plan, "db01", MW_EVACUATION_ACTION_MIGRATE);
  g_assert_cmpint (mw_evacuation_item_get_action (find_item (plan, "db01")), ==,
                   MW_EVACUATION_ACTION_LEAVE);

  /* ci-runner is shut off (runstate 5): nothing to shut down or save, it is left as it is,
   * whether chosen for it or for all. */
  g_assert_false (mw_evacuation_item_get_was_running (find_item (plan, "ci-runner")));
  mw_evacuation_plan_set_action_for (plan, "ci-runner", MW_EVACUATION_ACTION_SHUT_DOWN);
  g_assert_cmpint (mw_evacuation_item_get_action (find_item (plan, "ci-runner")), ==,
                   MW_EVACUATION_ACTION_LEAVE);
  mw_evacuation_plan_set_action_for (plan, "ci-runner", MW_EVACUATION_ACTION_MANAGED_SAVE);
  g_assert_cmpint (mw_evacuation_item_get_action (find_item (plan, "ci-runner")), ==,
                   MW_EVACUATION_ACTION_LEAVE);

  /* build01 is paused on the demo host (runstate 3), web01 runs. */
  g_assert_true (mw_evacuation_item_get_was_running (find_item (plan, "build01")));
  g_assert_true (mw_evacuation_item_get_was_paused (find_item (plan, "build01")));
  g_assert_false (mw_evacuation_item_get_was_paused (find_item (plan, "web01")));
}

/* The plan's checks share the hosts' facts (each host gathered once for all guests), and say
 * exactly what each guest's checks say when they gather everything themselves. */
static void
test_plan_shared_hosts (void)
{
  g_autofree char *hosta = demo_uri ("hosta.xml");
  g_autofree char *hostb = demo_uri ("hostb.xml");
  const char *dests[] = { hostb, NULL };
  g_autoptr(MwEvacuationPlan) plan = mw_evacuation_plan_new (hosta, dests);
  GListModel *items = mw_evacuation_plan_get_items (plan);
  MwPreflightHosts *hosts = NULL;

  wait_plan (plan);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 8);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(MwEvacuationItem) item = g_list_model_get_item (items, i);
      MwPreflight *shared = mw_evacuation_item_get_preflight (item);
      g_autoptr(MwMigrationOptions) options = mw_evacuation_plan_options_for (plan, item);
      g_autoptr(MwPreflight) alone = mw_preflight_new (hosta, hostb,
                                                       mw_evacuation_item_get_name (item),
                                                       options);
      g_autoptr(JsonNode) shared_json = NULL;
      g_autoptr(JsonNode) alone_json = NULL;
      g_autofree char *shared_text = NULL;
      g_autofree char *alone_text = NULL;

      /* One MwPreflightHosts for the whole plan. */
      g_assert_nonnull (mw_preflight_get_hosts (shared));
      if (hosts == NULL)
        hosts = mw_preflight_get_hosts (shared);
      g_assert_true (mw_preflight_get_hosts (shared) == hosts);

      g_assert_null (mw_preflight_get_hosts (alone));
      mw_preflight_run (alone);
      mw_test_wait_until (!mw_preflight_get_running (alone));
      shared_json = mw_preflight_to_json (shared);
      alone_json = mw_preflight_to_json (alone);
      shared_text = json_to_string (shared_json, TRUE);
      alone_text = json_to_string (alone_json, TRUE);
      g_assert_cmpstr (shared_text, ==, alone_text);
    }
  /* The source and the destination, each gathered once for eight guests. */
  g_assert_cmpuint (mw_preflight_hosts_get_n_gathered (hosts), ==, 2);
}

/* A plan dropped while it checks: the running checks are stopped and answer nobody. */
static void
test_plan_dropped (void)
{
  g_autofree char *hosta = demo_uri ("hosta.xml");
  g_autofree char *hostb = demo_uri ("hostb.xml");
  const char *dests[] = { hostb, NULL };
  MwEvacuationPlan *plan = mw_evacuation_plan_new (hosta, dests);
  g_autoptr(MwEvacuationItem) first = NULL;

  mw_evacuation_plan_set_max_checks (plan, 1);
  mw_evacuation_plan_run (plan);
  mw_test_wait_until (mw_evacuation_plan_get_state (plan) == MW_EVACUATION_PLAN_STATE_CHECKING);
  first = g_list_model_get_item (mw_evacuation_plan_get_items (plan), 0);
  g_assert_true (mw_preflight_get_running (mw_evacuation_item_get_preflight (first)));
  g_assert_finalize_object (plan);
  g_assert_false (mw_preflight_get_running (mw_evacuation_item_get_preflight (first)));
  mw_test_iterate_for (300);
  g_assert_cmpint (mw_evacuation_item_get_group (first), ==, MW_EVACUATION_GROUP_UNCHECKED);
}

/* Stopped while checking: what was not checked is left where it is. */
static void
test_plan_cancelled (void)
{
  g_autofree char *hosta = demo_uri ("hosta.xml");
  g_autofree char *hostb = demo_uri ("hostb.xml");
  const char *dests[] = { hostb, NULL };
  g_autoptr(MwEvacuationPlan) plan = mw_evacuation_plan_new (hosta, dests);
  GListModel *items = mw_evacuation_plan_get_items (plan);
  guint n_left = 0;

  mw_evacuation_plan_set_max_checks (plan, 1);
  mw_evacuation_plan_run (plan);
  mw_test_wait_until (mw_evacuation_plan_get_state (plan) == MW_EVACUATION_PLAN_STATE_CHECKING);
  mw_evacuation_plan_cancel (plan);
  mw_test_wait_until (mw_evacuation_plan_get_state (plan) == MW_EVACUATION_PLAN_STATE_READY);
  g_assert_cmpuint (mw_evacuation_plan_get_n_checked (plan), <, 8);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(MwEvacuationItem) item = g_list_model_get_item (items, i);

      if (mw_evacuation_item_get_group (item) != MW_EVACUATION_GROUP_UNCHECKED)
        continue;
      g_assert_cmpint (mw_evacuation_item_get_action (item), ==, MW_EVACUATION_ACTION_LEAVE);
      n_left++;
    }
  g_assert_cmpuint (n_left + mw_evacuation_plan_get_n_checked (plan), ==, 8);
}

/* A node with no guest and mib of memory, as a test-driver URI. */
static char *
empty_node (const char *dir,
            const char *name,
            guint64     mib)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *xml = g_strdup_printf ("<node><cpu><mhz>2000</mhz><model>x86_64</model>"
                                          "<active>8</active><nodes>1</nodes><sockets>1</sockets>"
                                          "<cores>8</cores><threads>1</threads></cpu>"
                                          "<memory>%" G_GUINT64_FORMAT "</memory></node>",
                                          mib * 1024);

  g_assert_true (g_file_set_contents (path, xml, -1, NULL));
  return g_strdup_printf ("test://%s", path);
}

static gboolean
remove_tree (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  return g_rmdir (dir) == 0;
}

static void
test_plan_spread (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mw-evac-XXXXXX", NULL);
  g_autofree char *hosta = demo_uri ("hosta.xml");
  g_autofree char *big = empty_node (dir, "big.xml", 32 * 1024);
  g_autofree char *small = empty_node (dir, "small.xml", 24 * 1024);
  const char *dests[] = { big, small, NULL };
  g_autoptr(MwEvacuationPlan) plan = mw_evacuation_plan_new (hosta, dests);
  GListModel *items = mw_evacuation_plan_get_items (plan);
  guint64 used[2] = { 0, 0 };

  wait_plan (plan);
  /* The two 16 GiB guests: build01 (paused, so active) to the bigger host, db01 to the other. */
  g_assert_cmpstr (mw_evacuation_item_get_destination (find_item (plan, "build01")), ==, big);
  g_assert_cmpstr (mw_evacuation_item_get_destination (find_item (plan, "db01")), ==, small);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(MwEvacuationItem) item = g_list_model_get_item (items, i);

      if (mw_evacuation_item_get_was_running (item))
        used[g_str_equal (mw_evacuation_item_get_destination (item), big) ? 0 : 1] +=
          mw_evacuation_item_get_memory_kib (item);
    }
  /* Both hosts hold what they were given: 47 GiB of running guests (mail01 uses 3 of its
   * 4 GiB) in 56 GiB. */
  g_assert_cmpuint (used[0] + used[1], ==, 47 * (guint64) GIB_KIB);
  g_assert_cmpuint (used[0], <=, 32 * (guint64) GIB_KIB);
  g_assert_cmpuint (used[1], <=, 24 * (guint64) GIB_KIB);
  g_assert_true (remove_tree (dir));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  mw_libvirt_init ();

  g_test_add_func ("/mw/evacuation/order", test_order);
  g_test_add_func ("/mw/evacuation/spread", test_spread);
  g_test_add_func ("/mw/evacuation/plan/same-host", test_plan_same_host);
  g_test_add_func ("/mw/evacuation/plan/demo", test_plan_demo);
  g_test_add_func ("/mw/evacuation/plan/spread", test_plan_spread);
  g_test_add_func ("/mw/evacuation/plan/shared-hosts", test_plan_shared_hosts);
  g_test_add_func ("/mw/evacuation/plan/actions", test_plan_actions);
  g_test_add_func ("/mw/evacuation/plan/dropped", test_plan_dropped);
  g_test_add_func ("/mw/evacuation/plan/cancelled", test_plan_cancelled);
  return g_test_run ();
}
