/*
 * Tone scoring: voice frames -> local pace and arousal per speaker, measured
 * against each speaker's baseline, and the voice flags.
 *
 * Every value is taken over a window centred on its frame (tone.window_s for
 * the voice, pace.window_s for the rate), so results leave half the wider
 * window after their frame came in. Baselines are medians of the same window
 * measures over a speaker's speech, kept in histograms so that learning from
 * a whole call, or from many calls, needs fixed memory.
 */
#include "callscope/callscope.h"
#include "dsp_util.h"
#include "flags.h"
#include "histogram.h"
#include "profile_keys.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FLAG_QUEUE 64

/* Histogram ranges of the absolute window measures (baseline learning). */
static const struct {
    double lo, hi;
    int bins;
} measure_hist[CS_TONE_FEATURES] = {
    {CS_PITCH_HIST_LO_ST, CS_PITCH_HIST_HI_ST, CS_PITCH_HIST_BINS}, /* pitch, semitones re 1 Hz */
    {0, 36, 720},          /* pitch range, semitones */
    {-120, 10, 2600},      /* level, dBFS */
    {-60, 0, 1200},        /* high-band share, dB */
    {0, 15, 1500},         /* articulation rate, syllables per second */
    {0, 100, 1000},        /* aperiodic share, percent */
    {0, 100, 100},         /* laughter share, percent (never learnt) */
};

/* Absolute measures of one speaker over a window; NAN where not measurable. */
typedef struct window_measure {
    double speech_s;
    double value[CS_TONE_FEATURES];
} window_measure;

/* One pitch value of a window, weighted by the voiced time it stands for. */
typedef struct pool_entry {
    double value, weight;
} pool_entry;

/* A stretch where a flag's condition holds, lapses up to flag.gap_s allowed. */
typedef struct flag_run {
    int open;
    int64_t start, last_end;
    double peak;
    double measure, context;   /* at the peak */
} flag_run;

typedef struct speaker_tone {
    histogram learnt[CS_TONE_FEATURES];
    double learnt_speech_s;
    cs_baseline cached;     /* medians of `learnt` when it held cached.speech_s */
    cs_baseline fixed;
    int has_fixed;
    double arousal_sum, arousal_weight;
    double smooth;      /* arousal smoothed over speech time, for escalation */
    int smooth_known;
} speaker_tone;

struct cs_tone {
    cs_profile prof;
    cs_tone_model model;
    int rate_hz;
    double frame_s;
    int tone_half, pace_half, half;  /* window half-widths in frames */
    int ring_len;
    cs_frame *ring;
    int64_t pushed;                  /* frames in the current pass */
    int64_t emitted;                 /* centres done */
    int scoring;                     /* 1 once a push happened, 2 after finish */
    int running;                     /* tone.running: learn while scoring */
    int trailing;                    /* tone.trailing: windows end at the newest frame */
    int64_t gap_samples;             /* flag.gap_s */
    speaker_tone sp[CS_MAX_SPEAKERS];
    cs_tone_frame *out;
    int out_cap, out_head, out_count;
    cs_flag flags[FLAG_QUEUE];
    int flag_head, flag_count;
    flag_run runs[CS_FLAG_ESCALATION + 1];
    /* escalation: smoothed arousal of both over the last escalation.window_s */
    double *esc_agent, *esc_customer;
    double *esc_overtalk;            /* per frame: both talking, neither laughing (s) */
    double *esc_laughter[CS_MAX_SPEAKERS]; /* per frame: each speaker's laughter (s) */
    int64_t *esc_time;
    int esc_len;
    int64_t esc_count;
    /* scratch for pitch quantiles */
    pool_entry *pool;
    int pool_cap;
};

void cs_tone_close(cs_tone *t)
{
    if (!t)
        return;
    for (int s = 0; s < CS_MAX_SPEAKERS; s++)
        for (int i = 0; i < CS_TONE_FEATURES; i++)
            histogram_free(&t->sp[s].learnt[i]);
    free(t->ring);
    free(t->out);
    free(t->esc_agent);
    free(t->esc_customer);
    free(t->esc_overtalk);
    for (int s = 0; s < CS_MAX_SPEAKERS; s++)
        free(t->esc_laughter[s]);
    free(t->esc_time);
    free(t->pool);
    free(t);
}

