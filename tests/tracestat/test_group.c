/* test_group.c - records to runs to labels: per-run statistics (type 7
 * quantiles worked out by hand below), self time from span/parent, cpu ratio,
 * summary-mode records, level counts, slowest and error traces. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#include "group.h"
#include "read.h"

/* Parse one JSON line and add it to the set. */
static void add(ts_set *s, const char *line)
{
    size_t n = strlen(line);
    char *buf = malloc(n + 1);
    ts_record r;
    const char *why = NULL;
    size_t col;
    assert_non_null(buf);
    memcpy(buf, line, n);
    if (ts_parse_line(buf, n, &r, &why, &col) != 1) fail_msg("bad test line (%s): %s", why ? why : "", line);
    assert_int_equal(ts_set_add(s, &r), 0);
    free(buf);
}

static void timing(ts_set *s, const char *label, double ms, const char *extra)
{
    char line[512];
    snprintf(line, sizeof line, "{\"lvl\":\"INFO\",\"msg\":\"timing\",\"label\":\"%s\",\"ms\":%.3f%s}", label, ms, extra ? extra : "");
    add(s, line);
}

static void test_per_run_quantiles(void **state)
{
    ts_set s;
    ts_label *l;
    const ts_runstat *rs;
    (void)state;
    ts_set_init(&s, "t");
    ts_set_begin_run(&s, "r1");
    /* values 4, 1, 3, 2 (unsorted on purpose) */
    timing(&s, "a", 4, NULL);
    timing(&s, "a", 1, NULL);
    timing(&s, "a", 3, NULL);
    timing(&s, "a", 2, NULL);
    ts_set_end_run(&s);
    l = ts_set_find(&s, "a");
    assert_non_null(l);
    assert_int_equal(l->nruns, 1);
    rs = &l->runs[0];
    /* type 7 on 1,2,3,4: h = 3p; Q = x[floor h] + frac(h) * (x[floor h + 1] - x[floor h]) */
    assert_true(rs->calls == 4 && rs->total == 10 && rs->min == 1 && rs->max == 4);
    assert_true(fabs(rs->p25 - 1.75) < 1e-12);   /* h = 0.75 */
    assert_true(fabs(rs->median - 2.5) < 1e-12); /* h = 1.5 */
    assert_true(fabs(rs->p75 - 3.25) < 1e-12);   /* h = 2.25 */
    assert_true(fabs(rs->p90 - 3.7) < 1e-12);    /* h = 2.7 */
    assert_true(fabs(rs->p95 - 3.85) < 1e-12);   /* h = 2.85 */
    assert_true(fabs(rs->p99 - 3.97) < 1e-12);   /* h = 2.97 */
    assert_true(fabs(rs->mean - 2.5) < 1e-12);
    assert_true(fabs(rs->sd - sqrt(5.0 / 3.0)) < 1e-12); /* sum of squares 5, n - 1 = 3 */
    assert_true(isnan(rs->self_total));
    assert_true(isnan(rs->cpu_ratio));
    assert_int_equal(rs->from_summary, 0);
    ts_set_free(&s);
}

static void test_runs_and_missing_labels(void **state)
{
    ts_set s;
    ts_label *a, *b;
    (void)state;
    ts_set_init(&s, "t");
    ts_set_begin_run(&s, "r1");
    timing(&s, "a", 1, NULL);
    timing(&s, "b", 5, NULL);
    ts_set_end_run(&s);
    ts_set_begin_run(&s, "r2");
    timing(&s, "a", 2, NULL);
    timing(&s, "a", 2, NULL);
    ts_set_end_run(&s);
    ts_set_begin_run(&s, "r3");
    timing(&s, "a", 3, NULL);
    ts_set_end_run(&s);
    assert_int_equal(s.nruns, 3);
    a = ts_set_find(&s, "a");
    b = ts_set_find(&s, "b");
    assert_int_equal(a->nruns, 3);
    assert_int_equal(b->nruns, 1);
    assert_int_equal(b->runs[0].run, 0);
    assert_int_equal(a->runs[1].run, 1);
    assert_true(a->runs[1].calls == 2);
    /* medians per run 1, 2, 3 -> 2; calls per run 1, 2, 1 -> 1 */
    assert_true(ts_label_median_of(a, offsetof(ts_runstat, median)) == 2.0);
    assert_true(ts_label_median_of(a, offsetof(ts_runstat, calls)) == 1.0);
    assert_null(ts_set_find(&s, "c"));
    assert_int_equal(s.timing, 5);
    ts_set_free(&s);
}

