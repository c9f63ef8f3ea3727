# SPDX-License-Identifier: GPL-3.0-or-later
# cli-options.sh: `mig-wizard-cli migrate` does what its options say, and so does the virsh line
# it prints. For a few representative options it migrates labguest hosta → hostb twice — once
# with mig-wizard-cli, once with its --print-virsh line run as-is — and checks each time, by
# the lab's own means and not by what MigWizard says:
#   who held the connection: `ss -tnp` inside hosta (its libvirtd's ssh to hostb for
#     peer-to-peer, QEMU's own stream to hostb's migration ports unless tunnelled) and on the
#     desktop (an ssh to hostb from virsh itself only when client-driven);
#   what libvirt recorded: `virsh domjobinfo --completed` on hostb (bandwidth, compression) and
#     hostb's lifecycle events during the run (`virsh event`: the guest resumed in post-copy);
#   where the guest lives afterwards: running and persistent or transient on hostb, defined or
#     gone on hosta.
# For the mig-wizard-cli run it also checks the report: the same connection and virsh line, and
# the CLI's "Migration call: …" is the report's total_time_ms. The guest goes back to hosta
# after every run.
#
# The printed line is meant for the computer that runs mig-wizard-cli (the desktop here): its
# `virsh -c qemu+ssh://root@hosta/system` connects from there, as mig-wizard-cli does.
#
#   run_cli_options LAB CLI        sourced by run-lab-suite (ok, not_ok, note, check, $tmp)
#   bash tests/lab/cli-options.sh LAB CLI    alone, with the lab up: prints TAP
#
# Expects labguest running on hosta, idle; leaves it there.

CO_A_URI=qemu+ssh://root@hosta/system
CO_B_URI=qemu+ssh://root@hostb/system
CO_GUEST=labguest
CO_HOSTB_BR_IP=10.77.0.3        # where the desktop's ssh reaches hostb (lab/lib/common.sh)

# co_state HOST: "running,persistent", "shut off,persistent", "running,transient" or "absent".
co_state ()
{
  local info st pers
  info=$("$co_lab" virsh "$1" dominfo "$CO_GUEST" 2> /dev/null) || { echo absent; return; }
  st=$(printf '%s\n' "$info" | sed -n 's/^State: *//p')
  pers=$(printf '%s\n' "$info" | sed -n 's/^Persistent: *//p')
  [ "$pers" = yes ] && pers=persistent || pers=transient
  echo "$st,$pers"
}

# co_sampler OUT: every 0.2 s until killed — hosta's outgoing TCP connections to ssh and to
# QEMU's migration ports, and the desktop's ssh connections to hostb.
co_sampler ()
{
  while :; do
    "$co_lab" exec hosta ss -tnpH state established \
      '( dport = :22 or ( dport >= :49152 and dport <= :49215 ) )' 2>&1 | sed 's/^/hosta /'
    ss -tnpH state established "( dport = :22 and dst $CO_HOSTB_BR_IP )" 2>&1 | sed 's/^/desktop /'
    sleep 0.2
  done > "$1"
}

# co_home: labguest running and persistent on hosta only; migrates it back when it is on hostb.
co_home ()
{
  local where out rc=0
  where=$("$co_lab" guest where)
  if [ "$where" = hostb ]; then
    out=$("$co_cli" migrate --from "$CO_B_URI" --to "$CO_A_URI" --quiet "$CO_GUEST" 2>&1) || rc=$?
    [ $rc -eq 0 ] || printf '%s\n' "$out" | note
  fi
  [ "$("$co_lab" guest where)" = hosta ] && [ "$(co_state hosta)" = "running,persistent" ] &&
    [ "$(co_state hostb)" = absent ]
}

# co_run SAMPLES OUT CMD...: runs CMD with the sampler and hostb's event listener beside it
# (events to SAMPLES.events, line-buffered); CMD's exit status.
co_run ()
{
  local samples=$1 out=$2 rc=0 sampler events
  shift 2
  co_sampler "$samples" &
  sampler=$!
  # Its own process group, so virsh inside the host goes with it.
  setsid "$co_lab" exec hostb stdbuf -oL virsh -q -c qemu:///system event \
    --event lifecycle --loop > "$samples.events" 2>&1 &
  events=$!
  sleep 0.5
  "$@" > "$out" 2>&1 || rc=$?
  sleep 0.5
  kill "$sampler" 2> /dev/null
  kill -TERM -- "-$events" 2> /dev/null
  wait "$sampler" "$events" 2> /dev/null
  return $rc
}

