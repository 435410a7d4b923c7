/* run.c - `tracestat run`: execute a scenario N times, one log file per run,
 * and record the host fingerprint next to the runs. */
#define _POSIX_C_SOURCE 200809L
#include "run.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "render.h"

static void ts__trim(char *s)
{
    size_t n = strlen(s);
    size_t i = 0;
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) s[--n] = '\0';
    while (s[i] == ' ' || s[i] == '\t') i++;
    if (i) memmove(s, s + i, n - i + 1);
}

/* Value of "key<blanks>:" or "key=" lines in a small text file. */
static int ts__file_value(const char *path, const char *key, char sep, char *out, size_t cap)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    size_t kn = strlen(key);
    int found = 0;
    if (!f) return 0;
    while (!found && fgets(line, sizeof line, f)) {
        char *p;
        if (strncmp(line, key, kn) != 0) continue;
        p = line + kn;
        while (*p == ' ' || *p == '\t') p++;
        if (*p != sep) continue;
        p++;
        ts__trim(p);
        if (*p == '"') {
            size_t n;
            p++;
            n = strlen(p);
            if (n && p[n - 1] == '"') p[n - 1] = '\0';
        }
        snprintf(out, cap, "%s", p);
        found = 1;
    }
    fclose(f);
    return found;
}

/* Append src to the NUL-terminated dst of capacity cap, cutting what does not fit. */
static void ts__append(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(dst);
    while (*src && n + 1 < cap) dst[n++] = *src++;
    dst[n] = '\0';
}

void ts_fingerprint_host(ts_fingerprint *fp)
{
    struct utsname u;
    char os[128] = "";
    time_t t = time(NULL);
    struct tm tmv;
    long cores;
    memset(fp, 0, sizeof *fp);
    fp->present = 1;
    fp->runs = fp->warmup = fp->failed = -1;
    if (!ts__file_value("/proc/cpuinfo", "model name", ':', fp->cpu, sizeof fp->cpu) &&
        !ts__file_value("/proc/cpuinfo", "Hardware", ':', fp->cpu, sizeof fp->cpu) &&
        !ts__file_value("/proc/cpuinfo", "cpu model", ':', fp->cpu, sizeof fp->cpu) &&
        !ts__file_value("/proc/cpuinfo", "cpu", ':', fp->cpu, sizeof fp->cpu))
        snprintf(fp->cpu, sizeof fp->cpu, "unknown");
    cores = sysconf(_SC_NPROCESSORS_ONLN);
    fp->cores = cores > 0 ? cores : -1;
    if (uname(&u) == 0) {
        ts__append(fp->kernel, sizeof fp->kernel, u.sysname);
        ts__append(fp->kernel, sizeof fp->kernel, " ");
        ts__append(fp->kernel, sizeof fp->kernel, u.release);
        ts__append(fp->machine, sizeof fp->machine, u.machine);
        ts__append(fp->os, sizeof fp->os, u.sysname);
    }
    if (ts__file_value("/etc/os-release", "PRETTY_NAME", '=', os, sizeof os) && os[0])
        snprintf(fp->os, sizeof fp->os, "%s", os);
    gmtime_r(&t, &tmv);
    strftime(fp->created, sizeof fp->created, "%Y-%m-%dT%H:%M:%SZ", &tmv);
}

void ts_shell_join(char *buf, size_t cap, char *const *argv)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; argv[i]; i++) {
        const char *a = argv[i];
        int plain = a[0] != '\0';
        for (const char *p = a; *p; p++)
            if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:,+@%", *p)) plain = 0;
#define TS__PUT(c) do { if (n + 1 < cap) { buf[n++] = (c); buf[n] = '\0'; } } while (0)
        if (i) TS__PUT(' ');
        if (plain) {
            for (const char *p = a; *p; p++) TS__PUT(*p);
        } else {
            TS__PUT('\'');
            for (const char *p = a; *p; p++) {
                if (*p == '\'') {
                    TS__PUT('\'');
                    TS__PUT('\\');
                    TS__PUT('\'');
                    TS__PUT('\'');
                } else {
                    TS__PUT(*p);
                }
            }
            TS__PUT('\'');
        }
#undef TS__PUT
    }
}

