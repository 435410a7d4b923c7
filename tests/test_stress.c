/* test_stress.c - many writers, one file: 4 threads x 100,000 records, and
   4 forked processes x 100,000 records appending to one file (each opens it
   anew with O_APPEND), in safe and in buffered mode; and 4 processes writing
   into one pipe (buffered mode writes it in whole records of at most
   PIPE_BUF bytes). Every record carries
   its writer and a sequence number; every line of the file is parsed:
   none may be lost, duplicated, torn (interleaved with another) or out of
   order within its writer. */
#define _GNU_SOURCE
#include "test_util.h"
#include "trace.h"

#include <pthread.h>

#define WRITERS 4
#define RECORDS 100000
#define PAD "0123456789abcdefghijklmnopqrstuvwxyz-0123456789"

static int g_fd = -1;

static void write_records(int w) {
    int s;
    for (s = 0; s < RECORDS; s++) TRACE_INFO_KV("r", "w", w, "s", s, "pad", PAD);
}

/* Parse "[INFO] r w=<w> s=<s> pad=<PAD>\n" at *p; returns 0 if torn. */
static int parse_line(const char **p, const char *end, int *w, int *s) {
    static const char head[] = "[INFO] r w=", mid[] = " s=", tail[] = " pad=" PAD "\n";
    const char *q = *p;
    long v;
    if ((size_t)(end - q) < sizeof head - 1 || memcmp(q, head, sizeof head - 1) != 0) return 0;
    q += sizeof head - 1;
    if (q >= end || *q < '0' || *q > '9') return 0;
    for (v = 0; q < end && *q >= '0' && *q <= '9' && v < 1000000; q++) v = v * 10 + (*q - '0');
    *w = (int)v;
    if ((size_t)(end - q) < sizeof mid - 1 || memcmp(q, mid, sizeof mid - 1) != 0) return 0;
    q += sizeof mid - 1;
    if (q >= end || *q < '0' || *q > '9') return 0;
    for (v = 0; q < end && *q >= '0' && *q <= '9' && v < 10000000; q++) v = v * 10 + (*q - '0');
    *s = (int)v;
    if ((size_t)(end - q) < sizeof tail - 1 || memcmp(q, tail, sizeof tail - 1) != 0) return 0;
    *p = q + sizeof tail - 1;
    return 1;
}

/* Every line of fd: WRITERS x RECORDS records, each exactly once, in order
   within its writer, none torn. */
static void verify(int fd, const char *what) {
    size_t n, lines = 0;
    char *buf = tu_read_all(fd, &n), show[200];
    const char *p = buf, *end = buf + n;
    unsigned char *seen = (unsigned char *)calloc((size_t)WRITERS * RECORDS, 1);
    int last[WRITERS], i, errors = 0;
    assert_non_null(seen);
    for (i = 0; i < WRITERS; i++) last[i] = -1;
    while (p < end) {
        int w, s;
        const char *line = p;
        if (!parse_line(&p, end, &w, &s) || w < 0 || w >= WRITERS || s < 0 || s >= RECORDS) {
            const char *nl = memchr(line, '\n', (size_t)(end - line));
            size_t ln = nl ? (size_t)(nl - line + 1) : (size_t)(end - line);
            if (errors++ < 5)
                print_error("%s: torn or foreign line %zu: %s\n", what, lines,
                            tu_show_n(line, ln, show, sizeof show));
            p = line + ln;
        } else {
            if (seen[(size_t)w * RECORDS + (size_t)s]++ && errors++ < 5)
                print_error("%s: duplicate record w=%d s=%d\n", what, w, s);
            if (s <= last[w] && errors++ < 5)
                print_error("%s: writer %d: s=%d after s=%d\n", what, w, s, last[w]);
            last[w] = s;
        }
        lines++;
    }
    for (i = 0; i < WRITERS * RECORDS; i++)
        if (!seen[i] && errors++ < 5)
            print_error("%s: lost record w=%d s=%d\n", what, i / RECORDS, i % RECORDS);
    if (lines != (size_t)WRITERS * RECORDS) {
        print_error("%s: %zu lines, expected %d\n", what, lines, WRITERS * RECORDS);
        errors++;
    }
    free(seen);
    free(buf);
    if (errors) fail();
}

