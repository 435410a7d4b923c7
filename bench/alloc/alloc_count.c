/* alloc_count.c - heap allocations per scope and per record (issue 4: none).

   alloc_count [-n N]      (default N = 100000)

   This program defines malloc, calloc, realloc, free and the aligned
   allocators itself; they count the calls and forward to glibc's
   __libc_malloc and friends. An executable's definitions interpose on
   every caller in the process, libc's own included (fopen, strdup, ...),
   so nothing that trace.h or libc allocates escapes the count (glibc's
   documented way of replacing malloc; no LD_PRELOAD needed).

   For each case: switch the environment (setenv + trace_reload), set the
   output to /dev/null, call the case 1,000 times (warm-up: what it
   allocates once, e.g. the label's statistics in summary mode, shows in the
   "warm-up" column), then count the allocations of N more calls, which
   must be 0. Exit status 1 when a steady state allocated. */
#define _POSIX_C_SOURCE 200809L
#include "trace.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* --- the counting allocator (glibc) ----------------------------------------- */
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t k, size_t n);
extern void *__libc_realloc(void *p, size_t n);
extern void *__libc_memalign(size_t align, size_t n);
extern void __libc_free(void *p);

void *malloc(size_t n);
void *calloc(size_t k, size_t n);
void *realloc(void *p, size_t n);
void free(void *p);
void *aligned_alloc(size_t align, size_t n);
int posix_memalign(void **out, size_t align, size_t n);
void *memalign(size_t align, size_t n);

static unsigned long allocations; /* single-threaded program: no atomics */

void *malloc(size_t n) {
    allocations++;
    return __libc_malloc(n);
}
void *calloc(size_t k, size_t n) {
    allocations++;
    return __libc_calloc(k, n);
}
void *realloc(void *p, size_t n) {
    allocations++;
    return __libc_realloc(p, n);
}
void free(void *p) { __libc_free(p); }
void *aligned_alloc(size_t align, size_t n) {
    allocations++;
    return __libc_memalign(align, n);
}
void *memalign(size_t align, size_t n) {
    allocations++;
    return __libc_memalign(align, n);
}
int posix_memalign(void **out, size_t align, size_t n) {
    void *p;
    allocations++;
    p = __libc_memalign(align, n);
    if (!p) return 12; /* ENOMEM */
    *out = p;
    return 0;
}

/* --- the cases ----------------------------------------------------------------- */
#if defined(__has_attribute)
#if __has_attribute(__noipa__)
#define BENCH_FN __attribute__((__noipa__, __noinline__))
#endif
#endif
#ifndef BENCH_FN
#define BENCH_FN __attribute__((__noinline__))
#endif

static volatile uint64_t sink;
static volatile long ident = 42;

BENCH_FN static void scope(void) { TRACE_SCOPE("x"); }
BENCH_FN static void scope_debug(void) { TRACE_SCOPE_AT(TRACE_LEVEL_DEBUG, "x"); }
BENCH_FN static void scope_nested(void) {
    TRACE_SCOPE("a");
    {
        TRACE_SCOPE("b");
    }
}
BENCH_FN static void scope_memory(void) { TRACE_SCOPE_MEMORY("m"); }
BENCH_FN static void scope_in_trace(void) {
    TRACE_TRACE_NEW();
    TRACE_SCOPE("t");
    TRACE_INFO_KV("in a trace", "id", (long)ident);
}
BENCH_FN static void kv(void) { TRACE_INFO_KV("user alice logged in", "user", "alice", "id", (long)ident); }
BENCH_FN static void printf_style(void) { TRACE_INFO("user %s logged in id=%ld", "alice", (long)ident); }
BENCH_FN static void debug_filtered(void) { TRACE_DEBUG("cache miss for %ld", (long)ident); }
BENCH_FN static void span_id(void) { sink = trace_new_span_id(); }
BENCH_FN static void ctx_new(void) {
    trace_ctx c = trace_ctx_new();
    sink = c.trace_hi ^ c.trace_lo;
}

typedef struct acase {
    const char *name;
    void (*fn)(void);
    const char *env; /* "VAR=value VAR=value" on top of the defaults */
    unsigned long expect_warm; /* allocations expected in the warm-up, or -1: any */
} acase;

