#!/bin/sh
# Live mode end to end on a machine with no sound card: PortAudio captures a
# generated call through the ALSA "file" plugin (an .asoundrc whose default
# capture device reads a raw file, faster than real time, then silence), and
# the events and the final report are checked against the batch analysis of
# the same audio. Then the same calls replayed with --replay, in real time
# (and faster with --speed), and a device that cannot be had.
#
# Environment as tests/test_cli.sh. Ends with "test_live: N passed, N failed".

TEST_NAME=test_live
. tests/harness.sh


# The interruption call (7 s, 16 kHz, stereo PCM16): the data of a canonical
# 44-byte WAV header is the raw stream the plugin wants. It is captured at
# 16 kHz, above the analysis rate, so the live path resamples it; the calls
# further down are captured at the default rate, the analysis rate (8 kHz).
gen interruption "$tmp/call.wav" --rate 16000
tail -c +45 "$tmp/call.wav" >"$tmp/call.raw"
mkdir -p "$tmp/home"
cat >"$tmp/home/.asoundrc" <<ASOUND
pcm.!default {
    type file
    slave.pcm "null"
    file "/dev/null"
    infile "$tmp/call.raw"
    format "raw"
}
ASOUND
live() { HOME=$tmp/home run "$@"; }

# feed RAW: make RAW the audio the default capture device hears.
feed() {
    sed "s|infile .*|infile \"$1\"|" "$tmp/home/.asoundrc" >"$tmp/asoundrc.new" && mv "$tmp/asoundrc.new" "$tmp/home/.asoundrc"
}

# cues EVENTS: "name time" per cue on the stream.
cues() {
    sed -n 's/^{"t_s": \([0-9.]*\), "type": "cue", "cue": "\([a-z_]*\)".*/\2 \1/p' "$1"
}

# cue_at EVENTS NAME LO HI: the cue NAME came once, between LO and HI s of audio.
cue_at() {
    t=$(cues "$1" | awk -v n="$2" '$1 == n { print $2 }')
    if [ "$(printf '%s\n' "$t" | grep -c .)" = 1 ] && awk -v t="$t" -v lo="$3" -v hi="$4" 'BEGIN { exit !(t >= lo && t <= hi) }'; then
        pass
    else
        fail "$2 cue at '$t', want once within $3..$4 s"
    fi
}

case_name="devices lists the default capture device"
if live 0 devices; then
    check "default marked" grep -q "^ *[0-9]\*  *default" "$tmp/out"
fi

case_name="a 7 s call heard live: ticks, the flag, the report"
if live 0 live --rate 16000 --events "$tmp/events.jsonl" --json "$tmp/live.json" --duration 7 -q; then
    same "ticks every 0.5 s" "$(grep -c '"type": "tick"' "$tmp/events.jsonl")" 14
    check "first tick at 0.5 s" sh -c "head -1 '$tmp/events.jsonl' | grep -q '\"t_s\": 0.50'"
    bad=0
    while IFS= read -r line; do
        printf '%s\n' "$line" >"$tmp/line.json"
        "$JSON" "$tmp/line.json" || bad=$((bad + 1))
    done <"$tmp/events.jsonl"
    same "event lines that are not one JSON object each" $bad 0
    same "the interruption flag on the stream" "$(grep -c '"kind": "interrupted_customer"' "$tmp/events.jsonl")" 1
    run 0 analyze "$tmp/call.wav" --json "$tmp/batch.json" -q
    for path in call/score call/flag_count per_speaker/agent/talk_s per_speaker/customer/talk_s \
        per_speaker/agent/interruptions_made per_speaker/agent/pitch_median_hz source/duration_s; do
        expect_near "$tmp/live.json" "$path" "$("$JSON" "$tmp/batch.json" get "$path")" 0.011
    done
    expect_count "$tmp/live.json" segments "" "$("$JSON" "$tmp/batch.json" count segments)"
    check "live report says where the audio came from" sh -c "'$JSON' '$tmp/live.json' get source/format | grep -q capture"
fi

# interrupt_at PID EVENTS T: Ctrl-C to PID once its event stream has reached
# T s of audio (its handler is in place by then), and its exit status checked.
interrupt_at() {
    tries=0
    while [ $tries -lt 300 ] && ! grep -q "\"t_s\": $3" "$2" 2>/dev/null; do
        sleep 0.1
        tries=$((tries + 1))
    done
    kill -INT "$1"
    wait "$1"
    same "exit status after Ctrl-C" $? 0
}

case_name="Ctrl-C ends the call and the report is still written"
HOME=$tmp/home "$BIN" live --rate 16000 --json "$tmp/stopped.json" --events "$tmp/stopped.jsonl" -q 2>"$tmp/err" &
interrupt_at $! "$tmp/stopped.jsonl" 7.00
check "report written" "$JSON" "$tmp/stopped.json"
check "it holds the call heard" sh -c "'$JSON' '$tmp/stopped.json' count flags | grep -q '^1$'"

