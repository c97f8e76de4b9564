# Shared by the shell tests: the pass/fail/skip tally, running callscope with
# its exit status checked, and the JSON checks. Source it after setting
# TEST_NAME; it sets BIN, BUILD, GEN, JSON, JSONCMP and a scratch directory $tmp
# (removed on exit), and stops the test if a tool is missing.

BIN=${BIN:-./callscope}
BUILD=${BUILD:-build}
case $BIN in */*) ;; *) BIN=./$BIN ;; esac
GEN=$BUILD/tests/gencall
JSON=$BUILD/tests/jsoncheck
JSONCMP=$BUILD/tests/jsoncmp

passed=0
failed=0
skipped=0

pass() { passed=$((passed + 1)); }
fail() {
    failed=$((failed + 1))
    echo "tests/$TEST_NAME.sh: FAIL [$case_name]: $*"
}
skip() {
    skipped=$((skipped + 1))
    echo "tests/$TEST_NAME.sh: SKIP [$case_name]: $*"
}

for tool in "$BIN" "$GEN" "$JSON" "$JSONCMP"; do
    if [ ! -x "$tool" ]; then
        echo "tests/$TEST_NAME.sh: $tool is missing (run 'make test-programs' and 'make')"
        echo "$TEST_NAME: 0 passed, 1 failed"
        exit 1
    fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/callscope-$TEST_NAME.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# run EXPECTED_STATUS ARGS...: runs callscope, keeps stdout and stderr in
# $tmp/out and $tmp/err, and checks the exit status.
run() {
    want=$1
    shift
    "$BIN" "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" -eq "$want" ]; then
        pass
        return 0
    fi
    fail "callscope $* exited $got, want $want; stderr: $(head -c 400 "$tmp/err")"
    return 1
}

# expect_count FILE PATH FILTER N
expect_count() {
    v=$("$JSON" "$1" count "$2" "$3" 2>&1)
    if [ "$v" = "$4" ]; then pass; else fail "count of $2 [$3] is '$v', want $4"; fi
}

# expect_near FILE PATH VALUE TOL
expect_near() {
    if "$JSON" "$1" near "$2" "$3" "$4" 2>"$tmp/jerr"; then pass; else fail "$(cat "$tmp/jerr")"; fi
}

gen() {
    if "$GEN" "$@"; then :; else
        echo "tests/$TEST_NAME.sh: gencall $* failed"
        failed=$((failed + 1))
    fi
}

# check DESCRIPTION COMMAND...: passes when COMMAND succeeds; returns its
# verdict, so a check can guard the checks that depend on it.
check() {
    what=$1
    shift
    if "$@"; then
        pass
    else
        fail "$what"
        return 1
    fi
}

# same DESCRIPTION GOT WANT: passes when the two strings are equal.
same() {
    if [ "$2" = "$3" ]; then pass; else fail "$1: got '$2', want '$3'"; fi
}

# The closing tally tests/run.sh reads; the exit status.
finish() {
    [ "$skipped" -gt 0 ] && echo "$TEST_NAME: $skipped skipped"
    echo "$TEST_NAME: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
