/* scope_bench.c - timed runs of issue 4: IDs and scopes, in ns per call.

   scope_bench [ids|scopes|all] [-n CALLS] [-r RUNS]
   scope_bench only-ids -n CALLS      CALLS span IDs and nothing else (for
                                      `strace -c -f`: the syscalls must not
                                      grow with CALLS)
   scope_bench only-uuid -n CALLS     the same with libuuid's uuid_generate

   ids     trace_new_span_id(), trace_ctx_new(), trace_ctx_new() plus its
           traceparent (hex), and libuuid's uuid_generate (with and without
           uuid_unparse_lower) when built with it (BENCH_HAVE_UUID; it costs
           microseconds: it runs CALLS/100 times).
   scopes  an empty loop, a pair of clock_gettime(CLOCK_MONOTONIC) (the two
           clock reads of a timed scope), and TRACE_SCOPE("x") around
           nothing: filtered (TRACE_SCOPE_AT DEBUG under LOG_LEVEL=INFO),
           TRACE_TIMING=off and TRACE_TIMING=summary. The mode is switched
           with setenv and trace_reload() between the series.

   Every figure is the median of RUNS runs (default 7) of CALLS calls
   (default 10,000,000), with min and max; each series takes turns with the
   others within a run (run r starts with series r mod count), so the
   machine's noise falls on all of them alike. Each call is a call of a
   noinline function (its call and ret, about 1 ns, are in the figure). */
#define _POSIX_C_SOURCE 200809L
#include "trace.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef BENCH_HAVE_UUID
#include <uuid/uuid.h>
#endif

#if defined(__has_attribute)
#if __has_attribute(__noipa__)
#define BENCH_FN __attribute__((__noipa__, __noinline__))
#endif
#endif
#ifndef BENCH_FN
#define BENCH_FN __attribute__((__noinline__))
#endif

#define MAX_RUNS 101
#define MAX_SERIES 8

static volatile uint64_t sink;
static long calls = 10000000;
static int runs = 7;

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* --- the calls -------------------------------------------------------------- */
BENCH_FN static void nothing(void) { __asm__ __volatile__(""); }
BENCH_FN static void span_id(void) { sink = trace_new_span_id(); }
BENCH_FN static void ctx_new(void) {
    trace_ctx c = trace_ctx_new();
    sink = c.trace_hi ^ c.trace_lo;
}
BENCH_FN static void ctx_new_hex(void) {
    char tp[TRACE_TRACEPARENT_SIZE];
    trace_ctx c = trace_ctx_new();
    trace_traceparent_format(&c, tp);
    sink = (uint64_t)(unsigned char)tp[20];
}
#ifdef BENCH_HAVE_UUID
BENCH_FN static void uuid_gen(void) {
    uuid_t u;
    uuid_generate(u);
    sink = u[3];
}
BENCH_FN static void uuid_gen_hex(void) {
    uuid_t u;
    char s[37];
    uuid_generate(u);
    uuid_unparse_lower(u, s);
    sink = (uint64_t)(unsigned char)s[3];
}
#endif
BENCH_FN static void two_clocks(void) {
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    clock_gettime(CLOCK_MONOTONIC, &b);
    sink = (uint64_t)(b.tv_nsec - a.tv_nsec);
}
BENCH_FN static void scope(void) { TRACE_SCOPE("x"); }
BENCH_FN static void scope_debug(void) { TRACE_SCOPE_AT(TRACE_LEVEL_DEBUG, "x"); }

/* --- series ------------------------------------------------------------------ */
typedef struct series {
    const char *name;
    void (*fn)(void);
    const char *timing;   /* TRACE_TIMING for it, or NULL: leave as is */
    long divisor;         /* runs calls / divisor times (libuuid is slow) */
    double ns[MAX_RUNS];
} series;

static void set_timing(const char *mode) {
    static char current[16];
    if (!mode || strcmp(current, mode) == 0) return;
    setenv("TRACE_TIMING", mode, 1);
    trace_reload();
    snprintf(current, sizeof current, "%s", mode);
}

static void one(series *s, int run) {
    long i, n = calls / s->divisor;
    double t0, t1;
    if (n < 1) n = 1;
    set_timing(s->timing);
    s->fn(); /* warm: resolves the site, seeds the generator, makes the label */
    t0 = now_ns();
    for (i = 0; i < n; i++) s->fn();
    t1 = now_ns();
    s->ns[run] = (t1 - t0) / (double)n;
}

