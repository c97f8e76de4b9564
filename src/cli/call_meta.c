/* A call's metadata fields; see call_meta.h. */
#include "cli/call_meta.h"

#include "cli/cli.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int needs_escape(unsigned char c)
{
    return c == '%' || c == '&' || c == '=' || c < 0x20 || c == 0x7f;
}

static size_t encoded_length(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += needs_escape(*p) ? 3 : 1;
    return n;
}

static char *encode_into(char *out, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (needs_escape(*p)) {
            *out++ = '%';
            *out++ = hex[*p >> 4];
            *out++ = hex[*p & 15];
        } else {
            *out++ = (char)*p;
        }
    }
    return out;
}

static int hex_value(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The n bytes at s decoded into a new string. */
static char *decode(const char *s, size_t n)
{
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        if (s[i] == '%' && i + 2 < n && (hi = hex_value(s[i + 1])) >= 0 && (lo = hex_value(s[i + 2])) >= 0) {
            out[len++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[len++] = s[i];
        }
    }
    out[len] = '\0';
    return out;
}

/* The field `name` in meta: its value's start and length, or NULL. */
static const char *find(const char *meta, const char *name, size_t *value_len)
{
    size_t n = strlen(name);
    for (const char *p = meta; p && *p;) {
        const char *end = strchr(p, '&');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > n && strncmp(p, name, n) == 0 && p[n] == '=') {
            *value_len = len - n - 1;
            return p + n + 1;
        }
        p = end ? end + 1 : NULL;
    }
    return NULL;
}

int call_meta_add(char **meta, const char *name, const char *value)
{
    size_t ignored;
    if (!value || !*value || !*name || find(*meta, name, &ignored))
        return 0;
    size_t old = *meta ? strlen(*meta) : 0;
    char *grown = realloc(*meta, old + (old > 0) + strlen(name) + 1 + encoded_length(value) + 1);
    if (!grown)
        return -1;
    char *p = grown + old;
    if (old > 0)
        *p++ = '&';
    p = encode_into(p, name);
    *p++ = '=';
    p = encode_into(p, value);
    *p = '\0';
    *meta = grown;
    return 0;
}

char *call_meta_get(const char *meta, const char *name)
{
    size_t len;
    const char *value = find(meta, name, &len);
    return value ? decode(value, len) : NULL;
}

int call_meta_next(const char **cursor, char *name, char **value)
{
    const char *p = *cursor;
    if (!p || !*p)
        return 0;
    const char *end = strchr(p, '&');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    const char *eq = memchr(p, '=', len);
    size_t name_len = eq ? (size_t)(eq - p) : len;
    if (name_len >= CALL_META_NAME_MAX)
        name_len = CALL_META_NAME_MAX - 1;
    memcpy(name, p, name_len);
    name[name_len] = '\0';
    *value = eq ? decode(eq + 1, len - (size_t)(eq + 1 - p)) : decode("", 0);
    *cursor = end ? end + 1 : p + len;
    return *value ? 1 : 0;
}

void call_meta_name(char *out, const char *text)
{
    while (*text == ' ')
        text++;
    size_t len = strlen(text);
    while (len > 0 && text[len - 1] == ' ')
        len--;
    if (len > CALL_META_NAME_MAX - 1)
        len = CALL_META_NAME_MAX - 1;
    /* out may be text: each byte is read before its place is written. */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        out[i] = isalnum(c) || c == '_' || c == '-' || c == '.' ? (char)tolower(c) : '_';
    }
    out[len] = '\0';
}

char *call_meta_date(const char *text)
{
    if (strlen(text) == 8 && strspn(text, "0123456789") == 8)
        return cli_strdupf("%.4s-%.2s-%.2s", text, text + 4, text + 6);
    return cli_strdupf("%s", text);
}

int call_meta_pairs(const char *meta, char ***pairs)
{
    /* One field per '&', and one more: the string never ends in '&'. */
    int count = meta && *meta ? 1 : 0;
    for (const char *p = meta ? strchr(meta, '&') : NULL; p; p = strchr(p + 1, '&'))
        count++;
    *pairs = calloc(2 * (size_t)count + 1, sizeof **pairs);
    if (!*pairs)
        return -1;
    const char *cursor = meta;
    char name[CALL_META_NAME_MAX], *value;
    for (int i = 0; i < count; i++) {
        char *name_copy = NULL;
        value = NULL;
        if (call_meta_next(&cursor, name, &value) > 0)
            name_copy = strdup(name);
        if (!name_copy) {
            free(value);
            call_meta_pairs_free(*pairs, i);
            *pairs = NULL;
            return -1;
        }
        (*pairs)[2 * i] = name_copy;
        (*pairs)[2 * i + 1] = value;
    }
    return count;
}

void call_meta_pairs_free(char **pairs, int count)
{
    for (int i = 0; pairs && i < 2 * count; i++)
        free(pairs[i]);
    free(pairs);
}

/* ---- name patterns ---------------------------------------------------------- */

#define PATTERN_MAX_FIELDS 16
#define PATTERN_MAX_LEN 256

