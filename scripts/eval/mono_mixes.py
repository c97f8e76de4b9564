#!/usr/bin/env python3
"""Mono conversations built from real recorded voices, with exact truth, separated and scored.

Two real speakers take turns of one to four of their recorded utterances; while
one holds a long turn the other puts in short backchannels (a word or syllable
cut from their own speech, 0.25-0.6 s), either in a pause of the turn or over
its speech. The two voices are summed into one channel at a chosen level
difference, band-limited to a telephone line (300-3400 Hz, 8 kHz) with a little
line noise, and mu-law coded. The truth is exact: every utterance's speech
frames (a 10 ms energy oracle on the clean utterance, pauses under 0.2 s
bridged) are placed on the timeline.

Voices: RAVDESS actors (../shared/data/ravdess; neutral, calm and normal-intensity
happy takes), EmoDB speakers (emodb/; neutral, bored, happy and sad takes), the
two FDA readers (fda/), and the professional prompt voices of Debian's Asterisk
sound packages (asterisk-core-sounds-{en,fr,it,ru}-wav, asterisk-prompt-fr-armelle,
asterisk-prompt-it-menardi-wav). Angry, fearful and shouted takes are left out: a
caller does not swing from calm to shouting and back every sentence, and when the
takes of one actor range that far, two voices are no longer the strongest split
in the speech (that case is a single voice changing, not two voices). The pairs are in two sets that share no pair:
`dev` for development and `check` for checking (--pairs).

Each pair is scored as a whole call (--length, default 180 s) and as its first
minute: the diarization error rate per 10 ms frame (0.25 s collar around every
truth boundary, both-talking frames left out, best of the two speaker mappings:
the same rules as the development set's scorer), the separation confidence, and
the backchannels found (a backchannel by the matching speaker starting within
0.5 s), counted apart for those in a pause and those over speech.

    /usr/bin/python3 scripts/eval/mono_mixes.py [--pairs dev|check|all] [--length S]
                                              [--level-db D] [--callscope BIN] [--jobs N]
                                              [--set KEY=VALUE ...] [-v] [--keep DIR]
"""
import argparse
import glob
import os
import random
import subprocess
import sys
import tempfile

import numpy as np
import soundfile as sf
from scipy import signal

sys.dont_write_bytecode = True  # keep __pycache__ out of the project tree
import _common as C  # noqa: E402
from diarize_ami import der  # noqa: E402
from mono_ami import rate  # noqa: E402

RATE = 8000
HOP = 0.01
ASTERISK = "/usr/share/asterisk/sounds"
# Oracle speech: frames within this of the utterance's loudest, pauses under
# BRIDGE_S bridged, runs under MIN_RUN_S dropped.
ORACLE_DB = 35.0
BRIDGE_S = 0.2
MIN_RUN_S = 0.05
SPEECH_DBFS = -26.0
NOISE_DBFS = -62.0
ONSET_TOLERANCE_S = 0.5
DER_TARGET = 0.20
CONFUSION_TARGET = 0.10

# name: (kind, argument). Sexes in brackets, for choosing pairs.
VOICES = {
    "allison": ("asterisk", "en_US_f_Allison"),       # [f] English
    "june": ("asterisk", "fr_CA_f_June"),             # [f] Canadian French
    "carlo": ("asterisk", "it_IT_m_Carlo"),           # [m] Italian
    "menardi": ("asterisk", "it_IT_f_Menardi"),       # [f] Italian
    "ivr_ru": ("asterisk", "ru_RU_f_IvrvoiceRU"),     # [f] Russian
    "armelle": ("asterisk", "fr"),                    # [f] French (gsm)
    "fda_rl": ("fda", "rl"),                          # [m] English
    "fda_sb": ("fda", "sb"),                          # [f] English
}
VOICES.update({"ravdess%02d" % a: ("ravdess", "Actor_%02d" % a) for a in range(1, 13)})  # odd m, even f
VOICES.update({"emodb%s" % s: ("emodb", s) for s in ("03", "08", "09", "10", "11")})  # 03 10 11 m, 08 09 f

PAIRS = {
    "dev": [("allison", "carlo"), ("june", "ivr_ru"), ("ravdess01", "ravdess03"), ("ravdess02", "ravdess04"),
            ("fda_rl", "fda_sb"), ("emodb03", "emodb08")],
    "check": [("menardi", "armelle"), ("carlo", "june"), ("ravdess05", "ravdess07"), ("ravdess06", "ravdess08"),
              ("ravdess09", "ravdess10"), ("emodb10", "emodb09"), ("allison", "menardi"),
              ("ravdess11", "ravdess12")],
}


