/* test_ids.c - trace and span IDs (issue 4, point 4): 32 and 16 lowercase
   hex characters, never zero, unique across 4 threads x 10,000 IDs and
   across fork() (the child's IDs differ from the parent's next ones, also
   when the first trace.h call of the process was trace_new_span_id() and
   when the fork happens in a worker thread), seeded from the OS once per
   thread and not once per ID.

   getrandom is interposed (defined below) to count how often the OS is
   asked for randomness. */
#define _GNU_SOURCE
#include "test_util.h"
#include "trace.h"
#include "test_scope_util.h"

#include <pthread.h>
#include <sys/random.h>
#include <sys/syscall.h>

static long g_getrandom_calls;

ssize_t getrandom(void *buf, size_t len, unsigned int flags) {
    __atomic_add_fetch(&g_getrandom_calls, 1, __ATOMIC_RELAXED);
    return (ssize_t)syscall(SYS_getrandom, buf, len, flags);
}
static long getrandom_calls(void) { return __atomic_load_n(&g_getrandom_calls, __ATOMIC_RELAXED); }

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* 128-bit trace IDs as pairs */
typedef struct pair { uint64_t hi, lo; } pair;
static int cmp_pair(const void *a, const void *b) {
    const pair *x = (const pair *)a, *y = (const pair *)b;
    if (x->hi != y->hi) return x->hi < y->hi ? -1 : 1;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Sort and count equal neighbours (and zeros). */
static size_t dups_u64(uint64_t *v, size_t n, size_t *zeros) {
    size_t i, d = 0;
    qsort(v, n, sizeof *v, cmp_u64);
    *zeros = 0;
    for (i = 0; i < n; i++) {
        *zeros += v[i] == 0;
        d += i && v[i] == v[i - 1];
    }
    return d;
}

static int setup(void **state) {
    (void)state;
    tf_env(NULL);
    return 0;
}

/* --- formats ------------------------------------------------------------------ */

static void test_formats_in_records(void **state) {
    tf_rec r[8];
    char *s;
    int n, i;
    (void)state;
    for (i = 0; i < 3; i++) {
        TRACE_TRACE_NEW();
        TRACE_SCOPE("id_scope");
        TRACE_INFO("with ids");
    }
    s = tf_take();
    n = tf_parse(s, r, 8);
    free(s);
    assert_int_equal(n, 6);
    for (i = 0; i < n; i++) {
        if (!tf_is_hex_id(r[i].trace, 32) || !tf_is_hex_id(r[i].span, 16)) {
            print_error("bad IDs: trace \"%s\" span \"%s\"\n", r[i].trace, r[i].span);
            fail();
        }
    }
    /* each TRACE_TRACE_NEW() is a new trace */
    assert_string_not_equal(r[0].trace, r[2].trace);
    assert_string_not_equal(r[2].trace, r[4].trace);
}

static void test_formats_of_api(void **state) {
    int i;
    (void)state;
    for (i = 0; i < 1000; i++) {
        trace_ctx c = trace_ctx_new();
        char tp[TRACE_TRACEPARENT_SIZE], hex[33];
        uint64_t s = trace_new_span_id();
        assert_true((c.trace_hi | c.trace_lo) != 0);
        assert_true(s != 0);
        c.span = s;
        trace_traceparent_format(&c, tp);
        assert_int_equal(strlen(tp), 55);
        memcpy(hex, tp + 3, 32);
        hex[32] = 0;
        assert_true(tf_is_hex_id(hex, 32));
        memcpy(hex, tp + 36, 16);
        hex[16] = 0;
        assert_true(tf_is_hex_id(hex, 16));
    }
}

/* --- uniqueness across threads -------------------------------------------------- */

#define NTHREADS 4
#define PER_THREAD 10000

static uint64_t g_spans[NTHREADS * PER_THREAD];
static pair g_traces[NTHREADS * PER_THREAD];
static long g_seeds[NTHREADS];
static pthread_barrier_t g_barrier;

static void *gen_ids(void *arg) {
    int t = (int)(intptr_t)arg, i;
    long before;
    pthread_barrier_wait(&g_barrier); /* all four start together */
    before = getrandom_calls();
    for (i = 0; i < PER_THREAD; i++) {
        trace_ctx c = trace_ctx_new();
        g_spans[t * PER_THREAD + i] = trace_new_span_id();
        g_traces[t * PER_THREAD + i].hi = c.trace_hi;
        g_traces[t * PER_THREAD + i].lo = c.trace_lo;
    }
    g_seeds[t] = getrandom_calls() - before; /* other threads count too: an upper bound */
    return NULL;
}

static void test_unique_across_threads(void **state) {
    pthread_t th[NTHREADS];
    size_t zeros, d, i;
    long calls0;
    (void)state;
    calls0 = getrandom_calls();
    assert_int_equal(pthread_barrier_init(&g_barrier, NULL, NTHREADS), 0);
    for (i = 0; i < NTHREADS; i++)
        assert_int_equal(pthread_create(&th[i], NULL, gen_ids, (void *)(intptr_t)i), 0);
    for (i = 0; i < NTHREADS; i++) assert_int_equal(pthread_join(th[i], NULL), 0);
    pthread_barrier_destroy(&g_barrier);

    d = dups_u64(g_spans, NTHREADS * PER_THREAD, &zeros);
    assert_int_equal(zeros, 0);
    assert_int_equal(d, 0);
    qsort(g_traces, NTHREADS * PER_THREAD, sizeof g_traces[0], cmp_pair);
    for (i = 0; i < NTHREADS * PER_THREAD; i++) {
        assert_true((g_traces[i].hi | g_traces[i].lo) != 0);
        if (i) assert_true(cmp_pair(&g_traces[i], &g_traces[i - 1]) != 0);
    }
    /* seeded from the OS once per thread, not once per ID: 80,000 IDs cost
       at most four getrandom calls, and at least one */
    if (getrandom_calls() - calls0 < 1 || getrandom_calls() - calls0 > NTHREADS) {
        print_error("%ld getrandom calls for %d threads\n", getrandom_calls() - calls0, NTHREADS);
        fail();
    }
    for (i = 0; i < NTHREADS; i++) assert_true(g_seeds[i] <= NTHREADS);
}

/* --- uniqueness across fork ----------------------------------------------------- */

#define NFORK 1000

/* Fork; the child sends its next NFORK span IDs and 100 trace IDs through a
   pipe; the parent makes its next NFORK; no ID may be in both. */
static void fork_and_compare(void) {
    uint64_t mine[NFORK + 200], theirs[NFORK + 200], all[2 * (NFORK + 200)];
    int p[2], st, i;
    size_t zeros, got = 0;
    pid_t pid;
    assert_int_equal(pipe(p), 0);
    fflush(NULL);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        uint64_t v[NFORK + 200];
        size_t off = 0;
        close(p[0]);
        for (i = 0; i < NFORK; i++) v[i] = trace_new_span_id();
        for (i = 0; i < 100; i++) {
            trace_ctx c = trace_ctx_new();
            v[NFORK + 2 * i] = c.trace_hi;
            v[NFORK + 2 * i + 1] = c.trace_lo;
        }
        while (off < sizeof v) {
            ssize_t w = write(p[1], (char *)v + off, sizeof v - off);
            if (w <= 0) _exit(3);
            off += (size_t)w;
        }
        _exit(0);
    }
    close(p[1]);
    for (i = 0; i < NFORK; i++) mine[i] = trace_new_span_id();
    for (i = 0; i < 100; i++) {
        trace_ctx c = trace_ctx_new();
        mine[NFORK + 2 * i] = c.trace_hi;
        mine[NFORK + 2 * i + 1] = c.trace_lo;
    }
    while (got < sizeof theirs) {
        ssize_t r = read(p[0], (char *)theirs + got, sizeof theirs - got);
        if (r <= 0) break;
        got += (size_t)r;
    }
    close(p[0]);
    st = tu_wait(pid);
    tu_assert_exit0(st);
    assert_int_equal(got, sizeof theirs);
    /* the very next ID of each side differs */
    assert_true(mine[0] != theirs[0]);
    memcpy(all, mine, sizeof mine);
    memcpy(all + NFORK + 200, theirs, sizeof theirs);
    if (dups_u64(all, 2 * (NFORK + 200), &zeros) != 0) {
        print_error("the forked child repeats the parent's IDs\n");
        fail();
    }
    assert_int_equal(zeros, 0);
}

