/* Records in an unlinked temporary file; see spool.h. */
#include "cli/spool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int failure(spool *s)
{
    if (!s->failed) {
        s->failed = 1;
        s->saved_errno = errno ? errno : EIO;
    }
    return -1;
}

int spool_open(spool *s, size_t record_bytes)
{
    memset(s, 0, sizeof *s);
    s->record_bytes = record_bytes;
    s->fp = tmpfile();
    if (!s->fp)
        return errno ? errno : EIO;
    return 0;
}

int spool_put(spool *s, const void *record)
{
    if (s->failed)
        return -1;
    errno = 0;
    if (fwrite(record, s->record_bytes, 1, s->fp) != 1)
        return failure(s);
    s->count++;
    return 0;
}

int spool_rewind(spool *s) { return spool_seek(s, 0); }

int spool_seek(spool *s, uint64_t index)
{
    if (s->failed)
        return -1;
    errno = 0;
    if (index > s->count)
        index = s->count;
    /* fseek also flushes pending writes, where a full disk would show. */
    if (fflush(s->fp) != 0 || fseeko(s->fp, (off_t)(index * s->record_bytes), SEEK_SET) != 0)
        return failure(s);
    return 0;
}

int spool_get(spool *s, void *record)
{
    if (s->failed)
        return -1;
    errno = 0;
    if (fread(record, s->record_bytes, 1, s->fp) == 1)
        return 1;
    if (ferror(s->fp))
        return failure(s);
    return 0;
}

int spool_sort(spool *s, int (*compare)(const void *, const void *), uint64_t max_records)
{
    if (s->failed)
        return -1;
    if (s->count < 2)
        return 1;
    if (s->count > max_records || s->count > SIZE_MAX / s->record_bytes)
        return 0;
    size_t n = (size_t)s->count;
    char *all = malloc(n * s->record_bytes);
    if (!all)
        return 0;
    errno = 0;
    if (spool_rewind(s) != 0 || fread(all, s->record_bytes, n, s->fp) != n) {
        free(all);
        return failure(s);
    }
    qsort(all, n, s->record_bytes, compare);
    errno = 0;
    if (fseek(s->fp, 0, SEEK_SET) != 0 || fwrite(all, s->record_bytes, n, s->fp) != n) {
        free(all);
        return failure(s);
    }
    free(all);
    return 1;
}

int spool_error(const spool *s) { return s->failed ? s->saved_errno : 0; }

void spool_close(spool *s)
{
    if (s->fp)
        fclose(s->fp);
    s->fp = NULL;
}
