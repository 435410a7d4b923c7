/* test_read.c - tracestat's reader: strict RFC 8259 parsing of trace.h records,
 * malformed lines of every kind, the streaming buffer and its 1 MiB limit. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#include "read.h"

static const char k_timing[] =
    "{\"ts\":\"2026-11-24T01:02:03.123456Z\",\"lvl\":\"INFO\",\"msg\":\"timing\",\"logger\":\"app\","
    "\"trace\":\"0123456789abcdef0123456789ABCDEF\",\"label\":\"load_users\",\"ms\":12.345,"
    "\"span\":\"00000000000000ff\",\"parent\":\"fedcba9876543210\",\"start_us\":1795482123111111,"
    "\"pid\":1234,\"tid\":1235,\"thread\":\"main\",\"cpu_ms\":1.25,\"rss_kb\":100}";

/* Parse a copy of s; returns the parse result, fills rec, *why. */
static int parse(const char *s, ts_record *rec, const char **why, char **keep)
{
    size_t n = strlen(s);
    char *buf = malloc(n + 1);
    size_t col = 0;
    int rc;
    assert_non_null(buf);
    memcpy(buf, s, n);
    *why = NULL;
    rc = ts_parse_line(buf, n, rec, why, &col);
    if (keep)
        *keep = buf;
    else
        free(buf);
    return rc;
}

static void test_timing_record_fields(void **state)
{
    ts_record r;
    const char *why;
    char *buf;
    (void)state;
    assert_int_equal(parse(k_timing, &r, &why, &buf), 1);
    assert_int_equal(r.kind, TS_REC_TIMING);
    assert_int_equal(r.level, TS_LVL_INFO);
    assert_string_equal(r.label.p, "load_users");
    assert_int_equal(r.label.n, 10);
    assert_string_equal(r.msg.p, "timing");
    assert_true(r.ms == 12.345); /* correctly rounded: the same double as the literal */
    assert_true(r.cpu_ms == 1.25);
    assert_true(r.span == 0xffu);
    assert_true(r.parent == 0xfedcba9876543210u);
    assert_true(r.trace_hi == 0x0123456789abcdefu && r.trace_lo == 0x0123456789abcdefu);
    assert_true(r.start_us == 1795482123111111);
    assert_true(r.pid == 1234 && r.tid == 1235);
    assert_string_equal(r.thread.p, "main");
    assert_int_equal(r.has & (TS_HAS_TRACE | TS_HAS_SPAN | TS_HAS_PARENT | TS_HAS_START | TS_HAS_PID | TS_HAS_TID | TS_HAS_THREAD |
                              TS_HAS_CPU | TS_HAS_TS),
                     TS_HAS_TRACE | TS_HAS_SPAN | TS_HAS_PARENT | TS_HAS_START | TS_HAS_PID | TS_HAS_TID | TS_HAS_THREAD | TS_HAS_CPU |
                         TS_HAS_TS);
    free(buf);
}

static void test_other_and_summary_records(void **state)
{
    ts_record r;
    const char *why;
    (void)state;
    assert_int_equal(parse("{\"ts\":\"x\",\"lvl\":\"ERROR\",\"msg\":\"boom\",\"label\":7,\"ms\":\"not checked\",\"n\":[1,{\"a\":null}]}", &r, &why, NULL), 1);
    assert_int_equal(r.kind, TS_REC_OTHER); /* user fields named like ours are not checked on other records */
    assert_int_equal(r.level, TS_LVL_ERROR);
    assert_int_equal(parse("{\"lvl\":\"NOTICE\",\"msg\":\"m\"}", &r, &why, NULL), 1);
    assert_int_equal(r.level, TS_LVL_OTHER);
    assert_int_equal(parse("{\"ts\":\"t\",\"lvl\":\"INFO\",\"msg\":\"timing_summary\",\"logger\":\"app\",\"label\":\"hot\",\"count\":1000000,"
                           "\"total_ms\":123.456,\"min_ms\":0.001,\"max_ms\":2.5,\"p50_ms\":0.1,\"p90_ms\":0.2,\"p99_ms\":0.9,\"pid\":1}",
                           &r, &why, NULL),
                     1);
    assert_int_equal(r.kind, TS_REC_SUMMARY);
    assert_true(r.count == 1000000.0 && r.total_ms == 123.456 && r.min_ms == 0.001 && r.max_ms == 2.5);
    assert_true(r.p50_ms == 0.1 && r.p90_ms == 0.2 && r.p99_ms == 0.9);
    /* optional summary fields absent: NaN */
    assert_int_equal(parse("{\"lvl\":\"INFO\",\"msg\":\"timing_summary\",\"label\":\"hot\",\"count\":3,\"total_ms\":1}", &r, &why, NULL), 1);
    assert_true(isnan(r.p50_ms) && isnan(r.min_ms));
}

