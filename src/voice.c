#include "voice.h"
#include "dsp_util.h"
#include "profile_keys.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Level given to hops without speech, so that a talk spurt's edges count as
 * dips around its first and last syllables. */
#define SILENT_DB (-200.0f)

int voice_init(voice_stage *v, const cs_profile *prof, int nspeakers, int hop, double hop_s, size_t queue_frames,
               int live)
{
    memset(v, 0, sizeof *v);
    const double *p = prof->value;
    v->nspeakers = nspeakers;
    v->hop = hop;
    v->hop_s = hop_s;
    v->frame_hops = hops_of(p[CS_K_TRACKS_HOP_S], hop_s);
    if (v->frame_hops < 1)
        v->frame_hops = 1;
    v->peak_hops = hops_of(p[CS_K_PACE_PEAK_S], hop_s);
    v->dip_hops = hops_of(p[CS_K_PACE_DIP_S], hop_s);
    if (v->peak_hops < 1)
        v->peak_hops = 1;
    if (v->dip_hops < v->peak_hops)
        v->dip_hops = v->peak_hops;
    v->edge_hops = hops_of(p[CS_K_PACE_EDGE_S], hop_s);
    v->smooth_half = hops_of(0.5 * (p[CS_K_PACE_SMOOTH_S] - hop_s), hop_s);
    if (v->smooth_half > CS_PACE_MAX_SMOOTH)
        v->smooth_half = CS_PACE_MAX_SMOOTH;
    for (int j = 0; j <= v->smooth_half; j++)
        v->smooth_weight[j] = 0.5 + 0.5 * cos(CS_PI * j / (v->smooth_half + 1));
    v->change_hops = hops_of(p[CS_K_PACE_CHANGE_S], hop_s);
    if (v->change_hops < 1)
        v->change_hops = 1;
    v->change_weight = p[CS_K_PACE_CHANGE_WEIGHT];
    v->level_lag = v->smooth_half > v->change_hops ? v->smooth_half : v->change_hops;
    v->delay = v->level_lag + v->dip_hops > v->edge_hops ? v->level_lag + v->dip_hops : v->edge_hops;
    v->ring = 2 * v->delay + 1;
    /* Live, a gap is closed when speech resumes; the pace of the hops whose
     * core test reaches into it waits for that. */
    if (live) {
        v->live = 1;
        /* The segment stage measures its pauses between detections, before
         * its pre-roll (see segments.c). */
        v->preroll_hops = hops_of(p[CS_K_VAD_PREROLL_S], hop_s);
        v->bridge_hops = hops_of(p[CS_K_SEGMENT_BRIDGE_S], hop_s) + v->preroll_hops;
        if (v->delay < v->bridge_hops + v->edge_hops)
            v->delay = v->bridge_hops + v->edge_hops;
        v->ring = 2 * v->delay + 1;
    }
    v->dip_db = p[CS_K_PACE_DIP_DB];
    v->voicing = p[CS_K_PACE_VOICING];
    v->floor_db = p[CS_K_PACE_FLOOR_DB];
    /* The nucleus floor follows the speaker's level over about one pace window. */
    v->level_coef = smoothing_coef(p[CS_K_PACE_WINDOW_S], hop_s);
    v->merge_hops = hops_of(p[CS_K_TURN_MERGE_S], hop_s);
    v->capacity = queue_frames;
    v->queue = calloc(queue_frames, sizeof *v->queue);
    int err = v->queue ? CS_OK : CS_ENOMEM;
    for (int s = 0; s < nspeakers && err >= 0; s++) {
        voice_speaker *k = &v->sp[s];
        k->recent = calloc((size_t)v->ring, sizeof *k->recent);
        k->frame_f0 = calloc((size_t)v->frame_hops, sizeof *k->frame_f0);
        if (!k->recent || !k->frame_f0)
            err = CS_ENOMEM;
        else
            err = histogram_init(&k->pitch_st, CS_PITCH_HIST_LO_ST, CS_PITCH_HIST_HI_ST, CS_PITCH_HIST_BINS);
    }
    if (err < 0)
        voice_free(v);
    return err;
}

