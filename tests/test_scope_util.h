/* test_scope_util.h - helpers for the tests of issue 4 (scopes, trace IDs,
   traceparent, sampling, summary mode, memory). Not part of the product.
   Include it after test_util.h and trace.h.

   Environment: tf_env() puts the variables trace.h reads back to a known
   state (LOG_FORMAT=json, everything else unset, plus the given overrides)
   and calls trace_reload(); records go to a temporary file (tf_out).
   Parsing: tf_parse() runs jq over records (every line must be JSON) and
   fills one tf_rec per record; tf_jq() runs any jq program. Children: each
   test program re-runs itself (/proc/self/exe MODE ...) through tf_child(),
   which returns the child's stdout and stderr. */
#ifndef TRACE_TEST_SCOPE_UTIL_H
#define TRACE_TEST_SCOPE_UTIL_H

#include <ctype.h>
#include <stdint.h>

/* --- environment ---------------------------------------------------------- */

static int tf_out = -1;

/* LOG_FORMAT=json, the other variables unset, then sets (NULL-terminated
   "NAME=value" list, may be NULL); trace_reload(); output to tf_out. */
static inline void tf_env(const char *const *sets) {
    static const char *const vars[] = { "LOG_LEVEL", "LOG_BUFFER", "NO_COLOR", "TRACEPARENT",
                                        "TRACE_CPU", "TRACE_SAMPLE", "TRACE_TIMING", NULL };
    int i;
    for (i = 0; vars[i]; i++) unsetenv(vars[i]);
    setenv("LOG_FORMAT", "json", 1);
    for (i = 0; sets && sets[i]; i++) {
        char name[64];
        const char *eq = strchr(sets[i], '=');
        size_t n = (size_t)(eq - sets[i]);
        assert_non_null(eq);
        assert_true(n < sizeof name);
        memcpy(name, sets[i], n);
        name[n] = 0;
        setenv(name, eq + 1, 1);
    }
    trace_reload();
    if (tf_out < 0) tf_out = tu_tmpfd();
    tu_clear(tf_out);
    trace_set_output(tf_out);
}

/* What the records written since the last take say (malloc'd). */
static inline char *tf_take(void) {
    trace_flush();
    return tu_take(tf_out);
}

/* --- jq ------------------------------------------------------------------- */

static inline void tf_write_file(const char *path, const char *s) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    size_t n = strlen(s);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, s, n), (ssize_t)n);
    close(fd);
}

/* `jq OPTS -f PROGRAM` over text; its stdout (malloc'd), or NULL when jq
   fails (a line that is not JSON, a program error). */
