/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-preflight-cancel.c: cancelling MwPreflight while its checks (not its fact gathering)
 * run, as a user does by going back to the Checks page or closing the wizard during an ssh
 * probe or the forecast.
 *
 * A slow check stands in for the forecast: it counts its starts and ends and returns when the
 * test releases it, or when the run is cancelled unless it is "deaf" (a libvirt call in flight
 * does not look at the cancellable). A cancelled run must end at once with every unfinished
 * check saying so, and the late results must change nothing and crash nothing.
 */

#include "config.h"

#include "mw-libvirt.h"
#include "mw-preflight-private.h"
#include "../unit/mw-test-core.h"

static gint slow_started;
static gint slow_ended;
static gint slow_released;
static gint slow_deaf;
/* How many references the slow check has while no work runs (the preflight's own). */
static guint idle_refs;

/* Worker thread. */
static void
slow_run (const MwCheckContext *context,
          MwCheckResult        *result,
          GCancellable         *cancellable)
{
  g_atomic_int_inc (&slow_started);
  while (!g_atomic_int_get (&slow_released)
         && (g_atomic_int_get (&slow_deaf) || !g_cancellable_is_cancelled (cancellable)))
    g_usleep (1000);
  mw_check_result_set (result, MW_CHECK_STATE_PASSED, "The slow check has finished.", NULL,
                       NULL, NULL);
  g_atomic_int_inc (&slow_ended);
}

static const MwCheckSpec slow_spec = {
  "forecast", "Convergence forecast", MW_CHECK_NEEDS_SOURCE | MW_CHECK_NEEDS_DOMAIN, NULL,
  slow_run, NULL
};

static void
slow_reset (gboolean deaf)
{
  g_atomic_int_set (&slow_started, 0);
  g_atomic_int_set (&slow_ended, 0);
  g_atomic_int_set (&slow_released, 0);
  g_atomic_int_set (&slow_deaf, deaf);
}

static MwPreflight *
slow_preflight (void)
{
  MwPreflight *preflight = mw_preflight_new ("test:///default", "test:///default", "test", NULL);

  mw_preflight_replace_spec (preflight, &slow_spec);
  idle_refs = G_OBJECT (mw_preflight_find_check (preflight, "forecast"))->ref_count;
  return preflight;
}

static void
on_notify_count_cb (GObject    *object,
                    GParamSpec *pspec,
                    guint      *count)
{
  (*count)++;
}

/* A check's work holds a reference to the check until its callback on the main thread has run:
 * back to the preflight's own references means no result of it is left to come. */
static gboolean
no_work_holds (MwCheck *check)
{
  return G_OBJECT (check)->ref_count == idle_refs;
}

/* The run ended as cancelled: nothing runs, the slow check says it was cancelled, every other
 * check has its own result. */
static void
assert_cancelled (MwPreflight *preflight)
{
  GListModel *checks = mw_preflight_get_checks (preflight);
  MwCheck *slow = mw_preflight_find_check (preflight, "forecast");

  g_assert_false (mw_preflight_get_running (preflight));
  g_assert_cmpint (mw_check_get_state (slow), ==, MW_CHECK_STATE_ERROR);
  g_assert_cmpstr (mw_check_get_sentence (slow), ==, "The check was cancelled.");
  g_assert_cmpuint (mw_preflight_get_n_errors (preflight), >=, 1);
  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(MwCheck) check = g_list_model_get_item (checks, i);

      g_assert_true (mw_check_is_done (check));
    }
}

/* Cancelled as soon as the slow check starts, again and again; the check hears the cancel
 * and its result comes back after it. */
static void
test_cancel_at_start (void)
{
  g_autoptr(MwPreflight) preflight = slow_preflight ();
  MwCheck *slow = mw_preflight_find_check (preflight, "forecast");

  slow_reset (FALSE);
  for (gint round = 1; round <= 5; round++)
    {
      guint n_notifies = 0;
      gulong handler;

      mw_preflight_run (preflight);
      mw_test_wait_until (g_atomic_int_get (&slow_started) == round);
      g_assert_true (mw_preflight_get_running (preflight));
      g_assert_cmpint (mw_check_get_state (slow), ==, MW_CHECK_STATE_RUNNING);

      mw_preflight_cancel (preflight);
      assert_cancelled (preflight);

      handler = g_signal_connect (slow, "notify", G_CALLBACK (on_notify_count_cb), &n_notifies);
      mw_test_wait_until (g_atomic_int_get (&slow_ended) == round && no_work_holds (slow));
      g_signal_handler_disconnect (slow, handler);
      g_assert_cmpuint (n_notifies, ==, 0);
      assert_cancelled (preflight);
    }
}

