/* trace.h - v0.1.0 - MIT licence (see the end of this file) - leveled,
   structured logs, scoped stopwatches and trace IDs for C11 and C++, in one header.

QUICK START

    #define TRACE_MODULE "db"              // optional, before the include; default "app"
    #include "trace.h"

    int main(void) {
        int n = 3; const char *path = "users.db";
        TRACE_INFO("loaded %d users from %s", n, path);              // printf-style
        TRACE_INFO_KV("login", "user", "alice", "id", 42, "ms", 12.5); // message + fields
        TRACE_DEBUG("cache miss for %s", path);                       // off by default
        return 0;
    }

    $ cc -std=c11 demo.c && ./a.out
    [INFO] db: loaded 3 users from users.db
    [INFO] db: login user=alice id=42 ms=12.5
    $ LOG_FORMAT=json LOG_LEVEL=DEBUG ./a.out | head -1
    {"ts":"2026-11-24T01:02:03.123456Z","lvl":"INFO","msg":"loaded 3 users from users.db","logger":"db"}

    Nothing else is needed: no implementation macro, no init call, no link flag.
    Any number of translation units and shared libraries may include this header;
    they share one process-wide state (levels, format, output, counters).

ENVIRONMENT (read once, lazily and thread-safely; again on trace_reload())

    variable     values                                              default
    ----------   -------------------------------------------------   -------
    LOG_LEVEL    DEBUG INFO WARNING WARN ERROR CRITICAL (any case)   INFO
                 or 10 20 30 40 50; then optional module=LEVEL
                 overrides: LOG_LEVEL=INFO,db=DEBUG,net=ERROR
    LOG_FORMAT   plain | json | logfmt                               plain
    LOG_BUFFER   0 | off (safe mode) or a size 4k..256m (buffered)    0
    NO_COLOR     any non-empty value turns colour off                unset
    TRACE_TIMING records | summary | off (what scopes do)            records
    TRACE_CPU    0 | 1 (scopes also record thread CPU time cpu_ms)   0
    TRACE_SAMPLE ratio 0..1 of traces whose DEBUG records are written 0
    TRACEPARENT  W3C traceparent this process joins                  unset

    A bad value prints one warning on stderr that names it and the accepted
    values; the default is used and the program goes on.

COMPILE-TIME OPTIONS (define before the include, or with -D)

    macro             default              same in every file?
    ---------------   ------------------   ------------------------------------
    TRACE_MODULE      "app"                no: one module name per file (<32 chars)
    TRACE_MIN_LEVEL   TRACE_LEVEL_DEBUG    no: calls below it are removed
    TRACE_DISABLE     undefined            no: removes everything in that file
    TRACE_SCOPE_LEVEL TRACE_LEVEL_INFO     no: level of TRACE_SCOPE's records

    A removed call costs no code and leaves no string in the binary; its
    arguments are never evaluated, but its format string and argument types
    are still checked, and it causes no unused-variable warning.

LEVELS   TRACE_LEVEL_DEBUG 10, _INFO 20, _WARNING 30, _ERROR 40, _CRITICAL 50
         (Python's numbers), and TRACE_LEVEL_OFF 60 for trace_set_level().

API

    TRACE_DEBUG(fmt, ...)   TRACE_INFO   TRACE_WARNING (alias TRACE_WARN)
    TRACE_ERROR             TRACE_CRITICAL
        Write one record with a printf-style message. Arguments are evaluated
        once, and only when the record will be written.

    TRACE_DEBUG_KV(msg, key, value, ...)   and _INFO_KV, _WARNING_KV, _WARN_KV,
    _ERROR_KV, _CRITICAL_KV
        Write one record with message msg and up to 32 key/value fields, in
        call order. Keys are strings. The type of each value is inferred
        (_Generic in C, overloads in C++): strings (NULL prints null), signed
        and unsigned integers of every width, float and double, bool, and
        void pointers (NULL prints null; C++: pass nullptr). An odd number of
        arguments after msg is a compile error. In C11, `true` is an int: pass
        a bool variable or (bool)x to get true/false.

    void trace_set_level(const char *module, int level)
        Level of one module (records below it are dropped); module NULL sets
        the default for every module that has no level of its own.
    int trace_get_level(const char *module)
        The level in force for module (NULL: the default).
    void trace_set_format(int format)
        TRACE_FORMAT_PLAIN, TRACE_FORMAT_JSON or TRACE_FORMAT_LOGFMT.
    void trace_set_output(int fd)
        Write records to fd instead of stdout (the buffer is flushed first).
        The descriptor stays the caller's: trace.h never closes it.
    int trace_set_buffer(size_t bytes)
        0: safe mode (the default). 4096..268435456: buffered mode with a
        buffer of that size. Returns 0, or -1 for a size out of range or
        when memory is short (the mode is then unchanged).
    void trace_flush(void)
        Write what buffered mode holds now.
    void trace_reload(void)
        Read the environment again; levels, format and buffer set through
        the API are replaced by what the environment says.
    uint64_t trace_dropped(void)
        Records lost so far because the output failed (EBADF, ENOSPC, EPIPE,
        a descriptor that stayed unwritable for a second, ...).

SCOPES, SPANS AND TRACES

    TRACE_SCOPE(label)   TRACE_SCOPE_AT(level, label)   TRACE_SCOPE_MEMORY(label)
        A declaration, written as a statement, that times the rest of the
        enclosing block with the monotonic clock. C11 allows no declaration
        right after a case or goto label (C23 and C++ do): there, write
        `case 1: { TRACE_SCOPE("x"); ... }`, which also keeps the other case
        labels from jumping into the scope. When the block ends
        (fall-through, return, break,
        continue, goto out of it) one record is written: msg "timing", fields
        label, ms (three decimals), parent (the enclosing scope's span, or the
        context's), start_us (Unix microseconds), pid, tid, thread (see
        trace_set_thread_name), cpu_ms with TRACE_CPU=1, and with
        TRACE_SCOPE_MEMORY rss_start_kb, rss_kb, peak_rss_kb. The scope's own
        span ID is the record's "span". Two scopes may share a line. When
        timing records are filtered out (level, TRACE_TIMING=off) a scope
        reads no clock and evaluates nothing: 4 instructions.
        TRACE_TIMING=summary: scopes add to per-label statistics instead
        (count, total, min, max, a histogram: p50/p90/p99 within 1%), merged
        across threads without a lock, written as one "timing_summary"
        record per label at exit and by trace_timing_flush() (label, count,
        total_ms, min_ms, max_ms, p50_ms, p90_ms, p99_ms to the nanosecond,
        pid). At most 512 labels: the scopes of more labels are not counted,
        with one warning. A scope ends in the mode it began in.
    Traps of __attribute__((cleanup)): scopes end in reverse order of their
        declarations; exit(), abort(), longjmp() and a thread killed by
        pthread_cancel without unwinding skip them (no record); clang rejects
        a goto that jumps past a scope's declaration into its block, gcc
        accepts it silently and the scope then times garbage: build with
        -Wjump-misses-init.
    TRACE_SCOPE_BEGIN(&sc, label) ... TRACE_SCOPE_END(&sc)
    TRACE_SCOPE_BEGIN_AT(level, &sc, label)
        The same without cleanup (other compilers, timing across functions);
        sc is a trace_scope the caller keeps. Until it ends, sc is its
        thread's current scope (scopes and records hang under it). Scopes
        ended out of order are taken out of the chain where they are. A
        second END writes nothing.
    void trace_scope_detach(trace_scope *sc)
        On the thread that began sc: sc stops being that thread's current
        scope, keeps timing, and may then be ended on any thread, and its
        storage freed there. END on another thread without a detach also
        works, but the beginning thread keeps sc in its chain until its next
        record, records-mode scope or elapsed reading: until then sc's
        storage must stay valid. Detach first to free it at once.
    int64_t trace_scope_elapsed_ns(const trace_scope *sc), trace_elapsed_ns(void)
        Time since the start of sc (or of this thread's innermost scope); -1
        when that scope is not timing.

    trace_ctx: a W3C trace context (128-bit trace ID, the parent span, flags).
    Every record written while a trace is current carries "trace" (32 hex)
    and "span" (16 hex: the innermost scope, or the context's parent span).
    Without a trace, records carry no "trace"; scopes still have span IDs.
    TRACE_TRACE_NEW()              a new trace for the rest of the block
    TRACE_TRACE_FROM(traceparent)  join that trace (start one if NULL/invalid)
    TRACE_CONTEXT(&ctx)            adopt ctx (e.g. in a worker thread)
        The previous context is restored when the block ends.
    trace_ctx trace_ctx_current(void) / trace_ctx_new(void) / trace_ctx_set(&c)
        Capture, create, or set (NULL: clear) this thread's context.
    int trace_traceparent_parse(const char *s, trace_ctx *out)
        0, or TRACE_TRACEPARENT_EFORMAT (length, dashes, uppercase, non-hex,
        version 00 with trailing data), _EZERO (all-zero ID), _EVERSION (ff);
        *out is untouched on error. A higher version may carry more fields.
    void trace_traceparent_format(const trace_ctx *c, char out[TRACE_TRACEPARENT_SIZE])
        Version 00: "00-<trace>-<span>-<flags>"; a context without a span
        gets a new one; flags other than sampled (01) are written as 0, as
        the spec asks. A context without a trace gives "" (no header).
    int trace_traceparent_setenv(void)
        TRACEPARENT=<current context> for child processes (0, or -1).
    TRACEPARENT in the environment: the process joins that trace; its
        top-level scopes have its span as parent. A bad value warns once.
    IDs come from a per-thread xorshift128+ seeded by getrandom (or
        /dev/urandom), reseeded in a forked child: no syscall per ID.
        uint64_t trace_new_span_id(void) gives one.
    Sampling: TRACE_SAMPLE=0.1 writes DEBUG records for a tenth of the
        traces, even under LOG_LEVEL=INFO: a trace is sampled when the low 56
        bits of its ID are below ratio * 2^56 (every process agrees), when its
        traceparent has the sampled flag (01), or after trace_sample(1). A
        trace started here carries the decision in its flags. DEBUG calls
        outside sampled traces cost what filtered calls cost.
    TRACE_MEMORY(label), long trace_rss_kb(long *peak_kb)
        Resident memory: Linux reads /proc/self/statm (3 syscalls) and
        getrusage; elsewhere the current value is -1 and only the peak is
        known.
    void trace_set_thread_name(const char *name)  (kept as a pointer)

FORMATS (every record is exactly one line)

    plain    [LEVEL] module: message key=value key="quoted value"
             The module is shown when it is not "app". Values are quoted when
             they hold spaces, '=', '"' or nothing; control characters and
             invalid UTF-8 are escaped (\n, \t, \xNN), so no input can forge a
             line (CWE-117). The level is coloured only when the output is a
             terminal and NO_COLOR is unset.
    json     {"ts":"2026-11-24T01:02:03.123456Z","lvl":"INFO","msg":"...",
             "logger":"app", fields...}  RFC 8259: strings escaped, invalid
             UTF-8 replaced by U+FFFD, NaN and infinities as the strings "NaN",
             "Infinity" and "-Infinity", numbers independent of the locale. A
             field named like a key already written (ts, lvl, msg, logger,
             trace, span, or an earlier field) gets '_' prefixed.
    logfmt   ts=2026-11-24T01:02:03.123456Z lvl=info msg="..." logger=app k=v
    Timestamps are UTC, RFC 3339 with microseconds.

OUTPUT MODES

    Safe (default): each record reaches the kernel in one write(2) before the
    macro returns, so it survives abort(), a crash and SIGKILL. Records of up
    to 4096 bytes from concurrent threads or processes never interleave (pipes
    and O_APPEND files); a longer record is cut and marked: plain and logfmt
    end with " [truncated]" / " truncated=true", json with "truncated":true.
    A cut record keeps its logger, trace and span, and is valid JSON; the
    fields that do not fit are left out whole (a string value is cut).

    Buffered (LOG_BUFFER=64k or trace_set_buffer()): records are batched and
    written when the buffer is full, when a record of level WARNING or above
    is logged, when a record finds the oldest unwritten one older than 100 ms,
    on trace_flush(), at exit(), and on abort() and fatal signals (SIGABRT,
    SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTERM, SIGINT, SIGHUP, SIGQUIT), after
    which the program's own handler runs, or the default action. Only SIGKILL,
    _exit() or a power cut lose records: at most one buffer.

    In both modes, when the output is stdout, stdio's pending output is
    flushed before a record is written, so printf("A\n"); TRACE_INFO("B");
    printf("C\n"); gives A, B, C in a file and in a pipe. Buffered mode to
    stdout on glibc goes through stdout's own buffer (one stream with the
    program's printf: the order holds whatever stdio does, its fflush, line
    buffering or a burst; a record never straddles two of its writes); to a
    regular file, a stdout not used yet gets a buffer of LOG_BUFFER's size,
    to a pipe it keeps stdio's own (PIPE_BUF bytes), and the fatal-signal
    flush writes what stdout holds. Elsewhere, and to other descriptors,
    records wait in trace.h's buffer: stdio output written before them (the
    program's own fflush(stdout), line buffering, a burst) can overtake them
    there; call trace_flush() before such output. On a terminal, buffered
    mode writes each record at once, as stdio does. Flushed to a pipe, FIFO
    or socket, trace.h's buffer goes out in writes of whole records of at
    most PIPE_BUF bytes, so processes sharing a pipe never tear each other's
    records. At exit, after its last flush, trace.h returns to safe mode: the
    records of later exit handlers and destructors are still written (the
    summary statistics they gather are not).

    Short writes and EINTR are retried; EAGAIN waits for the descriptor (up to
    one second), then drops; EBADF, ENOSPC, EPIPE drop the record and count it
    (trace_dropped()). trace.h never changes signal dispositions, except for
    the fatal-signal flush of buffered mode.

COST (gcc -O2, x86-64, in an executable; see bench/)

    A filtered call: 4 instructions (load, load, compare, branch), arguments
    not evaluated, also with per-module levels. In a shared library: one more.
    A written record: no heap allocation and no syscall besides the write; the
    timestamp prefix is cached per thread and second, digits are written by
    hand (no localtime, no getpid, no stat). TRACE_INFO_KV with two fields:
    about 720 instructions; a printf-style record: vsnprintf + about 290.
    A scope: 4 instructions when filtered (no clock read), also at the top of
    a function with a body (nothing of the scope is held across the block);
    in summary mode two clock reads and about 60 instructions; in records
    mode two clock reads, its record and about 100.

TRADE-OFFS

    + one header, no setup, one record = one write: nothing lost on a crash.
    + JSON lines straight into tracestat (tools/) for statistics and CI gates.
    - Safe mode pays one write(2) per record (~1 us); use buffered mode for
      hot logging and accept that SIGKILL may lose one buffer.
    - Needs GCC or Clang (statement expressions are not used, but atomics
      builtins, attributes and thread-local storage are); POSIX for output.
    - Records are capped at 4096 bytes; module names at 31 characters; at
      most 62 distinct modules (more share the default level, with a warning).
    - Process-wide state is one weak symbol of default visibility: shared
      libraries (also those built with -fvisibility=hidden) see the state of
      the executable. A library loaded with dlopen() shares it only if the
      state is in the global scope by then: the executable exports it (link
      it with -rdynamic, or -Wl,--export-dynamic-symbol='trace__*'), or a
      library loaded before with RTLD_GLOBAL holds it. Otherwise the plugin
      keeps a state of its own (its own levels, format and buffer).
*/
#ifndef TRACE_H_INCLUDED
#define TRACE_H_INCLUDED

#define TRACE_VERSION_MAJOR 0
#define TRACE_VERSION_MINOR 1
#define TRACE_VERSION_PATCH 0
#define TRACE_VERSION "0.1.0"

/* ---------------------------------------------------------------------------
   Levels, formats and option defaults
   ------------------------------------------------------------------------- */
#define TRACE_LEVEL_DEBUG    10
#define TRACE_LEVEL_INFO     20
#define TRACE_LEVEL_WARNING  30
#define TRACE_LEVEL_ERROR    40
#define TRACE_LEVEL_CRITICAL 50
#define TRACE_LEVEL_OFF      60

#define TRACE_FORMAT_PLAIN  0
#define TRACE_FORMAT_JSON   1
#define TRACE_FORMAT_LOGFMT 2

#define TRACE_RECORD_MAX 4096 /* bytes of one record, newline included */

#ifndef TRACE_MODULE
#define TRACE_MODULE "app"
#endif
#ifndef TRACE_MIN_LEVEL
#define TRACE_MIN_LEVEL TRACE_LEVEL_DEBUG
#endif
#if TRACE_MIN_LEVEL < 0 || TRACE_MIN_LEVEL > TRACE_LEVEL_OFF
#error "trace.h: TRACE_MIN_LEVEL must be between 0 and TRACE_LEVEL_OFF (60)"
#endif

#if !defined(__GNUC__)
#error "trace.h needs GCC or Clang (atomic builtins, attributes, thread-local storage)"
#endif

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------
   Public API
   ------------------------------------------------------------------------- */
#ifndef TRACE_DISABLE
void     trace_set_level(const char *module, int level);
int      trace_get_level(const char *module);
void     trace_set_format(int format);
void     trace_set_output(int fd);
int      trace_set_buffer(size_t bytes);
void     trace_flush(void);
void     trace_reload(void);
uint64_t trace_dropped(void);
#endif

/* Trace context (W3C Trace Context) and scopes. */
#define TRACE_TRACEPARENT_SIZE 56          /* 55 characters and a NUL */
#define TRACE_TRACEPARENT_EFORMAT  (-1)    /* length, separators, case, hex */
#define TRACE_TRACEPARENT_EZERO    (-2)    /* all-zero trace or span ID */
#define TRACE_TRACEPARENT_EVERSION (-3)    /* version ff */

typedef struct trace_ctx {
    uint64_t trace_hi, trace_lo;   /* 128-bit trace ID; both 0: no trace */
    uint64_t span;                 /* the span new scopes hang under; 0: none */
    unsigned flags;                /* W3C trace-flags; bit 0 is "sampled" */
} trace_ctx;

struct trace__site;
typedef struct trace_scope {
    const struct trace__site *site; /* NULL: not timing (filtered or ended) */
    const char *label;
    struct trace_scope *parent;
    uint64_t span, parent_span;
    int64_t t0, cpu0;               /* monotonic and thread CPU ns at start */
    long rss0;                      /* resident kB at start (TRACE_SCOPE_MEMORY) */
    int memory;                     /* 1 memory fields, 2 literal label, 4 summary, 8 cpu */
    struct trace_scope **owner;     /* the scope chain of the thread that began it */
    struct trace__stat *stat;       /* summary mode: the label's statistics; NULL in records
                                       mode and in TRACE_SCOPE's scopes that are not timing
                                       (read only by TRACE_SCOPE's cleanup) */
    uint64_t trace_hi, trace_lo;    /* the trace it belongs to (records mode) */
} trace_scope;

#ifndef TRACE_DISABLE
int       trace_traceparent_parse(const char *s, trace_ctx *out);
void      trace_traceparent_format(const trace_ctx *ctx, char out[TRACE_TRACEPARENT_SIZE]);
int       trace_traceparent_setenv(void);
trace_ctx trace_ctx_current(void);
trace_ctx trace_ctx_new(void);
void      trace_ctx_set(const trace_ctx *ctx);
void      trace_sample(int on);
uint64_t  trace_new_span_id(void);
void      trace_scope_end(trace_scope *sc);
void      trace_scope_detach(trace_scope *sc);
int64_t   trace_scope_elapsed_ns(const trace_scope *sc);
int64_t   trace_elapsed_ns(void);
void      trace_set_thread_name(const char *name);
void      trace_timing_flush(void);
long      trace_rss_kb(long *peak_kb);
#else
static inline void     trace_set_level(const char *m, int l) { (void)m; (void)l; }
static inline int      trace_get_level(const char *m) { (void)m; return TRACE_LEVEL_OFF; }
static inline void     trace_set_format(int f) { (void)f; }
static inline void     trace_set_output(int fd) { (void)fd; }
static inline int      trace_set_buffer(size_t n) { (void)n; return 0; }
static inline void     trace_flush(void) {}
static inline void     trace_reload(void) {}
static inline uint64_t trace_dropped(void) { return 0; }
static inline int trace_traceparent_parse(const char *s, trace_ctx *out) {
    (void)s; (void)out; return TRACE_TRACEPARENT_EFORMAT;
}
static inline void trace_traceparent_format(const trace_ctx *c, char out[TRACE_TRACEPARENT_SIZE]) {
    (void)c; out[0] = 0;
}
static inline int       trace_traceparent_setenv(void) { return -1; }
static inline trace_ctx trace_ctx_current(void) { trace_ctx c = { 0, 0, 0, 0 }; return c; }
static inline trace_ctx trace_ctx_new(void) { trace_ctx c = { 0, 0, 0, 0 }; return c; }
static inline void      trace_ctx_set(const trace_ctx *c) { (void)c; }
static inline void      trace_sample(int on) { (void)on; }
static inline uint64_t  trace_new_span_id(void) { return 0; }
static inline void      trace_scope_end(trace_scope *sc) { (void)sc; }
static inline void      trace_scope_detach(trace_scope *sc) { (void)sc; }
static inline int64_t   trace_scope_elapsed_ns(const trace_scope *sc) { (void)sc; return -1; }
static inline int64_t   trace_elapsed_ns(void) { return -1; }
static inline void      trace_set_thread_name(const char *n) { (void)n; }
static inline void      trace_timing_flush(void) {}
static inline long      trace_rss_kb(long *peak) { if (peak) *peak = -1; return -1; }
#endif

