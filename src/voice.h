/*
 * What each speaker's voice does while they speak: pitch, level, high-band
 * share and syllable nuclei per hop, gathered into voice frames (the report's
 * tracks) and into whole-call figures.
 *
 * It runs on the final activity decisions, so only speech hops count (the
 * live path's copy runs on the first ones; see voice_init). A
 * syllable nucleus (after De Jong & Wempe 2009) is a voiced hop that is the
 * loudest of its neighbourhood and stands out over the dips on both sides;
 * deciding one needs pace.dip_s of look-ahead, which is this stage's delay.
 */
#ifndef CS_VOICE_H
#define CS_VOICE_H

#include "callscope/callscope.h"
#include "histogram.h"

#include <stdint.h>

/* Measurements of one speaker's channel for one hop, before activity is known. */
typedef struct hop_features {
    float f0_hz;       /* 0 when unvoiced */
    float pitch_depth; /* the period's dip: 0 clean, 1 or more none */
    float band_power;  /* mean square inside the voice band */
    float high_power;  /* of which above tone.high_band_hz */
    float vowel_power; /* inside pace.band_low_hz .. pace.band_high_hz, where syllable nuclei show */
    uint8_t laughing;  /* inside a bout of laughter (see laughter.h) */
} hop_features;

typedef struct voice_hop {
    float vowel_db;    /* level of the vowel band, speech or not */
    float f0_hz;
    float pitch_depth;
    float band_power;
    float high_power;
    uint8_t active;
    uint8_t laughing;
} voice_hop;

typedef struct voice_speaker {
    voice_hop *recent;        /* ring of the last 2 * delay + 1 hops */
    double running_level_db;  /* of speech hops, for the nucleus floor */
    int level_known;
    /* the frame being gathered */
    int speech_hops, voiced_hops, core_hops, syllables, laughing_hops;
    double power_sum, high_sum;
    float *frame_f0;          /* frame_hops slots */
    /* whole call */
    int64_t speech_total, voiced_total, core_total, syllables_total, pause_total;
    double power_total;
    int64_t gap_run;
    int spoke;
    histogram pitch_st;       /* semitones re 1 Hz */
} voice_speaker;

typedef struct voice_stage {
    int nspeakers;
    int hop;
    double hop_s;
    int frame_hops;
    int peak_hops, dip_hops, edge_hops, delay, ring;
    int live;                  /* first activity decisions: see voice_init */
    int bridge_hops;           /* live: gaps this short inside speech are speech for the pace */
    int preroll_hops;          /* live: and a talk spurt starts this much early */
    double dip_db, floor_db, level_coef;
    double voicing;            /* pitch dip depth below which a hop is voiced enough for a nucleus */
    int64_t merge_hops;
    int64_t next_hop;          /* next final hop expected */
    int64_t frame_index;       /* frame being gathered */
    int overtalk_hops;         /* of the frame: both talking, neither laughing */
    voice_speaker sp[CS_MAX_SPEAKERS];
    cs_frame *queue;           /* frames by speaker slot */
    size_t capacity, head, count;
} voice_stage;

/* queue_frames: how many frames may wait to be pulled. live: the activity
 * is the first decision, unbridged, and frames are wanted at once. A frame
 * then carries its own hops' time, level and pitch, and the pace (syllables,
 * articulation time) of the hops the look-ahead has decided since the last
 * frame, with short pauses closed and talk spurts begun early as the final
 * decisions have them (segment.bridge_s, vad.preroll_s). */
int voice_init(voice_stage *v, const cs_profile *prof, int nspeakers, int hop, double hop_s, size_t queue_frames,
               int live);
void voice_free(voice_stage *v);
/* One final hop: activity and the hop's measurements per speaker slot. */
void voice_feed(voice_stage *v, int64_t hop, const int *active, const hop_features *features);
/* End of stream after total_hops hops (audio_frames samples): decide and
 * emit everything left. */
void voice_finish(voice_stage *v, int64_t total_hops, int64_t audio_frames);
int voice_pull(voice_stage *v, cs_frame *fr);
size_t voice_queue_space(const voice_stage *v);
/* Whole-call figures of slot s into o. */
void voice_summary(const voice_stage *v, int s, cs_speaker_summary *o);

#endif
