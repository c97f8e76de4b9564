#include "pitch.h"
#include "dsp_util.h"
#include "profile_keys.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int pitch_init(pitch_tracker *p, const cs_profile *prof, int rate_hz, double hop_s)
{
    memset(p, 0, sizeof *p);
    const double *v = prof->value;
    p->rate_hz = rate_hz;
    p->min_lag = (int)floor(rate_hz / v[CS_K_PITCH_MAX_HZ]);
    p->max_lag = (int)ceil(rate_hz / v[CS_K_PITCH_MIN_HZ]) + 1;
    if (p->min_lag < 2)
        p->min_lag = 2;
    p->window = (int)lround(v[CS_K_PITCH_WINDOW_S] * rate_hz);
    if (p->window < p->max_lag)
        p->window = p->max_lag;
    p->span = p->window + p->max_lag;
    p->dip_pick = v[CS_K_PITCH_DIP_PICK];
    p->voicing = v[CS_K_PITCH_VOICING];
    p->octave_margin = v[CS_K_PITCH_OCTAVE_MARGIN];
    p->octave_slack = v[CS_K_PITCH_OCTAVE_SLACK];
    p->recent_coef = smoothing_coef(v[CS_K_PITCH_RECENT_S], hop_s);
    p->forget_hops = 1 + hops_of(v[CS_K_PITCH_FORGET_S], hop_s);
    p->ring = calloc((size_t)p->span, sizeof *p->ring);
    p->square = calloc((size_t)p->span, sizeof *p->square);
    p->dip = calloc((size_t)p->max_lag + 2, sizeof *p->dip);
    p->head = calloc((size_t)p->max_lag + 2, sizeof *p->head);
    p->tail = calloc((size_t)p->max_lag + 2, sizeof *p->tail);
    p->dips = calloc((size_t)p->max_lag + 2, sizeof *p->dips);
    if (!p->ring || !p->square || !p->dip || !p->head || !p->tail || !p->dips) {
        pitch_free(p);
        return CS_ENOMEM;
    }
    /* Linear, not circular, correlation up to max_lag. */
    int err = cs_fft_new(&p->fft, next_pow2(p->span + p->max_lag));
    if (err >= 0)
        err = cs_fft_enable_inverse(p->fft);
    if (err < 0) {
        pitch_free(p);
        return err;
    }
    return CS_OK;
}

void pitch_free(pitch_tracker *p)
{
    free(p->ring);
    free(p->square);
    free(p->dip);
    free(p->head);
    free(p->tail);
    free(p->dips);
    cs_fft_free(p->fft);
    memset(p, 0, sizeof *p);
}

/* A sum in eight running sums, not one waiting on each addition in turn. */
static double sum_of(const double *x, int n)
{
    double part[8] = {0};
    int i = 0;
    for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; j++)
            part[j] += x[i + j];
    for (; i < n; i++)
        part[0] += x[i];
    return ((part[0] + part[1]) + (part[2] + part[3])) + ((part[4] + part[5]) + (part[6] + part[7]));
}

/* Normalised difference per lag: the mean square of x[j] - x[j+lag] over the
 * overlap, divided by its mean over all shorter lags. */
static void difference_curve(pitch_tracker *p)
{
    const int n = cs_fft_size(p->fft), span = p->span;
    float *restrict x = cs_fft_input(p->fft);
    int first = span - p->ring_pos;
    memcpy(x, p->ring + p->ring_pos, sizeof(float) * (size_t)first);
    memcpy(x + first, p->ring, sizeof(float) * (size_t)p->ring_pos);
    /* The samples as doubles first, for their sum; then their squares. */
    double *restrict square = p->square, *restrict head = p->head, *restrict tail = p->tail;
    for (int i = 0; i < span; i++)
        square[i] = x[i];
    float mean = (float)(sum_of(square, span) / span);
    for (int i = 0; i < span; i++)
        x[i] -= mean;
    /* The overlap of the span with itself shifted by lag leaves out the
     * first lag samples on one side and the last lag on the other: the
     * squares' sum, and their running sums from each end, side by side
     * (neither waits on the other). */
    for (int i = 0; i < span; i++)
        square[i] = (double)x[i] * x[i];
    const double total = sum_of(square, span);
    double from_start = 0, from_end = 0;
    for (int lag = 1; lag <= p->max_lag; lag++) {
        from_start += square[lag - 1];
        from_end += square[span - lag];
        head[lag] = from_start;
        tail[lag] = from_end;
    }
    memset(x + span, 0, sizeof(float) * (size_t)(n - span));
    cs_fft_forward(p->fft, NULL);
    float *restrict c = cs_fft_spectrum(p->fft);
    for (int k = 0; k <= n / 2; k++) {
        float re = c[2 * k], im = c[2 * k + 1];
        c[2 * k] = re * re + im * im;
        c[2 * k + 1] = 0;
    }
    cs_fft_inverse(p->fft); /* x[lag] = n * autocorrelation */
    /* n is a power of two: multiplying by its inverse is dividing by it. */
    const double twice_over_n = 2.0 / n;
    double *restrict dip = p->dip;
    for (int lag = 1; lag <= p->max_lag; lag++) {
        double d = ((total - tail[lag]) + (total - head[lag]) - x[lag] * twice_over_n) / (span - lag);
        dip[lag] = d > 0 ? d : 0;
    }
    /* Cumulative-mean normalisation: dip = d * lag / sum(d[1..lag]). The
     * sums first, then the divisions, which need not wait on them, then the
     * choice: a division inside a choice (it may trap) would not be moved
     * out of it, and the loop would not vectorize. (The head and tail sums
     * are done with: their room is reused.) */
    double *restrict running = head, *restrict scaled = tail;
    double sum = 0;
    for (int lag = 1; lag <= p->max_lag; lag++) {
        sum += dip[lag];
        running[lag] = sum;
    }
    /* (Any divisor but a constant, which the compiler would fold away.) */
    for (int lag = 1; lag <= p->max_lag; lag++)
        scaled[lag] = dip[lag] * lag / (running[lag] > 0 ? running[lag] : lag);
    dip[0] = 1.0;
    for (int lag = 1; lag <= p->max_lag; lag++) {
        double r = running[lag], q = scaled[lag];
        dip[lag] = r > 0 ? q : 1.0;
    }
}

