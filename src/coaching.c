/* Flag names, coaching messages and tips, and the call score; see callscope.h. */
#include "callscope/callscope.h"
#include "kv_text.h"
#include "profile_keys.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

extern const char cs_default_coaching_text[];

typedef struct kind_info {
    const char *name;
    const char *measure;   /* placeholder of cs_flag.measure, or NULL */
    const char *context;   /* placeholder of cs_flag.context, or NULL */
    int score_key;
} kind_info;

static const kind_info kinds[CS_FLAG_KIND_END] = {
    [CS_FLAG_FAST_PACE] = {"fast_pace", "pace_syl_per_s", "usual_syl_per_s", CS_K_SCORE_FAST_PACE},
    [CS_FLAG_RAISED_VOICE] = {"raised_voice", "over_db", NULL, CS_K_SCORE_RAISED_VOICE},
    [CS_FLAG_TENSE_TONE] = {"tense_tone", "arousal", NULL, CS_K_SCORE_TENSE_TONE},
    [CS_FLAG_ESCALATION] = {"escalation", "agent_rise", "customer_rise", CS_K_SCORE_ESCALATION},
    [CS_FLAG_INTERRUPTED_CUSTOMER] = {"interrupted_customer", "overlap_s", NULL, CS_K_SCORE_INTERRUPTED_CUSTOMER},
    [CS_FLAG_OVERTALK] = {"overtalk", "overlap_s", NULL, CS_K_SCORE_OVERTALK},
    [CS_FLAG_RUSHED_RESPONSE] = {"rushed_response", "gap_s", "turn_s", CS_K_SCORE_RUSHED_RESPONSE},
    [CS_FLAG_NO_ACKNOWLEDGEMENT] = {"no_acknowledgement", "story_s", NULL, CS_K_SCORE_NO_ACKNOWLEDGEMENT},
    [CS_FLAG_LONG_MONOLOGUE] = {"long_monologue", "monologue_s", NULL, CS_K_SCORE_LONG_MONOLOGUE},
    [CS_FLAG_TALK_DOMINANCE] = {"talk_dominance", "share", "span_s", CS_K_SCORE_TALK_DOMINANCE},
    [CS_FLAG_DEAD_AIR] = {"dead_air", "silence_s", NULL, CS_K_SCORE_DEAD_AIR},
};

static const kind_info *info_of(cs_flag_kind kind)
{
    return kind >= CS_FLAG_FAST_PACE && kind < CS_FLAG_KIND_END ? &kinds[kind] : NULL;
}

const char *cs_flag_kind_name(cs_flag_kind kind)
{
    const kind_info *k = info_of(kind);
    return k ? k->name : "unknown";
}

const char *cs_flag_detail_name(cs_flag_kind kind, int which)
{
    const kind_info *k = info_of(kind);
    if (!k)
        return NULL;
    return which == 0 ? k->measure : which == 1 ? k->context : NULL;
}

/* ---- templates ---- */

/* What a {placeholder} stands for. */
typedef enum slot_kind { SLOT_NONE, SLOT_DURATION, SLOT_START, SLOT_END, SLOT_COUNT, SLOT_MEASURE, SLOT_CONTEXT } slot_kind;

static int name_is(const char *name, size_t len, const char *want)
{
    return want && strlen(want) == len && strncmp(name, want, len) == 0;
}

static slot_kind slot_of(cs_flag_kind kind, const char *name, size_t len)
{
    const kind_info *k = info_of(kind);
    if (name_is(name, len, "duration_s"))
        return SLOT_DURATION;
    if (name_is(name, len, "start"))
        return SLOT_START;
    if (name_is(name, len, "end"))
        return SLOT_END;
    if (name_is(name, len, "count"))
        return SLOT_COUNT;
    if (k && name_is(name, len, k->measure))
        return SLOT_MEASURE;
    if (k && name_is(name, len, k->context))
        return SLOT_CONTEXT;
    return SLOT_NONE;
}

/* Walk a template: each {name} or {name:digits} is handed to fn. Returns -1
 * for an unclosed brace or a bad precision. */
typedef int (*slot_fn)(void *ctx, const char *name, size_t len, int digits);
typedef int (*text_fn)(void *ctx, const char *text, size_t len);

static int walk_template(const char *t, text_fn text, slot_fn slot, void *ctx)
{
    while (*t) {
        const char *open = strchr(t, '{');
        if (!open)
            return text(ctx, t, strlen(t));
        if (open > t && text(ctx, t, (size_t)(open - t)) < 0)
            return -1;
        const char *close = strchr(open, '}');
        if (!close)
            return -1;
        const char *colon = memchr(open, ':', (size_t)(close - open));
        int digits = 1;
        const char *name_end = colon ? colon : close;
        if (colon) {
            if (close - colon != 2 || colon[1] < '0' || colon[1] > '3')
                return -1;
            digits = colon[1] - '0';
        }
        if (slot(ctx, open + 1, (size_t)(name_end - open - 1), digits) < 0)
            return -1;
        t = close + 1;
    }
    return 0;
}

typedef struct render_ctx {
    const cs_flag *fl;
    int rate_hz;
    char *buf;
    size_t size, len;
} render_ctx;

static void append(render_ctx *r, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++, r->len++)
        if (r->len + 1 < r->size)
            r->buf[r->len] = s[i];
}

static int render_text(void *ctx, const char *text, size_t len)
{
    append(ctx, text, len);
    return 0;
}

