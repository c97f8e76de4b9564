/*
 * callscope/tone.h: tone of voice. Baselines of each speaker's usual voice,
 * the arousal model, and the tone scorer that turns voice frames into
 * arousal, local pace and the voice flags.
 */
#ifndef CALLSCOPE_TONE_H
#define CALLSCOPE_TONE_H

#include "callscope/analyzer.h"
#include "callscope/common.h"
#include "callscope/flags.h"
#include "callscope/profile.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- tone: baselines, arousal and the voice flags ------------------------
 *
 * A tone scorer turns voice frames into arousal (0 calm .. 1 agitated) and
 * local pace per speaker, measured against each speaker's baseline, and
 * raises the voice flags (fast_pace, raised_voice, tense_tone, escalation).
 *
 * Baselines come from frames given to cs_tone_learn (batch: every frame of
 * the call, then scoring in a second pass over the same frames), or from a
 * stored cs_baseline (cs_tone_set_baseline; e.g. an agent's usual voice
 * across many calls). With tone.running set, cs_tone_push also learns as it
 * goes (live use): a speaker is scored once tone.baseline_min_speech_s of
 * their speech has been heard, or at once when a baseline was set. Live use
 * also sets tone.trailing, so a frame is scored from the speech up to it.
 */
enum {
    CS_TONE_PITCH = 0,   /* median f0 minus baseline, semitones */
    CS_TONE_RANGE,       /* f0 spread (10th-90th percentile) minus baseline, semitones */
    CS_TONE_LEVEL,       /* active level minus baseline, dB */
    CS_TONE_HIGH_BAND,   /* high-band share minus baseline, dB */
    CS_TONE_PACE,        /* log2 of local articulation rate over baseline, x CS_TONE_PACE_SCALE */
    CS_TONE_APERIODIC,   /* share of the speech with no clear period (rough, harsh or
                            breathy voice, voiceless sounds) minus baseline, percentage points */
    CS_TONE_LAUGHTER,    /* share of the frame's speech that is laughter, percent (no
                            baseline: laughter is never anyone's usual voice) */
    CS_TONE_FEATURES
};

/* Units of the pace feature per doubling of the rate. */
#define CS_TONE_PACE_SCALE 10.0

/* One speaker's typical voice. */
typedef struct cs_baseline {
    double speech_s;         /* speech it was learnt from; 0 = no baseline */
    double pitch_hz;         /* medians over the speaker's tone windows */
    double pitch_range_st;
    double level_db;
    double high_band_db;
    double pace_syl_per_s;
    double aperiodic_pct;    /* share of speech with no clear period, percent */
} cs_baseline;

/* A stored baseline as text (what `callscope baseline build` writes): "key =
 * value" lines, `schema = callscope.baseline/1` required, then speech_s,
 * pitch_hz, pitch_range_st, level_db, high_band_db, pace_syl_per_s and
 * aperiodic_pct (a value may be "none"; one left out is "none", as in
 * baselines written before it was measured), and the labels agent and calls. CS_EPROFILE with the
 * 1-based line for a bad line, or with line 0 when the schema line is
 * missing; *b is untouched on error. */
#define CS_BASELINE_SCHEMA "callscope.baseline/1"
CS_API int cs_baseline_parse(cs_baseline *b, const char *text, int *line_out);

/* Logistic model: arousal = 1 / (1 + exp(-(bias + sum weight[i] * feature[i]))),
 * each feature clamped to +-limit[i] first. Text form: "key = value" lines,
 * keys name, bias, pitch, range, level, high_band, pace, aperiodic, laughter
 * and limit.pitch ...;
 * '#' comments carry the provenance. */
#define CS_TONE_NAME_MAX 64
typedef struct cs_tone_model {
    char name[CS_TONE_NAME_MAX];
    double bias;
    double weight[CS_TONE_FEATURES];
    double limit[CS_TONE_FEATURES];
} cs_tone_model;

/* The built-in model (models/tone.model). */
CS_API void cs_tone_model_default(cs_tone_model *model);
/* Apply model text on top of model; CS_EPROFILE (and the 1-based line) on error. */
CS_API int cs_tone_model_parse(cs_tone_model *model, const char *text, int *line_out);
/* Feature name ("pitch", "range", ...) of index i; NULL out of range. */
CS_API const char *cs_tone_feature_name(int i);
/* Arousal of a feature vector under a model. */
CS_API double cs_tone_model_apply(const cs_tone_model *model, const double *features);

/* Per frame, what the scorer derived (NAN where the speaker is silent or not
 * yet scored). */
typedef struct cs_tone_frame {
    cs_frame frame;                           /* the voice frame scored */
    double arousal[CS_MAX_SPEAKERS];
    double pace_syl_per_s[CS_MAX_SPEAKERS];   /* local articulation rate */
    double level_db[CS_MAX_SPEAKERS];         /* active level over the tone window */
    double pitch_hz[CS_MAX_SPEAKERS];         /* median f0 over the tone window */
    double feature[CS_MAX_SPEAKERS][CS_TONE_FEATURES];
} cs_tone_frame;

typedef struct cs_tone cs_tone;

/* The profile's tracks.hop_s must be the analyzer's; rate_hz is its sample rate. */
CS_API int cs_tone_open(cs_tone **out, const cs_profile *prof, const cs_tone_model *model, int rate_hz);
CS_API void cs_tone_close(cs_tone *t);
/* Learn baselines from the frames of one or more calls, each call's frames
 * in time order and closed by cs_tone_learn_end; all before the first push. */
CS_API int cs_tone_learn(cs_tone *t, const cs_frame *fr);
CS_API int cs_tone_learn_end(cs_tone *t);
/* Fix a speaker's baseline (overrides what was learnt). */
CS_API int cs_tone_set_baseline(cs_tone *t, int speaker, const cs_baseline *b);
/* The baseline in force for a speaker (speech_s 0 when none yet). */
CS_API int cs_tone_baseline(const cs_tone *t, int speaker, cs_baseline *b);
/* Score frames in time order. Results come out of cs_tone_pull in the same
 * order, delayed by half the widest analysis window (at once, from windows
 * that end at the frame, with tone.trailing set); flags out of
 * cs_tone_pull_flag once they have ended (or at cs_tone_finish). */
CS_API int cs_tone_push(cs_tone *t, const cs_frame *fr);
CS_API int cs_tone_pull(cs_tone *t, cs_tone_frame *out);
CS_API int cs_tone_pull_flag(cs_tone *t, cs_flag *out);
CS_API int cs_tone_finish(cs_tone *t);
/* Mean arousal over the speaker's scored speech (calm_score = 1 - this), NAN if none. */
CS_API double cs_tone_mean_arousal(const cs_tone *t, int speaker);

#ifdef __cplusplus
}
#endif

#endif
