/* test_util.h - helpers shared by the cmocka tests of trace.h (not part of
   the product). Include it first, after defining _GNU_SOURCE, and before
   trace.h. Everything here is static inline: a test uses what it needs.

   Captures: records go to a temporary, already unlinked file (tu_tmpfd);
   tu_take() returns what arrived since the last take and empties the file.
   Timestamps: tu_norm_ts() checks every "ts" of json and logfmt records
   against YYYY-MM-DDTHH:MM:SS.ffffffZ and replaces it with <TS>, so the rest
   of a record can be compared byte for byte.
   Children: tu_fork() runs a function in a forked child; tu_spawn_*() runs
   this very program again (/proc/self/exe) with arguments and environment,
   for tests that need a fresh process (lazy environment reading, exit and
   signal behaviour).
   JSON: tu_jq() runs jq on one record; tu_log_json() appends records to the
   file named by TRACE_TEST_JSON_LOG (json_check.sh validates them all). */
#ifndef TRACE_TEST_UTIL_H
#define TRACE_TEST_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" { /* cmocka 1.1 does not say so itself */
#endif
#include <cmocka.h>
#ifdef __cplusplus
}
#endif

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* C-style casts: this file is also compiled as C++ (test_matrix.cpp,
   test_cxx.cpp), where malloc's void * needs one. */
#define TU_CAST(T, x) ((T)(x))

/* --- temporary files ------------------------------------------------------ */

/* A temporary file opened read/write (O_APPEND when append), already unlinked. */
static inline int tu_tmpfd_mode(int append) {
    char path[4096];
    const char *dir = getenv("TMPDIR");
    int fd;
    snprintf(path, sizeof path, "%s/trace-test-XXXXXX", dir && *dir ? dir : "/tmp");
    fd = mkstemp(path);
    if (fd < 0) {
        print_error("mkstemp(%s): %s\n", path, strerror(errno));
        fail();
    }
    unlink(path);
    if (append) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_APPEND);
    return fd;
}
static inline int tu_tmpfd(void) { return tu_tmpfd_mode(0); }

/* Everything in fd, NUL-terminated (*len: its size): from offset 0 with
   pread when positional (files; an error fails the test), else with read
   until EOF (pipes; an error ends the data). */
static inline char *tu_read_from(int fd, size_t *len, int positional) {
    size_t cap = 1 << 16, n = 0;
    char *buf = TU_CAST(char *, malloc(cap + 1));
    assert_non_null(buf);
    for (;;) {
        ssize_t r;
        if (n == cap) {
            cap *= 2;
            buf = TU_CAST(char *, realloc(buf, cap + 1));
            assert_non_null(buf);
        }
        r = positional ? pread(fd, buf + n, cap - n, TU_CAST(off_t, n)) : read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0 && positional) {
            print_error("pread: %s\n", strerror(errno));
            fail();
        }
        if (r <= 0) break;
        n += TU_CAST(size_t, r);
    }
    buf[n] = 0;
    if (len) *len = n;
    return buf;
}
static inline char *tu_read_all(int fd, size_t *len) { return tu_read_from(fd, len, 1); }

/* Empty fd and put its offset back to 0. */
static inline void tu_clear(int fd) {
    if (ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0) {
        print_error("ftruncate/lseek: %s\n", strerror(errno));
        fail();
    }
}

/* What fd received since the last take (malloc'd); fd is emptied. */
static inline char *tu_take(int fd) {
    char *s = tu_read_all(fd, NULL);
    tu_clear(fd);
    return s;
}

/* Everything readable from a descriptor until EOF (pipes). */
static inline char *tu_read_eof(int fd, size_t *len) { return tu_read_from(fd, len, 0); }

/* --- text ----------------------------------------------------------------- */

static inline size_t tu_count(const char *s, size_t n, char c) {
    size_t i, k = 0;
    for (i = 0; i < n; i++) k += s[i] == c;
    return k;
}

/* A printable rendering of s (control bytes and bytes >= 0x7f as \xNN), for
   failure messages. Static buffer: one use per print. */
static inline const char *tu_show_n(const char *s, size_t n, char *out, size_t outn) {
    static const char hex[] = "0123456789abcdef";
    size_t i, o = 0;
    if (!s) return "(null)";
    for (i = 0; i < n && o + 5 < outn; i++) {
        unsigned char c = TU_CAST(unsigned char, s[i]);
        if (c < 0x20 || c >= 0x7f) {
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
        } else {
            out[o++] = TU_CAST(char, c);
        }
    }
    if (i < n && o + 4 < outn) { out[o++] = '.'; out[o++] = '.'; out[o++] = '.'; }
    out[o] = 0;
    return out;
}

