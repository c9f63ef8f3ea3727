# SPDX-License-Identifier: GPL-3.0-or-later
# userlab.sh: the lab for normal users (issue #14), sourced by run-lab-suite just before its
# final down (it provides ok, not_ok, note, check, now_ms, $lab, $cli). Runs under `set -u`.
#
# Two throw-away users, made here and deleted at the end with the homes made for them under
# /tmp: one with a ~/.ssh/config of its own (no final newline, its own "Host *"), one without
# even a ~/.ssh. `up` through sudo (SUDO_USER) for the first and pkexec (PKEXEC_UID) for the
# second, with the lab already up, prepares them; each then runs `mig-wizard-cli list
# qemu+ssh://hosta/system` and hostb as itself and sees what the lab's own virsh sees; uid 65534
# still reaches neither host's ssh; `down` leaves both homes as they were, byte for byte (the
# config, every file's content, mode and owner), and the guard gone with the lab.
#
#   run_userlab                          sourced by run-lab-suite: leaves the lab DOWN
#   bash tests/lab/userlab.sh LAB CLI    alone, with the lab up, as root: prints TAP, leaves it down

userlab_as () # userlab_as USER COMMAND...: as that user, a clean environment, from its home
{
  local user=$1 home
  shift
  home=$(getent passwd "$user" | cut -d: -f6)
  ( cd "$home" && env -i HOME="$home" USER="$user" PATH=/usr/local/bin:/usr/bin:/bin LC_ALL=C \
      setpriv --reuid="$user" --regid="$(id -g "$user")" --init-groups -- "$@" )
}

# Every entry of a home: path, mode, owner, and the content's hash.
userlab_home_listing ()
{
  ( cd "$1" && find . -printf '%p %m %u %y\n' | sort &&
    find . -type f -exec sha256sum {} + | sort -k2 )
}

# userlab_lists USER HOST...: the user's CLI lists the same domains as the lab's virsh on each.
userlab_lists ()
{
  local user=$1 h got want
  shift
  for h in "$@"; do
    got=$(userlab_as "$user" "$base/mig-wizard-cli" list "qemu+ssh://$h/system") ||
      { echo "$got"; return 1; }
    echo "$user sees on $h: $(echo "$got" | cut -f1,2 | tr '\t\n' ': ')"
    got=$(echo "$got" | cut -f1 | sort)
    want=$("$lab" virsh "$h" list --all --name | sed '/^$/d' | sort)
    [ "$got" = "$want" ] || { echo "the lab's virsh on $h lists: $want"; return 1; }
    [ -n "$want" ] || [ "$h" != hosta ] || { echo "no guest on hosta at all"; return 1; }
  done
}

userlab_nobody_kept_out ()
{
  local hp rc=0
  for hp in 10.77.0.2:22 10.77.0.3:22; do
    if setpriv --reuid 65534 --regid 65534 --clear-groups -- \
         timeout 5 bash -c "exec 3<> /dev/tcp/${hp%:*}/${hp#*:}" 2> /dev/null; then
      echo "uid 65534 reached $hp"; rc=1
    fi
  done
  return "$rc"
}

# userlab_keys_private USER...: each user's lab key is theirs and theirs only, not root's.
userlab_keys_private ()
{
  local user home f
  for user in "$@"; do
    home=$(getent passwd "$user" | cut -d: -f6)
    f=$home/.ssh/mig-wizard-lab/id_ed25519
    stat -c '%n %U %a' "$f" || return 1
    [ "$(stat -c '%U %a' "$f")" = "$user 600" ] || return 1
    ! cmp -s "$f" "$(readlink -m "${MW_LAB_STATE:-$(dirname "$(readlink -f "$lab")")/state}")/ssh/id_ed25519" ||
      return 1
  done
}

# userlab_guard_is "UID...": the uids in the lab guard's set, in order.
userlab_guard_is ()
{
  local got
  got=$(nft -n -j list set inet mwlab users | grep -o '"elem": *\[[^]]*\]' | grep -o '[0-9]\+' |
          sort -n | tr '\n' ' ')
  echo "the guard lets through uids: $got"
  [ "$got" = "$1 " ]
}

# userlab_block_first CONFIG ORIGINAL: the lab's block, then the original, byte for byte.
userlab_block_first ()
{
  head -n1 "$1" | grep -q '^# BEGIN mig-wizard-lab' &&
    tail -c "$(stat -c %s "$2")" "$1" | cmp - "$2" &&
    [ "$(sed -n '/^# END mig-wizard-lab$/=' "$1")" -lt "$(grep -c '' "$1")" ]
}

