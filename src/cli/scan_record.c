/* A recording's row in a batch scan; see scan_record.h. */
#include "cli/scan_record.h"

#include "cli/atomic_file.h"
#include "cli/call_meta.h"
#include "cli/csv_reader.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const scan_column_name[SCAN_RECORD_COLUMNS] = {
    "path", "duration_s", "status", "error",
    "agent_talk_share", "agent_talk_s", "customer_talk_s", "overlap_s", "silence_s",
    "interruptions_by_agent", "interruptions_by_customer", "backchannels_by_agent",
    "agent_pace_syl_per_s", "agent_pitch_median_hz", "agent_level_db", "agent_calm_score",
    "customer_calm_score", "flag_count", "score",
    "top_flags", "reason", "format", "warnings", "report", "html",
    "agent", "date", "queue", "separation", "separation_confidence", "role_warning",
    "agent_response_latency_s", "agent_longest_monologue_s", "longest_monologue_s",
    "hold_count", "hold_s", "dead_air_count", "dead_air_s",
    /* "flags_" and each kind's name (cs_flag_kind_name), in kind order:
     * scan_summary_header checks they agree. */
    "flags_fast_pace", "flags_raised_voice", "flags_tense_tone", "flags_escalation",
    "flags_interrupted_customer", "flags_overtalk", "flags_rushed_response", "flags_no_acknowledgement",
    "flags_long_monologue", "flags_talk_dominance", "flags_dead_air",
    "source_size", "source_mtime_ns", "settings", "retry", "metadata",
};

_Static_assert(CS_FLAG_KIND_END - 1 == 11, "a flag kind was added: name its flags_ column in scan_column_name");

int scan_row_set(scan_row *r, scan_column col, const char *text)
{
    char *copy = NULL;
    if (text && *text && !(copy = strdup(text)))
        return -1;
    free(r->field[col]);
    r->field[col] = copy;
    return 0;
}

int scan_row_setf(scan_row *r, scan_column col, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return scan_row_set(r, col, buf);
}

const char *scan_row_get(const scan_row *r, scan_column col)
{
    return r->field[col] ? r->field[col] : "";
}

void scan_row_free(scan_row *r)
{
    for (int i = 0; i < SCAN_RECORD_COLUMNS; i++) {
        free(r->field[i]);
        r->field[i] = NULL;
    }
}

/* A number with `decimals` places; empty when not available. */
static int set_number(scan_row *r, scan_column col, int available, double v, int decimals)
{
    if (!available || !isfinite(v))
        return scan_row_set(r, col, NULL);
    return scan_row_setf(r, col, "%.*f", decimals, v);
}

static int set_count(scan_row *r, scan_column col, int available, long long n)
{
    return available ? scan_row_setf(r, col, "%lld", n) : scan_row_set(r, col, NULL);
}

/* "kind m:ss.s; kind m:ss.s" and the weightiest flag's message. */
static int set_top_flags(scan_row *r, call_run *run, const cs_profile *prof, const cs_coaching *coaching)
{
    cs_flag top[SCAN_TOP_FLAGS];
    int n = call_run_top_flags(run, prof, top, SCAN_TOP_FLAGS);
    if (n < 0)
        return -1;
    char list[SCAN_TOP_FLAGS * 64] = "";
    size_t len = 0;
    int weightiest = 0;
    for (int i = 0; i < n; i++) {
        char clock[32];
        cli_format_clock(clock, sizeof clock, cs_seconds(run->an, top[i].start));
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s %s", i ? "; " : "",
                                cs_flag_kind_name(top[i].kind), clock);
        if (len >= sizeof list)
            len = sizeof list - 1;
        if (cs_flag_penalty(prof, &top[i]) > cs_flag_penalty(prof, &top[weightiest]))
            weightiest = i;
    }
    char message[2 * CS_COACHING_TEXT_MAX] = "";
    if (n > 0)
        cs_flag_message(coaching, &top[weightiest], run->rate_hz, message, sizeof message);
    else if (!run->sum.any_speech)
        snprintf(message, sizeof message, "no speech detected");
    return scan_row_set(r, SC_TOP_FLAGS, list) | scan_row_set(r, SC_REASON, message);
}

/* The seconds of hold and of dead air, from the events. */
static int set_event_time(scan_row *r, call_run *run)
{
    double hold_s = 0, dead_air_s = 0;
    cs_event ev;
    int rc;
    if (call_log_events_begin(run->log) != 0)
        return -1;
    while ((rc = call_log_events_next(run->log, &ev)) > 0) {
        double s = cs_seconds(run->an, ev.end) - cs_seconds(run->an, ev.start);
        if (ev.type == CS_EVENT_HOLD)
            hold_s += s;
        else if (ev.type == CS_EVENT_DEAD_AIR)
            dead_air_s += s;
    }
    if (rc < 0)
        return -1;
    return set_number(r, SC_HOLD_S, 1, hold_s, 3) | set_number(r, SC_DEAD_AIR_S, 1, dead_air_s, 3);
}

