# SPDX-License-Identifier: GPL-3.0-or-later
# guests.sh: extra small guests on hosta for the evacuation tests (issue #13).
#
# labextra1…labextraN (N ≤ 9): labguest's kernel and initramfs, 128 MiB, one vCPU, a 64 MiB
# qcow2 on the shared pool, address 10.77.0.2I, each answering ping and serving the same control
# page (boot id, status) as labguest. The lab stays small on purpose: a 24 GiB machine under TCG.
# Each has its own pinger in the switch namespace (PINGER_IP/PINGER_LOG, guest.sh).

EXTRA_PREFIX=labextra
EXTRA_MEM_MIB=128
EXTRA_MAX=9

extra_index ()   # extra_index NAME: 1…9, or fails
{
  local i=${1#"$EXTRA_PREFIX"}
  [[ "$1" = "$EXTRA_PREFIX"* && "$i" =~ ^[1-9]$ ]] || return 1
  echo "$i"
}
extra_ip ()   { echo "$NET_PREFIX.$(( 20 + $1 ))"; }
extra_mac ()  { printf '52:54:00:77:00:%02x\n' $(( 0x20 + $1 )); }
extra_uuid () { printf '6d77c000-0000-4000-8000-0000000000%02d\n' $(( 20 + $1 )); }

# The extra guests defined on either host, one name a line.
extra_names ()
{
  local h
  for h in "${HOSTS[@]}"; do
    vsh "$h" list --all --name 2> /dev/null | grep -E "^$EXTRA_PREFIX[1-9]\$" || true
  done | sort -u
}

# Runs CMD… with labguest's variables set to extra guest I's, so guest.sh's definition, disk and
# checks serve it unchanged.
as_extra ()
{
  local i=$1
  shift
  GUEST_NAME=$EXTRA_PREFIX$i GUEST_UUID=$(extra_uuid "$i") GUEST_IP=$(extra_ip "$i") \
    GUEST_MAC=$(extra_mac "$i") GUEST_MEM_MIB=$EXTRA_MEM_MIB CHECK_IP=$(extra_ip "$i") \
    PINGER_IP=$(extra_ip "$i") PINGER_LOG=$STATE/pinger-$EXTRA_PREFIX$i.log "$@"
}

# guests up N: labextra1…N defined and started on hosta, each answering ping; one line each.
extra_up ()
{
  local n=$1 i type t0
  [[ "$n" =~ ^[1-9]$ ]] || die "usage: $PROG guests up N (1 to $EXTRA_MAX)"
  type=$(accel)
  t0=$(now_ms)
  for i in $(seq "$n"); do
    as_extra "$i" extra_define "$type"
  done
  for i in $(seq "$n"); do
    as_extra "$i" wait_guest_ping 60 ||
      die "$EXTRA_PREFIX$i did not answer ping within 60 s" \
        "see $STATE/hosta/var-log-libvirt/qemu/$EXTRA_PREFIX$i-serial.log"
    echo "$EXTRA_PREFIX$i $(extra_ip "$i")"
  done
  info "$n extra guests up in $(elapsed "$t0") s"
}

# Defines and starts one extra guest on hosta (already running there: left alone).
extra_define ()
{
  local type=$1
  [ "$(vsh hosta domstate "$GUEST_NAME" 2> /dev/null || true)" = running ] && return 0
  [ -f "$STATE/shared/$GUEST_NAME.qcow2" ] || create_guest_disk
  guest_xml "$type" > "$STATE/$GUEST_NAME.xml"
  vsh hosta define "$STATE/$GUEST_NAME.xml" > /dev/null
  vsh hosta start "$GUEST_NAME" > /dev/null
}

# guests down: every extra guest gone from both hosts (a managed save too), with its disk and
# its pinger.
extra_down ()
{
  local name i h
  for name in $(extra_names); do
    for h in "${HOSTS[@]}"; do
      vsh "$h" destroy "$name" > /dev/null 2>&1 || true
      vsh "$h" undefine --managed-save "$name" > /dev/null 2>&1 || true
    done
  done
  for i in $(seq "$EXTRA_MAX"); do
    as_extra "$i" pinger_stop > /dev/null 2>&1 || true
    rm -f "$STATE/shared/$EXTRA_PREFIX$i.qcow2" "$STATE/$EXTRA_PREFIX$i.xml" \
      "$STATE/pinger-$EXTRA_PREFIX$i.log"
  done
  vsh hosta pool-refresh "$POOL_NAME" > /dev/null 2>&1 || true
  vsh hostb pool-refresh "$POOL_NAME" > /dev/null 2>&1 || true
}

cmd_guests ()
{
  local i
  case "${1:-}" in
    up) check_root; extra_up "${2:-}" ;;
    down) check_root; extra_down ;;
    list) for name in $(extra_names); do
            i=$(extra_index "$name")
            echo "$name $(extra_ip "$i") $(as_extra "$i" guest_where)"
          done ;;
    where|bootid|check|pinger)
      i=$(extra_index "${2:-}") || die "usage: $PROG guests $1 ${EXTRA_PREFIX}I …"
      case "$1" in
        where) as_extra "$i" guest_where ;;
        bootid) as_extra "$i" guest_http cgi-bin/bootid ;;
        check) as_extra "$i" guest_check "${3:-}" ;;
        pinger) case "${3:-}" in
                  start) check_root; as_extra "$i" pinger_start ;;
                  stop) as_extra "$i" pinger_stop ;;
                  stats) as_extra "$i" pinger_stats ;;
                  log) cat "$STATE/pinger-$EXTRA_PREFIX$i.log" ;;
                  *) die "usage: $PROG guests pinger ${EXTRA_PREFIX}I start|stop|stats|log" ;;
                esac ;;
      esac ;;
    *) die "usage: $PROG guests up N | down | list | where|bootid NAME | check NAME [BOOT_ID] | pinger NAME start|stop|stats|log" ;;
  esac
}