static void test_self_time_from_spans(void **state)
{
    ts_set s;
    (void)state;
    ts_set_init(&s, "t");
    ts_set_begin_run(&s, "r1");
    /* root R (10 ms) with children C1 (3 ms) and C2 (2 ms); C1 has child G (1 ms).
     * Records arrive as scopes end: G, C1, C2, R. */
    timing(&s, "g", 1, ",\"span\":\"0000000000000004\",\"parent\":\"0000000000000002\"");
    timing(&s, "c", 3, ",\"span\":\"0000000000000002\",\"parent\":\"0000000000000001\"");
    timing(&s, "c", 2, ",\"span\":\"0000000000000003\",\"parent\":\"0000000000000001\"");
    timing(&s, "r", 10, ",\"span\":\"0000000000000001\",\"parent\":null");
    ts_set_end_run(&s);
    assert_true(fabs(ts_set_find(&s, "r")->runs[0].self_total - 5.0) < 1e-9); /* 10 - 3 - 2 */
    assert_true(fabs(ts_set_find(&s, "c")->runs[0].self_total - 4.0) < 1e-9); /* (3 - 1) + 2 */
    assert_true(fabs(ts_set_find(&s, "g")->runs[0].self_total - 1.0) < 1e-9);
    assert_int_equal(s.npend, 0);
    ts_set_free(&s);
}

static void test_self_time_many_open_spans(void **state)
{
    /* 3000 nested scopes (a deep chain), children first: every parent's
     * self time is 1 ms. Exercises growth and deletion of the pending table. */
    ts_set s;
    char extra[128];
    const int depth = 3000;
    (void)state;
    ts_set_init(&s, "t");
    ts_set_begin_run(&s, "r1");
    for (int i = depth; i >= 1; i--) {
        /* scope i has parent i-1 and lasts (depth - i + 1) ms */
        if (i > 1)
            snprintf(extra, sizeof extra, ",\"span\":\"%016x\",\"parent\":\"%016x\"", (unsigned)i * 2654435761u, (unsigned)(i - 1) * 2654435761u);
        else
            snprintf(extra, sizeof extra, ",\"span\":\"%016x\"", (unsigned)i * 2654435761u);
        timing(&s, "chain", (double)(depth - i + 1), extra);
    }
    ts_set_end_run(&s);
    assert_true(fabs(ts_set_find(&s, "chain")->runs[0].self_total - depth) < 1e-6);
    assert_true(fabs(ts_set_find(&s, "chain")->runs[0].total - (double)depth * (depth + 1) / 2) < 1e-6);
    ts_set_free(&s);
}

static void test_cpu_ratio_and_levels(void **state)
{
    ts_set s;
    ts_label *l;
    (void)state;
    ts_set_init(&s, "t");
    ts_set_begin_run(&s, "r1");
    timing(&s, "w", 10, ",\"cpu_ms\":1");
    timing(&s, "w", 10, ",\"cpu_ms\":5");
    timing(&s, "w", 10, ",\"cpu_ms\":9");
    add(&s, "{\"lvl\":\"DEBUG\",\"msg\":\"d\"}");
    add(&s, "{\"lvl\":\"WARNING\",\"msg\":\"w\"}");
    add(&s, "{\"lvl\":\"ERROR\",\"msg\":\"e1\",\"trace\":\"000000000000000a000000000000000b\"}");
    add(&s, "{\"lvl\":\"CRITICAL\",\"msg\":\"e2\",\"trace\":\"000000000000000a000000000000000b\"}");
    add(&s, "{\"lvl\":\"ERROR\",\"msg\":\"e3\"}");
    add(&s, "{\"lvl\":\"TRACE\",\"msg\":\"x\"}");
    ts_set_end_run(&s);
    l = ts_set_find(&s, "w");
    assert_true(fabs(l->runs[0].cpu_ratio - 0.5) < 1e-6); /* ratios .1 .5 .9 stored as float */
    assert_int_equal(s.levels[TS_LVL_DEBUG], 1);
    assert_int_equal(s.levels[TS_LVL_INFO], 3);
    assert_int_equal(s.levels[TS_LVL_WARNING], 1);
    assert_int_equal(s.levels[TS_LVL_ERROR], 2);
    assert_int_equal(s.levels[TS_LVL_CRITICAL], 1);
    assert_int_equal(s.levels[TS_LVL_OTHER], 1);
    assert_int_equal(s.error_records, 3); /* ERROR 2 + CRITICAL 1 */
    assert_int_equal(s.nerrtraces, 1); /* one distinct trace */
    assert_true(s.errtraces[0].trace_hi == 0xa && s.errtraces[0].trace_lo == 0xb);
    assert_string_equal(s.errtraces[0].msg, "e1");
    assert_int_equal(s.records, 9);
    ts_set_free(&s);
}

