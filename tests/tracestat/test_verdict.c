/* test_verdict.c - --fail spec parsing (every form, every syntax error), label
 * globs, rule matching, and the verdict classes on constructed data.
 *
 * Where the expected numbers come from:
 *  [hand]   worked by hand, the working next to the value.
 *  [pytest] pytest-benchmark's documented rule (docs/comparing.rst and utils.py's
 *           PercentageRegressionCheck / DifferenceRegressionCheck): fail when
 *           current / compared * 100 - 100 > NUM for NUM%, current - compared > NUM
 *           for a bare number of seconds. The float values were evaluated once with
 *           python3 (Python floats are IEEE doubles like C's), e.g.
 *           1.1865 / 1.13 * 100 - 100 == 5.000000000000028 although the decimal ratio
 *           is exactly 1.05: pytest-benchmark fails that, and so must --gate=point.
 *  [stats]  values of the statistics stage that test_stats.c checks against
 *           independent references (e.g. the exact p of a 10 vs 10 separation is
 *           2 / C(20,10)).
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

#define assert_near(actual, expected, tol)                                                         \
    do {                                                                                           \
        double a_ = (actual), e_ = (expected), t_ = (tol);                                         \
        if (!(fabs(a_ - e_) <= t_)) {                                                              \
            print_error("%s = %.17g, expected %.17g (tol %g)\n", #actual, a_, e_, t_);             \
            fail();                                                                                \
        }                                                                                          \
    } while (0)

/* ------------------------------------------------------------ parsing */

static ts_rule parse_ok(const char *spec)
{
    ts_rules rs = { NULL, 0 };
    char err[256];
    int rc = ts_rule_parse(spec, &rs, err, sizeof err);
    if (rc != 0) {
        print_error("spec '%s' refused: %s\n", spec, err);
        fail();
    }
    assert_int_equal(rs.n, 1);
    assert_string_equal(err, "");
    ts_rule r = rs.v[0];
    ts_rules_free(&rs);
    return r;
}

static void check_rel(const char *spec, ts_stat st, double frac, double pct)
{
    ts_rule r = parse_ok(spec);
    assert_int_equal(r.ignore, 0);
    assert_int_equal(r.stat, st);
    assert_int_equal(r.relative, 1);
    assert_true(r.threshold == frac); /* exact: one correctly rounded division */
    assert_true(r.percent == pct);
    assert_string_equal(r.glob, "*");
}

static void check_abs(const char *spec, ts_stat st, double seconds)
{
    ts_rule r = parse_ok(spec);
    assert_int_equal(r.ignore, 0);
    assert_int_equal(r.stat, st);
    assert_int_equal(r.relative, 0);
    if (r.threshold != seconds) {
        print_error("'%s': %.17g != %.17g\n", spec, r.threshold, seconds);
        fail();
    }
    assert_string_equal(r.glob, "*");
}

static void test_parse_relative_forms(void **state)
{
    (void)state;
    check_rel("mean:5%", TS_STAT_MEAN, 0.05, 5.0);
    check_rel("median:5%", TS_STAT_MEDIAN, 0.05, 5.0);
    check_rel("p95:10%", TS_STAT_P95, 0.10, 10.0);
    check_rel("p90:1.5%", TS_STAT_P90, 0.015, 1.5);
    check_rel("p99:0.5%", TS_STAT_P99, 0.005, 0.5);
    check_rel("max:20%", TS_STAT_MAX, 0.20, 20.0);
    check_rel("min:5%", TS_STAT_MIN, 0.05, 5.0); /* pytest-benchmark's documented example */
    check_rel("stddev:7%", TS_STAT_STDDEV, 0.07, 7.0);
    check_rel("iqr:150%", TS_STAT_IQR, 1.5, 150.0);
    check_rel("5%", TS_STAT_MEDIAN, 0.05, 5.0);  /* statistic defaults to the median */
    check_rel("0%", TS_STAT_MEDIAN, 0.0, 0.0);
    check_rel("mean:2.5e1%", TS_STAT_MEAN, 0.25, 25.0);
    check_rel("median:.5%", TS_STAT_MEDIAN, 0.005, 0.5);
    check_rel("median:3.%", TS_STAT_MEDIAN, 0.03, 3.0);
}

static void test_parse_absolute_forms(void **state)
{
    (void)state;
    check_abs("min:0.001", TS_STAT_MIN, 0.001);   /* seconds, as in pytest-benchmark */
    check_abs("mean:0.001", TS_STAT_MEAN, 0.001); /* pytest-benchmark's documented example */
    check_abs("2ms", TS_STAT_MEDIAN, 0.002);
    check_abs("250us", TS_STAT_MEDIAN, 0.00025);
    check_abs("500ns", TS_STAT_MEDIAN, 5e-7);
    check_abs("1.5s", TS_STAT_MEDIAN, 1.5);
    check_abs("0.002", TS_STAT_MEDIAN, 0.002);
    check_abs("1e-3", TS_STAT_MEDIAN, 0.001);
    check_abs("1E+0", TS_STAT_MEDIAN, 1.0);
    check_abs("p95:3ms", TS_STAT_P95, 0.003);
    check_abs("max:.5ms", TS_STAT_MAX, 0.0005);
    check_abs("iqr:12", TS_STAT_IQR, 12.0);
    check_abs("median:0.000000000000000000001", TS_STAT_MEDIAN, 1e-21); /* 21 decimals: long mantissa path */
}

