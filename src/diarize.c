/*
 * Mono separation: timbre features, Gaussian mixtures fitted by EM, and the
 * learn-then-place scheme described in diarize.h.
 */
#include "diarize.h"
#include "dsp_util.h"
#include "profile_keys.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A hop's speakers as a mask (bit 0 the agent, bit 1 the customer), or undecided. */
enum { HOP_SILENT = 0, HOP_AGENT = 1, HOP_CUSTOMER = 2, HOP_BOTH = 3, HOP_UNDECIDED = 4 };

/* The learning stretch needs at least this many frames per mixture component
 * before two voices can be told apart. */
#define FRAMES_PER_COMPONENT 8
/* Variances never fall below this share of the data's own variance. */
#define VARIANCE_FLOOR 0.01
#define LOG_2PI 1.8378770664093453
/* The cosine k-means of the summaries settles within a few passes. */
#define SPLIT_PASSES 30
/* Pitch medians come from a histogram of quarter semitones from 40 Hz up. */
#define PITCH_BINS 256
#define PITCH_BINS_PER_ST 4
#define PITCH_LOWEST_HZ 40.0

static double mel_of(double hz) { return 2595.0 * log10(1.0 + hz / 700.0); }
static double hz_of_mel(double mel) { return 700.0 * (pow(10.0, mel / 2595.0) - 1.0); }

static int gmm_alloc(diarize_gmm *g, int k, int dim)
{
    g->k = k;
    g->log_norm = calloc((size_t)k, sizeof(float));
    g->mean = calloc((size_t)k * (size_t)dim, sizeof(float));
    g->inv_var = calloc((size_t)k * (size_t)dim, sizeof(float));
    return g->log_norm && g->mean && g->inv_var ? CS_OK : CS_ENOMEM;
}

static void gmm_free(diarize_gmm *g)
{
    free(g->log_norm);
    free(g->mean);
    free(g->inv_var);
    memset(g, 0, sizeof *g);
}

static void gmm_copy(diarize_gmm *to, const diarize_gmm *from, int dim)
{
    to->k = from->k;
    memcpy(to->log_norm, from->log_norm, (size_t)from->k * sizeof(float));
    memcpy(to->mean, from->mean, (size_t)from->k * (size_t)dim * sizeof(float));
    memcpy(to->inv_var, from->inv_var, (size_t)from->k * (size_t)dim * sizeof(float));
}

/* Per-component log densities of x into out; returns their log sum. */
static double gmm_components(const diarize_gmm *g, int dim, const float *x, float *out)
{
    float top = -FLT_MAX;
    for (int c = 0; c < g->k; c++) {
        const float *m = g->mean + (size_t)c * dim, *iv = g->inv_var + (size_t)c * dim;
        float q = 0;
        for (int j = 0; j < dim; j++) {
            float e = x[j] - m[j];
            q += e * e * iv[j];
        }
        out[c] = g->log_norm[c] - 0.5f * q;
        if (out[c] > top)
            top = out[c];
    }
    double sum = 0;
    for (int c = 0; c < g->k; c++)
        sum += exp((double)(out[c] - top));
    return top + log(sum);
}

static double gmm_loglik(const diarizer *d, const diarize_gmm *g, const float *x)
{
    return gmm_components(g, d->dim, x, d->post);
}