/* How many flags of each kind. */
static int set_flag_counts(scan_row *r, call_run *run)
{
    long count[CS_FLAG_KIND_END] = {0};
    cs_flag fl;
    int rc;
    if (voice_log_flags_begin(run->voice) != 0)
        return -1;
    while ((rc = voice_log_flags_next(run->voice, &fl)) > 0)
        if (fl.kind >= 1 && fl.kind < CS_FLAG_KIND_END)
            count[fl.kind]++;
    if (rc < 0)
        return -1;
    int err = 0;
    for (int k = 1; k < CS_FLAG_KIND_END; k++)
        err |= set_count(r, (scan_column)(SC_FLAGS_FIRST + k - 1), 1, count[k]);
    return err;
}

int scan_row_from_run(scan_row *r, call_run *run, const report_source *rs, const cs_profile *prof,
                      const cs_coaching *coaching)
{
    const cs_summary *sum = &run->sum;
    const cs_speaker_summary *ag = &sum->speaker[CS_AGENT], *cu = &sum->speaker[CS_CUSTOMER];
    int two_party = rs->two_party;
    int agent_spoke = ag->present && ag->segments > 0;
    int customer_spoke = cu->present && cu->segments > 0;
    /* The same availability rules as the JSON report (report_json.c). */
    int rc = scan_row_set(r, SC_PATH, rs->path);
    rc |= set_number(r, SC_DURATION, 1, rs->duration_s, 3);
    rc |= scan_row_set(r, SC_STATUS, "ok");
    rc |= scan_row_set(r, SC_ERROR, NULL);
    rc |= set_number(r, SC_AGENT_TALK_SHARE, ag->present && two_party, ag->talk_share, 4);
    rc |= set_number(r, SC_AGENT_TALK, ag->present, ag->talk_s, 3);
    rc |= set_number(r, SC_CUSTOMER_TALK, cu->present, cu->talk_s, 3);
    rc |= set_number(r, SC_OVERLAP, two_party, sum->overlap_s, 3);
    rc |= set_number(r, SC_SILENCE, sum->any_speech, sum->silence_s, 3);
    rc |= set_count(r, SC_INTERRUPTIONS_BY_AGENT, ag->present && two_party, ag->interruptions_made);
    rc |= set_count(r, SC_INTERRUPTIONS_BY_CUSTOMER, cu->present && two_party, cu->interruptions_made);
    rc |= set_count(r, SC_BACKCHANNELS_BY_AGENT, ag->present && two_party, ag->backchannels_made);
    rc |= set_number(r, SC_AGENT_PACE, agent_spoke, ag->pace_syl_per_s, 3);
    rc |= set_number(r, SC_AGENT_PITCH, agent_spoke, ag->pitch_median_hz, 1);
    rc |= set_number(r, SC_AGENT_LEVEL, agent_spoke, ag->level_db, 2);
    rc |= set_number(r, SC_AGENT_CALM, agent_spoke, call_run_calm_points(run, CS_AGENT), 1);
    rc |= set_number(r, SC_CUSTOMER_CALM, customer_spoke, call_run_calm_points(run, CS_CUSTOMER), 1);
    rc |= set_count(r, SC_FLAG_COUNT, 1, report_flag_count(run));
    rc |= set_number(r, SC_SCORE, 1, run->score, 1);
    rc |= scan_row_set(r, SC_FORMAT, rs->format);
    char warnings[SOURCE_MAX_WARNINGS * (SOURCE_WARNING_MAX + 2)] = "";
    for (int i = 0; i < rs->warning_count; i++) {
        if (i)
            strcat(warnings, "; ");
        strncat(warnings, rs->warnings[i], SOURCE_WARNING_MAX);
    }
    rc |= scan_row_set(r, SC_WARNINGS, warnings);
    rc |= scan_row_set(r, SC_RETRY, "0");
    rc |= scan_row_set(r, SC_SEPARATION, rs->diarized ? "diarized" : two_party ? "channels" : "single");
    rc |= set_number(r, SC_SEPARATION_CONFIDENCE, rs->diarized, rs->separation_confidence, 3);
    rc |= scan_row_set(r, SC_ROLE_WARNING, run->role_warning);
    rc |= set_number(r, SC_AGENT_RESPONSE_LATENCY, ag->present && two_party, ag->response_latency_median_s, 3);
    rc |= set_number(r, SC_AGENT_LONGEST_MONOLOGUE, agent_spoke, ag->longest_monologue_s, 3);
    rc |= set_number(r, SC_LONGEST_MONOLOGUE, sum->any_speech, sum->longest_monologue_s, 3);
    rc |= set_count(r, SC_HOLD_COUNT, 1, sum->hold_count);
    rc |= set_count(r, SC_DEAD_AIR_COUNT, 1, sum->dead_air_count);
    if (rc != 0)
        return -1;
    if (set_event_time(r, run) != 0 || set_flag_counts(r, run) != 0)
        return -1;
    return set_top_flags(r, run, prof, coaching);
}

