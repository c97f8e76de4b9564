/*
 * Real-input FFT, the only place FFTW is used.
 *
 * Scaling: cs_fft_forward computes the unnormalized DFT
 *     X[k] = sum_n x[n] exp(-2 pi i k n / N),  k = 0 .. N/2,
 * so a full-scale sine of amplitude A at a bin centre has |X[k]| = A N / 2.
 * Power spectra elsewhere divide by N^2 once, in spectrum.c.
 */
#ifndef CS_FFT_H
#define CS_FFT_H

typedef struct cs_fft cs_fft;

/* n must be even. Plans under a process-wide mutex (FFTW planning is not thread-safe). */
int cs_fft_new(cs_fft **out, int n);
void cs_fft_free(cs_fft *f);
int cs_fft_size(const cs_fft *f);
/* Input buffer of n floats the caller fills before cs_fft_forward. */
float *cs_fft_input(cs_fft *f);
/* Transform the input; writes n/2+1 complex values as (re, im) pairs into spectrum. */
void cs_fft_forward(cs_fft *f, float *spectrum);
/* |X[k]|^2 for k = 0..n/2 into power (n/2+1 floats), after cs_fft_forward's transform. */
void cs_fft_power(cs_fft *f, float *power);

/* Inverse transform (complex -> real, unnormalized: a round trip scales by n).
 * Enable once (planning, not real-time safe); it then reads the spectrum
 * buffer (n/2+1 (re, im) pairs, overwritten) and writes the input buffer. */
int cs_fft_enable_inverse(cs_fft *f);
float *cs_fft_spectrum(cs_fft *f);
void cs_fft_inverse(cs_fft *f);

#endif
