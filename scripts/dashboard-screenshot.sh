#!/bin/sh
# Makes docs/dashboard.png, the picture of the scan dashboard in the README:
# a scan of generated calls (three agents over five days, a manifest naming
# them) rendered by headless Chromium.
#   sh scripts/dashboard-screenshot.sh      (after make and make test-programs; needs chromium)
set -eu
cd "$(dirname "$0")/.."
out=docs/dashboard.png
work=build/dashboard-demo
gen=build/tests/gencall
rm -rf "$work"
mkdir -p "$work/calls" docs
printf 'path,agent,date,queue\n' >"$work/calls/manifest.csv"
n=0
for day in 03 04 05 06 07; do
    for agent in alex bo cy; do
        n=$((n + 1))
        # Most calls are ordinary conversations; some hold what a coach looks for.
        case $((n % 7)) in
        1) scene=interruption ;;
        3) scene=tense ;;
        5) scene=story ;;
        6) scene=monologue ;;
        *) scene=conversation ;;
        esac
        name=call$n.wav
        if [ $scene = conversation ]; then
            $gen conversation "$work/calls/$name" --rate 8000 --format ulaw --duration 150 --seed $n
        else
            $gen $scene "$work/calls/$name" --rate 8000 --format ulaw --seed $n
        fi
        queue=billing
        [ $agent = cy ] && queue=sales
        printf '%s,%s,2026-11-%s,%s\n' "$name" "$agent" "$day" "$queue" >>"$work/calls/manifest.csv"
    done
done
./callscope scan "$work/calls" --manifest "$work/calls/manifest.csv" --out "$work/out" --html -q
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$(mktemp -d)" \
    --window-size=1440,1600 --screenshot="$PWD/$out" "file://$PWD/$work/out/index.html#sort=score&dir=asc" 2>/dev/null
echo "wrote $out"
