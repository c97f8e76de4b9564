#define _XOPEN_SOURCE 700 /* realpath */
/* The coach's HTML report; see report_html.h. */
#include "cli/report_html.h"

#include "cli/assets.h"
#include "cli/cli.h"
#include "cli/html_text.h"
#include "cli/saved_report.h"
#include "cli/source_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* SVG user units: the timeline is drawn 1000 wide and scales to the page. */
#define SVG_W 1000.0
#define PLOT_X 78.0
#define PLOT_W (SVG_W - PLOT_X - 8.0)
#define LANE_H 16.0
#define CHART_H 44.0
#define PLAY_BEFORE_S 2.0   /* a flag's or an event's clip starts this long before the moment */
#define MILD_SEVERITY 0.6  /* a flag below this severity is drawn lighter (severity is 0.5-1) */
#define EVENTS_SHOWN_OPEN 20 /* a kind of event with more than this many is listed folded */

/* What the page is drawn from: the report, and a reader on each track
 * that moves forward row by row. */
typedef struct page {
    FILE *fp;
    saved_report rep;
    int two;                 /* both parties are heard */
    int player;              /* the page has a player a click can start */
    json_reader track[CS_MAX_SPEAKERS][SAVED_TRACKS];
    long track_next[CS_MAX_SPEAKERS][SAVED_TRACKS]; /* the frame each reader reads next */
    int err;                 /* the first failure reading the report, an errno value */
} page;

typedef struct span {
    double t0, t1;          /* seconds shown */
} span;

static double x_of(const span *sp, double t)
{
    double x = PLOT_X + (t - sp->t0) / (sp->t1 - sp->t0) * PLOT_W;
    return x < PLOT_X ? PLOT_X : x > PLOT_X + PLOT_W ? PLOT_X + PLOT_W : x;
}

static double play_from(double t) { return t - PLAY_BEFORE_S > 0 ? t - PLAY_BEFORE_S : 0; }

/* -1 after a list of the report could not be read on. */
static int read_failed(page *pg, const json_reader *r)
{
    if (!pg->err)
        pg->err = jr_errno(r) ? jr_errno(r) : EINVAL;
    return -1;
}

/* A file: URL for an absolute path. */
static void file_url(FILE *fp, const char *absolute)
{
    fputs("file://", fp);
    html_url_path(fp, absolute);
}

/* ---- the header ---- */

static void fact(FILE *fp, const char *cls, const char *label, const char *value)
{
    fprintf(fp, "<div class=\"fact%s%s\">%s<b>", cls ? " " : "", cls ? cls : "", label);
    html_escape(fp, value);
    fputs("</b></div>\n", fp);
}

static void number_text(char *buf, size_t cap, double v, int decimals, const char *unit)
{
    if (isfinite(v))
        snprintf(buf, cap, "%.*f%s", decimals, v, unit);
    else
        snprintf(buf, cap, "n/a");
}

static void pair_text(char *buf, size_t cap, double agent, double customer, int decimals, const char *unit)
{
    char a[48], c[48];
    number_text(a, sizeof a, agent, decimals, unit);
    number_text(c, sizeof c, customer, decimals, unit);
    snprintf(buf, cap, "%s / %s", a, c);
}

static void write_header(page *pg)
{
    const saved_report *rep = &pg->rep;
    const saved_speaker *ag = &rep->speaker[CS_AGENT], *cu = &rep->speaker[CS_CUSTOMER];
    FILE *fp = pg->fp;
    char buf[160];
    fputs("<header>\n<h1>", fp);
    html_escape(fp, strcmp(rep->path, "-") == 0 ? "stdin" : rep->path);
    fputs("</h1>\n<div class=\"facts\">\n", fp);
    number_text(buf, sizeof buf, rep->score, 0, "/100");
    fact(fp, "score", "call score", buf);
    cli_format_clock(buf, sizeof buf, rep->duration_s);
    fact(fp, NULL, "duration", buf);
    number_text(buf, sizeof buf, pg->two ? ag->talk_share * 100 : NAN, 0, "%");
    fact(fp, NULL, "agent talk share", buf);
    if (pg->two) {
        pair_text(buf, sizeof buf, ag->interruptions_made, cu->interruptions_made, 0, "");
        fact(fp, NULL, "interruptions by agent / customer", buf);
    }
    pair_text(buf, sizeof buf, ag->pace_syl_per_s, pg->two ? cu->pace_syl_per_s : NAN, 1, " syl/s");
    fact(fp, NULL, "pace agent / customer", buf);
    pair_text(buf, sizeof buf, ag->calm_score * 100, pg->two ? cu->calm_score * 100 : NAN, 0, "");
    fact(fp, NULL, "calm agent / customer", buf);
    number_text(buf, sizeof buf, rep->flag_count, 0, "");
    fact(fp, NULL, "flags", buf);
    /* Who said what rests on the separation: say how sure it is. */
    if (strcmp(rep->separation, "diarized") == 0 && rep->voices == 2) {
        snprintf(buf, sizeof buf, "%.0f%%%s", rep->separation_confidence * 100,
                 rep->separation_doubtful ? " (doubtful)" : "");
        fact(fp, NULL, "mono separation confidence", buf);
    }
    fputs("</div>\n</header>\n", fp);
}

