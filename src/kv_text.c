#include "kv_text.h"
#include "callscope/callscope.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Keys and values are short; a longer one is a malformed line. */
#define KV_FIELD_MAX 640

/* Copy [s, e) into buf without surrounding blanks; false if it does not fit. */
static int trimmed(const char *s, const char *e, char *buf, size_t cap)
{
    while (s < e && isspace((unsigned char)*s))
        s++;
    while (e > s && isspace((unsigned char)e[-1]))
        e--;
    size_t n = (size_t)(e - s);
    if (n >= cap)
        return 0;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return 1;
}

static int parse_line(const char *s, const char *e, kv_setting_fn fn, void *ctx)
{
    const char *hash = memchr(s, '#', (size_t)(e - s));
    if (hash)
        e = hash;
    const char *eq = memchr(s, '=', (size_t)(e - s));
    char key[KV_FIELD_MAX], value[KV_FIELD_MAX];
    if (!eq) {
        if (!trimmed(s, e, key, sizeof key))
            return CS_EPROFILE;
        return key[0] == '\0' ? CS_OK : CS_EPROFILE;
    }
    if (!trimmed(s, eq, key, sizeof key) || !trimmed(eq + 1, e, value, sizeof value))
        return CS_EPROFILE;
    return fn(ctx, key, value);
}

int kv_text_parse(const char *text, kv_setting_fn fn, void *ctx, int *line_out)
{
    int line = 1;
    for (const char *s = text; *s; line++) {
        const char *e = strchr(s, '\n');
        if (!e)
            e = s + strlen(s);
        int err = parse_line(s, e, fn, ctx);
        if (err < 0) {
            if (line_out)
                *line_out = line;
            return err;
        }
        s = *e ? e + 1 : e;
    }
    if (line_out)
        *line_out = 0;
    return CS_OK;
}

int kv_number(const char *text, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    while (isspace((unsigned char)*end))
        end++;
    if (end == text || *end != '\0' || errno == ERANGE || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}
