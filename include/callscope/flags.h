/*
 * callscope/flags.h: the flags a call raises, their names and what each
 * costs the call score. The analyzer raises the conversation flags
 * (analyzer.h), the tone scorer the voice flags (tone.h); the coaching text
 * (coaching.h) turns them into messages.
 */
#ifndef CALLSCOPE_FLAGS_H
#define CALLSCOPE_FLAGS_H

#include "callscope/common.h"
#include "callscope/profile.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- flags: moments that need a coach's attention ----------------------
 *
 * The voice flags come from the tone scorer (cs_tone_pull_flag); the
 * conversation flags from the analyzer (cs_pull_flag), decided from its
 * events and the final voice activity (docs/metrics.md, Flags). Each
 * carries the quantity that crossed its threshold (measure) and what it was
 * judged against (context); cs_flag_detail_name names both per kind, and
 * the coaching text turns them into a message.
 */
typedef enum cs_flag_kind {
    CS_FLAG_FAST_PACE = 1,      /* measure pace_syl_per_s (peak local), context usual_syl_per_s */
    CS_FLAG_RAISED_VOICE,       /* measure over_db (peak over baseline) */
    CS_FLAG_TENSE_TONE,         /* measure arousal (peak) */
    CS_FLAG_ESCALATION,         /* measure agent_rise, context customer_rise (arousal) */
    CS_FLAG_INTERRUPTED_CUSTOMER, /* measure overlap_s: how long the customer went on */
    CS_FLAG_OVERTALK,           /* measure overlap_s (both talking) */
    CS_FLAG_RUSHED_RESPONSE,    /* measure gap_s, context turn_s (the customer's turn) */
    CS_FLAG_NO_ACKNOWLEDGEMENT, /* measure story_s (the customer's turn) */
    CS_FLAG_LONG_MONOLOGUE,     /* measure monologue_s */
    CS_FLAG_TALK_DOMINANCE,     /* measure share (peak), context span_s */
    CS_FLAG_DEAD_AIR,           /* measure silence_s (hold excluded) */
    CS_FLAG_KIND_END            /* one past the last kind */
} cs_flag_kind;

typedef struct cs_flag {
    cs_flag_kind kind;
    int speaker;           /* whose conduct it is about (the agent by default) */
    int64_t start;         /* samples */
    int64_t end;
    double severity;       /* 0..1 */
    double measure;        /* per kind, see cs_flag_kind */
    double context;        /* per kind; NAN when the kind has none */
    int count;             /* rushed_response: the how-manieth in the call; else 0 */
    int doubtful;          /* 1: it rests on who said what, and the mono separation is doubtful
                            * (cs_summary.separation_doubtful); it then costs nothing in the call score */
} cs_flag;

/* "fast_pace", ... as in the report; "unknown" out of range. */
CS_API const char *cs_flag_kind_name(cs_flag_kind kind);
/* Name of a kind's measure (which 0) or context (which 1), e.g. "gap_s";
 * NULL when the kind has none. These are the message placeholders. */
CS_API const char *cs_flag_detail_name(cs_flag_kind kind, int which);

/* 1 when a kind rests on who said what (every kind but dead_air): in a mono
 * call whose separation is doubtful such a flag may be about the wrong voice. */
CS_API int cs_flag_rests_on_who_spoke(cs_flag_kind kind);

/* Points a flag costs the call score: score.<kind> x severity. */
CS_API double cs_flag_penalty(const cs_profile *prof, const cs_flag *fl);
/* The call score, 0-100 (higher is better conduct), from the summed
 * penalties of its flags and its length: 100 - penalty / max(1, minutes /
 * score.reference_min), floored at 0. */
CS_API double cs_call_score(const cs_profile *prof, double penalty, double duration_s);

#ifdef __cplusplus
}
#endif

#endif
