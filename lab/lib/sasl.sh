# SPDX-License-Identifier: GPL-3.0-or-later
# sasl.sh: a host whose libvirtd asks for a username and password (SASL), for the credentials
# dialog and its tests.
#
#   sasl_set HOST on    libvirtd's TCP listener (the host's br0 address only, as always) wants
#                       SASL: user "mwlab", a fresh random password in $STATE/sasl-password
#                       (root only, mode 600). The host gets a private /etc/sasl2 (bind mount in
#                       its mount namespace; the machine's is never touched) with a sasldb.
#   sasl_set HOST off   back to no authentication; the sasldb and the password file go.
# Either restarts that host's libvirtd. The mechanism is DIGEST-MD5: libvirt asks a plain TCP
# connection for a SASL layer that encrypts (SSF 56 or more), which SCRAM-SHA-256 has not (it
# needs TLS under it), so libvirt 11.3 with Debian 12's Cyrus SASL refuses SCRAM here.

SASL_USER=mwlab
SASL_MECH=digest-md5

sasl_password_file () { echo "$STATE/sasl-password"; }
sasl_host () { state_get sasl_host; }

sasl_set ()
{
  local h=${1:-} mode=${2:-} d other password
  case "$h" in hosta|hostb) ;; *) die "usage: $PROG sasl hosta|hostb on|off" ;; esac
  d="$STATE/$h" other=$(other_host "$h")
  netns_exists "$(host_ns "$h")" || die "$h is not up" "run '$PROG up' first"
  command -v saslpasswd2 > /dev/null 2>&1 ||
    die "saslpasswd2 is missing" "apt-get install sasl2-bin libsasl2-modules"
  case "$mode" in
    on)
      [ "$(sasl_host)" != "$other" ] ||
        die "SASL is on for $other already; the lab has one SASL host" "'$PROG sasl $other off' first"
      password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
      ( umask 077
        mkdir -p "$d/etc-sasl2"
        cat > "$d/etc-sasl2/libvirt.conf" <<CONF
# mig-wizard-lab $h: libvirtd's SASL, for the lab only.
mech_list: $SASL_MECH
sasldb_path: /etc/sasl2/libvirt.db
CONF
        : > "$(sasl_password_file)"
        printf '%s\n' "$password" > "$(sasl_password_file)" )
      in_host "$h" sh -c 'mountpoint -q /etc/sasl2 || mount --bind "$1" /etc/sasl2' sh "$d/etc-sasl2"
      rm -f "$d/etc-sasl2/libvirt.db"
      printf '%s' "$password" | in_host "$h" saslpasswd2 -p -a libvirt -f /etc/sasl2/libvirt.db \
        -c "$SASL_USER" ||
        die "saslpasswd2 did not add the lab user in $h" "check sasl2-bin and libsasl2-modules"
      chmod 600 "$d/etc-sasl2/libvirt.db"
      sed -i 's/^auth_tcp = .*/auth_tcp = "sasl"/' "$d/etc-libvirt/libvirtd.conf"
      state_set sasl_host "$h"
      ;;
    off)
      sed -i 's/^auth_tcp = .*/auth_tcp = "none"/' "$d/etc-libvirt/libvirtd.conf"
      in_host "$h" sh -c 'if mountpoint -q /etc/sasl2; then umount /etc/sasl2; fi'
      rm -rf "$d/etc-sasl2"
      rm -f "$(sasl_password_file)"
      state_set sasl_host ""
      ;;
    *) die "usage: $PROG sasl hosta|hostb on|off" ;;
  esac
  restart_libvirtd "$h" > /dev/null
  sasl_status
}

# One line for status: where SASL is on, and how to log in.
sasl_status ()
{
  local h
  h=$(sasl_host)
  if [ -z "$h" ]; then
    echo "sasl: off (libvirtd's TCP listeners need no authentication)"
    return 0
  fi
  echo "sasl: on for $h: qemu+tcp://$(host_br_ip "$h")/system asks for user $SASL_USER, password in $(sasl_password_file) (root only): $(cat "$(sasl_password_file)" 2> /dev/null)"
}
