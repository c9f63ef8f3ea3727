# SPDX-License-Identifier: GPL-3.0-or-later
# postcopy.sh: post-copy you can recover (issue #12). labguest dirtying 32 MiB/s moves hosta →
# hostb through `mig-wizard-cli migrate --postcopy --bandwidth 8`; once the source's job has
# copied PC_AT_MIB, its post-copy stream is held to 4 MiB/s (`virsh migrate-setspeed
# --postcopy`, so there is time to hit it) and it switches (`virsh migrate-postcopy`: a timer
# from the start of the call comes too early while the destination's TCG QEMU starts). Once the
# CLI says post-copy, the hosts' own link is cut (`mig-wizard-lab link cut`) and stays cut
# until the CLI says the post-copy broke off. Then, by the lab's own means:
#   the CLI exited 3 with the paused sentence (nothing is lost yet) and the command to recover;
#   virsh: the source paused with reason post-copy failed, the destination still in post-copy
#     (not a lost guest);
#   after `link restore`: once both hosts say post-copy failed, the printed command run as-is
#     (exit 0) — or the migration finished by itself (QEMU's TCP stream outlived the cut), and
#     the printed command then says "Nothing to recover" (exit 0) —
#     and then the guest runs on hostb only (virsh on both hosts, `guest qemus`), the same boot id, no write the dirtier
#     lost (`guest check`).
# One row `# POSTCOPY detect | settled | how, recover | pings lost/replies (the lab's pinger) |
# wall`: detect from the cut to the CLI's exit (the link is restored then), settled from the cut
# to libvirt saying post-copy failed on both hosts or the migration finished, recover the
# command's own time; wall without moving the guest home afterwards. Budget: ≤ 90 s wall with
# the lab up (measured: see the commit).
#
#   run_postcopy LAB CLI               sourced by run-lab-suite (ok, not_ok, note, check)
#   bash tests/lab/postcopy.sh LAB CLI    alone, with the lab up: prints TAP
#
# Expects labguest running on hosta; leaves it there, the dirtier stopped, the link up.

PC_A=qemu+ssh://root@hosta/system
PC_B=qemu+ssh://root@hostb/system
PC_BOUND_S=75
PC_AT_MIB=8
PC_NOTICE_S=60

pc_ms () { date +%s%3N; }
# pc_state HOST: virsh's "state (reason)" of labguest, or "absent".
pc_state () { "$pc_lab" virsh "$1" domstate --reason labguest 2> /dev/null | head -1 || true; }
# pc_copied: the source job's "Data processed" in MiB, empty without a job.
pc_copied ()
{
  "$pc_lab" virsh hosta domjobinfo labguest 2> /dev/null | awk -F': *' '
    $1 == "Data processed" { split($2, v, " "); m = v[1]
      if (v[2] == "KiB") m /= 1024; else if (v[2] == "GiB") m *= 1024; else if (v[2] == "B") m /= 1048576
      printf "%d\n", m }'
}
pc_alive () { local st; st=$(sed 's/^.*) //' "/proc/$1/stat" 2> /dev/null | cut -d' ' -f1); [ -n "$st" ] && [ "$st" != Z ]; }

