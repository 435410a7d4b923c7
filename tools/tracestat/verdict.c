/* verdict.c - threshold specs, per-label verdicts, Holm across the gated labels.
 * See verdict.h for the grammar and the decision rules. */
#include "verdict.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ names */

static const char *const stat_names[] = { "median", "mean", "min", "max", "p90", "p95", "p99", "stddev", "iqr" };
#define N_STATS (sizeof stat_names / sizeof stat_names[0])

const char *ts_stat_name(ts_stat s)
{
    size_t i = (size_t)s;
    return i < N_STATS ? stat_names[i] : "?";
}

const char *ts_verdict_name(ts_verdict_kind k)
{
    switch (k) {
    case TS_V_REGRESSED: return "regressed";
    case TS_V_IMPROVED: return "improved";
    case TS_V_UNCHANGED: return "unchanged";
    case TS_V_INCONCLUSIVE: return "inconclusive";
    case TS_V_INSUFFICIENT: return "insufficient";
    case TS_V_NEW: return "new";
    case TS_V_MISSING: return "missing";
    case TS_V_IGNORED: return "ignored";
    }
    return "?";
}

static const ts_rule default_rule = { "*", 0, TS_STAT_MEDIAN, 1, 0.05, 5.0 };

const ts_rule *ts_rule_default(void) { return &default_rule; }

/* ------------------------------------------------------------- glob */

static size_t utf8_len(const char *s)
{
    size_t n = 1;
    while (((unsigned char)s[n] & 0xC0u) == 0x80u && n < 4)
        n++;
    return n;
}

int ts_glob_match(const char *g, const char *s)
{
    if (g == NULL || s == NULL)
        return 0;
    const char *star_g = NULL, *star_s = NULL;
    while (*s) {
        if (*g == '*') {
            while (*g == '*')
                g++;
            star_g = g;
            star_s = s;
            continue;
        }
        int ok = 0;
        size_t gl = 1, sl = 1;
        if (*g == '?') {
            ok = 1;
            sl = utf8_len(s);
        } else if (*g == '\\' && g[1] != '\0') {
            ok = g[1] == *s;
            gl = 2;
        } else if (*g != '\0') {
            ok = *g == *s;
        }
        if (ok) {
            g += gl;
            s += sl;
            continue;
        }
        if (star_g == NULL)
            return 0;
        star_s += utf8_len(star_s); /* let the last '*' swallow one more character */
        s = star_s;
        g = star_g;
    }
    while (*g == '*')
        g++;
    return *g == '\0';
}

/* ------------------------------------------------------------ parser */

