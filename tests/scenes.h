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

/* A realistic conversation of any length: alternating turns, occasional
 * overlaps, backchannels and long silences, pink noise and mains hum, echo
 * of the other side at -25/-30 dB, a 4 dB level mismatch. With telephone
 * set, the 300-3400 Hz band (mu-law is left to the file writer). With busy
 * set, turns are short and overlaps, backchannels and long silences are
 * frequent, so a short call has a bit of everything. */
/* 90 s; the agent speaks calmly (-20 dBFS, 110 Hz) except from
 * SC_TENSE_START_S to SC_TENSE_END_S, 10 dB louder and 4 semitones higher. */
#define SC_TENSE_START_S 50.0
#define SC_TENSE_END_S 58.5
void sc_tense(cg_call *call, int rate_hz, uint64_t seed);

void sc_conversation(cg_call *call, int rate_hz, double duration_s, uint64_t seed, int telephone, int busy);

#endif
