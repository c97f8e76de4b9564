/* Live capture through PortAudio; see source_capture.h. */
#include "cli/source_capture.h"

#include <fcntl.h>
#include <portaudio.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


struct source_capture {
    PaStream *stream;
    int channels;
    size_t chunk;           /* frames per read */
    int16_t *buf;
    long overflows;
    char end_reason[160];
};

static volatile sig_atomic_t stop_requested;

void source_capture_request_stop(void) { stop_requested = 1; }

/*
 * PortAudio's host APIs (ALSA, JACK) print their probing to stderr, which
 * would bury our one-line messages; silence it while PortAudio starts.
 */
static PaError quiet_initialize(void)
{
    fflush(stderr);
    int saved = dup(STDERR_FILENO), devnull = open("/dev/null", O_WRONLY);
    if (saved >= 0 && devnull >= 0)
        dup2(devnull, STDERR_FILENO);
    PaError err = Pa_Initialize();
    if (saved >= 0 && devnull >= 0)
        dup2(saved, STDERR_FILENO);
    if (saved >= 0)
        close(saved);
    if (devnull >= 0)
        close(devnull);
    return err;
}

int capture_list_devices(FILE *out, char *why, size_t why_cap)
{
    PaError err = quiet_initialize();
    if (err != paNoError) {
        snprintf(why, why_cap, "cannot start PortAudio: %s", Pa_GetErrorText(err));
        return -1;
    }
    int count = Pa_GetDeviceCount(), shown = 0;
    PaDeviceIndex def = Pa_GetDefaultInputDevice();
    fprintf(out, "%5s  %-40s %-8s %8s %9s\n", "index", "name", "api", "channels", "rate");
    for (int i = 0; i < count; i++) {
        const PaDeviceInfo *d = Pa_GetDeviceInfo(i);
        if (!d || d->maxInputChannels < 1)
            continue;
        const PaHostApiInfo *api = Pa_GetHostApiInfo(d->hostApi);
        fprintf(out, "%5d%c %-40s %-8s %8d %9.0f\n", i, i == def ? '*' : ' ', d->name, api ? api->name : "?",
                d->maxInputChannels, d->defaultSampleRate);
        shown++;
    }
    if (shown == 0)
        fprintf(out, "no capture devices\n");
    else
        fprintf(out, "* the default input\n");
    Pa_Terminate();
    return 0;
}

static PaDeviceIndex find_device(const char *device, char *why, size_t why_cap)
{
    if (!device) {
        PaDeviceIndex def = Pa_GetDefaultInputDevice();
        if (def == paNoDevice)
            snprintf(why, why_cap, "no default capture device (see: callscope devices)");
        return def;
    }
    char *end;
    long index = strtol(device, &end, 10);
    int count = Pa_GetDeviceCount();
    if (*device && !*end) {
        if (index < 0 || index >= count) {
            snprintf(why, why_cap, "no device %ld (see: callscope devices)", index);
            return paNoDevice;
        }
        return (PaDeviceIndex)index;
    }
    PaDeviceIndex found = paNoDevice;
    int matches = 0;
    for (int i = 0; i < count; i++) {
        const PaDeviceInfo *d = Pa_GetDeviceInfo(i);
        if (!d || d->maxInputChannels < 1)
            continue;
        if (strcmp(d->name, device) == 0)
            return i;
        if (strstr(d->name, device)) {
            found = i;
            matches++;
        }
    }
    if (matches != 1) {
        snprintf(why, why_cap, "%s capture device named like '%s' (see: callscope devices)",
                 matches ? "more than one" : "no", device);
        return paNoDevice;
    }
    return found;
}

int source_capture_open(source_capture **out, const char *device, int channels, int rate_hz, source_info *info,
                        char *why, size_t why_cap)
{
    *out = NULL;
    PaError err = quiet_initialize();
    if (err != paNoError) {
        snprintf(why, why_cap, "cannot start PortAudio: %s", Pa_GetErrorText(err));
        return SOURCE_EINPUT;
    }
    source_capture *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(why, why_cap, "out of memory");
        Pa_Terminate();
        return SOURCE_EINPUT;
    }
    /* From here on a failure is undone by source_capture_close. */
    PaDeviceIndex dev = find_device(device, why, why_cap);
    if (dev == paNoDevice) {
        source_capture_close(c);
        return SOURCE_EINPUT;
    }
    const PaDeviceInfo *d = Pa_GetDeviceInfo(dev);
    if (d->maxInputChannels < channels) {
        snprintf(why, why_cap, "%s has %d input channel%s, %d asked for", d->name, d->maxInputChannels,
                 d->maxInputChannels == 1 ? "" : "s", channels);
        source_capture_close(c);
        return SOURCE_EINPUT;
    }
    PaStreamParameters in;
    memset(&in, 0, sizeof in);
    in.device = dev;
    in.channelCount = channels;
    in.sampleFormat = paInt16;
    in.suggestedLatency = d->defaultLowInputLatency;
    c->channels = channels;
    c->chunk = (size_t)(rate_hz * CAPTURE_BLOCK_S);
    c->buf = malloc(c->chunk * (size_t)channels * sizeof *c->buf);
    if (!c->buf) {
        snprintf(why, why_cap, "out of memory");
        source_capture_close(c);
        return SOURCE_EINPUT;
    }
    err = Pa_OpenStream(&c->stream, &in, NULL, rate_hz, (unsigned long)c->chunk, paClipOff, NULL, NULL);
    if (err != paNoError) {
        snprintf(why, why_cap, "cannot capture from %s at %d Hz, %d channel%s: %s", d->name, rate_hz, channels,
                 channels == 1 ? "" : "s", Pa_GetErrorText(err));
        c->stream = NULL;
        source_capture_close(c);
        return SOURCE_EINPUT;
    }
    memset(info, 0, sizeof *info);
    info->sample_rate_hz = rate_hz;
    info->channels = channels;
    info->frames = -1;
    snprintf(info->format, sizeof info->format, "capture/pcm16");
    *out = c;
    return SOURCE_OK;
}

int source_capture_start(source_capture *c, char *why, size_t why_cap)
{
    stop_requested = 0;
    PaError err = Pa_StartStream(c->stream);
    if (err != paNoError) {
        snprintf(why, why_cap, "cannot start capturing: %s", Pa_GetErrorText(err));
        return SOURCE_EINPUT;
    }
    return SOURCE_OK;
}

long source_capture_read(source_capture *c, float *frames, size_t nframes, char *why, size_t why_cap)
{
    (void)why;
    (void)why_cap;
    if (stop_requested || c->end_reason[0])
        return 0;
    size_t n = nframes < c->chunk ? nframes : c->chunk;
    PaError err = Pa_ReadStream(c->stream, c->buf, (unsigned long)n);
    if (err == paInputOverflowed) {
        c->overflows++; /* the samples read are still good */
    } else if (err != paNoError) {
        snprintf(c->end_reason, sizeof c->end_reason, "the capture device stopped: %s", Pa_GetErrorText(err));
        return 0;
    }
    size_t samples = n * (size_t)c->channels;
    for (size_t i = 0; i < samples; i++)
        frames[i] = (float)c->buf[i] * (1.0f / 32768.0f);
    return (long)n;
}

long source_capture_overflows(const source_capture *c) { return c->overflows; }

const char *source_capture_end_reason(const source_capture *c) { return c->end_reason; }

void source_capture_close(source_capture *c)
{
    if (!c)
        return;
    if (c->stream) {
        Pa_AbortStream(c->stream);
        Pa_CloseStream(c->stream);
    }
    free(c->buf);
    free(c);
    Pa_Terminate();
}
