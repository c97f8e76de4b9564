#!/bin/sh
# The library as another program uses it: `make install` into a scratch
# prefix, then a program of its own built with pkg-config against the shared
# and the static library. Only cs_ functions are exported, so the program may
# define internal names of the library (histogram_add, vad_init) itself. The
# example program (examples/score_call.c) builds the same way and gives the
# same score and flags as the one built in the tree. Also
# the manual page names every command and option the tool's help lists, the
# bash completion completes commands and options, and `make uninstall`
# leaves nothing behind.
#
# Environment as tests/test_cli.sh, plus CC, CFLAGS and LDFLAGS of the build.

TEST_NAME=test_install
. tests/harness.sh

CC=${CC:-cc}
prefix=$tmp/prefix
case_name="make install into a scratch prefix"
if make -s BUILD="$BUILD" CC="$CC" CFLAGS="$CFLAGS" LDFLAGS="$LDFLAGS" PREFIX="$prefix" install \
    >"$tmp/install.log" 2>&1; then
    pass
else
    fail "make install failed: $(tail -5 "$tmp/install.log")"
    finish
    exit
fi
for f in bin/callscope lib/libcallscope.a "lib/libcallscope.so" include/callscope/callscope.h \
    lib/pkgconfig/callscope.pc share/man/man1/callscope.1 share/bash-completion/completions/callscope; do
    check "installed: $f" test -e "$prefix/$f"
done
soname=$(objdump -p "$prefix/lib/libcallscope.so" 2>/dev/null | awk '$1 == "SONAME" { print $2 }')
case $soname in libcallscope.so.[0-9]*) pass ;; *) fail "soname is '$soname', want libcallscope.so.MAJOR" ;; esac
check "the soname's link is installed" test -e "$prefix/lib/$soname"
for h in include/callscope/*.h; do
    check "installed: $h" cmp -s "$h" "$prefix/$h"
done

case_name="only the public cs_ functions are exported"
# The functions the installed headers declare with CS_API...
sed -n 's/^CS_API .*[ *]\(cs_[a-z0-9_]*\)(.*/\1/p' "$prefix"/include/callscope/*.h | sort -u >"$tmp/declared"
# ... against what each library exports.
nm -D --defined-only "$prefix/lib/libcallscope.so" | awk '{ print $NF }' | sort -u >"$tmp/so-exports"
nm -g --defined-only "$prefix/lib/libcallscope.a" 2>/dev/null | awk 'NF == 3 { print $3 }' | sort -u >"$tmp/a-exports"
check "the headers declare public functions" test "$(wc -l <"$tmp/declared")" -gt 40
same "shared library exports" "$(comm -3 "$tmp/declared" "$tmp/so-exports" | tr -d '\t' | tr '\n' ' ')" ""
same "static library exports" "$(comm -3 "$tmp/declared" "$tmp/a-exports" | tr -d '\t' | tr '\n' ' ')" ""

case_name="a program of its own, built with pkg-config, shared and static"
cat >"$tmp/probe.c" <<'PROBE'
/* Analyses 4 s of a two-channel signal: a voiced burst on the agent's channel
 * from 1 to 3 s. Defines functions named like the library's internals. */
#include <callscope/callscope.h>
#include <math.h>
#include <stdio.h>

int histogram_add(int x);
int histogram_add(int x) { return x + 1; }
int vad_init(void);
int vad_init(void) { return 7; }

int main(void)
{
    cs_profile prof;
    cs_profile_default(&prof);
    cs_config cfg;
    cs_config_default(&cfg, 16000, 2);
    cs_analyzer *a;
    if (cs_open(&a, &cfg, &prof) != CS_OK)
        return 1;
    static float frames[2 * 64000];
    unsigned seed = 1;
    double phase = 0;
    for (int i = 0; i < 64000; i++) {
        double t = i / 16000.0;
        seed = seed * 1103515245u + 12345u;
        double noise = ((seed >> 8) & 0xffff) / 65536.0 - 0.5;
        double voice = 0;
        /* a gliding pitch and syllable-rate swells, as a voice has */
        phase += 2 * 3.141592653589793 * (130.0 + 30.0 * sin(2 * 3.141592653589793 * 1.3 * t)) / 16000.0;
        if (t >= 1.0 && t < 3.0)
            for (int k = 1; k <= 12; k++)
                voice += 0.05 / k * sin(k * phase) * (0.55 + 0.45 * sin(2 * 3.141592653589793 * 4.0 * t));
        frames[2 * i] = (float)(voice + 0.0005 * noise);
        frames[2 * i + 1] = (float)(0.0005 * noise);
    }
    size_t done = 0;
    cs_event ev;
    int segments = 0;
    double start = -1, end = -1;
    while (done < 64000) {
        long n = cs_push(a, frames + 2 * done, 64000 - done);
        if (n < 0)
            return 1;
        done += (size_t)n;
        while (cs_pull(a, &ev) > 0)
            if (ev.type == CS_EVENT_SEGMENT && segments++ == 0)
                start = cs_seconds(a, ev.start), end = cs_seconds(a, ev.end);
    }
    while (cs_finish(a) == CS_FINISH_MORE)
        while (cs_pull(a, &ev) > 0)
            ;
    while (cs_pull(a, &ev) > 0)
        if (ev.type == CS_EVENT_SEGMENT && segments++ == 0)
            start = cs_seconds(a, ev.start), end = cs_seconds(a, ev.end);
    cs_close(a);
    int edges_right = fabs(start - 1.0) <= 0.1 && fabs(end - 3.0) <= 0.15;
    printf("%s %d %s %d %d\n", cs_version(), segments, edges_right ? "1-3s" : "wrong", histogram_add(1), vad_init());
    if (!edges_right)
        printf("speech found at %.3f-%.3f s\n", start, end);
    return 0;
}
PROBE
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
if ! pkg-config --exists callscope; then
    fail "pkg-config does not find callscope.pc"
