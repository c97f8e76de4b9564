#!/bin/sh
# Usage: sh scripts/make-tone-model.sh > models/tone.model
#
# Writes the default tone model from published within-speaker differences
# between angry/agitated and calm speech (see the header it writes). For each
# feature: weight = k * difference / spread^2 (linear discriminant with
# independent features); the bias and k put a speaker at baseline at
# AT_BASELINE and the angry prototype at AT_PROTOTYPE.
set -eu
AT_BASELINE=0.15
AT_PROTOTYPE=0.90
# feature  difference  calm-spread  clamp
FEATURES='pitch 4 2 12
range 2 1.5 8
level 8 3 20
high_band 4 2 12
pace 2.0163 2.6303 8'
# pace: 10*log2(1.15) = 2.0163 for +15 %; spread 10*log2(1.2) = 2.6303 for 20 %.
sed -n '1,/^name = /p' "$(dirname "$0")/../models/tone.model" | sed '$d'
printf '%s\n' "$FEATURES" | awk -v p0="$AT_BASELINE" -v p1="$AT_PROTOTYPE" '
    { name[NR] = $1; d[NR] = $2; sd[NR] = $3; lim[NR] = $4; w[NR] = $2 / ($3 * $3); s += w[NR] * $2 }
    END {
        b = log(p0 / (1 - p0)); k = (log(p1 / (1 - p1)) - b) / s
        print "name = literature-2026-11"
        printf "bias = %.4f\n", b
        for (i = 1; i <= NR; i++) printf "%s = %.4f\n", name[i], k * w[i]
        for (i = 1; i <= NR; i++) printf "limit.%s = %g\n", name[i], lim[i]
    }'
