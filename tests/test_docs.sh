#!/bin/sh
# The documentation against the code: every name the tool writes for other
# programs is in docs/report.md, and every event type, flag kind, live cue and
# profile key (with its default) in docs/metrics.md. The names are taken from
# what the tool writes on generated calls of every kind (stereo with flags of
# many kinds, hold and dead air, a mono mix, one speaker, no voice analysis,
# a batch scan with a broken file, the live event stream), and from the
# library's name tables, which list the kinds no generated call raises.
#
# A name counts as documented when the page holds it in backticks. JSON keys
# are written as paths: keys joined by '.', an array's items as '[]', either
# speaker as <speaker>, any profile key as profile.<key>; a line of the live
# stream is rooted at its type (tick.<speaker>.talk_s).
#
# Environment as tests/test_cli.sh; REPORT_DOC and METRICS_DOC name other
# pages to check. Ends with "test_docs: N passed, N failed".

TEST_NAME=test_docs
. tests/harness.sh
CSVQ=$BUILD/tests/csvq
[ -x "$CSVQ" ] || { echo "tests/$TEST_NAME.sh: $CSVQ is missing"; echo "$TEST_NAME: 0 passed, 1 failed"; exit 1; }
REPORT_DOC=${REPORT_DOC:-docs/report.md}
METRICS_DOC=${METRICS_DOC:-docs/metrics.md}

# undocumented DOC: the names on stdin (one a line) that DOC does not hold in
# backticks, on one line.
undocumented() {
    grep -o '`[^`]*`' "$1" | tr -d '`' | LC_ALL=C sort -u >"$tmp/in-doc"
    LC_ALL=C sort -u | LC_ALL=C comm -23 - "$tmp/in-doc" | grep -v '^$' | tr '\n' ' '
}

# all_documented DOC WHAT NAMES: the names in the file NAMES are all in DOC;
# at least one is needed, so a source of names that dried up is noticed.
# (Not fed by a pipe: a pipeline's last command may run in a subshell, which
# would lose the tally.)
all_documented() {
    if [ ! -s "$3" ]; then
        fail "no $2 found to check"
        return
    fi
    missing=$(undocumented "$1" <"$3")
    if [ -z "$missing" ]; then pass; else fail "$2 not in $1: $missing"; fi
}

# key_paths JSON [PREFIX]: the report's keys as the pages write them.
key_paths() {
    "$JSON" "$1" paths | awk -v prefix="$2" '
        /^profile\./ && $0 != "profile.name" { print prefix "profile.<key>"; next }
        {
            n = split($0, part, ".")
            path = ""
            for (i = 1; i <= n; i++) {
                if (part[i] == "agent" || part[i] == "customer")
                    part[i] = "<speaker>"
                path = path (i > 1 ? "." : "") part[i]
            }
            print prefix path
        }'
}

# string_values FILE KEY: every string value of KEY in a JSON file.
string_values() {
    grep -o "\"$2\": \"[a-z_]*\"" "$1" | sed 's/.*: "\(.*\)"/\1/'
}

# ---- the checker itself catches a name that is missing ---------------------
case_name="a page without a name is caught"
sed '/`call\.score`/d' "$REPORT_DOC" >"$tmp/without.md"
same "call.score missing from a copy without it" "$(echo call.score | undocumented "$tmp/without.md")" "call.score "
same "call.score found in the page" "$(echo call.score | undocumented "$REPORT_DOC")" ""

# ---- generated calls ------------------------------------------------------------
gen everything "$tmp/everything.wav" --rate 8000
gen tense "$tmp/tense.wav" --rate 8000
gen live "$tmp/live.wav" --rate 8000
gen monologue "$tmp/monologue.wav" --rate 8000
gen hold "$tmp/hold.wav" --rate 8000
gen everything "$tmp/mono.wav" --rate 8000 --channels 1

case_name="the JSON report's keys are in $REPORT_DOC"
reports=""
for call in everything tense live monologue hold mono; do
    if run 0 analyze "$tmp/$call.wav" --json "$tmp/$call.json" --csv "$tmp/$call.csv"; then
        reports="$reports $call"
    fi
done
if run 0 analyze "$tmp/mono.wav" --one-speaker --json "$tmp/single.json"; then reports="$reports single"; fi
if run 0 analyze "$tmp/everything.wav" --set voice.analyze=0 --json "$tmp/novoice.json"; then
    reports="$reports novoice"
fi
for r in $reports; do
    key_paths "$tmp/$r.json" >"$tmp/names"
    all_documented "$REPORT_DOC" "JSON keys of the $r call" "$tmp/names"
