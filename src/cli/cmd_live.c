/*
 * callscope live: analyse a call as it happens, from a capture device.
 * callscope devices: list the capture devices.
 *
 * The audio goes through the same analysis as a recording (call_run), with
 * an observer that turns what comes out into JSON Lines on --events: a tick
 * every live.tick_s of audio with each speaker's live quantities, and each
 * flag as it is raised. When the call ends (Ctrl-C, --duration, or the
 * device stopping) the full report is written as for a recording, so the
 * live numbers and the batch numbers of the same audio agree.
 */
#include "cli/cli.h"

#include "cli/analysis_setup.h"
#include "cli/call_run.h"
#include "cli/json_writer.h"
#include "cli/report_json.h"
#include "cli/source_capture.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define usage_error(...) cli_usage_error("live", __VA_ARGS__)

static const char usage_text[] =
    "usage: callscope live [options]\n"
    "\n"
    "Analyse a call while it happens, from a capture device: one channel (the\n"
    "agent's headset) or two (agent and customer, e.g. a softphone's stereo\n"
    "loopback). Ctrl-C ends the call; the report is still written.\n"
    "\n"
    "options:\n"
    "  --device NAME|INDEX        capture device (default: the default input;\n"
    "                             'callscope devices' lists them)\n"
    "  --channels 1|2             channels to capture (default 2)\n"
    "  --rate HZ                  sample rate (default 16000)\n"
    "  --events FILE|-            JSON Lines as they happen: ticks and flags\n"
    "  --json OUT                 the full report when the call ends\n"
    "  --duration S               end the call after S seconds of audio\n"
    "  -q, --quiet                no status line\n"
    "and the analysis options of 'callscope analyze' (--agent-channel,\n"
    "--profile, --set, --baseline, --tone-model, --coaching).\n";

typedef struct live_options {
    const char *device;
    int channels;
    int rate;
    const char *events_path;
    const char *json_path;
    double duration_s;      /* 0: until stopped */
    int quiet;
} live_options;

/* What the observer keeps between callbacks. */
typedef struct live_state {
    const live_options *opt;
    analysis_setup *setup;
    FILE *events;
    int speakers;
    double tick_s, next_tick_s;
    double now_s;            /* audio heard so far */
    double talk_s[CS_MAX_SPEAKERS];
    double last_speech_s[CS_MAX_SPEAKERS];   /* end of the last frame with speech; -1 none */
    cs_voice last[CS_MAX_SPEAKERS];           /* the latest voice frame */
    int write_error;
} live_state;

static void on_interrupt(int sig)
{
    (void)sig;
    source_capture_request_stop();
}

static void parse_options(live_options *o, analysis_setup *setup, int argc, char **argv)
{
    memset(o, 0, sizeof *o);
    o->channels = 2;
    o->rate = 16000;
    analysis_setup_init(setup, "live", argc);
    for (int i = 1; i < argc;) {
        const char *arg = argv[i], *v;
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            cli_help_exit(usage_text);
        } else if (strcmp(arg, "-q") == 0 || strcmp(arg, "--quiet") == 0) {
            o->quiet = 1;
            i++;
        } else if (cli_option_value(argc, argv, &i, "--device", &v)) {
            o->device = v;
        } else if (cli_option_value(argc, argv, &i, "--channels", &v)) {
            if (cli_parse_int(v, 1, 2, &o->channels) != 0)
                usage_error("--channels is 1 or 2, got '%s'", v);
        } else if (cli_option_value(argc, argv, &i, "--rate", &v)) {
            if (cli_parse_int(v, CS_MIN_RATE_HZ, CS_MAX_RATE_HZ, &o->rate) != 0)
                usage_error("--rate is %d to %d Hz, got '%s'", CS_MIN_RATE_HZ, CS_MAX_RATE_HZ, v);
        } else if (cli_option_value(argc, argv, &i, "--events", &v)) {
            o->events_path = v;
        } else if (cli_option_value(argc, argv, &i, "--json", &v)) {
            o->json_path = v;
        } else if (cli_option_value(argc, argv, &i, "--duration", &v)) {
            char *end;
            o->duration_s = strtod(v, &end);
            if (*end || !(o->duration_s > 0) || !isfinite(o->duration_s))
                usage_error("--duration wants seconds above 0, got '%s'", v);
        } else if (analysis_setup_take(setup, argc, argv, &i)) {
            continue;
        } else {
            usage_error("unknown option '%s'", arg);
        }
    }
}