else
    want="$("$BIN" version | awk '{ print $2 }') 1 1-3s 2 7"
    # shellcheck disable=SC2046,SC2086
    if $CC $CFLAGS -o "$tmp/probe-shared" "$tmp/probe.c" $(pkg-config --cflags --libs callscope) $LDFLAGS -lm \
        2>"$tmp/cc.log"; then
        same "the shared build runs" "$(LD_LIBRARY_PATH="$prefix/lib" "$tmp/probe-shared" 2>&1)" "$want"
        check "it uses the installed shared library" sh -c \
            "LD_LIBRARY_PATH='$prefix/lib' ldd '$tmp/probe-shared' | grep -q '$prefix/lib/libcallscope.so'"
    else
        fail "building against the shared library: $(head -5 "$tmp/cc.log")"
    fi
    # shellcheck disable=SC2046,SC2086
    if $CC $CFLAGS -o "$tmp/probe-static" "$tmp/probe.c" $(pkg-config --cflags callscope) \
        "$prefix/lib/libcallscope.a" $(pkg-config --static --libs-only-l --libs-only-L callscope | sed 's/-lcallscope//') \
        $LDFLAGS -lm 2>"$tmp/cc.log"; then
        same "the static build runs" "$("$tmp/probe-static" 2>&1)" "$want"
    else
        fail "building against the static library: $(head -5 "$tmp/cc.log")"
    fi
fi

case_name="the example program, built with pkg-config, shared and static"
if [ -x "$BUILD/examples/score_call" ] && pkg-config --exists callscope; then
    "$GEN" heated "$tmp/call.f32" --rate 8000 --format raw --seed 2 >/dev/null 2>&1
    "$BUILD/examples/score_call" 8000 2 <"$tmp/call.f32" >"$tmp/want.out" 2>&1
    check "the tree's example scores the call" grep -q '^score [0-9]' "$tmp/want.out"
    # shellcheck disable=SC2046,SC2086
    if $CC $CFLAGS -o "$tmp/example-shared" examples/score_call.c $(pkg-config --cflags --libs callscope) \
        $LDFLAGS -lm 2>"$tmp/cc.log"; then
        same "the shared build's output" "$(LD_LIBRARY_PATH="$prefix/lib" "$tmp/example-shared" 8000 2 <"$tmp/call.f32" 2>&1)" \
            "$(cat "$tmp/want.out")"
    else
        fail "building the example against the shared library: $(head -5 "$tmp/cc.log")"
    fi
    # shellcheck disable=SC2046,SC2086
    if $CC $CFLAGS -o "$tmp/example-static" examples/score_call.c $(pkg-config --cflags callscope) \
        "$prefix/lib/libcallscope.a" $(pkg-config --static --libs-only-l --libs-only-L callscope | sed 's/-lcallscope//') \
        $LDFLAGS -lm 2>"$tmp/cc.log"; then
        same "the static build's output" "$("$tmp/example-static" 8000 2 <"$tmp/call.f32" 2>&1)" "$(cat "$tmp/want.out")"
    else
        fail "building the example against the static library: $(head -5 "$tmp/cc.log")"
    fi
else
    fail "no $BUILD/examples/score_call (make examples) or no callscope.pc"
fi

case_name="the manual page names every command and option"
man1=$prefix/share/man/man1/callscope.1
commands=$("$BIN" help | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p')
check "the tool lists its commands" test -n "$commands"
missing=""
for c in $commands; do
    grep -q "^\.B.* $(printf '%s' "$c" | sed 's/-/\\\\-/g')\( \|$\)" "$man1" || missing="$missing $c"
    for o in $("$BIN" "$c" --help 2>/dev/null | grep -o -- '--[a-z0-9][a-z0-9-]*' | sort -u); do
        grep -qF -- "$(printf '%s' "$o" | sed 's/-/\\-/g')" "$man1" || missing="$missing $c:$o"
    done
done
same "commands and options missing from callscope(1)" "$missing" ""
check "the manual page has an EXIT STATUS section" grep -q '^\.SH EXIT STATUS' "$man1"

case_name="bash completion: commands and options"
if command -v bash >/dev/null 2>&1; then
    complete_line() {
        # shellcheck disable=SC2016
        PATH="$prefix/bin:$PATH" bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _callscope; printf "%s\n" "${COMPREPLY[@]}"' \
            complete "$prefix/share/bash-completion/completions/callscope" "$@"
    }
    same "callscope sc<TAB>" "$(complete_line callscope sc | tr '\n' ' ')" "scan "
    same "callscope scan --sh<TAB>" "$(complete_line callscope scan --sh | tr '\n' ' ')" "--shard "
    same "callscope analyze --agent-channel <TAB>" "$(complete_line callscope analyze --agent-channel '' | tr '\n' ' ')" "0 1 "
else
    skip "no bash"
fi

case_name="make uninstall leaves nothing"
if make -s BUILD="$BUILD" CC="$CC" CFLAGS="$CFLAGS" LDFLAGS="$LDFLAGS" PREFIX="$prefix" uninstall \
    >"$tmp/uninstall.log" 2>&1; then
    same "files left" "$(find "$prefix" -type f -o -type l | tr '\n' ' ')" ""
else
    fail "make uninstall failed: $(tail -5 "$tmp/uninstall.log")"
fi

finish
