# SPDX-License-Identifier: GPL-3.0-or-later
# checks.sh: what up needs from the machine, each failure named with what to do.

check_root ()
{
  [ "$(id -u)" -eq 0 ] ||
    die "the lab needs root (it creates namespaces, bridges and runs libvirtd)" \
        "run it as root: sudo $PROG ${ARGV0_CMD:-up}"
}

# command:package pairs; the package names are Debian 12's.
LAB_NEEDS=(
  libvirtd:libvirt-daemon virsh:libvirt-clients virt-ssh-helper:libvirt-clients
  qemu-system-x86_64:qemu-system-x86 qemu-img:qemu-utils
  sshd:openssh-server ssh:openssh-client ssh-keygen:openssh-client
  ip:iproute2 ss:iproute2 ping:iputils-ping curl:curl cpio:cpio gzip:gzip
  nsenter:util-linux unshare:util-linux flock:util-linux dpkg-deb:dpkg apt-get:apt nft:nftables
)

check_packages ()
{
  local need missing=() cmd pkg
  for need in "${LAB_NEEDS[@]}"; do
    cmd=${need%%:*} pkg=${need#*:}
    PATH=$PATH:/usr/sbin:/sbin command -v "$cmd" > /dev/null 2>&1 || missing+=("$pkg ($cmd)")
  done
  [ -e /usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so ] ||
    missing+=("libvirt-daemon-driver-qemu (libvirt's QEMU driver)")
  # The guest's initramfs needs a static busybox; Debian's plain "busybox" is dynamic.
  dpkg-query -W -f='${Status}' busybox-static 2> /dev/null | grep -q 'install ok installed' ||
    missing+=("busybox-static (a static busybox for the guest)")
  if [ ! -f "$CACHE/guest/stamp" ] || [ "$(cat "$CACHE/guest/stamp")" != "$(guest_build_key)" ]; then
    command -v gcc > /dev/null 2>&1 && [ -e /usr/lib/x86_64-linux-gnu/libc.a ] ||
      missing+=("build-essential (gcc and a static libc, to build the guest's dirtier)")
  fi
  [ ${#missing[@]} -eq 0 ] && return 0
  local names
  names=$(printf '%s\n' "${missing[@]}" | sed 's/ (.*//' | sort -u | tr '\n' ' ')
  die "missing Debian packages: $(printf '%s; ' "${missing[@]}")" \
      "apt-get install $names"
}

check_kernel ()
{
  local ns
  for ns in net mnt uts; do
    [ -e "/proc/self/ns/$ns" ] ||
      die "this kernel has no $ns namespaces (/proc/self/ns/$ns is missing)" \
          "use a kernel built with CONFIG_NAMESPACES, CONFIG_NET_NS and CONFIG_UTS_NS"
  done
  [ -c /dev/net/tun ] ||
    die "/dev/net/tun is missing, so libvirt cannot give the guest a network card" \
        "modprobe tun (CONFIG_TUN), or create it: mkdir -p /dev/net && mknod /dev/net/tun c 10 200"
  if ! unshare --net true 2> /dev/null; then
    die "cannot create a network namespace here (unshare --net failed)" \
        "run on a host or a privileged container that allows namespaces (CAP_SYS_ADMIN)"
  fi
}

# Run in the switch namespace once it exists: bridges and veth pairs.
check_kernel_links ()
{
  in_sw ip link add mwlab-probe type bridge 2> /dev/null ||
    die "the kernel cannot create a bridge" "modprobe bridge (CONFIG_BRIDGE)"
  in_sw ip link del mwlab-probe
  in_sw ip link add mwlab-p0 type veth peer name mwlab-p1 2> /dev/null ||
    die "the kernel cannot create veth pairs" "modprobe veth (CONFIG_VETH)"
  in_sw ip link del mwlab-p0
}

# The lab's subnets must be free on the desktop, and its names unused.
check_network_free ()
{
  local net dev
  for net in "$NET_PREFIX.0/24" "$MIG_PREFIX.0/24"; do
    dev=$(ip -4 route show to match "${net%/*}" 2> /dev/null | awk '$1 != "default" {print $3; exit}')
    [ -z "$dev" ] ||
      die "$net is already routed on this machine (dev $dev); the lab uses it for its own hosts" \
          "remove that route/address, or run '$PROG down' if it is a lab left over"
  done
  ip link show "$DESK_IF" > /dev/null 2>&1 &&
    die "a network interface named $DESK_IF already exists" "run '$PROG down' (or: ip link del $DESK_IF)"
  for ns in "$NS_A" "$NS_B" "$NS_SW"; do
    netns_exists "$ns" && die "network namespace $ns already exists" "run '$PROG down'"
  done
  return 0
}

# A port the lab is about to listen on, inside one of its namespaces.
check_port_free ()
{
  local h=$1 port=$2 who
  who=$(in_host "$h" ss -Hltnp "sport = :$port" 2> /dev/null | head -n1)
  [ -z "$who" ] ||
    die "port $port is already in use in $h ($who)" \
        "run '$PROG down' to stop what a previous lab left, then '$PROG up'"
}

# State, cache and the lab's files are read by daemons inside the hosts, where these paths are
# hidden by private mounts.
check_paths ()
{
  local p bad
  for p in "$STATE" "$CACHE"; do
    for bad in /root /etc/libvirt /var/lib/libvirt /var/log/libvirt /var/cache/libvirt /run \
               /var/run /mnt /sys /proc /dev; do
      case "$p/" in
        "$bad"/*) die "$p is under $bad, which the lab's hosts mount over" \
                      "set MW_LAB_STATE / MW_LAB_CACHE to a directory elsewhere (e.g. /var/tmp)" ;;
      esac
    done
  done
  check_state_dir
  if [ "$CACHE" = / ] || { [ -e "$CACHE" ] && ! dir_is_private "$CACHE"; }; then
    die "MW_LAB_CACHE=$CACHE is / or writable by users other than root: the lab unpacks and boots what it finds there" \
        "set MW_LAB_CACHE to a directory of its own (it is made if it does not exist)"
  fi
  state_dir_make
  # cache='none' opens the disk with O_DIRECT, which tmpfs and some overlays refuse.
  if ! dd if=/dev/zero of="$STATE/.odirect" bs=4096 count=1 oflag=direct status=none 2> /dev/null; then
    rm -f "$STATE/.odirect"
    die "the file system of $STATE does not support O_DIRECT (needed for the guest's cache='none' disk)" \
        "set MW_LAB_STATE to a directory on ext4/xfs/btrfs"
  fi
  rm -f "$STATE/.odirect"
}

# dir_is_private DIR: owned by root and writable by root only.
dir_is_private () { [ "$(stat -c %u "$1")" = 0 ] && [ $(( 0$(stat -c %a "$1") & 022 )) -eq 0 ]; }

# The state dir is removed by down, so it must be one that up made (its marker inside) or an
# empty one up was given, and only root may write there (its pid files name what down kills).
# Checked by up and down before anything is touched.
check_state_dir ()
{
  [ "$STATE" != / ] ||
    die "MW_LAB_STATE is /: the lab's state directory is removed by down, so it must be one of its own" \
        "set MW_LAB_STATE to a path that does not exist yet (up makes it)"
  [ -e "$STATE" ] || return 0
  [ -d "$STATE" ] || die "MW_LAB_STATE=$STATE is not a directory" "set MW_LAB_STATE to a path that does not exist yet"
  [ -f "$STATE/$STATE_MARK" ] || [ -z "$(ls -A "$STATE")" ] ||
    die "$STATE was not made by '$PROG up' (it has no $STATE_MARK): refusing to use or remove it" \
        "set MW_LAB_STATE to the lab's own state directory, or to a path that does not exist yet"
  dir_is_private "$STATE" ||
    die "$STATE may be written by users other than root (mode $(stat -c %a "$STATE"), owner $(stat -c %U "$STATE"))" \
        "set MW_LAB_STATE to a path that does not exist yet (up makes it, mode 700)"
}

# Makes the state dir (mode 700) with its marker: "created", removed whole by down, or "adopted"
# (it was there, empty), emptied by down.
state_dir_make ()
{
  if [ ! -e "$STATE" ]; then
    mkdir -p "$(dirname "$STATE")"
    mkdir -m 700 "$STATE"
    echo created > "$STATE/$STATE_MARK"
  elif [ ! -f "$STATE/$STATE_MARK" ]; then
    echo adopted > "$STATE/$STATE_MARK"
  fi
}
