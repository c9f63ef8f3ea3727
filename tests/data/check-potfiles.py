#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that po/POTFILES.in lists every file with translatable strings, and nothing else.

Usage: check-potfiles.py SOURCE_ROOT

A file needs listing when it is
  - a C file under src/ that calls _(), N_(), C_(), NC_(), g_dngettext () or g_dpgettext2 (),
  - a GtkBuilder file under ui/ with a translatable="yes" property,
  - the desktop file, the metainfo or the GSettings schema.
Fails naming each such file missing from po/POTFILES.in, and each listed file that does not
exist. Blank lines, comments and [encoding: …] lines in POTFILES.in are ignored.
"""

import pathlib
import re
import sys

APP_ID = "com.example.MigWizard"
ALWAYS = [
    f"{APP_ID}.desktop.in",
    f"data/{APP_ID}.metainfo.xml",
    f"data/{APP_ID}.gschema.xml",
]
C_MARK = re.compile(r"(?<![A-Za-z0-9_])(?:N?C?_|g_dngettext|g_dpgettext2)\s*\(")
UI_MARK = re.compile(r"""translatable\s*=\s*["']yes["']""")


def files_with_strings(root):
    found = set()
    for pattern, mark in (("src/**/*.c", C_MARK), ("src/**/*.h", C_MARK),
                          ("ui/**/*.ui", UI_MARK)):
        for path in root.glob(pattern):
            if mark.search(path.read_text(encoding="utf-8", errors="replace")):
                found.add(path.relative_to(root).as_posix())
    for name in ALWAYS:
        if (root / name).exists():
            found.add(name)
    return found


def listed_files(potfiles):
    listed = set()
    for line in potfiles.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or line.startswith("["):
            continue
        listed.add(line)
    return listed


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: check-potfiles.py SOURCE_ROOT\n")
        return 2
    root = pathlib.Path(argv[1]).resolve()
    potfiles = root / "po" / "POTFILES.in"
    needed = files_with_strings(root)

    if not potfiles.exists():
        print(f"FAIL: {potfiles.relative_to(root)} does not exist; it should list:")
        for name in sorted(needed):
            print(f"  {name}")
        return 1

    listed = listed_files(potfiles)
    missing = sorted(needed - listed)
    gone = sorted(name for name in listed if not (root / name).is_file())

    for name in missing:
        print(f"FAIL: {name} has translatable strings but is not in po/POTFILES.in")
    for name in gone:
        print(f"FAIL: po/POTFILES.in lists {name}, which does not exist")
    if missing or gone:
        return 1
    print(f"ok: po/POTFILES.in lists all {len(needed)} files with translatable strings")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
