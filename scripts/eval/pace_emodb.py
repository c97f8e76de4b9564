#!/usr/bin/python3
"""Speaking pace (articulation rate) of callscope against the EmoDB syllable labels.

Truth per utterance = labelled syllables / speaking time, where speaking time is the total
length of the union of the labelled syllable intervals. Pauses between syllables are thus left
out, as articulation rate requires; the padding before and after the utterance never counts.
Ours = per_speaker.agent.pace_syl_per_s of `callscope analyze` on the mono file, padded by
--pad seconds of silence at both ends (default 1): the clips were cut to 2.0 s with speech from
the first 50 ms, and callscope's voice activity needs some non-speech to find the noise floor (in
a call there always is). --pad 0 scores the clips as they are.

Prints every utterance, then per speaker (first two characters of the file name), for the
speakers the pace thresholds were tuned on (03, 08, 09) and those kept to check them (10, 11),
and overall: median absolute relative error (target <= 12 %) and Pearson r (target >= 0.8).
With --dev it also scores the development calls with ../shared/eval/score.py (pace and tone).

usage: scripts/eval/pace_emodb.py [--data DIR] [--callscope BIN] [--dev [--dev-dir DIR]]
"""
import argparse
import csv
import glob
import os
import subprocess
import sys
import tempfile
from collections import defaultdict

import numpy as np

sys.dont_write_bytecode = True  # keep __pycache__ out of the project tree
import _common as C  # noqa: E402

TARGET_ERR = 0.12
TARGET_R = 0.8
TUNING_SPEAKERS = ("03", "08", "09")


def union_length(intervals):
    total, end = 0.0, -np.inf
    for s, e in sorted(intervals):
        if e > end:
            total += e - max(s, end)
            end = e
    return total


def load_truth(data):
    with open(os.path.join(data, "complete_utterances.tsv")) as f:
        utts = {r["file"]: r for r in csv.DictReader(f, delimiter="\t")}
    syl = defaultdict(list)
    with open(os.path.join(data, "syllables.tsv")) as f:
        for r in csv.DictReader(f, delimiter="\t"):
            syl[r["file"]].append((float(r["start_s"]), float(r["end_s"])))
    truth = {}
    for name, r in sorted(utts.items()):
        n = int(r["n_syllables"])
        if len(syl[name]) != n:
            print("note: %s: %d labelled syllables, %d in complete_utterances.tsv; using the labels"
                  % (name, len(syl[name]), n), file=sys.stderr)
            n = len(syl[name])
        speak = union_length(syl[name])
        if n and speak > 0:
            truth[name] = {"n": n, "speak_s": speak, "rate": n / speak, "emotion": r["emotion"]}
    return truth


def stats_for(pairs):
    """(n, median |relative error|, Pearson r, mean signed relative error) of (truth, ours) pairs."""
    if not pairs:
        return 0, None, None, None
    t, o = np.array(pairs).T
    rel = (o - t) / t
    return len(pairs), float(np.median(np.abs(rel))), C.pearson(t, o), float(np.mean(rel))


