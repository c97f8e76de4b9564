/* Small numeric helpers shared by the stages. */
#ifndef CS_DSP_UTIL_H
#define CS_DSP_UTIL_H

#include <math.h>

#define CS_PI 3.14159265358979323846

static inline double db_to_power(double db) { return pow(10.0, db / 10.0); }
static inline double power_to_db(double p) { return 10.0 * log10(p > 1e-30 ? p : 1e-30); }

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

/* Smallest power of two >= n (and >= 2). */
static inline int next_pow2(int n)
{
    int p = 2;
    while (p < n)
        p <<= 1;
    return p;
}

#endif
