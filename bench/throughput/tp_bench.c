/* tp_bench.c - timed runs of trace.h against the floors and its peers.

   tp_bench [buffered|safe|abort|all] [-n RECORDS] [-r RUNS] [-d DIR]

   buffered  RECORDS records (default 100000) to a regular file, RUNS times
             (default 7), for the fwrite floor, trace.h with LOG_BUFFER=64k,
             spdlog and glog when built; the loggers take turns within each
             run, so that the machine's noise falls on all of them. Prints
             the median, min and max ns per record, the ratio of the medians
             to the floor's, bytes per record, and the records found in the
             file (a run that lost any is flagged).
   safe      the same for trace.h's safe mode against one write(2) per record
             of the same bytes (the floor), and spdlog flushing every record.
   abort     a child process logs 10 records, then calls abort(); the parent
             counts the records in the file, per logger.

   The time of a run covers the RECORDS calls and the logger's final flush
   and close (what a buffered logger still holds is part of its cost); not
   the creation of the file. Files go to DIR (default: a fresh directory
   under $TMPDIR or /tmp, removed at the end). */
#define _POSIX_C_SOURCE 200809L
#include "tp_bench.h"

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TP_MAX_RUNS 101

static long records = 100000;
static int runs = 7;
static char dir[4096];
static int own_dir;

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Lines of the file that hold a record ("alice"), and its size. */
static long count_records(const char *path, long *bytes) {
    FILE *f = fopen(path, "r");
    char line[8192];
    long n = 0;
    *bytes = 0;
    if (!f) return 0;
    while (fgets(line, sizeof line, f)) {
        if (strstr(line, "alice")) {
            n++;
            *bytes += (long)strlen(line);
        }
    }
    fclose(f);
    return n;
}

static void remove_dir_files(void) {
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[8192];
    if (!d) return;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
}

typedef struct result {
    double ns[TP_MAX_RUNS];
    long bytes;     /* bytes of the records of the last run */
    long found;     /* records found, the smallest count of any run */
    int failed;
} result;

static void one_run(const tp_logger *lg, int run, result *res) {
    char path[8192];
    long i, bytes = 0, found;
    double t0, t1;
    snprintf(path, sizeof path, "%s/run%d-%p.log", dir, run, (const void *)lg);
    if (lg->open(path) != 0) {
        fprintf(stderr, "tp_bench: %s: cannot open %s\n", lg->name, path);
        res->failed = 1;
        res->ns[run] = 0;
        return;
    }
    t0 = now_ns();
    for (i = 0; i < records; i++) lg->log(i);
    lg->close();
    t1 = now_ns();
    res->ns[run] = (t1 - t0) / (double)records;
    found = count_records(path, &bytes);
    if (run == 0 || found < res->found) res->found = found;
    res->bytes = found ? bytes / found : 0;
    unlink(path);
}

