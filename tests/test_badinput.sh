#!/bin/sh
# The bad-input corpus: recordings, outputs and operations that used to
# crash, hang, destroy a file or pass silently, each generated here with the
# exit status and the words of the message it must give. Broken and lying
# files, too-short recordings, endless and writerless inputs, devices and
# pipes as outputs, long and non-UTF-8 names, stuck workers, two scans in
# one folder, and the mono call in short track frames that once crashed.
#
# Environment as tests/test_cli.sh. Ends with "test_badinput: N passed, N failed".

TEST_NAME=test_badinput
. tests/harness.sh

CSVQ=$BUILD/tests/csvq
cases=0

# expect STATUS FRAGMENT ARGS...: callscope ARGS exits with STATUS and
# stderr holds FRAGMENT ("" for nothing to find). Each call is one case of
# the corpus.
expect() {
    want=$1
    words=$2
    shift 2
    cases=$((cases + 1))
    run "$want" "$@" </dev/null || return 1
    if [ -n "$words" ] && ! grep -qF -- "$words" "$tmp/err"; then
        fail "stderr lacks '$words': $(head -c 300 "$tmp/err")"
        return 1
    fi
    pass
}

# piped STATUS FRAGMENT PRODUCER ARGS...: the same with the producer's output on stdin.
piped() {
    want=$1
    words=$2
    producer=$3
    shift 3
    cases=$((cases + 1))
    sh -c "$producer" 2>/dev/null | "$BIN" "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    same "exit status of $producer | callscope $*" "$got" "$want"
    [ -z "$words" ] || check "stderr holds '$words': $(head -c 300 "$tmp/err")" grep -qF -- "$words" "$tmp/err"
}

# in_json FILE FRAGMENT: the JSON report is valid and holds FRAGMENT.
in_json() {
    check "$1 is valid JSON" "$JSON" "$1" && check "$1 holds '$2'" grep -qF -- "$2" "$1"
}

d=$tmp/in
mkdir -p "$d"
gen interruption "$d/call.wav" --rate 8000
# Long enough that analysing it takes a good part of a second in any build.
gen conversation "$d/long.wav" --rate 8000 --format ulaw --duration 600 --seed 4

# ---- recordings that cannot be used: exit 4, one line naming the reason ----
case_name="unusable recordings"
: >"$d/empty.wav"
expect 4 "empty file" analyze "$d/empty.wav"
printf 'RIFF\044\000\000\000WAVEfmt ' >"$d/cut-header.wav"
expect 4 "header" analyze "$d/cut-header.wav"
head -c 30 "$d/call.wav" >"$d/cut-30.wav"
expect 4 "header" analyze "$d/cut-30.wav"
printf 'speaker one: hello\nspeaker two: hi\n' >"$d/text.wav"
expect 4 "not an audio file (it contains text)" analyze "$d/text.wav"
head -c 4000 /dev/urandom >"$d/noise.wav"
expect 4 "$d/noise.wav:" analyze "$d/noise.wav"
printf '\211PNG\r\n\032\n\000\000\000\rIHDR' >"$d/image.flac"
expect 4 "$d/image.flac:" analyze "$d/image.flac"
gen header "$d/no-frames.wav" --rate 8000 --frames 0
expect 4 "no audio" analyze "$d/no-frames.wav"
gen header "$d/rate-2e9.wav" --rate 2000000000 --frames 10
expect 4 "sample rate" analyze "$d/rate-2e9.wav"
gen header "$d/rate-1.wav" --rate 1 --frames 10
expect 4 "sample rate" analyze "$d/rate-1.wav"
gen conversation "$d/rate-4000.wav" --rate 4000 --duration 2
expect 4 "outside 8000-48000 Hz" analyze "$d/rate-4000.wav"
gen header "$d/64-channels.wav" --rate 8000 --channels 64 --frames 10
expect 4 "channels" analyze "$d/64-channels.wav"
gen conversation "$d/three.wav" --rate 8000 --channels 3 --duration 2
expect 4 "--channel-map" analyze "$d/three.wav"
gen nan "$d/nan.wav" --rate 8000 --format float
expect 4 "NaN or infinite sample" analyze "$d/nan.wav"
gen inf "$d/inf.wav" --rate 8000 --format float
expect 4 "NaN or infinite sample" analyze "$d/inf.wav"
gen square "$d/clipped.wav" --rate 8000 --duration 3
expect 4 "clipped" analyze "$d/clipped.wav"
expect 4 "is a directory" analyze "$d"
expect 4 "cannot open" analyze "$d/missing.wav"
gen conversation "$d/mono.wav" --rate 8000 --channels 1 --duration 3
expect 4 "no channel 1" analyze "$d/mono.wav" --agent-channel 1
expect 4 "no channel 5" analyze "$d/call.wav" --channel-map agent=5,customer=0

