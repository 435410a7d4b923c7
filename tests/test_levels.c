/* test_levels.c - levels: trace_set_level / trace_get_level, per-module
   levels (this file is module "app"; levels_db.c is "db", levels_net.c is
   "net", all in this one program), LOG_LEVEL read again by trace_reload
   (names in any case, Python's numbers, module=LEVEL overrides), and the
   environment read once: a change is seen only after trace_reload. */
#define _GNU_SOURCE
#include "test_util.h"
#include "trace.h"

void db_log_all(void);
void net_log_all(void);

static int g_fd = -1;

static void app_log_all(void) {
    TRACE_DEBUG("app d");
    TRACE_INFO("app i");
    TRACE_WARNING("app w");
    TRACE_ERROR("app e");
    TRACE_CRITICAL_KV("app c", "k", 1);
}

/* What *_log_all writes for module mod at level lvl (plain format). */
static size_t expect_module(char *out, size_t room, const char *mod, int lvl) {
    static const struct {
        int level;
        const char *name, *suffix;
    } recs[] = { { 10, "DEBUG", "d" }, { 20, "INFO", "i" }, { 30, "WARNING", "w" },
                 { 40, "ERROR", "e" }, { 50, "CRITICAL", "c k=1" } };
    size_t i, o = 0;
    out[0] = 0;
    for (i = 0; i < 5; i++)
        if (recs[i].level >= lvl)
            o += (size_t)snprintf(out + o, room - o, "[%s] %s%s%s %s\n", recs[i].name,
                                  strcmp(mod, "app") ? mod : "", strcmp(mod, "app") ? ": " : "",
                                  mod, recs[i].suffix);
    return o;
}

/* Log from the three modules; compare with the levels expected of each. */
#define CHECK_LEVELS(app, db, net) check_levels((app), (db), (net), __LINE__)
static void check_levels(int app, int db, int net, int line) {
    char exp[2048], *got;
    size_t o = 0;
    o += expect_module(exp + o, sizeof exp - o, "app", app);
    o += expect_module(exp + o, sizeof exp - o, "db", db);
    expect_module(exp + o, sizeof exp - o, "net", net);
    tu_clear(g_fd);
    app_log_all();
    db_log_all();
    net_log_all();
    got = tu_take(g_fd);
    if (strcmp(got, exp) != 0) print_error("levels: app %d, db %d, net %d\n", app, db, net);
    tu_expect_eq(got, exp, __FILE__, line);
    free(got);
}

static int group_setup(void **state) {
    (void)state;
    unsetenv("LOG_LEVEL");
    unsetenv("LOG_FORMAT");
    unsetenv("LOG_BUFFER");
    g_fd = tu_tmpfd();
    return 0;
}

/* Reset to the environment's defaults, output to our file. */
static int setup(void **state) {
    (void)state;
    unsetenv("LOG_LEVEL");
    trace_reload();
    trace_set_output(g_fd);
    tu_clear(g_fd);
    return 0;
}

/* Runs first: a module's level set before its code ever logged applies
   when that code first logs (the slot is resolved lazily). */
static void test_module_level_before_first_call(void **state) {
    (void)state;
    trace_set_level("db", TRACE_LEVEL_DEBUG);
    trace_set_level("net", TRACE_LEVEL_ERROR);
    CHECK_LEVELS(TRACE_LEVEL_INFO, TRACE_LEVEL_DEBUG, TRACE_LEVEL_ERROR);
}

static void test_default_is_info(void **state) {
    (void)state;
    assert_int_equal(trace_get_level(NULL), TRACE_LEVEL_INFO);
    assert_int_equal(trace_get_level("app"), TRACE_LEVEL_INFO);
    assert_int_equal(trace_get_level("db"), TRACE_LEVEL_INFO);
    assert_int_equal(trace_get_level("never-seen"), TRACE_LEVEL_INFO);
    CHECK_LEVELS(TRACE_LEVEL_INFO, TRACE_LEVEL_INFO, TRACE_LEVEL_INFO);
}

