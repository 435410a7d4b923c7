/* test_scope.c - scoped stopwatches (issue 4, points 1, 2, 3): the timing
   record of a scope that ends by return, break, continue, goto out of its
   block and by falling off the end of it; its exact fields (label, ms with three decimals,
   span, parent, start_us, pid, tid, thread); nesting, and parent IDs that
   rebuild the tree and give non-negative self times; two scopes on one
   line; explicit BEGIN/END across functions and ended out of order; elapsed
   readings; filtered scopes (a level below LOG_LEVEL, per module too, or
   TRACE_TIMING=off) that write nothing, evaluate no argument and read no
   clock, also as the first call of a file (test_scope_fresh.c); TRACE_CPU=1
   and an I/O wait; thread name and tid; a scope in a forked child; END in
   another thread than BEGIN.

   Durations get lower bounds only. Records go to a temporary file and are
   parsed with jq (test_scope_util.h). The environment is changed with
   setenv + trace_reload(). clock_gettime is interposed (defined below) to
   count clock reads: a filtered scope must read none. */
#define _GNU_SOURCE
#include "test_util.h"
#include "trace.h"
#include "test_scope_util.h"

#include <poll.h>
#include <pthread.h>
#include <sys/syscall.h>

/* --- clock reads ------------------------------------------------------------ */

static long g_clock_reads;

/* Every clock_gettime of this program (trace.h's included) comes here. */
int clock_gettime(clockid_t clk, struct timespec *ts) {
    __atomic_add_fetch(&g_clock_reads, 1, __ATOMIC_RELAXED);
    return (int)syscall(SYS_clock_gettime, clk, ts);
}

static long clock_reads(void) { return __atomic_load_n(&g_clock_reads, __ATOMIC_RELAXED); }

/* --- helpers ------------------------------------------------------------------ */

static int g_evals;
static const char *counted(const char *s) {
    g_evals++;
    return s;
}

/* Leaves non-zero bytes where the next call's frame will be: a scope whose
   begin forgot to initialise a field its cleanup reads then fails
   (instead of reading the zeros of a fresh stack). */
static __attribute__((__noinline__)) void dirty_stack(void) {
    volatile unsigned char junk[8192];
    size_t i;
    for (i = 0; i < sizeof junk; i++) junk[i] = 0x5a;
}

static long long realtime_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (long long)t.tv_sec * 1000000LL + t.tv_nsec / 1000;
}

static long long us_of(double ms) { return (long long)(ms * 1000.0 + 0.5); }

static int gettid_(void) { return (int)syscall(SYS_gettid); }

#define MAXREC 64
static tf_rec g_recs[MAXREC];

/* Take and parse what was written: the number of records. */
static int take_parse(void) {
    char *s = tf_take();
    int n = tf_parse(s, g_recs, MAXREC);
    free(s);
    assert_true(n <= MAXREC);
    return n;
}

/* Every timing record: the fields every one must have, in their formats. */
static void check_timing_common_pid(const tf_rec *r, pid_t pid) {
    assert_string_equal(r->msg, "timing");
    if (!tf_is_hex_id(r->span, 16)) {
        print_error("span \"%s\" is not 16 lowercase hex (record %s)\n", r->span, r->raw);
        fail();
    }
    if (strcmp(r->parent, "-") != 0 && !tf_is_hex_id(r->parent, 16)) {
        print_error("parent \"%s\" is not 16 lowercase hex (record %s)\n", r->parent, r->raw);
        fail();
    }
    if (!tf_three_decimals(r->raw, "ms")) {
        print_error("ms does not have three decimals: %s\n", r->raw);
        fail();
    }
    assert_true(r->ms >= 0);
    assert_true(r->start_us > 1500000000000000LL); /* after 2017: epoch microseconds */
    assert_int_equal(r->pid, pid);
    assert_true(r->tid > 0);
}
static void check_timing_common(const tf_rec *r) { check_timing_common_pid(r, getpid()); }

static int setup(void **state) {
    (void)state;
    tf_env(NULL);
    return 0;
}

/* --- how a scope ends ------------------------------------------------------------- */

static int scoped_return(int x) {
    TRACE_SCOPE("ret_scope");
    if (x > 0) return x * 2;
    tu_sleep_ms(2);
    return -1;
}

static void test_end_by_return(void **state) {
    int n;
    (void)state;
    assert_int_equal(scoped_return(3), 6);
    n = take_parse();
    assert_int_equal(n, 1);
    check_timing_common(&g_recs[0]);
    assert_string_equal(g_recs[0].label, "ret_scope");
    assert_string_equal(g_recs[0].lvl, "INFO");
    assert_string_equal(g_recs[0].parent, "-");

    assert_int_equal(scoped_return(0), -1);
    n = take_parse();
    assert_int_equal(n, 1);
    assert_string_equal(g_recs[0].label, "ret_scope");
    assert_true(g_recs[0].ms >= 2.0);
    assert_null(strstr(g_recs[0].raw, "\"parent\"")); /* a root scope: no parent */
}

