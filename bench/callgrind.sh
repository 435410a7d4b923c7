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
    echo "  bench/run_all.sh builds it (or: cmake -S . -B B -DCMAKE_BUILD_TYPE=RelWithDebInfo" >&2
    echo "  && cmake --build B --target trace_bench, then bench/callgrind.sh B/bench)" >&2
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

# Calls of clock_gettime and their inclusive Ir in a callgrind file, summed
# over every call arc that ends in it ("0 0" when never called). Read from
# the file itself (callgrind_annotate shows no call counts): a `cfn=` line
# names the callee (names are compressed: "(id) name" once, "(id)" after),
# the `calls=COUNT ...` line follows, then the arc's position and inclusive Ir.
clock_calls_ir() {
    awk '/^c?fn=\(/ { id = $0; sub(/^c?fn=/, "", id); nm = id; sub(/\).*/, ")", id)
                      sub(/^\([0-9]+\) ?/, "", nm); if (nm != "") name[id] = nm
                      if ($0 ~ /^cfn=/) callee = name[id]; next }
         /^calls=/ { split($1, c, "="); hit = callee ~ /clock_gettime/
                     if (hit) calls += c[2]
                     if ((getline) > 0 && hit) ir += $NF; next }
         END { print calls + 0, ir + 0 }' "$1"
}

# cg_run LABEL PROGRAM CASE FUNCTION [VAR=VALUE...]: one callgrind run; its
# file is $out/LABEL.out.
cg_run() {
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
}

# measure LABEL PROGRAM CASE FUNCTION [VAR=VALUE...]
# Prints one row; sets net_of[LABEL].
measure() {
    local label=$1 prog=$2 case=$3 fn=$4
    shift 4
    local file="$out/$label.out"
    cg_run "$label" "$prog" "$case" "$fn" "$@"
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
            awk -v n="$n" '/file:function/ { on = 1; next } on && NF == 0 { on = 0 }
                on && /^ *[0-9]/ { v = $1; gsub(",", "", v); line = $0
                                   sub(/^ *[0-9,]+ *\([ 0-9.]*%\) */, "", line)
                                   if (++shown <= 12) printf "      self %7.1f/call  %s\n", v / n, line }'
            # (reads to the end: no head, whose SIGPIPE would stop the script under pipefail)
    fi
}

declare -A excl_of clk_of

