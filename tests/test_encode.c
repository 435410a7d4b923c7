/* test_encode.c - the encoders of trace.h: exact bytes of plain, json and
   logfmt records, every escape class, invalid UTF-8, CWE-117, numbers,
   every value type of the _KV forms, reserved keys, cut records, the
   locale, colour.

   Records go to a temporary file (trace_set_output); json and logfmt
   timestamps are checked against YYYY-MM-DDTHH:MM:SS.ffffffZ and replaced
   with <TS>, the rest is compared byte for byte. Every json record is also
   appended to $TRACE_TEST_JSON_LOG when set (json_check.sh runs them all
   through jq). The locale test needs LOCPATH with a generated de_DE.UTF-8
   (ctest's fixture locale_de does that). */
#define _GNU_SOURCE
#include "test_util.h"
#include "trace.h"

#include <float.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <poll.h>
#include <stdbool.h>
#include <termios.h>

void encode_db_info(const char *msg);
void encode_db_info_kv(const char *msg, int v);

static int g_fd = -1;
static int g_fmt = TRACE_FORMAT_PLAIN;

static void fmt(int f) {
    g_fmt = f;
    trace_set_format(f);
}

/* The record(s) written since the last take; json ones go to the log. */
static char *take(void) {
    char *s = tu_take(g_fd);
    if (g_fmt == TRACE_FORMAT_JSON) tu_log_json(s);
    return s;
}

#define EXPECT(exp) expect_rec(NULL, (exp), __FILE__, __LINE__)
#define EXPECT_L(label, exp) expect_rec((label), (exp), __FILE__, __LINE__)
static void expect_rec(const char *label, const char *exp, const char *file, int line) {
    char *got = take();
    char *norm = tu_norm_ts(got);
    if (label && strcmp(norm, exp) != 0) print_error("case: %s\n", label);
    tu_expect_eq(norm, exp, file, line);
    free(norm);
    free(got);
}

static int group_setup(void **state) {
    (void)state;
    unsetenv("LOG_LEVEL");
    unsetenv("LOG_FORMAT");
    unsetenv("LOG_BUFFER");
    g_fd = tu_tmpfd();
    trace_set_output(g_fd);
    return 0;
}
static int setup(void **state) {
    (void)state;
    tu_clear(g_fd);
    trace_set_output(g_fd);
    assert_int_equal(trace_set_buffer(0), 0);
    trace_set_level(NULL, TRACE_LEVEL_DEBUG);
    fmt(TRACE_FORMAT_PLAIN);
    return 0;
}

/* --- every level and macro, in each format --------------------------------- */

static void test_plain_levels(void **state) {
    (void)state;
    TRACE_DEBUG("d %d", 1);          EXPECT("[DEBUG] d 1\n");
    TRACE_INFO("i %s", "x");         EXPECT("[INFO] i x\n");
    TRACE_WARNING("w %u", 2u);       EXPECT("[WARNING] w 2\n");
    TRACE_WARN("w%c", '!');          EXPECT("[WARNING] w!\n");
    TRACE_ERROR("e %.2f", 1.5);      EXPECT("[ERROR] e 1.50\n");
    TRACE_CRITICAL("c");             EXPECT("[CRITICAL] c\n");
    TRACE_DEBUG_KV("d", "k", 1);     EXPECT("[DEBUG] d k=1\n");
    TRACE_INFO_KV("i", "k", 2);      EXPECT("[INFO] i k=2\n");
    TRACE_WARNING_KV("w", "k", 3);   EXPECT("[WARNING] w k=3\n");
    TRACE_WARN_KV("w", "k", 4);      EXPECT("[WARNING] w k=4\n");
    TRACE_ERROR_KV("e", "k", 5);     EXPECT("[ERROR] e k=5\n");
    TRACE_CRITICAL_KV("c", "k", 6);  EXPECT("[CRITICAL] c k=6\n");
    /* the quick start of the header */
    TRACE_INFO("loaded %d users from %s", 3, "users.db");
    EXPECT("[INFO] loaded 3 users from users.db\n");
}

#define J(lvl, msg) "{\"ts\":\"<TS>\",\"lvl\":\"" lvl "\",\"msg\":\"" msg "\",\"logger\":\"app\""
static void test_json_levels(void **state) {
    (void)state;
    fmt(TRACE_FORMAT_JSON);
    TRACE_DEBUG("d %d", 1);          EXPECT(J("DEBUG", "d 1") "}\n");
    TRACE_INFO("i %s", "x");         EXPECT(J("INFO", "i x") "}\n");
    TRACE_WARNING("w %u", 2u);       EXPECT(J("WARNING", "w 2") "}\n");
    TRACE_WARN("w%c", '!');          EXPECT(J("WARNING", "w!") "}\n");
    TRACE_ERROR("e");                EXPECT(J("ERROR", "e") "}\n");
    TRACE_CRITICAL("c");             EXPECT(J("CRITICAL", "c") "}\n");
    TRACE_DEBUG_KV("d", "k", 1);     EXPECT(J("DEBUG", "d") ",\"k\":1}\n");
    TRACE_INFO_KV("i", "k", 2);      EXPECT(J("INFO", "i") ",\"k\":2}\n");
    TRACE_WARNING_KV("w", "k", 3);   EXPECT(J("WARNING", "w") ",\"k\":3}\n");
    TRACE_WARN_KV("w", "k", 4);      EXPECT(J("WARNING", "w") ",\"k\":4}\n");
    TRACE_ERROR_KV("e", "k", 5);     EXPECT(J("ERROR", "e") ",\"k\":5}\n");
    TRACE_CRITICAL_KV("c", "k", 6);  EXPECT(J("CRITICAL", "c") ",\"k\":6}\n");
}

#define L(lvl, msg) "ts=<TS> lvl=" lvl " msg=" msg " logger=app"
static void test_logfmt_levels(void **state) {
    (void)state;
    fmt(TRACE_FORMAT_LOGFMT);
    TRACE_DEBUG("d %d", 1);          EXPECT(L("debug", "\"d 1\"") "\n");
    TRACE_INFO("i");                 EXPECT(L("info", "i") "\n");
    TRACE_WARNING("w");              EXPECT(L("warning", "w") "\n");
    TRACE_WARN("w");                 EXPECT(L("warning", "w") "\n");
    TRACE_ERROR("e");                EXPECT(L("error", "e") "\n");
    TRACE_CRITICAL("c");             EXPECT(L("critical", "c") "\n");
    TRACE_DEBUG_KV("d", "k", 1);     EXPECT(L("debug", "d") " k=1\n");
    TRACE_INFO_KV("i", "k", 2);      EXPECT(L("info", "i") " k=2\n");
    TRACE_WARNING_KV("w", "k", 3);   EXPECT(L("warning", "w") " k=3\n");
    TRACE_WARN_KV("w", "k", 4);      EXPECT(L("warning", "w") " k=4\n");
    TRACE_ERROR_KV("e", "k", 5);     EXPECT(L("error", "e") " k=5\n");
    TRACE_CRITICAL_KV("c", "k", 6);  EXPECT(L("critical", "c") " k=6\n");
}

