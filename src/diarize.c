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

static int gmm_alloc(diarize_gmm *g, int k, int dim, int full)
{
    g->k = k;
    g->full = full;
    g->log_norm = calloc((size_t)k, sizeof(float));
    g->mean = calloc((size_t)k * (size_t)dim, sizeof(float));
    if (full)
        g->whiten = calloc((size_t)dim * (size_t)dim, sizeof(float));
    else
        g->inv_var = calloc((size_t)k * (size_t)dim, sizeof(float));
    return g->log_norm && g->mean && (full ? g->whiten != NULL : g->inv_var != NULL) ? CS_OK : CS_ENOMEM;
}

static void gmm_free(diarize_gmm *g)
{
    free(g->log_norm);
    free(g->mean);
    free(g->inv_var);
    free(g->whiten);
    memset(g, 0, sizeof *g);
}

static void gmm_copy(diarize_gmm *to, const diarize_gmm *from, int dim)
{
    to->k = from->k;
    memcpy(to->log_norm, from->log_norm, (size_t)from->k * sizeof(float));
    memcpy(to->mean, from->mean, (size_t)from->k * (size_t)dim * sizeof(float));
    if (from->full)
        memcpy(to->whiten, from->whiten, (size_t)dim * (size_t)dim * sizeof(float));
    else
        memcpy(to->inv_var, from->inv_var, (size_t)from->k * (size_t)dim * sizeof(float));
}

/* y = whiten x (lower triangular). */
static void whiten_frame(const float *whiten, int dim, const float *x, float *y)
{
    for (int i = 0; i < dim; i++) {
        const float *row = whiten + (size_t)i * dim;
        float s = 0;
        for (int j = 0; j <= i; j++)
            s += row[j] * x[j];
        y[i] = s;
    }
}

