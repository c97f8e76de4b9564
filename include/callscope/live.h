/*
 * callscope/live.h: meters and cues for the agent while the call happens,
 * from the analyzer's live frames.
 */
#ifndef CALLSCOPE_LIVE_H
#define CALLSCOPE_LIVE_H

#include "callscope/analyzer.h"
#include "callscope/common.h"
#include "callscope/flags.h"
#include "callscope/profile.h"
#include "callscope/tone.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Live cue kinds (see below). */
typedef enum cs_cue_kind {
    CS_CUE_SLOW_DOWN = 1,
    CS_CUE_LET_THEM_FINISH,
    CS_CUE_LOWER_VOICE,
    CS_CUE_ACKNOWLEDGE,
    CS_CUE_ASK_A_QUESTION,
    CS_CUE_KIND_END       /* one past the last kind */
} cs_cue_kind;

/* ---- live: meters and cues while the call happens ------------------------
 *
 * For an agent during the call (docs/metrics.md, Live meters and cues):
 * live frames in (cs_pull_live_frame), and out come each speaker's meters,
 * gentle cues and the voice flags, all as soon as the frame that decides
 * them. Tone is measured over windows that end at the newest frame, against
 * running baselines (learnt after tone.baseline_min_speech_s of speech) or a
 * stored one. Cues come one at a time: none within live.cue_show_s of the last,
 * and the same one not again within live.cue_repeat_s.
 *
 *     slow_down        the agent's local pace is live.slow_down_rel over their
 *                      baseline pace for live.slow_down_s
 *     let_them_finish  the agent has talked over the customer, who had the
 *                      floor, for live.let_finish_s
 *     lower_voice      the agent's level is raised_voice.db over their baseline
 *                      for live.lower_voice_s
 *     acknowledge      the customer has told their story for live.acknowledge_s
 *                      without a sound from the agent
 *     ask_a_question   the agent's monologue has reached live.ask_question_s
 */
typedef struct cs_cue {
    cs_cue_kind kind;
    int64_t at;           /* end of the live frame that decided it (samples) */
    int64_t since;        /* where the stretch behind it began */
    double measure;       /* slow_down syl/s, lower_voice dB over baseline, else seconds */
} cs_cue;

/* "slow_down", ... as in the live events; "unknown" out of range. */
CS_API const char *cs_cue_name(cs_cue_kind kind);

/* One speaker's meters at the newest frame; NAN where not measurable. */
typedef struct cs_live_speaker {
    int speaking;              /* in the newest frame */
    double talk_s;             /* speech so far (quick activity) */
    double talk_share;         /* of both parties' talk; NAN with one channel or no speech */
    double since_spoke_s;      /* since the end of their last speech; NAN before they spoke */
    double level_db;           /* active level over the tone window */
    double level_over_db;      /* level minus baseline */
    double pitch_hz;           /* median f0 over the tone window */
    double pace_syl_per_s;     /* articulation rate over the pace window */
    double pace_ratio;         /* pace over baseline pace */
    double arousal;            /* 0 calm .. 1 agitated, against the baseline */
    int baseline_known;        /* enough speech heard, or a stored baseline set */
} cs_live_speaker;

typedef struct cs_live_meters {
    int64_t at;                          /* end of the newest frame */
    cs_live_speaker speaker[CS_MAX_SPEAKERS];
    cs_cue_kind cue;                     /* the cue on show (live.cue_show_s), 0 for none */
} cs_live_meters;

typedef struct cs_live cs_live;

/* cfg and frame_samples are the analyzer's (cs_live_frame_samples). */
CS_API int cs_live_open(cs_live **out, const cs_profile *prof, const cs_tone_model *model, const cs_config *cfg,
                 int frame_samples);
CS_API void cs_live_close(cs_live *l);
/* Measure a speaker against a stored baseline from the start (cs_tone_set_baseline). */
CS_API int cs_live_set_baseline(cs_live *l, int speaker, const cs_baseline *b);
/* One live frame, in time order. Pull cues and flags after each. */
CS_API int cs_live_push(cs_live *l, const cs_frame *fr);
CS_API int cs_live_meters_get(const cs_live *l, cs_live_meters *m);
CS_API int cs_live_pull_cue(cs_live *l, cs_cue *c);
/* Voice flags (fast_pace, raised_voice, tense_tone, escalation) against the
 * running baselines, once each has ended; the report's come from the whole
 * call and may differ. */
CS_API int cs_live_pull_flag(cs_live *l, cs_flag *fl);
/* End of the call: closes the flags still open. */
CS_API int cs_live_finish(cs_live *l);

#ifdef __cplusplus
}
#endif

#endif
