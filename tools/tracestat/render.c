/* render.c - tracestat's output stage: text, Markdown and JSON tables, the
 * Markdown report, and the Chrome Trace Event timeline. */
#define _POSIX_C_SOURCE 200809L
#include "render.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

#ifndef TRACESTAT_VERSION
#define TRACESTAT_VERSION "0.1.0"
#endif

static const char *const ts__lvl_names[TS_LVL_COUNT] = { "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL", "other" };

/* ---- small formatting helpers ----------------------------------------------- */

void ts_put_jstr(FILE *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    fputc('"', out);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        case '\b': fputs("\\b", out); break;
        case '\f': fputs("\\f", out); break;
        default:
            if (c < 0x20 || c == 0x7f) {
                fputs("\\u00", out);
                fputc(hex[c >> 4], out);
                fputc(hex[c & 15], out);
            } else {
                fputc((int)c, out);
            }
        }
    }
    fputc('"', out);
}

void ts_put_jnum(FILE *out, double v)
{
    char buf[40];
    if (!isfinite(v)) {
        fputs("null", out);
        return;
    }
    if (v == floor(v) && fabs(v) < 9007199254740992.0) {
        fprintf(out, "%.0f", v);
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        ts_json j;
        double back = NAN;
        char tmp[40];
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        memcpy(tmp, buf, sizeof tmp);
        ts_json_init(&j, tmp, strlen(tmp));
        if (ts_json_number(&j, &back) == 0 && back == v) break;
    }
    fputs(buf, out);
}

static double ts__median_of_vec(const double *x, size_t n)
{
    double buf[256];
    double *v = buf, m;
    size_t k = 0;
    if (n > 256 && !(v = malloc(n * sizeof *v))) return NAN;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i])) v[k++] = x[i];
    if (k == 0) {
        m = NAN;
    } else {
        ts_sort(v, k);
        m = ts_quantile(v, k, 0.5);
    }
    if (v != buf) free(v);
    return m;
}

void ts_fmt_time(char *buf, size_t cap, double ms)
{
    static const char *const units[] = { "ns", "us", "ms", "s" };
    static const double scale[] = { 1e6, 1e3, 1.0, 1e-3 };
    double a, v;
    int u;
    if (isnan(ms)) {
        snprintf(buf, cap, "-");
        return;
    }
    if (isinf(ms)) {
        snprintf(buf, cap, ms > 0 ? "inf" : "-inf");
        return;
    }
    if (ms == 0) {
        snprintf(buf, cap, "0");
        return;
    }
    a = fabs(ms);
    if (a < 1e-3) u = 0;
    else if (a < 1.0) u = 1;
    else if (a < 1000.0) u = 2;
    else u = 3;
    for (;;) {
        int dec;
        v = ms * scale[u];
        a = fabs(v);
        if (a < 1.0) {
            /* only below 1 ns, or just under 1 after moving to a larger unit */
            snprintf(buf, cap, a >= 0.99995 ? "%.3f %s" : "%.3g %s", v, units[u]);
            return;
        }
        dec = a < 9.9995 ? 3 : a < 99.995 ? 2 : a < 999.95 ? 1 : 0;
        if (dec == 0 && u < 3) {
            u++;
            continue;
        }
        snprintf(buf, cap, "%.*f %s", dec, v, units[u]);
        return;
    }
}

void ts_fmt_effect(char *buf, size_t cap, double ratio)
{
    double pct;
    if (isnan(ratio)) {
        snprintf(buf, cap, "-");
        return;
    }
    if (isinf(ratio)) {
        snprintf(buf, cap, "slower (from 0)");
        return;
    }
    pct = (ratio - 1.0) * 100.0;
    if (fabs(pct) < 0.05)
        snprintf(buf, cap, "no change");
    else if (pct > 0)
        snprintf(buf, cap, "+%.1f%% slower", pct);
    else
        snprintf(buf, cap, "%.1f%% faster", pct);
}

static void ts__fmt_pct(char *buf, size_t cap, double frac)
{
    if (isnan(frac))
        snprintf(buf, cap, "-");
    else if (isinf(frac))
        snprintf(buf, cap, frac > 0 ? "+inf%%" : "-inf%%");
    else
        snprintf(buf, cap, "%+.1f%%", frac * 100.0);
}

static void ts__fmt_p(char *buf, size_t cap, double p)
{
    if (isnan(p))
        snprintf(buf, cap, "-");
    else if (p < 0.0001)
        snprintf(buf, cap, "<0.0001");
    else
        snprintf(buf, cap, "%.4f", p);
}

static void ts__fmt_count(char *buf, size_t cap, double v)
{
    if (isnan(v))
        snprintf(buf, cap, "-");
    else if (v == floor(v))
        snprintf(buf, cap, "%.0f", v);
    else
        snprintf(buf, cap, "%.1f", v);
}

double ts_runstat_value(const ts_runstat *rs, ts_stat stat)
{
    switch (stat) {
    case TS_STAT_MEDIAN: return rs->median;
    case TS_STAT_MEAN: return rs->mean;
    case TS_STAT_MIN: return rs->min;
    case TS_STAT_MAX: return rs->max;
    case TS_STAT_P90: return rs->p90;
    case TS_STAT_P95: return rs->p95;
    case TS_STAT_P99: return rs->p99;
    case TS_STAT_STDDEV: return rs->sd;
    case TS_STAT_IQR: return rs->p75 - rs->p25;
    default: return NAN;
    }
}

/* Display width of UTF-8 text: code points, not bytes. */
static size_t ts__width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) w++;
    return w;
}

/* ---- a table of strings, printed aligned or as Markdown -------------------------- */

typedef struct ts_table {
    size_t ncols, nrows, cap;
    char **cells;     /* row-major, nrows * ncols */
    const char *align; /* 'l' or 'r' per column */
} ts_table;

static void ts__tab_init(ts_table *t, size_t ncols, const char *align)
{
    memset(t, 0, sizeof *t);
    t->ncols = ncols;
    t->align = align;
}

static char *ts__dupsafe(const char *s)
{
    /* control bytes would break a table line: show them as '?' */
    size_t n = strlen(s);
    char *d = malloc(n + 1);
    if (!d) return NULL;
    for (size_t i = 0; i <= n; i++) d[i] = (i < n && (unsigned char)s[i] < 0x20) ? '?' : s[i];
    return d;
}

static int ts__tab_row(ts_table *t, const char *const *cells)
{
    if ((t->nrows + 1) * t->ncols > t->cap) {
        size_t nc = t->cap ? t->cap * 2 : t->ncols * 32;
        char **n;
        while (nc < (t->nrows + 1) * t->ncols) nc *= 2;
        n = realloc(t->cells, nc * sizeof *n);
        if (!n) return -1;
        t->cells = n;
        t->cap = nc;
    }
    for (size_t c = 0; c < t->ncols; c++) t->cells[t->nrows * t->ncols + c] = ts__dupsafe(cells[c] ? cells[c] : "");
    t->nrows++;
    return 0;
}

static void ts__tab_free(ts_table *t)
{
    for (size_t i = 0; i < t->nrows * t->ncols; i++) free(t->cells[i]);
    free(t->cells);
    memset(t, 0, sizeof *t);
}

static void ts__pad(FILE *out, size_t n)
{
    while (n--) fputc(' ', out);
}