static void test_slowest_roots(void **state)
{
    ts_set s;
    char extra[160];
    (void)state;
    ts_set_init(&s, "t");
    ts_set_begin_run(&s, "r1");
    for (int i = 1; i <= 9; i++) {
        /* roots with ms 1..9 in a shuffled order; children never count */
        int ms = (i * 4) % 9 + 1;
        snprintf(extra, sizeof extra, ",\"trace\":\"%032x\",\"span\":\"%016x\"", ms, i);
        timing(&s, "root", ms, extra);
        snprintf(extra, sizeof extra, ",\"trace\":\"%032x\",\"span\":\"%016x\",\"parent\":\"%016x\"", ms, 100 + i, 1000 + i);
        timing(&s, "child", 50, extra);
    }
    ts_set_end_run(&s);
    assert_int_equal(s.nslowest, TS_SLOWEST_KEEP);
    for (int k = 0; k < TS_SLOWEST_KEEP; k++) {
        assert_true(s.slowest[k].ms == 9 - k);
        assert_true(s.slowest[k].trace_lo == (uint64_t)(9 - k));
        assert_string_equal(s.slowest[k].label, "root");
    }
    ts_set_free(&s);
}

static void test_summary_records(void **state)
{
    ts_set s;
    ts_label *l;
    (void)state;
    ts_set_init(&s, "t");
    ts_set_begin_run(&s, "r1");
    add(&s, "{\"lvl\":\"INFO\",\"msg\":\"timing_summary\",\"label\":\"hot\",\"count\":10,\"total_ms\":5,\"min_ms\":0.1,\"max_ms\":2,"
            "\"p50_ms\":0.3,\"p90_ms\":0.9,\"p99_ms\":1.9}");
    /* a later flush of the same label wins */
    add(&s, "{\"lvl\":\"INFO\",\"msg\":\"timing_summary\",\"label\":\"hot\",\"count\":20,\"total_ms\":8,\"min_ms\":0.1,\"max_ms\":2,"
            "\"p50_ms\":0.35,\"p90_ms\":0.9,\"p99_ms\":1.9}");
    ts_set_end_run(&s);
    ts_set_begin_run(&s, "r2");
    /* individual records take precedence over a summary in the same run */
    add(&s, "{\"lvl\":\"INFO\",\"msg\":\"timing_summary\",\"label\":\"hot\",\"count\":99,\"total_ms\":99}");
    timing(&s, "hot", 7, NULL);
    ts_set_end_run(&s);
    l = ts_set_find(&s, "hot");
    assert_int_equal(l->nruns, 2);
    assert_int_equal(l->runs[0].from_summary, 1);
    assert_true(l->runs[0].calls == 20 && l->runs[0].total == 8 && l->runs[0].median == 0.35);
    assert_true(fabs(l->runs[0].mean - 0.4) < 1e-12);
    assert_true(isnan(l->runs[0].p95) && isnan(l->runs[0].p25));
    assert_int_equal(l->runs[1].from_summary, 0);
    assert_true(l->runs[1].calls == 1 && l->runs[1].median == 7);
    assert_int_equal(s.summaries, 3);
    ts_set_free(&s);
}

