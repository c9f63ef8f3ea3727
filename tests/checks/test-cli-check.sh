#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# test-cli-check.sh CLI: `mig-wizard-cli check` exit statuses and output, on the demo nodes.
cli=${1:?usage: test-cli-check.sh MIG_WIZARD_CLI}
a="test://$MW_DEMO_DIR/hosta.xml" b="test://$MW_DEMO_DIR/hostb.xml"
n=0 failed=0
ok () { n=$((n + 1)); echo "ok $n - $*"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $*"; }
echo "1..7"

out=$("$cli" check --from "$a" --to "$b" db01); rc=$?
[ $rc -eq 1 ] && ok "a blocking check: exit 1" || not_ok "a blocking check: exit $rc"
printf "%s\n" "$out" | grep -q "^✖ Disk cache mode: " && ok "human output marks the blocking check" ||
  not_ok "human output: $out"
printf "%s\n" "$out" | grep -q "^✔ Networks on the destination: " && ok "human output marks a passed check" ||
  not_ok "human output: $out"

out=$("$cli" check --from "$a" --to "$b" --unsafe --json db01); rc=$?
[ $rc -eq 0 ] && ok "unsafe chosen: nothing blocks, exit 0" || not_ok "unsafe: exit $rc"
printf "%s\n" "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["n_blocking"] == 0; assert {c["id"] for c in d["checks"]} >= {"same-host", "forecast"}' &&
  ok "--json is JSON with every check" || not_ok "--json: $out"

"$cli" check --from "$a" web01 > /dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ok "missing --to: exit 2" || not_ok "missing --to: exit $rc"

err=$("$cli" check --from "$a?no_verify=1" --to "$b" db01 2>&1 > /dev/null); rc=$?
[ $rc -eq 2 ] && printf "%s\n" "$err" | grep -q "“no_verify=1” turns off the check of the host’s identity" &&
  ok "a URI that turns host-key checking off: refused by name, exit 2" ||
  not_ok "no_verify: exit $rc: $err"
exit $failed