static int fail_at(char *err, size_t errlen, const char *spec, size_t col, const char *fmt, ...)
{
    if (err != NULL && errlen > 0) {
        char msg[256];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        snprintf(err, errlen, "--fail '%s': column %zu: %s", spec, col, msg);
    }
    return -1;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_alnum(char c) { return is_digit(c) || is_alpha(c); }

/* A readable rendering of the byte at s for "got ..." in messages. */
static const char *got(const char *s, char *buf, size_t len)
{
    unsigned char c = (unsigned char)*s;
    if (c == '\0')
        snprintf(buf, len, "the end");
    else if (c >= 0x20 && c < 0x7f)
        snprintf(buf, len, "'%c'", c);
    else
        snprintf(buf, len, "byte 0x%02x", (unsigned)c);
    return buf;
}

/* Exact powers of ten up to 1e22 are doubles; beyond, pow() is close enough. */
static double pow10i(int e)
{
    double r = 1.0;
    if (e > 22)
        return pow(10.0, (double)e);
    for (int i = 0; i < e; i++)
        r *= 10.0;
    return r;
}

/* Parses a number at spec + *pos (locale-independent: never strtod). Keeps up to
 * 15 significant digits in an exact integer mantissa (< 2^53), so mant * 10^e10 (or
 * mant / 10^-e10) is one correctly rounded operation for ordinary inputs. */
static int parse_number(const char *spec, size_t *pos, double *mant, int *e10,
                        char *err, size_t errlen)
{
    size_t i = *pos, digits = 0;
    double m = 0.0;
    long e = 0;
    int sig = 0;
    while (is_digit(spec[i])) {
        if (sig < 15) {
            m = m * 10.0 + (spec[i] - '0');
            if (m > 0.0)
                sig++;
        } else {
            e++;
        }
        i++;
        digits++;
    }
    if (spec[i] == '.') {
        i++;
        while (is_digit(spec[i])) {
            if (sig < 15) {
                m = m * 10.0 + (spec[i] - '0');
                if (m > 0.0)
                    sig++;
                e--;
            }
            i++;
            digits++;
        }
    }
    if (digits == 0) {
        char b[24];
        return fail_at(err, errlen, spec, i + 1, "expected a number, got %s", got(spec + i, b, sizeof b));
    }
    if (spec[i] == 'e' || spec[i] == 'E') {
        size_t j = i + 1;
        int neg = 0;
        if (spec[j] == '+' || spec[j] == '-') {
            neg = spec[j] == '-';
            j++;
        }
        if (!is_digit(spec[j])) {
            char b[24];
            return fail_at(err, errlen, spec, j + 1, "expected the digits of the exponent, got %s",
                           got(spec + j, b, sizeof b));
        }
        long x = 0;
        while (is_digit(spec[j])) {
            if (x < 100000)
                x = x * 10 + (spec[j] - '0');
            j++;
        }
        e += neg ? -x : x;
        i = j;
    }
    if (e > 100000)
        e = 100000;
    if (e < -100000)
        e = -100000;
    *mant = m;
    *e10 = (int)e;
    *pos = i;
    return 0;
}

static double scale10(double mant, int e10)
{
    if (mant == 0.0)
        return 0.0;
    if (e10 >= 0)
        return mant * pow10i(e10);
    if (e10 >= -22)
        return mant / pow10i(-e10);
    return mant * pow(10.0, (double)e10);
}

int ts_rule_parse(const char *spec, ts_rules *rules, char *err, size_t errlen)
{
    if (err != NULL && errlen > 0)
        err[0] = '\0';
    if (spec == NULL || rules == NULL)
        return fail_at(err, errlen, spec ? spec : "", 1, "no spec");

    ts_rule r;
    memset(&r, 0, sizeof r);
    r.stat = TS_STAT_MEDIAN;
    r.relative = 1;
    strcpy(r.glob, "*");

    const char *eq = strrchr(spec, '=');
    size_t a0 = 0; /* offset of the action */
    if (eq != NULL) {
        size_t glen = (size_t)(eq - spec);
        if (glen == 0)
            return fail_at(err, errlen, spec, 1, "expected a label glob before '='");
        if (glen >= sizeof r.glob)
            return fail_at(err, errlen, spec, sizeof r.glob,
                           "label glob longer than %zu bytes", sizeof r.glob - 1);
        for (size_t i = 0; i < glen; i++) {
            if (spec[i] == '\\') {
                if (i + 1 == glen)
                    return fail_at(err, errlen, spec, i + 1, "expected a character after '\\' in the glob, got '='");
                i++;
            }
        }
        memcpy(r.glob, spec, glen);
        r.glob[glen] = '\0';
        a0 = glen + 1;
    }

    size_t i = a0;
    char b[24];
    if (spec[i] == '\0')
        return fail_at(err, errlen, spec, i + 1,
                       "expected a threshold (like 'median:5%%' or '2ms') or 'ignore', got the end");

    if (is_alpha(spec[i])) {
        size_t w0 = i;
        while (is_alnum(spec[i]))
            i++;
        size_t wl = i - w0;
        char word[16];
        int known = -1;
        if (wl < sizeof word) {
            memcpy(word, spec + w0, wl);
            word[wl] = '\0';
            for (size_t k = 0; k < N_STATS; k++)
                if (strcmp(word, stat_names[k]) == 0)
                    known = (int)k;
            if (strcmp(word, "ignore") == 0) {
                if (spec[i] != '\0')
                    return fail_at(err, errlen, spec, i + 1, "expected the end after 'ignore', got %s",
                                   got(spec + i, b, sizeof b));
                r.ignore = 1;
                goto append;
            }
        }
        if (known < 0)
            return fail_at(err, errlen, spec, w0 + 1,
                           "expected a statistic (median, mean, min, max, p90, p95, p99, stddev, iqr), "
                           "'ignore' or a number, got '%.*s'", (int)(wl > 32 ? 32 : wl), spec + w0);
        if (spec[i] != ':')
            return fail_at(err, errlen, spec, i + 1, "expected ':' after '%s', got %s", stat_names[known],
                           got(spec + i, b, sizeof b));
        r.stat = (ts_stat)known;
        i++;
    }

    double mant = 0.0;
    int e10 = 0;
    size_t num0 = i;
    if (parse_number(spec, &i, &mant, &e10, err, errlen) != 0)
        return -1;
    if (spec[i] == '%') {
        r.relative = 1;
        r.percent = scale10(mant, e10);
        r.threshold = scale10(mant, e10 - 2);
        i++;
        if (spec[i] != '\0')
            return fail_at(err, errlen, spec, i + 1, "expected the end after '%%', got %s", got(spec + i, b, sizeof b));
    } else if (is_alpha(spec[i])) {
        size_t u0 = i;
        while (is_alpha(spec[i]))
            i++;
        size_t ul = i - u0;
        int shift;
        if (ul == 1 && spec[u0] == 's')
            shift = 0;
        else if (ul == 2 && spec[u0 + 1] == 's' && spec[u0] == 'm')
            shift = -3;
        else if (ul == 2 && spec[u0 + 1] == 's' && spec[u0] == 'u')
            shift = -6;
        else if (ul == 2 && spec[u0 + 1] == 's' && spec[u0] == 'n')
            shift = -9;
        else
            return fail_at(err, errlen, spec, u0 + 1, "expected '%%' or a unit (s, ms, us, ns), got '%.*s'",
                           (int)(ul > 32 ? 32 : ul), spec + u0);
        r.relative = 0;
        r.threshold = scale10(mant, e10 + shift);
        if (spec[i] != '\0')
            return fail_at(err, errlen, spec, i + 1, "expected the end after the unit, got %s",
                           got(spec + i, b, sizeof b));
    } else if (spec[i] == '\0') {
        r.relative = 0; /* pytest-benchmark: a bare number is seconds */
        r.threshold = scale10(mant, e10);
    } else {
        return fail_at(err, errlen, spec, i + 1, "expected '%%' or a unit (s, ms, us, ns), got %s",
                       got(spec + i, b, sizeof b));
    }
    if (!isfinite(r.threshold) || (r.relative && !isfinite(r.percent)))
        return fail_at(err, errlen, spec, num0 + 1, "number out of range");

append:;
    ts_rule *nv = realloc(rules->v, (rules->n + 1) * sizeof *nv);
    if (nv == NULL)
        return fail_at(err, errlen, spec, 1, "out of memory");
    rules->v = nv;
    rules->v[rules->n++] = r;
    return 0;
}

const ts_rule *ts_rule_match(const ts_rules *rules, const char *label)
{
    if (rules == NULL || label == NULL)
        return NULL;
    for (size_t k = rules->n; k-- > 0;)
        if (ts_glob_match(rules->v[k].glob, label))
            return &rules->v[k];
    return NULL;
}

const ts_rule *ts_rule_for(const ts_rules *rules, const char *label)
{
    const ts_rule *r = ts_rule_match(rules, label);
    return r != NULL ? r : &default_rule;
}

void ts_rules_free(ts_rules *rules)
{
    if (rules == NULL)
        return;
    free(rules->v);
    rules->v = NULL;
    rules->n = 0;
}

/* ------------------------------------------------------------ decide */

static double sorted_median(double *tmp, const double *x, size_t n)
{
    memcpy(tmp, x, n * sizeof *x);
    ts_sort(tmp, n);
    return ts_quantile(tmp, n, 0.5);
}

static double aggregate(double *tmp, const double *x, size_t n, ts_stat s)
{
    if (n == 0)
        return NAN;
    double r = x[0];
    switch (s) {
    case TS_STAT_MIN:
        for (size_t i = 1; i < n; i++)
            r = x[i] < r ? x[i] : r;
        return r;
    case TS_STAT_MAX:
        for (size_t i = 1; i < n; i++)
            r = x[i] > r ? x[i] : r;
        return r;
    case TS_STAT_MEAN:
        return ts_mean(x, n);
    default:
        return sorted_median(tmp, x, n);
    }
}

static int all_positive(const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(x[i] > 0.0) || !isfinite(x[i]))
            return 0;
    return 1;
}