int cs_tone_open(cs_tone **out, const cs_profile *prof, const cs_tone_model *model, int rate_hz)
{
    if (!out)
        return CS_EINVAL;
    *out = NULL;
    if (!prof || !model || rate_hz < CS_MIN_RATE_HZ || rate_hz > CS_MAX_RATE_HZ)
        return CS_EINVAL;
    if (profile_check(prof) < 0)
        return CS_EPROFILE;
    cs_tone *t = calloc(1, sizeof *t);
    if (!t)
        return CS_ENOMEM;
    const double *v = prof->value;
    t->prof = *prof;
    t->model = *model;
    t->rate_hz = rate_hz;
    t->running = v[CS_K_TONE_RUNNING] > 0.5;
    t->trailing = v[CS_K_TONE_TRAILING] > 0.5;
    t->gap_samples = (int64_t)llround(v[CS_K_FLAG_GAP_S] * rate_hz);
    /* The analyzer's frames are whole hops; windows are sized in nominal ones. */
    int hops = hops_of(v[CS_K_TRACKS_HOP_S], CS_HOP_S);
    t->frame_s = (hops > 0 ? hops : 1) * CS_HOP_S;
    /* Half a window beyond its middle frame, in whole frames. */
    t->tone_half = hops_of(0.5 * (v[CS_K_TONE_WINDOW_S] - t->frame_s), t->frame_s);
    t->pace_half = hops_of(0.5 * (v[CS_K_PACE_WINDOW_S] - t->frame_s), t->frame_s);
    t->half = t->tone_half > t->pace_half ? t->tone_half : t->pace_half;
    t->ring_len = 2 * t->half + 1;
    t->out_cap = t->ring_len + 2;
    t->esc_len = hops_of(v[CS_K_ESCALATION_WINDOW_S], t->frame_s) + 1;
    t->pool_cap = 3 * (2 * t->tone_half + 1);
    t->ring = calloc((size_t)t->ring_len, sizeof *t->ring);
    t->out = calloc((size_t)t->out_cap, sizeof *t->out);
    t->esc_agent = calloc((size_t)t->esc_len, sizeof *t->esc_agent);
    t->esc_customer = calloc((size_t)t->esc_len, sizeof *t->esc_customer);
    t->esc_time = calloc((size_t)t->esc_len, sizeof *t->esc_time);
    t->esc_overtalk = calloc((size_t)t->esc_len, sizeof *t->esc_overtalk);
    for (int s = 0; s < CS_MAX_SPEAKERS; s++)
        t->esc_laughter[s] = calloc((size_t)t->esc_len, sizeof *t->esc_laughter[s]);
    t->pool = calloc((size_t)t->pool_cap, sizeof *t->pool);
    int err = t->ring && t->out && t->esc_agent && t->esc_customer && t->esc_time && t->esc_overtalk &&
                      t->esc_laughter[CS_AGENT] && t->esc_laughter[CS_CUSTOMER] && t->pool
                  ? CS_OK
                  : CS_ENOMEM;
    for (int s = 0; s < CS_MAX_SPEAKERS && err >= 0; s++)
        for (int i = 0; i < CS_TONE_FEATURES && err >= 0; i++)
            err = histogram_init(&t->sp[s].learnt[i], measure_hist[i].lo, measure_hist[i].hi, measure_hist[i].bins);
    if (err < 0) {
        cs_tone_close(t);
        return err;
    }
    *out = t;
    return CS_OK;
}

/* ---- window measures ----------------------------------------------------- */

static const cs_frame *frame_at(const cs_tone *t, int64_t i) { return &t->ring[i % t->ring_len]; }

/* Weighted quantile of the first n pool entries, sorted by value. */
static double pool_quantile(const pool_entry *pool, int n, double total, double q)
{
    double target = q * total, below = 0;
    for (int i = 0; i < n; i++) {
        below += pool[i].weight;
        if (below >= target)
            return pool[i].value;
    }
    return pool[n - 1].value;
}

static int by_value(const void *pa, const void *pb)
{
    const pool_entry *a = pa, *b = pb;
    return (a->value > b->value) - (a->value < b->value);
}

/* The frames a window of half-width `half` covers for the frame at `at`:
 * centred on it, or ending there when trailing; clipped to what was pushed. */
