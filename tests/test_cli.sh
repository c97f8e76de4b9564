#!/bin/sh
# The command-line tool end to end: reports on generated calls, every kind of
# unusable input, option errors, awkward file names, and the golden report.
#
# Environment: BIN (the callscope binary, default ./callscope) and BUILD (where
# the test tools were built, default build). Run from the repository root.
# Ends with "test_cli: N passed, N failed"; exits 1 if anything failed.

TEST_NAME=test_cli
. tests/harness.sh
GOLDEN_DIR=tests/golden

# expect_json FILE: FILE is valid JSON
expect_json() {
    if "$JSON" "$1" 2>"$tmp/jerr"; then pass; else fail "$(cat "$tmp/jerr")"; fi
}

# expect_get FILE PATH VALUE
expect_get() {
    v=$("$JSON" "$1" get "$2" 2>&1)
    if [ "$v" = "$3" ]; then pass; else fail "$2 is '$v', want '$3'"; fi
}

# expect_unusable FILE [ARGS...]: exit 4 with one stderr line naming FILE
expect_unusable() {
    f=$1
    shift
    run 4 analyze "$f" --json "$tmp/bad.json" "$@" || return
    lines=$(wc -l <"$tmp/err")
    if [ "$lines" -eq 1 ]; then pass; else fail "stderr has $lines lines, want 1: $(head -c 400 "$tmp/err")"; fi
    if grep -qF -- "$f" "$tmp/err"; then pass; else fail "stderr does not name $f: $(cat "$tmp/err")"; fi
}

# ---- a call with one interruption ---------------------------------------
case_name="interruption call: valid report with the interruption"
gen interruption "$tmp/int.wav"
if run 0 analyze "$tmp/int.wav" --json "$tmp/int.json"; then
    expect_json "$tmp/int.json"
    expect_get "$tmp/int.json" schema "callscope.report/1"
    expect_get "$tmp/int.json" source/path "$tmp/int.wav"
    expect_get "$tmp/int.json" source/sample_rate_hz 16000
    expect_get "$tmp/int.json" source/channels 2
    expect_near "$tmp/int.json" source/duration_s 7.0 0.001
    expect_count "$tmp/int.json" events "type=interruption" 1
    expect_count "$tmp/int.json" events "type=interruption&speaker=agent&other=customer" 1
    expect_near "$tmp/int.json" "events/?type=interruption/start_s" 2.5 0.1
    expect_near "$tmp/int.json" "events/?type=interruption/end_s" 3.2 0.1
    expect_count "$tmp/int.json" segments "speaker=agent" 1
    expect_count "$tmp/int.json" segments "speaker=customer" 1
    expect_near "$tmp/int.json" "segments/?speaker=customer/start_s" 0.5 0.1
    expect_near "$tmp/int.json" "segments/?speaker=agent/end_s" 6.0 0.1
    expect_get "$tmp/int.json" per_speaker/agent/interruptions_made 1
    expect_get "$tmp/int.json" per_speaker/customer/interruptions_made 0
fi

case_name="the report on stdout with --json -"
if run 0 analyze "$tmp/int.wav" --json -; then
    expect_json "$tmp/out"
    expect_get "$tmp/out" schema "callscope.report/1"
fi

case_name="reading the recording from stdin"
if "$BIN" analyze - --json "$tmp/stdin.json" --quiet <"$tmp/int.wav" >"$tmp/out" 2>"$tmp/err"; then
    pass
    expect_json "$tmp/stdin.json"
    expect_count "$tmp/stdin.json" events "type=interruption&speaker=agent" 1
else
    fail "analyze - <int.wav failed: $(head -c 400 "$tmp/err")"
fi

case_name="--quiet prints nothing on stdout"
if run 0 analyze "$tmp/int.wav" --json "$tmp/q.json" --quiet; then
    if [ -s "$tmp/out" ]; then fail "stdout is not empty: $(head -c 200 "$tmp/out")"; else pass; fi
fi

case_name="interruption call: the agent's barge-in is flagged, with a message and a tip"
expect_count "$tmp/int.json" flags "kind=interrupted_customer&speaker=agent" 1
expect_near "$tmp/int.json" "flags/?kind=interrupted_customer/start_s" 2.5 0.15
expect_count "$tmp/int.json" flags "" 1
if grep -q '"tip": "Let the customer finish' "$tmp/int.json"; then pass; else fail "no tip in the flag"; fi

