#!/usr/bin/env python3
"""Two-channel telephone calls built from real recorded utterances (EmoDB) with syllable-exact truth.

The AMI headset pairs (calls_ami.py) have real crosstalk but turn-level labels; here the truth is
the union of EmoDB's hand-labelled syllables, so a talk spurt that runs on past the last syllable,
or across a pause, shows as such. Each call alternates two EmoDB speakers as the two parties of a
telephone call: a reply follows 0.1-1.0 s after the other's utterance ends, a fifth of the replies
start 0.2-0.6 s before its last syllable ends (real double-talk), and a quarter of the utterances are followed by
another of the same speaker after a 0.3-0.8 s pause. Both voices go through a telephone line:
speech at -26 dBFS active level, pink line noise, 300-3400 Hz, 8 kHz, G.711 mu-law. In the
versions with echo each channel also carries the other party's transmitted signal (already
mu-law coded once) through a line echo path of its own: a bulk delay, a dispersive impulse
response (exponentially decaying, spectrally shaped noise, as measured hybrid responses look),
an echo return loss that drifts slowly by +-3 dB, then the channel's own mu-law coding.

Versions (all five speaker pairs in each):
  plain   no echo, 30 dB SNR
  echo    echo at -18 dB: channel 0 20 ms late with 4 ms dispersion (a near hybrid), channel 1
          220 ms late with 8 ms dispersion (the far end of a mobile or VoIP path); 30 dB SNR
  noisy   as echo at -22 dB, with 15 dB SNR

Scores per 10 ms frame against the syllables, bridged at the specification's 0.18 s (talk spurts
bridge shorter pauses), and also against the bare syllables: VAD precision/recall/F1, talk time,
overlap (both talking), leak (speech given to a channel while only the other party talks), where
the errors lie (see _common.breakdown), and how far our spurts end after the truth's.

    /usr/bin/python3 scripts/eval/calls_emodb.py [--data DIR] [--callscope BIN] [--jobs N]
                                                [--only VERSION] [--set KEY=VALUE ...] [-v]
"""
import csv
import os
import sys
import tempfile
from collections import defaultdict

import numpy as np
import soundfile as sf
from scipy import signal

sys.dont_write_bytecode = True  # keep __pycache__ out of the project tree
import _common as C  # noqa: E402

RATE = 8000
HOP = 0.01
BRIDGE_S = 0.18
SPEECH_DBFS = -26.0
PAIRS = (("03", "08"), ("09", "10"), ("11", "03"), ("08", "09"), ("10", "11"))
# version: (echo return loss dB or None, SNR dB)
VERSIONS = {"plain": (None, 30.0), "echo": (-18.0, 30.0), "noisy": (-22.0, 15.0)}
# per channel: bulk delay s, dispersion time constant s
ECHO_PATHS = ((0.020, 0.004), (0.220, 0.008))
DRIFT_DB, DRIFT_PERIOD_S = 3.0, 7.0
TALK_TARGET, OVERLAP_TARGET = 0.10, 1.5


def load_utterances(data):
    syl = defaultdict(list)
    with open(os.path.join(data, "syllables.tsv")) as f:
        for r in csv.DictReader(f, delimiter="\t"):
            syl[r["file"]].append((float(r["start_s"]), float(r["end_s"])))
    by_speaker = defaultdict(list)
    with open(os.path.join(data, "complete_utterances.tsv")) as f:
        for r in csv.DictReader(f, delimiter="\t"):
            name = r["file"]
            x, rate = sf.read(os.path.join(data, name))
            if x.ndim > 1:
                x = x.mean(axis=1)
            x = signal.resample_poly(x, RATE, rate)
            # The clip from just before its first syllable to a little after its last: EmoDB's
            # room is nearly silent, so what is cut is silence, and the line adds its own noise.
            start = max(0.0, float(r["speech_start_s"]) - 0.05)
            end = min(len(x) / RATE, float(r["speech_end_s"]) + 0.15)
            clip = x[int(start * RATE):int(end * RATE)]
            sylls = [(a - start, b - start) for a, b in syl[name]]
            by_speaker[os.path.basename(name)[:2]].append((clip, sylls))
    return by_speaker


def active_rms(clip, sylls):
    on = np.zeros(len(clip), bool)
    for a, b in sylls:
        on[int(a * RATE):int(b * RATE)] = True
    return float(np.sqrt(np.mean(clip[on] ** 2))) if on.any() else 1e-9