static inline char *tf_jq(const char *text, const char *opts, const char *program) {
    char in[4096], prog[4096], cmd[9000];
    const char *dir = getenv("TMPDIR");
    int fd, st;
    FILE *p;
    size_t n;
    char *out;
    dir = dir && *dir ? dir : "/tmp";
    snprintf(in, sizeof in, "%s/trace-f-in-XXXXXX", dir);
    snprintf(prog, sizeof prog, "%s/trace-f-jq-XXXXXX", dir);
    fd = mkstemp(in);
    assert_true(fd >= 0);
    close(fd);
    fd = mkstemp(prog);
    assert_true(fd >= 0);
    close(fd);
    tf_write_file(in, text);
    tf_write_file(prog, program);
    snprintf(cmd, sizeof cmd, "jq %s -f '%s' '%s' 2>/dev/null", opts, prog, in);
    fflush(NULL);
    p = popen(cmd, "r");
    assert_non_null(p);
    out = tu_read_eof(fileno(p), &n);
    st = pclose(p);
    unlink(in);
    unlink(prog);
    if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* One record, as jq read it. Strings are "-" and numbers -1 when the field
   is absent (or null). */
typedef struct tf_rec {
    char msg[48], lvl[12], logger[32], label[96], trace[48], span[24], parent[24], thread[32];
    double ms, cpu_ms;
    long long start_us, pid, tid, rss_kb, rss_start_kb, peak_rss_kb, i;
    char raw[1024]; /* the record's text as written (cut at 1023 bytes) */
} tf_rec;

#define TF_FIELDS                                                              \
    "[.msg, .lvl, .logger, (.label // \"-\"), (.trace // \"-\"), (.span // \"-\"), " \
    "(.parent // \"-\"), (.thread // \"-\"), (.ms // -1), (.cpu_ms // -1), "   \
    "(.start_us // -1), (.pid // -1), (.tid // -1), (.rss_kb // -1), "          \
    "(.rss_start_kb // -1), (.peak_rss_kb // -1), (.i // -1)] | map(tostring) | @tsv\n"

static inline void tf_copy_field(char *dst, size_t n, const char *s, size_t len) {
    if (len >= n) len = n - 1;
    memcpy(dst, s, len);
    dst[len] = 0;
}

/* Parse every record of text (JSON lines) into recs (at most max); returns
   how many records text holds, or fails the test when one is not JSON. */
static inline int tf_parse(const char *text, tf_rec *recs, int max) {
    char *tsv = tf_jq(text, "-r", TF_FIELDS), *line, *next;
    const char *raw = text;
    int n = 0;
    if (!tsv) {
        char show[2048];
        print_error("jq could not parse the records: %s\n",
                    tu_show_n(text, strlen(text), show, sizeof show));
        fail();
    }
    for (line = tsv; *line; line = next) {
        char *f[17];
        int k = 0;
        char *p = line;
        const char *rawnl = strchr(raw, '\n');
        next = strchr(line, '\n');
        if (next) *next++ = 0; else next = line + strlen(line);
        f[k++] = p;
        while (k < 17 && (p = strchr(p, '\t')) != NULL) { *p++ = 0; f[k++] = p; }
        assert_int_equal(k, 17);
        if (n < max) {
            tf_rec *r = &recs[n];
            memset(r, 0, sizeof *r);
            tf_copy_field(r->msg, sizeof r->msg, f[0], strlen(f[0]));
            tf_copy_field(r->lvl, sizeof r->lvl, f[1], strlen(f[1]));
            tf_copy_field(r->logger, sizeof r->logger, f[2], strlen(f[2]));
            tf_copy_field(r->label, sizeof r->label, f[3], strlen(f[3]));
            tf_copy_field(r->trace, sizeof r->trace, f[4], strlen(f[4]));
            tf_copy_field(r->span, sizeof r->span, f[5], strlen(f[5]));
            tf_copy_field(r->parent, sizeof r->parent, f[6], strlen(f[6]));
            tf_copy_field(r->thread, sizeof r->thread, f[7], strlen(f[7]));
            r->ms = strtod(f[8], NULL);
            r->cpu_ms = strtod(f[9], NULL);
            r->start_us = strtoll(f[10], NULL, 10);
            r->pid = strtoll(f[11], NULL, 10);
            r->tid = strtoll(f[12], NULL, 10);
            r->rss_kb = strtoll(f[13], NULL, 10);
            r->rss_start_kb = strtoll(f[14], NULL, 10);
            r->peak_rss_kb = strtoll(f[15], NULL, 10);
            r->i = strtoll(f[16], NULL, 10);
            if (raw && *raw)
                tf_copy_field(r->raw, sizeof r->raw, raw,
                              rawnl ? (size_t)(rawnl - raw) : strlen(raw));
        }
        raw = rawnl ? rawnl + 1 : raw + strlen(raw);
        n++;
    }
    free(tsv);
    return n;
}

/* The first record with msg and label (label NULL: any), or fails. */
static inline const tf_rec *tf_find(const tf_rec *recs, int n, const char *msg,
                                    const char *label) {
    int i;
    for (i = 0; i < n; i++)
        if (strcmp(recs[i].msg, msg) == 0 && (!label || strcmp(recs[i].label, label) == 0))
            return &recs[i];
    print_error("no record with msg=%s label=%s among %d\n", msg, label ? label : "*", n);
    fail();
    return NULL;
}

static inline int tf_count(const tf_rec *recs, int n, const char *msg, const char *label) {
    int i, k = 0;
    for (i = 0; i < n; i++)
        k += strcmp(recs[i].msg, msg) == 0 && (!label || strcmp(recs[i].label, label) == 0);
    return k;
}

/* --- formats of IDs and numbers -------------------------------------------- */

/* n lowercase hex digits and nothing else, not all zero. */
static inline int tf_is_hex_id(const char *s, size_t n) {
    size_t i;
    int nonzero = 0;
    if (strlen(s) != n) return 0;
    for (i = 0; i < n; i++) {
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return 0;
        nonzero |= s[i] != '0';
    }
    return nonzero;
}

static inline void tf_hex64(uint64_t v, char out[17]) {
    snprintf(out, 17, "%016llx", (unsigned long long)v);
}

/* In the raw record, "key": is followed by digits, '.', exactly three digits
   and then ',' or '}'. */
static inline int tf_three_decimals(const char *raw, const char *key) {
    char pat[64];
    const char *p;
    int k;
    snprintf(pat, sizeof pat, "\"%s\":", key);
    p = strstr(raw, pat);
    if (!p) return 0;
    p += strlen(pat);
    if (!isdigit((unsigned char)*p)) return 0;
    while (isdigit((unsigned char)*p)) p++;
    if (*p++ != '.') return 0;
    for (k = 0; k < 3; k++)
        if (!isdigit((unsigned char)*p++)) return 0;
    return *p == ',' || *p == '}';
}

/* --- children --------------------------------------------------------------- */

typedef struct tf_child_out {
    int status;
    char *out, *err;
} tf_child_out;

/* Run this program again as `self mode [arg]` with env changes (see
   tu_spawn_start; NULL-terminated, may be NULL), stdin from in_text (NULL:
   /dev/null). Captures stdout and stderr. */
static inline tf_child_out tf_child_in(const char *mode, const char *arg,
                                       const char *const *env, const char *in_text) {
    tf_child_out r;
    const char *args[4];
    int o = tu_tmpfd(), e = tu_tmpfd(), in = -1;
    pid_t pid;
    args[0] = "self";
    args[1] = mode;
    args[2] = arg;
    args[3] = NULL;
    if (in_text) {
        in = tu_tmpfd();
        assert_int_equal(write(in, in_text, strlen(in_text)), (ssize_t)strlen(in_text));
        assert_int_equal(lseek(in, 0, SEEK_SET), 0);
    }
    pid = tu_spawn_start(args, env, in, o, e);
    r.status = tu_wait(pid);
    r.out = tu_read_all(o, NULL);
    r.err = tu_read_all(e, NULL);
    close(o);
    close(e);
    if (in >= 0) close(in);
    return r;
}
static inline tf_child_out tf_child(const char *mode, const char *arg, const char *const *env) {
    return tf_child_in(mode, arg, env, NULL);
}
static inline void tf_child_free(tf_child_out *r) {
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

/* The environment a child starts from: json on stdout, nothing else set. */
#define TF_CHILD_ENV "LOG_FORMAT=json", "LOG_LEVEL", "LOG_BUFFER", "TRACEPARENT", \
                     "TRACE_CPU", "TRACE_SAMPLE", "TRACE_TIMING"

static inline int tf_count_substr(const char *s, const char *sub) {
    int n = 0;
    while ((s = strstr(s, sub)) != NULL) {
        n++;
        s += strlen(sub);
    }
    return n;
}

static inline int tf_count_lines(const char *s) {
    int n = 0;
    for (; *s; s++) n += *s == '\n';
    return n;
}

#endif /* TRACE_TEST_SCOPE_UTIL_H */
