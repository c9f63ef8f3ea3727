# SPDX-License-Identifier: GPL-3.0-or-later
# lab-helpers.sh: what the lab suite's parts share, sourced by them (cli-options.sh, parallel.sh,
# policy.sh, faults.sh, evacuate.sh, evacuate-gui.sh, gui.sh, userlab.sh).
#
#   lab_tap_alone                     ok, not_ok, note, check and now_ms for a part run alone
#                                     (bash tests/lab/PART.sh …): a TAP of its own
#   lab_domain_state LAB HOST GUEST   "running,persistent", "shut off,persistent",
#                                     "running,transient" … or "absent", by virsh on HOST
#   lab_moved LAB FROM TO GUEST JOB   after a migration FROM → TO, by libvirt on both hosts: the
#                                     guest runs persistent on TO, is gone from FROM, and JOB (TO's
#                                     `virsh domjobinfo --completed`, which the caller has read
#                                     for its notes) says Completed; JOB --no-job after post-copy,
#                                     which leaves none. Prints what is wrong, one line each; exit
#                                     1 if anything is.
#   lab_bg, lab_bg_wait, lab_bg_check  read-only checks of several guests at once (below)

lab_tap_alone ()
{
  n=0
  ok ()     { n=$((n + 1)); echo "ok $n - $*"; }
  not_ok () { n=$((n + 1)); echo "not ok $n - $*"; }
  note ()   { sed 's/^/# /'; }
  now_ms () { local t; t=$(date +%s%N); echo $(( t / 1000000 )); }
  check ()
  {
    local what=$1 out rc=0
    shift
    out=$("$@" 2>&1) || rc=$?
    [ -z "$out" ] || printf '%s\n' "$out" | note
    if [ $rc -eq 0 ]; then ok "$what"; else not_ok "$what (exit $rc)"; fi
    return $rc
  }
}

lab_domain_state ()
{
  local info st pers
  info=$("$1" virsh "$2" dominfo "$3" 2> /dev/null) || { echo absent; return; }
  st=$(printf '%s\n' "$info" | sed -n 's/^State: *//p')
  pers=$(printf '%s\n' "$info" | sed -n 's/^Persistent: *//p')
  [ "$pers" = yes ] && pers=persistent || pers=transient
  echo "$st,$pers"
}

lab_moved ()
{
  local lab=$1 from=$2 to=$3 guest=$4 job=$5 st rc=0
  if [ "$job" != --no-job ]; then
    grep -q '^Job type: *Completed' <<< "$job" || { echo "$to keeps no completed job"; rc=1; }
  fi
  st=$(lab_domain_state "$lab" "$to" "$guest")
  [ "$st" = "running,persistent" ] || { echo "$to: $st, expected running,persistent"; rc=1; }
  st=$(lab_domain_state "$lab" "$from" "$guest")
  [ "$st" = absent ] || { echo "$from: $st, expected absent"; rc=1; }
  return "$rc"
}

# The lab's read-only checks of several guests at once: each `$lab` call is a process tree of its
# own (nsenter, virsh, curl) that mostly waits, so a check per guest one after the other cost
# most of the time between two migrations. lab_bg starts one; lab_bg_wait waits for all started;
# lab_bg_check prints the TAP line of one, as check would have (output as notes, then ok/not ok
# with the exit status), in the order the caller asks for.
#   lab_bg ID COMMAND...              COMMAND in the background, its output and exit kept as ID
#   lab_bg_wait                       every lab_bg since the last lab_bg_wait has ended
#   lab_bg_check ID DESCRIPTION       the TAP line of ID; returns its exit status
LAB_BG_PIDS=()
lab_bg ()
{
  local id=$1
  shift
  mkdir -p "$tmp/bg"
  ( rc=0; "$@" > "$tmp/bg/$id.out" 2>&1 || rc=$?; echo "$rc" > "$tmp/bg/$id.rc" ) &
  LAB_BG_PIDS+=("$!")
}

lab_bg_wait ()
{
  local pid
  for pid in "${LAB_BG_PIDS[@]}"; do wait "$pid"; done
  LAB_BG_PIDS=()
}

lab_bg_check ()
{
  local id=$1 what=$2 rc
  rc=$(cat "$tmp/bg/$id.rc" 2> /dev/null || echo 255)
  [ ! -s "$tmp/bg/$id.out" ] || note < "$tmp/bg/$id.out"
  if [ "$rc" -eq 0 ]; then ok "$what"; else not_ok "$what (exit $rc)"; fi
  return "$rc"
}
