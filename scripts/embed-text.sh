#!/bin/sh
# Usage: embed-text.sh SYMBOL FILE > out.c
# Writes FILE as a C string constant named SYMBOL, escaping what C needs escaped.
set -eu
symbol=$1
file=$2
printf '/* Generated from %s by scripts/embed-text.sh; do not edit. */\n' "$file"
printf 'extern const char %s[];\n' "$symbol"
printf 'const char %s[] =\n' "$symbol"
sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/    "/' -e 's/$/\\n"/' "$file"
printf '    "";\n'
