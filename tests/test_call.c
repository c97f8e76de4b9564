/*
 * The call object (callscope/call.h): a scripted call pushed through
 * cs_call gives the events, flags and score its script says, the same as
 * the analyzer and the tone scorer used by hand; the same report for any
 * block size and for the memory store or a store of the caller's; a store
 * that fails, callbacks that stop the call, clipping, an upmixed stereo
 * file and every bad argument give their error and leak nothing.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callgen.h"
#include "callscope/callscope.h"
#include "check.h"
#include "json.h"
#include "runcall.h"
#include "scenes.h"

/* ---- a report in memory ---- */

typedef struct text {
    char *s;
    size_t n, cap;
    size_t fail_at;     /* a write reaching past this many bytes fails; 0 never */
} text;

static int append_text(void *user, const void *bytes, size_t size)
{
    text *t = user;
    if (t->fail_at && t->n + size > t->fail_at)
        return 28; /* ENOSPC, as a full disk would say */
    if (t->n + size + 1 > t->cap) {
        size_t cap = 2 * (t->n + size + 1);
        char *grown = realloc(t->s, cap);
        if (!grown)
            exit(2);
        t->s = grown;
        t->cap = cap;
    }
    memcpy(t->s + t->n, bytes, size);
    t->n += size;
    t->s[t->n] = '\0';
    return 0;
}

/* ---- a store of the test's own: every stream an array, with failures on demand ---- */

typedef struct test_stream {
    unsigned char *data;
    size_t size, count, cap, next;
} test_stream;

typedef struct test_store {
    test_stream st[CS_STREAMS];
    long appends, reads;    /* calls so far */
    long fail_append_at;    /* the n-th append fails (from 1); 0 never */
    long fail_read_at;
    int fail_clear;
} test_store;

static int ts_append(void *user, cs_stream stream, const void *record, size_t size)
{
    test_store *t = user;
    if (t->fail_append_at && ++t->appends >= t->fail_append_at)
        return -1;
    test_stream *s = &t->st[stream];
    if (s->size && s->size != size)
        return -1;
    s->size = size;
    if (s->count == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        unsigned char *grown = realloc(s->data, s->cap * size);
        if (!grown)
            exit(2);
        s->data = grown;
    }
    memcpy(s->data + s->count++ * size, record, size);
    return 0;
}

static int ts_seek(void *user, cs_stream stream, uint64_t index, size_t size)
{
    test_store *t = user;
    test_stream *s = &t->st[stream];
    (void)size;
    s->next = index < s->count ? (size_t)index : s->count;
    return 0;
}

static int ts_read(void *user, cs_stream stream, void *record, size_t size)
{
    test_store *t = user;
    if (t->fail_read_at && ++t->reads >= t->fail_read_at)
        return -1;
    test_stream *s = &t->st[stream];
    if (s->next >= s->count)
        return 0;
    memcpy(record, s->data + s->next++ * size, size);
    return 1;
}

static int ts_clear(void *user, cs_stream stream)
{
    test_store *t = user;
    if (t->fail_clear)
        return -1;
    t->st[stream].count = t->st[stream].next = 0;
    return 0;
}

static cs_store store_of(test_store *t)
{
    cs_store s = {t, ts_append, ts_seek, ts_read, ts_clear};
    return s;
}

static void test_store_free(test_store *t)
{
    for (int i = 0; i < CS_STREAMS; i++)
        free(t->st[i].data);
}

/* ---- running a call ---- */

typedef struct run_result {
    int push_err, finish_err, report_err;
    cs_call_results res;
    text report;
} run_result;