/* EM for a diagonal mixture of k components on frames idx[0..n). */
static void gmm_fit(diarizer *d, diarize_gmm *g, int k, const int *idx, int n)
{
    const int dim = d->dim;
    if (k > n / FRAMES_PER_COMPONENT)
        k = n / FRAMES_PER_COMPONENT;
    if (k < 1)
        k = 1;
    g->k = k;
    /* The data's spread: the start for every variance, and its floor. */
    double *mu = d->acc, *var = d->acc + dim;
    memset(d->acc, 0, 2 * (size_t)dim * sizeof(double));
    for (int i = 0; i < n; i++) {
        const float *x = d->feat + (size_t)idx[i] * dim;
        for (int j = 0; j < dim; j++) {
            mu[j] += x[j];
            var[j] += (double)x[j] * x[j];
        }
    }
    double floor_var[CS_DIARIZE_MAX_DIM];
    double log_det = 0;
    for (int j = 0; j < dim; j++) {
        mu[j] /= n > 0 ? n : 1;
        var[j] = var[j] / (n > 0 ? n : 1) - mu[j] * mu[j];
        if (!(var[j] > 1e-6))
            var[j] = 1e-6;
        floor_var[j] = VARIANCE_FLOOR * var[j];
        log_det += log(var[j]);
    }
    /* Start from frames spread evenly through the data. */
    for (int c = 0; c < k; c++) {
        const float *x = d->feat + (size_t)idx[(size_t)c * (size_t)n / (size_t)k] * dim;
        for (int j = 0; j < dim; j++) {
            g->mean[(size_t)c * dim + j] = x[j];
            g->inv_var[(size_t)c * dim + j] = (float)(1.0 / var[j]);
        }
        g->log_norm[c] = (float)(-log((double)k) - 0.5 * (dim * LOG_2PI + log_det));
    }
    double *count = d->acc, *first = d->acc + k, *second = first + (size_t)k * dim;
    for (int it = 0; it < d->em_iterations; it++) {
        memset(d->acc, 0, ((size_t)k + 2 * (size_t)k * dim) * sizeof(double));
        for (int i = 0; i < n; i++) {
            const float *x = d->feat + (size_t)idx[i] * dim;
            double total = gmm_components(g, dim, x, d->post);
            for (int c = 0; c < k; c++) {
                double p = exp(d->post[c] - total);
                if (p < 1e-6)
                    continue;
                count[c] += p;
                double *f = first + (size_t)c * dim, *s = second + (size_t)c * dim;
                for (int j = 0; j < dim; j++) {
                    f[j] += p * x[j];
                    s[j] += p * x[j] * x[j];
                }
            }
        }
        for (int c = 0; c < k; c++) {
            if (count[c] < 1.0)
                continue; /* an empty component keeps what it had */
            double ld = 0;
            for (int j = 0; j < dim; j++) {
                double m = first[(size_t)c * dim + j] / count[c];
                double v = second[(size_t)c * dim + j] / count[c] - m * m;
                if (v < floor_var[j])
                    v = floor_var[j];
                g->mean[(size_t)c * dim + j] = (float)m;
                g->inv_var[(size_t)c * dim + j] = (float)(1.0 / v);
                ld += log(v);
            }
            g->log_norm[c] = (float)(log(count[c] / n) - 0.5 * (dim * LOG_2PI + ld));
        }
    }
}

