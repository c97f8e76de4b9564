/* Streaming JSON emitter; see json_writer.h for the contract. */
#include "json_writer.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void fail(json_writer *w, int err)
{
    if (!w->error)
        w->error = err;
}

static void put(json_writer *w, const char *s, size_t n)
{
    if (w->error || n == 0)
        return;
    int err = w->write(w->user, s, n);
    if (err) {
        fail(w, JW_EWRITE);
        w->write_errno = err;
    }
}

static void puts_(json_writer *w, const char *s) { put(w, s, strlen(s)); }

static int level_inline(const json_writer *w, int level)
{
    return w->inline_from != 0 && level >= w->inline_from;
}

static void newline_indent(json_writer *w, int level)
{
    static const char spaces[] = "                                                                ";
    put(w, "\n", 1);
    size_t n = (size_t)level * 2;
    while (n > 0) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        put(w, spaces, k);
        n -= k;
    }
}

/* Comma and line break before a member of the innermost container. */
static void member_separator(json_writer *w)
{
    int top = w->depth - 1;
    if (w->count_nonzero[top])
        put(w, ",", 1);
    if (level_inline(w, w->depth)) {
        if (w->count_nonzero[top])
            put(w, " ", 1);
    } else {
        newline_indent(w, w->depth);
    }
    w->count_nonzero[top] = 1;
}

/* Checks and separators before any value; 0 if the value must not be written. */
static int before_value(json_writer *w)
{
    if (w->error)
        return 0;
    if (w->depth == 0) {
        if (w->done) {
            fail(w, JW_EUSAGE);
            return 0;
        }
        return 1;
    }
    if (w->is_object[w->depth - 1]) {
        if (!w->expect_value) {
            fail(w, JW_EUSAGE);
            return 0;
        }
        w->expect_value = 0;
        return 1;
    }
    member_separator(w);
    return 1;
}

static void after_value(json_writer *w)
{
    if (w->depth == 0)
        w->done = 1;
}

void jw_init_write(json_writer *w, jw_write_fn write, void *user)
{
    memset(w, 0, sizeof *w);
    w->write = write;
    w->user = user;
}

static void begin(json_writer *w, int is_object, jw_layout layout)
{
    if (!before_value(w))
        return;
    if (w->depth >= JW_MAX_DEPTH) {
        fail(w, JW_EUSAGE);
        return;
    }
    put(w, is_object ? "{" : "[", 1);
    w->is_object[w->depth] = (unsigned char)is_object;
    w->count_nonzero[w->depth] = 0;
    w->depth++;
    if (layout == JW_INLINE && w->inline_from == 0)
        w->inline_from = (unsigned char)w->depth;
}

static void end(json_writer *w, int is_object)
{
    if (w->error)
        return;
    if (w->depth == 0 || w->is_object[w->depth - 1] != is_object || w->expect_value) {
        fail(w, JW_EUSAGE);
        return;
    }
    int was_inline = level_inline(w, w->depth);
    if (w->count_nonzero[w->depth - 1] && !was_inline)
        newline_indent(w, w->depth - 1);
    put(w, is_object ? "}" : "]", 1);
    if (w->inline_from == w->depth)
        w->inline_from = 0;
    w->depth--;
    after_value(w);
}

void jw_begin_object(json_writer *w, jw_layout layout) { begin(w, 1, layout); }
void jw_end_object(json_writer *w) { end(w, 1); }
void jw_begin_array(json_writer *w, jw_layout layout) { begin(w, 0, layout); }
void jw_end_array(json_writer *w) { end(w, 0); }

static void escaped(json_writer *w, const unsigned char *s, size_t n)
{
    put(w, "\"", 1);
    size_t run = 0; /* start of the pending run of bytes that need no escape */
    size_t i = 0;
    while (i < n && !w->error) {
        unsigned char c = s[i];
        const char *esc = NULL;
        char ubuf[8];
        size_t bad = 0, len = 1;
        if (c == '"')
            esc = "\\\"";
        else if (c == '\\')
            esc = "\\\\";
        else if (c == '\n')
            esc = "\\n";
        else if (c == '\r')
            esc = "\\r";
        else if (c == '\t')
            esc = "\\t";
        else if (c == '\b')
            esc = "\\b";
        else if (c == '\f')
            esc = "\\f";
        else if (c < 0x20) {
            snprintf(ubuf, sizeof ubuf, "\\u%04x", c);
            esc = ubuf;
        } else if (c >= 0x80) {
            len = jw_utf8_sequence(s + i, n - i, &bad);
            if (len == 0) {
                esc = "\xEF\xBF\xBD"; /* U+FFFD REPLACEMENT CHARACTER */
                len = bad;
            }
        }
        if (esc) {
            put(w, (const char *)s + run, i - run);
            puts_(w, esc);
            i += len;
            run = i;
        } else {
            i += len;
        }
    }
    put(w, (const char *)s + run, n - run);
    put(w, "\"", 1);
}

