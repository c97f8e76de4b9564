#!/usr/bin/env bash
# Regenerates the demo call:
#   recordings/demo_call.wav         stereo, 8 kHz, mu-law; agent = channel 0, customer = channel 1
#   recordings/demo_call.truth.json  where every utterance and every intended event was placed
#
# Usage (from the repository root): bash recordings/make-demo-call.sh
# Needs espeak-ng and sox (sh scripts/install-deps.sh --dev installs both).
#
# How it works: every utterance is synthesized with espeak-ng, band-limited to the telephone
# band, resampled to 8 kHz and trimmed to its audible part. The script keeps a timeline in
# samples: a turn starts a chosen gap after the previous turn ended (a negative gap is an
# overlapping hand-over), a backchannel is placed inside the other speaker's turn, and an
# interruption starts inside the other speaker's turn and cuts that turn short. Each channel is
# then built by concatenating its utterances with the silences between them, the other party's
# echo and a little pink noise are mixed in, and both channels are encoded as mu-law.
# Everything is deterministic: fixed texts and voices, and sox runs with a fixed random seed.
set -euo pipefail

readonly SR=8000                      # output sample rate
readonly MS=$((SR / 1000))            # samples per millisecond
readonly LEAD_MS=800                  # silence before the first word
readonly TAIL_MS=1500                 # silence after the last word
readonly PIECE_PAUSE_MS=450           # pause between the sentences of one turn
readonly ECHO_DELAY_MS=30             # each party leaks into the other channel this late ...
readonly ECHO_GAIN_DB=-25             # ... and this much quieter
readonly NOISE_BELOW_SPEECH_DB=30     # background noise level under the speech level

readonly AGENT_VOICE=en-gb+f2 AGENT_RATE=160 AGENT_PITCH=55 AGENT_PEAK_DB=-4.5
readonly CUSTOMER_VOICE=en-us+m3 CUSTOMER_RATE=150 CUSTOMER_PITCH=42 CUSTOMER_PEAK_DB=-5.0

# Small, fixed per-utterance variations so the voices do not sound stamped out.
readonly JITTER_RATE=(0 7 -5 10 -3 4 -8 2 6 -6)
readonly JITTER_PITCH=(0 3 -2 5 -4 1 -1 4 -3 2)
readonly JITTER_LEVEL_TENTHS_DB=(0 -5 -10 3 -7 -2 -12 -4 0 -8)

cd "$(dirname "$0")/.."
readonly OUT_WAV=recordings/demo_call.wav
readonly OUT_TRUTH=recordings/demo_call.truth.json

die() { printf 'make-demo-call: %s\n' "$*" >&2; exit 1; }
log() { printf 'make-demo-call: %s\n' "$*" >&2; }

for tool in espeak-ng sox soxi awk; do
    command -v "$tool" >/dev/null 2>&1 ||
        die "$tool not found; install it with: sh scripts/install-deps.sh --dev"
done

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# sox with a fixed random seed (-R) and no dither (-D), so every run writes the same bytes.
xsox() { sox -R -D -V1 "$@"; }

# --- timeline state (all times in samples at SR) -------------------------------------------

N=0                   # number of utterances so far
FLOOR_END=$((LEAD_MS * MS))  # when the floor became free (end of the latest turn)
CURRENT=-1            # index of the latest turn (not backchannel)
declare -a U_SPK U_START U_LEN U_TEXT U_KIND U_CUT U_PIECES U_FILE
declare -a EVENTS
declare -A CHANNEL_END=([agent]=0 [customer]=0)

other_of() { if [[ $1 == agent ]]; then echo customer; else echo agent; fi; }

# seconds with millisecond precision from a sample count
secs() { printf '%d.%03d' $(($1 / SR)) $((($1 % SR) / MS)); }

