#!/usr/bin/env bash
# json_check.sh MIN_RECORDS PROGRAM... - every json record the test programs
# write is checked by parsers that are not trace.h:
#   - the programs run with TRACE_TEST_JSON_LOG=FILE and append every json
#     record they capture there (their own cmocka verdicts are their tests'
#     business, not this one's);
#   - each line must be valid UTF-8 (iconv), and exactly one JSON object for
#     `jq` (-R with fromjson: one line, one value, so a record spread over
#     two lines fails);
#   - with python3 (required), each line again, strictly: no NaN or
#     Infinity literals, no duplicate key, no raw control character;
#   - at least MIN_RECORDS records, so that an empty log cannot pass.
set -uo pipefail
min=${1:?usage: json_check.sh MIN_RECORDS PROGRAM...}
shift
log=$(mktemp)
trap 'rm -f "$log" "$log.jq" "$log.py"' EXIT

for prog in "$@"; do
    TRACE_TEST_JSON_LOG=$log "$prog" >/dev/null 2>&1 || true
done

n=$(wc -l <"$log")
echo "json_check: $n records from: $*"
status=0
if [ "$n" -lt "$min" ]; then
    echo "FAIL: only $n json records (at least $min expected)"
    status=1
fi
if [ -s "$log" ] && [ "$(tail -c 1 "$log" | od -An -c | tr -d ' ')" != '\n' ]; then
    echo "FAIL: the last record does not end with a newline"
    status=1
fi

if ! iconv -f UTF-8 -t UTF-8 "$log" >/dev/null 2>&1; then
    echo "FAIL: records that are not valid UTF-8:"
    lineno=0
    while IFS= read -r line; do
        lineno=$((lineno + 1))
        if ! printf '%s' "$line" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1; then
            echo "  line $lineno: $(printf '%s' "$line" | head -c 300 | od -An -c | head -5 | tr -s ' ')"
        fi
    done <"$log"
    status=1
fi

if ! command -v jq >/dev/null; then
    echo "FAIL: jq is not installed (Debian: apt-get install jq)"
    exit 1
fi
# One line at a time: a parse error names the line, and the run goes on.
jq -R -c 'try (fromjson | if type == "object" then "ok" else "not an object" end)
          catch "not JSON: \(.)"' <"$log" >"$log.jq" 2>&1
bad=$(grep -vcx '"ok"' "$log.jq")
if [ "$bad" -ne 0 ]; then
    echo "FAIL (jq): $bad record(s) rejected:"
    grep -vnx '"ok"' "$log.jq" | head -n 10 | cut -c1-400
    status=1
fi
if [ "$(wc -l <"$log.jq")" -ne "$n" ]; then
    echo "FAIL (jq): $(wc -l <"$log.jq") verdicts for $n records"
    status=1
fi

if command -v python3 >/dev/null && python3 -c 'import json' 2>/dev/null; then
    python3 - "$log" >"$log.py" <<'PY'
import json, sys

def no_constant(name):
    raise ValueError("non-standard literal " + name)

def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    dup = {k for k in keys if keys.count(k) > 1}
    if dup:
        raise ValueError("duplicate key(s) " + ", ".join(sorted(dup)))
    return dict(pairs)

bad = 0
with open(sys.argv[1], "rb") as f:
    for no, raw in enumerate(f, 1):
        try:
            line = raw.decode("utf-8")
            assert line.endswith("\n"), "no newline"
            obj = json.loads(line[:-1], parse_constant=no_constant,
                             object_pairs_hook=no_duplicates, strict=True)
            assert isinstance(obj, dict), "not an object"
            keys = list(obj)
            assert keys[:3] == ["ts", "lvl", "msg"], "first keys %r" % keys[:4]
            # a record cut inside its message may end before "logger"
            assert keys[3:4] == ["logger"] or obj.get("truncated") is True, \
                "fourth key %r" % keys[3:4]
        except Exception as e:  # report and go on
            bad += 1
            if bad <= 10:
                print("  line %d: %s: %s" % (no, e, raw[:300]))
print("python3: %d bad" % bad)
PY
    if ! grep -q '^python3: 0 bad$' "$log.py"; then
        echo "FAIL (python3 json, strict):"
        cat "$log.py"
        status=1
    fi
else
    # jq merges duplicate keys silently: without python3 that check is gone
    echo "FAIL: python3 is needed for the strict check (duplicate keys, NaN): apt-get install python3"
    status=1
fi

[ "$status" -eq 0 ] && echo "ok: $n json records, each one line and one valid object"
exit "$status"