/* ---------------------------------------------------------------------------
   Private types shared by the macros and the implementation
   ------------------------------------------------------------------------- */
#if defined(__has_attribute)
#if __has_attribute(__format__)
#define TRACE__PRINTF(f, a) __attribute__((__format__(__printf__, f, a)))
#endif
#endif
#ifndef TRACE__PRINTF
#define TRACE__PRINTF(f, a)
#endif
#define TRACE__UNUSED __attribute__((__unused__))
#define TRACE__LIKELY(x) __builtin_expect(!!(x), 1)
#define TRACE__UNLIKELY(x) __builtin_expect(!!(x), 0)

/* Value types of a field. */
enum {
    TRACE__T_END, TRACE__T_STR, TRACE__T_I64, TRACE__T_U64, TRACE__T_DBL,
    TRACE__T_BOOL, TRACE__T_PTR, TRACE__T_MS3, TRACE__T_HEX64
};

typedef struct trace__field {
    const char *key;
    uint32_t klen;             /* strlen(key): a constant for a literal key */
    int type;
    size_t len;                /* TRACE__T_STR: strlen of the value */
    union {
        const char *s;
        long long i;           /* also TRACE__T_MS3: nanoseconds shown as ms */
        unsigned long long u;  /* also TRACE__T_HEX64 */
        double d;
        const void *p;
    } v;
} trace__field;

/* What one call site knows at compile time: passed as one pointer. */
typedef struct trace__site {
    int level;
    int level_index;      /* 0 DEBUG .. 4 CRITICAL, for the level's texts */
    int *slot;            /* the file's module slot, resolved on first use */
    const char *module;   /* TRACE_MODULE, a string literal */
    int module_len;
    const char *file;
    int line;
    void *cache;          /* scopes: the label's summary statistics */
} trace__site;

#ifndef TRACE_DISABLE
/* A scope site's cache before its first summary: no label's. */
#define trace__stat_void trace__stat_void_v0_2
extern struct trace__stat trace__stat_void;
#define TRACE__NO_STAT (&trace__stat_void)
#else
#define TRACE__NO_STAT NULL
#endif

#ifdef __cplusplus
} /* extern "C" */
#endif

/* Field constructors: one per value type, chosen by _Generic (C) or by
   overloading (C++). Key and value are evaluated exactly once, as arguments;
   the lengths of literal strings fold to constants. */
static inline size_t trace__slen(const char *s) { return s ? strlen(s) : 0; }
static inline trace__field trace__f(const char *k, int type) {
    trace__field f;
    f.key = k;
    f.klen = (uint32_t)trace__slen(k);
    f.type = type;
    f.len = 0;
    f.v.u = 0;
    return f;
}
static inline trace__field trace__f_str(const char *k, const char *v) {
    trace__field f = trace__f(k, TRACE__T_STR);
    f.v.s = v;
    f.len = trace__slen(v);
    return f;
}
#define TRACE__FIELD_FN(name, T, tag, member, conv)                            \
    static inline trace__field trace__f_##name(const char *k, T v) {         \
        trace__field f = trace__f(k, tag); f.v.member = conv; return f; }
TRACE__FIELD_FN(i64, long long, TRACE__T_I64, i, v)
TRACE__FIELD_FN(u64, unsigned long long, TRACE__T_U64, u, v)
TRACE__FIELD_FN(dbl, double, TRACE__T_DBL, d, v)
TRACE__FIELD_FN(ldbl, long double, TRACE__T_DBL, d, (double)v)
TRACE__FIELD_FN(bool, int, TRACE__T_BOOL, i, v ? 1 : 0)
TRACE__FIELD_FN(ptr, const void *, TRACE__T_PTR, p, v)
TRACE__FIELD_FN(ms3, long long, TRACE__T_MS3, i, v)
TRACE__FIELD_FN(hex64, unsigned long long, TRACE__T_HEX64, u, v)
#undef TRACE__FIELD_FN

#ifdef __cplusplus
static inline trace__field trace__fv(const char *k, const char *v) { return trace__f_str(k, v); }
static inline trace__field trace__fv(const char *k, char v) { return trace__f_i64(k, v); }
static inline trace__field trace__fv(const char *k, signed char v) { return trace__f_i64(k, v); }
static inline trace__field trace__fv(const char *k, short v) { return trace__f_i64(k, v); }
static inline trace__field trace__fv(const char *k, int v) { return trace__f_i64(k, v); }
static inline trace__field trace__fv(const char *k, long v) { return trace__f_i64(k, v); }
static inline trace__field trace__fv(const char *k, long long v) { return trace__f_i64(k, v); }
static inline trace__field trace__fv(const char *k, unsigned char v) { return trace__f_u64(k, v); }
static inline trace__field trace__fv(const char *k, unsigned short v) { return trace__f_u64(k, v); }
static inline trace__field trace__fv(const char *k, unsigned int v) { return trace__f_u64(k, v); }
static inline trace__field trace__fv(const char *k, unsigned long v) { return trace__f_u64(k, v); }
static inline trace__field trace__fv(const char *k, unsigned long long v) { return trace__f_u64(k, v); }
static inline trace__field trace__fv(const char *k, float v) { return trace__f_dbl(k, (double)v); }
static inline trace__field trace__fv(const char *k, double v) { return trace__f_dbl(k, v); }
static inline trace__field trace__fv(const char *k, long double v) { return trace__f_ldbl(k, v); }
static inline trace__field trace__fv(const char *k, bool v) { return trace__f_bool(k, v); }
static inline trace__field trace__fv(const char *k, const void *v) { return trace__f_ptr(k, v); }
static inline trace__field trace__fv(const char *k, decltype(nullptr)) { return trace__f_ptr(k, nullptr); }
#define TRACE__FV(k, v) trace__fv((k), (v))
#else
static inline trace__field trace__f_cbool(const char *k, _Bool v) { return trace__f_bool(k, v); }
#define TRACE__FV(k, v) _Generic((v),                                          \
    char *: trace__f_str, const char *: trace__f_str,                         \
    char: trace__f_i64, signed char: trace__f_i64, short: trace__f_i64,       \
    int: trace__f_i64, long: trace__f_i64, long long: trace__f_i64,           \
    unsigned char: trace__f_u64, unsigned short: trace__f_u64,                \
    unsigned int: trace__f_u64, unsigned long: trace__f_u64,                  \
    unsigned long long: trace__f_u64,                                         \
    float: trace__f_dbl, double: trace__f_dbl, long double: trace__f_ldbl,    \
    _Bool: trace__f_cbool, void *: trace__f_ptr, const void *: trace__f_ptr)((k), (v))
#endif

/* ---------------------------------------------------------------------------
   Macros. One definition serves the enabled, the level-removed and the
   disabled forms: TRACE__LIVE(level) is a constant that removes the call,
   TRACE__ON(level) the run-time gate, and in a disabled file the sinks are
   empty inline functions, so a removed call is still type-checked.
   ------------------------------------------------------------------------- */
#ifdef TRACE_DISABLE
#define TRACE__FILE_ON 0
/* never evaluated, and no literal or function of it is kept */
#ifdef __cplusplus
#define TRACE__IF_FILE(push) (0 ? (push) : trace__saved_none())
#else
#define TRACE__IF_FILE(push) __builtin_choose_expr(0, (push), trace__saved_none())
#endif
#define TRACE__LIVE(lvl) 0
#define TRACE__ON(lvl) 0
#define TRACE__ON_SCOPE(lvl) 0
#define TRACE__SCOPE_GO(lvl, sc, site, label, mem) trace__scope_begin(sc, site, label, mem)
#define TRACE__SCOPE_BEGIN_GO(lvl, sc, site, label) trace__scope_begin(sc, site, label, 0)
#else
#define TRACE__FILE_ON 1
#define TRACE__IF_FILE(push) (push)
#define TRACE__LIVE(lvl) ((lvl) >= TRACE_MIN_LEVEL)
/* The gate, then (first call of a file only) the file's module resolved
   before any argument is evaluated. */
#define TRACE__ON(lvl) (trace__on(lvl, 0) && trace__confirm(lvl, 0, TRACE_MODULE))
#define TRACE__ON_SCOPE(lvl) trace__on(lvl, TRACE__SLOTS)
/* The scope gate said yes. A literal label in summary mode (the gate's third
   row, never open for an unresolved file) begins inline; anything else
   resolves the file's module before the label is evaluated, then begins out
   of line. The label is evaluated once, in whichever branch runs. Every
   branch leaves the scope readable by its cleanup. */
#define TRACE__SCOPE_GO(lvl, sc, site, label, mem)                             \
    (((mem) & 2) && TRACE__LIKELY(trace__on_summary(lvl))                      \
         ? trace__scope_summary(sc, site, (label))                             \
         : trace__confirm(lvl, TRACE__SLOTS, TRACE_MODULE)                     \
               ? trace__scope_begin_full(sc, site, (label), mem)               \
               : trace__scope_idle(sc))
#define TRACE__SCOPE_BEGIN_GO(lvl, sc, site, label)                            \
    (trace__confirm(lvl, TRACE__SLOTS, TRACE_MODULE)                           \
         ? trace__scope_begin_full(sc, site, (label), 0) : (void)0)
#endif

#define TRACE__LEVEL_INDEX(lvl)                                                \
    ((lvl) >= TRACE_LEVEL_CRITICAL ? 4 : (lvl) >= TRACE_LEVEL_ERROR ? 3         \
     : (lvl) >= TRACE_LEVEL_WARNING ? 2 : (lvl) >= TRACE_LEVEL_INFO ? 1 : 0)
/* A call site: its level, module and place; cache, a scope site's stats. */
#ifdef TRACE_DISABLE /* no module or file name left behind, even at -O0 */
#define TRACE__SITE_INIT(lvl, cache) { (lvl), 0, NULL, NULL, 0, NULL, 0, NULL }
#else
#define TRACE__SITE_INIT(lvl, cache)                                           \
    { (lvl), TRACE__LEVEL_INDEX(lvl), &trace__tu_slot, TRACE_MODULE,           \
      (int)sizeof(TRACE_MODULE) - 1, __FILE__, __LINE__, (cache) }
#endif
#define TRACE__SITE(lvl) static const trace__site trace__site_ = TRACE__SITE_INIT(lvl, NULL)

#define TRACE__LOGF(lvl, ...)                                                  \
    do {                                                                       \
        if (TRACE__LIVE(lvl) && TRACE__ON(lvl)) {                              \
            TRACE__SITE(lvl);                                                  \
            trace__logf(&trace__site_, __VA_ARGS__);                           \
        }                                                                      \
    } while (0)

