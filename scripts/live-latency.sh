#!/bin/sh
# Live cue latency on generated calls (tests/scenes.h, sc_live_cues): for each
# seed, the call is replayed through the live view (analyze --events, which
# reads 20 ms blocks like a capture) and the time from the start of the
# raised voice (44 s) and of the fast talk (62 s) to their cues is taken.
#
#   sh scripts/live-latency.sh [BIN] [BUILD] [SEEDS]     (make latency)
BIN=${1:-./callscope}
case $BIN in */*) ;; *) BIN=./$BIN ;; esac
BUILD=${2:-build}
SEEDS=${3:-11}
dir=$(mktemp -d "${TMPDIR:-/tmp}/callscope-latency.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT INT TERM
s=1
while [ $s -le "$SEEDS" ]; do
    "$BUILD/tests/gencall" live "$dir/call.wav" --rate 8000 --seed $s || exit 1
    "$BIN" analyze "$dir/call.wav" --events "$dir/events.jsonl" -q || exit 1
    sed -n 's/^{"t_s": \([0-9.]*\), "type": "cue", "cue": "\([a-z_]*\)".*"decided_s": \([0-9.]*\),.*/\2 \1 \3/p' \
        "$dir/events.jsonl" >>"$dir/cues.txt"
    s=$((s + 1))
done
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) printf "%.2f s (%d cues, %.2f-%.2f s)", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2, NR, v[1], v[NR]; else printf "none" }'; }
# The moments are SC_LIVE_LOUD_S and SC_LIVE_FAST_S of tests/scenes.h; a cue
# before its moment is about something else and not counted.
loud_s=44 fast_s=62
echo "raised voice, start to cue: $(awk -v t=$loud_s '$1 == "lower_voice" && $2 >= t { print $2 - t }' "$dir/cues.txt" | median)"
echo "fast talk, start to cue:    $(awk -v t=$fast_s '$1 == "slow_down" && $2 >= t { print $2 - t }' "$dir/cues.txt" | median)"
echo "decision to event stream:   $(awk '{ print $2 - $3 }' "$dir/cues.txt" | median)"
