/*
 * A whole call in one object (callscope/call.h): the analyzer's output kept
 * in a store as it comes, then at the end the second pass of tone over the
 * stored frames, the flags in time order and the call score.
 */
#include "analyzer_config.h"
#include "call_object.h"
#include "profile_keys.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* An upmix is found from the start of the audio: up to this much is held
 * back, and the search stops once this much of it has signal. */
#define UPMIX_PEEK_S 10.0
#define UPMIX_SIGNAL_S 2.0
/* Samples quieter than this are not signal; channels whose difference is
 * this far (as a power ratio) below their signal are the same. */
#define UPMIX_SIGNAL_LEVEL 1e-4
#define UPMIX_DIFFERENCE 1e-6

/* Events are few (dozens an hour), so sorting them in memory is cheap; past
 * this many something is odd and they stay as emitted. Segments only need
 * sorting if a speaker's come out of order, which the analyzer does not do;
 * the bound keeps that fallback from eating memory. Flags are a handful per
 * call. */
#define EVENT_SORT_MAX 100000u
#define SEGMENT_SORT_MAX 1000000u
#define FLAG_SORT_MAX 100000u

void cs_call_config_default(cs_call_config *cfg, int sample_rate_hz, int channels)
{
    if (!cfg)
        return;
    memset(cfg, 0, sizeof *cfg);
    cs_config_default(&cfg->input, sample_rate_hz, channels);
    cfg->input.diarize = channels == 1;
    if (cfg->input.diarize)
        cfg->input.speaker_channel[CS_CUSTOMER] = 0;
    cfg->detect_upmix = channels == 2;
}

/* ---- the store ----------------------------------------------------------- */

static int fail(cs_call *c, int err)
{
    if (c->state != CALL_FAILED) {
        c->state = CALL_FAILED;
        c->error = err;
    }
    return err;
}

static int put(cs_call *c, cs_stream s, const void *record, size_t size)
{
    if (c->store.append(c->store.user, s, record, size) != 0)
        return fail(c, CS_ESTORE);
    c->count[s]++;
    return CS_OK;
}

static int seek(cs_call *c, cs_stream s, uint64_t index, size_t size)
{
    return c->store.seek(c->store.user, s, index, size) != 0 ? CS_ESTORE : CS_OK;
}

/* 1, 0 at the end, CS_ESTORE. */
static int get(cs_call *c, cs_stream s, void *record, size_t size)
{
    int rc = c->store.read(c->store.user, s, record, size);
    return rc < 0 ? CS_ESTORE : rc > 0;
}

/* Put a stream in order, in memory when it has at most max records (else,
 * or without the memory, it stays as written). */
static int sort_stream(cs_call *c, cs_stream s, size_t size, int (*compare)(const void *, const void *),
                       uint64_t max)
{
    uint64_t n = c->count[s];
    if (n < 2 || n > max || n > SIZE_MAX / size)
        return CS_OK;
    unsigned char *all = malloc((size_t)n * size);
    if (!all)
        return CS_OK;
    int err = seek(c, s, 0, size);
    for (uint64_t i = 0; i < n && !err; i++)
        if (get(c, s, all + i * size, size) != 1)
            err = CS_ESTORE;
    if (!err) {
        qsort(all, (size_t)n, size, compare);
        if (c->store.clear(c->store.user, s) != 0)
            err = CS_ESTORE;
        c->count[s] = 0;
        for (uint64_t i = 0; i < n && !err; i++)
            err = put(c, s, all + i * size, size);
    }
    free(all);
    return err ? fail(c, CS_ESTORE) : CS_OK;
}

/* ---- keeping what the analyzer gives ------------------------------------- */

static int is_listed_event(cs_event_type type)
{
    switch (type) {
    case CS_EVENT_INTERRUPTION:
    case CS_EVENT_BACKCHANNEL:
    case CS_EVENT_OVERLAP:
    case CS_EVENT_OVERTALK:
    case CS_EVENT_DEAD_AIR:
    case CS_EVENT_HOLD:
    case CS_EVENT_LAUGHTER:
        return 1;
    default:
        return 0;
    }
}

