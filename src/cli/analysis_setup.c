/* Options shared by the analysing commands; see analysis_setup.h. */
#include "cli/analysis_setup.h"

#include "cli/cli.h"
#include "cli/tone_io.h"

#include <stdio.h>
#include <string.h>

void analysis_setup_init(analysis_setup *s, const char *command, int argc)
{
    memset(s, 0, sizeof *s);
    s->command = command;
    s->channels.agent_channel = -1;
    s->limits.spool_max_bytes = (int64_t)SOURCE_SPOOL_LIMIT_MB << 20;
    s->limits.fifo_wait_s = SOURCE_INPUT_WAIT_S;
    profile_args_init(&s->profile_args, argc);
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

static void parse_channel_map(analysis_setup *s, const char *text)
{
    channel_choice *c = &s->channels;
    c->map_channel[CS_AGENT] = c->map_channel[CS_CUSTOMER] = -2; /* -2: not said */
    char buf[128];
    if (strlen(text) >= sizeof buf)
        cli_usage_error(s->command, "--channel-map: '%s' is too long", text);
    strcpy(buf, text);
    for (char *item = buf, *next; item; item = next) {
        next = strchr(item, ',');
        if (next)
            *next++ = '\0';
        char *eq = strchr(item, '=');
        int speaker = -1, ch;
        if (eq) {
            *eq = '\0';
            speaker = cs_speaker_find(item);
        }
        if (speaker < 0 || parse_channel(eq + 1, &ch) != 0 || c->map_channel[speaker] != -2)
            cli_usage_error(s->command, "--channel-map wants agent=N,customer=M (channels from 0), got '%s'", text);
        c->map_channel[speaker] = ch;
    }
    if (c->map_channel[CS_CUSTOMER] == -2)
        c->map_channel[CS_CUSTOMER] = -1;
    if (c->map_channel[CS_AGENT] < 0)
        cli_usage_error(s->command, "--channel-map: the agent needs a channel, got '%s'", text);
    if (c->map_channel[CS_AGENT] == c->map_channel[CS_CUSTOMER])
        cli_usage_error(s->command, "--channel-map: agent and customer on the same channel in '%s'", text);
    c->have_map = 1;
}

int analysis_setup_take(analysis_setup *s, int argc, char **argv, int *i)
{
    const char *v;
    if (cli_option_value(argc, argv, i, "--agent-channel", &v)) {
        if (cli_parse_int(v, 0, 1, &s->channels.agent_channel) != 0)
            cli_usage_error(s->command, "--agent-channel is 0 or 1, got '%s'", v);
    } else if (cli_option_value(argc, argv, i, "--agent", &v)) {
        if (strcmp(v, "first") != 0 && strcmp(v, "second") != 0)
            cli_usage_error(s->command, "--agent is first or second, got '%s'", v);
        s->channels.agent_second = strcmp(v, "second") == 0;
    } else if (strcmp(argv[*i], "--one-speaker") == 0) {
        s->channels.one_speaker = 1;
        *i += 1;
    } else if (cli_option_value(argc, argv, i, "--channel-map", &v)) {
        parse_channel_map(s, v);
    } else if (profile_args_take(&s->profile_args, argc, argv, i)) {
        return 1;
    } else if (cli_option_value(argc, argv, i, "--baseline", &v)) {
        s->baseline_path = v;
    } else if (cli_option_value(argc, argv, i, "--tone-model", &v)) {
        s->model_path = v;
    } else if (cli_option_value(argc, argv, i, "--coaching", &v)) {
        s->coaching_path = v;
    } else if (cli_option_value(argc, argv, i, "--spool-limit", &v)) {
        int mb;
        if (cli_parse_int(v, 1, 1 << 24, &mb) != 0)
            cli_usage_error(s->command, "--spool-limit is a size in MB from 1, got '%s'", v);
        s->limits.spool_max_bytes = (int64_t)mb << 20;
    } else if (cli_option_value(argc, argv, i, "--input-wait", &v)) {
        if (cli_parse_double(v, 0.0, 86400.0, &s->limits.fifo_wait_s) != 0)
            cli_usage_error(s->command, "--input-wait is seconds from 0 to 86400, got '%s'", v);
    } else {
        return 0;
    }
    return 1;
}

void analysis_setup_load(analysis_setup *s)
{
    if (s->channels.have_map && s->channels.agent_channel >= 0)
        cli_usage_error(s->command, "give --agent-channel or --channel-map, not both");
    profile_args_apply(&s->profile_args, &s->profile);
    source_file_set_limits(&s->limits);
    /* A built-in model or coaching text counts as 0 in the digest. */
    uint64_t digest[3] = {0, 0, 0};
    cs_tone_model_default(&s->model);
    if (s->model_path)
        digest[0] = tone_io_load_model(&s->model, s->model_path);
    if (s->baseline_path)
        digest[1] = tone_io_load_baseline(&s->agent_baseline, s->baseline_path);
    cs_coaching_default(&s->coaching);
    if (s->coaching_path)
        digest[2] = tone_io_load_coaching(&s->coaching, s->coaching_path);
    s->files_digest = cli_hash_bytes(CLI_HASH_START, digest, sizeof digest);
}

const cs_baseline *analysis_setup_baseline(const analysis_setup *s)
{
    return s->baseline_path ? &s->agent_baseline : NULL;
}

static uint64_t hash_text(uint64_t h, const char *text)
{
    return cli_hash_bytes(h, text, strlen(text) + 1);
}

static uint64_t hash_int(uint64_t h, int v)
{
    char buf[16];
    snprintf(buf, sizeof buf, "%d", v);
    return hash_text(h, buf);
}

uint64_t analysis_setup_fingerprint(const analysis_setup *s)
{
    uint64_t h = hash_text(CLI_HASH_START, cs_version());
    for (int i = 0; i < cs_profile_count(); i++) {
        const char *key = cs_profile_key(i);
        double v;
        if (!key || cs_profile_get(&s->profile, key, &v) < 0)
            continue;
        char buf[64];
        snprintf(buf, sizeof buf, "%.17g", v);
        h = hash_text(hash_text(h, key), buf);
    }
    const channel_choice *c = &s->channels;
    h = hash_int(h, c->agent_channel);
    h = hash_int(h, c->have_map);
    h = hash_int(hash_int(h, c->one_speaker), c->agent_second);
    if (c->have_map)
        h = hash_int(hash_int(h, c->map_channel[CS_AGENT]), c->map_channel[CS_CUSTOMER]);
    return cli_hash_bytes(h, &s->files_digest, sizeof s->files_digest);
}
