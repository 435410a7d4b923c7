// cg_glog.cpp - glog's counterparts of cg_trace's cases, for callgrind.
//
// Same method as cg_trace.c: each case is one call in an extern "C"
// function `case_<name>` that main() calls N times after a warm-up;
// bench/callgrind.sh counts the instructions inside it and subtracts libc's
// write wrapper. glog writes to stderr here (FLAGS_logtostderr), which the
// script sends to /dev/null: stderr is unbuffered, so one write(2) a record.
//
// Usage: cg_glog CASE [N]; cases: filtered, info.
#include <glog/logging.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

extern "C" {
void case_filtered(void);
void case_info(void);
}

#if defined(__has_attribute)
#if __has_attribute(__noipa__)
#define BENCH_CASE __attribute__((__noipa__, __noinline__, __used__))
#endif
#endif
#ifndef BENCH_CASE
#define BENCH_CASE __attribute__((__noinline__, __used__))
#endif

// glog has no DEBUG severity that is filtered at run time: VLOG(1) is its
// run-time debug level (off unless --v >= 1).
BENCH_CASE void case_filtered(void) { VLOG(1) << "cache miss for " << 42; }

// "I20261124 01:02:03.123456 12345 cg_glog.cpp:34] user alice logged in user=alice id=42"
BENCH_CASE void case_info(void) { LOG(INFO) << "user alice logged in user=" << "alice" << " id=" << 42; }

int main(int argc, char **argv) {
    const char *name = argc > 1 ? argv[1] : "";
    long n = argc > 2 ? std::strtol(argv[2], nullptr, 10) : 1000;
    void (*fn)(void) = nullptr;
    if (std::strcmp(name, "filtered") == 0) fn = case_filtered;
    if (std::strcmp(name, "info") == 0) fn = case_info;
    if (!fn || n <= 0) {
        std::fprintf(stderr, "usage: cg_glog CASE [N] 2>/dev/null; cases: filtered info\n");
        return 2;
    }
    FLAGS_logtostderr = true;
    FLAGS_v = 0;
    google::InitGoogleLogging(argv[0]);

    LOG(INFO) << "warm-up " << 1;
    VLOG(1) << "warm-up " << 2;

    for (long i = 0; i < n; i++) fn();
    std::printf("cg_glog: case %s, %ld calls\n", name, n);
    return 0;
}
