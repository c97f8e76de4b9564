/*
 * callgen: see callgen.h. One sequential state machine renders the call one
 * frame at a time; nothing depends on how the caller cuts the stream into
 * blocks, which is what makes rendering deterministic and seekable.
 */
#include "callgen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CG_PI 3.14159265358979323846

/* ---- PRNG -------------------------------------------------------------- */

uint64_t cg_rand_u64(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

double cg_rand_unit(uint64_t *state)
{
    return (double)(cg_rand_u64(state) >> 11) * (1.0 / 9007199254740992.0);
}

double cg_rand_range(uint64_t *state, double lo, double hi)
{
    return lo + (hi - lo) * cg_rand_unit(state);
}

uint64_t cg_seed_mix(uint64_t a, uint64_t b)
{
    /* Two rounds of a 64-bit finalizer over both inputs. */
    uint64_t z = a * 0x9E3779B97F4A7C15ULL + b + 0x632BE59BD9B4E019ULL;
    for (int i = 0; i < 2; i++) {
        z ^= z >> 30;
        z *= 0xBF58476D1CE4E5B9ULL;
        z ^= z >> 27;
        z *= 0x94D049BB133111EBULL;
        z ^= z >> 31;
        z += b;
    }
    return z ? z : 0x1234567ULL;
}

/* ---- G.711 mu-law ------------------------------------------------------ */

uint8_t cg_mulaw_encode(int16_t pcm)
{
    int v = pcm;
    int sign = 0;
    if (v < 0) {
        sign = 0x80;
        v = -v;
    }
    if (v > 32635)
        v = 32635;
    v += 0x84;
    int exponent = 7;
    for (int mask = 0x4000; (v & mask) == 0 && exponent > 0; mask >>= 1)
        exponent--;
    int mantissa = (v >> (exponent + 3)) & 0x0F;
    return (uint8_t)~(sign | (exponent << 4) | mantissa);
}

int16_t cg_mulaw_decode(uint8_t code)
{
    int c = (uint8_t)~code;
    int exponent = (c >> 4) & 7;
    int mantissa = c & 0x0F;
    int v = (((mantissa << 3) + 0x84) << exponent) - 0x84;
    return (int16_t)((c & 0x80) ? -v : v);
}

/* ---- the call ---------------------------------------------------------- */

void cg_call_init(cg_call *call, int rate_hz, double duration_s, uint64_t seed)
{
    memset(call, 0, sizeof *call);
    call->rate_hz = rate_hz;
    call->duration_s = duration_s;
    call->seed = seed ? seed : 1;
    call->level_dbfs[0] = call->level_dbfs[1] = -20.0;
    call->f0_hz[0] = 110.0;
    call->f0_hz[1] = 210.0;
    for (int c = 0; c < 2; c++) {
        call->ch[c].snr_db = 30.0;
        call->ch[c].echo_db = -20.0;
        call->ch[c].echo_delay_s = 0.04;
    }
}

void cg_call_free(cg_call *call)
{
    free(call->utt);
    call->utt = NULL;
    call->nutt = call->cap = 0;
}

int cg_add_utt(cg_call *call, const cg_utt *u)
{
    if (call->nutt == call->cap) {
        int cap = call->cap ? call->cap * 2 : 16;
        cg_utt *p = realloc(call->utt, (size_t)cap * sizeof *p);
        if (!p)
            abort(); /* a test generator has no better answer */
        call->utt = p;
        call->cap = cap;
    }
    call->utt[call->nutt] = *u;
    return call->nutt++;
}

int cg_add(cg_call *call, int speaker, double start_s, double end_s)
{
    cg_utt u = {speaker, start_s, end_s - start_s, 0.0, 0.0, CG_SPEECH, 1.0};
    return cg_add_utt(call, &u);
}

int64_t cg_frames(const cg_call *call)
{
    return llround(call->duration_s * call->rate_hz);
}

/* ---- one voice --------------------------------------------------------- */

/* Formant targets (Hz) of a few vowels of an adult male voice; scaled for
 * higher voices. */
static const double vowel_table[][3] = {
    {730, 1090, 2440}, {270, 2290, 3010}, {300, 870, 2240},
    {530, 1840, 2480}, {570, 840, 2410},  {660, 1720, 2410},
    {490, 1350, 1690},
};
#define NVOWELS (int)(sizeof vowel_table / sizeof vowel_table[0])
static const double formant_bw[3] = {70, 100, 140};

#define MAX_WORD_SYL 8

typedef struct voice {
    int active;
    int channel;
    cg_kind kind;
    int64_t len;     /* frames */
    int64_t k;       /* frames rendered so far */
    uint64_t rng;
    double rate;
    double pace;     /* syllable rate factor (1 normal) */
    double amp;      /* target RMS (linear) */
    double norm;     /* 1 / RMS of a sustained vowel of this voice */
    double f0_hz;
    /* intonation */
    double into_freq, into_phase, into_depth;
    double accent, accent_target;
    /* glottal source */
    double phase, jitter, shimmer, prev_flow;
    /* formant cascade */
    double fscale;
    double fcur[3], ftgt[3];
    double a1[3], a2[3], b0[3], y1[3], y2[3];
    int ctl_period, ctl_count;
    double ctl_alpha;
    /* syllable plan: the current word */
    int64_t word_start;
    int nsyl, syl;
    int64_t syl_len[MAX_WORD_SYL];
    int64_t syl_start; /* local frame where the current syllable begins */
    int64_t gap_end;   /* local frame where the next word begins (after the gap) */
    int final_word;
    double syl_gain;
    /* fricative at a syllable onset */
    int64_t fric_len;
    double fric_amp, fa1, fa2, fb0, fy1, fy2;
    /* voice quality: period and amplitude irregularity, breath noise, the
     * share of the cycle the glottis takes to close, and the pitch's drift
     * over the utterance */
    double jitter_depth, shimmer_depth, breath, closing, drift;
    /* laughter: the current call */
    int64_t call_start, call_len;
    double call_f0;
} voice;

static double smoothstep(double x)
{
    if (x <= 0.0)
        return 0.0;
    if (x >= 1.0)
        return 1.0;
    return x * x * (3.0 - 2.0 * x);
}

/* Open quotient 0.6: slow opening, then a closing that takes `closing` of
 * the cycle (a pressed voice closes faster, which brightens the spectrum),
 * then closed. */
static double glottal_flow(double p, double closing)
{
    double open = 0.6 - closing;
    if (p < open)
        return smoothstep(p / open);
    if (p < 0.6) {
        double x = (p - open) / closing;
        return 1.0 - x * x;
    }
    return 0.0;
}

#define MODAL_CLOSING 0.21

int cg_is_speech(cg_kind kind) { return kind == CG_SPEECH || kind == CG_HAPPY || kind == CG_ANGRY; }

static void resonator_coefs(double f_hz, double bw_hz, double rate, double *a1, double *a2, double *b0)
{
    if (f_hz > 0.45 * rate)
        f_hz = 0.45 * rate;
    double r = exp(-CG_PI * bw_hz / rate);
    double c = cos(2.0 * CG_PI * f_hz / rate);
    *a1 = 2.0 * r * c;
    *a2 = -r * r;
    *b0 = 1.0 - *a1 - *a2; /* unity gain at DC */
}

static void voice_update_coefs(voice *v)
{
    for (int i = 0; i < 3; i++)
        resonator_coefs(v->fcur[i], formant_bw[i], v->rate, &v->a1[i], &v->a2[i], &v->b0[i]);
}

/* RMS of a sustained open vowel at f0 through this voice's cascade, no
 * jitter: the level reference for level_dbfs. */
static double vowel_rms(double rate, double f0_hz, double fscale)
{
    double a1[3], a2[3], b0[3], y1[3] = {0}, y2[3] = {0};
    for (int i = 0; i < 3; i++)
        resonator_coefs(vowel_table[0][i] * fscale, formant_bw[i], rate, &a1[i], &a2[i], &b0[i]);
    int n_warm = (int)(0.04 * rate), n = (int)(0.12 * rate);
    double phase = 0.0, prev = 0.0, acc = 0.0;
    for (int k = 0; k < n; k++) {
        phase += f0_hz / rate;
        if (phase >= 1.0)
            phase -= 1.0;
        double g = glottal_flow(phase, MODAL_CLOSING);
        double x = g - prev;
        prev = g;
        for (int i = 0; i < 3; i++) {
            double y = b0[i] * x + a1[i] * y1[i] + a2[i] * y2[i];
            y2[i] = y1[i];
            y1[i] = y;
            x = y;
        }
        if (k >= n_warm)
            acc += x * x;
    }
    double rms = sqrt(acc / (n - n_warm));
    return rms > 1e-12 ? rms : 1e-12;
}

static void voice_plan_syllable(voice *v)
{
    uint64_t *r = &v->rng;
    int64_t d = v->syl_len[v->syl];
    int first = v->syl == 0;
    const double *vw = vowel_table[cg_rand_u64(r) % NVOWELS];
    for (int i = 0; i < 3; i++)
        v->ftgt[i] = vw[i] * v->fscale * cg_rand_range(r, 0.94, 1.06);
    /* consonant-like transition into the vowel */
    v->fcur[0] = v->ftgt[0] * 0.6;
    v->fcur[1] = v->fcur[1] * 0.5 + 0.5 * 1500.0 * v->fscale;
    voice_update_coefs(v);
    v->syl_gain = first ? cg_rand_range(r, 0.85, 1.15) : cg_rand_range(r, 0.6, 1.0);
    v->accent_target = first ? 1.0 + cg_rand_range(r, -0.02, 0.08) : 1.0 + cg_rand_range(r, -0.04, 0.03);
    v->fric_len = 0;
    if (cg_rand_unit(r) < 0.3 && d > 0.1 * v->rate) {
        v->fric_len = (int64_t)(0.3 * (double)d);
        v->fric_amp = cg_rand_range(r, 0.2, 0.5);
    }
}

/* Plan the next word starting at local frame w. */
static void voice_plan_word(voice *v, int64_t w)
{
    uint64_t *r = &v->rng;
    double rate = v->rate;
    int64_t remain = v->len - w;
    double u = cg_rand_unit(r);
    int nsyl = u < 0.4 ? 1 : (u < 0.8 ? 2 : 3);
    int64_t sum = 0;
    for (int i = 0; i < nsyl; i++) {
        v->syl_len[i] = (int64_t)(cg_rand_range(r, 0.15, 0.25) / v->pace * rate);
        sum += v->syl_len[i];
    }
    int64_t gap = (int64_t)(cg_rand_range(r, 0.04, 0.13) / v->pace * rate);
    v->word_start = w;
    v->syl = 0;
    v->syl_start = w;
    if (sum + gap + (int64_t)(0.15 / v->pace * rate) > remain) {
        /* Last word: syllables fill the rest exactly, so speech ends at len. */
        int n = (int)floor((double)remain / (0.2 / v->pace * rate) + 0.5);
        if (n < 1)
            n = 1;
        if (n > MAX_WORD_SYL)
            n = MAX_WORD_SYL;
        int64_t each = remain / n, used = 0;
        for (int i = 0; i < n; i++) {
            v->syl_len[i] = i == n - 1 ? remain - used : each;
            used += v->syl_len[i];
        }
        v->nsyl = n;
        v->gap_end = v->len;
        v->final_word = 1;
    } else {
        v->nsyl = nsyl;
        v->gap_end = w + sum + gap;
        v->final_word = 0;
    }
    voice_plan_syllable(v);
}

static void voice_start(voice *v, int channel, cg_kind kind, int64_t len, double f0_hz,
                        double level_dbfs, double rate, double pace, uint64_t seed)
{
    memset(v, 0, sizeof *v);
    v->active = len > 0;
    v->channel = channel;
    v->kind = kind;
    v->len = len;
    v->rng = seed ? seed : 1;
    v->rate = rate;
    v->pace = pace > 0 ? pace : 1.0;
    v->amp = pow(10.0, level_dbfs / 20.0);
    v->f0_hz = f0_hz;
    if (!(cg_is_speech(kind) || kind == CG_LAUGH) || len <= 0)
        return;
    uint64_t *r = &v->rng;
    /* Modal voice; joy keeps it regular and lets the pitch rise, anger
     * presses it (sharp closure, rough and breathy) and lets it fall. */
    v->jitter_depth = kind == CG_HAPPY ? 0.008 : kind == CG_ANGRY ? 0.05 : 0.015;
    v->shimmer_depth = kind == CG_HAPPY ? 0.03 : kind == CG_ANGRY ? 0.25 : 0.06;
    v->breath = kind == CG_ANGRY ? 0.08 : 0.002;
    v->closing = kind == CG_ANGRY ? 0.1 : MODAL_CLOSING;
    v->drift = kind == CG_HAPPY ? 0.06 : kind == CG_ANGRY ? -0.15 : -0.12;
    v->fscale = f0_hz > 160.0 ? 1.15 : 1.0;
    v->norm = 1.0 / vowel_rms(rate, f0_hz, v->fscale);
    v->into_freq = cg_rand_range(r, 0.2, 0.5);
    v->into_phase = cg_rand_range(r, 0.0, 2.0 * CG_PI);
    v->into_depth = cg_rand_range(r, 0.04, 0.1) * (kind == CG_HAPPY ? 2.5 : 1.0);
    v->accent = v->accent_target = 1.0;
    v->phase = cg_rand_unit(r);
    v->jitter = v->shimmer = 1.0;
    for (int i = 0; i < 3; i++)
        v->fcur[i] = vowel_table[0][i] * v->fscale;
    v->ctl_period = (int)(rate / 1000.0);
    if (v->ctl_period < 1)
        v->ctl_period = 1;
    v->ctl_alpha = 1.0 - exp(-(double)v->ctl_period / (0.025 * rate));
    double ff = 0.4 * rate < 4200.0 ? 0.4 * rate : 4200.0;
    double unused_b0;
    resonator_coefs(ff, 1500.0, rate, &v->fa1, &v->fa2, &unused_b0);
    /* unity-peak band-pass gain, then roughly unit RMS for unit white input */
    /* input gain that gives the AR(2) band-pass unit output variance */
    double a1 = v->fa1, a2 = v->fa2;
    v->fb0 = sqrt((1.0 + a2) * ((1.0 - a2) * (1.0 - a2) - a1 * a1) / (1.0 - a2));
    voice_plan_word(v, 0);
    if (kind == CG_LAUGH) {
        /* every call on the same open vowel */
        for (int i = 0; i < 3; i++)
            v->fcur[i] = v->ftgt[i] = vowel_table[0][i] * v->fscale;
        voice_update_coefs(v);
    }
}

static double formants(voice *v, double x)
{
    for (int i = 0; i < 3; i++) {
        double y = v->b0[i] * x + v->a1[i] * v->y1[i] + v->a2[i] * v->y2[i];
        v->y2[i] = v->y1[i];
        v->y1[i] = y;
        x = y;
    }
    return x;
}

/* One sample of the glottal source at f0 through the formant cascade;
 * *noise is the white noise drawn for it. */
static double glottal_step(voice *v, double f0, double *noise)
{
    v->phase += f0 * v->jitter / v->rate;
    if (v->phase >= 1.0) {
        v->phase -= floor(v->phase);
        v->jitter = 1.0 + cg_rand_range(&v->rng, -v->jitter_depth, v->jitter_depth);
        v->shimmer = 1.0 + cg_rand_range(&v->rng, -v->shimmer_depth, v->shimmer_depth);
    }
    double flow = glottal_flow(v->phase, v->closing);
    double x = (flow - v->prev_flow) * v->shimmer;
    v->prev_flow = flow;
    *noise = cg_rand_range(&v->rng, -1.0, 1.0);
    x += v->breath * flow * *noise;
    return formants(v, x);
}

/* Laughter: each call an "h" of breath noise through the vowel's formants,
 * then the vowel on a falling pitch, then a breath's pause; calls come
 * CG_LAUGH_PERIOD_S apart (+-5 %), pitch and loudness sink over the bout. */
static double voice_laugh_sample(voice *v)
{
    int64_t k = v->k;
    double rate = v->rate;
    if (k >= v->call_start + v->call_len) {
        v->call_start = k;
        v->call_len = (int64_t)(CG_LAUGH_PERIOD_S * cg_rand_range(&v->rng, 0.95, 1.05) * rate);
        double progress = (double)k / (double)v->len;
        v->call_f0 = v->f0_hz * (1.0 - 0.15 * progress) * cg_rand_range(&v->rng, 0.97, 1.03);
    }
    double u = (double)(k - v->call_start) / rate;
    const double h_s = 0.05, vowel_s = 0.09;
    double fade = 1.0 - 0.4 * (double)k / (double)v->len;
    double noise;
    if (u < h_s) {
        /* the breath excites the same formants, so it carries the vowel */
        noise = cg_rand_range(&v->rng, -1.0, 1.0);
        double e = smoothstep(u / h_s);
        return fade * v->amp * 0.35 * e * formants(v, 0.05 * noise) * v->norm;
    }
    if (u < h_s + vowel_s) {
        double w = (u - h_s) / vowel_s;
        double x = glottal_step(v, v->call_f0 * (1.0 - 0.1 * w), &noise);
        double e = smoothstep(w / 0.2) * smoothstep((1.0 - w) / 0.3);
        return fade * v->amp * e * x * v->norm;
    }
    (void)formants(v, 0.0); /* the filters ring down in the pause */
    return 0.0;
}

static double voice_speech_sample(voice *v)
{
    int64_t k = v->k;
    double rate = v->rate;
    /* advance the syllable plan */
    if (v->syl < v->nsyl && k >= v->syl_start + v->syl_len[v->syl]) {
        v->syl_start += v->syl_len[v->syl];
        v->syl++;
        if (v->syl < v->nsyl)
            voice_plan_syllable(v);
    }
    if (v->syl >= v->nsyl && !v->final_word && k >= v->gap_end)
        voice_plan_word(v, k);

    /* control-rate updates: formant glides and pitch accent */
    if (v->ctl_count-- <= 0) {
        v->ctl_count = v->ctl_period - 1;
        for (int i = 0; i < 3; i++)
            v->fcur[i] += v->ctl_alpha * (v->ftgt[i] - v->fcur[i]);
        v->accent += v->ctl_alpha * (v->accent_target - v->accent);
        voice_update_coefs(v);
    }

    /* glottal source */
    double t_s = (double)k / rate;
    double f0 = v->f0_hz * v->accent * (1.0 + v->into_depth * sin(2.0 * CG_PI * v->into_freq * t_s + v->into_phase)) *
                (1.0 + v->drift * (double)k / (double)v->len);
    double noise;
    double x = glottal_step(v, f0, &noise);

    if (v->syl >= v->nsyl)
        return 0.0; /* silent gap between words; the filters keep running */
    int64_t u = k - v->syl_start, d = v->syl_len[v->syl];
    double att = 0.25 * (double)d, rel = 0.3 * (double)d;
    double env = 1.0;
    if ((double)u < att)
        env = smoothstep((double)u / att);
    if ((double)(d - u) < rel)
        env = smoothstep((double)(d - u) / rel);
    double out = env * v->syl_gain * x * v->norm;

    /* fricative noise: band-passed white noise with a hump envelope */
    double fn = v->fb0 * noise * 1.7320508 + v->fa1 * v->fy1 + v->fa2 * v->fy2;
    v->fy2 = v->fy1;
    v->fy1 = fn;
    if (u < v->fric_len) {
        double p = (double)u / (double)v->fric_len;
        out += v->fric_amp * 4.0 * p * (1.0 - p) * fn;
    }
    return out * v->amp;
}

static double voice_sample(voice *v)
{
    double out = 0.0;
    switch (v->kind) {
    case CG_SPEECH:
    case CG_HAPPY:
    case CG_ANGRY:
        out = voice_speech_sample(v);
        break;
    case CG_LAUGH:
        out = voice_laugh_sample(v);
        break;
    case CG_CLICK: {
        double ramp = 0.003 * v->rate, k = (double)v->k, e = 1.0;
        if (k < ramp)
            e = k / ramp;
        if ((double)v->len - k < ramp)
            e = ((double)v->len - k) / ramp;
        out = v->amp * e * cg_rand_range(&v->rng, -1.0, 1.0) * 1.7320508;
        break;
    }
    case CG_TONE: {
        double t = (double)v->k / v->rate;
        double ramp = 0.01 * v->rate, k = (double)v->k, e = 1.0;
        if (k < ramp)
            e = k / ramp;
        if ((double)v->len - k < ramp)
            e = ((double)v->len - k) / ramp;
        out = v->amp * e / 0.7905694 *
              (sin(2.0 * CG_PI * v->f0_hz * t) + 0.5 * sin(2.0 * CG_PI * 1.5 * v->f0_hz * t));
        break;
    }
    }
    if (++v->k >= v->len)
        v->active = 0;
    return out;
}

/* ---- noise ------------------------------------------------------------- */

#define PINK_BANDS 10
#define BABBLE_TALKERS 4

typedef struct babble_talker {
    voice v;
    uint64_t rng;
    int64_t next_start;
    double level_dbfs;
} babble_talker;

typedef struct noise_gen {
    cg_noise type;
    double amp;   /* target RMS */
    uint64_t rng;
    int npink;
    double pink_a[PINK_BANDS], pink_g[PINK_BANDS], pink_y[PINK_BANDS];
    double pink_norm;
    babble_talker talk[BABBLE_TALKERS];
} noise_gen;

static const double hum_amp[7] = {1.0, 0.5, 0.35, 0.1, 0.25, 0.05, 0.15};

static void noise_init(noise_gen *g, const cg_call *call, int c)
{
    memset(g, 0, sizeof *g);
    const cg_channel *ch = &call->ch[c];
    double rate = call->rate_hz;
    g->type = ch->noise;
    g->amp = pow(10.0, (call->level_dbfs[c] - ch->snr_db) / 20.0);
    g->rng = cg_seed_mix(call->seed, 0x6e6f697365ULL + (uint64_t)c);
    if (g->type == CG_NOISE_PINK) {
        /* Sum of one-pole low-passes with corners a factor 3 apart and
         * amplitudes 1/sqrt(corner): power falls as 1/f between the corners. */
        double var = 0.0;
        for (double fc = 10.0; fc < 0.5 * rate && g->npink < PINK_BANDS; fc *= 3.0) {
            int i = g->npink++;
            g->pink_a[i] = exp(-2.0 * CG_PI * fc / rate);
            g->pink_g[i] = 1.0 / sqrt(fc);
            double a = g->pink_a[i];
            var += g->pink_g[i] * g->pink_g[i] * (1.0 - a) / (1.0 + a);
        }
        g->pink_norm = 1.0 / sqrt(var);
    } else if (g->type == CG_NOISE_BABBLE) {
        for (int i = 0; i < BABBLE_TALKERS; i++) {
            babble_talker *t = &g->talk[i];
            t->rng = cg_seed_mix(g->rng, 0xbabb1eULL + (uint64_t)i);
            t->next_start = i == 0 ? 0 : (int64_t)(cg_rand_range(&t->rng, 0.0, 0.6) * rate);
            /* talkers are silent about 20% of the time */
            t->level_dbfs = 20.0 * log10(g->amp / sqrt((double)BABBLE_TALKERS) / 0.75);
        }
    }
}

static double noise_sample(noise_gen *g, int64_t n, double rate)
{
    switch (g->type) {
    case CG_NOISE_NONE:
        return 0.0;
    case CG_NOISE_WHITE:
        return g->amp * 1.7320508 * cg_rand_range(&g->rng, -1.0, 1.0);
    case CG_NOISE_PINK: {
        double s = 0.0;
        for (int i = 0; i < g->npink; i++) {
            double w = 1.7320508 * cg_rand_range(&g->rng, -1.0, 1.0);
            g->pink_y[i] = g->pink_a[i] * g->pink_y[i] + (1.0 - g->pink_a[i]) * w;
            s += g->pink_g[i] * g->pink_y[i];
        }
        return g->amp * g->pink_norm * s;
    }
    case CG_NOISE_HUM: {
        double s = 0.0, norm = 0.0;
        for (int h = 0; h < 7; h++) {
            double cyc = fmod(50.0 * (h + 1) * (double)n / rate, 1.0);
            s += hum_amp[h] * sin(2.0 * CG_PI * cyc + 0.7 * h);
            norm += hum_amp[h] * hum_amp[h] * 0.5;
        }
        return g->amp * s / sqrt(norm);
    }
    case CG_NOISE_BABBLE: {
        double s = 0.0;
        for (int i = 0; i < BABBLE_TALKERS; i++) {
            babble_talker *t = &g->talk[i];
            if (!t->v.active && n >= t->next_start) {
                int64_t len = (int64_t)(cg_rand_range(&t->rng, 1.0, 3.5) * rate);
                double f0 = cg_rand_range(&t->rng, 95.0, 240.0);
                voice_start(&t->v, 0, CG_SPEECH, len, f0, t->level_dbfs, rate, 1.0, cg_rand_u64(&t->rng) | 1);
                t->next_start = n + len + (int64_t)(cg_rand_range(&t->rng, 0.05, 0.4) * rate);
            }
            if (t->v.active)
                s += voice_sample(&t->v);
        }
        return s;
    }
    }
    return 0.0;
}

/* ---- biquads for the telephone band ------------------------------------ */

typedef struct biquad {
    double b0, b1, b2, a1, a2, z1, z2;
} biquad;

static void biquad_design(biquad *q, int highpass, double f_hz, double quality, double rate)
{
    double w = 2.0 * CG_PI * f_hz / rate, c = cos(w), alpha = sin(w) / (2.0 * quality);
    double a0 = 1.0 + alpha;
    if (highpass) {
        q->b0 = (1.0 + c) / 2.0 / a0;
        q->b1 = -(1.0 + c) / a0;
    } else {
        q->b0 = (1.0 - c) / 2.0 / a0;
        q->b1 = (1.0 - c) / a0;
    }
    q->b2 = q->b0;
    q->a1 = -2.0 * c / a0;
    q->a2 = (1.0 - alpha) / a0;
    q->z1 = q->z2 = 0.0;
}

static double biquad_run(biquad *q, double x)
{
    /* transposed direct form II */
    double y = q->b0 * x + q->z1;
    q->z1 = q->b1 * x - q->a1 * y + q->z2;
    q->z2 = q->b2 * x - q->a2 * y;
    return y;
}

/* ---- the stream -------------------------------------------------------- */

struct cg_stream {
    const cg_call *call;
    int64_t pos;
    int *order;        /* utterance indices by start frame */
    int64_t *ustart;   /* start frame of each utterance (by index) */
    int next;          /* next entry of order to start */
    voice *voices;
    int nvoices;
    noise_gen noise[2];
    float *ring[2];    /* each party's clean speech */
    float *sent[2];    /* what each party sent down the line (line echo only) */
    int64_t ringlen;
    int64_t echo_delay[2];
    double echo_gain[2], gain[2];
    int ntel;
    biquad tel[2][4];
    biquad line_tel[2][4]; /* the band of what each party sends */
    double *echo_ir[2];    /* line echo impulse responses, unit energy */
    int echo_irlen[2];
    double drift_phase[2];
    int line_echo;         /* some channel has a line echo */
    float *scratch;
};

static const int64_t *sort_start; /* qsort has no context argument in C11 */

static int cmp_start(const void *pa, const void *pb)
{
    int a = *(const int *)pa, b = *(const int *)pb;
    if (sort_start[a] != sort_start[b])
        return sort_start[a] < sort_start[b] ? -1 : 1;
    return a < b ? -1 : (a > b);
}

static int64_t utt_frames(const cg_call *call, double s)
{
    int64_t f = llround(s * call->rate_hz);
    return f < 0 ? 0 : f;
}

/* 4th-order Butterworth high-pass at 300 Hz, 4th-order low-pass at 3400 Hz
 * (where the rate has room for it); returns the number of sections. */
static int telephone_band(biquad *q, double rate)
{
    int n = 0;
    biquad_design(&q[n++], 1, 300.0, 0.5412, rate);
    biquad_design(&q[n++], 1, 300.0, 1.3066, rate);
    if (3400.0 < 0.49 * rate) {
        biquad_design(&q[n++], 0, 3400.0, 0.5412, rate);
        biquad_design(&q[n++], 0, 3400.0, 1.3066, rate);
    }
    return n;
}

/* A G.711 mu-law round trip of a sample in [-1, 1). */
static double mulaw_round_trip(double x)
{
    double p = floor(x * 32768.0 + 0.5);
    if (p > 32767)
        p = 32767;
    if (p < -32768)
        p = -32768;
    return cg_mulaw_decode(cg_mulaw_encode((int16_t)p)) / 32768.0;
}

/* A line echo's impulse response: Gaussian-like noise decaying over
 * dispersion_s, lasting five time constants, through a resonance at a random
 * frequency of the voice band (Q 1.5) plus a third of it unshaped, so the
 * echo is coloured by some 10 dB across the band; scaled to unit energy. */
static int line_echo_response(double *h, double dispersion_s, double rate, uint64_t seed)
{
    uint64_t rng = seed;
    int n = (int)(5.0 * dispersion_s * rate) + 1;
    double f = cg_rand_range(&rng, 500.0, 1800.0);
    double w = 2.0 * CG_PI * f / rate, r = exp(-CG_PI * f / 1.5 / rate);
    double a1 = 2.0 * r * cos(w), a2 = -r * r, y1 = 0.0, y2 = 0.0, energy = 0.0;
    for (int i = 0; i < n; i++) {
        double x = 0.0;
        for (int k = 0; k < 4; k++)
            x += cg_rand_range(&rng, -1.0, 1.0);
        x *= exp(-(double)i / (dispersion_s * rate + 1e-9));
        double y = (1.0 - r) * x + a1 * y1 + a2 * y2;
        y2 = y1;
        y1 = y;
        h[i] = y + 0.3 * x;
        energy += h[i] * h[i];
    }
    double norm = energy > 0.0 ? 1.0 / sqrt(energy) : 0.0;
    for (int i = 0; i < n; i++)
        h[i] *= norm;
    return n;
}

static void stream_reset(cg_stream *st)
{
    const cg_call *call = st->call;
    double rate = call->rate_hz;
    st->pos = 0;
    st->next = 0;
    for (int i = 0; i < st->nvoices; i++)
        st->voices[i].active = 0;
    for (int c = 0; c < 2; c++) {
        noise_init(&st->noise[c], call, c);
        memset(st->ring[c], 0, (size_t)st->ringlen * sizeof(float));
        const cg_channel *ch = &call->ch[c];
        st->echo_gain[c] = ch->echo ? pow(10.0, ch->echo_db / 20.0) : 0.0;
        double d = ch->echo_delay_s;
        if (d < 0)
            d = 0;
        if (d > CG_MAX_ECHO_DELAY_S)
            d = CG_MAX_ECHO_DELAY_S;
        st->echo_delay[c] = llround(d * rate);
        st->gain[c] = pow(10.0, ch->gain_db / 20.0);
        st->ntel = telephone_band(st->tel[c], rate);
        telephone_band(st->line_tel[c], rate);
        if (st->line_echo) {
            memset(st->sent[c], 0, (size_t)st->ringlen * sizeof(float));
            uint64_t rng = cg_seed_mix(call->seed, 0xec40ULL + (uint64_t)c);
            st->drift_phase[c] = cg_rand_range(&rng, 0.0, 2.0 * CG_PI);
        }
    }
}

cg_stream *cg_stream_new(const cg_call *call)
{
    cg_stream *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->call = call;
    int n = call->nutt;
    st->order = malloc((size_t)(n ? n : 1) * sizeof *st->order);
    st->ustart = malloc((size_t)(n ? n : 1) * sizeof *st->ustart);
    int max_ir = (int)(5.0 * CG_MAX_ECHO_DISPERSION_S * call->rate_hz) + 1;
    st->ringlen = llround(CG_MAX_ECHO_DELAY_S * call->rate_hz) + max_ir + 2;
    st->ring[0] = malloc((size_t)st->ringlen * sizeof(float));
    st->ring[1] = malloc((size_t)st->ringlen * sizeof(float));
    st->scratch = malloc(2 * 4096 * sizeof(float));
    if (!st->order || !st->ustart || !st->ring[0] || !st->ring[1] || !st->scratch) {
        cg_stream_free(st);
        return NULL;
    }
    for (int c = 0; c < 2; c++) {
        const cg_channel *ch = &call->ch[c];
        if (!ch->echo || ch->echo_path != CG_ECHO_LINE)
            continue;
        st->line_echo = 1;
        double disp = ch->echo_dispersion_s;
        disp = disp < 0 ? 0 : disp > CG_MAX_ECHO_DISPERSION_S ? CG_MAX_ECHO_DISPERSION_S : disp;
        st->echo_ir[c] = malloc((size_t)max_ir * sizeof(double));
        if (!st->echo_ir[c]) {
            cg_stream_free(st);
            return NULL;
        }
        st->echo_irlen[c] = line_echo_response(st->echo_ir[c], disp, call->rate_hz,
                                               cg_seed_mix(call->seed, 0x11eULL + (uint64_t)c));
    }
    for (int c = 0; c < 2 && st->line_echo; c++)
        if (!(st->sent[c] = malloc((size_t)st->ringlen * sizeof(float)))) {
            cg_stream_free(st);
            return NULL;
        }
    for (int i = 0; i < n; i++) {
        st->order[i] = i;
        st->ustart[i] = utt_frames(call, call->utt[i].start_s);
    }
    sort_start = st->ustart;
    qsort(st->order, (size_t)n, sizeof *st->order, cmp_start);
    /* The most events that can sound at once bounds the voice pool. */
    int most = 0;
    for (int i = 0; i < n; i++) {
        int64_t s = st->ustart[i];
        int count = 0;
        for (int j = 0; j < n; j++) {
            int64_t js = st->ustart[j], je = utt_frames(call, call->utt[j].start_s + call->utt[j].dur_s);
            if (js <= s && s < je)
                count++;
        }
        if (count > most)
            most = count;
    }
    st->nvoices = most > 0 ? most : 1;
    st->voices = calloc((size_t)st->nvoices, sizeof *st->voices);
    if (!st->voices) {
        cg_stream_free(st);
        return NULL;
    }
    stream_reset(st);
    return st;
}

void cg_stream_free(cg_stream *st)
{
    if (!st)
        return;
    free(st->order);
    free(st->ustart);
    for (int c = 0; c < 2; c++) {
        free(st->ring[c]);
        free(st->sent[c]);
        free(st->echo_ir[c]);
    }
    free(st->scratch);
    free(st->voices);
    free(st);
}

static void start_due_voices(cg_stream *st)
{
    const cg_call *call = st->call;
    while (st->next < call->nutt && st->ustart[st->order[st->next]] <= st->pos) {
        int idx = st->order[st->next++];
        const cg_utt *u = &call->utt[idx];
        int spk = u->speaker == CG_CUSTOMER ? 1 : 0;
        int64_t len = utt_frames(call, u->start_s + u->dur_s) - st->ustart[idx];
        if (len <= 0)
            continue;
        voice *v = NULL;
        for (int i = 0; i < st->nvoices && !v; i++)
            if (!st->voices[i].active)
                v = &st->voices[i];
        if (!v)
            abort(); /* the pool is sized from the call, so this cannot happen */
        double level = u->level_dbfs != 0.0 ? u->level_dbfs : call->level_dbfs[spk];
        double f0 = u->f0_hz > 0.0 ? u->f0_hz
                    : u->kind == CG_LAUGH ? call->f0_hz[spk] * exp2(CG_LAUGH_RISE_ST / 12.0)
                                          : call->f0_hz[spk];
        voice_start(v, spk, u->kind, len, f0, level, call->rate_hz, u->pace,
                    cg_seed_mix(call->seed, 1000u + (uint64_t)idx));
    }
}

/* The line echo reaching channel c now: what the other party sent, delay
 * samples ago, through the channel's impulse response, at its drifting gain. */
static double line_echo(const cg_stream *st, int c)
{
    const cg_channel *ch = &st->call->ch[c];
    const float *sent = st->sent[1 - c];
    double acc = 0.0;
    for (int i = 0; i < st->echo_irlen[c]; i++) {
        int64_t from = st->pos - st->echo_delay[c] - i;
        if (from < 0)
            break;
        acc += st->echo_ir[c][i] * sent[from % st->ringlen];
    }
    double db = ch->echo_db;
    if (ch->echo_drift_s > 0.0)
        db += ch->echo_drift_db *
              sin(2.0 * CG_PI * (double)st->pos / (ch->echo_drift_s * st->call->rate_hz) + st->drift_phase[c]);
    return acc * pow(10.0, db / 20.0);
}

void cg_stream_read(cg_stream *st, float *out, size_t nframes)
{
    const cg_call *call = st->call;
    double rate = call->rate_hz;
    for (size_t f = 0; f < nframes; f++) {
        start_due_voices(st);
        double s[2] = {0.0, 0.0};
        for (int i = 0; i < st->nvoices; i++)
            if (st->voices[i].active)
                s[st->voices[i].channel] += voice_sample(&st->voices[i]);
        int64_t slot = st->pos % st->ringlen;
        st->ring[0][slot] = (float)s[0];
        st->ring[1][slot] = (float)s[1];
        double noise[2];
        for (int c = 0; c < 2; c++)
            noise[c] = noise_sample(&st->noise[c], st->pos, rate);
        for (int c = 0; c < 2 && st->line_echo; c++) {
            double x = s[c] + noise[c];
            if (call->telephone)
                for (int q = 0; q < st->ntel; q++)
                    x = biquad_run(&st->line_tel[c][q], x);
            st->sent[c][slot] = (float)(call->mulaw ? mulaw_round_trip(x) : x);
        }
        for (int c = 0; c < 2; c++) {
            double x = s[c];
            if (st->echo_gain[c] > 0.0 && call->ch[c].echo_path == CG_ECHO_LINE) {
                x += line_echo(st, c);
            } else if (st->echo_gain[c] > 0.0 && st->pos >= st->echo_delay[c]) {
                int64_t from = (st->pos - st->echo_delay[c]) % st->ringlen;
                x += st->echo_gain[c] * st->ring[1 - c][from];
            }
            x += noise[c];
            if (call->telephone)
                for (int q = 0; q < st->ntel; q++)
                    x = biquad_run(&st->tel[c][q], x);
            x = x * st->gain[c] + call->ch[c].dc;
            if (call->clip > 0.0) {
                if (x > call->clip)
                    x = call->clip;
                if (x < -call->clip)
                    x = -call->clip;
            }
            if (call->mulaw)
                x = mulaw_round_trip(x);
            if (out)
                out[2 * f + (size_t)c] = (float)x;
        }
        st->pos++;
    }
}

void cg_stream_seek(cg_stream *st, int64_t frame)
{
    if (frame < st->pos)
        stream_reset(st);
    while (st->pos < frame) {
        int64_t n = frame - st->pos;
        if (n > 4096)
            n = 4096;
        cg_stream_read(st, st->scratch, (size_t)n);
    }
}

int cg_render(const cg_call *call, int64_t first, size_t nframes, float *out)
{
    cg_stream *st = cg_stream_new(call);
    if (!st)
        return -1;
    cg_stream_seek(st, first);
    cg_stream_read(st, out, nframes);
    cg_stream_free(st);
    return 0;
}

float *cg_render_all(const cg_call *call, size_t *nframes_out)
{
    int64_t n = cg_frames(call);
    float *buf = malloc((size_t)(n > 0 ? n : 1) * 2 * sizeof(float));
    if (!buf)
        return NULL;
    if (cg_render(call, 0, (size_t)n, buf) < 0) {
        free(buf);
        return NULL;
    }
    if (nframes_out)
        *nframes_out = (size_t)n;
    return buf;
}

/* ---- ground truth ------------------------------------------------------ */

static int cmp_interval(const void *pa, const void *pb)
{
    const cg_interval *a = pa, *b = pb;
    if (a->start_s != b->start_s)
        return a->start_s < b->start_s ? -1 : 1;
    return (a->end_s > b->end_s) - (a->end_s < b->end_s);
}

int cg_truth(const cg_call *call, int speaker, cg_interval *out, int max)
{
    cg_interval *tmp = malloc((size_t)(call->nutt ? call->nutt : 1) * sizeof *tmp);
    if (!tmp)
        abort();
    int n = 0;
    for (int i = 0; i < call->nutt; i++) {
        const cg_utt *u = &call->utt[i];
        if (u->speaker != speaker || !cg_is_speech(u->kind) || u->dur_s <= 0)
            continue;
        tmp[n].start_s = u->start_s;
        tmp[n].end_s = u->start_s + u->dur_s;
        n++;
    }
    qsort(tmp, (size_t)n, sizeof *tmp, cmp_interval);
    int m = 0;
    for (int i = 0; i < n; i++) {
        if (m > 0 && tmp[i].start_s - tmp[m - 1].end_s < CG_BRIDGE_S) {
            if (tmp[i].end_s > tmp[m - 1].end_s)
                tmp[m - 1].end_s = tmp[i].end_s;
        } else {
            tmp[m++] = tmp[i];
        }
    }
    for (int i = 0; i < m && i < max; i++)
        out[i] = tmp[i];
    free(tmp);
    return m;
}

/* ---- conversations ----------------------------------------------------- */

void cg_convo_default(cg_convo *c, double duration_s)
{
    c->duration_s = duration_s;
    c->turn_min_s = 1.5;
    c->turn_max_s = 12.0;
    c->gap_min_s = 0.15;
    c->gap_max_s = 0.9;
    c->overlap_prob = 0.1;
    c->backchannel_prob = 0.3;
    c->long_gap_prob = 0.03;
}

int cg_add_conversation(cg_call *call, const cg_convo *c, uint64_t seed)
{
    uint64_t rng = cg_seed_mix(seed, 0xc0a7e55eULL);
    uint64_t *r = &rng;
    int added = 0;
    double end_limit = c->duration_s - 0.3;
    double t = 0.3 + cg_rand_range(r, 0.0, 0.5);
    int spk = CG_AGENT;
    while (t < end_limit - 1.0) {
        double turn_end = t + cg_rand_range(r, c->turn_min_s, c->turn_max_s);
        if (turn_end > end_limit)
            turn_end = end_limit;
        /* the turn: utterances of 1-5 s with pauses of 0.25-1.2 s */
        double u0 = t, last_start = t, last_end = t;
        while (u0 < turn_end - 0.5) {
            double u1 = u0 + cg_rand_range(r, 1.0, 5.0);
            if (u1 > turn_end || turn_end - u1 < 1.0)
                u1 = turn_end;
            cg_add(call, spk, u0, u1);
            added++;
            /* listener backchannels inside this utterance, keeping 0.5 s of
             * speech before and 1.5 s after, per 4 s of speech */
            for (double b = u0 + 0.5; b + 0.6 + 1.5 < u1; b += 4.0) {
                if (cg_rand_unit(r) < c->backchannel_prob) {
                    double bs = b + cg_rand_range(r, 0.0, 1.5);
                    double bl = cg_rand_range(r, 0.3, 0.6);
                    if (bs + bl + 1.5 < u1) {
                        cg_add(call, 1 - spk, bs, bs + bl);
                        added++;
                    }
                }
            }
            last_start = u0;
            last_end = u1;
            u0 = u1 + cg_rand_range(r, 0.25, 1.2);
        }
        double u = cg_rand_unit(r), gap;
        if (u < c->long_gap_prob)
            gap = cg_rand_range(r, 3.0, 7.0);
        else if (u < c->long_gap_prob + c->overlap_prob && last_end - last_start > 1.2)
            gap = -cg_rand_range(r, 0.2, 0.6);
        else
            gap = cg_rand_range(r, c->gap_min_s, c->gap_max_s);
        t = last_end + gap;
        spk = 1 - spk;
    }
    return added;
}
