# callscope default profile.
#
# Every threshold the analysis uses, one "key = value" a line. Units are in the
# key names (_s seconds, _hz hertz, _db decibels, _dbfs decibels re full scale).
# What each key means is in docs/metrics.md. The turn-taking values are the
# definitions callscope was built to; the voice-activity values were tuned on
# generated calls (see models/README.md).
# Override with --profile FILE (same format, any subset) or --set key=value.

name = default

# Input sanity
input.clip_level = 0.999
input.max_clipped_fraction = 0.05
# Every recording is analysed at one rate, so a call gives the same figures
# whatever rate it was recorded at; 8000 is the telephone band's own rate.
input.analysis_rate_hz = 8000
# Under a second holds no turn, reply or measurable pace: the report says so.
input.min_duration_s = 1.0

# The role check, on two-channel recordings: the channel marked agent looks like
# the customer's when the other channel speaks first (by first_lead_s or more:
# an agent answering the line greets first) and does most of the talking, or
# when a stored agent baseline's pitch is baseline_margin_st nearer the other
# channel's voice (each with min_speech_s of speech). A warning, never a change
# of roles. On the 12 development calls, whose agent is on channel 0, it warns
# on none; with the channels swapped, see models/README.md.
roles.check = 1
roles.first_lead_s = 1.0
roles.customer_share = 0.5
roles.baseline_margin_st = 3
roles.min_speech_s = 10

# Voice activity (per speaker, 10 ms hops)
vad.window_s = 0.032
vad.band_low_hz = 200
vad.band_high_hz = 3600
vad.noise_window_s = 2.0
vad.noise_smooth_s = 0.04
vad.noise_bias_db = 0.0
vad.noise_gate_db = 8.0
vad.noise_track_s = 0.3
vad.noise_hold_s = 0.5
vad.on_db = 6.0
vad.off_db = 3.0
vad.echo_max_delay_s = 0.5
vad.echo_margin_db = 6.0
vad.echo_start_db = -25.0
vad.echo_learn_s = 5.0
vad.echo_learn_snr_db = 12.0
vad.echo_quantile = 0.5
vad.echo_learn_max_db = -6.0
vad.echo_path_range_db = 6.0
vad.level_span_s = 0.15
vad.level_margin_db = 3.0
vad.level_off_margin_db = -1.0
vad.level_window_s = 4.0
vad.level_rise_db_per_s = 1.0
vad.level_gate_db = 8.0
vad.start_quantile = 0.25
vad.start_margin_db = 8.0
vad.level_track_s = 1.0
vad.level_spread_gain = 2.0
vad.level_off_spread_gain = 3.0
vad.hangover_s = 0.05
vad.onset_s = 0.03
vad.preroll_s = 0.05
vad.reentry_s = 0.0
vad.min_level_dbfs = -70

# Talk spurts and turns
segment.bridge_s = 0.18
segment.min_s = 0.08
turn.merge_s = 1.5

# Overlap classification
interruption.min_prior_s = 0.2
interruption.stop_within_s = 2.0
interruption.min_keep_s = 1.0
overlap.coop_stop_s = 0.3
backchannel.max_s = 1.0
backchannel.hold_s = 1.0
backchannel.gap_s = 0.5
overtalk.min_s = 1.0

# Silence and monologues
dead_air.tier1_s = 3.0
dead_air.tier2_s = 5.0
monologue.pause_s = 3.0
monologue.break_s = 1.0

# Response latency
rushed.max_gap_s = 0.2
rushed.min_turn_s = 3.0
latency.hist_max_s = 10.0

# Hold music / tones
hold.min_s = 2.0
hold.tonality = 0.85
hold.lag_s = 0.2
hold.smooth_s = 0.3

# Voice: 1 measures pitch, level, pace and tone; 0 skips them (structure only)
voice.analyze = 1

# Pitch (per 10 ms hop)
pitch.min_hz = 60
pitch.max_hz = 400
pitch.window_s = 0.03
pitch.dip_pick = 0.1
pitch.voicing = 0.45
pitch.octave_margin = 0.1
pitch.octave_slack = 0.25
pitch.recent_s = 0.5
pitch.forget_s = 2.0
pitch.gate_db = 6

# Voice frames and report tracks
tracks.hop_s = 0.5

# Pace: syllable nuclei
pace.band_low_hz = 300
pace.band_high_hz = 2500
pace.smooth_s = 0.05
pace.shape_low_hz = 300
pace.shape_high_hz = 3400
pace.shape_range_db = 40
pace.change_s = 0.03
pace.change_weight = 0.35
pace.edge_s = 0.05
pace.peak_s = 0.01
pace.dip_s = 0.35
pace.dip_db = 3.0
pace.voicing = 0.65
pace.floor_db = 20
pace.window_s = 4.0
pace.min_speech_s = 1.0
pace.wpm_syllables = 1.5

# Tone and arousal
tone.high_band_hz = 1000
tone.window_s = 1.5
tone.min_speech_s = 0.3
tone.baseline_min_speech_s = 20
tone.running = 0
tone.trailing = 0

# Laughter (a bout of "ha" calls: evenly spaced short bursts, 3-7 a second, a
# voiceless breath between them, pitched well over the speaker's voice or
# voiceless throughout)
laughter.window_s = 1.0
laughter.min_bursts = 3
laughter.min_rate_hz = 3
laughter.max_rate_hz = 7
laughter.rhythm_cv = 0.3
laughter.dip_db = 6
laughter.range_db = 15
laughter.gate_db = 15
laughter.call_max_s = 0.15
laughter.pitch_rise_st = 5
laughter.pitch_memory_s = 3
laughter.min_s = 0.3
laughter.gap_s = 0.3
tone.laughter_share = 0.25

