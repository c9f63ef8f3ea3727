/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-preflight.c: MwPreflight against libvirt's test driver and the demo nodes.
 *
 * Each connection to a test driver node file gets its own private copy of it, so a fix
 * applied through the preflight's connection never leaks into another test.
 */

#include "config.h"

#include <string.h>

#include "mw-libvirt.h"
#include "mw-migration-caps.h"
#include "mw-preflight.h"
#include "../unit/mw-test-core.h"

static char *
demo_uri (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("MW_DEMO_DIR"), name, NULL);

  return g_strdup_printf ("test://%s", path);
}

static void
run_and_wait (MwPreflight *preflight)
{
  mw_preflight_run (preflight);
  g_assert_true (mw_preflight_get_running (preflight));
  mw_test_wait_until (!mw_preflight_get_running (preflight));
}

static MwCheckState
state_of (MwPreflight *preflight,
          const char  *id)
{
  MwCheck *check = mw_preflight_find_check (preflight, id);

  g_assert_nonnull (check);
  return mw_check_get_state (check);
}

static void
on_notify_count_cb (GObject    *object,
                    GParamSpec *pspec,
                    guint      *count)
{
  (*count)++;
}

static void
test_default (void)
{
  g_autoptr(MwPreflight) preflight =
    mw_preflight_new ("test:///default", "test:///default", "test", NULL);
  GListModel *checks = mw_preflight_get_checks (preflight);
  guint n_running_notifies = 0;
  g_autoptr(JsonNode) json = NULL;
  JsonArray *array;

  g_signal_connect (preflight, "notify::running", G_CALLBACK (on_notify_count_cb),
                    &n_running_notifies);
  run_and_wait (preflight);
  g_assert_cmpuint (n_running_notifies, ==, 2);

  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(MwCheck) check = g_list_model_get_item (checks, i);

      g_assert_true (mw_check_is_done (check));
      g_assert_nonnull (mw_check_get_sentence (check));
    }

  /* One connection twice, and the domain is of course already there. */
  g_assert_cmpint (state_of (preflight, "connections"), ==, MW_CHECK_STATE_PASSED);
  g_assert_cmpint (state_of (preflight, "same-host"), ==, MW_CHECK_STATE_BLOCKING);
  g_assert_cmpint (state_of (preflight, "name"), ==, MW_CHECK_STATE_BLOCKING);
  g_assert_cmpint (state_of (preflight, "network"), ==, MW_CHECK_STATE_PASSED);
  g_assert_cmpint (state_of (preflight, "forecast"), ==, MW_CHECK_STATE_WARNING);
  g_assert_cmpuint (mw_preflight_get_n_blocking (preflight), >=, 2);

  json = mw_preflight_to_json (preflight);
  array = json_object_get_array_member (json_node_get_object (json), "checks");
  g_assert_cmpuint (json_array_get_length (array), ==, g_list_model_get_n_items (checks));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 1),
                                                  "state"), ==, "blocking");
}

static void
test_demo_fix (void)
{
  g_autofree char *hosta = demo_uri ("hosta.xml");
  g_autofree char *hostb = demo_uri ("hostb.xml");
  g_autoptr(MwPreflight) preflight = mw_preflight_new (hosta, hostb, "db01", NULL);
  MwCheck *cache = mw_preflight_find_check (preflight, "disk-cache");

  run_and_wait (preflight);
  g_assert_cmpint (state_of (preflight, "same-host"), ==, MW_CHECK_STATE_PASSED);
  g_assert_cmpint (state_of (preflight, "name"), ==, MW_CHECK_STATE_PASSED);
  g_assert_cmpint (state_of (preflight, "storage"), ==, MW_CHECK_STATE_PASSED);
  g_assert_cmpint (state_of (preflight, "network"), ==, MW_CHECK_STATE_PASSED);
  g_assert_cmpint (state_of (preflight, "devices"), ==, MW_CHECK_STATE_PASSED);
  g_assert_cmpint (state_of (preflight, "lock-manager"), ==, MW_CHECK_STATE_WARNING);

  /* db01 is the demo domain whose disk leaves the cache mode unset: QEMU's writeback. */
  g_assert_cmpint (mw_check_get_state (cache), ==, MW_CHECK_STATE_BLOCKING);
  g_assert_true (mw_check_get_can_fix (cache));

  mw_preflight_fix_async (preflight, cache, NULL, NULL, NULL);
  mw_test_wait_until (!mw_preflight_get_running (preflight)
                      && mw_check_is_done (cache));
  /* Saved in the persistent definition; the running guest keeps its mode until it boots, and
   * restarting it is the fix offered now. */
  g_assert_cmpint (mw_check_get_state (cache), ==, MW_CHECK_STATE_BLOCKING);
  g_assert_nonnull (strstr (mw_check_get_sentence (cache), "next boot"));
  g_assert_true (mw_check_get_can_fix (cache));
  g_assert_cmpstr (mw_check_get_fix_label (cache), ==, "Restart Guest");

  /* The restart: shut down, started again, the check run again, passed. */
  mw_preflight_fix_async (preflight, cache, NULL, NULL, NULL);
  mw_test_wait_until (!mw_preflight_get_running (preflight)
                      && mw_check_is_done (cache));
  g_assert_cmpint (mw_check_get_state (cache), ==, MW_CHECK_STATE_PASSED);
  g_assert_false (mw_check_get_can_fix (cache));
}