/* Row 0 is the header. */
static void ts__tab_text(FILE *out, const ts_table *t)
{
    size_t *w = calloc(t->ncols, sizeof *w);
    if (!w) return;
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = t->cells[r * t->ncols + c];
            size_t cw = s ? ts__width(s) : 0;
            if (cw > w[c]) w[c] = cw;
        }
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = t->cells[r * t->ncols + c];
            size_t cw;
            if (!s) s = "";
            cw = ts__width(s);
            if (c) fputs("  ", out);
            if (t->align[c] == 'r') {
                ts__pad(out, w[c] - cw);
                fputs(s, out);
            } else {
                fputs(s, out);
                if (c + 1 < t->ncols) ts__pad(out, w[c] - cw);
            }
        }
        fputc('\n', out);
        if (r == 0) {
            size_t total = 0;
            for (size_t c = 0; c < t->ncols; c++) total += w[c] + (c ? 2 : 0);
            for (size_t i = 0; i < total; i++) fputc('-', out);
            fputc('\n', out);
        }
    }
    free(w);
}

/* Markdown cell text: '|' escaped; other bytes as they are. */
static void ts__md_text(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '|') fputs("\\|", out);
        else fputc(*s, out);
    }
}

/* A label as a Markdown code span, '|' escaped (GitHub tables need that even inside code). */
static void ts__md_code(FILE *out, const char *s)
{
    size_t run = 0, maxrun = 0;
    for (const char *p = s; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run > maxrun) maxrun = run;
    }
    for (size_t i = 0; i <= maxrun; i++) fputc('`', out);
    if (maxrun || s[0] == '`' || s[0] == '\0') fputc(' ', out);
    ts__md_text(out, s);
    if (maxrun || s[0] == '\0') fputc(' ', out);
    for (size_t i = 0; i <= maxrun; i++) fputc('`', out);
}

/* Column 0 is a label (code span) when code0 is set. */
static void ts__tab_md(FILE *out, const ts_table *t, size_t from, size_t to, int code0)
{
    for (size_t r = 0; r < t->nrows; r++) {
        if (r != 0 && (r < from || r >= to)) continue;
        fputc('|', out);
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = t->cells[r * t->ncols + c];
            fputc(' ', out);
            if (r > 0 && c == 0 && code0)
                ts__md_code(out, s ? s : "");
            else
                ts__md_text(out, s ? s : "");
            fputs(" |", out);
        }
        fputc('\n', out);
        if (r == 0) {
            fputc('|', out);
            for (size_t c = 0; c < t->ncols; c++) fputs(t->align[c] == 'r' ? " ---: |" : " :--- |", out);
            fputc('\n', out);
        }
    }
}

/* ---- summary ------------------------------------------------------------------ */

typedef struct ts__lsum {
    const ts_label *l;
    double calls, median, iqr, p95, min, max, mean, sd, total, self, cpu;
} ts__lsum;

#define TS__MED(l, field) ts_label_median_of((l), offsetof(ts_runstat, field))

static void ts__lsum_fill(ts__lsum *x, const ts_label *l)
{
    double *iqr = malloc((l->nruns ? l->nruns : 1) * sizeof *iqr);
    x->l = l;
    x->calls = TS__MED(l, calls);
    x->median = TS__MED(l, median);
    x->p95 = TS__MED(l, p95);
    x->mean = TS__MED(l, mean);
    x->sd = TS__MED(l, sd);
    x->total = TS__MED(l, total);
    x->self = TS__MED(l, self_total);
    x->cpu = TS__MED(l, cpu_ratio);
    x->min = INFINITY;
    x->max = -INFINITY;
    for (size_t i = 0; i < l->nruns; i++) {
        if (l->runs[i].min < x->min) x->min = l->runs[i].min;
        if (l->runs[i].max > x->max) x->max = l->runs[i].max;
        if (iqr) iqr[i] = l->runs[i].p75 - l->runs[i].p25;
    }
    if (l->nruns == 0) x->min = x->max = NAN;
    x->iqr = iqr ? ts__median_of_vec(iqr, l->nruns) : NAN;
    free(iqr);
}

static int ts__by_total(const void *a, const void *b)
{
    const ts__lsum *x = a, *y = b;
    double tx = isnan(x->total) ? -1 : x->total, ty = isnan(y->total) ? -1 : y->total;
    if (tx != ty) return tx > ty ? -1 : 1;
    return strcmp(x->l->name, y->l->name);
}

static ts__lsum *ts__summarise(const ts_set *s, size_t *n, int *any_self, int *any_cpu)
{
    ts__lsum *v = calloc(s->nlabels ? s->nlabels : 1, sizeof *v);
    size_t k = 0;
    *any_self = *any_cpu = 0;
    if (!v) return NULL;
    for (size_t i = 0; i < s->nlabels; i++) {
        if (s->labels[i]->nruns == 0) continue;
        ts__lsum_fill(&v[k], s->labels[i]);
        if (!isnan(v[k].self)) *any_self = 1;
        if (!isnan(v[k].cpu)) *any_cpu = 1;
        k++;
    }
    qsort(v, k, sizeof *v, ts__by_total);
    *n = k;
    return v;
}

static void ts__summary_table(ts_table *t, const ts__lsum *v, size_t n, int any_self, int any_cpu)
{
    static const char *const hdr[] = { "label", "runs", "calls/run", "median", "IQR", "IQR%", "p95",
                                       "min", "max", "mean ± sd", "total", "self", "cpu/wall" };
    size_t ncols = 11 + (size_t)any_self + (size_t)any_cpu;
    const char *h[13];
    size_t k = 0;
    for (size_t c = 0; c < 11; c++) h[k++] = hdr[c];
    if (any_self) h[k++] = hdr[11];
    if (any_cpu) h[k++] = hdr[12];
    ts__tab_init(t, ncols, "lrrrrrrrrrrrr");
    ts__tab_row(t, h);
    for (size_t i = 0; i < n; i++) {
        char b[13][80];
        const char *row[13];
        const ts__lsum *x = &v[i];
        char m[32], s[32];
        snprintf(b[0], sizeof b[0], "%s", "");
        snprintf(b[1], sizeof b[1], "%zu", x->l->nruns);
        ts__fmt_count(b[2], sizeof b[2], x->calls);
        ts_fmt_time(b[3], sizeof b[3], x->median);
        ts_fmt_time(b[4], sizeof b[4], x->iqr);
        if (isnan(x->iqr) || !(x->median > 0))
            snprintf(b[5], sizeof b[5], "-");
        else
            snprintf(b[5], sizeof b[5], "%.1f%%", x->iqr / x->median * 100.0);
        ts_fmt_time(b[6], sizeof b[6], x->p95);
        ts_fmt_time(b[7], sizeof b[7], x->min);
        ts_fmt_time(b[8], sizeof b[8], x->max);
        ts_fmt_time(m, sizeof m, x->mean);
        ts_fmt_time(s, sizeof s, x->sd);
        snprintf(b[9], sizeof b[9], "%s ± %s", m, s);
        ts_fmt_time(b[10], sizeof b[10], x->total);
        ts_fmt_time(b[11], sizeof b[11], x->self);
        if (isnan(x->cpu))
            snprintf(b[12], sizeof b[12], "-");
        else
            snprintf(b[12], sizeof b[12], "%.2f", x->cpu);
        k = 0;
        row[k++] = x->l->name;
        for (size_t c = 1; c < 11; c++) row[k++] = b[c];
        if (any_self) row[k++] = b[11];
        if (any_cpu) row[k++] = b[12];
        ts__tab_row(t, row);
    }
}

static void ts__levels_line(FILE *out, const ts_set *s, int md)
{
    fprintf(out, "%s%llu records:", md ? "" : "", (unsigned long long)s->records);
    for (int i = 0; i < TS_LVL_COUNT; i++) {
        if (i == TS_LVL_OTHER && s->levels[i] == 0) continue;
        fprintf(out, " %s %llu%s", ts__lvl_names[i], (unsigned long long)s->levels[i], i < TS_LVL_CRITICAL ? "," : "");
    }
    fprintf(out, "; errors (ERROR+CRITICAL) %llu; timing records %llu, summary records %llu; malformed lines %llu\n",
            (unsigned long long)s->error_records, (unsigned long long)s->timing, (unsigned long long)s->summaries,
            (unsigned long long)s->errs.count);
}

