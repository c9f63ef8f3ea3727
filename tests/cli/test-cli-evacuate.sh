#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# test-cli-evacuate.sh CLI: `mig-wizard-cli evacuate --dry-run` on the test driver prints the
# plan and changes nothing; bad input exits 2 with a specific message; bring-back refuses what is
# not an evacuation report.
cli=${1:?usage: test-cli-evacuate.sh MIG_WIZARD_CLI}
a="test://$MW_DEMO_DIR/hosta.xml" b="test://$MW_DEMO_DIR/hostb.xml"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0
ok () { n=$((n + 1)); echo "ok $n - $*"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $*"; }
echo "1..9"

out=$("$cli" evacuate --from "$a" --to "$b" --dry-run --priority web02=5 --cannot-move shutdown 2>&1); rc=$?
[ $rc -eq 0 ] && ok "dry run of the demo host: exit 0" || not_ok "dry run: exit $rc: $out"
# Every guest of hosta is in the plan, web02 first (priority 5), and the count line adds up.
guests=$(printf '%s\n' "$out" | awk '/^GUEST/ { on = 1; next } on && /^[a-z]/ { print $1 } /^$/ { on = 0 }' | tr '\n' ' ')
[ "$guests" = "web02 build01 ci-runner db01 mail01 monitoring web01 win-test " ] &&
  ok "the plan lists all 8 guests in priority order" || not_ok "plan order: $guests"
printf '%s\n' "$out" | grep -Eq '^8 guests: [0-9]+ ready, [0-9]+ need a decision, [0-9]+ cannot move\.$' &&
  ok "the plan counts its groups" || not_ok "no count line: $out"
printf '%s\n' "$out" | grep -Eq '(migrating|done|queued)' &&
  not_ok "a dry run ran something: $out" || ok "a dry run runs nothing"

out=$("$cli" evacuate --from test:///default --to "$b" --dry-run 2>&1); rc=$?
printf '%s\n' "$out" | grep -Eq '^test +running ' && [ $rc -eq 0 ] &&
  ok "test:///default: its one guest planned, exit 0" || not_ok "test:///default: exit $rc: $out"

out=$("$cli" evacuate --from "$a" --to "$b" --order fastest 2>&1); rc=$?
[ $rc -eq 2 ] && printf '%s\n' "$out" | grep -q -- "--order takes priority, small-first or large-first" &&
  ok "bad --order: exit 2 with the option named" || not_ok "bad --order: exit $rc: $out"

out=$("$cli" evacuate --from "$a" 2>&1); rc=$?
[ $rc -eq 2 ] && ok "missing --to: exit 2" || not_ok "missing --to: exit $rc: $out"

out=$("$cli" evacuate --from test:///nonexistent/none.xml --to "$b" --dry-run 2>&1); rc=$?
[ $rc -eq 1 ] && ok "a source that cannot be reached: exit 1" || not_ok "unreachable source: exit $rc: $out"

echo '{"format": "mig-wizard-report"}' > "$tmp/single.json"
out=$("$cli" bring-back --report "$tmp/single.json" 2>&1); rc=$?
[ $rc -eq 1 ] && printf '%s\n' "$out" | grep -q "not a MigWizard evacuation report" &&
  ok "bring-back of a single migration's report: refused, exit 1" || not_ok "bring-back: exit $rc: $out"
exit $failed
