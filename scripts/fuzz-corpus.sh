#!/bin/sh
# Seed corpus for the fuzz target (make fuzz): small generated calls in each
# layout and encoding the decoder meets, plus the broken files the tests use.
#
#   sh scripts/fuzz-corpus.sh GENCALL OUTDIR
#
# Every seed stays under 64 KiB (the fuzzer's -max_len). With sox installed,
# the same call is also written as FLAC, Ogg Vorbis, AIFF and AU.
set -eu
gen=$1
out=$2
mkdir -p "$out"
"$gen" conversation "$out/ulaw-8k.wav" --rate 8000 --format ulaw --duration 2 --seed 1
"$gen" conversation "$out/pcm16-8k.wav" --rate 8000 --format pcm16 --duration 1.5 --seed 2
"$gen" conversation "$out/float-8k.wav" --rate 8000 --format float --duration 0.8 --seed 3
"$gen" conversation "$out/pcm16-16k.wav" --rate 16000 --format pcm16 --duration 0.8 --seed 4
"$gen" conversation "$out/mono.wav" --rate 8000 --format ulaw --channels 1 --duration 3 --seed 5
# Long enough for the separation to hold back hops until the end; the last
# byte (which the target reads as its settings) asks for 0.01 s track frames.
"$gen" conversation "$out/mono-short-frames.wav" --rate 8000 --format ulaw --channels 1 --duration 7.5 --seed 1
size=$(wc -c <"$out/mono-short-frames.wav")
printf '\001' | dd of="$out/mono-short-frames.wav" bs=1 seek=$((size - 1)) conv=notrunc 2>/dev/null
"$gen" conversation "$out/three-channels.wav" --rate 8000 --format ulaw --channels 3 --duration 1.5 --seed 6
"$gen" silence "$out/silence.wav" --rate 8000 --format ulaw --duration 3
"$gen" square "$out/square.wav" --rate 8000 --format ulaw --duration 2
"$gen" header "$out/header-only.wav" --rate 8000 --frames 10
"$gen" header "$out/rate-2e9.wav" --rate 2000000000 --frames 4
head -c 60 "$out/pcm16-8k.wav" >"$out/cut.wav"
printf 'not audio at all\n' >"$out/text.wav"
if command -v sox >/dev/null 2>&1; then
    sox "$out/pcm16-8k.wav" "$out/call.flac"
    sox "$out/pcm16-8k.wav" -C 0 "$out/call.ogg"
    sox "$out/pcm16-8k.wav" "$out/call.aiff"
    sox "$out/ulaw-8k.wav" "$out/call.au"
fi
