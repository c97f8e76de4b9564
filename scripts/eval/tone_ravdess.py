#!/usr/bin/python3
"""How well callscope tells angry from calm and from happy speech, each actor against their own usual voice.

RAVDESS: 12 actors, each with 4 neutral, 8 calm (normal and strong), 8 happy (normal and strong)
and 8 angry (normal and strong) files (meta.tsv; names are
modality-channel-emotion-intensity-statement-repetition-actor).
A file is analysed against a baseline of that actor's OTHER calm and neutral files: the file
itself is always left out, so a calm file never counts as evidence of its own calmness. Angry
files all share one baseline per actor (all calm + neutral); each calm or neutral file gets its
own leave-one-out baseline.

Two scores per file, higher = more aroused:
  calm    = 1 - per_speaker.agent.calm_score   (the headline figure)
  arousal = mean of tracks.agent.arousal over its non-null values
AUC (angry positive, calm + neutral negative) overall (target >= 0.90), for normal- and
strong-intensity anger separately, and per actor. Then angry against calm alone, and angry against
happy (both high arousal; only the tension should tell them apart), each for all files, normal
intensity (anger of normal intensity against calm of either intensity, or against happy of normal
intensity) and strong intensity (likewise). Last, how many files of each class raised
tense_tone or raised_voice (a file is about 3.5 s: tense_tone needs 3 s, raised_voice 2 s).

usage: scripts/eval/tone_ravdess.py [--data DIR] [--callscope BIN] [--jobs N] [--no-baseline] [-v]
                                    [--set KEY=VALUE ...] [--tone-model FILE]
"""
import argparse
import csv
import os
import sys
import tempfile
from collections import defaultdict

import numpy as np

sys.dont_write_bytecode = True  # keep __pycache__ out of the project tree
import _common as C  # noqa: E402

TARGET_AUC = 0.90
REFERENCE = ("calm", "neutral")
EMOTIONS = REFERENCE + ("happy", "angry")
SCORES = ("calm", "arousal")
VOICE_FLAGS = ("tense_tone", "raised_voice")


def load_meta(data):
    with open(os.path.join(data, "meta.tsv")) as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t") if r["emotion"] in EMOTIONS]
    return [r for r in rows if os.path.exists(os.path.join(data, r["file"]))]


def plan_baselines(meta, data, tmp):
    """Maps each file to the baseline it is scored against; returns (per file, jobs to build)."""
    ref = defaultdict(list)
    for r in meta:
        if r["emotion"] in REFERENCE:
            ref[r["actor"]].append(r["file"])
    jobs, per_file = {}, {}
    for r in meta:
        actor = r["actor"]
        stem = os.path.splitext(os.path.basename(r["file"]))[0]
        left_out = r["file"] if r["file"] in ref[actor] else None
        files = [f for f in ref[actor] if f != left_out]
        key = os.path.join(tmp, "actor%s_%s.baseline" % (actor, "without_" + stem if left_out else "all"))
        jobs[key] = (actor, [os.path.join(data, f) for f in files])
        per_file[r["file"]] = key
    return per_file, jobs


def mean_of(values):
    vals = [v for v in values if v is not None]
    return float(np.mean(vals)) if vals else None


def file_scores(rep):
    calm = C.num(C.get(rep, "per_speaker", "agent", "calm_score"))
    track = C.get(rep, "tracks", "agent", "arousal")
    kinds = [f.get("kind") for f in rep.get("flags", []) if isinstance(f, dict)]
    return dict({"calm": None if calm is None else 1.0 - calm,
                 "arousal": mean_of(C.num(v) for v in track) if isinstance(track, list) else None},
                **{k: k in kinds for k in VOICE_FLAGS})


