/*
 * callscope/call.h: a whole call in one object, and everything the JSON
 * report holds: segments, events, flags with their messages and tips,
 * per-speaker figures, calm, the call score, how the speakers were found and
 * the voice tracks.
 *
 * A cs_call runs the analyzer (analyzer.h) on what is pushed and keeps its
 * segments, events, voice frames and flags in a store. cs_call_finish ends
 * the analysis, then scores tone in a second pass over the stored frames
 * (each speaker's baseline learnt from the whole call first, tone.h), and
 * sums the call score from every flag (flags.h). Results are then read back
 * in time order, or written as the JSON report (docs/report.md). The
 * callscope tool is this object with file decoding, capture and output
 * files around it, so the same samples give the same report.
 *
 * The store: the second pass needs the frames and events of the whole call.
 * By default they are kept in memory, which costs about 3 MB per hour of
 * audio with tracks.hop_s at 0.5 s (the default; 150 MB at 0.01 s). For flat
 * memory on long calls give a cs_store of your own (the callscope tool
 * spools them to temporary files).
 *
 * Threads and real time: one call must not be used from two threads at
 * once. cs_call_push and cs_call_finish call the store and the observer, and
 * the memory store allocates as it grows; cs_call_finish also allocates (the
 * tone scorer, and the sorting of events and flags). Use the analyzer itself
 * (analyzer.h) where nothing may allocate.
 */
#ifndef CALLSCOPE_CALL_H
#define CALLSCOPE_CALL_H

#include "callscope/analyzer.h"
#include "callscope/coaching.h"
#include "callscope/common.h"
#include "callscope/flags.h"
#include "callscope/profile.h"
#include "callscope/tone.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the store: where a call's records wait for the second pass --------- */

/* A call writes fixed-size records to these streams, all records of a
 * stream the same size. Their layout is the library's own: a store keeps
 * bytes and gives them back unchanged. */
typedef enum cs_stream {
    CS_STREAM_AGENT_SEGMENTS = 0,
    CS_STREAM_CUSTOMER_SEGMENTS,
    CS_STREAM_EVENTS,
    CS_STREAM_FRAMES,
    CS_STREAM_TRACKS,
    CS_STREAM_FLAGS,
    CS_STREAMS
} cs_stream;

/* Each stream has its own read position. A stream is written, then read
 * (from its start, or for the tracks from any record), and at the end of the
 * analysis some are cleared and written again in time order; a write after
 * reading goes to the end. Each function returns 0, or non-zero when it
 * failed (the call then fails with CS_ESTORE; keep the reason yourself).
 * read returns 1 with the record filled, 0 at the end, negative on failure. */
typedef struct cs_store {
    void *user;
    int (*append)(void *user, cs_stream stream, const void *record, size_t size);
    /* Read from the index-th record on (past the end: at the end). */
    int (*seek)(void *user, cs_stream stream, uint64_t index, size_t size);
    int (*read)(void *user, cs_stream stream, void *record, size_t size);
    /* Drop every record of the stream. */
    int (*clear)(void *user, cs_stream stream);
} cs_store;

/* ---- watching a call as it goes (live use) ------------------------------ */

/* Every member may be NULL. Each function returns 0, or non-zero to stop the
 * call (cs_call_push or cs_call_finish then returns CS_ECALLBACK). With
 * on_live_frame set the analyzer gives live frames (cs_config.live_frames):
 * feed them to a cs_live (live.h) for meters and cues. on_flag sees the
 * conversation flags as the analyzer decides them (the voice flags come at
 * the end, from the whole call); on_event every event as it is decided. */
typedef struct cs_call_observer {
    void *user;
    int (*on_event)(void *user, const cs_event *ev);
    int (*on_flag)(void *user, const cs_flag *fl);
    int (*on_live_frame)(void *user, const cs_frame *fr);
} cs_call_observer;

/* ---- the call ----------------------------------------------------------- */

