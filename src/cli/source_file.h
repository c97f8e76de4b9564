/*
 * Recorded calls read through libsndfile (the only file that includes it):
 * WAV (PCM, float, mu-law, A-law, ADPCM), FLAC, OGG (Vorbis, Opus), MP3,
 * AIFF, AU and the other formats the installed libsndfile decodes.
 *
 * Frames come out interleaved as floats, nominally -1..1 (float files are
 * passed through unclipped, so the analysis can see overload). "-" reads
 * stdin; stdin and other unseekable inputs are first copied to an unlinked
 * temporary file, so pipes work for every format and memory stays flat; the
 * copy is bounded (source_limits), and a named pipe is waited for only so
 * long.
 *
 * Refused at open: unreadable or empty files, unknown or corrupt formats,
 * sample rates outside CS_MIN_RATE_HZ..CS_MAX_RATE_HZ, no frames. Refused
 * while reading: decode errors and NaN or infinite samples. A data chunk
 * shorter than its header says is read as far as it goes and noted as a
 * warning.
 */
#ifndef CS_CLI_SOURCE_FILE_H
#define CS_CLI_SOURCE_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A good block for source_file_read: 4096 frames is 0.1-0.5 s of audio. */
#define SOURCE_BLOCK_FRAMES 4096

#define SOURCE_MAX_WARNINGS 8
#define SOURCE_WARNING_MAX 256

enum {
    SOURCE_OK = 0,
    SOURCE_EINPUT = -1,  /* the recording is not usable (exit 4) */
    SOURCE_ESYSTEM = -2  /* our own failure: memory, temporary space (exit 1) */
};

typedef struct source_info {
    int sample_rate_hz;
    int channels;
    int64_t frames;      /* as the header declares; compressed formats may estimate */
    char format[32];     /* container/encoding: "wav/ulaw", "flac/pcm16", "mp3" */
} source_info;

typedef struct source_file source_file;

/* What an input that is not a regular file may cost. Process-wide: the
 * options set them once (--spool-limit, --input-wait), every open obeys. */
typedef struct source_limits {
    int64_t spool_max_bytes; /* stdin, a pipe or a device copied past this is refused */
    double fifo_wait_s;      /* a named pipe nobody writes to within this is refused */
} source_limits;

#define SOURCE_SPOOL_LIMIT_MB 2048 /* default: about 3 h of 48 kHz 16-bit stereo WAV */
#define SOURCE_INPUT_WAIT_S 30.0   /* default */

void source_file_set_limits(const source_limits *limits);

/* Open path ("-" for stdin). On failure returns SOURCE_E*, *out is NULL and
 * why holds the reason (without the path). */
int source_file_open(source_file **out, const char *path, source_info *info,
                     char *why, size_t why_cap);

/* Read up to nframes frames into frames (nframes * channels floats). Returns
 * the frames read, 0 at the end, or SOURCE_E* with the reason in why. */
long source_file_read(source_file *src, float *frames, size_t nframes, char *why, size_t why_cap);

/* Frames delivered so far. */
int64_t source_file_frames_read(const source_file *src);

/* Note a warning of the caller's about this recording (kept with the rest,
 * up to SOURCE_MAX_WARNINGS). */
void source_file_add_warning(source_file *src, const char *text);

/* Warnings noted so far (complete once read has returned 0). */
int source_file_warning_count(const source_file *src);
const char *source_file_warning(const source_file *src, int i);

/* NULL is fine. */
void source_file_close(source_file *src);

/* Decode the recording at path into out (a seekable file, written from its
 * current position) as a 16-bit PCM WAV at the recording's own rate and
 * channels: a copy every browser plays, whatever the original's format.
 * SOURCE_OK, or SOURCE_E* with the reason. */
int source_file_copy_wav16(const char *path, FILE *out, char *why, size_t why_cap);

#endif
