/*
 * Live frames and cues: each cue of a generated call arrives when its moment
 * has come and not before, one at a time and never repeated within
 * live.cue_repeat_s; the delay from the sound to the cue is measured the
 * way a capture would see it (20 ms blocks).
 */
#include "callgen.h"
#include "check.h"
#include "runcall.h"
#include "scenes.h"

#include "callscope/callscope.h"

#include <math.h>

/* Live mode captures at the analysis rate, so nothing is resampled on the
 * quick path. */
#define LIVE_RATE_HZ 8000

#define MAX_CUES 32
#define BLOCK_S 0.02

typedef struct live_result {
    cs_cue cue[MAX_CUES];
    double heard_s[MAX_CUES];   /* audio pushed when the cue came out */
    int ncues;
    cs_live_meters at[4];       /* meters at the probe times */
    int nlive_frames;
    int64_t live_frame_end;     /* end of the last live frame */
    /* The agent's syllables and articulation time, over the live frames and over the final ones. */
    double live_syllables, live_articulation_s, final_syllables, final_articulation_s;
    int err;
} live_result;

/* Push a rendered call in capture-sized blocks through the analyzer and the
 * live stage; take the meters at the probe times (seconds, up to 4). */
static void run_live(const cg_call *call, int channels, const cs_profile *prof, const cs_baseline *agent_baseline,
                     const double *probe_s, int nprobes, live_result *res)
{
    memset(res, 0, sizeof *res);
    size_t nframes = 0;
    float *stereo = cg_render_all(call, &nframes);
    cs_config cfg;
    cs_config_default(&cfg, call->rate_hz, channels);
    cfg.live_frames = 1;
    cs_analyzer *a = NULL;
    cs_live *l = NULL;
    cs_tone_model model;
    cs_tone_model_default(&model);
    int err = stereo ? cs_open(&a, &cfg, prof) : CS_ENOMEM;
    if (err >= 0)
        err = cs_live_open(&l, prof, &model, &cfg, cs_live_frame_samples(a));
    if (err >= 0 && agent_baseline)
        err = cs_live_set_baseline(l, CS_AGENT, agent_baseline);
    size_t block = (size_t)(call->rate_hz * BLOCK_S);
    float *buf = malloc(block * (size_t)channels * sizeof *buf);
    int probe = 0;
    for (size_t at = 0; err >= 0 && buf && at < nframes; at += block) {
        size_t n = nframes - at < block ? nframes - at : block;
        for (size_t i = 0; i < n; i++)
            for (int c = 0; c < channels; c++)
                buf[i * (size_t)channels + (size_t)c] = stereo[2 * (at + i) + (size_t)c];
        size_t done = 0;
        while (err >= 0 && done < n) {
            long r = cs_push(a, buf + done * (size_t)channels, n - done);
            if (r < 0) {
                err = (int)r;
                break;
            }
            done += (size_t)r;
            cs_event ev;
            cs_frame fr;
            cs_flag fl;
            int got;
            while ((got = cs_pull(a, &ev)) > 0 || (got = cs_pull_flag(a, &fl)) > 0)
                ;
            while (got >= 0 && (got = cs_pull_frame(a, &fr)) > 0) {
                res->final_syllables += fr.speaker[CS_AGENT].syllables;
                res->final_articulation_s += fr.speaker[CS_AGENT].articulation_s;
            }
            if (got < 0)
                err = got;
            while (err >= 0 && cs_pull_live_frame(a, &fr) > 0) {
                res->nlive_frames++;
                res->live_frame_end = fr.end;
                res->live_syllables += fr.speaker[CS_AGENT].syllables;
                res->live_articulation_s += fr.speaker[CS_AGENT].articulation_s;
                err = cs_live_push(l, &fr);
                cs_cue c;
                while (cs_live_pull_cue(l, &c) > 0 && res->ncues < MAX_CUES) {
                    res->heard_s[res->ncues] = (double)(at + n) / call->rate_hz;
                    res->cue[res->ncues++] = c;
                }
            }
        }
        double now_s = (double)(at + n) / call->rate_hz;
        if (probe < nprobes && now_s >= probe_s[probe])
            cs_live_meters_get(l, &res->at[probe++]);
    }
    if (err >= 0)
        err = cs_finish(a);
    cs_frame fr;
    while (err >= 0 && cs_pull_frame(a, &fr) > 0) {
        res->final_syllables += fr.speaker[CS_AGENT].syllables;
        res->final_articulation_s += fr.speaker[CS_AGENT].articulation_s;
    }
    while (err >= 0 && cs_pull_live_frame(a, &fr) > 0) {
        res->nlive_frames++;
        res->live_frame_end = fr.end;
        res->live_syllables += fr.speaker[CS_AGENT].syllables;
        res->live_articulation_s += fr.speaker[CS_AGENT].articulation_s;
    }
    res->err = err;
    free(buf);
    free(stereo);
    cs_live_close(l);
    cs_close(a);
}

