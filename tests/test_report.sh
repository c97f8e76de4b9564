#!/bin/sh
# The coach's outputs end to end: flags on generated calls through the whole
# tool, the HTML report (its structure, its safety with a hostile file name,
# and, in headless Chromium, what a browser makes of it), and the exports
# (RTTM, Audacity labels, flags CSV) against their formats.
#
# Environment as tests/test_cli.sh. Chromium ("chromium" or CHROMIUM=path)
# renders the page; without it those checks are skipped, unless
# CS_REQUIRE_CHROMIUM=1 (as in CI), which makes its absence a failure.
# Ends with "test_report: N passed, N failed".

TEST_NAME=test_report
. tests/harness.sh

count_of() { # count_of FILE PATTERN: occurrences of a fixed string
    grep -oF -- "$2" "$1" | wc -l | tr -d ' '
}

# ---- flags through the whole tool ------------------------------------------
case_name="a calm, balanced call: no flag of any kind, score 100"
gen calm "$tmp/calm.wav" --rate 8000 --format ulaw
if run 0 analyze "$tmp/calm.wav" --json "$tmp/calm.json" --fail-on-flags; then
    expect_count "$tmp/calm.json" flags "" 0
    expect_near "$tmp/calm.json" call/score 100 0.01
    check "summary says no flags" grep -q "no flags" "$tmp/out"
fi

case_name="a customer's 24 s story with no sign of listening"
gen story "$tmp/story.wav" --rate 8000
if run 0 report "$tmp/story.wav" --json "$tmp/story.json" --html "$tmp/story.html" --rttm "$tmp/story.rttm" \
    --labels "$tmp/story.txt" --csv "$tmp/story.csv"; then
    check "report prints nothing" test ! -s "$tmp/out"
    expect_count "$tmp/story.json" flags "kind=no_acknowledgement" 1
    expect_near "$tmp/story.json" "flags/?kind=no_acknowledgement/start_s" 2.0 0.25
    expect_near "$tmp/story.json" "flags/?kind=no_acknowledgement/details/story_s" 24 0.5
    check "message quotes the story length" grep -q "the customer spoke for 24 s" "$tmp/story.json"
    expect_near "$tmp/story.json" call/score 96.5 3.5
fi

case_name="analyze prints the top flags with their tips"
gen interruption "$tmp/int.wav"
if run 0 analyze "$tmp/int.wav"; then
    check "summary lists the flag" grep -q "interrupted_customer" "$tmp/out"
    check "summary gives the tip" grep -q "tip: Let the customer finish" "$tmp/out"
    check "summary gives the score" grep -q "call score" "$tmp/out"
fi

# ---- exports against their formats -----------------------------------------
case_name="RTTM: one SPEAKER line of ten fields per segment"
segments=$("$JSON" "$tmp/story.json" count segments "")
lines=$(wc -l <"$tmp/story.rttm" | tr -d ' ')
check "RTTM has $lines lines for $segments segments" test "$lines" = "$segments"
bad=$(awk '!($1 == "SPEAKER" && NF == 10 && $2 == "story" && $3 == "1" && $4 ~ /^[0-9]+\.[0-9]+$/ &&
    $5 ~ /^[0-9]+\.[0-9]+$/ && $5 > 0 && $6 == "<NA>" && $7 == "<NA>" && ($8 == "agent" || $8 == "customer") &&
    $9 == "<NA>" && $10 == "<NA>")' "$tmp/story.rttm")
check "malformed RTTM lines: $bad" test -z "$bad"

case_name="Audacity labels: start<TAB>end<TAB>text, start <= end, flags and events"
bad=$(awk -F '\t' '!(NF == 3 && $1 ~ /^[0-9]+\.[0-9]+$/ && $2 ~ /^[0-9]+\.[0-9]+$/ && $1 + 0 <= $2 + 0 && length($3) > 0)' \
    "$tmp/story.txt")
check "malformed label lines: $bad" test -z "$bad"
events=$("$JSON" "$tmp/story.json" count events "")
flags=$("$JSON" "$tmp/story.json" count flags "")
lines=$(wc -l <"$tmp/story.txt" | tr -d ' ')
check "labels: $lines lines for $events events and $flags flags" test "$lines" = $((events + flags))
check "labels sorted by start" sh -c "cut -f1 '$tmp/story.txt' | sort -n -c"
check "the flag is labelled" grep -q "flag no_acknowledgement" "$tmp/story.txt"

