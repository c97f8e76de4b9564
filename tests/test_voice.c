/*
 * Voice frames and the whole-call voice figures on signals whose answer is
 * known by construction: a harmonic voice gliding 100 -> 200 Hz (pitch per
 * 10 ms, median, range), a voice at a known mean-square level (active speech
 * level, high-band share), a telephone-band voice without its fundamental
 * (the pitch is the harmonics' spacing, not a multiple of it), syllable
 * trains at 2.5-7 syllables a second (articulation and speaking rate; a
 * vowel whose level wavers is one syllable), vowels in a row whose level
 * never dips (each vowel a syllable, told apart by the spectrum's shape),
 * silence (nothing measured), and the frame grid itself (frames tile the
 * stream exactly, whatever the frame length and however the audio is cut
 * into blocks).
 *
 * The signals are written here rather than taken from callgen: callgen's
 * speech is realistic, but its syllable count and instantaneous f0 are not
 * exposed, and these checks need both exactly.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callgen.h"
#include "callscope/callscope.h"
#include "check.h"
#include "runcall.h"

#define PI 3.14159265358979323846

static uint64_t seed;

/* ---- signals ------------------------------------------------------------ */

/* A voiced sound: harmonics k_lo..k_hi of an f0 that glides linearly from
 * f0_hz to f0_end_hz over the sound and wavers around that by up to two
 * sinusoidal intonations. Real voices never hold f0 still, and a harmonic
 * spectrum that stays put for a fifth of a second is what hold music looks
 * like to the voice activity detector, so every sound here keeps moving. */
typedef struct voice_spec {
    double f0_hz, f0_end_hz;   /* end 0: no glide */
    double vibrato_st, vibrato_hz;
    double vibrato2_st, vibrato2_hz; /* a second, faster wavering */
    int k_lo, k_hi;
    double tilt;               /* harmonic k has amplitude ~ k^-tilt */
    double rms;                /* of the carrier, before any envelope */
    double syl_per_s;          /* > 0: cut into syllable bursts at this rate */
    double duty;               /* sounding share of each syllable period */
    double am_depth, am_hz;    /* gentle amplitude modulation: 1 + depth sin */
} voice_spec;

static double amp_scale(const voice_spec *v)
{
    double s = 0;
    for (int k = v->k_lo; k <= v->k_hi; k++)
        s += pow(k, -2 * v->tilt);
    return v->rms * sqrt(2.0 / s); /* sum of a_k^2 / 2 = rms^2 */
}

/* Instantaneous f0 at tau seconds into a sound of dur seconds. */
static double f0_at(const voice_spec *v, double tau, double dur)
{
    double end = v->f0_end_hz > 0 ? v->f0_end_hz : v->f0_hz;
    double base = v->f0_hz + (end - v->f0_hz) * (dur > 0 ? tau / dur : 0);
    return base * exp2((v->vibrato_st * sin(2 * PI * v->vibrato_hz * tau) +
                        v->vibrato2_st * sin(2 * PI * v->vibrato2_hz * tau)) /
                       12.0);
}

/* Add the sound to channel ch of x (interleaved, nch channels) from sample
 * first for dur seconds. Returns the syllables it holds (0 if continuous). */
static int add_voice(float *x, int nch, int ch, int rate, size_t first, double dur, const voice_spec *v,
                     uint64_t *rng)
{
    double c = amp_scale(v);
    double phase_off[64];
    for (int k = v->k_lo; k <= v->k_hi && k < 64; k++)
        phase_off[k] = 2 * PI * cg_rand_unit(rng);
    size_t n = (size_t)llround(dur * rate);
    double ramp = 0.01 * rate, phase = 0;
    double period = v->syl_per_s > 0 ? 1.0 / v->syl_per_s : 0, burst = period * v->duty;
    int syllables = v->syl_per_s > 0 ? (int)floor(dur / period + 1e-9) : 0;
    for (size_t i = 0; i < n; i++) {
        double tau = (double)i / rate;
        double env = 1.0;
        if (period > 0) {
            double u = fmod(tau, period);
            env = u < burst && tau < syllables * period ? pow(sin(PI * u / burst), 2) : 0.0;
        } else {
            if (i < ramp)
                env = 0.5 - 0.5 * cos(PI * i / ramp);
            if (n - i < ramp)
                env = 0.5 - 0.5 * cos(PI * (n - i) / ramp);
        }
        env *= 1.0 + v->am_depth * sin(2 * PI * v->am_hz * tau);
        double s = 0;
        for (int k = v->k_lo; k <= v->k_hi && k < 64; k++)
            s += pow(k, -v->tilt) * sin(k * phase + phase_off[k]);
        x[(first + i) * (size_t)nch + (size_t)ch] += (float)(c * env * s);
        phase += 2 * PI * f0_at(v, tau, dur) / rate;
        if (phase > 2 * PI * 1e4)
            phase = fmod(phase, 2 * PI);
    }
    return syllables;
}

/* Low white noise over the whole buffer, so the voice activity detector has
 * a floor to measure the voice against. */
static void add_noise(float *x, size_t frames, int nch, double rms_dbfs, uint64_t *rng)
{
    double rms = pow(10.0, rms_dbfs / 20.0);
    for (size_t i = 0; i < frames * (size_t)nch; i++) {
        /* Irwin-Hall: 12 uniforms sum to mean 6, variance 1 */
        double g = -6.0;
        for (int j = 0; j < 12; j++)
            g += cg_rand_unit(rng);
        x[i] += (float)(rms * g);
    }
}

static float *alloc_signal(size_t frames, int nch)
{
    float *x = calloc(frames * (size_t)nch + 1, sizeof *x);
    if (!x) {
        fprintf(stderr, "test_voice: out of memory\n");
        exit(2);
    }
    return x;
}

/* ---- running the analyzer ----------------------------------------------- */

typedef struct vrun {
    int rate_hz, hop, err;
    cs_frame *fr;
    size_t nfr, frcap;
    cs_event *ev;
    size_t nev, evcap;
    cs_summary sum;
    int64_t pushed;
} vrun;

static void *grow(void *p, size_t *cap, size_t size)
{
    size_t c = *cap ? 2 * *cap : 256;
    void *q = realloc(p, c * size);
    if (!q) {
        fprintf(stderr, "test_voice: out of memory\n");
        exit(2);
    }
    *cap = c;
    return q;
}

