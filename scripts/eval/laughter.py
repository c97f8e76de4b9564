#!/usr/bin/python3
"""Laughter: found where people laugh, not where they talk, and never taken for anger.

Real laughter (laughter/, 9 clips of 1.1-1.9 s, the whole clip is laughter) is put into
two-channel "friendly calls" built from RAVDESS neutral and calm sentences: the agent says four
sentences, the customer answers with four, each 0.6 s after the other stops, then both laugh
together at the end (the agent laughs the clip under test, the customer the next clip, starting
0.3 s later), and 1.5 s of silence closes the call. Each laugh is scaled to 3 dB over its
speaker's sentences. Each clip is tried with a male and with a female actor speaking before it
(laughter is judged against the speaker's own recent pitch), so 9 clips x 2 = 18 calls.

Figures:
  recall      a laughter event of the right speaker overlaps the clip (per clip and context)
  flags       raised_voice, tense_tone or escalation starting in the shared laughter, or anywhere
  false laughter on speech: laughter events on every RAVDESS file (neutral, calm, happy, angry;
              analysed alone) and on the development calls (../shared/eval/dev), per hour of speech

usage: scripts/eval/laughter.py [--data DIR] [--dev DIR] [--callscope BIN] [--jobs N] [--set KEY=VALUE ...]
"""
import argparse
import csv
import glob
import json
import os
import sys
import tempfile

import numpy as np
import soundfile as sf
from scipy.signal import resample_poly

sys.dont_write_bytecode = True  # keep __pycache__ out of the project tree
import _common as C  # noqa: E402

RATE = 16000
GAP_S = 0.6
LAUGH_OVER_DB = 3.0
VOICE_FLAGS = ("raised_voice", "tense_tone", "escalation")
# One actor of each sex gives the sentences before a clip.
CONTEXT = (("male", "01", "03"), ("female", "02", "04"))


def load(path):
    x, sr = sf.read(path, dtype="float64", always_2d=True)
    x = x[:, 0]
    return resample_poly(x, RATE, sr) if sr != RATE else x