static int ts__mkdirs(const char *path)
{
    char tmp[4096];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof tmp) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(tmp, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (tmp[i] == '/' || tmp[i] == '\0') {
            char c = tmp[i];
            tmp[i] = '\0';
            if (mkdir(tmp, 0777) != 0 && errno != EEXIST) return -1;
            tmp[i] = c;
        }
    }
    {
        struct stat st;
        if (stat(path, &st) != 0) return -1;
        if (!S_ISDIR(st.st_mode)) {
            errno = ENOTDIR;
            return -1;
        }
    }
    return 0;
}

/* Remove what an earlier `tracestat run` left in dir: run-*.jsonl[.failed], fingerprint.json. */
static void ts__clean(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char p[4096];
    if (!d) return;
    while ((de = readdir(d)) != NULL) {
        const char *nm = de->d_name;
        size_t n = strlen(nm);
        int ours = strcmp(nm, "fingerprint.json") == 0 ||
                   (strncmp(nm, "run-", 4) == 0 &&
                    ((n > 10 && strcmp(nm + n - 6, ".jsonl") == 0) || (n > 17 && strcmp(nm + n - 13, ".jsonl.failed") == 0)));
        if (!ours) continue;
        snprintf(p, sizeof p, "%s/%s", dir, nm);
        unlink(p);
    }
    closedir(d);
}

static double ts__now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct ts__result {
    int status;   /* exit status, or -1 when killed */
    int sig;      /* signal, or 0 */
    double wall;  /* seconds */
} ts__result;

/* Run once with stdout to out_fd. 0, or -1 when exec failed (errno of exec). */
static int ts__spawn(char *const *argv, int out_fd, ts__result *res)
{
    int pfd[2];
    pid_t pid;
    int st, exec_errno = 0;
    ssize_t got;
    double t0;
    if (pipe(pfd) != 0) return -1;
    fcntl(pfd[1], F_SETFD, FD_CLOEXEC);
    fflush(NULL);
    t0 = ts__now();
    pid = fork();
    if (pid < 0) {
        close(pfd[0]);
        close(pfd[1]);
        return -1;
    }
    if (pid == 0) {
        int e;
        close(pfd[0]);
        if (dup2(out_fd, 1) < 0) _exit(127);
        if (out_fd != 1) close(out_fd);
        setenv("LOG_FORMAT", "json", 1);
        execvp(argv[0], argv);
        e = errno;
        if (write(pfd[1], &e, sizeof e) < 0) _exit(127);
        _exit(127);
    }
    close(pfd[1]);
    do {
        got = read(pfd[0], &exec_errno, sizeof exec_errno);
    } while (got < 0 && errno == EINTR);
    close(pfd[0]);
    while (waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR) return -1;
    }
    res->wall = ts__now() - t0;
    if (got == (ssize_t)sizeof exec_errno) {
        errno = exec_errno;
        return -1;
    }
    if (WIFEXITED(st)) {
        res->status = WEXITSTATUS(st);
        res->sig = 0;
    } else {
        res->status = -1;
        res->sig = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
    }
    return 0;
}

