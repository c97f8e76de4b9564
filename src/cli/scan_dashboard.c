/* The scan's dashboard page; see scan_dashboard.h. */
#include "cli/scan_dashboard.h"

#include "cli/assets.h"
#include "cli/atomic_file.h"
#include "cli/cli.h"
#include "cli/csv_reader.h"
#include "cli/html_text.h"
#include "cli/scan_record.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#define KINDS (CS_FLAG_KIND_END - 1)
/* Dates are compared by their day: "2026-11-03", whatever follows. */
#define DAY_LEN 10
/* The trend chart, in SVG units. */
#define TREND_W 280.0
#define TREND_H 70.0
#define TREND_LEFT 22.0
#define TREND_TOP 6.0
#define TREND_BOTTOM 14.0

typedef struct day_score {
    char day[DAY_LEN + 1];
    double score_sum;
    long scored;
} day_score;

typedef struct agent_stats {
    char *name;          /* "" for the calls whose agent is not known */
    long calls, errors, role_warnings;
    double audio_s;
    double score_sum, calm_sum;
    long scored, calmed;
    long flags[KINDS];
    day_score *days;     /* by day */
    size_t day_count, day_cap;
} agent_stats;

typedef struct dashboard {
    int col[SCAN_SUMMARY_COLUMNS];
    int meta_count;
    int *meta_col;       /* the summary's metadata columns beyond agent, date and queue */
    agent_stats *agents; /* by name */
    size_t agent_count, agent_cap;
    char (*days)[DAY_LEN + 1]; /* every day seen, in order: the charts' common axis */
    size_t day_count, day_cap;
    long recordings, errors, role_warnings, diarized;
    double audio_s, score_sum;
    long scored;
    long kind_flags[KINDS], kind_calls[KINDS];
} dashboard;

static const char *field(const csv_row *row, const dashboard *d, scan_column c)
{
    return csv_field(row, d->col[c]);
}

static double number(const csv_row *row, const dashboard *d, scan_column c)
{
    const char *text = field(row, d, c);
    return *text ? atof(text) : NAN;
}

/* Insert into a sorted array of `size`-byte items: the place of key, found
 * or made (zeroed); NULL out of memory. */
static void *sorted_place(void **items, size_t *count, size_t *cap, size_t size, const void *key,
                          int (*cmp)(const void *key, const void *item))
{
    size_t lo = 0, hi = *count;
    char *base = *items;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp(key, base + mid * size);
        if (c == 0)
            return base + mid * size;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    if (*count == *cap) {
        size_t grown_cap = *cap ? 2 * *cap : 16;
        char *grown = realloc(*items, grown_cap * size);
        if (!grown)
            return NULL;
        *items = grown;
        *cap = grown_cap;
        base = grown;
    }
    memmove(base + (lo + 1) * size, base + lo * size, (*count - lo) * size);
    memset(base + lo * size, 0, size);
    (*count)++;
    return base + lo * size;
}

static int agent_cmp(const void *key, const void *item)
{
    return strcmp(key, ((const agent_stats *)item)->name);
}

static int day_cmp(const void *key, const void *item)
{
    return strcmp(key, item); /* both a day's text first */
}

static agent_stats *agent_of(dashboard *d, const char *name)
{
    agent_stats *a = sorted_place((void **)&d->agents, &d->agent_count, &d->agent_cap, sizeof *d->agents, name,
                                  agent_cmp);
    if (a && !a->name && !(a->name = strdup(name)))
        return NULL;
    return a;
}