case_name="flags CSV: header, one row per flag, RFC 4180 quoting"
check "CSV header" sh -c "head -n 1 '$tmp/story.csv' | grep -q '^kind,speaker,start_s,end_s,severity,message,tip,measure_name,measure,context_name,context,count'"
rows=$(wc -l <"$tmp/story.csv" | tr -d ' ')
check "CSV has $rows lines for $flags flags" test "$rows" = $((flags + 1))
check "rows end in CRLF" sh -c "tail -n 1 '$tmp/story.csv' | od -c | grep -q '\\\\r  \\\\n'"
# The tip holds quotes and commas: quoted, quotes doubled.
check "quoted tip" grep -qF '"Acknowledge while the customer explains (""I see"", ""right"", ""okay""), then' "$tmp/story.csv"

# ---- the HTML report ---------------------------------------------------------
case_name="HTML report: self-contained, one marker per flag and one bar per segment in the overview"
html=$tmp/story.html
check "the page was written" test -s "$html" &&
    check "no network address in the page" sh -c "! grep -qE 'https?://|src=\"//|href=\"//' '$html'"
check "a Content-Security-Policy" grep -q 'http-equiv="Content-Security-Policy" content="default-src '"'none'" "$html"
overview=$(sed -n '/<svg id="overview"/,/<\/svg>/p' "$html")
printf '%s\n' "$overview" >"$tmp/overview.svg"
check "overview flag markers" test "$(count_of "$tmp/overview.svg" 'class="flag-marker"')" = "$flags"
check "overview speech bars" test "$(count_of "$tmp/overview.svg" 'class="speech ')" = "$segments"
check "flag list items" test "$(count_of "$html" 'class="flag-item')" = "$flags"
check "a player pointing at the recording, by its relative then its absolute path" \
    grep -qF "<audio id=\"audio\" controls preload=\"none\"><source src=\"story.wav\"><source src=\"file://$(cd "$tmp" && pwd -P)/story.wav\">" "$html"
check "the tip" grep -q "Acknowledge while the customer explains" "$html"
check "print stylesheet" grep -q "@media print" "$html"

case_name="HTML report: each laughter event is a band under its speaker's lane, overview and rows alike"
gen friendly "$tmp/friendly.wav" --rate 8000 --format ulaw
if run 0 report "$tmp/friendly.wav" --json "$tmp/friendly.json" --html "$tmp/friendly.html"; then
    laughs=$(count_of "$tmp/friendly.json" '"type": "laughter"')
    check "laughter found" test "$laughs" -ge 2
    # one band per event in the overview and one in the minute row that holds
    # it, and the legend's swatch
    check "laughter bands" test "$(count_of "$tmp/friendly.html" 'class="laughter"')" = "$((2 * laughs + 1))"
    check "both laughers named" sh -c "grep -q '<title>agent laughing</title>' '$tmp/friendly.html' &&
        grep -q '<title>customer laughing</title>' '$tmp/friendly.html'"
fi

case_name="HTML report in another directory points back at the recording"
mkdir -p "$tmp/reports/june"
if run 0 report "$tmp/int.wav" --html "$tmp/reports/june/int.html"; then
    check "relative player path" grep -q 'src="../../int.wav"' "$tmp/reports/june/int.html"
fi

case_name="--embed-audio puts the recording in the page"
if run 0 report "$tmp/int.wav" --html "$tmp/int-embed.html" --embed-audio; then
    check "data URI" grep -q 'src="data:audio/wav;base64,UklGR' "$tmp/int-embed.html"
    # The same bytes: 16-bit PCM WAV plays everywhere, so it goes in as it is.
    sed -n 's/.*src="data:audio\/wav;base64,\([^"]*\)".*/\1/p' "$tmp/int-embed.html" | base64 -d >"$tmp/int-embedded.wav"
    check "the recording as it is" cmp -s "$tmp/int.wav" "$tmp/int-embedded.wav"
fi

