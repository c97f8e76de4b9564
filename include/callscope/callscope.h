/*
 * callscope: streaming analysis of two-party conversations.
 *
 * The library takes PCM in and gives conversation events out. It never opens
 * files, never prints and never exits; the caller owns all I/O. What every
 * event, measure and flag means, and the profile key of every threshold, is
 * in docs/metrics.md; what the callscope tool writes, in docs/report.md.
 *
 *     cs_profile prof;
 *     cs_profile_default(&prof);
 *     cs_config cfg;
 *     cs_config_default(&cfg, rate_hz, channels);
 *     cs_analyzer *a;
 *     if ((err = cs_open(&a, &cfg, &prof)) < 0) fail(cs_strerror(err));
 *     while ((n = read_block(buf, BLOCK)) > 0) {
 *         size_t done = 0;
 *         while (done < n) {
 *             long r = cs_push(a, buf + done * channels, n - done);
 *             if (r < 0) fail(cs_strerror((int)r));
 *             done += (size_t)r;
 *             while (cs_pull(a, &ev) > 0) use(&ev);
 *             while (cs_pull_flag(a, &fl) > 0) use_flag(&fl);
 *             while (cs_pull_frame(a, &fr) > 0) use_frame(&fr);
 *         }
 *     }
 *     while (cs_finish(a) == CS_FINISH_MORE)
 *         pull_everything(a);
 *     while (cs_pull(a, &ev) > 0) use(&ev);
 *     cs_summary_get(a, &sum);
 *     cs_close(a);
 *
 * Time inside the library is a sample index (int64_t) at the analysis rate
 * (cs_analysis_rate), counted from the first frame pushed; cs_seconds()
 * converts at the edges. Vocabulary: a *frame* is
 * one multichannel sample instant, a *hop* one 10 ms analysis step, a
 * *window* one analysis span.
 *
 * Real-time safety: cs_push, cs_pull, cs_finish, cs_summary_get and
 * cs_seconds never allocate, lock (beyond nothing) or do I/O, with one
 * exception: when the input's rate is above the analysis rate
 * (cs_analysis_rate), the resampler (libsoxr) sizes its buffers during the
 * first pushes. Live capture at the analysis rate avoids it. cs_open and
 * cs_close allocate and free; cs_open also creates FFT plans under a mutex.
 * One analyzer must not be used from two threads at once; separate analyzers
 * are independent.
 */
#ifndef CALLSCOPE_H
#define CALLSCOPE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CS_VERSION "0.1.0"

/* Marks the library's public functions: the only symbols libcallscope
 * exports (the rest is built with hidden visibility, so an embedding program
 * may define a function of any other name). */
#if defined(__GNUC__) || defined(__clang__)
#define CS_API __attribute__((visibility("default")))
#else
#define CS_API
#endif

/* ---- errors ------------------------------------------------------------ */

/* Every function that can fail returns CS_OK (0) or a negative CS_E* code. */
enum {
    CS_OK = 0,
    CS_EINVAL = -1,       /* a NULL pointer or an argument out of range */
    CS_ENOMEM = -2,       /* allocation failed (only cs_open allocates) */
    CS_ESTATE = -3,       /* call not allowed now (e.g. push after finish) */
    CS_ERATE = -4,        /* sample rate outside CS_MIN_RATE_HZ..CS_MAX_RATE_HZ */
    CS_ECHANNELS = -5,    /* channel count or channel map not usable */
    CS_EPROFILE = -6,     /* unknown profile key or a value out of range */
    CS_ENONFINITE = -7,   /* a NaN or infinite sample was pushed */
    CS_EFFT = -8          /* the FFT library could not plan a transform */
};

/* A static English description of an error code; never NULL. */
CS_API const char *cs_strerror(int err);

/* Library version string, equal to CS_VERSION of the build. */
CS_API const char *cs_version(void);

#define CS_MIN_RATE_HZ 8000
#define CS_MAX_RATE_HZ 48000

/* ---- speakers ---------------------------------------------------------- */

/* Speakers are roles, not channels: the channel map says which is which. */
enum { CS_AGENT = 0, CS_CUSTOMER = 1, CS_MAX_SPEAKERS = 2 };

