/* group.c - tracestat stage 2: records to runs to labels. */
#define _POSIX_C_SOURCE 200809L
#include "group.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "stats.h"

/* span -> summed wall ms of its already finished child scopes */
struct ts_pend {
    uint64_t span;
    double child_ms;
    int used;
};

static uint64_t ts__hash(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211u;
    }
    return h;
}

static uint64_t ts__mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdu;
    x ^= x >> 33;
    return x;
}

void ts_set_init(ts_set *s, const char *name)
{
    memset(s, 0, sizeof *s);
    s->name = strdup(name ? name : "");
    s->fp.cores = -1;
    s->fp.runs = s->fp.warmup = s->fp.failed = -1;
}

void ts_set_free(ts_set *s)
{
    for (size_t i = 0; i < s->nlabels; i++) {
        ts_label *l = s->labels[i];
        free(l->name);
        free(l->runs);
        free(l->vals);
        free(l->cpu);
        free(l);
    }
    for (size_t i = 0; i < s->nruns; i++) free(s->run_names[i]);
    free(s->run_names);
    free(s->labels);
    free(s->table);
    free(s->pend);
    free(s->name);
    memset(s, 0, sizeof *s);
}

static int ts__grow(void **p, size_t *cap, size_t need, size_t elem)
{
    size_t nc;
    void *q;
    if (need <= *cap) return 0;
    nc = *cap ? *cap : 16;
    while (nc < need) {
        if (nc > ((size_t)-1) / 2 / elem) return -1;
        nc *= 2;
    }
    q = realloc(*p, nc * elem);
    if (!q) return -1;
    *p = q;
    *cap = nc;
    return 0;
}

static ts_label *ts__lookup(const ts_set *s, const char *name, size_t n, uint64_t h)
{
    size_t mask;
    if (!s->table) return NULL;
    mask = s->tablecap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        ts_label *l = s->table[i];
        if (!l) return NULL;
        if (l->hash == h && l->name_len == n && memcmp(l->name, name, n) == 0) return l;
    }
}

static int ts__rehash(ts_set *s, size_t cap)
{
    ts_label **t = calloc(cap, sizeof *t);
    if (!t) return -1;
    for (size_t k = 0; k < s->nlabels; k++) {
        ts_label *l = s->labels[k];
        size_t i = (size_t)l->hash & (cap - 1);
        while (t[i]) i = (i + 1) & (cap - 1);
        t[i] = l;
    }
    free(s->table);
    s->table = t;
    s->tablecap = cap;
    return 0;
}

ts_label *ts_set_intern(ts_set *s, const char *name, size_t n)
{
    uint64_t h = ts__hash(name, n);
    ts_label *l = ts__lookup(s, name, n, h);
    size_t i;
    if (l) return l;
    if ((s->nlabels + 1) * 2 > s->tablecap && ts__rehash(s, s->tablecap ? s->tablecap * 2 : 64) != 0) return NULL;
    if (ts__grow((void **)&s->labels, &s->caplabels, s->nlabels + 1, sizeof *s->labels) != 0) return NULL;
    l = calloc(1, sizeof *l);
    if (!l) return NULL;
    l->name = malloc(n + 1);
    if (!l->name) {
        free(l);
        return NULL;
    }
    memcpy(l->name, name, n);
    l->name[n] = '\0';
    l->name_len = n;
    l->hash = h;
    s->labels[s->nlabels++] = l;
    i = (size_t)h & (s->tablecap - 1);
    while (s->table[i]) i = (i + 1) & (s->tablecap - 1);
    s->table[i] = l;
    return l;
}

ts_label *ts_set_find(const ts_set *s, const char *label)
{
    size_t n = strlen(label);
    return ts__lookup(s, label, n, ts__hash(label, n));
}

int ts_label_push_run(ts_label *l, const ts_runstat *rs)
{
    if (ts__grow((void **)&l->runs, &l->caprun, l->nruns + 1, sizeof *l->runs) != 0) return -1;
    l->runs[l->nruns++] = *rs;
    return 0;
}

