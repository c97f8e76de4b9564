/*
 * Mono separation: a generated two-party call mixed to one channel must come
 * out with the same speakers as its two-channel original (talk time, pitch,
 * who is the agent), identically for any push block size; the role options
 * and a stored baseline's pitch choose the agent; held-back hops drain through repeated cs_finish calls; and a call
 * longer than the learning stretch gives events before it ends.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callgen.h"
#include "callscope/callscope.h"
#include "check.h"
#include "runcall.h"
#include "scenes.h"

#define RATE 8000

static uint64_t seed;

/* The stereo call, and the same call as a mono mix (or one side only). */
typedef struct two_ways {
    cg_call call;
    float *stereo, *mono;
    size_t frames;
} two_ways;

/* Renders t->call (set up by the caller) both ways. */
static void render_both(two_ways *t, int which)
{
    t->stereo = cg_render_all(&t->call, &t->frames);
    t->mono = malloc(t->frames * sizeof *t->mono);
    if (!t->stereo || !t->mono) {
        fprintf(stderr, "test_diarize: out of memory\n");
        exit(2);
    }
    for (size_t i = 0; i < t->frames; i++)
        t->mono[i] = which < 0 ? t->stereo[2 * i] + t->stereo[2 * i + 1] : t->stereo[2 * i + (size_t)which];
}

static void make_call(two_ways *t, double duration_s, int which)
{
    sc_conversation(&t->call, RATE, duration_s, seed, 1, 0);
    render_both(t, which);
}

static void free_call(two_ways *t)
{
    cg_call_free(&t->call);
    free(t->stereo);
    free(t->mono);
}

static cs_config mono_config(void)
{
    cs_config cfg;
    cs_config_default(&cfg, RATE, 1);
    cfg.diarize = 1;
    return cfg;
}

static double truth_talk(const cg_call *call, int speaker)
{
    cg_interval iv[512];
    int n = cg_truth(call, speaker, iv, 512);
    double s = 0;
    for (int i = 0; i < n && i < 512; i++)
        s += iv[i].end_s - iv[i].start_s;
    return s;
}

static int same_events(const rc_result *a, const rc_result *b)
{
    if (a->nev != b->nev)
        return 0;
    for (size_t i = 0; i < a->nev; i++)
        if (memcmp(&a->ev[i], &b->ev[i], sizeof a->ev[i]) != 0)
            return 0;
    return 1;
}

/* The mix is separated like the two channels: each voice's talk time and
 * pitch, the agent first, with a clear margin. */
static void separates_a_mix(void)
{
    check_case("a two-minute mixed call separates into the stereo call's speakers");
    two_ways t;
    make_call(&t, 120, -1);
    rc_result stereo, mono, mono_small;
    rc_run(t.stereo, t.frames, 2, RATE, 4096, NULL, &stereo);
    cs_config cfg = mono_config();
    rc_run_config(t.mono, t.frames, &cfg, 4096, NULL, &mono);
    CHECK_INT(mono.err, CS_OK);
    CHECK_INT(mono.sum.diarized, 1);
    CHECK_INT(mono.sum.voices, 2);
    CHECK(mono.sum.separation_confidence > 0.8);
    CHECK_INT(mono.sum.separation_doubtful, 0);
    for (size_t i = 0; i < mono.nflag; i++)
        CHECK_INT(mono.flag[i].doubtful, 0);
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        double truth = truth_talk(&t.call, s);
        CHECK_NEAR(mono.sum.speaker[s].talk_s, truth, 0.08 * truth);
        CHECK_NEAR(mono.sum.speaker[s].pitch_median_hz, stereo.sum.speaker[s].pitch_median_hz,
                   0.05 * stereo.sum.speaker[s].pitch_median_hz);
    }
    /* Whatever the block size, the same events. */
    rc_run_config(t.mono, t.frames, &cfg, 1, NULL, &mono_small);
    CHECK(same_events(&mono, &mono_small));
    rc_free(&stereo);
    rc_free(&mono_small);

    /* Voices that stood apart only a quarter as much would leave a quarter
     * of the confidence (two voices alike place their pieces clearly too). */
    check_case("the separation confidence scales with how far the voices stand apart");
    CHECK(mono.sum.separation_gain >= rc_default_value("diarize.confident_gain"));
    cs_profile prof;
    cs_profile_default(&prof);
    char apart[32];
    snprintf(apart, sizeof apart, "%.6f", 4 * mono.sum.separation_gain);
    CHECK_INT(cs_profile_set(&prof, "diarize.confident_gain", apart), CS_OK);
    rc_result doubtful;
    rc_run_config(t.mono, t.frames, &cfg, 4096, &prof, &doubtful);
    CHECK_NEAR(doubtful.sum.separation_confidence, mono.sum.separation_confidence / 4, 0.01);
    CHECK_NEAR(doubtful.sum.separation_gain, mono.sum.separation_gain, 1e-9);
    rc_free(&doubtful);
    rc_free(&mono);
    free_call(&t);
}