/* "agent", "customer", or "none" for a negative index. */
CS_API const char *cs_speaker_name(int speaker);

/* ---- profile: every threshold the analysis uses --------------------------
 *
 * A profile is a flat table of named numbers (seconds, dB, ratios). The
 * defaults are built from models/default.profile, so that file is the single
 * source of every default. Text form, one setting a line:
 *
 *     # comment
 *     name = default
 *     vad.bridge_s = 0.18
 *
 * Keys are listed by cs_profile_count / cs_profile_key. Values are checked
 * against each key's documented range.
 */
#define CS_PROFILE_NAME_MAX 64
#define CS_PROFILE_MAX_KEYS 256

typedef struct cs_profile {
    char name[CS_PROFILE_NAME_MAX];
    double value[CS_PROFILE_MAX_KEYS]; /* indexed by key number */
} cs_profile;

/* Fill with the built-in defaults (models/default.profile). */
CS_API void cs_profile_default(cs_profile *prof);

/* Number of keys, and the name / help / unit text of key i (NULL when out of range). */
CS_API int cs_profile_count(void);
CS_API const char *cs_profile_key(int i);
CS_API const char *cs_profile_help(int i);

/* Key number for a name, or CS_EPROFILE. */
CS_API int cs_profile_find(const char *key);

/* Value of a key by name; CS_EPROFILE for an unknown key. */
CS_API int cs_profile_get(const cs_profile *prof, const char *key, double *value);

/* Set one key from text ("0.18"); "name" sets the profile name.
 * CS_EPROFILE: unknown key, unparsable number, or value out of range. */
CS_API int cs_profile_set(cs_profile *prof, const char *key, const char *value);

/* Apply profile text (the file format above) on top of prof. On error
 * returns CS_EPROFILE and, if line_out is not NULL, the 1-based line. */
CS_API int cs_profile_parse(cs_profile *prof, const char *text, int *line_out);

/* ---- configuration ----------------------------------------------------- */

typedef struct cs_config {
    int sample_rate_hz;   /* CS_MIN_RATE_HZ .. CS_MAX_RATE_HZ */
    int channels;         /* interleaved channels pushed, 1..CS_MAX_INPUT_CHANNELS */
    /* Input channel that carries each speaker, or -1 for none. With one input
     * channel only the agent is mapped (mono mix: one speaker). */
    int speaker_channel[CS_MAX_SPEAKERS];
    /* 1: also give live frames (cs_pull_live_frame), for displays and cues
     * while the call happens; 0 (default) for recordings. */
    int live_frames;
    /* 1: the mapped agent channel holds both parties (a mono mix); the two
     * voices are told apart by their timbre (see cs_summary.diarized). The
     * agent is the first voice heard, or the second with agent_second, or,
     * when agent_pitch_hz > 0 (from a stored baseline), the voice whose median
     * pitch is nearer to it. Not with live_frames. Events then come late: the
     * first diarize.learn_s of speech is held back to learn the voices. */
    int diarize;
    int agent_second;
    double agent_pitch_hz;
} cs_config;

#define CS_MAX_INPUT_CHANNELS 64

/* Defaults: agent on channel 0, customer on channel 1 when channels >= 2. */
CS_API void cs_config_default(cs_config *cfg, int sample_rate_hz, int channels);

/* ---- events ------------------------------------------------------------ */

