/* Voice frames of one call, spooled and scored; see voice_log.h. */
#include "cli/voice_log.h"

#include "cli/spool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Flags are a handful per call; past this they are listed as raised. */
#define FLAG_SORT_MAX 100000u

/* On disk: all 8-byte fields, so no padding bytes get written. */
typedef struct frame_record {
    int64_t start, end;
    double v[CS_MAX_SPEAKERS][10];
    double overtalk_s;
} frame_record;

typedef struct flag_record {
    int64_t start, end;
    double severity, measure, context;
    int32_t kind, speaker, count, unused;
} flag_record;

struct voice_log {
    spool frames;
    spool tracks;
    spool flags;
    int flags_sorted;   /* since the last flag was added: readers need not sort again */
    int who_spoke_doubtful; /* flags that rest on who said what are read back marked doubtful */
    int errno_value;
};

static void to_frame_record(const cs_frame *fr, frame_record *r)
{
    memset(r, 0, sizeof *r);
    r->start = fr->start;
    r->end = fr->end;
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        const cs_voice *x = &fr->speaker[s];
        double *v = r->v[s];
        v[0] = x->speech_s;
        v[1] = x->voiced_s;
        v[2] = x->pitch_hz;
        v[3] = x->pitch_lo_hz;
        v[4] = x->pitch_hi_hz;
        v[5] = x->level_db;
        v[6] = x->high_band_db;
        v[7] = x->syllables;
        v[8] = x->articulation_s;
        v[9] = x->laughter_s;
    }
    r->overtalk_s = fr->overtalk_s;
}

static void from_frame_record(const frame_record *r, cs_frame *fr)
{
    memset(fr, 0, sizeof *fr);
    fr->start = r->start;
    fr->end = r->end;
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        cs_voice *x = &fr->speaker[s];
        const double *v = r->v[s];
        x->speech_s = v[0];
        x->voiced_s = v[1];
        x->pitch_hz = v[2];
        x->pitch_lo_hz = v[3];
        x->pitch_hi_hz = v[4];
        x->level_db = v[5];
        x->high_band_db = v[6];
        x->syllables = (int)v[7];
        x->articulation_s = v[8];
        x->laughter_s = v[9];
    }
    fr->overtalk_s = r->overtalk_s;
}

static int failed(voice_log *log, const spool *s)
{
    if (!log->errno_value)
        log->errno_value = spool_error(s) ? spool_error(s) : EIO;
    return -1;
}

int voice_log_open(voice_log **out)
{
    *out = NULL;
    voice_log *log = calloc(1, sizeof *log);
    if (!log)
        return ENOMEM;
    int err = spool_open(&log->frames, sizeof(frame_record));
    if (!err)
        err = spool_open(&log->tracks, sizeof(track_point));
    if (!err)
        err = spool_open(&log->flags, sizeof(flag_record));
    if (err) {
        voice_log_close(log);
        return err;
    }
    *out = log;
    return 0;
}

int voice_log_add(voice_log *log, const cs_frame *fr)
{
    if (log->errno_value)
        return -1;
    frame_record r;
    to_frame_record(fr, &r);
    return spool_put(&log->frames, &r) != 0 ? failed(log, &log->frames) : 0;
}

int voice_log_error(const voice_log *log) { return log->errno_value; }

uint64_t voice_log_frames(const voice_log *log) { return log->frames.count; }

static int keep_results(voice_log *log, cs_tone *tone)
{
    cs_tone_frame o;
    while (cs_tone_pull(tone, &o) > 0) {
        track_point tp;
        memset(&tp, 0, sizeof tp);
        tp.start = o.frame.start;
        tp.end = o.frame.end;
        for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
            tp.speech_s[s] = o.frame.speaker[s].speech_s;
            tp.pitch_hz[s] = o.frame.speaker[s].pitch_hz;
            tp.level_db[s] = o.frame.speaker[s].level_db;
            tp.pace_syl_per_s[s] = o.pace_syl_per_s[s];
            tp.arousal[s] = o.arousal[s];
            memcpy(tp.feature[s], o.feature[s], sizeof tp.feature[s]);
        }
        if (spool_put(&log->tracks, &tp) != 0)
            return failed(log, &log->tracks);
    }
    cs_flag fl;
    while (cs_tone_pull_flag(tone, &fl) > 0)
        if (voice_log_add_flag(log, &fl) != 0)
            return -1;
    return 0;
}

