/*
 * Reading RFC 4180 CSV back, one record at a time: quoted fields may hold
 * commas, doubled quotes and line breaks; rows end in CRLF or LF. Used for
 * the batch scan's own files (per-call records, shard summaries), so a
 * malformed file is reported, never guessed at.
 */
#ifndef CS_CLI_CSV_READER_H
#define CS_CLI_CSV_READER_H

#include <stdio.h>

/* Fields of the last record read; reused from one record to the next. */
typedef struct csv_row {
    char *text;        /* the fields, each NUL-terminated, one after another */
    size_t text_cap;
    size_t *start;     /* offset of each field in text */
    int field_cap;
    int count;         /* fields in the record */
} csv_row;

/* Longest record accepted; a longer one is malformed (a binary file, or a
 * quote never closed). */
#define CSV_MAX_RECORD_BYTES (1L << 20)

/* 1 with a record in row, 0 at the end of the file, -1 on a read error or a
 * malformed record (errno is EINVAL for malformed, ENOMEM). */
int csv_read_row(FILE *fp, csv_row *row);

/* Field i, or "" when the record has fewer fields; with the single quote
 * csv_writer.h puts before text that could start a formula taken off. */
const char *csv_field(const csv_row *row, int i);

/* Index of the field equal to name, or -1. */
int csv_find(const csv_row *row, const char *name);

void csv_row_free(csv_row *row);

#endif
