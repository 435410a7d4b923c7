/* test_env.c - the environment, read in a fresh process each time (this
   program runs itself as a child with the variables set): every bad value
   of LOG_LEVEL, LOG_FORMAT and LOG_BUFFER gives exactly one warning line on
   stderr that names the bad value and the accepted ones, the default is
   used and the program goes on; good values give no warning and take
   effect; the environment is read once, lazily, by one thread; trace_reload
   reads it again. */
#define _GNU_SOURCE
#include "test_util.h"
#include "trace.h"

#include <pthread.h>

/* --- the child ------------------------------------------------------------ */

static void log_five(void) {
    TRACE_DEBUG("d");
    TRACE_INFO("i");
    TRACE_WARNING("w");
    TRACE_ERROR("e");
    TRACE_CRITICAL("c");
}

static pthread_barrier_t g_barrier;
static void *racer(void *arg) {
    pthread_barrier_wait(&g_barrier);
    TRACE_INFO("thread %d", (int)(intptr_t)arg);
    return NULL;
}

/* Modes: levels  - the five levels, then _exit (no flush, no atexit)
          buffer  - one INFO record, then _exit: kept only in safe mode
          exit    - one INFO record, then exit(0)
          threads - 8 threads log their first record at once
          reload  - a record, LOG_FORMAT=json, trace_reload, a record */
static int child(const char *mode) {
    if (strcmp(mode, "levels") == 0) {
        log_five();
        _exit(0);
    }
    if (strcmp(mode, "buffer") == 0) {
        /* buffered: the record is held (in stdout's buffer on glibc, else in
           trace.h's) and _exit drops it; safe mode has written it. Dropped
           by hand: TSan's _exit would flush stdio. */
        TRACE_INFO("i");
        if (__fpending(stdout) > 0) __fpurge(stdout);
        _exit(0);
    }
    if (strcmp(mode, "exit") == 0) {
        TRACE_INFO("i");
        exit(0);
    }
    if (strcmp(mode, "threads") == 0) {
        pthread_t t[8];
        int i;
        pthread_barrier_init(&g_barrier, NULL, 8);
        for (i = 0; i < 8; i++) pthread_create(&t[i], NULL, racer, (void *)(intptr_t)i);
        for (i = 0; i < 8; i++) pthread_join(t[i], NULL);
        _exit(0);
    }
    if (strcmp(mode, "reload") == 0) {
        TRACE_INFO("a");
        setenv("LOG_FORMAT", "json", 1);
        trace_reload();
        TRACE_INFO("b");
        _exit(0);
    }
    return 2;
}

/* --- the parent ------------------------------------------------------------ */

typedef struct result {
    char *out, *err;
    int status;
} result;

/* Run the child in mode with env (NULL-terminated "NAME=value" list; the
   LOG_* variables not named are unset). */
static result run_child(const char *mode, const char *const *env) {
    const char *args[] = { "self", "--child", mode, NULL };
    const char *full[16];
    int out = tu_tmpfd(), err = tu_tmpfd(), n = 0, i;
    result r;
    full[n++] = "LOG_LEVEL";
    full[n++] = "LOG_FORMAT";
    full[n++] = "LOG_BUFFER";
    full[n++] = "NO_COLOR";
    full[n++] = "TRACEPARENT";
    for (i = 0; env && env[i] && n < 15; i++) full[n++] = env[i];
    full[n] = NULL;
    r.status = tu_spawn(args, full, out, err);
    r.out = tu_read_all(out, NULL);
    r.err = tu_read_all(err, NULL);
    close(out);
    close(err);
    return r;
}

static void free_result(result *r) {
    free(r->out);
    free(r->err);
}

static const char *const accepted_level[] = { "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL",
                                              "10", "50", NULL };
static const char *const accepted_format[] = { "plain", "json", "logfmt", NULL };
static const char *const accepted_buffer[] = { "off", "4k", "256m", NULL };

typedef struct bad_case {
    const char *var;
    const char *val;
    const char *shown; /* what of the value must appear in the warning */
} bad_case;

