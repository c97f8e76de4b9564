"""Helpers shared by the evaluation scripts in this folder (not a script itself)."""
import argparse
import concurrent.futures
import json
import math
import os
import subprocess
import sys

import numpy as np
from scipy import stats

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def default_data(name):
    # The labelled data lives beside the project, never inside it (licence terms).
    return os.path.normpath(os.path.join(ROOT, "..", "shared", "data", name))


def default_binary():
    return os.path.join(ROOT, "callscope")


def run(cmd, timeout=600):
    """Returns '' on success or a one-line reason; never raises, so one bad file cannot end a run."""
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as e:
        return str(e)
    if p.returncode == 0:
        return ""
    # callscope says why in one line; Praat puts the cause first and a generic line last.
    lines = [ln.strip() for ln in p.stderr.strip().splitlines() if ln.strip()] or ["(no message)"]
    return "exit %d: %s" % (p.returncode, " ... ".join(dict.fromkeys([lines[0], lines[-1]])))


def analyze(binary, audio, out_json, extra=()):
    """Runs `callscope analyze`; returns (report dict or None, reason)."""
    err = run([binary, "analyze", audio, "--json", out_json, "--quiet"] + list(extra))
    if err:
        return None, err
    try:
        with open(out_json) as f:
            return json.load(f), ""
    except (OSError, ValueError) as e:
        return None, "unreadable report: %s" % e


def missing_options(binary, options, command="analyze"):
    """Options absent from `callscope COMMAND --help`, so the caller can warn once instead of per file."""
    try:
        p = subprocess.run([binary, command, "--help"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, timeout=30)
        text = p.stdout
    except (OSError, subprocess.TimeoutExpired):
        return list(options)
    return [o for o in options if o not in text]


def pmap(fn, items, jobs):
    # Threads suffice: the work happens in the child processes, not in Python.
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as ex:
        return list(ex.map(fn, items))


def report_failures(what, failures):
    """Prints (name, reason) failures to stderr, one line per distinct reason, so a missing
    feature in the binary shows as one line rather than hundreds."""
    by_reason = {}
    for name, reason in failures:
        by_reason.setdefault(reason, []).append(name)
    for reason, names in by_reason.items():
        shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
        count = "" if len(names) == 1 else "%d items (" % len(names)
        print("%s failed on %s%s%s, skipped: %s" % (what, count, shown, ")" if count else "", reason),
              file=sys.stderr)


def get(d, *keys):
    for k in keys:
        if not isinstance(d, dict):
            return None
        d = d.get(k)
    return d


def num(x):
    """A finite float, or None for null, missing, non-numeric, NaN or infinite values."""
    if isinstance(x, bool):
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def auc(pos, neg):
    """Area under the ROC curve: chance that a positive scores above a negative (ties count half)."""
    pos = [v for v in pos if v is not None]
    neg = [v for v in neg if v is not None]
    if not pos or not neg:
        return None
    ranks = stats.rankdata(np.concatenate([pos, neg]))
    u = ranks[:len(pos)].sum() - len(pos) * (len(pos) + 1) / 2
    return float(u / (len(pos) * len(neg)))


def pearson(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    if len(a) < 3 or a.std() == 0 or b.std() == 0:
        return None
    return float(stats.pearsonr(a, b)[0])


def fmt(v, spec="%.3f"):
    return "-" if v is None else spec % v


def pct(x, spec="%.1f%%", sign=False):
    """A fraction as a percentage; '-' when missing."""
    if x is None:
        return "-"
    return (spec.replace("%.", "%+.", 1) if sign else spec) % (100 * x)


def verdict(value, target, higher_is_better):
    if value is None:
        return "n/a"
    ok = value >= target if higher_is_better else value <= target
    return "met" if ok else "NOT met"


def runs(mask):
    """The [start, end) frame runs where mask holds."""
    m = np.concatenate([[0], mask.astype(np.int8), [0]])
    d = np.diff(m)
    return list(zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1)))


FALSE_KINDS = ("crosstalk", "noise", "head", "tail", "tail_over_other", "pause")
MISS_KINDS = ("missed", "late_start", "early_end", "gap")


