/* Tone model and baseline files; see tone_io.h. */
#include "cli/tone_io.h"

#include "cli/cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TONE_FILE_MAX_BYTES (256L * 1024L)

/* The digest of a loaded text; the text is freed. */
static uint64_t digest_and_free(char *text)
{
    uint64_t h = cli_hash_bytes(CLI_HASH_START, text, strlen(text));
    free(text);
    return h;
}

uint64_t tone_io_load_model(cs_tone_model *model, const char *path)
{
    char *text = cli_read_text_file(path, "tone model", TONE_FILE_MAX_BYTES);
    int line = 0;
    int err = cs_tone_model_parse(model, text, &line);
    if (err < 0)
        die(CLI_EXIT_USAGE, "%s:%d: not a tone model line (keys: name, bias, pitch, range, level, high_band, "
                            "pace, limit.FEATURE)",
            path, line);
    return digest_and_free(text);
}

uint64_t tone_io_load_baseline(cs_baseline *b, const char *path)
{
    char *text = cli_read_text_file(path, "baseline", TONE_FILE_MAX_BYTES);
    int line = 0;
    int err = cs_baseline_parse(b, text, &line);
    if (err < 0 && line > 0)
        die(CLI_EXIT_USAGE, "%s:%d: unknown key or bad value", path, line);
    if (err < 0)
        die(CLI_EXIT_USAGE, "%s: not a callscope baseline (no 'schema = %s' line)", path, CS_BASELINE_SCHEMA);
    if (!(b->speech_s > 0) || !isfinite(b->level_db))
        die(CLI_EXIT_USAGE, "%s: the baseline holds no speech", path);
    return digest_and_free(text);
}

uint64_t tone_io_load_coaching(cs_coaching *c, const char *path)
{
    char *text = cli_read_text_file(path, "coaching text", TONE_FILE_MAX_BYTES);
    int line = 0;
    int err = cs_coaching_parse(c, text, &line);
    if (err < 0)
        die(CLI_EXIT_USAGE, "%s:%d: not a coaching line (KIND.message, KIND.tip or cue.NAME, known {placeholders}, "
                            "under %d characters)",
            path, line, CS_COACHING_TEXT_MAX);
    return digest_and_free(text);
}

static void put_value(FILE *fp, const char *key, double v, int decimals)
{
    if (isfinite(v))
        fprintf(fp, "%s = %.*f\n", key, decimals, v);
    else
        fprintf(fp, "%s = none\n", key);
}

int tone_io_write_baseline(FILE *fp, const cs_baseline *b, const char *id, int calls)
{
    fprintf(fp, "# callscope baseline: a speaker's usual voice, learnt from %d call%s.\n", calls,
            calls == 1 ? "" : "s");
    fprintf(fp, "# Use it with: callscope analyze CALL --baseline FILE\n");
    fprintf(fp, "schema = %s\n", CS_BASELINE_SCHEMA);
    fprintf(fp, "agent = %s\n", id);
    fprintf(fp, "calls = %d\n", calls);
    put_value(fp, "speech_s", b->speech_s, 2);
    put_value(fp, "pitch_hz", b->pitch_hz, 2);
    put_value(fp, "pitch_range_st", b->pitch_range_st, 3);
    put_value(fp, "level_db", b->level_db, 2);
    put_value(fp, "high_band_db", b->high_band_db, 2);
    put_value(fp, "pace_syl_per_s", b->pace_syl_per_s, 3);
    put_value(fp, "aperiodic_pct", b->aperiodic_pct, 2);
    return ferror(fp) ? -1 : 0;
}

int tone_io_write_model(FILE *fp, const cs_tone_model *model, const char *provenance)
{
    fputs(provenance, fp);
    fprintf(fp, "name = %s\n", model->name);
    fprintf(fp, "bias = %.6f\n", model->bias);
    for (int i = 0; i < CS_TONE_FEATURES; i++)
        fprintf(fp, "%s = %.6f\n", cs_tone_feature_name(i), model->weight[i]);
    for (int i = 0; i < CS_TONE_FEATURES; i++)
        fprintf(fp, "limit.%s = %g\n", cs_tone_feature_name(i), model->limit[i]);
    return ferror(fp) ? -1 : 0;
}
