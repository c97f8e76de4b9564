/* Spooled events of one call, read back in time order; see call_log.h. */
#include "cli/call_log.h"

#include "cli/spool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/*
 * Events are few (dozens an hour), so sorting them in memory is cheap; past
 * this many something is odd and they are written as emitted instead.
 * Segments only need sorting if a speaker's come out of order, which the
 * library does not do; the bound keeps that fallback from eating memory.
 */
#define EVENT_SORT_MAX 100000u
#define SEGMENT_SORT_MAX 1000000u

#define TYPE_SLOTS 16

/* On disk: no padding, so no uninitialised bytes get written. */
typedef struct log_record {
    int64_t start;
    int64_t end;
    double value;
    int32_t type;
    int32_t speaker;
    int32_t other;
    int32_t tier;
} log_record;

struct call_log {
    spool segments[CS_MAX_SPEAKERS];
    spool events;
    int64_t last_start[CS_MAX_SPEAKERS];
    int segments_unsorted[CS_MAX_SPEAKERS];
    uint64_t count[TYPE_SLOTS];
    int errno_value;
    /* merge state while reading segments */
    log_record head[CS_MAX_SPEAKERS];
    int have_head[CS_MAX_SPEAKERS];
};

static void to_record(const cs_event *ev, log_record *r)
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

static void from_record(const log_record *r, cs_event *ev)
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

static int by_time(const void *pa, const void *pb)
{
    const log_record *a = pa, *b = pb;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->end != b->end)
        return a->end < b->end ? -1 : 1;
    if (a->type != b->type)
        return a->type < b->type ? -1 : 1;
    return (a->speaker > b->speaker) - (a->speaker < b->speaker);
}

static int failed(call_log *log, const spool *s)
{
    if (!log->errno_value)
        log->errno_value = spool_error(s) ? spool_error(s) : EIO;
    return -1;
}

int call_log_open(call_log **out)
{
    *out = NULL;
    call_log *log = calloc(1, sizeof *log);
    if (!log)
        return ENOMEM;
    int err = spool_open(&log->events, sizeof(log_record));
    for (int s = 0; s < CS_MAX_SPEAKERS && !err; s++) {
        err = spool_open(&log->segments[s], sizeof(log_record));
        log->last_start[s] = INT64_MIN;
    }
    if (err) {
        call_log_close(log);
        return err;
    }
    *out = log;
    return 0;
}

static int is_listed_event(cs_event_type type)
{
    switch (type) {
    case CS_EVENT_INTERRUPTION:
    case CS_EVENT_BACKCHANNEL:
    case CS_EVENT_OVERLAP:
    case CS_EVENT_OVERTALK:
    case CS_EVENT_DEAD_AIR:
    case CS_EVENT_HOLD:
    case CS_EVENT_LAUGHTER:
        return 1;
    default:
        return 0;
    }
}

int call_log_add(call_log *log, const cs_event *ev)
{
    if (log->errno_value)
        return -1;
    if ((int)ev->type >= 0 && (int)ev->type < TYPE_SLOTS)
        log->count[ev->type]++;
    log_record r;
    to_record(ev, &r);
    if (ev->type == CS_EVENT_SEGMENT) {
        int s = ev->speaker;
        if (s < 0 || s >= CS_MAX_SPEAKERS)
            return 0;
        if (ev->start < log->last_start[s])
            log->segments_unsorted[s] = 1;
        log->last_start[s] = ev->start;
        if (spool_put(&log->segments[s], &r) != 0)
            return failed(log, &log->segments[s]);
        return 0;
    }
    if (is_listed_event(ev->type) && spool_put(&log->events, &r) != 0)
        return failed(log, &log->events);
    return 0;
}

int call_log_error(const call_log *log) { return log->errno_value; }

uint64_t call_log_count(const call_log *log, cs_event_type type)
{
    return (int)type >= 0 && (int)type < TYPE_SLOTS ? log->count[type] : 0;
}

static int read_head(call_log *log, int s)
{
    int rc = spool_get(&log->segments[s], &log->head[s]);
    if (rc < 0)
        return failed(log, &log->segments[s]);
    log->have_head[s] = rc;
    return 0;
}

int call_log_segments_begin(call_log *log)
{
    if (log->errno_value)
        return -1;
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        if (log->segments_unsorted[s] &&
            spool_sort(&log->segments[s], by_time, SEGMENT_SORT_MAX) < 0)
            return failed(log, &log->segments[s]);
        if (spool_rewind(&log->segments[s]) != 0)
            return failed(log, &log->segments[s]);
        if (read_head(log, s) != 0)
            return -1;
    }
    return 0;
}

int call_log_segments_next(call_log *log, cs_event *ev)
{
    if (log->errno_value)
        return -1;
    int pick = -1;
    for (int s = 0; s < CS_MAX_SPEAKERS; s++)
        if (log->have_head[s] && (pick < 0 || by_time(&log->head[s], &log->head[pick]) < 0))
            pick = s;
    if (pick < 0)
        return 0;
    from_record(&log->head[pick], ev);
    if (read_head(log, pick) != 0)
        return -1;
    return 1;
}

int call_log_events_begin(call_log *log)
{
    if (log->errno_value)
        return -1;
    if (spool_sort(&log->events, by_time, EVENT_SORT_MAX) < 0 || spool_rewind(&log->events) != 0)
        return failed(log, &log->events);
    return 0;
}

int call_log_events_next(call_log *log, cs_event *ev)
{
    if (log->errno_value)
        return -1;
    log_record r;
    int rc = spool_get(&log->events, &r);
    if (rc < 0)
        return failed(log, &log->events);
    if (rc > 0)
        from_record(&r, ev);
    return rc;
}

void call_log_close(call_log *log)
{
    if (!log)
        return;
    spool_close(&log->events);
    for (int s = 0; s < CS_MAX_SPEAKERS; s++)
        spool_close(&log->segments[s]);
    free(log);
}
