/* gen_logs.c - writes synthetic trace.h JSON-lines logs for tracestat's tests
 * and benchmark: requests with nested scopes (span/parent), trace IDs, info,
 * warning and error records, optional cpu_ms and summary-mode records.
 *
 *   gen_logs [--seed S] [--requests N] [--bytes B] [--noise F] [--run-noise F]
 *            [--slow LABEL=FACTOR] [--cpu] [--summary] [--threads]
 *
 * --requests N   number of requests (default 200)
 * --bytes B      instead: write requests until at least B bytes are out
 * --noise F      per-call relative noise (default 0.05)
 * --run-noise F  per-run relative noise, shared by all calls of the run (default 0.03)
 * --slow L=F     multiply label L's own time by F (an injected slowdown)
 * --cpu          add cpu_ms (a fraction of ms; db.query mostly waits)
 * --summary      write timing_summary records only (TRACE_TIMING=summary)
 * --seed S       default: from the pid and the time, so each run differs
 *
 * The numbers are deterministic for a given seed. Labels: handle_request
 * (root), parse, db.query (3 per request), render, auth|check (a '|' to
 * exercise Markdown escaping).
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    /* splitmix64 */
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static double rng_unit(void) { return ((double)(rng_next() >> 11) + 0.5) / 9007199254740992.0; }

static double rng_normal(void)
{
    double u1 = rng_unit(), u2 = rng_unit();
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

typedef struct label_def {
    const char *name;
    double base_ms;
    double cpu_frac;
    double slow;
    /* summary mode */
    double *vals;
    size_t n, cap;
} label_def;

enum { L_ROOT, L_PARSE, L_DB, L_RENDER, L_AUTH, L_COUNT };
static label_def labels[L_COUNT] = {
    { "handle_request", 0.40, 0.9, 1.0, NULL, 0, 0 },
    { "parse", 0.25, 0.95, 1.0, NULL, 0, 0 },
    { "db.query", 1.20, 0.1, 1.0, NULL, 0, 0 },
    { "render", 0.60, 0.9, 1.0, NULL, 0, 0 },
    { "auth|check", 0.08, 0.8, 1.0, NULL, 0, 0 },
};

static double noise = 0.05, run_factor = 1.0;
static int with_cpu, summary_mode;
static int64_t clock_us = 1795000000000000; /* 2026-11-18 */
static unsigned long long bytes_out;
static int pid = 4242;

static void fmt_ts(char *buf, size_t cap, int64_t us)
{
    time_t s = (time_t)(us / 1000000);
    struct tm tmv;
    gmtime_r(&s, &tmv);
    snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tmv.tm_year + 1900, tmv.tm_mon + 1, tmv.tm_mday, tmv.tm_hour,
             tmv.tm_min, tmv.tm_sec, (int)((unsigned long long)us % 1000000u));
}

static void out(const char *line)
{
    size_t n = strlen(line);
    fwrite(line, 1, n, stdout);
    bytes_out += n;
}

static double draw_ms(int l)
{
    double v = labels[l].base_ms * labels[l].slow * run_factor * exp(noise * rng_normal());
    return v;
}

static void keep(int l, double ms)
{
    label_def *d = &labels[l];
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 1024;
        d->vals = realloc(d->vals, d->cap * sizeof *d->vals);
        if (!d->vals) exit(1);
    }
    d->vals[d->n++] = ms;
}

/* Writes the timing record of a scope that ran [start, start+ms]. */
static void timing(int l, const char *trace, uint64_t span, uint64_t parent, int64_t start, double ms, int tid)
{
    char line[1024], ts[96], extra[128] = "";
    int64_t end = start + (int64_t)llround(ms * 1000.0);
    if (summary_mode) {
        keep(l, ms);
        return;
    }
    fmt_ts(ts, sizeof ts, end);
    if (with_cpu) snprintf(extra, sizeof extra, ",\"cpu_ms\":%.3f", ms * labels[l].cpu_frac);
    if (parent)
        snprintf(line, sizeof line,
                 "{\"ts\":\"%s\",\"lvl\":\"INFO\",\"msg\":\"timing\",\"logger\":\"app\",\"trace\":\"%s\",\"label\":\"%s\","
                 "\"ms\":%.3f,\"span\":\"%016llx\",\"parent\":\"%016llx\",\"start_us\":%lld,\"pid\":%d,\"tid\":%d,\"thread\":\"worker-%d\"%s}\n",
                 ts, trace, labels[l].name, ms, (unsigned long long)span, (unsigned long long)parent, (long long)start, pid, tid,
                 tid - pid, extra);
    else
        snprintf(line, sizeof line,
                 "{\"ts\":\"%s\",\"lvl\":\"INFO\",\"msg\":\"timing\",\"logger\":\"app\",\"trace\":\"%s\",\"label\":\"%s\","
                 "\"ms\":%.3f,\"span\":\"%016llx\",\"start_us\":%lld,\"pid\":%d,\"tid\":%d,\"thread\":\"worker-%d\"%s}\n",
                 ts, trace, labels[l].name, ms, (unsigned long long)span, (long long)start, pid, tid, tid - pid, extra);
    out(line);
}