void voice_free(voice_stage *v)
{
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        free(v->sp[s].recent);
        free(v->sp[s].frame_f0);
        histogram_free(&v->sp[s].pitch_st);
    }
    free(v->queue);
    memset(v, 0, sizeof *v);
}

static const voice_hop *at(const voice_stage *v, const voice_speaker *k, int64_t hop)
{
    return &k->recent[hop % v->ring];
}

void pace_bands_init(pace_bands *b, const cs_profile *prof, const spectrum *spec)
{
    const double *p = prof->value;
    b->vowel_lo = spectrum_bin(spec, p[CS_K_PACE_BAND_LOW_HZ]);
    b->vowel_hi = spectrum_bin(spec, p[CS_K_PACE_BAND_HIGH_HZ]);
    /* The bands end at the Nyquist frequency (spectrum_bin stops there). */
    double lo = p[CS_K_PACE_SHAPE_LOW_HZ], hi = p[CS_K_PACE_SHAPE_HIGH_HZ];
    for (int i = 0; i <= CS_PACE_SHAPE_BANDS; i++)
        b->shape_edge[i] = spectrum_bin(spec, lo * pow(hi / lo, (double)i / CS_PACE_SHAPE_BANDS));
    b->shape_range_db = p[CS_K_PACE_SHAPE_RANGE_DB];
}

void pace_bands_measure(const pace_bands *b, const float *power, hop_features *f)
{
    double vowel = 0;
    for (int k = b->vowel_lo; k < b->vowel_hi; k++)
        vowel += power[k];
    f->vowel_power = (float)vowel;
    double level[CS_PACE_SHAPE_BANDS], loudest = -INFINITY, mean = 0;
    for (int i = 0; i < CS_PACE_SHAPE_BANDS; i++) {
        double sum = 0;
        /* A band narrower than a bin still takes its bin. */
        int k = b->shape_edge[i], end = b->shape_edge[i + 1] > k ? b->shape_edge[i + 1] : k + 1;
        for (; k < end; k++)
            sum += power[k];
        level[i] = power_to_db(sum);
        loudest = level[i] > loudest ? level[i] : loudest;
    }
    /* Bands far below the strongest are noise: their depth says nothing of the vowel. */
    for (int i = 0; i < CS_PACE_SHAPE_BANDS; i++) {
        if (level[i] < loudest - b->shape_range_db)
            level[i] = loudest - b->shape_range_db;
        mean += level[i] / CS_PACE_SHAPE_BANDS;
    }
    for (int i = 0; i < CS_PACE_SHAPE_BANDS; i++)
        f->shape_db[i] = (float)(level[i] - mean);
}

/* A hop's nucleus level as the nucleus search sees it: silent outside speech. */
static float speech_level(const voice_hop *h) { return h->active ? h->nucleus_db : SILENT_DB; }

/* Hop m's nucleus level, all hops within level_lag of it stored: the
 * vowel band's power averaged over a raised cosine, in dB, less
 * change_weight times the change of the spectrum's shape between the
 * change_hops before m and from m on. Hops before the first count as silent
 * and shapeless. */
static void nucleus_level(const voice_stage *v, voice_speaker *k, int64_t m)
{
    double power = 0, weights = 0;
    for (int j = -v->smooth_half; j <= v->smooth_half; j++) {
        double w = v->smooth_weight[j < 0 ? -j : j];
        weights += w;
        if (m + j >= 0)
            power += w * at(v, k, m + j)->vowel_power;
    }
    double change = 0;
    if (m >= v->change_hops) {
        /* Hop by hop, each band's sum in the same order: a hop is looked up
         * once, not once per band. */
        double d[CS_PACE_SHAPE_BANDS] = {0};
        for (int j = 1; j <= v->change_hops; j++) {
            const float *after = at(v, k, m + j - 1)->shape_db, *before = at(v, k, m - j)->shape_db;
            for (int i = 0; i < CS_PACE_SHAPE_BANDS; i++)
                d[i] += after[i] - before[i];
        }
        for (int i = 0; i < CS_PACE_SHAPE_BANDS; i++) {
            d[i] /= v->change_hops;
            change += d[i] * d[i];
        }
        change = sqrt(change / CS_PACE_SHAPE_BANDS);
    }
    k->recent[m % v->ring].nucleus_db = (float)(power_to_db(power / weights) - v->change_weight * change);
}

