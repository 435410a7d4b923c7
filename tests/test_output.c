/* test_output.c - the sinks: order with the program's own printf (to a file
   and to a pipe, safe and buffered mode, in a child whose stdout is
   redirected); records kept through abort(), a fatal signal and SIGKILL;
   when buffered mode writes (WARNING, trace_flush, exit, 100 ms age, full
   buffer); failed writes (/dev/full, a closed stdout, a pipe whose reader
   has gone with SIGPIPE ignored) dropped and counted without a crash;
   EAGAIN on a non-blocking pipe waited out.

   Two groups: the default one, and `--nosan` (fork then abort() or a fatal
   signal: ctest label nosan, since sanitizers handle those signals). The
   program runs itself as a child for the tests that need a fresh process:
   `test_output --child MODE`. */
#define _GNU_SOURCE
#include "test_util.h"
#include "trace.h"

#include <poll.h>
#include <pthread.h>

/* --- children (a fresh process; environment set by the parent) ----------- */

static volatile sig_atomic_t g_handled;
static void on_term(int sig) {
    static const char msg[] = "program handler ran\n";
    (void)sig;
    if (write(2, msg, sizeof msg - 1) < 0) { /* nothing to do */ }
    g_handled = 1;
}

static void log_in_exit_handler(void) { TRACE_INFO("in an exit handler"); }
static void log_in_exit_handler_later(void) { TRACE_INFO("in a later exit handler"); }

static void *stdout_writer(void *arg) {
    int i;
    for (i = 0; i < 1000; i++) TRACE_INFO_KV("t", "w", (int)(intptr_t)arg, "i", i);
    return NULL;
}

static int child(const char *mode) {
    int i;
    if (strcmp(mode, "threads-stdout") == 0) { /* 4 threads into stdout */
        pthread_t t[4];
        for (i = 0; i < 4; i++) pthread_create(&t[i], NULL, stdout_writer, (void *)(intptr_t)i);
        for (i = 0; i < 4; i++) pthread_join(t[i], NULL);
        return 0;
    }
    if (strcmp(mode, "scope-first") == 0 || strcmp(mode, "scope-first-summary") == 0) {
        /* the process's first trace.h call is a scope, before anything
           has read the environment */
        if (mode[11]) setenv("TRACE_TIMING", "summary", 1);
        for (i = 0; i < 2; i++) {
            TRACE_SCOPE("first_call");
        }
        return 0;
    }
    if (strcmp(mode, "exit-handlers") == 0) {
        /* registered before trace.h's own exit flush: run after it */
        atexit(log_in_exit_handler);
        TRACE_INFO("in main");
        atexit(log_in_exit_handler_later); /* runs before trace.h's */
        return 0;
    }
    if (strcmp(mode, "abc") == 0) { /* the example */
        printf("A\n");
        TRACE_INFO("B");
        printf("C\n");
        return 0;
    }
    if (strcmp(mode, "abc-flush") == 0 || strcmp(mode, "abc-linebuf") == 0 ||
        strcmp(mode, "abc-burst") == 0) {
        /* stdio writes C at once: its own fflush, line buffering, or a
           burst larger than its buffer */
        static char burst[20000];
        if (mode[4] == 'l') setvbuf(stdout, NULL, _IOLBF, 0);
        printf("A\n");
        TRACE_INFO("B");
        printf("C\n");
        if (mode[4] == 'f') fflush(stdout);
        if (mode[4] == 'b') {
            memset(burst, 'x', sizeof burst - 2);
            burst[sizeof burst - 2] = '\n';
            fputs(burst, stdout);
        }
        _exit(0); /* no exit-time flush: what is out is out */
    }
    if (strcmp(mode, "order") == 0) {
        printf("A\n");
        TRACE_INFO("B");
        printf("C\n");
        TRACE_WARNING("D");
        printf("E\n");
        TRACE_INFO_KV("F", "k", 1);
        TRACE_INFO("G");
        printf("H\n");
        return 0;
    }
    if (strcmp(mode, "segv") == 0) { /* buffered records reach the file */
        for (i = 0; i < 10; i++) TRACE_INFO("rec %d", i);
        raise(SIGSEGV);
        return 3;
    }
    if (strcmp(mode, "term-chain") == 0) {
        /* the program's own handler, installed before trace.h's */
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_term;
        sigaction(SIGTERM, &sa, NULL);
        for (i = 0; i < 5; i++) TRACE_INFO("rec %d", i);
        raise(SIGTERM);
        if (!g_handled) return 4;
        _exit(7); /* no exit-time flush: the records came from the signal */
    }
    if (strcmp(mode, "closed-stdout") == 0) {
        uint64_t before;
        TRACE_INFO("first"); /* initialise while stdout is open */
        trace_flush();
        close(1);
        before = trace_dropped();
        TRACE_INFO("a");
        TRACE_ERROR_KV("b", "k", 1);
        TRACE_CRITICAL("c");
        trace_flush();
        return trace_dropped() - before == 3 ? 0 : 5;
    }
    return 2;
}

