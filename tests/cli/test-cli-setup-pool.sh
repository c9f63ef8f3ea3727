#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# test-cli-setup-pool.sh CLI: `mig-wizard-cli setup-pool --apply-server` and the NFS server's SSH
# host key: a key not known yet is refused with its fingerprint, a wrong --accept-host-key is
# refused, the right one is pinned in known_hosts and the server's steps run; a risky plan is
# warned about. A stand-in ssh-keyscan answers with a key made here, a stand-in ssh ($MW_SSH)
# logs what it is asked; HOME is a temporary directory.
cli=${1:?usage: test-cli-setup-pool.sh MIG_WIZARD_CLI}
a="test://$MW_DEMO_DIR/hosta.xml" b="test://$MW_DEMO_DIR/hostb.xml"
n=0 failed=0
ok () { n=$((n + 1)); echo "ok $n - $*"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $*"; }
echo "1..12"

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
mkdir "$tmp/bin" "$tmp/home"
ssh-keygen -q -t ed25519 -N '' -C nas -f "$tmp/hostkey" || exit 1
fingerprint=$(ssh-keygen -l -E sha256 -f "$tmp/hostkey.pub" | cut -d' ' -f2)
cat > "$tmp/bin/ssh-keyscan" <<SCRIPT
#!/bin/sh
printf 'nas.test %s\n' "\$(cut -d' ' -f1,2 "$tmp/hostkey.pub")"
SCRIPT
cat > "$tmp/bin/ssh" <<SCRIPT
#!/bin/sh
while [ "\$1" != -- ]; do shift; done
shift 2
printf '%s\n' "\$1" >> "$tmp/ssh.log"
case "\$1" in
  showmount*) echo '/srv/vmstore 10.78.0.0/24';;
  *) echo changed;;
esac
SCRIPT
chmod 755 "$tmp/bin/ssh-keyscan" "$tmp/bin/ssh"
HOME=$tmp/home PATH=$tmp/bin:$PATH MW_SSH=$tmp/bin/ssh
export HOME PATH MW_SSH
known=$tmp/home/.ssh/known_hosts
run () { "$cli" setup-pool --server nas.test --export /srv/vmstore --network 10.78.0.0/24 \
           --apply-server "$@" "$a" "$b" 2>&1; }

out=$(run); rc=$?
[ $rc -eq 1 ] && ok "unknown host key: exit 1" || not_ok "unknown host key: exit $rc: $out"
printf '%s\n' "$out" | grep -qF "error: The SSH host key of nas.test is not known yet: ED25519 $fingerprint." &&
  printf '%s\n' "$out" | grep -qF -- "--accept-host-key $fingerprint" &&
  ok "the refusal names the fingerprint and the option" || not_ok "refusal: $out"
[ ! -e "$tmp/ssh.log" ] && [ ! -e "$known" ] && ok "nothing ran, nothing pinned" ||
  not_ok "something ran: $(cat "$tmp/ssh.log" 2>/dev/null)"

out=$(run --accept-host-key SHA256:AAAAwrongfingerprintAAAAAAAAAAAAAAAAAAAAAAA); rc=$?
[ $rc -eq 1 ] && ok "wrong fingerprint: exit 1" || not_ok "wrong fingerprint: exit $rc: $out"
printf '%s\n' "$out" | grep -qF "error: SHA256:AAAAwrongfingerprintAAAAAAAAAAAAAAAAAAAAAAA is not a fingerprint of the SSH host keys of nas.test, which offers ED25519 $fingerprint." &&
  ok "the refusal says which key the server offers" || not_ok "mismatch: $out"
[ ! -e "$tmp/ssh.log" ] && [ ! -e "$known" ] && ok "wrong fingerprint: nothing ran, nothing pinned" ||
  not_ok "something ran: $(cat "$tmp/ssh.log" 2>/dev/null)"

out=$(run --accept-host-key "$fingerprint"); rc=$?
printf '%s\n' "$out" | grep -qxF "trusted: nas.test ED25519 $fingerprint" &&
  ok "the right fingerprint is trusted" || not_ok "accept: exit $rc: $out"
grep -q "^nas.test ssh-ed25519 " "$known" 2>/dev/null && [ "$(grep -c '' "$known")" -eq 1 ] &&
  ok "the key is pinned in known_hosts" || not_ok "known_hosts: $(cat "$known" 2>/dev/null)"
grep -q "mkdir -p /srv/vmstore" "$tmp/ssh.log" 2>/dev/null &&
  printf '%s\n' "$out" | grep -q "^nas.test: check the export (showmount -e)" &&
  ok "the server's steps ran" || not_ok "steps: $out"

rm -f "$tmp/ssh.log"
out=$(run); rc=$?
printf '%s\n' "$out" | grep -q "^nas.test: check the export (showmount -e)" &&
  ! printf '%s\n' "$out" | grep -q "trusted:\|not known yet" &&
  ok "known now: no question, the steps run" || not_ok "known: exit $rc: $out"

out=$("$cli" setup-pool --server nas.test --export /srv/vmstore --network '*' --print-plan); rc=$?
[ $rc -eq 0 ] && printf '%s\n' "$out" | grep -qF "warning: “*” lets any computer that reaches the server mount the export" &&
  ok "a plan open to anyone is warned about" || not_ok "warning: exit $rc: $out"

out=$("$cli" setup-pool --server nas.test --export / --network 10.78.0.0/24 --print-plan 2>&1); rc=$?
[ $rc -eq 2 ] && printf '%s\n' "$out" | grep -qF "Exporting / would give every host that mounts it root access" &&
  ok "exporting / is refused" || not_ok "export /: exit $rc: $out"
exit $failed
