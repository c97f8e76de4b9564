/*
 * The tone scorer on hand-made voice frames (0.5 s each at 8 kHz, the
 * default tracks.hop_s), so every input is exact: a calm speaker scores near
 * the model's baseline arousal and raises nothing; each voice flag fires on
 * the stretch the metrics define and not on a shorter or milder one;
 * escalation needs both parties rising within escalation.window_s; a stored
 * baseline overrides the learnt one; live (running) baselines start after
 * tone.baseline_min_speech_s; the model's text form and formula; and every
 * call out of order or with a bad argument is refused.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callgen.h"
#include "callscope/callscope.h"
#include "check.h"
#include "runcall.h"

#define RATE 8000
#define FRAME_S 0.5
#define FRAME ((int64_t)(FRAME_S * RATE))
#define MAX_FLAGS 64

static uint64_t seed;

/* ---- hand-made calls ---------------------------------------------------- */

/* Each speaker's usual voice. The range of every frame is 4 st (its 10th
 * to 90th percentile of f0); pace 4 syllables a second, i.e. 2 a frame. */
typedef struct voice_base {
    double pitch_hz, level_db, high_db;
} voice_base;

static const voice_base usual[CS_MAX_SPEAKERS] = {
    {120.0, -20.0, -12.0}, /* agent */
    {210.0, -24.0, -10.0}, /* customer */
};

#define FRAME_RANGE_ST 4.0
#define USUAL_SYLLABLES 2
#define USUAL_VOICED 0.8 /* share of the speech with a pitch */

/* Frame-to-frame wobble of a calm voice. Small enough that a window
 * holding a single frame of a +9 dB stretch stays under raised_voice.db,
 * so the flags' edges are the stretches' edges. */
#define JITTER_ST 0.5
#define JITTER_DB 0.5

typedef struct call {
    cs_frame *fr;
    int n;
} call;

static void set_voice(cs_voice *v, double pitch_hz, double level_db, double high_db, int syllables)
{
    v->speech_s = FRAME_S;
    v->voiced_s = USUAL_VOICED * FRAME_S;
    v->articulation_s = FRAME_S; /* inside a long stretch of talk, no spurt edge */
    v->pitch_hz = pitch_hz;
    v->pitch_lo_hz = pitch_hz * exp2(-FRAME_RANGE_ST / 24);
    v->pitch_hi_hz = pitch_hz * exp2(FRAME_RANGE_ST / 24);
    v->level_db = level_db;
    v->high_band_db = high_db;
    v->syllables = syllables;
}

static void set_silent(cs_voice *v)
{
    memset(v, 0, sizeof *v);
    v->pitch_hz = v->pitch_lo_hz = v->pitch_hi_hz = v->level_db = v->high_band_db = NAN;
}

/* A call of duration_s with both parties at their usual voice throughout
 * (each on their own channel), wobbling a little. */
static call call_new(double duration_s, uint64_t salt)
{
    call c;
    c.n = (int)lround(duration_s / FRAME_S);
    c.fr = calloc((size_t)c.n, sizeof *c.fr);
    if (!c.fr) {
        fprintf(stderr, "test_tone: out of memory\n");
        exit(2);
    }
    uint64_t rng = cg_seed_mix(seed, salt);
    for (int i = 0; i < c.n; i++) {
        c.fr[i].start = i * FRAME;
        c.fr[i].end = (i + 1) * FRAME;
        for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
            double p = usual[s].pitch_hz * exp2(cg_rand_range(&rng, -JITTER_ST, JITTER_ST) / 12);
            double l = usual[s].level_db + cg_rand_range(&rng, -JITTER_DB, JITTER_DB);
            double h = usual[s].high_db + cg_rand_range(&rng, -JITTER_DB, JITTER_DB);
            set_voice(&c.fr[i].speaker[s], p, l, h, USUAL_SYLLABLES);
        }
    }
    return c;
}

static void call_free(call *c)
{
    free(c->fr);
    c->fr = NULL;
    c->n = 0;
}

static int frame_of(double t_s) { return (int)lround(t_s / FRAME_S); }

/* Shift a speaker's voice over [from_s, to_s): pitch in semitones, level and
 * high-band share in dB. */
static void shift(call *c, int s, double from_s, double to_s, double pitch_st, double level_db, double high_db)
{
    for (int i = frame_of(from_s); i < frame_of(to_s) && i < c->n; i++) {
        cs_voice *v = &c->fr[i].speaker[s];
        double k = exp2(pitch_st / 12);
        v->pitch_hz *= k;
        v->pitch_lo_hz *= k;
        v->pitch_hi_hz *= k;
        v->level_db += level_db;
        v->high_band_db += high_db;
    }
}

/* The agent under stress, as the model's provenance describes an agitated
 * voice against a calm one: higher, louder, brighter. */
#define TENSE_PITCH_ST 4.0
#define TENSE_LEVEL_DB 8.0
#define TENSE_HIGH_DB 4.0

static void tense(call *c, int s, double from_s, double to_s)
{
    shift(c, s, from_s, to_s, TENSE_PITCH_ST, TENSE_LEVEL_DB, TENSE_HIGH_DB);
}