/* The example record in the three formats. */
static void test_kv_three_formats(void **state) {
    (void)state;
    TRACE_INFO_KV("login", "user", "alice", "id", 42, "ms", 12.5);
    EXPECT("[INFO] login user=alice id=42 ms=12.5\n");
    fmt(TRACE_FORMAT_JSON);
    TRACE_INFO_KV("login", "user", "alice", "id", 42, "ms", 12.5);
    EXPECT(J("INFO", "login") ",\"user\":\"alice\",\"id\":42,\"ms\":12.5}\n");
    fmt(TRACE_FORMAT_LOGFMT);
    TRACE_INFO_KV("login", "user", "alice", "id", 42, "ms", 12.5);
    EXPECT(L("info", "login") " user=alice id=42 ms=12.5\n");
    TRACE_INFO_KV("user alice logged in", "who", "alice smith", "empty", "");
    EXPECT(L("info", "\"user alice logged in\"") " who=\"alice smith\" empty=\"\"\n");
    /* plain: values with spaces, '=', '"' or nothing are quoted */
    fmt(TRACE_FORMAT_PLAIN);
    TRACE_INFO_KV("q", "a", "hello world", "b", "", "c", "x=y", "d", "say \"hi\"", "e", "plain");
    EXPECT("[INFO] q a=\"hello world\" b=\"\" c=\"x=y\" d=\"say \\\"hi\\\"\" e=plain\n");
}

/* A file compiled with TRACE_MODULE "db": plain shows the module, json and
   logfmt name it in "logger". */
static void test_module(void **state) {
    (void)state;
    encode_db_info("hello");
    EXPECT("[INFO] db: hello\n");
    encode_db_info_kv("m", 7);
    EXPECT("[INFO] db: m k=7\n");
    fmt(TRACE_FORMAT_JSON);
    encode_db_info_kv("m", 7);
    EXPECT("{\"ts\":\"<TS>\",\"lvl\":\"INFO\",\"msg\":\"m\",\"logger\":\"db\",\"k\":7}\n");
    fmt(TRACE_FORMAT_LOGFMT);
    encode_db_info("hello");
    EXPECT("ts=<TS> lvl=info msg=hello logger=db\n");
}

/* --- timestamps ------------------------------------------------------------ */

/* UTC (not local time, whatever TZ says), the current time, microseconds. */
static void test_timestamp(void **state) {
    int f;
    (void)state;
    setenv("TZ", "XST-05:30", 1); /* local time 5h30 ahead of UTC */
    tzset();
    for (f = TRACE_FORMAT_JSON; f <= TRACE_FORMAT_LOGFMT; f++) {
        time_t before, after;
        char *a, *b;
        size_t pre = f == TRACE_FORMAT_JSON ? 7 : 3;
        long long ea, eb, ua, ub;
        fmt(f);
        before = time(NULL);
        TRACE_INFO("t1");
        a = take();
        tu_sleep_ms(3);
        TRACE_INFO("t2");
        b = take();
        after = time(NULL);
        assert_true(tu_is_ts(a + pre));
        assert_true(tu_is_ts(b + pre));
        ea = tu_ts_epoch(a + pre);
        eb = tu_ts_epoch(b + pre);
        if (ea < (long long)before - 1 || eb > (long long)after + 1) {
            print_error("timestamps %.27s / %.27s are not the current UTC time\n", a + pre, b + pre);
            fail();
        }
        ua = ea * 1000000 + tu_num(a + pre + 20, 6);
        ub = eb * 1000000 + tu_num(b + pre + 20, 6);
        assert_true(ub > ua); /* microseconds move on */
        free(a);
        free(b);
    }
    unsetenv("TZ");
    tzset();
}

/* --- escapes ---------------------------------------------------------------- */

typedef struct esc_case {
    const char *name;
    const char *in;
    const char *plain_msg; /* plain message: only control bytes and bad UTF-8 escaped */
    const char *value;     /* plain and logfmt value (and logfmt msg), quoted when needed */
    const char *json;      /* inside a json string */
} esc_case;