#define TRACE__LOGKV(lvl, ...) TRACE__LOGKV_(lvl, TRACE__NARG(__VA_ARGS__), __VA_ARGS__)
#define TRACE__LOGKV_(lvl, n, ...) TRACE__LOGKV__(lvl, n, __VA_ARGS__)
#define TRACE__LOGKV__(lvl, n, ...)                                            \
    do {                                                                       \
        if (TRACE__LIVE(lvl) && TRACE__ON(lvl)) {                              \
            TRACE__SITE(lvl);                                                  \
            const trace__field trace__f_[] = {                                 \
                trace__f_str(NULL, TRACE__FIRST(__VA_ARGS__)), /* the message */ \
                TRACE__PAIRS_##n(__VA_ARGS__) trace__fv_end() };               \
            trace__logkv(&trace__site_, trace__f_, (n - 1) / 2);              \
        }                                                                      \
    } while (0)

#define TRACE_DEBUG(...)       TRACE__LOGF(TRACE_LEVEL_DEBUG, __VA_ARGS__)
#define TRACE_INFO(...)        TRACE__LOGF(TRACE_LEVEL_INFO, __VA_ARGS__)
#define TRACE_WARNING(...)     TRACE__LOGF(TRACE_LEVEL_WARNING, __VA_ARGS__)
#define TRACE_WARN(...)        TRACE__LOGF(TRACE_LEVEL_WARNING, __VA_ARGS__)
#define TRACE_ERROR(...)       TRACE__LOGF(TRACE_LEVEL_ERROR, __VA_ARGS__)
#define TRACE_CRITICAL(...)    TRACE__LOGF(TRACE_LEVEL_CRITICAL, __VA_ARGS__)
#define TRACE_DEBUG_KV(...)    TRACE__LOGKV(TRACE_LEVEL_DEBUG, __VA_ARGS__)
#define TRACE_INFO_KV(...)     TRACE__LOGKV(TRACE_LEVEL_INFO, __VA_ARGS__)
#define TRACE_WARNING_KV(...)  TRACE__LOGKV(TRACE_LEVEL_WARNING, __VA_ARGS__)
#define TRACE_WARN_KV(...)     TRACE__LOGKV(TRACE_LEVEL_WARNING, __VA_ARGS__)
#define TRACE_ERROR_KV(...)    TRACE__LOGKV(TRACE_LEVEL_ERROR, __VA_ARGS__)
#define TRACE_CRITICAL_KV(...) TRACE__LOGKV(TRACE_LEVEL_CRITICAL, __VA_ARGS__)

/* Scopes: TRACE_SCOPE(label) times the rest of the enclosing block. */
#ifndef TRACE_SCOPE_LEVEL
#define TRACE_SCOPE_LEVEL TRACE_LEVEL_INFO
#endif
#define TRACE__CAT(a, b) TRACE__CAT_(a, b)
#define TRACE__CAT_(a, b) a##b
#define TRACE__CLEANUP(f) __attribute__((__cleanup__(f), __unused__))

#define TRACE_SCOPE(label) TRACE__SCOPE(TRACE_SCOPE_LEVEL, label, 0, __COUNTER__)
#define TRACE_SCOPE_AT(level, label) TRACE__SCOPE(level, label, 0, __COUNTER__)
#define TRACE_SCOPE_MEMORY(label) TRACE__SCOPE(TRACE_SCOPE_LEVEL, label, 1, __COUNTER__)
#define TRACE__SCOPE(lvl, label, mem, n)                                       \
    TRACE__SCOPE_(lvl, label, mem, TRACE__CAT(trace__ss, n), TRACE__CAT(trace__so, n), \
                  TRACE__CAT(trace__sp, n))
#define TRACE__SCOPE_(lvl, label, mem, ss, so, sp)                             \
    static trace__site ss = TRACE__SITE_INIT(lvl, TRACE__NO_STAT);             \
    trace_scope so;                                                            \
    trace_scope *sp TRACE__CLEANUP(trace__scope_cleanup) =                     \
        (TRACE__LIVE(lvl) && TRACE__ON_SCOPE(lvl))                             \
            ? (TRACE__SCOPE_GO(lvl, &so, &ss, label, (mem) | (__builtin_constant_p(label) ? 2 : 0)), &so) \
            : NULL

/* Explicit start and stop, for code without cleanup or across functions. */
#define TRACE_SCOPE_BEGIN(sc, label) TRACE__SCOPE_BEGIN(TRACE_SCOPE_LEVEL, sc, label)
#define TRACE_SCOPE_BEGIN_AT(level, sc, label) TRACE__SCOPE_BEGIN(level, sc, label)
#define TRACE__SCOPE_BEGIN(lvl, sc, label)                                     \
    do {                                                                       \
        if (TRACE__FILE_ON) {                                                  \
            trace_scope *trace__b_ = (sc);                                     \
            trace__b_->site = NULL;                                            \
            if (TRACE__LIVE(lvl) && TRACE__ON_SCOPE(lvl)) {                    \
                TRACE__SITE(lvl);                                              \
                TRACE__SCOPE_BEGIN_GO(lvl, trace__b_, &trace__site_, label);       \
            }                                                                  \
        }                                                                      \
    } while (0)
#define TRACE_SCOPE_END(sc)                                                    \
    do {                                                                       \
        if (TRACE__FILE_ON) trace_scope_end(sc);                               \
    } while (0)

/* Trace context for the rest of the enclosing block, restored after it. */
#define TRACE_CONTEXT(ctx_ptr) TRACE__CTX(trace__ctx_push(ctx_ptr), __COUNTER__)
#define TRACE_TRACE_NEW() TRACE__CTX(trace__ctx_push_new(), __COUNTER__)
#define TRACE_TRACE_FROM(traceparent) TRACE__CTX(trace__ctx_push_from(traceparent), __COUNTER__)
#define TRACE__CTX(push, n)                                                    \
    trace__saved TRACE__CAT(trace__cs, n) TRACE__CLEANUP(trace__ctx_pop) = TRACE__IF_FILE(push)

/* One record with the resident memory: msg "memory", label, rss_kb, peak_rss_kb. */
#define TRACE_MEMORY(label)                                                    \
    do {                                                                       \
        if (TRACE__LIVE(TRACE_LEVEL_INFO) && TRACE__ON(TRACE_LEVEL_INFO)) {    \
            TRACE__SITE(TRACE_LEVEL_INFO);                                     \
            trace__memory(&trace__site_, (label));                             \
        }                                                                      \
    } while (0)

/* Argument counting (1..65) and the key/value pair list. An even count, that
   is a key without a value, names the mistake in the compiler's error. */
#define TRACE__FIRST(...) TRACE__FIRST_(__VA_ARGS__, 0)
#define TRACE__FIRST_(a, ...) a
#define TRACE__NARG(...) TRACE__NARG_(__VA_ARGS__,                             \
    65, 64, 63, 62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48,    \
    47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30,    \
    29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12,    \
    11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define TRACE__NARG_(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13,   \
    a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28, \
    a29, a30, a31, a32, a33, a34, a35, a36, a37, a38, a39, a40, a41, a42, a43, \
    a44, a45, a46, a47, a48, a49, a50, a51, a52, a53, a54, a55, a56, a57, a58, \
    a59, a60, a61, a62, a63, a64, a65, n, ...) n

#define TRACE__P(k, v) TRACE__FV(k, v),
#define TRACE__ODD trace_kv_arguments_must_be_key_value_pairs,
#define TRACE__PAIRS_1(m)
#define TRACE__PAIRS_3(m, k, v) TRACE__P(k, v)
#define TRACE__PAIRS_5(m, k, v, ...) TRACE__P(k, v) TRACE__PAIRS_3(m, __VA_ARGS__)
#define TRACE__PAIRS_7(m, k, v, ...) TRACE__P(k, v) TRACE__PAIRS_5(m, __VA_ARGS__)
#define TRACE__PAIRS_9(m, k, v, ...) TRACE__P(k, v) TRACE__PAIRS_7(m, __VA_ARGS__)
#define TRACE__PAIRS_11(m, k, v, ...) TRACE__P(k, v) TRACE__PAIRS_9(m, __VA_ARGS__)
#define TRACE__PAIRS_13(m, k, v, ...) TRACE__P(k, v) TRACE__PAIRS_11(m, __VA_ARGS__)
#define TRACE__PAIRS_15(m, k, v, ...) TRACE__P(k, v) TRACE__PAIRS_13(m, __VA_ARGS__)
#define TRACE__PAIRS_17(m, k, v, ...) TRACE__P(k, v) TRACE__PAIRS_15(m, __VA_ARGS__)
#define TRACE__PAIRS_19(m, k, v, ...) TRACE__P(k, v) TRACE__PAIRS_17(m, __VA_ARGS__)
#define TRACE__PAIRS_21(m, k, v, ...) TRACE__P(k, v) TRACE__PAIRS_19(m, __VA_ARGS__)
#define TRACE__PAIRS_23(m, k, v, ...) TRACE__P(k, v) TRACE__PAIRS_21(m, __VA_ARGS__)
#define TRACE__PAIRS_25(m, k, v, ...) TRACE__P(k, v) TRACE__PAIRS_23(m, __VA_ARGS__)
#define TRACE__PAIRS_27(m, k, v, ...) TRACE__P(k, v) TRACE__PAIRS_25(m, __VA_ARGS__)
#define TRACE__PAIRS_29(m, k, v, ...) TRACE__P(k, v) TRACE__PAIRS_27(m, __VA_ARGS__)
#define TRACE__PAIRS_31(m, k, v, ...) TRACE__P(k, v) TRACE__PAIRS_29(m, __VA_ARGS__)
#define TRACE__PAIRS_33(m, k, v, ...) TRACE__P(k, v) TRACE__PAIRS_31(m, __VA_ARGS__)
#define TRACE__PAIRS_35(m, k, v, ...) TRACE__P(k, v) TRACE__PAIRS_33(m, __VA_ARGS__)
#define TRACE__PAIRS_37(m, k, v, ...) TRACE__P(k, v) TRACE__PAIRS_35(m, __VA_ARGS__)
#define TRACE__PAIRS_39(m, k, v, ...) TRACE__P(k, v) TRACE__PAIRS_37(m, __VA_ARGS__)
#define TRACE__PAIRS_41(m, k, v, ...) TRACE__P(k, v) TRACE__PAIRS_39(m, __VA_ARGS__)
#define TRACE__PAIRS_43(m, k, v, ...) TRACE__P(k, v) TRACE__PAIRS_41(m, __VA_ARGS__)
#define TRACE__PAIRS_45(m, k, v, ...) TRACE__P(k, v) TRACE__PAIRS_43(m, __VA_ARGS__)
#define TRACE__PAIRS_47(m, k, v, ...) TRACE__P(k, v) TRACE__PAIRS_45(m, __VA_ARGS__)
#define TRACE__PAIRS_49(m, k, v, ...) TRACE__P(k, v) TRACE__PAIRS_47(m, __VA_ARGS__)
#define TRACE__PAIRS_51(m, k, v, ...) TRACE__P(k, v) TRACE__PAIRS_49(m, __VA_ARGS__)
#define TRACE__PAIRS_53(m, k, v, ...) TRACE__P(k, v) TRACE__PAIRS_51(m, __VA_ARGS__)
#define TRACE__PAIRS_55(m, k, v, ...) TRACE__P(k, v) TRACE__PAIRS_53(m, __VA_ARGS__)
#define TRACE__PAIRS_57(m, k, v, ...) TRACE__P(k, v) TRACE__PAIRS_55(m, __VA_ARGS__)
#define TRACE__PAIRS_59(m, k, v, ...) TRACE__P(k, v) TRACE__PAIRS_57(m, __VA_ARGS__)
#define TRACE__PAIRS_61(m, k, v, ...) TRACE__P(k, v) TRACE__PAIRS_59(m, __VA_ARGS__)
#define TRACE__PAIRS_63(m, k, v, ...) TRACE__P(k, v) TRACE__PAIRS_61(m, __VA_ARGS__)
#define TRACE__PAIRS_65(m, k, v, ...) TRACE__P(k, v) TRACE__PAIRS_63(m, __VA_ARGS__)
#define TRACE__PAIRS_2(...) TRACE__ODD
#define TRACE__PAIRS_4(...) TRACE__ODD
#define TRACE__PAIRS_6(...) TRACE__ODD
#define TRACE__PAIRS_8(...) TRACE__ODD
#define TRACE__PAIRS_10(...) TRACE__ODD
#define TRACE__PAIRS_12(...) TRACE__ODD
#define TRACE__PAIRS_14(...) TRACE__ODD
#define TRACE__PAIRS_16(...) TRACE__ODD
#define TRACE__PAIRS_18(...) TRACE__ODD
#define TRACE__PAIRS_20(...) TRACE__ODD
#define TRACE__PAIRS_22(...) TRACE__ODD
#define TRACE__PAIRS_24(...) TRACE__ODD
#define TRACE__PAIRS_26(...) TRACE__ODD
#define TRACE__PAIRS_28(...) TRACE__ODD
#define TRACE__PAIRS_30(...) TRACE__ODD
#define TRACE__PAIRS_32(...) TRACE__ODD
#define TRACE__PAIRS_34(...) TRACE__ODD
#define TRACE__PAIRS_36(...) TRACE__ODD
#define TRACE__PAIRS_38(...) TRACE__ODD
#define TRACE__PAIRS_40(...) TRACE__ODD
#define TRACE__PAIRS_42(...) TRACE__ODD
#define TRACE__PAIRS_44(...) TRACE__ODD
#define TRACE__PAIRS_46(...) TRACE__ODD
#define TRACE__PAIRS_48(...) TRACE__ODD
#define TRACE__PAIRS_50(...) TRACE__ODD
#define TRACE__PAIRS_52(...) TRACE__ODD
#define TRACE__PAIRS_54(...) TRACE__ODD
#define TRACE__PAIRS_56(...) TRACE__ODD
#define TRACE__PAIRS_58(...) TRACE__ODD
#define TRACE__PAIRS_60(...) TRACE__ODD
#define TRACE__PAIRS_62(...) TRACE__ODD
#define TRACE__PAIRS_64(...) TRACE__ODD

#ifdef __cplusplus
extern "C" {
#endif

static inline trace__field trace__fv_end(void) { return trace__f(NULL, TRACE__T_END); }

/* The file's module slot: 0 until the first call resolves TRACE_MODULE. */
static int trace__tu_slot TRACE__UNUSED;

/* What TRACE_CONTEXT saves, to restore at the end of the block. */
typedef struct trace__saved {
    int active, had;
    trace_ctx ctx;
    trace_scope *top;   /* the scopes open outside the context */
} trace__saved;
static inline trace__saved trace__saved_none(void) {
    trace__saved v = { 0, 0, { 0, 0, 0, 0 }, NULL };
    return v;
}

#ifdef TRACE_DISABLE
static inline void trace__scope_begin(trace_scope *sc, const trace__site *s, const char *label,
                                      int mem) {
    (void)sc; (void)s; (void)label; (void)mem;
}
static inline void trace__scope_cleanup(trace_scope **sc) { (void)sc; }
static inline trace__saved trace__ctx_push(const trace_ctx *c) { (void)c; return trace__saved_none(); }
static inline trace__saved trace__ctx_push_new(void) { return trace__saved_none(); }
static inline trace__saved trace__ctx_push_from(const char *tp) { (void)tp; return trace__saved_none(); }
static inline void trace__ctx_pop(trace__saved *v) { (void)v; }
static inline void trace__memory(const trace__site *s, const char *label) { (void)s; (void)label; }
/* Empty sinks: a removed call still checks its format and argument types. */
static inline TRACE__PRINTF(2, 3) void trace__logf(const trace__site *s, const char *fmt, ...) {
    (void)s; (void)fmt;
}
static inline void trace__logkv(const trace__site *s, const trace__field *f, int n) {
    (void)s; (void)f; (void)n;
}
#else
/* ===========================================================================
   IMPLEMENTATION
   Every definition below is weak (one copy wins at link time, shared by all
   files and shared libraries), or static inline for the hot gate.
   ======================================================================== */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#if defined(__linux__)
#include <stdio_ext.h>
#include <sys/syscall.h>
#endif
#include <sys/stat.h>

/* weak: one copy wins; default visibility: also from a library built with
   -fvisibility=hidden, so that every module shares the one state */
#define TRACE__WEAK __attribute__((__weak__, __visibility__("default")))

/* Buffered mode to stdout on glibc goes through stdout's own buffer (the
   "stdout route"): one stream with the program's printf, so their order is
   kept whatever stdio does. flockfile & co. are hidden by -std=c11: private
   names. */
#if defined(__GLIBC__) && defined(__linux__)
#define TRACE__STDIO_ROUTE 1
extern void trace__flockfile(FILE *f) __asm__("flockfile");
extern void trace__funlockfile(FILE *f) __asm__("funlockfile");
extern int trace__ftrylockfile(FILE *f) __asm__("ftrylockfile");
#else
#define TRACE__STDIO_ROUTE 0
#endif
#define TRACE__NOINLINE __attribute__((__noinline__))
#define TRACE__INLINE static inline __attribute__((__always_inline__))
#define TRACE__SLOTS 64          /* module slots: 0 unresolved, 1 overflow */
#define TRACE__NAME_MAX 32
#define TRACE__RELAXED __ATOMIC_RELAXED

/* -std=c11 on glibc hides clock_gettime and the CLOCK_* names: declare the
   libc function under a private name (Linux's clock ids are kernel ABI). */
#if defined(CLOCK_MONOTONIC)
#define trace__clock_gettime clock_gettime
#define TRACE__CLOCK_REALTIME CLOCK_REALTIME
#define TRACE__CLOCK_MONOTONIC CLOCK_MONOTONIC
#elif defined(__linux__)
extern int trace__clock_gettime(int clk, struct timespec *ts) __asm__("clock_gettime");
#define TRACE__CLOCK_REALTIME 0
#define TRACE__CLOCK_MONOTONIC 1
#else
#error "trace.h needs POSIX clock_gettime: compile with -D_POSIX_C_SOURCE=200809L"
#endif

/* sigaction is hidden by -std=c11 too. glibc still has it: on the
   architectures whose struct sigaction is the generic one, trace.h declares
   it (like clock_gettime above), so a handler the program installed with
   SA_SIGINFO is chained with its siginfo. Elsewhere ISO C signal() is the
   documented fallback (it chains to SIG_DFL, SIG_IGN and plain handlers). */
#if defined(SA_SIGINFO)
#define TRACE__HAVE_SIGACTION 1
typedef struct sigaction trace__sigact;
typedef siginfo_t trace__siginfo;
#define trace__sigaction sigaction
#define TRACE__SA_SIGINFO SA_SIGINFO
#if defined(SA_RESTART)
#define TRACE__SA_RESTART SA_RESTART
#else
#define TRACE__SA_RESTART 0
#endif
#define TRACE__SA_HANDLER(a) ((a).sa_handler)
#define TRACE__SA_ACTION(a) ((a).sa_sigaction)
#define TRACE__SA_FILL(a) sigfillset(&(a).sa_mask)
#elif defined(__linux__) && defined(__GLIBC__) &&                               \
    (defined(__x86_64__) || defined(__i386__) || defined(__aarch64__) || defined(__arm__))
#define TRACE__HAVE_SIGACTION 1
typedef struct trace__sigact { /* glibc's struct sigaction on these */
    union {
        void (*handler)(int);
        void (*action)(int, void *, void *);
    } u;
    unsigned long mask[128 / sizeof(unsigned long)];
    int sa_flags;
    void (*restorer)(void);
} trace__sigact;
typedef void trace__siginfo;
extern int trace__sigaction(int sig, const trace__sigact *act, trace__sigact *old)
    __asm__("sigaction");
#define TRACE__SA_SIGINFO 4
#define TRACE__SA_RESTART 0x10000000
#define TRACE__SA_HANDLER(a) ((a).u.handler)
#define TRACE__SA_ACTION(a) ((a).u.action)
#define TRACE__SA_FILL(a) trace__sa_fill((a).mask, sizeof (a).mask / sizeof (a).mask[0])
/* All signals, as glibc's sigfillset: not its own 32 and 33 (thread
   cancellation, setxid), which must stay deliverable. */
static inline void trace__sa_fill(unsigned long *m, size_t n) {
    const unsigned b = 8 * sizeof *m;
    memset(m, 0xff, n * sizeof *m);
    m[31 / b] &= ~(1UL << (31 % b));
    m[32 / b] &= ~(1UL << (32 % b));
}
#else
#define TRACE__HAVE_SIGACTION 0
#endif

#if defined(__SANITIZE_THREAD__)
#define TRACE__TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define TRACE__TSAN 1
#endif
#endif
#ifndef TRACE__TSAN
#define TRACE__TSAN 0
#endif

/* Thread-local storage: local-exec in executables (one instruction to reach
   it), initial-exec in shared libraries (no __tls_get_addr call). */
#if !defined(__PIC__) || defined(__PIE__)
#define TRACE__TLS __thread __attribute__((__tls_model__("local-exec")))
#else
#define TRACE__TLS __thread __attribute__((__tls_model__("initial-exec")))
#endif

typedef struct trace__locks {
    pthread_mutex_t lock;        /* configuration, module table, label table */
    pthread_mutex_t out_lock;    /* buffered mode's buffer */
} trace__locks;

/* Per-label statistics of summary mode: a log-linear histogram of
   nanoseconds (64 sub-buckets an octave: under 1% relative error) over the
   whole 64-bit range; the count is the histogram's sum. */
#define TRACE__HBUCKETS 3776
#define TRACE__LABELS 512
typedef struct trace__stat {
    char *label;          /* the whole label (a copy) */
    const trace__site *site;
    const char *key;      /* the label pointer it was made for */
    uint64_t total, min, max;
    uint64_t hist[TRACE__HBUCKETS];
} trace__stat;

/* The gate's tables: row 0..63 records, 64..127 scopes, 128..191 scopes
   that may begin inline in summary mode, by slot. Rows 0 and 1 hold the
   lowest level written; row 2 holds 100 - that level when open and 0 when
   closed, so that its zero-initialised state (before the environment is
   read, and for the unresolved slot 0) is closed.
   `levels` is what a thread without a context of its own reads; `base` and
   `forced` (DEBUG let through: a sampled trace) back the threads with one. */
#define TRACE__SUMMARY_OPEN(lvl) (100 - (lvl))
typedef struct trace__state {
    int levels[3 * TRACE__SLOTS];
    int base[3 * TRACE__SLOTS];
    int forced[3 * TRACE__SLOTS];
    int own[TRACE__SLOTS];       /* a module's own level, or -1 */
    char names[TRACE__SLOTS][TRACE__NAME_MAX];
    int nslots;
    int deflevel;
    int format;
    int fd;
    int color;
    int tty;                     /* the output is a terminal */
    int ready;                   /* environment read */
    int hooks;                   /* atexit / pthread_atfork registered */
    int signals;                 /* fatal-signal handlers installed */
    int overflow_warned;
    int labels_warned;           /* summary mode: more than TRACE__LABELS labels */
    /* buffered mode */
    char *buf;
    size_t cap;
    size_t len;
    size_t nrec;
    size_t snrec;                /* stdout route: records in stdio's buffer */
    char *stdio_buf;             /* stdout route: the buffer given to stdout */
    long long soldest_ns;        /* stdout route: the oldest of them */
    long long oldest_ns;
    uint64_t dropped;
    /* scopes and traces */
    int timing;                  /* 0 records, 1 summary, 2 off */
    int cpu;                     /* TRACE_CPU=1 */
    uint64_t sample_below;       /* TRACE_SAMPLE as a threshold on 56 bits */
    const trace_ctx *root;       /* TRACEPARENT (NULL: none); never changed in place */
    const void *root_older;      /* every root made so far, newest first */
    int root_set;                /* root holds a trace */
    int pid;
    unsigned epoch;              /* bumped in every forked child */
    trace__stat *stats[TRACE__LABELS]; /* open addressing on the label */
    /* per slot, made on first use: `","logger":"<module>"` for json */
    char logger[TRACE__SLOTS][48];
    unsigned char logger_len[TRACE__SLOTS]; /* 0: not made (or too long) */
} trace__state;

typedef struct trace__tls_t {
    const int *levels;           /* trace__g.levels, .base or .forced */
    int in_log;                  /* this thread is inside the output path */
    long long ts_sec;            /* second of the cached timestamp prefix */
    char ts_prefix[20];          /* "2026-11-24T01:02:03" */
    int has_ctx;                 /* ctx below is this thread's own */
    trace_ctx ctx;
    trace_scope *top;            /* innermost open scope */
    uint64_t rng[2];             /* xorshift128+ state */
    unsigned epoch;              /* trace__g.epoch when seeded; 0: not seeded */
    int tid;
    const char *thread_name;
    trace_scope *rec;            /* the scope whose timing record is being written */
} trace__tls_t;

#define trace__g trace__g_v0_2
#define trace__m trace__m_v0_2
#define trace__tls trace__tls_v0_2
TRACE__WEAK trace__locks trace__m = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER };
TRACE__WEAK trace__state trace__g;
TRACE__WEAK TRACE__TLS trace__tls_t trace__tls = {
    trace__g.levels, 0, 0, { 0 }, 0, { 0, 0, 0, 0 }, NULL, { 0, 0 }, 0, 0, NULL, NULL };

/* The process's context (TRACEPARENT), or an all-zero one. */
static inline const trace_ctx *trace__root(void) {
    static const trace_ctx none = { 0, 0, 0, 0 };
    const trace_ctx *r = __atomic_load_n(&trace__g.root, __ATOMIC_ACQUIRE);
    return r ? r : &none;
}

/* The gate: load the file's slot, load the thread's table, compare, branch.
   On x86 the compare reads the level straight from memory (one aligned load,
   atomic); elsewhere a relaxed atomic load. */
static inline int trace__on(int lvl, int row) {
    const int *t = trace__tls.levels + row;
    /* unsigned: a 32-bit load zero-extends for free (clang sign-extends an int
       with one more instruction) */
    unsigned slot = (unsigned)__atomic_load_n(&trace__tu_slot, TRACE__RELAXED);
#if (defined(__x86_64__) || defined(__i386__)) && !TRACE__TSAN
    int above;
    __asm__("cmp{l} {%[l], %[m]|%[m], %[l]}" : "=@ccg"(above) : [m] "m"(t[slot]), [l] "ir"(lvl));
    return (int)TRACE__UNLIKELY(!above);
#else
    return (int)TRACE__UNLIKELY(lvl >= __atomic_load_n(&t[slot], TRACE__RELAXED));
#endif
}

/* The summary gate (row 2): open when the value is above 99 - lvl, that is
   100 - threshold > 99 - lvl, lvl >= threshold; 0 (closed) never is. */
static inline int trace__on_summary(int lvl) {
    const int *t = trace__tls.levels + 2 * TRACE__SLOTS;
    unsigned slot = (unsigned)__atomic_load_n(&trace__tu_slot, TRACE__RELAXED);
#if (defined(__x86_64__) || defined(__i386__)) && !TRACE__TSAN
    int open;
    __asm__("cmp{l} {%[l], %[m]|%[m], %[l]}" : "=@ccg"(open) : [m] "m"(t[slot]), [l] "ir"(99 - lvl));
    return open;
#else
    return __atomic_load_n(&t[slot], TRACE__RELAXED) > 99 - lvl;
#endif
}

TRACE__PRINTF(2, 3) void trace__logf(const trace__site *s, const char *fmt, ...);
void trace__logkv(const trace__site *s, const trace__field *f, int n);

/* --- process-wide state: levels and modules -------------------------------- */

void trace__init(void);
int trace__sampled(const trace_ctx *c);
int trace__resolve(const trace__site *s);
int trace__slot_of(const char *module, int create);
void trace__apply_levels(void);
int trace__parse_level(const char *s, size_t n);
void trace__warn(const char *var, const char *val, const char *why, const char *accepted,
                 const char *fallback);
void trace__read_env(void);
void trace__install_hooks(void);
void trace__install_signals(void);
void trace__flush_locked(void);
void trace__route_flush(void);
int trace__use_buffer(size_t bytes);
int trace__write_all(int fd, const char *p, size_t n);

static inline int trace__ready(void) {
    return __atomic_load_n(&trace__g.ready, __ATOMIC_ACQUIRE);
}
static inline void trace__ensure(void) {
    if (TRACE__UNLIKELY(!trace__ready()))
        trace__init();
}

/* Colour the level tag: only on a terminal, never with NO_COLOR set. */
/* What the output is: a terminal (buffered mode writes each record at
   once there), coloured unless NO_COLOR is set. */
static inline void trace__output_kind(int fd) {
    const char *v = getenv("NO_COLOR");
    int tty = isatty(fd) == 1;
    __atomic_store_n(&trace__g.tty, tty, TRACE__RELAXED);
    __atomic_store_n(&trace__g.color, tty && !(v && *v), TRACE__RELAXED);
}

/* A slot for module (create: allocate it when missing). Lock held. */
TRACE__WEAK int trace__slot_of(const char *module, int create) {
    char name[TRACE__NAME_MAX];
    int i;
    size_t n = module ? strlen(module) : 0;
    if (n >= TRACE__NAME_MAX) n = TRACE__NAME_MAX - 1;
    memcpy(name, module ? module : "", n);
    name[n] = 0;
    for (i = 2; i < trace__g.nslots; i++)
        if (strcmp(trace__g.names[i], name) == 0) return i;
    if (!create) return -1;
    if (trace__g.nslots < 2) trace__g.nslots = 2;
    if (trace__g.nslots >= TRACE__SLOTS) {
        if (!trace__g.overflow_warned) {
            trace__g.overflow_warned = 1;
            trace__warn("TRACE_MODULE", name, "is one module too many", "at most 62 modules",
                        "the default level");
        }
        return 1;
    }
    i = trace__g.nslots++;
    memcpy(trace__g.names[i], name, n + 1);
    trace__g.own[i] = -1;
    return i;
}

/* Recompute the gate's table from the default and each module's own level. */
TRACE__WEAK void trace__apply_levels(void) {
    int i, root_debug = trace__sampled(trace__root());
    int timing = __atomic_load_n(&trace__g.timing, TRACE__RELAXED);
    for (i = 0; i < 3 * TRACE__SLOTS; i++) {
        int slot = i % TRACE__SLOTS, row = i / TRACE__SLOTS, lvl, forced;
        lvl = (slot >= 2 && slot < trace__g.nslots && trace__g.own[slot] >= 0)
                  ? trace__g.own[slot] : trace__g.deflevel;
        if (row >= 1 && timing == 2) lvl = TRACE_LEVEL_OFF + 1;
        if (slot == 0) lvl = 0; /* unresolved: always the slow path */
        if (row == 2 && (timing != 1 || slot == 0)) lvl = TRACE_LEVEL_OFF + 1;
        /* a sampled trace adds DEBUG where INFO is written; a module set to
           WARNING or above (or off) keeps its level */
        forced = lvl > TRACE_LEVEL_DEBUG && lvl <= TRACE_LEVEL_INFO ? TRACE_LEVEL_DEBUG : lvl;
        if (row == 2) { /* 0: closed (any level above CRITICAL writes nothing) */
            lvl = lvl > TRACE_LEVEL_CRITICAL ? 0 : TRACE__SUMMARY_OPEN(lvl);
            forced = forced > TRACE_LEVEL_CRITICAL ? 0 : TRACE__SUMMARY_OPEN(forced);
        }
        __atomic_store_n(&trace__g.base[i], lvl, TRACE__RELAXED);
        __atomic_store_n(&trace__g.forced[i], forced, TRACE__RELAXED);
        __atomic_store_n(&trace__g.levels[i], root_debug ? forced : lvl, TRACE__RELAXED);
    }
}

TRACE__WEAK int trace__resolve(const trace__site *s) {
    int slot;
    trace__ensure();
    slot = __atomic_load_n(s->slot, TRACE__RELAXED);
    if (slot) return slot;
    pthread_mutex_lock(&trace__m.lock);
    slot = trace__slot_of(s->module, 1);
    pthread_mutex_unlock(&trace__m.lock);
    __atomic_store_n(s->slot, slot, __ATOMIC_RELEASE);
    return slot;
}

/* The gate let an unresolved file through (slot 0 has level 0): resolve the
   file's module now, before the call's arguments are evaluated. tu_slot is
   the calling file's own slot variable. */
int trace__confirm_slow(int lvl, int row, const char *module, int *tu_slot);
TRACE__WEAK TRACE__NOINLINE int trace__confirm_slow(int lvl, int row, const char *module,
                                                    int *tu_slot) {
    trace__site s;
    int slot;
    memset(&s, 0, sizeof s);
    s.level = lvl;
    s.slot = tu_slot;
    s.module = module;
    s.module_len = (int)strlen(module);
    slot = trace__resolve(&s);
    return lvl >= __atomic_load_n(&trace__tls.levels[row + slot], TRACE__RELAXED);
}
static inline int trace__confirm(int lvl, int row, const char *module) {
    /* acquire: the slot was published after the environment was read */
    if (TRACE__LIKELY(__atomic_load_n(&trace__tu_slot, __ATOMIC_ACQUIRE) != 0)) return 1;
    return trace__confirm_slow(lvl, row, module, &trace__tu_slot);
}

/* Is a record (row 0) or scope (row TRACE__SLOTS) of the site's level
   wanted? The gate said yes, or the slot was not resolved yet. */
static inline int trace__wanted(const trace__site *s, int row) {
    int slot = __atomic_load_n(s->slot, TRACE__RELAXED);
    if (TRACE__UNLIKELY(slot == 0)) slot = trace__resolve(s);
    return s->level >= __atomic_load_n(&trace__tls.levels[row + slot], TRACE__RELAXED);
}

TRACE__WEAK void trace_set_level(const char *module, int level) {
    trace__ensure();
    pthread_mutex_lock(&trace__m.lock);
    if (!module) {
        trace__g.deflevel = level;
    } else {
        int slot = trace__slot_of(module, 1);
        if (slot >= 2) trace__g.own[slot] = level;
    }
    trace__apply_levels();
    pthread_mutex_unlock(&trace__m.lock);
}

TRACE__WEAK int trace_get_level(const char *module) {
    int slot, lvl;
    trace__ensure();
    pthread_mutex_lock(&trace__m.lock);
    slot = module ? trace__slot_of(module, 0) : -1;
    lvl = (slot >= 2 && trace__g.own[slot] >= 0) ? trace__g.own[slot] : trace__g.deflevel;
    pthread_mutex_unlock(&trace__m.lock);
    return lvl;
}

TRACE__WEAK void trace_set_format(int format) {
    trace__ensure();
    if (format < TRACE_FORMAT_PLAIN || format > TRACE_FORMAT_LOGFMT) return;
    __atomic_store_n(&trace__g.format, format, TRACE__RELAXED);
}

TRACE__WEAK void trace_set_output(int fd) {
    trace__ensure();
    trace__route_flush();
    pthread_mutex_lock(&trace__m.out_lock);
    trace__flush_locked();
    __atomic_store_n(&trace__g.fd, fd, TRACE__RELAXED);
    trace__output_kind(fd);
    pthread_mutex_unlock(&trace__m.out_lock);
}

/* Buffered mode with a buffer of `bytes`, or safe mode (0); what the old
   buffer held is written first. -1: out of range or out of memory. */
TRACE__WEAK int trace__use_buffer(size_t bytes) {
    char *nb = NULL;
    if (bytes && (bytes < 4096 || bytes > ((size_t)256 << 20))) return -1;
    if (bytes && !(nb = (char *)malloc(bytes))) return -1;
    trace__route_flush();
    pthread_mutex_lock(&trace__m.out_lock);
    trace__flush_locked();
    free(trace__g.buf);
    trace__g.buf = nb;
    trace__g.len = 0;
    trace__g.nrec = 0;
    __atomic_store_n(&trace__g.cap, bytes, TRACE__RELAXED);
#if TRACE__STDIO_ROUTE
    /* the stdout route to a regular file: stdout's buffer gets the size
       asked for, if stdout has none yet (pipes keep stdio's PIPE_BUF-sized
       one: its writes stay whole). Given to stdio for good: never freed. */
    if (bytes && trace__g.fd == 1 && !trace__g.stdio_buf && __fbufsize(stdout) == 0) {
        struct stat st;
        if (fstat(1, &st) == 0 && S_ISREG(st.st_mode) &&
            (trace__g.stdio_buf = (char *)malloc(bytes)) != NULL)
            setvbuf(stdout, trace__g.stdio_buf, _IOFBF, bytes);
    }
#endif
    pthread_mutex_unlock(&trace__m.out_lock);
    if (bytes) trace__install_signals();
    return 0;
}

TRACE__WEAK int trace_set_buffer(size_t bytes) {
    trace__ensure();
    return trace__use_buffer(bytes);
}

TRACE__WEAK void trace_flush(void) {
    if (!trace__ready()) return;
    trace__route_flush();
    pthread_mutex_lock(&trace__m.out_lock);
    trace__flush_locked();
    pthread_mutex_unlock(&trace__m.out_lock);
}

TRACE__WEAK uint64_t trace_dropped(void) {
    return __atomic_load_n(&trace__g.dropped, TRACE__RELAXED);
}

TRACE__WEAK void trace_reload(void) {
    trace__ensure();
    pthread_mutex_lock(&trace__m.lock);
    trace__read_env();
    pthread_mutex_unlock(&trace__m.lock);
}

/* --- environment ----------------------------------------------------------- */

/* s (n bytes, at most 60 shown) with control bytes, '"', '\\' and non-ASCII
   escaped: a bad value cannot forge a line on stderr either. */
static inline void trace__escape_into(char *dst, size_t cap, const char *s, size_t n) {
    static const char hex[] = "0123456789abcdef";
    size_t o = 0, i;
    for (i = 0; i < n && i < 60 && o + 5 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') { dst[o++] = (char)c; continue; }
        dst[o++] = '\\';
        if (c == '\n') { dst[o++] = 'n'; continue; }
        if (c == '"' || c == '\\') { dst[o++] = (char)c; continue; }
        dst[o++] = 'x'; dst[o++] = hex[c >> 4]; dst[o++] = hex[c & 15];
    }
    if (i < n && o + 4 < cap) { memcpy(dst + o, "...", 3); o += 3; }
    dst[o] = 0;
}

TRACE__WEAK void trace__warn(const char *var, const char *val, const char *why,
                             const char *accepted, const char *fallback) {
    char msg[768], shown[256];
    int n;
    trace__escape_into(shown, sizeof shown, val, strlen(val));
    n = snprintf(msg, sizeof msg, "trace.h: warning: %s=\"%s\" %s; accepted: %s; using %s\n",
                 var, shown, why, accepted, fallback);
    if (n > 0) {
        ssize_t r = write(2, msg, (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1);
        (void)r;
    }
}

static inline int trace__ieq(const char *a, size_t n, const char *b) {
    size_t i;
    for (i = 0; i < n; i++) {
        char c = a[i];
        if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
        if (c != b[i]) return 0;
    }
    return b[n] == 0;
}

/* "INFO", "info", "20" ... -> level, or -1. */
TRACE__WEAK int trace__parse_level(const char *s, size_t n) {
    static const struct { const char *name; int level; } names[] = {
        { "DEBUG", 10 }, { "INFO", 20 }, { "WARNING", 30 }, { "WARN", 30 },
        { "ERROR", 40 }, { "CRITICAL", 50 }, { "10", 10 }, { "20", 20 },
        { "30", 30 }, { "40", 40 }, { "50", 50 } };
    size_t i;
    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        if (trace__ieq(s, n, names[i].name)) return names[i].level;
    return -1;
}

#define TRACE__LEVELS_ACCEPTED                                                 \
    "DEBUG, INFO, WARNING (or WARN), ERROR, CRITICAL (any case) or 10, 20, 30, 40, 50, " \
    "then optional module=LEVEL overrides separated by commas, e.g. INFO,db=DEBUG"

/* Parse LOG_LEVEL, LOG_FORMAT, LOG_BUFFER, NO_COLOR. Lock held. */
TRACE__WEAK void trace__read_env(void) {
    const char *v;
    int i, fd;
    size_t want = 0;

    trace__g.deflevel = TRACE_LEVEL_INFO;
    for (i = 2; i < trace__g.nslots; i++) trace__g.own[i] = -1;
    v = getenv("LOG_LEVEL");
    if (v && *v) {
        const char *p = v, *bad = NULL;
        size_t badn = 0;
        while (*p) {
            const char *e = strchr(p, ','), *eq;
            size_t n = e ? (size_t)(e - p) : strlen(p), kn;
            while (n && (*p == ' ' || *p == '\t')) { p++; n--; }
            while (n && (p[n - 1] == ' ' || p[n - 1] == '\t')) n--;
            eq = (const char *)memchr(p, '=', n);
            if (n == 0) {
                /* empty item: ignore "INFO," */
            } else if (!eq) {
                int lvl = trace__parse_level(p, n);
                if (lvl < 0 && !bad) { bad = p; badn = n; }
                if (lvl >= 0) trace__g.deflevel = lvl;
            } else {
                const char *lv = eq + 1;
                int lvl;
                while (lv < p + n && (*lv == ' ' || *lv == '\t')) lv++;
                lvl = trace__parse_level(lv, n - (size_t)(lv - p));
                kn = (size_t)(eq - p);
                while (kn && (p[kn - 1] == ' ' || p[kn - 1] == '\t')) kn--;
                if (lvl < 0 || kn == 0 || kn >= TRACE__NAME_MAX) {
                    if (!bad) { bad = p; badn = n; }
                } else {
                    char name[TRACE__NAME_MAX];
                    int slot;
                    memcpy(name, p, kn);
                    name[kn] = 0;
                    slot = trace__slot_of(name, 1);
                    if (slot >= 2) trace__g.own[slot] = lvl;
                }
            }
            if (!e) break;
            p = e + 1;
        }
        if (bad) {
            char why[320], shown[256];
            trace__escape_into(shown, sizeof shown, bad, badn);
            snprintf(why, sizeof why, "has \"%s\", which is not a level or module=LEVEL", shown);
            trace__warn("LOG_LEVEL", v, why, TRACE__LEVELS_ACCEPTED,
                        "INFO for the items that are not valid");
        }
    }
    trace__apply_levels();

    __atomic_store_n(&trace__g.format, TRACE_FORMAT_PLAIN, TRACE__RELAXED);
    v = getenv("LOG_FORMAT");
    if (v && *v) {
        size_t n = strlen(v);
        if (trace__ieq(v, n, "PLAIN")) __atomic_store_n(&trace__g.format, TRACE_FORMAT_PLAIN, TRACE__RELAXED);
        else if (trace__ieq(v, n, "JSON")) __atomic_store_n(&trace__g.format, TRACE_FORMAT_JSON, TRACE__RELAXED);
        else if (trace__ieq(v, n, "LOGFMT")) __atomic_store_n(&trace__g.format, TRACE_FORMAT_LOGFMT, TRACE__RELAXED);
        else trace__warn("LOG_FORMAT", v, "is not a format", "plain, json, logfmt", "plain");
    }

    v = getenv("LOG_BUFFER");
    if (v && *v && !trace__ieq(v, strlen(v), "OFF")) {
        char *end;
        unsigned long long n = strtoull(v, &end, 10);
        int shift = 0;
        if (end != v && (*end == 'k' || *end == 'K')) { shift = 10; end++; }
        else if (end != v && (*end == 'm' || *end == 'M')) { shift = 20; end++; }
        if (n > (256ULL << 20)) n = ~0ULL; /* too large, whatever the unit (and no overflow) */
        else n <<= shift;
        if (end == v || *end || v[0] < '0' || v[0] > '9' || (n && (n < 4096 || n > (256u << 20)))) {
            trace__warn("LOG_BUFFER", v, "is not a buffer size",
                        "0 or off (safe mode), or 4k to 256m (bytes, k or m)", "safe mode");
        } else {
            want = (size_t)n;
        }
    }

    __atomic_store_n(&trace__g.timing, 0, TRACE__RELAXED);
    v = getenv("TRACE_TIMING");
    if (v && *v) {
        size_t n = strlen(v);
        if (trace__ieq(v, n, "RECORDS")) __atomic_store_n(&trace__g.timing, 0, TRACE__RELAXED);
        else if (trace__ieq(v, n, "SUMMARY")) __atomic_store_n(&trace__g.timing, 1, TRACE__RELAXED);
        else if (trace__ieq(v, n, "OFF")) __atomic_store_n(&trace__g.timing, 2, TRACE__RELAXED);
        else trace__warn("TRACE_TIMING", v, "is not a timing mode", "records, summary, off", "records");
    }
    __atomic_store_n(&trace__g.cpu, 0, TRACE__RELAXED);
    v = getenv("TRACE_CPU");
    if (v && *v) {
        if (strcmp(v, "1") == 0) __atomic_store_n(&trace__g.cpu, 1, TRACE__RELAXED);
        else if (strcmp(v, "0") != 0) trace__warn("TRACE_CPU", v, "is not a switch", "0, 1", "0");
    }
    trace__g.sample_below = 0;
    v = getenv("TRACE_SAMPLE");
    if (v && *v) {
        /* a ratio 0..1 with up to 9 decimals, read without strtod (locale) */
        unsigned long long num = 0, den = 1;
        const char *p = v;
        int ok = 1, digits = 0;
        while (*p >= '0' && *p <= '9') { num = num * 10 + (unsigned)(*p++ - '0'); digits++; if (num > 1) ok = 0; }
        if (*p == '.') {
            p++;
            while (*p >= '0' && *p <= '9') {
                if (den < 1000000000ULL) { num = num * 10 + (unsigned)(*p - '0'); den *= 10; }
                p++; digits++;
            }
        }
        if (!ok || *p || !digits || num > den) {
            trace__warn("TRACE_SAMPLE", v, "is not a ratio", "a number from 0 to 1, e.g. 0.1", "0");
        } else {
            /* below = ratio * 2^56 */
            trace__g.sample_below = (uint64_t)((double)num / (double)den * 72057594037927936.0);
        }
    }
    {
        /* threads read the root without a lock: an unchanged one is left
           alone, a new one is made and then published */
        trace_ctx root;
        const trace_ctx *old = trace__root();
        memset(&root, 0, sizeof root);
        v = getenv("TRACEPARENT");
        if (v && *v && trace_traceparent_parse(v, &root) != 0) {
            memset(&root, 0, sizeof root);
            trace__warn("TRACEPARENT", v, "is not a W3C traceparent",
                        "00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>, lowercase, IDs not all zero",
                        "no trace");
        }
        if (memcmp(&root, old, sizeof root) != 0) {
            /* a new one, published whole; the old one stays (threads may
               hold it): a few bytes a changed TRACEPARENT, at reloads only */
            struct trace__root_box { trace_ctx ctx; const void *older; } *p = NULL;
            if (root.trace_hi | root.trace_lo) {
                p = (struct trace__root_box *)malloc(sizeof *p);
                if (p) {
                    p->ctx = root;
                    p->older = trace__g.root_older; /* kept reachable: not a leak */
                    trace__g.root_older = p;
                }
            }
            __atomic_store_n(&trace__g.root, p ? &p->ctx : NULL, __ATOMIC_RELEASE);
        }
        __atomic_store_n(&trace__g.root_set, (root.trace_hi | root.trace_lo) != 0, TRACE__RELAXED);
    }
    trace__apply_levels();

    fd = __atomic_load_n(&trace__g.fd, TRACE__RELAXED);
    pthread_mutex_lock(&trace__m.out_lock);
    trace__output_kind(fd);
    pthread_mutex_unlock(&trace__m.out_lock);

    if (want != __atomic_load_n(&trace__g.cap, TRACE__RELAXED)) (void)trace__use_buffer(want);
}

TRACE__WEAK void trace__init(void) {
    pthread_mutex_lock(&trace__m.lock);
    if (!trace__g.ready) {
        if (trace__g.nslots < 2) trace__g.nslots = 2;
        trace__g.fd = 1;
        trace__g.pid = (int)getpid();
        trace__read_env();
        trace__install_hooks();
        __atomic_store_n(&trace__g.ready, 1, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&trace__m.lock);
}

/* --- exit, fork and fatal signals ------------------------------------------ */

void trace_timing_flush(void);
/* At exit: the summaries, the buffer, then safe mode, so that records of
   later exit handlers and destructors are written as they come. */
TRACE__WEAK void trace__atexit(void) {
    trace_timing_flush();
    (void)trace__use_buffer(0);
}

TRACE__WEAK void trace__fork_prepare(void) {
    trace__route_flush(); /* the child must not write these records again either */
    pthread_mutex_lock(&trace__m.lock);
    pthread_mutex_lock(&trace__m.out_lock);
    trace__flush_locked(); /* the child must not write the parent's records again */
}
TRACE__WEAK void trace__fork_parent(void) {
    pthread_mutex_unlock(&trace__m.out_lock);
    pthread_mutex_unlock(&trace__m.lock);
}
TRACE__WEAK void trace__fork_child(void) {
    int i;
    trace__g.pid = (int)getpid();
    /* the child counts its own scopes only (the parent reports its own) */
    for (i = 0; i < TRACE__LABELS; i++) {
        trace__stat *st = trace__g.stats[i];
        if (!st) continue;
        st->total = st->max = 0;
        st->min = UINT64_MAX;
        memset(st->hist, 0, sizeof st->hist);
    }
    __atomic_add_fetch(&trace__g.epoch, 2, TRACE__RELAXED); /* new IDs: reseed */
    trace__tls.tid = 0;
    pthread_mutex_unlock(&trace__m.out_lock);
    pthread_mutex_unlock(&trace__m.lock);
}

TRACE__WEAK void trace__install_hooks(void) {
    if (trace__g.hooks) return;
    trace__g.hooks = 1;
    atexit(trace__atexit);
    pthread_atfork(trace__fork_prepare, trace__fork_parent, trace__fork_child);
}

#define TRACE__NSIG 9
static const int trace__fatal[TRACE__NSIG] TRACE__UNUSED = {
    SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTERM, SIGINT, SIGHUP, SIGQUIT };

/* Write what the buffer holds from a signal handler: only write(2). */
TRACE__WEAK void trace__flush_from_signal(int sig) {
    int locked = 0, tries, crash = sig != SIGINT && sig != SIGTERM && sig != SIGHUP && sig != SIGQUIT;
#if TRACE__STDIO_ROUTE
    if (trace__g.fd == 1) { /* the stdout route: what stdio holds, by write(2) */
        int got = !trace__tls.in_log && trace__ftrylockfile(stdout) == 0;
        if (got || crash) {
            char *b = stdout->_IO_write_base, *p = stdout->_IO_write_ptr;
            if (b && p > b) {
                (void)trace__write_all(1, b, (size_t)(p - b));
                stdout->_IO_write_ptr = b; /* written: never again */
            }
        }
        if (got) trace__funlockfile(stdout);
    }
#endif
    for (tries = 0; tries < 1000 && !locked; tries++) {
        locked = pthread_mutex_trylock(&trace__m.out_lock) == 0;
        if (!locked && trace__tls.in_log) break; /* this thread holds it */
    }
    if (locked) {
        trace__flush_locked();
        pthread_mutex_unlock(&trace__m.out_lock);
    } else if (crash) { /* the process is dying inside the logger: write what is complete */
        if (trace__g.buf && trace__g.len)
            (void)trace__write_all(trace__g.fd, trace__g.buf, trace__g.len);
    }
}

#if TRACE__HAVE_SIGACTION
TRACE__WEAK trace__sigact trace__old_act[TRACE__NSIG];

TRACE__WEAK void trace__on_signal(int sig, trace__siginfo *info, void *uc) {
    int i, saved = errno;
    trace__flush_from_signal(sig);
    for (i = 0; i < TRACE__NSIG; i++) {
        trace__sigact *old = &trace__old_act[i];
        if (trace__fatal[i] != sig) continue;
        if (old->sa_flags & TRACE__SA_SIGINFO) {
            TRACE__SA_ACTION(*old)(sig, info, uc);
        } else if (TRACE__SA_HANDLER(*old) == SIG_IGN) {
            /* ignored before us: stay ignored (abort() still ends the process) */
        } else if (TRACE__SA_HANDLER(*old) == SIG_DFL) {
            trace__sigaction(sig, old, NULL);
            raise(sig); /* delivered when this handler returns */
        } else {
            TRACE__SA_HANDLER(*old)(sig);
        }
    }
    errno = saved;
}

TRACE__WEAK void trace__install_signals(void) {
    int i;
    if (__atomic_exchange_n(&trace__g.signals, 1, __ATOMIC_ACQ_REL)) return;
    for (i = 0; i < TRACE__NSIG; i++) {
        trace__sigact sa;
        memset(&sa, 0, sizeof sa);
        if (trace__sigaction(trace__fatal[i], NULL, &trace__old_act[i]) != 0) continue;
        if (!(trace__old_act[i].sa_flags & TRACE__SA_SIGINFO) &&
            TRACE__SA_HANDLER(trace__old_act[i]) == SIG_IGN)
            continue; /* nohup and friends: leave it ignored */
        TRACE__SA_ACTION(sa) = trace__on_signal;
        sa.sa_flags = TRACE__SA_SIGINFO | TRACE__SA_RESTART;
        TRACE__SA_FILL(sa);
        trace__sigaction(trace__fatal[i], &sa, NULL);
    }
}
#else
typedef void (*trace__handler)(int);
TRACE__WEAK trace__handler trace__old_handler[TRACE__NSIG];

TRACE__WEAK void trace__on_signal(int sig) {
    int i, saved = errno;
    trace__flush_from_signal(sig);
    for (i = 0; i < TRACE__NSIG; i++) {
        if (trace__fatal[i] != sig) continue;
        if (trace__old_handler[i] == SIG_DFL) {
            signal(sig, SIG_DFL);
            raise(sig);
        } else if (trace__old_handler[i] != SIG_IGN && trace__old_handler[i] != SIG_ERR) {
            signal(sig, trace__on_signal);
            trace__old_handler[i](sig);
        }
    }
    errno = saved;
}

TRACE__WEAK void trace__install_signals(void) {
    int i;
    if (__atomic_exchange_n(&trace__g.signals, 1, __ATOMIC_ACQ_REL)) return;
    for (i = 0; i < TRACE__NSIG; i++) {
        trace__handler old = signal(trace__fatal[i], trace__on_signal);
        if (old == SIG_IGN) signal(trace__fatal[i], SIG_IGN);
        trace__old_handler[i] = old;
    }
}
#endif

/* --- clock and timestamp --------------------------------------------------- */

static inline long long trace__ns(const struct timespec *t) {
    return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

/* "YYYY-MM-DDTHH:MM:SS" for a Unix second, in UTC, from the civil calendar
   (days counted in 400-year eras from 0000-03-01). */
static inline void trace__civil(long long sec, char out[20]) {
    long long days = sec >= 0 ? sec / 86400 : -((-sec + 86399) / 86400);
    long long rem = sec - days * 86400;
    long long z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    long long d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    long long y = yoe + era * 400 + (m <= 2);
    int hh = (int)(rem / 3600), mm = (int)(rem / 60 % 60), ss = (int)(rem % 60), i;
    if (y < 0) y = 0;
    if (y > 9999) y = 9999;
    for (i = 3; i >= 0; i--) { out[i] = (char)('0' + y % 10); y /= 10; }
    out[4] = '-'; out[5] = (char)('0' + m / 10); out[6] = (char)('0' + m % 10);
    out[7] = '-'; out[8] = (char)('0' + d / 10); out[9] = (char)('0' + d % 10);
    out[10] = 'T'; out[11] = (char)('0' + hh / 10); out[12] = (char)('0' + hh % 10);
    out[13] = ':'; out[14] = (char)('0' + mm / 10); out[15] = (char)('0' + mm % 10);
    out[16] = ':'; out[17] = (char)('0' + ss / 10); out[18] = (char)('0' + ss % 10);
    out[19] = 0;
}

/* --- encoders -------------------------------------------------------------- */

/* A bounded writer: `end` keeps room for the closing bytes of a cut record. */
typedef struct trace__w {
    char *p;
    char *end;
    int full;
} trace__w;

#define TRACE__TAIL 32 /* room for `","truncated":true}\n` and the like */
#define TRACE__KEEP 128 /* a cut message's room for logger, trace and span */
#define TRACE__BUF (TRACE_RECORD_MAX + TRACE__TAIL) /* a record being encoded */

TRACE__INLINE void trace__put(trace__w *w, const char *s, size_t n) {
    if ((size_t)(w->end - w->p) < n) { w->full = 1; return; }
    memcpy(w->p, s, n);
    w->p += n;
}
TRACE__INLINE void trace__putc(trace__w *w, char c) {
    if (w->p >= w->end) { w->full = 1; return; }
    *w->p++ = c;
}
#define TRACE__PUTS(w, lit) trace__put((w), (lit), sizeof(lit) - 1)

/* n bytes of a 16- or 32-byte source: a constant-size copy (no memcpy call),
   then the writer moves on by n. */
TRACE__INLINE void trace__put_fixed16(trace__w *w, const char *s, size_t n) {
    if ((size_t)(w->end - w->p) < 16) { trace__put(w, s, n); return; }
    memcpy(w->p, s, 16);
    w->p += n;
}
TRACE__INLINE void trace__put_fixed32(trace__w *w, const char *s, size_t n) {
    if ((size_t)(w->end - w->p) < 32) { trace__put(w, s, n); return; }
    memcpy(w->p, s, 32);
    w->p += n;
}

/* "000_" .. "999_": three digits and a filler, 4 bytes each. */
#define TRACE__D3U(h, t) h t "0_" h t "1_" h t "2_" h t "3_" h t "4_" h t "5_" h t "6_" h t "7_" h t "8_" h t "9_"
#define TRACE__D3T(h) TRACE__D3U(h, "0") TRACE__D3U(h, "1") TRACE__D3U(h, "2") TRACE__D3U(h, "3") \
    TRACE__D3U(h, "4") TRACE__D3U(h, "5") TRACE__D3U(h, "6") TRACE__D3U(h, "7") TRACE__D3U(h, "8") \
    TRACE__D3U(h, "9")
#define trace__digits3 trace__digits3_v0_2
#ifdef __cplusplus
#define TRACE__CONST_LINK extern const /* const alone is internal in C++ */
#else
#define TRACE__CONST_LINK const
#endif
TRACE__WEAK TRACE__CONST_LINK char trace__digits3[4001] =
    TRACE__D3T("0") TRACE__D3T("1") TRACE__D3T("2") TRACE__D3T("3") TRACE__D3T("4")
    TRACE__D3T("5") TRACE__D3T("6") TRACE__D3T("7") TRACE__D3T("8") TRACE__D3T("9");
#undef TRACE__D3U
#undef TRACE__D3T
#undef TRACE__CONST_LINK
static const char trace__digits2[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";
/* Decimal digits of v: from its bit length (log10(2) ~ 1233/4096), then one
   compare. */
static inline int trace__digits10(unsigned long long v) {
    static const unsigned long long p10[20] = {
        1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL,
        100000000ULL, 1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL,
        10000000000000ULL, 100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
        100000000000000000ULL, 1000000000000000000ULL, 10000000000000000000ULL };
    int d = (int)(((64u - (unsigned)__builtin_clzll(v | 1)) * 1233u) >> 12);
    return d + ((v | 1) >= p10[d]);
}
/* Writes the n decimal digits of v ending at end (two at a time). */
static inline void trace__digits_at(char *end, unsigned long long v, int n) {
    while (n >= 2) {
        unsigned d = (unsigned)(v % 100) * 2;
        v /= 100;
        *--end = trace__digits2[d + 1];
        *--end = trace__digits2[d];
        n -= 2;
    }
    if (n) *--end = (char)('0' + v % 10);
}
static inline void trace__put_u64(trace__w *w, unsigned long long v) {
    int n = trace__digits10(v);
    if (w->end - w->p < n) { w->full = 1; return; }
    trace__digits_at(w->p + n, v, n);
    w->p += n;
}
static inline void trace__put_i64(trace__w *w, long long v) {
    if (v < 0) {
        trace__putc(w, '-');
        trace__put_u64(w, 0ULL - (unsigned long long)v);
    } else {
        trace__put_u64(w, (unsigned long long)v);
    }
}
/* 16 lowercase hex digits of v, a byte (two digits) at a time. */
static inline void trace__put_hex(trace__w *w, unsigned long long v, int digits) {
    static const char hex2[513] =
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
        "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
        "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
        "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
        "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
        "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
        "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
        "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";
    char tmp[16];
    int i;
    for (i = 7; i >= 0; i--) {
        memcpy(tmp + 2 * i, hex2 + 2 * (v & 255), 2);
        v >>= 8;
    }
    trace__put(w, tmp + 16 - digits, (size_t)digits);
}
/* Nanoseconds as milliseconds with three decimals: 12345678 -> 12.345 */
static inline void trace__put_ms3(trace__w *w, long long ns) {
    unsigned long long us;
    char frac[4];
    if (ns < 0) { trace__putc(w, '-'); ns = -ns; }
    us = (unsigned long long)ns / 1000;
    trace__put_u64(w, us / 1000);
    frac[0] = '.';
    frac[1] = (char)('0' + us / 100 % 10);
    frac[2] = (char)('0' + us / 10 % 10);
    frac[3] = (char)('0' + us % 10);
    trace__put(w, frac, 4);
}

static TRACE__NOINLINE void trace__put_dbl_slow(trace__w *w, double d) {
    char tmp[40], *q;
    int n, i, j = 0, dot = 0;
    n = snprintf(tmp, sizeof tmp, "%.15g", d);
    if (n > 0 && strtod(tmp, &q) != d) n = snprintf(tmp, sizeof tmp, "%.16g", d);
    if (n > 0 && strtod(tmp, &q) != d) n = snprintf(tmp, sizeof tmp, "%.17g", d);
    if (n <= 0 || n >= (int)sizeof tmp) { trace__putc(w, '0'); return; }
    for (i = 0; i < n; i++) {
        char c = tmp[i];
        if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == 'e' || c == 'E') {
            tmp[j++] = c;
            dot = 0;
        } else if (!dot) {
            tmp[j++] = '.'; /* the locale's decimal point, whatever its bytes */
            dot = 1;
        }
    }
    trace__put(w, tmp, (size_t)j);
}

/* A double in the fewest decimals that read back as the same value. Fast
   path: the smallest k <= 15 for which d * 10^k is an integer N below 2^53
   and N / 10^k (a correctly rounded division, as strtod rounds) is d again;
   then N is printed by hand. Other values go through %.15g..%.17g with the
   locale's decimal point replaced. Non-finite values: json writes the
   strings "NaN", "Infinity", "-Infinity"; plain and logfmt NaN, +Inf, -Inf. */
static inline void trace__put_dbl(trace__w *w, double d, int json) {
    static const double p10[16] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
                                    1e10, 1e11, 1e12, 1e13, 1e14, 1e15 };
    double a;
    int k;
    if (d != d) { if (json) TRACE__PUTS(w, "\"NaN\""); else TRACE__PUTS(w, "NaN"); return; }
    if (d > 1.7976931348623157e308) {
        if (json) TRACE__PUTS(w, "\"Infinity\""); else TRACE__PUTS(w, "+Inf");
        return;
    }
    if (d < -1.7976931348623157e308) {
        if (json) TRACE__PUTS(w, "\"-Infinity\""); else TRACE__PUTS(w, "-Inf");
        return;
    }
    a = d < 0 ? -d : d;
    if (a >= 1e-6 && a < 9007199254740992.0) {
        for (k = 0; k < 16; k++) {
            double t = a * p10[k];
            unsigned long long n;
            if (t >= 9007199254740992.0) break;
            n = (unsigned long long)(t + 0.5); /* the nearest integer */
            if ((double)n / p10[k] == a) {
                /* n / 10^k rounds to a, as strtod would: n with k decimals */
                char tmp[24];
                int digits, whole;
                digits = trace__digits10(n);
                if (digits <= k) digits = k + 1; /* 0.0025: leading zeros */
                trace__digits_at(tmp + 24, n, digits);
                whole = digits - k;
                if ((size_t)(w->end - w->p) < (size_t)digits + 2) { w->full = 1; return; }
                if (d < 0) *w->p++ = '-';
                memcpy(w->p, tmp + 24 - digits, (size_t)whole);
                w->p += whole;
                if (k) {
                    *w->p++ = '.';
                    memcpy(w->p, tmp + 24 - k, (size_t)k);
                    w->p += k;
                }
                return;
            }
        }
    } else if (a == 0) {
        if (1 / d < 0) TRACE__PUTS(w, "-0"); else trace__putc(w, '0');
        return;
    }
    trace__put_dbl_slow(w, d);
}

/* Length of a valid UTF-8 sequence at s (n bytes left), or 0. */
static inline int trace__utf8(const unsigned char *s, size_t n) {
    unsigned char c = s[0];
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        unsigned char lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
        return n >= 3 && s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        unsigned char lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        return n >= 4 && s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 &&
                       (s[3] & 0xC0) == 0x80 ? 4 : 0;
    }
    return 0;
}

/* Bytes that every format copies as they are: 0x20..0x7e except '"' and '\'.
   trace__bad8 tests eight of them at once (SWAR), the table one at a time. */
#define TRACE__ONES 0x0101010101010101ULL
#define TRACE__HIGH 0x8080808080808080ULL
#define TRACE__HASZERO(x) (((x) - TRACE__ONES) & ~(x) & TRACE__HIGH)
#define TRACE__R16(a) a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a
static const unsigned char trace__ok[256] = {
    TRACE__R16(0), TRACE__R16(0),
    1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  /* 0x20: '"' */
    TRACE__R16(1), TRACE__R16(1),
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,  /* 0x50: '\' */
    TRACE__R16(1),
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,  /* 0x70: DEL */
    TRACE__R16(0), TRACE__R16(0), TRACE__R16(0), TRACE__R16(0),
    TRACE__R16(0), TRACE__R16(0), TRACE__R16(0), TRACE__R16(0) };
#undef TRACE__R16

TRACE__INLINE unsigned long long trace__bad8(const unsigned char *s, int key) {
    unsigned long long x, bad;
    memcpy(&x, s, 8);
    bad = ((x | (x + TRACE__ONES)) & TRACE__HIGH)                 /* >= 0x7f */
          | ((x - 0x20 * TRACE__ONES) & ~x & TRACE__HIGH)         /* < 0x20 */
          | TRACE__HASZERO(x ^ (0x22 * TRACE__ONES)) | TRACE__HASZERO(x ^ (0x5c * TRACE__ONES));
    if (key) /* plain and logfmt keys: no '=' and no space either */
        bad |= TRACE__HASZERO(x ^ (0x3d * TRACE__ONES)) | TRACE__HASZERO(x ^ (0x20 * TRACE__ONES));
    return bad;
}
TRACE__INLINE unsigned trace__bad4(const unsigned char *s, int key) {
    unsigned x, bad;
    memcpy(&x, s, 4);
    bad = ((x | (x + 0x01010101u)) & 0x80808080u) | ((x - 0x20202020u) & ~x & 0x80808080u) |
          (((x ^ 0x22222222u) - 0x01010101u) & ~(x ^ 0x22222222u) & 0x80808080u) |
          (((x ^ 0x5c5c5c5cu) - 0x01010101u) & ~(x ^ 0x5c5c5c5cu) & 0x80808080u);
    if (key)
        bad |= (((x ^ 0x3d3d3d3du) - 0x01010101u) & ~(x ^ 0x3d3d3d3du) & 0x80808080u) |
               (((x ^ 0x20202020u) - 0x01010101u) & ~(x ^ 0x20202020u) & 0x80808080u);
    return bad;
}

#if defined(__SSE2__)
#include <emmintrin.h>
/* Sixteen bytes at once (SSE2, part of every x86-64): the mask of bytes that
   are not plain. One signed compare flags both < 0x20 and >= 0x80; then '"',
   '\\' and DEL (keys: '=' and ' ' too). */
TRACE__INLINE int trace__bad16(const unsigned char *s, int key) {
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)s);
    __m128i bad = _mm_cmplt_epi8(x, _mm_set1_epi8(0x20));
    bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8(0x22)));
    bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8(0x5c)));
    bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7f)));
    if (key) {
        bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8(0x3d)));
        bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8(0x20)));
    }
    return _mm_movemask_epi8(bad);
}
#endif