/* Every kept frame, in order, to the scorer: learnt from, or scored with
 * what each push decided kept before the next. */
static int each_frame(voice_log *log, cs_tone *tone, int scoring, int *cs_err)
{
    if (log->errno_value || spool_rewind(&log->frames) != 0)
        return failed(log, &log->frames);
    frame_record r;
    int rc;
    while ((rc = spool_get(&log->frames, &r)) > 0) {
        cs_frame fr;
        from_frame_record(&r, &fr);
        int err = scoring ? cs_tone_push(tone, &fr) : cs_tone_learn(tone, &fr);
        if (err < 0) {
            *cs_err = err;
            return -1;
        }
        if (scoring && keep_results(log, tone) != 0)
            return -1;
    }
    return rc < 0 ? failed(log, &log->frames) : 0;
}

int voice_log_learn(voice_log *log, cs_tone *tone, int *cs_err)
{
    *cs_err = CS_OK;
    if (each_frame(log, tone, 0, cs_err) != 0)
        return -1;
    int err = cs_tone_learn_end(tone);
    if (err < 0) {
        *cs_err = err;
        return -1;
    }
    return 0;
}

int voice_log_score(voice_log *log, cs_tone *tone, int *cs_err)
{
    *cs_err = CS_OK;
    if (each_frame(log, tone, 1, cs_err) != 0)
        return -1;
    int err = cs_tone_finish(tone);
    if (err < 0) {
        *cs_err = err;
        return -1;
    }
    return keep_results(log, tone);
}

int voice_log_tracks_begin(voice_log *log) { return voice_log_tracks_from(log, 0); }

int voice_log_tracks_from(voice_log *log, uint64_t first)
{
    if (log->errno_value || spool_seek(&log->tracks, first) != 0)
        return failed(log, &log->tracks);
    return 0;
}

int voice_log_tracks_next(voice_log *log, track_point *tp)
{
    int rc = spool_get(&log->tracks, tp);
    return rc < 0 ? failed(log, &log->tracks) : rc;
}

uint64_t voice_log_flag_count(const voice_log *log) { return log->flags.count; }

int voice_log_add_flag(voice_log *log, const cs_flag *fl)
{
    flag_record r;
    memset(&r, 0, sizeof r);
    r.start = fl->start;
    r.end = fl->end;
    r.severity = fl->severity;
    r.measure = fl->measure;
    r.context = fl->context;
    r.kind = (int32_t)fl->kind;
    r.speaker = fl->speaker;
    r.count = fl->count;
    log->flags_sorted = 0;
    if (spool_put(&log->flags, &r) != 0)
        return failed(log, &log->flags);
    return 0;
}

static int flag_by_time(const void *pa, const void *pb)
{
    const flag_record *a = pa, *b = pb;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return (a->kind > b->kind) - (a->kind < b->kind);
}

int voice_log_flags_begin(voice_log *log)
{
    if (log->errno_value)
        return failed(log, &log->flags);
    if (!log->flags_sorted) {
        int rc = spool_sort(&log->flags, flag_by_time, FLAG_SORT_MAX);
        if (rc < 0)
            return failed(log, &log->flags);
        log->flags_sorted = rc == 1;
    }
    if (spool_rewind(&log->flags) != 0)
        return failed(log, &log->flags);
    return 0;
}

int voice_log_flags_next(voice_log *log, cs_flag *fl)
{
    flag_record r;
    int rc = spool_get(&log->flags, &r);
    if (rc < 0)
        return failed(log, &log->flags);
    if (rc > 0) {
        memset(fl, 0, sizeof *fl);
        fl->start = r.start;
        fl->end = r.end;
        fl->severity = r.severity;
        fl->kind = (cs_flag_kind)r.kind;
        fl->speaker = r.speaker;
        fl->measure = r.measure;
        fl->context = r.context;
        fl->count = r.count;
        fl->doubtful = log->who_spoke_doubtful && cs_flag_rests_on_who_spoke(fl->kind);
    }
    return rc;
}

void voice_log_set_doubtful(voice_log *log, int who_spoke_doubtful) { log->who_spoke_doubtful = who_spoke_doubtful; }

void voice_log_close(voice_log *log)
{
    if (!log)
        return;
    spool_close(&log->frames);
    spool_close(&log->tracks);
    spool_close(&log->flags);
    free(log);
}
