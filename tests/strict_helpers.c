/* test_strict's POSIX helpers (temporary files, fork), in a file of their
   own: test_strict.c itself is strict ISO C11 with no feature-test macro,
   where these functions are not declared. This file does not include
   trace.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int strict_tmpfd(void);
char *strict_take(int fd);
int strict_fork(void (*fn)(void));
int strict_install_siginfo(int sig);
int strict_siginfo_seen(void);

int strict_tmpfd(void) {
    char path[] = "/tmp/trace-strict-XXXXXX";
    int fd = mkstemp(path);
    if (fd >= 0) unlink(path);
    return fd;
}

/* Everything in fd (malloc'd, NUL-terminated); fd is emptied. */
char *strict_take(int fd) {
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    ssize_t r;
    if (!buf) return NULL;
    while ((r = pread(fd, buf + n, cap - n, (off_t)n)) > 0) {
        n += (size_t)r;
        if (n == cap) {
            char *nb = realloc(buf, 2 * cap + 1);
            if (!nb) break;
            buf = nb;
            cap *= 2;
        }
    }
    buf[n] = 0;
    if (ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0) { /* reported by the caller's checks */ }
    return buf;
}

/* fn in a forked child (then exit(0)); returns the exit code, or 1000 +
   the signal that ended it. */
int strict_fork(void (*fn)(void)) {
    pid_t pid;
    int st = 0;
    fflush(NULL);
    pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        fn();
        exit(0);
    }
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
    return WIFSIGNALED(st) ? 1000 + WTERMSIG(st) : WEXITSTATUS(st);
}

/* A handler installed with SA_SIGINFO: did it get its signal's siginfo and
   a context when it ran? 1 yes, -1 no, 0 it has not run. */
static volatile sig_atomic_t g_siginfo_seen;
static void on_siginfo(int sig, siginfo_t *info, void *uc) {
    g_siginfo_seen = info && info->si_signo == sig && uc ? 1 : -1;
}
int strict_install_siginfo(int sig) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_siginfo;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    return sigaction(sig, &sa, NULL);
}
int strict_siginfo_seen(void) { return g_siginfo_seen; }
