/* RFC 4180 CSV; see csv_writer.h. */
#include "cli/csv_writer.h"

#include "cli/cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void csv_init(csv_writer *c, FILE *fp)
{
    c->fp = fp;
    c->fields = 0;
}

static void separator(csv_writer *c)
{
    if (c->fields++ > 0)
        fputc(',', c->fp);
}

/* What starts a formula in a spreadsheet. */
static int formula_start(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/* A number as the tool writes one: -?[0-9]+(.[0-9]+)? */
static int plain_number(const char *s)
{
    if (*s == '-')
        s++;
    size_t digits = strspn(s, "0123456789");
    if (digits == 0)
        return 0;
    s += digits;
    if (*s == '.') {
        digits = strspn(++s, "0123456789");
        if (digits == 0)
            return 0;
        s += digits;
    }
    return *s == '\0';
}

int csv_needs_quote_mark(const char *text)
{
    size_t marks = strspn(text, "'");
    return formula_start(text[marks]) && !(marks == 0 && plain_number(text));
}

void csv_text(csv_writer *c, const char *raw)
{
    separator(c);
    /* Valid UTF-8 as the other outputs (cli.h); most text is ASCII. */
    char *clean = NULL;
    for (const unsigned char *p = (const unsigned char *)raw; *p && !clean; p++)
        if (*p >= 0x80)
            clean = cli_utf8_clean(raw);
    const char *text = clean ? clean : raw;
    size_t n = strlen(text);
    int quote = strpbrk(text, ",\"\r\n") != NULL || (n > 0 && (text[0] == ' ' || text[n - 1] == ' '));
    if (quote)
        fputc('"', c->fp);
    if (csv_needs_quote_mark(text))
        fputc('\'', c->fp);
    if (!quote) {
        fputs(text, c->fp);
    } else {
        for (const char *s = text; *s; s++) {
            if (*s == '"')
                fputc('"', c->fp);
            fputc(*s, c->fp);
        }
        fputc('"', c->fp);
    }
    free(clean);
}

void csv_number(csv_writer *c, double value, int decimals)
{
    separator(c);
    if (isfinite(value))
        fprintf(c->fp, "%.*f", decimals, value);
}

void csv_int(csv_writer *c, long long value)
{
    separator(c);
    fprintf(c->fp, "%lld", value);
}

void csv_end_row(csv_writer *c)
{
    fputs("\r\n", c->fp);
    c->fields = 0;
}
