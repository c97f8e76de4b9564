/*
 * What live mode shows while a call runs: the live event stream (JSON Lines
 * of ticks, cues and flags, flushed as they happen), the agent's panel on
 * the terminal, and an optional recording of the audio. It watches a
 * call_run through a call_observer, so a recording can be replayed through
 * the same view (analyze --events) as a capture device is heard live.
 */
#ifndef CS_CLI_LIVE_VIEW_H
#define CS_CLI_LIVE_VIEW_H

#include "callscope/callscope.h"
#include "cli/analysis_setup.h"
#include "cli/call_run.h"

#include <stdio.h>

typedef enum live_display {
    LIVE_DISPLAY_NONE = 0,
    LIVE_DISPLAY_PANEL,   /* a terminal: the panel redrawn in place */
    LIVE_DISPLAY_LINES    /* anything else: one line per cue */
} live_display;

typedef struct live_view_options {
    FILE *events;              /* NULL: no event stream */
    live_display display;
    int color;                 /* panel colours (off with NO_COLOR or TERM=dumb) */
    double duration_s;         /* end the call after this much audio; 0 never */
} live_view_options;

typedef struct live_view live_view;

/* NULL when out of memory. setup must outlive the view. */
live_view *live_view_new(const live_view_options *opt, const analysis_setup *setup);
void live_view_observer(live_view *v, call_observer *obs);
/* Keep the audio heard in `path` (FLAC for .flac, WAV otherwise, RF64 past
 * 4 GB), written as it comes and put in place when the call ends. Returns
 * 0, or -1 with the reason in why. No audio is stored without it. */
int live_view_record(live_view *v, const char *path, int rate_hz, int channels, char *why, size_t why_cap);
/* After the run: the last voice flags written, the recording committed.
 * Returns 0, or -1 with a message in why (the events or the recording
 * could not be written). */
int live_view_finish(live_view *v, int run_ok, char *why, size_t why_cap);
void live_view_free(live_view *v);

/* The display that suits stderr: a panel on a terminal, lines otherwise;
 * colour unless NO_COLOR is set or the terminal is dumb. */
void live_view_pick_display(live_view_options *opt);

#endif
