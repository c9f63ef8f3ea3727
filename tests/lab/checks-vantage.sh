# SPDX-License-Identifier: GPL-3.0-or-later
# checks-vantage.sh: the pre-flight checks look from where the migration stream starts. Sourced
# by run-lab-suite, which provides ok, not_ok, note and check; call
#   run_checks_vantage "$lab" "$cli"
# while the lab is up with the guest on hosta. Changes nothing in the lab.
#
# The lab's hosts resolve each other on their own migration network (mig0, private /etc/hosts);
# this computer reaches them through root's ssh config (HostName = their switch addresses) and
# cannot resolve "hostb" at all, which is exactly the set-up where pre-flight used to say "the
# migration stream would have nowhere to go" for migrations that then succeeded. When this
# computer can resolve hostb (a hosts entry), the CLI runs in a private mount namespace over an
# /etc/hosts without it; nothing outside that namespace changes.
#
#   1  this computer cannot resolve hostb (where the CLI runs), and hosta can
#   2  qemu+ssh: nothing blocks; the host name and the ports were checked from hosta, and say so
#   3  ssh to hosta failing for the probes (a stand-in ssh that exits 255): the host name and the
#      ports are tried from this computer in hosta's stead, say so, and only warn
#   4  qemu+tcp (no ssh at all): the same, naming the source as the URI does

# cv_field FILE ID KEY: a check's field from a saved --json result
cv_field ()
{
  python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(next(c for c in d["checks"] if c["id"] == sys.argv[2])[sys.argv[3]] or "")' "$1" "$2" "$3"
}

# cv_expect WHAT FILE ID STATE TEXT: one TAP line for a check's state and a text in its sentence
cv_expect ()
{
  local what=$1 file=$2 id=$3 want=$4 text=$5 got sentence
  got=$(cv_field "$file" "$id" state 2> /dev/null)
  sentence=$(cv_field "$file" "$id" sentence 2> /dev/null)
  printf '%s: %s: %s\n' "$id" "$got" "$sentence" | note
  cv_field "$file" "$id" detail 2> /dev/null | sed 's/^/    /' | note
  if [ "$got" = "$want" ] && printf '%s' "$sentence" | grep -qF -- "$text"; then ok "$what"
  else not_ok "$what (got $got: $sentence)"; fi
}

# cv_no_block WHAT FILE RC: one TAP line: the CLI's exit status is not 1 (nothing blocks)
cv_no_block ()
{
  local blocking
  blocking=$(python3 -c 'import json, sys
print(" ".join(c["id"] for c in json.load(open(sys.argv[1]))["checks"] if c["state"] == "blocking"))' "$2" 2> /dev/null)
  if [ "$3" != 1 ] && [ "$3" != 2 ] && [ -z "$blocking" ]; then ok "$1 (exit $3)"
  else not_ok "$1 (exit $3, blocking: $blocking)"; fi
}

run_checks_vantage ()
{
  local lab=${1:?usage: run_checks_vantage LAB CLI} cli=${2:?usage: run_checks_vantage LAB CLI}
  local src=qemu+ssh://root@hosta/system dst=qemu+ssh://root@hostb/system
  local dir rc tcp_a tcp_b
  local -a here=()
  dir=$(mktemp -d)

  if getent ahosts hostb > /dev/null 2>&1; then
    grep -vw hostb /etc/hosts > "$dir/hosts"
    here=(unshare --mount --propagation private sh -c 'mount --bind "$0" /etc/hosts && exec "$@"'
          "$dir/hosts")
    echo "# this computer resolves hostb: the CLI runs over an /etc/hosts without it" | note
  fi

  # 1: the vantage points differ.
  check "this computer cannot resolve hostb (where the CLI runs)" \
    bash -c '! "$@" getent ahosts hostb' _ "${here[@]}"
  check "hosta resolves hostb (its migration network)" "$lab" exec hosta getent ahosts hostb

  # 2: qemu+ssh: probed on hosta.
  rc=0
  "${here[@]}" "$cli" check --from "$src" --to "$dst" --json --timeout 30 labguest \
    > "$dir/ssh.json" 2> "$dir/ssh.err" || rc=$?
  note < "$dir/ssh.err"
  cv_no_block "qemu+ssh, hostb unknown here: nothing blocks" "$dir/ssh.json" "$rc"
  cv_expect "... the host name was resolved on hosta, and the result says so" "$dir/ssh.json" \
    dest-hostname passed "The source host, hosta, resolves"
  cv_expect "... the ports were tried from hosta, and the result says so" "$dir/ssh.json" \
    ports passed "The source host, hosta, reaches"

  # 3: ssh to the source fails for the probes: this computer stands in, says so, and warns.
  printf '#!/bin/sh\necho "ssh: connect to host hosta port 22: Connection refused" >&2\nexit 255\n' \
    > "$dir/ssh-down"
  chmod 755 "$dir/ssh-down"
  rc=0
  MW_SSH="$dir/ssh-down" "${here[@]}" "$cli" check --from "$src" --to "$dst" --json \
    --timeout 30 labguest > "$dir/down.json" 2> "$dir/down.err" || rc=$?
  note < "$dir/down.err"
  cv_no_block "ssh to hosta failing: nothing blocks" "$dir/down.json" "$rc"
  cv_expect "... the host name: checked from this computer, not from hosta; a warning" \
    "$dir/down.json" dest-hostname warning "Checked from this computer, not from hosta"
  cv_expect "... the ports: checked from this computer, not from hosta; a warning" \
    "$dir/down.json" ports warning "Checked from this computer, not from hosta"

  # 4: qemu+tcp (the lab's unauthenticated listener): no ssh to ask the source with.
  tcp_a=qemu+tcp://10.77.0.2/system tcp_b=qemu+tcp://10.77.0.3/system
  rc=0
  "${here[@]}" "$cli" check --from "$tcp_a" --to "$tcp_b" --json --timeout 30 labguest \
    > "$dir/tcp.json" 2> "$dir/tcp.err" || rc=$?
  note < "$dir/tcp.err"
  cv_no_block "qemu+tcp, hostb unknown here: nothing blocks" "$dir/tcp.json" "$rc"
  cv_expect "... the host name: checked from this computer, not from 10.77.0.2; a warning" \
    "$dir/tcp.json" dest-hostname warning "Checked from this computer, not from 10.77.0.2"

  rm -rf "$dir"
}