typedef enum cs_event_type {
    CS_EVENT_SEGMENT = 1,   /* a talk spurt of speaker [start, end) */
    CS_EVENT_TURN,          /* a turn of speaker (segments merged, see docs/metrics.md) */
    CS_EVENT_INTERRUPTION,  /* speaker interrupted other at start; end = when other
                               stopped; value = overlap seconds */
    CS_EVENT_BACKCHANNEL,   /* speaker gave a short burst while other kept talking */
    CS_EVENT_OVERLAP,       /* cooperative end-of-turn overlap; speaker = newcomer */
    CS_EVENT_OVERTALK,      /* both kept talking >= overtalk.min_s; speaker = newcomer */
    CS_EVENT_DEAD_AIR,      /* mutual silence; tier 1 or 2 */
    CS_EVENT_HOLD,          /* music or tone with no speech on speaker's channel */
    CS_EVENT_MONOLOGUE,     /* a monologue of speaker (see docs/metrics.md) */
    CS_EVENT_RESPONSE,      /* speaker took the floor after other's turn;
                               value = gap seconds (negative: overlapping hand-over)
                               between the sounds, segment padding left out;
                               start..end = that gap, or for a negative gap
                               the overlap (speaker's onset..other's end);
                               tier = 1 when other's turn lasted >= rushed.min_turn_s */
    CS_EVENT_LAUGHTER       /* speaker laughed (a bout of laughter.min_s or longer);
                               comes a little after the turn-taking events of its time */
} cs_event_type;

typedef struct cs_event {
    cs_event_type type;
    int speaker;      /* CS_AGENT / CS_CUSTOMER, or -1 when it concerns nobody */
    int other;        /* the other party, or -1 */
    int64_t start;    /* first sample (inclusive) */
    int64_t end;      /* last sample (exclusive) */
    double value;     /* type-specific, see cs_event_type */
    int tier;         /* type-specific, 0 when unused */
} cs_event;

/* "segment", "turn", "interruption", ... as used in the JSON report. */
CS_API const char *cs_event_type_name(cs_event_type type);

/* ---- the analyzer ------------------------------------------------------ */

typedef struct cs_analyzer cs_analyzer;

/* Create an analyzer. The profile is copied. On failure *out is NULL and
 * nothing is leaked. Not real-time safe. */
CS_API int cs_open(cs_analyzer **out, const cs_config *cfg, const cs_profile *prof);

/* Push nframes interleaved frames (cfg.channels floats each, nominal range
 * -1..1). Returns the number of frames consumed (>= 0), which is less than
 * nframes only when a queue is nearly full: pull events (cs_pull), voice
 * frames (cs_pull_frame) and flags (cs_pull_flag), then push the rest. Negative on error: CS_ENONFINITE when a frame holds a NaN or
 * infinite sample (the frames before it are consumed; the stream cannot go
 * on meaningfully, so treat it as fatal), CS_ESTATE after cs_finish. */
CS_API long cs_push(cs_analyzer *a, const float *frames, size_t nframes);

/* Take the next decided event: 1 and *ev filled, 0 when none is ready. */
CS_API int cs_pull(cs_analyzer *a, cs_event *ev);

/* End of stream: closes open segments and turns and decides everything
 * pending. Events may then be pulled (the queue always has room for them).
 * Returns CS_OK when done, or CS_FINISH_MORE when more is pending than the
 * queues hold (only with cs_config.diarize): pull everything, then call
 * cs_finish again. Calling it once more after CS_OK is CS_ESTATE. */
#define CS_FINISH_MORE 1
CS_API int cs_finish(cs_analyzer *a);

/* Free everything; NULL is fine. */
CS_API void cs_close(cs_analyzer *a);

/* The rate the analysis runs at for a recording of input_rate_hz: the
 * profile's input.analysis_rate_hz (8000 by default), or the input's own rate
 * when that is lower. Recordings above it are resampled down to it when they
 * are pushed, so the same speech gives the same figures whatever rate it was
 * recorded at. Every sample index the analyzer hands out (events, flags,
 * frames, live frames) counts at this rate; so do cs_hop_samples,
 * cs_frame_samples and the rate_hz that cs_tone_open and cs_flag_message
 * expect. CS_EINVAL when prof is NULL. */
CS_API int cs_analysis_rate(const cs_profile *prof, int input_rate_hz);

/* Seconds of a sample index under this analyzer's analysis rate. */
CS_API double cs_seconds(const cs_analyzer *a, int64_t sample);

/* Nominal analysis hop; a hop is this long rounded to whole samples. */
#define CS_HOP_S 0.01

/* Analysis hop in samples (about CS_HOP_S). */
CS_API int cs_hop_samples(const cs_analyzer *a);

/* Length of a voice frame in samples: tracks.hop_s in whole hops. */
CS_API int cs_frame_samples(const cs_analyzer *a);

