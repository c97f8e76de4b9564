/*
 * Profiles: the key table, the defaults file (every key named there, every
 * value in range and equal to the built-in defaults), setting and parsing
 * with their errors. Runs from the repository root (tests/run.sh does).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callscope/callscope.h"
#include "check.h"
#include "json.h"
#include "profile_keys.h"

#define DEFAULTS_PATH "models/default.profile"

typedef struct key_info {
    const char *name;
    double lo, hi;
} key_info;

static const key_info key_list[] = {
#define X_INFO(id, name, lo, hi, help) {name, lo, hi},
    CS_PROFILE_KEYS(X_INFO)
#undef X_INFO
};
#define NKEYS (int)(sizeof key_list / sizeof key_list[0])

/* Value of `key` in profile text (last assignment wins), or NAN if absent.
 * Parsed here independently of the library. */
static double text_value(const char *text, const char *key, int *count)
{
    double v = NAN;
    *count = 0;
    size_t klen = strlen(key);
    for (const char *s = text; *s;) {
        const char *e = strchr(s, '\n');
        if (!e)
            e = s + strlen(s);
        const char *p = s;
        while (p < e && (*p == ' ' || *p == '\t'))
            p++;
        if (p < e && *p != '#' && (size_t)(e - p) > klen && strncmp(p, key, klen) == 0) {
            const char *q = p + klen;
            while (q < e && (*q == ' ' || *q == '\t'))
                q++;
            if (q < e && *q == '=') {
                v = strtod(q + 1, NULL);
                (*count)++;
            }
        }
        s = *e ? e + 1 : e;
    }
    return v;
}

/* Every "key = value" line of the text names a known key (or "name"). */
static void check_no_unknown_keys(const char *text)
{
    int line = 0;
    for (const char *s = text; *s;) {
        line++;
        const char *e = strchr(s, '\n');
        if (!e)
            e = s + strlen(s);
        const char *p = s;
        while (p < e && (*p == ' ' || *p == '\t'))
            p++;
        if (p < e && *p != '#') {
            char key[128];
            size_t n = 0;
            while (p + n < e && p[n] != '=' && p[n] != ' ' && p[n] != '\t' && n < sizeof key - 1) {
                key[n] = p[n];
                n++;
            }
            key[n] = '\0';
            if (strcmp(key, "name") != 0 && !CHECK(cs_profile_find(key) >= 0))
                printf("    %s line %d: unknown key \"%s\"\n", DEFAULTS_PATH, line, key);
        }
        s = *e ? e + 1 : e;
    }
}

static void test_key_table(void)
{
    check_case("key table");
    CHECK_INT(cs_profile_count(), CS_K_COUNT);
    CHECK_INT(NKEYS, CS_K_COUNT);
    CHECK(CS_K_COUNT <= CS_PROFILE_MAX_KEYS);
    for (int i = 0; i < NKEYS; i++) {
        CHECK_STR(cs_profile_key(i), key_list[i].name);
        CHECK_INT(cs_profile_find(key_list[i].name), i);
        CHECK(cs_profile_help(i) != NULL && cs_profile_help(i)[0] != '\0');
        CHECK(key_list[i].lo <= key_list[i].hi);
    }
    CHECK(cs_profile_key(-1) == NULL);
    CHECK(cs_profile_key(CS_K_COUNT) == NULL);
    CHECK(cs_profile_help(CS_K_COUNT) == NULL);
    CHECK_INT(cs_profile_find("no.such.key"), CS_EPROFILE);
    CHECK_INT(cs_profile_find(""), CS_EPROFILE);
}

