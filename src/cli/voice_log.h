/*
 * The voice frames of one analysed call, parked in temporary files (like
 * call_log.h) and scored in a second pass once the whole call is known:
 * tone baselines are learnt from every frame first, then each frame gets its
 * arousal and local pace, and the voice flags are kept. The report's tracks
 * and flags are read back from here.
 */
#ifndef CS_CLI_VOICE_LOG_H
#define CS_CLI_VOICE_LOG_H

#include <stdint.h>

#include "callscope/callscope.h"

typedef struct voice_log voice_log;

/* One scored frame as the report's tracks show it. */
typedef struct track_point {
    int64_t start, end;
    double speech_s[CS_MAX_SPEAKERS];
    double pitch_hz[CS_MAX_SPEAKERS];
    double level_db[CS_MAX_SPEAKERS];
    double pace_syl_per_s[CS_MAX_SPEAKERS];
    double arousal[CS_MAX_SPEAKERS];
    double feature[CS_MAX_SPEAKERS][CS_TONE_FEATURES]; /* deviations from baseline */
} track_point;

/* 0, or an errno value. */
int voice_log_open(voice_log **out);
/* Keep one frame pulled from the analyzer; 0 or -1 (see voice_log_error). */
int voice_log_add(voice_log *log, const cs_frame *fr);
/* errno of the first failure, 0 if none. */
int voice_log_error(const voice_log *log);
uint64_t voice_log_frames(const voice_log *log);

/* Feed every kept frame to cs_tone_learn (then cs_tone_learn_end). 0 or -1;
 * a negative CS_E* code from the scorer is returned as is in *cs_err. */
int voice_log_learn(voice_log *log, cs_tone *tone, int *cs_err);
/* Score every kept frame and keep the results and flags. 0 or -1. */
int voice_log_score(voice_log *log, cs_tone *tone, int *cs_err);

/* Scored frames in time order: begin 0/-1; next 1, 0 at the end, -1. */
int voice_log_tracks_begin(voice_log *log);
/* The same from the first-th scored frame on (frames are one tracks.hop_s each). */
int voice_log_tracks_from(voice_log *log, uint64_t first);
int voice_log_tracks_next(voice_log *log, track_point *tp);
/* Keep a flag raised elsewhere (the analyzer's conversation flags). 0 or -1. */
int voice_log_add_flag(voice_log *log, const cs_flag *fl);
/* All flags, voice and conversation, by start time. */
uint64_t voice_log_flag_count(const voice_log *log);
int voice_log_flags_begin(voice_log *log);
int voice_log_flags_next(voice_log *log, cs_flag *fl);
/* From now on the flags read back that rest on who said what are marked
 * doubtful (the tone pass's flags as well as the analyzer's). */
void voice_log_set_doubtful(voice_log *log, int who_spoke_doubtful);

void voice_log_close(voice_log *log);

#endif
