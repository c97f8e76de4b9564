/* scenes: see scenes.h. */
#include "scenes.h"

#include <math.h>

/* Light pink noise on both channels, as a quiet office line. */
static void quiet_line(cg_call *call)
{
    for (int c = 0; c < 2; c++) {
        call->ch[c].noise = CG_NOISE_PINK;
        call->ch[c].snr_db = 40.0;
    }
}

void sc_interruption(cg_call *call, int rate_hz, uint64_t seed)
{
    cg_call_init(call, rate_hz, 7.0, seed);
    cg_add(call, CG_CUSTOMER, 0.5, 3.2);
    cg_add(call, CG_AGENT, 2.5, 6.0);
}

void sc_everything(cg_call *call, int rate_hz, uint64_t seed)
{
    cg_call_init(call, rate_hz, 30.0, seed);
    quiet_line(call);
    cg_add(call, CG_AGENT, 0.5, 3.0);
    cg_add(call, CG_CUSTOMER, 3.2, 8.0);
    cg_add(call, CG_AGENT, 5.0, 5.4);     /* backchannel */
    cg_add(call, CG_AGENT, 7.8, 10.5);    /* cooperative overlap */
    cg_add(call, CG_CUSTOMER, 10.8, 14.0);
    cg_add(call, CG_AGENT, 13.2, 16.5);   /* interruption */
    cg_add(call, CG_CUSTOMER, 17.0, 21.0);
    cg_add(call, CG_AGENT, 18.0, 21.5);   /* overtalk */
    cg_add(call, CG_CUSTOMER, 25.5, 29.0); /* after 4 s of dead air */
}

void sc_add_agent_stretch(cg_call *call)
{
    static const double parts[][2] = {
        {1.0, 8.0},   {9.5, 16.0},  {17.0, 24.0}, {26.0, 29.5}, {31.5, 38.0},
        {39.2, 46.0}, {47.5, 55.0}, {56.0, 63.0}, {64.8, 71.0},
    };
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        cg_add(call, CG_AGENT, parts[i][0], parts[i][1]);
}

void sc_monologue(cg_call *call, int rate_hz, uint64_t seed)
{
    cg_call_init(call, rate_hz, 73.0, seed);
    sc_add_agent_stretch(call);
}

void sc_conversation(cg_call *call, int rate_hz, double duration_s, uint64_t seed, int telephone, int busy)
{
    cg_call_init(call, rate_hz, duration_s, seed);
    call->level_dbfs[CG_AGENT] = -20.0;
    call->level_dbfs[CG_CUSTOMER] = -24.0;
    call->ch[0].noise = CG_NOISE_PINK;
    call->ch[0].snr_db = 35.0;
    call->ch[1].noise = CG_NOISE_HUM;
    call->ch[1].snr_db = 30.0;
    call->ch[0].echo = 1;
    call->ch[0].echo_db = -30.0;
    call->ch[0].echo_delay_s = 0.03;
    call->ch[1].echo = 1;
    call->ch[1].echo_db = -25.0;
    call->ch[1].echo_delay_s = 0.05;
    call->telephone = telephone;
    cg_convo cv;
    cg_convo_default(&cv, duration_s);
    if (busy) {
        cv.turn_min_s = 1.5;
        cv.turn_max_s = 6.0;
        cv.overlap_prob = 0.3;
        cv.backchannel_prob = 0.6;
        cv.long_gap_prob = 0.1;
    }
    cg_add_conversation(call, &cv, seed);
}

void sc_line_echo(cg_call *call, int channel, double echo_db, double delay_s)
{
    cg_channel *ch = &call->ch[channel];
    ch->echo = 1;
    ch->echo_path = CG_ECHO_LINE;
    ch->echo_db = echo_db;
    ch->echo_delay_s = delay_s;
    ch->echo_dispersion_s = SC_LINE_ECHO_DISPERSION_S;
    ch->echo_drift_db = SC_LINE_ECHO_DRIFT_DB;
    ch->echo_drift_s = SC_LINE_ECHO_DRIFT_S;
}

