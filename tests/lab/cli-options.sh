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
# the CLI's "Migration call: …" is the report's total_time_ms. An option set that moves the
# guest for good has its virsh line printed and run the way back, hostb → hosta, and checked the
# same way with the hosts' roles swapped (no migration in between only to bring it home); the
# --temporary one, whose way back would look like a plain move, runs its line hosta → hostb
# again.
#
# The printed line is meant for the computer that runs mig-wizard-cli (the desktop here): its
# `virsh -c qemu+ssh://root@hosta/system` connects from there, as mig-wizard-cli does.
#
#   run_cli_options LAB CLI        sourced by run-lab-suite (ok, not_ok, note, check, $tmp)
#   bash tests/lab/cli-options.sh LAB CLI    alone, with the lab up: prints TAP
#
# Expects labguest running on hosta, idle; leaves it there.

CO_GUEST=labguest

# shellcheck source=lab-helpers.sh
. "$(dirname "${BASH_SOURCE[0]}")/lab-helpers.sh"

co_uri () { echo "qemu+ssh://root@$1/system"; }
# Where the desktop's ssh reaches a host (lab/lib/common.sh).
co_br_ip () { [ "$1" = hosta ] && echo 10.77.0.2 || echo 10.77.0.3; }
co_state () { lab_domain_state "$co_lab" "$1" "$CO_GUEST"; }

# co_sampler FROM TO OUT: every 0.2 s until killed — FROM's outgoing TCP connections to ssh and
# to QEMU's migration ports (lines "src …"), and the desktop's ssh connections to TO.
co_sampler ()
{
  while :; do
    "$co_lab" exec "$1" ss -tnpH state established \
      '( dport = :22 or ( dport >= :49152 and dport <= :49215 ) )' 2>&1 | sed 's/^/src /'
    ss -tnpH state established "( dport = :22 and dst $(co_br_ip "$2") )" 2>&1 | sed 's/^/desktop /'
    sleep 0.2
  done > "$3"
}

# co_home: labguest running and persistent on hosta only; migrates it back when it is on hostb.
co_home ()
{
  local where out rc=0
  where=$("$co_lab" guest where)
  if [ "$where" = hostb ]; then
    out=$("$co_cli" migrate --from "$(co_uri hostb)" --to "$(co_uri hosta)" --quiet "$CO_GUEST" 2>&1) || rc=$?
    [ $rc -eq 0 ] || printf '%s\n' "$out" | note
  fi
  [ "$("$co_lab" guest where)" = hosta ] && [ "$(co_state hosta)" = "running,persistent" ] &&
    [ "$(co_state hostb)" = absent ]
}

