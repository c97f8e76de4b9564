/* The live event stream, the agent's panel and the recording; see live_view.h. */
#include "cli/live_view.h"

#include "cli/atomic_file.h"
#include "cli/cli.h"
#include "cli/json_writer.h"
#include "cli/source_capture.h"

#include <errno.h>
#include <math.h>
#include <sndfile.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* Panel lines, redrawn in place every tick. */
#define PANEL_LINES 6
#define BAR_WIDTH 20
/* The level meter spans this many dB either side of the agent's usual level. */
#define LEVEL_SCALE_DB 12.0
/* Samples converted at a time for the recording. */
#define RECORD_CHUNK 4096

struct live_view {
    live_view_options opt;
    const analysis_setup *setup;
    cs_live *live;
    int input_rate;             /* of the capture: frames heard count at it */
    int rate;                   /* of the analysis: event times count at it */
    int channels, speakers;
    double tick_s, next_tick_s;
    /* where the panel's meters turn red, and amber below that */
    double raised_db, dominance_share, tense_arousal;
    double warn_db, warn_share, warn_arousal;
    int64_t heard;             /* frames handed to the analysis so far */
    int panel_drawn;
    int write_error;
    /* --record */
    const char *record_path;
    atomic_file record_file;
    SNDFILE *record;
    int record_error;
};

/* ---- the recording ----------------------------------------------------------- */

int live_view_record(live_view *v, const char *path, int rate_hz, int channels, char *why, size_t why_cap)
{
    int err = atomic_open(&v->record_file, path);
    if (err) {
        snprintf(why, why_cap, "%s: %s", path, strerror(err));
        return -1;
    }
    SF_INFO info;
    memset(&info, 0, sizeof info);
    info.samplerate = rate_hz;
    info.channels = channels;
    size_t n = strlen(path);
    int flac = n > 5 && strcasecmp(path + n - 5, ".flac") == 0;
    /* A long shift at a high rate outgrows WAV's 4 GB: RF64 then, WAV while it fits. */
    info.format = flac ? SF_FORMAT_FLAC | SF_FORMAT_PCM_16 : SF_FORMAT_RF64 | SF_FORMAT_PCM_16;
    v->record = sf_open_fd(fileno(v->record_file.fp), SFM_WRITE, &info, SF_FALSE);
    if (!v->record) {
        snprintf(why, why_cap, "%s: cannot write audio there: %s", path, sf_strerror(NULL));
        atomic_abort(&v->record_file);
        return -1;
    }
    if (!flac)
        sf_command(v->record, SFC_RF64_AUTO_DOWNGRADE, NULL, SF_TRUE);
    v->record_path = path;
    return 0;
}

/* Samples back to 16 bits as they were captured (x 32768, not the 32767
 * libsndfile would use), so the recording holds exactly what was heard. */
static int record_block(live_view *v, const float *frames, size_t nframes)
{
    short chunk[RECORD_CHUNK];
    size_t per = RECORD_CHUNK / (size_t)v->channels;
    for (size_t done = 0; done < nframes; done += per) {
        size_t n = nframes - done < per ? nframes - done : per;
        const float *x = frames + done * (size_t)v->channels;
        for (size_t i = 0; i < n * (size_t)v->channels; i++) {
            long q = lrintf(x[i] * 32768.0f);
            chunk[i] = (short)(q > 32767 ? 32767 : q < -32768 ? -32768 : q);
        }
        if (sf_writef_short(v->record, chunk, (sf_count_t)n) != (sf_count_t)n)
            return -1;
    }
    return 0;
}

static int on_audio(void *user, const float *frames, size_t nframes)
{
    live_view *v = user;
    v->heard += (int64_t)nframes;
    if (v->record && !v->record_error && record_block(v, frames, nframes) != 0)
        v->record_error = 1;
    return 0;
}

/* ---- events ------------------------------------------------------------------ */

static double heard_s(const live_view *v) { return (double)v->heard / v->input_rate; }

static int end_line(live_view *v, json_writer *w)
{
    if (jw_finish(w) != JW_OK || fflush(v->opt.events) != 0) {
        v->write_error = 1;
        return -1;
    }
    return 0;
}

