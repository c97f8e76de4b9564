#!/usr/bin/env python3
"""Mono separation on the two-speaker stretches of AMI meeting clips.

The clips (../shared/data/ami: 30 s, 16 kHz mono, 3-4 speakers each, speaker
turns in labels.tsv) are meetings, not calls; the stretches in which exactly
two people speak, 8 s or longer and each person 2 s or more, are scored
(each clip is analysed whole, as a mono call). The
diarization error rate is scored per 10 ms frame: the better of the two ways to
match the report's agent/customer to the two people, a 0.25 s collar around
every labelled boundary left out, and frames where both people speak left out
(the same rules as the development set's scorer).

    /usr/bin/python3 scripts/eval/diarize_ami.py [--data DIR] [--callscope BIN] [--jobs N]
"""
import argparse
import os
import sys
import tempfile

import numpy as np
import soundfile as sf

sys.dont_write_bytecode = True  # keep __pycache__ out of the project tree
import _common as C  # noqa: E402

HOP = 0.01
COLLAR = 0.25
MIN_STRETCH_S = 8.0
MIN_EACH_S = 2.0


def read_labels(path):
    turns = {}
    with open(path) as f:
        next(f)
        for line in f:
            name, start, end, who = line.rstrip("\n").split("\t")
            turns.setdefault(name, []).append((float(start), float(end), who))
    return turns


def two_speaker_stretches(turns, duration):
    """Stretches between turn boundaries in which exactly two people talk, each
    for MIN_EACH_S or more; the longest first, none overlapping another."""
    edges = sorted({0.0, duration} | {t for s, e, _ in turns for t in (s, e) if 0 <= t <= duration})
    found = []
    for i, a in enumerate(edges):
        for b in edges[i + 1:]:
            if b - a < MIN_STRETCH_S:
                continue
            talk = {}
            for s, e, w in turns:
                if s < b and e > a:
                    talk[w] = talk.get(w, 0.0) + min(e, b) - max(s, a)
            if len(talk) == 2 and min(talk.values()) >= MIN_EACH_S:
                found.append((a, b, tuple(sorted(talk))))
    found.sort(key=lambda x: x[0] - x[1])
    out = []
    for a, b, who in found:
        if all(b <= x or a >= y for x, y, _ in out):
            out.append((a, b, who))
    return sorted(out)


def mask(intervals, n, offset):
    m = np.zeros(n, bool)
    for s, e in intervals:
        a, b = int(round((s - offset) / HOP)), int(round((e - offset) / HOP))
        m[max(0, a):max(0, min(n, b))] = True
    return m


def der(truth, pred, boundaries, n):
    keep = ~(truth[0] & truth[1])
    c = int(round(COLLAR / HOP))
    for b in boundaries:
        i = int(round(b / HOP))
        keep[max(0, i - c):min(n, i + c)] = False
    best = None
    for p0, p1 in ((pred[0], pred[1]), (pred[1], pred[0])):
        t0, t1, q0, q1 = truth[0][keep], truth[1][keep], p0[keep], p1[keep]
        speech = t0 | t1
        npred = q0.astype(int) + q1.astype(int)
        miss = int((speech & (npred == 0)).sum())
        fa = int((~speech * npred).sum() + (speech & (npred == 2)).sum())
        conf = int((t0 & ~q0 & q1).sum() + (t1 & ~q1 & q0).sum())
        d = (miss, fa, conf, int(speech.sum()))
        if best is None or sum(d[:3]) < sum(best[:3]):
            best = d
    return best


def score_clip(name, audio_path, turns, report):
    """Rows (name, start, end, people, counts) for each two-speaker stretch of one clip."""
    duration = sf.info(audio_path).duration
    rows = []
    for a, b, who in two_speaker_stretches(turns, duration):
        n = int(round((b - a) / HOP))
        inside = [(max(s, a), min(e, b), w) for s, e, w in turns if s < b and e > a]
        truth = [mask([(s, e) for s, e, w in inside if w == p], n, a) for p in who]
        pred = [mask([(s["start_s"], s["end_s"]) for s in report["segments"] if s["speaker"] == r], n, a)
                for r in ("agent", "customer")]
        bounds = [t - a for s, e, _ in inside for t in (s, e)]
        rows.append((name, a, b, who, der(truth, pred, bounds, n)))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=C.default_data("ami"), help="AMI clips and labels.tsv (default: %(default)s)")
    ap.add_argument("--callscope", default=C.default_binary(), help="binary (default: %(default)s)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--set", action="append", default=[], help="profile override KEY=VALUE (repeatable)")
    args = ap.parse_args()
    labels = read_labels(os.path.join(args.data, "labels.tsv"))
    extra = [x for kv in args.set for x in ("--set", kv)]
    with tempfile.TemporaryDirectory() as tmp:
        # Each clip is analysed whole (the voice activity needs its pauses and
        # the voices their speech); only its two-speaker stretches are scored.
        def one(name):
            audio = os.path.join(args.data, name)
            report, why = C.analyze(args.callscope, audio, os.path.join(tmp, name + ".json"), extra)
            return (name, why) if report is None else score_clip(name, audio, labels[name], report)
        results = C.pmap(one, sorted(labels), args.jobs)
    failures = [r for r in results if isinstance(r, tuple)]
    C.report_failures("analysis", failures)
    totals = np.zeros(4, int)
    for rows in (r for r in results if isinstance(r, list)):
        for name, a, b, who, d in rows:
            totals += d
            print("%s %5.1f-%5.1f s  %s  DER %.3f (miss %d, false alarm %d, confusion %d of %d frames)"
                  % (name, a, b, "/".join(who), sum(d[:3]) / max(d[3], 1), *d))
    if totals[3] == 0:
        sys.exit("no two-speaker stretch found")
    print("SUMMARY amiDER=%.3f miss=%.3f falseAlarm=%.3f confusion=%.3f scored=%.0fs"
          % (totals[:3].sum() / totals[3], totals[0] / totals[3], totals[1] / totals[3], totals[2] / totals[3],
             totals[3] * HOP))


if __name__ == "__main__":
    main()