/* ---- pending parents (linear probing, backward-shift deletion) ---------- */

static struct ts_pend *ts__pend_slot(ts_set *s, uint64_t span, int create)
{
    size_t mask, i;
    if (!s->pend) {
        if (!create) return NULL;
        s->pendcap = 1024;
        s->pend = calloc(s->pendcap, sizeof *s->pend);
        if (!s->pend) return NULL;
    }
    if (create && (s->npend + 1) * 2 > s->pendcap) {
        size_t nc = s->pendcap * 2;
        struct ts_pend *np = calloc(nc, sizeof *np);
        if (!np) return NULL;
        for (size_t k = 0; k < s->pendcap; k++) {
            if (!s->pend[k].used) continue;
            i = (size_t)ts__mix(s->pend[k].span) & (nc - 1);
            while (np[i].used) i = (i + 1) & (nc - 1);
            np[i] = s->pend[k];
        }
        free(s->pend);
        s->pend = np;
        s->pendcap = nc;
    }
    mask = s->pendcap - 1;
    for (i = (size_t)ts__mix(span) & mask;; i = (i + 1) & mask) {
        if (!s->pend[i].used) {
            if (!create) return NULL;
            s->pend[i].used = 1;
            s->pend[i].span = span;
            s->pend[i].child_ms = 0;
            s->npend++;
            return &s->pend[i];
        }
        if (s->pend[i].span == span) return &s->pend[i];
    }
}

static void ts__pend_delete(ts_set *s, struct ts_pend *slot)
{
    size_t mask = s->pendcap - 1;
    size_t i = (size_t)(slot - s->pend);
    size_t j = i;
    s->pend[i].used = 0;
    s->npend--;
    for (;;) {
        size_t home;
        j = (j + 1) & mask;
        if (!s->pend[j].used) return;
        home = (size_t)ts__mix(s->pend[j].span) & mask;
        /* move j back to i when its home is not cyclically within (i, j] */
        if ((j > i && (home <= i || home > j)) || (j < i && (home <= i && home > j))) {
            s->pend[i] = s->pend[j];
            s->pend[j].used = 0;
            i = j;
        }
    }
}

/* ---- runs ------------------------------------------------------------------ */

int ts_set_begin_run(ts_set *s, const char *run_name)
{
    char *nm;
    if (s->in_run) ts_set_end_run(s);
    if (ts__grow((void **)&s->run_names, &s->capruns, s->nruns + 1, sizeof *s->run_names) != 0) return -1;
    nm = strdup(run_name ? run_name : "");
    if (!nm) return -1;
    s->run_names[s->nruns++] = nm;
    s->in_run = 1;
    return 0;
}

static void ts__keep_slow(ts_set *s, const ts_record *rec)
{
    size_t k = s->nslowest;
    ts_slow e;
    if (k == TS_SLOWEST_KEEP && rec->ms <= s->slowest[k - 1].ms) return;
    e.ms = rec->ms;
    e.trace_hi = rec->trace_hi;
    e.trace_lo = rec->trace_lo;
    e.run = (uint32_t)(s->nruns - 1);
    snprintf(e.label, sizeof e.label, "%s", rec->label.p);
    if (k < TS_SLOWEST_KEEP) s->nslowest = ++k;
    /* insertion: slowest first */
    k--;
    while (k > 0 && s->slowest[k - 1].ms < e.ms) {
        s->slowest[k] = s->slowest[k - 1];
        k--;
    }
    s->slowest[k] = e;
}