static void window_span(const cs_tone *t, int64_t at, int half, int64_t *first, int64_t *last)
{
    *first = t->trailing ? at - 2 * half : at - half;
    *last = t->trailing ? at : at + half;
    if (*first < 0)
        *first = 0;
    if (*last > t->pushed - 1)
        *last = t->pushed - 1;
}

static void measure(cs_tone *t, int64_t centre, int s, window_measure *m)
{
    const double *v = t->prof.value;
    int64_t first, last;
    window_span(t, centre, t->tone_half, &first, &last);
    double speech = 0, power = 0, high = 0, voiced = 0, periodic = 0;
    int n = 0;
    for (int64_t i = first; i <= last; i++) {
        const cs_voice *f = &frame_at(t, i)->speaker[s];
        if (!(f->speech_s > 0))
            continue;
        speech += f->speech_s;
        power += f->speech_s * db_to_power(f->level_db);
        high += f->speech_s * f->high_band_db;
        periodic += f->voiced_s;
        if (f->voiced_s > 0 && isfinite(f->pitch_hz) && n + 3 <= t->pool_cap) {
            /* A frame's spread stands in for its hops' pitches. */
            double w = f->voiced_s / 3.0;
            t->pool[n++] = (pool_entry){hz_to_st(f->pitch_lo_hz), w};
            t->pool[n++] = (pool_entry){hz_to_st(f->pitch_hz), w};
            t->pool[n++] = (pool_entry){hz_to_st(f->pitch_hi_hz), w};
            voiced += f->voiced_s;
        }
    }
    for (int i = 0; i < CS_TONE_FEATURES; i++)
        m->value[i] = NAN;
    m->speech_s = speech;
    if (speech < v[CS_K_TONE_MIN_SPEECH_S])
        return;
    m->value[CS_TONE_LEVEL] = power_to_db(power / speech);
    m->value[CS_TONE_HIGH_BAND] = high / speech;
    m->value[CS_TONE_APERIODIC] = 100.0 * (1.0 - periodic / speech);
    /* Laughter is the frame's own, so a short laugh inside a long stretch of
     * tension pauses its flags no longer than flag.gap_s bridges. */
    const cs_voice *mid = &frame_at(t, centre)->speaker[s];
    m->value[CS_TONE_LAUGHTER] = mid->speech_s > 0 ? 100.0 * mid->laughter_s / mid->speech_s : 0.0;
    if (n) {
        qsort(t->pool, (size_t)n, sizeof *t->pool, by_value);
        m->value[CS_TONE_PITCH] = pool_quantile(t->pool, n, voiced, 0.5);
        m->value[CS_TONE_RANGE] = pool_quantile(t->pool, n, voiced, 0.9) - pool_quantile(t->pool, n, voiced, 0.1);
    }
    /* The rate needs a longer stretch of speech. */
    window_span(t, centre, t->pace_half, &first, &last);
    double pace_speech = 0, syllables = 0;
    for (int64_t i = first; i <= last; i++) {
        const cs_voice *f = &frame_at(t, i)->speaker[s];
        pace_speech += f->articulation_s;
        syllables += f->syllables;
    }
    if (pace_speech >= v[CS_K_PACE_MIN_SPEECH_S])
        m->value[CS_TONE_PACE] = syllables / pace_speech;
}

/* ---- baselines ------------------------------------------------------------ */

/* Window measures of every speaker heard at a centre frame; speech_s 0 for
 * one who is silent there (then nothing else is measured). */
static void measure_centre(cs_tone *t, int64_t centre, window_measure *m)
{
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        if (frame_at(t, centre)->speaker[s].speech_s > 0)
            measure(t, centre, s, &m[s]);
        else
            m[s].speech_s = 0;
    }
}

static void learn_from(cs_tone *t, int64_t centre, const window_measure *m)
{
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        const cs_voice *f = &frame_at(t, centre)->speaker[s];
        if (!(f->speech_s > 0) || !isfinite(m[s].value[CS_TONE_LEVEL]))
            continue;
        speaker_tone *k = &t->sp[s];
        k->learnt_speech_s += f->speech_s;
        for (int i = 0; i < CS_TONE_FEATURES; i++)
            if (isfinite(m[s].value[i]) && i != CS_TONE_LAUGHTER)
                histogram_add(&k->learnt[i], m[s].value[i]);
    }
}

