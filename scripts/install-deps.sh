#!/bin/sh
# Installs what callscope needs on Debian (or a Debian-based system such as Ubuntu).
#
#   sh scripts/install-deps.sh         build dependencies: a C compiler, make, pkg-config,
#                                      FFTW (fftw3f), libsoxr, libsndfile and PortAudio headers
#   sh scripts/install-deps.sh --dev   also what the tests, CI and the demo generator use:
#                                      sox, espeak-ng, clang and its sanitizer runtime,
#                                      Chromium (renders the HTML report in the tests) and
#                                      Python 3 (drives it: tests/browser.py)
#
# Safe to run again: it installs only what is missing, and on a machine that already has
# everything it does nothing (and needs no network). It reports what it does on stderr.
# The package and module lists below are split into words on purpose.
# shellcheck disable=SC2086
set -eu

BUILD_PKGS="build-essential pkg-config libfftw3-dev libsoxr-dev libsndfile1-dev portaudio19-dev"
DEV_PKGS="sox espeak-ng libclang-rt-14-dev clang chromium python3"
PC_MODULES="fftw3f soxr sndfile portaudio-2.0"

say() { printf 'install-deps: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

usage() {
    printf 'usage: sh scripts/install-deps.sh [--dev]\n' >&2
    exit 2
}

dev=no
case $# in
    0) ;;
    1)
        case $1 in
            --dev) dev=yes ;;
            -h|--help) usage ;;
            *) say "unknown option: $1"; usage ;;
        esac
        ;;
    *) usage ;;
esac

have() { command -v "$1" >/dev/null 2>&1; }

# True when the build tools and the libraries (as seen by pkg-config) are all present.
build_deps_present() {
    have cc && have make && have pkg-config && pkg-config --exists $PC_MODULES
}

# True when the Debian package is installed (not merely known to dpkg).
pkg_installed() {
    dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed'
}

missing=""
if build_deps_present; then
    say "build dependencies present (cc, make, pkg-config: $PC_MODULES)"
else
    say "build dependencies missing; will install: $BUILD_PKGS"
    missing=$BUILD_PKGS
fi

if [ "$dev" = yes ]; then
    if have dpkg; then
        for pkg in $DEV_PKGS; do
            if pkg_installed "$pkg"; then
                say "$pkg already installed"
            else
                say "$pkg missing; will install it"
                missing="$missing $pkg"
            fi
        done
    else
        missing="$missing $DEV_PKGS"
    fi
fi

if [ -z "$missing" ]; then
    say "nothing to do"
    exit 0
fi

if ! have apt-get || ! have dpkg; then
    die "this is not a Debian-based system (no apt-get); please install the equivalents of:$(printf ' %s' $missing)"
fi

# Root runs apt-get directly; anyone else needs sudo.
if [ "$(id -u)" -eq 0 ]; then
    as_root=""
elif have sudo; then
    as_root="sudo"
    say "not running as root; using sudo"
else
    die "installing packages needs root: run this script as root, or install sudo, or run: apt-get install$(printf ' %s' $missing)"
fi

say "running: apt-get update"
$as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
say "running: apt-get install -y --no-install-recommends$(printf ' %s' $missing)"
$as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends $missing >&2

if ! build_deps_present; then
    die "packages installed, but pkg-config still cannot find: $PC_MODULES"
fi
say "done"
