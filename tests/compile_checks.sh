#!/usr/bin/env bash
# compile_checks.sh - what the compiler must accept and refuse, in every
# build mode (enabled, a call removed by TRACE_MIN_LEVEL, TRACE_DISABLE), as
# C11 and as C++17, with the house warnings and -Werror:
#   refused: an odd number of _KV arguments (the error names the mistake), a
#            format string that does not match its arguments, a value type
#            _KV does not know, TRACE_MIN_LEVEL out of range;
#   accepted: a variable used only by a removed call (no unused warning),
#            every macro under if/else without braces, two scopes on one
#            line, the header under -Wundef.
# The refusals are checked in removed and disabled calls too: removal must
# not switch the checking off. Runs with the given compilers, and with
# clang/clang++ as well when they are installed.
#
# usage: compile_checks.sh --cc CC --cxx CXX --include DIR --work DIR
set -uo pipefail

cc=cc cxx=c++ inc= work=
while [ $# -gt 0 ]; do
    case $1 in
        --cc) cc=$2 ;;
        --cxx) cxx=$2 ;;
        --include) inc=$2 ;;
        --work) work=$2 ;;
        *) echo "compile_checks.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
    shift 2
done
[ -n "$inc" ] && [ -n "$work" ] || { echo "usage: compile_checks.sh --cc CC --cxx CXX --include DIR --work DIR" >&2; exit 2; }
mkdir -p "$work"

ccs=("$cc")
cxxs=("$cxx")
if command -v clang >/dev/null && [ "$(basename "$cc")" != clang ]; then ccs+=(clang); fi
if command -v clang++ >/dev/null && [ "$(basename "$cxx")" != clang++ ]; then cxxs+=(clang++); fi

warn=(-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wundef -Werror)
modes=("" "-DTRACE_MIN_LEVEL=TRACE_LEVEL_ERROR" "-DTRACE_DISABLE")
failures=0
count=0

# check NAME pass|fail PATTERN BODY [extra flags...]
#   compiles BODY (inside main) as C11 and C++17 in every mode with every
#   compiler; `fail` also requires PATTERN (grep -E) in the compiler output.
check() {
    local name=$1 want=$2 pattern=$3 body=$4
    shift 4
    local lang comp mode src out rc
    for lang in c cpp; do
        src=$work/$name.$lang
        {
            echo '#define _POSIX_C_SOURCE 200809L'
            echo '#include "trace.h"'
            [ "$lang" = c ] && echo '#include <stdbool.h>'
            echo 'int main(int argc, char **argv) {'
            echo '    (void)argc; (void)argv;'
            printf '    %s\n' "$body"
            echo '    return 0;'
            echo '}'
        } >"$src"
        local comps
        if [ "$lang" = c ]; then comps=("${ccs[@]}"); else comps=("${cxxs[@]}"); fi
        for comp in "${comps[@]}"; do
            for mode in "${modes[@]}"; do
                local std=-std=c11
                [ "$lang" = cpp ] && std=-std=c++17
                count=$((count + 1))
                # shellcheck disable=SC2086
                out=$("$comp" $std "${warn[@]}" $mode "$@" -I"$inc" -fsyntax-only "$src" 2>&1)
                rc=$?
                local label="$name [$comp $std ${mode:-enabled}${*:+ $*}]"
                if [ "$want" = pass ] && [ $rc -ne 0 ]; then
                    echo "FAIL: $label must compile:"
                    printf '%s\n' "$out" | head -n 15
                    failures=$((failures + 1))
                elif [ "$want" = fail ] && [ $rc -eq 0 ]; then
                    echo "FAIL: $label must not compile"
                    failures=$((failures + 1))
                elif [ "$want" = fail ] && ! grep -qE -- "$pattern" <<<"$out"; then
                    echo "FAIL: $label failed, but without /$pattern/ in the message:"
                    printf '%s\n' "$out" | head -n 15
                    failures=$((failures + 1))
                fi
            done
        done
    done
}

# --- refused ---------------------------------------------------------------
check odd_kv_1 fail 'trace_kv_arguments_must_be_key_value_pairs' \
    'TRACE_ERROR_KV("m", "k");'
check odd_kv_3 fail 'trace_kv_arguments_must_be_key_value_pairs' \
    'TRACE_ERROR_KV("m", "a", 1, "b");'
check odd_kv_debug fail 'trace_kv_arguments_must_be_key_value_pairs' \
    'TRACE_DEBUG_KV("m", "a", 1, "b", 2, "c");'
check format_type fail 'format' \
    'TRACE_DEBUG("%d", "not an int");'
check format_missing fail 'format' \
    'TRACE_ERROR("%s and %s", "one");'
check format_type_info fail 'format' \
    'TRACE_INFO("%s", 42);'
check kv_struct fail 'error' \
    'struct s { int a; } v = { 1 }; TRACE_DEBUG_KV("m", "k", v);'
check min_level_range fail 'TRACE_MIN_LEVEL' \
    'TRACE_INFO("x");' -DTRACE_MIN_LEVEL=99

# --- accepted --------------------------------------------------------------
check unused_only_in_removed pass '' \
    'int only_here = 1; int only_kv = 2; TRACE_DEBUG("%d", only_here); TRACE_INFO_KV("m", "k", only_kv);'
check if_else_no_braces pass '' \
    'if (argc) TRACE_DEBUG("a"); else TRACE_INFO("b");
    if (argc) TRACE_WARNING("a"); else TRACE_WARN("b");
    if (argc) TRACE_ERROR("a"); else TRACE_CRITICAL("b");
    if (argc) TRACE_DEBUG_KV("a", "k", 1); else TRACE_INFO_KV("b", "k", 2);
    if (argc) TRACE_WARNING_KV("a", "k", 1); else TRACE_WARN_KV("b", "k", 2);
    if (argc) TRACE_ERROR_KV("a", "k", 1); else TRACE_CRITICAL_KV("b", "k", 2);
    if (argc) TRACE_MEMORY("m"); else TRACE_INFO("c");'
check two_scopes_one_line pass '' \
    '{ TRACE_SCOPE("a"); TRACE_SCOPE("b"); TRACE_INFO("in"); }'
check kv_32_pairs pass '' \
    'TRACE_INFO_KV("m", "1",1,"2",2,"3",3,"4",4,"5",5,"6",6,"7",7,"8",8,"9",9,"10",10,"11",11,"12",12,"13",13,"14",14,"15",15,"16",16,"17",17,"18",18,"19",19,"20",20,"21",21,"22",22,"23",23,"24",24,"25",25,"26",26,"27",27,"28",28,"29",29,"30",30,"31",31,"32",32);'
check every_value_type pass '' \
    'bool b = true; float f = 1.5f; long double ld = 2.5L; const char *s = "s"; void *p = 0; unsigned long long u = 1; signed char sc = 1;
    TRACE_INFO_KV("m", "b", b, "f", f, "ld", ld, "s", s, "p", p, "u", u, "sc", sc, "c", (char)1, "sz", sizeof s);'

echo "compile_checks: $count compilations, $failures failure(s), compilers: ${ccs[*]} ${cxxs[*]}"
[ "$failures" -eq 0 ]
