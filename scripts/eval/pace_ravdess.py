#!/usr/bin/python3
"""Speaking pace (articulation rate) of callscope against the RAVDESS sentences.

Every RAVDESS sentence ("Kids are talking by the door", "Dogs are sitting by the door") has 7
syllables. Truth per file = 7 / speaking time, where the speaking time is measured on the clean
studio file itself:
- frames of 40 ms every 10 ms; a frame is voiced when its normalised autocorrelation reaches 0.45
  at a lag of a 60-500 Hz pitch and it is loud: within 30 dB of the file's 97th-percentile frame
  level and 15 dB over its 5th-percentile (room) level. Voiced runs shorter than 50 ms are clicks
  or noise and are dropped;
- speech runs from the first to the last voiced frame, extended at each end by up to 0.15 s of
  frames within 35 dB of the 97th percentile (and 15 dB over the room), which takes in an
  unvoiced onset such as the /k/ of "Kids" but not a breath well before it;
- inside that span, quiet stretches of 0.25 s or more are pauses and are left out, as the
  articulation rate requires; shorter ones (stop closures) count as speech.
Ours = per_speaker.agent.pace_syl_per_s of `callscope analyze` on the file as it is (each file
has about a second of room sound before the sentence).

Prints per actor, per emotion and overall: median absolute relative error (target <= 12 %) and
Pearson r (target >= 0.8); also the odd actors and the even actors apart, so that a change tuned
on one half can be checked on the other. -v lists every file.

usage: scripts/eval/pace_ravdess.py [--data DIR] [--callscope BIN] [--jobs N] [-v]
"""
import argparse
import csv
import os
import sys
import tempfile
from collections import defaultdict

import numpy as np
import soundfile as sf
from numpy.lib.stride_tricks import sliding_window_view

sys.dont_write_bytecode = True  # keep __pycache__ out of the project tree
import _common as C  # noqa: E402
from pace_emodb import TARGET_ERR, TARGET_R, stats_for  # noqa: E402

SYLLABLES = 7
FRAME_S, HOP_S = 0.04, 0.01
VOICED_CORR = 0.45
PITCH_HZ = (60, 500)
LOUD_DB, EDGE_DB, ROOM_DB = 30, 35, 15
MIN_VOICED_S, EDGE_S, PAUSE_S = 0.05, 0.15, 0.25


def speaking_time(x, rate):
    """Seconds of speech in a clean recording of one sentence (see the opening comment), or None."""
    if x.ndim > 1:
        x = x.mean(axis=1)
    hop, win = int(HOP_S * rate), int(FRAME_S * rate)
    if len(x) < win:
        return None
    frames = sliding_window_view(x, win)[::hop]
    frames = frames - frames.mean(axis=1, keepdims=True)
    level = 10 * np.log10((frames ** 2).mean(axis=1) + 1e-12)
    spec = np.fft.rfft(frames, 2 * win, axis=1)
    acf = np.fft.irfft(np.abs(spec) ** 2, 2 * win, axis=1)[:, :win]
    lo, hi = int(rate / PITCH_HZ[1]), int(rate / PITCH_HZ[0])
    # normalised by the overlap of each lag, so a long period is not penalised
    corr = acf[:, lo:hi] / np.maximum(acf[:, :1], 1e-20) * win / (win - np.arange(lo, hi))
    top, room = np.percentile(level, 97), np.percentile(level, 5)
    voiced = (corr.max(axis=1) >= VOICED_CORR) & (level > max(top - LOUD_DB, room + ROOM_DB))
    loud = level > max(top - EDGE_DB, room + ROOM_DB)
    runs = np.flatnonzero(np.diff(np.concatenate([[0], voiced.astype(int), [0]])))
    kept = [(a, b) for a, b in zip(runs[::2], runs[1::2]) if (b - a) * HOP_S >= MIN_VOICED_S - 1e-9]
    if not kept:
        return None
    first, last = kept[0][0], kept[-1][1] - 1
    for _ in range(int(round(EDGE_S / HOP_S))):
        if first > 0 and loud[first - 1]:
            first -= 1
        if last < len(loud) - 1 and loud[last + 1]:
            last += 1
    speech, quiet = 0, 0
    for is_loud in loud[first:last + 1]:
        if is_loud:
            speech += 1 + (quiet if quiet * HOP_S < PAUSE_S else 0)
            quiet = 0
        else:
            quiet += 1
    return speech * HOP_S


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=C.default_data("ravdess"), help="RAVDESS folder (default: %(default)s)")
    ap.add_argument("--callscope", default=C.default_binary(), help="binary (default: %(default)s)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("-v", action="store_true", help="list every file")
    a = ap.parse_args()

    with open(os.path.join(a.data, "meta.tsv")) as f:
        meta = [r for r in csv.DictReader(f, delimiter="\t") if int(r["syllables_in_text"]) == SYLLABLES]
    if not meta:
        sys.exit("no files in %s/meta.tsv" % a.data)

    with tempfile.TemporaryDirectory(prefix="pace_ravdess.") as tmp:
        def one(r):
            path = os.path.join(a.data, r["file"])
            try:
                x, rate = sf.read(path, dtype="float64")
            except RuntimeError as e:
                return None, None, "unreadable: %s" % e
            speak = speaking_time(x, rate)
            rep, err = C.analyze(a.callscope, path, os.path.join(tmp, os.path.basename(path) + ".json"))
            return speak, C.num(C.get(rep, "per_speaker", "agent", "pace_syl_per_s")), err
        results = C.pmap(one, meta, a.jobs)

    C.report_failures("callscope", [(r["file"], res[2]) for r, res in zip(meta, results) if res[2]])
    groups, rows, failed, unmeasured = defaultdict(list), [], 0, 0
    for r, (speak, ours, err) in zip(meta, results):
        if err or not speak:
            failed += 1
            continue
        truth = SYLLABLES / speak
        if ours is None:
            unmeasured += 1
            continue
        pair = (truth, ours)
        half = "odd actors" if int(r["actor"]) % 2 else "even actors"
        for g in ("actor " + r["actor"], r["emotion"], half, "all"):
            groups[g].append(pair)
        rows.append([r["file"], r["emotion"], r["intensity"], "%.2f" % speak, "%.2f" % truth, "%.2f" % ours,
                     C.pct((ours - truth) / truth, sign=True)])
    if a.v:
        print("RAVDESS articulation rate, syllables per second of speech")
        C.table(["file", "emotion", "intensity", "speak_s", "truth", "ours", "rel.err"], rows)
        print()
    srows = []
    order = sorted(g for g in groups if g.startswith("actor")) + \
        sorted(g for g in groups if not g.startswith("actor") and g != "all" and "actors" not in g) + \
        ["odd actors", "even actors", "all"]
    for g in order:
        n, med, rr, bias = stats_for(groups[g])
        srows.append([g, n, C.pct(med), C.fmt(rr, "%.3f"), C.pct(bias, sign=True)])
    C.table(["group", "files", "median |rel.err|", "Pearson r", "mean bias"], srows)
    print()
    n, med, rr, bias = stats_for(groups["all"])
    print("SUMMARY pace_ravdess: measured %d/%d (failed %d, null %d); median |rel.err| %s (target <=12%%: %s); "
          "Pearson r %s (target >=0.8: %s); mean bias %s" % (
              n, len(meta), failed, unmeasured, C.pct(med), C.verdict(med, TARGET_ERR, False),
              C.fmt(rr, "%.3f"), C.verdict(rr, TARGET_R, True), C.pct(bias, sign=True)))


if __name__ == "__main__":
    main()
