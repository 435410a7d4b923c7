/* stats.c - tracestat's statistics stage. See stats.h for the definitions. */
#include "stats.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* ---------------------------------------------------------------- basics */

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

void ts_sort(double *x, size_t n)
{
    if (x != NULL && n > 1)
        qsort(x, n, sizeof *x, cmp_double);
}

double ts_quantile(const double *sorted, size_t n, double p)
{
    if (sorted == NULL || n == 0 || isnan(p))
        return NAN;
    if (p <= 0.0)
        return sorted[0];
    if (p >= 1.0)
        return sorted[n - 1];
    double h = (double)(n - 1) * p;
    double fl = floor(h);
    size_t lo = (size_t)fl;
    if (lo + 1 >= n)
        return sorted[n - 1];
    double frac = h - fl;
    return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

double ts_mean(const double *x, size_t n)
{
    if (x == NULL || n == 0)
        return NAN;
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += x[i];
    return s / (double)n;
}

double ts_sd(const double *x, size_t n)
{
    if (x == NULL || n < 2)
        return 0.0;
    double m = ts_mean(x, n), ss = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = x[i] - m;
        ss += d * d;
    }
    return sqrt(ss / (double)(n - 1));
}

/* -------------------------------------------------------- normal quantile */

static double norm_cdf(double z) { return 0.5 * erfc(-z / sqrt(2.0)); }

