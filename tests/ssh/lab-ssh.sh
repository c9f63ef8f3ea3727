#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# lab-ssh.sh LAB_SCRIPT MW_SSH_TOOL [MW_ASKPASS]: add hostb from scratch over SSH, as the Add Remote Host
# wizard does, then check that a changed host key is refused. Prints TAP.
#
# The desktop side uses a throwaway .ssh directory (ssh takes ~ from the passwd entry, not
# $HOME, so the files are named explicitly: -F config, known_hosts and identity), and a wrapper
# `ssh` first in PATH so that the ssh libvirt spawns for qemu+ssh:// uses the same config.
# hostb's sshd gets root password login for the test only; everything is put back on exit.
set -uo pipefail
LAB=${1:?usage: lab-ssh.sh LAB_SCRIPT MW_SSH_TOOL}
TOOL=${2:?usage: lab-ssh.sh LAB_SCRIPT MW_SSH_TOOL}
LAB=$(readlink -f "$LAB") TOOL=$(readlink -f "$TOOL")
# The askpass helper: third argument, else where meson builds it next to the tool.
MW_ASKPASS=$(readlink -f "${3:-$(dirname "$TOOL")/../../src/askpass/mw-askpass}")
export MW_ASKPASS
STATE=$(readlink -m "${MW_LAB_STATE:-$(dirname "$LAB")/state}")
HOST=hostb ADDR=10.77.0.3 TARGET=root@10.77.0.3

n=0 failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
check () { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }
diag () { sed 's/^/# /'; }

lab_status=$("$LAB" status 2> /dev/null || true)
if [ "$(id -u)" != 0 ] || ! grep -q "^lab: up" <<< "$lab_status"; then
  echo "1..0 # SKIP needs root and a running lab ($LAB up)"
  exit 0
fi

T=$(mktemp -d /tmp/mw-lab-ssh.XXXXXX)
D=$T/dot-ssh
mkdir -m 700 "$D" "$T/bin"
cat > "$T/ssh_config" <<CONF
Host *
  UserKnownHostsFile $D/known_hosts
  GlobalKnownHostsFile /dev/null
  IdentityFile $D/id_ed25519
  IdentitiesOnly yes
  IdentityAgent none
  StrictHostKeyChecking yes
  ProxyCommand none
  ProxyJump none
CONF
printf '#!/bin/sh\nexec /usr/bin/ssh -F %s "$@"\n' "$T/ssh_config" > "$T/bin/ssh"
chmod +x "$T/bin/ssh"
export PATH="$T/bin:$PATH" HOME=$T
unset SSH_AUTH_SOCK SSH_ASKPASS DISPLAY
run_tool () { "$TOOL" --ssh-dir "$D" --config "$T/ssh_config" "$@"; }

AK=$STATE/$HOST/root/.ssh/authorized_keys
cp -p "$AK" "$T/authorized_keys.lab"
KH_A=$STATE/hosta/root/.ssh/known_hosts
cp -p "$KH_A" "$T/known_hosts.hosta.lab"
PW="lab-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')-pw"

cleanup ()
{
  "$LAB" ssh-hostkey "$HOST" restore > /dev/null 2>&1
  "$LAB" ssh-password "$HOST" off > /dev/null 2>&1
  cp -p "$T/authorized_keys.lab" "$AK"
  cp -p "$T/known_hosts.hosta.lab" "$KH_A"
  rm -rf "$T"
}
trap cleanup EXIT

echo "1..16"

check "password login enabled on $HOST's sshd (lab only)" "$LAB" ssh-password "$HOST" on "$PW"

out=$(echo "" | run_tool keygen "$TARGET" 2>&1)
check "a fresh ed25519 key is created (no passphrase)" test -s "$D/id_ed25519" -a -s "$D/id_ed25519.pub"
echo "$out" | diag

lab_fp=$(ssh-keygen -l -E sha256 -f "$STATE/$HOST/ssh_host_ed25519_key.pub" | cut -d' ' -f2)
out=$(run_tool check "$TARGET" 2>&1); rc=$?
echo "$out" | diag
if [ $rc = 0 ] && grep -qx "state NEW" <<< "$out" && grep -qx "key ED25519 $lab_fp" <<< "$out"; then
  ok "host key is NEW; its SHA256 fingerprint is the lab's own ($lab_fp)"
else
  not_ok "host key is NEW; its SHA256 fingerprint is the lab's own ($lab_fp)" "rc=$rc"
fi

out=$(run_tool accept "$TARGET" 2>&1); rc=$?
out2=$(run_tool check "$TARGET" 2>&1)
if [ $rc = 0 ] && grep -qx accepted <<< "$out" && grep -qx "state KNOWN_SAME" <<< "$out2" &&
   [ "$(wc -l < "$D/known_hosts")" = 1 ]; then
  ok "confirmed key written to known_hosts once; the next check says KNOWN_SAME"