static void test_defaults_file(void)
{
    check_case("models/default.profile names every key");
    char *text = js_read_file(DEFAULTS_PATH, NULL);
    if (!CHECK(text != NULL)) {
        printf("    cannot read %s (run from the repository root)\n", DEFAULTS_PATH);
        return;
    }
    cs_profile prof;
    cs_profile_default(&prof);
    CHECK_STR(prof.name, "default");
    for (int i = 0; i < NKEYS; i++) {
        int count;
        double v = text_value(text, key_list[i].name, &count);
        if (!CHECK_INT(count, 1))
            printf("    key \"%s\" appears %d times in %s\n", key_list[i].name, count, DEFAULTS_PATH);
        if (count == 0)
            continue;
        /* the compiled-in defaults are that file */
        CHECK_NEAR(prof.value[i], v, 1e-12);
        CHECK(v >= key_list[i].lo && v <= key_list[i].hi);
        double got = NAN;
        CHECK_INT(cs_profile_get(&prof, key_list[i].name, &got), CS_OK);
        CHECK_NEAR(got, v, 1e-12);
    }
    check_no_unknown_keys(text);

    check_case("parsing the defaults file over the defaults changes nothing");
    cs_profile again;
    cs_profile_default(&again);
    int line = -1;
    CHECK_INT(cs_profile_parse(&again, text, &line), CS_OK);
    for (int i = 0; i < NKEYS; i++)
        CHECK(again.value[i] == prof.value[i]);
    free(text);

    check_case("defaults are consistent with each other");
    double on, off, t1, t2;
    cs_profile_get(&prof, "vad.on_db", &on);
    cs_profile_get(&prof, "vad.off_db", &off);
    cs_profile_get(&prof, "dead_air.tier1_s", &t1);
    cs_profile_get(&prof, "dead_air.tier2_s", &t2);
    CHECK(off <= on);
    CHECK(t1 <= t2);
}

static void test_spec_defaults(void)
{
    /* The turn-taking defaults are the numbers of the definitions (docs/metrics.md). */
    static const struct {
        const char *key;
        double value;
    } spec[] = {
        {"segment.bridge_s", 0.18},         {"segment.min_s", 0.08},
        {"turn.merge_s", 1.5},              {"interruption.min_prior_s", 0.2},
        {"interruption.stop_within_s", 2.0}, {"interruption.min_keep_s", 1.0},
        {"overlap.coop_stop_s", 0.3},       {"backchannel.max_s", 1.0},
        {"backchannel.hold_s", 1.0},        {"overtalk.min_s", 1.0},
        {"dead_air.tier1_s", 3.0},          {"dead_air.tier2_s", 5.0},
        {"monologue.pause_s", 3.0},         {"monologue.break_s", 1.0},
        {"rushed.max_gap_s", 0.2},          {"rushed.min_turn_s", 3.0},
    };
    check_case("defaults follow the metrics definitions");
    cs_profile prof;
    cs_profile_default(&prof);
    for (size_t i = 0; i < sizeof spec / sizeof spec[0]; i++) {
        double v = NAN;
        CHECK_INT(cs_profile_get(&prof, spec[i].key, &v), CS_OK);
        if (!CHECK_NEAR(v, spec[i].value, 1e-9))
            printf("    key %s\n", spec[i].key);
    }
}

static void test_set(void)
{
    cs_profile prof;
    cs_profile_default(&prof);
    double v = 0;

    check_case("cs_profile_set: good values");
    CHECK_INT(cs_profile_set(&prof, "segment.min_s", "0.2"), CS_OK);
    CHECK_INT(cs_profile_get(&prof, "segment.min_s", &v), CS_OK);
    CHECK_NEAR(v, 0.2, 1e-12);
    CHECK_INT(cs_profile_set(&prof, "segment.min_s", " 0.1 "), CS_OK);
    CHECK_INT(cs_profile_set(&prof, "vad.min_level_dbfs", "-80"), CS_OK);
    CHECK_INT(cs_profile_set(&prof, "dead_air.tier1_s", "4e0"), CS_OK);
    CHECK_INT(cs_profile_set(&prof, "name", "strict"), CS_OK);
    CHECK_STR(prof.name, "strict");

    /* every key accepts both ends of its range and refuses just outside */
    check_case("cs_profile_set: range ends of every key");
    for (int i = 0; i < NKEYS; i++) {
        char buf[64];
        const char *k = key_list[i].name;
        double lo = key_list[i].lo, hi = key_list[i].hi;
        double span = hi - lo > 0 ? hi - lo : 1.0;
        snprintf(buf, sizeof buf, "%.17g", lo);
        CHECK_INT(cs_profile_set(&prof, k, buf), CS_OK);
        snprintf(buf, sizeof buf, "%.17g", hi);
        CHECK_INT(cs_profile_set(&prof, k, buf), CS_OK);
        snprintf(buf, sizeof buf, "%.17g", lo - 0.01 * span);
        if (!CHECK_INT(cs_profile_set(&prof, k, buf), CS_EPROFILE))
            printf("    key %s accepted %s below its minimum\n", k, buf);
        snprintf(buf, sizeof buf, "%.17g", hi + 0.01 * span);
        if (!CHECK_INT(cs_profile_set(&prof, k, buf), CS_EPROFILE))
            printf("    key %s accepted %s above its maximum\n", k, buf);
    }

    check_case("cs_profile_set: errors leave the value unchanged");
    cs_profile_default(&prof);
    CHECK_INT(cs_profile_set(&prof, "nosuch.key", "1"), CS_EPROFILE);
    CHECK_INT(cs_profile_set(&prof, "", "1"), CS_EPROFILE);
    CHECK_INT(cs_profile_set(&prof, "segment.min_s", "abc"), CS_EPROFILE);
    CHECK_INT(cs_profile_set(&prof, "segment.min_s", "0.1x"), CS_EPROFILE);
    CHECK_INT(cs_profile_set(&prof, "segment.min_s", ""), CS_EPROFILE);
    CHECK_INT(cs_profile_set(&prof, "segment.min_s", "nan"), CS_EPROFILE);
    CHECK_INT(cs_profile_set(&prof, "segment.min_s", "inf"), CS_EPROFILE);
    CHECK_INT(cs_profile_set(&prof, "segment.min_s", "-0.5"), CS_EPROFILE);
    CHECK_INT(cs_profile_set(&prof, "segment.min_s", "5"), CS_EPROFILE);
    CHECK_INT(cs_profile_set(&prof, "vad.window_s", "1.0"), CS_EPROFILE);
    CHECK_INT(cs_profile_get(&prof, "segment.min_s", &v), CS_OK);
    CHECK_NEAR(v, 0.08, 1e-12);
    CHECK_INT(cs_profile_get(&prof, "nosuch.key", &v), CS_EPROFILE);
}

