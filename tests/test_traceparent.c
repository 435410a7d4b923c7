/* test_traceparent.c - trace context (issue 4, point 5): W3C traceparent
   format and parse (round trip; every malformed class returns its
   documented negative code and leaves *out untouched; a higher version with
   extra fields is accepted); the TRACEPARENT environment variable (records
   carry its trace, top-level scopes have its span as parent, a bad value
   warns once and is ignored); trace_traceparent_setenv() for a child
   process; a context adopted in a worker thread; scoped contexts restored at
   block end; no context at all.

   Child processes are this program again: `test_traceparent env-child`
   logs a few records and scopes under whatever environment it was given. */
#define _GNU_SOURCE
#include "test_util.h"
#include "trace.h"
#include "test_scope_util.h"

#include <pthread.h>

#define TRACE_HEX "0af7651916cd43dd8448eb211c80319c"
#define SPAN_HEX "b7ad6b7169203331"
#define VALID "00-" TRACE_HEX "-" SPAN_HEX "-01"
#define VALID00 "00-" TRACE_HEX "-" SPAN_HEX "-00"

#define MAXREC 32
static tf_rec g_recs[MAXREC];

static int parse_text(const char *s) {
    int n = tf_parse(s, g_recs, MAXREC);
    assert_true(n <= MAXREC);
    return n;
}
static int take_parse(void) {
    char *s = tf_take();
    int n = parse_text(s);
    free(s);
    return n;
}

static int setup(void **state) {
    (void)state;
    tf_env(NULL);
    return 0;
}

/* --- format and parse ---------------------------------------------------------- */

static void test_parse_known_vector(void **state) {
    trace_ctx c;
    char tp[TRACE_TRACEPARENT_SIZE];
    (void)state;
    assert_int_equal(TRACE_TRACEPARENT_SIZE, 56);
    memset(&c, 0, sizeof c);
    assert_int_equal(trace_traceparent_parse(VALID, &c), 0);
    assert_true(c.trace_hi == 0x0af7651916cd43ddULL);
    assert_true(c.trace_lo == 0x8448eb211c80319cULL);
    assert_true(c.span == 0xb7ad6b7169203331ULL);
    assert_int_equal(c.flags, 1);
    trace_traceparent_format(&c, tp);
    assert_string_equal(tp, VALID);
    assert_int_equal(trace_traceparent_parse(VALID00, &c), 0);
    assert_int_equal(c.flags, 0);
    trace_traceparent_format(&c, tp);
    assert_string_equal(tp, VALID00);
}

static void test_round_trip(void **state) {
    int i;
    (void)state;
    for (i = 0; i < 2000; i++) {
        trace_ctx a = trace_ctx_new(), b;
        char tp[TRACE_TRACEPARENT_SIZE];
        a.span = trace_new_span_id();
        a.flags = (unsigned)(i & 0xff);
        memset(tp, 'X', sizeof tp);
        trace_traceparent_format(&a, tp);
        assert_int_equal(strlen(tp), 55);
        memset(&b, 0, sizeof b);
        assert_int_equal(trace_traceparent_parse(tp, &b), 0);
        assert_true(a.trace_hi == b.trace_hi && a.trace_lo == b.trace_lo);
        assert_true(a.span == b.span);
        assert_int_equal(a.flags & 1u, b.flags); /* version 00: only "sampled" is written */
        assert_string_equal(tp + 53, (a.flags & 1u) ? "01" : "00");
    }
    /* no trace: no header (an all-zero trace ID is invalid) */
    {
        trace_ctx none = { 0, 0, 0, 1 };
        char tp[TRACE_TRACEPARENT_SIZE];
        memset(tp, 'X', sizeof tp);
        trace_traceparent_format(&none, tp);
        assert_string_equal(tp, "");
    }
    /* a context without a span still gives a header that parses */
    {
        trace_ctx a = trace_ctx_new(), b;
        char tp[TRACE_TRACEPARENT_SIZE];
        a.span = 0;
        trace_traceparent_format(&a, tp);
        assert_int_equal(trace_traceparent_parse(tp, &b), 0);
        assert_true(b.trace_hi == a.trace_hi && b.trace_lo == a.trace_lo && b.span != 0);
    }
}

typedef struct bad_case {
    const char *what, *s;
    int code;
} bad_case;