int diarizer_init(diarizer *d, const cs_profile *prof, int nbins, double bin_hz, int rate_hz, double hop_s,
                  int agent_second, double agent_pitch_hz)
{
    memset(d, 0, sizeof *d);
    const double *v = prof->value;
    d->nbands = (int)lround(v[CS_K_DIARIZE_BANDS]);
    d->ncep = (int)lround(v[CS_K_DIARIZE_CEPSTRA]);
    d->use_pitch = v[CS_K_DIARIZE_PITCH] > 0.5;
    d->dim = d->ncep + d->use_pitch;
    if (d->dim > CS_DIARIZE_MAX_DIM || d->ncep >= d->nbands)
        return CS_EPROFILE;
    double lo = v[CS_K_DIARIZE_BAND_LOW_HZ];
    double hi = fmin(v[CS_K_DIARIZE_BAND_HIGH_HZ], 0.95 * rate_hz / 2.0);
    if (hi <= lo * 1.5)
        return CS_EPROFILE;
    d->bin_lo = (int)floor(lo / bin_hz);
    d->bin_hi = (int)ceil(hi / bin_hz) + 1;
    if (d->bin_hi > nbins)
        d->bin_hi = nbins;
    d->piece_hops = hops_of(v[CS_K_DIARIZE_PIECE_S], hop_s);
    d->bridge_hops = hops_of(v[CS_K_DIARIZE_BRIDGE_S], hop_s);
    d->overlap_db = v[CS_K_DIARIZE_OVERLAP_DB];
    d->overlap_min_hops = hops_of(v[CS_K_DIARIZE_OVERLAP_MIN_S], hop_s);
    d->overlap_max_hops = hops_of(v[CS_K_DIARIZE_OVERLAP_MAX_S], hop_s);
    d->smooth_hops = hops_of(v[CS_K_DIARIZE_ENERGY_SMOOTH_S] / 2, hop_s);
    if (d->piece_hops < 1)
        d->piece_hops = 1;
    d->learn_frames = hops_of(v[CS_K_DIARIZE_LEARN_S], hop_s);
    d->learn_max_hops = hops_of(v[CS_K_DIARIZE_LEARN_MAX_S], hop_s);
    if (d->learn_max_hops < d->learn_frames)
        d->learn_max_hops = d->learn_frames;
    d->ubm_k = (int)lround(v[CS_K_DIARIZE_UBM_COMPONENTS]);
    d->speaker_k = (int)lround(v[CS_K_DIARIZE_SPEAKER_COMPONENTS]);
    d->em_iterations = (int)lround(v[CS_K_DIARIZE_EM_ITERATIONS]);
    d->rounds = (int)lround(v[CS_K_DIARIZE_ROUNDS]);
    d->restarts = (int)lround(v[CS_K_DIARIZE_RESTARTS]);
    d->train_step = (int)lround(v[CS_K_DIARIZE_TRAIN_STEP]);
    d->relevance = v[CS_K_DIARIZE_RELEVANCE];
    d->min_share = v[CS_K_DIARIZE_MIN_SHARE];
    d->min_gain = v[CS_K_DIARIZE_MIN_GAIN];
    d->confident_llr = v[CS_K_DIARIZE_CONFIDENT_LLR];
    d->confident_gain = v[CS_K_DIARIZE_CONFIDENT_GAIN];
    /* Pieces shorter than a tenth of a piece are too short to summarise;
     * they are placed by the fitted voices. */
    d->min_summary_frames = d->piece_hops / 10 > 1 ? d->piece_hops / 10 : 1;
    d->agent_second = agent_second;
    d->agent_pitch_st = agent_pitch_hz > 0 ? hz_to_st(agent_pitch_hz) : NAN;
    d->learning = 1;

    const int nb = d->bin_hi - d->bin_lo, dim = d->dim;
    int kmax = d->ubm_k > d->speaker_k ? d->ubm_k : d->speaker_k;
    /* Every piece is followed by silence or is piece_hops long. */
    d->max_pieces = d->learn_frames / 2 + d->learn_frames / d->piece_hops + 2;
    int summaries = d->learn_frames / d->min_summary_frames + 2;
    if (summaries > d->max_pieces)
        summaries = d->max_pieces;
    int64_t ring = next_pow2(d->learn_max_hops + d->piece_hops + 4);
    d->ring_mask = ring - 1;
    d->filters = calloc((size_t)d->nbands * (size_t)nb, sizeof(float));
    d->dct = calloc((size_t)d->ncep * (size_t)d->nbands, sizeof(float));
    d->feat = calloc((size_t)d->learn_frames * (size_t)dim, sizeof(float));
    d->f0_hz = calloc((size_t)d->learn_frames, sizeof(float));
    d->pieces = calloc((size_t)d->max_pieces, sizeof *d->pieces);
    d->ring = calloc((size_t)ring, 1);
    d->hop_llr = calloc((size_t)ring, sizeof(float));
    d->hop_db = calloc((size_t)ring, sizeof(float));
    d->hop_frame = calloc((size_t)ring, sizeof(int));
    d->summary = calloc((size_t)summaries * (size_t)d->ubm_k * (size_t)dim, sizeof(float));
    d->summarised = calloc((size_t)summaries, sizeof(int));
    d->label = calloc((size_t)d->max_pieces, sizeof(int));
    d->best_label = calloc((size_t)d->max_pieces, sizeof(int));
    d->piece_ll = calloc(2 * (size_t)d->max_pieces, sizeof(double));
    d->frame_index = calloc((size_t)d->learn_frames, sizeof(int));
    /* EM sums, or the voices' levels (one value per learnt frame). */
    size_t acc = (size_t)kmax * (1 + 2 * (size_t)dim) + 2 * (size_t)dim;
    if (acc < 2 * (size_t)d->learn_frames)
        acc = 2 * (size_t)d->learn_frames;
    d->acc = calloc(acc, sizeof(double));
    d->post = calloc((size_t)kmax, sizeof(float));
    d->centre = calloc(2 * (size_t)d->ubm_k * (size_t)dim, sizeof(float));
    int err = d->filters && d->dct && d->feat && d->f0_hz && d->pieces && d->ring && d->hop_llr && d->hop_db &&
                      d->hop_frame && d->summary && d->summarised && d->label && d->best_label && d->piece_ll &&
                      d->frame_index && d->acc && d->post && d->centre
                  ? CS_OK
                  : CS_ENOMEM;
    if (err >= 0)
        err = gmm_alloc(&d->ubm, d->ubm_k, dim);
    for (int s = 0; s < 2 && err >= 0; s++)
        if ((err = gmm_alloc(&d->voice[s], d->speaker_k, dim)) >= 0)
            err = gmm_alloc(&d->best[s], d->speaker_k, dim);
    if (err < 0) {
        diarizer_free(d);
        return err;
    }
    /* Triangular mel filters, then the cosine transform of their logs. */
    double mlo = mel_of(lo), mhi = mel_of(hi);
    for (int b = 0; b < d->nbands; b++) {
        double left = hz_of_mel(mlo + (mhi - mlo) * b / (d->nbands + 1));
        double centre = hz_of_mel(mlo + (mhi - mlo) * (b + 1) / (d->nbands + 1));
        double right = hz_of_mel(mlo + (mhi - mlo) * (b + 2) / (d->nbands + 1));
        for (int k = 0; k < nb; k++) {
            double f = (d->bin_lo + k) * bin_hz;
            double w = f < centre ? (f - left) / (centre - left) : (right - f) / (right - centre);
            d->filters[(size_t)b * nb + k] = w > 0 ? (float)w : 0.0f;
        }
    }
    for (int j = 0; j < d->ncep; j++)
        for (int b = 0; b < d->nbands; b++)
            d->dct[(size_t)j * d->nbands + b] = (float)cos(CS_PI * (j + 1) * (b + 0.5) / d->nbands);
    return CS_OK;
}

