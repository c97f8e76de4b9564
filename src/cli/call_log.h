/*
 * The record of one analysed call: the events pulled from the analyzer,
 * parked in temporary files (spool.h) so memory does not grow with the
 * length of the call, and read back in time order by the output writers
 * (JSON report, and later RTTM, labels, HTML).
 *
 * Kept: segments (one spool per speaker; the library emits each speaker's
 * segments in time order, the two speakers interleave), and the events a
 * report lists (interruption, backchannel, overlap, overtalk, dead air,
 * hold, laughter). Every type is counted.
 */
#ifndef CS_CLI_CALL_LOG_H
#define CS_CLI_CALL_LOG_H

#include <stdint.h>

#include "callscope/callscope.h"

typedef struct call_log call_log;

/* 0, or an errno value. */
int call_log_open(call_log **out);

/* Keep one pulled event; 0, or -1 on an I/O error (sticky). */
int call_log_add(call_log *log, const cs_event *ev);

/* errno of the first failure, 0 if none. */
int call_log_error(const call_log *log);

/* How many events of a type were added. */
uint64_t call_log_count(const call_log *log, cs_event_type type);

/* Segments of both speakers by start time (ties: agent first). begin: 0 or
 * -1; next: 1 and *ev filled, 0 at the end, -1 on error. */
int call_log_segments_begin(call_log *log);
int call_log_segments_next(call_log *log, cs_event *ev);

/* The kept non-segment events, by start time when there are not too many
 * to sort in memory, otherwise in the order the analysis emitted them. */
int call_log_events_begin(call_log *log);
int call_log_events_next(call_log *log, cs_event *ev);

/* NULL is fine. */
void call_log_close(call_log *log);

#endif
