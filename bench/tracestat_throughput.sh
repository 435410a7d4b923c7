#!/bin/sh
# tracestat_throughput.sh - `tracestat summary` on ~1 GB of trace.h JSON lines,
# side by side with jq, the peer to beat: throughput (MB/s) and peak memory.
#
#   sh bench/tracestat_throughput.sh TRACESTAT [GEN_LOGS] [SIZE_MB] [WORKDIR]
#
# TRACESTAT  the built tool (build/tools/tracestat/tracestat)
# GEN_LOGS   the log generator (build/tests/tracestat/tracestat_gen_logs); built
#            here from tests/tracestat/gen_logs.c with cc when not given
# SIZE_MB    size of the generated file (default 1024)
# WORKDIR    where the file goes (default ${TMPDIR:-/tmp}/tracestat-bench); removed after
#
# Each program runs on one core (taskset when available). Peak memory is the
# maximum resident set size from /usr/bin/time -v. Memory per timing record is
# (peak RSS on the big file - peak RSS on 16 MB of non-timing lines, which
# fills the reader's fixed buffers) / timing records:
# the goal is at most 16 bytes per record plus that constant, and at least
# 150 MB/s. The file holds requests with nested scopes, trace/span IDs, cpu_ms,
# DEBUG/WARNING/ERROR records (about 70% of the lines are timing records).
set -eu
T=${1:?usage: tracestat_throughput.sh TRACESTAT [GEN_LOGS] [SIZE_MB] [WORKDIR]}
G=${2:-}
SIZE_MB=${3:-1024}
W=${4:-${TMPDIR:-/tmp}/tracestat-bench}
here=$(cd "$(dirname "$0")" && pwd)

mkdir -p "$W"
trap 'rm -rf "$W"' EXIT INT TERM
if [ -z "$G" ]; then
    G="$W/gen_logs"
    ${CC:-cc} -O2 -std=c11 -o "$G" "$here/../tests/tracestat/gen_logs.c" -lm
fi
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (GNU time, package 'time')" >&2; exit 2; }
pin=""
command -v taskset >/dev/null 2>&1 && pin="taskset -c 0"

big="$W/big.jsonl"
echo "generating ${SIZE_MB} MB of trace.h JSON lines..."
"$G" --seed 1 --cpu --bytes $((SIZE_MB * 1024 * 1024)) >"$big"
bytes=$(wc -c <"$big")
records=$(wc -l <"$big")
# the constant: a file that fills the reader's buffers but has no timing record
grep -v '"msg":"timing"' "$big" | head -c 16000000 >"$W/const.jsonl" || true

# measure NAME CMD...: prints "wall_seconds max_rss_kb"
measure() {
    /usr/bin/time -v -o "$W/time.txt" "$@" >/dev/null 2>"$W/stderr.txt" || { cat "$W/stderr.txt" >&2; exit 1; }
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, a, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + a[i]; print s }' "$W/time.txt")
    rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$W/time.txt")
    echo "$wall $rss"
}

# warm the page cache so that both programs read from memory
cat "$big" >/dev/null

timing=$("$T" summary --format json "$big" 2>/dev/null | sed -n 's/.*"timing_records":\([0-9]*\).*/\1/p')
set -- $(measure $pin "$T" summary "$W/const.jsonl"); base_rss=$2
set -- $(measure $pin "$T" summary "$big"); ts_wall=$1; ts_rss=$2
set -- $(measure $pin jq -c 'select(.msg=="timing")' "$big"); jq_wall=$1; jq_rss=$2

awk -v b="$bytes" -v n="$records" -v t="$timing" -v tw="$ts_wall" -v tr="$ts_rss" -v br="$base_rss" \
    -v jw="$jq_wall" -v jr="$jq_rss" -v cmd="$T summary $big" 'BEGIN {
    mb = b / 1e6
    printf "\nfile: %.0f MB, %d lines, %d timing records\n", mb, n, t
    printf "%-40s %10s %10s %14s %16s\n", "program", "seconds", "MB/s", "peak RSS (MB)", "bytes/record"
    printf "%-40s %10.2f %10.1f %14.1f %16.2f\n", "tracestat summary", tw, mb / tw, tr / 1024, (tr - br) * 1024 / t
    printf "%-40s %10.2f %10.1f %14.1f %16s\n", "jq -c '\''select(.msg==\"timing\")'\''", jw, mb / jw, jr / 1024, "-"
    printf "\nconstant (peak RSS on 16 MB of lines without a timing record): %.1f MB\n", br / 1024
    printf "goal: >= 150 MB/s and <= 16 bytes per timing record plus the constant\n"
    printf "command: %s\n", cmd
}'
