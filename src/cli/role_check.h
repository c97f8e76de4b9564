/*
 * The role check: on a two-channel recording, does the channel marked agent
 * behave like the customer? Two signs, each enough (thresholds: the roles.*
 * keys of the profile, docs/metrics.md):
 *
 *   conduct  the customer channel speaks first, by roles.first_lead_s or more
 *            (whoever answers the line greets first), and its share of the
 *            talk is over roles.customer_share;
 *   voice    a stored agent baseline (--baseline, --baselines) has a pitch
 *            roles.baseline_margin_st or more semitones nearer the customer
 *            channel's usual pitch than the agent channel's.
 *
 * It only warns: the roles stay as given. Mono recordings are not checked
 * (their agent is chosen by voice in the first place).
 */
#ifndef CS_CLI_ROLE_CHECK_H
#define CS_CLI_ROLE_CHECK_H

#include <stddef.h>

#include "callscope/callscope.h"
#include "cli/call_run.h"

/* What the check looks at; NAN for what is not known. */
typedef struct role_facts {
    int agent_channel, customer_channel;
    double first_speech_s[CS_MAX_SPEAKERS]; /* start of each role's first talk spurt */
    double customer_share;                  /* of both parties' talk */
    double stored_pitch_hz;                 /* the stored agent baseline's */
    cs_baseline learnt[CS_MAX_SPEAKERS];    /* each channel's voice, learnt from this call */
} role_facts;

/* 1 with the warning in why (one line, for people) when the roles look
 * swapped, else 0. */
int role_check(const cs_profile *prof, const role_facts *f, char *why, size_t cap);

/* Check a run of a two-channel recording after its baselines were learnt
 * from the call (before a stored one replaces the agent's): the warning goes
 * to run->role_warning and the recording's warnings. 0, or -1 when the run's
 * temporary files cannot be read back. */
int role_check_run(call_run *run, const cs_profile *prof, const cs_baseline *stored);

#endif
