/* read.c - tracestat stage 1: a strict, streaming JSON-lines reader.
 *
 * Each line is parsed in place with a NUL written after its last byte, so
 * the inner loops stop on the sentinel without bounds checks; a NUL inside
 * the line is never valid JSON and is reported like any other bad byte.
 * Strings of the fields tracestat needs are decoded in place (a decoded
 * string is never longer than its encoding); all other values are only
 * validated. Nesting is tracked in a fixed stack, so no input recurses.
 */
#define _POSIX_C_SOURCE 200809L
#include "read.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TS__MAX_DEPTH 256

/* ---- character classes ------------------------------------------------- */
/* 0: plain ASCII inside a string, 1: '"', 2: '\\', 3: control (incl. NUL), 4: byte >= 0x80 */
static const unsigned char ts__scls[256] = {
    3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3, 3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,
    0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,2,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4, 4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,
    4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4, 4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,
    4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4, 4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,
    4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4, 4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,
};

static int ts__hexval(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static int ts__fail(ts_json *j, char *at, const char *why)
{
    if (!j->why) {
        j->why = why;
        j->err_at = at;
    }
    return -1;
}

static char *ts__ws(char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
    return p;
}

/* Length of a valid UTF-8 sequence starting at p (lead byte >= 0x80), or 0. */
static size_t ts__utf8(const unsigned char *p)
{
    unsigned char c = p[0];
    if (c >= 0xC2 && c <= 0xDF)
        return (p[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        unsigned char lo = 0x80, hi = 0xBF;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F; /* no UTF-16 surrogates */
        if (p[1] < lo || p[1] > hi) return 0;
        return (p[2] & 0xC0) == 0x80 ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        unsigned char lo = 0x80, hi = 0xBF;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F; /* <= U+10FFFF */
        if (p[1] < lo || p[1] > hi) return 0;
        if ((p[2] & 0xC0) != 0x80) return 0;
        return (p[3] & 0xC0) == 0x80 ? 4 : 0;
    }
    return 0;
}

static int ts__hex4(const char *p, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        int h = ts__hexval((unsigned char)p[i]);
        if (h < 0) return -1;
        v = (v << 4) | (unsigned)h;
    }
    *out = v;
    return 0;
}

static char *ts__put_utf8(char *w, unsigned cp)
{
    if (cp < 0x80) {
        *w++ = (char)cp;
    } else if (cp < 0x800) {
        *w++ = (char)(0xC0 | (cp >> 6));
        *w++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *w++ = (char)(0xE0 | (cp >> 12));
        *w++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *w++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *w++ = (char)(0xF0 | (cp >> 18));
        *w++ = (char)(0x80 | ((cp >> 12) & 0x3F));
        *w++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *w++ = (char)(0x80 | (cp & 0x3F));
    }
    return w;
}

/* j->p is at the opening quote. On success j->p is past the closing quote;
 * with out != NULL the string is decoded in place and NUL-terminated. */
static int ts__string(ts_json *j, ts_str *out)
{
    char *start = j->p + 1;
    char *r = start;
    char *w = NULL; /* NULL until the first escape: then bytes are moved down */
    for (;;) {
        unsigned char c = (unsigned char)*r;
        switch (ts__scls[c]) {
        case 0:
            if (w) *w++ = (char)c;
            r++;
            continue;
        case 1: {
            char *e = w ? w : r;
            j->p = r + 1;
            if (out) {
                *e = '\0'; /* overwrites the closing quote or an earlier byte */
                out->p = start;
                out->n = (size_t)(e - start);
            }
            return 0;
        }
        case 2: {
            char esc = r[1];
            char dec;
            if (!w) w = r;
            switch (esc) {
            case '"': dec = '"'; break;
            case '\\': dec = '\\'; break;
            case '/': dec = '/'; break;
            case 'b': dec = '\b'; break;
            case 'f': dec = '\f'; break;
            case 'n': dec = '\n'; break;
            case 'r': dec = '\r'; break;
            case 't': dec = '\t'; break;
            case 'u': {
                unsigned cp, lo;
                if (ts__hex4(r + 2, &cp) != 0) return ts__fail(j, r, "bad \\u escape");
                r += 6;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    if (r[0] != '\\' || r[1] != 'u' || ts__hex4(r + 2, &lo) != 0 || lo < 0xDC00 || lo > 0xDFFF)
                        return ts__fail(j, r, "unpaired UTF-16 surrogate");
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    r += 6;
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    return ts__fail(j, r - 6, "unpaired UTF-16 surrogate");
                }
                w = ts__put_utf8(w, cp);
                continue;
            }
            default:
                return ts__fail(j, r, "bad escape in string");
            }
            *w++ = dec;
            r += 2;
            continue;
        }
        case 3:
            if (r == j->end) return ts__fail(j, r, "unterminated string");
            return ts__fail(j, r, "control character in string");
        default: {
            size_t n = ts__utf8((const unsigned char *)r);
            if (n == 0) return ts__fail(j, r, "invalid UTF-8");
            if (w) {
                memmove(w, r, n);
                w += n;
            }
            r += n;
            continue;
        }
        }
    }
}

