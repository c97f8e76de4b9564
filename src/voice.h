/*
 * What each speaker's voice does while they speak: pitch, level, high-band
 * share and syllable nuclei per hop, gathered into voice frames (the report's
 * tracks) and into whole-call figures.
 *
 * It runs on the final activity decisions, so only speech hops count (the
 * live path's copy runs on the first ones; see voice_init). A
 * syllable nucleus (after De Jong & Wempe 2009) is a voiced peak of the
 * smoothed vowel-band level that stands out over the lowest point on each
 * side before a louder hop. Two vowels in a row (a hiatus, or a nasal or
 * liquid that never dips) change the spectrum's shape where the level stays
 * flat, so the level searched is lowered where the shape changes fast.
 * Deciding a nucleus needs the smoothing, the shape change and pace.dip_s
 * of look-ahead, which is this stage's delay.
 */
#ifndef CS_VOICE_H
#define CS_VOICE_H

#include "callscope/callscope.h"
#include "histogram.h"
#include "spectrum.h"

#include <stdint.h>

/* Bands of the spectral shape whose change marks a new syllable. */
#define CS_PACE_SHAPE_BANDS 10
/* Hops either side of the level smoothing, at most: pace.smooth_s at its
 * largest (0.2 s) reaches 10 either side at the 10 ms hop. */
#define CS_PACE_MAX_SMOOTH 16

/* Measurements of one speaker's channel for one hop, before activity is known. */
typedef struct hop_features {
    float f0_hz;       /* 0 when unvoiced */
    float pitch_depth; /* the period's dip: 0 clean, 1 or more none */
    float band_power;  /* mean square inside the voice band */
    float high_power;  /* of which above tone.high_band_hz */
    float vowel_power; /* inside pace.band_low_hz .. pace.band_high_hz, where syllable nuclei show */
    float shape_db[CS_PACE_SHAPE_BANDS]; /* level per shape band less their mean */
    uint8_t laughing;  /* inside a bout of laughter (see laughter.h) */
} hop_features;

/* Spectrum bins of the bands the pace is measured in. */
typedef struct pace_bands {
    int vowel_lo, vowel_hi;
    int shape_edge[CS_PACE_SHAPE_BANDS + 1];
    double shape_range_db;
} pace_bands;

void pace_bands_init(pace_bands *b, const cs_profile *prof, const spectrum *spec);
/* The pace's measurements of one hop's power spectrum into f. */
void pace_bands_measure(const pace_bands *b, const float *power, hop_features *f);

typedef struct voice_hop {
    float vowel_db;    /* level of the vowel band, speech or not */
    float vowel_power; /* of the vowel band, for its average over neighbouring hops */
    float nucleus_db;  /* the smoothed level less the shape change: where nuclei are sought */
    float shape_db[CS_PACE_SHAPE_BANDS];
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
    int smooth_half, change_hops; /* nucleus level of a hop: its neighbours this far either side */
    int level_lag;                /* hops between a hop stored and its nucleus level known */
    double smooth_weight[CS_PACE_MAX_SMOOTH + 1]; /* raised cosine, centre first */
    double change_weight;
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
