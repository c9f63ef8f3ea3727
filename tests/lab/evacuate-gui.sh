# SPDX-License-Identifier: GPL-3.0-or-later
# evacuate-gui.sh: Evacuate Host… and Bring Back… in the real window on the lab (issue #13),
# sourced by run-lab-suite (which provides ok, not_ok, check, note, $lab, $tmp):
#   . "$here/evacuate-gui.sh"; run_evacuate_gui
#
# In the suite it runs on the guests evacuate.sh's command-line case left up on hosta
# (run_evacuate keep, then run_evacuate_gui shared): labguest, labextra1 and labextra2 move, two
# at once (parallel 2, so one waits its turn), labstore (its disk on hosta only) cannot move and
# is left by the user's choice. Alone, labextra1 and labstore join labguest: three guests, as
# issue #13 asks, two that move at once and one that cannot move.
# test-lab-gui-evacuate ($MW_GUI_EVACUATE_TEST) drives the window under Xvfb: hosta evacuated to
# hostb two at a time, labstore left where it is through its row's drop-down, then brought back;
# it prints what each page showed. Every shown fact is compared here with the lab's own view,
# taken independently: after the evacuation (while the window waits) and after the bring-back,
# by virsh on both hosts each mover runs exactly once, where it should, and is defined nowhere
# else; boot ids unchanged; the per-guest ping gap of the saved report within 200 ms of the lab's
# own pinger for that guest (evacuate.sh's ev_gaps, which also wants two migrations at once);
# the plan page's groups, the progress rows and the summary's cells agree with the saved report,
# and its sentence counts as the report does ("2 moved, 1 left where it was, as chosen").
# `# evacuate_gui: …` lines say where the time went. Screenshots of every page stay in $MW_SCREENSHOT_DIR (or $tmp/gui-evacuate).
#
#   run_evacuate_gui shared                     sourced by run-lab-suite, after run_evacuate keep:
#                                               the guests are up on hosta and stay up
#   bash tests/lab/evacuate-gui.sh LAB TEST     alone, with the lab up: prints TAP
#
# Alone it expects labguest on hosta, idle, and no extra guests, and leaves it so. Runs under
# `set -u`.

EVG_HERE=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
# The lab helpers of the command line's case: ev_where, ev_bootid, ev_check, ev_pinger,
# ev_exactly_on, ev_gaps.
# shellcheck source=evacuate.sh
. "$EVG_HERE/evacuate.sh"
# The guests that move here (evacuate.sh's helpers read EV_MOVERS; run_evacuate_gui makes it
# this list for its own calls only): alone, and on evacuate.sh's guests.
EVG_MOVERS="labguest labextra1"
EVG_SHARED_MOVERS="labguest labextra1 labextra2"

# evg_truth PHASE TO FROM: the lab's view after a pass (pingers stopped, their logs kept in
# $tmp), as TAP lines on standard output. $tmp is the pass's own directory here.
evg_truth ()
{
  local phase=$1 to=$2 from=$3 name
  ev_pingers_stop
  # Every guest at once (lab-helpers.sh), then the TAP lines in order.
  for name in $EV_MOVERS; do
    lab_bg "on-$name" ev_exactly_on "$name" "$to" "$from"
    lab_bg "boot-$name" ev_check "$name" "${EV_BOOT[$name]}"
  done
  lab_bg on-labstore ev_exactly_on labstore hosta hostb
  lab_bg boot-labstore ev_check labstore "${EV_BOOT[labstore]}"
  lab_bg gaps ev_gaps "$EVG_DIR/gui-$phase.json"
  lab_bg_wait
  for name in $EV_MOVERS; do
    lab_bg_check "on-$name" "(gui) $phase: $name runs on $to exactly once, gone from $from"
    lab_bg_check "boot-$name" "(gui) $phase: $name never rebooted"
  done
  lab_bg_check on-labstore "(gui) $phase: labstore left running on hosta, same boot"
  lab_bg_check boot-labstore "(gui) $phase: labstore never rebooted"
  lab_bg_check gaps "(gui) $phase: the saved report's ping gap per guest matches the lab's pinger"
}

