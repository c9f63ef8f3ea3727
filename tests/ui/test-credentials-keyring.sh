#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# test-credentials-keyring.sh TEST: the credentials dialog test with a real Secret Service:
# gnome-keyring in a private D-Bus session (its own HOME and runtime dir, a login collection
# created and unlocked), so "Remember in keyring" is stored, found and forgotten by libsecret
# for real; afterwards nothing of MigWizard's is left in that keyring (secret-tool). ./run
# installs gnome-keyring, libsecret-tools and dbus-daemon.
test=${1:?usage: test-credentials-keyring.sh TEST-CREDENTIALS-DIALOG}
for tool in dbus-run-session gnome-keyring-daemon secret-tool xvfb-run; do
  command -v "$tool" > /dev/null || { echo "Bail out! $tool is missing (./run installs it)"; exit 1; }
done
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
mkdir -p "$tmp/home" "$tmp/run"
chmod 700 "$tmp/run"
HOME=$tmp/home XDG_RUNTIME_DIR=$tmp/run XDG_DATA_HOME=$tmp/home/.local/share \
  XDG_CONFIG_HOME=$tmp/home/.config dbus-run-session -- sh -c '
    printf mw-test-keyring | gnome-keyring-daemon --unlock --components=secrets --daemonize > /dev/null
    MW_TEST_REAL_KEYRING=1 xvfb-run -a -s "-screen 0 1280x1024x24" "$1" --tap > "$2/out" 2>&1
    rc=$?
    grep -v "^1\.\." "$2/out"
    left=$(secret-tool search --all xdg:schema com.example.MigWizard.LibvirtCredential 2>&1)
    if [ -z "$left" ]; then echo "ok 6 - nothing of MigWizard left in the keyring"
    else echo "not ok 6 - left in the keyring: $left"; rc=1; fi
    echo "1..6"
    exit $rc' sh "$test" "$tmp" 2> "$tmp/stderr"
rc=$?
[ $rc -eq 0 ] || grep -v 'fd limit' "$tmp/stderr" >&2
exit $rc