# An AU file of the interruption call (16-bit big-endian PCM; browsers play no
# AU), written here from the WAV's samples: a 24-byte header, then the data.
be32() { # be32 N: four bytes, most significant first
    for shift in 24 16 8 0; do
        # shellcheck disable=SC2059
        printf "\\$(printf '%03o' $(($1 >> shift & 255)))"
    done
}
gen interruption "$tmp/int16k.wav" --rate 16000
au_bytes=$(($(wc -c <"$tmp/int16k.wav") - 44))
{
    printf '.snd'
    be32 24
    be32 "$au_bytes"
    be32 3 # 16-bit linear PCM
    be32 16000
    be32 2
    tail -c +45 "$tmp/int16k.wav" | dd conv=swab 2>/dev/null
} >"$tmp/int.au"

case_name="an AU recording: embedded as 16-bit WAV, linked with a plain word that browsers cannot play it"
if run 0 report "$tmp/int.au" --html "$tmp/au-embed.html" --json "$tmp/au.json" --embed-audio; then
    same "read as AU" "$("$JSON" "$tmp/au.json" get source/format)" "au/pcm16"
    check "a WAV copy in the page" grep -q 'src="data:audio/wav;base64,UklGR' "$tmp/au-embed.html"
    check "the page says so" grep -q "(au/pcm16, a format not every browser plays) is in the page as 16-bit WAV" \
        "$tmp/au-embed.html"
    sed -n 's/.*src="data:audio\/wav;base64,\([^"]*\)".*/\1/p' "$tmp/au-embed.html" | base64 -d >"$tmp/au-copy.wav"
    # The copy holds the same samples: its analysis is the original's.
    if run 0 analyze "$tmp/au-copy.wav" --json "$tmp/au-copy.json" -q; then
        same "the copy's format" "$("$JSON" "$tmp/au-copy.json" get source/format)" "wav/pcm16"
        same "the copy's score" "$("$JSON" "$tmp/au-copy.json" get call/score)" "$("$JSON" "$tmp/au.json" get call/score)"
        same "the copy's segments" "$("$JSON" "$tmp/au-copy.json" count segments)" "$("$JSON" "$tmp/au.json" count segments)"
    fi
fi
if run 0 report "$tmp/int.au" --html "$tmp/au-linked.html"; then
    check "no player for a format browsers cannot play" sh -c "! grep -q '<audio' '$tmp/au-linked.html'"
    check "and the page says why" grep -q "Browsers cannot play this recording's format (au/pcm16)" "$tmp/au-linked.html"
    check "no claim that a click plays anything" sh -c "! grep -q 'Click anywhere' '$tmp/au-linked.html'"
fi

case_name="every event has a play button, the customer's interruptions too"
gen everything "$tmp/everything.wav" --rate 8000
gen hold "$tmp/hold.wav" --rate 8000
gen heated "$tmp/heated.wav" --rate 8000
for call in everything hold heated friendly; do
    run 0 report "$tmp/$call.wav" --json "$tmp/$call.json" --html "$tmp/$call.html" || continue
    for type in interruption overtalk dead_air laughter hold backchannel overlap; do
        n=$("$JSON" "$tmp/$call.json" count events "type=$type")
        same "$call: $type play buttons" "$(grep -c "<li class=\"event\" data-kind=\"$type\"[^>]*><button class=\"play\" data-t=" "$tmp/$call.html")" "$n"
    done
done
for type in interruption overtalk dead_air laughter hold backchannel overlap; do
    n=$(cat "$tmp/everything.json" "$tmp/hold.json" "$tmp/heated.json" "$tmp/friendly.json" | grep -c "\"type\": \"$type\"")
    check "the four calls hold a $type ($n)" test "$n" -gt 0
done
n=$("$JSON" "$tmp/heated.json" count events "type=interruption&speaker=customer")
check "the customer interrupts in the heated call ($n)" test "$n" -gt 0
same "the customer's interruptions listed to play" \
    "$(grep -c '<li class="event" data-kind="interruption" data-speaker="customer"><button class="play"' "$tmp/heated.html")" "$n"

case_name="the curves have scales"
for unit in Hz dBFS; do
    same "rows with a $unit scale" "$(grep -c "<text class=\"unit\" x=\"4\" y=\"[0-9.]*\">$unit</text>" "$tmp/friendly.html")" 1
done
same "scale labels in the row (three per chart)" "$(grep -o '<text class="scale"' "$tmp/friendly.html" | wc -l | tr -d ' ')" 9
same "the pitch scale" "$(grep -o '<text class="scale" x="75.0" y="[0-9.]*">[0-9.-]*<' "$tmp/friendly.html" | sed 's/.*>//; s/<$//' | tr '\n' ' ')" \
    "100 200 400 -60 -30 0 0 0.5 1 "

