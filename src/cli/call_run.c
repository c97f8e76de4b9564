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
    cs_tone_close(r->tone);
    r->tone = NULL;
    cs_close(r->an);
    r->an = NULL;
    call_log_close(r->log);
    r->log = NULL;
    voice_log_close(r->voice);
    r->voice = NULL;
    source_file_close(r->src);
    r->src = NULL;
    free(r->block);
    r->block = NULL;
    free(r->peek);
    r->peek = NULL;
}

/* An upmix is found from the start of the audio: up to this much is read
 * ahead, and the search stops once this much of it has signal. */
#define UPMIX_PEEK_S 10.0
#define UPMIX_SIGNAL_S 2.0
/* Samples quieter than this are not signal; channels whose difference is
 * this far (as a power ratio) below their signal are the same. */
#define UPMIX_SIGNAL_LEVEL 1e-4
#define UPMIX_DIFFERENCE 1e-6

/* Read the start of a two-channel input and keep it (served again by
 * next_block): are both channels the same signal? */
static int peek_upmix(call_run *r, call_input *in, char *why, size_t why_cap, long *status)
{
    size_t cap = (size_t)(UPMIX_PEEK_S * r->info.sample_rate_hz);
    size_t need = (size_t)(UPMIX_SIGNAL_S * r->info.sample_rate_hz);
    r->peek = malloc(cap * 2 * sizeof *r->peek);
    if (!r->peek) {
        *status = SOURCE_ESYSTEM;
        snprintf(why, why_cap, "out of memory");
        return 0;
    }
    size_t signal = 0;
    double power = 0, difference = 0;
    while (r->peek_frames < cap && signal < need) {
        size_t want = cap - r->peek_frames < SOURCE_BLOCK_FRAMES ? cap - r->peek_frames : SOURCE_BLOCK_FRAMES;
        long n = in->read(in->self, r->peek + r->peek_frames * 2, want, why, why_cap);
        if (n <= 0) {
            *status = n;
            break;
        }
        for (size_t i = r->peek_frames; i < r->peek_frames + (size_t)n; i++) {
            double a = r->peek[2 * i], b = r->peek[2 * i + 1];
            signal += fabs(a) > UPMIX_SIGNAL_LEVEL || fabs(b) > UPMIX_SIGNAL_LEVEL;
            power += a * a + b * b;
            difference += (a - b) * (a - b);
        }
        r->peek_frames += (size_t)n;
    }
    return signal > 0 && difference <= UPMIX_DIFFERENCE * power;
}

