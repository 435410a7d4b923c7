/* test_scope_warnings.c - compiled, not run (ctest runs the compiler on it):
   every scope, context and memory macro whose arguments come from static
   functions used nowhere else. Compiled with TRACE_DISABLE, with
   TRACE_MIN_LEVEL=TRACE_LEVEL_ERROR and as is, under -Wall -Wextra
   -Wpedantic -Wshadow -Wconversion -Werror: a removed call must not make
   those functions "unused" or "not needed" (clang's
   -Wunneeded-internal-declaration, for a function only named in an
   unevaluated operand). */
#include "trace.h"

static const char *label_fn(void) { return "label"; }
static const trace_ctx *ctx_fn(void) {
    static trace_ctx c;
    return &c;
}
static const char *tp_fn(void) { return "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"; }
static trace_scope *sc_fn(void) {
    static trace_scope s;
    return &s;
}

int scope_warnings(void);
int scope_warnings(void) {
    TRACE_SCOPE(label_fn());
    TRACE_SCOPE_AT(TRACE_LEVEL_DEBUG, label_fn());
    TRACE_SCOPE_MEMORY(label_fn());
    TRACE_SCOPE_BEGIN(sc_fn(), label_fn());
    TRACE_SCOPE_END(sc_fn());
    TRACE_MEMORY(label_fn());
    {
        TRACE_CONTEXT(ctx_fn());
        TRACE_TRACE_NEW();
        TRACE_TRACE_FROM(tp_fn());
    }
    return 0;
}
