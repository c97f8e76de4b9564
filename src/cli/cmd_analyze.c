/*
 * callscope analyze CALL: read one recording, run the analysis, print a
 * short summary and optionally write the JSON report.
 */
#include "cli/cli.h"

#include "cli/atomic_file.h"
#include "cli/call_run.h"
#include "cli/profile_io.h"
#include "cli/report_json.h"
#include "cli/summary_text.h"
#include "cli/tone_io.h"

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
    "  --baseline FILE            the agent's stored usual voice (callscope baseline\n"
    "                             build) instead of one learnt from this call alone\n"
    "  --tone-model FILE          arousal model instead of the built-in one\n"
    "                             (callscope train-tone makes one)\n"
    "  --set KEY=VALUE            override one threshold (repeatable; applied after\n"
    "                             --profile); 'callscope profile' lists the keys\n"
    "  -q, --quiet                no summary on stdout\n"
    "  --fail-on-flags            exit with status 3 when the report raises flags\n"
    "  -h, --help                 this text\n";

typedef struct analyze_options {
    const char *input;
    const char *json_path;      /* NULL: no report file */
    channel_choice channels;
    profile_args profile;
    const char *baseline_path;
    const char *model_path;
    int quiet;
    int fail_on_flags;
} analyze_options;

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
    o->channels.map_channel[CS_AGENT] = o->channels.map_channel[CS_CUSTOMER] = -2; /* -2: not said */
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
        if (speaker < 0 || parse_channel(eq + 1, &ch) != 0 || o->channels.map_channel[speaker] != -2)
            usage_error("--channel-map wants agent=N,customer=M (channels from 0), got '%s'", text);
        o->channels.map_channel[speaker] = ch;
    }
    if (o->channels.map_channel[CS_CUSTOMER] == -2)
        o->channels.map_channel[CS_CUSTOMER] = -1;
    if (o->channels.map_channel[CS_AGENT] < 0)
        usage_error("--channel-map: the agent needs a channel, got '%s'", text);
    if (o->channels.map_channel[CS_AGENT] == o->channels.map_channel[CS_CUSTOMER])
        usage_error("--channel-map: agent and customer on the same channel in '%s'", text);
    o->channels.have_map = 1;
}

static void parse_options(analyze_options *o, int argc, char **argv)
{
    memset(o, 0, sizeof *o);
    o->channels.agent_channel = -1;
    profile_args_init(&o->profile, argc);
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
            profile_args_free(&o->profile);
            fputs(usage_text, stdout);
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
            if (cli_parse_int(v, 0, 1, &o->channels.agent_channel) != 0)
                usage_error("--agent-channel is 0 or 1, got '%s'", v);
        } else if (cli_option_value(argc, argv, &i, "--channel-map", &v)) {
            parse_channel_map(o, v);
        } else if (profile_args_take(&o->profile, argc, argv, &i)) {
            continue;
        } else if (cli_option_value(argc, argv, &i, "--baseline", &v)) {
            o->baseline_path = v;
        } else if (cli_option_value(argc, argv, &i, "--tone-model", &v)) {
            o->model_path = v;
        } else {
            usage_error("unknown option '%s'", arg);
        }
    }
    if (!o->input)
        usage_error("no recording given");
    if (o->channels.have_map && o->channels.agent_channel >= 0)
        usage_error("give --agent-channel or --channel-map, not both");
}

int cmd_analyze(int argc, char **argv)
{
    analyze_options o;
    parse_options(&o, argc, argv);

    cs_profile prof;
    profile_args_apply(&o.profile, &prof);
    cs_tone_model model;
    cs_tone_model_default(&model);
    if (o.model_path)
        tone_io_load_model(&model, o.model_path);
    cs_baseline agent_baseline;
    if (o.baseline_path)
        tone_io_load_baseline(&agent_baseline, o.baseline_path);

    /* The rename at the end would silently replace the recording. */
    struct stat in_st, out_st;
    if (o.json_path && strcmp(o.input, "-") != 0 && stat(o.input, &in_st) == 0 &&
        stat(o.json_path, &out_st) == 0 && in_st.st_dev == out_st.st_dev &&
        in_st.st_ino == out_st.st_ino)
        die(CLI_EXIT_USAGE, "analyze: --json %s would overwrite the recording", o.json_path);

    int json_to_stdout = o.json_path && strcmp(o.json_path, "-") == 0;
    /* Open the report first: a bad output path should not cost an analysis. */
    atomic_file out;
    if (o.json_path) {
        int err = atomic_open(&out, o.json_path);
        if (err)
            die(CLI_EXIT_FAILURE, "%s: cannot write: %s", o.json_path, strerror(err));
    }

    call_run run;
    int status = call_run_analyze(&run, o.input, &prof, &o.channels, &model, o.baseline_path ? &agent_baseline : NULL);
    if (status) {
        call_run_release(&run);
        if (o.json_path)
            atomic_abort(&out);
        die(status, "%s", run.error);
    }
    const char *warnings[SOURCE_MAX_WARNINGS];
    int warning_count = source_file_warning_count(run.src);
    for (int i = 0; i < warning_count; i++) {
        warnings[i] = source_file_warning(run.src, i);
        warn("%s: %s", run.name, warnings[i]);
    }

    report_source rs;
    rs.path = o.input;
    rs.duration_s = (double)run.frames / run.info.sample_rate_hz;
    rs.sample_rate_hz = run.info.sample_rate_hz;
    rs.channels = run.info.channels;
    rs.format = run.info.format;
    rs.speaker_channel[CS_AGENT] = run.map[CS_AGENT];
    rs.speaker_channel[CS_CUSTOMER] = run.map[CS_CUSTOMER];
    rs.warnings = warnings;
    rs.warning_count = warning_count;
    rs.baseline_path = o.baseline_path;
    rs.tone_model = model.name;
    int flag_count = report_flag_count(&run);

    if (o.json_path) {
        report_meta meta = {run.cpu_s, run.wall_s};
        int err = report_json_write(out.fp, &run, &rs, &prof, &meta);
        if (!err)
            err = atomic_commit(&out);
        else
            atomic_abort(&out);
        if (err) {
            call_run_release(&run);
            die(CLI_EXIT_FAILURE, "%s: cannot write: %s", o.json_path, strerror(err));
        }
    }
    if (!o.quiet && !json_to_stdout && summary_text_print(stdout, &rs, &run, flag_count) != 0) {
        call_run_release(&run);
        die(CLI_EXIT_FAILURE, "cannot write the summary: %s", strerror(errno));
    }
    call_run_release(&run);
    return o.fail_on_flags && flag_count > 0 ? CLI_EXIT_FLAGS : CLI_EXIT_OK;
}