/* Pooled within-sample sd; of the log values when logs != 0. */
static double pooled_sd(const double *a, size_t na, const double *b, size_t nb, int logs)
{
    double ss = 0.0;
    size_t df = 0;
    const double *xs[2] = { a, b };
    size_t ns[2] = { na, nb };
    for (int k = 0; k < 2; k++) {
        if (ns[k] < 2)
            continue;
        double m = 0.0;
        for (size_t i = 0; i < ns[k]; i++)
            m += logs ? log(xs[k][i]) : xs[k][i];
        m /= (double)ns[k];
        for (size_t i = 0; i < ns[k]; i++) {
            double d = (logs ? log(xs[k][i]) : xs[k][i]) - m;
            ss += d * d;
        }
        df += ns[k] - 1;
    }
    return df > 0 ? sqrt(ss / (double)df) : NAN;
}

static void reset_outputs(ts_label_cmp *c)
{
    c->kind = TS_V_INCONCLUSIVE;
    c->ratio = c->delta_abs = NAN;
    c->test = (ts_mwu){ 0.0, 0.0, NAN, 0 };
    c->p_adj = NAN;
    c->ci.est = c->ci.lo = c->ci.hi = c->ci.level = NAN;
    c->shift = c->ci;
    c->runs_needed = 0;
    c->gated = 0;
    c->base_point = c->cur_point = NAN;
}

