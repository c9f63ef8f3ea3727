# SPDX-License-Identifier: GPL-3.0-or-later
# evacuate.sh: `mig-wizard-cli evacuate` and `bring-back` on the lab (issue #13), sourced by
# run-lab-suite (which provides ok, not_ok, check, note, $lab, $cli, $tmp):
#   . "$here/evacuate.sh"; run_evacuate
#
# Two extra small guests (labextra1, labextra2) join labguest on hosta, three guests each pinged
# by its own lab pinger, and labstore, whose disk only hosta has, cannot move (all four boot at
# once). hosta is evacuated to hostb two migrations at a time, labstore suspended to disk where it is (managed save: the lab's busybox
# guests ignore the ACPI power button a shutdown would press). Then, by virsh on both hosts:
# every moved guest runs on hostb exactly once and is no longer defined on hosta, never rebooted
# (same boot id), with a per-guest ping gap in the report within 200 ms of the longest gap its lab
# pinger saw while that guest's job ran (the lab pingers run through the whole evacuation, and
# another guest's switch-over can stall this one's replies too);
# labstore shut off on hosta with a managed save, listed as "cannot move" before anything ran.
# bring-back then returns every guest to hosta (labstore restored, same boot id). Stop all
# mid-way (run_evacuate_stop): the same evacuation with a 2 MiB/s cap, Ctrl+C once two
# migrations run; then by virsh on both hosts every guest runs exactly once (running, not paused,
# no incoming shell or leftover definition on the other host), with the same boot id, and the
# report says where each one is: moved (done, now on hostb) or stayed (now on hosta); a guest
# that stayed keeps the migration speed it had (`virsh migrate-getspeed`: the cap's shares must
# not stay behind); whatever moved is brought back. At the end the extra guests and labstore are removed; labguest runs on
# hosta as before.
#
#   run_evacuate [keep]                      sourced by run-lab-suite (keep: the extra guests
#                                            and labstore stay up on hosta for evacuate-gui.sh;
#                                            ev_guests_down removes them)
#   bash tests/lab/evacuate.sh LAB CLI [stop]  alone, with the lab up: prints TAP (stop: only
#                                            the stop-all case, with its guests brought up)
#
# Runs under `set -u`.

# shellcheck source=lab-helpers.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lab-helpers.sh"

EV_A_URI=qemu+ssh://root@hosta/system
EV_B_URI=qemu+ssh://root@hostb/system
EV_MOVERS="labguest labextra1 labextra2"

ev_where ()   # ev_where NAME: the hosts it runs on
{
  case "$1" in
    labguest) "$lab" guest where ;;
    labstore) "$lab" local-guest where ;;
    *) "$lab" guests where "$1" ;;
  esac
}

ev_bootid ()
{
  case "$1" in
    labguest) "$lab" guest bootid ;;
    labstore) "$lab" local-guest bootid ;;
    *) "$lab" guests bootid "$1" ;;
  esac
}

ev_check ()   # ev_check NAME BOOT_ID: answers, same boot, no oops
{
  case "$1" in
    labguest) "$lab" guest check "$2" ;;
    labstore) "$lab" local-guest check "$2" ;;
    *) "$lab" guests check "$1" "$2" ;;
  esac
}

ev_pinger ()   # ev_pinger NAME start|stop|log
{
  if [ "$1" = labguest ]; then "$lab" pinger "$2"; else "$lab" guests pinger "$1" "$2"; fi
}

# Runs on HOST exactly once, and no longer defined on OTHER.
ev_exactly_on ()
{
  local name=$1 host=$2 other=$3 n
  n=$("$lab" virsh "$host" list --name | grep -cx "$name" || true)
  [ "$n" -eq 1 ] || { echo "$name: listed running $n times on $host"; return 1; }
  [ "$(ev_where "$name")" = "$host" ] || { echo "$name runs on: $(ev_where "$name")"; return 1; }
  if "$lab" virsh "$other" dominfo "$name" > /dev/null 2>&1; then
    echo "$name is still defined on $other"; return 1
  fi
}

