/*
 * callscope analyze CALL: read one recording, run the analysis, print a
 * short summary and optionally write the JSON report.
 */
#include "cli/cli.h"

#include "cli/atomic_file.h"
#include "cli/call_log.h"
#include "cli/profile_io.h"
#include "cli/report_json.h"
#include "cli/source_file.h"
#include "cli/summary_text.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const char usage_text[] =
    "usage: callscope analyze CALL [options]\n"
    "\n"
    "Analyse one two-party recording (agent on channel 0, customer on channel 1)\n"
    "and print a short summary. CALL may be '-' to read the recording from stdin.\n"
    "\n"
    "options:\n"
    "  --json OUT                 write the JSON report to OUT ('-' for stdout,\n"
    "                             which also turns the summary off)\n"
    "  --agent-channel 0|1        channel of the agent in a stereo recording (default 0)\n"
    "  --channel-map agent=N,customer=M\n"
    "                             channels of both speakers, for recordings with more\n"
    "                             than two channels; customer=none for one speaker\n"
    "  --profile FILE             thresholds to use instead of the built-in defaults\n"
    "  --set KEY=VALUE            override one threshold (repeatable; applied after\n"
    "                             --profile); 'callscope profile' lists the keys\n"
    "  -q, --quiet                no summary on stdout\n"
    "  --fail-on-flags            exit with status 3 when the report raises flags\n"
    "  -h, --help                 this text\n";

typedef struct analyze_options {
    const char *input;
    const char *json_path;      /* NULL: no report file */
    int agent_channel;          /* -1: not given */
    int have_map;
    int map_channel[CS_MAX_SPEAKERS]; /* from --channel-map; -1 for none */
    const char *profile_path;
    const char **sets;          /* --set arguments in order */
    int set_count;
    int quiet;
    int fail_on_flags;
} analyze_options;

/* Everything an analysis holds, so that a failure can release it all. */
typedef struct analysis {
    const char *name;           /* input as shown in messages */
    source_file *src;
    cs_analyzer *an;
    call_log *log;
    atomic_file out;
    int out_open;
    float *block;
} analysis;

static _Noreturn void usage_error(const char *fmt, ...) CLI_PRINTF(1, 2);
static _Noreturn void usage_error(const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    die(CLI_EXIT_USAGE, "analyze: %s (see: callscope analyze --help)", msg);
}

/* "none" or "-1" for no channel, else 0..CS_MAX_INPUT_CHANNELS-1. */
static int parse_channel(const char *text, int *out)
{
    if (strcmp(text, "none") == 0 || strcmp(text, "-1") == 0) {
        *out = -1;
        return 0;
    }
    return cli_parse_int(text, 0, CS_MAX_INPUT_CHANNELS - 1, out);
}

static void parse_channel_map(analyze_options *o, const char *text)
{
    o->map_channel[CS_AGENT] = o->map_channel[CS_CUSTOMER] = -2; /* -2: not said */
    char buf[128];
    if (strlen(text) >= sizeof buf)
        usage_error("--channel-map: '%s' is too long", text);
    strcpy(buf, text);
    for (char *item = buf, *next; item; item = next) {
        next = strchr(item, ',');
        if (next)
            *next++ = '\0';
        char *eq = strchr(item, '=');
        int speaker = -1, ch;
        if (eq) {
            *eq = '\0';
            if (strcmp(item, "agent") == 0)
                speaker = CS_AGENT;
            else if (strcmp(item, "customer") == 0)
                speaker = CS_CUSTOMER;
        }
        if (speaker < 0 || parse_channel(eq + 1, &ch) != 0 || o->map_channel[speaker] != -2)
            usage_error("--channel-map wants agent=N,customer=M (channels from 0), got '%s'", text);
        o->map_channel[speaker] = ch;
    }
    if (o->map_channel[CS_CUSTOMER] == -2)
        o->map_channel[CS_CUSTOMER] = -1;
    if (o->map_channel[CS_AGENT] < 0)
        usage_error("--channel-map: the agent needs a channel, got '%s'", text);
    if (o->map_channel[CS_AGENT] == o->map_channel[CS_CUSTOMER])
        usage_error("--channel-map: agent and customer on the same channel in '%s'", text);
    o->have_map = 1;
}