void diarizer_free(diarizer *d)
{
    free(d->filters);
    free(d->dct);
    free(d->feat);
    free(d->f0_hz);
    free(d->pieces);
    free(d->ring);
    free(d->hop_llr);
    free(d->hop_db);
    free(d->hop_frame);
    free(d->summary);
    free(d->summarised);
    free(d->label);
    free(d->best_label);
    free(d->piece_ll);
    free(d->frame_index);
    free(d->acc);
    free(d->post);
    free(d->centre);
    gmm_free(&d->ubm);
    for (int s = 0; s < 2; s++) {
        gmm_free(&d->voice[s]);
        gmm_free(&d->best[s]);
    }
    memset(d, 0, sizeof *d);
}

int diarizer_max_delay(const diarizer *d) { return d->learn_max_hops + d->piece_hops + 2; }

void diarizer_features(const diarizer *d, const float *power, float *out)
{
    const int nb = d->bin_hi - d->bin_lo;
    float logband[CS_DIARIZE_MAX_BANDS];
    for (int b = 0; b < d->nbands; b++) {
        const float *w = d->filters + (size_t)b * nb, *p = power + d->bin_lo;
        double e = 0;
        for (int k = 0; k < nb; k++)
            e += w[k] * p[k];
        logband[b] = (float)log(e + 1e-12);
    }
    double total = 0;
    for (int b = 0; b < d->nbands; b++)
        total += exp(logband[b]);
    out[d->ncep] = (float)power_to_db(total);
    for (int j = 0; j < d->ncep; j++) {
        const float *c = d->dct + (size_t)j * d->nbands;
        float s = 0;
        for (int b = 0; b < d->nbands; b++)
            s += c[b] * logband[b];
        out[j] = s;
    }
}

int diarizer_space(const diarizer *d)
{
    return (int)(d->ring_mask + 1 - (d->next - d->oldest));
}

/* Slot of the hops of a piece placed with voice v. */
static uint8_t slot_of_voice(const diarizer *d, int v)
{
    return d->single || v == d->agent_voice ? HOP_AGENT : HOP_CUSTOMER;
}

/* The undecided speech hops of [first, last] (bridged pauses stay silent). */
static void mark(diarizer *d, int64_t first, int64_t last, uint8_t what)
{
    for (int64_t i = first; i <= last; i++) {
        uint8_t *h = &d->ring[i & d->ring_mask];
        if (*h == HOP_UNDECIDED || (what == HOP_BOTH && *h != HOP_SILENT))
            *h = what;
    }
}

/* A hop's level smoothed over its neighbours (as power), dB; the hops
 * around it are all in the ring (the caller stays inside a held piece). */
static double smooth_db(const diarizer *d, int64_t hop, int64_t lo, int64_t hi)
{
    double sum = 0;
    int n = 0;
    for (int64_t h = hop - d->smooth_hops; h <= hop + d->smooth_hops; h++)
        if (h >= lo && h <= hi) {
            sum += db_to_power(d->hop_db[h & d->ring_mask]);
            n++;
        }
    return power_to_db(n ? sum / n : 0);
}

/* Where the voice changes between two pieces joined without a pause: the
 * hop that best divides their hops' evidence for the new voice. */
static int64_t change_point(const diarizer *d, int64_t first, int64_t last, int toward)
{
    double sum = 0, lowest = 0;
    int64_t best = first + 1;
    for (int64_t h = first; h < last; h++) {
        double llr = d->hop_llr[h & d->ring_mask];
        sum += toward ? llr : -llr;
        if (sum < lowest) {
            lowest = sum;
            best = h + 1;
        }
    }
    return best;
}

