/* A JSON report read back; see saved_report.h. */
#include "cli/saved_report.h"

#include "cli/report_json.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#define KEY_MAX 64

static int speaker_of(const char *name)
{
    for (int s = 0; s < CS_MAX_SPEAKERS; s++)
        if (strcmp(name, cs_speaker_name(s)) == 0)
            return s;
    return -1;
}

/* A string value into text, or "" for null; -1 for anything else. */
static int read_text(json_reader *r, char *text, size_t cap)
{
    json_token t = jr_next(r, text, cap, NULL);
    if (t == JT_NULL)
        text[0] = '\0';
    return t == JT_STRING || t == JT_NULL ? 0 : -1;
}

static int read_bool(json_reader *r, int *value)
{
    json_token t = jr_next(r, NULL, 0, NULL);
    *value = t == JT_TRUE;
    return t == JT_TRUE || t == JT_FALSE ? 0 : -1;
}

/* A speaker's name, or -1 for null. */
static int read_speaker(json_reader *r, int *speaker)
{
    char name[KEY_MAX];
    if (read_text(r, name, sizeof name) != 0)
        return -1;
    *speaker = speaker_of(name);
    return 0;
}

/* The members of an object that are numbers the caller wants, found by name. */
typedef struct number_field {
    const char *key;
    size_t offset;  /* of a double in the struct being filled */
} number_field;

static int read_numbers(json_reader *r, void *into, const number_field *fields, size_t count)
{
    if (jr_next(r, NULL, 0, NULL) != JT_BEGIN_OBJECT)
        return -1;
    char key[KEY_MAX];
    int rc;
    while ((rc = jr_key(r, key, sizeof key)) > 0) {
        size_t i = 0;
        while (i < count && strcmp(key, fields[i].key) != 0)
            i++;
        if (i == count) {
            if (jr_skip(r) != 0)
                return -1;
        } else if (jr_number(r, (double *)((char *)into + fields[i].offset)) != 0) {
            return -1;
        }
    }
    return rc;
}

static int read_source(json_reader *r, saved_report *rep)
{
    if (jr_next(r, NULL, 0, NULL) != JT_BEGIN_OBJECT)
        return -1;
    char key[KEY_MAX];
    int rc;
    while ((rc = jr_key(r, key, sizeof key)) > 0) {
        int bad;
        if (strcmp(key, "path") == 0)
            bad = read_text(r, rep->path, sizeof rep->path);
        else if (strcmp(key, "duration_s") == 0)
            bad = jr_number(r, &rep->duration_s);
        else if (strcmp(key, "format") == 0)
            bad = read_text(r, rep->format, sizeof rep->format);
        else if (strcmp(key, "separation") == 0)
            bad = read_text(r, rep->separation, sizeof rep->separation);
        else if (strcmp(key, "separation_confidence") == 0)
            bad = jr_number(r, &rep->separation_confidence);
        else if (strcmp(key, "voices") == 0)
            bad = jr_number(r, &rep->voices);
        else if (strcmp(key, "separation_doubtful") == 0)
            bad = read_bool(r, &rep->separation_doubtful);
        else if (strcmp(key, "separation_note") == 0)
            bad = read_text(r, rep->separation_note, sizeof rep->separation_note);
        else
            bad = jr_skip(r);
        if (bad)
            return -1;
    }
    return rc;
}

#define FIELD(name) {#name, offsetof(saved_speaker, name)}
static const number_field speaker_fields[] = {
    FIELD(talk_s), FIELD(talk_share), FIELD(turns), FIELD(interruptions_made), FIELD(backchannels_made),
    FIELD(response_latency_median_s), FIELD(longest_monologue_s), FIELD(pace_syl_per_s),
    FIELD(pitch_median_hz), FIELD(pitch_range_st), FIELD(level_db), FIELD(calm_score)};
#undef FIELD
#define SPEAKER_FIELDS (sizeof speaker_fields / sizeof *speaker_fields)

static int read_per_speaker(json_reader *r, saved_report *rep)
{
    if (jr_next(r, NULL, 0, NULL) != JT_BEGIN_OBJECT)
        return -1;
    char key[KEY_MAX];
    int rc;
    while ((rc = jr_key(r, key, sizeof key)) > 0) {
        int s = speaker_of(key);
        if (s < 0 ? jr_skip(r) : read_numbers(r, &rep->speaker[s], speaker_fields, SPEAKER_FIELDS))
            return -1;
    }
    return rc;
}

