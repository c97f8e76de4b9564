/*
 * Conversation flags: each kind on a generated call that should raise it,
 * at the moment it should, and on a near miss that should not; a calm,
 * balanced call raises none. Also the coaching text (messages with their
 * numbers, tips, a bad template refused) and the call score.
 */
#include "check.h"
#include "runcall.h"
#include "scenes.h"

#include <math.h>
#include <string.h>

#define RATE 8000
/* Detection edges move by a few hops of pre-roll and hangover. */
#define EDGE_TOL_S 0.25

static uint64_t seed;

static double sec(long long sample) { return (double)sample / RATE; }

static void dump_flags(const rc_result *r)
{
    for (size_t i = 0; i < r->nflag; i++)
        printf("    flag %-20s %.2f-%.2f severity %.2f measure %.3f context %.3f count %d\n",
               cs_flag_kind_name(r->flag[i].kind), sec(r->flag[i].start), sec(r->flag[i].end), r->flag[i].severity,
               r->flag[i].measure, r->flag[i].context, r->flag[i].count);
}

static void run(cg_call *call, rc_result *r)
{
    CHECK_INT(rc_run_call(call, 4096, NULL, r), CS_OK);
    cg_call_free(call);
}

/* Exactly `n` flags of the kind and no flag of any other kind (but `also`,
 * which may come too; 0 for none). */
static int only_but(const rc_result *r, cs_flag_kind kind, int n, cs_flag_kind also)
{
    int ok = CHECK_INT(rc_flag_count(r, kind), n);
    ok &= CHECK_INT((int)r->nflag - (also ? rc_flag_count(r, also) : 0), n);
    if (!ok) {
        dump_flags(r);
        rc_dump(r, "events");
    }
    return ok;
}

static int only(const rc_result *r, cs_flag_kind kind, int n) { return only_but(r, kind, n, 0); }

static void severity_in_range(const cs_flag *f)
{
    CHECK(f->severity >= 0.5 && f->severity <= 1.0);
    CHECK_INT(f->speaker, CS_AGENT);
}

static void interrupted_customer(void)
{
    check_case("interrupted_customer: the agent barges in at 2.5 s");
    cg_call c;
    rc_result r;
    sc_interruption(&c, RATE, seed);
    run(&c, &r);
    if (only(&r, CS_FLAG_INTERRUPTED_CUSTOMER, 1)) {
        const cs_flag *f = rc_nth_flag(&r, CS_FLAG_INTERRUPTED_CUSTOMER, 0);
        CHECK_NEAR(sec(f->start), 2.5, EDGE_TOL_S);
        CHECK_NEAR(sec(f->end), 3.2, EDGE_TOL_S);
        CHECK_NEAR(f->measure, 0.7, EDGE_TOL_S);
        severity_in_range(f);
    }
    rc_free(&r);
}

static void overtalk(void)
{
    check_case("overtalk: both keep talking for 3 s from 3.0 s");
    cg_call c;
    rc_result r;
    sc_overtalk(&c, RATE, seed);
    run(&c, &r);
    if (only(&r, CS_FLAG_OVERTALK, 1)) {
        const cs_flag *f = rc_nth_flag(&r, CS_FLAG_OVERTALK, 0);
        CHECK_NEAR(sec(f->start), SC_OVERTALK_START_S, EDGE_TOL_S);
        CHECK_NEAR(f->measure, SC_OVERTALK_END_S - SC_OVERTALK_START_S, 2 * EDGE_TOL_S);
        severity_in_range(f);
    }
    rc_free(&r);
}

static void rushed_response(void)
{
    check_case("rushed_response: three quick replies to long turns are flagged, each where it happened");
    cg_call c;
    rc_result r;
    sc_rushed(&c, RATE, seed, 3);
    run(&c, &r);
    if (only(&r, CS_FLAG_RUSHED_RESPONSE, 3)) {
        for (int k = 0; k < 3; k++) {
            const cs_flag *f = rc_nth_flag(&r, CS_FLAG_RUSHED_RESPONSE, k);
            /* The flag spans the gap, from the customer's last sound to the reply's first. */
            CHECK_NEAR(sec(f->start), SC_RUSHED_FIRST_REPLY_S - SC_RUSHED_GAP_S + SC_RUSHED_PERIOD_S * k, 0.03);
            CHECK_NEAR(sec(f->end), SC_RUSHED_FIRST_REPLY_S + SC_RUSHED_PERIOD_S * k, 0.03);
            CHECK(f->start <= f->end);
            CHECK(f->measure < rc_default_value("rushed.max_gap_s"));
            CHECK_NEAR(f->context, 5.0, 2 * EDGE_TOL_S);
            CHECK_INT(f->count, k + 1);
            severity_in_range(f);
        }
    }
    rc_free(&r);

    check_case("rushed_response: two quick replies are not a habit yet");
    sc_rushed(&c, RATE, seed, 2);
    run(&c, &r);
    only(&r, CS_FLAG_RUSHED_RESPONSE, 0);
    rc_free(&r);
}