case_name="a hostile file name is shown as text"
hostile_dir="$tmp/<script>alert(1)<"
mkdir -p "$hostile_dir"
hostile="$hostile_dir/script>.wav"
cp "$tmp/int.wav" "$hostile"
if run 0 report "$hostile" --html "$tmp/hostile.html"; then
    check "no raw script tag from the name" sh -c "! grep -qF '<script>alert(1)' '$tmp/hostile.html'"
    check "the name escaped" grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;.wav' "$tmp/hostile.html"
    check "one script element, ours" test "$(count_of "$tmp/hostile.html" '<script')" = 1
    check "player path percent-encoded" grep -qF 'src="%3Cscript%3Ealert%281%29%3C/script%3E.wav"' "$tmp/hostile.html"
fi

case_name="report option errors"
run 2 report "$tmp/int.wav"
run 2 analyze "$tmp/int.wav" --embed-audio
run 2 analyze "$tmp/int.wav" --html "$tmp/same" --csv "$tmp/same"
run 1 report "$tmp/int.wav" --html "$tmp/no/such/dir/r.html" --rttm "$tmp/r.rttm"
check "no output left behind when one cannot be written" test ! -e "$tmp/r.rttm"
printf 'dead_air.message = quiet {nonsense}\n' >"$tmp/bad.coaching"
run 2 analyze "$tmp/int.wav" --coaching "$tmp/bad.coaching"
printf 'interrupted_customer.tip = Breathe first.\n' >"$tmp/my.coaching"
if run 0 analyze "$tmp/int.wav" --json "$tmp/my.json" --coaching "$tmp/my.coaching" -q; then
    check "own tip used" grep -q '"tip": "Breathe first."' "$tmp/my.json"
fi

# ---- scan: pages asked for after the analysis -----------------------------------
case_name="scan --html after a scan draws the pages from the kept reports, analysing nothing again"
mkdir -p "$tmp/calls"
cp "$tmp/friendly.wav" "$tmp/story.wav" "$tmp/calls/"
# The calls' pages (the dashboard, index.html, is always written).
pages() { find "$1" -name '*.html' ! -name index.html | sort; }
if run 0 scan "$tmp/calls" --out "$tmp/scanned" -j2; then
    same "no pages without --html" "$(pages "$tmp/scanned")" ""
    find "$tmp/scanned" -name '*.json' -exec cat {} + >"$tmp/scanned.json-before"
    if run 0 scan "$tmp/calls" --out "$tmp/scanned" -j2 --html; then
        check "nothing analysed again" grep -q "^2 recordings up to date, not analysed again" "$tmp/out"
        check "the pages drawn from the reports" grep -q "^2 HTML reports drawn from the kept JSON reports" "$tmp/out"
        # The reports hold their run's own timings: the same bytes mean the same run.
        find "$tmp/scanned" -name '*.json' -exec cat {} + >"$tmp/scanned.json-after"
        check "the JSON reports untouched" cmp -s "$tmp/scanned.json-before" "$tmp/scanned.json-after"
        same "two pages" "$(pages "$tmp/scanned" | wc -l | tr -d ' ')" 2
        same "the summary lists them" "$("$BUILD/tests/csvq" "$tmp/scanned/summary.csv" col html | grep -c '\.html$')" 2
    fi
    # The same pages as a scan that analyses with --html from the start (the
    # two output folders sit side by side, so the relative paths agree too).
    if run 0 scan "$tmp/calls" --out "$tmp/scanned2" -j2 --html; then
        differ=0
        for page in $(cd "$tmp/scanned2" && find . -name '*.html' ! -name index.html); do
            sed 's/nonce[-=]"*[0-9a-f]*//g' "$tmp/scanned2/$page" >"$tmp/page.fresh"
            sed 's/nonce[-=]"*[0-9a-f]*//g' "$tmp/scanned/$page" >"$tmp/page.kept"
            cmp -s "$tmp/page.fresh" "$tmp/page.kept" || differ=$((differ + 1))
        done
        same "pages that differ from the ones drawn at analysis" "$differ" 0
    fi
    if run 0 scan "$tmp/calls" --out "$tmp/scanned" -j2 --html --embed-audio; then
        check "embedding draws them again" grep -q "^2 HTML reports drawn" "$tmp/out"
        same "pages with their recording in them" "$(grep -l 'src="data:audio/wav;base64,' $(pages "$tmp/scanned") | wc -l | tr -d ' ')" 2
    fi
    if run 0 scan "$tmp/calls" --out "$tmp/scanned" -j2 --html --embed-audio; then
        check "then they are up to date" sh -c "! grep -q 'HTML reports* drawn' '$tmp/out'"
    fi
    if run 0 scan "$tmp/calls" --out "$tmp/scanned" -j2 --html; then
        same "linked again" "$(grep -l '<source src=' $(pages "$tmp/scanned") | wc -l | tr -d ' ')" 2
    fi
    # A call analysed again without --html keeps no page of the old analysis.
    # Reports are replaced by renaming, so a report written again is a new file.
    report_inodes() { find "$tmp/scanned" -name '*.wav.json' | sort | xargs stat -c '%n %i'; }
    report_inodes >"$tmp/inodes-before"
    touch "$tmp/calls/story.wav"
    if run 0 scan "$tmp/calls" --out "$tmp/scanned" -j2; then
        same "the page left" "$(pages "$tmp/scanned" | sed 's|.*/||')" "friendly.wav.html"
    fi
    report_inodes >"$tmp/inodes-after"
    same "only that call analysed again" \
        "$(diff "$tmp/inodes-before" "$tmp/inodes-after" | grep '^>' | sed 's|.*/||; s| .*||')" "story.wav.json"