# ---- lying, cut and too-short recordings: analysed, exit 0, with a warning --
case_name="lying, cut and too-short recordings warn"
size=$(wc -c <"$d/call.wav")
# The data chunk's size claims 16 MB of audio that is not there.
at=$(grep -boa data "$d/call.wav" | head -n 1 | cut -d: -f1)
{ head -c $((at + 4)) "$d/call.wav"; printf '\377\377\377\000'; tail -c +$((at + 9)) "$d/call.wav"; } >"$d/lying.wav"
expect 0 "truncated: header says" analyze "$d/lying.wav" --json "$tmp/lying.json" -q &&
    in_json "$tmp/lying.json" "truncated: header says"
head -c $((size / 3)) "$d/call.wav" >"$d/third.wav"
expect 0 "truncated: header says" analyze "$d/third.wav" --json "$tmp/third.json" -q &&
    in_json "$tmp/third.json" "truncated"
gen conversation "$d/talk.wav" --rate 8000 --duration 30 --seed 2
if command -v sox >/dev/null 2>&1 && sox "$d/talk.wav" -C 3 "$d/call.ogg" 2>/dev/null; then
    head -c $(($(wc -c <"$d/call.ogg") / 3)) "$d/call.ogg" >"$d/third.ogg"
    expect 0 "the Ogg stream stops without its end" analyze "$d/third.ogg" --json "$tmp/ogg.json" -q &&
        in_json "$tmp/ogg.json" "stops without its end"
    expect 0 "" analyze "$d/call.ogg" -q
    check "a whole Ogg file gives no warning" test ! -s "$tmp/err"
else
    skip "sox cannot write Ogg Vorbis here"
fi
gen header "$d/one-sample.wav" --rate 8000 --frames 1
expect 0 "too short: 0.000 s, under input.min_duration_s" analyze "$d/one-sample.wav" --json "$tmp/one.json" -q &&
    in_json "$tmp/one.json" "too short"
gen conversation "$d/10ms.wav" --rate 8000 --duration 0.01
expect 0 "too short: 0.010 s" analyze "$d/10ms.wav" -q
expect 0 "" analyze "$d/10ms.wav" -q --set input.min_duration_s=0
check "input.min_duration_s=0 asks for no warning" test ! -s "$tmp/err"

# ---- endless and writerless inputs ----------------------------------------
case_name="endless and writerless inputs"
piped 4 "input longer than the spool limit of 1 MB (--spool-limit)" "head -c 3000000 /dev/zero" analyze - --spool-limit 1
piped 4 "empty input" ": " analyze -
piped 0 "" "cat '$d/call.wav'" analyze - --json "$tmp/stdin.json" -q
expect 4 "/dev/zero: input longer than the spool limit of 2 MB" analyze /dev/zero --spool-limit 2
mkfifo "$d/nobody.wav"
expect 4 "named pipe: nothing written to it within 0.2 s (--input-wait)" analyze "$d/nobody.wav" --input-wait 0.2
mkfifo "$d/somebody.wav"
(sleep 0.3 && cat "$d/call.wav" >"$d/somebody.wav") &
expect 0 "" analyze "$d/somebody.wav" --json "$tmp/fifo-in.json" -q && in_json "$tmp/fifo-in.json" '"path"'
wait
expect 2 "--spool-limit" analyze "$d/call.wav" --spool-limit 0
expect 2 "--input-wait" analyze "$d/call.wav" --input-wait -1

# ---- outputs that are devices or pipes: written in place, never replaced --
case_name="device and pipe outputs"
o=$tmp/out-targets
mkdir -p "$o"
if [ "$(id -u)" -eq 0 ] && mknod "$o/null" c 1 3 2>/dev/null && mknod "$o/full" c 1 7 2>/dev/null; then
    null=$o/null
    full=$o/full
else
    null=/dev/null # a user cannot rename over it: what matters is that we do not try
    full=/dev/full
fi
expect 0 "" analyze "$d/call.wav" --json "$null" -q
check "$null is still a character device" test -c "$null"
expect 1 "cannot write: No space left on device" analyze "$d/call.wav" --json "$full" -q
check "$full is still a character device" test -c "$full"
check "no temporary beside $full" test -z "$(ls "$(dirname "$full")" | grep -F "$(basename "$full").tmp.")"
mkfifo "$o/pipe"
cat "$o/pipe" >"$tmp/from-pipe.json" &
expect 0 "" analyze "$d/call.wav" --json "$o/pipe" -q
wait
check "the pipe is still a pipe" test -p "$o/pipe"
check "the report came through the pipe" "$JSON" "$tmp/from-pipe.json"
expect 0 "" analyze "$d/call.wav" --json - -q
check "--json - is the report on stdout" "$JSON" "$tmp/out"
expect 1 "cannot write" analyze "$d/call.wav" --json "$tmp/no/such/folder/r.json" -q
expect 1 "Is a directory" analyze "$d/call.wav" --json "$tmp" -q

