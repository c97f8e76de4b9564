/*
 * RFC 4180 CSV: fields separated by commas, a field quoted when it holds a
 * comma, a quote, a line break or surrounding blanks, quotes doubled inside.
 * Rows end in CRLF as the RFC asks.
 *
 * Spreadsheets run a cell that starts with '=', '+', '-' or '@' (or a tab or
 * carriage return before one) as a formula, so a file name or an agent's
 * name could smuggle one in. Text that starts with one of those, after any
 * single quotes, gets one more single quote in front, which spreadsheets
 * read as "this is text"; a number as we write numbers (an optional '-',
 * digits, an optional '.' and digits) is left as it is, so -27.88 stays a
 * number. csv_reader.h takes the quote off again, so the tool reads back
 * exactly what it wrote.
 */
#ifndef CS_CLI_CSV_WRITER_H
#define CS_CLI_CSV_WRITER_H

#include <stdio.h>

typedef struct csv_writer {
    FILE *fp;
    int fields;   /* in the current row */
} csv_writer;

void csv_init(csv_writer *c, FILE *fp);
/* A text field, neutralised as above. */
void csv_text(csv_writer *c, const char *text);
/* 1 when text would get the quote: csv_text's rule, for other writers. */
int csv_needs_quote_mark(const char *text);
/* A number with `decimals` places; an empty field for NAN (no value). */
void csv_number(csv_writer *c, double value, int decimals);
void csv_int(csv_writer *c, long long value);
void csv_end_row(csv_writer *c);

#endif
