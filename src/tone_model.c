/* The tone model's text form and its evaluation; see callscope.h. */
#include "callscope/callscope.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

extern const char cs_default_tone_model_text[];

static const char *const feature_names[CS_TONE_FEATURES] = {"pitch", "range", "level", "high_band", "pace"};

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

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

/* One "key = value" line into a copy of the model. */
static int apply_line(cs_tone_model *m, char *line)
{
    char *hash = strchr(line, '#');
    if (hash)
        *hash = '\0';
    char *key = trim(line);
    if (!*key)
        return CS_OK;
    char *eq = strchr(key, '=');
    if (!eq)
        return CS_EPROFILE;
    *eq = '\0';
    char *value = trim(eq + 1);
    key = trim(key);
    if (strcmp(key, "name") == 0) {
        if (!*value || strlen(value) >= CS_TONE_NAME_MAX)
            return CS_EPROFILE;
        strcpy(m->name, value);
        return CS_OK;
    }
    char *end;
    double v = strtod(value, &end);
    if (end == value || *trim(end) || !isfinite(v))
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
    cs_tone_model m = *model;
    int line_no = 0;
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char line[256];
        line_no++;
        if (len >= sizeof line || apply_line(&m, (memcpy(line, p, len), line[len] = '\0', line)) < 0) {
            if (line_out)
                *line_out = line_no;
            return CS_EPROFILE;
        }
        p += len + (nl != NULL);
    }
    *model = m;
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