static void parse_options(analyze_options *o, int argc, char **argv)
{
    memset(o, 0, sizeof *o);
    o->agent_channel = -1;
    o->sets = calloc((size_t)argc, sizeof *o->sets);
    if (!o->sets)
        die(CLI_EXIT_FAILURE, "out of memory");
    int only_operands = 0;
    for (int i = 1; i < argc;) {
        const char *arg = argv[i], *v;
        if (only_operands || arg[0] != '-' || strcmp(arg, "-") == 0) {
            if (o->input)
                usage_error("one recording at a time; '%s' is one too many", arg);
            o->input = arg;
            i++;
        } else if (strcmp(arg, "--") == 0) {
            only_operands = 1;
            i++;
        } else if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            fputs(usage_text, stdout);
            free(o->sets);
            exit(fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILURE);
        } else if (strcmp(arg, "-q") == 0 || strcmp(arg, "--quiet") == 0) {
            o->quiet = 1;
            i++;
        } else if (strcmp(arg, "--fail-on-flags") == 0) {
            o->fail_on_flags = 1;
            i++;
        } else if (cli_option_value(argc, argv, &i, "--json", &v)) {
            if (v[0] == '\0')
                usage_error("--json needs a file name");
            o->json_path = v;
        } else if (cli_option_value(argc, argv, &i, "--agent-channel", &v)) {
            if (cli_parse_int(v, 0, 1, &o->agent_channel) != 0)
                usage_error("--agent-channel is 0 or 1, got '%s'", v);
        } else if (cli_option_value(argc, argv, &i, "--channel-map", &v)) {
            parse_channel_map(o, v);
        } else if (cli_option_value(argc, argv, &i, "--profile", &v)) {
            o->profile_path = v;
        } else if (cli_option_value(argc, argv, &i, "--set", &v)) {
            o->sets[o->set_count++] = v;
        } else {
            usage_error("unknown option '%s'", arg);
        }
    }
    if (!o->input)
        usage_error("no recording given");
    if (o->have_map && o->agent_channel >= 0)
        usage_error("give --agent-channel or --channel-map, not both");
}

static void release(analysis *x)
{
    if (x->out_open)
        atomic_abort(&x->out);
    x->out_open = 0;
    cs_close(x->an);
    x->an = NULL;
    call_log_close(x->log);
    x->log = NULL;
    source_file_close(x->src);
    x->src = NULL;
    free(x->block);
    x->block = NULL;
}

/* Release everything, then exit with one diagnostic line. */
static _Noreturn void fail(analysis *x, int status, const char *fmt, ...) CLI_PRINTF(3, 4);
static _Noreturn void fail(analysis *x, int status, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    release(x);
    die(status, "%s", msg);
}