# ev_gaps REPORT: each guest's ping gap in the report against the longest gap its lab pinger
# ($tmp/pinger-NAME.log, ping -D) saw while the guest's own job ran (its report's start and call
# time, with the job pinger's lead-in and tail around it).
ev_gaps ()
{
  python3 - "$1" "$tmp" $EV_MOVERS <<'PY'
import datetime, json, os, re, sys
path, tmp, names = sys.argv[1], sys.argv[2], sys.argv[3:]
report = json.load(open(path))
guests = {g["name"]: g for g in report["guests"]}
fail = []
for name in names:
    g = guests.get(name)
    if g is None or g.get("report") is None:
        fail.append("%s: not in the report, or no job report" % name); continue
    job = json.load(open(os.path.join(os.path.dirname(path), g["report"])))
    start = datetime.datetime.fromisoformat(job["started"].replace("Z", "+00:00")).timestamp()
    end = start + job["summary"]["total_time_ms"] / 1000.0
    replies = []
    for line in open(os.path.join(tmp, "pinger-%s.log" % name)):
        m = re.match(r"\[(\d+\.\d+)\] .*bytes from", line)
        if m:
            replies.append(float(m.group(1)))
    window = [t for t in replies if start - 1.5 <= t <= end + 3.0]
    lab_ms = max((b - a for a, b in zip(window, window[1:])), default=float("inf")) * 1000
    gap = g["ping_gap_ms"]
    print("# %-10s %-5s time %6s ms  downtime %5s ms  ping gap %5s ms  lab pinger %5.0f ms  now on %s"
          % (name, g["state"], g["time_ms"], g["downtime_ms"], gap, lab_ms, g["now_on"]))
    if g["state"] != "done":
        fail.append("%s: %s (%s)" % (name, g["state"], g["message"]))
    if gap is None or abs(gap - lab_ms) > 200:
        fail.append("%s: ping gap %s ms in the report, %.0f ms by the lab's pinger" % (name, gap, lab_ms))
print("# at most %d migrations at once, %d ms in all" % (report["max_running"], report["total_time_ms"]))
if report["max_running"] != 2:
    fail.append("max_running %d, not 2" % report["max_running"])
for f in fail:
    print("# " + f)
sys.exit(1 if fail else 0)
PY
}

# ev_pingers_stop: every mover's lab pinger stopped, its log in $tmp/pinger-NAME.log (all at once).
ev_pingers_stop ()
{
  local name
  for name in $EV_MOVERS; do
    ( ev_pinger "$name" stop > /dev/null; ev_pinger "$name" log > "$tmp/pinger-$name.log" ) &
  done
  wait
}

# ev_bootids NAME...: EV_BOOT[NAME] for each, asked at once.
ev_bootids ()
{
  local name
  mkdir -p "$tmp/bg"
  for name in "$@"; do ev_bootid "$name" > "$tmp/bg/bootid-$name" 2> /dev/null & done
  wait
  for name in "$@"; do EV_BOOT[$name]=$(cat "$tmp/bg/bootid-$name"); done
}

