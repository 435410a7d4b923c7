#!/usr/bin/env bash
# bench/callgrind.sh - instructions per call of trace.h, its references and
# its peers, counted by callgrind.
#
#   bench/callgrind.sh [BIN_DIR]      BIN_DIR: where cg_trace (and cg_spdlog,
#                                     cg_glog when built) are; default
#                                     $TMPDIR/trace-bench-build/bench, as
#                                     bench/run_all.sh builds it
#   CG_N=1000  calls per case         CG_OUT=DIR  keep callgrind's files there
#                                     (for callgrind_annotate; else removed)
#   CG_DETAIL=1  also print each trace.h case's most expensive functions
#
# Method. Each program runs one case N times; the case is a call in a
# function of its own, `case_<name>`, and valgrind runs with
#   --tool=callgrind --collect-atstart=no --toggle-collect=case_<name>
# so the count (Ir) holds the user-space instructions executed inside that
# function and everything it calls, and nothing else: not the loop in main,
# not the warm-up before it, not the start of the process. The kernel is never
# counted by callgrind: a write(2) costs only its libc wrapper here. That
# wrapper's inclusive cost (libc's `write`, read from callgrind_annotate) is
# subtracted, and so is the case function's own `ret` (the `empty` case,
# 1 instruction), which gives the "net" column: the instructions of the call
# itself, in the library, without the write.
#
# Caveat: valgrind hides the vDSO, so clock_gettime is a real system call
# under callgrind (about 10 user instructions here); natively the vDSO
# computes the time in user space (some tens of instructions, ~20 ns). Only
# the JSON and logfmt records read the clock (plain has no timestamp).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=${1:-${TMPDIR:-/tmp}/trace-bench-build/bench}
n=${CG_N:-1000}
if [ -n "${CG_OUT:-}" ]; then
    out=$CG_OUT
    mkdir -p "$out"
else
    out=$(mktemp -d "${TMPDIR:-/tmp}/trace-callgrind.XXXXXX")
    trap 'rm -rf "$out"' EXIT
fi

if ! command -v valgrind >/dev/null; then
    echo "callgrind.sh: valgrind is not installed (apt-get install valgrind)" >&2
    exit 1
fi
if [ ! -x "$bin/cg_trace" ]; then
    echo "callgrind.sh: $bin/cg_trace not found: build the bench first" >&2
    echo "  cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo && cmake --build build -j2" >&2
    exit 1
fi

# Inclusive Ir of libc's write wrapper in a callgrind file (0 if never called).
write_ir() {
    callgrind_annotate --inclusive=yes --threshold=100 "$1" 2>/dev/null |
        awk '/:(write|__libc_write|__write)( |@|$)/ { gsub(",", "", $1); if ($1 + 0 > m) m = $1 + 0 }
             END { print m + 0 }'
}

# Total Ir collected in a callgrind file.
total_ir() {
    awk '/^(summary|totals):/ { print $2; exit }' "$1"
}

declare -A net_of
ret_ir=0

# measure LABEL PROGRAM CASE FUNCTION [VAR=VALUE...]
# Prints one row; sets net_of[LABEL].
measure() {
    local label=$1 prog=$2 case=$3 fn=$4
    shift 4
    local file="$out/$label.out" log="$out/$label.log"
    env "$@" valgrind --tool=callgrind --collect-atstart=no --toggle-collect="$fn" \
        --callgrind-out-file="$file" --log-file="$log" \
        "$bin/$prog" "$case" "$n" >/dev/null 2>"$out/$label.stderr" || {
        echo "callgrind.sh: $prog $case failed, see $out/$label.*" >&2
        cat "$out/$label.stderr" >&2
        exit 1
    }
    local total w
    total=$(total_ir "$file")
    w=$(write_ir "$file")
    # per call, one decimal: total, write wrapper, net (minus write and ret)
    read -r per wper net < <(awk -v t="$total" -v w="$w" -v n="$n" -v r="$ret_ir" \
        'BEGIN { printf "%.1f %.1f %.1f\n", t / n, w / n, (t - w) / n - r }')
    net_of[$label]=$net
    printf '%-26s %-28s %10s %8s %10s\n' "$label" "${*:-(defaults)}" "$per" "$wper" "$net"
    if [ "${CG_DETAIL:-0}" = 1 ] && [ "$prog" = cg_trace ]; then
        callgrind_annotate --threshold=99 "$file" 2>/dev/null |
            awk '/file:function/ { on = 1; next } on && NF == 0 { exit } on' | head -12 |
            sed 's/^/      self: /'
    fi
}

