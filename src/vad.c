#include "vad.h"
#include "dsp_util.h"
#include "profile_keys.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Sub-windows of the minimum search: the minimum over the last
 * NOISE_SUBWINDOWS sub-windows is the noise estimate. Eight follows Martin's
 * choice; it is a structural constant, not a threshold. */
#define NOISE_SUBWINDOWS 8

/* The share of its full weight the one-sided level spread must gather
 * before it is trusted over the two-sided one (see update_level_noise). */
#define SPREAD_SETTLED_WEIGHT 0.5

/* Power counts as a channel's sound that may leak into the other only above
 * this multiple of its noise (3 dB): a structural guard against noise, not a
 * tuning knob. */
#define LEAK_NOISE_FACTOR 2.0f

/* The leakage path is learnt per band of the voice band and per delay: an
 * echo path colours what it carries (a hybrid's response is anything but
 * flat), and eight bands of about 400 Hz follow that colouring closely
 * enough for a prediction with a few dB of headroom. Structural, like the
 * sub-windows. */
#define LEAK_BANDS 8

typedef struct vad_channel {
    float *smooth;          /* smoothed power per bin */
    float *sub_min;         /* NOISE_SUBWINDOWS x nbins minima of past sub-windows */
    float *cur_min;         /* minimum of the running sub-window */
    float *past_min;        /* minimum over the stored sub-windows */
    float *noise;           /* noise power per bin: mean where no speech is seen */
    float *recent;          /* lag_hops x nbins: the last hops' power clearly over the noise */
    float *reach;           /* reach_depth x nbins: per hop, the most of it over its last lag_hops */
    float *reach_band;      /* reach_depth x LEAK_BANDS: the same summed per band */
    uint8_t *clear;         /* reach_depth: the hop stood learn_snr_db over the noise */
    uint8_t *teaches;       /* reach_depth: the channel's speaker was heard, clearly, in the hops of that reach row */
    float *excess_band;     /* (learn_delay + 1) x 2 x LEAK_BANDS: recent power over the noise, and the noise, per band */
    float *leak_gain;       /* leak_lags x LEAK_BANDS: the other channel's leakage into this one */
    float *leak_gain_bin;   /* leak_lags x nbins: the same spread over the bins of each band */
    uint8_t *path_bands;    /* leak_lags: a bit per band where that delay is on the path */
    uint8_t *reach_bands;   /* reach_depth: a bit per band where the reach row holds any power */
    float *expected;        /* noise + predicted leakage, per bin (scratch) */
    float *leak;            /* predicted leakage, per bin (scratch) */
    float *ratio;           /* power over noise or over what is expected, per bin (scratch) */
    float *excess;          /* power over the noise, per bin (scratch) */
    float *tracked;         /* the noise mean following the power, per bin (scratch) */
    int sub_fill;           /* hops in the running sub-window */
    int sub_index;          /* next sub-window slot */
    int sub_count;          /* sub-windows filled so far */
    int since_taught;       /* decided hops since the speaker was last heard clearly, up to lag_hops */
    int hops_seen;
    double own_snr_db;      /* this hop: power over own noise only */
    float *band_ring;       /* band power of the last level_span hops */
    float *score_ring;      /* spectral score of the same hops */
    uint8_t *leaky_ring;    /* the same hops carried leakage of the other party over the noise */
    int ring_pos;
    /* The smoothed band level's noise statistics: its running minimum (over
     * NOISE_SUBWINDOWS sub-windows, like the per-bin noise), the mean level
     * of hops near that minimum, and its spread (see update_level_noise). */
    double level_sub_min[NOISE_SUBWINDOWS];
    double level_cur_min;
    int level_sub_fill, level_sub_index, level_sub_count;
    double level_floor_db;  /* the minimum, allowed to rise only slowly */
    double noise_level_db;
    double noise_level_weight;                 /* gathered by the mean, to debias it */
    double noise_dev_both_db;                  /* spread from hops on both sides */
    double noise_dev_below, noise_dev_weight; /* spread from hops below, undebiased */
    float *steady_hist;     /* (steady_lag + 1) x nbins of smoothed excess, for steadiness */
    float *steady_energy;   /* the energy of each of those rows */
    int steady_pos;
    double steadiness;      /* smoothed spectral correlation across steady_lag */
    float *steady_ring;     /* steadiness per hop of the level window, to align with it */
    uint8_t *grade;         /* per decided-centre hop: 0 quiet, 1 over off, 2 over on */
    int64_t graded;         /* hops graded so far */
    int core_active;
    int hang;               /* hops of hangover left */
    int since_speech;       /* hops since the core was last active */
    int speech_run;         /* hops the core has been active without a break, up to noise_hold_hops */
} vad_channel;

typedef struct {
    double smooth_coef;
    int sub_len;
    double bias;
    double on_db, off_db;
    int lag_hops;            /* delays are resolved this finely */
    int leak_lags;           /* delays covered, in steps of lag_hops */
    int reach_depth;
    int learn_delay;         /* hops until a hop's voice activity is decided, plus one */
    double margin;
    float leak_up, leak_down; /* the leakage quantile tracker's steps, as factors */
    double leak_max;         /* a ratio over this is never leakage (power) */
    double path_range;       /* delays this far under a band's strongest are not on the path (power) */
    int hang_hops;
    int onset_hops;
    int line;               /* length of the grade delay line */
    int reentry_hops;
    double floor_power;      /* per bin */
    double gate;             /* smoothed / minimum above this: speech may be present in the bin */
    int hold_noise_in_speech; /* one party per channel (see update_noise) */
    int noise_hold_hops;
    int level_span;          /* hops of the centred level average (odd) */
    double level_margin_db;
    double level_off_margin_db;
    int level_sub_len;
    double level_gate_db;
    double start_quantile;
    double start_margin_db;
    double level_coef;
    double min_level_db;
    double spread_gain;
    double off_spread_gain;
    double floor_rise_db;    /* per hop */
    int steady_lag;
    double steady_coef;
    double tonality;
    double track_coef;
    double learn_snr_db;
    double leak_start_db;
    int band_edge[LEAK_BANDS + 1]; /* the leakage bands, in bins from bin_lo */
} vad_params;

