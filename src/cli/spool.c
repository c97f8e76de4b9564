/* Records in unlinked temporary files; see spool.h. */
#include "cli/spool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failure(spool *s)
{
    if (!s->failed) {
        s->failed = 1;
        s->saved_errno = errno ? errno : EIO;
    }
    return -1;
}

int spool_open(spool *s)
{
    memset(s, 0, sizeof *s);
    s->fp = tmpfile();
    if (!s->fp)
        return errno ? errno : EIO;
    return 0;
}

int spool_put(spool *s, const void *record, size_t size)
{
    if (s->failed)
        return -1;
    errno = 0;
    /* Reads and writes of one stream need a seek between them. */
    if (s->reading && fseeko(s->fp, 0, SEEK_END) != 0)
        return failure(s);
    s->reading = 0;
    if (fwrite(record, size, 1, s->fp) != 1)
        return failure(s);
    s->count++;
    return 0;
}

int spool_seek(spool *s, uint64_t index, size_t size)
{
    if (s->failed)
        return -1;
    errno = 0;
    if (index > s->count)
        index = s->count;
    /* fseek also flushes pending writes, where a full disk would show. */
    if (fflush(s->fp) != 0 || fseeko(s->fp, (off_t)(index * size), SEEK_SET) != 0)
        return failure(s);
    s->reading = 1;
    return 0;
}

int spool_get(spool *s, void *record, size_t size)
{
    if (s->failed)
        return -1;
    if (!s->reading && spool_seek(s, 0, size) != 0)
        return -1;
    errno = 0;
    if (fread(record, size, 1, s->fp) == 1)
        return 1;
    if (ferror(s->fp))
        return failure(s);
    return 0;
}

int spool_clear(spool *s)
{
    if (s->failed)
        return -1;
    errno = 0;
    if (fflush(s->fp) != 0 || ftruncate(fileno(s->fp), 0) != 0 || fseeko(s->fp, 0, SEEK_SET) != 0)
        return failure(s);
    s->count = 0;
    s->reading = 0;
    return 0;
}

int spool_error(const spool *s) { return s->failed ? s->saved_errno : 0; }

void spool_close(spool *s)
{
    if (s->fp)
        fclose(s->fp);
    s->fp = NULL;
}

/* ---- the store ---- */

static spool *stream_of(void *user, cs_stream stream)
{
    spool_store *st = user;
    return (int)stream >= 0 && stream < CS_STREAMS ? &st->stream[stream] : NULL;
}

static int store_append(void *user, cs_stream stream, const void *record, size_t size)
{
    spool *s = stream_of(user, stream);
    return s ? spool_put(s, record, size) : -1;
}

static int store_seek(void *user, cs_stream stream, uint64_t index, size_t size)
{
    spool *s = stream_of(user, stream);
    return s ? spool_seek(s, index, size) : -1;
}

static int store_read(void *user, cs_stream stream, void *record, size_t size)
{
    spool *s = stream_of(user, stream);
    return s ? spool_get(s, record, size) : -1;
}

static int store_clear(void *user, cs_stream stream)
{
    spool *s = stream_of(user, stream);
    return s ? spool_clear(s) : -1;
}

int spool_store_open(spool_store *st)
{
    memset(st, 0, sizeof *st);
    int err = 0;
    for (int i = 0; i < CS_STREAMS && !err; i++)
        err = spool_open(&st->stream[i]);
    if (err) {
        spool_store_close(st);
        return err;
    }
    st->store = (cs_store){st, store_append, store_seek, store_read, store_clear};
    return 0;
}

int spool_store_errno(const spool_store *st)
{
    for (int i = 0; i < CS_STREAMS; i++)
        if (spool_error(&st->stream[i]))
            return spool_error(&st->stream[i]);
    return EIO;
}

void spool_store_close(spool_store *st)
{
    for (int i = 0; i < CS_STREAMS; i++)
        spool_close(&st->stream[i]);
}
