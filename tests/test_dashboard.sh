#!/bin/sh
# The reviewer's view of a batch scan end to end: call metadata from a
# manifest and from file names, per-agent baselines, the new summary columns
# against the reports, spreadsheet formulas neutralised, and the dashboard
# (index.html) in headless Chromium: it runs its script without an error or a
# policy violation, sorts and filters (through its address and through real
# clicks), and every link leads to a file.
#
# Environment as tests/test_cli.sh; Chromium as tests/test_report.sh
# (CHROMIUM=path, CS_REQUIRE_CHROMIUM=1 makes its absence a failure).
# Ends with "test_dashboard: N passed, N failed".

TEST_NAME=test_dashboard
. tests/harness.sh
CSVQ=$BUILD/tests/csvq
[ -x "$CSVQ" ] || { echo "tests/$TEST_NAME.sh: $CSVQ is missing"; echo "$TEST_NAME: 0 passed, 1 failed"; exit 1; }

col() { "$CSVQ" "$1" col "$2"; }
# value SUMMARY PATH_END COLUMN: the column of the row whose path ends so.
value() {
    col "$1" path >"$tmp/v.1" && col "$1" "$3" >"$tmp/v.2" &&
        paste "$tmp/v.1" "$tmp/v.2" | awk -F'\t' -v end="$2" 'substr($1, length($1) - length(end) + 1) == end { print $2 }'
}
count_of() { grep -oF -- "$2" "$1" | wc -l | tr -d ' '; }

# ---- the corpus: three agents over three days, named {agent}_{date}_{id} ----
calls=$tmp/calls
mkdir -p "$calls/nov" "$tmp/meta" "$tmp/baselines"
n=0
for agent in alex bo cy; do
    for day in 03 04 05; do
        n=$((n + 1))
        gen conversation "$calls/nov/${agent}_202611${day}_$n.wav" --rate 8000 --format ulaw --duration 12 --seed $n
    done
done
gen interruption "$calls/nov/bo_20261104_int.wav" --rate 8000
gen everything "$calls/nov/cy_20261105_all.wav" --rate 8000
gen hold "$calls/nov/alex_20261105_hold.wav" --rate 8000
# The customer speaks first and most: the role check's warning.
gen story "$calls/nov/bo_20261105_story.wav" --rate 8000
gen everything "$calls/nov/cy_20261103_mono.wav" --rate 8000 --channels 1
: >"$calls/nov/alex_20261104_empty.wav"
recordings=$((n + 6))