/* Parameters are derived once and kept beside the channels. */
static vad_params params_of(const cs_profile *p, double hop_s, int nbins_total, int nspeakers, int nbins)
{
    vad_params q;
    const double *v = p->value;
    q.smooth_coef = smoothing_coef(v[CS_K_VAD_NOISE_SMOOTH_S], hop_s);
    q.sub_len = hops_of(v[CS_K_VAD_NOISE_WINDOW_S] / NOISE_SUBWINDOWS, hop_s);
    if (q.sub_len < 1)
        q.sub_len = 1;
    q.bias = db_to_power(v[CS_K_VAD_NOISE_BIAS_DB]);
    q.on_db = v[CS_K_VAD_ON_DB];
    q.off_db = v[CS_K_VAD_OFF_DB];
    /* Delays finer than noise_smooth_s tell little apart (an echo path
     * smears a voice over tens of milliseconds, and a syllable's power
     * changes no faster): each step of the path covers that many hops, with
     * the most the other channel held in them. */
    q.lag_hops = hops_of(v[CS_K_VAD_NOISE_SMOOTH_S], hop_s);
    if (q.lag_hops < 1)
        q.lag_hops = 1;
    q.leak_lags = hops_of(v[CS_K_VAD_ECHO_MAX_DELAY_S], hop_s) / q.lag_hops + 1;
    q.margin = db_to_power(v[CS_K_VAD_ECHO_MARGIN_DB]);
    /* A quantile tracker moving this many dB per hop settles within about
     * echo_learn_s of the other party's speech; it steps up by the quantile's
     * share of the step and down by the rest, so it rests where that share
     * of the ratios lies above it. It learns once every lag_hops hops (the
     * power it learns from is the most over that many hops anyway), so each
     * step is that many hops' worth. */
    double step_db = 40.0 * hop_s * q.lag_hops / v[CS_K_VAD_ECHO_LEARN_S], quantile = v[CS_K_VAD_ECHO_QUANTILE];
    q.leak_up = (float)db_to_power(step_db * quantile);
    q.leak_down = (float)db_to_power(-step_db * (1 - quantile));
    q.leak_max = db_to_power(v[CS_K_VAD_ECHO_LEARN_MAX_DB]);
    q.path_range = db_to_power(-v[CS_K_VAD_ECHO_PATH_RANGE_DB]);
    q.hang_hops = hops_of(v[CS_K_VAD_HANGOVER_S], hop_s);
    q.onset_hops = hops_of(v[CS_K_VAD_ONSET_S], hop_s);
    if (q.onset_hops < 1)
        q.onset_hops = 1;
    q.line = q.onset_hops + 1;
    q.reentry_hops = hops_of(v[CS_K_VAD_REENTRY_S], hop_s);
    q.learn_snr_db = v[CS_K_VAD_ECHO_LEARN_SNR_DB];
    q.leak_start_db = v[CS_K_VAD_ECHO_START_DB];
    q.gate = db_to_power(v[CS_K_VAD_NOISE_GATE_DB]);
    q.level_span = 2 * hops_of(v[CS_K_VAD_LEVEL_SPAN_S] / 2, hop_s) + 1;
    q.level_margin_db = v[CS_K_VAD_LEVEL_MARGIN_DB];
    q.level_off_margin_db = v[CS_K_VAD_LEVEL_OFF_MARGIN_DB];
    q.level_sub_len = hops_of(v[CS_K_VAD_LEVEL_WINDOW_S] / NOISE_SUBWINDOWS, hop_s);
    if (q.level_sub_len < 1)
        q.level_sub_len = 1;
    q.level_gate_db = v[CS_K_VAD_LEVEL_GATE_DB];
    q.start_quantile = v[CS_K_VAD_START_QUANTILE];
    q.start_margin_db = v[CS_K_VAD_START_MARGIN_DB];
    q.level_coef = smoothing_coef(v[CS_K_VAD_LEVEL_TRACK_S], hop_s);
    q.min_level_db = v[CS_K_VAD_MIN_LEVEL_DBFS];
    q.spread_gain = v[CS_K_VAD_LEVEL_SPREAD_GAIN];
    q.off_spread_gain = v[CS_K_VAD_LEVEL_OFF_SPREAD_GAIN];
    q.floor_rise_db = v[CS_K_VAD_LEVEL_RISE_DB_PER_S] * hop_s;
    q.steady_lag = hops_of(v[CS_K_HOLD_LAG_S], hop_s);
    if (q.steady_lag < 1)
        q.steady_lag = 1;
    q.steady_coef = smoothing_coef(v[CS_K_HOLD_SMOOTH_S], hop_s);
    q.tonality = v[CS_K_HOLD_TONALITY];
    q.track_coef = smoothing_coef(v[CS_K_VAD_NOISE_TRACK_S], hop_s);
    q.noise_hold_hops = hops_of(v[CS_K_VAD_NOISE_HOLD_S], hop_s);
    q.hold_noise_in_speech = nspeakers > 1;
    q.floor_power = db_to_power(v[CS_K_VAD_MIN_LEVEL_DBFS]) / nbins_total;
    for (int b = 0; b <= LEAK_BANDS; b++)
        q.band_edge[b] = nbins * b / LEAK_BANDS;
    /* The leakage is learnt from hops whose voice activity is decided
     * (level_span / 2 + onset_hops - 1 behind the newest), so the reach rows
     * go back that much further than the prediction needs. */
    q.learn_delay = q.level_span / 2 + q.onset_hops;
    q.reach_depth = (q.leak_lags - 1) * q.lag_hops + 1 + q.learn_delay;
    return q;
}

struct vad_state {
    vad_channel ch[CS_MAX_SPEAKERS];
    vad_params p;
};

