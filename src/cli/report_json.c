/* The per-call JSON report; see report_json.h and spec/report.md. */
#include "cli/report_json.h"

#include "cli/json_writer.h"

#include <errno.h>
#include <math.h>

/* Seconds keep millisecond precision; shares and fractions four decimals. */
#define TIME_DECIMALS 3
#define SHARE_DECIMALS 4

int report_flag_count(const call_log *log)
{
    (void)log;
    return 0;
}

/* The contract's name for each listed event type. */
static const char *event_name(cs_event_type type)
{
    switch (type) {
    case CS_EVENT_INTERRUPTION: return "interruption";
    case CS_EVENT_BACKCHANNEL: return "backchannel";
    case CS_EVENT_OVERTALK: return "overtalk";
    case CS_EVENT_OVERLAP: return "overlap";
    case CS_EVENT_DEAD_AIR: return "dead_air";
    case CS_EVENT_HOLD: return "hold";
    default: return NULL;
    }
}

static void key_speaker(json_writer *w, const char *key, int speaker)
{
    jw_key(w, key);
    if (speaker >= 0 && speaker < CS_MAX_SPEAKERS)
        jw_string(w, cs_speaker_name(speaker));
    else
        jw_null(w);
}

/* "key": value, or null when the value is not available. */
static void key_int_if(json_writer *w, const char *key, int available, int64_t value)
{
    jw_key(w, key);
    if (available)
        jw_int(w, value);
    else
        jw_null(w);
}

static void write_source(json_writer *w, const report_source *src)
{
    int mono = src->speaker_channel[CS_CUSTOMER] < 0;
    jw_key(w, "source");
    jw_begin_object(w, JW_BLOCK);
    jw_key_string(w, "path", src->path);
    jw_key_fixed(w, "duration_s", src->duration_s, TIME_DECIMALS);
    jw_key_int(w, "sample_rate_hz", src->sample_rate_hz);
    jw_key_int(w, "channels", src->channels);
    jw_key_string(w, "format", src->format);
    if (mono) {
        jw_key_string(w, "separation", "single");
        jw_key_string(w, "note", "one channel: both parties are analysed as a single speaker "
                                 "(agent); customer measures are not available");
    } else {
        jw_key_string(w, "separation", "channels");
    }
    jw_key(w, "warnings");
    jw_begin_array(w, JW_BLOCK);
    for (int i = 0; i < src->warning_count; i++)
        jw_string(w, src->warnings[i]);
    jw_end_array(w);
    jw_end_object(w);
}

static void write_profile(json_writer *w, const cs_profile *prof)
{
    jw_key(w, "profile");
    jw_begin_object(w, JW_BLOCK);
    jw_key_string(w, "name", prof->name);
    for (int i = 0; i < cs_profile_count(); i++) {
        const char *key = cs_profile_key(i);
        double v;
        if (!key || cs_profile_get(prof, key, &v) < 0)
            continue;
        jw_key(w, key);
        jw_real(w, v);
    }
    jw_end_object(w);
}

static void write_speakers(json_writer *w, const report_source *src)
{
    jw_key(w, "speakers");
    jw_begin_array(w, JW_BLOCK);
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        jw_begin_object(w, JW_INLINE);
        jw_key_string(w, "id", cs_speaker_name(s));
        jw_key(w, "channel");
        if (src->speaker_channel[s] >= 0)
            jw_int(w, src->speaker_channel[s]);
        else
            jw_null(w);
        jw_end_object(w);
    }
    jw_end_array(w);
}

static int write_segments(json_writer *w, const cs_analyzer *a, call_log *log)
{
    jw_key(w, "segments");
    jw_begin_array(w, JW_BLOCK);
    if (call_log_segments_begin(log) != 0)
        return -1;
    cs_event ev;
    int rc;
    while ((rc = call_log_segments_next(log, &ev)) > 0) {
        jw_begin_object(w, JW_INLINE);
        key_speaker(w, "speaker", ev.speaker);
        jw_key_fixed(w, "start_s", cs_seconds(a, ev.start), TIME_DECIMALS);
        jw_key_fixed(w, "end_s", cs_seconds(a, ev.end), TIME_DECIMALS);
        jw_end_object(w);
        if (w->error)
            return 0;
    }
    jw_end_array(w);
    return rc;
}

static int write_events(json_writer *w, const cs_analyzer *a, call_log *log)
{
    jw_key(w, "events");
    jw_begin_array(w, JW_BLOCK);
    if (call_log_events_begin(log) != 0)
        return -1;
    cs_event ev;
    int rc;
    while ((rc = call_log_events_next(log, &ev)) > 0) {
        const char *name = event_name(ev.type);
        if (!name)
            continue;
        jw_begin_object(w, JW_INLINE);
        jw_key_string(w, "type", name);
        jw_key_fixed(w, "start_s", cs_seconds(a, ev.start), TIME_DECIMALS);
        jw_key_fixed(w, "end_s", cs_seconds(a, ev.end), TIME_DECIMALS);
        key_speaker(w, "speaker", ev.speaker);
        key_speaker(w, "other", ev.other);
        if (ev.type == CS_EVENT_INTERRUPTION)
            jw_key_fixed(w, "overlap_s", ev.value, TIME_DECIMALS);
        if (ev.type == CS_EVENT_DEAD_AIR)
            jw_key_int(w, "tier", ev.tier);
        jw_end_object(w);
        if (w->error)
            return 0;
    }
    jw_end_array(w);
    return rc;
}

