/*
 * runcall: push audio through a callscope analyzer the way every caller does
 * (push, pull after each push, finish, pull, summary) and keep what came out.
 */
#ifndef RUNCALL_H
#define RUNCALL_H

#include <stddef.h>

#include "callgen.h"
#include "callscope/callscope.h"

typedef struct rc_result {
    int rate_hz;
    cs_event *ev;
    size_t nev, cap;
    cs_flag *flag;  /* conversation flags (cs_pull_flag), in the order raised */
    size_t nflag, flag_cap;
    cs_summary sum;
    int err;        /* first library error, CS_OK if none */
    int hop;        /* cs_hop_samples */
    int finish_calls; /* cs_finish calls it took (more than one: CS_FINISH_MORE) */
    size_t nframe;    /* voice frames pulled (not kept) */
    size_t frame_gaps; /* frames that did not start where the one before ended */
    long long frames_end; /* where the last frame ended */
} rc_result;

/* Analyze nframes interleaved frames, pushed block frames at a time. prof may
 * be NULL (defaults). Returns CS_OK or the first error (also kept in res). */
int rc_run(const float *frames, size_t nframes, int channels, int rate_hz, size_t block,
           const cs_profile *prof, rc_result *res);

/* The same with a configuration of the caller's (its rate and channels). */
int rc_run_config(const float *frames, size_t nframes, const cs_config *cfg, size_t block,
                  const cs_profile *prof, rc_result *res);

/* Render a generated call (stereo) and analyze it. */
int rc_run_call(const cg_call *call, size_t block, const cs_profile *prof, rc_result *res);

void rc_free(rc_result *res);

/* A key's value in the built-in profile (NAN for an unknown key), so tests
 * derive their tolerances from the defaults rather than repeat them. */
double rc_default_value(const char *key);

/* Events of a type by a speaker (-1: any speaker). */
int rc_count(const rc_result *res, cs_event_type type, int speaker);
const cs_event *rc_nth(const rc_result *res, cs_event_type type, int speaker, int n);

double rc_sec(const rc_result *res, long long sample);

/* Flags of a kind, and the n-th of them (NULL when there is none). */
int rc_flag_count(const rc_result *res, cs_flag_kind kind);
const cs_flag *rc_nth_flag(const rc_result *res, cs_flag_kind kind, int n);

/* Print every event and the main summary figures, for a failing case. */
void rc_dump(const rc_result *res, const char *title);
void rc_dump_truth(const cg_call *call);

#endif