# co_run FROM TO SAMPLES OUT CMD...: runs CMD with the sampler and TO's event listener beside it
# (events to SAMPLES.events, line-buffered); CMD's exit status.
co_run ()
{
  local from=$1 to=$2 samples=$3 out=$4 rc=0 sampler events
  shift 4
  co_sampler "$from" "$to" "$samples" &
  sampler=$!
  # Its own process group, so virsh inside the host goes with it.
  setsid "$co_lab" exec "$to" stdbuf -oL virsh -q -c qemu:///system event \
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

# co_verify WHAT RC SAMPLES CONNECTION PERSISTENCE CHECK WHO FROM TO: the lab's own view of the
# run FROM → TO.
co_verify ()
{
  local what=$1 rc=$2 samples=$3 conn=$4 persist=$5 extra=$6 who=$7 from=$8 to=$9
  local ssh_src qemu_src ssh_desk postcopy job a b fail=() cap bw line
  ssh_src=$(grep -c '^src .*:22 .*"ssh"' "$samples")
  qemu_src=$(grep -c '^src .*:49[12][0-9][0-9] .*"qemu' "$samples")
  ssh_desk=$(grep -c '^desktop ' "$samples")
  postcopy=$(grep -c "'$CO_GUEST': .*Post-copy" "$samples.events")
  job=$("$co_lab" virsh "$to" domjobinfo "$CO_GUEST" --completed --keep-completed 2>&1)
  a=$(co_state "$from") b=$(co_state "$to")
  echo "# $what: samples with $from's ssh to $to: $ssh_src, $from's QEMU stream to $to: $qemu_src, the desktop's ssh to $to: $ssh_desk, $to's post-copy events: $postcopy; $from: $a; $to: $b"
  sed "s/^/$to event: /" "$samples.events" | note
  printf '%s\n' "$job" | grep -E '^(Job type|Time elapsed|Memory processed|Memory bandwidth|Compression|Postcopy)' | note

  [ "$rc" -eq 0 ] || fail+=("exit $rc")
  case $conn in
    client)
      [ "$ssh_src" -eq 0 ] || fail+=("$from's libvirtd opened ssh to $to: peer-to-peer, not client-driven")
      [ "$ssh_desk" -gt 0 ] || fail+=("the desktop never held a connection to $to")
      [ "$qemu_src" -gt 0 ] || fail+=("no QEMU stream from $from to $to seen") ;;
    p2p)
      [ "$ssh_src" -gt 0 ] || fail+=("$from's libvirtd never connected to $to: not peer-to-peer")
      [ "$qemu_src" -gt 0 ] || fail+=("no QEMU stream from $from to $to seen: tunnelled?")
      # virsh itself only talks to the source; mig-wizard-cli also asks TO where the guest is.
      [ "$who" = cli ] || [ "$ssh_desk" -eq 0 ] || fail+=("the desktop connected to $to") ;;
    tunnelled)
      [ "$ssh_src" -gt 0 ] || fail+=("$from's libvirtd never connected to $to")
      [ "$qemu_src" -eq 0 ] || fail+=("QEMU streamed to $to directly: not tunnelled")
      [ "$who" = cli ] || [ "$ssh_desk" -eq 0 ] || fail+=("the desktop connected to $to") ;;
  esac
  if [ "$persist" = move ]; then
    # libvirt keeps no job statistics on the destination of a post-copy migration.
    while IFS= read -r line; do [ -z "$line" ] || fail+=("$line"); done < <(
      lab_moved "$co_lab" "$from" "$to" "$CO_GUEST" "$([ "$extra" = postcopy ] && echo --no-job || echo "$job")")
  else
    [ "$a" = "shut off,persistent" ] || fail+=("$from: $a, expected shut off,persistent")
    [ "$b" = "running,transient" ] || fail+=("$to: $b, expected running,transient")
    printf '%s\n' "$job" | grep -q '^Job type: *Completed' || fail+=("$to keeps no completed job")
  fi
  case $extra in
    bandwidth:*)
      cap=${extra#bandwidth:}
      bw=$(printf '%s\n' "$job" | sed -n 's/^Memory bandwidth: *\([0-9.]*\) MiB\/s/\1/p')
      echo "# FIGURE cli-options $what memory_bandwidth_mib_s=${bw:-none} cap=$cap"
      awk -v bw="${bw:-999999}" -v cap="$cap" 'BEGIN { exit !(bw <= cap * 1.25) }' ||
        fail+=("memory bandwidth ${bw:-unknown} MiB/s over the cap of $cap MiB/s") ;;
    xbzrle)
      printf '%s\n' "$job" | grep -q '^Compression cache' ||
        fail+=("$to's job statistics show no XBZRLE compression cache") ;;
    postcopy)
      [ "$postcopy" -gt 0 ] || fail+=("$to's guest never resumed in post-copy") ;;
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

# co_case NAME CONNECTION PERSISTENCE CHECK OPTION...: one option set, by the CLI (hosta → hostb)
# and by its printed line (the way back, or hosta → hostb again for --temporary).
co_case ()
{
  local name=$1 conn=$2 persist=$3 extra=$4 line rc from=hostb to=hosta
  shift 4
  if ! line=$("$co_cli" migrate --from "$(co_uri hosta)" --to "$(co_uri hostb)" "$@" --print-virsh \
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
  co_run hosta hostb "$tmp/co-$name-cli.samples" "$tmp/co-$name-cli.out" \
    "$co_cli" migrate --from "$(co_uri hosta)" --to "$(co_uri hostb)" "$@" \
    --report "$tmp/co-$name.json" "$CO_GUEST" || rc=$?
  grep -v -e '^ *[0-9.]* s  pass' -e '^ *$' "$tmp/co-$name-cli.out" | note
  co_verify "$name: mig-wizard-cli did what the options say" "$rc" \
    "$tmp/co-$name-cli.samples" "$conn" "$persist" "$extra" cli hosta hostb
  co_report_check "$name: the report names the same connection and line, the CLI its total" \
    "$tmp/co-$name.json" "$tmp/co-$name-cli.out" "$conn" "$line"

  if [ "$persist" = move ]; then
    if ! line=$("$co_cli" migrate --from "$(co_uri hostb)" --to "$(co_uri hosta)" "$@" --print-virsh \
                  "$CO_GUEST" 2>&1); then
      not_ok "$name: --print-virsh hostb → hosta failed: $line"
      co_home
      return
    fi
    echo "# $name: the way back: $line"
  else
    from=hosta to=hostb
    if ! co_home; then
      not_ok "$name: labguest could not be brought back to hosta"
      return
    fi
  fi

  # The printed line as-is, on the desktop.
  rc=0
  co_run "$from" "$to" "$tmp/co-$name-virsh.samples" "$tmp/co-$name-virsh.out" bash -c "$line" || rc=$?
  note < "$tmp/co-$name-virsh.out"
  co_verify "$name: the printed virsh line, run as-is ($from → $to), did the same" "$rc" \
    "$tmp/co-$name-virsh.samples" "$conn" "$persist" "$extra" virsh "$from" "$to"
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
  lab_tap_alone
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  run_cli_options "$@"
  echo "1..$n"
fi
