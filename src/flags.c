/* Conversation flags from events and final activity; see flags.h. */
#include "flags.h"
#include "dsp_util.h"
#include "profile_keys.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double clamp01(double x) { return x < 0 ? 0 : x > 1 ? 1 : x; }

/* Half severity at the threshold, full at `full_excess` past it. */
static double severity_of(double excess, double full_excess)
{
    return 0.5 + 0.5 * clamp01(full_excess > 0 ? excess / full_excess : 1);
}

int flags_init(flag_stage *f, const cs_profile *prof, int nspeakers, const int *role_of, int hop_samples,
               double hop_s, size_t queue_capacity)
{
    memset(f, 0, sizeof *f);
    f->nspeakers = nspeakers;
    for (int s = 0; s < nspeakers; s++)
        f->role_of[s] = role_of[s];
    f->hop_samples = hop_samples;
    f->hop_s = hop_s;
    f->v = prof->value;
    for (int r = 0; r < CS_MAX_SPEAKERS; r++) {
        f->last_turn_s[r] = NAN;
        f->last_backchannel[r] = -1;
    }
    for (int i = 0; i < FLAGS_RECENT_HOLDS; i++)
        f->hold_start[i] = f->hold_end[i] = -1;
    f->first_speech = f->last_speech = -1;
    f->window_hops = hops_of(f->v[CS_K_DOMINANCE_WINDOW_S], hop_s);
    if (f->window_hops < 1)
        f->window_hops = 1;
    f->window = calloc((size_t)f->window_hops, 1);
    f->capacity = queue_capacity;
    f->queue = calloc(queue_capacity, sizeof *f->queue);
    if (!f->window || !f->queue) {
        flags_free(f);
        return CS_ENOMEM;
    }
    return CS_OK;
}

void flags_free(flag_stage *f)
{
    free(f->window);
    free(f->queue);
    f->window = NULL;
    f->queue = NULL;
}

size_t flags_space(const flag_stage *f) { return f->capacity - f->count; }

/* A hop emits a handful of events; a rushed reply can release the held ones. */
size_t flags_max_per_hop(int events_per_hop) { return (size_t)events_per_hop + FLAGS_MAX_PENDING + 2; }

int flags_pull(flag_stage *f, cs_flag *out)
{
    if (!f->count)
        return 0;
    *out = f->queue[f->head];
    f->head = (f->head + 1) % f->capacity;
    f->count--;
    return 1;
}

static void push(flag_stage *f, const cs_flag *fl)
{
    if (f->count == f->capacity)
        return; /* the analyzer keeps flags_max_per_hop() free before each hop */
    f->queue[(f->head + f->count++) % f->capacity] = *fl;
}

cs_flag flag_make(cs_flag_kind kind, int64_t start, int64_t end, double severity, double measure, double context)
{
    cs_flag fl;
    memset(&fl, 0, sizeof fl);
    fl.kind = kind;
    fl.speaker = CS_AGENT;
    fl.start = start;
    fl.end = end;
    fl.severity = clamp01(severity);
    fl.measure = measure;
    fl.context = context;
    return fl;
}

static int role(const flag_stage *f, int slot) { return slot >= 0 ? f->role_of[slot] : -1; }

/* ---- rushed replies: flagged once the call has min_count of them ---- */

static void on_response(flag_stage *f, const cs_event *ev, int who)
{
    const double *v = f->v;
    /* A reply that began before the customer finished is an overlap or an
     * interruption, judged as such. */
    if (who != CS_AGENT || !ev->tier || !(ev->value >= 0 && ev->value < v[CS_K_RUSHED_MAX_GAP_S]))
        return;
    double max_gap = v[CS_K_RUSHED_MAX_GAP_S];
    cs_flag fl = flag_make(CS_FLAG_RUSHED_RESPONSE, ev->start, ev->end,
                           severity_of(max_gap - ev->value, max_gap), ev->value, f->last_turn_s[CS_CUSTOMER]);
    fl.count = ++f->rushed_count;
    int need = (int)lround(v[CS_K_RUSHED_MIN_COUNT]);
    if (f->rushed_count < need) {
        if (f->pending_count < FLAGS_MAX_PENDING)
            f->pending[f->pending_count++] = fl;
        return;
    }
    for (int i = 0; i < f->pending_count; i++)
        push(f, &f->pending[i]);
    f->pending_count = 0;
    push(f, &fl);
}