static void test_end_by_break_and_continue(void **state) {
    int i, n, k;
    (void)state;
    for (i = 0; i < 10; i++) {
        TRACE_SCOPE("loop_body");
        if (i == 1) continue;
        if (i == 3) break;
        TRACE_INFO_KV("body", "i", i);
    }
    assert_int_equal(i, 3);
    n = take_parse();
    /* i=0: info + timing; 1: timing (continue); 2: info + timing; 3: timing (break) */
    assert_int_equal(n, 6);
    assert_int_equal(tf_count(g_recs, n, "timing", "loop_body"), 4);
    for (k = 0; k < n; k++) {
        if (strcmp(g_recs[k].msg, "timing") != 0) continue;
        check_timing_common(&g_recs[k]);
        /* each iteration's scope was popped: none is the parent of the next */
        assert_string_equal(g_recs[k].parent, "-");
    }
    /* the info record of an iteration carries that iteration's span */
    assert_string_equal(g_recs[0].msg, "body");
    assert_string_equal(g_recs[0].span, g_recs[1].span);
    assert_string_equal(g_recs[3].msg, "body");
    assert_string_equal(g_recs[3].span, g_recs[4].span);
    assert_string_not_equal(g_recs[1].span, g_recs[2].span);

    /* break out of a switch */
    for (i = 0; i < 2; i++) {
        switch (i) {
        case 0: {
            TRACE_SCOPE("case_zero");
            break;
        }
        default: {
            TRACE_SCOPE("case_default");
            break;
        }
        }
    }
    n = take_parse();
    assert_int_equal(n, 2);
    assert_string_equal(g_recs[0].label, "case_zero");
    assert_string_equal(g_recs[1].label, "case_default");
}

static void test_end_by_fall_through(void **state) {
    char *mid;
    int n;
    (void)state;
    {
        TRACE_SCOPE("block");
        tu_sleep_ms(3);
        mid = tf_take(); /* nothing before the block ends */
    }
    assert_string_equal(mid, "");
    free(mid);
    n = take_parse();
    assert_int_equal(n, 1);
    check_timing_common(&g_recs[0]);
    assert_string_equal(g_recs[0].label, "block");
    assert_true(g_recs[0].ms >= 3.0);
}

/* goto out of the block ends the scope too (a goto INTO it is the trap the
   header documents; not done here). */
static int goto_out(int fail_early) {
    int rc = 0;
    {
        TRACE_SCOPE("goto_scope");
        if (fail_early) {
            rc = -1;
            goto out;
        }
        rc = 1;
    }
out:
    TRACE_INFO("after goto");
    return rc;
}

static void test_end_by_goto(void **state) {
    int n;
    (void)state;
    assert_int_equal(goto_out(1), -1);
    n = take_parse();
    assert_int_equal(n, 2);
    assert_string_equal(g_recs[0].label, "goto_scope"); /* written before "after goto" */
    check_timing_common(&g_recs[0]);
    assert_string_equal(g_recs[1].msg, "after goto");
    assert_string_equal(g_recs[1].span, "-"); /* the scope is no longer current */
}

/* --- the fields of a timing record ------------------------------------------------- */

#define HEAD_INFO_TIMING "\",\"lvl\":\"INFO\",\"msg\":\"timing\",\"logger\":\"app\","

static void test_record_fields(void **state) {
    long long before, after;
    const tf_rec *t, *in;
    int n;
    (void)state;
    before = realtime_us();
    {
        TRACE_SCOPE("fields");
        TRACE_INFO("inside");
        tu_sleep_ms(2);
    }
    after = realtime_us();
    TRACE_INFO("outside");
    n = take_parse();
    assert_int_equal(n, 3);
    in = &g_recs[0];
    t = &g_recs[1];
    check_timing_common(t);
    /* the fixed head, byte for byte */
    assert_true(strncmp(t->raw, "{\"ts\":\"", 7) == 0);
    assert_true(tu_is_ts(t->raw + 7));
    assert_true(strncmp(t->raw + 34, HEAD_INFO_TIMING, strlen(HEAD_INFO_TIMING)) == 0);
    assert_string_equal(t->label, "fields");
    assert_string_equal(t->lvl, "INFO");
    assert_string_equal(t->logger, "app");
    assert_true(t->ms >= 2.0);
    /* no trace is current: no trace field, but a span */
    assert_string_equal(t->trace, "-");
    assert_null(strstr(t->raw, "\"trace\""));
    assert_null(strstr(t->raw, "\"parent\""));
    assert_null(strstr(t->raw, "\"cpu_ms\"")); /* TRACE_CPU is off */
    assert_null(strstr(t->raw, "\"thread\"")); /* no name given */
    /* a timeline can be drawn: start_us is the wall-clock start */
    if (t->start_us < before - 1000 || t->start_us > after ||
        t->start_us + us_of(t->ms) > after + 1000) {
        print_error("start_us %lld, ms %.3f not within [%lld, %lld]\n", t->start_us, t->ms,
                    before, after);
        fail();
    }
    assert_int_equal(t->pid, getpid());
    assert_int_equal(t->tid, gettid_());
    /* a record inside the scope carries the scope's span; outside, none */
    assert_string_equal(in->msg, "inside");
    assert_string_equal(in->span, t->span);
    assert_string_equal(g_recs[2].msg, "outside");
    assert_string_equal(g_recs[2].span, "-");
    assert_null(strstr(g_recs[2].raw, "\"span\""));
}