/* The parabola through a dip and its neighbours: where its vertex lies, as
 * a lag, and how deep it goes. A period that falls between two lags is
 * judged by that depth, not by its neighbours' values. */
static double vertex(const pitch_tracker *p, int lag, double *depth)
{
    *depth = p->dip[lag];
    if (lag <= 1 || lag >= p->max_lag)
        return lag;
    double a = p->dip[lag - 1], b = p->dip[lag], c = p->dip[lag + 1];
    double den = a - 2 * b + c;
    if (den <= 0)
        return lag;
    double v = b - (a - c) * (a - c) / (8 * den);
    *depth = v > 0 ? v : 0;
    double shift = 0.5 * (a - c) / den;
    return lag + (shift > 0.5 ? 0.5 : shift < -0.5 ? -0.5 : shift);
}

static double depth_at(const pitch_tracker *p, int lag)
{
    double depth;
    vertex(p, lag, &depth);
    return depth;
}

static int is_dip(const pitch_tracker *p, int lag)
{
    return (p->dip[lag] <= p->dip[lag - 1]) & (p->dip[lag] <= p->dip[lag + 1]);
}

/* The deepest dip within pitch.octave_slack of a lag, or 0. */
static int dip_near(const pitch_tracker *p, double lag)
{
    int lo = (int)floor(lag * exp2(-p->octave_slack)), hi = (int)ceil(lag * exp2(p->octave_slack));
    if (lo < p->min_lag)
        lo = p->min_lag;
    if (hi > p->max_lag - 1)
        hi = p->max_lag - 1;
    int best = 0;
    for (int l = lo; l <= hi; l++)
        if (is_dip(p, l) && (!best || depth_at(p, l) < depth_at(p, best)))
            best = l;
    return best;
}

void pitch_skip(pitch_tracker *p)
{
    p->f0_hz = 0;
    p->depth = 1;
    if (++p->unvoiced_hops > p->forget_hops)
        p->recent_valid = 0;
}

void pitch_compute(pitch_tracker *p)
{
    difference_curve(p);
    /* The dips, shortest period first (listed without a branch, which
     * would be mispredicted at every dip), and the first of the deepest. */
    int deepest = 0, ndips = 0;
    /* The bound in a local: a store through p->dips might change p->max_lag
     * as far as the compiler knows, and it would be read again at every lag. */
    const int max_lag = p->max_lag;
    for (int lag = p->min_lag; lag < max_lag; lag++) {
        p->dips[ndips] = lag;
        ndips += is_dip(p, lag);
    }
    for (int i = 0; i < ndips; i++)
        if (!deepest || p->dip[p->dips[i]] < p->dip[deepest])
            deepest = p->dips[i];
    pitch_skip(p); /* unvoiced until a period is found */
    if (!deepest)
        return;
    /* The bar is the deepest dip's own value: a shorter period between two
     * lags must not lose to it for falling off the grid. */
    const double bar = p->dip[deepest] + p->dip_pick;
    int chosen = deepest;
    for (int i = 0; i < ndips && p->dips[i] < deepest; i++)
        if (depth_at(p, p->dips[i]) <= bar) {
            chosen = p->dips[i];
            break;
        }
    if (p->recent_valid) {
        /* The recent pitch of this voice, as a lag: when the pick is about a
         * half or a double of it and a dip sits there nearly as deep, the
         * pick was a multiple and the recent period is the voice's. */
        double recent_lag = p->rate_hz / exp2(p->recent_log_f0);
        double ratio = log2(recent_lag / chosen);
        if (fabs(fabs(ratio) - 1.0) < p->octave_slack) {
            int alt = dip_near(p, recent_lag);
            if (alt && depth_at(p, alt) <= depth_at(p, chosen) + p->octave_margin)
                chosen = alt;
        }
    }
    double depth;
    double where = vertex(p, chosen, &depth);
    p->depth = depth;
    if (depth >= p->voicing)
        return;
    p->f0_hz = p->rate_hz / where;
    p->unvoiced_hops = 0;
    double l = log2(p->f0_hz);
    if (!p->recent_valid) {
        p->recent_log_f0 = l;
        p->recent_valid = 1;
    } else {
        p->recent_log_f0 = p->recent_coef * p->recent_log_f0 + (1 - p->recent_coef) * l;
    }
}