/* ---- dead air, less any hold music inside it ---- */

static double hold_overlap_s(const flag_stage *f, int64_t start, int64_t end)
{
    /* Holds on both channels may overlap each other: count covered samples once
     * by clipping each hold to what is not yet covered from the left. */
    int64_t covered = 0, reach = start;
    for (int pass = 0; pass < FLAGS_RECENT_HOLDS; pass++) {
        int64_t best_start = -1, best_end = -1;
        for (int i = 0; i < FLAGS_RECENT_HOLDS; i++) {
            int64_t a = f->hold_start[i] > reach ? f->hold_start[i] : reach;
            int64_t b = f->hold_end[i] < end ? f->hold_end[i] : end;
            if (f->hold_start[i] >= 0 && b > a && (best_start < 0 || a < best_start)) {
                best_start = a;
                best_end = b;
            }
        }
        if (best_start < 0)
            break;
        covered += best_end - best_start;
        reach = best_end;
    }
    return (double)covered / ((double)f->hop_samples / f->hop_s);
}

static void judge_dead_air(flag_stage *f)
{
    if (!f->have_dead_air)
        return;
    f->have_dead_air = 0;
    const cs_event *ev = &f->dead_air;
    double silent = ev->value - hold_overlap_s(f, ev->start, ev->end);
    double need = f->v[CS_K_DEAD_AIR_FLAG_S];
    if (silent + 1e-9 < need)
        return;
    cs_flag fl = flag_make(CS_FLAG_DEAD_AIR, ev->start, ev->end, severity_of(silent - need, need), silent, NAN);
    push(f, &fl);
}

void flags_on_event(flag_stage *f, const cs_event *ev)
{
    const double *v = f->v;
    int who = role(f, ev->speaker), other = role(f, ev->other);
    switch (ev->type) {
    case CS_EVENT_INTERRUPTION:
        if (who == CS_AGENT && other == CS_CUSTOMER) {
            double full = v[CS_K_INTERRUPTION_STOP_WITHIN_S];
            cs_flag fl = flag_make(CS_FLAG_INTERRUPTED_CUSTOMER, ev->start, ev->end, severity_of(ev->value, full),
                                   ev->value, NAN);
            push(f, &fl);
        }
        break;
    case CS_EVENT_OVERTALK: {
        /* Whoever began it, the agent did not yield. */
        double need = v[CS_K_OVERTALK_MIN_S], severe = v[CS_K_OVERTALK_SEVERE_S];
        if (f->nspeakers > 1 && ev->value + 1e-9 >= need) {
            cs_flag fl = flag_make(CS_FLAG_OVERTALK, ev->start, ev->end, severity_of(ev->value - need, severe - need),
                                   ev->value, NAN);
            push(f, &fl);
        }
        break;
    }
    case CS_EVENT_BACKCHANNEL:
        if (who >= 0)
            f->last_backchannel[who] = ev->start;
        break;
    case CS_EVENT_TURN: {
        if (who < 0)
            break;
        f->last_turn_s[who] = ev->value;
        double need = v[CS_K_NO_ACK_STORY_S];
        if (who == CS_CUSTOMER && f->nspeakers > 1 && ev->value + 1e-9 >= need &&
            f->last_backchannel[CS_AGENT] < ev->start) {
            cs_flag fl = flag_make(CS_FLAG_NO_ACKNOWLEDGEMENT, ev->start, ev->end, severity_of(ev->value - need, need),
                                   ev->value, NAN);
            push(f, &fl);
        }
        break;
    }
    case CS_EVENT_RESPONSE:
        on_response(f, ev, who);
        break;
    case CS_EVENT_MONOLOGUE: {
        double need = v[CS_K_LONG_MONOLOGUE_S];
        if (who == CS_AGENT && ev->value > need) {
            cs_flag fl = flag_make(CS_FLAG_LONG_MONOLOGUE, ev->start, ev->end, severity_of(ev->value - need, need),
                                   ev->value, NAN);
            push(f, &fl);
        }
        break;
    }
    case CS_EVENT_HOLD:
        f->hold_start[f->hold_next] = ev->start;
        f->hold_end[f->hold_next] = ev->end;
        f->hold_next = (f->hold_next + 1) % FLAGS_RECENT_HOLDS;
        break;
    case CS_EVENT_DEAD_AIR:
        judge_dead_air(f);
        f->dead_air = *ev;
        f->have_dead_air = 1;
        break;
    default:
        break;
    }
}