static void test_unique_across_fork(void **state) {
    (void)state;
    (void)trace_new_span_id(); /* this thread's generator is seeded */
    fork_and_compare();
    fork_and_compare(); /* and again: the parent's state moved on, the child reseeds */
}

static void *fork_in_worker(void *arg) {
    (void)arg;
    (void)trace_new_span_id();
    fork_and_compare();
    return NULL;
}

static void test_unique_across_fork_in_thread(void **state) {
    pthread_t th;
    (void)state;
    assert_int_equal(pthread_create(&th, NULL, fork_in_worker, NULL), 0);
    assert_int_equal(pthread_join(th, NULL), 0);
}

/* A fresh process whose first trace.h call is trace_new_span_id(): then
   fork, then both sides print 64 IDs. (Child mode "fresh-fork".) */
static int child_fresh_fork(void) {
    uint64_t first = trace_new_span_id();
    pid_t pid;
    int i, st = 0;
    (void)first;
    fflush(NULL);
    pid = fork();
    if (pid < 0) return 2;
    for (i = 0; i < 64; i++) printf("%s %016llx\n", pid == 0 ? "C" : "P",
                                    (unsigned long long)trace_new_span_id());
    fflush(stdout);
    if (pid == 0) _exit(0);
    waitpid(pid, &st, 0);
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 3;
}

static void test_unique_across_fork_fresh_process(void **state) {
    const char *env[] = { TF_CHILD_ENV, NULL };
    tf_child_out r;
    uint64_t v[128];
    size_t n = 0, zeros, d;
    char *line;
    (void)state;
    r = tf_child("fresh-fork", NULL, env);
    tu_assert_exit0(r.status);
    for (line = r.out; *line && n < 128; line = strchr(line, '\n') + 1) {
        assert_true(line[0] == 'C' || line[0] == 'P');
        v[n++] = strtoull(line + 2, NULL, 16);
        if (!strchr(line, '\n')) break;
    }
    tf_child_free(&r);
    assert_int_equal(n, 128);
    d = dups_u64(v, n, &zeros);
    if (d) {
        print_error("%zu of the child's 64 IDs repeat the parent's (first trace.h call: "
                    "trace_new_span_id, then fork)\n", d);
        fail();
    }
    assert_int_equal(zeros, 0);
}

int main(int argc, char **argv) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_formats_in_records, setup),
        cmocka_unit_test_setup(test_formats_of_api, setup),
        cmocka_unit_test_setup(test_unique_across_threads, setup),
        cmocka_unit_test_setup(test_unique_across_fork, setup),
        cmocka_unit_test_setup(test_unique_across_fork_in_thread, setup),
        cmocka_unit_test_setup(test_unique_across_fork_fresh_process, setup),
    };
    if (argc > 1 && strcmp(argv[1], "fresh-fork") == 0) return child_fresh_fork();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