static void test_strings_decoded(void **state)
{
    ts_record r;
    const char *why;
    char *buf;
    (void)state;
    assert_int_equal(parse("{\"lvl\":\"INFO\",\"msg\":\"timing\",\"label\":\"a\\u00e9\\n\\\"b\\/\\\\\\ud83d\\ude00 \xc3\xa9\",\"ms\":1}", &r, &why, &buf), 1);
    assert_int_equal(r.label.n, 1 + 2 + 1 + 1 + 1 + 1 + 1 + 4 + 1 + 2);
    assert_memory_equal(r.label.p, "a\xc3\xa9\n\"b/\\\xf0\x9f\x98\x80 \xc3\xa9", r.label.n);
    free(buf);
    /* an escaped key is still recognised */
    assert_int_equal(parse("{\"lvl\":\"INFO\",\"m\\u0073g\":\"timing\",\"label\":\"x\",\"ms\":0}", &r, &why, NULL), 1);
    assert_int_equal(r.kind, TS_REC_TIMING);
}

static void test_numbers(void **state)
{
    static const struct { const char *lit; double want; } cases[] = {
        { "0", 0.0 }, { "0.5", 0.5 }, { "12.345", 12.345 }, { "1e3", 1000.0 }, { "1E+3", 1000.0 }, { "2.5e-3", 0.0025 },
        { "123456789012345678901234567890", 123456789012345678901234567890.0 }, { "0.000001", 1e-6 },
        { "1.7976931348623157e308", 1.7976931348623157e308 }, { "4.9e-324", 4.9e-324 },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char line[256];
        ts_record r;
        const char *why;
        snprintf(line, sizeof line, "{\"lvl\":\"INFO\",\"msg\":\"timing\",\"label\":\"x\",\"ms\":%s}", cases[i].lit);
        assert_int_equal(parse(line, &r, &why, NULL), 1);
        if (r.ms != cases[i].want) fail_msg("%s parsed as %.17g", cases[i].lit, r.ms);
    }
}

