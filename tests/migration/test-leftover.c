/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-leftover: which destination states count as the unfinished incoming copy a failed
 * migration leaves (and may be removed), and which never do. The removal itself is proven in
 * the lab (tests/lab/scenarios.sh, scenario d). */

#include "config.h"

#include <gio/gio.h>

#include "mw-leftover.h"

static void
test_unfinished_states (void)
{
  /* What libvirt 11.3 lists after its daemon restarted under an incoming migration. */
  g_assert_true (mw_leftover_state_is_unfinished (VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_MIGRATION));
  g_assert_true (mw_leftover_state_is_unfinished (VIR_DOMAIN_PAUSED,
                                                  VIR_DOMAIN_PAUSED_STARTING_UP));
  g_assert_true (mw_leftover_state_is_unfinished (VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_UNKNOWN));
  /* ... and a moment later, while it kills it. */
  g_assert_true (mw_leftover_state_is_unfinished (VIR_DOMAIN_SHUTDOWN, 0));
}

static void
test_never_removed (void)
{
  /* A guest that runs, one a person paused, and a post-copy guest whose memory is split between
   * the hosts: removing any of them loses the guest. */
  g_assert_false (mw_leftover_state_is_unfinished (VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_MIGRATED));
  g_assert_false (mw_leftover_state_is_unfinished (VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_POSTCOPY));
  g_assert_false (mw_leftover_state_is_unfinished (VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER));
  g_assert_false (mw_leftover_state_is_unfinished (VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_POSTCOPY));
  g_assert_false (mw_leftover_state_is_unfinished (VIR_DOMAIN_PAUSED,
                                                   VIR_DOMAIN_PAUSED_POSTCOPY_FAILED));
  g_assert_false (mw_leftover_state_is_unfinished (VIR_DOMAIN_SHUTOFF, 0));
  g_assert_false (mw_leftover_state_is_unfinished (VIR_DOMAIN_CRASHED, 0));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mw/leftover/unfinished-states", test_unfinished_states);
  g_test_add_func ("/mw/leftover/never-removed", test_never_removed);
  return g_test_run ();
}