static void
test_missing_domain (void)
{
  g_autofree char *hosta = demo_uri ("hosta.xml");
  g_autofree char *hostb = demo_uri ("hostb.xml");
  g_autoptr(MwPreflight) preflight = mw_preflight_new (hosta, hostb, "no-such-guest", NULL);

  run_and_wait (preflight);
  g_assert_cmpint (state_of (preflight, "connections"), ==, MW_CHECK_STATE_BLOCKING);
  g_assert_cmpint (state_of (preflight, "same-host"), ==, MW_CHECK_STATE_PASSED);
  g_assert_cmpint (state_of (preflight, "cpu"), ==, MW_CHECK_STATE_ERROR);
  g_assert_nonnull (strstr (mw_check_get_sentence (mw_preflight_find_check (preflight, "cpu")),
                            "domain could not be read"));
}

static void
test_unreachable (void)
{
  g_autoptr(MwPreflight) preflight =
    mw_preflight_new ("test:///default", "test:///nonexistent/node.xml", "test", NULL);

  run_and_wait (preflight);
  g_assert_cmpint (state_of (preflight, "connections"), ==, MW_CHECK_STATE_BLOCKING);
  g_assert_cmpint (state_of (preflight, "name"), ==, MW_CHECK_STATE_ERROR);
  g_assert_cmpint (state_of (preflight, "cluster"), ==, MW_CHECK_STATE_PASSED);
}

static void
test_same_name_on_dest (void)
{
  g_autofree char *hosta = demo_uri ("hosta.xml");
  g_autofree char *hostb = demo_uri ("hostb.xml");
  /* dns01 lives on hostb; checking it "back" onto hostb's own file finds it there. */
  g_autoptr(MwPreflight) preflight = mw_preflight_new (hostb, hostb, "dns01", NULL);

  run_and_wait (preflight);
  g_assert_cmpint (state_of (preflight, "name"), ==, MW_CHECK_STATE_BLOCKING);
  g_object_unref (preflight);
  preflight = mw_preflight_new (hostb, hosta, "dns01", NULL);
  run_and_wait (preflight);
  g_assert_cmpint (state_of (preflight, "name"), ==, MW_CHECK_STATE_PASSED);
}

static void
test_rerun_and_cancel (void)
{
  g_autoptr(MwPreflight) preflight =
    mw_preflight_new ("test:///default", "test:///default", "test", NULL);
  MwCheck *check = mw_preflight_find_check (preflight, "memory");

  run_and_wait (preflight);
  mw_preflight_rerun_check (preflight, check);
  g_assert_cmpint (mw_check_get_state (check), ==, MW_CHECK_STATE_RUNNING);
  g_assert_true (mw_preflight_get_running (preflight));
  mw_test_wait_until (!mw_preflight_get_running (preflight));
  g_assert_cmpint (mw_check_get_state (check), ==, MW_CHECK_STATE_BLOCKING);

  /* Cancelled before anything answers: every check says so. */
  mw_preflight_run (preflight);
  mw_preflight_cancel (preflight);
  g_assert_false (mw_preflight_get_running (preflight));
  g_assert_cmpint (mw_check_get_state (check), ==, MW_CHECK_STATE_ERROR);
  mw_test_iterate_for (200);
  g_assert_cmpint (mw_check_get_state (check), ==, MW_CHECK_STATE_ERROR);
}

/* The zero-copy and the post-copy check judge the same caps, each in a worker of its own: one
 * run reads them (opens both hosts, runs the probes) once, not once per check. A check run
 * again reads them afresh, as it gathers fresh facts. */
static void
test_caps_read_once (void)
{
  g_autoptr(MwPreflight) preflight =
    mw_preflight_new ("test:///default", "test:///default", "test", NULL);
  MwCheck *zerocopy = mw_preflight_find_check (preflight, "zero-copy");
  guint before = mw_migration_caps_get_n_reads ();

  run_and_wait (preflight);
  g_assert_cmpint (state_of (preflight, "zero-copy"), ==, MW_CHECK_STATE_PASSED);
  g_assert_cmpint (state_of (preflight, "post-copy"), ==, MW_CHECK_STATE_PASSED);
  g_assert_cmpuint (mw_migration_caps_get_n_reads () - before, ==, 1);

  mw_preflight_rerun_check (preflight, zerocopy);
  mw_test_wait_until (!mw_preflight_get_running (preflight));
  g_assert_cmpint (mw_check_get_state (zerocopy), ==, MW_CHECK_STATE_PASSED);
  g_assert_cmpuint (mw_migration_caps_get_n_reads () - before, ==, 2);

  /* A run of its own shares nothing with the last one. */
  run_and_wait (preflight);
  g_assert_cmpuint (mw_migration_caps_get_n_reads () - before, ==, 3);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  mw_libvirt_init ();

  g_test_add_func ("/mw/preflight/default", test_default);
  g_test_add_func ("/mw/preflight/demo-fix", test_demo_fix);
  g_test_add_func ("/mw/preflight/missing-domain", test_missing_domain);
  g_test_add_func ("/mw/preflight/unreachable", test_unreachable);
  g_test_add_func ("/mw/preflight/same-name-on-dest", test_same_name_on_dest);
  g_test_add_func ("/mw/preflight/rerun-and-cancel", test_rerun_and_cancel);
  g_test_add_func ("/mw/preflight/caps-read-once", test_caps_read_once);

  return g_test_run ();
}