/* The next block: what was peeked first, then the input. */
static long next_block(call_run *r, call_input *in, size_t block, char *why, size_t why_cap)
{
    if (r->peek_pos < r->peek_frames) {
        size_t n = r->peek_frames - r->peek_pos < block ? r->peek_frames - r->peek_pos : block;
        size_t ch = (size_t)r->info.channels;
        memcpy(r->block, r->peek + r->peek_pos * ch, n * ch * sizeof *r->block);
        r->peek_pos += n;
        return (long)n;
    }
    return in->read(in->self, r->block, block, why, why_cap);
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

/* Pull every event and frame ready; returns how many, or -1 on I/O failure. */
static long drain(call_run *r)
{
    cs_event ev;
    cs_frame fr;
    long n = 0;
    const call_observer *o = r->observer;
    while (cs_pull(r->an, &ev) > 0) {
        n++;
        if (call_log_add(r->log, &ev) != 0)
            return -1;
    }
    while (cs_pull_frame(r->an, &fr) > 0) {
        n++;
        if (voice_log_add(r->voice, &fr) != 0)
            return -1;
    }
    while (o && o->on_live_frame && cs_pull_live_frame(r->an, &fr) > 0) {
        n++;
        if (o->on_live_frame(o->user, &fr) != 0)
            return -2;
    }
    cs_flag fl;
    while (cs_pull_flag(r->an, &fl) > 0) {
        n++;
        if (voice_log_add_flag(r->voice, &fl) != 0)
            return -1;
        if (o && o->on_flag && o->on_flag(o->user, &fl) != 0)
            return -2;
    }
    return n;
}

int call_run_spool_errno(const call_run *r)
{
    int e = call_log_error(r->log) ? call_log_error(r->log) : voice_log_error(r->voice);
    return e ? e : EIO;
}

static int observer_failure(call_run *r)
{
    return set_error(r, CLI_EXIT_FAILURE, "cannot deliver the live events");
}

static int spool_failure(call_run *r)
{
    return set_error(r, CLI_EXIT_FAILURE, "cannot keep the analysis in a temporary file: %s", strerror(call_run_spool_errno(r)));
}

/* Feed one block, in as many pushes as the analyzer's queues need. */
static int push_block(call_run *r, const float *frames, size_t nframes, int64_t first_frame)
{
    size_t done = 0;
    int channels = r->info.channels;
    while (done < nframes) {
        long n = cs_push(r->an, frames + done * (size_t)channels, nframes - done);
        if (n == CS_ENONFINITE)
            return set_error(r, CLI_EXIT_INPUT, "NaN or infinite sample near %.3f s", (double)(first_frame + (int64_t)done) / r->info.sample_rate_hz);
        if (n < 0)
            return set_error(r, CLI_EXIT_FAILURE, "analysis failed: %s", cs_strerror((int)n));
        done += (size_t)n;
        long pulled = drain(r);
        if (pulled == -2)
            return observer_failure(r);
        if (pulled < 0)
            return spool_failure(r);
        if (n == 0 && pulled == 0)
            return set_error(r, CLI_EXIT_FAILURE, "internal error: the analysis accepts no more audio");
    }
    return CLI_EXIT_OK;
}

/* Refuse a channel so overloaded that its analysis would be noise. */
static int check_clipping(call_run *r, const cs_profile *prof)
{
    double limit = profile_io_value(prof, "input.max_clipped_fraction");
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        const cs_speaker_summary *sp = &r->sum.speaker[s];
        if (!sp->present || !(sp->clipped_fraction > limit))
            continue;
        double pct = sp->clipped_fraction * 100.0;
        return set_error(r, CLI_EXIT_INPUT,
                         "%s channel (%d) mostly clipped (%.*f%% of samples at full scale, limit %g%%)", cs_speaker_name(s), r->map[s], pct < 10 ? 1 : 0, pct, limit * 100.0);
    }
    return CLI_EXIT_OK;
}

/* A recording as a call_input. */
static long read_file(void *self, float *frames, size_t nframes, char *why, size_t why_cap)
{
    return source_file_read(self, frames, nframes, why, why_cap);
}

