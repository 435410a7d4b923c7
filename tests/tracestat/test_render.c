/* test_render.c - output stage: time units, effects in words, JSON escaping
 * and numbers, Markdown tables (escaping, regressions first, <details>), the
 * chrome timeline (nesting clamped to spans), and the baseline round trip. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <unistd.h>

#include <cmocka.h>

#include "baseline.h"
#include "group.h"
#include "read.h"
#include "render.h"

/* Everything written to f, as a malloc'd string. */
static char *slurp_file(FILE *f)
{
    long n;
    char *s;
    fflush(f);
    n = ftell(f);
    assert_true(n >= 0);
    s = malloc((size_t)n + 1);
    assert_non_null(s);
    rewind(f);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    return s;
}

/* 1 when s is one valid JSON value (by the strict reader). */
static int valid_json(const char *s)
{
    size_t n = strlen(s);
    char *c = malloc(n + 1);
    ts_json j;
    int ok;
    memcpy(c, s, n + 1);
    ts_json_init(&j, c, n);
    ok = ts_json_skip(&j) == 0 && ts_json_finish(&j) == 0;
    free(c);
    return ok;
}

static void test_fmt_time(void **state)
{
    static const struct { double ms; const char *want; } cases[] = {
        { 0, "0" },
        { 0.0004, "400.0 ns" },
        { 0.0000005, "0.5 ns" },
        { 0.001, "1.000 us" },
        { 0.25, "250.0 us" },
        { 1.5, "1.500 ms" },
        { 12.25, "12.25 ms" },
        { 999.96, "1.000 s" },
        { 1234.6, "1.235 s" },
        { 98765.0, "98.77 s" },
        { 5000000.0, "5000 s" },
        { -2.5, "-2.500 ms" },
    };
    char buf[32];
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ts_fmt_time(buf, sizeof buf, cases[i].ms);
        if (strcmp(buf, cases[i].want) != 0) fail_msg("%g ms -> '%s', want '%s'", cases[i].ms, buf, cases[i].want);
    }
    ts_fmt_time(buf, sizeof buf, NAN);
    assert_string_equal(buf, "-");
}

static void test_fmt_effect(void **state)
{
    char buf[64];
    (void)state;
    ts_fmt_effect(buf, sizeof buf, 1.073);
    assert_string_equal(buf, "+7.3% slower");
    ts_fmt_effect(buf, sizeof buf, 0.816);
    assert_string_equal(buf, "-18.4% faster");
    ts_fmt_effect(buf, sizeof buf, 1.0);
    assert_string_equal(buf, "no change");
    ts_fmt_effect(buf, sizeof buf, NAN);
    assert_string_equal(buf, "-");
}

static void test_json_writers(void **state)
{
    FILE *f = tmpfile();
    char *s;
    (void)state;
    assert_non_null(f);
    ts_put_jstr(f, "a\"b\\c\n\x01\xc3\xa9|", 10);
    fputc(' ', f);
    ts_put_jnum(f, 0.1);
    fputc(' ', f);
    ts_put_jnum(f, 12.345);
    fputc(' ', f);
    ts_put_jnum(f, 3);
    fputc(' ', f);
    ts_put_jnum(f, -1e300);
    fputc(' ', f);
    ts_put_jnum(f, NAN);
    fputc(' ', f);
    ts_put_jnum(f, INFINITY);
    fputc(' ', f);
    ts_put_jnum(f, 1.0 / 3.0);
    s = slurp_file(f);
    assert_string_equal(s, "\"a\\\"b\\\\c\\n\\u0001\xc3\xa9|\" 0.1 12.345 3 -1e+300 null null 0.3333333333333333");
    free(s);
    fclose(f);
}

/* A set with labels whose per-run medians are given. */
static void fill_label(ts_set *s, const char *name, const double *med, size_t n)
{
    ts_label *l = ts_set_intern(s, name, strlen(name));
    assert_non_null(l);
    for (size_t i = 0; i < n; i++) {
        ts_runstat rs;
        memset(&rs, 0, sizeof rs);
        rs.run = (uint32_t)i;
        rs.calls = 10;
        rs.total = med[i] * 10;
        rs.min = rs.p25 = med[i] * 0.9;
        rs.median = med[i];
        rs.p75 = rs.p90 = rs.p95 = rs.p99 = rs.max = med[i] * 1.1;
        rs.mean = med[i];
        rs.sd = 0.1;
        rs.self_total = NAN;
        rs.cpu_ratio = NAN;
        assert_int_equal(ts_label_push_run(l, &rs), 0);
    }
}

