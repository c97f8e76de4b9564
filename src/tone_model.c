/* Text forms of the tone model and of a stored baseline, and the model's
 * evaluation; see callscope.h. */
#include "callscope/callscope.h"
#include "kv_text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

extern const char cs_default_tone_model_text[];

static const char *const feature_names[CS_TONE_FEATURES] = {"pitch", "range", "level", "high_band", "pace",
                                                                  "aperiodic", "laughter"};

const char *cs_tone_feature_name(int i)
{
    return i >= 0 && i < CS_TONE_FEATURES ? feature_names[i] : NULL;
}

void cs_tone_model_default(cs_tone_model *model)
{
    if (!model)
        return;
    memset(model, 0, sizeof *model);
    (void)cs_tone_model_parse(model, cs_default_tone_model_text, NULL);
}

static int feature_index(const char *name)
{
    for (int i = 0; i < CS_TONE_FEATURES; i++)
        if (strcmp(name, feature_names[i]) == 0)
            return i;
    return -1;
}

/* One setting into a model being read. */
static int model_setting(void *ctx, const char *key, const char *value)
{
    cs_tone_model *m = ctx;
    if (strcmp(key, "name") == 0) {
        if (!*value || strlen(value) >= CS_TONE_NAME_MAX)
            return CS_EPROFILE;
        strcpy(m->name, value);
        return CS_OK;
    }
    double v;
    if (kv_number(value, &v) != 0)
        return CS_EPROFILE;
    int i;
    if (strcmp(key, "bias") == 0)
        m->bias = v;
    else if (strncmp(key, "limit.", 6) == 0 && (i = feature_index(key + 6)) >= 0 && v > 0)
        m->limit[i] = v;
    else if ((i = feature_index(key)) >= 0)
        m->weight[i] = v;
    else
        return CS_EPROFILE;
    return CS_OK;
}

int cs_tone_model_parse(cs_tone_model *model, const char *text, int *line_out)
{
    if (!model || !text)
        return CS_EINVAL;
    /* Into a copy, so that a refused text changes nothing. */
    cs_tone_model m = *model;
    int err = kv_text_parse(text, model_setting, &m, line_out);
    if (err < 0)
        return err;
    *model = m;
    return CS_OK;
}

/* A baseline being read, and whether its schema line was seen. */
typedef struct baseline_text {
    cs_baseline b;
    int schema_ok;
} baseline_text;

static int baseline_setting(void *ctx, const char *key, const char *value)
{
    baseline_text *t = ctx;
    const struct {
        const char *key;
        double *field;
    } fields[] = {
        {"speech_s", &t->b.speech_s},         {"pitch_hz", &t->b.pitch_hz},
        {"pitch_range_st", &t->b.pitch_range_st}, {"level_db", &t->b.level_db},
        {"high_band_db", &t->b.high_band_db}, {"pace_syl_per_s", &t->b.pace_syl_per_s},
        {"aperiodic_pct", &t->b.aperiodic_pct},
    };
    if (strcmp(key, "schema") == 0) {
        t->schema_ok = strcmp(value, CS_BASELINE_SCHEMA) == 0;
        return CS_OK;
    }
    double v;
    if (strcmp(key, "agent") == 0)
        return CS_OK; /* a label for people */
    if (strcmp(key, "calls") == 0)
        return kv_number(value, &v) == 0 ? CS_OK : CS_EPROFILE;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (strcmp(key, fields[i].key) == 0) {
            if (strcmp(value, "none") == 0)
                *fields[i].field = NAN;
            else if (kv_number(value, fields[i].field) != 0)
                return CS_EPROFILE;
            return CS_OK;
        }
    return CS_EPROFILE;
}

int cs_baseline_parse(cs_baseline *b, const char *text, int *line_out)
{
    if (!b || !text)
        return CS_EINVAL;
    baseline_text t;
    memset(&t, 0, sizeof t);
    t.b.pitch_hz = t.b.pitch_range_st = t.b.level_db = t.b.high_band_db = t.b.pace_syl_per_s = t.b.aperiodic_pct =
        NAN;
    int err = kv_text_parse(text, baseline_setting, &t, line_out);
    if (err < 0)
        return err;
    if (!t.schema_ok)
        return CS_EPROFILE; /* *line_out stays 0: not a baseline at all */
    *b = t.b;
    return CS_OK;
}

double cs_tone_model_apply(const cs_tone_model *model, const double *features)
{
    double z = model->bias;
    for (int i = 0; i < CS_TONE_FEATURES; i++) {
        double f = features[i], lim = model->limit[i];
        if (lim > 0)
            f = f > lim ? lim : f < -lim ? -lim : f;
        z += model->weight[i] * f;
    }
    return 1.0 / (1.0 + exp(-z));
}
