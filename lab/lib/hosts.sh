# SPDX-License-Identifier: GPL-3.0-or-later
# hosts.sh: the switch namespace, the two hosts (network + mount + UTS namespaces, each with
# its own libvirtd, sshd, /etc/libvirt, /var/lib/libvirt, /run, /root, host_uuid, hostname),
# the hosta<->hostb migration link, the shared pool, and the desktop's way in.
#
#        desktop (root ns) mwlab0 10.77.0.254
#                   |
#        mwlab-sw: bridge sw0 10.77.0.1 (switch + client pinger)
#           |                          |
#   mwlab-hosta: br0 10.77.0.2    mwlab-hostb: br0 10.77.0.3   <- the guest's tap joins br0
#                mig0 10.78.0.2 ------- mig0 10.78.0.3          <- libvirt RPC + migration
#   Inside the hosts "hosta"/"hostb" resolve to the mig0 addresses (private /etc/hosts).

create_switch ()
{
  mountpoint -q /run/netns 2> /dev/null || touch "$STATE/netns-mount-created"
  make_dir_recorded /run/netns
  ip netns add "$NS_SW" ||
    die "cannot create network namespace $NS_SW" "check 'ip netns add' works as root here"
  echo "$NS_SW" >> "$STATE/netns"
  check_kernel_links
  in_sw ip link set lo up
  in_sw ip link add sw0 type bridge
  in_sw ip link set sw0 up
  in_sw ip addr add "$SW_IP/24" dev sw0
  # The desktop's leg.
  ip link add "$DESK_IF" type veth peer name sw-desk
  ip link set sw-desk netns "$NS_SW"
  in_sw ip link set sw-desk master sw0 up
  ip addr add "$DESK_IP/24" dev "$DESK_IF"
  ip link set "$DESK_IF" up
}

# Mount namespaces are kept as bind mounts on files in $NS_DIR, so no holder process is needed;
# the kernel wants that directory to be a private mount first.
prepare_ns_dir ()
{
  mkdir -p "$NS_DIR"
  if ! mountpoint -q "$NS_DIR"; then
    mount --bind "$NS_DIR" "$NS_DIR"
  fi
  mount --make-private "$NS_DIR"
}

write_host_files ()
{
  local h=$1 d="$STATE/$1" o
  o=$(other_host "$h")
  mkdir -p "$d"/{etc-libvirt,var-lib-libvirt,var-log-libvirt/qemu,var-cache-libvirt,root/.ssh}
  chmod 700 "$d/root" "$d/root/.ssh"

  cat > "$d/etc-libvirt/libvirtd.conf" <<CONF
# mig-wizard-lab $h. LAB ONLY: qemu+tcp without authentication, on br0 only; only root on the
# machine gets through the desktop's leg (guard.sh).
listen_tls = 0
listen_tcp = 1
listen_addr = "$(host_br_ip "$h")"
tcp_port = "16509"
auth_tcp = "none"
auth_unix_rw = "none"
unix_sock_rw_perms = "0700"
host_uuid = "$(host_uuid "$h")"
keepalive_interval = 5
log_outputs = "3:file:/var/log/libvirt/libvirtd.log"
CONF
  cat > "$d/etc-libvirt/qemu.conf" <<CONF
# mig-wizard-lab $h: no systemd, no cgroups, no security driver; QEMU runs as root.
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
security_driver = "none"
cgroup_controllers = [ ]
namespaces = [ ]
stdio_handler = "file"
$(shared_filesystems_line)
CONF
  cat > "$d/hosts" <<HOSTS
127.0.0.1 localhost
$(host_mig_ip hosta) hosta
$(host_mig_ip hostb) hostb
$GUEST_IP $GUEST_NAME
HOSTS
  # libvirtd resolves the qemu user before reading qemu.conf: give it one (pitfall of no
  # libvirt-daemon-system), without touching the real /etc/passwd.
  { cat /etc/passwd; getent passwd libvirt-qemu > /dev/null ||
      echo 'libvirt-qemu:x:64055:64055:Libvirt Qemu,,,:/var/lib/libvirt:/usr/sbin/nologin'; } \
    > "$d/passwd"
  { cat /etc/group; getent group kvm > /dev/null || echo 'kvm:x:64054:'
    getent group libvirt-qemu > /dev/null || echo 'libvirt-qemu:x:64055:'; } > "$d/group"

  ssh-keygen -q -t ed25519 -N '' -C "mwlab-$h-host" -f "$d/ssh_host_ed25519_key" 9<&-
  cat > "$d/sshd_config" <<CONF
# mig-wizard-lab $h
Port 22
ListenAddress 0.0.0.0
HostKey $d/ssh_host_ed25519_key
PidFile $d/sshd.pid
PermitRootLogin prohibit-password
PubkeyAuthentication yes
AuthorizedKeysFile .ssh/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
PrintMotd no
LogLevel ERROR
CONF
  # The host's root: the lab key (to reach the other host for peer-to-peer migration), known
  # hosts pinned, and the desktop's key authorised.
  cp "$STATE/ssh/id_ed25519" "$STATE/ssh/id_ed25519.pub" "$d/root/.ssh/"
  cp "$STATE/ssh/id_ed25519.pub" "$d/root/.ssh/authorized_keys"
  cat > "$d/root/.ssh/config" <<CONF
Host hosta hostb
  User root
  IdentityFile /root/.ssh/id_ed25519
  StrictHostKeyChecking yes
  UserKnownHostsFile /root/.ssh/known_hosts
CONF
  chmod 600 "$d/root/.ssh/"*
}