/* ---- timeline pieces ---- */

/* Lane tops inside a row's SVG. */
#define MARKS_Y 2.0
#define LANE_Y(s) (14.0 + (s) * (LANE_H + 4.0))
#define LANES_END (LANE_Y(2) - 4.0)

static void rect(FILE *fp, const char *cls, double x0, double y, double x1, double h, const char *extra)
{
    double w = x1 - x0 < 0.6 ? 0.6 : x1 - x0;
    fprintf(fp, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"%s/>\n", cls, x0, y, w, h,
            extra ? extra : "");
}

static int draw_segments(page *pg, const span *sp, const char *cls)
{
    json_reader r;
    saved_list_begin(&pg->rep, pg->rep.segments_at, &r);
    saved_event ev;
    int rc;
    char name[64];
    while ((rc = saved_event_next(&r, &ev)) > 0) {
        if (ev.start_s >= sp->t1)
            break;
        if (ev.end_s <= sp->t0 || ev.speaker < 0)
            continue;
        snprintf(name, sizeof name, "%s %s", cls, cs_speaker_name(ev.speaker));
        rect(pg->fp, name, x_of(sp, ev.start_s), LANE_Y(ev.speaker == CS_CUSTOMER), x_of(sp, ev.end_s), LANE_H, NULL);
    }
    return rc < 0 ? read_failed(pg, &r) : 0;
}

static const char *speaker_or(int speaker, const char *none)
{
    return speaker >= 0 && speaker < CS_MAX_SPEAKERS ? cs_speaker_name(speaker) : none;
}

static void draw_event(page *pg, const span *sp, const saved_event *ev)
{
    FILE *fp = pg->fp;
    double x0 = x_of(sp, ev->start_s), x1 = x_of(sp, ev->end_s);
    int lane = ev->speaker == CS_CUSTOMER;
    if (strcmp(ev->type, "dead_air") == 0) {
        rect(fp, "deadair", x0, LANE_Y(0), x1, LANES_END - LANE_Y(0), NULL);
    } else if (strcmp(ev->type, "hold") == 0) {
        rect(fp, "hold", x0, LANE_Y(lane), x1, LANE_H, NULL);
    } else if (strcmp(ev->type, "laughter") == 0) {
        /* A band just under the laugher's lane, where their speech bars
         * (drawn later) do not cover it. */
        fprintf(fp, "<g><title>%s laughing</title>", speaker_or(ev->speaker, "someone"));
        rect(fp, "laughter", x0, LANE_Y(lane) + LANE_H + 0.5, x1, 3, NULL);
        fputs("</g>\n", fp);
    } else if (strcmp(ev->type, "overlap") == 0 || strcmp(ev->type, "overtalk") == 0 ||
               strcmp(ev->type, "interruption") == 0) {
        rect(fp, strcmp(ev->type, "overlap") == 0 ? "overlap" : "overtalk", x0, LANE_Y(0) + LANE_H - 2, x1,
             LANE_Y(1) - LANE_Y(0) + 4, NULL);
        if (strcmp(ev->type, "interruption") == 0)
            /* A wedge pointing down at the interrupter's onset; a click plays it. */
            fprintf(fp, "<path class=\"interruption\" data-t=\"%.2f\" d=\"M%.1f %.1fl-4 -7h8z\"><title>%s "
                        "interrupted %s</title></path>\n",
                    play_from(ev->start_s), x0, LANE_Y(lane), speaker_or(ev->speaker, "someone"),
                    speaker_or(ev->other, "someone"));
    }
}

static int draw_events(page *pg, const span *sp)
{
    json_reader r;
    saved_list_begin(&pg->rep, pg->rep.events_at, &r);
    saved_event ev;
    int rc;
    while ((rc = saved_event_next(&r, &ev)) > 0)
        if (ev.end_s >= sp->t0 && ev.start_s < sp->t1)
            draw_event(pg, sp, &ev);
    return rc < 0 ? read_failed(pg, &r) : 0;
}

static int draw_flags(page *pg, const span *sp, int overview)
{
    FILE *fp = pg->fp;
    json_reader r;
    saved_list_begin(&pg->rep, pg->rep.flags_at, &r);
    saved_flag fl;
    int rc, index = 0;
    while ((rc = saved_flag_next(&r, &fl)) > 0) {
        index++;
        if (fl.end_s < sp->t0 || fl.start_s >= sp->t1)
            continue;
        char extra[48];
        snprintf(extra, sizeof extra, " data-t=\"%.2f\"", play_from(fl.start_s));
        double x0 = x_of(sp, fl.start_s), x1 = x_of(sp, fl.end_s);
        if (!overview) {
            fprintf(fp, "<g>");
            rect(fp, "flag-band", x0, MARKS_Y, x1, LANES_END - MARKS_Y, NULL);
        }
        fprintf(fp, "<a href=\"#flag-%d\">", index);
        rect(fp, overview ? "flag-marker" : "flag-tick", x0, MARKS_Y, x1 - x0 < 3 ? x0 + 3 : x1, 8, extra);
        fputs("<title>", fp);
        html_escape(fp, fl.kind);
        fputs(": ", fp);
        html_escape(fp, fl.message);
        fputs("</title></a>", fp);
        fputs(overview ? "\n" : "</g>\n", fp);
    }
    return rc < 0 ? read_failed(pg, &r) : 0;
}

