/* main.c - tracestat: command line parsing and wiring of the stages
 * (read -> group -> stats -> verdict -> render). No analysis lives here. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>

#include "baseline.h"
#include "group.h"
#include "read.h"
#include "render.h"
#include "run.h"
#include "stats.h"
#include "verdict.h"

#ifndef TRACESTAT_VERSION
#define TRACESTAT_VERSION "0.1.0"
#endif

enum { EXIT_PASS = 0, EXIT_REGRESSION = 1, EXIT_USAGE = 2, EXIT_NOCMP = 3 };

static const char *const ts_help[] = {
    "tracestat " TRACESTAT_VERSION " - summaries, baselines, significance-tested comparisons,\n",
    "reports and timelines from trace.h's JSON-lines logs.\n",
    "\n",
    "Usage:\n",
    "  tracestat run -n N [--warmup K] -o DIR -- COMMAND [ARG...]\n",
    "  tracestat summary [--format text|md|json] INPUT...\n",
    "  tracestat save -o FILE INPUT...\n",
    "  tracestat compare BASELINE CURRENT [--fail SPEC]... [--gate=point] [--alpha A]\n",
    "                    [--format text|md|json]\n",
    "  tracestat report [BASELINE] CURRENT [--fail SPEC]... [--gate=point] [--alpha A] [-o FILE]\n",
    "  tracestat chrome [-o FILE] INPUT...\n",
    "  tracestat help | --help | -h      tracestat --version\n",
    "\n",
    "Inputs. An INPUT is a JSON-lines file as trace.h writes it with LOG_FORMAT=json,\n",
    "a directory (its *.jsonl files, in name order), or - for standard input. One file\n",
    "is one run (one process execution of the scenario). A timing record has\n",
    "msg \"timing\", a label and ms; a \"timing_summary\" record (TRACE_TIMING=summary)\n",
    "stands for its label's calls in that run; other records are counted by level.\n",
    "A malformed line (invalid JSON per RFC 8259, invalid UTF-8, a missing field or a\n",
    "wrong type, a line of 1 MiB or more) is counted and skipped; the first five are\n",
    "listed on standard error as file:line. Blank lines are ignored.\n",
    "\n",
    "Statistics. Within a run, each label gets calls, total, min, p25, median, p75,\n",
    "p90, p95, p99, max, mean and sd of its calls. Quantiles are Hyndman-Fan type 7,\n",
    "the default of R (quantile type=7) and NumPy (method \"linear\"). Across runs one\n",
    "value per run is used: ten thousand calls from three runs are three samples.\n",
    "\n",
    "run      Runs COMMAND N times (after K discarded warm-up runs) with LOG_FORMAT=json\n",
    "         in its environment. Run i's standard output goes to DIR/run-NN.jsonl; its\n",
    "         standard error passes through; a progress line is written to standard\n",
    "         error. A run that exits non-zero or is killed is reported and its log kept\n",
    "         as DIR/run-NN.jsonl.failed (not analysed). DIR/fingerprint.json records\n",
    "         the CPU model, logical cores, OS, kernel, the command and each run's exit\n",
    "         status and wall time. Old run-*.jsonl files in DIR are removed first.\n",
    "         Exit: 0 all runs succeeded, 1 a run failed, 2 usage error or the command\n",
    "         could not be started.\n",
    "summary  One aligned table per INPUT: label, runs, calls per run, median, IQR and\n",
    "         IQR as % of the median, p95, min, max, mean ± sd, total, self time (time\n",
    "         minus child scopes, from span/parent) and cpu/wall (median cpu_ms/ms;\n",
    "         a low ratio means waiting, not computing), then record counts per level\n",
    "         and errors. Each column is the median over runs of the per-run value;\n",
    "         min and max are over all runs. Times in auto units (ns, us, ms, s).\n",
    "save     Writes a baseline file (JSON: format, version, creation time, host\n",
    "         fingerprint, per label the per-run vectors). All INPUTs form one set.\n",
    "compare  Compares two sides; each is a baseline file or runs (a directory, a file).\n",
    "         Per label, with the per-run values of the statistic its rule names:\n",
    "         effect = ratio of the medians, in words (+7.3% slower, -18.4% faster);\n",
    "         test = Mann-Whitney U, two-sided (exact for small samples without ties,\n",
    "         normal approximation with tie correction otherwise), Holm's correction\n",
    "         across the gated labels; interval = Hodges-Lehmann ratio with the Moses\n",
    "         confidence interval (it excludes 1 exactly when the test rejects).\n",
    "         Verdicts: regressed (significant and slower than the threshold),\n",
    "         improved, unchanged (interval inside the tolerance band), inconclusive\n",
    "         (with the runs per side needed), insufficient (fewer than 4 runs a side),\n",
    "         new, missing, ignored. A change of calls per run is reported.\n",
    "report   A Markdown write-up (Summary, Method, Evidence with the top labels by\n",
    "         self time, the timing table, trace IDs of the slowest requests and of\n",
    "         requests that logged errors; Next steps) from one set or a comparison.\n",
    "chrome   Chrome Trace Event JSON of the timing records (X events, microsecond ts\n",
    "         and dur, pid, tid, thread names, args label/trace/span, tdur from cpu_ms;\n",
    "         nesting follows the spans) for ui.perfetto.dev, chrome://tracing,\n",
    "         speedscope. Each INPUT file is one process.\n",
    "\n",
    "Options:\n",
    "  --format text|md|json   output of summary and compare (default text); md is\n",
    "                          GitHub Markdown (regressions first, the rest under\n",
    "                          <details>); json has every number behind the verdicts\n",
    "  --fail SPEC             threshold rule, repeatable; the last matching rule wins.\n",
    "                          SPEC = [GLOB=](ignore | [STAT:]THRESHOLD), STAT one of\n",
    "                          median (default), mean, min, max, p90, p95, p99, stddev,\n",
    "                          iqr; THRESHOLD = N% (relative) or N[s|ms|us|ns] (absolute,\n",
    "                          seconds without a unit). Examples: 'median:5%', 'mean:5%',\n",
    "                          'p95:10%', 'min:0.001', '2ms', 'db.*=median:3%',\n",
    "                          'flaky.*=ignore'. Default: median:5%. A spec with a syntax\n",
    "                          error is refused with its column.\n",
    "  --gate=point            pytest-benchmark's plain rule (no test): regressed when\n",
    "                          the aggregated statistic is worse by more than the threshold\n",
    "  --gate=test             the default statistical gate\n",
    "  --alpha A               significance level (default 0.05)\n",
    "  -n N                    runs (run)\n",
    "  --warmup K              discarded runs before the measured ones (run)\n",
    "  -o DIR|FILE             output directory (run), file (save, report, chrome)\n",
    "\n",
    "Exit status (summary, save, compare, report, chrome):\n",
    "  0  success; for compare: the gate passed\n",
    "  1  compare: a gated label regressed\n",
    "  2  usage error or unreadable input\n",
    "  3  no comparison possible: baseline missing or empty, no label in common, or\n",
    "     fewer than 4 runs a side for every label (never 0 when a comparison did not happen)\n",
    "\n",
    "See tracestat(1).\n",
    NULL
};

static void put_help(FILE *f)
{
    for (size_t i = 0; ts_help[i]; i++) fputs(ts_help[i], f);
}

static void usage_error(const char *fmt, const char *arg)
{
    fputs("tracestat: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'tracestat --help'.\n", stderr);
}

typedef struct opts {
    const char *cmd;
    ts_format fmt;
    ts_rules rules;
    int nrules;
    ts_gate_opts gate;
    long n, warmup;
    const char *out;
    const char **pos;
    size_t npos;
    char **command; /* after -- for run */
} opts;

