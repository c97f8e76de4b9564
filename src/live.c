/*
 * Live meters and cues: what an agent sees during the call.
 *
 * Live frames come in as soon as voice activity has decided them. A tone
 * scorer in live use (running baselines, windows that end at the newest
 * frame) turns them into level, pitch, pace and arousal against each
 * speaker's baseline; small clocks per speaker follow who holds the floor.
 * Each cue is a condition that must hold for a while; when one has held long
 * enough it is given, unless another cue is still on show or the same cue
 * was given recently.
 */
#include "callscope/callscope.h"
#include "profile_keys.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CUE_QUEUE 8

/* Who holds the floor, per speaker, from the live frames. */
typedef struct floor_clock {
    double talk_s;
    int speaking;
    int64_t last_end;        /* end of the last frame with speech; -1 before any */
    int64_t spurt_start;     /* start of the current talk spurt (short gaps bridged); -1 none */
    int64_t monologue_start; /* start of the current monologue; -1 none */
} floor_clock;

/* A cue's condition: since when it has held (-1: it does not), and
 * whether it holds in the newest frame. */
typedef struct cue_rule {
    int64_t since;
    int now;
    double measure;
    int64_t last_given;      /* -1: never */
    int64_t last_hit_end;    /* end of the newest frame where it held */
} cue_rule;

struct cs_live {
    cs_profile prof;
    int rate_hz;
    int both_heard;                      /* both parties have a channel */
    int64_t bridge, pause, brk, gap;     /* segment.bridge_s, monologue.pause_s / break_s, flag.gap_s */
    int64_t prior;                       /* interruption.min_prior_s */
    int64_t need[CS_CUE_KIND_END];       /* how long each cue's condition must hold */
    int64_t show, repeat;
    cs_tone *tone;
    cs_tone_frame last;                  /* the newest scored frame (all zero before one) */
    floor_clock fl[CS_MAX_SPEAKERS];
    cue_rule rule[CS_CUE_KIND_END];
    int64_t shown_at;                     /* when the cue on show was given */
    cs_cue_kind shown;
    cs_cue cues[CUE_QUEUE];
    int cue_head, cue_count;
};

const char *cs_cue_name(cs_cue_kind kind)
{
    switch (kind) {
    case CS_CUE_SLOW_DOWN: return "slow_down";
    case CS_CUE_LET_THEM_FINISH: return "let_them_finish";
    case CS_CUE_LOWER_VOICE: return "lower_voice";
    case CS_CUE_ACKNOWLEDGE: return "acknowledge";
    case CS_CUE_ASK_A_QUESTION: return "ask_a_question";
    case CS_CUE_KIND_END: break;
    }
    return "unknown";
}

void cs_live_close(cs_live *l)
{
    if (!l)
        return;
    cs_tone_close(l->tone);
    free(l);
}

int cs_live_open(cs_live **out, const cs_profile *prof, const cs_tone_model *model, const cs_config *cfg,
                 int frame_samples)
{
    if (!out)
        return CS_EINVAL;
    *out = NULL;
    if (!prof || !model || !cfg || frame_samples < 1)
        return CS_EINVAL;
    if (cfg->sample_rate_hz < CS_MIN_RATE_HZ || cfg->sample_rate_hz > CS_MAX_RATE_HZ)
        return CS_ERATE;
    int rate_hz = cs_analysis_rate(prof, cfg->sample_rate_hz);
    cs_live *l = calloc(1, sizeof *l);
    if (!l)
        return CS_ENOMEM;
    l->prof = *prof;
    l->rate_hz = rate_hz;
    l->both_heard = cfg->speaker_channel[CS_AGENT] >= 0 && cfg->speaker_channel[CS_CUSTOMER] >= 0;
    /* The scorer takes live frames, learns as it goes and answers at once. */
    cs_profile tone_prof = *prof;
    tone_prof.value[CS_K_TRACKS_HOP_S] = (double)frame_samples / rate_hz;
    tone_prof.value[CS_K_TONE_RUNNING] = 1;
    tone_prof.value[CS_K_TONE_TRAILING] = 1;
    /* A voice raised from its first words should not wait for a batch
     * window's worth of speech. */
    tone_prof.value[CS_K_TONE_MIN_SPEECH_S] = prof->value[CS_K_LIVE_MIN_SPEECH_S];
    int err = cs_tone_open(&l->tone, &tone_prof, model, rate_hz);
    if (err < 0) {
        cs_live_close(l);
        return err;
    }
    const double *v = prof->value;
#define SAMPLES(key) ((int64_t)llround(v[key] * rate_hz))
    l->bridge = SAMPLES(CS_K_SEGMENT_BRIDGE_S);
    l->pause = SAMPLES(CS_K_MONOLOGUE_PAUSE_S);
    l->brk = SAMPLES(CS_K_MONOLOGUE_BREAK_S);
    l->gap = SAMPLES(CS_K_FLAG_GAP_S);
    l->prior = SAMPLES(CS_K_INTERRUPTION_MIN_PRIOR_S);
    l->need[CS_CUE_SLOW_DOWN] = SAMPLES(CS_K_LIVE_SLOW_DOWN_S);
    l->need[CS_CUE_LET_THEM_FINISH] = SAMPLES(CS_K_LIVE_LET_FINISH_S);
    l->need[CS_CUE_LOWER_VOICE] = SAMPLES(CS_K_LIVE_LOWER_VOICE_S);
    l->need[CS_CUE_ACKNOWLEDGE] = SAMPLES(CS_K_LIVE_ACKNOWLEDGE_S);
    l->need[CS_CUE_ASK_A_QUESTION] = SAMPLES(CS_K_LIVE_ASK_QUESTION_S);
    l->show = SAMPLES(CS_K_LIVE_CUE_SHOW_S);
    l->repeat = SAMPLES(CS_K_LIVE_CUE_REPEAT_S);
#undef SAMPLES
    for (int s = 0; s < CS_MAX_SPEAKERS; s++)
        l->fl[s].last_end = l->fl[s].spurt_start = l->fl[s].monologue_start = -1;
    for (int k = 0; k < CS_CUE_KIND_END; k++)
        l->rule[k].since = l->rule[k].last_given = -1;
    *out = l;
    return CS_OK;
}