case_name="--fail-on-flags exits 3 when the report has flags"
run 3 analyze "$tmp/int.wav" --json "$tmp/f.json" --quiet --fail-on-flags
if [ -s "$tmp/f.json" ]; then pass; else fail "the report was not written"; fi

# ---- the same call through the telephone, mu-law, 8 kHz ------------------
case_name="interruption call, 8 kHz mu-law file"
gen interruption "$tmp/int8.wav" --rate 8000 --format ulaw
if run 0 analyze "$tmp/int8.wav" --json "$tmp/int8.json"; then
    expect_json "$tmp/int8.json"
    expect_get "$tmp/int8.json" source/sample_rate_hz 8000
    expect_count "$tmp/int8.json" events "type=interruption&speaker=agent&other=customer" 1
    expect_near "$tmp/int8.json" "events/?type=interruption/start_s" 2.5 0.1
fi

# ---- a mono mix: the two voices are told apart ----------------------------
case_name="a mono mix is separated into the stereo call's agent and customer"
gen conversation "$tmp/two.wav" --rate 8000 --duration 120
gen conversation "$tmp/mix.wav" --rate 8000 --duration 120 --channels 1
if run 0 analyze "$tmp/two.wav" --json "$tmp/two.json" --quiet &&
    run 0 analyze "$tmp/mix.wav" --json "$tmp/mix.json" --rttm "$tmp/mix.rttm" --quiet; then
    expect_get "$tmp/mix.json" source/channels 1
    expect_get "$tmp/mix.json" source/separation diarized
    expect_get "$tmp/mix.json" source/voices 2
    for who in agent customer; do
        talk=$("$JSON" "$tmp/two.json" get per_speaker/$who/talk_s)
        expect_near "$tmp/mix.json" per_speaker/$who/talk_s "$talk" 4
        pitch=$("$JSON" "$tmp/two.json" get per_speaker/$who/pitch_median_hz)
        expect_near "$tmp/mix.json" per_speaker/$who/pitch_median_hz "$pitch" 10
        n=$(grep -c "^SPEAKER mix 1 .* $who " "$tmp/mix.rttm")
        check "the RTTM has $who segments ($n)" test "$n" -gt 5
    done
fi

case_name="the summary and the coach's report say the voices were told apart, and how surely"
if run 0 report "$tmp/mix.wav" --html "$tmp/mix.html" && run 0 analyze "$tmp/mix.wav"; then
    conf=$("$JSON" "$tmp/mix.json" get source/separation_confidence)
    want=$(printf "told apart in one channel (confidence %.2f)" "$conf")
    if grep -qF "$want" "$tmp/out"; then pass; else fail "summary lacks '$want': $(head -c 300 "$tmp/out")"; fi
    if grep -q "mono separation confidence" "$tmp/mix.html"; then pass; else fail "the HTML report does not give the separation confidence"; fi
fi

case_name="a doubtful separation is said in the report, the summary and on each flag about who said what"
# Learning wants far more speech than two minutes give: the confidence falls
# under diarize.doubtful_below; talk_dominance over 10 s windows is sure to fire.
expect_get "$tmp/mix.json" source/separation_doubtful false
if run 0 report "$tmp/mix.wav" --json "$tmp/doubt.json" --html "$tmp/doubt.html" --set diarize.confident_speech_s=600 \
    --set talk_dominance.window_s=10 --set talk_dominance.share=0.5 --set talk_dominance.min_talk_s=5 &&
    run 0 analyze "$tmp/mix.wav" --set diarize.confident_speech_s=600 --set talk_dominance.window_s=10 \
        --set talk_dominance.share=0.5 --set talk_dominance.min_talk_s=5; then
    expect_get "$tmp/doubt.json" source/separation_doubtful true
    n=$(grep -c '"kind": "talk_dominance".*"who_said_what_doubtful": true' "$tmp/doubt.json")
    check "talk_dominance flags are marked doubtful ($n)" test "$n" -gt 0
    n=$(grep -c '"kind": "talk_dominance"' "$tmp/doubt.json")
    m=$(grep -c '"kind": "talk_dominance".*"who_said_what_doubtful": true' "$tmp/doubt.json")
    check "every talk_dominance flag is marked ($m of $n)" test "$m" -eq "$n"
    if grep -q "who said what is doubtful" "$tmp/doubt.html"; then pass; else fail "the HTML report does not mark the flags"; fi
    if grep -q "could not be told apart with confidence" "$tmp/out" && grep -q "who said what is doubtful" "$tmp/out"
    then pass; else fail "the summary does not say the separation is doubtful: $(head -c 300 "$tmp/out")"; fi
