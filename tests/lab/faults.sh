# SPDX-License-Identifier: GPL-3.0-or-later
# faults.sh: the fault suite (issue #11), sourced by run-lab-suite after the stress part (which
# provides ok, not_ok, note, now_ms, $lab, $cli, $tmp). Runs under `set -u`.
#
# A live migration of labguest hosta → hostb through mig-wizard-cli, peer-to-peer or
# client-driven, the guest dirtying 64 MiB/s over an 8 MiB/s cap (it never converges by itself,
# so there is time to hit it), hit by one fault at the moment the source's `virsh domjobinfo`
# says (FAULT_AT_MIB copied):
#   abort-start        Ctrl+C while the CLI is still preparing (before the first pass)
#   abort-pass         Ctrl+C in the middle of the first pass
#   abort-switchover   the dirtier stopped and the cap lifted so that it converges; Ctrl+C when
#                      the source's job says the last few MiB are left (either outcome is right)
#   dest-term          hostb's libvirtd stopped with SIGTERM, started again after the verdict
#   dest-kill          … with SIGKILL
#   source-kill        hosta's libvirtd killed with SIGKILL, started again after the verdict
#   link-cut           everything on the hosts' own link dropped for FAULT_CUT_S, then let through
#   dest-disk          labstore (its disk on hosta only) copied with --copy-storage all to a hostb
#                      whose pool directory is a full 64 KiB tmpfs
#   hostkey            pre-flight checks pass, then hostb's ssh host key changes, then migrate
# After each, with both hosts answering again, by the lab's own means: the guest runs (running,
# not paused) on exactly one host and `guest qemus` agrees (no stray incoming QEMU once the
# destination recovered, waited for up to FAULT_SETTLE_S), the same boot id, no oops, no write
# the dirtier lost, persistent where it runs; the CLI exited within MW_LAB_FAULT_BOUND_S of the
# fault, with 1 unless the guest moved (then 0), its last lines holding the case's sentence.
# Two TAP lines per case and one row `# FAULT case | mode | exit | time-to-verdict | pings
# lost/replies (the lab's pinger) | the case's wall time | sentence`.
#
# MW_LAB_FAULTS: "default" (each fault once, modes alternating: about 5 minutes), "all" (every
# fault in both modes), or a list such as "link-cut:client dest-kill" (no mode: both).
#
#   run_faults                          sourced by run-lab-suite
#   bash tests/lab/faults.sh LAB CLI    alone, with the lab up: prints TAP
#
# Expects labguest running on hosta; leaves it there, the dirtier stopped.

FAULT_BOUND_S=${MW_LAB_FAULT_BOUND_S:-150}
FAULT_LIST=${MW_LAB_FAULTS:-default}
FAULT_A=qemu+ssh://root@hosta/system
FAULT_B=qemu+ssh://root@hostb/system
FAULT_AT_MIB=16
# The cut lasts a little longer than the CLI's stall timeout for it (the default is 60 s: the
# same verdict from the same code, 50 s sooner).
FAULT_CUT_S=15
FAULT_STALL_S=10
FAULT_SETTLE_S=60
FAULT_STORE_IP=10.77.0.11
fault_hit_ms=0
FAULT_ALL="abort-start abort-pass abort-switchover dest-term dest-kill source-kill link-cut dest-disk hostkey"
FAULT_DEFAULT="abort-start:p2p abort-pass:client abort-switchover:p2p dest-term:client dest-kill:p2p link-cut:client source-kill:p2p dest-disk:client hostkey:p2p"

# The sentence each case's CLI must end with (extended regex over its last lines; the ’ is the
# sentence's own apostrophe).
# shellcheck disable=SC1112
fault_sentence_re ()
{
  case "$1:$2" in
    abort-start:*|abort-pass:*) echo 'The migration was stopped' ;;
    abort-switchover:*) echo 'The migration was stopped|The migration finished' ;;
    dest-term:*|dest-kill:*)
      echo 'connection to the destination host hostb was lost|destination host’s libvirt \(hostb\) stopped answering' ;;
    source-kill:*) echo 'source host’s libvirt \(hosta\) stopped answering' ;;
    link-cut:p2p) echo 'hosta lost its connection to hostb|No data reached hostb for' ;;
    link-cut:client) echo 'No data reached hostb for' ;;
    dest-disk:*) echo 'hostb has no space left for the guest' ;;
    hostkey:*) echo 'SSH host key of hostb has changed' ;;
    *) echo '^$' ;;
  esac
}

