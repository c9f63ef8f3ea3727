#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Bad values for every option and argument of mig-wizard-cli, against test:///default only.

Each case must: end by itself (no hang), by exit (no signal), with status 2 and a message that
names the option or field (not a generic usage line), or — where a value is legal and the
command only prints (--print-virsh, --print-plan) — with status 0; print no GLib warning,
critical or sanitizer report; and create nothing: a command substitution would touch a canary
file, and the working directory and HOME must stay empty. TAP on stdout.
Usage: test-cli-bad-input.py MIG_WIZARD_CLI
"""
import concurrent.futures
import os
import re
import subprocess
import sys
import tempfile

cli = os.path.abspath(sys.argv[1])
work = tempfile.mkdtemp(prefix="mw-cli-bad-")
canary = os.path.join(work, "PWNED")
home = os.path.join(work, "home")
cwd = os.path.join(work, "cwd")
os.mkdir(home)
os.mkdir(cwd)

# name -> value (bytes: argv can carry any byte but NUL, which no argv can hold)
VALUES = {
    "subst": f";$(touch {canary})".encode(),
    "backtick": f"`touch {canary}`".encode(),
    "quotes": b"'\"\\",
    "dash": f"-oProxyCommand=touch {canary}".encode(),
    "long": b"a" * 65536,
    "bad-utf8": b"\xff\xfe\xc0\x80",
    "unicode": "h\u00f6st\u2713\u200b".encode(),
    "ipv6": b"::1",
    "ipv6-brackets": b"[::1]",
    "ipv6-port": b"[::1]:22",
    "ipv6-zone": b"fe80::1%eth0",
    "newline": b"host\nsecond line",
    "empty": b"",
}
NUMBERS = {"nan": b"nan", "inf": b"inf", "negative": b"-1", "huge": b"99999999999999"}
URI = "test:///default"
ALL = set(VALUES)
# Values a DOMAIN may be; where passing them would contact the (test) host, they are not run.
SKIP = frozenset(ALL - {"empty", "bad-utf8", "newline", "long"})
# Enough for a field that takes a word: the URI fields get every value.
SHORT = {"subst", "dash", "long", "bad-utf8", "unicode", "newline", "empty"}

# (what, argv before, option or None for a positional, argv after, message pattern, values
#  that may pass — then the command must only print and exit 0)
# --client: test:///default cannot be a peer-to-peer destination, and a value that passes must
# reach --print-virsh, which only prints.
MIGRATE = ["migrate", f"--from={URI}", f"--to={URI}", "--client", "--print-virsh"]
POOL = ["setup-pool", "--server=nfs.example", "--export=/srv/vm", "--network=10.0.0.0/24"]
BRIDGE = ["setup-bridge", "--ssh=root@nonexistent.invalid", "--bridge=br-mw"]
CHECK = ["check", f"--from={URI}", f"--to={URI}"]
LEFT = ["remove-leftover", f"--from={URI}", f"--to={URI}"]
# evacuate's values are checked before any host is asked; the destination is never contacted.
EVAC = ["evacuate", f"--from={URI}", "--to=test:///nonexistent/other.xml", "--dry-run"]
SLOTS = [
    ("migrate --from", ["migrate", f"--to={URI}", "--client", "--print-virsh"], "--from", ["d"],
     r"--from", set()),
    ("migrate --to", ["migrate", f"--from={URI}", "--client", "--print-virsh"], "--to", ["d"],
     r"--to", set()),
    ("migrate --peer-uri", ["migrate", f"--from={URI}", f"--to={URI}", "--print-virsh"],
     "--peer-uri", ["d"], r"--peer-uri", set()),
    ("migrate --copy-storage", MIGRATE, "--copy-storage", ["d"], r"--copy-storage", set()),
    ("migrate --compressed", MIGRATE, "--compressed", ["d"], r"--compressed", set()),
    ("migrate --max-downtime", MIGRATE, "--max-downtime", ["d"], r"--max-downtime", set()),
    ("migrate --bandwidth", MIGRATE, "--bandwidth", ["d"], r"--bandwidth", set()),
    ("migrate --postcopy-after", MIGRATE, "--postcopy-after", ["d"], r"--postcopy-after", set()),
    ("migrate --parallel", MIGRATE, "--parallel", ["d"], r"--parallel takes", set()),
    ("migrate --rate", MIGRATE, "--rate", ["d"], r"--rate", set()),
    ("migrate --abort-after", MIGRATE, "--abort-after", ["d"], r"--abort-after", set()),
    ("migrate --ping", MIGRATE, "--ping", ["d"], r"--ping", {"ipv6"}),
    ("migrate --report", MIGRATE, "--report", ["d"], r"--report", ALL - {"empty"}),
    ("migrate --csv", MIGRATE, "--csv", ["d"], r"--csv", ALL - {"empty"}),
    ("migrate DOMAIN", MIGRATE + ["--"], None, [], r"domain name|argument",
     ALL - {"empty", "bad-utf8", "newline"}),
    ("list URI", ["list", "--"], None, [], r"URI: |argument", set()),
    ("remove-leftover --from", ["remove-leftover", f"--to={URI}"], "--from", ["d"], r"--from",
     set()),
    ("remove-leftover --to", ["remove-leftover", f"--from={URI}"], "--to", ["d"], r"--to", set()),
    ("remove-leftover DOMAIN", LEFT + ["--"], None, [], r"domain name|argument", SKIP),
    ("check --from", ["check", f"--to={URI}"], "--from", ["d"], r"--from", set()),
    ("check --to", ["check", f"--from={URI}"], "--to", ["d"], r"--to", set()),
    ("check --timeout", CHECK, "--timeout", ["d"], r"--timeout", set()),
    ("check --bandwidth", CHECK, "--bandwidth", ["d"], r"--bandwidth", set()),
    ("check --max-downtime", CHECK, "--max-downtime", ["d"], r"--max-downtime", set()),
    ("check --link-mib-s", CHECK, "--link-mib-s", ["d"], r"--link-mib-s", set()),
    ("check --fix", CHECK, "--fix", ["d"], r"no check called", set()),
    ("check DOMAIN", CHECK + ["--"], None, [], r"domain name|argument", SKIP),
    ("setup-pool --server", POOL[:1] + POOL[2:] + ["--print-plan"], "--server", [],
     r"NFS server", {"ipv6", "ipv6-brackets", "unicode"}),
    ("setup-pool --export", POOL[:2] + POOL[3:] + ["--print-plan"], "--export", [],
     r"export path", set()),
    ("setup-pool --network", POOL[:3] + ["--print-plan"], "--network", [], r"network",
     {"ipv6"}),
    ("setup-pool --pool", POOL + ["--print-plan"], "--pool", [], r"pool name", set()),
    ("setup-pool --target", POOL + ["--print-plan"], "--target", [], r"mount path", set()),
    ("setup-pool --ssh-user", POOL + ["--print-plan"], "--ssh-user", [], r"user name",
     {"empty"}),
    ("setup-pool URI_A", POOL + ["--"], None, [URI], r"URI_A: |argument", set()),
    ("setup-pool URI_B", POOL + ["--", URI], None, [], r"URI_B: |argument", set()),
    ("setup-bridge --ssh", ["setup-bridge", "--bridge=bad bridge"], "--ssh", [],
     r"over ssh|bridge name", set()),
    ("setup-bridge --bridge", BRIDGE[:2], "--bridge", [], r"bridge name", set()),
    ("setup-bridge --nic", BRIDGE, "--nic", [], r"interface name|--nic needs", set()),
    ("setup-bridge --method", BRIDGE, "--method", [], r"--method", set()),
    ("setup-bridge --timeout", BRIDGE, "--timeout", [], r"--timeout", set()),
    ("evacuate --action", EVAC, "--action", [], r"--action", set()),
    ("evacuate --priority", EVAC, "--priority", [], r"--priority", set()),
    ("evacuate --cannot-move", EVAC, "--cannot-move", [], r"--cannot-move", set()),
    ("evacuate --report", EVAC + ["--parallel=0"], "--report", [], r"--report|--parallel",
     set()),
    ("bring-back --report", ["bring-back"], "--report", [], r"--report", set()),
    ("COMMAND", [], None, [], r"no command", set()),
]
NUMERIC = {"--max-downtime", "--bandwidth", "--postcopy-after", "--rate", "--abort-after",
           "--timeout", "--link-mib-s", "--parallel"}
# Values a slot above does not try: (title, argv, pattern). Each must exit 2 naming the option.
EXTRA = [
    # 0 used to be taken silently as "one stream".
    ("migrate --parallel 0", MIGRATE + ["--parallel=0", "d"], r"--parallel takes .*1 to 255"),
    ("migrate --parallel 1.5", MIGRATE + ["--parallel=1.5", "d"], r"--parallel takes"),
    ("migrate --parallel 256", MIGRATE + ["--parallel=256", "d"], r"--parallel takes"),
    # zero-copy's conditions, said before anything is contacted.
    ("migrate --zerocopy alone", MIGRATE + ["--zerocopy", "d"], r"--zerocopy needs --parallel N"),
    ("migrate --zerocopy --tls", MIGRATE + ["--parallel=2", "--zerocopy", "--tls", "d"],
     r"--zerocopy needs --parallel N"),
    ("migrate --zerocopy --compressed", MIGRATE + ["--parallel=2", "--zerocopy",
                                                   "--compressed=zstd", "d"],
     r"--zerocopy needs --parallel N"),
    # Refusals of a combination name the options to add or drop, not the wizard's switches.
    ("migrate --compressed=zstd alone", MIGRATE + ["--compressed=zstd", "d"],
     r"\A(?!.*turn parallel).*--compressed=zlib and --compressed=zstd need --parallel N"),
    ("migrate --parallel --compressed=xbzrle", MIGRATE + ["--parallel=2", "--compressed=xbzrle",
                                                          "d"], r"drop --parallel\."),
    ("migrate --offline --bandwidth", MIGRATE + ["--offline", "--bandwidth=10", "d"],
     r"--bandwidth does not apply to an offline migration"),
    ("migrate --tunnelled --tls", MIGRATE[:3] + ["--print-virsh", "--tunnelled", "--tls", "d"],
     r"--tls cannot be combined with --tunnelled"),
    ("migrate --xbzrle-cache alone", MIGRATE + ["--xbzrle-cache=64", "d"],
     r"--xbzrle-cache needs --compressed=xbzrle"),
]
# --help must say what the numbers may be and what zero-copy needs: (option, text in its line).
HELP = [("--max-downtime", "0 to 2147483647"), ("--bandwidth", "0 to 2147483647"),
        ("--postcopy-after", "0 to 2147483647"), ("--xbzrle-cache", "0 to 2147483647"),
        ("--parallel", "1 to 255"), ("--parallel", "auto"), ("--rate", "0.1 to 100"),
        ("--abort-after", "0 to 604800"), ("--stall-timeout", "0 to 604800"),
        ("--zerocopy", "needs --parallel"), ("--zerocopy", "--tls"),
        ("--zerocopy", "--compressed"),
        ("evacuate", "--parallel", "1 to 64"), ("evacuate", "--bandwidth", "0: none")]
# Positionals: a value that starts with '-' follows "--" above, so it is an argument, not an
# option; an empty COMMAND is the usage line.
BAD_SIGNS = re.compile(rb"CRITICAL|WARNING \*\*|AddressSanitizer|runtime error|Segmentation")

env = dict(os.environ, HOME=home, LIBVIRT_DEFAULT_URI=URI, LC_ALL="C.UTF-8",
           XDG_CONFIG_HOME=os.path.join(home, ".config"), SSH_AUTH_SOCK="")
env.pop("DISPLAY", None)


COMMANDS = ("migrate", "check", "evacuate", "bring-back", "list", "remove-leftover",
            "setup-pool", "setup-bridge")


def cases():
    for what, before, option, after, pattern, may_pass in SLOTS:
        uri_slot = "URI" in what or option in ("--from", "--to", "--peer-uri")
        values = {k: v for k, v in VALUES.items()
                  if k in SHORT or (uri_slot and k not in ("quotes", "ipv6-zone"))}
        if option in NUMERIC:
            values.update(NUMBERS)
        for name, value in values.items():
            if may_pass is SKIP and name in SKIP:
                continue
            if what == "COMMAND" and name in ("empty", "dash"):
                continue  # the usage line, and an unknown option of the command table
            arg = option.encode() + b"=" + value if option else value
            argv = [cli.encode()] + [a.encode() for a in before] + [arg] + \
                   [a.encode() for a in after]
            yield f"{what} {name}", argv, pattern, name in may_pass, option


def help_text(command):
    p = subprocess.run([cli, command, "--help"], env=env, stdin=subprocess.DEVNULL,
                       capture_output=True, timeout=30)
    # GOption wraps a long description onto indented lines: join each option's lines.
    text = p.stdout.decode("utf-8", "replace")
    return re.sub(r"\n {20,}", " ", text)


def help_cases():
    texts = {}
    for item in HELP:
        command, option, needle = item if len(item) == 3 else ("migrate",) + item
        if command not in texts:
            texts[command] = help_text(command)
        text = texts[command]
        lines = [l for l in text.splitlines() if re.match(rf"\s+{re.escape(option)}\b", l)]
        if not lines:
            yield f"{command} --help lists {option}", f"no line for {option}"
        elif needle not in lines[0]:
            yield f"{command} --help: {option} says “{needle}”", f"its line: {lines[0].strip()!r}"
        else:
            yield f"{command} --help: {option} says “{needle}”", None


def run(case):
    title, argv, pattern, may_pass, option = case
    try:
        p = subprocess.run(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=30)
    except subprocess.TimeoutExpired:
        return title, "hung (no exit within 30 s)"
    err = p.stderr
    if p.returncode < 0:
        return title, f"killed by signal {-p.returncode}: {err[-300:]!r}"
    if BAD_SIGNS.search(err) or BAD_SIGNS.search(p.stdout):
        return title, f"warning or sanitizer report: {err[-500:]!r}"
    if p.returncode == 0 and may_pass:
        return title, None
    if p.returncode != 2:
        return title, f"exit {p.returncode}, not 2: {err[-300:]!r}"
    message = err.decode("utf-8", "replace")
    if option:
        pattern = f"{pattern}|{re.escape(option)}:"
    if not re.search(pattern, message):
        return title, f"message does not name it (/{pattern}/): {message[-300:]!r}"
    if len(err) > 4096:
        return title, f"message of {len(err)} bytes: the value is echoed whole"
    # Every command says it the same way: the sentence, then where the options are.
    command = argv[1].decode("utf-8", "replace")
    form = (r"\Amig-wizard-cli: .+\nTry “mig-wizard-cli " + re.escape(command)
            + r" --help” for the options\.\n\Z")
    if command in COMMANDS and not re.search(form, message, re.S):
        return title, f"not in the form every command uses: {message[-300:]!r}"
    return title, None


all_cases = list(cases()) + [
    (title, [cli.encode()] + [a.encode() for a in argv], pattern, False, None)
    for title, argv, pattern in EXTRA]
helps = list(help_cases())
print(f"1..{len(all_cases) + len(helps) + 1}")
failed = 0
with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
    for i, (title, problem) in enumerate(pool.map(run, all_cases), 1):
        if problem is None:
            print(f"ok {i} - {title}")
        else:
            failed += 1
            print(f"not ok {i} - {title}: {problem}")
for j, (title, problem) in enumerate(helps, len(all_cases) + 1):
    if problem is None:
        print(f"ok {j} - {title}")
    else:
        failed += 1
        print(f"not ok {j} - {title}: {problem}")
left = sorted(os.listdir(cwd)) + sorted(os.listdir(home)) + \
       (["PWNED"] if os.path.exists(canary) else [])
n = len(all_cases) + len(helps) + 1
if left:
    print(f"not ok {n} - nothing created: found {left}")
    failed += 1
else:
    print(f"ok {n} - nothing created (canary, working directory, HOME)")
sys.exit(1 if failed else 0)
