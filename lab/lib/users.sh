# SPDX-License-Identifier: GPL-3.0-or-later
# users.sh: the lab for the user who ran "sudo mig-wizard-lab up" (SUDO_USER) or "pkexec
# mig-wizard-lab up" (PKEXEC_UID), so that their MigWizard reaches hosta and hostb as root:
#   - a marked block at the top of their ~/.ssh/config (as root's, ssh_block in hosts.sh),
#   - their own key in ~/.ssh/mig-wizard-lab/ (made by them: theirs, mode 600) with the hosts'
#     keys pinned next to it, authorised for root on both hosts,
#   - their uid in the guard's set (guard.sh): still nobody else reaches the lab.
# down takes all of it away again: the config byte for byte as it was (also when it or ~/.ssh
# did not exist), the key directory gone, the uid out of the guard (the table goes anyway).
# Everything in their home is done as them (setpriv), never as root: root writes nothing there.
# Root on the hosts is root on this machine: only prepare users who may be root here anyway,
# which sudo or pkexec has just checked.
#
# What up did for a user is kept in $STATE/users/UID/: "account" (name uid gid home) and
# "ssh-created" (the words "dir" and "config" for ~/.ssh and ~/.ssh/config that it created).

USER_KEY_DIR=mig-wizard-lab

# ---- run as the user (self-contained: handed to a bash of theirs by user_run) ------------------

# ssh_block_insert DIR: the block on standard input goes first in DIR/config, in place (the
# file keeps its inode, owner and mode). Prints "dir" or "config" before making either.
ssh_block_insert ()
{
  local dir=$1 tmp rc=0
  if [ ! -d "$dir" ]; then echo dir; mkdir -m 700 -- "$dir" || return 1; fi
  if [ ! -e "$dir/config" ]; then echo config; (umask 077 && : > "$dir/config") || return 1; fi
  tmp=$(mktemp "$dir/.config.mwlab.XXXXXX") || return 1
  cat - "$dir/config" > "$tmp" && cat "$tmp" > "$dir/config" || rc=1
  rm -f "$tmp"
  return "$rc"
}

# ssh_block_delete DIR CREATED BEGIN END: the block out of DIR/config; the file, then DIR,
# removed when CREATED (words, one a line or blank-separated) names them ("config", "dir") and
# they are empty.
ssh_block_delete ()
{
  local dir=$1 created=" ${2//$'\n'/ } " begin=$3 end=$4 file=$1/config b e tmp
  if [ -f "$file" ] && grep -qxF -- "$begin" "$file"; then
    b=$(grep -nxF -- "$begin" "$file" | head -n1 | cut -d: -f1)
    e=$(tail -n +"$b" "$file" | grep -nxF -- "$end" | head -n1 | cut -d: -f1)
    if [ -z "$e" ]; then
      echo "$file has the lab's BEGIN line but no END line: remove the mig-wizard-lab block by hand" >&2
      return 1
    fi
    e=$(( b + e - 1 ))
    tmp=$(mktemp "$dir/.config.mwlab.XXXXXX") || return 1
    # GNU sed keeps a missing final newline, so the rest of the file stays byte-identical.
    sed "${b},${e}d" "$file" > "$tmp" && cat "$tmp" > "$file"
    rm -f "$tmp"
  fi
  case $created in *" config "*) if [ -f "$file" ] && [ ! -s "$file" ]; then rm -f "$file"; fi ;; esac
  case $created in *" dir "*) rmdir -- "$dir" 2> /dev/null ;; esac
  return 0
}

# user_key_make DIR COMMENT: a fresh key in DIR (made mode 700 when missing), the hosts' keys
# from standard input as DIR/known_hosts; prints the public key.
user_key_make ()
{
  local dir=$1
  umask 077
  rm -f -- "$dir/id_ed25519" "$dir/id_ed25519.pub" "$dir/known_hosts"
  [ -d "$dir" ] || mkdir -m 700 -- "$dir" || return 1
  ssh-keygen -q -t ed25519 -N '' -C "$2" -f "$dir/id_ed25519" < /dev/null > /dev/null || return 1
  cat > "$dir/known_hosts" || return 1
  cat "$dir/id_ed25519.pub"
}