static void ts__json_errs(FILE *out, const ts_errs *e)
{
    fprintf(out, "{\"count\":%llu,\"first\":[", (unsigned long long)e->count);
    for (size_t i = 0; i < e->nkept; i++) {
        fputs(i ? ",{\"file\":" : "{\"file\":", out);
        ts_put_jstr(out, e->kept[i].file, strlen(e->kept[i].file));
        fprintf(out, ",\"line\":%llu,\"why\":", (unsigned long long)e->kept[i].line);
        ts_put_jstr(out, e->kept[i].why, strlen(e->kept[i].why));
        fputc('}', out);
    }
    fputs("]}", out);
}

static void ts__json_fp(FILE *out, const ts_fingerprint *fp)
{
    if (!fp->present) {
        fputs("null", out);
        return;
    }
    fputs("{\"cpu\":", out);
    ts_put_jstr(out, fp->cpu, strlen(fp->cpu));
    fprintf(out, ",\"cores\":%ld,\"os\":", fp->cores);
    ts_put_jstr(out, fp->os, strlen(fp->os));
    fputs(",\"kernel\":", out);
    ts_put_jstr(out, fp->kernel, strlen(fp->kernel));
    fputs(",\"machine\":", out);
    ts_put_jstr(out, fp->machine, strlen(fp->machine));
    fputs(",\"command\":", out);
    ts_put_jstr(out, fp->command, strlen(fp->command));
    fputs(",\"created\":", out);
    ts_put_jstr(out, fp->created, strlen(fp->created));
    fprintf(out, ",\"runs_total\":%ld,\"warmup\":%ld,\"runs_failed\":%ld}", fp->runs, fp->warmup, fp->failed);
}

static void ts__json_vec(FILE *out, const char *key, const ts_label *l, size_t off)
{
    fprintf(out, ",\"%s\":[", key);
    for (size_t r = 0; r < l->nruns; r++) {
        double v;
        memcpy(&v, (const char *)&l->runs[r] + off, sizeof v);
        if (r) fputc(',', out);
        ts_put_jnum(out, v);
    }
    fputc(']', out);
}

static void ts__json_traces(FILE *out, const ts_set *s)
{
    char tr[33];
    fputs(",\"slowest\":[", out);
    for (size_t i = 0; i < s->nslowest; i++) {
        const ts_slow *e = &s->slowest[i];
        ts_fmt_trace(tr, e->trace_hi, e->trace_lo);
        fprintf(out, "%s{\"trace\":\"%s\",\"label\":", i ? "," : "", tr);
        ts_put_jstr(out, e->label, strlen(e->label));
        fputs(",\"ms\":", out);
        ts_put_jnum(out, e->ms);
        fputs(",\"run\":", out);
        ts_put_jstr(out, s->run_names[e->run], strlen(s->run_names[e->run]));
        fputc('}', out);
    }
    fputs("],\"error_traces\":[", out);
    for (size_t i = 0; i < s->nerrtraces; i++) {
        const ts_errtrace *e = &s->errtraces[i];
        ts_fmt_trace(tr, e->trace_hi, e->trace_lo);
        fprintf(out, "%s{\"trace\":\"%s\",\"msg\":", i ? "," : "", tr);
        ts_put_jstr(out, e->msg, strlen(e->msg));
        fputs(",\"run\":", out);
        ts_put_jstr(out, s->run_names[e->run], strlen(s->run_names[e->run]));
        fputc('}', out);
    }
    fputc(']', out);
}

static void ts__summary_json(FILE *out, const ts_set *s, const ts__lsum *v, size_t n)
{
    fputs("{\"name\":", out);
    ts_put_jstr(out, s->name, strlen(s->name));
    fprintf(out, ",\"runs\":%zu,\"run_names\":[", s->nruns);
    for (size_t i = 0; i < s->nruns; i++) {
        if (i) fputc(',', out);
        ts_put_jstr(out, s->run_names[i], strlen(s->run_names[i]));
    }
    fprintf(out, "],\"records\":%llu,\"levels\":{", (unsigned long long)s->records);
    for (int i = 0; i < TS_LVL_COUNT; i++)
        fprintf(out, "%s\"%s\":%llu", i ? "," : "", ts__lvl_names[i], (unsigned long long)s->levels[i]);
    fprintf(out, "},\"errors\":%llu,\"timing_records\":%llu,\"summary_records\":%llu,\"malformed\":",
            (unsigned long long)s->error_records, (unsigned long long)s->timing, (unsigned long long)s->summaries);
    ts__json_errs(out, &s->errs);
    fputs(",\"fingerprint\":", out);
    ts__json_fp(out, &s->fp);
    ts__json_traces(out, s);
    fputs(",\"labels\":[", out);
    for (size_t i = 0; i < n; i++) {
        const ts__lsum *x = &v[i];
        const ts_label *l = x->l;
        static const struct { const char *k; size_t off; } vec[] = {
            { "calls", offsetof(ts_runstat, calls) },   { "total_ms", offsetof(ts_runstat, total) },
            { "min_ms", offsetof(ts_runstat, min) },    { "p25_ms", offsetof(ts_runstat, p25) },
            { "median_ms", offsetof(ts_runstat, median) }, { "p75_ms", offsetof(ts_runstat, p75) },
            { "p90_ms", offsetof(ts_runstat, p90) },    { "p95_ms", offsetof(ts_runstat, p95) },
            { "p99_ms", offsetof(ts_runstat, p99) },    { "max_ms", offsetof(ts_runstat, max) },
            { "mean_ms", offsetof(ts_runstat, mean) },  { "sd_ms", offsetof(ts_runstat, sd) },
            { "self_ms", offsetof(ts_runstat, self_total) }, { "cpu_ratio", offsetof(ts_runstat, cpu_ratio) },
        };
        const struct { const char *k; double v; } sc[] = {
            { "calls_per_run", x->calls }, { "median_ms", x->median }, { "iqr_ms", x->iqr },
            { "iqr_pct", x->median > 0 ? x->iqr / x->median * 100.0 : NAN }, { "p95_ms", x->p95 },
            { "min_ms", x->min }, { "max_ms", x->max }, { "mean_ms", x->mean }, { "sd_ms", x->sd },
            { "total_ms", x->total }, { "self_ms", x->self }, { "cpu_ratio", x->cpu },
        };
        fputs(i ? ",\n{\"label\":" : "\n{\"label\":", out);
        ts_put_jstr(out, l->name, l->name_len);
        fprintf(out, ",\"runs\":%zu", l->nruns);
        for (size_t k = 0; k < sizeof sc / sizeof sc[0]; k++) {
            fprintf(out, ",\"%s\":", sc[k].k);
            ts_put_jnum(out, sc[k].v);
        }
        fputs(",\"per_run\":{\"run\":[", out);
        for (size_t r = 0; r < l->nruns; r++) {
            if (r) fputc(',', out);
            ts_put_jstr(out, l->runs[r].run < s->nruns ? s->run_names[l->runs[r].run] : "",
                        l->runs[r].run < s->nruns ? strlen(s->run_names[l->runs[r].run]) : 0);
        }
        fputc(']', out);
        for (size_t k = 0; k < sizeof vec / sizeof vec[0]; k++) ts__json_vec(out, vec[k].k, l, vec[k].off);
        fputs(",\"from_summary\":[", out);
        for (size_t r = 0; r < l->nruns; r++) fprintf(out, "%s%s", r ? "," : "", l->runs[r].from_summary ? "true" : "false");
        fputs("]}}", out);
    }
    fputs("]}", out);
}

