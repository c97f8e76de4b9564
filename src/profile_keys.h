/*
 * The profile's keys: one line each, X(ID, "name", min, max, "help").
 * Defaults are not here: they come from models/default.profile, which must
 * name every key (a test checks it).
 */
#ifndef CS_PROFILE_KEYS_H
#define CS_PROFILE_KEYS_H

#include "callscope/callscope.h"

#define CS_PROFILE_KEYS(X) \
    X(INPUT_CLIP_LEVEL, "input.clip_level", 0.5, 1.0, "absolute sample value counted as clipped") \
    X(INPUT_MAX_CLIPPED_FRACTION, "input.max_clipped_fraction", 0.0, 1.0, "share of clipped samples above which a recording is rejected") \
    X(INPUT_ANALYSIS_RATE_HZ, "input.analysis_rate_hz", 8000, 48000, "recordings above this sample rate are resampled down to it before analysis") \
    X(INPUT_MIN_DURATION_S, "input.min_duration_s", 0.0, 60.0, "a recording shorter than this is analysed with a warning that it is too short for turns, pace and tone") \
    X(ROLES_CHECK, "roles.check", 0, 1, "1: warn when the channel marked agent behaves like the customer (two-channel recordings)") \
    X(ROLES_FIRST_LEAD_S, "roles.first_lead_s", 0, 60, "role check: the customer channel's first speech comes at least this long before the agent channel's ...") \
    X(ROLES_CUSTOMER_SHARE, "roles.customer_share", 0, 1, "... and its share of the talk is over this: the roles look swapped") \
    X(ROLES_BASELINE_MARGIN_ST, "roles.baseline_margin_st", 0, 24, "role check: a stored agent baseline's pitch lies this many semitones nearer the customer channel's voice than the agent channel's: the roles look swapped") \
    X(ROLES_MIN_SPEECH_S, "roles.min_speech_s", 0, 600, "role check: speech each channel needs before its voice is compared with a stored baseline") \
    X(VAD_WINDOW_S, "vad.window_s", 0.016, 0.064, "analysis window length, seconds") \
    X(VAD_BAND_LOW_HZ, "vad.band_low_hz", 50, 1000, "lowest frequency used for voice activity") \
    X(VAD_BAND_HIGH_HZ, "vad.band_high_hz", 1500, 8000, "highest frequency used for voice activity") \
    X(VAD_NOISE_WINDOW_S, "vad.noise_window_s", 0.5, 10, "span of the minimum-statistics noise tracker") \
    X(VAD_NOISE_SMOOTH_S, "vad.noise_smooth_s", 0.01, 1, "time constant of the spectrum smoothing before the minimum search") \
    X(VAD_NOISE_BIAS_DB, "vad.noise_bias_db", 0, 12, "correction from the tracked minimum to the mean noise level") \
    X(VAD_NOISE_GATE_DB, "vad.noise_gate_db", 0, 30, "a bin whose smoothed power stays within this of its minimum holds no speech") \
    X(VAD_NOISE_TRACK_S, "vad.noise_track_s", 0.01, 10, "time constant of the noise mean in bins without speech") \
    X(VAD_NOISE_HOLD_S, "vad.noise_hold_s", 0, 60, "while a channel that carries one party is in speech its noise mean stands still, for at most this much unbroken speech (longer is more likely the noise rising)") \
    X(VAD_ON_DB, "vad.on_db", 0, 40, "mean band SNR over noise and predicted echo that starts speech") \
    X(VAD_OFF_DB, "vad.off_db", 0, 40, "mean band SNR below which speech may end") \
    X(VAD_ECHO_MAX_DELAY_S, "vad.echo_max_delay_s", 0, 1, "longest echo / crosstalk delay covered") \
    X(VAD_ECHO_MARGIN_DB, "vad.echo_margin_db", 0, 20, "headroom added to the predicted leakage of the other channel") \
    X(VAD_ECHO_START_DB, "vad.echo_start_db", -80, 0, "leakage gain assumed until one is learnt from the other party's speech") \
    X(VAD_ECHO_LEARN_S, "vad.echo_learn_s", 0.5, 60, "time constant of the leakage gain estimate") \
    X(VAD_ECHO_LEARN_SNR_DB, "vad.echo_learn_snr_db", 0, 60, "the other channel must stand this far over its noise to teach the leakage gain") \
    X(VAD_ECHO_QUANTILE, "vad.echo_quantile", 0.05, 0.95, "quantile of the leakage ratio taken as the leakage gain") \
    X(VAD_ECHO_PATH_RANGE_DB, "vad.echo_path_range_db", 0, 60, "a delay whose leakage gain lies more than this under the strongest delay's (per band) is not taken as part of the echo path") \
    X(VAD_ECHO_LEARN_MAX_DB, "vad.echo_learn_max_db", -40, 20, "a channel standing more than this over the other's power (at any delay) is its own speaker, not leakage, and teaches the leakage nothing") \
    X(VAD_LEVEL_SPAN_S, "vad.level_span_s", 0.01, 1, "span of the centred band-level average (also the decision lookahead, half of it)") \
    X(VAD_LEVEL_MARGIN_DB, "vad.level_margin_db", 0, 30, "speech starts where it stands this far over the channel's noise level") \
    X(VAD_LEVEL_OFF_MARGIN_DB, "vad.level_off_margin_db", -10, 30, "speech goes on while it stands this far over the noise level") \
    X(VAD_LEVEL_WINDOW_S, "vad.level_window_s", 0.5, 30, "span of the minimum search on the band level") \
    X(VAD_LEVEL_RISE_DB_PER_S, "vad.level_rise_db_per_s", 0.1, 100, "fastest rise of the level floor (it falls at once); also of the floor under which no pitch is sought") \
    X(VAD_LEVEL_GATE_DB, "vad.level_gate_db", 1, 30, "hops within this of the level minimum count as noise") \
    X(VAD_START_QUANTILE, "vad.start_quantile", 0, 1, "quantile of the first level span's hop powers taken for the noise when the first graded level stands over it by vad.start_margin_db (a recording that starts just before speech)") \
    X(VAD_START_MARGIN_DB, "vad.start_margin_db", 0, 60, "how far the first graded level must stand over that quantile to be taken for speech") \
    X(VAD_LEVEL_TRACK_S, "vad.level_track_s", 0.05, 30, "time constant of the noise level mean and deviation") \
    X(VAD_LEVEL_SPREAD_GAIN, "vad.level_spread_gain", 0, 10, "dB of extra margin per dB of the noise level's mean absolute deviation") \
    X(VAD_LEVEL_OFF_SPREAD_GAIN, "vad.level_off_spread_gain", 0, 10, "the same for the level that keeps speech going") \
    X(VAD_HANGOVER_S, "vad.hangover_s", 0, 0.5, "speech kept on after the score falls") \
    X(VAD_ONSET_S, "vad.onset_s", 0, 0.2, "the score must stay above the on level this long to start speech (counted from its first hop)") \
    X(VAD_REENTRY_S, "vad.reentry_s", 0, 2, "for this long after speech, speech resumes at the sustain level") \
    X(VAD_PREROLL_S, "vad.preroll_s", 0, 0.5, "speech is taken to start this much before it is first detected") \
    X(VAD_MIN_LEVEL_DBFS, "vad.min_level_dbfs", -120, -20, "bands quieter than this are never speech") \
    X(SEGMENT_BRIDGE_S, "segment.bridge_s", 0, 2, "pauses shorter than this are bridged inside a talk spurt") \
    X(SEGMENT_MIN_S, "segment.min_s", 0, 1, "talk spurts shorter than this are dropped as clicks") \
    X(TURN_MERGE_S, "turn.merge_s", 0, 10, "a speaker resuming within this keeps the turn") \
    X(INTERRUPTION_MIN_PRIOR_S, "interruption.min_prior_s", 0, 5, "the other's spurt must have lasted this long at the onset") \
    X(INTERRUPTION_STOP_WITHIN_S, "interruption.stop_within_s", 0.1, 10, "the other must stop within this of the onset") \
    X(INTERRUPTION_MIN_KEEP_S, "interruption.min_keep_s", 0.1, 10, "the newcomer must keep talking this long") \
    X(OVERLAP_COOP_STOP_S, "overlap.coop_stop_s", 0, 2, "the other stopping sooner than this makes a cooperative overlap") \
    X(BACKCHANNEL_MAX_S, "backchannel.max_s", 0.1, 5, "longest speech of a backchannel burst") \
    X(BACKCHANNEL_GAP_S, "backchannel.gap_s", 0, 5, "speech resumed within this after a burst belongs to the burst (also how long a pause still counts as talking on)") \
    X(BACKCHANNEL_HOLD_S, "backchannel.hold_s", 0, 5, "the other must not stop for good within this of the burst onset") \
    X(OVERTALK_MIN_S, "overtalk.min_s", 0.1, 10, "shortest overlap counted as overtalk") \
    X(DEAD_AIR_TIER1_S, "dead_air.tier1_s", 0.5, 60, "mutual silence reported as dead air, tier 1") \
    X(DEAD_AIR_TIER2_S, "dead_air.tier2_s", 0.5, 120, "mutual silence reported as dead air, tier 2") \
    X(MONOLOGUE_PAUSE_S, "monologue.pause_s", 0.5, 30, "a pause this long ends a monologue") \
    X(MONOLOGUE_BREAK_S, "monologue.break_s", 0.1, 30, "the other speaking this long ends a monologue") \
    X(RUSHED_MAX_GAP_S, "rushed.max_gap_s", 0, 2, "a response gap under this is fast") \
    X(RUSHED_MIN_TURN_S, "rushed.min_turn_s", 0, 60, "a fast response after a turn this long is rushed") \
    X(HOLD_MIN_S, "hold.min_s", 0.5, 60, "shortest music or tone stretch reported as hold") \
    X(HOLD_TONALITY, "hold.tonality", 0, 1, "spectral steadiness (correlation across hold.lag_s) above which sound is music or a tone, not speech") \
    X(HOLD_LAG_S, "hold.lag_s", 0.02, 2, "time between the two spectra compared for steadiness") \
    X(HOLD_SMOOTH_S, "hold.smooth_s", 0.01, 5, "time constant of the steadiness average") \
    X(LATENCY_HIST_MAX_S, "latency.hist_max_s", 1, 60, "response gaps beyond this are pooled in the median's last bin") \
    X(VOICE_ANALYZE, "voice.analyze", 0, 1, "1: measure pitch, level, pace and tone; 0: conversation structure only (faster)") \
    X(PITCH_MIN_HZ, "pitch.min_hz", 30, 200, "lowest pitch searched") \
    X(PITCH_MAX_HZ, "pitch.max_hz", 150, 1000, "highest pitch searched") \
    X(PITCH_WINDOW_S, "pitch.window_s", 0.01, 0.08, "span compared with itself at each candidate period (at least the longest period)") \
    X(PITCH_DIP_PICK, "pitch.dip_pick", 0, 1, "the shortest period whose normalised difference is within this of the deepest is taken") \
    X(PITCH_VOICING, "pitch.voicing", 0.05, 1, "normalised difference at the period below which a hop is voiced") \
    X(PITCH_OCTAVE_MARGIN, "pitch.octave_margin", 0, 1, "a period near the voice's recent one wins over its half or double within this") \
    X(PITCH_GATE_DB, "pitch.gate_db", 0, 30, "hops whose voice-band level is within this of the channel's floor are not searched for pitch") \
    X(PITCH_OCTAVE_SLACK, "pitch.octave_slack", 0.05, 0.5, "octaves: a pick this near a half or double of the recent pitch is checked, for a dip this near the recent period") \
    X(PITCH_RECENT_S, "pitch.recent_s", 0.05, 10, "time constant of the voice's recent pitch (voiced hops)") \
    X(PITCH_FORGET_S, "pitch.forget_s", 0.05, 60, "unvoiced time after which the voice's recent pitch no longer steers octave choices") \
    X(TRACKS_HOP_S, "tracks.hop_s", 0.01, 2, "time step of voice frames and report tracks") \
    X(PACE_BAND_LOW_HZ, "pace.band_low_hz", 50, 1500, "syllable nuclei are sought in the level of this band ...") \
    X(PACE_BAND_HIGH_HZ, "pace.band_high_hz", 500, 8000, "... up to this frequency") \
    X(PACE_EDGE_S, "pace.edge_s", 0, 0.3, "rates count speech this far inside each talk spurt's detected edges") \
    X(PACE_SMOOTH_S, "pace.smooth_s", 0.01, 0.2, "span of the raised-cosine average of that band's power the nuclei are sought in") \
    X(PACE_SHAPE_LOW_HZ, "pace.shape_low_hz", 50, 1500, "the spectral shape whose change splits nuclei is measured from this frequency ...") \
    X(PACE_SHAPE_HIGH_HZ, "pace.shape_high_hz", 500, 8000, "... up to this one, in bands of equal width in log frequency") \
    X(PACE_SHAPE_RANGE_DB, "pace.shape_range_db", 10, 100, "shape bands fainter than the hop's strongest by more than this count as this faint") \
    X(PACE_CHANGE_S, "pace.change_s", 0.01, 0.2, "the shape change at a hop compares the mean shapes over this span before and after it") \
    X(PACE_CHANGE_WEIGHT, "pace.change_weight", 0, 5, "dB taken off the nucleus level per dB (rms over bands) of shape change, so a change of vowel dips like a consonant") \
    X(PACE_PEAK_S, "pace.peak_s", 0.01, 0.3, "a syllable nucleus is the loudest hop within this either side") \
    X(PACE_DIP_S, "pace.dip_s", 0.02, 0.5, "span either side searched for the dip around a nucleus (up to a louder hop)") \
    X(PACE_DIP_DB, "pace.dip_db", 0, 20, "a nucleus stands this far over the lowest point on each side before a louder hop") \
    X(PACE_VOICING, "pace.voicing", 0.05, 1, "a nucleus is voiced: the pitch search's dip at its period is below this (looser than pitch.voicing)") \
    X(PACE_FLOOR_DB, "pace.floor_db", 0, 60, "nuclei fainter than the speaker's running speech level by more than this are ignored") \
    X(PACE_WINDOW_S, "pace.window_s", 0.5, 30, "span of the local articulation rate (centred); also the time constant of the running level nuclei are held against") \
    X(PACE_MIN_SPEECH_S, "pace.min_speech_s", 0.1, 10, "speech needed in that span for a local rate") \
    X(PACE_WPM_SYLLABLES, "pace.wpm_syllables", 1, 3, "syllables per word for the words-per-minute estimate") \
    X(TONE_HIGH_BAND_HZ, "tone.high_band_hz", 300, 4000, "lower edge of the high band whose share of the voice band is measured") \
    X(TONE_WINDOW_S, "tone.window_s", 0.1, 10, "span of the voice measured for each arousal value (centred)") \
    X(TONE_MIN_SPEECH_S, "tone.min_speech_s", 0.05, 5, "speech needed in that span for an arousal value") \
    X(TONE_BASELINE_MIN_SPEECH_S, "tone.baseline_min_speech_s", 1, 600, "live: speech heard before a speaker's running baseline is used") \
    X(TONE_RUNNING, "tone.running", 0, 1, "1: learn baselines while scoring (live); 0: learn first, then score") \
    X(TONE_TRAILING, "tone.trailing", 0, 1, "1: windows end at the frame scored, so results come at once (live); 0: centred on it") \
    X(LAUGHTER_WINDOW_S, "laughter.window_s", 0.4, 3, "laughter: the bursts are sought in a window this long around each hop ...") \
    X(LAUGHTER_MIN_BURSTS, "laughter.min_bursts", 2, 20, "... at least this many ...") \
    X(LAUGHTER_MIN_RATE_HZ, "laughter.min_rate_hz", 1, 10, "... spaced at this rate or faster ...") \
    X(LAUGHTER_MAX_RATE_HZ, "laughter.max_rate_hz", 2, 15, "... and this rate or slower ...") \
    X(LAUGHTER_RHYTHM_CV, "laughter.rhythm_cv", 0, 2, "... evenly: spacings whose deviation is at most this share of their mean ...") \
    X(LAUGHTER_DIP_DB, "laughter.dip_db", 1, 40, "... each burst this many dB over the dips on both sides ...") \
    X(LAUGHTER_RANGE_DB, "laughter.range_db", 1, 60, "... and within this many dB of the window's loudest hop ...") \
    X(LAUGHTER_GATE_DB, "laughter.gate_db", 0, 60, "... and this far over the channel's floor ...") \
    X(LAUGHTER_CALL_MAX_S, "laughter.call_max_s", 0.02, 1, "... voiced for at most this long at a stretch, with a voiceless breath between bursts ...") \
    X(LAUGHTER_PITCH_RISE_ST, "laughter.pitch_rise_st", 0, 24, "... and, when voiced, pitched this many semitones over the speaker's recent voice") \
    X(LAUGHTER_PITCH_MEMORY_S, "laughter.pitch_memory_s", 0.5, 120, "time constant of that recent voice (voiced time outside laughter)") \
    X(LAUGHTER_MIN_S, "laughter.min_s", 0, 10, "a laughter event lasts at least this long ...") \
    X(LAUGHTER_GAP_S, "laughter.gap_s", 0, 5, "... and goes on over gaps this short") \
    X(TONE_LAUGHTER_SHARE, "tone.laughter_share", 0, 1, "raised_voice and tense_tone pause on frames where this share of the speaker's speech is laughter") \
    X(FLAG_GAP_S, "flag.gap_s", 0, 10, "a stretch of a voice flag survives pauses and lapses this long") \
    X(FAST_PACE_REL, "fast_pace.rel", 0, 2, "fast pace: local articulation rate this share above baseline ...") \
    X(FAST_PACE_SYL_PER_S, "fast_pace.syl_per_s", 2, 15, "... or above this rate") \
    X(FAST_PACE_MIN_S, "fast_pace.min_s", 0.5, 120, "... for this long") \
    X(RAISED_VOICE_DB, "raised_voice.db", 1, 40, "raised voice: active level this far over baseline ...") \
    X(RAISED_VOICE_MIN_S, "raised_voice.min_s", 0.1, 60, "... for this long") \
    X(TENSE_AROUSAL, "tense.arousal", 0, 1, "tense tone: arousal above this ...") \
    X(TENSE_MIN_S, "tense.min_s", 0.1, 60, "... for this long") \
    X(ESCALATION_WINDOW_S, "escalation.window_s", 5, 300, "escalation: both speakers' arousal rose within this span ...") \
    X(ESCALATION_RISE, "escalation.rise", 0.05, 1, "... each by at least this ...") \
    X(ESCALATION_AGENT_MIN, "escalation.agent_min", 0, 1, "... and the agent's reached this") \
    X(ESCALATION_SMOOTH_S, "escalation.smooth_s", 0.1, 60, "time constant of the arousal smoothing it looks at (speech time)") \
    X(ESCALATION_OVERTALK_S, "escalation.overtalk_s", 0, 300, "escalation needs conflict: both talking at once, neither laughing, this long within escalation.window_s ...") \
    X(ESCALATION_MAX_LAUGHTER_S, "escalation.max_laughter_s", 0, 300, "... and neither laughing for longer than this in it") \
    X(RUSHED_MIN_COUNT, "rushed_response.min_count", 1, 20, "rushed responses in a call before they are flagged (then every one is)") \
    X(NO_ACK_STORY_S, "no_acknowledgement.story_s", 1, 600, "a customer turn this long with no backchannel from the agent is flagged") \
    X(LONG_MONOLOGUE_S, "long_monologue.min_s", 5, 3600, "an agent monologue longer than this is flagged") \
    X(DOMINANCE_SHARE, "talk_dominance.share", 0.5, 1, "the agent's share of the talk above which ...") \
    X(DOMINANCE_WINDOW_S, "talk_dominance.window_s", 10, 3600, "... over the call or over any span this long ...") \
    X(DOMINANCE_MIN_TALK_S, "talk_dominance.min_talk_s", 0, 600, "... holding at least this much talk of both, is flagged") \
    X(OVERTALK_SEVERE_S, "overtalk.severe_s", 0.2, 60, "overtalk this long is flagged at full severity (half at overtalk.min_s)") \
    X(DEAD_AIR_FLAG_S, "dead_air.flag_s", 0.5, 120, "mutual silence this long (hold music excluded) is flagged") \
    X(SCORE_REFERENCE_MIN, "score.reference_min", 1, 600, "calls longer than this many minutes have their penalties scaled down in proportion") \
    X(SCORE_FAST_PACE, "score.fast_pace", 0, 100, "points a fast_pace flag of severity 1 costs the call score") \
    X(SCORE_RAISED_VOICE, "score.raised_voice", 0, 100, "the same for raised_voice") \
    X(SCORE_TENSE_TONE, "score.tense_tone", 0, 100, "the same for tense_tone") \
    X(SCORE_ESCALATION, "score.escalation", 0, 100, "the same for escalation") \
    X(SCORE_INTERRUPTED_CUSTOMER, "score.interrupted_customer", 0, 100, "the same for interrupted_customer") \
    X(SCORE_OVERTALK, "score.overtalk", 0, 100, "the same for overtalk") \
    X(SCORE_RUSHED_RESPONSE, "score.rushed_response", 0, 100, "the same for rushed_response") \
    X(SCORE_NO_ACKNOWLEDGEMENT, "score.no_acknowledgement", 0, 100, "the same for no_acknowledgement") \
    X(SCORE_LONG_MONOLOGUE, "score.long_monologue", 0, 100, "the same for long_monologue") \
    X(SCORE_TALK_DOMINANCE, "score.talk_dominance", 0, 100, "the same for talk_dominance") \
    X(SCORE_DEAD_AIR, "score.dead_air", 0, 100, "the same for dead_air") \
    X(LIVE_TICK_S, "live.tick_s", 0.1, 10, "live mode: the display and the tick events refresh this often (audio time)") \
    X(LIVE_FRAME_S, "live.frame_s", 0.01, 0.5, "live mode: length of a live frame, the step of the live meters and cues") \
    X(LIVE_MIN_SPEECH_S, "live.min_speech_s", 0.01, 5, "live mode: speech in the tone window before a speaker's level, pitch and arousal are shown") \
    X(LIVE_WARN_SHARE, "live.warn_share", 0, 1, "live panel: the talk-share meter turns amber this far below talk_dominance.share") \
    X(LIVE_WARN_DB, "live.warn_db", 0, 40, "live panel: the level meter turns amber this many dB below raised_voice.db") \
    X(LIVE_WARN_AROUSAL, "live.warn_arousal", 0, 1, "live panel: the tension meter turns amber this far below tense.arousal") \
    X(LIVE_CUE_SHOW_S, "live.cue_show_s", 0.5, 60, "live mode: a cue stays on show this long, and no other cue comes meanwhile") \
    X(LIVE_CUE_REPEAT_S, "live.cue_repeat_s", 0, 600, "live mode: the same cue is not given again within this time") \
    X(LIVE_SLOW_DOWN_REL, "live.slow_down_rel", 0, 2, "live mode: the agent's local pace over their baseline pace by this share is fast") \
    X(LIVE_SLOW_DOWN_S, "live.slow_down_s", 0, 60, "live mode: the agent's pace is fast this long before 'slow down'") \
    X(LIVE_LET_FINISH_S, "live.let_finish_s", 0, 10, "live mode: the agent talks over a customer who had the floor this long before 'let them finish'") \
    X(LIVE_LOWER_VOICE_S, "live.lower_voice_s", 0, 60, "live mode: the agent is raised_voice.db over their baseline this long before 'lower your voice'") \
    X(LIVE_ACKNOWLEDGE_S, "live.acknowledge_s", 1, 300, "live mode: the customer tells their story this long with no sound from the agent before 'acknowledge'") \
    X(LIVE_ASK_QUESTION_S, "live.ask_question_s", 1, 600, "live mode: the agent's monologue reaches this before 'pause and ask a question'") \
    X(DIARIZE_BANDS, "diarize.bands", 8, 40, "mono separation: mel bands of the voice timbre features") \
    X(DIARIZE_CEPSTRA, "diarize.cepstra", 4, 20, "mono separation: cepstral coefficients kept (the first, level, is left out)") \
    X(DIARIZE_PITCH, "diarize.pitch", 0, 1, "mono separation: 1 describes voices by voiced hops, with their pitch; 0 by every speech hop's timbre alone") \
    X(DIARIZE_VAD_LEVEL_GATE_DB, "diarize.vad_level_gate_db", 1, 30, "mono separation: vad.level_gate_db for a mono mix, whose quieter voice can sit a few dB over both lines' noise") \
    X(DIARIZE_BAND_LOW_HZ, "diarize.band_low_hz", 50, 1000, "mono separation: lowest frequency of the timbre features") \
    X(DIARIZE_BAND_HIGH_HZ, "diarize.band_high_hz", 1500, 8000, "mono separation: highest frequency of the timbre features (capped at the band the rate allows)") \
    X(DIARIZE_PIECE_S, "diarize.piece_s", 0.2, 10, "mono separation: speech is given to one speaker in pieces of at most this much") \
    X(DIARIZE_BRIDGE_S, "diarize.bridge_s", 0, 2, "mono separation: a piece of speech goes on over pauses shorter than this") \
    X(DIARIZE_OVERLAP_DB, "diarize.overlap_db", 0, 20, "mono separation: around a change of voice with no pause, both speak where the mix is this much louder than the louder voice's usual level") \
    X(DIARIZE_OVERLAP_MIN_S, "diarize.overlap_min_s", 0, 5, "mono separation: shortest overlapping speech given to both") \
    X(DIARIZE_OVERLAP_MAX_S, "diarize.overlap_max_s", 0, 10, "mono separation: longest overlapping speech given to both") \
    X(DIARIZE_ENERGY_SMOOTH_S, "diarize.energy_smooth_s", 0, 1, "mono separation: span the mix's level is averaged over for that test") \
    X(DIARIZE_SHORT_RUN_S, "diarize.short_run_s", 0, 5, "mono separation: a burst of speech no longer than this between pauses inside a piece can go to the other voice (a backchannel in the other's pause)") \
    X(DIARIZE_SHORT_RUN_LLR, "diarize.short_run_llr", 0, 20, "mono separation: such a burst goes to the other voice when its voiced hops favour it by this mean log-likelihood ratio") \
    X(DIARIZE_SHORT_RUN_VOICED_S, "diarize.short_run_voiced_s", 0, 2, "mono separation: and it has at least this much voiced speech") \
    X(DIARIZE_LEARN_S, "diarize.learn_s", 5, 600, "mono separation: speech heard before the two voices are learnt") \
    X(DIARIZE_LEARN_MAX_S, "diarize.learn_max_s", 10, 1200, "mono separation: the voices are learnt after this much audio even with less speech (bounds the delay and memory)") \
    X(DIARIZE_UBM_COMPONENTS, "diarize.ubm_components", 2, 64, "mono separation: Gaussians of the model of all speech in the learning stretch") \
    X(DIARIZE_SPEAKER_COMPONENTS, "diarize.speaker_components", 1, 64, "mono separation: Gaussians of each voice's model") \
    X(DIARIZE_EM_ITERATIONS, "diarize.em_iterations", 1, 100, "mono separation: EM iterations per model fit") \
    X(DIARIZE_REFIT_ITERATIONS, "diarize.refit_iterations", 1, 100, "mono separation: EM iterations when a voice is refitted from the previous round's") \
    X(DIARIZE_ROUNDS, "diarize.rounds", 1, 20, "mono separation: rounds of re-assigning pieces and refitting the two voices") \
    X(DIARIZE_RESTARTS, "diarize.restarts", 1, 32, "mono separation: different starting splits tried; the likeliest result is kept") \
    X(DIARIZE_RELEVANCE, "diarize.relevance", 0.1, 100, "mono separation: frames' worth of prior weight when a piece's timbre is summarised") \
    X(DIARIZE_TRAIN_STEP, "diarize.train_step", 1, 16, "mono separation: every n-th speech frame is used to fit models (speed)") \
    X(DIARIZE_MIN_SHARE, "diarize.min_share", 0, 0.5, "mono separation: a voice with less than this share of the speech means one speaker") \
    X(DIARIZE_MIN_GAIN, "diarize.min_gain", 0, 10, "mono separation: per-frame log-likelihood gain of two voices over one below which the call has one speaker") \
    X(DIARIZE_CONFIDENT_LLR, "diarize.confident_llr", 0, 20, "mono separation: a piece is confidently placed when its mean per-frame log-likelihood ratio is this far from 0") \
    X(DIARIZE_RIVAL_AGREEMENT, "diarize.rival_agreement", 0.5, 1, "mono separation: a start whose split agrees with the kept one on less than this share of the speech is a rival split") \
    X(DIARIZE_CONFIDENT_RIVAL_GAP, "diarize.confident_rival_gap", 0.001, 10, "mono separation: the kept split must be this much likelier per frame than any rival split to keep its confidence (less scales it down)") \
    X(DIARIZE_CONFIDENT_SPEECH_S, "diarize.confident_speech_s", 1, 600, "mono separation: voiced speech learnt from below which the confidence is scaled down (by the square root of the share)") \
    X(DIARIZE_CONFIDENT_HOP_AGREEMENT, "diarize.confident_hop_agreement", 0.51, 1, "mono separation: share of the learnt voiced hops that must sound like their piece's voice to keep the confidence (less scales it down, to 0 at one half)") \
    X(DIARIZE_DOUBTFUL_BELOW, "diarize.doubtful_below", 0, 1, "mono separation: under this confidence, flags that rest on who said what are marked doubtful and left out of the call score") \
    X(DIARIZE_CONFIDENT_GAIN, "diarize.confident_gain", 0.01, 20, "mono separation: the per-frame gain of two voices over one at which they stand clearly apart (less scales the confidence down)")

enum {
#define CS_X_ENUM(id, name, lo, hi, help) CS_K_##id,
    CS_PROFILE_KEYS(CS_X_ENUM)
#undef CS_X_ENUM
    CS_K_COUNT
};

/* CS_OK when every value is finite, inside its key's range, and the pairs
 * that must be ordered (on/off levels, band edges, dead-air tiers) are. */
int profile_check(const cs_profile *prof);

#endif
