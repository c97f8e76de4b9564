/*
 * callscope live: analyse a call as it happens, from a capture device, or
 * from a recording replayed in real time (--replay: a demonstration, or a
 * test, with no sound card).
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
#include "cli/live_view.h"
#include "cli/report_json.h"
#include "cli/source_capture.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define usage_error(...) cli_usage_error("live", __VA_ARGS__)

static const char usage_text[] =
    "usage: callscope live [options]\n"
    "       callscope live --replay FILE [--speed X] [options]\n"
    "\n"
    "Analyse a call while it happens, from a capture device: one channel (the\n"
    "agent's headset) or two (agent and customer, e.g. a softphone's stereo\n"
    "loopback). Ctrl-C ends the call; the report is still written.\n"
    "With --replay, a recording is heard instead, in real time, through the\n"
    "same analysis, display, cues and events (a demonstration, or a test, with\n"
    "no sound card).\n"
    "\n"
    "options:\n"
    "  --device NAME|INDEX        capture device (default: the default input;\n"
    "                             'callscope devices' lists them)\n"
    "  --channels 1|2             channels to capture (default 2)\n"
    "  --rate HZ                  sample rate (default: the analysis rate,\n"
    "                             input.analysis_rate_hz, 8000)\n"
    "  --events FILE|-            JSON Lines as they happen: ticks, cues and flags\n"
    "  --json OUT                 the full report when the call ends\n"
    "  --record FILE              keep the audio (.flac, else WAV); none is kept\n"
    "                             without it\n"
    "  --duration S               end the call after S seconds of audio\n"
    "  --replay FILE              play a recording through live mode instead of\n"
    "                             capturing (its own rate and channels)\n"
    "  --speed X                  with --replay: X times real time (default 1;\n"
    "                             0.1 to 1000)\n"
    "  -q, --quiet                no display (the panel on a terminal, the cues\n"
    "                             as lines otherwise; NO_COLOR is respected)\n"
    "and the analysis options of 'callscope analyze' (--agent-channel,\n"
    "--profile, --set, --baseline, --tone-model, --coaching).\n"
    "\n"
    "Exit status: 0 the call was analysed; 1 no capture device could be had,\n"
    "or an output cannot be written; 2 usage error; 4 the --replay recording\n"
    "cannot be used.\n";

typedef struct live_options {
    const char *device;
    int channels;
    int rate;
    const char *events_path;
    const char *json_path;
    const char *record_path;
    double duration_s;      /* 0: until stopped */
    int quiet;
    const char *replay_path; /* a recording instead of a device */
    double speed;           /* times real time, for a replay */
} live_options;

/* Ctrl-C during a replay (a capture keeps its own flag). */
static volatile sig_atomic_t replay_stop_requested;

static void on_interrupt(int sig)
{
    (void)sig;
    source_capture_request_stop();
    replay_stop_requested = 1;
}

static void parse_options(live_options *o, analysis_setup *setup, int argc, char **argv)
{
    memset(o, 0, sizeof *o);
    o->channels = 0; /* 2 unless given */
    o->rate = 0; /* the analysis rate, once the profile is known */
    o->speed = 1;
    int speed_given = 0;
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
        } else if (cli_option_value(argc, argv, &i, "--record", &v)) {
            o->record_path = v;
        } else if (cli_option_value(argc, argv, &i, "--replay", &v)) {
            if (!*v)
                usage_error("--replay needs a recording");
            o->replay_path = v;
        } else if (cli_option_value(argc, argv, &i, "--speed", &v)) {
            if (cli_parse_double(v, 0.1, 1000.0, &o->speed) != 0)
                usage_error("--speed wants a factor from 0.1 to 1000, got '%s'", v);
            speed_given = 1;
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
    if (o->replay_path && (o->device || o->channels || o->rate))
        usage_error("--replay plays the recording as it is: --device, --channels and --rate do not go with it");
    if (speed_given && !o->replay_path)
        usage_error("--speed goes with --replay");
    if (!o->channels)
        o->channels = 2;
}

static long read_capture(void *self, float *frames, size_t nframes, char *why, size_t why_cap)
{
    return source_capture_read(self, frames, nframes, why, why_cap);
}

/* A recording heard as a capture would hear it: each block handed over
 * once it has played (at speed times real time). */
typedef struct replay {
    source_file *src;
    int rate_hz;
    double speed;
    struct timespec start;  /* when the first block began to play */
    int64_t frames;         /* handed over so far */
} replay;

