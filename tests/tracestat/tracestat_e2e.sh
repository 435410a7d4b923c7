#!/bin/sh
# tracestat_e2e.sh - end-to-end tests: the built tracestat on real files.
#
#   sh tracestat_e2e.sh SECTION TRACESTAT GEN_LOGS WORKDIR
#
# SECTION: malformed | exit_codes | formats | report | chrome | run | scenario | summary_mode | demo
# (demo takes the path of examples/requests as a fifth argument)
# GEN_LOGS is tests/tracestat/gen_logs.c built (synthetic trace.h logs, fixed seeds).
# jq parses every JSON output; exit 77 (skipped) when jq is missing.
set -u
section=$1
T=$2
G=$3
W=$4

command -v jq >/dev/null 2>&1 || { echo "jq is not installed: skipped"; exit 77; }
rm -rf "$W" && mkdir -p "$W" && cd "$W" || exit 1

fail() {
    echo "FAIL [$section]: $*" >&2
    exit 1
}

# expect_rc WANT CMD...: runs CMD with stdout to out.txt, stderr to err.txt.
expect_rc() {
    want=$1
    shift
    "$@" >out.txt 2>err.txt
    rc=$?
    if [ "$rc" -ne "$want" ]; then
        echo "--- stdout" >&2; cat out.txt >&2
        echo "--- stderr" >&2; cat err.txt >&2
        fail "'$*' exited $rc, expected $want"
    fi
}

contains() { grep -F -q -- "$2" "$1" || { echo "--- $1" >&2; cat "$1" >&2; fail "$1 lacks: $2"; }; }
lacks() { if grep -F -q -- "$2" "$1"; then cat "$1" >&2; fail "$1 has: $2"; fi; }

# runs DIR N GEN-ARGS...: N runs with seeds 1..N (+ offset in SEED0)
runs() {
    d=$1
    n=$2
    shift 2
    mkdir -p "$d"
    i=1
    while [ "$i" -le "$n" ]; do
        "$G" --seed $((${SEED0:-0} + i)) "$@" >"$d/run-$(printf %02d "$i").jsonl" || fail "gen_logs"
        i=$((i + 1))
    done
}

# A Markdown table is well formed when every row has as many unescaped '|' as its header.
md_tables_ok() {
    sed 's/\\|//g' "$1" | awk '
        /^\|/ { n = gsub(/\|/, "|"); if (!intable) { cols = n; intable = 1 } else if (n != cols) { print "bad row: " $0; bad = 1 } next }
        { intable = 0 }
        END { exit bad }' || fail "$1: Markdown table rows with the wrong number of cells"
}

case "$section" in