/* --agent second, and a baseline's pitch, name the other voice the agent. */
static void chooses_the_agent(void)
{
    check_case("the agent is the second voice, or the one nearer a baseline's pitch");
    two_ways t;
    make_call(&t, 120, -1);
    cs_config cfg = mono_config();
    rc_result first, second, by_pitch;
    rc_run_config(t.mono, t.frames, &cfg, 4096, NULL, &first);
    cfg.agent_second = 1;
    rc_run_config(t.mono, t.frames, &cfg, 4096, NULL, &second);
    cfg.agent_second = 0;
    /* A baseline of the customer's voice makes the customer the agent. */
    cfg.agent_pitch_hz = first.sum.speaker[CS_CUSTOMER].pitch_median_hz;
    rc_run_config(t.mono, t.frames, &cfg, 4096, NULL, &by_pitch);
    /* The generated voices differ in pitch, so a swap shows in it. */
    double agent = first.sum.speaker[CS_AGENT].pitch_median_hz;
    double customer = first.sum.speaker[CS_CUSTOMER].pitch_median_hz;
    CHECK(fabs(agent - customer) > 20.0);
    CHECK_NEAR(second.sum.speaker[CS_AGENT].pitch_median_hz, customer, 0.5);
    CHECK_NEAR(second.sum.speaker[CS_CUSTOMER].pitch_median_hz, agent, 0.5);
    CHECK_NEAR(by_pitch.sum.speaker[CS_AGENT].pitch_median_hz, customer, 0.5);
    CHECK_NEAR(second.sum.speaker[CS_AGENT].talk_s, first.sum.speaker[CS_CUSTOMER].talk_s, 0.01);
    rc_free(&first);
    rc_free(&second);
    rc_free(&by_pitch);
    free_call(&t);
}

/* Learning from the whole call holds every hop back until the end; the
 * queues take them over several cs_finish calls, with the same result. */
static void finish_in_steps(void)
{
    check_case("held-back hops drain over several cs_finish calls");
    two_ways t;
    make_call(&t, 240, -1);
    cs_config cfg = mono_config();
    cs_profile prof;
    cs_profile_default(&prof);
    CHECK_INT(cs_profile_set(&prof, "diarize.learn_s", "600"), CS_OK);
    CHECK_INT(cs_profile_set(&prof, "diarize.learn_max_s", "1200"), CS_OK);
    CHECK_INT(cs_profile_set(&prof, "tracks.hop_s", "0.01"), CS_OK);
    rc_result r;
    rc_run_config(t.mono, t.frames, &cfg, 4096, &prof, &r);
    CHECK_INT(r.err, CS_OK);
    CHECK(r.finish_calls > 1);
    /* Nothing is lost on the way out; who said it is judged above. */
    double heard = 0, said = 0;
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        double truth = truth_talk(&t.call, s);
        CHECK_NEAR(r.sum.speaker[s].talk_s, truth, 0.15 * truth);
        heard += r.sum.speaker[s].talk_s;
        said += truth;
    }
    CHECK_NEAR(heard, said, 0.05 * said);
    rc_free(&r);
    free_call(&t);
}

/* Short track frames put one frame per hop into the queue: the last of the
 * held-back hops and the closing drain still fit, every frame in its place,
 * whatever the call's length leaves in the queue when the drain comes. */
static void short_frames_drain(void)
{
    static const double hops_s[] = {0.01, 0.05};
    static const double lengths_s[] = {47.3, 60.0, 71.9};
    for (size_t h = 0; h < sizeof hops_s / sizeof hops_s[0]; h++)
        for (size_t l = 0; l < sizeof lengths_s / sizeof lengths_s[0]; l++) {
            char name[96], v[32];
            snprintf(name, sizeof name, "a %.1f s mix in frames of %.2f s: every frame, in order", lengths_s[l],
                     hops_s[h]);
            check_case(name);
            two_ways t;
            make_call(&t, lengths_s[l], -1);
            cs_config cfg = mono_config();
            cs_profile prof;
            cs_profile_default(&prof);
            snprintf(v, sizeof v, "%g", hops_s[h]);
            CHECK_INT(cs_profile_set(&prof, "tracks.hop_s", v), CS_OK);
            rc_result r;
            rc_run_config(t.mono, t.frames, &cfg, 4096, &prof, &r);
            CHECK_INT(r.err, CS_OK);
            CHECK_INT((long long)r.frame_gaps, 0);
            CHECK_INT(r.frames_end, (long long)t.frames);
            size_t frame_len = (size_t)lround(hops_s[h] * RATE);
            CHECK_INT((long long)r.nframe, (long long)((t.frames + frame_len - 1) / frame_len));
            rc_free(&r);
            free_call(&t);
        }
}

