/*
 * The conversation flags (docs/metrics.md, Flags): interrupted_customer,
 * overtalk, rushed_response, no_acknowledgement, long_monologue,
 * talk_dominance and dead_air, judged from the turn stage's events and its
 * final activity, hop by hop, as they are decided. Memory is fixed at init:
 * a talk_dominance window of activity, a few pending flags, the queue.
 */
#ifndef CS_FLAGS_H
#define CS_FLAGS_H

#include "callscope/callscope.h"

#include <stddef.h>
#include <stdint.h>

#define FLAGS_RECENT_HOLDS 8
#define FLAGS_MAX_PENDING 20   /* the largest rushed_response.min_count */

typedef struct flag_stage {
    int nspeakers;
    int role_of[CS_MAX_SPEAKERS];      /* speaker slot -> CS_AGENT / CS_CUSTOMER */
    int hop_samples;
    double hop_s;
    const double *v;                   /* profile values (owned by the analyzer) */

    /* rushed_response: held back until the call has min_count of them */
    int rushed_count;
    cs_flag pending[FLAGS_MAX_PENDING];
    int pending_count;
    double last_turn_s[CS_MAX_SPEAKERS];     /* by role */
    int64_t last_backchannel[CS_MAX_SPEAKERS]; /* onset sample by role, -1 if none */

    /* dead_air: judged a hop after it is emitted, once a hold that ends on
     * the same hop is known too */
    int64_t hold_start[FLAGS_RECENT_HOLDS], hold_end[FLAGS_RECENT_HOLDS];
    int hold_next;
    int have_dead_air;
    cs_event dead_air;

    /* talk_dominance: each hop's activity over the last window_hops */
    uint8_t *window;                   /* bit per role */
    int64_t window_hops;
    int64_t talk[CS_MAX_SPEAKERS];     /* inside the window */
    int64_t call_talk[CS_MAX_SPEAKERS];
    int64_t hops_seen;
    int64_t first_speech, last_speech; /* hops; -1 before any */
    int run_open, window_flags;
    int64_t run_start, run_end;        /* hops */
    double run_peak;

    cs_flag *queue;
    size_t capacity, head, count;
} flag_stage;

/* role_of maps the stage's speaker slots to roles; queue_capacity bounds the
 * flags waiting to be pulled. CS_OK or CS_ENOMEM. */
int flags_init(flag_stage *f, const cs_profile *prof, int nspeakers, const int *role_of, int hop_samples,
               double hop_s, size_t queue_capacity);
void flags_free(flag_stage *f);
/* An event as the turn stage emitted it (speaker slots, not roles). */
void flags_on_event(flag_stage *f, const cs_event *ev);
/* The final activity of hop `hop` (consecutive from 0), per slot. */
void flags_on_hop(flag_stage *f, int64_t hop, const int *active);
/* End of stream: decides what is still open. */
void flags_finish(flag_stage *f);
/* Room left in the queue, and the most one hop can add when it emits at
 * most events_per_hop events. */
size_t flags_space(const flag_stage *f);
size_t flags_max_per_hop(int events_per_hop);
int flags_pull(flag_stage *f, cs_flag *out);

/* An agent's flag of `kind` over [start, end), severity clamped to 0..1. */
cs_flag flag_make(cs_flag_kind kind, int64_t start, int64_t end, double severity, double measure, double context);

#endif