def timeline(utts, rng):
    """[(channel, start_s, clip, syllables)] alternating the two speakers' utterances; gaps and
    overlaps are measured from the last syllable, not from the clip's end."""
    queues = [list(rng.permutation(len(u))) for u in utts]
    out, t, ch = [], 0.6, 0
    while queues[0] or queues[1]:
        if not queues[ch]:
            ch = 1 - ch
        clip, sylls = utts[ch][queues[ch].pop()]
        out.append((ch, t, clip, sylls))
        end = t + sylls[-1][1]
        if rng.random() < 0.25 and queues[ch]:
            t = end + rng.uniform(0.3, 0.8)
            continue
        ch = 1 - ch
        if rng.random() < 0.2 and sylls[-1][1] > 1.2:
            t = end - rng.uniform(0.2, 0.6)
        else:
            t = end + rng.uniform(0.1, 1.0)
    return out


def pink(n, rng):
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.arange(len(spec))
    spec[1:] /= np.sqrt(f[1:])
    spec[0] = 0
    x = np.fft.irfft(spec, n)
    return x / np.sqrt(np.mean(x ** 2))


def telephone_band(x):
    sos = signal.butter(4, [300, 3400], btype="bandpass", fs=RATE, output="sos")
    return signal.sosfilt(sos, x)


def mulaw(x):
    """A G.711 mu-law round trip (8-bit companding, segment quantisation approximated)."""
    mu = 255.0
    x = np.clip(x, -1, 1)
    y = np.sign(x) * np.log1p(mu * np.abs(x)) / np.log1p(mu)
    y = np.round(y * 127) / 127
    return np.sign(y) * np.expm1(np.abs(y) * np.log1p(mu)) / mu


def echo_response(rng, dispersion_s):
    """A line echo impulse response: decaying noise over about five time constants, shaped by
    a resonance somewhere in the voice band, with unit energy."""
    n = int(5 * dispersion_s * RATE) + 1
    h = rng.standard_normal(n) * np.exp(-np.arange(n) / (dispersion_s * RATE))
    f0 = rng.uniform(500, 1800)
    b, a = signal.iirpeak(f0, 1.5, fs=RATE)
    h = signal.lfilter(b, a, h) + 0.3 * h
    return h / np.sqrt(np.sum(h ** 2))


def make_call(utts, rng, erl_db, snr_db):
    events = timeline(utts, rng)
    n = int((max(t + len(c) / RATE for _, t, c, _ in events) + 0.8) * RATE)
    speech = np.zeros((2, n))
    truth = [[], []]
    gains = [SPEECH_DBFS - 20 * np.log10(np.mean([active_rms(c, s) for c, s in u])) for u in utts]
    for ch, t, clip, sylls in events:
        i = int(t * RATE)
        speech[ch, i:i + len(clip)] += clip * 10 ** (gains[ch] / 20)
        truth[ch] += [(t + a, t + b) for a, b in sylls]
    noise_rms = 10 ** ((SPEECH_DBFS - snr_db) / 20)
    line = np.stack([telephone_band(speech[c] + noise_rms * pink(n, rng)) for c in (0, 1)])
    sent = np.stack([mulaw(line[c]) for c in (0, 1)])
    out = line.copy()
    if erl_db is not None:
        t = np.arange(n) / RATE
        for c in (0, 1):
            delay_s, disp_s = ECHO_PATHS[c]
            h = echo_response(rng, disp_s)
            far = np.concatenate([np.zeros(int(delay_s * RATE)), sent[1 - c]])[:n]
            drift = DRIFT_DB * np.sin(2 * np.pi * t / DRIFT_PERIOD_S + rng.uniform(0, 2 * np.pi))
            out[c] += signal.lfilter(h, [1.0], far) * 10 ** ((erl_db + drift) / 20)
    return np.stack([mulaw(out[c]) for c in (0, 1)], axis=1), truth


def frames_of(intervals, n, bridge=0.0):
    mask = np.zeros(n, bool)
    merged = []
    for s, e in sorted(intervals):
        if merged and s - merged[-1][1] < bridge:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    for s, e in merged:
        mask[max(0, int(round(s / HOP))):min(n, int(round(e / HOP)))] = True
    return mask


def end_lags(ours, truth):
    """For each truth run whose last frame we mark: how many frames our spurt runs on past it."""
    lags = []
    for a, b in C.runs(truth):
        if not ours[b - 1]:
            continue
        k = b
        while k < len(ours) and ours[k]:
            k += 1
        lags.append(k - b)
    return lags