def score_dev(binary, dev_dir, jobs):
    calls = sorted(glob.glob(os.path.join(dev_dir, "dev_??.wav")) + glob.glob(os.path.join(dev_dir, "dev_??.flac")))
    scorer = os.path.join(os.path.dirname(os.path.normpath(dev_dir)), "score.py")
    if not calls or not os.path.exists(scorer):
        print("dev: no calls in %s or no %s" % (dev_dir, scorer))
        return
    with tempfile.TemporaryDirectory(prefix="pace_dev.") as rdir:
        def one(path):
            name = os.path.splitext(os.path.basename(path))[0]
            return name, C.analyze(binary, path, os.path.join(rdir, name + ".json"))[1]
        for name, err in C.pmap(one, calls, jobs):
            if err:
                print("dev: callscope failed on %s, scored as not reported: %s" % (name, err))
        p = subprocess.run(["/usr/bin/python3", scorer, "--truth", dev_dir, "--reports", rdir],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    print("dev calls (%d), score.py pace and tone figures:" % len(calls))
    # score.py prints a per-call table, one indented "key value" line per aggregate figure, and a
    # SUMMARY line whose paceErr/paceR/toneAUC fields are there even when nothing was measured.
    out = p.stdout.splitlines()
    for ln in out:
        if ln.strip().startswith(("pace_", "tone_")):
            print(ln)
    summary = [w for ln in out if ln.startswith("SUMMARY") for w in ln.split()
               if w.startswith(("paceErr=", "paceR=", "toneAUC="))]
    print("  score.py SUMMARY: %s" % (" ".join(summary) if summary else
                                       "missing (exit %d): %s" % (p.returncode, p.stdout.strip()[-300:])))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=C.default_data("emodb"), help="EmoDB folder (default: %(default)s)")
    ap.add_argument("--callscope", default=C.default_binary(), help="binary (default: %(default)s)")
    ap.add_argument("--dev", action="store_true", help="also score the development calls with score.py")
    ap.add_argument("--dev-dir", default=os.path.normpath(os.path.join(C.ROOT, "..", "shared", "eval", "dev")))
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--pad", type=float, default=1.0, help="seconds of silence added at both ends")
    a = ap.parse_args()

    truth = load_truth(a.data)
    if not truth:
        sys.exit("no labelled utterances in %s" % a.data)
    names = sorted(truth)
    with tempfile.TemporaryDirectory(prefix="pace_emodb.") as tmp:
        def one(name):
            out = os.path.join(tmp, os.path.basename(name) + ".json")
            audio = os.path.join(a.data, name)
            if a.pad > 0:
                padded = os.path.join(tmp, os.path.basename(name) + ".wav")
                p = subprocess.run(["sox", audio, padded, "pad", str(a.pad), str(a.pad)],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                if p.returncode != 0:
                    return None, "sox: " + p.stdout.strip()
                audio = padded
            rep, err = C.analyze(a.callscope, audio, out)
            return C.num(C.get(rep, "per_speaker", "agent", "pace_syl_per_s")), err
        results = dict(zip(names, C.pmap(one, names, a.jobs)))

    C.report_failures("callscope", [(n, results[n][1]) for n in names if results[n][1]])
    rows, pairs, by_spk, failed, unmeasured = [], [], defaultdict(list), 0, 0
    for name in names:
        t = truth[name]
        ours, err = results[name]
        spk = os.path.basename(name)[:2]
        if err:
            failed += 1
            note = "failed"
        elif ours is None:
            unmeasured += 1
            note = "null"
        else:
            pairs.append((t["rate"], ours))
            by_spk[spk].append((t["rate"], ours))
            note = C.pct((ours - t["rate"]) / t["rate"], sign=True)
        rows.append([os.path.basename(name), spk, t["emotion"], t["n"], "%.2f" % t["speak_s"],
                     "%.2f" % t["rate"], C.fmt(ours, "%.2f"), note])
    print("EmoDB articulation rate, syllables per second of speech")
    C.table(["file", "spk", "emotion", "syl", "speak_s", "truth", "ours", "rel.err"], rows)
    print()

    srows = []
    speakers = sorted({os.path.basename(x)[:2] for x in names})
    # The pace thresholds were chosen on TUNING_SPEAKERS and checked on the others.
    halves = {"tuning (" + "+".join(TUNING_SPEAKERS) + ")": [s for s in speakers if s in TUNING_SPEAKERS],
              "check (" + "+".join(s for s in speakers if s not in TUNING_SPEAKERS) + ")":
                  [s for s in speakers if s not in TUNING_SPEAKERS]}
    for spk in speakers + list(halves) + ["all"]:
        members = speakers if spk == "all" else halves.get(spk, [spk])
        n, med, r, bias = stats_for([p for s in members for p in by_spk[s]])
        total = sum(1 for x in names if os.path.basename(x)[:2] in members)
        srows.append([spk, "%d/%d" % (n, total), C.pct(med), C.fmt(r, "%.3f"), C.pct(bias, sign=True)])
    C.table(["speaker", "measured", "median |rel.err|", "Pearson r", "mean bias"], srows)
    print()

    if a.dev:
        score_dev(a.callscope, a.dev_dir, a.jobs)
        print()

    n, med, r, bias = stats_for(pairs)
    print("SUMMARY pace_emodb: measured %d/%d (failed %d, null %d); median |rel.err| %s (target <=12%%: %s); "
          "Pearson r %s (target >=0.8: %s); mean bias %s" % (
              n, len(names), failed, unmeasured, C.pct(med),
              C.verdict(med, TARGET_ERR, False), C.fmt(r, "%.3f"), C.verdict(r, TARGET_R, True),
              C.pct(bias, sign=True)))


if __name__ == "__main__":
    main()