static int setup(void **state) {
    (void)state;
    unsetenv("LOG_LEVEL");
    unsetenv("LOG_FORMAT");
    unsetenv("LOG_BUFFER");
    trace_reload();
    g_fd = tu_tmpfd_mode(1);
    trace_set_output(g_fd);
    return 0;
}
static int teardown(void **state) {
    (void)state;
    trace_set_buffer(0);
    trace_set_output(1);
    close(g_fd);
    return 0;
}

static void *thread_main(void *arg) {
    write_records((int)(intptr_t)arg);
    return NULL;
}

static void threads(size_t buffer, const char *what) {
    pthread_t t[WRITERS];
    int i;
    assert_int_equal(trace_set_buffer(buffer), 0);
    for (i = 0; i < WRITERS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, thread_main, (void *)(intptr_t)i), 0);
    for (i = 0; i < WRITERS; i++) pthread_join(t[i], NULL);
    trace_flush();
    assert_int_equal(trace_dropped(), 0);
    verify(g_fd, what);
}

static void test_threads_safe(void **state) {
    (void)state;
    threads(0, "4 threads, safe mode");
}
static void test_threads_buffered(void **state) {
    (void)state;
    threads(65536, "4 threads, buffered mode");
}

/* 4 forked processes: each appends to the file through a file description
   of its own, or all write into one pipe that the parent copies into the
   file. */
static void processes(size_t buffer, int use_pipe, const char *what) {
    pid_t pid[WRITERS];
    int i, pfd[2] = { -1, -1 };
    char buf[65536];
    ssize_t r;
    fflush(NULL);
    if (use_pipe) assert_int_equal(pipe(pfd), 0);
    for (i = 0; i < WRITERS; i++) {
        pid[i] = fork();
        assert_true(pid[i] >= 0);
        if (pid[i] == 0) {
            int fd = pfd[1];
            if (!use_pipe) { /* a file description of its own, appending */
                char path[64];
                snprintf(path, sizeof path, "/proc/self/fd/%d", g_fd);
                fd = open(path, O_WRONLY | O_APPEND);
                if (fd < 0) _exit(10);
            } else {
                close(pfd[0]);
            }
            trace_set_output(fd);
            if (trace_set_buffer(buffer) != 0) _exit(11);
            write_records(i);
            exit(trace_dropped() == 0 ? 0 : 12); /* exit: buffered mode flushes */
        }
    }
    if (use_pipe) {
        close(pfd[1]);
        /* small reads: the writers find the pipe full and block in mid-write,
           where writes of more than PIPE_BUF bytes would interleave */
        while ((r = read(pfd[0], buf, 1000)) != 0) {
            if (r < 0 && errno == EINTR) continue;
            assert_true(r > 0);
            assert_int_equal(write(g_fd, buf, (size_t)r), r);
        }
        close(pfd[0]);
    }
    for (i = 0; i < WRITERS; i++) tu_assert_exit0(tu_wait(pid[i]));
    verify(g_fd, what);
}

static void test_processes_safe(void **state) {
    (void)state;
    processes(0, 0, "4 processes, safe mode");
}
static void test_processes_buffered(void **state) {
    (void)state;
    processes(65536, 0, "4 processes, buffered mode");
}

static void test_pipe_safe(void **state) {
    (void)state;
    processes(0, 1, "4 processes, one pipe, safe mode");
}
static void test_pipe_buffered(void **state) {
    (void)state;
    processes(65536, 1, "4 processes, one pipe, buffered mode");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_threads_safe, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threads_buffered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_processes_safe, setup, teardown),
        cmocka_unit_test_setup_teardown(test_processes_buffered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pipe_safe, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pipe_buffered, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
