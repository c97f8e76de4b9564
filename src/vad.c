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

/* Smoothed power counts as the other party's sound only above this multiple
 * of the noise (3 dB): a structural guard against noise, not a tuning knob. */
#define LEAK_NOISE_FACTOR 2.0f

typedef struct vad_channel {
    float *smooth;          /* smoothed power per bin */
    float *sub_min;         /* NOISE_SUBWINDOWS x nbins minima of past sub-windows */
    float *cur_min;         /* minimum of the running sub-window */
    float *past_min;        /* minimum over the stored sub-windows */
    float *noise;           /* noise power per bin: mean where no speech is seen */
    float *history;         /* (delay_hops + 1) x nbins recent raw power */
    float *expected;        /* noise + predicted leakage, per bin (scratch) */
    float *peak;            /* the other channel's recent peak, per bin (scratch) */
    int sub_fill;           /* hops in the running sub-window */
    int sub_index;          /* next sub-window slot */
    int sub_count;          /* sub-windows filled so far */
    int hist_pos;
    int hops_seen;
    double leak_gain_db;    /* leakage of the other speaker into this channel */
    double own_snr_db;      /* this hop: power over own noise only */
    float *band_ring;       /* band power of the last level_span hops */
    float *score_ring;      /* spectral score of the same hops */
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
    int delay_hops;
    double margin;
    double learn_step_db;
    double quantile;
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
} vad_params;

/* Parameters are derived once and kept beside the channels. */
static vad_params params_of(const cs_profile *p, double hop_s, int nbins_total, int nspeakers)
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
    q.delay_hops = hops_of(v[CS_K_VAD_ECHO_MAX_DELAY_S], hop_s);
    q.margin = db_to_power(v[CS_K_VAD_ECHO_MARGIN_DB]);
    /* A quantile tracker moving this many dB per hop settles within about
     * echo_learn_s of the other party's speech. */
    q.learn_step_db = 40.0 * hop_s / v[CS_K_VAD_ECHO_LEARN_S];
    q.quantile = v[CS_K_VAD_ECHO_QUANTILE];
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
    return q;
}

struct vad_state {
    vad_channel ch[CS_MAX_SPEAKERS];
    vad_params p;
};