/* The learnt histograms change only with more learnt speech. */
static int cache_valid(const speaker_tone *k)
{
    return k->cached.speech_s > 0 && k->cached.speech_s == k->learnt_speech_s;
}

int cs_tone_baseline(const cs_tone *t, int speaker, cs_baseline *b)
{
    if (!t || !b || speaker < 0 || speaker >= CS_MAX_SPEAKERS)
        return CS_EINVAL;
    const speaker_tone *k = &t->sp[speaker];
    if (k->has_fixed) {
        *b = k->fixed;
        return CS_OK;
    }
    if (cache_valid(k)) {
        *b = k->cached;
        return CS_OK;
    }
    memset(b, 0, sizeof *b);
    double need = t->running ? t->prof.value[CS_K_TONE_BASELINE_MIN_SPEECH_S] : 0;
    if (!(k->learnt_speech_s > need) || k->learnt[CS_TONE_LEVEL].total == 0)
        return CS_OK;
    b->speech_s = k->learnt_speech_s;
    double st = histogram_quantile(&k->learnt[CS_TONE_PITCH], 0.5);
    b->pitch_hz = isfinite(st) ? st_to_hz(st) : NAN;
    b->pitch_range_st = histogram_quantile(&k->learnt[CS_TONE_RANGE], 0.5);
    b->level_db = histogram_quantile(&k->learnt[CS_TONE_LEVEL], 0.5);
    b->high_band_db = histogram_quantile(&k->learnt[CS_TONE_HIGH_BAND], 0.5);
    b->pace_syl_per_s = histogram_quantile(&k->learnt[CS_TONE_PACE], 0.5);
    b->aperiodic_pct = histogram_quantile(&k->learnt[CS_TONE_APERIODIC], 0.5);
    return CS_OK;
}

/* The baseline while scoring. Scanning the histograms is the costly part,
 * and in a batch pass nothing is learnt while scoring, so it is redone only
 * when more speech has been learnt. */
static const cs_baseline *baseline_of(cs_tone *t, int speaker)
{
    speaker_tone *k = &t->sp[speaker];
    if (k->has_fixed)
        return &k->fixed;
    if (!cache_valid(k))
        cs_tone_baseline(t, speaker, &k->cached);
    return &k->cached;
}

int cs_tone_set_baseline(cs_tone *t, int speaker, const cs_baseline *b)
{
    if (!t || !b || speaker < 0 || speaker >= CS_MAX_SPEAKERS || !(b->speech_s > 0) || !isfinite(b->level_db))
        return CS_EINVAL;
    t->sp[speaker].fixed = *b;
    t->sp[speaker].has_fixed = 1;
    return CS_OK;
}

/* ---- flags ---------------------------------------------------------------- */

static void queue_flag(cs_tone *t, cs_flag_kind kind, const flag_run *r, double severity)
{
    if (t->flag_count == FLAG_QUEUE)
        return; /* callers pull after every push; a push raises at most a few */
    t->flags[(t->flag_head + t->flag_count++) % FLAG_QUEUE] =
        flag_make(kind, r->start, r->last_end, severity, r->measure, r->context);
}

/* How long a flag's condition must hold, in seconds. */
static double min_duration_s(const cs_tone *t, cs_flag_kind kind)
{
    const double *v = t->prof.value;
    switch (kind) {
    case CS_FLAG_FAST_PACE: return v[CS_K_FAST_PACE_MIN_S];
    case CS_FLAG_RAISED_VOICE: return v[CS_K_RAISED_VOICE_MIN_S];
    case CS_FLAG_TENSE_TONE: return v[CS_K_TENSE_MIN_S];
    case CS_FLAG_ESCALATION: return 0;
    default: break;
    }
    return 0;
}

/* Close a flag's stretch, raising the flag if it lasted long enough. */
static void end_run(cs_tone *t, cs_flag_kind kind)
{
    flag_run *r = &t->runs[kind];
    if (r->open && (double)(r->last_end - r->start) >= min_duration_s(t, kind) * t->rate_hz - 0.5)
        queue_flag(t, kind, r, 0.5 + 0.5 * r->peak);
    r->open = 0;
}