static int parse_long(const char *s, long *out)
{
    char *end;
    long v;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end) return -1;
    *out = v;
    return 0;
}

/* Returns 0, or EXIT_USAGE after a message. */
static int parse_args(int argc, char **argv, opts *o)
{
    o->pos = calloc((size_t)argc + 1, sizeof *o->pos);
    if (!o->pos) return EXIT_USAGE;
    for (int i = 2; i < argc; i++) {
        char *a = argv[i];
        const char *val = NULL;
        char name[32];
        if (strcmp(a, "--") == 0) {
            if (strcmp(o->cmd, "run") == 0) {
                o->command = argv + i + 1;
                return 0;
            }
            for (i++; i < argc; i++) o->pos[o->npos++] = argv[i];
            break;
        }
        if (a[0] != '-' || a[1] == '\0') {
            o->pos[o->npos++] = a;
            continue;
        }
        /* split --name=value */
        if (a[1] == '-') {
            const char *eq = strchr(a, '=');
            size_t n = eq ? (size_t)(eq - a) : strlen(a);
            if (n >= sizeof name) {
                usage_error("unknown option '%s'", a);
                return EXIT_USAGE;
            }
            memcpy(name, a, n);
            name[n] = '\0';
            if (eq) val = eq + 1;
        } else {
            name[0] = '-';
            name[1] = a[1];
            name[2] = '\0';
            if (a[2]) val = a + 2;
        }
#define NEED_VAL()                                                  \
    do {                                                            \
        if (!val) {                                                 \
            if (i + 1 >= argc) {                                    \
                usage_error("option '%s' needs a value", name);     \
                return EXIT_USAGE;                                  \
            }                                                       \
            val = argv[++i];                                        \
        }                                                           \
    } while (0)
        if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
            put_help(stdout);
            exit(0);
        } else if (strcmp(name, "--format") == 0 || strcmp(name, "-f") == 0) {
            NEED_VAL();
            if (strcmp(val, "text") == 0) o->fmt = TS_FMT_TEXT;
            else if (strcmp(val, "md") == 0 || strcmp(val, "markdown") == 0) o->fmt = TS_FMT_MD;
            else if (strcmp(val, "json") == 0) o->fmt = TS_FMT_JSON;
            else {
                usage_error("--format: '%s' is not one of text, md, json", val);
                return EXIT_USAGE;
            }
        } else if (strcmp(name, "--fail") == 0) {
            char err[512];
            NEED_VAL();
            if (ts_rule_parse(val, &o->rules, err, sizeof err) != 0) {
                fprintf(stderr, "tracestat: %s\n", err);
                return EXIT_USAGE;
            }
            o->nrules++;
        } else if (strcmp(name, "--gate") == 0) {
            NEED_VAL();
            if (strcmp(val, "point") == 0) o->gate.point = 1;
            else if (strcmp(val, "test") == 0) o->gate.point = 0;
            else {
                usage_error("--gate: '%s' is not 'point' or 'test'", val);
                return EXIT_USAGE;
            }
        } else if (strcmp(name, "--alpha") == 0) {
            ts_json j;
            char tmp[64];
            double a2 = NAN;
            NEED_VAL();
            snprintf(tmp, sizeof tmp, "%s", val);
            ts_json_init(&j, tmp, strlen(tmp));
            if (ts_json_number(&j, &a2) != 0 || ts_json_finish(&j) != 0 || !(a2 > 0 && a2 < 1)) {
                usage_error("--alpha: '%s' is not a number between 0 and 1", val);
                return EXIT_USAGE;
            }
            o->gate.alpha = a2;
        } else if (strcmp(name, "-n") == 0 || strcmp(name, "--runs") == 0) {
            NEED_VAL();
            if (parse_long(val, &o->n) != 0 || o->n < 1 || o->n > 100000) {
                usage_error("-n: '%s' is not a number of runs (1 to 100000)", val);
                return EXIT_USAGE;
            }
        } else if (strcmp(name, "--warmup") == 0) {
            NEED_VAL();
            if (parse_long(val, &o->warmup) != 0 || o->warmup < 0 || o->warmup > 100000) {
                usage_error("--warmup: '%s' is not a number of runs (0 to 100000)", val);
                return EXIT_USAGE;
            }
        } else if (strcmp(name, "-o") == 0 || strcmp(name, "--output") == 0) {
            NEED_VAL();
            o->out = val;
        } else {
            usage_error("unknown option '%s'", a);
            return EXIT_USAGE;
        }
#undef NEED_VAL
    }
    return 0;
}

