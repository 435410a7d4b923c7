/* test_simulation.c - deterministic simulation of the compare gate (fixed seed).
 *
 * Model: one value per run, value = 1 ms * (1 + 0.03 Z) with Z standard normal
 * (Box-Muller on a splitmix64 generator written here), 10 runs a side,
 * alpha = 0.05, the statistical gate (Mann-Whitney, Holm, HL/Moses interval).
 *
 * Requirements from issue 5 (Tests):
 *  - 1,000 A/A comparisons: no more than 6% called regressed or improved;
 *  - a true 10% slowdown: called regressed in at least 95% of 1,000 trials.
 * The A/A bound is checked with the default threshold (median:5%) and, to test
 * the significance test itself, with a zero threshold (median:0%), where every
 * significant difference counts. For the latter the exact size of the 10 vs 10
 * test at 0.05 is 2 P(U <= 23) = 0.043257 (computed once in python3 by enumerating
 * all C(20,10) = 184,756 splits: 23 is the largest k with 2 P(U <= k) <= 0.05),
 * so about 43 of 1,000 are expected: the count is also required to be at least
 * 20, so a gate that never rejects fails.
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
#include "verdict.h"

#define TRIALS 1000
#define RUNS 10

static uint64_t rng_state;

static uint64_t rng_next(void) /* splitmix64 */
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* uniform in (0, 1) */
static double rng_unit(void) { return ((double)(rng_next() >> 11) + 0.5) * (1.0 / 9007199254740992.0); }

static double rng_normal(void) /* Box-Muller, one of the pair */
{
    double u1 = rng_unit(), u2 = rng_unit();
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

static void draw(double *x, size_t n, double center, double noise)
{
    for (size_t i = 0; i < n; i++)
        x[i] = center * (1.0 + noise * rng_normal());
}

typedef struct tally {
    size_t kind[8];
} tally;

static tally simulate(uint64_t seed, double slowdown, const char *spec, size_t labels, size_t trials,
                      size_t *any_flagged)
{
    ts_rules rs = { NULL, 0 };
    char err[256];
    assert_int_equal(ts_rule_parse(spec, &rs, err, sizeof err), 0);
    ts_gate_opts opts = { 0.05, 0 };
    tally t;
    memset(&t, 0, sizeof t);
    double base[20][RUNS], cur[20][RUNS];
    ts_label_cmp c[20];
    assert_true(labels <= 20);
    rng_state = seed;
    if (any_flagged)
        *any_flagged = 0;
    for (size_t k = 0; k < trials; k++) {
        int flagged = 0;
        for (size_t l = 0; l < labels; l++) {
            draw(base[l], RUNS, 0.001, 0.03);
            draw(cur[l], RUNS, 0.001 * slowdown, 0.03);
            memset(&c[l], 0, sizeof c[l]);
            c[l].label = "scenario";
            c[l].base = base[l];
            c[l].nbase = RUNS;
            c[l].cur = cur[l];
            c[l].ncur = RUNS;
        }
        ts_decide(c, labels, &rs, &opts);
        for (size_t l = 0; l < labels; l++) {
            t.kind[c[l].kind]++;
            flagged |= c[l].kind == TS_V_REGRESSED || c[l].kind == TS_V_IMPROVED;
        }
        if (any_flagged)
            *any_flagged += (size_t)flagged;
    }
    ts_rules_free(&rs);
    return t;
}

static void test_aa_default_threshold(void **state)
{
    (void)state;
    tally t = simulate(20261124u, 1.0, "median:5%", 1, TRIALS, NULL);
    size_t flagged = t.kind[TS_V_REGRESSED] + t.kind[TS_V_IMPROVED];
    print_message("A/A, median:5%%: %zu regressed, %zu improved, %zu unchanged, %zu inconclusive\n",
                  t.kind[TS_V_REGRESSED], t.kind[TS_V_IMPROVED], t.kind[TS_V_UNCHANGED], t.kind[TS_V_INCONCLUSIVE]);
    assert_true(flagged <= TRIALS * 6 / 100);
    /* with 3% noise and 10 runs the interval usually fits in +-5%: most A/A are 'unchanged' */
    assert_true(t.kind[TS_V_UNCHANGED] >= TRIALS / 2);
    assert_int_equal(t.kind[TS_V_INSUFFICIENT] + t.kind[TS_V_NEW] + t.kind[TS_V_MISSING] + t.kind[TS_V_IGNORED], 0);
}

static void test_aa_zero_threshold(void **state)
{
    (void)state;
    tally t = simulate(7u, 1.0, "median:0%", 1, TRIALS, NULL);
    size_t flagged = t.kind[TS_V_REGRESSED] + t.kind[TS_V_IMPROVED];
    print_message("A/A, median:0%%: %zu regressed, %zu improved\n", t.kind[TS_V_REGRESSED], t.kind[TS_V_IMPROVED]);
    assert_true(flagged <= TRIALS * 6 / 100);
    assert_true(flagged >= 20);
    assert_true(t.kind[TS_V_REGRESSED] >= 5 && t.kind[TS_V_IMPROVED] >= 5); /* both directions occur */
}

static void test_slowdown_10pct(void **state)
{
    (void)state;
    tally t = simulate(424242u, 1.10, "median:5%", 1, TRIALS, NULL);
    print_message("10%% slower, median:5%%: %zu regressed, %zu inconclusive, %zu unchanged\n",
                  t.kind[TS_V_REGRESSED], t.kind[TS_V_INCONCLUSIVE], t.kind[TS_V_UNCHANGED]);
    assert_true(t.kind[TS_V_REGRESSED] >= TRIALS * 95 / 100);
    assert_int_equal(t.kind[TS_V_IMPROVED], 0);
}

/* Twenty labels per comparison, all A/A, zero threshold: Holm keeps the chance
 * that any of the twenty is flagged near alpha (without it: 1 - 0.957^20 = 58%). */
static void test_aa_holm_family(void **state)
{
    (void)state;
    size_t any = 0;
    (void)simulate(99u, 1.0, "median:0%", 20, 300, &any);
    print_message("20 labels A/A x 300: %zu comparisons with any label flagged\n", any);
    assert_true(any <= 300 * 8 / 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aa_default_threshold),
        cmocka_unit_test(test_aa_zero_threshold),
        cmocka_unit_test(test_slowdown_10pct),
        cmocka_unit_test(test_aa_holm_family),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
