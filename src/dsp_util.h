/* Small numeric helpers shared by the stages. */
#ifndef CS_DSP_UTIL_H
#define CS_DSP_UTIL_H

#include <math.h>
#include <stddef.h>
#include <string.h>

#define CS_PI 3.14159265358979323846

static inline double db_to_power(double db) { return pow(10.0, db / 10.0); }
/* 10 log10(p) through log2, about twice as fast as log10 (the two differ in
 * the last bit or so): the stages take a dozen or more of these a hop. */
#define CS_DB_PER_OCTAVE 3.010299956639812 /* 10 log10(2) */
static inline double power_to_db(double p) { return CS_DB_PER_OCTAVE * log2(p > 1e-30 ? p : 1e-30); }

/* Pitch in semitones re 1 Hz, and back. */
static inline double hz_to_st(double hz) { return 12.0 * log2(hz); }
static inline double st_to_hz(double st) { return exp2(st / 12.0); }

/* One-pole smoothing coefficient for time constant tau_s at hop_s steps. */
static inline double smoothing_coef(double tau_s, double hop_s)
{
    return tau_s > 0 ? exp(-hop_s / tau_s) : 0.0;
}

/* Whole hops in a duration (rounded, at least 0). */
static inline int hops_of(double seconds, double hop_s)
{
    long n = lround(seconds / hop_s);
    return n > 0 ? (int)n : 0;
}

/* Append n samples x[0], x[stride], ... to a ring of `size` whose next
 * slot is *pos: in runs up to the ring's end, not a test per sample. */
static inline void ring_append(float *ring, int size, int *pos, const float *x, int stride, size_t n)
{
    while (n > 0) {
        size_t run = (size_t)(size - *pos) < n ? (size_t)(size - *pos) : n;
        float *to = ring + *pos;
        /* One channel, or one of two (stereo, the usual case): strides the
         * compiler knows, so it vectorizes the copy. */
        if (stride == 1)
            memcpy(to, x, run * sizeof *to);
        else if (stride == 2)
            for (size_t i = 0; i < run; i++)
                to[i] = x[2 * i];
        else
            for (size_t i = 0; i < run; i++)
                to[i] = x[i * (size_t)stride];
        *pos = *pos + (int)run == size ? 0 : *pos + (int)run;
        x += run * (size_t)stride;
        n -= run;
    }
}

/* Smallest power of two >= n (and >= 2). */
static inline int next_pow2(int n)
{
    int p = 2;
    while (p < n)
        p <<= 1;
    return p;
}

#endif
