/* Tone model and baseline files; see tone_io.h. */
#include "cli/tone_io.h"

#include "cli/cli.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TONE_FILE_MAX_BYTES (256L * 1024L)

/* The whole file as a string; exits 2 when it cannot be a text file of ours. */
static char *read_text(const char *path, const char *what)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        die(CLI_EXIT_USAGE, "%s: cannot open %s: %s", path, what, strerror(errno));
    char *text = malloc((size_t)TONE_FILE_MAX_BYTES + 1);
    if (!text)
        die(CLI_EXIT_FAILURE, "%s: out of memory", path);
    size_t n = fread(text, 1, (size_t)TONE_FILE_MAX_BYTES + 1, fp);
    int read_errno = errno, failed = ferror(fp);
    fclose(fp);
    if (failed)
        die(CLI_EXIT_USAGE, "%s: cannot read %s: %s", path, what, strerror(read_errno));
    if (n > (size_t)TONE_FILE_MAX_BYTES || memchr(text, '\0', n))
        die(CLI_EXIT_USAGE, "%s: not a %s (too large or binary)", path, what);
    text[n] = '\0';
    return text;
}

void tone_io_load_model(cs_tone_model *model, const char *path)
{
    char *text = read_text(path, "tone model");
    int line = 0;
    int err = cs_tone_model_parse(model, text, &line);
    free(text);
    if (err < 0)
        die(CLI_EXIT_USAGE, "%s:%d: not a tone model line (keys: name, bias, pitch, range, level, high_band, "
                            "pace, limit.FEATURE)",
            path, line);
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

static int parse_value(const char *text, double *out)
{
    if (strcmp(text, "none") == 0) {
        *out = NAN;
        return 0;
    }
    char *end;
    double v = strtod(text, &end);
    if (end == text || *end || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

void tone_io_load_baseline(cs_baseline *b, char id[BASELINE_ID_MAX], const char *path)
{
    char *text = read_text(path, "baseline");
    memset(b, 0, sizeof *b);
    b->pitch_hz = b->pitch_range_st = b->level_db = b->high_band_db = b->pace_syl_per_s = NAN;
    if (id)
        id[0] = '\0';
    int line_no = 0, schema_ok = 0;
    for (char *line = text, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        line_no++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *key = trim(line);
        if (!*key)
            continue;
        char *eq = strchr(key, '=');
        if (!eq) {
            free(text);
            die(CLI_EXIT_USAGE, "%s:%d: expected 'key = value'", path, line_no);
        }
        *eq = '\0';
        char *value = trim(eq + 1);
        key = trim(key);
        double v = 0;
        int bad = 0;
        if (strcmp(key, "schema") == 0)
            schema_ok = strcmp(value, BASELINE_SCHEMA) == 0;
        else if (strcmp(key, "agent") == 0) {
            if (id && strlen(value) < BASELINE_ID_MAX)
                strcpy(id, value);
        } else if (strcmp(key, "calls") == 0)
            bad = parse_value(value, &v);
        else if (strcmp(key, "speech_s") == 0)
            bad = parse_value(value, &b->speech_s);
        else if (strcmp(key, "pitch_hz") == 0)
            bad = parse_value(value, &b->pitch_hz);
        else if (strcmp(key, "pitch_range_st") == 0)
            bad = parse_value(value, &b->pitch_range_st);
        else if (strcmp(key, "level_db") == 0)
            bad = parse_value(value, &b->level_db);
        else if (strcmp(key, "high_band_db") == 0)
            bad = parse_value(value, &b->high_band_db);
        else if (strcmp(key, "pace_syl_per_s") == 0)
            bad = parse_value(value, &b->pace_syl_per_s);
        else
            bad = 1;
        if (bad) {
            free(text);
            die(CLI_EXIT_USAGE, "%s:%d: unknown key or bad value", path, line_no);
        }
    }
    free(text);
    if (!schema_ok)
        die(CLI_EXIT_USAGE, "%s: not a callscope baseline (no 'schema = %s' line)", path, BASELINE_SCHEMA);
    if (!(b->speech_s > 0) || !isfinite(b->level_db))
        die(CLI_EXIT_USAGE, "%s: the baseline holds no speech", path);
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
    fprintf(fp, "schema = %s\n", BASELINE_SCHEMA);
    fprintf(fp, "agent = %s\n", id);
    fprintf(fp, "calls = %d\n", calls);
    put_value(fp, "speech_s", b->speech_s, 2);
    put_value(fp, "pitch_hz", b->pitch_hz, 2);
    put_value(fp, "pitch_range_st", b->pitch_range_st, 3);
    put_value(fp, "level_db", b->level_db, 2);
    put_value(fp, "high_band_db", b->high_band_db, 2);
    put_value(fp, "pace_syl_per_s", b->pace_syl_per_s, 3);
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
