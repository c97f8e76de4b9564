#include "segments.h"
#include "dsp_util.h"
#include "profile_keys.h"

#include <string.h>

void segmenter_init(segmenter *g, const cs_profile *prof, double hop_s, int overhang)
{
    memset(g, 0, sizeof *g);
    g->preroll = hops_of(prof->value[CS_K_VAD_PREROLL_S], hop_s);
    /* Pauses are measured between detections; with the pre-roll a pause
     * looks that much longer than it will be reported. */
    g->bridge_hops = hops_of(prof->value[CS_K_SEGMENT_BRIDGE_S], hop_s) + g->preroll;
    g->overhang = overhang > 0 ? overhang : 0;
    g->min_hops = hops_of(prof->value[CS_K_SEGMENT_MIN_S], hop_s) + g->overhang;
    if (g->min_hops < 1)
        g->min_hops = 1;
    /* A hop's spurt is settled once it has either reached the minimum length
     * or been closed by a pause of bridge_hops; the pre-roll looks ahead. */
    g->delay = g->bridge_hops + g->min_hops + g->preroll;
    segmenter_reset(g);
}

void segmenter_reset(segmenter *g)
{
    g->next_hop = 0;
    g->pending = 0;
    g->nrecent = g->recent_head = 0;
}

static void finalize(segmenter *g)
{
    if (g->open.end - g->open.start >= g->min_hops) {
        g->recent[g->recent_head] = g->open;
        g->recent[g->recent_head].start -= g->preroll;
        g->recent_head = (g->recent_head + 1) % SEGMENTS_RECENT;
        if (g->nrecent < SEGMENTS_RECENT)
            g->nrecent++;
    }
    g->pending = 0;
}

int segmenter_final(segmenter *g, int64_t hop)
{
    /* While streaming, an open spurt that reaches back to `hop` is already
     * long enough (the delay guarantees it); after segmenter_close none is open. */
    if (g->pending && hop >= g->open.start - g->preroll && hop < g->open.end &&
        g->open.end - g->open.start >= g->min_hops)
        return 1;
    for (int i = 0; i < g->nrecent; i++) {
        const spurt *s = &g->recent[(g->recent_head - 1 - i + SEGMENTS_RECENT) % SEGMENTS_RECENT];
        if (hop >= s->start && hop < s->end)
            return 1;
        if (s->end <= hop)
            break;
    }
    return 0;
}

int segmenter_step(segmenter *g, int raw_active, int64_t *hop, int *active)
{
    int64_t t = g->next_hop++;
    if (raw_active) {
        if (g->pending && t - g->open.end < g->bridge_hops) {
            g->open.end = t + 1;
        } else {
            if (g->pending)
                finalize(g);
            g->pending = 1;
            g->open.start = t;
            g->open.end = t + 1;
        }
    } else if (g->pending && t + 1 - g->open.end >= g->bridge_hops) {
        finalize(g);
    }
    int64_t x = t - g->delay;
    if (x < 0)
        return 0;
    *hop = x;
    *active = segmenter_final(g, x);
    return 1;
}

void segmenter_close(segmenter *g)
{
    if (g->pending)
        finalize(g);
}
