/*
 * The public streaming API: frames in, events out. Each hop of each speaker's
 * channel goes spectrum -> voice activity -> talk spurts -> turn-taking.
 */
#include "callscope/callscope.h"
#include "event_queue.h"
#include "profile_keys.h"
#include "segments.h"
#include "spectrum.h"
#include "turns.h"
#include "vad.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Hold flags are known a little before a hop's final activity (by the
 * segment stage's delay); this many hops of them are kept. */
#define HOLD_FLAGS 512

struct cs_analyzer {
    cs_config cfg;
    cs_profile prof;
    int nspeakers;
    int channel_of[CS_MAX_SPEAKERS]; /* input channel per speaker slot */
    int speaker_id[CS_MAX_SPEAKERS]; /* CS_AGENT / CS_CUSTOMER per slot */
    int hop;
    double hop_s;
    spectrum spec[CS_MAX_SPEAKERS];
    vad vad;
    segmenter seg[CS_MAX_SPEAKERS];
    turns turns;
    event_queue queue;
    int64_t audio_frames;      /* frames pushed by the caller */
    int64_t frames;            /* frames analyzed, end padding included */
    int64_t next_hop;          /* next hop to analyze */
    int64_t decided_hops;      /* hops the voice activity stage has decided */
    int64_t next_window_end;   /* frame count at which that hop's window is complete */
    int64_t clipped[CS_MAX_SPEAKERS];
    uint8_t hold_flag[CS_MAX_SPEAKERS][HOLD_FLAGS]; /* per hop, ahead of the final activity */
    float clip_level;
    int finished;
};

const char *cs_version(void) { return CS_VERSION; }

const char *cs_strerror(int err)
{
    switch (err) {
    case CS_OK: return "success";
    case CS_EINVAL: return "invalid argument";
    case CS_ENOMEM: return "out of memory";
    case CS_ESTATE: return "call not allowed in the analyzer's current state";
    case CS_ERATE: return "sample rate outside 8000-48000 Hz";
    case CS_ECHANNELS: return "unusable channel count or channel map";
    case CS_EPROFILE: return "unknown profile key or value out of range";
    case CS_ENONFINITE: return "NaN or infinite sample";
    case CS_EFFT: return "FFT planning failed";
    default: return "unknown error";
    }
}

const char *cs_speaker_name(int speaker)
{
    switch (speaker) {
    case CS_AGENT: return "agent";
    case CS_CUSTOMER: return "customer";
    default: return "none";
    }
}

const char *cs_event_type_name(cs_event_type type)
{
    switch (type) {
    case CS_EVENT_SEGMENT: return "segment";
    case CS_EVENT_TURN: return "turn";
    case CS_EVENT_INTERRUPTION: return "interruption";
    case CS_EVENT_BACKCHANNEL: return "backchannel";
    case CS_EVENT_OVERLAP: return "overlap";
    case CS_EVENT_OVERTALK: return "overtalk";
    case CS_EVENT_DEAD_AIR: return "dead_air";
    case CS_EVENT_HOLD: return "hold";
    case CS_EVENT_MONOLOGUE: return "monologue";
    case CS_EVENT_RESPONSE: return "response";
    }
    return "unknown";
}

void cs_config_default(cs_config *cfg, int sample_rate_hz, int channels)
{
    if (!cfg)
        return;
    memset(cfg, 0, sizeof *cfg);
    cfg->sample_rate_hz = sample_rate_hz;
    cfg->channels = channels;
    cfg->speaker_channel[CS_AGENT] = 0;
    cfg->speaker_channel[CS_CUSTOMER] = channels >= 2 ? 1 : -1;
}

static int check_config(const cs_config *cfg)
{
    if (cfg->sample_rate_hz < CS_MIN_RATE_HZ || cfg->sample_rate_hz > CS_MAX_RATE_HZ)
        return CS_ERATE;
    if (cfg->channels < 1 || cfg->channels > CS_MAX_INPUT_CHANNELS)
        return CS_ECHANNELS;
    int mapped = 0;
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        int c = cfg->speaker_channel[s];
        if (c < -1 || c >= cfg->channels)
            return CS_ECHANNELS;
        mapped += c >= 0;
    }
    if (mapped == 0)
        return CS_ECHANNELS;
    if (mapped == 2 && cfg->speaker_channel[0] == cfg->speaker_channel[1])
        return CS_ECHANNELS;
    return CS_OK;
}

