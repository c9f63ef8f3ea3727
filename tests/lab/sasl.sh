# SPDX-License-Identifier: GPL-3.0-or-later
# sasl.sh: libvirt credentials against a real SASL libvirtd (issue #14), sourced by run-lab-suite
# (which provides ok, not_ok, note, now_ms, $lab, $cli, $tmp). Runs under `set -u`.
#
# "mig-wizard-lab sasl HOST on" on the host where labguest runs (its qemu+tcp listener then asks
# for user mwlab and a password, SASL DIGEST-MD5), then:
#   - the CLI without a terminal and nothing remembered refuses with its sentence;
#   - the CLI on a terminal (script(1) gives it one) reads the username and the password there
#     and lists the guest (the real SASL host; the echo is test-cli-credentials.py's);
#   - the credentials dialog test ($MW_CREDENTIALS_TEST, under Xvfb) against that host with a
#     real Secret Service (gnome-keyring in a private D-Bus session, its own HOME, an unlocked
#     login collection): dialog filled → guest listed; wrong password → asked again with the
#     sentence; cancel; window closed; remember → next connect without a dialog → connection
#     removed → the items are gone (libsecret asked directly);
#   - the CLI without a terminal reads what the keyring remembers (stored with secret-tool);
#   - secret-tool finds nothing of MigWizard's left in that keyring.
# SASL is turned off again whatever happened.
#
#   run_sasl                          sourced by run-lab-suite
#   bash tests/lab/sasl.sh LAB CLI    alone, with the lab up: prints TAP

SASL_SCHEMA=com.example.MigWizard.LibvirtCredential

# sasl_keyring_session CMD...: CMD in a private D-Bus session with gnome-keyring's Secret Service
# (login collection created and unlocked), HOME and XDG dirs under $tmp/keyring.
sasl_keyring_session ()
{
  local k=$tmp/keyring
  rm -rf "$k"
  mkdir -p "$k/home" "$k/run"
  chmod 700 "$k/run"
  HOME=$k/home XDG_RUNTIME_DIR=$k/run XDG_DATA_HOME=$k/home/.local/share \
    XDG_CONFIG_HOME=$k/home/.config dbus-run-session -- bash -c '
      printf mw-lab-keyring | gnome-keyring-daemon --unlock --components=secrets --daemonize > /dev/null
      exec "$@"' sasl-keyring "$@"
}

