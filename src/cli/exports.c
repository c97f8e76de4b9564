/* RTTM, Audacity labels and the flags CSV; see exports.h. */
#include "cli/exports.h"

#include "cli/cli.h"
#include "cli/csv_writer.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* rc < 0: reading the run back failed; else how the output stream fared. */
static int stream_status(FILE *fp, int rc, const call_run *run)
{
    if (rc < 0)
        return call_run_spool_errno(run);
    return fflush(fp) != 0 || ferror(fp) ? (errno ? errno : EIO) : 0;
}

void export_file_id(const char *raw_path, char *buf, size_t size)
{
    char *path = cli_utf8_clean(raw_path);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (strcmp(path, "-") == 0 || !*base)
        base = "stdin";
    size_t n = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot && dot > base)
        n = (size_t)(dot - base);
    if (n >= size) {
        n = size - 1;
        while (n > 0 && ((unsigned char)base[n] & 0xC0) == 0x80)
            n--; /* not inside a character */
    }
    for (size_t i = 0; i < n; i++)
        buf[i] = (unsigned char)base[i] <= ' ' || base[i] == 0x7f ? '_' : base[i];
    buf[n] = '\0';
    free(path);
}

int export_rttm(FILE *fp, call_run *run, const char *path)
{
    char id[256];
    export_file_id(path, id, sizeof id);
    if (call_log_segments_begin(run->log) != 0)
        return stream_status(fp, -1, run);
    cs_event ev;
    int rc;
    while ((rc = call_log_segments_next(run->log, &ev)) > 0) {
        double start = cs_seconds(run->an, ev.start), end = cs_seconds(run->an, ev.end);
        fprintf(fp, "SPEAKER %s 1 %.3f %.3f <NA> <NA> %s <NA> <NA>\n", id, start, end - start,
                cs_speaker_name(ev.speaker));
    }
    return stream_status(fp, rc, run);
}

/* Audacity reads one label a line, fields split on tabs. */
static void label_text(FILE *fp, const char *s)
{
    for (; *s; s++)
        fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, fp);
}

static void label_event(FILE *fp, const call_run *run, const cs_event *ev)
{
    /* The library's name of the event, as people write it ("dead air"). */
    char what[32], text[160];
    snprintf(what, sizeof what, "%s", cs_event_type_name(ev->type));
    for (char *p = what; *p; p++)
        if (*p == '_')
            *p = ' ';
    const char *who = cs_speaker_name(ev->speaker), *other = cs_speaker_name(ev->other);
    switch (ev->type) {
    case CS_EVENT_INTERRUPTION: snprintf(text, sizeof text, "%s: %s over %s", what, who, other); break;
    case CS_EVENT_BACKCHANNEL:
    case CS_EVENT_LAUGHTER: snprintf(text, sizeof text, "%s: %s", what, who); break;
    case CS_EVENT_OVERLAP: snprintf(text, sizeof text, "%s: %s took over from %s", what, who, other); break;
    case CS_EVENT_OVERTALK: snprintf(text, sizeof text, "%s: %s and %s", what, who, other); break;
    case CS_EVENT_DEAD_AIR: snprintf(text, sizeof text, "%s: %.1f s", what, ev->value); break;
    case CS_EVENT_HOLD: snprintf(text, sizeof text, "%s: %s channel", what, who); break;
    default: return;
    }
    fprintf(fp, "%.3f\t%.3f\t%s\n", cs_seconds(run->an, ev->start), cs_seconds(run->an, ev->end), text);
}

static void label_flag(FILE *fp, const call_run *run, const cs_flag *fl, const cs_coaching *coaching)
{
    char message[2 * CS_COACHING_TEXT_MAX];
    cs_flag_message(coaching, fl, run->rate_hz, message, sizeof message);
    fprintf(fp, "%.3f\t%.3f\tflag %s (%.2f): ", cs_seconds(run->an, fl->start), cs_seconds(run->an, fl->end),
            cs_flag_kind_name(fl->kind), fl->severity);
    label_text(fp, message);
    fputc('\n', fp);
}

int export_labels(FILE *fp, call_run *run, const cs_coaching *coaching)
{
    if (call_log_events_begin(run->log) != 0 || voice_log_flags_begin(run->voice) != 0)
        return stream_status(fp, -1, run);
    /* Two streams, each by start time, merged. */
    cs_event ev;
    cs_flag fl;
    int have_ev = call_log_events_next(run->log, &ev), have_fl = voice_log_flags_next(run->voice, &fl);
    while (have_ev > 0 || have_fl > 0) {
        if (have_fl > 0 && (have_ev <= 0 || fl.start <= ev.start)) {
            label_flag(fp, run, &fl, coaching);
            have_fl = voice_log_flags_next(run->voice, &fl);
        } else {
            label_event(fp, run, &ev);
            have_ev = call_log_events_next(run->log, &ev);
        }
    }
    return stream_status(fp, have_ev < 0 || have_fl < 0 ? -1 : 0, run);
}

int export_flags_csv(FILE *fp, call_run *run, const cs_coaching *coaching)
{
    static const char *const header[] = {"kind", "speaker", "start_s", "end_s", "severity", "message", "tip",
                                         "measure_name", "measure", "context_name", "context", "count"};
    csv_writer c;
    csv_init(&c, fp);
    for (size_t i = 0; i < sizeof header / sizeof *header; i++)
        csv_text(&c, header[i]);
    csv_end_row(&c);
    if (voice_log_flags_begin(run->voice) != 0)
        return stream_status(fp, -1, run);
    cs_flag fl;
    int rc;
    while ((rc = voice_log_flags_next(run->voice, &fl)) > 0) {
        char message[2 * CS_COACHING_TEXT_MAX];
        cs_flag_message(coaching, &fl, run->rate_hz, message, sizeof message);
        const char *measure = cs_flag_detail_name(fl.kind, 0), *context = cs_flag_detail_name(fl.kind, 1);
        csv_text(&c, cs_flag_kind_name(fl.kind));
        csv_text(&c, cs_speaker_name(fl.speaker));
        csv_number(&c, cs_seconds(run->an, fl.start), 3);
        csv_number(&c, cs_seconds(run->an, fl.end), 3);
        csv_number(&c, fl.severity, 2);
        csv_text(&c, message);
        csv_text(&c, cs_flag_tip(coaching, fl.kind));
        csv_text(&c, measure ? measure : "");
        csv_number(&c, measure ? fl.measure : NAN, 3);
        csv_text(&c, context ? context : "");
        csv_number(&c, context ? fl.context : NAN, 3);
        if (fl.count > 0)
            csv_int(&c, fl.count);
        else
            csv_text(&c, "");
        csv_end_row(&c);
    }
    return stream_status(fp, rc, run);
}