void sc_tense(cg_call *call, int rate_hz, uint64_t seed)
{
    static const double agent[][2] = {{1, 6}, {12, 17}, {23, 28}, {34, 39}, {60, 65}, {71, 76}, {82, 87}};
    static const double customer[][2] = {{7, 11}, {18, 22}, {29, 33}, {40, 49}, {66, 70}, {77, 81}};
    cg_call_init(call, rate_hz, 90.0, seed);
    quiet_line(call);
    for (size_t i = 0; i < sizeof agent / sizeof agent[0]; i++)
        cg_add(call, CG_AGENT, agent[i][0], agent[i][1]);
    for (size_t i = 0; i < sizeof customer / sizeof customer[0]; i++)
        cg_add(call, CG_CUSTOMER, customer[i][0], customer[i][1]);
    cg_utt loud = {CG_AGENT, SC_TENSE_START_S, SC_TENSE_END_S - SC_TENSE_START_S, -10.0, 140.0, CG_SPEECH, 1.0};
    cg_add_utt(call, &loud);
}

void sc_overtalk(cg_call *call, int rate_hz, uint64_t seed)
{
    cg_call_init(call, rate_hz, 10.0, seed);
    quiet_line(call);
    cg_add(call, CG_CUSTOMER, 1.0, SC_OVERTALK_END_S);
    cg_add(call, CG_AGENT, SC_OVERTALK_START_S, 8.5);
}

void sc_rushed(cg_call *call, int rate_hz, uint64_t seed, int replies)
{
    cg_call_init(call, rate_hz, 2.0 + SC_RUSHED_PERIOD_S * replies, seed);
    quiet_line(call);
    for (int k = 0; k < replies; k++) {
        double t = SC_RUSHED_PERIOD_S * k;
        cg_add(call, CG_CUSTOMER, 1.0 + t, SC_RUSHED_FIRST_REPLY_S - SC_RUSHED_GAP_S + t);
        cg_add(call, CG_AGENT, SC_RUSHED_FIRST_REPLY_S + t, SC_RUSHED_FIRST_REPLY_S + 3.0 + t);
    }
}

void sc_story(cg_call *call, int rate_hz, uint64_t seed, int backchannel)
{
    static const double parts[][2] = {{SC_STORY_START_S, 7.0}, {7.8, 13.0}, {13.6, 19.0}, {19.8, SC_STORY_END_S}};
    cg_call_init(call, rate_hz, 33.0, seed);
    quiet_line(call);
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        cg_add(call, CG_CUSTOMER, parts[i][0], parts[i][1]);
    if (backchannel)
        cg_add(call, CG_AGENT, 10.0, 10.4);
    cg_add(call, CG_AGENT, 27.0, 31.0);
}

/* Alternate agent and customer turns of the given lengths from `from` to `to`. */
static void alternate(cg_call *call, double from, double to, double agent_s, double customer_s, double gap_s)
{
    for (double t = from; t + agent_s <= to;) {
        cg_add(call, CG_AGENT, t, t + agent_s);
        t += agent_s + gap_s;
        if (t + customer_s > to)
            break;
        cg_add(call, CG_CUSTOMER, t, t + customer_s);
        t += customer_s + gap_s;
    }
}

void sc_dominance(cg_call *call, int rate_hz, uint64_t seed)
{
    cg_call_init(call, rate_hz, 120.0, seed);
    quiet_line(call);
    alternate(call, 1.0, 119.0, 15.0, 3.0, 1.0);
}

void sc_dominant_stretch(cg_call *call, int rate_hz, uint64_t seed)
{
    cg_call_init(call, rate_hz, 420.0, seed);
    quiet_line(call);
    alternate(call, 1.0, SC_DOMINANT_FROM_S, 5.0, 5.0, 0.8);
    alternate(call, SC_DOMINANT_FROM_S, SC_DOMINANT_TO_S, 15.0, 3.0, 1.0);
    alternate(call, SC_DOMINANT_TO_S, 419.0, 3.0, 15.0, 1.0);
}

