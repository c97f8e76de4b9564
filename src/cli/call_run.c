/* One recording through the analysis; see call_run.h. */
#include "cli/call_run.h"

#include "cli/cli.h"
#include "cli/profile_io.h"
#include "cli/role_check.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int set_error(call_run *r, int status, const char *fmt, ...) CLI_PRINTF(3, 4);
static int set_error(call_run *r, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->error, sizeof r->error, fmt, ap);
    va_end(ap);
    return status;
}

void call_run_release(call_run *r)
{
    cs_call_close(r->call);
    r->call = NULL;
    r->log = r->voice = NULL;
    r->an = NULL;
    if (r->spools_open)
        spool_store_close(&r->spools);
    r->spools_open = 0;
    source_file_close(r->src);
    r->src = NULL;
    free(r->block);
    r->block = NULL;
}

/* Which input channel carries each speaker, per the options and the file. */
static int map_speakers(call_run *r, const channel_choice *o)
{
    int channels = r->info.channels;
    if (o->have_map) {
        r->map[CS_AGENT] = o->map_channel[CS_AGENT];
        r->map[CS_CUSTOMER] = o->map_channel[CS_CUSTOMER];
        for (int s = 0; s < CS_MAX_SPEAKERS; s++)
            if (r->map[s] >= channels)
                return set_error(r, CLI_EXIT_INPUT, "--channel-map: no channel %d (the recording has %d)",
                                 r->map[s], channels);
        return CLI_EXIT_OK;
    }
    if (channels == 1) {
        if (o->agent_channel > 0)
            return set_error(r, CLI_EXIT_INPUT, "mono recording has no channel %d for the agent", o->agent_channel);
        /* A live headset is the agent alone; a recorded mix holds both. */
        r->diarized = !o->one_speaker && !(r->observer && r->observer->on_live_frame);
        r->map[CS_AGENT] = 0;
        r->map[CS_CUSTOMER] = r->diarized ? 0 : -1;
        return CLI_EXIT_OK;
    }
    if (channels > 2)
        return set_error(r, CLI_EXIT_INPUT, "%d channels: give --channel-map agent=N,customer=M", channels);
    r->map[CS_AGENT] = o->agent_channel > 0 ? 1 : 0;
    r->map[CS_CUSTOMER] = 1 - r->map[CS_AGENT];
    return CLI_EXIT_OK;
}

int call_run_spool_errno(const call_run *r) { return spool_store_errno(&r->spools); }

static int observer_failure(call_run *r)
{
    return set_error(r, CLI_EXIT_FAILURE, "cannot deliver the live events");
}

static int spool_failure(call_run *r)
{
    return set_error(r, CLI_EXIT_FAILURE, "cannot keep the analysis in a temporary file: %s", strerror(call_run_spool_errno(r)));
}

/* Why the call failed, as the run's status and message. */
static int call_failure(call_run *r, int err)
{
    switch (err) {
    case CS_ECALLBACK: return observer_failure(r);
    case CS_ESTORE: return spool_failure(r);
    case CS_ENONFINITE:
        return set_error(r, CLI_EXIT_INPUT, "NaN or infinite sample near %.3f s", (double)r->frames / r->info.sample_rate_hz);
    default: return set_error(r, CLI_EXIT_FAILURE, "analysis failed: %s", cs_strerror(err));
    }
}

/* Refuse a channel so overloaded that its analysis would be noise. */
static int clipping_failure(call_run *r, const cs_profile *prof)
{
    int s = r->res.clipped_speaker;
    double pct = r->res.summary.speaker[s].clipped_fraction * 100.0;
    return set_error(r, CLI_EXIT_INPUT, "%s channel (%d) mostly clipped (%.*f%% of samples at full scale, limit %g%%)",
                     cs_speaker_name(s), r->res.speaker_channel[s], pct < 10 ? 1 : 0, pct,
                     profile_io_value(prof, "input.max_clipped_fraction") * 100.0);
}

/* The call's results, where the output writers read them. */
static void take_results(call_run *r)
{
    cs_call_get_results(r->call, &r->res);
    r->rate_hz = r->res.rate_hz;
    r->an = cs_call_analyzer(r->call);
    r->log = r->voice = r->call;
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        r->map[s] = r->res.speaker_channel[s];
        r->baseline[s] = r->res.baseline[s];
        r->calm_score[s] = r->res.calm_score[s];
    }
    r->diarized = r->res.diarized;
    r->upmixed = r->res.upmixed;
    r->sum = r->res.summary;
    r->score = r->res.score;
}