# fault_job FIELD [HOST]: a field of the source's `virsh domjobinfo` in MiB ("Data processed",
# "Memory remaining") or as is ("Iteration"); empty when there is no job.
fault_job ()
{
  "$lab" virsh "${2:-hosta}" domjobinfo "${3:-labguest}" 2> /dev/null | awk -F': *' -v f="$1" '
    $1 == f { split($2, v, " ")
              m = v[1]; u = v[2]
              if (u == "KiB") m /= 1024; else if (u == "GiB") m *= 1024; else if (u == "B" || u == "bytes") m /= 1048576
              printf "%d\n", m }'
}

# fault_wait_copied MIB PID: until the source has copied MIB, or the CLI is gone (60 s at most).
fault_wait_copied ()
{
  local want=$1 pid=$2 got deadline=$(( $(now_ms) + 60000 ))
  while [ "$(now_ms)" -lt "$deadline" ] && fault_alive "$pid"; do
    got=$(fault_job "Data processed" hosta "${3:-labguest}")
    [ -n "$got" ] && [ "$got" -ge "$want" ] && return 0
    sleep 0.2
  done
  return 1
}

fault_daemon_up () { "$lab" virsh "$1" uri > /dev/null 2>&1; }
# A child that exited is a zombie until waited for, and kill -0 still finds it.
fault_alive () { local st; st=$(sed 's/^.*) //' "/proc/$1/stat" 2> /dev/null | cut -d' ' -f1); [ -n "$st" ] && [ "$st" != Z ]; }
fault_join () { local IFS=';'; echo "$*"; }

# Both hosts answering, the link up, the lab's ssh key back, hostb's pool uncovered: each
# independent of the others, so all at once (one after the other, three times a case, they were
# a good part of the fault suite's time).
fault_recover ()
{
  local h
  "$lab" link restore > /dev/null 2>&1 &
  "$lab" ssh-hostkey hostb restore > /dev/null 2>&1 &
  "$lab" exec hostb umount /var/lib/libvirt/local-images > /dev/null 2>&1 &
  for h in hosta hostb; do
    { fault_daemon_up "$h" || "$lab" restart-libvirtd "$h" 2>&1 | note; } &
  done
  wait
}

# labguest home: running on hosta only, the dirtier stopped.
fault_home ()
{
  fault_recover
  "$lab" guest dirty 0 > /dev/null 2>&1
  if [ "$("$lab" guest where)" = hostb ]; then
    "$cli" migrate --from "$FAULT_B" --to "$FAULT_A" --quiet labguest > "$tmp/fault-home.out" 2>&1 ||
      note < "$tmp/fault-home.out"
  fi
  [ "$("$lab" guest where)" = hosta ]
}

# fault_settled NAME: the guest runs on exactly one host, libvirt and the QEMU processes agree;
# waits for a destination that cleans up late. Prints where it runs.
fault_settled ()
{
  local name=$1 where qemus deadline=$(( $(now_ms) + FAULT_SETTLE_S * 1000 ))
  while :; do
    if [ "$name" = labguest ]; then where=$("$lab" guest where); else where=$("$lab" local-guest where); fi
    qemus=$("$lab" guest qemus "$name")
    if [ "$where" = "$qemus" ] && { [ "$where" = hosta ] || [ "$where" = hostb ]; }; then
      echo "$where"
      return 0
    fi
    [ "$(now_ms)" -lt "$deadline" ] || break
    sleep 0.5
  done
  echo "libvirt: running on '$where'; QEMU processes on '$qemus'"
  return 1
}

