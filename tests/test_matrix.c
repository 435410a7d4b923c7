/* test_matrix.c - the level matrix: this one source is built once per
   TRACE_MIN_LEVEL (DEBUG, INFO, WARNING, ERROR, CRITICAL) and once with
   TRACE_DISABLE, as C11 and as C++17 (test_matrix.cpp includes this file).
   It uses every public macro and function, counts how often arguments are
   evaluated (never for a removed or filtered call, exactly once for a
   written one) and checks which records appear.

   Records go to stdout, which the test points at a temporary file (so even
   a disabled build that wrote anything would be caught). check_removed.sh
   then looks for the message strings of removed calls in the binary: every
   message below is unique ("MATRIX-<tag>-..."), and the expected records are
   composed at run time from pieces, so no other string contains them. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "test_util.h"
#include "trace.h"

#ifdef TRACE_DISABLE
#define M_MIN (TRACE_LEVEL_OFF + 1) /* nothing is ever written */
#define M_ENABLED 0
#else
#define M_MIN TRACE_MIN_LEVEL
#define M_ENABLED 1
#endif

static int g_evals;
static volatile int g_branch = 1; /* volatile: both arms stay in the binary */
static int g_out = -1;

static int ev(int v) {
    g_evals++;
    return v;
}
static const char *evs(const char *s) {
    g_evals++;
    return s;
}

/* The record-writing macros, in call order. */
static const struct {
    int level;
    const char *name, *tag;
} LV[6] = {
    { TRACE_LEVEL_DEBUG, "DEBUG", "debug" },       { TRACE_LEVEL_INFO, "INFO", "info" },
    { TRACE_LEVEL_WARNING, "WARNING", "warning" }, { TRACE_LEVEL_WARNING, "WARNING", "warn" },
    { TRACE_LEVEL_ERROR, "ERROR", "error" },       { TRACE_LEVEL_CRITICAL, "CRITICAL", "critical" },
};

/* Every record macro once, printf-style then _KV, then an if/else without
   braces. A written printf-style call evaluates 1 argument, a _KV call 3. */
static void call_all(void) {
    int only_in_debug = 7; /* used by a call that some builds remove */
    TRACE_DEBUG("MATRIX-debug-fmt %d", ev(1));
    TRACE_INFO("MATRIX-info-fmt %d", ev(2));
    TRACE_WARNING("MATRIX-warning-fmt %d", ev(3));
    TRACE_WARN("MATRIX-warn-fmt %d", ev(4));
    TRACE_ERROR("MATRIX-error-fmt %d", ev(5));
    TRACE_CRITICAL("MATRIX-critical-fmt %d", ev(6));
    TRACE_DEBUG_KV("MATRIX-debug-kv", evs("k"), ev(1), "s", evs("v"));
    TRACE_INFO_KV("MATRIX-info-kv", evs("k"), ev(2), "s", evs("v"));
    TRACE_WARNING_KV("MATRIX-warning-kv", evs("k"), ev(3), "s", evs("v"));
    TRACE_WARN_KV("MATRIX-warn-kv", evs("k"), ev(4), "s", evs("v"));
    TRACE_ERROR_KV("MATRIX-error-kv", evs("k"), ev(5), "s", evs("v"));
    TRACE_CRITICAL_KV("MATRIX-critical-kv", evs("k"), ev(6), "s", evs("v"));
    if (g_branch)
        TRACE_DEBUG("MATRIX-debug-if %d", only_in_debug);
    else
        TRACE_DEBUG("MATRIX-debug-else %d", only_in_debug);
    if (!g_branch)
        TRACE_ERROR_KV("MATRIX-error-kv-if", "k", 1);
    else
        TRACE_ERROR_KV("MATRIX-error-kv-else", "k", ev(2));
}

/* What call_all writes in plain format at run-time level rt, and how many
   evaluations that costs. */