static int drain(cs_analyzer *a, vrun *r)
{
    int n = 0, got;
    cs_event ev;
    cs_frame fr;
    while ((got = cs_pull(a, &ev)) > 0) {
        if (r->nev == r->evcap)
            r->ev = grow(r->ev, &r->evcap, sizeof *r->ev);
        r->ev[r->nev++] = ev;
        n++;
    }
    if (got < 0 && r->err == CS_OK)
        r->err = got;
    while ((got = cs_pull_frame(a, &fr)) > 0) {
        if (r->nfr == r->frcap)
            r->fr = grow(r->fr, &r->frcap, sizeof *r->fr);
        r->fr[r->nfr++] = fr;
        n++;
    }
    if (got < 0 && r->err == CS_OK)
        r->err = got;
    return n;
}

static void vrun_free(vrun *r)
{
    free(r->fr);
    free(r->ev);
    memset(r, 0, sizeof *r);
}

/* Push the signal in blocks the way a caller does, pulling events and frames
 * after every push. */
static int vrun_profile(const float *x, size_t frames, int nch, int rate, size_t block, const cs_profile *prof,
                        vrun *r)
{
    memset(r, 0, sizeof *r);
    r->rate_hz = cs_analysis_rate(prof, rate);
    cs_config cfg;
    cs_config_default(&cfg, rate, nch);
    cs_analyzer *a = NULL;
    int err = cs_open(&a, &cfg, prof);
    if (err < 0)
        return r->err = err;
    r->hop = cs_hop_samples(a);
    size_t done = 0;
    int stalls = 0;
    while (done < frames && r->err == CS_OK) {
        size_t n = frames - done < block ? frames - done : block;
        long got = cs_push(a, x + done * (size_t)nch, n);
        if (got < 0) {
            r->err = (int)got;
            break;
        }
        done += (size_t)got;
        int pulled = drain(a, r);
        stalls = got == 0 && pulled == 0 ? stalls + 1 : 0;
        if (stalls > 2) {
            printf("    cs_push consumes nothing and nothing is ready to pull\n");
            r->err = CS_ESTATE;
        }
    }
    r->pushed = (int64_t)done;
    if (r->err == CS_OK && (err = cs_finish(a)) < 0)
        r->err = err;
    drain(a, r);
    cs_summary_get(a, &r->sum);
    cs_close(a);
    return r->err;
}

/* The same with the default profile; tracks_hop_s > 0 sets the frame length. */
static int vrun_signal(const float *x, size_t frames, int nch, int rate, size_t block, double tracks_hop_s, vrun *r)
{
    cs_profile prof;
    cs_profile_default(&prof);
    if (tracks_hop_s > 0) {
        char v[32];
        snprintf(v, sizeof v, "%.6g", tracks_hop_s);
        if (!CHECK_INT(cs_profile_set(&prof, "tracks.hop_s", v), CS_OK))
            return r->err = CS_EPROFILE;
    }
    return vrun_profile(x, frames, nch, rate, block, &prof, r);
}

static double sec(const vrun *r, int64_t sample) { return (double)sample / r->rate_hz; }
static double mid_s(const vrun *r, const cs_frame *f) { return 0.5 * (sec(r, f->start) + sec(r, f->end)); }

static int count_events(const vrun *r, cs_event_type type, int speaker)
{
    int n = 0;
    for (size_t i = 0; i < r->nev; i++)
        n += r->ev[i].type == type && (speaker < 0 || r->ev[i].speaker == speaker);
    return n;
}

/* What every frame must satisfy, whatever the signal: the header's promises
 * about which fields are NAN when, and that the parts fit in the whole.
 * Checked quietly; one failure per run is reported. */
static void frame_contract(const vrun *r, const char *what)
{
    double lo = rc_default_value("pitch.min_hz"), hi = rc_default_value("pitch.max_hz");
    int bad = 0;
    for (size_t i = 0; i < r->nfr && !bad; i++) {
        const cs_frame *f = &r->fr[i];
        double dur = sec(r, f->end - f->start);
        for (int s = 0; s < CS_MAX_SPEAKERS && !bad; s++) {
            const cs_voice *v = &f->speaker[s];
            int voiced = v->voiced_s > 0, speech = v->speech_s > 0;
            int ok = v->speech_s >= 0 && v->speech_s <= dur + 1e-9 && v->voiced_s >= 0 &&
                     v->voiced_s <= v->speech_s + 1e-9 && v->articulation_s >= 0 &&
                     v->articulation_s <= v->speech_s + 1e-9 && v->syllables >= 0 &&
                     (speech || v->syllables == 0) && isnan(v->level_db) == !speech &&
                     isnan(v->high_band_db) == !speech && isnan(v->pitch_hz) == !voiced &&
                     isnan(v->pitch_lo_hz) == !voiced && isnan(v->pitch_hi_hz) == !voiced;
            /* a pitch is only ever found inside the searched range (the
             * refinement between lags may reach half a lag past it) */
            if (ok && voiced)
                ok = v->pitch_lo_hz <= v->pitch_hz && v->pitch_hz <= v->pitch_hi_hz && v->pitch_lo_hz >= lo * 0.97 &&
                     v->pitch_hi_hz <= hi * 1.03;
            if (ok && speech)
                ok = v->high_band_db <= 1e-9;
            if (!ok) {
                bad = 1;
                printf("    %s: frame %zu (%.2f-%.2f s) %s: speech %.3f voiced %.3f pitch %.1f [%.1f %.1f] level %.2f "
                       "high %.2f syllables %d\n",
                       what, i, sec(r, f->start), sec(r, f->end), cs_speaker_name(s), v->speech_s, v->voiced_s,
                       v->pitch_hz, v->pitch_lo_hz, v->pitch_hi_hz, v->level_db, v->high_band_db, v->syllables);
            }
        }
    }
    CHECK(!bad);
}

/* Frames count the same speech as the segments do: their speaking time
 * adds up to the summary's talk time, hop for hop. */
static void speech_matches_talk(const vrun *r, const char *what)
{
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        double speech = 0;
        for (size_t i = 0; i < r->nfr; i++)
            speech += r->fr[i].speaker[s].speech_s;
        if (!CHECK_NEAR(speech, r->sum.speaker[s].talk_s, 1e-6))
            printf("    %s: %s frames hold %.3f s of speech, segments %.3f s\n", what, cs_speaker_name(s), speech,
                   r->sum.speaker[s].talk_s);
    }
}