/* Push the frames in blocks, finish, and write the report (meta null). */
static void run(const float *frames, size_t nframes, const cs_call_config *cfg, size_t block, run_result *out)
{
    memset(out, 0, sizeof *out);
    cs_call *call;
    int err = cs_call_open(&call, cfg);
    if (!CHECK_INT(err, CS_OK)) {
        out->push_err = err;
        return;
    }
    size_t ch = (size_t)cfg->input.channels;
    for (size_t done = 0; done < nframes && !out->push_err; done += block) {
        size_t n = nframes - done < block ? nframes - done : block;
        out->push_err = cs_call_push(call, frames + done * ch, n);
    }
    if (!out->push_err)
        out->finish_err = cs_call_finish(call);
    if (!out->push_err && !out->finish_err) {
        cs_call_get_results(call, &out->res);
        cs_report_source src = {"test.wav", "wav/float", NULL, 0, NULL, NAN, NAN, NULL};
        out->report_err = cs_call_write_report(call, &src, append_text, &out->report);
    }
    cs_call_close(call);
}

static void run_free(run_result *r) { free(r->report.s); }

static float *render(const cg_call *call, size_t *n)
{
    float *x = cg_render_all(call, n);
    if (!x)
        exit(2);
    return x;
}

/* The two channels summed into one. */
static float *mono_of(const float *two, size_t n)
{
    float *x = malloc(n * sizeof *x);
    if (!x)
        exit(2);
    for (size_t i = 0; i < n; i++)
        x[i] = two[2 * i] + two[2 * i + 1];
    return x;
}

static const js_value *at(const js_value *v, const char *a, const char *b)
{
    v = js_member(v, a);
    return v && b ? js_member(v, b) : v;
}

/* ---- the cases ---- */

/* The scripted call: what its script says, and what the analyzer and the
 * tone scorer give when used by hand. */
