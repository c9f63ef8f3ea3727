# SPDX-License-Identifier: GPL-3.0-or-later
# parallel.sh: migrations over 1, 2 and 4 parallel connections (issue #12) complete and verify
# like today's. For each N, `mig-wizard-cli migrate --parallel N` moves labguest hosta → hostb
# and back, and the lab checks by its own means:
#   where the guest lives: running and persistent on the destination, gone from the source
#     (virsh on both hosts);
#   what libvirt recorded: `virsh domjobinfo --completed` on the destination says Completed;
#   that it survived: the lab's guest check (same boot id, no lost write);
#   how many streams QEMU opened: `ss` inside the source every 0.1 s; a parallel migration has
#     its main channel plus N multifd channels, so the most seen at once is N + 1. An idle
#     guest can finish between two samples: then the count is a note, not a failure.
# Budget: ≤ 60 s wall with the lab up (six migrations of an idle guest).
#
#   run_parallel LAB CLI               sourced by run-lab-suite (ok, not_ok, note, check)
#   bash tests/lab/parallel.sh LAB CLI    alone, with the lab up: prints TAP
#
# Expects labguest running on hosta, idle; leaves it there.

PA_A_URI=qemu+ssh://root@hosta/system
PA_B_URI=qemu+ssh://root@hostb/system
PA_GUEST=labguest

# shellcheck source=lab-helpers.sh
. "$(dirname "${BASH_SOURCE[0]}")/lab-helpers.sh"

# pa_streams HOST OUT: every 0.1 s until killed, how many QEMU TCP streams HOST has open to
# migration ports (49152-49215).
pa_streams ()
{
  while :; do
    "$pa_lab" exec "$1" ss -tnpH state established \
      '( dport >= :49152 and dport <= :49215 )' 2> /dev/null | grep -c '"qemu'
    sleep 0.1
  done > "$2"
}

# pa_move N FROM TO FROM_URI TO_URI: one migration with N connections, checked. One TAP line.
pa_move ()
{
  # Not "n": that is the TAP counter ok () and not_ok () count with.
  local conns=$1 from=$2 to=$3 from_uri=$4 to_uri=$5 out rc=0 sampler most t0 t1 job fail=()
  local samples line
  samples=$(mktemp)
  pa_streams "$from" "$samples" &
  sampler=$!
  t0=$(date +%s%N)
  out=$("$pa_cli" migrate --from "$from_uri" --to "$to_uri" --parallel "$conns" --quiet \
        "$PA_GUEST" 2>&1) || rc=$?
  t1=$(date +%s%N)
  kill "$sampler" 2> /dev/null
  wait "$sampler" 2> /dev/null
  most=$(sort -n "$samples" | tail -1)
  rm -f "$samples"
  job=$("$pa_lab" virsh "$to" domjobinfo "$PA_GUEST" --completed 2>&1)
  echo "# FIGURE parallel connections=$conns $from->$to wall_ms=$(( (t1 - t0) / 1000000 )) most_qemu_streams=${most:-0}"
  printf '%s\n' "$job" | grep -E '^(Job type|Time elapsed|Memory processed|Memory bandwidth|Total downtime)' | note
  [ $rc -eq 0 ] || { fail+=("exit $rc"); printf '%s\n' "$out" | note; }
  while IFS= read -r line; do [ -z "$line" ] || fail+=("$line"); done < <(
    lab_moved "$pa_lab" "$from" "$to" "$PA_GUEST" "$job")
  if [ "${most:-0}" -eq 0 ]; then
    echo "# parallel $conns: finished between two samples; no stream count"
  elif [ "$most" -ne $((conns + 1)) ]; then
    fail+=("$from had $most QEMU streams at once, expected $((conns + 1))")
  fi
  if [ ${#fail[@]} -eq 0 ]; then ok "parallel $conns: $from → $to completed and verified"
  else not_ok "parallel $conns: $from → $to: $(IFS=';'; echo "${fail[*]}")"; fi
}

run_parallel ()
{
  local boot conns
  pa_lab=${1:?usage: run_parallel LAB CLI}
  pa_cli=${2:?usage: run_parallel LAB CLI}

  boot=$("$pa_lab" guest bootid)
  for conns in 1 2 4; do
    pa_move "$conns" hosta hostb "$PA_A_URI" "$PA_B_URI"
    pa_move "$conns" hostb hosta "$PA_B_URI" "$PA_A_URI"
  done
  check "parallel: labguest survived (same boot, no lost write)" "$pa_lab" guest check "$boot"
}

# Alone: TAP of its own.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -uo pipefail
  lab_tap_alone
  run_parallel "$@"
  echo "1..$n"
fi