/* One row of the summary into the totals. 0, or -1 out of memory. */
static int count_row(dashboard *d, const csv_row *row)
{
    d->recordings++;
    agent_stats *a = agent_of(d, field(row, d, SC_AGENT));
    if (!a)
        return -1;
    if (strcmp(field(row, d, SC_STATUS), "ok") != 0) {
        d->errors++;
        a->errors++;
        return 0;
    }
    double duration_s = number(row, d, SC_DURATION), score = number(row, d, SC_SCORE);
    double calm = number(row, d, SC_AGENT_CALM);
    a->calls++;
    if (isfinite(duration_s)) {
        a->audio_s += duration_s;
        d->audio_s += duration_s;
    }
    if (isfinite(score)) {
        a->score_sum += score;
        a->scored++;
        d->score_sum += score;
        d->scored++;
    }
    if (isfinite(calm)) {
        a->calm_sum += calm;
        a->calmed++;
    }
    int role = *field(row, d, SC_ROLE_WARNING) != '\0';
    a->role_warnings += role;
    d->role_warnings += role;
    d->diarized += strcmp(field(row, d, SC_SEPARATION), "diarized") == 0;
    for (int k = 0; k < KINDS; k++) {
        long n = atol(field(row, d, (scan_column)(SC_FLAGS_FIRST + k)));
        a->flags[k] += n;
        d->kind_flags[k] += n;
        d->kind_calls[k] += n > 0;
    }
    char day[DAY_LEN + 1];
    snprintf(day, sizeof day, "%s", field(row, d, SC_DATE));
    if (!day[0] || !isfinite(score))
        return 0;
    day_score *ds = sorted_place((void **)&a->days, &a->day_count, &a->day_cap, sizeof *a->days, day, day_cmp);
    char(*seen)[DAY_LEN + 1] = sorted_place((void **)&d->days, &d->day_count, &d->day_cap, sizeof *d->days, day, day_cmp);
    if (!ds || !seen)
        return -1;
    memcpy(ds->day, day, sizeof day);
    memcpy(*seen, day, sizeof day);
    ds->score_sum += score;
    ds->scored++;
    return 0;
}

/* The summary's columns: every fixed one, and the metadata ones after. */
static int read_columns(dashboard *d, const csv_row *header, char *why, size_t cap, const char *path)
{
    const char *missing;
    if (scan_summary_columns(header, d->col, &missing) != 0) {
        snprintf(why, cap, "%s: not a callscope summary: no '%s' column", path, missing);
        return -1;
    }
    d->meta_col = malloc((size_t)(header->count ? header->count : 1) * sizeof *d->meta_col);
    if (!d->meta_col) {
        snprintf(why, cap, "out of memory");
        return -1;
    }
    for (int i = 0; i < header->count; i++)
        if (strncmp(csv_field(header, i), SCAN_META_PREFIX, strlen(SCAN_META_PREFIX)) == 0)
            d->meta_col[d->meta_count++] = i;
    return 0;
}

/* ---- writing ---------------------------------------------------------------- */

/* ` name="value"`, the value escaped; nothing for a NULL value. */
static void attribute(FILE *fp, const char *name, const char *value)
{
    if (!value)
        return;
    fprintf(fp, " %s=\"", name);
    html_escape(fp, value);
    fputc('"', fp);
}

/* <tag class="cls" name="value">text</tag>, the attributes left out when NULL. */
static void text_element(FILE *fp, const char *tag, const char *cls, const char *name, const char *value,
                         const char *text)
{
    fprintf(fp, "<%s", tag);
    attribute(fp, "class", cls);
    attribute(fp, name, value);
    fputc('>', fp);
    html_escape(fp, text);
    fprintf(fp, "</%s>", tag);
}

/* A <td> with its text and, when the text is not the value to sort by, the
 * value in data-v. */
static void cell(FILE *fp, const char *cls, const char *sort_value, const char *shown)
{
    text_element(fp, "td", cls, "data-v", sort_value, shown);
}

static void badge(FILE *fp, const char *cls, const char *title, const char *text)
{
    char classes[32];
    snprintf(classes, sizeof classes, "badge%s%s", *cls ? " " : "", cls);
    text_element(fp, "span", classes, "title", title, text);
}

static void fact(FILE *fp, const char *cls, const char *label, const char *value)
{
    fprintf(fp, "<div class=\"fact%s%s\">", cls ? " " : "", cls ? cls : "");
    html_escape(fp, label);
    fputs("<b>", fp);
    html_escape(fp, value);
    fputs("</b></div>\n", fp);
}

static void format_mean(char *buf, size_t cap, double sum, long n, int decimals)
{
    if (n > 0)
        snprintf(buf, cap, "%.*f", decimals, sum / (double)n);
    else
        snprintf(buf, cap, "-");
}

