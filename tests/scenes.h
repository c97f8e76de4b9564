/*
 * scenes: the generated calls that more than one test uses, so a C test, the
 * CLI test, the golden file and the bench all speak about the same audio.
 */
#ifndef SCENES_H
#define SCENES_H

#include "callgen.h"

/* Customer 0.5-3.2 s (cut off), agent barges in at 2.5 s and talks to 6.0 s;
 * 7 s long. Truth: one interruption by the agent of the customer at 2.5 s,
 * the customer stopping 0.7 s later. */
void sc_interruption(cg_call *call, int rate_hz, uint64_t seed);

/* A 30 s call with one of each, over low pink noise (40 dB SNR):
 *   agent 0.5-3.0; customer 3.2-8.0 with an agent backchannel at 5.0-5.4;
 *   agent from 7.8 (cooperative overlap, the customer stops 0.2 s later);
 *   customer 10.8-14.0, agent interrupts at 13.2 (customer stops 0.8 s later);
 *   customer 17.0-21.0 and agent 18.0-21.5 (overtalk, neither yields);
 *   mutual silence 21.5-25.5 (dead air tier 1); customer 25.5-29.0. */
void sc_everything(cg_call *call, int rate_hz, uint64_t seed);

/* Agent speech 1.0-71.0 s in nine utterances with pauses of 1.0-2.0 s (all
 * under the 3 s that ends a monologue); 73 s long. Truth: one 70 s
 * monologue by the agent, no dead air. */
void sc_add_agent_stretch(cg_call *call);
void sc_monologue(cg_call *call, int rate_hz, uint64_t seed);

/* 90 s; the agent speaks calmly (-20 dBFS, 110 Hz) except from
 * SC_TENSE_START_S to SC_TENSE_END_S, 10 dB louder and 4 semitones higher. */
#define SC_TENSE_START_S 50.0
#define SC_TENSE_END_S 58.5
void sc_tense(cg_call *call, int rate_hz, uint64_t seed);

/* A call with one moment for each live cue, after 40 s of calm turns that
 * teach the agent's usual voice (pace SC_LIVE_AGENT_PACE, -20 dBFS):
 *   LOUD_S for 5 s the agent speaks 10 dB louder, 4 st up -> lower_voice
 *   BARGE_IN_S the agent talks over the customer (who began 4 s earlier)
 *              and both go on for 4 s                      -> let_them_finish
 *   FAST_S for 10 s the agent speaks 1.8 times as fast     -> slow_down
 *   STORY_S the customer talks for 20 s, the agent silent -> acknowledge
 *   MONOLOGUE_S the agent talks for 53 s (1 s breaths)    -> ask_a_question
 * then the customer answers. */
#define SC_LIVE_DURATION_S 162.0
#define SC_LIVE_AGENT_PACE 0.8
#define SC_LIVE_LOUD_S 44.0
#define SC_LIVE_BARGE_IN_S 55.0
#define SC_LIVE_FAST_S 62.0
#define SC_LIVE_STORY_S 75.0
#define SC_LIVE_MONOLOGUE_S 97.0
void sc_live_cues(cg_call *call, int rate_hz, uint64_t seed);

/* A realistic conversation of any length: alternating turns, occasional
 * overlaps, backchannels and long silences, pink noise and mains hum, echo
 * of the other side at -25/-30 dB, a 4 dB level mismatch. With telephone
 * set, the 300-3400 Hz band (mu-law is left to the file writer). With busy
 * set, turns are short and overlaps, backchannels and long silences are
 * frequent, so a short call has a bit of everything. */
void sc_conversation(cg_call *call, int rate_hz, double duration_s, uint64_t seed, int telephone, int busy);

/* A telephone line echo of the other party in `channel` (see CG_ECHO_LINE):
 * echo_db return loss, delay_s late, an impulse response decaying over 6 ms
 * (some 30 ms long), the loss drifting by +-3 dB over 7 s. A hybrid's echo
 * path looks like that; delays run from a few ms on a local line to
 * 300 ms and more over mobile and VoIP paths. */