static const esc_case esc_cases[] = {
    { "ascii", "abc", "abc", "abc", "abc" },
    { "quote", "say \"hi\"", "say \"hi\"", "\"say \\\"hi\\\"\"", "say \\\"hi\\\"" },
    { "backslash", "a\\b", "a\\b", "a\\b", "a\\\\b" },
    { "backslash+space", "a \\b", "a \\b", "\"a \\\\b\"", "a \\\\b" },
    { "newline", "a\nb", "a\\nb", "\"a\\nb\"", "a\\nb" },
    { "cr", "a\rb", "a\\rb", "\"a\\rb\"", "a\\rb" },
    { "tab", "a\tb", "a\\tb", "\"a\\tb\"", "a\\tb" },
    { "ctl-01", "a\x01" "b", "a\\x01b", "\"a\\x01b\"", "a\\u0001b" },
    { "ctl-08", "a\bb", "a\\x08b", "\"a\\x08b\"", "a\\u0008b" },
    { "ctl-0c", "a\fb", "a\\x0cb", "\"a\\x0cb\"", "a\\u000cb" },
    { "esc", "a\x1b[31mred", "a\\x1b[31mred", "\"a\\x1b[31mred\"", "a\\u001b[31mred" },
    { "ctl-1f", "a\x1f" "b", "a\\x1fb", "\"a\\x1fb\"", "a\\u001fb" },
    { "del", "a\x7f" "b", "a\\x7fb", "\"a\\x7fb\"", "a\x7f" "b" },
    { "utf8-valid", "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf\xef\xbf\xbd",
      "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf\xef\xbf\xbd",
      "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf\xef\xbf\xbd",
      /* json writes U+FFFD itself as \ufffd: one string, one spelling */
      "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf\\ufffd" },
    { "lone-continuation", "a\x80" "b", "a\\x80b", "a\\x80b", "a\\ufffdb" },
    { "overlong-2", "\xc0\xaf", "\\xc0\\xaf", "\\xc0\\xaf", "\\ufffd\\ufffd" },
    { "overlong-3", "\xe0\x80\xaf", "\\xe0\\x80\\xaf", "\\xe0\\x80\\xaf",
      "\\ufffd\\ufffd\\ufffd" },
    { "overlong-4", "\xf0\x80\x80\xaf", "\\xf0\\x80\\x80\\xaf", "\\xf0\\x80\\x80\\xaf",
      "\\ufffd\\ufffd\\ufffd\\ufffd" },
    { "surrogate-high", "\xed\xa0\x80", "\\xed\\xa0\\x80", "\\xed\\xa0\\x80",
      "\\ufffd\\ufffd\\ufffd" },
    { "surrogate-low", "\xed\xbf\xbf", "\\xed\\xbf\\xbf", "\\xed\\xbf\\xbf",
      "\\ufffd\\ufffd\\ufffd" },
    { "above-10ffff", "\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80", "\\xf4\\x90\\x80\\x80",
      "\\ufffd\\ufffd\\ufffd\\ufffd" },
    { "lead-f5", "\xf5\x80\x80\x80", "\\xf5\\x80\\x80\\x80", "\\xf5\\x80\\x80\\x80",
      "\\ufffd\\ufffd\\ufffd\\ufffd" },
    { "ff-fe", "\xff\xfe", "\\xff\\xfe", "\\xff\\xfe", "\\ufffd\\ufffd" },
    { "truncated-2-at-end", "a\xc3", "a\\xc3", "a\\xc3", "a\\ufffd" },
    { "truncated-3-at-end", "a\xe2\x82", "a\\xe2\\x82", "a\\xe2\\x82", "a\\ufffd\\ufffd" },
    { "truncated-4-at-end", "a\xf0\x9f\x98", "a\\xf0\\x9f\\x98", "a\\xf0\\x9f\\x98",
      "a\\ufffd\\ufffd\\ufffd" },
    { "truncated-in-middle", "\xe2\x82(x", "\\xe2\\x82(x", "\\xe2\\x82(x",
      "\\ufffd\\ufffd(x" },
    { "invalid-then-valid", "\xff\xc3\xa9", "\\xff\xc3\xa9", "\\xff\xc3\xa9",
      "\\ufffd\xc3\xa9" },
    /* C1 controls and the Unicode line separators: escaped for people and
       logfmt readers (NEL and U+2028 break lines for some), valid in json */
    { "c1-nel", "a\xc2\x85" "b", "a\\xc2\\x85b", "a\\xc2\\x85b", "a\xc2\x85" "b" },
    { "c1-csi", "a\xc2\x9b[2J", "a\\xc2\\x9b[2J", "a\\xc2\\x9b[2J", "a\xc2\x9b[2J" },
    { "u2028", "a\xe2\x80\xa8" "b", "a\\xe2\\x80\\xa8b", "a\\xe2\\x80\\xa8b", "a\xe2\x80\xa8" "b" },
    { "u2029", "a\xe2\x80\xa9" "b", "a\\xe2\\x80\\xa9b", "a\\xe2\\x80\\xa9b", "a\xe2\x80\xa9" "b" },
    { "nbsp-kept", "a\xc2\xa0" "b", "a\xc2\xa0" "b", "a\xc2\xa0" "b", "a\xc2\xa0" "b" },
    { "equals", "a=b", "a=b", "\"a=b\"", "a=b" },
    { "space", "a b", "a b", "\"a b\"", "a b" },
    { "empty", "", "", "\"\"", "" },
};

static void test_escapes(void **state) {
    size_t i;
    char exp[512];
    (void)state;
    for (i = 0; i < sizeof esc_cases / sizeof esc_cases[0]; i++) {
        const esc_case *c = &esc_cases[i];
        fmt(TRACE_FORMAT_PLAIN);
        TRACE_INFO("%s", c->in);
        snprintf(exp, sizeof exp, "[INFO] %s\n", c->plain_msg);
        EXPECT_L(c->name, exp);
        TRACE_INFO_KV("m", "k", c->in);
        snprintf(exp, sizeof exp, "[INFO] m k=%s\n", c->value);
        EXPECT_L(c->name, exp);

        fmt(TRACE_FORMAT_LOGFMT);
        TRACE_INFO("%s", c->in);
        snprintf(exp, sizeof exp, "ts=<TS> lvl=info msg=%s logger=app\n", c->value);
        EXPECT_L(c->name, exp);
        TRACE_INFO_KV("m", "k", c->in);
        snprintf(exp, sizeof exp, "ts=<TS> lvl=info msg=m logger=app k=%s\n", c->value);
        EXPECT_L(c->name, exp);

        fmt(TRACE_FORMAT_JSON);
        TRACE_INFO("%s", c->in);
        snprintf(exp, sizeof exp, J("INFO", "%s") "}\n", c->json);
        EXPECT_L(c->name, exp);
        TRACE_INFO_KV("m", "k", c->in);
        snprintf(exp, sizeof exp, J("INFO", "m") ",\"k\":\"%s\"}\n", c->json);
        EXPECT_L(c->name, exp);
        TRACE_INFO_KV(c->in, "k", 1); /* the message of a _KV call */
        snprintf(exp, sizeof exp, J("INFO", "%s") ",\"k\":1}\n", c->json);
        EXPECT_L(c->name, exp);
    }
}

/* A NUL byte inside a formatted message (%c of 0) is escaped, not an end. */
static void test_nul_in_message(void **state) {
    (void)state;
    TRACE_INFO("a%cb", 0);
    EXPECT("[INFO] a\\x00b\n");
    fmt(TRACE_FORMAT_JSON);
    TRACE_INFO("a%cb", 0);
    EXPECT(J("INFO", "a\\u0000b") "}\n");
    fmt(TRACE_FORMAT_LOGFMT);
    TRACE_INFO("a%cb", 0);
    EXPECT(L("info", "\"a\\x00b\"") "\n");
}

/* Keys: json escapes them, plain and logfmt turn what would break
   key=value into '_'. */
static void test_key_escapes(void **state) {
    (void)state;
    fmt(TRACE_FORMAT_JSON);
    TRACE_INFO_KV("m", "q\"k", 1, "nl\nk", 2, "b\\k", 3, "\xc3\xa9", 4);
    EXPECT(J("INFO", "m") ",\"q\\\"k\":1,\"nl\\nk\":2,\"b\\\\k\":3,\"\xc3\xa9\":4}\n");
    fmt(TRACE_FORMAT_LOGFMT);
    TRACE_INFO_KV("m", "q\"k", 1, "nl\nk", 2, "sp k", 3, "e=k", 4);
    EXPECT(L("info", "m") " q_k=1 nl_k=2 sp_k=3 e_k=4\n");
    fmt(TRACE_FORMAT_PLAIN);
    TRACE_INFO_KV("m", "q\"k", 1, "nl\nk", 2, "sp k", 3, "e=k", 4);
    EXPECT("[INFO] m q_k=1 nl_k=2 sp_k=3 e_k=4\n");
}