static void test_plain_and_logfmt(void **state) {
    char *s;
    (void)state;
    trace_set_format(TRACE_FORMAT_PLAIN);
    { TRACE_SCOPE("plain_lbl"); }
    s = tf_take();
    assert_true(strncmp(s, "[INFO] timing label=plain_lbl ms=", 33) == 0);
    assert_true(s[33] >= '0' && s[33] <= '9');
    assert_non_null(strstr(s, " start_us="));
    assert_non_null(strstr(s, " pid="));
    assert_non_null(strstr(s, " tid="));
    assert_non_null(strstr(s, " span="));
    assert_int_equal(tf_count_lines(s), 1);
    free(s);
    trace_set_format(TRACE_FORMAT_LOGFMT);
    { TRACE_SCOPE("logfmt_lbl"); }
    s = tf_take();
    assert_true(strncmp(s, "ts=", 3) == 0);
    assert_non_null(strstr(s, " lvl=info msg=timing logger=app span="));
    assert_non_null(strstr(s, " label=logfmt_lbl ms="));
    free(s);
}

static void test_label_escaped(void **state) {
    int n;
    (void)state;
    { TRACE_SCOPE("q\"uote\\ and\nnewline"); }
    n = take_parse();
    assert_int_equal(n, 1);
    assert_string_equal(g_recs[0].label, "q\"uote\\\\ and\\nnewline"); /* as @tsv shows it */
}

/* --- nesting ---------------------------------------------------------------------- */

static void leaf(int k) {
    TRACE_SCOPE("leaf");
    TRACE_INFO_KV("in leaf", "i", k);
    tu_sleep_ms(1);
}
static void mid(void) {
    TRACE_SCOPE("mid");
    leaf(1);
    leaf(2);
}

static const tf_rec *by_info(int n, long long i) {
    int k;
    for (k = 0; k < n; k++)
        if (strcmp(g_recs[k].msg, "in leaf") == 0 && g_recs[k].i == i) return &g_recs[k];
    fail();
    return NULL;
}
static const tf_rec *by_span(int n, const char *span) {
    int k;
    for (k = 0; k < n; k++)
        if (strcmp(g_recs[k].msg, "timing") == 0 && strcmp(g_recs[k].span, span) == 0)
            return &g_recs[k];
    print_error("no timing record with span %s\n", span);
    fail();
    return NULL;
}

/* child inside parent on the timeline (200 us of slack for the wall clock) */
static void check_inside(const tf_rec *child, const tf_rec *parent) {
    long long cs = child->start_us, ce = cs + us_of(child->ms);
    long long ps = parent->start_us, pe = ps + us_of(parent->ms);
    if (cs < ps - 200 || ce > pe + 200) {
        print_error("%s [%lld, %lld] is not inside %s [%lld, %lld]\n", child->label, cs, ce,
                    parent->label, ps, pe);
        fail();
    }
}

static void test_nesting_rebuilds_tree(void **state) {
    int n, k, j;
    const tf_rec *root, *m, *l1, *l2, *l3;
    (void)state;
    {
        TRACE_SCOPE("root");
        mid();
        leaf(3);
    }
    n = take_parse();
    assert_int_equal(n, 3 + 3 + 2); /* three "in leaf", five timing records */
    assert_int_equal(tf_count(g_recs, n, "timing", NULL), 5);
    for (k = 0; k < n; k++)
        if (strcmp(g_recs[k].msg, "timing") == 0) check_timing_common(&g_recs[k]);
    /* the spans are all different */
    for (k = 0; k < n; k++)
        for (j = k + 1; j < n; j++)
            if (strcmp(g_recs[k].msg, "timing") == 0 && strcmp(g_recs[j].msg, "timing") == 0)
                assert_string_not_equal(g_recs[k].span, g_recs[j].span);
    root = tf_find(g_recs, n, "timing", "root");
    m = tf_find(g_recs, n, "timing", "mid");
    /* the tree, from the records alone: each leaf found through the span of
       the record written inside it */
    l1 = by_span(n, by_info(n, 1)->span);
    l2 = by_span(n, by_info(n, 2)->span);
    l3 = by_span(n, by_info(n, 3)->span);
    assert_string_equal(l1->label, "leaf");
    assert_string_equal(root->parent, "-");
    assert_string_equal(m->parent, root->span);
    assert_string_equal(l1->parent, m->span);
    assert_string_equal(l2->parent, m->span);
    assert_string_equal(l3->parent, root->span);
    /* records are written as scopes end: children first */
    assert_true(l1 < m && l2 < m && m < l3 && l3 < root);
    /* self time is never negative: a scope lasts at least as long as its
       children together (all values truncated to microseconds) */
    assert_true(us_of(m->ms) >= us_of(l1->ms) + us_of(l2->ms));
    assert_true(us_of(root->ms) >= us_of(m->ms) + us_of(l3->ms));
    assert_true(l1->ms >= 1.0 && l2->ms >= 1.0 && l3->ms >= 1.0);
    check_inside(l1, m);
    check_inside(l2, m);
    check_inside(m, root);
    check_inside(l3, root);
    assert_true(l2->start_us >= l1->start_us + us_of(l1->ms) - 200); /* siblings in order */
}

