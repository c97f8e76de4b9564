/*
 * Live audio from a capture device through PortAudio (the only file that
 * includes it): a headset (one channel) or a softphone's stereo loopback
 * (two). Samples are captured as 16-bit integers, which every device
 * offers, and handed on as floats in -1..1, a few tens of milliseconds at a
 * time so the analysis stays close behind the voice.
 *
 * A capture that falls behind (input overflow) loses a little audio: it is
 * counted and the call goes on. A device that stops delivering ends the
 * capture as if the call had ended, with the reason kept for the user.
 */
#ifndef CS_CLI_SOURCE_CAPTURE_H
#define CS_CLI_SOURCE_CAPTURE_H

#include <stddef.h>
#include <stdio.h>

#include "cli/source_file.h"

/* Audio comes in reads of 20 ms at any rate (the analysis hop is 10 ms). */
#define CAPTURE_BLOCK_S 0.02

typedef struct source_capture source_capture;

/* Print the capture devices (index, name, host API, input channels, default
 * rate; the default one marked). 0, or -1 with the reason in why. */
int capture_list_devices(FILE *out, char *why, size_t why_cap);

/* Open a device: NULL for the default input, an index, or a name (exact, or
 * else the only one containing it). channels 1 or 2; rate in Hz. On failure
 * returns SOURCE_EINPUT and the reason. */
int source_capture_open(source_capture **out, const char *device, int channels, int rate_hz, source_info *info,
                        char *why, size_t why_cap);

/* Start capturing; 0 or SOURCE_EINPUT with the reason. */
int source_capture_start(source_capture *c, char *why, size_t why_cap);

/* Up to nframes frames (at most a few tens of ms); 0 once stopped or the
 * device ended. Blocks until audio arrives. */
long source_capture_read(source_capture *c, float *frames, size_t nframes, char *why, size_t why_cap);

/* Ask the capture to end; safe from a signal handler. */
void source_capture_request_stop(void);

/* Overflows seen so far; why the device ended ("" when it did not). */
long source_capture_overflows(const source_capture *c);
const char *source_capture_end_reason(const source_capture *c);

/* NULL is fine. */
void source_capture_close(source_capture *c);

#endif