static double seconds_of(clockid_t clock)
{
    struct timespec ts;
    if (clock_gettime(clock, &ts) != 0)
        return NAN;
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Which input channel carries each speaker, per the options and the file. */
static void map_speakers(analysis *x, const analyze_options *o, int channels, int map[CS_MAX_SPEAKERS])
{
    if (o->have_map) {
        map[CS_AGENT] = o->map_channel[CS_AGENT];
        map[CS_CUSTOMER] = o->map_channel[CS_CUSTOMER];
        for (int s = 0; s < CS_MAX_SPEAKERS; s++)
            if (map[s] >= channels)
                fail(x, CLI_EXIT_INPUT, "%s: --channel-map: no channel %d (the recording has %d)",
                     x->name, map[s], channels);
        return;
    }
    if (channels == 1) {
        if (o->agent_channel > 0)
            fail(x, CLI_EXIT_INPUT, "%s: mono recording has no channel %d for the agent",
                 x->name, o->agent_channel);
        map[CS_AGENT] = 0;
        map[CS_CUSTOMER] = -1;
        return;
    }
    if (channels > 2)
        fail(x, CLI_EXIT_INPUT, "%s: %d channels: give --channel-map agent=N,customer=M", x->name,
             channels);
    map[CS_AGENT] = o->agent_channel > 0 ? 1 : 0;
    map[CS_CUSTOMER] = 1 - map[CS_AGENT];
}

static int open_status(int err)
{
    return err == CS_ERATE || err == CS_ECHANNELS ? CLI_EXIT_INPUT : CLI_EXIT_FAILURE;
}

/* Pull every event ready; returns how many. */
static long drain_events(analysis *x)
{
    cs_event ev;
    long n = 0;
    while (cs_pull(x->an, &ev) > 0) {
        n++;
        if (call_log_add(x->log, &ev) != 0)
            fail(x, CLI_EXIT_FAILURE, "cannot keep events in a temporary file: %s",
                 strerror(call_log_error(x->log)));
    }
    return n;
}

/* Feed one block, in as many pushes as the analyzer's event queue needs. */
static void push_block(analysis *x, const float *frames, size_t nframes, int channels,
                       int64_t first_frame, int rate_hz)
{
    size_t done = 0;
    while (done < nframes) {
        long r = cs_push(x->an, frames + done * (size_t)channels, nframes - done);
        if (r == CS_ENONFINITE)
            fail(x, CLI_EXIT_INPUT, "%s: NaN or infinite sample near %.3f s", x->name,
                 (double)(first_frame + (int64_t)done) / rate_hz);
        if (r < 0)
            fail(x, CLI_EXIT_FAILURE, "%s: analysis failed: %s", x->name, cs_strerror((int)r));
        done += (size_t)r;
        long pulled = drain_events(x);
        if (r == 0 && pulled == 0)
            fail(x, CLI_EXIT_FAILURE, "%s: internal error: the analysis accepts no more audio",
                 x->name);
    }
}

/* Refuse a channel so overloaded that its analysis would be noise. */
static void check_clipping(analysis *x, const cs_profile *prof, const cs_summary *sum,
                           const int map[CS_MAX_SPEAKERS])
{
    double limit = profile_io_value(prof, "input.max_clipped_fraction");
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        const cs_speaker_summary *sp = &sum->speaker[s];
        if (!sp->present || !(sp->clipped_fraction > limit))
            continue;
        double pct = sp->clipped_fraction * 100.0;
        fail(x, CLI_EXIT_INPUT,
             "%s: %s channel (%d) mostly clipped (%.*f%% of samples at full scale, limit %g%%)",
             x->name, cs_speaker_name(s), map[s], pct < 10 ? 1 : 0, pct, limit * 100.0);
    }
}

