/*
 * The scored voice frames (tracks) and the flags of an analysed call, read
 * back in time order: the call (cs_call) keeps them; these are the names
 * the tool's output writers read them by. 0 / 1 / -1 as call_log.h.
 */
#ifndef CS_CLI_VOICE_LOG_H
#define CS_CLI_VOICE_LOG_H

#include <stdint.h>

#include "callscope/callscope.h"
#include "cli/call_log.h"

typedef struct cs_call voice_log;

/* One scored frame as the report's tracks show it. */
typedef cs_track_point track_point;

/* Scored frames in time order, from the first or the first-th. */
static inline int voice_log_tracks_begin(voice_log *log) { return call_log_status(cs_call_tracks_begin(log, 0)); }
static inline int voice_log_tracks_from(voice_log *log, uint64_t first)
{
    return call_log_status(cs_call_tracks_begin(log, first));
}
static inline int voice_log_tracks_next(voice_log *log, track_point *tp)
{
    return call_log_status(cs_call_tracks_next(log, tp));
}

/* How many track points there are. */
static inline uint64_t voice_log_frames(const voice_log *log)
{
    cs_call_results res;
    return cs_call_get_results(log, &res) == CS_OK ? res.track_points : 0;
}

/* All flags, voice and conversation, by start time. */
static inline int voice_log_flags_begin(voice_log *log) { return call_log_status(cs_call_flags_begin(log)); }
static inline int voice_log_flags_next(voice_log *log, cs_flag *fl)
{
    return call_log_status(cs_call_flags_next(log, fl));
}

#endif