void sc_dead_air(cg_call *call, int rate_hz, uint64_t seed, int hold)
{
    cg_call_init(call, rate_hz, 18.0, seed);
    /* Hold is recognised on a clean line only (line noise hides the tone's
     * steadiness from the hold detector). */
    if (!hold)
        quiet_line(call);
    cg_add(call, CG_AGENT, 1.0, SC_SILENCE_START_S);
    if (hold) {
        cg_utt tone = {CG_AGENT, 5.5, 6.0, -18.0, 440.0, CG_TONE, 1.0};
        cg_add_utt(call, &tone);
    }
    cg_add(call, CG_CUSTOMER, SC_SILENCE_END_S, 16.0);
}

void sc_calm(cg_call *call, int rate_hz, uint64_t seed)
{
    cg_call_init(call, rate_hz, 120.0, seed);
    quiet_line(call);
    uint64_t state = cg_seed_mix(seed, 77);
    for (double t = 1.0; t < 112.0;) {
        double agent_s = cg_rand_range(&state, 4.0, 6.0);
        cg_add(call, CG_AGENT, t, t + agent_s);
        t += agent_s + cg_rand_range(&state, 0.6, 1.0);
        double customer_s = cg_rand_range(&state, 4.0, 6.0);
        cg_add(call, CG_CUSTOMER, t, t + customer_s);
        t += customer_s + cg_rand_range(&state, 0.6, 1.0);
    }
}

/* Agent utterances from..to, each `each` s long with pauses of `pause` s. */
static void agent_run(cg_call *call, double from, double to, double each, double pause, double pace)
{
    for (double t = from; t < to - 0.5; t += each + pause) {
        double end = t + each < to ? t + each : to;
        cg_utt u = {CG_AGENT, t, end - t, 0.0, 0.0, CG_SPEECH, pace};
        cg_add_utt(call, &u);
    }
}

void sc_live_cues(cg_call *call, int rate_hz, uint64_t seed)
{
    cg_call_init(call, rate_hz, SC_LIVE_DURATION_S, seed);
    quiet_line(call);
    /* Calm turns, so the agent's usual voice is known before anything happens. */
    static const double warmup[][2] = {{1, 7}, {12, 18}, {23, 29}, {34, 40}};
    static const double replies[][2] = {{8, 11}, {19, 22}, {30, 33}};
    for (size_t i = 0; i < sizeof warmup / sizeof warmup[0]; i++)
        agent_run(call, warmup[i][0], warmup[i][1], 10, 0, SC_LIVE_AGENT_PACE);
    for (size_t i = 0; i < sizeof replies / sizeof replies[0]; i++)
        cg_add(call, CG_CUSTOMER, replies[i][0], replies[i][1]);
    cg_utt loud = {CG_AGENT, SC_LIVE_LOUD_S, 5.0, -10.0, 140.0, CG_SPEECH, SC_LIVE_AGENT_PACE};
    cg_add_utt(call, &loud);
    cg_add(call, CG_CUSTOMER, SC_LIVE_BARGE_IN_S - 4, SC_LIVE_BARGE_IN_S + 4);
    agent_run(call, SC_LIVE_BARGE_IN_S, SC_LIVE_BARGE_IN_S + 4, 10, 0, SC_LIVE_AGENT_PACE);
    agent_run(call, SC_LIVE_FAST_S, SC_LIVE_FAST_S + 10, 10, 0, 1.8 * SC_LIVE_AGENT_PACE);
    /* The story: short breaths between sentences, not a sound from the agent. */
    for (double t = SC_LIVE_STORY_S; t < SC_LIVE_STORY_S + 20 - 0.5; t += 5.7)
        cg_add(call, CG_CUSTOMER, t, t + 5.0 < SC_LIVE_STORY_S + 20 ? t + 5.0 : SC_LIVE_STORY_S + 20);
    agent_run(call, SC_LIVE_MONOLOGUE_S, SC_LIVE_MONOLOGUE_S + 53, 5, 1.0, SC_LIVE_AGENT_PACE);
    cg_add(call, CG_CUSTOMER, SC_LIVE_MONOLOGUE_S + 55, SC_LIVE_MONOLOGUE_S + 59);
}