static void dump_frames(const vrun *r, int s, double from_s, double to_s)
{
    for (size_t i = 0; i < r->nfr; i++) {
        const cs_frame *f = &r->fr[i];
        if (sec(r, f->end) < from_s || sec(r, f->start) > to_s)
            continue;
        const cs_voice *v = &f->speaker[s];
        printf("    %7.2f-%7.2f speech %.2f voiced %.2f core %.2f pitch %7.2f [%7.2f %7.2f] level %7.2f high %6.2f "
               "syl %d\n",
               sec(r, f->start), sec(r, f->end), v->speech_s, v->voiced_s, v->articulation_s, v->pitch_hz,
               v->pitch_lo_hz, v->pitch_hi_hz, v->level_db, v->high_band_db, v->syllables);
    }
}

/* ---- pitch -------------------------------------------------------------- */

/* Share of the voiced 10 ms frames whose centre lies in [from_s, to_s] with
 * a pitch within rel of truth(t), and the share of those frames voiced. */
typedef double (*truth_fn)(double t, const void *ctx);

static void pitch_follow(const vrun *r, double from_s, double to_s, truth_fn truth, const void *ctx, double rel,
                         double *share_right, double *share_voiced, int *octave_errors)
{
    int frames = 0, voiced = 0, right = 0, octave = 0;
    for (size_t i = 0; i < r->nfr; i++) {
        const cs_frame *f = &r->fr[i];
        double t = mid_s(r, f);
        if (t < from_s || t > to_s)
            continue;
        frames++;
        const cs_voice *v = &f->speaker[CS_AGENT];
        if (!(v->voiced_s > 0))
            continue;
        voiced++;
        double want = truth(t, ctx);
        right += fabs(v->pitch_hz / want - 1) <= rel;
        for (int m = 2; m <= 3; m++)
            octave += fabs(v->pitch_hz / (m * want) - 1) <= rel || fabs(v->pitch_hz * m / want - 1) <= rel;
    }
    *share_right = voiced ? (double)right / voiced : 0;
    *share_voiced = frames ? (double)voiced / frames : 0;
    *octave_errors = octave;
}

typedef struct glide_ctx {
    double t0, dur;
    const voice_spec *v;
} glide_ctx;

static double glide_truth(double t, const void *ctx)
{
    const glide_ctx *g = ctx;
    return f0_at(g->v, t - g->t0, g->dur);
}

/* A pitch read off a clean harmonic voice is right within 3 %: half a
 * semitone, so the same note, and far from any octave or fifth error. */
#define PITCH_REL 0.03

/* Analyse a signal holding one voice from t0 for dur seconds (10 ms
 * frames), check what any such run must show (the frame contract, one talk
 * spurt) and that the pitch follows the voice over its middle 80 % (the
 * edges hold frames that only partly hear it). Returns how many frames sat
 * at an octave or a fifth of the truth; the run is left in *r. */
static int follow_voice(const float *x, size_t n, int rate, size_t block, double t0, double dur,
                        const voice_spec *v, const char *name, vrun *r)
{
    CHECK_INT(vrun_signal(x, n, 1, rate, block, 0.01, r), CS_OK);
    frame_contract(r, name);
    speech_matches_talk(r, name);
    CHECK_INT(count_events(r, CS_EVENT_SEGMENT, CS_AGENT), 1);
    glide_ctx g = {t0, dur, v};
    double right, voiced;
    int octave;
    pitch_follow(r, t0 + 0.1 * dur, t0 + 0.9 * dur, glide_truth, &g, PITCH_REL, &right, &voiced, &octave);
    CHECK(voiced >= 0.9);
    CHECK(right >= 0.9);
    if (right < 0.9 || voiced < 0.9)
        printf("    voiced share %.3f, share within 3 %% %.3f, frames at 2x/3x or 1/2, 1/3 of f0: %d\n", voiced, right,
               octave);
    return octave;
}

static void pitch_glide(int rate)
{
    char name[128];
    snprintf(name, sizeof name, "glide 100 -> 200 Hz over 2 s, 10 harmonics, %d Hz", rate);
    check_case(name);
    int failed = check_failures();
    const double t0 = 1.0, dur = 2.0, total = 4.0;
    voice_spec v = {.f0_hz = 100, .f0_end_hz = 200, .k_lo = 1, .k_hi = 10, .tilt = 1.0, .rms = 0.05};
    size_t n = (size_t)(total * rate);
    float *x = alloc_signal(n, 1);
    uint64_t rng = cg_seed_mix(seed, (uint64_t)rate);
    add_noise(x, n, 1, -60, &rng);
    add_voice(x, 1, 0, rate, (size_t)(t0 * rate), dur, &v, &rng);
    vrun r;
    follow_voice(x, n, rate, 441, t0, dur, &v, name, &r);

    /* A linear glide spends equal time at every frequency: median 150 Hz,
     * 10th and 90th percentiles 110 and 190 Hz. Each percentile may be off
     * by PITCH_REL, so the range by twice that in semitones. */
    const cs_speaker_summary *s = &r.sum.speaker[CS_AGENT];
    CHECK_NEAR(s->pitch_median_hz, 150.0, 150.0 * PITCH_REL);
    CHECK_NEAR(s->pitch_range_st, 12 * log2(190.0 / 110.0), 2 * 12 * log2(1 + PITCH_REL));
    /* voiced time: the 2 s of voice, give or take the partial frames at its ends */
    CHECK_NEAR(s->voiced_s, dur, 0.1 * dur);
    if (check_failures() > failed)
        dump_frames(&r, CS_AGENT, t0 - 0.1, t0 + dur + 0.1);
    vrun_free(&r);
    free(x);
}

/* Telephone audio: 300-3400 Hz, 8 kHz, and no energy at the fundamental or
 * its second harmonic. The period is still 1/120 s; halving it (240 Hz) or
 * taking a third (360 Hz) would be the classic errors. */