def utterance_files(data_root, voice):
    kind, arg = VOICES[voice]
    if kind == "asterisk":
        files = []
        for f in sorted(glob.glob(os.path.join(ASTERISK, arg, "*.wav")) + glob.glob(os.path.join(ASTERISK, arg, "*.gsm"))):
            base = os.path.basename(f)
            if not any(w in base for w in ("tone", "beep", "silence", "dtmf", "music", "ring")):
                files.append(f)
        return files
    if kind == "ravdess":
        # Neutral, calm and happy at normal intensity (modality-channel-emotion-intensity-...).
        return sorted(f for f in glob.glob(os.path.join(data_root, "ravdess", arg, "*.flac"))
                      if os.path.basename(f).split("-")[2] in ("01", "02", "03")
                      and os.path.basename(f).split("-")[3] == "01")
    if kind == "emodb":
        # Neutral, boredom, happiness and sadness (the sixth letter of the name).
        return sorted(f for f in glob.glob(os.path.join(data_root, "emodb", "wav", arg + "*.flac"))
                      if os.path.basename(f)[5] in "NLFT")
    return sorted(glob.glob(os.path.join(data_root, "fda", arg + "*.flac")))


def load(path):
    """The file at RATE as float32 mono (sox decodes gsm and resamples)."""
    p = subprocess.run(["sox", path, "-t", "raw", "-e", "float", "-b", "32", "-c", "1", "-r", str(RATE), "-"],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True)
    return np.frombuffer(p.stdout, np.float32).astype(np.float64)


def oracle(x):
    """Per-hop speech mask of a clean utterance."""
    hop = int(RATE * HOP)
    n = len(x) // hop
    if n == 0:
        return np.zeros(0, bool)
    e = 10 * np.log10(np.mean(x[:n * hop].reshape(n, hop) ** 2, axis=1) + 1e-12)
    m = e > e.max() - ORACLE_DB
    idx = np.flatnonzero(m)
    for a, b in zip(idx[:-1], idx[1:]):
        if 1 < b - a <= BRIDGE_S / HOP:
            m[a:b] = True
    # Drop runs too short to be speech.
    out = m.copy()
    i = 0
    while i < n:
        if m[i]:
            j = i
            while j < n and m[j]:
                j += 1
            if j - i < MIN_RUN_S / HOP:
                out[i:j] = False
            i = j
        else:
            i += 1
    return out


class Utterance:
    def __init__(self, x, path):
        self.path = path
        hop = int(RATE * HOP)
        m = oracle(x)
        on = np.flatnonzero(m)
        self.ok = len(on) > 0
        if not self.ok:
            return
        a, b = on[0], on[-1] + 1
        self.mask = m[a:b]
        self.x = x[a * hop:b * hop].copy()
        active = self.x.reshape(-1, hop)[self.mask]
        self.level = 10 * np.log10(np.mean(active ** 2) + 1e-12)


def voice_pool(data_root, voice):
    pool = []
    for f in utterance_files(data_root, voice):
        try:
            u = Utterance(load(f), f)
        except (OSError, subprocess.CalledProcessError):
            continue
        if u.ok and 0.8 <= len(u.mask) * HOP <= 8.0:
            pool.append(u)
    return pool


def backchannel_of(rng, pool):
    """A word-sized cut from the start of a speech run of one utterance."""
    hop = int(RATE * HOP)
    for _ in range(50):
        u = rng.choice(pool)
        starts = [i for i in range(len(u.mask)) if u.mask[i] and (i == 0 or not u.mask[i - 1])]
        i = rng.choice(starts)
        n = int(rng.uniform(0.25, 0.6) / HOP)
        if i + n > len(u.mask) or u.mask[i:i + n].sum() < 0.2 / HOP:
            continue
        x = u.x[i * hop:(i + n) * hop].copy()
        fade = int(0.015 * RATE)
        x[:fade] *= np.linspace(0, 1, fade)
        x[-fade:] *= np.linspace(1, 0, fade)
        m = u.mask[i:i + n].copy()
        on = np.flatnonzero(m)
        return x, m, u.level, u.path
    return None