static void test_malformed_lines(void **state)
{
    static const struct { const char *line; const char *why; } bad[] = {
        { "[1,2]", "not a JSON object" },
        { "hello", "not a JSON object" },
        { "{\"lvl\":\"INFO\",\"msg\":\"x\",}", "expected a string key" },
        { "{\"lvl\":\"INFO\",\"msg\":\"x\"", "unexpected end of line" },
        { "{\"lvl\":\"INFO\" \"msg\":\"x\"}", "expected ',' or '}'" },
        { "{\"lvl\":\"INFO\",\"msg\" \"x\"}", "expected ':'" },
        { "{\"lvl\":\"INFO\",\"msg\":\"x\"} x", "trailing data" },
        { "{\"lvl\":\"INFO\",\"msg\":\"x\"}{}", "trailing data" },
        { "{\"lvl\":\"INFO\"}", "missing field \"msg\"" },
        { "{\"msg\":\"x\"}", "missing field \"lvl\"" },
        { "{\"lvl\":\"INFO\",\"msg\":3}", "\"msg\" is not a string" },
        { "{\"lvl\":\"INFO\",\"msg\":\"timing\",\"ms\":1}", "without \"label\"" },
        { "{\"lvl\":\"INFO\",\"msg\":\"timing\",\"label\":\"a\"}", "without \"ms\"" },
        { "{\"lvl\":\"INFO\",\"msg\":\"timing\",\"label\":\"a\",\"ms\":\"1\"}", "\"ms\" is not a number" },
        { "{\"lvl\":\"INFO\",\"msg\":\"timing\",\"label\":\"a\",\"ms\":-1}", "\"ms\" out of range" },
        { "{\"lvl\":\"INFO\",\"msg\":\"timing\",\"label\":\"a\",\"ms\":1e999}", "\"ms\" out of range" },
        { "{\"lvl\":\"INFO\",\"msg\":\"timing\",\"label\":3,\"ms\":1}", "\"label\" is not a string" },
        { "{\"lvl\":\"INFO\",\"msg\":\"timing\",\"label\":\"\",\"ms\":1}", "empty \"label\"" },
        { "{\"lvl\":\"INFO\",\"msg\":\"timing\",\"label\":\"a\",\"ms\":1,\"span\":\"xyz\"}", "\"span\" is not 16 hex digits" },
        { "{\"lvl\":\"INFO\",\"msg\":\"timing\",\"label\":\"a\",\"ms\":1,\"parent\":5}", "\"parent\" is not a string or null" },
        { "{\"lvl\":\"INFO\",\"msg\":\"timing\",\"label\":\"a\",\"ms\":1,\"trace\":\"abc\"}", "\"trace\" is not 32 hex digits" },
        { "{\"lvl\":\"INFO\",\"msg\":\"timing\",\"label\":\"a\",\"ms\":1,\"start_us\":1.5}", "\"start_us\" is not an integer" },
        { "{\"lvl\":\"INFO\",\"msg\":\"timing\",\"label\":\"a\",\"ms\":1,\"pid\":\"1\"}", "is not an integer" },
        { "{\"lvl\":\"INFO\",\"msg\":\"timing\",\"label\":\"a\",\"ms\":1,\"cpu_ms\":true}", "\"cpu_ms\" is not a number" },
        { "{\"lvl\":\"INFO\",\"msg\":\"timing_summary\",\"label\":\"a\",\"total_ms\":1}", "without \"count\"" },
        { "{\"lvl\":\"INFO\",\"msg\":\"timing_summary\",\"label\":\"a\",\"count\":-1,\"total_ms\":1}", "non-negative integer" },
        { "{\"lvl\":\"INFO\",\"msg\":\"timing_summary\",\"label\":\"a\",\"count\":2}", "without \"total_ms\"" },
        { "{\"lvl\":\"INFO\",\"msg\":\"timing_summary\",\"label\":\"a\",\"count\":2,\"total_ms\":1,\"p50_ms\":\"x\"}", "not a number" },
        { "{\"lvl\":\"INFO\",\"msg\":\"a\\qb\"}", "bad escape" },
        { "{\"lvl\":\"INFO\",\"msg\":\"a\\u12G4\"}", "bad \\u escape" },
        { "{\"lvl\":\"INFO\",\"msg\":\"\\ud800\"}", "unpaired UTF-16 surrogate" },
        { "{\"lvl\":\"INFO\",\"msg\":\"\\udc00x\"}", "unpaired UTF-16 surrogate" },
        { "{\"lvl\":\"INFO\",\"msg\":\"a\tb\"}", "control character" },
        { "{\"lvl\":\"INFO\",\"msg\":\"\xc0\x80\"}", "invalid UTF-8" },
        { "{\"lvl\":\"INFO\",\"msg\":\"\xed\xa0\x80\"}", "invalid UTF-8" },
        { "{\"lvl\":\"INFO\",\"msg\":\"\xf5\x80\x80\x80\"}", "invalid UTF-8" },
        { "{\"lvl\":\"INFO\",\"msg\":\"\xe2\x82\"}", "invalid UTF-8" },
        { "{\"lvl\":\"INFO\",\"msg\":\"\xff\"}", "invalid UTF-8" },
        { "{\"lvl\":\"INFO\",\"msg\":\"x\",\"n\":01}", "expected ',' or '}'" },
        { "{\"lvl\":\"INFO\",\"msg\":\"x\",\"n\":1.}", "digit expected after '.'" },
        { "{\"lvl\":\"INFO\",\"msg\":\"x\",\"n\":.5}", "unexpected character" },
        { "{\"lvl\":\"INFO\",\"msg\":\"x\",\"n\":+1}", "unexpected character" },
        { "{\"lvl\":\"INFO\",\"msg\":\"x\",\"n\":1e}", "digit expected in exponent" },
        { "{\"lvl\":\"INFO\",\"msg\":\"x\",\"n\":-}", "bad number" },
        { "{\"lvl\":\"INFO\",\"msg\":\"x\",\"n\":NaN}", "unexpected character" },
        { "{\"lvl\":\"INFO\",\"msg\":\"x\",\"n\":tru}", "invalid literal" },
        { "{\"lvl\":\"INFO\",\"msg\":\"x\",\"n\":[1,]}", "unexpected character" },
        { "{\"lvl\":\"INFO\",\"msg\":\"x\",\"n\":[1 2]}", "expected ',' or ']'" },
        { "{\"lvl\":\"INFO\",\"msg\":\"x\",\"n\":{\"a\" 1}}", "expected ':'" },
        { "{\"lvl\":\"INFO\",\"msg\":\"unterminated}", "unterminated string" },
        { "{'lvl':'INFO'}", "expected a string key" },
    };
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ts_record r;
        const char *why;
        int rc = parse(bad[i].line, &r, &why, NULL);
        if (rc != -1) fail_msg("accepted: %s", bad[i].line);
        if (!why || !strstr(why, bad[i].why)) fail_msg("%s: reason '%s', expected '%s'", bad[i].line, why ? why : "(null)", bad[i].why);
    }
}