/* CWE-117: no input (message, value, key, _KV message) can start a line. */
static void test_cwe117(void **state) {
    static const char *const forged[] = {
        "x\n[ERROR] forged",
        "x\r\n[ERROR] forged",
        "x\r[ERROR] forged",
        "x\n{\"ts\":\"2026-01-01T00:00:00.000000Z\",\"lvl\":\"ERROR\",\"msg\":\"forged\"}",
        "x\nts=2026-01-01T00:00:00.000000Z lvl=error msg=forged logger=app",
        "x\x0b\x0c[ERROR] forged",
    };
    size_t i, k;
    int f;
    char show[512];
    (void)state;
    for (f = TRACE_FORMAT_PLAIN; f <= TRACE_FORMAT_LOGFMT; f++) {
        fmt(f);
        for (i = 0; i < sizeof forged / sizeof forged[0]; i++) {
            for (k = 0; k < 4; k++) {
                char *rec;
                size_t n;
                if (k == 0) TRACE_ERROR("%s", forged[i]);
                if (k == 1) TRACE_ERROR_KV("m", "v", forged[i]);
                if (k == 2) TRACE_ERROR_KV("m", forged[i], 1);
                if (k == 3) TRACE_ERROR_KV(forged[i], "v", 1);
                rec = take();
                n = strlen(rec);
                if (n == 0 || rec[n - 1] != '\n' || tu_count(rec, n, '\n') != 1 ||
                    tu_count(rec, n, '\r') != 0 || tu_count(rec, n, '\x0b') != 0 ||
                    tu_count(rec, n, '\x0c') != 0) {
                    print_error("format %d, input %zu, place %zu: not one clean line: %s\n", f, i,
                                k, tu_show_n(rec, n, show, sizeof show));
                    fail();
                }
                if (f == TRACE_FORMAT_JSON) {
                    char *lvl = tu_jq(rec, ".lvl");
                    assert_non_null(lvl);
                    assert_string_equal(lvl, "\"ERROR\"");
                    free(lvl);
                }
                free(rec);
            }
        }
    }
}

/* --- numbers and value types -------------------------------------------------- */

static void test_doubles(void **state) {
    (void)state;
    TRACE_INFO_KV("d", "a", 12.5, "b", 0.1, "c", -0.0, "d", 3.0, "e", 1e100, "f", 1.0 / 3.0,
                  "g", DBL_MAX, "h", 5e-324, "i", -2.5e-7);
    EXPECT("[INFO] d a=12.5 b=0.1 c=-0 d=3 e=1e+100 f=0.3333333333333333 "
           "g=1.7976931348623157e+308 h=4.94065645841247e-324 i=-2.5e-07\n");
    fmt(TRACE_FORMAT_JSON);
    TRACE_INFO_KV("d", "a", 12.5, "b", 0.1, "c", -0.0, "d", 3.0, "e", 1e100, "f", 1.0 / 3.0,
                  "g", DBL_MAX, "h", 5e-324, "i", -2.5e-7);
    EXPECT(J("INFO", "d") ",\"a\":12.5,\"b\":0.1,\"c\":-0,\"d\":3,\"e\":1e+100,"
           "\"f\":0.3333333333333333,\"g\":1.7976931348623157e+308,"
           "\"h\":4.94065645841247e-324,\"i\":-2.5e-07}\n");
}

static void test_nan_inf(void **state) {
    double nan_d = (double)NAN, inf_d = (double)INFINITY;
    float nan_f = NAN;
    long double inf_ld = (long double)INFINITY;
    (void)state;
    fmt(TRACE_FORMAT_JSON);
    TRACE_INFO_KV("nf", "nan", nan_d, "inf", inf_d, "ninf", -inf_d, "fnan", nan_f, "ldinf", inf_ld,
                  "nnan", -nan_d);
    EXPECT(J("INFO", "nf") ",\"nan\":\"NaN\",\"inf\":\"Infinity\",\"ninf\":\"-Infinity\","
           "\"fnan\":\"NaN\",\"ldinf\":\"Infinity\",\"nnan\":\"NaN\"}\n");
    fmt(TRACE_FORMAT_PLAIN);
    TRACE_INFO_KV("nf", "nan", nan_d, "inf", inf_d, "ninf", -inf_d, "fnan", nan_f, "ldinf", inf_ld,
                  "nnan", -nan_d);
    EXPECT("[INFO] nf nan=NaN inf=+Inf ninf=-Inf fnan=NaN ldinf=+Inf nnan=NaN\n");
    fmt(TRACE_FORMAT_LOGFMT);
    TRACE_INFO_KV("nf", "nan", nan_d, "inf", inf_d, "ninf", -inf_d);
    EXPECT(L("info", "nf") " nan=NaN inf=+Inf ninf=-Inf\n");
}

#define INTS_PLAIN                                                                         \
    "sc=-128 uc=255 sh=-32768 us=65535 in=-2147483648 ui=4294967295 "                      \
    "lo=-9223372036854775808 ul=18446744073709551615 ll=-9223372036854775808 "             \
    "ull=18446744073709551615 ch=65"
#define INTS_JSON                                                                          \
    "\"sc\":-128,\"uc\":255,\"sh\":-32768,\"us\":65535,\"in\":-2147483648,"               \
    "\"ui\":4294967295,\"lo\":-9223372036854775808,\"ul\":18446744073709551615,"           \
    "\"ll\":-9223372036854775808,\"ull\":18446744073709551615,\"ch\":65"

static void log_ints(void) {
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
    char ch = 'A';
    TRACE_INFO_KV("ints", "sc", sc, "uc", uc, "sh", sh, "us", us, "in", in, "ui", ui, "lo", lo,
                  "ul", ul, "ll", ll, "ull", ull, "ch", ch);
}

