#define _XOPEN_SOURCE 700 /* realpath */
/* The coach's HTML report; see report_html.h. */
#include "cli/report_html.h"

#include "cli/cli.h"
#include "cli/html_text.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* SVG user units: the timeline is drawn 1000 wide and scales to the page. */
#define SVG_W 1000.0
#define PLOT_X 78.0
#define PLOT_W (SVG_W - PLOT_X - 8.0)
#define LANE_H 16.0
#define CHART_H 34.0
#define PLAY_BEFORE_S 2.0   /* a flag's clip starts this long before the moment */
#define MILD_SEVERITY 0.6  /* a flag below this severity is drawn lighter (severity is 0.5-1) */

typedef struct span {
    double t0, t1;          /* seconds shown */
} span;

static double x_of(const span *sp, double t)
{
    double x = PLOT_X + (t - sp->t0) / (sp->t1 - sp->t0) * PLOT_W;
    return x < PLOT_X ? PLOT_X : x > PLOT_X + PLOT_W ? PLOT_X + PLOT_W : x;
}

static void esc(FILE *fp, const char *text) { html_escape(fp, text); }

static void url_path(FILE *fp, const char *s) { html_url_path(fp, s); }

/* ---- the page frame ---- */

static const char style_sheet[] =
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0 auto;max-width:1100px;"
    "padding:0 18px 40px;color:#1d2430;background:#fff}\n"
    "h1{font-size:1.35em;margin:18px 0 4px;word-break:break-all}h2{font-size:1.1em;margin:26px 0 8px}\n"
    ".facts{display:flex;flex-wrap:wrap;gap:8px 18px;margin:10px 0}.fact{background:#f3f5f8;border-radius:6px;"
    "padding:6px 10px}.fact b{display:block;font-size:1.15em}\n"
    ".score b{font-size:1.6em}svg{width:100%;height:auto;display:block}\n"
    "svg text{font:11px sans-serif;fill:#4a5465}.lane{fill:#f3f5f8}.agent{fill:#2f6fd6}.customer{fill:#e08a1e}\n"
    ".deadair{fill:#9aa3b2;fill-opacity:.35}.overlap{fill:#8b3fb5;fill-opacity:.45}.overtalk{fill:#c62f4a;"
    "fill-opacity:.45}.interruption{fill:#c62f4a}.flag-band{fill:#c62f4a;fill-opacity:.10;cursor:pointer}"
    ".flag-marker,.flag-tick{fill:#c62f4a;cursor:pointer}.hold{fill:#4caf7a;fill-opacity:.35}"
    ".laughter{fill:#f2c12e}\n"
    ".row-link{fill:transparent;cursor:pointer}.row-link:hover{fill:#1d243010}\n"
    ".curve{fill:none;stroke-width:1.3}.curve.agent{stroke:#2f6fd6}.curve.customer{stroke:#e08a1e}"
    ".axis{stroke:#d0d5de;stroke-width:.6}.chart-bg{fill:#fafbfc}\n"
    ".row{margin:4px 0 14px}.legend span{margin-right:14px}.sw{display:inline-block;width:12px;height:12px;"
    "border-radius:2px;vertical-align:-1px;margin-right:4px}\n"
    "ol.flags{list-style:none;padding:0}.flag-item{border-left:4px solid #c62f4a;padding:6px 12px;"
    "margin:8px 0;background:#fcf5f6}.flag-item.mild{border-color:#e0a31e;background:#fdf9f0}\n"
    ".flag-item .kind{font-weight:600}.flag-item p{margin:3px 0}.tip{color:#2c6e49}\n"
    "button.play{font:inherit;border:1px solid #b9c0cc;background:#fff;border-radius:4px;padding:1px 8px;"
    "cursor:pointer;margin-right:8px}\n"
    "table{border-collapse:collapse}td,th{padding:4px 12px;border-bottom:1px solid #e3e6eb;text-align:right}"
    "th:first-child,td:first-child{text-align:left}\n"
    "audio{width:100%;margin:8px 0;position:sticky;top:0;z-index:2;background:#fff}.note{color:#6a7385}\n"
    "@media print{audio,button.play,.row-link{display:none}body{max-width:none;font-size:11px}"
    ".row,.flag-item,table{break-inside:avoid}h2{break-after:avoid}a{color:inherit;text-decoration:none}}\n";