malformed)
    # every kind of bad line, between good ones; line numbers are checked
    # record_of LEN LABEL: a valid timing record of LEN bytes (without newline)
    record_of() {
        prefix="{\"lvl\":\"INFO\",\"msg\":\"timing\",\"label\":\"$2\",\"ms\":1,\"p\":\""
        printf '%s' "$prefix"
        head -c $(($1 - ${#prefix} - 2)) /dev/zero | tr '\0' 'x'
        printf '"}\n'
    }
    {
        echo '{"ts":"2026-11-24T01:02:03.123456Z","lvl":"INFO","msg":"timing","label":"good","ms":1.5}'   # 1
        echo '{"lvl":"INFO","msg":"timing","label":"good","ms":2.5'                                      # 2 unterminated object
        echo '{"lvl":"INFO","msg":"timing","ms":3}'                                                      # 3 missing label
        echo '{"lvl":"INFO","msg":"timing","label":"good","ms":"4"}'                                     # 4 wrong type
        printf '\001\002\377\376 binary garbage\n'                                                       # 5 garbage
        echo '{"lvl":"INFO","msg":"timing","label":"good","ms":2.5}'                                     # 6 good
        record_of 1048576 big                                                                            # 7: exactly 1 MiB: rejected
        record_of 1048575 almost                                                                         # 8: one byte less: accepted
        printf '{"lvl":"INFO","msg":"a\000b"}\n'                                                         # 9 NUL byte
        echo '{"lvl":"INFO","msg":"x","v":NaN}'                                                          # 10 NaN literal
        echo ''                                                                                          # 11 blank: ignored
        echo '{"lvl":"INFO","msg":"timing","label":"good","ms":3.5}'                                     # 12 good
        printf '{"lvl":"INFO","msg":"timing","label":"cut'                                               # 13 cut, no newline
    } >bad.jsonl
    len7=$(sed -n 7p bad.jsonl | wc -c)
    len8=$(sed -n 8p bad.jsonl | wc -c)
    [ "$len7" -eq 1048577 ] || fail "test data: line 7 is $len7 bytes with its newline"
    [ "$len8" -eq 1048576 ] || fail "test data: line 8 is $len8 bytes with its newline"
    expect_rc 0 "$T" summary bad.jsonl
    contains err.txt "bad.jsonl: 8 malformed lines skipped, the first ones:"
    contains err.txt "  bad.jsonl:2: column 53: unexpected end of line"
    contains err.txt "  bad.jsonl:3: column 1: timing record without \"label\""
    contains err.txt "  bad.jsonl:4: column 1: \"ms\" is not a number"
    contains err.txt "  bad.jsonl:5: column 1: not a JSON object"
    contains err.txt "  bad.jsonl:7: line of 1 MiB or longer"
    lacks err.txt "bad.jsonl:9"
    contains out.txt "good       1          3  2.500 ms"
    contains out.txt "almost     1          1  1.000 ms"
    lacks out.txt "big "
    # the same through stdin, as JSON
    "$T" summary --format json - <bad.jsonl >sum.json 2>err.txt || fail "summary -"
    jq -e '.sets[0].malformed.count == 8 and ([.sets[0].malformed.first[].line] == [2,3,4,5,7])
           and (.sets[0].malformed.first[0].file == "<stdin>")
           and ([.sets[0].labels[] | {(.label): .calls_per_run}] | add) == {"good": 3, "almost": 1}
           and (.sets[0].labels[] | select(.label == "good") | .median_ms == 2.5)' sum.json >/dev/null ||
        fail "summary json of bad.jsonl: $(cat sum.json)"
    # only garbage: no crash, no hang, nothing to summarise
    head -c 300000 /dev/urandom >random.jsonl
    expect_rc 0 "$T" summary random.jsonl
    contains err.txt "malformed line"
    # a 3 MiB line without any newline
    head -c 3145728 /dev/zero | tr '\0' '{' >huge.jsonl
    expect_rc 0 "$T" summary huge.jsonl
    contains err.txt "huge.jsonl: 1 malformed line skipped:"
    # an empty file and an empty directory of runs
    : >empty.jsonl
    expect_rc 0 "$T" summary empty.jsonl
    mkdir emptydir
    expect_rc 2 "$T" summary emptydir
    contains err.txt "no *.jsonl files"
    ;;

exit_codes)
    SEED0=0 runs base 8
    SEED0=100 runs same 8
    SEED0=200 runs slow 8 --slow db.query=1.3
    SEED0=300 runs few 3
    # 0: same distribution
    expect_rc 0 "$T" compare base same
    contains out.txt "PASS: 0 slower"
    # 1: a regression, named
    expect_rc 1 "$T" compare base slow --fail 'median:5%'
    grep -E -q '^db\.query .* regressed' out.txt || fail "db.query not regressed: $(cat out.txt)"
    contains out.txt "FAIL: "
    # the baseline file gives the same answer as the directory
    expect_rc 0 "$T" save -o base.json base
    expect_rc 1 "$T" compare base.json slow
    expect_rc 0 "$T" compare base.json same
    # ignore rule and a threshold above the effect: pass
    expect_rc 0 "$T" compare base.json slow --fail 'db.*=ignore' --fail 'handle_request=median:50%'
    # --gate=point: pytest-benchmark's plain rule on the same data
    expect_rc 1 "$T" compare base.json slow --gate=point --fail 'mean:5%'
    expect_rc 0 "$T" compare base.json same --gate=point --fail 'mean:25%'
    # 2: usage errors and unreadable input
    expect_rc 2 "$T"
    expect_rc 2 "$T" frobnicate
    expect_rc 2 "$T" compare base.json
    expect_rc 2 "$T" compare base.json same --bogus
    expect_rc 2 "$T" compare base.json same --format xml
    expect_rc 2 "$T" compare base.json same --alpha 2
    expect_rc 2 "$T" compare base.json same --fail 'median:5x%'
    contains err.txt "column"
    expect_rc 2 "$T" compare base.json does-not-exist
    expect_rc 2 "$T" summary does-not-exist
    expect_rc 2 "$T" save base
    printf '{"format":"tracestat-baseline","version":1,"labels":[' >broken.json
    expect_rc 2 "$T" compare broken.json same
    contains err.txt "broken.json: byte"
    # 3: no comparison possible
    expect_rc 3 "$T" compare missing-baseline.json same
    mkdir nolabels && echo '{"lvl":"INFO","msg":"hello"}' >nolabels/run-01.jsonl
    expect_rc 0 "$T" save -o empty.json nolabels
    expect_rc 3 "$T" compare empty.json same
    contains err.txt "no timing record"
    mkdir other && echo '{"lvl":"INFO","msg":"timing","label":"elsewhere","ms":1}' >other/run-01.jsonl
    expect_rc 3 "$T" compare base.json other
    contains out.txt "NO COMPARISON"
    contains err.txt "no label in common"
    expect_rc 3 "$T" compare few base
    contains out.txt "insufficient"
    # help and version
    expect_rc 0 "$T" --help
    contains out.txt "Hyndman-Fan type 7"
    contains out.txt "R (quantile type=7) and NumPy"
    expect_rc 0 "$T" --version
    contains out.txt "tracestat "
    ;;

formats)
    SEED0=0 runs base 6 --cpu
    SEED0=50 runs slow 6 --cpu --slow render=1.4
    expect_rc 1 "$T" compare base slow --format json
    jq -e '.format == "tracestat-compare" and .result == "fail" and .exit_code == 1
           and (.labels | length) == 5 and .labels[0].label == "render" and .labels[0].verdict == "regressed"
           and .labels[0].gated and (.labels[0].base.values | length) == 6 and (.labels[0].current.values | length) == 6
           and (.labels[0].ratio > 1.3) and (.labels[0].ratio_ci.lo > 1) and (.labels[0].mann_whitney.p < 0.05)
           and (.labels[0].p_holm >= .labels[0].mann_whitney.p)
           and all(.labels[]; (.ratio | type) == "number" and (.mann_whitney.p | type) == "number"
                              and (.verdict | IN("regressed","improved","unchanged","inconclusive","insufficient")))
           and .counts.regressed >= 1 and .baseline.runs == 6 and .current.runs == 6' out.txt >/dev/null ||
        fail "compare json: $(cat out.txt)"
    expect_rc 1 "$T" compare base slow --format md
    cp out.txt cmp.md
    contains cmp.md "#### Regressions"
    contains cmp.md "<details><summary>All other labels"
    contains cmp.md '`auth\|check`'
    md_tables_ok cmp.md
    # regressions come before <details>
    r=$(grep -n '^| `render`' cmp.md | cut -d: -f1)
    d=$(grep -n '<details>' cmp.md | cut -d: -f1)
    [ -n "$r" ] && [ -n "$d" ] && [ "$r" -lt "$d" ] || fail "render row ($r) not before <details> ($d)"
    # summary in all three formats
    expect_rc 0 "$T" summary base --format json
    jq -e '.sets[0].runs == 6 and (.sets[0].labels | length) == 5
           and (.sets[0].labels[] | select(.label == "db.query") | .calls_per_run == 600 and (.per_run.median_ms | length) == 6
                and .cpu_ratio > 0.05 and .cpu_ratio < 0.15)
           and (.sets[0].labels[] | select(.label == "handle_request") | .self_ms > 0 and .self_ms < .total_ms)
           and .sets[0].levels.ERROR == 24 and .sets[0].errors == 24 and (.sets[0].slowest | length) == 5
           and all(.sets[0].slowest[]; .trace | test("^[0-9a-f]{32}$"))' out.txt >/dev/null || fail "summary json: $(cat out.txt)"
    expect_rc 0 "$T" summary base slow --format md
    cp out.txt sum.md
    md_tables_ok sum.md
    contains sum.md "### base (6 runs, 5 labels)"
    contains sum.md "### slow (6 runs, 5 labels)"
    expect_rc 0 "$T" summary base
    contains out.txt "label           runs  calls/run    median"
    contains out.txt "cpu/wall"
    contains out.txt "self"
    contains out.txt "ERROR 24"
    # baseline file: JSON with the per-run vectors
    expect_rc 0 "$T" save -o base.json base
    jq -e '.format == "tracestat-baseline" and .version == 1 and (.created | test("Z$")) and (.runs | length) == 6
           and (.labels[] | select(.label == "parse") | (.median | length) == 6 and (.run == [0,1,2,3,4,5]))' base.json >/dev/null ||
        fail "baseline json"
    ;;

report)
    SEED0=0 runs base 5
    SEED0=70 runs slow 5 --slow db.query=1.5
    expect_rc 0 "$T" report base slow
    cp out.txt report.md
    for h in "# Performance report" "## Summary" "## Method" "## Evidence" "### Top labels by self time" "### Timing table" \
             "### Slowest requests" "### Requests that logged errors" "## Next steps" "- **Baseline vs change:**" "Hyndman-Fan type 7"; do
        contains report.md "$h"
    done
    grep -q '`db.query` regressed: +' report.md || fail "report does not name the regression"
    grep -E -q '^\| `[0-9a-f]{32}` \| `handle_request` \|' report.md || fail "no slowest trace IDs"
    grep -E -q '^\| `[0-9a-f]{32}` \| db timeout \|' report.md || fail "no error trace IDs"
    md_tables_ok report.md
    expect_rc 0 "$T" report base
    contains out.txt "## Evidence"
    contains out.txt "no baseline"
    ;;

