# SPDX-License-Identifier: GPL-3.0-or-later
# scenarios.sh: the migration wizard's lab scenarios, sourced by run-lab-suite (which provides
# ok, not_ok, note, check, now_ms, $lab, $cli, $jobtest, $tmp). Each scenario runs
# mig-wizard-cli (or test-lab-job) the way an admin would and checks what it reports against
# what the lab sees by itself: where the guest runs (virsh on both hosts) and the switch
# namespace's own pinger. Figures are printed as "# FIGURE …" lines.
#
# Expects the lab guest on hosta, idle; leaves it on hosta.

A_URI=qemu+ssh://root@hosta/system
B_URI=qemu+ssh://root@hostb/system
GUEST=labguest
GUEST_IP=10.77.0.10
STORE=labstore
STORE_IP=10.77.0.11

# survived WHAT BOOT_ID [local-guest]: the guest survived (the lab's own check: it answers, same
# boot id, no oops, no page of the dirtier lost a write). One TAP line.
survived ()
{
  local what=$1 boot=$2 which=${3:-guest} out rc=0
  out=$("$lab" "$which" check "$boot" 2>&1) || rc=$?
  echo "# $which: $out"
  if [ $rc -eq 0 ]; then ok "$what: the guest survived ($out)"
  else not_ok "$what: the guest did not survive ($out)"; fi
}

# report_check REPORT.json LAB_PINGER_STATS EXPECT [JOBINFO]: checks a report with python3, prints
# the figures; EXPECT is "completed" or "cancelled". JOBINFO: a file with libvirt's own `virsh
# domjobinfo --completed`, whose downtimes the report's must equal.
report_check ()
{
  python3 - "$@" <<'PY'
import json, re, sys
path, stats, expect = sys.argv[1], sys.argv[2], sys.argv[3]
jobinfo = sys.argv[4] if len(sys.argv) > 4 else None
r = json.load(open(path))
s = r["summary"]
kv = dict(w.split("=", 1) for w in stats.split() if "=" in w)
fail = []
samples = r["samples"]
running = [x for x in samples if x["state"] == "running"]
rate = 0.0
if len(running) >= 2:
    span = (running[-1]["time_us"] - running[0]["time_us"]) / 1e6
    rate = (len(running) - 1) / span if span > 0 else 0.0
lab_gap_ms = float(kv.get("max_gap_s", "nan")) * 1000
gap_ms = s["longest_ping_gap_ms"]
print("# FIGURE outcome=%s total_ms=%s downtime_ms=%s passes=%s samples=%d running_samples=%d "
      "samples_per_s=%.2f last_memory_remaining=%s pings_lost=%s/%s gap_ms=%s lab_gap_ms=%.0f "
      "lab_lost=%s" % (s["outcome"], s["total_time_ms"], s["downtime_ms"], s["passes"],
      len(samples), len(running), rate, samples[-1]["memory_remaining"] if samples else None,
      s["pings_lost"], s["pings_sent"], gap_ms, lab_gap_ms, kv.get("lost")))
if s["outcome"] != expect:
    fail.append("outcome %s, expected %s" % (s["outcome"], expect))
if expect == "completed":
    if rate < 4.0:
        fail.append("%.2f samples a second while the job ran, expected >= 4" % rate)
    if not samples or samples[-1]["memory_remaining"] != 0 or samples[-1]["state"] != "completed":
        fail.append("the last sample is not a completed one with 0 memory remaining")
    # Each pinger samples the outage every 100 ms, so each may see it up to 100 ms longer than
    # it was: two honest pingers can differ by up to 200 ms.
    if gap_ms is None or abs(gap_ms - lab_gap_ms) > 200:
        fail.append("ping gap %s ms in the report, %.0f ms seen by the lab's pinger" % (gap_ms, lab_gap_ms))
    if jobinfo is not None:
        # libvirt's words: "Total downtime: 216 ms", "Downtime w/o network: 208 ms"; a field it
        # did not give must be null in the report, never 0.
        text = open(jobinfo, encoding="utf-8").read()
        print("# FIGURE downtimes report=%s/%s domjobinfo=%s" % (s["downtime_ms"], s.get("downtime_net_ms"),
              "/".join(re.findall(r"^(?:Total downtime|Downtime w/o network):\s*(\d+)", text, re.M))))
        for field, key in (("Total downtime", "downtime_ms"), ("Downtime w/o network", "downtime_net_ms")):
            m = re.search(r"^%s:\s*(\d+)\s*ms" % re.escape(field), text, re.M)
            want = int(m.group(1)) if m else None
            if s.get(key) != want:
                fail.append("%s %s in the report, libvirt's domjobinfo says %s" % (key, s.get(key), want))
else:
    if s["pings_lost"] != 0:
        fail.append("%s pings lost (report)" % s["pings_lost"])
    if kv.get("lost") != "0":
        fail.append("%s pings lost (lab's pinger)" % kv.get("lost"))
for f in fail:
    print("# " + f)
sys.exit(1 if fail else 0)
PY
}