/* Is s[0..n) valid UTF-8 (RFC 3629: no overlong forms, no surrogates,
   nothing above U+10FFFF)? Written independently of trace.h's check. */
static inline int tu_utf8_valid(const char *str, size_t n) {
    const unsigned char *s = TU_CAST(const unsigned char *, str);
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i], need, cp, min;
        size_t k;
        if (c < 0x80) { i++; continue; }
        if ((c & 0xE0) == 0xC0) { need = 1; cp = c & 0x1F; min = 0x80; }
        else if ((c & 0xF0) == 0xE0) { need = 2; cp = c & 0x0F; min = 0x800; }
        else if ((c & 0xF8) == 0xF0) { need = 3; cp = c & 0x07; min = 0x10000; }
        else return 0;
        if (i + need >= n) return 0; /* truncated at the end */
        for (k = 1; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return 0;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
        i += need + 1;
    }
    return 1;
}

/* --- timestamps ------------------------------------------------------------ */

static inline int tu_digits(const char *p, int n) {
    int i;
    for (i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9') return 0;
    return 1;
}
static inline int tu_num(const char *p, int n) {
    int v = 0, i;
    for (i = 0; i < n; i++) v = v * 10 + (p[i] - '0');
    return v;
}

/* p starts with YYYY-MM-DDTHH:MM:SS.ffffffZ (27 bytes), fields in range. */
static inline int tu_is_ts(const char *p) {
    size_t i;
    for (i = 0; i < 27; i++)
        if (!p[i]) return 0;
    if (!tu_digits(p, 4) || p[4] != '-' || !tu_digits(p + 5, 2) || p[7] != '-' ||
        !tu_digits(p + 8, 2) || p[10] != 'T' || !tu_digits(p + 11, 2) || p[13] != ':' ||
        !tu_digits(p + 14, 2) || p[16] != ':' || !tu_digits(p + 17, 2) || p[19] != '.' ||
        !tu_digits(p + 20, 6) || p[26] != 'Z')
        return 0;
    return tu_num(p + 5, 2) >= 1 && tu_num(p + 5, 2) <= 12 && tu_num(p + 8, 2) >= 1 &&
           tu_num(p + 8, 2) <= 31 && tu_num(p + 11, 2) < 24 && tu_num(p + 14, 2) < 60 &&
           tu_num(p + 17, 2) < 61;
}

/* Unix seconds of a timestamp that passed tu_is_ts (proleptic Gregorian). */
static inline long long tu_ts_epoch(const char *p) {
    long long y = tu_num(p, 4), m = tu_num(p + 5, 2), d = tu_num(p + 8, 2);
    long long era, yoe, doy, doe, days;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    days = era * 146097 + doe - 719468;
    return days * 86400 + tu_num(p + 11, 2) * 3600 + tu_num(p + 14, 2) * 60 + tu_num(p + 17, 2);
}

/* A copy of s where the timestamp of each json ({"ts":"...") or logfmt
   (ts=... ) line is checked and replaced with <TS>. Fails the test when a
   line has no valid timestamp where one must be. */
static inline char *tu_norm_ts(const char *s) {
    size_t n = strlen(s);
    char *out = TU_CAST(char *, malloc(n + 1)), *o = out;
    const char *line = s;
    char show[512];
    assert_non_null(out);
    while (*line) {
        const char *nl = strchr(line, '\n');
        const char *end = nl ? nl + 1 : line + strlen(line);
        size_t pre = 0;
        if (strncmp(line, "{\"ts\":\"", 7) == 0) pre = 7;
        else if (strncmp(line, "ts=", 3) == 0) pre = 3;
        if (pre) {
            if (!tu_is_ts(line + pre) || (pre == 7 && line[pre + 27] != '"') ||
                (pre == 3 && line[pre + 27] != ' ')) {
                print_error("bad timestamp in: %s\n",
                            tu_show_n(line, (size_t)(end - line), show, sizeof show));
                fail();
            }
            memcpy(o, line, pre);
            o += pre;
            memcpy(o, "<TS>", 4);
            o += 4;
            line += pre + 27;
        }
        memcpy(o, line, (size_t)(end - line));
        o += end - line;
        line = end;
    }
    *o = 0;
    return out;
}

/* Compare what was captured with what is expected, showing both escaped. */
static inline void tu_expect_eq(const char *got, const char *exp, const char *file, int line) {
    if (strcmp(got, exp) != 0) {
        char a[9000], b[9000];
        print_error("%s:%d: record differs\n  expected: %s\n  got:      %s\n", file, line,
                    tu_show_n(exp, strlen(exp), a, sizeof a),
                    tu_show_n(got, strlen(got), b, sizeof b));
        fail();
    }
}

/* --- json: jq and the log for json_check.sh -------------------------------- */

/* Append the records in s to $TRACE_TEST_JSON_LOG, if set. */
static inline void tu_log_json(const char *s) {
    const char *path = getenv("TRACE_TEST_JSON_LOG");
    int fd;
    if (!path || !*path) return;
    fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0644);
    if (fd < 0) return;
    if (write(fd, s, strlen(s)) < 0) { /* best effort */ }
    close(fd);
}

