#include "fft.h"
#include "callscope/callscope.h"

#include <fftw3.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct cs_fft {
    int n;
    float *in;
    fftwf_complex *out;
    fftwf_plan plan;
    fftwf_plan inverse; /* made on first request */
};

static pthread_mutex_t plan_lock = PTHREAD_MUTEX_INITIALIZER;

int cs_fft_new(cs_fft **out, int n)
{
    *out = NULL;
    if (n < 2 || n % 2)
        return CS_EINVAL;
    cs_fft *f = calloc(1, sizeof *f);
    if (!f)
        return CS_ENOMEM;
    f->n = n;
    f->in = fftwf_alloc_real((size_t)n);
    f->out = fftwf_alloc_complex((size_t)n / 2 + 1);
    if (!f->in || !f->out) {
        cs_fft_free(f);
        return CS_ENOMEM;
    }
    memset(f->in, 0, sizeof(float) * (size_t)n);
    pthread_mutex_lock(&plan_lock);
    /* FFTW_ESTIMATE: no timing runs, so results repeat exactly from run to run. */
    f->plan = fftwf_plan_dft_r2c_1d(n, f->in, f->out, FFTW_ESTIMATE);
    pthread_mutex_unlock(&plan_lock);
    if (!f->plan) {
        cs_fft_free(f);
        return CS_EFFT;
    }
    *out = f;
    return CS_OK;
}

void cs_fft_free(cs_fft *f)
{
    if (!f)
        return;
    pthread_mutex_lock(&plan_lock);
    if (f->plan)
        fftwf_destroy_plan(f->plan);
    if (f->inverse)
        fftwf_destroy_plan(f->inverse);
    pthread_mutex_unlock(&plan_lock);
    fftwf_free(f->in);
    fftwf_free(f->out);
    free(f);
}

int cs_fft_size(const cs_fft *f) { return f->n; }

float *cs_fft_input(cs_fft *f) { return f->in; }

void cs_fft_forward(cs_fft *f, float *spectrum)
{
    fftwf_execute(f->plan);
    if (spectrum)
        memcpy(spectrum, f->out, sizeof(fftwf_complex) * ((size_t)f->n / 2 + 1));
}

void cs_fft_power(cs_fft *f, float *power)
{
    for (int k = 0; k <= f->n / 2; k++)
        power[k] = f->out[k][0] * f->out[k][0] + f->out[k][1] * f->out[k][1];
}

int cs_fft_enable_inverse(cs_fft *f)
{
    if (f->inverse)
        return CS_OK;
    pthread_mutex_lock(&plan_lock);
    /* In place over the forward's buffers: c2r reads `out` and writes `in`.
     * FFTW_DESTROY_INPUT is the c2r default, so the spectrum is scratch. */
    f->inverse = fftwf_plan_dft_c2r_1d(f->n, f->out, f->in, FFTW_ESTIMATE);
    pthread_mutex_unlock(&plan_lock);
    return f->inverse ? CS_OK : CS_EFFT;
}

float *cs_fft_spectrum(cs_fft *f) { return (float *)f->out; }

void cs_fft_inverse(cs_fft *f) { fftwf_execute(f->inverse); }
