/* cg_lib.c - the filtered DEBUG call of cg_trace.c, compiled into a shared
   library (-fPIC): trace.h reaches its thread-local table through the
   initial-exec model there. Also the check that the very first call of a
   translation unit, filtered, does not evaluate its arguments. */
#define _POSIX_C_SOURCE 200809L
#include "trace.h"

int cg_lib_first_call(void);
void cg_lib_warm_up(void);
void case_filtered_so(int *evaluations);

/* Must be the first trace.h call of this file that runs: its module slot is
   not resolved yet. Returns how often the argument was evaluated (want 0). */
int cg_lib_first_call(void) {
    static int evaluated;
    TRACE_DEBUG("first call %d", ++evaluated);
    return evaluated;
}

void cg_lib_warm_up(void) { TRACE_INFO("warm-up of the shared library"); }

#if defined(__has_attribute)
#if __has_attribute(__noipa__)
__attribute__((__noipa__))
#endif
#endif
__attribute__((__noinline__)) void case_filtered_so(int *evaluations) {
    TRACE_DEBUG("cache miss for %d", ++*evaluations);
}