def conversation(pools, length_s, level_db, seed):
    """The mixed signal, both speakers' truth masks, the backchannels (speaker, onset, in a pause) and
    every placed utterance (speaker, start, end, file)."""
    rng = random.Random(seed)
    hop = int(RATE * HOP)
    n = int(length_s / HOP)
    sig = [np.zeros(n * hop), np.zeros(n * hop)]
    truth = [np.zeros(n, bool), np.zeros(n, bool)]
    gains = (0.0, -level_db)
    bcs = []
    placed = []

    def place(s, x, m, level, at, path, extra_db=0.0):
        i = int(round(at / HOP))
        if i < 0 or i + len(m) > n:
            return False
        g = 10 ** ((SPEECH_DBFS + gains[s] + extra_db + rng.uniform(-2, 2) - level) / 20)
        sig[s][i * hop:(i + len(m)) * hop] += g * x
        truth[s][i:i + len(m)] |= m
        placed.append((s, at, at + len(m) * HOP, path))
        return True

    t = rng.uniform(0.5, 1.5)
    s = 0
    while t < length_s - 1:
        k = rng.choice((1, 2, 2, 3, 4))
        for j in range(k):
            u = rng.choice(pools[s])
            if not place(s, u.x, u.mask, u.level, t, u.path):
                t = length_s
                break
            end = t + len(u.mask) * HOP
            if j == k - 1:
                t = end
                break
            pause = rng.uniform(0.2, 0.7)
            if rng.random() < 0.45:
                # The listener backchannels: in this pause, or over the speech just said.
                bc = backchannel_of(rng, pools[1 - s])
                if bc is not None:
                    x, m, level, path = bc
                    if rng.random() < 0.5:
                        pause = len(m) * HOP + rng.uniform(0.3, 0.7)
                        at = end + rng.uniform(0.12, pause - len(m) * HOP - 0.12)
                        in_pause = True
                    else:
                        at = end - len(m) * HOP - rng.uniform(0.2, 0.8)
                        in_pause = False
                    on = np.flatnonzero(m)
                    if at > t and place(1 - s, x, m, level, at, path, extra_db=-3.0):
                        bcs.append((1 - s, at + on[0] * HOP, in_pause))
            t = end + pause
        # The hand-over: mostly a short gap, sometimes a slight overlap.
        t += rng.uniform(-0.3, 1.0) if rng.random() < 0.2 else rng.uniform(0.15, 0.8)
        s = 1 - s
    mix = sig[0] + sig[1]
    noise = rng_noise(seed, len(mix))
    mix += noise * 10 ** (NOISE_DBFS / 20)
    sos = signal.butter(6, [300, 3400], btype="bandpass", fs=RATE, output="sos")
    mix = signal.sosfilt(sos, mix)
    return mix, truth, bcs, placed


def rng_noise(seed, n):
    g = np.random.default_rng(seed)
    # Pinkish: white noise through a one-pole low-pass.
    return signal.lfilter([0.3], [1, -0.7], g.standard_normal(n)) / 0.42