typedef struct capture {
    const char *name; /* in the pattern, up to '}' */
    size_t name_len;
    const char *start; /* in the text */
    size_t len;
} capture;

/* A pattern and the text it is matched against, with the (pattern place,
 * text place) pairs known not to match, so no pair is tried twice and a
 * name that does not match costs pattern x text steps, not more. */
typedef struct matcher {
    const char *pattern, *text;
    size_t n;
    unsigned char *failed; /* a bit per pair */
    capture *caps;
} matcher;

static int match_from(matcher *m, size_t pi, size_t ti, int ci)
{
    const char *p = m->pattern + pi;
    size_t bit = pi * (m->n + 1) + ti;
    if (m->failed[bit / 8] & (1u << (bit % 8)))
        return 0;
    int ok = 0;
    if (!*p) {
        ok = ti == m->n;
    } else if (*p == '{' || *p == '*') {
        size_t after = *p == '*' ? pi + 1 : (size_t)(strchr(p, '}') + 1 - m->pattern);
        /* As little as it can: one character at least, none of them '/'. */
        for (size_t take = 1; !ok && ti + take <= m->n && m->text[ti + take - 1] != '/'; take++) {
            if (match_from(m, after, ti + take, ci + (*p == '{'))) {
                if (*p == '{') {
                    m->caps[ci].name = p + 1;
                    m->caps[ci].name_len = (size_t)(m->pattern + after - 1 - (p + 1));
                    m->caps[ci].start = m->text + ti;
                    m->caps[ci].len = take;
                }
                ok = 1;
            }
        }
    } else {
        ok = ti < m->n && *p == m->text[ti] && match_from(m, pi + 1, ti + 1, ci);
    }
    if (!ok)
        m->failed[bit / 8] |= (unsigned char)(1u << (bit % 8));
    return ok;
}

const char *call_meta_pattern_check(const char *pattern)
{
    int fields = 0;
    for (const char *p = pattern; *p; p++) {
        if (*p == '}')
            return "a '}' without its '{'";
        if (*p != '{')
            continue;
        const char *close = strchr(p, '}');
        if (!close)
            return "a '{' without its '}'";
        if (close == p + 1)
            return "an empty {}";
        for (const char *c = p + 1; c < close; c++)
            if (!(isalnum((unsigned char)*c) || *c == '_' || *c == '-' || *c == '.'))
                return "a field name other than letters, digits, '_', '-' and '.'";
        if (close - p - 1 >= CALL_META_NAME_MAX)
            return "a field name too long";
        if (++fields > PATTERN_MAX_FIELDS)
            return "more than 16 fields";
        p = close;
    }
    if (fields == 0)
        return "no {field} in it";
    if (strlen(pattern) > PATTERN_MAX_LEN)
        return "longer than 256 characters";
    return NULL;
}

int call_meta_from_name(const char *pattern, const char *path, char **meta)
{
    /* As many trailing parts of the path as the pattern has. */
    int parts = 1;
    for (const char *p = pattern; *p; p++)
        parts += *p == '/';
    const char *text = path + strlen(path);
    for (int k = 0; k < parts; k++) {
        while (text > path && text[-1] != '/')
            text--;
        if (k + 1 < parts) {
            if (text == path)
                return 0;
            text--;
        }
    }
    size_t n = strlen(text);
    if (!strchr(pattern, '.')) {
        const char *dot = strrchr(text, '.');
        if (dot && dot > text && !strchr(dot, '/'))
            n = (size_t)(dot - text);
    }
    capture caps[PATTERN_MAX_FIELDS];
    memset(caps, 0, sizeof caps);
    size_t pairs = (strlen(pattern) + 1) * (n + 1);
    matcher m = {pattern, text, n, calloc(pairs / 8 + 1, 1), caps};
    if (!m.failed)
        return -1;
    int matched = match_from(&m, 0, 0, 0);
    free(m.failed);
    if (!matched)
        return 0;
    for (int i = 0; i < PATTERN_MAX_FIELDS && caps[i].name; i++) {
        char name[CALL_META_NAME_MAX];
        memcpy(name, caps[i].name, caps[i].name_len);
        name[caps[i].name_len] = '\0';
        call_meta_name(name, name);
        char *value = cli_strdupf("%.*s", (int)caps[i].len, caps[i].start);
        if (strcmp(name, "date") == 0) {
            char *date = call_meta_date(value);
            free(value);
            value = date;
        }
        int rc = call_meta_add(meta, name, value);
        free(value);
        if (rc != 0)
            return -1;
    }
    return 1;
}

char *call_meta_pattern_names(const char *pattern)
{
    char *names = cli_strdupf("%s", pattern); /* never longer than the pattern */
    size_t len = 0;
    for (const char *p = strchr(pattern, '{'); p; p = strchr(p + 1, '{')) {
        const char *close = strchr(p, '}');
        char name[CALL_META_NAME_MAX];
        snprintf(name, sizeof name, "%.*s", (int)(close - p - 1), p + 1);
        call_meta_name(name, name);
        memcpy(names + len, name, strlen(name) + 1);
        len += strlen(name) + 1;
    }
    names[len] = '\0';
    return names;
}
