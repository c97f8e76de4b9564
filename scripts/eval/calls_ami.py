#!/usr/bin/env python3
"""Two-channel "calls" built from real headset microphones (AMI), scored per 10 ms frame.

../shared/data/ami_headsets holds one meeting minute as four headset recordings
(source0..3), each carrying its own speaker loudly and the others as real
crosstalk. Every pair of headsets becomes a two-channel call, channel 0 the first
source (the agent) and channel 1 the second, in two versions: the original 16 kHz
PCM, and a telephone line (300-3400 Hz, 8 kHz, mu-law). Each is analysed as a
stereo call and its segments are scored against the labelled turns of the two
speakers of the pair.

The two other people in the room also talk, and both headsets of a pair hear them
as crosstalk, which a telephone call never has. Frames where either of them talks
are left out of the scores, so what is scored is the pair's own talk, their
talk-over and their silences, with the real crosstalk between their headsets.

Per call and channel: voice-activity precision, recall and F1; talk time (ours and
the labels'); and per call: overlap (both talking), both silent, and speech
reported on a channel while only the other side talks. The SUMMARY line gives the
mean absolute talk-time error, the overlap ratio (ours / labels, summed over the
calls) and the mean F1, against the targets (talk within 10 %, overlap within
1.5x).

    /usr/bin/python3 scripts/eval/calls_ami.py [--data DIR] [--callscope BIN] [--jobs N]
                                             [--set KEY=VALUE ...] [-v]
"""
import itertools
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.dont_write_bytecode = True  # keep __pycache__ out of the project tree
import _common as C  # noqa: E402

HOP = 0.01
# By energy (the data's README): which speaker each headset belongs to.
SPEAKER_OF_SOURCE = {0: "MEO015", 1: "FEE013", 2: "MEE014", 3: "FEE016"}
TALK_TARGET = 0.10
OVERLAP_TARGET = 1.5
MIN_TRUTH_S = 2.0  # channels with less labelled talk are reported apart


def read_turns(path):
    turns = {}
    with open(path) as f:
        next(f)
        for line in f:
            _, start, end, who = line.rstrip("\n").split("\t")
            turns.setdefault(who, []).append((float(start), float(end)))
    return turns


def frames_of(intervals, n):
    mask = np.zeros(n, bool)
    for s, e in intervals:
        a, b = int(round(s / HOP)), int(round(e / HOP))
        mask[max(0, a):min(n, b)] = True
    return mask


def make_call(data, a, b, telephone, path):
    srcs = [os.path.join(data, "source%d.flac" % i) for i in (a, b)]
    if telephone:
        cmd = ["sox", "-D", "-M"] + srcs + ["-e", "mu-law", "-b", "8", path, "sinc", "300-3400", "rate", "8000"]
    else:
        cmd = ["sox", "-M"] + srcs + [path]
    subprocess.run(cmd, check=True, stderr=subprocess.DEVNULL)


def prf(ours, truth):
    tp = float(np.sum(ours & truth))
    p = tp / max(1.0, float(np.sum(ours)))
    r = tp / max(1.0, float(np.sum(truth)))
    return p, r, (2 * p * r / (p + r) if p + r > 0 else 0.0)


def score_call(report, turns, a, b, n):
    who = [SPEAKER_OF_SOURCE[a], SPEAKER_OF_SOURCE[b]]
    truth = [frames_of(turns.get(w, []), n) for w in who]
    others = np.zeros(n, bool)
    for w, iv in turns.items():
        if w not in who:
            others |= frames_of(iv, n)
    keep = ~others
    ours = []
    for role in ("agent", "customer"):
        segs = [(s["start_s"], s["end_s"]) for s in report.get("segments", []) if s.get("speaker") == role]
        ours.append(frames_of(segs, n))
    row = {"kept_s": float(np.sum(keep)) * HOP}
    for ch in (0, 1):
        t, o = truth[ch] & keep, ours[ch] & keep
        row["p%d" % ch], row["r%d" % ch], row["f%d" % ch] = prf(o, t)
        row["talk%d" % ch], row["truth%d" % ch] = float(np.sum(o)) * HOP, float(np.sum(t)) * HOP
    t_both, o_both = truth[0] & truth[1] & keep, ours[0] & ours[1] & keep
    row["overlap"], row["truth_overlap"] = float(np.sum(o_both)) * HOP, float(np.sum(t_both)) * HOP
    t_none, o_none = ~truth[0] & ~truth[1] & keep, ~ours[0] & ~ours[1] & keep
    row["silent"], row["truth_silent"] = float(np.sum(o_none)) * HOP, float(np.sum(t_none)) * HOP
    # Speech given to a channel while only the other side talks: the crosstalk error.
    row["leak0"] = float(np.sum(ours[0] & truth[1] & ~truth[0] & keep)) * HOP
    row["leak1"] = float(np.sum(ours[1] & truth[0] & ~truth[1] & keep)) * HOP
    for ch in (0, 1):
        fp, fn = C.breakdown(ours[ch], truth[ch], truth[1 - ch], keep)
        for k, v in list(fp.items()) + list(fn.items()):
            row["%s%d" % (k, ch)] = v * HOP
    return row