static void report_malformed(const ts_set *s)
{
    const ts_errs *e = &s->errs;
    if (e->count == 0 || s->baseline) return;
    fprintf(stderr, "tracestat: %s: %llu malformed line%s skipped%s\n", s->name, (unsigned long long)e->count,
            e->count == 1 ? "" : "s", e->count > e->nkept ? ", the first ones:" : ":");
    for (size_t i = 0; i < e->nkept; i++)
        fprintf(stderr, "  %s:%llu: %s\n", e->kept[i].file, (unsigned long long)e->kept[i].line, e->kept[i].why);
}

/* Load one side: a baseline file or runs. Returns 0, EXIT_USAGE, or EXIT_NOCMP
 * when missing_is_nocmp and the path does not exist. */
static int load_side(ts_reader *r, const char *path, ts_set *s, int missing_is_nocmp)
{
    char err[1024];
    struct stat st;
    if (strcmp(path, "-") != 0) {
        if (stat(path, &st) != 0) {
            fprintf(stderr, "tracestat: %s: %s\n", path, strerror(errno));
            return (errno == ENOENT && missing_is_nocmp) ? EXIT_NOCMP : EXIT_USAGE;
        }
        if (S_ISREG(st.st_mode) && ts_baseline_sniff(path)) {
            int rc = ts_baseline_load(path, s, err, sizeof err);
            if (rc == 0) return 0;
            if (rc == -1) {
                fprintf(stderr, "tracestat: %s\n", err);
                return EXIT_USAGE;
            }
            /* -2: not a baseline: read it as a log */
            ts_set_free(s);
            ts_set_init(s, path);
        }
    }
    if (ts_set_read_path(s, r, path, err, sizeof err) != 0) {
        fprintf(stderr, "tracestat: %s\n", err);
        return EXIT_USAGE;
    }
    report_malformed(s);
    return 0;
}

