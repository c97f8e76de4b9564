/* Latencies in, buffer sizes out; see pipeline.h. */
#include "pipeline.h"

#include "dsp_util.h"
#include "flags.h"
#include "laughter.h"

/* Live frames waiting to be pulled; cs_push stops while fewer than
 * LIVE_ROOM are free, and cs_finish emits at most a few. */
#define LIVE_QUEUE_FRAMES 64
#define LIVE_ROOM 8

/* Margins on the queues the caller drains: events and frames decided while
 * the caller is not pulling (between two pulls, or at the end). */
#define EVENT_MARGIN 64
#define FRAME_MARGIN 64

/* Hops between the voice activity decision and the diarizer's or the turn
 * stage's input: the activity decision itself and the segmenter's ring. */
#define DECISION_SLACK 4

void pipeline_plan_make(pipeline_plan *plan, const spectrum *spec, const pitch_tracker *pitch, const vad *v,
                        const segmenter *seg, const turns *t, const diarizer *diar, int hop)
{
    /* Both analyses end at the same sample; the pitch span is longer. */
    plan->pitch_lag = hops_of(pitch_span_samples(pitch) - spectrum_window_samples(spec), 2.0 * hop);
    plan->in_flight = turns_horizon_hops(t) + segmenter_delay_hops(seg) + vad_delay_hops(v) + DECISION_SLACK;
    plan->held_back = diar ? diarizer_max_delay(diar) : 0;
    plan->live_lag = plan->pitch_lag > vad_delay_hops(v) ? plan->pitch_lag - vad_delay_hops(v) : 0;
    /* A hop's measurements wait from when it is analysed (pitch a little
     * earlier, hold when graded) until the turn stage decides it. */
    plan->slot_mask = next_pow2(plan->in_flight + plan->held_back + vad_onset_hops(v) + plan->pitch_lag) - 1;
    plan->timbre_mask = diar ? next_pow2(vad_delay_hops(v) + DECISION_SLACK) - 1 : 0;
    plan->diarize_room = vad_delay_hops(v) + DECISION_SLACK;
    plan->events_per_hop = turns_max_events_per_hop() + laughter_max_events_per_hop();
    /* Room for everything the closing drain can decide at once, so no event
     * or frame is ever dropped: each hop still in flight can yield a few. */
    plan->event_capacity = (size_t)plan->in_flight * (size_t)plan->events_per_hop + EVENT_MARGIN;
    plan->flag_room = flags_max_per_hop(turns_max_events_per_hop());
    plan->flag_capacity = plan->event_capacity + plan->flag_room;
    plan->voice_frames = (size_t)plan->in_flight + FRAME_MARGIN;
    plan->live_frames = LIVE_QUEUE_FRAMES;
    plan->live_room = LIVE_ROOM;
}

int64_t pipeline_first_window_end(const spectrum *spec, int hop) { return hop + spectrum_lookahead_samples(spec); }