/* Analyse what `in` delivers; events and frames end up in the logs. */
static int analyse_input(call_run *r, call_input *in, const cs_profile *prof, const channel_choice *channels,
                         const cs_baseline *agent_baseline)
{
    r->info = in->info;
    int status = map_speakers(r, channels);
    if (status)
        return status;
    const call_observer *o = r->observer;
    char why[256];
    long n = 1;
    if (r->info.channels == 2 && !channels->have_map && channels->agent_channel < 0 && !channels->one_speaker &&
        !(o && o->on_live_frame) && peek_upmix(r, in, why, sizeof why, &n)) {
        r->upmixed = r->diarized = 1;
        r->map[CS_AGENT] = r->map[CS_CUSTOMER] = 0;
    }
    if (n < 0)
        return set_error(r, n == SOURCE_ESYSTEM ? CLI_EXIT_FAILURE : CLI_EXIT_INPUT, "%s", why);
    cs_config cfg;
    cs_config_default(&cfg, r->info.sample_rate_hz, r->info.channels);
    cfg.speaker_channel[CS_AGENT] = r->map[CS_AGENT];
    cfg.speaker_channel[CS_CUSTOMER] = r->map[CS_CUSTOMER];
    cfg.live_frames = o && o->on_live_frame;
    cfg.diarize = r->diarized;
    cfg.agent_second = channels->agent_second;
    if (agent_baseline && agent_baseline->speech_s > 0 && agent_baseline->pitch_hz > 0)
        cfg.agent_pitch_hz = agent_baseline->pitch_hz;
    r->rate_hz = cs_analysis_rate(prof, cfg.sample_rate_hz);
    int err = cs_open(&r->an, &cfg, prof);
    if (err < 0)
        return set_error(r, err == CS_ERATE || err == CS_ECHANNELS ? CLI_EXIT_INPUT : CLI_EXIT_FAILURE,
                         "cannot analyse: %s", cs_strerror(err));
    if (o && o->on_open && o->on_open(o->user, &cfg, r->an) != 0)
        return observer_failure(r);
    if ((err = call_log_open(&r->log)) != 0 || (err = voice_log_open(&r->voice)) != 0)
        return set_error(r, CLI_EXIT_FAILURE, "cannot create a temporary file for the analysis: %s", strerror(err));
    r->block = malloc((size_t)SOURCE_BLOCK_FRAMES * (size_t)r->info.channels * sizeof *r->block);
    if (!r->block)
        return set_error(r, CLI_EXIT_FAILURE, "out of memory");
    size_t block = o && o->block_s > 0 ? (size_t)(r->info.sample_rate_hz * o->block_s) : SOURCE_BLOCK_FRAMES;
    if (block < 1 || block > SOURCE_BLOCK_FRAMES)
        block = SOURCE_BLOCK_FRAMES;
    while ((n = next_block(r, in, block, why, sizeof why)) > 0) {
        if (o && o->on_audio && o->on_audio(o->user, r->block, (size_t)n) != 0)
            return observer_failure(r);
        if ((status = push_block(r, r->block, (size_t)n, r->frames)) != 0)
            return status;
        r->frames += n;
        if (o && o->on_block && o->on_block(o->user, r->frames) != 0)
            break;
    }
    if (n < 0)
        return set_error(r, n == SOURCE_ESYSTEM ? CLI_EXIT_FAILURE : CLI_EXIT_INPUT, "%s", why);
    if (r->frames == 0)
        return set_error(r, CLI_EXIT_INPUT, "no audio could be read");
    /* Separated voices may hold back more than the queues take at once. */
    do {
        if ((err = cs_finish(r->an)) < 0)
            return set_error(r, CLI_EXIT_FAILURE, "analysis failed: %s", cs_strerror(err));
        long pulled = drain(r);
        if (pulled == -2)
            return observer_failure(r);
        if (pulled < 0)
            return spool_failure(r);
    } while (err == CS_FINISH_MORE);
    if ((err = cs_summary_get(r->an, &r->sum)) < 0)
        return set_error(r, CLI_EXIT_FAILURE, "analysis failed: %s", cs_strerror(err));
    return check_clipping(r, prof);
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
                        const channel_choice *channels,
                        const cs_baseline *agent_baseline)
{
    run_init(r, strcmp(input, "-") == 0 ? "stdin" : input, obs);
    call_input in = {NULL, {0}, read_file};
    char why[256];
    int rc = source_file_open(&r->src, input, &in.info, why, sizeof why);
    if (rc < 0)
        return set_error(r, rc == SOURCE_ESYSTEM ? CLI_EXIT_FAILURE : CLI_EXIT_INPUT, "%s", why);
    in.self = r->src;
    return analyse_input(r, &in, prof, channels, agent_baseline);
}

static int tone_failure(call_run *r, int cs_err)
{
    if (cs_err < 0)
        return set_error(r, CLI_EXIT_FAILURE, "tone scoring failed: %s", cs_strerror(cs_err));
    return spool_failure(r);
}

/* The call score from every flag raised; null when nobody spoke. */
static int score_call(call_run *r, const cs_profile *prof)
{
    r->score = NAN;
    if (!r->sum.any_speech)
        return CLI_EXIT_OK;
    double penalty = 0;
    cs_flag fl;
    int rc;
    if (voice_log_flags_begin(r->voice) != 0)
        return spool_failure(r);
    while ((rc = voice_log_flags_next(r->voice, &fl)) > 0)
        penalty += cs_flag_penalty(prof, &fl);
    if (rc < 0)
        return spool_failure(r);
    r->score = cs_call_score(prof, penalty, (double)r->frames / r->info.sample_rate_hz);
    return CLI_EXIT_OK;
}