chrome)
    "$G" --seed 9 --requests 40 --cpu >one.jsonl || fail "gen"
    echo 'not json' >>one.jsonl
    expect_rc 0 "$T" chrome one.jsonl
    cp out.txt trace.json
    contains err.txt "1 malformed line"
    ntiming=$(grep -c '"msg":"timing"' one.jsonl)
    jq -e --argjson n "$ntiming" '
        [.traceEvents[] | select(.ph == "X")] as $x
        | ($x | length) == $n
        and all(.traceEvents[]; .ph == "X" or .ph == "M")
        and all($x[]; (.ts | type) == "number" and .ts >= 0 and (.dur | type) == "number" and .dur >= 0
                      and (.pid | type) == "number" and (.tid | type) == "number" and .name == .args.label
                      and (.args.trace | test("^[0-9a-f]{32}$")) and (.args.span | test("^[0-9a-f]{16}$"))
                      and (.tdur | type) == "number" and .tdur <= .dur + 1)
        and ([.traceEvents[] | select(.ph == "M" and .name == "thread_name") | .args.name] | sort) == ["worker-1", "worker-2"]
        and ([.traceEvents[] | select(.ph == "M" and .name == "process_name")] | length) == 1
        and (($x | map({key: .args.span, value: .}) | from_entries) as $by
             | all($x[]; .args.parent == null
                   or ($by[.args.parent] as $p | $p.tid == .tid and $p.ts <= .ts and .ts + .dur <= $p.ts + $p.dur)))' \
        trace.json >/dev/null || fail "chrome events: $(head -c 2000 trace.json)"
    # a directory of runs: one process per file
    SEED0=0 runs dir 2
    expect_rc 0 "$T" chrome dir -o both.json
    jq -e '[.traceEvents[] | select(.name == "process_name")] | length == 2' both.json >/dev/null || fail "two processes"
    expect_rc 2 "$T" chrome nothing-here.jsonl
    ;;