static void test_parse_globs_and_ignore(void **state)
{
    (void)state;
    ts_rule r = parse_ok("db.*=median:3%");
    assert_string_equal(r.glob, "db.*");
    assert_int_equal(r.stat, TS_STAT_MEDIAN);
    assert_true(r.threshold == 0.03);
    r = parse_ok("flaky.*=ignore");
    assert_string_equal(r.glob, "flaky.*");
    assert_int_equal(r.ignore, 1);
    r = parse_ok("ignore");
    assert_string_equal(r.glob, "*");
    assert_int_equal(r.ignore, 1);
    r = parse_ok("a=b=p99:2ms"); /* the glob is everything before the last '=' */
    assert_string_equal(r.glob, "a=b");
    assert_int_equal(r.stat, TS_STAT_P99);
    assert_true(r.threshold == 0.002);
    r = parse_ok("x\\*y=5%");
    assert_string_equal(r.glob, "x\\*y");
    char g127[200];
    memset(g127, 'g', 127);
    strcpy(g127 + 127, "=5%");
    r = parse_ok(g127);
    assert_int_equal(strlen(r.glob), 127);
}

static void check_err(const char *spec, const char *want)
{
    ts_rules rs = { NULL, 0 };
    char err[512];
    int rc = ts_rule_parse(spec, &rs, err, sizeof err);
    if (rc != -1 || strcmp(err, want) != 0) {
        print_error("spec '%s': rc %d\n  got  %s\n  want %s\n", spec, rc, err, want);
        fail();
    }
    assert_int_equal(rs.n, 0); /* nothing appended */
    ts_rules_free(&rs);
}

static void test_parse_errors(void **state)
{
    (void)state;
    check_err("median:5x%", "--fail 'median:5x%': column 9: expected '%' or a unit (s, ms, us, ns), got 'x'");
    check_err("", "--fail '': column 1: expected a threshold (like 'median:5%' or '2ms') or 'ignore', got the end");
    check_err("db.*=", "--fail 'db.*=': column 6: expected a threshold (like 'median:5%' or '2ms') or 'ignore', got the end");
    check_err("=median:5%", "--fail '=median:5%': column 1: expected a label glob before '='");
    check_err("avg:5%", "--fail 'avg:5%': column 1: expected a statistic (median, mean, min, max, p90, p95, p99, "
                        "stddev, iqr), 'ignore' or a number, got 'avg'");
    check_err("db=p50:5%", "--fail 'db=p50:5%': column 4: expected a statistic (median, mean, min, max, p90, p95, "
                           "p99, stddev, iqr), 'ignore' or a number, got 'p50'");
    check_err("MEDIAN:5%", "--fail 'MEDIAN:5%': column 1: expected a statistic (median, mean, min, max, p90, p95, "
                           "p99, stddev, iqr), 'ignore' or a number, got 'MEDIAN'");
    check_err("median", "--fail 'median': column 7: expected ':' after 'median', got the end");
    check_err("median=5%x", "--fail 'median=5%x': column 10: expected the end after '%', got 'x'");
    check_err("median 5%", "--fail 'median 5%': column 7: expected ':' after 'median', got ' '");
    check_err("median:", "--fail 'median:': column 8: expected a number, got the end");
    check_err("median:%", "--fail 'median:%': column 8: expected a number, got '%'");
    check_err("median:.%", "--fail 'median:.%': column 9: expected a number, got '%'");
    check_err("median:-5%", "--fail 'median:-5%': column 8: expected a number, got '-'");
    check_err("median: 5%", "--fail 'median: 5%': column 8: expected a number, got ' '");
    check_err("median:1e%", "--fail 'median:1e%': column 10: expected the digits of the exponent, got '%'");
    check_err("median:1e+", "--fail 'median:1e+': column 11: expected the digits of the exponent, got the end");
    check_err("median:5%%", "--fail 'median:5%%': column 10: expected the end after '%', got '%'");
    check_err("median:5% ", "--fail 'median:5% ': column 10: expected the end after '%', got ' '");
    check_err("5min", "--fail '5min': column 2: expected '%' or a unit (s, ms, us, ns), got 'min'");
    check_err("5MS", "--fail '5MS': column 2: expected '%' or a unit (s, ms, us, ns), got 'MS'");
    check_err("5ms%", "--fail '5ms%': column 4: expected the end after the unit, got '%'");
    check_err("5ms5", "--fail '5ms5': column 4: expected the end after the unit, got '5'");
    check_err("2,5%", "--fail '2,5%': column 2: expected '%' or a unit (s, ms, us, ns), got ','");
    check_err("1.2.3%", "--fail '1.2.3%': column 4: expected '%' or a unit (s, ms, us, ns), got '.'");
    check_err("flaky=ignorex", "--fail 'flaky=ignorex': column 7: expected a statistic (median, mean, min, max, "
                               "p90, p95, p99, stddev, iqr), 'ignore' or a number, got 'ignorex'");
    check_err("flaky=ignore:5%", "--fail 'flaky=ignore:5%': column 13: expected the end after 'ignore', got ':'");
    check_err("median:1e999%", "--fail 'median:1e999%': column 8: number out of range");
    check_err("1e400", "--fail '1e400': column 1: number out of range");
    check_err("a\\=5%", "--fail 'a\\=5%': column 2: expected a character after '\\' in the glob, got '='");
    check_err("5\x01", "--fail '5\x01': column 2: expected '%' or a unit (s, ms, us, ns), got byte 0x01");
    char g128[200];
    memset(g128, 'g', 128);
    strcpy(g128 + 128, "=5%");
    char want[400];
    snprintf(want, sizeof want, "--fail '%s': column 128: label glob longer than 127 bytes", g128);
    check_err(g128, want);

    /* a short err buffer is cut, never overrun; NULL err is allowed */
    ts_rules rs = { NULL, 0 };
    char small[12];
    memset(small, 'Z', sizeof small);
    assert_int_equal(ts_rule_parse("median:5x%", &rs, small, 8), -1);
    assert_string_equal(small, "--fail ");
    assert_int_equal(small[8], 'Z');
    assert_int_equal(ts_rule_parse("median:5x%", &rs, NULL, 0), -1);
    assert_int_equal(ts_rule_parse(NULL, &rs, NULL, 0), -1);
    assert_int_equal(rs.n, 0);
}

