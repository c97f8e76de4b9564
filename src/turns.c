#include "turns.h"
#include "dsp_util.h"
#include "profile_keys.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NO_HOP INT64_MIN

/* Ring cells hold ACTIVE and HOLD bits. */
enum { ACTIVE = 1, HOLD = 2 };

static int cell(const turns *t, int s, int64_t h)
{
    if (s < 0 || s >= t->nspeakers || h < 0 || h >= t->end_hop || h > t->newest)
        return 0;
    return t->ring[s][h & t->ring_mask];
}

static int act(const turns *t, int s, int64_t h) { return cell(t, s, h) & ACTIVE; }

/* First hop of the run of s containing h (bounded by the lookback). */
static int64_t run_start_of(const turns *t, int s, int64_t h)
{
    int64_t limit = t->next_decide - t->lookback;
    while (h - 1 >= limit && h - 1 >= 0 && act(t, s, h - 1))
        h--;
    return h;
}

/* End of the chain of s's speech starting at active hop h: runs joined
 * across pauses shorter than `gap`. Stops at the known future; a chain still
 * going there ends beyond it. */
static int64_t chain_end_of(const turns *t, int s, int64_t h, int gap)
{
    int64_t last_active = h, limit = t->newest < t->end_hop ? t->newest : t->end_hop - 1;
    for (int64_t x = h + 1; x <= limit && x - last_active <= gap; x++)
        if (act(t, s, x))
            last_active = x;
    if (limit < t->end_hop - 1 && limit - last_active < gap)
        return INT64_MAX / 4; /* still talking at the horizon */
    return last_active + 1;
}

/* Any activity of s in [a, b)? */
static int any_active(const turns *t, int s, int64_t a, int64_t b)
{
    for (int64_t x = a; x < b; x++)
        if (act(t, s, x))
            return 1;
    return 0;
}

static void emit(turns *t, cs_event_type type, int s, int other, int64_t a, int64_t b, double value, int tier)
{
    turns_output o;
    memset(&o, 0, sizeof o);
    o.final_hop = -1;
    o.event = (cs_event){type, s, other, a * t->hop_samples, b * t->hop_samples, value, tier};
    event_queue_put(&t->out, &o);
}

int turns_max_events_per_hop(void)
{
    /* per speaker: segment, onset event, monologue, two turns, response,
     * hold; plus dead air */
    return CS_MAX_SPEAKERS * 7 + 1;
}

static void load_params(turn_params *p, const cs_profile *prof, double hop_s)
{
    const double *v = prof->value;
    p->chain_gap = hops_of(v[CS_K_BACKCHANNEL_GAP_S], hop_s);
    p->merge = hops_of(v[CS_K_TURN_MERGE_S], hop_s);
    p->min_prior = hops_of(v[CS_K_INTERRUPTION_MIN_PRIOR_S], hop_s);
    p->stop_within = hops_of(v[CS_K_INTERRUPTION_STOP_WITHIN_S], hop_s);
    p->min_keep = hops_of(v[CS_K_INTERRUPTION_MIN_KEEP_S], hop_s);
    p->coop_stop = hops_of(v[CS_K_OVERLAP_COOP_STOP_S], hop_s);
    p->bc_max = hops_of(v[CS_K_BACKCHANNEL_MAX_S], hop_s);
    p->bc_hold = hops_of(v[CS_K_BACKCHANNEL_HOLD_S], hop_s);
    p->overtalk_min = hops_of(v[CS_K_OVERTALK_MIN_S], hop_s);
    p->dead1 = hops_of(v[CS_K_DEAD_AIR_TIER1_S], hop_s);
    p->dead2 = hops_of(v[CS_K_DEAD_AIR_TIER2_S], hop_s);
    p->mono_pause = hops_of(v[CS_K_MONOLOGUE_PAUSE_S], hop_s);
    p->mono_break = hops_of(v[CS_K_MONOLOGUE_BREAK_S], hop_s);
    p->rushed_gap = hops_of(v[CS_K_RUSHED_MAX_GAP_S], hop_s);
    p->rushed_turn = hops_of(v[CS_K_RUSHED_MIN_TURN_S], hop_s);
    p->hold_min = hops_of(v[CS_K_HOLD_MIN_S], hop_s);
}

static int max_of(int a, int b) { return a > b ? a : b; }