# fault_inject CASE MODE CLI_PID: waits for the case's moment and hits, setting fault_hit_ms
# to the moment of the hit; returns once done. Disk and host key are set before the start.
fault_inject ()
{
  local c=$1 pid=$3 left deadline
  case "$c" in
    abort-start)
      deadline=$(( $(now_ms) + 20000 ))
      until grep -q '^Preparing' "$tmp/fault.out" 2> /dev/null || [ "$(now_ms)" -gt "$deadline" ]; do
        sleep 0.02
      done
      fault_hit_ms=$(now_ms); kill -INT "$pid" ;;
    abort-pass)
      fault_wait_copied "$FAULT_AT_MIB" "$pid"
      fault_hit_ms=$(now_ms); kill -INT "$pid" ;;
    abort-switchover)
      # Converging now, slowly enough to see it coming: the last MiB of a later pass go at
      # 16 MiB/s, and QEMU switches over below about 5 MiB.
      fault_wait_copied "$FAULT_AT_MIB" "$pid"
      "$lab" guest dirty 0 > /dev/null
      "$lab" virsh hosta migrate-setspeed labguest 16 > /dev/null
      deadline=$(( $(now_ms) + 90000 ))
      while fault_alive "$pid" && [ "$(now_ms)" -lt "$deadline" ]; do
        left=$("$lab" virsh hosta domjobinfo labguest 2> /dev/null | awk -F': *' '
          $1 == "Iteration" { it = $2 + 0 }
          $1 == "Memory remaining" { split($2, v, " "); m = v[1]
            if (v[2] == "KiB") m /= 1024; else if (v[2] == "GiB") m *= 1024 }
          END { if (it >= 2 && m != "") printf "%d\n", m }')
        [ -n "$left" ] && [ "$left" -le 32 ] && break
      done
      fault_alive "$pid" || echo "# fault abort-switchover: the migration ended before the abort"
      fault_hit_ms=$(now_ms); kill -INT "$pid" 2> /dev/null ;;
    dest-term|dest-kill)
      fault_wait_copied "$FAULT_AT_MIB" "$pid"
      fault_hit_ms=$(now_ms)
      "$lab" kill-libvirtd hostb "$([ "$c" = dest-term ] && echo TERM || echo KILL)" | note ;;
    source-kill)
      fault_wait_copied "$FAULT_AT_MIB" "$pid"
      fault_hit_ms=$(now_ms)
      "$lab" kill-libvirtd hosta KILL | note ;;
    link-cut)
      fault_wait_copied "$FAULT_AT_MIB" "$pid"
      fault_hit_ms=$(now_ms)
      "$lab" link cut | note ;;
    dest-disk)
      # Before the start: the CLI was started after the tmpfs went on.
      : ;;
    hostkey)
      : ;;
  esac
}