user_key_remove ()
{
  local dir=$1
  [ -d "$dir" ] || return 0
  rm -f -- "$dir/id_ed25519" "$dir/id_ed25519.pub" "$dir/known_hosts"
  rmdir -- "$dir" 2> /dev/null || { echo "left $dir in place: it holds files the lab did not make" >&2; return 1; }
}

# ---- run as root -----------------------------------------------------------------------------

# user_run UID GID HOME COMMAND ARGS...: COMMAND (a command or one of the functions above) as the
# user, with a clean environment, from /, without the lab's lock.
user_run ()
{
  local uid=$1 gid=$2 home=$3
  shift 3
  ( cd / && env -i HOME="$home" PATH="$PATH" LC_ALL=C \
      setpriv --reuid="$uid" --regid="$gid" --clear-groups -- bash -c \
      "$(declare -f ssh_block_insert ssh_block_delete user_key_make user_key_remove); \"\$@\"" \
      "$PROG" "$@" ) 9<&-
}

# The user who asked for the lab through sudo or pkexec, as "name uid gid home"; nothing when
# root itself ran it.
invoking_user ()
{
  local who entry name uid gid home
  if [ -n "${PKEXEC_UID:-}" ]; then
    [[ $PKEXEC_UID =~ ^[0-9]+$ ]] || die "PKEXEC_UID is not a number: $PKEXEC_UID" "run it as: pkexec $PROG up"
    who=$PKEXEC_UID
  elif [ -n "${SUDO_USER:-}" ]; then
    who=$SUDO_USER
  else
    return 0
  fi
  entry=$(getent passwd "$who") || die "no user $who on this machine (from sudo or pkexec)" \
                                       "run '$PROG up' through sudo or pkexec as that user"
  IFS=: read -r name _ uid gid _ home _ <<< "$entry"
  [ "$uid" != 0 ] || return 0
  [ -d "$home" ] || die "$name's home directory $home does not exist" "create it, or run '$PROG up' as root only"
  [[ $home != *[[:space:]]* ]] ||
    die "$name's home directory has a blank in its name: '$home'" "the lab cannot prepare it; run '$PROG up' as root only"
  echo "$name $uid $gid $home"
}

