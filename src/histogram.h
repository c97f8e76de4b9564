/*
 * A fixed-bin histogram for medians over a whole call in constant memory.
 * Values outside [lo, hi) are pooled into the first or last bin.
 */
#ifndef CS_HISTOGRAM_H
#define CS_HISTOGRAM_H

#include <stdint.h>

/* Pitch histograms (voice and tone): semitones re 1 Hz from 20 Hz to 2 kHz,
 * 20 bins a semitone. */
#define CS_PITCH_HIST_LO_ST 51.86
#define CS_PITCH_HIST_HI_ST 131.59
#define CS_PITCH_HIST_BINS 1595

typedef struct histogram {
    uint32_t *bins;
    int nbins;
    double lo, hi;
    uint64_t total;
} histogram;

int histogram_init(histogram *h, double lo, double hi, int nbins);
void histogram_free(histogram *h);
void histogram_reset(histogram *h);
void histogram_add(histogram *h, double v);
/* Value at quantile q (0..1), interpolated inside the bin; NAN when empty. */
double histogram_quantile(const histogram *h, double q);

#endif