static void test_parse(void)
{
    cs_profile prof;
    int line = -1;
    double v = 0;

    check_case("cs_profile_parse: comments, blanks and spaces");
    cs_profile_default(&prof);
    CHECK_INT(cs_profile_parse(&prof,
                               "# a comment\n"
                               "\n"
                               "name = calm\n"
                               "   segment.min_s   =   0.12   \n"
                               "\t# indented comment\n"
                               "turn.merge_s=2.5\n",
                               &line),
              CS_OK);
    CHECK_STR(prof.name, "calm");
    cs_profile_get(&prof, "segment.min_s", &v);
    CHECK_NEAR(v, 0.12, 1e-12);
    cs_profile_get(&prof, "turn.merge_s", &v);
    CHECK_NEAR(v, 2.5, 1e-12);
    CHECK_INT(cs_profile_parse(&prof, "", &line), CS_OK);
    CHECK_INT(cs_profile_parse(&prof, "segment.min_s = 0.09", &line), CS_OK); /* no final newline */
    cs_profile_get(&prof, "segment.min_s", &v);
    CHECK_NEAR(v, 0.09, 1e-12);

    check_case("cs_profile_parse: unknown key reports its line");
    line = -1;
    CHECK_INT(cs_profile_parse(&prof, "# x\nsegment.min_s = 0.1\n\nbogus.key = 1\n", &line), CS_EPROFILE);
    CHECK_INT(line, 4);

    check_case("cs_profile_parse: out-of-range value reports its line");
    line = -1;
    CHECK_INT(cs_profile_parse(&prof, "segment.min_s = 0.1\nvad.window_s = 9\n", &line), CS_EPROFILE);
    CHECK_INT(line, 2);

    check_case("cs_profile_parse: a line without '=' reports its line");
    line = -1;
    CHECK_INT(cs_profile_parse(&prof, "\n\nsegment.min_s 0.1\n", &line), CS_EPROFILE);
    CHECK_INT(line, 3);

    check_case("cs_profile_parse: an empty value reports its line");
    line = -1;
    CHECK_INT(cs_profile_parse(&prof, "segment.min_s =\n", &line), CS_EPROFILE);
    CHECK_INT(line, 1);

    check_case("cs_profile_parse: a bad number reports its line");
    line = -1;
    CHECK_INT(cs_profile_parse(&prof, "#\n#\n#\n#\nturn.merge_s = 1.5.0\n", &line), CS_EPROFILE);
    CHECK_INT(line, 5);
}

int main(void)
{
    check_begin("test_profile");
    test_key_table();
    test_defaults_file();
    test_spec_defaults();
    test_set();
    test_parse();
    return check_end();
}
