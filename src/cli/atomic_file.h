/*
 * Output files that appear whole or not at all.
 *
 * atomic_open creates OUT.tmp.XXXXXX beside OUT (same directory, so the final
 * rename cannot cross file systems); the caller writes through af->fp;
 * atomic_commit flushes, fsyncs and renames it over OUT. A reader of OUT
 * therefore sees the old file or the complete new one, never half a report.
 *
 * A pending temporary is removed by atomic_abort, and also if the process
 * exits (die(), return from main) or is killed by SIGINT, SIGTERM, SIGHUP or
 * SIGPIPE before the commit.
 *
 * Only a regular file (or a new one) is replaced that way. The path "-"
 * means stdout, and an existing character device or FIFO (/dev/null, a
 * named pipe) is opened and written as it is: nothing temporary, commit only
 * flushes and closes, and the target is never unlinked or renamed over. Any
 * other existing non-regular target (a block device, a socket) is refused
 * with ENOTSUP.
 */
#ifndef CS_CLI_ATOMIC_FILE_H
#define CS_CLI_ATOMIC_FILE_H

#include <stdio.h>

typedef struct atomic_file {
    FILE *fp;         /* write here between open and commit/abort */
    char *path;       /* OUT as given */
    char *tmp_path;   /* NULL for stdout */
    int slot;         /* index in the cleanup registry, -1 when none */
    int direct;       /* a device or FIFO written in place */
} atomic_file;

/* 0 on success; otherwise an errno value and af->fp is NULL. */
int atomic_open(atomic_file *af, const char *path);

/* Flush, sync and rename into place. 0 on success; otherwise an errno value
 * (EIO when the stream had recorded a write error) and the temporary is
 * removed. Either way af is closed. */
int atomic_commit(atomic_file *af);

/* Drop the temporary; OUT is left as it was. NULL-safe after a failed open. */
void atomic_abort(atomic_file *af);

#endif
