/* RFC 4180 CSV records; see csv_reader.h. */
#include "cli/csv_reader.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int put_char(csv_row *row, size_t *len, int c)
{
    if (*len + 1 >= row->text_cap) {
        if (row->text_cap >= (size_t)CSV_MAX_RECORD_BYTES) {
            errno = EINVAL;
            return -1;
        }
        size_t cap = row->text_cap ? row->text_cap * 2 : 256;
        char *t = realloc(row->text, cap);
        if (!t) {
            errno = ENOMEM;
            return -1;
        }
        row->text = t;
        row->text_cap = cap;
    }
    row->text[(*len)++] = (char)c;
    return 0;
}

static int start_field(csv_row *row, size_t at)
{
    if (row->count == row->field_cap) {
        int cap = row->field_cap ? row->field_cap * 2 : 32;
        size_t *s = realloc(row->start, (size_t)cap * sizeof *s);
        if (!s) {
            errno = ENOMEM;
            return -1;
        }
        row->start = s;
        row->field_cap = cap;
    }
    row->start[row->count++] = at;
    return 0;
}

int csv_read_row(FILE *fp, csv_row *row)
{
    row->count = 0;
    size_t len = 0;
    int c = getc(fp);
    if (c == EOF)
        return ferror(fp) ? -1 : 0;
    if (start_field(row, 0) != 0)
        return -1;
    int quoted = 0, was_quoted = 0;
    for (;; c = getc(fp)) {
        if (c == EOF) {
            if (ferror(fp))
                return -1;
            if (quoted) {
                errno = EINVAL; /* a quote never closed */
                return -1;
            }
            break;
        }
        if (quoted) {
            if (c != '"') {
                if (put_char(row, &len, c) != 0)
                    return -1;
                continue;
            }
            int next = getc(fp);
            if (next == '"') {
                if (put_char(row, &len, '"') != 0)
                    return -1;
                continue;
            }
            quoted = 0;
            was_quoted = 1;
            if (next == EOF)
                continue; /* the loop sees EOF again */
            c = next;
        }
        if (c == ',') {
            if (put_char(row, &len, '\0') != 0 || start_field(row, len) != 0)
                return -1;
            was_quoted = 0;
        } else if (c == '\n') {
            break;
        } else if (c == '\r') {
            int next = getc(fp);
            if (next != '\n' && next != EOF)
                ungetc(next, fp);
            break;
        } else if (c == '"' && !was_quoted && len == row->start[row->count - 1]) {
            quoted = 1;
        } else if (was_quoted || c == '"' || c == '\0') {
            errno = EINVAL; /* text after a closing quote, a stray quote, binary */
            return -1;
        } else if (put_char(row, &len, c) != 0) {
            return -1;
        }
    }
    return put_char(row, &len, '\0') == 0 ? 1 : -1;
}

const char *csv_field(const csv_row *row, int i)
{
    if (i < 0 || i >= row->count)
        return "";
    const char *text = row->text + row->start[i];
    size_t marks = strspn(text, "'");
    /* csv_writer.c's formula_start */
    return marks > 0 && text[marks] && strchr("=+-@\t\r", text[marks]) ? text + 1 : text;
}

int csv_find(const csv_row *row, const char *name)
{
    for (int i = 0; i < row->count; i++)
        if (strcmp(csv_field(row, i), name) == 0)
            return i;
    return -1;
}

void csv_row_free(csv_row *row)
{
    free(row->text);
    free(row->start);
    memset(row, 0, sizeof *row);
}
