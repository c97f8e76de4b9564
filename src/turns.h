/*
 * Conversation structure from the final per-hop activity of both speakers
 * (docs/metrics.md, Turn-taking): talk spurts, turns, backchannels,
 * interruptions, cooperative overlaps, overtalk, dead air, monologues and
 * response latency.
 *
 * Each rule needs a little of the future (does the other stop within 2 s?),
 * so hop y is decided once hop y + horizon is known; a ring of recent hops
 * (lookback + horizon) is all the memory the stage needs.
 *
 * What it decides goes forward through its output queue, in order: each
 * hop's final activity (after the look-ahead has settled it, e.g. a hold's
 * onset taken back), then the events that hop closed. The analyzer empties
 * the queue after every turns_feed and turns_drain, which is what bounds it.
 */
#ifndef CS_TURNS_H
#define CS_TURNS_H

#include "callscope/callscope.h"
#include "event_queue.h"
#include "histogram.h"

#include <stdint.h>

typedef struct turn_params {
    int chain_gap, merge, min_prior, stop_within, min_keep, coop_stop;
    int bc_max, bc_hold, overtalk_min, dead1, dead2, mono_pause, mono_break;
    int rushed_gap, rushed_turn, hold_min;
    int pad;   /* hops the segments are widened by (pre-roll + hangover) */
    int tail;  /* of which at the end (hangover) */
} turn_params;

typedef struct speaker_track {
    int64_t run_start;       /* start of the current spurt */
    int64_t bc_until;        /* hops before this belong to a backchannel burst */
    int in_turn;
    int64_t turn_start, turn_end;   /* turn_end = last active hop + 1 */
    int64_t last_turn_start;        /* most recent turn start, -1 if none */
    int64_t pending_response;       /* own turn start waiting for the other's turn end, -1 if none */
    int64_t hold_start;             /* current hold stretch, -1 if none */
    int64_t hold_origin;            /* a dropped spurt that began it, -1 if none */
    int in_mono;
    int64_t mono_start, mono_end;
    /* totals */
    int64_t talk_hops;
    int segments, turns, interruptions, backchannels, overtalks, responses, fast, rushed;
    int64_t longest_mono, longest_turn;
    histogram latency;
} speaker_track;

/* One output: a hop made final, or an event (speaker slots, not roles). */
typedef struct turns_output {
    int64_t final_hop;              /* the hop now final, or -1 for an event */
    int active[CS_MAX_SPEAKERS];    /* with final_hop: who is talking in it, per slot */
    cs_event event;                 /* without: the event */
} turns_output;

typedef struct turns {
    turn_params p;
    int nspeakers;
    int hop_samples;
    double hop_s;
    int horizon, lookback;
    int ring_mask;
    uint8_t *ring[CS_MAX_SPEAKERS];
    int64_t newest;          /* newest hop stored, -1 before any */
    int64_t next_decide;     /* next hop y to decide */
    int64_t end_hop;         /* hops at or past this are silent (set at drain) */
    int closed;              /* the drain has closed the last turns */
    speaker_track spk[CS_MAX_SPEAKERS];
    int any_speech;
    int64_t silence_run;     /* mutual silence hops so far in the current run */
    int64_t silence_hops, longest_silence, overlap_hops;
    int dead_air, dead_air2, interruptions, backchannels, overlaps, overtalks, holds;
    int64_t longest_mono;
    int longest_mono_speaker;
    event_queue out;         /* of turns_output */
} turns;

/* pad_hops: how much wider than the sound the segments are drawn (tail_hops
 * of it at the end); gaps and stop delays are measured without it. */
int turns_init(turns *t, const cs_profile *prof, int nspeakers, int hop_samples, double hop_s, int pad_hops,
               int tail_hops);
void turns_free(turns *t);
void turns_reset(turns *t);
/* Final activity of hop `hop` (consecutive hops from 0) for each speaker,
 * and whether the hop sounded like music or a tone (hold may be NULL). */
void turns_feed(turns *t, int64_t hop, const int *active, const int *hold);
/* End of stream: `total_hops` hops were fed. Decides the next hop still
 * undecided, or after the last one closes what is open; 1 while there is
 * more to do (empty the output queue between calls), 0 when done. */
int turns_drain(turns *t, int64_t total_hops);
/* The next output: 1 and *out filled, 0 when none. */
int turns_pull(turns *t, turns_output *out);
/* Largest number of events one fed hop (or one drain step) can queue. */
int turns_max_events_per_hop(void);
/* Latency: hops of the future a decision waits for. */
static inline int turns_horizon_hops(const turns *t) { return t->horizon; }
/* Hops fed so far. */
static inline int64_t turns_fed_hops(const turns *t) { return t->newest + 1; }
/* role_of[slot]: CS_AGENT / CS_CUSTOMER of each speaker slot. */
void turns_summary(const turns *t, const int *role_of, cs_summary *sum);

#endif