static int read_call(json_reader *r, saved_report *rep)
{
    static const number_field fields[] = {{"score", offsetof(saved_report, score)},
                                          {"flag_count", offsetof(saved_report, flag_count)}};
    return read_numbers(r, rep, fields, sizeof fields / sizeof *fields);
}

/* One speaker's tracks: where each array starts. */
static int read_speaker_tracks(json_reader *r, saved_report *rep, int s)
{
    static const char *const names[SAVED_TRACKS] = {"pitch_hz", "level_db", "arousal"};
    json_token t = jr_next(r, NULL, 0, NULL);
    if (t == JT_NULL)
        return 0;
    if (t != JT_BEGIN_OBJECT)
        return -1;
    char key[KEY_MAX];
    int rc;
    while ((rc = jr_key(r, key, sizeof key)) > 0) {
        for (int k = 0; k < SAVED_TRACKS; k++)
            if (strcmp(key, names[k]) == 0)
                rep->track_at[s][k] = jr_offset(r);
        if (jr_skip(r) != 0)
            return -1;
    }
    return rc;
}

static int read_tracks(json_reader *r, saved_report *rep)
{
    json_token t = jr_next(r, NULL, 0, NULL);
    if (t == JT_NULL)
        return 0;
    if (t != JT_BEGIN_OBJECT)
        return -1;
    char key[KEY_MAX];
    int rc;
    while ((rc = jr_key(r, key, sizeof key)) > 0) {
        int s = speaker_of(key), bad;
        if (strcmp(key, "hop_s") == 0)
            bad = jr_number(r, &rep->hop_s);
        else if (s >= 0)
            bad = read_speaker_tracks(r, rep, s);
        else
            bad = jr_skip(r);
        if (bad)
            return -1;
    }
    return rc;
}

static int read_meta(json_reader *r, saved_report *rep)
{
    if (jr_next(r, NULL, 0, NULL) != JT_BEGIN_OBJECT)
        return -1;
    char key[KEY_MAX];
    int rc;
    while ((rc = jr_key(r, key, sizeof key)) > 0)
        if (strcmp(key, "tone_model") == 0 ? read_text(r, rep->tone_model, sizeof rep->tone_model) : jr_skip(r))
            return -1;
    return rc;
}

/* A list: where it starts, then past it. */
static int note_list(json_reader *r, off_t *at)
{
    *at = jr_offset(r);
    return jr_skip(r);
}

int saved_report_open(saved_report *rep, int fd)
{
    memset(rep, 0, sizeof *rep);
    rep->fd = fd;
    rep->duration_s = rep->separation_confidence = rep->voices = rep->score = rep->flag_count = rep->hop_s = NAN;
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        for (size_t i = 0; i < SPEAKER_FIELDS; i++)
            *(double *)((char *)&rep->speaker[s] + speaker_fields[i].offset) = NAN;
        for (int k = 0; k < SAVED_TRACKS; k++)
            rep->track_at[s][k] = -1;
    }
    rep->segments_at = rep->events_at = rep->flags_at = -1;
    json_reader r;
    jr_init(&r, fd, 0);
    if (jr_next(&r, NULL, 0, NULL) != JT_BEGIN_OBJECT)
        return jr_errno(&r) && jr_errno(&r) != EINVAL ? jr_errno(&r) : EINVAL;
    char key[KEY_MAX], schema[KEY_MAX] = "";
    int rc;
    while ((rc = jr_key(&r, key, sizeof key)) > 0) {
        int bad;
        if (strcmp(key, "schema") == 0)
            bad = read_text(&r, schema, sizeof schema);
        else if (strcmp(key, "source") == 0)
            bad = read_source(&r, rep);
        else if (strcmp(key, "segments") == 0)
            bad = note_list(&r, &rep->segments_at);
        else if (strcmp(key, "events") == 0)
            bad = note_list(&r, &rep->events_at);
        else if (strcmp(key, "flags") == 0)
            bad = note_list(&r, &rep->flags_at);
        else if (strcmp(key, "per_speaker") == 0)
            bad = read_per_speaker(&r, rep);
        else if (strcmp(key, "call") == 0)
            bad = read_call(&r, rep);
        else if (strcmp(key, "tracks") == 0)
            bad = read_tracks(&r, rep);
        else if (strcmp(key, "meta") == 0)
            bad = read_meta(&r, rep);
        else
            bad = jr_skip(&r);
        if (bad) {
            rc = -1;
            break;
        }
    }
    if (jr_errno(&r) && jr_errno(&r) != EINVAL)
        return jr_errno(&r);
    if (rc != 0 || strcmp(schema, REPORT_SCHEMA) != 0 || !isfinite(rep->duration_s) || rep->segments_at < 0 ||
        rep->events_at < 0 || rep->flags_at < 0)
        return EINVAL;
    return 0;
}