/* Syllables per frame over [from_s, to_s) cycling through a pattern. */
static void syllables(call *c, int s, double from_s, double to_s, const int *pattern, int len)
{
    for (int i = frame_of(from_s), j = 0; i < frame_of(to_s) && i < c->n; i++, j++)
        c->fr[i].speaker[s].syllables = pattern[j % len];
}

static double sec(int64_t sample) { return (double)sample / RATE; }

/* ---- scoring ------------------------------------------------------------- */

typedef struct scored {
    cs_tone_frame *tf;
    int ntf, cap, extra; /* extra: frames beyond cap (there should be none) */
    cs_flag flag[MAX_FLAGS];
    int nflags;
    double mean_arousal[CS_MAX_SPEAKERS];
    cs_baseline base[CS_MAX_SPEAKERS];
    int err;
} scored;

typedef struct run_opts {
    int learn;                   /* batch: learn the call first */
    const cs_baseline *agent;    /* stored agent baseline, or NULL */
    int running;                 /* tone.running */
} run_opts;

static void collect(cs_tone *t, scored *o)
{
    cs_tone_frame tf;
    cs_flag f;
    int got;
    while ((got = cs_tone_pull(t, &tf)) > 0) {
        if (o->ntf < o->cap)
            o->tf[o->ntf++] = tf;
        else
            o->extra++;
    }
    if (got < 0 && o->err == CS_OK)
        o->err = got;
    while ((got = cs_tone_pull_flag(t, &f)) > 0)
        if (o->nflags < MAX_FLAGS)
            o->flag[o->nflags++] = f;
    if (got < 0 && o->err == CS_OK)
        o->err = got;
}

/* Score a call in batch (learn the call, then push the same frames) or
 * live (push only), pulling after every push, as the header describes. Also checks the
 * scorer's output contract: every frame comes back once, in order, no later
 * than half the widest analysis window after it went in. */
static int score(const call *c, const run_opts *opt, scored *o)
{
    memset(o, 0, sizeof *o);
    o->cap = c->n;
    o->tf = calloc((size_t)o->cap + 1, sizeof *o->tf);
    if (!o->tf)
        exit(2);
    cs_profile prof;
    cs_profile_default(&prof);
    int err = opt->running ? cs_profile_set(&prof, "tone.running", "1") : CS_OK;
    cs_tone_model model;
    cs_tone_model_default(&model);
    cs_tone *t = NULL;
    if (err >= 0)
        err = cs_tone_open(&t, &prof, &model, RATE);
    if (!CHECK_INT(err, CS_OK))
        return o->err = err;
    for (int i = 0; opt->learn && i < c->n && err >= 0; i++)
        err = cs_tone_learn(t, &c->fr[i]);
    if (opt->learn && err >= 0)
        err = cs_tone_learn_end(t);
    if (opt->agent && err >= 0)
        err = cs_tone_set_baseline(t, CS_AGENT, opt->agent);
    double widest = fmax(rc_default_value("tone.window_s"), rc_default_value("pace.window_s"));
    int lag = (int)ceil(widest / 2 / FRAME_S) + 1, late = 0;
    for (int i = 0; i < c->n && err >= 0; i++) {
        err = cs_tone_push(t, &c->fr[i]);
        collect(t, o);
        late += o->ntf < i + 1 - lag;
    }
    if (err >= 0)
        err = cs_tone_finish(t);
    collect(t, o);
    if (err < 0 && o->err == CS_OK)
        o->err = err;
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        o->mean_arousal[s] = cs_tone_mean_arousal(t, s);
        cs_tone_baseline(t, s, &o->base[s]);
    }
    cs_tone_close(t);

    CHECK_INT(o->err, CS_OK);
    CHECK_INT(o->ntf, c->n);
    CHECK_INT(o->extra, 0);
    CHECK_INT(late, 0);
    int in_order = 1;
    for (int i = 0; i < o->ntf && i < c->n; i++)
        in_order = in_order && o->tf[i].frame.start == c->fr[i].start && o->tf[i].frame.end == c->fr[i].end;
    CHECK(in_order);
    int sane = 1;
    for (int i = 0; i < o->nflags; i++) {
        const cs_flag *f = &o->flag[i];
        sane = sane && f->start < f->end && f->start >= 0 && f->end <= c->n * FRAME && f->severity >= 0 &&
               f->severity <= 1 && f->speaker == CS_AGENT;
    }
    CHECK(sane);
    return o->err;
}

static void scored_free(scored *o) { free(o->tf); }

static int count_flags(const scored *o, cs_flag_kind kind)
{
    int n = 0;
    for (int i = 0; i < o->nflags; i++)
        n += o->flag[i].kind == kind;
    return n;
}

static const cs_flag *first_flag(const scored *o, cs_flag_kind kind)
{
    for (int i = 0; i < o->nflags; i++)
        if (o->flag[i].kind == kind)
            return &o->flag[i];
    return NULL;
}