#define SC_LINE_ECHO_DISPERSION_S 0.006
#define SC_LINE_ECHO_DRIFT_DB 3.0
#define SC_LINE_ECHO_DRIFT_S 7.0
void sc_line_echo(cg_call *call, int channel, double echo_db, double delay_s);

/* ---- one scene per conversation flag, each with its expected moment ---- */

/* Customer 1.0-6.0, agent 3.0-8.5: both keep talking, 3 s of overtalk from 3.0. */
#define SC_OVERTALK_START_S 3.0
#define SC_OVERTALK_END_S 6.0
void sc_overtalk(cg_call *call, int rate_hz, uint64_t seed);

/* `replies` rounds of a 5 s customer turn answered by the agent 0.05 s after
 * it ends (round k: customer at 1 + 9k, agent from 6.05 + 9k for 3 s). */
#define SC_RUSHED_PERIOD_S 9.0
#define SC_RUSHED_FIRST_REPLY_S 6.05
#define SC_RUSHED_GAP_S 0.05
void sc_rushed(cg_call *call, int rate_hz, uint64_t seed, int replies);

/* The customer explains for 24 s (2.0-26.0, short pauses), the agent answers
 * at 27.0; with `backchannel`, the agent says "mm-hm" at 10.0-10.4. */
#define SC_STORY_START_S 2.0
#define SC_STORY_END_S 26.0
void sc_story(cg_call *call, int rate_hz, uint64_t seed, int backchannel);

/* 120 s: the agent talks 15 s, the customer 3 s, over and over (share about
 * 0.83 over the whole call, which is shorter than the dominance window). */
void sc_dominance(cg_call *call, int rate_hz, uint64_t seed);

/* 420 s: balanced to 120 s, the agent dominating from 120 to 330 s, the
 * customer from 330 s; under 0.65 over the whole call. */
#define SC_DOMINANT_FROM_S 120.0
#define SC_DOMINANT_TO_S 330.0
void sc_dominant_stretch(cg_call *call, int rate_hz, uint64_t seed);

/* Agent 1-5, nobody 5-12 (7 s), customer 12-16, over light noise; with
 * `hold`, on a clean line, a hold tone on the agent's channel 5.5-11.5 fills
 * the silence. */
#define SC_SILENCE_START_S 5.0
#define SC_SILENCE_END_S 12.0
void sc_dead_air(cg_call *call, int rate_hz, uint64_t seed, int hold);

/* 120 s of polite, balanced turn-taking: turns of 4-6 s, gaps of 0.6-1.0 s,
 * no overlaps, calm voices. No flag of any kind should fire. */
void sc_calm(cg_call *call, int rate_hz, uint64_t seed);

/* A friendly call: calm turns, then from SC_LAUGH_START_S both laugh together
 * (the agent for SC_LAUGH_S, the customer from 0.3 s later, 4 dB over their
 * speech, at their pitch CG_LAUGH_RISE_ST higher), then each says goodbye. */
#define SC_LAUGH_START_S 30.0
#define SC_LAUGH_S 3.0
void sc_friendly(cg_call *call, int rate_hz, uint64_t seed);

/* The agent in three moods, each stretch 4 semitones over their usual
 * voice, in turns with a calm customer: calm speech, then joyful and
 * animated from SC_HAPPY_START_S (5 dB louder), then angry from
 * SC_ANGRY_START_S (10 dB louder), each for SC_MOOD_S. */
#define SC_HAPPY_START_S 31.0
#define SC_ANGRY_START_S 61.0
#define SC_MOOD_S 8.0
void sc_moods(cg_call *call, int rate_hz, uint64_t seed);

/* Calm turns until SC_HEATED_START_S, then both angry (10 dB louder, 4
 * semitones higher) until SC_HEATED_END_S: talking over each other when
 * conflict is set (each starts 1.2 s before the other stops), else taking
 * turns with pauses. */
#define SC_HEATED_START_S 40.0
#define SC_HEATED_END_S 70.0
void sc_heated(cg_call *call, int rate_hz, uint64_t seed, int conflict);

#endif
