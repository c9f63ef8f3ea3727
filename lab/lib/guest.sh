# SPDX-License-Identifier: GPL-3.0-or-later
# guest.sh: the accelerator decision, the lab guest's definition and start, its control page,
# and the client's pinger.

GUEST_UUID=6d77c000-0000-4000-8000-000000000010
PROBE_TIMEOUT_S=12

accel_probe_key ()
{
  echo "$(uname -r)|$(cat "$CACHE/guest/kernel-package" 2> /dev/null)|$(qemu-system-x86_64 --version | head -n1)"
}

# KVM or TCG is decided by trying: boot the lab kernel under KVM with plain QEMU and wait for
# its initramfs to say so on the serial port. A /dev/kvm that exists but cannot run the guest
# (e.g. a software "PVM" hypervisor) fails here. The verdict is cached per host kernel, guest
# kernel and QEMU; MW_LAB_ACCEL=kvm|tcg forces, MW_LAB_ACCEL=probe tries again.
accel_probe_start ()
{
  local forced=${MW_LAB_ACCEL:-auto} cached
  rm -f "$STATE/accel"
  case "$forced" in
    kvm|tcg) echo "$forced|forced by MW_LAB_ACCEL=$forced" > "$STATE/accel"; return 0 ;;
    auto|probe) ;;
    *) die "MW_LAB_ACCEL=$forced is not one of kvm, tcg, probe" "unset it, or use one of those" ;;
  esac
  if [ ! -c /dev/kvm ]; then
    echo "tcg|there is no /dev/kvm" > "$STATE/accel"
    return 0
  fi
  if [ "$forced" = auto ] && [ -f "$CACHE/accel-probe" ] &&
     [ "$(sed -n 1p "$CACHE/accel-probe")" = "$(accel_probe_key)" ]; then
    cached=$(sed -n 2p "$CACHE/accel-probe")
    echo "${cached%%|*}|${cached#*|} (cached; MW_LAB_ACCEL=probe to try again)" > "$STATE/accel"
    return 0
  fi
  # In the switch namespace, so that down finds it whatever happens to this script.
  ip netns exec "$NS_SW" timeout -s KILL "$PROBE_TIMEOUT_S" qemu-system-x86_64 \
    -accel kvm -machine pc -m 128 -nodefaults -display none -no-reboot \
    -serial "file:$STATE/accel-probe.serial" \
    -kernel "$CACHE/guest/vmlinuz" -initrd "$CACHE/guest/initrd.gz" \
    -append 'console=ttyS0 quiet panic=-1 mwlab.probe' \
    < /dev/null > "$STATE/accel-probe.log" 2>&1 9<&- &
  echo $! > "$STATE/accel-probe.pid"
}

accel_probe_finish ()
{
  local pid verdict why t0 rc=0 err
  [ -f "$STATE/accel" ] && return 0
  pid=$(pidfile_pid "$STATE/accel-probe.pid")
  t0=$(now_ms)
  wait "$pid" 2> /dev/null || rc=$?
  err=$(grep -v -i 'warning' "$STATE/accel-probe.log" 2> /dev/null | head -n1 | cut -c1-160 || true)
  if grep -q MWLAB-PROBE-OK "$STATE/accel-probe.serial" 2> /dev/null; then
    verdict=kvm why="KVM booted the lab kernel"
  elif [ "$rc" -eq 137 ]; then
    verdict=tcg why="KVM did not boot the lab kernel within $PROBE_TIMEOUT_S s"
  else
    verdict=tcg why="KVM failed: ${err:-QEMU exited with status $rc}"
  fi
  why="$why (tried $(date '+%F %T'))"
  printf '%s\n%s|%s\n' "$(accel_probe_key)" "$verdict" "$why" > "$CACHE/accel-probe"
  echo "$verdict|$why" > "$STATE/accel"
  rm -f "$STATE/accel-probe.pid"
  [ "$(( $(now_ms) - t0 ))" -lt 500 ] || info "waited $(elapsed "$t0") s for the KVM probe"
}

accel () { cut -d'|' -f1 "$STATE/accel" 2> /dev/null || echo unknown; }
accel_reason () { cut -d'|' -f2- "$STATE/accel" 2> /dev/null || true; }