def main():
    ap = C.calls_parser(__doc__, "ami_headsets", ("pcm", "phone"))
    ap.add_argument("-v", action="store_true", help="list every call")
    ap.add_argument("--breakdown", action="store_true", help="where the errors lie (crosstalk, tails, pauses...)")
    args = ap.parse_args()

    turns = read_turns(os.path.join(args.data, "labels.tsv"))
    extra = [x for kv in args.set for x in ("--set", kv)]
    versions = [v for v in ("pcm", "phone") if args.only in (None, v)]
    calls = [(a, b, v) for a, b in itertools.permutations(range(4), 2) for v in versions]

    with tempfile.TemporaryDirectory() as tmp:
        def one(call):
            a, b, v = call
            name = "s%d-s%d-%s" % (a, b, v)
            wav = os.path.join(tmp, name + ".wav")
            try:
                make_call(args.data, a, b, v == "phone", wav)
            except (OSError, subprocess.CalledProcessError) as e:
                return name, None, "sox: %s" % e
            report, err = C.analyze(args.callscope, wav, os.path.join(tmp, name + ".json"), extra)
            return name, report, err

        results = C.pmap(one, calls, args.jobs)

    failures = [(name, err) for name, rep, err in results if rep is None]
    C.report_failures("callscope", failures)
    rows = []
    for (a, b, v), (name, rep, _) in zip(calls, results):
        if rep is None:
            continue
        n = int(round(C.num(C.get(rep, "source", "duration_s")) / HOP))
        rows.append((name, v, score_call(rep, turns, a, b, n)))
    if not rows:
        print("SUMMARY no call analysed")
        return 1

    if args.v:
        C.call_table(rows)
    if args.v and args.breakdown:
        C.table(["call", "ch"] + list(C.FALSE_KINDS + C.MISS_KINDS),
                [[name, c] + ["%.1f" % r["%s%d" % (k, c)] for k in C.FALSE_KINDS + C.MISS_KINDS]
                 for name, _, r in rows for c in (0, 1)])
        print()

    out, summary, errors = [], [], []
    for v in versions:
        rs = [r for _, vv, r in rows if vv == v]
        if not rs:
            continue
        chans = [(r, c) for r in rs for c in (0, 1)]
        # A channel whose speaker barely talks (the labels give source2 under a second) makes a
        # relative talk error of hundreds of percent from a second of crosstalk: such channels
        # are scored apart, and the pooled error weighs each channel by its truth.
        spoken = [(r, c) for r, c in chans if r["truth%d" % c] >= MIN_TRUTH_S]
        quiet = [(r, c) for r, c in chans if r["truth%d" % c] < MIN_TRUTH_S]
        talk_err = [abs(r["talk%d" % c] - r["truth%d" % c]) / r["truth%d" % c] for r, c in spoken]
        pooled = sum(abs(r["talk%d" % c] - r["truth%d" % c]) for r, c in spoken) / max(
            1e-9, sum(r["truth%d" % c] for r, c in spoken))
        quiet_talk = sum(r["talk%d" % c] for r, c in quiet)
        quiet_truth = sum(r["truth%d" % c] for r, c in quiet)
        talk_bias = sum(r["talk0"] + r["talk1"] for r in rs) / sum(r["truth0"] + r["truth1"] for r in rs) - 1
        ov = sum(r["overlap"] for r in rs) / max(1e-9, sum(r["truth_overlap"] for r in rs))
        f1 = np.mean([r["f%d" % c] for r, c in spoken])
        prec = np.mean([r["p%d" % c] for r, c in spoken])
        rec = np.mean([r["r%d" % c] for r, c in spoken])
        leak = sum(r["leak0"] + r["leak1"] for r in rs)
        mean_err = float(np.mean(talk_err)) if talk_err else None
        out.append([v, len(rs), "%.3f" % f1, "%.2f" % prec, "%.2f" % rec, C.pct(mean_err), C.pct(pooled),
                    C.pct(talk_bias, sign=True), "%.2fx" % ov, "%.1f" % leak,
                    "%.1f / %.1f" % (quiet_talk, quiet_truth)])
        summary.append("%s: talk error %s pooled %s (%s), overlap %.2fx (%s), F1 %.3f, leak %.1f s" % (
            v, C.pct(mean_err), C.pct(pooled), C.verdict(pooled, TALK_TARGET, False), ov,
            C.verdict(max(ov, 1 / max(ov, 1e-9)), OVERLAP_TARGET, False), f1, leak))
        errors.append(C.breakdown_row(v, chans))
    C.table(["version", "calls", "VAD F1", "precision", "recall", "talk error", "pooled", "talk bias", "overlap",
             "leak s", "quiet ch talk/truth s"], out)
    if args.breakdown:
        C.breakdown_table(errors)
    print("\nSUMMARY " + "; ".join(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