/* Copy s when every byte of it is plain (for keys: not '=' or ' ' either)
   and it fits: the fast path of every string in a record. Short strings
   are tested with two overlapping words instead of byte by byte. */
TRACE__INLINE int trace__put_clean(trace__w *w, const char *str, size_t n, int key) {
    const unsigned char *s = (const unsigned char *)str;
    char *p = w->p;
    size_t i;
    if (n > (size_t)(w->end - p)) return 0;
#if defined(__SSE2__)
    if (n >= 16) { /* overlapping loads: never outside [s, s + n) */
        for (i = 0; i + 16 < n; i += 16) {
            if (trace__bad16(s + i, key)) return 0;
            memcpy(p + i, s + i, 16);
        }
        if (trace__bad16(s + n - 16, key)) return 0;
        memcpy(p + n - 16, s + n - 16, 16);
    } else
#endif
    if (n >= 8) {
        for (i = 0; i + 8 < n; i += 8) {
            if (trace__bad8(s + i, key)) return 0;
            memcpy(p + i, s + i, 8);
        }
        if (trace__bad8(s + n - 8, key)) return 0;
        memcpy(p + n - 8, s + n - 8, 8);
    } else if (n >= 4) {
        if (trace__bad4(s, key) | trace__bad4(s + n - 4, key)) return 0;
        memcpy(p, s, 4);
        memcpy(p + n - 4, s + n - 4, 4);
    } else {
        for (i = 0; i < n; i++) {
            if (!trace__ok[s[i]] || (key && (s[i] == '=' || s[i] == ' '))) return 0;
            p[i] = (char)s[i];
        }
    }
    w->p = p + n;
    return 1;
}


