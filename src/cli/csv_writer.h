/*
 * RFC 4180 CSV: fields separated by commas, a field quoted when it holds a
 * comma, a quote, a line break or surrounding blanks, quotes doubled inside.
 * Rows end in CRLF as the RFC asks.
 */
#ifndef CS_CLI_CSV_WRITER_H
#define CS_CLI_CSV_WRITER_H

#include <stdio.h>

typedef struct csv_writer {
    FILE *fp;
    int fields;   /* in the current row */
} csv_writer;

void csv_init(csv_writer *c, FILE *fp);
void csv_text(csv_writer *c, const char *text);
/* A number with `decimals` places; an empty field for NAN (no value). */
void csv_number(csv_writer *c, double value, int decimals);
void csv_int(csv_writer *c, long long value);
void csv_end_row(csv_writer *c);

#endif