# evg_compare SHOWN PHASE TO: what the window showed against the report it saved ($EV_MOVERS
# moved, labstore left).
evg_compare ()
{
  python3 - "$@" $EV_MOVERS <<'PY'
import json, re, sys
shown_path, phase, to = sys.argv[1:4]
movers = sys.argv[4:]
lines = [l.rstrip("\n").split("=", 1) for l in open(shown_path, encoding="utf-8") if "=" in l]
def get(key):
    return [v for k, v in lines if k == "%s-%s" % (phase, key)]
report = json.load(open(get("report")[0]))
guests = {g["name"]: g for g in report["guests"]}
expected = movers + (["labstore"] if phase == "evac" else [])
fail = []
group_word = {"ready": "Ready", "needs-decision": "Needs a decision", "cannot-move": "Cannot move"}
print("# %s plan: %s" % (phase, get("plan-status")))
plan = {}
for row in get("plan"):
    cells = row.split("|")
    print("#   plan row: %s" % row)
    plan[cells[1]] = cells
if sorted(plan) != sorted(expected):
    fail.append("plan rows %s, expected %s" % (sorted(plan), sorted(expected)))
for name, cells in plan.items():
    g = guests.get(name)
    if g is None:
        fail.append("%s on the plan page, not in the report" % name); continue
    if group_word[g["group"]] not in cells:
        fail.append("%s: the plan row says %s, the report %s" % (name, cells[2:4], g["group"]))
if phase == "evac":
    if guests.get("labstore", {}).get("group") != "cannot-move":
        fail.append("labstore (disk on hosta only) is not 'cannot move'")
    status = get("plan-status")[0]
    m = re.search(r"(\d+) guests checked: (\d+) ready, (\d+) need a decision, (\d+) cannot move", status)
    counts = [sum(g["group"] == k for g in guests.values()) for k in ("ready", "needs-decision", "cannot-move")]
    if not m or [int(x) for x in m.groups()] != [len(guests)] + counts:
        fail.append("plan status %r, the report counts %s" % (status, counts))
decided = dict(d.split("|", 1) for d in get("decided"))
print("# %s decided: %s" % (phase, decided))
for name, g in guests.items():
    want = {"cannot-move": "Leave it", "needs-decision": "Migrate anyway"}.get(g["group"])
    if decided.get(name) != want:
        fail.append("%s (%s): decided %s, expected %s" % (name, g["group"], decided.get(name), want))
    if want == "Leave it" and g["action"] != "leave":
        fail.append("%s: chosen Leave it, the report's action is %s" % (name, g["action"]))
progress = dict(p.split("|", 1) for p in get("progress"))
points = dict(p.split("|", 1) for p in get("chart-points"))
for name in movers:
    seen = progress.get(name, "")
    print("#   %s row: %s; chart %s points" % (name, seen, points.get(name)))
    if "Migrating" not in seen or not seen.split(">")[-1].startswith("Done"):
        fail.append("%s: its progress row showed %r (Migrating, then Done expected)" % (name, seen))
    if int(points.get(name, "0")) < 2:
        fail.append("%s: its chart drew %s points while it migrated" % (name, points.get(name)))
    # The window was given no address: each mover's was discovered, pinged, and kept.
    want_ip = "10.77.0.10" if name == "labguest" else "10.77.0.2" + name[-1]
    if guests.get(name, {}).get("ping_address") != want_ip:
        fail.append("%s: ping_address %r in the report, the lab's %s" % (name, guests.get(name, {}).get("ping_address"), want_ip))
if phase == "evac" and guests.get("labstore", {}).get("to") is not None:
    fail.append("labstore, left where it is, has 'to' %r in the report" % guests["labstore"]["to"])
if get("max-migrating") != [str(report["max_running"])] or report["max_running"] != 2:
    fail.append("rows migrating at once: %s on the page, %s in the report (2 expected)"
                % (get("max-migrating"), report["max_running"]))
def seconds(text):
    m = re.match(r"^([\d.]+) s$", text)
    return float(m.group(1)) * 1000 if m else None
print("# %s outcome: %s" % (phase, get("outcome")))
rows = {}
for row in get("summary"):
    cells = row.split("|")
    print("#   summary row: %s" % row)
    rows[cells[0]] = cells
if sorted(rows) != sorted(expected):
    fail.append("summary rows %s, expected %s" % (sorted(rows), sorted(expected)))
for name, cells in rows.items():
    g = guests[name]
    host = "hosta" if g["now_on"].endswith("@hosta/system") else "hostb"
    now_on, outcome = cells[1], cells[2]
    # "(checked)" exactly when the hosts were asked; every mover must have been.
    if (not now_on.split(" (")[0].endswith(host) or ("(checked)" in now_on) != g["verified"]
            or (name in movers and not g["verified"])):
        fail.append("%s: 'Now On' %r, the report says %s (checked: %s)" % (name, now_on, g["now_on"], g["verified"]))
    if name in movers:
        if host != to or outcome != "Moved" or g["state"] != "done":
            fail.append("%s: %s on %s, the report %s on %s (Moved to %s expected)" % (name, outcome, now_on, g["state"], host, to))
        for i, key in ((3, "time_ms"), (5, "ping_gap_ms")):
            ms = seconds(cells[i])
            if ms is None or g[key] is None or abs(ms - g[key]) > 50:
                fail.append("%s: %s shown %r, %s ms in the report" % (name, key, cells[i], g[key]))
    elif outcome != "Left" or host != "hosta":
        fail.append("labstore: %s on %s (Left on hosta expected)" % (outcome, host))
outcome = get("outcome")[0]
# The sentence counts as the report does: evacuated, the movers moved and labstore left by choice
# ("all 3 … where they were to go" was untrue); brought back, the movers.
moved = sum(g["action"] == "migrate" and g["state"] == "done" for g in guests.values())
left = sum(g["action"] == "leave" for g in guests.values())
want = "%d moved" % moved + (", %d left where it was, as chosen" % left if left else "") + "."
if (moved, left) != ((len(movers), 1) if phase == "evac" else (len(movers), 0)) \
        or not re.match(r"^Done in [\d.:]+( s)?: " + re.escape(want) + "$", outcome):
    fail.append("%s outcome %r, expected 'Done in …: %s'" % (phase, outcome, want))
for f in fail:
    print("# " + f)
sys.exit(1 if fail else 0)
PY
}