static void test_summary_markdown_and_json(void **state)
{
    ts_set s;
    ts_set *sets[1];
    FILE *f;
    char *out;
    const double m[3] = { 1.0, 2.0, 3.0 };
    (void)state;
    ts_set_init(&s, "runs|dir");
    for (int i = 0; i < 3; i++) {
        char nm[16];
        snprintf(nm, sizeof nm, "run-%d", i);
        ts_set_begin_run(&s, nm);
        s.in_run = 0;
    }
    fill_label(&s, "a|b", m, 3);
    fill_label(&s, "plain", m, 2);
    sets[0] = &s;
    f = tmpfile();
    assert_int_equal(ts_render_summary(f, sets, 1, TS_FMT_MD), 0);
    out = slurp_file(f);
    fclose(f);
    assert_non_null(strstr(out, "### runs\\|dir (3 runs, 2 labels)"));
    assert_non_null(strstr(out, "| `a\\|b` | 3 | 10 | 2.000 ms |"));
    assert_null(strstr(out, "a|b"));
    free(out);

    f = tmpfile();
    assert_int_equal(ts_render_summary(f, sets, 1, TS_FMT_JSON), 0);
    out = slurp_file(f);
    fclose(f);
    assert_true(valid_json(out));
    assert_non_null(strstr(out, "\"label\":\"a|b\",\"runs\":3,\"calls_per_run\":10,\"median_ms\":2,"));
    free(out);

    f = tmpfile();
    assert_int_equal(ts_render_summary(f, sets, 1, TS_FMT_TEXT), 0);
    out = slurp_file(f);
    fclose(f);
    /* label column padded to the widest label, numbers right-aligned */
    assert_non_null(strstr(out, "\nlabel  runs  calls/run"));
    assert_non_null(strstr(out, "\na|b       3         10"));
    free(out);
    ts_set_free(&s);
}

static void test_compare_markdown_order(void **state)
{
    ts_set base, cur;
    ts_comparison c;
    ts_cmp_row rows[3];
    static const double v1[4] = { 0.001, 0.001, 0.001, 0.001 }, v2[4] = { 0.002, 0.002, 0.002, 0.002 };
    FILE *f;
    char *out;
    const char *reg, *det, *unch;
    (void)state;
    ts_set_init(&base, "base");
    ts_set_init(&cur, "cur");
    memset(&c, 0, sizeof c);
    memset(rows, 0, sizeof rows);
    c.base = &base;
    c.cur = &cur;
    c.rows = rows;
    c.n = 3;
    c.exit_code = 1;
    c.n_regressed = 1;
    c.n_unchanged = 1;
    c.n_new = 1;
    for (int i = 0; i < 3; i++) {
        rows[i].c.base = v1;
        rows[i].c.nbase = 4;
        rows[i].c.cur = v2;
        rows[i].c.ncur = 4;
        rows[i].c.ratio = 2.0;
        rows[i].c.p_adj = 0.01;
        rows[i].c.test.p = 0.01;
        rows[i].c.ci.lo = 1.5;
        rows[i].c.ci.hi = 2.5;
        rows[i].c.base_calls = rows[i].c.cur_calls = 10;
        rows[i].tolerance = 0.05;
        snprintf(rows[i].rule, sizeof rows[i].rule, "median:5%%");
    }
    rows[0].c.label = "aaa_unchanged";
    rows[0].c.kind = TS_V_UNCHANGED;
    rows[1].c.label = "zzz|slow";
    rows[1].c.kind = TS_V_REGRESSED;
    rows[1].c.gated = 1;
    rows[1].c.cur_calls = 12;
    rows[2].c.label = "new_one";
    rows[2].c.kind = TS_V_NEW;
    rows[2].c.nbase = 0;
    f = tmpfile();
    assert_int_equal(ts_render_compare(f, &c, TS_FMT_MD), 0);
    out = slurp_file(f);
    fclose(f);
    reg = strstr(out, "| `zzz\\|slow` |");
    det = strstr(out, "<details>");
    unch = strstr(out, "| `aaa_unchanged` |");
    assert_non_null(reg);
    assert_non_null(det);
    assert_non_null(unch);
    assert_true(reg < det && det < unch); /* regressions first, the rest folded */
    assert_non_null(strstr(out, "</details>"));
    assert_non_null(strstr(out, "+100.0% slower"));
    assert_non_null(strstr(out, "[+50.0%, +150.0%]"));
    assert_non_null(strstr(out, "calls/run 10 -> 12"));
    assert_non_null(strstr(out, "**FAIL: 1 slower, 0 faster, 1 unchanged, 0 inconclusive, 1 new (3 labels, 0 vs 0 runs)**"));
    free(out);

    f = tmpfile();
    assert_int_equal(ts_render_compare(f, &c, TS_FMT_JSON), 0);
    out = slurp_file(f);
    fclose(f);
    assert_true(valid_json(out));
    assert_non_null(strstr(out, "\"result\":\"fail\",\"exit_code\":1"));
    free(out);

    f = tmpfile();
    assert_int_equal(ts_render_compare(f, &c, TS_FMT_TEXT), 0);
    out = slurp_file(f);
    fclose(f);
    assert_non_null(strstr(out, "\nFAIL: 1 slower, 0 faster, 1 unchanged, 0 inconclusive, 1 new (3 labels, 0 vs 0 runs)\n"));
    free(out);
    ts_set_free(&base);
    ts_set_free(&cur);
}

