/*
 * Turn-taking events on generated calls whose truth follows the metrics
 * definitions exactly: interruption, cooperative overlap, backchannel,
 * overtalk, dead air, monologue, turns and response latency. Counts are
 * exact; times within 0.1 s unless a case says otherwise.
 */
#include <stdio.h>

#include "callgen.h"
#include "check.h"
#include "runcall.h"
#include "scenes.h"

#define TOL 0.1

static uint64_t seed;
static int failed_before;

static void begin(const char *name, const cg_call *call, rc_result *r)
{
    check_case(name);
    failed_before = check_failures();
    CHECK_INT(rc_run_call(call, 441, NULL, r), CS_OK);
}

static void end(const char *name, const cg_call *call, rc_result *r)
{
    if (check_failures() > failed_before) {
        rc_dump(r, name);
        rc_dump_truth(call);
    }
    rc_free(r);
}

/* Counts of the overlap classes, exact. */
static void expect_overlaps(const rc_result *r, int interruptions, int overlaps, int backchannels, int overtalks)
{
    CHECK_INT(rc_count(r, CS_EVENT_INTERRUPTION, -1), interruptions);
    CHECK_INT(rc_count(r, CS_EVENT_OVERLAP, -1), overlaps);
    CHECK_INT(rc_count(r, CS_EVENT_BACKCHANNEL, -1), backchannels);
    CHECK_INT(rc_count(r, CS_EVENT_OVERTALK, -1), overtalks);
    CHECK_INT(r->sum.interruptions, interruptions);
    CHECK_INT(r->sum.overlaps, overlaps);
    CHECK_INT(r->sum.backchannels, backchannels);
    CHECK_INT(r->sum.overtalks, overtalks);
}

static void expect_interruption_call(const char *name, const cg_call *c)
{
    rc_result r;
    begin(name, c, &r);
    expect_overlaps(&r, 1, 0, 0, 0);
    const cs_event *e = rc_nth(&r, CS_EVENT_INTERRUPTION, -1, 0);
    if (e) {
        CHECK_INT(e->speaker, CS_AGENT);
        CHECK_INT(e->other, CS_CUSTOMER);
        CHECK_NEAR(rc_sec(&r, e->start), 2.5, TOL);
        CHECK_NEAR(rc_sec(&r, e->end), 3.2, TOL);
        CHECK_NEAR(e->value, 0.7, TOL);
    }
    CHECK_INT(r.sum.speaker[CS_AGENT].interruptions_made, 1);
    CHECK_INT(r.sum.speaker[CS_CUSTOMER].interruptions_made, 0);
    CHECK_NEAR(r.sum.overlap_s, 0.7, TOL);
    end(name, c, &r);
}

