/* A JSON file read a token at a time; see json_reader.h. */
#include "cli/json_reader.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Longer numbers than this are not ones the tool writes. */
#define NUMBER_MAX_CHARS 64

void jr_init(json_reader *r, int fd, off_t at)
{
    r->fd = fd;
    r->base = at;
    r->len = r->at = 0;
    r->err = 0;
}

int jr_errno(const json_reader *r) { return r->err; }

static json_token malformed(json_reader *r)
{
    if (!r->err)
        r->err = EINVAL;
    return JT_ERROR;
}

/* malformed() for the functions that answer 0 or -1. */
static int refused(json_reader *r)
{
    malformed(r);
    return -1;
}

/* The next byte without taking it; -1 at the end or on an error. */
static int peek(json_reader *r)
{
    if (r->err)
        return -1;
    if (r->at == r->len) {
        r->base += (off_t)r->len;
        r->len = r->at = 0;
        ssize_t n;
        do
            n = pread(r->fd, r->buf, sizeof r->buf, r->base);
        while (n < 0 && errno == EINTR);
        if (n < 0) {
            r->err = errno ? errno : EIO;
            return -1;
        }
        r->len = (size_t)n;
        if (n == 0)
            return -1;
    }
    return r->buf[r->at];
}

static int take(json_reader *r)
{
    int c = peek(r);
    if (c >= 0)
        r->at++;
    return c;
}

static void skip_separators(json_reader *r)
{
    int c;
    while ((c = peek(r)) == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ':')
        r->at++;
}

off_t jr_offset(json_reader *r)
{
    skip_separators(r);
    return r->base + (off_t)r->at;
}

/* Append code point cp as UTF-8 if it fits (room for the NUL kept). */
static void put_code_point(char *text, size_t cap, size_t *len, unsigned long cp)
{
    unsigned char out[4];
    size_t n;
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        n = 1;
    } else if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | cp >> 6);
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | cp >> 12);
        out[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        out[0] = (unsigned char)(0xF0 | cp >> 18);
        out[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        out[3] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    /* Whole characters only, so a cut string is still valid UTF-8. */
    if (text && *len + n < cap) {
        memcpy(text + *len, out, n);
        *len += n;
    }
}

static long hex4(json_reader *r)
{
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int c = take(r);
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

static unsigned long escaped(json_reader *r)
{
    int c = take(r);
    switch (c) {
    case '"': case '\\': case '/': return (unsigned long)c;
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'u': {
        long hi = hex4(r);
        if (hi < 0)
            return ~0ul;
        if (hi < 0xD800 || hi > 0xDFFF)
            return (unsigned long)hi;
        /* A surrogate pair, or U+FFFD for half of one. */
        if (hi > 0xDBFF || peek(r) != '\\')
            return 0xFFFD;
        take(r);
        if (take(r) != 'u')
            return ~0ul;
        long lo = hex4(r);
        if (lo < 0)
            return ~0ul;
        if (lo < 0xDC00 || lo > 0xDFFF)
            return 0xFFFD;
        return 0x10000 + ((unsigned long)(hi - 0xD800) << 10) + (unsigned long)(lo - 0xDC00);
    }
    default: return ~0ul;
    }
}

/* The length of text[0..len) without a last character cut short. */
static size_t whole_characters(const char *text, size_t len)
{
    size_t start = len;
    while (start > 0 && ((unsigned char)text[start - 1] & 0xC0) == 0x80)
        start--;
    if (start == 0)
        return len;
    unsigned char lead = (unsigned char)text[start - 1];
    size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return start - 1 + want > len ? start - 1 : len;
}

static json_token read_string(json_reader *r, char *text, size_t cap)
{
    size_t len = 0;
    int c, cut = 0;
    while ((c = take(r)) != '"') {
        if (c < 0x20) /* the end of the file, or a raw control byte */
            return malformed(r);
        if (c == '\\') {
            unsigned long cp = escaped(r);
            if (cp == ~0ul)
                return malformed(r);
            put_code_point(text, cap, &len, cp);
        } else if (text && len + 1 < cap) {
            text[len++] = (char)c; /* the tool writes valid UTF-8 */
        } else {
            cut = 1;
        }
    }
    if (text && cap > 0)
        text[cut ? whole_characters(text, len) : len] = '\0';
    return JT_STRING;
}

static json_token read_number(json_reader *r, double *number)
{
    char digits[NUMBER_MAX_CHARS + 1];
    size_t n = 0;
    int c;
    while ((c = peek(r)) >= 0 && strchr("+-0123456789.eE", c)) {
        if (n == NUMBER_MAX_CHARS)
            return malformed(r);
        digits[n++] = (char)c;
        r->at++;
    }
    digits[n] = '\0';
    char *end;
    double v = strtod(digits, &end);
    if (n == 0 || *end || !isfinite(v))
        return malformed(r);
    if (number)
        *number = v;
    return JT_NUMBER;
}

static json_token read_word(json_reader *r, const char *word, json_token token)
{
    for (const char *w = word; *w; w++)
        if (take(r) != *w)
            return malformed(r);
    return token;
}

json_token jr_next(json_reader *r, char *text, size_t cap, double *number)
{
    skip_separators(r);
    if (r->err)
        return JT_ERROR;
    int c = peek(r);
    if (c < 0)
        return r->err ? JT_ERROR : JT_END;
    switch (c) {
    case '{': r->at++; return JT_BEGIN_OBJECT;
    case '}': r->at++; return JT_END_OBJECT;
    case '[': r->at++; return JT_BEGIN_ARRAY;
    case ']': r->at++; return JT_END_ARRAY;
    case '"': r->at++; return read_string(r, text, cap);
    case 't': return read_word(r, "true", JT_TRUE);
    case 'f': return read_word(r, "false", JT_FALSE);
    case 'n': return read_word(r, "null", JT_NULL);
    default:
        if (c == '-' || (c >= '0' && c <= '9'))
            return read_number(r, number);
        return malformed(r);
    }
}

/* Read on until `depth` open containers have closed. */
static int skip_to_depth_zero(json_reader *r, int depth)
{
    while (depth > 0) {
        json_token t = jr_next(r, NULL, 0, NULL);
        if (t == JT_ERROR || t == JT_END)
            return refused(r);
        if (t == JT_BEGIN_OBJECT || t == JT_BEGIN_ARRAY) {
            if (++depth > JR_MAX_DEPTH)
                return refused(r);
        } else if (t == JT_END_OBJECT || t == JT_END_ARRAY) {
            depth--;
        }
    }
    return 0;
}

int jr_skip(json_reader *r)
{
    json_token t = jr_next(r, NULL, 0, NULL);
    if (t == JT_BEGIN_OBJECT || t == JT_BEGIN_ARRAY)
        return skip_to_depth_zero(r, 1);
    if (t == JT_ERROR || t == JT_END || t == JT_END_OBJECT || t == JT_END_ARRAY)
        return refused(r);
    return 0;
}

int jr_key(json_reader *r, char *key, size_t cap)
{
    json_token t = jr_next(r, key, cap, NULL);
    if (t == JT_END_OBJECT)
        return 0;
    if (t != JT_STRING)
        return refused(r);
    return 1;
}

int jr_number(json_reader *r, double *value)
{
    *value = NAN;
    json_token t = jr_next(r, NULL, 0, value);
    if (t == JT_NUMBER || t == JT_NULL)
        return 0;
    *value = NAN;
    if (t == JT_BEGIN_OBJECT || t == JT_BEGIN_ARRAY)
        skip_to_depth_zero(r, 1);
    return -1;
}