static int render_slot(void *ctx, const char *name, size_t len, int digits)
{
    render_ctx *r = ctx;
    const cs_flag *fl = r->fl;
    double secs = r->rate_hz > 0 ? 1.0 / r->rate_hz : 0, v;
    char num[64];
    slot_kind which = slot_of(fl->kind, name, len);
    switch (which) {
    case SLOT_DURATION: v = (double)(fl->end - fl->start) * secs; break;
    case SLOT_START: v = (double)fl->start * secs; break;
    case SLOT_END: v = (double)fl->end * secs; break;
    case SLOT_COUNT: v = fl->count; break;
    case SLOT_MEASURE: v = fl->measure; break;
    case SLOT_CONTEXT: v = fl->context; break;
    default: return -1;
    }
    if (!isfinite(v))
        snprintf(num, sizeof num, "?");
    else if (which == SLOT_START || which == SLOT_END)
        snprintf(num, sizeof num, "%d:%02d", (int)(v / 60), (int)fmod(v, 60));
    else if (which == SLOT_COUNT)
        snprintf(num, sizeof num, "%.0f", v);
    else if (name_is(name, len, "share"))
        snprintf(num, sizeof num, "%.0f%%", v * 100);
    else
        snprintf(num, sizeof num, "%.*f", digits, v);
    append(r, num, strlen(num));
    return 0;
}

int cs_flag_message(const cs_coaching *c, const cs_flag *fl, int rate_hz, char *buf, size_t size)
{
    if (!c || !fl || !buf || !size || !info_of(fl->kind))
        return CS_EINVAL;
    render_ctx r = {fl, rate_hz, buf, size, 0};
    if (walk_template(c->message[fl->kind], render_text, render_slot, &r) < 0)
        r.len = 0;
    buf[r.len < size ? r.len : size - 1] = '\0';
    return (int)r.len;
}

const char *cs_flag_tip(const cs_coaching *c, cs_flag_kind kind)
{
    return c && info_of(kind) ? c->tip[kind] : "";
}

const char *cs_cue_text(const cs_coaching *c, cs_cue_kind kind)
{
    return c && kind >= CS_CUE_SLOW_DOWN && kind < CS_CUE_KIND_END ? c->cue[kind] : "";
}

/* ---- the coaching text ---- */

static int no_text(void *ctx, const char *text, size_t len)
{
    (void)ctx, (void)text, (void)len;
    return 0;
}

static int known_slot(void *ctx, const char *name, size_t len, int digits)
{
    (void)digits;
    return slot_of(*(const cs_flag_kind *)ctx, name, len) == SLOT_NONE ? -1 : 0;
}

static int coaching_setting(void *ctx, const char *key, const char *value)
{
    cs_coaching *c = ctx;
    const char *dot = strrchr(key, '.');
    if (!dot || strlen(value) >= CS_COACHING_TEXT_MAX)
        return CS_EPROFILE;
    if (strncmp(key, "cue.", 4) == 0) {
        for (int k = CS_CUE_SLOW_DOWN; k < CS_CUE_KIND_END; k++)
            if (strcmp(key + 4, cs_cue_name((cs_cue_kind)k)) == 0) {
                strcpy(c->cue[k], value);
                return CS_OK;
            }
        return CS_EPROFILE;
    }
    for (int k = CS_FLAG_FAST_PACE; k < CS_FLAG_KIND_END; k++) {
        size_t n = strlen(kinds[k].name);
        if ((size_t)(dot - key) != n || strncmp(key, kinds[k].name, n) != 0)
            continue;
        cs_flag_kind kind = (cs_flag_kind)k;
        if (strcmp(dot, ".message") == 0) {
            if (walk_template(value, no_text, known_slot, &kind) < 0)
                return CS_EPROFILE;
            strcpy(c->message[k], value);
            return CS_OK;
        }
        if (strcmp(dot, ".tip") == 0) {
            strcpy(c->tip[k], value);
            return CS_OK;
        }
        return CS_EPROFILE;
    }
    return CS_EPROFILE;
}

int cs_coaching_parse(cs_coaching *c, const char *text, int *line_out)
{
    if (!c || !text)
        return CS_EINVAL;
    cs_coaching next = *c;
    int err = kv_text_parse(text, coaching_setting, &next, line_out);
    if (err == CS_OK)
        *c = next;
    return err;
}

void cs_coaching_default(cs_coaching *c)
{
    if (!c)
        return;
    memset(c, 0, sizeof *c);
    (void)cs_coaching_parse(c, cs_default_coaching_text, NULL);
}

/* ---- the call score ---- */

/* Silence is silence whoever is silent; everything else says who did it. */
int cs_flag_rests_on_who_spoke(cs_flag_kind kind) { return info_of(kind) != NULL && kind != CS_FLAG_DEAD_AIR; }

/* A flag that may be about the wrong voice costs nothing: the score ranks
 * calls by what is known of them. */
double cs_flag_penalty(const cs_profile *prof, const cs_flag *fl)
{
    const kind_info *k = prof && fl && !fl->doubtful ? info_of(fl->kind) : NULL;
    return k ? prof->value[k->score_key] * fl->severity : 0;
}

double cs_call_score(const cs_profile *prof, double penalty, double duration_s)
{
    if (!prof || !isfinite(penalty) || !isfinite(duration_s))
        return NAN;
    double scale = duration_s / 60.0 / prof->value[CS_K_SCORE_REFERENCE_MIN];
    double score = 100.0 - penalty / (scale > 1 ? scale : 1);
    return score < 0 ? 0 : score > 100 ? 100 : score;
}
