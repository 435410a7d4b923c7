/* test_stats.c - tracestat's statistics stage against independently computed values.
 *
 * Where the expected numbers come from:
 *  [R]     R's documented output: quantile(1:10) is 1.00 3.25 5.50 7.75 10.00; the
 *          wilcox.test example in ?wilcox.test (x = 0.80 ... 1.46, y = 1.15 ... 1.21)
 *          reports W = 35 and a one-sided exact p of 0.1272, so two-sided 0.2544.
 *  [hand]  worked by hand; the working is in the comment next to the value.
 *  [py-q]  Python 3's statistics.quantiles(data, n=100, method='inclusive'), which
 *          implements Hyndman-Fan type 7 with its own integer arithmetic.
 *  [py-enum] a Python script run once (not part of the build) that enumerates every
 *          one of the C(na+nb, na) assignments of the pooled observations to the two
 *          samples, with exact fractions: the exact p-value is
 *          2 * #{assignments with U >= max(u, na nb - u)} / C(na+nb, na); for the tie
 *          cases the variance of U is the variance of that enumerated permutation
 *          distribution (not the closed-form tie formula the C code uses), and
 *          p = math.erfc(max(|u - na nb/2| - 0.5, 0) / sqrt(var) / sqrt(2)).
 *  [py-moses] the same script, for intervals: all na*nb differences
 *          log(cur_j) - log(base_i) sorted, k = largest integer with
 *          2 P(U <= k-1) <= alpha (P from the enumeration), interval
 *          exp(D(k)), exp(D(N+1-k)), estimate exp(median D), level 1 - 2 P(U <= k-1).
 *  [py-norm] Python's statistics.NormalDist().inv_cdf and the textbook variance
 *          na nb (N+1) / 12 without ties, U counted over all pairs in Python.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

#define assert_near(actual, expected, tol)                                                         \
    do {                                                                                           \
        double a_ = (actual), e_ = (expected), t_ = (tol);                                         \
        if (!(fabs(a_ - e_) <= t_)) {                                                              \
            print_error("%s = %.17g, expected %.17g (tol %g)\n", #actual, a_, e_, t_);             \
            fail();                                                                                \
        }                                                                                          \
    } while (0)

/* relative tolerance for values computed along different but exact-in-principle paths */
#define REL 1e-12

static uint64_t rng_state;

static uint64_t rng_next(void) /* splitmix64 */
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static double rng_unit(void) { return (double)(rng_next() >> 11) * (1.0 / 9007199254740992.0); }

/* ------------------------------------------------------------ quantiles */

static void test_quantile_type7_r(void **state)
{
    (void)state;
    double x[10];
    for (int i = 0; i < 10; i++)
        x[i] = i + 1;
    /* [R] quantile(1:10) */
    assert_near(ts_quantile(x, 10, 0.0), 1.0, 0);
    assert_near(ts_quantile(x, 10, 0.25), 3.25, 1e-15);
    assert_near(ts_quantile(x, 10, 0.5), 5.5, 1e-15);
    assert_near(ts_quantile(x, 10, 0.75), 7.75, 1e-15);
    assert_near(ts_quantile(x, 10, 1.0), 10.0, 0);
    /* [hand] h = 9 * 0.1 = 0.9: 1 + 0.9 * (2 - 1) = 1.9 (R: quantile(1:10, 0.1) = 1.9) */
    assert_near(ts_quantile(x, 10, 0.1), 1.9, 1e-15);
}

static void test_quantile_type7_unsorted_input(void **state)
{
    (void)state;
    double d[] = { 0.5, 3.25, -1.0, 7.0, 2.0, 2.0, 11.5 };
    ts_sort(d, 7);
    double want_sorted[] = { -1.0, 0.5, 2.0, 2.0, 3.25, 7.0, 11.5 };
    assert_memory_equal(d, want_sorted, sizeof d);
    /* [py-q] statistics.quantiles(d, n=100, method='inclusive') at 1, 10, 33, 50, 90, 99 */
    assert_near(ts_quantile(d, 7, 0.01), -0.91, 1e-12);
    assert_near(ts_quantile(d, 7, 0.10), -0.1, 1e-12);
    assert_near(ts_quantile(d, 7, 0.33), 1.97, 1e-12);
    assert_near(ts_quantile(d, 7, 0.50), 2.0, 1e-12);
    assert_near(ts_quantile(d, 7, 0.90), 8.8, 1e-12);
    assert_near(ts_quantile(d, 7, 0.99), 11.23, 1e-12);
    /* [py-q] quartiles with n=4: 1.25, 2.0, 5.125 */
    assert_near(ts_quantile(d, 7, 0.25), 1.25, 1e-12);
    assert_near(ts_quantile(d, 7, 0.75), 5.125, 1e-12);
}