# measure4 LABEL CASE [VAR=VALUE...]: a case of issue 4 (cg_trace, function
# case_CASE). Prints one row: Ir/call; of which the write wrapper; calls of
# clock_gettime per call and their Ir; net (minus write and ret); net
# without the clock reads. Sets net_of, excl_of, clk_of[LABEL].
measure4() {
    local label=$1 case=$2
    shift 2
    local file="$out/$label.out" total w calls cir
    cg_run "$label" cg_trace "$case" "case_$case" "$@"
    total=$(total_ir "$file")
    w=$(write_ir "$file")
    read -r calls cir < <(clock_calls_ir "$file")
    read -r per wper cper cirper net excl < <(awk -v t="$total" -v w="$w" -v n="$n" -v r="$ret_ir" \
        -v c="$calls" -v ci="$cir" 'BEGIN { printf "%.1f %.1f %.2f %.1f %.1f %.1f\n", t / n, w / n,
            c / n, ci / n, (t - w) / n - r, (t - w - ci) / n - r }')
    net_of[$label]=$net
    excl_of[$label]=$excl
    clk_of[$label]=$cper
    printf '%-24s %-34s %8s %6s %6s %6s %8s %9s\n' "$label" "${*:-(defaults)}" "$per" "$wper" \
        "$cper" "$cirper" "$net" "$excl"
    if [ "${CG_DETAIL:-0}" = 1 ]; then # the lines of trace.h that cost most
        callgrind_annotate --threshold=100 "$file" "$here/../include/trace.h" 2>/dev/null |
            awk -v n="$n" '/Auto-annotated source: .*trace\.h/ { on = 1; next }
                on && /^ *[0-9][0-9,]* / { v = $1; gsub(",", "", v); line = $0
                    sub(/^ *[0-9,]+ *(\([ 0-9.]*%\))? */, "", line)
                    if (v / n >= 2) printf "      %6.1f/call  %s\n", v / n, substr(line, 1, 90) }' |
            sort -rn | awk 'NR <= 15' # (not head: pipefail and SIGPIPE)
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
# Issue 4's sampling: DEBUG outside a sampled trace, with no trace current and
# inside a trace that TRACE_SAMPLE=0.1 leaves out (its low 56 bits are 0.28
# of the range, flag 00), must cost what a filtered call costs, +2 at most.
measure filtered_sample_none cg_trace filtered case_filtered LOG_LEVEL=INFO TRACE_SAMPLE=0.1
measure filtered_sample_out cg_trace filtered case_filtered LOG_LEVEL=INFO TRACE_SAMPLE=0.1 \
    TRACEPARENT=00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00
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
verdict "DEBUG, TRACE_SAMPLE=0.1, no trace (issue 4)" "${net_of[filtered_sample_none]}" \
    "$(awk -v v="${net_of[filtered]}" 'BEGIN { print v + 2 }')"
verdict "DEBUG, TRACE_SAMPLE=0.1, unsampled trace" "${net_of[filtered_sample_out]}" \
    "$(awk -v v="${net_of[filtered]}" 'BEGIN { print v + 2 }')"
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

# --- issue 4: scopes and IDs --------------------------------------------------
# Each case is called once before the loop (the call site resolves, summary
# mode makes the label's statistics, the ID generator seeds itself), then
# callgrind's counters are zeroed (CALLGRIND_ZERO_STATS): only the N calls of
# the steady state count. Scope cases run inside an enclosing scope, so that
# their timing record has a "parent", and the KV record (timing_kv: the same
# fields, label ms parent start_us pid tid, and the enclosing "span") too.
# clock_gettime is a system call under valgrind: its user instructions, per
# call arc read from the callgrind file (calls and inclusive Ir), are taken
# out in the last column.
echo
echo "== issue 4: scopes and IDs (callgrind, $n calls per case after one warm-up call)"
echo "the timing record and the KV record measured against it (json):"
LOG_FORMAT=json "$bin/cg_trace" show | sed -n '5s/^/  scope (records): /p; 7s/^/  timing_kv:       /p'
printf '%-24s %-34s %8s %6s %6s %6s %8s %9s\n' case environment "Ir/call" write clock "clk Ir" net \
    "net-clock"
printf '%-24s %-34s %8s %6s %6s %6s %8s %9s\n' ---- ----------- ------- ----- "calls" ------ --- \
    ---------
measure4 scope_filtered scope_filtered LOG_LEVEL=INFO
measure4 scope_filtered_modules scope_filtered LOG_LEVEL=INFO,db=DEBUG
measure4 scope_off scope TRACE_TIMING=off
measure4 body body LOG_LEVEL=INFO
measure4 scope_filtered_body scope_filtered_body LOG_LEVEL=INFO
measure4 scope_summary scope TRACE_TIMING=summary
measure4 scope_records_json scope LOG_FORMAT=json
measure4 timing_kv_json timing_kv LOG_FORMAT=json
measure4 scope_records_plain scope LOG_FORMAT=plain
measure4 timing_kv_plain timing_kv LOG_FORMAT=plain
measure4 scope_records_buffered scope LOG_FORMAT=json LOG_BUFFER=64k
measure4 timing_kv_buffered timing_kv LOG_FORMAT=json LOG_BUFFER=64k
measure4 span_id span_id
measure4 ctx_new ctx_new
echo
echo "clock calls: clock_gettime calls per scope; clk Ir: their user instructions"
echo "(a system call under valgrind); net: Ir/call - write - ${ret_ir} (ret);"
echo "net-clock: net without the clock_gettime calls."
echo
echo "goals (issue 4):"
verdict "filtered scope (DEBUG, LOG_LEVEL=INFO)" "${net_of[scope_filtered]}" 5
verdict "  ... clock_gettime calls" "${clk_of[scope_filtered]}" 0
verdict "filtered scope, LOG_LEVEL=INFO,db=DEBUG" "${net_of[scope_filtered_modules]}" 5
verdict "  ... clock_gettime calls" "${clk_of[scope_filtered_modules]}" 0
verdict "filtered scope added to a function (body)" \
    "$(awk -v a="${net_of[scope_filtered_body]}" -v b="${net_of[body]}" 'BEGIN { print a - b }')" 5
verdict "scope, TRACE_TIMING=off" "${net_of[scope_off]}" 5
verdict "  ... clock_gettime calls" "${clk_of[scope_off]}" 0
verdict "scope, summary: instructions without clocks" "${excl_of[scope_summary]}" 60
awk -v c="${clk_of[scope_summary]}" 'BEGIN { printf "  %-44s %8.2f == %8.2f  %s\n",
    "  ... clock_gettime calls", c, 2, (c == 2 ? "ok" : "DIFFERS") }'
for fmt in json plain buffered; do
    verdict "scope records $fmt <= KV + 150 (no clocks)" "${excl_of[scope_records_$fmt]}" \
        "$(awk -v v="${excl_of[timing_kv_$fmt]}" 'BEGIN { print v + 150 }')"
    awk -v s="${clk_of[scope_records_$fmt]}" -v k="${clk_of[timing_kv_$fmt]}" \
        'BEGIN { printf "  %-44s %8.2f vs KV %5.2f  (%s)\n", "  ... clock_gettime calls", s, k,
                 (s - k == 2 ? "two more: ok" : sprintf("%.0f more", s - k)) }'
done
echo "  trace_new_span_id(): ${net_of[span_id]} instructions, ${clk_of[span_id]} clock calls;" \
     "trace_ctx_new(): ${net_of[ctx_new]} (time them: scope_bench ids)"