/* Run `jq -c FILTER` on one record; returns its output without the final
   newline (malloc'd), or NULL when jq fails (not JSON, filter error). The
   filter must not contain a single quote. */
static inline char *tu_jq(const char *record, const char *filter) {
    char path[4096], cmd[8192];
    const char *dir = getenv("TMPDIR");
    int fd, st;
    FILE *p;
    char *out;
    size_t n;
    snprintf(path, sizeof path, "%s/trace-jq-XXXXXX", dir && *dir ? dir : "/tmp");
    fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, record, strlen(record)), (ssize_t)strlen(record));
    close(fd);
    snprintf(cmd, sizeof cmd, "jq -c '%s' < '%s' 2>/dev/null", filter, path);
    fflush(NULL);
    p = popen(cmd, "r");
    assert_non_null(p);
    out = TU_CAST(char *, malloc(1 << 16));
    assert_non_null(out);
    n = fread(out, 1, (1 << 16) - 1, p);
    out[n] = 0;
    st = pclose(p);
    unlink(path);
    if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        free(out);
        return NULL;
    }
    while (n && out[n - 1] == '\n') out[--n] = 0;
    return out;
}

/* --- children ---------------------------------------------------------------- */

/* Run fn(arg) in a forked child, which then calls exit(0) (so atexit
   handlers run). Returns the child's wait status. */
static inline int tu_fork(void (*fn)(void *), void *arg) {
    pid_t pid;
    int st = 0;
    fflush(NULL);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        fn(arg);
        exit(0);
    }
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
    return st;
}

/* Start this program again with args (args[0] is ignored and replaced by
   the program's path; NULL-terminated). env: NULL-terminated list of
   "NAME=value" to set or "NAME" to unset in the child. in/out/err: the
   child's fds 0, 1, 2 (-1: /dev/null for 0, unchanged for 1 and 2).
   Returns the pid. */
static inline pid_t tu_spawn_start(const char *const *args, const char *const *env,
                                   int in, int out, int err) {
    pid_t pid;
    fflush(NULL);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        char *argv[64];
        int i;
        char self[4096];
        ssize_t sn = readlink("/proc/self/exe", self, sizeof self - 1);
        if (sn <= 0) _exit(126);
        self[sn] = 0;
        for (i = 0; env && env[i]; i++) {
            const char *eq = strchr(env[i], '=');
            if (eq) {
                char name[256];
                size_t kn = (size_t)(eq - env[i]);
                if (kn >= sizeof name) _exit(126);
                memcpy(name, env[i], kn);
                name[kn] = 0;
                setenv(name, eq + 1, 1);
            } else {
                unsetenv(env[i]);
            }
        }
        if (in < 0) in = open("/dev/null", O_RDONLY);
        if (in != 0) { dup2(in, 0); }
        if (out >= 0 && out != 1) dup2(out, 1);
        if (err >= 0 && err != 2) dup2(err, 2);
        argv[0] = self;
        for (i = 1; args[i] && i < 63; i++) argv[i] = TU_CAST(char *, args[i]);
        argv[i] = NULL;
        execv(self, argv);
        _exit(127);
    }
    return pid;
}

static inline int tu_wait(pid_t pid) {
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
    return st;
}

static inline int tu_spawn(const char *const *args, const char *const *env, int out, int err) {
    return tu_wait(tu_spawn_start(args, env, -1, out, err));
}

/* Assert that a wait status is a normal exit with code 0. */
#define tu_assert_exit0(st)                                                    \
    do {                                                                       \
        int tu_st_ = (st);                                                     \
        if (!WIFEXITED(tu_st_) || WEXITSTATUS(tu_st_) != 0) {                  \
            print_error("child: %s %d\n",                                      \
                        WIFEXITED(tu_st_) ? "exit code" : "killed by signal",  \
                        WIFEXITED(tu_st_) ? WEXITSTATUS(tu_st_) : WTERMSIG(tu_st_)); \
            fail();                                                            \
        }                                                                      \
    } while (0)

/* Milliseconds of the monotonic clock. */
static inline double tu_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static inline void tu_sleep_ms(long ms) {
    struct timespec t;
    t.tv_sec = ms / 1000;
    t.tv_nsec = (ms % 1000) * 1000000L;
    while (nanosleep(&t, &t) != 0 && errno == EINTR) {}
}

#endif /* TRACE_TEST_UTIL_H */