static void test_nul_and_depth(void **state)
{
    ts_record r;
    const char *why;
    size_t col;
    char line[] = "{\"lvl\":\"INFO\",\"msg\":\"a\0b\"}";
    char *deep;
    size_t n = 0;
    (void)state;
    assert_int_equal(ts_parse_line(line, sizeof line - 1, &r, &why, &col), -1);
    assert_non_null(strstr(why, "control character"));
    assert_int_equal(col, 23); /* 1-based byte column of the NUL */
    /* 300 nested arrays: refused, not recursed */
    deep = malloc(1000);
    assert_non_null(deep);
    n += (size_t)sprintf(deep, "{\"lvl\":\"INFO\",\"msg\":\"x\",\"n\":");
    for (int i = 0; i < 300; i++) deep[n++] = '[';
    for (int i = 0; i < 300; i++) deep[n++] = ']';
    deep[n++] = '}';
    assert_int_equal(ts_parse_line(deep, n, &r, &why, &col), -1);
    assert_non_null(strstr(why, "nesting too deep"));
    /* 200 are fine */
    n = (size_t)sprintf(deep, "{\"lvl\":\"INFO\",\"msg\":\"x\",\"n\":");
    for (int i = 0; i < 200; i++) deep[n++] = '[';
    for (int i = 0; i < 200; i++) deep[n++] = ']';
    deep[n++] = '}';
    assert_int_equal(ts_parse_line(deep, n, &r, &why, &col), 1);
    free(deep);
}

static void test_blank_and_whitespace(void **state)
{
    ts_record r;
    const char *why;
    char *buf;
    (void)state;
    assert_int_equal(parse("", &r, &why, NULL), 0);
    assert_int_equal(parse("  \t\r", &r, &why, NULL), 0);
    assert_int_equal(parse(" { \"lvl\" : \"INFO\" , \"msg\" : \"x\" } \r", &r, &why, NULL), 1);
    /* first occurrence of a key wins */
    assert_int_equal(parse("{\"lvl\":\"INFO\",\"msg\":\"timing\",\"label\":\"a\",\"ms\":1,\"label\":5}", &r, &why, &buf), 1);
    assert_string_equal(r.label.p, "a");
    free(buf);
}

/* A valid record of exactly len bytes (padded in a user field). */
static char *record_of_len(size_t len, const char *label)
{
    char head[128];
    int hn = snprintf(head, sizeof head, "{\"lvl\":\"INFO\",\"msg\":\"timing\",\"label\":\"%s\",\"ms\":2,\"pad\":\"", label);
    char *s = malloc(len + 1);
    size_t pad;
    assert_non_null(s);
    assert_true((size_t)hn + 2 <= len);
    pad = len - (size_t)hn - 2;
    memcpy(s, head, (size_t)hn);
    memset(s + hn, 'x', pad);
    memcpy(s + (size_t)hn + pad, "\"}", 2);
    s[len] = '\0';
    return s;
}

