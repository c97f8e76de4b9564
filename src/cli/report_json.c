/* The per-call JSON report; see report_json.h and docs/report.md. */
#include "cli/report_json.h"

#include "cli/profile_io.h"

#include "cli/analysis_setup.h"
#include "cli/call_meta.h"
#include "cli/json_writer.h"

#include <errno.h>
#include <math.h>

/* Seconds keep millisecond precision; shares and fractions four decimals. */
#define TIME_DECIMALS 3
#define SHARE_DECIMALS 4

void report_source_from_run(report_source *rs, const call_run *run, const char *path,
                            const analysis_setup *setup, const char **warnings)
{
    int count = run->src ? source_file_warning_count(run->src) : 0;
    for (int i = 0; i < count; i++)
        warnings[i] = source_file_warning(run->src, i);
    rs->path = path;
    rs->duration_s = (double)run->frames / run->info.sample_rate_hz;
    rs->sample_rate_hz = run->info.sample_rate_hz;
    rs->channels = run->info.channels;
    rs->format = run->info.format;
    rs->speaker_channel[CS_AGENT] = run->map[CS_AGENT];
    rs->speaker_channel[CS_CUSTOMER] = run->map[CS_CUSTOMER];
    rs->two_party = rs->speaker_channel[CS_AGENT] >= 0 && rs->speaker_channel[CS_CUSTOMER] >= 0;
    rs->diarized = run->diarized;
    rs->upmixed = run->upmixed;
    rs->voices = run->sum.any_speech ? run->sum.voices : 0;
    rs->separation_confidence = run->sum.separation_confidence;
    rs->separation_doubtful = run->sum.separation_doubtful;
    rs->warnings = warnings;
    rs->warning_count = count;
    rs->baseline_path = setup->baseline_path;
    rs->tone_model = setup->model.name;
    rs->coaching = &setup->coaching;
    rs->metadata = NULL;
}