# The shared directory is a bind mount of one directory, not NFS: libvirt sees a local file
# system and would refuse to migrate ("Migration without shared storage is unsafe"). libvirt
# that has qemu.conf's shared_filesystems (its own qemu.conf template names it) is told the
# truth, so the lab migrates without --unsafe; older libvirt still needs it (status says which).
libvirt_has_shared_filesystems () { grep -q 'shared_filesystems' /etc/libvirt/qemu.conf 2> /dev/null; }
shared_filesystems_line ()
{
  libvirt_has_shared_filesystems && echo "shared_filesystems = [ \"$SHARED_PATH\" ]"
  return 0
}

write_known_hosts ()
{
  local h f="$STATE/ssh/known_hosts"
  : > "$f"
  for h in "${HOSTS[@]}"; do
    echo "$h,$(host_br_ip "$h"),$(host_mig_ip "$h") $(cut -d' ' -f1-2 "$STATE/$h/ssh_host_ed25519_key.pub")" >> "$f"
  done
  for h in "${HOSTS[@]}"; do cp "$f" "$STATE/$h/root/.ssh/known_hosts"; done
}

create_host ()
{
  local h=$1 ns d="$STATE/$1"
  ns=$(host_ns "$h")
  ip netns add "$ns" || die "cannot create network namespace $ns" "run '$PROG down', then retry"
  echo "$ns" >> "$STATE/netns"
  touch "$NS_DIR/$h.mnt" "$NS_DIR/$h.uts"
  echo "$h" >> "$STATE/hosts-created"
  # Made from the root mount namespace (not under "ip netns exec", whose own temporary mount
  # namespace would swallow the bind mounts); in_host adds the network namespace.
  unshare --mount="$NS_DIR/$h.mnt" --uts="$NS_DIR/$h.uts" --propagation private true 9<&- ||
    die "cannot create the mount/UTS namespaces of $h" \
        "the kernel needs mount and UTS namespaces; run '$PROG down' and retry"

  # The host's network: eth0 (to the switch) in br0, mig0 to the other host.
  ip link add "sw-$h" type veth peer name eth0 netns "$ns"
  ip link set "sw-$h" netns "$NS_SW"
  in_sw ip link set "sw-$h" master sw0 up
  ip -n "$ns" link set lo up
  ip -n "$ns" link add br0 type bridge
  ip -n "$ns" link set br0 type bridge forward_delay 0 stp_state 0
  ip -n "$ns" link set eth0 master br0 up
  ip -n "$ns" addr add "$(host_br_ip "$h")/24" dev br0
  ip -n "$ns" link set br0 up

  # Private files over the machine's, inside the host's mount namespace only.
  in_host "$h" sh -euc '
    d=$1 h=$2 shared=$3 shared_src=$4
    hostname "$h"
    mount -t tmpfs -o mode=755 tmpfs /run
    mkdir -p /run/sshd /run/libvirt
    mount -t sysfs sysfs /sys
    mount --bind "$d/etc-libvirt" /etc/libvirt
    mount --bind "$d/var-lib-libvirt" /var/lib/libvirt
    mount --bind "$d/var-log-libvirt" /var/log/libvirt
    mount --bind "$d/var-cache-libvirt" /var/cache/libvirt
    mount --bind "$d/root" /root
    mount --bind "$d/hosts" /etc/hosts
    mount --bind "$d/passwd" /etc/passwd
    mount --bind "$d/group" /etc/group
    mount -t tmpfs -o mode=755 tmpfs /mnt
    mkdir -p "$shared"
    mount --bind "$shared_src" "$shared"
  ' sh "$d" "$h" "$SHARED_PATH" "$STATE/shared"
}