static const acase cases[] = {
    { "scope, records, json, safe", scope, "", 0 },
    { "scope, records, json, LOG_BUFFER=64k", scope, "LOG_BUFFER=64k", (unsigned long)-1 },
    { "scope, records, plain", scope, "LOG_FORMAT=plain", 0 },
    { "scope, records, TRACE_CPU=1", scope, "TRACE_CPU=1", 0 },
    { "nested scopes (2 a call), records", scope_nested, "", 0 },
    { "TRACE_SCOPE_MEMORY, records", scope_memory, "", 0 },
    { "trace + scope + KV record, records", scope_in_trace, "", 0 },
    { "scope, TRACE_TIMING=summary", scope, "TRACE_TIMING=summary", 1 },
    { "nested scopes (2 labels), summary", scope_nested, "TRACE_TIMING=summary", 2 },
    { "scope, TRACE_TIMING=off", scope, "TRACE_TIMING=off", 0 },
    { "scope filtered (DEBUG, LOG_LEVEL=INFO)", scope_debug, "", 0 },
    { "TRACE_INFO_KV, json, safe", kv, "", 0 },
    { "TRACE_INFO_KV, json, LOG_BUFFER=64k", kv, "LOG_BUFFER=64k", (unsigned long)-1 },
    { "TRACE_INFO_KV, logfmt, safe", kv, "LOG_FORMAT=logfmt", 0 },
    { "TRACE_INFO printf-style, json, safe", printf_style, "", 0 },
    { "TRACE_INFO printf-style, plain, LOG_BUFFER=64k", printf_style, "LOG_FORMAT=plain LOG_BUFFER=64k",
      (unsigned long)-1 },
    { "TRACE_DEBUG filtered", debug_filtered, "", 0 },
    { "trace_new_span_id()", span_id, "", 0 },
    { "trace_ctx_new()", ctx_new, "", 0 },
};

static int devnull = -1;

/* The defaults, then the case's "VAR=value ..." list; reload; /dev/null. */
static void environment(const char *env) {
    char buf[256], *p, *save = NULL;
    setenv("LOG_LEVEL", "INFO", 1);
    setenv("LOG_FORMAT", "json", 1);
    setenv("LOG_BUFFER", "off", 1);
    setenv("TRACE_TIMING", "records", 1);
    setenv("TRACE_CPU", "0", 1);
    unsetenv("TRACE_SAMPLE");
    unsetenv("TRACEPARENT");
    snprintf(buf, sizeof buf, "%s", env);
    for (p = strtok_r(buf, " ", &save); p; p = strtok_r(NULL, " ", &save)) {
        char *eq = strchr(p, '=');
        if (!eq) continue;
        *eq = 0;
        setenv(p, eq + 1, 1);
    }
    trace_flush();
    trace_reload();
    trace_set_output(devnull);
}

int main(int argc, char **argv) {
    long n = 100000, i;
    size_t k;
    int bad = 0;
    unsigned long at_start, before_main = allocations;
    if (argc == 3 && strcmp(argv[1], "-n") == 0) n = strtol(argv[2], NULL, 10);
    else if (argc != 1) {
        fprintf(stderr, "usage: alloc_count [-n N]\n");
        return 2;
    }
    if (n <= 0) return 2;
    devnull = open("/dev/null", O_WRONLY);
    if (devnull < 0) {
        perror("/dev/null");
        return 1;
    }
    at_start = allocations;
    { /* the counter itself must see an allocation (volatile: not elided) */
        void *volatile p = malloc(16);
        free(p);
        if (allocations != at_start + 1) {
            fprintf(stderr, "alloc_count: the counting malloc is not in use\n");
            return 2;
        }
        at_start = allocations;
    }
    (void)trace_get_level("app"); /* trace.h's initialisation */
    printf("alloc_count: heap allocations (malloc, calloc, realloc, aligned) counted by this\n"
           "program's own allocator: %lu before main, %lu in trace.h's initialisation.\n"
           "Per case: \"switch\" counts the mode switch (setenv's copies, and the buffer of\n"
           "LOG_BUFFER), then the first 1,000 calls (warm-up), then %ld calls (steady).\n\n",
           before_main, allocations - at_start, n);
    environment("");
    printf("%-48s %7s %8s %8s  %s\n", "case", "switch", "warm-up", "steady", "");
    for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        unsigned long a0, a1, a2;
        const char *verdict;
        a0 = allocations;
        environment(cases[k].env); /* its buffer, if any, is allocated here */
        a1 = allocations;
        for (i = 0; i < 1000; i++) cases[k].fn();
        a2 = allocations;
        for (i = 0; i < n; i++) cases[k].fn();
        trace_flush();
        verdict = allocations - a2 ? "ALLOCATES" : "ok";
        if (allocations - a2) bad = 1;
        if (cases[k].expect_warm != (unsigned long)-1 && a2 - a1 != cases[k].expect_warm) {
            verdict = allocations - a2 ? "ALLOCATES" : "ok (warm-up differs from expected)";
        }
        printf("%-48s %7lu %8lu %8lu  %s\n", cases[k].name, a1 - a0, a2 - a1, allocations - a2,
               verdict);
        fflush(stdout);
    }
    environment("TRACE_TIMING=off");
    return bad;
}
