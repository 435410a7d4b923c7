/* render.h - tracestat's last stage: tables, reports and timelines.
 *
 * Every function writes to a FILE and returns 0, or -1 on a write error.
 * Numbers are written with the C library's printf: tracestat never calls
 * setlocale(), so the decimal point is always '.'.
 */
#ifndef TRACESTAT_RENDER_H
#define TRACESTAT_RENDER_H

#include <stdio.h>

#include "group.h"
#include "verdict.h"

typedef enum ts_format { TS_FMT_TEXT, TS_FMT_MD, TS_FMT_JSON } ts_format;

/* One label of a comparison: B's verdict record plus what the tables show. */
typedef struct ts_cmp_row {
    ts_label_cmp c;            /* c.base/c.cur point into base_s/cur_s (seconds) */
    const ts_label *base_l;    /* NULL when the label is new */
    const ts_label *cur_l;     /* NULL when the label is missing */
    ts_stat stat;              /* the per-run statistic compared */
    char rule[160];            /* the rule in words, e.g. "median:5%" or "default" */
    double tolerance;          /* the rule's relative threshold (fraction), NaN if absolute */
    double *base_s, *cur_s;    /* owned vectors (seconds) */
} ts_cmp_row;

typedef struct ts_comparison {
    const ts_set *base, *cur;
    ts_cmp_row *rows;
    size_t n;
    ts_gate_opts opts;
    int exit_code;                 /* 0, 1 or 3 */
    size_t n_regressed, n_improved, n_unchanged, n_inconclusive, n_insufficient,
           n_new, n_missing, n_ignored, n_common;
} ts_comparison;

/* Per-run statistic of a ts_runstat, in milliseconds (NaN when unknown). */
double ts_runstat_value(const ts_runstat *rs, ts_stat stat);

/* `summary`: one table per set. */
int ts_render_summary(FILE *out, ts_set *const *sets, size_t nsets, ts_format fmt);
/* `compare`. */
int ts_render_compare(FILE *out, const ts_comparison *cmp, ts_format fmt);
/* `report`: Markdown; cmp may be NULL (one set of runs in cur). */
int ts_render_report(FILE *out, const ts_comparison *cmp, const ts_set *cur);
/* `chrome`: Trace Event Format of the timing records of the given files
 * (one process each). Malformed lines go to errs. 0, -1 write error, -2
 * unreadable input (err says which). */
int ts_render_chrome(FILE *out, ts_reader *r, const char *const *paths, size_t n,
                     ts_errs *errs, char *err, size_t errlen);

/* Time in auto units (ns, us, ms, s) with 3 to 4 significant digits. */
void ts_fmt_time(char *buf, size_t cap, double ms);
/* The effect in words: "+7.3% slower", "-18.4% faster", "no change". */
void ts_fmt_effect(char *buf, size_t cap, double ratio);

/* JSON output helpers. */
void ts_put_jstr(FILE *out, const char *s, size_t n);
void ts_put_jnum(FILE *out, double v);   /* shortest round-trip form; null when not finite */

#endif
