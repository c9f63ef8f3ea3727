#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Suite 'package': the Debian packages built from a copy of this tree install, work, and purge
# without a trace.
#
#   test-package.sh SOURCE_ROOT
#
# Builds mig-wizard and mig-wizard-lab with dpkg-buildpackage (nocheck: the tests are not
# built) in a temporary directory, installs both with apt-get, runs the installed programs,
# purges both and compares a listing of /usr before and after. Whatever happens, the trap purges
# what it installed and removes the temporary directory. Needs root; prints TAP.
set -uo pipefail
top=$(readlink -f "${1:?usage: test-package.sh SOURCE_ROOT}")
export LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive
PKGS=(mig-wizard mig-wizard-lab)
n=0 failed=0 t_start=$(date +%s)

echo "TAP version 13"
skip_all() { echo "1..0 # SKIP $*"; exit 0; }
[ "$(id -u)" -eq 0 ] || skip_all "needs root: it installs and purges the package"
command -v dpkg-buildpackage > /dev/null ||
  skip_all "dpkg-buildpackage is not installed (./run installs dpkg-dev and debhelper)"

ok() { n=$((n + 1)); echo "ok $n $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n $1"; shift; [ $# -eq 0 ] || printf '%s\n' "$@" | sed 's/^/# /'; }
# check NAME CMD...: one TAP line; the command's output as diagnostics when it fails.
check()
{
  local name=$1 out
  shift
  if out=$("$@" 2>&1); then ok "$name"; else not_ok "$name" "$out"; fi
}
bail() { echo "Bail out! $*"; exit 1; }
note() { echo "# $*"; }
elapsed() { echo "$(( $(date +%s) - t_start )) s"; }
installed() { dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2> /dev/null | grep -q '^.i'; }
present() { dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2> /dev/null | grep -q '^[a-z][^n]'; }
# apt-get waits up to 2 minutes for the lock another apt or dpkg holds.
apt_get() { nice -n 10 apt-get -y -q -o DPkg::Lock::Timeout=120 "$@" 2>&1; }

# One package test at a time on this machine (other worktrees run it too).
exec 8> /tmp/mw-package-test.lock
flock -w 300 8 || bail "another package test has held /tmp/mw-package-test.lock for 5 minutes"

for p in "${PKGS[@]}"; do
  ! present "$p" ||
    bail "$p is already installed: this test would purge it (dpkg --purge ${PKGS[*]} first)"
done

tmp=$(mktemp -d /var/tmp/mw-package.XXXXXX)
we_installed=0
cleanup()
{
  local rc=$?
  if [ "$we_installed" = 1 ]; then
    for p in "${PKGS[@]}"; do
      present "$p" && { note "cleanup: purging $p"; apt_get purge "$p" > /dev/null || dpkg --purge "$p" > /dev/null 2>&1; }
    done
  fi
  rm -rf "$tmp"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# --- build ----------------------------------------------------------------------------------
version=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
src=$tmp/mig-wizard-$version
mkdir -p "$src"
if git -C "$top" rev-parse --is-inside-work-tree > /dev/null 2>&1; then
  # What git tracks or would track, as it is in the work tree now.
  (cd "$top" && git ls-files -z --cached --others --exclude-standard |
     while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
     tar --null -T - -cf -) | tar -xf - -C "$src" || bail "could not copy the tree"
else
  tar -C "$top" --exclude='./_build*' --exclude=./build --exclude=./lab/state \
    --exclude=./lab/cache --exclude=./bench/results -cf - . | tar -xf - -C "$src" ||
    bail "could not copy the tree"
fi
# nocheck: the tests are neither built nor run (the other suites are the tests); -g0: no debug
# information to write and strip, which is most of the build's time besides compiling.
if (cd "$src" && DEB_BUILD_OPTIONS="nocheck noddebs nostrip parallel=$(nproc)" DEB_CFLAGS_APPEND=-g0 \
      nice -n 10 dpkg-buildpackage -b -us -uc) > "$tmp/build.log" 2>&1; then
  ok "dpkg-buildpackage -b builds the packages ($(elapsed))"
else
  not_ok "dpkg-buildpackage -b builds the packages" "$(tail -n 40 "$tmp/build.log")"
  bail "no package to test"
fi
debs=("$tmp"/mig-wizard_"$version"_*.deb "$tmp"/mig-wizard-lab_"$version"_all.deb)
for d in "${debs[@]}"; do [ -f "$d" ] || bail "$d was not built"; done

# --- install --------------------------------------------------------------------------------
# Whatever apt would pull in besides ours would stay after the purge: ask for it up front
# (so the install below adds nothing but ours).
extra=$(apt-get -s install --no-install-recommends "${debs[@]}" 2> /dev/null |
        sed -n 's/^Inst \([^ ]*\).*/\1/p' | grep -vx 'mig-wizard\|mig-wizard-lab')
[ -z "$extra" ] ||
  bail "the packages depend on packages that are not installed: $(echo $extra) (./run installs them)"

# /usr whole (other packages' byte-compiled Python aside); elsewhere, what is named after us.
listing()
{
  { find /usr -xdev
    find /etc /var -xdev \( -path /var/tmp -o -path /tmp \) -prune -o -name '*mig-wizard*' -print
  } 2> /dev/null | grep -v /__pycache__/ | sort
}
listing > "$tmp/before"
we_installed=1
if out=$(apt_get install --no-install-recommends "${debs[@]}"); then
  ok "apt-get installs ${PKGS[*]} ($(elapsed))"
else
  not_ok "apt-get installs ${PKGS[*]}" "$(tail -n 30 <<< "$out")"
  bail "not installed"
fi

# --- the installed programs -----------------------------------------------------------------
out=$(mig-wizard --version 2>&1)
[ "$out" = "mig-wizard $version" ] && ok "mig-wizard --version: $out" ||
  not_ok "mig-wizard --version says mig-wizard $version" "$out"
out=$(mig-wizard-cli list test:///default 2>&1)
grep -qw test <<< "$out" && ok "mig-wizard-cli list test:///default lists the domain 'test'" ||
  not_ok "mig-wizard-cli list test:///default lists the domain 'test'" "$out"

# German: the translation of one --help line, taken from po/de.po, not from the package.
de=$(sed -n '/^msgid "Print the version and exit"$/{n;s/^msgstr "\(.*\)"$/\1/p;}' "$top/po/de.po")
out=$(LANGUAGE=de mig-wizard --help 2>&1)
if [ -n "$de" ] && grep -qF -- "$de" <<< "$out" && ! grep -qF "Print the version and exit" <<< "$out"; then
  ok "LANGUAGE=de mig-wizard --help is German (\"$de\")"
else
  not_ok "LANGUAGE=de mig-wizard --help is German (\"$de\")" "$out"
fi
out=$(env -u GSETTINGS_SCHEMA_DIR -u GSETTINGS_BACKEND gsettings list-keys com.example.MigWizard 2>&1)
grep -qx connections <<< "$out" && ok "the schema is compiled: gsettings list-keys com.example.MigWizard" ||
  not_ok "the schema is compiled: gsettings list-keys com.example.MigWizard" "$out"

out=$(mig-wizard-lab status 2>&1); rc=$?
if { [ $rc = 0 ] || [ $rc = 1 ] || [ $rc = 3 ]; } && [[ $out == "lab: "* ]]; then
  ok "mig-wizard-lab status runs from its installed files (exit $rc: ${out%%$'\n'*})"
else
  not_ok "mig-wizard-lab status runs from its installed files" "exit $rc" "$out"
fi
# The installed lab comes up, says so, and goes down again. Its state goes to a directory of
# this test (purged with it), its guest build cache is the tree's (lab/cache, which the lab
# suite fills anyway). Not beside another lab: the lab suite runs alone (is_parallel: false),
# and a lab someone brought up by hand is left alone.
if ip netns list 2>/dev/null | grep -q '^mwlab-'; then
  echo "ok $((n += 1)) - the installed lab's up/status/down # SKIP a lab is up already"
else
  export MW_LAB_STATE="$tmp/lab-state" MW_LAB_CACHE="$top/lab/cache"
  if out=$(timeout 400 mig-wizard-lab up 2>&1); then
    ok "the installed mig-wizard-lab up brings both hosts up ($(elapsed))"
  else
    not_ok "the installed mig-wizard-lab up brings both hosts up" "$(tail -n 20 <<< "$out")"
  fi
  out=$(mig-wizard-lab status 2>&1); rc=$?
  [ $rc = 0 ] && grep -q hosta <<< "$out" && grep -q hostb <<< "$out" &&
    ok "the installed mig-wizard-lab status: up, both hosts (exit 0)" ||
    not_ok "the installed mig-wizard-lab status: up, both hosts" "exit $rc" "$out"
  out=$(timeout 300 mig-wizard-lab down 2>&1); rc=$?
  if [ $rc = 0 ] && ! ip netns list 2>/dev/null | grep -q '^mwlab-'; then
    ok "the installed mig-wizard-lab down leaves no lab namespace ($(elapsed))"
  else
    not_ok "the installed mig-wizard-lab down leaves no lab namespace" "exit $rc" "$(tail -n 20 <<< "$out")"
  fi
  unset MW_LAB_STATE MW_LAB_CACHE
fi
# Every file of the lab's tree is installed, executable where it is in the tree.
lab_files()
{
  (cd "$1" && find lib guest -type f \( -perm -u+x -printf '%p x\n' -o -printf '%p -\n' \) |
      sort)
}
check "every file of lab/lib and lab/guest is installed, with its exec bit" \
  diff <(lab_files "$top/lab") <(lab_files /usr/share/mig-wizard/lab)
out=$(/usr/libexec/mw-askpass < /dev/null 2>&1); rc=$?
[ $rc -ne 0 ] && grep -q MW_ASKPASS_FD <<< "$out" && ok "the askpass helper is installed and refuses to run alone" ||
  not_ok "the askpass helper is installed and refuses to run alone" "exit $rc" "$out"
for page in mig-wizard mig-wizard-cli mig-wizard-lab; do
  check "man $page is installed" man -w "$page"
done
check "bash completion for mig-wizard-cli is installed" \
  bash -c '. /usr/share/bash-completion/completions/mig-wizard-cli && complete -p mig-wizard-cli'
check "desktop file, metainfo, icons and demo nodes are installed" \
  ls /usr/share/applications/com.example.MigWizard.desktop \
     /usr/share/metainfo/com.example.MigWizard.metainfo.xml \
     /usr/share/icons/hicolor/scalable/apps/com.example.MigWizard.svg \
     /usr/share/mig-wizard/demo/hosta.xml

# --- purge ----------------------------------------------------------------------------------
we_installed=0
if out=$(apt_get purge "${PKGS[@]}"); then
  ok "apt-get purge removes ${PKGS[*]} ($(elapsed))"
else
  we_installed=1
  not_ok "apt-get purge removes ${PKGS[*]}" "$(tail -n 30 <<< "$out")"
fi
listing > "$tmp/after"
# Paths that appeared meanwhile and belong to another package were installed by someone else.
left=$(comm -13 "$tmp/before" "$tmp/after" | while read -r f; do
         dpkg -S "$f" > /dev/null 2>&1 || echo "$f"; done)
gone=$(comm -23 "$tmp/before" "$tmp/after")
[ -z "$left$gone" ] && ok "/usr (and /etc, /var for *mig-wizard*) is as before: nothing left, nothing removed" ||
  not_ok "/usr (and /etc, /var for *mig-wizard*) is as before: nothing left, nothing removed" \
    ${left:+"left: $left"} ${gone:+"removed: $gone"}

note "wall time: $(elapsed)"
echo "1..$n"
[ $failed -eq 0 ]