/* ------------------------------------------------------------ globs, rules */

static void test_glob(void **state)
{
    (void)state;
    assert_true(ts_glob_match("*", ""));
    assert_true(ts_glob_match("*", "anything"));
    assert_true(ts_glob_match("db.*", "db.query"));
    assert_true(ts_glob_match("db.*", "db."));
    assert_false(ts_glob_match("db.*", "db"));
    assert_false(ts_glob_match("db.*", "xdb.query"));
    assert_true(ts_glob_match("*.load", "users.load"));
    assert_true(ts_glob_match("a*b*c", "aXXbYYbZZc"));
    assert_false(ts_glob_match("a*b*c", "aXXbYYbZZ"));
    assert_true(ts_glob_match("a**c", "ac"));
    assert_true(ts_glob_match("h?t", "hat"));
    assert_false(ts_glob_match("h?t", "ht"));
    assert_true(ts_glob_match("h?t", "h\xc3\xa4t"));  /* '?' is one UTF-8 character (a-umlaut) */
    assert_true(ts_glob_match("*\xc3\xa4", "x\xc3\xa4"));
    assert_true(ts_glob_match("x\\*y", "x*y"));
    assert_false(ts_glob_match("x\\*y", "xzy"));
    assert_true(ts_glob_match("q\\?", "q?"));
    assert_false(ts_glob_match("q\\?", "qa"));
    assert_true(ts_glob_match("exact", "exact"));
    assert_false(ts_glob_match("exact", "exact2"));
    assert_false(ts_glob_match("", "x"));
    assert_true(ts_glob_match("", ""));
    assert_false(ts_glob_match(NULL, "x"));
}

