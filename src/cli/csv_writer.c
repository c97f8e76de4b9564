/* RFC 4180 CSV; see csv_writer.h. */
#include "cli/csv_writer.h"

#include <math.h>
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

void csv_text(csv_writer *c, const char *text)
{
    separator(c);
    size_t n = strlen(text);
    int quote = strpbrk(text, ",\"\r\n") != NULL || (n > 0 && (text[0] == ' ' || text[n - 1] == ' '));
    if (!quote) {
        fputs(text, c->fp);
        return;
    }
    fputc('"', c->fp);
    for (const char *s = text; *s; s++) {
        if (*s == '"')
            fputc('"', c->fp);
        fputc(*s, c->fp);
    }
    fputc('"', c->fp);
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
