# SPDX-License-Identifier: GPL-3.0-or-later
# policy.sh: the options that know the hosts, against the lab's real hosts (issue #12).
#   zero-copy: the lab's libvirtd runs without CAP_SYS_RESOURCE (this machine's bounding set
#     lacks it) and QEMU may lock 8 MiB, so libvirt cannot raise the limit to the guest's
#     256 MiB as it does for zero-copy ("cannot limit locked memory of process … Operation not
#     permitted" in libvirtd's log, found by hand). The CLI must refuse `--zerocopy` with that
#     reason (exit 2) before touching the guest, and `check` must say it too;
#   --parallel auto: sized from both hosts' CPUs and the --bandwidth cap, said in one line;
#   zstd and zlib on parallel streams: each migration completes and verifies (where the guest
#     runs, libvirt's completed job, the lab's guest check). Whether QEMU really compressed is
#     not observable through virsh here: domjobinfo has no multifd-compression figure, QEMU's
#     parameters cannot be read during the job (qemu-monitor-command waits for the migration's
#     job), and libvirt resets them on the destination when it finishes (measured: "none"
#     afterwards). The destination's parameters are printed as a note all the same.
# Budget: ≤ 60 s wall with the lab up (two migrations of a guest dirtying 16 MiB/s): 33 s here.
#
#   run_policy LAB CLI               sourced by run-lab-suite (ok, not_ok, note, check)
#   bash tests/lab/policy.sh LAB CLI    alone, with the lab up: prints TAP
#
# Expects labguest running on hosta; leaves it there, the dirtier stopped.

PO_A_URI=qemu+ssh://root@hosta/system
PO_B_URI=qemu+ssh://root@hostb/system

# shellcheck source=lab-helpers.sh
. "$(dirname "${BASH_SOURCE[0]}")/lab-helpers.sh"

# po_compressed METHOD FROM TO FROM_URI TO_URI: one migration over 2 compressed streams.
po_compressed ()
{
  local method=$1 from=$2 to=$3 from_uri=$4 to_uri=$5 out rc=0 job params t0 fail=() line
  "$po_lab" guest dirty 16 > /dev/null
  t0=$(date +%s%N)
  out=$("$po_cli" migrate --from "$from_uri" --to "$to_uri" --parallel 2 --compressed "$method" \
        --quiet labguest 2>&1) || rc=$?
  "$po_lab" guest dirty 0 > /dev/null 2>&1
  job=$("$po_lab" virsh "$to" domjobinfo labguest --completed 2>&1)
  # libvirt resets them at the end: a note, not a verdict (see the head of this file).
  params=$("$po_lab" virsh "$to" qemu-monitor-command labguest --hmp info migrate_parameters \
           2>&1 | grep -E '^multifd-(compression|channels)')
  echo "# FIGURE policy compressed=$method $from->$to wall_ms=$(( ($(date +%s%N) - t0) / 1000000 ))"
  printf '%s\n%s\n' "$params" "$job" | grep -E 'multifd|Time elapsed|Memory processed|Total downtime' | note
  [ $rc -eq 0 ] || { fail+=("exit $rc"); printf '%s\n' "$out" | note; }
  while IFS= read -r line; do [ -z "$line" ] || fail+=("$line"); done < <(
    lab_moved "$po_lab" "$from" "$to" labguest "$job")
  [ "$("$po_lab" guest where)" = "$to" ] || fail+=("the guest is on $("$po_lab" guest where)")
  if [ ${#fail[@]} -eq 0 ]; then ok "policy: --parallel 2 --compressed $method $from → $to completed and verified"
  else not_ok "policy: --compressed $method $from → $to: $(IFS=';'; echo "${fail[*]}")"; fi
}

run_policy ()
{
  local boot out rc t0
  po_lab=${1:?usage: run_policy LAB CLI}
  po_cli=${2:?usage: run_policy LAB CLI}
  t0=$(date +%s)
  boot=$("$po_lab" guest bootid)

  # Zero-copy where the source cannot let QEMU lock the guest's memory: refused, with why.
  rc=0
  out=$("$po_cli" migrate --from "$PO_A_URI" --to "$PO_B_URI" --parallel 2 --zerocopy \
        labguest 2>&1) || rc=$?
  printf '%s\n' "$out" | note
  if [ $rc -eq 2 ] && printf '%s\n' "$out" | grep -q "Needs the guest’s QEMU on hosta allowed to lock 256 MiB: libvirt raises that limit for zero-copy, but libvirtd there lacks CAP_SYS_RESOURCE, and the limit is 8.0 MiB." &&
     [ "$("$po_lab" guest where)" = hosta ]; then
    ok "policy: --zerocopy refused on the lab (no CAP_SYS_RESOURCE, 8 MiB) with the reason; the guest stays on hosta"
  else
    not_ok "policy: --zerocopy on the lab: exit $rc, guest on $("$po_lab" guest where)"
  fi
  rc=0
  out=$("$po_cli" check --from "$PO_A_URI" --to "$PO_B_URI" labguest 2>&1) || rc=$?
  if printf '%s\n' "$out" | grep -A3 -i 'zero-copy' | grep -q 'CAP_SYS_RESOURCE'; then
    ok "policy: check says why zero-copy could not be turned on"
  else
    printf '%s\n' "$out" | grep -i -A3 'zero' | note
    not_ok "policy: check does not say why zero-copy cannot work (exit $rc)"
  fi

  # --parallel auto with the lab's 64 MiB/s cap: one connection is enough, and it says why.
  rc=0
  out=$("$po_cli" migrate --from "$PO_A_URI" --to "$PO_B_URI" --parallel auto --bandwidth 64 \
        --print-virsh labguest 2>&1) || rc=$?
  printf '%s\n' "$out" | grep -E 'auto|parallel' | note
  if [ $rc -eq 0 ] && printf '%s\n' "$out" | grep -q -- '--parallel-connections 1\b' &&
     printf '%s\n' "$out" | grep -q '^--parallel auto: 1 connection: the link carries 64 MiB'; then
    ok "policy: --parallel auto sizes 1 connection for a 64 MiB/s link and says why"
  else
    not_ok "policy: --parallel auto (exit $rc)"
  fi

  po_compressed zstd hosta hostb "$PO_A_URI" "$PO_B_URI"
  po_compressed zlib hostb hosta "$PO_B_URI" "$PO_A_URI"
  check "policy: labguest survived (same boot, no lost write)" "$po_lab" guest check "$boot"
  echo "# FIGURE policy seconds=$(( $(date +%s) - t0 ))"
}

# Alone: TAP of its own.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -uo pipefail
  lab_tap_alone
  run_policy "$@"
  echo "1..$n"
fi