static void no_acknowledgement(void)
{
    check_case("no_acknowledgement: a 24 s customer story with silence from the agent");
    cg_call c;
    rc_result r;
    sc_story(&c, RATE, seed, 0);
    run(&c, &r);
    if (only(&r, CS_FLAG_NO_ACKNOWLEDGEMENT, 1)) {
        const cs_flag *f = rc_nth_flag(&r, CS_FLAG_NO_ACKNOWLEDGEMENT, 0);
        CHECK_NEAR(sec(f->start), SC_STORY_START_S, EDGE_TOL_S);
        CHECK_NEAR(sec(f->end), SC_STORY_END_S, EDGE_TOL_S);
        CHECK_NEAR(f->measure, SC_STORY_END_S - SC_STORY_START_S, 2 * EDGE_TOL_S);
    }
    rc_free(&r);

    check_case("no_acknowledgement: the same story with one \"mm-hm\" is fine");
    sc_story(&c, RATE, seed, 1);
    run(&c, &r);
    CHECK_INT(rc_count(&r, CS_EVENT_BACKCHANNEL, CS_AGENT), 1);
    only(&r, CS_FLAG_NO_ACKNOWLEDGEMENT, 0);
    rc_free(&r);
}

static void long_monologue(void)
{
    /* The customer never speaks, so the agent also dominates the talk. */
    check_case("long_monologue: the agent talks 1-71 s with short pauses");
    cg_call c;
    rc_result r;
    sc_monologue(&c, RATE, seed);
    run(&c, &r);
    CHECK_INT(rc_flag_count(&r, CS_FLAG_TALK_DOMINANCE), 1);
    if (only_but(&r, CS_FLAG_LONG_MONOLOGUE, 1, CS_FLAG_TALK_DOMINANCE)) {
        const cs_flag *f = rc_nth_flag(&r, CS_FLAG_LONG_MONOLOGUE, 0);
        CHECK_NEAR(sec(f->start), 1.0, EDGE_TOL_S);
        CHECK_NEAR(sec(f->end), 71.0, EDGE_TOL_S);
        CHECK_NEAR(f->measure, 70.0, 2 * EDGE_TOL_S);
    }
    rc_free(&r);

    check_case("long_monologue: 50 s is under the minute");
    static const double parts[][2] = {{1.0, 8.0}, {9.5, 16.0}, {17.0, 24.0}, {26.0, 29.5},
                                      {31.5, 38.0}, {39.2, 46.0}, {47.5, 51.0}};
    cg_call_init(&c, RATE, 55.0, seed);
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        cg_add(&c, CG_AGENT, parts[i][0], parts[i][1]);
    run(&c, &r);
    only_but(&r, CS_FLAG_LONG_MONOLOGUE, 0, CS_FLAG_TALK_DOMINANCE);
    rc_free(&r);
}

/* Agent share of the truth's talk in [a, b). */
static double truth_share(const cg_call *call, double a, double b)
{
    cg_interval iv[512];
    double talk[2] = {0, 0};
    for (int s = 0; s < 2; s++) {
        int n = cg_truth(call, s, iv, 512);
        for (int i = 0; i < n; i++) {
            double x = iv[i].start_s > a ? iv[i].start_s : a, y = iv[i].end_s < b ? iv[i].end_s : b;
            if (y > x)
                talk[s] += y - x;
        }
    }
    return talk[0] / (talk[0] + talk[1]);
}