static const bad_case BAD[] = {
    { "empty", "", TRACE_TRACEPARENT_EFORMAT },
    { "54 characters", "00-" TRACE_HEX "-" SPAN_HEX "-0", TRACE_TRACEPARENT_EFORMAT },
    { "short trace id", "00-0af7651916cd43dd8448eb211c80319-" SPAN_HEX "-01",
      TRACE_TRACEPARENT_EFORMAT },
    { "long span id", "00-" TRACE_HEX "-b7ad6b71692033310-01", TRACE_TRACEPARENT_EFORMAT },
    { "version 00, 56 characters", VALID "0", TRACE_TRACEPARENT_EFORMAT },
    { "version 00 with trailing data", VALID "-extra", TRACE_TRACEPARENT_EFORMAT },
    { "version 00 with a trailing dash", VALID "-", TRACE_TRACEPARENT_EFORMAT },
    { "version 00 with a trailing space", VALID " ", TRACE_TRACEPARENT_EFORMAT },
    { "leading space", " " VALID, TRACE_TRACEPARENT_EFORMAT },
    { "uppercase trace id", "00-0AF7651916CD43DD8448EB211C80319C-" SPAN_HEX "-01",
      TRACE_TRACEPARENT_EFORMAT },
    { "one uppercase digit", "00-0af7651916cd43dd8448eb211c80319C-" SPAN_HEX "-01",
      TRACE_TRACEPARENT_EFORMAT },
    { "uppercase span id", "00-" TRACE_HEX "-B7AD6B7169203331-01", TRACE_TRACEPARENT_EFORMAT },
    { "uppercase flags", "00-" TRACE_HEX "-" SPAN_HEX "-0A", TRACE_TRACEPARENT_EFORMAT },
    { "uppercase version", "0A-" TRACE_HEX "-" SPAN_HEX "-01", TRACE_TRACEPARENT_EFORMAT },
    { "non-hex in trace id", "00-0af7651916cd43dd8448eb211c80319g-" SPAN_HEX "-01",
      TRACE_TRACEPARENT_EFORMAT },
    { "non-hex in span id", "00-" TRACE_HEX "-b7ad6b716920333z-01", TRACE_TRACEPARENT_EFORMAT },
    { "non-hex in flags", "00-" TRACE_HEX "-" SPAN_HEX "-0x", TRACE_TRACEPARENT_EFORMAT },
    { "non-hex version", "0x-" TRACE_HEX "-" SPAN_HEX "-01", TRACE_TRACEPARENT_EFORMAT },
    { "sign in span id", "00-" TRACE_HEX "-+7ad6b7169203331-01", TRACE_TRACEPARENT_EFORMAT },
    { "all-zero trace id", "00-00000000000000000000000000000000-" SPAN_HEX "-01",
      TRACE_TRACEPARENT_EZERO },
    { "all-zero span id", "00-" TRACE_HEX "-0000000000000000-01", TRACE_TRACEPARENT_EZERO },
    { "version ff", "ff-" TRACE_HEX "-" SPAN_HEX "-01", TRACE_TRACEPARENT_EVERSION },
    { "version ff with more fields", "ff-" TRACE_HEX "-" SPAN_HEX "-01-abc",
      TRACE_TRACEPARENT_EVERSION },
    { "first dash missing", "00_" TRACE_HEX "-" SPAN_HEX "-01", TRACE_TRACEPARENT_EFORMAT },
    { "second dash missing", "00-" TRACE_HEX "_" SPAN_HEX "-01", TRACE_TRACEPARENT_EFORMAT },
    { "third dash missing", "00-" TRACE_HEX "-" SPAN_HEX "_01", TRACE_TRACEPARENT_EFORMAT },
    { "no dashes", "00" TRACE_HEX SPAN_HEX "01", TRACE_TRACEPARENT_EFORMAT },
    { "dashes shifted", "00-0af7651916cd43dd8448eb211c80319-cb7ad6b7169203331-01",
      TRACE_TRACEPARENT_EFORMAT },
    { "higher version, flags not followed by a dash", "01-" TRACE_HEX "-" SPAN_HEX "-01x",
      TRACE_TRACEPARENT_EFORMAT },
    { "higher version, 54 characters", "01-" TRACE_HEX "-" SPAN_HEX "-0",
      TRACE_TRACEPARENT_EFORMAT },
    { "higher version, all-zero trace id",
      "01-00000000000000000000000000000000-" SPAN_HEX "-01-x", TRACE_TRACEPARENT_EZERO },
};