/* ---- events ------------------------------------------------------------ */

static void key_number(json_writer *w, const char *key, int available, double v, int decimals)
{
    jw_key_fixed(w, key, available ? v : NAN, decimals);
}

static void write_speaker(json_writer *w, const live_state *st, int s, double now_s)
{
    const cs_voice *v = &st->last[s];
    double both = st->talk_s[CS_AGENT] + st->talk_s[CS_CUSTOMER];
    int speaking = v->speech_s > 0;
    jw_begin_object(w, JW_INLINE);
    jw_key(w, "speaking");
    jw_bool(w, speaking);
    jw_key_fixed(w, "talk_s", st->talk_s[s], 2);
    key_number(w, "talk_share", st->speakers == 2 && both > 0, st->talk_s[s] / both, 3);
    key_number(w, "since_spoke_s", st->last_speech_s[s] >= 0, now_s - st->last_speech_s[s], 1);
    key_number(w, "pitch_hz", speaking, v->pitch_hz, 1);
    key_number(w, "level_db", speaking, v->level_db, 1);
    jw_end_object(w);
}

static int emit_line(live_state *st, json_writer *w)
{
    if (jw_finish(w) != JW_OK || fflush(st->events) != 0) {
        st->write_error = 1;
        return -1;
    }
    return 0;
}

static int emit_tick(live_state *st, double t_s)
{
    if (!st->events)
        return 0;
    json_writer w;
    jw_init(&w, st->events);
    jw_begin_object(&w, JW_INLINE);
    jw_key_fixed(&w, "t_s", t_s, 2);
    jw_key_string(&w, "type", "tick");
    for (int s = 0; s < st->speakers; s++) {
        jw_key(&w, cs_speaker_name(s));
        write_speaker(&w, st, s, t_s);
    }
    jw_end_object(&w);
    return emit_line(st, &w);
}

static int on_flag(void *user, const cs_flag *fl)
{
    live_state *st = user;
    if (!st->events)
        return 0;
    double start = (double)fl->start / st->opt->rate, end = (double)fl->end / st->opt->rate;
    char message[2 * CS_COACHING_TEXT_MAX];
    cs_flag_message(&st->setup->coaching, fl, st->opt->rate, message, sizeof message);
    json_writer w;
    jw_init(&w, st->events);
    jw_begin_object(&w, JW_INLINE);
    jw_key_fixed(&w, "t_s", st->now_s, 2);
    jw_key_string(&w, "type", "flag");
    jw_key_string(&w, "kind", cs_flag_kind_name(fl->kind));
    jw_key_string(&w, "speaker", cs_speaker_name(fl->speaker));
    jw_key_fixed(&w, "start_s", start, 3);
    jw_key_fixed(&w, "end_s", end, 3);
    jw_key_fixed(&w, "severity", fl->severity, 2);
    jw_key_string(&w, "message", message);
    jw_key_string(&w, "tip", cs_flag_tip(&st->setup->coaching, fl->kind));
    jw_end_object(&w);
    return emit_line(st, &w);
}

static int on_frame(void *user, const cs_frame *fr)
{
    live_state *st = user;
    for (int s = 0; s < st->speakers; s++) {
        st->last[s] = fr->speaker[s];
        if (fr->speaker[s].speech_s > 0) {
            st->talk_s[s] += fr->speaker[s].speech_s;
            st->last_speech_s[s] = (double)fr->end / st->opt->rate;
        }
    }
    return 0;
}

static void show_status(const live_state *st, double t_s)
{
    char clock[32];
    cli_format_clock(clock, sizeof clock, t_s);
    double both = st->talk_s[CS_AGENT] + st->talk_s[CS_CUSTOMER];
    fprintf(stderr, "\r\033[K%s  agent %s", clock, st->last[CS_AGENT].speech_s > 0 ? "talking" : "quiet  ");
    if (st->speakers == 2 && both > 0)
        fprintf(stderr, "  share %3.0f%%  customer %s", 100 * st->talk_s[CS_AGENT] / both,
                st->last[CS_CUSTOMER].speech_s > 0 ? "talking" : "quiet");
    fflush(stderr);
}

