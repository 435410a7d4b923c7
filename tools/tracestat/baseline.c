/* baseline.c - save and load tracestat's baseline file. */
#define _POSIX_C_SOURCE 200809L
#include "baseline.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "render.h"

#ifndef TRACESTAT_VERSION
#define TRACESTAT_VERSION "0.1.0"
#endif

static const struct {
    const char *name;
    size_t off;
} ts__cols[] = {
    { "calls", offsetof(ts_runstat, calls) },
    { "total", offsetof(ts_runstat, total) },
    { "min", offsetof(ts_runstat, min) },
    { "p25", offsetof(ts_runstat, p25) },
    { "median", offsetof(ts_runstat, median) },
    { "p75", offsetof(ts_runstat, p75) },
    { "p90", offsetof(ts_runstat, p90) },
    { "p95", offsetof(ts_runstat, p95) },
    { "p99", offsetof(ts_runstat, p99) },
    { "max", offsetof(ts_runstat, max) },
    { "mean", offsetof(ts_runstat, mean) },
    { "sd", offsetof(ts_runstat, sd) },
    { "self", offsetof(ts_runstat, self_total) },
    { "cpu_ratio", offsetof(ts_runstat, cpu_ratio) },
};
#define TS__NCOLS (sizeof ts__cols / sizeof ts__cols[0])

static const char *const ts__lvl_names[TS_LVL_COUNT] = { "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL", "other" };

static void ts__kv_str(FILE *out, const char *k, const char *v, int comma)
{
    fprintf(out, "%s\"%s\":", comma ? "," : "", k);
    ts_put_jstr(out, v, strlen(v));
}

static void ts__fp_write(FILE *out, const ts_fingerprint *fp)
{
    if (!fp->present) {
        fputs("null", out);
        return;
    }
    fputc('{', out);
    ts__kv_str(out, "cpu", fp->cpu, 0);
    fprintf(out, ",\"cores\":%ld", fp->cores);
    ts__kv_str(out, "os", fp->os, 1);
    ts__kv_str(out, "kernel", fp->kernel, 1);
    ts__kv_str(out, "machine", fp->machine, 1);
    ts__kv_str(out, "command", fp->command, 1);
    ts__kv_str(out, "created", fp->created, 1);
    fprintf(out, ",\"runs_total\":%ld,\"warmup\":%ld,\"runs_failed\":%ld}", fp->runs, fp->warmup, fp->failed);
}

int ts_baseline_write(FILE *out, const ts_set *s)
{
    char now[40];
    time_t t = time(NULL);
    struct tm tmv;
    gmtime_r(&t, &tmv);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tmv);
    fprintf(out, "{\"format\":\"%s\",\"version\":%d,\n", TS_BASELINE_FORMAT, TS_BASELINE_VERSION);
    fprintf(out, "\"created\":\"%s\",\"tool\":\"tracestat %s\",", now, TRACESTAT_VERSION);
    ts__kv_str(out, "source", s->name ? s->name : "", 0);
    fputs(",\n\"fingerprint\":", out);
    ts__fp_write(out, &s->fp);
    fputs(",\n\"runs\":[", out);
    for (size_t i = 0; i < s->nruns; i++) {
        if (i) fputc(',', out);
        ts_put_jstr(out, s->run_names[i], strlen(s->run_names[i]));
    }
    fprintf(out, "],\n\"records\":%llu,\"levels\":{", (unsigned long long)s->records);
    for (int i = 0; i < TS_LVL_COUNT; i++)
        fprintf(out, "%s\"%s\":%llu", i ? "," : "", ts__lvl_names[i], (unsigned long long)s->levels[i]);
    fprintf(out, "},\"malformed\":%llu,\"unit\":\"ms\",\n\"labels\":[", (unsigned long long)s->errs.count);
    for (size_t li = 0, nout = 0; li < s->nlabels; li++) {
        const ts_label *l = s->labels[li];
        if (l->nruns == 0) continue;
        fputs(nout++ ? ",\n{" : "\n{", out);
        ts__kv_str(out, "label", l->name, 0);
        fputs(",\"run\":[", out);
        for (size_t r = 0; r < l->nruns; r++) fprintf(out, "%s%u", r ? "," : "", (unsigned)l->runs[r].run);
        fputc(']', out);
        for (size_t c = 0; c < TS__NCOLS; c++) {
            fprintf(out, ",\"%s\":[", ts__cols[c].name);
            for (size_t r = 0; r < l->nruns; r++) {
                double v;
                memcpy(&v, (const char *)&l->runs[r] + ts__cols[c].off, sizeof v);
                if (r) fputc(',', out);
                ts_put_jnum(out, v);
            }
            fputc(']', out);
        }
        fputs(",\"summary\":[", out);
        for (size_t r = 0; r < l->nruns; r++) fprintf(out, "%s%s", r ? "," : "", l->runs[r].from_summary ? "true" : "false");
        fputs("]}", out);
    }
    fputs("\n]}\n", out);
    return ferror(out) ? -1 : 0;
}