static void test_malformed_classes(void **state) {
    size_t i;
    (void)state;
    assert_true(TRACE_TRACEPARENT_EFORMAT < 0 && TRACE_TRACEPARENT_EZERO < 0 &&
                TRACE_TRACEPARENT_EVERSION < 0);
    for (i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        trace_ctx out, before;
        int rc;
        memset(&out, 0xA5, sizeof out);
        memcpy(&before, &out, sizeof out);
        rc = trace_traceparent_parse(BAD[i].s, &out);
        if (rc != BAD[i].code) {
            print_error("%s (\"%s\"): returned %d, expected %d\n", BAD[i].what, BAD[i].s, rc,
                        BAD[i].code);
            fail();
        }
        if (memcmp(&out, &before, sizeof out) != 0) {
            print_error("%s: *out was changed on error\n", BAD[i].what);
            fail();
        }
    }
}

static void test_null_arguments(void **state) {
    trace_ctx out, before;
    (void)state;
    memset(&out, 0x5A, sizeof out);
    memcpy(&before, &out, sizeof out);
    assert_int_equal(trace_traceparent_parse(NULL, &out), TRACE_TRACEPARENT_EFORMAT);
    assert_memory_equal(&out, &before, sizeof out);
    assert_true(trace_traceparent_parse(VALID, NULL) < 0);
}

static void test_higher_version_accepted(void **state) {
    static const char *const ok[] = {
        "01-" TRACE_HEX "-" SPAN_HEX "-01",
        "01-" TRACE_HEX "-" SPAN_HEX "-01-",
        "cc-" TRACE_HEX "-" SPAN_HEX "-01-what-the-future-will-be-like",
        "fe-" TRACE_HEX "-" SPAN_HEX "-00-extra",
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        trace_ctx c;
        int rc;
        memset(&c, 0, sizeof c);
        rc = trace_traceparent_parse(ok[i], &c);
        if (rc != 0) {
            print_error("\"%s\" rejected with %d\n", ok[i], rc);
            fail();
        }
        assert_true(c.trace_hi == 0x0af7651916cd43ddULL && c.trace_lo == 0x8448eb211c80319cULL);
        assert_true(c.span == 0xb7ad6b7169203331ULL);
        assert_int_equal(c.flags, i == 3 ? 0 : 1);
    }
}

/* --- the TRACEPARENT variable ---------------------------------------------------- */

/* Child mode "env-child": records and scopes under the given environment. */
static int child_env(void) {
    trace_ctx c;
    char tp[TRACE_TRACEPARENT_SIZE];
    TRACE_INFO("top record");
    {
        TRACE_SCOPE("top_scope");
        TRACE_INFO("inside");
        {
            TRACE_SCOPE("nested");
        }
    }
    TRACE_DEBUG("dbg");
    { TRACE_SCOPE("second_top"); }
    c = trace_ctx_current();
    if (c.trace_hi | c.trace_lo) {
        trace_traceparent_format(&c, tp);
        TRACE_INFO_KV("current", "tp", tp);
    } else {
        TRACE_INFO_KV("current", "tp", "none");
    }
    return 0;
}

static void test_traceparent_env_joins_trace(void **state) {
    const char *env[] = { TF_CHILD_ENV, "TRACEPARENT=" VALID00, NULL };
    tf_child_out r;
    const tf_rec *top, *nested, *rec, *inside, *second;
    int n, i;
    (void)state;
    r = tf_child("env-child", NULL, env);
    tu_assert_exit0(r.status);
    assert_string_equal(r.err, "");
    n = parse_text(r.out);
    assert_int_equal(n, 6); /* no DEBUG: flags 00, TRACE_SAMPLE unset */
    for (i = 0; i < n; i++) assert_string_equal(g_recs[i].trace, TRACE_HEX);
    rec = tf_find(g_recs, n, "top record", NULL);
    inside = tf_find(g_recs, n, "inside", NULL);
    top = tf_find(g_recs, n, "timing", "top_scope");
    nested = tf_find(g_recs, n, "timing", "nested");
    second = tf_find(g_recs, n, "timing", "second_top");
    assert_string_equal(rec->span, SPAN_HEX); /* outside scopes: the caller's span */
    assert_string_equal(top->parent, SPAN_HEX);
    assert_string_equal(second->parent, SPAN_HEX);
    assert_string_equal(nested->parent, top->span);
    assert_string_equal(inside->span, top->span);
    assert_string_not_equal(top->span, SPAN_HEX);
    assert_non_null(strstr(tf_find(g_recs, n, "current", NULL)->raw, "\"tp\":\"" VALID00 "\""));
    tf_child_free(&r);
}