static void missing_fundamental(int mulaw)
{
    const int rate = 8000;
    check_case(mulaw ? "telephone band, no fundamental, f0 120 Hz, mu-law"
                     : "telephone band, no fundamental, f0 120 Hz");
    int failed = check_failures();
    const double t0 = 1.0, dur = 4.0, total = 6.0;
    /* +-1 st around 120 Hz: harmonics 3..26 stay within 339-3302 Hz */
    voice_spec v = {.f0_hz = 120, .vibrato_st = 1.0, .vibrato_hz = 1.0, .k_lo = 3, .k_hi = 26, .tilt = 0.5,
                    .rms = 0.05};
    if (!(v.k_lo * v.f0_hz * exp2(-v.vibrato_st / 12) >= 300 && v.k_hi * v.f0_hz * exp2(v.vibrato_st / 12) <= 3400)) {
        fprintf(stderr, "test_voice: the telephone-band voice leaves the band; fix the test\n");
        exit(2);
    }
    size_t n = (size_t)(total * rate);
    float *x = alloc_signal(n, 1);
    uint64_t rng = cg_seed_mix(seed, 120 + (uint64_t)mulaw);
    add_noise(x, n, 1, -60, &rng);
    add_voice(x, 1, 0, rate, (size_t)(t0 * rate), dur, &v, &rng);
    if (mulaw)
        for (size_t i = 0; i < n; i++) {
            double s = x[i] * 32768.0;
            s = s > 32767 ? 32767 : s < -32768 ? -32768 : s;
            x[i] = (float)(cg_mulaw_decode(cg_mulaw_encode((int16_t)lrint(s))) / 32768.0);
        }
    vrun r;
    int octave = follow_voice(x, n, rate, 160, t0, dur, &v, "missing fundamental", &r);
    /* No half pitch: where the period falls between two lags (f0 near
     * 126 Hz is 63.5 samples at 8 kHz) the split dip must still beat the
     * doubled period that lands exactly on a lag. */
    CHECK_INT(octave, 0);
    /* whole periods of a symmetric intonation: the median is the centre */
    CHECK_NEAR(r.sum.speaker[CS_AGENT].pitch_median_hz, 120.0, 120.0 * PITCH_REL);
    if (check_failures() > failed)
        dump_frames(&r, CS_AGENT, t0 - 0.05, t0 + 1.0);
    vrun_free(&r);
    free(x);
}

/* ---- level -------------------------------------------------------------- */

static double power_db(double p) { return 10 * log10(p); }

/* A steady sine is a tone on hold, not a voice (docs/metrics.md, Voice
 * activity): no speech, so no level, however loud. */
static void steady_sine(void)
{
    const int rate = 8000;
    check_case("steady 440 Hz sine at 0.1: hold, not speech, no level");
    int failed = check_failures();
    size_t n = (size_t)(7.0 * rate);
    float *x = alloc_signal(n, 1);
    for (size_t i = (size_t)rate; i < 6 * (size_t)rate; i++)
        x[i] = (float)(0.1 * sin(2 * PI * 440.0 * (double)i / rate));
    vrun r;
    CHECK_INT(vrun_signal(x, n, 1, rate, 160, 0.1, &r), CS_OK);
    CHECK_INT(count_events(&r, CS_EVENT_SEGMENT, -1), 0);
    CHECK_INT(count_events(&r, CS_EVENT_HOLD, CS_AGENT), 1);
    CHECK_NEAR(r.sum.speaker[CS_AGENT].talk_s, 0.0, 0.0);
    /* The onset of a hold is first taken for speech and then given back
     * by the turn stage's look-ahead; the voice figures must follow the
     * final decision, so none of the tone counts as speech. */
    CHECK(isnan(r.sum.speaker[CS_AGENT].level_db));
    CHECK_NEAR(r.sum.speaker[CS_AGENT].voiced_s, 0.0, 0.0);
    speech_matches_talk(&r, "steady sine");
    if (check_failures() > failed)
        dump_frames(&r, CS_AGENT, 0.5, 2.5);
    vrun_free(&r);
    free(x);
}

/* Bounds on the high-band share of a harmonic voice: power above the edge
 * over all of it. A harmonic that may come within the analysis window's
 * main lobe (two bins) of the edge may land on either side, so the answer
 * lies between counting all such harmonics low and counting them high. */
static void high_band_bounds(const voice_spec *v, double fmin, double fmax, int rate, double *lo_db, double *hi_db)
{
    double edge = rc_default_value("tone.high_band_hz");
    int window = (int)lround(rc_default_value("vad.window_s") * rate), nfft = 2;
    while (nfft < window)
        nfft *= 2;
    double guard = 2.0 * rate / nfft;
    double all = 0, sure = 0, maybe = 0;
    for (int k = v->k_lo; k <= v->k_hi; k++) {
        double p = pow(k, -2 * v->tilt);
        all += p;
        if (k * fmin > edge + guard)
            sure += p;
        else if (k * fmax >= edge - guard)
            maybe += p;
    }
    *lo_db = 10 * log10(sure / all);
    *hi_db = 10 * log10((sure + maybe) / all);
}

/* A voice at a known mean square: harmonics whose squared amplitudes sum to
 * 2 rms^2, under a 4 Hz modulation 1 + m sin, whose mean square is
 * 1 + m^2/2. rms 0.1/sqrt(2) makes the carrier exactly as loud as a 0.1 sine
 * (-23.01 dBFS); the level is the mean power of the speech hops in the voice
 * band, and every harmonic stays well inside vad.band_low_hz..high_hz. */
