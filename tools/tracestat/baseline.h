/* baseline.h - tracestat's baseline file: save a set, load it back.
 *
 * The file is one JSON object; "format" is its first key:
 *   {"format":"tracestat-baseline","version":1,"created":"<RFC 3339 UTC>",
 *    "tool":"tracestat <version>","source":"<what was read>",
 *    "fingerprint":{...} | null, "runs":["run-01.jsonl",...],
 *    "records":N,"levels":{"DEBUG":n,...},"malformed":n,"unit":"ms",
 *    "labels":[{"label":"x","run":[0,1,...],"calls":[...],"total":[...],
 *               "min":[...],"p25":[...],"median":[...],"p75":[...],"p90":[...],
 *               "p95":[...],"p99":[...],"max":[...],"mean":[...],"sd":[...],
 *               "self":[...],"cpu_ratio":[...],"summary":[false,...]}, ...]}
 * Every vector has one entry per run the label appeared in; times in ms;
 * a value that is not known is null.
 */
#ifndef TRACESTAT_BASELINE_H
#define TRACESTAT_BASELINE_H

#include <stdio.h>

#include "group.h"

#define TS_BASELINE_FORMAT "tracestat-baseline"
#define TS_BASELINE_VERSION 1

/* Write s as a baseline. 0 or -1 (errno). */
int ts_baseline_write(FILE *out, const ts_set *s);
int ts_baseline_save(const char *path, const ts_set *s, char *err, size_t errlen);

/* Load a baseline into an initialised, empty set.
 * Returns 0; -1 when the file cannot be read or is not valid (err says why);
 * -2 when it is valid JSON text but not a tracestat baseline (the caller
 * may then read it as a log). */
int ts_baseline_load(const char *path, ts_set *s, char *err, size_t errlen);

/* 1 when the file starts like a baseline ('{' then "format"), else 0. */
int ts_baseline_sniff(const char *path);

#endif