/* Length of the leading run of such bytes. */
/* Are all n bytes such bytes? Whole words, the last one overlapping. */
TRACE__INLINE int trace__all_ok(const unsigned char *s, size_t n) {
    size_t i;
#if defined(__SSE2__)
    if (n >= 16) {
        for (i = 0; i + 16 < n; i += 16)
            if (trace__bad16(s + i, 0)) return 0;
        return !trace__bad16(s + n - 16, 0);
    }
#endif
    if (n >= 8) {
        for (i = 0; i + 8 < n; i += 8)
            if (trace__bad8(s + i, 0)) return 0;
        return !trace__bad8(s + n - 8, 0);
    }
    if (n >= 4) return !(trace__bad4(s, 0) | trace__bad4(s + n - 4, 0));
    for (i = 0; i < n; i++)
        if (!trace__ok[s[i]]) return 0;
    return 1;
}

static inline size_t trace__run(const unsigned char *s, size_t n) {
    size_t i = 0;
#if defined(__SSE2__)
    while (i + 16 <= n && !trace__bad16(s + i, 0)) i += 16;
#endif
    while (i + 8 <= n && !trace__bad8(s + i, 0)) i += 8;
    while (i < n && trace__ok[s[i]]) i++;
    return i;
}

/* Escaped text. json: RFC 8259 escapes, invalid UTF-8 as \ufffd. Otherwise
   (plain, logfmt): \n \r \t \xNN for control bytes, DEL and invalid UTF-8;
   `quoted` also escapes '"' and '\'. Stops cleanly when the writer is full:
   no escape sequence or character is ever cut in half. */