static void test_rule_match_last_wins(void **state)
{
    (void)state;
    ts_rules rs = { NULL, 0 };
    char err[256];
    assert_null(ts_rule_match(&rs, "db.query"));
    assert_ptr_equal(ts_rule_for(&rs, "db.query"), ts_rule_default());
    assert_int_equal(ts_rule_parse("median:5%", &rs, err, sizeof err), 0);
    assert_int_equal(ts_rule_parse("db.*=median:3%", &rs, err, sizeof err), 0);
    assert_int_equal(ts_rule_parse("flaky.*=ignore", &rs, err, sizeof err), 0);
    assert_int_equal(ts_rule_parse("db.slow=p95:10%", &rs, err, sizeof err), 0);
    assert_int_equal(rs.n, 4);
    assert_ptr_equal(ts_rule_match(&rs, "http.get"), &rs.v[0]);
    assert_ptr_equal(ts_rule_match(&rs, "db.query"), &rs.v[1]);
    assert_ptr_equal(ts_rule_match(&rs, "flaky.net"), &rs.v[2]);
    assert_ptr_equal(ts_rule_match(&rs, "db.slow"), &rs.v[3]);
    /* a later catch-all overrides everything before it */
    assert_int_equal(ts_rule_parse("mean:7%", &rs, err, sizeof err), 0);
    assert_ptr_equal(ts_rule_match(&rs, "db.slow"), &rs.v[4]);
    assert_ptr_equal(ts_rule_match(&rs, "flaky.net"), &rs.v[4]);
    /* a failed parse appends nothing */
    assert_int_equal(ts_rule_parse("mean:7x", &rs, err, sizeof err), -1);
    assert_int_equal(rs.n, 5);
    ts_rules_free(&rs);
    assert_null(rs.v);
    assert_int_equal(rs.n, 0);

    const ts_rule *d = ts_rule_default();
    assert_string_equal(d->glob, "*");
    assert_int_equal(d->stat, TS_STAT_MEDIAN);
    assert_int_equal(d->relative, 1);
    assert_true(d->threshold == 0.05);
    assert_string_equal(ts_stat_name(TS_STAT_P95), "p95");
    assert_string_equal(ts_stat_name(TS_STAT_IQR), "iqr");
}

static void test_verdict_names(void **state)
{
    (void)state;
    assert_string_equal(ts_verdict_name(TS_V_REGRESSED), "regressed");
    assert_string_equal(ts_verdict_name(TS_V_IMPROVED), "improved");
    assert_string_equal(ts_verdict_name(TS_V_UNCHANGED), "unchanged");
    assert_string_equal(ts_verdict_name(TS_V_INCONCLUSIVE), "inconclusive");
    assert_string_equal(ts_verdict_name(TS_V_INSUFFICIENT), "insufficient");
    assert_string_equal(ts_verdict_name(TS_V_NEW), "new");
    assert_string_equal(ts_verdict_name(TS_V_MISSING), "missing");
    assert_string_equal(ts_verdict_name(TS_V_IGNORED), "ignored");
}

/* ------------------------------------------------------------ verdicts */

/* A fixed pattern of ten relative deviations (sum 0), scaled by `spread`. */
static const double pattern[10] = { -0.9, 0.5, -0.1, 0.7, -0.5, 0.3, 0.9, -0.3, 0.1, -0.7 };

static void fill(double *x, size_t n, double center, double spread, size_t rot)
{
    for (size_t i = 0; i < n; i++)
        x[i] = center * (1.0 + spread * pattern[(i + rot) % 10]);
}

static ts_label_cmp cmp(const char *label, const double *b, size_t nb, const double *c, size_t nc)
{
    ts_label_cmp x;
    memset(&x, 0, sizeof x);
    x.label = label;
    x.base = b;
    x.nbase = nb;
    x.cur = c;
    x.ncur = nc;
    x.base_calls = x.cur_calls = 100;
    return x;
}

static ts_rules rules_of(const char *const *specs, size_t n)
{
    ts_rules rs = { NULL, 0 };
    char err[256];
    for (size_t i = 0; i < n; i++)
        if (ts_rule_parse(specs[i], &rs, err, sizeof err) != 0) {
            print_error("%s\n", err);
            fail();
        }
    return rs;
}