int cs_live_set_baseline(cs_live *l, int speaker, const cs_baseline *b)
{
    if (!l)
        return CS_EINVAL;
    return cs_tone_set_baseline(l->tone, speaker, b);
}

/* The local rate over the baseline's, from the pace feature. */
static double pace_over_baseline(double pace_feature) { return exp2(pace_feature / CS_TONE_PACE_SCALE); }

/* ---- the floor ------------------------------------------------------------ */

static void follow_floor(cs_live *l, const cs_frame *fr)
{
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        floor_clock *c = &l->fl[s];
        c->speaking = fr->speaker[s].speech_s > 0;
        if (!c->speaking) {
            if (c->spurt_start >= 0 && fr->end - c->last_end > l->bridge)
                c->spurt_start = -1;
            if (c->monologue_start >= 0 && fr->end - c->last_end >= l->pause)
                c->monologue_start = -1;
            continue;
        }
        c->talk_s += fr->speaker[s].speech_s;
        if (c->spurt_start < 0)
            c->spurt_start = fr->start;
        if (c->monologue_start < 0)
            c->monologue_start = fr->start;
        c->last_end = fr->end;
    }
    /* A speaker who has talked for monologue.break_s ends the other's monologue. */
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        const floor_clock *c = &l->fl[s];
        floor_clock *o = &l->fl[1 - s];
        if (c->speaking && c->spurt_start >= 0 && fr->end - c->spurt_start >= l->brk && o->monologue_start >= 0 &&
            o->monologue_start < c->spurt_start)
            o->monologue_start = -1;
    }
}

/* ---- cues ------------------------------------------------------------------ */

/* Follow one condition: held now (hit) or not; a run survives lapses up to
 * `gap` (a breath between phrases), measured from the last frame it held. */
static void follow_rule(cue_rule *r, int hit, double measure, int64_t start, int64_t end, int64_t gap)
{
    r->now = hit;
    if (hit) {
        if (r->since < 0)
            r->since = start;
        r->measure = measure;
        r->last_hit_end = end;
    } else if (r->since >= 0 && end - r->last_hit_end > gap) {
        r->since = -1;
    }
}

/* The scorer gives a speaker's features only while they speak and their
 * baseline is known, so a finite feature is all a voice cue needs. */
static void follow_voice(cs_live *l, const cs_tone_frame *o)
{
    const double *v = l->prof.value;
    double over = o->feature[CS_AGENT][CS_TONE_LEVEL];
    int loud = isfinite(over) && over >= v[CS_K_RAISED_VOICE_DB];
    follow_rule(&l->rule[CS_CUE_LOWER_VOICE], loud, over, o->frame.start, o->frame.end, l->gap);

    /* A few seconds of syllables give a rough rate, so the live cue wants a
     * clearer margin over the speaker's own pace than the flag does. */
    double pace_gain = o->feature[CS_AGENT][CS_TONE_PACE];
    int fast = isfinite(pace_gain) && pace_over_baseline(pace_gain) > 1 + v[CS_K_LIVE_SLOW_DOWN_REL];
    follow_rule(&l->rule[CS_CUE_SLOW_DOWN], fast, o->pace_syl_per_s[CS_AGENT], o->frame.start, o->frame.end,
                l->gap);
}

