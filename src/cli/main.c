/*
 * callscope: the command-line tool.
 *
 *     callscope analyze CALL [--json OUT] [--html OUT] [options]
 *     callscope report CALL --html OUT [--rttm OUT] [--labels OUT] [--csv OUT] [options]
 *     callscope scan DIR|FILE... --out OUT [-j N] [--shard K/N] [options]
 *     callscope merge [--out OUT] SUMMARY|DIR...
 *     callscope live [--device NAME|INDEX] [--channels 1|2] [--events FILE|-] [--json OUT]
 *     callscope live --replay FILE [--speed X] [--events FILE|-] [--json OUT]
 *     callscope devices
 *     callscope profile [--profile FILE] [--set KEY=VALUE]...
 *     callscope baseline build --agent ID CALLS... -o OUT
 *     callscope train-tone LABELS.csv -o OUT.model
 *     callscope version | --version
 *     callscope help [COMMAND] | --help
 *
 * Data (summaries, reports sent to "-", listings) goes to stdout; every
 * diagnostic is one line on stderr, "callscope: FILE: reason".
 *
 * Exit status:
 *   0  success (also a recording cut short or under input.min_duration_s,
 *      analysed with a warning)
 *   1  runtime failure: cannot write an output, out of memory, internal error;
 *      scan: another scan holds the output folder; live: no capture device
 *   2  usage error: unknown command or option, bad option value, bad --set
 *      key or value, unreadable or invalid profile file
 *   3  only with --fail-on-flags: the analysis succeeded and raised flags
 *   4  the recording cannot be used: cannot open or decode it, empty, no
 *      frames, sample rate outside 8000-48000 Hz, channel layout not usable,
 *      NaN or infinite samples, a speaker's channel clipped beyond
 *      input.max_clipped_fraction, an input past --spool-limit, a named pipe
 *      with no writer within --input-wait; scan: not a regular file, over
 *      --timeout-per-call
 *
 * Each subcommand lives in its own file (cmd_NAME.c) and is listed in the
 * table below.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);

static const command commands[] = {
    {"analyze", cmd_analyze, "analyse one recording: summary on stdout, JSON report with --json"},
    {"report", cmd_report, "analyse one recording into files: --html coach's report, --rttm, --labels, --csv"},
    {"scan", cmd_scan, "analyse many recordings in parallel: summary.csv, a review queue, reports"},
    {"merge", cmd_merge, "combine the summaries of a scan run in shards into one summary and queue"},
    {"live", cmd_live, "analyse a call as it happens from a capture device (or a replayed recording): ticks and flags as JSON Lines"},
    {"devices", cmd_devices, "list the capture devices for live"},
    {"profile", cmd_profile, "list the profile keys with their values and meaning"},
    {"baseline", cmd_baseline, "learn an agent's usual voice from many calls (baseline build)"},
    {"train-tone", cmd_train_tone, "refit the arousal model on labelled stretches of your recordings"},
    {"version", cmd_version, "print the version"},
    {"help", cmd_help, "show this text, or a command's own help"},
};

#define COMMAND_COUNT (sizeof commands / sizeof commands[0])

static const command *find_command(const char *name)
{
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static int finish_stdout(void)
{
    if (fflush(stdout) != 0 || ferror(stdout))
        die(CLI_EXIT_FAILURE, "cannot write to stdout");
    return CLI_EXIT_OK;
}

static int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("callscope %s\n", cs_version());
    return finish_stdout();
}

static void print_usage(FILE *out)
{
    fprintf(out, "usage: callscope COMMAND [ARGS]\n\n"
                 "Conversation analysis of two-party call recordings (agent on channel 0,\n"
                 "customer on channel 1).\n\ncommands:\n");
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n'callscope COMMAND --help' describes a command's options.\n"
                 "Exit status: 0 ok, 1 runtime failure, 2 usage error, 3 flags raised\n"
                 "(with --fail-on-flags), 4 recording not usable.\n");
}

static int cmd_help(int argc, char **argv)
{
    /* "help --help" asks for this same text, as every command's --help does. */
    int about_help = argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0);
    if (argc > 1 && !about_help) {
        const command *c = find_command(argv[1]);
        if (!c)
            die(CLI_EXIT_USAGE, "help: no command '%s' (see: callscope help)", argv[1]);
        if (c->run != cmd_help && c->run != cmd_version) {
            char *sub_argv[] = {argv[1], (char *)"--help", NULL};
            return c->run(2, sub_argv);
        }
    }
    print_usage(stdout);
    return finish_stdout();
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0)
        name = "help";
    else if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0)
        name = "version";
    const command *c = find_command(name);
    if (!c)
        die(CLI_EXIT_USAGE, "unknown command '%s' (see: callscope help)", argv[1]);
    return c->run(argc - 1, argv + 1);
}
