#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# test-cli-credentials.py CLI: a host that asks for a username and password (libvirt's test
# driver with an <auth> user asks as a SASL libvirtd does): without a terminal the CLI refuses
# with its sentence; on a terminal (a pty, answered after each prompt shows, as a person types)
# it asks there, the password not echoed, and lists the host's domain; a wrong password is
# asked again with the reason.
import os
import pty
import select
import subprocess
import sys
import tempfile
import time

cli = sys.argv[1]
n = 0
failed = False


def report(good, what):
    global n, failed
    n += 1
    failed |= not good
    print(("ok" if good else "not ok") + f" {n} - {what}", flush=True)


def converse(argv, env, answers, timeout=30):
    """Runs argv on a pty; each (prompt, answer) is typed once prompt shows. (exit, output)"""
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(argv[0], argv, env)
    out = b""
    deadline = time.monotonic() + timeout
    pending = list(answers)
    while time.monotonic() < deadline:
        if pending and pending[0][0].encode() in out.rsplit(b"\n", 1)[-1]:
            os.write(fd, pending.pop(0)[1].encode() + b"\n")
            out += b"\n"  # what was seen so far is done with
            continue
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), out.decode(errors="replace").replace("\r", "")


print("1..3", flush=True)
with tempfile.TemporaryDirectory() as tmp:
    node = os.path.join(tmp, "node.xml")
    with open(node, "w") as f:
        f.write("<node><auth><user password='s3cret'>mwuser</user></auth>"
                "<domain type='test'><name>authguest</name><memory>65536</memory>"
                "<os><type>hvm</type></os></domain></node>")
    uri = "test://" + node
    env = dict(os.environ, HOME=tmp)

    p = subprocess.run([cli, "list", uri], env=env, stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, start_new_session=True, timeout=30)
    report(p.returncode != 0 and "there is no terminal to ask on" in p.stderr,
           f"no terminal: refused with the sentence (exit {p.returncode}: {p.stderr.strip()})")

    code, out = converse([cli, "list", uri], env, [("Username", "mwuser"), ("Password", "s3cret")])
    report(code == 0 and "\nauthguest" in out and "s3cret" not in out,
           f"on a terminal: asked, the password not echoed, the domain listed (exit {code}: {out!r})")

    code, out = converse([cli, "list", uri], env,
                         [("Username", "mwuser"), ("Password", "wrong"),
                          ("Username", "mwuser"), ("Password", "s3cret")])
    report(code == 0 and "did not accept this username and password" in out
           and "\nauthguest" in out,
           f"a wrong password: asked again with the reason (exit {code}: {out!r})")
sys.exit(1 if failed else 0)