static const double ts__pow10[23] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

/* j->p at '-' or a digit. Validates RFC 8259 number syntax; computes the
 * value when d != NULL (without strtod: no locale), and an exact integer
 * in *iv with *isint = 1 when the number has no fraction or exponent and
 * fits in int64. */
static int ts__number(ts_json *j, double *d, int64_t *iv, int *isint)
{
    char *p = j->p;
    int neg = 0;
    uint64_t m = 0;
    int sig = 0;       /* significant digits kept in m */
    long dexp = 0;     /* decimal exponent adjustment */
    int integral = 1;
    int ovf = 0;       /* int64 overflow for the integer form */
    if (*p == '-') {
        neg = 1;
        p++;
    }
    if (*p == '0') {
        p++;
    } else if (*p >= '1' && *p <= '9') {
        while (*p >= '0' && *p <= '9') {
            unsigned dgt = (unsigned)(*p - '0');
            if (sig < 19) {
                m = m * 10 + dgt;
                sig++;
            } else {
                dexp++;
                ovf = 1;
            }
            p++;
        }
    } else {
        return ts__fail(j, p, "bad number");
    }
    if (*p == '.') {
        integral = 0;
        p++;
        if (!(*p >= '0' && *p <= '9')) return ts__fail(j, p, "bad number: digit expected after '.'");
        while (*p >= '0' && *p <= '9') {
            if (sig < 19) {
                if (m != 0 || *p != '0') {
                    m = m * 10 + (unsigned)(*p - '0');
                    sig++;
                }
                dexp--;
            }
            p++;
        }
    }
    if (*p == 'e' || *p == 'E') {
        int eneg = 0;
        long e = 0;
        integral = 0;
        p++;
        if (*p == '+' || *p == '-') {
            eneg = *p == '-';
            p++;
        }
        if (!(*p >= '0' && *p <= '9')) return ts__fail(j, p, "bad number: digit expected in exponent");
        while (*p >= '0' && *p <= '9') {
            if (e < 100000) e = e * 10 + (*p - '0');
            p++;
        }
        dexp += eneg ? -e : e;
    }
    j->p = p;
    if (isint) {
        *isint = 0;
        if (integral && !ovf) {
            if (!neg && m <= (uint64_t)INT64_MAX) {
                *iv = (int64_t)m;
                *isint = 1;
            } else if (neg && m <= (uint64_t)INT64_MAX + 1u) {
                *iv = m == (uint64_t)INT64_MAX + 1u ? INT64_MIN : -(int64_t)m;
                *isint = 1;
            }
        }
    }
    if (d) {
        double v;
        if (m == 0) {
            v = 0.0;
        } else if (m < ((uint64_t)1 << 53) && dexp >= -22 && dexp <= 22) {
            v = (double)m; /* exact: one correctly rounded operation */
            v = dexp < 0 ? v / ts__pow10[-dexp] : v * ts__pow10[dexp];
        } else if (dexp > 400) {
            v = HUGE_VAL;
        } else if (dexp < -400) {
            v = 0.0;
        } else {
            long double lv = (long double)m;
            long double pw = powl(10.0L, (long double)(dexp < 0 ? -dexp : dexp));
            lv = dexp < 0 ? lv / pw : lv * pw;
            v = (double)lv;
        }
        *d = neg ? -v : v;
    }
    return 0;
}

static int ts__literal(ts_json *j, const char *word, size_t n)
{
    if (strncmp(j->p, word, n) != 0) return ts__fail(j, j->p, "invalid literal");
    j->p += n;
    return 0;
}