static void interruption(void)
{
    cg_call c;
    sc_interruption(&c, 16000, seed);
    expect_interruption_call("interruption: customer 0.5-3.2, agent barges in at 2.5 and talks to 6.0", &c);
    cg_call_free(&c);

    sc_interruption(&c, 16000, seed);
    for (int ch = 0; ch < 2; ch++) {
        c.ch[ch].noise = CG_NOISE_PINK;
        c.ch[ch].snr_db = 25.0;
    }
    expect_interruption_call("interruption with pink noise at 25 dB SNR", &c);
    cg_call_free(&c);

    sc_interruption(&c, 8000, seed);
    c.telephone = 1;
    c.mulaw = 1;
    expect_interruption_call("interruption through the telephone band and mu-law at 8 kHz", &c);
    cg_call_free(&c);

    sc_interruption(&c, 8000, seed);
    c.telephone = 1;
    c.mulaw = 1;
    for (int ch = 0; ch < 2; ch++) {
        c.ch[ch].noise = CG_NOISE_WHITE;
        c.ch[ch].snr_db = 30.0;
        c.ch[ch].echo = 1;
        c.ch[ch].echo_db = -25.0;
        c.ch[ch].echo_delay_s = 0.03;
    }
    expect_interruption_call("interruption, telephone + mu-law, line noise and echo", &c);
    cg_call_free(&c);

    rc_result r;
    const char *name = "cooperative overlap: agent 0.5-2.0, customer from 1.8 (agent stops 0.2 s after the onset)";
    cg_call_init(&c, 16000, 5.0, seed);
    cg_add(&c, CG_AGENT, 0.5, 2.0);
    cg_add(&c, CG_CUSTOMER, 1.8, 4.0);
    begin(name, &c, &r);
    expect_overlaps(&r, 0, 1, 0, 0);
    const cs_event *e = rc_nth(&r, CS_EVENT_OVERLAP, -1, 0);
    if (e) {
        CHECK_INT(e->speaker, CS_CUSTOMER);
        CHECK_INT(e->other, CS_AGENT);
        CHECK_NEAR(rc_sec(&r, e->start), 1.8, TOL);
    }
    /* the hand-over is a response with a negative gap */
    if (CHECK_INT(rc_count(&r, CS_EVENT_RESPONSE, CS_CUSTOMER), 1)) {
        e = rc_nth(&r, CS_EVENT_RESPONSE, CS_CUSTOMER, 0);
        CHECK_NEAR(e->value, -0.2, TOL);
        CHECK_INT(e->other, CS_AGENT);
    }
    end(name, &c, &r);
    cg_call_free(&c);

    name = "no interruption: the newcomer talks only 0.8 s";
    cg_call_init(&c, 16000, 5.0, seed);
    cg_add(&c, CG_CUSTOMER, 0.5, 3.2);
    cg_add(&c, CG_AGENT, 2.5, 3.3);
    begin(name, &c, &r);
    CHECK_INT(rc_count(&r, CS_EVENT_INTERRUPTION, -1), 0);
    CHECK_INT(rc_count(&r, CS_EVENT_BACKCHANNEL, -1), 0);
    CHECK_INT(rc_count(&r, CS_EVENT_OVERTALK, -1), 0);
    end(name, &c, &r);
    cg_call_free(&c);

    name = "no interruption: both start together (0.05 s apart)";
    cg_call_init(&c, 16000, 5.0, seed);
    cg_add(&c, CG_CUSTOMER, 0.5, 1.4);
    cg_add(&c, CG_AGENT, 0.55, 4.0);
    begin(name, &c, &r);
    CHECK_INT(rc_count(&r, CS_EVENT_INTERRUPTION, -1), 0);
    end(name, &c, &r);
    cg_call_free(&c);

    name = "interruption by the customer, agent stops 1.5 s after the onset";
    cg_call_init(&c, 16000, 8.0, seed);
    cg_add(&c, CG_AGENT, 0.5, 4.5);
    cg_add(&c, CG_CUSTOMER, 3.0, 7.0);
    begin(name, &c, &r);
    expect_overlaps(&r, 1, 0, 0, 0);
    e = rc_nth(&r, CS_EVENT_INTERRUPTION, -1, 0);
    if (e) {
        CHECK_INT(e->speaker, CS_CUSTOMER);
        CHECK_INT(e->other, CS_AGENT);
        CHECK_NEAR(rc_sec(&r, e->start), 3.0, TOL);
        CHECK_NEAR(e->value, 1.5, TOL);
    }
    CHECK_INT(r.sum.speaker[CS_CUSTOMER].interruptions_made, 1);
    end(name, &c, &r);
    cg_call_free(&c);
}