void jw_key(json_writer *w, const char *key)
{
    if (w->error)
        return;
    if (w->depth == 0 || !w->is_object[w->depth - 1] || w->expect_value || !key) {
        fail(w, JW_EUSAGE);
        return;
    }
    member_separator(w);
    escaped(w, (const unsigned char *)key, strlen(key));
    put(w, ": ", 2);
    w->expect_value = 1;
}

void jw_string_n(json_writer *w, const char *s, size_t len)
{
    if (!before_value(w))
        return;
    if (s)
        escaped(w, (const unsigned char *)s, len);
    else
        puts_(w, "null");
    after_value(w);
}

void jw_string(json_writer *w, const char *s) { jw_string_n(w, s, s ? strlen(s) : 0); }

static void literal(json_writer *w, const char *text)
{
    if (!before_value(w))
        return;
    puts_(w, text);
    after_value(w);
}

void jw_null(json_writer *w) { literal(w, "null"); }
void jw_bool(json_writer *w, int value) { literal(w, value ? "true" : "false"); }

void jw_int(json_writer *w, int64_t value)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%" PRId64, value);
    literal(w, buf);
}

/* "-0.000" is valid JSON but reads as a glitch in a report. */
static const char *without_negative_zero(const char *buf)
{
    if (buf[0] != '-')
        return buf;
    for (const char *p = buf + 1; *p; p++)
        if (*p != '0' && *p != '.')
            return buf;
    return buf + 1;
}

void jw_fixed(json_writer *w, double value, int decimals)
{
    if (!isfinite(value)) {
        jw_null(w);
        return;
    }
    if (decimals < 0)
        decimals = 0;
    if (decimals > 17)
        decimals = 17;
    /* Up to 309 integer digits for DBL_MAX, plus the decimals. */
    char buf[352];
    snprintf(buf, sizeof buf, "%.*f", decimals, value);
    literal(w, without_negative_zero(buf));
}

void jw_real(json_writer *w, double value)
{
    if (!isfinite(value)) {
        jw_null(w);
        return;
    }
    char buf[40];
    /* The fewest digits that read back as the same double. */
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, sizeof buf, "%.*g", digits, value);
        if (strtod(buf, NULL) == value)
            break;
    }
    literal(w, value == 0 ? "0" : buf);
}

void jw_key_string(json_writer *w, const char *key, const char *s)
{
    jw_key(w, key);
    jw_string(w, s);
}

void jw_key_int(json_writer *w, const char *key, int64_t value)
{
    jw_key(w, key);
    jw_int(w, value);
}

void jw_key_fixed(json_writer *w, const char *key, double value, int decimals)
{
    jw_key(w, key);
    jw_fixed(w, value, decimals);
}

void jw_key_null(json_writer *w, const char *key)
{
    jw_key(w, key);
    jw_null(w);
}

int jw_finish(json_writer *w)
{
    if (!w->error && (w->depth != 0 || !w->done))
        fail(w, JW_EUSAGE);
    put(w, "\n", 1);
    return w->error;
}

size_t jw_utf8_sequence(const unsigned char *s, size_t n, size_t *bad_len)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xBF;
    size_t need;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
    } else if (c == 0xE0) {
        need = 2;
        lo = 0xA0;
    } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
        need = 2;
    } else if (c == 0xED) {
        need = 2;
        hi = 0x9F;
    } else if (c == 0xF0) {
        need = 3;
        lo = 0x90;
    } else if (c >= 0xF1 && c <= 0xF3) {
        need = 3;
    } else if (c == 0xF4) {
        need = 3;
        hi = 0x8F;
    } else {
        *bad_len = 1;
        return 0;
    }
    for (size_t k = 1; k <= need; k++) {
        if (k >= n || s[k] < lo || s[k] > hi) {
            *bad_len = k;
            return 0;
        }
        lo = 0x80;
        hi = 0xBF;
    }
    return need + 1;
}