static char *expected_all(int rt, int *evals) {
    char *s = (char *)malloc(4096);
    size_t o = 0;
    int i;
    assert_non_null(s);
    *evals = 0;
    s[0] = 0;
    for (i = 0; i < 6; i++)
        if (LV[i].level >= M_MIN && LV[i].level >= rt) {
            o += (size_t)snprintf(s + o, 4096 - o, "[%s] MATRIX-%s-fmt %d\n", LV[i].name,
                                  LV[i].tag, i + 1);
            *evals += 1;
        }
    for (i = 0; i < 6; i++)
        if (LV[i].level >= M_MIN && LV[i].level >= rt) {
            o += (size_t)snprintf(s + o, 4096 - o, "[%s] MATRIX-%s-kv k=%d s=v\n", LV[i].name,
                                  LV[i].tag, i + 1);
            *evals += 3;
        }
    if (TRACE_LEVEL_DEBUG >= M_MIN && TRACE_LEVEL_DEBUG >= rt)
        o += (size_t)snprintf(s + o, 4096 - o, "[DEBUG] MATRIX-%s-if 7\n", LV[0].tag);
    if (TRACE_LEVEL_ERROR >= M_MIN && TRACE_LEVEL_ERROR >= rt) {
        o += (size_t)snprintf(s + o, 4096 - o, "[ERROR] MATRIX-%s-kv-else k=2\n", LV[4].tag);
        *evals += 1;
    }
    return s;
}

/* stdout goes to the temporary file while the calls run. */
static int g_saved_stdout = -1;
static void capture_begin(void) {
    fflush(stdout);
    g_saved_stdout = dup(1);
    assert_true(g_saved_stdout >= 0);
    assert_int_equal(dup2(g_out, 1), 1);
    tu_clear(g_out);
}
static char *capture_end(void) {
    fflush(stdout);
    assert_int_equal(dup2(g_saved_stdout, 1), 1);
    close(g_saved_stdout);
    return tu_take(g_out);
}

static void run_and_check(int rt, const char *what) {
    int want_evals;
    char *exp = expected_all(rt, &want_evals), *got;
    g_evals = 0;
    capture_begin();
    call_all();
    trace_flush();
    got = capture_end();
    if (strcmp(got, exp) != 0) print_error("%s (run-time level %d)\n", what, rt);
    tu_expect_eq(got, exp, __FILE__, __LINE__);
    if (g_evals != want_evals) {
        print_error("%s: %d argument evaluations, expected %d\n", what, g_evals, want_evals);
        fail();
    }
    free(exp);
    free(got);
}

static int setup(void **state) {
    (void)state;
    unsetenv("LOG_LEVEL");
    unsetenv("LOG_FORMAT");
    unsetenv("LOG_BUFFER");
    unsetenv("TRACEPARENT");
    if (g_out < 0) g_out = tu_tmpfd();
    trace_set_output(1);
    trace_set_format(TRACE_FORMAT_PLAIN);
    assert_int_equal(trace_set_buffer(0), 0);
    trace_set_level(NULL, TRACE_LEVEL_DEBUG);
    trace_set_level("app", TRACE_LEVEL_DEBUG);
    return 0;
}

/* Every run-time level: removed calls never appear nor evaluate; filtered
   ones neither; written ones evaluate each argument once. */
static void test_levels(void **state) {
    static const int rts[] = { TRACE_LEVEL_DEBUG, TRACE_LEVEL_INFO, TRACE_LEVEL_WARNING,
                               TRACE_LEVEL_ERROR, TRACE_LEVEL_CRITICAL, TRACE_LEVEL_OFF };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof rts / sizeof rts[0]; i++) {
        trace_set_level(NULL, rts[i]);
        trace_set_level("app", rts[i]);
        assert_int_equal(trace_get_level(NULL), M_ENABLED ? rts[i] : TRACE_LEVEL_OFF);
        run_and_check(rts[i], "default level");
    }
    /* a module level of its own beats the default */
    trace_set_level(NULL, TRACE_LEVEL_DEBUG);
    trace_set_level("app", TRACE_LEVEL_ERROR);
    assert_int_equal(trace_get_level("app"), M_ENABLED ? TRACE_LEVEL_ERROR : TRACE_LEVEL_OFF);
    run_and_check(TRACE_LEVEL_ERROR, "module level");
}