static int keep_event(cs_call *c, const cs_event *ev)
{
    event_record r;
    event_to_record(ev, &r);
    if (ev->type == CS_EVENT_SEGMENT) {
        int s = ev->speaker;
        if (s < 0 || s >= CS_MAX_SPEAKERS)
            return CS_OK;
        if (ev->start < c->last_segment_start[s])
            c->segments_unsorted[s] = 1;
        c->last_segment_start[s] = ev->start;
        return put(c, s == CS_AGENT ? CS_STREAM_AGENT_SEGMENTS : CS_STREAM_CUSTOMER_SEGMENTS, &r, sizeof r);
    }
    return is_listed_event(ev->type) ? put(c, CS_STREAM_EVENTS, &r, sizeof r) : CS_OK;
}

static int keep_flag(cs_call *c, const cs_flag *fl)
{
    flag_record r;
    flag_to_record(fl, &r);
    return put(c, CS_STREAM_FLAGS, &r, sizeof r);
}

static int told(cs_call *c, int callback_result)
{
    return callback_result != 0 ? fail(c, CS_ECALLBACK) : CS_OK;
}

/* Everything the analyzer has ready: kept, and shown to the observer.
 * Returns how many, or an error. */
static long drain(cs_call *c)
{
    const cs_call_observer *o = &c->observer;
    cs_event ev;
    cs_frame fr;
    cs_flag fl;
    long n = 0;
    int err = CS_OK;
    while (!err && cs_pull(c->an, &ev) > 0) {
        n++;
        if (!(err = keep_event(c, &ev)) && o->on_event)
            err = told(c, o->on_event(o->user, &ev));
    }
    while (!err && cs_pull_frame(c->an, &fr) > 0) {
        frame_record r;
        frame_to_record(&fr, &r);
        n++;
        err = put(c, CS_STREAM_FRAMES, &r, sizeof r);
    }
    while (!err && o->on_live_frame && cs_pull_live_frame(c->an, &fr) > 0) {
        n++;
        err = told(c, o->on_live_frame(o->user, &fr));
    }
    while (!err && cs_pull_flag(c->an, &fl) > 0) {
        n++;
        if (!(err = keep_flag(c, &fl)) && o->on_flag)
            err = told(c, o->on_flag(o->user, &fl));
    }
    return err ? err : n;
}

/* Feed frames, in as many pushes as the analyzer's queues need. */
static int push_frames(cs_call *c, const float *frames, size_t nframes)
{
    size_t done = 0, channels = (size_t)c->input.channels;
    while (done < nframes) {
        long n = cs_push(c->an, frames + done * channels, nframes - done);
        if (n < 0)
            return fail(c, (int)n);
        done += (size_t)n;
        long pulled = drain(c);
        if (pulled < 0)
            return (int)pulled;
        if (n == 0 && pulled == 0)
            return fail(c, CS_ESTATE); /* the analysis takes no more: a bug */
    }
    return CS_OK;
}

/* ---- opening ------------------------------------------------------------- */

static int open_analyzer(cs_call *c)
{
    int err = cs_open(&c->an, &c->input, &c->prof);
    if (err < 0)
        return fail(c, err);
    return CS_OK;
}

/* What was held back: two identical channels are one channel holding both
 * voices. Then the analysis starts with it. */
static int end_peek(cs_call *c)
{
    upmix_peek *p = &c->peek;
    p->active = 0;
    if (p->signal > 0 && p->difference <= UPMIX_DIFFERENCE * p->power) {
        c->res.upmixed = 1;
        c->input.diarize = 1;
        c->input.speaker_channel[CS_AGENT] = c->input.speaker_channel[CS_CUSTOMER] = 0;
    }
    int err = open_analyzer(c);
    if (!err)
        err = push_frames(c, p->buf, p->frames);
    free(p->buf);
    p->buf = NULL;
    return err;
}

/* Hold frames back while looking for an upmix; returns how many were taken
 * (all, or up to the frame that decided it). */
static size_t peek_frames(cs_call *c, const float *frames, size_t nframes)
{
    upmix_peek *p = &c->peek;
    size_t i = 0;
    for (; i < nframes && p->frames < p->cap && p->signal < p->need_signal; i++) {
        double a = frames[2 * i], b = frames[2 * i + 1];
        p->signal += fabs(a) > UPMIX_SIGNAL_LEVEL || fabs(b) > UPMIX_SIGNAL_LEVEL;
        p->power += a * a + b * b;
        p->difference += (a - b) * (a - b);
        p->buf[2 * p->frames] = (float)a;
        p->buf[2 * p->frames + 1] = (float)b;
        p->frames++;
    }
    return i;
}

