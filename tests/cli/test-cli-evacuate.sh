#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# test-cli-evacuate.sh CLI: `mig-wizard-cli evacuate --dry-run` on the test driver prints the
# plan and changes nothing; bad input exits 2 with a specific message; bring-back refuses what is
# not an evacuation report. The plan: a decision per guest (--action), a paused guest shown
# paused, columns aligned by display width whatever the script of a name, and each undecided
# guest told how to decide in this command's terms.
cli=${1:?usage: test-cli-evacuate.sh MIG_WIZARD_CLI}
a="test://$MW_DEMO_DIR/hosta.xml" b="test://$MW_DEMO_DIR/hostb.xml"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0
ok () { n=$((n + 1)); echo "ok $n - $*"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $*"; }
echo "1..17"

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
# Decisions per guest: web01 (needs a decision) left, db01 (cannot move) saved to disk.
out=$("$cli" evacuate --from "$a" --to "$b" --dry-run --action web01=leave --action db01=managed-save 2>&1); rc=$?
[ $rc -eq 0 ] && printf '%s\n' "$out" | grep -Eq '^web01 +running .*needs a decision +– +leave$' &&
  printf '%s\n' "$out" | grep -Eq '^db01 +running .*cannot move +– +save to disk$' &&
  ok "--action decides for one guest that needs a decision and one that cannot move" ||
  not_ok "--action: exit $rc: $out"

out=$("$cli" evacuate --from "$a" --to "$b" --dry-run --action db01=migrate 2>&1); rc=$?
[ $rc -eq 2 ] && printf '%s\n' "$out" | grep -q -- '--action: “db01” cannot move' &&
  ok "--action NAME=migrate for a guest that cannot move: refused, exit 2" ||
  not_ok "--action db01=migrate: exit $rc: $out"

out=$("$cli" evacuate --from "$a" --to "$b" --dry-run --action nosuchguest=leave 2>&1); rc=$?
[ $rc -eq 2 ] && printf '%s\n' "$out" | grep -q -- '--action names “nosuchguest”, which is not a guest' &&
  ok "--action for a guest the host does not have: exit 2" ||
  not_ok "--action nosuchguest: exit $rc: $out"

# The CLI's own words for what to do, never the window's.
out=$("$cli" evacuate --from "$a" --to "$b" --dry-run 2>&1)
printf '%s\n' "$out" | grep -Fq 'Decide with --action db01=shutdown|managed-save|leave (now: leave).' &&
  printf '%s\n' "$out" | grep -Fq 'Decide with --action web01=migrate|shutdown|managed-save|leave (now: migrate).' &&
  ! printf '%s\n' "$out" | grep -Eiq 'click|button|choose “' &&
  ok "each undecided guest says which option decides it" || not_ok "no --action hint: $out"

# build01 is paused on the demo host (runstate 3).
printf '%s\n' "$out" | grep -Eq '^build01 +paused ' && ok "a paused guest is shown paused" ||
  not_ok "build01 not shown paused: $(printf '%s\n' "$out" | grep '^build01')"

# A name in another script: every column starts at the same display column on every row.
sed -e 's|<name>web01</name>|<name>wéb-数据库</name>|' -e 's|<name>web01.qcow2</name>|<name>wéb-数据库.qcow2</name>|' \
  "$MW_DEMO_DIR/hosta.xml" > "$tmp/hosta-wide.xml"
out=$("$cli" evacuate --from "test://$tmp/hosta-wide.xml" --to "$b" --dry-run 2>&1); rc=$?
if [ $rc -eq 0 ] && printf '%s\n' "$out" | python3 -c '
import sys, unicodedata
def width(s):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
rows, on = [], False
for line in sys.stdin.read().splitlines():
    if line.startswith("GUEST"): on = True
    elif on and not line: break
    if on and not line.startswith(" "): rows.append(line)
# Where each row'"'"'s group and action columns start, in display columns.
starts = set()
for r in rows[1:]:
    for word in ("needs a decision", "cannot move", "ready"):
        if word in r:
            starts.add(width(r[:r.index(word)]))
header = width(rows[0][:rows[0].index("GROUP")])
sys.exit(0 if len(rows) == 9 and any("数据库" in r for r in rows) and starts == {header} else 1)
'; then ok "the plan's columns line up by display width (a CJK name)"
else not_ok "misaligned plan: exit $rc: $out"; fi

# bring-back of a file that is not there: a sentence naming --report, exit 2 (bad input).
out=$("$cli" bring-back --report "$tmp/none.json" 2>&1); rc=$?
[ $rc -eq 2 ] && printf '%s\n' "$out" | grep -q -- '--report: there is no file' &&
  ! printf '%s\n' "$out" | grep -q 'Failed to open' &&
  ok "bring-back of a missing report: a plain sentence, exit 2" ||
  not_ok "bring-back missing file: exit $rc: $out"

out=$("$cli" evacuate --from "$a" --to "$b" --action web01 2>&1); rc=$?
[ $rc -eq 2 ] && printf '%s\n' "$out" | grep -q -- '--action takes NAME=ACTION, not “web01”' &&
  ok "--action without =ACTION: exit 2" || not_ok "--action web01: exit $rc: $out"

exit $failed