/* Effect sizes, test and intervals for a label with data on both sides. */
static void measure(ts_label_cmp *c, double alpha, double *tmp)
{
    double mb = sorted_median(tmp, c->base, c->nbase);
    double mc = sorted_median(tmp, c->cur, c->ncur);
    c->delta_abs = mc - mb;
    if (mb > 0.0)
        c->ratio = mc / mb;
    else if (mb == 0.0 && mc == 0.0)
        c->ratio = 1.0;
    else if (mb == 0.0 && mc > 0.0)
        c->ratio = INFINITY;

    if (all_positive(c->base, c->nbase) && all_positive(c->cur, c->ncur)) {
        /* the test on the log values: the one the ratio interval is consistent with */
        for (size_t i = 0; i < c->nbase; i++)
            tmp[i] = log(c->base[i]);
        for (size_t j = 0; j < c->ncur; j++)
            tmp[c->nbase + j] = log(c->cur[j]);
        c->test = ts_mann_whitney(tmp, c->nbase, tmp + c->nbase, c->ncur);
        ts_hl_ratio(c->base, c->nbase, c->cur, c->ncur, alpha, &c->ci);
    } else {
        c->test = ts_mann_whitney(c->base, c->nbase, c->cur, c->ncur);
    }
    ts_hl_shift(c->base, c->nbase, c->cur, c->ncur, alpha, &c->shift);
}

