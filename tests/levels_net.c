/* test_levels: code compiled with TRACE_MODULE "net". */
#define _GNU_SOURCE
#define TRACE_MODULE "net"
#include "trace.h"

void net_log_all(void);
void net_log_all(void) {
    TRACE_DEBUG("net d");
    TRACE_INFO("net i");
    TRACE_WARNING("net w");
    TRACE_ERROR("net e");
    TRACE_CRITICAL_KV("net c", "k", 1);
}