# ev_move WHAT FROM_HOST TO_HOST COMMAND…: runs an evacuation or bring-back with every mover
# pinged by the lab, then checks where each runs, its boot id, and its ping gap.
ev_move ()
{
  local what=$1 from=$2 to=$3 out=$4 name rc=0 t0
  shift 4
  for name in $EV_MOVERS; do ev_pinger "$name" start > /dev/null & done
  wait
  sleep 1
  t0=$(date +%s%N)
  "$cli" "$@" > "$tmp/$out.out" 2>&1 || rc=$?
  echo "# $what: $(( ($(date +%s%N) - t0) / 1000000 )) ms, exit $rc"
  note < "$tmp/$out.out"
  sleep 1
  ev_pingers_stop
  if [ $rc -eq 0 ]; then ok "$what: exit 0"; else not_ok "$what: exit $rc"; fi
  for name in $EV_MOVERS; do
    lab_bg "on-$name" ev_exactly_on "$name" "$to" "$from"
    lab_bg "boot-$name" ev_check "$name" "${EV_BOOT[$name]}"
  done
  lab_bg_wait
  for name in $EV_MOVERS; do
    lab_bg_check "on-$name" "$what: $name runs on $to exactly once, gone from $from"
    lab_bg_check "boot-$name" "$what: $name never rebooted"
  done
  check "$what: ping gaps per guest in the report match the lab's pingers" \
    ev_gaps "$tmp/$out.json"
}

run_evacuate ()
{
  local name rc=0 store_pid state info
  declare -gA EV_BOOT=()
  # All four boot at once: labstore in the background while the extra guests come up.
  "$lab" local-guest start > "$tmp/labstore-start.out" 2>&1 &
  store_pid=$!
  check "evacuate: 2 extra guests up on hosta, each answering ping" "$lab" guests up 2
  rc=0; wait "$store_pid" || rc=$?
  note < "$tmp/labstore-start.out"
  if [ $rc -eq 0 ]; then ok "evacuate: labstore (disk on hosta only) starts"
  else not_ok "evacuate: labstore (disk on hosta only) starts (exit $rc)"; fi
  ev_bootids $EV_MOVERS labstore

  ev_move "evacuate hosta → hostb, 2 at once" hosta hostb evac \
    evacuate --from "$EV_A_URI" --to "$EV_B_URI" --parallel 2 --cannot-move managed-save \
    --address labguest=10.77.0.10 --address labextra1=10.77.0.21 \
    --address labextra2=10.77.0.22 --report "$tmp/evac.json"

  # labstore: in the plan as "cannot move" before anything ran, then saved to disk on hosta.
  if awk '/ (checking|migrating|working)/ { exit 1 } /^labstore .*cannot move.*save to disk/ { found = 1 }
          END { exit !found }' "$tmp/evac.out"; then
    ok "evacuate: labstore listed up front as cannot move, to be saved to disk"
  else
    not_ok "evacuate: labstore not listed up front as cannot move / save to disk"
  fi
  # (Whole outputs, then grep: under pipefail `virsh … | grep -q` fails when grep exits first.)
  state=$("$lab" virsh hosta domstate labstore 2>&1)
  info=$("$lab" virsh hosta dominfo labstore 2>&1)
  if [ "$state" = "shut off" ] && grep -Eq '^Managed save: +yes' <<< "$info" &&
     python3 -c 'import json,sys; g={g["name"]: g for g in json.load(open(sys.argv[1]))["guests"]}["labstore"]; sys.exit(not (g["action"] == "managed-save" and g["state"] == "done" and g["group"] == "cannot-move" and g["verified"]))' "$tmp/evac.json"; then
    ok "evacuate: labstore shut off on hosta with a managed save, and reported so"
  else
    not_ok "evacuate: labstore on hosta: $state; $(printf '%s\n' "$info" | grep -i managed)"
  fi

  ev_move "bring-back hostb → hosta" hostb hosta evac-back \
    bring-back --report "$tmp/evac.json" --parallel 2
  check "bring-back: labstore restored on hosta from its managed save, same boot" \
    ev_check labstore "${EV_BOOT[labstore]}"

  run_evacuate_stop

  [ "${1:-}" = keep ] || ev_guests_down
}

# As the suite expects it: labguest on hosta, nothing else.
ev_guests_down ()
{
  check "evacuate: extra guests removed" "$lab" guests down
  "$lab" local-guest destroy > /dev/null 2>&1 || true
  check "evacuate: labguest runs on hosta as before" bash -c "[ \"\$('$lab' guest where)\" = hosta ]"
}

