#!/bin/sh
# The example programs (examples/, built by `make examples` against the
# static library and the public headers only). score_call gives the call
# score and the flags that `callscope analyze` gives for the same samples:
# a stereo call, its mono mix, the mix saved as two identical channels, and a
# heated 16 kHz call whose voice flags come from the tone pass. The example in include/callscope/callscope.h is that
# very program, and bad arguments get their message and status.
#
# Environment as tests/test_cli.sh.

TEST_NAME=test_examples
. tests/harness.sh

EX=$BUILD/examples/score_call
case_name="the example is built"
if ! check "$EX is built (make examples)" test -x "$EX"; then
    finish
    exit
fi

# compare NAME RATE CHANNELS SCENE [GENCALL-OPTIONS...]: the example on raw
# samples against the tool's JSON report on the same samples as a float WAV.
compare() {
    name=$1 rate=$2 channels=$3 scene=$4
    shift 4
    case_name="score_call and callscope analyze agree: $name"
    gen "$scene" "$tmp/$name.wav" --rate "$rate" --channels "$channels" --format float "$@"
    gen "$scene" "$tmp/$name.f32" --rate "$rate" --channels "$channels" --format raw "$@"
    run 0 analyze "$tmp/$name.wav" --json "$tmp/$name.json" -q || return
    if ! "$EX" "$rate" "$channels" <"$tmp/$name.f32" >"$tmp/$name.out" 2>"$tmp/$name.err"; then
        fail "score_call exited non-zero: $(head -c 300 "$tmp/$name.err")"
        return
    fi
    got=$(sed -n 's/^score //p' "$tmp/$name.out")
    check "score_call gives a score" test -n "$got"
    expect_near "$tmp/$name.json" call/score "$got" 0.001
    n=$("$JSON" "$tmp/$name.json" count flags)
    kinds=""
    i=0
    while [ "$i" -lt "$n" ]; do
        kinds="$kinds $("$JSON" "$tmp/$name.json" get "flags/$i/kind")"
        i=$((i + 1))
    done
    same "flag kinds in time order" "$(sed -n 's/^ *[0-9.]* s  \([a-z_]*\): .*/ \1/p' "$tmp/$name.out" | tr -d '\n')" "$kinds"
}

compare stereo 8000 2 everything
compare mono 8000 1 everything
compare upmix 8000 2 everything --upmix 1
compare heated 16000 2 heated --seed 3
check "the stereo call raised flags" grep -q "interrupted_customer" "$tmp/stereo.out"
check "the heated call raised voice flags" grep -q "tense_tone" "$tmp/heated.out"

case_name="the example in callscope.h is examples/score_call.c"
# The header's example lines, " *     code" (blank lines " *"), from the
# #include to the closing brace, against the program after its comment.
sed -n '/^ \*     #include <callscope\/callscope.h>/,/^ \*     }$/p' include/callscope/callscope.h |
    sed -e 's/^ \*     //' -e 's/^ \*$//' >"$tmp/header.c"
sed -n '/^#include <callscope\/callscope.h>/,$p' examples/score_call.c >"$tmp/example.c"
check "the header holds an example" test "$(wc -l <"$tmp/header.c")" -gt 20
if cmp -s "$tmp/header.c" "$tmp/example.c"; then pass; else
    fail "they differ: $(diff "$tmp/header.c" "$tmp/example.c" | head -5)"
fi

case_name="score_call with bad arguments"
"$EX" >"$tmp/out" 2>"$tmp/err"
same "no arguments: exit status" "$?" 2
check "no arguments: the usage" grep -q '^usage: score_call RATE CHANNELS' "$tmp/err"
"$EX" 4000 2 </dev/null >"$tmp/out" 2>"$tmp/err"
same "a rate of 4 kHz: exit status" "$?" 1
same "a rate of 4 kHz: the message" "$(cat "$tmp/err")" "score_call: $(sed -n 's/.*CS_ERATE: return "\(.*\)";/\1/p' src/analyzer.c)"

finish
