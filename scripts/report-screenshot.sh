#!/bin/sh
# Makes docs/report-demo.png, the picture of the coach's report in the README:
# the bundled demo call's HTML report rendered by headless Chromium.
#   sh scripts/report-screenshot.sh      (after make; needs chromium)
set -eu
cd "$(dirname "$0")/.."
out=docs/report-demo.png
mkdir -p build docs
./callscope report recordings/demo_call.wav --html build/demo_report.html
chromium --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
    --user-data-dir="$(mktemp -d)" --window-size=1200,1500 \
    --screenshot="$PWD/$out" "file://$PWD/build/demo_report.html" 2>/dev/null
echo "wrote $out"