/* Past the learning stretch events flow while the call goes on, and the
 * delay stays within the learning stretch. */
static void bounded_delay(void)
{
    check_case("a long call gives its first events before it ends");
    two_ways t;
    make_call(&t, 420, -1);
    cs_config cfg = mono_config();
    cs_profile prof;
    cs_profile_default(&prof);
    cs_analyzer *a = NULL;
    CHECK_INT(cs_open(&a, &cfg, &prof), CS_OK);
    double learn_max = rc_default_value("diarize.learn_max_s");
    double first_event_at = -1;
    size_t done = 0, block = 4000;
    cs_event ev;
    cs_frame fr;
    cs_flag fl;
    while (a && done < t.frames) {
        size_t n = t.frames - done < block ? t.frames - done : block;
        long used = cs_push(a, t.mono + done, n);
        if (!CHECK(used >= 0))
            break;
        done += (size_t)used;
        while (cs_pull(a, &ev) > 0)
            if (first_event_at < 0)
                first_event_at = (double)done / RATE;
        while (cs_pull_frame(a, &fr) > 0 || cs_pull_flag(a, &fl) > 0)
            ;
    }
    CHECK(first_event_at > 0);
    CHECK_LESS(first_event_at, learn_max + 5.0);
    cs_close(a);
    free_call(&t);
}

/* Turns that alternate with pauses, and once the agent barges in while the
 * customer is still talking, in the middle of a piece: the change of voice
 * is placed where it happens, not at the piece's edge. */
static void places_a_change_without_pause(void)
{
    check_case("a change of voice with no pause is placed where it happens");
    cg_call call;
    cg_call_init(&call, RATE, 90.0, seed);
    double t = 0.5, barge = 0;
    for (int turn = 0; turn < 13; turn++) {
        if (turn == 7) {
            barge = t + 2.9; /* in the customer's second piece, 0.6 s before its end */
            cg_add(&call, CG_CUSTOMER, t, barge + 0.6);
            cg_add(&call, CG_AGENT, barge, barge + 6.0);
            t = barge + 6.8;
            continue;
        }
        cg_add(&call, turn % 2 ? CG_CUSTOMER : CG_AGENT, t, t + 5.2);
        t += 6.0;
    }
    size_t frames = 0;
    float *two = cg_render_all(&call, &frames);
    float *mono = malloc(frames * sizeof *mono);
    if (!two || !mono)
        exit(2);
    for (size_t i = 0; i < frames; i++)
        mono[i] = two[2 * i] + two[2 * i + 1];
    cs_config cfg = mono_config();
    rc_result r;
    rc_run_config(mono, frames, &cfg, 4096, NULL, &r);
    double nearest = INFINITY;
    for (int i = 0; i < rc_count(&r, CS_EVENT_SEGMENT, CS_AGENT); i++) {
        double start = rc_sec(&r, rc_nth(&r, CS_EVENT_SEGMENT, CS_AGENT, i)->start);
        if (fabs(start - barge) < fabs(nearest - barge))
            nearest = start;
    }
    /* Anywhere in the 0.6 s both talk, not at the piece's edge 1 s on. */
    CHECK_NEAR(nearest, barge + 0.3, 0.5);
    rc_free(&r);
    free(two);
    free(mono);
    cg_call_free(&call);
}

/* Two parties with one and the same generated voice cannot be told apart:
 * the confidence falls under diarize.doubtful_below, and every flag that
 * rests on who said what (talk_dominance over short windows, so that some
 * are raised however the speech was split) is marked doubtful and costs
 * nothing in the score, while dead air stays sure. */