static size_t count_labels(const ts_set *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nlabels; i++)
        if (s->labels[i]->nruns > 0) n++;
    return n;
}

static void rule_words(char *buf, size_t cap, const ts_rule *r)
{
    char g[140] = "";
    if (strcmp(r->glob, "*") != 0) snprintf(g, sizeof g, "%s=", r->glob);
    if (r->ignore)
        snprintf(buf, cap, "%signore", g);
    else if (r->relative)
        snprintf(buf, cap, "%s%s:%g%%", g, ts_stat_name(r->stat), r->percent);
    else {
        char t[32];
        ts_fmt_time(t, sizeof t, r->threshold * 1000.0);
        snprintf(buf, cap, "%s%s:%s", g, ts_stat_name(r->stat), t);
    }
}

/* Per-run values (seconds) of one statistic; NaN values (unknown) are left out. */
static double *vec_of(const ts_label *l, ts_stat stat, size_t *n)
{
    double *v;
    *n = 0;
    if (!l) return NULL;
    v = malloc((l->nruns ? l->nruns : 1) * sizeof *v);
    if (!v) return NULL;
    for (size_t i = 0; i < l->nruns; i++) {
        double x = ts_runstat_value(&l->runs[i], stat);
        if (!isnan(x)) v[(*n)++] = x / 1000.0;
    }
    return v;
}

static void free_comparison(ts_comparison *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->rows[i].base_s);
        free(c->rows[i].cur_s);
    }
    free(c->rows);
    c->rows = NULL;
    c->n = 0;
}