/* hit: 1 the condition holds, 0 it does not (or the agent is silent). excess:
 * how far past the threshold, in units where 1 doubles the severity margin.
 * start: where a stretch that opens here begins. measure, context: what the
 * flag reports, kept from the frame of the peak. */
static void step_run(cs_tone *t, cs_flag_kind kind, const cs_frame *fr, int hit, double excess, int64_t start,
                     double measure, double context)
{
    flag_run *r = &t->runs[kind];
    if (hit) {
        if (!r->open || excess > r->peak) {
            r->peak = excess;
            r->measure = measure;
            r->context = context;
        }
        if (!r->open) {
            r->open = 1;
            r->start = start;
        }
        r->last_end = fr->end;
        return;
    }
    if (r->open && fr->end - r->last_end > t->gap_samples)
        end_run(t, kind);
}

static void close_runs(cs_tone *t)
{
    for (int k = CS_FLAG_FAST_PACE; k <= CS_FLAG_ESCALATION; k++)
        end_run(t, (cs_flag_kind)k);
}

/* Escalation: both speakers' smoothed arousal rising together within
 * escalation.window_s, the agent's reaching escalation.agent_min, and signs
 * of conflict rather than shared excitement in the same span: the two
 * talking over each other (escalation.overtalk_s, laughter not counted) and
 * neither laughing (escalation.max_laughter_s). */
static void step_escalation(cs_tone *t, const cs_tone_frame *o)
{
    const double *v = t->prof.value;
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        speaker_tone *k = &t->sp[s];
        double a = o->arousal[s], w = o->frame.speaker[s].speech_s;
        if (!isfinite(a) || !(w > 0))
            continue;
        double c = smoothing_coef(v[CS_K_ESCALATION_SMOOTH_S], w);
        k->smooth = k->smooth_known ? c * k->smooth + (1 - c) * a : a;
        k->smooth_known = 1;
    }
    int known = t->sp[CS_AGENT].smooth_known && t->sp[CS_CUSTOMER].smooth_known;
    int slot = (int)(t->esc_count % t->esc_len);
    t->esc_agent[slot] = known ? t->sp[CS_AGENT].smooth : NAN;
    t->esc_customer[slot] = known ? t->sp[CS_CUSTOMER].smooth : NAN;
    t->esc_time[slot] = o->frame.start;
    t->esc_overtalk[slot] = o->frame.overtalk_s;
    for (int s = 0; s < CS_MAX_SPEAKERS; s++)
        t->esc_laughter[s][slot] = o->frame.speaker[s].laughter_s;
    t->esc_count++;
    int hit = 0;
    double excess = 0, agent_rise = NAN, customer_rise = NAN;
    int64_t agent_min_at = o->frame.start;
    if (known) {
        double agent_min = INFINITY, customer_min = INFINITY, overtalk = 0;
        double laughed[CS_MAX_SPEAKERS] = {0};
        int64_t n = t->esc_count < t->esc_len ? t->esc_count : t->esc_len;
        for (int64_t i = 0; i < n; i++) {
            overtalk += t->esc_overtalk[i];
            for (int s = 0; s < CS_MAX_SPEAKERS; s++)
                laughed[s] += t->esc_laughter[s][i];
            if (isfinite(t->esc_agent[i]) && t->esc_agent[i] < agent_min) {
                agent_min = t->esc_agent[i];
                agent_min_at = t->esc_time[i];
            }
            if (isfinite(t->esc_customer[i]) && t->esc_customer[i] < customer_min)
                customer_min = t->esc_customer[i];
        }
        agent_rise = t->sp[CS_AGENT].smooth - agent_min;
        customer_rise = t->sp[CS_CUSTOMER].smooth - customer_min;
        double need = v[CS_K_ESCALATION_RISE];
        int conflict = overtalk >= v[CS_K_ESCALATION_OVERTALK_S] - 1e-9 &&
                       laughed[CS_AGENT] <= v[CS_K_ESCALATION_MAX_LAUGHTER_S] + 1e-9 &&
                       laughed[CS_CUSTOMER] <= v[CS_K_ESCALATION_MAX_LAUGHTER_S] + 1e-9;
        hit = conflict && agent_rise >= need && customer_rise >= need &&
              t->sp[CS_AGENT].smooth >= v[CS_K_ESCALATION_AGENT_MIN];
        excess = (agent_rise - need) / need;
    }
    /* The stretch starts where the agent's rise began. */
    step_run(t, CS_FLAG_ESCALATION, &o->frame, hit, excess, agent_min_at, agent_rise, customer_rise);
}