static void test_formats(void **state) {
    int f, want, i;
    (void)state;
    for (f = TRACE_FORMAT_JSON; f <= TRACE_FORMAT_LOGFMT; f++) {
        char *got, *line;
        int lines = 0;
        trace_set_format(f);
        g_evals = 0;
        capture_begin();
        call_all();
        got = capture_end();
        for (line = got; *line; line = strchr(line, '\n') + 1) {
            const char *prefix = f == TRACE_FORMAT_JSON ? "{\"ts\":\"" : "ts=";
            assert_true(strncmp(line, prefix, strlen(prefix)) == 0);
            assert_non_null(strstr(line, "MATRIX-"));
            assert_non_null(strchr(line, '\n'));
            lines++;
        }
        for (i = 0, want = 0; i < 6; i++) want += LV[i].level >= M_MIN ? 2 : 0;
        want += (TRACE_LEVEL_DEBUG >= M_MIN) + (TRACE_LEVEL_ERROR >= M_MIN);
        assert_int_equal(lines, want);
        free(got);
    }
    trace_set_format(TRACE_FORMAT_PLAIN);
}

/* Buffered mode holds an INFO record until trace_flush. */
static void test_buffer_and_flush(void **state) {
    char *got;
    (void)state;
    assert_int_equal(trace_set_buffer(65536), 0);
    g_evals = 0;
    capture_begin();
    TRACE_INFO("MATRIX-info-buffered %d", ev(1));
    {
        size_t n;
        char *before = tu_read_all(g_out, &n);
        assert_int_equal(n, 0);
        free(before);
    }
    trace_flush();
    got = capture_end();
    if (TRACE_LEVEL_INFO >= M_MIN) {
        assert_string_equal(got, "[INFO] MATRIX-info-buffered 1\n");
        assert_int_equal(g_evals, 1);
    } else {
        assert_string_equal(got, "");
        assert_int_equal(g_evals, 0);
    }
    free(got);
    run_and_check(TRACE_LEVEL_DEBUG, "buffered mode");
    assert_int_equal(trace_set_buffer(0), 0);
}

/* Records that cannot be written are counted. */
static void test_dropped(void **state) {
    int full = open("/dev/full", O_WRONLY), i, written = 0;
    uint64_t before = trace_dropped();
    (void)state;
    assert_true(full >= 0);
    for (i = 0; i < 6; i++) written += LV[i].level >= M_MIN ? 2 : 0;
    written += (TRACE_LEVEL_DEBUG >= M_MIN) + (TRACE_LEVEL_ERROR >= M_MIN);
    trace_set_output(full);
    call_all();
    trace_set_output(1);
    close(full);
    assert_int_equal(trace_dropped() - before, (uint64_t)written);
}

/* trace_reload reads LOG_LEVEL again. */
static void test_reload(void **state) {
    (void)state;
    setenv("LOG_LEVEL", "ERROR", 1);
    trace_reload();
    unsetenv("LOG_LEVEL");
    assert_int_equal(trace_get_level(NULL), M_ENABLED ? TRACE_LEVEL_ERROR : TRACE_LEVEL_OFF);
    assert_int_equal(trace_get_level("app"), M_ENABLED ? TRACE_LEVEL_ERROR : TRACE_LEVEL_OFF);
    run_and_check(TRACE_LEVEL_ERROR, "after trace_reload");
    trace_reload();
    assert_int_equal(trace_get_level(NULL), M_ENABLED ? TRACE_LEVEL_INFO : TRACE_LEVEL_OFF);
}

/* Scopes, trace context and the rest of the API: they compile in every
   build; a removed scope evaluates nothing and writes nothing. */
static void scopes(void) {
    trace_scope sc;
    TRACE_SCOPE(evs("MATRIX-scope-info")); TRACE_SCOPE(evs("MATRIX-scope-info2"));
    TRACE_SCOPE_AT(TRACE_LEVEL_ERROR, evs("MATRIX-scope-error"));
    TRACE_SCOPE_MEMORY(evs("MATRIX-scope-memory"));
    TRACE_SCOPE_BEGIN(&sc, evs("MATRIX-scope-begin"));
    (void)trace_scope_elapsed_ns(&sc);
    (void)trace_elapsed_ns();
    TRACE_SCOPE_END(&sc);
    TRACE_SCOPE_BEGIN_AT(TRACE_LEVEL_WARNING, &sc, evs("MATRIX-scope-warning-begin"));
    trace_scope_detach(&sc);
    TRACE_SCOPE_END(&sc);
    TRACE_MEMORY("MATRIX-memory-info");
}

