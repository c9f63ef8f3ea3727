# SPDX-License-Identifier: GPL-3.0-or-later
# common.sh: names, addresses, paths, messages and small process helpers shared by every part
# of mig-wizard-lab. Sourced, never run.

# Everything the lab creates carries the "mwlab" prefix, so nothing else on the machine is touched.
NS_A=mwlab-hosta
NS_B=mwlab-hostb
NS_SW=mwlab-sw
HOSTS=(hosta hostb)
DESK_IF=mwlab0                  # the desktop's (root namespace's) leg into the switch

NET_PREFIX=10.77.0              # br0 / switch / guest network
MIG_PREFIX=10.78.0              # hosta<->hostb link: libvirt RPC and the migration stream
SW_IP=$NET_PREFIX.1             # the switch namespace, where the client pinger runs
DESK_IP=$NET_PREFIX.254
GUEST_IP=$NET_PREFIX.10
GUEST_MAC=52:54:00:77:00:10
GUEST_NAME=labguest
GUEST_MEM_MIB=256
POOL_NAME=shared
SHARED_PATH=/mnt/shared         # the same path inside both hosts
SSH_BLOCK_BEGIN='# BEGIN mig-wizard-lab (added by "mig-wizard-lab up"; "mig-wizard-lab down" removes it)'
SSH_BLOCK_END='# END mig-wizard-lab'

host_ns ()   { [ "$1" = hosta ] && echo "$NS_A" || echo "$NS_B"; }
host_num ()  { [ "$1" = hosta ] && echo 2 || echo 3; }
host_br_ip () { echo "$NET_PREFIX.$(host_num "$1")"; }
host_mig_ip () { echo "$MIG_PREFIX.$(host_num "$1")"; }
# MW_LAB_SAME_UUID=1 at up gives both hosts hosta's host_uuid, as a cloned host has: libvirt then
# refuses every migration between them ("Attempt to migrate guest to the same host"), which the
# pre-flight checks must catch first. Read back from the state so status shows what runs.
host_uuid ()
{
  if [ "$(state_get same_uuid 2> /dev/null)" = 1 ] || [ "$1" = hosta ]; then
    echo 6d77a000-0000-4000-8000-00000000000a
  else
    echo 6d77b000-0000-4000-8000-00000000000b
  fi
}
other_host () { [ "$1" = hosta ] && echo hostb || echo hosta; }

# ---- messages -------------------------------------------------------------------------------

if [ -t 2 ]; then BOLD=$'\033[1m'; RED=$'\033[1;31m'; YEL=$'\033[1;33m'; OFF=$'\033[0m'
else BOLD='' RED='' YEL='' OFF=''; fi

