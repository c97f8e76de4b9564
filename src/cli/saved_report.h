/*
 * A JSON report (callscope.report/1, docs/report.md) read back from its
 * file, for the coach's page: the page is drawn from the report alone, so a
 * scan asked for pages after the fact draws them from the reports it kept
 * instead of analysing the calls again.
 *
 * Opening reads the small parts (the source, the per-speaker and whole-call
 * figures) and notes where each list starts; the lists (segments, events,
 * flags, each track) are then walked an item at a time from their place in
 * the file, as often as the page needs, so memory stays flat whatever the
 * length of the call.
 */
#ifndef CS_CLI_SAVED_REPORT_H
#define CS_CLI_SAVED_REPORT_H

#include <limits.h>
#include <sys/types.h>

#include "callscope/callscope.h"
#include "cli/json_reader.h"

/* The per-speaker figures the page shows; NAN where the report has null. */
typedef struct saved_speaker {
    double talk_s, talk_share, turns, interruptions_made, backchannels_made, response_latency_median_s;
    double longest_monologue_s, pace_syl_per_s, pitch_median_hz, pitch_range_st, level_db, calm_score;
} saved_speaker;

typedef enum saved_track { TRACK_PITCH, TRACK_LEVEL, TRACK_AROUSAL, SAVED_TRACKS } saved_track;

/* Long enough for any path (a name's ill-formed bytes each take three in the report). */
#define SAVED_PATH_MAX (3 * PATH_MAX)
#define SAVED_TEXT_MAX 1024

typedef struct saved_report {
    int fd;
    char path[SAVED_PATH_MAX];  /* source.path */
    double duration_s;
    char format[32];            /* source.format: "wav/ulaw", "mp3" */
    char separation[16];        /* channels, diarized or single */
    double separation_confidence;
    double voices;
    int separation_doubtful;
    char separation_note[SAVED_TEXT_MAX];
    char tone_model[SAVED_TEXT_MAX];
    saved_speaker speaker[CS_MAX_SPEAKERS];
    double score;
    double flag_count;
    double hop_s;               /* NAN when the report has no tracks */
    off_t segments_at, events_at, flags_at;          /* where each list starts; -1 when absent */
    off_t track_at[CS_MAX_SPEAKERS][SAVED_TRACKS];   /* -1: no track */
} saved_report;

/* One item of segments (type "segment") or events. */
typedef struct saved_event {
    char type[24];
    int speaker, other;         /* CS_AGENT, CS_CUSTOMER, or -1 for null */
    double start_s, end_s;
    double overlap_s;           /* interruptions; NAN otherwise */
} saved_event;

typedef struct saved_flag {
    char kind[32];
    double start_s, end_s, severity;
    int doubtful;
    char message[SAVED_TEXT_MAX];
    char tip[SAVED_TEXT_MAX];
} saved_flag;

/* Read the report open on fd (positioned anywhere; it is read with pread).
 * 0, or an errno value: EINVAL when it is not a callscope.report/1 report. */
int saved_report_open(saved_report *rep, int fd);

/* A list from its start: then *_next gives 1 with an item, 0 at its end,
 * -1 when the file is malformed or unreadable (jr_errno says which). */
void saved_list_begin(const saved_report *rep, off_t list_at, json_reader *r);
int saved_event_next(json_reader *r, saved_event *ev);
int saved_flag_next(json_reader *r, saved_flag *fl);

/* A speaker's track from its start: each value in turn (NAN for null), 1,
 * 0 at its end, -1 malformed. Only for a track the report has. */
int saved_track_next(json_reader *r, double *value);

#endif