int ts_render_summary(FILE *out, ts_set *const *sets, size_t nsets, ts_format fmt)
{
    if (fmt == TS_FMT_JSON) {
        fprintf(out, "{\"format\":\"tracestat-summary\",\"version\":1,\"tool\":\"tracestat %s\",\"quantiles\":\"type 7\",\"sets\":[",
                TRACESTAT_VERSION);
    }
    for (size_t si = 0; si < nsets; si++) {
        const ts_set *s = sets[si];
        size_t n;
        int any_self, any_cpu;
        ts__lsum *v = ts__summarise(s, &n, &any_self, &any_cpu);
        ts_table t;
        if (!v) return -1;
        if (fmt == TS_FMT_JSON) {
            if (si) fputc(',', out);
            ts__summary_json(out, s, v, n);
            free(v);
            continue;
        }
        ts__summary_table(&t, v, n, any_self, any_cpu);
        if (fmt == TS_FMT_TEXT) {
            if (si) fputc('\n', out);
            fprintf(out, "%s: %zu run%s, %zu label%s\n", s->name, s->nruns, s->nruns == 1 ? "" : "s", n, n == 1 ? "" : "s");
            if (n > 0) ts__tab_text(out, &t);
            ts__levels_line(out, s, 0);
        } else {
            fputs(si ? "\n### " : "### ", out);
            ts__md_text(out, s->name);
            fprintf(out, " (%zu run%s, %zu label%s)\n\n", s->nruns, s->nruns == 1 ? "" : "s", n, n == 1 ? "" : "s");
            if (n > 0) {
                ts__tab_md(out, &t, 1, t.nrows, 1);
                fputc('\n', out);
            }
            ts__levels_line(out, s, 1);
        }
        ts__tab_free(&t);
        free(v);
    }
    if (fmt == TS_FMT_TEXT)
        fputs("\nEach column is the median over runs of the per-run statistic (min and max: over all runs);\n"
              "quantiles are Hyndman-Fan type 7; self = time minus child scopes; cpu/wall = median cpu_ms/ms.\n",
              out);
    else if (fmt == TS_FMT_MD)
        fputs("\n<sub>Each column is the median over runs of the per-run statistic (min and max: over all runs); "
              "quantiles are Hyndman-Fan type 7.</sub>\n",
              out);
    else
        fputs("]}\n", out);
    return ferror(out) ? -1 : 0;
}

/* ---- compare ---------------------------------------------------------------------- */

static int ts__rank(ts_verdict_kind k)
{
    switch (k) {
    case TS_V_REGRESSED: return 0;
    case TS_V_IMPROVED: return 1;
    case TS_V_INCONCLUSIVE: return 2;
    case TS_V_INSUFFICIENT: return 3;
    case TS_V_NEW: return 4;
    case TS_V_MISSING: return 5;
    case TS_V_UNCHANGED: return 6;
    case TS_V_IGNORED: return 7;
    default: return 8;
    }
}

static int ts__row_cmp(const void *a, const void *b)
{
    const ts_cmp_row *x = *(const ts_cmp_row *const *)a, *y = *(const ts_cmp_row *const *)b;
    int rx = ts__rank(x->c.kind), ry = ts__rank(y->c.kind);
    if (rx != ry) return rx - ry;
    return strcmp(x->c.label, y->c.label);
}

static const ts_cmp_row **ts__sorted_rows(const ts_comparison *cmp)
{
    const ts_cmp_row **v = malloc((cmp->n ? cmp->n : 1) * sizeof *v);
    if (!v) return NULL;
    for (size_t i = 0; i < cmp->n; i++) v[i] = &cmp->rows[i];
    qsort(v, cmp->n, sizeof *v, ts__row_cmp);
    return v;
}

static double ts__vmed(const double *x, size_t n) { return n ? ts__median_of_vec(x, n) : NAN; }

static int ts__calls_changed(const ts_cmp_row *r)
{
    return r->c.nbase > 0 && r->c.ncur > 0 && !isnan(r->c.base_calls) && !isnan(r->c.cur_calls) &&
           fabs(r->c.base_calls - r->c.cur_calls) >= 0.5;
}

/* The verdict in words, with its note. */
static void ts__verdict_words(char *buf, size_t cap, const ts_cmp_row *r)
{
    const char *name = ts_verdict_name(r->c.kind);
    size_t n;
    n = (size_t)snprintf(buf, cap, "%s", name);
    if (n >= cap) return;
    if (r->c.kind == TS_V_INCONCLUSIVE || r->c.kind == TS_V_INSUFFICIENT) {
        if (r->c.runs_needed > 0 && r->c.runs_needed < (size_t)1000000) {
            if (!isnan(r->tolerance))
                n += (size_t)snprintf(buf + n, cap - n, " (needs about %zu runs per side to resolve ±%g%%)", r->c.runs_needed,
                                      r->tolerance * 100.0);
            else
                n += (size_t)snprintf(buf + n, cap - n, " (needs about %zu runs per side)", r->c.runs_needed);
        } else if (r->c.kind == TS_V_INSUFFICIENT) {
            n += (size_t)snprintf(buf + n, cap - n, " (fewer than %d runs a side)", TS_MIN_RUNS);
        }
    }
    if (n < cap && ts__calls_changed(r))
        snprintf(buf + n, cap - n, "; calls/run %.0f -> %.0f", r->c.base_calls, r->c.cur_calls);
}

static void ts__ci_words(char *buf, size_t cap, const ts_cmp_row *r)
{
    char lo[24], hi[24];
    if (isnan(r->c.ci.lo) || isnan(r->c.ci.hi)) {
        snprintf(buf, cap, "-");
        return;
    }
    ts__fmt_pct(lo, sizeof lo, r->c.ci.lo - 1.0);
    ts__fmt_pct(hi, sizeof hi, r->c.ci.hi - 1.0);
    snprintf(buf, cap, "[%s, %s]", lo, hi);
}

static void ts__compare_table(ts_table *t, const ts_cmp_row *const *rows, size_t n, const ts_comparison *cmp)
{
    int pct = (int)lround((1.0 - (cmp->opts.alpha > 0 && cmp->opts.alpha < 1 ? cmp->opts.alpha : 0.05)) * 100.0);
    char cihdr[32];
    const char *hdr[9];
    snprintf(cihdr, sizeof cihdr, "%d%% CI", pct);
    hdr[0] = "label";
    hdr[1] = "stat";
    hdr[2] = "runs";
    hdr[3] = "baseline";
    hdr[4] = "current";
    hdr[5] = "change";
    hdr[6] = cihdr;
    hdr[7] = "p (Holm)";
    hdr[8] = "verdict";
    ts__tab_init(t, 9, "lcrrrrrrl");
    t->align = "llrrrrrrl";
    ts__tab_row(t, hdr);
    for (size_t i = 0; i < n; i++) {
        const ts_cmp_row *r = rows[i];
        char runs[32], b[32], c[32], ch[48], ci[64], p[24], v[256];
        const char *row[9];
        snprintf(runs, sizeof runs, "%zu/%zu", r->c.nbase, r->c.ncur);
        ts_fmt_time(b, sizeof b, ts__vmed(r->c.base, r->c.nbase) * 1000.0);
        ts_fmt_time(c, sizeof c, ts__vmed(r->c.cur, r->c.ncur) * 1000.0);
        ts_fmt_effect(ch, sizeof ch, r->c.ratio);
        ts__ci_words(ci, sizeof ci, r);
        ts__fmt_p(p, sizeof p, r->c.gated ? r->c.p_adj : r->c.test.p);
        ts__verdict_words(v, sizeof v, r);
        row[0] = r->c.label;
        row[1] = r->rule;
        row[2] = runs;
        row[3] = b;
        row[4] = c;
        row[5] = ch;
        row[6] = ci;
        row[7] = p;
        row[8] = v;
        ts__tab_row(t, row);
    }
}