static void test_quantile_edges(void **state)
{
    (void)state;
    double one = 4.5;
    assert_near(ts_quantile(&one, 1, 0.0), 4.5, 0);
    assert_near(ts_quantile(&one, 1, 0.37), 4.5, 0);
    assert_near(ts_quantile(&one, 1, 1.0), 4.5, 0);
    double two[] = { 1.0, 3.0 };
    /* [hand] h = 0.25: 1 + 0.25 * 2 = 1.5 */
    assert_near(ts_quantile(two, 2, 0.25), 1.5, 0);
    assert_near(ts_quantile(two, 2, -1.0), 1.0, 0); /* clamped */
    assert_near(ts_quantile(two, 2, 2.0), 3.0, 0);  /* clamped */
    assert_true(isnan(ts_quantile(two, 0, 0.5)));
    assert_true(isnan(ts_quantile(two, 2, NAN)));
}

static void test_mean_sd(void **state)
{
    (void)state;
    double x[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
    const double copy[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
    /* [hand] sum 40 / 8 = 5; squares of deviations 9+1+1+1+0+0+4+16 = 32; sd = sqrt(32/7) */
    assert_near(ts_mean(x, 8), 5.0, 0);
    assert_near(ts_sd(x, 8), sqrt(32.0 / 7.0), 1e-15);
    assert_memory_equal(x, copy, sizeof x); /* pure */
    assert_near(ts_sd(x, 1), 0.0, 0);
    assert_near(ts_sd(x, 0), 0.0, 0);
    assert_true(isnan(ts_mean(x, 0)));
}

/* ------------------------------------------------------------ Mann-Whitney */

static void test_mwu_exact_r_example(void **state)
{
    (void)state;
    const double x[] = { 0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46 };
    const double y[] = { 1.15, 0.88, 0.90, 0.74, 1.21 };
    ts_mwu r = ts_mann_whitney(x, 10, y, 5);
    assert_int_equal(r.exact, 1);
    assert_near(r.u, 35.0, 0);               /* [R] W = 35 */
    assert_near(r.p, 764.0 / 3003.0, 1e-14); /* [R] 2 * 0.1272; [py-enum] 764/3003 = 0.254412... */
    assert_near(r.z, 0.0, 0);
    /* swapped samples: U of the other sample, same p */
    ts_mwu s = ts_mann_whitney(y, 5, x, 10);
    assert_near(s.u, 50.0 - 35.0, 0);
    assert_near(s.p, r.p, 0);
}

static void test_mwu_exact_small(void **state)
{
    (void)state;
    const double a4[] = { 1, 2, 3, 4 }, b4[] = { 5, 6, 7, 8 };
    ts_mwu r = ts_mann_whitney(a4, 4, b4, 4);
    assert_int_equal(r.exact, 1);
    assert_near(r.u, 0.0, 0);
    assert_near(r.p, 2.0 / 70.0, 1e-15); /* [hand] 2 of C(8,4) = 70 orderings are as extreme */

    const double a3[] = { 1, 2, 3 }, b3[] = { 4, 5, 6 };
    r = ts_mann_whitney(a3, 3, b3, 3);
    assert_near(r.p, 0.1, 1e-15); /* [hand] 2 / C(6,3) = 2/20 */

    const double a7[] = { 3.1, 4.7, 2.2, 9.9, 5.5, 6.1, 0.4 };
    const double b9[] = { 5.0, 7.7, 8.8, 6.6, 10.5, 1.2, 9.1, 12.0, 7.2 };
    r = ts_mann_whitney(a7, 7, b9, 9);
    assert_int_equal(r.exact, 1);
    assert_near(r.u, 14.0, 0);             /* [py-enum] */
    assert_near(r.p, 37.0 / 520.0, 1e-14); /* [py-enum] 37/520 = 0.0711538... */

    double a10[10], b10[10];
    for (int i = 0; i < 10; i++) {
        a10[i] = 100 + i;
        b10[i] = 200 + i;
    }
    r = ts_mann_whitney(b10, 10, a10, 10);
    assert_near(r.u, 100.0, 0);
    assert_near(r.p, 2.0 / 184756.0, 1e-18); /* [hand] 2 / C(20,10) */

    /* 1 vs 1: p = 1 */
    r = ts_mann_whitney(a3, 1, b3, 1);
    assert_near(r.p, 1.0, 0);
}

static void test_mwu_normal_with_ties(void **state)
{
    (void)state;
    const double a[] = { 1, 2, 2, 3, 5, 5 }, b[] = { 2, 3, 3, 4, 5, 6, 6 };
    ts_mwu r = ts_mann_whitney(a, 6, b, 7);
    assert_int_equal(r.exact, 0);
    assert_near(r.u, 12.0, 0);                           /* [py-enum] */
    assert_near(r.p, 0.2162474894889226, REL);           /* [py-enum] permutation variance 47.25 */
    assert_near(r.z, -1.2365680446706235, REL);          /* (|12 - 21| - 0.5) / sqrt(47.25), sign of 12 - 21 */

    const double c[] = { 10, 10, 11, 12, 12 }, d[] = { 11, 12, 13, 13, 14 };
    r = ts_mann_whitney(c, 5, d, 5);
    assert_int_equal(r.exact, 0);
    assert_near(r.u, 3.5, 0);                            /* [py-enum] */
    assert_near(r.p, 0.06960100257898738, REL);          /* [py-enum] variance 21.9444... */
    assert_near(r.z, -1.814498570760291, REL);
}

static void test_mwu_normal_large(void **state)
{
    (void)state;
    double a[60], b[50];
    for (int i = 0; i < 60; i++)
        a[i] = ((i * 37) % 101) * 0.25 + 1.0;
    for (int j = 0; j < 50; j++)
        b[j] = ((j * 53) % 97) * 0.25 + 1.125;
    ts_mwu r = ts_mann_whitney(a, 60, b, 50); /* 3000 pairs > TS_MWU_EXACT_MAX: normal */
    assert_int_equal(r.exact, 0);
    assert_near(r.u, 1615.0, 0);                  /* [py-norm] */
    assert_near(r.p, 0.49186613033762167, REL);   /* [py-norm] */
    assert_near(r.z, 0.6873437578398754, REL);
}

static void test_mwu_degenerate(void **state)
{
    (void)state;
    const double a[] = { 1, 1, 1 }, b[] = { 1, 1, 1, 1 };
    ts_mwu r = ts_mann_whitney(a, 3, b, 4);
    assert_near(r.p, 1.0, 0); /* every value tied: no evidence */
    assert_near(r.u, 6.0, 0); /* [hand] 12 pairs, all ties count 0.5 */
    r = ts_mann_whitney(a, 0, b, 4);
    assert_near(r.p, 1.0, 0);
    assert_near(r.u, 0.0, 0);
}

/* ------------------------------------------------------------ HL / Moses */

static void test_hl_reference(void **state)
{
    (void)state;
    const double b5[] = { 10.0, 10.4, 9.7, 10.9, 10.2 };
    const double c6[] = { 11.1, 10.8, 11.9, 10.5, 11.4, 12.2 };
    ts_interval ci;
    assert_int_equal(ts_hl_ratio(b5, 5, c6, 6, 0.05, &ci), 0);
    /* [py-moses] k = 4 */
    assert_near(ci.est, 1.1030551977261922, REL);
    assert_near(ci.lo, 1.0183486238532111, REL);
    assert_near(ci.hi, 1.1960784313725492, REL);
    assert_near(ci.level, 0.9696969696969697, REL);
    assert_int_equal(ts_hl_ratio(b5, 5, c6, 6, 0.01, &ci), 0);
    /* [py-moses] k = 2: the 99% interval contains 1 */
    assert_near(ci.lo, 0.9908256880733946, REL);
    assert_near(ci.hi, 1.2268041237113405, REL);
    assert_near(ci.level, 0.9913419913419913, REL);

    const double b8[] = { 1.00, 1.02, 0.97, 1.05, 0.99, 1.01, 1.04, 0.98 };
    const double c8[] = { 1.06, 1.03, 1.10, 1.08, 1.005, 1.07, 1.12, 1.055 };
    assert_int_equal(ts_hl_ratio(b8, 8, c8, 8, 0.05, &ci), 0);
    /* [py-moses] k = 14 */
    assert_near(ci.est, 1.0591146949691486, REL);
    assert_near(ci.lo, 1.0192307692307692, REL);
    assert_near(ci.hi, 1.0927835051546393, REL);
    assert_near(ci.level, 0.9501165501165502, REL);
    assert_int_equal(ts_hl_ratio(b8, 8, c8, 8, 0.01, &ci), 0);
    assert_near(ci.lo, 1.005, REL); /* [py-moses] k = 8 */
    assert_near(ci.hi, 1.1111111111111112, REL);
    assert_near(ci.level, 0.993006993006993, REL);
}

static void test_hl_shift_and_errors(void **state)
{
    (void)state;
    /* [hand] base {1,2,3}, cur {11,12,13}: differences 8,9,9,10,10,10,11,11,12, median 10 */
    const double b[] = { 1, 2, 3 }, c[] = { 11, 12, 13 };
    ts_interval ci;
    assert_int_equal(ts_hl_shift(b, 3, c, 3, 0.05, &ci), 0);
    assert_near(ci.est, 10.0, 0);
    /* 3 vs 3 can never reach p <= 0.05 (smallest p is 0.1): the interval is unbounded */
    assert_true(isinf(ci.lo) && ci.lo < 0);
    assert_true(isinf(ci.hi) && ci.hi > 0);
    assert_near(ci.level, 1.0, 0);
    /* [hand] null distribution of U for 3 vs 3 (counts of 20 orderings, u = 0..9):
     * 1 1 2 3 3 3 3 2 1 1. alpha 0.15: k = 1 (2 P(U <= 0) = 0.1 <= 0.15 < 2 P(U <= 1) = 0.2),
     * interval [D(1), D(9)] = [8, 12], level 0.9; alpha 0.2: k = 2, [D(2), D(8)] = [9, 11], level 0.8 */
    assert_int_equal(ts_hl_shift(b, 3, c, 3, 0.15, &ci), 0);
    assert_near(ci.lo, 8.0, 0);
    assert_near(ci.hi, 12.0, 0);
    assert_near(ci.level, 0.9, 1e-15);
    assert_int_equal(ts_hl_shift(b, 3, c, 3, 0.2, &ci), 0);
    assert_near(ci.lo, 9.0, 0);
    assert_near(ci.hi, 11.0, 0);
    assert_near(ci.level, 0.8, 1e-15);

    const double neg[] = { 1.0, -2.0, 3.0 };
    assert_int_equal(ts_hl_ratio(neg, 3, c, 3, 0.05, &ci), -1);
    assert_true(isnan(ci.est) && isnan(ci.lo) && isnan(ci.hi));
    const double zero[] = { 1.0, 0.0, 3.0 };
    assert_int_equal(ts_hl_ratio(c, 3, zero, 3, 0.05, &ci), -1);
    assert_int_equal(ts_hl_ratio(b, 0, c, 3, 0.05, &ci), -1);
    assert_int_equal(ts_hl_ratio(b, 3, c, 3, 0.0, &ci), -1);
    assert_int_equal(ts_hl_ratio(b, 3, c, 3, 1.0, &ci), -1);
    const double inf[] = { 1.0, INFINITY };
    assert_int_equal(ts_hl_shift(inf, 2, c, 3, 0.05, &ci), -1);
    /* more than TS_HL_MAX_PAIRS (2^22) differences: refused; exactly 2^22: computed */
    static double big[2049];
    for (size_t i = 0; i < 2049; i++)
        big[i] = 1.0 + (double)i;
    assert_int_equal(ts_hl_shift(big, 2049, big, 2048, 0.05, &ci), -1);
    assert_int_equal(ts_hl_shift(big, 2048, big, 2048, 0.05, &ci), 0);
    assert_near(ci.est, 0.0, 0);
}

/* Draws n values: lognormal-ish around `center`, quantized to `levels` steps per
 * unit when levels > 0 (to produce ties of every kind). */
static void draw(double *x, size_t n, double center, double spread, double levels)
{
    for (size_t i = 0; i < n; i++) {
        double u = rng_unit() + rng_unit() + rng_unit() - 1.5; /* roughly normal, sd 0.5 */
        double v = center * exp(spread * 2.0 * u);
        if (levels > 0)
            v = round(v * levels) / levels;
        if (v <= 0.0)
            v = 1.0 / levels;
        x[i] = v;
    }
}

/* The interval excludes 1 (0 for the shift) exactly when the test rejects at alpha:
 * checked over many constructed data sets of every size class (exact and normal
 * paths), with and without ties, with shifts from none to large, at several alphas
 * including one that equals an attainable exact p-value. */
static void test_hl_agrees_with_test(void **state)
{
    (void)state;
    static const size_t sizes[][2] = { { 1, 1 }, { 1, 5 }, { 2, 2 }, { 3, 3 }, { 4, 4 }, { 4, 6 },
                                       { 5, 5 }, { 7, 3 }, { 8, 8 }, { 10, 10 }, { 12, 9 }, { 20, 20 },
                                       { 50, 50 }, { 60, 45 }, { 2, 90 } };
    static const double alphas[] = { 0.01, 0.05, 0.1, 0.2, 2.0 / 70.0, 0.5 };
    static const double shifts[] = { 1.0, 1.01, 1.05, 1.2, 2.0, 0.9 };
    static const double levels[] = { 0.0, 100.0, 10.0, 2.0 };
    double b[128], c[128], lb[128], lc[128];
    size_t checked = 0, rejected = 0, exact_seen = 0, normal_seen = 0, ties_at_zero = 0;
    rng_state = 12345;
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        for (size_t rep = 0; rep < 12; rep++) {
            size_t na = sizes[s][0], nb = sizes[s][1];
            double shift = shifts[rep % 6];
            double lv = levels[(rep / 3) % 4];
            draw(b, na, 10.0, 0.05, lv);
            draw(c, nb, 10.0 * shift, 0.05, lv);
            for (size_t i = 0; i < na; i++)
                lb[i] = log(b[i]);
            for (size_t j = 0; j < nb; j++)
                lc[j] = log(c[j]);
            ts_mwu tl = ts_mann_whitney(lb, na, lc, nb);
            ts_mwu tr = ts_mann_whitney(b, na, c, nb);
            for (size_t i = 0; i < na; i++)
                for (size_t j = 0; j < nb; j++)
                    ties_at_zero += b[i] == c[j];
            if (tl.exact)
                exact_seen++;
            else
                normal_seen++;
            for (size_t k = 0; k < sizeof alphas / sizeof alphas[0]; k++) {
                double alpha = alphas[k];
                ts_interval ci, sh;
                assert_int_equal(ts_hl_ratio(b, na, c, nb, alpha, &ci), 0);
                assert_int_equal(ts_hl_shift(b, na, c, nb, alpha, &sh), 0);
                int rej = tl.p <= alpha;
                int excl = ci.lo > 1.0 || ci.hi < 1.0;
                if (rej != excl) {
                    print_error("%zu vs %zu alpha %g: p %.17g but interval [%.17g, %.17g]\n", na, nb, alpha,
                                tl.p, ci.lo, ci.hi);
                    fail();
                }
                int rej_raw = tr.p <= alpha;
                int excl_raw = sh.lo > 0.0 || sh.hi < 0.0;
                if (rej_raw != excl_raw) {
                    print_error("shift %zu vs %zu alpha %g: p %.17g but interval [%.17g, %.17g]\n", na, nb,
                                alpha, tr.p, sh.lo, sh.hi);
                    fail();
                }
                if (!(ci.lo <= ci.est && ci.est <= ci.hi && sh.lo <= sh.est && sh.est <= sh.hi)) {
                    print_error("%zu vs %zu alpha %g lv %g: est %.17g [%.17g, %.17g] shift %.17g [%.17g, %.17g] p %g exact %d\n",
                                na, nb, alpha, lv, ci.est, ci.lo, ci.hi, sh.est, sh.lo, sh.hi, tl.p, tl.exact);
                    fail();
                }
                assert_true(ci.level >= 1.0 - alpha - 1e-12 || !tl.exact);
                checked++;
                rejected += (size_t)rej;
            }
        }
    }
    /* the property must have been exercised on both outcomes and both paths */
    assert_true(checked == 15 * 12 * 6);
    assert_true(rejected > checked / 5);
    assert_true(checked - rejected > checked / 5);
    assert_true(exact_seen > 30);
    assert_true(normal_seen > 30);
    assert_true(ties_at_zero > 100);
}

/* Ties exactly at a shift of zero with a p-value right at alpha: the decision at the
 * boundary must still agree (the interval end is open there). */
static void test_hl_agrees_on_tie_boundaries(void **state)
{
    (void)state;
    double b[6], c[6];
    size_t checked = 0, rejected = 0;
    rng_state = 777;
    for (int rep = 0; rep < 3000; rep++) {
        size_t na = 4 + (size_t)(rng_next() % 3), nb = 4 + (size_t)(rng_next() % 3);
        for (size_t i = 0; i < na; i++)
            b[i] = 1.0 + (double)(rng_next() % 4);
        for (size_t j = 0; j < nb; j++)
            c[j] = 1.0 + (double)(rng_next() % 4) + (double)(rng_next() % 2);
        ts_mwu t = ts_mann_whitney(b, na, c, nb); /* monotone transform: same ranks as the logs */
        /* alpha just at, above and below the attained p */
        double alphas[3] = { t.p, nextafter(t.p, 0.0), nextafter(t.p, 1.0) };
        for (int k = 0; k < 3; k++) {
            if (!(alphas[k] > 0.0 && alphas[k] < 1.0))
                continue;
            ts_interval ci, sh;
            assert_int_equal(ts_hl_ratio(b, na, c, nb, alphas[k], &ci), 0);
            assert_int_equal(ts_hl_shift(b, na, c, nb, alphas[k], &sh), 0);
            int rej = t.p <= alphas[k];
            if (rej != (ci.lo > 1.0 || ci.hi < 1.0) || rej != (sh.lo > 0.0 || sh.hi < 0.0)) {
                print_error("%zu v %zu p %.17g alpha %.17g exact %d: ci [%.17g, %.17g] sh [%.17g, %.17g]\n", na, nb,
                            t.p, alphas[k], t.exact, ci.lo, ci.hi, sh.lo, sh.hi);
                for (size_t i = 0; i < na; i++) print_error("b %g\n", b[i]);
                for (size_t j = 0; j < nb; j++) print_error("c %g\n", c[j]);
            }
            assert_int_equal(rej, ci.lo > 1.0 || ci.hi < 1.0);
            assert_int_equal(rej, sh.lo > 0.0 || sh.hi < 0.0);
            checked++;
            rejected += (size_t)rej;
        }
    }
    assert_true(checked > 3000);
    assert_true(rejected > 500 && checked - rejected > 500);
}

/* Heavy ties and a large alpha: the test rejects at every shift, so the interval
 * collapses to the estimate (moved off 0) and still agrees with the test. */
static void test_hl_collapsed(void **state)
{
    (void)state;
    const double b[] = { 2, 4, 3, 3, 3, 2 }, c[] = { 3, 3, 2, 3, 5, 3 };
    ts_mwu t = ts_mann_whitney(b, 6, c, 6);
    assert_int_equal(t.exact, 0);
    assert_near(t.u, 15.0, 0);                  /* [py-enum] */
    assert_near(t.p, 0.6524683072570377, REL);  /* [py-enum] permutation variance 30.8181... */
    ts_interval sh, ci;
    assert_int_equal(ts_hl_shift(b, 6, c, 6, 0.7, &sh), 0);
    assert_near(sh.est, 0.0, 0); /* [hand] 36 differences: 8 negative, 14 zero, 14 positive */
    assert_true(sh.lo == sh.hi);
    assert_true(sh.lo > 0.0); /* U of cur = 14 + 7 = 21 >= 18: the data lean upwards */
    assert_int_equal(ts_hl_ratio(b, 6, c, 6, 0.7, &ci), 0);
    assert_true(ci.lo > 1.0 && ci.lo <= ci.hi);
    /* at alpha 0.6 the test does not reject: an ordinary interval around 0 */
    assert_int_equal(ts_hl_shift(b, 6, c, 6, 0.6, &sh), 0);
    assert_true(sh.lo <= 0.0 && sh.hi >= 0.0);
}

/* ------------------------------------------------------------ Holm, runs */

static void test_holm(void **state)
{
    (void)state;
    /* [hand] sorted 0.005 (x4 = 0.02), 0.01 (x3 = 0.03), 0.03 (x2 = 0.06), 0.04 (x1 = 0.04 -> 0.06 by
     * monotonicity); R's p.adjust(c(.01,.04,.03,.005), "holm") gives 0.03 0.06 0.06 0.02 */
    const double p[] = { 0.01, 0.04, 0.03, 0.005 };
    double adj[4];
    ts_holm(p, 4, adj);
    assert_near(adj[0], 0.03, 1e-15);
    assert_near(adj[1], 0.06, 1e-15);
    assert_near(adj[2], 0.06, 1e-15);
    assert_near(adj[3], 0.02, 1e-15);
    /* [hand] capped at 1; a single p is unchanged; in place */
    double q[] = { 0.6, 0.5, 0.001 };
    ts_holm(q, 3, q);
    assert_near(q[2], 0.003, 1e-15);
    assert_near(q[1], 1.0, 0); /* 0.5 * 2 */
    assert_near(q[0], 1.0, 0); /* 0.6 * 1 -> max(1, ...) */
    double one = 0.2;
    ts_holm(&one, 1, &one);
    assert_near(one, 0.2, 0);
    /* ties keep equal adjusted values */
    const double t[] = { 0.01, 0.01 };
    double ta[2];
    ts_holm(t, 2, ta);
    assert_near(ta[0], 0.02, 1e-15);
    assert_near(ta[1], 0.02, 1e-15);
}

static void test_norm_quantile(void **state)
{
    (void)state;
    /* [py-norm] statistics.NormalDist().inv_cdf */
    assert_near(ts_norm_quantile(0.975), 1.9599639845400536, 1e-14);
    assert_near(ts_norm_quantile(0.8), 0.8416212335729144, 1e-14);
    assert_near(ts_norm_quantile(0.995), 2.5758293035489, 1e-13);
    assert_near(ts_norm_quantile(0.9), 1.2815515655446008, 1e-14);
    assert_near(ts_norm_quantile(1e-10), -6.361340902404056, 1e-12);
    assert_near(ts_norm_quantile(0.5), 0.0, 0);
    assert_true(isinf(ts_norm_quantile(0.0)) && ts_norm_quantile(0.0) < 0);
    assert_true(isinf(ts_norm_quantile(1.0)) && ts_norm_quantile(1.0) > 0);
    assert_true(isnan(ts_norm_quantile(1.5)));
}

static void test_runs_needed(void **state)
{
    (void)state;
    /* [py-norm] 2 (z.975 + z.8)^2 (sd/tol)^2 * pi/3: 65.75 -> 66; 5.918 -> 6; 779.08 -> 780 */
    assert_int_equal(ts_runs_needed(1.0, 0.5, 0.05, 0.8), 66);
    assert_int_equal(ts_runs_needed(0.03, 0.05, 0.05, 0.8), 6);
    assert_int_equal(ts_runs_needed(0.1, 0.02, 0.01, 0.9), 780);
    assert_int_equal(ts_runs_needed(0.0, 0.05, 0.05, 0.8), 2);
    assert_int_equal(ts_runs_needed(0.001, 0.5, 0.05, 0.8), 2); /* at least 2 */
    assert_true(ts_runs_needed(0.03, 0.0, 0.05, 0.8) == SIZE_MAX);
    assert_true(ts_runs_needed(0.03, 0.05, 0.0, 0.8) == SIZE_MAX);
    assert_true(ts_runs_needed(0.03, 0.05, 0.05, 1.0) == SIZE_MAX);
    assert_true(ts_runs_needed(NAN, 0.05, 0.05, 0.8) == SIZE_MAX);
    /* more spread or a finer tolerance never needs fewer runs */
    assert_true(ts_runs_needed(0.06, 0.05, 0.05, 0.8) > ts_runs_needed(0.03, 0.05, 0.05, 0.8));
    assert_true(ts_runs_needed(0.03, 0.02, 0.05, 0.8) > ts_runs_needed(0.03, 0.05, 0.05, 0.8));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quantile_type7_r),
        cmocka_unit_test(test_quantile_type7_unsorted_input),
        cmocka_unit_test(test_quantile_edges),
        cmocka_unit_test(test_mean_sd),
        cmocka_unit_test(test_mwu_exact_r_example),
        cmocka_unit_test(test_mwu_exact_small),
        cmocka_unit_test(test_mwu_normal_with_ties),
        cmocka_unit_test(test_mwu_normal_large),
        cmocka_unit_test(test_mwu_degenerate),
        cmocka_unit_test(test_hl_reference),
        cmocka_unit_test(test_hl_shift_and_errors),
        cmocka_unit_test(test_hl_agrees_with_test),
        cmocka_unit_test(test_hl_agrees_on_tie_boundaries),
        cmocka_unit_test(test_hl_collapsed),
        cmocka_unit_test(test_holm),
        cmocka_unit_test(test_norm_quantile),
        cmocka_unit_test(test_runs_needed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