static void test_traceparent_env_sampled_forces_debug(void **state) {
    const char *env[] = { TF_CHILD_ENV, "TRACEPARENT=" VALID, NULL };
    tf_child_out r;
    int n;
    (void)state;
    r = tf_child("env-child", NULL, env);
    tu_assert_exit0(r.status);
    n = parse_text(r.out);
    assert_int_equal(n, 7);
    assert_string_equal(tf_find(g_recs, n, "dbg", NULL)->lvl, "DEBUG");
    assert_string_equal(tf_find(g_recs, n, "dbg", NULL)->trace, TRACE_HEX);
    tf_child_free(&r);
}

static void test_bad_traceparent_env(void **state) {
    static const char *const bad[] = {
        "TRACEPARENT=00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01",
        "TRACEPARENT=garbage",
        "TRACEPARENT=00-00000000000000000000000000000000-b7ad6b7169203331-01",
        "TRACEPARENT=ff-" TRACE_HEX "-" SPAN_HEX "-01",
        "TRACEPARENT=" VALID "-trailing",
    };
    size_t k;
    (void)state;
    for (k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        const char *env[] = { TF_CHILD_ENV, bad[k], NULL };
        tf_child_out r = tf_child("env-child", NULL, env);
        int n, i;
        tu_assert_exit0(r.status);
        /* one warning, one line, naming the variable */
        if (tf_count_lines(r.err) != 1 || tf_count_substr(r.err, "TRACEPARENT") != 1) {
            print_error("%s: stderr is \"%s\"\n", bad[k], r.err);
            fail();
        }
        n = parse_text(r.out);
        assert_int_equal(n, 6);
        for (i = 0; i < n; i++) {
            assert_string_equal(g_recs[i].trace, "-"); /* ignored: no trace */
            if (strcmp(g_recs[i].msg, "timing") == 0 && strcmp(g_recs[i].label, "nested") != 0)
                assert_string_equal(g_recs[i].parent, "-");
        }
        assert_string_equal(tf_find(g_recs, n, "top record", NULL)->span, "-");
        assert_non_null(strstr(tf_find(g_recs, n, "current", NULL)->raw, "\"tp\":\"none\""));
        tf_child_free(&r);
    }
}

static void test_setenv_hands_context_to_child(void **state) {
    /* the child inherits TRACEPARENT: do not unset it */
    const char *env[] = { "LOG_FORMAT=json", "LOG_LEVEL", "TRACE_SAMPLE", "TRACE_TIMING", NULL };
    char parent_trace[33], parent_span[17];
    tf_child_out r;
    const tf_rec *top;
    trace_ctx c, cur;
    int n, i;
    (void)state;
    unsetenv("TRACEPARENT");
    assert_int_equal(trace_traceparent_setenv(), -1); /* no trace current */
    assert_null(getenv("TRACEPARENT"));
    {
        TRACE_TRACE_NEW();
        TRACE_SCOPE("parent_side");
        cur = trace_ctx_current();
        assert_int_equal(trace_traceparent_setenv(), 0);
        assert_non_null(getenv("TRACEPARENT"));
        assert_int_equal(trace_traceparent_parse(getenv("TRACEPARENT"), &c), 0);
        assert_true(c.trace_hi == cur.trace_hi && c.trace_lo == cur.trace_lo);
        assert_true(c.span == cur.span && c.span != 0); /* the open scope's span */
        snprintf(parent_trace, sizeof parent_trace, "%016llx%016llx",
                 (unsigned long long)c.trace_hi, (unsigned long long)c.trace_lo);
        tf_hex64(c.span, parent_span);
        r = tf_child("env-child", NULL, env);
    }
    unsetenv("TRACEPARENT");
    tu_assert_exit0(r.status);
    n = parse_text(r.out);
    assert_true(n >= 6);
    for (i = 0; i < n; i++) assert_string_equal(g_recs[i].trace, parent_trace);
    top = tf_find(g_recs, n, "timing", "top_scope");
    assert_string_equal(top->parent, parent_span);
    assert_true(top->pid > 0 && top->pid != getpid());
    tf_child_free(&r);
    /* this process's own record of parent_side */
    n = take_parse();
    assert_int_equal(n, 1);
    assert_string_equal(g_recs[0].span, parent_span);
    assert_string_equal(g_recs[0].trace, parent_trace);
}