fi

case_name="--agent second makes the other voice the agent"
if run 0 analyze "$tmp/mix.wav" --json "$tmp/mix2.json" --agent second --quiet; then
    talk=$("$JSON" "$tmp/mix.json" get per_speaker/customer/talk_s)
    expect_near "$tmp/mix2.json" per_speaker/agent/talk_s "$talk" 0.01
fi
run 2 analyze "$tmp/mix.wav" --json "$tmp/mix3.json" --agent third

case_name="--one-speaker analyses a mono file as the agent alone"
if run 0 analyze "$tmp/mix.wav" --json "$tmp/one.json" --one-speaker --quiet; then
    expect_get "$tmp/one.json" source/separation single
    expect_get "$tmp/one.json" per_speaker/customer/talk_s null
fi

case_name="a silent mono file: separated, no voice, no speech"
gen silence "$tmp/quiet1.wav" --rate 8000 --channels 1 --duration 10
if run 0 analyze "$tmp/quiet1.wav" --json "$tmp/quiet1.json" --quiet; then
    expect_get "$tmp/quiet1.json" source/voices 0
    expect_count "$tmp/quiet1.json" segments "" 0
fi

case_name="a stereo file with two identical channels is taken as a mono mix"
gen conversation "$tmp/up.wav" --rate 8000 --duration 120 --upmix 1
if run 0 analyze "$tmp/up.wav" --json "$tmp/up.json" --quiet; then
    expect_get "$tmp/up.json" source/channels 2
    expect_get "$tmp/up.json" source/separation diarized
    talk=$("$JSON" "$tmp/mix.json" get per_speaker/agent/talk_s)
    expect_near "$tmp/up.json" per_speaker/agent/talk_s "$talk" 0.5
fi

# ---- a long monologue ---------------------------------------------------
case_name="70 s agent monologue"
gen monologue "$tmp/mono.wav" --rate 8000
if run 0 analyze "$tmp/mono.wav" --json "$tmp/mono.json"; then
    expect_json "$tmp/mono.json"
    # The silent customer also leaves the agent all the talk.
    expect_count "$tmp/mono.json" flags "kind=long_monologue" 1
    expect_near "$tmp/mono.json" "flags/?kind=long_monologue/start_s" 1.0 0.2
    expect_near "$tmp/mono.json" "flags/?kind=long_monologue/end_s" 71.0 0.2
    expect_count "$tmp/mono.json" flags "kind=talk_dominance" 1
    expect_count "$tmp/mono.json" flags "" 2
    expect_near "$tmp/mono.json" per_speaker/agent/longest_monologue_s 70 0.2
    expect_near "$tmp/mono.json" call/longest_monologue_s 70 0.2
    expect_get "$tmp/mono.json" call/dead_air_count 0
fi

# ---- more channels -------------------------------------------------------
case_name="6-channel file without --channel-map is refused"
gen interruption "$tmp/six.wav" --channels 6
expect_unusable "$tmp/six.wav"

case_name="6-channel file with --channel-map agent=0,customer=1"
if run 0 analyze "$tmp/six.wav" --channel-map agent=0,customer=1 --json "$tmp/six.json"; then
    expect_json "$tmp/six.json"
    expect_get "$tmp/six.json" source/channels 6
    expect_count "$tmp/six.json" events "type=interruption&speaker=agent&other=customer" 1
fi

case_name="swapped channels with --agent-channel 1"
if run 0 analyze "$tmp/int.wav" --agent-channel 1 --json "$tmp/swap.json"; then
    expect_count "$tmp/swap.json" events "type=interruption&speaker=customer&other=agent" 1
fi

# ---- silence is a valid, empty call -------------------------------------
case_name="digital silence: exit 0, no segments"
gen silence "$tmp/silence.wav" --duration 5
if run 0 analyze "$tmp/silence.wav" --json "$tmp/silence.json"; then
    expect_json "$tmp/silence.json"
    expect_count "$tmp/silence.json" segments "" 0
    expect_count "$tmp/silence.json" events "type=interruption" 0
    expect_get "$tmp/silence.json" per_speaker/agent/talk_share null
fi