# The manifest lives elsewhere: its paths are relative to its own folder.
m=$tmp/meta/calls.csv
{
    printf 'path,agent,date,queue,team\r\n'
    for f in "$calls"/nov/*.wav; do
        b=$(basename "$f")
        agent=${b%%_*}
        rest=${b#*_}
        day=${rest%%_*}
        case $b in
        bo_20261104_int.wav) printf '../calls/nov/%s,"=cmd|'"'"' /C calc'"'"'!A0",%s,billing,north\r\n' "$b" "$day" ;;
        cy_20261105_all.wav) printf '../calls/nov/%s,<script>alert(1)</script>,%s,sales,south\r\n' "$b" "$day" ;;
        *) printf '../calls/nov/%s,%s,%s,%s,%s\r\n' "$b" "$agent" "$day" "$([ "$agent" = cy ] && echo sales || echo billing)" north ;;
        esac
    done
    printf '../calls/nov/gone.wav,alex,20261106,billing,north\r\n'
} >"$m"

# ---- a scan with a manifest ---------------------------------------------------
case_name="scan with --manifest: metadata in the summary, the reports, the queue"
out=$tmp/scan
if run 4 scan "$calls" --manifest "$m" --out "$out" --html -j2; then
    sum=$out/summary.csv
    check "the dashboard written" test -s "$out/index.html"
    check "the closing lines name it" grep -q "index.html" "$tmp/out"
    same "rows" "$("$CSVQ" "$sum" rows)" $recordings
    check "metadata columns after the others" sh -c "'$CSVQ' '$sum' header | grep -q ',agent,date,queue,.*,flags_dead_air,meta_team\$'"
    same "agent from the manifest" "$(value "$sum" /alex_20261103_1.wav agent)" alex
    same "date as ISO 8601" "$(value "$sum" /alex_20261103_1.wav date)" 2026-11-03
    same "queue" "$(value "$sum" /cy_20261104_8.wav queue)" sales
    same "an extra column carried through" "$(value "$sum" /cy_20261104_8.wav meta_team)" north
    same "metadata kept on an error row" "$(value "$sum" /alex_20261104_empty.wav agent)" alex
    check "the missing file named with its manifest row" grep -q "calls.csv, row $((recordings + 2)): .*gone.wav: No such file" "$tmp/err"
    r=$out/reports/${calls#/}/nov/alex_20261103_1.wav.json
    same "the report's metadata" "$("$JSON" "$r" get metadata/agent) $("$JSON" "$r" get metadata/date) $("$JSON" "$r" get metadata/team)" \
        "alex 2026-11-03 north"
    check "the queue names the agent" sh -c "'$CSVQ' '$out/queue.csv' col agent | grep -qx bo"
fi

case_name="spreadsheet formulas neutralised, numbers kept"
check "the formula stored as text" grep -qF ",'=cmd|' /C calc'!A0," "$sum"
same "and read back as it was" "$(value "$sum" /bo_20261104_int.wav agent)" "=cmd|' /C calc'!A0"
check "negative numbers stay numbers" grep -qE ',-[0-9]+\.[0-9]+,' "$sum"
check "no number turned to text" sh -c "! grep -qE \"'-[0-9]\" '$sum'"
same "a negative level read as a number" "$(value "$sum" /alex_20261103_1.wav agent_level_db | cut -c1)" "-"

case_name="the new columns equal the reports"
r=$out/reports/${calls#/}/nov/bo_20261104_int.wav.json
same "interrupted_customer flags" "$(value "$sum" /bo_20261104_int.wav flags_interrupted_customer)" \
    "$("$JSON" "$r" count flags kind=interrupted_customer)"
expect_near "$r" per_speaker/agent/response_latency_median_s "$(value "$sum" /bo_20261104_int.wav agent_response_latency_s)" 0.0006
r=$out/reports/${calls#/}/nov/cy_20261105_all.wav.json
for kind in interrupted_customer overtalk dead_air long_monologue talk_dominance; do
    same "$kind flags" "$(value "$sum" /cy_20261105_all.wav flags_$kind)" "$("$JSON" "$r" count flags kind=$kind)"
done
expect_near "$r" per_speaker/agent/longest_monologue_s "$(value "$sum" /cy_20261105_all.wav agent_longest_monologue_s)" 0.0006
expect_near "$r" call/longest_monologue_s "$(value "$sum" /cy_20261105_all.wav longest_monologue_s)" 0.0006
expect_near "$r" call/dead_air_count "$(value "$sum" /cy_20261105_all.wav dead_air_count)" 0
check "dead air seconds: $(value "$sum" /cy_20261105_all.wav dead_air_s)" \
    awk "BEGIN { exit !($(value "$sum" /cy_20261105_all.wav dead_air_s) >= 3) }"
r=$out/reports/${calls#/}/nov/alex_20261105_hold.wav.json
expect_near "$r" call/hold_count "$(value "$sum" /alex_20261105_hold.wav hold_count)" 0
check "hold seconds: $(value "$sum" /alex_20261105_hold.wav hold_s)" \
    awk "BEGIN { exit !($(value "$sum" /alex_20261105_hold.wav hold_s) > 1) }"
same "two channels" "$(value "$sum" /alex_20261103_1.wav separation)" channels
same "no confidence for two channels" "$(value "$sum" /alex_20261103_1.wav separation_confidence)" ""
same "a mono call's voices told apart" "$(value "$sum" /cy_20261103_mono.wav separation)" diarized
check "with its confidence" sh -c "echo '$(value "$sum" /cy_20261103_mono.wav separation_confidence)' | grep -Eq '^[01]\.[0-9]{3}\$'"

case_name="the role check in the summary, the queue and the closing lines"
check "the story call's agent channel in doubt" sh -c "echo '$(value "$sum" /bo_20261105_story.wav role_warning)' | grep -q '^roles: channel 1 (marked customer) spoke first'"
same "no other call warned" "$(col "$sum" role_warning | grep -c 'roles:')" 1
check "the closing lines list it" grep -A1 "sounds like the customer" "$tmp/out" | grep -q bo_20261105_story.wav
check "its JSON warnings have it" grep -q '"roles: channel 1' "$out/reports/${calls#/}/nov/bo_20261105_story.wav.json"

case_name="a second scan skips what is up to date; a changed manifest row redoes its call"
if run 4 scan "$calls" --manifest "$m" --out "$out" --html -j2; then
    check "nothing analysed again" grep -q "$recordings recordings up to date" "$tmp/out"
fi
sed 's|^\(\.\./calls/nov/cy_20261104_8.wav\),cy,|\1,dee,|' "$m" >"$tmp/meta/changed.csv"
if run 4 scan "$calls" --manifest "$tmp/meta/changed.csv" --out "$out" --html -j2; then
    check "one call analysed again" grep -q "worked through 1 recording " "$tmp/out"
    same "its new agent" "$(value "$out/summary.csv" /cy_20261104_8.wav agent)" dee
fi

# ---- metadata from file names ---------------------------------------------------
case_name="--name-pattern"
if run 4 scan "$calls" --name-pattern '{agent}_{date}_{id}' --out "$tmp/named" -q; then
    s=$tmp/named/summary.csv
    same "agent from the name" "$(value "$s" /bo_20261104_5.wav agent)" bo
    same "8-digit date as ISO 8601" "$(value "$s" /bo_20261104_5.wav date)" 2026-11-04
    same "the id as a column" "$(value "$s" /bo_20261104_5.wav meta_id)" 5
fi
if run 4 scan "$calls" --manifest "$m" --name-pattern '{agent}_{date}_{id}' --out "$tmp/both" -q; then
    same "the manifest wins" "$(value "$tmp/both/summary.csv" /cy_20261105_all.wav agent)" "<script>alert(1)</script>"
    same "the name fills the rest" "$(value "$tmp/both/summary.csv" /cy_20261105_all.wav meta_id)" all
fi
run 2 scan "$calls" --name-pattern 'no-fields.wav' --out "$tmp/x" && check "says why" grep -q "no {field}" "$tmp/err"
run 2 scan "$calls" --name-pattern '{agent' --out "$tmp/x"

case_name="a manifest alone lists the recordings"
if run 4 scan --manifest "$m" --out "$tmp/listed" -q; then
    same "one row per manifest row" "$("$CSVQ" "$tmp/listed/summary.csv" rows)" $((recordings + 1))
    check "the missing one is an error row" sh -c "grep 'gone.wav' '$tmp/listed/summary.csv' | grep -q ',error,'"
fi
printf 'file,agent\nx.wav,a\n' >"$tmp/meta/bad.csv"
run 2 scan --manifest "$tmp/meta/bad.csv" --out "$tmp/x" && check "no path column" grep -q "no 'path' column" "$tmp/err"

# ---- baselines per agent ----------------------------------------------------------
case_name="--baselines DIR: each agent's calls against their own baseline"
if run 0 baseline build --agent alex "$calls/nov/alex_20261103_1.wav" -o "$tmp/baselines/alex.baseline"; then
    if run 4 scan "$calls" --manifest "$m" --baselines "$tmp/baselines" --out "$tmp/based" -q; then
        r=$tmp/based/reports/${calls#/}/nov
        same "alex's call" "$("$JSON" "$r/alex_20261104_2.wav.json" get meta/agent_baseline)" "$tmp/baselines/alex.baseline"
        same "bo's call" "$("$JSON" "$r/bo_20261104_5.wav.json" get meta/agent_baseline)" "learnt from this call"
    fi
    "$BIN" baseline build --agent alex "$calls/nov/alex_20261104_2.wav" -o "$tmp/baselines/alex.baseline" 2>/dev/null
    if run 4 scan "$calls" --manifest "$m" --baselines "$tmp/baselines" --out "$tmp/based"; then
        # alex's calls: three conversations and the hold call (the empty one fails again)
        check "a new baseline redoes its agent's calls only" grep -q "worked through 5 recordings" "$tmp/out"
    fi
fi
run 2 scan "$calls" --baselines "$tmp/no-such-folder" --out "$tmp/x"

# ---- the dashboard, as text ------------------------------------------------------
case_name="the dashboard: self-contained, strict policy, one row per recording"
page=$out/index.html
check "a Content-Security-Policy" grep -q "http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'nonce-" "$page"
check "no network address" sh -c "! grep -qE 'https?://|src=\"//|href=\"//' '$page'"
same "one script element" "$(count_of "$page" '<script')" 1
check "no inline style attribute" sh -c "! grep -q ' style=\"' '$page'"
same "rows" "$(count_of "$page" '<tr data-status=')$(count_of "$page" '<tr class="error" data-status=')" "$((recordings - 1))1"
check "a scorecard per agent" sh -c "for a in alex bo cy dee; do grep -q \"<h3><a href=\\\"#agent=\$a\\\">\$a</a></h3>\" '$page' || exit 1; done"
check "a trend chart per agent" test "$(count_of "$page" '<svg class="trend"')" -ge 4
check "the hostile agent name as text" grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;' "$page"
check "the flag kinds table" grep -q '<a href="#kind=interrupted_customer">interrupted_customer</a>' "$page"

# ---- in a browser ------------------------------------------------------------------
chrome=${CHROMIUM:-}
if [ -z "$chrome" ]; then
    for c in chromium chromium-browser google-chrome; do
        if command -v "$c" >/dev/null 2>&1; then chrome=$c; break; fi
    done
fi
# page PREFIX URL ARGS...: Chromium headless on URL, the DOM after its
# scripts ran in PREFIX.out, its log in PREFIX.err.
page() {
    prefix=$1 url=$2
    shift 2
    rm -rf "$tmp/profile"
    timeout 120 "$chrome" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$tmp/profile" --enable-logging=stderr --v=0 "$@" --dump-dom "$url" \
        >"$prefix.out" 2>"$prefix.err"
}
# The rows' places in the summary (data-order), shown ones in the page's order.
shown_order() { grep -o '<tr [^>]*>' "$1" | grep -v 'hidden' | sed -n 's/.*data-order="\([0-9]*\)".*/\1/p' | tr '\n' ' '; }
no_errors() { # no_errors PREFIX: the page ran its script, and nothing was refused or thrown
    check "the script ran ($1)" grep -q '<html lang="en" data-ready="1"' "$1.out"
    check "no script error in the page ($1)" sh -c "! grep -q 'data-script-error=\"' '$1.out'"
    check "no policy violation or console error: $(grep -iE 'Content.Security.Policy|Uncaught|Refused|console' "$1.err" | head -c 300)" \
        sh -c "! grep -qiE 'Content.Security.Policy|Uncaught|Refused|CONSOLE' '$1.err'"
}

case_name="the dashboard in headless Chromium"
if [ -z "$chrome" ]; then
    if [ "${CS_REQUIRE_CHROMIUM:-0}" = 1 ]; then fail "no Chromium found (install chromium)"; else skip "no Chromium"; fi
else
    sum=$out/summary.csv
    page "$tmp/plain" "file://$page"
    no_errors "$tmp/plain"
    same "every recording shown" "$(shown_order "$tmp/plain.out" | wc -w | tr -d ' ')" $recordings
    check "the count said" grep -q "$recordings of $recordings recordings shown" "$tmp/plain.out"

    # Sorting, as a click on a column's name leaves it in the address.
    col "$sum" score | awk '{ print NR - 1, ($0 == "" ? "none" : $0) }' >"$tmp/scores"
    want=$(awk '$2 != "none"' "$tmp/scores" | sort -s -k2,2n | cut -d' ' -f1 | tr '\n' ' ')
    want="$want$(awk '$2 == "none" { printf "%s ", $1 }' "$tmp/scores")"
    page "$tmp/asc" "file://$page#sort=score&dir=asc"
    no_errors "$tmp/asc"
    same "sorted by score, lowest first, no score last" "$(shown_order "$tmp/asc.out")" "$want"
    want=$(awk '$2 != "none"' "$tmp/scores" | sort -s -k2,2nr | cut -d' ' -f1 | tr '\n' ' ')
    want="$want$(awk '$2 == "none" { printf "%s ", $1 }' "$tmp/scores")"
    page "$tmp/desc" "file://$page#sort=score&dir=desc"
    same "sorted by score, highest first" "$(shown_order "$tmp/desc.out")" "$want"
    check "the header says so" grep -q 'class="sorted-desc"' "$tmp/desc.out"
    col "$sum" path | awk '{ print NR - 1, $0 }' | LC_ALL=C sort -s -k2,2r | cut -d' ' -f1 | tr '\n' ' ' >"$tmp/want"
    page "$tmp/path" "file://$page#sort=path&dir=desc"
    same "sorted by recording, as text" "$(shown_order "$tmp/path.out")" "$(cat "$tmp/want")"

    # Filtering.
    page "$tmp/alex" "file://$page#agent=alex"
    same "alex's recordings" "$(shown_order "$tmp/alex.out" | wc -w | tr -d ' ')" "$(col "$sum" agent | grep -cx alex)"
    page "$tmp/kind" "file://$page#kind=interrupted_customer"
    same "the recordings with an interrupted_customer flag" "$(shown_order "$tmp/kind.out" | wc -w | tr -d ' ')" \
        "$(col "$sum" flags_interrupted_customer | grep -c '^[1-9]')"
    page "$tmp/role" "file://$page#status=role"
    same "the one whose agent channel is in doubt" "$(shown_order "$tmp/role.out" | wc -w | tr -d ' ')" 1
    page "$tmp/text" "file://$page#q=story"
    same "a text filter" "$(shown_order "$tmp/text.out" | wc -w | tr -d ' ')" 1

    # Real clicks and typing, by a page beside the dashboard that drives it in a frame.
    cat >"$out/drive.html" <<'EOF'
<!DOCTYPE html><html><body><pre id="log"></pre><iframe id="f" src="index.html"></iframe>
<script>
var log = [];
document.getElementById('f').addEventListener('load', function () {
  var doc = this.contentDocument, win = this.contentWindow;
  function order() {
    return Array.prototype.filter.call(doc.querySelectorAll('#calls tbody tr'), function (r) { return !r.hidden; })
      .map(function (r) { return r.getAttribute('data-order'); }).join(' ');
  }
  var link = doc.querySelector('th[data-key="score"] a');
  link.click(); log.push('lowest-first: ' + order());
  link.click(); log.push('highest-first: ' + order());
  log.push('address: ' + win.location.hash);
  var box = doc.getElementById('filter-text');
  box.value = 'story'; box.dispatchEvent(new win.Event('input'));
  log.push('typed: ' + order());
  var agent = doc.getElementById('filter-agent');
  agent.value = 'alex'; box.value = ''; box.dispatchEvent(new win.Event('input'));
  agent.dispatchEvent(new win.Event('change'));
  log.push('agent: ' + order().split(' ').length);
  document.getElementById('log').textContent = log.join('\n') + '\n';
});
</script></body></html>
EOF
    page "$tmp/drive" "file://$out/drive.html" --allow-file-access-from-files --virtual-time-budget=5000
    rm -f "$out/drive.html"
    want=$(awk '$2 != "none"' "$tmp/scores" | sort -s -k2,2n | cut -d' ' -f1 | tr '\n' ' ')
    want="$want$(awk '$2 == "none" { printf "%s ", $1 }' "$tmp/scores")"
    # what the driving page logged, before its script
    logged() { sed -n '1,/<\/pre>/p' "$tmp/drive.out" | sed -n "s/.*$1: \\([^<]*\\).*/\\1/p"; }
    same "a click on score sorts lowest first" "$(logged lowest-first) " "$want"
    want=$(awk '$2 != "none"' "$tmp/scores" | sort -s -k2,2nr | cut -d' ' -f1 | tr '\n' ' ')
    want="$want$(awk '$2 == "none" { printf "%s ", $1 }' "$tmp/scores")"
    same "a second click highest first" "$(logged highest-first) " "$want"
    same "the view kept in the address" "$(logged address)" "#sort=score&amp;dir=desc"
    same "typing filters" "$(logged typed | wc -w | tr -d ' ')" 1
    same "the agent list filters" "$(logged agent)" "$(col "$sum" agent | grep -cx alex)"
    check "the frame ran its script without error" sh -c "! grep -qiE 'Content.Security.Policy|Uncaught|Refused' '$tmp/drive.err'"

    # Every link leads to a file.
    grep -o 'href="[^"#][^"]*"' "$tmp/plain.out" | sed 's/^href="//; s/"$//' | sort -u >"$tmp/links"
    check "links to reports" test "$(grep -c '\.json$' "$tmp/links")" -ge $((recordings - 1))
    check "and to the coach's reports" test "$(grep -c '\.html$' "$tmp/links")" -ge $((recordings - 1))
    gone=""
    # (the names here need no percent-encoding)
    while read -r link; do
        case $link in /*) file=$link ;; *) file=$out/$link ;; esac
        [ -f "$file" ] || gone="$gone $link"
    done <"$tmp/links"
    same "links that lead nowhere" "$gone" ""
    same "the hostile name: one script element in the DOM" "$(count_of "$tmp/plain.out" '<script')" 1

    page "$tmp/shot" "file://$page" --screenshot="$tmp/dashboard.png" --window-size=1300,1400 --hide-scrollbars
    check "a screenshot" sh -c "head -c 8 '$tmp/dashboard.png' | od -c | grep -q 'P   N   G'"
fi

# ---- shards and merge -------------------------------------------------------------
case_name="shards in separate folders merged: one dashboard whose links work"
for k in 1 2; do
    "$BIN" scan "$calls" --manifest "$m" --out "$tmp/host$k" --shard $k/2 -q 2>/dev/null
    check "shard $k's own dashboard" test -s "$tmp/host$k/index-$k-of-2.html"
done
if run 4 merge --out "$tmp/merged" "$tmp/host1" "$tmp/host2"; then
    check "the merged dashboard" test -s "$tmp/merged/index.html"
    same "every recording in it" "$(count_of "$tmp/merged/index.html" 'data-status=')" $recordings
    check "the metadata column kept" sh -c "'$CSVQ' '$tmp/merged/summary.csv' header | grep -q ',meta_team\$'"
    same "an extra column's value kept" "$(value "$tmp/merged/summary.csv" /cy_20261104_8.wav meta_team)" north
    gone=0
    for f in $(grep -o 'href="/[^"]*\.json"' "$tmp/merged/index.html" | sed 's/^href="//; s/"$//'); do
        [ -f "$f" ] || gone=$((gone + 1))
    done
    same "links of the merged dashboard that lead nowhere" $gone 0
fi
if run 4 scan "$calls" --manifest "$m" --out "$tmp/whole" -q; then
    "$BIN" scan "$calls" --manifest "$m" --out "$tmp/together" --shard 1/2 -q 2>/dev/null
    "$BIN" scan "$calls" --manifest "$m" --out "$tmp/together" --shard 2/2 -q 2>/dev/null
    if run 4 merge "$tmp/together"; then
        check "merged summary equals the whole scan's" cmp "$tmp/together/summary.csv" "$tmp/whole/summary.csv"
    fi
fi

finish