static void write_header(FILE *fp, const dashboard *d, const char *title)
{
    char buf[64];
    fputs("<header>\n<h1>Scan of ", fp);
    html_escape(fp, title);
    fputs("</h1>\n<div class=\"facts\">\n", fp);
    snprintf(buf, sizeof buf, "%ld", d->recordings);
    fact(fp, NULL, "recordings", buf);
    snprintf(buf, sizeof buf, "%ld", d->recordings - d->errors);
    fact(fp, NULL, "analysed", buf);
    snprintf(buf, sizeof buf, "%.1f h", d->audio_s / 3600.0);
    fact(fp, NULL, "audio", buf);
    format_mean(buf, sizeof buf, d->score_sum, d->scored, 1);
    fact(fp, NULL, "mean call score", buf);
    snprintf(buf, sizeof buf, "%ld", d->errors);
    fact(fp, d->errors ? "warn" : NULL, "could not be analysed", buf);
    snprintf(buf, sizeof buf, "%ld", d->role_warnings);
    fact(fp, d->role_warnings ? "warn" : NULL, "agent channel in doubt", buf);
    if (d->diarized) {
        snprintf(buf, sizeof buf, "%ld", d->diarized);
        fact(fp, NULL, "mono, voices told apart", buf);
    }
    fputs("</div>\n<nav><a href=\"#agents\">Agents</a><a href=\"#kinds\">Flags by kind</a>"
          "<a href=\"#calls-section\">Calls</a></nav>\n</header>\n",
          fp);
}

/* A link that filters the calls table: #NAME=VALUE, VALUE percent-encoded. */
static void filter_link(FILE *fp, const char *name, const char *value)
{
    fprintf(fp, "<a href=\"#%s=", name);
    html_url_path(fp, value);
    fputs("\">", fp);
}

#define TREND_PLOT_W (TREND_W - TREND_LEFT - 4.0)
#define TREND_PLOT_H (TREND_H - TREND_TOP - TREND_BOTTOM)

/* The agent's i-th day as a point of the chart, placed among the days of
 * the whole scan (*at: where the search for it starts, days being sorted);
 * returns the day's mean score. */
static double trend_point(const dashboard *d, const agent_stats *a, size_t i, size_t *at, double *x, double *y)
{
    while (*at < d->day_count && strcmp(d->days[*at], a->days[i].day) != 0)
        (*at)++;
    double mean = a->days[i].score_sum / (double)a->days[i].scored;
    *x = TREND_LEFT + TREND_PLOT_W * (d->day_count > 1 ? (double)*at / (double)(d->day_count - 1) : 0.5);
    *y = TREND_TOP + TREND_PLOT_H * (1.0 - mean / 100.0);
    return mean;
}

/* Mean score per day, one point per day the agent has calls on, placed on
 * the days of the whole scan. */
static void write_trend(FILE *fp, const dashboard *d, const agent_stats *a)
{
    if (a->day_count == 0)
        return;
    double plot_w = TREND_PLOT_W, plot_h = TREND_PLOT_H;
    fprintf(fp, "<svg class=\"trend\" viewBox=\"0 0 %.0f %.0f\" role=\"img\"><title>mean call score per day</title>\n",
            TREND_W, TREND_H);
    fprintf(fp, "<rect class=\"frame\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n", TREND_LEFT, TREND_TOP,
            plot_w, plot_h);
    for (int score = 0; score <= 100; score += 50) {
        double y = TREND_TOP + plot_h * (1.0 - score / 100.0);
        fprintf(fp, "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>", TREND_LEFT,
                TREND_LEFT + plot_w, y, y);
        fprintf(fp, "<text x=\"2\" y=\"%.1f\">%d</text>\n", y + 3.0, score);
    }
    fputs("<polyline class=\"line\" points=\"", fp);
    size_t at = 0;
    double x, y;
    for (size_t i = 0; i < a->day_count; i++) {
        trend_point(d, a, i, &at, &x, &y);
        fprintf(fp, "%s%.1f,%.1f", i ? " " : "", x, y);
    }
    fputs("\"/>\n", fp);
    at = 0;
    for (size_t i = 0; i < a->day_count; i++) {
        double mean = trend_point(d, a, i, &at, &x, &y);
        fprintf(fp, "<circle class=\"dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"2.2\"><title>", x, y);
        html_escape(fp, a->days[i].day);
        fprintf(fp, ": mean score %.1f over %ld call%s</title></circle>\n", mean, a->days[i].scored,
                a->days[i].scored == 1 ? "" : "s");
    }
    fputs("<text x=\"", fp);
    fprintf(fp, "%.1f\" y=\"%.1f\">", TREND_LEFT, TREND_H - 2.0);
    html_escape(fp, d->days[0]);
    fputs("</text>", fp);
    if (d->day_count > 1) {
        fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", TREND_LEFT + plot_w, TREND_H - 2.0);
        html_escape(fp, d->days[d->day_count - 1]);
        fputs("</text>", fp);
    }
    fputs("\n</svg>\n", fp);
}