/* After the analysis: baselines, the tone pass, calm scores, the call score. */
static int score_run(call_run *r, const cs_profile *prof, const cs_tone_model *model,
                     const cs_baseline *agent_baseline, double cpu0, double wall0)
{
    voice_log_set_doubtful(r->voice, r->sum.separation_doubtful);
    int status, err = cs_tone_open(&r->tone, prof, model, r->rate_hz);
    if (err < 0)
        return set_error(r, CLI_EXIT_FAILURE, "tone scoring failed: %s", cs_strerror(err));
    /* Baselines from the whole call first, then the scoring pass. */
    if (voice_log_learn(r->voice, r->tone, &err) != 0)
        return tone_failure(r, err);
    if (role_check_run(r, prof, agent_baseline) != 0)
        return spool_failure(r);
    if (agent_baseline && cs_tone_set_baseline(r->tone, CS_AGENT, agent_baseline) < 0)
        return set_error(r, CLI_EXIT_FAILURE, "the agent baseline is not usable");
    for (int s = 0; s < CS_MAX_SPEAKERS; s++)
        cs_tone_baseline(r->tone, s, &r->baseline[s]);
    if (voice_log_score(r->voice, r->tone, &err) != 0)
        return tone_failure(r, err);
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        double a = cs_tone_mean_arousal(r->tone, s);
        r->calm_score[s] = isfinite(a) ? 1.0 - a : NAN;
    }
    if ((status = score_call(r, prof)) != 0)
        return status;
    r->cpu_s = cli_clock_s(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
    r->wall_s = cli_clock_s(CLOCK_MONOTONIC) - wall0;
    return CLI_EXIT_OK;
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

int call_run_analyze_watched(call_run *r, const char *input, const call_observer *obs, const cs_profile *prof,
                             const channel_choice *channels, const cs_tone_model *model,
                             const cs_baseline *agent_baseline)
{
    double cpu0 = cli_clock_s(CLOCK_PROCESS_CPUTIME_ID), wall0 = cli_clock_s(CLOCK_MONOTONIC);
    int status = run_analysis(r, input, obs, prof, channels, agent_baseline);
    if (!status)
        check_length(r, prof);
    return status ? status : score_run(r, prof, model, agent_baseline, cpu0, wall0);
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
    int status = analyse_input(r, in, prof, channels, agent_baseline);
    return status ? status : score_run(r, prof, model, agent_baseline, cpu0, wall0);
}

int call_run_learn(call_run *r, const char *input, const cs_profile *prof, const channel_choice *channels,
                   cs_tone *tone)
{
    int status = run_analysis(r, input, NULL, prof, channels, NULL);
    if (status)
        return status;
    int err;
    if (voice_log_learn(r->voice, tone, &err) != 0)
        return tone_failure(r, err);
    return CLI_EXIT_OK;
}

static double flag_weight(const cs_profile *prof, const cs_flag *fl)
{
    return prof ? cs_flag_penalty(prof, fl) : fl->severity;
}

int call_run_top_flags(call_run *run, const cs_profile *prof, cs_flag *top, int cap)
{
    if (voice_log_flags_begin(run->voice) != 0)
        return -1;
    int n = 0, rc;
    cs_flag fl;
    while ((rc = voice_log_flags_next(run->voice, &fl)) > 0) {
        int weakest = 0;
        for (int i = 1; i < n; i++)
            if (flag_weight(prof, &top[i]) < flag_weight(prof, &top[weakest]))
                weakest = i;
        if (n < cap) {
            top[n++] = fl;
        } else if (cap > 0 && flag_weight(prof, &fl) > flag_weight(prof, &top[weakest])) {
            memmove(&top[weakest], &top[weakest + 1], (size_t)(n - weakest - 1) * sizeof *top);
            top[n - 1] = fl;
        }
    }
    return rc < 0 ? -1 : n;
}

double call_run_calm_points(const call_run *run, int speaker) { return 100.0 * run->calm_score[speaker]; }