int cmd_analyze(int argc, char **argv)
{
    analyze_options o;
    parse_options(&o, argc, argv);

    cs_profile prof;
    cs_profile_default(&prof);
    if (o.profile_path)
        profile_io_load_file(&prof, o.profile_path);
    for (int i = 0; i < o.set_count; i++)
        profile_io_apply_set(&prof, o.sets[i]);
    free(o.sets);
    o.sets = NULL;

    /* The rename at the end would silently replace the recording. */
    struct stat in_st, out_st;
    if (o.json_path && strcmp(o.input, "-") != 0 && stat(o.input, &in_st) == 0 &&
        stat(o.json_path, &out_st) == 0 && in_st.st_dev == out_st.st_dev &&
        in_st.st_ino == out_st.st_ino)
        die(CLI_EXIT_USAGE, "analyze: --json %s would overwrite the recording", o.json_path);

    analysis x;
    memset(&x, 0, sizeof x);
    x.name = strcmp(o.input, "-") == 0 ? "stdin" : o.input;
    int json_to_stdout = o.json_path && strcmp(o.json_path, "-") == 0;

    /* Open the report first: a bad output path should not cost an analysis. */
    if (o.json_path) {
        int err = atomic_open(&x.out, o.json_path);
        if (err)
            fail(&x, CLI_EXIT_FAILURE, "%s: cannot write: %s", o.json_path, strerror(err));
        x.out_open = 1;
    }

    double cpu0 = seconds_of(CLOCK_PROCESS_CPUTIME_ID), wall0 = seconds_of(CLOCK_MONOTONIC);
    source_info info;
    char why[256];
    int rc = source_file_open(&x.src, o.input, &info, why, sizeof why);
    if (rc < 0)
        fail(&x, rc == SOURCE_ESYSTEM ? CLI_EXIT_FAILURE : CLI_EXIT_INPUT, "%s: %s", x.name, why);

    int map[CS_MAX_SPEAKERS];
    map_speakers(&x, &o, info.channels, map);
    cs_config cfg;
    cs_config_default(&cfg, info.sample_rate_hz, info.channels);
    cfg.speaker_channel[CS_AGENT] = map[CS_AGENT];
    cfg.speaker_channel[CS_CUSTOMER] = map[CS_CUSTOMER];
    int err = cs_open(&x.an, &cfg, &prof);
    if (err < 0)
        fail(&x, open_status(err), "%s: cannot analyse: %s", x.name, cs_strerror(err));
    err = call_log_open(&x.log);
    if (err)
        fail(&x, CLI_EXIT_FAILURE, "cannot create a temporary file for events: %s", strerror(err));
    x.block = malloc((size_t)SOURCE_BLOCK_FRAMES * (size_t)info.channels * sizeof *x.block);
    if (!x.block)
        fail(&x, CLI_EXIT_FAILURE, "out of memory");

    long n;
    while ((n = source_file_read(x.src, x.block, SOURCE_BLOCK_FRAMES, why, sizeof why)) > 0)
        push_block(&x, x.block, (size_t)n, info.channels,
                   source_file_frames_read(x.src) - n, info.sample_rate_hz);
    if (n < 0)
        fail(&x, n == SOURCE_ESYSTEM ? CLI_EXIT_FAILURE : CLI_EXIT_INPUT, "%s: %s", x.name, why);
    int64_t frames = source_file_frames_read(x.src);
    if (frames == 0)
        fail(&x, CLI_EXIT_INPUT, "%s: no audio could be read", x.name);

    err = cs_finish(x.an);
    if (err < 0)
        fail(&x, CLI_EXIT_FAILURE, "%s: analysis failed: %s", x.name, cs_strerror(err));
    drain_events(&x);
    cs_summary sum;
    err = cs_summary_get(x.an, &sum);
    if (err < 0)
        fail(&x, CLI_EXIT_FAILURE, "%s: analysis failed: %s", x.name, cs_strerror(err));

    report_meta meta;
    meta.cpu_s = seconds_of(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
    meta.wall_s = seconds_of(CLOCK_MONOTONIC) - wall0;

    const char *warnings[SOURCE_MAX_WARNINGS];
    int warning_count = source_file_warning_count(x.src);
    for (int i = 0; i < warning_count; i++) {
        warnings[i] = source_file_warning(x.src, i);
        warn("%s: %s", x.name, warnings[i]);
    }
    check_clipping(&x, &prof, &sum, map);

    report_source rs;
    rs.path = o.input;
    rs.duration_s = (double)frames / info.sample_rate_hz;
    rs.sample_rate_hz = info.sample_rate_hz;
    rs.channels = info.channels;
    rs.format = info.format;
    rs.speaker_channel[CS_AGENT] = map[CS_AGENT];
    rs.speaker_channel[CS_CUSTOMER] = map[CS_CUSTOMER];
    rs.warnings = warnings;
    rs.warning_count = warning_count;
    int flag_count = report_flag_count(x.log);

    if (o.json_path) {
        err = report_json_write(x.out.fp, x.an, &rs, &prof, &sum, x.log, &meta);
        if (!err) {
            x.out_open = 0;
            err = atomic_commit(&x.out);
        }
        if (err)
            fail(&x, CLI_EXIT_FAILURE, "%s: cannot write: %s", o.json_path, strerror(err));
    }
    if (!o.quiet && !json_to_stdout && summary_text_print(stdout, &rs, &sum, flag_count) != 0)
        fail(&x, CLI_EXIT_FAILURE, "cannot write the summary: %s", strerror(errno));

    release(&x);
    return o.fail_on_flags && flag_count > 0 ? CLI_EXIT_FLAGS : CLI_EXIT_OK;
}
