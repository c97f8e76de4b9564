#include "laughter.h"
#include "dsp_util.h"
#include "profile_keys.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Windows are searched every this many hops: bursts are 0.14 s or more
 * apart, so every bout is seen whole by several windows, at a fifth of the
 * cost of searching at every hop. */
#define STEP_HOPS 5

int laughter_init(laughter_detector *d, const cs_profile *prof, int nchannels, int nspeakers, int hop, double hop_s)
{
    memset(d, 0, sizeof *d);
    const double *v = prof->value;
    d->nchannels = nchannels;
    d->nspeakers = nspeakers;
    d->hop = hop;
    d->half = hops_of(0.5 * v[CS_K_LAUGHTER_WINDOW_S], hop_s);
    if (d->half < 2)
        d->half = 2;
    d->min_gap = hops_of(1.0 / v[CS_K_LAUGHTER_MAX_RATE_HZ], hop_s);
    d->max_gap = hops_of(1.0 / v[CS_K_LAUGHTER_MIN_RATE_HZ], hop_s);
    /* A burst is the loudest hop of half its shortest spacing either way. */
    d->peak_hops = d->min_gap / 2 > 1 ? d->min_gap / 2 : 1;
    d->dip_hops = d->max_gap;
    d->min_bursts = (int)lround(v[CS_K_LAUGHTER_MIN_BURSTS]);
    d->call_max_hops = hops_of(v[CS_K_LAUGHTER_CALL_MAX_S], hop_s);
    d->dip_db = v[CS_K_LAUGHTER_DIP_DB];
    d->range_db = v[CS_K_LAUGHTER_RANGE_DB];
    d->gate_db = v[CS_K_LAUGHTER_GATE_DB];
    d->rhythm_cv = v[CS_K_LAUGHTER_RHYTHM_CV];
    d->rise_st = v[CS_K_LAUGHTER_PITCH_RISE_ST];
    d->ref_coef = smoothing_coef(v[CS_K_LAUGHTER_PITCH_MEMORY_S], hop_s);
    d->min_run = hops_of(v[CS_K_LAUGHTER_MIN_S], hop_s);
    d->bridge = hops_of(v[CS_K_LAUGHTER_GAP_S], hop_s);
    d->window = calloc((size_t)(2 * d->half + 1), sizeof *d->window);
    if (!d->window)
        return CS_ENOMEM;
    for (int c = 0; c < nchannels; c++) {
        d->ch[c].ring = calloc((size_t)(2 * d->half + 1), sizeof *d->ch[c].ring);
        d->ch[c].inside = calloc((size_t)(2 * d->half + 1), sizeof *d->ch[c].inside);
        if (!d->ch[c].ring || !d->ch[c].inside) {
            laughter_free(d);
            return CS_ENOMEM;
        }
    }
    return CS_OK;
}

void laughter_free(laughter_detector *d)
{
    for (int c = 0; c < CS_MAX_SPEAKERS; c++) {
        free(d->ch[c].ring);
        free(d->ch[c].inside);
    }
    free(d->window);
    memset(d, 0, sizeof *d);
}

int laughter_delay(const laughter_detector *d) { return 2 * d->half; }

int laughter_max_events_per_hop(void) { return CS_MAX_SPEAKERS; }

/* Hop i of the window w[0..len) is a burst: the loudest of its
 * neighbourhood, near the window's loudest, with a dip of dip_db on both
 * sides before the next burst could come. */
static int is_burst(const laughter_detector *d, const laughter_hop *w, int len, int i, double top_db)
{
    double e = w[i].level_db;
    if (!w[i].loud || e < top_db - d->range_db)
        return 0;
    double left = e, right = e;
    for (int k = 1; k <= d->dip_hops; k++) {
        /* Past the peak's neighbourhood, a side whose dip is deep enough
         * already can only get deeper: the answer is known. */
        if (k > d->peak_hops && e - left >= d->dip_db && e - right >= d->dip_db)
            return 1;
        if (i - k >= 0) {
            double l = w[i - k].level_db;
            /* Ties go to the earlier hop, so a flat top counts once. */
            if (k <= d->peak_hops && l >= e)
                return 0;
            left = l < left ? l : left;
        }
        if (i + k < len) {
            double r = w[i + k].level_db;
            if (k <= d->peak_hops && r > e)
                return 0;
            right = r < right ? r : right;
        }
    }
    return e - left >= d->dip_db && e - right >= d->dip_db;
}

/* The voiced run through hop i of the window, in hops. */
static int voiced_run(const laughter_hop *w, int len, int i)
{
    if (!(w[i].f0_hz > 0))
        return 0;
    int a = i, b = i;
    while (a > 0 && w[a - 1].f0_hz > 0)
        a--;
    while (b < len - 1 && w[b + 1].f0_hz > 0)
        b++;
    return b - a + 1;
}

/* The window w[0..len) holds a bout of laughter: returns 1 and its first and
 * last bursts (indices into w), or 0. */
