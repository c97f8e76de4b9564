/*
 * callscope/profile.h: the profile, a flat table of every threshold the
 * analysis uses (docs/metrics.md, Every profile key).
 */
#ifndef CALLSCOPE_PROFILE_H
#define CALLSCOPE_PROFILE_H

#include "callscope/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- profile: every threshold the analysis uses --------------------------
 *
 * A profile is a flat table of named numbers (seconds, dB, ratios). The
 * defaults are built from models/default.profile, so that file is the single
 * source of every default. Text form, one setting a line:
 *
 *     # comment
 *     name = default
 *     vad.bridge_s = 0.18
 *
 * Keys are listed by cs_profile_count / cs_profile_key. Values are checked
 * against each key's documented range.
 */
#define CS_PROFILE_NAME_MAX 64
#define CS_PROFILE_MAX_KEYS 256

typedef struct cs_profile {
    char name[CS_PROFILE_NAME_MAX];
    double value[CS_PROFILE_MAX_KEYS]; /* indexed by key number */
} cs_profile;

/* Fill with the built-in defaults (models/default.profile). */
CS_API void cs_profile_default(cs_profile *prof);

/* Number of keys, and the name / help / unit text of key i (NULL when out of range). */
CS_API int cs_profile_count(void);
CS_API const char *cs_profile_key(int i);
CS_API const char *cs_profile_help(int i);

/* Key number for a name, or CS_EPROFILE. */
CS_API int cs_profile_find(const char *key);

/* Value of a key by name; CS_EPROFILE for an unknown key. */
CS_API int cs_profile_get(const cs_profile *prof, const char *key, double *value);

/* Set one key from text ("0.18"); "name" sets the profile name.
 * CS_EPROFILE: unknown key, unparsable number, or value out of range. */
CS_API int cs_profile_set(cs_profile *prof, const char *key, const char *value);

/* Apply profile text (the file format above) on top of prof. On error
 * returns CS_EPROFILE and, if line_out is not NULL, the 1-based line. */
CS_API int cs_profile_parse(cs_profile *prof, const char *text, int *line_out);

#ifdef __cplusplus
}
#endif

#endif