static double median_of(double *v, int n) {
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The loggers take turns within a run, so the difference of two loggers in
   one run is less noisy than the difference of their medians. */
static double median_diff(const result *a, const result *b) {
    double d[TP_MAX_RUNS];
    int r;
    for (r = 0; r < runs; r++) d[r] = a->ns[r] - b->ns[r];
    return median_of(d, runs);
}

/* ref: a second reference (its index in lg), or -1: each other logger's
   time over it is printed too. */
static void compare(const char *title, const tp_logger *const *lg, int nlg, int ref) {
    result res[8];
    int r, k;
    double floor_median = 0;
    memset(res, 0, sizeof res);
    printf("\n== %s: %ld records x %d runs, JSON lines, files in %s\n", title, records, runs, dir);
    for (r = 0; r < runs; r++) {
        /* take turns, starting with a different logger each run */
        for (k = 0; k < nlg; k++) {
            int j = (k + r) % nlg;
            one_run(lg[j], r, &res[j]);
        }
    }
    printf("%-30s %9s %9s %9s %9s %9s %9s %9s\n", "logger", "median", "min", "max", "vs floor",
           "over", "bytes", "records");
    printf("%-30s %9s %9s %9s %9s %9s %9s %9s\n", "", "ns/rec", "ns/rec", "ns/rec", "(median)",
           "floor ns", "/rec", "in file");
    for (k = 0; k < nlg; k++) {
        double sorted[TP_MAX_RUNS], median;
        memcpy(sorted, res[k].ns, sizeof(double) * (size_t)runs);
        median = median_of(sorted, runs);
        if (k == 0) floor_median = median;
        printf("%-30s %9.0f %9.0f %9.0f %8.2fx %+9.0f %9ld %9ld%s\n", lg[k]->name, median,
               sorted[0], sorted[runs - 1], floor_median > 0 ? median / floor_median : 0.0,
               median_diff(&res[k], &res[0]), res[k].bytes, res[k].found,
               res[k].failed || res[k].found != records ? "  LOST RECORDS" : "");
    }
    printf("(over floor: the median of the runs' differences, logger minus floor)\n");
    for (k = 1; ref >= 0 && k < nlg; k++) {
        if (k == ref) continue;
        printf("%s over %s: %+.0f ns/rec (median of the runs' differences)\n", lg[k]->name,
               lg[ref]->name, median_diff(&res[k], &res[ref]));
    }
    fflush(stdout);
}

/* A child logs 10 records and aborts; how many are in the file? */
static void abort_test(const tp_logger *const *lg, int nlg) {
    int k;
    printf("\n== abort: 10 records, then abort(); records found in the file\n");
    for (k = 0; k < nlg; k++) {
        char path[8192];
        long bytes, found;
        int status = 0;
        pid_t pid;
        snprintf(path, sizeof path, "%s/abort-%d.log", dir, k);
        fflush(stdout);
        pid = fork();
        if (pid < 0) {
            perror("fork");
            return;
        }
        if (pid == 0) {
            struct rlimit no_core = { 0, 0 };
            long i;
            setrlimit(RLIMIT_CORE, &no_core); /* no core file, please */
            if (lg[k]->open(path) != 0) _exit(3);
            for (i = 0; i < 10; i++) lg[k]->log(i);
            abort();
        }
        waitpid(pid, &status, 0);
        found = count_records(path, &bytes);
        printf("%-30s %2ld of 10 kept  (child %s %d)\n", lg[k]->name, found,
               WIFSIGNALED(status) ? "killed by signal" : "exited with",
               WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
        unlink(path);
    }
    fflush(stdout);
}

/* For reference: the time of one clock_gettime(CLOCK_REALTIME) here (the
   vDSO; under valgrind it is a system call instead). */
static void clock_cost(void) {
    struct timespec t;
    double t0, t1, sum = 0;
    long i, n = 1000000;
    t0 = now_ns();
    for (i = 0; i < n; i++) {
        clock_gettime(CLOCK_REALTIME, &t);
        sum += (double)t.tv_nsec;
    }
    t1 = now_ns();
    printf("clock_gettime(CLOCK_REALTIME): %.1f ns per call%s\n", (t1 - t0) / (double)n,
           sum < 0 ? "?" : "");
}

static int usage(void) {
    fprintf(stderr, "usage: tp_bench [buffered|safe|abort|all] [-n RECORDS] [-r RUNS] [-d DIR]\n");
    return 2;
}

int main(int argc, char **argv) {
    const char *mode = "all";
    const tp_logger *buffered[8], *safe[8], *aborting[8];
    int nb = 0, ns = 0, na = 0, i;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) records = strtol(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "-r") == 0 && i + 1 < argc) runs = atoi(argv[++i]);
        else if (strcmp(argv[i], "-d") == 0 && i + 1 < argc) snprintf(dir, sizeof dir, "%s", argv[++i]);
        else if (argv[i][0] != '-') mode = argv[i];
        else return usage();
    }
    if (records <= 0 || runs <= 0 || runs > TP_MAX_RUNS) return usage();
    if (strcmp(mode, "all") && strcmp(mode, "buffered") && strcmp(mode, "safe") &&
        strcmp(mode, "abort"))
        return usage();
    if (!dir[0]) {
        const char *t = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%s/trace-bench.XXXXXX", t && *t ? t : "/tmp");
        if (!mkdtemp(dir)) {
            perror(dir);
            return 1;
        }
        own_dir = 1;
    }

    buffered[nb++] = &tp_floor_fwrite;
    buffered[nb++] = &tp_trace_buffered;
    safe[ns++] = &tp_floor_write;
    safe[ns++] = &tp_trace_safe;
    safe[ns++] = &tp_write_only;
    aborting[na++] = &tp_trace_buffered;
    aborting[na++] = &tp_trace_safe;
    aborting[na++] = &tp_floor_fwrite;
#ifdef BENCH_HAVE_SPDLOG
    buffered[nb++] = &tp_spdlog_file;
    safe[ns++] = &tp_spdlog_file_flush;
    aborting[na++] = &tp_spdlog_file;
#endif
#ifdef BENCH_HAVE_GLOG
    buffered[nb++] = &tp_glog_file;
    aborting[na++] = &tp_glog_file;
#endif

    if (strcmp(mode, "all") == 0 || strcmp(mode, "buffered") == 0) {
        clock_cost();
        compare("buffered", buffered, nb, -1);
    }
    if (strcmp(mode, "all") == 0 || strcmp(mode, "safe") == 0)
        compare("safe (one write per record)", safe, ns, 2);
    if (strcmp(mode, "all") == 0 || strcmp(mode, "abort") == 0) abort_test(aborting, na);

    if (own_dir) {
        remove_dir_files();
        rmdir(dir);
    }
    return 0;
}
