/* runcall: see runcall.h. */
#include "runcall.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Room for one more element in a growing array. */
static void *grow(void *items, size_t count, size_t *cap, size_t size)
{
    if (count < *cap)
        return items;
    size_t more = *cap ? 2 * *cap : 64;
    void *p = realloc(items, more * size);
    if (!p) {
        fprintf(stderr, "runcall: out of memory\n");
        exit(2);
    }
    *cap = more;
    return p;
}

static void keep(rc_result *res, const cs_event *ev)
{
    res->ev = grow(res->ev, res->nev, &res->cap, sizeof *res->ev);
    res->ev[res->nev++] = *ev;
}

static void keep_flag(rc_result *res, const cs_flag *fl)
{
    res->flag = grow(res->flag, res->nflag, &res->flag_cap, sizeof *res->flag);
    res->flag[res->nflag++] = *fl;
}

static int drain(cs_analyzer *a, rc_result *res)
{
    cs_event ev;
    cs_flag fl;
    int n = 0, r;
    while ((r = cs_pull(a, &ev)) > 0) {
        keep(res, &ev);
        n++;
    }
    while (r >= 0 && (r = cs_pull_flag(a, &fl)) > 0) {
        keep_flag(res, &fl);
        n++;
    }
    /* Voice frames are not kept here, but must be taken out to make room;
     * whether they tile the stream is. */
    cs_frame fr;
    while (r >= 0 && (r = cs_pull_frame(a, &fr)) > 0) {
        res->frame_gaps += fr.start != res->frames_end;
        res->frames_end = fr.end;
        res->nframe++;
        n++;
    }
    if (r < 0 && res->err == CS_OK)
        res->err = r;
    return n;
}

int rc_run(const float *frames, size_t nframes, int channels, int rate_hz, size_t block,
           const cs_profile *prof, rc_result *res)
{
    cs_config cfg;
    cs_config_default(&cfg, rate_hz, channels);
    return rc_run_config(frames, nframes, &cfg, block, prof, res);
}

int rc_run_config(const float *frames, size_t nframes, const cs_config *config, size_t block,
                  const cs_profile *prof, rc_result *res)
{
    memset(res, 0, sizeof *res);
    const int channels = config->channels;
    cs_profile defaults;
    if (!prof) {
        cs_profile_default(&defaults);
        prof = &defaults;
    }
    res->rate_hz = cs_analysis_rate(prof, config->sample_rate_hz);
    cs_config cfg = *config;
    cs_analyzer *a = NULL;
    int err = cs_open(&a, &cfg, prof);
    if (err < 0) {
        res->err = err;
        return err;
    }
    res->hop = cs_hop_samples(a);
    if (block == 0)
        block = 1;
    size_t done = 0;
    while (done < nframes && res->err == CS_OK) {
        size_t n = nframes - done < block ? nframes - done : block;
        size_t used = 0;
        int stalls = 0;
        while (used < n) {
            long r = cs_push(a, frames + (done + used) * (size_t)channels, n - used);
            if (r < 0) {
                res->err = (int)r;
                break;
            }
            used += (size_t)r;
            int pulled = drain(a, res);
            if (r == 0 && pulled == 0 && ++stalls > 2) {
                fprintf(stderr, "runcall: cs_push consumes nothing and no event is ready\n");
                res->err = CS_ESTATE;
                break;
            }
        }
        done += used;
    }
    if (res->err == CS_OK) {
        int r;
        do {
            r = cs_finish(a);
            if (r < 0)
                res->err = r;
            res->finish_calls++;
            drain(a, res);
        } while (r == CS_FINISH_MORE);
    }
    cs_summary_get(a, &res->sum);
    cs_close(a);
    return res->err;
}

int rc_run_call(const cg_call *call, size_t block, const cs_profile *prof, rc_result *res)
{
    size_t n = 0;
    float *buf = cg_render_all(call, &n);
    if (!buf) {
        fprintf(stderr, "runcall: cannot render the call\n");
        exit(2);
    }
    int r = rc_run(buf, n, 2, call->rate_hz, block, prof, res);
    free(buf);
    return r;
}

void rc_free(rc_result *res)
{
    free(res->ev);
    free(res->flag);
    memset(res, 0, sizeof *res);
}

int rc_count(const rc_result *res, cs_event_type type, int speaker)
{
    int n = 0;
    for (size_t i = 0; i < res->nev; i++)
        if (res->ev[i].type == type && (speaker < 0 || res->ev[i].speaker == speaker))
            n++;
    return n;
}

const cs_event *rc_nth(const rc_result *res, cs_event_type type, int speaker, int n)
{
    for (size_t i = 0; i < res->nev; i++)
        if (res->ev[i].type == type && (speaker < 0 || res->ev[i].speaker == speaker) && n-- == 0)
            return &res->ev[i];
    return NULL;
}

int rc_flag_count(const rc_result *res, cs_flag_kind kind)
{
    int n = 0;
    for (size_t i = 0; i < res->nflag; i++)
        n += res->flag[i].kind == kind;
    return n;
}

const cs_flag *rc_nth_flag(const rc_result *res, cs_flag_kind kind, int n)
{
    for (size_t i = 0; i < res->nflag; i++)
        if (res->flag[i].kind == kind && n-- == 0)
            return &res->flag[i];
    return NULL;
}

double rc_sec(const rc_result *res, long long sample)
{
    return (double)sample / (double)res->rate_hz;
}

void rc_dump(const rc_result *res, const char *title)
{
    printf("    --- %s: %zu events (error %d)\n", title, res->nev, res->err);
    for (size_t i = 0; i < res->nev; i++) {
        const cs_event *e = &res->ev[i];
        const char *name = cs_event_type_name(e->type);
        printf("    %-12s %-8s", name ? name : "?", cs_speaker_name(e->speaker));
        if (e->other >= 0)
            printf(" vs %-8s", cs_speaker_name(e->other));
        else
            printf("             ");
        printf(" %8.3f-%8.3f", rc_sec(res, e->start), rc_sec(res, e->end));
        if (e->value != 0.0)
            printf(" value %.3f", e->value);
        if (e->tier)
            printf(" tier %d", e->tier);
        printf("\n");
    }
    const cs_summary *s = &res->sum;
    printf("    summary: overlap %.3f s, silence %.3f s, longest silence %.3f s, longest monologue %.3f s (%s)\n",
           s->overlap_s, s->silence_s, s->longest_silence_s, s->longest_monologue_s,
           cs_speaker_name(s->longest_monologue_speaker));
    for (int k = 0; k < CS_MAX_SPEAKERS; k++) {
        const cs_speaker_summary *p = &s->speaker[k];
        printf("    %-8s talk %.3f s, %d segments, %d turns, %d responses (median %.3f s, rushed %d)\n",
               cs_speaker_name(k), p->talk_s, p->segments, p->turns, p->responses,
               p->response_latency_median_s, p->rushed_responses);
    }
}

void rc_dump_truth(const cg_call *call)
{
    printf("    --- truth (speech intervals)\n");
    for (int spk = 0; spk < 2; spk++) {
        cg_interval iv[64];
        int n = cg_truth(call, spk, iv, 64);
        for (int i = 0; i < n && i < 64; i++)
            printf("    %-8s %8.3f-%8.3f\n", spk ? "customer" : "agent", iv[i].start_s, iv[i].end_s);
    }
}

double rc_default_value(const char *key)
{
    cs_profile prof;
    double v = NAN;
    cs_profile_default(&prof);
    cs_profile_get(&prof, key, &v);
    return v;
}