static int wants_peek(const cs_call_config *cfg)
{
    const cs_config *in = &cfg->input;
    return cfg->detect_upmix && in->channels == 2 && in->speaker_channel[CS_AGENT] == 0 &&
           in->speaker_channel[CS_CUSTOMER] == 1 && !in->diarize && !(cfg->observer && cfg->observer->on_live_frame);
}

static int usable_baseline(const cs_baseline *b) { return b->speech_s > 0 && isfinite(b->level_db); }

void cs_call_close(cs_call *c)
{
    if (!c)
        return;
    cs_close(c->an);
    free(c->peek.buf);
    memory_store_close(c->memory);
    free(c);
}

int cs_call_open(cs_call **out, const cs_call_config *cfg)
{
    if (!out)
        return CS_EINVAL;
    *out = NULL;
    if (!cfg || (cfg->agent_baseline && !usable_baseline(cfg->agent_baseline)))
        return CS_EINVAL;
    if (cfg->store && (!cfg->store->append || !cfg->store->seek || !cfg->store->read || !cfg->store->clear))
        return CS_EINVAL;
    cs_call *c = calloc(1, sizeof *c);
    if (!c)
        return CS_ENOMEM;
    c->input = cfg->input;
    /* Separated, both voices are in the agent's channel. */
    if (c->input.diarize)
        c->input.speaker_channel[CS_CUSTOMER] = c->input.speaker_channel[CS_AGENT];
    c->detect_upmix = wants_peek(cfg);
    if (cfg->profile)
        c->prof = *cfg->profile;
    else
        cs_profile_default(&c->prof);
    if (cfg->tone_model)
        c->model = *cfg->tone_model;
    else
        cs_tone_model_default(&c->model);
    if (cfg->agent_baseline) {
        c->agent_baseline = *cfg->agent_baseline;
        if (c->input.agent_pitch_hz <= 0 && c->agent_baseline.pitch_hz > 0)
            c->input.agent_pitch_hz = c->agent_baseline.pitch_hz;
    }
    if (cfg->observer)
        c->observer = *cfg->observer;
    c->input.live_frames = c->observer.on_live_frame != NULL;
    for (int s = 0; s < CS_MAX_SPEAKERS; s++)
        c->last_segment_start[s] = INT64_MIN;
    int err = CS_OK;
    if (cfg->store)
        c->store = *cfg->store;
    else
        err = memory_store_open(&c->memory, &c->store);
    if (!err && c->detect_upmix) {
        /* The analyzer opens once the upmix is decided: check now what it
         * will be given, both ways being the same but for the channel map. */
        err = analyzer_check_config(&c->input, &c->prof);
        upmix_peek *p = &c->peek;
        p->cap = (size_t)(UPMIX_PEEK_S * c->input.sample_rate_hz);
        p->need_signal = (size_t)(UPMIX_SIGNAL_S * c->input.sample_rate_hz);
        p->active = 1;
        if (err >= 0 && !(p->buf = malloc(p->cap * 2 * sizeof *p->buf)))
            err = CS_ENOMEM;
    } else if (!err) {
        err = cs_open(&c->an, &c->input, &c->prof);
    }
    if (err < 0) {
        cs_call_close(c);
        return err;
    }
    c->res.rate_hz = cs_analysis_rate(&c->prof, c->input.sample_rate_hz);
    c->res.clipped_speaker = -1;
    for (int s = 0; s < CS_MAX_SPEAKERS; s++)
        c->res.calm_score[s] = NAN;
    c->res.score = NAN;
    *out = c;
    return CS_OK;
}

const cs_analyzer *cs_call_analyzer(const cs_call *c) { return c ? c->an : NULL; }

/* ---- pushing ------------------------------------------------------------- */

int cs_call_push(cs_call *c, const float *frames, size_t nframes)
{
    if (!c || (!frames && nframes))
        return CS_EINVAL;
    if (c->state == CALL_FAILED)
        return c->error;
    if (c->state != CALL_OPEN)
        return CS_ESTATE;
    if (c->peek.active) {
        size_t taken = peek_frames(c, frames, nframes);
        if (c->peek.frames < c->peek.cap && c->peek.signal < c->peek.need_signal)
            return CS_OK;
        int err = end_peek(c);
        if (err)
            return err;
        frames += taken * 2;
        nframes -= taken;
    }
    return push_frames(c, frames, nframes);
}

