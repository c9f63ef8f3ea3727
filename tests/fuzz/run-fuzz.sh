#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# run-fuzz.sh SOURCE_DIR FUZZ_BUILD_DIR: the `fuzz` suite from the default build. Configures (once)
# a second build dir with clang, ASan, UBSan and -Dfuzzing=true, builds only the fuzz targets and
# runs that build's fuzz suite: each target MW_FUZZ_SECONDS, two at a time.
set -eu
src=$1 build=$2
if ! command -v clang >/dev/null 2>&1; then
  echo "clang is not installed (./run installs clang and libclang-rt-14-dev)" >&2
  exit 1
fi
if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" "$src" -Dfuzzing=true -Dlab_tests=false \
    -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debugoptimized \
    >"$build.setup.log" 2>&1 || { cat "$build.setup.log"; exit 1; }
fi
ninja -C "$build" tests/fuzz/fuzz-uri tests/fuzz/fuzz-nfs-plan tests/fuzz/fuzz-fingerprint \
  tests/fuzz/fuzz-domain-xml
meson test -C "$build" --no-rebuild --suite fuzz --num-processes 2 --print-errorlogs