static void test_integer_types(void **state) {
    int8_t i8 = INT8_MIN;
    int16_t i16 = INT16_MIN;
    int32_t i32 = INT32_MIN;
    int64_t i64 = INT64_MIN;
    uint8_t u8 = UINT8_MAX;
    uint16_t u16 = UINT16_MAX;
    uint32_t u32 = UINT32_MAX;
    uint64_t u64 = UINT64_MAX;
    int64_t i64max = INT64_MAX;
    size_t sz = 42;
    ptrdiff_t pd = -7;
    intmax_t im = -1;
    uintptr_t up = 0;
    (void)state;
    log_ints();
    EXPECT("[INFO] ints " INTS_PLAIN "\n");
    fmt(TRACE_FORMAT_JSON);
    log_ints();
    EXPECT(J("INFO", "ints") "," INTS_JSON "}\n");
    fmt(TRACE_FORMAT_LOGFMT);
    log_ints();
    EXPECT(L("info", "ints") " " INTS_PLAIN "\n");

    fmt(TRACE_FORMAT_JSON);
    TRACE_INFO_KV("std", "i8", i8, "i16", i16, "i32", i32, "i64", i64, "u8", u8, "u16", u16,
                  "u32", u32, "u64", u64, "i64max", i64max, "sz", sz, "pd", pd, "im", im, "up", up);
    EXPECT(J("INFO", "std") ",\"i8\":-128,\"i16\":-32768,\"i32\":-2147483648,"
           "\"i64\":-9223372036854775808,\"u8\":255,\"u16\":65535,\"u32\":4294967295,"
           "\"u64\":18446744073709551615,\"i64max\":9223372036854775807,\"sz\":42,\"pd\":-7,"
           "\"im\":-1,\"up\":0}\n");
    /* literal constants of each type */
    TRACE_INFO_KV("lit", "a", 0, "b", -1, "c", 42u, "d", -42L, "e", 42UL, "f", -42LL, "g", 42ULL);
    EXPECT(J("INFO", "lit") ",\"a\":0,\"b\":-1,\"c\":42,\"d\":-42,\"e\":42,\"f\":-42,\"g\":42}\n");
}

static void test_other_types(void **state) {
    float f = 1.5f;
    double d = -0.25;
    long double ld = 2.25L;
    bool bt = true, bf = false;
    const char *ns = NULL;
    char *mns = NULL;
    char buf[] = "mutable";
    void *np = NULL;
    const void *cnp = NULL;
    void *p = (void *)(uintptr_t)0x1234;
    const void *cp = (const void *)(uintptr_t)0xabcdef;
    (void)state;
    TRACE_INFO_KV("t", "f", f, "d", d, "ld", ld, "bt", bt, "bf", bf, "cast", (bool)5, "ns", ns,
                  "mns", mns, "buf", buf, "np", np, "cnp", cnp, "null", NULL, "p", p, "cp", cp);
    EXPECT("[INFO] t f=1.5 d=-0.25 ld=2.25 bt=true bf=false cast=true ns=null mns=null buf=mutable "
           "np=null cnp=null null=null p=0x0000000000001234 cp=0x0000000000abcdef\n");
    fmt(TRACE_FORMAT_JSON);
    TRACE_INFO_KV("t", "f", f, "d", d, "ld", ld, "bt", bt, "bf", bf, "cast", (bool)5, "ns", ns,
                  "mns", mns, "buf", buf, "np", np, "cnp", cnp, "null", NULL, "p", p, "cp", cp);
    EXPECT(J("INFO", "t") ",\"f\":1.5,\"d\":-0.25,\"ld\":2.25,\"bt\":true,\"bf\":false,"
           "\"cast\":true,\"ns\":null,\"mns\":null,\"buf\":\"mutable\",\"np\":null,\"cnp\":null,"
           "\"null\":null,\"p\":\"0x0000000000001234\",\"cp\":\"0x0000000000abcdef\"}\n");
    fmt(TRACE_FORMAT_LOGFMT);
    TRACE_INFO_KV("t", "bt", bt, "ns", ns, "np", np);
    EXPECT(L("info", "t") " bt=true ns=null np=null\n");
}

static void expect_pairs(int npairs) {
    char exp[2048];
    size_t o;
    int i;
    o = (size_t)snprintf(exp, sizeof exp, J("INFO", "p%d"), npairs);
    for (i = 1; i <= npairs; i++)
        o += (size_t)snprintf(exp + o, sizeof exp - o, ",\"k%d\":%d", i, i);
    snprintf(exp + o, sizeof exp - o, "}\n");
    EXPECT(exp);
}

static void test_16_and_32_pairs(void **state) {
    char *rec, *n;
    (void)state;
    fmt(TRACE_FORMAT_JSON);
    TRACE_INFO_KV("p16", "k1", 1, "k2", 2, "k3", 3, "k4", 4, "k5", 5, "k6", 6, "k7", 7, "k8", 8,
                  "k9", 9, "k10", 10, "k11", 11, "k12", 12, "k13", 13, "k14", 14, "k15", 15,
                  "k16", 16);
    expect_pairs(16);
    TRACE_INFO_KV("p32", "k1", 1, "k2", 2, "k3", 3, "k4", 4, "k5", 5, "k6", 6, "k7", 7, "k8", 8,
                  "k9", 9, "k10", 10, "k11", 11, "k12", 12, "k13", 13, "k14", 14, "k15", 15,
                  "k16", 16, "k17", 17, "k18", 18, "k19", 19, "k20", 20, "k21", 21, "k22", 22,
                  "k23", 23, "k24", 24, "k25", 25, "k26", 26, "k27", 27, "k28", 28, "k29", 29,
                  "k30", 30, "k31", 31, "k32", 32);
    expect_pairs(32);
    TRACE_INFO_KV("p32", "k1", 1, "k2", 2, "k3", 3, "k4", 4, "k5", 5, "k6", 6, "k7", 7, "k8", 8,
                  "k9", 9, "k10", 10, "k11", 11, "k12", 12, "k13", 13, "k14", 14, "k15", 15,
                  "k16", 16, "k17", 17, "k18", 18, "k19", 19, "k20", 20, "k21", 21, "k22", 22,
                  "k23", 23, "k24", 24, "k25", 25, "k26", 26, "k27", 27, "k28", 28, "k29", 29,
                  "k30", 30, "k31", 31, "k32", 32);
    rec = take();
    n = tu_jq(rec, "keys_unsorted|length");
    assert_non_null(n);
    assert_string_equal(n, "36");
    free(n);
    free(rec);
}

/* --- reserved and colliding keys ------------------------------------------------ */

#define RESERVED_CALL                                                                     \
    TRACE_INFO_KV("m", "msg", "x", "ts", 1, "lvl", 2, "logger", 3, "trace", 4, "span", 5,   \
                  "_msg", 6, "msg", 7, "k", 8, "k", 9)