int report_flag_count(const call_run *run)
{
    return (int)voice_log_flag_count(run->voice);
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
    case CS_EVENT_LAUGHTER: return "laughter";
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

const char *report_doubt_note(const report_source *src)
{
    return src->diarized && src->separation_doubtful
               ? "the two voices could not be told apart with confidence: flags that rest on who said what are "
                 "marked doubtful and left out of the score"
               : NULL;
}

const char *report_source_note(const report_source *src)
{
    if (src->diarized && src->voices == 1)
        return "one channel and only one voice found in it: everything is the agent's";
    if (src->diarized && src->upmixed)
        return "the two channels are identical (a mono mix): the voices were told apart";
    if (!src->diarized && src->speaker_channel[CS_CUSTOMER] < 0)
        return "one channel: both parties are analysed as a single speaker (agent); customer measures are not "
               "available";
    return NULL;
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
    if (src->diarized) {
        jw_key_string(w, "separation", "diarized");
        jw_key_fixed(w, "separation_confidence", src->separation_confidence, 3);
        jw_key(w, "separation_doubtful");
        jw_bool(w, src->separation_doubtful);
        if (report_doubt_note(src))
            jw_key_string(w, "separation_note", report_doubt_note(src));
        jw_key_int(w, "voices", src->voices);
        if (report_source_note(src))
            jw_key_string(w, "note", report_source_note(src));
    } else if (mono) {
        jw_key_string(w, "separation", "single");
        jw_key_string(w, "note", report_source_note(src));
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
        key_int_if(w, "channel", src->speaker_channel[s] >= 0, src->speaker_channel[s]);
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

/* The baseline arousal was measured against. */
static void write_baseline(json_writer *w, const cs_baseline *b)
{
    jw_key(w, "baseline");
    if (!(b->speech_s > 0)) {
        jw_null(w);
        return;
    }
    jw_begin_object(w, JW_INLINE);
    jw_key_fixed(w, "speech_s", b->speech_s, 2);
    jw_key_fixed(w, "pitch_hz", b->pitch_hz, 1);
    jw_key_fixed(w, "pitch_range_st", b->pitch_range_st, 2);
    jw_key_fixed(w, "level_db", b->level_db, 2);
    jw_key_fixed(w, "high_band_db", b->high_band_db, 2);
    jw_key_fixed(w, "pace_syl_per_s", b->pace_syl_per_s, 3);
    jw_key_fixed(w, "aperiodic_pct", b->aperiodic_pct, 2);
    jw_end_object(w);
}

/* Per-speaker measures; all null for a speaker the recording does not carry. */
static void write_one_speaker(json_writer *w, const cs_speaker_summary *sp, int two_party, double calm_score,
                              const cs_baseline *base, double wpm_syllables)
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
    jw_key_fixed(w, "pace_syl_per_s", spoke ? sp->pace_syl_per_s : n, 3);
    jw_key_fixed(w, "pitch_median_hz", spoke ? sp->pitch_median_hz : n, 1);
    jw_key_fixed(w, "pitch_range_st", spoke ? sp->pitch_range_st : n, 2);
    jw_key_fixed(w, "level_db", spoke ? sp->level_db : n, 2);
    jw_key_fixed(w, "calm_score", spoke ? calm_score : n, SHARE_DECIMALS);
    /* Beyond the contract. */
    key_int_if(w, "segments", present, sp->segments);
    key_int_if(w, "overtalks_started", present && two_party, sp->overtalks_started);
    key_int_if(w, "responses", present && two_party, sp->responses);
    jw_key_fixed(w, "fast_response_share", present && two_party ? sp->fast_response_share : n,
                 SHARE_DECIMALS);
    key_int_if(w, "rushed_responses", present && two_party, sp->rushed_responses);
    jw_key_fixed(w, "longest_turn_s", spoke ? sp->longest_turn_s : n, TIME_DECIMALS);
    jw_key_fixed(w, "clipped_fraction", present ? sp->clipped_fraction : n, 6);
    jw_key_fixed(w, "speaking_rate_syl_per_s", spoke ? sp->speaking_rate_syl_per_s : n, 3);
    jw_key_fixed(w, "wpm_estimate", spoke ? sp->speaking_rate_syl_per_s * 60.0 / wpm_syllables : n, 0);
    jw_key_int(w, "syllables", sp->syllables);
    jw_key_fixed(w, "voiced_s", present ? sp->voiced_s : n, TIME_DECIMALS);
    write_baseline(w, base);
    jw_end_object(w);
}

static void write_per_speaker(json_writer *w, const call_run *run, int two_party, double wpm_syllables)
{
    jw_key(w, "per_speaker");
    jw_begin_object(w, JW_BLOCK);
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        jw_key(w, cs_speaker_name(s));
        write_one_speaker(w, &run->sum.speaker[s], two_party, run->calm_score[s], &run->baseline[s], wpm_syllables);
    }
    jw_end_object(w);
}

static void key_detail(json_writer *w, cs_flag_kind kind, int which, double value)
{
    const char *name = cs_flag_detail_name(kind, which);
    if (name)
        jw_key_fixed(w, name, value, 3);
}

static int write_flags(json_writer *w, const call_run *run, const cs_coaching *coaching)
{
    jw_key(w, "flags");
    jw_begin_array(w, JW_BLOCK);
    if (voice_log_flags_begin(run->voice) != 0)
        return -1;
    cs_flag fl;
    int rc;
    while ((rc = voice_log_flags_next(run->voice, &fl)) > 0) {
        jw_begin_object(w, JW_INLINE);
        jw_key_string(w, "kind", cs_flag_kind_name(fl.kind));
        key_speaker(w, "speaker", fl.speaker);
        jw_key_fixed(w, "start_s", cs_seconds(run->an, fl.start), TIME_DECIMALS);
        jw_key_fixed(w, "end_s", cs_seconds(run->an, fl.end), TIME_DECIMALS);
        jw_key_fixed(w, "severity", fl.severity, 2);
        char message[2 * CS_COACHING_TEXT_MAX];
        cs_flag_message(coaching, &fl, run->rate_hz, message, sizeof message);
        jw_key_string(w, "message", message);
        jw_key_string(w, "tip", cs_flag_tip(coaching, fl.kind));
        if (fl.doubtful) {
            jw_key(w, "who_said_what_doubtful");
            jw_bool(w, 1);
        }
        /* Beyond the contract: the numbers the message quotes. */
        jw_key(w, "details");
        jw_begin_object(w, JW_INLINE);
        key_detail(w, fl.kind, 0, fl.measure);
        key_detail(w, fl.kind, 1, fl.context);
        if (fl.count > 0)
            jw_key_int(w, "count", fl.count);
        jw_end_object(w);
        jw_end_object(w);
        if (w->error)
            return 0;
    }
    jw_end_array(w);
    return rc;
}

/* One track: a value per frame from time 0, null where the speaker is silent.
 * Each track re-reads the scored frames from their temporary file: JSON wants
 * the arrays one after the other, and holding them would make memory grow
 * with the call. */
typedef enum track_kind { TRACK_PITCH, TRACK_LEVEL, TRACK_PACE, TRACK_AROUSAL } track_kind;

static int write_track(json_writer *w, const call_run *run, int s, const char *key, track_kind kind)
{
    static const int decimals[] = {1, 2, 2, 3};
    jw_key(w, key);
    jw_begin_array(w, JW_INLINE);
    if (voice_log_tracks_begin(run->voice) != 0)
        return -1;
    track_point tp;
    int rc;
    while ((rc = voice_log_tracks_next(run->voice, &tp)) > 0) {
        double v = kind == TRACK_PITCH   ? tp.pitch_hz[s]
                   : kind == TRACK_LEVEL ? tp.level_db[s]
                   : kind == TRACK_PACE  ? tp.pace_syl_per_s[s]
                                         : tp.arousal[s];
        jw_fixed(w, tp.speech_s[s] > 0 ? v : NAN, decimals[kind]);
        if (w->error)
            return 0;
    }
    jw_end_array(w);
    return rc;
}

static int write_tracks(json_writer *w, const call_run *run, double hop_s, int voice_on)
{
    jw_key(w, "tracks");
    if (!voice_on) {
        jw_null(w);
        return 0;
    }
    jw_begin_object(w, JW_BLOCK);
    jw_key_fixed(w, "hop_s", hop_s, 3);
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        jw_key(w, cs_speaker_name(s));
        if (run->map[s] < 0) {
            jw_null(w);
            continue;
        }
        jw_begin_object(w, JW_BLOCK);
        if (write_track(w, run, s, "pitch_hz", TRACK_PITCH) < 0 || write_track(w, run, s, "level_db", TRACK_LEVEL) < 0 ||
            write_track(w, run, s, "pace_syl_per_s", TRACK_PACE) < 0 ||
            write_track(w, run, s, "arousal", TRACK_AROUSAL) < 0)
            return -1;
        jw_end_object(w);
    }
    jw_end_object(w);
    return 0;
}

