/*
 * Echo and crosstalk: the other party's voice leaking into a channel,
 * attenuated and late, is not speech of this channel's speaker; neither is a
 * telephone line echo (dispersive, coloured, drifting, up to a third of a
 * second late), while real double-talk over it is still heard as overlap and
 * talk spurts still end where the words do.
 */
#include <stdio.h>

#include "callgen.h"
#include "check.h"
#include "runcall.h"
#include "scenes.h"

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

/* Each segment of a speaker must be one of the truth's intervals, its start
 * within tol (and the pre-roll) of the sound and its end within tol past the
 * sound's end plus the hangover. */
static void expect_segments(const rc_result *r, const cg_call *c, int spk, double tol)
{
    cg_interval truth[32];
    int nt = cg_truth(c, spk, truth, 32);
    double preroll = rc_default_value("vad.preroll_s"), hangover = rc_default_value("vad.hangover_s");
    if (!CHECK_INT(rc_count(r, CS_EVENT_SEGMENT, spk), nt))
        return;
    for (int i = 0; i < nt; i++) {
        const cs_event *e = rc_nth(r, CS_EVENT_SEGMENT, spk, i);
        CHECK_NEAR(rc_sec(r, e->start), truth[i].start_s - preroll / 2, preroll / 2 + tol);
        CHECK_NEAR(rc_sec(r, e->end), truth[i].end_s + hangover / 2, hangover / 2 + tol);
    }
}

/* Talk spurts end where the words do: the last segment overlapping each of
 * the truth's intervals ends within tol of its end plus the hangover, and
 * every segment lies inside one interval (widened by the pre-roll, the
 * hangover and tol). A quiet syllable lost inside a phrase may split it;
 * that is not what is asked here. */
static void expect_ends(const rc_result *r, const cg_call *c, int spk, double tol)
{
    cg_interval truth[32];
    int nt = cg_truth(c, spk, truth, 32);
    double preroll = rc_default_value("vad.preroll_s"), hangover = rc_default_value("vad.hangover_s");
    for (int i = 0; i < nt; i++) {
        const cs_event *last = NULL;
        for (int k = 0; k < rc_count(r, CS_EVENT_SEGMENT, spk); k++) {
            const cs_event *e = rc_nth(r, CS_EVENT_SEGMENT, spk, k);
            if (rc_sec(r, e->start) < truth[i].end_s && rc_sec(r, e->end) > truth[i].start_s)
                last = e;
        }
        if (CHECK(last != NULL))
            CHECK_NEAR(rc_sec(r, last->end), truth[i].end_s + hangover / 2, hangover / 2 + tol);
    }
    for (int k = 0; k < rc_count(r, CS_EVENT_SEGMENT, spk); k++) {
        const cs_event *e = rc_nth(r, CS_EVENT_SEGMENT, spk, k);
        int inside = 0;
        for (int i = 0; i < nt && !inside; i++)
            inside = rc_sec(r, e->start) >= truth[i].start_s - preroll - tol &&
                     rc_sec(r, e->end) <= truth[i].end_s + hangover + tol;
        if (!CHECK(inside))
            printf("    (%s segment %.2f-%.2f s)\n", cs_speaker_name(spk), rc_sec(r, e->start), rc_sec(r, e->end));
    }
}

/* One speaker talks alone over a telephone line; the other channel carries
 * that voice as a line echo (sc_line_echo) at echo_db, delay_s late. */
static void line_echo_one_side(int talker, double echo_db, double delay_s)
{
    char name[128];
    snprintf(name, sizeof name, "%s alone, line echo on the %s channel at %.0f dB, %.0f ms late",
             cs_speaker_name(talker), cs_speaker_name(1 - talker), echo_db, delay_s * 1000.0);
    check_case(name);
    int failed = check_failures();
    cg_call c;
    cg_call_init(&c, 8000, 13.0, seed);
    cg_add(&c, talker, 0.5, 3.0);
    cg_add(&c, talker, 3.6, 6.0);
    cg_add(&c, talker, 7.0, 9.5);
    cg_add(&c, talker, 10.2, 12.0);
    for (int ch = 0; ch < 2; ch++) {
        c.ch[ch].noise = CG_NOISE_PINK;
        c.ch[ch].snr_db = 35.0;
    }
    c.telephone = c.mulaw = 1;
    sc_line_echo(&c, 1 - talker, echo_db, delay_s);

    rc_result r;
    CHECK_INT(rc_run_call(&c, 441, NULL, &r), CS_OK);
    CHECK_INT(rc_count(&r, CS_EVENT_SEGMENT, 1 - talker), 0);
    expect_segments(&r, &c, talker, 0.1);
    CHECK_NEAR(r.sum.overlap_s, 0.0, 1e-9);
    if (check_failures() > failed) {
        rc_dump(&r, name);
        rc_dump_truth(&c);
    }
    rc_free(&r);
    cg_call_free(&c);
}