static void dump(const scored *o, const char *title, double from_s, double to_s)
{
    printf("    --- %s: %d flags\n", title, o->nflags);
    for (int i = 0; i < o->nflags; i++)
        printf("    flag %s %s %.2f-%.2f severity %.2f\n", cs_flag_kind_name(o->flag[i].kind),
               cs_speaker_name(o->flag[i].speaker), sec(o->flag[i].start), sec(o->flag[i].end), o->flag[i].severity);
    for (int i = 0; i < o->ntf; i++) {
        const cs_tone_frame *f = &o->tf[i];
        if (sec(f->frame.end) < from_s || sec(f->frame.start) > to_s)
            continue;
        printf("    %6.2f agent arousal %.3f pace %.2f [p %.2f r %.2f l %.2f h %.2f] customer arousal %.3f\n",
               sec(f->frame.start), f->arousal[CS_AGENT], f->pace_syl_per_s[CS_AGENT], f->feature[CS_AGENT][0],
               f->feature[CS_AGENT][1], f->feature[CS_AGENT][2], f->feature[CS_AGENT][3], f->arousal[CS_CUSTOMER]);
    }
}

/* One flag of the kind, its edges within tol_s of the stretch's. */
static void expect_flag(const scored *o, cs_flag_kind kind, double from_s, double to_s, double tol_s)
{
    if (!CHECK_INT(count_flags(o, kind), 1)) {
        printf("    (%s flags)\n", cs_flag_kind_name(kind));
        return;
    }
    const cs_flag *f = first_flag(o, kind);
    CHECK_NEAR(sec(f->start), from_s, tol_s);
    CHECK_NEAR(sec(f->end), to_s, tol_s);
}

/* ---- cases ---------------------------------------------------------------- */

static const run_opts batch = {1, NULL, 0};

static void calm_call(void)
{
    check_case("a calm call: low arousal, no flags, the usual voice as baseline");
    int failed = check_failures();
    call c = call_new(60, 1);
    /* the customer listens for a while: nothing to score there */
    for (int i = frame_of(30); i < frame_of(40); i++)
        set_silent(&c.fr[i].speaker[CS_CUSTOMER]);
    scored o;
    score(&c, &batch, &o);
    CHECK_INT(o.nflags, 0);
    int scored_frames = 0, calm = 1, quiet_unscored = 1;
    for (int i = 0; i < o.ntf; i++)
        for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
            double a = o.tf[i].arousal[s];
            if (!(c.fr[i].speaker[s].speech_s > 0)) {
                quiet_unscored = quiet_unscored && isnan(a) && isnan(o.tf[i].pace_syl_per_s[s]);
                continue;
            }
            scored_frames += isfinite(a);
            calm = calm && isfinite(a) && a < 0.3;
        }
    CHECK_INT(scored_frames, 2 * c.n - (frame_of(40) - frame_of(30)));
    CHECK(calm);
    CHECK(quiet_unscored);
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        CHECK_LESS(o.mean_arousal[s], 0.3);
        /* the baseline is the usual voice, give or take its wobble */
        double talk = 0;
        for (int i = 0; i < c.n; i++)
            talk += c.fr[i].speaker[s].speech_s;
        CHECK_NEAR(o.base[s].speech_s, talk, FRAME_S);
        CHECK_NEAR(12 * log2(o.base[s].pitch_hz / usual[s].pitch_hz), 0.0, JITTER_ST);
        CHECK_NEAR(o.base[s].level_db, usual[s].level_db, JITTER_DB);
        CHECK_NEAR(o.base[s].high_band_db, usual[s].high_db, JITTER_DB);
        CHECK_NEAR(o.base[s].pace_syl_per_s, USUAL_SYLLABLES / FRAME_S, 0.05);
        /* pooled over a window, the spread is a frame's range widened by
         * at most the wobble of the frames' centres */
        CHECK(o.base[s].pitch_range_st >= FRAME_RANGE_ST - 0.05 &&
              o.base[s].pitch_range_st <= FRAME_RANGE_ST + 2 * JITTER_ST + 0.05);
    }
    if (check_failures() > failed)
        dump(&o, "calm call", 0, 5);
    scored_free(&o);
    call_free(&c);
}

/* raised_voice: the agent's level raised_voice.db (6) or more over baseline
 * for raised_voice.min_s (2 s) or more. */
static void raised_voice(void)
{
    static const struct {
        double dur_s;
        int flags;
    } cases[] = {{4.0, 1}, {1.5, 0}, {10.0, 1}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char name[128];
        snprintf(name, sizeof name, "agent +9 dB for %.1f s", cases[k].dur_s);
        check_case(name);
        int failed = check_failures();
        call c = call_new(60, 10 + k);
        shift(&c, CS_AGENT, 20, 20 + cases[k].dur_s, 0, 9, 0);
        scored o;
        score(&c, &batch, &o);
        /* +9 dB alone is not tense, and the customer is calm */
        CHECK_INT(o.nflags, cases[k].flags);
        if (cases[k].flags)
            expect_flag(&o, CS_FLAG_RAISED_VOICE, 20, 20 + cases[k].dur_s, FRAME_S);
        if (check_failures() > failed)
            dump(&o, name, 18, 22 + cases[k].dur_s);
        scored_free(&o);
        call_free(&c);
    }
}

