#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# data/completions/mig-wizard-cli: sourced into bash, fed command lines the way bash feeds a
# completion function (COMP_LINE, COMP_POINT, and COMP_WORDS split at blanks, ':' and '='),
# and its COMPREPLY compared with what the user must be offered. Prints TAP.
#
#   test-completion.sh COMPLETION_FILE MIG_WIZARD_CLI LAB_DIR
#
# URIs come from the app's saved connections (a keyfile GSettings backend in a temporary
# XDG_CONFIG_HOME holds one) and from the lab script found in PATH.
set -u
completion=$1 cli=$2 labdir=$3
echo "TAP version 13"
[ -x "$cli" ] || { echo "Bail out! $cli is not built"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/glib-2.0/settings" "$tmp/files"
printf '[com/example/MigWizard]\nconnections=[%s]\n' "'qemu+ssh://root@saved.example/system'" \
  > "$tmp/glib-2.0/settings/keyfile"
: > "$tmp/files/report-a.json"
: > "$tmp/files/report-b.json"
export XDG_CONFIG_HOME=$tmp GSETTINGS_BACKEND=keyfile PATH=$labdir:$PATH

# shellcheck source=/dev/null
. "$completion" || { echo "Bail out! cannot source $completion"; exit 1; }

n=0 failed=0
# complete LINE: run the completion function on LINE with the cursor at its end.
complete_line ()
{
  local line=$1 w
  COMP_LINE=$line COMP_POINT=${#line} COMP_WORDS=()
  # bash's split: blanks separate words, ':' and '=' are words of their own.
  for w in $line; do
    while [[ $w =~ ^([^:=]*)([:=])(.*)$ ]]; do
      [ -n "${BASH_REMATCH[1]}" ] && COMP_WORDS+=("${BASH_REMATCH[1]}")
      COMP_WORDS+=("${BASH_REMATCH[2]}")
      w=${BASH_REMATCH[3]}
    done
    [ -n "$w" ] && COMP_WORDS+=("$w")
  done
  [[ $line == *" " ]] && COMP_WORDS+=("")
  COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
  COMPREPLY=()
  _mig_wizard_cli "$cli" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
  sorted=$(printf '%s\n' "${COMPREPLY[@]}" | sort)
}
report ()
{
  n=$((n + 1))
  if [ "$1" = 0 ]; then echo "ok $n $2"; else
    failed=$((failed + 1)); echo "not ok $n $2"; echo "# offered: $(echo $sorted)"; fi
}
# offers LINE WORD...: the completions of LINE include each WORD.
offers ()
{
  local line=$1 w rc=0; shift
  complete_line "$line"
  for w in "$@"; do grep -qxF -- "$w" <<< "$sorted" || rc=1; done
  report $rc "'$line' offers $*"
}
# offers_exactly LINE WORD...: the completions of LINE are exactly the WORDs.
offers_exactly ()
{
  local line=$1; shift
  complete_line "$line"
  [ "$sorted" = "$(printf '%s\n' "$@" | sort)" ]
  report $? "'$line' offers exactly: ${*:-nothing}"
}
# not_offers LINE WORD...: none of the WORDs.
not_offers ()
{
  local line=$1 w rc=0; shift
  complete_line "$line"
  for w in "$@"; do grep -qxF -- "$w" <<< "$sorted" && rc=1; done
  report $rc "'$line' does not offer $*"
}

offers "mig-wizard-cli " migrate check list remove-leftover setup-pool setup-bridge --help --version
offers_exactly "mig-wizard-cli mi" migrate
offers_exactly "mig-wizard-cli setup-" setup-pool setup-bridge
offers_exactly "mig-wizard-cli migrate --postc" --postcopy --postcopy-after --postcopy-recover
offers "mig-wizard-cli check --" --from --to --json --fix --help
not_offers "mig-wizard-cli check --" --postcopy-after --report
offers "mig-wizard-cli migrate --from " qemu:///system test:///default \
  qemu+ssh://root@saved.example/system qemu+ssh://root@hosta/system qemu+ssh://root@hostb/system
# bash took "qemu+ssh" and ":" as words: the rest of the URI is what it inserts.
offers_exactly "mig-wizard-cli migrate --to qemu+ssh://root@h" //root@hosta/system //root@hostb/system
offers_exactly "mig-wizard-cli list test:" ///default
offers_exactly "mig-wizard-cli migrate --to=qemu:///s" ///session ///system
offers_exactly "mig-wizard-cli check -f qemu+ssh://root@sa" //root@saved.example/system
offers_exactly "mig-wizard-cli migrate --report $tmp/files/rep" \
  "$tmp/files/report-a.json" "$tmp/files/report-b.json"
offers_exactly "mig-wizard-cli migrate --bandwidth "
# Literal values come from the option's placeholder in --help.
offers_exactly "mig-wizard-cli migrate --policy " recommended
offers_exactly "mig-wizard-cli migrate --policy=r" recommended
offers_exactly "mig-wizard-cli migrate --compressed z" zlib zstd
offers_exactly "mig-wizard-cli migrate --parallel " auto
offers_exactly "mig-wizard-cli migrate --from qemu:///system guest1 "
echo "1..$n"
[ $failed -eq 0 ]
