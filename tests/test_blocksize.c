/*
 * Block-size invariance: one call pushed in blocks of 1, 7, 160, 441 and
 * 48000 frames gives exactly the same events and summary. Also checks that
 * the generator itself renders any range identically however it is cut.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callgen.h"
#include "check.h"
#include "runcall.h"
#include "scenes.h"

static int same_double(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

static int same_summary(const cs_summary *a, const cs_summary *b)
{
    int ok = same_double(a->duration_s, b->duration_s) && a->frames == b->frames &&
             same_double(a->overlap_s, b->overlap_s) && same_double(a->silence_s, b->silence_s) &&
             same_double(a->longest_silence_s, b->longest_silence_s) &&
             same_double(a->longest_monologue_s, b->longest_monologue_s) &&
             a->longest_monologue_speaker == b->longest_monologue_speaker && a->dead_air_count == b->dead_air_count &&
             a->dead_air_tier2_count == b->dead_air_tier2_count && a->hold_count == b->hold_count &&
             a->interruptions == b->interruptions && a->backchannels == b->backchannels &&
             a->overlaps == b->overlaps && a->overtalks == b->overtalks && a->any_speech == b->any_speech;
    for (int k = 0; k < CS_MAX_SPEAKERS; k++) {
        const cs_speaker_summary *p = &a->speaker[k], *q = &b->speaker[k];
        ok = ok && p->present == q->present && same_double(p->talk_s, q->talk_s) &&
             same_double(p->talk_share, q->talk_share) && p->segments == q->segments && p->turns == q->turns &&
             p->interruptions_made == q->interruptions_made && p->backchannels_made == q->backchannels_made &&
             p->overtalks_started == q->overtalks_started && p->responses == q->responses &&
             same_double(p->response_latency_median_s, q->response_latency_median_s) &&
             same_double(p->fast_response_share, q->fast_response_share) &&
             p->rushed_responses == q->rushed_responses &&
             same_double(p->longest_monologue_s, q->longest_monologue_s) &&
             same_double(p->longest_turn_s, q->longest_turn_s) &&
             same_double(p->clipped_fraction, q->clipped_fraction);
    }
    return ok;
}

static int same_event(const cs_event *a, const cs_event *b)
{
    return a->type == b->type && a->speaker == b->speaker && a->other == b->other && a->start == b->start &&
           a->end == b->end && same_double(a->value, b->value) && a->tier == b->tier;
}

static void analyzer_invariance(const char *name, const cg_call *call, int min_segments)
{
    static const size_t blocks[] = {48000, 1, 7, 160, 441};
    const size_t nblocks = sizeof blocks / sizeof blocks[0];
    size_t n = 0;
    float *buf = cg_render_all(call, &n);
    if (!buf)
        exit(2);
    rc_result ref;
    check_case(name);
    CHECK_INT(rc_run(buf, n, 2, call->rate_hz, blocks[0], NULL, &ref), CS_OK);
    /* the call is a real conversation, so the comparison means something */
    CHECK(rc_count(&ref, CS_EVENT_SEGMENT, CS_AGENT) >= min_segments);
    CHECK(rc_count(&ref, CS_EVENT_SEGMENT, CS_CUSTOMER) >= min_segments);
    CHECK(rc_count(&ref, CS_EVENT_TURN, -1) >= 2);
    for (size_t b = 1; b < nblocks; b++) {
        char label[160];
        snprintf(label, sizeof label, "%s: blocks of %zu vs %zu frames", name, blocks[b], blocks[0]);
        check_case(label);
        rc_result r;
        CHECK_INT(rc_run(buf, n, 2, call->rate_hz, blocks[b], NULL, &r), CS_OK);
        int same = CHECK_INT(r.nev, ref.nev);
        size_t m = r.nev < ref.nev ? r.nev : ref.nev;
        for (size_t i = 0; i < m; i++) {
            if (!same_event(&r.ev[i], &ref.ev[i])) {
                same = 0;
                CHECK(same_event(&r.ev[i], &ref.ev[i]));
                printf("    first difference at event %zu: %s %s %lld-%lld %.9g tier %d vs %s %s %lld-%lld %.9g tier "
                       "%d\n",
                       i, cs_event_type_name(r.ev[i].type), cs_speaker_name(r.ev[i].speaker),
                       (long long)r.ev[i].start, (long long)r.ev[i].end, r.ev[i].value, r.ev[i].tier,
                       cs_event_type_name(ref.ev[i].type), cs_speaker_name(ref.ev[i].speaker),
                       (long long)ref.ev[i].start, (long long)ref.ev[i].end, ref.ev[i].value, ref.ev[i].tier);
                break;
            }
        }
        if (same)
            CHECK(1);
        CHECK(same_summary(&r.sum, &ref.sum));
        rc_free(&r);
    }
    rc_free(&ref);
    free(buf);
}

static void generator_invariance(const cg_call *call)
{
    check_case("the generator renders any range the same however it is cut");
    size_t n = 0;
    float *all = cg_render_all(call, &n);
    float *piece = malloc(2 * n * sizeof *piece);
    if (!all || !piece)
        exit(2);
    cg_stream *st = cg_stream_new(call);
    size_t done = 0, step = 1;
    while (done < n) {
        size_t k = n - done < step ? n - done : step;
        cg_stream_read(st, piece + 2 * done, k);
        done += k;
        step = step * 3 + 1;
    }
    CHECK(memcmp(all, piece, 2 * n * sizeof *all) == 0);
    /* a range in the middle, reached by seeking backwards */
    size_t first = n / 3, count = n / 5;
    cg_stream_seek(st, (int64_t)(n - 10));
    cg_stream_seek(st, (int64_t)first);
    cg_stream_read(st, piece, count);
    CHECK(memcmp(all + 2 * first, piece, 2 * count * sizeof *all) == 0);
    cg_stream_free(st);
    free(piece);
    free(all);
}

int main(void)
{
    check_begin("test_blocksize");
    uint64_t seed = check_seed(1);
    cg_call c;
    sc_everything(&c, 16000, seed);
    for (int ch = 0; ch < 2; ch++) {
        c.ch[ch].echo = 1;
        c.ch[ch].echo_db = -25.0;
        c.ch[ch].echo_delay_s = 0.03;
    }
    generator_invariance(&c);
    analyzer_invariance("a scripted 30 s call at 16 kHz with noise and echo", &c, 4);
    cg_call_free(&c);

    sc_everything(&c, 8000, seed);
    c.telephone = c.mulaw = 1;
    analyzer_invariance("the scripted call through telephone band and mu-law at 8 kHz", &c, 4);
    cg_call_free(&c);

    sc_conversation(&c, 11025, 40.0, seed, 0, 1);
    c.ch[1].noise = CG_NOISE_BABBLE;
    c.ch[1].snr_db = 30.0;
    generator_invariance(&c);
    analyzer_invariance("a random 40 s conversation at 11025 Hz, babble on the customer side", &c, 2);
    cg_call_free(&c);
    return check_end();
}