typedef struct cs_call_config {
    /* Rate, channels and who is where, as for cs_open. */
    cs_config input;
    /* 1: with two channels mapped agent 0, customer 1, look at the first
     * seconds (up to 10 s, or 2 s of signal) for two identical channels, a
     * mono mix saved as stereo, and then separate the two voices in channel
     * 0 as for input.diarize. Samples are held back until it is decided. */
    int detect_upmix;
    /* Each NULL for the built-in one; each is copied at open. */
    const cs_profile *profile;
    const cs_tone_model *tone_model;
    /* The agent's stored usual voice (cs_baseline_parse) instead of the one
     * learnt from this call; its pitch also picks the agent's voice in a mono
     * mix when input.agent_pitch_hz is 0. NULL: learnt. */
    const cs_baseline *agent_baseline;
    /* NULL: in memory. The functions must stay valid, and the user data
     * usable, until cs_call_close. */
    const cs_store *store;
    const cs_call_observer *observer;
} cs_call_config;

/* Defaults for a recording: agent on channel 0 and customer on channel 1;
 * a mono recording is a mix whose two voices are told apart (input.diarize,
 * both speakers on channel 0: for one speaker instead, clear diarize and
 * set the customer's channel to -1), and two identical channels are found
 * (detect_upmix), as the callscope tool does. */
CS_API void cs_call_config_default(cs_call_config *cfg, int sample_rate_hz, int channels);

typedef struct cs_call cs_call;

/* Create a call: CS_OK, or an error as cs_open's (CS_EINVAL, CS_ERATE,
 * CS_ECHANNELS, CS_EPROFILE, CS_ENOMEM, CS_EFFT) with *out NULL. */
CS_API int cs_call_open(cs_call **out, const cs_call_config *cfg);

/* Push nframes interleaved frames (input.channels floats each); all are
 * taken. CS_OK, or: CS_ENONFINITE (a NaN or infinite sample), CS_ESTORE,
 * CS_ECALLBACK, CS_ESTATE after cs_call_finish. After a failure the call
 * only gives CS_ESTATE or its first error. */
CS_API int cs_call_push(cs_call *call, const float *frames, size_t nframes);

/* End of the call: the analysis is ended, tone scored over the whole call,
 * the call score summed. CS_OK; CS_ECLIPPED when a speaker's channel has
 * more samples at full scale than input.max_clipped_fraction (the analysis
 * is kept and can be read and learnt from, but not tone-scored: no tracks,
 * voice flags, calm or score); CS_ESTORE, CS_ECALLBACK, CS_ENOMEM, or
 * CS_ESTATE when called twice. */
CS_API int cs_call_finish(cs_call *call);

/* Free everything; NULL is fine. */
CS_API void cs_call_close(cs_call *call);

/* The analyzer inside, for cs_seconds, cs_hop_samples, cs_frame_samples
 * and cs_live_frame_samples; NULL until it is opened (at once, or once an
 * upmix has been looked for). Do not push to it or pull from it. */
CS_API const cs_analyzer *cs_call_analyzer(const cs_call *call);

/* ---- results ------------------------------------------------------------ */

typedef struct cs_call_results {
    int64_t frames;             /* frames pushed, at the input's rate */
    double duration_s;
    int rate_hz;                /* the analysis rate: every sample index counts at it */
    /* Input channel of each speaker as analysed (-1: none); both parties
     * heard, on their own channels or separated in one. */
    int speaker_channel[CS_MAX_SPEAKERS];
    int two_party;
    int diarized;               /* one channel, two voices told apart */
    int upmixed;                /* two identical channels, taken as one (detect_upmix) */
    int clipped_speaker;        /* the speaker of CS_ECLIPPED, else -1 */
    cs_summary summary;         /* the analyzer's figures (cs_summary_get) */
    cs_baseline baseline[CS_MAX_SPEAKERS]; /* what tone was measured against */
    /* Each speaker's voice as learnt from this call, before agent_baseline
     * replaced the agent's (all zero when tone was not scored). */
    cs_baseline learnt[CS_MAX_SPEAKERS];
    double calm_score[CS_MAX_SPEAKERS];    /* 1 - mean arousal, 0..1; NAN when not measurable */
    double score;               /* 0-100 (flags.h); NAN when nobody spoke or not scored */
    uint64_t flag_count;        /* flags raised, voice and conversation */
    int tracks;                 /* 1 when voice tracks are measured (voice.analyze) */
    uint64_t track_points;      /* how many (one per voice frame; 0 when not scored) */
    double track_hop_s;         /* the length of one track point */
} cs_call_results;

/* CS_OK once cs_call_finish has ended the analysis (also after CS_ECLIPPED),
 * else CS_ESTATE. */
