#!/bin/sh
# A simulated shift in live mode: PortAudio captures hours of a call through
# the ALSA "file" plugin (faster than real time), and the most memory the
# process ever held must be the same after SOAK_HOURS (default 8) as after 10
# minutes. Also prints the CPU live mode spent per second of audio.
#
#   make soak [SOAK_HOURS=8]      (needs SOAK_HOURS x 115 MB of scratch space)

TEST_NAME=live_soak
. tests/harness.sh

hours=${SOAK_HOURS:-8}
case_name="memory of a $hours-hour shift"

# A 2-minute stereo 8 kHz call (the default capture rate), repeated: the raw PCM the plugin reads.
gen conversation "$tmp/call.wav" --rate 8000 --duration 120 --seed 3
tail -c +45 "$tmp/call.wav" >"$tmp/call.raw"
repeat() {
    i=0
    while [ $i -lt "$1" ]; do cat "$tmp/call.raw"; i=$((i + 1)); done >"$2"
}
repeat 5 "$tmp/short.raw"
repeat $((hours * 30)) "$tmp/long.raw"

mkdir -p "$tmp/home"
# live_cost RAW SECONDS: runs live mode on RAW; prints its peak resident KiB
# and CPU seconds (tests/peakrss: wait4, so nothing is missed at the end).
live_cost() {
    cat >"$tmp/home/.asoundrc" <<ASOUND
pcm.!default {
    type file
    slave.pcm "null"
    file "/dev/null"
    infile "$1"
    format "raw"
}
ASOUND
    HOME=$tmp/home "$BUILD/tests/peakrss" "$BIN" live --duration "$2" -q --json "$tmp/report-$2.json" 2>"$tmp/err" ||
        echo "live mode failed: $(cat "$tmp/err")" >&2
}

set -- $(live_cost "$tmp/short.raw" 600)
short=${1:-0}
set -- $(live_cost "$tmp/long.raw" $((hours * 3600)))
long=${1:-0} cpu=${2:-0}
rm -f "$tmp/long.raw"
echo "live_soak: peak memory 10 min $short KiB, $hours h $long KiB"
check "10-minute run measured" [ "$short" -gt 0 ]
check "$hours-hour run measured" [ "$long" -gt 0 ]
# Flat: 48 times the audio within 1 MB (run-to-run scatter is a few hundred
# KB); keeping even one 100-byte record per half second would take 5.8 MB.
check "the $hours-hour run needs no more memory than 10 minutes (+1 MB)" [ "$long" -le $((short + 1024)) ]
for d in 600 $((hours * 3600)); do
    expect_near "$tmp/report-$d.json" source/duration_s "$d" 0.01
done
echo "live_soak: $cpu CPU-s for $((hours * 3600)) s of audio ($(awk -v c="$cpu" -v s=$((hours * 3600)) 'BEGIN { printf "%.2f", 100 * c / s }')% of one core at real time)"

finish
