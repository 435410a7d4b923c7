/* test_shared: the executable's second translation unit (module "b"). */
#define _GNU_SOURCE
#define TRACE_MODULE "b"
#include "trace.h"

#include "shared_api.h"

void b_log(int level, const char *msg) {
    switch (level) {
    case TRACE_LEVEL_DEBUG: TRACE_DEBUG("%s", msg); break;
    case TRACE_LEVEL_INFO: TRACE_INFO_KV(msg, "from", "b"); break;
    case TRACE_LEVEL_WARNING: TRACE_WARNING("%s", msg); break;
    case TRACE_LEVEL_ERROR: TRACE_ERROR("%s", msg); break;
    default: TRACE_CRITICAL("%s", msg); break;
    }
}
void b_set_level(const char *module, int level) { trace_set_level(module, level); }
int b_get_level(const char *module) { return trace_get_level(module); }
void b_set_format(int format) { trace_set_format(format); }
void b_set_output(int fd) { trace_set_output(fd); }
int b_set_buffer(size_t bytes) { return trace_set_buffer(bytes); }
void b_flush(void) { trace_flush(); }
uint64_t b_dropped(void) { return trace_dropped(); }