run_sasl ()
{
  local t0 host line uri password guest rc out
  t0=$(now_ms)
  if [ -z "${MW_CREDENTIALS_TEST:-}" ] || ! command -v gnome-keyring-daemon > /dev/null ||
     ! command -v secret-tool > /dev/null || ! command -v saslpasswd2 > /dev/null; then
    not_ok "sasl: needs MW_CREDENTIALS_TEST, gnome-keyring, libsecret-tools and sasl2-bin (./run installs them)"
    return 0
  fi
  host=$("$lab" guest where | cut -d' ' -f1)
  guest=labguest
  case "$host" in hosta|hostb) ;; *) not_ok "sasl: labguest runs nowhere ($host)"; return 0 ;; esac
  line=$("$lab" sasl "$host" on 2>&1 | tail -n1)
  uri=$(echo "$line" | grep -o 'qemu+tcp://[^ ]*/system')
  password=$(cat "$(echo "$line" | sed -n 's/.*password in \([^ ]*\) (root only).*/\1/p')" 2> /dev/null)
  if [ -z "$uri" ] || [ -z "$password" ]; then
    not_ok "sasl: '$lab sasl $host on' did not say its URI and password file: $line"
    "$lab" sasl "$host" off > /dev/null 2>&1 || true
    return 0
  fi
  ok "sasl: SASL on for $host ($uri)"

  # No terminal, nothing remembered: a sentence, not libvirt's "authentication failed".
  rc=0
  out=$(HOME=$tmp setsid "$cli" list "$uri" < /dev/null 2>&1) || rc=$?
  if [ $rc -ne 0 ] && echo "$out" | grep -q 'there is no terminal to ask on'; then
    ok "sasl: the CLI without a terminal refuses with its sentence"
  else
    not_ok "sasl: the CLI without a terminal (exit $rc): $out"
  fi

  # On a terminal: the username and password typed there (typed ahead through script(1), so
  # the pty echoes them before the prompt turns echo off: that the password is not echoed is
  # tests/cli/test-cli-credentials.py's to show).
  rc=0
  out=$(printf 'mwlab\n%s\n' "$password" |
        HOME=$tmp timeout 30 script -qec "$cli list $uri" /dev/null 2>&1) || rc=$?
  if [ $rc -eq 0 ] && echo "$out" | grep -q "$guest"; then
    ok "sasl: the CLI asks on the terminal and lists $guest"
  else
    not_ok "sasl: the CLI on a terminal (exit $rc): ${out//"$password"/PASSWORD}"
  fi

  # The dialog and the keyring.
  rc=0
  MW_TEST_SASL_URI=$uri MW_TEST_SASL_USER=mwlab MW_TEST_SASL_PASSWORD=$password \
    MW_TEST_SASL_GUEST=$guest MW_TEST_REAL_KEYRING=1 MW_SCREENSHOT_DIR=${MW_SCREENSHOT_DIR:-$tmp/sasl} \
    sasl_keyring_session xvfb-run -a -s '-screen 0 1280x1024x24' "$MW_CREDENTIALS_TEST" --tap \
    > "$tmp/sasl-ui.out" 2>&1 || rc=$?
  grep -E '^(ok|not ok)' "$tmp/sasl-ui.out" | note
  if [ $rc -eq 0 ] && [ "$(grep -c '^ok' "$tmp/sasl-ui.out")" -ge 5 ]; then
    ok "sasl: the credentials dialog against the SASL host with a real Secret Service"
  else
    grep -v '^ok' "$tmp/sasl-ui.out" | tail -n 15 | note
    not_ok "sasl: the credentials dialog test (exit $rc)"
  fi

  # Remembered (as the dialog stores it): the CLI needs no terminal; nothing else is left.
  rc=0
  out=$(sasl_keyring_session bash -c '
    printf mwlab | secret-tool store --label t xdg:schema "$1" uri "$2" credential username
    printf %s "$3" | secret-tool store --label t xdg:schema "$1" uri "$2" credential password
    setsid "$4" list "$2" < /dev/null; rc=$?
    secret-tool clear xdg:schema "$1" uri "$2"
    left=$(secret-tool search --all xdg:schema "$1" 2>&1)
    [ -z "$left" ] || { echo "left in the keyring: $left"; exit 9; }
    exit $rc' sasl "$SASL_SCHEMA" "$uri" "$password" "$cli" 2>&1) || rc=$?
  if [ $rc -eq 0 ] && echo "$out" | grep -q "$guest"; then
    ok "sasl: the CLI without a terminal uses the credentials the keyring remembers"
  else
    not_ok "sasl: the CLI with remembered credentials (exit $rc): ${out//"$password"/PASSWORD}"
  fi

  # status read whole first: under pipefail, grep -q stopping early would fail status with
  # SIGPIPE when more lines follow (the guard's and the prepared users').
  if "$lab" sasl "$host" off > /dev/null 2>&1 \
     && grep -q '^sasl: off' <<< "$("$lab" status 2> /dev/null)"; then
    ok "sasl: SASL off again on $host"
  else
    not_ok "sasl: '$lab sasl $host off' failed"
  fi
  echo "# FIGURE sasl seconds=$(( ($(now_ms) - t0) / 1000 ))"
}

# Alone: bash tests/lab/sasl.sh LAB CLI, with the lab up.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -u
  lab=${1:?usage: sasl.sh LAB CLI}
  cli=${2:?usage: sasl.sh LAB CLI}
  n=0
  ok ()     { n=$((n + 1)); echo "ok $n - $*"; }
  not_ok () { n=$((n + 1)); echo "not ok $n - $*"; }
  note ()   { sed 's/^/# /'; }
  now_ms () { local t; t=$(date +%s%N); echo $(( t / 1000000 )); }
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  run_sasl
  echo "1..$n"
fi