static int bout_in_window(const laughter_detector *d, const laughter_channel *ch, const laughter_hop *w, int len,
                          int *from, int *to)
{
    double top = -INFINITY;
    for (int i = 0; i < len; i++)
        if (w[i].loud && w[i].level_db > top)
            top = w[i].level_db;
    if (!isfinite(top))
        return 0;
    int burst[64];
    int n = 0;
    for (int i = 0; i < len && n < 64; i++)
        if (is_burst(d, w, len, i, top))
            burst[n++] = i;
    if (n < d->min_bursts)
        return 0;
    double sum = 0, sq = 0;
    int voiced = 0;
    float f0[64];
    for (int k = 0; k < n; k++) {
        if (k > 0) {
            int gap = burst[k] - burst[k - 1];
            if (gap < d->min_gap || gap > d->max_gap)
                return 0;
            sum += (double)gap;
            sq += (double)gap * (double)gap;
            /* A breath or an "h" between calls: voicing stops. */
            int breaks = 0;
            for (int i = burst[k - 1] + 1; i < burst[k] && !breaks; i++)
                breaks = !(w[i].f0_hz > 0);
            if (!breaks)
                return 0;
        }
        if (voiced_run(w, len, burst[k]) > d->call_max_hops)
            return 0;
        if (w[burst[k]].f0_hz > 0)
            f0[voiced++] = w[burst[k]].f0_hz;
    }
    double mean = sum / (n - 1), var = sq / (n - 1) - mean * mean;
    if (sqrt(var > 0 ? var : 0) > d->rhythm_cv * mean)
        return 0;
    if (voiced) {
        /* Voiced calls sit well above the voice the speaker has had lately. */
        for (int i = 1; i < voiced; i++)
            for (int j = i; j > 0 && f0[j - 1] > f0[j]; j--) {
                float t = f0[j];
                f0[j] = f0[j - 1];
                f0[j - 1] = t;
            }
        double median = voiced % 2 ? f0[voiced / 2] : 0.5 * (f0[voiced / 2 - 1] + f0[voiced / 2]);
        if (voiced < n - voiced || !ch->ref_known || hz_to_st(median) < ch->ref_st + d->rise_st)
            return 0;
    }
    *from = burst[0];
    *to = burst[n - 1];
    return 1;
}

int laughter_feed(laughter_detector *d, int c, double level_db, double f0_hz, double floor_db, int64_t *hop,
                  int *laughing)
{
    laughter_channel *ch = &d->ch[c];
    laughter_hop *h = &ch->ring[ch->fed % (2 * d->half + 1)];
    h->level_db = (float)level_db;
    h->f0_hz = (float)(f0_hz > 0 ? f0_hz : 0);
    h->loud = level_db >= floor_db + d->gate_db;
    const int span = 2 * d->half + 1;
    ch->inside[ch->fed % span] = 0;
    ch->fed++;
    int64_t first = ch->fed - span;
    int from, to;
    if (first >= 0 && first % STEP_HOPS == 0) {
        /* The window in time order, so the search indexes it directly. */
        laughter_hop *w = d->window;
        int head = (int)(first % span);
        memcpy(w, ch->ring + head, (size_t)(span - head) * sizeof *w);
        memcpy(w + (span - head), ch->ring, (size_t)head * sizeof *w);
        if (bout_in_window(d, ch, w, span, &from, &to))
            for (int i = from; i <= to; i++)
                ch->inside[(first + i) % span] = 1;
    }
    /* Every window holding this hop has been seen. */
    int64_t decided = ch->fed - span;
    if (decided < 0)
        return 0;
    *hop = decided;
    *laughing = ch->inside[decided % span];
    /* The speaker's recent pitch, from voiced hops that are not laughter. */
    const laughter_hop *m = &ch->ring[decided % span];
    if (m->f0_hz > 0 && !*laughing) {
        double st = hz_to_st(m->f0_hz);
        ch->ref_st = ch->ref_known ? d->ref_coef * ch->ref_st + (1 - d->ref_coef) * st : st;
        ch->ref_known = 1;
    }
    return 1;
}

static void close_run(laughter_detector *d, int s, event_queue *q)
{
    laughter_run *r = &d->run[s];
    if (r->open && r->last + 1 - r->first >= d->min_run) {
        cs_event ev = {CS_EVENT_LAUGHTER, s, -1, r->first * d->hop, (r->last + 1) * d->hop, 0, 0};
        event_queue_push(q, &ev);
    }
    r->open = 0;
}

void laughter_final(laughter_detector *d, int64_t hop, const int *active, const int *laughing, event_queue *q)
{
    for (int s = 0; s < d->nspeakers; s++) {
        laughter_run *r = &d->run[s];
        if (active[s] && laughing[s]) {
            if (r->open && hop - r->last - 1 > d->bridge)
                close_run(d, s, q);
            if (!r->open) {
                r->open = 1;
                r->first = hop;
            }
            r->last = hop;
        } else if (r->open && hop - r->last > d->bridge) {
            close_run(d, s, q);
        }
    }
}

void laughter_finish(laughter_detector *d, event_queue *q)
{
    for (int s = 0; s < d->nspeakers; s++)
        close_run(d, s, q);
}