static const bad_case bad_cases[] = {
    { "LOG_LEVEL", "verbose", "verbose" },
    { "LOG_LEVEL", "INF", "INF" },
    { "LOG_LEVEL", "INFOO", "INFOO" },
    { "LOG_LEVEL", "trace", "trace" },
    { "LOG_LEVEL", "15", "15" },
    { "LOG_LEVEL", "0", "0" },
    { "LOG_LEVEL", "60", "60" },
    { "LOG_LEVEL", "-10", "-10" },
    { "LOG_LEVEL", "20x", "20x" },
    { "LOG_LEVEL", "1e1", "1e1" },
    { "LOG_LEVEL", "db=", "db=" },
    { "LOG_LEVEL", "=DEBUG", "=DEBUG" },
    { "LOG_LEVEL", "db=LOUD", "LOUD" },
    { "LOG_LEVEL", "INFO,db=LOUD", "LOUD" },
    { "LOG_LEVEL", "a_module_name_much_longer_than_31_bytes=DEBUG", "a_module_name_much_longer" },
    { "LOG_LEVEL", "DEBUG\n[ERROR] forged", "forged" },
    { "LOG_FORMAT", "xml", "xml" },
    { "LOG_FORMAT", "jsonl", "jsonl" },
    { "LOG_FORMAT", "JSON ", "JSON " },
    { "LOG_FORMAT", "text", "text" },
    { "LOG_FORMAT", "1", "1" },
    { "LOG_FORMAT", "json\n[ERROR] forged", "forged" },
    { "LOG_BUFFER", "abc", "abc" },
    { "LOG_BUFFER", "on", "on" },
    { "LOG_BUFFER", "-1", "-1" },
    { "LOG_BUFFER", "1k", "1k" },
    { "LOG_BUFFER", "4095", "4095" },
    { "LOG_BUFFER", "257m", "257m" },
    { "LOG_BUFFER", "1g", "1g" },
    { "LOG_BUFFER", "64x", "64x" },
    { "LOG_BUFFER", "64kb", "64kb" },
    { "LOG_BUFFER", "1.5m", "1.5m" },
    { "LOG_BUFFER", "k", "k" },
    { "LOG_BUFFER", "99999999999999999999", "99999999999999999999" },
    /* 2^54 k and 2^44 m wrap around to 0 in 64 bits; 2^54+4 k to 4 KiB */
    { "LOG_BUFFER", "18014398509481984k", "18014398509481984k" },
    { "LOG_BUFFER", "17592186044416m", "17592186044416m" },
    { "LOG_BUFFER", "18014398509481988k", "18014398509481988k" },
};

static const char *const *accepted_for(const char *var) {
    return strcmp(var, "LOG_LEVEL") == 0 ? accepted_level
         : strcmp(var, "LOG_FORMAT") == 0 ? accepted_format : accepted_buffer;
}

/* Exactly one warning line on stderr naming var, the value and the
   accepted values. */
static int check_warning(const char *err, const char *var, const char *shown, const char *label) {
    const char *const *acc = accepted_for(var);
    size_t n = strlen(err);
    int ok = 1;
    char show[1200];
    if (n == 0 || err[n - 1] != '\n' || tu_count(err, n, '\n') != 1) ok = 0;
    if (!strstr(err, var) || !strstr(err, shown)) ok = 0;
    for (; *acc; acc++)
        if (!strstr(err, *acc)) ok = 0;
    if (!ok)
        print_error("%s: expected one warning line naming %s, '%s' and the accepted values; "
                    "stderr was: %s\n",
                    label, var, shown, tu_show_n(err, n, show, sizeof show));
    return ok;
}