static void test_verdict_classes(void **state)
{
    (void)state;
    double b[10], slow[10], fast[10], same[10], noisy_b[10], noisy_c[10], little[10];
    fill(b, 10, 0.010, 0.01, 0);         /* 10 ms +-0.9% */
    fill(slow, 10, 0.012, 0.01, 3);      /* +20%: completely separated from b */
    fill(fast, 10, 0.008, 0.01, 5);      /* -20% */
    fill(same, 10, 0.010, 0.01, 7);      /* the same values in another order */
    fill(noisy_b, 10, 0.010, 0.3, 0);    /* +-27% */
    fill(noisy_c, 10, 0.0103, 0.3, 4);
    fill(little, 10, 0.0102, 0.001, 2);  /* +2%, very tight */
    double b3[3] = { 0.010, 0.011, 0.009 }, c3[3] = { 0.020, 0.021, 0.019 };

    ts_label_cmp c[9];
    c[0] = cmp("slow", b, 10, slow, 10);
    c[1] = cmp("fast", b, 10, fast, 10);
    c[2] = cmp("same", b, 10, same, 10);
    c[3] = cmp("noisy", noisy_b, 10, noisy_c, 10);
    c[4] = cmp("few", b3, 3, c3, 3);
    c[5] = cmp("added", NULL, 0, slow, 10);
    c[6] = cmp("removed", b, 10, NULL, 0);
    c[7] = cmp("flaky.net", b, 10, slow, 10);
    c[8] = cmp("tight", b, 10, little, 10);
    const char *specs[] = { "median:5%", "flaky.*=ignore" };
    ts_rules rs = rules_of(specs, 2);
    ts_decide(c, 9, &rs, NULL); /* opts NULL: alpha 0.05, statistical gate */

    assert_int_equal(c[0].kind, TS_V_REGRESSED);
    assert_int_equal(c[0].gated, 1);
    assert_int_equal(c[0].test.exact, 1);
    assert_near(c[0].test.p, 2.0 / 184756.0, 1e-18); /* [stats] full separation */
    /* [hand] Holm over the 5 gated labels (slow, fast, same, noisy, tight); slow, fast and tight
     * share the smallest p, so all three get 5p */
    assert_near(c[0].p_adj, 5 * 2.0 / 184756.0, 1e-17);
    assert_near(c[0].ratio, 1.2, 1e-12);     /* [hand] medians 12 ms / 10 ms (same pattern, median of it 0) */
    assert_near(c[0].delta_abs, 0.002, 1e-15);
    assert_true(c[0].ci.lo > 1.05 && c[0].ci.hi < 1.35 && c[0].ci.est > 1.15);
    assert_near(c[0].shift.est, 0.002, 3e-4);
    assert_int_equal(c[0].runs_needed, 0);
    assert_ptr_equal(c[0].rule, &rs.v[0]);

    assert_int_equal(c[1].kind, TS_V_IMPROVED);
    assert_near(c[1].ratio, 0.8, 1e-12);

    assert_int_equal(c[2].kind, TS_V_UNCHANGED); /* interval within +-5% */
    assert_near(c[2].test.p, 1.0, 0);
    assert_true(c[2].ci.lo >= 0.95 && c[2].ci.hi <= 1.05);
    assert_near(c[2].ratio, 1.0, 1e-12);

    assert_int_equal(c[3].kind, TS_V_INCONCLUSIVE);
    assert_true(c[3].ci.lo < 0.95 && c[3].ci.hi > 1.05);
    /* advice: the pooled sd of the log values, +-5%, power 0.8 (or more, never <= 10) */
    {
        double ss = 0.0, m1 = 0.0, m2 = 0.0;
        for (int i = 0; i < 10; i++) {
            m1 += log(noisy_b[i]) / 10;
            m2 += log(noisy_c[i]) / 10;
        }
        for (int i = 0; i < 10; i++)
            ss += (log(noisy_b[i]) - m1) * (log(noisy_b[i]) - m1) + (log(noisy_c[i]) - m2) * (log(noisy_c[i]) - m2);
        size_t want = ts_runs_needed(sqrt(ss / 18), 0.05, 0.05, 0.8);
        assert_true(want > 10);
        assert_int_equal(c[3].runs_needed, want);
    }

    assert_int_equal(c[4].kind, TS_V_INSUFFICIENT);
    assert_int_equal(c[4].gated, 0);
    assert_true(isnan(c[4].p_adj));
    assert_near(c[4].ratio, 2.0, 1e-12); /* effect still measured for display */
    assert_near(c[4].test.p, 0.1, 1e-15);

    assert_int_equal(c[5].kind, TS_V_NEW);
    assert_int_equal(c[5].gated, 0);
    assert_true(isnan(c[5].ratio));
    assert_int_equal(c[6].kind, TS_V_MISSING);
    assert_int_equal(c[6].gated, 0);
    assert_int_equal(c[7].kind, TS_V_IGNORED);
    assert_int_equal(c[7].gated, 0);
    assert_true(isnan(c[7].p_adj));
    assert_ptr_equal(c[7].rule, &rs.v[1]);

    /* +2%, significant, interval inside the +-5% band: evidence of no relevant change */
    assert_int_equal(c[8].kind, TS_V_UNCHANGED);
    assert_true(c[8].p_adj <= 0.05);
    assert_near(c[8].ratio, 1.02, 1e-12);

    /* the same data with a 1% threshold: a regression */
    const char *strict[] = { "tight=median:1%" };
    ts_rules rs2 = rules_of(strict, 1);
    ts_label_cmp t = cmp("tight", b, 10, little, 10);
    ts_decide(&t, 1, &rs2, NULL);
    assert_int_equal(t.kind, TS_V_REGRESSED);
    /* -2%, significant, inside the band: unchanged, not improved; with 1%: improved */
    double little_fast[10];
    fill(little_fast, 10, 0.0098, 0.001, 6);
    t = cmp("tight", b, 10, little_fast, 10);
    ts_decide(&t, 1, &rs, NULL);
    assert_int_equal(t.kind, TS_V_UNCHANGED);
    assert_true(t.p_adj <= 0.05);
    ts_decide(&t, 1, &rs2, NULL);
    assert_int_equal(t.kind, TS_V_IMPROVED);
    /* -4% with +-7% noise: the interval reaches below 0.95 but not above 1.05, and the
     * effect is below the threshold: inconclusive (neither inside the band nor beyond it) */
    double wide[10];
    fill(wide, 10, 0.0096, 0.08, 1);
    t = cmp("wide", b, 10, wide, 10);
    ts_decide(&t, 1, &rs, NULL);
    assert_true(t.ci.lo < 0.95 && t.ci.hi <= 1.05);
    assert_int_equal(t.kind, TS_V_INCONCLUSIVE);
    assert_true(t.runs_needed > 10);
    ts_rules_free(&rs2);
    ts_rules_free(&rs);
}