/* tense_tone: arousal above tense.arousal (0.7) for tense.min_s (3 s). */
static void tense_tone(void)
{
    cs_tone_model model;
    cs_tone_model_default(&model);
    const double proto[CS_TONE_FEATURES] = {TENSE_PITCH_ST, 0, TENSE_LEVEL_DB, TENSE_HIGH_DB, 0};
    const double want = cs_tone_model_apply(&model, proto);

    check_case("agent +4 st, +8 dB, +4 dB high band for 4 s");
    int failed = check_failures();
    call c = call_new(60, 20);
    tense(&c, CS_AGENT, 20, 24);
    scored o;
    score(&c, &batch, &o);
    CHECK(want > rc_default_value("tense.arousal"));
    /* frames whose whole tone window lies inside the stretch */
    double half = rc_default_value("tone.window_s") / 2;
    int inside = 0, hot = 0, features = 0;
    for (int i = 0; i < o.ntf; i++) {
        const cs_tone_frame *f = &o.tf[i];
        if (sec(f->frame.start) < 20 + half - FRAME_S / 2 || sec(f->frame.end) > 24 - half + FRAME_S / 2)
            continue;
        inside++;
        hot += f->arousal[CS_AGENT] > rc_default_value("tense.arousal");
        /* each feature off by at most the wobble of the window and of the
         * baseline; the pace unchanged (to a bin of the baseline's
         * histogram); together that moves the arousal by under 0.1 */
        const double *d = f->feature[CS_AGENT];
        features += fabs(d[CS_TONE_PITCH] - TENSE_PITCH_ST) <= 2 * JITTER_ST &&
                    fabs(d[CS_TONE_LEVEL] - TENSE_LEVEL_DB) <= 2 * JITTER_DB &&
                    fabs(d[CS_TONE_HIGH_BAND] - TENSE_HIGH_DB) <= 2 * JITTER_DB &&
                    fabs(d[CS_TONE_PACE]) < 0.1 && fabs(f->arousal[CS_AGENT] - want) < 0.1;
    }
    CHECK(inside >= 4);
    CHECK_INT(hot, inside);
    CHECK_INT(features, inside);
    expect_flag(&o, CS_FLAG_TENSE_TONE, 20, 24, FRAME_S);
    /* +8 dB for 4 s is also a raised voice; nothing else */
    expect_flag(&o, CS_FLAG_RAISED_VOICE, 20, 24, FRAME_S);
    CHECK_INT(o.nflags, 2);
    if (check_failures() > failed)
        dump(&o, "tense 4 s", 18, 26);
    scored_free(&o);
    call_free(&c);

    check_case("the same voice for 2.5 s: under tense.min_s");
    failed = check_failures();
    c = call_new(60, 21);
    tense(&c, CS_AGENT, 20, 22.5);
    score(&c, &batch, &o);
    CHECK_INT(count_flags(&o, CS_FLAG_TENSE_TONE), 0);
    if (check_failures() > failed)
        dump(&o, "tense 2.5 s", 18, 25);
    scored_free(&o);
    call_free(&c);
}

/* fast_pace: articulation rate fast_pace.rel (15 %) over baseline, or over
 * fast_pace.syl_per_s, for fast_pace.min_s (10 s). The local rate is taken
 * over pace.window_s, so a stretch shows up to half that early and late. */
static void fast_pace(void)
{
    static const int fast[] = {3, 3, 3, 4}; /* 13 in 2 s: 6.5 a second */
    static const struct {
        double dur_s;
        int flags;
    } cases[] = {{12.0, 1}, {5.0, 0}};
    double smear = rc_default_value("pace.window_s") / 2;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char name[128];
        snprintf(name, sizeof name, "agent at 6.5 syllables a second (usual 4.0) for %.0f s", cases[k].dur_s);
        check_case(name);
        int failed = check_failures();
        call c = call_new(80, 30 + k);
        syllables(&c, CS_AGENT, 30, 30 + cases[k].dur_s, fast, 4);
        scored o;
        score(&c, &batch, &o);
        CHECK_NEAR(o.base[CS_AGENT].pace_syl_per_s, USUAL_SYLLABLES / FRAME_S, 0.05);
        CHECK_INT(o.nflags, cases[k].flags);
        if (cases[k].flags)
            expect_flag(&o, CS_FLAG_FAST_PACE, 30, 30 + cases[k].dur_s, smear + FRAME_S);
        /* in the middle of the stretch the local rate is the true one */
        int i = frame_of(30 + cases[k].dur_s / 2);
        CHECK_NEAR(o.tf[i].pace_syl_per_s[CS_AGENT], 6.5, 6.5 * 0.1);
        if (check_failures() > failed)
            dump(&o, name, 26, 36 + cases[k].dur_s);
        scored_free(&o);
        call_free(&c);
    }
}

/* The two talking at once over [from_s, to_s): the conflict escalation asks for. */
static void talk_over(call *c, double from_s, double to_s)
{
    for (int i = frame_of(from_s); i < frame_of(to_s) && i < c->n; i++)
        c->fr[i].overtalk_s = FRAME_S;
}

/* Speaker s laughing through [from_s, to_s): what laughter detection marks. */
static void laugh(call *c, int s, double from_s, double to_s)
{
    for (int i = frame_of(from_s); i < frame_of(to_s) && i < c->n; i++) {
        c->fr[i].speaker[s].laughter_s = c->fr[i].speaker[s].speech_s;
        c->fr[i].overtalk_s = 0; /* talking together while laughing is no conflict */
    }
}

/* escalation: the customer's arousal rising and the agent's rising with it
 * within escalation.window_s (30 s), while they talk over each other
 * (escalation.overtalk_s) and neither laughs. */
