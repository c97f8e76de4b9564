/*
 * Two voices in one channel: which speech hop belongs to which speaker.
 *
 * Each voiced speech hop is described by its timbre (mel-frequency cepstra of
 * the voice band) and its pitch. The first stretch of a call is held back and learnt from: a
 * Gaussian mixture of all its speech, each piece of speech summarised as the
 * shift it asks of that mixture, the summaries split in two, then a mixture
 * per voice (its components sharing one full covariance) refitted over
 * rounds of re-assigning pieces (from several starting splits; the likeliest
 * result is kept, and the others tell how sure that split is). After that
 * every piece of speech goes to the voice whose mixture explains it better,
 * as soon as the piece ends; inside it, one short stretch that clearly
 * sounds like the other voice goes to that voice (a backchannel). Where the voice changes with no pause, the change is put where
 * the hops' evidence turns, and the hops around it where the mix is louder
 * than either voice usually is are given to both (overlapping speech).
 * Memory and delay are bounded by the learning stretch, never by the call's
 * length.
 */
#ifndef CS_DIARIZE_H
#define CS_DIARIZE_H

#include "callscope/callscope.h"

#include <stdint.h>

/* The profile's ranges of diarize.cepstra (plus pitch) and diarize.bands. */
#define CS_DIARIZE_MAX_DIM 21
#define CS_DIARIZE_MAX_BANDS 40

typedef struct diarize_gmm {
    int k;
    int full;        /* full covariances (whiten) rather than diagonal ones (inv_var) */
    float *log_norm; /* per component: log weight + log Gaussian normaliser */
    float *mean;     /* k x dim */
    float *inv_var;  /* diagonal: k x dim */
    float *whiten;   /* full: k x dim x dim, lower triangular, the inverse of the covariance's Cholesky factor */
} diarize_gmm;

typedef struct diarize_piece {
    int64_t first_hop;
    int first_frame; /* index into the learning store */
    int frames;      /* speech hops */
    int hops;        /* from the first to the last speech hop */
} diarize_piece;

typedef struct diarizer {
    int ncep, use_pitch, dim; /* cepstra, then log pitch when use_pitch */
    int nbands, bin_lo, bin_hi;
    float *filters;   /* nbands x (bin_hi - bin_lo) */
    float *dct;       /* dim x nbands */
    int piece_hops, bridge_hops, learn_frames, learn_max_hops, min_summary_frames;
    int ubm_k, speaker_k, em_iterations, refit_iterations, rounds, restarts, train_step;
    double relevance, min_share, min_gain, confident_llr, confident_gain;
    double rival_agreement, confident_rival_gap, confident_speech_s, confident_hop_agreement;
    double hop_s;
    int agent_second;       /* the agent is the second voice heard */
    double agent_pitch_st;  /* the agent's usual pitch, or NAN */

    /* The learning stretch. */
    float *feat;            /* learn_frames x dim */
    float *f0_hz;           /* per learning frame, 0 unvoiced */
    int nframes;
    diarize_piece *pieces;
    int npieces, max_pieces;
    int learning;
    int64_t hops_seen;

    /* Hops waiting for their speaker, in order. */
    uint8_t *ring;
    int64_t ring_mask;
    int64_t oldest;         /* next hop to hand out */
    int64_t next;           /* next hop to come in */
    int64_t decided;        /* hops before this have their speaker */
    float *hop_llr;         /* per hop: log-likelihood ratio of voice 1 over voice 0 (0 unvoiced) */
    float *hop_db;          /* per hop: level of the mix in the timbre band */
    int *hop_frame;         /* per hop while learning: its frame in the store, or -1 */
    int held;               /* a placed piece waits: the next may move its end */
    int64_t held_first, held_last;
    int held_voice;
    double voice_db[2];     /* each voice's usual level in the mix */
    double overlap_db;
    int overlap_min_hops, overlap_max_hops, smooth_hops;
    int short_run_hops, short_run_voiced_hops;
    double short_run_llr;
    int piece_open;         /* a piece is growing (its pause is not yet too long) */
    int64_t piece_first, last_speech;
    int piece_frames;
    double piece_llr;

    diarize_gmm ubm, voice[2], best[2];
    int single;             /* one voice only: everything is the agent's */
    int agent_voice;        /* which of voice[] is the agent */
    double confidence;
    double gain;            /* per-frame log-likelihood gain of two voices over one */

    /* Scratch for learning, allocated once. */
    float *summary;         /* max_pieces x ubm_k x dim */
    int *summarised;        /* pieces with a summary */
    int *label, *best_label;
    uint8_t *restart_label; /* restarts x max_pieces: each start's final split */
    double *restart_total;  /* each start's final log-likelihood (-INFINITY when it ran out) */
    double *piece_ll;       /* max_pieces x 2 */
    int *frame_index;
    double *acc;            /* EM accumulators */
    float *post;            /* per component scratch */
    float *centre;          /* two summary centres */
} diarizer;

/* bin_hz: Hz per spectrum bin; nbins: bins of each power spectrum. */
int diarizer_init(diarizer *d, const cs_profile *prof, int nbins, double bin_hz, int rate_hz, double hop_s,
                  int agent_second, double agent_pitch_hz);
void diarizer_free(diarizer *d);
/* Hops the diarizer can hold back at most (learning stretch and a piece). */
int diarizer_max_delay(const diarizer *d);
/* The timbre of one hop's power spectrum: d->ncep cepstra, then the band's
 * level in dB (diarizer_feature_size values). */
void diarizer_features(const diarizer *d, const float *power, float *out);
static inline int diarizer_feature_size(const diarizer *d) { return d->ncep + 1; }
/* The next hop: speech or not, its timbre and pitch (0 when unvoiced).
 * Room is needed: diarizer_space() >= 1. */
void diarizer_push(diarizer *d, int speech, const float *feat, double f0_hz);
int diarizer_space(const diarizer *d);
/* The oldest hop whose speakers are known: 1 and *speakers (a mask: bit 0
 * the agent, bit 1 the customer; 0 nobody), or 0 when the next one is not
 * known yet. */
int diarizer_pull(diarizer *d, int *speakers);
/* End of the call: every hop gets its speaker. */
void diarizer_finish(diarizer *d);

#endif