static void test_two_scopes_on_one_line(void **state) {
    int n;
    (void)state;
    { TRACE_SCOPE("one_a"); TRACE_SCOPE("one_b"); TRACE_INFO("between"); }
    n = take_parse();
    assert_int_equal(n, 3);
    assert_string_equal(g_recs[0].msg, "between");
    assert_string_equal(g_recs[1].label, "one_b"); /* reverse order of declaration */
    assert_string_equal(g_recs[2].label, "one_a");
    assert_string_equal(g_recs[1].parent, g_recs[2].span);
    assert_string_equal(g_recs[0].span, g_recs[1].span);
    assert_string_not_equal(g_recs[1].span, g_recs[2].span);
}

/* --- explicit begin and end --------------------------------------------------------- */

static trace_scope g_across;
static void start_it(void) { TRACE_SCOPE_BEGIN(&g_across, "across"); }
static void stop_it(void) { TRACE_SCOPE_END(&g_across); }

static void test_begin_end_across_functions(void **state) {
    char *s, hex[17];
    int64_t e;
    int n;
    (void)state;
    assert_int_equal(trace_elapsed_ns(), -1); /* no scope open */
    start_it();
    tu_sleep_ms(3);
    s = tf_take();
    assert_string_equal(s, "");
    free(s);
    e = trace_scope_elapsed_ns(&g_across);
    assert_true(e >= 3000000);
    assert_true(trace_elapsed_ns() >= e); /* the innermost open scope is this one */
    {
        TRACE_SCOPE("nested_in_explicit");
    }
    stop_it();
    assert_int_equal(trace_scope_elapsed_ns(&g_across), -1); /* ended */
    assert_int_equal(trace_elapsed_ns(), -1);
    stop_it(); /* a second end writes nothing */
    n = take_parse();
    assert_int_equal(n, 2);
    check_timing_common(&g_recs[0]);
    check_timing_common(&g_recs[1]);
    assert_string_equal(g_recs[0].label, "nested_in_explicit");
    assert_string_equal(g_recs[1].label, "across");
    assert_true(g_recs[1].ms >= 3.0);
    tf_hex64(g_across.span, hex);
    assert_string_equal(g_recs[1].span, hex);
    assert_string_equal(g_recs[0].parent, hex);
    assert_string_equal(g_recs[1].parent, "-");
}

/* BEGIN a, BEGIN b, END a, END b: each record still names its own span, b
   keeps a as its parent, and the stack is empty afterwards. */
static void test_out_of_order_end(void **state) {
    trace_scope a, b;
    char ha[17], hb[17];
    int n;
    (void)state;
    TRACE_SCOPE_BEGIN(&a, "ooo_a");
    TRACE_SCOPE_BEGIN(&b, "ooo_b");
    tf_hex64(a.span, ha);
    tf_hex64(b.span, hb);
    TRACE_SCOPE_END(&a);
    TRACE_INFO("after_a");
    assert_true(trace_elapsed_ns() >= 0); /* b is still open */
    TRACE_SCOPE_END(&b);
    assert_int_equal(trace_elapsed_ns(), -1); /* nothing left open */
    { TRACE_SCOPE("ooo_after"); }
    n = take_parse();
    assert_int_equal(n, 4);
    assert_string_equal(g_recs[0].label, "ooo_a");
    assert_string_equal(g_recs[1].msg, "after_a");
    assert_string_equal(g_recs[2].label, "ooo_b");
    assert_string_equal(g_recs[3].label, "ooo_after");
    assert_string_equal(g_recs[1].span, hb); /* the innermost open scope */
    assert_string_equal(g_recs[2].span, hb);
    assert_string_equal(g_recs[2].parent, ha);
    assert_string_equal(g_recs[3].parent, "-");
    /* the record of a scope is about that scope: its own span */
    if (strcmp(g_recs[0].span, ha) != 0) {
        print_error("ooo_a's record has span %s, its own span is %s (ooo_b's is %s)\n",
                    g_recs[0].span, ha, hb);
        fail();
    }
}