/* --- helpers ------------------------------------------------------------- */

static int g_fd = -1;

static int setup(void **state) {
    (void)state;
    unsetenv("LOG_LEVEL");
    unsetenv("LOG_FORMAT");
    unsetenv("LOG_BUFFER");
    if (g_fd < 0) g_fd = tu_tmpfd();
    trace_reload();
    trace_set_level(NULL, TRACE_LEVEL_DEBUG);
    trace_set_output(g_fd);
    tu_clear(g_fd);
    return 0;
}
static int teardown(void **state) {
    (void)state;
    trace_set_buffer(0);
    trace_set_output(g_fd);
    return 0;
}

static size_t fd_size(int fd) {
    struct stat st;
    assert_int_equal(fstat(fd, &st), 0);
    return (size_t)st.st_size;
}

/* Run `--child mode` with stdout to a file or a pipe; returns its stdout. */
static char *run_child_stdout(const char *mode, const char *buffer, int use_pipe, int *status) {
    const char *args[] = { "self", "--child", mode, NULL };
    char env_buf[64];
    const char *env[6];
    char *out;
    int n = 0;
    env[n++] = "LOG_LEVEL";
    env[n++] = "LOG_FORMAT";
    env[n++] = "NO_COLOR";
    if (buffer) {
        snprintf(env_buf, sizeof env_buf, "LOG_BUFFER=%s", buffer);
        env[n++] = env_buf;
    } else {
        env[n++] = "LOG_BUFFER";
    }
    env[n] = NULL;
    if (use_pipe) {
        int p[2];
        pid_t pid;
        assert_int_equal(pipe(p), 0);
        pid = tu_spawn_start(args, env, -1, p[1], -1);
        close(p[1]);
        out = tu_read_eof(p[0], NULL);
        close(p[0]);
        *status = tu_wait(pid);
    } else {
        int f = tu_tmpfd();
        *status = tu_spawn(args, env, f, -1);
        out = tu_read_all(f, NULL);
        close(f);
    }
    return out;
}

/* --- order with printf ---------------------------------------------------- */

static void test_order_with_printf(void **state) {
    static const char *const buffers[] = { NULL, "64k" };
    int b, p, st;
    (void)state;
    for (b = 0; b < 2; b++)
        for (p = 0; p < 2; p++) {
            char *out = run_child_stdout("abc", buffers[b], p, &st);
            if (strcmp(out, "A\n[INFO] B\nC\n") != 0)
                print_error("%s mode, to a %s:\n", b ? "buffered" : "safe", p ? "pipe" : "file");
            tu_assert_exit0(st);
            tu_expect_eq(out, "A\n[INFO] B\nC\n", __FILE__, __LINE__);
            free(out);
            out = run_child_stdout("order", buffers[b], p, &st);
            if (strcmp(out, "A\n[INFO] B\nC\n[WARNING] D\nE\n[INFO] F k=1\n[INFO] G\nH\n") != 0)
                print_error("%s mode, to a %s:\n", b ? "buffered" : "safe", p ? "pipe" : "file");
            tu_assert_exit0(st);
            tu_expect_eq(out, "A\n[INFO] B\nC\n[WARNING] D\nE\n[INFO] F k=1\n[INFO] G\nH\n",
                         __FILE__, __LINE__);
            free(out);
        }
}

