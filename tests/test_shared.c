/* test_shared.c - one process-wide state: this file (module "app"),
   shared_b.c (module "b", same executable) and the shared library built
   from shared_lib.c (module "lib") all include trace.h. A level, format,
   output or buffer set in any of them is what the others see, and they
   share one dropped-record counter and one buffer. */
#define _GNU_SOURCE
#include "test_util.h"
#include "trace.h"

#include "shared_api.h"

static int g_fd = -1;

static void app_log(int level, const char *msg) {
    switch (level) {
    case TRACE_LEVEL_DEBUG: TRACE_DEBUG("%s", msg); break;
    case TRACE_LEVEL_INFO: TRACE_INFO_KV(msg, "from", "app"); break;
    case TRACE_LEVEL_WARNING: TRACE_WARNING("%s", msg); break;
    case TRACE_LEVEL_ERROR: TRACE_ERROR("%s", msg); break;
    default: TRACE_CRITICAL("%s", msg); break;
    }
}

/* One record of each level from each of the three. */
static void log_all(void) {
    static const int lv[] = { 10, 20, 30, 40, 50 };
    int i;
    for (i = 0; i < 5; i++) {
        app_log(lv[i], "x");
        b_log(lv[i], "x");
        lib_log(lv[i], "x");
    }
}

/* What log_all writes (plain) with the given level for app, b and lib. */
static char *expected(int app, int b, int lib) {
    static const char *const names[] = { "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL" };
    static const char *const mods[] = { "app", "b", "lib" };
    int lvl[3], i, m;
    char *s = (char *)malloc(4096);
    size_t o = 0;
    assert_non_null(s);
    lvl[0] = app;
    lvl[1] = b;
    lvl[2] = lib;
    s[0] = 0;
    for (i = 0; i < 5; i++)
        for (m = 0; m < 3; m++) {
            if ((i + 1) * 10 < lvl[m]) continue;
            o += (size_t)snprintf(s + o, 4096 - o, "[%s] %s%sx%s%s\n", names[i], m ? mods[m] : "",
                                  m ? ": " : "", i == 1 ? " from=" : "", i == 1 ? mods[m] : "");
        }
    return s;
}

#define CHECK(app, b, lib) check((app), (b), (lib), __LINE__)
static void check(int app, int b, int lib, int line) {
    char *exp = expected(app, b, lib), *got;
    tu_clear(g_fd);
    log_all();
    got = tu_take(g_fd);
    tu_expect_eq(got, exp, __FILE__, line);
    free(exp);
    free(got);
}

static char *take_norm(void) {
    char *raw = tu_take(g_fd), *s = tu_norm_ts(raw);
    free(raw);
    return s;
}

static int setup(void **state) {
    (void)state;
    unsetenv("LOG_LEVEL");
    unsetenv("LOG_FORMAT");
    unsetenv("LOG_BUFFER");
    if (g_fd < 0) g_fd = tu_tmpfd();
    trace_reload();
    trace_set_output(g_fd);
    tu_clear(g_fd);
    return 0;
}

static void test_level_set_in_main(void **state) {
    (void)state;
    trace_set_level(NULL, TRACE_LEVEL_ERROR);
    assert_int_equal(lib_get_level(NULL), TRACE_LEVEL_ERROR);
    assert_int_equal(b_get_level(NULL), TRACE_LEVEL_ERROR);
    CHECK(TRACE_LEVEL_ERROR, TRACE_LEVEL_ERROR, TRACE_LEVEL_ERROR);
}

static void test_level_set_in_library(void **state) {
    (void)state;
    lib_set_level(NULL, TRACE_LEVEL_DEBUG);
    assert_int_equal(trace_get_level(NULL), TRACE_LEVEL_DEBUG);
    assert_int_equal(b_get_level(NULL), TRACE_LEVEL_DEBUG);
    CHECK(TRACE_LEVEL_DEBUG, TRACE_LEVEL_DEBUG, TRACE_LEVEL_DEBUG);
    /* the library quiets the executable's module "b" */
    lib_set_level("b", TRACE_LEVEL_CRITICAL);
    assert_int_equal(trace_get_level("b"), TRACE_LEVEL_CRITICAL);
    CHECK(TRACE_LEVEL_DEBUG, TRACE_LEVEL_CRITICAL, TRACE_LEVEL_DEBUG);
}

static void test_level_set_in_second_file(void **state) {
    (void)state;
    b_set_level("lib", TRACE_LEVEL_WARNING);
    b_set_level("app", TRACE_LEVEL_ERROR);
    assert_int_equal(lib_get_level("lib"), TRACE_LEVEL_WARNING);
    assert_int_equal(trace_get_level("app"), TRACE_LEVEL_ERROR);
    CHECK(TRACE_LEVEL_ERROR, TRACE_LEVEL_INFO, TRACE_LEVEL_WARNING);
}