static void step_flags(cs_tone *t, const cs_tone_frame *o)
{
    const double *v = t->prof.value;
    const cs_baseline *b = baseline_of(t, CS_AGENT);
    const cs_voice *agent = &o->frame.speaker[CS_AGENT];
    int speaking = agent->speech_s > 0 && b->speech_s > 0;

    /* Laughter is neither a raised voice nor a tense one. */
    double laughing = o->feature[CS_AGENT][CS_TONE_LAUGHTER];
    int laughter_free = !(laughing >= 100.0 * v[CS_K_TONE_LAUGHTER_SHARE]);
    double level_over = o->feature[CS_AGENT][CS_TONE_LEVEL];
    double thr = v[CS_K_RAISED_VOICE_DB];
    int loud = speaking && laughter_free && isfinite(level_over) && level_over >= thr;
    step_run(t, CS_FLAG_RAISED_VOICE, &o->frame, loud, loud ? (level_over - thr) / thr : 0, o->frame.start,
             level_over, NAN);

    double a = o->arousal[CS_AGENT], tense = v[CS_K_TENSE_AROUSAL];
    int hot = speaking && laughter_free && isfinite(a) && a > tense;
    step_run(t, CS_FLAG_TENSE_TONE, &o->frame, hot, hot ? (a - tense) / (1 - tense + 1e-9) : 0, o->frame.start, a,
             NAN);

    double pace = o->pace_syl_per_s[CS_AGENT];
    double rel = 1 + v[CS_K_FAST_PACE_REL], cap = v[CS_K_FAST_PACE_SYL_PER_S];
    double ratio = 0;
    if (speaking && isfinite(pace)) {
        ratio = pace / cap;
        if (isfinite(b->pace_syl_per_s) && b->pace_syl_per_s > 0 && pace / (b->pace_syl_per_s * rel) > ratio)
            ratio = pace / (b->pace_syl_per_s * rel);
    }
    int fast = ratio > 1;
    step_run(t, CS_FLAG_FAST_PACE, &o->frame, fast, fast ? (ratio - 1) / (rel - 1 + 1e-9) : 0, o->frame.start, pace,
             b->pace_syl_per_s);

    step_escalation(t, o);
}

/* ---- scoring -------------------------------------------------------------- */

static void score_from(cs_tone *t, int64_t centre, const window_measure *measures)
{
    if (t->out_count == t->out_cap)
        return; /* callers pull after every push; never reached */
    cs_tone_frame *o = &t->out[(t->out_head + t->out_count++) % t->out_cap];
    o->frame = *frame_at(t, centre);
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        o->arousal[s] = o->pace_syl_per_s[s] = o->level_db[s] = o->pitch_hz[s] = NAN;
        for (int i = 0; i < CS_TONE_FEATURES; i++)
            o->feature[s][i] = NAN;
        const cs_voice *f = &o->frame.speaker[s];
        if (!(f->speech_s > 0))
            continue;
        const window_measure *m = &measures[s];
        o->pace_syl_per_s[s] = m->value[CS_TONE_PACE];
        o->level_db[s] = m->value[CS_TONE_LEVEL];
        o->pitch_hz[s] = isfinite(m->value[CS_TONE_PITCH]) ? st_to_hz(m->value[CS_TONE_PITCH]) : NAN;
        const cs_baseline *b = baseline_of(t, s);
        if (!(b->speech_s > 0) || !isfinite(m->value[CS_TONE_LEVEL]))
            continue;
        const double base[CS_TONE_FEATURES] = {isfinite(b->pitch_hz) && b->pitch_hz > 0 ? hz_to_st(b->pitch_hz) : NAN,
                                               b->pitch_range_st, b->level_db, b->high_band_db, b->pace_syl_per_s,
                                               b->aperiodic_pct, 0.0};
        double z[CS_TONE_FEATURES];
        for (int i = 0; i < CS_TONE_FEATURES; i++) {
            double d = m->value[i] - base[i];
            if (i == CS_TONE_PACE)
                d = base[i] > 0 && m->value[i] > 0 ? CS_TONE_PACE_SCALE * log2(m->value[i] / base[i]) : NAN;
            /* Nothing measured is no evidence either way. */
            z[i] = isfinite(d) ? d : 0.0;
            o->feature[s][i] = isfinite(d) ? d : NAN;
        }
        o->arousal[s] = cs_tone_model_apply(&t->model, z);
        t->sp[s].arousal_sum += o->arousal[s] * f->speech_s;
        t->sp[s].arousal_weight += f->speech_s;
    }
    step_flags(t, o);
}

