/* A call's records and the memory store; see call_store.h. */
#include "call_store.h"

#include <stdlib.h>
#include <string.h>

void event_to_record(const cs_event *ev, event_record *r)
{
    memset(r, 0, sizeof *r);
    r->start = ev->start;
    r->end = ev->end;
    r->value = ev->value;
    r->type = (int32_t)ev->type;
    r->speaker = ev->speaker;
    r->other = ev->other;
    r->tier = ev->tier;
}

void event_from_record(const event_record *r, cs_event *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->type = (cs_event_type)r->type;
    ev->speaker = r->speaker;
    ev->other = r->other;
    ev->start = r->start;
    ev->end = r->end;
    ev->value = r->value;
    ev->tier = r->tier;
}

void frame_to_record(const cs_frame *fr, frame_record *r)
{
    memset(r, 0, sizeof *r);
    r->start = fr->start;
    r->end = fr->end;
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        const cs_voice *x = &fr->speaker[s];
        double *v = r->v[s];
        v[0] = x->speech_s;
        v[1] = x->voiced_s;
        v[2] = x->pitch_hz;
        v[3] = x->pitch_lo_hz;
        v[4] = x->pitch_hi_hz;
        v[5] = x->level_db;
        v[6] = x->high_band_db;
        v[7] = x->syllables;
        v[8] = x->articulation_s;
        v[9] = x->laughter_s;
    }
    r->overtalk_s = fr->overtalk_s;
}

void frame_from_record(const frame_record *r, cs_frame *fr)
{
    memset(fr, 0, sizeof *fr);
    fr->start = r->start;
    fr->end = r->end;
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        cs_voice *x = &fr->speaker[s];
        const double *v = r->v[s];
        x->speech_s = v[0];
        x->voiced_s = v[1];
        x->pitch_hz = v[2];
        x->pitch_lo_hz = v[3];
        x->pitch_hi_hz = v[4];
        x->level_db = v[5];
        x->high_band_db = v[6];
        x->syllables = (int)v[7];
        x->articulation_s = v[8];
        x->laughter_s = v[9];
    }
    fr->overtalk_s = r->overtalk_s;
}

void flag_to_record(const cs_flag *fl, flag_record *r)
{
    memset(r, 0, sizeof *r);
    r->start = fl->start;
    r->end = fl->end;
    r->severity = fl->severity;
    r->measure = fl->measure;
    r->context = fl->context;
    r->kind = (int32_t)fl->kind;
    r->speaker = fl->speaker;
    r->count = fl->count;
}

void flag_from_record(const flag_record *r, cs_flag *fl)
{
    memset(fl, 0, sizeof *fl);
    fl->start = r->start;
    fl->end = r->end;
    fl->severity = r->severity;
    fl->kind = (cs_flag_kind)r->kind;
    fl->speaker = r->speaker;
    fl->measure = r->measure;
    fl->context = r->context;
    fl->count = r->count;
}

int event_record_by_time(const void *pa, const void *pb)
{
    const event_record *a = pa, *b = pb;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->end != b->end)
        return a->end < b->end ? -1 : 1;
    if (a->type != b->type)
        return a->type < b->type ? -1 : 1;
    return (a->speaker > b->speaker) - (a->speaker < b->speaker);
}

int flag_record_by_time(const void *pa, const void *pb)
{
    const flag_record *a = pa, *b = pb;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return (a->kind > b->kind) - (a->kind < b->kind);
}

/* ---- the memory store ---------------------------------------------------- */

/* Records are kept in chunks of this many bytes, which never move: growing
 * costs one chunk, never a copy of the call so far. */
#define CHUNK_BYTES 65536

typedef struct memory_stream {
    unsigned char **chunk;
    size_t nchunks, chunk_cap;
    size_t size;            /* bytes per record, from the first one */
    size_t per_chunk;
    uint64_t count;         /* records kept */
    uint64_t next;          /* record read next */
} memory_stream;

struct memory_store {
    memory_stream stream[CS_STREAMS];
};

static memory_stream *stream_of(void *user, cs_stream stream, size_t size)
{
    memory_store *m = user;
    if ((int)stream < 0 || stream >= CS_STREAMS || size == 0 || size > CHUNK_BYTES)
        return NULL;
    memory_stream *s = &m->stream[stream];
    if (!s->size) {
        s->size = size;
        s->per_chunk = CHUNK_BYTES / size;
    }
    return s->size == size ? s : NULL;
}

static unsigned char *record_at(const memory_stream *s, uint64_t i)
{
    return s->chunk[i / s->per_chunk] + (i % s->per_chunk) * s->size;
}

static int memory_append(void *user, cs_stream stream, const void *record, size_t size)
{
    memory_stream *s = stream_of(user, stream, size);
    if (!s)
        return -1;
    if (s->count == (uint64_t)s->nchunks * s->per_chunk) {
        if (s->nchunks == s->chunk_cap) {
            size_t cap = s->chunk_cap ? 2 * s->chunk_cap : 16;
            unsigned char **grown = realloc(s->chunk, cap * sizeof *grown);
            if (!grown)
                return -1;
            s->chunk = grown;
            s->chunk_cap = cap;
        }
        if (!(s->chunk[s->nchunks] = malloc(CHUNK_BYTES)))
            return -1;
        s->nchunks++;
    }
    memcpy(record_at(s, s->count++), record, size);
    return 0;
}

static int memory_seek(void *user, cs_stream stream, uint64_t index, size_t size)
{
    memory_stream *s = stream_of(user, stream, size);
    if (!s)
        return -1;
    s->next = index < s->count ? index : s->count;
    return 0;
}

static int memory_read(void *user, cs_stream stream, void *record, size_t size)
{
    memory_stream *s = stream_of(user, stream, size);
    if (!s)
        return -1;
    if (s->next >= s->count)
        return 0;
    memcpy(record, record_at(s, s->next++), size);
    return 1;
}

/* The chunks stay for the records written again. */
static int memory_clear(void *user, cs_stream stream)
{
    memory_store *m = user;
    if ((int)stream < 0 || stream >= CS_STREAMS)
        return -1;
    m->stream[stream].count = m->stream[stream].next = 0;
    return 0;
}

int memory_store_open(memory_store **out, cs_store *store)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return CS_ENOMEM;
    store->user = *out;
    store->append = memory_append;
    store->seek = memory_seek;
    store->read = memory_read;
    store->clear = memory_clear;
    return CS_OK;
}

void memory_store_close(memory_store *m)
{
    if (!m)
        return;
    for (int i = 0; i < CS_STREAMS; i++) {
        for (size_t c = 0; c < m->stream[i].nchunks; c++)
            free(m->stream[i].chunk[c]);
        free(m->stream[i].chunk);
    }
    free(m);
}
