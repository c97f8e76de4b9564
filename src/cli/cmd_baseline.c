/*
 * callscope baseline build --agent ID CALLS... -o OUT: learn an agent's usual
 * voice (pitch, pitch range, level, high-band share, pace) from the agent
 * channel of many calls, for `analyze --baseline OUT`. A call that cannot be
 * used is reported and skipped: the baseline is still written from the
 * others, and the exit status is 4.
 */
#include "cli/cli.h"

#include "cli/atomic_file.h"
#include "cli/call_run.h"
#include "cli/profile_io.h"
#include "cli/tone_io.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: callscope baseline build --agent ID CALL... -o OUT [options]\n"
    "\n"
    "Learn the agent's usual voice from the agent channel of the calls (mono\n"
    "recordings count as the agent's), for 'callscope analyze --baseline OUT'.\n"
    "\n"
    "options:\n"
    "  --agent ID                 name stored in the baseline (letters, digits, - _ .)\n"
    "  -o, --output OUT           baseline file to write\n"
    "  --agent-channel 0|1        channel of the agent in stereo calls (default 0)\n"
    "  --profile FILE, --set KEY=VALUE\n"
    "                             thresholds, as for analyze\n"
    "  -q, --quiet                no progress lines\n"
    "  -h, --help                 this text\n";

#define usage_error(...) cli_usage_error("baseline", "baseline: " __VA_ARGS__)

static int valid_id(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n >= BASELINE_ID_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '.'))
            return 0;
    }
    return 1;
}

int cmd_baseline(int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        cli_help_exit(usage_text);
    }
    if (argc < 2 || strcmp(argv[1], "build") != 0)
        usage_error("the only action is 'build'");
    const char *id = NULL, *out_path = NULL, *v;
    const char **calls = calloc((size_t)argc, sizeof *calls);
    if (!calls)
        die(CLI_EXIT_FAILURE, "out of memory");
    int ncalls = 0, quiet = 0;
    channel_choice channels = {-1, 0, {-1, -1}, 0, 0};
    profile_args pa;
    profile_args_init(&pa, argc);
    for (int i = 2; i < argc;) {
        const char *arg = argv[i];
        if (arg[0] != '-' || strcmp(arg, "-") == 0) {
            calls[ncalls++] = arg;
            i++;
        } else if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            profile_args_free(&pa);
            free(calls);
            cli_help_exit(usage_text);
        } else if (strcmp(arg, "-q") == 0 || strcmp(arg, "--quiet") == 0) {
            quiet = 1;
            i++;
        } else if (cli_option_value(argc, argv, &i, "--agent", &v)) {
            id = v;
        } else if (cli_option_value(argc, argv, &i, "-o", &v) || cli_option_value(argc, argv, &i, "--output", &v)) {
            out_path = v;
        } else if (cli_option_value(argc, argv, &i, "--agent-channel", &v)) {
            if (cli_parse_int(v, 0, 1, &channels.agent_channel) != 0)
                usage_error("--agent-channel is 0 or 1, got %s", v);
        } else if (!profile_args_take(&pa, argc, argv, &i)) {
            usage_error("unknown option %s", arg);
        }
    }
    if (!id || !valid_id(id))
        usage_error("--agent needs an ID of 1-63 letters, digits, '-', '_' or '.'");
    if (!out_path || !*out_path)
        usage_error("-o OUT is required");
    if (ncalls == 0)
        usage_error("no calls given");
    cs_profile prof;
    profile_args_apply(&pa, &prof);

    atomic_file out;
    cli_output_open(&out, out_path);
    int err;
    cs_tone_model model;
    cs_tone_model_default(&model);
    cs_tone *tone;
    if ((err = cs_tone_open(&tone, &prof, &model, CS_MIN_RATE_HZ)) < 0)
        die(CLI_EXIT_FAILURE, "baseline: %s", cs_strerror(err));
    int used = 0;
    for (int i = 0; i < ncalls; i++) {
        call_run run;
        int status = call_run_learn(&run, calls[i], &prof, &channels, tone);
        if (status == CLI_EXIT_OK) {
            used++;
            if (!quiet)
                fprintf(stderr, "%s: %.1f s of agent speech\n", run.name, run.sum.speaker[CS_AGENT].talk_s);
        } else {
            warn("%s: %s (skipped)", run.name, run.error);
        }
        call_run_release(&run);
        if (status == CLI_EXIT_FAILURE) {
            cs_tone_close(tone);
            die(CLI_EXIT_FAILURE, "baseline: stopped");
        }
    }
    free(calls);
    cs_baseline b;
    cs_tone_baseline(tone, CS_AGENT, &b);
    cs_tone_close(tone);
    if (!(b.speech_s > 0))
        die(CLI_EXIT_INPUT, "baseline: no agent speech in %s", used ? "the calls" : "any usable call");
    cli_output_close(&out, tone_io_write_baseline(out.fp, &b, id, used) != 0 ? (errno ? errno : EIO) : 0);
    if (!quiet)
        fprintf(stderr, "%s: baseline of %s from %d call%s, %.1f s of speech\n", out_path, id, used,
                used == 1 ? "" : "s", b.speech_s);
    return used == ncalls ? CLI_EXIT_OK : CLI_EXIT_INPUT;
}