/* The charts under each row: what they show, on which scale, with which
 * values marked on it. */
typedef struct chart {
    const char *name, *unit;
    double low, high;       /* the bottom and the top of the chart */
    int log_scale;
    double ticks[3];
} chart;

static const chart charts[SAVED_TRACKS] = {
    [TRACK_PITCH] = {"pitch", "Hz", 60, 400, 1, {100, 200, 400}},
    [TRACK_LEVEL] = {"level", "dBFS", -60, 0, 0, {-60, -30, 0}},
    [TRACK_AROUSAL] = {"arousal", "0-1", 0, 1, 0, {0, 0.5, 1}},
};

static double chart_y(const chart *c, double v, double top)
{
    double u = c->log_scale ? log(v / c->low) / log(c->high / c->low) : (v - c->low) / (c->high - c->low);
    u = u < 0 ? 0 : u > 1 ? 1 : u;
    return top + (1 - u) * (CHART_H - 2) + 1;
}

/* A chart's frame: its background, name and unit, and its scale. */
static void draw_chart_frame(FILE *fp, const chart *c, double top)
{
    fprintf(fp, "<rect class=\"chart-bg\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>", PLOT_X, top, PLOT_W,
            CHART_H);
    fprintf(fp, "<text x=\"4\" y=\"%.1f\">%s</text><text class=\"unit\" x=\"4\" y=\"%.1f\">%s</text>\n", top + 16,
            c->name, top + 29, c->unit);
    for (int i = 0; i < 3; i++) {
        double y = chart_y(c, c->ticks[i], top);
        double text_y = y + 3.5 < top + 8 ? top + 8 : y + 3.5 > top + CHART_H - 1 ? top + CHART_H - 1 : y + 3.5;
        fprintf(fp, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", PLOT_X, y,
                PLOT_X + PLOT_W, y);
        fprintf(fp, "<text class=\"scale\" x=\"%.1f\" y=\"%.1f\">%g</text>\n", PLOT_X - 3, text_y, c->ticks[i]);
    }
}

/* One speaker's curve in a row, broken where they are silent, thinned to
 * about one point per unit of width. Frame i of a track covers i to i + 1
 * hops; it is drawn at its middle, in the row that holds its middle. */
static int draw_curve(page *pg, const span *sp, int s, saved_track k, double top)
{
    FILE *fp = pg->fp;
    double hop_s = pg->rep.hop_s;
    json_reader *r = &pg->track[s][k];
    long *next = &pg->track_next[s][k];
    long first = (long)ceil(sp->t0 / hop_s - 0.5), end = (long)ceil(sp->t1 / hop_s - 0.5);
    long per_row = lround((sp->t1 - sp->t0) / hop_s);
    long stride = per_row / (long)PLOT_W + 1;
    int open = 0, rc = 1;
    double v;
    while (*next < first && (rc = saved_track_next(r, &v)) > 0)
        (*next)++;
    for (; rc > 0 && *next < end && (rc = saved_track_next(r, &v)) > 0; (*next)++) {
        if ((*next - first) % stride)
            continue;
        if (!isfinite(v) || (k == TRACK_PITCH && !(v > 0))) {
            if (open)
                fputs("\"/>\n", fp);
            open = 0;
            continue;
        }
        if (!open)
            fprintf(fp, "<polyline class=\"curve %s\" points=\"", cs_speaker_name(s));
        fprintf(fp, "%.1f,%.1f ", x_of(sp, (*next + 0.5) * hop_s), chart_y(&charts[k], v, top));
        open = 1;
    }
    if (open)
        fputs("\"/>\n", fp);
    return rc < 0 ? read_failed(pg, r) : 0;
}

static void draw_axis(FILE *fp, const span *sp, double y_bottom)
{
    double len = sp->t1 - sp->t0;
    static const double steps[] = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200};
    double step = steps[sizeof steps / sizeof *steps - 1];
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
        if (len / steps[i] <= 12) {
            step = steps[i];
            break;
        }
    for (double t = ceil(sp->t0 / step) * step; t <= sp->t1 + 1e-9; t += step) {
        double x = x_of(sp, t);
        char c[32];
        cli_format_clock(c, sizeof c, t);
        if (step >= 1 && strlen(c) > 2 && strcmp(c + strlen(c) - 2, ".0") == 0)
            c[strlen(c) - 2] = '\0';
        fprintf(fp, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", x, MARKS_Y, x, y_bottom);
        /* The last label stays inside the picture. */
        const char *anchor = x > PLOT_X + PLOT_W - 12 ? "end" : "middle";
        fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>\n", x, y_bottom + 11, anchor, c);
    }
}