# ---- the crash on real input: a mono call in short track frames -----------
case_name="a mono call in 0.01 and 0.05 s track frames"
gen conversation "$d/mono-7s.wav" --rate 8000 --format ulaw --channels 1 --duration 7.5 --seed 1
expect 0 "" analyze "$d/mono-7s.wav" --json "$tmp/m1.json" -q --set tracks.hop_s=0.01 && in_json "$tmp/m1.json" '"diarized"'
expect 0 "" analyze "$d/mono-7s.wav" --json "$tmp/m5.json" -q --set tracks.hop_s=0.05 && in_json "$tmp/m5.json" '"diarized"'

# ---- names: long and not UTF-8 --------------------------------------------
case_name="long and non-UTF-8 names"
n=$(mktemp -d "$tmp/names.XXXXXX")
long=$(printf '%0251d' 0 | tr 0 a).wav
cp "$d/call.wav" "$n/$long"
bad=$(printf 'caf\351 call.wav')
cp "$d/call.wav" "$n/$bad"
expect 0 "" analyze "$n/$bad" --json "$tmp/bad.json" --html "$tmp/bad.html" --rttm "$tmp/bad.rttm" -q &&
    in_json "$tmp/bad.json" "caf$(printf '\357\277\275') call.wav"
check "the HTML report shows the name as the JSON does" grep -qF "caf$(printf '\357\277\275') call.wav" "$tmp/bad.html"
check "the RTTM id shows it as the JSON does" grep -qF "caf$(printf '\357\277\275')_call" "$tmp/bad.rttm"
expect 0 "" scan "$n" --out "$tmp/names-out" -q
if [ -f "$tmp/names-out/summary.csv" ]; then
    "$CSVQ" "$tmp/names-out/summary.csv" col path >"$tmp/paths"
    check "the row keeps the 255-byte name whole" grep -qxF "$n/$long" "$tmp/paths"
    check "the row shows the other name as the JSON does" grep -qF "caf$(printf '\357\277\275') call.wav" "$tmp/paths"
    "$CSVQ" "$tmp/names-out/summary.csv" col report >"$tmp/reports"
    all_open=yes
    while IFS= read -r r; do "$JSON" "$tmp/names-out/$r" || all_open=no; done <"$tmp/reports"
    same "every report named in the summary opens" "$all_open" yes
fi
expect 0 "0 to analyse" scan "$n" --out "$tmp/names-out"

# ---- scans: pipes and devices, stuck workers, two scans in one folder -----
case_name="a scan skips what is not a regular file"
s=$tmp/scan-in
mkdir -p "$s"
cp "$d/call.wav" "$s/good.wav"
mkfifo "$s/pipe.wav"
expect 4 "not a regular file (a named pipe); not read" scan "$s" /dev/zero --out "$tmp/scan-out" -q
expect 4 "not a regular file (a character device); not read" scan "$s" /dev/zero --out "$tmp/scan-out" --force -q
check "the good call is still analysed" grep -q '^.*good.wav,[0-9.]*,ok,' "$tmp/scan-out/summary.csv"

case_name="--timeout-per-call ends a stuck worker and records the row"
t=$tmp/slow
mkdir -p "$t"
cp "$d/long.wav" "$t/long.wav"
expect 4 "the analysis took longer than 0.1 s (--timeout-per-call) and was stopped" \
    scan "$t" --out "$tmp/slow-out" --timeout-per-call 0.1 -q
check "the row says so" grep -q 'long.wav,,error,the analysis took longer than 0.1 s' "$tmp/slow-out/summary.csv"
check "no temporary left" test -z "$(find "$tmp/slow-out" -name '*.tmp.*')"
expect 2 "--timeout-per-call" scan "$t" --out "$tmp/slow-out" --timeout-per-call soon

case_name="a second scan into the same folder refuses at once, or waits with --wait"
l=$tmp/lock-in
mkdir -p "$l"
for k in 1 2 3 4; do cp "$d/long.wav" "$l/long$k.wav"; done
# first_scan ARGS...: a scan in the background, busy for a second or more.
first_scan() {
    "$BIN" scan "$l" -q --timeout-per-call 0 -j 1 "$@" </dev/null >"$tmp/first.out" 2>"$tmp/first.err" &
    first=$!
    sleep 0.3
}
first_scan --out "$tmp/lock-out"
expect 1 "another scan is writing into this folder; wait for it, or give --wait" scan "$l" --out "$tmp/lock-out" -q
expect 0 "waiting for it to finish" scan "$l" --out "$tmp/lock-out" --wait
wait $first
same "the first scan's exit status" $? 0
first_scan --out "$tmp/lock-out" --shard 1/2 --force
# The same share first, while the first shard surely still runs.
expect 1 "another scan is writing into this folder (the same shard)" scan "$l" --out "$tmp/lock-out" -q --shard 1/2
expect 0 "" scan "$l" --out "$tmp/lock-out" -q --shard 2/2 --force
wait $first
same "the first shard's exit status" $? 0

case_name="the lock of a scan killed outright is recovered"
first_scan --out "$tmp/killed-out"
kill -9 $first 2>/dev/null
wait $first 2>/dev/null
expect 0 "" scan "$l" --out "$tmp/killed-out" -q

check "the corpus has at least 40 cases (got $cases)" test "$cases" -ge 40
finish