/* Hop c (delay hops back, all its neighbours known) is a syllable nucleus.
 * Voicing is judged by the period's dip, against a looser bar than the
 * pitch track's: a value of pitch needs a clean period, a vowel only needs
 * one at all, and the loudest hop of an emotional vowel, its pitch gliding
 * within the window, often falls short of the pitch track's bar. */
static int is_nucleus(const voice_stage *v, const voice_speaker *k, int64_t c)
{
    const voice_hop *h = at(v, k, c);
    if (!h->active || !k->level_known || h->nucleus_db < k->running_level_db - v->floor_db)
        return 0;
    int voiced = h->pitch_depth < v->voicing;
    for (int64_t d = -1; d <= 1 && !voiced; d += 2)
        voiced = c + d >= 0 && at(v, k, c + d)->pitch_depth < v->voicing && at(v, k, c + d)->active;
    if (!voiced)
        return 0;
    float e = h->nucleus_db;
    for (int d = 1; d <= v->peak_hops; d++) {
        float l = c - d >= 0 ? speech_level(at(v, k, c - d)) : SILENT_DB;
        /* Ties go to the earlier hop, so a flat top counts once. */
        if (l >= e || speech_level(at(v, k, c + d)) > e)
            return 0;
    }
    /* Each side's lowest point before a louder hop: a ripple on a vowel's
     * top does not count its neighbour's dip as its own. */
    float left = e, right = e;
    for (int d = 1; d <= v->dip_hops; d++) {
        float l = c - d >= 0 ? speech_level(at(v, k, c - d)) : SILENT_DB;
        if (l >= e)
            break;
        left = l < left ? l : left;
    }
    for (int d = 1; d <= v->dip_hops; d++) {
        float r = speech_level(at(v, k, c + d));
        if (r > e)
            break;
        right = r < right ? r : right;
    }
    return e - (left > right ? left : right) >= v->dip_db;
}

static void emit_frame(voice_stage *v, int64_t end_sample)
{
    /* cs_push and cs_finish keep room. Were a caller to stop pulling frames,
     * the frame is lost, but its gathering still starts anew: the pitch
     * store holds one frame's hops. */
    cs_frame scratch;
    cs_frame *fr = v->count < v->capacity ? &v->queue[(v->head + v->count++) % v->capacity] : &scratch;
    memset(fr, 0, sizeof *fr);
    fr->start = v->frame_index * v->frame_hops * (int64_t)v->hop;
    fr->end = end_sample;
    for (int s = 0; s < v->nspeakers; s++) {
        voice_speaker *k = &v->sp[s];
        cs_voice *o = &fr->speaker[s];
        o->speech_s = k->speech_hops * v->hop_s;
        o->voiced_s = k->voiced_hops * v->hop_s;
        o->articulation_s = k->core_hops * v->hop_s;
        o->syllables = k->syllables;
        o->laughter_s = k->laughing_hops * v->hop_s;
        o->pitch_hz = o->pitch_lo_hz = o->pitch_hi_hz = NAN;
        o->level_db = o->high_band_db = NAN;
        if (k->speech_hops) {
            o->level_db = power_to_db(k->power_sum / k->speech_hops);
            o->high_band_db = power_to_db(k->high_sum) - power_to_db(k->power_sum);
        }
        int n = k->voiced_hops;
        if (n) {
            float *f = k->frame_f0;
            for (int i = 1; i < n; i++) /* few values: insertion sort */
                for (int j = i; j > 0 && f[j - 1] > f[j]; j--) {
                    float t = f[j];
                    f[j] = f[j - 1];
                    f[j - 1] = t;
                }
            o->pitch_lo_hz = f[(int)floor(0.1 * (n - 1) + 0.5)];
            o->pitch_hz = n % 2 ? f[n / 2] : 0.5 * (f[n / 2 - 1] + f[n / 2]);
            o->pitch_hi_hz = f[(int)floor(0.9 * (n - 1) + 0.5)];
        }
        k->speech_hops = k->voiced_hops = k->core_hops = k->syllables = k->laughing_hops = 0;
        k->power_sum = k->high_sum = 0;
    }
    fr->overtalk_s = v->overtalk_hops * v->hop_s;
    v->overtalk_hops = 0;
    v->frame_index++;
}