static int on_block(void *user, int64_t frames)
{
    live_state *st = user;
    double t_s = (double)frames / st->opt->rate;
    st->now_s = t_s;
    while (t_s >= st->next_tick_s) {
        if (emit_tick(st, st->next_tick_s) != 0)
            return 1;
        if (!st->opt->quiet)
            show_status(st, st->next_tick_s);
        st->next_tick_s += st->tick_s;
    }
    return st->opt->duration_s > 0 && t_s >= st->opt->duration_s;
}

static long read_capture(void *self, float *frames, size_t nframes, char *why, size_t why_cap)
{
    return source_capture_read(self, frames, nframes, why, why_cap);
}

int cmd_devices(int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0))
        cli_help_exit("usage: callscope devices\n\nList the capture devices PortAudio sees, for live --device.\n");
    if (argc > 1)
        cli_usage_error("devices", "no arguments expected, got '%s'", argv[1]);
    char why[256];
    if (capture_list_devices(stdout, why, sizeof why) != 0)
        die(CLI_EXIT_FAILURE, "%s", why);
    if (fflush(stdout) != 0 || ferror(stdout))
        die(CLI_EXIT_FAILURE, "cannot write to stdout");
    return CLI_EXIT_OK;
}

int cmd_live(int argc, char **argv)
{
    static live_options o;
    static analysis_setup setup;
    parse_options(&o, &setup, argc, argv);
    analysis_setup_load(&setup);

    /* Events are read while they are written (a dashboard, a pipe), so they
     * go straight to the file; the report appears whole at the end. */
    FILE *events = NULL;
    if (o.events_path && !(events = strcmp(o.events_path, "-") == 0 ? stdout : fopen(o.events_path, "w")))
        die(CLI_EXIT_FAILURE, "%s: %s", o.events_path, strerror(errno));
    atomic_file json_file;
    if (o.json_path)
        cli_output_open(&json_file, o.json_path);

    char why[256];
    call_input in = {NULL, {0}, read_capture};
    source_capture *cap;
    if (source_capture_open(&cap, o.device, o.channels, o.rate, &in.info, why, sizeof why) != SOURCE_OK)
        die(CLI_EXIT_INPUT, "live: %s", why);
    in.self = cap;

    live_state st;
    memset(&st, 0, sizeof st);
    st.opt = &o;
    st.setup = &setup;
    st.events = events;
    st.speakers = o.channels;
    st.tick_s = profile_io_value(&setup.profile, "live.tick_s");
    st.next_tick_s = st.tick_s;
    for (int s = 0; s < CS_MAX_SPEAKERS; s++)
        st.last_speech_s[s] = -1;
    call_observer obs = {&st, on_frame, on_flag, on_block};

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    if (source_capture_start(cap, why, sizeof why) != SOURCE_OK)
        die(CLI_EXIT_INPUT, "live: %s", why);
    call_run run;
    int status = call_run_analyze_input(&run, "live", &in, &obs, &setup.profile, &setup.channels, &setup.model,
                                        analysis_setup_baseline(&setup));
    if (!o.quiet)
        fputc('\n', stderr);
    if (source_capture_end_reason(cap)[0])
        warn("live: %s; the report covers what was heard", source_capture_end_reason(cap));
    if (source_capture_overflows(cap) > 0)
        warn("live: the capture fell behind %ld time%s; a little audio was lost", source_capture_overflows(cap),
             source_capture_overflows(cap) == 1 ? "" : "s");
    if (status) {
        call_run_release(&run);
        source_capture_close(cap);
        die(status, "%s: %s", run.name, run.error);
    }
    if (events && (st.write_error || fflush(events) != 0 || (events != stdout && fclose(events) != 0)))
        warn("live: %s: the events could not all be written", o.events_path);
    if (o.json_path) {
        const char *warnings[SOURCE_MAX_WARNINGS];
        report_source rs;
        report_source_from_run(&rs, &run, "live", &setup, warnings);
        cli_output_close(&json_file, report_json_write(json_file.fp, &run, &rs, &setup.profile));
    }
    call_run_release(&run);
    source_capture_close(cap);
    return CLI_EXIT_OK;
}