static void test_reserved_keys(void **state) {
    char *rec, *v;
    (void)state;
    fmt(TRACE_FORMAT_JSON);
    RESERVED_CALL;
    rec = take();
    v = tu_jq(rec, "keys_unsorted|length");
    assert_non_null(v);
    assert_string_equal(v, "14"); /* 4 + 10 fields: no key twice */
    free(v);
    v = tu_jq(rec, "[.msg,.lvl,.logger,._msg,.___msg,._k]");
    assert_non_null(v);
    assert_string_equal(v, "[\"m\",\"INFO\",\"app\",\"x\",7,9]");
    free(v);
    v = tu_norm_ts(rec);
    tu_expect_eq(v, J("INFO", "m") ",\"_msg\":\"x\",\"_ts\":1,\"_lvl\":2,\"_logger\":3,"
                 "\"_trace\":4,\"_span\":5,\"__msg\":6,\"___msg\":7,\"k\":8,\"_k\":9}\n",
                 __FILE__, __LINE__);
    free(v);
    free(rec);
    fmt(TRACE_FORMAT_LOGFMT);
    RESERVED_CALL;
    EXPECT(L("info", "m") " _msg=x _ts=1 _lvl=2 _logger=3 _trace=4 _span=5 __msg=6 ___msg=7 "
           "k=8 _k=9\n");
    fmt(TRACE_FORMAT_PLAIN);
    RESERVED_CALL;
    EXPECT("[INFO] m _msg=x _ts=1 _lvl=2 _logger=3 _trace=4 _span=5 __msg=6 ___msg=7 k=8 _k=9\n");
}

/* Keys that are different strings but encode the same (invalid UTF-8
   becomes U+FFFD in json) must still not produce a duplicate key. */
static void test_json_keys_unique_after_escaping(void **state) {
    char *rec, *v;
    (void)state;
    fmt(TRACE_FORMAT_JSON);
    TRACE_INFO_KV("m", "\xff", 1, "\xfe", 2, "\xef\xbf\xbd", 3, "\xc3", 4);
    rec = take();
    v = tu_jq(rec, "keys_unsorted|length");
    assert_non_null(v);
    if (strcmp(v, "8") != 0) {
        char show[512];
        print_error("4 distinct keys gave %s keys in all (expected 8): %s\n", v,
                    tu_show_n(rec, strlen(rec), show, sizeof show));
        fail();
    }
    free(v);
    free(rec);
}

/* The keys of a logfmt line, in order; returns their number. */
static int logfmt_keys(const char *s, char keys[][64], int max) {
    int n = 0;
    while (*s && *s != '\n') {
        const char *k = s, *eq;
        while (*s && *s != '=' && *s != ' ' && *s != '\n') s++;
        eq = s;
        if (*s == '=') {
            s++;
            if (*s == '"') {
                s++;
                while (*s && *s != '"') s += (*s == '\\' && s[1]) ? 2 : 1;
                if (*s) s++;
            } else {
                while (*s && *s != ' ' && *s != '\n') s++;
            }
        }
        if (n < max && eq > k) {
            size_t kn = (size_t)(eq - k) < 63 ? (size_t)(eq - k) : 63;
            memcpy(keys[n], k, kn);
            keys[n][kn] = 0;
            n++;
        }
        while (*s == ' ') s++;
    }
    return n;
}

/* logfmt (and plain) replace bytes of keys with '_': different keys must
   still come out different. */
static void test_logfmt_keys_unique_after_escaping(void **state) {
    char keys[32][64], *rec;
    int n, i, j;
    (void)state;
    fmt(TRACE_FORMAT_LOGFMT);
    TRACE_INFO_KV("m", "a b", 1, "a_b", 2, "a=b", 3, "msg", 4, "_msg", 5);
    rec = take();
    n = logfmt_keys(rec, keys, 32);
    assert_int_equal(n, 9);
    for (i = 0; i < n; i++)
        for (j = 0; j < i; j++)
            if (strcmp(keys[i], keys[j]) == 0) {
                print_error("duplicate logfmt key '%s' in: %s", keys[i], rec);
                fail();
            }
    free(rec);
}

/* --- records over 4 KiB ------------------------------------------------------------ */

static char *repeat(const char *unit, size_t times) {
    size_t n = strlen(unit), i;
    char *s = (char *)malloc(n * times + 1);
    assert_non_null(s);
    for (i = 0; i < times; i++) memcpy(s + i * n, unit, n);
    s[n * times] = 0;
    return s;
}

static const char *marker_of(int f) {
    return f == TRACE_FORMAT_JSON ? ",\"truncated\":true}\n"
         : f == TRACE_FORMAT_LOGFMT ? " truncated=true\n" : " [truncated]\n";
}

/* A cut record: at most 4096 bytes, one line, ends with the format's
   marker, valid UTF-8; json: valid for jq, truncated == true. */
static void check_cut(const char *rec, int f, const char *what) {
    size_t n = strlen(rec);
    const char *mk = marker_of(f);
    char show[300];
    if (n > TRACE_RECORD_MAX || tu_count(rec, n, '\n') != 1 || n < strlen(mk) ||
        strcmp(rec + n - strlen(mk), mk) != 0 || !tu_utf8_valid(rec, n)) {
        print_error("%s, format %d: bad cut record (%zu bytes), ends: %s\n", what, f, n,
                    tu_show_n(rec + (n > 80 ? n - 80 : 0), n > 80 ? 80 : n, show, sizeof show));
        fail();
    }
    if (f == TRACE_FORMAT_JSON) {
        char *t = tu_jq(rec, ".truncated");
        if (!t) {
            print_error("%s: jq rejects the cut record: ...%s\n", what,
                        tu_show_n(rec + n - 80, 80, show, sizeof show));
            fail();
        }
        assert_string_equal(t, "true");
        free(t);
    }
}

static void test_cut_long_message(void **state) {
    static const char *const units[] = { "x", "\n", "\x01", "\xe2\x82\xac", "\"", "\xff" };
    size_t u;
    int f;
    (void)state;
    for (u = 0; u < sizeof units / sizeof units[0]; u++) {
        char *big = repeat(units[u], 5000 / strlen(units[u]) + 1);
        for (f = TRACE_FORMAT_PLAIN; f <= TRACE_FORMAT_LOGFMT; f++) {
            char *rec;
            fmt(f);
            TRACE_WARNING("%s", big);
            rec = take();
            check_cut(rec, f, "printf-style message");
            /* no escape sequence is cut in half: the text before the marker
               is whole units */
            if (u == 1 && f == TRACE_FORMAT_PLAIN) {
                size_t body = strlen(rec) - strlen("[WARNING] ") - strlen(marker_of(f));
                assert_int_equal(body % 2, 0);
                assert_true(strncmp(rec + strlen(rec) - strlen(marker_of(f)) - 2, "\\n", 2) == 0);
            }
            if (u == 2 && f == TRACE_FORMAT_PLAIN) {
                size_t body = strlen(rec) - strlen("[WARNING] ") - strlen(marker_of(f));
                assert_int_equal(body % 4, 0);
            }
            if (u == 0 && f == TRACE_FORMAT_JSON) {
                char *len = tu_jq(rec, ".msg|length");
                assert_non_null(len);
                assert_true(atoi(len) > 3800);
                free(len);
            }
            free(rec);
            TRACE_WARNING_KV(big, "k", 1);
            rec = take();
            check_cut(rec, f, "_KV message");
            free(rec);
        }
        free(big);
    }
}