static void nonce_text(char *buf, size_t cap)
{
    char nonce[HTML_NONCE_LEN];
    html_nonce(nonce);
    snprintf(buf, cap, "%s", nonce);
}

/* ---- the header ---- */

static void fact(FILE *fp, const char *cls, const char *label, const char *value)
{
    fprintf(fp, "<div class=\"fact%s%s\">%s<b>", cls ? " " : "", cls ? cls : "", label);
    esc(fp, value);
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

static void write_header(FILE *fp, const call_run *run, const report_source *src, int two)
{
    const cs_summary *sum = &run->sum;
    const cs_speaker_summary *ag = &sum->speaker[CS_AGENT], *cu = &sum->speaker[CS_CUSTOMER];
    char buf[160];
    fputs("<header>\n<h1>", fp);
    esc(fp, strcmp(src->path, "-") == 0 ? "stdin" : src->path);
    fputs("</h1>\n<div class=\"facts\">\n", fp);
    number_text(buf, sizeof buf, run->score, 0, "/100");
    fact(fp, "score", "call score", buf);
    cli_format_clock(buf, sizeof buf, src->duration_s);
    fact(fp, NULL, "duration", buf);
    number_text(buf, sizeof buf, two && sum->any_speech ? ag->talk_share * 100 : NAN, 0, "%");
    fact(fp, NULL, "agent talk share", buf);
    if (two) {
        snprintf(buf, sizeof buf, "%d / %d", ag->interruptions_made, cu->interruptions_made);
        fact(fp, NULL, "interruptions by agent / customer", buf);
    }
    pair_text(buf, sizeof buf, ag->pace_syl_per_s, two ? cu->pace_syl_per_s : NAN, 1, " syl/s");
    fact(fp, NULL, "pace agent / customer", buf);
    pair_text(buf, sizeof buf, call_run_calm_points(run, CS_AGENT), two ? call_run_calm_points(run, CS_CUSTOMER) : NAN,
              0, "");
    fact(fp, NULL, "calm agent / customer", buf);
    snprintf(buf, sizeof buf, "%d", report_flag_count(run));
    fact(fp, NULL, "flags", buf);
    /* Who said what rests on the separation: say how sure it is. */
    if (src->diarized && src->voices == 2) {
        snprintf(buf, sizeof buf, "%.0f%%%s", src->separation_confidence * 100,
                 src->separation_doubtful ? " (doubtful)" : "");
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

static int draw_segments(FILE *fp, call_run *run, const span *sp, const char *cls)
{
    if (call_log_segments_begin(run->log) != 0)
        return -1;
    cs_event ev;
    int rc;
    char name[64];
    while ((rc = call_log_segments_next(run->log, &ev)) > 0) {
        double a = cs_seconds(run->an, ev.start), b = cs_seconds(run->an, ev.end);
        if (a >= sp->t1)
            break;
        if (b <= sp->t0)
            continue;
        snprintf(name, sizeof name, "%s %s", cls, cs_speaker_name(ev.speaker));
        rect(fp, name, x_of(sp, a), LANE_Y(ev.speaker == CS_CUSTOMER), x_of(sp, b), LANE_H, NULL);
    }
    return rc;
}

static int draw_events(FILE *fp, call_run *run, const span *sp)
{
    if (call_log_events_begin(run->log) != 0)
        return -1;
    cs_event ev;
    int rc;
    while ((rc = call_log_events_next(run->log, &ev)) > 0) {
        double a = cs_seconds(run->an, ev.start), b = cs_seconds(run->an, ev.end);
        if (b < sp->t0 || a >= sp->t1)
            continue;
        double x0 = x_of(sp, a), x1 = x_of(sp, b);
        switch (ev.type) {
        case CS_EVENT_DEAD_AIR: rect(fp, "deadair", x0, LANE_Y(0), x1, LANES_END - LANE_Y(0), NULL); break;
        case CS_EVENT_HOLD: rect(fp, "hold", x0, LANE_Y(ev.speaker == CS_CUSTOMER), x1, LANE_H, NULL); break;
        case CS_EVENT_LAUGHTER:
            /* A band just under the laugher's lane, where their speech bars
             * (drawn later) do not cover it. */
            fprintf(fp, "<g><title>%s laughing</title>", cs_speaker_name(ev.speaker));
            rect(fp, "laughter", x0, LANE_Y(ev.speaker == CS_CUSTOMER) + LANE_H + 0.5, x1, 3, NULL);
            fputs("</g>\n", fp);
            break;
        case CS_EVENT_OVERLAP:
        case CS_EVENT_OVERTALK:
        case CS_EVENT_INTERRUPTION: {
            const char *cls = ev.type == CS_EVENT_OVERLAP ? "overlap" : "overtalk";
            rect(fp, cls, x0, LANE_Y(0) + LANE_H - 2, x1, LANE_Y(1) - LANE_Y(0) + 4, NULL);
            if (ev.type == CS_EVENT_INTERRUPTION) {
                /* A wedge pointing down at the interrupter's onset. */
                double y = LANE_Y(ev.speaker == CS_CUSTOMER);
                fprintf(fp, "<path class=\"interruption\" d=\"M%.1f %.1fl-4 -7h8z\"><title>%s interrupted %s</title></path>\n",
                        x0, y, cs_speaker_name(ev.speaker), cs_speaker_name(ev.other));
            }
            break;
        }
        default: break;
        }
    }
    return rc;
}

static int draw_flags(FILE *fp, call_run *run, const span *sp, int overview, const cs_coaching *coaching)
{
    if (voice_log_flags_begin(run->voice) != 0)
        return -1;
    cs_flag fl;
    int rc, index = 0;
    while ((rc = voice_log_flags_next(run->voice, &fl)) > 0) {
        index++;
        double a = cs_seconds(run->an, fl.start), b = cs_seconds(run->an, fl.end);
        if (b < sp->t0 || a >= sp->t1)
            continue;
        char extra[96], message[2 * CS_COACHING_TEXT_MAX];
        double t = a - PLAY_BEFORE_S > 0 ? a - PLAY_BEFORE_S : 0;
        snprintf(extra, sizeof extra, " data-t=\"%.2f\"", t);
        cs_flag_message(coaching, &fl, run->rate_hz, message, sizeof message);
        double x0 = x_of(sp, a), x1 = x_of(sp, b);
        if (!overview) {
            fprintf(fp, "<g>");
            rect(fp, "flag-band", x0, MARKS_Y, x1, LANES_END - MARKS_Y, extra);
        }
        fprintf(fp, "<a href=\"#flag-%d\">", index);
        rect(fp, overview ? "flag-marker" : "flag-tick", x0, MARKS_Y, x1 - x0 < 3 ? x0 + 3 : x1, 8, extra);
        fputs("<title>", fp);
        esc(fp, cs_flag_kind_name(fl.kind));
        fputs(": ", fp);
        esc(fp, message);
        fputs("</title></a>", fp);
        fputs(overview ? "\n" : "</g>\n", fp);
    }
    return rc;
}

typedef enum curve_kind { CURVE_PITCH, CURVE_LEVEL, CURVE_AROUSAL, CURVE_COUNT } curve_kind;

static double curve_y(curve_kind kind, double v, double top)
{
    double u; /* 0 bottom .. 1 top */
    switch (kind) {
    case CURVE_PITCH: u = log(v / 60.0) / log(400.0 / 60.0); break;   /* 60-400 Hz, log */
    case CURVE_LEVEL: u = (v + 60.0) / 60.0; break;                     /* -60..0 dBFS */
    default: u = v; break;                                              /* arousal 0..1 */
    }
    u = u < 0 ? 0 : u > 1 ? 1 : u;
    return top + (1 - u) * (CHART_H - 2) + 1;
}

/* One speaker's curve in a row, broken where they are silent, thinned to
 * about one point per unit of width. */
static int draw_curve(FILE *fp, call_run *run, const span *sp, int s, curve_kind kind, double top, double hop_s)
{
    /* Frames are hop_s apart from time 0: start at the row's first. */
    if (voice_log_tracks_from(run->voice, (uint64_t)floor(sp->t0 / hop_s)) != 0)
        return -1;
    long per_row = lround((sp->t1 - sp->t0) / hop_s);
    long stride = per_row / (long)PLOT_W + 1, n = 0;
    int open = 0, rc;
    track_point tp;
    while ((rc = voice_log_tracks_next(run->voice, &tp)) > 0) {
        double t = 0.5 * (cs_seconds(run->an, tp.start) + cs_seconds(run->an, tp.end));
        if (t < sp->t0)
            continue;
        if (t >= sp->t1)
            break;
        if (n++ % stride)
            continue;
        double v = kind == CURVE_PITCH ? tp.pitch_hz[s] : kind == CURVE_LEVEL ? tp.level_db[s] : tp.arousal[s];
        int valid = tp.speech_s[s] > 0 && isfinite(v) && (kind != CURVE_PITCH || v > 0);
        if (!valid) {
            if (open)
                fputs("\"/>\n", fp);
            open = 0;
            continue;
        }
        if (!open)
            fprintf(fp, "<polyline class=\"curve %s\" points=\"", cs_speaker_name(s));
        fprintf(fp, "%.1f,%.1f ", x_of(sp, t), curve_y(kind, v, top));
        open = 1;
    }
    if (open)
        fputs("\"/>\n", fp);
    return rc;
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

static int write_overview(FILE *fp, call_run *run, double duration_s, double row_s, int two,
                          const cs_coaching *coaching)
{
    span sp = {0, duration_s > 0 ? duration_s : 1};
    double h = LANES_END + 16;
    fprintf(fp, "<svg id=\"overview\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"whole call\">\n", SVG_W, h);
    lane_labels(fp, two);
    if (draw_events(fp, run, &sp) < 0 || draw_segments(fp, run, &sp, "speech") < 0 ||
        draw_flags(fp, run, &sp, 1, coaching) < 0)
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
    fputs("</svg>\n", fp);
    return 0;
}

static int write_row(FILE *fp, call_run *run, int r, double row_s, int two, int voice_on, double hop_s,
                     const cs_coaching *coaching)
{
    static const char *const chart_names[CURVE_COUNT] = {"pitch", "level", "arousal"};
    span sp = {r * row_s, (r + 1) * row_s};
    int charts = voice_on ? CURVE_COUNT : 0;
    double charts_top = LANES_END + 6;
    double bottom = charts_top + charts * (CHART_H + 4);
    fprintf(fp, "<div class=\"row\" id=\"row-%d\"><svg viewBox=\"0 0 %.0f %.0f\">\n", r, SVG_W, bottom + 14);
    lane_labels(fp, two);
    for (int c = 0; c < charts; c++) {
        double top = charts_top + c * (CHART_H + 4);
        fprintf(fp, "<rect class=\"chart-bg\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>", PLOT_X, top,
                PLOT_W, CHART_H);
        fprintf(fp, "<text x=\"4\" y=\"%.1f\">%s</text>\n", top + 20, chart_names[c]);
    }
    draw_axis(fp, &sp, bottom);
    if (draw_events(fp, run, &sp) < 0 || draw_segments(fp, run, &sp, "seg") < 0)
        return -1;
    for (int c = 0; c < charts; c++)
        for (int s = 0; s < (two ? 2 : 1); s++)
            if (draw_curve(fp, run, &sp, s, (curve_kind)c, charts_top + c * (CHART_H + 4), hop_s) < 0)
                return -1;
    if (draw_flags(fp, run, &sp, 0, coaching) < 0)
        return -1;
    fputs("</svg></div>\n", fp);
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

/* ---- flags, speakers, audio ---- */

static int write_flag_list(FILE *fp, call_run *run, const cs_coaching *coaching, const char *doubt_note)
{
    fprintf(fp, "<h2>Flagged moments (%d)</h2>\n", report_flag_count(run));
    if (doubt_note) {
        fputs("<p class=\"note\">Mono recording: ", fp);
        esc(fp, doubt_note);
        fputs(".</p>\n", fp);
    }
    if (voice_log_flags_begin(run->voice) != 0)
        return -1;
    cs_flag fl;
    int rc, index = 0;
    fputs("<ol class=\"flags\">\n", fp);
    while ((rc = voice_log_flags_next(run->voice, &fl)) > 0) {
        index++;
        double a = cs_seconds(run->an, fl.start), b = cs_seconds(run->an, fl.end);
        char c0[32], c1[32], message[2 * CS_COACHING_TEXT_MAX];
        cli_format_clock(c0, sizeof c0, a);
        cli_format_clock(c1, sizeof c1, b);
        cs_flag_message(coaching, &fl, run->rate_hz, message, sizeof message);
        fprintf(fp, "<li class=\"flag-item%s\" id=\"flag-%d\"><button class=\"play\" data-t=\"%.2f\">&#9654; %s</button>",
                fl.severity < MILD_SEVERITY ? " mild" : "", index, a - PLAY_BEFORE_S > 0 ? a - PLAY_BEFORE_S : 0, c0);
        fprintf(fp, "<span class=\"kind\">%s</span> &middot; %s to %s &middot; severity %.2f%s\n",
                cs_flag_kind_name(fl.kind), c0, c1, fl.severity,
                fl.doubtful ? " &middot; <span class=\"doubtful\">who said what is doubtful</span>" : "");
        fputs("<p class=\"msg\">", fp);
        esc(fp, message);
        fputs("</p><p class=\"tip\">Tip: ", fp);
        esc(fp, cs_flag_tip(coaching, fl.kind));
        fputs("</p></li>\n", fp);
    }
    fputs("</ol>\n", fp);
    if (index == 0)
        fputs("<p class=\"note\">No flags: nothing in this call needs a coach's attention.</p>\n", fp);
    return rc;
}

static void cell_number(FILE *fp, int available, double v, int decimals, const char *unit)
{
    if (available && isfinite(v))
        fprintf(fp, "<td>%.*f%s</td>", decimals, v, unit);
    else
        fputs("<td>n/a</td>", fp);
}

static void write_speaker_table(FILE *fp, const call_run *run, int two)
{
    const cs_speaker_summary *sp[2] = {&run->sum.speaker[CS_AGENT], &run->sum.speaker[CS_CUSTOMER]};
    int n = two ? 2 : 1;
    fputs("<h2>Speakers</h2>\n<table><tr><th></th>", fp);
    for (int s = 0; s < n; s++)
        fprintf(fp, "<th>%s</th>", cs_speaker_name(s));
    fputs("</tr>\n", fp);
#define ROW(label, expr, dec, unit)                                \
    do {                                                           \
        fputs("<tr><td>" label "</td>", fp);                       \
        for (int s = 0; s < n; s++)                                \
            cell_number(fp, sp[s]->present, (expr), dec, unit);    \
        fputs("</tr>\n", fp);                                      \
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
    ROW("calm", call_run_calm_points(run, s), 0, "/100");
#undef ROW
    fputs("</table>\n", fp);
}

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

static const char *media_type(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot)
        return "application/octet-stream";
    if (!strcasecmp(dot, ".wav"))
        return "audio/wav";
    if (!strcasecmp(dot, ".flac"))
        return "audio/flac";
    if (!strcasecmp(dot, ".ogg") || !strcasecmp(dot, ".oga") || !strcasecmp(dot, ".opus"))
        return "audio/ogg";
    if (!strcasecmp(dot, ".mp3"))
        return "audio/mpeg";
    return "application/octet-stream";
}

/* The recording as base64, read in pieces so memory stays small. */
static int embed_file(FILE *fp, const char *path)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    FILE *in = fopen(path, "rb");
    if (!in)
        return errno ? errno : EIO;
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
    int err = ferror(in) ? EIO : 0;
    fclose(in);
    return err;
}

static int write_audio(FILE *fp, const html_audio *audio)
{
    if (!audio || !audio->src_path || strcmp(audio->src_path, "-") == 0) {
        fputs("<p class=\"note\">The recording came from standard input, so the report has no player.</p>\n", fp);
        return 0;
    }
    if (audio->embed) {
        fprintf(fp, "<audio id=\"audio\" controls preload=\"metadata\" src=\"data:%s;base64,", media_type(audio->src_path));
        int err = embed_file(fp, audio->src_path);
        if (err)
            return err;
        fputs("\"></audio>\n", fp);
        return 0;
    }
    char rel[PATH_MAX];
    if (relative_path(audio->src_path, audio->out_path, rel, sizeof rel) != 0) {
        fputs("<p class=\"note\">The recording could not be located from the report; use --embed-audio.</p>\n", fp);
        return 0;
    }
    fputs("<audio id=\"audio\" controls preload=\"metadata\" src=\"", fp);
    url_path(fp, rel);
    fputs("\"></audio>\n<p class=\"note\">Player source: ", fp);
    esc(fp, rel);
    fputs(" (relative to this report). Click a flag to hear it.</p>\n", fp);
    return 0;
}

static const char script_text[] =
    "(function(){var a=document.getElementById('audio');"
    "document.addEventListener('click',function(e){"
    "var el=e.target.closest?e.target.closest('[data-t]'):null;"
    "if(!el||!a)return;e.preventDefault();"
    "a.currentTime=parseFloat(el.getAttribute('data-t'))||0;var p=a.play();if(p&&p.catch)p.catch(function(){});"
    "});})();";

int report_html_write(FILE *fp, call_run *run, const report_source *src, const html_audio *audio)
{
    int two = src->two_party;
    double duration_s = src->duration_s, row_s = row_span_s(duration_s);
    double hop_s = cs_seconds(run->an, cs_frame_samples(run->an));
    int voice_on = voice_log_frames(run->voice) > 0;
    char nonce[40];
    nonce_text(nonce, sizeof nonce);
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n", fp);
    fprintf(fp, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
                "img-src data:; media-src 'self' file: data:; script-src 'nonce-%s'\">\n", nonce);
    fputs("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>callscope: ", fp);
    esc(fp, strcmp(src->path, "-") == 0 ? "stdin" : src->path);
    fprintf(fp, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", style_sheet);
    write_header(fp, run, src, two);
    int err = write_audio(fp, audio);
    if (err)
        return err;
    fputs("<h2>Timeline</h2>\n", fp);
    legend(fp);
    if (write_overview(fp, run, duration_s, row_s, two, src->coaching) < 0)
        goto spool_error;
    fprintf(fp, "<p class=\"note\">Whole call above; below in %.0f-minute rows with pitch (60-400 Hz, log), "
                "level (-60 to 0 dBFS) and arousal (0 calm to 1 agitated). Click a flag to play it.</p>\n",
            row_s / 60);
    for (int r = 0; r < (int)ceil(duration_s / row_s); r++)
        if (write_row(fp, run, r, row_s, two, voice_on, hop_s, src->coaching) < 0)
            goto spool_error;
    if (write_flag_list(fp, run, src->coaching, report_doubt_note(src)) < 0)
        goto spool_error;
    write_speaker_table(fp, run, two);
    fprintf(fp, "<p class=\"note\">callscope %s &middot; tone model ", cs_version());
    esc(fp, src->tone_model ? src->tone_model : "built-in");
    fprintf(fp, " &middot; the call score is explained in the callscope README.</p>\n<script nonce=\"%s\">%s</script>\n"
                "</body>\n</html>\n", nonce, script_text);
    return fflush(fp) != 0 || ferror(fp) ? (errno ? errno : EIO) : 0;
spool_error:
    return call_run_spool_errno(run);
}
