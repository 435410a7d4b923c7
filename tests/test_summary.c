/* test_summary.c - summary mode for hot code (issue 4, point 7).

   TRACE_TIMING=summary: scopes write no timing record; one timing_summary
   record per label is written at exit (a child process, its stdout parsed
   with jq; also in buffered mode) and on trace_timing_flush(), which starts
   the statistics again. Counts are exact (also merged from 4 threads and
   from two call sites with the same label); min <= p50 <= p90 <= p99 <= max
   and total >= count * min; known sleeps give lower bounds. Labels longer
   than 63 characters stay distinct; a forked child reports only its own
   scopes.

   The statistics against known inputs: the histogram's bucket math
   (trace__bucket / trace__bucket_mid, internal static helpers of trace.h)
   over a range of values, relative error < 1%; and known durations fed
   straight into a label's statistics (trace__stat_for / trace__stat_add),
   then flushed: count, total, min and max exact, p50/p90/p99 within 1% of
   the nearest-rank quantiles. These two use trace.h internals on purpose. */
#define _GNU_SOURCE
#include "test_util.h"
#include "trace.h"
#include "test_scope_util.h"

#include <math.h>
#include <pthread.h>

/* One timing_summary record, as jq read it. */
typedef struct sumrec {
    char label[160];
    long long count, pid;
    double total, min, max, p50, p90, p99;
} sumrec;

#define SUM_TSV                                                                \
    "select(.msg == \"timing_summary\") | [.label, .count, .total_ms, .min_ms, .max_ms, " \
    ".p50_ms, .p90_ms, .p99_ms, .pid, .lvl, .logger] | map(tostring) | @tsv\n"

/* Every timing_summary record of text; fails on a record that is not JSON,
   or when text has records of another kind that are not allowed (allow
   NULL: only timing_summary records). */
static int parse_summaries(const char *text, sumrec *s, int max, const char *allow) {
    char *tsv = tf_jq(text, "-r", SUM_TSV), *line, *next;
    int n = 0;
    assert_non_null(tsv);
    if (!allow) {
        char *others = tf_jq(text, "-r", "select(.msg != \"timing_summary\") | .msg\n");
        assert_non_null(others);
        if (*others) {
            print_error("records other than timing_summary: %s\n", others);
            fail();
        }
        free(others);
    }
    for (line = tsv; *line; line = next) {
        char *f[11], *p = line;
        int k = 0;
        next = strchr(line, '\n');
        if (next) *next++ = 0; else next = line + strlen(line);
        f[k++] = p;
        while (k < 11 && (p = strchr(p, '\t')) != NULL) { *p++ = 0; f[k++] = p; }
        assert_int_equal(k, 11);
        assert_true(n < max);
        snprintf(s[n].label, sizeof s[n].label, "%s", f[0]);
        s[n].count = strtoll(f[1], NULL, 10);
        s[n].total = strtod(f[2], NULL);
        s[n].min = strtod(f[3], NULL);
        s[n].max = strtod(f[4], NULL);
        s[n].p50 = strtod(f[5], NULL);
        s[n].p90 = strtod(f[6], NULL);
        s[n].p99 = strtod(f[7], NULL);
        s[n].pid = strtoll(f[8], NULL, 10);
        assert_string_equal(f[9], "INFO");
        n++;
    }
    free(tsv);
    return n;
}

static const sumrec *find_sum(const sumrec *s, int n, const char *label) {
    int i, k = -1;
    for (i = 0; i < n; i++)
        if (strcmp(s[i].label, label) == 0) {
            if (k >= 0) {
                print_error("two timing_summary records for %s\n", label);
                fail();
            }
            k = i;
        }
    if (k < 0) {
        print_error("no timing_summary record for %s; the labels are:\n", label);
        for (i = 0; i < n; i++) print_error("  %s\n", s[i].label);
        fail();
    }
    return &s[k];
}

/* What must hold for any summary. */
static void check_order(const sumrec *s) {
    if (!(s->count > 0 && s->min >= 0 && s->min <= s->p50 && s->p50 <= s->p90 &&
          s->p90 <= s->p99 && s->p99 <= s->max &&
          s->total >= (double)s->count * s->min * (1 - 1e-9))) {
        print_error("%s: count %lld total %g min %g p50 %g p90 %g p99 %g max %g\n", s->label,
                    s->count, s->total, s->min, s->p50, s->p90, s->p99, s->max);
        fail();
    }
}

static int setup(void **state) {
    (void)state;
    tf_env((const char *const[]){ "TRACE_TIMING=summary", NULL });
    trace_timing_flush(); /* what earlier tests left */
    free(tf_take());
    return 0;
}

/* --- the histogram's bucket math ---------------------------------------------- */

