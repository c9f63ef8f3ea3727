#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# lab-setup.sh LAB_SCRIPT MIG_WIZARD_CLI: host set-up on the lab, as TAP. Needs the lab up.
#   The same netfs pool on both hosts: this kernel has no NFS client, so starting it must fail
#   on each host with exactly "unknown filesystem type 'nfs'", each host must be left as it was
#   (no pool, no mount directory), and the lab's shared storage (pool "shared") is reported as
#   what is used instead.
#   A bridge on hostb over ssh taking over mig0's address: not confirmed → rolled back by hostb
#   itself (ip link / addresses as before, hosta reachable over mig0 again); confirmed → kept
#   past the timeout, then removed by this script.
# Skips (exit 77) when not root or when the lab is not up.
set -uo pipefail
lab=${1:?usage: lab-setup.sh LAB_SCRIPT MIG_WIZARD_CLI}
cli=${2:?usage: lab-setup.sh LAB_SCRIPT MIG_WIZARD_CLI}

n=0 failed=0
ok ()     { n=$((n + 1)); echo "ok $n - $*"; }
not_ok () { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
note ()   { sed 's/^/# /'; }
skip_all () { echo "1..0 # SKIP $*"; exit 77; }

[ "$(id -u)" -eq 0 ] || skip_all "the lab needs root"
"$lab" virsh hosta version > /dev/null 2>&1 && "$lab" virsh hostb version > /dev/null 2>&1 ||
  skip_all "the lab is not up ('$lab up')"

A=qemu+ssh://root@hosta/system
B=qemu+ssh://root@hostb/system
POOL=mwtest-nfs
TARGET=/var/lib/libvirt/mwtest-nfs
BR=mwbr1
TIMEOUT=8

pools () { "$lab" virsh "$1" pool-list --all --name | sed '/^$/d' | sort; }
# name + addresses, not the operational state (a port's state may flap)
links () { "$lab" exec hostb ip -br addr | awk '{ $2 = ""; print }' | sort; }
routes () { "$lab" exec hostb ip route | sort; }

# ---- storage ----
before_a=$(pools hosta) before_b=$(pools hostb)
out=$("$cli" setup-pool --server 10.77.0.1 --export /srv/mwtest-nfs --network 10.78.0.0/24 \
        --pool "$POOL" --target "$TARGET" "$A" "$B" 2>&1)
rc=$?
printf '%s\n' "$out" | note
[ $rc -eq 1 ] && ok "setup-pool fails (exit 1)" || not_ok "setup-pool fails (exit $rc, wanted 1)"
for h in hosta hostb; do
  if printf '%s\n' "$out" | grep -q "^error: $h: start the pool: mount: unknown filesystem type 'nfs'"; then
    ok "$h: the pool was defined and built, and starting it failed because the kernel cannot mount NFS"
  else
    not_ok "$h: no \"$h: start the pool: mount: unknown filesystem type 'nfs'\" error"
  fi
  if printf '%s\n' "$out" | grep -q "^$h: define the pool — undone" &&
     printf '%s\n' "$out" | grep -q "^$h: build the pool — undone"; then
    ok "$h: define and build were undone"
  else
    not_ok "$h: define and build were not reported undone"
  fi
done
[ "$(pools hosta)" = "$before_a" ] && ok "hosta: pools as before" || not_ok "hosta: pools changed"
[ "$(pools hostb)" = "$before_b" ] && ok "hostb: pools as before" || not_ok "hostb: pools changed"
for h in hosta hostb; do
  if "$lab" exec "$h" test -e "$TARGET"; then not_ok "$h: $TARGET left behind"
  else ok "$h: no $TARGET left behind"; fi
done
if printf '%s\n' "$out" | grep -qx "using-instead: shared /mnt/shared"; then
  ok "the lab's shared storage (pool \"shared\" at /mnt/shared) is reported as used instead"
else
  not_ok "no \"using-instead: shared /mnt/shared\""
fi

# ---- bridge, not confirmed ----
links_before=$(links) routes_before=$(routes)
"$lab" exec hostb ip -br link | note
"$cli" setup-bridge --ssh root@hostb --bridge "$BR" --nic mig0 --timeout "$TIMEOUT" \
  > /tmp/mwtest-bridge.$$ 2>&1 &
pid=$!
seen=no
for _ in $(seq 1 40); do
  if "$lab" exec hostb ip -br addr show dev "$BR" 2> /dev/null | grep -q 10.78.0.3/24; then seen=yes; break; fi
  sleep 0.25
done
[ $seen = yes ] && ok "hostb: $BR up with mig0's address while waiting for a confirmation" ||
  not_ok "hostb: $BR never carried mig0's address"
"$lab" exec hostb ip -br link | note
wait $pid; rc=$?
note < /tmp/mwtest-bridge.$$
if [ $rc -eq 0 ] && grep -q '^applied (iproute2)' /tmp/mwtest-bridge.$$ && grep -qx reverted /tmp/mwtest-bridge.$$; then
  ok "not confirmed: hostb rolled the bridge back by itself (iproute2, ${TIMEOUT}s)"
else
  not_ok "not confirmed: no rollback reported (exit $rc)"
fi
rm -f /tmp/mwtest-bridge.$$
"$lab" exec hostb ip -br link | note
[ "$(links)" = "$links_before" ] && ok "hostb: links and addresses as before" ||
  { not_ok "hostb: links or addresses differ"; diff <(echo "$links_before") <(links) | note; }
[ "$(routes)" = "$routes_before" ] && ok "hostb: routes as before" || not_ok "hostb: routes differ"
"$lab" exec hostb ping -c 1 -W 2 10.78.0.2 > /dev/null && ok "hostb reaches hosta over mig0 again" ||
  not_ok "hostb cannot reach hosta over mig0"

# ---- bridge, confirmed, then removed ----
out=$("$cli" setup-bridge --ssh root@hostb --bridge "$BR" --nic mig0 --timeout "$TIMEOUT" --confirm 2>&1)
rc=$?
printf '%s\n' "$out" | note
[ $rc -eq 0 ] && printf '%s\n' "$out" | grep -qx kept && ok "confirmed: kept" || not_ok "confirmed: not kept (exit $rc)"
sleep $((TIMEOUT + 2))
"$lab" exec hostb ip -br addr show dev "$BR" 2> /dev/null | grep -q 10.78.0.3/24 &&
  ok "hostb: $BR still carries mig0's address after the timeout" || not_ok "hostb: $BR gone after confirming"
"$lab" exec hostb ping -c 1 -W 2 10.78.0.2 > /dev/null && ok "hostb reaches hosta through $BR" ||
  not_ok "hostb cannot reach hosta through $BR"
"$lab" exec hostb sh -c "ip link set dev mig0 nomaster && ip link del dev $BR && ip addr add 10.78.0.3/24 dev mig0 && ip link set dev mig0 up"
[ "$(links)" = "$links_before" ] && ok "removed: hostb as before" ||
  { not_ok "removed: hostb differs"; diff <(echo "$links_before") <(links) | note; }

echo "1..$n"
[ $failed -eq 0 ]
