#!/bin/sh
# Live mode end to end on a machine with no sound card: PortAudio captures a
# generated call through the ALSA "file" plugin (an .asoundrc whose default
# capture device reads a raw file, faster than real time, then silence), and
# the events and the final report are checked against the batch analysis of
# the same audio.
#
# Environment as tests/test_cli.sh. Ends with "test_live: N passed, N failed".

TEST_NAME=test_live
. tests/harness.sh


# The interruption call (7 s, 16 kHz, stereo PCM16): the data of a canonical
# 44-byte WAV header is the raw stream the plugin wants.
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

case_name="devices lists the default capture device"
if live 0 devices; then
    check "default marked" grep -q "^ *[0-9]\*  *default" "$tmp/out"
fi

case_name="a 7 s call heard live: ticks, the flag, the report"
if live 0 live --events "$tmp/events.jsonl" --json "$tmp/live.json" --duration 7 -q; then
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

case_name="Ctrl-C ends the call and the report is still written"
HOME=$tmp/home "$BIN" live --json "$tmp/stopped.json" -q 2>"$tmp/err" &
pid=$!
sleep 1
kill -INT $pid
wait $pid
same "exit status after Ctrl-C" $? 0
check "report written" "$JSON" "$tmp/stopped.json"
check "it holds the call heard" sh -c "'$JSON' '$tmp/stopped.json' count flags | grep -q '^1$'"

case_name="errors of use"
live 4 live --device no-such-device --duration 1 && check "names the device" grep -q "no-such-device" "$tmp/err"
live 4 live --device 99 --duration 1
live 2 live --channels 3
live 2 live --duration 0

finish