# lab_domain_xml TYPE NAME UUID DESCRIPTION MEM_MIB IP MAC DISK: one busybox guest of the lab,
# booted from the lab's kernel and initramfs, on br0 with a static address (its hostname NAME).
lab_domain_xml ()
{
  local type=$1 name=$2 uuid=$3 desc=$4 mem=$5 ip=$6 mac=$7 disk=$8
  [ "$type" = kvm ] || type=qemu
  cat <<XML
<domain type='$type'>
  <name>$name</name>
  <uuid>$uuid</uuid>
  <description>$desc</description>
  <memory unit='MiB'>$mem</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$CACHE/guest/vmlinuz</kernel>
    <initrd>$CACHE/guest/initrd.gz</initrd>
    <cmdline>console=ttyS0 quiet panic=-1 ip=$ip:::255.255.255.0:$name:eth0:off</cmdline>
  </os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2' cache='none'/>
      <source file='$disk'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <interface type='bridge'>
      <mac address='$mac'/>
      <source bridge='br0'/>
      <model type='virtio'/>
    </interface>
    <serial type='file'>
      <source path='/var/log/libvirt/qemu/$name-serial.log'/>
      <target port='0'/>
    </serial>
    <memballoon model='none'/>
  </devices>
</domain>
XML
}

guest_xml ()
{
  lab_domain_xml "$1" "$GUEST_NAME" "$GUEST_UUID" \
    "mig-wizard-lab guest: busybox, $GUEST_IP, control page http://$GUEST_IP/" \
    "$GUEST_MEM_MIB" "$GUEST_IP" "$GUEST_MAC" "$SHARED_PATH/$GUEST_NAME.qcow2"
}

create_guest_disk ()
{
  qemu-img create -q -f qcow2 "$STATE/shared/$GUEST_NAME.qcow2" 64M 9<&-
  vsh hosta pool-refresh "$POOL_NAME" > /dev/null
  vsh hostb pool-refresh "$POOL_NAME" > /dev/null
}

# Defines the guest on hosta and starts it; prints the ms from start to the first ping reply.
start_guest ()
{
  local type=$1 timeout_s=$2 t0
  guest_xml "$type" > "$STATE/$GUEST_NAME.xml"
  vsh hosta define "$STATE/$GUEST_NAME.xml" > /dev/null
  t0=$(now_ms)
  vsh hosta start "$GUEST_NAME" > /dev/null || return 1
  wait_guest_ping "$timeout_s" || return 1
  echo $(( $(now_ms) - t0 ))
}

wait_guest_ping ()
{
  local deadline=$(( $(now_ms) + $1 * 1000 ))
  until in_sw ping -c1 -W1 -q "${CHECK_IP:-$GUEST_IP}" > /dev/null 2>&1; do
    [ "$(now_ms)" -lt "$deadline" ] || return 1
  done
}

guest_where ()
{
  local h st where=()
  for h in "${HOSTS[@]}"; do
    st=$(vsh "$h" domstate "$GUEST_NAME" 2> /dev/null || true)
    [ "$st" = running ] && where+=("$h")
  done
  echo "${where[*]:-none}"
}

# guest_qemus [NAME]: the hosts whose network namespace holds a QEMU process of the guest (its
# command line names it: "-name guest=NAME,"), whatever libvirt says: "hosta", "hostb", both on
# one line, or "none". A paused incoming copy counts, a zombie does not.
guest_qemus ()
{
  local name=${1:-$GUEST_NAME} h where=()
  for h in "${HOSTS[@]}"; do
    [ -n "$(lab_ns_pids "$(host_ns "$h")" "guest=$name,")" ] && where+=("$h")
  done
  echo "${where[*]:-none}"
}

# guest_http PATH: the control page of the guest at $CHECK_IP (default: labguest's).
guest_http ()
{
  in_sw curl -sS --noproxy '*' --max-time 5 "http://${CHECK_IP:-$GUEST_IP}/$1"
}