/* The learnt leakage gains, each band's over its bins, for the prediction.
 * A delay whose gain in a band lies more than path_range under that band's
 * strongest is left out: speech's own slow envelope makes the other's power
 * some syllables away look like a weaker copy of the path, and counting it
 * would predict the echo of a loud syllable long before or after it comes,
 * hiding this channel's speaker whenever the other talks. The bands each
 * delay keeps are marked, so the prediction visits only those. */
static void spread_leak_gain(vad_channel *c, int nb, const vad_params *p)
{
    memset(c->path_bands, 0, (size_t)p->leak_lags);
    for (int b = 0; b < LEAK_BANDS; b++) {
        float strongest = 0;
        for (int j = 0; j < p->leak_lags; j++)
            if (c->leak_gain[j * LEAK_BANDS + b] > strongest)
                strongest = c->leak_gain[j * LEAK_BANDS + b];
        float least = strongest * (float)p->path_range;
        for (int j = 0; j < p->leak_lags; j++) {
            float g = c->leak_gain[j * LEAK_BANDS + b];
            int on_path = g >= least;
            float used = on_path ? g : 0;
            float *restrict to = c->leak_gain_bin + (size_t)j * nb;
            if (to[p->band_edge[b]] != used) /* most gains have not moved */
                for (int k = p->band_edge[b]; k < p->band_edge[b + 1]; k++)
                    to[k] = used;
            c->path_bands[j] |= (uint8_t)(on_path << b);
        }
    }
}

static void channel_free(vad_channel *c)
{
    free(c->smooth);
    free(c->sub_min);
    free(c->cur_min);
    free(c->past_min);
    free(c->noise);
    free(c->recent);
    free(c->reach);
    free(c->reach_band);
    free(c->reach_bands);
    free(c->path_bands);
    free(c->leak_gain_bin);
    free(c->clear);
    free(c->teaches);
    free(c->excess_band);
    free(c->leak_gain);
    free(c->expected);
    free(c->leak);
    free(c->ratio);
    free(c->excess);
    free(c->tracked);
    free(c->band_ring);
    free(c->score_ring);
    free(c->leaky_ring);
    free(c->grade);
    free(c->steady_hist);
    free(c->steady_energy);
    free(c->steady_ring);
}

void vad_free(vad *v)
{
    if (!v->state)
        return;
    for (int s = 0; s < CS_MAX_SPEAKERS; s++)
        channel_free(&v->state->ch[s]);
    free(v->state);
    v->state = NULL;
}

int vad_init(vad *v, const cs_profile *prof, int nspeakers, int spectrum_bins, double bin_hz, double hop_s,
             double window_s)
{
    memset(v, 0, sizeof *v);
    vad_state *st = calloc(1, sizeof *st);
    if (!st)
        return CS_ENOMEM;
    v->state = st;
    v->nspeakers = nspeakers;
    v->hop_s = hop_s;
    v->bin_lo = (int)ceil(prof->value[CS_K_VAD_BAND_LOW_HZ] / bin_hz);
    v->bin_hi = (int)floor(prof->value[CS_K_VAD_BAND_HIGH_HZ] / bin_hz) + 1;
    if (v->bin_hi > spectrum_bins - 1)
        v->bin_hi = spectrum_bins - 1; /* Nyquist bin carries aliasing, not speech */
    if (v->bin_lo < 1)
        v->bin_lo = 1;
    if (v->bin_hi <= v->bin_lo) {
        vad_free(v);
        return CS_EPROFILE;
    }
    v->nbins = v->bin_hi - v->bin_lo;
    if (v->nbins < LEAK_BANDS) {
        vad_free(v);
        return CS_EPROFILE;
    }
    st->p = params_of(prof, hop_s, spectrum_bins, nspeakers, v->nbins);
    v->delay = st->p.level_span / 2 + st->p.onset_hops - 1;
    v->onset_hops = st->p.onset_hops;
    /* How much longer than the sound itself a detection lasts: the window
     * and the hangover; the segment stage subtracts it before judging a
     * spurt too short to be speech. */
    v->overhang = (int)lround(window_s / hop_s) - 1 + st->p.hang_hops;
    v->warmup = (int)ceil(window_s / hop_s);
    v->hang_hops = st->p.hang_hops;
    size_t nb = (size_t)v->nbins;
    for (int s = 0; s < nspeakers; s++) {
        vad_channel *c = &st->ch[s];
        c->smooth = calloc(nb, sizeof(float));
        c->sub_min = calloc(nb * NOISE_SUBWINDOWS, sizeof(float));
        c->cur_min = calloc(nb, sizeof(float));
        c->past_min = calloc(nb, sizeof(float));
        c->noise = calloc(nb, sizeof(float));
        size_t depth = (size_t)st->p.reach_depth;
        c->recent = calloc(nb * (size_t)st->p.lag_hops, sizeof(float));
        c->reach = calloc(nb * depth, sizeof(float));
        c->reach_band = calloc(LEAK_BANDS * depth, sizeof(float));
        c->reach_bands = calloc(depth, 1);
        c->path_bands = calloc((size_t)st->p.leak_lags, 1);
        c->leak_gain_bin = calloc(nb * (size_t)st->p.leak_lags, sizeof(float));
        c->clear = calloc(depth, 1);
        c->teaches = calloc(depth, 1);
        c->excess_band = calloc(2 * LEAK_BANDS * ((size_t)st->p.learn_delay + 1), sizeof(float));
        c->leak_gain = calloc(LEAK_BANDS * (size_t)st->p.leak_lags, sizeof(float));
        c->expected = calloc(nb, sizeof(float));
        c->leak = calloc(nb, sizeof(float));
        c->ratio = calloc(nb, sizeof(float));
        c->excess = calloc(nb, sizeof(float));
        c->tracked = calloc(nb, sizeof(float));
        c->band_ring = calloc((size_t)st->p.level_span, sizeof(float));
        c->score_ring = calloc((size_t)st->p.level_span, sizeof(float));
        c->leaky_ring = calloc((size_t)st->p.level_span, 1);
        c->grade = calloc((size_t)st->p.line, 1);
        c->steady_hist = calloc(nb * (size_t)(st->p.steady_lag + 1), sizeof(float));
        c->steady_ring = calloc((size_t)st->p.level_span, sizeof(float));
        c->steady_energy = calloc((size_t)st->p.steady_lag + 1, sizeof(float));
        if (!c->grade || !c->steady_hist || !c->steady_ring || !c->steady_energy ||
            !c->smooth || !c->sub_min || !c->cur_min || !c->past_min || !c->noise || !c->recent || !c->reach || !c->reach_band || !c->reach_bands || !c->path_bands || !c->leak_gain_bin || !c->clear || !c->teaches || !c->excess_band || !c->leak_gain ||
            !c->expected || !c->leak || !c->ratio || !c->excess || !c->tracked || !c->band_ring ||
            !c->score_ring || !c->leaky_ring) {
            vad_free(v);
            return CS_ENOMEM;
        }
    }
    vad_reset(v);
    return CS_OK;
}

