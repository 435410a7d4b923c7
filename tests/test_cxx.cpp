// test_cxx.cpp - trace.h from C++17: every macro and function, the value
// types C++ offers (overloads instead of _Generic: bool, char, every integer
// width, float/double/long double, std::string's c_str(), nullptr, pointers,
// unscoped enums), calls inside templates, lambdas, member functions and
// namespaces, with the exact bytes written.
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "test_util.h"
#include "trace.h"

#include <cfloat>
#include <climits>
#include <cmath>
#include <cstdint>
#include <string>
#include <thread>

static int g_fd = -1;
static int g_evals = 0;

static int ev(int v) {
    g_evals++;
    return v;
}

static std::string take_norm() {
    char *raw = tu_take(g_fd);
    if (getenv("TRACE_TEST_JSON_LOG") && raw[0] == '{') tu_log_json(raw);
    char *n = tu_norm_ts(raw);
    std::string s(n);
    free(raw);
    free(n);
    return s;
}

#define EXPECT(exp)                                                            \
    do {                                                                       \
        std::string got_ = take_norm();                                        \
        tu_expect_eq(got_.c_str(), (exp), __FILE__, __LINE__);                 \
    } while (0)

static int setup(void **) {
    unsetenv("LOG_LEVEL");
    unsetenv("LOG_FORMAT");
    unsetenv("LOG_BUFFER");
    if (g_fd < 0) g_fd = tu_tmpfd();
    trace_reload();
    trace_set_output(g_fd);
    trace_set_level(nullptr, TRACE_LEVEL_DEBUG);
    tu_clear(g_fd);
    return 0;
}

static void test_every_record_macro(void **) {
    TRACE_DEBUG("d %d", 1);         EXPECT("[DEBUG] d 1\n");
    TRACE_INFO("i %s", "x");        EXPECT("[INFO] i x\n");
    TRACE_WARNING("w");             EXPECT("[WARNING] w\n");
    TRACE_WARN("w2");               EXPECT("[WARNING] w2\n");
    TRACE_ERROR("e %u", 5u);        EXPECT("[ERROR] e 5\n");
    TRACE_CRITICAL("c");            EXPECT("[CRITICAL] c\n");
    TRACE_DEBUG_KV("d", "k", 1);    EXPECT("[DEBUG] d k=1\n");
    TRACE_INFO_KV("i", "k", 2);     EXPECT("[INFO] i k=2\n");
    TRACE_WARNING_KV("w", "k", 3);  EXPECT("[WARNING] w k=3\n");
    TRACE_WARN_KV("w", "k", 4);     EXPECT("[WARNING] w k=4\n");
    TRACE_ERROR_KV("e", "k", 5);    EXPECT("[ERROR] e k=5\n");
    TRACE_CRITICAL_KV("c", "k", 6); EXPECT("[CRITICAL] c k=6\n");
    // statement-like: safe under if/else without braces
    if (g_fd >= 0)
        TRACE_INFO("then");
    else
        TRACE_INFO("else");
    EXPECT("[INFO] then\n");
}

enum Colour { RED = 2, GREEN = 7 };