done
# What the calls raised, so the checks below know they saw something.
for r in $reports; do string_values "$tmp/$r.json" kind; done | sort -u >"$tmp/kinds"
check "the calls raised flags of at least 8 kinds: $(tr '\n' ' ' <"$tmp/kinds")" test "$(wc -l <"$tmp/kinds")" -ge 8
for r in $reports; do string_values "$tmp/$r.json" type; done | sort -u >"$tmp/types"
for type in interruption backchannel overlap overtalk dead_air hold; do
    check "the calls gave a $type event" grep -qx "$type" "$tmp/types"
done

case_name="every flag detail the library names is in $REPORT_DOC"
# [CS_FLAG_X] = {"kind", "measure" or NULL, "context" or NULL, ...}
sed -n 's/.*\[CS_FLAG_[A-Z_]*\] = {"[a-z_]*", \(.*\), CS_K_.*/\1/p' src/*.c | tr ',' '\n' |
    sed -n 's/ *"\([a-z_]*\)"/flags[].details.\1/p' >"$tmp/names"
[ -s "$tmp/names" ] && echo "flags[].details.count" >>"$tmp/names"
all_documented "$REPORT_DOC" "flag details" "$tmp/names"

case_name="the CSV columns are in $REPORT_DOC"
for r in $reports; do
    [ -f "$tmp/$r.csv" ] || continue
    "$CSVQ" "$tmp/$r.csv" header | tr ',' '\n' >"$tmp/names"
    all_documented "$REPORT_DOC" "flags CSV columns" "$tmp/names"
done
mkdir -p "$tmp/calls"
cp "$tmp/everything.wav" "$tmp/tense.wav" "$tmp/calls/"
: >"$tmp/calls/empty.wav"
if run 4 scan "$tmp/calls" --out "$tmp/scan" -j 2 -q; then
    for f in summary queue; do
        "$CSVQ" "$tmp/scan/$f.csv" header | tr ',' '\n' >"$tmp/names"
        all_documented "$REPORT_DOC" "$f.csv columns" "$tmp/names"
    done
fi

case_name="the live event stream's keys are in $REPORT_DOC"
if run 0 analyze "$tmp/live.wav" --events "$tmp/live.jsonl"; then
    for type in tick cue flag; do
        grep "\"type\": \"$type\"" "$tmp/live.jsonl" | head -n 1 >"$tmp/line.json"
        if [ -s "$tmp/line.json" ]; then pass; else fail "no $type line in the live stream"; fi
        key_paths "$tmp/line.json" "$type." >"$tmp/names"
        all_documented "$REPORT_DOC" "keys of a $type line" "$tmp/names"
    done
    string_values "$tmp/live.jsonl" cue >"$tmp/names"
    all_documented "$METRICS_DOC" "live cues given" "$tmp/names"
fi

case_name="every event type, flag kind and live cue is in $METRICS_DOC"
all_documented "$METRICS_DOC" "event types in the reports" "$tmp/types"
all_documented "$METRICS_DOC" "flag kinds in the reports" "$tmp/kinds"
# The names tables: cs_event_type_name, cs_flag_kind_name, cs_cue_name.
sed -n 's/.*case CS_EVENT_[A-Z_]*: return "\([a-z_]*\)".*/\1/p' src/*.c >"$tmp/names"
all_documented "$METRICS_DOC" "event types" "$tmp/names"
sed -n 's/.*\[CS_FLAG_[A-Z_]*\] = {"\([a-z_]*\)".*/\1/p' src/*.c >"$tmp/names"
all_documented "$METRICS_DOC" "flag kinds" "$tmp/names"
sed -n 's/.*case CS_CUE_[A-Z_]*: return "\([a-z_]*\)".*/\1/p' src/*.c >"$tmp/names"
all_documented "$METRICS_DOC" "live cues" "$tmp/names"

case_name="every profile key is in $METRICS_DOC with its default"
if run 0 profile; then
    # "key = value  # help" after a title line; the keys' table rows read "| `key` | value |".
    sed -n '2,$s/^\([a-z_.0-9]*\) *= *\([^ ]*\).*/\1 \2/p' "$tmp/out" >"$tmp/keys"
    check "callscope profile lists at least 100 keys" test "$(wc -l <"$tmp/keys")" -ge 100
    cut -d' ' -f1 "$tmp/keys" >"$tmp/names"
    all_documented "$METRICS_DOC" "profile keys" "$tmp/names"
    wrong=$(grep -v '^name ' "$tmp/keys" | awk -v doc="$METRICS_DOC" '
        BEGIN { while ((getline line < doc) > 0) if (split(line, cell, " [|] ") >= 3) row[cell[1] " " cell[2]] = 1 }
        !(("| `" $1 "`") " " $2 in row) { printf "%s=%s ", $1, $2 }')
    if [ -z "$wrong" ]; then pass; else fail "keys whose table row in $METRICS_DOC lacks the default: $wrong"; fi
fi

finish