static void lane_labels(FILE *fp, int two)
{
    for (int s = 0; s < (two ? 2 : 1); s++) {
        fprintf(fp, "<rect class=\"lane\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>", PLOT_X, LANE_Y(s),
                PLOT_W, LANE_H);
        fprintf(fp, "<text x=\"4\" y=\"%.1f\">%s</text>\n", LANE_Y(s) + 12, cs_speaker_name(s));
    }
}

/* ---- the timeline ---- */

/* Detail rows: a 3-minute call in minute rows, an hour in 5-minute rows. */
static double row_span_s(double duration_s)
{
    return duration_s <= 300 ? 60 : duration_s <= 1200 ? 120 : duration_s <= 5400 ? 300 : 600;
}

/* A timeline's opening: what the page's script needs to turn a click into a
 * time and to place the playhead. */
static void open_timeline(page *pg, const char *id, const span *sp, double height, const char *label)
{
    fprintf(pg->fp, "<svg id=\"%s\" class=\"timeline%s\" viewBox=\"0 0 %.0f %.0f\" data-t0=\"%.3f\" data-t1=\"%.3f\" "
                    "data-x0=\"%.1f\" data-w=\"%.1f\" data-end=\"%.3f\" role=\"img\" aria-label=\"%s\">\n",
            id, pg->player ? " playable" : "", SVG_W, height, sp->t0, sp->t1, PLOT_X, PLOT_W, pg->rep.duration_s,
            label);
}

/* Drawn last, over everything; the script moves it and shows it. */
static void close_timeline(page *pg, double bottom)
{
    if (pg->player)
        fprintf(pg->fp, "<line class=\"playhead\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" visibility=\"hidden\"/>\n",
                PLOT_X, MARKS_Y, PLOT_X, bottom);
    fputs("</svg>\n", pg->fp);
}

static int write_overview(page *pg, double row_s)
{
    FILE *fp = pg->fp;
    double duration_s = pg->rep.duration_s;
    span sp = {0, duration_s > 0 ? duration_s : 1};
    open_timeline(pg, "overview", &sp, LANES_END + 16, "whole call");
    lane_labels(fp, pg->two);
    if (draw_events(pg, &sp) < 0 || draw_segments(pg, &sp, "speech") < 0 || draw_flags(pg, &sp, 1) < 0)
        return -1;
    draw_axis(fp, &sp, LANES_END);
    /* Each stretch of the overview leads to its detail row. */
    int rows = (int)ceil(duration_s / row_s);
    for (int r = 0; r < rows && rows > 1; r++) {
        span rs = {r * row_s, (r + 1) * row_s};
        fprintf(fp, "<a href=\"#row-%d\">", r);
        rect(fp, "row-link", x_of(&sp, rs.t0), LANE_Y(0), x_of(&sp, rs.t1), LANES_END - LANE_Y(0), NULL);
        fputs("</a>", fp);
    }
    close_timeline(pg, LANES_END);
    return 0;
}

static int write_row(page *pg, int r, double row_s)
{
    FILE *fp = pg->fp;
    span sp = {r * row_s, (r + 1) * row_s};
    int voice_on = isfinite(pg->rep.hop_s) && pg->rep.hop_s > 0;
    int charts_shown = voice_on ? SAVED_TRACKS : 0;
    double charts_top = LANES_END + 6;
    double bottom = charts_top + charts_shown * (CHART_H + 4);
    char id[32], label[80], from[32], to[32];
    snprintf(id, sizeof id, "row-%d-timeline", r);
    cli_format_clock(from, sizeof from, sp.t0);
    cli_format_clock(to, sizeof to, sp.t1);
    snprintf(label, sizeof label, "%s to %s", from, to);
    fprintf(fp, "<div class=\"row\" id=\"row-%d\">", r);
    open_timeline(pg, id, &sp, bottom + 14, label);
    lane_labels(fp, pg->two);
    for (int c = 0; c < charts_shown; c++)
        draw_chart_frame(fp, &charts[c], charts_top + c * (CHART_H + 4));
    draw_axis(fp, &sp, bottom);
    if (draw_events(pg, &sp) < 0 || draw_segments(pg, &sp, "seg") < 0)
        return -1;
    for (int c = 0; c < charts_shown; c++)
        for (int s = 0; s < CS_MAX_SPEAKERS; s++)
            if (pg->rep.track_at[s][c] >= 0 && draw_curve(pg, &sp, s, (saved_track)c, charts_top + c * (CHART_H + 4)) < 0)
                return -1;
    if (draw_flags(pg, &sp, 0) < 0)
        return -1;
    close_timeline(pg, bottom);
    fputs("</div>\n", fp);
    return 0;
}

static void legend(FILE *fp)
{
    static const char *const items[][2] = {
        {"agent", "agent speech"}, {"customer", "customer speech"}, {"overtalk", "interruption / overtalk"},
        {"overlap", "hand-over overlap"}, {"deadair", "dead air"}, {"hold", "hold"}, {"laughter", "laughter"},
        {"flag-marker", "flag"}};
    fputs("<p class=\"legend\">", fp);
    for (size_t i = 0; i < sizeof items / sizeof *items; i++)
        fprintf(fp, "<span><svg class=\"sw\" viewBox=\"0 0 12 12\"><rect class=\"%s\" width=\"12\" height=\"12\"/>"
                    "</svg>%s</span>", items[i][0], items[i][1]);
    fputs("</p>\n", fp);
}