static void escalation(void)
{
    double window = rc_default_value("escalation.window_s");
    static const struct {
        const char *name;
        double customer_from, customer_to, agent_from, agent_to; /* 0, 0: stays calm */
        double overtalk_s;  /* talking over each other from agent_from on */
        int laughing;       /* both laugh through the agent's stretch */
        int flags;
    } cases[] = {
        {"both rise together at 40 s, talking over each other", 40, 55, 40, 55, 4, 0, 1},
        {"the customer rises at 40 s, the agent follows 10 s later, talking over them", 40, 60, 50, 60, 4, 0, 1},
        {"the customer alone rises", 40, 55, 0, 0, 0, 0, 0},
        {"the agent alone rises", 0, 0, 40, 55, 4, 0, 0},
        {"the customer rises at 20 s and stays up, the agent rises 40 s later", 20, 85, 60, 75, 4, 0, 0},
        {"both rise together at 40 s, taking turns: no conflict", 40, 55, 40, 55, 0, 0, 0},
        {"both rise together at 40 s, briefly talking over each other", 40, 55, 40, 55, 1, 0, 0},
        {"both rise together at 40 s, laughing together", 40, 55, 40, 55, 4, 1, 0},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        check_case(cases[k].name);
        int failed = check_failures();
        call c = call_new(100, 40 + k);
        if (cases[k].customer_to > 0)
            tense(&c, CS_CUSTOMER, cases[k].customer_from, cases[k].customer_to);
        if (cases[k].agent_to > 0)
            tense(&c, CS_AGENT, cases[k].agent_from, cases[k].agent_to);
        if (cases[k].overtalk_s > 0)
            talk_over(&c, cases[k].agent_from, cases[k].agent_from + cases[k].overtalk_s);
        if (cases[k].laughing)
            for (int s = 0; s < CS_MAX_SPEAKERS; s++)
                laugh(&c, s, cases[k].agent_from, cases[k].agent_to);
        scored o;
        score(&c, &batch, &o);
        CHECK_INT(count_flags(&o, CS_FLAG_ESCALATION), cases[k].flags);
        const cs_flag *f = first_flag(&o, CS_FLAG_ESCALATION);
        if (f && cases[k].flags) {
            /* it begins where the agent's rise began (at most a window
             * back) and is under way while both are up */
            CHECK(sec(f->start) >= cases[k].agent_from - window && sec(f->start) <= cases[k].agent_from + FRAME_S);
            CHECK(sec(f->end) > cases[k].agent_from);
        }
        if (cases[k].agent_to == 0 || cases[k].laughing)
            CHECK_INT(o.nflags, 0); /* the customer's agitation is context; laughter is not tension */
        if (check_failures() > failed)
            dump(&o, cases[k].name, 35, 65);
        scored_free(&o);
        call_free(&c);
    }
}

/* Laughter pauses raised_voice and tense_tone: a loud, high, bright voice
 * that is laughing is neither raised nor tense. */
static void laughter_is_not_tension(void)
{
    static const struct {
        const char *name;
        double laugh_from, laugh_to;
        int flags;
    } cases[] = {
        {"the agent tense for 6 s, not laughing", 0, 0, 2},
        {"the agent's voice as tense for 6 s, all of it laughter", 20, 26, 0},
        {"the agent tense for 6 s, laughing for 1 s of it", 22, 23, 2},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        check_case(cases[k].name);
        int failed = check_failures();
        call c = call_new(60, 80 + k);
        tense(&c, CS_AGENT, 20, 26);
        if (cases[k].laugh_to > 0)
            laugh(&c, CS_AGENT, cases[k].laugh_from, cases[k].laugh_to);
        scored o;
        score(&c, &batch, &o);
        CHECK_INT(o.nflags, cases[k].flags);
        if (cases[k].flags) {
            expect_flag(&o, CS_FLAG_TENSE_TONE, 20, 26, FRAME_S);
            expect_flag(&o, CS_FLAG_RAISED_VOICE, 20, 26, FRAME_S);
        }
        if (check_failures() > failed)
            dump(&o, cases[k].name, 18, 28);
        scored_free(&o);
        call_free(&c);
    }
}

/* A stored baseline (the agent's usual voice across calls) wins over what
 * the call itself teaches: an agent loud throughout this call is loud
 * against it, though not against the call's own median. */
static void stored_baseline(void)
{
    cs_baseline quiet = {.speech_s = 600,
                         .pitch_hz = usual[CS_AGENT].pitch_hz,
                         .pitch_range_st = FRAME_RANGE_ST,
                         .level_db = usual[CS_AGENT].level_db,
                         .high_band_db = usual[CS_AGENT].high_db,
                         .pace_syl_per_s = USUAL_SYLLABLES / FRAME_S,
                         .aperiodic_pct = 100 * (1 - USUAL_VOICED)};
    call c = call_new(40, 50);
    shift(&c, CS_AGENT, 0, 40, 0, 10, 0);
    scored o;

    check_case("loud throughout, baseline learnt from the call: nothing");
    score(&c, &batch, &o);
    CHECK_INT(o.nflags, 0);
    CHECK_NEAR(o.base[CS_AGENT].level_db, usual[CS_AGENT].level_db + 10, JITTER_DB);
    scored_free(&o);

    check_case("loud throughout, learnt and then a stored quieter baseline");
    run_opts learn_then_set = {1, &quiet, 0};
    score(&c, &learn_then_set, &o);
    expect_flag(&o, CS_FLAG_RAISED_VOICE, 0, 40, FRAME_S);
    CHECK_INT(o.nflags, 1);
    CHECK_NEAR(o.base[CS_AGENT].level_db, quiet.level_db, 0.0);
    CHECK_NEAR(o.base[CS_AGENT].speech_s, quiet.speech_s, 0.0);
    scored_free(&o);

    check_case("loud throughout, only a stored quieter baseline (scored at once)");
    run_opts set_only = {0, &quiet, 0};
    score(&c, &set_only, &o);
    expect_flag(&o, CS_FLAG_RAISED_VOICE, 0, 40, FRAME_S);
    CHECK(isfinite(o.tf[0].arousal[CS_AGENT]));
    CHECK(isnan(o.tf[0].arousal[CS_CUSTOMER])); /* no baseline for the customer */
    scored_free(&o);
    call_free(&c);
}