static void speech_level(int rate)
{
    char name[128];
    snprintf(name, sizeof name, "voice at a known level and high-band share, %d Hz", rate);
    check_case(name);
    int failed = check_failures();
    const double t0 = 1.0, dur = 8.0, total = 10.0, m = 0.5;
    voice_spec v = {.f0_hz = 175, .vibrato_st = 1.0, .vibrato_hz = 1.7, .vibrato2_st = 0.75, .vibrato2_hz = 3.1,
                    .k_lo = 2, .k_hi = 17, .tilt = 1.0, .rms = 0.1 / sqrt(2.0), .am_depth = m, .am_hz = 4.0};
    const double fmin = v.f0_hz * exp2(-1.75 / 12), fmax = v.f0_hz * exp2(1.75 / 12);
    CHECK(v.k_lo * fmin > rc_default_value("vad.band_low_hz") + 60 &&
          v.k_hi * fmax < rc_default_value("vad.band_high_hz") - 60);
    size_t n = (size_t)(total * rate);
    float *x = alloc_signal(n, 1);
    uint64_t rng = cg_seed_mix(seed, 440 + (uint64_t)rate);
    add_noise(x, n, 1, -70, &rng);
    add_voice(x, 1, 0, rate, (size_t)(t0 * rate), dur, &v, &rng);
    vrun r;
    CHECK_INT(vrun_signal(x, n, 1, rate, 1000, 0.5, &r), CS_OK);
    frame_contract(&r, name);
    speech_matches_talk(&r, name);
    CHECK_INT(count_events(&r, CS_EVENT_SEGMENT, CS_AGENT), 1);
    /* The sine's power with its amplitude modulation: rms^2 (1 + m^2 / 2). */
    const double want_db = power_db(v.rms * v.rms * (1 + m * m / 2));
    /* Whole call: the segment's pre-roll and hangover (about 0.15 s here)
     * add near-silent hops, which lower the mean by under 0.1 dB over 8 s. */
    CHECK_NEAR(r.sum.speaker[CS_AGENT].level_db, want_db, 0.5);
    /* Frames wholly inside the voice hold two modulation periods each. */
    double lo, hi;
    high_band_bounds(&v, fmin, fmax, rate, &lo, &hi);
    int inside = 0, level_ok = 0, high_ok = 0;
    for (size_t i = 0; i < r.nfr; i++) {
        const cs_frame *f = &r.fr[i];
        if (sec(&r, f->start) < t0 + 0.1 || sec(&r, f->end) > t0 + dur - 0.1)
            continue;
        inside++;
        level_ok += fabs(f->speaker[CS_AGENT].level_db - want_db) <= 0.5;
        double h = f->speaker[CS_AGENT].high_band_db;
        high_ok += h >= lo && h <= hi;
    }
    CHECK(inside >= 14);
    CHECK_INT(level_ok, inside);
    CHECK_INT(high_ok, inside);
    if (check_failures() > failed) {
        printf("    want level %.2f dBFS, high band %.2f .. %.2f dB\n", want_db, lo, hi);
        dump_frames(&r, CS_AGENT, 0, total);
    }
    vrun_free(&r);
    free(x);
}

/* ---- pace --------------------------------------------------------------- */

typedef struct pace_result {
    double truth_pace, truth_rate, pace, rate;
    int truth_syllables, syllables;
} pace_result;

/* A statement's pitch: falling over each spurt, gently wavering. */
static const voice_spec calm_voice = {.f0_hz = 150, .f0_end_hz = 115, .vibrato_st = 1.5, .vibrato_hz = 2.3,
                                      .vibrato2_st = 1.0, .vibrato2_hz = 3.7, .k_lo = 1, .k_hi = 14, .tilt = 1.0,
                                      .rms = 0.05};

/* An excited voice: high, its pitch swinging 4 semitones either way twelve
 * times a second, so within one 30 ms pitch window the period changes by
 * several per cent and the pitch track often calls the loudest hop of a
 * vowel unvoiced. */
static const voice_spec excited_voice = {.f0_hz = 250, .vibrato_st = 1.5, .vibrato_hz = 2.3, .vibrato2_st = 4.0,
                                         .vibrato2_hz = 12.0, .k_lo = 1, .k_hi = 14, .tilt = 1.0, .rms = 0.05};

/* Talk spurts of about 3 s of syllables at syl_per_s, 1.2 s apart (a pause
 * within a turn: over segment.bridge_s, under turn.merge_s), in the given
 * voice. Each syllable is one smooth burst over `duty` of its period, silent
 * between: one voiced energy peak standing far out of its surroundings,
 * i.e. one nucleus, however the voice's own level wavers on top of it. */
static pace_result syllable_train(int rate, double syl_per_s, double duty, const voice_spec *voice,
                                  const char *voice_name)
{
    char name[160];
    snprintf(name, sizeof name, "syllable bursts at %g per second, %.0f %% sounding, %d Hz, %s", syl_per_s,
             100 * duty, rate, voice_name);
    check_case(name);
    int failed = check_failures();
    const int spurts = 5, per_spurt = (int)lround(3.0 * syl_per_s);
    const double period = 1.0 / syl_per_s, pause = 1.2, lead = 1.0;
    const double spurt_s = per_spurt * period;
    double total = lead + spurts * (spurt_s + pause) + 0.5;
    size_t n = (size_t)(total * rate);
    float *x = alloc_signal(n, 1);
    uint64_t rng = cg_seed_mix(seed, 1000 + (uint64_t)(syl_per_s * 10));
    add_noise(x, n, 1, -60, &rng);
    pace_result p = {0};
    double sounding = 0, first = 0, last = 0;
    for (int i = 0; i < spurts; i++) {
        double t = lead + i * (spurt_s + pause);
        voice_spec v = *voice;
        v.syl_per_s = syl_per_s;
        v.duty = duty;
        p.truth_syllables += add_voice(x, 1, 0, rate, (size_t)llround(t * rate), spurt_s, &v, &rng);
        /* sounding from the first burst's start to the last burst's end */
        double extent = (per_spurt - 1) * period + duty * period;
        sounding += extent;
        if (i == 0)
            first = t;
        last = t + extent;
    }
    p.truth_pace = p.truth_syllables / sounding;
    p.truth_rate = p.truth_syllables / (last - first);
    vrun r;
    CHECK_INT(vrun_signal(x, n, 1, rate, 512, 0.5, &r), CS_OK);
    frame_contract(&r, name);
    speech_matches_talk(&r, name);
    CHECK_INT(count_events(&r, CS_EVENT_SEGMENT, CS_AGENT), spurts);
    CHECK_INT(count_events(&r, CS_EVENT_TURN, CS_AGENT), 1);
    const cs_speaker_summary *s = &r.sum.speaker[CS_AGENT];
    p.pace = s->pace_syl_per_s;
    p.rate = s->speaking_rate_syl_per_s;
    p.syllables = s->syllables;
    /* one nucleus per burst, by the definition of a nucleus */
    CHECK_INT(s->syllables, p.truth_syllables);
    int in_frames = 0;
    for (size_t i = 0; i < r.nfr; i++)
        in_frames += r.fr[i].speaker[CS_AGENT].syllables;
    CHECK_INT(in_frames, s->syllables);
    CHECK_NEAR(p.pace, p.truth_pace, 0.10 * p.truth_pace);
    CHECK_NEAR(p.rate, p.truth_rate, 0.10 * p.truth_rate);
    if (check_failures() > failed) {
        printf("    truth: %d syllables, pace %.3f, speaking rate %.3f; talk %.2f s\n", p.truth_syllables,
               p.truth_pace, p.truth_rate, s->talk_s);
        dump_frames(&r, CS_AGENT, lead - 0.5, lead + spurt_s + 1.0);
    }
    vrun_free(&r);
    free(x);
    return p;
}