static void test_set_get_default(void **state) {
    static const int lv[] = { TRACE_LEVEL_DEBUG, TRACE_LEVEL_INFO, TRACE_LEVEL_WARNING,
                              TRACE_LEVEL_ERROR, TRACE_LEVEL_CRITICAL };
    size_t i;
    (void)state;
    for (i = 0; i < 5; i++) {
        trace_set_level(NULL, lv[i]);
        assert_int_equal(trace_get_level(NULL), lv[i]);
        assert_int_equal(trace_get_level("db"), lv[i]);
        CHECK_LEVELS(lv[i], lv[i], lv[i]);
    }
    /* OFF: nothing at all, not even CRITICAL */
    trace_set_level(NULL, TRACE_LEVEL_OFF);
    assert_int_equal(trace_get_level(NULL), TRACE_LEVEL_OFF);
    CHECK_LEVELS(TRACE_LEVEL_OFF, TRACE_LEVEL_OFF, TRACE_LEVEL_OFF);
    /* a level between the names: records below it are dropped */
    trace_set_level(NULL, 25);
    CHECK_LEVELS(25, 25, 25);
}

static void test_module_overrides_default(void **state) {
    (void)state;
    trace_set_level(NULL, TRACE_LEVEL_WARNING);
    trace_set_level("db", TRACE_LEVEL_DEBUG);
    assert_int_equal(trace_get_level("db"), TRACE_LEVEL_DEBUG);
    assert_int_equal(trace_get_level("net"), TRACE_LEVEL_WARNING);
    assert_int_equal(trace_get_level(NULL), TRACE_LEVEL_WARNING);
    CHECK_LEVELS(TRACE_LEVEL_WARNING, TRACE_LEVEL_DEBUG, TRACE_LEVEL_WARNING);
    /* changing the default leaves a module's own level alone */
    trace_set_level(NULL, TRACE_LEVEL_CRITICAL);
    CHECK_LEVELS(TRACE_LEVEL_CRITICAL, TRACE_LEVEL_DEBUG, TRACE_LEVEL_CRITICAL);
    /* a module may be quieter than the default */
    trace_set_level(NULL, TRACE_LEVEL_DEBUG);
    trace_set_level("net", TRACE_LEVEL_OFF);
    trace_set_level("app", TRACE_LEVEL_ERROR);
    CHECK_LEVELS(TRACE_LEVEL_ERROR, TRACE_LEVEL_DEBUG, TRACE_LEVEL_OFF);
}

/* LOG_LEVEL through trace_reload: names in any case, numbers. */
static void test_env_names_and_numbers(void **state) {
    static const struct {
        const char *val;
        int level;
    } cases[] = {
        { "DEBUG", 10 },   { "debug", 10 },    { "Debug", 10 },   { "INFO", 20 },
        { "info", 20 },    { "iNfO", 20 },     { "WARNING", 30 }, { "warning", 30 },
        { "Warning", 30 }, { "WARN", 30 },     { "warn", 30 },    { "ERROR", 40 },
        { "error", 40 },   { "CRITICAL", 50 }, { "critical", 50 }, { "10", 10 },
        { "20", 20 },      { "30", 30 },       { "40", 40 },      { "50", 50 },
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        setenv("LOG_LEVEL", cases[i].val, 1);
        trace_reload();
        if (trace_get_level(NULL) != cases[i].level) {
            print_error("LOG_LEVEL=%s gave level %d, expected %d\n", cases[i].val,
                        trace_get_level(NULL), cases[i].level);
            fail();
        }
        CHECK_LEVELS(cases[i].level, cases[i].level, cases[i].level);
    }
}

static void test_env_module_overrides(void **state) {
    (void)state;
    setenv("LOG_LEVEL", "INFO,db=DEBUG,net=ERROR", 1);
    trace_reload();
    assert_int_equal(trace_get_level(NULL), TRACE_LEVEL_INFO);
    assert_int_equal(trace_get_level("db"), TRACE_LEVEL_DEBUG);
    assert_int_equal(trace_get_level("net"), TRACE_LEVEL_ERROR);
    CHECK_LEVELS(TRACE_LEVEL_INFO, TRACE_LEVEL_DEBUG, TRACE_LEVEL_ERROR);
    /* names and numbers, any case, default last */
    setenv("LOG_LEVEL", "db=warn,net=10,critical", 1);
    trace_reload();
    CHECK_LEVELS(TRACE_LEVEL_CRITICAL, TRACE_LEVEL_WARNING, TRACE_LEVEL_DEBUG);
    /* overrides only: the default stays INFO */
    setenv("LOG_LEVEL", "net=DEBUG", 1);
    trace_reload();
    assert_int_equal(trace_get_level(NULL), TRACE_LEVEL_INFO);
    CHECK_LEVELS(TRACE_LEVEL_INFO, TRACE_LEVEL_INFO, TRACE_LEVEL_DEBUG);
    /* a module not in the new value goes back to the default */
    setenv("LOG_LEVEL", "ERROR", 1);
    trace_reload();
    assert_int_equal(trace_get_level("net"), TRACE_LEVEL_ERROR);
    CHECK_LEVELS(TRACE_LEVEL_ERROR, TRACE_LEVEL_ERROR, TRACE_LEVEL_ERROR);
}