/* --- elapsed readings ---------------------------------------------------------------- */

static void test_elapsed(void **state) {
    int64_t e1, e2;
    (void)state;
    {
        TRACE_SCOPE("elapsed");
        tu_sleep_ms(2);
        e1 = trace_elapsed_ns();
        tu_sleep_ms(1);
        e2 = trace_elapsed_ns();
    }
    assert_true(e1 >= 2000000);
    assert_true(e2 >= e1 + 1000000);
    assert_int_equal(trace_elapsed_ns(), -1);
    assert_int_equal(trace_scope_elapsed_ns(NULL), -1);
    free(tf_take());
}

/* --- filtered scopes ------------------------------------------------------------------- */

extern int fresh_evals;
void fresh_filtered_scope(void);
void fresh_filtered_scope_again(void);

/* The first trace.h call of a file is a filtered scope (LOG_LEVEL=INFO): no
   record, no evaluation of the label, no clock read. */
static void test_filtered_first_call_in_file(void **state) {
    long c0;
    char *s;
    (void)state;
    c0 = clock_reads();
    dirty_stack();
    fresh_filtered_scope();
    assert_int_equal(clock_reads() - c0, 0);
    s = tf_take();
    assert_string_equal(s, "");
    free(s);
    if (fresh_evals != 0) {
        print_error("the label of a filtered scope, first trace.h call of its file, was "
                    "evaluated %d time(s)\n", fresh_evals);
        fail();
    }
    fresh_filtered_scope_again();
    assert_int_equal(fresh_evals, 0);
}

/* The level drops while a scope's label is evaluated: the out-of-line begin
   finds the scope unwanted and leaves it idle, and its cleanup ends nothing
   (records and summary mode, a label that is not a literal). */
static const char *drop_level(const char *s) {
    trace_set_level(NULL, TRACE_LEVEL_ERROR);
    return s;
}
static __attribute__((__noinline__)) int scope_with_level_drop(void) {
    TRACE_SCOPE(drop_level("dropped"));
    return 1;
}
static void test_level_dropped_in_label(void **state) {
    int mode;
    char *s;
    (void)state;
    for (mode = 0; mode < 2; mode++) {
        tf_env(mode ? (const char *const[]){ "TRACE_TIMING=summary", NULL } : NULL);
        dirty_stack();
        assert_int_equal(scope_with_level_drop(), 1);
        assert_int_equal(trace_get_level(NULL), TRACE_LEVEL_ERROR);
        assert_int_equal(trace_elapsed_ns(), -1); /* no scope left current */
        trace_set_level(NULL, TRACE_LEVEL_INFO);
        trace_timing_flush(); /* summary mode: no label was counted */
        s = tf_take();
        assert_string_equal(s, "");
        free(s);
    }
}

static void test_filtered_by_level(void **state) {
    long c0, c1;
    trace_scope sc;
    char *s;
    int n;
    (void)state;
    g_evals = 0;
    { TRACE_SCOPE("warm"); } /* this file's slot is resolved */
    free(tf_take());
    c0 = clock_reads();
    {
        TRACE_SCOPE_AT(TRACE_LEVEL_DEBUG, counted("dbg_scope"));
        assert_int_equal(trace_elapsed_ns(), -1); /* not on the stack */
        c1 = clock_reads();
        TRACE_SCOPE_BEGIN(&sc, counted("info_begin")); /* INFO: written */
        TRACE_SCOPE_END(&sc);
    }
    assert_int_equal(c1 - c0, 0);
    assert_int_equal(g_evals, 1); /* only the INFO BEGIN's label */
    n = take_parse();
    assert_int_equal(n, 1);
    assert_string_equal(g_recs[0].label, "info_begin");
    assert_string_equal(g_recs[0].parent, "-"); /* the filtered scope is nobody's parent */

    /* per module: app at WARNING filters INFO scopes, not WARNING ones */
    tf_env((const char *const[]){ "LOG_LEVEL=INFO,app=WARNING", NULL });
    g_evals = 0;
    c0 = clock_reads();
    { TRACE_SCOPE(counted("info_scope_filtered")); }
    { TRACE_SCOPE_MEMORY(counted("info_memory_filtered")); }
    TRACE_SCOPE_BEGIN(&sc, counted("info_begin_filtered"));
    assert_int_equal(trace_scope_elapsed_ns(&sc), -1);
    TRACE_SCOPE_END(&sc);
    assert_int_equal(clock_reads() - c0, 0);
    assert_int_equal(g_evals, 0);
    s = tf_take();
    assert_string_equal(s, "");
    free(s);
    { TRACE_SCOPE_AT(TRACE_LEVEL_WARNING, counted("warn_scope")); }
    assert_int_equal(g_evals, 1);
    n = take_parse();
    assert_int_equal(n, 1);
    assert_string_equal(g_recs[0].label, "warn_scope");
    assert_string_equal(g_recs[0].lvl, "WARNING");

    /* LOG_LEVEL=DEBUG lets the DEBUG scope through, at level DEBUG */
    tf_env((const char *const[]){ "LOG_LEVEL=DEBUG", NULL });
    g_evals = 0;
    { TRACE_SCOPE_AT(TRACE_LEVEL_DEBUG, counted("dbg_scope_on")); }
    assert_int_equal(g_evals, 1);
    n = take_parse();
    assert_int_equal(n, 1);
    assert_string_equal(g_recs[0].label, "dbg_scope_on");
    assert_string_equal(g_recs[0].lvl, "DEBUG");
}