static void check_bucket(uint64_t v) {
    size_t b = trace__bucket(v);
    uint64_t mid;
    double rel;
    if (b >= TRACE__HBUCKETS) {
        print_error("value %llu: bucket %zu out of range\n", (unsigned long long)v, b);
        fail();
    }
    mid = trace__bucket_mid((unsigned)b);
    if (v < 128) {
        assert_true(mid == v); /* exact below 128 ns */
        return;
    }
    rel = fabs((double)mid - (double)v) / (double)v;
    if (rel >= 0.01 || trace__bucket(mid) != b) {
        print_error("value %llu: bucket %zu, mid %llu, relative error %.5f\n",
                    (unsigned long long)v, b, (unsigned long long)mid, rel);
        fail();
    }
}

static void test_bucket_math(void **state) {
    uint64_t v, x = 88172645463325252ULL;
    size_t prev = 0;
    int k;
    (void)state;
    /* every value up to 200,000 ns, monotonic buckets */
    for (v = 0; v <= 200000; v++) {
        size_t b = trace__bucket(v);
        assert_true(b >= prev);
        prev = b;
        check_bucket(v);
    }
    /* every bucket edge up to 2^64 ns: the values around each power of two
       and each sub-bucket boundary */
    for (k = 7; k < 64; k++) {
        uint64_t base = 1ULL << k, step = base >> 6, j;
        for (j = 0; j < 64; j++) {
            uint64_t edge = base + j * step;
            check_bucket(edge - 1);
            check_bucket(edge);
            if (edge + step / 2 > edge) { /* not past 2^64 */
                check_bucket(edge + 1);
                check_bucket(edge + step / 2);
            }
        }
    }
    /* and pseudo-random values of every magnitude */
    for (k = 0; k < 200000; k++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        check_bucket((x >> (k % 64)) | 1);
    }
    /* the top of the range: the last bucket */
    check_bucket(UINT64_MAX);
    assert_int_equal(trace__bucket(UINT64_MAX), TRACE__HBUCKETS - 1);
}

/* --- known inputs straight into a label's statistics --------------------------- */

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* nearest-rank quantile of sorted v */
static double quantile_ms(const uint64_t *v, size_t n, double q) {
    size_t rank = (size_t)ceil(q * (double)n);
    if (rank < 1) rank = 1;
    return (double)v[rank - 1] / 1e6;
}

static void expect_rel(const char *what, double got, double want, double tol) {
    double rel = fabs(got - want) / want;
    if (!(rel < tol)) {
        print_error("%s: %.9g, expected %.9g (relative error %.5f)\n", what, got, want, rel);
        fail();
    }
}

static void feed_and_check(const char *label, uint64_t *v, size_t n) {
    TRACE__SITE(TRACE_LEVEL_INFO); /* trace.h's own call-site record */
    trace__stat *st = trace__stat_for(&trace__site_, label);
    uint64_t total = 0;
    size_t i;
    char *out;
    sumrec s[4];
    const sumrec *r;
    int m;
    assert_non_null(st);
    for (i = 0; i < n; i++) {
        trace__stat_add(st, v[i]);
        total += v[i];
    }
    trace_timing_flush();
    out = tf_take();
    m = parse_summaries(out, s, 4, NULL);
    free(out);
    assert_int_equal(m, 1);
    r = find_sum(s, m, label);
    check_order(r);
    qsort(v, n, sizeof *v, cmp_u64);
    assert_int_equal(r->count, (long long)n);
    assert_int_equal(r->pid, getpid());
    expect_rel("total_ms", r->total, (double)total / 1e6, 1e-12);
    expect_rel("min_ms", r->min, (double)v[0] / 1e6, 1e-12);
    expect_rel("max_ms", r->max, (double)v[n - 1] / 1e6, 1e-12);
    expect_rel("p50_ms", r->p50, quantile_ms(v, n, 0.50), 0.01);
    expect_rel("p90_ms", r->p90, quantile_ms(v, n, 0.90), 0.01);
    expect_rel("p99_ms", r->p99, quantile_ms(v, n, 0.99), 0.01);
}

static void test_known_inputs(void **state) {
    static uint64_t v[100000];
    size_t i;
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    (void)state;
    /* 1, 2, ... 1000 microseconds, shuffled */
    for (i = 0; i < 1000; i++) v[i] = (i + 1) * 1000;
    for (i = 999; i > 0; i--) {
        size_t j;
        uint64_t t;
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        j = (size_t)(x % (i + 1));
        t = v[i]; v[i] = v[j]; v[j] = t;
    }
    feed_and_check("known_linear", v, 1000);
    /* 100,000 values spread evenly in log scale from 100 ns to 10 s */
    for (i = 0; i < 100000; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        v[i] = (uint64_t)(100.0 * pow(10.0, 8.0 * (double)(x >> 11) / 9007199254740992.0));
    }
    feed_and_check("known_log", v, 100000);
    /* one value */
    v[0] = 123456789;
    feed_and_check("known_one", v, 1);
}