# evg_all_on_hosta NAME...: each runs on hosta, by virsh.
evg_all_on_hosta ()
{
  local name st rc=0
  for name in "$@"; do
    st=$("$lab" virsh hosta domstate "$name" 2>&1)
    [ "$st" = running ] || { echo "$name on hosta: $st"; rc=1; }
  done
  return "$rc"
}

evg_since () { awk -v a="$1" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f s", (b - a) / 1e9 }'; }

# evg_times SHOWN: where the window program's time went, from its ms-WHAT= marks.
evg_times ()
{
  awk -F= '/^(ms-[a-z-]+|wall-ms)=/ { t[$1] = $2 }
    function d(a, b) { return (a in t && b in t) ? sprintf("%.1f s", (t[b] - t[a]) / 1000) : "?" }
    END {
      t["ms-0"] = 0
      printf "# evacuate_gui: window start-up and connecting %s, evacuation: plan %s, decide %s, run %s, summary and report %s\n",
        d("ms-0", "ms-connected"), d("ms-connected", "ms-evac-planned"), d("ms-evac-planned", "ms-evac-started"),
        d("ms-evac-started", "ms-evac-finished"), d("ms-evac-finished", "ms-evac-read")
      printf "# evacuate_gui: lab checks after the evacuation %s; bring back: plan %s, decide %s, run %s, summary and report %s; program %s\n",
        d("ms-evac-read", "ms-hook-done"), d("ms-hook-done", "ms-back-planned"), d("ms-back-planned", "ms-back-started"),
        d("ms-back-started", "ms-back-finished"), d("ms-back-finished", "ms-back-read"), d("ms-0", "wall-ms")
    }' "$1"
}

run_evacuate_gui ()
{
  local rc=0 store_pid name t0 t1 shown hook_env shared=${1:-} EV_MOVERS=$EVG_MOVERS
  [ "$shared" != shared ] || EV_MOVERS=$EVG_SHARED_MOVERS
  if [ -z "${MW_GUI_EVACUATE_TEST:-}" ] || ! command -v xvfb-run > /dev/null; then
    ok "(gui) evacuate skipped: no test-lab-gui-evacuate or no xvfb-run # SKIP"
    return 0
  fi
  t0=$(date +%s%N)
  EVG_DIR=${MW_SCREENSHOT_DIR:-$tmp/gui-evacuate}
  mkdir -p "$EVG_DIR" "$tmp/gui-evac" "$tmp/gui-back"
  shown=$tmp/gui-evacuate.shown
  declare -gA EV_BOOT=()
  if [ "$shared" = shared ]; then
    check "(gui) evacuate: $EV_MOVERS and labstore run on hosta, as evacuate.sh left them" \
      evg_all_on_hosta $EV_MOVERS labstore
  else
    "$lab" local-guest start > "$tmp/evg-labstore.out" 2>&1 &
    store_pid=$!
    check "(gui) evacuate: an extra guest up on hosta" "$lab" guests up 1
    wait "$store_pid" || rc=$?
    note < "$tmp/evg-labstore.out"
    if [ $rc -eq 0 ]; then ok "(gui) evacuate: labstore (disk on hosta only) starts"
    else not_ok "(gui) evacuate: labstore starts (exit $rc)"; fi
  fi
  ev_bootids $EV_MOVERS labstore
  { declare -p EV_BOOT; echo "EV_MOVERS='$EV_MOVERS'"; } > "$tmp/evg-boot"
  for name in $EV_MOVERS; do ev_pinger "$name" start > /dev/null & done
  wait
  echo "# evacuate_gui: guests up, pingers started: $(evg_since "$t0")"

  # After the evacuation, while the window waits: the lab's view, then the pingers again.
  hook_env="bash '$EVG_HERE/evacuate-gui.sh' --truth '$lab' '$tmp' evac hostb hosta"
  rc=0
  MW_GUI_AFTER_EVACUATE="$hook_env > '$tmp/gui-evac.tap' 2>&1" \
    GSK_RENDERER=cairo timeout 240 xvfb-run -a -s '-screen 0 1280x1024x24' \
    "$MW_GUI_EVACUATE_TEST" "$EVG_DIR" > "$shown" 2> "$tmp/gui-evacuate.err" || rc=$?
  grep -v -e DEBUG -e '^ *$' "$tmp/gui-evacuate.err" | tail -n 20 | note
  evg_times "$shown"
  # The lab's view after the evacuation, as the hook took it.
  if [ -s "$tmp/gui-evac.tap" ]; then
    while IFS= read -r line; do
      case $line in
        "ok "*) ok "${line#ok * - }" ;;
        "not ok "*) not_ok "${line#not ok * - }" ;;
        *) echo "$line" ;;
      esac
    done < "$tmp/gui-evac.tap"
  else
    not_ok "(gui) evacuate: the lab's view was never taken after the evacuation"
  fi
  if [ $rc -ne 0 ]; then
    not_ok "(gui) evacuate: test-lab-gui-evacuate exit $rc"
    for name in $EV_MOVERS; do ev_pinger "$name" stop > /dev/null 2>&1; done
  else
    ok "(gui) evacuate: the window went through both passes ($(grep '^wall-ms=' "$shown"))"
    check "(gui) evacuate: plan, decisions, progress rows and summary agree with the saved report" \
      evg_compare "$shown" evac hostb
    check "(gui) evacuate: Bring Back… offered once guests had moved" \
      grep -qx 'bring-back-enabled=yes' "$shown"
    EVG_TMP=$tmp
    tmp=$tmp/gui-back
    t1=$(date +%s%N)
    evg_truth back hosta hostb
    echo "# evacuate_gui: lab checks after the bring-back $(evg_since "$t1")"
    tmp=$EVG_TMP
    check "(gui) bring back: plan, progress rows and summary agree with the saved report" \
      evg_compare "$shown" back hosta
  fi
  t1=$(date +%s%N)
  if [ "$shared" != shared ]; then
    check "(gui) evacuate: extra guests removed" "$lab" guests down
    "$lab" local-guest destroy > /dev/null 2>&1 || true
  fi
  # The suite goes on with labguest on hosta, whatever happened.
  if [ "$(ev_where labguest)" != hosta ] && [ -n "${cli:-}" ]; then
    "$cli" migrate --from "$EV_B_URI" --to "$EV_A_URI" labguest > /dev/null 2>&1 || true
  fi
  check "(gui) evacuate: labguest runs on hosta as before" \
    bash -c "[ \"\$('$lab' guest where)\" = hosta ]"
  echo "# evacuate_gui: clean-up $(evg_since "$t1"); wall $(evg_since "$t0")"
  echo "# FIGURE gui-evacuate seconds=$(( ($(date +%s%N) - t0) / 1000000000 ))"
}