static void talk_dominance(void)
{
    check_case("talk_dominance: the agent does 83% of a 2-minute call's talking");
    cg_call c;
    rc_result r;
    sc_dominance(&c, RATE, seed);
    double share = truth_share(&c, 0, c.duration_s);
    run(&c, &r);
    if (only(&r, CS_FLAG_TALK_DOMINANCE, 1)) {
        const cs_flag *f = rc_nth_flag(&r, CS_FLAG_TALK_DOMINANCE, 0);
        CHECK_NEAR(f->measure, share, 0.02);
        CHECK_NEAR(sec(f->start), 1.0, EDGE_TOL_S);
        CHECK(sec(f->end) > 110.0);
    }
    rc_free(&r);

    check_case("talk_dominance: one dominated stretch in a call balanced overall");
    sc_dominant_stretch(&c, RATE, seed);
    double window = rc_default_value("talk_dominance.window_s"), need = rc_default_value("talk_dominance.share");
    CHECK(truth_share(&c, 0, c.duration_s) < need);
    /* Where the truth's sliding window is over the line. */
    double first = -1, last = -1, peak = 0;
    for (double t = 0; t + window <= c.duration_s; t += 0.5) {
        double sh = truth_share(&c, t, t + window);
        if (sh > need) {
            if (first < 0)
                first = t;
            last = t + window;
            peak = sh > peak ? sh : peak;
        }
    }
    run(&c, &r);
    int dominance = rc_flag_count(&r, CS_FLAG_TALK_DOMINANCE);
    if (CHECK_INT(dominance, 1)) {
        const cs_flag *f = rc_nth_flag(&r, CS_FLAG_TALK_DOMINANCE, 0);
        /* A share near its threshold moves slowly: 5 s is 3% of the window. */
        CHECK_NEAR(sec(f->start), first, 5.0);
        CHECK_NEAR(sec(f->end), last, 5.0);
        CHECK_NEAR(f->measure, peak, 0.03);
        CHECK_NEAR(f->context, last - first, 10.0);
    } else {
        dump_flags(&r);
    }
    rc_free(&r);
}

static void dead_air(void)
{
    check_case("dead_air: 7 s of silence from 5 s");
    cg_call c;
    rc_result r;
    sc_dead_air(&c, RATE, seed, 0);
    run(&c, &r);
    if (only(&r, CS_FLAG_DEAD_AIR, 1)) {
        const cs_flag *f = rc_nth_flag(&r, CS_FLAG_DEAD_AIR, 0);
        CHECK_NEAR(sec(f->start), SC_SILENCE_START_S, EDGE_TOL_S);
        CHECK_NEAR(sec(f->end), SC_SILENCE_END_S, EDGE_TOL_S);
        CHECK_NEAR(f->measure, SC_SILENCE_END_S - SC_SILENCE_START_S, 2 * EDGE_TOL_S);
    }
    rc_free(&r);

    check_case("dead_air: the same silence filled by hold music is not dead air");
    sc_dead_air(&c, RATE, seed, 1);
    run(&c, &r);
    CHECK_INT(rc_count(&r, CS_EVENT_HOLD, -1), 1);
    only(&r, CS_FLAG_DEAD_AIR, 0);
    rc_free(&r);

    check_case("dead_air: 4 s of silence is under the flag's 5 s");
    sc_everything(&c, RATE, seed);
    run(&c, &r);
    CHECK_INT(rc_count(&r, CS_EVENT_DEAD_AIR, -1), 1);
    CHECK_INT(rc_flag_count(&r, CS_FLAG_DEAD_AIR), 0);
    rc_free(&r);
}

static void calm_call(void)
{
    check_case("a calm, balanced call raises no flag");
    cg_call c;
    rc_result r;
    sc_calm(&c, RATE, seed);
    run(&c, &r);
    if (!CHECK_INT((int)r.nflag, 0))
        dump_flags(&r);
    rc_free(&r);
}

static void thresholds_from_profile(void)
{
    check_case("the profile moves the thresholds: an 80 s monologue limit spares the 70 s monologue, one rushed "
               "reply is enough when rushed_response.min_count is 1");
    cs_profile prof;
    cs_profile_default(&prof);
    CHECK_INT(cs_profile_set(&prof, "long_monologue.min_s", "80"), CS_OK);
    cg_call c;
    rc_result r;
    sc_monologue(&c, RATE, seed);
    CHECK_INT(rc_run_call(&c, 4096, &prof, &r), CS_OK);
    cg_call_free(&c);
    CHECK_INT(rc_flag_count(&r, CS_FLAG_LONG_MONOLOGUE), 0);
    rc_free(&r);
    CHECK_INT(cs_profile_set(&prof, "rushed_response.min_count", "1"), CS_OK);
    sc_rushed(&c, RATE, seed, 1);
    CHECK_INT(rc_run_call(&c, 4096, &prof, &r), CS_OK);
    cg_call_free(&c);
    CHECK_INT(rc_flag_count(&r, CS_FLAG_RUSHED_RESPONSE), 1);
    rc_free(&r);
}

