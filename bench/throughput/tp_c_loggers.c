/* tp_c_loggers.c - trace.h and the hand-written floors, for tp_bench.

   Every logger here writes the same bytes per record, trace.h's JSON line:
   {"ts":"2026-11-24T01:02:03.123456Z","lvl":"INFO","msg":"user alice logged in","logger":"app","user":"alice","id":12345}
   The floors format it with the least work one can write by hand (the
   "YYYY-MM-DDTHH:MM:SS" part cached per second, everything else copied),
   then hand it over with fwrite (buffered) or write(2) (one per record). */
#define _POSIX_C_SOURCE 200809L
#include "trace.h"
#include "tp_bench.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TP_BUFFER (64 * 1024) /* trace.h's LOG_BUFFER=64k, and the floor's stdio buffer */

/* --- the hand-written record ------------------------------------------- */

static char floor_prefix[24];
static time_t floor_sec = (time_t)-1;

static size_t floor_format(char *out, long i) {
    static const char head[] = "{\"ts\":\"";
    static const char mid[] = "Z\",\"lvl\":\"INFO\",\"msg\":\"user alice logged in\","
                              "\"logger\":\"app\",\"user\":\"alice\",\"id\":";
    struct timespec now;
    char *p = out, digits[24];
    unsigned long us, v;
    int k, nd = 0;

    clock_gettime(CLOCK_REALTIME, &now);
    if (now.tv_sec != floor_sec) {
        struct tm tm;
        gmtime_r(&now.tv_sec, &tm);
        strftime(floor_prefix, sizeof floor_prefix, "%Y-%m-%dT%H:%M:%S", &tm);
        floor_sec = now.tv_sec;
    }
    memcpy(p, head, sizeof head - 1);
    p += sizeof head - 1;
    memcpy(p, floor_prefix, 19);
    p += 19;
    *p++ = '.';
    us = (unsigned long)now.tv_nsec / 1000;
    for (k = 5; k >= 0; k--) {
        p[k] = (char)('0' + us % 10);
        us /= 10;
    }
    p += 6;
    memcpy(p, mid, sizeof mid - 1);
    p += sizeof mid - 1;
    v = (unsigned long)i;
    do {
        digits[nd++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (nd) *p++ = digits[--nd];
    *p++ = '}';
    *p++ = '\n';
    return (size_t)(p - out);
}

static int open_file(const char *path) {
    return open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
}

/* --- floor: fwrite ------------------------------------------------------ */

static FILE *floor_file;
static char floor_stdio_buf[TP_BUFFER];

static int floor_fwrite_open(const char *path) {
    int fd = open_file(path);
    if (fd < 0 || !(floor_file = fdopen(fd, "w"))) return -1;
    setvbuf(floor_file, floor_stdio_buf, _IOFBF, sizeof floor_stdio_buf);
    return 0;
}
static void floor_fwrite_log(long i) {
    char rec[256];
    size_t n = floor_format(rec, i);
    fwrite(rec, 1, n, floor_file);
}
static void floor_fwrite_close(void) {
    fclose(floor_file);
    floor_file = NULL;
}
const tp_logger tp_floor_fwrite = { "floor: fwrite, 64 KiB buffer", floor_fwrite_open,
                                    floor_fwrite_log, floor_fwrite_close };

/* --- floor: one write(2) per record -------------------------------------- */

static int floor_fd = -1;

static int floor_write_open(const char *path) {
    floor_fd = open_file(path);
    return floor_fd < 0 ? -1 : 0;
}
static void floor_write_log(long i) {
    char rec[256];
    size_t n = floor_format(rec, i);
    ssize_t r = write(floor_fd, rec, n);
    (void)r;
}
static void floor_write_close(void) {
    close(floor_fd);
    floor_fd = -1;
}
const tp_logger tp_floor_write = { "floor: format + write(2)", floor_write_open, floor_write_log,
                                   floor_write_close };

/* --- write(2) alone, of a record formatted once ------------------------------ */

static char fixed_rec[256];
static size_t fixed_len;

static int write_only_open(const char *path) {
    fixed_len = floor_format(fixed_rec, 50000);
    return floor_write_open(path);
}
static void write_only_log(long i) {
    ssize_t r = write(floor_fd, fixed_rec, fixed_len);
    (void)r;
    (void)i;
}
const tp_logger tp_write_only = { "write(2) alone, preformatted", write_only_open, write_only_log,
                                  floor_write_close };

/* --- trace.h ------------------------------------------------------------- */

static int trace_fd = -1;

static int trace_open(const char *path, size_t buffer) {
    trace_fd = open_file(path);
    if (trace_fd < 0) return -1;
    trace_set_format(TRACE_FORMAT_JSON);
    trace_set_level(NULL, TRACE_LEVEL_INFO);
    if (trace_set_buffer(buffer) != 0) return -1;
    trace_set_output(trace_fd);
    return 0;
}
static int trace_buffered_open(const char *path) { return trace_open(path, TP_BUFFER); }
static int trace_safe_open(const char *path) { return trace_open(path, 0); }
static void trace_log(long i) {
    TRACE_INFO_KV("user alice logged in", "user", "alice", "id", i);
}
static void trace_close(void) {
    trace_flush();
    trace_set_output(1);
    close(trace_fd);
    trace_fd = -1;
}
const tp_logger tp_trace_buffered = { "trace.h LOG_BUFFER=64k", trace_buffered_open, trace_log,
                                      trace_close };
const tp_logger tp_trace_safe = { "trace.h safe mode", trace_safe_open, trace_log, trace_close };