/* ---- flags, events, speakers ---- */

static void play_button(FILE *fp, double t, double at)
{
    char clock[32];
    cli_format_clock(clock, sizeof clock, at);
    fprintf(fp, "<button class=\"play\" data-t=\"%.2f\">&#9654; %s</button>", t, clock);
}

static int write_flag_list(page *pg)
{
    FILE *fp = pg->fp;
    fprintf(fp, "<h2>Flagged moments (%.0f)</h2>\n", isfinite(pg->rep.flag_count) ? pg->rep.flag_count : 0);
    if (pg->rep.separation_note[0]) {
        fputs("<p class=\"note\">Mono recording: ", fp);
        html_escape(fp, pg->rep.separation_note);
        fputs(".</p>\n", fp);
    }
    json_reader r;
    saved_list_begin(&pg->rep, pg->rep.flags_at, &r);
    saved_flag fl;
    int rc, index = 0;
    fputs("<ol class=\"flags\">\n", fp);
    while ((rc = saved_flag_next(&r, &fl)) > 0) {
        index++;
        char c0[32], c1[32];
        cli_format_clock(c0, sizeof c0, fl.start_s);
        cli_format_clock(c1, sizeof c1, fl.end_s);
        fprintf(fp, "<li class=\"flag-item%s\" id=\"flag-%d\">", fl.severity < MILD_SEVERITY ? " mild" : "", index);
        play_button(fp, play_from(fl.start_s), fl.start_s);
        fputs("<span class=\"kind\">", fp);
        html_escape(fp, fl.kind);
        fprintf(fp, "</span> &middot; %s to %s &middot; severity %.2f%s\n", c0, c1, fl.severity,
                fl.doubtful ? " &middot; <span class=\"doubtful\">who said what is doubtful</span>" : "");
        fputs("<p class=\"msg\">", fp);
        html_escape(fp, fl.message);
        fputs("</p><p class=\"tip\">Tip: ", fp);
        html_escape(fp, fl.tip);
        fputs("</p></li>\n", fp);
    }
    fputs("</ol>\n", fp);
    if (rc < 0)
        return read_failed(pg, &r);
    if (index == 0)
        fputs("<p class=\"note\">No flags: nothing in this call needs a coach's attention.</p>\n", fp);
    return 0;
}

/* The events the report lists, in the order the page lists them. */
static const char *const event_kind[][2] = {
    {"interruption", "Interruptions"}, {"overtalk", "Overtalk"},    {"dead_air", "Dead air"},
    {"laughter", "Laughter"},          {"hold", "Hold"},            {"backchannel", "Backchannels"},
    {"overlap", "Hand-over overlaps"}};
#define EVENT_KINDS (sizeof event_kind / sizeof *event_kind)

static void event_text(FILE *fp, const saved_event *ev)
{
    const char *who = speaker_or(ev->speaker, "someone"), *other = speaker_or(ev->other, "someone");
    double len = ev->end_s - ev->start_s;
    if (strcmp(ev->type, "interruption") == 0) {
        fprintf(fp, "the %s interrupted the %s", who, other);
        if (isfinite(ev->overlap_s))
            fprintf(fp, ", who went on for %.1f s", ev->overlap_s);
    } else if (strcmp(ev->type, "overtalk") == 0) {
        fprintf(fp, "the %s talked over the %s for %.1f s", who, other, len);
    } else if (strcmp(ev->type, "overlap") == 0) {
        fprintf(fp, "the %s took the turn %.1f s before the %s finished", who, len, other);
    } else if (strcmp(ev->type, "backchannel") == 0) {
        fprintf(fp, "the %s acknowledged the %s", who, other);
    } else if (strcmp(ev->type, "dead_air") == 0) {
        fprintf(fp, "%.1f s of dead air", len);
    } else if (strcmp(ev->type, "hold") == 0) {
        fprintf(fp, "the %s's side on hold for %.1f s", who, len);
    } else if (strcmp(ev->type, "laughter") == 0) {
        fprintf(fp, "the %s laughed for %.1f s", who, len);
    }
}

/* Every event the report lists, by kind, each with its play button: the
 * customer's interruptions as well as the agent's, dead air, laughter... */
