/* group.h - tracestat stage 2: records to runs to labels.
 *
 * A set is what one command-line argument names: a directory of *.jsonl
 * files, one file, or stdin. Each file is one run (one process execution).
 * While a run is read, each label keeps every wall time of the run (one
 * double per call, plus one float per call when cpu_ms is present); when the
 * run ends they are reduced to one ts_runstat and dropped, so memory is
 * bounded by the largest run. Across runs each label keeps one ts_runstat
 * per run it appeared in: the per-run vectors that the comparison uses.
 */
#ifndef TRACESTAT_GROUP_H
#define TRACESTAT_GROUP_H

#include <stddef.h>
#include <stdint.h>

#include "read.h"

/* One label in one run. Times in milliseconds; NaN when not known
 * (summary-mode records carry no p25/p75/p95/sd). */
typedef struct ts_runstat {
    uint32_t run;        /* index of the run in its set */
    int from_summary;    /* 1: built from a timing_summary record */
    double calls;
    double total, min, p25, median, p75, p90, p95, p99, max, mean, sd;
    double self_total;   /* sum of self times (ms minus child scopes); NaN without spans */
    double cpu_ratio;    /* median of cpu_ms/ms over the calls; NaN without cpu_ms */
} ts_runstat;

typedef struct ts_label {
    char *name;
    size_t name_len;
    ts_runstat *runs;    /* one per run the label appeared in, in run order */
    size_t nruns, caprun;
    /* accumulator of the current run (private to group.c) */
    double *vals;
    size_t nvals, capvals;
    float *cpu;
    size_t ncpu, capcpu;
    double self_sum;
    int has_self;
    int has_summary;
    double s_count, s_total, s_min, s_max, s_p50, s_p90, s_p99;
    uint64_t hash;
} ts_label;

typedef struct ts_fingerprint {
    int present;
    char cpu[256];
    long cores;
    char os[128];
    char kernel[128];
    char machine[64];
    char command[2048];
    char created[40];
    long runs, warmup, failed;   /* from `tracestat run`; -1 unknown */
} ts_fingerprint;

#define TS_SLOWEST_KEEP 5
#define TS_ERRTRACE_KEEP 10

typedef struct ts_slow {
    double ms;
    uint64_t trace_hi, trace_lo;
    uint32_t run;
    char label[96];
} ts_slow;

typedef struct ts_errtrace {
    uint64_t trace_hi, trace_lo;
    uint32_t run;
    char msg[96];
} ts_errtrace;

typedef struct ts_set {
    char *name;                   /* the argument as given */
    ts_label **labels;            /* in order of first appearance */
    size_t nlabels, caplabels;
    ts_label **table;             /* hash table of labels */
    size_t tablecap;
    char **run_names;
    size_t nruns, capruns;
    int in_run;
    uint64_t records;             /* valid records read */
    uint64_t levels[TS_LVL_COUNT];
    uint64_t timing, summaries;   /* timing and timing_summary records */
    ts_errs errs;                 /* malformed lines */
    ts_fingerprint fp;
    ts_slow slowest[TS_SLOWEST_KEEP];  /* root scopes with a trace, slowest first */
    size_t nslowest;
    ts_errtrace errtraces[TS_ERRTRACE_KEEP]; /* distinct traces of ERROR/CRITICAL records */
    size_t nerrtraces;
    uint64_t error_records;       /* ERROR + CRITICAL */
    /* self-time bookkeeping of the current run: span -> summed child ms */
    struct ts_pend *pend;
    size_t pendcap, npend;
    int baseline;                 /* 1 when loaded from a baseline file */
} ts_set;

void ts_set_init(ts_set *s, const char *name);
void ts_set_free(ts_set *s);

/* Read a file, a directory of *.jsonl (sorted by name, one run each) or "-".
 * A directory's fingerprint.json, when present, fills s->fp.
 * Returns 0, or -1 with a message in err (unreadable input). */
int ts_set_read_path(ts_set *s, ts_reader *r, const char *path, char *err, size_t errlen);
/* Read one stream as one run (r already opened). 0 or -1 (read error). */
int ts_set_read_run(ts_set *s, ts_reader *r, const char *run_name);

/* The pieces, for callers that feed records themselves (tests). */
int ts_set_begin_run(ts_set *s, const char *run_name);
int ts_set_add(ts_set *s, const ts_record *rec);
int ts_set_end_run(ts_set *s);

ts_label *ts_set_find(const ts_set *s, const char *label);
/* Create a label with no runs (used by the baseline loader). */
ts_label *ts_set_intern(ts_set *s, const char *label, size_t n);
int ts_label_push_run(ts_label *l, const ts_runstat *rs);

/* Median over the label's runs of one ts_runstat field (given by offsetof);
 * NaN when no run has it. */
double ts_label_median_of(const ts_label *l, size_t field_offset);

/* Parse a fingerprint object (as written by `tracestat run`) from a cursor. */
int ts_fingerprint_parse(ts_json *j, ts_fingerprint *fp);
/* Read DIR/fingerprint.json; 0 when read, -1 when absent or bad. */
int ts_fingerprint_load(const char *path, ts_fingerprint *fp);

/* Read a whole (small) file into a malloc'd, NUL-terminated buffer. */
char *ts_slurp(const char *path, size_t max, size_t *len);

#endif