def score(report, truth, bcs, n):
    segs = report.get("segments", [])
    pred = []
    for r in ("agent", "customer"):
        m = np.zeros(n, bool)
        for s in segs:
            if s.get("speaker") == r:
                m[max(0, int(round(s["start_s"] / HOP))):min(n, int(round(s["end_s"] / HOP)))] = True
        pred.append(m)
    t = [x[:n] for x in truth]
    bounds = []
    for x in t:
        edges = np.flatnonzero(np.diff(x.astype(int))) + 1
        bounds += list(edges * HOP)
    d = der(t, pred, bounds, n)
    swapped = sum(der(t, [pred[1], pred[0]], bounds, n)[:3]) < sum(d[:3])
    role_of = ("customer", "agent") if swapped else ("agent", "customer")
    events = [e for e in report.get("events", []) if e.get("type") == "backchannel"]
    found = {True: 0, False: 0}
    count = {True: 0, False: 0}
    for s, onset, in_pause in bcs:
        if onset >= n * HOP:
            continue
        count[in_pause] += 1
        found[in_pause] += any(e.get("speaker") == role_of[s] and abs(e["start_s"] - onset) <= ONSET_TOLERANCE_S
                               for e in events)
    marked = [f for f in report.get("flags", []) if f.get("who_said_what_doubtful")]
    return {"miss": d[0], "fa": d[1], "conf": d[2], "frames": d[3], "bc_pause": count[True],
            "bc_pause_found": found[True], "bc_over": count[False], "bc_over_found": found[False],
            "bc_reported": len(events), "confidence": C.num(C.get(report, "source", "separation_confidence")),
            "separation": C.get(report, "source", "separation"), "flags": len(report.get("flags", [])),
            "doubtful_flags": len(marked)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=os.path.dirname(C.default_data("x")))
    ap.add_argument("--pairs", choices=("dev", "check", "all"), default="dev")
    ap.add_argument("--length", type=float, default=180.0, help="seconds per conversation (default %(default)s)")
    ap.add_argument("--level-db", type=float, nargs="+", default=[0.0, 6.0],
                    help="the second voice this much quieter (default %(default)s)")
    ap.add_argument("--callscope", default=C.default_binary())
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--set", action="append", default=[], help="profile KEY=VALUE passed to callscope")
    ap.add_argument("--keep", help="write the mixes and reports into this folder")
    ap.add_argument("-v", action="store_true", help="list every mix")
    args = ap.parse_args()

    pairs = PAIRS["dev"] + PAIRS["check"] if args.pairs == "all" else PAIRS[args.pairs]
    voices = sorted({v for p in pairs for v in p})
    pools = {}
    for v in voices:
        pools[v] = voice_pool(args.data, v)
        if len(pools[v]) < 3:
            print("voice %s: too few utterances found, skipped (data or Debian package missing?)" % v,
                  file=sys.stderr)
    pairs = [p for p in pairs if len(pools[p[0]]) >= 3 and len(pools[p[1]]) >= 3]
    extra = [x for kv in args.set for x in ("--set", kv)]
    jobs = []
    for i, (a, b) in enumerate(pairs):
        for lv in args.level_db:
            for length in sorted({args.length, min(60.0, args.length)}):
                jobs.append((a, b, lv, length, 1000 + i))

    with tempfile.TemporaryDirectory() as tmpdir:
        out = args.keep or tmpdir
        os.makedirs(out, exist_ok=True)

        def one(job):
            a, b, lv, length, seed = job
            name = "%s-%s-%gdB-%gs" % (a, b, lv, length)
            mix, truth, bcs, _ = conversation((pools[a], pools[b]), args.length, lv, seed)
            cut = int(length * RATE)
            wav = os.path.join(out, name + ".wav")
            raw = os.path.join(out, name + ".f32.wav")
            sf.write(raw, mix[:cut].astype(np.float32), RATE, subtype="FLOAT")
            err = C.run(["sox", raw, "-D", "-e", "mu-law", "-b", "8", wav])
            os.remove(raw)
            if err:
                return name, None, None, err
            report, err = C.analyze(args.callscope, wav, os.path.join(out, name + ".json"), extra)
            if report is None:
                return name, None, None, err
            n = int(length / HOP)
            return name, score(report, truth, bcs, n), (a, b, lv, length), ""

        results = C.pmap(one, jobs, args.jobs)

    C.report_failures("callscope", [(name, err) for name, r, _, err in results if r is None])
    rows = [(name, r, key) for name, r, key, _ in results if r is not None]
    if not rows:
        print("SUMMARY no mix analysed")
        return 1
    if args.v:
        C.table(["mix", "DER", "miss", "FA", "confusion", "confidence", "bc in pause", "bc over speech",
                 "bc reported", "flags (doubtful)"],
                [[name, C.pct(rate(r, "miss") + rate(r, "fa") + rate(r, "conf")), C.pct(rate(r, "miss")),
                  C.pct(rate(r, "fa")), C.pct(rate(r, "conf")),
                  C.fmt(r["confidence"], "%.2f") if r["separation"] == "diarized" else r["separation"],
                  "%d/%d" % (r["bc_pause_found"], r["bc_pause"]), "%d/%d" % (r["bc_over_found"], r["bc_over"]),
                  r["bc_reported"], "%d (%d)" % (r["flags"], r["doubtful_flags"])]
                 for name, r, _ in rows])
        print()
    summary = []
    for length in sorted({k[3] for _, _, k in rows}):
        rs = [r for _, r, k in rows if k[3] == length]
        tot = {k: sum(r[k] for r in rs) for k in rs[0] if isinstance(rs[0][k], int)}
        d = (tot["miss"] + tot["fa"] + tot["conf"]) / max(1, tot["frames"])
        conf = tot["conf"] / max(1, tot["frames"])
        summary.append("%gs: DER=%s (%s) miss=%s FA=%s confusion=%s (%s) bcPause=%d/%d bcOver=%d/%d"
                       % (length, C.pct(d), C.verdict(d, DER_TARGET, False), C.pct(tot["miss"] / max(1, tot["frames"])),
                          C.pct(tot["fa"] / max(1, tot["frames"])), C.pct(conf),
                          C.verdict(conf, CONFUSION_TARGET, False), tot["bc_pause_found"], tot["bc_pause"],
                          tot["bc_over_found"], tot["bc_over"]))
    print("SUMMARY pairs=%s mixes=%d; %s" % (args.pairs, len(rows), "; ".join(summary)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