# ev_stopped REPORT OUTPUT: after a stop, each guest where the report says, exactly once and
# running (not paused), with nothing of it on the other host (no incoming shell, no leftover
# definition), the same boot; the report's state agrees (done: on hostb; otherwise on hosta),
# and a guest whose migration had started was checked on both hosts. Fails with the reasons.
ev_stopped ()
{
  local report=$1 output=$2 name fail=0 moved=0 stayed=0
  # Each guest by the lab's own means at once; the verdicts in the guests' order.
  mkdir -p "$tmp/bg"
  for name in $EV_MOVERS labstore; do
    ev_stopped_one "$report" "$output" "$name" > "$tmp/bg/stopped-$name" 2>&1 &
  done
  wait
  for name in $EV_MOVERS labstore; do
    grep -v '^RESULT ' "$tmp/bg/stopped-$name"
    case "$(sed -n 's/^RESULT //p' "$tmp/bg/stopped-$name")" in
      "hostb 0") moved=$((moved + 1)) ;;
      "hosta 0") stayed=$((stayed + 1)) ;;
      "hostb 1") moved=$((moved + 1)); fail=1 ;;
      "hosta 1") stayed=$((stayed + 1)); fail=1 ;;
      *) fail=1 ;;
    esac
  done
  echo "# moved $moved, stayed $stayed"
  # Stopped while two ran: at least the queued third mover and labstore stayed.
  [ "$stayed" -ge 2 ] || { echo "only $stayed guests stayed: the stop came too late"; fail=1; }
  return $fail
}

# ev_stopped_one REPORT OUTPUT NAME: ev_stopped's checks of one guest; the last line is
# "RESULT HOST FAIL" (the host the report names, 1 if anything is wrong).
ev_stopped_one ()
{
  local report=$1 output=$2 name=$3 line now state verified host other s_host s_other fail=0
  line=$(python3 -c 'import json,sys; g={g["name"]: g for g in json.load(open(sys.argv[1]))["guests"]}[sys.argv[2]]; print(g["now_on"] or "?", g["state"], g["verified"])' "$report" "$name")
  read -r now state verified <<< "$line"
  case "$now" in
    "$EV_A_URI") host=hosta other=hostb ;;
    "$EV_B_URI") host=hostb other=hosta ;;
    *) echo "$name: the report says it is on “$now”"; echo "RESULT ? 1"; return ;;
  esac
  echo "# $name: $state, now on $host (checked on the hosts: $verified)"
  if [ "$host" = hostb ]; then
    [ "$state" = done ] || { echo "$name on hostb but reported $state"; fail=1; }
  else
    [ "$state" != done ] || { echo "$name reported done but on hosta"; fail=1; }
  fi
  if grep -Eq " $name +migrating" "$output" && [ "$verified" != True ]; then
    echo "$name: its migration was stopped, but where it is was not checked"; fail=1
  fi
  s_host=$("$lab" virsh "$host" domstate "$name" 2>&1)
  s_other=$("$lab" virsh "$other" domstate "$name" 2>&1)
  [ "$s_host" = running ] || { echo "$name on $host: $s_host"; fail=1; }
  case "$s_other" in
    *"failed to get domain"*) ;;
    *) echo "$name on $other too: $s_other"; fail=1 ;;
  esac
  ev_check "$name" "${EV_BOOT[$name]}" > /dev/null || { echo "$name: rebooted or not answering"; fail=1; }
  echo "RESULT $host $fail"
}

# Stop all mid-way: Ctrl+C while two migrations run.
# ev_speeds HOST NAME...: "NAME SPEED" for each guest, libvirt's migration speed (MiB/s) of
# the guest on HOST (`virsh migrate-getspeed`), "absent" when it is not there.
ev_speeds ()
{
  local host=$1 name speed
  shift
  for name in "$@"; do
    speed=$("$lab" virsh "$host" migrate-getspeed "$name" 2> /dev/null) || speed=absent
    echo "$name $speed"
  done
}