/* Build and decide the comparison. Returns the exit code (0, 1, 3) or -1 on memory. */
static int build_comparison(ts_comparison *c, const ts_set *base, const ts_set *cur, const opts *o)
{
    size_t cap = base->nlabels + cur->nlabels, n = 0;
    ts_label_cmp *lc;
    size_t n_active = 0, n_active_insufficient = 0;
    memset(c, 0, sizeof *c);
    c->base = base;
    c->cur = cur;
    c->opts = o->gate;
    c->rows = calloc(cap ? cap : 1, sizeof *c->rows);
    if (!c->rows) return -1;
    for (int side = 0; side < 2; side++) {
        const ts_set *s = side ? cur : base;
        for (size_t i = 0; i < s->nlabels; i++) {
            const ts_label *l = s->labels[i];
            ts_cmp_row *r;
            const ts_rule *rule;
            if (l->nruns == 0) continue;
            if (side == 1) {
                const ts_label *bl = ts_set_find(base, l->name);
                if (bl && bl->nruns > 0) continue; /* already a row */
            }
            r = &c->rows[n++];
            r->base_l = side ? NULL : l;
            r->cur_l = side ? l : ts_set_find(cur, l->name);
            if (r->cur_l && r->cur_l->nruns == 0) r->cur_l = NULL;
            rule = ts_rule_for(&o->rules, l->name);
            r->stat = rule->stat;
            rule_words(r->rule, sizeof r->rule, rule);
            r->tolerance = (rule->relative && !rule->ignore) ? rule->threshold : NAN;
            r->base_s = vec_of(r->base_l, r->stat, &r->c.nbase);
            r->cur_s = vec_of(r->cur_l, r->stat, &r->c.ncur);
            r->c.label = l->name;
            r->c.base = r->base_s;
            r->c.cur = r->cur_s;
            r->c.base_calls = r->base_l ? ts_label_median_of(r->base_l, offsetof(ts_runstat, calls)) : NAN;
            r->c.cur_calls = r->cur_l ? ts_label_median_of(r->cur_l, offsetof(ts_runstat, calls)) : NAN;
        }
    }
    c->n = n;
    lc = malloc((n ? n : 1) * sizeof *lc);
    if (!lc) return -1;
    for (size_t i = 0; i < n; i++) lc[i] = c->rows[i].c;
    ts_decide(lc, n, &o->rules, &o->gate);
    for (size_t i = 0; i < n; i++) c->rows[i].c = lc[i];
    free(lc);
    c->exit_code = EXIT_PASS;
    for (size_t i = 0; i < n; i++) {
        const ts_cmp_row *r = &c->rows[i];
        if (r->base_l && r->cur_l) c->n_common++;
        switch (r->c.kind) {
        case TS_V_REGRESSED: c->n_regressed++; break;
        case TS_V_IMPROVED: c->n_improved++; break;
        case TS_V_UNCHANGED: c->n_unchanged++; break;
        case TS_V_INCONCLUSIVE: c->n_inconclusive++; break;
        case TS_V_INSUFFICIENT: c->n_insufficient++; break;
        case TS_V_NEW: c->n_new++; break;
        case TS_V_MISSING: c->n_missing++; break;
        case TS_V_IGNORED: c->n_ignored++; break;
        default: break;
        }
        if (r->c.kind == TS_V_REGRESSED && r->c.gated) c->exit_code = EXIT_REGRESSION;
        if (r->base_l && r->cur_l && r->c.kind != TS_V_IGNORED) {
            n_active++;
            if (r->c.kind == TS_V_INSUFFICIENT) n_active_insufficient++;
        }
    }
    if (c->exit_code == EXIT_PASS && (n_active == 0 || n_active == n_active_insufficient)) c->exit_code = EXIT_NOCMP;
    return c->exit_code;
}