void cs_close(cs_analyzer *a)
{
    if (!a)
        return;
    for (int s = 0; s < CS_MAX_SPEAKERS; s++)
        spectrum_free(&a->spec[s]);
    vad_free(&a->vad);
    turns_free(&a->turns);
    event_queue_free(&a->queue);
    free(a);
}

int cs_open(cs_analyzer **out, const cs_config *cfg, const cs_profile *prof)
{
    if (!out)
        return CS_EINVAL;
    *out = NULL;
    if (!cfg || !prof)
        return CS_EINVAL;
    int err = check_config(cfg);
    if (err < 0)
        return err;
    if ((err = profile_check(prof)) < 0)
        return err;
    cs_analyzer *a = calloc(1, sizeof *a);
    if (!a)
        return CS_ENOMEM;
    a->cfg = *cfg;
    a->prof = *prof;
    for (int s = 0; s < CS_MAX_SPEAKERS; s++)
        if (cfg->speaker_channel[s] >= 0) {
            a->speaker_id[a->nspeakers] = s;
            a->channel_of[a->nspeakers++] = cfg->speaker_channel[s];
        }
    a->hop = (int)lround(cfg->sample_rate_hz * 0.01);
    a->hop_s = (double)a->hop / cfg->sample_rate_hz;
    a->clip_level = (float)prof->value[CS_K_INPUT_CLIP_LEVEL];
    for (int s = 0; s < a->nspeakers && err >= 0; s++)
        err = spectrum_init(&a->spec[s], cfg->sample_rate_hz, a->hop, prof->value[CS_K_VAD_WINDOW_S]);
    if (err >= 0)
        err = vad_init(&a->vad, prof, a->nspeakers, a->spec[0].nbins,
                       (double)cfg->sample_rate_hz / a->spec[0].nfft, a->hop_s,
                       (double)a->spec[0].window / cfg->sample_rate_hz);
    for (int s = 0; s < a->nspeakers && err >= 0; s++)
        segmenter_init(&a->seg[s], prof, a->hop_s, a->vad.overhang);
    if (err >= 0)
        err = turns_init(&a->turns, prof, a->nspeakers, a->hop, a->hop_s, a->seg[0].preroll + a->vad.hang_hops,
                         a->vad.hang_hops, &a->queue);
    /* A hop's hold flag waits in the ring from when the voice activity stage
     * grades it until the segment stage finalizes it; within the profile's
     * ranges that lag stays well under the ring's length. */
    if (err >= 0 && a->vad.onset_hops - 1 + a->seg[0].delay >= HOLD_FLAGS)
        err = CS_EPROFILE;
    if (err >= 0) {
        /* Room for everything the drain can decide at once, so no event is
         * ever dropped: each hop still in flight can yield a few events. */
        int in_flight = a->turns.horizon + a->seg[0].delay + 4;
        err = event_queue_init(&a->queue, (size_t)in_flight * (size_t)turns_max_events_per_hop() + 64);
    }
    if (err < 0) {
        cs_close(a);
        return err;
    }
    a->next_window_end = a->hop + a->spec[0].lookahead;
    *out = a;
    return CS_OK;
}

static void track_hold(cs_analyzer *a)
{
    for (int s = 0; s < a->nspeakers; s++)
        a->hold_flag[s][a->vad.graded_hop % HOLD_FLAGS] = (uint8_t)a->vad.hold[s];
}

static void feed_turns(cs_analyzer *a, int64_t hop, const int *final)
{
    int hold[CS_MAX_SPEAKERS] = {0};
    for (int s = 0; s < a->nspeakers; s++)
        hold[s] = a->hold_flag[s][hop % HOLD_FLAGS];
    turns_feed(&a->turns, hop, final, hold);
}