/* Both talk around a change where the mix is louder than either voice
 * alone usually is. */
static void mark_overlap(diarizer *d, int64_t at, int64_t lo, int64_t hi)
{
    double bar = fmax(d->voice_db[0], d->voice_db[1]) + d->overlap_db;
    if (isnan(bar) || smooth_db(d, at, lo, hi) < bar)
        return;
    int64_t a = at, b = at;
    while (a > lo && b - a < d->overlap_max_hops && smooth_db(d, a - 1, lo, hi) >= bar)
        a--;
    while (b < hi && b - a < d->overlap_max_hops && smooth_db(d, b + 1, lo, hi) >= bar)
        b++;
    if (b - a + 1 >= d->overlap_min_hops)
        mark(d, a, b, HOP_BOTH);
}

/* A piece is placed: the one held before it is settled, up to the change
 * point when the voice changes with no pause between them. */
static void settle_piece(diarizer *d, int64_t first, int64_t last, int voice)
{
    if (d->held && !d->single && voice != d->held_voice && first - d->held_last - 1 <= d->bridge_hops) {
        int64_t at = change_point(d, d->held_first, last, voice);
        mark(d, d->held_first, at - 1, slot_of_voice(d, d->held_voice));
        mark_overlap(d, at, d->held_first, last);
        d->held_first = at;
    } else {
        if (d->held)
            mark(d, d->held_first, d->held_last, slot_of_voice(d, d->held_voice));
        d->held_first = first;
    }
    d->held = 1;
    d->held_last = last;
    d->held_voice = voice;
}

static void settle_held(diarizer *d)
{
    if (d->held)
        mark(d, d->held_first, d->held_last, slot_of_voice(d, d->held_voice));
    d->held = 0;
}

/* A piece's summary: the per-component mean shift, relevance-weighted and
 * scaled by the spread and weight, made unit length (a GMM supervector). */
