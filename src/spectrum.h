/*
 * Framer and power spectrum of one channel: every hop, the window centred on
 * that hop is Hann-weighted and transformed.
 *
 * Power scaling: power[k] = 2 |X[k]|^2 / (N * sum w^2), so the sum over all
 * bins equals the mean square of the signal (a full-scale sine sums to 0.5,
 * i.e. -3.0 dBFS RMS).
 */
#ifndef CS_SPECTRUM_H
#define CS_SPECTRUM_H

#include "dsp_util.h"
#include "fft.h"

#include <stdint.h>

typedef struct spectrum {
    int rate_hz;
    int hop;          /* samples per hop */
    int window;       /* samples per window (<= fft size) */
    int nfft;
    int nbins;        /* nfft/2 + 1 */
    int lookahead;    /* samples past a hop's end its window needs */
    float *ring;      /* last `window` samples, circular */
    int ring_pos;
    float *taper;     /* Hann window */
    double scale;     /* 2 / (N sum w^2) */
    cs_fft *fft;
    float *power;     /* nbins, valid after spectrum_compute */
    double mean_square; /* of the hop's samples (not the window) */
    double hop_sum_sq;
    int hop_fill;
} spectrum;

int spectrum_init(spectrum *s, int rate_hz, int hop, double window_s);
void spectrum_free(spectrum *s);
void spectrum_reset(spectrum *s);
/* Append one sample. */
static inline void spectrum_feed(spectrum *s, float x)
{
    s->ring[s->ring_pos] = x;
    if (++s->ring_pos == s->window)
        s->ring_pos = 0;
}
/* Append n samples, x[0], x[stride], ... */
static inline void spectrum_feed_block(spectrum *s, const float *x, int stride, size_t n)
{
    ring_append(s->ring, s->window, &s->ring_pos, x, stride, n);
}
/* Transform the last `window` samples fed into s->power. */
void spectrum_compute(spectrum *s);
/* Bin index of a frequency (rounded, clamped to 0..nbins-1). */
int spectrum_bin(const spectrum *s, double hz);

/* Latency: samples a window spans, and samples past a hop's end it needs. */
static inline int spectrum_window_samples(const spectrum *s) { return s->window; }
static inline int spectrum_lookahead_samples(const spectrum *s) { return s->lookahead; }

#endif