/* The medians say 6.7% slower, the rank test says significantly faster: the
 * base's upper half is far above the current's. No regression is claimed when
 * the interval does not lie above 1. */
static void test_verdict_direction_must_agree(void **state)
{
    (void)state;
    double b[21], c[21];
    for (int i = 0; i < 10; i++) {
        b[i] = 1.0 + 0.001 * i;        /* low half of the base */
        b[11 + i] = 100.0 + 0.01 * i;  /* high half of the base */
        c[i] = 0.5 + 0.001 * i;        /* low half of the current: below everything */
    }
    b[10] = 3.0; /* the base's median */
    for (int i = 0; i < 11; i++)
        c[10 + i] = 3.2 + 0.001 * i;   /* the current's median is 3.2 */
    ts_label_cmp x = cmp("odd", b, 21, c, 21);
    ts_decide(&x, 1, NULL, NULL);
    assert_near(x.ratio, 3.2 / 3.0, 1e-12);
    /* [hand] U of cur = 11 x 11 (3.2.. above 1.0.. and 3.0) = 121 of 441, mean 220.5 */
    assert_near(x.test.u, 441.0 - 121.0, 0);
    assert_true(x.p_adj <= 0.05);
    assert_true(x.ci.hi < 1.0);
    assert_int_equal(x.kind, TS_V_INCONCLUSIVE);
}

static void test_verdict_absolute(void **state)
{
    (void)state;
    double b[10], c13[10], c11[10], c1001[10];
    fill(b, 10, 0.010, 0.01, 0);
    fill(c13, 10, 0.013, 0.01, 1);   /* +3 ms */
    fill(c11, 10, 0.011, 0.01, 2);   /* +1 ms, significant */
    fill(c1001, 10, 0.01001, 0.01, 3); /* +0.01 ms, overlapping */
    const char *specs[] = { "2ms" };
    ts_rules rs = rules_of(specs, 1);
    ts_label_cmp c[3] = { cmp("a", b, 10, c13, 10), cmp("b", b, 10, c11, 10), cmp("c", b, 10, c1001, 10) };
    ts_decide(c, 3, &rs, NULL);
    assert_int_equal(c[0].kind, TS_V_REGRESSED); /* 3 ms > 2 ms */
    assert_near(c[0].delta_abs, 0.003, 1e-15);
    assert_int_equal(c[1].kind, TS_V_UNCHANGED); /* significant but 1 ms, and the shift interval is inside +-2 ms */
    assert_true(c[1].p_adj <= 0.05);
    assert_true(c[1].shift.lo >= -0.002 && c[1].shift.hi <= 0.002);
    assert_int_equal(c[2].kind, TS_V_UNCHANGED);
    assert_true(c[2].p_adj > 0.05);

    /* improved: -3 ms */
    ts_label_cmp d = cmp("d", c13, 10, b, 10);
    ts_decide(&d, 1, &rs, NULL);
    assert_int_equal(d.kind, TS_V_IMPROVED);

    /* -1 ms with +-22% noise: the shift interval reaches below -2 ms only: inconclusive */
    double wide[10];
    fill(wide, 10, 0.0090, 0.25, 1);
    ts_label_cmp w = cmp("w", b, 10, wide, 10);
    ts_decide(&w, 1, &rs, NULL);
    assert_true(w.shift.lo < -0.002 && w.shift.hi <= 0.002);
    assert_int_equal(w.kind, TS_V_INCONCLUSIVE);
    assert_true(w.runs_needed > 10);

    /* the absolute rule with zero durations (a sub-microsecond scope logs 0.000 ms):
     * the log-scale interval is not computable, the shift interval decides */
    double z0[6] = { 0, 0, 0.000001, 0, 0, 0.000001 }, z1[6] = { 0.004, 0.0041, 0.0039, 0.004, 0.0042, 0.0038 };
    ts_label_cmp e = cmp("zeros", z0, 6, z1, 6);
    ts_decide(&e, 1, &rs, NULL);
    assert_true(isnan(e.ci.lo));
    assert_int_equal(e.kind, TS_V_REGRESSED);
    assert_true(isinf(e.ratio));
    ts_rules_free(&rs);
}

/* Holm: four labels each with the smallest 4 vs 4 p (2/70 = 0.0286) are each
 * significant alone, but not after the correction over 4 labels (4 x 0.0286). */
