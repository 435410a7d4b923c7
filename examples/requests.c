/* requests - a small service loop instrumented with scopes and traces.

   Each request starts a trace (or joins the one in $TRACEPARENT), times its
   stages with nested TRACE_SCOPEs, waits on "I/O" (poll with a timeout: wall
   time without CPU time), takes a slow path now and then, and hands the
   rendering to a worker thread that adopts the request's trace context.

       ./requests                                  # plain lines
       LOG_FORMAT=json TRACE_CPU=1 ./requests | jq -c 'select(.msg=="timing")'
       TRACE_TIMING=summary LOG_FORMAT=json ./requests
       tracestat run -n 10 -o runs -- ./requests && tracestat summary runs

   REQUESTS_N sets the number of requests (default 24); REQUESTS_SLOWDOWN
   multiplies the work of the "db_query" stage (default 1, for trying out a
   regression gate: REQUESTS_SLOWDOWN=1.3).
*/
#define TRACE_MODULE "requests"
#include "trace.h"

#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static double slowdown = 1.0;
static volatile uint64_t sink;

/* CPU work that takes about the same time on every run: `units` rounds of
   a hash. */
static void compute(double units) {
    uint64_t h = 1469598103934665603ULL, i, n = (uint64_t)(units * 20000.0);
    for (i = 0; i < n; i++) h = (h ^ i) * 1099511628211ULL;
    sink = h;
}

/* Waiting, not computing: wall time grows, CPU time does not. */
static void wait_io(int ms) { (void)poll(NULL, 0, ms); }

struct job {
    trace_ctx ctx; /* the request's context, captured for the worker */
    int id;
};

static void *render(void *arg) {
    struct job *job = (struct job *)arg;
    TRACE_CONTEXT(&job->ctx); /* this thread joins the request's trace */
    trace_set_thread_name("render-worker");
    TRACE_SCOPE("render");
    compute(8);
    TRACE_DEBUG("rendered request %d", job->id);
    return NULL;
}

static int handle(int id) {
    pthread_t worker;
    struct job job;
    int status = 200;
    TRACE_TRACE_FROM(getenv("TRACEPARENT")); /* join the caller's trace, or start one */
    TRACE_SCOPE("handle_request");
    {
        TRACE_SCOPE("parse");
        compute(10);
    }
    {
        TRACE_SCOPE("db_query");
        compute(30 * slowdown);
        wait_io(1);
    }
    if (id % 6 == 5) {
        TRACE_SCOPE("slow_path");
        TRACE_WARNING_KV("cache cold, taking the slow path", "request", id);
        compute(40);
        wait_io(2);
    }
    if (id == 13) {
        status = 500;
        TRACE_ERROR_KV("upstream failed", "request", id, "upstream", "inventory", "status", status);
    }
    job.ctx = trace_ctx_current();
    job.id = id;
    if (pthread_create(&worker, NULL, render, &job) == 0) pthread_join(worker, NULL);
    TRACE_INFO_KV("request done", "request", id, "status", status);
    return status;
}

int main(void) {
    const char *n_env = getenv("REQUESTS_N"), *slow_env = getenv("REQUESTS_SLOWDOWN");
    int i, n = n_env ? atoi(n_env) : 24, failed = 0;
    if (n <= 0) n = 24;
    if (slow_env) {
        slowdown = atof(slow_env);
        if (slowdown <= 0) slowdown = 1.0;
    }
    trace_set_thread_name("main");
    TRACE_MEMORY("start");
    for (i = 0; i < n; i++) failed += handle(i) != 200;
    TRACE_MEMORY("end");
    TRACE_INFO_KV("batch done", "requests", n, "failed", failed);
    return 0;
}