say ()  { printf '%s==> %s%s\n' "$BOLD" "$*" "$OFF" >&2; }
info () { printf '    %s\n' "$*" >&2; }
warn () { printf '%swarning:%s %s\n' "$YEL" "$OFF" "$*" >&2; }
# die MESSAGE [WHAT-TO-DO]: every fatal error names its cause and the next step.
die ()
{
  printf '%smig-wizard-lab: error:%s %s\n' "$RED" "$OFF" "$1" >&2
  [ $# -lt 2 ] || printf '  what to do: %s\n' "$2" >&2
  exit 1
}

now_ms () { local t; t=$(date +%s%N); echo $(( t / 1000000 )); }
elapsed () { local ms=$(( $(now_ms) - $1 )); printf '%d.%02d' $(( ms / 1000 )) $(( ms % 1000 / 10 )); }

# ---- processes ------------------------------------------------------------------------------

# PID 1 on such boxes reaps orphans slowly, and kill -0 succeeds on a zombie: a zombie is dead.
# Read by the shell itself: kill_pids asks every 50 ms, and a fork costs much on a loaded box.
pid_alive ()
{
  local pid=$1 line st
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
  { read -r line < "/proc/$pid/stat"; } 2> /dev/null || return 1
  st=${line##*) }
  st=${st%% *}
  [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

pidfile_pid () { [ -s "$1" ] && tr -dc '0-9' < "$1" || true; }

# kill_pids SIGNAL-WAIT-SECONDS PID...: TERM, wait, then KILL what is still alive.
kill_pids ()
{
  local wait_s=$1 pid deadline alive
  shift
  [ $# -gt 0 ] || return 0
  for pid in "$@"; do pid_alive "$pid" && kill -TERM "$pid" 2>/dev/null || true; done
  deadline=$(( $(now_ms) + wait_s * 1000 ))
  while :; do
    alive=()
    for pid in "$@"; do pid_alive "$pid" && alive+=("$pid"); done
    [ ${#alive[@]} -gt 0 ] || return 0
    [ "$(now_ms)" -lt "$deadline" ] || break
    sleep 0.05
  done
  for pid in "${alive[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for _ in $(seq 40); do
    alive=()
    for pid in "$@"; do pid_alive "$pid" && alive+=("$pid"); done
    [ ${#alive[@]} -gt 0 ] || return 0
    sleep 0.05
  done
}

netns_exists () { [ -e "/run/netns/$1" ]; }

# A namespace is told by device and inode together: an inode number alone can also be a plain
# file's (a namespace file that is no longer bind-mounted).
ns_id () { stat -L -c '%d:%i' "$1" 2> /dev/null; }

# pid_is_lab PID NETNS WORD: PID is alive, in the lab's network namespace NETNS, with WORD in its
# command line. Checked before signalling: a pid file may be stale and its PID someone else's now.
pid_is_lab ()
{
  local pid=$1 want
  pid_alive "$pid" && netns_exists "$2" || return 1
  want=$(ns_id "/run/netns/$2") && [ "$(ns_id "/proc/$pid/ns/net")" = "$want" ] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" 2> /dev/null | grep -qF -- "$3"
}

# lab_ns_pids NETNS WORD: every process of the lab in NETNS with WORD in its command line.
lab_ns_pids ()
{
  local p
  netns_exists "$1" || return 0
  for p in $(ip netns pids "$1" 2> /dev/null); do
    pid_is_lab "$p" "$1" "$2" && echo "$p"
  done
  return 0
}

# lab_daemon_pid PIDFILE NETNS WORD: the PID in PIDFILE when it is still that daemon of the lab.
lab_daemon_pid ()
{
  local pid
  pid=$(pidfile_pid "$1")
  if pid_is_lab "$pid" "$2" "$3"; then echo "$pid"; fi
}

# Commands inside a host: its network, mount and UTS namespaces. The lock fd is closed so a
# daemon started here never keeps the lab's lock.
in_host ()
{
  local h=$1
  shift
  nsenter --net="/run/netns/$(host_ns "$h")" --mount="$NS_DIR/$h.mnt" --uts="$NS_DIR/$h.uts" \
    -- "$@" 9<&-
}
in_sw () { ip netns exec "$NS_SW" "$@" 9<&-; }
vsh () { local h=$1; shift; in_host "$h" virsh -q -c qemu:///system "$@"; }

# Written by up into the state dir it made; down removes no state dir without it.
STATE_MARK=.mig-wizard-lab-state

# ---- the state file: key=value lines ----------------------------------------------------------

state_get () { [ -f "$STATE/lab.env" ] && sed -n "s/^$1=//p" "$STATE/lab.env" | tail -n1 || true; }
state_set ()
{
  local tmp="$STATE/lab.env.tmp"
  { [ -f "$STATE/lab.env" ] && grep -v "^$1=" "$STATE/lab.env" || true; echo "$1=$2"; } > "$tmp"
  mv -f "$tmp" "$STATE/lab.env"
}

# Directories the lab makes outside its state dir, recorded *before* they are made, removed by
# down only when empty.
make_dir_recorded ()
{
  local d=$1
  [ -d "$d" ] && return 0
  echo "$d" >> "$STATE/created-dirs"
  mkdir -p "$d"
}

# What the hosts run, as their libvirtd reports it: "libvirt 11.3.0, QEMU 10.0.2" per host.
lab_versions ()
{
  local h out lv qv line=()
  for h in "${HOSTS[@]}"; do
    out=$(vsh "$h" version 2> /dev/null) || { line+=("$h: libvirtd does not answer"); continue; }
    lv=$(printf '%s\n' "$out" | sed -n 's/^Using API: *QEMU *//p')
    qv=$(printf '%s\n' "$out" | sed -n 's/^Running hypervisor: *QEMU *//p')
    line+=("$h: libvirt ${lv:-?}, QEMU ${qv:-?}")
  done
  local IFS=';'
  echo "${line[*]}" | sed 's/;/; /g'
}