/* --- real scopes in this process --------------------------------------------------- */

static void hot(void) { TRACE_SCOPE("flushme"); }
static void site_a(void) { TRACE_SCOPE("shared_label"); }
static void site_b(void) { TRACE_SCOPE("shared_label"); }

/* Flush: exactly one summary record, of label; its count. */
static long long flush_one(const char *label) {
    char *out;
    sumrec s[4];
    int n;
    trace_timing_flush();
    out = tf_take();
    n = parse_summaries(out, s, 4, NULL);
    free(out);
    assert_int_equal(n, 1);
    return find_sum(s, n, label)->count;
}

static void test_flush_in_process(void **state) {
    char *out;
    sumrec s[8];
    trace_scope sc;
    int i, n;
    (void)state;
    for (i = 0; i < 10; i++) hot();
    for (i = 0; i < 3; i++) site_a();
    for (i = 0; i < 4; i++) site_b();
    TRACE_SCOPE_BEGIN(&sc, "explicit");
    TRACE_SCOPE_END(&sc);
    { TRACE_SCOPE_AT(TRACE_LEVEL_DEBUG, "filtered_debug"); } /* LOG_LEVEL=INFO */
    out = tf_take();
    assert_string_equal(out, ""); /* nothing until a flush */
    free(out);
    trace_timing_flush();
    out = tf_take();
    n = parse_summaries(out, s, 8, NULL);
    free(out);
    assert_int_equal(n, 3);
    assert_int_equal(find_sum(s, n, "flushme")->count, 10);
    assert_int_equal(find_sum(s, n, "shared_label")->count, 7); /* two sites, one label */
    assert_int_equal(find_sum(s, n, "explicit")->count, 1);
    for (i = 0; i < n; i++) check_order(&s[i]);
    /* a flush starts the statistics again */
    trace_timing_flush();
    out = tf_take();
    assert_string_equal(out, "");
    free(out);
    for (i = 0; i < 3; i++) hot();
    assert_int_equal(flush_one("flushme"), 3);
}

/* A NULL label (a constant, like a literal) counts as "null", as in
   records mode. */
static void null_label(void) {
    TRACE_SCOPE(NULL);
}
static void test_null_label(void **state) {
    int i;
    (void)state;
    for (i = 0; i < 3; i++) null_label();
    assert_int_equal(flush_one("null"), 3);
}

/* Two labels that differ only after their 63rd character are two labels. */
static void long_a(void) {
    TRACE_SCOPE("a_label_that_is_rather_long_because_it_names_a_module_and_a_step_first");
}
static void long_b(void) {
    TRACE_SCOPE("a_label_that_is_rather_long_because_it_names_a_module_and_a_step_second");
}

static void test_long_labels(void **state) {
    sumrec s[4];
    char *out;
    int n;
    (void)state;
    long_a();
    long_b();
    long_b();
    trace_timing_flush();
    out = tf_take();
    n = parse_summaries(out, s, 4, NULL);
    free(out);
    if (n != 2) {
        print_error("%d timing_summary record(s) for two labels of 72 and 73 characters "
                    "(first: \"%s\", count %lld)\n", n, s[0].label, s[0].count);
        fail();
    }
    assert_int_equal(
        find_sum(s, n, "a_label_that_is_rather_long_because_it_names_a_module_and_a_step_first")
            ->count, 1);
    assert_int_equal(
        find_sum(s, n, "a_label_that_is_rather_long_because_it_names_a_module_and_a_step_second")
            ->count, 2);
}

#define NTH 4
#define PER 5000
static void *spin(void *arg) {
    int i;
    (void)arg;
    for (i = 0; i < PER; i++) {
        TRACE_SCOPE("merged");
    }
    return NULL;
}

static void test_merged_across_threads(void **state) {
    pthread_t th[NTH];
    sumrec s[4];
    char *out;
    int i, n;
    (void)state;
    for (i = 0; i < NTH; i++) assert_int_equal(pthread_create(&th[i], NULL, spin, NULL), 0);
    for (i = 0; i < NTH; i++) assert_int_equal(pthread_join(th[i], NULL), 0);
    trace_timing_flush();
    out = tf_take();
    n = parse_summaries(out, s, 4, NULL);
    free(out);
    assert_int_equal(n, 1);
    assert_int_equal(find_sum(s, n, "merged")->count, NTH * PER);
    check_order(&s[0]);
}

/* A forked child reports its own scopes, not the parent's again (as the
   buffered records of the parent are not written again by the child). */
static void prefork(void) { TRACE_SCOPE("prefork"); }