/* stdio writes the program's output at once (its fflush, line buffering, a
   burst beyond its buffer): the record held by buffered mode comes first
   all the same (on glibc buffered records to stdout go through stdout's
   own buffer). The process ends with _exit: only what was written counts. */
static void test_order_when_stdio_writes_first(void **state) {
    static const char *const modes[] = { "abc-flush", "abc-linebuf", "abc-burst" };
    int m, p, st;
    (void)state;
    for (m = 0; m < 3; m++)
        for (p = 0; p < 2; p++) {
            char *out = run_child_stdout(modes[m], "64k", p, &st);
            tu_assert_exit0(st);
            if (strncmp(out, "A\n[INFO] B\nC\n", 13) != 0) {
                print_error("%s, to a %s: got \"%.40s\"\n", modes[m], p ? "pipe" : "file", out);
                fail();
            }
            free(out);
        }
}

/* --- records survive the end of the process --------------------------------- */

static void expect_recs(const char *got, int n, const char *fmt_line) {
    char exp[4096];
    size_t o = 0;
    int i;
    for (i = 0; i < n; i++) o += (size_t)snprintf(exp + o, sizeof exp - o, fmt_line, i);
    tu_expect_eq(got, exp, __FILE__, __LINE__);
}

static size_t g_child_buffer;
static void log_ten_then_abort(void *arg) {
    int i;
    (void)arg;
    trace_set_output(g_fd);
    trace_set_format(TRACE_FORMAT_PLAIN);
    if (trace_set_buffer(g_child_buffer) != 0) _exit(9);
    for (i = 0; i < 10; i++) TRACE_INFO("rec %d", i);
    abort();
}

static void fork_abort(size_t buffer) {
    int st;
    char *got;
    g_child_buffer = buffer;
    tu_clear(g_fd);
    st = tu_fork(log_ten_then_abort, NULL);
    assert_true(WIFSIGNALED(st));
    assert_int_equal(WTERMSIG(st), SIGABRT);
    got = tu_take(g_fd);
    expect_recs(got, 10, "[INFO] rec %d\n");
    free(got);
}
static void test_fork_abort_safe(void **state) {
    (void)state;
    fork_abort(0);
}
static void test_fork_abort_buffered(void **state) {
    (void)state;
    fork_abort(65536);
}

static void log_ten_then_sigkill(void *arg) {
    int i;
    (void)arg;
    trace_set_output(g_fd);
    trace_set_buffer(0);
    for (i = 0; i < 10; i++) TRACE_INFO("rec %d", i);
    kill(getpid(), SIGKILL);
}
static void test_sigkill_safe_mode(void **state) {
    int st;
    char *got;
    (void)state;
    st = tu_fork(log_ten_then_sigkill, NULL);
    assert_true(WIFSIGNALED(st));
    assert_int_equal(WTERMSIG(st), SIGKILL);
    got = tu_take(g_fd);
    expect_recs(got, 10, "[INFO] rec %d\n");
    free(got);
}

/* A fatal signal in buffered mode: the records, then the default action. */
static void test_fatal_signal_buffered(void **state) {
    const char *args[] = { "self", "--child", "segv", NULL };
    const char *env[] = { "LOG_BUFFER=64k", "LOG_LEVEL", "LOG_FORMAT", NULL };
    int f = tu_tmpfd(), st;
    char *got;
    (void)state;
    st = tu_spawn(args, env, f, -1);
    assert_true(WIFSIGNALED(st));
    assert_int_equal(WTERMSIG(st), SIGSEGV);
    got = tu_read_all(f, NULL);
    expect_recs(got, 10, "[INFO] rec %d\n");
    free(got);
    close(f);
}

