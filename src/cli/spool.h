/*
 * Records parked in unlinked temporary files, so that a report on a
 * ten-hour call needs no more memory than one on a minute: the store the
 * tool gives its calls (cs_store, callscope/call.h), one file per stream.
 * The files disappear when closed or when the process ends.
 */
#ifndef CS_CLI_SPOOL_H
#define CS_CLI_SPOOL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "callscope/call.h"

typedef struct spool {
    FILE *fp;
    uint64_t count;
    int reading;     /* the last access read: a write must go back to the end */
    int failed;      /* an I/O error happened; see spool_error */
    int saved_errno;
} spool;

/* 0, or an errno value (no temporary file could be made). */
int spool_open(spool *s);

/* Append one record of size bytes; 0 or -1 (sticky, see spool_error). */
int spool_put(spool *s, const void *record, size_t size);

/* Read from record `index` on (past the end: at the end); 0 or -1. */
int spool_seek(spool *s, uint64_t index, size_t size);

/* Next record: 1 read, 0 at the end, -1 on error. */
int spool_get(spool *s, void *record, size_t size);

/* Drop every record; 0 or -1. */
int spool_clear(spool *s);

/* The errno of the first failure, 0 if none. */
int spool_error(const spool *s);

void spool_close(spool *s);

/* A call's store: a spool per stream. */
typedef struct spool_store {
    spool stream[CS_STREAMS];
    cs_store store;             /* give this to cs_call_open */
} spool_store;

/* 0, or an errno value; the store is closed again on failure. */
int spool_store_open(spool_store *st);
/* Why the store failed: the errno of the first failure (EIO without one). */
int spool_store_errno(const spool_store *st);
void spool_store_close(spool_store *st);

#endif
