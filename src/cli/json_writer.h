/*
 * The library's JSON writer (src/json_writer.h), writing to a stdio stream:
 * the live event stream's lines. The tool builds the writer in as well, as
 * the library keeps its internals to itself.
 */
#ifndef CS_CLI_JSON_WRITER_H
#define CS_CLI_JSON_WRITER_H

#include <stdio.h>

#include "../json_writer.h"

/* Write to out; a failed write keeps its errno (EIO without one). The
 * caller flushes. */
void jw_init(json_writer *w, FILE *out);

/* Write size bytes to the stream `file` (a FILE *): 0, or the errno of the
 * failure (EIO without one). A jw_write_fn, and a cs_write_fn. */
int jw_write_file(void *file, const void *bytes, size_t size);

#endif