/* ---- finishing ----------------------------------------------------------- */

/* The speaker whose channel is too clipped to analyse, or -1. */
static int clipped_speaker(const cs_call *c)
{
    double limit = c->prof.value[CS_K_INPUT_MAX_CLIPPED_FRACTION];
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        const cs_speaker_summary *sp = &c->res.summary.speaker[s];
        if (sp->present && sp->clipped_fraction > limit)
            return s;
    }
    return -1;
}

static int end_analysis(cs_call *c)
{
    int err;
    if (c->peek.active && (err = end_peek(c)) != CS_OK)
        return err;
    /* Separated voices may hold back more than the queues take at once. */
    do {
        if ((err = cs_finish(c->an)) < 0)
            return fail(c, err);
        long pulled = drain(c);
        if (pulled < 0)
            return (int)pulled;
    } while (err == CS_FINISH_MORE);
    cs_call_results *r = &c->res;
    cs_summary_get(c->an, &r->summary);
    r->frames = r->summary.frames;
    r->duration_s = r->summary.duration_s;
    for (int s = 0; s < CS_MAX_SPEAKERS; s++)
        r->speaker_channel[s] = c->input.speaker_channel[s];
    r->two_party = r->speaker_channel[CS_AGENT] >= 0 && r->speaker_channel[CS_CUSTOMER] >= 0;
    r->diarized = c->input.diarize != 0;
    r->tracks = c->prof.value[CS_K_VOICE_ANALYZE] > 0.5;
    r->track_hop_s = cs_seconds(c->an, cs_frame_samples(c->an));
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        if (c->segments_unsorted[s]) {
            cs_stream st = s == CS_AGENT ? CS_STREAM_AGENT_SEGMENTS : CS_STREAM_CUSTOMER_SEGMENTS;
            if ((err = sort_stream(c, st, sizeof(event_record), event_record_by_time, SEGMENT_SORT_MAX)) != 0)
                return err;
        }
    }
    return sort_stream(c, CS_STREAM_EVENTS, sizeof(event_record), event_record_by_time, EVENT_SORT_MAX);
}

/* Every stored frame to the tone scorer, in order: learnt from, or scored
 * with the results of each push kept before the next. */
static int each_frame(cs_call *c, cs_tone *tone, int scoring);

/* What the scorer has ready: track points and voice flags. */
static int keep_scored(cs_call *c, cs_tone *tone)
{
    cs_tone_frame o;
    int err = CS_OK;
    while (!err && cs_tone_pull(tone, &o) > 0) {
        cs_track_point tp;
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
        err = put(c, CS_STREAM_TRACKS, &tp, sizeof tp);
    }
    cs_flag fl;
    while (!err && cs_tone_pull_flag(tone, &fl) > 0)
        err = keep_flag(c, &fl);
    return err;
}

static int each_frame(cs_call *c, cs_tone *tone, int scoring)
{
    if (seek(c, CS_STREAM_FRAMES, 0, sizeof(frame_record)) != 0)
        return fail(c, CS_ESTORE);
    frame_record r;
    int rc;
    while ((rc = get(c, CS_STREAM_FRAMES, &r, sizeof r)) > 0) {
        cs_frame fr;
        frame_from_record(&r, &fr);
        int err = scoring ? cs_tone_push(tone, &fr) : cs_tone_learn(tone, &fr);
        if (err < 0)
            return err;
        if (scoring && (err = keep_scored(c, tone)) != 0)
            return err;
    }
    return rc < 0 ? fail(c, CS_ESTORE) : CS_OK;
}

static int learn(cs_call *c, cs_tone *tone)
{
    int err = each_frame(c, tone, 0);
    return err ? err : cs_tone_learn_end(tone);
}