/* Live use: baselines learnt while scoring, a speaker scored once
 * tone.baseline_min_speech_s of their speech has been heard. */
static void running_baseline(void)
{
    check_case("running baseline: scoring starts after 20 s of speech");
    int failed = check_failures();
    double need = rc_default_value("tone.baseline_min_speech_s");
    double lookahead = fmax(rc_default_value("tone.window_s"), rc_default_value("pace.window_s")) / 2;
    call c = call_new(60, 60);
    shift(&c, CS_AGENT, 40, 44, 0, 9, 0);
    run_opts live = {0, NULL, 1};
    scored o;
    score(&c, &live, &o);
    int first = -1;
    for (int i = 0; i < o.ntf && first < 0; i++)
        if (isfinite(o.tf[i].arousal[CS_AGENT]))
            first = i;
    CHECK(first >= 0);
    if (first >= 0) {
        /* heard = pushed, which runs ahead of the frame scored */
        CHECK(sec(o.tf[first].frame.end) >= need - lookahead);
        CHECK(sec(o.tf[first].frame.start) <= need + FRAME_S);
    }
    int scored_after = 1;
    for (int i = first < 0 ? o.ntf : first; i < o.ntf; i++)
        scored_after = scored_after && isfinite(o.tf[i].arousal[CS_AGENT]);
    CHECK(scored_after);
    expect_flag(&o, CS_FLAG_RAISED_VOICE, 40, 44, FRAME_S);
    CHECK_INT(o.nflags, 1);
    if (check_failures() > failed)
        dump(&o, "running", 15, 25);
    scored_free(&o);
    call_free(&c);
}

/* ---- the model ------------------------------------------------------------ */

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1 << 16);
    size_t n = buf ? fread(buf, 1, (1 << 16) - 1, f) : 0;
    fclose(f);
    if (buf)
        buf[n] = '\0';
    return buf;
}

static int same_model(const cs_tone_model *a, const cs_tone_model *b)
{
    int same = strcmp(a->name, b->name) == 0 && a->bias == b->bias;
    for (int i = 0; i < CS_TONE_FEATURES; i++)
        same = same && a->weight[i] == b->weight[i] && a->limit[i] == b->limit[i];
    return same;
}

static void model_text(void)
{
    cs_tone_model def, m;
    cs_tone_model_default(&def);
    int line;

    check_case("models/tone.model parses to the built-in model");
    char *text = read_text("models/tone.model");
    if (CHECK(text != NULL)) {
        memset(&m, 0, sizeof m);
        line = -1;
        CHECK_INT(cs_tone_model_parse(&m, text, &line), CS_OK);
        CHECK(same_model(&m, &def));
        CHECK(def.bias < 0 && def.name[0] != '\0');
        /* every feature but laughter raises the tension */
        for (int i = 0; i < CS_TONE_FEATURES; i++)
            CHECK((i == CS_TONE_LAUGHTER ? def.weight[i] < 0 : def.weight[i] > 0) && def.limit[i] > 0);
    }
    free(text);

    check_case("model text on top of a model");
    m = def;
    CHECK_INT(cs_tone_model_parse(&m, "# refit\n\nname = mine\npitch = 0.5\n  limit.level=3  # dB\n", NULL), CS_OK);
    CHECK_STR(m.name, "mine");
    CHECK_NEAR(m.weight[CS_TONE_PITCH], 0.5, 0.0);
    CHECK_NEAR(m.limit[CS_TONE_LEVEL], 3.0, 0.0);
    CHECK_NEAR(m.bias, def.bias, 0.0);
    CHECK_NEAR(m.weight[CS_TONE_LEVEL], def.weight[CS_TONE_LEVEL], 0.0);

    static const struct {
        const char *text, *why;
        int line;
    } bad[] = {
        {"bias = 1\nloudness = 2\n", "unknown key", 2},
        {"# model\n\nbias 1\n", "missing '='", 3},
        {"bias = 1\npitch = 0.2\nlevel = high\n", "non-numeric value", 3},
        {"pace = 0.1x\n", "trailing junk after the number", 1},
        {"bias = \n", "empty value", 1},
        {"limit.tone = 3\n", "limit of an unknown feature", 1},
        {"bias = 1\nrange = 0.2\nhigh_band = 0.1\npitch = nan\n", "NaN", 4},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char name[128];
        snprintf(name, sizeof name, "model text refused: %s", bad[i].why);
        check_case(name);
        m = def;
        line = -1;
        CHECK_INT(cs_tone_model_parse(&m, bad[i].text, &line), CS_EPROFILE);
        CHECK_INT(line, bad[i].line);
        CHECK(same_model(&m, &def)); /* a refused text changes nothing */
    }

    check_case("cs_tone_model_parse arguments");
    CHECK_INT(cs_tone_model_parse(NULL, "bias = 1", NULL), CS_EINVAL);
    CHECK_INT(cs_tone_model_parse(&m, NULL, NULL), CS_EINVAL);

    check_case("feature names");
    static const char *const names[CS_TONE_FEATURES] = {"pitch",     "range",    "level", "high_band",
                                                        "pace",      "aperiodic", "laughter"};
    for (int i = 0; i < CS_TONE_FEATURES; i++)
        CHECK_STR(cs_tone_feature_name(i), names[i]);
    CHECK(cs_tone_feature_name(-1) == NULL);
    CHECK(cs_tone_feature_name(CS_TONE_FEATURES) == NULL);
}