static void write_agents(FILE *fp, const dashboard *d)
{
    fputs("<section id=\"agents\">\n<h2>Agents</h2>\n", fp);
    if (d->agent_count == 1 && !d->agents[0].name[0])
        fputs("<p class=\"note\">No call names its agent: give the scan a manifest (--manifest) or a pattern for "
              "the file names (--name-pattern) to see each agent's calls.</p>\n",
              fp);
    fputs("<div class=\"cards\">\n", fp);
    for (size_t i = 0; i < d->agent_count; i++) {
        const agent_stats *a = &d->agents[i];
        char buf[64];
        fputs("<div class=\"card\">\n<h3>", fp);
        if (a->name[0]) {
            filter_link(fp, "agent", a->name);
            html_escape(fp, a->name);
            fputs("</a>", fp);
        } else {
            fputs("agent not known", fp);
        }
        fputs("</h3>\n<dl>", fp);
        fprintf(fp, "<dt>calls</dt><dd>%ld</dd>", a->calls);
        if (a->errors)
            fprintf(fp, "<dt>not analysed</dt><dd>%ld</dd>", a->errors);
        fprintf(fp, "<dt>audio</dt><dd>%.1f h</dd>", a->audio_s / 3600.0);
        format_mean(buf, sizeof buf, a->score_sum, a->scored, 1);
        fprintf(fp, "<dt>mean score</dt><dd>%s</dd>", buf);
        format_mean(buf, sizeof buf, a->calm_sum, a->calmed, 0);
        fprintf(fp, "<dt>mean calm</dt><dd>%s</dd>", buf);
        if (a->role_warnings)
            fprintf(fp, "<dt>agent channel in doubt</dt><dd>%ld</dd>", a->role_warnings);
        fputs("</dl>\n", fp);
        int any = 0;
        for (int k = 0; k < KINDS; k++) {
            if (!a->flags[k])
                continue;
            if (!any++)
                fputs("<table><thead><tr><th class=\"text\">flags</th><th>per hour</th><th>count</th></tr></thead>"
                      "<tbody>\n",
                      fp);
            fprintf(fp, "<tr><td class=\"text\">%s</td><td>%.1f</td><td>%ld</td></tr>\n",
                    cs_flag_kind_name((cs_flag_kind)(k + 1)),
                    a->audio_s > 0 ? (double)a->flags[k] * 3600.0 / a->audio_s : 0.0, a->flags[k]);
        }
        fputs(any ? "</tbody></table>\n" : "<p class=\"note\">no flags</p>\n", fp);
        write_trend(fp, d, a);
        fputs("</div>\n", fp);
    }
    fputs("</div>\n</section>\n", fp);
}

