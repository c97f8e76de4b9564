/*
 * callscope analyze CALL: read one recording, run the analysis, print a
 * short summary and optionally write the JSON report and the exports.
 * callscope report CALL: the same, quiet, for when the files are the point.
 */
#include "cli/cli.h"

#include "cli/analysis_setup.h"
#include "cli/atomic_file.h"
#include "cli/call_run.h"
#include "cli/exports.h"
#include "cli/live_view.h"
#include "cli/report_html.h"
#include "cli/report_json.h"
#include "cli/summary_text.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const char usage_text[] =
    "usage: callscope analyze CALL [options]\n"
    "       callscope report CALL --html OUT [options]\n"
    "\n"
    "Analyse one two-party recording (agent on channel 0, customer on channel 1;\n"
    "a mono mix is separated into the two voices).\n"
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
    "  --events OUT               the live event stream (ticks, cues, flags as JSON\n"
    "                             Lines) that 'callscope live' would give for this\n"
    "                             audio, from running baselines\n"
    "\n"
    "options:\n"
    "  --agent-channel 0|1        channel of the agent in a stereo recording (default 0)\n"
    "  --channel-map agent=N,customer=M\n"
    "                             channels of both speakers, for recordings with more\n"
    "                             than two channels; customer=none for one speaker\n"
    "  --agent first|second       in a mono mix (or a stereo file whose channels are\n"
    "                             identical) the two voices are told apart; the agent\n"
    "                             is the first to speak unless told otherwise, or,\n"
    "                             with --baseline, the voice nearer its pitch\n"
    "  --one-speaker              analyse a mono recording as the agent alone\n"
    "  --profile FILE             thresholds to use instead of the built-in defaults\n"
    "  --baseline FILE            the agent's stored usual voice (callscope baseline\n"
    "                             build) instead of one learnt from this call alone\n"
    "  --tone-model FILE          arousal model instead of the built-in one\n"
    "                             (callscope train-tone makes one)\n"
    "  --coaching FILE            flag messages and tips instead of the built-in ones\n"
    "                             (same format as models/coaching.txt)\n"
    "  --set KEY=VALUE            override one threshold (repeatable; applied after\n"
    "                             --profile); 'callscope profile' lists the keys\n"
    "  --spool-limit MB           stdin, a pipe or a device is copied to a temporary\n"
    "                             file first; refuse one longer than this (default\n"
    "                             2048, about 3 h of 48 kHz 16-bit stereo WAV)\n"
    "  --input-wait S             a named pipe nobody writes to within S seconds is\n"
    "                             refused (default 30)\n"
    "  -q, --quiet                no summary on stdout\n"
    "  --fail-on-flags            exit with status 3 when the report raises flags\n"
    "  -h, --help                 this text\n"
    "\n"
    "An output that is an existing character device or named pipe (/dev/null, a\n"
    "FIFO) is written in place, never replaced.\n"
    "Exit status: 0 analysed; 1 an output cannot be written; 2 usage error;\n"
    "3 flags raised (with --fail-on-flags); 4 the recording cannot be used\n"
    "(unreadable, not audio, empty, over --spool-limit, a pipe with no writer).\n"
    "A recording cut short is analysed as far as it goes, with a warning.\n";

enum { OUT_JSON, OUT_HTML, OUT_RTTM, OUT_LABELS, OUT_CSV, OUT_EVENTS, OUT_KINDS };
static const char *const output_option[OUT_KINDS] = {"--json", "--html", "--rttm", "--labels", "--csv", "--events"};

typedef struct analyze_options {
    const char *input;
    const char *out_path[OUT_KINDS]; /* NULL: not asked for */
    int embed_audio;
    int quiet;
    int fail_on_flags;
} analyze_options;

#define usage_error(...) cli_usage_error("analyze", __VA_ARGS__)

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