/* SIGTERM in buffered mode: the records, then the program's own handler. */
static void test_signal_chains_to_program_handler(void **state) {
    const char *args[] = { "self", "--child", "term-chain", NULL };
    const char *env[] = { "LOG_BUFFER=64k", "LOG_LEVEL", "LOG_FORMAT", NULL };
    int f = tu_tmpfd(), e = tu_tmpfd(), st;
    char *got, *err;
    (void)state;
    st = tu_spawn(args, env, f, e);
    got = tu_read_all(f, NULL);
    err = tu_read_all(e, NULL);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 7)
        print_error("status %d, stderr: %s\n", st, err);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 7);
    assert_string_equal(err, "program handler ran\n");
    expect_recs(got, 5, "[INFO] rec %d\n");
    free(got);
    free(err);
    close(f);
    close(e);
}

/* --- when buffered mode writes ---------------------------------------------- */

static void test_buffered_writes_on_warning(void **state) {
    static const int lv[] = { TRACE_LEVEL_WARNING, TRACE_LEVEL_ERROR, TRACE_LEVEL_CRITICAL };
    size_t i;
    char *got;
    (void)state;
    assert_int_equal(trace_set_buffer(65536), 0);
    for (i = 0; i < 3; i++) {
        TRACE_DEBUG("held d");
        TRACE_INFO("held i");
        assert_int_equal(fd_size(g_fd), 0);
        if (lv[i] == TRACE_LEVEL_WARNING) TRACE_WARN("now");
        if (lv[i] == TRACE_LEVEL_ERROR) TRACE_ERROR_KV("now", "k", 1);
        if (lv[i] == TRACE_LEVEL_CRITICAL) TRACE_CRITICAL("now");
        got = tu_take(g_fd);
        assert_true(strncmp(got, "[DEBUG] held d\n[INFO] held i\n[", 30) == 0);
        assert_non_null(strstr(got, "] now"));
        free(got);
    }
}

static void test_buffered_writes_on_flush(void **state) {
    char *got;
    (void)state;
    assert_int_equal(trace_set_buffer(65536), 0);
    TRACE_INFO("one");
    TRACE_INFO_KV("two", "k", 2);
    assert_int_equal(fd_size(g_fd), 0);
    trace_flush();
    got = tu_take(g_fd);
    assert_string_equal(got, "[INFO] one\n[INFO] two k=2\n");
    free(got);
    trace_flush(); /* nothing held: nothing written */
    assert_int_equal(fd_size(g_fd), 0);
}

static void held_then_exit(void *arg) {
    (void)arg;
    trace_set_output(g_fd);
    if (trace_set_buffer(65536) != 0) _exit(9);
    TRACE_INFO("at exit");
    if (fd_size(g_fd) != 0) _exit(8);
    /* tu_fork calls exit(0) */
}
static void test_buffered_writes_at_exit(void **state) {
    int st;
    char *got;
    (void)state;
    st = tu_fork(held_then_exit, NULL);
    tu_assert_exit0(st);
    got = tu_take(g_fd);
    assert_string_equal(got, "[INFO] at exit\n");
    free(got);
}

/* A process whose first trace.h call is a scope: records mode writes both
   timing records, summary mode one summary at exit. */
static void test_scope_is_first_call(void **state) {
    int st;
    char *out;
    (void)state;
    out = run_child_stdout("scope-first", NULL, 0, &st);
    tu_assert_exit0(st);
    if (tu_count(out, strlen(out), '\n') != 2 || strncmp(out, "[INFO] timing label=first_call ms=", 34) != 0) {
        print_error("records mode: got \"%s\"\n", out);
        fail();
    }
    free(out);
    out = run_child_stdout("scope-first-summary", NULL, 0, &st);
    tu_assert_exit0(st);
    if (tu_count(out, strlen(out), '\n') != 1 ||
        strncmp(out, "[INFO] timing_summary label=first_call count=2 ", 47) != 0) {
        print_error("summary mode: got \"%s\"\n", out);
        fail();
    }
    free(out);
}