static void test_known_answers(const float *x, size_t n)
{
    check_case("sc_everything through cs_call: the events and flags of its script");
    cs_call_config cfg;
    cs_call_config_default(&cfg, 8000, 2);
    cs_call *call;
    CHECK_INT(cs_call_open(&call, &cfg), CS_OK);
    CHECK(cs_call_analyzer(call) == NULL); /* held back while looking for an upmix */
    CHECK_INT(cs_call_push(call, x, n), CS_OK);
    CHECK_INT(cs_call_finish(call), CS_OK);
    CHECK(cs_call_analyzer(call) != NULL);
    cs_call_results r;
    CHECK_INT(cs_call_get_results(call, &r), CS_OK);
    CHECK_INT(r.frames, (long long)n);
    CHECK_NEAR(r.duration_s, 30.0, 1e-9);
    CHECK_INT(r.rate_hz, 8000);
    CHECK_INT(r.two_party, 1);
    CHECK_INT(r.diarized, 0);
    CHECK_INT(r.upmixed, 0);
    CHECK_INT(r.clipped_speaker, -1);
    CHECK_INT(r.summary.interruptions, 1);
    CHECK_INT(r.summary.backchannels, 1);
    CHECK_INT(r.summary.dead_air_count, 1);
    CHECK(cs_call_source_note(call) == NULL);
    CHECK(cs_call_doubt_note(call) == NULL);

    /* Events by start time, the interruption by the agent at 13.2 s. */
    int events = 0, interruptions = 0;
    int64_t last = -1;
    cs_event ev;
    CHECK_INT(cs_call_events_begin(call), CS_OK);
    while (cs_call_events_next(call, &ev) > 0) {
        events++;
        CHECK(ev.start >= last);
        last = ev.start;
        if (ev.type == CS_EVENT_INTERRUPTION) {
            interruptions++;
            CHECK_INT(ev.speaker, CS_AGENT);
            CHECK_NEAR((double)ev.start / r.rate_hz, 13.2, 0.3);
        }
        CHECK(ev.type != CS_EVENT_SEGMENT && ev.type != CS_EVENT_TURN && ev.type != CS_EVENT_RESPONSE);
    }
    CHECK_INT(interruptions, 1);
    CHECK(events >= 5);

    /* Segments of both speakers merged by start time, all of them. */
    int segments = 0;
    last = -1;
    CHECK_INT(cs_call_segments_begin(call), CS_OK);
    while (cs_call_segments_next(call, &ev) > 0) {
        segments++;
        CHECK_INT(ev.type, CS_EVENT_SEGMENT);
        CHECK(ev.start >= last && ev.end > ev.start);
        last = ev.start;
    }
    CHECK_INT(segments, r.summary.speaker[CS_AGENT].segments + r.summary.speaker[CS_CUSTOMER].segments);

    /* The flags: interrupted_customer and overtalk, and the score they make. */
    int flags = 0, interrupted = 0, overtalk = 0;
    double penalty = 0;
    cs_profile prof;
    cs_profile_default(&prof);
    cs_flag fl;
    last = -1;
    CHECK_INT(cs_call_flags_begin(call), CS_OK);
    while (cs_call_flags_next(call, &fl) > 0) {
        flags++;
        CHECK(fl.start >= last);
        last = fl.start;
        interrupted += fl.kind == CS_FLAG_INTERRUPTED_CUSTOMER;
        overtalk += fl.kind == CS_FLAG_OVERTALK;
        penalty += cs_flag_penalty(&prof, &fl);
    }
    CHECK_INT(interrupted, 1);
    CHECK_INT(overtalk, 1);
    CHECK_INT(r.flag_count, flags);
    CHECK(r.score < 100);
    CHECK_NEAR(r.score, cs_call_score(&prof, penalty, r.duration_s), 1e-9);
    cs_flag top[1];
    CHECK_INT(cs_call_top_flags(call, 1, top, 1), 1);
    CHECK_INT(top[0].kind, CS_FLAG_INTERRUPTED_CUSTOMER); /* the weightier of the two */

    /* A track point per voice frame, tiling the call. */
    CHECK_NEAR(r.track_hop_s, 0.5, 1e-9);
    CHECK_INT(r.tracks, 1);
    CHECK_INT(r.track_points, 60);
    cs_track_point tp;
    int64_t end = 0;
    uint64_t points = 0;
    CHECK_INT(cs_call_tracks_begin(call, 0), CS_OK);
    while (cs_call_tracks_next(call, &tp) > 0) {
        CHECK_INT(tp.start, end);
        end = tp.end;
        points++;
    }
    CHECK_INT(points, r.track_points);
    CHECK_INT(cs_call_tracks_begin(call, 58), CS_OK);
    CHECK_INT(cs_call_tracks_next(call, &tp), 1);
    CHECK_INT(tp.start, 58 * 4000);
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        CHECK(r.calm_score[s] > 0 && r.calm_score[s] <= 1);
        CHECK(r.baseline[s].speech_s > 0);
    }

    check_case("cs_call gives what the analyzer and the tone scorer give by hand");
    rc_result ref;
    CHECK_INT(rc_run(x, n, 2, 8000, 4096, NULL, &ref), CS_OK);
    CHECK_INT(ref.sum.interruptions, r.summary.interruptions);
    CHECK_NEAR(ref.sum.speaker[CS_AGENT].talk_s, r.summary.speaker[CS_AGENT].talk_s, 0);
    CHECK_INT(rc_count(&ref, CS_EVENT_SEGMENT, -1), segments);
    /* Every conversation flag the analyzer raised is in the call's list. */
    CHECK(ref.nflag >= 1 && (int)ref.nflag <= flags);
    rc_free(&ref);

    check_case("the report of the call: valid JSON with the call's figures");
    text t = {0};
    cs_report_source src = {"everything.wav", "wav/float", NULL, 0, NULL, 1.5, 2.0, NULL};
    CHECK_INT(cs_call_write_report(call, &src, append_text, &t), CS_OK);
    char err[160];
    js_value *doc = t.s ? js_parse(t.s, t.n, err, sizeof err) : NULL;
    if (!CHECK(doc != NULL))
        printf("    %s\n", err);
    if (doc) {
        CHECK_STR(at(doc, "schema", NULL)->str, CS_REPORT_SCHEMA);
        CHECK_NEAR(at(doc, "call", "score")->num, round(r.score * 10) / 10, 1e-9);
        CHECK_INT(at(doc, "call", "flag_count")->num, flags);
        CHECK_INT(at(doc, "segments", NULL)->n, segments);
        CHECK_INT(at(doc, "events", NULL)->n, events);
        CHECK_STR(at(doc, "source", "separation")->str, "channels");
        CHECK_NEAR(at(doc, "meta", "cpu_s")->num, 1.5, 1e-9);
        CHECK_STR(at(doc, "meta", "agent_baseline")->str, "learnt from this call");
        CHECK_INT(at(doc, "tracks", "agent") ? at(at(doc, "tracks", "agent"), "arousal", NULL)->n : 0, 60);
        js_free(doc);
    }

    check_case("a failing write function stops the report with CS_EWRITE");
    text full = {0};
    full.fail_at = t.n / 2;
    CHECK_INT(cs_call_write_report(call, &src, append_text, &full), CS_EWRITE);
    free(full.s);
    free(t.s);

    check_case("the analyzer used after the call ends, and the baseline learnt from it");
    cs_tone *tone;
    cs_tone_model model;
    cs_tone_model_default(&model);
    CHECK_INT(cs_tone_open(&tone, &prof, &model, 8000), CS_OK);
    CHECK_INT(cs_call_learn(call, tone), CS_OK);
    cs_baseline b;
    cs_tone_baseline(tone, CS_AGENT, &b);
    CHECK_NEAR(b.speech_s, r.baseline[CS_AGENT].speech_s, 1e-9);
    CHECK_NEAR(b.pitch_hz, r.baseline[CS_AGENT].pitch_hz, 1e-9);
    cs_tone_close(tone);

    check_case("calls out of order once the call is finished");
    CHECK_INT(cs_call_push(call, x, 10), CS_ESTATE);
    CHECK_INT(cs_call_finish(call), CS_ESTATE);
    cs_call_close(call);
}

