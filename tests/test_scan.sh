#!/bin/sh
# The batch scan end to end: a generated folder of about 200 short calls with
# one file in ten broken, a scan killed with SIGKILL and restarted, skipping
# what is up to date, shards and their merge, the progress display.
#
# Environment as tests/test_cli.sh. Ends with "test_scan: N passed, N failed".

TEST_NAME=test_scan
. tests/harness.sh
CSVQ=$BUILD/tests/csvq
[ -x "$CSVQ" ] || { echo "tests/$TEST_NAME.sh: $CSVQ is missing"; echo "$TEST_NAME: 0 passed, 1 failed"; exit 1; }

col() { "$CSVQ" "$1" col "$2"; }
# The rows of a summary as "path<TAB>value of COLUMN".
pairs() { col "$1" path >"$tmp/p.1" && col "$1" "$2" >"$tmp/p.2" && paste "$tmp/p.1" "$tmp/p.2"; }

# ---- the corpus: 60 different calls (two of them with flags), each in three folders, and 22 odd files
corpus=$tmp/corpus
mkdir -p "$corpus/mon" "$corpus/tue/late" "$corpus/wed" "$corpus/bad" "$corpus/.snapshot"
i=1
while [ $i -le 60 ]; do
    case $i in
    58) gen interruption "$corpus/mon/call$i.wav" --rate 8000 ;;
    59) gen everything "$corpus/mon/call$i.wav" --rate 8000 ;;
    *) gen conversation "$corpus/mon/call$i.wav" --rate 8000 --format ulaw --duration 6 --seed $i ;;
    esac
    cp "$corpus/mon/call$i.wav" "$corpus/tue/late/call$i.wav"
    cp "$corpus/mon/call$i.wav" "$corpus/wed/call$i.wav"
    i=$((i + 1))
done
good=180
bad=$corpus/bad
for n in 1 2 3 4; do : >"$bad/empty$n.wav"; done
for n in 1 2 3; do head -c 30 "$corpus/mon/call$n.wav" >"$bad/cut-in-header$n.wav"; done
for n in 1 2 3; do printf 'call notes, not audio %s\n' $n >"$bad/notes$n.wav"; done
head -c 5000 /dev/urandom >"$bad/noise.flac"
printf '\211PNG\r\n\032\n%01000d' 0 >"$bad/picture.mp3"
printf 'RIFF\044\000\000\000WAVX%01000d' 0 >"$bad/not-wave.wav"
printf 'fLaC\000\000\000\042%01000d' 0 >"$bad/bad-stream.flac"
gen header "$bad/rate-2e9.wav" --rate 2000000000 --frames 100
gen header "$bad/rate-0.wav" --rate 0 --frames 100
gen header "$bad/channels-64.wav" --rate 8000 --channels 64 --frames 100
gen header "$bad/no-frames.wav" --rate 8000 --frames 0
gen nan "$bad/nan.wav"
gen inf "$bad/inf.wav"
failing=20
# Damaged but usable: the end of the data is missing; analysed, with a warning.
head -c 40000 "$corpus/mon/call7.wav" >"$corpus/wed/cut-short.wav"
head -c 30000 "$corpus/mon/call8.wav" >"$corpus/wed/cut-shorter.wav"
usable_damaged=2
# Not taken: hidden folders, other extensions.
cp "$corpus/mon/call1.wav" "$corpus/.snapshot/call1.wav"
echo "agenda" >"$corpus/mon/readme.txt"
total=$((good + failing + usable_damaged))

