#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# lab-checks.sh LAB_SCRIPT MIG_WIZARD_CLI: the pre-flight checks against the real two-host lab,
# as TAP. Brings nothing up or down: run it while `mig-wizard-lab up` is up, with the guest
# on hosta and nobody else using the lab. Leaves the lab as it found it (the guest back on
# hosta with cache='none', nothing extra defined on either host, the dirtier stopped).
#
#   1-3  an idle guest: nothing blocks, the forecast says it converges, and a live migration
#        hosta -> hostb -> hosta then does (without --unsafe: the lab lists its shared
#        directory in qemu.conf's shared_filesystems)
#   3a   ... and the guest survived both (the lab's own check)
#   3b   post-copy can work on hostb: the probe finds QEMU running as root (qemu.conf), no
#        mount namespace and /dev/userfaultfd 0600 root, so QEMU 10 opens the device
#   3c-d a speed limit left on the guest (`virsh migrate-setspeed labguest 3`): a warning that
#        names it; --fix speed-limit lifts it (migrate-getspeed says unlimited again) and the
#        check passes
#   4-7  cache='writeback' (the guest restarted with it): blocking with a fix; --fix saves
#        cache='none' (still blocking until the next boot, and says so); after a restart the
#        check passes
#   8    a domain of the same name defined on the destination: blocking
#   9    a shut-off domain on a bridge the destination lacks: blocking
#   9a-c shared storage as hosta's libvirt sees it: /mnt/shared (ext4 underneath) listed in
#        shared_filesystems: passes, and says so; the line removed from hosta's qemu.conf (its
#        libvirtd restarted): blocking, the fix names shared_filesystems, and libvirt itself
#        indeed refuses a migration without --unsafe; the line put back
#   10   identical host UUIDs (lab brought up with MW_LAB_SAME_UUID=1): blocking, with the
#        sentence about the host UUID; skipped otherwise
#   11   the guest dirtying 256 MiB/s against a 64 MiB/s bandwidth cap: "will not converge"
#   12   ... and a migration with default options indeed does not converge (MigWizard's job says
#        "NOT converging"; it is stopped after 20 s and the guest stays on hosta)
#   12a  ... and the guest survived it, with no page of the dirtier losing a write
set -uo pipefail
lab=${1:?usage: lab-checks.sh LAB_SCRIPT MIG_WIZARD_CLI}
cli=${2:?usage: lab-checks.sh LAB_SCRIPT MIG_WIZARD_CLI}
SRC=qemu+ssh://root@hosta/system
DST=qemu+ssh://root@hostb/system
GUEST=labguest
state=$(readlink -m "${MW_LAB_STATE:-$(dirname "$(readlink -f "$lab")")/state}")