static long read_replay(void *self, float *frames, size_t nframes, char *why, size_t why_cap)
{
    replay *p = self;
    if (replay_stop_requested)
        return 0;
    if (p->frames == 0)
        clock_gettime(CLOCK_MONOTONIC, &p->start);
    long n = source_file_read(p->src, frames, nframes, why, why_cap);
    if (n <= 0)
        return n;
    p->frames += n;
    double played_s = (double)p->frames / p->rate_hz / p->speed;
    struct timespec due = p->start;
    due.tv_sec += (time_t)played_s;
    due.tv_nsec += (long)((played_s - floor(played_s)) * 1e9);
    if (due.tv_nsec >= 1000000000L) {
        due.tv_sec++;
        due.tv_nsec -= 1000000000L;
    }
    while (!replay_stop_requested && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL) == EINTR)
        ;
    return n;
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
    atomic_file json_file;
    if (o.json_path)
        cli_output_open(&json_file, o.json_path);

    char why[256];
    call_input in = {NULL, {0}, NULL};
    source_capture *cap = NULL;
    replay rp = {NULL, 0, o.speed, {0, 0}, 0};
    if (o.replay_path) {
        int rc = source_file_open(&rp.src, o.replay_path, &in.info, why, sizeof why);
        if (rc < 0)
            die(rc == SOURCE_ESYSTEM ? CLI_EXIT_FAILURE : CLI_EXIT_INPUT, "%s: %s", o.replay_path, why);
        rp.rate_hz = in.info.sample_rate_hz;
        in.self = &rp;
        in.read = read_replay;
    } else {
        /* Captured at the rate it is analysed at, the cues wait for no resampler. */
        if (o.rate == 0)
            o.rate = cs_analysis_rate(&setup.profile, CS_MAX_RATE_HZ);
        /* No device to be had is our machine's failing, not a recording's. */
        if (source_capture_open(&cap, o.device, o.channels, o.rate, &in.info, why, sizeof why) != SOURCE_OK)
            die(CLI_EXIT_FAILURE, "live: %s", why);
        in.self = cap;
        in.read = read_capture;
    }

    /* Events are read while they are written (a dashboard, a pipe), so they
     * go straight to the file; the report appears whole at the end. Opened
     * once there is audio to hear, so no device leaves no empty file. */
    FILE *events = NULL;
    if (o.events_path && !(events = strcmp(o.events_path, "-") == 0 ? stdout : fopen(o.events_path, "w")))
        die(CLI_EXIT_FAILURE, "%s: %s", o.events_path, strerror(errno));

    live_view_options vo = {events, LIVE_DISPLAY_NONE, 0, o.duration_s};
    if (!o.quiet)
        live_view_pick_display(&vo);
    live_view *view = live_view_new(&vo, &setup);
    if (!view)
        die(CLI_EXIT_FAILURE, "out of memory");
    if (o.record_path && live_view_record(view, o.record_path, in.info.sample_rate_hz, in.info.channels, why, sizeof why) != 0)
        die(CLI_EXIT_FAILURE, "live: %s", why);
    call_observer obs;
    live_view_observer(view, &obs);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    if (cap && source_capture_start(cap, why, sizeof why) != SOURCE_OK) {
        if (events && events != stdout) {
            fclose(events);
            unlink(o.events_path);
        }
        die(CLI_EXIT_FAILURE, "live: %s", why);
    }
    call_run run;
    const char *name = o.replay_path ? o.replay_path : "live";
    int status = call_run_analyze_input(&run, name, &in, &obs, &setup.profile, &setup.channels, &setup.model,
                                        analysis_setup_baseline(&setup));
    int view_failed = live_view_finish(view, status == 0, why, sizeof why);
    if (cap && source_capture_end_reason(cap)[0])
        warn("live: %s; the report covers what was heard", source_capture_end_reason(cap));
    if (cap && source_capture_overflows(cap) > 0)
        warn("live: the capture fell behind %ld time%s; a little audio was lost", source_capture_overflows(cap),
             source_capture_overflows(cap) == 1 ? "" : "s");
    for (int i = 0; rp.src && i < source_file_warning_count(rp.src); i++)
        warn("%s: %s", o.replay_path, source_file_warning(rp.src, i));
    if (status) {
        live_view_free(view);
        call_run_release(&run);
        source_capture_close(cap);
        source_file_close(rp.src);
        die(status, "%s: %s", run.name, run.error);
    }
    if (view_failed)
        warn("live: %s", why);
    if (events && events != stdout && fclose(events) != 0)
        warn("live: %s: the events could not all be written", o.events_path);
    if (o.json_path) {
        const char *warnings[SOURCE_MAX_WARNINGS];
        report_source rs;
        report_source_from_run(&rs, &run, name, &setup, warnings);
        cli_output_close(&json_file, report_json_write(json_file.fp, &run, &rs, &setup.profile));
    }
    live_view_free(view);
    call_run_release(&run);
    source_capture_close(cap);
    source_file_close(rp.src);
    return view_failed ? CLI_EXIT_FAILURE : CLI_EXIT_OK;
}
