/* Writing generated calls to sound files (libsndfile), block by block. */
#ifndef CALLGEN_WAV_H
#define CALLGEN_WAV_H

#include "callgen.h"

typedef enum cg_wav_format {
    CG_WAV_PCM16 = 0,
    CG_WAV_ULAW,
    CG_WAV_FLOAT,
    CG_RAW_FLOAT      /* no header: interleaved 32-bit floats in the machine's byte order */
} cg_wav_format;

/* Write the call to a WAV file with `channels` channels: 1 = the two speakers
 * summed, 2 = agent and customer, more = agent, customer, then silence.
 * Memory stays flat whatever the duration. 0 on success, -1 with a message
 * on stderr. */
int cg_write_wav(const cg_call *call, const char *path, cg_wav_format format, int channels);

/* Write interleaved frames as given (no generator). 0 on success, -1 with a
 * message on stderr. */
int cg_write_frames(const char *path, int rate, int channels, cg_wav_format format, const float *x, long frames);

/* Parse "pcm16" / "ulaw" / "float" / "raw"; -1 if unknown. */
int cg_wav_format_parse(const char *name);

#endif