int scan_row_error(scan_row *r, const char *path, const char *reason, int retry)
{
    int rc = 0;
    for (int i = 0; i < SCAN_RECORD_COLUMNS; i++)
        if (i != SC_SOURCE_SIZE && i != SC_SOURCE_MTIME && i != SC_SETTINGS)
            rc |= scan_row_set(r, (scan_column)i, NULL);
    rc |= scan_row_set(r, SC_PATH, path);
    rc |= scan_row_set(r, SC_STATUS, "error");
    rc |= scan_row_set(r, SC_ERROR, reason);
    rc |= scan_row_set(r, SC_RETRY, retry ? "1" : "0");
    return rc;
}

int scan_row_set_meta(scan_row *r, const char *meta)
{
    static const scan_column known[] = {SC_AGENT, SC_DATE, SC_QUEUE};
    int rc = scan_row_set(r, SC_METADATA, meta);
    for (size_t i = 0; i < sizeof known / sizeof *known; i++) {
        char *value = call_meta_get(meta, scan_column_name[known[i]]);
        rc |= scan_row_set(r, known[i], value);
        free(value);
    }
    return rc;
}

static void write_columns(csv_writer *w, const scan_row *r, int columns)
{
    for (int i = 0; i < columns; i++)
        csv_text(w, r ? scan_row_get(r, (scan_column)i) : scan_column_name[i]);
}

int scan_summary_columns(const csv_row *header, int col[SCAN_SUMMARY_COLUMNS], const char **missing)
{
    for (int i = 0; i < SCAN_SUMMARY_COLUMNS; i++)
        if ((col[i] = csv_find(header, scan_column_name[i])) < 0) {
            *missing = scan_column_name[i];
            return -1;
        }
    return 0;
}

void scan_summary_header(csv_writer *w, const char *extra_names)
{
    for (int k = 1; k < CS_FLAG_KIND_END; k++)
        if (strcmp(scan_column_name[SC_FLAGS_FIRST + k - 1] + 6, cs_flag_kind_name((cs_flag_kind)k)) != 0)
            die(CLI_EXIT_FAILURE, "internal error: the column of %s flags is misnamed", cs_flag_kind_name((cs_flag_kind)k));
    write_columns(w, NULL, SCAN_SUMMARY_COLUMNS);
    for (const char *name = extra_names; name && *name; name += strlen(name) + 1) {
        char *column = cli_strdupf(SCAN_META_PREFIX "%s", name);
        csv_text(w, column);
        free(column);
    }
    csv_end_row(w);
}

void scan_summary_row(csv_writer *w, const scan_row *r, const char *extra_names)
{
    write_columns(w, r, SCAN_SUMMARY_COLUMNS);
    for (const char *name = extra_names; name && *name; name += strlen(name) + 1) {
        char *value = call_meta_get(scan_row_get(r, SC_METADATA), name);
        csv_text(w, value ? value : "");
        free(value);
    }
    csv_end_row(w);
}

int scan_record_write(const char *record_path, const scan_row *r)
{
    atomic_file af;
    int err = atomic_open(&af, record_path);
    if (err)
        return err;
    csv_writer w;
    csv_init(&w, af.fp);
    write_columns(&w, NULL, SCAN_RECORD_COLUMNS);
    csv_end_row(&w);
    write_columns(&w, r, SCAN_RECORD_COLUMNS);
    csv_end_row(&w);
    return atomic_commit(&af);
}

int scan_record_read(const char *record_path, scan_row *r)
{
    FILE *fp = fopen(record_path, "rb");
    if (!fp)
        return errno;
    csv_row header = {0}, values = {0};
    int err = 0;
    if (csv_read_row(fp, &header) != 1 || csv_read_row(fp, &values) != 1 || header.count != values.count)
        err = errno == ENOMEM ? ENOMEM : EINVAL;
    /* Columns by name, so records from a version with more columns read. */
    for (int i = 0; !err && i < SCAN_RECORD_COLUMNS; i++) {
        int at = csv_find(&header, scan_column_name[i]);
        if (at < 0)
            err = EINVAL;
        else if (scan_row_set(r, (scan_column)i, csv_field(&values, at)) != 0)
            err = ENOMEM;
    }
    csv_row_free(&header);
    csv_row_free(&values);
    fclose(fp);
    return err;
}