/* Blocks of any size, and a store of the caller's, give the same report byte for byte. */
static void test_same_report(const float *x, size_t n)
{
    static const size_t blocks[] = {48000, 1, 7, 160, 441};
    cs_call_config cfg;
    cs_call_config_default(&cfg, 8000, 2);
    run_result ref;
    check_case("the reference report");
    run(x, n, &cfg, blocks[0], &ref);
    CHECK_INT(ref.push_err, CS_OK);
    CHECK_INT(ref.finish_err, CS_OK);
    CHECK_INT(ref.report_err, CS_OK);
    CHECK(ref.report.n > 10000);
    for (size_t b = 1; b < sizeof blocks / sizeof *blocks; b++) {
        char label[80];
        snprintf(label, sizeof label, "blocks of %zu frames give the same report", blocks[b]);
        check_case(label);
        run_result r;
        run(x, n, &cfg, blocks[b], &r);
        CHECK_INT(r.report_err, CS_OK);
        CHECK(r.report.s && ref.report.s && strcmp(r.report.s, ref.report.s) == 0);
        run_free(&r);
    }
    check_case("a store of the caller's gives the same report as the memory store");
    test_store ts;
    memset(&ts, 0, sizeof ts);
    cs_store store = store_of(&ts);
    cfg.store = &store;
    run_result r;
    run(x, n, &cfg, 4096, &r);
    CHECK_INT(r.report_err, CS_OK);
    CHECK(r.report.s && ref.report.s && strcmp(r.report.s, ref.report.s) == 0);
    /* ...and it was used: frames, tracks, flags and segments went there. */
    CHECK_INT(ts.st[CS_STREAM_FRAMES].count, 60);
    CHECK_INT(ts.st[CS_STREAM_TRACKS].count, 60);
    CHECK_INT(ts.st[CS_STREAM_FLAGS].count, (long long)r.res.flag_count);
    CHECK(ts.st[CS_STREAM_AGENT_SEGMENTS].count >= 3 && ts.st[CS_STREAM_CUSTOMER_SEGMENTS].count >= 3);
    CHECK_INT(ts.st[CS_STREAM_EVENTS].size, ts.st[CS_STREAM_AGENT_SEGMENTS].size);
    run_free(&r);
    test_store_free(&ts);
    run_free(&ref);
}