else
  not_ok "confirmed key written to known_hosts once; the next check says KNOWN_SAME" "$out" "$out2"
fi

out=$(run_tool login "$TARGET" 2>&1); rc=$?
check "before the key is copied, passwordless login is refused" test $rc != 0
echo "$out" | diag

out=$(echo "wrong-$PW" | run_tool copy-id "$TARGET" 2>&1); rc=$?
check "a wrong password is refused (through mw-askpass)" test $rc != 0
echo "$out" | sed "s/$PW/<PASSWORD>/g" | diag

out=$(echo "$PW" | run_tool copy-id "$TARGET" 2>&1); rc=$?
check "the public key is copied with the password, asked once" test $rc = 0
echo "$out" | diag

out=$(run_tool login "$TARGET" 2>&1); rc=$?
check "passwordless login works" test $rc = 0
echo "$out" | diag

echo "$PW" | run_tool copy-id "$TARGET" > /dev/null 2>&1
key=$(cut -d' ' -f1-2 "$D/id_ed25519.pub")
count=$(grep -cF "$key" "$AK")
check "copying again does not duplicate the key in authorized_keys (count=$count)" test "$count" = 1

out=$(run_tool libvirt "$TARGET" 2>&1); rc=$?
echo "$out" | diag
if [ $rc = 0 ] && grep -qx "hostname $HOST" <<< "$out" && grep -q '^libvirt [0-9]' <<< "$out" &&
   grep -q '^QEMU [0-9]' <<< "$out"; then
  ok "libvirt over qemu+ssh://$TARGET/system answers with hostname and versions"
else
  not_ok "libvirt over qemu+ssh://$TARGET/system answers with hostname and versions" "rc=$rc"
fi

leaks=$(grep -rlF -- "$PW" "$T" 2> /dev/null || true)
check "the password is in no file of the throwaway home" test -z "$leaks"

"$LAB" ssh-hostkey "$HOST" new > /dev/null
new_fp=$(ssh-keygen -l -E sha256 -f "$STATE/$HOST/ssh_host_ed25519_key.pub" | cut -d' ' -f2)
before=$(md5sum < "$D/known_hosts")
out=$(run_tool accept "$TARGET" 2>&1); rc=$?
echo "$out" | diag
if [ $rc = 3 ] && grep -q CHANGED <<< "$out" && grep -qF "$lab_fp" <<< "$out" &&
   grep -qF "$new_fp" <<< "$out" && grep -q "remove line 1 of $D/known_hosts" <<< "$out" &&
   [ "$(md5sum < "$D/known_hosts")" = "$before" ]; then
  ok "a changed host key is refused as CHANGED, naming old and new fingerprints; known_hosts untouched"
else
  not_ok "a changed host key is refused as CHANGED, naming old and new fingerprints; known_hosts untouched" "rc=$rc"
fi

out=$(run_tool login "$TARGET" 2>&1); rc=$?
check "and ssh itself refuses to log in to the changed host" test $rc != 0
echo "$out" | head -3 | diag

# Peer-to-peer: root on hosta reaching root on hostb, through root's own ssh config for the
# lab (its marked block names hosta and hostb), so no --ssh-dir here.
"$LAB" ssh-hostkey "$HOST" restore > /dev/null
p2p () { HOME=/root PATH=${PATH#"$T/bin:"} "$TOOL" "$@"; }
out=$(p2p p2p-check root@hosta hostb 2>&1); rc=$?
echo "$out" | diag
check "peer-to-peer path hosta -> hostb works as the lab set it up" test $rc = 0

: > "$KH_A"
out=$(p2p p2p-check root@hosta hostb 2>&1); rc=$?
echo "$out" | diag
if [ $rc = 4 ] && grep -q "does not know hostb" <<< "$out"; then
  ok "without hostb's key pinned on hosta, the check says so and explains"
else
  not_ok "without hostb's key pinned on hosta, the check says so and explains" "rc=$rc"
fi

out=$(p2p p2p-setup root@hosta hostb "$ADDR" 2>&1); rc=$?
echo "$out" | diag
out2=$(p2p p2p-check root@hosta hostb 2>&1); rc2=$?
if [ $rc = 0 ] && [ $rc2 = 0 ] && grep -qF "dest key ED25519 $lab_fp" <<< "$out"; then
  ok "the offered fix pins hostb's confirmed key on hosta and the path works again"
else
  not_ok "the offered fix pins hostb's confirmed key on hosta and the path works again" "$out2"
fi

[ $failed = 0 ]