int ts_run(const ts_run_opts *o, char *err, size_t errlen)
{
    ts__result *res;
    long total = o->warmup + o->runs;
    int tty = isatty(2);
    int failed = 0;
    char path[4096];
    FILE *fpf;
    ts_fingerprint fp;
    char *cmd;
    if (ts__mkdirs(o->outdir) != 0) {
        snprintf(err, errlen, "%s: %s", o->outdir, strerror(errno));
        return -1;
    }
    ts__clean(o->outdir);
    res = calloc((size_t)o->runs, sizeof *res);
    cmd = malloc(sizeof fp.command);
    if (!res || !cmd) {
        free(res);
        free(cmd);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    ts_shell_join(cmd, sizeof fp.command, o->argv);
    for (long i = 0; i < total; i++) {
        int warm = i < o->warmup;
        long k = i - o->warmup; /* measured run index */
        int fd;
        ts__result r;
        if (!o->quiet) {
            if (warm)
                fprintf(stderr, "%stracestat: warm-up %ld/%ld: %s%s", tty ? "\r\033[K" : "", i + 1, o->warmup, cmd, tty ? "" : "\n");
            else
                fprintf(stderr, "%stracestat: run %ld/%ld: %s%s", tty ? "\r\033[K" : "", k + 1, o->runs, cmd, tty ? "" : "\n");
            fflush(stderr);
        }
        if (warm) {
            fd = open("/dev/null", O_WRONLY);
        } else {
            snprintf(path, sizeof path, "%s/run-%02ld.jsonl", o->outdir, k + 1);
            fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        }
        if (fd < 0) {
            snprintf(err, errlen, "%s: %s", warm ? "/dev/null" : path, strerror(errno));
            free(res);
            free(cmd);
            return -1;
        }
        if (ts__spawn(o->argv, fd, &r) != 0) {
            snprintf(err, errlen, "cannot run '%s': %s", o->argv[0], strerror(errno));
            close(fd);
            if (!warm) unlink(path);
            free(res);
            free(cmd);
            if (tty && !o->quiet) fputc('\n', stderr);
            return -1;
        }
        close(fd);
        if (r.status != 0) {
            if (tty && !o->quiet) fputc('\n', stderr);
            if (r.sig)
                fprintf(stderr, "tracestat: %s %ld was killed by signal %d\n", warm ? "warm-up" : "run", (warm ? i : k) + 1, r.sig);
            else
                fprintf(stderr, "tracestat: %s %ld exited with status %d\n", warm ? "warm-up" : "run", (warm ? i : k) + 1, r.status);
        }
        if (!warm) {
            res[k] = r;
            if (r.status != 0) {
                char failed_path[4200];
                failed++;
                snprintf(failed_path, sizeof failed_path, "%s.failed", path);
                rename(path, failed_path);
            }
        }
    }
    if (tty && !o->quiet) fputs("\r\033[K", stderr);
    if (!o->quiet)
        fprintf(stderr, "tracestat: %ld run%s into %s/, %d failed\n", o->runs, o->runs == 1 ? "" : "s", o->outdir, failed);

    /* fingerprint.json */
    ts_fingerprint_host(&fp);
    snprintf(path, sizeof path, "%s/fingerprint.json", o->outdir);
    fpf = fopen(path, "w");
    if (!fpf) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        free(res);
        free(cmd);
        return -1;
    }
    fputs("{\"format\":\"tracestat-fingerprint\",\"version\":1,\n\"cpu\":", fpf);
    ts_put_jstr(fpf, fp.cpu, strlen(fp.cpu));
    fprintf(fpf, ",\"cores\":%ld,\"os\":", fp.cores);
    ts_put_jstr(fpf, fp.os, strlen(fp.os));
    fputs(",\"kernel\":", fpf);
    ts_put_jstr(fpf, fp.kernel, strlen(fp.kernel));
    fputs(",\"machine\":", fpf);
    ts_put_jstr(fpf, fp.machine, strlen(fp.machine));
    fputs(",\n\"command\":", fpf);
    ts_put_jstr(fpf, cmd, strlen(cmd));
    fputs(",\"argv\":[", fpf);
    for (size_t i = 0; o->argv[i]; i++) {
        if (i) fputc(',', fpf);
        ts_put_jstr(fpf, o->argv[i], strlen(o->argv[i]));
    }
    fputs("],\"env\":{\"LOG_FORMAT\":\"json\"},\n\"created\":", fpf);
    ts_put_jstr(fpf, fp.created, strlen(fp.created));
    fprintf(fpf, ",\"runs_total\":%ld,\"warmup\":%ld,\"runs_failed\":%d,\n\"runs\":[", o->runs, o->warmup, failed);
    for (long k = 0; k < o->runs; k++) {
        fprintf(fpf, "%s{\"file\":\"run-%02ld.jsonl%s\",\"exit\":%d,\"signal\":%d,\"wall_s\":", k ? ",\n" : "\n", k + 1,
                res[k].status != 0 ? ".failed" : "", res[k].status, res[k].sig);
        ts_put_jnum(fpf, res[k].wall);
        fputc('}', fpf);
    }
    fputs("\n]}\n", fpf);
    if (fclose(fpf) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        failed = -1;
    }
    free(res);
    free(cmd);
    return failed;
}