def score(report, truth, n):
    ours = []
    for role in ("agent", "customer"):
        segs = [(s["start_s"], s["end_s"]) for s in report.get("segments", []) if s.get("speaker") == role]
        ours.append(frames_of(segs, n))
    bridged = [frames_of(truth[c], n, BRIDGE_S) for c in (0, 1)]
    bare = [frames_of(truth[c], n) for c in (0, 1)]
    keep = np.ones(n, bool)
    row = {}
    for c in (0, 1):
        tp = float(np.sum(ours[c] & bridged[c]))
        row["p%d" % c] = tp / max(1.0, float(np.sum(ours[c])))
        row["r%d" % c] = tp / max(1.0, float(np.sum(bridged[c])))
        row["f%d" % c] = 2 * tp / max(1.0, float(np.sum(ours[c]) + np.sum(bridged[c])))
        row["talk%d" % c] = float(np.sum(ours[c])) * HOP
        row["truth%d" % c] = float(np.sum(bridged[c])) * HOP
        row["bare%d" % c] = float(np.sum(bare[c])) * HOP
        row["leak%d" % c] = float(np.sum(ours[c] & bridged[1 - c] & ~bridged[c])) * HOP
        fp, fn = C.breakdown(ours[c], bridged[c], bridged[1 - c], keep)
        for k, v in list(fp.items()) + list(fn.items()):
            row["%s%d" % (k, c)] = v * HOP
        row["lags%d" % c] = end_lags(ours[c], bridged[c])
    row["overlap"] = float(np.sum(ours[0] & ours[1])) * HOP
    row["truth_overlap"] = float(np.sum(bridged[0] & bridged[1])) * HOP
    row["silent"] = float(np.sum(~ours[0] & ~ours[1])) * HOP
    row["truth_silent"] = float(np.sum(~bridged[0] & ~bridged[1])) * HOP
    return row


def main():
    ap = C.calls_parser(__doc__, "emodb", sorted(VERSIONS))
    ap.add_argument("--keep", help="keep the generated calls and reports in this folder")
    ap.add_argument("-v", action="store_true", help="list every call")
    args = ap.parse_args()

    utts = load_utterances(args.data)
    extra = [x for kv in args.set for x in ("--set", kv)]
    versions = [v for v in VERSIONS if args.only in (None, v)]
    calls = []
    for v in versions:
        for i, (a, b) in enumerate(PAIRS):
            rng = np.random.default_rng(1000 + i)  # the same timeline in every version
            audio, truth = make_call((utts[a], utts[b]), rng, *VERSIONS[v])
            calls.append(("%s-%s-%s" % (a, b, v), v, audio, truth))

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or tmp
        os.makedirs(folder, exist_ok=True)

        def one(call):
            name, _, audio, _ = call
            wav = os.path.join(folder, name + ".wav")
            sf.write(wav, audio, RATE, subtype="ULAW")
            return C.analyze(args.callscope, wav, os.path.join(folder, name + ".json"), extra)

        results = C.pmap(one, calls, args.jobs)

    C.report_failures("callscope", [(c[0], err) for c, (rep, err) in zip(calls, results) if rep is None])
    rows = []
    for (name, v, audio, truth), (rep, _) in zip(calls, results):
        if rep is not None:
            rows.append((name, v, score(rep, truth, int(len(audio) / RATE / HOP))))
    if not rows:
        print("SUMMARY no call analysed")
        return 1
    if args.v:
        C.call_table(rows)

    out, errors, summary = [], [], []
    for v in versions:
        rs = [r for _, vv, r in rows if vv == v]
        chans = [(r, c) for r in rs for c in (0, 1)]
        talk = sum(r["talk%d" % c] for r, c in chans)
        truth = sum(r["truth%d" % c] for r, c in chans)
        bare = sum(r["bare%d" % c] for r, c in chans)
        err = sum(abs(r["talk%d" % c] - r["truth%d" % c]) for r, c in chans) / truth
        ov = sum(r["overlap"] for r in rs) / max(1e-9, sum(r["truth_overlap"] for r in rs))
        sil = sum(r["silent"] for r in rs) / max(1e-9, sum(r["truth_silent"] for r in rs))
        lags = [x * HOP for r, c in chans for x in r["lags%d" % c]]
        f1 = float(np.mean([r["f%d" % c] for r, c in chans]))
        leak = sum(r["leak0"] + r["leak1"] for r in rs)
        out.append([v, len(rs), "%.3f" % f1, "%.2f" % np.mean([r["p%d" % c] for r, c in chans]),
                    "%.2f" % np.mean([r["r%d" % c] for r, c in chans]), C.pct(err),
                    C.pct(talk / truth - 1, sign=True), C.pct(talk / bare - 1, sign=True), "%.2fx" % ov,
                    "%.2fx" % sil, "%.1f" % leak, "%.2f / %.2f" % (np.median(lags), np.percentile(lags, 90))])
        errors.append(C.breakdown_row(v, chans))
        summary.append("%s: talk error %s (%s), overlap %.2fx (%s), F1 %.3f, leak %.1f s, end lag %.2f s" % (
            v, C.pct(err), C.verdict(err, TALK_TARGET, False), ov,
            C.verdict(max(ov, 1 / max(ov, 1e-9)), OVERLAP_TARGET, False), f1, leak, np.median(lags)))
    C.table(["version", "calls", "VAD F1", "precision", "recall", "talk error", "talk bias", "vs bare",
             "overlap", "silence", "leak s", "end lag med / p90 s"], out)
    C.breakdown_table(errors)
    print("\nSUMMARY " + "; ".join(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