/* The slow check timed out, then the user leaves: the cancel finds nothing running, and the
 * deaf check's result, which comes back after the cancel, changes nothing. */
static void
test_cancel_after_timeout (void)
{
  g_autoptr(MwPreflight) preflight = slow_preflight ();
  MwCheck *slow = mw_preflight_find_check (preflight, "forecast");
  guint n_notifies = 0;

  slow_reset (TRUE);
  mw_preflight_set_timeout (preflight, 1);
  mw_preflight_run (preflight);
  mw_test_wait_until (!mw_preflight_get_running (preflight));
  g_assert_cmpint (g_atomic_int_get (&slow_ended), ==, 0);
  g_assert_cmpint (mw_check_get_state (slow), ==, MW_CHECK_STATE_ERROR);
  g_assert_cmpstr (mw_check_get_sentence (slow), ==, "The check did not answer within 1 s.");

  g_signal_connect (slow, "notify", G_CALLBACK (on_notify_count_cb), &n_notifies);
  mw_preflight_cancel (preflight);
  g_atomic_int_set (&slow_released, 1);
  mw_test_wait_until (g_atomic_int_get (&slow_ended) == 1 && no_work_holds (slow));
  g_assert_cmpuint (n_notifies, ==, 0);
  g_assert_cmpstr (mw_check_get_sentence (slow), ==, "The check did not answer within 1 s.");
  g_signal_handlers_disconnect_by_data (slow, &n_notifies);
}

static gboolean
on_cancel_timeout_cb (gpointer user_data)
{
  mw_preflight_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* Cancelled from a main-loop timeout while a deaf check runs, then the preflight is dropped (the
 * wizard closed) before the check returns: its result arrives for a preflight that is gone. */
static void
test_cancel_then_drop (void)
{
  MwPreflight *preflight = slow_preflight ();
  MwCheck *slow = mw_preflight_find_check (preflight, "forecast");

  slow_reset (TRUE);
  g_object_add_weak_pointer (G_OBJECT (slow), (gpointer *) &slow);
  mw_preflight_run (preflight);
  mw_test_wait_until (g_atomic_int_get (&slow_started) == 1);
  g_timeout_add (50, on_cancel_timeout_cb, preflight);
  mw_test_wait_until (!mw_preflight_get_running (preflight));
  assert_cancelled (preflight);

  g_assert_finalize_object (preflight);
  g_assert_nonnull (slow);   /* the check's work still holds it */
  g_atomic_int_set (&slow_released, 1);
  mw_test_wait_until (slow == NULL);
  g_assert_cmpint (g_atomic_int_get (&slow_ended), ==, 1);
}

/* Runs restarted while the slow check runs (each restart cancels the run before), a few times
 * over, then cancelled: only the last run's state shows, and every late result is dropped. */
static void
test_restart_while_checking (void)
{
  g_autoptr(MwPreflight) preflight = slow_preflight ();
  MwCheck *slow = mw_preflight_find_check (preflight, "forecast");

  slow_reset (TRUE);
  for (gint round = 1; round <= 5; round++)
    {
      mw_preflight_run (preflight);
      mw_test_wait_until (g_atomic_int_get (&slow_started) == round);
      g_assert_true (mw_preflight_get_running (preflight));
    }
  mw_preflight_cancel (preflight);
  assert_cancelled (preflight);

  g_atomic_int_set (&slow_released, 1);
  mw_test_wait_until (g_atomic_int_get (&slow_ended) == 5 && no_work_holds (slow));
  assert_cancelled (preflight);

  /* And the next run is a whole one. */
  mw_preflight_run (preflight);
  mw_test_wait_until (!mw_preflight_get_running (preflight));
  g_assert_cmpint (mw_check_get_state (slow), ==, MW_CHECK_STATE_PASSED);
  g_assert_cmpstr (mw_check_get_sentence (slow), ==, "The slow check has finished.");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  mw_libvirt_init ();

  g_test_add_func ("/mw/preflight-cancel/at-start", test_cancel_at_start);
  g_test_add_func ("/mw/preflight-cancel/after-timeout", test_cancel_after_timeout);
  g_test_add_func ("/mw/preflight-cancel/then-drop", test_cancel_then_drop);
  g_test_add_func ("/mw/preflight-cancel/restart-while-checking", test_restart_while_checking);

  return g_test_run ();
}
