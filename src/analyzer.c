/*
 * The public streaming API: frames in, events out. Each hop of each speaker's
 * channel goes spectrum -> voice activity -> talk spurts -> turn-taking.
 */
#include "callscope/callscope.h"
#include "analyzer_config.h"
#include "diarize.h"
#include "dsp_util.h"
#include "event_queue.h"
#include "flags.h"
#include "laughter.h"
#include "pipeline.h"
#include "pitch.h"
#include "profile_keys.h"
#include "resample.h"
#include "segments.h"
#include "spectrum.h"
#include "turns.h"
#include "vad.h"
#include "voice.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* What is measured of a hop when it is analysed waits in a ring until the
 * hop's final activity is known (after the turn stage's look-ahead); the
 * sizes of that ring and of every queue come from the plan (pipeline.h). */

/* Input frames taken into the resampler at a time: its output for one block
 * waits in `pending` until the analysis has taken it. */
#define RESAMPLE_BLOCK_FRAMES 256

typedef struct hop_slot {
    hop_features voice[CS_MAX_SPEAKERS];
    uint8_t hold[CS_MAX_SPEAKERS];
    uint8_t quick[CS_MAX_SPEAKERS]; /* voice activity as first decided (live stage) */
} hop_slot;

struct cs_analyzer {
    cs_config cfg;
    cs_profile prof;
    int ninputs;   /* channels analysed: one per speaker, or one shared (mono) */
    int nspeakers;
    int channel_of[CS_MAX_SPEAKERS]; /* input channel per speaker slot */
    int speaker_id[CS_MAX_SPEAKERS]; /* CS_AGENT / CS_CUSTOMER per slot */
    int hop;
    double hop_s;
    spectrum spec[CS_MAX_SPEAKERS];
    pitch_tracker pitch[CS_MAX_SPEAKERS];
    pipeline_plan plan;        /* latencies and the buffer sizes they call for */
    int band_lo, band_hi, high_lo; /* spectrum bins of the voice band and its high part */
    pace_bands pace;               /* and of the bands where syllable nuclei are sought */
    double floor_db[CS_MAX_SPEAKERS];  /* slow floor of each channel's voice-band level */
    double floor_rise_db, pitch_gate_db;
    int voice_on;                      /* voice.analyze: pitch, level, pace frames */
    vad vad;
    segmenter seg[CS_MAX_SPEAKERS];
    turns turns;
    voice_stage voice;
    voice_stage live;          /* with cfg.live_frames: the same measures on the quick decision */
    laughter_detector laugh;   /* with voice_on: laughter per channel, per speaker once final */
    event_queue queue;
    flag_stage flags;
    int rate_hz;               /* analysis rate: every sample index counts at it */
    resampler rs;              /* the caller's rate to the analysis rate */
    float *rs_in;              /* one block of the analysed input channels, interleaved */
    float *pending;            /* resampled samples the analysis has not taken yet */
    size_t pending_len, pending_pos;
    int tail_done;             /* cs_finish has taken the resampler's tail */
    int64_t input_frames;      /* frames pushed by the caller, at its rate */
    int64_t audio_frames;      /* analysis samples of real audio */
    int64_t frames;            /* analysis samples analyzed, end padding included */
    int64_t next_hop;          /* next hop to analyze */
    int64_t decided_hops;      /* hops the voice activity stage has decided */
    int64_t next_window_end;   /* frame count at which that hop's window is complete */
    int64_t clipped[CS_MAX_SPEAKERS];
    hop_slot *slots;           /* per hop, ahead of the final activity */
    float clip_level;
    int finished;              /* 1 while cs_finish still has work to hand on, 2 when done */
    int padded;                /* cs_finish has padded the last windows */
    int diarizing;
    diarizer diar;
    float *timbre;             /* per hop, until voice activity decides it */
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
    case CS_ESTORE: return "the store could not keep or give back a record";
    case CS_EWRITE: return "the write function failed";
    case CS_ECALLBACK: return "a callback asked to stop";
    case CS_ECLIPPED: return "a speaker's channel is mostly clipped";
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

int cs_speaker_find(const char *name)
{
    for (int s = 0; name && s < CS_MAX_SPEAKERS; s++)
        if (strcmp(name, cs_speaker_name(s)) == 0)
            return s;
    return CS_EINVAL;
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
    case CS_EVENT_LAUGHTER: return "laughter";
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
    if (cfg->diarize) {
        /* Both voices are in the agent's channel. */
        int c = cfg->speaker_channel[CS_AGENT];
        if (cfg->live_frames)
            return CS_EINVAL;
        return c >= 0 && c < cfg->channels ? CS_OK : CS_ECHANNELS;
    }
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

int analyzer_check_config(const cs_config *cfg, const cs_profile *prof)
{
    int err = check_config(cfg);
    return err < 0 ? err : profile_check(prof);
}

void cs_close(cs_analyzer *a)
{
    if (!a)
        return;
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        spectrum_free(&a->spec[s]);
        pitch_free(&a->pitch[s]);
    }
    vad_free(&a->vad);
    if (a->diarizing)
        diarizer_free(&a->diar);
    free(a->timbre);
    turns_free(&a->turns);
    voice_free(&a->voice);
    voice_free(&a->live);
    laughter_free(&a->laugh);
    flags_free(&a->flags);
    free(a->slots);
    event_queue_free(&a->queue);
    resampler_free(&a->rs);
    free(a->rs_in);
    free(a->pending);
    free(a);
}

int cs_open(cs_analyzer **out, const cs_config *cfg, const cs_profile *prof)
{
    if (!out)
        return CS_EINVAL;
    *out = NULL;
    if (!cfg || !prof)
        return CS_EINVAL;
    int err = analyzer_check_config(cfg, prof);
    if (err < 0)
        return err;
    cs_analyzer *a = calloc(1, sizeof *a);
    if (!a)
        return CS_ENOMEM;
    a->cfg = *cfg;
    a->prof = *prof;
    a->diarizing = cfg->diarize != 0;
    for (int s = 0; s < CS_MAX_SPEAKERS; s++)
        if (a->diarizing || cfg->speaker_channel[s] >= 0) {
            a->speaker_id[a->nspeakers] = s;
            a->channel_of[a->nspeakers++] = cfg->speaker_channel[a->diarizing ? CS_AGENT : s];
        }
    a->ninputs = a->diarizing ? 1 : a->nspeakers;
    a->rate_hz = cs_analysis_rate(prof, cfg->sample_rate_hz);
    a->hop = (int)lround(a->rate_hz * CS_HOP_S);
    a->hop_s = (double)a->hop / a->rate_hz;
    err = resampler_init(&a->rs, cfg->sample_rate_hz, a->rate_hz, a->ninputs, RESAMPLE_BLOCK_FRAMES);
    if (err >= 0) {
        a->rs_in = malloc(RESAMPLE_BLOCK_FRAMES * (size_t)a->ninputs * sizeof *a->rs_in);
        a->pending = malloc(resampler_room(&a->rs) * (size_t)a->ninputs * sizeof *a->pending);
        if (!a->rs_in || !a->pending)
            err = CS_ENOMEM;
    }
    a->clip_level = (float)prof->value[CS_K_INPUT_CLIP_LEVEL];
    for (int s = 0; s < a->ninputs && err >= 0; s++)
        err = spectrum_init(&a->spec[s], a->rate_hz, a->hop, prof->value[CS_K_VAD_WINDOW_S]);
    for (int s = 0; s < a->ninputs && err >= 0; s++)
        err = pitch_init(&a->pitch[s], prof, a->rate_hz, a->hop_s);
    if (err >= 0) {
        a->band_lo = spectrum_bin(&a->spec[0], prof->value[CS_K_VAD_BAND_LOW_HZ]);
        a->band_hi = spectrum_bin(&a->spec[0], prof->value[CS_K_VAD_BAND_HIGH_HZ]);
        a->high_lo = spectrum_bin(&a->spec[0], prof->value[CS_K_TONE_HIGH_BAND_HZ]);
        if (a->high_lo > a->band_hi)
            a->high_lo = a->band_hi;
        a->voice_on = prof->value[CS_K_VOICE_ANALYZE] > 0.5;
        a->floor_rise_db = prof->value[CS_K_VAD_LEVEL_RISE_DB_PER_S] * a->hop_s;
        a->pitch_gate_db = prof->value[CS_K_PITCH_GATE_DB];
        for (int s = 0; s < CS_MAX_SPEAKERS; s++)
            a->floor_db[s] = INFINITY;
        pace_bands_init(&a->pace, prof, &a->spec[0]);
    }
    cs_profile vad_prof = *prof;
    if (a->diarizing)
        vad_prof.value[CS_K_VAD_LEVEL_GATE_DB] = prof->value[CS_K_DIARIZE_VAD_LEVEL_GATE_DB];
    if (err >= 0)
        err = vad_init(&a->vad, &vad_prof, a->ninputs, a->spec[0].nbins, (double)a->rate_hz / a->spec[0].nfft,
                       a->hop_s, (double)spectrum_window_samples(&a->spec[0]) / a->rate_hz);
    for (int s = 0; s < a->nspeakers && err >= 0; s++)
        segmenter_init(&a->seg[s], prof, a->hop_s, vad_overhang_hops(&a->vad));
    if (err >= 0)
        err = turns_init(&a->turns, prof, a->nspeakers, a->hop, a->hop_s,
                         segmenter_preroll_hops(&a->seg[0]) + vad_hang_hops(&a->vad), vad_hang_hops(&a->vad));
    if (err >= 0 && a->diarizing) {
        err = diarizer_init(&a->diar, prof, a->spec[0].nbins, (double)a->rate_hz / a->spec[0].nfft, a->rate_hz,
                            a->hop_s, cfg->agent_second, cfg->agent_pitch_hz);
        if (err < 0)
            a->diarizing = 0; /* nothing to free */
    }
    /* Every stage is open: its latency sizes what lies between them. */
    const pipeline_plan *plan = &a->plan;
    if (err >= 0)
        pipeline_plan_make(&a->plan, &a->spec[0], &a->pitch[0], &a->vad, &a->seg[0], &a->turns,
                           a->diarizing ? &a->diar : NULL, a->hop);
    if (err >= 0 && a->diarizing) {
        a->timbre = calloc((size_t)(plan->timbre_mask + 1) * (size_t)diarizer_feature_size(&a->diar), sizeof(float));
        if (!a->timbre)
            err = CS_ENOMEM;
    }
    if (err >= 0) {
        a->slots = calloc((size_t)plan->slot_mask + 1, sizeof *a->slots);
        if (!a->slots)
            err = CS_ENOMEM;
    }
    if (err >= 0)
        err = event_queue_init(&a->queue, plan->event_capacity);
    if (err >= 0)
        err = flags_init(&a->flags, &a->prof, a->nspeakers, a->speaker_id, a->hop, a->hop_s, plan->flag_capacity);
    if (err >= 0)
        err = voice_init(&a->voice, prof, a->nspeakers, a->hop, a->hop_s, plan->voice_frames, 0);
    if (err >= 0 && a->voice_on)
        err = laughter_init(&a->laugh, prof, a->ninputs, a->nspeakers, a->hop, a->hop_s);
    if (err >= 0 && cfg->live_frames) {
        /* The live stage takes each hop as soon as voice activity has
         * decided it, without the segment and turn stages' look-ahead, in
         * frames of live.frame_s. Its pitch may land a little later. */
        cs_profile live = *prof;
        live.value[CS_K_TRACKS_HOP_S] = prof->value[CS_K_LIVE_FRAME_S];
        err = voice_init(&a->live, &live, a->nspeakers, a->hop, a->hop_s, plan->live_frames, 1);
    }
    if (err < 0) {
        cs_close(a);
        return err;
    }
    a->next_window_end = pipeline_first_window_end(&a->spec[0], a->hop);
    *out = a;
    return CS_OK;
}

static void track_hold(cs_analyzer *a)
{
    for (int s = 0; s < a->ninputs; s++)
        a->slots[a->vad.graded_hop & a->plan.slot_mask].hold[s] = (uint8_t)a->vad.hold[s];
}

/* The turn stage has settled a hop: its voice measurements now count, and
 * the flags see who was talking. */
static void hop_final(cs_analyzer *a, int64_t hop, const int *active)
{
    if (a->voice_on) {
        hop_features *measured = a->slots[hop & a->plan.slot_mask].voice;
        if (a->diarizing)
            measured[1] = measured[0]; /* one channel: whoever speaks was measured there */
        voice_feed(&a->voice, hop, active, measured);
        int laughing[CS_MAX_SPEAKERS] = {0};
        for (int s = 0; s < a->nspeakers; s++)
            laughing[s] = measured[s].laughing;
        laughter_final(&a->laugh, hop, active, laughing, &a->queue);
    }
    flags_on_hop(&a->flags, hop, active);
}

/* What the turn stage decided goes on, in its order: each final hop to the
 * voice, laughter and flag stages, each event to the caller's queue and the
 * flags. */
static void pass_on_decided(cs_analyzer *a)
{
    turns_output o;
    while (turns_pull(&a->turns, &o)) {
        if (o.final_hop >= 0) {
            hop_final(a, o.final_hop, o.active);
        } else {
            event_queue_push(&a->queue, &o.event);
            flags_on_event(&a->flags, &o.event);
        }
    }
}

static void feed_turns(cs_analyzer *a, int64_t hop, const int *final)
{
    int hold[CS_MAX_SPEAKERS] = {0};
    const hop_slot *slot = &a->slots[hop & a->plan.slot_mask];
    for (int s = 0; s < a->nspeakers; s++)
        hold[s] = slot->hold[s];
    turns_feed(&a->turns, hop, final, hold);
    pass_on_decided(a);
}

/* One hop of channel s to the laughter detector; its decision, half a
 * window later, waits in the hop's slot for the final activity. */
static void feed_laughter(cs_analyzer *a, int s, double level_db, double f0_hz)
{
    int64_t hop;
    int laughing;
    if (laughter_feed(&a->laugh, s, level_db, f0_hz, a->floor_db[s], &hop, &laughing))
        a->slots[hop & a->plan.slot_mask].voice[s].laughing = (uint8_t)laughing;
}

/* Voice measurements of the hop being analysed (its pitch lands a little
 * earlier, where the pitch span is centred). */
static void measure_voice(cs_analyzer *a, int s)
{
    const float *p = a->spec[s].power;
    double band = 0, high = 0;
    for (int k = a->band_lo; k < a->high_lo; k++)
        band += p[k];
    for (int k = a->high_lo; k < a->band_hi; k++)
        high += p[k];
    hop_features *f = &a->slots[a->next_hop & a->plan.slot_mask].voice[s];
    pace_bands_measure(&a->pace, p, f);
    f->band_power = (float)(band + high);
    f->high_power = (float)high;
    f->f0_hz = 0;
    f->pitch_depth = 1;
    /* Most hops of a call are one party's silence: no pitch search there. */
    double level = power_to_db(band + high);
    a->floor_db[s] = level < a->floor_db[s] ? level : a->floor_db[s] + a->floor_rise_db;
    if (level > a->floor_db[s] + a->pitch_gate_db)
        pitch_compute(&a->pitch[s]);
    else
        pitch_skip(&a->pitch[s]);
    if (a->next_hop >= a->plan.pitch_lag) {
        hop_features *late = &a->slots[(a->next_hop - a->plan.pitch_lag) & a->plan.slot_mask].voice[s];
        late->f0_hz = (float)a->pitch[s].f0_hz;
        late->pitch_depth = (float)a->pitch[s].depth;
        /* With its pitch, the hop goes to the laughter detector. */
        feed_laughter(a, s, power_to_db(late->band_power), late->f0_hz);
    }
}

/* The quick path: a hop goes to the live stage with its first activity
 * decision. */
static void feed_live(cs_analyzer *a, int64_t hop)
{
    const hop_slot *slot = &a->slots[hop & a->plan.slot_mask];
    int active[CS_MAX_SPEAKERS] = {0};
    for (int s = 0; s < a->nspeakers; s++)
        active[s] = slot->quick[s];
    voice_feed(&a->live, hop, active, slot->voice);
}

/* Room for everything one hop can raise downstream of voice activity. */
static int room_for_hop(const cs_analyzer *a)
{
    return event_queue_space(&a->queue) >= (size_t)a->plan.events_per_hop && voice_queue_space(&a->voice) >= 2 &&
           flags_space(&a->flags) >= a->plan.flag_room;
}

/* The closing drain decides every hop still in flight at once; the queues
 * were sized for that starting empty, as the caller leaves them after pulling
 * everything. The last release of held-back hops can leave them nearly full. */
static int room_for_drain(const cs_analyzer *a)
{
    return event_queue_space(&a->queue) == a->queue.capacity && voice_queue_space(&a->voice) == a->voice.capacity &&
           flags_space(&a->flags) == a->flags.capacity;
}

static void feed_segments(cs_analyzer *a, const int *active)
{
    int64_t hop = 0;
    int final[CS_MAX_SPEAKERS] = {0}, ready = 0;
    for (int s = 0; s < a->nspeakers; s++)
        ready = segmenter_step(&a->seg[s], active[s], &hop, &final[s]);
    if (ready)
        feed_turns(a, hop, final);
}

/* Hops whose speaker the diarizer knows go on, as far as the queues allow. */
static void release_diarized(cs_analyzer *a)
{
    int speakers;
    while (room_for_hop(a) && diarizer_pull(&a->diar, &speakers)) {
        int active[CS_MAX_SPEAKERS] = {speakers & 1, (speakers >> 1) & 1};
        feed_segments(a, active);
    }
}

static void analyze_hop(cs_analyzer *a)
{
    const float *power[CS_MAX_SPEAKERS] = {0};
    for (int s = 0; s < a->ninputs; s++) {
        spectrum_compute(&a->spec[s]);
        power[s] = a->spec[s].power;
        if (a->voice_on)
            measure_voice(a, s);
    }
    if (a->diarizing)
        diarizer_features(&a->diar, power[0],
                          a->timbre + (size_t)(a->next_hop & a->plan.timbre_mask) * diarizer_feature_size(&a->diar));
    a->next_hop++;
    a->next_window_end += a->hop;
    int ready = vad_step(&a->vad, power);
    if (a->vad.graded_hop >= 0)
        track_hold(a);
    if (!ready)
        return;
    if (a->cfg.live_frames) {
        for (int s = 0; s < a->nspeakers; s++)
            a->slots[a->decided_hops & a->plan.slot_mask].quick[s] = (uint8_t)a->vad.active[s];
        /* The hop live_lag_hops back has its pitch by now. */
        if (a->decided_hops >= a->plan.live_lag)
            feed_live(a, a->decided_hops - a->plan.live_lag);
    }
    int64_t decided = a->decided_hops++;
    if (a->diarizing) {
        const hop_slot *slot = &a->slots[decided & a->plan.slot_mask];
        diarizer_push(&a->diar, a->vad.active[0],
                      a->timbre + (size_t)(decided & a->plan.timbre_mask) * diarizer_feature_size(&a->diar),
                      slot->voice[0].f0_hz);
        release_diarized(a);
        return;
    }
    feed_segments(a, a->vad.active);
}

/* Hands the resampled samples waiting in `pending` to the analysis; 0 when it
 * has to stop because a hop could queue more than the queues hold. */
static int drain_pending(cs_analyzer *a)
{
    while (a->pending_pos < a->pending_len) {
        /* A hop may queue events: stop early rather than ever drop one. */
        /* The diarizer keeps room for the hops cs_finish pads. */
        int64_t to_window_end = a->next_window_end - a->frames;
        if (to_window_end == 1 &&
            (!room_for_hop(a) || (a->cfg.live_frames && voice_queue_space(&a->live) < a->plan.live_room) ||
             (a->diarizing && diarizer_space(&a->diar) < a->plan.diarize_room)))
            return 0;
        /* The samples before the one that completes a window go in at once. */
        size_t n = a->pending_len - a->pending_pos;
        if (to_window_end > 1 && (int64_t)n > to_window_end - 1)
            n = (size_t)(to_window_end - 1);
        else if (to_window_end == 1)
            n = 1;
        const float *x = a->pending + a->pending_pos * (size_t)a->ninputs;
        for (int s = 0; s < a->ninputs; s++) {
            spectrum_feed_block(&a->spec[s], x + s, a->ninputs, n);
            if (a->voice_on)
                pitch_feed_block(&a->pitch[s], x + s, a->ninputs, n); /* only the voice measures read it */
        }
        a->pending_pos += n;
        a->audio_frames += (int64_t)n;
        if ((a->frames += (int64_t)n) == a->next_window_end)
            analyze_hop(a);
    }
    return 1;
}

long cs_push(cs_analyzer *a, const float *frames, size_t nframes)
{
    if (!a || (!frames && nframes))
        return CS_EINVAL;
    if (a->finished)
        return CS_ESTATE;
    const int nch = a->cfg.channels;
    if (a->diarizing)
        release_diarized(a);
    size_t done = 0;
    while (done < nframes && drain_pending(a)) {
        size_t n = nframes - done < RESAMPLE_BLOCK_FRAMES ? nframes - done : RESAMPLE_BLOCK_FRAMES;
        int nonfinite = 0;
        for (size_t i = 0; i < n && !nonfinite; i++) {
            const float *f = frames + (done + i) * (size_t)nch;
            for (int c = 0; c < nch; c++)
                if (!isfinite(f[c])) {
                    nonfinite = 1;
                    n = i;
                }
        }
        for (size_t i = 0; i < n; i++) {
            const float *f = frames + (done + i) * (size_t)nch;
            for (int s = 0; s < a->ninputs; s++) {
                float x = f[a->channel_of[s]];
                a->clipped[s] += fabsf(x) >= a->clip_level;
                a->rs_in[i * (size_t)a->ninputs + (size_t)s] = x;
            }
        }
        a->pending_len = resampler_process(&a->rs, a->rs_in, n, a->pending);
        a->pending_pos = 0;
        a->input_frames += (int64_t)n;
        done += n;
        if (nonfinite)
            return CS_ENONFINITE;
    }
    return (long)done;
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

static int separation_doubtful(const cs_analyzer *a)
{
    return a->diarizing && !a->diar.single && a->diar.confidence < a->prof.value[CS_K_DIARIZE_DOUBTFUL_BELOW];
}

int cs_pull_flag(cs_analyzer *a, cs_flag *fl)
{
    if (!a || !fl)
        return CS_EINVAL;
    int got = flags_pull(&a->flags, fl);
    /* Flags follow the hops the separation placed, so its confidence is
     * known by the first one. */
    if (got > 0)
        fl->doubtful = separation_doubtful(a) && cs_flag_rests_on_who_spoke(fl->kind);
    return got;
}

/* A frame of stage v, by speaker slot, as the caller sees it: by role, a
 * role with no channel silent. */
static int pull_from(const cs_analyzer *a, voice_stage *v, cs_frame *fr)
{
    cs_frame slot;
    if (!voice_pull(v, &slot))
        return 0;
    memset(fr, 0, sizeof *fr);
    fr->start = slot.start;
    fr->end = slot.end;
    fr->overtalk_s = slot.overtalk_s;
    for (int r = 0; r < CS_MAX_SPEAKERS; r++) {
        cs_voice *o = &fr->speaker[r];
        o->pitch_hz = o->pitch_lo_hz = o->pitch_hi_hz = o->level_db = o->high_band_db = NAN;
    }
    for (int s = 0; s < a->nspeakers; s++)
        fr->speaker[a->speaker_id[s]] = slot.speaker[s];
    return 1;
}

int cs_pull_frame(cs_analyzer *a, cs_frame *fr)
{
    if (!a || !fr)
        return CS_EINVAL;
    return pull_from(a, &a->voice, fr);
}

int cs_pull_live_frame(cs_analyzer *a, cs_frame *fr)
{
    if (!a || !fr)
        return CS_EINVAL;
    if (!a->cfg.live_frames)
        return CS_ESTATE;
    return pull_from(a, &a->live, fr);
}

int cs_finish(cs_analyzer *a)
{
    if (!a)
        return CS_EINVAL;
    if (a->finished == 2)
        return CS_ESTATE;
    a->finished = 1;
    /* What the resampler still holds is the end of the audio. */
    while (!a->tail_done) {
        if (!drain_pending(a))
            return CS_FINISH_MORE;
        a->pending_len = resampler_flush(&a->rs, a->pending);
        a->pending_pos = 0;
        a->tail_done = a->pending_len == 0;
    }
    int64_t total_hops = (a->audio_frames + a->hop - 1) / a->hop;
    if (!a->padded) {
        a->padded = 1;
        /* The last windows, and the voice activity lookahead, reach past the
         * end: pad with silence until every real hop is decided. */
        while (a->decided_hops < total_hops) {
            for (int s = 0; s < a->ninputs; s++) {
                spectrum_feed(&a->spec[s], 0.0f);
                if (a->voice_on)
                    pitch_feed(&a->pitch[s], 0.0f);
            }
            if (++a->frames == a->next_window_end)
                analyze_hop(a);
        }
        if (a->diarizing)
            diarizer_finish(&a->diar);
        /* Laughter decides a hop half a window after it: silence past the
         * end decides the last ones. */
        for (int s = 0; s < a->ninputs && a->voice_on; s++)
            while (a->laugh.ch[s].fed < total_hops + laughter_delay(&a->laugh))
                feed_laughter(a, s, -INFINITY, 0);
    }
    if (a->diarizing) {
        /* The held-back hops go on as far as the queues allow; the caller
         * empties them and calls again for the rest. */
        release_diarized(a);
        if (a->diar.oldest < a->diar.next || !room_for_drain(a))
            return CS_FINISH_MORE;
    }
    a->finished = 2;
    int64_t next = turns_fed_hops(&a->turns);
    for (int s = 0; s < a->nspeakers; s++)
        segmenter_close(&a->seg[s]);
    for (int64_t h = next; h < total_hops; h++) {
        int final[CS_MAX_SPEAKERS] = {0};
        for (int s = 0; s < a->nspeakers; s++)
            final[s] = segmenter_final(&a->seg[s], h);
        feed_turns(a, h, final);
    }
    while (turns_drain(&a->turns, total_hops))
        pass_on_decided(a);
    if (a->voice_on)
        laughter_finish(&a->laugh, &a->queue);
    flags_finish(&a->flags);
    if (a->voice_on)
        voice_finish(&a->voice, total_hops, a->audio_frames);
    if (a->cfg.live_frames) {
        /* The last live_lag_hops hops waited only for their pitch, which the
         * padding above has delivered. */
        int64_t first = total_hops > a->plan.live_lag ? total_hops - a->plan.live_lag : 0;
        for (int64_t h = first; h < total_hops; h++)
            feed_live(a, h);
        voice_finish(&a->live, total_hops, a->audio_frames);
    }
    return CS_OK;
}

double cs_seconds(const cs_analyzer *a, int64_t sample)
{
    return a ? (double)sample / a->rate_hz : NAN;
}

int cs_analysis_rate(const cs_profile *prof, int input_rate_hz)
{
    if (!prof)
        return CS_EINVAL;
    int wanted = (int)lround(prof->value[CS_K_INPUT_ANALYSIS_RATE_HZ]);
    return input_rate_hz > wanted ? wanted : input_rate_hz;
}

int cs_hop_samples(const cs_analyzer *a) { return a ? a->hop : CS_EINVAL; }

int cs_frame_samples(const cs_analyzer *a) { return a ? a->voice.frame_hops * a->hop : CS_EINVAL; }

int cs_live_frame_samples(const cs_analyzer *a)
{
    if (!a)
        return CS_EINVAL;
    return a->cfg.live_frames ? a->live.frame_hops * a->hop : CS_ESTATE;
}

int cs_summary_get(const cs_analyzer *a, cs_summary *sum)
{
    if (!a || !sum)
        return CS_EINVAL;
    memset(sum, 0, sizeof *sum);
    turns_summary(&a->turns, a->speaker_id, sum);
    sum->frames = a->input_frames;
    sum->duration_s = (double)a->input_frames / a->cfg.sample_rate_hz;
    for (int s = 0; s < a->nspeakers; s++) {
        cs_speaker_summary *o = &sum->speaker[a->speaker_id[s]];
        o->present = 1;
        int input = s < a->ninputs ? s : 0;
        o->clipped_fraction = a->input_frames ? (double)a->clipped[input] / (double)a->input_frames : 0.0;
        voice_summary(&a->voice, s, o);
    }
    if (a->diarizing) {
        sum->diarized = 1;
        sum->voices = a->diar.single ? 1 : 2;
        sum->separation_confidence = a->diar.confidence;
        sum->separation_gain = a->diar.gain;
        sum->separation_doubtful = separation_doubtful(a);
    }
    return CS_OK;
}
