/*
 * The coach's per-call report: one self-contained HTML file (no network
 * fetches; a Content-Security-Policy forbids them and any script but its own).
 *
 *   header      file, duration, score, talk share, interruptions each way,
 *               pace, calm
 *   timeline    inline SVG: an overview of the whole call, then detail rows
 *               of a fixed span (longer for long calls) with the speakers'
 *               lanes, overlaps, interruptions, dead air, flag bands, and
 *               pitch / level / arousal curves under them
 *   flags       every flagged moment with its message and tip; a click plays
 *               the recording from just before it
 *   speakers    the per-speaker table
 *
 * Class names the tests count: in #overview, rect.speech per segment and
 * rect.flag-marker per flag; li.flag-item per flag in the list.
 */
#ifndef CS_CLI_REPORT_HTML_H
#define CS_CLI_REPORT_HTML_H

#include <stdio.h>

#include "cli/call_run.h"
#include "cli/report_json.h"

typedef struct html_audio {
    const char *src_path;   /* the recording as opened, or NULL (stdin): no player */
    const char *out_path;   /* where the report goes (for the relative path) */
    int embed;              /* 1: the recording inside the file as a data: URI */
} html_audio;

/* 0, or an errno value. */
int report_html_write(FILE *fp, call_run *run, const report_source *src, const html_audio *audio);

#endif