static void write_kinds(FILE *fp, const dashboard *d)
{
    fputs("<section id=\"kinds\">\n<h2>Flags by kind</h2>\n<table><thead><tr><th class=\"text\">kind</th>"
          "<th>flags</th><th>calls with one</th><th>per hour of audio</th></tr></thead><tbody>\n",
          fp);
    for (int k = 0; k < KINDS; k++) {
        const char *kind = cs_flag_kind_name((cs_flag_kind)(k + 1));
        fputs("<tr><td class=\"text\">", fp);
        filter_link(fp, "kind", kind);
        fprintf(fp, "%s</a></td><td>%ld</td><td>%ld</td><td>%.1f</td></tr>\n", kind, d->kind_flags[k],
                d->kind_calls[k], d->audio_s > 0 ? (double)d->kind_flags[k] * 3600.0 / d->audio_s : 0.0);
    }
    fputs("</tbody></table>\n</section>\n", fp);
}

/* The calls table's columns. */
typedef struct column {
    const char *key, *label;
    int numeric;
} column;

static const column columns[] = {
    {"path", "recording", 0},           {"agent", "agent", 0},
    {"date", "date", 0},                {"queue", "queue", 0},
    {"score", "score", 1},              {"duration", "duration", 1},
    {"talk_share", "agent talk", 1},    {"int_agent", "interrupts by agent", 1},
    {"int_customer", "by customer", 1}, {"calm", "agent calm", 1},
    {"dead_air", "dead air", 1},        {"flags", "flags", 1},
    {"top_flags", "top flags", 0},      {"notes", "notes", 0},
};
#define COLUMN_COUNT (sizeof columns / sizeof columns[0])

static void write_controls(FILE *fp, const dashboard *d)
{
    fputs("<div class=\"controls\">\n<input type=\"search\" id=\"filter-text\" placeholder=\"filter: any text\" "
          "aria-label=\"filter by any text\">\n<select id=\"filter-agent\" aria-label=\"agent\">"
          "<option value=\"\">every agent</option>",
          fp);
    for (size_t i = 0; i < d->agent_count; i++) {
        if (!d->agents[i].name[0])
            continue;
        fputs("<option", fp);
        attribute(fp, "value", d->agents[i].name);
        fputc('>', fp);
        html_escape(fp, d->agents[i].name);
        fputs("</option>", fp);
    }
    fputs("</select>\n<select id=\"filter-kind\" aria-label=\"flag kind\"><option value=\"\">any flags</option>"
          "<option value=\"none\">no flag</option>",
          fp);
    for (int k = 0; k < KINDS; k++)
        fprintf(fp, "<option value=\"%s\">%s</option>", cs_flag_kind_name((cs_flag_kind)(k + 1)),
                cs_flag_kind_name((cs_flag_kind)(k + 1)));
    fputs("</select>\n<select id=\"filter-status\" aria-label=\"status\"><option value=\"\">every recording</option>"
          "<option value=\"ok\">analysed</option><option value=\"error\">not analysed</option>"
          "<option value=\"role\">agent channel in doubt</option></select>\n"
          "<span id=\"shown\" class=\"note\"></span>\n</div>\n",
          fp);
}

static void write_table_head(FILE *fp, const dashboard *d, const csv_row *header)
{
    fputs("<div class=\"wide\"><table id=\"calls\">\n<thead><tr>", fp);
    for (size_t i = 0; i < COLUMN_COUNT; i++)
        fprintf(fp, "<th data-key=\"%s\" data-type=\"%s\"%s><a href=\"#sort=%s\">%s</a></th>", columns[i].key,
                columns[i].numeric ? "num" : "text", columns[i].numeric ? "" : " class=\"text\"", columns[i].key,
                columns[i].label);
    for (int m = 0; m < d->meta_count; m++) {
        const char *name = csv_field(header, d->meta_col[m]);
        fputs("<th data-key=\"", fp);
        html_escape(fp, name);
        fputs("\" data-type=\"text\" class=\"text\"><a href=\"#sort=", fp);
        html_url_path(fp, name);
        fputs("\">", fp);
        html_escape(fp, name + strlen(SCAN_META_PREFIX));
        fputs("</a></th>", fp);
    }
    fputs("</tr></thead>\n<tbody>\n", fp);
}

static void report_link(FILE *fp, const char *target, const char *text)
{
    fputs("<a href=\"", fp);
    html_url_path(fp, target);
    fputs("\">", fp);
    html_escape(fp, text);
    fputs("</a>", fp);
}