/* Conditions on who holds the floor, judged at the end of frame fr. */
static void follow_turns(cs_live *l, const cs_frame *fr)
{
    const floor_clock *agent = &l->fl[CS_AGENT], *customer = &l->fl[CS_CUSTOMER];
    /* Talking over a customer who had the floor first. */
    cue_rule *r = &l->rule[CS_CUE_LET_THEM_FINISH];
    int over = agent->speaking && customer->speaking && agent->spurt_start >= 0 && customer->spurt_start >= 0 &&
               agent->spurt_start - customer->spurt_start >= l->prior;
    r->now = over;
    r->since = over ? agent->spurt_start : -1;
    r->measure = over ? (double)(fr->end - agent->spurt_start) / l->rate_hz : NAN;

    /* A customer's story with no sound from the agent since it began (or
     * since the agent last spoke in it). */
    r = &l->rule[CS_CUE_ACKNOWLEDGE];
    r->since = -1;
    r->now = customer->monologue_start >= 0 && customer->speaking;
    if (r->now) {
        int64_t since = customer->monologue_start;
        if (agent->last_end > since)
            since = agent->last_end;
        r->since = since;
        r->measure = (double)(fr->end - since) / l->rate_hz;
    }

    r = &l->rule[CS_CUE_ASK_A_QUESTION];
    r->now = agent->monologue_start >= 0 && agent->speaking;
    r->since = r->now ? agent->monologue_start : -1;
    r->measure = r->since >= 0 ? (double)(fr->end - r->since) / l->rate_hz : NAN;
}

/* Most pressing first: what the agent is doing to the customer right now. */
static const cs_cue_kind priority[] = {CS_CUE_LET_THEM_FINISH, CS_CUE_LOWER_VOICE, CS_CUE_SLOW_DOWN,
                                       CS_CUE_ACKNOWLEDGE, CS_CUE_ASK_A_QUESTION};

static void give_cue(cs_live *l, int64_t now)
{
    if (l->shown && now - l->shown_at < l->show)
        return;
    for (size_t i = 0; i < sizeof priority / sizeof priority[0]; i++) {
        cs_cue_kind k = priority[i];
        cue_rule *r = &l->rule[k];
        if (!r->now || r->since < 0 || now - r->since < l->need[k])
            continue;
        if (r->last_given >= 0 && now - r->last_given < l->repeat)
            continue;
        if (l->cue_count == CUE_QUEUE)
            return; /* callers pull after every push; never reached */
        l->cues[(l->cue_head + l->cue_count++) % CUE_QUEUE] = (cs_cue){k, now, r->since, r->measure};
        r->last_given = now;
        l->shown = k;
        l->shown_at = now;
        return;
    }
}

int cs_live_push(cs_live *l, const cs_frame *fr)
{
    if (!l || !fr)
        return CS_EINVAL;
    int err = cs_tone_push(l->tone, fr);
    if (err < 0)
        return err;
    follow_floor(l, fr);
    cs_tone_frame o;
    while (cs_tone_pull(l->tone, &o) > 0) {
        l->last = o;
        follow_voice(l, &o);
    }
    follow_turns(l, fr);
    give_cue(l, fr->end);
    return CS_OK;
}

int cs_live_pull_cue(cs_live *l, cs_cue *c)
{
    if (!l || !c)
        return CS_EINVAL;
    if (!l->cue_count)
        return 0;
    *c = l->cues[l->cue_head];
    l->cue_head = (l->cue_head + 1) % CUE_QUEUE;
    l->cue_count--;
    return 1;
}

int cs_live_pull_flag(cs_live *l, cs_flag *fl)
{
    if (!l || !fl)
        return CS_EINVAL;
    return cs_tone_pull_flag(l->tone, fl);
}

int cs_live_finish(cs_live *l)
{
    if (!l)
        return CS_EINVAL;
    int err = cs_tone_finish(l->tone);
    cs_tone_frame o;
    while (err >= 0 && cs_tone_pull(l->tone, &o) > 0)
        ;
    return err;
}

int cs_live_meters_get(const cs_live *l, cs_live_meters *m)
{
    if (!l || !m)
        return CS_EINVAL;
    memset(m, 0, sizeof *m);
    const cs_tone_frame *o = &l->last;
    m->at = o->frame.end;
    double both = l->fl[CS_AGENT].talk_s + l->fl[CS_CUSTOMER].talk_s;
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        cs_live_speaker *k = &m->speaker[s];
        const floor_clock *c = &l->fl[s];
        k->speaking = c->speaking;
        k->talk_s = c->talk_s;
        k->talk_share = l->both_heard && both > 0 ? c->talk_s / both : NAN;
        k->since_spoke_s = c->last_end >= 0 ? (double)(m->at - c->last_end) / l->rate_hz : NAN;
        int fresh = o->frame.speaker[s].speech_s > 0;
        k->level_db = fresh ? o->level_db[s] : NAN;
        k->level_over_db = fresh ? o->feature[s][CS_TONE_LEVEL] : NAN;
        k->pitch_hz = fresh ? o->pitch_hz[s] : NAN;
        k->pace_syl_per_s = fresh ? o->pace_syl_per_s[s] : NAN;
        k->arousal = fresh ? o->arousal[s] : NAN;
        cs_baseline b;
        cs_tone_baseline(l->tone, s, &b);
        k->baseline_known = b.speech_s > 0;
        k->pace_ratio = fresh ? pace_over_baseline(o->feature[s][CS_TONE_PACE]) : NAN;
    }
    m->cue = l->shown && m->at - l->shown_at < l->show ? l->shown : 0;
    return CS_OK;
}
