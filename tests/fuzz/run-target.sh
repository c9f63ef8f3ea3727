#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# run-target.sh FUZZER FOUND_DIR CORPUS_DIR SECONDS: one libFuzzer run, bounded in time, from the
# committed corpus and a fixed seed. A crash leaves its input in FOUND_DIR (the build dir) as
# crash-* and fails the test with the reproducer's path.
set -eu
fuzzer=$1 found=$2 corpus=$3 seconds=$4
mkdir -p "$found"
cd "$found"
rm -f "$found"/crash-* "$found"/leak-* "$found"/timeout-* "$found"/oom-*
# The same run every time (CI must not fail on luck): a fixed seed, and the committed corpus
# alone to start from; what it finds goes to a scratch dir, dropped afterwards.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Leaks count; the GLib type system's one-time allocations are still reachable, not leaks.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
if "$fuzzer" -seed=1 -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 -max_len=65536 \
     -artifact_prefix="$found/" -print_final_stats=1 "$work" "$corpus" >"$found/log" 2>&1; then
  tail -n 12 "$found/log"
  exit 0
fi
tail -n 80 "$found/log"
for f in "$found"/crash-* "$found"/leak-* "$found"/timeout-* "$found"/oom-*; do
  [ -e "$f" ] && echo "reproducer: $f (add it to $corpus once fixed)"
done
exit 1
