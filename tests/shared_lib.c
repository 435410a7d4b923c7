/* test_shared: a shared library that includes trace.h (module "lib"), built
   with -fvisibility=hidden. Its functions are thin wrappers so the test can
   act from inside the library. */
#define _GNU_SOURCE
#define TRACE_MODULE "lib"
#include "trace.h"

#include "shared_api.h"

#pragma GCC visibility push(default) /* the library is built with -fvisibility=hidden */

void lib_log(int level, const char *msg) {
    switch (level) {
    case TRACE_LEVEL_DEBUG: TRACE_DEBUG("%s", msg); break;
    case TRACE_LEVEL_INFO: TRACE_INFO_KV(msg, "from", "lib"); break;
    case TRACE_LEVEL_WARNING: TRACE_WARNING("%s", msg); break;
    case TRACE_LEVEL_ERROR: TRACE_ERROR("%s", msg); break;
    default: TRACE_CRITICAL("%s", msg); break;
    }
}
void lib_set_level(const char *module, int level) { trace_set_level(module, level); }
int lib_get_level(const char *module) { return trace_get_level(module); }
void lib_set_format(int format) { trace_set_format(format); }
void lib_set_output(int fd) { trace_set_output(fd); }
int lib_set_buffer(size_t bytes) { return trace_set_buffer(bytes); }
void lib_flush(void) { trace_flush(); }
void lib_reload(void) { trace_reload(); }
uint64_t lib_dropped(void) { return trace_dropped(); }
#pragma GCC visibility pop