void vad_reset(vad *v)
{
    vad_state *st = v->state;
    size_t nb = (size_t)v->nbins;
    v->hops_in = 0;
    v->graded_hop = -1;
    for (int s = 0; s < v->nspeakers; s++) {
        vad_channel *c = &st->ch[s];
        memset(c->smooth, 0, nb * sizeof(float));
        for (size_t k = 0; k < nb; k++)
            c->noise[k] = (float)st->p.floor_power; /* until the first real window */
        size_t depth = (size_t)st->p.reach_depth;
        memset(c->recent, 0, nb * (size_t)st->p.lag_hops * sizeof(float));
        memset(c->reach, 0, nb * depth * sizeof(float));
        memset(c->reach_band, 0, LEAK_BANDS * depth * sizeof(float));
        memset(c->reach_bands, 0, depth);
        memset(c->clear, 0, depth);
        memset(c->teaches, 0, depth);
        memset(c->excess_band, 0, 2 * LEAK_BANDS * ((size_t)st->p.learn_delay + 1) * sizeof(float));
        memset(c->leak, 0, nb * sizeof(float)); /* the noise update reads the last hop's */
        c->since_taught = st->p.lag_hops;
        memset(c->band_ring, 0, (size_t)st->p.level_span * sizeof(float));
        memset(c->score_ring, 0, (size_t)st->p.level_span * sizeof(float));
        memset(c->leaky_ring, 0, (size_t)st->p.level_span);
        c->ring_pos = 0;
        c->level_sub_fill = c->level_sub_index = c->level_sub_count = 0;
        c->noise_level_db = NAN;
        c->level_floor_db = NAN;
        c->noise_dev_both_db = c->noise_level_weight = 0;
        c->noise_dev_below = c->noise_dev_weight = 0;
        c->sub_fill = c->sub_index = c->sub_count = c->hops_seen = 0;
        /* Start by assuming strong leakage at every delay, so a channel never
         * mistakes the other party for its own speaker while the path is
         * being learnt. */
        for (size_t i = 0; i < LEAK_BANDS * (size_t)st->p.leak_lags; i++)
            c->leak_gain[i] = (float)db_to_power(st->p.leak_start_db);
        spread_leak_gain(c, v->nbins, &st->p);
        memset(c->grade, 0, (size_t)st->p.line);
        memset(c->steady_hist, 0, nb * (size_t)(st->p.steady_lag + 1) * sizeof(float));
        memset(c->steady_ring, 0, (size_t)st->p.level_span * sizeof(float));
        memset(c->steady_energy, 0, ((size_t)st->p.steady_lag + 1) * sizeof(float));
        c->steady_pos = 0;
        c->steadiness = 0;
        c->graded = 0;
        c->core_active = c->hang = 0;
        c->since_speech = st->p.reentry_hops; /* long enough ago */
        c->speech_run = 0;
        v->active[s] = 0;
    }
}

/* acc[k] = min(acc[k], x[k]), written so the compiler can vectorize it. */
static void elementwise_min(float *restrict acc, const float *restrict x, int n)
{
    for (int k = 0; k < n; k++)
        acc[k] = x[k] < acc[k] ? x[k] : acc[k];
}

/* acc[k] = max(acc[k], x[k]), likewise. */
static void elementwise_max(float *restrict acc, const float *restrict x, int n)
{
    for (int k = 0; k < n; k++)
        acc[k] = x[k] > acc[k] ? x[k] : acc[k];
}

/* A sum in four running sums: one sum would wait on each addition in turn
 * (a float sum is not reordered for us). */
static float sum_of(const float *x, int n)
{
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int k = 0;
    for (; k + 4 <= n; k += 4) {
        s0 += x[k];
        s1 += x[k + 1];
        s2 += x[k + 2];
        s3 += x[k + 3];
    }
    for (; k < n; k++)
        s0 += x[k];
    return (s0 + s1) + (s2 + s3);
}

/* A dot product, likewise. */
static float dot_product(const float *a, const float *b, int n)
{
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int k = 0;
    for (; k + 4 <= n; k += 4) {
        s0 += a[k] * b[k];
        s1 += a[k + 1] * b[k + 1];
        s2 += a[k + 2] * b[k + 2];
        s3 += a[k + 3] * b[k + 3];
    }
    for (; k < n; k++)
        s0 += a[k] * b[k];
    return (s0 + s1) + (s2 + s3);
}

