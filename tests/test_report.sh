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
check "a player pointing at the recording" grep -q '<audio id="audio" controls preload="metadata" src="story.wav">' "$html"
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
fi

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

finish
