// tp_spdlog.cpp - spdlog for tp_bench: a synchronous logger with a
// basic_file_sink_mt, as spdlog's documentation shows it.
//
// The pattern writes the same JSON line as trace.h (the level in lower case,
// as spdlog names it; no escaping, which spdlog does not do):
// {"ts":"2026-11-24T01:02:03.123456Z","lvl":"info","logger":"app","msg":"user alice logged in","user":"alice","id":12345}
#include "tp_bench.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/spdlog.h>

#include <memory>

namespace {

std::shared_ptr<spdlog::logger> logger;

int open_logger(const char *path, bool flush_each) {
    try {
        auto sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(path, true);
        logger = std::make_shared<spdlog::logger>("app", sink);
        logger->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","lvl":"%l","logger":"%n",%v})",
                            spdlog::pattern_time_type::utc);
        logger->set_level(spdlog::level::info);
        if (flush_each) logger->flush_on(spdlog::level::info);
    } catch (const spdlog::spdlog_ex &) {
        return -1;
    }
    return 0;
}

int open_buffered(const char *path) { return open_logger(path, false); }
int open_flush(const char *path) { return open_logger(path, true); }

void log_one(long i) {
    logger->info(R"("msg":"user alice logged in","user":"{}","id":{})", "alice", i);
}

void close_logger() {
    logger->flush();
    logger.reset(); // the sink, and so the file, go with the logger
}

} // namespace

extern "C" {
const tp_logger tp_spdlog_file = { "spdlog basic_file_sink_mt", open_buffered, log_one,
                                   close_logger };
const tp_logger tp_spdlog_file_flush = { "spdlog ... flush_on(info)", open_flush, log_one,
                                         close_logger };
}