/* Noise per bin in two steps: the minimum of the smoothed power over the
 * last noise_window_s (minimum statistics, Martin 2001) says where speech is
 * absent; where it is (smoothed power within `gate` of the minimum, and no
 * leakage of the other party expected), the noise mean follows the power
 * (as in MCRA, Cohen & Berdugo 2002). The
 * minimum alone sits well below fluctuating noise such as babble. While a
 * channel that carries one party is in speech the mean does not follow: the
 * quiet end of a word lies within `gate` of the minimum and would otherwise
 * be learnt as noise in the middle of the utterance; the minimum still lets
 * it fall. Past noise_hold_hops of unbroken "speech" the mean follows
 * again: that is more often the line's noise stepping up than one long
 * utterance, and the decision would otherwise hold until the minimum
 * caught up. A mono mix carries both parties and is in speech nearly all
 * the call, so there the mean keeps following. */
static void update_noise(vad_channel *c, const float *restrict power, int nb, const vad_params *p)
{
    /* The channel's arrays through restrict pointers: read through `c`, the
     * compiler would have to assume each store may move them, and could
     * vectorize none of these loops. */
    float *restrict smooth = c->smooth, *restrict cur_min = c->cur_min, *restrict noise = c->noise;
    const float *restrict leak = c->leak;
    float a = (float)p->smooth_coef, tc = (float)p->track_coef;
    int first = c->hops_seen == 0, restart = c->sub_fill == 0;
    if (first)
        memcpy(smooth, power, (size_t)nb * sizeof(float));
    /* The smoothed power, the running sub-window's minimum of it and the
     * tracked mean in one pass; then only choices between values already
     * computed: arithmetic inside a choice (which may not be moved out of
     * it, in case it traps) keeps the compiler from vectorizing. */
    float *restrict tracked = c->tracked;
    for (int k = 0; k < nb; k++) {
        float s = a * smooth[k] + (1 - a) * power[k];
        smooth[k] = s;
        cur_min[k] = restart || s < cur_min[k] ? s : cur_min[k];
        tracked[k] = tc * noise[k] + (1 - tc) * power[k];
    }
    if (++c->sub_fill == p->sub_len) {
        memcpy(c->sub_min + (size_t)c->sub_index * nb, c->cur_min, (size_t)nb * sizeof(float));
        c->sub_index = (c->sub_index + 1) % NOISE_SUBWINDOWS;
        if (c->sub_count < NOISE_SUBWINDOWS)
            c->sub_count++;
        c->sub_fill = 0;
        /* The stored minima change only here, so their minimum is kept. */
        memcpy(c->past_min, c->sub_min, (size_t)nb * sizeof(float));
        for (int j = 1; j < c->sub_count; j++)
            elementwise_min(c->past_min, c->sub_min + (size_t)j * nb, nb);
    }
    float bias = (float)p->bias, floor_power = (float)p->floor_power;
    int hold = c->core_active && p->hold_noise_in_speech && c->speech_run < p->noise_hold_hops;
    float gate = hold ? 0.0f : (float)p->gate;
    float margin = (float)p->margin;
    /* Before the first sub-window is stored, the running one is all there is. */
    const float *past_min = c->sub_count > 0 ? c->past_min : cur_min;
    for (int k = 0; k < nb; k++) {
        float m = past_min[k] < cur_min[k] ? past_min[k] : cur_min[k];
        m *= bias;
        float old = noise[k], track = tracked[k];
        /* A bin the other party's voice is leaking into (as the last hop
         * predicted it) holds more than noise: a faint leak within the gate
         * would otherwise be learnt as noise, and the leakage it hides from
         * the gain estimate would stand out again whenever it rose. */
        float n = smooth[k] < gate * m ? track : old;
        n = margin * leak[k] <= old ? n : old;
        n = first ? m : n;
        /* Never below the tracked minimum, which also lets the noise fall fast. */
        n = n < m ? m : n;
        noise[k] = n < floor_power ? floor_power : n;
    }
    c->hops_seen++;
}

/* Steadiness: the correlation of the channel's smoothed excess spectrum with
 * itself steady_lag hops earlier. A tone or a held note keeps its peaks in
 * the same bins (near 1); speech moves its harmonics and formants within a
 * syllable (well below). Smoothed over hold.smooth_s. */
static void update_steadiness(vad_channel *c, int nb, const vad_params *p)
{
    int depth = p->steady_lag + 1;
    float *restrict now = c->steady_hist + (size_t)c->steady_pos * nb;
    int then_pos = (c->steady_pos + 1) % depth;
    const float *then = c->steady_hist + (size_t)then_pos * nb;
    const float *restrict smooth = c->smooth, *restrict noise = c->noise;
    for (int k = 0; k < nb; k++) {
        float x = smooth[k] - noise[k];
        now[k] = x > 0 ? x : 0;
    }
    float dot = dot_product(now, then, nb), e_now = dot_product(now, now, nb), e_then = c->steady_energy[then_pos];
    c->steady_energy[c->steady_pos] = e_now;
    c->steady_pos = then_pos;
    double r = e_now > 0 && e_then > 0 ? dot / sqrt((double)e_now * e_then) : 0;
    c->steadiness = p->steady_coef * c->steadiness + (1 - p->steady_coef) * r;
}

/* The reach slot lag_hops before `slot`. */
static int earlier_slot(int slot, const vad_params *p)
{
    slot -= p->lag_hops;
    return slot < 0 ? slot + p->reach_depth : slot;
}

/*
 * The leakage path, learnt per delay and band as a quantile (echo_quantile)
 * of (this channel's excess power) / (the other's power that delay earlier), over the
 * hops where the other's speaker was heard clearly then: the other channel's
 * own voice activity (so neither its line noise nor babble, nor this
 * channel's voice leaking into it, teaches anything) with its power standing
 * learn_snr_db over its noise. Most such hops carry only leakage here, so the
 * quantile ignores the hops with genuine overlap; at delays the path
 * does not have, the ratio scatters widely and its quantile sinks, so
 * the learnt gains trace the path's delay, dispersion and colouring without
 * being told any of them. Only a band where the leak now expected (with its
 * headroom) would stand over this channel's noise teaches: where it would
 * not, the ratio measures the noise's flicker rather than the leak, and a
 * faint leak would be learnt far too low, to stand out whenever the other
 * spoke up. A ratio over leak_max is this channel's own speaker louder than
 * the other (a leak is weaker than its source) and teaches nothing. `hop` is
 * the hop learnt from, learn_delay behind the newest, so the other's
 * activity is decided for it and every delay.
 */