def active_rms(x):
    """RMS of the louder half of 20 ms blocks: the level of the speech, not of its pauses."""
    n = len(x) // 320
    if n == 0:
        return 1e-9
    p = np.sort((x[:n * 320].reshape(n, 320) ** 2).mean(1))[n // 2:]
    return float(np.sqrt(p.mean())) if p.size else 1e-9


def sentences(ravdess, meta, actor, n=4):
    files = [r["file"] for r in meta if r["actor"] == actor and r["emotion"] in ("neutral", "calm")]
    return [load(os.path.join(ravdess, f)) for f in files[:n]]


def friendly_call(agent_says, customer_says, agent_laugh, customer_laugh):
    """Alternating sentences, then both laugh; returns (stereo signal, agent laugh span, customer span)."""
    a_level = np.mean([active_rms(s) for s in agent_says])
    c_level = np.mean([active_rms(s) for s in customer_says])
    a_laugh = agent_laugh * (a_level * 10 ** (LAUGH_OVER_DB / 20) / active_rms(agent_laugh))
    c_laugh = customer_laugh * (c_level * 10 ** (LAUGH_OVER_DB / 20) / active_rms(customer_laugh))
    parts, t = [], 0.5
    for a, c in zip(agent_says, customer_says):
        parts.append((0, t, a))
        t += len(a) / RATE + GAP_S
        parts.append((1, t, c))
        t += len(c) / RATE + GAP_S
    a_span = (t, t + len(a_laugh) / RATE)
    c_span = (t + 0.3, t + 0.3 + len(c_laugh) / RATE)
    parts += [(0, a_span[0], a_laugh), (1, c_span[0], c_laugh)]
    end = max(a_span[1], c_span[1]) + 1.5
    y = np.zeros((int(end * RATE) + 1, 2))
    for ch, start, sig in parts:
        i = int(start * RATE)
        y[i:i + len(sig), ch] += sig
    peak = np.abs(y).max()
    if peak > 0.9:
        y *= 0.9 / peak
    return y, a_span, c_span


def laughs(rep, speaker):
    return [(e["start_s"], e["end_s"]) for e in rep.get("events", [])
            if e.get("type") == "laughter" and e.get("speaker") == speaker]


def overlaps(spans, span):
    return any(a < span[1] and b > span[0] for a, b in spans)


def speech_s(rep):
    return sum(s["end_s"] - s["start_s"] for s in rep.get("segments", []))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=C.default_data(""), help="../shared/data (default: %(default)s)")
    ap.add_argument("--dev", default=os.path.normpath(os.path.join(C.ROOT, "..", "shared", "eval", "dev")))
    ap.add_argument("--callscope", default=C.default_binary())
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="passed on to callscope analyze (may be repeated)")
    a = ap.parse_args()
    extra = sum((["--set", kv] for kv in a.set), [])
    ravdess, clips_dir = os.path.join(a.data, "ravdess"), os.path.join(a.data, "laughter")
    with open(os.path.join(ravdess, "meta.tsv")) as f:
        meta = list(csv.DictReader(f, delimiter="\t"))
    clips = sorted(glob.glob(os.path.join(clips_dir, "*.flac")))
    if not clips:
        sys.exit("no laughter clips in %s" % clips_dir)

    with tempfile.TemporaryDirectory(prefix="laughter.") as tmp:
        calls = []
        for sex, agent_actor, customer_actor in CONTEXT:
            agent_says = sentences(ravdess, meta, agent_actor)
            customer_says = sentences(ravdess, meta, customer_actor)
            for i, clip in enumerate(clips):
                bout = [load(clips[(i + k) % len(clips)]) for k in range(4)]
                pause = np.zeros(int(0.15 * RATE))
                y, a_span, c_span = friendly_call(agent_says, customer_says, np.concatenate([bout[0], pause, bout[1]]),
                                                  np.concatenate([bout[2], pause, bout[3]]))
                path = os.path.join(tmp, "%s_%d.wav" % (sex, i))
                sf.write(path, y, RATE, subtype="PCM_16")
                calls.append(dict(path=path, sex=sex, clip=os.path.basename(clip), a_span=a_span, c_span=c_span))

        def analyze(path):
            return C.analyze(a.callscope, path, path + ".json", extra)
        reps = C.pmap(lambda c: analyze(c["path"]), calls, a.jobs)
        rav = [r for r in meta if r["emotion"] in ("neutral", "calm", "happy", "angry")]
        rav_reps = C.pmap(lambda r: C.analyze(a.callscope, os.path.join(ravdess, r["file"]),
                                              os.path.join(tmp, r["file"].replace("/", "_") + ".json"), extra), rav, a.jobs)
        dev = sorted(glob.glob(os.path.join(a.dev, "dev_??.wav")) + glob.glob(os.path.join(a.dev, "dev_??.flac")))
        dev_reps = C.pmap(lambda p: C.analyze(a.callscope, p, os.path.join(tmp, os.path.basename(p) + ".json"), extra),
                          dev, a.jobs)

    rows, found = [], {"agent": 0, "customer": 0}
    flagged_laugh = flagged_any = 0
    for c, (rep, err) in zip(calls, reps):
        if rep is None:
            print("%s: %s" % (c["path"], err), file=sys.stderr)
            continue
        hit_a = overlaps(laughs(rep, "agent"), c["a_span"])
        hit_c = overlaps(laughs(rep, "customer"), c["c_span"])
        found["agent"] += hit_a
        found["customer"] += hit_c
        start = min(c["a_span"][0], c["c_span"][0]) - 0.5
        fl = [f for f in rep.get("flags", []) if f.get("kind") in VOICE_FLAGS]
        in_laugh = [f for f in fl if f["end_s"] > start]
        flagged_laugh += bool(in_laugh)
        flagged_any += bool(fl)
        rows.append([c["clip"], c["sex"], "yes" if hit_a else "no", "yes" if hit_c else "no",
                     " ".join("%s@%.1f" % (f["kind"], f["start_s"]) for f in fl) or "-"])
    C.table(["clip (agent laughs)", "speech before", "agent laugh found", "customer laugh found",
             "voice flags"], rows)
    print()

    frow = []
    for emo in ("neutral", "calm", "happy", "angry"):
        grp = [(r, rep) for r, (rep, err) in zip(rav, rav_reps) if r["emotion"] == emo and rep is not None]
        n = sum(1 for r, rep in grp if laughs(rep, "agent"))
        sec = sum(sum(e - s for s, e in laughs(rep, "agent")) for r, rep in grp)
        frow.append(["RAVDESS " + emo, len(grp), n, "%.1f" % sec, "%.0f" % (sum(speech_s(rep) for r, rep in grp))])
    dev_n = dev_sec = dev_speech = 0
    for p, (rep, err) in zip(dev, dev_reps):
        if rep is None:
            continue
        ev = laughs(rep, "agent") + laughs(rep, "customer")
        dev_n += len(ev)
        dev_sec += sum(e - s for s, e in ev)
        dev_speech += speech_s(rep)
    frow.append(["dev calls (both channels)", len(dev), dev_n, "%.1f" % dev_sec, "%.0f" % dev_speech])
    C.table(["speech with no laughter", "files", "laughter events (RAVDESS: files with one)", "laughter s",
             "speech s"], frow)
    print()
    n = len(rows)
    rate = 3600.0 * dev_n / dev_speech if dev_speech else float("nan")
    print("SUMMARY laughter: found %d/%d agent laughs, %d/%d customer laughs (male speech before: %d/%d, "
          "female: %d/%d); calls with raised_voice/tense_tone/escalation in the shared laughter %d/%d "
          "(anywhere %d/%d); false laughter: RAVDESS %s; dev %d events, %.1f s in %.0f s of speech (%.0f per hour)"
          % (found["agent"], n, found["customer"], n,
             sum(1 for r in rows if r[1] == "male" and r[2] == "yes"), n // 2,
             sum(1 for r in rows if r[1] == "female" and r[2] == "yes"), n // 2,
             flagged_laugh, n, flagged_any, n,
             ", ".join("%s %s/%s files" % (r[0].split()[1], r[2], r[1]) for r in frow[:4]),
             dev_n, dev_sec, dev_speech, rate))


if __name__ == "__main__":
    main()