/* 4 threads logging to stdout in buffered mode (through stdout's buffer on
   glibc): every record whole, none lost; clean under TSan. */
static void test_threads_to_stdout_buffered(void **state) {
    int p, st;
    (void)state;
    for (p = 0; p < 2; p++) {
        char *out = run_child_stdout("threads-stdout", "64k", p, &st), *line = out;
        int n = 0, bad = 0;
        tu_assert_exit0(st);
        while (*line) {
            char *nl = strchr(line, '\n');
            int w, i, k = 0;
            if (!nl) { bad++; break; }
            if (sscanf(line, "[INFO] t w=%d i=%d%n", &w, &i, &k) != 2 || line + k != nl) bad++;
            n++;
            line = nl + 1;
        }
        if (n != 4000 || bad) {
            print_error("to a %s: %d lines, %d bad\n", p ? "pipe" : "file", n, bad);
            fail();
        }
        free(out);
    }
}

/* Records of exit handlers that run before and after trace.h's own exit
   flush are all written, in buffered mode too. */
static void test_exit_handlers_records_kept(void **state) {
    static const char *const buffers[] = { NULL, "64k" };
    int b, st;
    (void)state;
    for (b = 0; b < 2; b++) {
        char *out = run_child_stdout("exit-handlers", buffers[b], 0, &st);
        tu_assert_exit0(st);
        if (strcmp(out, "[INFO] in main\n[INFO] in a later exit handler\n"
                        "[INFO] in an exit handler\n") != 0) {
            print_error("LOG_BUFFER=%s: got \"%s\"\n", buffers[b] ? buffers[b] : "(unset)", out);
            fail();
        }
        free(out);
    }
}

static void test_buffered_writes_after_100ms(void **state) {
    char *got;
    (void)state;
    assert_int_equal(trace_set_buffer(65536), 0);
    TRACE_INFO("old");
    assert_int_equal(fd_size(g_fd), 0);
    tu_sleep_ms(150);
    TRACE_INFO("new"); /* finds "old" older than 100 ms: both are written */
    got = tu_take(g_fd);
    assert_string_equal(got, "[INFO] old\n[INFO] new\n");
    free(got);
}

static void test_buffered_writes_when_full(void **state) {
    char pad[101], *got;
    int i;
    size_t n;
    (void)state;
    memset(pad, 'p', 100);
    pad[100] = 0;
    assert_int_equal(trace_set_buffer(4096), 0);
    for (i = 0; i < 100; i++) TRACE_INFO_KV("r", "i", i, "pad", pad);
    got = tu_read_all(g_fd, &n);
    assert_true(n >= 4096 / 2);          /* full buffers went out */
    assert_true(n < 100 * 115);          /* not everything: the tail is held */
    assert_true(got[n - 1] == '\n');     /* whole records only */
    free(got);
    trace_flush();
    got = tu_take(g_fd);
    n = strlen(got);
    assert_int_equal(tu_count(got, n, '\n'), 100);
    for (i = 0; i < 100; i++) {
        char want[160];
        snprintf(want, sizeof want, "[INFO] r i=%d pad=%s\n", i, pad);
        assert_non_null(strstr(got, want));
    }
    free(got);
}

/* A huge buffer request that cannot be met leaves the mode unchanged. */
static void test_set_buffer_limits(void **state) {
    (void)state;
    assert_int_equal(trace_set_buffer(4095), -1);
    assert_int_equal(trace_set_buffer(((size_t)256 << 20) + 1), -1);
    TRACE_INFO("still safe");
    assert_true(fd_size(g_fd) > 0);
    assert_int_equal(trace_set_buffer(4096), 0);
    assert_int_equal(trace_set_buffer((size_t)256 << 20), 0);
    assert_int_equal(trace_set_buffer(0), 0);
}