# verdict NAME VALUE LIMIT
verdict() {
    awk -v v="$2" -v l="$3" -v name="$1" \
        'BEGIN { printf "  %-44s %8.1f <= %8.1f  %s\n", name, v, l, (v <= l ? "ok" : "OVER") }'
}

echo "the lines measured:"
for fmt in plain json; do
    LOG_FORMAT=$fmt "$bin/cg_trace" show | sed -n "1s/^/  kv_$fmt:     /p; 2s/^/  printf_$fmt: /p"
done
"$bin/cg_trace" show | sed -n '3s/^/  ref_snprintf_plain_line: /p; 4s/^/  ref_snprintf_json_line:  /p'
echo
echo "callgrind: $n calls per case${CG_OUT:+; files in $out}"
echo "binaries: $bin"
printf '%-26s %-28s %10s %8s %10s\n' case environment "Ir/call" "write" "net"
printf '%-26s %-28s %10s %8s %10s\n' ---- ----------- ------- ----- ---

# The case function's own ret, measured (expected: 1).
measure empty cg_trace empty case_empty
ret_ir=${net_of[empty]}

measure filtered cg_trace filtered case_filtered LOG_LEVEL=INFO
measure filtered_modules cg_trace filtered case_filtered LOG_LEVEL=INFO,db=DEBUG
measure filtered_shared_lib cg_trace filtered_so case_filtered_so LOG_LEVEL=INFO,db=DEBUG
measure kv_plain cg_trace kv case_kv LOG_FORMAT=plain
measure kv_json cg_trace kv case_kv LOG_FORMAT=json
measure kv_logfmt cg_trace kv case_kv LOG_FORMAT=logfmt
measure kv_json_buffered cg_trace kv case_kv LOG_FORMAT=json LOG_BUFFER=64k
measure printf_plain cg_trace printf case_printf LOG_FORMAT=plain
measure printf_json cg_trace printf case_printf LOG_FORMAT=json
measure ref_vsnprintf cg_trace vsnprintf case_vsnprintf
measure ref_snprintf_plain_line cg_trace snprintf_plain case_snprintf_plain
measure ref_snprintf_json_line cg_trace snprintf_json case_snprintf_json

peers=""
if [ -x "$bin/cg_spdlog" ]; then
    measure spdlog_filtered cg_spdlog filtered case_filtered
    measure spdlog_info cg_spdlog info case_info
    measure spdlog_info_json cg_spdlog info_json case_info_json
    peers="$peers spdlog"
else
    echo "(spdlog not built: apt-get install libspdlog-dev, then rebuild)"
fi
if [ -x "$bin/cg_glog" ]; then
    measure glog_filtered cg_glog filtered case_filtered
    measure glog_info cg_glog info case_info
    peers="$peers glog"
else
    echo "(glog not built: apt-get install libgoogle-glog-dev, then rebuild)"
fi

echo
echo "Ir/call: instructions inside the case function per call; write: of which"
echo "libc's write wrapper; net: Ir/call - write - ${ret_ir} (the case function's ret)."
echo
echo "goals (issue 3, net instructions):"
verdict "filtered DEBUG, LOG_LEVEL=INFO" "${net_of[filtered]}" 4
verdict "filtered DEBUG, LOG_LEVEL=INFO,db=DEBUG" "${net_of[filtered_modules]}" 4
verdict "TRACE_INFO_KV plain (+ its one write)" "${net_of[kv_plain]}" 800
verdict "TRACE_INFO_KV json (+ its one write)" "${net_of[kv_json]}" 800
verdict "TRACE_INFO printf-style plain <= vsnprintf+300" "${net_of[printf_plain]}" \
    "$(awk -v v="${net_of[ref_vsnprintf]}" 'BEGIN { print v + 300 }')"
verdict "TRACE_INFO printf-style json <= vsnprintf+300" "${net_of[printf_json]}" \
    "$(awk -v v="${net_of[ref_vsnprintf]}" 'BEGIN { print v + 300 }')"
echo
echo "checks (from the programs' own report):"
for label in filtered filtered_modules filtered_shared_lib; do
    sed -n 's/^cg_trace: case [^,]*, \([0-9]*\) calls.*filtered arguments evaluated \([0-9]*\) times.*/  '"$label"': arguments of the \1 measured filtered calls evaluated \2 times (want 0)/p' \
        "$out/$label.stderr"
done
sed -n 's/^cg_trace: \(first filtered call.*\)/  \1/p' "$out/filtered.stderr"
echo
echo "static code of the filtered call (objdump):"
if command -v objdump >/dev/null; then
    objdump -d --no-show-raw-insn --disassemble=case_filtered "$bin/cg_trace" 2>/dev/null |
        awk '/<case_filtered>:/ { on = 1 } on && /ret/ { print; exit } on' | sed 's/^/  /'
fi
