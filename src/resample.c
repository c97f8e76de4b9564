#include "resample.h"

#include "callscope/callscope.h"

#include <math.h>
#include <soxr.h>
#include <string.h>

/* Output frames beyond the rate ratio that one call can release: soxr works
 * in its own internal blocks, so a call may hand out a little of what earlier
 * input left in its buffer. */
#define SLACK_FRAMES 64

int resampler_init(resampler *r, int in_rate_hz, int out_rate_hz, int channels, size_t block)
{
    memset(r, 0, sizeof *r);
    if (in_rate_hz <= 0 || out_rate_hz <= 0 || channels < 1 || block < 1)
        return CS_EINVAL;
    r->channels = channels;
    r->block = block;
    r->ratio = (double)out_rate_hz / in_rate_hz;
    if (in_rate_hz == out_rate_hz)
        return CS_OK;
    /* High quality (soxr's 20-bit preset): the pass band reaches 91 % of the
     * output's Nyquist frequency, past the top of the voice band we analyse. */
    soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
    soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
    soxr_runtime_spec_t runtime = soxr_runtime_spec(1);
    soxr_error_t err = NULL;
    r->soxr = soxr_create(in_rate_hz, out_rate_hz, (unsigned)channels, &err, &io, &quality, &runtime);
    if (err || !r->soxr) {
        r->soxr = NULL;
        return CS_ENOMEM;
    }
    return CS_OK;
}

void resampler_free(resampler *r)
{
    if (r->soxr)
        soxr_delete(r->soxr);
    r->soxr = NULL;
}

size_t resampler_room(const resampler *r)
{
    if (!r->soxr)
        return r->block;
    return (size_t)ceil((double)r->block * r->ratio) + SLACK_FRAMES;
}

size_t resampler_process(resampler *r, const float *in, size_t nframes, float *out)
{
    if (!r->soxr) {
        memcpy(out, in, nframes * (size_t)r->channels * sizeof *out);
        return nframes;
    }
    size_t used = 0, made = 0;
    soxr_process(r->soxr, in, nframes, &used, out, resampler_room(r), &made);
    return made;
}

size_t resampler_flush(resampler *r, float *out)
{
    if (!r->soxr)
        return 0;
    size_t made = 0;
    soxr_process(r->soxr, NULL, 0, NULL, out, resampler_room(r), &made);
    return made;
}
