/* test_strict.c - trace.h in strict ISO C11 (-std=c11, not gnu11, no
   feature-test macro), with <time.h> and <signal.h> included before it:
   glibc then hides clock_gettime, gmtime_r, sigaction and the CLOCK_*
   names, and the header must cope. It uses buffered mode (the fatal-signal
   flush, through sigaction declared by trace.h on glibc) and json
   timestamps. */
#ifndef __STRICT_ANSI__
#error "test_strict.c must be compiled with -std=c11 (not gnu11)"
#endif
#if defined(_POSIX_C_SOURCE) || defined(_GNU_SOURCE) || defined(_DEFAULT_SOURCE) || \
    defined(_XOPEN_SOURCE) || defined(_BSD_SOURCE)
#error "test_strict.c must be compiled without feature-test macros"
#endif

#include <time.h>
#include <signal.h>

#include "trace.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int strict_tmpfd(void);
char *strict_take(int fd);
int strict_fork(void (*fn)(void));
int strict_install_siginfo(int sig);
int strict_siginfo_seen(void);

static int g_fd = -1;

/* YYYY-MM-DDTHH:MM:SS.ffffffZ, and its Unix seconds. */
static int is_digits(const char *p, int n) {
    int i;
    for (i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9') return 0;
    return 1;
}
static long long num(const char *p, int n) {
    long long v = 0;
    int i;
    for (i = 0; i < n; i++) v = v * 10 + (p[i] - '0');
    return v;
}
static long long ts_epoch(const char *p) {
    long long y, m, d, era, yoe, doy, doe;
    if (!is_digits(p, 4) || p[4] != '-' || !is_digits(p + 5, 2) || p[7] != '-' ||
        !is_digits(p + 8, 2) || p[10] != 'T' || !is_digits(p + 11, 2) || p[13] != ':' ||
        !is_digits(p + 14, 2) || p[16] != ':' || !is_digits(p + 17, 2) || p[19] != '.' ||
        !is_digits(p + 20, 6) || p[26] != 'Z')
        return -1;
    y = num(p, 4);
    m = num(p + 5, 2);
    d = num(p + 8, 2);
    y -= m <= 2;
    era = y / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (era * 146097 + doe - 719468) * 86400 + num(p + 11, 2) * 3600 + num(p + 14, 2) * 60 +
           num(p + 17, 2);
}

static int setup(void **state) {
    (void)state;
    if (g_fd < 0) g_fd = strict_tmpfd();
    assert_true(g_fd >= 0);
    trace_set_output(g_fd);
    trace_set_format(TRACE_FORMAT_JSON);
    trace_set_level(NULL, TRACE_LEVEL_DEBUG);
    return 0;
}

static void test_buffered_json_timestamps(void **state) {
    char *got;
    time_t before, after;
    long long t;
    static const char rest[] = "\",\"lvl\":\"INFO\",\"msg\":\"strict\",\"logger\":\"app\",\"k\":1}\n";
    (void)state;
    assert_int_equal(trace_set_buffer(65536), 0);
    before = time(NULL);
    TRACE_INFO_KV("strict", "k", 1);
    after = time(NULL);
    got = strict_take(g_fd);
    assert_string_equal(got, ""); /* held by buffered mode */
    free(got);
    trace_flush();
    got = strict_take(g_fd);
    assert_non_null(got);
    assert_true(strncmp(got, "{\"ts\":\"", 7) == 0);
    t = ts_epoch(got + 7);
    assert_true(t >= (long long)before - 1 && t <= (long long)after + 1);
    assert_string_equal(got + 7 + 27, rest);
    free(got);
    assert_int_equal(trace_set_buffer(0), 0);
}

/* In buffered mode, sig writes the record logged before it (msg), then the
   program's own handler (installed by main before trace.h's) runs: handled()
   says how it ran, 1 for right. */
static void check_flush_then_handler(int sig, const char *msg, int (*handled)(void)) {
    char *got, want[64];
    assert_int_equal(trace_set_buffer(65536), 0);
    TRACE_INFO("%s", msg);
    raise(sig);
    assert_int_equal(handled(), 1);
    got = strict_take(g_fd);
    snprintf(want, sizeof want, "\"msg\":\"%s\"", msg);
    assert_non_null(strstr(got, want));
    free(got);
    assert_int_equal(trace_set_buffer(0), 0);
}

/* A handler installed with ISO C signal(). */
static volatile sig_atomic_t g_handled;
static void on_term(int sig) {
    (void)sig;
    g_handled = 1;
}
static int term_handled(void) { return g_handled; }
static void test_signal_flush_chains(void **state) {
    (void)state;
    check_flush_then_handler(SIGTERM, "before the signal", term_handled);
    signal(SIGTERM, SIG_DFL);
}

/* A handler the program installed with SA_SIGINFO (main, through
   sigaction, which -std=c11 hides from this file but glibc has) is chained
   with its siginfo and context, not called as a plain handler. */
static void test_signal_chains_siginfo(void **state) {
    (void)state;
    check_flush_then_handler(SIGHUP, "before SIGHUP", strict_siginfo_seen);
}

/* Buffered records survive abort() (fork, then abort: label nosan). */
static void ten_then_abort(void) {
    int i;
    trace_set_output(g_fd);
    if (trace_set_buffer(65536) != 0) exit(9);
    for (i = 0; i < 10; i++) TRACE_INFO("rec %d", i);
    abort();
}
static void test_abort_keeps_records(void **state) {
    char *got, *p;
    int n = 0;
    (void)state;
    free(strict_take(g_fd));
    assert_int_equal(strict_fork(ten_then_abort), 1000 + SIGABRT);
    got = strict_take(g_fd);
    for (p = got; (p = strstr(p, "\"msg\":\"rec ")) != NULL; p++) n++;
    assert_int_equal(n, 10);
    free(got);
}

int main(int argc, char **argv) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_buffered_json_timestamps, setup),
        cmocka_unit_test_setup(test_signal_flush_chains, setup),
        cmocka_unit_test_setup(test_signal_chains_siginfo, setup),
    };
    const struct CMUnitTest nosan[] = {
        cmocka_unit_test_setup(test_abort_keeps_records, setup),
    };
    if (signal(SIGTERM, on_term) == SIG_ERR) return 1;
    if (strict_install_siginfo(SIGHUP) != 0) return 1;
    if (argc > 1 && strcmp(argv[1], "--nosan") == 0)
        return cmocka_run_group_tests_name("strict_nosan", nosan, NULL, NULL);
    return cmocka_run_group_tests_name("strict", tests, NULL, NULL);
}