static void ts__result_line(char *buf, size_t cap, const ts_comparison *cmp)
{
    const char *head = cmp->exit_code == 0 ? "PASS" : cmp->exit_code == 1 ? "FAIL" : "NO COMPARISON";
    size_t n = (size_t)snprintf(buf, cap, "%s: %zu slower, %zu faster, %zu unchanged, %zu inconclusive", head,
                                cmp->n_regressed, cmp->n_improved, cmp->n_unchanged, cmp->n_inconclusive);
    if (cmp->n_insufficient && n < cap) n += (size_t)snprintf(buf + n, cap - n, ", %zu insufficient", cmp->n_insufficient);
    if (cmp->n_new && n < cap) n += (size_t)snprintf(buf + n, cap - n, ", %zu new", cmp->n_new);
    if (cmp->n_missing && n < cap) n += (size_t)snprintf(buf + n, cap - n, ", %zu missing", cmp->n_missing);
    if (cmp->n_ignored && n < cap) n += (size_t)snprintf(buf + n, cap - n, ", %zu ignored", cmp->n_ignored);
    if (n < cap)
        snprintf(buf + n, cap - n, " (%zu labels, %zu vs %zu runs)", cmp->n, cmp->base ? cmp->base->nruns : 0,
                 cmp->cur ? cmp->cur->nruns : 0);
}

static void ts__json_dvec(FILE *out, const double *v, size_t n)
{
    fputc('[', out);
    for (size_t i = 0; i < n; i++) {
        if (i) fputc(',', out);
        ts_put_jnum(out, v[i]);
    }
    fputc(']', out);
}

/* ,"name":{"runs":n,"values":[...],"median":m,"calls_per_run":c} */
static void ts__json_side(FILE *out, const char *name, const double *v, size_t n, double calls)
{
    fprintf(out, ",\"%s\":{\"runs\":%zu,\"values\":", name, n);
    ts__json_dvec(out, v, n);
    fputs(",\"median\":", out);
    ts_put_jnum(out, ts__vmed(v, n));
    fputs(",\"calls_per_run\":", out);
    ts_put_jnum(out, calls);
    fputc('}', out);
}

static void ts__json_interval(FILE *out, const ts_interval *iv)
{
    fputs("{\"est\":", out);
    ts_put_jnum(out, iv->est);
    fputs(",\"lo\":", out);
    ts_put_jnum(out, iv->lo);
    fputs(",\"hi\":", out);
    ts_put_jnum(out, iv->hi);
    fputs(",\"level\":", out);
    ts_put_jnum(out, iv->level);
    fputc('}', out);
}

static void ts__compare_json(FILE *out, const ts_comparison *cmp, const ts_cmp_row *const *rows)
{
    static const char *const res[] = { "pass", "fail", "error", "no-comparison" };
    double alpha = cmp->opts.alpha > 0 && cmp->opts.alpha < 1 ? cmp->opts.alpha : 0.05;
    fprintf(out, "{\"format\":\"tracestat-compare\",\"version\":1,\"tool\":\"tracestat %s\",\"result\":\"%s\",\"exit_code\":%d,",
            TRACESTAT_VERSION, res[cmp->exit_code >= 0 && cmp->exit_code <= 3 ? cmp->exit_code : 2], cmp->exit_code);
    fputs("\"alpha\":", out);
    ts_put_jnum(out, alpha);
    fprintf(out, ",\"gate\":\"%s\",\"unit\":\"s\",", cmp->opts.point ? "point" : "test");
    fputs("\"baseline\":{\"name\":", out);
    ts_put_jstr(out, cmp->base->name, strlen(cmp->base->name));
    fprintf(out, ",\"runs\":%zu,\"from_baseline_file\":%s,\"fingerprint\":", cmp->base->nruns, cmp->base->baseline ? "true" : "false");
    ts__json_fp(out, &cmp->base->fp);
    fputs("},\"current\":{\"name\":", out);
    ts_put_jstr(out, cmp->cur->name, strlen(cmp->cur->name));
    fprintf(out, ",\"runs\":%zu,\"from_baseline_file\":%s,\"fingerprint\":", cmp->cur->nruns, cmp->cur->baseline ? "true" : "false");
    ts__json_fp(out, &cmp->cur->fp);
    fprintf(out,
            "},\"counts\":{\"labels\":%zu,\"common\":%zu,\"regressed\":%zu,\"improved\":%zu,\"unchanged\":%zu,\"inconclusive\":%zu,"
            "\"insufficient\":%zu,\"new\":%zu,\"missing\":%zu,\"ignored\":%zu},\"labels\":[",
            cmp->n, cmp->n_common, cmp->n_regressed, cmp->n_improved, cmp->n_unchanged, cmp->n_inconclusive, cmp->n_insufficient,
            cmp->n_new, cmp->n_missing, cmp->n_ignored);
    for (size_t i = 0; i < cmp->n; i++) {
        const ts_cmp_row *r = rows[i];
        fputs(i ? ",\n{\"label\":" : "\n{\"label\":", out);
        ts_put_jstr(out, r->c.label, strlen(r->c.label));
        fprintf(out, ",\"verdict\":\"%s\",\"gated\":%s,\"stat\":\"%s\",\"rule\":", ts_verdict_name(r->c.kind),
                r->c.gated ? "true" : "false", ts_stat_name(r->stat));
        ts_put_jstr(out, r->rule, strlen(r->rule));
        fputs(",\"tolerance\":", out);
        ts_put_jnum(out, r->tolerance);
        fputs(",\"threshold_s\":", out);
        ts_put_jnum(out, r->c.rule && !r->c.rule->relative && !r->c.rule->ignore ? r->c.rule->threshold : NAN);
        ts__json_side(out, "base", r->c.base, r->c.nbase, r->c.base_calls);
        ts__json_side(out, "current", r->c.cur, r->c.ncur, r->c.cur_calls);
        fputs(",\"ratio\":", out);
        ts_put_jnum(out, r->c.ratio);
        fputs(",\"change_pct\":", out);
        ts_put_jnum(out, (r->c.ratio - 1.0) * 100.0);
        fputs(",\"delta_s\":", out);
        ts_put_jnum(out, r->c.delta_abs);
        fputs(",\"mann_whitney\":{\"u\":", out);
        ts_put_jnum(out, r->c.test.u);
        fputs(",\"z\":", out);
        ts_put_jnum(out, r->c.test.z);
        fputs(",\"p\":", out);
        ts_put_jnum(out, r->c.test.p);
        fprintf(out, ",\"exact\":%s},\"p_holm\":", r->c.test.exact ? "true" : "false");
        ts_put_jnum(out, r->c.p_adj);
        fputs(",\"ratio_ci\":", out);
        ts__json_interval(out, &r->c.ci);
        fputs(",\"shift_ci_s\":", out);
        ts__json_interval(out, &r->c.shift);
        fputs(",\"point\":{\"base\":", out);
        ts_put_jnum(out, r->c.base_point);
        fputs(",\"current\":", out);
        ts_put_jnum(out, r->c.cur_point);
        fputs("},\"runs_needed\":", out);
        if (r->c.runs_needed > 0 && r->c.runs_needed < (size_t)1000000000)
            fprintf(out, "%zu", r->c.runs_needed);
        else
            fputs("null", out);
        fprintf(out, ",\"calls_changed\":%s}", ts__calls_changed(r) ? "true" : "false");
    }
    fputs("\n]}\n", out);
}