static void ts__keep_errtrace(ts_set *s, const ts_record *rec)
{
    ts_errtrace *e;
    for (size_t i = 0; i < s->nerrtraces; i++)
        if (s->errtraces[i].trace_hi == rec->trace_hi && s->errtraces[i].trace_lo == rec->trace_lo) return;
    if (s->nerrtraces == TS_ERRTRACE_KEEP) return;
    e = &s->errtraces[s->nerrtraces++];
    e->trace_hi = rec->trace_hi;
    e->trace_lo = rec->trace_lo;
    e->run = (uint32_t)(s->nruns - 1);
    snprintf(e->msg, sizeof e->msg, "%s", rec->msg.p);
}

int ts_set_add(ts_set *s, const ts_record *rec)
{
    ts_label *l;
    if (!s->in_run && ts_set_begin_run(s, "") != 0) return -1;
    s->records++;
    s->levels[rec->level]++;
    if (rec->level == TS_LVL_ERROR || rec->level == TS_LVL_CRITICAL) {
        s->error_records++;
        if (rec->has & TS_HAS_TRACE) ts__keep_errtrace(s, rec);
    }
    if (rec->kind == TS_REC_OTHER) return 0;
    l = ts_set_intern(s, rec->label.p, rec->label.n);
    if (!l) return -1;
    if (rec->kind == TS_REC_SUMMARY) {
        /* the last summary of a label in a run wins (a flush repeats the totals) */
        s->summaries++;
        l->has_summary = 1;
        l->s_count = rec->count;
        l->s_total = rec->total_ms;
        l->s_min = rec->min_ms;
        l->s_max = rec->max_ms;
        l->s_p50 = rec->p50_ms;
        l->s_p90 = rec->p90_ms;
        l->s_p99 = rec->p99_ms;
        return 0;
    }
    s->timing++;
    if (l->nvals == l->capvals &&
        ts__grow((void **)&l->vals, &l->capvals, l->nvals + 1, sizeof *l->vals) != 0)
        return -1;
    l->vals[l->nvals++] = rec->ms;
    if (rec->has & TS_HAS_CPU) {
        if (l->ncpu == l->capcpu && ts__grow((void **)&l->cpu, &l->capcpu, l->ncpu + 1, sizeof *l->cpu) != 0)
            return -1;
        l->cpu[l->ncpu++] = rec->ms > 0 ? (float)(rec->cpu_ms / rec->ms) : 0.0f;
    }
    if (rec->has & TS_HAS_SPAN) {
        double self = rec->ms;
        struct ts_pend *pe = ts__pend_slot(s, rec->span, 0);
        if (pe) {
            self -= pe->child_ms;
            ts__pend_delete(s, pe);
        }
        if (self < 0) self = 0; /* children on other threads may outlive the parent */
        l->self_sum += self;
        l->has_self = 1;
        if (rec->has & TS_HAS_PARENT) {
            pe = ts__pend_slot(s, rec->parent, 1);
            if (!pe) return -1;
            pe->child_ms += rec->ms;
        }
        if (!(rec->has & TS_HAS_PARENT) && (rec->has & TS_HAS_TRACE)) ts__keep_slow(s, rec);
    } else if (rec->has & TS_HAS_TRACE) {
        ts__keep_slow(s, rec);
    }
    return 0;
}

/* In-place sort of a run's values (no NaN). stats.h's ts_sort is qsort, which
 * in glibc allocates a second array as large as the input: for a label with
 * millions of calls that would double the memory of the largest run. This is
 * an introsort: quicksort with a median-of-three pivot, insertion sort for
 * short ranges, heapsort when the recursion gets too deep; no allocation. */
