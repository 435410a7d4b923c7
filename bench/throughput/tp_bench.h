/* tp_bench.h - the loggers that tp_bench times, behind one interface. */
#ifndef TP_BENCH_H
#define TP_BENCH_H

#ifdef __cplusplus
extern "C" {
#endif

/* One logger. Each writes the record of issue 3, "user alice logged in" with
   user=alice and id=i, as one line, to the regular file `path`. */
typedef struct tp_logger {
    const char *name;
    int (*open)(const char *path); /* start writing to path (created, truncated); 0: ok */
    void (*log)(long i);           /* one record */
    void (*close)(void);           /* everything written to the file, file closed */
} tp_logger;

/* tp_c_loggers.c */
extern const tp_logger tp_floor_fwrite;  /* hand-written: format + fwrite, 64 KiB stdio buffer */
extern const tp_logger tp_floor_write;   /* hand-written: format + one write(2) per record */
extern const tp_logger tp_write_only;    /* one write(2) of a preformatted record */
extern const tp_logger tp_trace_buffered;/* trace.h, LOG_FORMAT=json, LOG_BUFFER=64k */
extern const tp_logger tp_trace_safe;    /* trace.h, LOG_FORMAT=json, safe mode */

/* tp_spdlog.cpp, when built (BENCH_HAVE_SPDLOG) */
extern const tp_logger tp_spdlog_file;       /* sync logger, basic_file_sink_mt */
extern const tp_logger tp_spdlog_file_flush; /* the same with flush_on(info) */
/* tp_glog.cpp, when built (BENCH_HAVE_GLOG) */
extern const tp_logger tp_glog_file;         /* LOG(INFO) to glog's log file */

#ifdef __cplusplus
}
#endif

#endif