link_hosts ()
{
  ip link add mig0 netns "$NS_A" type veth peer name mig0 netns "$NS_B"
  ip -n "$NS_A" addr add "$(host_mig_ip hosta)/24" dev mig0
  ip -n "$NS_B" addr add "$(host_mig_ip hostb)/24" dev mig0
  ip -n "$NS_A" link set mig0 up
  ip -n "$NS_B" link set mig0 up
}

# ---- the hosts' link: cut and restored (the fault drills) ---------------------------------------

# An nftables table in each host's network namespace drops everything on mig0, both ways: the
# migration stream and (peer-to-peer) the libvirt connection between the hosts stop, as if the
# cable were pulled; TCP connections are not reset, they only stop getting answers. br0 (the
# desktop's ssh, the guest's network) is untouched. Namespaces go at down, and the tables with them.
LINK_TABLE=mwlab-link

link_cut_in () { in_host "$1" nft list table inet "$LINK_TABLE" > /dev/null 2>&1; }

link_cut ()
{
  local h
  for h in "${HOSTS[@]}"; do
    link_cut_in "$h" && continue
    in_host "$h" nft -f - <<NFT ||
table inet $LINK_TABLE {
  chain input { type filter hook input priority -10; policy accept; iifname "mig0" drop; }
  chain output { type filter hook output priority -10; policy accept; oifname "mig0" drop; }
}
NFT
      die "cannot add the nftables table that cuts the link in $h" "check 'nft list ruleset' works"
  done
  echo "link between hosta and hostb: cut"
}

link_restore ()
{
  local h
  for h in "${HOSTS[@]}"; do
    netns_exists "$(host_ns "$h")" || continue
    if link_cut_in "$h"; then in_host "$h" nft delete table inet "$LINK_TABLE"; fi
  done
  echo "link between hosta and hostb: up"
}

# "up" or "cut" (cut on either side counts).
link_status ()
{
  local h
  for h in "${HOSTS[@]}"; do
    if netns_exists "$(host_ns "$h")" && link_cut_in "$h"; then echo cut; return 0; fi
  done
  echo up
}

start_daemons ()
{
  local h=$1 d="$STATE/$1"
  check_port_free "$h" 22
  check_port_free "$h" 16509
  in_host "$h" /usr/sbin/sshd -f "$d/sshd_config" ||
    die "sshd did not start in $h" "see '$PROG exec $h /usr/sbin/sshd -d -f $d/sshd_config'"
  in_host "$h" env HOME=/root libvirtd --daemon --listen --pid-file "$d/libvirtd.pid" ||
    die "libvirtd did not start in $h" "see $d/var-log-libvirt/libvirtd.log"
}

# libvirtd answers once its socket is up and the QEMU driver has probed QEMU.
wait_libvirtd ()
{
  local h=$1 deadline
  deadline=$(( $(now_ms) + 30000 ))
  until vsh "$h" uri > /dev/null 2>&1; do
    if [ -s "$STATE/$h/libvirtd.pid" ] && ! pid_alive "$(pidfile_pid "$STATE/$h/libvirtd.pid")"; then
      die "libvirtd in $h exited during start" "see $STATE/$h/var-log-libvirt/libvirtd.log"
    fi
    [ "$(now_ms)" -lt "$deadline" ] ||
      die "libvirtd in $h did not answer within 30 s" "see $STATE/$h/var-log-libvirt/libvirtd.log"
    sleep 0.1
  done
}

define_pool ()
{
  local h=$1
  vsh "$h" pool-define-as "$POOL_NAME" dir --target "$SHARED_PATH" > /dev/null
  vsh "$h" pool-start "$POOL_NAME" > /dev/null
  vsh "$h" pool-autostart "$POOL_NAME" > /dev/null
}

