#!/usr/bin/python3
"""Held-out check of the tension score on another language and corpus: EmoDB anger, happiness, neutral.

EmoDB (German, speakers 03, 08, 09, 10, 11; the utterances complete within 2.0 s): each file is
padded with 1 s of silence at both ends (sox) and analysed against a baseline of its speaker's
OTHER neutral files (a neutral file never counts towards its own baseline). Score: the mean of
tracks.agent.arousal. AUC for anger against happiness and anger against neutral, pooled, and
the number of files of each class that raised tense_tone or raised_voice (a file is about 2 s,
under tense_tone's 3 s, so few can). Nothing in the model was set from this corpus.

usage: scripts/eval/tone_emodb.py [--data DIR] [--callscope BIN] [--jobs N]
"""
import argparse
import csv
import os
import subprocess
import sys
import tempfile
from collections import defaultdict

sys.dont_write_bytecode = True  # keep __pycache__ out of the project tree
import _common as C  # noqa: E402
from tone_ravdess import file_scores, mean_of  # noqa: E402

EMOTIONS = ("neutral", "happiness", "anger")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=C.default_data("emodb"))
    ap.add_argument("--callscope", default=C.default_binary())
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    a = ap.parse_args()
    with open(os.path.join(a.data, "complete_utterances.tsv")) as f:
        meta = [r for r in csv.DictReader(f, delimiter="\t") if r["emotion"] in EMOTIONS]
    for r in meta:
        r["speaker"] = os.path.basename(r["file"])[:2]

    with tempfile.TemporaryDirectory(prefix="tone_emodb.") as tmp:
        def pad(r):
            out = os.path.join(tmp, os.path.basename(r["file"]) + ".wav")
            p = subprocess.run(["sox", os.path.join(a.data, r["file"]), out, "pad", "1", "1"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            return out if p.returncode == 0 else None
        padded = dict(zip([r["file"] for r in meta], C.pmap(pad, meta, a.jobs)))
        neutral = defaultdict(list)
        for r in meta:
            if r["emotion"] == "neutral" and padded[r["file"]]:
                neutral[r["speaker"]].append(r["file"])

        def baseline(key):
            speaker, left_out = key
            files = [padded[f] for f in neutral[speaker] if f != left_out]
            out = os.path.join(tmp, "%s_%s.baseline" % (speaker, os.path.basename(left_out or "all")))
            return out, C.run([a.callscope, "baseline", "build", "--agent", "s" + speaker] + files + ["-o", out])
        keys = sorted({(r["speaker"], r["file"] if r["emotion"] == "neutral" else None) for r in meta},
                      key=lambda k: (k[0], k[1] or ""))
        built = dict(zip(keys, C.pmap(baseline, keys, a.jobs)))

        def one(r):
            base, err = built[(r["speaker"], r["file"] if r["emotion"] == "neutral" else None)]
            if err or not padded[r["file"]]:
                return None
            rep, err = C.analyze(a.callscope, padded[r["file"]], padded[r["file"]] + ".json", ["--baseline", base])
            return file_scores(rep) if rep else None
        scores = C.pmap(one, meta, a.jobs)

    items = [dict(s, emotion=r["emotion"]) for r, s in zip(meta, scores) if s]
    by = {e: [it["arousal"] for it in items if it["emotion"] == e] for e in EMOTIONS}
    rows = [[e, len(by[e]), C.fmt(mean_of(by[e])),
             sum(1 for it in items if it["emotion"] == e and (it["tense_tone"] or it["raised_voice"]))]
            for e in EMOTIONS]
    C.table(["class", "files", "mean arousal", "with tense_tone or raised_voice"], rows)
    print("SUMMARY tone_emodb: %d/%d files; arousal AUC anger vs happiness %s, anger vs neutral %s"
          % (len(items), len(meta), C.fmt(C.auc(by["anger"], by["happiness"])),
             C.fmt(C.auc(by["anger"], by["neutral"]))))


if __name__ == "__main__":
    main()
