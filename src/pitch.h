/*
 * Fundamental frequency of one channel, one estimate per hop.
 *
 * The estimator is of the YIN family (de Cheveigné & Kawahara 2002): the
 * mean squared difference between the signal and itself shifted by each
 * candidate period, normalised by its running mean so that no level or
 * period length is favoured. The difference comes from one autocorrelation
 * computed by FFT. A period is chosen among the dips of that curve, the
 * shortest one that is nearly as deep as the deepest (which keeps the pick
 * off multiples of the period), then checked against the recent pitch of the
 * same voice so that a half or double is not taken when the true period is
 * nearly as good. The period shows through its harmonics, so telephone audio
 * whose fundamental was filtered away still gives the right pitch.
 */
#ifndef CS_PITCH_H
#define CS_PITCH_H

#include "callscope/callscope.h"
#include "dsp_util.h"
#include "fft.h"

typedef struct pitch_tracker {
    int rate_hz;
    int min_lag;          /* shortest period searched, samples */
    int max_lag;          /* longest */
    int window;           /* samples compared at each lag */
    int span;             /* samples analysed: window + max_lag */
    float *ring;          /* the last `span` samples */
    int ring_pos;
    cs_fft *fft;
    double *square;       /* the squares of the span's samples (scratch) */
    double *head, *tail;  /* per lag (scratch): sums of the first and of the last lag squares, and so on */
    double *dip;          /* normalised difference per lag */
    int *dips;            /* the lags where it dips (scratch) */
    double dip_pick;      /* a dip within this of the deepest is as good */
    double voicing;       /* the chosen dip must be below this to call the hop voiced */
    double octave_margin; /* a half / double of the recent pitch wins within this */
    double octave_slack;  /* octaves: how near a half / double, and where to look */
    double recent_log_f0; /* running mean of log2 f0 over clearly voiced hops */
    double recent_coef;
    int recent_valid;
    int unvoiced_hops;    /* since the last voiced hop; the recent pitch is */
    int forget_hops;      /* forgotten after this many */
    double f0_hz;         /* result of the last pitch_compute; 0 when unvoiced */
    double depth;         /* of the chosen dip: 0 a clean period, 1 or more none */
} pitch_tracker;

int pitch_init(pitch_tracker *p, const cs_profile *prof, int rate_hz, double hop_s);
void pitch_free(pitch_tracker *p);

static inline void pitch_feed(pitch_tracker *p, float x)
{
    p->ring[p->ring_pos] = x;
    if (++p->ring_pos == p->span)
        p->ring_pos = 0;
}

/* Append n samples, x[0], x[stride], ... */
static inline void pitch_feed_block(pitch_tracker *p, const float *x, int stride, size_t n)
{
    ring_append(p->ring, p->span, &p->ring_pos, x, stride, n);
}

/* Estimate the pitch of the last `span` samples fed: sets f0_hz. */
void pitch_compute(pitch_tracker *p);
/* The hop is too quiet to hold a voice: unvoiced without looking. */
void pitch_skip(pitch_tracker *p);

/* Latency: samples an estimate spans (it ends at the newest sample fed). */
static inline int pitch_span_samples(const pitch_tracker *p) { return p->span; }

#endif