static FILE *open_out(const char *path)
{
    FILE *f;
    if (!path || strcmp(path, "-") == 0) return stdout;
    f = fopen(path, "w");
    if (!f) fprintf(stderr, "tracestat: %s: %s\n", path, strerror(errno));
    return f;
}

static int close_out(FILE *f, const char *path)
{
    int bad = ferror(f);
    if (f == stdout) {
        if (fflush(f) != 0) bad = 1;
    } else if (fclose(f) != 0) {
        bad = 1;
    }
    if (bad) {
        fprintf(stderr, "tracestat: %s: write error\n", path && strcmp(path, "-") ? path : "<stdout>");
        return EXIT_USAGE;
    }
    return 0;
}

static int cmd_summary(opts *o)
{
    ts_reader *r;
    ts_set **sets;
    int rc = 0;
    if (o->npos == 0) {
        usage_error("%s: no input (give files, directories or -)", "summary");
        return EXIT_USAGE;
    }
    r = ts_reader_new();
    sets = calloc(o->npos, sizeof *sets);
    if (!r || !sets) return EXIT_USAGE;
    for (size_t i = 0; i < o->npos && rc == 0; i++) {
        sets[i] = malloc(sizeof **sets);
        if (!sets[i]) return EXIT_USAGE;
        ts_set_init(sets[i], o->pos[i]);
        rc = load_side(r, o->pos[i], sets[i], 0);
    }
    if (rc == 0) {
        FILE *f = open_out(o->out);
        if (!f) rc = EXIT_USAGE;
        else {
            if (ts_render_summary(f, sets, o->npos, o->fmt) != 0) rc = EXIT_USAGE;
            if (close_out(f, o->out) != 0) rc = EXIT_USAGE;
        }
    }
    for (size_t i = 0; i < o->npos; i++)
        if (sets[i]) {
            ts_set_free(sets[i]);
            free(sets[i]);
        }
    free(sets);
    ts_reader_free(r);
    return rc;
}

static int cmd_save(opts *o)
{
    ts_reader *r;
    ts_set s;
    char err[1024];
    int rc = 0;
    if (!o->out) {
        usage_error("%s: -o FILE is required", "save");
        return EXIT_USAGE;
    }
    if (o->npos == 0) {
        usage_error("%s: no input (give files, directories or -)", "save");
        return EXIT_USAGE;
    }
    r = ts_reader_new();
    if (!r) return EXIT_USAGE;
    ts_set_init(&s, o->npos == 1 ? o->pos[0] : "several inputs");
    for (size_t i = 0; i < o->npos && rc == 0; i++) {
        ts_fingerprint fp = s.fp;
        if (ts_set_read_path(&s, r, o->pos[i], err, sizeof err) != 0) {
            fprintf(stderr, "tracestat: %s\n", err);
            rc = EXIT_USAGE;
        }
        if (fp.present) s.fp = fp; /* the first fingerprint found is kept */
    }
    if (rc == 0) {
        report_malformed(&s);
        if (count_labels(&s) == 0) fprintf(stderr, "tracestat: warning: no timing record in the input: the baseline is empty\n");
        if (ts_baseline_save(o->out, &s, err, sizeof err) != 0) {
            fprintf(stderr, "tracestat: %s\n", err);
            rc = EXIT_USAGE;
        } else if (strcmp(o->out, "-") != 0) {
            fprintf(stderr, "tracestat: saved %zu labels from %zu runs to %s\n", count_labels(&s), s.nruns, o->out);
        }
    }
    ts_set_free(&s);
    ts_reader_free(r);
    return rc;
}