/* Seconds of the analyzer's sample index for a call recorded at input_rate_hz
 * and analysed under the default profile. */
static double seconds(int64_t samples, int input_rate_hz)
{
    cs_profile prof;
    cs_profile_default(&prof);
    return (double)samples / cs_analysis_rate(&prof, input_rate_hz);
}

static int count_kind(const live_result *r, cs_cue_kind kind)
{
    int n = 0;
    for (int i = 0; i < r->ncues; i++)
        n += r->cue[i].kind == kind;
    return n;
}

static void print_cues(const live_result *r)
{
    for (int i = 0; i < r->ncues; i++)
        printf("    %s at %.2f s (since %.2f s)\n", cs_cue_name(r->cue[i].kind), r->heard_s[i],
               seconds(r->cue[i].since, LIVE_RATE_HZ));
}

/* The first cue of `kind` came out between lo and hi seconds of audio heard. */
static void expect_cue(const live_result *r, cs_cue_kind kind, double lo, double hi)
{
    for (int i = 0; i < r->ncues; i++) {
        if (r->cue[i].kind != kind)
            continue;
        if (!CHECK(r->heard_s[i] >= lo && r->heard_s[i] <= hi))
            printf("    %s came at %.2f s, expected %.2f..%.2f s\n", cs_cue_name(kind), r->heard_s[i], lo, hi);
        return;
    }
    CHECK(!"cue missing");
    printf("    no %s cue\n", cs_cue_name(kind));
}

static void test_each_cue(uint64_t seed)
{
    check_case("each live cue at its moment, one at a time");
    cg_call call;
    sc_live_cues(&call, LIVE_RATE_HZ, seed);
    cs_profile prof;
    cs_profile_default(&prof);
    const double probes[] = {SC_LIVE_LOUD_S + 2.0, SC_LIVE_STORY_S + 10.0};
    live_result r;
    run_live(&call, 2, &prof, NULL, probes, 2, &r);
    CHECK_INT(r.err, CS_OK);
    if (!CHECK_INT(r.ncues, 5))
        print_cues(&r);
    for (int k = CS_CUE_SLOW_DOWN; k < CS_CUE_KIND_END; k++)
        CHECK_INT(count_kind(&r, (cs_cue_kind)k), 1);
    /* Raised voice: its first words, plus the quick path's delay, within the half second promised. */
    expect_cue(&r, CS_CUE_LOWER_VOICE, SC_LIVE_LOUD_S + 0.2, SC_LIVE_LOUD_S + 0.5);
    /* Talking over: live.let_finish_s (1 s) of overlap, then the delay. */
    expect_cue(&r, CS_CUE_LET_THEM_FINISH, SC_LIVE_BARGE_IN_S + 1.0, SC_LIVE_BARGE_IN_S + 1.5);
    /* Fast pace: the pace window must fill with the fast syllables first. */
    expect_cue(&r, CS_CUE_SLOW_DOWN, SC_LIVE_FAST_S + 3.0, SC_LIVE_FAST_S + 10.0);
    expect_cue(&r, CS_CUE_ACKNOWLEDGE, SC_LIVE_STORY_S + 15.0, SC_LIVE_STORY_S + 15.5);
    expect_cue(&r, CS_CUE_ASK_A_QUESTION, SC_LIVE_MONOLOGUE_S + 45.0, SC_LIVE_MONOLOGUE_S + 45.5);
    /* From the frame that decided a cue to the cue: the quick path's delay
     * (voice activity's look-ahead and one live frame; the level does not
     * wait for the syllables' look-ahead). */
    for (int i = 0; i < r.ncues; i++) {
        double delay = r.heard_s[i] - seconds(r.cue[i].at, LIVE_RATE_HZ);
        CHECK(delay >= 0 && delay <= 0.2);
    }
    for (int i = 1; i < r.ncues; i++)
        CHECK(r.heard_s[i] - r.heard_s[i - 1] >= rc_default_value("live.cue_show_s"));

    /* The meters while the agent is loud, and while the customer tells the story. */
    const cs_live_speaker *agent = &r.at[0].speaker[CS_AGENT];
    CHECK(agent->speaking);
    CHECK(agent->baseline_known);
    CHECK(agent->level_over_db >= 6.0 && agent->level_over_db < 14.0);
    CHECK(agent->arousal > 0.3);
    CHECK_INT(r.at[0].cue, CS_CUE_LOWER_VOICE);
    const cs_live_speaker *customer = &r.at[1].speaker[CS_CUSTOMER];
    CHECK(customer->speaking);
    CHECK(r.at[1].speaker[CS_AGENT].since_spoke_s > 10.0);
    CHECK(customer->talk_share > 0.2 && customer->talk_share < 0.5);
    CHECK_NEAR(customer->talk_share + r.at[1].speaker[CS_AGENT].talk_share, 1.0, 1e-9);
    /* Live frames cover the whole call, every live.frame_s. */
    CHECK_INT(r.nlive_frames, (int)(SC_LIVE_DURATION_S / rc_default_value("live.frame_s") + 0.5));
    CHECK_INT(r.live_frame_end, cg_frames(&call));
    cg_call_free(&call);
}

