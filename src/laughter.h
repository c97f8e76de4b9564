/*
 * Laughter per speaker: a bout of "ha" calls is a run of short bursts, three to
 * seven a second and evenly spaced, each set off by a breath or a voiceless
 * "h" (Bachorowski, Smoski & Owren 2001; Provine 2000), pitched well above the
 * laugher's speaking voice when voiced, or voiceless throughout. Speech has
 * syllables at that rate too, but unevenly spaced, joined by voiced sounds,
 * and near the speaker's own pitch.
 *
 * The detector looks at a window of laughter.window_s around each hop of a
 * channel: the band level picks out the bursts, the pitch track their voicing
 * and height, measured against the pitch the speaker has had lately. A bout
 * found marks the hops from its first burst to its last, so a hop is decided
 * a whole window after it was fed, when every window holding it has been
 * seen; a hop counts as laughter for
 * a speaker only where that speaker is talking (the final activity), so the
 * other party's laughter leaking into the channel is not theirs. Runs of
 * laughter become CS_EVENT_LAUGHTER events. No allocation after init.
 */
#ifndef CS_LAUGHTER_H
#define CS_LAUGHTER_H

#include "callscope/callscope.h"
#include "event_queue.h"

#include <stdint.h>

typedef struct laughter_hop {
    float level_db;  /* voice band level */
    float f0_hz;     /* 0 when unvoiced */
    uint8_t loud;    /* stands clear of the channel's floor */
} laughter_hop;

typedef struct laughter_channel {
    laughter_hop *ring;     /* the last 2 * half + 1 hops */
    uint8_t *inside;        /* per hop of the same span: inside a bout found */
    int64_t fed;            /* hops fed */
    double ref_st;          /* the speaker's recent pitch, semitones */
    int ref_known;
} laughter_channel;

/* A speaker's run of laughing hops on its way to an event. */
typedef struct laughter_run {
    int open;
    int64_t first, last;    /* hops */
} laughter_run;

typedef struct laughter_detector {
    int nchannels, nspeakers;
    int half;               /* window hops each side of the hop decided */
    int peak_hops, dip_hops;
    int min_bursts;
    int min_gap, max_gap;   /* burst spacing, hops */
    int call_max_hops;      /* longest voiced run of a call */
    double dip_db, range_db, gate_db, rhythm_cv, rise_st, ref_coef;
    int64_t min_run, bridge; /* event: shortest bout, longest gap inside one (hops) */
    int hop;                 /* samples */
    laughter_channel ch[CS_MAX_SPEAKERS];
    laughter_hop *window;    /* scratch: one channel's window in time order */
    laughter_run run[CS_MAX_SPEAKERS];
} laughter_detector;

int laughter_init(laughter_detector *d, const cs_profile *prof, int nchannels, int nspeakers, int hop, double hop_s);
void laughter_free(laughter_detector *d);
/* Hops a decision comes after its hop was fed. */
int laughter_delay(const laughter_detector *d);
/* Feed channel c's next hop: level, f0 (0 unvoiced) and the channel's floor.
 * Returns 1 and sets *hop when a hop has been decided (*laughing 0/1). */
int laughter_feed(laughter_detector *d, int c, double level_db, double f0_hz, double floor_db, int64_t *hop,
                  int *laughing);
/* A final hop: whether each speaker slot is talking and laughing; closed
 * bouts go to q as events. */
void laughter_final(laughter_detector *d, int64_t hop, const int *active, const int *laughing, event_queue *q);
/* End of stream: the bouts still open. */
void laughter_finish(laughter_detector *d, event_queue *q);
/* Events one final hop can queue at most. */
int laughter_max_events_per_hop(void);

#endif