run)
    # LOG_FORMAT=json reaches the child; stderr passes through; progress on stderr
    expect_rc 0 "$T" run -n 3 --warmup 1 -o r1 -- sh -c 'echo "{\"lvl\":\"INFO\",\"msg\":\"env\",\"v\":\"$LOG_FORMAT\"}"; echo to-stderr >&2'
    [ -f r1/run-01.jsonl ] && [ -f r1/run-02.jsonl ] && [ -f r1/run-03.jsonl ] && [ ! -f r1/run-04.jsonl ] || fail "run files: $(ls r1)"
    contains r1/run-01.jsonl '"v":"json"'
    [ "$(grep -c "^to-stderr$" err.txt)" -eq 4 ] || fail "child stderr not passed through 4 times: $(cat err.txt)"
    contains err.txt "run 3/3"
    contains err.txt "warm-up 1/1"
    jq -e '.format == "tracestat-fingerprint" and .cores >= 1 and (.cpu | length) > 0 and (.kernel | length) > 0
           and (.os | length) > 0 and (.command | startswith("sh -c")) and .runs_total == 3 and .warmup == 1
           and .runs_failed == 0 and ([.runs[].exit] == [0,0,0]) and .env.LOG_FORMAT == "json"' r1/fingerprint.json >/dev/null ||
        fail "fingerprint: $(cat r1/fingerprint.json)"
    # a failing run is reported, kept aside, and the exit status says so
    expect_rc 1 "$T" run -n 2 -o r2 -- sh -c 'echo "{\"lvl\":\"INFO\",\"msg\":\"x\"}"; exit 3'
    contains err.txt "run 1 exited with status 3"
    [ -f r2/run-01.jsonl.failed ] || fail "failed run not kept as .failed"
    jq -e '.runs_failed == 2 and ([.runs[].exit] == [3,3])' r2/fingerprint.json >/dev/null || fail "failed runs not recorded"
    # a command that does not exist, and usage errors
    expect_rc 2 "$T" run -n 2 -o r3 -- ./no-such-program
    contains err.txt "cannot run './no-such-program'"
    expect_rc 2 "$T" run -o r3 -- true
    expect_rc 2 "$T" run -n 2 -- true
    expect_rc 2 "$T" run -n 2 -o r3
    expect_rc 2 "$T" run -n 0 -o r3 -- true
    # a second run into the same directory replaces the old runs
    expect_rc 0 "$T" run -n 1 -o r1 -- "$G" --seed 1 --requests 5
    [ ! -f r1/run-02.jsonl ] || fail "old runs left behind"
    expect_rc 0 "$T" summary r1
    contains out.txt "handle_request"
    ;;

