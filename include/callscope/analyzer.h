/*
 * callscope/analyzer.h: the streaming analyzer, PCM in and events out:
 * talk spurts, turns, interruptions and the rest of the conversation
 * events, voice frames, the conversation flags and the summary figures.
 * callscope/call.h builds the whole report on it; use the analyzer alone to
 * follow a call event by event:
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
#ifndef CALLSCOPE_ANALYZER_H
#define CALLSCOPE_ANALYZER_H

#include "callscope/common.h"
#include "callscope/flags.h"
#include "callscope/profile.h"

#ifdef __cplusplus
extern "C" {
#endif

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

/* Take the next conversation flag the analyzer decided (flags.h): 1, or 0
 * when none. */
CS_API int cs_pull_flag(cs_analyzer *a, cs_flag *fl);

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

#ifdef __cplusplus
}
#endif

#endif