static void backchannel(void)
{
    rc_result r;
    cg_call c;
    const char *name = "backchannel: customer talks 0.5-12, agent \"mm-hm\" 5.0-5.4";
    cg_call_init(&c, 16000, 13.0, seed);
    cg_add(&c, CG_CUSTOMER, 0.5, 12.0);
    cg_add(&c, CG_AGENT, 5.0, 5.4);
    begin(name, &c, &r);
    expect_overlaps(&r, 0, 0, 1, 0);
    const cs_event *e = rc_nth(&r, CS_EVENT_BACKCHANNEL, -1, 0);
    if (e) {
        CHECK_INT(e->speaker, CS_AGENT);
        CHECK_INT(e->other, CS_CUSTOMER);
        CHECK_NEAR(rc_sec(&r, e->start), 5.0, TOL);
    }
    CHECK_INT(r.sum.speaker[CS_AGENT].backchannels_made, 1);
    CHECK_INT(r.sum.speaker[CS_CUSTOMER].turns, 1);
    end(name, &c, &r);
    cg_call_free(&c);

    name = "backchannel across the speaker's pause between sentences";
    cg_call_init(&c, 16000, 13.0, seed);
    cg_add(&c, CG_CUSTOMER, 0.5, 6.0);
    cg_add(&c, CG_CUSTOMER, 6.4, 12.0);
    cg_add(&c, CG_AGENT, 5.7, 6.1);
    begin(name, &c, &r);
    expect_overlaps(&r, 0, 0, 1, 0);
    e = rc_nth(&r, CS_EVENT_BACKCHANNEL, -1, 0);
    if (e)
        CHECK_INT(e->speaker, CS_AGENT);
    end(name, &c, &r);
    cg_call_free(&c);

    name = "three backchannels by the customer during an agent explanation, 8 kHz telephone";
    cg_call_init(&c, 8000, 16.0, seed);
    c.telephone = c.mulaw = 1;
    cg_add(&c, CG_AGENT, 0.5, 15.0);
    cg_add(&c, CG_CUSTOMER, 3.0, 3.35);
    cg_add(&c, CG_CUSTOMER, 7.0, 7.5);
    cg_add(&c, CG_CUSTOMER, 11.0, 11.6);
    begin(name, &c, &r);
    expect_overlaps(&r, 0, 0, 3, 0);
    CHECK_INT(rc_count(&r, CS_EVENT_BACKCHANNEL, CS_CUSTOMER), 3);
    CHECK_INT(r.sum.speaker[CS_CUSTOMER].backchannels_made, 3);
    end(name, &c, &r);
    cg_call_free(&c);
}

static void overtalk(void)
{
    rc_result r;
    cg_call c;
    const char *name = "overtalk: agent 1.0-7.0, customer 3.0-6.5, neither yields";
    cg_call_init(&c, 16000, 8.0, seed);
    cg_add(&c, CG_AGENT, 1.0, 7.0);
    cg_add(&c, CG_CUSTOMER, 3.0, 6.5);
    begin(name, &c, &r);
    expect_overlaps(&r, 0, 0, 0, 1);
    const cs_event *e = rc_nth(&r, CS_EVENT_OVERTALK, -1, 0);
    if (e) {
        CHECK_INT(e->speaker, CS_CUSTOMER);
        CHECK_INT(e->other, CS_AGENT);
        CHECK_NEAR(rc_sec(&r, e->start), 3.0, TOL);
    }
    CHECK_INT(r.sum.speaker[CS_CUSTOMER].overtalks_started, 1);
    CHECK_NEAR(r.sum.overlap_s, 3.5, TOL);
    end(name, &c, &r);
    cg_call_free(&c);
}

static void dead_air_case(double gap_s, int want_count, int want_tier)
{
    char name[96];
    snprintf(name, sizeof name, "mutual silence of %.1f s", gap_s);
    rc_result r;
    cg_call c;
    cg_call_init(&c, 16000, 3.0 + gap_s + 3.0, seed);
    cg_add(&c, CG_AGENT, 0.5, 3.0);
    cg_add(&c, CG_CUSTOMER, 3.0 + gap_s, 3.0 + gap_s + 2.0);
    begin(name, &c, &r);
    CHECK_INT(rc_count(&r, CS_EVENT_DEAD_AIR, -1), want_count);
    CHECK_INT(r.sum.dead_air_count, want_count);
    CHECK_INT(r.sum.dead_air_tier2_count, want_tier == 2 ? 1 : 0);
    const cs_event *e = rc_nth(&r, CS_EVENT_DEAD_AIR, -1, 0);
    if (e && want_count) {
        CHECK_INT(e->tier, want_tier);
        CHECK_NEAR(rc_sec(&r, e->start), 3.0, TOL);
        CHECK_NEAR(rc_sec(&r, e->end), 3.0 + gap_s, TOL);
    }
    CHECK_NEAR(r.sum.longest_silence_s, gap_s, TOL);
    CHECK_NEAR(r.sum.silence_s, gap_s, TOL);
    end(name, &c, &r);
    cg_call_free(&c);
}

