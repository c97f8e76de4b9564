#!/usr/bin/env python3
"""Mono "calls" built from real headset microphones (AMI), separated and scored per 10 ms frame.

../shared/data/ami_headsets holds one meeting minute as four headset recordings
(source0..3), each carrying its own speaker loudly and the others as real
crosstalk. Every unordered pair of headsets is summed into one channel, at equal
levels and with either side 6 dB down, through a telephone line (300-3400 Hz,
8 kHz, mu-law), and analysed as a mono call (the two voices told apart by
callscope). The segments are scored against the labelled turns of the pair's two
speakers with the usual diarization rules: per 10 ms frame, a 0.25 s collar
around every labelled boundary of the pair left out, frames where both speak
left out, and the better of the two ways to match agent/customer to the two
people. Frames where either of the meeting's two other people talks are left out
too: their voices are in both headsets as crosstalk, which a call never has.

Backchannels: the labels' short turns (1 s or less) of one of the pair while the
other holds the floor (talks within 1 s before the short turn starts and within
1 s after it ends) are the backchannels to find; one is found when the report has
a backchannel by the matching speaker starting within 0.5 s.

Per mix: the diarization error rate (missed speech, false alarm, confusion),
the separation confidence the report gives, and the backchannels found. The
SUMMARY line gives the totals against the targets (DER <= 20 %, confusion
<= 10 %). Only one minute of speech exists here, and one of the four people
barely speaks: read it as a check, not something to tune to.

    /usr/bin/python3 scripts/eval/mono_ami.py [--data DIR] [--callscope BIN] [--jobs N]
                                            [--set KEY=VALUE ...] [-v]
"""
import argparse
import itertools
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.dont_write_bytecode = True  # keep __pycache__ out of the project tree
import _common as C  # noqa: E402
from calls_ami import HOP, SPEAKER_OF_SOURCE, frames_of, read_turns  # noqa: E402
from diarize_ami import der  # noqa: E402

LEVELS_DB = ((0, 0), (-6, 0), (0, -6))
BACKCHANNEL_MAX_S = 1.0
FLOOR_S = 1.0
ONSET_TOLERANCE_S = 0.5
DER_TARGET = 0.20
CONFUSION_TARGET = 0.10


def rate(r, k):
    """A count of a score row as a share of its scored frames."""
    return r[k] / max(1, r["frames"])


def make_mix(data, a, b, gains, path):
    cmd = ["sox", "-m"]
    for src, g in zip((a, b), gains):
        cmd += ["-v", "%.4f" % (10 ** (g / 20)), os.path.join(data, "source%d.flac" % src)]
    cmd += ["-D", "-e", "mu-law", "-b", "8", path, "sinc", "300-3400", "rate", "8000"]
    subprocess.run(cmd, check=True, stderr=subprocess.DEVNULL)


def backchannels(turns, who):
    """(speaker index in the pair, onset) of each short turn while the other holds the floor."""
    out = []
    for i, w in enumerate(who):
        other = turns.get(who[1 - i], [])
        for s, e in turns.get(w, []):
            if e - s > BACKCHANNEL_MAX_S:
                continue
            before = any(os_ < s and oe > s - FLOOR_S for os_, oe in other)
            after = any(os_ < e + FLOOR_S and oe > e for os_, oe in other)
            if before and after:
                out.append((i, s))
    return out


