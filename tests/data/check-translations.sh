#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Check that every catalogue named in po/LINGUAS is complete:
#   - po/LANG.po itself has no untranslated and no fuzzy message, and
#   - no message of the current sources (po/POTFILES.in, extracted the way meson's glib preset
#     makes mig-wizard.pot) is missing from it, so a string added to the code without a
#     translation round fails here too.
# Prints the counts for every language and fails if any of them is not zero.
#
# Usage: check-translations.sh SOURCE_ROOT
# Exits 77 (skip) when the gettext tools are not installed.

set -u

if [ $# -ne 1 ]; then
  echo "usage: check-translations.sh SOURCE_ROOT" >&2
  exit 2
fi
root=$1
po=$root/po

for tool in msgfmt msgmerge xgettext; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "$tool not installed"
    exit 77
  fi
done

# Untranslated Russian "3 неперев. сообщения" would not parse: the tools must speak C.
LC_ALL=C
LANGUAGE=
export LC_ALL LANGUAGE

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

# The files of po/POTFILES.in that exist; a listed file that does not is the potfiles test's
# failure, not this one's.
sed -e 's/#.*//' -e '/^\[/d' -e 's/[[:space:]]*$//' -e '/^$/d' "$po/POTFILES.in" |
  while read -r name; do
    if [ -f "$root/$name" ]; then
      echo "$name"
    else
      echo "note: po/POTFILES.in lists $name, which does not exist; not checked" >&2
    fi
  done >"$tmp/potfiles"

# The same keywords and flags as i18n.gettext(preset: 'glib') in po/meson.build.
if ! (cd "$root" && xgettext --package-name=mig-wizard --from-code=UTF-8 --add-comments \
        --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
        --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
        --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
        --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
        --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
        --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
        --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
        --flag=g_print:1:c-format --flag=g_printerr:1:c-format --flag=g_printf:1:c-format \
        --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format \
        --files-from="$tmp/potfiles" --output="$tmp/current.pot" 2>"$tmp/xgettext.log"); then
  cat "$tmp/xgettext.log"
  echo "FAIL: xgettext could not extract the messages of the files in po/POTFILES.in"
  exit 1
fi

# count KIND STATISTICS: the number before "translated message", "fuzzy translation" or
# "untranslated message" in msgfmt --statistics output, 0 when absent.
count() {
  n=$(printf '%s\n' "$2" | grep -o "[0-9][0-9]* $1" | grep -o '^[0-9]*')
  echo "${n:-0}"
}

status=0
langs=$(sed -e 's/#.*//' "$po/LINGUAS")
if [ -z "$(printf '%s' "$langs" | tr -d ' \t\n')" ]; then
  echo "FAIL: po/LINGUAS names no language"
  exit 1
fi

for lang in $langs; do
  file=$po/$lang.po
  if [ ! -f "$file" ]; then
    echo "FAIL: $lang: po/LINGUAS names it but po/$lang.po does not exist"
    status=1
    continue
  fi
  if ! own=$(msgfmt --statistics -o /dev/null "$file" 2>&1); then
    printf '%s\n' "$own"
    echo "FAIL: $lang: msgfmt cannot compile po/$lang.po"
    status=1
    continue
  fi
  own=$(printf '%s\n' "$own" | tail -n 1)
  translated=$(count "translated message" "$own")
  fuzzy=$(count "fuzzy translation" "$own")
  untranslated=$(count "untranslated message" "$own")

  # Against the current sources: fuzzy matching off, so a new or changed source string counts
  # as untranslated rather than as a guessed translation.
  if ! msgmerge --quiet --no-fuzzy-matching -o "$tmp/$lang.po" "$file" "$tmp/current.pot" \
       2>"$tmp/msgmerge.log"; then
    cat "$tmp/msgmerge.log"
    echo "FAIL: $lang: msgmerge cannot merge po/$lang.po with the current sources"
    status=1
    continue
  fi
  merged=$(msgfmt --statistics -o /dev/null "$tmp/$lang.po" 2>&1 | tail -n 1)
  missing=$(count "untranslated message" "$merged")

  line="$lang: $translated translated, $untranslated untranslated, $fuzzy fuzzy in po/$lang.po;"
  line="$line $missing untranslated against the current sources"
  if [ "$untranslated" -ne 0 ] || [ "$fuzzy" -ne 0 ] || [ "$missing" -ne 0 ]; then
    echo "FAIL: $line"
    # Name the first few, as the sources have them now.
    msgattrib --untranslated --no-wrap "$tmp/$lang.po" 2>/dev/null \
      | grep '^msgid ' | grep -v '^msgid ""$' | head -n 5 | sed 's/^/    untranslated: /'
    msgattrib --only-fuzzy --no-wrap "$tmp/$lang.po" 2>/dev/null \
      | grep '^msgid ' | grep -v '^msgid ""$' | head -n 5 | sed 's/^/    fuzzy: /'
    status=1
  else
    echo "ok: $line"
  fi
done

if [ $status -ne 0 ]; then
  echo "Update the catalogues: ninja -C BUILDDIR mig-wizard-update-po, then translate every"
  echo "empty and fuzzy message (msgattrib --untranslated / --only-fuzzy po/LANG.po lists them)."
fi
exit $status