/* An event line's opening: its time (audio heard) and type. */
static void begin_event(live_view *v, json_writer *w, double t_s, const char *type)
{
    jw_init(w, v->opt.events);
    jw_begin_object(w, JW_INLINE);
    jw_key_fixed(w, "t_s", t_s, 2);
    jw_key_string(w, "type", type);
}

static void write_speaker(json_writer *w, const cs_live_speaker *k)
{
    jw_begin_object(w, JW_INLINE);
    jw_key(w, "speaking");
    jw_bool(w, k->speaking);
    jw_key_fixed(w, "talk_s", k->talk_s, 2);
    jw_key_fixed(w, "talk_share", k->talk_share, 3);
    jw_key_fixed(w, "since_spoke_s", k->since_spoke_s, 1);
    jw_key_fixed(w, "pitch_hz", k->pitch_hz, 1);
    jw_key_fixed(w, "level_db", k->level_db, 1);
    jw_key_fixed(w, "level_vs_baseline_db", k->level_over_db, 1);
    jw_key_fixed(w, "pace_syl_per_s", k->pace_syl_per_s, 2);
    jw_key_fixed(w, "pace_vs_baseline", k->pace_ratio, 2);
    jw_key_fixed(w, "arousal", k->arousal, 2);
    jw_key(w, "baseline");
    jw_bool(w, k->baseline_known);
    jw_end_object(w);
}

static int emit_tick(live_view *v, double t_s, const cs_live_meters *m)
{
    if (!v->opt.events)
        return 0;
    json_writer w;
    begin_event(v, &w, t_s, "tick");
    for (int s = 0; s < v->speakers; s++) {
        jw_key(&w, cs_speaker_name(s));
        write_speaker(&w, &m->speaker[s]);
    }
    jw_key_string(&w, "cue", m->cue ? cs_cue_name(m->cue) : NULL);
    jw_end_object(&w);
    return end_line(v, &w);
}

static int emit_cue(live_view *v, const cs_cue *c)
{
    if (v->opt.display == LIVE_DISPLAY_LINES) {
        char clock[32];
        cli_format_clock(clock, sizeof clock, heard_s(v));
        fprintf(stderr, "%s  %s\n", clock, cs_cue_text(&v->setup->coaching, c->kind));
    }
    if (!v->opt.events)
        return 0;
    json_writer w;
    begin_event(v, &w, heard_s(v), "cue");
    jw_key_string(&w, "cue", cs_cue_name(c->kind));
    jw_key_string(&w, "message", cs_cue_text(&v->setup->coaching, c->kind));
    jw_key_fixed(&w, "since_s", (double)c->since / v->rate, 2);
    jw_key_fixed(&w, "decided_s", (double)c->at / v->rate, 2);
    jw_key_fixed(&w, "measure", c->measure, 2);
    jw_end_object(&w);
    return end_line(v, &w);
}

static int emit_flag(live_view *v, const cs_flag *fl)
{
    if (!v->opt.events)
        return 0;
    char message[2 * CS_COACHING_TEXT_MAX];
    cs_flag_message(&v->setup->coaching, fl, v->rate, message, sizeof message);
    json_writer w;
    begin_event(v, &w, heard_s(v), "flag");
    jw_key_string(&w, "kind", cs_flag_kind_name(fl->kind));
    jw_key_string(&w, "speaker", cs_speaker_name(fl->speaker));
    jw_key_fixed(&w, "start_s", (double)fl->start / v->rate, 3);
    jw_key_fixed(&w, "end_s", (double)fl->end / v->rate, 3);
    jw_key_fixed(&w, "severity", fl->severity, 2);
    jw_key_string(&w, "message", message);
    jw_key_string(&w, "tip", cs_flag_tip(&v->setup->coaching, fl->kind));
    jw_end_object(&w);
    return end_line(v, &w);
}

/* ---- the panel ---------------------------------------------------------------- */

enum { GREEN = 32, YELLOW = 33, RED = 31 };

static void bar(const live_view *v, char *out, size_t cap, double fraction, int color)
{
    int filled = isfinite(fraction) ? (int)lround((fraction < 0 ? 0 : fraction > 1 ? 1 : fraction) * BAR_WIDTH) : 0;
    char cells[BAR_WIDTH + 1];
    for (int i = 0; i < BAR_WIDTH; i++)
        cells[i] = i < filled ? '#' : '.';
    cells[BAR_WIDTH] = '\0';
    if (v->opt.color && color)
        snprintf(out, cap, "\033[%dm%.*s\033[0m%s", color, filled, cells, cells + filled);
    else
        snprintf(out, cap, "%s", cells);
}