/* Skip any value without recursion. */
static int ts__skip(ts_json *j)
{
    unsigned char stack[TS__MAX_DEPTH]; /* 1 = object, 2 = array */
    size_t depth = 0;
    char *p;
    for (;;) {
        /* value */
        j->p = p = ts__ws(j->p);
        switch (*p) {
        case '{':
            p = ts__ws(p + 1);
            if (*p == '}') {
                j->p = p + 1;
                break;
            }
            if (depth == TS__MAX_DEPTH) return ts__fail(j, p, "nesting too deep");
            stack[depth++] = 1;
            if (*p != '"') return ts__fail(j, p, "expected a string key");
            j->p = p;
            if (ts__string(j, NULL) != 0) return -1;
            p = ts__ws(j->p);
            if (*p != ':') return ts__fail(j, p, "expected ':'");
            j->p = p + 1;
            continue;
        case '[':
            p = ts__ws(p + 1);
            if (*p == ']') {
                j->p = p + 1;
                break;
            }
            if (depth == TS__MAX_DEPTH) return ts__fail(j, p, "nesting too deep");
            stack[depth++] = 2;
            j->p = p;
            continue;
        case '"':
            if (ts__string(j, NULL) != 0) return -1;
            break;
        case 't':
            if (ts__literal(j, "true", 4) != 0) return -1;
            break;
        case 'f':
            if (ts__literal(j, "false", 5) != 0) return -1;
            break;
        case 'n':
            if (ts__literal(j, "null", 4) != 0) return -1;
            break;
        default:
            if (*p == '-' || (*p >= '0' && *p <= '9')) {
                if (ts__number(j, NULL, NULL, NULL) != 0) return -1;
                break;
            }
            if (p == j->end) return ts__fail(j, p, "unexpected end of line");
            return ts__fail(j, p, "unexpected character");
        }
        /* after a value: close containers or move to the next member */
        for (;;) {
            if (depth == 0) return 0;
            p = ts__ws(j->p);
            if (*p == ',') {
                p = ts__ws(p + 1);
                if (stack[depth - 1] == 1) {
                    if (*p != '"') return ts__fail(j, p, "expected a string key");
                    j->p = p;
                    if (ts__string(j, NULL) != 0) return -1;
                    p = ts__ws(j->p);
                    if (*p != ':') return ts__fail(j, p, "expected ':'");
                    p++;
                }
                j->p = p;
                break;
            }
            if ((*p == '}' && stack[depth - 1] == 1) || (*p == ']' && stack[depth - 1] == 2)) {
                depth--;
                j->p = p + 1;
                continue;
            }
            if (p == j->end) return ts__fail(j, p, "unexpected end of line");
            return ts__fail(j, p, stack[depth - 1] == 1 ? "expected ',' or '}'" : "expected ',' or ']'");
        }
    }
}

/* ---- generic cursor API --------------------------------------------------- */

void ts_json_init(ts_json *j, char *buf, size_t len)
{
    buf[len] = '\0';
    j->p = buf;
    j->end = buf + len;
    j->why = NULL;
    j->err_at = NULL;
    j->first = 0;
}

ts_jtype ts_json_peek(ts_json *j)
{
    if (j->why) return TS_J_ERROR;
    j->p = ts__ws(j->p);
    switch (*j->p) {
    case '{': return TS_J_OBJECT;
    case '[': return TS_J_ARRAY;
    case '"': return TS_J_STRING;
    case 't': return TS_J_TRUE;
    case 'f': return TS_J_FALSE;
    case 'n': return TS_J_NULL;
    case '\0':
        if (j->p == j->end) return TS_J_END;
        return TS_J_ERROR;
    default:
        if (*j->p == '-' || (*j->p >= '0' && *j->p <= '9')) return TS_J_NUMBER;
        return TS_J_ERROR;
    }
}

int ts_json_string(ts_json *j, ts_str *out)
{
    if (ts_json_peek(j) != TS_J_STRING) return ts__fail(j, j->p, "expected a string");
    return ts__string(j, out);
}

int ts_json_number(ts_json *j, double *out)
{
    int64_t iv;
    int isint;
    if (ts_json_peek(j) != TS_J_NUMBER) return ts__fail(j, j->p, "expected a number");
    return ts__number(j, out, &iv, &isint);
}

int ts_json_skip(ts_json *j)
{
    if (j->why) return -1;
    return ts__skip(j);
}

int ts_json_obj_begin(ts_json *j)
{
    if (ts_json_peek(j) != TS_J_OBJECT) return ts__fail(j, j->p, "expected an object");
    j->p++;
    j->first = 1;
    return 0;
}