static void test_timing_off(void **state) {
    long c0;
    trace_scope sc;
    int n;
    (void)state;
    tf_env((const char *const[]){ "TRACE_TIMING=off", NULL });
    g_evals = 0;
    c0 = clock_reads();
    {
        TRACE_SCOPE(counted("off_scope"));
        TRACE_SCOPE_AT(TRACE_LEVEL_CRITICAL, counted("off_critical"));
        TRACE_SCOPE_MEMORY(counted("off_memory"));
        TRACE_SCOPE_BEGIN(&sc, counted("off_begin"));
        TRACE_SCOPE_END(&sc);
        assert_int_equal(trace_elapsed_ns(), -1);
    }
    assert_int_equal(clock_reads() - c0, 0);
    assert_int_equal(g_evals, 0);
    TRACE_INFO("still logging"); /* records are not affected */
    trace_timing_flush();        /* and there is no summary either */
    n = take_parse();
    assert_int_equal(n, 1);
    assert_string_equal(g_recs[0].msg, "still logging");
}

/* --- wall and CPU time ------------------------------------------------------------------- */

static int64_t thread_cpu_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void test_cpu_time(void **state) {
    const tf_rec *io, *busy;
    volatile unsigned long sink = 0;
    int n;
    (void)state;
    tf_env((const char *const[]){ "TRACE_CPU=1", NULL });
    {
        TRACE_SCOPE("io_wait");
        poll(NULL, 0, 50); /* waits, burns no CPU */
    }
    {
        TRACE_SCOPE("busy");
        int64_t t0 = thread_cpu_ns();
        while (thread_cpu_ns() - t0 < 20000000) sink = sink + 1; /* 20 ms of CPU */
    }
    n = take_parse();
    assert_int_equal(n, 2);
    io = tf_find(g_recs, n, "timing", "io_wait");
    busy = tf_find(g_recs, n, "timing", "busy");
    check_timing_common(io);
    assert_non_null(strstr(io->raw, "\"cpu_ms\":"));
    if (!tf_three_decimals(io->raw, "cpu_ms") || !tf_three_decimals(busy->raw, "cpu_ms")) {
        print_error("cpu_ms without three decimals: %s\n", io->raw);
        fail();
    }
    assert_true(io->ms >= 50.0);
    assert_true(io->cpu_ms >= 0.0);
    if (!(io->ms > 5.0 * io->cpu_ms)) {
        print_error("I/O wait: ms %.3f is not much greater than cpu_ms %.3f\n", io->ms, io->cpu_ms);
        fail();
    }
    assert_true(busy->cpu_ms >= 20.0);
    assert_true(busy->ms >= busy->cpu_ms - 0.05); /* one thread: CPU <= wall (+ clock reads) */
}

/* --- threads -------------------------------------------------------------------------------- */

static int g_worker_tid;
static void *worker(void *arg) {
    (void)arg;
    g_worker_tid = gettid_();
    trace_set_thread_name("worker-7");
    {
        TRACE_SCOPE("in_worker");
    }
    return NULL;
}

static void test_thread_fields(void **state) {
    pthread_t th;
    const tf_rec *w, *m;
    int n;
    (void)state;
    {
        TRACE_SCOPE("main_open");
        assert_int_equal(pthread_create(&th, NULL, worker, NULL), 0);
        assert_int_equal(pthread_join(th, NULL), 0);
    }
    n = take_parse();
    assert_int_equal(n, 2);
    w = tf_find(g_recs, n, "timing", "in_worker");
    m = tf_find(g_recs, n, "timing", "main_open");
    check_timing_common(w);
    assert_int_equal(w->tid, g_worker_tid);
    assert_int_equal(m->tid, gettid_());
    assert_true(w->tid != m->tid);
    assert_string_equal(w->thread, "worker-7");
    assert_string_equal(m->thread, "-");
    /* the stack is per thread: the main thread's open scope is not the
       worker's parent */
    assert_string_equal(w->parent, "-");
}

