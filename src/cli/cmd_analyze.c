/*
 * callscope analyze CALL: read one recording, run the analysis, print a
 * short summary and optionally write the JSON report and the exports.
 * callscope report CALL: the same, quiet, for when the files are the point.
 */
#include "cli/cli.h"

#include "cli/atomic_file.h"
#include "cli/call_run.h"
#include "cli/exports.h"
#include "cli/report_html.h"
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
    "       callscope report CALL --html OUT [options]\n"
    "\n"
    "Analyse one two-party recording (agent on channel 0, customer on channel 1).\n"
    "analyze prints a short summary with the top flags; report prints nothing and\n"
    "writes the files asked for. CALL may be '-' to read the recording from stdin.\n"
    "\n"
    "outputs (each written whole or not at all; '-' for stdout, which turns the\n"
    "summary off):\n"
    "  --json OUT                 the JSON report (schema callscope.report/1)\n"
    "  --html OUT                 the coach's report: timeline, flags with tips, a\n"
    "                             player that jumps to each flag (one file, no network)\n"
    "  --embed-audio              put the recording inside the HTML file instead of\n"
    "                             pointing at it\n"
    "  --rttm OUT                 speaker segments as RTTM\n"
    "  --labels OUT               flags and events as an Audacity label track\n"
    "  --csv OUT                  one row per flag\n"
    "\n"
    "options:\n"
    "  --agent-channel 0|1        channel of the agent in a stereo recording (default 0)\n"
    "  --channel-map agent=N,customer=M\n"
    "                             channels of both speakers, for recordings with more\n"
    "                             than two channels; customer=none for one speaker\n"
    "  --profile FILE             thresholds to use instead of the built-in defaults\n"
    "  --baseline FILE            the agent's stored usual voice (callscope baseline\n"
    "                             build) instead of one learnt from this call alone\n"
    "  --tone-model FILE          arousal model instead of the built-in one\n"
    "                             (callscope train-tone makes one)\n"
    "  --coaching FILE            flag messages and tips instead of the built-in ones\n"
    "                             (same format as models/coaching.txt)\n"
    "  --set KEY=VALUE            override one threshold (repeatable; applied after\n"
    "                             --profile); 'callscope profile' lists the keys\n"
    "  -q, --quiet                no summary on stdout\n"
    "  --fail-on-flags            exit with status 3 when the report raises flags\n"
    "  -h, --help                 this text\n";

enum { OUT_JSON, OUT_HTML, OUT_RTTM, OUT_LABELS, OUT_CSV, OUT_KINDS };
static const char *const output_option[OUT_KINDS] = {"--json", "--html", "--rttm", "--labels", "--csv"};

typedef struct analyze_options {
    const char *command;        /* "analyze" or "report" */
    const char *input;
    const char *out_path[OUT_KINDS]; /* NULL: not asked for */
    int embed_audio;
    channel_choice channels;
    profile_args profile;
    const char *baseline_path;
    const char *model_path;
    const char *coaching_path;
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
    die(CLI_EXIT_USAGE, "%s (see: callscope analyze --help)", msg);
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

static int take_output(analyze_options *o, int argc, char **argv, int *i)
{
    const char *v;
    for (int k = 0; k < OUT_KINDS; k++) {
        if (!cli_option_value(argc, argv, i, output_option[k], &v))
            continue;
        if (v[0] == '\0')
            usage_error("%s needs a file name", output_option[k]);
        o->out_path[k] = v;
        return 1;
    }
    return 0;
}

static void parse_options(analyze_options *o, int argc, char **argv, const char *command)
{
    memset(o, 0, sizeof *o);
    o->command = command;
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
        } else if (strcmp(arg, "--embed-audio") == 0) {
            o->embed_audio = 1;
            i++;
        } else if (take_output(o, argc, argv, &i)) {
            continue;
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
        } else if (cli_option_value(argc, argv, &i, "--coaching", &v)) {
            o->coaching_path = v;
        } else {
            usage_error("unknown option '%s'", arg);
        }
    }
    if (!o->input)
        usage_error("no recording given");
    if (o->channels.have_map && o->channels.agent_channel >= 0)
        usage_error("give --agent-channel or --channel-map, not both");
    int asked = 0, to_stdout = 0;
    for (int k = 0; k < OUT_KINDS; k++) {
        asked += o->out_path[k] != NULL;
        to_stdout += o->out_path[k] && strcmp(o->out_path[k], "-") == 0;
        for (int j = 0; j < k; j++)
            if (o->out_path[k] && o->out_path[j] && strcmp(o->out_path[k], o->out_path[j]) == 0)
                usage_error("%s and %s both name '%s'", output_option[j], output_option[k], o->out_path[k]);
    }
    if (strcmp(command, "report") == 0) {
        if (!asked)
            usage_error("report: nothing to write; give --html, --json, --rttm, --labels or --csv");
        o->quiet = 1;
    }
    if (o->embed_audio && !o->out_path[OUT_HTML])
        usage_error("--embed-audio goes with --html");
    if (o->embed_audio && strcmp(o->input, "-") == 0)
        usage_error("--embed-audio needs a recording file, not stdin");
    if (to_stdout)
        o->quiet = 1;
}