int ts_json_obj_next(ts_json *j, ts_str *key)
{
    char *p;
    int first = j->first;
    if (j->why) return -1;
    j->first = 0;
    p = ts__ws(j->p);
    if (*p == '}') {
        j->p = p + 1;
        return 0;
    }
    if (!first) {
        if (*p != ',') return ts__fail(j, p, "expected ',' or '}'");
        p = ts__ws(p + 1);
    }
    if (*p != '"') return ts__fail(j, p, "expected a string key");
    j->p = p;
    if (ts__string(j, key) != 0) return -1;
    p = ts__ws(j->p);
    if (*p != ':') return ts__fail(j, p, "expected ':'");
    j->p = p + 1;
    return 1;
}

int ts_json_arr_begin(ts_json *j)
{
    if (ts_json_peek(j) != TS_J_ARRAY) return ts__fail(j, j->p, "expected an array");
    j->p++;
    j->first = 1;
    return 0;
}

int ts_json_arr_next(ts_json *j)
{
    char *p;
    int first = j->first;
    if (j->why) return -1;
    j->first = 0;
    p = ts__ws(j->p);
    if (*p == ']') {
        j->p = p + 1;
        return 0;
    }
    if (!first) {
        if (*p != ',') return ts__fail(j, p, "expected ',' or ']'");
        p = ts__ws(p + 1);
    }
    j->p = p;
    return 1;
}

int ts_json_finish(ts_json *j)
{
    if (j->why) return -1;
    j->p = ts__ws(j->p);
    if (j->p != j->end) return ts__fail(j, j->p, "trailing data after the JSON value");
    return 0;
}

/* ---- records --------------------------------------------------------------- */

enum {
    K_TS, K_LVL, K_MSG, K_TRACE, K_SPAN, K_PARENT, K_LABEL, K_MS, K_START, K_PID, K_TID,
    K_THREAD, K_CPU, K_TRUNC, K_COUNT, K_TOTAL, K_MIN, K_MAX, K_P50, K_P90, K_P99, K_NKEYS
};
enum { F_NONE, F_STR, F_NUM, F_NULL, F_TRUE, F_FALSE, F_OTHER };

typedef struct ts__field {
    unsigned char type;
    unsigned char isint;
    ts_str s;
    double d;
    int64_t i;
} ts__field;

static int ts__key_id(const char *k, size_t n)
{
#define TS__K(lit, id) if (memcmp(k, lit, n) == 0) return id
    switch (n) {
    case 2:
        TS__K("ts", K_TS);
        TS__K("ms", K_MS);
        break;
    case 3:
        TS__K("lvl", K_LVL);
        TS__K("msg", K_MSG);
        TS__K("pid", K_PID);
        TS__K("tid", K_TID);
        break;
    case 4:
        TS__K("span", K_SPAN);
        break;
    case 5:
        TS__K("trace", K_TRACE);
        TS__K("label", K_LABEL);
        TS__K("count", K_COUNT);
        break;
    case 6:
        if (k[0] == 'p') {
            TS__K("parent", K_PARENT);
            TS__K("p50_ms", K_P50);
            TS__K("p90_ms", K_P90);
            TS__K("p99_ms", K_P99);
        } else {
            TS__K("thread", K_THREAD);
            TS__K("cpu_ms", K_CPU);
            TS__K("min_ms", K_MIN);
            TS__K("max_ms", K_MAX);
        }
        break;
    case 8:
        TS__K("start_us", K_START);
        TS__K("total_ms", K_TOTAL);
        break;
    case 9:
        TS__K("truncated", K_TRUNC);
        break;
    default:
        break;
    }
#undef TS__K
    return -1;
}

static int ts__hexid(const ts_str *s, size_t digits, uint64_t *hi, uint64_t *lo)
{
    uint64_t a = 0, b = 0;
    if (s->n != digits) return -1;
    for (size_t i = 0; i < digits; i++) {
        int h = ts__hexval((unsigned char)s->p[i]);
        if (h < 0) return -1;
        if (digits == 32 && i < 16)
            a = (a << 4) | (uint64_t)h;
        else
            b = (b << 4) | (uint64_t)h;
    }
    if (hi) *hi = a;
    *lo = b;
    return 0;
}

static ts_level ts__level(const ts_str *s)
{
    switch (s->n) {
    case 4:
        if (memcmp(s->p, "INFO", 4) == 0) return TS_LVL_INFO;
        break;
    case 5:
        if (memcmp(s->p, "DEBUG", 5) == 0) return TS_LVL_DEBUG;
        if (memcmp(s->p, "ERROR", 5) == 0) return TS_LVL_ERROR;
        break;
    case 7:
        if (memcmp(s->p, "WARNING", 7) == 0) return TS_LVL_WARNING;
        break;
    case 8:
        if (memcmp(s->p, "CRITICAL", 8) == 0) return TS_LVL_CRITICAL;
        break;
    default:
        break;
    }
    return TS_LVL_OTHER;
}