/* Hop c is speech with no pause within edge_hops either side. */
static int is_core(const voice_stage *v, const voice_speaker *k, int64_t c)
{
    for (int d = 1; d <= v->edge_hops; d++)
        if (c - d < 0 || !at(v, k, c - d)->active || !at(v, k, c + d)->active)
            return 0;
    return at(v, k, c)->active;
}

/* Hop c's sound into its frame and the call's figures: time, level, pitch. */
static void gather_sound(voice_stage *v, int64_t c)
{
    int talking = 0;
    for (int s = 0; s < v->nspeakers; s++) {
        const voice_hop *h = at(v, &v->sp[s], c);
        talking += h->active && !h->laughing;
    }
    v->overtalk_hops += talking == CS_MAX_SPEAKERS;
    for (int s = 0; s < v->nspeakers; s++) {
        voice_speaker *k = &v->sp[s];
        const voice_hop *h = at(v, k, c);
        if (!h->active) {
            k->gap_run += k->spoke;
            continue;
        }
        if (k->spoke && k->gap_run <= v->merge_hops)
            k->pause_total += k->gap_run;
        k->gap_run = 0;
        k->spoke = 1;
        k->speech_hops++;
        k->speech_total++;
        k->laughing_hops += h->laughing;
        k->power_sum += h->band_power;
        k->power_total += h->band_power;
        k->high_sum += h->high_power;
        if (h->f0_hz > 0) {
            k->frame_f0[k->voiced_hops++] = h->f0_hz;
            k->voiced_total++;
            histogram_add(&k->pitch_st, hz_to_st(h->f0_hz));
        }
    }
}

/* Hop c's share of the pace (all its neighbours known): articulation time
 * and syllable nuclei, into the frame being gathered. */
static void gather_pace(voice_stage *v, int64_t c)
{
    for (int s = 0; s < v->nspeakers; s++) {
        voice_speaker *k = &v->sp[s];
        int nucleus = is_nucleus(v, k, c);
        int core = is_core(v, k, c);
        k->core_hops += core;
        k->core_total += core;
        k->syllables += nucleus;
        k->syllables_total += nucleus;
    }
}

/* Emit the frames that end before hop h. */
static void frames_before(voice_stage *v, int64_t h)
{
    if (h / v->frame_hops > v->frame_index)
        emit_frame(v, (v->frame_index + 1) * v->frame_hops * (int64_t)v->hop);
}

/* Speech resumes at hop (live): as the final decisions have it, a gap of at
 * most bridge_hops behind it becomes speech, and a talk spurt starts
 * preroll_hops early. */
static void close_gap(const voice_stage *v, voice_speaker *k, int64_t hop)
{
    int64_t gap_start = hop;
    while (gap_start > 0 && hop - gap_start <= v->bridge_hops && !at(v, k, gap_start - 1)->active)
        gap_start--;
    int bridged = gap_start < hop && gap_start > 0 && hop - gap_start <= v->bridge_hops;
    int64_t from = bridged ? gap_start : hop - v->preroll_hops;
    for (int64_t g = from > 0 ? from : 0; g < hop; g++)
        k->recent[g % v->ring].active = 1;
}

