/*
 * The insides of a cs_call (callscope/call.h), shared by the call itself
 * (call.c) and its JSON report (report_json.c).
 */
#ifndef CS_CALL_OBJECT_H
#define CS_CALL_OBJECT_H

#include "call_store.h"
#include "callscope/call.h"

typedef enum call_state {
    CALL_OPEN = 0,     /* taking samples */
    CALL_ANALYSED,     /* the analysis has ended (cs_call_finish gave CS_ECLIPPED) */
    CALL_SCORED,       /* tone scored and the score summed */
    CALL_FAILED        /* a push or the finish failed: only the error is left */
} call_state;

/* Looking for two identical channels at the start of a stereo call. */
typedef struct upmix_peek {
    int active;            /* still looking: samples wait in buf */
    float *buf;            /* cap frames of two channels */
    size_t frames, cap, need_signal;
    size_t signal;         /* frames with signal on either channel */
    double power, difference;
} upmix_peek;

struct cs_call {
    cs_config input;             /* as analysed, once the upmix is decided */
    int detect_upmix;
    cs_profile prof;
    cs_tone_model model;
    cs_baseline agent_baseline;  /* speech_s 0: learnt from the call */
    cs_store store;
    memory_store *memory;        /* the store when the caller gave none */
    cs_call_observer observer;
    cs_analyzer *an;
    upmix_peek peek;
    call_state state;
    int error;                   /* the failure that ended the call */
    uint64_t count[CS_STREAMS];  /* records written per stream */
    int64_t last_segment_start[CS_MAX_SPEAKERS];
    int segments_unsorted[CS_MAX_SPEAKERS];
    event_record head[CS_MAX_SPEAKERS]; /* merging the two speakers' segments */
    int have_head[CS_MAX_SPEAKERS];
    cs_call_results res;
};

#endif
