/* callgen_wav: see callgen_wav.h. */
#include "callgen_wav.h"

#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK 4096

int cg_wav_format_parse(const char *name)
{
    if (strcmp(name, "pcm16") == 0)
        return CG_WAV_PCM16;
    if (strcmp(name, "ulaw") == 0)
        return CG_WAV_ULAW;
    if (strcmp(name, "float") == 0)
        return CG_WAV_FLOAT;
    if (strcmp(name, "raw") == 0)
        return CG_RAW_FLOAT;
    return -1;
}

static SNDFILE *open_wav(const char *path, int rate, int channels, cg_wav_format format)
{
    SF_INFO info;
    memset(&info, 0, sizeof info);
    info.samplerate = rate;
    info.channels = channels;
    info.format = format == CG_RAW_FLOAT ? SF_FORMAT_RAW | SF_FORMAT_FLOAT | SF_ENDIAN_CPU
                  : SF_FORMAT_WAV | (format == CG_WAV_ULAW    ? SF_FORMAT_ULAW
                                     : format == CG_WAV_FLOAT ? SF_FORMAT_FLOAT
                                                              : SF_FORMAT_PCM_16);
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    if (!sf) {
        fprintf(stderr, "%s: %s\n", path, sf_strerror(NULL));
        return NULL;
    }
    /* Floats beyond +-1 are clipped, not wrapped, when converted to integers. */
    sf_command(sf, SFC_SET_CLIPPING, NULL, SF_TRUE);
    return sf;
}

int cg_write_frames(const char *path, int rate, int channels, cg_wav_format format, const float *x, long frames)
{
    SNDFILE *sf = open_wav(path, rate, channels, format);
    if (!sf)
        return -1;
    int ok = sf_writef_float(sf, x, frames) == frames;
    sf_close(sf);
    return ok ? 0 : -1;
}

int cg_write_wav(const cg_call *call, const char *path, cg_wav_format format, int channels)
{
    SNDFILE *sf = open_wav(path, call->rate_hz, channels, format);
    if (!sf)
        return -1;
    cg_stream *st = cg_stream_new(call);
    float *two = malloc(2 * BLOCK * sizeof *two);
    float *many = malloc((size_t)channels * BLOCK * sizeof *many);
    int rc = 0;
    if (!st || !two || !many) {
        fprintf(stderr, "%s: out of memory\n", path);
        rc = -1;
    }
    int64_t total = cg_frames(call), done = 0;
    while (rc == 0 && done < total) {
        size_t n = total - done < BLOCK ? (size_t)(total - done) : BLOCK;
        cg_stream_read(st, two, n);
        for (size_t f = 0; f < n; f++) {
            float *o = many + f * (size_t)channels;
            if (channels == 1) {
                o[0] = two[2 * f] + two[2 * f + 1];
            } else {
                o[0] = two[2 * f];
                o[1] = two[2 * f + 1];
                for (int c = 2; c < channels; c++)
                    o[c] = 0.0f;
            }
        }
        if (sf_writef_float(sf, many, (sf_count_t)n) != (sf_count_t)n) {
            fprintf(stderr, "%s: %s\n", path, sf_strerror(sf));
            rc = -1;
        }
        done += (int64_t)n;
    }
    cg_stream_free(st);
    free(two);
    free(many);
    if (sf_close(sf) != 0 && rc == 0) {
        fprintf(stderr, "%s: cannot close\n", path);
        rc = -1;
    }
    return rc;
}