static void learn_leakage(vad_channel *c, const vad_channel *o, int64_t hop, int nb, const vad_params *p)
{
    int learnt = 0;
    const float *excess = c->excess_band + (size_t)(hop % (p->learn_delay + 1)) * 2 * LEAK_BANDS;
    const float *noise = excess + LEAK_BANDS;
    float margin = (float)p->margin;
    int slot = (int)(hop % p->reach_depth);
    for (int j = 0; j < p->leak_lags && hop - j * p->lag_hops >= 0; j++, slot = earlier_slot(slot, p)) {
        if (!o->teaches[slot])
            continue;
        const float *from = o->reach_band + (size_t)slot * LEAK_BANDS;
        float *gain = c->leak_gain + (size_t)j * LEAK_BANDS;
        /* Without a branch: which bands teach follows no pattern the
         * processor could predict. */
        for (int b = 0; b < LEAK_BANDS; b++) {
            int teaches = !(from[b] <= 0) & !(excess[b] > p->leak_max * from[b]) & !(margin * gain[b] * from[b] < noise[b]);
            float step = excess[b] > gain[b] * from[b] ? p->leak_up : p->leak_down;
            gain[b] = teaches ? gain[b] * step : gain[b];
            learnt |= teaches;
        }
    }
    if (learnt)
        spread_leak_gain(c, nb, p);
}

/* The channel's speaker was (1) or was not (0) heard in `hop`, now decided:
 * the reach row ending there teaches the leakage into the other channel when
 * the speaker was heard clearly in any of its hops. */
static void mark_teaching(vad_channel *c, int64_t hop, int active, const vad_params *p)
{
    int slot = (int)(hop % p->reach_depth);
    if (active && c->clear[slot])
        c->since_taught = 0;
    else if (c->since_taught < p->lag_hops)
        c->since_taught++;
    c->teaches[slot] = c->since_taught < p->lag_hops;
}

/* The leakage expected in this hop, per bin: the largest the learnt path
 * makes of the other channel's recent power at any delay. Only the bands
 * where that delay is on the path and the other channel had something to
 * leak are visited: elsewhere the product is 0 and the maximum keeps its
 * value, so skipping them changes nothing but the time taken. */
static void predict_leakage(vad_channel *c, const vad_channel *o, int64_t hop, int nb, const vad_params *p)
{
    float *restrict leak = c->leak;
    memset(leak, 0, (size_t)nb * sizeof(float));
    int slot = (int)(hop % p->reach_depth);
    for (int j = 0; j < p->leak_lags && hop - j * p->lag_hops >= 0; j++, slot = earlier_slot(slot, p)) {
        unsigned bands = c->path_bands[j] & o->reach_bands[slot];
        if (!bands)
            continue;
        /* From the first such band to the last: one loop the compiler
         * vectorizes, the bands between adding nothing. */
        int first = 0, last = LEAK_BANDS - 1;
        while (!(bands >> first & 1))
            first++;
        while (!(bands >> last & 1))
            last--;
        const float *restrict row = o->reach + (size_t)slot * nb;
        const float *restrict gain = c->leak_gain_bin + (size_t)j * nb;
        for (int k = p->band_edge[first]; k < p->band_edge[last + 1]; k++) {
            float x = gain[k] * row[k];
            leak[k] = x > leak[k] ? x : leak[k];
        }
    }
}

/* The q-quantile of n values, without sorting them (n is a level span). */
static float quantile_of(const float *x, int n, double q)
{
    int rank = (int)(q * (n - 1) + 0.5);
    for (int i = 0; i < n; i++) {
        int below = 0, equal = 0;
        for (int j = 0; j < n; j++) {
            below += x[j] < x[i];
            equal += x[j] == x[i];
        }
        if (below <= rank && rank < below + equal)
            return x[i];
    }
    return x[0];
}

/* Noise statistics of the smoothed band level: the minimum over the level
 * window finds the noise even in a long monologue; hops within level_gate_db
 * of it, outside detected speech, feed the noise mean and its spread, which
 * is large for babble and small for steady noise. The spread is the mean
 * shortfall of the hops below the mean: speech only ever adds to the level,
 * so an undetected quiet syllable a few dB over steady noise, counted on the
 * upper side, would pass for wandering noise and raise the bar for the rest
 * of the utterance. That average starts from nothing, so it is debiased by
 * the weight it has gathered, and until it holds half its weight (the first
 * second or so of a call, when babble has shown few dips) the mean absolute
 * deviation on both sides stands in. A level that holds the other party's
 * leakage (`leaky`) is no more noise than one that holds speech: a faint
 * echo would otherwise raise the mean and the spread, and with them the bar
 * for this channel's own quiet words. */