/* Per-speaker measures; all null for a speaker the recording does not carry. */
static void write_one_speaker(json_writer *w, const cs_speaker_summary *sp, int two_party)
{
    double n = NAN; /* null in JSON */
    int present = sp->present;
    int spoke = present && sp->segments > 0;
    jw_begin_object(w, JW_BLOCK);
    jw_key_fixed(w, "talk_s", present ? sp->talk_s : n, TIME_DECIMALS);
    /* A share needs both parties on their own channels. */
    jw_key_fixed(w, "talk_share", present && two_party ? sp->talk_share : n, SHARE_DECIMALS);
    key_int_if(w, "turns", present, sp->turns);
    key_int_if(w, "interruptions_made", present && two_party, sp->interruptions_made);
    key_int_if(w, "backchannels_made", present && two_party, sp->backchannels_made);
    jw_key_fixed(w, "response_latency_median_s",
                 present && two_party ? sp->response_latency_median_s : n, TIME_DECIMALS);
    jw_key_fixed(w, "longest_monologue_s", spoke ? sp->longest_monologue_s : n, TIME_DECIMALS);
    /* Pace, pitch, level and tone are measured by later stages. */
    jw_key_null(w, "pace_syl_per_s");
    jw_key_null(w, "pitch_median_hz");
    jw_key_null(w, "pitch_range_st");
    jw_key_null(w, "level_db");
    jw_key_null(w, "calm_score");
    /* Beyond the contract. */
    key_int_if(w, "segments", present, sp->segments);
    key_int_if(w, "overtalks_started", present && two_party, sp->overtalks_started);
    key_int_if(w, "responses", present && two_party, sp->responses);
    jw_key_fixed(w, "fast_response_share", present && two_party ? sp->fast_response_share : n,
                 SHARE_DECIMALS);
    key_int_if(w, "rushed_responses", present && two_party, sp->rushed_responses);
    jw_key_fixed(w, "longest_turn_s", spoke ? sp->longest_turn_s : n, TIME_DECIMALS);
    jw_key_fixed(w, "clipped_fraction", present ? sp->clipped_fraction : n, 6);
    jw_end_object(w);
}

static void write_per_speaker(json_writer *w, const cs_summary *sum, int two_party)
{
    jw_key(w, "per_speaker");
    jw_begin_object(w, JW_BLOCK);
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        jw_key(w, cs_speaker_name(s));
        write_one_speaker(w, &sum->speaker[s], two_party);
    }
    jw_end_object(w);
}

static void write_call(json_writer *w, const cs_summary *sum, int two_party, int flag_count)
{
    double n = NAN;
    int speech = sum->any_speech;
    jw_key(w, "call");
    jw_begin_object(w, JW_BLOCK);
    jw_key_fixed(w, "overlap_s", two_party ? sum->overlap_s : n, TIME_DECIMALS);
    /* Silence is measured between the first and the last speech. */
    jw_key_fixed(w, "silence_s", speech ? sum->silence_s : n, TIME_DECIMALS);
    jw_key_fixed(w, "longest_silence_s", speech ? sum->longest_silence_s : n, TIME_DECIMALS);
    jw_key_fixed(w, "longest_monologue_s", speech ? sum->longest_monologue_s : n, TIME_DECIMALS);
    jw_key_int(w, "dead_air_count", sum->dead_air_count);
    jw_key_int(w, "flag_count", flag_count);
    jw_key_null(w, "score");
    /* Beyond the contract. */
    key_speaker(w, "longest_monologue_speaker", speech ? sum->longest_monologue_speaker : -1);
    jw_key_int(w, "dead_air_tier2_count", sum->dead_air_tier2_count);
    jw_key_int(w, "hold_count", sum->hold_count);
    key_int_if(w, "interruptions", two_party, sum->interruptions);
    key_int_if(w, "backchannels", two_party, sum->backchannels);
    key_int_if(w, "overlaps", two_party, sum->overlaps);
    key_int_if(w, "overtalks", two_party, sum->overtalks);
    jw_end_object(w);
}

int report_json_write(FILE *fp, const cs_analyzer *a, const report_source *src,
                      const cs_profile *prof, const cs_summary *sum, call_log *log,
                      const report_meta *meta)
{
    int two_party = src->speaker_channel[CS_AGENT] >= 0 && src->speaker_channel[CS_CUSTOMER] >= 0;
    json_writer w;
    jw_init(&w, fp);
    jw_begin_object(&w, JW_BLOCK);
    jw_key_string(&w, "schema", REPORT_SCHEMA);
    jw_key(&w, "tool");
    jw_begin_object(&w, JW_INLINE);
    jw_key_string(&w, "name", "callscope");
    jw_key_string(&w, "version", cs_version());
    jw_end_object(&w);
    write_source(&w, src);
    write_profile(&w, prof);
    write_speakers(&w, src);
    if (write_segments(&w, a, log) < 0 || write_events(&w, a, log) < 0)
        return call_log_error(log) ? call_log_error(log) : EIO;
    jw_key(&w, "flags");
    jw_begin_array(&w, JW_BLOCK);
    jw_end_array(&w);
    write_per_speaker(&w, sum, two_party);
    write_call(&w, sum, two_party, report_flag_count(log));
    /* Pitch, level, pace and arousal tracks come with the later stages. */
    jw_key_null(&w, "tracks");
    jw_key(&w, "meta");
    jw_begin_object(&w, JW_INLINE);
    jw_key_fixed(&w, "cpu_s", meta->cpu_s, 3);
    jw_key_fixed(&w, "wall_s", meta->wall_s, 3);
    jw_end_object(&w);
    jw_end_object(&w);
    int rc = jw_finish(&w);
    if (rc == JW_EWRITE)
        return w.write_errno ? w.write_errno : EIO;
    if (rc != JW_OK)
        return EINVAL; /* writer misuse: a bug here, reported as internal */
    return 0;
}
