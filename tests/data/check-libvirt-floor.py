#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check-libvirt-floor BUILD_ROOT: MigWizard builds against the newest libvirt it is given
(11.3 from bookworm-backports here) but must run against hosts and desktops on Debian 12's
libvirt 9.0. This test takes Debian 12's own libvirt0 and libvirt-dev 9.0 packages (apt-get
download, unpacked in a folder of the build tree, never installed) and proves, as TAP:

  1. every vir* symbol that any built program (the app, the CLI, the tests) imports is exported,
     with the same symbol version, by libvirt 9.0's libvirt.so.0;
  2. every C source of the project that includes a libvirt header (the build's dependency
     records say which; the others cannot name anything of libvirt's) compiles against libvirt
     9.0's headers, so no flag, enum value or typed-parameter name newer than 9.0 is used
     without a local definition.

Skips (exit 77) only on a machine whose apt has no libvirt 9.0 package (not a Debian 12).
"""
import concurrent.futures
import glob
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

FLOOR = "9.0."
# libvirt's own headers (libvirt.h, libvirt-domain.h, virterror.h …), wherever they are.
LIBVIRT_HEADER = re.compile(r"(^|/)libvirt/(libvirt[^/]*|virterror)\.h$")


def tap(ok, n, what, detail=""):
    print(("ok" if ok else "not ok") + " %d - %s" % (n, what))
    for line in detail.rstrip().splitlines():
        print("# " + line)


def floor_version(package):
    out = subprocess.run(["apt-cache", "madison", package], capture_output=True, text=True,
                         env=dict(os.environ, LC_ALL="C")).stdout
    for line in out.splitlines():
        fields = [f.strip() for f in line.split("|")]
        if len(fields) >= 2 and fields[1].startswith(FLOOR):
            return fields[1]
    return None


def fetch(cache, package, version):
    """The unpacked package, downloaded once into the cache."""
    root = os.path.join(cache, "%s_%s" % (package, version))
    if os.path.isdir(root):
        return root
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        r = subprocess.run(["apt-get", "download", "%s=%s" % (package, version)], cwd=tmp,
                           capture_output=True, text=True)
        debs = glob.glob(os.path.join(tmp, "*.deb"))
        if r.returncode != 0 or not debs:
            sys.exit("Bail out! apt-get download %s=%s failed: %s" % (package, version,
                                                                     r.stderr.strip()))
        unpacked = os.path.join(tmp, "root")
        subprocess.run(["dpkg-deb", "-x", debs[0], unpacked], check=True)
        os.rename(unpacked, root)
    return root


def dynamic_symbols(path, defined):
    args = ["nm", "-D", "--defined-only" if defined else "--undefined-only", path]
    out = subprocess.run(args, capture_output=True, text=True).stdout
    syms = set()
    for line in out.splitlines():
        name = line.split()[-1]
        if name.startswith("vir"):
            syms.add(name.replace("@@", "@"))
    return syms


def programs(build_root):
    found = []
    for path in glob.glob(os.path.join(build_root, "**", "*"), recursive=True):
        if not os.path.isfile(path) or not os.access(path, os.X_OK) or path.endswith(".so"):
            continue
        with open(path, "rb") as f:
            if f.read(4) != b"\x7fELF":
                continue
        found.append(path)
    return sorted(found)


def syntax_only(entry, include_dir):
    """The compile command of one source, changed to a syntax check with libvirt 9.0's
    headers searched first."""
    argv = shlex.split(entry["command"])
    out = [argv[0], "-I" + include_dir]
    skip = False
    for a in argv[1:]:
        if skip:
            skip = False
            continue
        if a in ("-o", "-MQ", "-MF", "-MT"):
            skip = True
            continue
        if a in ("-MD", "-MMD", "-c", "-fdiagnostics-color=always"):
            continue
        out.append(a)
    out.append("-fsyntax-only")
    r = subprocess.run(out, cwd=entry["directory"], capture_output=True, text=True)
    return entry["file"], r.returncode, r.stderr


def included_headers(build_root):
    """Each object's headers, as the build recorded them (`ninja -t deps`): {output: [path]}."""
    out = subprocess.run(["ninja", "-C", build_root, "-t", "deps"], capture_output=True,
                         text=True).stdout
    deps, current = {}, None
    for line in out.splitlines():
        if line and not line[0].isspace():
            current = line.split(":", 1)[0]
            deps[current] = []
        elif line.strip() and current is not None:
            deps[current].append(line.strip())
    return deps


def uses_libvirt(entry, headers):
    """Whether a source includes a libvirt header; unknown (no record of it) counts as yes."""
    recorded = headers.get(entry.get("output", ""))
    if not recorded:
        return True
    return any(LIBVIRT_HEADER.search(h) for h in recorded)


def main():
    build_root = os.path.abspath(sys.argv[1])
    cache = os.path.join(build_root, "libvirt-floor")
    os.makedirs(cache, exist_ok=True)

    version = floor_version("libvirt0")
    dev_version = floor_version("libvirt-dev")
    if version is None or dev_version is None:
        print("1..0 # SKIP apt knows no libvirt %sx package (Debian 12's): nothing to compare "
              "with" % FLOOR)
        return 77
    lib_root = fetch(cache, "libvirt0", version)
    dev_root = fetch(cache, "libvirt-dev", dev_version)

    libs = glob.glob(os.path.join(lib_root, "usr", "lib", "*", "libvirt.so.0.*"))
    if not libs:
        sys.exit("Bail out! libvirt0 %s has no libvirt.so.0.*" % version)
    exported = dynamic_symbols(libs[0], True)
    n = 0
    failed = 0

    n += 1
    ok = len(exported) > 500 and "virConnectOpenAuth@LIBVIRT_0.4.0" in exported
    failed += not ok
    tap(ok, n, "libvirt %s exports %d vir* symbols (%s)" % (version, len(exported),
                                                             os.path.basename(libs[0])))

    progs = [p for p in programs(build_root) if "libvirt-floor" not in p]
    imported_total = set()
    for prog in progs:
        imported = dynamic_symbols(prog, False)
        if not imported:
            continue
        imported_total |= imported
        missing = sorted(imported - exported)
        n += 1
        failed += bool(missing)
        tap(not missing, n, "%s imports %d vir* symbols, all in libvirt %s"
            % (os.path.relpath(prog, build_root), len(imported), version),
            "" if not missing else "not in libvirt %s: %s" % (version, ", ".join(missing)))
    n += 1
    ok = len(imported_total) > 0
    failed += not ok
    tap(ok, n, "%d distinct vir* symbols imported by %d programs"
        % (len(imported_total), len(progs)))

    with open(os.path.join(build_root, "compile_commands.json")) as f:
        entries = [e for e in json.load(f)
                   if e["file"].endswith(".c") and "meson-generated" not in e["file"]
                   and "resources.c" not in e["file"]]
    seen = set()
    unique = []
    for e in entries:
        key = os.path.normpath(os.path.join(e["directory"], e["file"]))
        if key not in seen:
            seen.add(key)
            unique.append(e)
    # Only a source that includes a libvirt header (itself or through another) can use
    # something newer than 9.0; the build's own dependency records say which do.
    headers = included_headers(build_root)
    users = [e for e in unique if uses_libvirt(e, headers)]
    include_dir = os.path.join(dev_root, "usr", "include")
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(lambda e: syntax_only(e, include_dir), users))
    bad = [(f, err) for f, rc, err in results if rc != 0]
    n += 1
    failed += bool(bad)
    tap(not bad and len(results) > 0, n,
        "%d C sources include libvirt's headers (of %d) and compile against libvirt %s's headers"
        % (len(results), len(unique), dev_version),
        "\n".join("%s:\n%s" % (f, err.strip()[:2000]) for f, err in bad))

    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
