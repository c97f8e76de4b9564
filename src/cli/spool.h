/*
 * Fixed-size records parked in an unlinked temporary file, so that a report
 * on a ten-hour call needs no more memory than one on a minute: events are
 * appended as the analysis emits them and read back when the report is
 * written. The file disappears when closed or when the process ends.
 */
#ifndef CS_CLI_SPOOL_H
#define CS_CLI_SPOOL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct spool {
    FILE *fp;
    size_t record_bytes;
    uint64_t count;
    int failed;      /* an I/O error happened; see spool_error */
    int saved_errno;
} spool;

/* 0, or an errno value (no temporary file could be made). */
int spool_open(spool *s, size_t record_bytes);

/* Append one record; 0 or -1 (sticky, see spool_error). */
int spool_put(spool *s, const void *record);

/* Go back to the first record for reading; 0 or -1. */
int spool_rewind(spool *s);

/* Read from record `index` on (past the end: at the end); 0 or -1. */
int spool_seek(spool *s, uint64_t index);

/* Next record: 1 read, 0 at the end, -1 on error. */
int spool_get(spool *s, void *record);

/* Sort the records in memory when there are at most max_records of them;
 * 1 sorted, 0 left as is (too many, or no memory for it), -1 on I/O error. */
int spool_sort(spool *s, int (*compare)(const void *, const void *), uint64_t max_records);

/* The errno of the first failure, 0 if none. */
int spool_error(const spool *s);

void spool_close(spool *s);

#endif
