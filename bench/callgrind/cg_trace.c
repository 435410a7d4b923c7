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
   `cg_trace show` prints the lines that the cases write, once each.

   Issue 4's cases (scopes and IDs) are marked WARM in the table: main()
   calls the case once before the loop (its call site resolves, summary mode
   creates the label's statistics, the ID generator seeds itself from the
   OS), then zeroes callgrind's counters (CALLGRIND_ZERO_STATS, a no-op
   outside valgrind), so only the N calls of the steady state are counted.
   Cases marked OUTER run inside an enclosing TRACE_SCOPE("outer"), so that
   a timing record has a "parent" and the KV record a "span". */
#define _POSIX_C_SOURCE 200809L
#include "trace.h"

#ifdef BENCH_HAVE_CALLGRIND_H
#include <valgrind/callgrind.h>
#define BENCH_ZERO_STATS() CALLGRIND_ZERO_STATS
#else
#define BENCH_ZERO_STATS() ((void)0) /* the warm-up call is then counted too */
#endif

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
void case_scope(void);
void case_scope_filtered(void);
void case_timing_kv(void);
void case_span_id(void);
void case_body(void);
void case_scope_filtered_body(void);
void case_ctx_new(void);
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

/* --- issue 4: scopes and IDs ---------------------------------------------
   A scope around nothing: what is counted is its begin and its end (the
   cleanup), whatever TRACE_TIMING and LOG_LEVEL make of them. */
BENCH_CASE void case_scope(void) { TRACE_SCOPE("x"); }

/* A scope whose timing records are filtered out: DEBUG under LOG_LEVEL=INFO. */
BENCH_CASE void case_scope_filtered(void) { TRACE_SCOPE_AT(TRACE_LEVEL_DEBUG, "x"); }

/* The KV record with the fields of case_scope's timing record, of the same
   JSON types and similar values: label (string), ms (number, 3 decimals),
   parent (16 hex), start_us, pid, tid (integers); run inside the OUTER
   scope, it carries a "span" as the timing record does. The values are read
   through volatile (set in main: this process's pid, the time) so nothing
   folds. The timing record's own types differ inside the library only: ms
   is integer nanoseconds shown with 3 decimals, parent a uint64 in hex. */
static volatile double kv_ms = 0.012;
static const char *volatile kv_parent = "5f0c8a9e1b2d3c4f";
static volatile long long kv_start_us = 1764045000123456LL;
static volatile int kv_pid = 1234, kv_tid = 1234;
BENCH_CASE void case_timing_kv(void) {
    TRACE_INFO_KV("timing", "label", "x", "ms", (double)kv_ms, "parent", (const char *)kv_parent,
                  "start_us", (long long)kv_start_us, "pid", (int)kv_pid, "tid", (int)kv_tid);
}

/* The same filtered scope in a function that does something else (calls
   bench_work, an empty function of its own): the compiler sets up a frame
   either way, and the difference between the two cases is what the scope
   adds to a real function (clang sets the frame up before the gate, so the
   bare case_scope_filtered counts clang's prologue and epilogue too). */
__attribute__((__noinline__, __used__)) void bench_work(void);
__attribute__((__noinline__, __used__)) void bench_work(void) { __asm__ __volatile__(""); }
BENCH_CASE void case_body(void) {
    char b[64];
    sink = (size_t)(unsigned char)line[0];
    memcpy(b, line, sizeof b);
    bench_work();
    line[1] = b[(sink & 15)];
}
BENCH_CASE void case_scope_filtered_body(void) {
    TRACE_SCOPE_AT(TRACE_LEVEL_DEBUG, "x");
    char b[64];
    sink = (size_t)(unsigned char)line[0];
    memcpy(b, line, sizeof b);
    bench_work();
    line[1] = b[(sink & 15)];
}

/* One span ID; one trace context (a 128-bit trace ID: two draws). */
BENCH_CASE void case_span_id(void) { sink = (size_t)trace_new_span_id(); }
BENCH_CASE void case_ctx_new(void) {
    trace_ctx c = trace_ctx_new();
    sink = (size_t)(c.trace_hi ^ c.trace_lo);
}

enum { WARM = 1, OUTER = 2 };
static const struct {
    const char *name;
    void (*fn)(void);
    int how;
} cases[] = {
    { "empty", case_empty, 0 },
    { "filtered", case_filtered, 0 },
    { "filtered_so", case_so, 0 },
    { "kv", case_kv, 0 },
    { "printf", case_printf, 0 },
    { "vsnprintf", case_vsnprintf, 0 },
    { "snprintf_plain", case_snprintf_plain, 0 },
    { "snprintf_json", case_snprintf_json, 0 },
    { "scope", case_scope, WARM | OUTER },
    { "scope_filtered", case_scope_filtered, WARM | OUTER },
    { "timing_kv", case_timing_kv, WARM | OUTER },
    { "body", case_body, WARM | OUTER },
    { "scope_filtered_body", case_scope_filtered_body, WARM | OUTER },
    { "span_id", case_span_id, WARM },
    { "ctx_new", case_ctx_new, WARM },
};

/* The measured loop: the warm-up call and the zeroing for WARM cases. */
static void run(void (*fn)(void), long n, int how) {
    long i;
    if (how & WARM) {
        fn();
        BENCH_ZERO_STATS();
    }
    for (i = 0; i < n; i++) fn();
}

static void run_outer(void (*fn)(void), long n, int how) {
    TRACE_SCOPE("outer");
    run(fn, n, how);
}

int main(int argc, char **argv) {
    const char *name = argc > 1 ? argv[1] : "";
    long n = argc > 2 ? strtol(argv[2], NULL, 10) : 1000;
    void (*fn)(void) = NULL;
    size_t k;
    int first, how = 0;

    if (strcmp(name, "show") == 0) { /* print what the cases write */
        fflush(stdout);
        case_kv();
        case_printf();
        case_snprintf_plain();
        fputs(line, stdout);
        case_snprintf_json();
        fputs(line, stdout);
        fflush(stdout);
        kv_pid = kv_tid = (int)getpid();
        {
            struct timespec now;
            clock_gettime(CLOCK_REALTIME, &now);
            kv_start_us = (long long)now.tv_sec * 1000000 + now.tv_nsec / 1000;
        }
        run_outer(case_scope, 1, 0);
        run_outer(case_timing_kv, 1, 0);
        return 0;
    }
    for (k = 0; k < sizeof cases / sizeof cases[0]; k++)
        if (strcmp(cases[k].name, name) == 0) {
            fn = cases[k].fn;
            how = cases[k].how;
        }
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
    {
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        kv_start_us = (long long)now.tv_sec * 1000000 + now.tv_nsec / 1000;
        kv_pid = kv_tid = (int)getpid();
    }
    evaluations = 0;

    if (how & OUTER) run_outer(fn, n, how);
    else run(fn, n, how);

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
