/*
 * Voice activity for every speaker at once, one decision per hop.
 *
 * Each speaker's channel is compared, bin by bin, with what is expected there
 * without that speaker: the channel's own noise floor (minimum statistics,
 * Martin 2001) plus the other party's voice leaking in (echo / crosstalk),
 * predicted through a leakage path learnt per delay and band from the other
 * channel's recent power (the most the path makes of it at any delay covered).
 * Speech is what stands out from both, so leakage is neither speech nor
 * overlap, and no fixed dBFS level is used.
 */
#ifndef CS_VAD_H
#define CS_VAD_H

#include "callscope/callscope.h"

#include <stdint.h>

typedef struct vad_state vad_state;

typedef struct vad {
    int nspeakers;
    int nbins;       /* bins in use: [bin_lo, bin_hi) */
    int bin_lo, bin_hi;
    double hop_s;
    int delay;       /* hops between a spectrum in and its decision out */
    int overhang;    /* hops a detection outlasts the sound (window, hangover) */
    int warmup;      /* hops before the first window holds only real samples */
    int hang_hops;   /* hangover: speech is held this long after it fades */
    int64_t hops_in;
    vad_state *state;
    int onset_hops;  /* the graded hop runs this many hops, less one, ahead of the decided one */
    /* Results for the decided hop (hops_in - 1 - delay). */
    int active[CS_MAX_SPEAKERS];
    int hold[CS_MAX_SPEAKERS];          /* the graded hop sounds like music or a tone */
    int64_t graded_hop;                 /* index of that hop */
} vad;

/* spectrum_bins: size of each power array passed to vad_step; bin_hz: Hz per bin. */
int vad_init(vad *v, const cs_profile *prof, int nspeakers, int spectrum_bins, double bin_hz, double hop_s,
             double window_s);
void vad_free(vad *v);
void vad_reset(vad *v);
/* power[s]: the power spectrum of speaker s's channel for this hop.
 * Returns 1 when the hop `delay` hops back has been decided (active[],
 * score_db[]), 0 while the first `delay` hops fill the window. */
int vad_step(vad *v, const float *const *power);

/* Latency in hops: a decision comes `delay` hops after its spectrum; the
 * graded hop (hold) runs `onset` hops, less one, ahead of the decided one; a
 * detection outlasts its sound by `overhang`, of which `hang` is the hangover. */
static inline int vad_delay_hops(const vad *v) { return v->delay; }
static inline int vad_onset_hops(const vad *v) { return v->onset_hops; }
static inline int vad_overhang_hops(const vad *v) { return v->overhang; }
static inline int vad_hang_hops(const vad *v) { return v->hang_hops; }

#endif
