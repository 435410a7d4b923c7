#!/usr/bin/env bash
# bench/run_all.sh - build the benchmarks and run them all.
#
#   bench/run_all.sh [BUILD_DIR]     default: $TMPDIR/trace-bench-build (/tmp/...)
#
# 1. configures an optimised build (RelWithDebInfo: gcc -O2 -g) with the
#    benchmarks on and the tests off, and builds the `trace_bench` target;
# 2. bench/callgrind.sh: instructions per call (needs valgrind);
# 3. tp_bench buffered, safe and abort: medians of 7 runs of 100,000 records.
#
# Environment: TP_RECORDS (100000), TP_RUNS (7), TP_DIR (where tp_bench
# writes its files: a regular file system, default a directory under /tmp),
# CG_N (1000 calls per callgrind case). Peers (spdlog, glog) are compared
# when their Debian packages are installed:
#   apt-get install valgrind libspdlog-dev libgoogle-glog-dev
set -euo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-${TMPDIR:-/tmp}/trace-bench-build}

echo "== machine: $(uname -srm), $(nproc) cores, $(gcc --version | head -1)"
echo "== header: $src/include/trace.h ($(wc -l <"$src/include/trace.h") lines, sha256 $(sha256sum "$src/include/trace.h" | cut -c1-12))"

cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTRACE_BUILD_BENCH=ON \
    -DBUILD_TESTING=OFF >/dev/null
cmake --build "$build" --target trace_bench -j2 >/dev/null

echo
echo "== callgrind (bench/callgrind.sh)"
if command -v valgrind >/dev/null; then
    "$src/bench/callgrind.sh" "$build/bench"
else
    echo "valgrind is not installed: skipped (apt-get install valgrind)"
fi

tp_args=(-n "${TP_RECORDS:-100000}" -r "${TP_RUNS:-7}")
if [ -n "${TP_DIR:-}" ]; then
    tp_args+=(-d "$TP_DIR")
fi
echo
echo "== timed runs (tp_bench ${tp_args[*]})"
"$build/bench/tp_bench" buffered "${tp_args[@]}"
"$build/bench/tp_bench" safe "${tp_args[@]}"
"$build/bench/tp_bench" abort "${tp_args[@]}"
