#!/bin/sh
# Every time range the tool writes starts no later than it ends: on many
# generated calls (stereo and mono mixes, quick replies, busy conversations,
# short track frames, one speaker), in every output that carries ranges: the
# JSON report (events, flags, segments and anything else with start_s and
# end_s), the flags CSV, RTTM (no negative duration), the Audacity labels,
# and the HTML report (no band drawn with a negative width). Each call must
# also have ranges to check, so the test cannot pass on empty outputs.
#
# Environment as tests/test_cli.sh. Ends with "test_ranges: N passed, N failed".

TEST_NAME=test_ranges
. tests/harness.sh

CSVQ=$BUILD/tests/csvq

# ranges_hold NAME ARGS...: report the call with ARGS and check every output.
ranges_hold() {
    name=$1
    shift
    case_name="ranges in every output: $name"
    out=$tmp/$name
    run 0 report "$@" --json "$out.json" --html "$out.html" --csv "$out.csv" --rttm "$out.rttm" \
        --labels "$out.txt" || return
    n=$("$JSON" "$out.json" ranges 2>"$tmp/jerr")
    check "JSON ranges start <= end: $(head -c 300 "$tmp/jerr")" test -z "$(cat "$tmp/jerr")"
    check "JSON has ranges to check (got '$n')" test "${n:-0}" -gt 0
    "$CSVQ" "$out.csv" col start_s >"$out.starts" && "$CSVQ" "$out.csv" col end_s >"$out.ends"
    bad=$(paste "$out.starts" "$out.ends" | awk -F'\t' '$1 + 0 > $2 + 0')
    check "flags CSV start_s <= end_s: $bad" test -z "$bad"
    bad=$(awk '$5 + 0 < 0' "$out.rttm")
    check "RTTM durations >= 0: $bad" test -z "$bad"
    check "RTTM has segments" test -s "$out.rttm"
    bad=$(awk -F'\t' '$1 + 0 > $2 + 0' "$out.txt")
    check "labels start <= end: $bad" test -z "$bad"
    check "HTML draws no negative width" sh -c "! grep -q 'width=\"-' '$out.html'"
}

for seed in 1 2 3 4 5 6; do
    gen busy "$tmp/busy$seed.wav" --rate 8000 --format ulaw --duration 60 --seed $seed
    ranges_hold "busy$seed" "$tmp/busy$seed.wav"
    gen rushed "$tmp/rushed$seed.wav" --rate 8000 --format ulaw --seed $seed
    ranges_hold "rushed$seed" "$tmp/rushed$seed.wav"
done
for seed in 1 2 3; do
    gen busy "$tmp/mono$seed.wav" --rate 16000 --channels 1 --duration 60 --seed $seed
    ranges_hold "mono$seed" "$tmp/mono$seed.wav"
    ranges_hold "mono$seed-frames-0.01" "$tmp/mono$seed.wav" --set tracks.hop_s=0.01
    ranges_hold "mono$seed-one-speaker" "$tmp/mono$seed.wav" --one-speaker --set tracks.hop_s=0.05
done
for scene in everything interruption tense story monologue; do
    gen $scene "$tmp/$scene.wav" --rate 8000 --format ulaw
    ranges_hold "$scene" "$tmp/$scene.wav"
    ranges_hold "$scene-customer-first" "$tmp/$scene.wav" --agent-channel 1 --set tracks.hop_s=0.02
done
gen rushed "$tmp/rushed-upmix.wav" --rate 8000 --upmix 1 --seed 9
ranges_hold "rushed-upmix" "$tmp/rushed-upmix.wav"

finish