run_userlab ()
{
  local t0 t_down base u1 u2 h1 h2 uid1 uid2 out rc
  t0=$(now_ms)
  base=$(mktemp -d /tmp/mw-userlab.XXXXXX)
  chmod 755 "$base"
  u1=mwlabu1-$$ u2=mwlabu2-$$ h1=$base/u1 h2=$base/u2
  if ! useradd -M -d "$h1" -s /bin/bash "$u1" || ! useradd -M -d "$h2" -s /bin/bash "$u2"; then
    not_ok "userlab: cannot create the throw-away users"
    userdel "$u1" 2> /dev/null; rm -rf "$base"
    return 0
  fi
  uid1=$(id -u "$u1") uid2=$(id -u "$u2")
  # The CLI (linked statically against the core) where the users can run it: the build tree may
  # be in a home they cannot enter.
  install -m 755 "$cli" "$base/mig-wizard-cli"
  install -d -o "$u1" -g "$u1" -m 700 "$h1" "$h1/.ssh"
  install -d -o "$u2" -g "$u2" -m 700 "$h2"
  # Their own config: an earlier Host block, a Host * of their own, no final newline.
  printf 'Host example.invalid\n  User someone\n\nHost *\n  ServerAliveInterval 30' > "$tmp/userlab-config"
  cp "$tmp/userlab-config" "$h1/.ssh/config"
  chown "$u1:$u1" "$h1/.ssh/config"
  chmod 644 "$h1/.ssh/config"
  userlab_home_listing "$h1" > "$tmp/userlab-h1-before"
  userlab_home_listing "$h2" > "$tmp/userlab-h2-before"

  out=$(env SUDO_USER="$u1" "$lab" up 2>&1); rc=$?
  printf '%s\n' "$out" | note
  if [ $rc -eq 0 ] && grep -qF -- "--connect=qemu+ssh://root@hosta/system --connect=qemu+ssh://root@hostb/system" <<< "$out"
  then ok "userlab: sudo up (SUDO_USER=$u1, lab already up) prepares the user and prints the command"
  else not_ok "userlab: sudo up (SUDO_USER=$u1) (exit $rc)"; fi
  check "userlab: pkexec up (PKEXEC_UID=$uid2, no ~/.ssh) prepares the user" \
    env PKEXEC_UID="$uid2" "$lab" up
  check "userlab: $u1's config: the lab's block first, then theirs byte for byte" \
    userlab_block_first "$h1/.ssh/config" "$tmp/userlab-config"
  check "userlab: each key is the user's own, mode 600, not root's" \
    userlab_keys_private "$u1" "$u2"
  check "userlab: the guard lets root, $u1 and $u2 through and no one else" \
    userlab_guard_is "0 $uid1 $uid2"
  check "userlab: $u1 lists hosta's guests (qemu+ssh://hosta/system) as itself" userlab_lists "$u1" hosta
  check "userlab: $u1 lists hostb's guests as itself" userlab_lists "$u1" hostb
  check "userlab: $u2 lists hosta's and hostb's guests as itself" \
    userlab_lists "$u2" hosta hostb
  check "userlab: uid 65534 still reaches neither host's ssh port" userlab_nobody_kept_out

  t_down=$(now_ms)
  check "userlab: down" "$lab" down
  t_down=$(( $(now_ms) - t_down ))
  check "userlab: down leaves $u1's home as it was: config byte for byte, no file of the lab" \
    diff -u "$tmp/userlab-h1-before" <(userlab_home_listing "$h1")
  check "userlab: down leaves $u2's home as it was: no ~/.ssh, no file of the lab" \
    diff -u "$tmp/userlab-h2-before" <(userlab_home_listing "$h2")
  check "userlab: the guard went with the lab" bash -c "! nft list table inet mwlab"

  userdel "$u1"; userdel "$u2"
  rm -rf "$base"
  t0=$(( $(now_ms) - t0 ))
  echo "# FIGURE userlab_s=$(( t0 / 1000 )).$(printf '%03d' $(( t0 % 1000 ))) of which down_s=$(( t_down / 1000 )).$(printf '%03d' $(( t_down % 1000 )))"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -u
  lab=${1:?usage: userlab.sh LAB_SCRIPT MIG_WIZARD_CLI} cli=${2:?usage: userlab.sh LAB_SCRIPT MIG_WIZARD_CLI}
  # shellcheck source=lab-helpers.sh
  . "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lab-helpers.sh"
  lab_tap_alone
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  "$lab" status > /dev/null 2>&1 || { echo "1..0 # SKIP the lab is not up"; exit 77; }
  run_userlab
  echo "1..$n"
fi
