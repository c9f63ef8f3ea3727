#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A man page renders without warnings, and it names exactly the options the program's --help
shows: every option of --help is in the page, and every option in the page is in --help.

Usage: check-man.py MAN_PAGE PROGRAM [--commands]

With --commands, PROGRAM's --help lists commands ("  PROGRAM COMMAND ...") and each command has
its own --help; the options of all of them count. Prints TAP.
"""
import os
import re
import shutil
import subprocess
import sys

OPTION = re.compile(r"(?<![\w/-])(--[a-z][a-z0-9-]*[a-z0-9]|-[a-zA-Z])(?=[\s,=|\]\[)]|$)")

tests = []


def result(ok, name, detail=""):
    tests.append(ok)
    print(f"{'ok' if ok else 'not ok'} {len(tests)} {name}")
    if not ok:
        for line in detail.splitlines():
            print(f"# {line}")


def run(argv, env_extra=None):
    env = dict(os.environ, LC_ALL="C.UTF-8", LANGUAGE="")
    env.update(env_extra or {})
    return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)


def options(text):
    # A line broken after a hyphen ("--copy-" / "storage") is one word again.
    text = re.sub(r"(\w-)\n\s*", r"\1", text)
    return set(OPTION.findall(text))


def main():
    page, program = sys.argv[1], sys.argv[2]
    with_commands = "--commands" in sys.argv[3:]
    name = os.path.basename(page)
    print("TAP version 13")

    if shutil.which("groff") is None:
        print("1..0 # SKIP groff not installed")
        return 0

    p = run(["groff", "-man", "-ww", "-z", "-Tutf8", page])
    result(p.returncode == 0 and p.stderr == "", f"{name}: groff -ww finds nothing to warn about",
           p.stderr)
    if shutil.which("man"):
        p = run(["man", "-l", "-P", "cat", page], {"MANWIDTH": "100"})
        result(p.returncode == 0 and p.stderr == "" and "SYNOPSIS" in p.stdout,
               f"{name}: man -l renders it", p.stderr)

    p = run(["groff", "-man", "-Tutf8", "-rLL=250n", "-rHY=0", "-P-cbou", page])
    in_page = options(p.stdout)

    top = run([program, "--help"])
    result(top.returncode == 0 and top.stdout.strip() != "", f"{program} --help works",
           top.stderr)
    helps = {"--help": top.stdout}
    if with_commands:
        prog = os.path.basename(program)
        commands = re.findall(rf"^\s+{re.escape(prog)} ([a-z][a-z-]*)", top.stdout, re.M)
        result(len(commands) > 0, f"{prog} --help lists commands", top.stdout)
        for command in sorted(set(commands)):
            p = run([program, command, "--help"])
            result(p.returncode == 0 and p.stdout.strip() != "", f"{prog} {command} --help works",
                   p.stderr)
            helps[f"{command} --help"] = p.stdout
            result(re.search(rf"(?m)^\.(SS|TP|B|BR)\b.*\b{command}\b", open(page).read())
                   is not None, f"{name} has a part for the command {command}")

    in_help = set()
    for text in helps.values():
        in_help |= options(text)
    missing = sorted(in_help - in_page)
    extra = sorted(in_page - in_help)
    result(not missing, f"{name} names every option of --help",
           "missing from the page: " + " ".join(missing))
    result(not extra, f"every option in {name} is in --help",
           "in the page but in no --help: " + " ".join(extra))
    print(f"1..{len(tests)}")
    return 0 if all(tests) else 1


if __name__ == "__main__":
    sys.exit(main())
