/*
 * Echo and crosstalk: the other party's voice leaking into a channel,
 * attenuated and late, is not speech of this channel's speaker.
 */
#include <stdio.h>

#include "callgen.h"
#include "check.h"
#include "runcall.h"

static uint64_t seed;

/* One speaker talks alone in four utterances; the other channel carries
 * that speech at echo_db, delay_s late, over low noise. */
static void one_side(int talker, double echo_db, double delay_s, int rate, int telephone)
{
    char name[128];
    snprintf(name, sizeof name, "%s alone, echo on the %s channel at %.0f dB, %.0f ms late, %d Hz%s",
             cs_speaker_name(talker), cs_speaker_name(1 - talker), echo_db, delay_s * 1000.0, rate,
             telephone ? ", telephone + mu-law" : "");
    check_case(name);
    int failed = check_failures();
    cg_call c;
    cg_call_init(&c, rate, 13.0, seed);
    cg_add(&c, talker, 0.5, 3.0);
    cg_add(&c, talker, 3.6, 6.0);
    cg_add(&c, talker, 7.0, 9.5);
    cg_add(&c, talker, 10.2, 12.0);
    for (int ch = 0; ch < 2; ch++) {
        c.ch[ch].noise = CG_NOISE_WHITE;
        c.ch[ch].snr_db = 50.0;
    }
    c.ch[1 - talker].echo = 1;
    c.ch[1 - talker].echo_db = echo_db;
    c.ch[1 - talker].echo_delay_s = delay_s;
    c.telephone = c.mulaw = telephone;

    rc_result r;
    CHECK_INT(rc_run_call(&c, 441, NULL, &r), CS_OK);
    CHECK_INT(rc_count(&r, CS_EVENT_SEGMENT, 1 - talker), 0);
    cg_interval truth[8];
    int nt = cg_truth(&c, talker, truth, 8);
    if (CHECK_INT(rc_count(&r, CS_EVENT_SEGMENT, talker), nt))
        for (int i = 0; i < nt; i++) {
            const cs_event *e = rc_nth(&r, CS_EVENT_SEGMENT, talker, i);
            CHECK_NEAR(rc_sec(&r, e->start), truth[i].start_s, 0.1);
            CHECK_NEAR(rc_sec(&r, e->end), truth[i].end_s, 0.1);
        }
    CHECK_NEAR(r.sum.overlap_s, 0.0, 1e-9);
    CHECK_INT(r.sum.interruptions + r.sum.backchannels + r.sum.overtalks + r.sum.overlaps, 0);
    if (check_failures() > failed) {
        rc_dump(&r, name);
        rc_dump_truth(&c);
    }
    rc_free(&r);
    cg_call_free(&c);
}

/* A whole conversation with no overlapping speech, each channel carrying the
 * other at -20 dB, 40 ms late: the reported overlap stays under 2% of the call. */
static void whole_call(int rate, int telephone)
{
    char name[128];
    snprintf(name, sizeof name, "a 90 s call, mutual echo at -20 dB, 40 ms late, %d Hz%s", rate,
             telephone ? ", telephone + mu-law" : "");
    check_case(name);
    int failed = check_failures();
    cg_call c;
    cg_call_init(&c, rate, 90.0, seed);
    for (int ch = 0; ch < 2; ch++) {
        c.ch[ch].noise = CG_NOISE_PINK;
        c.ch[ch].snr_db = 35.0;
        c.ch[ch].echo = 1;
        c.ch[ch].echo_db = -20.0;
        c.ch[ch].echo_delay_s = 0.04;
    }
    c.telephone = c.mulaw = telephone;
    cg_convo cv;
    cg_convo_default(&cv, c.duration_s);
    cv.overlap_prob = 0.0;
    cv.backchannel_prob = 0.0;
    cv.long_gap_prob = 0.0;
    cv.gap_min_s = 0.3;
    cv.gap_max_s = 1.0;
    cg_add_conversation(&c, &cv, seed);

    rc_result r;
    CHECK_INT(rc_run_call(&c, 441, NULL, &r), CS_OK);
    CHECK_LESS(r.sum.overlap_s, 0.02 * c.duration_s);
    /* and both parties are still heard */
    double talk[2] = {0, 0};
    for (int spk = 0; spk < 2; spk++) {
        cg_interval iv[256];
        int n = cg_truth(&c, spk, iv, 256);
        for (int i = 0; i < n && i < 256; i++)
            talk[spk] += iv[i].end_s - iv[i].start_s;
        CHECK_NEAR(r.sum.speaker[spk].talk_s, talk[spk], 0.1 * talk[spk]);
    }
    if (check_failures() > failed)
        rc_dump(&r, name);
    rc_free(&r);
    cg_call_free(&c);
}

int main(void)
{
    check_begin("test_echo");
    seed = check_seed(1);
    one_side(CS_AGENT, -20.0, 0.04, 16000, 0);
    one_side(CS_CUSTOMER, -20.0, 0.04, 16000, 0);
    one_side(CS_AGENT, -15.0, 0.08, 16000, 0);
    one_side(CS_CUSTOMER, -20.0, 0.01, 8000, 1);
    whole_call(16000, 0);
    whole_call(8000, 1);
    return check_end();
}