static int count_str(const char *s, const char *sub) {
    int n = 0;
    for (; (s = strstr(s, sub)) != NULL; s += strlen(sub)) n++;
    return n;
}

/* Does each line of recs hold "<key><n lowercase hex>" (key like " span=")? */
static int every_line_has_hex(const char *recs, const char *key, size_t n) {
    const char *line = recs;
    while (*line) {
        const char *end = strchr(line, '\n'), *k = strstr(line, key);
        size_t i;
        if (!end || !k || k > end) return 0;
        for (i = 0, k += strlen(key); i < n; i++)
            if (!((k[i] >= '0' && k[i] <= '9') || (k[i] >= 'a' && k[i] <= 'f'))) return 0;
        if (end - line >= TRACE_RECORD_MAX) return 0;
        line = end + 1;
    }
    return 1;
}

/* Wherever the cut falls (a message or a value of every length across the
   edge of a record), a cut record keeps its logger, trace and span, stays
   within TRACE_RECORD_MAX and is valid JSON: the part of the tail that does
   not fit is left out whole, never torn. */
static void test_cut_keeps_logger_and_ids(void **state) {
    char *big = repeat("x", TRACE_RECORD_MAX + 100);
    trace_ctx c = trace_ctx_new();
    int f;
    (void)state;
    c.span = trace_new_span_id();
    for (f = TRACE_FORMAT_PLAIN; f <= TRACE_FORMAT_LOGFMT; f++) {
        char *recs, *v;
        size_t n, lines = 0;
        fmt(f);
        {
            TRACE_CONTEXT(&c);
            for (n = 3800; n <= TRACE_RECORD_MAX; n++) {
                char saved = big[n];
                big[n] = 0;
                TRACE_INFO("%s", big);
                TRACE_INFO_KV(big, "k", 1);
                TRACE_INFO_KV("m", "v", big + 60, "k", 2);
                big[n] = saved;
                lines += 3;
            }
        }
        recs = take();
        assert_int_equal(tu_count(recs, strlen(recs), '\n'), lines);
        assert_true(every_line_has_hex(recs, f == TRACE_FORMAT_JSON ? "\"trace\":\"" : " trace=", 32));
        assert_true(every_line_has_hex(recs, f == TRACE_FORMAT_JSON ? "\"span\":\"" : " span=", 16));
        if (f == TRACE_FORMAT_JSON) {
            v = tu_jq(recs, "select(.logger != \"app\" or (.trace|length) != 32 or (.span|length) != 16) | 1");
            assert_non_null(v); /* jq read every record */
            assert_string_equal(v, "");
            free(v);
        }
        if (f == TRACE_FORMAT_LOGFMT)
            assert_int_equal(tu_count(recs, strlen(recs), '\n'), (size_t)count_str(recs, " logger=app"));
        free(recs);
    }
    free(big);
}

static void test_cut_long_value(void **state) {
    char *big = repeat("y", 5000), *rec, *v;
    int f;
    (void)state;
    for (f = TRACE_FORMAT_PLAIN; f <= TRACE_FORMAT_LOGFMT; f++) {
        fmt(f);
        TRACE_INFO_KV("m", "a", 1, "big", big, "after", 2);
        rec = take();
        check_cut(rec, f, "long value");
        if (f == TRACE_FORMAT_JSON) {
            v = tu_jq(rec, "[.a, (.big|length > 3800), .msg]");
            assert_non_null(v);
            assert_string_equal(v, "[1,true,\"m\"]");
            free(v);
        }
        free(rec);
    }
    free(big);
}


/* A field named "truncated" is renamed like the other reserved keys, so a
   cut record never holds the key twice (jq would merge them silently). */
static void test_cut_field_named_truncated(void **state) {
    char *big = repeat("y", 5000), *rec;
    int f;
    (void)state;
    for (f = TRACE_FORMAT_PLAIN; f <= TRACE_FORMAT_LOGFMT; f++) {
        fmt(f);
        TRACE_INFO_KV("m", "truncated", 1, "big", big);
        rec = take();
        check_cut(rec, f, "field named truncated");
        if (f == TRACE_FORMAT_JSON) {
            assert_int_equal(count_str(rec, "\"truncated\":"), 1);
            assert_int_equal(count_str(rec, "\"_truncated\":1"), 1);
        } else if (f == TRACE_FORMAT_LOGFMT) {
            assert_int_equal(count_str(rec, " truncated="), 1);
            assert_int_equal(count_str(rec, " _truncated=1"), 1);
        }
        free(rec);
    }
    free(big);
    fmt(TRACE_FORMAT_JSON);
    TRACE_INFO_KV("m", "truncated", 1);
    rec = take();
    big = tu_norm_ts(rec);
    tu_expect_eq(big, J("INFO", "m") ",\"_truncated\":1}\n", __FILE__, __LINE__);
    free(big);
    free(rec);
}

static void test_cut_many_fields(void **state) {
    char *v200 = repeat("\xc3\xa9", 100), *rec, *v;
    int f;
    (void)state;
    for (f = TRACE_FORMAT_PLAIN; f <= TRACE_FORMAT_LOGFMT; f++) {
        fmt(f);
        TRACE_INFO_KV("m", "k1", v200, "k2", v200, "k3", v200, "k4", v200, "k5", v200, "k6", v200,
                      "k7", v200, "k8", v200, "k9", v200, "k10", v200, "k11", v200, "k12", v200,
                      "k13", v200, "k14", v200, "k15", v200, "k16", v200, "k17", v200, "k18", v200,
                      "k19", v200, "k20", v200, "k21", v200, "k22", v200, "k23", v200, "k24", v200,
                      "k25", 25, "k26", 26.5, "k27", v200, "k28", v200);
        rec = take();
        check_cut(rec, f, "many fields");
        if (f == TRACE_FORMAT_JSON) {
            v = tu_jq(rec, "[.k1 == .k2, (keys_unsorted|length > 20)]");
            assert_non_null(v);
            assert_string_equal(v, "[true,true]");
            free(v);
        }
        free(rec);
    }
    free(v200);
}

/* A record of exactly TRACE_RECORD_MAX bytes (newline included) is whole;
   one byte more is cut. */