lab_users () { [ -d "$STATE/users" ] && cat "$STATE"/users/*/account 2> /dev/null; true; }

# lab_user_add NAME UID GID HOME: a second time, the user's earlier set-up is undone first.
lab_user_add ()
{
  local name=$1 uid=$2 gid=$3 home=$4 rec="$STATE/users/$2" kdir="$4/.ssh/$USER_KEY_DIR" pub h
  [ ! -d "$rec" ] || lab_user_remove "$uid"
  mkdir -p "$rec"
  echo "$name $uid $gid $home" > "$rec/account"
  : > "$rec/ssh-created"
  ssh_block "$kdir/id_ed25519" "$kdir/known_hosts" |
    user_run "$uid" "$gid" "$home" ssh_block_insert "$home/.ssh" >> "$rec/ssh-created" ||
    die "cannot add the lab's hosts to $home/.ssh/config as $name" \
        "check that $name can write $home/.ssh; '$PROG down' takes back what was done"
  pub=$(user_run "$uid" "$gid" "$home" user_key_make "$kdir" "mig-wizard-lab-uid$uid" \
          < "$STATE/ssh/known_hosts") ||
    die "cannot make $name's lab key in $kdir" "check that $name can write $home/.ssh"
  [[ $pub =~ ^ssh-ed25519\ [A-Za-z0-9+/]+=*\ mig-wizard-lab-uid$uid$ ]] ||
    die "$name's new lab key does not look like one: $pub" "'$PROG down', then try again"
  for h in "${HOSTS[@]}"; do
    printf '%s\n' "$pub" >> "$STATE/$h/root/.ssh/authorized_keys"
  done
  guard_allow "$uid"
  for h in "${HOSTS[@]}"; do
    user_run "$uid" "$gid" "$home" ssh -o BatchMode=yes -o ConnectTimeout=5 "$h" true < /dev/null ||
      die "ssh root@$h as $name does not work" \
          "check $home/.ssh/config: the mig-wizard-lab block must come before any 'Host *' that overrides it"
  done
}

# lab_user_remove UID: what lab_user_add did, undone; goes on past what fails, saying so.
lab_user_remove ()
{
  local rec="$STATE/users/$1" name uid gid home h f
  [ -f "$rec/account" ] || { rm -rf "$rec"; return 0; }
  read -r name uid gid home < "$rec/account"
  user_run "$uid" "$gid" "$home" user_key_remove "$home/.ssh/$USER_KEY_DIR" ||
    warn "could not remove $name's lab key in $home/.ssh/$USER_KEY_DIR"
  user_run "$uid" "$gid" "$home" ssh_block_delete "$home/.ssh" "$(cat "$rec/ssh-created")" \
    "$SSH_BLOCK_BEGIN" "$SSH_BLOCK_END" ||
    warn "could not remove the mig-wizard-lab block from $home/.ssh/config"
  for h in "${HOSTS[@]}"; do
    f="$STATE/$h/root/.ssh/authorized_keys"
    [ -f "$f" ] || continue
    { grep -v " mig-wizard-lab-uid$uid\$" "$f" || true; } > "$f.tmp"
    cat "$f.tmp" > "$f"
    rm -f "$f.tmp"
  done
  guard_disallow "$uid"
  rm -rf "$rec"
}

lab_users_remove ()
{
  local rec
  [ -d "$STATE/users" ] || return 0
  for rec in "$STATE"/users/*/; do
    [ -d "$rec" ] && lab_user_remove "$(basename "$rec")"
  done
  rmdir "$STATE/users" 2> /dev/null || true
}

# The app the user runs: the installed one, or the one built next to this source tree.
app_binary ()
{
  local top
  if [ "$LAB_DATA" != "$here" ]; then echo mig-wizard; return 0; fi
  top=$(dirname "$here")
  readlink -m "${MW_BUILD_DIR:-$top/_build}/src/mig-wizard"
}

# The command that opens MigWizard on the lab, for the user to copy (the uninstalled app with
# the environment ./run gives it).
app_command ()
{
  local uris bin build
  uris=$(cmd_uris | sed 's/^/--connect=/' | tr '\n' ' ')
  bin=$(app_binary)
  if [ "$bin" = mig-wizard ]; then
    echo "mig-wizard ${uris% }"
    return 0
  fi
  build=$(dirname "$(dirname "$bin")")
  printf 'env GSETTINGS_SCHEMA_DIR=%q MW_LOCALEDIR=%q %q %s\n' \
    "$build/data" "$build/po" "$bin" "${uris% }"
}

# Up's last words for the user it prepared.
lab_user_tell ()
{
  local name=$1 uid=$2 gid=$3 home=$4 bin
  bin=$(app_binary)
  say "hosta and hostb are ready for $name too (a block in $home/.ssh/config, a key in $home/.ssh/$USER_KEY_DIR)"
  info "open MigWizard on the lab as $name (in $name's desktop session):"
  printf '      %s\n' "$(app_command)" >&2
  if [ "$bin" != mig-wizard ] && ! user_run "$uid" "$gid" "$home" test -x "$bin"; then
    warn "$name cannot run $bin (not built yet, or in a directory $name cannot read):" \
         "build it where $name can read it, or install the package"
  fi
  info "'sudo $PROG down' takes the lab away again, and all of this with it"
}