/* compare and report with two sides. */
static int compare_sides(opts *o, int report)
{
    ts_reader *r;
    ts_set base, cur;
    ts_comparison c;
    int rc;
    if (o->npos != 2) {
        usage_error(report ? "%s: give [BASELINE] CURRENT" : "%s: give BASELINE CURRENT", report ? "report" : "compare");
        return EXIT_USAGE;
    }
    r = ts_reader_new();
    if (!r) return EXIT_USAGE;
    ts_set_init(&base, o->pos[0]);
    ts_set_init(&cur, o->pos[1]);
    rc = load_side(r, o->pos[0], &base, 1);
    if (rc == 0) rc = load_side(r, o->pos[1], &cur, 0);
    if (rc == 0 && count_labels(&base) == 0) {
        fprintf(stderr, "tracestat: %s: the baseline has no timing record: no comparison possible\n", o->pos[0]);
        rc = EXIT_NOCMP;
    }
    if (rc == 0) {
        int code = build_comparison(&c, &base, &cur, o);
        FILE *f;
        if (code < 0) {
            fprintf(stderr, "tracestat: out of memory\n");
            rc = EXIT_USAGE;
        } else {
            f = open_out(o->out);
            if (!f) {
                rc = EXIT_USAGE;
            } else {
                int wr = report ? ts_render_report(f, &c, &cur) : ts_render_compare(f, &c, o->fmt);
                rc = close_out(f, o->out);
                if (wr != 0) rc = EXIT_USAGE;
                if (rc == 0) {
                    if (code == EXIT_NOCMP) {
                        if (c.n_common == 0)
                            fprintf(stderr, "tracestat: no label in common between %s and %s: no comparison possible\n", o->pos[0],
                                    o->pos[1]);
                        else
                            fprintf(stderr, "tracestat: fewer than %d runs a side for every label: no comparison possible\n",
                                    TS_MIN_RUNS);
                    }
                    rc = (report && code == EXIT_REGRESSION) ? EXIT_PASS : code;
                }
            }
            free_comparison(&c);
        }
    }
    ts_set_free(&base);
    ts_set_free(&cur);
    ts_reader_free(r);
    return rc;
}