fi
run 2 scan "$tmp/calls" --out "$tmp/scanned" --embed-audio

# ---- in a browser ------------------------------------------------------------
case_name="headless Chromium renders the report"
chrome=${CHROMIUM:-}
if [ -z "$chrome" ]; then
    for c in chromium chromium-browser google-chrome; do
        if command -v "$c" >/dev/null 2>&1; then chrome=$c; break; fi
    done
fi
browse() { # browse OUT_PREFIX FILE EXTRA_ARGS...: runs Chromium headless on FILE
    prefix=$1 page=$2
    shift 2
    timeout 120 "$chrome" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$tmp/chrome" \
        --enable-logging=stderr --v=0 "$@" "file://$page" >"$prefix.out" 2>"$prefix.err"
}
if [ -z "$chrome" ]; then
    if [ "${CS_REQUIRE_CHROMIUM:-0}" = 1 ]; then fail "no Chromium found (install chromium)"; else skip "no Chromium"; fi
else
    browse "$tmp/dom" "$html" --dump-dom
    dom=$tmp/dom.out
    sed -n '/<svg id="overview"/,/<\/svg>/p' "$dom" >"$tmp/dom-overview.svg"
    check "DOM: flag markers ($flags)" test "$(count_of "$tmp/dom-overview.svg" 'class="flag-marker"')" = "$flags"
    check "DOM: speech bars ($segments)" test "$(count_of "$tmp/dom-overview.svg" 'class="speech ')" = "$segments"
    check "DOM: detail rows" test "$(count_of "$dom" 'class="row"')" = 1
    check "no policy violation or script error: $(grep -iE 'Content Security Policy|Uncaught' "$tmp/dom.err" | head -c 300)" \
        sh -c "! grep -qiE 'Content Security Policy|Uncaught' '$tmp/dom.err'"
    browse "$tmp/shot" "$html" --screenshot="$tmp/story.png" --window-size=1200,1600 --hide-scrollbars
    check "screenshot written" sh -c "head -c 8 '$tmp/story.png' | od -c | grep -q 'P   N   G'"
    size=$(wc -c <"$tmp/story.png" 2>/dev/null || echo 0)
    check "screenshot has content ($size bytes)" test "$size" -gt 30000

    browse "$tmp/hdom" "$tmp/hostile.html" --dump-dom
    check "hostile name: one script element in the DOM" test "$(count_of "$tmp/hdom.out" '<script')" = 1
    check "hostile name: shown as text" grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;.wav' "$tmp/hdom.out"
    # A script smuggled in by the name would be blocked by the page's policy, and logged.
    check "hostile name: no policy violation" sh -c "! grep -qi 'Content Security Policy' '$tmp/hdom.err'"
fi

