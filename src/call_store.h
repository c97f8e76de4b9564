/*
 * What a call keeps for its second pass and its report, as fixed-size
 * records in the streams of a cs_store (callscope/call.h), and the store the
 * library gives when the caller gives none: records in memory, in chunks
 * that never move, so a long call grows by a chunk at a time.
 */
#ifndef CS_CALL_STORE_H
#define CS_CALL_STORE_H

#include "callscope/call.h"

#include <stdint.h>

/* A segment or event. All fields 4 or 8 bytes and in that order: no
 * padding, so no uninitialised byte reaches a store. */
typedef struct event_record {
    int64_t start;
    int64_t end;
    double value;
    int32_t type;
    int32_t speaker;
    int32_t other;
    int32_t tier;
} event_record;

/* A voice frame: per speaker the ten measures of cs_voice, as doubles. */
#define FRAME_MEASURES 10
typedef struct frame_record {
    int64_t start, end;
    double v[CS_MAX_SPEAKERS][FRAME_MEASURES];
    double overtalk_s;
} frame_record;

typedef struct flag_record {
    int64_t start, end;
    double severity, measure, context;
    int32_t kind, speaker, count, unused;
} flag_record;

void event_to_record(const cs_event *ev, event_record *r);
void event_from_record(const event_record *r, cs_event *ev);
void frame_to_record(const cs_frame *fr, frame_record *r);
void frame_from_record(const frame_record *r, cs_frame *fr);
void flag_to_record(const cs_flag *fl, flag_record *r);
/* doubtful is not stored: it depends on the whole call's separation. */
void flag_from_record(const flag_record *r, cs_flag *fl);

/* Segments and events by start time, then end, type and speaker. */
int event_record_by_time(const void *a, const void *b);
/* Flags by start time, then kind. */
int flag_record_by_time(const void *a, const void *b);

typedef struct memory_store memory_store;

/* A store in memory; CS_ENOMEM. Its cs_store is filled in. */
int memory_store_open(memory_store **out, cs_store *store);
void memory_store_close(memory_store *m);

#endif