/* Baselines from the whole call first, then the scoring pass. */
static int score_tone(cs_call *c, cs_tone *tone)
{
    int err = learn(c, tone);
    for (int s = 0; s < CS_MAX_SPEAKERS && !err; s++)
        cs_tone_baseline(tone, s, &c->res.learnt[s]);
    if (!err && c->agent_baseline.speech_s > 0)
        err = cs_tone_set_baseline(tone, CS_AGENT, &c->agent_baseline);
    for (int s = 0; s < CS_MAX_SPEAKERS && !err; s++)
        cs_tone_baseline(tone, s, &c->res.baseline[s]);
    if (!err)
        err = each_frame(c, tone, 1);
    if (!err)
        err = cs_tone_finish(tone);
    if (!err)
        err = keep_scored(c, tone);
    for (int s = 0; s < CS_MAX_SPEAKERS && !err; s++) {
        double a = cs_tone_mean_arousal(tone, s);
        c->res.calm_score[s] = isfinite(a) ? 1.0 - a : NAN;
    }
    return err;
}

/* The call score from every flag raised; NAN when nobody spoke. */
static int sum_score(cs_call *c)
{
    int err = cs_call_flags_begin(c);
    cs_flag fl;
    double penalty = 0;
    int rc = 0;
    while (!err && (rc = cs_call_flags_next(c, &fl)) > 0)
        penalty += cs_flag_penalty(&c->prof, &fl);
    if (err || rc < 0)
        return fail(c, CS_ESTORE);
    c->res.score = cs_call_score(&c->prof, penalty, (double)c->res.frames / c->input.sample_rate_hz);
    return CS_OK;
}

int cs_call_finish(cs_call *c)
{
    if (!c)
        return CS_EINVAL;
    if (c->state == CALL_FAILED)
        return c->error;
    if (c->state != CALL_OPEN)
        return CS_ESTATE;
    int err = end_analysis(c);
    if (err)
        return err;
    c->state = CALL_ANALYSED;
    c->res.clipped_speaker = clipped_speaker(c);
    if (c->res.clipped_speaker < 0) {
        cs_tone *tone;
        if ((err = cs_tone_open(&tone, &c->prof, &c->model, c->res.rate_hz)) < 0)
            return fail(c, err);
        err = score_tone(c, tone);
        cs_tone_close(tone);
        if (err)
            return fail(c, err);
    }
    if ((err = sort_stream(c, CS_STREAM_FLAGS, sizeof(flag_record), flag_record_by_time, FLAG_SORT_MAX)) != 0)
        return err;
    c->res.flag_count = c->count[CS_STREAM_FLAGS];
    c->res.track_points = c->count[CS_STREAM_TRACKS];
    if (c->res.clipped_speaker >= 0)
        return CS_ECLIPPED;
    if (c->res.summary.any_speech && (err = sum_score(c)) != 0)
        return err;
    c->state = CALL_SCORED;
    return CS_OK;
}

/* ---- results ------------------------------------------------------------- */

static int ended(const cs_call *c) { return c && (c->state == CALL_ANALYSED || c->state == CALL_SCORED); }

int cs_call_get_results(const cs_call *c, cs_call_results *res)
{
    if (!c || !res)
        return CS_EINVAL;
    if (!ended(c))
        return CS_ESTATE;
    *res = c->res;
    return CS_OK;
}

const char *cs_call_source_note(const cs_call *c)
{
    if (!ended(c))
        return NULL;
    const cs_call_results *r = &c->res;
    int voices = r->summary.any_speech ? r->summary.voices : 0;
    if (r->diarized && voices == 1)
        return "one channel and only one voice found in it: everything is the agent's";
    if (r->diarized && r->upmixed)
        return "the two channels are identical (a mono mix): the voices were told apart";
    if (!r->diarized && r->speaker_channel[CS_CUSTOMER] < 0)
        return "one channel: both parties are analysed as a single speaker (agent); customer measures are not "
               "available";
    return NULL;
}

const char *cs_call_doubt_note(const cs_call *c)
{
    return ended(c) && c->res.diarized && c->res.summary.separation_doubtful
               ? "the two voices could not be told apart with confidence: flags that rest on who said what are "
                 "marked doubtful and left out of the score"
               : NULL;
}

/* ---- reading back -------------------------------------------------------- */

static cs_stream segment_stream(int s) { return s == CS_AGENT ? CS_STREAM_AGENT_SEGMENTS : CS_STREAM_CUSTOMER_SEGMENTS; }

static int read_head(cs_call *c, int s)
{
    int rc = get(c, segment_stream(s), &c->head[s], sizeof c->head[s]);
    c->have_head[s] = rc > 0;
    return rc < 0 ? rc : CS_OK;
}