static TRACE__NOINLINE void trace__put_text_slow(trace__w *w, const char *str, size_t n, int json,
                                                 int quoted) {
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)str, *e = s + n;
    while (s < e) {
        char *p = w->p, esc[8];
        size_t room = (size_t)(w->end - p), en;
        int k;
        /* copy the clean run while it fits: eight bytes a step, then one */
        while ((size_t)(e - s) >= 8 && room >= 8 && !trace__bad8(s, 0)) {
            memcpy(p, s, 8);
            p += 8; s += 8; room -= 8;
        }
        while (s < e && room && trace__ok[*s]) { *p++ = (char)*s++; room--; }
        w->p = p;
        if (s == e) return;
        if (trace__ok[*s]) { w->full = 1; return; } /* out of room */
        if (*s >= 0x80) {
            k = trace__utf8(s, (size_t)(e - s));
            /* U+FFFD itself is written as \ufffd too, so one string has one
               encoding (and written keys compare as parsed keys do) */
            if (k == 3 && json && s[0] == 0xEF && s[1] == 0xBF && s[2] == 0xBD) k = -3;
            /* plain and logfmt: C1 controls (NEL is a line break to some
               readers) and U+2028/U+2029 are escaped, byte by byte */
            if (!json && ((k == 2 && s[0] == 0xC2 && s[1] < 0xA0) ||
                          (k == 3 && s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0xA8 || s[2] == 0xA9))))
                k = -k;
            if (k > 0) { trace__put(w, (const char *)s, (size_t)k); if (w->full) return; s += k; continue; }
            if (json) { memcpy(esc, "\\ufffd", 6); en = 6; if (k == -3) s += 2; }
            else { esc[0] = '\\'; esc[1] = 'x'; esc[2] = hex[*s >> 4]; esc[3] = hex[*s & 15]; en = 4; }
        } else if ((*s == '"' || *s == '\\') && (json || quoted)) {
            esc[0] = '\\'; esc[1] = (char)*s; en = 2;
        } else if (*s == '"' || *s == '\\') {
            esc[0] = (char)*s; en = 1;
        } else if (*s == '\n') { esc[0] = '\\'; esc[1] = 'n'; en = 2;
        } else if (*s == '\r') { esc[0] = '\\'; esc[1] = 'r'; en = 2;
        } else if (*s == '\t') { esc[0] = '\\'; esc[1] = 't'; en = 2;
        } else if (json && *s == 0x7f) { esc[0] = 0x7f; en = 1;
        } else if (json) {
            memcpy(esc, "\\u00", 4); esc[4] = hex[*s >> 4]; esc[5] = hex[*s & 15]; en = 6;
        } else {
            esc[0] = '\\'; esc[1] = 'x'; esc[2] = hex[*s >> 4]; esc[3] = hex[*s & 15]; en = 4;
        }
        trace__put(w, esc, en);
        if (w->full) return;
        s++;
    }
}

TRACE__INLINE void trace__put_text(trace__w *w, const char *s, size_t n, int json, int quoted) {
    if (!trace__put_clean(w, s, n, 0)) trace__put_text_slow(w, s, n, json, quoted);
}

/* plain/logfmt: does this value need quotes? */
static inline int trace__needs_quotes(const char *s, size_t n) {
    size_t i;
    if (n == 0) return 1;
    for (i = 0; i + 8 <= n; i += 8)
        if (trace__bad8((const unsigned char *)s + i, 1)) break;
    for (; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= ' ' || c == '=' || c == '"' || c == 0x7f) return 1;
    }
    return 0;
}

/* plain/logfmt key: bytes that would break key=value become '_'. */
static TRACE__NOINLINE void trace__put_key_slow(trace__w *w, const char *k) {
    for (; *k && !w->full; k++) {
        unsigned char c = (unsigned char)*k;
        trace__putc(w, (c <= ' ' || c == '=' || c == '"' || c >= 0x7f) ? '_' : (char)c);
    }
}

TRACE__INLINE void trace__put_key(trace__w *w, const char *k, size_t n) {
    if (!trace__put_clean(w, k, n, 1)) trace__put_key_slow(w, k);
}

/* Keys the record writes itself: ts, lvl, msg, logger, trace, span, and
   truncated (the marker of a cut record). */
static inline int trace__reserved_name(const char *k, size_t n) {
    switch (n) {
    case 2: return k[0] == 't' && k[1] == 's';
    case 3: return (k[0] == 'l' && k[1] == 'v' && k[2] == 'l') ||
                   (k[0] == 'm' && k[1] == 's' && k[2] == 'g');
    case 4: return memcmp(k, "span", 4) == 0;
    case 5: return memcmp(k, "trace", 5) == 0;
    case 6: return memcmp(k, "logger", 6) == 0;
    case 9: return memcmp(k, "truncated", 9) == 0;
    default: return 0;
    }
}

/* A bit for a written key (its length and first and last bytes): keys whose
   bit is not yet set in the record's mask are new, without a compare. */
static inline unsigned long long trace__key_bit(const char *k, size_t n) {
    uint32_t x = (uint32_t)(unsigned char)k[0] | (uint32_t)(unsigned char)k[n ? n - 1 : 0] << 8 |
                 (uint32_t)n << 16;
    return 1ULL << ((x * 0x9E3779B1u) >> 26);
}
/* The bits of ts, lvl, msg, logger, trace, span and truncated (36, 36, 7,
   19, 61, 51, 40). */
#define TRACE__RESERVED_BITS 0x2008011000080080ULL

/* Is the written key ks[0..n) a reserved name or one of the earlier keys
   (at buf + off[j], len[j] bytes)? (Asked only when its bit is set.) */
static TRACE__NOINLINE int trace__key_taken(const char *buf, const char *ks, size_t n,
                                            const size_t *off, const size_t *len, int i) {
    int j;
    if (trace__reserved_name(ks, n)) return 1;
    for (j = 0; j < i; j++)
        if (len[j] == n && memcmp(buf + off[j], ks, n) == 0) return 1;
    return 0;
}

TRACE__INLINE void trace__put_value(trace__w *w, const trace__field *f, int json) {
    switch (f->type) {
    case TRACE__T_STR:
        if (!f->v.s) { TRACE__PUTS(w, "null"); break; }
        if (!json && f->len && trace__put_clean(w, f->v.s, f->len, 1)) break; /* bare */
        if (json && (size_t)(w->end - w->p) > f->len + 2) { /* "clean": quotes unchecked */
            char *o = w->p++;
            if (trace__put_clean(w, f->v.s, f->len, 0)) {
                *o = '"';
                *w->p++ = '"';
                break;
            }
            w->p = o;
        }
        {
            size_t n = f->len;
            int q = json || trace__needs_quotes(f->v.s, n);
            if (q) trace__putc(w, '"');
            trace__put_text(w, f->v.s, n, json, q);
            if (q) { if (w->full) w->end += TRACE__TAIL / 2; trace__putc(w, '"'); }
        }
        break;
    case TRACE__T_I64: trace__put_i64(w, f->v.i); break;
    case TRACE__T_U64: trace__put_u64(w, f->v.u); break;
    case TRACE__T_DBL: trace__put_dbl(w, f->v.d, json); break;
    case TRACE__T_BOOL:
        if (f->v.i) TRACE__PUTS(w, "true"); else TRACE__PUTS(w, "false");
        break;
    case TRACE__T_PTR:
        if (!f->v.p) { TRACE__PUTS(w, "null"); break; }
        if (json) trace__putc(w, '"');
        TRACE__PUTS(w, "0x");
        trace__put_hex(w, (unsigned long long)(uintptr_t)f->v.p, (int)sizeof(void *) * 2);
        if (json) trace__putc(w, '"');
        break;
    case TRACE__T_MS3: trace__put_ms3(w, f->v.i); break;
    case TRACE__T_HEX64:
        if (json) trace__putc(w, '"');
        trace__put_hex(w, f->v.u, 16);
        if (json) trace__putc(w, '"');
        break;
    default: TRACE__PUTS(w, "null"); break;
    }
}

/* Per level: the plain tag, the json and logfmt text between the timestamp
   and the message, and the colour. One memcpy each. */
typedef struct trace__lvtext {
    char tag[16], json[32], logfmt[32], color[16]; /* copied whole, advanced by n* */
    unsigned char ntag, njson, nlogfmt, ncolor;
} trace__lvtext;
#define TRACE__LV(tag, json, logfmt, color)                                    \
    { tag, json, logfmt, color, sizeof tag - 1, sizeof json - 1, sizeof logfmt - 1, sizeof color - 1 }
static const trace__lvtext trace__lv[5] = {
    TRACE__LV("[DEBUG]", "Z\",\"lvl\":\"DEBUG\",\"msg\":\"", "Z lvl=debug msg=", "\033[36m"),
    TRACE__LV("[INFO]", "Z\",\"lvl\":\"INFO\",\"msg\":\"", "Z lvl=info msg=", "\033[32m"),
    TRACE__LV("[WARNING]", "Z\",\"lvl\":\"WARNING\",\"msg\":\"", "Z lvl=warning msg=", "\033[33m"),
    TRACE__LV("[ERROR]", "Z\",\"lvl\":\"ERROR\",\"msg\":\"", "Z lvl=error msg=", "\033[31m"),
    TRACE__LV("[CRITICAL]", "Z\",\"lvl\":\"CRITICAL\",\"msg\":\"", "Z lvl=critical msg=",
              "\033[1;31m"),
};
#undef TRACE__LV


/* Everything before the message text. */
TRACE__INLINE void trace__enc_head(trace__w *w, const trace__site *s, int format,
                                   const struct timespec *now) {
    const trace__lvtext *lv = &trace__lv[s->level_index];
    unsigned v;
    if (format == TRACE_FORMAT_PLAIN) {
        int color = __atomic_load_n(&trace__g.color, TRACE__RELAXED);
        if (color) trace__put(w, lv->color, lv->ncolor);
        trace__put_fixed16(w, lv->tag, lv->ntag);
        if (color) TRACE__PUTS(w, "\033[0m");
        trace__putc(w, ' ');
        if (!(s->module[0] == 'a' && s->module[1] == 'p' && s->module[2] == 'p' && !s->module[3])) {
            trace__put_key(w, s->module, (size_t)s->module_len);
            TRACE__PUTS(w, ": ");
        }
        return;
    }
    if (now->tv_sec != trace__tls.ts_sec || !trace__tls.ts_prefix[0]) {
        trace__civil((long long)now->tv_sec, trace__tls.ts_prefix);
        trace__tls.ts_sec = (long long)now->tv_sec;
    }
    v = (unsigned)now->tv_nsec / 1000u; /* tv_nsec < 10^9 */
    {
        /* the head is short and the writer empty: no checks needed */
        int json = format == TRACE_FORMAT_JSON;
        char *p = w->p + (json ? 7 : 3);
        if (json) memcpy(w->p, "{\"ts\":\"", 8); else memcpy(w->p, "ts=", 4);
        memcpy(p, trace__tls.ts_prefix, 20);
        p[19] = '.';
        /* 4 bytes a 3-digit group; the 4th is overwritten next */
        memcpy(p + 20, trace__digits3 + v / 1000u * 4, 4);
        memcpy(p + 23, trace__digits3 + v % 1000u * 4, 4);
        memcpy(p + 26, json ? lv->json : lv->logfmt, 32);
        w->p = p + 26 + (json ? lv->njson : lv->nlogfmt);
    }
}

/* The message text. From msg, or from fmt formatted in place: when the result
   needs no escaping (the common case) it stays where vsnprintf put it. Returns
   whether logfmt quoted it; sets *cut when it was cut. */
int trace__enc_fmt_slow(trace__w *w, int format, size_t n);

/* Plain text needs escaping for control bytes, DEL and non-ASCII only. */
TRACE__INLINE int trace__plain_ok(const unsigned char *s, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        unsigned long long x;
        memcpy(&x, s + i, 8);
        if (((x | (x + TRACE__ONES)) | ((x - 0x20 * TRACE__ONES) & ~x)) & TRACE__HIGH) return 0;
    }
    for (; i < n; i++)
        if (s[i] < 0x20 || s[i] >= 0x7f) return 0;
    return 1;
}

/* printf-style message, formatted in place; when it needs escaping or logfmt
   quotes (rare), it is copied aside and written again. */
TRACE__INLINE int trace__enc_fmt(trace__w *w, int format, const char *fmt, va_list *ap, int *cut) {
    size_t n, room = (size_t)(w->end - w->p);
    const unsigned char *m = (const unsigned char *)w->p;
    int r = vsnprintf(w->p, room, fmt, *ap);
    if (r < 0) r = 0;
    n = (size_t)r < room ? (size_t)r : room ? room - 1 : 0;
    if ((size_t)r >= room) *cut = w->full = 1; /* the tail closes the string */
    if (format == TRACE_FORMAT_PLAIN ? trace__plain_ok(m, n)
                                     : trace__all_ok(m, n) &&
                                           !(format == TRACE_FORMAT_LOGFMT && trace__needs_quotes(w->p, n))) {
        w->p += n;
        return 0;
    }
    return trace__enc_fmt_slow(w, format, n);
}

TRACE__INLINE int trace__enc_msg(trace__w *w, int format, const char *msg, size_t n,
                                 const char *fmt, va_list *ap, int *cut) {
    int q = 0;
    if (fmt) return trace__enc_fmt(w, format, fmt, ap, cut);
    if (format == TRACE_FORMAT_LOGFMT && n && trace__put_clean(w, msg, n, 1)) return 0;
    if (format == TRACE_FORMAT_LOGFMT && trace__needs_quotes(msg, n)) {
        q = 1;
        trace__putc(w, '"');
    }
    trace__put_text(w, msg, n, format == TRACE_FORMAT_JSON, q);
    return q;
}
TRACE__WEAK int trace__enc_fmt_slow(trace__w *w, int format, size_t n) {
    char tmp[TRACE_RECORD_MAX];
    const char *msg = tmp;
    int json = format == TRACE_FORMAT_JSON, q = 0;
    memcpy(tmp, w->p, n);
    if (format == TRACE_FORMAT_LOGFMT && trace__needs_quotes(msg, n)) {
        q = 1;
        trace__putc(w, '"');
    }
    trace__put_text(w, msg, n, json, q);
    return q;
}

uint64_t trace__span_of(trace_scope *sc);

/* Any trace or span to write? (Three loads, usually all zero.) */
TRACE__INLINE int trace__ids_present(void) {
    return trace__tls.top || trace__tls.has_ctx || trace__tls.rec ||
           __atomic_load_n(&trace__g.root_set, TRACE__RELAXED);
}

/* Keep a slot's encoded logger chunk for the next records. */
TRACE__WEAK void trace__logger_made(int slot, const char *from, const char *to) {
    pthread_mutex_lock(&trace__m.lock);
    if (!trace__g.logger_len[slot]) {
        memcpy(trace__g.logger[slot], from, (size_t)(to - from));
        __atomic_store_n(&trace__g.logger_len[slot], (unsigned char)(to - from), __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&trace__m.lock);
}

/* "trace" and "span" of the context in force, as the first fields. */
TRACE__INLINE void trace__drop_ended(void);
static inline void trace__put_ids(trace__w *w, int json) {
    const trace_ctx *c = trace__tls.has_ctx ? &trace__tls.ctx : trace__root();
    uint64_t span;
    trace__drop_ended();
    span = trace__tls.top ? trace__span_of(trace__tls.top) : c->span;
    uint64_t hi = c->trace_hi, lo = c->trace_lo;
    if (trace__tls.rec) { /* a timing record: the scope's own IDs */
        span = trace__span_of(trace__tls.rec);
        hi = trace__tls.rec->trace_hi;
        lo = trace__tls.rec->trace_lo;
    }
    if (hi | lo) {
        if (json) TRACE__PUTS(w, ",\"trace\":\""); else TRACE__PUTS(w, " trace=");
        trace__put_hex(w, hi, 16);
        trace__put_hex(w, lo, 16);
        if (json) trace__putc(w, '"');
    }
    if (span) {
        if (json) TRACE__PUTS(w, ",\"span\":\""); else TRACE__PUTS(w, " span=");
        trace__put_hex(w, span, 16);
        if (json) trace__putc(w, '"');
    }
}

/* trace and span (when present) whole, or nothing: 0 when they do not fit. */
static inline int trace__put_ids_whole(trace__w *w, int json) {
    char *mark = w->p;
    if (!trace__ids_present()) return 1;
    trace__put_ids(w, json);
    if (!w->full) return 1;
    w->p = mark;
    return 0;
}

/* Everything after the message text, newline included. Returns the length.
   keep: the cut pass, whose message stopped TRACE__KEEP bytes short, so that
   a cut message still has its logger, trace and span. Whatever part of the
   tail does not fit is taken out whole: a cut record is valid JSON too. */
TRACE__INLINE size_t trace__enc_tail(trace__w *w, char *buf, const trace__site *s, int format,
                                     int q, const trace__field *f, int n, int cut, int keep,
                                     int *was_cut) {
    int i, json = format == TRACE_FORMAT_JSON, msg_cut = w->full, ids_done = 0;
    size_t koff[32], klen[32];
    unsigned long long kmask = TRACE__RESERVED_BITS;
    char *mark;
    if (msg_cut) {
        if (!keep) goto cut; /* the first pass: it only learns that the record is cut */
        w->end += TRACE__KEEP;
        w->full = 0;
    }
    mark = w->p;
    if (json) {
        int slot = __atomic_load_n(s->slot, __ATOMIC_ACQUIRE);
        unsigned ln = slot >= 2 ? __atomic_load_n(&trace__g.logger_len[slot], __ATOMIC_ACQUIRE) : 0;
        if (TRACE__LIKELY(ln && w->end - w->p >= 48)) {
            memcpy(w->p, trace__g.logger[slot], 48);
            w->p += ln;
        } else {
            char *from = w->p;
            TRACE__PUTS(w, "\",\"logger\":\"");
            trace__put_text(w, s->module, (size_t)s->module_len, 1, 1);
            trace__putc(w, '"');
            if (slot >= 2 && !w->full && w->p - from < 48) trace__logger_made(slot, from, w->p);
        }
    } else if (format == TRACE_FORMAT_LOGFMT) {
        if (q) trace__putc(w, '"');
        TRACE__PUTS(w, " logger=");
        trace__put_key(w, s->module, (size_t)s->module_len);
    }
    if (w->full) { /* no room for the logger: the message closed, nothing more */
        w->p = mark;
        w->end = buf + TRACE_RECORD_MAX;
        w->full = 0;
        if (json || q) trace__putc(w, '"');
        goto cut;
    }
    if (format != TRACE_FORMAT_PLAIN && !trace__put_ids_whole(w, json)) goto cut;
    if (msg_cut) goto cut;
    for (i = 0; i < n; i++) {
        const char *key = f[i].key ? f[i].key : "_";
        size_t kn = f[i].key ? f[i].klen : 1;
        char *ks;
        int p = 0;
        mark = w->p;
        /* the key as it is written (escaped, or sanitised for key=value) */
        if (json && (size_t)(w->end - w->p) > kn + 4) { /* ,"clean: unchecked */
            w->p += 2;
            if (trace__put_clean(w, key, kn, 0)) {
                mark[0] = ',';
                mark[1] = '"';
            } else {
                w->p = mark;
            }
        }
        if (w->p != mark) {
            /* the common case, written above */
        } else if (json) {
            TRACE__PUTS(w, ",\"");
            trace__put_text(w, key, kn, 1, 1);
        } else {
            trace__putc(w, ' ');
            if (kn) trace__put_key(w, key, kn); else trace__putc(w, '_');
        }
        ks = mark + (json ? 2 : 1);
        /* never a key the record already has: compare what was written, so
           keys that differ only in escaped bytes cannot collide either */
        for (;;) {
            size_t kl = (size_t)(w->p - ks);
            unsigned long long bit = trace__key_bit(ks, kl);
            if (TRACE__LIKELY(!(kmask & bit)) || w->full ||
                !trace__key_taken(buf, ks, kl, koff, klen, i)) {
                kmask |= bit;
                break;
            }
            if (p++ == 32 || w->p >= w->end) { w->full = 1; break; }
            memmove(ks + 1, ks, kl);
            *ks = '_';
            w->p++;
        }
        koff[i] = (size_t)(ks - buf);
        klen[i] = (size_t)(w->p - ks);
        if (json) TRACE__PUTS(w, "\":"); else trace__putc(w, '=');
        if (w->full) { w->p = mark; goto cut; }
        trace__put_value(w, &f[i], json);
        if (w->full) {
            /* a cut string keeps its beginning (and was closed); anything
               else is removed whole */
            if (f[i].type != TRACE__T_STR || !f[i].v.s) w->p = mark;
            goto cut;
        }
    }
    if (format == TRACE_FORMAT_PLAIN) {
        if (!trace__put_ids_whole(w, 0)) goto cut;
        ids_done = 1;
    }
    if (cut) goto cut;
    w->end = buf + TRACE_RECORD_MAX;
    if (json) trace__putc(w, '}');
    trace__putc(w, '\n');
    if (w->full) goto cut;
    return (size_t)(w->p - buf);
cut:
    *was_cut = 1;
    w->end = buf + TRACE_RECORD_MAX;
    w->full = 0;
    if (keep && format == TRACE_FORMAT_PLAIN && !ids_done) {
        w->end -= TRACE__TAIL; /* plain's trace and span come last: in the kept room */
        (void)trace__put_ids_whole(w, 0);
        w->end = buf + TRACE_RECORD_MAX;
        w->full = 0;
    }
    if (json) TRACE__PUTS(w, ",\"truncated\":true}\n");
    else if (format == TRACE_FORMAT_LOGFMT) TRACE__PUTS(w, " truncated=true\n");
    else TRACE__PUTS(w, " [truncated]\n");
    return (size_t)(w->p - buf);
}

/* One record into buf (TRACE_RECORD_MAX bytes), newline included: the message
   is msg, or fmt with ap. Returns its length. It is encoded first as a whole
   record of up to TRACE_RECORD_MAX bytes (room 0), and when it does not fit
   (*was_cut), again, cut, with room for the marker (room TRACE__TAIL): a
   printf-style caller starts its va_list again for that. */
TRACE__INLINE size_t trace__encode_in(char *buf, size_t room, const trace__site *s, const char *msg,
                                      size_t msglen, const char *fmt, va_list *ap,
                                      const trace__field *f, int n, const struct timespec *now,
                                      int *was_cut) {
    trace__w w;
    int format = __atomic_load_n(&trace__g.format, TRACE__RELAXED), cut = 0, q;
    w.p = buf;
    w.end = buf + TRACE_RECORD_MAX - room - (room ? TRACE__KEEP : 0);
    w.full = 0;
    trace__enc_head(&w, s, format, now);
    q = trace__enc_msg(&w, format, msg, msglen, fmt, ap, &cut);
    /* the message fits: the fields may use the kept room, unless plain's
       trace and span still have to follow them */
    if (room && !w.full && (format != TRACE_FORMAT_PLAIN || !trace__ids_present()))
        w.end += TRACE__KEEP;
    return trace__enc_tail(&w, buf, s, format, q, f, n, cut, room != 0, was_cut);
}
TRACE__INLINE size_t trace__encode(char *buf, const trace__site *s, const char *msg, size_t msglen,
                                   const trace__field *f, int n, const struct timespec *now) {
    int was_cut = 0;
    size_t len = trace__encode_in(buf, 0, s, msg, msglen, NULL, NULL, f, n, now, &was_cut);
    if (TRACE__LIKELY(!was_cut)) return len;
    return trace__encode_in(buf, TRACE__TAIL, s, msg, msglen, NULL, NULL, f, n, now, &was_cut);
}

/* --- sinks ----------------------------------------------------------------- */

/* Write all of p; retry short writes and EINTR, wait out EAGAIN for up to a
   second. 0 on success, -1 when the record is lost. */
TRACE__WEAK int trace__write_all(int fd, const char *p, size_t n) {
    int waited = 0;
    while (n) {
        ssize_t r = write(fd, p, n);
        if (r > 0) {
            p += r;
            n -= (size_t)r;
            continue;
        }
        if (r < 0 && errno == EINTR) continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && waited < 1000) {
            struct pollfd pfd;
            pfd.fd = fd;
            pfd.events = POLLOUT;
            pfd.revents = 0;
            if (poll(&pfd, 1, 100) == 0) waited += 100;
            else waited += 1;
            continue;
        }
        return -1;
    }
    return 0;
}

