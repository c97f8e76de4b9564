/*
 * callgen: deterministic synthetic two-party calls with exact ground truth.
 *
 * A call is a list of events on a timeline (utterances, clicks, tones), each
 * owned by one speaker, plus the channel conditions (noise, echo, levels,
 * telephone band, mu-law, clipping, DC). Rendering produces interleaved
 * stereo floats: channel 0 carries the agent, channel 1 the customer.
 *
 * Speech is synthetic but speech-like: a glottal pulse train (per-speaker f0
 * with slow intonation and cycle-to-cycle jitter) through three gliding
 * formant resonators, cut into syllables of 150-250 ms grouped into words,
 * with short silent gaps between words and occasional fricative noise at
 * syllable onsets. The audio of an utterance is exactly zero outside
 * [start_s, start_s + dur_s), and no pause inside an utterance reaches
 * CG_MAX_INNER_PAUSE_S, so each utterance is one talk spurt by definition.
 *
 * Everything is a pure function of the call description and its seed: any
 * frame range renders to the same samples however it is cut into blocks,
 * and a stream keeps only a few kilobytes of state, so an hour-long call can
 * be written block by block with flat memory.
 */
#ifndef CALLGEN_H
#define CALLGEN_H

#include <stddef.h>
#include <stdint.h>

#define CG_AGENT 0
#define CG_CUSTOMER 1

/* Longest silent gap inside one utterance (between words). */
#define CG_MAX_INNER_PAUSE_S 0.15

/* Pauses shorter than this are bridged in the ground truth (docs/metrics.md, Talk spurts). */
#define CG_BRIDGE_S 0.18

typedef enum cg_kind {
    CG_SPEECH = 0, /* an utterance: counts as speech in the ground truth */
    CG_CLICK,      /* a flat broadband noise burst (3 ms ramps): not speech */
    CG_TONE,       /* a steady tone at f0_hz plus its fifth: hold-like, not speech */
    CG_HAPPY,      /* speech in a joyful, animated voice: wide, rising intonation, a
                      regular, smooth voice (pitch and level set as for any utterance) */
    CG_ANGRY,      /* speech in an angry voice: a pressed, rough voice (sharp glottal
                      closure, irregular periods and amplitudes, breath noise), falling
                      intonation */
    CG_LAUGH       /* a bout of laughter: "ha" calls CG_LAUGH_PERIOD_S apart, each a
                      breathy "h" then a short vowel at f0_hz (0: the speaker's pitch
                      CG_LAUGH_RISE_ST higher), fading over the bout. Not speech in the
                      ground truth, though voice activity hears it */
} cg_kind;

#define CG_LAUGH_PERIOD_S 0.21
#define CG_LAUGH_RISE_ST 9.0

/* The kinds the ground truth counts as speech. */
int cg_is_speech(cg_kind kind);

typedef struct cg_utt {
    int speaker;       /* CG_AGENT or CG_CUSTOMER */
    double start_s;
    double dur_s;
    double level_dbfs; /* RMS of sustained vowels; 0 = the speaker's default */
    double f0_hz;      /* base pitch; 0 = the speaker's default */
    cg_kind kind;
    double pace;       /* syllable rate factor: 0 or 1 normal, 1.5 half as fast again */
} cg_utt;

typedef enum cg_noise {
    CG_NOISE_NONE = 0,
    CG_NOISE_WHITE,
    CG_NOISE_PINK,
    CG_NOISE_HUM,    /* 50 Hz mains hum with harmonics */
    CG_NOISE_BABBLE  /* four quiet synthetic talkers, summed */
} cg_noise;

/* How the other party reaches a channel that carries it (echo = 1). */
typedef enum cg_echo_path {
    CG_ECHO_COPY = 0, /* the other's clean speech, delayed and scaled */
    CG_ECHO_LINE      /* a telephone line echo: what the other party sent down the line (their
                         speech and noise, band-limited and mu-law coded like the call),
                         delayed, through a dispersive coloured impulse response (decaying
                         noise shaped by a resonance somewhere in the voice band, as measured
                         hybrid responses look), at a return loss that drifts slowly; the
                         channel then codes it again with its own speech */
} cg_echo_path;

typedef struct cg_channel {
    cg_noise noise;
    double snr_db;        /* noise RMS = this channel's speaker level - snr_db */
    int echo;             /* 1: this channel also carries the other speaker */
    double echo_db;       /* leakage gain (e.g. -20): of the clean speech, or the line echo's
                             mean return loss (unit-energy impulse response) */
    double echo_delay_s;  /* leakage delay, 0 .. CG_MAX_ECHO_DELAY_S */
    cg_echo_path echo_path;
    double echo_dispersion_s; /* line echo: decay time constant of the impulse response
                                 (it lasts five of them), 0 .. CG_MAX_ECHO_DISPERSION_S */
    double echo_drift_db;     /* line echo: the return loss wanders by +- this ... */
    double echo_drift_s;      /* ... over this period (a sine; 0: steady) */
    double gain_db;       /* channel gain applied after mixing (level mismatch) */
    double dc;            /* DC offset added after the gain */
} cg_channel;