def score_mix(report, turns, a, b, n):
    who = [SPEAKER_OF_SOURCE[a], SPEAKER_OF_SOURCE[b]]
    truth = [frames_of(turns.get(w, []), n) for w in who]
    others = np.zeros(n, bool)
    for w, iv in turns.items():
        if w not in who:
            others |= frames_of(iv, n)
    segs = report.get("segments", [])
    pred = [frames_of([(s["start_s"], s["end_s"]) for s in segs if s.get("speaker") == r], n)
            for r in ("agent", "customer")]
    # Masked frames count as neither speech nor prediction; the collar is
    # applied by der() around the pair's own boundaries.
    keep = ~others
    t = [x & keep for x in truth]
    p = [x & keep for x in pred]
    bounds = [x for w in who for s, e in turns.get(w, []) for x in (s, e)]
    miss, fa, conf, frames = der(t, p, bounds, n)
    # The mapping der() chose: the one with fewer errors, found again here.
    swapped = sum(der(t, [p[1], p[0]], bounds, n)[:3]) < miss + fa + conf
    role_of = ("customer", "agent") if swapped else ("agent", "customer")
    events = [e for e in report.get("events", []) if e.get("type") == "backchannel"]
    bcs = backchannels(turns, who)
    found = 0
    for i, onset in bcs:
        found += any(e.get("speaker") == role_of[i] and abs(e["start_s"] - onset) <= ONSET_TOLERANCE_S
                     for e in events)
    return {"miss": miss, "fa": fa, "conf": conf, "frames": frames, "bc": len(bcs), "bc_found": found,
            "bc_reported": len(events),
            "confidence": C.num(C.get(report, "source", "separation_confidence")),
            "separation": C.get(report, "source", "separation")}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=C.default_data("ami_headsets"))
    ap.add_argument("--callscope", default=C.default_binary())
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--set", action="append", default=[], help="profile KEY=VALUE passed to callscope")
    ap.add_argument("-v", action="store_true", help="list every mix")
    args = ap.parse_args()

    turns = read_turns(os.path.join(args.data, "labels.tsv"))
    extra = [x for kv in args.set for x in ("--set", kv)]
    mixes = [(a, b, g) for a, b in itertools.combinations(range(4), 2) for g in LEVELS_DB]

    with tempfile.TemporaryDirectory() as tmp:
        def one(mix):
            a, b, g = mix
            name = "s%d%+d-s%d%+d" % (a, g[0], b, g[1])
            wav = os.path.join(tmp, name + ".wav")
            try:
                make_mix(args.data, a, b, g, wav)
            except (OSError, subprocess.CalledProcessError) as e:
                return name, None, "sox: %s" % e
            report, err = C.analyze(args.callscope, wav, os.path.join(tmp, name + ".json"), extra)
            return name, report, err

        results = C.pmap(one, mixes, args.jobs)

    C.report_failures("callscope", [(name, err) for name, rep, err in results if rep is None])
    rows = []
    for (a, b, _), (name, rep, _) in zip(mixes, results):
        if rep is not None:
            n = int(round(C.num(C.get(rep, "source", "duration_s")) / HOP))
            rows.append((name, score_mix(rep, turns, a, b, n)))
    if not rows:
        print("SUMMARY no mix analysed")
        return 1
    if args.v:
        C.table(["mix", "DER", "miss", "false alarm", "confusion", "scored s", "confidence", "backchannels"],
                [[name, C.pct(rate(r, "miss") + rate(r, "fa") + rate(r, "conf")), C.pct(rate(r, "miss")),
                  C.pct(rate(r, "fa")), C.pct(rate(r, "conf")), "%.1f" % (r["frames"] * HOP),
                  C.fmt(r["confidence"], "%.2f") if r["separation"] == "diarized" else r["separation"],
                  "%d of %d (%d reported)" % (r["bc_found"], r["bc"], r["bc_reported"])]
                 for name, r in rows])
        print()
    tot = {k: sum(r[k] for _, r in rows) for k in ("miss", "fa", "conf", "frames", "bc", "bc_found")}
    d = (tot["miss"] + tot["fa"] + tot["conf"]) / max(1, tot["frames"])
    conf = tot["conf"] / max(1, tot["frames"])
    confidences = [r["confidence"] for _, r in rows if r["confidence"] is not None]
    print("SUMMARY mixes=%d DER=%s (%s) miss=%s falseAlarm=%s confusion=%s (%s) backchannels=%d/%d "
          "confidence=%s-%s scored=%.0fs"
          % (len(rows), C.pct(d), C.verdict(d, DER_TARGET, False), C.pct(tot["miss"] / max(1, tot["frames"])),
             C.pct(tot["fa"] / max(1, tot["frames"])), C.pct(conf), C.verdict(conf, CONFUSION_TARGET, False),
             tot["bc_found"], tot["bc"], C.fmt(min(confidences, default=None), "%.2f"),
             C.fmt(max(confidences, default=None), "%.2f"), tot["frames"] * HOP))
    return 0


if __name__ == "__main__":
    sys.exit(main())
