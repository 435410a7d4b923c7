#!/usr/bin/env bash
# check_removed.sh BINARY LEVEL - compile-time removal leaves nothing behind.
#
# BINARY is a build of test_matrix.c with TRACE_MIN_LEVEL=TRACE_LEVEL_<LEVEL>
# (LEVEL: DEBUG INFO WARNING ERROR CRITICAL) or with TRACE_DISABLE (LEVEL:
# DISABLE). Every message and scope label of a call below LEVEL must be
# absent from the binary (`strings -a`); every one at or above it must be
# there (so this check can fail); a TRACE_DISABLE build must not contain the
# implementation at all (`nm`: no trace__logf, trace__logkv, trace__emit, no
# process-wide state).
set -euo pipefail
bin=${1:?usage: check_removed.sh BINARY LEVEL}
level=${2:?usage: check_removed.sh BINARY LEVEL}

case $level in
    DEBUG) min=10 ;; INFO) min=20 ;; WARNING) min=30 ;; ERROR) min=40 ;;
    CRITICAL) min=50 ;; DISABLE) min=99 ;;
    *) echo "check_removed.sh: unknown level '$level'" >&2; exit 2 ;;
esac

strs=$(mktemp)
trap 'rm -f "$strs"' EXIT
strings -a -n 6 "$bin" >"$strs"

# string  level of the call that holds it
checks=(
    "MATRIX-debug-fmt %d"      10
    "MATRIX-info-fmt %d"       20
    "MATRIX-warning-fmt %d"    30
    "MATRIX-warn-fmt %d"       30
    "MATRIX-error-fmt %d"      40
    "MATRIX-critical-fmt %d"   50
    "MATRIX-debug-kv"          10
    "MATRIX-info-kv"           20
    "MATRIX-warning-kv"        30
    "MATRIX-warn-kv"           30
    "MATRIX-error-kv"          40
    "MATRIX-critical-kv"       50
    "MATRIX-debug-if %d"       10
    "MATRIX-debug-else %d"     10
    "MATRIX-error-kv-if"       40
    "MATRIX-error-kv-else"     40
    "MATRIX-info-buffered %d"  20
    "MATRIX-scope-info"        20
    "MATRIX-scope-info2"       20
    "MATRIX-scope-error"       40
    "MATRIX-scope-memory"      20
    "MATRIX-scope-begin"       20
    "MATRIX-scope-warning-begin" 30
    "MATRIX-memory-info"       20
)

bad=0
for ((i = 0; i < ${#checks[@]}; i += 2)); do
    s=${checks[i]}
    lvl=${checks[i + 1]}
    # substrings: a string that is a prefix of another ("MATRIX-error-kv",
    # "MATRIX-error-kv-if") belongs to a call of the same level
    if grep -qF -- "$s" "$strs"; then found=1; else found=0; fi
    if [ "$lvl" -lt "$min" ] && [ "$found" = 1 ]; then
        echo "FAIL: '$s' (level $lvl) is in $bin although calls below $level are removed"
        bad=1
    elif [ "$lvl" -ge "$min" ] && [ "$found" = 0 ]; then
        echo "FAIL: '$s' (level $lvl) is missing from $bin (the check itself is broken?)"
        bad=1
    fi
done

if [ "$level" = DISABLE ]; then
    if syms=$(nm -C "$bin" | grep -E 'trace__(logf|logkv|emit|encode|write_all|init)\b|trace__g_v|trace__m_v|trace__tls_v'); then
        echo "FAIL: a TRACE_DISABLE build still holds the implementation:"
        echo "$syms"
        bad=1
    fi
    for s in trace.h: "trace.h: warning"; do
        if grep -qF -- "$s" "$strs"; then
            echo "FAIL: '$s' is in a TRACE_DISABLE build"
            bad=1
        fi
    done
fi

if [ "$bad" = 0 ]; then
    echo "ok: $bin ($level) holds exactly the strings of the calls it keeps"
fi
exit "$bad"
