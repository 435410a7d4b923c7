/* syscall_prog.c - N records of each kind (printf-style, _KV, a scope, a
   record inside a trace), for syscalls.sh to count the syscalls of under
   strace: besides one write per record, a constant number, whatever N. */
#define _GNU_SOURCE
#include "trace.h"

#include <stdlib.h>

int main(int argc, char **argv) {
    long i, n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000;
    trace_ctx c = trace_ctx_new();
    for (i = 0; i < n; i++) {
        TRACE_INFO("request %ld from %s", i, "alice");
        TRACE_INFO_KV("served", "user", "alice", "i", i, "ms", 1.25);
        {
            TRACE_SCOPE("handle");
        }
        {
            TRACE_CONTEXT(&c);
            TRACE_WARNING_KV("in a trace", "i", i);
        }
    }
    return 0;
}