static void write_row(FILE *fp, const dashboard *d, const csv_row *row)
{
    int ok = strcmp(field(row, d, SC_STATUS), "ok") == 0;
    const char *role = field(row, d, SC_ROLE_WARNING);
    char kinds[KINDS * 32] = "", shown[96];
    size_t len = 0;
    for (int k = 0; k < KINDS; k++)
        if (atol(field(row, d, (scan_column)(SC_FLAGS_FIRST + k))) > 0)
            len += (size_t)snprintf(kinds + len, sizeof kinds - len, "%s%s", len ? " " : "",
                                    cs_flag_kind_name((cs_flag_kind)(k + 1)));
    fputs(ok ? "<tr data-status=\"ok\"" : "<tr class=\"error\" data-status=\"error\"", fp);
    attribute(fp, "data-agent", field(row, d, SC_AGENT));
    fprintf(fp, " data-kinds=\"%s\" data-role=\"%d\">", kinds, *role != '\0');

    /* The recording, linked to its coach's report or else its JSON report. */
    const char *html = field(row, d, SC_HTML), *json = field(row, d, SC_REPORT);
    fputs("<td class=\"text path\">", fp);
    if (*html || *json)
        report_link(fp, *html ? html : json, field(row, d, SC_PATH));
    else
        html_escape(fp, field(row, d, SC_PATH));
    if (*html && *json) {
        fputs(" ", fp);
        report_link(fp, json, "json");
    }
    fputs("</td>", fp);
    cell(fp, "text", NULL, field(row, d, SC_AGENT));
    cell(fp, "text nowrap", NULL, field(row, d, SC_DATE));
    cell(fp, "text", NULL, field(row, d, SC_QUEUE));
    cell(fp, NULL, NULL, field(row, d, SC_SCORE));
    double duration_s = number(row, d, SC_DURATION);
    if (isfinite(duration_s))
        cli_format_clock(shown, sizeof shown, duration_s);
    else
        shown[0] = '\0';
    cell(fp, "nowrap", field(row, d, SC_DURATION), shown);
    double share = number(row, d, SC_AGENT_TALK_SHARE);
    shown[0] = '\0';
    if (isfinite(share))
        snprintf(shown, sizeof shown, "%.0f%%", share * 100.0);
    cell(fp, NULL, field(row, d, SC_AGENT_TALK_SHARE), shown);
    cell(fp, NULL, NULL, field(row, d, SC_INTERRUPTIONS_BY_AGENT));
    cell(fp, NULL, NULL, field(row, d, SC_INTERRUPTIONS_BY_CUSTOMER));
    double calm = number(row, d, SC_AGENT_CALM);
    shown[0] = '\0';
    if (isfinite(calm))
        snprintf(shown, sizeof shown, "%.0f", calm);
    cell(fp, NULL, field(row, d, SC_AGENT_CALM), shown);
    double dead_air_s = number(row, d, SC_DEAD_AIR_S);
    long dead_airs = atol(field(row, d, SC_DEAD_AIR_COUNT));
    if (isfinite(dead_air_s) && dead_airs > 0)
        snprintf(shown, sizeof shown, "%.1f s (%ld)", dead_air_s, dead_airs);
    else
        snprintf(shown, sizeof shown, "%s", ok ? "-" : "");
    cell(fp, NULL, ok ? field(row, d, SC_DEAD_AIR_S) : "", shown);
    cell(fp, NULL, NULL, field(row, d, SC_FLAG_COUNT));
    cell(fp, "text", NULL, field(row, d, SC_TOP_FLAGS));

    fputs("<td class=\"text\">", fp);
    if (!ok)
        badge(fp, "err", NULL, field(row, d, SC_ERROR));
    if (*role)
        badge(fp, "role", role, "agent channel?");
    if (strcmp(field(row, d, SC_SEPARATION), "diarized") == 0) {
        double confidence = number(row, d, SC_SEPARATION_CONFIDENCE);
        snprintf(shown, sizeof shown, "mono, %.0f%% sure", confidence * 100.0);
        badge(fp, "mono", "one channel: the two voices were told apart", shown);
    } else if (strcmp(field(row, d, SC_SEPARATION), "single") == 0) {
        badge(fp, "mono", "one channel analysed as the agent alone", "one speaker");
    }
    if (*field(row, d, SC_WARNINGS) && !*role)
        badge(fp, "", field(row, d, SC_WARNINGS), "warnings");
    fputs("</td>", fp);
    for (int m = 0; m < d->meta_count; m++)
        cell(fp, "text", NULL, csv_field(row, d->meta_col[m]));
    fputs("</tr>\n", fp);
}

