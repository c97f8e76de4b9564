/*
 * csvq: read a CSV file strictly (RFC 4180) and query it, for shell tests.
 *
 *   csvq FILE rows          the number of rows after the header
 *   csvq FILE header        the header's names, comma-separated
 *   csvq FILE col NAME      the column NAME, one value per line (line breaks
 *                           inside a value become spaces)
 *
 * Exit status: 0, 1 malformed (a row with another number of fields than the
 * header, a broken quote), 2 usage error or no such column.
 */
#include <stdio.h>
#include <string.h>

#include "cli/csv_reader.h"

static void print_flat(const char *s)
{
    for (; *s; s++)
        putchar(*s == '\n' || *s == '\r' ? ' ' : *s);
    putchar('\n');
}

int main(int argc, char **argv)
{
    if (argc < 3 || (strcmp(argv[2], "col") == 0 && argc < 4)) {
        fprintf(stderr, "usage: csvq FILE rows|header|col NAME\n");
        return 2;
    }
    FILE *fp = fopen(argv[1], "rb");
    if (!fp) {
        perror(argv[1]);
        return 2;
    }
    csv_row header = {0}, row = {0};
    int status = 0;
    if (csv_read_row(fp, &header) != 1) {
        fprintf(stderr, "%s: no header\n", argv[1]);
        status = 1;
    }
    int column = -1;
    if (!status && strcmp(argv[2], "header") == 0) {
        for (int i = 0; i < header.count; i++)
            printf("%s%s", i ? "," : "", csv_field(&header, i));
        putchar('\n');
    } else if (!status && strcmp(argv[2], "col") == 0 && (column = csv_find(&header, argv[3])) < 0) {
        fprintf(stderr, "%s: no column '%s'\n", argv[1], argv[3]);
        status = 2;
    }
    long rows = 0;
    int rc = 0;
    while (!status && (rc = csv_read_row(fp, &row)) > 0) {
        rows++;
        if (row.count != header.count) {
            fprintf(stderr, "%s: row %ld has %d fields, the header %d\n", argv[1], rows, row.count, header.count);
            status = 1;
        } else if (column >= 0) {
            print_flat(csv_field(&row, column));
        }
    }
    if (!status && rc < 0) {
        fprintf(stderr, "%s: malformed after row %ld\n", argv[1], rows);
        status = 1;
    }
    if (!status && strcmp(argv[2], "rows") == 0)
        printf("%ld\n", rows);
    csv_row_free(&header);
    csv_row_free(&row);
    fclose(fp);
    return status;
}