static int write_event_list(page *pg)
{
    FILE *fp = pg->fp;
    long count[EVENT_KINDS] = {0}, by[EVENT_KINDS][CS_MAX_SPEAKERS] = {{0}}, total = 0;
    json_reader r;
    saved_event ev;
    int rc;
    saved_list_begin(&pg->rep, pg->rep.events_at, &r);
    while ((rc = saved_event_next(&r, &ev)) > 0)
        for (size_t k = 0; k < EVENT_KINDS; k++)
            if (strcmp(ev.type, event_kind[k][0]) == 0) {
                count[k]++;
                total++;
                if (ev.speaker >= 0)
                    by[k][ev.speaker]++;
            }
    if (rc < 0)
        return read_failed(pg, &r);
    fprintf(fp, "<h2>Events (%ld)</h2>\n", total);
    if (total == 0)
        fputs("<p class=\"note\">No interruptions, overtalk, dead air, laughter, hold or backchannels.</p>\n", fp);
    for (size_t k = 0; k < EVENT_KINDS; k++) {
        if (count[k] == 0)
            continue;
        fprintf(fp, "<details class=\"events\" data-kind=\"%s\"%s><summary>%s (%ld", event_kind[k][0],
                count[k] <= EVENTS_SHOWN_OPEN ? " open" : "", event_kind[k][1], count[k]);
        if (strcmp(event_kind[k][0], "interruption") == 0 && pg->two)
            fprintf(fp, ": %ld by the agent, %ld by the customer", by[k][CS_AGENT], by[k][CS_CUSTOMER]);
        fputs(")</summary>\n<ol class=\"events\">\n", fp);
        saved_list_begin(&pg->rep, pg->rep.events_at, &r);
        while ((rc = saved_event_next(&r, &ev)) > 0) {
            if (strcmp(ev.type, event_kind[k][0]) != 0)
                continue;
            fprintf(fp, "<li class=\"event\" data-kind=\"%s\" data-speaker=\"%s\">", ev.type,
                    speaker_or(ev.speaker, "none"));
            play_button(fp, play_from(ev.start_s), ev.start_s);
            event_text(fp, &ev);
            fputs("</li>\n", fp);
        }
        if (rc < 0)
            return read_failed(pg, &r);
        fputs("</ol></details>\n", fp);
    }
    return 0;
}

static void cell_number(FILE *fp, double v, int decimals, const char *unit)
{
    if (isfinite(v))
        fprintf(fp, "<td>%.*f%s</td>", decimals, v, unit);
    else
        fputs("<td>n/a</td>", fp);
}

static void write_speaker_table(page *pg)
{
    FILE *fp = pg->fp;
    const saved_speaker *sp[2] = {&pg->rep.speaker[CS_AGENT], &pg->rep.speaker[CS_CUSTOMER]};
    int n = pg->two ? 2 : 1;
    fputs("<h2>Speakers</h2>\n<table><tr><th></th>", fp);
    for (int s = 0; s < n; s++)
        fprintf(fp, "<th>%s</th>", cs_speaker_name(s));
    fputs("</tr>\n", fp);
#define ROW(label, expr, dec, unit)                  \
    do {                                             \
        fputs("<tr><td>" label "</td>", fp);         \
        for (int s = 0; s < n; s++)                  \
            cell_number(fp, (expr), dec, unit);      \
        fputs("</tr>\n", fp);                        \
    } while (0)
    ROW("talk time", sp[s]->talk_s, 1, " s");
    ROW("talk share", sp[s]->talk_share * 100, 0, "%");
    ROW("turns", sp[s]->turns, 0, "");
    ROW("interruptions made", sp[s]->interruptions_made, 0, "");
    ROW("backchannels", sp[s]->backchannels_made, 0, "");
    ROW("response latency (median)", sp[s]->response_latency_median_s, 2, " s");
    ROW("longest monologue", sp[s]->longest_monologue_s, 1, " s");
    ROW("pace", sp[s]->pace_syl_per_s, 1, " syl/s");
    ROW("pitch (median)", sp[s]->pitch_median_hz, 0, " Hz");
    ROW("pitch range", sp[s]->pitch_range_st, 1, " st");
    ROW("level", sp[s]->level_db, 1, " dBFS");
    ROW("calm", sp[s]->calm_score * 100, 0, "/100");
#undef ROW
    fputs("</table>\n", fp);
}

/* ---- the player ---- */

/* Path of `target` relative to the directory of `from_file`; 0 or -1. */
static int relative_path(const char *target, const char *from_file, char *out, size_t cap)
{
    char t[PATH_MAX], dir[PATH_MAX], d[PATH_MAX];
    if (!realpath(target, t))
        return -1;
    snprintf(dir, sizeof dir, "%s", from_file);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == dir)
        slash[1] = '\0';
    else
        *slash = '\0';
    if (!realpath(dir, d))
        return -1;
    /* Length of the shared leading directories. */
    size_t i = 0, common = 0;
    while (t[i] && t[i] == d[i])
        if (t[i++] == '/')
            common = i;
    if (d[i] == '\0' && t[i] == '/')
        common = i + 1;
    size_t len = 0;
    out[0] = '\0';
    if (common <= strlen(d) && d[common] != '\0')
        for (const char *p = d + common - 1; *p; p++)
            if (*p == '/') {
                if (len + 4 > cap)
                    return -1;
                memcpy(out + len, "../", 4);
                len += 3;
            }
    const char *rest = t + common;
    if (len + strlen(rest) + 1 > cap)
        return -1;
    memcpy(out + len, rest, strlen(rest) + 1);
    return 0;
}