static void test_read_path_directory(void **state)
{
    char dir[] = "/tmp/tracestat-test-group-XXXXXX";
    char p[256];
    FILE *f;
    ts_set s;
    ts_reader *r = ts_reader_new();
    char err[512];
    (void)state;
    assert_non_null(mkdtemp(dir));
    /* written out of order: runs are read in name order */
    snprintf(p, sizeof p, "%s/run-02.jsonl", dir);
    f = fopen(p, "w");
    fputs("{\"lvl\":\"INFO\",\"msg\":\"timing\",\"label\":\"x\",\"ms\":2}\nbad line\n", f);
    fclose(f);
    snprintf(p, sizeof p, "%s/run-01.jsonl", dir);
    f = fopen(p, "w");
    fputs("{\"lvl\":\"INFO\",\"msg\":\"timing\",\"label\":\"x\",\"ms\":1}\n", f);
    fclose(f);
    snprintf(p, sizeof p, "%s/notes.txt", dir);
    f = fopen(p, "w");
    fputs("ignored\n", f);
    fclose(f);
    snprintf(p, sizeof p, "%s/fingerprint.json", dir);
    f = fopen(p, "w");
    fputs("{\"format\":\"tracestat-fingerprint\",\"version\":1,\"cpu\":\"Test CPU\",\"cores\":8,\"os\":\"TestOS\",\"kernel\":\"K 1\","
          "\"machine\":\"m\",\"command\":\"./demo --x\",\"argv\":[\"./demo\"],\"created\":\"2026-01-01T00:00:00Z\",\"runs_total\":2,"
          "\"warmup\":1,\"runs_failed\":0,\"runs\":[]}",
          f);
    fclose(f);
    ts_set_init(&s, dir);
    assert_int_equal(ts_set_read_path(&s, r, dir, err, sizeof err), 0);
    assert_int_equal(s.nruns, 2);
    assert_string_equal(s.run_names[0], "run-01.jsonl");
    assert_true(ts_set_find(&s, "x")->runs[0].median == 1);
    assert_true(ts_set_find(&s, "x")->runs[1].median == 2);
    assert_int_equal(s.errs.count, 1);
    assert_int_equal(s.errs.kept[0].line, 2);
    assert_non_null(strstr(s.errs.kept[0].file, "run-02.jsonl"));
    assert_int_equal(s.fp.present, 1);
    assert_string_equal(s.fp.cpu, "Test CPU");
    assert_int_equal(s.fp.cores, 8);
    assert_string_equal(s.fp.command, "./demo --x");
    assert_int_equal(s.fp.warmup, 1);
    ts_set_free(&s);
    /* a missing path is an error with the reason */
    ts_set_init(&s, "missing");
    snprintf(p, sizeof p, "%s/nope", dir);
    assert_int_equal(ts_set_read_path(&s, r, p, err, sizeof err), -1);
    assert_non_null(strstr(err, "No such file"));
    ts_set_free(&s);
    ts_reader_free(r);
    snprintf(p, sizeof p, "rm -rf '%s'", dir);
    assert_int_equal(system(p), 0);
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void test_quantiles_large_runs(void **state)
{
    /* 20001 values (random, then heavy ties, then sorted descending): the
     * per-run quantiles must equal type 7 on the qsort-ed copy. */
    const size_t n = 20001;
    double *ref = malloc(n * sizeof *ref);
    uint64_t x = 88172645463325252u;
    (void)state;
    assert_non_null(ref);
    for (int pass = 0; pass < 3; pass++) {
        ts_set s;
        ts_record r;
        const ts_runstat *rs;
        ts_set_init(&s, "t");
        ts_set_begin_run(&s, "r");
        memset(&r, 0, sizeof r);
        r.kind = TS_REC_TIMING;
        r.level = TS_LVL_INFO;
        r.label.p = "big";
        r.label.n = 3;
        r.msg.p = "timing";
        r.msg.n = 6;
        for (size_t i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            ref[i] = pass == 0 ? (double)(x % 1000000) / 1000.0 : pass == 1 ? (double)(x % 3) : (double)(n - i);
            r.ms = ref[i];
            assert_int_equal(ts_set_add(&s, &r), 0);
        }
        ts_set_end_run(&s);
        qsort(ref, n, sizeof *ref, cmp_dbl);
        rs = &ts_set_find(&s, "big")->runs[0];
        assert_true(rs->min == ref[0] && rs->max == ref[n - 1]);
        assert_true(rs->median == ref[10000]);                                          /* h = 10000 */
        assert_true(fabs(rs->p90 - ref[18000]) < 1e-12);                                /* h = 18000 */
        assert_true(fabs(rs->p99 - ref[19800]) < 1e-12);                                /* h = 19800 */
        assert_true(fabs(rs->p25 - ref[5000]) < 1e-12);                                 /* h = 5000 */
        ts_set_free(&s);
    }
    free(ref);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_per_run_quantiles),
        cmocka_unit_test(test_runs_and_missing_labels),
        cmocka_unit_test(test_self_time_from_spans),
        cmocka_unit_test(test_self_time_many_open_spans),
        cmocka_unit_test(test_cpu_ratio_and_levels),
        cmocka_unit_test(test_slowest_roots),
        cmocka_unit_test(test_summary_records),
        cmocka_unit_test(test_read_path_directory),
        cmocka_unit_test(test_quantiles_large_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