static void test_value_types(void **) {
    bool t = true, f = false;
    char c = 'A';
    signed char sc = SCHAR_MIN;
    unsigned char uc = UCHAR_MAX;
    short sh = SHRT_MIN;
    unsigned short us = USHRT_MAX;
    int in = INT_MIN;
    unsigned ui = UINT_MAX;
    long lo = LONG_MIN;
    unsigned long ul = ULONG_MAX;
    long long ll = LLONG_MIN;
    unsigned long long ull = ULLONG_MAX;
    TRACE_INFO_KV("ints", "t", t, "f", f, "lit", true, "c", c, "sc", sc, "uc", uc, "sh", sh, "us",
                  us, "in", in, "ui", ui, "lo", lo, "ul", ul, "ll", ll, "ull", ull);
    EXPECT("[INFO] ints t=true f=false lit=true c=65 sc=-128 uc=255 sh=-32768 us=65535 "
           "in=-2147483648 ui=4294967295 lo=-9223372036854775808 ul=18446744073709551615 "
           "ll=-9223372036854775808 ull=18446744073709551615\n");

    std::int8_t i8 = INT8_MIN;
    std::uint16_t u16 = UINT16_MAX;
    std::int64_t i64 = INT64_MIN;
    std::uint64_t u64 = UINT64_MAX;
    std::size_t sz = 42;
    Colour col = GREEN;
    TRACE_INFO_KV("std", "i8", i8, "u16", u16, "i64", i64, "u64", u64, "sz", sz, "enum", col,
                  "RED", RED);
    EXPECT("[INFO] std i8=-128 u16=65535 i64=-9223372036854775808 u64=18446744073709551615 sz=42 "
           "enum=7 RED=2\n");

    float fl = 1.5f;
    double d = 12.5;
    long double ld = 2.25L;
    TRACE_INFO_KV("fp", "fl", fl, "d", d, "ld", ld, "nan", std::nan(""), "inf", HUGE_VAL, "ninf",
                  -HUGE_VALF);
    EXPECT("[INFO] fp fl=1.5 d=12.5 ld=2.25 nan=NaN inf=+Inf ninf=-Inf\n");

    std::string name = "alice smith";
    const char *ns = nullptr;
    char buf[] = "mutable";
    int x = 0;
    int *ip = nullptr;
    void *vp = reinterpret_cast<void *>(static_cast<std::uintptr_t>(0x1234));
    TRACE_INFO_KV("ptr", "name", name.c_str(), "ns", ns, "buf", buf, "null", nullptr, "ip", ip, "vp",
                  vp, "cvp", static_cast<const void *>(nullptr));
    EXPECT("[INFO] ptr name=\"alice smith\" ns=null buf=mutable null=null ip=null "
           "vp=0x0000000000001234 cvp=null\n");
    int *xp = &x;
    TRACE_INFO_KV("addr", "xp", xp);
    std::string got = take_norm();
    assert_true(got.rfind("[INFO] addr xp=0x", 0) == 0);
    assert_int_equal(got.size(), strlen("[INFO] addr xp=0x") + 16 + 1);

    trace_set_format(TRACE_FORMAT_JSON);
    TRACE_INFO_KV("json", "t", true, "n", nullptr, "s", name.c_str(), "d", 0.1, "u", u64);
    EXPECT("{\"ts\":\"<TS>\",\"lvl\":\"INFO\",\"msg\":\"json\",\"logger\":\"app\",\"t\":true,"
           "\"n\":null,\"s\":\"alice smith\",\"d\":0.1,\"u\":18446744073709551615}\n");
    trace_set_format(TRACE_FORMAT_PLAIN);
}

static void test_32_pairs(void **) {
    TRACE_INFO_KV("p", "k1", 1, "k2", 2, "k3", 3, "k4", 4, "k5", 5, "k6", 6, "k7", 7, "k8", 8, "k9",
                  9, "k10", 10, "k11", 11, "k12", 12, "k13", 13, "k14", 14, "k15", 15, "k16", 16,
                  "k17", 17, "k18", 18, "k19", 19, "k20", 20, "k21", 21, "k22", 22, "k23", 23,
                  "k24", 24, "k25", 25, "k26", 26, "k27", 27, "k28", 28, "k29", 29, "k30", 30,
                  "k31", 31, "k32", 32);
    EXPECT("[INFO] p k1=1 k2=2 k3=3 k4=4 k5=5 k6=6 k7=7 k8=8 k9=9 k10=10 k11=11 k12=12 k13=13 "
           "k14=14 k15=15 k16=16 k17=17 k18=18 k19=19 k20=20 k21=21 k22=22 k23=23 k24=24 k25=25 "
           "k26=26 k27=27 k28=28 k29=29 k30=30 k31=31 k32=32\n");
}

namespace app {
struct Service {
    int id = 3;
    void run() const { TRACE_INFO_KV("service run", "id", id); }
    template <typename T> void put(const char *k, T v) const { TRACE_INFO_KV("put", k, v); }
};
} // namespace app

static void test_contexts(void **) {
    app::Service s;
    s.run();
    EXPECT("[INFO] service run id=3\n");
    s.put("n", 5u);
    s.put("f", 0.5);
    s.put("s", "str");
    EXPECT("[INFO] put n=5\n[INFO] put f=0.5\n[INFO] put s=str\n");
    auto lambda = [](int v) { TRACE_WARNING("lambda %d", v); };
    lambda(9);
    EXPECT("[WARNING] lambda 9\n");
    std::thread th([] { TRACE_ERROR_KV("from thread", "ok", true); });
    th.join();
    EXPECT("[ERROR] from thread ok=true\n");
}

// Arguments: evaluated once when written, never when filtered.
static void test_evaluation(void **) {
    g_evals = 0;
    trace_set_level(nullptr, TRACE_LEVEL_WARNING);
    TRACE_DEBUG("%d", ev(1));
    TRACE_INFO_KV("m", "k", ev(1));
    assert_int_equal(g_evals, 0);
    TRACE_WARNING("%d %d", ev(1), ev(2));
    TRACE_ERROR_KV("m", "a", ev(1), "b", ev(2));
    assert_int_equal(g_evals, 4);
    EXPECT("[WARNING] 1 2\n[ERROR] m a=1 b=2\n");
}

