/*
 * The analyzer's plan: how long each stage holds a hop back (its latency,
 * asked of the stage through its own small function), and from that how much
 * every ring and queue between the stages must hold, so that a hop never
 * waits for room it cannot get and no event is ever dropped.
 *
 *   samples -> spectrum, pitch -> vad -> [diarize] -> segments -> turns
 *           -> (final hops) voice, laughter, flags -> queues cs_pull* drains
 *
 * Each stage hands what it has finished to the next through a queue: the
 * analyzer moves decided hops and events forward; no stage calls back up.
 * This is the one place the sizes are worked out.
 */
#ifndef CS_PIPELINE_H
#define CS_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#include "diarize.h"
#include "pitch.h"
#include "segments.h"
#include "spectrum.h"
#include "turns.h"
#include "vad.h"

typedef struct pipeline_plan {
    int pitch_lag;          /* a pitch estimate is centred this many hops before the hop analysed */
    int in_flight;          /* hops decided by voice activity but not yet by the turn stage */
    int held_back;          /* hops the mono separation keeps until it knows the voices (0 without) */
    int live_lag;           /* a live hop waits this long behind the activity decision for its pitch */
    int64_t slot_mask;      /* ring of per-hop measurements, waiting for their final activity */
    int64_t timbre_mask;    /* ring of per-hop timbre, waiting for the activity decision */
    int diarize_room;       /* hops the separation must have room for before a hop is analysed */
    int events_per_hop;     /* events one final hop can queue: the turn stage's and laughter's */
    size_t event_capacity;  /* decided events waiting for cs_pull */
    size_t flag_room;       /* flags one hop can raise at most */
    size_t flag_capacity;   /* conversation flags waiting for cs_pull_flag */
    size_t voice_frames;    /* voice frames waiting for cs_pull_frame */
    size_t live_frames;     /* live frames waiting for cs_pull_live_frame */
    size_t live_room;       /* cs_push stops while fewer live frames than this are free */
} pipeline_plan;

/* The plan for stages already opened (diar NULL without mono separation;
 * pitch and spectrum of the first channel stand for all). */
void pipeline_plan_make(pipeline_plan *plan, const spectrum *spec, const pitch_tracker *pitch, const vad *v,
                        const segmenter *seg, const turns *t, const diarizer *diar, int hop);

/* The first input sample count at which the first hop's window is complete. */
int64_t pipeline_first_window_end(const spectrum *spec, int hop);

#endif