static void parse_options(analyze_options *o, analysis_setup *setup, int argc, char **argv, const char *command)
{
    memset(o, 0, sizeof *o);
    analysis_setup_init(setup, command, argc);
    int only_operands = 0;
    for (int i = 1; i < argc;) {
        const char *arg = argv[i];
        if (only_operands || arg[0] != '-' || strcmp(arg, "-") == 0) {
            if (o->input)
                usage_error("one recording at a time; '%s' is one too many", arg);
            o->input = arg;
            i++;
        } else if (strcmp(arg, "--") == 0) {
            only_operands = 1;
            i++;
        } else if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            profile_args_free(&setup->profile_args);
            cli_help_exit(usage_text);
        } else if (strcmp(arg, "-q") == 0 || strcmp(arg, "--quiet") == 0) {
            o->quiet = 1;
            i++;
        } else if (strcmp(arg, "--fail-on-flags") == 0) {
            o->fail_on_flags = 1;
            i++;
        } else if (strcmp(arg, "--embed-audio") == 0) {
            o->embed_audio = 1;
            i++;
        } else if (take_output(o, argc, argv, &i) || analysis_setup_take(setup, argc, argv, &i)) {
            continue;
        } else {
            usage_error("unknown option '%s'", arg);
        }
    }
    if (!o->input)
        usage_error("no recording given");
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

/* The page is drawn from the JSON report, written to a temporary file for
 * it; 0 or an errno value. */
static int write_html(FILE *fp, call_run *run, const report_source *rs, const cs_profile *prof,
                      const analyze_options *o)
{
    FILE *json = tmpfile();
    if (!json)
        return errno ? errno : EIO;
    int err = report_json_write(json, run, rs, prof);
    if (!err && fflush(json) != 0)
        err = errno ? errno : EIO;
    if (!err) {
        html_audio audio = {o->input, o->out_path[OUT_HTML], o->embed_audio};
        err = report_html_write(fp, fileno(json), &audio);
    }
    fclose(json);
    return err;
}

/* Write one output after the analysis; 0 or an errno value. */
static int write_output(int kind, FILE *fp, call_run *run, const report_source *rs, const cs_profile *prof,
                        const analyze_options *o)
{
    switch (kind) {
    case OUT_JSON: return report_json_write(fp, run, rs, prof);
    case OUT_HTML: return write_html(fp, run, rs, prof, o);
    case OUT_RTTM: return export_rttm(fp, run, o->input);
    case OUT_LABELS: return export_labels(fp, run, rs->coaching);
    case OUT_CSV: return export_flags_csv(fp, run, rs->coaching);
    default: return 0; /* the events were written during the analysis */
    }
}


static int run_command(int argc, char **argv, const char *command)
{
    analyze_options o;
    static analysis_setup setup;
    parse_options(&o, &setup, argc, argv, command);
    analysis_setup_load(&setup);
    const cs_profile *prof = &setup.profile;

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

    live_view *view = NULL;
    call_observer obs;
    if (o.out_path[OUT_EVENTS]) {
        live_view_options vo = {out[OUT_EVENTS].fp, LIVE_DISPLAY_NONE, 0, 0};
        if (!(view = live_view_new(&vo, &setup)))
            die(CLI_EXIT_FAILURE, "out of memory");
        live_view_observer(view, &obs);
    }
    call_run run;
    int status = call_run_analyze_watched(&run, o.input, view ? &obs : NULL, prof, &setup.channels, &setup.model,
                                          analysis_setup_baseline(&setup));
    char why[256];
    if (view && live_view_finish(view, status == 0, why, sizeof why) != 0 && !status) {
        call_run_release(&run);
        die(CLI_EXIT_FAILURE, "%s: %s", o.out_path[OUT_EVENTS], why);
    }
    live_view_free(view);
    if (status) {
        call_run_release(&run);
        die(status, "%s: %s", run.name, run.error);
    }
    const char *warnings[SOURCE_MAX_WARNINGS];
    report_source rs;
    report_source_from_run(&rs, &run, o.input, &setup, warnings);
    for (int i = 0; i < rs.warning_count; i++)
        warn("%s: %s", run.name, warnings[i]);
    int flag_count = report_flag_count(&run);

    for (int k = 0; k < OUT_KINDS; k++)
        if (o.out_path[k])
            cli_output_close(&out[k], write_output(k, out[k].fp, &run, &rs, prof, &o));
    if (!o.quiet && summary_text_print(stdout, &rs, &run, flag_count) != 0) {
        call_run_release(&run);
        die(CLI_EXIT_FAILURE, "cannot write the summary: %s", strerror(errno));
    }
    call_run_release(&run);
    return o.fail_on_flags && flag_count > 0 ? CLI_EXIT_FLAGS : CLI_EXIT_OK;
}

int cmd_analyze(int argc, char **argv) { return run_command(argc, argv, "analyze"); }

int cmd_report(int argc, char **argv) { return run_command(argc, argv, "report"); }