#define TS__BAD(why_, at_) do { *why = (why_); *col = (size_t)((at_) - line) + 1; return -1; } while (0)

/* A number field of a timing or summary record: finite; NaN when absent or null if optional. */
static int ts__numfield(const ts__field *f, int required, double *out)
{
    if (f->type == F_NONE || f->type == F_NULL) {
        *out = NAN;
        return required ? -1 : 0;
    }
    if (f->type != F_NUM || !isfinite(f->d)) return -2;
    *out = f->d;
    return 0;
}

int ts_parse_line(char *line, size_t len, ts_record *rec, const char **why, size_t *col)
{
    ts__field f[K_NKEYS];
    ts_json j;
    char *p;
    char *obj_start;
    for (int i = 0; i < K_NKEYS; i++) f[i].type = F_NONE;
    ts_json_init(&j, line, len);
    p = ts__ws(line);
    if (p == j.end) return 0;
    if (*p != '{') TS__BAD("not a JSON object", p);
    obj_start = p;
    p = ts__ws(p + 1);
    if (*p != '}') {
        for (;;) {
            ts_str key;
            int id;
            if (*p != '"') TS__BAD(p == j.end ? "unexpected end of line" : "expected a string key", p);
            j.p = p;
            if (ts__string(&j, &key) != 0) TS__BAD(j.why, j.err_at);
            p = ts__ws(j.p);
            if (*p != ':') TS__BAD("expected ':'", p);
            p = ts__ws(p + 1);
            j.p = p;
            id = ts__key_id(key.p, key.n);
            if (id >= 0 && f[id].type == F_NONE) {
                ts__field *fd = &f[id];
                switch (*p) {
                case '"':
                    if (ts__string(&j, &fd->s) != 0) TS__BAD(j.why, j.err_at);
                    fd->type = F_STR;
                    break;
                case 'n':
                    if (ts__literal(&j, "null", 4) != 0) TS__BAD(j.why, j.err_at);
                    fd->type = F_NULL;
                    break;
                case 't':
                    if (ts__literal(&j, "true", 4) != 0) TS__BAD(j.why, j.err_at);
                    fd->type = F_TRUE;
                    break;
                case 'f':
                    if (ts__literal(&j, "false", 5) != 0) TS__BAD(j.why, j.err_at);
                    fd->type = F_FALSE;
                    break;
                default:
                    if (*p == '-' || (*p >= '0' && *p <= '9')) {
                        int isint;
                        if (ts__number(&j, &fd->d, &fd->i, &isint) != 0) TS__BAD(j.why, j.err_at);
                        fd->isint = (unsigned char)isint;
                        fd->type = F_NUM;
                    } else {
                        if (ts__skip(&j) != 0) TS__BAD(j.why, j.err_at);
                        fd->type = F_OTHER;
                    }
                    break;
                }
            } else {
                if (ts__skip(&j) != 0) TS__BAD(j.why, j.err_at);
            }
            p = ts__ws(j.p);
            if (*p == ',') {
                p = ts__ws(p + 1);
                continue;
            }
            if (*p == '}') break;
            TS__BAD(p == j.end ? "unexpected end of line" : "expected ',' or '}'", p);
        }
    }
    p = ts__ws(p + 1);
    if (p != j.end) TS__BAD("trailing data after the JSON object", p);

    /* ---- the record ---- */
    memset(rec, 0, sizeof *rec);
    rec->kind = TS_REC_OTHER;
    if (f[K_MSG].type != F_STR) TS__BAD(f[K_MSG].type == F_NONE ? "missing field \"msg\"" : "\"msg\" is not a string", obj_start);
    rec->msg = f[K_MSG].s;
    if (f[K_LVL].type != F_STR) TS__BAD(f[K_LVL].type == F_NONE ? "missing field \"lvl\"" : "\"lvl\" is not a string", obj_start);
    rec->level = ts__level(&f[K_LVL].s);
    if (f[K_TS].type == F_STR) {
        rec->ts = f[K_TS].s;
        rec->has |= TS_HAS_TS;
    } else if (f[K_TS].type != F_NONE) {
        TS__BAD("\"ts\" is not a string", obj_start);
    }
    if (f[K_TRUNC].type == F_TRUE) rec->has |= TS_HAS_TRUNC;
    if (f[K_TRACE].type == F_STR && ts__hexid(&f[K_TRACE].s, 32, &rec->trace_hi, &rec->trace_lo) == 0)
        rec->has |= TS_HAS_TRACE;
    if (f[K_PID].type == F_NUM && f[K_PID].isint) {
        rec->pid = f[K_PID].i;
        rec->has |= TS_HAS_PID;
    }
    if (f[K_TID].type == F_NUM && f[K_TID].isint) {
        rec->tid = f[K_TID].i;
        rec->has |= TS_HAS_TID;
    }
    if (f[K_THREAD].type == F_STR) {
        rec->thread = f[K_THREAD].s;
        rec->has |= TS_HAS_THREAD;
    }

    if (rec->msg.n == 6 && memcmp(rec->msg.p, "timing", 6) == 0) {
        rec->kind = TS_REC_TIMING;
        if (f[K_LABEL].type != F_STR) TS__BAD(f[K_LABEL].type == F_NONE ? "timing record without \"label\"" : "\"label\" is not a string", obj_start);
        if (f[K_LABEL].s.n == 0) TS__BAD("empty \"label\"", obj_start);
        rec->label = f[K_LABEL].s;
        if (f[K_MS].type != F_NUM) TS__BAD(f[K_MS].type == F_NONE ? "timing record without \"ms\"" : "\"ms\" is not a number", obj_start);
        if (!isfinite(f[K_MS].d) || f[K_MS].d < 0) TS__BAD("\"ms\" out of range", obj_start);
        rec->ms = f[K_MS].d;
        if (f[K_TRACE].type != F_NONE && f[K_TRACE].type != F_NULL && !(rec->has & TS_HAS_TRACE))
            TS__BAD("\"trace\" is not 32 hex digits", obj_start);
        if (f[K_SPAN].type == F_STR) {
            if (ts__hexid(&f[K_SPAN].s, 16, NULL, &rec->span) != 0) TS__BAD("\"span\" is not 16 hex digits", obj_start);
            rec->has |= TS_HAS_SPAN;
        } else if (f[K_SPAN].type != F_NONE && f[K_SPAN].type != F_NULL) {
            TS__BAD("\"span\" is not a string", obj_start);
        }
        if (f[K_PARENT].type == F_STR) {
            if (ts__hexid(&f[K_PARENT].s, 16, NULL, &rec->parent) != 0) TS__BAD("\"parent\" is not 16 hex digits", obj_start);
            rec->has |= TS_HAS_PARENT;
        } else if (f[K_PARENT].type != F_NONE && f[K_PARENT].type != F_NULL) {
            TS__BAD("\"parent\" is not a string or null", obj_start);
        }
        if (f[K_START].type == F_NUM && f[K_START].isint) {
            rec->start_us = f[K_START].i;
            rec->has |= TS_HAS_START;
        } else if (f[K_START].type != F_NONE && f[K_START].type != F_NULL) {
            TS__BAD("\"start_us\" is not an integer", obj_start);
        }
        if ((f[K_PID].type != F_NONE && !(rec->has & TS_HAS_PID)) || (f[K_TID].type != F_NONE && !(rec->has & TS_HAS_TID)))
            TS__BAD("\"pid\"/\"tid\" is not an integer", obj_start);
        if (f[K_THREAD].type != F_NONE && f[K_THREAD].type != F_NULL && !(rec->has & TS_HAS_THREAD))
            TS__BAD("\"thread\" is not a string", obj_start);
        if (f[K_CPU].type == F_NUM) {
            if (!isfinite(f[K_CPU].d) || f[K_CPU].d < 0) TS__BAD("\"cpu_ms\" out of range", obj_start);
            rec->cpu_ms = f[K_CPU].d;
            rec->has |= TS_HAS_CPU;
        } else if (f[K_CPU].type != F_NONE && f[K_CPU].type != F_NULL) {
            TS__BAD("\"cpu_ms\" is not a number", obj_start);
        }
    } else if (rec->msg.n == 14 && memcmp(rec->msg.p, "timing_summary", 14) == 0) {
        static const int opt[5] = { K_MIN, K_MAX, K_P50, K_P90, K_P99 };
        double *dst[5];
        rec->kind = TS_REC_SUMMARY;
        if (f[K_LABEL].type != F_STR) TS__BAD(f[K_LABEL].type == F_NONE ? "summary record without \"label\"" : "\"label\" is not a string", obj_start);
        if (f[K_LABEL].s.n == 0) TS__BAD("empty \"label\"", obj_start);
        rec->label = f[K_LABEL].s;
        if (f[K_COUNT].type != F_NUM || !f[K_COUNT].isint || f[K_COUNT].i < 0)
            TS__BAD(f[K_COUNT].type == F_NONE ? "summary record without \"count\"" : "\"count\" is not a non-negative integer", obj_start);
        rec->count = (double)f[K_COUNT].i;
        switch (ts__numfield(&f[K_TOTAL], 1, &rec->total_ms)) {
        case -1: TS__BAD("summary record without \"total_ms\"", obj_start);
        case -2: TS__BAD("\"total_ms\" is not a number", obj_start);
        default: break;
        }
        if (rec->total_ms < 0) TS__BAD("\"total_ms\" out of range", obj_start);
        dst[0] = &rec->min_ms;
        dst[1] = &rec->max_ms;
        dst[2] = &rec->p50_ms;
        dst[3] = &rec->p90_ms;
        dst[4] = &rec->p99_ms;
        for (int i = 0; i < 5; i++)
            if (ts__numfield(&f[opt[i]], 0, dst[i]) != 0) TS__BAD("summary field is not a number", obj_start);
    }
    return 1;
}