static void model_formula(void)
{
    cs_tone_model def;
    cs_tone_model_default(&def);
    const double zero[CS_TONE_FEATURES] = {0};

    check_case("arousal of no deviation is the logistic of the bias");
    CHECK_NEAR(cs_tone_model_apply(&def, zero), 1 / (1 + exp(-def.bias)), 1e-12);
    cs_tone_model m = def;
    m.bias = 0.3;
    CHECK_NEAR(cs_tone_model_apply(&m, zero), 1 / (1 + exp(-0.3)), 1e-12);

    check_case("the formula, with each feature clamped to its limit");
    const double f[CS_TONE_FEATURES] = {3, -2, 50, -40, 1.5};
    double z = def.bias;
    for (int i = 0; i < CS_TONE_FEATURES; i++)
        z += def.weight[i] * fmax(-def.limit[i], fmin(def.limit[i], f[i]));
    CHECK_NEAR(cs_tone_model_apply(&def, f), 1 / (1 + exp(-z)), 1e-12);
    double at_limit[CS_TONE_FEATURES] = {0}, past_limit[CS_TONE_FEATURES] = {0};
    at_limit[CS_TONE_LEVEL] = def.limit[CS_TONE_LEVEL];
    past_limit[CS_TONE_LEVEL] = 10 * def.limit[CS_TONE_LEVEL];
    CHECK_NEAR(cs_tone_model_apply(&def, past_limit), cs_tone_model_apply(&def, at_limit), 1e-12);

    /* models/tone.model: scaled "so that a speaker at their own baseline
     * scores 0.15 and the angry prototype 0.90" (+4 st, +2 st range, +8 dB,
     * +4 dB high band, 15 % faster, 4 points more of the speech aperiodic) */
    check_case("the default model's two anchor points");
    CHECK_NEAR(cs_tone_model_apply(&def, zero), 0.15, 0.005);
    const double angry[CS_TONE_FEATURES] = {4, 2, 8, 4, 10 * log2(1.15), 4, 0};
    CHECK_NEAR(cs_tone_model_apply(&def, angry), 0.90, 0.005);

    /* joy raises pitch, range and pace as much as anger, level and high band
     * half as much, and keeps the voice regular: animated, not tense */
    check_case("the joyful prototype is under tense.arousal, the angry one over it");
    const double joyful[CS_TONE_FEATURES] = {4, 2, 4, 2, 10 * log2(1.15), 0, 0};
    CHECK(cs_tone_model_apply(&def, joyful) < rc_default_value("tense.arousal"));
    CHECK(cs_tone_model_apply(&def, angry) > rc_default_value("tense.arousal"));

    /* laughter takes twice the prototype's pull away */
    check_case("the angry prototype's voice, all laughter, scores as calm");
    double laughing[CS_TONE_FEATURES];
    memcpy(laughing, angry, sizeof laughing);
    laughing[CS_TONE_LAUGHTER] = 100;
    CHECK(cs_tone_model_apply(&def, laughing) < cs_tone_model_apply(&def, zero));
}

/* ---- misuse ----------------------------------------------------------------- */

