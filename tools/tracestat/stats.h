/* stats.h - tracestat's statistics stage: pure functions on plain double arrays.
 *
 * Nothing here knows about JSON, files or labels. Every function is pure: the
 * input arrays are never modified unless the function's name says "sort".
 * Functions that need scratch memory allocate it themselves and degrade as
 * documented when the allocation fails.
 *
 * Definitions used (each one is checked against independent values in
 * tests/tracestat/test_stats.c):
 *
 *   Quantile      Hyndman and Fan (1996) type 7, the default of R's quantile()
 *                 and NumPy's "linear" method: with h = (n - 1) p,
 *                 Q(p) = x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]).
 *
 *   Mann-Whitney  U of the first sample a: #{(i,j): a_i > b_j} + 0.5 #{a_i == b_j}.
 *                 Two-sided p-value. Exact (the null distribution of U counted by
 *                 dynamic programming) when there is no tie in the pooled sample
 *                 and na * nb <= TS_MWU_EXACT_MAX (so every pair up to 50 vs 50);
 *                 otherwise the normal approximation with the tie-corrected
 *                 variance  na nb / 12 * ((N + 1) - sum(t^3 - t) / (N (N - 1)))
 *                 and a continuity correction of 0.5 (the defaults of R's
 *                 wilcox.test and SciPy's mannwhitneyu).
 *                 Exact p = min(1, 2 P(U >= max(u, na nb - u))).
 *
 *   Hodges-Lehmann / Moses  on the log scale: the shift estimate is the median of
 *                 the na nb differences log(cur_j) - log(base_i); the confidence
 *                 interval is the set of shifts d that the same Mann-Whitney test
 *                 (same exact distribution, or the same normal approximation with
 *                 the variance of the observed data) does not reject when applied
 *                 to base and cur * exp(-d). Without ties this is the textbook
 *                 Moses interval [D(k), D(N+1-k)] of the ordered differences.
 *                 Consequence, by construction: the interval on the ratio excludes
 *                 1 exactly when the test on the log values has p <= alpha.
 *
 *   Holm          adjusted p_(i) = max over j <= i of min(1, (m - j + 1) p_(j)),
 *                 p sorted ascending; a label is significant at alpha when its
 *                 adjusted p <= alpha.
 *
 *   runs_needed   per-side sample size of a two-sample normal-theory test,
 *                 n = 2 (z(1 - alpha/2) + z(power))^2 (rel_sd / tolerance)^2,
 *                 divided by the asymptotic relative efficiency of the Wilcoxon /
 *                 Mann-Whitney test against the t test under normal data, 3/pi;
 *                 rounded up, at least 2.
 */
#ifndef TRACESTAT_STATS_H
#define TRACESTAT_STATS_H

#include <stddef.h>

/* Largest na * nb for which the exact distribution is used (when there is no tie). */
#define TS_MWU_EXACT_MAX 2500u
/* Largest na * nb for the Hodges-Lehmann functions: they sort all the pairwise
 * differences (8 bytes each, so at most 32 MiB); beyond, they return -1. */
#define TS_HL_MAX_PAIRS ((size_t)1 << 22)

void   ts_sort(double *x, size_t n);                          /* ascending, NaN-free input */
double ts_quantile(const double *sorted, size_t n, double p); /* Hyndman-Fan type 7; n >= 1; p in [0,1] (clamped) */
double ts_mean(const double *x, size_t n);                    /* NaN when n == 0 */
double ts_sd(const double *x, size_t n);                      /* sample sd (n - 1); 0 when n < 2 */

typedef struct ts_mwu {
    double u;     /* U statistic of the first sample (a) */
    double z;     /* normal-approximation z, signed (> 0 when a tends larger); 0 when exact */
    double p;     /* two-sided p-value; 1 when either sample is empty */
    int    exact; /* 1 when the exact distribution was used */
} ts_mwu;

ts_mwu ts_mann_whitney(const double *a, size_t na, const double *b, size_t nb);

typedef struct ts_interval {
    double est;    /* Hodges-Lehmann estimate of the ratio cur/base (exp of the HL shift on log scale) */
    double lo, hi; /* Moses distribution-free confidence interval on the ratio, level 1 - alpha.
                      lo may be 0 and hi +INFINITY when the samples are too small for the test
                      ever to reject at alpha (for example 3 vs 3 runs at alpha 0.05). */
    double level;  /* achieved confidence level (discrete; >= 1 - alpha) */
} ts_interval;

/* All values must be finite and > 0; returns 0 on success, -1 if not computable
 * (an empty sample, a non-positive or non-finite value, alpha outside (0,1),
 * na * nb > TS_HL_MAX_PAIRS, out of memory); *out is then filled with NaN.
 * The interval excludes 1 exactly when ts_mann_whitney(log base, log cur) has
 * p <= alpha. In the rare case where that test rejects at every shift (heavy
 * ties among the differences and a large alpha) the interval collapses to the
 * estimate, moved off 1 by one ulp if needed, so that it still excludes 1. */
int ts_hl_ratio(const double *base, size_t na, const double *cur, size_t nb, double alpha, ts_interval *out);

/* The same on the raw scale: est is the Hodges-Lehmann shift cur - base (median of
 * the differences cur_j - base_i), lo/hi its Moses interval in the same unit. Any
 * finite values. The interval excludes 0 exactly when ts_mann_whitney(base, cur)
 * has p <= alpha. (Added by helper B; see "Changes by B" in the API note.) */
int ts_hl_shift(const double *base, size_t na, const double *cur, size_t nb, double alpha, ts_interval *out);

void   ts_holm(const double *p, size_t n, double *adjusted); /* Holm step-down adjusted p-values; p may alias adjusted */
size_t ts_runs_needed(double rel_sd, double tolerance, double alpha, double power);
       /* approx runs per side to resolve +-tolerance given relative spread (for 'inconclusive' advice);
          SIZE_MAX when tolerance <= 0 or an argument is out of range, 2 when rel_sd <= 0 */

double ts_norm_quantile(double p); /* inverse standard normal CDF; -inf/+inf at 0/1, NaN outside [0,1] */

#endif