/* trace_reload replaces levels set through the API. */
static void test_reload_replaces_api_levels(void **state) {
    (void)state;
    trace_set_level("db", TRACE_LEVEL_DEBUG);
    trace_set_level(NULL, TRACE_LEVEL_CRITICAL);
    setenv("LOG_LEVEL", "WARNING", 1);
    trace_reload();
    assert_int_equal(trace_get_level("db"), TRACE_LEVEL_WARNING);
    assert_int_equal(trace_get_level(NULL), TRACE_LEVEL_WARNING);
    CHECK_LEVELS(TRACE_LEVEL_WARNING, TRACE_LEVEL_WARNING, TRACE_LEVEL_WARNING);
}

/* The environment is read once: a later change needs trace_reload. */
static void test_env_read_once(void **state) {
    (void)state;
    setenv("LOG_LEVEL", "ERROR", 1);
    CHECK_LEVELS(TRACE_LEVEL_INFO, TRACE_LEVEL_INFO, TRACE_LEVEL_INFO);
    assert_int_equal(trace_get_level(NULL), TRACE_LEVEL_INFO);
    trace_reload();
    CHECK_LEVELS(TRACE_LEVEL_ERROR, TRACE_LEVEL_ERROR, TRACE_LEVEL_ERROR);
}

/* LOG_FORMAT through trace_reload (the bad values are in test_env). */
static void test_env_format(void **state) {
    static const struct {
        const char *val;
        const char *prefix;
    } cases[] = { { "json", "{\"ts\":\"" }, { "JSON", "{\"ts\":\"" }, { "logfmt", "ts=" },
                  { "LogFmt", "ts=" }, { "plain", "[INFO] app i" }, { "PLAIN", "[INFO] app i" } };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got;
        setenv("LOG_FORMAT", cases[i].val, 1);
        trace_reload();
        trace_set_output(g_fd);
        TRACE_INFO("app i");
        got = tu_take(g_fd);
        if (strncmp(got, cases[i].prefix, strlen(cases[i].prefix)) != 0) {
            print_error("LOG_FORMAT=%s: %s", cases[i].val, got);
            fail();
        }
        free(got);
    }
    unsetenv("LOG_FORMAT");
    trace_reload();
}

/* More modules than the table holds: one warning, the rest share the
   default level, nothing breaks. Runs in a child (the table is per
   process and cannot shrink). */
static void many_modules(void *arg) {
    char name[32];
    int i;
    (void)arg;
    trace_set_output(g_fd);
    for (i = 0; i < 80; i++) {
        snprintf(name, sizeof name, "mod%d", i);
        trace_set_level(name, TRACE_LEVEL_ERROR);
    }
    if (trace_get_level("mod0") != TRACE_LEVEL_ERROR) _exit(3);
    if (trace_get_level("mod79") != TRACE_LEVEL_INFO) _exit(4); /* no slot: default */
    TRACE_INFO("still logging");
}
static void test_too_many_modules(void **state) {
    int err = tu_tmpfd(), saved = dup(2), st;
    char *e, *o;
    (void)state;
    tu_clear(g_fd);
    dup2(err, 2);
    st = tu_fork(many_modules, NULL);
    dup2(saved, 2);
    close(saved);
    tu_assert_exit0(st);
    e = tu_take(err);
    o = tu_take(g_fd);
    assert_int_equal(tu_count(e, strlen(e), '\n'), 1);
    assert_non_null(strstr(e, "mod"));
    assert_string_equal(o, "[INFO] still logging\n");
    free(e);
    free(o);
    close(err);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_module_level_before_first_call, setup),
        cmocka_unit_test_setup(test_default_is_info, setup),
        cmocka_unit_test_setup(test_set_get_default, setup),
        cmocka_unit_test_setup(test_module_overrides_default, setup),
        cmocka_unit_test_setup(test_env_names_and_numbers, setup),
        cmocka_unit_test_setup(test_env_module_overrides, setup),
        cmocka_unit_test_setup(test_reload_replaces_api_levels, setup),
        cmocka_unit_test_setup(test_env_read_once, setup),
        cmocka_unit_test_setup(test_env_format, setup),
        cmocka_unit_test_setup(test_too_many_modules, setup),
    };
    return cmocka_run_group_tests(tests, group_setup, NULL);
}
