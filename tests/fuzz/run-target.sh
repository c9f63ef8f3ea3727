#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# run-target.sh FUZZER FOUND_DIR CORPUS_DIR SECONDS: one libFuzzer run, bounded in time, from the
# committed corpus. New inputs go to FOUND_DIR (the build dir); a crash leaves its input there as
# crash-* and fails the test with the reproducer's path.
set -eu
fuzzer=$1 found=$2 corpus=$3 seconds=$4
mkdir -p "$found"
cd "$found"
# Leaks count; the GLib type system's one-time allocations are still reachable, not leaks.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
if "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 -max_len=65536 \
     -print_final_stats=1 "$found" "$corpus" >"$found/log" 2>&1; then
  tail -n 12 "$found/log"
  exit 0
fi
tail -n 80 "$found/log"
for f in "$found"/crash-* "$found"/leak-* "$found"/timeout-* "$found"/oom-*; do
  [ -e "$f" ] && echo "reproducer: $f (add it to $corpus once fixed)"
done
exit 1
