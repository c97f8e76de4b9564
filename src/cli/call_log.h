/*
 * The events of an analysed call, read back in time order: the call
 * (cs_call) keeps them; these are the names the tool's output writers read
 * them by. 0 / 1 / -1 as before: -1 when the call's store failed
 * (call_run_spool_errno says why).
 */
#ifndef CS_CLI_CALL_LOG_H
#define CS_CLI_CALL_LOG_H

#include "callscope/callscope.h"

typedef struct cs_call call_log;

static inline int call_log_status(int rc) { return rc < 0 ? -1 : rc; }

/* Segments of both speakers by start time (ties: agent first). */
static inline int call_log_segments_begin(call_log *log) { return call_log_status(cs_call_segments_begin(log)); }
static inline int call_log_segments_next(call_log *log, cs_event *ev)
{
    return call_log_status(cs_call_segments_next(log, ev));
}

/* The events a report lists, by start time. */
static inline int call_log_events_begin(call_log *log) { return call_log_status(cs_call_events_begin(log)); }
static inline int call_log_events_next(call_log *log, cs_event *ev)
{
    return call_log_status(cs_call_events_next(log, ev));
}

#endif