static void test_record_max_boundary(void **state) {
    int f;
    char show[200];
    (void)state;
    for (f = TRACE_FORMAT_PLAIN; f <= TRACE_FORMAT_LOGFMT; f++) {
        char *rec, *msg;
        size_t base, len;
        fmt(f);
        TRACE_INFO("%s", "x");
        rec = take();
        base = strlen(rec) - 1; /* without the one-byte message */
        free(rec);
        msg = repeat("x", TRACE_RECORD_MAX - base);
        TRACE_INFO("%s", msg);
        rec = take();
        len = strlen(rec);
        if (len != TRACE_RECORD_MAX || strstr(rec, "truncated")) {
            print_error("format %d: a record of exactly %d bytes came out as %zu bytes: ...%s\n", f,
                        TRACE_RECORD_MAX, len,
                        tu_show_n(rec + len - 60, 60, show, sizeof show));
            fail();
        }
        free(rec);
        free(msg);
        msg = repeat("x", TRACE_RECORD_MAX - base + 1);
        TRACE_INFO("%s", msg);
        rec = take();
        check_cut(rec, f, "one byte over");
        free(rec);
        free(msg);
    }
}

/* --- locale ------------------------------------------------------------------ */

static void test_locale_comma(void **state) {
    char buf[32];
    const char *lp = getenv("LOCPATH");
    (void)state;
    if (!setlocale(LC_ALL, "de_DE.UTF-8")) {
        print_error("setlocale(LC_ALL, \"de_DE.UTF-8\") failed (LOCPATH=%s): generate it with "
                    "`localedef -i de_DE -f UTF-8 DIR/de_DE.UTF-8` and set LOCPATH=DIR\n",
                    lp ? lp : "(unset)");
        fail();
    }
    snprintf(buf, sizeof buf, "%.1f", 12.5);
    assert_string_equal(buf, "12,5"); /* the locale is in force */
    fmt(TRACE_FORMAT_JSON);
    TRACE_INFO_KV("m", "v", 12.5, "f", 0.25f, "e", 1.5e-7, "l", 2.25L, "big", 1234567.5);
    EXPECT(J("INFO", "m") ",\"v\":12.5,\"f\":0.25,\"e\":1.5e-07,\"l\":2.25,\"big\":1234567.5}\n");
    fmt(TRACE_FORMAT_LOGFMT);
    TRACE_INFO_KV("m", "v", 12.5);
    EXPECT(L("info", "m") " v=12.5\n");
    fmt(TRACE_FORMAT_PLAIN);
    TRACE_INFO_KV("m", "v", 12.5);
    EXPECT("[INFO] m v=12.5\n");
    setlocale(LC_ALL, "C");
}

/* --- colour ------------------------------------------------------------------ */

static char *read_pty(int m) {
    static char buf[1024];
    size_t n = 0;
    struct pollfd p;
    p.fd = m;
    p.events = POLLIN;
    while (n < sizeof buf - 1 && poll(&p, 1, n ? 50 : 2000) > 0) {
        ssize_t r = read(m, buf + n, sizeof buf - 1 - n);
        if (r <= 0) break;
        n += (size_t)r;
    }
    buf[n] = 0;
    return buf;
}

static void test_colour_only_on_terminal(void **state) {
    int m, s;
    struct termios tio;
    char *got, show[200];
    size_t n;
    (void)state;
    m = posix_openpt(O_RDWR | O_NOCTTY);
    assert_true(m >= 0);
    assert_int_equal(grantpt(m), 0);
    assert_int_equal(unlockpt(m), 0);
    s = open(ptsname(m), O_RDWR | O_NOCTTY);
    assert_true(s >= 0);
    assert_int_equal(tcgetattr(s, &tio), 0);
    cfmakeraw(&tio);
    assert_int_equal(tcsetattr(s, TCSANOW, &tio), 0);

    unsetenv("NO_COLOR");
    trace_set_output(s);
    TRACE_INFO("hi");
    got = read_pty(m);
    n = strlen(got);
    if (got[0] != '\033' || !strstr(got, "[INFO]") || n < 10 ||
        strcmp(got + n - 8, "\033[0m hi\n") != 0) {
        print_error("no colour on a terminal: %s\n", tu_show_n(got, n, show, sizeof show));
        fail();
    }
    setenv("NO_COLOR", "", 1); /* empty: colour stays on */
    trace_set_output(s);
    TRACE_ERROR("hi");
    got = read_pty(m);
    assert_true(got[0] == '\033');
    setenv("NO_COLOR", "1", 1);
    trace_set_output(s);
    TRACE_INFO("hi");
    assert_string_equal(read_pty(m), "[INFO] hi\n");
    unsetenv("NO_COLOR");
    trace_set_output(s);
    fmt(TRACE_FORMAT_JSON); /* colour is for plain only */
    TRACE_INFO("hi");
    got = read_pty(m);
    assert_null(strchr(got, '\033'));
    assert_true(strncmp(got, "{\"ts\":", 6) == 0);
    trace_set_output(g_fd);
    close(s);
    close(m);
    /* and a file gets none */
    fmt(TRACE_FORMAT_PLAIN);
    TRACE_INFO("hi");
    EXPECT("[INFO] hi\n");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_plain_levels, setup),
        cmocka_unit_test_setup(test_json_levels, setup),
        cmocka_unit_test_setup(test_logfmt_levels, setup),
        cmocka_unit_test_setup(test_kv_three_formats, setup),
        cmocka_unit_test_setup(test_module, setup),
        cmocka_unit_test_setup(test_timestamp, setup),
        cmocka_unit_test_setup(test_escapes, setup),
        cmocka_unit_test_setup(test_nul_in_message, setup),
        cmocka_unit_test_setup(test_key_escapes, setup),
        cmocka_unit_test_setup(test_cwe117, setup),
        cmocka_unit_test_setup(test_doubles, setup),
        cmocka_unit_test_setup(test_nan_inf, setup),
        cmocka_unit_test_setup(test_integer_types, setup),
        cmocka_unit_test_setup(test_other_types, setup),
        cmocka_unit_test_setup(test_16_and_32_pairs, setup),
        cmocka_unit_test_setup(test_reserved_keys, setup),
        cmocka_unit_test_setup(test_cut_field_named_truncated, setup),
        cmocka_unit_test_setup(test_json_keys_unique_after_escaping, setup),
        cmocka_unit_test_setup(test_logfmt_keys_unique_after_escaping, setup),
        cmocka_unit_test_setup(test_cut_long_message, setup),
        cmocka_unit_test_setup(test_cut_keeps_logger_and_ids, setup),
        cmocka_unit_test_setup(test_cut_long_value, setup),
        cmocka_unit_test_setup(test_cut_many_fields, setup),
        cmocka_unit_test_setup(test_record_max_boundary, setup),
        cmocka_unit_test_setup(test_locale_comma, setup),
        cmocka_unit_test_setup(test_colour_only_on_terminal, setup),
    };
    return cmocka_run_group_tests(tests, group_setup, NULL);
}