int turns_init(turns *t, const cs_profile *prof, int nspeakers, int hop_samples, double hop_s, int pad_hops,
               int tail_hops)
{
    memset(t, 0, sizeof *t);
    load_params(&t->p, prof, hop_s);
    t->p.pad = pad_hops;
    t->p.tail = tail_hops;
    t->nspeakers = nspeakers;
    t->hop_samples = hop_samples;
    t->hop_s = hop_s;
    const turn_params *p = &t->p;
    /* The future a decision at hop y looks at, and the past it looks back on. */
    t->horizon = max_of(max_of(p->stop_within, p->min_keep), p->bc_max + p->chain_gap) + max_of(p->merge, p->chain_gap) +
                 max_of(p->bc_hold, p->mono_break) + 2;
    t->lookback = max_of(p->mono_pause, p->merge) + max_of(p->mono_break, p->min_prior) + p->bc_max + 2;
    /* ...and far enough ahead to see a hold stretch through: hold.min_s after
     * the moment it is recognised, which takes the steadiness lag plus about
     * three time constants of its average. */
    int recognise = hops_of(prof->value[CS_K_HOLD_LAG_S] + 3 * prof->value[CS_K_HOLD_SMOOTH_S], hop_s);
    t->horizon = max_of(t->horizon, p->hold_min + recognise + 2);
    int size = 1;
    while (size < t->horizon + t->lookback + 2)
        size <<= 1;
    t->ring_mask = size - 1;
    double hist_max = prof->value[CS_K_LATENCY_HIST_MAX_S];
    /* Emptied after every step: one decided hop and what it closes. */
    if (event_queue_init_items(&t->out, 1 + (size_t)turns_max_events_per_hop(), sizeof(turns_output)) < 0)
        return CS_ENOMEM;
    for (int s = 0; s < nspeakers; s++) {
        t->ring[s] = calloc((size_t)size, 1);
        /* 10 ms bins from -5 s (overlapping hand-overs) to hist_max. */
        int err = t->ring[s] ? histogram_init(&t->spk[s].latency, -5.0, hist_max, (int)lround((hist_max + 5.0) * 100))
                             : CS_ENOMEM;
        if (err < 0) {
            turns_free(t);
            return CS_ENOMEM;
        }
    }
    turns_reset(t);
    return CS_OK;
}

void turns_free(turns *t)
{
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        free(t->ring[s]);
        t->ring[s] = NULL;
        histogram_free(&t->spk[s].latency);
    }
    event_queue_free(&t->out);
}

void turns_reset(turns *t)
{
    for (int s = 0; s < t->nspeakers; s++) {
        memset(t->ring[s], 0, (size_t)t->ring_mask + 1);
        speaker_track *k = &t->spk[s];
        histogram hist = k->latency;
        histogram_reset(&hist);
        memset(k, 0, sizeof *k);
        k->latency = hist;
        k->bc_until = -1;
        k->hold_start = k->hold_origin = -1;
        k->last_turn_start = -1;
        k->pending_response = -1;
    }
    t->newest = -1;
    t->next_decide = 0;
    t->end_hop = INT64_MAX / 2;
    t->closed = 0;
    event_queue_reset(&t->out);
    t->any_speech = 0;
    t->silence_run = t->silence_hops = t->longest_silence = t->overlap_hops = 0;
    t->dead_air = t->dead_air2 = t->interruptions = t->backchannels = t->overlaps = t->overtalks = 0;
    t->holds = 0;
    t->longest_mono = 0;
    t->longest_mono_speaker = -1;
}

/* ---- hold ---- */

/* Does a stretch of hold of at least hold_min hops start at x? A stretch
 * still going at the known future counts. */
static int long_hold_at(const turns *t, int s, int64_t x)
{
    int64_t e = x;
    while (e <= t->newest && e - x < t->p.hold_min && (cell(t, s, e) & HOLD))
        e++;
    return e - x >= t->p.hold_min || (e > t->newest && e > x);
}

/* Music or a tone takes a moment to be told from speech; a spurt that runs
 * straight into a long stretch recognised as hold is its start, not speech,
 * and the hold is taken to begin with it. */
static void drop_hold_onset(turns *t, int s, int64_t y)
{
    int64_t e = y;
    while (e <= t->newest && act(t, s, e))
        e++;
    for (int64_t x = y; x <= e + 1 && x <= t->newest; x++)
        if ((cell(t, s, x) & HOLD) && long_hold_at(t, s, x)) {
            for (int64_t z = y; z < e; z++)
                t->ring[s][z & t->ring_mask] &= (uint8_t)~ACTIVE;
            t->spk[s].hold_origin = y;
            return;
        }
}