static void test_chrome_nesting(void **state)
{
    char path[] = "/tmp/tracestat-test-chrome-XXXXXX";
    int fd = mkstemp(path);
    FILE *f, *o;
    ts_reader *r = ts_reader_new();
    ts_errs errs;
    char err[256];
    char *out;
    const char *paths[1];
    (void)state;
    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    /* child ends 1 us after its parent (rounding): it must be clamped inside;
     * a record without start_us is placed from its ts (end) minus ms. */
    fputs("{\"lvl\":\"INFO\",\"msg\":\"timing\",\"label\":\"child\",\"ms\":0.006,\"span\":\"0000000000000002\",\"parent\":\"0000000000000001\","
          "\"start_us\":1000005,\"pid\":7,\"tid\":8,\"thread\":\"main\",\"cpu_ms\":0.004}\n"
          "{\"lvl\":\"INFO\",\"msg\":\"timing\",\"label\":\"parent\",\"ms\":0.010,\"span\":\"0000000000000001\",\"trace\":\"0000000000000000000000000000abcd\","
          "\"start_us\":1000000,\"pid\":7,\"tid\":8}\n"
          "{\"ts\":\"1970-01-01T00:00:01.000100Z\",\"lvl\":\"INFO\",\"msg\":\"timing\",\"label\":\"late\",\"ms\":0.050,\"pid\":7,\"tid\":8}\n"
          "garbage\n",
          f);
    fclose(f);
    memset(&errs, 0, sizeof errs);
    o = tmpfile();
    paths[0] = path;
    assert_int_equal(ts_render_chrome(o, r, paths, 1, &errs, err, sizeof err), 0);
    out = slurp_file(o);
    fclose(o);
    assert_true(valid_json(out));
    assert_int_equal(errs.count, 1);
    assert_non_null(strstr(out, "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":7,\"tid\":8,\"args\":{\"name\":\"main\"}}"));
    assert_non_null(strstr(out, "\"name\":\"parent\",\"cat\":\"timing\",\"ph\":\"X\",\"ts\":0,\"dur\":10,\"pid\":7,\"tid\":8,"
                                "\"args\":{\"label\":\"parent\",\"trace\":\"0000000000000000000000000000abcd\",\"span\":\"0000000000000001\"}"));
    assert_non_null(strstr(out, "\"name\":\"child\",\"cat\":\"timing\",\"ph\":\"X\",\"ts\":5,\"dur\":5,\"pid\":7,\"tid\":8,\"tdur\":4,"));
    assert_non_null(strstr(out, "\"name\":\"late\",\"cat\":\"timing\",\"ph\":\"X\",\"ts\":50,\"dur\":50,"));
    assert_non_null(strstr(out, "\"epoch_us\":1000000"));
    free(out);
    ts_reader_free(r);
    remove(path);
}

