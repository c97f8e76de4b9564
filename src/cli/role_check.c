/* Does the channel marked agent behave like the customer? See role_check.h. */
#include "cli/role_check.h"

#include "cli/profile_io.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static double semitones_apart(double a_hz, double b_hz)
{
    return fabs(12.0 * log2(a_hz / b_hz));
}

int role_check(const cs_profile *prof, const role_facts *f, char *why, size_t cap)
{
    why[0] = '\0';
    if (!(profile_io_value(prof, "roles.check") > 0.5))
        return 0;
    double agent_first = f->first_speech_s[CS_AGENT], customer_first = f->first_speech_s[CS_CUSTOMER];
    /* A customer channel with speech while the agent's has none leads by any margin. */
    double lead = isfinite(customer_first) ? (isfinite(agent_first) ? agent_first - customer_first : INFINITY) : NAN;
    if (lead >= profile_io_value(prof, "roles.first_lead_s") &&
        f->customer_share > profile_io_value(prof, "roles.customer_share")) {
        char lead_text[48];
        if (isfinite(lead))
            snprintf(lead_text, sizeof lead_text, "%.1f s before", lead);
        else
            snprintf(lead_text, sizeof lead_text, "and");
        snprintf(why, cap,
                 "roles: channel %d (marked customer) spoke first, %s channel %d (marked agent), and did %.0f%% of "
                 "the talking; the agent may be on channel %d",
                 f->customer_channel, lead_text, f->agent_channel, 100.0 * f->customer_share, f->customer_channel);
        return 1;
    }
    double min_speech_s = profile_io_value(prof, "roles.min_speech_s");
    const cs_baseline *ag = &f->learnt[CS_AGENT], *cu = &f->learnt[CS_CUSTOMER];
    if (f->stored_pitch_hz > 0 && ag->speech_s >= min_speech_s && cu->speech_s >= min_speech_s && ag->speech_s > 0 &&
        cu->speech_s > 0 && ag->pitch_hz > 0 && cu->pitch_hz > 0) {
        double to_agent = semitones_apart(f->stored_pitch_hz, ag->pitch_hz);
        double to_customer = semitones_apart(f->stored_pitch_hz, cu->pitch_hz);
        if (to_agent - to_customer >= profile_io_value(prof, "roles.baseline_margin_st")) {
            snprintf(why, cap,
                     "roles: the stored agent baseline (%.0f Hz) sounds like channel %d (marked customer, %.0f Hz), "
                     "not channel %d (marked agent, %.0f Hz); the agent may be on channel %d",
                     f->stored_pitch_hz, f->customer_channel, cu->pitch_hz, f->agent_channel, ag->pitch_hz,
                     f->customer_channel);
            return 1;
        }
    }
    return 0;
}

int role_check_run(call_run *run, const cs_profile *prof, const cs_baseline *stored)
{
    run->role_warning[0] = '\0';
    if (run->diarized || run->map[CS_AGENT] < 0 || run->map[CS_CUSTOMER] < 0)
        return 0;
    role_facts f;
    memset(&f, 0, sizeof f);
    f.agent_channel = run->map[CS_AGENT];
    f.customer_channel = run->map[CS_CUSTOMER];
    f.customer_share = run->sum.speaker[CS_CUSTOMER].talk_share;
    f.stored_pitch_hz = stored && stored->speech_s > 0 ? stored->pitch_hz : NAN;
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        f.first_speech_s[s] = NAN;
        f.learnt[s] = run->res.learnt[s];
    }
    /* Segments come by start time: read until both have spoken. */
    if (call_log_segments_begin(run->log) != 0)
        return -1;
    cs_event ev;
    int rc = 0, found = 0;
    while (found < CS_MAX_SPEAKERS && (rc = call_log_segments_next(run->log, &ev)) > 0)
        if (ev.speaker >= 0 && ev.speaker < CS_MAX_SPEAKERS && isnan(f.first_speech_s[ev.speaker])) {
            f.first_speech_s[ev.speaker] = cs_seconds(run->an, ev.start);
            found++;
        }
    if (found < CS_MAX_SPEAKERS && rc < 0)
        return -1;
    if (role_check(prof, &f, run->role_warning, sizeof run->role_warning) && run->src)
        source_file_add_warning(run->src, run->role_warning);
    return 0;
}
