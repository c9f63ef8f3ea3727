# SPDX-License-Identifier: GPL-3.0-or-later
# ssh-access.sh: what the "add a host over SSH" test needs from a host's sshd.
#
#   ssh_password HOST on           root may log in with the password read from standard input
#                                  (one line): a private /etc/shadow with root's line only, mode
#                                  600 from the start, bind-mounted in the host only; the
#                                  machine's is never read nor touched
#   ssh_password HOST off          back to keys only
#   ssh_hostkey HOST new|restore   a fresh host key (the "changed key" drill), or the lab's own
# sshd re-reads its config and keys on SIGHUP; the lab's known_hosts stay as they were.

sshd_reload ()
{
  local h=$1 pid
  pid=$(sshd_pid "$h")
  [ -n "$pid" ] || die "sshd in $h is not running" "run '$PROG up' first"
  kill -HUP "$pid"
  # sshd re-executes itself: wait until it listens again.
  for _ in $(seq 50); do
    in_host "$h" bash -c 'exec 3<>/dev/tcp/127.0.0.1/22' 2> /dev/null && return 0
    sleep 0.1
  done
  die "sshd in $h did not come back after a reload" "see '$PROG exec $h /usr/sbin/sshd -t -f $STATE/$h/sshd_config'"
}

ssh_password ()
{
  local h=$1 mode=$2 password=${3:-} d="$STATE/$1" hash
  case "$mode" in
    on)
      if [ $# -ge 3 ]; then
        warn "a password on the command line is visible to every local user (ps); give it on standard input"
      elif [ -t 0 ]; then
        read -r -s -p "root password for $h's sshd: " password; echo >&2
      else
        IFS= read -r password || true
      fi
      [ -n "$password" ] || die "no password given" "usage: echo PASSWORD | $PROG ssh-password HOST on"
      hash=$(printf '%s\n' "$password" | openssl passwd -6 -stdin)
      # Written in place: a bind mount of it from an earlier "on" keeps seeing it.
      ( umask 077
        : > "$d/shadow"
        chmod 600 "$d/shadow"
        printf 'root:%s:%s:0:99999:7:::\n' "$hash" "$(( $(date +%s) / 86400 ))" > "$d/shadow" )
      in_host "$h" sh -c 'mountpoint -q /etc/shadow || mount --bind "$1" /etc/shadow' sh "$d/shadow"
      sed -i -e 's/^PasswordAuthentication .*/PasswordAuthentication yes/' \
             -e 's/^PermitRootLogin .*/PermitRootLogin yes/' "$d/sshd_config"
      ;;
    off)
      sed -i -e 's/^PasswordAuthentication .*/PasswordAuthentication no/' \
             -e 's/^PermitRootLogin .*/PermitRootLogin prohibit-password/' "$d/sshd_config"
      in_host "$h" sh -c 'if mountpoint -q /etc/shadow; then umount /etc/shadow; fi'
      rm -f "$d/shadow"
      ;;
    *) die "usage: $PROG ssh-password HOST on < PASSWORD-ON-STDIN | off" ;;
  esac
  sshd_reload "$h"
}

ssh_hostkey ()
{
  local h=$1 d="$STATE/$1"
  case "${2:-}" in
    new)
      [ -f "$d/ssh_host_ed25519_key.lab" ] ||
        mv "$d/ssh_host_ed25519_key" "$d/ssh_host_ed25519_key.lab"
      [ -f "$d/ssh_host_ed25519_key.pub.lab" ] ||
        mv "$d/ssh_host_ed25519_key.pub" "$d/ssh_host_ed25519_key.pub.lab"
      rm -f "$d/ssh_host_ed25519_key" "$d/ssh_host_ed25519_key.pub"
      ssh-keygen -q -t ed25519 -N '' -C "mwlab-$h-host-new" -f "$d/ssh_host_ed25519_key" 9<&-
      ;;
    restore)
      [ -f "$d/ssh_host_ed25519_key.lab" ] || return 0
      mv -f "$d/ssh_host_ed25519_key.lab" "$d/ssh_host_ed25519_key"
      mv -f "$d/ssh_host_ed25519_key.pub.lab" "$d/ssh_host_ed25519_key.pub"
      ;;
    *) die "usage: $PROG ssh-hostkey HOST new|restore" ;;
  esac
  sshd_reload "$h"
}