static int all_same(const ts_label_cmp *c)
{
    double v = c->nbase > 0 ? c->base[0] : c->cur[0];
    for (size_t i = 0; i < c->nbase; i++)
        if (c->base[i] != v)
            return 0;
    for (size_t j = 0; j < c->ncur; j++)
        if (c->cur[j] != v)
            return 0;
    return 1;
}

/* Runs per side (power 0.8): first for the plain tolerance; when the current
 * runs would already suffice for that (the estimate sits near the band's edge),
 * for the distance between the estimate and the nearest edge (at least t/10). */
static size_t advise_runs(const ts_label_cmp *c, double alpha, double tol, double est, int logs)
{
    size_t have = c->nbase > c->ncur ? c->nbase : c->ncur;
    double sd = pooled_sd(c->base, c->nbase, c->cur, c->ncur, logs);
    if (!isfinite(sd) || !(tol > 0.0))
        return have + 1 > TS_MIN_RUNS ? have + 1 : TS_MIN_RUNS;
    size_t need = ts_runs_needed(sd, tol, alpha, 0.8);
    if (need <= have && isfinite(est)) {
        double dist = fabs(fabs(est) - tol);
        if (dist < tol / 10.0)
            dist = tol / 10.0;
        need = ts_runs_needed(sd, dist, alpha, 0.8);
    }
    if (need <= have)
        need = have + 1;
    if (need < TS_MIN_RUNS)
        need = TS_MIN_RUNS;
    return need;
}

static void decide_point(ts_label_cmp *c, const ts_rule *r, double *tmp)
{
    double b = aggregate(tmp, c->base, c->nbase, r->stat);
    double k = aggregate(tmp, c->cur, c->ncur, r->stat);
    c->base_point = b;
    c->cur_point = k;
    if (r->relative) {
        /* pytest-benchmark PercentageRegressionCheck: cur / base * 100 - 100 > NUM, base 0 -> inf.
         * Rounded step by step like Python: the volatile keeps a compiler from
         * fusing the multiply and the subtraction into one FMA (clang contracts
         * by default on targets with FMA), which changes boundary cases. */
        double pct = INFINITY;
        if (b != 0.0) {
            volatile double scaled = k / b * 100.0;
            pct = scaled - 100.0;
        }
        if (pct > r->percent)
            c->kind = TS_V_REGRESSED;
        else if (-pct > r->percent)
            c->kind = TS_V_IMPROVED;
        else
            c->kind = TS_V_UNCHANGED;
    } else {
        /* DifferenceRegressionCheck: cur - base > seconds */
        double d = k - b;
        if (d > r->threshold)
            c->kind = TS_V_REGRESSED;
        else if (-d > r->threshold)
            c->kind = TS_V_IMPROVED;
        else
            c->kind = TS_V_UNCHANGED;
    }
}

static void decide_stat(ts_label_cmp *c, const ts_rule *r, double alpha, double *tmp)
{
    if (all_same(c)) {
        c->kind = TS_V_UNCHANGED;
        return;
    }
    int sig = c->p_adj <= alpha;
    double t = r->threshold;
    int have_ci = !isnan(c->ci.lo);
    int up = have_ci ? c->ci.lo > 1.0 : c->shift.lo > 0.0;
    int down = have_ci ? c->ci.hi < 1.0 : c->shift.hi < 0.0;
    double mb = sorted_median(tmp, c->base, c->nbase);
    if (r->relative) {
        if (sig && up && c->ratio > 1.0 + t)
            c->kind = TS_V_REGRESSED;
        else if (sig && down && c->ratio < 1.0 - t)
            c->kind = TS_V_IMPROVED;
        else if (have_ci ? c->ci.lo >= 1.0 - t && c->ci.hi <= 1.0 + t
                         : mb > 0.0 && c->shift.lo / mb >= -t && c->shift.hi / mb <= t)
            c->kind = TS_V_UNCHANGED; /* without the log-scale interval (a zero value): the shift over median(base) */
        else
            c->kind = TS_V_INCONCLUSIVE;
        if (c->kind == TS_V_INCONCLUSIVE)
            c->runs_needed = advise_runs(c, alpha, t, have_ci ? log(c->ci.est) : NAN, have_ci);
    } else {
        if (sig && up && c->delta_abs > t)
            c->kind = TS_V_REGRESSED;
        else if (sig && down && c->delta_abs < -t)
            c->kind = TS_V_IMPROVED;
        else if (c->shift.lo >= -t && c->shift.hi <= t)
            c->kind = TS_V_UNCHANGED;
        else
            c->kind = TS_V_INCONCLUSIVE;
        if (c->kind == TS_V_INCONCLUSIVE) {
            /* relative spread and tolerance: divide by the baseline median */
            if (have_ci && isfinite(mb) && mb > 0.0)
                c->runs_needed = advise_runs(c, alpha, t / mb, log(c->ci.est), 1);
            else
                c->runs_needed = advise_runs(c, alpha, t, c->shift.est, 0);
        }
    }
}