run_evacuate_stop ()
{
  local pid rc=0 t0 waited=0 moved
  t0=$(date +%s%N)
  # The shared cap is split and re-split between the running migrations: none of that may stay
  # on a guest once its migration is stopped (libvirt would slow every later one of it).
  ev_speeds hosta $EV_MOVERS > "$tmp/stop-speeds-before"
  "$cli" evacuate --from "$EV_A_URI" --to "$EV_B_URI" --parallel 2 --bandwidth 2 \
    --cannot-move leave --report "$tmp/stop.json" > "$tmp/stop.out" 2>&1 &
  pid=$!
  # Two " migrating → " lines: both running migrations started (at most 40 s for the plan).
  while [ "$(grep -c ' migrating → ' "$tmp/stop.out")" -lt 2 ] && kill -0 "$pid" 2> /dev/null &&
        [ $waited -lt 400 ]; do
    sleep 0.1; waited=$((waited + 1))
  done
  sleep 1
  kill -INT "$pid" 2> /dev/null
  wait "$pid" || rc=$?
  note < "$tmp/stop.out"
  echo "# stop all: $(( ($(date +%s%N) - t0) / 1000000 )) ms to the exit, exit $rc"
  if [ $rc -eq 1 ] && grep -q '^Stopping: running migrations are aborted' "$tmp/stop.out"; then
    ok "stop all: Ctrl+C while two migrations ran stopped it, exit 1"
  else
    not_ok "stop all: exit $rc (1 expected, with the stopping line)"
  fi
  check "stop all: every guest runs exactly once, not paused, same boot, where the report says" \
    ev_stopped "$tmp/stop.json" "$tmp/stop.out"
  # A guest that moved is absent on hosta; one that stayed has its speed as before.
  ev_speeds hosta $EV_MOVERS > "$tmp/stop-speeds-after"
  check "stop all: the guests left on hosta keep the migration speed they had (virsh migrate-getspeed)" \
    bash -c "cat '$tmp/stop-speeds-after'; awk 'NR == FNR { before[\$1] = \$2; next }
      \$2 != \"absent\" && \$2 != before[\$1] { print \$1 \": \" before[\$1] \" before, \" \$2 \" after\"; bad = 1 }
      END { exit bad }' '$tmp/stop-speeds-before' '$tmp/stop-speeds-after'"
  # Whatever got across before the stop goes back.
  moved=$(python3 -c 'import json,sys; print(sum(g["state"] == "done" for g in json.load(open(sys.argv[1]))["guests"]))' "$tmp/stop.json" 2> /dev/null || echo 0)
  if [ "$moved" != 0 ]; then
    check "stop all: what moved is brought back" "$cli" bring-back --report "$tmp/stop.json"
  fi
  echo "# FIGURE evacuate-stop seconds=$(( ($(date +%s%N) - t0) / 1000000000 ))"
}

# Alone: bash tests/lab/evacuate.sh LAB CLI [stop], with the lab up.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -u
  lab=${1:?usage: evacuate.sh LAB CLI [stop]}
  cli=${2:?usage: evacuate.sh LAB CLI [stop]}
  # shellcheck source=lab-helpers.sh
  . "$(dirname "${BASH_SOURCE[0]}")/lab-helpers.sh"
  lab_tap_alone
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  if [ "${3:-}" = stop ]; then
    declare -gA EV_BOOT=()
    check "stop all: 2 extra guests up on hosta" "$lab" guests up 2
    check "stop all: labstore up on hosta" "$lab" local-guest start
    ev_bootids $EV_MOVERS labstore
    run_evacuate_stop
    check "stop all: extra guests removed" "$lab" guests down
    "$lab" local-guest destroy > /dev/null 2>&1 || true
  else
    run_evacuate
  fi
  echo "1..$n"
fi
