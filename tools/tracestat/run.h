/* run.h - `tracestat run`: execute a scenario N times, one log file per run. */
#ifndef TRACESTAT_RUN_H
#define TRACESTAT_RUN_H

#include <stddef.h>

#include "group.h"

typedef struct ts_run_opts {
    long runs;           /* measured runs, >= 1 */
    long warmup;         /* discarded runs first, >= 0 */
    const char *outdir;  /* created if needed; old run-*.jsonl and fingerprint.json are removed */
    char *const *argv;   /* the command, NULL-terminated */
    int quiet;           /* no progress line */
} ts_run_opts;

/* Runs the command. Each measured run's stdout goes to OUTDIR/run-NN.jsonl
 * (a failing run's to run-NN.jsonl.failed, which the readers skip), with
 * LOG_FORMAT=json in its environment; stderr passes through. Writes
 * OUTDIR/fingerprint.json. Returns the number of failed runs (>= 0), or -1
 * when the command could not be started or OUTDIR not written (err says why). */
int ts_run(const ts_run_opts *o, char *err, size_t errlen);

/* Host fingerprint of this machine (CPU model, logical cores, OS, kernel). */
void ts_fingerprint_host(ts_fingerprint *fp);
/* The command as one shell-quoted line. */
void ts_shell_join(char *buf, size_t cap, char *const *argv);

#endif