/* A stored agent baseline a little under the generator's normal voice (-20
 * dBFS), so that normal speech stays within raised_voice.db of it whatever
 * the seed, and only the raised speech (-6 or -4 dBFS) passes. */
static const cs_baseline usual_voice = {600, 110, 3, -23, -12, 7, NAN};

static void test_repeat(uint64_t seed)
{
    check_case("a cue is not repeated within live.cue_repeat_s");
    /* The agent stays loud for 40 s after the usual warm-up. */
    cg_call call;
    cg_call_init(&call, LIVE_RATE_HZ, 90.0, seed);
    for (double t = 1; t < 40; t += 11) {
        cg_add(&call, CG_AGENT, t, t + 6);
        cg_add(&call, CG_CUSTOMER, t + 7, t + 10);
    }
    for (double t = 44; t < 84; t += 5) {
        cg_utt u = {CG_AGENT, t, 4.5, -6.0, 0.0, CG_SPEECH, 0.8};
        cg_add_utt(&call, &u);
    }
    /* Against a stored baseline, which 40 s of loud talk cannot shift. */
    cs_profile prof;
    cs_profile_default(&prof);
    live_result r;
    run_live(&call, 2, &prof, &usual_voice, NULL, 0, &r);
    if (!CHECK_INT(count_kind(&r, CS_CUE_LOWER_VOICE), 2))
        print_cues(&r);
    int first = -1, second = -1;
    for (int i = 0; i < r.ncues; i++)
        if (r.cue[i].kind == CS_CUE_LOWER_VOICE)
            *(first < 0 ? &first : &second) = i;
    if (first >= 0 && second >= 0) {
        CHECK_NEAR(r.heard_s[first], 44.6, 0.6);
        double gap = r.heard_s[second] - r.heard_s[first];
        if (!CHECK(gap >= 30.0 && gap < 31.0))
            print_cues(&r);
    }

    check_case("live.cue_repeat_s from the profile");
    cs_profile_set(&prof, "live.cue_repeat_s", "12");
    run_live(&call, 2, &prof, &usual_voice, NULL, 0, &r);
    CHECK_INT(count_kind(&r, CS_CUE_LOWER_VOICE), 4);
    cg_call_free(&call);
}

static void test_one_channel(uint64_t seed)
{
    check_case("one channel: the agent's own cues, nothing about the customer");
    cg_call call;
    sc_live_cues(&call, LIVE_RATE_HZ, seed);
    cs_profile prof;
    cs_profile_default(&prof);
    const double probes[] = {SC_LIVE_LOUD_S + 2.0};
    live_result r;
    run_live(&call, 1, &prof, NULL, probes, 1, &r);
    CHECK_INT(r.err, CS_OK);
    CHECK_INT(count_kind(&r, CS_CUE_LET_THEM_FINISH), 0);
    CHECK_INT(count_kind(&r, CS_CUE_ACKNOWLEDGE), 0);
    CHECK_INT(count_kind(&r, CS_CUE_LOWER_VOICE), 1);
    CHECK(isnan(r.at[0].speaker[CS_AGENT].talk_share));
    CHECK(isnan(r.at[0].speaker[CS_CUSTOMER].since_spoke_s));
    cg_call_free(&call);
}

static void test_stored_baseline(uint64_t seed)
{
    check_case("a stored baseline: raised voice is cued before 20 s of speech");
    cg_call call;
    cg_call_init(&call, LIVE_RATE_HZ, 20.0, seed);
    cg_add(&call, CG_AGENT, 1.0, 5.0);
    cg_utt loud = {CG_AGENT, 8.0, 5.0, -4.0, 0.0, CG_SPEECH, 1.0};
    cg_add_utt(&call, &loud);
    cs_profile prof;
    cs_profile_default(&prof);
    live_result r;
    run_live(&call, 2, &prof, NULL, NULL, 0, &r);
    CHECK_INT(count_kind(&r, CS_CUE_LOWER_VOICE), 0); /* learning: not yet */
    run_live(&call, 2, &prof, &usual_voice, NULL, 0, &r);
    CHECK_INT(count_kind(&r, CS_CUE_LOWER_VOICE), 1);
    expect_cue(&r, CS_CUE_LOWER_VOICE, 8.0, 9.0);
    cg_call_free(&call);
}