/* A telephone call whose two channels each carry the other party as a line
 * echo: 30 ms late into the agent's (a near hybrid), 220 ms late into the
 * customer's (the far end of a mobile or VoIP path). */
static void line_echo_both_ways(cg_call *c, double duration_s, double echo_db)
{
    cg_call_init(c, 8000, duration_s, seed);
    for (int ch = 0; ch < 2; ch++) {
        c->ch[ch].noise = CG_NOISE_PINK;
        c->ch[ch].snr_db = 35.0;
    }
    c->level_dbfs[CG_CUSTOMER] = -24.0;
    c->telephone = c->mulaw = 1;
    sc_line_echo(c, CG_AGENT, echo_db, 0.03);
    sc_line_echo(c, CG_CUSTOMER, echo_db, 0.22);
}

/* Real double-talk over line echo in both directions, after 16 s of
 * alternating turns to learn the echo from: each party interrupts the other
 * once and the customer says "mm-hm"; all three are found, in the right
 * direction and at the right moment, and the overlap is within a quarter of
 * what was spoken (the quieter party's weakest sounds under the louder one's
 * echo are lost). */
static void double_talk_over_line_echo(void)
{
    const char *name = "interruptions and a backchannel over line echo at -18 dB both ways";
    check_case(name);
    int failed = check_failures();
    cg_call c;
    line_echo_both_ways(&c, 42.0, -18.0);
    cg_add(&c, CG_AGENT, 0.5, 4.0);
    cg_add(&c, CG_CUSTOMER, 4.5, 8.0);
    cg_add(&c, CG_AGENT, 8.5, 12.0);
    cg_add(&c, CG_CUSTOMER, 12.5, 16.0);
    cg_add(&c, CG_CUSTOMER, 17.0, 21.0); /* the agent barges in at 19.5; she stops 1.5 s later */
    cg_add(&c, CG_AGENT, 19.5, 24.0);
    cg_add(&c, CG_AGENT, 25.0, 29.0);    /* the customer barges in at 27.8 */
    cg_add(&c, CG_CUSTOMER, 27.8, 32.0);
    cg_add(&c, CG_AGENT, 33.0, 39.0);    /* "mm-hm" from the customer at 35.0 */
    cg_add(&c, CG_CUSTOMER, 35.0, 35.4);
    const double overlap_s = 1.5 + 1.2 + 0.4;

    rc_result r;
    CHECK_INT(rc_run_call(&c, 441, NULL, &r), CS_OK);
    if (CHECK_INT(rc_count(&r, CS_EVENT_INTERRUPTION, -1), 2)) {
        const cs_event *e = rc_nth(&r, CS_EVENT_INTERRUPTION, -1, 0);
        CHECK_INT(e->speaker, CS_AGENT);
        CHECK_NEAR(rc_sec(&r, e->start), 19.5, 0.3);
        e = rc_nth(&r, CS_EVENT_INTERRUPTION, -1, 1);
        CHECK_INT(e->speaker, CS_CUSTOMER);
        CHECK_NEAR(rc_sec(&r, e->start), 27.8, 0.3);
    }
    if (CHECK_INT(rc_count(&r, CS_EVENT_BACKCHANNEL, -1), 1)) {
        const cs_event *e = rc_nth(&r, CS_EVENT_BACKCHANNEL, -1, 0);
        CHECK_INT(e->speaker, CS_CUSTOMER);
        CHECK_NEAR(rc_sec(&r, e->start), 35.0, 0.3);
    }
    CHECK_INT(r.sum.overtalks + r.sum.overlaps, 0);
    CHECK_NEAR(r.sum.overlap_s, overlap_s, 0.25 * overlap_s);
    if (check_failures() > failed) {
        rc_dump(&r, name);
        rc_dump_truth(&c);
    }
    rc_free(&r);
    cg_call_free(&c);
}