static void test_forked_child_counts_its_own(void **state) {
    sumrec s[8];
    char *out;
    pid_t pid;
    int st = 0, n, i, seen_child = 0, seen_parent = 0;
    (void)state;
    for (i = 0; i < 10; i++) prefork();
    fflush(NULL);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        prefork();
        prefork();
        exit(0); /* the summary is written at exit */
    }
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
    tu_assert_exit0(st);
    trace_timing_flush();
    out = tf_take();
    n = parse_summaries(out, s, 8, NULL);
    free(out);
    for (i = 0; i < n; i++) {
        if (strcmp(s[i].label, "prefork") != 0) continue;
        if (s[i].pid == pid) {
            seen_child++;
            if (s[i].count != 2) {
                print_error("the forked child reported count %lld for its 2 scopes (the "
                            "parent had 10 before the fork)\n", s[i].count);
                fail();
            }
        } else {
            seen_parent++;
            assert_int_equal(s[i].pid, getpid());
            assert_int_equal(s[i].count, 10);
        }
    }
    assert_int_equal(seen_child, 1);
    assert_int_equal(seen_parent, 1);
}

/* --- at exit, in a child process ------------------------------------------------------ */

static void *child_thread(void *arg) {
    int i;
    (void)arg;
    for (i = 0; i < 500; i++) {
        TRACE_SCOPE("threaded");
    }
    return NULL;
}

/* Child mode "summary-child": known work, then return from main. */
static int child_summary(void) {
    pthread_t th[4];
    int i;
    for (i = 0; i < 1000; i++) {
        TRACE_SCOPE("hot");
    }
    for (i = 0; i < 5; i++) {
        TRACE_SCOPE("sleepy");
        tu_sleep_ms(i < 3 ? 2 : 10);
    }
    for (i = 0; i < 4; i++)
        if (pthread_create(&th[i], NULL, child_thread, NULL) != 0) return 2;
    for (i = 0; i < 4; i++) pthread_join(th[i], NULL);
    TRACE_INFO("done"); /* an ordinary record still goes out at once */
    return 0;
}

static void summary_at_exit(const char *buffer) {
    const char *env[] = { TF_CHILD_ENV, "TRACE_TIMING=summary", buffer, NULL };
    tf_child_out r = tf_child("summary-child", NULL, env);
    sumrec s[8];
    const sumrec *hotr, *sl, *thr;
    int n, i;
    tu_assert_exit0(r.status);
    assert_string_equal(r.err, "");
    /* the one other record: "done", before the summaries */
    assert_true(strncmp(r.out, "{\"ts\":", 6) == 0);
    assert_non_null(strstr(r.out, "\"msg\":\"done\""));
    assert_true(strstr(r.out, "\"msg\":\"done\"") < strstr(r.out, "timing_summary"));
    assert_null(strstr(r.out, "\"msg\":\"timing\""));
    n = parse_summaries(r.out, s, 8, "done");
    assert_int_equal(n, 3);
    for (i = 0; i < n; i++) {
        check_order(&s[i]);
        assert_true(s[i].pid > 0 && s[i].pid != getpid());
    }
    hotr = find_sum(s, n, "hot");
    sl = find_sum(s, n, "sleepy");
    thr = find_sum(s, n, "threaded");
    assert_int_equal(hotr->count, 1000);
    assert_int_equal(thr->count, 2000);
    assert_int_equal(sl->count, 5);
    /* known sleeps: lower bounds (the histogram is within 1/128 below) */
    assert_true(sl->min >= 2.0);
    assert_true(sl->p50 >= 2.0 * (1 - 1.0 / 128));
    assert_true(sl->p90 >= 10.0 * (1 - 1.0 / 128));
    assert_true(sl->max >= 10.0);
    assert_true(sl->total >= 3 * 2.0 + 2 * 10.0);
    tf_child_free(&r);
}

static void test_summary_at_exit(void **state) {
    (void)state;
    summary_at_exit("LOG_BUFFER");      /* safe mode */
    summary_at_exit("LOG_BUFFER=64k");  /* buffered: flushed at exit after the summary */
}

int main(int argc, char **argv) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_bucket_math, setup),
        cmocka_unit_test_setup(test_known_inputs, setup),
        cmocka_unit_test_setup(test_flush_in_process, setup),
        cmocka_unit_test_setup(test_null_label, setup),
        cmocka_unit_test_setup(test_merged_across_threads, setup),
        cmocka_unit_test_setup(test_long_labels, setup),
        cmocka_unit_test_setup(test_forked_child_counts_its_own, setup),
        cmocka_unit_test_setup(test_summary_at_exit, setup),
    };
    if (argc > 1 && strcmp(argv[1], "summary-child") == 0) return child_summary();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