static void ts__isort(double *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        double x = v[i];
        size_t j = i;
        while (j > 0 && v[j - 1] > x) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

static void ts__sift(double *v, size_t root, size_t n)
{
    for (;;) {
        size_t c = 2 * root + 1;
        double t;
        if (c >= n) return;
        if (c + 1 < n && v[c + 1] > v[c]) c++;
        if (v[root] >= v[c]) return;
        t = v[root];
        v[root] = v[c];
        v[c] = t;
        root = c;
    }
}

static void ts__hsort(double *v, size_t n)
{
    for (size_t i = n / 2; i-- > 0;) ts__sift(v, i, n);
    for (size_t i = n; i-- > 1;) {
        double t = v[0];
        v[0] = v[i];
        v[i] = t;
        ts__sift(v, 0, i);
    }
}

static void ts__sort_values(double *v, size_t n)
{
    int budget = 0;
    for (size_t k = n; k > 1; k >>= 1) budget += 2;
    while (n > 24) {
        size_t i, j;
        double a = v[0], b = v[n / 2], c = v[n - 1], pivot, t;
        if (budget-- <= 0) {
            ts__hsort(v, n);
            return;
        }
        pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
        /* Hoare partition */
        i = 0;
        j = n - 1;
        for (;;) {
            while (v[i] < pivot) i++;
            while (v[j] > pivot) j--;
            if (i >= j) break;
            t = v[i];
            v[i] = v[j];
            v[j] = t;
            i++;
            j--;
        }
        /* [0, j] <= pivot <= [j+1, n): recurse on the smaller side, loop on the larger */
        if (j + 1 < n - j - 1) {
            ts__sort_values(v, j + 1);
            v += j + 1;
            n -= j + 1;
        } else {
            ts__sort_values(v + j + 1, n - j - 1);
            n = j + 1;
        }
    }
    ts__isort(v, n);
}

static void ts__reduce(ts_label *l, uint32_t run, ts_runstat *rs)
{
    size_t n = l->nvals;
    double *v = l->vals;
    double sum = 0;
    memset(rs, 0, sizeof *rs);
    rs->run = run;
    ts__sort_values(v, n);
    for (size_t i = 0; i < n; i++) sum += v[i];
    rs->calls = (double)n;
    rs->total = sum;
    rs->min = v[0];
    rs->max = v[n - 1];
    rs->p25 = ts_quantile(v, n, 0.25);
    rs->median = ts_quantile(v, n, 0.5);
    rs->p75 = ts_quantile(v, n, 0.75);
    rs->p90 = ts_quantile(v, n, 0.90);
    rs->p95 = ts_quantile(v, n, 0.95);
    rs->p99 = ts_quantile(v, n, 0.99);
    rs->mean = sum / (double)n;
    rs->sd = ts_sd(v, n);
    rs->self_total = l->has_self ? l->self_sum : NAN;
    rs->cpu_ratio = NAN;
    if (l->ncpu > 0) {
        /* reuse the value buffer: it holds at least as many slots */
        size_t m = l->ncpu;
        for (size_t i = 0; i < m; i++) v[i] = (double)l->cpu[i];
        ts__sort_values(v, m);
        /* the ratios were stored as float: keep the digits a float has */
        rs->cpu_ratio = round(ts_quantile(v, m, 0.5) * 1e6) / 1e6;
    }
}

int ts_set_end_run(ts_set *s)
{
    uint32_t run;
    int rc = 0;
    if (!s->in_run) return 0;
    run = (uint32_t)(s->nruns - 1);
    for (size_t i = 0; i < s->nlabels; i++) {
        ts_label *l = s->labels[i];
        ts_runstat rs;
        if (l->nvals > 0) {
            ts__reduce(l, run, &rs);
            if (ts_label_push_run(l, &rs) != 0) rc = -1;
        } else if (l->has_summary && l->s_count > 0) {
            memset(&rs, 0, sizeof rs);
            rs.run = run;
            rs.from_summary = 1;
            rs.calls = l->s_count;
            rs.total = l->s_total;
            rs.min = l->s_min;
            rs.max = l->s_max;
            rs.median = l->s_p50;
            rs.p90 = l->s_p90;
            rs.p99 = l->s_p99;
            rs.p25 = rs.p75 = rs.p95 = rs.sd = NAN;
            rs.mean = l->s_total / l->s_count;
            rs.self_total = NAN;
            rs.cpu_ratio = NAN;
            if (ts_label_push_run(l, &rs) != 0) rc = -1;
        }
        /* drop the per-call values: memory is bounded by one run */
        if (l->capvals > 4096) {
            free(l->vals);
            l->vals = NULL;
            l->capvals = 0;
        }
        if (l->capcpu > 4096) {
            free(l->cpu);
            l->cpu = NULL;
            l->capcpu = 0;
        }
        l->nvals = l->ncpu = 0;
        l->self_sum = 0;
        l->has_self = 0;
        l->has_summary = 0;
    }
    if (s->pend) memset(s->pend, 0, s->pendcap * sizeof *s->pend);
    s->npend = 0;
    s->in_run = 0;
    return rc;
}

int ts_set_read_run(ts_set *s, ts_reader *r, const char *run_name)
{
    ts_record rec;
    int rc;
    if (ts_set_begin_run(s, run_name) != 0) return -1;
    while ((rc = ts_reader_next(r, &rec, &s->errs)) > 0) {
        if (ts_set_add(s, &rec) != 0) {
            ts_set_end_run(s);
            errno = ENOMEM;
            return -1;
        }
    }
    if (ts_set_end_run(s) != 0) {
        errno = ENOMEM;
        return -1;
    }
    return rc < 0 ? -1 : 0;
}

static int ts__cmpstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ts__has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n > m && strcmp(s + n - m, suf) == 0;
}