static void dead_air(void)
{
    dead_air_case(6.0, 1, 2);
    dead_air_case(3.5, 1, 1);
    dead_air_case(2.5, 0, 0);
}

static void monologue(void)
{
    rc_result r;
    cg_call c;
    const char *name = "monologue: 70 s of agent speech with pauses under 3 s";
    cg_call_init(&c, 16000, 73.0, seed);
    sc_add_agent_stretch(&c);
    begin(name, &c, &r);
    CHECK_NEAR(r.sum.longest_monologue_s, 70.0, 0.2);
    CHECK_INT(r.sum.longest_monologue_speaker, CS_AGENT);
    CHECK_NEAR(r.sum.speaker[CS_AGENT].longest_monologue_s, 70.0, 0.2);
    int long_ones = 0;
    for (int i = 0; i < rc_count(&r, CS_EVENT_MONOLOGUE, -1); i++) {
        const cs_event *e = rc_nth(&r, CS_EVENT_MONOLOGUE, -1, i);
        if (rc_sec(&r, e->end - e->start) >= 60.0) {
            long_ones++;
            CHECK_INT(e->speaker, CS_AGENT);
            CHECK_NEAR(rc_sec(&r, e->start), 1.0, TOL);
            CHECK_NEAR(rc_sec(&r, e->end), 71.0, TOL);
        }
    }
    CHECK_INT(long_ones, 1);
    CHECK_INT(r.sum.dead_air_count, 0);
    end(name, &c, &r);
    cg_call_free(&c);

    name = "monologue: a customer backchannel does not break it";
    cg_call_init(&c, 16000, 73.0, seed);
    sc_add_agent_stretch(&c);
    cg_add(&c, CG_CUSTOMER, 20.0, 20.5);
    begin(name, &c, &r);
    CHECK_NEAR(r.sum.longest_monologue_s, 70.0, 0.2);
    CHECK_INT(r.sum.longest_monologue_speaker, CS_AGENT);
    end(name, &c, &r);
    cg_call_free(&c);

    name = "monologue: the customer speaking 1.6 s in a pause breaks it";
    cg_call_init(&c, 16000, 73.0, seed);
    sc_add_agent_stretch(&c);
    cg_add(&c, CG_CUSTOMER, 29.7, 31.3);
    begin(name, &c, &r);
    CHECK_NEAR(r.sum.longest_monologue_s, 39.5, 0.2);
    CHECK_INT(r.sum.longest_monologue_speaker, CS_AGENT);
    CHECK_NEAR(r.sum.speaker[CS_AGENT].longest_monologue_s, 39.5, 0.2);
    end(name, &c, &r);
    cg_call_free(&c);
}