#define CG_MAX_ECHO_DELAY_S 0.5
#define CG_MAX_ECHO_DISPERSION_S 0.02

typedef struct cg_call {
    int rate_hz;              /* 8000 .. 48000 */
    double duration_s;        /* the call's length; rendering past it gives silence */
    uint64_t seed;
    double level_dbfs[2];     /* speaker default speech level (default -20) */
    double f0_hz[2];          /* speaker default f0 (default 110 / 210) */
    cg_channel ch[2];
    int telephone;            /* 1: 300-3400 Hz band-pass on both channels */
    int mulaw;                /* 1: G.711 mu-law encode/decode round trip */
    double clip;              /* >0: hard clip at +-clip after everything else */
    cg_utt *utt;              /* owned; add with cg_add / cg_add_utt */
    int nutt;
    int cap;
} cg_call;

/* A clean call: no noise, no echo, unity gains, default speaker voices. */
void cg_call_init(cg_call *call, int rate_hz, double duration_s, uint64_t seed);
void cg_call_free(cg_call *call);

/* Add a speech utterance with the speaker's defaults; returns its index. */
int cg_add(cg_call *call, int speaker, double start_s, double end_s);
int cg_add_utt(cg_call *call, const cg_utt *u);

/* Frames of the call (duration_s * rate_hz, rounded). */
int64_t cg_frames(const cg_call *call);

/* ---- rendering --------------------------------------------------------- */

typedef struct cg_stream cg_stream;

/* A renderer positioned at frame 0. The call must outlive the stream and must
 * not change while it is in use. NULL on allocation failure. */
cg_stream *cg_stream_new(const cg_call *call);
void cg_stream_free(cg_stream *st);

/* Render nframes stereo frames (2 * nframes floats) from the current position. */
void cg_stream_read(cg_stream *st, float *out, size_t nframes);

/* Move to frame; going backwards restarts from 0 and runs forward. */
void cg_stream_seek(cg_stream *st, int64_t frame);

/* Render frames [first, first + nframes) of the call into out (stereo). */
int cg_render(const cg_call *call, int64_t first, size_t nframes, float *out);

/* The whole call, malloc'ed (2 * frames floats); NULL on failure. */
float *cg_render_all(const cg_call *call, size_t *nframes_out);

/* ---- ground truth ------------------------------------------------------ */

typedef struct cg_interval {
    double start_s, end_s;
} cg_interval;

/* The speaker's speech intervals in time order: the extents of their CG_SPEECH
 * utterances, merged where they overlap or are less than CG_BRIDGE_S apart.
 * Writes at most max, returns how many there are. */
int cg_truth(const cg_call *call, int speaker, cg_interval *out, int max);

/* ---- whole conversations ---------------------------------------------- */

typedef struct cg_convo {
    double duration_s;
    double turn_min_s, turn_max_s;  /* one speaker's turn length */
    double gap_min_s, gap_max_s;    /* usual hand-over gap */
    double overlap_prob;            /* chance a hand-over overlaps by 0.2-0.6 s */
    double backchannel_prob;        /* chance per 4 s of turn of a listener "mm-hm" */
    double long_gap_prob;           /* chance of a 3-7 s silence before a turn */
} cg_convo;

/* Alternating turns with pauses, optional overlaps and backchannels, filling
 * [0.3, duration - 0.3]. Utterances are appended to call (which keeps its
 * conditions). Deterministic in seed. Returns the number of utterances added. */
void cg_convo_default(cg_convo *c, double duration_s);
int cg_add_conversation(cg_call *call, const cg_convo *c, uint64_t seed);

/* ---- small helpers shared by tests ------------------------------------ */

/* Deterministic PRNG (xorshift64*): state must be non-zero. */
uint64_t cg_rand_u64(uint64_t *state);
double cg_rand_unit(uint64_t *state);            /* [0, 1) */
double cg_rand_range(uint64_t *state, double lo, double hi);
uint64_t cg_seed_mix(uint64_t a, uint64_t b);     /* a well-mixed non-zero seed */

/* G.711 mu-law, 14-bit magnitude after the usual bias. */
uint8_t cg_mulaw_encode(int16_t pcm);
int16_t cg_mulaw_decode(uint8_t code);

#endif