static double median_of(const series *s, double *mn, double *mx) {
    double sorted[MAX_RUNS];
    memcpy(sorted, s->ns, sizeof(double) * (size_t)runs);
    qsort(sorted, (size_t)runs, sizeof(double), cmp_double);
    *mn = sorted[0];
    *mx = sorted[runs - 1];
    return runs % 2 ? sorted[runs / 2] : (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2;
}

/* Runs the series in turns; the ratio column is against series `ref`. */
static void compare(const char *title, series *s, int ns, int ref) {
    int r, k;
    double ref_median = 0, mn, mx;
    for (r = 0; r < runs; r++)
        for (k = 0; k < ns; k++) one(&s[(k + r) % ns], r);
    printf("\n== %s: %ld calls x %d runs (medians; ratio to \"%s\")\n", title, calls, runs,
           s[ref].name);
    printf("%-44s %9s %9s %9s %9s\n", "call", "median", "min", "max", "ratio");
    ref_median = median_of(&s[ref], &mn, &mx);
    for (k = 0; k < ns; k++) {
        double med = median_of(&s[k], &mn, &mx);
        printf("%-44s %9.1f %9.1f %9.1f %8.2fx%s\n", s[k].name, med, mn, mx,
               ref_median > 0 ? med / ref_median : 0.0,
               s[k].divisor > 1 ? "  (calls/100)" : "");
    }
    fflush(stdout);
}

static void ids(void) {
    series s[MAX_SERIES];
    int n = 0;
    memset(s, 0, sizeof s);
    s[n++] = (series){ "trace_new_span_id()", span_id, NULL, 1, { 0 } };
    s[n++] = (series){ "trace_ctx_new()", ctx_new, NULL, 1, { 0 } };
    s[n++] = (series){ "trace_ctx_new() + trace_traceparent_format", ctx_new_hex, NULL, 1, { 0 } };
#ifdef BENCH_HAVE_UUID
    s[n++] = (series){ "libuuid uuid_generate()", uuid_gen, NULL, 100, { 0 } };
    s[n++] = (series){ "libuuid uuid_generate() + uuid_unparse_lower", uuid_gen_hex, NULL, 100,
                       { 0 } };
#endif
    s[n++] = (series){ "empty call (loop and call overhead)", nothing, NULL, 1, { 0 } };
    compare("IDs, ns per call", s, n, 0);
#ifndef BENCH_HAVE_UUID
    printf("(libuuid not built: apt-get install uuid-dev, then rebuild)\n");
#endif
}

static void scopes(void) {
    series s[MAX_SERIES];
    int n = 0;
    memset(s, 0, sizeof s);
    s[n++] = (series){ "empty call (loop and call overhead)", nothing, NULL, 1, { 0 } };
    s[n++] = (series){ "two clock_gettime(CLOCK_MONOTONIC)", two_clocks, NULL, 1, { 0 } };
    s[n++] = (series){ "TRACE_SCOPE filtered (DEBUG, LOG_LEVEL=INFO)", scope_debug, "records", 1,
                       { 0 } };
    s[n++] = (series){ "TRACE_SCOPE, TRACE_TIMING=off", scope, "off", 1, { 0 } };
    s[n++] = (series){ "TRACE_SCOPE, TRACE_TIMING=summary", scope, "summary", 1, { 0 } };
    compare("scopes, ns per scope", s, n, 1);
}

static int usage(void) {
    fprintf(stderr, "usage: scope_bench [ids|scopes|all|only-ids|only-uuid] [-n CALLS] [-r RUNS]\n");
    return 2;
}

int main(int argc, char **argv) {
    const char *mode = "all";
    int i, devnull;
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) calls = strtol(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "-r") == 0 && i + 1 < argc) runs = atoi(argv[++i]);
        else if (argv[i][0] != '-') mode = argv[i];
        else return usage();
    }
    if (calls <= 0 || runs <= 0 || runs > MAX_RUNS) return usage();

    if (strcmp(mode, "only-ids") == 0) {
        long k;
        for (k = 0; k < calls; k++) span_id();
        printf("scope_bench: %ld span IDs, last %016llx\n", calls, (unsigned long long)sink);
        return 0;
    }
#ifdef BENCH_HAVE_UUID
    if (strcmp(mode, "only-uuid") == 0) {
        long k;
        for (k = 0; k < calls; k++) uuid_gen();
        printf("scope_bench: %ld libuuid UUIDs\n", calls);
        return 0;
    }
#endif
    if (strcmp(mode, "all") && strcmp(mode, "ids") && strcmp(mode, "scopes")) return usage();

    /* Whatever the caller's environment: LOG_LEVEL=INFO (the filtered
       scope is DEBUG), records (none is written here) to /dev/null. */
    setenv("LOG_LEVEL", "INFO", 1);
    setenv("TRACE_TIMING", "records", 1);
    unsetenv("TRACE_SAMPLE");
    unsetenv("TRACEPARENT");
    trace_reload();
    devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0) trace_set_output(devnull);
    printf("scope_bench: trace.h %s, load average ", TRACE_VERSION);
    {
        FILE *f = fopen("/proc/loadavg", "r");
        char l[128] = "?\n";
        if (f) {
            if (!fgets(l, sizeof l, f)) l[0] = 0;
            fclose(f);
        }
        fputs(l, stdout);
    }
    if (strcmp(mode, "all") == 0 || strcmp(mode, "ids") == 0) ids();
    if (strcmp(mode, "all") == 0 || strcmp(mode, "scopes") == 0) scopes();
    set_timing("off"); /* no summary at exit: nothing to read in it */
    return 0;
}
