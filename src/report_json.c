/*
 * The per-call JSON report, schema "callscope.report/1", laid out as
 * docs/report.md documents it (field names are a contract; fields are only
 * ever added; tests/test_docs.sh fails on a key the page does not list).
 * Segments, events, flags and tracks are read back from the call's store as
 * they are written, so a long call needs no more memory than a short one.
 *
 * Values that cannot be computed (no speech, a speaker not in the
 * recording, quantities not measured yet) are null, never 0.
 */
#include "call_object.h"
#include "json_writer.h"
#include "profile_keys.h"

#include <math.h>

/* Seconds keep millisecond precision; shares and fractions four decimals. */
#define TIME_DECIMALS 3
#define SHARE_DECIMALS 4

/* Times as seconds at the call's analysis rate. */
static double seconds(const cs_call *c, int64_t sample) { return (double)sample / c->res.rate_hz; }

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

static void write_source(json_writer *w, const cs_call *c, const cs_report_source *src)
{
    const cs_call_results *r = &c->res;
    jw_key(w, "source");
    jw_begin_object(w, JW_BLOCK);
    jw_key_string(w, "path", src->path);
    jw_key_fixed(w, "duration_s", (double)r->frames / c->input.sample_rate_hz, TIME_DECIMALS);
    jw_key_int(w, "sample_rate_hz", c->input.sample_rate_hz);
    jw_key_int(w, "channels", c->input.channels);
    jw_key_string(w, "format", src->format);
    if (r->diarized) {
        jw_key_string(w, "separation", "diarized");
        jw_key_fixed(w, "separation_confidence", r->summary.separation_confidence, 3);
        jw_key(w, "separation_doubtful");
        jw_bool(w, r->summary.separation_doubtful);
        if (cs_call_doubt_note(c))
            jw_key_string(w, "separation_note", cs_call_doubt_note(c));
        jw_key_int(w, "voices", r->summary.any_speech ? r->summary.voices : 0);
        if (cs_call_source_note(c))
            jw_key_string(w, "note", cs_call_source_note(c));
    } else if (r->speaker_channel[CS_CUSTOMER] < 0) {
        jw_key_string(w, "separation", "single");
        jw_key_string(w, "note", cs_call_source_note(c));
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

static void write_speakers(json_writer *w, const cs_call_results *r)
{
    jw_key(w, "speakers");
    jw_begin_array(w, JW_BLOCK);
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        jw_begin_object(w, JW_INLINE);
        jw_key_string(w, "id", cs_speaker_name(s));
        key_int_if(w, "channel", r->speaker_channel[s] >= 0, r->speaker_channel[s]);
        jw_end_object(w);
    }
    jw_end_array(w);
}

static int write_segments(json_writer *w, cs_call *c)
{
    jw_key(w, "segments");
    jw_begin_array(w, JW_BLOCK);
    int rc = cs_call_segments_begin(c);
    cs_event ev;
    while (!rc && (rc = cs_call_segments_next(c, &ev)) > 0 && !w->error) {
        jw_begin_object(w, JW_INLINE);
        key_speaker(w, "speaker", ev.speaker);
        jw_key_fixed(w, "start_s", seconds(c, ev.start), TIME_DECIMALS);
        jw_key_fixed(w, "end_s", seconds(c, ev.end), TIME_DECIMALS);
        jw_end_object(w);
        rc = 0;
    }
    jw_end_array(w);
    return rc < 0 ? rc : CS_OK;
}

static int write_events(json_writer *w, cs_call *c)
{
    jw_key(w, "events");
    jw_begin_array(w, JW_BLOCK);
    int rc = cs_call_events_begin(c);
    cs_event ev;
    while (!rc && (rc = cs_call_events_next(c, &ev)) > 0 && !w->error) {
        jw_begin_object(w, JW_INLINE);
        jw_key_string(w, "type", cs_event_type_name(ev.type));
        jw_key_fixed(w, "start_s", seconds(c, ev.start), TIME_DECIMALS);
        jw_key_fixed(w, "end_s", seconds(c, ev.end), TIME_DECIMALS);
        key_speaker(w, "speaker", ev.speaker);
        key_speaker(w, "other", ev.other);
        if (ev.type == CS_EVENT_INTERRUPTION)
            jw_key_fixed(w, "overlap_s", ev.value, TIME_DECIMALS);
        if (ev.type == CS_EVENT_DEAD_AIR)
            jw_key_int(w, "tier", ev.tier);
        jw_end_object(w);
        rc = 0;
    }
    jw_end_array(w);
    return rc < 0 ? rc : CS_OK;
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

static void write_per_speaker(json_writer *w, const cs_call *c)
{
    const cs_call_results *r = &c->res;
    jw_key(w, "per_speaker");
    jw_begin_object(w, JW_BLOCK);
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        jw_key(w, cs_speaker_name(s));
        write_one_speaker(w, &r->summary.speaker[s], r->two_party, r->calm_score[s], &r->baseline[s],
                          c->prof.value[CS_K_PACE_WPM_SYLLABLES]);
    }
    jw_end_object(w);
}

static void key_detail(json_writer *w, cs_flag_kind kind, int which, double value)
{
    const char *name = cs_flag_detail_name(kind, which);
    if (name)
        jw_key_fixed(w, name, value, 3);
}

static int write_flags(json_writer *w, cs_call *c, const cs_coaching *coaching)
{
    jw_key(w, "flags");
    jw_begin_array(w, JW_BLOCK);
    int rc = cs_call_flags_begin(c);
    cs_flag fl;
    while (!rc && (rc = cs_call_flags_next(c, &fl)) > 0 && !w->error) {
        jw_begin_object(w, JW_INLINE);
        jw_key_string(w, "kind", cs_flag_kind_name(fl.kind));
        key_speaker(w, "speaker", fl.speaker);
        jw_key_fixed(w, "start_s", seconds(c, fl.start), TIME_DECIMALS);
        jw_key_fixed(w, "end_s", seconds(c, fl.end), TIME_DECIMALS);
        jw_key_fixed(w, "severity", fl.severity, 2);
        char message[2 * CS_COACHING_TEXT_MAX];
        cs_flag_message(coaching, &fl, c->res.rate_hz, message, sizeof message);
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
        rc = 0;
    }
    jw_end_array(w);
    return rc < 0 ? rc : CS_OK;
}

/* One track: a value per frame from time 0, null where the speaker is silent.
 * Each track reads the scored frames back again: JSON wants the arrays one
 * after the other, and holding them would make memory grow with the call. */
typedef enum track_kind { TRACK_PITCH, TRACK_LEVEL, TRACK_PACE, TRACK_AROUSAL } track_kind;

static int write_track(json_writer *w, cs_call *c, int s, const char *key, track_kind kind)
{
    static const int decimals[] = {1, 2, 2, 3};
    jw_key(w, key);
    jw_begin_array(w, JW_INLINE);
    int rc = cs_call_tracks_begin(c, 0);
    cs_track_point tp;
    while (!rc && (rc = cs_call_tracks_next(c, &tp)) > 0 && !w->error) {
        double v = kind == TRACK_PITCH   ? tp.pitch_hz[s]
                   : kind == TRACK_LEVEL ? tp.level_db[s]
                   : kind == TRACK_PACE  ? tp.pace_syl_per_s[s]
                                         : tp.arousal[s];
        jw_fixed(w, tp.speech_s[s] > 0 ? v : NAN, decimals[kind]);
        rc = 0;
    }
    jw_end_array(w);
    return rc < 0 ? rc : CS_OK;
}

static int write_tracks(json_writer *w, cs_call *c)
{
    const cs_call_results *r = &c->res;
    jw_key(w, "tracks");
    if (!r->tracks) {
        jw_null(w);
        return CS_OK;
    }
    jw_begin_object(w, JW_BLOCK);
    jw_key_fixed(w, "hop_s", r->track_hop_s, 3);
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        jw_key(w, cs_speaker_name(s));
        if (r->speaker_channel[s] < 0) {
            jw_null(w);
            continue;
        }
        jw_begin_object(w, JW_BLOCK);
        int err = write_track(w, c, s, "pitch_hz", TRACK_PITCH);
        if (!err)
            err = write_track(w, c, s, "level_db", TRACK_LEVEL);
        if (!err)
            err = write_track(w, c, s, "pace_syl_per_s", TRACK_PACE);
        if (!err)
            err = write_track(w, c, s, "arousal", TRACK_AROUSAL);
        if (err)
            return err;
        jw_end_object(w);
    }
    jw_end_object(w);
    return CS_OK;
}

