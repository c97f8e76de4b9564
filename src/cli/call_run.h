/*
 * One recording through the analysis: open and decode it and push it
 * through a call (cs_call, callscope/call.h), which keeps its events and
 * voice frames in temporary files (spool.h) and scores tone over the whole
 * call at the end. Used by every command that analyses recordings; failures
 * come back as an exit status and one reason (run->error, to be shown after
 * run->name), so a batch can go on with the next recording.
 */
#ifndef CS_CLI_CALL_RUN_H
#define CS_CLI_CALL_RUN_H

#include "callscope/callscope.h"
#include "cli/call_log.h"
#include "cli/source_file.h"
#include "cli/spool.h"
#include "cli/voice_log.h"

/* Which channel carries whom. */
typedef struct channel_choice {
    int agent_channel;                 /* -1: not given */
    int have_map;
    int map_channel[CS_MAX_SPEAKERS];  /* with have_map; -1 for none */
    /* A mono mix (or a stereo file whose channels are identical): 0 separates
     * the two voices, 1 analyses it as the agent alone (a headset). */
    int one_speaker;
    int agent_second;                  /* separated voices: the agent speaks second */
} channel_choice;

/* Where a run's audio comes from when it is not a recording: a live
 * capture. read() returns frames read, 0 at the end, or SOURCE_E* with the
 * reason in why. */
typedef struct call_input {
    void *self;
    source_info info;
    long (*read)(void *self, float *frames, size_t nframes, char *why, size_t why_cap);
} call_input;

/* Watching a run as it goes (live mode). Every member may be NULL. on_open
 * comes once the analyzer is set up; with on_live_frame set the run asks
 * for live frames (cs_call_observer) and hands each over; on_audio sees
 * every block of audio before it is analysed. A non-zero return from any
 * of them but on_block fails the run with CLI_EXIT_FAILURE; a non-zero
 * return from on_block ends the audio there, as if the input had ended (a
 * live call hung up). */
typedef struct call_observer {
    void *user;
    double block_s;   /* read the input in blocks this long; 0 for the default */
    int (*on_open)(void *user, const cs_config *cfg, const cs_analyzer *an);
    int (*on_audio)(void *user, const float *frames, size_t nframes);
    int (*on_live_frame)(void *user, const cs_frame *fr);
    int (*on_flag)(void *user, const cs_flag *fl);
    int (*on_block)(void *user, int64_t frames_so_far);
} call_observer;

typedef struct call_run {
    const char *name;                  /* the input as shown in messages */
    source_file *src;                  /* a recording, or NULL for a call_input */
    const call_observer *observer;     /* NULL: nobody watching */
    source_info info;
    cs_call *call;                     /* the analysis and everything it keeps */
    spool_store spools;                /* where the call keeps it */
    int spools_open;
    float *block;
    int64_t frames;
    /* From the call once it is analysed (cs_call_results): */
    cs_call_results res;
    int rate_hz;                       /* the analysis rate: the analyzer's times count at it */
    const cs_analyzer *an;             /* for cs_seconds and cs_frame_samples */
    call_log *log;                     /* the call, read back as its events */
    voice_log *voice;                  /* and as its tracks and flags */
    int map[CS_MAX_SPEAKERS];
    int diarized;                      /* one channel, two voices told apart */
    int upmixed;                       /* two identical channels taken as one */
    cs_summary sum;
    cs_baseline baseline[CS_MAX_SPEAKERS]; /* in force while scoring */
    double calm_score[CS_MAX_SPEAKERS];    /* NAN when not measurable */
    double score;                       /* call score 0-100; NAN when nobody spoke */
    double cpu_s, wall_s;               /* decoding, analysis and tone scoring */
    char role_warning[256];             /* the role check's warning (role_check.h), or "" */
    char error[768];                   /* why, when a call returns non-zero (without
                                          the name: messages say "NAME: why") */
} call_run;

/* Analyse `input` ("-" for stdin): everything up to and including the tone
 * pass. Returns CLI_EXIT_OK, or CLI_EXIT_INPUT / CLI_EXIT_FAILURE with
 * run->error set. `agent_baseline` (may be NULL) replaces the agent's
 * baseline learnt from the call. The run must be released either way. */
int call_run_analyze(call_run *run, const char *input, const cs_profile *prof, const channel_choice *channels,
                     const cs_tone_model *model, const cs_baseline *agent_baseline);

/* The same, watched by obs (may be NULL; see call_observer). */
int call_run_analyze_watched(call_run *r, const char *input, const call_observer *obs, const cs_profile *prof,
                             const channel_choice *channels, const cs_tone_model *model,
                             const cs_baseline *agent_baseline);

/* The same for audio from `in` (named `name` in messages), watched by obs
 * (may be NULL). */
int call_run_analyze_input(call_run *run, const char *name, call_input *in, const call_observer *obs,
                           const cs_profile *prof, const channel_choice *channels, const cs_tone_model *model,
                           const cs_baseline *agent_baseline);

/* Analyse and learn tone baselines only (no scoring): `tone` receives the
 * call's frames through cs_tone_learn / cs_tone_learn_end. */
int call_run_learn(call_run *run, const char *input, const cs_profile *prof, const channel_choice *channels,
                   cs_tone *tone);

void call_run_release(call_run *run);

/* The run's `cap` weightiest flags, in time order: by their penalty in the
 * call score (the run's profile) when prof is not NULL, or by severity when
 * it is; ties go to the earlier flag. Returns how many (up to cap), or -1
 * when the flags cannot be read back (call_run_spool_errno says why). */
int call_run_top_flags(call_run *run, const cs_profile *prof, cs_flag *top, int cap);

/* A speaker's calm as the terminal summary, the coach's report and
 * summary.csv show it: calm_score on a 0-100 scale (the JSON report keeps
 * 0-1); NAN when not measurable. */
double call_run_calm_points(const call_run *run, int speaker);

/* Why reading back the run's temporary files failed: an errno value (EIO
 * when the failure left none). */
int call_run_spool_errno(const call_run *run);

#endif