/* --- in-process contexts ------------------------------------------------------------ */

static trace_ctx g_handed;
static void *worker(void *arg) {
    (void)arg;
    {
        TRACE_CONTEXT(&g_handed);
        TRACE_SCOPE("work");
        TRACE_INFO("working");
    }
    TRACE_INFO("after the context");
    return NULL;
}

static void test_worker_thread_adopts_context(void **state) {
    pthread_t th;
    const tf_rec *dispatch, *work, *working, *after;
    char span[17];
    int n;
    (void)state;
    {
        TRACE_TRACE_NEW();
        TRACE_SCOPE("dispatch");
        g_handed = trace_ctx_current();
        assert_int_equal(pthread_create(&th, NULL, worker, NULL), 0);
        assert_int_equal(pthread_join(th, NULL), 0);
    }
    n = take_parse();
    assert_int_equal(n, 4);
    dispatch = tf_find(g_recs, n, "timing", "dispatch");
    work = tf_find(g_recs, n, "timing", "work");
    working = tf_find(g_recs, n, "working", NULL);
    after = tf_find(g_recs, n, "after the context", NULL);
    assert_true(tf_is_hex_id(dispatch->trace, 32));
    assert_string_equal(work->trace, dispatch->trace);
    assert_string_equal(working->trace, dispatch->trace);
    tf_hex64(g_handed.span, span);
    assert_string_equal(span, dispatch->span);
    assert_string_equal(work->parent, dispatch->span);
    assert_string_equal(working->span, work->span);
    assert_true(work->tid != dispatch->tid);
    /* the worker's context ended with its block */
    assert_string_equal(after->trace, "-");
    assert_string_equal(after->span, "-");
}

static void test_contexts_nest_and_restore(void **state) {
    trace_ctx other = trace_ctx_new(), cur;
    char other_hex[33], outer_hex[33] = "";
    int n;
    (void)state;
    other.span = 0x1122334455667788ULL;
    snprintf(other_hex, sizeof other_hex, "%016llx%016llx", (unsigned long long)other.trace_hi,
             (unsigned long long)other.trace_lo);
    {
        TRACE_TRACE_NEW();
        cur = trace_ctx_current();
        snprintf(outer_hex, sizeof outer_hex, "%016llx%016llx", (unsigned long long)cur.trace_hi,
                 (unsigned long long)cur.trace_lo);
        TRACE_INFO("outer 1");
        {
            TRACE_CONTEXT(&other);
            TRACE_INFO("inner");
        }
        TRACE_INFO("outer 2");
    }
    TRACE_INFO("none");
    {
        TRACE_TRACE_NEW(); TRACE_CONTEXT(&other); TRACE_TRACE_NEW(); /* one line */
        cur = trace_ctx_current();
        assert_true(cur.trace_hi != other.trace_hi || cur.trace_lo != other.trace_lo);
    }
    cur = trace_ctx_current();
    assert_true((cur.trace_hi | cur.trace_lo) == 0);
    trace_ctx_set(&other);
    TRACE_INFO("set");
    trace_ctx_set(NULL);
    TRACE_INFO("unset");
    n = take_parse();
    assert_int_equal(n, 6);
    assert_string_equal(g_recs[0].trace, outer_hex);
    assert_string_equal(g_recs[1].trace, other_hex);
    assert_string_equal(g_recs[1].span, "1122334455667788");
    assert_string_equal(g_recs[2].trace, outer_hex);
    assert_string_equal(g_recs[3].trace, "-");
    assert_string_equal(g_recs[4].trace, other_hex);
    assert_string_equal(g_recs[5].trace, "-");
    assert_string_not_equal(outer_hex, other_hex);
}

