/* cg_trace.c - the cases of trace.h measured in instructions by callgrind.

   Each case is one call in a function of its own, `case_<name>`, that
   main() calls N times after a warm-up. bench/callgrind.sh runs it as

       valgrind --tool=callgrind --collect-atstart=no --toggle-collect=case_<name> \
           ./cg_trace <name> N

   so callgrind counts the user-space instructions executed inside that
   function and everything it calls (Ir), and nothing else: not main's loop,
   not the warm-up, not the start of the process, never the kernel. Per call:
   Ir / N, which includes the case function's own `ret` (1 instruction,
   measured by case_empty). The write(2) of a record is inside the case;
   callgrind.sh subtracts the inclusive cost of libc's write wrapper, read
   from callgrind_annotate.

   Usage: cg_trace <case> [N] >/dev/null   (cases: see the table at the end).
   Records go to stdout, as by default (callgrind.sh sends it to /dev/null,
   which is not a terminal: no colour); the format and levels come from
   LOG_FORMAT and LOG_LEVEL.
   `cg_trace show` prints the lines that the cases write, once each. */
#define _POSIX_C_SOURCE 200809L
#include "trace.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Keep each case a real function under its own name: no inlining, no
   cloning (gcc's noipa; clang does neither to a noinline extern function). */
#if defined(__has_attribute)
#if __has_attribute(__noipa__)
#define BENCH_CASE __attribute__((__noipa__, __noinline__, __used__))
#endif
#endif
#ifndef BENCH_CASE
#define BENCH_CASE __attribute__((__noinline__, __used__))
#endif

/* Arguments of filtered calls must never be evaluated: count evaluations. */
static int evaluations;
static int evaluate(void) { return ++evaluations; }

static char line[4096];
static volatile size_t sink; /* keeps the reference formatting alive */

/* The user's values, read through volatile so the compiler cannot fold the
   reference snprintf cases into constants. */
static const char *volatile user = "alice";
static volatile int id = 42;

void case_empty(void);
void case_filtered(void);
void case_kv(void);
void case_printf(void);
void case_vsnprintf(void);
void case_snprintf_plain(void);
void case_snprintf_json(void);
/* cg_lib.c, a shared library */
int cg_lib_first_call(void);
void cg_lib_warm_up(void);
void case_filtered_so(int *evaluations);
void case_so(void);

BENCH_CASE void case_empty(void) { __asm__ __volatile__(""); }

/* A DEBUG call filtered out at run time (LOG_LEVEL=INFO, or
   LOG_LEVEL=INFO,db=DEBUG with this file in module "app"). */
BENCH_CASE void case_filtered(void) { TRACE_DEBUG("cache miss for %d", evaluate()); }

/* The same call in a shared library; the case is the library's function
   (this wrapper only passes the counter). */
BENCH_CASE void case_so(void) { case_filtered_so(&evaluations); }

/* The record, in whatever LOG_FORMAT says. */
BENCH_CASE void case_kv(void) {
    TRACE_INFO_KV("user alice logged in", "user", "alice", "id", 42);
}

/* The printf-style form of the same record: the same plain line. */
BENCH_CASE void case_printf(void) {
    TRACE_INFO("user %s logged in user=%s id=%d", "alice", "alice", 42);
}

/* References. A bare vsnprintf of the printf form's message, behind a
   variadic function as trace__logf is. */
static __attribute__((__noinline__, __format__(__printf__, 1, 2))) void
ref_format(const char *fmt, ...) {
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    sink = (size_t)n;
}
BENCH_CASE void case_vsnprintf(void) {
    ref_format("user %s logged in user=%s id=%d", "alice", "alice", 42);
}

/* snprintf of the whole line: plain, and JSON with a timestamp from
   clock_gettime whose "YYYY-MM-DDTHH:MM:SS" part is cached per second (as
   trace.h does), the microseconds and the rest by snprintf. */
BENCH_CASE void case_snprintf_plain(void) {
    int n = snprintf(line, sizeof line, "[%s] %s user=%s id=%d\n", "INFO", "user alice logged in",
                     user, id);
    sink = (size_t)n;
}

static char ts_prefix[32];
static time_t ts_sec = -1;
static void ref_now(struct timespec *now) {
    clock_gettime(CLOCK_REALTIME, now);
    if (now->tv_sec != ts_sec) {
        struct tm tm;
        gmtime_r(&now->tv_sec, &tm);
        strftime(ts_prefix, sizeof ts_prefix, "%Y-%m-%dT%H:%M:%S", &tm);
        ts_sec = now->tv_sec;
    }
}
BENCH_CASE void case_snprintf_json(void) {
    struct timespec now;
    int n;
    ref_now(&now);
    n = snprintf(line, sizeof line,
                 "{\"ts\":\"%s.%06ldZ\",\"lvl\":\"%s\",\"msg\":\"%s\",\"logger\":\"%s\","
                 "\"user\":\"%s\",\"id\":%d}\n",
                 ts_prefix, now.tv_nsec / 1000, "INFO", "user alice logged in", "app", user, id);
    sink = (size_t)n;
}

static const struct {
    const char *name;
    void (*fn)(void);
} cases[] = {
    { "empty", case_empty },
    { "filtered", case_filtered },
    { "filtered_so", case_so },
    { "kv", case_kv },
    { "printf", case_printf },
    { "vsnprintf", case_vsnprintf },
    { "snprintf_plain", case_snprintf_plain },
    { "snprintf_json", case_snprintf_json },
};

int main(int argc, char **argv) {
    const char *name = argc > 1 ? argv[1] : "";
    long n = argc > 2 ? strtol(argv[2], NULL, 10) : 1000, i;
    void (*fn)(void) = NULL;
    size_t k;
    int first;

    if (strcmp(name, "show") == 0) { /* print what the cases write */
        fflush(stdout);
        case_kv();
        case_printf();
        case_snprintf_plain();
        fputs(line, stdout);
        case_snprintf_json();
        fputs(line, stdout);
        return 0;
    }
    for (k = 0; k < sizeof cases / sizeof cases[0]; k++)
        if (strcmp(cases[k].name, name) == 0) fn = cases[k].fn;
    if (!fn || n <= 0) {
        fprintf(stderr, "usage: cg_trace show | cg_trace CASE [N]; cases:");
        for (k = 0; k < sizeof cases / sizeof cases[0]; k++) fprintf(stderr, " %s", cases[k].name);
        fprintf(stderr, "\n");
        return 2;
    }

    /* Warm-up, outside the measured function: reads the environment (in
       the first call of the shared library, which must filter DEBUG out),
       resolves the module slots, caches the timestamp prefix. */
    first = cg_lib_first_call(); /* LOG_LEVEL must filter DEBUG out */
    cg_lib_warm_up();
    TRACE_INFO_KV("warm-up", "user", "alice", "id", 42);
    TRACE_INFO("warm-up %d", 1);
    TRACE_DEBUG("warm-up %d", 2);
    ref_format("warm-up %d", 3);
    {
        struct timespec now; /* strftime's first call loads the time zone */
        ref_now(&now);
    }
    evaluations = 0;

    for (i = 0; i < n; i++) fn();

    trace_flush();
    fprintf(stderr, "cg_trace: case %s, %ld calls, LOG_LEVEL=%s LOG_FORMAT=%s, level app=%d db=%d, "
                    "filtered arguments evaluated %d times, dropped %llu\n"
                    "cg_trace: first filtered call of a translation unit evaluated its "
                    "argument %d times (want 0)\n",
            name, n, getenv("LOG_LEVEL") ? getenv("LOG_LEVEL") : "(unset)",
            getenv("LOG_FORMAT") ? getenv("LOG_FORMAT") : "(unset)", trace_get_level("app"),
            trace_get_level("db"), evaluations, (unsigned long long)trace_dropped(), first);
    return 0;
}