static void step_hold(turns *t, int s, int64_t y)
{
    speaker_track *k = &t->spk[s];
    int now = cell(t, s, y) & HOLD;
    if (now && k->hold_start < 0) {
        k->hold_start = k->hold_origin >= 0 && k->hold_origin < y ? k->hold_origin : y;
        k->hold_origin = -1;
    } else if (!now && k->hold_start >= 0) {
        if (y - k->hold_start >= t->p.hold_min) {
            emit(t, CS_EVENT_HOLD, s, -1, k->hold_start, y, (double)(y - k->hold_start) * t->hop_s, 0);
            t->holds++;
        }
        k->hold_start = -1;
    }
}

/* ---- overlap classification (docs/metrics.md, Turn-taking) ---- */

/* A new burst of b starts at y: decide what it is to the other speaker a.
 * Returns 1 when it is a backchannel (so it is kept out of turns). */
static int classify_onset(turns *t, int b, int64_t y)
{
    const turn_params *p = &t->p;
    int a = 1 - b;
    if (t->nspeakers < 2)
        return 0;
    int64_t b_end = chain_end_of(t, b, y, p->chain_gap);
    int a_now = act(t, a, y);
    int64_t a_stop = a_now ? chain_end_of(t, a, y, p->chain_gap) : NO_HOP;
    /* Durations are measured without the segments' padding: a burst loses
     * both pads; the other's stop delay loses the tail held on its end (the
     * newcomer's early start is kept, so a late stop is never missed). */
    int64_t burst = b_end - y - p->pad;
    int64_t stop_delay = a_now ? a_stop - y - p->tail : 0;
    /* Segments that meet only through their padding are a hand-over, not
     * an overlap. */
    if (a_now && a_stop - y <= p->pad)
        a_now = 0;

    if (burst <= p->bc_max) {
        /* The other holds the floor around the burst: spoke just before it
         * (a pause between sentences is fine) and goes on past bc_hold. */
        int spoke_before = a_now || any_active(t, a, y - p->merge, y);
        int goes_on = act(t, a, y + p->bc_hold) ||
                      (any_active(t, a, y, y + p->bc_hold + 1) &&
                       any_active(t, a, y + p->bc_hold, y + p->bc_hold + p->merge));
        if (spoke_before && goes_on) {
            emit(t, CS_EVENT_BACKCHANNEL, b, a, y, b_end, (double)(b_end - y) * t->hop_s, 0);
            t->spk[b].backchannels++;
            t->backchannels++;
            return 1;
        }
        if (a_now && stop_delay < p->coop_stop) {
            emit(t, CS_EVENT_OVERLAP, b, a, y, a_stop, (double)stop_delay * t->hop_s, 0);
            t->overlaps++;
        }
        return 0;
    }
    if (!a_now)
        return 0;
    if (stop_delay < p->coop_stop) {
        emit(t, CS_EVENT_OVERLAP, b, a, y, a_stop, (double)stop_delay * t->hop_s, 0);
        t->overlaps++;
    } else if (stop_delay <= p->stop_within && burst >= p->min_keep && y - run_start_of(t, a, y) >= p->min_prior) {
        emit(t, CS_EVENT_INTERRUPTION, b, a, y, a_stop, (double)stop_delay * t->hop_s, 0);
        t->spk[b].interruptions++;
        t->interruptions++;
    } else {
        int64_t both = 0, until = a_stop < b_end ? a_stop : b_end;
        int64_t limit = t->newest < until ? t->newest + 1 : until;
        for (int64_t x = y; x < limit; x++)
            both += act(t, a, x) && act(t, b, x);
        if (both >= p->overtalk_min) {
            emit(t, CS_EVENT_OVERTALK, b, a, y, limit, (double)both * t->hop_s, 0);
            t->spk[b].overtalks++;
            t->overtalks++;
        }
    }
    return 0;
}

/* ---- turns and response latency ---- */

static void close_turn(turns *t, int s)
{
    speaker_track *k = &t->spk[s];
    if (!k->in_turn)
        return;
    k->in_turn = 0;
    int64_t len = k->turn_end - k->turn_start;
    emit(t, CS_EVENT_TURN, s, -1, k->turn_start, k->turn_end, (double)len * t->hop_s, 0);
    k->turns++;
    if (len > k->longest_turn)
        k->longest_turn = len;
    /* The other started over this turn and is waiting to learn its gap. */
    if (t->nspeakers > 1) {
        speaker_track *o = &t->spk[1 - s];
        if (o->pending_response >= 0) {
            /* The gap lies between the sounds, without the segments' padding:
             * padded, a quick reply's segment starts before the turn it
             * answers has ended. The event spans the gap, or the overlap of
             * a hand-over that overlaps, so it never ends before it starts. */
            int64_t last_sound = k->turn_end - t->p.tail;
            int64_t reply_sound = o->pending_response + (t->p.pad - t->p.tail);
            int64_t gap = reply_sound - last_sound;
            int long_turn = len >= t->p.rushed_turn;
            int fast = gap < t->p.rushed_gap;
            emit(t, CS_EVENT_RESPONSE, 1 - s, s, gap >= 0 ? last_sound : reply_sound,
                 gap >= 0 ? reply_sound : last_sound, (double)gap * t->hop_s, long_turn);
            o->responses++;
            o->fast += fast;
            o->rushed += fast && long_turn;
            histogram_add(&o->latency, (double)gap * t->hop_s);
            o->pending_response = -1;
        }
    }
}