/* A drawn-out, emotional vowel: its level wavers 2.6 dB from crest to
 * trough nine times a second (acted speech does this; counted as dips, such
 * ripples made a slow sentence half as fast again). */
static const voice_spec wavering_voice = {.f0_hz = 180, .f0_end_hz = 140, .vibrato_st = 1.5, .vibrato_hz = 2.3,
                                          .vibrato2_st = 1.0, .vibrato2_hz = 3.7, .k_lo = 1, .k_hi = 14,
                                          .tilt = 1.0, .rms = 0.05, .am_depth = 0.15, .am_hz = 9.0};

static void pace(int rate)
{
    static const double rates[] = {3, 4, 5, 6, 7};
    enum { NRATES = sizeof rates / sizeof rates[0] };
    pace_result p[NRATES];
    for (int i = 0; i < NRATES; i++)
        p[i] = syllable_train(rate, rates[i], 0.6, &calm_voice, "calm voice");
    check_case("articulation and speaking rate grow with the syllable rate");
    for (int i = 1; i < NRATES; i++) {
        CHECK(p[i].pace > p[i - 1].pace);
        CHECK(p[i].rate > p[i - 1].rate);
    }
    /* Every burst of an excited voice is still a nucleus (before nuclei had
     * their own voicing bar, 2-14 of 75-90 were lost). */
    syllable_train(rate, 5, 0.6, &excited_voice, "excited voice");
    syllable_train(rate, 6, 0.6, &excited_voice, "excited voice");
    /* Slow syllables, nearly all vowel, the level wavering on each. */
    syllable_train(rate, 2.5, 0.85, &wavering_voice, "wavering voice");
    syllable_train(rate, 3, 0.85, &wavering_voice, "wavering voice");
}

/* ---- vowels in a row ----------------------------------------------------- */

/* A vowel: its first three formants. */
typedef struct vowel {
    double f1, f2, f3;
} vowel;

/* Gain of a vowel's vocal tract at f: its formants as resonances in
 * cascade, of 80, 100 and 150 Hz bandwidth. */
static double formant_gain(const vowel *v, double f)
{
    const double formant[3] = {v->f1, v->f2, v->f3}, width[3] = {80, 100, 150};
    double g = 1;
    for (int i = 0; i < 3; i++) {
        double re = 1 - (f / formant[i]) * (f / formant[i]), im = f * width[i] / (formant[i] * formant[i]);
        g /= sqrt(re * re + im * im);
    }
    return g;
}

/* Vowels in a row with no consonant between ("you eye a", or a nasal that
 * never dips): syllables at syl_per_s from first for dur seconds, each
 * holding its vowel and then gliding to the next over glide_share of the
 * period. The level inside [band_lo, band_hi] Hz is held constant
 * (renormalised every millisecond), so only the spectrum's shape tells the
 * syllables apart. Returns the vowels sounded. */
static int add_vowel_run(float *x, int rate, size_t first, double dur, double syl_per_s, double glide_share,
                         double f0_hz, double band_lo, double band_hi, double rms, uint64_t *rng)
{
    static const vowel cycle[] = {{750, 1250, 2550}, {300, 2250, 3000}, {320, 850, 2300}};
    enum { NCYCLE = sizeof cycle / sizeof cycle[0], HARMONICS = 48 };
    const double period = 1.0 / syl_per_s;
    const int syllables = (int)floor(dur * syl_per_s + 1e-9);
    const size_t n = (size_t)llround(syllables * period * rate), block = (size_t)(rate / 1000);
    double phase[HARMONICS + 1], amp[HARMONICS + 1], f0_phase = 0;
    for (int k = 1; k <= HARMONICS; k++)
        phase[k] = 2 * PI * cg_rand_unit(rng);
    for (size_t i = 0; i < n; i++) {
        double tau = (double)i / rate;
        double f0 = f0_hz * exp2((1.0 * sin(2 * PI * 1.3 * tau) - tau) / 12.0);
        if (i % block == 0) {
            int s = (int)(tau / period);
            double u = tau / period - s, hold = 1.0 - glide_share;
            double w = u < hold ? 0.0 : 0.5 - 0.5 * cos(PI * (u - hold) / glide_share);
            const vowel *a = &cycle[s % NCYCLE], *b = &cycle[(s + 1) % NCYCLE];
            vowel now = {a->f1 + w * (b->f1 - a->f1), a->f2 + w * (b->f2 - a->f2), a->f3 + w * (b->f3 - a->f3)};
            double in_band = 0;
            for (int k = 1; k <= HARMONICS; k++) {
                double f = k * f0;
                amp[k] = f < 0.45 * rate ? formant_gain(&now, f) : 0.0;
                if (f >= band_lo && f < band_hi)
                    in_band += 0.5 * amp[k] * amp[k];
            }
            /* ramps of 20 ms at the run's ends, level flat between */
            double edge = fmin(tau, (double)(n - i) / rate) / 0.02;
            double scale = rms * (edge < 1 ? edge : 1) / sqrt(in_band);
            for (int k = 1; k <= HARMONICS; k++)
                amp[k] *= scale;
        }
        double v = 0;
        for (int k = 1; k <= HARMONICS; k++)
            v += amp[k] * sin(k * f0_phase + phase[k]);
        x[first + i] += (float)v;
        f0_phase += 2 * PI * f0 / rate;
        if (f0_phase > 2 * PI * 1e4)
            f0_phase = fmod(f0_phase, 2 * PI);
    }
    return syllables;
}

/* Runs of vowels whose level never dips: each vowel is a syllable. Counting
 * level peaks alone found one or two per run. */