/* One centre frame: measured once, then learnt from and/or scored (in live
 * use both, learning first so the frame counts towards its own baseline). */
static void process_centre(cs_tone *t, int64_t centre, int learn, int score)
{
    window_measure m[CS_MAX_SPEAKERS];
    measure_centre(t, centre, m);
    if (learn)
        learn_from(t, centre, m);
    if (score)
        score_from(t, centre, m);
}

/* Add a frame to the window ring; the centre half a window back is done. */
static void advance(cs_tone *t, const cs_frame *fr, int learning)
{
    t->ring[t->pushed % t->ring_len] = *fr;
    t->pushed++;
    int64_t centre = t->pushed - 1 - (t->trailing ? 0 : t->half);
    if (centre < 0)
        return;
    process_centre(t, centre, learning || t->running, !learning);
    t->emitted = centre + 1;
}

static void drain_learning(cs_tone *t)
{
    for (int64_t c = t->emitted; c < t->pushed; c++)
        process_centre(t, c, 1, 0);
    t->emitted = t->pushed;
}

int cs_tone_learn(cs_tone *t, const cs_frame *fr)
{
    if (!t || !fr)
        return CS_EINVAL;
    if (t->scoring)
        return CS_ESTATE;
    advance(t, fr, 1);
    return CS_OK;
}

int cs_tone_learn_end(cs_tone *t)
{
    if (!t)
        return CS_EINVAL;
    if (t->scoring)
        return CS_ESTATE;
    drain_learning(t);
    t->pushed = t->emitted = 0;
    return CS_OK;
}

int cs_tone_push(cs_tone *t, const cs_frame *fr)
{
    if (!t || !fr)
        return CS_EINVAL;
    if (t->scoring == 2)
        return CS_ESTATE;
    if (!t->scoring) {
        t->scoring = 1;
        t->pushed = t->emitted = 0;
    }
    if (t->out_count == t->out_cap)
        return CS_ESTATE; /* results not pulled */
    advance(t, fr, 0);
    return CS_OK;
}

int cs_tone_finish(cs_tone *t)
{
    if (!t)
        return CS_EINVAL;
    if (t->scoring == 2)
        return CS_ESTATE;
    /* Pending centres may exceed the output queue: they wait for pulls in
     * cs_tone_pull, which scores them one at a time. */
    t->scoring = 2;
    if (t->emitted == t->pushed)
        close_runs(t);
    return CS_OK;
}

int cs_tone_pull(cs_tone *t, cs_tone_frame *out)
{
    if (!t || !out)
        return CS_EINVAL;
    if (!t->out_count && t->scoring == 2 && t->emitted < t->pushed) {
        process_centre(t, t->emitted++, t->running, 1);
        if (t->emitted == t->pushed)
            close_runs(t);
    }
    if (!t->out_count)
        return 0;
    *out = t->out[t->out_head];
    t->out_head = (t->out_head + 1) % t->out_cap;
    t->out_count--;
    return 1;
}

int cs_tone_pull_flag(cs_tone *t, cs_flag *out)
{
    if (!t || !out)
        return CS_EINVAL;
    if (!t->flag_count)
        return 0;
    *out = t->flags[t->flag_head];
    t->flag_head = (t->flag_head + 1) % FLAG_QUEUE;
    t->flag_count--;
    return 1;
}

double cs_tone_mean_arousal(const cs_tone *t, int speaker)
{
    if (!t || speaker < 0 || speaker >= CS_MAX_SPEAKERS || !(t->sp[speaker].arousal_weight > 0))
        return NAN;
    return t->sp[speaker].arousal_sum / t->sp[speaker].arousal_weight;
}