static void test_reload_in_library(void **state) {
    (void)state;
    setenv("LOG_LEVEL", "WARNING,app=DEBUG", 1);
    lib_reload();
    unsetenv("LOG_LEVEL");
    assert_int_equal(trace_get_level(NULL), TRACE_LEVEL_WARNING);
    assert_int_equal(b_get_level("app"), TRACE_LEVEL_DEBUG);
    CHECK(TRACE_LEVEL_DEBUG, TRACE_LEVEL_WARNING, TRACE_LEVEL_WARNING);
}

static void test_format_is_shared(void **state) {
    char *got;
    (void)state;
    trace_set_format(TRACE_FORMAT_JSON);
    lib_log(TRACE_LEVEL_INFO, "m");
    b_log(TRACE_LEVEL_INFO, "m");
    got = take_norm();
    assert_string_equal(got,
        "{\"ts\":\"<TS>\",\"lvl\":\"INFO\",\"msg\":\"m\",\"logger\":\"lib\",\"from\":\"lib\"}\n"
        "{\"ts\":\"<TS>\",\"lvl\":\"INFO\",\"msg\":\"m\",\"logger\":\"b\",\"from\":\"b\"}\n");
    free(got);
    lib_set_format(TRACE_FORMAT_LOGFMT);
    app_log(TRACE_LEVEL_INFO, "m");
    got = take_norm();
    assert_string_equal(got, "ts=<TS> lvl=info msg=m logger=app from=app\n");
    free(got);
    b_set_format(TRACE_FORMAT_PLAIN);
    lib_log(TRACE_LEVEL_INFO, "m");
    got = tu_take(g_fd);
    assert_string_equal(got, "[INFO] lib: m from=lib\n");
    free(got);
}

static void test_output_is_shared(void **state) {
    int other = tu_tmpfd();
    char *got;
    (void)state;
    lib_set_output(other);
    app_log(TRACE_LEVEL_WARNING, "to other");
    b_log(TRACE_LEVEL_WARNING, "to other");
    got = tu_take(other);
    assert_string_equal(got, "[WARNING] to other\n[WARNING] b: to other\n");
    free(got);
    b_set_output(g_fd);
    lib_log(TRACE_LEVEL_WARNING, "back");
    got = tu_take(g_fd);
    assert_string_equal(got, "[WARNING] lib: back\n");
    free(got);
    close(other);
}

static void test_dropped_counter_is_shared(void **state) {
    int full = open("/dev/full", O_WRONLY);
    uint64_t before = trace_dropped();
    (void)state;
    assert_true(full >= 0);
    assert_true(lib_dropped() == before && b_dropped() == before);
    b_set_output(full);
    app_log(TRACE_LEVEL_ERROR, "lost");
    b_log(TRACE_LEVEL_ERROR, "lost");
    lib_log(TRACE_LEVEL_ERROR, "lost");
    trace_set_output(g_fd);
    close(full);
    assert_int_equal(trace_dropped(), before + 3);
    assert_int_equal(lib_dropped(), before + 3);
    assert_int_equal(b_dropped(), before + 3);
}

static void test_buffer_is_shared(void **state) {
    char *got;
    size_t n;
    (void)state;
    assert_int_equal(lib_set_buffer(65536), 0);
    app_log(TRACE_LEVEL_INFO, "1");
    b_log(TRACE_LEVEL_INFO, "2");
    lib_log(TRACE_LEVEL_INFO, "3");
    got = tu_read_all(g_fd, &n);
    assert_int_equal(n, 0); /* all three held in the one buffer */
    free(got);
    b_flush();
    got = tu_take(g_fd);
    assert_string_equal(got, "[INFO] 1 from=app\n[INFO] b: 2 from=b\n[INFO] lib: 3 from=lib\n");
    free(got);
    /* a WARNING from the library writes the executable's held records */
    app_log(TRACE_LEVEL_INFO, "4");
    lib_log(TRACE_LEVEL_WARNING, "5");
    got = tu_take(g_fd);
    assert_string_equal(got, "[INFO] 4 from=app\n[WARNING] lib: 5\n");
    free(got);
    assert_int_equal(b_set_buffer(0), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_level_set_in_main, setup),
        cmocka_unit_test_setup(test_level_set_in_library, setup),
        cmocka_unit_test_setup(test_level_set_in_second_file, setup),
        cmocka_unit_test_setup(test_reload_in_library, setup),
        cmocka_unit_test_setup(test_format_is_shared, setup),
        cmocka_unit_test_setup(test_output_is_shared, setup),
        cmocka_unit_test_setup(test_dropped_counter_is_shared, setup),
        cmocka_unit_test_setup(test_buffer_is_shared, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