static void vowel_runs(double syl_per_s)
{
    char name[128];
    snprintf(name, sizeof name, "vowels in a row at %g per second, level flat", syl_per_s);
    check_case(name);
    int failed = check_failures();
    const int rate = 8000, runs = 4;
    const double run_s = 2.0, pause = 1.2, lead = 1.0, glide_share = 0.15;
    cs_profile prof;
    cs_profile_default(&prof);
    double band_lo = prof.value[cs_profile_find("pace.band_low_hz")];
    double band_hi = prof.value[cs_profile_find("pace.band_high_hz")];
    double total = lead + runs * (run_s + pause) + 0.5;
    size_t n = (size_t)(total * rate);
    float *x = alloc_signal(n, 1);
    uint64_t rng = cg_seed_mix(seed, 2000 + (uint64_t)(syl_per_s * 10));
    add_noise(x, n, 1, -60, &rng);
    int truth = 0;
    for (int i = 0; i < runs; i++)
        truth += add_vowel_run(x, rate, (size_t)llround((lead + i * (run_s + pause)) * rate), run_s, syl_per_s,
                               glide_share, 110 + 15 * i, band_lo, band_hi, 0.05, &rng);
    vrun r;
    CHECK_INT(vrun_signal(x, n, 1, rate, 512, 0.5, &r), CS_OK);
    CHECK_INT(count_events(&r, CS_EVENT_SEGMENT, CS_AGENT), runs);
    const cs_speaker_summary *s = &r.sum.speaker[CS_AGENT];
    /* Most vowels found (seven in ten at least), none counted twice. */
    CHECK(s->syllables >= 0.7 * truth && s->syllables <= truth);
    if (check_failures() > failed)
        printf("    truth: %d vowels; found %d; pace %.2f\n", truth, s->syllables, s->pace_syl_per_s);
    vrun_free(&r);
    free(x);
}

/* ---- nothing to measure ------------------------------------------------- */

static void silence(const char *name, double noise_dbfs, double hop_s)
{
    const int rate = 8000;
    check_case(name);
    size_t n = (size_t)(5.0 * rate) + 37;
    float *x = alloc_signal(n, 2);
    uint64_t rng = cg_seed_mix(seed, 77);
    if (noise_dbfs > -200)
        add_noise(x, n, 2, noise_dbfs, &rng);
    vrun r;
    CHECK_INT(vrun_signal(x, n, 2, rate, 4096, hop_s, &r), CS_OK);
    frame_contract(&r, name);
    speech_matches_talk(&r, name);
    CHECK(r.nfr > 0);
    int quiet = 1;
    for (size_t i = 0; i < r.nfr; i++)
        for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
            const cs_voice *v = &r.fr[i].speaker[s];
            quiet = quiet && v->speech_s == 0 && v->voiced_s == 0 && v->articulation_s == 0 && v->syllables == 0 &&
                    isnan(v->pitch_hz) && isnan(v->pitch_lo_hz) && isnan(v->pitch_hi_hz) && isnan(v->level_db) &&
                    isnan(v->high_band_db);
        }
    CHECK(quiet);
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        const cs_speaker_summary *o = &r.sum.speaker[s];
        CHECK(isnan(o->pitch_median_hz));
        CHECK(isnan(o->pitch_range_st));
        CHECK(isnan(o->level_db));
        CHECK(isnan(o->pace_syl_per_s));
        CHECK(isnan(o->speaking_rate_syl_per_s));
        CHECK_INT(o->syllables, 0);
        CHECK_NEAR(o->voiced_s, 0.0, 0.0);
    }
    vrun_free(&r);
    free(x);
}

/* ---- the frame grid ----------------------------------------------------- */

static int same_double(double a, double b) { return (isnan(a) && isnan(b)) || a == b; }

static int same_frame(const cs_frame *a, const cs_frame *b)
{
    if (a->start != b->start || a->end != b->end)
        return 0;
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        const cs_voice *p = &a->speaker[s], *q = &b->speaker[s];
        if (!same_double(p->speech_s, q->speech_s) || !same_double(p->voiced_s, q->voiced_s) ||
            !same_double(p->articulation_s, q->articulation_s) || !same_double(p->pitch_hz, q->pitch_hz) ||
            !same_double(p->pitch_lo_hz, q->pitch_lo_hz) ||
            !same_double(p->pitch_hi_hz, q->pitch_hi_hz) || !same_double(p->level_db, q->level_db) ||
            !same_double(p->high_band_db, q->high_band_db) || p->syllables != q->syllables)
            return 0;
    }
    return 1;
}

/* A two-party stretch with something in every field: the agent's syllables,
 * then the customer's glide, overlapping for a moment. */
static float *grid_signal(int rate, size_t n)
{
    float *x = alloc_signal(n, 2);
    uint64_t rng = cg_seed_mix(seed, 999);
    add_noise(x, n, 2, -60, &rng);
    voice_spec agent = {.f0_hz = 140, .f0_end_hz = 110, .vibrato_st = 1, .vibrato_hz = 2, .k_lo = 1, .k_hi = 12,
                        .tilt = 1, .rms = 0.05, .syl_per_s = 4.5, .duty = 0.6};
    voice_spec customer = {.f0_hz = 220, .f0_end_hz = 180, .vibrato_st = 1, .vibrato_hz = 1.5, .k_lo = 1,
                           .k_hi = 8, .tilt = 1, .rms = 0.04};
    add_voice(x, 2, 0, rate, (size_t)(0.8 * rate), 2.6, &agent, &rng);
    add_voice(x, 2, 1, rate, (size_t)(3.2 * rate), 2.0, &customer, &rng);
    return x;
}

/* analysis_rate_hz: the profile's input.analysis_rate_hz (the input is
 * resampled down to it when it is lower than rate). */