/* ---- voice frames: pitch, level and syllables over time -----------------
 *
 * Alongside events the analyzer gives one frame every tracks.hop_s (from
 * time 0; 0.01 s up to 2 s) with what each speaker's voice did in it, over
 * the hops where that speaker was speaking. Frames come out in time order,
 * a little after the events of the same time; cs_finish flushes the last.
 */
typedef struct cs_voice {
    double speech_s;       /* speaking time inside the frame; 0 = silent */
    double voiced_s;       /* of which voiced (a pitch was found) */
    double articulation_s; /* of which away from the edges of a talk spurt (detection
                              widens spurts a little; syllable rates count against this) */
    double pitch_hz;       /* median f0 of the voiced hops; NAN when none */
    double pitch_lo_hz;    /* 10th and 90th percentile of f0; NAN when none */
    double pitch_hi_hz;
    double level_db;       /* active speech level: mean power of the speech hops in dBFS
                              (a full-scale sine is -3.0); NAN when silent */
    double high_band_db;   /* power above tone.high_band_hz relative to the voice band,
                              dB; NAN when silent */
    int syllables;         /* syllable nuclei whose peak falls in the frame */
    double laughter_s;     /* of speech_s, the time the speaker was laughing (see
                              CS_EVENT_LAUGHTER); 0 in live frames, which leave before
                              laughter is decided */
} cs_voice;

typedef struct cs_frame {
    int64_t start;         /* first sample (inclusive) */
    int64_t end;           /* last sample (exclusive) */
    cs_voice speaker[CS_MAX_SPEAKERS]; /* by role; an unmapped role stays silent */
    double overtalk_s;     /* time both spoke at once, neither of them laughing */
} cs_frame;

/* Take the next voice frame: 1 and *fr filled, 0 when none is ready. */
CS_API int cs_pull_frame(cs_analyzer *a, cs_frame *fr);

/* Live frames (with cfg.live_frames): the same measures, every live.frame_s,
 * taken as soon as voice activity has decided each hop (about a tenth of a
 * second behind the input) instead of after the turn stage has settled it
 * (several seconds). A frame's time, level and pitch are its own hops'; its
 * syllables and articulation time are those the syllable look-ahead decided
 * during it (about 0.3 s older), with short pauses bridged and talk spurts
 * begun early as the report has them. Quick but provisional: activity is not yet cleaned of short
 * bursts, so they feed live displays and cues, never the report. Pull them
 * like frames (cs_push also stops when they are not pulled); CS_ESTATE
 * without cfg.live_frames. */
CS_API int cs_pull_live_frame(cs_analyzer *a, cs_frame *fr);

/* Length of a live frame in samples; CS_ESTATE without cfg.live_frames. */
CS_API int cs_live_frame_samples(const cs_analyzer *a);

/* ---- summary ----------------------------------------------------------- */

typedef struct cs_speaker_summary {
    int present;                   /* mapped to a channel */
    double talk_s;                 /* total segment duration */
    double talk_share;             /* agent: talk_s / both; NAN when nobody spoke */
    int segments;
    int turns;
    int interruptions_made;
    int backchannels_made;
    int overtalks_started;
    int responses;                 /* hand-overs to this speaker after the other's turn */
    double response_latency_median_s; /* NAN when no response */
    double fast_response_share;    /* share of responses with gap < rushed.max_gap_s; NAN if none */
    int rushed_responses;          /* fast responses after a turn >= rushed.min_turn_s */
    double longest_monologue_s;
    double longest_turn_s;
    double clipped_fraction;       /* samples at full scale on this speaker's channel */
    /* Voice over the whole call (speech hops only); NAN when not measurable. */
    double voiced_s;
    double pitch_median_hz;
    double pitch_range_st;         /* 10th to 90th percentile of f0, semitones */
    double level_db;               /* active speech level, dBFS */
    int syllables;                 /* syllable nuclei */
    double pace_syl_per_s;         /* articulation rate: syllables per second of speech */
    double speaking_rate_syl_per_s;/* syllables per second of turn time (pauses inside turns count) */
} cs_speaker_summary;

