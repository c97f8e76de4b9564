#!/bin/sh
# Runs the test programs and the CLI tests and adds up their results. The
# last line is always "N passed, N failed"; the exit status is 1 if anything
# failed, including a program that crashed or that a sanitizer stopped.
#
#   BUILD=build BIN=./callscope sh tests/run.sh [NAME...]
#
# NAMEs pick some of the tests (e.g. test_vad test_cli); default: all.
# CS_TEST_SEED=N reruns the generated signals with another seed.

cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILD:-build}
BIN=${BIN:-./callscope}
export BUILD BIN

ALL="test_profile test_fft test_api test_vad test_echo test_turns test_blocksize test_voice test_tone test_flags test_cues test_diarize test_laughter test_call test_cli test_badinput test_ranges test_report test_roles test_scan test_dashboard test_live test_install test_docs test_examples"
tests=${*:-$ALL}

# Leak detection where LeakSanitizer works (not under ptrace or in some
# containers); the probe is a clean program, so failing means "cannot work".
if [ -x "$BUILD/tests/lsan_probe" ] &&
    ASAN_OPTIONS=detect_leaks=1 "$BUILD/tests/lsan_probe" >/dev/null 2>&1; then
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
else
    echo "run.sh: LeakSanitizer does not work here; leak detection is off"
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
fi
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS UBSAN_OPTIONS

total_passed=0
total_failed=0
log=$(mktemp "${TMPDIR:-/tmp}/callscope-test.XXXXXX") || exit 1
trap 'rm -f "$log"' EXIT INT TERM

for name in $tests; do
    script=no
    case $name in test_cli | test_badinput | test_ranges | test_report | test_roles | test_scan | test_dashboard | test_live | test_install | test_docs | test_examples) script=yes ;; esac
    if [ "$script" = yes ]; then
        set -- sh "tests/$name.sh"
    else
        set -- "$BUILD/tests/$name"
    fi
    if [ "$script" = no ] && [ ! -x "$1" ]; then
        echo "run.sh: $1 is not built"
        total_failed=$((total_failed + 1))
        continue
    fi
    "$@" >"$log" 2>&1
    status=$?
    cat "$log"
    line=$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed\$" "$log" | tail -n 1)
    if [ -z "$line" ]; then
        echo "run.sh: $name stopped before reporting (exit status $status)"
        p=0
        f=1
    else
        p=$(echo "$line" | sed 's/^.*: \([0-9]*\) passed.*$/\1/')
        f=$(echo "$line" | sed 's/^.* \([0-9]*\) failed$/\1/')
        if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
            echo "run.sh: $name exited with status $status after passing every check (sanitizer report above?)"
            f=1
        fi
    fi
    total_passed=$((total_passed + p))
    total_failed=$((total_failed + f))
done

echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