/* --- failed writes: dropped and counted -------------------------------------- */

static void test_dev_full(void **state) {
    int full = open("/dev/full", O_WRONLY);
    uint64_t before;
    (void)state;
    assert_true(full >= 0);
    before = trace_dropped();
    trace_set_output(full);
    TRACE_INFO("a");
    TRACE_ERROR_KV("b", "k", 1);
    TRACE_CRITICAL("c");
    assert_int_equal(trace_dropped() - before, 3);
    /* buffered: counted when the buffer is written */
    assert_int_equal(trace_set_buffer(65536), 0);
    TRACE_INFO("d");
    TRACE_INFO("e");
    trace_flush();
    assert_int_equal(trace_dropped() - before, 5);
    TRACE_INFO("f");
    trace_set_output(g_fd); /* flushes first: into /dev/full */
    assert_int_equal(trace_dropped() - before, 6);
    TRACE_INFO("g");
    trace_flush();
    assert_int_equal(trace_dropped() - before, 6);
    close(full);
    {
        char *got = tu_take(g_fd);
        assert_string_equal(got, "[INFO] g\n");
        free(got);
    }
}

static void test_closed_stdout(void **state) {
    const char *args[] = { "self", "--child", "closed-stdout", NULL };
    const char *env_safe[] = { "LOG_BUFFER", "LOG_LEVEL", "LOG_FORMAT", NULL };
    const char *env_buf[] = { "LOG_BUFFER=64k", "LOG_LEVEL", "LOG_FORMAT", NULL };
    int f = tu_tmpfd();
    (void)state;
    tu_assert_exit0(tu_spawn(args, env_safe, f, -1));
    tu_assert_exit0(tu_spawn(args, env_buf, f, -1));
    close(f);
}

static void test_epipe_with_sigpipe_ignored(void **state) {
    int p[2], b;
    void (*old)(int) = signal(SIGPIPE, SIG_IGN);
    (void)state;
    for (b = 0; b < 2; b++) {
        uint64_t before = trace_dropped();
        assert_int_equal(pipe(p), 0);
        close(p[0]); /* the reader has gone */
        trace_set_output(p[1]);
        if (b) assert_int_equal(trace_set_buffer(65536), 0);
        TRACE_INFO("a");
        TRACE_WARNING("b");
        TRACE_INFO_KV("c", "k", 1);
        trace_flush();
        trace_set_output(g_fd);
        trace_set_buffer(0);
        close(p[1]);
        assert_int_equal(trace_dropped() - before, 3);
    }
    signal(SIGPIPE, old);
}

/* --- EAGAIN on a non-blocking pipe ------------------------------------------- */

typedef struct drainer {
    int fd;
    long delay_ms;
    char *got;
    size_t n;
} drainer;

static void *drain(void *arg) {
    drainer *d = (drainer *)arg;
    size_t cap = 1 << 20;
    struct pollfd pf;
    d->got = (char *)malloc(cap);
    d->n = 0;
    tu_sleep_ms(d->delay_ms);
    pf.fd = d->fd;
    pf.events = POLLIN;
    for (;;) {
        ssize_t r;
        if (poll(&pf, 1, 500) <= 0) break; /* quiet for half a second: done */
        r = read(d->fd, d->got + d->n, cap - d->n);
        if (r <= 0) break;
        d->n += (size_t)r;
    }
    return NULL;
}

/* Fill a non-blocking pipe to EAGAIN; returns the bytes written. */
static size_t fill_pipe(int w) {
    char junk[4096];
    size_t total = 0;
    memset(junk, 'j', sizeof junk);
    junk[sizeof junk - 1] = '\n';
    for (;;) {
        ssize_t r = write(w, junk, sizeof junk);
        if (r < 0) break;
        total += (size_t)r;
    }
    assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
    return total;
}