static void write_call(json_writer *w, const cs_call_results *r)
{
    double n = NAN;
    const cs_summary *sum = &r->summary;
    int speech = sum->any_speech, two_party = r->two_party;
    jw_key(w, "call");
    jw_begin_object(w, JW_BLOCK);
    jw_key_fixed(w, "overlap_s", two_party ? sum->overlap_s : n, TIME_DECIMALS);
    /* Silence is measured between the first and the last speech. */
    jw_key_fixed(w, "silence_s", speech ? sum->silence_s : n, TIME_DECIMALS);
    jw_key_fixed(w, "longest_silence_s", speech ? sum->longest_silence_s : n, TIME_DECIMALS);
    jw_key_fixed(w, "longest_monologue_s", speech ? sum->longest_monologue_s : n, TIME_DECIMALS);
    jw_key_int(w, "dead_air_count", sum->dead_air_count);
    jw_key_int(w, "flag_count", (int64_t)r->flag_count);
    jw_key_fixed(w, "score", r->score, 1);
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

static void write_metadata(json_writer *w, const cs_report_source *src)
{
    jw_key(w, "metadata");
    jw_begin_object(w, JW_INLINE);
    for (int i = 0; i < src->metadata_count; i++)
        jw_key_string(w, src->metadata[2 * i], src->metadata[2 * i + 1]);
    jw_end_object(w);
}

static void write_meta(json_writer *w, const cs_call *c, const cs_report_source *src)
{
    jw_key(w, "meta");
    jw_begin_object(w, JW_INLINE);
    jw_key_fixed(w, "cpu_s", src->cpu_s, 3);
    jw_key_fixed(w, "wall_s", src->wall_s, 3);
    jw_key_string(w, "tone_model", c->model.name);
    jw_key_string(w, "agent_baseline", src->baseline_path ? src->baseline_path : "learnt from this call");
    jw_end_object(w);
}

int cs_call_write_report(cs_call *c, const cs_report_source *src, cs_write_fn write, void *user)
{
    if (!c || !src || !write)
        return CS_EINVAL;
    if (c->state != CALL_SCORED)
        return c->state == CALL_FAILED ? c->error : CS_ESTATE;
    json_writer w;
    jw_init_write(&w, write, user);
    jw_begin_object(&w, JW_BLOCK);
    jw_key_string(&w, "schema", CS_REPORT_SCHEMA);
    jw_key(&w, "tool");
    jw_begin_object(&w, JW_INLINE);
    jw_key_string(&w, "name", "callscope");
    jw_key_string(&w, "version", cs_version());
    jw_end_object(&w);
    write_source(&w, c, src);
    if (src->metadata)
        write_metadata(&w, src);
    write_profile(&w, &c->prof);
    write_speakers(&w, &c->res);
    int err = write_segments(&w, c);
    if (!err)
        err = write_events(&w, c);
    if (!err) {
        cs_coaching built_in;
        if (!src->coaching)
            cs_coaching_default(&built_in);
        err = write_flags(&w, c, src->coaching ? src->coaching : &built_in);
    }
    if (!err) {
        write_per_speaker(&w, c);
        write_call(&w, &c->res);
        err = write_tracks(&w, c);
    }
    if (err)
        return err;
    write_meta(&w, c, src);
    jw_end_object(&w);
    int rc = jw_finish(&w);
    if (rc == JW_EWRITE)
        return CS_EWRITE;
    return rc == JW_OK ? CS_OK : CS_ESTATE; /* writer misuse: a bug here */
}
