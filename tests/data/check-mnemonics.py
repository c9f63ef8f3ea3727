#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""No two mnemonics alike in one dialog or menu, in English and in every catalogue.

Usage: check-mnemonics.py SOURCE_ROOT [--pending TRANSLATIONS.json]

A scope is what the user sees at once, where Alt+letter must pick one thing:
  - each <menu> of a .ui file (the menu and its sections);
  - each page of a GtkStack / AdwViewStack / AdwLeaflet (wizard pages are never shown
    together), and the rest of a .ui file outside its menus and pages;
  - the responses added in one adw_message_dialog_add_responses () call in C.
Labels are those with a mnemonic: menu item labels, and label/title properties of objects with
use-underline. Each translation in po/LANG.po (po/LINGUAS) is checked in the same scopes; an
untranslated message is left out (check-translations.sh fails on it). Prints TAP."""

import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

PAGED = {"GtkStack", "AdwViewStack", "AdwLeaflet", "AdwCarousel", "AdwSqueezer"}
# The rows' context menu is power_menu's sections plus this item (mw-window-domain-list.c).
EXTRA = {("ui/mw-window.ui", "menu power_menu"): ["_Migrate…"]}
# Header bar buttons that never show together: the wizard shows one set per kind of page
# (update_page () in mw-migration-wizard.c). Each set is checked with the file's other labels.
SHOWN_APART = {
    "ui/mw-migration-wizard.ui": [
        ["_Cancel", "_Back", "_Next", "_Migrate"],
        ["_Abort", "Switch to _Post-Copy"],
        ["_Close", "_Save Report…", "_Back to Options"],
    ],
}


def mnemonic(text):
    """The letter after the first single underscore, lower-cased, or None."""
    i = 0
    while i < len(text) - 1:
        if text[i] == "_":
            if text[i + 1] == "_":
                i += 2
                continue
            return text[i + 1].lower()
        i += 1
    return None


def ui_scopes(path, rel):
    scopes = {}

    def add(scope, text):
        scopes.setdefault((rel, scope), []).append(text)

    def walk(element, scope):
        if element.tag == "menu":
            scope = "menu " + element.get("id", "?")
        if element.tag == "attribute" and element.get("name") == "label" and scope.startswith("menu"):
            add(scope, element.text or "")
        if element.tag == "object":
            props = {p.get("name"): p for p in element.findall("property")}
            underline = props.get("use-underline")
            if underline is not None and (underline.text or "").strip().lower() in ("true", "1", "yes"):
                for name in ("label", "title"):
                    if name in props and props[name].get("translatable") == "yes":
                        add(scope, props[name].text or "")
            paged = element.get("class") in PAGED
            for n, child in enumerate(element):
                walk(child, f"{scope}/page {element.get('id', element.get('class'))}#{n}"
                     if paged and child.tag == "child" else scope)
            return
        for child in element:
            walk(child, scope)

    walk(ET.parse(path).getroot(), "window")
    return scopes


def c_scopes(path, rel):
    scopes = {}
    text = path.read_text(encoding="utf-8")
    for n, call in enumerate(re.finditer(r"adw_message_dialog_add_responses\s*\((.*?)\);", text, re.S)):
        labels = re.findall(r'_\("((?:[^"\\]|\\.)*)"\)', call.group(1))
        scopes[(rel, f"responses #{n}")] = labels
    return scopes


def read_po(path):
    """msgid → msgstr for the non-plural, non-fuzzy messages with a translation."""
    catalogue, entry, key, fuzzy = {}, {}, None, False
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry.get("msgid") and entry.get("msgstr") and not fuzzy:
                catalogue[entry["msgid"]] = entry["msgstr"]
            entry, key, fuzzy = {}, None, False
        elif line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("#"):
            continue
        else:
            m = re.match(r'(msgid|msgstr|msgctxt|msgid_plural|msgstr\[\d+\])\s+"(.*)"$', line)
            if m:
                key = m.group(1)
                entry[key] = m.group(2)
            elif line.startswith('"') and key:
                entry[key] += line[1:-1]
    return {k.encode().decode("unicode_escape").encode("latin-1").decode("utf-8"):
            v.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
            for k, v in catalogue.items()}


def clashes(labels):
    seen, found = {}, []
    for label in labels:
        key = mnemonic(label)
        if key is None:
            continue
        if key in seen and seen[key] != label:
            found.append((key, seen[key], label))
        seen.setdefault(key, label)
    return found


def main():
    root = Path(sys.argv[1])
    # --pending FILE: a JSON list of new translations not merged into po/ yet (a local check).
    pending = json.loads(Path(sys.argv[3]).read_text()) if sys.argv[2:3] == ["--pending"] else []
    scopes = {}
    for path in sorted(root.glob("ui/**/*.ui")):
        scopes.update(ui_scopes(path, str(path.relative_to(root))))
    for path in sorted(root.glob("src/**/*.c")):
        scopes.update(c_scopes(path, str(path.relative_to(root))))
    for key, labels in EXTRA.items():
        scopes.setdefault(key, []).extend(labels)

    for (file, scope), labels in list(scopes.items()):
        sets = SHOWN_APART.get(file) if scope == "window" else None
        if not sets:
            continue
        apart = {label for group in sets for label in group}
        rest = [label for label in labels if label not in apart]
        del scopes[(file, scope)]
        for n, group in enumerate(sets):
            scopes[(file, f"window, set {n}")] = rest + [l for l in labels if l in group]

    languages = [None] + (root / "po" / "LINGUAS").read_text().split()
    print(f"1..{len(languages)}")
    failed = False
    for n, lang in enumerate(languages, 1):
        catalogue = read_po(root / "po" / f"{lang}.po") if lang else {}
        catalogue.update({e["msgid"]: e[lang] for e in pending if lang and e.get(lang)})
        problems = []
        for (file, scope), labels in sorted(scopes.items()):
            shown = [catalogue.get(label, label) for label in labels
                     if lang is None or label in catalogue]
            for key, a, b in clashes(shown):
                problems.append(f"{file} ({scope}): “{a}” and “{b}” both use _{key}")
        for p in problems:
            print(f"# {lang or 'C'}: {p}")
        print(f"{'not ok' if problems else 'ok'} {n} - {lang or 'C'}: {len(problems)} clashes "
              f"in {len(scopes)} scopes")
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