int cs_call_segments_begin(cs_call *c)
{
    if (!ended(c))
        return c ? CS_ESTATE : CS_EINVAL;
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        int err = seek(c, segment_stream(s), 0, sizeof(event_record));
        if (!err)
            err = read_head(c, s);
        if (err)
            return err;
    }
    return CS_OK;
}

int cs_call_segments_next(cs_call *c, cs_event *ev)
{
    if (!ev || !ended(c))
        return c && ev ? CS_ESTATE : CS_EINVAL;
    int pick = -1;
    for (int s = 0; s < CS_MAX_SPEAKERS; s++)
        if (c->have_head[s] && (pick < 0 || event_record_by_time(&c->head[s], &c->head[pick]) < 0))
            pick = s;
    if (pick < 0)
        return 0;
    event_from_record(&c->head[pick], ev);
    int err = read_head(c, pick);
    return err ? err : 1;
}

/* A list read from its start (or from `first`). */
static int list_begin(cs_call *c, cs_stream s, uint64_t first, size_t size)
{
    if (!ended(c))
        return c ? CS_ESTATE : CS_EINVAL;
    return seek(c, s, first, size);
}

static int list_next(cs_call *c, cs_stream s, void *record, size_t size)
{
    if (!ended(c))
        return c ? CS_ESTATE : CS_EINVAL;
    return get(c, s, record, size);
}

int cs_call_events_begin(cs_call *c) { return list_begin(c, CS_STREAM_EVENTS, 0, sizeof(event_record)); }

int cs_call_events_next(cs_call *c, cs_event *ev)
{
    if (!ev)
        return CS_EINVAL;
    event_record r;
    int rc = list_next(c, CS_STREAM_EVENTS, &r, sizeof r);
    if (rc > 0)
        event_from_record(&r, ev);
    return rc;
}

int cs_call_flags_begin(cs_call *c) { return list_begin(c, CS_STREAM_FLAGS, 0, sizeof(flag_record)); }

int cs_call_flags_next(cs_call *c, cs_flag *fl)
{
    if (!fl)
        return CS_EINVAL;
    flag_record r;
    int rc = list_next(c, CS_STREAM_FLAGS, &r, sizeof r);
    if (rc > 0) {
        flag_from_record(&r, fl);
        fl->doubtful = c->res.summary.separation_doubtful && cs_flag_rests_on_who_spoke(fl->kind);
    }
    return rc;
}

int cs_call_tracks_begin(cs_call *c, uint64_t first)
{
    return list_begin(c, CS_STREAM_TRACKS, first, sizeof(cs_track_point));
}

int cs_call_tracks_next(cs_call *c, cs_track_point *tp)
{
    return tp ? list_next(c, CS_STREAM_TRACKS, tp, sizeof *tp) : CS_EINVAL;
}

static double flag_weight(const cs_call *c, int by_penalty, const cs_flag *fl)
{
    return by_penalty ? cs_flag_penalty(&c->prof, fl) : fl->severity;
}

int cs_call_top_flags(cs_call *c, int by_penalty, cs_flag *top, int cap)
{
    if (!top || cap < 0)
        return CS_EINVAL;
    int err = cs_call_flags_begin(c);
    if (err)
        return err;
    int n = 0, rc;
    cs_flag fl;
    while ((rc = cs_call_flags_next(c, &fl)) > 0) {
        int weakest = 0;
        for (int i = 1; i < n; i++)
            if (flag_weight(c, by_penalty, &top[i]) < flag_weight(c, by_penalty, &top[weakest]))
                weakest = i;
        if (n < cap) {
            top[n++] = fl;
        } else if (cap > 0 && flag_weight(c, by_penalty, &fl) > flag_weight(c, by_penalty, &top[weakest])) {
            memmove(&top[weakest], &top[weakest + 1], (size_t)(n - weakest - 1) * sizeof *top);
            top[n - 1] = fl;
        }
    }
    return rc < 0 ? rc : n;
}

int cs_call_learn(cs_call *c, cs_tone *tone)
{
    if (!tone)
        return CS_EINVAL;
    if (!ended(c))
        return c ? CS_ESTATE : CS_EINVAL;
    return learn(c, tone);
}
