/* read.h - tracestat stage 1: JSON lines to records.
 *
 * A strict RFC 8259 reader written for trace.h's JSON-lines logs. It reads
 * a file (or stdin, or a memory block) through one fixed buffer, parses each
 * line in place and hands back one record at a time: memory does not grow
 * with the input. A line that is not a valid record (bad JSON, a missing
 * field, a wrong type, TS_MAX_LINE bytes or more, binary garbage) is
 * counted in a ts_errs and skipped; the first TS_ERRS_KEEP are remembered
 * as file:line with the reason. Blank lines are skipped silently.
 *
 * The generic pieces (ts_json_*) are also used to read tracestat's own
 * files (baseline, fingerprint).
 */
#ifndef TRACESTAT_READ_H
#define TRACESTAT_READ_H

#include <stddef.h>
#include <stdint.h>

/* A line of this many bytes (without its newline) or more is rejected. */
#define TS_MAX_LINE ((size_t)1 << 20)
/* How many malformed lines are remembered by file:line. */
#define TS_ERRS_KEEP 5

typedef enum ts_level {
    TS_LVL_DEBUG, TS_LVL_INFO, TS_LVL_WARNING, TS_LVL_ERROR, TS_LVL_CRITICAL,
    TS_LVL_OTHER, TS_LVL_COUNT
} ts_level;

typedef enum ts_kind {
    TS_REC_OTHER,    /* any record that is not one of the two below */
    TS_REC_TIMING,   /* msg "timing", label, ms */
    TS_REC_SUMMARY   /* msg "timing_summary", label, count, total_ms */
} ts_kind;

/* A decoded string: points into the reader's line buffer, NUL-terminated,
 * valid until the next call that reads a line. p is NULL when absent. */
typedef struct ts_str {
    const char *p;
    size_t n;
} ts_str;

/* Bits of ts_record.has */
#define TS_HAS_TRACE   0x001u
#define TS_HAS_SPAN    0x002u
#define TS_HAS_PARENT  0x004u
#define TS_HAS_START   0x008u
#define TS_HAS_PID     0x010u
#define TS_HAS_TID     0x020u
#define TS_HAS_THREAD  0x040u
#define TS_HAS_CPU     0x080u
#define TS_HAS_TS      0x100u
#define TS_HAS_TRUNC   0x200u

typedef struct ts_record {
    ts_kind kind;
    ts_level level;
    unsigned has;                  /* TS_HAS_* */
    ts_str msg, label, thread, ts; /* label: timing and summary records */
    double ms;                     /* timing: wall milliseconds, >= 0 */
    double cpu_ms;                 /* timing: when TS_HAS_CPU */
    uint64_t span, parent;         /* 16 hex digits each */
    uint64_t trace_hi, trace_lo;   /* 32 hex digits */
    int64_t start_us, pid, tid;
    /* summary-mode record; NaN when a field is absent */
    double count, total_ms, min_ms, max_ms, p50_ms, p90_ms, p99_ms;
} ts_record;

/* Malformed lines seen so far, across files. */
typedef struct ts_errs {
    uint64_t count;
    size_t nkept;
    struct {
        char file[256];
        uint64_t line;
        char why[128];
    } kept[TS_ERRS_KEEP];
} ts_errs;

/* Parse one line in place (it is modified: strings are decoded into it).
 * line[len] must be writable and is overwritten with a NUL.
 * Returns 1 for a record, 0 for a blank line, -1 for a malformed line with
 * *why set to a static reason and *col to the 1-based byte column. */
int ts_parse_line(char *line, size_t len, ts_record *rec, const char **why, size_t *col);

/* Streaming reader over a file, stdin ("-") or a memory block. */
typedef struct ts_reader ts_reader;
ts_reader *ts_reader_new(void);
void ts_reader_free(ts_reader *r);
/* 0 on success, -1 with errno set. */
int ts_reader_open(ts_reader *r, const char *path);
void ts_reader_open_mem(ts_reader *r, const void *data, size_t n, const char *name);
/* 1: *rec holds a record; 0: end of input; -1: read error (errno set).
 * Malformed lines are added to errs (may be NULL) and skipped. */
int ts_reader_next(ts_reader *r, ts_record *rec, ts_errs *errs);
void ts_reader_close(ts_reader *r);
uint64_t ts_reader_line(const ts_reader *r);   /* line number of the last line read */
uint64_t ts_reader_bytes(const ts_reader *r);  /* bytes consumed so far */

void ts_errs_add(ts_errs *e, const char *file, uint64_t line, const char *why);

/* Format a 32-hex trace ID (33 bytes) or a 16-hex span ID (17 bytes). */
void ts_fmt_trace(char out[33], uint64_t hi, uint64_t lo);
void ts_fmt_span(char out[17], uint64_t span);

/* RFC 3339 UTC timestamp ("2026-11-24T01:02:03.123456Z") to Unix microseconds. 0 ok, -1 bad. */
int ts_rfc3339_us(const char *s, size_t n, int64_t *out);

/* ---- generic strict JSON cursor over a NUL-terminated buffer ----------- */
typedef struct ts_json {
    char *p;            /* current position */
    char *end;          /* *end == '\0' */
    const char *why;    /* first error, NULL while fine */
    char *err_at;
    int first;          /* set by _begin: the next member needs no comma */
} ts_json;
typedef enum ts_jtype {
    TS_J_ERROR, TS_J_END, TS_J_OBJECT, TS_J_ARRAY, TS_J_STRING, TS_J_NUMBER,
    TS_J_TRUE, TS_J_FALSE, TS_J_NULL
} ts_jtype;
void ts_json_init(ts_json *j, char *buf, size_t len); /* buf[len] becomes '\0' */
ts_jtype ts_json_peek(ts_json *j);                  /* type of the next value (skips whitespace) */
int ts_json_string(ts_json *j, ts_str *out);        /* decode in place; 0 ok */
int ts_json_number(ts_json *j, double *out);        /* 0 ok */
int ts_json_skip(ts_json *j);                       /* any value, iteratively; 0 ok */
/* Object and array walking: call _begin, then _next until it returns 0
 * (end) or -1 (error). For objects _next also reads the key. */
int ts_json_obj_begin(ts_json *j);
int ts_json_obj_next(ts_json *j, ts_str *key);      /* 1: positioned at the value */
int ts_json_arr_begin(ts_json *j);
int ts_json_arr_next(ts_json *j);                   /* 1: positioned at an element */
int ts_json_finish(ts_json *j);                     /* only whitespace left; 0 ok */

#endif