/* A recording as a call_input. */
static long read_file(void *self, float *frames, size_t nframes, char *why, size_t why_cap)
{
    return source_file_read(self, frames, nframes, why, why_cap);
}

/* The call for what the options and the input say. */
static int open_call(call_run *r, const cs_profile *prof, const channel_choice *channels, const cs_tone_model *model,
                     const cs_baseline *agent_baseline)
{
    const call_observer *o = r->observer;
    int live = o && o->on_live_frame;
    cs_call_config cc;
    cs_call_config_default(&cc, r->info.sample_rate_hz, r->info.channels);
    cc.input.speaker_channel[CS_AGENT] = r->map[CS_AGENT];
    cc.input.speaker_channel[CS_CUSTOMER] = r->map[CS_CUSTOMER];
    cc.input.live_frames = live;
    cc.input.diarize = r->diarized;
    cc.input.agent_second = channels->agent_second;
    cc.detect_upmix = r->info.channels == 2 && !channels->have_map && channels->agent_channel < 0 &&
                      !channels->one_speaker && !live;
    cc.profile = prof;
    cc.tone_model = model;
    cc.agent_baseline = agent_baseline;
    cs_call_observer watch = {o ? o->user : NULL, NULL, o ? o->on_flag : NULL, o ? o->on_live_frame : NULL};
    cc.observer = &watch;
    int err = spool_store_open(&r->spools);
    if (err)
        return set_error(r, CLI_EXIT_FAILURE, "cannot create a temporary file for the analysis: %s", strerror(err));
    r->spools_open = 1;
    cc.store = &r->spools.store;
    if ((err = cs_call_open(&r->call, &cc)) < 0)
        return set_error(r, err == CS_ERATE || err == CS_ECHANNELS ? CLI_EXIT_INPUT : CLI_EXIT_FAILURE,
                         "cannot analyse: %s", cs_strerror(err));
    if (o && o->on_open && o->on_open(o->user, &cc.input, cs_call_analyzer(r->call)) != 0)
        return observer_failure(r);
    return CLI_EXIT_OK;
}

/* Analyse what `in` delivers, to the end of the call's analysis (and its
 * tone pass when `scoring`). */
static int analyse_input(call_run *r, call_input *in, const cs_profile *prof, const channel_choice *channels,
                         const cs_tone_model *model, const cs_baseline *agent_baseline, int scoring)
{
    r->info = in->info;
    int status = map_speakers(r, channels);
    if (!status)
        status = open_call(r, prof, channels, model, agent_baseline);
    if (status)
        return status;
    const call_observer *o = r->observer;
    r->block = malloc((size_t)SOURCE_BLOCK_FRAMES * (size_t)r->info.channels * sizeof *r->block);
    if (!r->block)
        return set_error(r, CLI_EXIT_FAILURE, "out of memory");
    size_t block = o && o->block_s > 0 ? (size_t)(r->info.sample_rate_hz * o->block_s) : SOURCE_BLOCK_FRAMES;
    if (block < 1 || block > SOURCE_BLOCK_FRAMES)
        block = SOURCE_BLOCK_FRAMES;
    char why[256];
    long n;
    int err;
    while ((n = in->read(in->self, r->block, block, why, sizeof why)) > 0) {
        if (o && o->on_audio && o->on_audio(o->user, r->block, (size_t)n) != 0)
            return observer_failure(r);
        if ((err = cs_call_push(r->call, r->block, (size_t)n)) != CS_OK)
            return call_failure(r, err);
        r->frames += n;
        if (o && o->on_block && o->on_block(o->user, r->frames) != 0)
            break;
    }
    if (n < 0)
        return set_error(r, n == SOURCE_ESYSTEM ? CLI_EXIT_FAILURE : CLI_EXIT_INPUT, "%s", why);
    if (r->frames == 0)
        return set_error(r, CLI_EXIT_INPUT, "no audio could be read");
    err = cs_call_finish(r->call);
    if (err != CS_OK && err != CS_ECLIPPED)
        return call_failure(r, err);
    take_results(r);
    if (err == CS_ECLIPPED && scoring)
        return clipping_failure(r, prof);
    if (scoring && role_check_run(r, prof, agent_baseline) != 0)
        return spool_failure(r);
    return CLI_EXIT_OK;
}