/* A scope in a forked child names the child's pid and tid. */
static void test_fork_child_fields(void **state) {
    const tf_rec *r;
    pid_t pid;
    int st = 0, n;
    (void)state;
    { TRACE_SCOPE("in_parent"); } /* this thread's tid is cached */
    free(tf_take());
    fflush(NULL);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        { TRACE_SCOPE("in_child"); }
        _exit(0);
    }
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
    tu_assert_exit0(st);
    n = take_parse();
    assert_int_equal(n, 1);
    r = tf_find(g_recs, n, "timing", "in_child");
    check_timing_common_pid(r, pid);
    assert_int_equal(r->tid, pid); /* the child's main thread */
}

/* BEGIN in this thread, END in another: afterwards nothing is left open
   here, and the next scope of this thread is a root. */
static trace_scope g_handoff;
static void *ender(void *arg) {
    (void)arg;
    TRACE_SCOPE_END(&g_handoff);
    return NULL;
}

static void test_end_in_other_thread(void **state) {
    pthread_t th;
    const tf_rec *r, *next;
    int n;
    (void)state;
    TRACE_SCOPE_BEGIN(&g_handoff, "handed_off");
    assert_int_equal(pthread_create(&th, NULL, ender, NULL), 0);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_int_equal(trace_elapsed_ns(), -1);
    TRACE_INFO("after_handoff");
    { TRACE_SCOPE("next_root"); }
    n = take_parse();
    assert_int_equal(n, 3);
    r = tf_find(g_recs, n, "timing", "handed_off");
    next = tf_find(g_recs, n, "timing", "next_root");
    assert_string_equal(r->parent, "-");
    /* the ended scope is no longer this thread's current span */
    assert_string_equal(g_recs[1].msg, "after_handoff");
    assert_string_equal(g_recs[1].span, "-");
    if (strcmp(next->parent, "-") != 0) {
        print_error("after handed_off (span %s) ended in another thread, the next scope of "
                    "this thread has parent %s: the stack still holds the ended scope\n",
                    r->span, next->parent);
        fail();
    }
}

/* A detached scope is no longer this thread's current scope; another thread
   ends it and frees its storage (ASan would see any later use here). */
static void *end_and_free(void *arg) {
    trace_scope *sc = (trace_scope *)arg;
    TRACE_SCOPE_END(sc);
    memset(sc, 0x5a, sizeof *sc);
    free(sc);
    return NULL;
}

static void test_detach_then_end_elsewhere(void **state) {
    trace_scope *sc = (trace_scope *)malloc(sizeof *sc);
    pthread_t th;
    char hex[17];
    const tf_rec *r, *inner;
    int n;
    (void)state;
    assert_non_null(sc);
    {
        TRACE_SCOPE("outer_keeps");
        TRACE_SCOPE_BEGIN(sc, "detached");
        tf_hex64(sc->span, hex);
        trace_scope_detach(sc);
        assert_true(trace_scope_elapsed_ns(sc) >= 0); /* still timing */
        assert_int_equal(pthread_create(&th, NULL, end_and_free, sc), 0);
        assert_int_equal(pthread_join(th, NULL), 0);
        TRACE_INFO("after_detach");
        { TRACE_SCOPE("inner_after"); }
    }
    n = take_parse();
    assert_int_equal(n, 4);
    r = tf_find(g_recs, n, "timing", "detached");
    inner = tf_find(g_recs, n, "timing", "inner_after");
    assert_string_equal(r->span, hex);
    assert_string_equal(r->parent, tf_find(g_recs, n, "timing", "outer_keeps")->span);
    /* after the detach this thread's current scope is outer_keeps again */
    assert_string_equal(g_recs[1].msg, "after_detach");
    assert_string_not_equal(g_recs[1].span, hex);
    assert_string_equal(g_recs[1].span, tf_find(g_recs, n, "timing", "outer_keeps")->span);
    assert_string_equal(inner->parent, g_recs[1].span);
}

/* TRACE_SCOPE_BEGIN_AT: the level of the explicit scope's record. */
static void test_begin_at_level(void **state) {
    trace_scope a, b;
    int n;
    (void)state;
    TRACE_SCOPE_BEGIN_AT(TRACE_LEVEL_DEBUG, &a, counted("begin_at_debug")); /* filtered */
    assert_int_equal(trace_scope_elapsed_ns(&a), -1);
    TRACE_SCOPE_END(&a);
    g_evals = 0;
    TRACE_SCOPE_BEGIN_AT(TRACE_LEVEL_DEBUG, &a, counted("begin_at_debug"));
    assert_int_equal(g_evals, 0);
    TRACE_SCOPE_BEGIN_AT(TRACE_LEVEL_ERROR, &b, "begin_at_error");
    TRACE_SCOPE_END(&b);
    TRACE_SCOPE_END(&a);
    n = take_parse();
    assert_int_equal(n, 1);
    assert_string_equal(g_recs[0].label, "begin_at_error");
    assert_string_equal(g_recs[0].lvl, "ERROR");
}