/* The live frames come from the first activity decisions, which break a
 * phrase at its quieter syllables where the final ones bridge the gap and
 * start each spurt a little early; the articulation time then shrank and the
 * live pace came out half as fast again as the report's on a noisy line.
 * Over the same call the two must agree. */
static void test_live_pace(uint64_t seed)
{
    check_case("the live frames' pace agrees with the final frames' on a noisy line");
    const double phrase_s = 4.0, period_s = 4.6, duration_s = 60.0;
    cg_call call;
    cg_call_init(&call, 8000, duration_s, seed);
    call.ch[0].noise = call.ch[1].noise = CG_NOISE_WHITE;
    call.ch[0].snr_db = call.ch[1].snr_db = 20.0;
    call.telephone = call.mulaw = 1;
    for (double t = 1.0; t + phrase_s < duration_s; t += period_s)
        cg_add(&call, CG_AGENT, t, t + phrase_s);
    cs_profile prof;
    cs_profile_default(&prof);
    live_result r;
    run_live(&call, 2, &prof, NULL, NULL, 0, &r);
    CHECK_INT(r.err, CS_OK);
    double live_pace = r.live_syllables / r.live_articulation_s;
    double final_pace = r.final_syllables / r.final_articulation_s;
    if (!CHECK(fabs(live_pace / final_pace - 1) <= 0.05))
        printf("    live %.2f syllables/s, final %.2f\n", live_pace, final_pace);
    cg_call_free(&call);
}

static void test_api(void)
{
    check_case("live API: arguments and states");
    cs_config cfg;
    cs_config_default(&cfg, LIVE_RATE_HZ, 2);
    cs_profile prof;
    cs_profile_default(&prof);
    cs_tone_model model;
    cs_tone_model_default(&model);
    cs_analyzer *a = NULL;
    CHECK_INT(cs_open(&a, &cfg, &prof), CS_OK);
    cs_frame fr;
    CHECK_INT(cs_pull_live_frame(a, &fr), CS_ESTATE);
    CHECK_INT(cs_live_frame_samples(a), CS_ESTATE);
    cs_close(a);
    cfg.live_frames = 1;
    CHECK_INT(cs_open(&a, &cfg, &prof), CS_OK);
    CHECK_INT(cs_live_frame_samples(a), (int)lround(cs_analysis_rate(&prof, LIVE_RATE_HZ) * rc_default_value("live.frame_s")));
    CHECK_INT(cs_pull_live_frame(a, NULL), CS_EINVAL);
    cs_live *l = NULL;
    CHECK_INT(cs_live_open(&l, &prof, &model, &cfg, 0), CS_EINVAL);
    CHECK(l == NULL);
    CHECK_INT(cs_live_open(&l, &prof, &model, &cfg, cs_live_frame_samples(a)), CS_OK);
    cs_cue c;
    CHECK_INT(cs_live_pull_cue(l, &c), 0);
    CHECK_INT(cs_live_push(l, NULL), CS_EINVAL);
    cs_live_meters m;
    CHECK_INT(cs_live_meters_get(l, &m), CS_OK);
    CHECK_INT(m.cue, 0);
    CHECK(isnan(m.speaker[CS_AGENT].talk_share));
    CHECK_STR(cs_cue_name(CS_CUE_ACKNOWLEDGE), "acknowledge");
    CHECK_STR(cs_cue_name(CS_CUE_KIND_END), "unknown");
    cs_coaching coaching;
    cs_coaching_default(&coaching);
    for (int k = CS_CUE_SLOW_DOWN; k < CS_CUE_KIND_END; k++)
        CHECK(strlen(cs_cue_text(&coaching, (cs_cue_kind)k)) > 5);
    CHECK_INT(cs_coaching_parse(&coaching, "cue.slow_down = Easy now\n", NULL), CS_OK);
    CHECK_STR(cs_cue_text(&coaching, CS_CUE_SLOW_DOWN), "Easy now");
    int line = 0;
    CHECK_INT(cs_coaching_parse(&coaching, "cue.hurry_up = Faster\n", &line), CS_EPROFILE);
    CHECK_INT(line, 1);
    CHECK_INT(cs_live_finish(l), CS_OK);
    cs_live_close(l);
    cs_close(a);
    cs_live_close(NULL);
}

int main(void)
{
    check_begin("test_cues");
    uint64_t seed = check_seed(5);
    test_api();
    test_each_cue(seed);
    test_repeat(seed);
    test_one_channel(seed);
    test_stored_baseline(seed);
    test_live_pace(seed);
    return check_end();
}