static void update_level_noise(vad_channel *c, double level, int leaky, const vad_params *p)
{
    /* Levels that hold leakage do not feed the minimum either (a window full
     * of the other party's echo has none to give, HUGE_VAL). */
    if (c->level_sub_fill == 0)
        c->level_cur_min = HUGE_VAL;
    if (!leaky && level < c->level_cur_min)
        c->level_cur_min = level;
    if (++c->level_sub_fill == p->level_sub_len) {
        c->level_sub_min[c->level_sub_index] = c->level_cur_min;
        c->level_sub_index = (c->level_sub_index + 1) % NOISE_SUBWINDOWS;
        if (c->level_sub_count < NOISE_SUBWINDOWS)
            c->level_sub_count++;
        c->level_sub_fill = 0;
    }
    double floor_db = c->level_cur_min;
    for (int j = 0; j < c->level_sub_count; j++)
        if (c->level_sub_min[j] < floor_db)
            floor_db = c->level_sub_min[j];
    if (floor_db == HUGE_VAL)
        floor_db = isnan(c->level_floor_db) ? level : c->level_floor_db;
    if (isnan(c->level_floor_db)) {
        /* The first graded level may already be speech: a recording that
         * starts just before the greeting. The quieter hops of the span
         * (they came first) then give the noise, when the level stands
         * far over them; fluctuating noise does not. */
        double quiet_db = power_to_db(quantile_of(c->band_ring, p->level_span, p->start_quantile));
        c->level_floor_db = floor_db;
        c->noise_level_db = level;
        if (level > quiet_db + p->start_margin_db)
            c->level_floor_db = c->noise_level_db = quiet_db;
        return;
    }
    /* A long stretch of speech without a real pause lifts the minimum into
     * the speech itself; noise rarely rises that fast, so the floor may fall
     * at once but climb only at floor_rise_db a hop. */
    if (floor_db < c->level_floor_db)
        c->level_floor_db = floor_db;
    else if (floor_db > c->level_floor_db + p->floor_rise_db)
        c->level_floor_db += p->floor_rise_db;
    else
        c->level_floor_db = floor_db;
    floor_db = c->level_floor_db;
    /* A recording that starts mid-sentence seeds the mean with speech, and
     * the first pauses alone would take seconds to pull it down while the
     * spread grew from the gap. Until the spread has settled, the mean is
     * kept within the gate of the floor, as the hops it averages are. Later
     * the floor's deeper dips (babble) must not drag the mean down. */
    if (c->noise_dev_weight < SPREAD_SETTLED_WEIGHT && c->noise_level_db > floor_db + p->level_gate_db)
        c->noise_level_db = floor_db + p->level_gate_db;
    if (level > floor_db + p->level_gate_db || c->core_active || leaky) {
        /* Above the gate, or in speech: leave the statistics, but never
         * let the mean sit below the floor (the noise has risen). */
        if (c->noise_level_db < floor_db)
            c->noise_level_db = floor_db;
        return;
    }
    /* Debiased, as the one-sided spread is: the seed carries no weight, so the
     * first noise hops set the mean instead of nudging it. */
    double a = p->level_coef;
    c->noise_level_weight = a * c->noise_level_weight + (1 - a);
    double step = (1 - a) / c->noise_level_weight;
    c->noise_level_db += step * (level - c->noise_level_db);
    c->noise_dev_both_db += step * (fabs(level - c->noise_level_db) - c->noise_dev_both_db);
    if (level < c->noise_level_db) {
        c->noise_dev_below = a * c->noise_dev_below + (1 - a) * (c->noise_level_db - level);
        c->noise_dev_weight = a * c->noise_dev_weight + (1 - a);
    }
}

/* The level noise's spread (see update_level_noise). */
static double level_spread_db(const vad_channel *c)
{
    return c->noise_dev_weight < SPREAD_SETTLED_WEIGHT ? c->noise_dev_both_db
                                                       : c->noise_dev_below / c->noise_dev_weight;
}

/*
 * Hysteresis with a retroactive onset. A hop is graded as it leaves the
 * level window; speech starts only where grade 2 holds for onset_hops in a
 * row (short bursts of noise never do), but then from the first of them; it
 * goes on while the grade stays at 1 or more, plus the hangover.
 * Returns the decision for the hop onset_hops - 1 back.
 */
static int decide(vad_channel *c, int grade, const vad_params *p)
{
    int line = p->line;
    int64_t g = c->graded++;
    c->grade[g % line] = (uint8_t)grade;
    int64_t z = g - p->onset_hops + 1; /* core hop decided now */
    if (z < 0)
        return 0;
    if (!c->core_active) {
        /* Just after speech, a word resuming needs only the sustain grade. */
        int need = c->since_speech < p->reentry_hops ? 1 : 2;
        int sustained = 1;
        for (int64_t i = z; i <= g && sustained; i++)
            sustained = c->grade[i % line] >= need;
        if (sustained) {
            c->core_active = 1;
            c->hang = p->hang_hops;
        }
    } else if (c->grade[z % line] >= 1) {
        c->hang = p->hang_hops;
    } else if (c->hang > 0) {
        c->hang--;
    } else {
        c->core_active = 0;
    }
    /* Counted only as far as it matters, so a channel stuck in speech
     * through a long live session cannot overflow it. */
    if (!c->core_active)
        c->speech_run = 0;
    else if (c->speech_run < p->noise_hold_hops)
        c->speech_run++;
    if (c->core_active)
        c->since_speech = 0;
    else if (c->since_speech < p->reentry_hops)
        c->since_speech++;
    return c->core_active;
}

/* What is expected in each bin (noise and the leakage with its headroom),
 * the power over it and the power over the noise alone. A function of its
 * own, so the compiler knows the arrays apart and vectorizes the loop. */
static void expect(float *restrict expected, float *restrict ratio, float *restrict excess, const float *restrict power,
                   const float *restrict noise, const float *restrict leak, float margin, int nb)
{
    for (int k = 0; k < nb; k++) {
        expected[k] = noise[k] + margin * leak[k];
        ratio[k] = power[k] / expected[k];
        float x = power[k] - noise[k];
        excess[k] = x > 0 ? x : 0;
    }
}