/* TRACE_TIMING changed while a scope is open: the scope ends in the mode it
   began in (a summary scope writes no record, a records scope writes a
   whole one). TRACE_CPU likewise: cpu_ms only when it was on at the begin. */
static void test_mode_change_mid_scope(void **state) {
    int n;
    (void)state;
    tf_env((const char *const[]){ "TRACE_TIMING=summary", NULL });
    trace_timing_flush();
    {
        TRACE_SCOPE("began_summary");
        tf_env(NULL); /* records */
    }
    n = take_parse();
    assert_int_equal(n, 0);
    tf_env((const char *const[]){ "TRACE_TIMING=summary", NULL });
    trace_timing_flush(); /* the one summary scope */
    n = take_parse();
    assert_int_equal(n, 1);
    assert_string_equal(g_recs[0].msg, "timing_summary");
    assert_string_equal(g_recs[0].label, "began_summary");
    tf_env(NULL);
    {
        TRACE_SCOPE("began_records");
        tf_env((const char *const[]){ "TRACE_TIMING=summary", "TRACE_CPU=1", NULL });
    }
    n = take_parse();
    assert_int_equal(n, 1);
    check_timing_common(&g_recs[0]);
    assert_string_equal(g_recs[0].label, "began_records");
    assert_null(strstr(g_recs[0].raw, "cpu_ms"));
    assert_null(strstr(g_recs[0].raw, "\"trace\""));
    tf_env((const char *const[]){ "TRACE_CPU=1", NULL });
    {
        TRACE_SCOPE("cpu_on_at_begin");
        tf_env(NULL);
    }
    n = take_parse();
    assert_int_equal(n, 1);
    assert_string_equal(g_recs[0].label, "cpu_on_at_begin");
    assert_non_null(strstr(g_recs[0].raw, "\"cpu_ms\":"));
    assert_true(g_recs[0].cpu_ms >= 0.0 && g_recs[0].cpu_ms <= g_recs[0].ms + 0.05);
    /* the same with labels that are not literals (the out-of-line begin) */
    tf_env((const char *const[]){ "TRACE_TIMING=summary", NULL });
    trace_timing_flush();
    {
        TRACE_SCOPE(counted("began_summary_nl"));
        tf_env(NULL);
    }
    n = take_parse();
    assert_int_equal(n, 0);
    tf_env((const char *const[]){ "TRACE_TIMING=summary", NULL });
    trace_timing_flush();
    n = take_parse();
    assert_int_equal(n, 1);
    assert_string_equal(g_recs[0].msg, "timing_summary");
    assert_string_equal(g_recs[0].label, "began_summary_nl");
    tf_env(NULL);
    {
        TRACE_SCOPE(counted("began_records_nl"));
        tf_env((const char *const[]){ "TRACE_TIMING=summary", NULL });
    }
    n = take_parse();
    assert_int_equal(n, 1);
    check_timing_common(&g_recs[0]);
    assert_string_equal(g_recs[0].label, "began_records_nl");
    tf_env(NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_filtered_first_call_in_file, setup),
        cmocka_unit_test_setup(test_level_dropped_in_label, setup),
        cmocka_unit_test_setup(test_end_by_return, setup),
        cmocka_unit_test_setup(test_end_by_break_and_continue, setup),
        cmocka_unit_test_setup(test_end_by_fall_through, setup),
        cmocka_unit_test_setup(test_end_by_goto, setup),
        cmocka_unit_test_setup(test_record_fields, setup),
        cmocka_unit_test_setup(test_plain_and_logfmt, setup),
        cmocka_unit_test_setup(test_label_escaped, setup),
        cmocka_unit_test_setup(test_nesting_rebuilds_tree, setup),
        cmocka_unit_test_setup(test_two_scopes_on_one_line, setup),
        cmocka_unit_test_setup(test_begin_end_across_functions, setup),
        cmocka_unit_test_setup(test_out_of_order_end, setup),
        cmocka_unit_test_setup(test_elapsed, setup),
        cmocka_unit_test_setup(test_filtered_by_level, setup),
        cmocka_unit_test_setup(test_timing_off, setup),
        cmocka_unit_test_setup(test_cpu_time, setup),
        cmocka_unit_test_setup(test_thread_fields, setup),
        cmocka_unit_test_setup(test_fork_child_fields, setup),
        cmocka_unit_test_setup(test_end_in_other_thread, setup),
        cmocka_unit_test_setup(test_detach_then_end_elsewhere, setup),
        cmocka_unit_test_setup(test_begin_at_level, setup),
        cmocka_unit_test_setup(test_mode_change_mid_scope, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
