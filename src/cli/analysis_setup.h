/*
 * What every analysing command is told besides the recordings: which channel
 * carries whom, the profile (--profile, --set), the agent's stored baseline,
 * the tone model and the coaching text. Parsed from the command line, loaded
 * once, and fingerprinted so a batch scan can tell whether a report was made
 * with the settings in force now.
 */
#ifndef CS_CLI_ANALYSIS_SETUP_H
#define CS_CLI_ANALYSIS_SETUP_H

#include <stdint.h>

#include "callscope/callscope.h"
#include "cli/call_run.h"
#include "cli/profile_io.h"

typedef struct analysis_setup {
    const char *command;         /* named in usage errors */
    channel_choice channels;
    profile_args profile_args;
    const char *baseline_path;   /* --baseline, or NULL */
    const char *model_path;      /* --tone-model, or NULL */
    const char *coaching_path;   /* --coaching, or NULL */
    /* --spool-limit, --input-wait: what reading stdin, a pipe or a device may
     * cost. Options, not profile keys: they bound this machine's disk and
     * patience and change no figure of a report (so no digest either). */
    source_limits limits;
    /* Filled by analysis_setup_load. */
    cs_profile profile;
    cs_tone_model model;
    cs_baseline agent_baseline;
    cs_coaching coaching;
    uint64_t files_digest;       /* of the texts of the files loaded */
} analysis_setup;

/* Before parsing argv (argc bounds the --set list). */
void analysis_setup_init(analysis_setup *s, const char *command, int argc);

/* If argv[*i] is one of the setup options (--agent-channel, --channel-map,
 * --profile, --set, --baseline, --tone-model, --coaching, --spool-limit,
 * --input-wait), take it, advance
 * *i and return 1; otherwise 0. Bad values exit 2. */
int analysis_setup_take(analysis_setup *s, int argc, char **argv, int *i);

/* After parsing: checks the options together, then builds the profile and
 * loads the files; exits 2 naming the file on any problem. */
void analysis_setup_load(analysis_setup *s);

/* The agent baseline to analyse with: NULL when learnt from each call. */
const cs_baseline *analysis_setup_baseline(const analysis_setup *s);

/* A 64-bit digest of everything that changes a report: the version, every
 * profile value, the channel choice and the text of the model, baseline and
 * coaching files. */
uint64_t analysis_setup_fingerprint(const analysis_setup *s);

#endif