static int cmd_report(opts *o)
{
    ts_reader *r;
    ts_set cur;
    int rc;
    FILE *f;
    if (o->npos == 2) return compare_sides(o, 1);
    if (o->npos != 1) {
        usage_error("%s: give [BASELINE] CURRENT", "report");
        return EXIT_USAGE;
    }
    r = ts_reader_new();
    if (!r) return EXIT_USAGE;
    ts_set_init(&cur, o->pos[0]);
    rc = load_side(r, o->pos[0], &cur, 0);
    if (rc == 0) {
        f = open_out(o->out);
        if (!f) {
            rc = EXIT_USAGE;
        } else {
            int wr = ts_render_report(f, NULL, &cur);
            rc = close_out(f, o->out);
            if (wr != 0) rc = EXIT_USAGE;
        }
    }
    ts_set_free(&cur);
    ts_reader_free(r);
    return rc;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int cmd_chrome(opts *o)
{
    ts_reader *r;
    ts_errs errs;
    char err[1024];
    char **paths = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    FILE *f;
    if (o->npos == 0) {
        usage_error("%s: no input (give files, directories or -)", "chrome");
        return EXIT_USAGE;
    }
    memset(&errs, 0, sizeof errs);
    /* expand directories into their *.jsonl files */
    for (size_t i = 0; i < o->npos && rc == 0; i++) {
        struct stat st;
        const char *p = o->pos[i];
        if (strcmp(p, "-") != 0 && stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            DIR *d = opendir(p);
            struct dirent *de;
            size_t first = n;
            if (!d) {
                fprintf(stderr, "tracestat: %s: %s\n", p, strerror(errno));
                rc = EXIT_USAGE;
                break;
            }
            while ((de = readdir(d)) != NULL) {
                size_t ln = strlen(de->d_name);
                if (de->d_name[0] == '.' || ln <= 6 || strcmp(de->d_name + ln - 6, ".jsonl") != 0) continue;
                if (n == cap) {
                    char **np2 = realloc(paths, (cap = cap ? cap * 2 : 16) * sizeof *paths);
                    if (!np2) return EXIT_USAGE;
                    paths = np2;
                }
                paths[n] = malloc(strlen(p) + ln + 2);
                if (!paths[n]) return EXIT_USAGE;
                sprintf(paths[n], "%s/%s", p, de->d_name);
                n++;
            }
            closedir(d);
            qsort(paths + first, n - first, sizeof *paths, cmp_str);
        } else {
            if (n == cap) {
                char **np2 = realloc(paths, (cap = cap ? cap * 2 : 16) * sizeof *paths);
                if (!np2) return EXIT_USAGE;
                paths = np2;
            }
            paths[n++] = strdup(p);
        }
    }
    r = ts_reader_new();
    if (rc == 0 && r && (f = open_out(o->out)) != NULL) {
        int wr = ts_render_chrome(f, r, (const char *const *)paths, n, &errs, err, sizeof err);
        if (wr == -2) fprintf(stderr, "tracestat: %s\n", err);
        rc = close_out(f, o->out);
        if (wr != 0) rc = EXIT_USAGE;
    } else {
        rc = EXIT_USAGE;
    }
    if (errs.count) {
        ts_set tmp;
        ts_set_init(&tmp, "chrome input");
        tmp.errs = errs;
        report_malformed(&tmp);
        ts_set_free(&tmp);
    }
    for (size_t i = 0; i < n; i++) free(paths[i]);
    free(paths);
    ts_reader_free(r);
    return rc;
}

static int cmd_run(opts *o)
{
    ts_run_opts ro;
    char err[1024];
    int failed;
    if (!o->command || !o->command[0]) {
        usage_error("%s: give the command after --", "run");
        return EXIT_USAGE;
    }
    if (o->npos != 0) {
        usage_error("run: unexpected argument '%s' (the command goes after --)", o->pos[0]);
        return EXIT_USAGE;
    }
    if (o->n <= 0) {
        usage_error("%s: -n N is required", "run");
        return EXIT_USAGE;
    }
    if (!o->out) {
        usage_error("%s: -o DIR is required", "run");
        return EXIT_USAGE;
    }
    memset(&ro, 0, sizeof ro);
    ro.runs = o->n;
    ro.warmup = o->warmup;
    ro.outdir = o->out;
    ro.argv = o->command;
    failed = ts_run(&ro, err, sizeof err);
    if (failed < 0) {
        fprintf(stderr, "tracestat: %s\n", err);
        return EXIT_USAGE;
    }
    return failed > 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
    opts o;
    int rc;
    memset(&o, 0, sizeof o);
    if (argc < 2) {
        put_help(stderr);
        return EXIT_USAGE;
    }
    o.cmd = argv[1];
    if (strcmp(o.cmd, "--help") == 0 || strcmp(o.cmd, "-h") == 0 || strcmp(o.cmd, "help") == 0) {
        put_help(stdout);
        return 0;
    }
    if (strcmp(o.cmd, "--version") == 0 || strcmp(o.cmd, "version") == 0) {
        puts("tracestat " TRACESTAT_VERSION);
        return 0;
    }
    if (strcmp(o.cmd, "summary") && strcmp(o.cmd, "run") && strcmp(o.cmd, "save") && strcmp(o.cmd, "compare") &&
        strcmp(o.cmd, "report") && strcmp(o.cmd, "chrome")) {
        usage_error("unknown command '%s'", o.cmd);
        return EXIT_USAGE;
    }
    rc = parse_args(argc, argv, &o);
    if (rc == 0) {
        if (strcmp(o.cmd, "summary") == 0) rc = cmd_summary(&o);
        else if (strcmp(o.cmd, "run") == 0) rc = cmd_run(&o);
        else if (strcmp(o.cmd, "save") == 0) rc = cmd_save(&o);
        else if (strcmp(o.cmd, "compare") == 0) rc = compare_sides(&o, 0);
        else if (strcmp(o.cmd, "report") == 0) rc = cmd_report(&o);
        else rc = cmd_chrome(&o);
    }
    ts_rules_free(&o.rules);
    free(o.pos);
    return rc;
}