static void test_bad_values(void **state) {
    size_t i;
    int failed = 0;
    char env[256], label[1000], show[600];
    (void)state;
    for (i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *c = &bad_cases[i];
        const char *envs[2];
        int is_buffer = strcmp(c->var, "LOG_BUFFER") == 0;
        const char *want_out = is_buffer ? "[INFO] i\n"
                                         : "[INFO] i\n[WARNING] w\n[ERROR] e\n[CRITICAL] c\n";
        result r;
        snprintf(env, sizeof env, "%s=%s", c->var, c->val);
        envs[0] = env;
        envs[1] = NULL;
        snprintf(label, sizeof label, "%s=%s", c->var, tu_show_n(c->val, strlen(c->val), show, 200));
        /* buffer: an INFO record then _exit: present only in safe mode */
        r = run_child(is_buffer ? "buffer" : "levels", envs);
        if (!WIFEXITED(r.status) || WEXITSTATUS(r.status) != 0) {
            print_error("%s: the program did not go on (status %d)\n", label, r.status);
            failed = 1;
        } else if (strcmp(r.out, want_out) != 0) {
            print_error("%s: the default was not used; stdout: %s\n", label,
                        tu_show_n(r.out, strlen(r.out), show, sizeof show));
            failed = 1;
        }
        if (!check_warning(r.err, c->var, c->shown, label)) failed = 1;
        free_result(&r);
    }
    if (failed) fail();
}

/* Three bad variables: three warnings, one each. */
static void test_three_bad_values(void **state) {
    const char *envs[] = { "LOG_LEVEL=loud", "LOG_FORMAT=yaml", "LOG_BUFFER=lots", NULL };
    result r;
    (void)state;
    r = run_child("buffer", envs);
    tu_assert_exit0(r.status);
    assert_string_equal(r.out, "[INFO] i\n");
    assert_int_equal(tu_count(r.err, strlen(r.err), '\n'), 3);
    assert_non_null(strstr(r.err, "loud"));
    assert_non_null(strstr(r.err, "yaml"));
    assert_non_null(strstr(r.err, "lots"));
    free_result(&r);
}

static void test_good_values(void **state) {
    static const struct {
        const char *env;
        const char *mode;
        const char *out; /* NULL: only check stderr is empty */
    } cases[] = {
        { "LOG_LEVEL=DEBUG", "levels", "[DEBUG] d\n[INFO] i\n[WARNING] w\n[ERROR] e\n[CRITICAL] c\n" },
        { "LOG_LEVEL=debug", "levels", "[DEBUG] d\n[INFO] i\n[WARNING] w\n[ERROR] e\n[CRITICAL] c\n" },
        { "LOG_LEVEL=Info", "levels", "[INFO] i\n[WARNING] w\n[ERROR] e\n[CRITICAL] c\n" },
        { "LOG_LEVEL=warn", "levels", "[WARNING] w\n[ERROR] e\n[CRITICAL] c\n" },
        { "LOG_LEVEL=WARNING", "levels", "[WARNING] w\n[ERROR] e\n[CRITICAL] c\n" },
        { "LOG_LEVEL=error", "levels", "[ERROR] e\n[CRITICAL] c\n" },
        { "LOG_LEVEL=CRITICAL", "levels", "[CRITICAL] c\n" },
        { "LOG_LEVEL=10", "levels", "[DEBUG] d\n[INFO] i\n[WARNING] w\n[ERROR] e\n[CRITICAL] c\n" },
        { "LOG_LEVEL=30", "levels", "[WARNING] w\n[ERROR] e\n[CRITICAL] c\n" },
        { "LOG_LEVEL=50", "levels", "[CRITICAL] c\n" },
        { "LOG_LEVEL=ERROR,db=DEBUG", "levels", "[ERROR] e\n[CRITICAL] c\n" },
        { "LOG_LEVEL=app=debug,db=error", "levels",
          "[DEBUG] d\n[INFO] i\n[WARNING] w\n[ERROR] e\n[CRITICAL] c\n" },
        { "LOG_LEVEL= error , app = debug ", "levels",
          "[DEBUG] d\n[INFO] i\n[WARNING] w\n[ERROR] e\n[CRITICAL] c\n" },
        { "LOG_LEVEL=", "levels", "[INFO] i\n[WARNING] w\n[ERROR] e\n[CRITICAL] c\n" },
        { "LOG_FORMAT=plain", "buffer", "[INFO] i\n" },
        { "LOG_FORMAT=PLAIN", "buffer", "[INFO] i\n" },
        { "LOG_FORMAT=json", "buffer", NULL },
        { "LOG_FORMAT=Json", "buffer", NULL },
        { "LOG_FORMAT=logfmt", "buffer", NULL },
        { "LOG_FORMAT=LOGFMT", "buffer", NULL },
        { "LOG_FORMAT=", "buffer", "[INFO] i\n" },
        /* safe mode: the record is there although the child calls _exit */
        { "LOG_BUFFER=0", "buffer", "[INFO] i\n" },
        { "LOG_BUFFER=off", "buffer", "[INFO] i\n" },
        { "LOG_BUFFER=OFF", "buffer", "[INFO] i\n" },
        { "LOG_BUFFER=", "buffer", "[INFO] i\n" },
        /* buffered: _exit loses the record (as documented), exit keeps it */
        { "LOG_BUFFER=4096", "buffer", "" },
        { "LOG_BUFFER=4k", "buffer", "" },
        { "LOG_BUFFER=4K", "buffer", "" },
        { "LOG_BUFFER=64k", "buffer", "" },
        { "LOG_BUFFER=1m", "buffer", "" },
        { "LOG_BUFFER=1M", "buffer", "" },
        { "LOG_BUFFER=256m", "buffer", "" },
        { "LOG_BUFFER=268435456", "buffer", "" },
        { "LOG_BUFFER=64k", "exit", "[INFO] i\n" },
    };
    size_t i;
    int failed = 0;
    char show[600];
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *envs[2];
        result r;
        envs[0] = cases[i].env;
        envs[1] = NULL;
        r = run_child(cases[i].mode, envs);
        if (!WIFEXITED(r.status) || WEXITSTATUS(r.status) != 0 || r.err[0] ||
            (cases[i].out && strcmp(r.out, cases[i].out) != 0)) {
            print_error("%s (%s): status %d, stderr '%s', stdout '%s'\n", cases[i].env,
                        cases[i].mode, r.status, r.err,
                        tu_show_n(r.out, strlen(r.out), show, sizeof show));
            failed = 1;
        }
        if (!cases[i].out) {
            const char *p = strstr(cases[i].env, "json") || strstr(cases[i].env, "Json")
                                ? "{\"ts\":\"" : "ts=";
            if (strncmp(r.out, p, strlen(p)) != 0 || !strstr(r.out, "INFO") == !strstr(r.out, "info")) {
                print_error("%s: stdout '%s'\n", cases[i].env, r.out);
                failed = 1;
            }
        }
        free_result(&r);
    }
    if (failed) fail();
}

