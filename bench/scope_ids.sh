#!/usr/bin/env bash
# bench/scope_ids.sh - issue 4's timed and counted measurements: IDs and
# scopes in ns (scope_bench), the system calls of N IDs (strace), and heap
# allocations per scope and per record (alloc_count). The instruction counts
# of scopes and IDs are in bench/callgrind.sh.
#
#   bench/scope_ids.sh [BIN_DIR]     default $TMPDIR/trace-bench-build/bench,
#                                    as bench/run_all.sh builds it
#   SB_CALLS=10000000 calls per run, SB_RUNS=7 runs (medians)
#   AC_N=100000 scopes/records per case of alloc_count
set -euo pipefail

bin=${1:-${TMPDIR:-/tmp}/trace-bench-build/bench}
for p in scope_bench alloc_count; do
    if [ ! -x "$bin/$p" ]; then
        echo "scope_ids.sh: $bin/$p not found: build the bench first (bench/run_all.sh)" >&2
        exit 1
    fi
done

echo "== scope_bench all -n ${SB_CALLS:-10000000} -r ${SB_RUNS:-7}"
"$bin/scope_bench" all -n "${SB_CALLS:-10000000}" -r "${SB_RUNS:-7}"

# System calls of a whole process that draws N span IDs, for two N: equal
# totals mean no system call per ID (the generator seeds once per thread).
syscalls() { # PROGRAM-MODE N -> total system calls of the process
    local f
    f=$(mktemp "${TMPDIR:-/tmp}/trace-strace.XXXXXX")
    strace -f -c -o "$f" "$bin/scope_bench" "$1" -n "$2" >/dev/null
    # "% time  seconds  usecs/call  calls  [errors]  total": calls is field 4
    awk '$NF == "total" { print $4 }' "$f"
    rm -f "$f"
}
echo
echo "== system calls (strace -f -c), whole process"
if command -v strace >/dev/null; then
    a=$(syscalls only-ids 1000)
    b=$(syscalls only-ids 10000000)
    awk -v a="$a" -v b="$b" 'BEGIN {
        printf "trace_new_span_id: %d syscalls for 1,000 IDs, %d for 10,000,000: %s\n", a, b,
               (a == b ? "none per ID (ok)" : sprintf("%.6f per ID (NOT ok)", (b - a) / 9999000)) }'
    if "$bin/scope_bench" only-uuid -n 1 >/dev/null 2>&1; then
        a=$(syscalls only-uuid 100)
        b=$(syscalls only-uuid 1000)
        awk -v a="$a" -v b="$b" 'BEGIN {
            printf "libuuid uuid_generate: %d syscalls for 100 UUIDs, %d for 1,000: %.1f per UUID\n",
                   a, b, (b - a) / 900 }'
    else
        echo "(libuuid not built: apt-get install uuid-dev, then rebuild)"
    fi
else
    echo "strace is not installed: skipped (apt-get install strace)"
fi

echo
echo "== heap allocations (alloc_count -n ${AC_N:-100000})"
"$bin/alloc_count" -n "${AC_N:-100000}" || echo "alloc_count: a steady state allocated (see above)"
