/* test_levels: code compiled with TRACE_MODULE "db". */
#define _GNU_SOURCE
#define TRACE_MODULE "db"
#include "trace.h"

void db_log_all(void);
void db_log_all(void) {
    TRACE_DEBUG("db d");
    TRACE_INFO("db i");
    TRACE_WARNING("db w");
    TRACE_ERROR("db e");
    TRACE_CRITICAL_KV("db c", "k", 1);
}