static void test_stream_lines_and_limits(void **state)
{
    char *big_ok = record_of_len(TS_MAX_LINE - 1, "big");
    char *big_bad = record_of_len(TS_MAX_LINE, "toolong");
    char *huge = record_of_len(3 * TS_MAX_LINE + 7, "huge");
    size_t cap = 8 * TS_MAX_LINE, n = 0;
    char *data = malloc(cap);
    ts_reader *rd = ts_reader_new();
    ts_errs errs;
    ts_record r;
    int got = 0;
    char labels[8][16];
    (void)state;
    assert_non_null(data);
    assert_non_null(rd);
    memset(&errs, 0, sizeof errs);
#define ADD(s) do { size_t l_ = strlen(s); memcpy(data + n, s, l_); n += l_; } while (0)
    ADD("{\"lvl\":\"INFO\",\"msg\":\"timing\",\"label\":\"one\",\"ms\":1}\r\n"); /* line 1 */
    ADD("not json\n");                                                         /* 2 */
    ADD("\n");                                                                 /* 3 blank */
    ADD(big_ok); ADD("\n");                                                    /* 4 */
    ADD(big_bad); ADD("\n");                                                   /* 5: 1 MiB */
    ADD(huge); ADD("\n");                                                      /* 6: 3 MiB */
    ADD("\x01\x02\xff garbage\n");                                             /* 7 */
    ADD("{\"lvl\":\"INFO\",\"msg\":\"timing\",\"label\":\"two\",\"ms\":2}\n"); /* 8 */
    ADD("{]\n");                                                               /* 9 */
    ADD("{\"lvl\":\"INFO\",\"msg\":\"timing\",\"label\":\"last\",\"ms\":3}"); /* 10, no newline */
#undef ADD
    ts_reader_open_mem(rd, data, n, "mem.jsonl");
    while (ts_reader_next(rd, &r, &errs) > 0) {
        assert_true(got < 8);
        snprintf(labels[got++], sizeof labels[0], "%s", r.label.p);
    }
    assert_int_equal(got, 4);
    assert_string_equal(labels[0], "one");
    assert_string_equal(labels[1], "big");
    assert_string_equal(labels[2], "two");
    assert_string_equal(labels[3], "last");
    assert_int_equal(ts_reader_line(rd), 10);
    assert_true(ts_reader_bytes(rd) == n);
    assert_int_equal(errs.count, 5);
    assert_int_equal(errs.nkept, 5);
    assert_string_equal(errs.kept[0].file, "mem.jsonl");
    assert_int_equal(errs.kept[0].line, 2);
    assert_int_equal(errs.kept[1].line, 5);
    assert_non_null(strstr(errs.kept[1].why, "1 MiB"));
    assert_int_equal(errs.kept[2].line, 6);
    assert_int_equal(errs.kept[3].line, 7);
    assert_int_equal(errs.kept[4].line, 9);
    assert_non_null(strstr(errs.kept[0].why, "column 1: not a JSON object"));
    /* a sixth error is counted, not kept */
    ts_errs_add(&errs, "x", 1, "y");
    assert_int_equal(errs.count, 6);
    assert_int_equal(errs.nkept, 5);
    ts_reader_free(rd);
    free(data);
    free(big_ok);
    free(big_bad);
    free(huge);
}

static void test_unterminated_huge_last_line(void **state)
{
    /* a 2.5 MiB final line without newline: one error, then end */
    size_t n = TS_MAX_LINE * 5 / 2;
    char *data = malloc(n);
    ts_reader *rd = ts_reader_new();
    ts_errs errs;
    ts_record r;
    (void)state;
    assert_non_null(data);
    memset(data, '{', n);
    memset(&errs, 0, sizeof errs);
    ts_reader_open_mem(rd, data, n, "m");
    assert_int_equal(ts_reader_next(rd, &r, &errs), 0);
    assert_int_equal(errs.count, 1);
    assert_int_equal(ts_reader_next(rd, &r, &errs), 0);
    ts_reader_free(rd);
    free(data);
}