static void store(voice_stage *v, int64_t hop, const int *active, const hop_features *features)
{
    for (int s = 0; s < v->nspeakers; s++) {
        voice_speaker *k = &v->sp[s];
        voice_hop *h = &k->recent[hop % v->ring];
        h->active = (uint8_t)(active[s] != 0);
        h->f0_hz = features ? features[s].f0_hz : 0.0f;
        h->pitch_depth = features ? features[s].pitch_depth : 1.0f;
        h->band_power = features ? features[s].band_power : 0.0f;
        h->high_power = features ? features[s].high_power : 0.0f;
        h->vowel_power = features ? features[s].vowel_power : 0.0f;
        h->vowel_db = (float)power_to_db(h->vowel_power);
        for (int i = 0; i < CS_PACE_SHAPE_BANDS; i++)
            h->shape_db[i] = features ? features[s].shape_db[i] : 0.0f;
        if (hop >= v->level_lag)
            nucleus_level(v, k, hop - v->level_lag);
        h->laughing = features ? features[s].laughing : 0;
        if (h->active) {
            k->running_level_db = k->level_known
                                      ? v->level_coef * k->running_level_db + (1 - v->level_coef) * h->vowel_db
                                      : h->vowel_db;
            k->level_known = 1;
            if (v->live && (hop == 0 || !at(v, k, hop - 1)->active))
                close_gap(v, k, hop);
        }
    }
}

void voice_feed(voice_stage *v, int64_t hop, const int *active, const hop_features *features)
{
    store(v, hop, active, features);
    v->next_hop = hop + 1;
    if (v->live) {
        /* Sound at once; the pace delay hops later, into the frame then open. */
        frames_before(v, hop);
        gather_sound(v, hop);
        if (hop - v->delay >= 0)
            gather_pace(v, hop - v->delay);
    } else if (hop - v->delay >= 0) {
        frames_before(v, hop - v->delay);
        gather_sound(v, hop - v->delay);
        gather_pace(v, hop - v->delay);
    }
}

void voice_finish(voice_stage *v, int64_t total_hops, int64_t audio_frames)
{
    static const int silent[CS_MAX_SPEAKERS] = {0};
    /* Silence past the end lets the last hops' look-ahead complete; live,
     * where the sound is in already, it completes their pace only. */
    for (int64_t h = v->next_hop; h < total_hops + v->delay; h++) {
        if (!v->live) {
            voice_feed(v, h, silent, NULL);
            continue;
        }
        store(v, h, silent, NULL);
        if (h - v->delay >= 0 && h - v->delay < total_hops)
            gather_pace(v, h - v->delay);
    }
    v->next_hop = total_hops + v->delay;
    if (total_hops > v->frame_index * v->frame_hops)
        emit_frame(v, audio_frames);
}

int voice_pull(voice_stage *v, cs_frame *fr)
{
    if (!v->count)
        return 0;
    *fr = v->queue[v->head];
    v->head = (v->head + 1) % v->capacity;
    v->count--;
    return 1;
}

size_t voice_queue_space(const voice_stage *v) { return v->capacity - v->count; }

void voice_summary(const voice_stage *v, int s, cs_speaker_summary *o)
{
    const voice_speaker *k = &v->sp[s];
    o->voiced_s = (double)k->voiced_total * v->hop_s;
    o->syllables = (int)k->syllables_total;
    o->pitch_median_hz = o->pitch_range_st = o->level_db = NAN;
    o->pace_syl_per_s = o->speaking_rate_syl_per_s = NAN;
    if (k->speech_total) {
        o->level_db = power_to_db(k->power_total / (double)k->speech_total);
        if (k->core_total)
            o->pace_syl_per_s = (double)k->syllables_total / ((double)k->core_total * v->hop_s);
        o->speaking_rate_syl_per_s =
            (double)k->syllables_total / ((double)(k->speech_total + k->pause_total) * v->hop_s);
    }
    if (k->voiced_total) {
        o->pitch_median_hz = st_to_hz(histogram_quantile(&k->pitch_st, 0.5));
        o->pitch_range_st = histogram_quantile(&k->pitch_st, 0.9) - histogram_quantile(&k->pitch_st, 0.1);
    }
}