static void test_baseline_round_trip(void **state)
{
    char path[] = "/tmp/tracestat-test-baseline-XXXXXX";
    int fd = mkstemp(path);
    ts_set s, back;
    char err[512];
    const double m[4] = { 1.25, 2.5, 0.001, 1e-9 };
    ts_label *l;
    (void)state;
    assert_true(fd >= 0);
    close(fd);
    ts_set_init(&s, "src \"dir\"");
    for (int i = 0; i < 4; i++) {
        ts_set_begin_run(&s, i == 2 ? "run \\ \"3\"" : "run");
        s.in_run = 0;
    }
    fill_label(&s, "x|y \"q\"", m, 4);
    s.labels[0]->runs[1].from_summary = 1;
    s.labels[0]->runs[1].p95 = NAN;
    s.fp.present = 1;
    snprintf(s.fp.cpu, sizeof s.fp.cpu, "CPU \"9\"");
    s.fp.cores = 4;
    s.levels[TS_LVL_ERROR] = 3;
    assert_int_equal(ts_baseline_save(path, &s, err, sizeof err), 0);
    assert_int_equal(ts_baseline_sniff(path), 1);
    ts_set_init(&back, path);
    if (ts_baseline_load(path, &back, err, sizeof err) != 0) fail_msg("load: %s", err);
    assert_int_equal(back.nruns, 4);
    assert_string_equal(back.run_names[2], "run \\ \"3\"");
    assert_int_equal(back.fp.present, 1);
    assert_string_equal(back.fp.cpu, "CPU \"9\"");
    assert_int_equal(back.fp.cores, 4);
    assert_int_equal(back.levels[TS_LVL_ERROR], 3);
    l = ts_set_find(&back, "x|y \"q\"");
    assert_non_null(l);
    assert_int_equal(l->nruns, 4);
    for (int i = 0; i < 4; i++) {
        assert_true(l->runs[i].median == m[i]); /* exact: shortest round-trip numbers */
        assert_true(l->runs[i].total == s.labels[0]->runs[i].total);
        assert_int_equal(l->runs[i].run, i);
    }
    assert_true(isnan(l->runs[1].p95));
    assert_int_equal(l->runs[1].from_summary, 1);
    assert_true(isnan(l->runs[0].self_total));
    ts_set_free(&back);
    ts_set_free(&s);

    /* not a baseline: -2; broken baseline: -1 with the byte */
    {
        FILE *f = fopen(path, "w");
        fputs("{\"ts\":\"x\",\"lvl\":\"INFO\",\"msg\":\"m\"}\n", f);
        fclose(f);
        assert_int_equal(ts_baseline_sniff(path), 0);
        ts_set_init(&back, path);
        assert_int_equal(ts_baseline_load(path, &back, err, sizeof err), -2);
        ts_set_free(&back);
        f = fopen(path, "w");
        fputs("{\"format\":\"tracestat-baseline\",\"version\":1,\"runs\":[\"a\"],\"labels\":[{\"label\":\"x\",\"run\":[0],\"median\":[1,]}]}", f);
        fclose(f);
        ts_set_init(&back, path);
        assert_int_equal(ts_baseline_load(path, &back, err, sizeof err), -1);
        assert_non_null(strstr(err, "byte"));
        ts_set_free(&back);
        f = fopen(path, "w");
        fputs("{\"format\":\"tracestat-baseline\",\"version\":99,\"labels\":[]}", f);
        fclose(f);
        ts_set_init(&back, path);
        assert_int_equal(ts_baseline_load(path, &back, err, sizeof err), -1);
        assert_non_null(strstr(err, "version 99"));
        ts_set_free(&back);
    }
    remove(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fmt_time),
        cmocka_unit_test(test_fmt_effect),
        cmocka_unit_test(test_json_writers),
        cmocka_unit_test(test_summary_markdown_and_json),
        cmocka_unit_test(test_compare_markdown_order),
        cmocka_unit_test(test_chrome_nesting),
        cmocka_unit_test(test_baseline_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