int ts_render_compare(FILE *out, const ts_comparison *cmp, ts_format fmt)
{
    const ts_cmp_row **rows = ts__sorted_rows(cmp);
    char line[512];
    ts_table t;
    if (!rows) return -1;
    ts__result_line(line, sizeof line, cmp);
    if (fmt == TS_FMT_JSON) {
        ts__compare_json(out, cmp, rows);
    } else if (fmt == TS_FMT_TEXT) {
        fputs("compare ", out);
        fputs(cmp->base->name, out);
        fprintf(out, " (%zu run%s) -> ", cmp->base->nruns, cmp->base->nruns == 1 ? "" : "s");
        fputs(cmp->cur->name, out);
        fprintf(out, " (%zu run%s); %s gate, alpha %g\n", cmp->cur->nruns, cmp->cur->nruns == 1 ? "" : "s",
                cmp->opts.point ? "point (pytest-benchmark)" : "Mann-Whitney + Holm", cmp->opts.alpha > 0 ? cmp->opts.alpha : 0.05);
        if (cmp->n > 0) {
            ts__compare_table(&t, rows, cmp->n, cmp);
            ts__tab_text(out, &t);
            ts__tab_free(&t);
        }
        fputs(line, out);
        fputc('\n', out);
    } else {
        size_t nreg = 0;
        while (nreg < cmp->n && rows[nreg]->c.kind == TS_V_REGRESSED) nreg++;
        fprintf(out, "### tracestat: %s\n\n", cmp->exit_code == 0 ? "no regression" : cmp->exit_code == 1 ? "regression" : "no comparison");
        fputs("**", out);
        ts__md_text(out, line);
        fputs("**\n\n", out);
        fputs("Baseline `", out);
        ts__md_text(out, cmp->base->name);
        fputs("` vs current `", out);
        ts__md_text(out, cmp->cur->name);
        fprintf(out, "`; %s.\n\n",
                cmp->opts.point ? "point gate (pytest-benchmark's rule)"
                                : "per-run values, Mann-Whitney U with Holm's correction, Hodges-Lehmann ratio with its Moses interval");
        ts__compare_table(&t, rows, cmp->n, cmp);
        if (nreg > 0) {
            fputs("#### Regressions\n\n", out);
            ts__tab_md(out, &t, 1, 1 + nreg, 1);
            fputc('\n', out);
        }
        if (cmp->n > nreg) {
            fprintf(out, "<details><summary>%s (%zu label%s)</summary>\n\n", nreg ? "All other labels" : "All labels", cmp->n - nreg,
                    cmp->n - nreg == 1 ? "" : "s");
            ts__tab_md(out, &t, 1 + nreg, t.nrows, 1);
            fputs("\n</details>\n", out);
        }
        ts__tab_free(&t);
    }
    free(rows);
    return ferror(out) ? -1 : 0;
}

/* ---- report ------------------------------------------------------------------------ */

static void ts__md_fp(FILE *out, const char *who, const ts_fingerprint *fp)
{
    fprintf(out, "- %s: ", who);
    if (!fp->present) {
        fputs("no fingerprint (not recorded with `tracestat run`)\n", out);
        return;
    }
    ts__md_text(out, fp->cpu[0] ? fp->cpu : "unknown CPU");
    fprintf(out, ", %ld logical cores, ", fp->cores);
    ts__md_text(out, fp->os);
    fputc(' ', out);
    ts__md_text(out, fp->kernel);
    fputc(' ', out);
    ts__md_text(out, fp->machine);
    if (fp->created[0]) {
        fputs(", recorded ", out);
        ts__md_text(out, fp->created);
    }
    if (fp->runs >= 0) fprintf(out, ", %ld runs (%ld warm-up, %ld failed)", fp->runs, fp->warmup < 0 ? 0 : fp->warmup, fp->failed < 0 ? 0 : fp->failed);
    fputc('\n', out);
}

static void ts__report_traces(FILE *out, const ts_set *s)
{
    char tr[33], tm[32];
    fputs("\n### Slowest requests\n\n", out);
    if (s->nslowest == 0) {
        fputs("_No root scope with a trace ID in these runs._\n", out);
    } else {
        fputs("| trace | label | time | run |\n| :--- | :--- | ---: | :--- |\n", out);
        for (size_t i = 0; i < s->nslowest; i++) {
            const ts_slow *e = &s->slowest[i];
            ts_fmt_trace(tr, e->trace_hi, e->trace_lo);
            ts_fmt_time(tm, sizeof tm, e->ms);
            fprintf(out, "| `%s` | ", tr);
            ts__md_code(out, e->label);
            fprintf(out, " | %s | ", tm);
            ts__md_text(out, s->run_names[e->run]);
            fputs(" |\n", out);
        }
    }
    fputs("\n### Requests that logged errors\n\n", out);
    if (s->nerrtraces == 0) {
        fprintf(out, "_%s_\n", s->error_records ? "Errors were logged, none inside a trace." : "No ERROR or CRITICAL record.");
    } else {
        fputs("| trace | first error message | run |\n| :--- | :--- | :--- |\n", out);
        for (size_t i = 0; i < s->nerrtraces; i++) {
            const ts_errtrace *e = &s->errtraces[i];
            ts_fmt_trace(tr, e->trace_hi, e->trace_lo);
            fprintf(out, "| `%s` | ", tr);
            ts__md_text(out, e->msg);
            fputs(" | ", out);
            ts__md_text(out, s->run_names[e->run]);
            fputs(" |\n", out);
        }
        fprintf(out, "\n%llu ERROR/CRITICAL records in all.\n", (unsigned long long)s->error_records);
    }
}

