#!/usr/bin/env python3
"""Conversation flags against the development set's ground truth.

The dev set has no flag truth, so the flags the rules should raise are derived
from its exact events with the default thresholds (docs/metrics.md, Flags),
and compared with the reports' flags: a flag matches a derived one
of its kind when their starts are within --tol seconds.

    for f in ../shared/eval/dev/dev_??.wav ../shared/eval/dev/dev_??.flac; do
        n=$(basename "${f%.*}"); ./callscope analyze "$f" --json "reports/$n.json" --quiet; done
    python3 scripts/eval/flags_dev.py --reports reports

Derived kinds: interrupted_customer (each agent interruption of the customer),
dead_air (each silence the truth marks as dead air, 5 s or more), long_monologue
(agent monologues over 60 s), no_acknowledgement (customer turns of 20 s or
more with no agent backchannel inside), rushed_response (3 or more truth rushed
responses: each of them), talk_dominance (agent share of the call's talk over
0.65; the sliding window is not derived). Voice flags are judged against the
truth's tense stretches of calls whose agent is tense. The truth's holds are
silent (no music), so nothing in the sound tells them from dead air; how many
raise dead_air is printed for the record.
"""
import argparse
import glob
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def expected_flags(truth):
    out = []
    ev = truth["events"]
    for e in ev:
        if e["type"] == "interruption" and e["by"] == "agent":
            out.append(("interrupted_customer", e["start_s"]))
        if e["type"] == "silence" and e.get("cause") == "dead_air" and e["end_s"] - e["start_s"] >= 5.0:
            out.append(("dead_air", e["start_s"]))
    rushed = [e for e in ev if e["type"] == "rushed_response" and e["by"] == "agent"]
    if len(rushed) >= 3:
        out += [("rushed_response", e["start_s"]) for e in rushed]
    for a, b in truth["monologues"].get("agent", []):
        if b - a > 60:
            out.append(("long_monologue", a))
    bcs = [e["start_s"] for e in ev if e["type"] == "backchannel" and e["by"] == "agent"]
    for a, b in truth["monologues"].get("customer", []):
        if b - a >= 20 and not any(a <= t < b for t in bcs):
            out.append(("no_acknowledgement", a))
    share = truth["per_speaker"]["agent"]["talk_share"]
    if share > 0.65:
        out.append(("talk_dominance", truth["call"]["speech_span_s"][0]))
    return out


def tone_blocks(truth):
    """Tense stretches in calls where the agent's voice is tense (tense_s > 0)."""
    if not truth["per_speaker"]["agent"].get("tense_s"):
        return []
    return [(b["start_s"], b["end_s"]) for b in truth.get("blocks", []) if b["block"] == "tense"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--truth", default=os.path.join(ROOT, "..", "shared", "eval", "dev"))
    ap.add_argument("--reports", required=True)
    ap.add_argument("--tol", type=float, default=1.0)
    args = ap.parse_args()
    kinds = {}
    hold_false = holds = 0
    tone_hit = tone_calls = tone_outside = 0
    for tf in sorted(glob.glob(os.path.join(args.truth, "dev_??.truth.json"))):
        name = os.path.basename(tf).split(".")[0]
        rp = os.path.join(args.reports, name + ".json")
        if not os.path.exists(rp):
            continue
        truth = json.load(open(tf))
        got = [(f["kind"], f["start_s"], f["end_s"]) for f in json.load(open(rp))["flags"]]
        want = expected_flags(truth)
        for k in set([w[0] for w in want] + [g[0] for g in got]):
            w = [t for kk, t in want if kk == k]
            g = [t for kk, t, _ in got if kk == k]
            used = set()
            tp = 0
            for t in w:
                best = min((abs(t - x), i) for i, x in enumerate(g) if i not in used) if len(used) < len(g) else None
                # A dominance flag may open with its first window, so only the call counts.
                if best and (best[0] <= args.tol or k == "talk_dominance"):
                    used.add(best[1])
                    tp += 1
            s = kinds.setdefault(k, [0, 0, 0])
            s[0] += tp
            s[1] += len(g) - tp
            s[2] += len(w) - tp
        voice = [(a, b) for k, a, b in got if k in ("raised_voice", "tense_tone", "fast_pace", "escalation")]
        blocks = tone_blocks(truth)
        if blocks:
            tone_calls += 1
            tone_hit += any(a < y and b > x for a, b in voice for x, y in blocks)
        tone_outside += sum(1 for a, b in voice if not any(a < y and b > x for x, y in blocks))
        for e in truth["events"]:
            if e["type"] == "silence" and e.get("cause") == "hold":
                holds += 1
                hold_false += any(k == "dead_air" and a < e["end_s"] and b > e["start_s"] for k, a, b in got)
    print(f"{'kind':22s} {'match':>5s} {'extra':>5s} {'miss':>5s}  precision recall")
    for k, (tp, fp, fn) in sorted(kinds.items()):
        p = tp / (tp + fp) if tp + fp else float("nan")
        r = tp / (tp + fn) if tp + fn else float("nan")
        print(f"{k:22s} {tp:5d} {fp:5d} {fn:5d}  {p:9.2f} {r:6.2f}")
    print(f"calls with a tense agent whose tense stretch raised a voice flag: {tone_hit} of {tone_calls}")
    print(f"voice flags outside any tense stretch of a tense agent: {tone_outside}")
    print(f"silent holds flagged as dead_air: {hold_false} of {holds}")


if __name__ == "__main__":
    main()