/* What browsers make of a recording, by its format as the report names it:
 * Chromium plays PCM, float, mu-law and A-law WAV, FLAC, Ogg Vorbis and Opus
 * and MP3, but no AU, AIFF, CAF, W64 or ADPCM/GSM WAV; the others play
 * fewer of the WAV encodings. */
typedef enum playability { PLAYS_EVERYWHERE, PLAYS_IN_SOME, PLAYS_NOWHERE } playability;

static int format_in(const char *format, const char *const *list)
{
    for (; *list; list++) {
        size_t n = strlen(*list);
        /* "flac/" names every FLAC. */
        if ((*list)[n - 1] == '/' ? strncmp(format, *list, n) == 0 : strcmp(format, *list) == 0)
            return 1;
    }
    return 0;
}

static playability playability_of(const char *format)
{
    static const char *const everywhere[] = {"wav/pcm16", "wav/pcm24", "wav/pcmu8", "wav/float", "flac/",
                                             "ogg/vorbis", "ogg/opus", "mp3", NULL};
    static const char *const some[] = {"wav/ulaw", "wav/alaw", "wav/pcm32", NULL};
    return format_in(format, everywhere) ? PLAYS_EVERYWHERE : format_in(format, some) ? PLAYS_IN_SOME : PLAYS_NOWHERE;
}

static const char *media_type(const char *format)
{
    return strncmp(format, "flac/", 5) == 0  ? "audio/flac"
           : strncmp(format, "ogg/", 4) == 0 ? "audio/ogg"
           : strcmp(format, "mp3") == 0      ? "audio/mpeg"
                                             : "audio/wav";
}

/* A file as base64, read in pieces so memory stays small; 0 or an errno value. */
static int base64_of(FILE *fp, FILE *in)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    unsigned char buf[3 * 4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
        for (size_t i = 0; i < n; i += 3) {
            unsigned v = (unsigned)buf[i] << 16 | (i + 1 < n ? (unsigned)buf[i + 1] << 8 : 0) |
                         (i + 2 < n ? buf[i + 2] : 0);
            fputc(b64[v >> 18 & 63], fp);
            fputc(b64[v >> 12 & 63], fp);
            fputc(i + 1 < n ? b64[v >> 6 & 63] : '=', fp);
            fputc(i + 2 < n ? b64[v & 63] : '=', fp);
        }
        if (n < sizeof buf)
            break;
    }
    return ferror(in) ? EIO : 0;
}

/* Where the page's script says the recording cannot be played. */
static void missing_note(FILE *fp, const char *text)
{
    fputs("<p class=\"note missing\" id=\"audio-missing\" hidden>", fp);
    fputs(text, fp);
    fputs("</p>\n", fp);
}

/* The recording inside the page, as it is or, in a format browsers do not
 * all play, as a 16-bit WAV copy. 0 or an errno value. */
static int write_embedded(page *pg, const char *path)
{
    FILE *fp = pg->fp;
    const char *format = pg->rep.format;
    int as_is = playability_of(format) == PLAYS_EVERYWHERE;
    char why[256];
    FILE *in = as_is ? fopen(path, "rb") : tmpfile();
    if (!in)
        return errno ? errno : EIO;
    if (!as_is && source_file_copy_wav16(path, in, why, sizeof why) != SOURCE_OK) {
        fclose(in);
        fputs("<p class=\"note missing\">The recording could not be put in the page: ", fp);
        html_escape(fp, why);
        fputs(".</p>\n", fp);
        return 0;
    }
    rewind(in);
    fprintf(fp, "<audio id=\"audio\" controls preload=\"none\" src=\"data:%s;base64,", as_is ? media_type(format) : "audio/wav");
    int err = base64_of(fp, in);
    fclose(in);
    if (err)
        return err;
    fputs("\"></audio>\n", fp);
    pg->player = 1;
    if (!as_is) {
        fputs("<p class=\"note\">The recording (", fp);
        html_escape(fp, format);
        fputs(", a format not every browser plays) is in the page as 16-bit WAV.</p>\n", fp);
    }
    missing_note(fp, "This browser could not play the recording in the page.");
    return 0;
}

/* The recording where it is: found from the page by its path relative to
 * the page (which survives moving the page's folder together with the
 * recordings), else by where it was when the page was made (which survives
 * moving the page's folder alone). */