# ---- unusable recordings: exit 4, one line on stderr naming the file -----
case_name="empty file"
: >"$tmp/empty.wav"
expect_unusable "$tmp/empty.wav"

case_name="truncated header (first 20 bytes of a WAV)"
head -c 20 "$tmp/int.wav" >"$tmp/trunc.wav"
expect_unusable "$tmp/trunc.wav"

case_name="a text file named .wav"
printf 'This is not a recording.\nJust text.\n' >"$tmp/text.wav"
expect_unusable "$tmp/text.wav"

case_name="valid header, zero frames"
gen header "$tmp/zero.wav" --rate 16000 --frames 0
expect_unusable "$tmp/zero.wav"

case_name="sample rate 1 Hz"
gen header "$tmp/rate1.wav" --rate 1 --frames 100
expect_unusable "$tmp/rate1.wav"

case_name="sample rate 1 MHz"
gen header "$tmp/rate1m.wav" --rate 1000000 --frames 100000
expect_unusable "$tmp/rate1m.wav"

case_name="float WAV with a NaN"
gen nan "$tmp/nan.wav"
expect_unusable "$tmp/nan.wav"

case_name="float WAV with an infinity"
gen inf "$tmp/inf.wav"
expect_unusable "$tmp/inf.wav"

case_name="full-scale clipped square wave"
gen square "$tmp/square.wav" --duration 3
expect_unusable "$tmp/square.wav"

case_name="a file that does not exist"
expect_unusable "$tmp/no-such-file.wav"

case_name="a directory"
mkdir -p "$tmp/dir.wav"
expect_unusable "$tmp/dir.wav"

# ---- usage errors: exit 2 -----------------------------------------------
case_name="unknown option"
run 2 analyze "$tmp/int.wav" --no-such-option
case_name="missing recording"
run 2 analyze
case_name="unknown command"
run 2 no-such-command
case_name="--set with an unknown key"
run 2 analyze "$tmp/int.wav" --set nosuch.key=1 --json "$tmp/x.json"
case_name="--set with a value out of range"
run 2 analyze "$tmp/int.wav" --set segment.min_s=7 --json "$tmp/x.json"
case_name="--set without '='"
run 2 analyze "$tmp/int.wav" --set segment.min_s --json "$tmp/x.json"
case_name="--channel-map naming a channel the file lacks"
run 4 analyze "$tmp/int.wav" --channel-map agent=0,customer=5 --json "$tmp/x.json"
case_name="--profile naming a missing file"
"$BIN" analyze "$tmp/int.wav" --profile "$tmp/none.profile" --json "$tmp/x.json" >"$tmp/out" 2>"$tmp/err"
got=$?
if [ "$got" -eq 1 ] || [ "$got" -eq 2 ]; then pass; else fail "exit status $got, want 1 or 2"; fi

case_name="--profile with a bad line names the file and the line"
printf '# comment\nsegment.min_s = 0.1\nbogus.key = 3\n' >"$tmp/bad.profile"
if run 2 analyze "$tmp/int.wav" --profile "$tmp/bad.profile" --json "$tmp/x.json"; then
    if grep -qF "bad.profile" "$tmp/err" && grep -q "3" "$tmp/err"; then pass; else
        fail "stderr does not name the file and line 3: $(cat "$tmp/err")"
    fi
fi

# ---- settings are recorded in the report --------------------------------
case_name="--set segment.min_s=0.2 is in the report's profile"
if run 0 analyze "$tmp/int.wav" --set segment.min_s=0.2 --json "$tmp/set.json"; then
    expect_json "$tmp/set.json"
    expect_near "$tmp/set.json" profile/segment.min_s 0.2 1e-9
    expect_get "$tmp/set.json" profile/name default
fi

case_name="--profile values are in the report's profile"
printf 'name = strict\nturn.merge_s = 2.5\n' >"$tmp/strict.profile"
if run 0 analyze "$tmp/int.wav" --profile "$tmp/strict.profile" --json "$tmp/prof.json"; then
    expect_get "$tmp/prof.json" profile/name strict
    expect_near "$tmp/prof.json" profile/turn.merge_s 2.5 1e-9
fi

# ---- awkward file names stay valid JSON ---------------------------------
for name in '<script>alert(1)</script>.wav' 'say "hi".wav' 'back\slash.wav' "tab	name.wav" 'café.wav'; do
    case_name="file name $name"
    dir=$(dirname "$tmp/$name")
    mkdir -p "$dir"
    cp "$tmp/int.wav" "$tmp/$name"
    if run 0 analyze "$tmp/$name" --json "$tmp/odd.json"; then
        expect_json "$tmp/odd.json"
        expect_get "$tmp/odd.json" source/path "$tmp/$name"
    fi
