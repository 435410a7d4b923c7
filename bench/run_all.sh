#!/usr/bin/env bash
# bench/run_all.sh - build the benchmarks and run them all.
#
#   bench/run_all.sh [BUILD_DIR]     default: $TMPDIR/trace-bench-build (/tmp/...)
#
# 1. configures an optimised build (RelWithDebInfo: gcc -O2 -g) with the
#    benchmarks on and the tests off, and builds the `trace_bench` target;
# 2. bench/callgrind.sh: instructions per call (needs valgrind);
# 3. tp_bench buffered, safe and abort: medians of 7 runs of 100,000 records;
# 4. bench/scope_ids.sh (issue 4): scope_bench (IDs and scopes in ns, medians
#    of 7 runs of 10M calls, libuuid when built), strace's count of system
#    calls for N IDs, alloc_count (heap allocations per scope and record).
#    callgrind.sh (2.) ends with issue 4's instruction counts.
#
# Environment: TP_RECORDS (100000), TP_RUNS (7), TP_DIR (where tp_bench
# writes its files: a regular file system, default a directory under /tmp),
# CG_N (1000 calls per callgrind case), SB_CALLS, SB_RUNS, AC_N (see
# bench/scope_ids.sh). Peers (spdlog, glog) are compared
# when their Debian packages are installed:
#   apt-get install valgrind libspdlog-dev libgoogle-glog-dev
set -euo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-${TMPDIR:-/tmp}/trace-bench-build}

echo "== machine: $(uname -srm), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== compilers: $("${CC:-cc}" --version | head -1); $("${CXX:-c++}" --version 2>/dev/null | head -1)"
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

echo
echo "== issue 4: IDs and scopes timed, system calls, heap allocations (bench/scope_ids.sh)"
"$src/bench/scope_ids.sh" "$build/bench"