static void test_eagain_waits_for_reader(void **state) {
    int p[2];
    pthread_t t;
    drainer d;
    uint64_t before = trace_dropped();
    size_t junk;
    (void)state;
    assert_int_equal(pipe(p), 0);
    fcntl(p[1], F_SETFL, fcntl(p[1], F_GETFL) | O_NONBLOCK);
    junk = fill_pipe(p[1]);
    d.fd = p[0];
    d.delay_ms = 200;
    pthread_create(&t, NULL, drain, &d);
    trace_set_output(p[1]);
    TRACE_INFO_KV("after eagain", "k", 1); /* the pipe is full: must wait */
    trace_set_output(g_fd);
    close(p[1]);
    pthread_join(t, NULL);
    close(p[0]);
    assert_int_equal(trace_dropped(), before);
    assert_int_equal(d.n, junk + strlen("[INFO] after eagain k=1\n"));
    assert_memory_equal(d.got + junk, "[INFO] after eagain k=1\n", d.n - junk);
    free(d.got);
}

/* Nobody reads: the record is dropped after about a second, counted, and
   the call returns (lower bound only). */
static void test_eagain_gives_up(void **state) {
    int p[2];
    uint64_t before = trace_dropped();
    double t0, t1;
    (void)state;
    assert_int_equal(pipe(p), 0);
    fcntl(p[1], F_SETFL, fcntl(p[1], F_GETFL) | O_NONBLOCK);
    fill_pipe(p[1]);
    trace_set_output(p[1]);
    t0 = tu_ms();
    TRACE_ERROR("nobody reads");
    t1 = tu_ms();
    trace_set_output(g_fd);
    close(p[1]);
    close(p[0]);
    assert_int_equal(trace_dropped() - before, 1);
    assert_true(t1 - t0 >= 900);
}

/* trace_set_output never closes the descriptor it is given. */
static void test_set_output_keeps_fd(void **state) {
    int other = tu_tmpfd();
    char *got;
    (void)state;
    trace_set_output(other);
    TRACE_INFO("x");
    trace_set_output(g_fd);
    assert_true(fcntl(other, F_GETFD) != -1);
    got = tu_take(other);
    assert_string_equal(got, "[INFO] x\n");
    free(got);
    close(other);
}

int main(int argc, char **argv) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_order_with_printf, setup, teardown),
        cmocka_unit_test_setup_teardown(test_order_when_stdio_writes_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sigkill_safe_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_signal_chains_to_program_handler, setup, teardown),
        cmocka_unit_test_setup_teardown(test_buffered_writes_on_warning, setup, teardown),
        cmocka_unit_test_setup_teardown(test_buffered_writes_on_flush, setup, teardown),
        cmocka_unit_test_setup_teardown(test_buffered_writes_at_exit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_buffered_writes_after_100ms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exit_handlers_records_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threads_to_stdout_buffered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scope_is_first_call, setup, teardown),
        cmocka_unit_test_setup_teardown(test_buffered_writes_when_full, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_buffer_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dev_full, setup, teardown),
        cmocka_unit_test_setup_teardown(test_closed_stdout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_epipe_with_sigpipe_ignored, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eagain_waits_for_reader, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eagain_gives_up, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_output_keeps_fd, setup, teardown),
    };
    const struct CMUnitTest nosan[] = {
        cmocka_unit_test_setup_teardown(test_fork_abort_safe, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fork_abort_buffered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fatal_signal_buffered, setup, teardown),
    };
    if (argc > 2 && strcmp(argv[1], "--child") == 0) return child(argv[2]);
    if (argc > 1 && strcmp(argv[1], "--nosan") == 0)
        return cmocka_run_group_tests_name("output_nosan", nosan, NULL, NULL);
    return cmocka_run_group_tests_name("output", tests, NULL, NULL);
}