# The call with one moment per cue (tests/scenes.h, sc_live_cues): the
# raised voice at 44 s, talking over the customer at 55 s, fast talk from
# 62 s, the customer's story from 75 s, the agent's monologue from 97 s.
gen live "$tmp/cues.wav" --rate 8000
tail -c +45 "$tmp/cues.wav" >"$tmp/cues.raw"
feed "$tmp/cues.raw"

case_name="the cues of a call heard live arrive at their moments"
if live 0 live --events "$tmp/cues.jsonl" --json "$tmp/cues.json" --record "$tmp/heard.wav" --duration 162 -q; then
    same "cues on the stream" "$(cues "$tmp/cues.jsonl" | awk '{ printf "%s ", $1 }')" \
        "lower_voice let_them_finish slow_down acknowledge ask_a_question "
    cue_at "$tmp/cues.jsonl" lower_voice 44.2 45.5
    cue_at "$tmp/cues.jsonl" let_them_finish 56.0 56.5
    cue_at "$tmp/cues.jsonl" slow_down 65.0 72.0
    cue_at "$tmp/cues.jsonl" acknowledge 90.0 90.5
    cue_at "$tmp/cues.jsonl" ask_a_question 142.0 142.5
    check "a tick names the cue on show" grep -q '"t_s": 45.50, "type": "tick".*"cue": "lower_voice"}' "$tmp/cues.jsonl"
    check "the voice flags of the running baseline" grep -q '"type": "flag", "kind": "raised_voice"' "$tmp/cues.jsonl"
    # The WAV's data chunk comes last: its bytes are the stream the device gave.
    tail -c "$(wc -c <"$tmp/cues.raw")" "$tmp/heard.wav" >"$tmp/heard.raw"
    check "the recording holds exactly the audio heard" cmp -s "$tmp/cues.raw" "$tmp/heard.raw"
fi

case_name="a recording replayed with analyze --events gives the same cues"
if run 0 analyze "$tmp/cues.wav" --events "$tmp/replay.jsonl" -q; then
    same "cue lines" "$(grep '"type": "cue"' "$tmp/replay.jsonl")" "$(grep '"type": "cue"' "$tmp/cues.jsonl")"
    same "tick lines" "$(grep -c '"type": "tick"' "$tmp/replay.jsonl")" 324
fi

case_name="one channel (the headset alone): the agent's own cues only"
gen live "$tmp/mono.wav" --rate 8000 --channels 1
tail -c +45 "$tmp/mono.wav" >"$tmp/mono.raw"
feed "$tmp/mono.raw"
if live 0 live --channels 1 --events "$tmp/mono.jsonl" --duration 162 -q; then
    cue_at "$tmp/mono.jsonl" lower_voice 44.2 45.5
    same "cues about the customer" "$(cues "$tmp/mono.jsonl" | grep -cE 'let_them_finish|acknowledge')" 0
    check "no customer in the ticks" sh -c "! grep -q '\"customer\": {' '$tmp/mono.jsonl'"
fi
feed "$tmp/cues.raw"

case_name="the panel on a terminal, plain with NO_COLOR, cue lines elsewhere"
if command -v script >/dev/null 2>&1; then
    HOME=$tmp/home TERM=xterm script -qc "'$BIN' live --duration 46" "$tmp/panel.txt" >/dev/null 2>&1
    check "panel redrawn in place" grep -q "$(printf '\033')\[6A" "$tmp/panel.txt"
    check "the cue on the panel" grep -q "cue .*Lower your voice" "$tmp/panel.txt"
    check "colours" grep -q "$(printf '\033')\[3[123]m" "$tmp/panel.txt"
    HOME=$tmp/home TERM=xterm NO_COLOR=1 script -qc "'$BIN' live --duration 46" "$tmp/plain.txt" >/dev/null 2>&1
    if check "NO_COLOR: still a panel" grep -q "tension" "$tmp/plain.txt"; then
        check "NO_COLOR: no colours" sh -c "! grep -q '$(printf '\033')\[3[123]m' '$tmp/plain.txt'"
    fi
else
    skip "no script(1) to give live a terminal"
fi
if live 0 live --duration 46; then
    check "no terminal: one line per cue" grep -q "^0:44.[0-9]  Lower your voice$" "$tmp/err"
    check "no terminal: no escapes" sh -c "! grep -q '$(printf '\033')' '$tmp/err'"
fi

# ---- a recording replayed through live mode ------------------------------------
now_ms() { echo $(($(date +%s%N) / 1000000)); }