int vad_step(vad *v, const float *const *power)
{
    vad_state *st = v->state;
    const vad_params *p = &st->p;
    int nb = v->nbins;
    int64_t hop = v->hops_in; /* the hop these spectra belong to */

    /* The first windows of a stream are partly zero padding: learning noise
     * from them would set the floor at digital silence. */
    int warm = v->hops_in >= v->warmup;
    for (int s = 0; s < v->nspeakers; s++) {
        vad_channel *c = &st->ch[s];
        const float *pw = power[s] + v->bin_lo;
        if (warm) {
            update_noise(c, pw, nb, p);
            update_steadiness(c, nb, p);
        }
        /* The reach keeps what clearly stands over this channel's own noise,
         * at its most over the last lag_hops hops: only that can leak into
         * the other channel as extra power (leaked noise is already part of
         * the other channel's noise floor). Raw power, not smoothed: the
         * leak arrives with the syllable, and smoothing would lag it. */
        int slot = (int)(hop % p->reach_depth);
        float *restrict now = c->recent + (size_t)(hop % p->lag_hops) * nb;
        float *restrict reach = c->reach + (size_t)slot * nb;
        float *restrict ratio = c->ratio;
        const float *restrict noise = c->noise;
        for (int k = 0; k < nb; k++) {
            float x = pw[k] - LEAK_NOISE_FACTOR * noise[k];
            reach[k] = now[k] = x > 0 ? x : 0;
            ratio[k] = pw[k] / noise[k];
        }
        for (int i = 1; i < p->lag_hops && i <= hop; i++)
            elementwise_max(reach, c->recent + (size_t)((hop - i) % p->lag_hops) * nb, nb);
        /* Float sums: a hundred-odd bins lose nothing that matters here. */
        float total = sum_of(pw, nb), over_noise = sum_of(ratio, nb);
        c->own_snr_db = power_to_db(over_noise / nb);
        c->clear[slot] = c->own_snr_db >= p->learn_snr_db;
        float *reach_band = c->reach_band + (size_t)slot * LEAK_BANDS;
        unsigned bands = 0;
        for (int b = 0; b < LEAK_BANDS; b++) {
            float sum = 0;
            for (int k = p->band_edge[b]; k < p->band_edge[b + 1]; k++)
                sum += reach[k];
            reach_band[b] = sum;
            /* A sum of non-negative powers: 0 only when all of them are. */
            bands |= (unsigned)(sum > 0) << b;
        }
        c->reach_bands[slot] = (uint8_t)bands;
        c->band_ring[c->ring_pos] = (float)total;
        c->steady_ring[c->ring_pos] = (float)c->steadiness;
    }

    for (int s = 0; s < v->nspeakers; s++) {
        vad_channel *c = &st->ch[s];
        if (v->nspeakers == 1) {
            /* Only the noise is expected: the score is the power over it. */
            c->score_ring[c->ring_pos] = (float)c->own_snr_db;
            continue;
        }
        const float *restrict pw = power[s] + v->bin_lo;
        const vad_channel *o = &st->ch[1 - s];
        predict_leakage(c, o, hop, nb, p);
        expect(c->expected, c->ratio, c->excess, pw, c->noise, c->leak, (float)p->margin, nb);
        const float *ratio = c->ratio, *excess = c->excess, *noise = c->noise, *leak = c->leak;
        /* The sums apart from the loop above, so that one vectorizes. */
        float leak_total = sum_of(leak, nb), noise_total = 0, ratio_total = sum_of(ratio, nb);
        float *excess_band = c->excess_band + (size_t)(hop % (p->learn_delay + 1)) * 2 * LEAK_BANDS;
        for (int b = 0; b < LEAK_BANDS; b++) {
            float excess_sum = 0, noise_sum = 0;
            for (int k = p->band_edge[b]; k < p->band_edge[b + 1]; k++) {
                excess_sum += excess[k];
                noise_sum += noise[k];
            }
            excess_band[b] = excess_sum;
            excess_band[LEAK_BANDS + b] = noise_sum;
            noise_total += noise_sum;
        }
        c->leaky_ring[c->ring_pos] = leak_total > noise_total;
        if (hop >= p->learn_delay && (hop - p->learn_delay) % p->lag_hops == 0)
            learn_leakage(c, o, hop - p->learn_delay, nb, p);
        c->score_ring[c->ring_pos] = (float)power_to_db(ratio_total / nb);
    }

    /* Decide the hop at the centre of the level window. */
    v->hops_in++;
    int64_t decided = v->hops_in - 1 - v->delay;
    int ready = v->hops_in > p->level_span / 2;
    if (ready && v->hops_in >= v->warmup + p->level_span)
        v->graded_hop = v->hops_in - 1 - p->level_span / 2;
    for (int s = 0; s < v->nspeakers; s++) {
        vad_channel *c = &st->ch[s];
        int centre = (c->ring_pos + p->level_span - p->level_span / 2) % p->level_span;
        double sum = 0;
        for (int i = 0; i < p->level_span; i++)
            sum += c->band_ring[i];
        double level = power_to_db(sum / p->level_span);
        if (level < p->min_level_db)
            level = p->min_level_db;
        c->ring_pos = (c->ring_pos + 1) % p->level_span;
        if (!ready)
            continue;
        if (v->hops_in < v->warmup + p->level_span) {
            v->active[s] = decide(c, 0, p);
            if (decided >= 0)
                mark_teaching(c, decided, v->active[s], p);
            continue;
        }
        int leaky = 0;
        for (int i = 0; i < p->level_span; i++)
            leaky |= c->leaky_ring[i];
        update_level_noise(c, level, leaky, p);
        double score = c->score_ring[centre];
        /* Loud enough over the channel's usual floor, else not speech:
         * fluctuating noise (babble) passes the spectral test, not this one,
         * and the more the noise level wanders the higher the bar. */
        double spread = level_spread_db(c);
        double over = level - (c->noise_level_db + p->spread_gain * spread);
        double over_off = level - (c->noise_level_db + p->off_spread_gain * spread);
        /* Music or a tone on hold: loud, but far too steady for speech. */
        int tonal = c->steady_ring[centre] >= p->tonality && over >= p->level_off_margin_db;
        v->hold[s] = tonal;
        int grade = tonal                                                  ? 0
                    : over >= p->level_margin_db && score >= p->on_db     ? 2
                    : over_off >= p->level_off_margin_db && score >= p->off_db ? 1
                                                                            : 0;
        v->active[s] = decide(c, grade, p);
        if (decided >= 0)
            mark_teaching(c, decided, v->active[s], p);
    }
    return v->hops_in > v->delay;
}