done

# ---- other commands ------------------------------------------------------
case_name="callscope version"
if run 0 version; then
    want=$(sed -n 's/^#define CS_VERSION "\(.*\)"/\1/p' include/callscope/common.h)
    if grep -qF "$want" "$tmp/out"; then pass; else fail "version output '$(cat "$tmp/out")' lacks $want"; fi
fi

case_name="callscope help, --help, help --help and help -h print the general help"
for args in help --help "help --help" "help -h"; do
    # shellcheck disable=SC2086 # the words are the arguments
    if run 0 $args; then
        check "'callscope $args' lists the commands" grep -q '^  scan  ' "$tmp/out"
    fi
done
case_name="help COMMAND prints that command's help; an unknown one is a usage error"
if run 0 help scan; then
    check "'callscope help scan' is scan's usage" grep -q '^usage: callscope scan ' "$tmp/out"
fi
run 2 help no-such-command

case_name="callscope profile lists every key of the defaults file"
if run 0 profile; then
    missing=
    for key in $(sed -n 's/^\([a-z_0-9.]*\) *=.*/\1/p' models/default.profile); do
        [ "$key" = name ] && continue
        grep -qF "$key" "$tmp/out" || missing="$missing $key"
    done
    if [ -z "$missing" ]; then pass; else fail "keys missing from 'callscope profile':$missing"; fi
fi

# ---- voice and tone ------------------------------------------------------
case_name="tense call: raised_voice and tense_tone flags on the agent's loud stretch only"
gen tense "$tmp/tense.wav" --rate 8000 --format ulaw
if run 0 analyze "$tmp/tense.wav" --json "$tmp/tense.json"; then
    expect_json "$tmp/tense.json"
    expect_count "$tmp/tense.json" flags "kind=raised_voice" 1
    expect_count "$tmp/tense.json" flags "kind=raised_voice&speaker=customer" 0
    # scenes.h: SC_TENSE_START_S 50, SC_TENSE_END_S 58.5; one 0.5 s frame of tolerance
    # plus the half-window of the level measure.
    expect_near "$tmp/tense.json" "flags/?kind=raised_voice/start_s" 50.0 1.0
    expect_near "$tmp/tense.json" "flags/?kind=raised_voice/end_s" 58.5 1.0
    expect_count "$tmp/tense.json" flags "kind=tense_tone" 1
    expect_near "$tmp/tense.json" "flags/?kind=tense_tone/start_s" 50.0 1.0
    expect_get "$tmp/tense.json" "flags/?kind=raised_voice/speaker" agent
    # The agent speaks at 110 Hz (140 Hz in the tense stretch), the customer at 210 Hz.
    expect_near "$tmp/tense.json" per_speaker/agent/pitch_median_hz 110 8
    expect_near "$tmp/tense.json" per_speaker/customer/pitch_median_hz 210 15
    expect_near "$tmp/tense.json" tracks/hop_s 0.5 0.001
    # 90 s in 0.5 s frames
    expect_count "$tmp/tense.json" tracks/agent/arousal "" 180
    expect_count "$tmp/tense.json" tracks/customer/pitch_hz "" 180
    # silent at 0.2 s, speaking (calm) at 3 s, tense at 52 s
    expect_get "$tmp/tense.json" tracks/agent/arousal/0 null
    if "$JSON" "$tmp/tense.json" near tracks/agent/arousal/6 0.15 0.25 2>/dev/null &&
        "$JSON" "$tmp/tense.json" near tracks/agent/arousal/104 0.85 0.15 2>/dev/null; then pass; else
        fail "arousal at 3 s is $("$JSON" "$tmp/tense.json" get tracks/agent/arousal/6), at 52 s $("$JSON" "$tmp/tense.json" get tracks/agent/arousal/104)"
    fi
fi