# guest_check [BOOT_ID]: did the guest (labguest, or the one at $CHECK_IP) survive? It answers ping (within 10 s), has not
# rebooted (the boot id given, taken before the migration), its kernel logged no oops, BUG or
# soft lockup, and the dirtier, when it runs, finds no page that lost a write (on-write count
# and a whole-buffer check now). One line "survived=yes|no …"; exit 0 only when it survived.
guest_check ()
{
  local want_boot=${1:-} st boot oopses dirtier verify stale_w stale_v why=()
  if ! wait_guest_ping 10; then
    echo "survived=no answers=no why=the guest does not answer ping (10 s)"
    return 1
  fi
  st=$(guest_http cgi-bin/status 2> /dev/null) || st=
  boot=$(printf '%s\n' "$st" | sed -n 's/^boot_id=//p')
  oopses=$(printf '%s\n' "$st" | sed -n 's/^oopses=//p')
  dirtier=$(printf '%s\n' "$st" | sed -n 's/^dirtier=//p')
  [ -n "$boot" ] || why+=("its control page does not answer")
  [ -z "$want_boot" ] || [ -z "$boot" ] || [ "$boot" = "$want_boot" ] ||
    why+=("it rebooted (boot id $boot, was $want_boot)")
  [ -z "$oopses" ] || [ "$oopses" = 0 ] || why+=("its kernel logged $oopses oops/BUG/lockup lines")
  stale_w=- stale_v=-
  case "$dirtier" in
    running*)
      stale_w=$(printf '%s\n' "$dirtier" | sed -n 's/.*stale=\([0-9]*\).*/\1/p')
      verify=$(guest_http cgi-bin/verify 2> /dev/null) || verify=
      stale_v=$(printf '%s\n' "$verify" | sed -n 's/.*stale=\([0-9]*\).*/\1/p')
      # A status line left by a dirtier that was stopped since: nothing to check.
      [ "$verify" = dirtier=stopped ] && stale_w=- stale_v=- && verify=
      [ -z "$verify" ] || [ -n "$stale_v" ] || why+=("the dirtier did not answer its check ($verify)")
      [ "${stale_w:-0}" = 0 ] || [ "$stale_w" = - ] || why+=("$stale_w pages lost a write (seen when rewritten)")
      [ -z "$stale_v" ] || [ "$stale_v" = 0 ] || [ "$stale_v" = - ] || why+=("$stale_v pages hold a stale value now")
      ;;
  esac
  local line="answers=yes boot_id=${boot:-?} oopses=${oopses:-?} stale_on_write=${stale_w:-?} stale_now=${stale_v:-?}"
  if [ ${#why[@]} -eq 0 ]; then
    echo "survived=yes $line"
    return 0
  fi
  local IFS=';'
  echo "survived=no $line why=${why[*]}"
  return 1
}

# ---- the client's pinger (in the switch namespace), 10 pings a second -------------------------
# One pinger per guest: labguest's by default; PINGER_IP and PINGER_LOG name another guest's
# (the extra guests', see guests.sh).

PINGER_ARGS="-D -O -i 0.1 -W 1"
pinger_ip () { echo "${PINGER_IP:-$GUEST_IP}"; }
pinger_log () { echo "${PINGER_LOG:-$STATE/pinger.log}"; }
pinger_pidfile () { local log; log=$(pinger_log); echo "${log%.log}.pid"; }
# The pinger, told by its namespace and command line (its pid file may be stale).
pinger_pids () { lab_ns_pids "$NS_SW" "ping $PINGER_ARGS $(pinger_ip)"; }

pinger_start ()
{
  pinger_stop > /dev/null 2>&1 || true
  # Started directly (not through a shell function) so $! is ping itself.
  # shellcheck disable=SC2086
  setsid ip netns exec "$NS_SW" ping $PINGER_ARGS "$(pinger_ip)" \
    < /dev/null > "$(pinger_log)" 2>&1 9<&- &
  echo $! > "$(pinger_pidfile)"
  echo "pinger started (pid $!), log: $(pinger_log)"
}

pinger_stop ()
{
  local pids pid
  mapfile -t pids < <(pinger_pids)
  if [ ${#pids[@]} -eq 0 ] && [ ! -s "$(pinger_pidfile)" ]; then echo "no pinger running"; return 0; fi
  for pid in "${pids[@]}"; do kill -INT "$pid" 2> /dev/null || true; done
  for _ in $(seq 40); do [ -n "$(pinger_pids)" ] || break; sleep 0.05; done
  [ ${#pids[@]} -eq 0 ] || kill_pids 1 "${pids[@]}"
  rm -f "$(pinger_pidfile)"
  pinger_stats
}

# One line: replies, lost, the longest gap between two replies and when it was.
pinger_stats ()
{
  [ -f "$(pinger_log)" ] || { echo "no pinger log" >&2; return 1; }
  awk '
    /bytes from/ && match($0, /icmp_seq=[0-9]+/) {
      seq = substr($0, RSTART + 9, RLENGTH - 9) + 0
      ts = substr($1, 2, length($1) - 2) + 0
      if (n == 0) first = seq
      if (n > 0 && ts - prev_ts > max_gap) { max_gap = ts - prev_ts; gap_at = prev_ts; gap_seq = prev_seq }
      if (seq > last) last = seq
      prev_ts = ts; prev_seq = seq; n++
      next
    }
    /no answer yet/ && match($0, /icmp_seq=[0-9]+/) { seq = substr($0, RSTART + 9, RLENGTH - 9) + 0
      if (seq > sent) sent = seq }
    END {
      if (n == 0) { print "replies=0 lost=all max_gap_s=inf"; exit 1 }
      lost = (last - first + 1) - n
      if (sent > last) lost += sent - last
      printf "replies=%d lost=%d max_gap_s=%.3f gap_at=%.3f gap_after_seq=%d\n",
             n, lost, max_gap, gap_at, gap_seq
    }' "$(pinger_log)"
}

# ---- a second guest whose disk is NOT shared (copy-storage tests) --------------------------------
# Pool "local" is a directory inside each host's private /var/lib/libvirt, so the disk exists on
# one host only. The guest "labstore" (10.77.0.11, 128 MiB, a 16 MiB qcow2 in "local") starts on
# hosta; nothing is made on hostb, so a migration with --copy-storage-all finds its volume missing.
LOCAL_POOL=local
LOCAL_POOL_PATH=/var/lib/libvirt/local-images
STORE_NAME=labstore
STORE_UUID=6d77c000-0000-4000-8000-000000000011
STORE_IP=$NET_PREFIX.11
STORE_MAC=52:54:00:77:00:11

local_pool_define ()
{
  local h=$1
  vsh "$h" pool-info "$LOCAL_POOL" > /dev/null 2>&1 && return 0
  in_host "$h" mkdir -p "$LOCAL_POOL_PATH"
  vsh "$h" pool-define-as "$LOCAL_POOL" dir --target "$LOCAL_POOL_PATH" > /dev/null
  vsh "$h" pool-start "$LOCAL_POOL" > /dev/null
}

store_xml ()
{
  lab_domain_xml "$(accel)" "$STORE_NAME" "$STORE_UUID" \
    "mig-wizard-lab guest with a local (unshared) disk, $STORE_IP" \
    128 "$STORE_IP" "$STORE_MAC" "$LOCAL_POOL_PATH/$STORE_NAME.qcow2"
}

store_where ()
{
  local h st where=()
  for h in "${HOSTS[@]}"; do
    st=$(vsh "$h" domstate "$STORE_NAME" 2> /dev/null || true)
    [ "$st" = running ] && where+=("$h")
  done
  echo "${where[*]:-none}"
}

# Removes labstore and its volumes from both hosts (the pools stay).
store_destroy ()
{
  local h
  for h in "${HOSTS[@]}"; do
    vsh "$h" destroy "$STORE_NAME" > /dev/null 2>&1 || true
    vsh "$h" undefine "$STORE_NAME" > /dev/null 2>&1 || true
    vsh "$h" vol-delete "$STORE_NAME.qcow2" --pool "$LOCAL_POOL" > /dev/null 2>&1 || true
  done
}

# Fresh: the volume on hosta only, the guest running there and answering ping.
store_start ()
{
  local h t0
  store_destroy
  for h in "${HOSTS[@]}"; do local_pool_define "$h"; done
  vsh hosta vol-create-as "$LOCAL_POOL" "$STORE_NAME.qcow2" 16M --format qcow2 > /dev/null
  store_xml > "$STATE/$STORE_NAME.xml"
  vsh hosta define "$STATE/$STORE_NAME.xml" > /dev/null
  t0=$(now_ms)
  vsh hosta start "$STORE_NAME" > /dev/null
  local deadline=$(( $(now_ms) + 40000 ))
  until in_sw ping -c1 -W1 -q "$STORE_IP" > /dev/null 2>&1; do
    [ "$(now_ms)" -lt "$deadline" ] || die "$STORE_NAME did not answer ping within 40 s" \
      "see $STATE/hosta/var-log-libvirt/qemu/$STORE_NAME-serial.log"
  done
  echo "$STORE_NAME runs on hosta ($STORE_IP, disk $LOCAL_POOL/$STORE_NAME.qcow2 on hosta only), boot to ping $(elapsed "$t0") s"
}