# ---- playing the call in a browser -------------------------------------------
# tests/browser.py drives Chromium as a person would: real mouse clicks on the
# page, real time passing while the audio plays. Each command's answer is a
# line; the ones checked are tagged ("seek=...").
case_name="in the browser: a click seeks, the playhead moves, events play, a moved report finds its recording"
drive() { # drive NAME: the commands in $tmp/NAME.cmd, their answers in $tmp/NAME.ans
    timeout 300 python3 tests/browser.py "$chrome" "$tmp/chrome-$1" <"$tmp/$1.cmd" >"$tmp/$1.ans" 2>"$tmp/$1.err"
}
tagged() { # tagged NAME TAG: the answer tagged TAG
    sed -n "s/^\"$2=\(.*\)\"$/\1/p" "$tmp/$1.ans" | head -n 1
}
within() { # within DESCRIPTION VALUE LO HI
    if awk -v v="$2" -v lo="$3" -v hi="$4" 'BEGIN { exit !(v != "" && v + 0 >= lo && v + 0 <= hi) }'; then
        pass
    else
        fail "$1: '$2', want $3..$4"
    fi
}
at_time() { # at_time PAGE SVG_ID T Y: the fractions of the timeline's box at T seconds and Y SVG units down
    sed -n "s/.*<svg id=\"$2\" class=\"[^\"]*\" viewBox=\"0 0 \([0-9.]*\) \([0-9.]*\)\" data-t0=\"\([0-9.]*\)\" data-t1=\"\([0-9.]*\)\" data-x0=\"\([0-9.]*\)\" data-w=\"\([0-9.]*\)\".*/\1 \2 \3 \4 \5 \6/p" "$1" |
        awk -v t="$3" -v y="$4" '{ printf "%.5f %.5f\n", ($5 + (t - $3) / ($4 - $3) * $6) / $1, y / $2 }'
}
audio_js="document.getElementById('audio')"
# Resolves once the player knows the recording's length, or has given up on it.
loaded_js="new Promise(function(r){var a=$audio_js,m=document.getElementById('audio-missing');function done(){r('TAG='+a.duration+' error='+(a.error&&a.error.code)+' missing='+!m.hidden)}if(a.readyState>=1)done();else{a.addEventListener('loadedmetadata',done);setTimeout(done,10000)}})"
# Resolves once the page says the recording cannot be played, or after 10 s.
missing_js="new Promise(function(r){var m=document.getElementById('audio-missing'),n=0;(function poll(){if(!m.hidden||++n>100)r('TAG='+!m.hidden+' '+m.textContent);else setTimeout(poll,100)})()})"
playhead_js="(function(){var l=document.querySelector('#row-0-timeline .playhead');return 'TAG='+l.getAttribute('x1')+' '+l.getAttribute('visibility')+' '+$audio_js.currentTime.toFixed(3)})()"

# The report moved without its recording still plays it (by the absolute
# path); with the recording gone too, the page says where it looked.
mkdir -p "$tmp/site/rec" "$tmp/site/out"
cp "$tmp/friendly.wav" "$tmp/site/rec/friendly.wav"
cp "$tmp/friendly.wav" "$tmp/site/rec/gone.wav"
run 0 report "$tmp/site/rec/friendly.wav" --html "$tmp/site/out/moved.html"
run 0 report "$tmp/site/rec/gone.wav" --html "$tmp/site/out/gone.html"
check "the page points at ../rec/friendly.wav" grep -q '<source src="../rec/friendly.wav">' "$tmp/site/out/moved.html"
mkdir -p "$tmp/elsewhere"
mv "$tmp/site/out" "$tmp/elsewhere/out"
rm "$tmp/site/rec/gone.wav"

