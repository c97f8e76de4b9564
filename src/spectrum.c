#include "spectrum.h"
#include "callscope/callscope.h"
#include "dsp_util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int spectrum_init(spectrum *s, int rate_hz, int hop, double window_s)
{
    memset(s, 0, sizeof *s);
    s->rate_hz = rate_hz;
    s->hop = hop;
    s->window = (int)lround(window_s * rate_hz);
    if (s->window < hop)
        s->window = hop;
    s->nfft = next_pow2(s->window);
    s->nbins = s->nfft / 2 + 1;
    s->lookahead = (s->window - hop) / 2;
    s->ring = calloc((size_t)s->window, sizeof *s->ring);
    s->taper = calloc((size_t)s->window, sizeof *s->taper);
    s->power = calloc((size_t)s->nbins, sizeof *s->power);
    if (!s->ring || !s->taper || !s->power) {
        spectrum_free(s);
        return CS_ENOMEM;
    }
    int err = cs_fft_new(&s->fft, s->nfft);
    if (err < 0) {
        spectrum_free(s);
        return err;
    }
    double sum_sq = 0;
    for (int i = 0; i < s->window; i++) {
        /* Periodic Hann: the window overlap-adds flat at hop = window / 2. */
        double w = 0.5 - 0.5 * cos(2 * CS_PI * (i + 0.5) / s->window);
        s->taper[i] = (float)w;
        sum_sq += w * w;
    }
    s->scale = 2.0 / ((double)s->nfft * sum_sq);
    return CS_OK;
}

void spectrum_free(spectrum *s)
{
    free(s->ring);
    free(s->taper);
    free(s->power);
    cs_fft_free(s->fft);
    memset(s, 0, sizeof *s);
}

void spectrum_reset(spectrum *s)
{
    memset(s->ring, 0, sizeof(float) * (size_t)s->window);
    s->ring_pos = 0;
}

void spectrum_compute(spectrum *s)
{
    float *in = cs_fft_input(s->fft);
    int first = s->window - s->ring_pos; /* oldest sample sits at ring_pos */
    for (int i = 0; i < first; i++)
        in[i] = s->ring[s->ring_pos + i] * s->taper[i];
    for (int i = first; i < s->window; i++)
        in[i] = s->ring[i - first] * s->taper[i];
    cs_fft_forward(s->fft, NULL);
    /* |X[k]|^2 scaled in one pass over the transform's (re, im) pairs. */
    const float *restrict c = cs_fft_spectrum(s->fft);
    float *restrict power = s->power;
    float scale = (float)s->scale;
    for (int k = 0; k < s->nbins; k++)
        power[k] = (c[2 * k] * c[2 * k] + c[2 * k + 1] * c[2 * k + 1]) * scale;
    /* DC and Nyquist bins appear once in the full spectrum, not twice. */
    s->power[0] *= 0.5f;
    s->power[s->nbins - 1] *= 0.5f;
}

int spectrum_bin(const spectrum *s, double hz)
{
    long k = lround(hz * s->nfft / s->rate_hz);
    if (k < 0)
        k = 0;
    if (k > s->nbins - 1)
        k = s->nbins - 1;
    return (int)k;
}
