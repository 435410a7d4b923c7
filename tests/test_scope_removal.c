/* test_scope_removal.c - compile-time removal of scopes and contexts
   (issue 4, point 9). Built twice: with TRACE_DISABLE, and with
   TRACE_MIN_LEVEL=TRACE_LEVEL_ERROR.

   TRACE_DISABLE: every scope, context and memory macro is gone: no argument
   is evaluated, nothing is written, and no label or traceparent string is
   left in the binary. TRACE_MIN_LEVEL=ERROR: scopes and memory samples below
   ERROR are gone the same way (labels not evaluated, not in the binary);
   contexts and ERROR scopes stay and work (their strings are in the binary:
   the check can fail). The binary is this program (/proc/self/exe); the
   strings looked for are put together at run time, so only the macros'
   own arguments could hold them. */
#define _GNU_SOURCE
#include "test_util.h"
#include "trace.h"

#ifdef TRACE_DISABLE
#define LIVE_CONTEXT 0
#define LIVE_ERROR 0
#else
#define LIVE_CONTEXT 1
#define LIVE_ERROR (TRACE_LEVEL_ERROR >= TRACE_MIN_LEVEL)
#endif
#define LIVE_INFO (LIVE_ERROR && TRACE_LEVEL_INFO >= TRACE_MIN_LEVEL)

static int g_evals;
static const char *ev_s(const char *s) {
    g_evals++;
    return s;
}
static trace_ctx g_ctx;
static const trace_ctx *ev_ctx(void) {
    g_evals++;
    return &g_ctx;
}
/* ev_ctx is also named outside the macros, so that this file builds even
   where a removed TRACE_CONTEXT leaves it "unneeded" (test_scope_warnings
   checks that case on its own). */
static const trace_ctx *(*volatile g_ev_ctx)(void) = ev_ctx;
static trace_scope g_sc;
static trace_scope *ev_sc(void) {
    g_evals++;
    return &g_sc;
}

/* Below ERROR: removed in both builds. */
static void below_error(void) {
    trace_scope sc;
    TRACE_SCOPE(ev_s("RMV-scope-info"));
    TRACE_SCOPE(ev_s("RMV-scope-one")); TRACE_SCOPE(ev_s("RMV-scope-two"));
    TRACE_SCOPE_AT(TRACE_LEVEL_DEBUG, ev_s("RMV-scope-debug"));
    TRACE_SCOPE_AT(TRACE_LEVEL_WARNING, ev_s("RMV-scope-warning"));
    TRACE_SCOPE_MEMORY(ev_s("RMV-scope-memory"));
    TRACE_SCOPE_BEGIN(&sc, ev_s("RMV-scope-begin"));
    TRACE_SCOPE_END(&sc);
    TRACE_SCOPE_BEGIN_AT(TRACE_LEVEL_WARNING, &sc, ev_s("RMV-scope-begin-warning"));
    trace_scope_detach(&sc);
    TRACE_SCOPE_END(&sc);
    TRACE_MEMORY(ev_s("RMV-memory-info"));
}

/* Contexts and ERROR scopes: removed only by TRACE_DISABLE. */
static void contexts_and_error(void) {
    TRACE_CONTEXT(ev_ctx());
    {
        TRACE_TRACE_NEW();
        TRACE_TRACE_FROM(ev_s("00-5e1ec7ed5e1ec7ed5e1ec7ed5e1ec7ed-0123456789abcdef-00"));
        TRACE_SCOPE_AT(TRACE_LEVEL_ERROR, ev_s("RMV-scope-error"));
        TRACE_SCOPE_BEGIN(ev_sc(), ev_s("RMV-begin-info")); /* INFO: label removed */
        TRACE_SCOPE_END(ev_sc());
    }
}

/* "RMV-" + suffix, put together so that the compiler cannot fold it into
   one literal. */
static void needle(char *out, size_t n, const char *suffix) {
    static volatile const char pre[4] = { 'R', 'M', 'V', '-' };
    size_t i, k = strlen(suffix);
    assert_true(k + 5 <= n);
    for (i = 0; i < 4; i++) out[i] = pre[i];
    memcpy(out + 4, suffix, k + 1);
}

