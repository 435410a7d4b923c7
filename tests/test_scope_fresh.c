/* test_scope_fresh.c - a file whose FIRST trace.h call is a filtered scope
   (part of test_scope). Its module slot is still unresolved when that call
   runs, which is exactly the case a file-local warm-up would hide: the label
   must not be evaluated and no clock read, even then. Keep every other
   trace.h call out of this file. */
#define _GNU_SOURCE
#define TRACE_MODULE "fresh"
#include "trace.h"

int fresh_evals;

static const char *fresh_label(const char *s) {
    fresh_evals++;
    return s;
}

/* Called once, under LOG_LEVEL=INFO: a DEBUG scope, filtered. */
void fresh_filtered_scope(void) {
    TRACE_SCOPE_AT(TRACE_LEVEL_DEBUG, fresh_label("fresh_debug_scope"));
}

/* Called after it: the same filtered scope again (the slot is resolved). */
void fresh_filtered_scope_again(void) {
    TRACE_SCOPE_AT(TRACE_LEVEL_DEBUG, fresh_label("fresh_debug_scope_2"));
}