# fault_case CASE MODE: one fault, checked; appends its row to $tmp/fault-rows.
fault_case ()
{
  local c=$1 mode=$2 name=labguest ip=10.77.0.10 boot pers_before where pers rc=0 pid t_fault
  local t_end
  local verdict_ms moved=no lost replies why=() gwhy=() sentence re exit_desc extra=() restored
  local out t_check t_case
  local cli_uris=(--from "$FAULT_A" --to "$FAULT_B")

  t_case=$(now_ms)
  if ! fault_home; then
    not_ok "fault $c ($mode): labguest could not be brought home to hosta first"
    return 0
  fi
  [ "$mode" = client ] && extra+=(--client)
  [ "$c" = link-cut ] && extra+=(--stall-timeout "$FAULT_STALL_S")
  if [ "$c" = dest-disk ]; then
    name=labstore ip=$FAULT_STORE_IP
    "$lab" local-guest start 2>&1 | note
    "$lab" exec hostb mount -t tmpfs -o size=64k mwlab-full /var/lib/libvirt/local-images 2>&1 | note
    extra+=(--copy-storage all)
  fi
  if [ "$c" = hostkey ]; then
    "$cli" check "${cli_uris[@]}" --timeout 30 labguest > "$tmp/fault-check.out" 2>&1
    echo "# fault $c ($mode): pre-flight checks exit $? before the key changed"
    "$lab" ssh-hostkey hostb new 2>&1 | note
  fi
  boot=$("$lab" exec sw curl -sS --noproxy '*' --max-time 5 "http://$ip/cgi-bin/bootid" 2> /dev/null)
  pers_before=$("$lab" virsh hosta dominfo "$name" 2> /dev/null | sed -n 's/^Persistent: *//p')
  "$lab" exec sw curl -sS --noproxy '*' --max-time 5 "http://$ip/cgi-bin/dirty?64" > /dev/null 2>&1
  "$lab" pinger start > /dev/null 2>&1

  : > "$tmp/fault.out"
  # Line-buffered, so the injector sees the state lines as they come.
  stdbuf -oL "$cli" migrate "${cli_uris[@]}" --bandwidth 8 "${extra[@]}" "$name" \
    > "$tmp/fault.out" 2>&1 &
  pid=$!
  t_fault=$(now_ms)
  fault_hit_ms=$t_fault
  fault_inject "$c" "$mode" "$pid"
  # From the hit itself: killing a daemon waits until it is gone, the CLI may be done by then.
  t_fault=$fault_hit_ms

  # The verdict within the bound; the link comes back after its minute whatever the CLI does.
  restored=no t_end=""
  [ "$c" = link-cut ] || restored=yes
  while :; do
    t_check=$(now_ms)
    if [ "$restored" = no ] && [ "$t_check" -ge $(( t_fault + FAULT_CUT_S * 1000 )) ]; then
      "$lab" link restore | note
      restored=yes
    fi
    if [ -z "$t_end" ] && ! fault_alive "$pid"; then t_end=$t_check; fi
    if [ -n "$t_end" ] && [ "$restored" = yes ]; then break; fi
    if [ "$t_check" -ge $(( t_fault + (FAULT_BOUND_S + 30) * 1000 )) ]; then break; fi
    sleep 0.2
  done
  if fault_alive "$pid"; then
    echo "# fault $c ($mode): the CLI still runs $((FAULT_BOUND_S + 30)) s after the fault: stopping it"
    kill -INT "$pid" 2> /dev/null; sleep 5; kill -KILL "$pid" 2> /dev/null
    t_end=$(now_ms)
  fi
  wait "$pid"
  rc=$?
  verdict_ms=$(( t_end - t_fault ))
  [ "$verdict_ms" -ge 0 ] || verdict_ms=0

  fault_recover
  where=$(fault_settled "$name") || gwhy+=("$where")
  lost=$("$lab" pinger stop 2> /dev/null | sed -n 's/.*lost=\([^ ]*\).*/\1/p')
  replies=$("$lab" pinger stats 2> /dev/null | sed -n 's/^replies=\([0-9]*\).*/\1/p')

  # The guest: where it runs, the same boot, no oops, no lost write, defined there as before.
  if [ "$name" = labguest ]; then
    out=$("$lab" guest check "$boot" 2>&1) || gwhy+=("$out")
  else
    out=$("$lab" local-guest check "$boot" 2>&1) || gwhy+=("$out")
  fi
  echo "# fault $c ($mode): $out"
  case "$where" in hosta|hostb)
    [ "$("$lab" virsh "$where" domstate "$name" 2> /dev/null)" = running ] ||
      gwhy+=("not running on $where: $("$lab" virsh "$where" domstate "$name" 2>&1)")
    pers=$("$lab" virsh "$where" dominfo "$name" 2> /dev/null | sed -n 's/^Persistent: *//p')
    [ "$pers" = "$pers_before" ] || gwhy+=("persistent on $where: '$pers', was '$pers_before' on hosta")
    [ "$where" = hostb ] && moved=yes ;;
  esac
  "$lab" exec sw curl -sS --noproxy '*' --max-time 5 "http://$ip/cgi-bin/dirty?0" > /dev/null 2>&1

  # The CLI: bounded, exit 1 unless the guest moved, the sentence at its end.
  [ "$verdict_ms" -le $((FAULT_BOUND_S * 1000)) ] || why+=("verdict after $((verdict_ms / 1000)) s (bound $FAULT_BOUND_S s)")
  if [ "$moved" = yes ]; then [ $rc -eq 0 ] || why+=("exit $rc although the guest moved")
  else [ $rc -eq 1 ] || why+=("exit $rc, not 1, and the guest did not move"); fi
  re=$(fault_sentence_re "$c" "$mode")
  # The summary's sentences, not GLib's log lines ("MigWizard-Core-Message: 10:20:01.058: …").
  sentence=$(grep -v -E -e '(-|^\*\* )(Message|WARNING|DEBUG|INFO)( \*\*)?: ' -e '^ *$' "$tmp/fault.out" |
             tail -n 4 |
             grep -E -o "[^.]*($re)[^.]*\.?" | head -n1 | sed 's/^ *//' | cut -c1-160)
  [ -n "$sentence" ] || why+=("no sentence matching /$re/ at the end")
  if [ ${#why[@]} -gt 0 ] || [ ${#gwhy[@]} -gt 0 ]; then tail -n 8 "$tmp/fault.out" | note
  else grep -v '^ *$' "$tmp/fault.out" | tail -n 3 | note; fi

  exit_desc="exit $rc after $((verdict_ms / 1000)).$(printf '%01d' $((verdict_ms % 1000 / 100))) s"
  if [ ${#why[@]} -eq 0 ]; then ok "fault $c ($mode): $exit_desc, the cause said"
  else not_ok "fault $c ($mode): $(fault_join "${why[@]}")"; fi
  if [ ${#gwhy[@]} -eq 0 ]; then ok "fault $c ($mode): the guest runs on $where only, intact, defined as before"
  else not_ok "fault $c ($mode): $(fault_join "${gwhy[@]}")"; fi
  # (The next case's fault_home recovers again before it starts, and so does run_faults' last.)
  if [ "$c" = dest-disk ]; then "$lab" local-guest destroy 2>&1 | note; fi
  printf '%-17s | %-6s | %4s | %6d.%01d s | %7s | %4d s | %s\n' "$c" "$mode" "$rc" \
    $((verdict_ms / 1000)) $((verdict_ms % 1000 / 100)) "${lost:-?}/${replies:-?}" \
    $(( ($(now_ms) - t_case) / 1000 )) "${sentence:-?}" >> "$tmp/fault-rows"
  return 0
}

run_faults ()
{
  local list item c m t0 modes
  case "$FAULT_LIST" in
    default) list=$FAULT_DEFAULT ;;
    all) list=""; for c in $FAULT_ALL; do list="$list $c:p2p $c:client"; done ;;
    *) list=$(echo "$FAULT_LIST" | tr ',' ' ') ;;
  esac
  : > "$tmp/fault-rows"
  t0=$(now_ms)
  for item in $list; do
    c=${item%%:*}
    if [ "$item" = "$c" ]; then modes="p2p client"; else modes=${item#*:}; fi
    case " $FAULT_ALL " in *" $c "*) ;; *) not_ok "fault $c: no such case (MW_LAB_FAULTS)"; continue ;; esac
    for m in $modes; do fault_case "$c" "$m"; done
  done
  fault_home || not_ok "faults: labguest is not back on hosta"
  echo "# FAULT case              | mode   | exit | to verdict | lost/rep | wall | sentence"
  sed 's/^/# FAULT /' "$tmp/fault-rows"
  echo "# FIGURE faults cases=$(wc -l < "$tmp/fault-rows") seconds=$(( ($(now_ms) - t0) / 1000 ))"
}

# Alone: bash tests/lab/faults.sh LAB CLI, with the lab up.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -u
  lab=${1:?usage: faults.sh LAB CLI}
  cli=${2:?usage: faults.sh LAB CLI}
  # shellcheck source=lab-helpers.sh
  . "$(dirname "${BASH_SOURCE[0]}")/lab-helpers.sh"
  lab_tap_alone
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  run_faults
  echo "1..$n"
fi