static char *g_bin;
static size_t g_bin_len;

static int in_binary(const char *s) {
    return memmem(g_bin, g_bin_len, s, strlen(s)) != NULL;
}

static void expect_in_binary(const char *suffix, int want) {
    char s[64];
    needle(s, sizeof s, suffix);
    if (in_binary(s) != want) {
        print_error("\"%s\" is %sin the binary\n", s, want ? "not " : "");
        fail();
    }
}

static int group_setup(void **state) {
    int fd = open("/proc/self/exe", O_RDONLY);
    (void)state;
    if (fd < 0) return -1;
    g_bin = tu_read_all(fd, &g_bin_len);
    close(fd);
    return 0;
}
static int group_teardown(void **state) {
    (void)state;
    free(g_bin);
    return 0;
}

/* A label of a call that stays is found: the search works. */
static const char *volatile g_control = "RMV-control";

static void test_strings(void **state) {
    (void)state;
    assert_non_null(g_control);
    expect_in_binary("control", 1);
    expect_in_binary("scope-info", LIVE_INFO);
    expect_in_binary("scope-one", LIVE_INFO);
    expect_in_binary("scope-two", LIVE_INFO);
    expect_in_binary("scope-debug", 0);
    expect_in_binary("scope-warning", 0);
    expect_in_binary("scope-memory", LIVE_INFO);
    expect_in_binary("scope-begin", LIVE_INFO);
    expect_in_binary("scope-begin-warning", 0);
    expect_in_binary("memory-info", LIVE_INFO);
    expect_in_binary("begin-info", LIVE_INFO);
    expect_in_binary("scope-error", LIVE_ERROR);
    {
        /* the traceparent's trace ID, 5e1ec7ed four times, through a
           volatile so that no constant is folded into the binary */
        static volatile const char part[8] = { '5', 'e', '1', 'e', 'c', '7', 'e', 'd' };
        char tp[33];
        int i;
        for (i = 0; i < 32; i++) tp[i] = part[i % 8];
        tp[32] = 0;
        if (in_binary(tp) != LIVE_CONTEXT) {
            print_error("the traceparent of TRACE_TRACE_FROM is %sin the binary\n",
                        LIVE_CONTEXT ? "not " : "");
            fail();
        }
    }
}

static void test_evaluation_and_output(void **state) {
    int out = tu_tmpfd(), saved;
    char *got;
    (void)state;
    memset(&g_ctx, 0, sizeof g_ctx);
    assert_non_null(g_ev_ctx);
    unsetenv("LOG_LEVEL");
    unsetenv("TRACE_TIMING");
    setenv("LOG_FORMAT", "plain", 1);
    trace_reload();
    trace_set_level(NULL, TRACE_LEVEL_DEBUG); /* everything that was compiled in is on */
    fflush(stdout);
    saved = dup(1);
    assert_true(saved >= 0);
    assert_int_equal(dup2(out, 1), 1);
    trace_set_output(1);
    g_evals = 0;
    below_error();
    assert_int_equal(g_evals, 0);
    g_evals = 0;
    contexts_and_error();
    /* context, traceparent, the ERROR scope's label, BEGIN's and END's
       scope pointer */
    assert_int_equal(g_evals, LIVE_CONTEXT ? 2 + LIVE_ERROR + 2 : 0);
    fflush(stdout);
    assert_int_equal(dup2(saved, 1), 1);
    close(saved);
    got = tu_read_all(out, NULL);
    close(out);
    if (LIVE_ERROR) {
        assert_int_equal(strncmp(got, "[ERROR] timing label=RMV-scope-error ms=", 40), 0);
        static volatile const char part[8] = { '5', 'e', '1', 'e', 'c', '7', 'e', 'd' };
        char want[64];
        int i;
        memcpy(want, " trace=", 7);
        for (i = 0; i < 32; i++) want[7 + i] = part[i % 8];
        memcpy(want + 39, " ", 2);
        assert_non_null(strstr(got, want));
        assert_int_equal(strchr(got, '\n') - got + 1, (long)strlen(got)); /* one record */
    } else {
        assert_string_equal(got, "");
    }
    free(got);
    assert_int_equal(trace_elapsed_ns(), -1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_evaluation_and_output),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