int ts_render_report(FILE *out, const ts_comparison *cmp, const ts_set *cur)
{
    size_t n;
    int any_self, any_cpu;
    ts__lsum *v;
    const char *scenario;
    char a[32], b[32], c[48], line[512];
    if (cmp) cur = cmp->cur;
    scenario = cur->fp.present && cur->fp.command[0] ? cur->fp.command : cur->name;
    v = ts__summarise(cur, &n, &any_self, &any_cpu);
    if (!v) return -1;

    fputs("# Performance report: ", out);
    ts__md_text(out, scenario);
    fputs("\n\n## Summary\n\n- **Scenario:** `", out);
    ts__md_text(out, scenario);
    fputs("`\n", out);
    if (cmp) {
        const ts_cmp_row **rows = ts__sorted_rows(cmp);
        const ts_cmp_row *top = NULL;
        fputs("- **Baseline vs change:** `", out);
        ts__md_text(out, cmp->base->name);
        fprintf(out, "` (%zu runs) vs `", cmp->base->nruns);
        ts__md_text(out, cmp->cur->name);
        fprintf(out, "` (%zu runs)\n", cmp->cur->nruns);
        ts__result_line(line, sizeof line, cmp);
        fputs("- **Result:** ", out);
        ts__md_text(out, line);
        fputc('\n', out);
        /* the headline: the label with the largest total time that both sides have */
        for (size_t i = 0; i < n && !top; i++)
            for (size_t k = 0; k < cmp->n; k++)
                if (cmp->rows[k].cur_l == v[i].l && cmp->rows[k].base_l) top = &cmp->rows[k];
        if (top) {
            double bm = ts__vmed(top->c.base, top->c.nbase) * 1000.0, cm = ts__vmed(top->c.cur, top->c.ncur) * 1000.0;
            ts_fmt_time(a, sizeof a, bm);
            ts_fmt_time(b, sizeof b, cm);
            ts_fmt_effect(c, sizeof c, top->c.ratio);
            fputs("- **Delta (largest label by total time):** ", out);
            ts__md_code(out, top->c.label);
            fprintf(out, " %s %s: %s -> %s (", ts_stat_name(top->stat), c, a, b);
            ts_fmt_time(a, sizeof a, cm - bm);
            fprintf(out, "%s%s), verdict %s\n", cm - bm > 0 ? "+" : "", a, ts_verdict_name(top->c.kind));
        }
        if (rows) {
            for (size_t i = 0; i < cmp->n; i++) {
                const ts_cmp_row *r = rows[i];
                double bm, cm;
                if (r->c.kind != TS_V_REGRESSED && r->c.kind != TS_V_IMPROVED) continue;
                bm = ts__vmed(r->c.base, r->c.nbase) * 1000.0;
                cm = ts__vmed(r->c.cur, r->c.ncur) * 1000.0;
                ts_fmt_time(a, sizeof a, bm);
                ts_fmt_time(b, sizeof b, cm);
                ts_fmt_effect(c, sizeof c, r->c.ratio);
                fputs("  - ", out);
                ts__md_code(out, r->c.label);
                fprintf(out, " %s: %s, %s -> %s (", ts_verdict_name(r->c.kind), c, a, b);
                ts_fmt_time(a, sizeof a, cm - bm);
                fprintf(out, "%s%s; %s of the per-run values)\n", cm - bm > 0 ? "+" : "", a, ts_stat_name(r->stat));
            }
            free(rows);
        }
    } else {
        fprintf(out, "- **Runs:** `");
        ts__md_text(out, cur->name);
        fprintf(out, "`, %zu runs, %zu labels (no baseline: give two sets to compare)\n", cur->nruns, n);
        if (n > 0) {
            ts_fmt_time(a, sizeof a, v[0].median);
            ts_fmt_time(b, sizeof b, v[0].total);
            fputs("- **Largest label by total time:** ", out);
            ts__md_code(out, v[0].l->name);
            fprintf(out, ": median %s per call, %s per run\n", a, b);
        }
    }

    fputs("\n## Method\n\n- Runner: `", out);
    if (cur->fp.present && cur->fp.command[0]) {
        fprintf(out, "tracestat run -n %ld", cur->fp.runs >= 0 ? cur->fp.runs : (long)cur->nruns);
        if (cur->fp.warmup > 0) fprintf(out, " --warmup %ld", cur->fp.warmup);
        fputs(" -o DIR -- ", out);
        ts__md_text(out, cur->fp.command);
    } else {
        ts__md_text(out, cur->name);
    }
    fputs("` (one process per run; `LOG_FORMAT=json`)\n", out);
    if (cmp) ts__md_fp(out, "Baseline environment", &cmp->base->fp);
    ts__md_fp(out, cmp ? "Current environment" : "Environment", &cur->fp);
    if (cmp && cmp->base->fp.present && cur->fp.present &&
        (strcmp(cmp->base->fp.cpu, cur->fp.cpu) != 0 || cmp->base->fp.cores != cur->fp.cores ||
         strcmp(cmp->base->fp.kernel, cur->fp.kernel) != 0))
        fputs("- **Warning:** the two sides ran on different hosts or kernels; the comparison measures the machines too.\n", out);
    fprintf(out, "- Tools: trace.h JSON logs, tracestat %s (one value per run and label; quantiles Hyndman-Fan type 7", TRACESTAT_VERSION);
    if (cmp)
        fprintf(out, "; %s, alpha %g", cmp->opts.point ? "point gate as pytest-benchmark" : "Mann-Whitney U, Holm, Hodges-Lehmann/Moses interval",
                cmp->opts.alpha > 0 ? cmp->opts.alpha : 0.05);
    fputs(")\n", out);

    fputs("\n## Evidence\n\n### Top labels by self time\n\n", out);
    if (!any_self) {
        fputs("_No span information (self time needs `span`/`parent` in the timing records)._\n", out);
    } else {
        size_t shown = 0;
        double total_self = 0;
        ts__lsum **bys = malloc(n * sizeof *bys);
        for (size_t i = 0; i < n; i++)
            if (!isnan(v[i].self)) total_self += v[i].self;
        if (bys) {
            size_t k = 0;
            for (size_t i = 0; i < n; i++)
                if (!isnan(v[i].self)) bys[k++] = &v[i];
            /* insertion sort by self time, descending */
            for (size_t i = 1; i < k; i++) {
                ts__lsum *x = bys[i];
                size_t jj = i;
                while (jj > 0 && bys[jj - 1]->self < x->self) {
                    bys[jj] = bys[jj - 1];
                    jj--;
                }
                bys[jj] = x;
            }
            fputs("| label | self time per run | share | calls/run |\n| :--- | ---: | ---: | ---: |\n", out);
            for (size_t i = 0; i < k && shown < 10; i++, shown++) {
                ts_fmt_time(a, sizeof a, bys[i]->self);
                ts__fmt_count(b, sizeof b, bys[i]->calls);
                fputs("| ", out);
                ts__md_code(out, bys[i]->l->name);
                fprintf(out, " | %s | %.1f%% | %s |\n", a, total_self > 0 ? bys[i]->self / total_self * 100.0 : 0.0, b);
            }
            free(bys);
        }
    }
    fputs("\n### Timing table\n\n", out);
    if (cmp) {
        const ts_cmp_row **rows = ts__sorted_rows(cmp);
        ts_table t;
        if (rows) {
            ts__compare_table(&t, rows, cmp->n, cmp);
            ts__tab_md(out, &t, 1, t.nrows, 1);
            ts__tab_free(&t);
            free(rows);
        }
        fputc('\n', out);
    }
    {
        ts_table t;
        if (cmp) fputs("Current runs, per label:\n\n", out);
        ts__summary_table(&t, v, n, any_self, any_cpu);
        ts__tab_md(out, &t, 1, t.nrows, 1);
        ts__tab_free(&t);
    }
    fputc('\n', out);
    ts__levels_line(out, cur, 1);
    ts__report_traces(out, cur);
    fputs("\n## Next steps\n\n"
          "- [ ] _Explain the cause of the change (which code, which input)._\n"
          "- [ ] _Decide: accept, fix, or investigate further (more runs, a profiler on the slowest trace)._\n"
          "- [ ] _Follow-up issues or pull requests:_\n",
          out);
    free(v);
    return ferror(out) ? -1 : 0;
}

/* ---- chrome ----------------------------------------------------------------------- */

typedef struct ts__ev {
    int64_t ts, dur, pid, tid;
    uint64_t span, parent, trace_hi, trace_lo;
    double cpu_ms;
    size_t label;   /* offset in the string arena */
    unsigned has;
    int file;
} ts__ev;

typedef struct ts__thr {
    int64_t pid, tid;
    size_t name;    /* offset in the arena, or (size_t)-1 */
    int file;
} ts__thr;

typedef struct ts__chrome {
    ts__ev *ev;
    size_t nev, capev;
    char *arena;
    size_t narena, caparena;
    ts__thr *thr;
    size_t nthr, capthr;
    size_t notime;
} ts__chrome;

static int ts__grow_any(void **p, size_t *cap, size_t need, size_t elem)
{
    size_t nc;
    void *q;
    if (need <= *cap) return 0;
    nc = *cap ? *cap : 64;
    while (nc < need) nc *= 2;
    q = realloc(*p, nc * elem);
    if (!q) return -1;
    *p = q;
    *cap = nc;
    return 0;
}

static size_t ts__arena_put(ts__chrome *c, const char *s, size_t n)
{
    size_t at;
    if (c->narena + n + 1 > c->caparena) {
        size_t nc = c->caparena ? c->caparena : 4096;
        char *na;
        while (nc < c->narena + n + 1) nc *= 2;
        na = realloc(c->arena, nc);
        if (!na) return (size_t)-1;
        c->arena = na;
        c->caparena = nc;
    }
    at = c->narena;
    memcpy(c->arena + at, s, n);
    c->arena[at + n] = '\0';
    c->narena += n + 1;
    return at;
}

static int ts__ev_cmp(const void *a, const void *b)
{
    const ts__ev *x = a, *y = b;
    if (x->pid != y->pid) return x->pid < y->pid ? -1 : 1;
    if (x->tid != y->tid) return x->tid < y->tid ? -1 : 1;
    if (x->ts != y->ts) return x->ts < y->ts ? -1 : 1;
    if (x->dur != y->dur) return x->dur > y->dur ? -1 : 1;
    return 0;
}

/* Make X events of one thread nest as their spans say: a child ends inside its
 * parent, and rounding overlaps of at most 2 us between neighbours are removed. */