scenario)
    # the workflow of the issue: run twice (once with an injected slowdown), save, compare
    expect_rc 0 "$T" run -n 8 -o base -- "$G" --requests 100
    expect_rc 0 "$T" run -n 8 -o new -- "$G" --requests 100 --slow render=1.25
    expect_rc 0 "$T" save -o baseline.json base
    expect_rc 1 "$T" compare baseline.json new --fail 'median:5%'
    grep -E -q '^render .* regressed' out.txt || fail "render not named as regressed: $(cat out.txt)"
    expect_rc 1 "$T" compare baseline.json new --format md
    contains out.txt '| `render` |'
    expect_rc 0 "$T" report baseline.json new -o report.md
    contains report.md '`render` regressed'
    ;;

demo)
    # the project's demo (examples/requests, path in $5) as a scenario, run twice,
    # once with an injected slowdown of its db_query stage
    D=${5:?demo path}
    expect_rc 0 "$T" run -n 10 -o base -- "$D"
    expect_rc 0 "$T" run -n 10 -o new -- env REQUESTS_SLOWDOWN=2 "$D"
    expect_rc 0 "$T" save -o baseline.json base
    expect_rc 1 "$T" compare baseline.json new --fail 'median:5%'
    grep -E -q '^db_query .* regressed' out.txt || fail "db_query not named as regressed: $(cat out.txt)"
    expect_rc 0 "$T" chrome new/run-01.jsonl -o trace.json
    jq -e '[.traceEvents[] | select(.ph == "X")] | length > 0' trace.json >/dev/null || fail "demo chrome"
    ;;

summary_mode)
    SEED0=0 runs sbase 5 --summary
    SEED0=40 runs sslow 5 --summary --slow parse=1.5
    expect_rc 0 "$T" summary sbase --format json
    jq -e '.sets[0].summary_records == 25 and .sets[0].timing_records == 0
           and (.sets[0].labels[] | select(.label == "db.query") | .calls_per_run == 600 and .per_run.from_summary == [true,true,true,true,true]
                and (.p95_ms == null))' out.txt >/dev/null || fail "summary-mode json: $(cat out.txt)"
    expect_rc 1 "$T" compare sbase sslow
    grep -E -q '^parse .* regressed' out.txt || fail "parse not regressed in summary mode: $(cat out.txt)"
    ;;

*)
    fail "unknown section"
    ;;
esac
echo "ok [$section]"
exit 0