/* Long turns (three phrases of 2.5-3 s with 0.3 s breaths) over line noise
 * 30 dB under the speech,
 * each answered 0.3 s after its last word, the answer leaking back as line
 * echo (and, first, without echo): every talk spurt ends within 0.1 s of
 * its last word plus the hangover, so neither the other party's echo nor
 * the line noise holds it open, and no echo is heard between them. */
static void long_turn_ends(int echo)
{
    char name[128];
    snprintf(name, sizeof name, "8.6 s turns answered after 0.3 s, pink noise at 30 dB SNR%s",
             echo ? ", line echo at -18 dB both ways" : "");
    check_case(name);
    int failed = check_failures();
    cg_call c;
    line_echo_both_ways(&c, 40.0, -18.0);
    for (int ch = 0; ch < 2; ch++) {
        c.ch[ch].snr_db = 30.0;
        c.ch[ch].echo = echo;
    }
    int who = CG_AGENT;
    for (double t = 1.0; t + 8.6 < c.duration_s; t += 8.9, who = 1 - who) {
        cg_add(&c, who, t, t + 2.5);
        cg_add(&c, who, t + 2.8, t + 5.8);
        cg_add(&c, who, t + 6.1, t + 8.6);
    }

    rc_result r;
    CHECK_INT(rc_run_call(&c, 441, NULL, &r), CS_OK);
    for (int spk = 0; spk < 2; spk++)
        expect_ends(&r, &c, spk, 0.1);
    CHECK_NEAR(r.sum.overlap_s, 0.0, 0.1);
    if (check_failures() > failed) {
        rc_dump(&r, name);
        rc_dump_truth(&c);
    }
    rc_free(&r);
    cg_call_free(&c);
}

/* Fills the call with a conversation of turns that never overlap (no
 * backchannels either) and checks what leakage must not do: the reported
 * overlap stays under 2 % of the call and both parties are still heard, their
 * talk times within talk_tol of the truth. Frees the call. */
static void expect_no_overlap(const char *name, cg_call *c, double talk_tol)
{
    int failed = check_failures();
    cg_convo cv;
    cg_convo_default(&cv, c->duration_s);
    cv.overlap_prob = 0.0;
    cv.backchannel_prob = 0.0;
    cv.long_gap_prob = 0.0;
    cv.gap_min_s = 0.3;
    cv.gap_max_s = 1.0;
    cg_add_conversation(c, &cv, seed);

    rc_result r;
    CHECK_INT(rc_run_call(c, 441, NULL, &r), CS_OK);
    CHECK_LESS(r.sum.overlap_s, 0.02 * c->duration_s);
    for (int spk = 0; spk < 2; spk++) {
        cg_interval iv[256];
        int n = cg_truth(c, spk, iv, 256);
        double talk = 0;
        for (int i = 0; i < n && i < 256; i++)
            talk += iv[i].end_s - iv[i].start_s;
        CHECK_NEAR(r.sum.speaker[spk].talk_s, talk, talk_tol * talk);
    }
    if (check_failures() > failed)
        rc_dump(&r, name);
    rc_free(&r);
    cg_call_free(c);
}

/* A whole conversation with no overlapping speech, each channel carrying the
 * other at -20 dB, 40 ms late: the reported overlap stays under 2% of the call. */
static void whole_call(int rate, int telephone)
{
    char name[128];
    snprintf(name, sizeof name, "a 90 s call, mutual echo at -20 dB, 40 ms late, %d Hz%s", rate,
             telephone ? ", telephone + mu-law" : "");
    check_case(name);
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
    expect_no_overlap(name, &c, 0.1);
}

/* A 120 s conversation with no overlapping speech over line echo both ways:
 * the reported overlap stays under 2 % of the call and each party's talk
 * time within 5 % of the truth. */
static void line_echo_whole_call(void)
{
    const char *name = "a 120 s call, line echo at -18 dB both ways (30 and 220 ms late)";
    check_case(name);
    cg_call c;
    line_echo_both_ways(&c, 120.0, -18.0);
    expect_no_overlap(name, &c, 0.05);
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
    line_echo_one_side(CS_AGENT, -15.0, 0.22);
    line_echo_one_side(CS_CUSTOMER, -18.0, 0.03);
    line_echo_one_side(CS_CUSTOMER, -20.0, 0.35);
    line_echo_whole_call();
    double_talk_over_line_echo();
    long_turn_ends(0);
    long_turn_ends(1);
    return check_end();
}