static void test_functions(void **) {
    assert_int_equal(trace_get_level(nullptr), TRACE_LEVEL_DEBUG);
    trace_set_level("app", TRACE_LEVEL_ERROR);
    assert_int_equal(trace_get_level("app"), TRACE_LEVEL_ERROR);
    TRACE_WARNING("filtered");
    EXPECT("");
    trace_set_level("app", TRACE_LEVEL_DEBUG);

    assert_int_equal(trace_set_buffer(4096), 0);
    assert_int_equal(trace_set_buffer(1), -1);
    TRACE_INFO("held");
    EXPECT("");
    trace_flush();
    EXPECT("[INFO] held\n");
    assert_int_equal(trace_set_buffer(0), 0);

    int full = open("/dev/full", O_WRONLY);
    assert_true(full >= 0);
    std::uint64_t before = trace_dropped();
    trace_set_output(full);
    TRACE_ERROR("lost");
    trace_set_output(g_fd);
    close(full);
    assert_int_equal(trace_dropped(), before + 1);

    setenv("LOG_LEVEL", "critical", 1);
    setenv("LOG_FORMAT", "logfmt", 1);
    trace_reload();
    unsetenv("LOG_LEVEL");
    unsetenv("LOG_FORMAT");
    assert_int_equal(trace_get_level(nullptr), TRACE_LEVEL_CRITICAL);
    TRACE_CRITICAL("reloaded");
    EXPECT("ts=<TS> lvl=critical msg=reloaded logger=app\n");
    trace_reload();
}

// Scopes and trace context compile and work from C++ too.
static void test_scopes_and_context(void **) {
    {
        TRACE_SCOPE("cxx.scope");
        trace_scope sc;
        TRACE_SCOPE_BEGIN(&sc, "cxx.begin");
        assert_true(trace_scope_elapsed_ns(&sc) >= 0);
        assert_true(trace_elapsed_ns() >= 0);
        TRACE_SCOPE_END(&sc);
        TRACE_SCOPE_BEGIN_AT(TRACE_LEVEL_ERROR, &sc, "cxx.begin_at");
        trace_scope_detach(&sc);
        TRACE_SCOPE_END(&sc);
        TRACE_SCOPE_AT(TRACE_LEVEL_WARNING, "cxx.at");
        TRACE_SCOPE_MEMORY("cxx.memory");
        TRACE_MEMORY("cxx.mem");
    }
    std::string got = take_norm();
    assert_non_null(strstr(got.c_str(), "[INFO] timing label=cxx.begin ms="));
    assert_non_null(strstr(got.c_str(), "[INFO] timing label=cxx.scope ms="));
    assert_non_null(strstr(got.c_str(), "[WARNING] timing label=cxx.at ms="));
    assert_non_null(strstr(got.c_str(), "[ERROR] timing label=cxx.begin_at ms="));
    assert_non_null(strstr(got.c_str(), "[INFO] timing label=cxx.memory ms="));
    assert_non_null(strstr(got.c_str(), "[INFO] memory label=cxx.mem rss_kb="));

    trace_ctx c{};
    assert_int_equal(trace_traceparent_parse("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                                             &c), 0);
    char tp[TRACE_TRACEPARENT_SIZE];
    trace_traceparent_format(&c, tp);
    assert_string_equal(tp, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    {
        TRACE_CONTEXT(&c);
        trace_ctx cur = trace_ctx_current();
        assert_true(cur.trace_lo == c.trace_lo && cur.trace_hi == c.trace_hi);
    }
    {
        TRACE_TRACE_NEW();
        trace_ctx cur = trace_ctx_current();
        assert_true((cur.trace_hi | cur.trace_lo) != 0);
        trace_sample(0);
    }
    {
        TRACE_TRACE_FROM("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        TRACE_INFO("in trace");
    }
    got = take_norm();
    assert_string_equal(got.c_str(),
                        "[INFO] in trace trace=0af7651916cd43dd8448eb211c80319c span=b7ad6b7169203331\n");
    trace_ctx n = trace_ctx_new();
    trace_ctx_set(&n);
    trace_ctx_set(nullptr);
    assert_true(trace_new_span_id() != 0);
    trace_set_thread_name("main");
    trace_timing_flush();
    long peak = 0;
    (void)trace_rss_kb(&peak);
    assert_int_equal(trace_traceparent_setenv(), -1);
    take_norm();
}

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_every_record_macro, setup),
        cmocka_unit_test_setup(test_value_types, setup),
        cmocka_unit_test_setup(test_32_pairs, setup),
        cmocka_unit_test_setup(test_contexts, setup),
        cmocka_unit_test_setup(test_evaluation, setup),
        cmocka_unit_test_setup(test_functions, setup),
        cmocka_unit_test_setup(test_scopes_and_context, setup),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