intr=$("$JSON" "$tmp/friendly.json" get 'events/?type=interruption&speaker=customer/start_s')
{
    echo "open $tmp/friendly.html"
    echo "eval $loaded_js" | sed 's/TAG=/loaded=/'
    echo "click #row-0-timeline $(at_time "$tmp/friendly.html" row-0-timeline 20 20)"
    echo "wait 0.4"
    echo "eval 'seek='+$audio_js.currentTime.toFixed(3)+' paused='+$audio_js.paused"
    echo "eval $playhead_js" | sed 's/TAG=/head1=/'
    echo "wait 1.5"
    echo "eval $playhead_js" | sed 's/TAG=/head2=/'
    echo "click #overview $(at_time "$tmp/friendly.html" overview 10 19)"
    echo "wait 0.3"
    echo "eval 'overview='+$audio_js.currentTime.toFixed(3)"
    echo "click li.event[data-kind=\"interruption\"][data-speaker=\"customer\"] button.play 0.5 0.5"
    echo "wait 0.3"
    echo "eval 'cut_in='+$audio_js.currentTime.toFixed(3)"
    echo "eval 'buttons='+document.querySelectorAll('li.event button.play[data-t]').length"
    echo "eval 'scales='+document.querySelectorAll('#row-0-timeline text.scale').length"
    echo "console"
    echo "open $tmp/elsewhere/out/moved.html"
    echo "eval $loaded_js" | sed 's/TAG=/moved=/'
    echo "open $tmp/elsewhere/out/gone.html"
    echo "eval $missing_js" | sed 's/TAG=/gone=/'
    echo "open $tmp/au-embed.html"
    echo "eval $loaded_js" | sed 's/TAG=/au=/'
} >"$tmp/play.cmd"
if ! command -v python3 >/dev/null 2>&1; then
    if [ "${CS_REQUIRE_CHROMIUM:-0}" = 1 ]; then fail "no python3 to drive Chromium"; else skip "no python3"; fi
elif drive play; then
    loaded=$(tagged play loaded)
    check "the player loads the recording next to the page: $loaded" sh -c "echo '$loaded' | grep -q '^40 error=null missing=false$'"
    seek=$(tagged play seek)
    within "a click at 0:20 of the row plays from there (then 0.4 s on)" "${seek% *}" 19.9 21.0
    same "and it plays" "${seek#* }" "paused=false"
    head1=$(tagged play head1)
    head2=$(tagged play head2)
    set -- $head1
    x1=$1 shown1=$2 t1=$3
    set -- $head2
    x2=$1 shown2=$2 t2=$3
    same "the playhead is shown" "$shown1 $shown2" "visible visible"
    # Real time, but a busy machine may play slower than it: only "on".
    within "the audio went on" "$(awk -v a="$t1" -v b="$t2" 'BEGIN { print b - a }')" 0.1 2.5
    within "the playhead moved with it (SVG units)" "$(awk -v a="$x1" -v b="$x2" 'BEGIN { print b - a }')" 1 40
    # 914 units are 60 s of the row, from x = 78.
    within "the playhead stands at the time played" "$(awk -v x="$x1" -v t="$t1" 'BEGIN { print x - (78 + t / 60 * 914) }')" -2 2
    within "and still does" "$(awk -v x="$x2" -v t="$t2" 'BEGIN { print x - (78 + t / 60 * 914) }')" -2 2
    within "a click at 0:10 of the overview plays from there" "$(tagged play overview)" 9.9 10.8
    within "the customer's interruption plays from 2 s before it ($intr s)" "$(tagged play cut_in)" \
        "$(awk -v t="$intr" 'BEGIN { print t - 2 }')" "$(awk -v t="$intr" 'BEGIN { print t - 1.2 }')"
    same "play buttons for every event" "$(tagged play buttons)" "$("$JSON" "$tmp/friendly.json" count events)"
    same "scale labels on the row's curves" "$(tagged play scales)" 9
    console_line=$(grep -n '^console$' "$tmp/play.cmd" | cut -d: -f1)
    same "no console message, error or policy violation" "$(sed -n "${console_line}p" "$tmp/play.ans")" "[]"
    moved=$(tagged play moved)
    check "the report moved away from its recording still plays it: $moved" \
        sh -c "echo '$moved' | grep -q '^40 error=null missing=false$'"
    gone=$(tagged play gone)
    check "a recording gone: the page says so, with the paths it tried: $gone" \
        sh -c "echo '$gone' | grep -qF 'true The recording was not found: the page looked for ../rec/gone.wav (relative to this report) and $(cd "$tmp" && pwd -P)/site/rec/gone.wav'"
    au=$(tagged play au)
    check "the AU recording embedded as WAV plays: $au" sh -c "echo '$au' | grep -q '^7 error=null missing=false$'"
else
    fail "driving Chromium failed: $(tail -c 400 "$tmp/play.err") $(grep '^error' "$tmp/play.ans" | head -3)"
fi

finish