/* Eight threads whose first record races the lazy read: one warning. */
static void test_lazy_read_is_thread_safe(void **state) {
    const char *envs[] = { "LOG_FORMAT=yaml", NULL };
    int round;
    (void)state;
    for (round = 0; round < 5; round++) {
        result r = run_child("threads", envs);
        tu_assert_exit0(r.status);
        assert_int_equal(tu_count(r.err, strlen(r.err), '\n'), 1);
        assert_int_equal(tu_count(r.out, strlen(r.out), '\n'), 8);
        assert_int_equal(tu_count(r.out, strlen(r.out), '['), 8);
        free_result(&r);
    }
}

/* trace_reload reads the environment again (a changed value applies; the
   bad value read at start warned once). */
static void test_reload(void **state) {
    const char *envs[] = { "LOG_FORMAT=yaml", NULL };
    result r;
    char *nl;
    (void)state;
    r = run_child("reload", envs);
    tu_assert_exit0(r.status);
    assert_int_equal(tu_count(r.err, strlen(r.err), '\n'), 1);
    nl = strchr(r.out, '\n');
    assert_non_null(nl);
    assert_true(strncmp(r.out, "[INFO] a\n{\"ts\":\"", 16) == 0);
    assert_non_null(strstr(nl, "\"msg\":\"b\""));
    free_result(&r);
}

int main(int argc, char **argv) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_three_bad_values),
        cmocka_unit_test(test_good_values),
        cmocka_unit_test(test_lazy_read_is_thread_safe),
        cmocka_unit_test(test_reload),
    };
    if (argc > 2 && strcmp(argv[1], "--child") == 0) return child(argv[2]);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