/* stdio's pending output to stdout goes first, so the order is kept. */
static inline int trace__stdio_pending(int fd) {
    if (fd != 1) return 0;
#if defined(__linux__)
    return __fpending(stdout) != 0;
#else
    return 1;
#endif
}

#if defined(PIPE_BUF)
#define TRACE__PIPE_BUF PIPE_BUF
#else
#define TRACE__PIPE_BUF 4096 /* POSIX's least: -std=c11 hides limits.h's */
#endif

/* Buffered mode's rule: write now? A WARNING or worse, the oldest held
   record older than 100 ms (or a wall clock stepped back), a terminal. */
static inline int trace__due(int level, long long now_ns, long long oldest_ns) {
    return level >= TRACE_LEVEL_WARNING || now_ns - oldest_ns > 100000000LL || now_ns < oldest_ns ||
           __atomic_load_n(&trace__g.tty, TRACE__RELAXED);
}

/* The stdout route's records out (buffered mode to fd 1, glibc). */
void trace__stdout_flush(void);
TRACE__WEAK void trace__route_flush(void) {
#if TRACE__STDIO_ROUTE
    if (__atomic_load_n(&trace__g.fd, TRACE__RELAXED) == 1 &&
        __atomic_load_n(&trace__g.cap, TRACE__RELAXED)) {
        trace__flockfile(stdout);
        trace__stdout_flush();
        trace__funlockfile(stdout);
    }
#endif
}

/* Buffered mode: write the buffer. out_lock held (or the process is dying).
   To a pipe, FIFO or socket, in writes of whole records of at most PIPE_BUF
   bytes (records are at most TRACE_RECORD_MAX): the kernel keeps those
   whole against other writers; a regular file takes the buffer at once. */
TRACE__WEAK void trace__flush_locked(void) {
    const char *p, *end;
    struct stat st;
    int fd = trace__g.fd, chunked;
    if (!trace__g.len) return; /* also: no buffer (NULL plus 0 is undefined) */
    p = trace__g.buf;
    end = p + trace__g.len;
    chunked = trace__g.len > TRACE__PIPE_BUF && fstat(fd, &st) == 0 && !S_ISREG(st.st_mode);
    while (p < end) {
        size_t n = (size_t)(end - p);
        if (chunked && n > TRACE__PIPE_BUF) {
            const char *nl = p + TRACE__PIPE_BUF;
            while (nl > p && nl[-1] != '\n') nl--;
            if (nl == p) { /* a record longer than PIPE_BUF (PIPE_BUF < 4096): alone */
                const char *e1 = (const char *)memchr(p, '\n', n);
                nl = e1 ? e1 + 1 : end;
            }
            n = (size_t)(nl - p);
        }
        if (trace__write_all(fd, p, n) != 0) { /* this chunk and the rest are lost */
            size_t lost = 0;
            for (; p < end; p++) lost += *p == '\n';
            __atomic_add_fetch(&trace__g.dropped, lost, TRACE__RELAXED);
            break;
        }
        p += n;
    }
    trace__g.len = 0;
    trace__g.nrec = 0;
}

void trace__emit_buffered(const char *rec, size_t len, int level, long long now_ns);

/* Safe mode inline: one write(2) and done; anything else out of line. */
TRACE__INLINE void trace__emit(const char *rec, size_t len, int level, long long now_ns) {
    int fd = __atomic_load_n(&trace__g.fd, TRACE__RELAXED);
    if (TRACE__UNLIKELY(__atomic_load_n(&trace__g.cap, TRACE__RELAXED))) {
        trace__emit_buffered(rec, len, level, now_ns);
        return;
    }
    if (TRACE__UNLIKELY(trace__stdio_pending(fd))) fflush(stdout);
    {
        ssize_t r = write(fd, rec, len);
        if (TRACE__UNLIKELY(r != (ssize_t)len)) {
            /* a short write, EINTR, EAGAIN...: the rest, the slow way */
            size_t done = r > 0 ? (size_t)r : 0;
            if (trace__write_all(fd, rec + done, len - done) != 0)
                __atomic_add_fetch(&trace__g.dropped, 1, TRACE__RELAXED);
        }
    }
}

#if TRACE__STDIO_ROUTE
/* The stdout route: stdio's buffer out; on failure its records count as
   dropped and what it held is discarded (never written twice). stdout's
   lock held. */
/* snrec and soldest_ns are only touched under stdout's lock; the relaxed
   atomics are for the thread sanitizers, which do not see that lock. */
#define TRACE__LD(x) __atomic_load_n(&(x), TRACE__RELAXED)
#define TRACE__ST(x, v) __atomic_store_n(&(x), (v), TRACE__RELAXED)
TRACE__WEAK void trace__stdout_flush(void) {
    if (fflush(stdout) == EOF) {
        __atomic_add_fetch(&trace__g.dropped, TRACE__LD(trace__g.snrec), TRACE__RELAXED);
        __fpurge(stdout);
        clearerr(stdout);
    }
    TRACE__ST(trace__g.snrec, 0);
}
TRACE__WEAK void trace__emit_stdio(const char *rec, size_t len, int level, long long now_ns) {
    size_t size;
    trace__tls.in_log = 1;
    trace__flockfile(stdout);
    /* whole records in each of stdio's writes (pipes: at most PIPE_BUF) */
    size = __fbufsize(stdout);
    if (size && len > size - __fpending(stdout)) trace__stdout_flush();
    if (!TRACE__LD(trace__g.snrec)) TRACE__ST(trace__g.soldest_ns, now_ns);
    if (fwrite(rec, 1, len, stdout) == len) TRACE__ST(trace__g.snrec, TRACE__LD(trace__g.snrec) + 1);
    else __atomic_add_fetch(&trace__g.dropped, 1, TRACE__RELAXED);
    if (trace__due(level, now_ns, TRACE__LD(trace__g.soldest_ns))) trace__stdout_flush();
    trace__funlockfile(stdout);
    trace__tls.in_log = 0;
}
#undef TRACE__LD
#undef TRACE__ST
#endif

TRACE__WEAK void trace__emit_buffered(const char *rec, size_t len, int level, long long now_ns) {
#if TRACE__STDIO_ROUTE
    if (__atomic_load_n(&trace__g.fd, TRACE__RELAXED) == 1) {
        trace__emit_stdio(rec, len, level, now_ns);
        return;
    }
#endif
    trace__tls.in_log = 1;
    pthread_mutex_lock(&trace__m.out_lock);
    if (!trace__g.cap) { /* switched to safe mode meanwhile */
        pthread_mutex_unlock(&trace__m.out_lock);
        trace__tls.in_log = 0;
        trace__emit(rec, len, level, now_ns);
        return;
    }
    if (trace__stdio_pending(trace__g.fd)) {
        trace__flush_locked();
        fflush(stdout);
    }
    if (len > trace__g.cap - trace__g.len) trace__flush_locked();
    if (!trace__g.len) trace__g.oldest_ns = now_ns;
    memcpy(trace__g.buf + trace__g.len, rec, len);
    trace__g.len += len;
    trace__g.nrec++;
    if (trace__due(level, now_ns, trace__g.oldest_ns)) trace__flush_locked();
    pthread_mutex_unlock(&trace__m.out_lock);
    trace__tls.in_log = 0;
}

/* --- trace IDs, context, scopes ------------------------------------------- */

#if defined(__linux__)
#include <sys/random.h>
#endif
#include <fcntl.h>
#include <sys/resource.h>
#if defined(__linux__)
/* syscall() and setenv() are hidden by strict ISO modes: private names */
extern long trace__syscall(long nr, ...) __asm__("syscall");
#endif
extern int trace__setenv(const char *name, const char *value, int overwrite) __asm__("setenv");
#if defined(CLOCK_THREAD_CPUTIME_ID)
#define TRACE__CLOCK_THREAD CLOCK_THREAD_CPUTIME_ID
#else
#define TRACE__CLOCK_THREAD 3
#endif

static inline long long trace__mono(void) {
    struct timespec t;
    trace__clock_gettime(TRACE__CLOCK_MONOTONIC, &t);
    return trace__ns(&t);
}

/* Seed this thread's generator from the OS: once per thread, and again in
   a forked child (the epoch changes), so IDs never repeat across fork. */
TRACE__WEAK void trace__seed(void) {
    uint64_t seed[2] = { 0, 0 };
    ssize_t got = -1;
    trace__ensure(); /* the fork hooks must be there before the first ID */
#if defined(__linux__)
    got = getrandom(seed, sizeof seed, 0);
#endif
    if (got != (ssize_t)sizeof seed) {
        int fd = open("/dev/urandom", O_RDONLY);
        if (fd >= 0) {
            got = read(fd, seed, sizeof seed);
            close(fd);
        }
    }
    if (got != (ssize_t)sizeof seed) { /* last resort: clocks and addresses */
        seed[0] = (uint64_t)trace__mono() ^ (uint64_t)(uintptr_t)&seed;
        seed[1] = (uint64_t)(unsigned)getpid() * (uint64_t)0x9e3779b97f4a7c15ULL;
    }
    if (!seed[0] && !seed[1]) seed[1] = 1;
    trace__tls.rng[0] = seed[0];
    trace__tls.rng[1] = seed[1];
    trace__tls.epoch = __atomic_load_n(&trace__g.epoch, TRACE__RELAXED) | 1u;
}

/* xorshift128+: a few instructions an ID, no syscall. Never returns 0. */
static inline uint64_t trace__rand(void) {
    uint64_t a, b;
    if (TRACE__UNLIKELY(trace__tls.epoch != (__atomic_load_n(&trace__g.epoch, TRACE__RELAXED) | 1u)))
        trace__seed();
    do {
        a = trace__tls.rng[0];
        b = trace__tls.rng[1];
        trace__tls.rng[0] = b;
        a ^= a << 23;
        trace__tls.rng[1] = a ^ b ^ (a >> 17) ^ (b >> 26);
    } while (trace__tls.rng[1] + b == 0);
    return trace__tls.rng[1] + b;
}

TRACE__WEAK uint64_t trace_new_span_id(void) { return trace__rand(); }

/* A scope's span ID (summary mode draws it on first use). */
TRACE__WEAK uint64_t trace__span_of(trace_scope *sc) {
    if (!sc->span) sc->span = trace__rand();
    return sc->span;
}

static inline int trace__has_trace(const trace_ctx *c) { return (c->trace_hi | c->trace_lo) != 0; }

/* The context in force on this thread: its own, or the process's
   (TRACEPARENT). */
static inline const trace_ctx *trace__ctx(void) {
    return trace__tls.has_ctx ? &trace__tls.ctx : trace__root();
}

/* DEBUG for this trace? Its sampled flag, or TRACE_SAMPLE's ratio applied to
   the trace ID's low 56 bits (every process decides the same). */
TRACE__WEAK int trace__sampled(const trace_ctx *c) {
    if (!trace__has_trace(c)) return 0;
    if (c->flags & 1u) return 1;
    return (c->trace_lo & 0x00ffffffffffffffULL) < trace__g.sample_below;
}

/* Make c this thread's context (NULL: none) and pick its gate table. */
static inline void trace__ctx_install(const trace_ctx *c) {
    if (c && trace__has_trace(c)) {
        trace__tls.ctx = *c;
        trace__tls.has_ctx = 1;
        trace__tls.levels = trace__sampled(c) ? trace__g.forced : trace__g.base;
    } else {
        trace__tls.has_ctx = 0;
        trace__tls.levels = trace__g.levels;
    }
}

TRACE__WEAK trace_ctx trace_ctx_new(void) {
    trace_ctx c;
    trace__ensure();
    c.trace_hi = trace__rand();
    c.trace_lo = trace__rand();
    c.span = 0;
    c.flags = 0;
    /* a trace we start carries our sampling decision downstream */
    if ((c.trace_lo & 0x00ffffffffffffffULL) < trace__g.sample_below) c.flags = 1;
    return c;
}

TRACE__WEAK trace_ctx trace_ctx_current(void) {
    trace_ctx c;
    trace__ensure();
    c = *trace__ctx();
    trace__drop_ended();
    if (trace__tls.top) c.span = trace__span_of(trace__tls.top);
    return c;
}

TRACE__WEAK void trace_ctx_set(const trace_ctx *ctx) {
    trace__ensure();
    trace__ctx_install(ctx);
}

TRACE__WEAK void trace_sample(int on) {
    trace_ctx c;
    trace__ensure();
    c = *trace__ctx();
    if (!trace__has_trace(&c)) return;
    c.flags = on ? (c.flags | 1u) : (c.flags & ~1u);
    trace__ctx_install(&c);
}

TRACE__WEAK trace__saved trace__ctx_push(const trace_ctx *c) {
    trace__saved v;
    trace__ensure();
    v.active = 1;
    v.had = trace__tls.has_ctx;
    v.ctx = trace__tls.ctx;
    /* scopes inside the context hang under its span, not under a scope that
       was open outside it (and belongs to no trace, or another one) */
    v.top = trace__tls.top;
    trace__tls.top = NULL;
    trace__ctx_install(c);
    return v;
}
TRACE__WEAK trace__saved trace__ctx_push_new(void) {
    trace_ctx c = trace_ctx_new();
    return trace__ctx_push(&c);
}
TRACE__WEAK trace__saved trace__ctx_push_from(const char *tp) {
    trace_ctx c;
    if (!tp || trace_traceparent_parse(tp, &c) != 0) c = trace_ctx_new();
    return trace__ctx_push(&c);
}
TRACE__WEAK void trace__ctx_pop(trace__saved *v) {
    if (!v->active) return;
    trace__ctx_install(v->had ? &v->ctx : NULL);
    trace__tls.top = v->top;
}

/* W3C traceparent: "00-" 32 hex "-" 16 hex "-" 2 hex, lowercase. A higher
   version may append "-" and more; version 00 may not. */
static inline int trace__hex(const char *s, int n, uint64_t *out) {
    uint64_t v = 0;
    int i;
    for (i = 0; i < n; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0) return -1;
        v = v << 4 | (uint64_t)d;
    }
    *out = v;
    return 0;
}

TRACE__WEAK int trace_traceparent_parse(const char *s, trace_ctx *out) {
    uint64_t ver, hi, lo, span, flags;
    size_t n;
    if (!s || !out) return TRACE_TRACEPARENT_EFORMAT;
    n = strlen(s);
    if (n < 55 || s[2] != '-' || s[35] != '-' || s[52] != '-') return TRACE_TRACEPARENT_EFORMAT;
    if (trace__hex(s, 2, &ver) || trace__hex(s + 3, 16, &hi) || trace__hex(s + 19, 16, &lo) ||
        trace__hex(s + 36, 16, &span) || trace__hex(s + 53, 2, &flags))
        return TRACE_TRACEPARENT_EFORMAT;
    if (ver == 0xff) return TRACE_TRACEPARENT_EVERSION;
    if (ver == 0 && n != 55) return TRACE_TRACEPARENT_EFORMAT;
    if (n > 55 && s[55] != '-') return TRACE_TRACEPARENT_EFORMAT;
    if (!(hi | lo) || !span) return TRACE_TRACEPARENT_EZERO;
    out->trace_hi = hi;
    out->trace_lo = lo;
    out->span = span;
    out->flags = (unsigned)flags;
    return 0;
}

TRACE__WEAK void trace_traceparent_format(const trace_ctx *ctx, char out[TRACE_TRACEPARENT_SIZE]) {
    static const char hex[] = "0123456789abcdef";
    uint64_t span, v[3];
    int i, k, at = 3;
    if (!trace__has_trace(ctx)) { /* an all-zero trace ID is no header */
        out[0] = 0;
        return;
    }
    span = ctx->span ? ctx->span : trace__rand();
    v[0] = ctx->trace_hi; v[1] = ctx->trace_lo; v[2] = span;
    memcpy(out, "00-", 3);
    for (k = 0; k < 3; k++) {
        for (i = 15; i >= 0; i--) out[at + i] = hex[(v[k] >> (4 * (15 - i))) & 15];
        at += 16;
        if (k != 0) out[at++] = '-';
    }
    out[at++] = '0'; /* version 00 defines only the sampled flag */
    out[at++] = (ctx->flags & 1u) ? '1' : '0';
    out[at] = 0;
}

/* For a child process: TRACEPARENT=<the current context>. */
TRACE__WEAK int trace_traceparent_setenv(void) {
    char tp[TRACE_TRACEPARENT_SIZE];
    trace_ctx c = trace_ctx_current();
    if (!trace__has_trace(&c)) return -1;
    trace_traceparent_format(&c, tp);
    return trace__setenv("TRACEPARENT", tp, 1);
}

TRACE__WEAK void trace_set_thread_name(const char *name) { trace__tls.thread_name = name; }

static inline int trace__tid(void) {
    if (TRACE__UNLIKELY(!trace__tls.tid)) {
#if defined(__linux__)
        trace__tls.tid = (int)trace__syscall(SYS_gettid);
#else
        static int next = 1;
        trace__tls.tid = __atomic_add_fetch(&next, 1, TRACE__RELAXED);
#endif
    }
    return trace__tls.tid;
}

/* Resident memory in kB (Linux: /proc/self/statm); *peak from getrusage.
   Elsewhere the current value is -1 and only the peak is known. */
TRACE__WEAK long trace_rss_kb(long *peak_kb) {
    long rss = -1;
    if (peak_kb) {
        struct rusage ru;
        /* ru_maxrss is sampled by the kernel; never report a peak below now */
        *peak_kb = getrusage(RUSAGE_SELF, &ru) == 0 ? (long)ru.ru_maxrss : -1;
#if defined(__APPLE__)
        if (*peak_kb > 0) *peak_kb /= 1024; /* bytes there */
#endif
    }
#if defined(__linux__)
    {
        char buf[96];
        int fd = open("/proc/self/statm", O_RDONLY);
        if (fd >= 0) {
            ssize_t n = read(fd, buf, sizeof buf - 1);
            close(fd);
            if (n > 0) {
                char *p = buf, *end;
                buf[n] = 0;
                strtol(p, &end, 10); /* size */
                rss = strtol(end, &end, 10) * (sysconf(_SC_PAGESIZE) / 1024);
            }
        }
    }
#endif
    if (peak_kb) {
        /* the kernel's high-water mark lags: never report less than before */
        static long seen;
        long prev = __atomic_load_n(&seen, TRACE__RELAXED);
        if (rss > *peak_kb) *peak_kb = rss;
        while (prev < *peak_kb && !__atomic_compare_exchange_n(&seen, &prev, *peak_kb, 1,
                                                               TRACE__RELAXED, TRACE__RELAXED)) {}
        if (prev > *peak_kb) *peak_kb = prev;
    }
    return rss;
}