case_name="live --replay: the 7 s call heard in real time, the same stream as analyze --events"
start=$(now_ms)
if run 0 live --replay "$tmp/call.wav" --events "$tmp/replayed.jsonl" --json "$tmp/replayed.json" -q; then
    elapsed=$(($(now_ms) - start))
    # A lower bound only: a busy machine may take longer, never less.
    check "7 s of audio took $elapsed ms, at least 6.3 s" test "$elapsed" -ge 6300
    run 0 analyze "$tmp/call.wav" --events "$tmp/batch-events.jsonl" -q
    same "cue lines" "$(grep '"type": "cue"' "$tmp/replayed.jsonl")" "$(grep '"type": "cue"' "$tmp/batch-events.jsonl")"
    same "flag lines" "$(grep '"type": "flag"' "$tmp/replayed.jsonl")" "$(grep '"type": "flag"' "$tmp/batch-events.jsonl")"
    check "the whole stream the same, ticks too" cmp -s "$tmp/replayed.jsonl" "$tmp/batch-events.jsonl"
    same "the interruption flag on it" "$(grep -c '"kind": "interrupted_customer"' "$tmp/replayed.jsonl")" 1
    same "the report names the recording" "$("$JSON" "$tmp/replayed.json" get source/path)" "$tmp/call.wav"
    same "and its format" "$("$JSON" "$tmp/replayed.json" get source/format)" "wav/pcm16"
    for path in call/score call/flag_count per_speaker/agent/talk_s per_speaker/customer/talk_s; do
        expect_near "$tmp/replayed.json" "$path" "$("$JSON" "$tmp/batch.json" get "$path")" 0.011
    done
fi

case_name="live --replay --speed 40: the cues of the 162 s call at their moments, in a fortieth of the time"
start=$(now_ms)
if run 0 live --replay "$tmp/cues.wav" --speed 40 --events "$tmp/fast.jsonl" -q; then
    elapsed=$(($(now_ms) - start))
    check "162 s of audio at 40 times took $elapsed ms, at least 3.6 s" test "$elapsed" -ge 3600
    same "cue lines as analyze --events" "$(grep '"type": "cue"' "$tmp/fast.jsonl")" "$(grep '"type": "cue"' "$tmp/replay.jsonl")"
    same "flag lines as analyze --events" "$(grep '"type": "flag"' "$tmp/fast.jsonl")" "$(grep '"type": "flag"' "$tmp/replay.jsonl")"
    same "tick lines" "$(grep -c '"type": "tick"' "$tmp/fast.jsonl")" 324
fi
if run 0 live --replay "$tmp/cues.wav" --speed 40 --duration 46; then
    check "the display: one line per cue" grep -q "^0:44.[0-9]  Lower your voice$" "$tmp/err"
fi

case_name="Ctrl-C ends a replay, and the report covers what was heard"
"$BIN" live --replay "$tmp/cues.wav" --json "$tmp/cut.json" --events "$tmp/cut.jsonl" -q 2>"$tmp/err" &
interrupt_at $! "$tmp/cut.jsonl" 1.00
d=$("$JSON" "$tmp/cut.json" get source/duration_s 2>/dev/null)
check "the report covers the seconds heard ($d s of 162)" awk -v d="$d" 'BEGIN { exit !(d >= 1 && d < 20) }'

case_name="no capture device: exit 1, and no events file"
live 1 live --device no-such-device --events "$tmp/nodevice.jsonl" --json "$tmp/nodevice.json" -q &&
    check "names the device" grep -q "live: no capture device named like 'no-such-device'" "$tmp/err"
check "no events file" test ! -e "$tmp/nodevice.jsonl"
check "no report" test ! -e "$tmp/nodevice.json"
live 1 live --device 99 --duration 1
# A machine with no sound card and no .asoundrc has no default input at all.
mkdir -p "$tmp/nocard"
if HOME=$tmp/nocard "$BIN" devices 2>/dev/null | grep -q "^no capture devices"; then
    HOME=$tmp/nocard run 1 live --events "$tmp/nodefault.jsonl" -q --duration 1 &&
        check "says there is no default device" grep -q "no default capture device" "$tmp/err"
    check "no events file" test ! -e "$tmp/nodefault.jsonl"
else
    skip "this machine has a capture device of its own"
fi

case_name="errors of use"
live 2 live --channels 3
live 2 live --duration 0
live 2 live --speed 2
live 2 live --replay "$tmp/call.wav" --speed 0
live 2 live --replay "$tmp/call.wav" --device 1
live 2 live --replay "$tmp/call.wav" --channels 1
live 4 live --replay "$tmp/no-such.wav" --events "$tmp/norec.jsonl" && check "names the recording" grep -q "no-such.wav" "$tmp/err"
check "no events file for an unusable recording" test ! -e "$tmp/norec.jsonl"

finish
