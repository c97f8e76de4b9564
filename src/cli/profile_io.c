/* Profile files and --set options, applied through the library's parser. */
#include "cli/profile_io.h"

#include "cli/cli.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copy [s, e) into buf without surrounding blanks, cut to fit. */
static void trim_copy(const char *s, const char *e, char *buf, size_t cap)
{
    while (s < e && isspace((unsigned char)*s))
        s++;
    while (e > s && isspace((unsigned char)e[-1]))
        e--;
    size_t n = (size_t)(e - s);
    if (n >= cap)
        n = cap - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    cli_sanitize(buf); /* the text ends up on a terminal */
}

static int is_known_key(const char *key)
{
    return strcmp(key, "name") == 0 || cs_profile_find(key) >= 0;
}

/* Why "key = value" (text [s, e), no newline) was refused, as a phrase. */
static void explain_setting(const char *s, const char *e, char *why, size_t cap)
{
    const char *hash = memchr(s, '#', (size_t)(e - s));
    if (hash)
        e = hash;
    const char *eq = memchr(s, '=', (size_t)(e - s));
    char key[80], value[80];
    if (!eq) {
        trim_copy(s, e, key, sizeof key);
        snprintf(why, cap, "expected 'key = value', got '%s'", key);
        return;
    }
    trim_copy(s, eq, key, sizeof key);
    trim_copy(eq + 1, e, value, sizeof value);
    if (!is_known_key(key))
        snprintf(why, cap, "unknown key '%s' (list them with: %s profile --list)", key, CLI_NAME);
    else if (strcmp(key, "name") == 0)
        snprintf(why, cap, "bad profile name '%s' (1-%d letters, digits, '-', '_', '.', '+')",
                 value, CS_PROFILE_NAME_MAX - 1);
    else
        snprintf(why, cap, "bad value '%s' for %s (not a number, or out of range: see %s profile --list)",
                 value, key, CLI_NAME);
}

void profile_io_load_file(cs_profile *prof, const char *path)
{
    char *text = cli_read_text_file(path, "profile", PROFILE_FILE_MAX_BYTES);
    int line = 0;
    if (cs_profile_parse(prof, text, &line) < 0) {
        /* Find the refused line again to say what was wrong with it. */
        const char *s = text;
        for (int k = 1; k < line && s; k++) {
            s = strchr(s, '\n');
            if (s)
                s++;
        }
        char why[256] = "invalid setting";
        if (s) {
            const char *e = strchr(s, '\n');
            explain_setting(s, e ? e : s + strlen(s), why, sizeof why);
        }
        free(text);
        die(CLI_EXIT_USAGE, "%s:%d: %s", path, line, why);
    }
    free(text);
}

void profile_io_apply_set(cs_profile *prof, const char *assignment)
{
    const char *eq = strchr(assignment, '=');
    if (!eq || eq == assignment)
        die(CLI_EXIT_USAGE, "--set needs key=value, got '%s'", assignment);
    size_t key_len = (size_t)(eq - assignment);
    char key[128];
    if (key_len >= sizeof key)
        die(CLI_EXIT_USAGE, "--set: key too long");
    memcpy(key, assignment, key_len);
    key[key_len] = '\0';
    if (cs_profile_set(prof, key, eq + 1) < 0) {
        char why[256];
        explain_setting(assignment, assignment + strlen(assignment), why, sizeof why);
        die(CLI_EXIT_USAGE, "--set: %s", why);
    }
}

double profile_io_value(const cs_profile *prof, const char *key)
{
    double v = NAN;
    if (cs_profile_get(prof, key, &v) < 0)
        die(CLI_EXIT_FAILURE, "internal: profile has no key %s", key);
    return v;
}

void profile_args_init(profile_args *pa, int argc)
{
    pa->path = NULL;
    pa->count = 0;
    pa->sets = calloc((size_t)(argc > 0 ? argc : 1), sizeof *pa->sets);
    if (!pa->sets)
        die(CLI_EXIT_FAILURE, "out of memory");
}

int profile_args_take(profile_args *pa, int argc, char **argv, int *i)
{
    const char *v;
    if (cli_option_value(argc, argv, i, "--profile", &v)) {
        pa->path = v;
        return 1;
    }
    if (cli_option_value(argc, argv, i, "--set", &v)) {
        pa->sets[pa->count++] = v;
        return 1;
    }
    return 0;
}

void profile_args_free(profile_args *pa)
{
    free(pa->sets);
    pa->sets = NULL;
    pa->count = 0;
}

void profile_args_apply(profile_args *pa, cs_profile *prof)
{
    cs_profile_default(prof);
    if (pa->path)
        profile_io_load_file(prof, pa->path);
    for (int i = 0; i < pa->count; i++)
        profile_io_apply_set(prof, pa->sets[i]);
    profile_args_free(pa);
}