/* -1, with the reader marked malformed unless it failed already. */
static int item_malformed(json_reader *r)
{
    if (!jr_errno(r))
        r->err = EINVAL;
    return -1;
}

void saved_list_begin(const saved_report *rep, off_t list_at, json_reader *r)
{
    jr_init(r, rep->fd, list_at);
    if (jr_next(r, NULL, 0, NULL) != JT_BEGIN_ARRAY)
        item_malformed(r);
}

/* The next item's opening: 1 an object follows, 0 the list ended, -1. */
static int next_item(json_reader *r)
{
    json_token t = jr_next(r, NULL, 0, NULL);
    if (t == JT_BEGIN_OBJECT)
        return 1;
    if (t == JT_END_ARRAY)
        return 0;
    return item_malformed(r);
}

int saved_event_next(json_reader *r, saved_event *ev)
{
    int rc = next_item(r);
    if (rc <= 0)
        return rc;
    memset(ev, 0, sizeof *ev);
    snprintf(ev->type, sizeof ev->type, "segment");
    ev->speaker = ev->other = -1;
    ev->start_s = ev->end_s = ev->overlap_s = NAN;
    char key[KEY_MAX];
    while ((rc = jr_key(r, key, sizeof key)) > 0) {
        int bad;
        if (strcmp(key, "type") == 0)
            bad = read_text(r, ev->type, sizeof ev->type);
        else if (strcmp(key, "speaker") == 0)
            bad = read_speaker(r, &ev->speaker);
        else if (strcmp(key, "other") == 0)
            bad = read_speaker(r, &ev->other);
        else if (strcmp(key, "start_s") == 0)
            bad = jr_number(r, &ev->start_s);
        else if (strcmp(key, "end_s") == 0)
            bad = jr_number(r, &ev->end_s);
        else if (strcmp(key, "overlap_s") == 0)
            bad = jr_number(r, &ev->overlap_s);
        else
            bad = jr_skip(r);
        if (bad)
            return item_malformed(r);
    }
    return rc < 0 || !isfinite(ev->start_s) || !isfinite(ev->end_s) ? item_malformed(r) : 1;
}

int saved_flag_next(json_reader *r, saved_flag *fl)
{
    int rc = next_item(r);
    if (rc <= 0)
        return rc;
    memset(fl, 0, sizeof *fl);
    fl->start_s = fl->end_s = fl->severity = NAN;
    char key[KEY_MAX];
    while ((rc = jr_key(r, key, sizeof key)) > 0) {
        int bad;
        if (strcmp(key, "kind") == 0)
            bad = read_text(r, fl->kind, sizeof fl->kind);
        else if (strcmp(key, "start_s") == 0)
            bad = jr_number(r, &fl->start_s);
        else if (strcmp(key, "end_s") == 0)
            bad = jr_number(r, &fl->end_s);
        else if (strcmp(key, "severity") == 0)
            bad = jr_number(r, &fl->severity);
        else if (strcmp(key, "message") == 0)
            bad = read_text(r, fl->message, sizeof fl->message);
        else if (strcmp(key, "tip") == 0)
            bad = read_text(r, fl->tip, sizeof fl->tip);
        else if (strcmp(key, "who_said_what_doubtful") == 0)
            bad = read_bool(r, &fl->doubtful);
        else
            bad = jr_skip(r);
        if (bad)
            return item_malformed(r);
    }
    return rc < 0 || !isfinite(fl->start_s) || !isfinite(fl->end_s) ? item_malformed(r) : 1;
}

int saved_track_next(json_reader *r, double *value)
{
    json_token t = jr_next(r, NULL, 0, value);
    if (t == JT_NUMBER)
        return 1;
    if (t == JT_NULL) {
        *value = NAN;
        return 1;
    }
    if (t == JT_END_ARRAY)
        return 0;
    return item_malformed(r);
}