static void write_call(json_writer *w, const cs_summary *sum, int two_party, int flag_count, double score)
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
    jw_key_fixed(w, "score", score, 1);
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

int report_json_write(FILE *fp, call_run *run, const report_source *src, const cs_profile *prof)
{
    const cs_analyzer *a = run->an;
    call_log *log = run->log;
    const cs_summary *sum = &run->sum;
    int two_party = src->two_party;
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
    if (src->metadata)
        call_meta_write_json(&w, src->metadata);
    write_profile(&w, prof);
    write_speakers(&w, src);
    if (write_segments(&w, a, log) < 0 || write_events(&w, a, log) < 0 || write_flags(&w, run, src->coaching) < 0)
        return call_run_spool_errno(run);
    write_per_speaker(&w, run, two_party, profile_io_value(prof, "pace.wpm_syllables"));
    write_call(&w, sum, two_party, report_flag_count(run), run->score);
    if (write_tracks(&w, run, cs_seconds(a, cs_frame_samples(a)), profile_io_value(prof, "voice.analyze") > 0.5) < 0)
        return call_run_spool_errno(run);
    jw_key(&w, "meta");
    jw_begin_object(&w, JW_INLINE);
    jw_key_fixed(&w, "cpu_s", run->cpu_s, 3);
    jw_key_fixed(&w, "wall_s", run->wall_s, 3);
    jw_key_string(&w, "tone_model", src->tone_model);
    jw_key(&w, "agent_baseline");
    if (src->baseline_path)
        jw_string(&w, src->baseline_path);
    else
        jw_string(&w, "learnt from this call");
    jw_end_object(&w);
    jw_end_object(&w);
    int rc = jw_finish(&w);
    if (rc == JW_EWRITE)
        return w.write_errno ? w.write_errno : EIO;
    if (rc != JW_OK)
        return EINVAL; /* writer misuse: a bug here, reported as internal */
    return 0;
}