double ts_norm_quantile(double p)
{
    if (isnan(p) || p < 0.0 || p > 1.0)
        return NAN;
    if (p == 0.0)
        return -INFINITY;
    if (p == 1.0)
        return INFINITY;
    if (p > 0.5)
        return -ts_norm_quantile(1.0 - p);
    if (p == 0.5)
        return 0.0;
    /* Bisection on the monotone CDF, down to adjacent doubles. erfc is
     * accurate in the lower tail, so this is accurate for small p too. */
    double lo = -40.0, hi = 0.0;
    for (int i = 0; i < 200; i++) {
        double mid = 0.5 * (lo + hi);
        if (mid <= lo || mid >= hi)
            break;
        if (norm_cdf(mid) < p)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

/* ------------------------------------------------------- Mann-Whitney U */

/* The null distribution of U for the observed sample sizes and ties, and the
 * one p-value function that both the test and the interval use. */
typedef struct mwu_null {
    double npairs; /* na * nb */
    int    exact;
    double *tail;  /* exact: tail[c] = P(U >= c), c = 0 .. npairs + 1 */
    double sigma;  /* normal: sd of U with the tie correction */
} mwu_null;

typedef struct tagged {
    double v;
    int    g; /* 0: sample a, 1: sample b */
} tagged;

static int cmp_tagged(const void *pa, const void *pb)
{
    const tagged *a = pa, *b = pb;
    return (a->v > b->v) - (a->v < b->v);
}

/* Exact null distribution of U for sizes (m, n), no ties, as upper tail
 * probabilities. Counting recurrence on the largest pooled observation:
 * f(i, j, u) = f(i - 1, j, u - j) + f(i, j - 1, u), f(i, 0, 0) = f(0, j, 0) = 1.
 * Rolls over i, keeps one count vector per j; counts are sums of positive terms
 * in double (no cancellation). Returns NULL when out of memory. */
static double *mwu_exact_tail(size_t m, size_t n)
{
    if (n > m) {
        size_t t = m;
        m = n;
        n = t;
    }
    size_t top = m * n; /* largest U */
    double *f = calloc((n + 1) * (top + 1), sizeof *f);
    double *tail = malloc((top + 2) * sizeof *tail);
    if (f == NULL || tail == NULL) {
        free(f);
        free(tail);
        return NULL;
    }
    for (size_t j = 0; j <= n; j++)
        f[j * (top + 1)] = 1.0; /* i = 0: only U = 0 */
    for (size_t i = 1; i <= m; i++) {
        /* j = 0 stays {1 at U = 0} */
        for (size_t j = 1; j <= n; j++) {
            double *cur = f + j * (top + 1);
            const double *left = f + (j - 1) * (top + 1);
            size_t umax = i * j;
            for (size_t u = umax + 1; u-- > 0;) {
                double from_a = u >= j ? cur[u - j] : 0.0; /* f(i - 1, j, u - j): still the old row */
                cur[u] = from_a + (u <= i * (j - 1) ? left[u] : 0.0);
            }
        }
    }
    const double *cnt = f + n * (top + 1);
    double total = 0.0;
    for (size_t u = 0; u <= top; u++)
        total += cnt[u];
    tail[top + 1] = 0.0;
    double acc = 0.0;
    for (size_t u = top + 1; u-- > 0;) {
        acc += cnt[u];
        tail[u] = acc / total;
    }
    free(f);
    return tail;
}

/* Two-sided p-value of a U value (of either sample: the function depends on
 * |w - npairs/2| only, which makes the acceptance region an interval). */
static double mwu_p(const mwu_null *nd, double w)
{
    double half = nd->npairs / 2.0;
    double dev = fabs(w - half);
    if (nd->exact) {
        /* U is an integer here; a half-integer w only arises inside the interval
         * inversion (a tie among the differences, never at a shift of 0, where
         * the exact path has no ties) and counts as the integer nearer the centre */
        double m = floor(half + dev);
        if (m > nd->npairs)
            return 0.0; /* unreachable for real U values */
        double p = 2.0 * nd->tail[(size_t)m];
        return p < 1.0 ? p : 1.0;
    }
    if (!(nd->sigma > 0.0))
        return 1.0;
    double z = dev - 0.5;
    if (z < 0.0)
        z = 0.0;
    z /= nd->sigma;
    double p = erfc(z / sqrt(2.0));
    return p < 1.0 ? p : 1.0;
}

/* Fills *nd and returns U of a; -1 as U on out-of-memory for the pooled sort
 * (the caller then reports p = NaN). */
static double mwu_prepare(const double *a, size_t na, const double *b, size_t nb, mwu_null *nd)
{
    memset(nd, 0, sizeof *nd);
    nd->npairs = (double)na * (double)nb;
    size_t npool = na + nb;
    tagged *t = malloc(npool * sizeof *t);
    if (t == NULL)
        return -1.0;
    for (size_t i = 0; i < na; i++)
        t[i] = (tagged){ a[i], 0 };
    for (size_t j = 0; j < nb; j++)
        t[na + j] = (tagged){ b[j], 1 };
    qsort(t, npool, sizeof *t, cmp_tagged);

    double u = 0.0, ties = 0.0; /* ties: sum of t^3 - t over tie groups */
    size_t b_below = 0;
    for (size_t s = 0; s < npool;) {
        size_t e = s + 1;
        while (e < npool && t[e].v == t[s].v)
            e++;
        size_t ca = 0, cb = 0;
        for (size_t k = s; k < e; k++) {
            if (t[k].g == 0)
                ca++;
            else
                cb++;
        }
        u += (double)ca * (double)b_below + 0.5 * (double)ca * (double)cb;
        double g = (double)(e - s);
        ties += g * g * g - g;
        b_below += cb;
        s = e;
    }
    free(t);

    if (ties == 0.0 && na > 0 && nb > 0 && (double)na * (double)nb <= (double)TS_MWU_EXACT_MAX) {
        nd->tail = mwu_exact_tail(na, nb);
        if (nd->tail != NULL) {
            nd->exact = 1;
            return u;
        }
        /* out of memory: fall through to the normal approximation */
    }
    double N = (double)npool;
    double var = 0.0;
    if (npool > 1)
        var = nd->npairs / 12.0 * ((N + 1.0) - ties / (N * (N - 1.0)));
    nd->sigma = var > 0.0 ? sqrt(var) : 0.0;
    return u;
}

ts_mwu ts_mann_whitney(const double *a, size_t na, const double *b, size_t nb)
{
    ts_mwu r = { 0.0, 0.0, 1.0, 0 };
    if (a == NULL || b == NULL || na == 0 || nb == 0)
        return r;
    mwu_null nd;
    double u = mwu_prepare(a, na, b, nb, &nd);
    if (u < 0.0) {
        r.p = NAN;
        return r;
    }
    r.u = u;
    r.exact = nd.exact;
    r.p = mwu_p(&nd, u);
    if (!nd.exact && nd.sigma > 0.0) {
        double d = u - nd.npairs / 2.0;
        double m = fabs(d) - 0.5;
        if (m < 0.0)
            m = 0.0;
        r.z = (d < 0.0 ? -m : m) / nd.sigma;
    }
    free(nd.tail);
    return r;
}

/* ------------------------------------------ Hodges-Lehmann and Moses CI */

static void interval_nan(ts_interval *out)
{
    out->est = out->lo = out->hi = out->level = NAN;
}

/* The confidence set of the shift is A = { d : p(W(d)) > alpha }, with
 * W(d) = #{D > d} + 0.5 #{D == d} over the pairwise differences D = y_j - x_i:
 * the U statistic of the shifted sample y - d against x. W is non-increasing in
 * d and the acceptance region in w is an interval around npairs/2 (p depends on
 * |w - npairs/2| only), so A is an interval whose ends are differences D.
 * Reported: the closure of A (the textbook Moses interval when there are no
 * ties), except that an end at exactly d = 0 that the test rejects is reported
 * as the adjacent double inside A. So lo > 0 exactly when 0 lies below A, and
 * hi < 0 exactly when 0 lies above A: the interval excludes 0 exactly when the
 * test rejects. Returns -1 when A is empty (only possible with heavy ties in the
 * differences and a large alpha: the test then rejects at every shift). */
static int moses_bounds(const double *d, size_t n, const mwu_null *nd, double alpha,
                        double *lo, double *hi)
{
    double N = (double)n;
    int found = 0;
    if (mwu_p(nd, N) > alpha) { /* below every difference W = N */
        *lo = -INFINITY;
        found = 1;
    }
    for (size_t s = 0; s < n && !found;) {
        size_t e = s + 1;
        while (e < n && d[e] == d[s])
            e++;
        double greater = (double)(n - e), equal = (double)(e - s);
        if (mwu_p(nd, greater + 0.5 * equal) > alpha) {
            *lo = d[s];
            found = 1;
        } else if (mwu_p(nd, greater) > alpha) {
            *lo = d[s] != 0.0 ? d[s] : nextafter(0.0, INFINITY);
            found = 1;
        }
        s = e;
    }
    if (!found)
        return -1;

    found = 0;
    if (mwu_p(nd, 0.0) > alpha) { /* above every difference W = 0 */
        *hi = INFINITY;
        found = 1;
    }
    for (size_t e = n; e > 0 && !found;) {
        size_t s = e - 1;
        while (s > 0 && d[s - 1] == d[e - 1])
            s--;
        double greater = (double)(n - e), equal = (double)(e - s);
        if (mwu_p(nd, greater + 0.5 * equal) > alpha) {
            *hi = d[s];
            found = 1;
        } else if (mwu_p(nd, greater + equal) > alpha) {
            *hi = d[s] != 0.0 ? d[s] : nextafter(0.0, -INFINITY);
            found = 1;
        }
        e = s;
    }
    return found ? 0 : -1;
}

/* Achieved level: 1 - P(reject) under the null, taking the smallest integer U
 * at or above the centre whose p-value is <= alpha (exact: that is the size of
 * the test; normal: its approximation). 1 when no U can reject. */
static double achieved_level(const mwu_null *nd, double alpha)
{
    double lo = ceil(nd->npairs / 2.0), hi = nd->npairs;
    if (!(mwu_p(nd, hi) <= alpha))
        return 1.0;
    while (hi - lo > 0.5) { /* smallest integer c in [lo, hi] with p(c) <= alpha */
        double mid = floor((lo + hi) / 2.0);
        if (mwu_p(nd, mid) <= alpha)
            hi = mid;
        else
            lo = mid + 1.0;
    }
    return 1.0 - mwu_p(nd, hi);
}

static int hl_generic(const double *x, size_t na, const double *y, size_t nb, double alpha,
                      int logscale, ts_interval *out)
{
    interval_nan(out);
    if (x == NULL || y == NULL || na == 0 || nb == 0 || !(alpha > 0.0 && alpha < 1.0))
        return -1;
    if (nb > TS_HL_MAX_PAIRS / na)
        return -1;
    for (size_t i = 0; i < na; i++)
        if (!isfinite(x[i]) || (logscale && !(x[i] > 0.0)))
            return -1;
    for (size_t j = 0; j < nb; j++)
        if (!isfinite(y[j]) || (logscale && !(y[j] > 0.0)))
            return -1;

    int rc = -1;
    double *tx = malloc((na + nb) * sizeof *tx);
    double *d = malloc(na * nb * sizeof *d);
    mwu_null nd = { 0 };
    if (tx == NULL || d == NULL)
        goto done;
    double *ty = tx + na;
    for (size_t i = 0; i < na; i++)
        tx[i] = logscale ? log(x[i]) : x[i];
    for (size_t j = 0; j < nb; j++)
        ty[j] = logscale ? log(y[j]) : y[j];
    if (mwu_prepare(tx, na, ty, nb, &nd) < 0.0)
        goto done;

    size_t n = 0;
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++)
            d[n++] = ty[j] - tx[i]; /* sign is exact: a - b > 0 iff a > b */
    ts_sort(d, n);

    double est = ts_quantile(d, n, 0.5), lo, hi;
    out->level = achieved_level(&nd, alpha);
    if (moses_bounds(d, n, &nd, alpha, &lo, &hi) != 0) {
        /* The test rejects at every shift, 0 included (heavy ties in the
         * differences and a large alpha): collapse the interval to the estimate,
         * moved off 0 towards the side the data lean to, so it still excludes 0. */
        lo = hi = est;
        if (est == 0.0) {
            double w0 = 0.0; /* U of y against x at shift 0 */
            for (size_t k = 0; k < n; k++)
                w0 += d[k] > 0.0 ? 1.0 : d[k] == 0.0 ? 0.5 : 0.0;
            lo = hi = nextafter(0.0, w0 >= (double)n / 2.0 ? INFINITY : -INFINITY);
        }
    }
    if (logscale) {
        out->est = exp(est);
        out->lo = exp(lo);
        out->hi = exp(hi);
        /* keep "lo > 1 iff lo_log > 0" (and for hi) through exp's rounding */
        if (lo > 0.0 && !(out->lo > 1.0))
            out->lo = nextafter(1.0, 2.0);
        if (lo <= 0.0 && out->lo > 1.0)
            out->lo = 1.0;
        if (hi < 0.0 && !(out->hi < 1.0))
            out->hi = nextafter(1.0, 0.0);
        if (hi >= 0.0 && out->hi < 1.0)
            out->hi = 1.0;
        if (out->hi < out->lo) { /* a nudge above crossed the other end: keep lo <= hi */
            if (lo > 0.0)
                out->hi = out->lo;
            else
                out->lo = out->hi;
        }
    } else {
        out->est = est;
        out->lo = lo;
        out->hi = hi;
    }
    rc = 0;
done:
    free(nd.tail);
    free(tx);
    free(d);
    if (rc != 0)
        interval_nan(out);
    return rc;
}

int ts_hl_ratio(const double *base, size_t na, const double *cur, size_t nb, double alpha, ts_interval *out)
{
    return hl_generic(base, na, cur, nb, alpha, 1, out);
}

int ts_hl_shift(const double *base, size_t na, const double *cur, size_t nb, double alpha, ts_interval *out)
{
    return hl_generic(base, na, cur, nb, alpha, 0, out);
}

/* ------------------------------------------------------------------ Holm */

typedef struct pidx {
    double p;
    size_t i;
} pidx;

static int cmp_pidx(const void *pa, const void *pb)
{
    const pidx *a = pa, *b = pb;
    if (a->p != b->p)
        return (a->p > b->p) - (a->p < b->p);
    return (a->i > b->i) - (a->i < b->i);
}

void ts_holm(const double *p, size_t n, double *adjusted)
{
    if (p == NULL || adjusted == NULL || n == 0)
        return;
    pidx *s = malloc(n * sizeof *s);
    if (s == NULL) { /* Bonferroni: never smaller than Holm, so still valid */
        for (size_t i = 0; i < n; i++) {
            double a = p[i] * (double)n;
            adjusted[i] = a < 1.0 ? a : 1.0;
        }
        return;
    }
    for (size_t i = 0; i < n; i++)
        s[i] = (pidx){ p[i], i };
    qsort(s, n, sizeof *s, cmp_pidx);
    double run = 0.0;
    for (size_t k = 0; k < n; k++) {
        double a = (double)(n - k) * s[k].p;
        if (a > 1.0)
            a = 1.0;
        if (a > run)
            run = a;
        adjusted[s[k].i] = run;
    }
    free(s);
}

/* ----------------------------------------------------------- runs needed */

size_t ts_runs_needed(double rel_sd, double tolerance, double alpha, double power)
{
    if (!(tolerance > 0.0) || !(alpha > 0.0 && alpha < 1.0) || !(power > 0.0 && power < 1.0) ||
        isnan(rel_sd) || isinf(rel_sd) || isinf(tolerance))
        return SIZE_MAX;
    if (rel_sd <= 0.0)
        return 2;
    double z = ts_norm_quantile(1.0 - alpha / 2.0) + ts_norm_quantile(power);
    double r = rel_sd / tolerance;
    double n = 2.0 * z * z * r * r / (3.0 / M_PI);
    if (!(n < 1e15))
        return SIZE_MAX;
    n = ceil(n);
    if (n < 2.0)
        n = 2.0;
    return (size_t)n;
}
