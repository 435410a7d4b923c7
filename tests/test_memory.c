/* test_memory.c - resident memory as fields (issue 4, point 8): TRACE_MEMORY
   writes a "memory" record with rss_kb and peak_rss_kb; TRACE_SCOPE_MEMORY
   adds the RSS at the start and at the end to its timing record; on Linux
   the values are plausible (rss_kb > 0, peak >= rss, close to the kernel's
   VmRSS) and allocating and touching 50 MB inside a scope raises rss_kb by
   at least 40 MB. Sanitizers change RSS: this test is labelled nosan. */
#define _GNU_SOURCE
#include "test_util.h"
#include "trace.h"
#include "test_scope_util.h"

#define MAXREC 8
static tf_rec g_recs[MAXREC];

static int take_parse(void) {
    char *s = tf_take();
    int n = tf_parse(s, g_recs, MAXREC);
    free(s);
    assert_true(n <= MAXREC);
    return n;
}

static int setup(void **state) {
    (void)state;
    tf_env(NULL);
    return 0;
}

/* VmRSS from /proc/self/status, in kB (-1: not found). */
static long vmrss_kb(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    if (!f) return -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0) v = strtol(line + 6, NULL, 10);
    fclose(f);
    return v;
}

static int g_evals;
static const char *counted(const char *s) {
    g_evals++;
    return s;
}

static void test_rss_function(void **state) {
    long peak = -7, rss, ref;
    (void)state;
    rss = trace_rss_kb(&peak);
    ref = vmrss_kb();
    assert_true(rss > 0);
    assert_true(peak >= rss);
    assert_true(trace_rss_kb(NULL) > 0);
    if (ref > 0 && labs(rss - ref) > 8192) {
        print_error("trace_rss_kb %ld kB, VmRSS %ld kB\n", rss, ref);
        fail();
    }
}

static void test_memory_record(void **state) {
    const tf_rec *r;
    int n;
    (void)state;
    g_evals = 0;
    TRACE_MEMORY(counted("checkpoint"));
    assert_int_equal(g_evals, 1);
    n = take_parse();
    assert_int_equal(n, 1);
    r = &g_recs[0];
    assert_string_equal(r->msg, "memory");
    assert_string_equal(r->lvl, "INFO");
    assert_string_equal(r->label, "checkpoint");
    assert_true(r->rss_kb > 0);
    assert_true(r->peak_rss_kb >= r->rss_kb);
    assert_non_null(strstr(r->raw, "\"rss_kb\":"));
    assert_non_null(strstr(r->raw, "\"peak_rss_kb\":"));
    /* inside a trace and a scope it carries both IDs */
    {
        TRACE_TRACE_NEW();
        TRACE_SCOPE("holder");
        TRACE_MEMORY("traced");
    }
    n = take_parse();
    assert_int_equal(n, 2);
    assert_string_equal(g_recs[0].msg, "memory");
    assert_true(tf_is_hex_id(g_recs[0].trace, 32));
    assert_string_equal(g_recs[0].span, g_recs[1].span);
    /* filtered: nothing, label not evaluated */
    tf_env((const char *const[]){ "LOG_LEVEL=WARNING", NULL });
    g_evals = 0;
    TRACE_MEMORY(counted("filtered"));
    assert_int_equal(g_evals, 0);
    n = take_parse();
    assert_int_equal(n, 0);
}

#define BIG (50u << 20)

static void test_scope_memory_growth(void **state) {
    const tf_rec *s, *after;
    char *p = NULL;
    int n;
    (void)state;
    {
        TRACE_SCOPE_MEMORY("alloc50");
        p = (char *)malloc(BIG);
        assert_non_null(p);
        memset(p, 1, BIG); /* touch every page */
    }
    assert_int_equal(p[BIG - 1], 1);
    free(p);
    TRACE_MEMORY("after_free");
    n = take_parse();
    assert_int_equal(n, 2);
    s = tf_find(g_recs, n, "timing", "alloc50");
    after = tf_find(g_recs, n, "memory", "after_free");
    /* still a timing record */
    assert_true(tf_is_hex_id(s->span, 16));
    assert_true(s->ms >= 0 && s->start_us > 0);
    assert_non_null(strstr(s->raw, "\"rss_kb\":"));
    assert_non_null(strstr(s->raw, "\"peak_rss_kb\":"));
    assert_true(s->rss_start_kb > 0);
    assert_true(s->rss_kb > 0);
    assert_true(s->peak_rss_kb >= s->rss_kb);
    if (s->rss_kb - s->rss_start_kb < 40 * 1024) {
        print_error("50 MB touched, but rss_kb went from %lld to %lld\n", s->rss_start_kb,
                    s->rss_kb);
        fail();
    }
    assert_true(after->rss_kb > 0);
}

/* A peak is a peak: a later record never reports less than an earlier one
   reported (as peak or as current). */
static void test_peak_never_decreases(void **state) {
    const tf_rec *s, *after;
    char *p = NULL;
    int n;
    (void)state;
    {
        TRACE_SCOPE_MEMORY("alloc50_again");
        p = (char *)malloc(BIG);
        assert_non_null(p);
        memset(p, 2, BIG);
    }
    free(p);
    TRACE_MEMORY("after_free_again");
    n = take_parse();
    assert_int_equal(n, 2);
    s = tf_find(g_recs, n, "timing", "alloc50_again");
    after = tf_find(g_recs, n, "memory", "after_free_again");
    if (after->peak_rss_kb < s->peak_rss_kb || after->peak_rss_kb < s->rss_kb) {
        print_error("peak_rss_kb went down: %lld, after a record with rss_kb %lld and "
                    "peak_rss_kb %lld\n", after->peak_rss_kb, s->rss_kb, s->peak_rss_kb);
        fail();
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_rss_function, setup),
        cmocka_unit_test_setup(test_memory_record, setup),
        cmocka_unit_test_setup(test_scope_memory_growth, setup),
        cmocka_unit_test_setup(test_peak_never_decreases, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
