/* test_shared: what the shared library (shared_lib.c) and the second file
   of the executable (shared_b.c) offer the test. */
#ifndef TRACE_TEST_SHARED_API_H
#define TRACE_TEST_SHARED_API_H
#include <stddef.h>
#include <stdint.h>

void lib_log(int level, const char *msg);
void lib_set_level(const char *module, int level);
int lib_get_level(const char *module);
void lib_set_format(int format);
void lib_set_output(int fd);
int lib_set_buffer(size_t bytes);
void lib_flush(void);
void lib_reload(void);
uint64_t lib_dropped(void);

void b_log(int level, const char *msg);
void b_set_level(const char *module, int level);
int b_get_level(const char *module);
void b_set_format(int format);
void b_set_output(int fd);
int b_set_buffer(size_t bytes);
void b_flush(void);
uint64_t b_dropped(void);
#endif
