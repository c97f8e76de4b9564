/*
 * What the tool's reports say about a run besides its figures (the input,
 * its format and warnings, how the speakers were found), and the per-call
 * JSON report, which the library writes (cs_call_write_report, laid out as
 * docs/report.md documents it) to a file here.
 */
#ifndef CS_CLI_REPORT_JSON_H
#define CS_CLI_REPORT_JSON_H

#include <stdio.h>

#include "callscope/callscope.h"
#include "cli/call_run.h"

#define REPORT_SCHEMA CS_REPORT_SCHEMA

typedef struct report_source {
    const char *path;          /* as given ("-" for stdin) */
    double duration_s;
    int sample_rate_hz;
    int channels;
    const char *format;        /* "wav/ulaw", ... */
    int speaker_channel[CS_MAX_SPEAKERS]; /* input channel of each speaker, -1 if none */
    int two_party;             /* both speakers are heard: shares, interruptions... make sense */
    int diarized;              /* both in one channel, told apart by voice */
    int upmixed;               /* a stereo file with two identical channels, taken as one */
    int voices;                /* diarized: voices found (0 when nobody spoke, 1 or 2) */
    double separation_confidence;
    int separation_doubtful;   /* two voices, told apart with too little confidence to trust who said what */
    const char *const *warnings;
    int warning_count;
    const char *baseline_path; /* --baseline, or NULL */
    const char *tone_model;    /* name of the tone model in force */
    const cs_coaching *coaching; /* flag messages and tips */
    const cs_call *call;       /* the run's call, whose notes these are */
    const char *metadata;      /* the call's metadata (call_meta.h), or NULL */
} report_source;

/* The note on a doubtful separation (what it means for the flags), or NULL. */
const char *report_doubt_note(const report_source *src);

struct analysis_setup;

/* Describe a successful run of `path` analysed with `setup`; the warnings
 * are pointed to from `warnings` (room for SOURCE_MAX_WARNINGS), which must
 * outlive rs. */
void report_source_from_run(report_source *rs, const call_run *run, const char *path,
                            const struct analysis_setup *setup, const char **warnings);

/* Flags the report raises. */
int report_flag_count(const call_run *run);

/* The report's plain word on how the speakers were found (one voice in a
 * mono file, an upmixed stereo file, a mono file taken as one speaker), or
 * NULL when there is nothing to say. */
const char *report_source_note(const report_source *src);

/* Write the report of a successful run to fp (its meta: the run's own CPU
 * and elapsed time). Returns 0, or an errno value (EIO when the stream
 * failed without one). */
int report_json_write(FILE *fp, call_run *run, const report_source *src, const cs_profile *prof);

#endif