void ts_decide(ts_label_cmp *cmps, size_t n, const ts_rules *rules, const ts_gate_opts *opts)
{
    if (cmps == NULL || n == 0)
        return;
    double alpha = 0.05;
    int point = 0;
    if (opts != NULL) {
        if (opts->alpha > 0.0 && opts->alpha < 1.0)
            alpha = opts->alpha;
        point = opts->point != 0;
    }

    size_t maxn = 1;
    for (size_t i = 0; i < n; i++)
        if (cmps[i].nbase + cmps[i].ncur > maxn)
            maxn = cmps[i].nbase + cmps[i].ncur;
    double *tmp = malloc(maxn * sizeof *tmp);
    double *ps = malloc(n * sizeof *ps);
    size_t *idx = malloc(n * sizeof *idx);

    size_t ng = 0;
    for (size_t i = 0; i < n; i++) {
        ts_label_cmp *c = &cmps[i];
        reset_outputs(c);
        const ts_rule *r = ts_rule_for(rules, c->label);
        c->rule = r;
        if (c->base == NULL)
            c->nbase = 0;
        if (c->cur == NULL)
            c->ncur = 0;
        int both = c->nbase > 0 && c->ncur > 0;
        if (both && tmp != NULL)
            measure(c, alpha, tmp);
        if (r->ignore) {
            c->kind = TS_V_IGNORED;
            continue;
        }
        if (c->nbase == 0 && c->ncur > 0) {
            c->kind = TS_V_NEW;
            continue;
        }
        if (c->ncur == 0 && c->nbase > 0) {
            c->kind = TS_V_MISSING;
            continue;
        }
        if (!both) {
            c->kind = TS_V_INSUFFICIENT;
            c->runs_needed = TS_MIN_RUNS;
            continue;
        }
        if (tmp == NULL || ps == NULL || idx == NULL) {
            c->kind = TS_V_INCONCLUSIVE; /* out of memory: no claim either way */
            continue;
        }
        if (!point && (c->nbase < TS_MIN_RUNS || c->ncur < TS_MIN_RUNS)) {
            c->kind = TS_V_INSUFFICIENT;
            c->runs_needed = TS_MIN_RUNS;
            continue;
        }
        c->gated = 1;
        ps[ng] = isnan(c->test.p) ? 1.0 : c->test.p;
        idx[ng++] = i;
    }
    if (ng > 0) {
        ts_holm(ps, ng, ps);
        for (size_t k = 0; k < ng; k++)
            cmps[idx[k]].p_adj = ps[k];
    }
    for (size_t k = 0; k < ng; k++) {
        ts_label_cmp *c = &cmps[idx[k]];
        if (point)
            decide_point(c, c->rule, tmp);
        else
            decide_stat(c, c->rule, alpha, tmp);
    }
    free(tmp);
    free(ps);
    free(idx);
}