static void test_verdict_holm(void **state)
{
    (void)state;
    const double b[4] = { 1.00, 1.01, 0.99, 1.02 }, c[4] = { 1.30, 1.31, 1.29, 1.32 };
    ts_label_cmp one = cmp("x", b, 4, c, 4);
    ts_decide(&one, 1, NULL, NULL);
    assert_near(one.test.p, 2.0 / 70.0, 1e-15);
    assert_near(one.p_adj, 2.0 / 70.0, 1e-15);
    assert_int_equal(one.kind, TS_V_REGRESSED);

    ts_label_cmp four[4] = { cmp("a", b, 4, c, 4), cmp("b", b, 4, c, 4), cmp("c", b, 4, c, 4), cmp("d", b, 4, c, 4) };
    ts_decide(four, 4, NULL, NULL);
    for (int i = 0; i < 4; i++) {
        assert_near(four[i].p_adj, 4 * 2.0 / 70.0, 1e-15); /* [hand] Holm: 4p, 3p, 2p, p -> running max 4p */
        assert_int_equal(four[i].kind, TS_V_INCONCLUSIVE);
        assert_true(four[i].ci.lo > 1.0); /* the unadjusted interval still excludes 1 */
        assert_true(four[i].runs_needed > 4);
    }
    /* alpha 0.2 via the options: 4 x 0.0286 = 0.114 <= 0.2 */
    ts_gate_opts o = { 0.2, 0 };
    ts_decide(four, 4, NULL, &o);
    for (int i = 0; i < 4; i++)
        assert_int_equal(four[i].kind, TS_V_REGRESSED);
    /* ignored labels do not count in Holm */
    const char *specs[] = { "b=ignore", "c=ignore", "d=ignore" };
    ts_rules rs = rules_of(specs, 3);
    ts_decide(four, 4, &rs, NULL);
    assert_int_equal(four[0].kind, TS_V_REGRESSED);
    assert_near(four[0].p_adj, 2.0 / 70.0, 1e-15);
    assert_int_equal(four[1].kind, TS_V_IGNORED);
    ts_rules_free(&rs);
}

static void test_verdict_degenerate(void **state)
{
    (void)state;
    const double same[5] = { 0.002, 0.002, 0.002, 0.002, 0.002 };
    ts_label_cmp c = cmp("const", same, 5, same, 5);
    ts_decide(&c, 1, NULL, NULL);
    assert_int_equal(c.kind, TS_V_UNCHANGED);
    assert_near(c.test.p, 1.0, 0);
    assert_near(c.ratio, 1.0, 0);
    const double zeros[4] = { 0, 0, 0, 0 };
    c = cmp("zeros", zeros, 4, zeros, 4);
    ts_decide(&c, 1, NULL, NULL);
    assert_int_equal(c.kind, TS_V_UNCHANGED);
    assert_near(c.ratio, 1.0, 0);
    /* a zero among the runs: no log-scale interval; the relative band is checked on the
     * shift interval divided by the baseline median */
    const double zb[10] = { 0, 0.0100, 0.0101, 0.0099, 0.0100, 0.0102, 0.0098, 0.0100, 0.0101, 0.0099 };
    const double zc[10] = { 0.0101, 0.0099, 0, 0.0100, 0.0102, 0.0100, 0.0098, 0.0101, 0.0099, 0.0100 };
    c = cmp("zero", zb, 10, zc, 10);
    ts_decide(&c, 1, NULL, NULL);
    assert_true(isnan(c.ci.lo));
    assert_true(c.shift.lo >= -0.0005 && c.shift.hi <= 0.0005);
    assert_int_equal(c.kind, TS_V_UNCHANGED);
    ts_label_cmp none = cmp("none", NULL, 0, NULL, 0);
    ts_decide(&none, 1, NULL, NULL);
    assert_int_equal(none.kind, TS_V_INSUFFICIENT);
    ts_decide(NULL, 0, NULL, NULL); /* no crash */
}