# co_verify WHAT RC SAMPLES CONNECTION PERSISTENCE CHECK WHO: the lab's own view of the run.
co_verify ()
{
  local what=$1 rc=$2 samples=$3 conn=$4 persist=$5 extra=$6 who=$7
  local ssh_a qemu_a ssh_desk postcopy job a b want_a want_b fail=() cap bw
  ssh_a=$(grep -c '^hosta .*:22 .*"ssh"' "$samples")
  qemu_a=$(grep -c '^hosta .*:49[12][0-9][0-9] .*"qemu' "$samples")
  ssh_desk=$(grep -c '^desktop ' "$samples")
  postcopy=$(grep -c "'$CO_GUEST': .*Post-copy" "$samples.events")
  job=$("$co_lab" virsh hostb domjobinfo "$CO_GUEST" --completed --keep-completed 2>&1)
  a=$(co_state hosta) b=$(co_state hostb)
  echo "# $what: samples with hosta's ssh to hostb: $ssh_a, hosta's QEMU stream to hostb: $qemu_a, the desktop's ssh to hostb: $ssh_desk, hostb's post-copy events: $postcopy; hosta: $a; hostb: $b"
  sed 's/^/hostb event: /' "$samples.events" | note
  printf '%s\n' "$job" | grep -E '^(Job type|Time elapsed|Memory processed|Memory bandwidth|Compression|Postcopy)' | note

  [ "$rc" -eq 0 ] || fail+=("exit $rc")
  case $conn in
    client)
      [ "$ssh_a" -eq 0 ] || fail+=("hosta's libvirtd opened ssh to hostb: peer-to-peer, not client-driven")
      [ "$ssh_desk" -gt 0 ] || fail+=("the desktop never held a connection to hostb")
      [ "$qemu_a" -gt 0 ] || fail+=("no QEMU stream from hosta to hostb seen") ;;
    p2p)
      [ "$ssh_a" -gt 0 ] || fail+=("hosta's libvirtd never connected to hostb: not peer-to-peer")
      [ "$qemu_a" -gt 0 ] || fail+=("no QEMU stream from hosta to hostb seen: tunnelled?")
      # virsh itself only talks to the source; mig-wizard-cli also asks hostb where the guest is.
      [ "$who" = cli ] || [ "$ssh_desk" -eq 0 ] || fail+=("the desktop connected to hostb") ;;
    tunnelled)
      [ "$ssh_a" -gt 0 ] || fail+=("hosta's libvirtd never connected to hostb")
      [ "$qemu_a" -eq 0 ] || fail+=("QEMU streamed to hostb directly: not tunnelled")
      [ "$who" = cli ] || [ "$ssh_desk" -eq 0 ] || fail+=("the desktop connected to hostb") ;;
  esac
  if [ "$persist" = move ]; then want_a=absent want_b="running,persistent"
  else want_a="shut off,persistent" want_b="running,transient"; fi
  [ "$a" = "$want_a" ] || fail+=("hosta: $a, expected $want_a")
  [ "$b" = "$want_b" ] || fail+=("hostb: $b, expected $want_b")
  # libvirt keeps none on the destination of a post-copy migration.
  [ "$extra" = postcopy ] || printf '%s\n' "$job" | grep -q '^Job type: *Completed' ||
    fail+=("hostb keeps no completed job statistics")
  case $extra in
    bandwidth:*)
      cap=${extra#bandwidth:}
      bw=$(printf '%s\n' "$job" | sed -n 's/^Memory bandwidth: *\([0-9.]*\) MiB\/s/\1/p')
      echo "# FIGURE cli-options $what memory_bandwidth_mib_s=${bw:-none} cap=$cap"
      awk -v bw="${bw:-999999}" -v cap="$cap" 'BEGIN { exit !(bw <= cap * 1.25) }' ||
        fail+=("memory bandwidth ${bw:-unknown} MiB/s over the cap of $cap MiB/s") ;;
    xbzrle)
      printf '%s\n' "$job" | grep -q '^Compression cache' ||
        fail+=("hostb's job statistics show no XBZRLE compression cache") ;;
    postcopy)
      [ "$postcopy" -gt 0 ] || fail+=("hostb's guest never resumed in post-copy") ;;
  esac
  if [ ${#fail[@]} -eq 0 ]; then ok "$what"
  else not_ok "$what: $(IFS=';'; echo "${fail[*]}")"; fi
}

# co_report_check WHAT REPORT OUT CONNECTION LINE: the report says what ran, and the CLI's
# figures are the report's.
co_report_check ()
{
  local out
  if out=$(python3 - "$2" "$3" "$4" "$5" <<'PY'
import json, re, sys
report, output, conn, line = sys.argv[1:5]
r = json.load(open(report))
o, s = r["options"], r["summary"]
text = open(output).read()
nick = {"client": "client", "p2p": "peer-to-peer", "tunnelled": "tunnelled"}[conn]
def duration(ms):
    sec = ms / 1000
    return "%.1f s" % sec if sec < 10 else "%.0f s" % sec
fail = []
if o["connection"] != nick:
    fail.append("report: connection %s, expected %s" % (o["connection"], nick))
if o["virsh"] != line:
    fail.append("report's virsh line differs from --print-virsh: %s" % o["virsh"])
call = re.search(r"^Migration call: (.*?); this command ran (.*)\.$", text, re.M)
if not call:
    fail.append("no 'Migration call: …; this command ran …' line")
elif call.group(1) != duration(s["total_time_ms"]):
    fail.append("CLI says the call took %s, the report %s ms" % (call.group(1), s["total_time_ms"]))
elif ("finished in %s" % call.group(1)) not in text:
    fail.append("the summary's duration is not the call's")
print("# FIGURE cli-options total_time_ms=%s libvirt_time_ms=%s cli=%r" % (
    s["total_time_ms"], s.get("libvirt_time_ms"), call.group(0) if call else None))
for f in fail:
    print("# " + f)
sys.exit(1 if fail else 0)
PY
  ); then
    printf '%s\n' "$out"; ok "$1"
  else
    printf '%s\n' "$out"; not_ok "$1"
  fi
}

# co_case NAME CONNECTION PERSISTENCE CHECK OPTION...: one option set, by the CLI and by its line.
co_case ()
{
  local name=$1 conn=$2 persist=$3 extra=$4 line rc
  shift 4
  if ! line=$("$co_cli" migrate --from "$CO_A_URI" --to "$CO_B_URI" "$@" --print-virsh \
                "$CO_GUEST" 2>&1); then
    not_ok "$name: --print-virsh failed: $line"
    return
  fi
  echo "# $name: mig-wizard-cli migrate $* prints: $line"
  if ! co_home; then
    not_ok "$name: labguest is not running on hosta only before the run"
    return
  fi

  rc=0
  co_run "$tmp/co-$name-cli.samples" "$tmp/co-$name-cli.out" \
    "$co_cli" migrate --from "$CO_A_URI" --to "$CO_B_URI" "$@" \
    --report "$tmp/co-$name.json" "$CO_GUEST" || rc=$?
  grep -v -e '^ *[0-9.]* s  pass' -e '^ *$' "$tmp/co-$name-cli.out" | note
  co_verify "$name: mig-wizard-cli did what the options say" "$rc" \
    "$tmp/co-$name-cli.samples" "$conn" "$persist" "$extra" cli
  co_report_check "$name: the report names the same connection and line, the CLI its total" \
    "$tmp/co-$name.json" "$tmp/co-$name-cli.out" "$conn" "$line"
  if ! co_home; then
    not_ok "$name: labguest could not be brought back to hosta"
    return
  fi

  # The printed line as-is, on the desktop.
  rc=0
  co_run "$tmp/co-$name-virsh.samples" "$tmp/co-$name-virsh.out" bash -c "$line" || rc=$?
  note < "$tmp/co-$name-virsh.out"
  co_verify "$name: the printed virsh line, run as-is, did the same" "$rc" \
    "$tmp/co-$name-virsh.samples" "$conn" "$persist" "$extra" virsh
  co_home || not_ok "$name: labguest could not be brought back to hosta"
}

run_cli_options ()
{
  co_lab=${1:?usage: run_cli_options LAB CLI}
  co_cli=${2:?usage: run_cli_options LAB CLI}

  co_case client-bandwidth client move bandwidth:16 --client --bandwidth 16
  # The caps keep each run long enough for the connection samples.
  co_case p2p-xbzrle p2p move xbzrle --p2p --compressed xbzrle --bandwidth 24
  co_case tunnelled-temporary tunnelled temporary none --tunnelled --temporary
  co_case postcopy-after p2p move postcopy --postcopy-after 3 --bandwidth 16
  check "cli-options: labguest back on hosta, running and persistent, hostb has none" co_home
}

# Alone: TAP of its own.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -uo pipefail
  n=0
  ok ()     { n=$((n + 1)); echo "ok $n - $*"; }
  not_ok () { n=$((n + 1)); echo "not ok $n - $*"; }
  note ()   { sed 's/^/# /'; }
  check ()
  {
    local what=$1 out rc=0
    shift
    out=$("$@" 2>&1) || rc=$?
    [ -z "$out" ] || printf '%s\n' "$out" | note
    if [ $rc -eq 0 ]; then ok "$what"; else not_ok "$what (exit $rc)"; fi
  }
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  run_cli_options "$@"
  echo "1..$n"
fi