static void write_linked(page *pg, const html_audio *audio)
{
    FILE *fp = pg->fp;
    const char *format = pg->rep.format;
    char rel[PATH_MAX], absolute[PATH_MAX];
    if (relative_path(audio->src_path, audio->out_path, rel, sizeof rel) != 0 || !realpath(audio->src_path, absolute)) {
        fputs("<p class=\"note missing\">The recording could not be located from the report; use --embed-audio.</p>\n", fp);
        return;
    }
    playability plays = playability_of(format);
    if (plays == PLAYS_NOWHERE) {
        fputs("<p class=\"note missing\">Browsers cannot play this recording's format (", fp);
        html_escape(fp, format);
        fputs("), so the page has no player; make it with --embed-audio to put a playable copy inside. "
              "The recording: ", fp);
        html_escape(fp, absolute);
        fputs(".</p>\n", fp);
        return;
    }
    fputs("<audio id=\"audio\" controls preload=\"none\"><source src=\"", fp);
    html_url_path(fp, rel);
    fputs("\"><source src=\"", fp);
    file_url(fp, absolute);
    fputs("\"></audio>\n<p class=\"note\">Player source: ", fp);
    html_escape(fp, rel);
    fputs(" (relative to this report), else ", fp);
    html_escape(fp, absolute);
    fputs(".</p>\n", fp);
    fputs("<p class=\"note missing\" id=\"audio-missing\" hidden>The recording was not found: the page looked for ", fp);
    html_escape(fp, rel);
    fputs(" (relative to this report) and ", fp);
    html_escape(fp, absolute);
    if (plays == PLAYS_IN_SOME) {
        fputs(", or this browser cannot play its format (", fp);
        html_escape(fp, format);
        fputs(")", fp);
    }
    fputs(". Put it back, or make the report again with --embed-audio.</p>\n", fp);
    pg->player = 1;
}

static int write_audio(page *pg, const html_audio *audio)
{
    if (!audio || !audio->src_path || strcmp(audio->src_path, "-") == 0) {
        fputs("<p class=\"note\">The recording came from standard input, so the report has no player.</p>\n", pg->fp);
        return 0;
    }
    if (audio->embed)
        return write_embedded(pg, audio->src_path);
    write_linked(pg, audio);
    return 0;
}

/* The page says how its player was asked for, so a scan can tell a page
 * that --embed-audio would change. */
static const char audio_marker[] = "<meta name=\"callscope-audio\" content=\"";

/* ---- the page ---- */

static int write_page(page *pg, const html_audio *audio)
{
    FILE *fp = pg->fp;
    const saved_report *rep = &pg->rep;
    double row_s = row_span_s(rep->duration_s);
    char nonce[HTML_NONCE_LEN];
    html_nonce(nonce);
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n", fp);
    fprintf(fp, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
                "img-src data:; media-src 'self' file: data:; script-src 'nonce-%s'\">\n", nonce);
    fputs("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n", fp);
    fprintf(fp, "%s%s\">\n<title>callscope: ", audio_marker, audio && audio->embed ? "embedded" : "linked");
    html_escape(fp, strcmp(rep->path, "-") == 0 ? "stdin" : rep->path);
    fprintf(fp, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", asset_report_css);
    write_header(pg);
    int err = write_audio(pg, audio);
    if (err)
        return err;
    if (pg->player)
        fprintf(fp, "<script nonce=\"%s\">\n%s</script>\n", nonce, asset_report_js);
    fputs("<h2>Timeline</h2>\n", fp);
    legend(fp);
    if (write_overview(pg, row_s) < 0)
        return pg->err;
    fprintf(fp, "<p class=\"note\">Whole call above; below in %.0f-minute rows with pitch (60-400 Hz, log scale), "
                "level (-60 to 0 dBFS) and arousal (0 calm to 1 agitated).%s</p>\n",
            row_s / 60,
            pg->player ? " Click anywhere on a timeline to play the call from there; a flag, an interruption's "
                         "wedge or a play button plays from just before its moment."
                       : "");
    for (int r = 0; r < (int)ceil(rep->duration_s / row_s); r++)
        if (write_row(pg, r, row_s) < 0)
            return pg->err;
    if (write_flag_list(pg) < 0 || write_event_list(pg) < 0)
        return pg->err;
    write_speaker_table(pg);
    fprintf(fp, "<p class=\"note\">callscope %s &middot; tone model ", cs_version());
    html_escape(fp, rep->tone_model[0] ? rep->tone_model : "built-in");
    fputs(" &middot; the call score is explained in the callscope README.</p>\n</body>\n</html>\n", fp);
    return fflush(fp) != 0 || ferror(fp) ? (errno ? errno : EIO) : 0;
}

int report_html_write(FILE *fp, int report_fd, const html_audio *audio)
{
    page *pg = calloc(1, sizeof *pg);
    if (!pg)
        return ENOMEM;
    pg->fp = fp;
    int err = saved_report_open(&pg->rep, report_fd);
    if (!err) {
        pg->two = strcmp(pg->rep.separation, "single") != 0;
        for (int s = 0; s < CS_MAX_SPEAKERS; s++)
            for (int k = 0; k < SAVED_TRACKS; k++)
                if (pg->rep.track_at[s][k] >= 0)
                    saved_list_begin(&pg->rep, pg->rep.track_at[s][k], &pg->track[s][k]);
        err = write_page(pg, audio);
    }
    free(pg);
    return err;
}

int report_html_embeds_audio(const char *html_path)
{
    FILE *in = fopen(html_path, "rb");
    if (!in)
        return -1;
    char head[1024];
    size_t n = fread(head, 1, sizeof head - 1, in);
    fclose(in);
    head[n] = '\0';
    const char *at = strstr(head, audio_marker);
    if (!at)
        return -1;
    at += sizeof audio_marker - 1;
    return strncmp(at, "embedded\"", 9) == 0 ? 1 : strncmp(at, "linked\"", 7) == 0 ? 0 : -1;
}
