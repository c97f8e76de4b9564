/*
 * Talk spurts: raw per-hop voice activity -> final per-hop activity, with
 * pauses shorter than segment.bridge_s bridged, spurts shorter than
 * segment.min_s dropped, and each spurt started vad.preroll_s early
 * (the weak first sounds of a word fall under any threshold). The final state of a hop is known a fixed delay
 * (bridge + minimum length, in hops) after the hop itself, so the stage
 * outputs a delayed per-hop stream that later stages can trust.
 */
#ifndef CS_SEGMENTS_H
#define CS_SEGMENTS_H

#include "callscope/callscope.h"

#include <stdint.h>

/* Finalized spurts kept to answer "was hop x inside one?"; only spurts
 * ending within the delay are ever asked about, so a few suffice. */
#define SEGMENTS_RECENT 8

typedef struct spurt {
    int64_t start, end; /* hops, [start, end) */
} spurt;

typedef struct segmenter {
    int bridge_hops;
    int min_hops;           /* shortest sound kept, after subtracting the overhang */
    int overhang;
    int preroll;            /* spurts start this many hops before detection */
    int delay;              /* hops between input and output */
    int64_t next_hop;       /* next input hop index */
    int pending;            /* a spurt is open (still may grow) */
    spurt open;             /* its extent so far; end = last active hop + 1 */
    spurt recent[SEGMENTS_RECENT];
    int nrecent;            /* ring of finalized spurts, newest at (head-1) */
    int recent_head;
} segmenter;

/* overhang: hops a detection outlasts its sound, removed before the
 * minimum-length test (so a 60 ms click is judged as 60 ms). */
void segmenter_init(segmenter *g, const cs_profile *prof, double hop_s, int overhang);
void segmenter_reset(segmenter *g);
/* Feed the raw activity of the next hop. If a final hop is ready, returns 1
 * and sets *hop and *active. */
int segmenter_step(segmenter *g, int raw_active, int64_t *hop, int *active);
/* After the last input hop: the final state of hop `hop` (which must be
 * below next_hop and at or after the last hop returned by segmenter_step). */
int segmenter_final(segmenter *g, int64_t hop);
/* Close the open spurt at end of stream (call once, before segmenter_final). */
void segmenter_close(segmenter *g);

/* Latency in hops: the final state of a hop comes this long after it. */
static inline int segmenter_delay_hops(const segmenter *g) { return g->delay; }
/* Spurts start this many hops before their detection. */
static inline int segmenter_preroll_hops(const segmenter *g) { return g->preroll; }

#endif