/* An utterance of the speaker's in a given voice, f0 rise_st over their usual
 * pitch and level gain_db over their usual level. */
static void add_mood(cg_call *call, int speaker, double from_s, double to_s, cg_kind kind, double rise_st,
                     double gain_db)
{
    cg_utt u = {speaker, from_s, to_s - from_s, call->level_dbfs[speaker] + gain_db,
                call->f0_hz[speaker] * exp2(rise_st / 12.0), kind, 1.0};
    cg_add_utt(call, &u);
}

void sc_friendly(cg_call *call, int rate_hz, uint64_t seed)
{
    static const double agent[][2] = {{1, 5}, {11, 15.5}, {22, 27}};
    static const double customer[][2] = {{5.6, 10.4}, {16, 21.4}, {27.5, 29.5}};
    cg_call_init(call, rate_hz, 40.0, seed);
    quiet_line(call);
    for (size_t i = 0; i < sizeof agent / sizeof agent[0]; i++) {
        cg_add(call, CG_AGENT, agent[i][0], agent[i][1]);
        cg_add(call, CG_CUSTOMER, customer[i][0], customer[i][1]);
    }
    for (int s = 0; s < 2; s++) {
        double start = SC_LAUGH_START_S + 0.3 * s;
        cg_utt laugh = {s, start, SC_LAUGH_S, call->level_dbfs[s] + 4.0, 0.0, CG_LAUGH, 1.0};
        cg_add_utt(call, &laugh);
    }
    cg_add(call, CG_AGENT, SC_LAUGH_START_S + SC_LAUGH_S + 0.8, SC_LAUGH_START_S + SC_LAUGH_S + 2.6);
    cg_add(call, CG_CUSTOMER, SC_LAUGH_START_S + SC_LAUGH_S + 3.1, SC_LAUGH_START_S + SC_LAUGH_S + 4.2);
}

void sc_moods(cg_call *call, int rate_hz, uint64_t seed)
{
    cg_call_init(call, rate_hz, 90.0, seed);
    quiet_line(call);
    for (double t = 1.0; t < 88.0; t += 15.0) {
        double agent_end = t + SC_MOOD_S, customer_end = agent_end + 6.0;
        if (fabs(t - SC_HAPPY_START_S) < 1e-9)
            add_mood(call, CG_AGENT, t, agent_end, CG_HAPPY, 4.0, 5.0);
        else if (fabs(t - SC_ANGRY_START_S) < 1e-9)
            add_mood(call, CG_AGENT, t, agent_end, CG_ANGRY, 4.0, 10.0);
        else
            cg_add(call, CG_AGENT, t, agent_end);
        cg_add(call, CG_CUSTOMER, agent_end + 0.6, customer_end < 89.5 ? customer_end : 89.5);
    }
}

void sc_heated(cg_call *call, int rate_hz, uint64_t seed, int conflict)
{
    cg_call_init(call, rate_hz, SC_HEATED_END_S + 10.0, seed);
    quiet_line(call);
    double t = 1.0;
    for (int who = CG_AGENT; t < SC_HEATED_START_S; who = 1 - who) {
        cg_add(call, who, t, t + 4.0);
        t += 4.6;
    }
    for (int who = CG_CUSTOMER; t < SC_HEATED_END_S - 3.0; who = 1 - who) {
        add_mood(call, who, t, t + 4.0, CG_ANGRY, 4.0, 10.0);
        t += conflict ? 4.0 - 1.2 : 4.6;
    }
    cg_add(call, CG_AGENT, SC_HEATED_END_S + 1.0, SC_HEATED_END_S + 5.0);
}