static void request(long i, int tid)
{
    char trace[33], line[1024], ts[96];
    uint64_t root = rng_next() | 1, sp;
    int64_t start = clock_us, t;
    double own = draw_ms(L_ROOT), ms;
    snprintf(trace, sizeof trace, "%016llx%016llx", (unsigned long long)rng_next(), (unsigned long long)rng_next());
    t = start + 20;
    fmt_ts(ts, sizeof ts, t);
    if (!summary_mode) {
        snprintf(line, sizeof line,
                 "{\"ts\":\"%s\",\"lvl\":\"DEBUG\",\"msg\":\"request start\",\"logger\":\"http\",\"trace\":\"%s\",\"span\":\"%016llx\",\"id\":%ld}\n",
                 ts, trace, (unsigned long long)root, i);
        out(line);
    }
    /* children, one after the other */
    {
        int kids[6] = { L_AUTH, L_PARSE, L_DB, L_DB, L_DB, L_RENDER };
        for (int k = 0; k < 6; k++) {
            ms = draw_ms(kids[k]);
            sp = rng_next() | 1;
            timing(kids[k], trace, sp, root, t, ms, tid);
            t += (int64_t)llround(ms * 1000.0) + 5;
        }
    }
    if (!summary_mode && i % 50 == 7) {
        fmt_ts(ts, sizeof ts, t);
        snprintf(line, sizeof line,
                 "{\"ts\":\"%s\",\"lvl\":\"ERROR\",\"msg\":\"db timeout\",\"logger\":\"db\",\"trace\":\"%s\",\"span\":\"%016llx\",\"retry\":%s,\"ratio\":\"NaN\"}\n",
                 ts, trace, (unsigned long long)root, i % 100 == 7 ? "true" : "false");
        out(line);
    } else if (!summary_mode && i % 20 == 3) {
        fmt_ts(ts, sizeof ts, t);
        snprintf(line, sizeof line,
                 "{\"ts\":\"%s\",\"lvl\":\"WARNING\",\"msg\":\"slow client \\\"x\\\"\",\"logger\":\"http\",\"trace\":\"%s\",\"span\":\"%016llx\",\"bytes\":null}\n",
                 ts, trace, (unsigned long long)root);
        out(line);
    }
    t += (int64_t)llround(own * 1000.0);
    ms = (double)(t - start) / 1000.0;
    timing(L_ROOT, trace, root, 0, start, ms, tid);
    clock_us = t + 100;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double q7(const double *v, size_t n, double p)
{
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)floor(h);
    if (lo + 1 >= n) return v[n - 1];
    return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

int main(int argc, char **argv)
{
    long requests = 200;
    unsigned long long want_bytes = 0;
    double run_noise = 0.03;
    uint64_t seed = (uint64_t)getpid() * 1000003u ^ (uint64_t)time(NULL) ^ (uint64_t)clock();
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--seed") == 0 && v) { seed = strtoull(v, NULL, 10); i++; }
        else if (strcmp(a, "--requests") == 0 && v) { requests = strtol(v, NULL, 10); i++; }
        else if (strcmp(a, "--bytes") == 0 && v) { want_bytes = strtoull(v, NULL, 10); requests = -1; i++; }
        else if (strcmp(a, "--noise") == 0 && v) { noise = strtod(v, NULL); i++; }
        else if (strcmp(a, "--run-noise") == 0 && v) { run_noise = strtod(v, NULL); i++; }
        else if (strcmp(a, "--slow") == 0 && v) {
            const char *eq = strchr(v, '=');
            int found = 0;
            for (int l = 0; eq && l < L_COUNT; l++)
                if (strlen(labels[l].name) == (size_t)(eq - v) && strncmp(labels[l].name, v, (size_t)(eq - v)) == 0) {
                    labels[l].slow = strtod(eq + 1, NULL);
                    found = 1;
                }
            if (!found) { fprintf(stderr, "gen_logs: --slow LABEL=FACTOR with a known label\n"); return 2; }
            i++;
        }
        else if (strcmp(a, "--cpu") == 0) with_cpu = 1;
        else if (strcmp(a, "--summary") == 0) summary_mode = 1;
        else { fprintf(stderr, "gen_logs: unknown argument %s\n", a); return 2; }
    }
    rng_state = seed;
    pid = 1000 + (int)(rng_next() % 30000);
    run_factor = exp(run_noise * rng_normal());
    for (long i = 0; requests < 0 ? bytes_out < want_bytes : i < requests; i++) request(i, pid + 1 + (int)(i % 2));
    if (summary_mode) {
        char line[1024], ts[96];
        fmt_ts(ts, sizeof ts, clock_us);
        for (int l = 0; l < L_COUNT; l++) {
            label_def *d = &labels[l];
            double tot = 0;
            if (d->n == 0) continue;
            qsort(d->vals, d->n, sizeof *d->vals, cmp_d);
            for (size_t k = 0; k < d->n; k++) tot += d->vals[k];
            snprintf(line, sizeof line,
                     "{\"ts\":\"%s\",\"lvl\":\"INFO\",\"msg\":\"timing_summary\",\"logger\":\"app\",\"label\":\"%s\",\"count\":%zu,"
                     "\"total_ms\":%.3f,\"min_ms\":%.3f,\"max_ms\":%.3f,\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"pid\":%d}\n",
                     ts, d->name, d->n, tot, d->vals[0], d->vals[d->n - 1], q7(d->vals, d->n, 0.5), q7(d->vals, d->n, 0.9),
                     q7(d->vals, d->n, 0.99), pid);
            out(line);
            free(d->vals);
        }
    }
    return fflush(stdout) == 0 ? 0 : 1;
}