static void analyze_hop(cs_analyzer *a)
{
    const float *power[CS_MAX_SPEAKERS] = {0};
    for (int s = 0; s < a->nspeakers; s++) {
        spectrum_compute(&a->spec[s]);
        power[s] = a->spec[s].power;
    }
    a->next_hop++;
    a->next_window_end += a->hop;
    int decided = vad_step(&a->vad, power);
    if (a->vad.graded_hop >= 0)
        track_hold(a);
    if (!decided)
        return;
    a->decided_hops++;
    int64_t hop = 0;
    int final[CS_MAX_SPEAKERS] = {0}, ready = 0;
    for (int s = 0; s < a->nspeakers; s++)
        ready = segmenter_step(&a->seg[s], a->vad.active[s], &hop, &final[s]);
    if (ready)
        feed_turns(a, hop, final);
}

long cs_push(cs_analyzer *a, const float *frames, size_t nframes)
{
    if (!a || (!frames && nframes))
        return CS_EINVAL;
    if (a->finished)
        return CS_ESTATE;
    const int nch = a->cfg.channels;
    size_t i = 0;
    for (; i < nframes; i++) {
        const float *f = frames + i * (size_t)nch;
        for (int c = 0; c < nch; c++)
            if (!isfinite(f[c]))
                return CS_ENONFINITE;
        /* A hop may queue events: stop early rather than ever drop one. */
        if (a->frames + 1 == a->next_window_end && event_queue_space(&a->queue) < (size_t)turns_max_events_per_hop())
            break;
        for (int s = 0; s < a->nspeakers; s++) {
            float x = f[a->channel_of[s]];
            a->clipped[s] += fabsf(x) >= a->clip_level;
            spectrum_feed(&a->spec[s], x);
        }
        a->audio_frames++;
        if (++a->frames == a->next_window_end)
            analyze_hop(a);
    }
    return (long)i;
}

int cs_pull(cs_analyzer *a, cs_event *ev)
{
    if (!a || !ev)
        return CS_EINVAL;
    cs_event slot;
    if (!event_queue_pull(&a->queue, &slot))
        return 0;
    /* Stages count speakers as slots; the caller sees roles. */
    slot.speaker = slot.speaker >= 0 ? a->speaker_id[slot.speaker] : -1;
    slot.other = slot.other >= 0 ? a->speaker_id[slot.other] : -1;
    *ev = slot;
    return 1;
}

int cs_finish(cs_analyzer *a)
{
    if (!a)
        return CS_EINVAL;
    if (a->finished)
        return CS_ESTATE;
    a->finished = 1;
    int64_t total_hops = (a->audio_frames + a->hop - 1) / a->hop;
    /* The last windows, and the voice activity lookahead, reach past the
     * end: pad with silence until every real hop is decided. */
    while (a->decided_hops < total_hops) {
        for (int s = 0; s < a->nspeakers; s++)
            spectrum_feed(&a->spec[s], 0.0f);
        if (++a->frames == a->next_window_end)
            analyze_hop(a);
    }
    int64_t next = a->turns.newest + 1;
    for (int s = 0; s < a->nspeakers; s++)
        segmenter_close(&a->seg[s]);
    for (int64_t h = next; h < total_hops; h++) {
        int final[CS_MAX_SPEAKERS] = {0};
        for (int s = 0; s < a->nspeakers; s++)
            final[s] = segmenter_final(&a->seg[s], h);
        feed_turns(a, h, final);
    }
    turns_drain(&a->turns, total_hops);
    return CS_OK;
}

double cs_seconds(const cs_analyzer *a, int64_t sample)
{
    return a ? (double)sample / a->cfg.sample_rate_hz : NAN;
}

int cs_hop_samples(const cs_analyzer *a) { return a ? a->hop : CS_EINVAL; }

int cs_summary_get(const cs_analyzer *a, cs_summary *sum)
{
    if (!a || !sum)
        return CS_EINVAL;
    memset(sum, 0, sizeof *sum);
    turns_summary(&a->turns, a->speaker_id, sum);
    sum->frames = a->audio_frames;
    sum->duration_s = (double)a->audio_frames / a->cfg.sample_rate_hz;
    for (int s = 0; s < a->nspeakers; s++) {
        cs_speaker_summary *o = &sum->speaker[a->speaker_id[s]];
        o->present = 1;
        o->clipped_fraction = a->audio_frames ? (double)a->clipped[s] / (double)a->audio_frames : 0.0;
    }
    return CS_OK;
}
