#!/usr/bin/env bash
# End-to-end test of trace's installed package, run by ctest (see
# CMakeLists.include next to this file):
#   1. `cmake --install` the main build into a fresh prefix;
#   2. check the installed files and the pkg-config file (a compile with
#      `pkg-config --cflags trace` only);
#   3. configure and build tests/consumer with find_package(trace) through
#      CMAKE_PREFIX_PATH, run it, check its plain and JSON records;
#   4. check that the version file refuses trace 1.0;
#   5. drive trace_add_scenario's targets: -bench, -bench-save,
#      -bench-compare passing, failing on a 2x slowdown, and passing when the
#      slowed label is ignored.
#
# usage: run.sh --cmake CMAKE --build-dir MAIN_BUILD --work-dir DIR --version X.Y.Z
#               [--c-compiler CC] [--generator GEN] [--config CFG]
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cmake=cmake build_dir='' work='' version='' cc='' generator='' config=''
while [ $# -gt 0 ]; do
    case $1 in
        --cmake) cmake=$2 ;;
        --build-dir) build_dir=$2 ;;
        --work-dir) work=$2 ;;
        --version) version=$2 ;;
        --c-compiler) cc=$2 ;;
        --generator) generator=$2 ;;
        --config) config=$2 ;;
        *) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
    shift 2
done
if [ -z "$build_dir" ] || [ -z "$work" ] || [ -z "$version" ]; then
    echo "usage: run.sh --cmake CMAKE --build-dir DIR --work-dir DIR --version X.Y.Z [--c-compiler CC] [--generator GEN] [--config CFG]" >&2
    exit 2
fi

step() { printf '\n=== consumer test: %s\n' "$*"; }
fail() { printf 'FAIL (consumer test): %s\n' "$*" >&2; exit 1; }
# Runs "$@", showing it; its output goes to $work/last.log and to our stdout.
run() {
    printf '+ %s\n' "$*"
    "$@" >"$work/last.log" 2>&1
    local rc=$?
    cat "$work/last.log"
    return $rc
}

rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd)
prefix=$work/prefix
src=$work/src
bld=$work/build

step "install the main build into $prefix"
config_args=()
[ -n "$config" ] && config_args=(--config "$config")
run "$cmake" --install "$build_dir" --prefix "$prefix" "${config_args[@]}" \
    || fail "cmake --install failed"
for f in include/trace.h \
         share/cmake/trace/traceConfig.cmake \
         share/cmake/trace/traceConfigVersion.cmake \
         share/cmake/trace/traceTargets.cmake \
         share/cmake/trace/TraceScenario.cmake \
         share/pkgconfig/trace.pc \
         share/doc/trace/LICENSE \
         bin/tracestat; do
    [ -f "$prefix/$f" ] || fail "not installed: $f"
done
[ -x "$prefix/bin/tracestat" ] || fail "bin/tracestat is not executable"
# The installed files must be relocatable: no absolute path of the source
# tree, the build tree or the prefix in them.
for dir in "$(cd "$here/../.." && pwd)" "$(cd "$build_dir" && pwd)" "$prefix"; do
    if bad=$(grep -rlF -e "$dir" "$prefix/share" "$prefix/include"); then
        fail "installed files mention $dir: $bad"
    fi
done

step "pkg-config"
export PKG_CONFIG_PATH=$prefix/share/pkgconfig
export PKG_CONFIG_LIBDIR=$prefix/share/pkgconfig   # only ours, not the system's
got=$(pkg-config --modversion trace) || fail "pkg-config does not find trace"
[ "$got" = "$version" ] || fail "pkg-config --modversion trace: '$got', expected '$version'"
cflags=$(pkg-config --cflags trace) || fail "pkg-config --cflags trace failed"
echo "pkg-config --cflags trace: $cflags"
case $cflags in
    -I*) ;;
    *) fail "pkg-config --cflags trace gives no -I: '$cflags'" ;;