int ts_baseline_save(const char *path, const ts_set *s, char *err, size_t errlen)
{
    FILE *f;
    int rc;
    if (strcmp(path, "-") == 0) {
        rc = ts_baseline_write(stdout, s);
        if (rc != 0 || fflush(stdout) != 0) {
            snprintf(err, errlen, "<stdout>: %s", strerror(errno));
            return -1;
        }
        return 0;
    }
    f = fopen(path, "w");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    rc = ts_baseline_write(f, s);
    if (fclose(f) != 0) rc = -1;
    if (rc != 0) snprintf(err, errlen, "%s: %s", path, strerror(errno));
    return rc;
}

int ts_baseline_sniff(const char *path)
{
    char buf[64];
    size_t n, i = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    while (i < n && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n')) i++;
    if (i >= n || buf[i] != '{') return 0;
    i++;
    while (i < n && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n')) i++;
    return strncmp(buf + i, "\"format\"", 8) == 0;
}

/* Read a JSON array of numbers (null -> NaN) into a malloc'd vector. */
static int ts__read_vec(ts_json *j, double **out, size_t *n)
{
    size_t cap = 0;
    int rc;
    *out = NULL;
    *n = 0;
    if (ts_json_arr_begin(j) != 0) return -1;
    while ((rc = ts_json_arr_next(j)) > 0) {
        double v;
        ts_jtype t = ts_json_peek(j);
        if (t == TS_J_NULL) {
            v = NAN;
            if (ts_json_skip(j) != 0) return -1;
        } else if (t == TS_J_TRUE || t == TS_J_FALSE) {
            v = t == TS_J_TRUE ? 1.0 : 0.0;
            if (ts_json_skip(j) != 0) return -1;
        } else if (ts_json_number(j, &v) != 0) {
            return -1;
        }
        if (*n == cap) {
            double *nv;
            cap = cap ? cap * 2 : 16;
            nv = realloc(*out, cap * sizeof *nv);
            if (!nv) return -1;
            *out = nv;
        }
        (*out)[(*n)++] = v;
    }
    return rc;
}

static int ts__read_label(ts_json *j, ts_set *s, char *err, size_t errlen)
{
    ts_str key;
    int rc;
    char *name = NULL;
    double *cols[TS__NCOLS + 2] = { 0 }; /* + run, summary */
    size_t lens[TS__NCOLS + 2] = { 0 };
    int ret = -1;
    if (ts_json_obj_begin(j) != 0) return -1;
    while ((rc = ts_json_obj_next(j, &key)) > 0) {
        int idx = -1;
        if (strcmp(key.p, "label") == 0) {
            ts_str v;
            if (ts_json_string(j, &v) != 0) goto out;
            free(name);
            name = malloc(v.n + 1);
            if (!name) goto out;
            memcpy(name, v.p, v.n + 1);
            continue;
        }
        if (strcmp(key.p, "run") == 0) idx = (int)TS__NCOLS;
        else if (strcmp(key.p, "summary") == 0) idx = (int)TS__NCOLS + 1;
        else
            for (size_t c = 0; c < TS__NCOLS; c++)
                if (strcmp(key.p, ts__cols[c].name) == 0) idx = (int)c;
        if (idx < 0) {
            if (ts_json_skip(j) != 0) goto out;
            continue;
        }
        free(cols[idx]);
        if (ts__read_vec(j, &cols[idx], &lens[idx]) != 0) goto out;
    }
    if (rc < 0) goto out;
    if (!name || !cols[TS__NCOLS]) {
        snprintf(err, errlen, "a label without \"label\" or \"run\"");
        goto out;
    }
    {
        size_t n = lens[TS__NCOLS];
        ts_label *l;
        for (size_t c = 0; c < TS__NCOLS + 2; c++) {
            if (cols[c] && lens[c] != n) {
                snprintf(err, errlen, "label \"%s\": vectors of different lengths", name);
                goto out;
            }
        }
        if (!cols[4]) {
            snprintf(err, errlen, "label \"%s\": no \"median\" vector", name);
            goto out;
        }
        l = ts_set_intern(s, name, strlen(name));
        if (!l) goto out;
        if (l->nruns != 0) {
            snprintf(err, errlen, "label \"%s\" appears twice", name);
            goto out;
        }
        for (size_t r = 0; r < n; r++) {
            ts_runstat rs;
            double run = cols[TS__NCOLS][r];
            memset(&rs, 0, sizeof rs);
            if (!(run >= 0 && run < (double)s->nruns) || run != floor(run)) {
                snprintf(err, errlen, "label \"%s\": bad run index", name);
                goto out;
            }
            rs.run = (uint32_t)run;
            rs.from_summary = cols[TS__NCOLS + 1] ? cols[TS__NCOLS + 1][r] != 0 : 0;
            for (size_t c = 0; c < TS__NCOLS; c++) {
                double v = cols[c] ? cols[c][r] : NAN;
                memcpy((char *)&rs + ts__cols[c].off, &v, sizeof v);
            }
            if (!(rs.calls >= 0) || !(rs.median >= 0)) {
                snprintf(err, errlen, "label \"%s\": calls or median missing or negative", name);
                goto out;
            }
            if (ts_label_push_run(l, &rs) != 0) goto out;
        }
    }
    ret = 0;
out:
    free(name);
    for (size_t c = 0; c < TS__NCOLS + 2; c++) free(cols[c]);
    return ret;
}

int ts_baseline_load(const char *path, ts_set *s, char *err, size_t errlen)
{
    size_t n;
    char *buf;
    ts_json j;
    ts_str key;
    int rc, first = 1, seen_labels = 0, ret = -1;
    buf = ts_slurp(path, (size_t)1 << 30, &n);
    if (!buf) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    ts_json_init(&j, buf, n);
    s->baseline = 1;
    if (ts_json_obj_begin(&j) != 0) {
        ret = -2;
        goto bad;
    }
    while ((rc = ts_json_obj_next(&j, &key)) > 0) {
        if (first) {
            ts_str v;
            double ver;
            ts_str vkey;
            first = 0;
            if (strcmp(key.p, "format") != 0 || ts_json_peek(&j) != TS_J_STRING) {
                ret = -2;
                goto bad;
            }
            if (ts_json_string(&j, &v) != 0) goto bad;
            if (strcmp(v.p, TS_BASELINE_FORMAT) != 0) {
                ret = -2;
                goto bad;
            }
            if (ts_json_obj_next(&j, &vkey) <= 0 || strcmp(vkey.p, "version") != 0 || ts_json_number(&j, &ver) != 0) {
                snprintf(err, errlen, "%s: \"version\" must follow \"format\"", path);
                goto out;
            }
            if (ver != TS_BASELINE_VERSION) {
                snprintf(err, errlen, "%s: baseline version %g is not supported (this tracestat reads version %d)", path, ver,
                         TS_BASELINE_VERSION);
                goto out;
            }
            continue;
        }
        if (strcmp(key.p, "fingerprint") == 0) {
            if (ts_json_peek(&j) == TS_J_NULL) {
                if (ts_json_skip(&j) != 0) goto bad;
            } else if (ts_fingerprint_parse(&j, &s->fp) != 0) {
                goto bad;
            }
        } else if (strcmp(key.p, "runs") == 0) {
            if (ts_json_arr_begin(&j) != 0) goto bad;
            while ((rc = ts_json_arr_next(&j)) > 0) {
                ts_str v;
                if (ts_json_string(&j, &v) != 0 || ts_set_begin_run(s, v.p) != 0) goto bad;
                s->in_run = 0;
            }
            if (rc < 0) goto bad;
        } else if (strcmp(key.p, "records") == 0 || strcmp(key.p, "malformed") == 0) {
            double v;
            if (ts_json_number(&j, &v) != 0) goto bad;
            if (v >= 0 && v < 1.8e19) {
                if (key.p[0] == 'r')
                    s->records = (uint64_t)v;
                else
                    s->errs.count = (uint64_t)v;
            }
        } else if (strcmp(key.p, "levels") == 0) {
            ts_str lk;
            if (ts_json_obj_begin(&j) != 0) goto bad;
            while ((rc = ts_json_obj_next(&j, &lk)) > 0) {
                double v;
                if (ts_json_number(&j, &v) != 0) goto bad;
                for (int i = 0; i < TS_LVL_COUNT; i++)
                    if (strcmp(lk.p, ts__lvl_names[i]) == 0 && v >= 0 && v < 1.8e19) s->levels[i] = (uint64_t)v;
            }
            if (rc < 0) goto bad;
        } else if (strcmp(key.p, "labels") == 0) {
            seen_labels = 1;
            if (ts_json_arr_begin(&j) != 0) goto bad;
            while ((rc = ts_json_arr_next(&j)) > 0) {
                err[0] = '\0';
                if (ts__read_label(&j, s, err, errlen) != 0) {
                    if (err[0]) {
                        char tmp[256];
                        snprintf(tmp, sizeof tmp, "%s", err);
                        snprintf(err, errlen, "%s: %s", path, tmp);
                        goto out;
                    }
                    goto bad;
                }
            }
            if (rc < 0) goto bad;
        } else {
            if (ts_json_skip(&j) != 0) goto bad;
        }
    }
    if (rc < 0 || ts_json_finish(&j) != 0) goto bad;
    if (first) {
        ret = -2;
        goto bad;
    }
    if (!seen_labels) {
        snprintf(err, errlen, "%s: no \"labels\"", path);
        goto out;
    }
    ret = 0;
    goto out;
bad:
    if (ret == -2)
        snprintf(err, errlen, "%s: not a tracestat baseline", path);
    else
        snprintf(err, errlen, "%s: byte %zu: %s", path, (size_t)((j.err_at ? j.err_at : j.p) - buf) + 1,
                 j.why ? j.why : "unexpected value");
out:
    free(buf);
    return ret;
}