n=0 failed=0
ok ()     { n=$((n + 1)); echo "ok $n - $*"; }
not_ok () { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
skip ()   { n=$((n + 1)); echo "ok $n # SKIP $*"; }
note ()   { sed 's/^/# /'; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "1..19"
if ! "$lab" status > /dev/null 2>&1; then
  for _ in $(seq 18); do skip "the lab is not up ('mig-wizard-lab up' first)"; done
  exit 0
fi
if [ "$("$lab" guest where)" != hosta ]; then
  for _ in $(seq 18); do skip "the guest is not on hosta (is someone else using the lab?)"; done
  exit 0
fi

# With identical host UUIDs libvirt refuses every migration between the hosts: only 10 runs.
same_uuid=0
[ "$("$lab" status | sed -n 's/.*host_uuid \([0-9a-f-]*\).*/\1/p' | sort -u | wc -l)" = 1 ] && same_uuid=1

# check NAME ARGS...: runs the CLI on $CHECK_DOMAIN (default: the guest) with --json into
# $tmp/NAME.json, its exit status in $tmp/NAME.rc
check ()
{
  local name=$1 rc=0
  shift
  "$cli" check --from "$SRC" --to "$DST" --json --timeout 30 "$@" "${CHECK_DOMAIN:-$GUEST}" > "$tmp/$name.json" 2> "$tmp/$name.err" || rc=$?
  echo "$rc" > "$tmp/$name.rc"
  note < "$tmp/$name.err"
}
# field NAME ID KEY: a check's field from a saved result
field ()
{
  python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(next(c for c in d["checks"] if c["id"] == sys.argv[2])[sys.argv[3]] or "")' "$tmp/$1.json" "$2" "$3"
}
# expect WHAT NAME ID STATE [TEXT]: one TAP line for a check's state (and text in its sentence)
expect ()
{
  local what=$1 name=$2 id=$3 want=$4 text=${5:-} got sentence
  got=$(field "$name" "$id" state 2> /dev/null)
  sentence=$(field "$name" "$id" sentence 2> /dev/null)
  echo "$id: $got: $sentence" | note
  if [ "$got" = "$want" ] && { [ -z "$text" ] || printf '%s' "$sentence" | grep -qF -- "$text"; }; then
    ok "$what"
  else
    not_ok "$what (got $got)"
  fi
}
blocking_ids () { python3 -c 'import json, sys; print(" ".join(c["id"] for c in json.load(open(sys.argv[1]))["checks"] if c["state"] == "blocking"))' "$tmp/$1.json"; }
wait_ping () { for _ in $(seq 120); do ping -c1 -W1 -q 10.77.0.10 > /dev/null 2>&1 && return 0; sleep 0.5; done; return 1; }
restart_guest () { "$lab" virsh hosta destroy "$GUEST" > /dev/null && "$lab" virsh hosta start "$GUEST" > /dev/null && wait_ping; }
set_cache ()  # set_cache MODE: the persistent definition's disk cache mode, by virsh as an admin would
{
  "$lab" virsh hosta dumpxml --inactive "$GUEST" | sed "s/cache='[a-z]*'/cache='$1'/" > "$state/shared/mwcheck.xml"
  "$lab" virsh hosta define /mnt/shared/mwcheck.xml > /dev/null
}
migrate () { "$lab" virsh "$1" migrate --live --p2p --persistent --undefinesource "$GUEST" "qemu+ssh://$2/system" 2>&1 | note; }
survived ()  # survived WHAT BOOT_ID: the lab's own check (answers, same boot, no oops, no stale page)
{
  local out
  if out=$("$lab" guest check "$2" 2>&1); then ok "$1: the guest survived ($out)"
  else not_ok "$1: the guest did not survive ($out)"; fi
}

if [ "$same_uuid" = 1 ]; then
  for _ in $(seq 17); do skip "the lab runs with identical host UUIDs (MW_LAB_SAME_UUID=1)"; done
else
# 1-3: idle guest.
"$lab" guest dirty 0 > /dev/null 2>&1
check idle
rc=$(cat "$tmp/idle.rc")
if [ "$rc" = 0 ] || [ "$rc" = 3 ]; then ok "idle guest: nothing blocks (exit $rc)"
else not_ok "idle guest: exit $rc, blocking: $(blocking_ids idle)"; fi
expect "idle guest: the forecast says it converges" idle forecast passed "Converges"
expect "idle guest: post-copy can work on hostb (QEMU as root opens /dev/userfaultfd)" idle \
  post-copy passed "Post-copy can work: QEMU on hostb can open a userfaultfd."
boot=$("$lab" guest bootid)
migrate hosta hostb
where=$("$lab" guest where)
migrate hostb hosta
if [ "$where" = hostb ] && [ "$("$lab" guest where)" = hosta ]; then ok "idle guest: it does converge (hosta -> hostb -> hosta)"
else not_ok "idle guest: the migration did not go through (guest was on $where)"; fi
survived "idle guest, hosta -> hostb -> hosta" "$boot"

# 3c-d: a migration speed limit left on the guest, as `virsh migrate-setspeed` (or a speed change
# that reached libvirt after its migration ended) leaves one.
"$lab" virsh hosta migrate-setspeed "$GUEST" 3 > /dev/null
check speed
expect "a speed limit left on the guest: a warning that names it" speed speed-limit warning \
  "speed limit of 3 MiB/s"
check speedfix --fix speed-limit
speed=$("$lab" virsh hosta migrate-getspeed "$GUEST" 2>&1)
if [ "$speed" = 8796093022207 ]; then
  expect "after --fix speed-limit: no limit left (migrate-getspeed $speed), the check passes" \
    speedfix speed-limit passed "No migration speed limit"
else
  not_ok "after --fix speed-limit: migrate-getspeed says $speed"
  "$lab" virsh hosta migrate-setspeed "$GUEST" 8796093022207 > /dev/null
fi

# 4-7: cache='writeback'.
set_cache writeback
if restart_guest; then
  check cache
  expect "cache=writeback: blocking" cache disk-cache blocking "unsafe migration"
  [ "$(field cache disk-cache can_fix)" = True ] && ok "cache=writeback: MigWizard offers the fix" ||
    not_ok "cache=writeback: no fix offered"
  check cachefix --fix disk-cache
  expect "after --fix: saved, and says it waits for the next boot" cachefix disk-cache blocking "next boot"
  restart_guest
  check cacheboot
  expect "after --fix and a restart: the check passes" cacheboot disk-cache passed
else
  for _ in 1 2 3 4; do not_ok "cache=writeback: the guest did not come back after a restart"; done
fi
set_cache none
grep -q "cache='none'" <("$lab" virsh hosta dumpxml "$GUEST") || restart_guest

# 8: the same name on the destination.
"$lab" virsh hosta dumpxml --inactive "$GUEST" | sed '/<uuid>/d' > "$state/shared/mwcheck.xml"
"$lab" virsh hostb define /mnt/shared/mwcheck.xml > /dev/null
check samename
expect "a domain of the same name on the destination: blocking" samename name blocking "already exists"
"$lab" virsh hostb undefine "$GUEST" > /dev/null

# 9: a bridge the destination lacks.
cat > "$state/shared/mwcheck.xml" <<XML
<domain type='qemu'>
  <name>mwcheck-nobridge</name>
  <memory unit='MiB'>64</memory>
  <os><type arch='x86_64'>hvm</type></os>
  <devices>
    <interface type='bridge'><source bridge='mwcheck-br9'/></interface>
  </devices>
</domain>
XML
"$lab" virsh hosta define /mnt/shared/mwcheck.xml > /dev/null
CHECK_DOMAIN=mwcheck-nobridge check nobridge --offline
expect "a missing bridge on the destination: blocking" nobridge network blocking "mwcheck-br9"
"$lab" virsh hosta undefine mwcheck-nobridge > /dev/null
rm -f "$state/shared/mwcheck.xml"

# 9a-c: the shared directory as hosta's libvirt sees it.
check sharedfs
expect "shared_filesystems lists /mnt/shared: the storage check passes" sharedfs storage passed
detail=$(field sharedfs storage detail)
printf '%s' "$detail" | grep -q "listed in shared_filesystems" &&
  ok "... and its detail says libvirt treats it as shared because it is listed" ||
  not_ok "... its detail does not mention shared_filesystems: $(field sharedfs storage detail)"
conf="$state/hosta/etc-libvirt/qemu.conf"
cp "$conf" "$tmp/qemu.conf.orig"
sed -i '/^shared_filesystems/d' "$conf"
"$lab" restart-libvirtd hosta 2>&1 | note
check nosharedfs
expect "without it on hosta: blocking, libvirt will refuse" nosharedfs storage blocking "will refuse"
out=$("$lab" virsh hosta migrate --live --p2p --persistent --undefinesource "$GUEST" "qemu+ssh://hostb/system" 2>&1)
printf '%s\n' "$out" | note
fix=$(field nosharedfs storage fix)
if printf '%s' "$fix" | grep -qF 'shared_filesystems = [ "/mnt/shared" ]' &&
   printf '%s' "$out" | grep -q "shared storage is unsafe" && [ "$("$lab" guest where)" = hosta ]; then
  ok "... the fix names shared_filesystems, and libvirt itself refuses the migration (guest on hosta)"
else
  not_ok "... fix: $(field nosharedfs storage fix | head -n 1); libvirt said: $out; guest on $("$lab" guest where)"
fi
cp "$tmp/qemu.conf.orig" "$conf"
"$lab" restart-libvirtd hosta 2>&1 | note
fi

# 10: identical host UUIDs.
if [ "$same_uuid" = 1 ]; then
  check sameuuid
  expect "identical host UUIDs: blocking, naming the host UUID" sameuuid same-host blocking "same host UUID"
else
  skip "the lab's hosts have different host UUIDs (bring it up with MW_LAB_SAME_UUID=1)"
fi

# 11-12: dirtier than a capped link; forecast, then the real thing with default options.
if [ "$same_uuid" = 1 ]; then
  skip "the lab runs with identical host UUIDs (MW_LAB_SAME_UUID=1)"
  skip "the lab runs with identical host UUIDs (MW_LAB_SAME_UUID=1)"
  skip "the lab runs with identical host UUIDs (MW_LAB_SAME_UUID=1)"
else
  boot=$("$lab" guest bootid)
  "$lab" guest dirty 256 > /dev/null
  sleep 2
  check dirty --bandwidth 64
  expect "256 MiB/s dirtied against a 64 MiB/s cap: will not converge" dirty forecast warning "Will not converge"
  out=$(LC_ALL=C.UTF-8 LANGUAGE= "$cli" migrate --from "$SRC" --to "$DST" --bandwidth 64 \
        --abort-after 20 "$GUEST" 2>&1); rc=$?
  printf '%s\n' "$out" | note
  survived "256 MiB/s dirtied, migration stopped at 20 s" "$boot"
  "$lab" guest dirty 0 > /dev/null
  if [ "$rc" -ne 0 ] && printf '%s' "$out" | grep -q "NOT converging" && [ "$("$lab" guest where)" = hosta ]
  then ok "with default options it indeed does not converge (stopped at 20 s, guest on hosta)"
  else not_ok "expected a migration that does not converge (exit $rc, guest on $("$lab" guest where))"; fi
fi

[ "$n" -eq 19 ] || echo "# ran $n checks, planned 19"
[ "$failed" -eq 0 ]