def breakdown(ours, truth, other, keep):
    """Where the errors of one channel lie, in frames. Speech we report without truth: a
    spurt of ours touching none of this speaker's speech is crosstalk when the other side
    talks through most of it, else noise; a spurt that does touch it runs early (head), late
    (tail, split by whether the other side talks then: a tail over the other's speech is
    crosstalk holding it open) or across the speaker's pauses. Speech we miss: a truth run
    we never touch, its late start, its early end, or gaps we cut inside it."""
    fp = dict.fromkeys(FALSE_KINDS, 0)
    for a, b in runs(ours):
        t = np.flatnonzero(truth[a:b])
        wrong = ~truth[a:b] & keep[a:b]
        if len(t) == 0:
            fp["crosstalk" if other[a:b].mean() > 0.5 else "noise"] += int(wrong.sum())
            continue
        fp["head"] += int(wrong[:t[0]].sum())
        tail, over = wrong[t[-1] + 1:], other[a:b][t[-1] + 1:]
        fp["tail"] += int((tail & ~over).sum())
        fp["tail_over_other"] += int((tail & over).sum())
        fp["pause"] += int(wrong[t[0]:t[-1] + 1].sum())
    fn = dict.fromkeys(MISS_KINDS, 0)
    for a, b in runs(truth):
        o = np.flatnonzero(ours[a:b])
        lost = ~ours[a:b] & keep[a:b]
        if len(o) == 0:
            fn["missed"] += int(lost.sum())
            continue
        fn["late_start"] += int(lost[:o[0]].sum())
        fn["early_end"] += int(lost[o[-1] + 1:].sum())
        fn["gap"] += int(lost[o[0]:o[-1] + 1].sum())
    return fp, fn



def breakdown_row(label, chans):
    """The breakdown's seconds summed over (row, channel) pairs whose rows hold KIND + channel keys."""
    return [label] + ["%.1f" % sum(r["%s%d" % (k, c)] for r, c in chans) for k in FALSE_KINDS + MISS_KINDS]


def breakdown_table(rows):
    print("\nseconds of speech reported without truth (crosstalk .. pause) and of truth missed (missed .. gap):")
    table(["version"] + list(FALSE_KINDS + MISS_KINDS), rows)


def calls_parser(doc, data_name, versions):
    """The options the two-channel call scripts share (their docstring's first paragraph is the
    description)."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("--data", default=default_data(data_name))
    ap.add_argument("--callscope", default=default_binary())
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--set", action="append", default=[], help="profile KEY=VALUE passed to callscope")
    ap.add_argument("--only", choices=versions, help="score one version only")
    return ap


def call_table(rows):
    """One line per two-channel call (name, version, figures as the calls_* scripts score them)."""
    table(["call", "F1 ch0", "F1 ch1", "P ch0", "P ch1", "talk ch0", "truth", "talk ch1", "truth",
           "overlap", "truth", "silent", "truth", "leak ch0", "leak ch1"],
          [[name, "%.3f" % r["f0"], "%.3f" % r["f1"], "%.2f" % r["p0"], "%.2f" % r["p1"],
            "%.1f" % r["talk0"], "%.1f" % r["truth0"], "%.1f" % r["talk1"], "%.1f" % r["truth1"],
            "%.1f" % r["overlap"], "%.1f" % r["truth_overlap"], "%.1f" % r["silent"],
            "%.1f" % r["truth_silent"], "%.1f" % r["leak0"], "%.1f" % r["leak1"]]
           for name, _, r in rows])
    print()


def table(header, rows):
    """Prints left-aligned first column, right-aligned others."""
    rows = [[str(c) for c in r] for r in rows]
    w = [max(len(str(h)), *(len(r[i]) for r in rows)) if rows else len(str(h)) for i, h in enumerate(header)]
    line = lambda cells: "  ".join(c.ljust(w[0]) if i == 0 else c.rjust(w[i]) for i, c in enumerate(cells))
    print(line([str(h) for h in header]))
    print("  ".join("-" * x for x in w))
    for r in rows:
        print(line(r))
