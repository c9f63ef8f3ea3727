#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""test-dirtier DIRTIER: the lab guest's dirtier, run here, must see a lost write.

It is the lab's witness that a migration lost no dirty page, so it must be able to fail. Run at
512 MiB/s (a lap of its 128 MiB buffer every 0.25 s) in a temporary DIRTIER_DIR; its whole-buffer
check finds 0 stale pages; then 16 pages of its buffer are overwritten through /proc/PID/mem, as a
lost write would leave them, and both its checks must count them. TAP."""
import os
import signal
import subprocess
import sys
import tempfile
import time

N_CORRUPT = 16
BUF = 128 * 1024 * 1024
PAGE = 4096


def read(path, timeout=5.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with open(path) as f:
                text = f.read()
            if text.strip():
                return dict(w.split("=", 1) for w in text.split() if "=" in w)
        except FileNotFoundError:
            pass
        time.sleep(0.05)
    sys.exit("Bail out! %s never appeared" % path)


def verify(proc, d):
    path = os.path.join(d, "dirtier.verify")
    if os.path.exists(path):
        os.unlink(path)
    proc.send_signal(signal.SIGUSR1)
    return read(path)


def buffer_address(pid, v):
    # The dirtier says where its buffer is; the kernel may have merged its mapping with an
    # adjacent one, so a mapping of exactly 128 MiB is only the fallback.
    if "buf" in v:
        return int(v["buf"], 16)
    with open("/proc/%d/maps" % pid) as f:
        for line in f:
            lo, hi = (int(x, 16) for x in line.split()[0].split("-"))
            if hi - lo == BUF:
                return lo
    sys.exit("Bail out! no 128 MiB mapping in the dirtier")


def main():
    n = 0
    fails = 0

    def tap(ok, what):
        nonlocal n, fails
        n += 1
        fails += not ok
        print("%s %d - %s" % ("ok" if ok else "not ok", n, what))

    with tempfile.TemporaryDirectory() as d:
        proc = subprocess.Popen([sys.argv[1], "512"], env=dict(os.environ, DIRTIER_DIR=d))
        try:
            # Running (its first status line: the signal handler is in place), then a whole lap;
            # on a loaded machine that takes longer than the nominal 0.25 s.
            read(os.path.join(d, "dirtier.status"), timeout=15)
            end = time.monotonic() + 15
            v = verify(proc, d)
            while int(v.get("lap", 0)) < 1 and time.monotonic() < end:
                time.sleep(0.2)
                v = verify(proc, d)
            tap(v.get("stale") == "0" and int(v.get("lap", 0)) >= 1,
                "undisturbed: %s pages checked, %s stale, lap %s" % (v.get("checked"),
                                                                   v.get("stale"), v.get("lap")))
            base = buffer_address(proc.pid, v)
            with open("/proc/%d/mem" % proc.pid, "r+b", buffering=0) as mem:
                for i in range(N_CORRUPT):
                    mem.seek(base + (1000 + i * 997) * PAGE)
                    mem.write(b"\xee")
            v = verify(proc, d)
            tap(int(v.get("stale", 0)) >= 1,
                "right after %d pages lost their write: the whole-buffer check counts %s"
                % (N_CORRUPT, v.get("stale")))
            # Until the dirtier has rewritten every page once more (two laps on), or 15 s.
            lap = int(v.get("lap", 0))
            end = time.monotonic() + 15
            while True:
                time.sleep(0.3)
                s = read(os.path.join(d, "dirtier.status"))
                if int(s.get("laps", 0)) >= lap + 2 or time.monotonic() > end:
                    break
            tap(int(s.get("stale", 0)) == N_CORRUPT,
                "a lap later: every one of them was seen when rewritten (stale=%s)"
                % s.get("stale"))
        finally:
            proc.kill()
            proc.wait()
    print("1..%d" % n)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
