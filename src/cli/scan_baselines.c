/* A stored baseline per agent; see scan_baselines.h. */
#include "cli/scan_baselines.h"

#include "cli/call_meta.h"
#include "cli/cli.h"
#include "cli/tone_io.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Agents without a baseline file are named one by one up to this many. */
#define SHOWN_WITHOUT 10

static int by_agent(const void *a, const void *b)
{
    return strcmp(((const agent_baseline *)a)->agent, ((const agent_baseline *)b)->agent);
}

/* A name that can stand for a file in the folder: no '/', not hidden. */
static int usable_as_file_name(const char *agent)
{
    return *agent && agent[0] != '.' && !strchr(agent, '/');
}

void scan_baselines_load(scan_baselines *b, const char *dir, const scan_list *l, int quiet)
{
    memset(b, 0, sizeof *b);
    /* The agents named, once each. */
    agent_baseline *items = calloc(l->count ? l->count : 1, sizeof *items);
    if (!items)
        die(CLI_EXIT_FAILURE, "out of memory");
    size_t count = 0;
    for (size_t i = 0; i < l->count; i++) {
        char *agent = call_meta_get(l->items[i].meta, "agent");
        if (agent)
            items[count++].agent = agent;
    }
    qsort(items, count, sizeof *items, by_agent);
    size_t unique = 0;
    for (size_t i = 0; i < count; i++) {
        if (unique > 0 && strcmp(items[unique - 1].agent, items[i].agent) == 0)
            free(items[i].agent);
        else
            items[unique++] = items[i];
    }
    size_t kept = 0, without = 0;
    for (size_t i = 0; i < unique; i++) {
        agent_baseline it = items[i];
        char *path = usable_as_file_name(it.agent) ? cli_strdupf("%s/%s.baseline", dir, it.agent) : NULL;
        if (path && access(path, F_OK) == 0) {
            it.path = path;
            it.digest = tone_io_load_baseline(&it.baseline, path);
            items[kept++] = it;
            continue;
        }
        if (!quiet && without < SHOWN_WITHOUT)
            warn("--baselines: no baseline for agent '%s' (%s); their calls go without one", it.agent,
                 path ? path : "not a file name");
        without++;
        free(path);
        free(it.agent);
    }
    if (!quiet && without > SHOWN_WITHOUT)
        warn("--baselines: %zu agents in all have no baseline in %s", without, dir);
    b->items = items;
    b->count = kept;
}

const agent_baseline *scan_baselines_find(const scan_baselines *b, const char *agent)
{
    if (!agent || b->count == 0)
        return NULL;
    agent_baseline key = {0};
    key.agent = (char *)agent;
    return bsearch(&key, b->items, b->count, sizeof *b->items, by_agent);
}

void scan_baselines_free(scan_baselines *b)
{
    for (size_t i = 0; i < b->count; i++) {
        free(b->items[i].agent);
        free(b->items[i].path);
    }
    free(b->items);
    memset(b, 0, sizeof *b);
}