/* Write one output after the analysis; 0 or an errno value. */
static int write_output(int kind, FILE *fp, call_run *run, const report_source *rs, const cs_profile *prof,
                        const analyze_options *o)
{
    switch (kind) {
    case OUT_JSON: {
        report_meta meta = {run->cpu_s, run->wall_s};
        return report_json_write(fp, run, rs, prof, &meta);
    }
    case OUT_HTML: {
        html_audio audio = {o->input, o->out_path[OUT_HTML], o->embed_audio};
        return report_html_write(fp, run, rs, &audio);
    }
    case OUT_RTTM: return export_rttm(fp, run, o->input);
    case OUT_LABELS: return export_labels(fp, run, rs->coaching);
    default: return export_flags_csv(fp, run, rs->coaching);
    }
}


static int run_command(int argc, char **argv, const char *command)
{
    analyze_options o;
    parse_options(&o, argc, argv, command);

    cs_profile prof;
    profile_args_apply(&o.profile, &prof);
    cs_tone_model model;
    cs_tone_model_default(&model);
    if (o.model_path)
        tone_io_load_model(&model, o.model_path);
    cs_baseline agent_baseline;
    if (o.baseline_path)
        tone_io_load_baseline(&agent_baseline, o.baseline_path);
    static cs_coaching coaching;
    cs_coaching_default(&coaching);
    if (o.coaching_path)
        tone_io_load_coaching(&coaching, o.coaching_path);

    /* The rename at the end would silently replace the recording. */
    struct stat in_st, out_st;
    int input_known = strcmp(o.input, "-") != 0 && stat(o.input, &in_st) == 0;
    for (int k = 0; k < OUT_KINDS; k++)
        if (input_known && o.out_path[k] && stat(o.out_path[k], &out_st) == 0 && in_st.st_dev == out_st.st_dev &&
            in_st.st_ino == out_st.st_ino)
            die(CLI_EXIT_USAGE, "%s: %s %s would overwrite the recording", command, output_option[k], o.out_path[k]);

    /* Opened before the analysis: a bad path should not cost one. */
    atomic_file out[OUT_KINDS];
    for (int k = 0; k < OUT_KINDS; k++)
        if (o.out_path[k])
            cli_output_open(&out[k], o.out_path[k]);

    call_run run;
    int status = call_run_analyze(&run, o.input, &prof, &o.channels, &model, o.baseline_path ? &agent_baseline : NULL);
    if (status) {
        call_run_release(&run);
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
    rs.coaching = &coaching;
    int flag_count = report_flag_count(&run);

    for (int k = 0; k < OUT_KINDS; k++)
        if (o.out_path[k])
            cli_output_close(&out[k], write_output(k, out[k].fp, &run, &rs, &prof, &o));
    if (!o.quiet && summary_text_print(stdout, &rs, &run, flag_count) != 0) {
        call_run_release(&run);
        die(CLI_EXIT_FAILURE, "cannot write the summary: %s", strerror(errno));
    }
    call_run_release(&run);
    return o.fail_on_flags && flag_count > 0 ? CLI_EXIT_FLAGS : CLI_EXIT_OK;
}

int cmd_analyze(int argc, char **argv) { return run_command(argc, argv, "analyze"); }

int cmd_report(int argc, char **argv) { return run_command(argc, argv, "report"); }