static void misuse(void)
{
    cs_profile prof;
    cs_profile_default(&prof);
    cs_tone_model model;
    cs_tone_model_default(&model);
    cs_tone *t;
    call c = call_new(5, 70);
    cs_baseline b = {.speech_s = 60, .pitch_hz = 120, .pitch_range_st = 4, .level_db = -20, .high_band_db = -12,
                     .pace_syl_per_s = 4};
    cs_tone_frame tf;
    cs_flag fl;

    check_case("cs_tone_open with bad arguments leaves the handle NULL");
    CHECK_INT(cs_tone_open(NULL, &prof, &model, RATE), CS_EINVAL);
    t = (cs_tone *)&prof;
    CHECK_INT(cs_tone_open(&t, NULL, &model, RATE), CS_EINVAL);
    CHECK(t == NULL);
    t = (cs_tone *)&prof;
    CHECK_INT(cs_tone_open(&t, &prof, NULL, RATE), CS_EINVAL);
    CHECK(t == NULL);
    static const int bad_rates[] = {0, CS_MIN_RATE_HZ - 1, CS_MAX_RATE_HZ + 1};
    for (int i = 0; i < 3; i++) {
        t = (cs_tone *)&prof;
        CHECK_INT(cs_tone_open(&t, &prof, &model, bad_rates[i]), CS_EINVAL);
        CHECK(t == NULL);
    }
    cs_profile broken = prof;
    broken.value[cs_profile_find("tone.window_s")] = NAN;
    t = (cs_tone *)&prof;
    CHECK(cs_tone_open(&t, &broken, &model, RATE) < 0);
    CHECK(t == NULL);

    check_case("NULL handles and arguments");
    if (!CHECK_INT(cs_tone_open(&t, &prof, &model, RATE), CS_OK)) {
        call_free(&c);
        return;
    }
    CHECK_INT(cs_tone_learn(NULL, &c.fr[0]), CS_EINVAL);
    CHECK_INT(cs_tone_learn(t, NULL), CS_EINVAL);
    CHECK_INT(cs_tone_learn_end(NULL), CS_EINVAL);
    CHECK_INT(cs_tone_set_baseline(NULL, CS_AGENT, &b), CS_EINVAL);
    CHECK_INT(cs_tone_set_baseline(t, CS_AGENT, NULL), CS_EINVAL);
    CHECK_INT(cs_tone_set_baseline(t, -1, &b), CS_EINVAL);
    CHECK_INT(cs_tone_set_baseline(t, CS_MAX_SPEAKERS, &b), CS_EINVAL);
    CHECK_INT(cs_tone_baseline(NULL, CS_AGENT, &b), CS_EINVAL);
    CHECK_INT(cs_tone_baseline(t, CS_AGENT, NULL), CS_EINVAL);
    CHECK_INT(cs_tone_baseline(t, CS_MAX_SPEAKERS, &b), CS_EINVAL);
    CHECK_INT(cs_tone_push(NULL, &c.fr[0]), CS_EINVAL);
    CHECK_INT(cs_tone_push(t, NULL), CS_EINVAL);
    CHECK_INT(cs_tone_pull(NULL, &tf), CS_EINVAL);
    CHECK_INT(cs_tone_pull(t, NULL), CS_EINVAL);
    CHECK_INT(cs_tone_pull_flag(NULL, &fl), CS_EINVAL);
    CHECK_INT(cs_tone_pull_flag(t, NULL), CS_EINVAL);
    CHECK_INT(cs_tone_finish(NULL), CS_EINVAL);
    CHECK(isnan(cs_tone_mean_arousal(NULL, CS_AGENT)));
    CHECK(isnan(cs_tone_mean_arousal(t, CS_MAX_SPEAKERS)));
    cs_tone_close(NULL);

    check_case("a fresh scorer: no baseline, nothing to pull");
    cs_baseline got;
    CHECK_INT(cs_tone_baseline(t, CS_AGENT, &got), CS_OK);
    CHECK_NEAR(got.speech_s, 0.0, 0.0);
    CHECK_INT(cs_tone_pull(t, &tf), 0);
    CHECK_INT(cs_tone_pull_flag(t, &fl), 0);
    CHECK(isnan(cs_tone_mean_arousal(t, CS_AGENT)));

    check_case("learning is over once scoring began");
    CHECK_INT(cs_tone_learn(t, &c.fr[0]), CS_OK);
    CHECK_INT(cs_tone_learn_end(t), CS_OK);
    CHECK_INT(cs_tone_push(t, &c.fr[0]), CS_OK);
    CHECK_INT(cs_tone_learn(t, &c.fr[1]), CS_ESTATE);
    CHECK_INT(cs_tone_learn_end(t), CS_ESTATE);
    /* a baseline may still be fixed mid-call (a live agent identified late) */
    CHECK_INT(cs_tone_set_baseline(t, CS_AGENT, &b), CS_OK);

    check_case("nothing after finish");
    for (int i = 1; i < c.n; i++) {
        CHECK_INT(cs_tone_push(t, &c.fr[i]), CS_OK);
        while (cs_tone_pull(t, &tf) > 0)
            ;
    }
    CHECK_INT(cs_tone_finish(t), CS_OK);
    CHECK_INT(cs_tone_finish(t), CS_ESTATE);
    CHECK_INT(cs_tone_push(t, &c.fr[0]), CS_ESTATE);
    CHECK_INT(cs_tone_learn(t, &c.fr[0]), CS_ESTATE);
    int n = 0;
    while (cs_tone_pull(t, &tf) > 0)
        n++;
    CHECK(n > 0);
    cs_tone_close(t);
    call_free(&c);

    check_case("voice flag names and their message placeholders");
    static const char *const kinds[][2] = {
        {"fast_pace", "pace_syl_per_s"}, {"raised_voice", "over_db"}, {"tense_tone", "arousal"},
        {"escalation", "agent_rise"}};
    for (int k = CS_FLAG_FAST_PACE; k <= CS_FLAG_ESCALATION; k++) {
        CHECK_STR(cs_flag_kind_name((cs_flag_kind)k), kinds[k - CS_FLAG_FAST_PACE][0]);
        CHECK_STR(cs_flag_detail_name((cs_flag_kind)k, 0), kinds[k - CS_FLAG_FAST_PACE][1]);
    }
}

int main(void)
{
    check_begin("test_tone");
    seed = check_seed(1);
    calm_call();
    raised_voice();
    tense_tone();
    fast_pace();
    escalation();
    laughter_is_not_tension();
    stored_baseline();
    running_baseline();
    model_text();
    model_formula();
    misuse();
    return check_end();
}