CS_API int cs_call_get_results(const cs_call *call, cs_call_results *res);

/* The report's plain word on how the speakers were found (one voice in a
 * mono mix, an upmixed stereo file, a mono file taken as one speaker), or
 * NULL when there is nothing to say; and the warning on a doubtful mono
 * separation, or NULL. Static strings; NULL before the analysis ends. */
CS_API const char *cs_call_source_note(const cs_call *call);
CS_API const char *cs_call_doubt_note(const cs_call *call);

/* Reading back, after cs_call_finish. Each list has its own position: begin
 * (CS_OK or CS_ESTORE), then next until it returns 0 (1: filled; negative:
 * CS_ESTORE). Times are sample indices at results.rate_hz. */

/* Talk spurts of both speakers by start time. */
CS_API int cs_call_segments_begin(cs_call *call);
CS_API int cs_call_segments_next(cs_call *call, cs_event *ev);

/* The events a report lists (interruption, backchannel, overlap, overtalk,
 * dead air, hold, laughter) by start time. */
CS_API int cs_call_events_begin(cs_call *call);
CS_API int cs_call_events_next(cs_call *call, cs_event *ev);

/* Every flag, voice and conversation, by start time; cs_flag.doubtful set
 * where who said what is doubtful. */
CS_API int cs_call_flags_begin(cs_call *call);
CS_API int cs_call_flags_next(cs_call *call, cs_flag *fl);

/* One point of the voice tracks: a voice frame as tone scored it (NAN where
 * the speaker is silent or not scored). */
typedef struct cs_track_point {
    int64_t start, end;
    double speech_s[CS_MAX_SPEAKERS];
    double pitch_hz[CS_MAX_SPEAKERS];
    double level_db[CS_MAX_SPEAKERS];
    double pace_syl_per_s[CS_MAX_SPEAKERS];
    double arousal[CS_MAX_SPEAKERS];
    double feature[CS_MAX_SPEAKERS][CS_TONE_FEATURES]; /* deviations from the baseline */
} cs_track_point;

/* Track points in time order from the first-th (one every track_hop_s). */
CS_API int cs_call_tracks_begin(cs_call *call, uint64_t first);
CS_API int cs_call_tracks_next(cs_call *call, cs_track_point *tp);

/* The call's cap weightiest flags, in time order: by what they cost the
 * score (by_penalty 1) or by severity (0); ties go to the earlier flag.
 * Returns how many (up to cap), or CS_ESTORE. */
CS_API int cs_call_top_flags(cs_call *call, int by_penalty, cs_flag *top, int cap);

/* Feed the call's voice frames to cs_tone_learn, then cs_tone_learn_end:
 * baselines across calls (callscope baseline build). After cs_call_finish. */
CS_API int cs_call_learn(cs_call *call, cs_tone *tone);

/* ---- the JSON report ---------------------------------------------------- */

/* What the call cannot know about where its audio came from, and the words
 * of its flags. */
typedef struct cs_report_source {
    const char *path;           /* the recording as given ("-": stdin) */
    const char *format;         /* container and encoding, e.g. "wav/ulaw" */
    const char *const *warnings; /* about the recording, as said to the user */
    int warning_count;
    const char *baseline_path;  /* where the agent baseline came from; NULL: learnt from this call */
    double cpu_s, wall_s;       /* what the analysis cost (meta); NAN: null */
    const cs_coaching *coaching; /* flag messages and tips; NULL: the built-in ones */
    /* What is known of the call (agent, date, queue...): metadata_count
     * name/value pairs, name first, written as the report's metadata
     * object after source; NULL: no metadata object. */
    const char *const *metadata;
    int metadata_count;
} cs_report_source;

/* Takes size bytes of the report; 0, or non-zero to stop (keep the reason). */
typedef int (*cs_write_fn)(void *user, const void *bytes, size_t size);

/* Write the report, schema callscope.report/1 (docs/report.md), a piece at a
 * time, reading the store back as it goes. CS_OK, CS_EWRITE when write
 * failed, CS_ESTORE, or CS_ESTATE before cs_call_finish has succeeded. */
#define CS_REPORT_SCHEMA "callscope.report/1"
CS_API int cs_call_write_report(cs_call *call, const cs_report_source *src, cs_write_fn write, void *user);

#ifdef __cplusplus
}
#endif

#endif