static void test_trace_from(void **state) {
    int n;
    (void)state;
    {
        TRACE_TRACE_FROM(VALID00);
        TRACE_INFO("adopted");
    }
    {
        TRACE_TRACE_FROM("not a traceparent"); /* a new trace instead */
        TRACE_INFO("fresh");
    }
    {
        TRACE_TRACE_FROM(NULL);
        TRACE_INFO("fresh too");
    }
    n = take_parse();
    assert_int_equal(n, 3);
    assert_string_equal(g_recs[0].trace, TRACE_HEX);
    assert_string_equal(g_recs[0].span, SPAN_HEX);
    assert_true(tf_is_hex_id(g_recs[1].trace, 32));
    assert_string_not_equal(g_recs[1].trace, TRACE_HEX);
    assert_true(tf_is_hex_id(g_recs[2].trace, 32));
    assert_string_not_equal(g_recs[2].trace, g_recs[1].trace);
}

/* The issue's own example, called from inside a scope (a server loop):
   the handler joins the caller's trace, so its top scope's parent is the
   caller's span, not the loop's (which is in no trace). */
static void test_trace_from_inside_open_scope(void **state) {
    const tf_rec *loop, *handle;
    int n;
    (void)state;
    {
        TRACE_SCOPE("server_loop");
        {
            TRACE_TRACE_FROM(VALID00);
            TRACE_SCOPE("handle");
        }
    }
    n = take_parse();
    assert_int_equal(n, 2);
    handle = tf_find(g_recs, n, "timing", "handle");
    loop = tf_find(g_recs, n, "timing", "server_loop");
    assert_string_equal(handle->trace, TRACE_HEX);
    assert_string_equal(loop->trace, "-");
    if (strcmp(handle->parent, SPAN_HEX) != 0) {
        print_error("handle's parent is %s (server_loop is %s), expected the caller's span %s\n",
                    handle->parent, loop->span, SPAN_HEX);
        fail();
    }
}

static void test_no_context(void **state) {
    trace_ctx c;
    const tf_rec *s, *in, *plain;
    int n;
    (void)state;
    c = trace_ctx_current();
    assert_true((c.trace_hi | c.trace_lo) == 0);
    assert_true(c.span == 0);
    TRACE_INFO("plain");
    {
        TRACE_SCOPE("untraced");
        TRACE_INFO("in");
    }
    n = take_parse();
    assert_int_equal(n, 3);
    plain = tf_find(g_recs, n, "plain", NULL);
    in = tf_find(g_recs, n, "in", NULL);
    s = tf_find(g_recs, n, "timing", "untraced");
    assert_null(strstr(plain->raw, "\"trace\""));
    assert_null(strstr(plain->raw, "\"span\""));
    assert_null(strstr(s->raw, "\"trace\""));
    assert_null(strstr(in->raw, "\"trace\""));
    assert_true(tf_is_hex_id(s->span, 16));
    assert_string_equal(in->span, s->span);
}

int main(int argc, char **argv) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_parse_known_vector, setup),
        cmocka_unit_test_setup(test_round_trip, setup),
        cmocka_unit_test_setup(test_malformed_classes, setup),
        cmocka_unit_test_setup(test_null_arguments, setup),
        cmocka_unit_test_setup(test_higher_version_accepted, setup),
        cmocka_unit_test_setup(test_traceparent_env_joins_trace, setup),
        cmocka_unit_test_setup(test_traceparent_env_sampled_forces_debug, setup),
        cmocka_unit_test_setup(test_bad_traceparent_env, setup),
        cmocka_unit_test_setup(test_setenv_hands_context_to_child, setup),
        cmocka_unit_test_setup(test_worker_thread_adopts_context, setup),
        cmocka_unit_test_setup(test_contexts_nest_and_restore, setup),
        cmocka_unit_test_setup(test_trace_from, setup),
        cmocka_unit_test_setup(test_trace_from_inside_open_scope, setup),
        cmocka_unit_test_setup(test_no_context, setup),
    };
    if (argc > 1 && strcmp(argv[1], "env-child") == 0) return child_env();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