def aucs(items, score, against=REFERENCE, same_intensity=False):
    """AUC for: all anger, normal-intensity anger, strong anger; each against the emotions
    `against` (of the same intensity as the anger when same_intensity)."""
    ang = [it for it in items if it["emotion"] == "angry"]
    out = []
    for inten in (None, "normal", "strong"):
        pos = [it[score] for it in ang if inten is None or it["intensity"] == inten]
        neg = [it[score] for it in items if it["emotion"] in against
               and (inten is None or not same_intensity or it["intensity"] == inten)]
        out.append(C.auc(pos, neg))
    return tuple(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=C.default_data("ravdess"), help="RAVDESS folder (default: %(default)s)")
    ap.add_argument("--callscope", default=C.default_binary(), help="binary (default: %(default)s)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--no-baseline", action="store_true",
                    help="analyse without baselines, to see what the baselines add")
    ap.add_argument("-v", "--verbose", action="store_true", help="also print every file's scores")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="passed on to callscope analyze (may be repeated)")
    ap.add_argument("--tone-model", help="passed on to callscope analyze")
    a = ap.parse_args()
    extra = sum((["--set", kv] for kv in a.set), []) + (["--tone-model", a.tone_model] if a.tone_model else [])

    meta = load_meta(a.data)
    if not meta:
        sys.exit("no angry/calm/neutral files listed in %s/meta.tsv" % a.data)
    if not a.no_baseline and (C.missing_options(a.callscope, ["--baseline"])
                              or C.run([a.callscope, "baseline", "build", "--help"])):
        print("warning: %s lacks `analyze --baseline` or `baseline build`; expect every file to fail "
              "(--no-baseline scores without baselines)" % a.callscope, file=sys.stderr)

    with tempfile.TemporaryDirectory(prefix="tone_ravdess.") as tmp:
        per_file, jobs = plan_baselines(meta, a.data, tmp)
        if a.no_baseline:
            per_file, jobs = {r["file"]: None for r in meta}, {}

        def build(key):
            actor, files = jobs[key]
            if not files:
                return key, "no calm or neutral files left for the baseline"
            return key, C.run([a.callscope, "baseline", "build", "--agent", "actor" + actor] + files + ["-o", key]
                              + sum((["--set", kv] for kv in a.set), []))
        built = dict(C.pmap(build, sorted(jobs), a.jobs))
        C.report_failures("baseline build", [(os.path.basename(k), e) for k, e in sorted(built.items()) if e])

        def one(r):
            base = per_file[r["file"]]
            if base and built[base]:
                return None, "its baseline could not be built"
            out = os.path.join(tmp, os.path.basename(r["file"]) + ".json")
            rep, err = C.analyze(a.callscope, os.path.join(a.data, r["file"]), out,
                                 (["--baseline", base] if base else []) + extra)
            return (file_scores(rep) if rep is not None else None), err
        results = C.pmap(one, meta, a.jobs)

    items = []
    for r, (sc, err) in zip(meta, results):
        if sc is not None:
            items.append(dict(sc, actor=r["actor"], emotion=r["emotion"], intensity=r["intensity"], file=r["file"]))
    C.report_failures("callscope", [(r["file"], err) for r, (sc, err) in zip(meta, results) if sc is None])
    print("RAVDESS tone: %d files, %d scored; %s"
          % (len(meta), len(items), "NO BASELINES (--no-baseline)" if a.no_baseline else
             "%d baselines, %d failed" % (len(jobs), sum(1 for e in built.values() if e))))

    if a.verbose:
        C.table(["file", "emotion", "intensity", "1-calm", "arousal"],
                [[it["file"], it["emotion"], it["intensity"], C.fmt(it["calm"]), C.fmt(it["arousal"])]
                 for it in items])
        print()

    # Mean scores per class show whether the scale moves in the right direction, AUC only ranks.
    crow = []
    for emo, inten in (("neutral", "normal"), ("calm", "normal"), ("calm", "strong"), ("happy", "normal"),
                       ("happy", "strong"), ("angry", "normal"), ("angry", "strong")):
        grp = [it for it in items if it["emotion"] == emo and it["intensity"] == inten]
        crow.append(["%s %s" % (emo, inten), len(grp)] + [C.fmt(mean_of(it[s] for it in grp)) for s in SCORES]
                    + ["%d" % sum(1 for it in grp if it[k]) for k in VOICE_FLAGS])
    C.table(["class", "files", "mean 1-calm", "mean arousal"] + ["with %s" % k for k in VOICE_FLAGS], crow)
    print()

    rows = []
    for actor in sorted({r["actor"] for r in meta}) + ["all"]:
        grp = items if actor == "all" else [it for it in items if it["actor"] == actor]
        row = ["actor %s" % actor if actor != "all" else "all (pooled)", len(grp)]
        for s in SCORES:
            row += [C.fmt(x) for x in aucs(grp, s)]
        rows.append(row)
    per_actor = {s: [C.auc([it[s] for it in items if it["actor"] == ac and it["emotion"] == "angry"],
                           [it[s] for it in items if it["actor"] == ac and it["emotion"] in REFERENCE])
                     for ac in sorted({it["actor"] for it in items})] for s in SCORES}
    mean_actor = {s: mean_of(v) for s, v in per_actor.items()}
    rows.append(["mean over actors", ""] + sum([[C.fmt(mean_actor[s]), "", ""] for s in SCORES], []))
    print("AUC, angry (positive) vs calm + neutral; 'normal'/'strong' = only anger of that intensity")
    C.table(["actor", "files", "1-calm all", "1-calm normal", "1-calm strong", "arousal all", "arousal normal",
             "arousal strong"],
            rows)
    print()

    pairs = (("angry vs calm+neutral", REFERENCE, False), ("angry vs calm", ("calm",), False),
             ("angry vs happy", ("happy",), True))
    trow = []
    for label, against, same in pairs:
        for s in SCORES:
            trow.append([label, s] + [C.fmt(x) for x in aucs(items, s, against, same)])
    print("AUC by comparison (pooled over actors, each file against its actor's baseline)")
    C.table(["comparison", "score", "all", "normal", "strong"], trow)
    print()

    parts = []
    for s, label in (("calm", "1-calm_score"), ("arousal", "mean arousal")):
        al, no, st = aucs(items, s)
        worst = min((x for x in per_actor[s] if x is not None), default=None)
        nulls = sum(1 for it in items if it[s] is None)
        parts.append("%s AUC %s (target >=0.90: %s), normal %s, strong %s, per-actor mean %s min %s%s" % (
            label, C.fmt(al), C.verdict(al, TARGET_AUC, True), C.fmt(no), C.fmt(st),
            C.fmt(mean_actor[s]), C.fmt(worst), ", %d null" % nulls if nulls else ""))
    happy = aucs(items, "arousal", ("happy",), True)
    calm_only = aucs(items, "arousal", ("calm",), False)
    parts.append("arousal AUC angry vs calm %s, angry vs happy %s (normal %s, strong %s)"
                 % (C.fmt(calm_only[0]), C.fmt(happy[0]), C.fmt(happy[1]), C.fmt(happy[2])))
    flagged = {e: sum(1 for it in items if it["emotion"] == e and (it["tense_tone"] or it["raised_voice"]))
               for e in EMOTIONS}
    parts.append("files with tense_tone or raised_voice: " + ", ".join(
        "%s %d/%d" % (e, flagged[e], sum(1 for it in items if it["emotion"] == e)) for e in EMOTIONS))
    print("SUMMARY tone_ravdess: %d/%d files; " % (len(items), len(meta)) + " | ".join(parts))


if __name__ == "__main__":
    main()