static void open_turn(turns *t, int s, int64_t y)
{
    speaker_track *k = &t->spk[s];
    k->in_turn = 1;
    k->turn_start = y;
    k->turn_end = y + 1;
    k->pending_response = -1;
    if (t->nspeakers > 1) {
        int o = 1 - s;
        speaker_track *ko = &t->spk[o];
        /* A response only when the floor was the other's most recently. */
        if (ko->last_turn_start > k->last_turn_start) {
            k->pending_response = y;
            /* Taking the floor during the other's pause ends their turn now. */
            if (ko->in_turn && !act(t, o, y))
                close_turn(t, o);
        }
    }
    k->last_turn_start = y;
}

static void step_turn(turns *t, int s, int64_t y, int is_bc_onset)
{
    speaker_track *k = &t->spk[s];
    int now = act(t, s, y);
    int in_bc = y < k->bc_until;
    if (is_bc_onset)
        return;
    if (now && !in_bc) {
        if (!k->in_turn) {
            open_turn(t, s, y);
        } else if (!act(t, s, y - 1) && t->nspeakers > 1 && t->spk[1 - s].in_turn &&
                   t->spk[1 - s].turn_start > k->turn_start) {
            /* The other took the floor during our pause: a new turn. */
            close_turn(t, s);
            open_turn(t, s, y);
        }
        k->turn_end = y + 1;
    } else if (k->in_turn && y - k->turn_end >= t->p.merge) {
        close_turn(t, s);
    }
}

/* ---- monologues ---- */

/* Does the other speak in one run of at least mono_break within [a, b)? */
static int other_speaks_long(const turns *t, int o, int64_t a, int64_t b)
{
    for (int64_t x = a; x < b; x++) {
        if (!act(t, o, x))
            continue;
        int64_t start = run_start_of(t, o, x), end = x;
        while (act(t, o, end) && end - start < t->p.mono_break)
            end++;
        if (end - start >= t->p.mono_break)
            return 1;
        x = end;
    }
    return 0;
}

static void close_mono(turns *t, int s)
{
    speaker_track *k = &t->spk[s];
    k->in_mono = 0;
    int64_t len = k->mono_end - k->mono_start;
    emit(t, CS_EVENT_MONOLOGUE, s, -1, k->mono_start, k->mono_end, (double)len * t->hop_s, 0);
    if (len > k->longest_mono)
        k->longest_mono = len;
    if (len > t->longest_mono) {
        t->longest_mono = len;
        t->longest_mono_speaker = s;
    }
}

static void step_mono(turns *t, int s, int64_t y)
{
    speaker_track *k = &t->spk[s];
    if (act(t, s, y)) {
        if (k->in_mono && !act(t, s, y - 1) && t->nspeakers > 1 &&
            other_speaks_long(t, 1 - s, k->mono_end, y))
            close_mono(t, s);
        if (!k->in_mono) {
            k->in_mono = 1;
            k->mono_start = y;
        }
        k->mono_end = y + 1;
    } else if (k->in_mono && y - k->mono_end + 1 >= t->p.mono_pause) {
        close_mono(t, s);
    }
}

/* ---- silence ---- */

static void step_silence(turns *t, int64_t y, int anyone)
{
    if (!anyone) {
        if (t->any_speech)
            t->silence_run++;
        return;
    }
    int64_t run = t->silence_run;
    if (run > 0) {
        t->silence_hops += run;
        if (run > t->longest_silence)
            t->longest_silence = run;
        if (run >= t->p.dead1) {
            int tier = run >= t->p.dead2 ? 2 : 1;
            emit(t, CS_EVENT_DEAD_AIR, -1, -1, y - run, y, (double)run * t->hop_s, tier);
            t->dead_air++;
            t->dead_air2 += tier == 2;
        }
    }
    t->silence_run = 0;
    t->any_speech = 1;
}

/* ---- one decided hop ---- */

