/*
 * --baselines DIR: a stored baseline per agent for a batch scan. A call
 * whose metadata names its agent (call_meta.h) is analysed against
 * DIR/AGENT.baseline when that file exists (as with --baseline FILE for that
 * call alone); other calls keep --baseline FILE, or learn the agent's
 * baseline from the call. Every file is read and checked before any call is
 * analysed.
 */
#ifndef CS_CLI_SCAN_BASELINES_H
#define CS_CLI_SCAN_BASELINES_H

#include <stddef.h>
#include <stdint.h>

#include "callscope/callscope.h"
#include "cli/scan_list.h"

typedef struct agent_baseline {
    char *agent;
    char *path;
    cs_baseline baseline;
    uint64_t digest;     /* of the file's text, for the settings a record is checked against */
} agent_baseline;

typedef struct scan_baselines {
    agent_baseline *items;   /* by agent */
    size_t count;
} scan_baselines;

/* The baselines in dir of the agents the recordings' metadata names. Exits
 * 2 naming the file when one cannot be read or is not a baseline. The
 * agents that have none are named on stderr unless quiet. */
void scan_baselines_load(scan_baselines *b, const char *dir, const scan_list *l, int quiet);

/* The agent's baseline, or NULL. */
const agent_baseline *scan_baselines_find(const scan_baselines *b, const char *agent);

void scan_baselines_free(scan_baselines *b);

#endif