static void summarise(diarizer *d, const diarize_piece *p, float *out)
{
    const int dim = d->dim, k = d->ubm.k;
    double *count = d->acc, *first = d->acc + k;
    memset(d->acc, 0, ((size_t)k + (size_t)k * dim) * sizeof(double));
    for (int i = 0; i < p->frames; i++) {
        const float *x = d->feat + (size_t)(p->first_frame + i) * dim;
        double total = gmm_components(&d->ubm, dim, x, d->post);
        for (int c = 0; c < k; c++) {
            double q = exp(d->post[c] - total);
            count[c] += q;
            for (int j = 0; j < dim; j++)
                first[(size_t)c * dim + j] += q * x[j];
        }
    }
    double norm = 0;
    for (int c = 0; c < k; c++) {
        const float *m = d->ubm.mean + (size_t)c * dim, *iv = d->ubm.inv_var + (size_t)c * dim;
        double weight = 0;
        for (int j = 0; j < dim; j++)
            weight += log(iv[j]);
        /* exp(log_norm) carries the weight times the normaliser; undo the latter. */
        weight = exp(d->ubm.log_norm[c] + 0.5 * (dim * LOG_2PI - weight));
        double scale = sqrt(weight) / (count[c] + d->relevance);
        for (int j = 0; j < dim; j++) {
            double shift = (first[(size_t)c * dim + j] - count[c] * m[j]) * scale * sqrt(iv[j]);
            out[(size_t)c * dim + j] = (float)shift;
            norm += shift * shift;
        }
    }
    norm = norm > 0 ? 1.0 / sqrt(norm) : 0;
    for (int i = 0; i < k * dim; i++)
        out[i] = (float)(out[i] * norm);
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median_of(double *v, int n)
{
    if (n == 0)
        return NAN;
    qsort(v, (size_t)n, sizeof *v, compare_doubles);
    return v[n / 2];
}

static double dot(const float *a, const float *b, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += (double)a[i] * b[i];
    return s;
}

/* Two-way split of the summaries by cosine similarity, from the two given
 * summaries; writes d->label for summarised pieces. */
static void split_summaries(diarizer *d, int nsum, int seed_a, int seed_b, float *centre)
{
    const int len = d->ubm.k * d->dim;
    memcpy(centre, d->summary + (size_t)seed_a * len, (size_t)len * sizeof(float));
    memcpy(centre + len, d->summary + (size_t)seed_b * len, (size_t)len * sizeof(float));
    for (int it = 0; it < SPLIT_PASSES; it++) {
        int changed = 0;
        for (int i = 0; i < nsum; i++) {
            const float *x = d->summary + (size_t)i * len;
            int l = dot(x, centre + len, len) > dot(x, centre, len);
            changed += d->label[d->summarised[i]] != l;
            d->label[d->summarised[i]] = l;
        }
        if (it > 0 && !changed)
            break;
        for (int c = 0; c < 2; c++) {
            float *m = centre + (size_t)c * len;
            memset(m, 0, (size_t)len * sizeof(float));
            for (int i = 0; i < nsum; i++)
                if (d->label[d->summarised[i]] == c)
                    for (int j = 0; j < len; j++)
                        m[j] += d->summary[(size_t)i * len + j];
            double n = sqrt(dot(m, m, len));
            if (n > 0)
                for (int j = 0; j < len; j++)
                    m[j] = (float)(m[j] / n);
        }
    }
}

/* Training frames (every train_step-th) of the pieces labelled v. */
static int frames_of_voice(diarizer *d, int v)
{
    int n = 0;
    for (int p = 0; p < d->npieces; p++) {
        if (d->label[p] != v)
            continue;
        const diarize_piece *pc = &d->pieces[p];
        for (int i = 0; i < pc->frames; i++) {
            int f = pc->first_frame + i;
            if (f % d->train_step == 0)
                d->frame_index[n++] = f;
        }
    }
    return n;
}

/* Log-likelihood of every piece under both voices; relabels the pieces and
 * returns the total of the better one per piece. */
static double place_pieces(diarizer *d)
{
    double total = 0;
    for (int p = 0; p < d->npieces; p++) {
        const diarize_piece *pc = &d->pieces[p];
        double ll[2] = {0, 0};
        for (int i = 0; i < pc->frames; i++) {
            const float *x = d->feat + (size_t)(pc->first_frame + i) * d->dim;
            for (int v = 0; v < 2; v++)
                ll[v] += gmm_loglik(d, &d->voice[v], x);
        }
        d->piece_ll[2 * p] = ll[0];
        d->piece_ll[2 * p + 1] = ll[1];
        d->label[p] = ll[1] > ll[0];
        total += ll[1] > ll[0] ? ll[1] : ll[0];
    }
    return total;
}

/* One start: split, then rounds of refitting the voices and re-placing
 * pieces. Returns the final total log-likelihood, or -INFINITY when a voice
 * ran out of frames. */
static double refine(diarizer *d)
{
    double total = -INFINITY;
    for (int r = 0; r < d->rounds; r++) {
        for (int v = 0; v < 2; v++) {
            int n = frames_of_voice(d, v);
            if (n < FRAMES_PER_COMPONENT)
                return -INFINITY;
            gmm_fit(d, &d->voice[v], d->speaker_k, d->frame_index, n);
        }
        total = place_pieces(d);
    }
    return total;
}

/* A fixed pseudo-random sequence, so results never vary between runs. */
static uint32_t next_random(uint32_t *state)
{
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}

static double median_pitch_st(diarizer *d, int v)
{
    int hist[PITCH_BINS] = {0}, n = 0;
    const double lo_st = hz_to_st(PITCH_LOWEST_HZ);
    for (int p = 0; p < d->npieces; p++) {
        if (d->label[p] != v)
            continue;
        for (int i = 0; i < d->pieces[p].frames; i++) {
            double f = d->f0_hz[d->pieces[p].first_frame + i];
            if (f <= 0)
                continue;
            int b = (int)((hz_to_st(f) - lo_st) * PITCH_BINS_PER_ST);
            if (b >= 0 && b < PITCH_BINS) {
                hist[b]++;
                n++;
            }
        }
    }
    if (n == 0)
        return NAN;
    for (int b = 0, c = 0; b < PITCH_BINS; b++)
        if ((c += hist[b]) * 2 >= n)
            return lo_st + (b + 0.5) / PITCH_BINS_PER_ST;
    return NAN;
}

/* Which voice is the agent: the one matching their usual pitch when it is
 * known, else the first (or second) to speak. */
static void assign_roles(diarizer *d)
{
    /* A click before the greeting is not the first voice. */
    int first = 0;
    while (first + 1 < d->npieces && d->pieces[first].frames < d->min_summary_frames)
        first++;
    d->agent_voice = d->label[first];
    if (d->agent_second)
        d->agent_voice = 1 - d->agent_voice;
    if (!isnan(d->agent_pitch_st)) {
        double p0 = median_pitch_st(d, 0), p1 = median_pitch_st(d, 1);
        if (!isnan(p0) && !isnan(p1))
            d->agent_voice = fabs(p1 - d->agent_pitch_st) < fabs(p0 - d->agent_pitch_st);
    }
}

static void learn(diarizer *d)
{
    d->learning = 0;
    const int dim = d->dim;
    d->single = 1;
    int ntrain = 0;
    for (int f = 0; f < d->nframes; f += d->train_step)
        d->frame_index[ntrain++] = f;
    if (d->npieces >= 2 && ntrain >= 2 * FRAMES_PER_COMPONENT * d->speaker_k) {
        gmm_fit(d, &d->ubm, d->ubm_k, d->frame_index, ntrain);
        int nsum = 0, len = d->ubm.k * dim;
        for (int p = 0; p < d->npieces; p++)
            if (d->pieces[p].frames >= d->min_summary_frames) {
                summarise(d, &d->pieces[p], d->summary + (size_t)nsum * len);
                d->summarised[nsum++] = p;
            }
        double best = -INFINITY;
        if (nsum >= 2) {
            float *centre = d->centre;
            uint32_t rng = 12345;
            for (int r = 0; r < d->restarts; r++) {
                int a, b;
                if (r == 0) {
                    /* The summary least like the average, and the one least like it. */
                    float *mean = centre + len;
                    memset(mean, 0, (size_t)len * sizeof(float));
                    for (int i = 0; i < nsum; i++)
                        for (int j = 0; j < len; j++)
                            mean[j] += d->summary[(size_t)i * len + j];
                    a = b = 0;
                    double lo = INFINITY;
                    for (int i = 0; i < nsum; i++) {
                        double s = dot(d->summary + (size_t)i * len, mean, len);
                        if (s < lo) {
                            lo = s;
                            a = i;
                        }
                    }
                    lo = INFINITY;
                    for (int i = 0; i < nsum; i++) {
                        double s = dot(d->summary + (size_t)i * len, d->summary + (size_t)a * len, len);
                        if (s < lo) {
                            lo = s;
                            b = i;
                        }
                    }
                } else {
                    a = (int)(next_random(&rng) % (uint32_t)nsum);
                    b = (int)(next_random(&rng) % (uint32_t)(nsum - 1));
                    b += b >= a;
                }
                if (a == b)
                    continue;
                /* Unsummarised pieces start with the voice of the one before. */
                split_summaries(d, nsum, a, b, centre);
                for (int p = 0, last = 0; p < d->npieces; p++) {
                    if (d->pieces[p].frames >= d->min_summary_frames)
                        last = d->label[p];
                    else
                        d->label[p] = last;
                }
                double total = refine(d);
                if (total > best) {
                    best = total;
                    for (int v = 0; v < 2; v++)
                        gmm_copy(&d->best[v], &d->voice[v], dim);
                    memcpy(d->best_label, d->label, (size_t)d->npieces * sizeof(int));
                }
            }
        }
        if (best > -INFINITY) {
            for (int v = 0; v < 2; v++)
                gmm_copy(&d->voice[v], &d->best[v], dim);
            memcpy(d->label, d->best_label, (size_t)d->npieces * sizeof(int));
            /* Two voices must each hold a real share and explain the speech
             * better than one model of it all. */
            /* One voice of the same size as each of the two, fitted to all. */
            diarize_gmm *whole = &d->best[0];
            for (int i = 0; i < ntrain; i++)
                d->frame_index[i] = i * d->train_step;
            gmm_fit(d, whole, d->speaker_k, d->frame_index, ntrain);
            double one = 0, frames[2] = {0, 0}, sure = 0;
            for (int f = 0; f < d->nframes; f++)
                one += gmm_loglik(d, whole, d->feat + (size_t)f * dim);
            for (int p = 0; p < d->npieces; p++) {
                int n = d->pieces[p].frames;
                frames[d->label[p]] += n;
                double llr = (d->piece_ll[2 * p + 1] - d->piece_ll[2 * p]) / n;
                if (fabs(llr) >= d->confident_llr)
                    sure += n;
            }
            d->gain = (best - one) / d->nframes;
            double minor = fmin(frames[0], frames[1]) / d->nframes;
            d->single = minor < d->min_share || d->gain < d->min_gain;
            /* Pieces placed with a margin count only as far as the two
             * voices stand apart: one voice split in two, or two alike,
             * also places its pieces clearly. */
            d->confidence = sure / d->nframes * fmin(1.0, fmax(0.0, d->gain / d->confident_gain));
        }
    }
    if (d->single)
        d->agent_voice = 0;
    else
        assign_roles(d);
    /* Each voiced hop's evidence and each voice's usual level, then the
     * pieces are placed in order as they will be from now on. */
    if (!d->single) {
        double *levels[2] = {d->acc, d->acc + d->nframes};
        int count[2] = {0, 0};
        for (int p = 0; p < d->npieces; p++) {
            const diarize_piece *pc = &d->pieces[p];
            for (int64_t h = pc->first_hop; h < pc->first_hop + pc->hops; h++) {
                int f = d->hop_frame[h & d->ring_mask];
                if (f < 0)
                    continue;
                const float *x = d->feat + (size_t)f * dim;
                d->hop_llr[h & d->ring_mask] =
                    (float)(gmm_loglik(d, &d->voice[1], x) - gmm_loglik(d, &d->voice[0], x));
                levels[d->label[p]][count[d->label[p]]++] = d->hop_db[h & d->ring_mask];
            }
        }
        for (int v = 0; v < 2; v++)
            d->voice_db[v] = median_of(levels[v], count[v]);
    }
    for (int p = 0; p < d->npieces; p++)
        settle_piece(d, d->pieces[p].first_hop, d->pieces[p].first_hop + d->pieces[p].hops - 1, d->label[p]);
    d->piece_open = 0;
    d->decided = d->held ? d->held_first : d->next;
}

static void start_piece(diarizer *d, int64_t hop)
{
    d->piece_open = 1;
    d->piece_first = hop;
    d->piece_frames = 0;
    d->piece_llr = 0;
    if (d->learning) {
        diarize_piece *p = &d->pieces[d->npieces++];
        p->first_hop = hop;
        p->first_frame = d->nframes;
        p->frames = 0;
        p->hops = 0;
    }
}

/* While learning, the piece is already in the list; later it is placed. */
static void end_piece(diarizer *d)
{
    if (d->piece_open && !d->learning)
        settle_piece(d, d->piece_first, d->last_speech, d->piece_llr > 0);
    d->piece_open = 0;
}

void diarizer_push(diarizer *d, int speech, const float *feat, double f0_hz)
{
    int64_t hop = d->next++;
    int64_t slot = hop & d->ring_mask;
    d->ring[slot] = speech ? HOP_UNDECIDED : HOP_SILENT;
    d->hop_llr[slot] = 0;
    d->hop_db[slot] = feat[d->ncep];
    d->hop_frame[slot] = -1;
    if (!speech) {
        /* Short pauses stay inside a piece: a voice rarely changes there. */
        if (d->piece_open && hop - d->last_speech > d->bridge_hops)
            end_piece(d);
        if (!d->piece_open && !d->learning && d->held && hop - d->held_last > d->bridge_hops)
            settle_held(d);
    } else {
        if (d->piece_open && d->piece_frames >= d->piece_hops)
            end_piece(d);
        if (!d->piece_open)
            start_piece(d, hop);
        d->piece_frames++;
        d->last_speech = hop;
        /* With pitch, only voiced hops describe the voice: the rest is
         * mostly noise the two parties share. */
        int described = !d->use_pitch || f0_hz > 0;
        float x[CS_DIARIZE_MAX_DIM];
        memcpy(x, feat, (size_t)d->ncep * sizeof(float));
        if (d->use_pitch)
            x[d->ncep] = described ? (float)hz_to_st(f0_hz) : 0.0f;
        if (d->learning) {
            diarize_piece *p = &d->pieces[d->npieces - 1];
            if (described) {
                d->hop_frame[slot] = d->nframes;
                memcpy(d->feat + (size_t)d->nframes * d->dim, x, (size_t)d->dim * sizeof(float));
                d->f0_hz[d->nframes++] = (float)(f0_hz > 0 ? f0_hz : 0);
                p->frames++;
            }
            p->hops = (int)(hop - p->first_hop + 1);
        } else if (!d->single && described) {
            d->hop_llr[slot] = (float)(gmm_loglik(d, &d->voice[1], x) - gmm_loglik(d, &d->voice[0], x));
            d->piece_llr += d->hop_llr[slot];
        }
    }
    if (d->learning) {
        if (++d->hops_seen >= d->learn_max_hops || d->nframes >= d->learn_frames ||
            (d->npieces >= d->max_pieces && !d->piece_open))
            learn(d);
        return;
    }
    d->decided = d->held ? d->held_first : d->piece_open ? d->piece_first : d->next;
}

int diarizer_pull(diarizer *d, int *speakers)
{
    if (d->oldest >= d->decided)
        return 0;
    *speakers = d->ring[d->oldest++ & d->ring_mask];
    return 1;
}

void diarizer_finish(diarizer *d)
{
    if (d->learning)
        learn(d);
    end_piece(d);
    settle_held(d);
    d->decided = d->next;
}