static void doubts_voices_alike(void)
{
    check_case("two voices alike: low confidence, who-said-what flags marked doubtful");
    two_ways t;
    sc_conversation(&t.call, RATE, 150, seed, 1, 0);
    t.call.f0_hz[CG_AGENT] = t.call.f0_hz[CG_CUSTOMER] = 150;
    t.call.level_dbfs[CG_CUSTOMER] = t.call.level_dbfs[CG_AGENT];
    /* The agent talks on for 20 s after 6 s of dead air. */
    cg_add(&t.call, CG_AGENT, 156, 176);
    t.call.duration_s = 178;
    render_both(&t, -1);
    cs_config cfg = mono_config();
    cs_profile prof;
    cs_profile_default(&prof);
    CHECK_INT(cs_profile_set(&prof, "talk_dominance.window_s", "10"), CS_OK);
    CHECK_INT(cs_profile_set(&prof, "talk_dominance.share", "0.5"), CS_OK);
    CHECK_INT(cs_profile_set(&prof, "talk_dominance.min_talk_s", "5"), CS_OK);
    rc_result r;
    rc_run_config(t.mono, t.frames, &cfg, 4096, &prof, &r);
    CHECK_INT(r.err, CS_OK);
    CHECK_INT(r.sum.voices, 2);
    CHECK_LESS(r.sum.separation_confidence, rc_default_value("diarize.doubtful_below"));
    CHECK_INT(r.sum.separation_doubtful, 1);
    int doubtful = 0, sure = 0;
    for (size_t i = 0; i < r.nflag; i++) {
        const cs_flag *fl = &r.flag[i];
        CHECK_INT(fl->doubtful, cs_flag_rests_on_who_spoke(fl->kind));
        if (fl->doubtful) {
            doubtful++;
            CHECK_NEAR(cs_flag_penalty(&prof, fl), 0, 1e-12);
        } else {
            sure++;
            CHECK(cs_flag_penalty(&prof, fl) > 0);
        }
    }
    CHECK(doubtful > 0);
    CHECK(sure > 0);
    rc_free(&r);
    free_call(&t);
}

/* The agent tells a story in sentences; in a few of the pauses between them
 * the customer says "mm-hm", 0.15 s after the agent stops: too close to end
 * the agent's piece of speech, yet each is found as the customer's
 * backchannel. */
static void finds_backchannels_in_pauses(void)
{
    check_case("a listener's backchannels in the speaker's pauses are found in a mono mix");
    two_ways t;
    cg_call_init(&t.call, RATE, 150, seed);
    t.call.telephone = 1;
    double at = 0.5, truth[16];
    int nbc = 0;
    for (int turn = 0; turn < 10; turn++) {
        int speaker = turn % 2 ? CG_CUSTOMER : CG_AGENT;
        for (int sentence = 0; sentence < (speaker == CG_AGENT ? 4 : 2); sentence++) {
            cg_add(&t.call, speaker, at, at + 3.0);
            at += 3.0;
            if (speaker == CG_AGENT && sentence < 3 && (turn + sentence) % 2 == 0 && nbc < 16) {
                truth[nbc++] = at + 0.15;
                cg_add(&t.call, CG_CUSTOMER, at + 0.15, at + 0.5);
                at += 0.8;
            } else {
                at += 0.6;
            }
        }
        at += 0.5;
    }
    t.call.duration_s = at + 1.0;
    render_both(&t, -1);
    cs_config cfg = mono_config();
    rc_result r;
    rc_run_config(t.mono, t.frames, &cfg, 4096, NULL, &r);
    CHECK_INT(r.err, CS_OK);
    int found = 0;
    for (int i = 0; i < nbc; i++)
        for (int k = 0; k < rc_count(&r, CS_EVENT_BACKCHANNEL, CS_CUSTOMER); k++)
            if (fabs(rc_sec(&r, rc_nth(&r, CS_EVENT_BACKCHANNEL, CS_CUSTOMER, k)->start) - truth[i]) <= 0.5) {
                found++;
                break;
            }
    CHECK(nbc >= 8);
    CHECK(found >= nbc * 3 / 4);
    /* None is made up: every backchannel reported is one of them. */
    CHECK(rc_count(&r, CS_EVENT_BACKCHANNEL, -1) <= nbc + 1);
    rc_free(&r);
    free_call(&t);
}

static void refuses_live(void)
{
    check_case("separation is for recordings, not live frames");
    cs_profile prof;
    cs_profile_default(&prof);
    cs_config cfg = mono_config();
    cfg.live_frames = 1;
    cs_analyzer *a = NULL;
    CHECK_INT(cs_open(&a, &cfg, &prof), CS_EINVAL);
    CHECK(a == NULL);
}

int main(void)
{
    check_begin("test_diarize");
    seed = check_seed(31);
    separates_a_mix();
    chooses_the_agent();
    finish_in_steps();
    short_frames_drain();
    bounded_delay();
    places_a_change_without_pause();
    doubts_voices_alike();
    finds_backchannels_in_pauses();
    refuses_live();
    return check_end();
}