typedef struct cs_summary {
    double duration_s;
    int64_t frames;                /* frames pushed, at the input's rate */
    cs_speaker_summary speaker[CS_MAX_SPEAKERS];
    double overlap_s;              /* both speaking */
    double silence_s;              /* mutual silence between first and last speech */
    double longest_silence_s;
    double longest_monologue_s;
    int longest_monologue_speaker; /* -1 when no speech */
    int dead_air_count;            /* tier >= 1 (>= dead_air.tier1_s) */
    int dead_air_tier2_count;
    int hold_count;
    int interruptions;
    int backchannels;
    int overlaps;
    int overtalks;
    int any_speech;
    /* Mono separation (cs_config.diarize): 1 when it ran, the voices found
     * (1 or 2), the confidence (0..1: the share of the learnt speech placed
     * with a clear margin, scaled down when the gain falls short of
     * diarize.confident_gain, when a different split explains the speech
     * nearly as well, and when there was little speech to learn from), the
     * per-frame log-likelihood gain of two voices over one, and whether who
     * said what is doubtful (two voices, confidence under
     * diarize.doubtful_below: see cs_flag.doubtful). */
    int diarized;
    int voices;
    double separation_confidence;
    double separation_gain;
    int separation_doubtful;
} cs_summary;

/* Totals so far (final after cs_finish). */
CS_API int cs_summary_get(const cs_analyzer *a, cs_summary *sum);

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

/* Take the next conversation flag the analyzer decided: 1, or 0 when none. */
CS_API int cs_pull_flag(cs_analyzer *a, cs_flag *fl);

/* Live cue kinds (see the live section below). */
typedef enum cs_cue_kind {
    CS_CUE_SLOW_DOWN = 1,
    CS_CUE_LET_THEM_FINISH,
    CS_CUE_LOWER_VOICE,
    CS_CUE_ACKNOWLEDGE,
    CS_CUE_ASK_A_QUESTION,
    CS_CUE_KIND_END       /* one past the last kind */
} cs_cue_kind;

/* Coaching text: a message template and a tip for every kind, read from
 * "key = value" lines (models/coaching.txt is built in):
 *
 *     rushed_response.message = You started speaking {gap_s} s after ...
 *     rushed_response.tip = Pause a beat before you answer ...
 *
 * A template names {duration_s}, {start} (m:ss), {count} and the kind's
 * detail names; {name:0} prints a number with no decimals (default one).
 */
#define CS_COACHING_TEXT_MAX 512
typedef struct cs_coaching {
    char message[CS_FLAG_KIND_END][CS_COACHING_TEXT_MAX];
    char tip[CS_FLAG_KIND_END][CS_COACHING_TEXT_MAX];
    char cue[CS_CUE_KIND_END][CS_COACHING_TEXT_MAX]; /* live cue texts ("cue.slow_down = ...") */
} cs_coaching;

/* The built-in coaching text. */
CS_API void cs_coaching_default(cs_coaching *c);
/* Apply coaching text on top of c; CS_EPROFILE and the 1-based line for an
 * unknown key, an unknown placeholder or an over-long text. */
CS_API int cs_coaching_parse(cs_coaching *c, const char *text, int *line_out);
/* The flag's message with its numbers filled in; always NUL-terminated.
 * Returns the length it needed (like snprintf). */
CS_API int cs_flag_message(const cs_coaching *c, const cs_flag *fl, int rate_hz, char *buf, size_t size);
CS_API const char *cs_flag_tip(const cs_coaching *c, cs_flag_kind kind);
/* The words of a live cue ("Slow down a little"); "" out of range. */
CS_API const char *cs_cue_text(const cs_coaching *c, cs_cue_kind kind);

/* Points a flag costs the call score: score.<kind> x severity. */
CS_API double cs_flag_penalty(const cs_profile *prof, const cs_flag *fl);
/* The call score, 0-100 (higher is better conduct), from the summed
 * penalties of its flags and its length: 100 - penalty / max(1, minutes /
 * score.reference_min), floored at 0. */
CS_API double cs_call_score(const cs_profile *prof, double penalty, double duration_s);

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