static void coaching_text(void)
{
    check_case("every kind has a name, a message and a tip in the built-in coaching text");
    cs_coaching co;
    cs_coaching_default(&co);
    for (int k = CS_FLAG_FAST_PACE; k < CS_FLAG_KIND_END; k++) {
        CHECK(strcmp(cs_flag_kind_name((cs_flag_kind)k), "unknown") != 0);
        CHECK(strlen(co.message[k]) > 20);
        CHECK(strlen(cs_flag_tip(&co, (cs_flag_kind)k)) > 20);
        CHECK(cs_flag_detail_name((cs_flag_kind)k, 0) != NULL);
    }
    CHECK_STR(cs_flag_kind_name(CS_FLAG_KIND_END), "unknown");

    check_case("a message quotes the flag's numbers");
    cs_flag f;
    memset(&f, 0, sizeof f);
    f.kind = CS_FLAG_RUSHED_RESPONSE;
    f.start = 95 * RATE;
    f.end = (int64_t)(95.1 * RATE);
    f.measure = 0.1;
    f.context = 40.0;
    f.count = 3;
    char msg[1024];
    int n = cs_flag_message(&co, &f, RATE, msg, sizeof msg);
    CHECK(n > 0 && (size_t)n == strlen(msg));
    CHECK(strstr(msg, "1:35") != NULL);
    CHECK(strstr(msg, "0.1 s") != NULL);
    CHECK(strstr(msg, "40-second") != NULL);
    CHECK(strstr(msg, "number 3") != NULL);
    char small[12];
    CHECK_INT(cs_flag_message(&co, &f, RATE, small, sizeof small), n);
    CHECK_INT((int)strlen(small), 11);

    check_case("coaching text: override one kind, refuse unknown kinds and placeholders");
    int line = -1;
    CHECK_INT(cs_coaching_parse(&co, "# mine\noverticket.tip = x\n", &line), CS_EPROFILE);
    CHECK_INT(line, 2);
    CHECK_INT(cs_coaching_parse(&co, "dead_air.message = quiet for {gap_s} s\n", &line), CS_EPROFILE);
    CHECK_INT(cs_coaching_parse(&co, "dead_air.message = quiet for {silence_s s\n", &line), CS_EPROFILE);
    CHECK_INT(cs_coaching_parse(&co, "dead_air.message = quiet for {silence_s:0} s at {start}\n", &line), CS_OK);
    f.kind = CS_FLAG_DEAD_AIR;
    f.measure = 6.4;
    cs_flag_message(&co, &f, RATE, msg, sizeof msg);
    CHECK_STR(msg, "quiet for 6 s at 1:35");
}

static void call_score(void)
{
    check_case("call score: 100 without flags, each flag costs weight x severity, long calls are scaled");
    cs_profile prof;
    cs_profile_default(&prof);
    CHECK_NEAR(cs_call_score(&prof, 0, 120), 100, 1e-9);
    cs_flag f;
    memset(&f, 0, sizeof f);
    f.kind = CS_FLAG_INTERRUPTED_CUSTOMER;
    f.severity = 0.5;
    double w = rc_default_value("score.interrupted_customer");
    CHECK_NEAR(cs_flag_penalty(&prof, &f), 0.5 * w, 1e-9);
    CHECK_NEAR(cs_call_score(&prof, 0.5 * w, 120), 100 - 0.5 * w, 1e-9);
    double ref_min = rc_default_value("score.reference_min");
    CHECK_NEAR(cs_call_score(&prof, 20, 2 * ref_min * 60), 90, 1e-9);
    CHECK_NEAR(cs_call_score(&prof, 500, 60), 0, 1e-9);
    CHECK(isnan(cs_call_score(&prof, NAN, 60)));
}

int main(void)
{
    check_begin("test_flags");
    seed = check_seed(11);
    interrupted_customer();
    overtalk();
    rushed_response();
    no_acknowledgement();
    long_monologue();
    talk_dominance();
    dead_air();
    calm_call();
    thresholds_from_profile();
    coaching_text();
    call_score();
    return check_end();
}