# ---- one whole scan ------------------------------------------------------
case_name="a folder of $total recordings, $failing of them broken"
out=$tmp/scan
if run 4 scan "$corpus" --out "$out" -j2; then
    sum=$out/summary.csv
    check "summary.csv is well-formed CSV" sh -c "'$CSVQ' '$sum' rows >/dev/null"
    same "rows in summary.csv" "$("$CSVQ" "$sum" rows)" $total
    same "the contract's columns first" "$("$CSVQ" "$sum" header | cut -d, -f1-19)" \
        "path,duration_s,status,error,agent_talk_share,agent_talk_s,customer_talk_s,overlap_s,silence_s,interruptions_by_agent,interruptions_by_customer,backchannels_by_agent,agent_pace_syl_per_s,agent_pitch_median_hz,agent_level_db,agent_calm_score,customer_calm_score,flag_count,score"
    same "ok rows" "$(col "$sum" status | grep -c '^ok$')" $((good + usable_damaged))
    same "error rows" "$(col "$sum" status | grep -c '^error$')" $failing
    same "every error row in the broken folder" "$(pairs "$sum" status | grep -c "^$bad/.*	error$")" $failing
    same "every error row says why" "$(pairs "$sum" error | awk -F'\t' '$1 ~ /\/bad\// && $2 != ""' | wc -l)" $failing
    check "hidden folders and other extensions not taken" \
        sh -c "! grep -q -e snapshot -e readme.txt '$sum'"
    # Every good call has a complete report, every broken one none.
    missing=0
    invalid=0
    for report in $(pairs "$sum" status | awk -F'\t' '$2 == "ok" {print $1}'); do
        key=${report#/}
        if [ ! -f "$out/reports/$key.json" ]; then missing=$((missing + 1)); continue; fi
        "$JSON" "$out/reports/$key.json" || invalid=$((invalid + 1))
    done
    same "ok rows without a report" $missing 0
    same "reports that are not valid JSON" $invalid 0
    same "reports of broken files" "$(find "$out/reports" -path '*/bad/*' -name '*.json' | wc -l | tr -d ' ')" 0
    same "temporary files left" "$(find "$out" -name '*.tmp.*' | wc -l | tr -d ' ')" 0
    # The reasons, by kind of damage.
    check "empty file named" sh -c "'$CSVQ' '$sum' col error | grep -q 'empty'"
    check "huge sample rate named" sh -c "grep 'rate-2e9' '$sum' | grep -q 'sample rate'"
    check "64 channels named" sh -c "grep 'channels-64' '$sum' | grep -q 'channel'"
    check "NaN named" sh -c "grep '/nan.wav' '$sum' | grep -q 'NaN'"
    # The damaged but usable ones: a report, and the warning in the row.
    same "short data chunks noted" "$(pairs "$sum" warnings | grep -c 'cut-short.*truncated')" 2
    # One recording in three folders: the same numbers from three workers.
    for c in call5 call17 call42; do
        rows=$(grep "/$c.wav," "$sum" | cut -d, -f2-19 | sort -u | wc -l | tr -d ' ')
        same "$c analysed alike in three folders" "$rows" 1
    done
    # The row carries the report's numbers.
    r=$out/reports/${corpus#/}/mon/call5.wav.json
    row=$(grep "/mon/call5.wav," "$sum")
    for pair in 2:source/duration_s 5:per_speaker/agent/talk_share 6:per_speaker/agent/talk_s \
        7:per_speaker/customer/talk_s 8:call/overlap_s 10:per_speaker/agent/interruptions_made \
        13:per_speaker/agent/pace_syl_per_s 18:call/flag_count 19:call/score; do
        field=${pair%%:*}
        path=${pair#*:}
        expect_near "$r" "$path" "$(echo "$row" | cut -d, -f"$field")" 0.0006
    done
    # Calm in points out of 100, as the coach's report shows it; the report's calm_score is 0-1.
    points=$(echo "$row" | cut -d, -f16)
    expect_near "$r" per_speaker/agent/calm_score "$(echo "$points" | awk '{print $1 / 100}')" 0.0006
    check "agent calm $points is in points out of 100" sh -c "echo '$points' | grep -Eq '^[0-9]{1,3}\.[0-9]\$'"
    # The queue: every analysed call, lowest score first.
    q=$out/queue.csv
    same "queue rows" "$("$CSVQ" "$q" rows)" $((good + usable_damaged))
    same "queue ranks 1..n" "$(col "$q" rank | tr '\n' ' ')" "$(seq 1 $((good + usable_damaged)) | tr '\n' ' ')"
    col "$q" score | grep -v '^$' >"$tmp/scores"
    check "queue sorted by score" sh -c "sort -n -c '$tmp/scores'"
    first=$(col "$q" path | head -1)
    check "the worst call's flags and times listed" \
        sh -c "grep -F '$first' '$q' | grep -Eq '[a-z_]+ [0-9]+:[0-9][0-9]\\.[0-9]'"
    check "closing summary names the worst calls" grep -q "worst calls" "$tmp/out"
    check "closing summary counts the errors" grep -q "$total recordings, .* $failing errors" "$tmp/out"
    check "an error line per broken file on stderr" \
        test "$(grep -c "callscope: $bad/" "$tmp/err")" -eq $failing
    cp "$sum" "$tmp/summary.first"
fi

# ---- run again: nothing to do, nothing rewritten --------------------------
case_name="a second scan skips what is up to date"
stamp=$(ls -l --time-style=+%s.%N "$out/reports/${corpus#/}/mon/call1.wav.json")
if run 4 scan "$corpus" --out "$out" -j2; then
    check "all up to date" grep -q "$total recordings up to date" "$tmp/out"
    same "report untouched" "$(ls -l --time-style=+%s.%N "$out/reports/${corpus#/}/mon/call1.wav.json")" "$stamp"
    check "same summary" cmp -s "$tmp/summary.first" "$out/summary.csv"
fi
case_name="a changed recording, changed settings, --force"
touch "$corpus/mon/call1.wav"
if run 4 scan "$corpus" --out "$out" -j2; then
    check "the touched one analysed again" grep -q "worked through 1 recording " "$tmp/out"
fi
if run 0 scan "$corpus/mon" --out "$tmp/out-mon" --set dead_air.flag_s=4 -q && \
    run 0 scan "$corpus/mon" --out "$tmp/out-mon" --set dead_air.flag_s=4.5; then
    check "new settings redo every call" grep -q "worked through 60 recordings" "$tmp/out"
fi
if run 0 scan "$corpus/wed/call1.wav" "$corpus/wed/call2.wav" --out "$tmp/out-two" -q && \
    run 0 scan "$corpus/wed/call1.wav" "$corpus/wed/call2.wav" --out "$tmp/out-two" --force; then
    check "--force redoes them" grep -q "worked through 2 recordings" "$tmp/out"
fi

# ---- SIGKILL midway, then restart ----------------------------------------
case_name="a scan killed with SIGKILL twice, restarted, equals one never stopped"
kc=$tmp/killcorpus
mkdir -p "$kc/a" "$kc/b"
gen conversation "$kc/a/long1.wav" --rate 8000 --duration 120 --seed 101
gen conversation "$kc/a/long2.wav" --rate 16000 --duration 90 --seed 102
gen interruption "$kc/a/short.wav"
: >"$kc/b/broken.wav"
n=1
while [ $n -le 16 ]; do
    cp "$kc/a/long1.wav" "$kc/b/copy$n.wav"
    cp "$kc/a/long2.wav" "$kc/b/other$n.wav"
    n=$((n + 1))
done
kill_after() { # kill_after RECORDS: start a -j1 scan, SIGKILL it once RECORDS records exist
    "$BIN" scan "$kc" --out "$tmp/killed" -j1 -q --html 2>/dev/null &
    pid=$!
    tries=0
    while [ "$(find "$tmp/killed" -name '*.scan' 2>/dev/null | wc -l)" -lt "$1" ] && [ $tries -lt 3000 ]; do
        sleep 0.01
        tries=$((tries + 1))
    done
    kill -9 $pid 2>/dev/null
    wait $pid
    echo $?
}
status=$(kill_after 4 2>/dev/null)
same "first scan died of SIGKILL" "$status" 137
sleep 0.2 # a worker orphaned by the kill would still be writing now
records=$(find "$tmp/killed" -name '*.scan' | wc -l | tr -d ' ')
check "killed midway ($records of 36 done)" test "$records" -lt 36
half=0
for f in $(find "$tmp/killed" -name '*.json'); do "$JSON" "$f" || half=$((half + 1)); done
same "half-written reports after the kill" $half 0
# A second kill a few records later (short of the last, even if the first came late).
second=$((records + 6))
[ $second -gt 35 ] && second=35
status=$(kill_after $second 2>/dev/null)
same "second scan died of SIGKILL" "$status" 137
if run 4 scan "$kc" --out "$tmp/killed" -j2 --html; then
    check "the restart skipped the finished ones" grep -q "recordings up to date" "$tmp/out"
fi
if run 4 scan "$kc" --out "$tmp/whole" -j2 --html; then
    check "same summary" cmp "$tmp/killed/summary.csv" "$tmp/whole/summary.csv"
    check "same queue" cmp "$tmp/killed/queue.csv" "$tmp/whole/queue.csv"
    (cd "$tmp/killed" && find . | sort) >"$tmp/files.killed"
    (cd "$tmp/whole" && find . | sort) >"$tmp/files.whole"
    check "the same files, no temporaries" cmp "$tmp/files.killed" "$tmp/files.whole"
    differ=0
    for f in $(cd "$tmp/whole" && find . -name '*.json'); do
        "$JSONCMP" --abs 0 --rel 0 "$tmp/whole/$f" "$tmp/killed/$f" >/dev/null || differ=$((differ + 1))
    done
    same "reports that differ (timings aside)" $differ 0
    for f in $(cd "$tmp/whole" && find . -name '*.scan'); do
        cmp -s "$tmp/whole/$f" "$tmp/killed/$f" || differ=$((differ + 1))
    done
    same "records that differ" $differ 0
fi

# ---- shards and merge ----------------------------------------------------
case_name="three shards into one folder, merged, equal the whole scan"
for k in 1 2 3; do
    "$BIN" scan "$corpus/mon" "$corpus/bad" --out "$tmp/sharded" --shard $k/3 -q 2>/dev/null
done
if run 4 scan "$corpus/mon" "$corpus/bad" --out "$tmp/unsharded" -q; then
    rows=0
    for k in 1 2 3; do rows=$((rows + $("$CSVQ" "$tmp/sharded/summary-$k-of-3.csv" rows))); done
    same "the shards cover every recording once" $rows 80
    check "no shard empty" sh -c "for k in 1 2 3; do [ \$('$CSVQ' '$tmp/sharded/summary-'\$k'-of-3.csv' rows) -gt 10 ] || exit 1; done"
    if run 4 merge "$tmp/sharded"; then
        check "merged summary equals the whole scan's" cmp "$tmp/sharded/summary.csv" "$tmp/unsharded/summary.csv"
        check "merged queue equals the whole scan's" cmp "$tmp/sharded/queue.csv" "$tmp/unsharded/queue.csv"
    fi
fi
case_name="shards in separate folders: reports found from the merged summary"
"$BIN" scan "$corpus/mon" --out "$tmp/h1" --shard 1/2 -q 2>/dev/null
"$BIN" scan "$corpus/mon" --out "$tmp/h2" --shard 2/2 -q 2>/dev/null
if run 0 merge --out "$tmp/merged" "$tmp/h1" "$tmp/h2"; then
    same "rows" "$("$CSVQ" "$tmp/merged/summary.csv" rows)" 60
    gone=0
    for f in $(col "$tmp/merged/summary.csv" report); do [ -f "$f" ] || gone=$((gone + 1)); done
    same "reports the merged summary cannot find" $gone 0
fi
case_name="a missing shard is reported"
run 4 merge --out "$tmp/merged-half" "$tmp/h1" && check "names the missing shard" grep -q "shard 2 of 2 is missing" "$tmp/err"

# ---- lists, extensions, HTML, errors of use ------------------------------
case_name="--files-from, NUL-separated, with a path that does not exist"
find "$corpus/wed" -name 'call1*.wav' -print0 >"$tmp/list0"
printf '%s\0' "$corpus/wed/gone.wav" >>"$tmp/list0"
if run 4 scan --files-from "$tmp/list0" -0 --out "$tmp/listed" -q; then
    same "rows" "$("$CSVQ" "$tmp/listed/summary.csv" rows)" 12
    check "the missing one is an error row" sh -c "grep 'gone.wav' '$tmp/listed/summary.csv' | grep -q ',error,'"
fi
case_name="--ext limits what folders give"
cp "$corpus/mon/call1.wav" "$corpus/mon/call1.WAV.flac" 2>/dev/null
if run 0 scan "$corpus/mon" --out "$tmp/ext" --ext flac --html -q; then
    same "only the .flac one" "$("$CSVQ" "$tmp/ext/summary.csv" rows)" 1
    check "its HTML report" test -s "$tmp/ext/reports/${corpus#/}/mon/call1.WAV.flac.html"
    same "html column" "$(col "$tmp/ext/summary.csv" html)" "reports/${corpus#/}/mon/call1.WAV.flac.html"
fi
rm -f "$corpus/mon/call1.WAV.flac"
case_name="usage errors"
run 2 scan "$corpus" && check "needs --out" grep -q -- "--out" "$tmp/err"
run 2 scan --out "$tmp/x" && check "needs recordings" grep -q "no recordings" "$tmp/err"
run 2 scan "$corpus" --out "$tmp/x" --shard 4/3
run 2 scan "$corpus" --out "$tmp/x" -j 0
run 2 merge "$tmp/nothing-here"

# ---- progress ------------------------------------------------------------
case_name="plain progress lines when stderr is not a terminal"
if run 0 scan "$corpus/wed" --out "$tmp/prog" --force --ext wav -j2; then
    : # wed has the two damaged files too
fi
if grep -q "scan: 62/62 files" "$tmp/err"; then pass; else fail "no final progress line: $(tail -2 "$tmp/err")"; fi
lines=$(grep -c "callscope: scan: [0-9]*/62 files" "$tmp/err")
check "about one line per tenth ($lines)" test "$lines" -ge 5 -a "$lines" -le 12
case_name="a progress bar on a terminal"
if command -v script >/dev/null 2>&1; then
    script -qec "$BIN scan '$corpus/tue' --out '$tmp/tty' -j2" /dev/null >"$tmp/tty.log" 2>&1
    check "bar redrawn in place" grep -q "$(printf '\r\033')\[K\[#*\.*\] [0-9]*/60 files" "$tmp/tty.log"
    check "with ETA and rate" grep -q "real time, 0 errors, ETA" "$tmp/tty.log"
else
    skip "no 'script' to give the scan a terminal"
fi

finish