static void run_init(call_run *r, const char *name, const call_observer *obs)
{
    memset(r, 0, sizeof *r);
    r->name = name;
    r->observer = obs;
    for (int s = 0; s < CS_MAX_SPEAKERS; s++)
        r->calm_score[s] = NAN;
    r->score = NAN;
}

/* Decode and analyse a recording. */
static int run_analysis(call_run *r, const char *input, const call_observer *obs, const cs_profile *prof,
                        const channel_choice *channels, const cs_tone_model *model, const cs_baseline *agent_baseline,
                        int scoring)
{
    run_init(r, strcmp(input, "-") == 0 ? "stdin" : input, obs);
    call_input in = {NULL, {0}, read_file};
    char why[256];
    int rc = source_file_open(&r->src, input, &in.info, why, sizeof why);
    if (rc < 0)
        return set_error(r, rc == SOURCE_ESYSTEM ? CLI_EXIT_FAILURE : CLI_EXIT_INPUT, "%s", why);
    in.self = r->src;
    return analyse_input(r, &in, prof, channels, model, agent_baseline, scoring);
}

/* A recording too short for what the report measures is still reported,
 * with a warning rather than figures that look like a call's. */
static void check_length(call_run *r, const cs_profile *prof)
{
    double shortest = profile_io_value(prof, "input.min_duration_s");
    double seconds = (double)r->frames / r->info.sample_rate_hz;
    if (!r->src || !(seconds < shortest))
        return;
    char text[SOURCE_WARNING_MAX];
    snprintf(text, sizeof text, "too short: %.3f s, under input.min_duration_s (%g s); turns, pace and tone need more",
             seconds, shortest);
    source_file_add_warning(r->src, text);
}

/* What the run cost, from its start. */
static void take_cost(call_run *r, double cpu0, double wall0)
{
    r->cpu_s = cli_clock_s(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
    r->wall_s = cli_clock_s(CLOCK_MONOTONIC) - wall0;
}

int call_run_analyze_watched(call_run *r, const char *input, const call_observer *obs, const cs_profile *prof,
                             const channel_choice *channels, const cs_tone_model *model,
                             const cs_baseline *agent_baseline)
{
    double cpu0 = cli_clock_s(CLOCK_PROCESS_CPUTIME_ID), wall0 = cli_clock_s(CLOCK_MONOTONIC);
    int status = run_analysis(r, input, obs, prof, channels, model, agent_baseline, 1);
    if (!status) {
        check_length(r, prof);
        take_cost(r, cpu0, wall0);
    }
    return status;
}

int call_run_analyze(call_run *r, const char *input, const cs_profile *prof, const channel_choice *channels,
                     const cs_tone_model *model, const cs_baseline *agent_baseline)
{
    return call_run_analyze_watched(r, input, NULL, prof, channels, model, agent_baseline);
}

int call_run_analyze_input(call_run *r, const char *name, call_input *in, const call_observer *obs,
                           const cs_profile *prof, const channel_choice *channels, const cs_tone_model *model,
                           const cs_baseline *agent_baseline)
{
    double cpu0 = cli_clock_s(CLOCK_PROCESS_CPUTIME_ID), wall0 = cli_clock_s(CLOCK_MONOTONIC);
    run_init(r, name, obs);
    int status = analyse_input(r, in, prof, channels, model, agent_baseline, 1);
    if (!status)
        take_cost(r, cpu0, wall0);
    return status;
}

int call_run_learn(call_run *r, const char *input, const cs_profile *prof, const channel_choice *channels,
                   cs_tone *tone)
{
    int status = run_analysis(r, input, NULL, prof, channels, NULL, NULL, 0);
    if (status)
        return status;
    int err = cs_call_learn(r->call, tone);
    if (err == CS_ESTORE)
        return spool_failure(r);
    if (err < 0)
        return set_error(r, CLI_EXIT_FAILURE, "tone scoring failed: %s", cs_strerror(err));
    return CLI_EXIT_OK;
}

int call_run_top_flags(call_run *run, const cs_profile *prof, cs_flag *top, int cap)
{
    int n = cs_call_top_flags(run->call, prof != NULL, top, cap);
    return n < 0 ? -1 : n;
}

double call_run_calm_points(const call_run *run, int speaker) { return 100.0 * run->calm_score[speaker]; }
