/*
 * The coach's per-call report: one self-contained HTML file (no network
 * fetches; a Content-Security-Policy forbids them and any script but its own;
 * its style sheet and script are assets/report.css and assets/report.js).
 * It is drawn from the call's JSON report alone, so a page can be made
 * again, or made later, without analysing the call again.
 *
 *   header      file, duration, score, talk share, interruptions each way,
 *               pace, calm
 *   player      the recording, linked (by its path relative to the page,
 *               then by where it was when the page was made; the page says
 *               when neither can be played) or embedded (as it is, or as a
 *               16-bit WAV copy when browsers do not all play its format)
 *   timeline    inline SVG: an overview of the whole call, then detail rows
 *               of a fixed span (longer for long calls) with the speakers'
 *               lanes, overlaps, interruptions, dead air, flag bands, and
 *               pitch / level / arousal curves on their scales under them; a
 *               click plays the call from the moment under the pointer, and a
 *               playhead follows the audio
 *   flags       every flagged moment with its message and tip; a click plays
 *               the recording from just before it
 *   events      every event (interruptions either way, overtalk, dead air,
 *               laughter, hold, backchannels, overlaps) with a play button
 *   speakers    the per-speaker table
 *
 * Class names the tests count: in #overview, rect.speech per segment and
 * rect.flag-marker per flag; li.flag-item per flag in the list; li.event
 * per event; svg.timeline per timeline, each with one line.playhead when the
 * page has a player.
 */
#ifndef CS_CLI_REPORT_HTML_H
#define CS_CLI_REPORT_HTML_H

#include <stdio.h>

typedef struct html_audio {
    const char *src_path;   /* the recording, or NULL or "-" (stdin): no player */
    const char *out_path;   /* where the page goes (for the relative path) */
    int embed;              /* 1: the recording inside the page as a data: URI */
} html_audio;

/* Write the page of the JSON report open on report_fd (read with pread, from
 * its start). 0, or an errno value: EINVAL when the report is not one. */
int report_html_write(FILE *fp, int report_fd, const html_audio *audio);

/* Whether the page at html_path was made with its recording embedded: 1
 * yes, 0 no, -1 no such page (or not one of ours). */
int report_html_embeds_audio(const char *html_path);

#endif