static void ts__nest(ts__ev *ev, size_t n)
{
    size_t *stack = malloc((n ? n : 1) * sizeof *stack);
    size_t depth = 0;
    if (!stack) return;
    for (size_t i = 0; i < n; i++) {
        ts__ev *e = &ev[i];
        if (i > 0 && (ev[i - 1].pid != e->pid || ev[i - 1].tid != e->tid)) depth = 0;
        for (;;) {
            ts__ev *top;
            int64_t top_end;
            if (depth == 0) break;
            top = &ev[stack[depth - 1]];
            top_end = top->ts + top->dur;
            if (top_end <= e->ts) {
                depth--;
                continue;
            }
            if (e->ts + e->dur <= top_end) break; /* properly inside */
            if ((e->has & TS_HAS_PARENT) && (top->has & TS_HAS_SPAN) && e->parent == top->span) {
                e->dur = top_end - e->ts; /* a child never outlives its parent */
                break;
            }
            if (top_end - e->ts <= 2) {
                top->dur = e->ts - top->ts; /* a sibling overlapping by rounding */
                depth--;
                continue;
            }
            break; /* a real overlap: leave it to the viewer */
        }
        stack[depth++] = i;
    }
    free(stack);
}

static int ts__chrome_collect(ts__chrome *c, ts_reader *r, int file, ts_errs *errs)
{
    ts_record rec;
    int rc;
    while ((rc = ts_reader_next(r, &rec, errs)) > 0) {
        ts__ev *e;
        int64_t start, dur = (int64_t)llround(rec.ms * 1000.0);
        if ((rec.has & TS_HAS_THREAD) && (rec.has & TS_HAS_PID) && (rec.has & TS_HAS_TID)) {
            size_t k;
            for (k = 0; k < c->nthr; k++)
                if (c->thr[k].pid == rec.pid && c->thr[k].tid == rec.tid && c->thr[k].file == file) break;
            if (k == c->nthr) {
                if (ts__grow_any((void **)&c->thr, &c->capthr, c->nthr + 1, sizeof *c->thr) != 0) return -1;
                c->thr[k].pid = rec.pid;
                c->thr[k].tid = rec.tid;
                c->thr[k].file = file;
                c->thr[k].name = ts__arena_put(c, rec.thread.p, rec.thread.n);
                c->nthr++;
            }
        }
        if (rec.kind != TS_REC_TIMING) continue;
        if (rec.has & TS_HAS_START) {
            start = rec.start_us;
        } else {
            int64_t end;
            if (!(rec.has & TS_HAS_TS) || ts_rfc3339_us(rec.ts.p, rec.ts.n, &end) != 0) {
                c->notime++;
                continue;
            }
            start = end - dur;
        }
        if (ts__grow_any((void **)&c->ev, &c->capev, c->nev + 1, sizeof *c->ev) != 0) return -1;
        e = &c->ev[c->nev++];
        e->ts = start;
        e->dur = dur;
        e->pid = (rec.has & TS_HAS_PID) ? rec.pid : file + 1;
        e->tid = (rec.has & TS_HAS_TID) ? rec.tid : e->pid;
        e->span = rec.span;
        e->parent = rec.parent;
        e->trace_hi = rec.trace_hi;
        e->trace_lo = rec.trace_lo;
        e->cpu_ms = rec.cpu_ms;
        e->has = rec.has;
        e->file = file;
        e->label = ts__arena_put(c, rec.label.p, rec.label.n);
        if (e->label == (size_t)-1) return -1;
    }
    return rc;
}

int ts_render_chrome(FILE *out, ts_reader *r, const char *const *paths, size_t n, ts_errs *errs, char *err, size_t errlen)
{
    ts__chrome c;
    int64_t base = INT64_MAX;
    int first = 1;
    memset(&c, 0, sizeof c);
    for (size_t i = 0; i < n; i++) {
        if (ts_reader_open(r, paths[i]) != 0) {
            snprintf(err, errlen, "%s: %s", paths[i], strerror(errno));
            goto fail;
        }
        if (ts__chrome_collect(&c, r, (int)i, errs) != 0) {
            snprintf(err, errlen, "%s: %s", paths[i], strerror(errno ? errno : ENOMEM));
            ts_reader_close(r);
            goto fail;
        }
        ts_reader_close(r);
    }
    qsort(c.ev, c.nev, sizeof *c.ev, ts__ev_cmp);
    ts__nest(c.ev, c.nev);
    for (size_t i = 0; i < c.nev; i++)
        if (c.ev[i].ts < base) base = c.ev[i].ts;
    if (c.nev == 0) base = 0;

    fputs("{\"traceEvents\":[", out);
    /* process names: the file each process came from (events are sorted by pid) */
    for (size_t i = 0; i < c.nev; i++) {
        if (i > 0 && c.ev[i - 1].pid == c.ev[i].pid) continue;
        fprintf(out, "%s\n{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":%lld,\"tid\":%lld,\"args\":{\"name\":", first ? "" : ",",
                (long long)c.ev[i].pid, (long long)c.ev[i].pid);
        ts_put_jstr(out, paths[c.ev[i].file], strlen(paths[c.ev[i].file]));
        fputs("}}", out);
        first = 0;
    }
    for (size_t k = 0; k < c.nthr; k++) {
        if (c.thr[k].name == (size_t)-1) continue;
        fprintf(out, "%s\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":%lld,\"tid\":%lld,\"args\":{\"name\":", first ? "" : ",",
                (long long)c.thr[k].pid, (long long)c.thr[k].tid);
        ts_put_jstr(out, c.arena + c.thr[k].name, strlen(c.arena + c.thr[k].name));
        fputs("}}", out);
        first = 0;
    }
    for (size_t i = 0; i < c.nev; i++) {
        const ts__ev *e = &c.ev[i];
        const char *label = c.arena + e->label;
        char id[33];
        fprintf(out, "%s\n{\"name\":", first ? "" : ",");
        first = 0;
        ts_put_jstr(out, label, strlen(label));
        fprintf(out, ",\"cat\":\"timing\",\"ph\":\"X\",\"ts\":%lld,\"dur\":%lld,\"pid\":%lld,\"tid\":%lld",
                (long long)(e->ts - base), (long long)e->dur, (long long)e->pid, (long long)e->tid);
        if (e->has & TS_HAS_CPU) {
            fputs(",\"tdur\":", out);
            ts_put_jnum(out, floor(e->cpu_ms * 1000.0 + 0.5));
        }
        fputs(",\"args\":{\"label\":", out);
        ts_put_jstr(out, label, strlen(label));
        if (e->has & TS_HAS_TRACE) {
            ts_fmt_trace(id, e->trace_hi, e->trace_lo);
            fprintf(out, ",\"trace\":\"%s\"", id);
        }
        if (e->has & TS_HAS_SPAN) {
            ts_fmt_span(id, e->span);
            fprintf(out, ",\"span\":\"%s\"", id);
        }
        if (e->has & TS_HAS_PARENT) {
            ts_fmt_span(id, e->parent);
            fprintf(out, ",\"parent\":\"%s\"", id);
        }
        if (e->has & TS_HAS_CPU) {
            fputs(",\"cpu_ms\":", out);
            ts_put_jnum(out, e->cpu_ms);
        }
        fputs("}}", out);
    }
    fputs("\n],\"displayTimeUnit\":\"ms\",\"otherData\":{\"tool\":\"tracestat " TRACESTAT_VERSION "\",\"epoch_us\":", out);
    fprintf(out, "%lld,\"events\":%zu,\"skipped_without_time\":%zu}}\n", (long long)base, c.nev, c.notime);
    free(c.ev);
    free(c.arena);
    free(c.thr);
    return ferror(out) ? -1 : 0;
fail:
    free(c.ev);
    free(c.arena);
    free(c.thr);
    return -2;
}
