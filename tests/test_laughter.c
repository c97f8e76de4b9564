/*
 * Laughter: a generated bout of laughter is found as a laughter event of the
 * right speaker at the right time, alone or shared, on a clean line and a
 * telephone one; speech is not laughter, whether calm, joyful or angry.
 */
#include "check.h"
#include "runcall.h"
#include "scenes.h"

#include <math.h>
#include <string.h>

#define RATE 8000
/* A bout is found within its first three calls and ends with its last. */
#define START_TOL_S 0.6
#define END_TOL_S 0.5
/* Shorter than the shortest bout generated here (2.5 s) by far. */
#define SHORT_FALSE_S 1.0

static uint64_t seed;

static double sec(long long sample) { return (double)sample / RATE; }

static void dump_laughter(const rc_result *r)
{
    for (size_t i = 0; i < r->nev; i++)
        if (r->ev[i].type == CS_EVENT_LAUGHTER)
            printf("    laughter %s %.2f-%.2f\n", cs_speaker_name(r->ev[i].speaker), sec(r->ev[i].start),
                   sec(r->ev[i].end));
}

/* The speaker's laughter events all lie inside [from_s, to_s] (widened by the
 * tolerances), the first starts near from_s, and together they cover at
 * least MIN_COVER_S of it (laughter counts only where voice activity hears
 * the laugher, and it may let the quiet last calls of a bout go). */
#define MIN_COVER_S 0.6
static int laughed(const rc_result *r, int speaker, double from_s, double to_s)
{
    int n = rc_count(r, CS_EVENT_LAUGHTER, speaker);
    int ok = CHECK(n >= 1);
    double covered = 0;
    for (int i = 0; i < n; i++) {
        const cs_event *e = rc_nth(r, CS_EVENT_LAUGHTER, speaker, i);
        ok &= CHECK(sec(e->start) >= from_s - START_TOL_S && sec(e->end) <= to_s + END_TOL_S);
        if (i == 0)
            ok &= CHECK_NEAR(sec(e->start), from_s, START_TOL_S);
        covered += sec(e->end) - sec(e->start);
    }
    ok &= CHECK(covered >= MIN_COVER_S);
    return ok;
}

static void shared_laughter(int telephone)
{
    check_case(telephone ? "both laugh together, telephone band and mu-law" : "both laugh together");
    int failed = check_failures();
    cg_call call;
    sc_friendly(&call, RATE, seed);
    call.telephone = call.mulaw = telephone;
    rc_result r;
    CHECK_INT(rc_run_call(&call, 4096, NULL, &r), CS_OK);
    cg_call_free(&call);
    laughed(&r, CS_AGENT, SC_LAUGH_START_S, SC_LAUGH_START_S + SC_LAUGH_S);
    laughed(&r, CS_CUSTOMER, SC_LAUGH_START_S + 0.3, SC_LAUGH_START_S + 0.3 + SC_LAUGH_S);
    if (check_failures() > failed) {
        dump_laughter(&r);
        rc_dump(&r, "shared laughter");
    }
    rc_free(&r);
}

static void laughing_alone(void)
{
    check_case("the customer laughs alone while the agent is silent");
    int failed = check_failures();
    cg_call call;
    cg_call_init(&call, RATE, 20.0, seed);
    cg_add(&call, CG_AGENT, 1.0, 5.0);
    cg_add(&call, CG_CUSTOMER, 5.6, 8.0);
    cg_utt laugh = {CG_CUSTOMER, 8.5, 2.5, 0.0, 0.0, CG_LAUGH, 1.0};
    cg_add_utt(&call, &laugh);
    cg_add(&call, CG_CUSTOMER, 11.5, 14.0);
    cg_add(&call, CG_AGENT, 14.6, 18.0);
    rc_result r;
    CHECK_INT(rc_run_call(&call, 4096, NULL, &r), CS_OK);
    cg_call_free(&call);
    laughed(&r, CS_CUSTOMER, 8.5, 11.0);
    CHECK_INT(rc_count(&r, CS_EVENT_LAUGHTER, CS_AGENT), 0);
    if (check_failures() > failed)
        dump_laughter(&r);
    rc_free(&r);
}

/* No laughter in speech: a conversation, and the agent calm, joyful and angry. */
static void speech_is_not_laughter(void)
{
    /* The detector's measured rate on speech is a short false bout every few
     * minutes (scripts/eval/laughter.py): at most one here, and short. */
    check_case("a two-minute conversation holds no bout of laughter");
    cg_call call;
    sc_conversation(&call, RATE, 120.0, seed, 1, 1);
    rc_result r;
    CHECK_INT(rc_run_call(&call, 4096, NULL, &r), CS_OK);
    cg_call_free(&call);
    int n = rc_count(&r, CS_EVENT_LAUGHTER, -1), ok = CHECK(n <= 1);
    for (int i = 0; i < n; i++) {
        const cs_event *e = rc_nth(&r, CS_EVENT_LAUGHTER, -1, i);
        ok &= CHECK(sec(e->end) - sec(e->start) < SHORT_FALSE_S);
    }
    if (!ok)
        dump_laughter(&r);
    rc_free(&r);

    check_case("calm, joyful and angry speech hold no laughter");
    sc_moods(&call, RATE, seed);
    CHECK_INT(rc_run_call(&call, 4096, NULL, &r), CS_OK);
    cg_call_free(&call);
    if (!CHECK_INT(rc_count(&r, CS_EVENT_LAUGHTER, -1), 0))
        dump_laughter(&r);
    rc_free(&r);
}

/* laughter.min_bursts comes from the profile: asking for more calls than a
 * 1 s window holds finds none. */
static void thresholds_from_profile(void)
{
    check_case("laughter.min_bursts from the profile");
    cs_profile prof;
    cs_profile_default(&prof);
    CHECK_INT(cs_profile_set(&prof, "laughter.min_bursts", "8"), CS_OK);
    cg_call call;
    sc_friendly(&call, RATE, seed);
    rc_result r;
    CHECK_INT(rc_run_call(&call, 4096, &prof, &r), CS_OK);
    cg_call_free(&call);
    CHECK_INT(rc_count(&r, CS_EVENT_LAUGHTER, -1), 0);
    rc_free(&r);
}

int main(void)
{
    check_begin("test_laughter");
    seed = check_seed(17);
    shared_laughter(0);
    shared_laughter(1);
    laughing_alone();
    speech_is_not_laughter();
    thresholds_from_profile();
    return check_end();
}
