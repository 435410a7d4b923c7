/* A program that uses the installed trace.h (tests/consumer/run.sh drives
   it): two ordinary records, then two timing records (message "timing" with
   "label" and "ms", as tracestat reads them) with known durations, so that a
   scenario comparison is deterministic:
     consumer.work  10 ms times CONSUMER_SLOWDOWN (a number, default 1)
     steady.work    5 ms, never slowed down
   Each value gets a small per-process jitter (pid mod 7, in hundredths of a
   ms) so that the runs are not all tied. With the argument "lenient" it also
   logs its working directory ("cwd", field "dir"). */
#define _POSIX_C_SOURCE 200809L
#define TRACE_MODULE "consumer"
#include "trace.h"

#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "strict";
    const char *slow = getenv("CONSUMER_SLOWDOWN");
    double factor = slow != NULL ? strtod(slow, NULL) : 1.0;
    double jitter = (double)(getpid() % 7) * 0.01;

    if (!(factor > 0.0))
        factor = 1.0;
    TRACE_INFO_KV("consumer ok", "answer", 42, "mode", mode);
    TRACE_INFO("consumer formatted %d %s", 7, strlen(mode) > 0 ? "yes" : "no");
    TRACE_INFO_KV("timing", "label", "consumer.work", "ms", 10.0 * factor + jitter);
    TRACE_INFO_KV("timing", "label", "steady.work", "ms", 5.0 + jitter);
    if (strcmp(mode, "lenient") == 0) {
        char dir[4096];
        TRACE_INFO_KV("cwd", "dir", getcwd(dir, sizeof dir) != NULL ? dir : "?");
    }
    return 0;
}