static void channel_free(vad_channel *c)
{
    free(c->smooth);
    free(c->sub_min);
    free(c->cur_min);
    free(c->past_min);
    free(c->noise);
    free(c->history);
    free(c->expected);
    free(c->peak);
    free(c->band_ring);
    free(c->score_ring);
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
    st->p = params_of(prof, hop_s, spectrum_bins, nspeakers);
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
        c->history = calloc(nb * (size_t)(st->p.delay_hops + 1), sizeof(float));
        c->expected = calloc(nb, sizeof(float));
        c->peak = calloc(nb, sizeof(float));
        c->band_ring = calloc((size_t)st->p.level_span, sizeof(float));
        c->score_ring = calloc((size_t)st->p.level_span, sizeof(float));
        c->grade = calloc((size_t)st->p.line, 1);
        c->steady_hist = calloc(nb * (size_t)(st->p.steady_lag + 1), sizeof(float));
        c->steady_ring = calloc((size_t)st->p.level_span, sizeof(float));
        c->steady_energy = calloc((size_t)st->p.steady_lag + 1, sizeof(float));
        if (!c->grade || !c->steady_hist || !c->steady_ring || !c->steady_energy ||
            !c->smooth || !c->sub_min || !c->cur_min || !c->past_min || !c->noise || !c->history || !c->expected || !c->peak || !c->band_ring ||
            !c->score_ring) {
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
        memset(c->history, 0, nb * (size_t)(st->p.delay_hops + 1) * sizeof(float));
        memset(c->band_ring, 0, (size_t)st->p.level_span * sizeof(float));
        memset(c->score_ring, 0, (size_t)st->p.level_span * sizeof(float));
        c->ring_pos = 0;
        c->level_sub_fill = c->level_sub_index = c->level_sub_count = 0;
        c->noise_level_db = NAN;
        c->level_floor_db = NAN;
        c->noise_dev_both_db = c->noise_level_weight = 0;
        c->noise_dev_below = c->noise_dev_weight = 0;
        c->sub_fill = c->sub_index = c->sub_count = c->hist_pos = c->hops_seen = 0;
        /* Start by assuming strong leakage, so a channel never mistakes the
         * other party for its own speaker while the gain is being learned. */
        c->leak_gain_db = st->p.leak_start_db;
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

/* Noise per bin in two steps: the minimum of the smoothed power over the
 * last noise_window_s (minimum statistics, Martin 2001) says where speech is
 * absent; where it is (smoothed power within `gate` of the minimum), the
 * noise mean follows the power (as in MCRA, Cohen & Berdugo 2002). The
 * minimum alone sits well below fluctuating noise such as babble. While a
 * channel that carries one party is in speech the mean does not follow: the
 * quiet end of a word lies within `gate` of the minimum and would otherwise
 * be learnt as noise in the middle of the utterance; the minimum still lets
 * it fall. Past noise_hold_hops of unbroken "speech" the mean follows
 * again: that is more often the line's noise stepping up than one long
 * utterance, and the decision would otherwise hold until the minimum
 * caught up. A mono mix carries both parties and is in speech nearly all
 * the call, so there the mean keeps following. */
static void update_noise(vad_channel *c, const float *power, int nb, const vad_params *p)
{
    float a = (float)p->smooth_coef;
    int first = c->hops_seen == 0;
    if (first)
        memcpy(c->smooth, power, (size_t)nb * sizeof(float));
    for (int k = 0; k < nb; k++)
        c->smooth[k] = a * c->smooth[k] + (1 - a) * power[k];
    if (c->sub_fill == 0)
        memcpy(c->cur_min, c->smooth, (size_t)nb * sizeof(float));
    else
        for (int k = 0; k < nb; k++)
            if (c->smooth[k] < c->cur_min[k])
                c->cur_min[k] = c->smooth[k];
    if (++c->sub_fill == p->sub_len) {
        memcpy(c->sub_min + (size_t)c->sub_index * nb, c->cur_min, (size_t)nb * sizeof(float));
        c->sub_index = (c->sub_index + 1) % NOISE_SUBWINDOWS;
        if (c->sub_count < NOISE_SUBWINDOWS)
            c->sub_count++;
        c->sub_fill = 0;
        /* The stored minima change only here, so their minimum is kept. */
        memcpy(c->past_min, c->sub_min, (size_t)nb * sizeof(float));
        for (int j = 1; j < c->sub_count; j++) {
            const float *row = c->sub_min + (size_t)j * nb;
            for (int k = 0; k < nb; k++)
                if (row[k] < c->past_min[k])
                    c->past_min[k] = row[k];
        }
    }
    float bias = (float)p->bias, floor_power = (float)p->floor_power;
    int hold = c->core_active && p->hold_noise_in_speech && c->speech_run < p->noise_hold_hops;
    float gate = hold ? 0.0f : (float)p->gate;
    float tc = (float)p->track_coef;
    int have_past = c->sub_count > 0;
    /* Branch-free per bin, so the compiler can vectorize the loop. */
    for (int k = 0; k < nb; k++) {
        float m = have_past && c->past_min[k] < c->cur_min[k] ? c->past_min[k] : c->cur_min[k];
        m *= bias;
        float tracked = tc * c->noise[k] + (1 - tc) * power[k];
        float n = first ? m : c->smooth[k] < gate * m ? tracked : c->noise[k];
        /* Never below the tracked minimum, which also lets the noise fall fast. */
        n = n < m ? m : n;
        c->noise[k] = n < floor_power ? floor_power : n;
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
    float *now = c->steady_hist + (size_t)c->steady_pos * nb;
    int then_pos = (c->steady_pos + 1) % depth;
    const float *then = c->steady_hist + (size_t)then_pos * nb;
    float dot = 0, e_now = 0, e_then = c->steady_energy[then_pos];
    for (int k = 0; k < nb; k++) {
        float x = c->smooth[k] - c->noise[k];
        x = x > 0 ? x : 0;
        now[k] = x;
        dot += x * then[k];
        e_now += x * x;
    }
    c->steady_energy[c->steady_pos] = e_now;
    c->steady_pos = then_pos;
    double r = e_now > 0 && e_then > 0 ? dot / sqrt((double)e_now * e_then) : 0;
    c->steadiness = p->steady_coef * c->steadiness + (1 - p->steady_coef) * r;
}

/* Learn the leakage gain as a low quantile of (excess power here) / (other's
 * recent peak) over hops where the other speaks clearly: most such hops carry
 * only leakage here, so a low quantile ignores the hops with genuine overlap. */
static void learn_leakage(vad_channel *c, double excess, double other_peak, const vad_params *p)
{
    if (other_peak <= 0)
        return;
    double ratio_db = power_to_db(excess / other_peak);
    if (ratio_db > c->leak_gain_db)
        c->leak_gain_db += p->learn_step_db * p->quantile;
    else
        c->leak_gain_db -= p->learn_step_db * (1 - p->quantile);
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
 * deviation on both sides stands in. */
static void update_level_noise(vad_channel *c, double level, const vad_params *p)
{
    if (c->level_sub_fill == 0 || level < c->level_cur_min)
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
    if (level > floor_db + p->level_gate_db || c->core_active) {
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

int vad_step(vad *v, const float *const *power)
{
    vad_state *st = v->state;
    const vad_params *p = &st->p;
    int nb = v->nbins;
    int depth = p->delay_hops + 1;

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
        /* The history keeps what clearly stands over this channel's own
         * noise (smoothed, so noise alone rarely does): only that can leak
         * into the other channel as extra power; leaked noise is already
         * part of the other channel's noise floor. */
        c->hist_pos = (c->hist_pos + depth - 1) % depth;
        float *slot = c->history + (size_t)c->hist_pos * nb;
        /* Float sums: a hundred-odd bins lose nothing that matters here. */
        float total = 0, over_noise = 0;
        for (int k = 0; k < nb; k++) {
            float x = c->smooth[k] - LEAK_NOISE_FACTOR * c->noise[k];
            slot[k] = x > 0 ? x : 0;
            total += pw[k];
            over_noise += pw[k] / c->noise[k];
        }
        c->own_snr_db = power_to_db(over_noise / nb);
        c->band_ring[c->ring_pos] = (float)total;
        c->steady_ring[c->ring_pos] = (float)c->steadiness;
    }

    for (int s = 0; s < v->nspeakers; s++) {
        vad_channel *c = &st->ch[s];
        const float *pw = power[s] + v->bin_lo;
        float *expected = c->expected;
        memcpy(expected, c->noise, (size_t)nb * sizeof(float));
        if (v->nspeakers > 1) {
            vad_channel *o = &st->ch[1 - s];
            float other_peak_total = 0, excess = 0;
            float gain = (float)(db_to_power(c->leak_gain_db) * p->margin);
            /* The other's recent peak per bin, over the covered delays. */
            float *peak = c->peak;
            memcpy(peak, o->history, (size_t)nb * sizeof(float));
            for (int d = 1; d < depth; d++) {
                const float *row = o->history + (size_t)d * nb;
                for (int k = 0; k < nb; k++)
                    peak[k] = row[k] > peak[k] ? row[k] : peak[k];
            }
            for (int k = 0; k < nb; k++) {
                float m = peak[k];
                other_peak_total += m;
                float x = pw[k] - c->noise[k];
                excess += x > 0 ? x : 0;
                expected[k] += gain * m;
            }
            if (o->own_snr_db >= p->learn_snr_db)
                learn_leakage(c, excess, other_peak_total, p);
        }
        float ratio = 0;
        for (int k = 0; k < nb; k++)
            ratio += pw[k] / expected[k];
        c->score_ring[c->ring_pos] = (float)power_to_db(ratio / nb);
    }

    /* Decide the hop at the centre of the level window. */
    v->hops_in++;
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
            continue;
        }
        update_level_noise(c, level, p);
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
    }
    return v->hops_in > v->delay;
}