static int count_substr(const char *s, const char *sub) {
    int n = 0;
    while ((s = strstr(s, sub)) != NULL) {
        n++;
        s += strlen(sub);
    }
    return n;
}

static void test_scopes_and_context(void **state) {
    char *got, tp[TRACE_TRACEPARENT_SIZE];
    trace_ctx c, cur;
    long peak = 0;
    int info_live = TRACE_LEVEL_INFO >= M_MIN, error_live = TRACE_LEVEL_ERROR >= M_MIN;
    int warning_live = TRACE_LEVEL_WARNING >= M_MIN;
    (void)state;
    g_evals = 0;
    capture_begin();
    scopes();
    got = capture_end();
    assert_int_equal(g_evals, 4 * info_live + warning_live + error_live);
    assert_int_equal(count_substr(got, "] timing "), 4 * info_live + warning_live + error_live);
    {
        char want[64]; /* composed: the literal must stay out of the binary */
        snprintf(want, sizeof want, "[WARNING] timing label=MATRIX-%s-begin ", "scope-warning");
        assert_int_equal(count_substr(got, want), warning_live);
    }
    {
        char want[64]; /* composed: the literal must stay out of the binary */
        snprintf(want, sizeof want, "label=MATRIX-%s-info", "memory");
        assert_int_equal(count_substr(got, want), info_live);
    }
    free(got);

    /* W3C traceparent round trip; a record inside TRACE_TRACE_FROM carries
       the trace ID */
    memset(&c, 0, sizeof c);
    if (M_ENABLED) {
        assert_int_equal(trace_traceparent_parse(
                             "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", &c), 0);
        trace_traceparent_format(&c, tp);
        assert_string_equal(tp, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    } else {
        assert_true(trace_traceparent_parse(
                        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", &c) != 0);
    }
    capture_begin();
    {
        TRACE_TRACE_FROM("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        TRACE_CRITICAL("MATRIX-critical-in-trace");
        cur = trace_ctx_current();
        assert_int_equal(cur.trace_lo, M_ENABLED ? 0x8448eb211c80319cULL : 0);
    }
    {
        trace_ctx n = trace_ctx_new();
        TRACE_CONTEXT(&n);
        TRACE_TRACE_NEW();
        trace_sample(1);
        trace_ctx_set(&n);
        trace_ctx_set(NULL);
    }
    got = capture_end();
    assert_int_equal(count_substr(got, "trace=0af7651916cd43dd8448eb211c80319c"),
                     TRACE_LEVEL_CRITICAL >= M_MIN);
    free(got);
    cur = trace_ctx_current();
    assert_int_equal(cur.trace_hi | cur.trace_lo, 0);
    (void)trace_new_span_id();
    assert_int_equal(trace_traceparent_setenv(), -1); /* no trace current */
    trace_set_thread_name("matrix");
    trace_timing_flush();
    (void)trace_rss_kb(&peak);
}

/* Compile-time constants are there in every build. */
static void test_constants(void **state) {
    (void)state;
    assert_int_equal(TRACE_LEVEL_DEBUG, 10);
    assert_int_equal(TRACE_LEVEL_INFO, 20);
    assert_int_equal(TRACE_LEVEL_WARNING, 30);
    assert_int_equal(TRACE_LEVEL_ERROR, 40);
    assert_int_equal(TRACE_LEVEL_CRITICAL, 50);
    assert_int_equal(TRACE_LEVEL_OFF, 60);
    assert_true(TRACE_FORMAT_PLAIN != TRACE_FORMAT_JSON && TRACE_FORMAT_JSON != TRACE_FORMAT_LOGFMT);
    assert_int_equal(TRACE_RECORD_MAX, 4096);
    assert_string_equal(TRACE_VERSION, "0.1.0");
    assert_int_equal(TRACE_VERSION_MAJOR * 10000 + TRACE_VERSION_MINOR * 100 + TRACE_VERSION_PATCH,
                     100);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_constants, setup),
        cmocka_unit_test_setup(test_levels, setup),
        cmocka_unit_test_setup(test_formats, setup),
        cmocka_unit_test_setup(test_buffer_and_flush, setup),
        cmocka_unit_test_setup(test_dropped, setup),
        cmocka_unit_test_setup(test_reload, setup),
        cmocka_unit_test_setup(test_scopes_and_context, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
