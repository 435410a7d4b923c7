// cg_spdlog.cpp - spdlog's counterparts of cg_trace's cases, for callgrind.
//
// Same method as cg_trace.c: each case is one call in an extern "C"
// function `case_<name>` that main() calls N times after a warm-up;
// bench/callgrind.sh counts the instructions inside it and subtracts libc's
// write wrapper. The logger is what a user of spdlog writes: a synchronous
// logger with a basic_file_sink_mt, here on /dev/null (stdio buffers the
// output, so write(2) runs once per 4 KiB).
//
// Usage: cg_spdlog CASE [N]; cases: filtered, info, info_json.
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

static std::shared_ptr<spdlog::logger> plain_logger, json_logger;

extern "C" {
void case_filtered(void);
void case_info(void);
void case_info_json(void);
}

#if defined(__has_attribute)
#if __has_attribute(__noipa__)
#define BENCH_CASE __attribute__((__noipa__, __noinline__, __used__))
#endif
#endif
#ifndef BENCH_CASE
#define BENCH_CASE __attribute__((__noinline__, __used__))
#endif

// A debug call filtered out at run time (the logger's level is info).
BENCH_CASE void case_filtered(void) { plain_logger->debug("cache miss for {}", 42); }

// The issue's record with spdlog's default pattern:
// "[2026-11-24 01:02:03.123] [app] [info] user alice logged in user=alice id=42"
BENCH_CASE void case_info(void) {
    plain_logger->info("user alice logged in user={} id={}", "alice", 42);
}

// The same record as a JSON line, built by a pattern (UTC, microseconds);
// spdlog escapes nothing, so this is a lower bound for real JSON.
BENCH_CASE void case_info_json(void) {
    json_logger->info(R"("msg":"user alice logged in","user":"{}","id":{})", "alice", 42);
}

int main(int argc, char **argv) {
    const char *name = argc > 1 ? argv[1] : "";
    long n = argc > 2 ? std::strtol(argv[2], nullptr, 10) : 1000;
    void (*fn)(void) = nullptr;
    if (std::strcmp(name, "filtered") == 0) fn = case_filtered;
    if (std::strcmp(name, "info") == 0) fn = case_info;
    if (std::strcmp(name, "info_json") == 0) fn = case_info_json;
    if (!fn || n <= 0) {
        std::fprintf(stderr, "usage: cg_spdlog CASE [N]; cases: filtered info info_json\n");
        return 2;
    }
    auto sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>("/dev/null");
    plain_logger = std::make_shared<spdlog::logger>("app", sink);
    plain_logger->set_level(spdlog::level::info);
    json_logger = std::make_shared<spdlog::logger>("app", sink);
    json_logger->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","lvl":"%l","logger":"%n",%v})",
                             spdlog::pattern_time_type::utc);

    // Warm-up outside the measured function.
    plain_logger->info("warm-up {}", 1);
    json_logger->info(R"("msg":"warm-up","id":{})", 1);

    for (long i = 0; i < n; i++) fn();
    plain_logger->flush();
    std::fprintf(stderr, "cg_spdlog: case %s, %ld calls\n", name, n);
    return 0;
}