# ---- the desktop's ssh: a marked block at the top of root's ~/.ssh/config ---------------------
# (and of the ~/.ssh/config of the user who ran up through sudo or pkexec: users.sh)

root_ssh_dir () { echo "$(getent passwd root | cut -d: -f6)/.ssh"; }

# ssh_block KEY KNOWN_HOSTS: the lab's hosts as root, with that key and those pinned host keys.
ssh_block ()
{
  local h
  echo "$SSH_BLOCK_BEGIN"
  for h in "${HOSTS[@]}"; do
    cat <<CONF
Host $h
  HostName $(host_br_ip "$h")
  User root
  IdentityFile $1
  IdentitiesOnly yes
  UserKnownHostsFile $2
  StrictHostKeyChecking yes
  ProxyCommand none
  ProxyJump none
CONF
  done
  # Whatever follows was global before the block was added: keep it global.
  echo "Host *"
  echo "$SSH_BLOCK_END"
}

# What ssh_block_insert made is recorded in $STATE/ssh-created before it is made.
ssh_config_add ()
{
  ssh_config_remove
  ssh_block "$STATE/ssh/id_ed25519" "$STATE/ssh/known_hosts" |
    ssh_block_insert "$(root_ssh_dir)" >> "$STATE/ssh-created" ||
    die "cannot add the lab's hosts to $(root_ssh_dir)/config" "check that root's home is writable"
}

ssh_config_remove ()
{
  local created
  created=$(cat "$STATE/ssh-created" 2> /dev/null || true)
  ssh_block_delete "$(root_ssh_dir)" "$created" "$SSH_BLOCK_BEGIN" "$SSH_BLOCK_END" ||
    die "could not remove the lab's block from $(root_ssh_dir)/config" \
        "edit it by hand: remove the mig-wizard-lab block"
  rm -f "$STATE/ssh-created"
}

# ---- libvirtd crash drills: kill -9 a host's libvirtd, start it again ----------------------------

# A host's daemons, told by their network namespace and command line: a pid file alone may be
# stale, its PID someone else's by now.
libvirtd_pids () { lab_ns_pids "$(host_ns "$1")" "--pid-file $STATE/$1/libvirtd.pid"; }
libvirtd_pid ()
{
  local pid
  pid=$(lab_daemon_pid "$STATE/$1/libvirtd.pid" "$(host_ns "$1")" "--pid-file $STATE/$1/libvirtd.pid")
  [ -n "$pid" ] || pid=$(libvirtd_pids "$1")
  echo "${pid%%$'\n'*}"
}
sshd_pid () { lab_daemon_pid "$STATE/$1/sshd.pid" "$(host_ns "$1")" "-f $STATE/$1/sshd_config"; }

# kill_libvirtd HOST [SIGNAL]: what a crashed daemon looks like to its peers (default KILL).
kill_libvirtd ()
{
  local h=$1 sig=${2:-KILL} pid
  pid=$(libvirtd_pid "$h")
  [ -n "$pid" ] || die "libvirtd in $h is not running" "'$PROG restart-libvirtd $h' starts it"
  kill -"$sig" "$pid"
  for _ in $(seq 100); do pid_alive "$pid" || break; sleep 0.05; done
  pid_alive "$pid" && die "libvirtd in $h (pid $pid) did not die on SIG$sig" "kill it by hand: kill -9 $pid"
  echo "libvirtd in $h (pid $pid) killed with SIG$sig"
}

# restart_libvirtd HOST: stops it if it runs, starts it again, waits until it answers. A
# libvirtd killed mid-migration leaves its pid file and an orphaned incoming QEMU: the new
# daemon reconnects to (or kills) what it finds.
restart_libvirtd ()
{
  local h=$1 d="$STATE/$1" pids t0
  t0=$(now_ms)
  mapfile -t pids < <(libvirtd_pids "$h")
  [ ${#pids[@]} -eq 0 ] || kill_pids 5 "${pids[@]}"
  rm -f "$d/libvirtd.pid"
  in_host "$h" env HOME=/root libvirtd --daemon --listen --pid-file "$d/libvirtd.pid" ||
    die "libvirtd did not start in $h" "see $d/var-log-libvirt/libvirtd.log"
  wait_libvirtd "$h"
  echo "libvirtd in $h restarted (pid $(pidfile_pid "$d/libvirtd.pid")) in $(elapsed "$t0") s"
}
