#!/bin/sh
# Usage: sh scripts/make-tone-model.sh > models/tone.model
#
# Writes the default tone model from published within-speaker differences
# (see the header it writes). Tension is anger set against both calm and
# joyful speech, so each feature's weight follows the mean of anger's
# difference from calm and its difference from joy: weight = k * difference
# / spread^2 (a linear discriminant with independent features). The bias and
# k put a speaker at baseline at AT_BASELINE and the angry prototype (anger
# against calm) at AT_PROTOTYPE. Laughter has no baseline: a window of
# nothing but laughter takes LAUGHTER_CANCEL times the prototype's pull away.
set -eu
AT_BASELINE=0.15
AT_PROTOTYPE=0.90
LAUGHTER_CANCEL=2
# feature  vs-calm  vs-joy  calm-spread  clamp
# pace: 10*log2(1.15) = 2.0163 for +15 %; spread 10*log2(1.2) = 2.6303 for 20 %.
FEATURES='pitch 4 0 2 12
range 2 0 1.5 8
level 8 4 3 20
high_band 4 2 2 12
pace 2.0163 0 2.6303 8
aperiodic 4 4 6 30'
sed -n '1,/^name = /p' "$(dirname "$0")/../models/tone.model" | sed '$d'
printf '%s\n' "$FEATURES" | awk -v p0="$AT_BASELINE" -v p1="$AT_PROTOTYPE" -v cancel="$LAUGHTER_CANCEL" '
    { name[NR] = $1; lim[NR] = $5; w[NR] = ($2 + $3) / 2 / ($4 * $4); s += w[NR] * $2 }
    END {
        b = log(p0 / (1 - p0)); pull = log(p1 / (1 - p1)) - b; k = pull / s
        print "name = literature-2026-12"
        printf "bias = %.4f\n", b
        for (i = 1; i <= NR; i++) printf "%s = %.4f\n", name[i], k * w[i]
        printf "laughter = %.4f\n", -cancel * pull / 100
        for (i = 1; i <= NR; i++) printf "limit.%s = %g\n", name[i], lim[i]
        print "limit.laughter = 100"
    }'