/* ---- the streaming reader ------------------------------------------------- */

struct ts_reader {
    char *buf;
    size_t cap, pos, end;
    int fd, own_fd, eof, skipping, open;
    const unsigned char *mem;
    size_t mem_n, mem_off;
    uint64_t line, bytes;
    char name[256];
};

ts_reader *ts_reader_new(void)
{
    ts_reader *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->cap = 2 * TS_MAX_LINE + 1;
    r->buf = malloc(r->cap);
    if (!r->buf) {
        free(r);
        return NULL;
    }
    r->fd = -1;
    return r;
}

void ts_reader_free(ts_reader *r)
{
    if (!r) return;
    ts_reader_close(r);
    free(r->buf);
    free(r);
}

static void ts__reset(ts_reader *r, const char *name)
{
    r->pos = r->end = 0;
    r->eof = r->skipping = 0;
    r->line = r->bytes = 0;
    r->mem = NULL;
    r->mem_n = r->mem_off = 0;
    r->open = 1;
    snprintf(r->name, sizeof r->name, "%s", name);
}

int ts_reader_open(ts_reader *r, const char *path)
{
    int fd;
    ts_reader_close(r);
    if (strcmp(path, "-") == 0) {
        ts__reset(r, "<stdin>");
        r->fd = 0;
        r->own_fd = 0;
        return 0;
    }
    fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    ts__reset(r, path);
    r->fd = fd;
    r->own_fd = 1;
    return 0;
}