/* ---- talk dominance over a sliding window, and over the whole call ---- */

static void close_dominance(flag_stage *f)
{
    if (!f->run_open)
        return;
    f->run_open = 0;
    f->window_flags++;
    double need = f->v[CS_K_DOMINANCE_SHARE];
    int64_t hs = f->hop_samples;
    cs_flag fl = flag_make(CS_FLAG_TALK_DOMINANCE, f->run_start * hs, f->run_end * hs,
                           severity_of(f->run_peak - need, 1 - need), f->run_peak,
                           (double)(f->run_end - f->run_start) * f->hop_s);
    push(f, &fl);
}

/* Agent share of the talk in the window (NAN when too little talk to judge). */
static double share_of(const flag_stage *f, const int64_t *talk)
{
    double agent = (double)talk[CS_AGENT] * f->hop_s, total = agent + (double)talk[CS_CUSTOMER] * f->hop_s;
    if (!(total > 0) || total + 1e-9 < f->v[CS_K_DOMINANCE_MIN_TALK_S])
        return NAN;
    return agent / total;
}

void flags_on_hop(flag_stage *f, int64_t hop, const int *active)
{
    judge_dead_air(f);
    if (f->nspeakers < 2)
        return;
    uint8_t bits = 0;
    for (int s = 0; s < f->nspeakers; s++)
        if (active[s])
            bits |= (uint8_t)(1u << f->role_of[s]);
    int64_t slot = hop % f->window_hops;
    if (f->hops_seen >= f->window_hops)
        for (int r = 0; r < CS_MAX_SPEAKERS; r++)
            f->talk[r] -= (f->window[slot] >> r) & 1;
    f->window[slot] = bits;
    for (int r = 0; r < CS_MAX_SPEAKERS; r++) {
        f->talk[r] += (bits >> r) & 1;
        f->call_talk[r] += (bits >> r) & 1;
    }
    f->hops_seen = hop + 1;
    if (bits) {
        if (f->first_speech < 0)
            f->first_speech = hop;
        f->last_speech = hop;
    }
    if (f->hops_seen < f->window_hops)
        return;
    int64_t window_start = hop + 1 - f->window_hops;
    double share = share_of(f, f->talk);
    if (share > f->v[CS_K_DOMINANCE_SHARE]) {
        /* Windows that overlap the stretch extend it. */
        if (f->run_open && window_start > f->run_end)
            close_dominance(f);
        if (!f->run_open) {
            f->run_open = 1;
            f->run_start = window_start;
            f->run_peak = share;
        }
        f->run_end = hop + 1;
        if (share > f->run_peak)
            f->run_peak = share;
    } else if (f->run_open && window_start > f->run_end) {
        close_dominance(f);
    }
}

void flags_finish(flag_stage *f)
{
    judge_dead_air(f);
    if (f->nspeakers < 2)
        return;
    close_dominance(f);
    /* A call shorter than the window, or dominated only as a whole. */
    double share = share_of(f, f->call_talk);
    double need = f->v[CS_K_DOMINANCE_SHARE];
    if (!f->window_flags && share > need && f->first_speech >= 0) {
        int64_t hs = f->hop_samples;
        cs_flag fl = flag_make(CS_FLAG_TALK_DOMINANCE, f->first_speech * hs, (f->last_speech + 1) * hs,
                               severity_of(share - need, 1 - need), share,
                               (double)(f->last_speech + 1 - f->first_speech) * f->hop_s);
        push(f, &fl);
    }
}
