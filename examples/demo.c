/* demo - a batch of simulated requests, logged with trace.h.

   Run it as it is to see the same batch in the three formats, one after the
   other; with LOG_FORMAT set (plain, json or logfmt) it writes that format
   only, once, as a program in production would:

       ./demo
       LOG_FORMAT=json LOG_LEVEL=DEBUG ./demo | jq .
*/
#define TRACE_MODULE "demo"
#include "trace.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct request {
    unsigned id;
    const char *user;
    const char *path;
    int bytes;
};

static const struct request batch[] = {
    { 101, "alice", "/users/alice", 512 },
    { 102, "bob", "/orders?since=2026-11-01", 20480 },
    { 103, "carol", "/users/carol/avatar.png", 734003 },
    { 104, "dave", "/admin", 0 },
    { 105, "alice", "/orders/9001", 2048 },
    { 106, "erin \"the tester\"", "/search?q=a b", 128 },
};

/* A deterministic stand-in for work: the latency depends on the payload. */
static double handle(const struct request *rq, int *status) {
    double ms = (double)(400 + rq->bytes / 100) / 1000.0; /* 0.4 ms + 10 us per kB */
    bool cached = rq->bytes < 4096;
    TRACE_DEBUG("cache %s for %s", cached ? "hit" : "miss", rq->path);
    if (strcmp(rq->path, "/admin") == 0) {
        *status = 403;
        TRACE_ERROR_KV("permission denied", "request", rq->id, "user", rq->user, "path", rq->path);
        return ms;
    }
    *status = 200;
    if (ms > 5.0)
        TRACE_WARNING_KV("slow request", "request", rq->id, "ms", ms, "limit_ms", 5.0);
    return ms;
}

static void run_batch(void) {
    size_t i, n = sizeof batch / sizeof batch[0];
    int failed = 0;
    double total = 0;
    TRACE_INFO("processing %zu requests", n);
    for (i = 0; i < n; i++) {
        int status = 0;
        double ms = handle(&batch[i], &status);
        total += ms;
        failed += status != 200;
        TRACE_INFO_KV("request done", "request", batch[i].id, "user", batch[i].user,
                      "path", batch[i].path, "status", status, "ms", ms, "cached",
                      (bool)(batch[i].bytes < 4096));
    }
    TRACE_INFO_KV("batch done", "requests", n, "failed", failed, "total_ms", total);
}

int main(void) {
    static const struct { int format; const char *name; } formats[] = {
        { TRACE_FORMAT_PLAIN, "plain" }, { TRACE_FORMAT_JSON, "json" },
        { TRACE_FORMAT_LOGFMT, "logfmt" } };
    size_t i;
    const char *env = getenv("LOG_FORMAT");
    if (env && *env) {
        run_batch();
        return 0;
    }
    for (i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        printf("%s--- LOG_FORMAT=%s ---\n", i ? "\n" : "", formats[i].name);
        trace_set_format(formats[i].format);
        run_batch();
    }
    return 0;
}