/* Per-component log densities of x into out; returns their log sum. */
static double gmm_components(const diarize_gmm *g, int dim, const float *x, float *out)
{
    /* With a shared full covariance the frame is whitened once and the
     * means are kept whitened. */
    float y[CS_DIARIZE_MAX_DIM];
    if (g->full)
        whiten_frame(g->whiten, dim, x, y);
    float top = -FLT_MAX;
    for (int c = 0; c < g->k; c++) {
        const float *m = g->mean + (size_t)c * dim, *iv = g->full ? NULL : g->inv_var + (size_t)c * dim;
        float q = 0;
        for (int j = 0; j < dim; j++) {
            float e = (g->full ? y[j] : x[j]) - m[j];
            q += e * e * (iv ? iv[j] : 1.0f);
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

/* A full covariance (lower triangle of cov, ridged by floor_var) as the
 * inverse of its Cholesky factor; returns the log determinant, or NAN when
 * it is not positive definite (the component then keeps what it had). */
static double set_full_spread(float *whiten, const double *cov, const double *floor_var, int dim)
{
    double chol[CS_DIARIZE_MAX_DIM * CS_DIARIZE_MAX_DIM] = {0};
    double log_det = 0;
    for (int i = 0; i < dim; i++)
        for (int j = 0; j <= i; j++) {
            double s = cov[(size_t)i * dim + j] + (i == j ? floor_var[i] : 0);
            for (int t = 0; t < j; t++)
                s -= chol[i * dim + t] * chol[j * dim + t];
            if (i == j) {
                if (!(s > 0))
                    return NAN;
                chol[i * dim + i] = sqrt(s);
                log_det += 2 * log(chol[i * dim + i]);
            } else {
                chol[i * dim + j] = s / chol[j * dim + j];
            }
        }
    /* Invert the lower-triangular factor column by column. */
    for (int j = 0; j < dim; j++)
        for (int i = 0; i < dim; i++) {
            double s = i == j ? 1 : 0;
            if (i < j) {
                whiten[(size_t)i * dim + j] = 0;
                continue;
            }
            for (int t = j; t < i; t++)
                s -= chol[i * dim + t] * whiten[(size_t)t * dim + j];
            whiten[(size_t)i * dim + j] = (float)(s / chol[i * dim + i]);
        }
    return log_det;
}

/* EM for a mixture of k components (diagonal or full covariances, as g was
 * allocated) on frames idx[0..n), for the given iterations; warm goes on
 * from the mixture g holds when it has as many components. */
static void gmm_fit(diarizer *d, diarize_gmm *g, int k, const int *idx, int n, int iterations, int warm)
{
    const int dim = d->dim;
    if (k > n / FRAMES_PER_COMPONENT)
        k = n / FRAMES_PER_COMPONENT;
    if (k < 1)
        k = 1;
    warm = warm && g->k == k;
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
    /* Start from frames spread evenly through the data, each with the
     * data's own (diagonal) spread. */
    if (g->full && !warm)
        for (int j = 0; j < dim; j++)
            for (int t = 0; t < dim; t++)
                g->whiten[(size_t)j * dim + t] = t == j ? (float)(1.0 / sqrt(var[j])) : 0.0f;
    for (int c = 0; c < k && !warm; c++) {
        const float *x = d->feat + (size_t)idx[(size_t)c * (size_t)n / (size_t)k] * dim;
        for (int j = 0; j < dim; j++) {
            g->mean[(size_t)c * dim + j] = g->full ? (float)(x[j] / sqrt(var[j])) : x[j];
            if (!g->full)
                g->inv_var[(size_t)c * dim + j] = (float)(1.0 / var[j]);
        }
        g->log_norm[c] = (float)(-log((double)k) - 0.5 * (dim * LOG_2PI + log_det));
    }
    const size_t spread = g->full ? (size_t)dim * dim : (size_t)dim;
    double *count = d->acc, *first = d->acc + k, *second = first + (size_t)k * dim;
    for (int it = 0; it < iterations; it++) {
        memset(d->acc, 0, ((size_t)k * (1 + dim + spread)) * sizeof(double));
        for (int i = 0; i < n; i++) {
            const float *x = d->feat + (size_t)idx[i] * dim;
            double total = gmm_components(g, dim, x, d->post);
            for (int c = 0; c < k; c++) {
                double p = exp(d->post[c] - total);
                if (p < 1e-6)
                    continue;
                count[c] += p;
                double *f = first + (size_t)c * dim, *s = second + (size_t)c * spread;
                for (int j = 0; j < dim; j++) {
                    f[j] += p * x[j];
                    if (!g->full)
                        s[j] += p * x[j] * x[j];
                    else
                        for (int t = 0; t <= j; t++)
                            s[(size_t)j * dim + t] += p * x[j] * x[t];
                }
            }
        }
        /* A full covariance is one shared by all components (tied), each
         * around its own mean: the voice's timbre varies with the sounds
         * said, its correlations across the bands much less. */
        double cov[CS_DIARIZE_MAX_DIM * CS_DIARIZE_MAX_DIM], tied_ld = NAN;
        if (g->full) {
            memset(cov, 0, sizeof cov);
            for (int c = 0; c < k; c++) {
                if (count[c] < 1.0)
                    continue;
                const double *f = first + (size_t)c * dim, *sc = second + (size_t)c * spread;
                for (int j = 0; j < dim; j++)
                    for (int t = 0; t <= j; t++)
                        cov[(size_t)j * dim + t] += (sc[(size_t)j * dim + t] - f[j] * f[t] / count[c]) / n;
            }
            tied_ld = set_full_spread(g->whiten, cov, floor_var, dim);
        }
        for (int c = 0; c < k; c++) {
            if (count[c] < 1.0)
                continue; /* an empty component keeps what it had */
            double m[CS_DIARIZE_MAX_DIM], ld = 0;
            for (int j = 0; j < dim; j++)
                m[j] = first[(size_t)c * dim + j] / count[c];
            if (g->full) {
                if (isnan(tied_ld))
                    continue;
                ld = tied_ld;
                float raw[CS_DIARIZE_MAX_DIM], white[CS_DIARIZE_MAX_DIM];
                for (int j = 0; j < dim; j++)
                    raw[j] = (float)m[j];
                whiten_frame(g->whiten, dim, raw, white);
                for (int j = 0; j < dim; j++)
                    m[j] = white[j];
            } else {
                for (int j = 0; j < dim; j++) {
                    double v = second[(size_t)c * dim + j] / count[c] - m[j] * m[j];
                    if (v < floor_var[j])
                        v = floor_var[j];
                    g->inv_var[(size_t)c * dim + j] = (float)(1.0 / v);
                    ld += log(v);
                }
            }
            for (int j = 0; j < dim; j++)
                g->mean[(size_t)c * dim + j] = (float)m[j];
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
    d->short_run_hops = hops_of(v[CS_K_DIARIZE_SHORT_RUN_S], hop_s);
    d->short_run_voiced_hops = hops_of(v[CS_K_DIARIZE_SHORT_RUN_VOICED_S], hop_s);
    d->short_run_llr = v[CS_K_DIARIZE_SHORT_RUN_LLR];
    if (d->piece_hops < 1)
        d->piece_hops = 1;
    d->learn_frames = hops_of(v[CS_K_DIARIZE_LEARN_S], hop_s);
    d->learn_max_hops = hops_of(v[CS_K_DIARIZE_LEARN_MAX_S], hop_s);
    if (d->learn_max_hops < d->learn_frames)
        d->learn_max_hops = d->learn_frames;
    d->ubm_k = (int)lround(v[CS_K_DIARIZE_UBM_COMPONENTS]);
    d->speaker_k = (int)lround(v[CS_K_DIARIZE_SPEAKER_COMPONENTS]);
    d->em_iterations = (int)lround(v[CS_K_DIARIZE_EM_ITERATIONS]);
    d->refit_iterations = (int)lround(v[CS_K_DIARIZE_REFIT_ITERATIONS]);
    d->rounds = (int)lround(v[CS_K_DIARIZE_ROUNDS]);
    d->restarts = (int)lround(v[CS_K_DIARIZE_RESTARTS]);
    d->train_step = (int)lround(v[CS_K_DIARIZE_TRAIN_STEP]);
    d->relevance = v[CS_K_DIARIZE_RELEVANCE];
    d->min_share = v[CS_K_DIARIZE_MIN_SHARE];
    d->min_gain = v[CS_K_DIARIZE_MIN_GAIN];
    d->confident_llr = v[CS_K_DIARIZE_CONFIDENT_LLR];
    d->confident_gain = v[CS_K_DIARIZE_CONFIDENT_GAIN];
    d->rival_agreement = v[CS_K_DIARIZE_RIVAL_AGREEMENT];
    d->confident_rival_gap = v[CS_K_DIARIZE_CONFIDENT_RIVAL_GAP];
    d->confident_speech_s = v[CS_K_DIARIZE_CONFIDENT_SPEECH_S];
    d->confident_hop_agreement = v[CS_K_DIARIZE_CONFIDENT_HOP_AGREEMENT];
    d->hop_s = hop_s;
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
    d->restart_label = calloc((size_t)d->restarts * (size_t)d->max_pieces, 1);
    d->restart_total = calloc((size_t)d->restarts, sizeof(double));
    d->best_label = calloc((size_t)d->max_pieces, sizeof(int));
    d->piece_ll = calloc(2 * (size_t)d->max_pieces, sizeof(double));
    d->frame_index = calloc((size_t)d->learn_frames, sizeof(int));
    /* EM sums (full covariances for the voices), or the voices' levels (one
     * value per learnt frame). */
    size_t acc = (size_t)kmax * (1 + (size_t)dim + (size_t)dim * dim) + 2 * (size_t)dim;
    if (acc < 2 * (size_t)d->learn_frames)
        acc = 2 * (size_t)d->learn_frames;
    d->acc = calloc(acc, sizeof(double));
    d->post = calloc((size_t)kmax, sizeof(float));
    d->centre = calloc(2 * (size_t)d->ubm_k * (size_t)dim, sizeof(float));
    int err = d->filters && d->dct && d->feat && d->f0_hz && d->pieces && d->ring && d->hop_llr && d->hop_db &&
                      d->hop_frame && d->summary && d->summarised && d->label && d->restart_label &&
                      d->restart_total && d->best_label && d->piece_ll &&
                      d->frame_index && d->acc && d->post && d->centre
                  ? CS_OK
                  : CS_ENOMEM;
    if (err >= 0)
        err = gmm_alloc(&d->ubm, d->ubm_k, dim, 0);
    for (int s = 0; s < 2 && err >= 0; s++)
        if ((err = gmm_alloc(&d->voice[s], d->speaker_k, dim, 1)) >= 0)
            err = gmm_alloc(&d->best[s], d->speaker_k, dim, 1);
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
    free(d->restart_label);
    free(d->restart_total);
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

/* The speech of [first, last] goes to voice v, except the one short
 * stretch whose voiced hops most clearly sound like the other voice, when
 * they do so clearly enough: a listener's "mm-hm" in or over the speaker's
 * words, too short or too close to end the piece. */
static void mark_voice(diarizer *d, int64_t first, int64_t last, int v)
{
    if (!d->single && d->short_run_hops > 0) {
        double best = 0;
        int64_t from = -1, to = -1;
        for (int64_t i = first; i <= last; i++) {
            double sum = 0;
            int voiced = 0;
            for (int64_t j = i; j <= last && j - i < d->short_run_hops; j++) {
                double llr = d->hop_llr[j & d->ring_mask];
                if (llr == 0)
                    continue;
                sum += v ? -llr : llr;
                voiced++;
                if (sum > best && voiced >= d->short_run_voiced_hops && sum >= d->short_run_llr * voiced) {
                    best = sum;
                    from = i;
                    to = j;
                }
            }
        }
        if (from >= 0 && (from > first || to < last))
            mark(d, from, to, slot_of_voice(d, 1 - v));
    }
    mark(d, first, last, slot_of_voice(d, v));
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
        mark_voice(d, d->held_first, at - 1, d->held_voice);
        mark_overlap(d, at, d->held_first, last);
        d->held_first = at;
    } else {
        if (d->held)
            mark_voice(d, d->held_first, d->held_last, d->held_voice);
        d->held_first = first;
    }
    d->held = 1;
    d->held_last = last;
    d->held_voice = voice;
}

static void settle_held(diarizer *d)
{
    if (d->held)
        mark_voice(d, d->held_first, d->held_last, d->held_voice);
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
 * returns the total of the better one per piece; *moved counts the pieces
 * that changed voice. */
static double place_pieces(diarizer *d, int *moved)
{
    double total = 0;
    *moved = 0;
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
        *moved += d->label[p] != (ll[1] > ll[0]);
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
            /* Later rounds go on from the voice the round before left. */
            gmm_fit(d, &d->voice[v], d->speaker_k, d->frame_index, n, r ? d->refit_iterations : d->em_iterations,
                    r > 0);
        }
        /* Once no piece moves, refitting would give the same voices. */
        int moved;
        total = place_pieces(d, &moved);
        if (!moved)
            break;
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

/* How much likelier per frame the kept split is than the likeliest start
 * that ended in a different split (agreeing on less than rival_agreement
 * of the frames either way round); infinite when every start agreed. */
static double rival_gap(const diarizer *d, double best)
{
    double gap = INFINITY, frames = 0;
    for (int p = 0; p < d->npieces; p++)
        frames += d->pieces[p].frames;
    for (int r = 0; r < d->restarts; r++) {
        if (!(d->restart_total[r] > -INFINITY))
            continue;
        double same = 0;
        for (int p = 0; p < d->npieces; p++)
            same += d->pieces[p].frames * (d->restart_label[(size_t)r * d->max_pieces + p] == d->label[p]);
        double agree = fmax(same, frames - same) / (frames > 0 ? frames : 1);
        if (agree < d->rival_agreement)
            gap = fmin(gap, (best - d->restart_total[r]) / d->nframes);
    }
    return gap;
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
        gmm_fit(d, &d->ubm, d->ubm_k, d->frame_index, ntrain, d->em_iterations, 0);
        int nsum = 0, len = d->ubm.k * dim;
        for (int p = 0; p < d->npieces; p++)
            if (d->pieces[p].frames >= d->min_summary_frames) {
                summarise(d, &d->pieces[p], d->summary + (size_t)nsum * len);
                d->summarised[nsum++] = p;
            }
        double best = -INFINITY;
        for (int r = 0; r < d->restarts; r++)
            d->restart_total[r] = -INFINITY;
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
                d->restart_total[r] = total;
                for (int p = 0; p < d->npieces; p++)
                    d->restart_label[(size_t)r * d->max_pieces + p] = (uint8_t)d->label[p];
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
            gmm_fit(d, whole, d->speaker_k, d->frame_index, ntrain, d->em_iterations, 0);
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
             * voices stand apart (one voice split in two, or two alike, also
             * places its pieces clearly), as far as no different split
             * explains the speech nearly as well, and as far as there was
             * enough speech to learn from. */
            double apart = fmin(1.0, fmax(0.0, d->gain / d->confident_gain));
            double rival = fmin(1.0, rival_gap(d, best) / d->confident_rival_gap);
            double heard = sqrt(fmin(1.0, d->nframes * d->hop_s / d->confident_speech_s));
            d->confidence = sure / d->nframes * apart * rival * heard;
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
        double agree = 0, described = 0;
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
                agree += (d->hop_llr[h & d->ring_mask] > 0) == d->label[p];
                described++;
            }
        }
        for (int v = 0; v < 2; v++)
            d->voice_db[v] = median_of(levels[v], count[v]);
        /* Two voices make each hop of a piece sound like the piece's voice;
         * one voice cut in two by what is being said leaves many hops on
         * the other side. */
        double share = described > 0 ? agree / described : 1.0;
        d->confidence *= fmin(1.0, fmax(0.0, (share - 0.5) / (d->confident_hop_agreement - 0.5)));
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