# pc_wait_exit PID SECONDS: until the process is gone (1 if it outlived the bound).
pc_wait_exit ()
{
  local deadline=$(( $(pc_ms) + $2 * 1000 ))
  while pc_alive "$1"; do
    [ "$(pc_ms)" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

pc_home ()
{
  "$pc_lab" link restore > /dev/null 2>&1
  "$pc_lab" guest dirty 0 > /dev/null 2>&1
  if [ "$("$pc_lab" guest where)" = hostb ]; then
    "$pc_cli" migrate --from "$PC_B" --to "$PC_A" --quiet labguest > "$pc_tmp/home.out" 2>&1 ||
      note < "$pc_tmp/home.out"
  fi
}

run_postcopy ()
{
  local boot pid rc copied how t0 t_cut t_paused t_both t_rec t_end deadline cmd line sa sb lost replies why=()
  pc_lab=${1:?usage: run_postcopy LAB CLI}
  pc_cli=${2:?usage: run_postcopy LAB CLI}
  pc_tmp=$(mktemp -d)

  t0=$(pc_ms)
  boot=$("$pc_lab" guest bootid)
  "$pc_lab" pinger start > /dev/null 2>&1
  "$pc_lab" guest dirty 32 > /dev/null
  "$pc_cli" migrate --from "$PC_A" --to "$PC_B" --postcopy --bandwidth 8 \
    labguest > "$pc_tmp/migrate.out" 2>&1 &
  pid=$!

  deadline=$(( $(pc_ms) + 40000 ))
  while [ "$(pc_ms)" -lt "$deadline" ] && pc_alive "$pid"; do
    copied=$(pc_copied)
    [ -n "$copied" ] && [ "$copied" -ge "$PC_AT_MIB" ] && break
    sleep 0.2
  done
  # The post-copy stream slow enough to cut it mid-way, then the switch.
  "$pc_lab" virsh hosta migrate-setspeed --postcopy labguest 4 2>&1 | note
  "$pc_lab" virsh hosta migrate-postcopy labguest 2>&1 | note
  deadline=$(( $(pc_ms) + 30000 ))
  until grep -q '^Post-copy' "$pc_tmp/migrate.out"; do
    [ "$(pc_ms)" -lt "$deadline" ] && pc_alive "$pid" || break
    sleep 0.05
  done
  t_cut=$(pc_ms)
  "$pc_lab" link cut > /dev/null
  if pc_wait_exit "$pid" "$PC_BOUND_S"; then
    rc=0; wait "$pid" || rc=$?
  else
    rc=timeout; kill -INT "$pid" 2> /dev/null; wait "$pid"
  fi
  t_paused=$(pc_ms)
  note < "$pc_tmp/migrate.out"
  sa=$(pc_state hosta); sb=$(pc_state hostb)
  echo "# after the cut: hosta $sa; hostb $sb"
  [ "$rc" = 3 ] || why+=("the CLI exited $rc, not 3 (paused)")
  grep -q 'nothing is lost yet' "$pc_tmp/migrate.out" || why+=("no paused sentence")
  case "$sa" in *"post-copy failed"*) ;; *) why+=("hosta: $sa, not post-copy failed") ;; esac
  # hostb's QEMU only hears of it through TCP (its libvirt has no say on the stream): still
  # in post-copy here, failed once the link is back (measured: 2026-12-05).
  case "$sb" in *"post-copy"*) ;; *) why+=("hostb: $sb, not in post-copy") ;; esac
  line=$(grep -A1 '^To recover it, run:' "$pc_tmp/migrate.out" | sed -n '2s/^ *//p')
  case "$line" in
    "mig-wizard-cli migrate "*"--postcopy-recover") ;;
    *) why+=("no recover command printed") ;;
  esac
  if [ ${#why[@]} -eq 0 ]; then ok "postcopy: a cut link pauses the post-copy, the CLI says so (exit 3)"
  else not_ok "postcopy: paused: $(IFS=';'; echo "${why[*]}")"; fi

  # The link back; then either libvirt says post-copy failed on both sides and the printed
  # command recovers it, or QEMU's own stream (TCP, which outlived the cut) finishes it by
  # itself (seen on 2026-12-05: libvirt's keepalive gave up, QEMU's stream did not).
  "$pc_lab" link restore > /dev/null
  deadline=$(( $(pc_ms) + PC_NOTICE_S * 1000 ))
  while :; do
    sa=$(pc_state hosta); sb=$(pc_state hostb)
    case "$sa/$sb" in
      *"post-copy failed"*/*"post-copy failed"*) break ;;
      "shut off"*/"running"*|/"running"*) case "$sb" in *"post-copy"*) ;; *) break ;; esac ;;
    esac
    [ "$(pc_ms)" -lt "$deadline" ] || break
    sleep 0.5
  done
  t_both=$(pc_ms)
  echo "# link back: hosta $sa; hostb $sb"
  why=()
  t_rec=$(pc_ms)
  case "$sa" in
    *"post-copy failed"*)
      # The printed command, as printed (only the program's path differs).
      cmd=${line#mig-wizard-cli }
      rc=0
      eval "\"\$pc_cli\" $cmd" > "$pc_tmp/recover.out" 2>&1 || rc=$?
      note < "$pc_tmp/recover.out"
      [ "$rc" = 0 ] || why+=("the recover command exited $rc")
      how=recovered ;;
    *) echo "# postcopy: the migration finished by itself once the link was back; nothing to recover"
       how="finished by itself"
       # The printed command, run now anyway, must say so (exit 0), not that the guest is
       # not running on the source.
       cmd=${line#mig-wizard-cli }
       rc=0
       eval "\"\$pc_cli\" $cmd" > "$pc_tmp/recover.out" 2>&1 || rc=$?
       note < "$pc_tmp/recover.out"
       [ "$rc" = 0 ] || why+=("the recover command after the end exited $rc")
       grep -q '^Nothing to recover' "$pc_tmp/recover.out" ||
         why+=("the recover command after the end did not say 'Nothing to recover'") ;;
  esac
  t_end=$(pc_ms)
  sa=$(pc_state hosta); sb=$(pc_state hostb)
  case "$sb" in "running"*) case "$sb" in *"post-copy"*) why+=("hostb: $sb") ;; esac ;; *) why+=("hostb: $sb") ;; esac
  case "$sa" in ""|"shut off"*) ;; *) why+=("hosta: $sa") ;; esac
  [ "$("$pc_lab" guest qemus)" = hostb ] || why+=("QEMU processes on '$("$pc_lab" guest qemus)'")
  "$pc_lab" guest check "$boot" > "$pc_tmp/check.out" 2>&1 || why+=("guest check: $(cat "$pc_tmp/check.out")")
  lost=$("$pc_lab" pinger stop 2> /dev/null | sed -n 's/.*lost=\([^ ]*\).*/\1/p')
  replies=$("$pc_lab" pinger stats 2> /dev/null | sed -n 's/^replies=\([0-9]*\).*/\1/p')
  if [ ${#why[@]} -eq 0 ]; then ok "postcopy: $how; labguest runs on hostb only, same boot, no lost write"
  else not_ok "postcopy: recover: $(IFS=';'; echo "${why[*]}")"; fi
  echo "# POSTCOPY detect $(( t_paused - t_cut )) ms | settled $(( t_both - t_cut )) ms | $how $(( t_end - t_rec )) ms | pings lost ${lost:-?}/${replies:-?} | wall $(( t_end - t0 )) ms"

  pc_home
  if [ "$("$pc_lab" guest where)" != hosta ]; then
    # A guest left paused would fail every later part for this part's reason: its failure is
    # recorded above, and the lab starts again from nothing for the rest.
    echo "# postcopy: labguest did not go back to hosta: the lab is brought down and up again"
    "$pc_lab" down 2>&1 | note
    "$pc_lab" up 2>&1 | note
  fi
  rm -rf "$pc_tmp"
}

# Alone: TAP of its own.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -uo pipefail
  n=0
  ok ()     { n=$((n + 1)); echo "ok $n - $*"; }
  not_ok () { n=$((n + 1)); echo "not ok $n - $*"; }
  note ()   { sed 's/^/# /'; }
  run_postcopy "$@"
  echo "1..$n"
fi
