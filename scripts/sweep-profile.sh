#!/bin/sh
# Usage: sweep-profile.sh CALLS_DIR KEY "VALUE..." 'SCORE_COMMAND'
#
# Analyzes every recording in CALLS_DIR (wav, flac) once per VALUE of profile
# KEY, writing the reports to a fresh folder per value, then runs SCORE_COMMAND
# with {} replaced by that folder. Reports are named after the recordings
# (NAME.json), the layout most scorers expect. BIN may name the program.
set -eu
[ $# -eq 4 ] || { echo "usage: $0 CALLS_DIR KEY \"VALUE...\" 'SCORE_COMMAND'" >&2; exit 2; }
calls=$1 key=$2 values=$3 score=$4
bin=${BIN:-./callscope}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for value in $values; do
    dir="$out/$value"
    mkdir -p "$dir"
    for f in "$calls"/*.wav "$calls"/*.flac; do
        [ -e "$f" ] || continue
        case $f in *.mono.*) continue ;; esac
        name=$(basename "${f%.*}")
        "$bin" analyze "$f" --json "$dir/$name.json" --quiet --set "$key=$value"
    done
    echo "== $key = $value"
    sh -c "$(printf '%s' "$score" | sed "s|{}|$dir|g")"
done