static void frame_grid(int rate, int analysis_rate_hz, double hop_s)
{
    /* not a whole number of hops, so the last frame is a partial one */
    const size_t n = (size_t)(6.0 * rate) + 37;
    float *x = grid_signal(rate, n);
    char name[160];
    snprintf(name, sizeof name, "frames of %.3g s tile the stream, %d Hz analysed at %d Hz", hop_s, rate,
             rate < analysis_rate_hz ? rate : analysis_rate_hz);
    check_case(name);
    cs_profile prof;
    cs_profile_default(&prof);
    char v[32];
    snprintf(v, sizeof v, "%.6g", hop_s);
    CHECK_INT(cs_profile_set(&prof, "tracks.hop_s", v), CS_OK);
    snprintf(v, sizeof v, "%d", analysis_rate_hz);
    CHECK_INT(cs_profile_set(&prof, "input.analysis_rate_hz", v), CS_OK);
    vrun ref;
    CHECK_INT(vrun_profile(x, n, 2, rate, 4096, &prof, &ref), CS_OK);
    frame_contract(&ref, name);
    speech_matches_talk(&ref, name);
    CHECK_INT(ref.pushed, (int64_t)n);
    /* whole hops of about 10 ms: 0.37 s is 37 hops, 0.373 s rounds to 37
     * too; analysed at 11025 Hz a hop is 110 samples, so 0.5 s is 50 hops */
    int64_t len = (int64_t)lround(hop_s / ((double)ref.hop / ref.rate_hz)) * ref.hop;
    /* frames count in samples of the analysis rate, to which the input is resampled */
    int64_t analysed = llround((double)n * ref.rate_hz / rate);
    int64_t want_frames = (analysed + len - 1) / len;
    CHECK_INT(ref.nfr, want_frames);
    int tiled = ref.nfr > 0 && ref.fr[0].start == 0 && ref.fr[ref.nfr - 1].end == analysed;
    for (size_t i = 0; i < ref.nfr && tiled; i++) {
        const cs_frame *f = &ref.fr[i];
        tiled = f->start == (int64_t)i * len && (i + 1 == ref.nfr ? f->end > f->start : f->end == f->start + len);
        if (!tiled)
            printf("    frame %zu: %lld-%lld, frame length %lld\n", i, (long long)f->start, (long long)f->end,
                   (long long)len);
    }
    CHECK(tiled);
    /* both parties were heard, so the comparison below means something */
    int agent = 0, customer = 0;
    for (size_t i = 0; i < ref.nfr; i++) {
        agent += ref.fr[i].speaker[CS_AGENT].voiced_s > 0;
        customer += ref.fr[i].speaker[CS_CUSTOMER].voiced_s > 0;
    }
    CHECK(agent > 0 && customer > 0);

    static const size_t blocks[] = {1, 160, 441};
    for (size_t b = 0; b < sizeof blocks / sizeof blocks[0]; b++) {
        snprintf(name, sizeof name, "frames of %.3g s, %d Hz, blocks of %zu vs 4096 frames", hop_s, rate, blocks[b]);
        check_case(name);
        vrun r;
        CHECK_INT(vrun_profile(x, n, 2, rate, blocks[b], &prof, &r), CS_OK);
        CHECK_INT(r.nfr, ref.nfr);
        size_t diff = 0;
        while (diff < r.nfr && diff < ref.nfr && same_frame(&r.fr[diff], &ref.fr[diff]))
            diff++;
        if (!CHECK(diff == r.nfr && diff == ref.nfr) && diff < r.nfr && diff < ref.nfr)
            printf("    first difference at frame %zu (%lld-%lld)\n", diff, (long long)ref.fr[diff].start,
                   (long long)ref.fr[diff].end);
        CHECK_INT(r.sum.speaker[CS_AGENT].syllables, ref.sum.speaker[CS_AGENT].syllables);
        CHECK(same_double(r.sum.speaker[CS_AGENT].pitch_median_hz, ref.sum.speaker[CS_AGENT].pitch_median_hz));
        CHECK(same_double(r.sum.speaker[CS_CUSTOMER].level_db, ref.sum.speaker[CS_CUSTOMER].level_db));
        vrun_free(&r);
    }
    vrun_free(&ref);
    free(x);
}

static int same_event(const cs_event *a, const cs_event *b)
{
    return a->type == b->type && a->speaker == b->speaker && a->other == b->other && a->start == b->start &&
           a->end == b->end && same_double(a->value, b->value) && a->tier == b->tier;
}

/* voice.analyze = 0 asks for the conversation structure only: no frames and
 * no voice figures, and the events are those of the full analysis. */
static void structure_only(void)
{
    const int rate = 8000;
    const size_t n = (size_t)(6.0 * rate);
    float *x = grid_signal(rate, n);
    check_case("voice.analyze = 0: no frames, no voice figures, the same events");
    cs_profile prof;
    cs_profile_default(&prof);
    vrun full, bare;
    CHECK_INT(vrun_profile(x, n, 2, rate, 160, &prof, &full), CS_OK);
    CHECK_INT(cs_profile_set(&prof, "voice.analyze", "0"), CS_OK);
    CHECK_INT(vrun_profile(x, n, 2, rate, 160, &prof, &bare), CS_OK);
    CHECK(full.nfr > 0);
    CHECK_INT(bare.nfr, 0);
    CHECK_INT(bare.nev, full.nev);
    int same = bare.nev == full.nev;
    for (size_t i = 0; same && i < bare.nev; i++)
        same = same_event(&bare.ev[i], &full.ev[i]);
    CHECK(same);
    CHECK(full.sum.speaker[CS_AGENT].syllables > 0);
    for (int s = 0; s < CS_MAX_SPEAKERS; s++) {
        const cs_speaker_summary *o = &bare.sum.speaker[s];
        CHECK_NEAR(o->talk_s, full.sum.speaker[s].talk_s, 0.0);
        CHECK(isnan(o->pitch_median_hz) && isnan(o->level_db) && isnan(o->pace_syl_per_s));
        CHECK_INT(o->syllables, 0);
    }
    vrun_free(&full);
    vrun_free(&bare);
    free(x);
}

int main(void)
{
    check_begin("test_voice");
    seed = check_seed(1);
    pitch_glide(8000);
    pitch_glide(16000);
    pitch_glide(44100);
    missing_fundamental(0);
    missing_fundamental(1);
    steady_sine();
    speech_level(8000);
    speech_level(16000);
    pace(16000);
    pace(8000);
    vowel_runs(3);
    vowel_runs(4);
    silence("digital silence, 10 ms frames", -300, 0.01);
    silence("digital silence, 0.5 s frames", -300, 0.5);
    silence("white noise at -60 dBFS only", -60, 0.5);
    frame_grid(16000, 8000, 0.01);
    frame_grid(16000, 8000, 0.5);
    frame_grid(16000, 8000, 0.37);
    frame_grid(16000, 8000, 0.373);
    frame_grid(11025, 48000, 0.5);
    frame_grid(44100, 8000, 0.5);
    structure_only();
    return check_end();
}