case_name="friendly call: shared laughter at the end raises no raised_voice, tense_tone or escalation"
gen friendly "$tmp/friendly.wav" --rate 8000 --format ulaw
if run 0 analyze "$tmp/friendly.wav" --json "$tmp/friendly.json" --labels "$tmp/friendly.txt"; then
    expect_json "$tmp/friendly.json"
    for kind in raised_voice tense_tone escalation; do
        expect_count "$tmp/friendly.json" flags "kind=$kind" 0
    done
    # scenes.h: both laugh from SC_LAUGH_START_S 30 (the customer 0.3 s later)
    expect_near "$tmp/friendly.json" "events/?type=laughter&speaker=agent/start_s" 30.0 0.6
    expect_near "$tmp/friendly.json" "events/?type=laughter&speaker=customer/start_s" 30.3 0.6
    if grep -q "laughter: agent" "$tmp/friendly.txt" && grep -q "laughter: customer" "$tmp/friendly.txt"; then
        pass
    else
        fail "the labels do not list both laughs"
    fi
fi

case_name="moods call: joyful, animated speech raises no tense_tone; the angry stretch raises tense_tone and raised_voice"
gen moods "$tmp/moods.wav" --rate 8000 --format ulaw
if run 0 analyze "$tmp/moods.wav" --json "$tmp/moods.json"; then
    expect_json "$tmp/moods.json"
    # scenes.h: joyful from SC_HAPPY_START_S 31, angry from SC_ANGRY_START_S 61, each 8 s
    expect_count "$tmp/moods.json" flags "kind=tense_tone" 1
    expect_near "$tmp/moods.json" "flags/?kind=tense_tone/start_s" 61.0 1.0
    expect_count "$tmp/moods.json" flags "kind=raised_voice" 1
    expect_near "$tmp/moods.json" "flags/?kind=raised_voice/start_s" 61.0 1.0
fi

