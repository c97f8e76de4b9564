#!/bin/sh
# Rewrites the golden reports in tests/golden/ from the current build. Run it
# only after an intended change to the analysis, and read the diff
# (git diff tests/golden) before committing: each event in it should match
# the call's script in tests/scenes.c (sc_everything).
#
#   BUILD=build BIN=./callscope sh tests/update-golden.sh
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
BIN=${BIN:-./callscope}
case $BIN in */*) ;; *) BIN=./$BIN ;; esac
for tool in "$BIN" "$BUILD/tests/gencall"; do
    [ -x "$tool" ] || { echo "update-golden.sh: $tool is missing; run 'make test-programs' and 'make'" >&2; exit 1; }
done
mkdir -p "$BUILD/golden" tests/golden
"$BUILD/tests/gencall" everything "$BUILD/golden/everything.wav" --rate 8000 --format ulaw
"$BIN" analyze "$BUILD/golden/everything.wav" --json tests/golden/everything.json --quiet
echo "wrote tests/golden/everything.json; check it against the script of sc_everything in tests/scenes.c"