/* Green within bounds, yellow near the threshold, red past it. */
static int grade(double value, double warn, double alarm)
{
    return !isfinite(value) ? 0 : value >= alarm ? RED : value >= warn ? YELLOW : GREEN;
}

static void panel_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void panel_line(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("\r\033[K", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void show_panel(live_view *v, double t_s, const cs_live_meters *m)
{
    const cs_live_speaker *agent = &m->speaker[CS_AGENT], *customer = &m->speaker[CS_CUSTOMER];
    char clock[32], b[128];
    cli_format_clock(clock, sizeof clock, t_s);
    if (v->panel_drawn)
        fprintf(stderr, "\033[%dA", PANEL_LINES);
    v->panel_drawn = 1;
    panel_line("callscope live  %s  agent %s%s", clock, agent->speaking ? "talking" : "quiet",
               v->speakers == 2 ? (customer->speaking ? ", customer talking" : ", customer quiet") : "");
    if (v->speakers == 2) {
        int color = grade(agent->talk_share, v->dominance_share - v->warn_share, v->dominance_share);
        bar(v, b, sizeof b, agent->talk_share, color);
        char since[32] = "not yet";
        if (isfinite(customer->since_spoke_s))
            snprintf(since, sizeof since, "%.0f s ago", customer->since_spoke_s);
        panel_line("talk share  %s %3.0f%%   customer last spoke %s", b,
                   isfinite(agent->talk_share) ? 100 * agent->talk_share : 0.0, since);
    } else {
        panel_line("talk        %.0f s", agent->talk_s);
    }
    if (isfinite(agent->pace_syl_per_s) && isfinite(agent->pace_ratio))
        panel_line("pace        %.1f syllables/s, %+.0f%% on your usual", agent->pace_syl_per_s,
                   100 * (agent->pace_ratio - 1));
    else if (isfinite(agent->pace_syl_per_s))
        panel_line("pace        %.1f syllables/s (learning your usual)", agent->pace_syl_per_s);
    else
        panel_line("pace        -");
    double over = agent->level_over_db;
    int color = grade(over, v->raised_db - v->warn_db, v->raised_db);
    bar(v, b, sizeof b, (over + LEVEL_SCALE_DB) / (2 * LEVEL_SCALE_DB), color);
    if (isfinite(over))
        panel_line("level       %s %+.0f dB on your usual", b, over);
    else
        panel_line("level       %s %s", b, agent->baseline_known ? "-" : "(learning your usual)");
    bar(v, b, sizeof b, agent->arousal, grade(agent->arousal, v->tense_arousal - v->warn_arousal, v->tense_arousal));
    const char *tension = !isfinite(agent->arousal) ? "-" : agent->arousal >= v->tense_arousal ? "tense" : "calm";
    panel_line("tension     %s %s", b, tension);
    const char *cue = m->cue ? cs_cue_text(&v->setup->coaching, m->cue) : "";
    if (v->opt.color && m->cue)
        panel_line("cue         \033[1;%dm%s\033[0m", YELLOW, cue);
    else
        panel_line("cue         %s", cue);
    fflush(stderr);
}

/* ---- the observer ------------------------------------------------------------- */

static int on_open(void *user, const cs_config *cfg, const cs_analyzer *an)
{
    live_view *v = user;
    v->input_rate = cfg->sample_rate_hz;
    v->rate = cs_analysis_rate(&v->setup->profile, cfg->sample_rate_hz);
    v->channels = cfg->channels;
    v->speakers = cfg->speaker_channel[CS_CUSTOMER] >= 0 ? 2 : 1;
    int err = cs_live_open(&v->live, &v->setup->profile, &v->setup->model, cfg, cs_live_frame_samples(an));
    const cs_baseline *b = analysis_setup_baseline(v->setup);
    if (err >= 0 && b)
        err = cs_live_set_baseline(v->live, CS_AGENT, b);
    return err < 0 ? -1 : 0;
}

static int on_live_frame(void *user, const cs_frame *fr)
{
    live_view *v = user;
    if (cs_live_push(v->live, fr) < 0)
        return -1;
    cs_cue c;
    while (cs_live_pull_cue(v->live, &c) > 0)
        if (emit_cue(v, &c) != 0)
            return -1;
    cs_flag fl;
    while (cs_live_pull_flag(v->live, &fl) > 0)
        if (emit_flag(v, &fl) != 0)
            return -1;
    return 0;
}

/* The analyzer's conversation flags; the voice flags come from cs_live. */
static int on_flag(void *user, const cs_flag *fl)
{
    return emit_flag(user, fl);
}

static int tick(live_view *v, double t_s)
{
    cs_live_meters m;
    cs_live_meters_get(v->live, &m);
    if (emit_tick(v, t_s, &m) != 0)
        return -1;
    if (v->opt.display == LIVE_DISPLAY_PANEL)
        show_panel(v, t_s, &m);
    return 0;
}

static int on_block(void *user, int64_t frames)
{
    live_view *v = user;
    double t_s = (double)frames / v->input_rate;
    while (t_s >= v->next_tick_s) {
        if (tick(v, v->next_tick_s) != 0)
            return 1;
        v->next_tick_s += v->tick_s;
    }
    return v->opt.duration_s > 0 && t_s >= v->opt.duration_s;
}

void live_view_observer(live_view *v, call_observer *obs)
{
    memset(obs, 0, sizeof *obs);
    obs->user = v;
    /* Events are stamped with the audio heard when they leave, which moves a
     * block at a time: a replayed recording reads a capture's blocks, so it
     * gives the same times as live. */
    obs->block_s = CAPTURE_BLOCK_S;
    obs->on_open = on_open;
    obs->on_audio = on_audio;
    obs->on_live_frame = on_live_frame;
    obs->on_flag = on_flag;
    obs->on_block = on_block;
}

live_view *live_view_new(const live_view_options *opt, const analysis_setup *setup)
{
    live_view *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    v->opt = *opt;
    v->setup = setup;
    v->tick_s = profile_io_value(&setup->profile, "live.tick_s");
    v->raised_db = profile_io_value(&setup->profile, "raised_voice.db");
    v->dominance_share = profile_io_value(&setup->profile, "talk_dominance.share");
    v->tense_arousal = profile_io_value(&setup->profile, "tense.arousal");
    v->warn_db = profile_io_value(&setup->profile, "live.warn_db");
    v->warn_share = profile_io_value(&setup->profile, "live.warn_share");
    v->warn_arousal = profile_io_value(&setup->profile, "live.warn_arousal");
    v->next_tick_s = v->tick_s;
    v->record_file.slot = -1;
    return v;
}

int live_view_finish(live_view *v, int run_ok, char *why, size_t why_cap)
{
    int failed = 0;
    if (v->live && run_ok) {
        cs_live_finish(v->live);
        cs_flag fl;
        while (cs_live_pull_flag(v->live, &fl) > 0)
            emit_flag(v, &fl);
    }
    if (v->record) {
        sf_write_sync(v->record);
        int bad = sf_close(v->record) != 0 || v->record_error;
        v->record = NULL;
        if (bad) {
            atomic_abort(&v->record_file);
        } else if (atomic_commit(&v->record_file) != 0) {
            bad = 1;
        }
        if (bad) {
            snprintf(why, why_cap, "%s: the recording could not be written whole", v->record_path);
            failed = 1;
        }
    }
    if (!failed && v->write_error) {
        snprintf(why, why_cap, "the live events could not all be written");
        failed = 1;
    }
    return failed ? -1 : 0;
}

void live_view_free(live_view *v)
{
    if (!v)
        return;
    if (v->record) {
        sf_close(v->record);
        atomic_abort(&v->record_file);
    }
    cs_live_close(v->live);
    free(v);
}

void live_view_pick_display(live_view_options *opt)
{
    const char *term = getenv("TERM");
    int dumb = !term || strcmp(term, "dumb") == 0;
    int tty = isatty(STDERR_FILENO);
    opt->display = tty && !dumb ? LIVE_DISPLAY_PANEL : LIVE_DISPLAY_LINES;
    const char *no_color = getenv("NO_COLOR");
    opt->color = opt->display == LIVE_DISPLAY_PANEL && !(no_color && no_color[0]);
}