# --truth LAB TMP PHASE TO FROM: the hook the window runs after its evacuation (TAP lines).
if [ "${BASH_SOURCE[0]}" = "$0" ] && [ "${1:-}" = --truth ]; then
  set -u
  lab=$2 tmp=$3/gui-$4 EVG_DIR=${MW_SCREENSHOT_DIR:-$3/gui-evacuate}
  # shellcheck source=lab-helpers.sh
  . "$EVG_HERE/lab-helpers.sh"
  lab_tap_alone
  # EV_BOOT and EV_MOVERS, as run_evacuate_gui wrote them.
  # shellcheck disable=SC1091
  . "$3/evg-boot"
  evg_truth "$4" "$5" "$6"
  # The bring-back is pinged too.
  for name in $EV_MOVERS; do ev_pinger "$name" start > /dev/null & done
  wait
  exit 0
fi

# Alone: bash tests/lab/evacuate-gui.sh LAB TEST, with the lab up.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -u
  lab=${1:?usage: evacuate-gui.sh LAB TEST}
  MW_GUI_EVACUATE_TEST=${2:?usage: evacuate-gui.sh LAB TEST}
  # shellcheck source=lab-helpers.sh
  . "$EVG_HERE/lab-helpers.sh"
  lab_tap_alone
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  run_evacuate_gui
  echo "1..$n"
fi
