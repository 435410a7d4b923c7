/* verdict.h - tracestat's verdict stage: --fail threshold specs, per-label verdicts,
 * Holm's correction across the gated labels.
 *
 * Threshold spec grammar (one --fail option holds one spec; several options are
 * kept in order and the LAST rule whose glob matches a label wins):
 *
 *   spec      = [ glob "=" ] action              the glob is everything before the last '='
 *   action    = "ignore" | [ stat ":" ] threshold
 *   stat      = "median" | "mean" | "min" | "max" | "p90" | "p95" | "p99" | "stddev" | "iqr"
 *               (default median)
 *   threshold = number "%"                       relative: fail when slower by more than number %
 *             | number [ "s" | "ms" | "us" | "ns" ]   absolute, seconds without a unit
 *   number    = digits [ "." [ digits ] ] [ exponent ] | "." digits [ exponent ]
 *   exponent  = ( "e" | "E" ) [ "+" | "-" ] digits
 *   glob      = '*' any run of bytes, '?' one UTF-8 character, '\x' the byte x literally
 *
 * This is a superset of pytest-benchmark's --benchmark-compare-fail
 * (FIELD:NUM% and FIELD:NUM in seconds, FIELD one of min, max, mean, median,
 * stddev, iqr): every spec it accepts parses here to the same rule.
 * No blanks are allowed anywhere; a spec with a syntax error is refused with a
 * message naming the 1-based byte column, e.g.
 *   --fail 'median:5x%': column 9: expected '%' or a unit (s, ms, us, ns), got 'x'
 *
 * Verdicts (ts_decide), for each label with its per-run values of the rule's statistic:
 *   ignored      the matching rule says 'ignore'                                   (not gated)
 *   new          no baseline runs; missing: no current runs                        (not gated)
 *   insufficient fewer than 4 runs on a side (statistical gate only)                (not gated)
 *   regressed    Holm-adjusted p <= alpha, the interval lies above 1 (above 0 for
 *                the shift) and the effect exceeds the threshold: ratio of the
 *                medians > 1 + t (relative), difference of the medians > t seconds (absolute)
 *   improved     the same downwards: ratio < 1 - t, or difference < -t
 *   unchanged    the confidence interval lies inside the tolerance band
 *                [1 - t, 1 + t] on the ratio, or [-t, +t] seconds on the shift
 *                (evidence of no relevant change); with a relative threshold and a
 *                zero among the values (no log-scale interval), the shift interval
 *                divided by median(base) inside [-t, +t]; also when every value of
 *                both sides is the same
 *   inconclusive anything else; runs_needed then estimates the runs per side (power 0.8)
 *
 * --gate=point (opts->point) is pytest-benchmark's plain rule on the same data: no
 * test, no minimum number of runs. The rule's statistic is aggregated over the runs
 * of each side (min of the per-run minima, max of the maxima, mean of the means,
 * the median of the per-run values for the other statistics) into base_point and
 * cur_point; relative: regressed when cur/base*100 - 100 > NUM (+inf when base is 0,
 * as in pytest-benchmark), absolute: regressed when cur - base > t; improved in the
 * mirrored case (an addition for the display: pytest-benchmark only fails), otherwise unchanged.
 */
#ifndef TRACESTAT_VERDICT_H
#define TRACESTAT_VERDICT_H

#include <stddef.h>

#include "stats.h"

typedef enum {
    TS_STAT_MEDIAN,
    TS_STAT_MEAN,
    TS_STAT_MIN,
    TS_STAT_MAX,
    TS_STAT_P90,
    TS_STAT_P95,
    TS_STAT_P99,
    TS_STAT_STDDEV, /* added by B: pytest-benchmark's fields (per-run sample sd of the calls) */
    TS_STAT_IQR     /* added by B: per-run interquartile range (type 7 p75 - p25) */
} ts_stat;

typedef struct ts_rule {
    char    glob[128];  /* label glob ('*' and '?'); "*" when none given */
    int     ignore;     /* 'flaky.*=ignore' */
    ts_stat stat;       /* which per-run statistic is compared (default median) */
    int     relative;   /* 1: threshold is a fraction (5% -> 0.05); 0: absolute seconds */
    double  threshold;  /* fraction, or seconds for absolute forms ('min:0.001', '2ms') */
    double  percent;    /* added by B: relative only, the number before '%' as written (5 for 5%),
                           so that --gate=point compares exactly like pytest-benchmark */
} ts_rule;

typedef struct ts_rules {
    ts_rule *v;
    size_t   n;
} ts_rules;

/* Appends one rule; on a syntax error returns -1 and err names the column. */
int ts_rule_parse(const char *spec, ts_rules *rules, char *err, size_t errlen);
/* Last match wins; NULL = default rule (see ts_rule_default). */
const ts_rule *ts_rule_match(const ts_rules *rules, const char *label);
void ts_rules_free(ts_rules *rules);

/* Added by B. */
const ts_rule *ts_rule_default(void);                                   /* "*=median:5%" */
const ts_rule *ts_rule_for(const ts_rules *rules, const char *label);   /* match, or the default; never NULL */
const char *ts_stat_name(ts_stat s);                                    /* "median", "p95", ... */
int ts_glob_match(const char *glob, const char *label);                 /* 1 when label matches */

typedef enum {
    TS_V_REGRESSED,
    TS_V_IMPROVED,
    TS_V_UNCHANGED,
    TS_V_INCONCLUSIVE,
    TS_V_INSUFFICIENT,
    TS_V_NEW,
    TS_V_MISSING,
    TS_V_IGNORED
} ts_verdict_kind;

typedef struct ts_label_cmp {
    const char   *label;
    const double *base;
    size_t        nbase; /* per-run values (seconds), already the rule's statistic */
    const double *cur;
    size_t        ncur;
    double        base_calls, cur_calls; /* median calls per run, for the 'calls changed' note */
    /* outputs (NaN where not computable: e.g. ratio of a new label) */
    ts_verdict_kind kind;
    double      ratio;       /* median(cur)/median(base); +inf when only the base median is 0 */
    double      delta_abs;   /* median(cur)-median(base), seconds */
    ts_mwu      test;        /* on the log values when all are > 0, else on the raw values */
    double      p_adj;       /* Holm-adjusted over the gated labels; NaN when not gated */
    ts_interval ci;          /* HL ratio with the Moses interval at level 1 - alpha (unadjusted) */
    size_t      runs_needed; /* for inconclusive (and insufficient): runs per side; 0 otherwise */
    int         gated;       /* counted in Holm and the exit code */
    /* added by B */
    ts_interval shift;       /* HL shift cur - base in seconds with its Moses interval */
    double      base_point, cur_point; /* --gate=point: the compared aggregates; NaN otherwise */
    const ts_rule *rule;     /* the rule applied (ts_rule_for); valid while the rules live */
} ts_label_cmp;

typedef struct ts_gate_opts {
    double alpha; /* significance level; 0 (or out of (0,1)) means 0.05 */
    int    point; /* --gate=point: pytest-benchmark's plain rule */
} ts_gate_opts;

/* Fills every output field; Holm over the gated labels; insufficient when fewer
 * than 4 runs a side. rules and opts may be NULL (default rule, alpha 0.05). */
void ts_decide(ts_label_cmp *cmps, size_t n, const ts_rules *rules, const ts_gate_opts *opts);
const char *ts_verdict_name(ts_verdict_kind k); /* "regressed", "improved", ... */

#define TS_MIN_RUNS 4 /* runs per side below which a label is 'insufficient' */

#endif