# scenes.h: both angry from SC_HEATED_START_S 40; "heated" talks over each
# other, "heated-turns" takes turns.
for scene in heated:1 heated-turns:0; do
    name=${scene%:*} escalations=${scene#*:}
    case_name="$name call: both angry, escalation only when they talk over each other ($escalations)"
    gen "$name" "$tmp/$name.wav" --rate 8000 --format ulaw
    if run 0 analyze "$tmp/$name.wav" --json "$tmp/$name.json"; then
        expect_json "$tmp/$name.json"
        expect_count "$tmp/$name.json" flags "kind=escalation" "$escalations"
        [ "$escalations" = 1 ] && expect_near "$tmp/$name.json" "flags/?kind=escalation/start_s" 40.0 2.0
        expect_count "$tmp/$name.json" flags "kind=tense_tone&speaker=agent" "$((escalations ? 2 : 3))"
    fi
done

# The same speech recorded at six rates: one call rendered at 48 kHz, resampled
# by sox (not by the library), must give the same activity, voice and flags.
# Analysed at their own rates (input.analysis_rate_hz=48000) the 22.05 kHz copy
# loses the tense_tone flag and calm moves by over a point.
case_name="the same call at 8, 11.025, 16, 22.05, 44.1 and 48 kHz gives the same figures and flags"
gen tense "$tmp/rates-48000.wav" --rate 48000 --seed 3
# figures FILE: the flags, then per speaker talk time, calm x 100, pitch and pace, one per line.
figures() {
    n=$("$JSON" "$1" count flags)
    i=0
    while [ "$i" -lt "${n:-0}" ]; do
        "$JSON" "$1" get "flags/$i/kind"
        i=$((i + 1))
    done | sort | tr '\n' ' '
    echo
    for who in agent customer; do
        for key in talk_s calm_score pitch_median_hz pace_syl_per_s; do
            printf '%s %s %s\n' "$who" "$key" "$("$JSON" "$1" get "per_speaker/$who/$key")"
        done
    done
}
if ! command -v sox >/dev/null 2>&1; then
    skip "no sox to resample the call"
elif run 0 analyze "$tmp/rates-48000.wav" --json "$tmp/rates-48000.json"; then
    figures "$tmp/rates-48000.json" >"$tmp/rates-ref.txt"
    check "the reference has the tense stretch's flags" grep -q "raised_voice.*tense_tone" "$tmp/rates-ref.txt"
    for rate in 8000 11025 16000 22050 44100; do
        if ! sox "$tmp/rates-48000.wav" -r "$rate" "$tmp/rates-$rate.wav" 2>/dev/null; then
            fail "sox cannot resample to $rate Hz"
            continue
        fi
        run 0 analyze "$tmp/rates-$rate.wav" --json "$tmp/rates-$rate.json" || continue
        figures "$tmp/rates-$rate.json" >"$tmp/rates-got.txt"
        same "flags at $rate Hz" "$(head -1 "$tmp/rates-got.txt")" "$(head -1 "$tmp/rates-ref.txt")"
        # talk time within 1 %, calm within 3 points, pitch within 1 %, pace within 3 %
        bad=$(paste -d ' ' "$tmp/rates-ref.txt" "$tmp/rates-got.txt" | tail -n +2 | awk '
            { want = $3; got = $6
              tol = $2 == "calm_score" ? 0.03 : ($2 == "pace_syl_per_s" ? 0.03 : 0.01) * (want < 0 ? -want : want)
              d = got - want; if (d < 0) d = -d
              if (want == "null" || got == "null" || d > tol) printf "%s %s %s (want %s); ", $1, $2, got, want }')
        same "figures at $rate Hz" "$bad" ""
    done
fi

case_name="calm call: no voice flags, calm scores high"
gen monologue "$tmp/calm.wav" --rate 8000 --format ulaw
if run 0 analyze "$tmp/calm.wav" --json "$tmp/calm.json"; then
    expect_count "$tmp/calm.json" flags "kind=raised_voice" 0
    expect_count "$tmp/calm.json" flags "kind=tense_tone" 0
    expect_near "$tmp/calm.json" per_speaker/agent/calm_score 0.85 0.15
    expect_get "$tmp/calm.json" per_speaker/customer/calm_score null
    expect_get "$tmp/calm.json" tracks/customer/arousal/100 null
fi

case_name="tracks at 10 ms hops"
if run 0 analyze "$tmp/calm.wav" --json "$tmp/calm10.json" --set tracks.hop_s=0.01; then
    expect_near "$tmp/calm10.json" tracks/hop_s 0.01 0.0001
    expect_count "$tmp/calm10.json" tracks/agent/pitch_hz "" 7300
fi

case_name="voice.analyze=0: no voice measures, null tracks"
if run 0 analyze "$tmp/calm.wav" --json "$tmp/novoice.json" --set voice.analyze=0; then
    expect_get "$tmp/novoice.json" tracks null
    expect_get "$tmp/novoice.json" per_speaker/agent/pitch_median_hz null
    # Conversation flags only: the monologue and the one-sided talk.
    expect_count "$tmp/novoice.json" flags "" 2
fi

case_name="baseline build, then analyze with it"
if run 0 baseline build --agent alex-01 "$tmp/calm.wav" "$tmp/tense.wav" -o "$tmp/alex.baseline" -q; then
    if grep -q '^schema = callscope.baseline/1$' "$tmp/alex.baseline" && grep -q '^agent = alex-01$' "$tmp/alex.baseline" &&
        grep -q '^calls = 2$' "$tmp/alex.baseline"; then pass; else fail "baseline file: $(cat "$tmp/alex.baseline")"; fi
    if run 0 analyze "$tmp/tense.wav" --json "$tmp/tense-b.json" --baseline "$tmp/alex.baseline"; then
        expect_count "$tmp/tense-b.json" flags "kind=raised_voice" 1
        expect_get "$tmp/tense-b.json" meta/agent_baseline "$tmp/alex.baseline"
    fi
fi
# A call that is loud throughout looks calm against itself, not against a stored quieter baseline.
case_name="a loud call: no raised_voice against itself, raised_voice against the stored baseline"
if ! sox "$tmp/calm.wav" -e signed-integer -b 16 "$tmp/loud.wav" vol 8 dB 2>/dev/null; then
    skip "sox cannot make the louder copy"
elif run 0 baseline build --agent a "$tmp/calm.wav" -o "$tmp/quiet.baseline" -q; then
    run 0 analyze "$tmp/loud.wav" --json "$tmp/loud-self.json"
    expect_count "$tmp/loud-self.json" flags "kind=raised_voice" 0
    run 0 analyze "$tmp/loud.wav" --json "$tmp/loud-b.json" --baseline "$tmp/quiet.baseline"
    n=$("$JSON" "$tmp/loud-b.json" count flags "kind=raised_voice")
    if [ "${n:-0}" -ge 1 ]; then pass; else fail "no raised_voice flag against the quieter stored baseline"; fi
fi

case_name="baseline build: usage errors and unusable calls"
run 2 baseline build "$tmp/calm.wav" -o "$tmp/x.baseline"
run 2 baseline build --agent "bad id" "$tmp/calm.wav" -o "$tmp/x.baseline"
run 2 baseline build --agent a "$tmp/calm.wav"
run 2 baseline frobnicate
printf 'not audio' >"$tmp/junk.wav"
run 4 baseline build --agent a "$tmp/junk.wav" "$tmp/calm.wav" -o "$tmp/part.baseline" -q
if grep -qF "$tmp/junk.wav" "$tmp/err" && [ -f "$tmp/part.baseline" ]; then pass; else
    fail "a bad call should be named and skipped, the baseline still written: $(cat "$tmp/err")"
fi
run 4 baseline build --agent a "$tmp/junk.wav" -o "$tmp/none.baseline" -q
if [ ! -e "$tmp/none.baseline" ]; then pass; else fail "a baseline was written from no usable call"; fi
printf 'schema = callscope.baseline/1\nagent = a\nlevel_db = loud\n' >"$tmp/bad.baseline"
run 2 analyze "$tmp/calm.wav" --baseline "$tmp/bad.baseline"
if grep -qF "bad.baseline:3" "$tmp/err"; then pass; else fail "bad baseline line not named: $(cat "$tmp/err")"; fi
run 2 analyze "$tmp/calm.wav" --baseline "$tmp/missing.baseline"

case_name="train-tone: a model from labelled calm and tense stretches"
{
    echo "path,start_s,end_s,label,speaker"
    for t in 1 12 23 34 60 71 82; do echo "tense.wav,$t,$((t + 5)),calm,agent"; done
    for t in 50 52 54 56; do echo "tense.wav,$t,$((t + 2)),tense,agent"; done
    echo "tense.wav,57,58.5,angry,agent"
    echo "\"tense.wav\",7,11,calm,customer"
} >"$tmp/labels.csv"
if run 0 train-tone "$tmp/labels.csv" -o "$tmp/my.model"; then
    if grep -q '^# callscope tone model, made by' "$tmp/my.model" && grep -q '^level = ' "$tmp/my.model"; then pass; else
        fail "model file: $(cat "$tmp/my.model")"
    fi
    # louder must mean more aroused
    lw=$(sed -n 's/^level = //p' "$tmp/my.model")
    if awk -v w="$lw" 'BEGIN { exit !(w > 0) }'; then pass; else fail "level weight $lw is not positive"; fi
    if run 0 analyze "$tmp/tense.wav" --json "$tmp/tense-m.json" --tone-model "$tmp/my.model"; then
        expect_get "$tmp/tense-m.json" meta/tone_model trained
        expect_near "$tmp/tense-m.json" tracks/agent/arousal/104 0.9 0.1
    fi
fi
printf 'path,start_s,end_s,label\ntense.wav,1,6,calm\n' >"$tmp/few.csv"
run 4 train-tone "$tmp/few.csv" -o "$tmp/few.model"
if [ ! -e "$tmp/few.model" ]; then pass; else fail "a model was written from too few labels"; fi
printf 'file,from,to\n' >"$tmp/nohead.csv"
run 2 train-tone "$tmp/nohead.csv" -o "$tmp/x.model"
printf 'path,start_s,end_s,label\ntense.wav,5,1,calm\n' >"$tmp/badrow.csv"
run 2 train-tone "$tmp/badrow.csv" -o "$tmp/x.model"
if grep -qF "badrow.csv:2" "$tmp/err"; then pass; else fail "bad label row not named: $(cat "$tmp/err")"; fi
printf 'bias = 0\nloudness = 1\n' >"$tmp/bad.model"
run 2 analyze "$tmp/calm.wav" --tone-model "$tmp/bad.model"

# ---- golden report -------------------------------------------------------
case_name="golden report of the scripted 30 s call (8 kHz mu-law)"
gen everything "$tmp/everything.wav" --rate 8000 --format ulaw
if [ ! -f "$GOLDEN_DIR/everything.json" ]; then
    skip "no $GOLDEN_DIR/everything.json yet: the golden file is written by tests/update-golden.sh once the analysis gives the right events on this call"
elif run 0 analyze "$tmp/everything.wav" --json "$tmp/everything.json"; then
    if "$JSONCMP" "$GOLDEN_DIR/everything.json" "$tmp/everything.json" >"$tmp/cmp" 2>&1; then pass; else
        fail "report differs from $GOLDEN_DIR/everything.json (run tests/update-golden.sh after an intended change):"
        cat "$tmp/cmp"
    fi
fi

finish
