#!/usr/bin/env bash
# syscalls.sh PROGRAM - "no syscall per record other than the write"
# (issue 3, point 4), counted by strace: PROGRAM writes 4 records per
# iteration (syscall_prog.c); run with N and 2N iterations in each format, in
# safe mode, with TZ unset (glibc's localtime would stat /etc/localtime per
# call), the number of write calls must grow by 4N and every other syscall
# not at all. Skipped (77) when strace is missing or may not trace.
set -euo pipefail
prog=$1
n=500

if ! command -v strace >/dev/null; then
    echo "SKIP: strace is not installed (apt-get install strace)"
    exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! strace -f -o /dev/null true 2>"$work/err"; then
    echo "SKIP: strace cannot trace here: $(cat "$work/err")"
    exit 77
fi

# one run under `strace -c`: its summary table in outfile
count() {   # format iterations outfile
    env -u TZ -u LOG_BUFFER -u LOG_LEVEL LOG_FORMAT="$1" \
        strace -f -c -o "$3" "$prog" "$2" >/dev/null
}
fail=0
for fmt in plain json logfmt; do
    count "$fmt" "$n" "$work/a"
    count "$fmt" "$((2 * n))" "$work/b"
    # "calls" column and name, from the table's body
    parse() { awk '$1 ~ /^[0-9.]+$/ && NF >= 5 && $NF != "total" { print $NF, $4 }' "$1" | sort; }
    parse "$work/a" >"$work/a.t"
    parse "$work/b" >"$work/b.t"
    join -a1 -a2 -e 0 -o 0,1.2,2.2 "$work/a.t" "$work/b.t" >"$work/j"
    while read -r name a b; do
        grow=$((b - a))
        if [ "$name" = write ]; then
            if [ "$grow" -ne $((4 * n)) ]; then
                echo "FAIL ($fmt): write grew by $grow for $((4 * n)) more records"
                fail=1
            fi
        elif [ "$grow" -ne 0 ]; then
            echo "FAIL ($fmt): $name grew by $grow for $((4 * n)) more records ($a -> $b calls)"
            fail=1
        fi
    done <"$work/j"
    grep -q '^write ' "$work/j" || { echo "FAIL ($fmt): no write counted"; cat "$work/a"; fail=1; }
    echo "$fmt: $(tr '\n' ' ' <"$work/j")"
done
exit "$fail"