/* --- summary mode: per-label histograms ------------------------------------- */

/* Bucket of ns: exact below 128, then 64 a power of two (the top 7 bits).
   Without branches or clamps: s = exponent(ns | 64) - 6 (0 below 128);
   bucket = s * 64 + (ns >> s), at most 57 * 64 + 127 for 2^64 - 1. */
TRACE__INLINE size_t trace__bucket(uint64_t ns) {
    unsigned sh = 57u - (unsigned)__builtin_clzll(ns | 64);
    return ((size_t)sh << 6) + (size_t)(ns >> sh);
}
static inline uint64_t trace__bucket_mid(unsigned b) {
    unsigned sh;
    if (b < 128) return b;
    sh = (b >> 6) - 1u;
    return ((64u + (uint64_t)(b & 63u)) << sh) + ((1ULL << sh) >> 1);
}

/* The label's statistics, created on first use (one allocation a label). */
TRACE__WEAK trace__stat *trace__stat_for(const trace__site *site, const char *label) {
    uint64_t h = 1469598103934665603ULL;
    const char *p;
    unsigned i, k;
    trace__stat *st = NULL;
    for (p = label; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    for (k = 0; k < TRACE__LABELS; k++) {
        i = (unsigned)(h + k) % TRACE__LABELS;
        st = __atomic_load_n(&trace__g.stats[i], __ATOMIC_ACQUIRE);
        if (!st) break;
        if (strcmp(st->label, label) == 0) return st;
    }
    pthread_mutex_lock(&trace__m.lock);
    for (k = 0; k < TRACE__LABELS; k++) {
        i = (unsigned)(h + k) % TRACE__LABELS;
        st = trace__g.stats[i];
        if (!st) {
            size_t n = strlen(label);
            st = (trace__stat *)calloc(1, sizeof *st + n + 1);
            if (st) {
                st->label = (char *)(st + 1);
                memcpy(st->label, label, n + 1);
                st->site = site;
                st->key = label;
                st->min = UINT64_MAX;
                __atomic_store_n(&trace__g.stats[i], st, __ATOMIC_RELEASE);
            }
            break;
        }
        if (strcmp(st->label, label) == 0) break;
        st = NULL;
    }
    if (k == TRACE__LABELS && !trace__g.labels_warned) {
        trace__g.labels_warned = 1;
        trace__warn("TRACE_TIMING", "summary", "has one label too many", "at most 512 labels",
                    "no statistics for the new label");
    }
    pthread_mutex_unlock(&trace__m.lock);
    return st;
}

/* The label's statistics, or (out of memory, or TRACE__LABELS labels
   already) the void ones, which are never written out. */
TRACE__WEAK trace__stat trace__stat_void;
TRACE__WEAK trace__stat *trace__stat_label(const trace__site *site, const char *label) {
    trace__stat *st = trace__stat_for(site, label);
    return st ? st : &trace__stat_void;
}
/* The same for a literal label, kept in its call site's cache (checked
   against the label pointer: in a static inline function, one call site may
   see several literals). */
TRACE__WEAK TRACE__NOINLINE trace__stat *trace__stat_site(trace__site *site, const char *label) {
    trace__stat *st = trace__stat_label(site, label);
    if (st->key == label) __atomic_store_n(&site->cache, (void *)st, __ATOMIC_RELEASE);
    return st;
}

/* A new minimum or maximum: rare once a label has run a few times. */
TRACE__WEAK TRACE__NOINLINE void trace__stat_extreme(trace__stat *st, uint64_t ns) {
    uint64_t cur = __atomic_load_n(&st->min, TRACE__RELAXED);
    while (ns < cur && !__atomic_compare_exchange_n(&st->min, &cur, ns, 1, TRACE__RELAXED,
                                                    TRACE__RELAXED)) {}
    cur = __atomic_load_n(&st->max, TRACE__RELAXED);
    while (ns > cur && !__atomic_compare_exchange_n(&st->max, &cur, ns, 1, TRACE__RELAXED,
                                                    TRACE__RELAXED)) {}
}
/* ns < *v, ns > *v. On x86 the bound is compared straight from memory (an
   aligned load, atomic); elsewhere a relaxed atomic load. */
#if defined(__x86_64__) && !TRACE__TSAN
#define TRACE__CMP_MEM(ns, v, cc, r)                                           \
    __asm__("cmp{q} {%[m], %[x]|%[x], %[m]}" : "=@cc" cc(r) : [m] "m"(*(v)), [x] "r"(ns))
TRACE__INLINE int trace__below(uint64_t ns, const uint64_t *v) {
    int r;
    TRACE__CMP_MEM(ns, v, "b", r);
    return r;
}
TRACE__INLINE int trace__above(uint64_t ns, const uint64_t *v) {
    int r;
    TRACE__CMP_MEM(ns, v, "a", r);
    return r;
}
#undef TRACE__CMP_MEM
#else
TRACE__INLINE int trace__below(uint64_t ns, const uint64_t *v) {
    return ns < __atomic_load_n(v, TRACE__RELAXED);
}
TRACE__INLINE int trace__above(uint64_t ns, const uint64_t *v) {
    return ns > __atomic_load_n(v, TRACE__RELAXED);
}
#endif
/* Two atomic adds (total, bucket) and two compares; no lock. */
TRACE__INLINE void trace__stat_add(trace__stat *st, uint64_t ns) {
    __atomic_add_fetch(&st->total, ns, TRACE__RELAXED);
    __atomic_add_fetch(&st->hist[trace__bucket(ns)], 1, TRACE__RELAXED);
    if (TRACE__UNLIKELY(trace__below(ns, &st->min))) trace__stat_extreme(st, ns);
    else if (TRACE__UNLIKELY(trace__above(ns, &st->max))) trace__stat_extreme(st, ns);
}

void trace__record(const trace__site *s, const char *msg, size_t msglen, const trace__field *f,
                   int n);
void trace__record_at(const trace__site *s, const char *msg, size_t msglen, const trace__field *f, int n,
                      const struct timespec *now);

/* One "timing_summary" record per label, then the statistics start again. */
TRACE__WEAK void trace_timing_flush(void) {
    unsigned i, b;
    if (!trace__ready()) return;
    for (i = 0; i < TRACE__LABELS; i++) {
        trace__stat *st = __atomic_load_n(&trace__g.stats[i], __ATOMIC_ACQUIRE);
        uint64_t count = 0, total, mn, mx, q[3] = { 0, 0, 0 }, seen = 0;
        static const double qs[3] = { 0.50, 0.90, 0.99 };
        uint64_t hist[TRACE__HBUCKETS];
        trace__field f[10];
        int k;
        if (!st) continue;
        total = __atomic_exchange_n(&st->total, 0, TRACE__RELAXED);
        mn = __atomic_exchange_n(&st->min, UINT64_MAX, TRACE__RELAXED);
        mx = __atomic_exchange_n(&st->max, 0, TRACE__RELAXED);
        for (b = 0; b < TRACE__HBUCKETS; b++) {
            hist[b] = __atomic_exchange_n(&st->hist[b], 0, TRACE__RELAXED);
            count += hist[b];
        }
        if (!count) continue;
        if (mn > mx) { /* a scope ended between the exchanges: the histogram's ends */
            for (b = 0; !hist[b]; b++) {}
            mn = trace__bucket_mid(b);
            for (b = TRACE__HBUCKETS - 1; !hist[b]; b--) {}
            mx = trace__bucket_mid(b);
        }
        for (k = 0, b = 0; k < 3; k++) {
            uint64_t rank = (uint64_t)(qs[k] * (double)count + 0.999999);
            if (rank < 1) rank = 1;
            while (b < TRACE__HBUCKETS && seen + hist[b] < rank) seen += hist[b++];
            q[k] = b < TRACE__HBUCKETS ? trace__bucket_mid(b) : mx;
            if (q[k] < mn) q[k] = mn;
            if (q[k] > mx) q[k] = mx;
        }
        f[0] = trace__f_str("label", st->label);
        f[1] = trace__f_u64("count", count);
        /* full precision: hot scopes take well under a microsecond */
        f[2] = trace__f_dbl("total_ms", (double)total / 1e6);
        f[3] = trace__f_dbl("min_ms", (double)mn / 1e6);
        f[4] = trace__f_dbl("max_ms", (double)mx / 1e6);
        f[5] = trace__f_dbl("p50_ms", (double)q[0] / 1e6);
        f[6] = trace__f_dbl("p90_ms", (double)q[1] / 1e6);
        f[7] = trace__f_dbl("p99_ms", (double)q[2] / 1e6);
        f[8] = trace__f_i64("pid", trace__g.pid);
        trace__record(st->site, "timing_summary", 14, f, 9);
    }
}

/* --- scopes ----------------------------------------------------------------- */

/* Scopes of this thread that another thread ended (TRACE_SCOPE_END there:
   their site is NULL) leave the chain here, at this thread's next scope
   begin or end. */
TRACE__INLINE void trace__drop_ended(void) {
    while (TRACE__UNLIKELY(trace__tls.top && !__atomic_load_n(&trace__tls.top->site, __ATOMIC_ACQUIRE)))
        trace__tls.top = trace__tls.top->parent;
}

/* What TRACE_SCOPE's cleanup dispatches on, without reading any global:
   the scope's stat, set in summary mode only (a scope ends in the mode it
   began in). The cleanup's own variable is NULL only where the gate was
   closed, a constant the compiler follows into the cleanup, so a filtered
   scope keeps nothing live across the block. Every other path leaves the
   scope readable: timing, or idle (not timing: site and stat NULL). */
TRACE__INLINE void trace__scope_idle(trace_scope *sc) {
    sc->site = NULL;
    sc->stat = NULL;
}

/* Records mode, explicit scopes, and the first call of a call site: out of
   line. Weak and shared by every module of the process, so its name carries
   the version of its contract (it writes stat since 0.3). */
#define trace__scope_begin_full trace__scope_begin_full_v0_3
TRACE__WEAK void trace__scope_begin_full(trace_scope *sc, const trace__site *s, const char *label,
                                         int mem) {
    const trace_ctx *c;
    if (!trace__wanted(s, TRACE__SLOTS)) {
        trace__scope_idle(sc);
        return;
    }
    trace__drop_ended();
    sc->site = s;
    sc->label = label ? label : "null";
    sc->parent = trace__tls.top;
    sc->owner = &trace__tls.top;
    trace__tls.top = sc;
    if (__atomic_load_n(&trace__g.timing, TRACE__RELAXED) == 1) {
        /* summary mode: the span ID is drawn only if something asks for it */
        sc->memory = mem | 4;
        sc->stat = (mem & 2) ? trace__stat_site((trace__site *)(uintptr_t)s, sc->label)
                             : trace__stat_label(s, sc->label);
        sc->span = 0;
        sc->parent_span = 0;
        sc->t0 = trace__mono();
        return;
    }
    sc->memory = mem & 3;
    sc->stat = NULL;
    c = trace__ctx();
    sc->trace_hi = c->trace_hi;
    sc->trace_lo = c->trace_lo;
    sc->span = trace__rand();
    sc->parent_span = sc->parent ? trace__span_of(sc->parent) : c->span;
    sc->rss0 = (mem & 1) ? trace_rss_kb(NULL) : 0;
    sc->cpu0 = 0;
    if (__atomic_load_n(&trace__g.cpu, TRACE__RELAXED)) { /* TRACE_CPU as the scope began */
        struct timespec t;
        trace__clock_gettime(TRACE__CLOCK_THREAD, &t);
        sc->cpu0 = trace__ns(&t);
        sc->memory |= 8;
    }
    sc->t0 = trace__mono();
}

/* TRACE_SCOPE with a literal label in summary mode, inline (Tracy's way):
   the label's statistics from the call site's cache, a few stores and a
   clock read. The scope is chained (for trace_elapsed_ns and the span of
   records inside it) but draws its span ID only if something asks for it;
   no owner is stored: TRACE_SCOPE's scope ends on its own thread. */
TRACE__INLINE void trace__scope_summary(trace_scope *sc, trace__site *s, const char *label) {
    trace__stat *st = (trace__stat *)__atomic_load_n(&s->cache, __ATOMIC_ACQUIRE);
    if (!label) label = "null"; /* a constant: folded */
    sc->site = s; /* before the call below: nothing held across it */
    if (TRACE__UNLIKELY(st->key != label)) st = trace__stat_site(s, label);
    sc->stat = st;
    sc->span = 0;
    sc->parent = trace__tls.top;
    trace__tls.top = sc;
    sc->t0 = trace__mono();
}

TRACE__WEAK void trace__unlink_slow(trace_scope *sc) {
    trace_scope **pp = &trace__tls.top;
    while (*pp && *pp != sc) pp = &(*pp)->parent;
    if (*pp) *pp = sc->parent; /* ended out of order: take it out where it is */
    trace__drop_ended();
}
TRACE__INLINE void trace__unlink(trace_scope *sc) {
    if (TRACE__LIKELY(trace__tls.top == sc)) trace__tls.top = sc->parent;
    else trace__unlink_slow(sc);
}

/* Out of its thread's chain and not timing any more; ended by another
   thread, only marked (site NULL): its own thread drops it. */
TRACE__INLINE void trace__scope_done(trace_scope *sc) {
    if (TRACE__LIKELY(sc->owner == &trace__tls.top)) {
        trace__unlink(sc);
        sc->site = NULL;
    } else {
        __atomic_store_n(&sc->site, NULL, __ATOMIC_RELEASE);
    }
}

/* Summary mode: the scope's duration into its label's statistics
   (monotonic: never negative). */
#define TRACE__SCOPE_ADD(sc) trace__stat_add((sc)->stat, (uint64_t)(trace__mono() - (sc)->t0))

/* Records mode: one "timing" record. */
static TRACE__NOINLINE void trace__scope_end_record(trace_scope *sc) {
    long long t1 = trace__mono(), dur = t1 - sc->t0, cpu = 0;
    trace__field f[12];
    struct timespec now;
    int n = 0;
    long peak = 0, rss = 0;
    if (sc->memory & 8) {
        struct timespec t;
        trace__clock_gettime(TRACE__CLOCK_THREAD, &t);
        cpu = trace__ns(&t) - sc->cpu0;
    }
    trace__clock_gettime(TRACE__CLOCK_REALTIME, &now);
    f[n++] = trace__f_str("label", sc->label);
    f[n++] = trace__f_ms3("ms", dur);
    if (sc->parent_span) { f[n++] = trace__f_hex64("parent", sc->parent_span); }
    f[n++] = trace__f_i64("start_us", (trace__ns(&now) - dur) / 1000);
    f[n++] = trace__f_i64("pid", trace__g.pid);
    f[n++] = trace__f_i64("tid", trace__tid());
    if (trace__tls.thread_name) { f[n++] = trace__f_str("thread", trace__tls.thread_name); }
    if (sc->memory & 8) { f[n++] = trace__f_ms3("cpu_ms", cpu); }
    if (sc->memory & 1) {
        rss = trace_rss_kb(&peak);
        f[n++] = trace__f_i64("rss_start_kb", sc->rss0);
        f[n++] = trace__f_i64("rss_kb", rss);
        f[n++] = trace__f_i64("peak_rss_kb", peak);
    }
    trace__tls.rec = sc; /* the record's trace and span are the scope's own */
    trace__record_at(sc->site, "timing", 6, f, n, &now);
    trace__tls.rec = NULL;
    trace__scope_done(sc);
}

TRACE__WEAK void trace_scope_end(trace_scope *sc) {
    if (!sc || !__atomic_load_n(&sc->site, __ATOMIC_ACQUIRE)) return; /* not timing, or ended */
    if (sc->memory & 4) {
        TRACE__SCOPE_ADD(sc);
        trace__scope_done(sc);
    } else {
        trace__scope_end_record(sc);
    }
}

/* TRACE_SCOPE's scope is in the caller's frame: the cleanup takes its
   address anew from the frame after the block (x86), instead of holding it
   across the block in a callee-saved register that the filtered path would
   save and restore too. */
#if defined(__x86_64__) || defined(__i386__)
#define TRACE__REFRAME(sc, at) __asm__("lea {%1, %0|%0, %1}" : "=r"(sc) : "m"(*(at)))
#else
#define TRACE__REFRAME(sc, at) ((sc) = (at))
#endif

/* TRACE_SCOPE's cleanup: the scope ends on its own thread. */
TRACE__INLINE void trace__scope_cleanup(trace_scope **scp) {
    trace_scope *const at = *scp, *sc;
    if (!at) return;
    TRACE__REFRAME(sc, at); /* its fields are read through at, its address is sc */
    if (TRACE__LIKELY(at->stat != NULL)) { /* summary mode: out of the chain, then the statistics */
        int64_t t1;
        trace__unlink(sc);
        t1 = trace__mono();
        trace__stat_add(at->stat, (uint64_t)(t1 - at->t0));
    } else {
        trace_scope_end(sc);
    }
}

TRACE__WEAK int64_t trace_scope_elapsed_ns(const trace_scope *sc) {
    /* acquire: another thread may end sc (its site becomes NULL) */
    return sc && __atomic_load_n(&sc->site, __ATOMIC_ACQUIRE) ? (int64_t)(trace__mono() - sc->t0) : -1;
}
TRACE__WEAK int64_t trace_elapsed_ns(void) {
    trace__drop_ended();
    return trace_scope_elapsed_ns(trace__tls.top);
}

TRACE__WEAK void trace_scope_detach(trace_scope *sc) {
    if (!sc || !sc->site || sc->owner != &trace__tls.top) return;
    trace__unlink(sc);
    sc->owner = NULL;
}

TRACE__WEAK void trace__memory(const trace__site *s, const char *label) {
    trace__field f[3];
    long peak = 0, rss;
    if (!trace__wanted(s, 0)) return;
    rss = trace_rss_kb(&peak);
    f[0] = trace__f_str("label", label);
    f[1] = trace__f_i64("rss_kb", rss);
    f[2] = trace__f_i64("peak_rss_kb", peak);
    trace__record(s, "memory", 6, f, 3);
}

/* --- the entry points of the macros ---------------------------------------- */

static inline void trace__now(struct timespec *now) {
    if (__atomic_load_n(&trace__g.format, TRACE__RELAXED) != TRACE_FORMAT_PLAIN ||
        __atomic_load_n(&trace__g.cap, TRACE__RELAXED)) {
        trace__clock_gettime(TRACE__CLOCK_REALTIME, now);
    } else {
        now->tv_sec = 0;
        now->tv_nsec = 0;
    }
}

/* A record of the site's level, already let through by the gates. */
TRACE__INLINE void trace__record_impl(const trace__site *s, const char *msg, size_t msglen,
                                      const trace__field *f, int n, const struct timespec *now) {
    char buf[TRACE__BUF];
    size_t len;
    if (!msg) { msg = "null"; msglen = 4; }
    len = trace__encode(buf, s, msg, msglen, f, n, now);
    trace__emit(buf, len, s->level, trace__ns(now));
}
TRACE__WEAK void trace__record_at(const trace__site *s, const char *msg, size_t msglen,
                                  const trace__field *f, int n, const struct timespec *now) {
    trace__record_impl(s, msg, msglen, f, n, now);
}
TRACE__WEAK void trace__record(const trace__site *s, const char *msg, size_t msglen,
                               const trace__field *f, int n) {
    struct timespec now;
    trace__now(&now);
    trace__record_at(s, msg, msglen, f, n, &now);
}

/* f[0] is the message, f[1..n] the fields. */
TRACE__WEAK void trace__logkv(const trace__site *s, const trace__field *f, int n) {
    struct timespec now; /* the macro's gate decided: the record is wanted */
    trace__now(&now);
    trace__record_impl(s, f[0].v.s, f[0].len, f + 1, n, &now);
}

TRACE__WEAK void trace__logf(const trace__site *s, const char *fmt, ...) {
    char buf[TRACE__BUF];
    struct timespec now;
    va_list ap;
    int was_cut = 0;
    size_t len; /* the macro's gate decided: the record is wanted */
    trace__now(&now);
    if (TRACE__UNLIKELY(!fmt)) {
        len = trace__encode(buf, s, "null", 4, NULL, 0, &now);
    } else {
        va_start(ap, fmt);
        len = trace__encode_in(buf, 0, s, NULL, 0, fmt, &ap, NULL, 0, &now, &was_cut);
        va_end(ap);
        if (TRACE__UNLIKELY(was_cut)) { /* again, cut: the arguments from the start */
            va_start(ap, fmt);
            len = trace__encode_in(buf, TRACE__TAIL, s, NULL, 0, fmt, &ap, NULL, 0, &now, &was_cut);
            va_end(ap);
        }
    }
    trace__emit(buf, len, s->level, trace__ns(&now));
}

#endif /* TRACE_DISABLE */

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* TRACE_H_INCLUDED */

/*
MIT License

Copyright (c) 2026 the trace.h authors

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
*/