static void test_failing_store(const float *x, size_t n)
{
    cs_call_config cfg;
    cs_call_config_default(&cfg, 8000, 2);
    cfg.detect_upmix = 0;
    static const struct {
        const char *what;
        long append_at, read_at;
        int clear;
        int push_err, finish_err;
    } cases[] = {
        {"the first record cannot be kept: the push fails", 1, 0, 0, CS_ESTORE, CS_ESTORE},
        {"a record in the middle cannot be kept", 20, 0, 0, CS_ESTORE, CS_ESTORE},
        {"the first record cannot be read back: the finish fails", 0, 1, 0, CS_OK, CS_ESTORE},
        {"the tone pass cannot read them all", 0, 70, 0, CS_OK, CS_ESTORE},
        {"the events cannot be put in order", 0, 0, 1, CS_OK, CS_ESTORE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        check_case(cases[i].what);
        test_store ts;
        memset(&ts, 0, sizeof ts);
        ts.fail_append_at = cases[i].append_at;
        ts.fail_read_at = cases[i].read_at;
        ts.fail_clear = cases[i].clear;
        cs_store store = store_of(&ts);
        cfg.store = &store;
        cs_call *call;
        CHECK_INT(cs_call_open(&call, &cfg), CS_OK);
        CHECK_INT(cs_call_push(call, x, n), cases[i].push_err);
        CHECK_INT(cs_call_finish(call), cases[i].finish_err);
        /* The first error stays; nothing can be read. */
        CHECK_INT(cs_call_push(call, x, 10), CS_ESTORE);
        cs_call_results res;
        CHECK_INT(cs_call_get_results(call, &res), CS_ESTATE);
        CHECK_INT(cs_call_events_begin(call), CS_ESTATE);
        text t = {0};
        cs_report_source src = {"x", "x", NULL, 0, NULL, NAN, NAN, NULL};
        CHECK_INT(cs_call_write_report(call, &src, append_text, &t), CS_ESTORE);
        CHECK(t.n == 0);
        free(t.s);
        cs_call_close(call);
        test_store_free(&ts);
    }
}

/* Watching the call: every event, the conversation flags, live frames; and a callback that stops it. */
typedef struct watch {
    int events, flags, live_frames, stop_after;
    int64_t live_end;
    int live_gaps;
} watch;

static int on_event(void *user, const cs_event *ev)
{
    watch *w = user;
    (void)ev;
    w->events++;
    return w->stop_after && w->events >= w->stop_after;
}

static int on_flag(void *user, const cs_flag *fl)
{
    watch *w = user;
    w->flags += fl->kind == CS_FLAG_INTERRUPTED_CUSTOMER || fl->kind == CS_FLAG_OVERTALK;
    return 0;
}

static int on_live_frame(void *user, const cs_frame *fr)
{
    watch *w = user;
    w->live_gaps += fr->start != w->live_end;
    w->live_end = fr->end;
    w->live_frames++;
    return 0;
}

static void test_observer(const float *x, size_t n)
{
    check_case("the observer sees every event and the conversation flags as they are decided");
    rc_result ref;
    CHECK_INT(rc_run(x, n, 2, 8000, 4096, NULL, &ref), CS_OK);
    watch w = {0};
    cs_call_observer obs = {&w, on_event, on_flag, NULL};
    cs_call_config cfg;
    cs_call_config_default(&cfg, 8000, 2);
    cfg.observer = &obs;
    cs_call *call;
    CHECK_INT(cs_call_open(&call, &cfg), CS_OK);
    CHECK_INT(cs_call_push(call, x, n), CS_OK);
    CHECK_INT(cs_call_finish(call), CS_OK);
    CHECK_INT(w.events, (long long)ref.nev);
    CHECK_INT(w.flags, 2);
    cs_call_close(call);
    rc_free(&ref);

    check_case("with on_live_frame the call gives live frames from the start, tiling it");
    watch live = {0};
    cs_call_observer live_obs = {&live, NULL, NULL, on_live_frame};
    cfg.observer = &live_obs;
    CHECK_INT(cs_call_open(&call, &cfg), CS_OK);
    CHECK(cs_call_analyzer(call) != NULL); /* no upmix search while live */
    CHECK(cs_live_frame_samples(cs_call_analyzer(call)) > 0);
    CHECK_INT(cs_call_push(call, x, n / 2), CS_OK);
    CHECK(live.live_frames > 10); /* during the call, not at its end */
    CHECK_INT(cs_call_push(call, x + n / 2 * 2, n - n / 2), CS_OK);
    CHECK_INT(cs_call_finish(call), CS_OK);
    CHECK_INT(live.live_gaps, 0);
    CHECK_INT(live.live_end, (long long)n);
    cs_call_close(call);

    check_case("an observer that asks to stop ends the call with CS_ECALLBACK");
    watch stop = {0};
    stop.stop_after = 3;
    cs_call_observer stop_obs = {&stop, on_event, NULL, NULL};
    cfg.observer = &stop_obs;
    CHECK_INT(cs_call_open(&call, &cfg), CS_OK);
    CHECK_INT(cs_call_push(call, x, n), CS_ECALLBACK);
    CHECK_INT(cs_call_finish(call), CS_ECALLBACK);
    cs_call_close(call);
}

/* A mono mix, and the same mix saved as two identical channels. */
static void test_mono_and_upmix(const float *x, size_t n)
{
    float *mono = mono_of(x, n);
    float *twice = malloc(2 * n * sizeof *twice);
    if (!twice)
        exit(2);
    for (size_t i = 0; i < n; i++)
        twice[2 * i] = twice[2 * i + 1] = mono[i];

    check_case("a mono recording: the two voices told apart by default");
    cs_call_config cfg;
    cs_call_config_default(&cfg, 8000, 1);
    CHECK_INT(cfg.input.diarize, 1);
    run_result m;
    run(mono, n, &cfg, 4096, &m);
    CHECK_INT(m.finish_err, CS_OK);
    CHECK_INT(m.res.diarized, 1);
    CHECK_INT(m.res.upmixed, 0);
    CHECK_INT(m.res.summary.voices, 2);
    CHECK_INT(m.res.two_party, 1);

    check_case("two identical channels are found and taken as the mono mix they are");
    cs_call_config_default(&cfg, 8000, 2);
    run_result u;
    run(twice, n, &cfg, 333, &u);
    CHECK_INT(u.finish_err, CS_OK);
    CHECK_INT(u.res.upmixed, 1);
    CHECK_INT(u.res.diarized, 1);
    CHECK_INT(u.res.speaker_channel[CS_AGENT], 0);
    CHECK_INT(u.res.speaker_channel[CS_CUSTOMER], 0);
    CHECK_NEAR(u.res.summary.speaker[CS_AGENT].talk_s, m.res.summary.speaker[CS_AGENT].talk_s, 0.2);
    CHECK(u.report.s && strstr(u.report.s, "the two channels are identical (a mono mix)"));

    check_case("without detect_upmix they are two channels");
    cfg.detect_upmix = 0;
    run_result plain;
    run(twice, n, &cfg, 4096, &plain);
    CHECK_INT(plain.finish_err, CS_OK);
    CHECK_INT(plain.res.upmixed, 0);
    CHECK_INT(plain.res.diarized, 0);

    check_case("a mono recording taken as one speaker");
    cs_call_config_default(&cfg, 8000, 1);
    cfg.input.diarize = 0;
    cfg.input.speaker_channel[CS_CUSTOMER] = -1;
    cs_call *call;
    CHECK_INT(cs_call_open(&call, &cfg), CS_OK);
    CHECK_INT(cs_call_push(call, mono, n), CS_OK);
    CHECK_INT(cs_call_finish(call), CS_OK);
    CHECK(cs_call_source_note(call) && strstr(cs_call_source_note(call), "single speaker"));
    cs_call_results r;
    cs_call_get_results(call, &r);
    CHECK_INT(r.two_party, 0);
    cs_call_close(call);
    run_free(&m);
    run_free(&u);
    run_free(&plain);
    free(twice);
    free(mono);
}

static void test_clipped_and_bad_samples(const float *x, size_t n)
{
    check_case("a mostly clipped channel: CS_ECLIPPED, the analysis kept but not scored");
    float *loud = malloc(2 * n * sizeof *loud);
    if (!loud)
        exit(2);
    for (size_t i = 0; i < n; i++) {
        loud[2 * i] = x[2 * i];
        loud[2 * i + 1] = x[2 * i + 1] * 1000.0f > 1 ? 1 : x[2 * i + 1] * 1000.0f < -1 ? -1 : x[2 * i + 1] * 1000.0f;
    }
    cs_call_config cfg;
    cs_call_config_default(&cfg, 8000, 2);
    cs_call *call;
    CHECK_INT(cs_call_open(&call, &cfg), CS_OK);
    CHECK_INT(cs_call_push(call, loud, n), CS_OK);
    CHECK_INT(cs_call_finish(call), CS_ECLIPPED);
    cs_call_results r;
    CHECK_INT(cs_call_get_results(call, &r), CS_OK);
    CHECK_INT(r.clipped_speaker, CS_CUSTOMER);
    CHECK(r.summary.speaker[CS_CUSTOMER].clipped_fraction > 0.05);
    CHECK(isnan(r.score));
    CHECK_INT(r.track_points, 0);
    CHECK_INT(cs_call_segments_begin(call), CS_OK);
    text t = {0};
    cs_report_source src = {"x", "x", NULL, 0, NULL, NAN, NAN, NULL};
    CHECK_INT(cs_call_write_report(call, &src, append_text, &t), CS_ESTATE);
    free(t.s);
    CHECK_INT(cs_call_finish(call), CS_ESTATE);
    cs_call_close(call);
    free(loud);

    check_case("a NaN sample ends the call with CS_ENONFINITE");
    float bad[2 * 100];
    memcpy(bad, x, sizeof bad);
    bad[2 * 50 + 1] = NAN;
    cfg.detect_upmix = 0;
    CHECK_INT(cs_call_open(&call, &cfg), CS_OK);
    CHECK_INT(cs_call_push(call, bad, 100), CS_ENONFINITE);
    CHECK_INT(cs_call_push(call, x, 10), CS_ENONFINITE);
    CHECK_INT(cs_call_finish(call), CS_ENONFINITE);
    cs_call_close(call);
}

static void test_bad_arguments(void)
{
    cs_call_config cfg;
    cs_call_config_default(&cfg, 8000, 2);
    cs_call *call = (cs_call *)&cfg;

    check_case("cs_call_open refuses what cs_open refuses, leaving the handle NULL");
    CHECK_INT(cs_call_open(NULL, &cfg), CS_EINVAL);
    CHECK_INT(cs_call_open(&call, NULL), CS_EINVAL);
    CHECK(call == NULL);
    cs_call_config bad = cfg;
    bad.input.sample_rate_hz = 4000;
    call = (cs_call *)&cfg;
    CHECK_INT(cs_call_open(&call, &bad), CS_ERATE);
    CHECK(call == NULL);
    bad = cfg;
    bad.input.channels = 0;
    CHECK_INT(cs_call_open(&call, &bad), CS_ECHANNELS);
    bad = cfg;
    bad.input.speaker_channel[CS_CUSTOMER] = 5;
    CHECK_INT(cs_call_open(&call, &bad), CS_ECHANNELS);
    cs_profile prof;
    cs_profile_default(&prof);
    prof.value[cs_profile_find("segment.bridge_s")] = -3;
    bad = cfg;
    bad.profile = &prof;
    CHECK_INT(cs_call_open(&call, &bad), CS_EPROFILE);
    CHECK(call == NULL);

    check_case("a store without all its functions, a baseline with no speech");
    test_store ts;
    memset(&ts, 0, sizeof ts);
    cs_store store = store_of(&ts);
    store.clear = NULL;
    bad = cfg;
    bad.store = &store;
    CHECK_INT(cs_call_open(&call, &bad), CS_EINVAL);
    cs_baseline empty;
    memset(&empty, 0, sizeof empty);
    bad = cfg;
    bad.agent_baseline = &empty;
    CHECK_INT(cs_call_open(&call, &bad), CS_EINVAL);
    CHECK(call == NULL);

    check_case("live frames and a mono mix to separate do not go together");
    cs_call_config_default(&bad, 8000, 1);
    watch w = {0};
    cs_call_observer obs = {&w, NULL, NULL, on_live_frame};
    bad.observer = &obs;
    CHECK_INT(cs_call_open(&call, &bad), CS_EINVAL);

    check_case("NULL arguments and calls before the end");
    CHECK_INT(cs_call_open(&call, &cfg), CS_OK);
    CHECK_INT(cs_call_push(NULL, NULL, 0), CS_EINVAL);
    CHECK_INT(cs_call_push(call, NULL, 5), CS_EINVAL);
    CHECK_INT(cs_call_push(call, NULL, 0), CS_OK);
    CHECK_INT(cs_call_finish(NULL), CS_EINVAL);
    cs_call_results res;
    CHECK_INT(cs_call_get_results(call, &res), CS_ESTATE);
    CHECK_INT(cs_call_get_results(call, NULL), CS_EINVAL);
    CHECK_INT(cs_call_get_results(NULL, &res), CS_EINVAL);
    CHECK_INT(cs_call_segments_begin(call), CS_ESTATE);
    CHECK_INT(cs_call_events_begin(call), CS_ESTATE);
    CHECK_INT(cs_call_flags_begin(call), CS_ESTATE);
    CHECK_INT(cs_call_tracks_begin(call, 0), CS_ESTATE);
    CHECK_INT(cs_call_segments_begin(NULL), CS_EINVAL);
    cs_event ev;
    CHECK_INT(cs_call_events_next(call, NULL), CS_EINVAL);
    CHECK_INT(cs_call_events_next(call, &ev), CS_ESTATE);
    cs_flag top[2];
    CHECK_INT(cs_call_top_flags(call, 0, top, 2), CS_ESTATE);
    CHECK_INT(cs_call_top_flags(call, 0, NULL, 2), CS_EINVAL);
    CHECK_INT(cs_call_learn(call, NULL), CS_EINVAL);
    CHECK(cs_call_source_note(call) == NULL);
    CHECK(cs_call_doubt_note(NULL) == NULL);
    text t = {0};
    cs_report_source src = {"x", "x", NULL, 0, NULL, NAN, NAN, NULL};
    CHECK_INT(cs_call_write_report(call, &src, append_text, &t), CS_ESTATE);
    CHECK_INT(cs_call_write_report(call, NULL, append_text, &t), CS_EINVAL);
    CHECK_INT(cs_call_write_report(call, &src, NULL, &t), CS_EINVAL);
    CHECK(cs_call_analyzer(NULL) == NULL);
    cs_call_close(call);
    cs_call_close(NULL);
    cs_call_config_default(NULL, 8000, 2);

    check_case("names and error texts");
    CHECK_INT(cs_speaker_find("agent"), CS_AGENT);
    CHECK_INT(cs_speaker_find("customer"), CS_CUSTOMER);
    CHECK_INT(cs_speaker_find("nobody"), CS_EINVAL);
    CHECK_INT(cs_speaker_find(NULL), CS_EINVAL);
    static const int codes[] = {CS_ESTORE, CS_EWRITE, CS_ECALLBACK, CS_ECLIPPED};
    for (size_t i = 0; i < sizeof codes / sizeof *codes; i++)
        CHECK(strcmp(cs_strerror(codes[i]), cs_strerror(-99)) != 0);
}

int main(void)
{
    check_begin("test_call");
    uint64_t seed = check_seed(1);
    cg_call c;
    sc_everything(&c, 8000, seed);
    size_t n;
    float *x = render(&c, &n);
    test_known_answers(x, n);
    test_same_report(x, n);
    test_failing_store(x, n);
    test_observer(x, n);
    test_mono_and_upmix(x, n);
    test_clipped_and_bad_samples(x, n);
    test_bad_arguments();
    free(x);
    cg_call_free(&c);
    return check_end();
}