static void test_rfc3339(void **state)
{
    int64_t us;
    (void)state;
    /* expected values from Python's calendar.timegm */
    assert_int_equal(ts_rfc3339_us("2026-11-24T01:02:03.123456Z", 27, &us), 0);
    assert_true(us == 1795482123123456);
    assert_int_equal(ts_rfc3339_us("2000-02-29T23:59:59Z", 20, &us), 0);
    assert_true(us == 951868799000000);
    assert_int_equal(ts_rfc3339_us("1970-01-01T00:00:01.5+00:00", 27, &us), 0);
    assert_true(us == 1500000);
    assert_int_equal(ts_rfc3339_us("1970-01-01T01:00:00+01:00", 25, &us), 0);
    assert_true(us == 0);
    assert_int_equal(ts_rfc3339_us("1970-13-01T00:00:00Z", 20, &us), -1);
    assert_int_equal(ts_rfc3339_us("1970-01-01T00:00:00", 19, &us), -1);
}

static void test_json_cursor(void **state)
{
    char doc[] = " {\"a\": [1, 2.5, null], \"b\": {\"c\": \"d\\u0041\"}, \"e\": {} } ";
    ts_json j;
    ts_str k, v;
    double d;
    int rc;
    (void)state;
    ts_json_init(&j, doc, strlen(doc));
    assert_int_equal(ts_json_obj_begin(&j), 0);
    assert_int_equal(ts_json_obj_next(&j, &k), 1);
    assert_string_equal(k.p, "a");
    assert_int_equal(ts_json_arr_begin(&j), 0);
    assert_int_equal(ts_json_arr_next(&j), 1);
    assert_int_equal(ts_json_number(&j, &d), 0);
    assert_true(d == 1.0);
    assert_int_equal(ts_json_arr_next(&j), 1);
    assert_int_equal(ts_json_number(&j, &d), 0);
    assert_true(d == 2.5);
    assert_int_equal(ts_json_arr_next(&j), 1);
    assert_int_equal(ts_json_peek(&j), TS_J_NULL);
    assert_int_equal(ts_json_skip(&j), 0);
    assert_int_equal(ts_json_arr_next(&j), 0);
    assert_int_equal(ts_json_obj_next(&j, &k), 1);
    assert_string_equal(k.p, "b");
    assert_int_equal(ts_json_obj_begin(&j), 0);
    assert_int_equal(ts_json_obj_next(&j, &k), 1);
    assert_int_equal(ts_json_string(&j, &v), 0);
    assert_string_equal(v.p, "dA");
    assert_int_equal(ts_json_obj_next(&j, &k), 0);
    assert_int_equal(ts_json_obj_next(&j, &k), 1);
    assert_string_equal(k.p, "e");
    assert_int_equal(ts_json_obj_begin(&j), 0);
    assert_int_equal(ts_json_obj_next(&j, &k), 0);
    rc = ts_json_obj_next(&j, &k);
    assert_int_equal(rc, 0);
    assert_int_equal(ts_json_finish(&j), 0);
    {
        char bad[] = "{\"a\":1 \"b\":2}";
        ts_json_init(&j, bad, strlen(bad));
        assert_int_equal(ts_json_obj_begin(&j), 0);
        assert_int_equal(ts_json_obj_next(&j, &k), 1);
        assert_int_equal(ts_json_number(&j, &d), 0);
        assert_int_equal(ts_json_obj_next(&j, &k), -1);
        assert_non_null(strstr(j.why, "expected ','"));
    }
}

static void test_ids_format(void **state)
{
    char t[33], s[17];
    (void)state;
    ts_fmt_trace(t, 0x0123456789abcdefu, 0xfedcba9876543210u);
    assert_string_equal(t, "0123456789abcdeffedcba9876543210");
    ts_fmt_span(s, 0xffu);
    assert_string_equal(s, "00000000000000ff");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_timing_record_fields),
        cmocka_unit_test(test_other_and_summary_records),
        cmocka_unit_test(test_strings_decoded),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_malformed_lines),
        cmocka_unit_test(test_nul_and_depth),
        cmocka_unit_test(test_blank_and_whitespace),
        cmocka_unit_test(test_stream_lines_and_limits),
        cmocka_unit_test(test_unterminated_huge_last_line),
        cmocka_unit_test(test_rfc3339),
        cmocka_unit_test(test_json_cursor),
        cmocka_unit_test(test_ids_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
