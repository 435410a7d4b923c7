/* removed_o0.c - TRACE_DISABLE at -O0 (no dead-code elimination): every
   macro of the header, and no string of theirs (messages, labels, the
   module, the file name) may be left in the binary. CMake builds it with
   -O0 -g0 and greps the binary for "RMV0" (test removed_o0_strings). */
#define TRACE_MODULE "RMV0-module"
#define TRACE_DISABLE
#include "trace.h"

int main(void) {
    trace_scope sc;
    TRACE_DEBUG("RMV0-debug %d", 1);
    TRACE_INFO("RMV0-info %s", "RMV0-arg");
    TRACE_WARNING("RMV0-warning");
    TRACE_WARN("RMV0-warn");
    TRACE_ERROR("RMV0-error");
    TRACE_CRITICAL("RMV0-critical");
    TRACE_DEBUG_KV("RMV0-debug-kv", "RMV0-key", 1);
    TRACE_INFO_KV("RMV0-info-kv", "RMV0-key", "RMV0-value", "n", 2.5);
    TRACE_WARNING_KV("RMV0-warning-kv", "k", 1);
    TRACE_WARN_KV("RMV0-warn-kv", "k", 1);
    TRACE_ERROR_KV("RMV0-error-kv", "k", 1);
    TRACE_CRITICAL_KV("RMV0-critical-kv", "k", 1);
    {
        TRACE_SCOPE("RMV0-scope");
        TRACE_SCOPE_AT(TRACE_LEVEL_ERROR, "RMV0-scope-at");
        TRACE_SCOPE_MEMORY("RMV0-scope-memory");
        TRACE_TRACE_FROM("RMV0-traceparent");
        TRACE_MEMORY("RMV0-memory");
    }
    TRACE_SCOPE_BEGIN(&sc, "RMV0-begin");
    TRACE_SCOPE_BEGIN_AT(TRACE_LEVEL_ERROR, &sc, "RMV0-begin-at");
    trace_scope_detach(&sc);
    TRACE_SCOPE_END(&sc);
    return 0;
}
