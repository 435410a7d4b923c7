/* Second translation unit of test_encode: the same calls from a file
   compiled with another TRACE_MODULE, to see the module in each format. */
#define _GNU_SOURCE
#define TRACE_MODULE "db"
#include "trace.h"

void encode_db_info(const char *msg);
void encode_db_info_kv(const char *msg, int v);

void encode_db_info(const char *msg) { TRACE_INFO("%s", msg); }
void encode_db_info_kv(const char *msg, int v) { TRACE_INFO_KV(msg, "k", v); }
