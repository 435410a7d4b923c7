// tp_glog.cpp - glog for tp_bench: LOG(INFO) into glog's own log file, with
// glog's defaults (INFO is buffered, flushed every 30 s or per 1 MB).
//
// glog has its own line format; no JSON:
// I20261124 01:02:03.123456 12345 tp_glog.cpp:40] user alice logged in user=alice id=12345
#include "tp_bench.h"

#include <glog/logging.h>

namespace {

bool initialised;

int open_glog(const char *path) {
    if (!initialised) {
        FLAGS_logtostderr = false;
        FLAGS_alsologtostderr = false;
        FLAGS_timestamp_in_logfile_name = false; // the file is exactly `path`
        google::InitGoogleLogging("tp_bench");
        initialised = true;
    }
    google::SetLogDestination(google::GLOG_INFO, path);
    return 0;
}

void log_one(long i) { LOG(INFO) << "user alice logged in user=" << "alice" << " id=" << i; }

void close_glog() {
    google::FlushLogFiles(google::GLOG_INFO);
    // glog closes the file when the next record goes to a new destination
}

} // namespace

extern "C" {
const tp_logger tp_glog_file = { "glog LOG(INFO) to its file", open_glog, log_one, close_glog };
}