json_str() {
    local s=${1//\\/\\\\}
    s=${s//\"/\\\"}
    printf '"%s"' "$s"
}

# --- audio helpers ---------------------------------------------------------------------------

# RMS level in dBFS of a mono file
rms_db() { sox "$1" -n stats 2>&1 | awk '/^RMS lev dB/ { print $4 }'; }

nsamples() { soxi -s "$1"; }

# synth_piece SPEAKER STYLE TEXT OUT: one sentence, 8 kHz float mono, telephone band,
# trimmed to where it is audible, peak-normalized to the speaker's level.
synth_piece() {
    local spk=$1 style=$2 text=$3 out=$4
    local voice rate pitch peak j=$((N % ${#JITTER_RATE[@]}))
    if [[ $spk == agent ]]; then
        voice=$AGENT_VOICE rate=$AGENT_RATE pitch=$AGENT_PITCH peak=$AGENT_PEAK_DB
    else
        voice=$CUSTOMER_VOICE rate=$CUSTOMER_RATE pitch=$CUSTOMER_PITCH peak=$CUSTOMER_PEAK_DB
    fi
    rate=$((rate + JITTER_RATE[j]))
    pitch=$((pitch + JITTER_PITCH[j]))
    peak=$(awk -v p="$peak" -v t="${JITTER_LEVEL_TENTHS_DB[j]}" 'BEGIN { printf "%.1f", p + t / 10 }')
    case $style in
        calm) ;;
        upset) rate=$((rate + 22)) pitch=$((pitch + 14)) peak=-3.5 ;;
        *) die "unknown style $style" ;;
    esac
    espeak-ng -v "$voice" -s "$rate" -p "$pitch" -w "$WORK/raw.wav" "$text"
    xsox "$WORK/raw.wav" -e floating-point -b 32 -c 1 "$out" \
        rate -v "$SR" sinc 300-3400 \
        silence 1 0.01 -45d reverse silence 1 0.01 -45d reverse \
        fade 0.005 reverse fade 0.005 reverse norm "$peak"
}

# make_utterance SPEAKER STYLE "sentence|sentence|...": synthesizes utterance N (the
# sentences joined by short pauses) and records its length and where each sentence ends.
make_utterance() {
    local spk=$1 style=$2 text=$3
    local -a pieces files=()
    local piece i=0 ends="" pos=0 len out="$WORK/u$N.wav"
    IFS='|' read -r -a pieces <<<"$text"
    for piece in "${pieces[@]}"; do
        synth_piece "$spk" "$style" "$piece" "$WORK/u$N.p$i.wav"
        len=$(nsamples "$WORK/u$N.p$i.wav")
        if ((i > 0)); then
            xsox "$WORK/u$N.p$i.wav" "$WORK/u$N.q$i.wav" pad "$((PIECE_PAUSE_MS * MS))s"
            pos=$((pos + PIECE_PAUSE_MS * MS))
            files+=("$WORK/u$N.q$i.wav")
        else
            files+=("$WORK/u$N.p$i.wav")
        fi
        pos=$((pos + len))
        ends+="$pos "
        i=$((i + 1))
    done
    if ((${#files[@]} == 1)); then
        mv "${files[0]}" "$out"
    else
        xsox "${files[@]}" "$out"
    fi
    U_SPK[N]=$spk
    U_TEXT[N]=${text//|/ }
    U_LEN[N]=$(nsamples "$out")
    U_PIECES[N]=$ends
    U_FILE[N]=$out
    U_CUT[N]=false
}

# place START KIND: puts utterance N on the timeline, checking it does not overlap the same
# speaker's previous utterance (overlaps happen only across channels).
place() {
    local start=$1 kind=$2 spk=${U_SPK[N]}
    ((start >= CHANNEL_END[$spk])) ||
        die "utterance $N ($spk) starts at $(secs "$start") s, before its channel is free"
    U_START[N]=$start
    U_KIND[N]=$kind
    CHANNEL_END[$spk]=$((start + U_LEN[N]))
    N=$((N + 1))
}

end_of() { echo $((U_START[$1] + U_LEN[$1])); }

add_event() { EVENTS+=("$1"); }

# --- the conversation vocabulary ---------------------------------------------------------------

# turn SPEAKER GAP_MS TEXT [STYLE]: a normal turn, GAP_MS after the floor became free.
# A negative gap under 300 ms makes a cooperative end-of-turn overlap.
turn() {
    local spk=$1 gap=$2 text=$3 style=${4:-calm}
    local start=$((FLOOR_END + gap * MS))
    if ((gap < 0)); then
        ((gap > -300)) || die "an end-of-turn overlap must be shorter than 300 ms"
        [[ ${U_SPK[CURRENT]} != "$spk" ]] || die "overlap with oneself"
        add_event "$(printf '{"type": "overlap", "speaker": "%s", "other": "%s", "start_s": %s, "end_s": %s}' \
            "$spk" "${U_SPK[CURRENT]}" "$(secs "$start")" "$(secs "$FLOOR_END")")"
    fi
    make_utterance "$spk" "$style" "$text"
    CURRENT=$N
    place "$start" turn
    FLOOR_END=$(end_of "$CURRENT")
}

# backchannel SPEAKER SENTENCE DELTA_MS TEXT: a short listener response that starts DELTA_MS
# after the end of sentence number SENTENCE (0-based) of the other speaker's current turn.
backchannel() {
    local spk=$1 k=$2 delta=$3 text=$4
    local host=$CURRENT
    local -a ends
    read -r -a ends <<<"${U_PIECES[host]}"
    [[ ${U_SPK[host]} != "$spk" ]] || die "a backchannel must be inside the other speaker's turn"
    ((k < ${#ends[@]})) || die "the current turn has no sentence $k"
    local start=$((U_START[host] + ends[k] + delta * MS))
    make_utterance "$spk" calm "$text"
    ((U_LEN[N] <= 1000 * MS)) || die "backchannel '$text' is longer than 1 s"
    (($(end_of "$host") - start >= 1500 * MS)) ||
        die "backchannel '$text': the other speaker must keep talking well after it"
    add_event "$(printf '{"type": "backchannel", "speaker": "%s", "other": "%s", "start_s": %s, "end_s": %s, "text": %s}' \
        "$spk" "${U_SPK[host]}" "$(secs "$start")" "$(secs $((start + U_LEN[N])))" "$(json_str "$text")")"
    place "$start" backchannel
}

# interrupt SPEAKER AFTER_MS KEEP_MS TEXT [STYLE]: SPEAKER starts AFTER_MS into the other
# speaker's current turn; the other gives up KEEP_MS later (their audio is cut there).
interrupt() {
    local spk=$1 after=$2 keep=$3 text=$4 style=${5:-calm}
    local host=$CURRENT
    [[ ${U_SPK[host]} != "$spk" ]] || die "an interruption must cut into the other speaker"
    local onset=$((U_START[host] + after * MS))
    local cut=$((after * MS + keep * MS))
    ((cut + 500 * MS < U_LEN[host])) || die "interruption at $after ms is too late in the turn"
    xsox "${U_FILE[host]}" "$WORK/cut$host.wav" trim 0 "${cut}s" fade 0 -0 0.06
    U_FILE[host]=$WORK/cut$host.wav
    U_LEN[host]=$cut
    U_CUT[host]=true
    CHANNEL_END[${U_SPK[host]}]=$((U_START[host] + cut))
    make_utterance "$spk" "$style" "$text"
    add_event "$(printf '{"type": "interruption", "speaker": "%s", "other": "%s", "start_s": %s, "end_s": %s}' \
        "$spk" "${U_SPK[host]}" "$(secs "$onset")" "$(secs $((U_START[host] + cut)))")"
    CURRENT=$N
    place "$onset" interruption
    FLOOR_END=$(end_of "$CURRENT")
}

# dead_air MS: both parties stay silent for MS after the floor became free.
dead_air() {
    local start=$FLOOR_END
    FLOOR_END=$((FLOOR_END + $1 * MS))
    add_event "$(printf '{"type": "dead_air", "start_s": %s, "end_s": %s}' \
        "$(secs "$start")" "$(secs "$FLOOR_END")")"
}

# mark_story: records the current (customer) turn as a customer story.
mark_story() {
    local i=$CURRENT
    add_event "$(printf '{"type": "customer_story", "speaker": "%s", "start_s": %s, "end_s": %s}' \
        "${U_SPK[i]}" "$(secs "${U_START[i]}")" "$(secs "$(end_of "$i")")")"
}

# --- the call ----------------------------------------------------------------------------------

conversation() {
    turn agent 0 "Thank you for calling Brightwater Energy, this is Sarah speaking. How can I help you today?"
    turn customer 550 "Hi, yes. I'm calling about my electricity bill. There's a problem with it."
    turn agent 420 "I'm sorry to hear that. I can certainly look into it for you.|Could I have your account number, please?"
    turn customer 760 "Sure. It's four seven two, nine one eight, three three zero five."
    turn agent 330 "Thank you. And can you confirm the name and the postcode on the account?"
    turn customer 520 "David Morgan. And the postcode is L S six, four A B."
    turn agent 380 "Thank you, Mister Morgan. Let me bring up your account. One moment, please."
    dead_air 6000
    turn agent 0 "Thanks for waiting. I have your account open now.|So what seems to be the problem with the bill?"

    turn customer 480 "Well, it's a bit of a long story.|I set up a direct debit back in March, and the first payment went out on the fifth, just like it should.|Then on the twelfth I got a letter saying that the payment had failed, so I paid the whole amount again by card, over the phone.|And now I've looked at my bank statement, and the direct debit did go through after all, so I've paid the same bill twice.|That's almost two hundred pounds, and I really need it back before the end of the month."
    mark_story
    backchannel agent 1 -250 "Mm hmm."
    backchannel agent 2 60 "Right."
    backchannel agent 3 -150 "I see."

    turn agent 620 "Oh dear, I'm really sorry about that. Let me check the payments on your account."
    turn customer 450 "I already called about this last week and the man I spoke to promised me that somebody would phone me back within two days but nobody ever did."
    interrupt agent 3100 1000 "Sorry, just so I have it right, was the card payment on the twelfth of March?"
    turn customer 500 "Yes. The twelfth. By card."

    turn agent 400 "Thank you. I can see both payments here, so you have definitely been charged twice. What I'm going to do is raise a refund for the card payment today. It normally takes between three and five working days for the money to reach your account, and you will get a confirmation letter once it has been sent."
    interrupt customer 13800 1100 "Five working days? Last time I was told it would be sorted out straight away!" upset
    turn agent 650 "I understand, and I'm sorry you were given the wrong information.|I'll mark the refund as urgent, so it should reach you sooner than that."

    turn customer 520 "Okay. Well, I just want to make sure this doesn't happen again.|Will the direct debit still go out next month as normal, or do I need to set it up again?"
    backchannel agent 0 120 "Okay."
    turn agent 320 "It will go out as normal on the fifth, and you don't need to do anything. I've also added a note, so you won't get another failed payment letter."
    turn customer -200 "Right, that's good to know. And will I get an email when the refund is sent?"
    turn agent 430 "Yes, you'll get an email and a text message as soon as it's processed.|Your reference number is R F, five five two, eight one."
    turn customer 640 "R F five five two eight one. Got it."
    turn agent 300 "Is there anything else I can help you with today?"
    turn customer 520 "No, that's everything. Thanks for your help, Sarah."
    turn agent 260 "You're welcome, Mister Morgan. Thank you for calling Brightwater Energy, and have a lovely day."
    turn customer 420 "You too. Bye."
}

# --- rendering ---------------------------------------------------------------------------------

# build_channel SPEAKER TOTAL OUT: the speaker's utterances with silences in between.
build_channel() {
    local spk=$1 total=$2 out=$3
    local -a parts=()
    local i pos=0 n=0 part
    for ((i = 0; i < N; i++)); do
        [[ ${U_SPK[i]} == "$spk" ]] || continue
        part="$WORK/$spk.$n.wav"
        xsox "${U_FILE[i]}" "$part" pad "$((U_START[i] - pos))s"
        parts+=("$part")
        pos=$((U_START[i] + U_LEN[i]))
        n=$((n + 1))
    done
    xsox "${parts[@]}" "$out" pad 0 "$((total - pos))s"
    [[ $(nsamples "$out") -eq $total ]] || die "channel $spk has the wrong length"
}

# longest_utterance SPEAKER: the file of the speaker's longest utterance
longest_utterance() {
    local spk=$1 i best=-1
    for ((i = 0; i < N; i++)); do
        [[ ${U_SPK[i]} == "$spk" ]] || continue
        if ((best < 0 || U_LEN[i] > U_LEN[best])); then best=$i; fi
    done
    echo "${U_FILE[best]}"
}

# line_channel SPEAKER OTHER NOISE OUT: the speaker's clean channel plus the other party's
# echo and background noise at NOISE_BELOW_SPEECH_DB under the speaker's speech level,
# limited to the telephone band.
line_channel() {
    local spk=$1 other=$2 noise=$3 out=$4
    local total speech_db noise_db gain
    total=$(nsamples "$WORK/$spk.clean.wav")
    xsox "$WORK/$other.clean.wav" "$WORK/$spk.echo.wav" \
        gain "$ECHO_GAIN_DB" pad "$((ECHO_DELAY_MS * MS))s" trim 0 "${total}s"
    speech_db=$(rms_db "$(longest_utterance "$spk")")
    noise_db=$(rms_db "$noise")
    gain=$(awk -v s="$speech_db" -v n="$noise_db" -v b="$NOISE_BELOW_SPEECH_DB" \
        'BEGIN { printf "%.2f", s - b - n }')
    xsox "$noise" "$WORK/$spk.noise.wav" gain "$gain"
    xsox -m -v 1 "$WORK/$spk.clean.wav" -v 1 "$WORK/$spk.echo.wav" -v 1 "$WORK/$spk.noise.wav" \
        "$out" sinc 300-3400
}

render() {
    local total=$1
    log "building channels ($(secs "$total") s)"
    build_channel agent "$total" "$WORK/agent.clean.wav"
    build_channel customer "$total" "$WORK/customer.clean.wav"

    # One stretch of pink noise twice the call's length; each channel takes one half, so the
    # two channels' noise is independent yet reproducible.
    xsox -r "$SR" -c 1 -n -e floating-point -b 32 "$WORK/noise.wav" synth "$((2 * total))s" pinknoise sinc 300-3400
    xsox "$WORK/noise.wav" "$WORK/noise0.wav" trim 0 "${total}s"
    xsox "$WORK/noise.wav" "$WORK/noise1.wav" trim "${total}s" "${total}s"

    line_channel agent customer "$WORK/noise0.wav" "$WORK/line0.wav"
    line_channel customer agent "$WORK/noise1.wav" "$WORK/line1.wav"
    xsox -M "$WORK/line0.wav" "$WORK/line1.wav" -e u-law -b 8 -r "$SR" -c 2 "$OUT_WAV"
}

write_truth() {
    local total=$1 i sep=""
    {
        printf '{\n  "schema": "callscope.truth/1",\n'
        printf '  "recording": "demo_call.wav",\n'
        printf '  "duration_s": %s,\n' "$(secs "$total")"
        printf '  "sample_rate_hz": %d,\n' "$SR"
        printf '  "speakers": [{"id": "agent", "channel": 0, "voice": "%s"}, {"id": "customer", "channel": 1, "voice": "%s"}],\n' \
            "$AGENT_VOICE" "$CUSTOMER_VOICE"
        printf '  "channel_conditions": {"band_hz": [300, 3400], "encoding": "u-law", "echo_delay_s": %s, "echo_gain_db": %d, "noise": "pink", "noise_below_speech_db": %d},\n' \
            "$(secs $((ECHO_DELAY_MS * MS)))" "$ECHO_GAIN_DB" "$NOISE_BELOW_SPEECH_DB"
        printf '  "utterances": [\n'
        for ((i = 0; i < N; i++)); do
            printf '%s    {"speaker": "%s", "start_s": %s, "end_s": %s, "kind": "%s", "cut": %s, "text": %s}' \
                "$sep" "${U_SPK[i]}" "$(secs "${U_START[i]}")" "$(secs "$(end_of "$i")")" \
                "${U_KIND[i]}" "${U_CUT[i]}" "$(json_str "${U_TEXT[i]}")"
            sep=$',\n'
        done
        printf '\n  ],\n  "events": [\n'
        sep=""
        for ((i = 0; i < ${#EVENTS[@]}; i++)); do
            printf '%s    %s' "$sep" "${EVENTS[i]}"
            sep=$',\n'
        done
        printf '\n  ]\n}\n'
    } >"$OUT_TRUTH"
}

main() {
    log "synthesizing utterances with espeak-ng"
    conversation
    local i last=0 total
    for ((i = 0; i < N; i++)); do
        if (($(end_of "$i") > last)); then last=$(end_of "$i"); fi
    done
    total=$((last + TAIL_MS * MS))
    render "$total"
    write_truth "$total"
    log "wrote $OUT_WAV and $OUT_TRUTH"
}

main "$@"
