#!/bin/sh
# The role check on generated calls whose roles are known: the agent on
# channel 0 greets first. Read as they are, no warning; read with the roles
# swapped (--agent-channel 1), a warning in the JSON report's warnings and on
# stderr, from the conduct (the side marked customer speaks first and most)
# or from the voice (a stored agent baseline fits the other channel).
#
# Environment as tests/test_cli.sh. Ends with "test_roles: N passed, N failed".

TEST_NAME=test_roles
. tests/harness.sh


# The generated agent (110 Hz) greets first and talks most in these scenes.
for scene in friendly tense; do
    gen "$scene" "$tmp/$scene.wav" --rate 8000 --format ulaw
    case_name="$scene: the roles as recorded"
    if run 0 analyze "$tmp/$scene.wav" --json "$tmp/$scene.json" -q; then
        check "agent first and most: $(grep -m1 '"talk_share"' "$tmp/$scene.json")" \
            "$JSON" "$tmp/$scene.json" near per_speaker/agent/talk_share 0.6 0.1
        same "role warnings" "$(grep -c 'roles:' "$tmp/$scene.json")" 0
        check "nothing on stderr" test ! -s "$tmp/err"
    fi
    case_name="$scene: the roles swapped"
    if run 0 analyze "$tmp/$scene.wav" --agent-channel 1 --json "$tmp/$scene-swapped.json" -q; then
        same "role warnings" "$(grep -c 'roles: channel 0 (marked customer) spoke first' "$tmp/$scene-swapped.json")" 1
        check "the warning names the likely agent channel" grep -q 'the agent may be on channel 0' "$tmp/$scene-swapped.json"
        check "and goes to stderr" grep -q "$scene.wav: roles: channel 0" "$tmp/err"
    fi
done

case_name="the thresholds are the profile's"
if run 0 analyze "$tmp/friendly.wav" --agent-channel 1 --set roles.customer_share=0.9 --json "$tmp/high.json" -q; then
    same "no warning under a higher share" "$(grep -c 'roles:' "$tmp/high.json")" 0
fi
if run 0 analyze "$tmp/friendly.wav" --agent-channel 1 --set roles.check=0 --json "$tmp/off.json" -q; then
    same "none with roles.check=0" "$(grep -c 'roles:' "$tmp/off.json")" 0
fi

case_name="a stored agent baseline that fits the other channel"
gen conversation "$tmp/other-day.wav" --rate 8000 --format ulaw --duration 60 --seed 11
if run 0 baseline build --agent alex "$tmp/other-day.wav" -o "$tmp/alex.baseline"; then
    # The conduct sign turned off, so only the voice can speak.
    if run 0 analyze "$tmp/friendly.wav" --agent-channel 1 --baseline "$tmp/alex.baseline" \
        --set roles.customer_share=1 --json "$tmp/voice.json" -q; then
        check "the baseline sounds like the channel marked customer" \
            grep -q 'roles: the stored agent baseline ([0-9]* Hz) sounds like channel 0' "$tmp/voice.json"
    fi
    if run 0 analyze "$tmp/friendly.wav" --baseline "$tmp/alex.baseline" --json "$tmp/voice-ok.json" -q; then
        same "no warning with the roles as recorded" "$(grep -c 'roles:' "$tmp/voice-ok.json")" 0
    fi
fi

case_name="mono and one-speaker recordings are not checked"
gen friendly "$tmp/mono.wav" --rate 8000 --channels 1
if run 0 analyze "$tmp/mono.wav" --agent second --json "$tmp/mono.json" -q; then
    same "no role warning" "$(grep -c 'roles:' "$tmp/mono.json")" 0
fi

finish
