# SPDX-License-Identifier: GPL-3.0-or-later
# domains.sh: what the domain lists show after real migrations (issue #10), sourced by
# run-lab-suite (which provides ok, not_ok, note, $lab, $tmp). To hook it in:
#   . "$here/domains.sh"; run_domains "$domtest"
# with $domtest the test-lab-domains binary (built with -Dlab_tests=true next to test-lab-job).
# The guest is shut off and booted again on the way (offline moves): run it before a scenario
# takes the guest's boot id, or after the last one.
#
# Expects the lab guest running on hosta; leaves it running there.

# run_domains TEST_LAB_DOMAINS: one TAP line; the test's own TAP and figures as comments.
run_domains ()
{
  local domtest=$1 rc=0
  MW_LAB_SCRIPT=$lab "$domtest" > "$tmp/domains.out" 2>&1 || rc=$?
  grep -v -e '# DEBUG' -e '^# *$' "$tmp/domains.out" | note
  if [ $rc -eq 0 ]; then
    ok "domain lists after offline and live moves there and back: the guest on the destination's list only"
  else
    not_ok "domain lists after offline and live moves there and back (exit $rc)"
  fi
}