void ts_reader_open_mem(ts_reader *r, const void *data, size_t n, const char *name)
{
    ts_reader_close(r);
    ts__reset(r, name);
    r->mem = data;
    r->mem_n = n;
    r->fd = -1;
}

void ts_reader_close(ts_reader *r)
{
    if (r->own_fd && r->fd >= 0) close(r->fd);
    r->fd = -1;
    r->own_fd = 0;
    r->open = 0;
}

uint64_t ts_reader_line(const ts_reader *r) { return r->line; }
uint64_t ts_reader_bytes(const ts_reader *r) { return r->bytes; }

void ts_errs_add(ts_errs *e, const char *file, uint64_t line, const char *why)
{
    if (!e) return;
    if (e->nkept < TS_ERRS_KEEP) {
        snprintf(e->kept[e->nkept].file, sizeof e->kept[e->nkept].file, "%s", file);
        e->kept[e->nkept].line = line;
        snprintf(e->kept[e->nkept].why, sizeof e->kept[e->nkept].why, "%s", why);
        e->nkept++;
    }
    e->count++;
}

/* Fill the buffer after its live bytes. Returns bytes added, 0 at end, -1 error. */
static long ts__fill(ts_reader *r)
{
    size_t room;
    if (r->pos > 0) {
        memmove(r->buf, r->buf + r->pos, r->end - r->pos);
        r->end -= r->pos;
        r->pos = 0;
    }
    room = r->cap - 1 - r->end;
    if (room == 0) return 0;
    if (r->mem) {
        size_t n = r->mem_n - r->mem_off;
        if (n > room) n = room;
        memcpy(r->buf + r->end, r->mem + r->mem_off, n);
        r->mem_off += n;
        r->end += n;
        return (long)n;
    }
    if (r->fd < 0) return 0;
    for (;;) {
        ssize_t n = read(r->fd, r->buf + r->end, room);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -1;
        r->end += (size_t)n;
        return (long)n;
    }
}