static void decide(turns *t, int64_t y)
{
    int anyone = 0, bc_onset[CS_MAX_SPEAKERS] = {0};
    for (int s = 0; s < t->nspeakers; s++)
        if (act(t, s, y) && !act(t, s, y - 1))
            drop_hold_onset(t, s, y);
    if (y < t->end_hop) {
        turns_output o;
        memset(&o, 0, sizeof o);
        o.final_hop = y;
        for (int s = 0; s < t->nspeakers; s++)
            o.active[s] = act(t, s, y);
        event_queue_put(&t->out, &o);
    }
    for (int s = 0; s < t->nspeakers; s++) {
        speaker_track *k = &t->spk[s];
        int now = act(t, s, y), before = act(t, s, y - 1);
        anyone |= now;
        if (now && !before) {
            k->run_start = y;
            /* A new burst only if the speaker was not just talking. */
            if (!any_active(t, s, y - t->p.chain_gap, y) && classify_onset(t, s, y)) {
                bc_onset[s] = 1;
                k->bc_until = chain_end_of(t, s, y, t->p.chain_gap);
            }
        } else if (!now && before) {
            emit(t, CS_EVENT_SEGMENT, s, -1, k->run_start, y, (double)(y - k->run_start) * t->hop_s, 0);
            k->segments++;
        }
        k->talk_hops += now;
    }
    if (t->nspeakers > 1 && act(t, 0, y) && act(t, 1, y))
        t->overlap_hops++;
    step_silence(t, y, anyone);
    for (int s = 0; s < t->nspeakers; s++) {
        step_hold(t, s, y);
        step_mono(t, s, y);
        step_turn(t, s, y, bc_onset[s]);
    }
}

void turns_feed(turns *t, int64_t hop, const int *active, const int *hold)
{
    for (int s = 0; s < t->nspeakers; s++)
        t->ring[s][hop & t->ring_mask] = (uint8_t)((active[s] ? ACTIVE : 0) | (hold && hold[s] ? HOLD : 0));
    t->newest = hop;
    while (t->next_decide <= t->newest - t->horizon)
        decide(t, t->next_decide++);
}

int turns_drain(turns *t, int64_t total_hops)
{
    t->end_hop = total_hops;
    /* One hop past the end closes every open spurt. */
    if (t->next_decide <= total_hops) {
        decide(t, t->next_decide++);
        return 1;
    }
    if (t->closed)
        return 0;
    t->closed = 1;
    for (int s = 0; s < t->nspeakers; s++) {
        if (t->spk[s].in_mono)
            close_mono(t, s);
    }
    for (int s = 0; s < t->nspeakers; s++)
        close_turn(t, s);
    return 1;
}

int turns_pull(turns *t, turns_output *out) { return event_queue_take(&t->out, out); }

void turns_summary(const turns *t, const int *role_of, cs_summary *sum)
{
    double h = t->hop_s;
    double talk_total = 0;
    for (int s = 0; s < t->nspeakers; s++)
        talk_total += (double)t->spk[s].talk_hops * h;
    for (int s = 0; s < t->nspeakers; s++) {
        const speaker_track *k = &t->spk[s];
        cs_speaker_summary *o = &sum->speaker[role_of[s]];
        o->talk_s = (double)k->talk_hops * h;
        o->talk_share = talk_total > 0 ? o->talk_s / talk_total : NAN;
        o->segments = k->segments;
        o->turns = k->turns;
        o->interruptions_made = k->interruptions;
        o->backchannels_made = k->backchannels;
        o->overtalks_started = k->overtalks;
        o->responses = k->responses;
        o->response_latency_median_s = histogram_quantile(&k->latency, 0.5);
        o->fast_response_share = k->responses ? (double)k->fast / k->responses : NAN;
        o->rushed_responses = k->rushed;
        o->longest_monologue_s = (double)k->longest_mono * h;
        o->longest_turn_s = (double)k->longest_turn * h;
    }
    sum->overlap_s = (double)t->overlap_hops * h;
    sum->silence_s = (double)t->silence_hops * h;
    sum->longest_silence_s = (double)t->longest_silence * h;
    sum->longest_monologue_s = (double)t->longest_mono * h;
    sum->longest_monologue_speaker = t->longest_mono_speaker;
    sum->dead_air_count = t->dead_air;
    sum->dead_air_tier2_count = t->dead_air2;
    sum->interruptions = t->interruptions;
    sum->backchannels = t->backchannels;
    sum->overlaps = t->overlaps;
    sum->overtalks = t->overtalks;
    sum->hold_count = t->holds;
    sum->any_speech = t->any_speech;
}