static int write_page(FILE *fp, FILE *summary, const dashboard *d, const csv_row *header, const char *title)
{
    char nonce[HTML_NONCE_LEN];
    html_nonce(nonce);
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n", fp);
    fprintf(fp,
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'nonce-%s'; "
            "script-src 'nonce-%s'; img-src data:; base-uri 'none'; form-action 'none'\">\n",
            nonce, nonce);
    fputs("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>callscope scan: ", fp);
    html_escape(fp, title);
    fprintf(fp, "</title>\n<style nonce=\"%s\">\n%s</style>\n</head>\n<body>\n", nonce, asset_dashboard_css);
    write_header(fp, d, title);
    write_agents(fp, d);
    write_kinds(fp, d);
    fputs("<section id=\"calls-section\">\n<h2>Calls</h2>\n<p class=\"note\">Click a column's name to sort by it "
          "(again to reverse), a recording to open its report. The view is kept in the address, so it can be "
          "bookmarked.</p>\n",
          fp);
    write_controls(fp, d);
    write_table_head(fp, d, header);
    csv_row row = {0};
    int rc;
    while ((rc = csv_read_row(summary, &row)) > 0)
        write_row(fp, d, &row);
    csv_row_free(&row);
    if (rc < 0)
        return -1;
    fprintf(fp, "</tbody>\n</table></div>\n</section>\n<p class=\"note\">callscope %s</p>\n"
                "<script nonce=\"%s\">\n%s</script>\n</body>\n</html>\n",
            cs_version(), nonce, asset_dashboard_js);
    return 0;
}

static void dashboard_free(dashboard *d)
{
    for (size_t i = 0; i < d->agent_count; i++) {
        free(d->agents[i].name);
        free(d->agents[i].days);
    }
    free(d->agents);
    free(d->days);
    free(d->meta_col);
}

int scan_dashboard_write(const char *summary_path, const char *index_path, const char *title, char *why,
                         size_t why_cap)
{
    FILE *summary = fopen(summary_path, "rb");
    if (!summary) {
        snprintf(why, why_cap, "%s: %s", summary_path, strerror(errno));
        return -1;
    }
    dashboard d;
    memset(&d, 0, sizeof d);
    csv_row header = {0}, row = {0};
    int rc = -1;
    if (csv_read_row(summary, &header) != 1) {
        snprintf(why, why_cap, "%s: not a summary (no header row)", summary_path);
        goto done;
    }
    if (read_columns(&d, &header, why, why_cap, summary_path) != 0)
        goto done;
    off_t rows_start = ftello(summary);
    int got;
    while ((got = csv_read_row(summary, &row)) > 0)
        if (count_row(&d, &row) != 0) {
            snprintf(why, why_cap, "out of memory");
            goto done;
        }
    if (got < 0 || fseeko(summary, rows_start, SEEK_SET) != 0) {
        snprintf(why, why_cap, "%s: %s", summary_path, errno == EINVAL ? "malformed CSV" : strerror(errno));
        goto done;
    }
    atomic_file af;
    int err = atomic_open(&af, index_path);
    if (!err) {
        if (write_page(af.fp, summary, &d, &header, title) != 0)
            err = errno ? errno : EIO;
        if (err)
            atomic_abort(&af);
        else
            err = atomic_commit(&af);
    }
    if (err)
        snprintf(why, why_cap, "%s: %s", index_path, strerror(err));
    else
        rc = 0;
done:
    csv_row_free(&header);
    csv_row_free(&row);
    dashboard_free(&d);
    fclose(summary);
    return rc;
}