/* --gate=point: pytest-benchmark's plain rule on the same data. */
static void test_gate_point(void **state)
{
    (void)state;
    ts_gate_opts o = { 0.05, 1 };
    const char *specs[] = { "mean:5%", "m.*=min:5%", "abs=mean:0.001", "z=median:5%" };
    ts_rules rs = rules_of(specs, 4);

    /* [pytest] 1.1865 / 1.13 * 100 - 100 = 5.000000000000028 > 5: fails in pytest-benchmark */
    const double b1[1] = { 1.13 }, c1[1] = { 1.1865 };
    ts_label_cmp x = cmp("one", b1, 1, c1, 1);
    ts_decide(&x, 1, &rs, &o);
    assert_int_equal(x.kind, TS_V_REGRESSED); /* one run a side is enough in point mode */
    assert_int_equal(x.gated, 1);
    assert_near(x.base_point, 1.13, 0);
    assert_near(x.cur_point, 1.1865, 0);
    /* [pytest] 2.1 / 2.0 * 100 - 100 = 5.0: not > 5, passes */
    const double b2[1] = { 2.0 }, c2[1] = { 2.1 };
    x = cmp("two", b2, 1, c2, 1);
    ts_decide(&x, 1, &rs, &o);
    assert_int_equal(x.kind, TS_V_UNCHANGED);
    /* mean of the per-run means: [hand] base (1.0+1.2+1.1)/3 = 1.1, cur (1.2+1.2+1.23)/3 = 1.21: +10% */
    const double b3[3] = { 1.0, 1.2, 1.1 }, c3[3] = { 1.2, 1.2, 1.23 };
    x = cmp("three", b3, 3, c3, 3);
    ts_decide(&x, 1, &rs, &o);
    assert_int_equal(x.kind, TS_V_REGRESSED);
    assert_near(x.base_point, 1.1, 1e-15);
    assert_near(x.cur_point, 1.21, 1e-15);
    /* the statistical gate on the same data: 3 runs a side are insufficient */
    ts_decide(&x, 1, &rs, NULL);
    assert_int_equal(x.kind, TS_V_INSUFFICIENT);
    assert_true(isnan(x.base_point));
    /* min of the per-run minima: [pytest] 0.96 / 0.9 * 100 - 100 = 6.666666666666671 > 5 */
    const double b4[3] = { 1.0, 0.9, 1.1 }, c4[3] = { 0.96, 1.2, 1.3 };
    x = cmp("m.load", b4, 3, c4, 3);
    ts_decide(&x, 1, &rs, &o);
    assert_int_equal(x.kind, TS_V_REGRESSED);
    assert_near(x.base_point, 0.9, 0);
    assert_near(x.cur_point, 0.96, 0);
    /* improved in the mirrored case (display only) */
    x = cmp("m.load", c4, 3, b4, 3);
    ts_decide(&x, 1, &rs, &o);
    assert_int_equal(x.kind, TS_V_IMPROVED);
    /* absolute seconds: [pytest] 0.0021 - 0.001 = 0.0010999999999999998 > 0.001 */
    const double b5[1] = { 0.001 }, c5[1] = { 0.0021 }, c6[1] = { 0.0019 };
    x = cmp("abs", b5, 1, c5, 1);
    ts_decide(&x, 1, &rs, &o);
    assert_int_equal(x.kind, TS_V_REGRESSED);
    x = cmp("abs", b5, 1, c6, 1);
    ts_decide(&x, 1, &rs, &o);
    assert_int_equal(x.kind, TS_V_UNCHANGED);
    /* [pytest] 0.002 - 0.001 == 0.001 exactly: not > 0.001, passes */
    const double c8[1] = { 0.002 };
    x = cmp("abs", b5, 1, c8, 1);
    ts_decide(&x, 1, &rs, &o);
    assert_int_equal(x.kind, TS_V_UNCHANGED);
    /* [pytest] a zero baseline compares as +inf: fails even when the current is 0 too */
    const double zb[1] = { 0.0 };
    x = cmp("z", zb, 1, zb, 1);
    ts_decide(&x, 1, &rs, &o);
    assert_int_equal(x.kind, TS_V_REGRESSED);
    /* median of the per-run values for the median rule */
    const double b7[5] = { 1, 5, 2, 4, 3 }, c7[5] = { 3.1, 3.2, 3.16, 9, 0.1 };
    x = cmp("z", b7, 5, c7, 5);
    ts_decide(&x, 1, &rs, &o);
    assert_near(x.base_point, 3.0, 0);
    assert_near(x.cur_point, 3.16, 0);
    assert_int_equal(x.kind, TS_V_REGRESSED); /* [pytest] 3.16 / 3 * 100 - 100 = 5.33 */
    /* ignore, new and missing behave the same in point mode */
    const char *ign[] = { "ignore" };
    ts_rules ri = rules_of(ign, 1);
    x = cmp("one", b1, 1, c1, 1);
    ts_decide(&x, 1, &ri, &o);
    assert_int_equal(x.kind, TS_V_IGNORED);
    x = cmp("one", NULL, 0, c1, 1);
    ts_decide(&x, 1, &rs, &o);
    assert_int_equal(x.kind, TS_V_NEW);
    ts_rules_free(&ri);
    ts_rules_free(&rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_relative_forms),
        cmocka_unit_test(test_parse_absolute_forms),
        cmocka_unit_test(test_parse_globs_and_ignore),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_glob),
        cmocka_unit_test(test_rule_match_last_wins),
        cmocka_unit_test(test_verdict_names),
        cmocka_unit_test(test_verdict_classes),
        cmocka_unit_test(test_verdict_absolute),
        cmocka_unit_test(test_verdict_holm),
        cmocka_unit_test(test_verdict_direction_must_agree),
        cmocka_unit_test(test_verdict_degenerate),
        cmocka_unit_test(test_gate_point),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