esac
incdir=${cflags#-I}
incdir=${incdir%% *}
[ -f "$incdir/trace.h" ] || fail "pkg-config's include dir '$incdir' has no trace.h"
libs=$(pkg-config --libs trace) || fail "pkg-config --libs trace failed"
# header-only: no library of its own, only the threads it uses
[ "$(echo $libs)" = "-pthread" ] || fail "pkg-config --libs trace gives '$libs', not -pthread"
# Compile and link with nothing but what pkg-config says (and strict C11).
# shellcheck disable=SC2086
run "${cc:-cc}" -std=c11 -Wall -Wextra -Wpedantic -Werror $cflags \
    "$here/main.c" -o "$work/pkgconfig-main" $libs \
    || fail "building with \`pkg-config --cflags --libs trace\` failed"
unset PKG_CONFIG_PATH PKG_CONFIG_LIBDIR

step "configure and build the consumer project against $prefix"
cp -R "$here" "$src"            # a copy: the default baseline lands in $src/bench
rm -f "$src/run.sh" "$src/CMakeLists.include"
gen_args=()
[ -n "$generator" ] && gen_args=(-G "$generator")
cc_args=()
[ -n "$cc" ] && cc_args=("-DCMAKE_C_COMPILER=$cc")
run "$cmake" -S "$src" -B "$bld" "${gen_args[@]}" "${cc_args[@]}" \
    "-DCMAKE_PREFIX_PATH=$prefix" \
    || fail "configuring the consumer failed"
grep -qF "consumer: trace $version from $prefix/share/cmake/trace" "$work/last.log" \
    || fail "find_package(trace) did not find version $version in $prefix"
run "$cmake" --build "$bld" --target consumer "${config_args[@]}" \
    || fail "building the consumer failed"
exe=$bld/consumer
[ -n "$config" ] && [ -x "$bld/$config/consumer" ] && exe=$bld/$config/consumer

step "run the consumer"
# plain: the message and the key=value fields (the exact layout is checked by
# the format tests; here: the installed header works).
out=$(env -u LOG_FORMAT -u LOG_LEVEL NO_COLOR=1 "$exe") || fail "consumer exited with $?"
printf '%s\n' "$out"
grep -q 'INFO.*consumer ok.*answer=42' <<<"$out" || fail "plain output lacks the 'consumer ok' record"
grep -q 'consumer formatted 7 yes' <<<"$out" || fail "plain output lacks the printf-style record"
# json: parsed by jq (or python3), field by field.
out=$(env -u LOG_LEVEL LOG_FORMAT=json "$exe") || fail "consumer exited with $?"
printf '%s\n' "$out"
[ "$(wc -l <<<"$out")" -eq 4 ] || fail "expected 4 JSON records"
first=$(head -n 1 <<<"$out")
if command -v jq >/dev/null; then
    jq -e '.lvl == "INFO" and .msg == "consumer ok" and .logger == "consumer"
           and .answer == 42 and .mode == "strict"
           and (.ts | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z$"))
           and (keys_unsorted[0:4] == ["ts","lvl","msg","logger"])' <<<"$first" >/dev/null \
        || fail "JSON record wrong: $first"
    jq -e 'select(.label == "steady.work") | .msg == "timing" and (.ms | type) == "number"' \
        <<<"$out" >/dev/null || fail "JSON timing record wrong"
elif command -v python3 >/dev/null; then
    python3 - "$first" <<'PY' || fail "JSON record wrong: $first"
import json, re, sys
r = json.loads(sys.argv[1])
assert list(r)[:4] == ["ts", "lvl", "msg", "logger"], list(r)
assert r["lvl"] == "INFO" and r["msg"] == "consumer ok" and r["logger"] == "consumer"
assert r["answer"] == 42 and r["mode"] == "strict"
assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", r["ts"]), r["ts"]
PY
else
    fail "neither jq nor python3 is installed: cannot parse the JSON output"
fi

step "find_package(trace 1.0) must refuse trace $version"
if run "$cmake" -S "$src" -B "$work/build-v1" "${gen_args[@]}" "${cc_args[@]}" \
        "-DCMAKE_PREFIX_PATH=$prefix" -DCONSUMER_TRACE_VERSION=1.0; then
    fail "find_package(trace 1.0) accepted version $version"
fi
grep -q 'traceConfig.cmake' "$work/last.log" \
    || fail "the refusal does not come from the version check"

step "trace_add_scenario: consumer-bench"
run "$cmake" --build "$bld" --target consumer-bench "${config_args[@]}" \
    || fail "consumer-bench failed"
grep -q 'consumer\.work' "$work/last.log" || fail "the summary does not name consumer.work"
nruns=$(find "$bld/consumer-runs" -name '*.jsonl' | wc -l)
[ "$nruns" -ge 5 ] || fail "consumer-runs holds $nruns log files, expected 5"

step "trace_add_scenario: consumer-bench-save (default BASELINE)"
run "$cmake" --build "$bld" --target consumer-bench-save "${config_args[@]}" \
    || fail "consumer-bench-save failed"
baseline=$src/bench/consumer.baseline.json
[ -s "$baseline" ] || fail "no baseline at $baseline"
if command -v jq >/dev/null; then
    jq -e . "$baseline" >/dev/null || fail "the baseline is not JSON"
fi

step "trace_add_scenario: consumer-bench-compare, same program: passes"
run "$cmake" --build "$bld" --target consumer-bench-compare "${config_args[@]}" \
    || fail "consumer-bench-compare failed without any change"

step "trace_add_scenario: consumer-bench-compare, consumer.work 2x slower: fails"
if CONSUMER_SLOWDOWN=2 run "$cmake" --build "$bld" --target consumer-bench-compare \
        "${config_args[@]}"; then
    fail "consumer-bench-compare passed although consumer.work is 2x slower"
fi
grep -q 'consumer\.work' "$work/last.log" || fail "the failing comparison does not name consumer.work"
grep -qi 'regress\|slower' "$work/last.log" || fail "the failing comparison does not say regressed/slower"

step "trace_add_scenario: consumer-lenient (FAIL globs, relative BASELINE)"
run "$cmake" --build "$bld" --target consumer-lenient-bench-save "${config_args[@]}" \
    || fail "consumer-lenient-bench-save failed"
[ -s "$src/baselines/lenient.json" ] || fail "no baseline at $src/baselines/lenient.json"
grep -rqF "\"dir\":\"$src\"" "$bld/consumer-lenient-runs" \
    || fail "the lenient scenario did not run in its WORKING_DIRECTORY $src"
CONSUMER_SLOWDOWN=2 run "$cmake" --build "$bld" --target consumer-lenient-bench-compare \
        "${config_args[@]}" \
    || fail "consumer-lenient-bench-compare failed although the slowed label is ignored"

step "all consumer checks passed"