int ts_set_read_path(ts_set *s, ts_reader *r, const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (strcmp(path, "-") == 0) {
        ts_reader_open(r, "-");
        if (ts_set_read_run(s, r, "<stdin>") != 0) {
            snprintf(err, errlen, "<stdin>: %s", strerror(errno));
            ts_reader_close(r);
            return -1;
        }
        ts_reader_close(r);
        return 0;
    }
    if (stat(path, &st) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *de;
        char **names = NULL;
        size_t n = 0, cap = 0;
        int rc = 0;
        char fpath[4096];
        if (!d) {
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
            return -1;
        }
        while ((de = readdir(d)) != NULL) {
            char *nm;
            if (de->d_name[0] == '.' || !ts__has_suffix(de->d_name, ".jsonl")) continue;
            if (ts__grow((void **)&names, &cap, n + 1, sizeof *names) != 0 || !(nm = strdup(de->d_name))) {
                rc = -1;
                snprintf(err, errlen, "%s: out of memory", path);
                break;
            }
            names[n++] = nm;
        }
        closedir(d);
        if (rc == 0 && n > 0) qsort(names, n, sizeof *names, ts__cmpstr);
        if (rc == 0 && n == 0) {
            snprintf(err, errlen, "%s: no *.jsonl files in the directory", path);
            rc = -1;
        }
        for (size_t i = 0; rc == 0 && i < n; i++) {
            snprintf(fpath, sizeof fpath, "%s/%s", path, names[i]);
            if (ts_reader_open(r, fpath) != 0 || ts_set_read_run(s, r, names[i]) != 0) {
                snprintf(err, errlen, "%s: %s", fpath, strerror(errno));
                rc = -1;
            }
            ts_reader_close(r);
        }
        for (size_t i = 0; i < n; i++) free(names[i]);
        free(names);
        if (rc == 0) {
            snprintf(fpath, sizeof fpath, "%s/fingerprint.json", path);
            ts_fingerprint_load(fpath, &s->fp);
        }
        return rc;
    }
    if (ts_reader_open(r, path) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    {
        const char *base = strrchr(path, '/');
        if (ts_set_read_run(s, r, base ? base + 1 : path) != 0) {
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
            ts_reader_close(r);
            return -1;
        }
    }
    ts_reader_close(r);
    return 0;
}

double ts_label_median_of(const ts_label *l, size_t off)
{
    double buf[64];
    double *v = buf;
    size_t n = 0;
    double m;
    if (l->nruns > 64) {
        v = malloc(l->nruns * sizeof *v);
        if (!v) return NAN;
    }
    for (size_t i = 0; i < l->nruns; i++) {
        double x;
        memcpy(&x, (const char *)&l->runs[i] + off, sizeof x);
        if (!isnan(x)) v[n++] = x;
    }
    if (n == 0) {
        m = NAN;
    } else {
        ts_sort(v, n);
        m = ts_quantile(v, n, 0.5);
    }
    if (v != buf) free(v);
    return m;
}

/* ---- fingerprint -------------------------------------------------------------- */

char *ts_slurp(const char *path, size_t max, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0;
    if (!f) return NULL;
    for (;;) {
        size_t got;
        if (n + 4096 + 1 > cap) {
            char *nb;
            cap = cap ? cap * 2 : 8192;
            if (cap > max + 4097) cap = max + 4097;
            nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (n > max) {
            free(buf);
            fclose(f);
            errno = EFBIG;
            return NULL;
        }
        if (got == 0) break;
    }
    if (ferror(f)) {
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static void ts__copy(char *dst, size_t cap, const ts_str *s)
{
    size_t n = s->n < cap - 1 ? s->n : cap - 1;
    memcpy(dst, s->p, n);
    dst[n] = '\0';
}

int ts_fingerprint_parse(ts_json *j, ts_fingerprint *fp)
{
    ts_str key;
    int rc;
    memset(fp, 0, sizeof *fp);
    fp->cores = -1;
    fp->runs = fp->warmup = fp->failed = -1;
    if (ts_json_obj_begin(j) != 0) return -1;
    while ((rc = ts_json_obj_next(j, &key)) > 0) {
        ts_str v;
        double d;
        char *dst = NULL;
        size_t cap = 0;
        if (strcmp(key.p, "cpu") == 0) { dst = fp->cpu; cap = sizeof fp->cpu; }
        else if (strcmp(key.p, "os") == 0) { dst = fp->os; cap = sizeof fp->os; }
        else if (strcmp(key.p, "kernel") == 0) { dst = fp->kernel; cap = sizeof fp->kernel; }
        else if (strcmp(key.p, "machine") == 0) { dst = fp->machine; cap = sizeof fp->machine; }
        else if (strcmp(key.p, "command") == 0) { dst = fp->command; cap = sizeof fp->command; }
        else if (strcmp(key.p, "created") == 0) { dst = fp->created; cap = sizeof fp->created; }
        if (dst && ts_json_peek(j) == TS_J_STRING) {
            if (ts_json_string(j, &v) != 0) return -1;
            ts__copy(dst, cap, &v);
            continue;
        }
        if (ts_json_peek(j) == TS_J_NUMBER) {
            long *ldst = NULL;
            if (strcmp(key.p, "cores") == 0) ldst = &fp->cores;
            else if (strcmp(key.p, "runs_total") == 0) ldst = &fp->runs;
            else if (strcmp(key.p, "warmup") == 0) ldst = &fp->warmup;
            else if (strcmp(key.p, "runs_failed") == 0) ldst = &fp->failed;
            if (ldst) {
                if (ts_json_number(j, &d) != 0) return -1;
                *ldst = (d >= 0 && d < 1e9) ? (long)d : -1;
                continue;
            }
        }
        if (ts_json_skip(j) != 0) return -1;
    }
    if (rc < 0) return -1;
    fp->present = 1;
    return 0;
}

int ts_fingerprint_load(const char *path, ts_fingerprint *fp)
{
    size_t n;
    char *buf = ts_slurp(path, 1u << 20, &n);
    ts_json j;
    ts_fingerprint tmp;
    if (!buf) return -1;
    ts_json_init(&j, buf, n);
    if (ts_fingerprint_parse(&j, &tmp) != 0 || ts_json_finish(&j) != 0) {
        free(buf);
        return -1;
    }
    *fp = tmp;
    free(buf);
    return 0;
}