static void ts__bad_line(ts_reader *r, ts_errs *errs, const char *why, size_t col)
{
    char msg[128];
    if (col > 0)
        snprintf(msg, sizeof msg, "column %zu: %s", col, why);
    else
        snprintf(msg, sizeof msg, "%s", why);
    ts_errs_add(errs, r->name, r->line, msg);
}

int ts_reader_next(ts_reader *r, ts_record *rec, ts_errs *errs)
{
    if (!r->open) return 0;
    for (;;) {
        char *nl;
        size_t len;
        char *line;
        int rc;
        const char *why = NULL;
        size_t col = 0;
        if (r->pos < r->end) {
            nl = memchr(r->buf + r->pos, '\n', r->end - r->pos);
        } else {
            nl = NULL;
        }
        if (r->skipping) {
            /* inside a line that was already reported as too long */
            if (nl) {
                r->bytes += (size_t)(nl - (r->buf + r->pos)) + 1;
                r->pos = (size_t)(nl - r->buf) + 1;
                r->skipping = 0;
                continue;
            }
            r->bytes += r->end - r->pos;
            r->pos = r->end;
            if (r->eof) return 0;
        } else if (nl) {
            line = r->buf + r->pos;
            len = (size_t)(nl - line);
            r->pos += len + 1;
            r->bytes += len + 1;
            r->line++;
            if (len >= TS_MAX_LINE) {
                ts__bad_line(r, errs, "line of 1 MiB or longer", 0);
                continue;
            }
            rc = ts_parse_line(line, len, rec, &why, &col);
            if (rc > 0) return 1;
            if (rc < 0) ts__bad_line(r, errs, why, col);
            continue;
        } else if (r->end - r->pos >= TS_MAX_LINE) {
            r->line++;
            ts__bad_line(r, errs, "line of 1 MiB or longer", 0);
            r->skipping = 1;
            continue;
        } else if (r->eof) {
            if (r->pos == r->end) return 0;
            line = r->buf + r->pos;
            len = r->end - r->pos;
            r->pos = r->end;
            r->bytes += len;
            r->line++;
            rc = ts_parse_line(line, len, rec, &why, &col);
            if (rc > 0) return 1;
            if (rc < 0) ts__bad_line(r, errs, why, col);
            continue;
        }
        /* need more input */
        {
            long n = ts__fill(r);
            if (n < 0) return -1;
            if (n == 0) r->eof = 1;
        }
    }
}

/* ---- small helpers ------------------------------------------------------- */

void ts_fmt_span(char out[17], uint64_t span)
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 15; i >= 0; i--) {
        out[i] = hex[span & 15u];
        span >>= 4;
    }
    out[16] = '\0';
}

void ts_fmt_trace(char out[33], uint64_t hi, uint64_t lo)
{
    ts_fmt_span(out, hi);
    ts_fmt_span(out + 16, lo);
}

static int ts__digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t ts__days(int y, int m, int d)
{
    int64_t yy = y - (m <= 2);
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    int64_t yoe = yy - era * 400;
    int64_t mp = (m + 9) % 12;
    int64_t doy = (153 * mp + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int ts_rfc3339_us(const char *s, size_t n, int64_t *out)
{
    int y, mo, d, h, mi, se;
    int64_t frac = 0, off = 0;
    size_t i = 19;
    if (n < 20) return -1;
    if (ts__digits(s, 4, &y) || s[4] != '-' || ts__digits(s + 5, 2, &mo) || s[7] != '-' ||
        ts__digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
        ts__digits(s + 11, 2, &h) || s[13] != ':' || ts__digits(s + 14, 2, &mi) || s[16] != ':' ||
        ts__digits(s + 17, 2, &se))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return -1;
    if (s[i] == '.') {
        int nd = 0;
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9') {
            if (nd < 6) {
                frac = frac * 10 + (s[i] - '0');
                nd++;
            }
            i++;
        }
        if (nd == 0) return -1;
        while (nd < 6) {
            frac *= 10;
            nd++;
        }
    }
    if (i >= n) return -1;
    if (s[i] == 'Z' || s[i] == 'z') {
        i++;
    } else if (s[i] == '+' || s[i] == '-') {
        int oh, om;
        if (n - i < 6 || ts__digits(s + i + 1, 2, &oh) || s[i + 3] != ':' || ts__digits(s + i + 4, 2, &om)) return -1;
        off = (int64_t)(oh * 60 + om) * 60;
        if (s[i] == '-') off = -off;
        i += 6;
    } else {
        return -1;
    }
    if (i != n) return -1;
    *out = ((ts__days(y, mo, d) * 86400 + h * 3600 + mi * 60 + se) - off) * 1000000 + frac;
    return 0;
}