# (a) live migration there and back over qemu+ssh, the guest pinged by the job and the lab.
scenario_there_and_back ()
{
  local from=$1 to=$2 mode=$3 name=$4 rc=0 stats to_host from_host boot
  to_host=${to#*@}; to_host=${to_host%%/*}
  from_host=${from#*@}; from_host=${from_host%%/*}
  boot=$("$lab" guest bootid)
  "$lab" pinger start > /dev/null
  sleep 1
  "$cli" migrate --from "$from" --to "$to" $mode --ping "$GUEST_IP" \
    --report "$tmp/$name.json" "$GUEST" > "$tmp/$name.out" 2>&1 || rc=$?
  note < "$tmp/$name.out"
  sleep 1
  stats=$("$lab" pinger stop | tail -n1)
  echo "# lab pinger: $stats"
  # libvirt's record of the finished job, read independently: the source's while it still
  # holds the guest's definition, else the destination's (the same figures, sent back to the
  # source at the end of the migration).
  "$lab" virsh "$from_host" domjobinfo "$GUEST" --completed --keep-completed > "$tmp/$name.jobinfo" 2>&1 ||
    "$lab" virsh "$to_host" domjobinfo "$GUEST" --completed --keep-completed > "$tmp/$name.jobinfo" 2>&1
  if [ $rc -eq 0 ] && [ "$("$lab" guest where)" = "$to_host" ]; then
    ok "(a) $name: mig-wizard-cli exits 0 and the guest runs on the destination only"
  else
    not_ok "(a) $name: mig-wizard-cli exit $rc, guest on $("$lab" guest where)"
  fi
  check "(a) $name: >= 4 samples/s, ends at 0 memory remaining, ping gap within 200 ms of the lab's, downtimes as virsh domjobinfo --completed" \
    report_check "$tmp/$name.json" "$stats" completed "$tmp/$name.jobinfo"
  survived "(a) $name" "$boot"
}

# (b) copy-storage to a host without the volume: pre-created (same name, capacity, format,
# sparse), then migrated; an aborted attempt first must leave the destination without it.
scenario_copy_storage ()
{
  local rc=0 out vol boot
  check "(b) labstore (disk in pool 'local' on hosta only) starts" "$lab" local-guest start
  check "(b) hostb has no volume labstore.qcow2 before" \
    bash -c "! '$lab' virsh hostb vol-info labstore.qcow2 --pool local > /dev/null 2>&1"
  boot=$("$lab" local-guest bootid)

  # A failed attempt: stopped while the disk is being copied at 1 MiB/s.
  "$cli" migrate --from "$A_URI" --to "$B_URI" --copy-storage all --bandwidth 1 \
    --abort-after 2 --report "$tmp/b-abort.json" "$STORE" > "$tmp/b-abort.out" 2>&1 || rc=$?
  note < "$tmp/b-abort.out"
  if [ $rc -eq 1 ] && [ "$("$lab" local-guest where)" = hosta ] &&
     ! "$lab" virsh hostb vol-info labstore.qcow2 --pool local > /dev/null 2>&1; then
    ok "(b) a stopped copy-storage migration: exit 1, guest on hosta, the pre-created volume removed from hostb"
  else
    not_ok "(b) stopped copy-storage migration: exit $rc, guest on $("$lab" local-guest where), hostb volume: $("$lab" virsh hostb vol-info labstore.qcow2 --pool local 2>&1 | tr '\n' ' ')"
  fi

  survived "(b) stopped copy-storage migration" "$boot" local-guest

  rc=0
  out=$(G_MESSAGES_DEBUG=MigWizard-Core "$cli" migrate --from "$A_URI" --to "$B_URI" \
          --copy-storage all --ping "$STORE_IP" --report "$tmp/b.json" "$STORE" 2>&1) || rc=$?
  printf '%s\n' "$out" | grep -v -e 'DEBUG: Update' -e 'DEBUG: Add' -e 'DEBUG: Remove' -e '^ *$' | note
  vol=$("$lab" virsh hostb vol-dumpxml labstore.qcow2 --pool local 2>&1)
  echo "# FIGURE b $(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; print("outcome=%s total_ms=%s downtime_ms=%s pings_lost=%s/%s gap_ms=%s" % (s["outcome"], s["total_time_ms"], s["downtime_ms"], s["pings_lost"], s["pings_sent"], s["longest_ping_gap_ms"]))' "$tmp/b.json")"
  if [ $rc -eq 0 ] && [ "$("$lab" local-guest where)" = hostb ] &&
     printf '%s\n' "$out" | grep -q "Pre-created local/labstore.qcow2 (16777216 bytes, qcow2)" &&
     printf '%s\n' "$vol" | grep -q "<capacity unit='bytes'>16777216</capacity>" &&
     printf '%s\n' "$vol" | grep -q "<format type='qcow2'/>"; then
    ok "(b) --copy-storage all: the volume pre-created on hostb (16 MiB qcow2), migrated, exit 0, labstore runs on hostb"
  else
    not_ok "(b) --copy-storage all: exit $rc, labstore on $("$lab" local-guest where)"
    printf '%s\n' "$vol" | note
  fi
  survived "(b) --copy-storage all" "$boot" local-guest
  "$lab" local-guest destroy > /dev/null 2>&1
}

# (c) Ctrl+C mid-flight: the guest stays on the source and no ping is lost.
scenario_interrupt ()
{
  local rc=0 pid stats boot
  boot=$("$lab" guest bootid)
  "$lab" guest dirty 64 > /dev/null
  "$lab" pinger start > /dev/null
  sleep 1
  "$cli" migrate --from "$A_URI" --to "$B_URI" --bandwidth 8 --ping "$GUEST_IP" \
    --report "$tmp/c.json" "$GUEST" > "$tmp/c.out" 2>&1 &
  pid=$!
  sleep 5
  kill -INT "$pid"
  wait "$pid" || rc=$?
  note < "$tmp/c.out"
  sleep 1
  stats=$("$lab" pinger stop | tail -n1)
  survived "(c) Ctrl+C mid-flight, dirtying 64 MiB/s" "$boot"
  "$lab" guest dirty 0 > /dev/null
  echo "# lab pinger: $stats"
  if [ $rc -eq 1 ] && [ "$("$lab" guest where)" = hosta ] &&
     ! "$cli" list "$B_URI" | grep -q "^$GUEST"; then
    ok "(c) Ctrl+C mid-flight: exit 1, the guest runs on hosta, hostb has none"
  else
    not_ok "(c) Ctrl+C mid-flight: exit $rc, guest on $("$lab" guest where)"
  fi
  check "(c) Ctrl+C mid-flight: reported cancelled, 0 pings lost (report and lab)" \
    report_check "$tmp/c.json" "$stats" cancelled
}

# (d) the destination's libvirtd killed (SIGKILL) mid-flight, client-driven: the hard case
# (LAB.md: neither libvirt nor virsh notices until the Finish phase, minutes later); the job
# watches its destination connection and stops the migration itself.
scenario_kill_destination ()
{
  local rc=0 pid t_kill t_end boot
  boot=$("$lab" guest bootid)
  "$lab" guest dirty 64 > /dev/null
  "$cli" migrate --from "$A_URI" --to "$B_URI" --client --bandwidth 8 \
    --ping "$GUEST_IP" --report "$tmp/d.json" "$GUEST" > "$tmp/d.out" 2>&1 &
  pid=$!
  sleep 5
  check "(d) hostb's libvirtd killed with SIGKILL mid-flight" "$lab" kill-libvirtd hostb KILL
  t_kill=$(now_ms)
  for _ in $(seq 600); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
  t_end=$(now_ms)
  kill -0 "$pid" 2> /dev/null && kill -INT "$pid"
  wait "$pid" || rc=$?
  note < "$tmp/d.out"
  survived "(d) destination killed mid-flight, dirtying 64 MiB/s" "$boot"
  "$lab" guest dirty 0 > /dev/null
  echo "# FIGURE d cli_exit_after_kill_ms=$((t_end - t_kill)) $(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; print("outcome=%s pings_lost=%s/%s gap_ms=%s" % (s["outcome"], s["pings_lost"], s["pings_sent"], s["longest_ping_gap_ms"]))' "$tmp/d.json" 2>/dev/null)"
  if [ $rc -eq 1 ] && [ "$("$lab" guest where)" = hosta ]; then
    ok "(d) destination killed (client-driven): exit 1 within $((t_end - t_kill)) ms, the guest runs on hosta"
  else
    not_ok "(d) destination killed: exit $rc, guest on $("$lab" guest where)"
  fi
  check "(d) hostb's libvirtd restarted" "$lab" restart-libvirtd hostb
  # The restarted daemon reconnects to the orphaned incoming QEMU, finds its migration
  # unfinished and kills it ("shutting down, reason=daemon" in its log): libvirt 11.3 about
  # 1.5 s after it starts (9.0 within 1 s); until then hostb lists labguest "paused". MigWizard's
  # remove-leftover does it at once, and only to such a copy.
  local out t0 t1
  t0=$(now_ms)
  out=$("$cli" remove-leftover --from "$A_URI" --to "$B_URI" "$GUEST" 2>&1); rc=$?
  t1=$(now_ms)
  printf '%s\n' "$out" | note
  if [ $rc -eq 0 ] && ! "$lab" virsh hostb list --all --name 2> /dev/null | grep -qx "$GUEST" &&
     [ "$("$lab" guest where)" = hosta ]; then
    ok "(d) remove-leftover: hostb holds no labguest afterwards ($((t1 - t0)) ms), it runs on hosta"
  else
    not_ok "(d) remove-leftover: exit $rc, hostb: $("$lab" virsh hostb list --all --name 2>&1 | tr '\n' ' ')"
  fi
  out=$("$cli" remove-leftover --from "$B_URI" --to "$A_URI" "$GUEST" 2>&1); rc=$?
  printf '%s\n' "$out" | note
  if [ $rc -ne 0 ] && [ "$("$lab" guest where)" = hosta ]; then
    ok "(d) remove-leftover the wrong way round (the guest runs on the 'destination'): refused, the guest untouched"
  else
    not_ok "(d) remove-leftover the wrong way round: exit $rc, guest on $("$lab" guest where)"
  fi
  check "(d) the result says hostb could not be asked, and what may be left there" \
    grep -q "could not be asked" "$tmp/d.out"
}

run_scenarios ()
{
  local rc
  scenario_there_and_back "$A_URI" "$B_URI" --client a-there
  scenario_there_and_back "$B_URI" "$A_URI" --p2p a-back
  scenario_copy_storage
  scenario_interrupt
  scenario_kill_destination

  # (e) through MwMigrationJob, as the wizard drives it.
  rc=0
  MW_LAB_SCRIPT=$lab "$jobtest" --tap > "$tmp/e.out" 2>&1 || rc=$?
  grep -v -e '# DEBUG' -e '^# *$' -e '^ok ' -e '^not ok ' -e '^1\.\.' "$tmp/e.out" | note
  for t in raise-downtime postcopy; do
    if grep -q "^ok .*not-converging/$t" "$tmp/e.out"; then
      ok "(e) dirty 256 over a 64 MiB/s link: NOT_CONVERGING with the defaults, then remedy '$t' completes it"
    else
      not_ok "(e) dirty 256 over a 64 MiB/s link, remedy '$t' (test-lab-job exit $rc)"
    fi
  done
}
