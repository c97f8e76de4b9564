/*
 * Profile: a flat table of named thresholds. The key list is compiled from
 * profile_keys.h; the default values are parsed from the embedded text of
 * models/default.profile, so that file is the single source of defaults.
 */
#include "callscope/callscope.h"
#include "kv_text.h"
#include "profile_keys.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

extern const char cs_default_profile_text[];

typedef struct {
    const char *name;
    double min;
    double max;
    const char *help;
} profile_key;

static const profile_key keys[CS_K_COUNT] = {
#define CS_X_TABLE(id, name, lo, hi, help) {name, lo, hi, help},
    CS_PROFILE_KEYS(CS_X_TABLE)
#undef CS_X_TABLE
};

int cs_profile_count(void) { return CS_K_COUNT; }

const char *cs_profile_key(int i) { return i >= 0 && i < CS_K_COUNT ? keys[i].name : NULL; }

const char *cs_profile_help(int i) { return i >= 0 && i < CS_K_COUNT ? keys[i].help : NULL; }

int cs_profile_find(const char *key)
{
    if (!key)
        return CS_EPROFILE;
    for (int i = 0; i < CS_K_COUNT; i++)
        if (strcmp(keys[i].name, key) == 0)
            return i;
    return CS_EPROFILE;
}

int cs_profile_get(const cs_profile *prof, const char *key, double *value)
{
    int i = cs_profile_find(key);
    if (!prof || !value)
        return CS_EINVAL;
    if (i < 0)
        return i;
    *value = prof->value[i];
    return CS_OK;
}

static int set_name(cs_profile *prof, const char *value)
{
    size_t n = strlen(value);
    if (n == 0 || n >= sizeof prof->name)
        return CS_EPROFILE;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)value[i]) && !strchr("-_.+", value[i]))
            return CS_EPROFILE;
    memcpy(prof->name, value, n + 1);
    return CS_OK;
}

int cs_profile_set(cs_profile *prof, const char *key, const char *value)
{
    if (!prof || !key || !value)
        return CS_EINVAL;
    if (strcmp(key, "name") == 0)
        return set_name(prof, value);
    int i = cs_profile_find(key);
    if (i < 0)
        return CS_EPROFILE;
    double v;
    if (kv_number(value, &v) != 0)
        return CS_EPROFILE;
    if (v < keys[i].min || v > keys[i].max)
        return CS_EPROFILE;
    prof->value[i] = v;
    return CS_OK;
}

static int set_setting(void *prof, const char *key, const char *value)
{
    return cs_profile_set(prof, key, value);
}

int cs_profile_parse(cs_profile *prof, const char *text, int *line_out)
{
    if (!prof || !text)
        return CS_EINVAL;
    return kv_text_parse(text, set_setting, prof, line_out);
}

void cs_profile_default(cs_profile *prof)
{
    if (!prof)
        return;
    memset(prof, 0, sizeof *prof);
    strcpy(prof->name, "default");
    /* A key the file forgets stays NaN, which a test catches. */
    for (int i = 0; i < CS_K_COUNT; i++)
        prof->value[i] = NAN;
    /* The embedded file is checked by the test suite; a bad line cannot ship. */
    (void)cs_profile_parse(prof, cs_default_profile_text, NULL);
}

int profile_check(const cs_profile *prof)
{
    for (int i = 0; i < CS_K_COUNT; i++)
        if (!isfinite(prof->value[i]) || prof->value[i] < keys[i].min || prof->value[i] > keys[i].max)
            return CS_EPROFILE;
    const double *v = prof->value;
    if (v[CS_K_VAD_BAND_HIGH_HZ] <= v[CS_K_VAD_BAND_LOW_HZ] || v[CS_K_DEAD_AIR_TIER2_S] < v[CS_K_DEAD_AIR_TIER1_S] ||
        v[CS_K_VAD_OFF_DB] > v[CS_K_VAD_ON_DB] || v[CS_K_VAD_LEVEL_OFF_MARGIN_DB] > v[CS_K_VAD_LEVEL_MARGIN_DB] ||
        v[CS_K_PITCH_MAX_HZ] <= 1.5 * v[CS_K_PITCH_MIN_HZ] || v[CS_K_PACE_BAND_HIGH_HZ] <= v[CS_K_PACE_BAND_LOW_HZ] ||
        v[CS_K_PACE_SHAPE_HIGH_HZ] <= v[CS_K_PACE_SHAPE_LOW_HZ])
        return CS_EPROFILE;
    return CS_OK;
}
