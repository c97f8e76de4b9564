/*
 * Sample-rate conversion of the analysed channels, the only place libsoxr is
 * used. Recordings made at different rates are brought to one analysis rate
 * before any feature sees them, so the same speech gives the same figures
 * whatever the recorder's rate.
 *
 * Streaming: input goes in in blocks of at most `block` frames; the output of
 * each block is at most resampler_room() frames. soxr aligns its output with
 * the input (its filter delay is compensated), and resampler_flush hands out
 * the tail the filter still holds at the end of the stream. At equal rates
 * the samples pass through unchanged.
 */
#ifndef CS_RESAMPLE_H
#define CS_RESAMPLE_H

#include <stddef.h>

typedef struct resampler {
    void *soxr;       /* NULL when the rates are equal */
    int channels;
    double ratio;     /* output rate / input rate */
    size_t block;     /* most input frames per resampler_process call */
} resampler;

/* Allocates (not real-time safe). CS_ENOMEM, CS_EINVAL. */
int resampler_init(resampler *r, int in_rate_hz, int out_rate_hz, int channels, size_t block);
void resampler_free(resampler *r);

/* Output frames one block can yield at most: the size of the caller's buffer. */
size_t resampler_room(const resampler *r);

/* Convert nframes (<= block) interleaved frames into out (resampler_room()
 * frames); returns the frames written. */
size_t resampler_process(resampler *r, const float *in, size_t nframes, float *out);

/* At the end of the stream: the frames still inside the filter, at most
 * resampler_room() per call; 0 when nothing is left. */
size_t resampler_flush(resampler *r, float *out);

#endif