# Voice flags
flag.gap_s = 1.0
fast_pace.rel = 0.15
fast_pace.syl_per_s = 5.5
fast_pace.min_s = 10
raised_voice.db = 6
raised_voice.min_s = 2
tense.arousal = 0.7
tense.min_s = 3
escalation.window_s = 30
escalation.rise = 0.2
escalation.agent_min = 0.5
escalation.smooth_s = 3
escalation.overtalk_s = 2
escalation.max_laughter_s = 0.5

# Conversation flags. Interruptions (interruption.*), overtalk
# (overtalk.min_s) and rushed replies (rushed.*) are judged by the keys above.
rushed_response.min_count = 3
no_acknowledgement.story_s = 20
long_monologue.min_s = 60
talk_dominance.share = 0.65
talk_dominance.window_s = 180
talk_dominance.min_talk_s = 30
dead_air.flag_s = 5
overtalk.severe_s = 5

# Call score: 100 minus the points each flag costs (weight x severity), with the
# total scaled down for calls longer than score.reference_min minutes.
score.reference_min = 10
score.fast_pace = 4
score.raised_voice = 8
score.tense_tone = 6
score.escalation = 12
score.interrupted_customer = 6
score.overtalk = 4
score.rushed_response = 3
score.no_acknowledgement = 5
score.long_monologue = 8
score.talk_dominance = 10
score.dead_air = 3

# Live mode: how often the display and the tick events
# refresh, and the step of the live meters and cues (short, since a step
# adds to the delay from sound to cue).
live.tick_s = 0.5
live.frame_s = 0.1
live.min_speech_s = 0.15
# The panel's meters turn red at the flag thresholds, amber this far below.
live.warn_share = 0.1
live.warn_db = 3
live.warn_arousal = 0.2

# Live cues: one on show at a time, none repeated within cue_repeat_s; each
# fires once its condition has held this long. On the development calls a
# calm agent's level over the 1.5 s window never came 4 dB over their
# baseline and a raised one was 9 dB or more, so lower_voice needs little
# confirmation. Local pace from a few seconds of syllables wanders by a
# quarter either way in normal speech, hence the wider slow_down margin and
# the longer hold. let_finish_s is the longest backchannel, so a short
# "mm-hm" never draws it; acknowledge_s and ask_question_s come before the
# no_acknowledgement and long_monologue flags would, so the agent can still
# avoid them.
live.cue_show_s = 5
live.cue_repeat_s = 30
live.slow_down_rel = 0.3
live.slow_down_s = 3
live.let_finish_s = 1.0
live.lower_voice_s = 0.1
live.acknowledge_s = 15
live.ask_question_s = 45

# Mono recordings: the two voices are told apart by timbre (mel cepstra).
# Later rounds of refitting go on from the round before with
# refit_iterations of EM, and stop once no piece changes voice.
# The first diarize.learn_s of speech (or diarize.learn_max_s of audio) is held
# back while a model of all its speech is fitted, pieces of speech are
# summarised against it and split in two, and a model of each voice is refitted
# over a few rounds; later speech is placed by the two voices' likelihoods.
# In a mono mix the quieter voice can sit only 5-10 dB over the noise of both
# lines together; hops that close to the floor must not teach the noise level.
diarize.vad_level_gate_db = 4
diarize.bands = 24
diarize.cepstra = 12
diarize.pitch = 1
diarize.band_low_hz = 200
diarize.band_high_hz = 3600
diarize.piece_s = 2.0
diarize.bridge_s = 0.3
# Two voices at once are louder than either alone: around a change of voice
# with no pause, that is taken as overlapping speech.
diarize.overlap_db = 2
diarize.overlap_min_s = 0.2
diarize.overlap_max_s = 2.0
diarize.energy_smooth_s = 0.2
# A listener's "mm-hm" in the other's pause falls inside the other's piece:
# a burst that short whose voiced hops clearly sound like the other voice is
# given to it.
diarize.short_run_s = 1.0
diarize.short_run_llr = 2
diarize.short_run_voiced_s = 0.2
diarize.learn_s = 120
diarize.learn_max_s = 300
diarize.ubm_components = 16
diarize.speaker_components = 4
diarize.em_iterations = 10
diarize.refit_iterations = 3
diarize.rounds = 10
diarize.restarts = 8
diarize.relevance = 16
diarize.train_step = 2
diarize.min_share = 0.05
diarize.min_gain = 0.2
diarize.confident_llr = 0.5
# Each voice is a mixture of speaker_components Gaussians sharing one full
# covariance. The confidence is the share of speech placed with a margin,
# scaled down when the two voices' gain over one falls short of this (with
# these voices the gain is 0.3-2.0 on mixes of two real or generated voices,
# 0.14 on the development call whose two voices are one espeak-ng voice with
# and without a variant).
diarize.confident_gain = 0.4
# Each start of the learning ends in a split; one that disagrees with the kept
# split on more than a tenth of the speech yet explains it nearly as well
# (within confident_rival_gap per frame) means the voices could be cut either
# way. Little speech to learn from (under confident_speech_s voiced) also
# lowers the confidence, by the square root of the share.
diarize.rival_agreement = 0.9
diarize.confident_rival_gap = 0.1
diarize.confident_speech_s = 30
# Two voices make nearly every voiced hop of a piece sound like the piece's
# voice; one voice cut in two by what is said leaves many on the other side.
# Under this share the confidence is scaled down (to 0 at one half). Real
# two-voice mixes that are told apart give 0.75-0.95.
diarize.confident_hop_agreement = 0.85
# Under this confidence the flags that rest on who said what (all but
# dead_air) are marked doubtful and left out of the call score.
diarize.doubtful_below = 0.6