static void turns(void)
{
    rc_result r;
    cg_call c;
    const char *name = "turns: the agent resuming after 1.0 s keeps the turn";
    cg_call_init(&c, 16000, 5.0, seed);
    cg_add(&c, CG_AGENT, 1.0, 2.0);
    cg_add(&c, CG_AGENT, 3.0, 4.0);
    begin(name, &c, &r);
    CHECK_INT(rc_count(&r, CS_EVENT_SEGMENT, CS_AGENT), 2);
    if (CHECK_INT(rc_count(&r, CS_EVENT_TURN, CS_AGENT), 1)) {
        const cs_event *e = rc_nth(&r, CS_EVENT_TURN, CS_AGENT, 0);
        CHECK_NEAR(rc_sec(&r, e->start), 1.0, TOL);
        CHECK_NEAR(rc_sec(&r, e->end), 4.0, TOL);
    }
    CHECK_INT(r.sum.speaker[CS_AGENT].turns, 1);
    CHECK_INT(r.sum.speaker[CS_AGENT].segments, 2);
    /* Each segment is drawn up to pre-roll + hangover (0.1 s with the
     * default profile) wider than its sound; talk time counts the drawn
     * segments, so two 1 s sounds give 2.0 to 2.2 s. */
    CHECK_NEAR(r.sum.speaker[CS_AGENT].talk_s, 2.1, 0.15);
    end(name, &c, &r);
    cg_call_free(&c);

    name = "turns: the agent resuming after 1.8 s starts a new turn";
    cg_call_init(&c, 16000, 6.0, seed);
    cg_add(&c, CG_AGENT, 1.0, 2.0);
    cg_add(&c, CG_AGENT, 3.8, 4.8);
    begin(name, &c, &r);
    CHECK_INT(rc_count(&r, CS_EVENT_TURN, CS_AGENT), 2);
    CHECK_INT(r.sum.speaker[CS_AGENT].turns, 2);
    end(name, &c, &r);
    cg_call_free(&c);
}

/* Customer turns of cust_s, each answered by the agent gap_s later, three times. */
static void latency_case(double cust_s, double gap_s, int want_rushed)
{
    char name[128];
    snprintf(name, sizeof name, "response latency: agent answers %.1f s after %.1f s customer turns, 3 times", gap_s,
             cust_s);
    rc_result r;
    cg_call c;
    cg_call_init(&c, 16000, 3.0 * (cust_s + gap_s + 2.9) + 1.0, seed);
    double t = 0.5, ends[3];
    for (int i = 0; i < 3; i++) {
        cg_add(&c, CG_CUSTOMER, t, t + cust_s);
        ends[i] = t + cust_s;
        cg_add(&c, CG_AGENT, t + cust_s + gap_s, t + cust_s + gap_s + 2.0);
        t += cust_s + gap_s + 2.0 + 0.9;
    }
    begin(name, &c, &r);
    const cs_speaker_summary *ag = &r.sum.speaker[CS_AGENT], *cu = &r.sum.speaker[CS_CUSTOMER];
    CHECK_INT(ag->responses, 3);
    CHECK_INT(ag->rushed_responses, want_rushed);
    CHECK_NEAR(ag->response_latency_median_s, gap_s, 0.08);
    CHECK_NEAR(ag->fast_response_share, gap_s < 0.2 ? 1.0 : 0.0, 1e-9);
    CHECK_INT(cu->responses, 2);
    CHECK_NEAR(cu->response_latency_median_s, 0.9, 0.08);
    CHECK_INT(cu->rushed_responses, 0);
    if (CHECK_INT(rc_count(&r, CS_EVENT_RESPONSE, CS_AGENT), 3))
        for (int i = 0; i < 3; i++) {
            const cs_event *e = rc_nth(&r, CS_EVENT_RESPONSE, CS_AGENT, i);
            CHECK_INT(e->other, CS_CUSTOMER);
            CHECK_NEAR(e->value, gap_s, 0.08);
            CHECK_NEAR(rc_sec(&r, e->start), ends[i], TOL);
            CHECK_NEAR(rc_sec(&r, e->end), ends[i] + gap_s, TOL);
            CHECK_INT(e->tier, cust_s >= 3.0 ? 1 : 0);
        }
    CHECK_INT(rc_count(&r, CS_EVENT_RESPONSE, CS_CUSTOMER), 2);
    expect_overlaps(&r, 0, 0, 0, 0);
    end(name, &c, &r);
    cg_call_free(&c);
}

static void latency(void)
{
    latency_case(4.0, 0.1, 3);
    latency_case(4.0, 0.5, 0);
    latency_case(2.0, 0.1, 0);
}

int main(void)
{
    check_begin("test_turns");
    seed = check_seed(1);
    interruption();
    backchannel();
    overtalk();
    dead_air();
    monologue();
    turns();
    latency();
    return check_end();
}
