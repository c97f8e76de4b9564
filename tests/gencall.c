/*
 * gencall: write generated calls and deliberately broken files for the CLI
 * tests and the bench.
 *
 *   gencall SCENE OUT [--rate HZ] [--format pcm16|ulaw|float|raw] [--channels N]
 *                     [--duration S] [--seed N] [--frames N] [--upmix 1] [--line-echo DB]
 *
 * --upmix 1 writes the two parties' mix into both channels of a stereo file.
 * --line-echo DB replaces the scene's echo by a telephone line echo of the
 * other party at DB dB in both channels, 30 ms late in the agent's and
 * 220 ms late (a mobile or VoIP path) in the customer's.
 * Scenes: interruption, everything, monologue, tense, friendly, moods, heated,
 * heated-turns, conversation (--duration),
 * busy (a conversation with short turns, many overlaps and backchannels,
 * --duration), rushed (four quick replies to long customer turns), silence
 * (--duration), hold (a hold tone filling a silence), square (full-scale square
 * wave), nan, inf (float WAV of the
 * interruption call with one bad sample), header (a hand-written PCM16 WAV
 * header with any --rate, --channels and --frames of zeros, which libsndfile
 * itself would refuse to write).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callgen.h"
#include "callgen_wav.h"
#include "scenes.h"

static void usage(void)
{
    fprintf(stderr, "usage: gencall interruption|everything|monologue|tense|calm|live|story|friendly|moods|heated|heated-turns|hold|conversation|busy|rushed|silence|square|nan|inf|header OUT\n"
                    "               [--rate HZ] [--format pcm16|ulaw|float|raw] [--channels N]\n"
                    "               [--duration S] [--seed N] [--frames N] [--upmix 1] [--line-echo DB]\n");
    exit(2);
}

static void put_le(FILE *f, uint32_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        fputc((int)((v >> (8 * i)) & 0xff), f);
}

static int write_header_only(const char *path, long rate, int channels, long frames)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        return -1;
    }
    uint32_t data = (uint32_t)(frames * channels * 2);
    fwrite("RIFF", 1, 4, f);
    put_le(f, 36 + data, 4);
    fwrite("WAVEfmt ", 1, 8, f);
    put_le(f, 16, 4);
    put_le(f, 1, 2); /* PCM */
    put_le(f, (uint32_t)channels, 2);
    put_le(f, (uint32_t)rate, 4);
    put_le(f, (uint32_t)(rate * channels * 2), 4);
    put_le(f, (uint32_t)(channels * 2), 2);
    put_le(f, 16, 2);
    fwrite("data", 1, 4, f);
    put_le(f, data, 4);
    for (uint32_t i = 0; i < data; i++)
        fputc(0, f);
    return fclose(f) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        usage();
    const char *scene = argv[1], *out = argv[2];
    long rate = 16000, frames = 0;
    int format = CG_WAV_PCM16, channels = 2, upmix = 0;
    double duration = 5.0, line_echo_db = 0.0;
    uint64_t seed = 1;
    for (int i = 3; i < argc; i++) {
        if (i + 1 >= argc)
            usage();
        const char *opt = argv[i], *val = argv[++i];
        if (strcmp(opt, "--rate") == 0)
            rate = strtol(val, NULL, 10);
        else if (strcmp(opt, "--format") == 0) {
            if ((format = cg_wav_format_parse(val)) < 0)
                usage();
        } else if (strcmp(opt, "--channels") == 0)
            channels = atoi(val);
        else if (strcmp(opt, "--duration") == 0)
            duration = strtod(val, NULL);
        else if (strcmp(opt, "--seed") == 0)
            seed = strtoull(val, NULL, 0);
        else if (strcmp(opt, "--frames") == 0)
            frames = strtol(val, NULL, 10);
        else if (strcmp(opt, "--upmix") == 0)
            upmix = atoi(val);
        else if (strcmp(opt, "--line-echo") == 0)
            line_echo_db = strtod(val, NULL);
        else
            usage();
    }
    if (channels < 1 || channels > 64)
        usage();

    if (strcmp(scene, "header") == 0)
        return write_header_only(out, rate, channels, frames) == 0 ? 0 : 1;

    if (strcmp(scene, "square") == 0) {
        long n = (long)(duration * (double)rate);
        float *x = malloc((size_t)n * (size_t)channels * sizeof *x);
        if (!x)
            return 1;
        for (long f = 0; f < n; f++)
            for (int c = 0; c < channels; c++)
                x[f * channels + c] = (f / (rate / 400)) % 2 ? -1.0f : 1.0f;
        int rc = cg_write_frames(out, (int)rate, channels, format, x, n);
        free(x);
        return rc == 0 ? 0 : 1;
    }

    cg_call call;
    if (strcmp(scene, "interruption") == 0 || strcmp(scene, "nan") == 0 || strcmp(scene, "inf") == 0)
        sc_interruption(&call, (int)rate, seed);
    else if (strcmp(scene, "everything") == 0) {
        sc_everything(&call, (int)rate, seed);
        call.telephone = rate == 8000;
    }
    else if (strcmp(scene, "conversation") == 0)
        sc_conversation(&call, (int)rate, duration, seed, rate == 8000, 0);
    else if (strcmp(scene, "busy") == 0)
        sc_conversation(&call, (int)rate, duration, seed, rate == 8000, 1);
    else if (strcmp(scene, "rushed") == 0)
        sc_rushed(&call, (int)rate, seed, 4);
    else if (strcmp(scene, "monologue") == 0)
        sc_monologue(&call, (int)rate, seed);
    else if (strcmp(scene, "tense") == 0) {
        sc_tense(&call, (int)rate, seed);
        call.telephone = rate == 8000;
    }
    else if (strcmp(scene, "live") == 0)
        sc_live_cues(&call, (int)rate, seed);
    else if (strcmp(scene, "calm") == 0)
        sc_calm(&call, (int)rate, seed);
    else if (strcmp(scene, "friendly") == 0)
        sc_friendly(&call, (int)rate, seed);
    else if (strcmp(scene, "moods") == 0)
        sc_moods(&call, (int)rate, seed);
    else if (strcmp(scene, "heated") == 0 || strcmp(scene, "heated-turns") == 0)
        sc_heated(&call, (int)rate, seed, strcmp(scene, "heated") == 0);
    else if (strcmp(scene, "story") == 0)
        sc_story(&call, (int)rate, seed, 0);
    else if (strcmp(scene, "hold") == 0)
        sc_dead_air(&call, (int)rate, seed, 1);
    else if (strcmp(scene, "silence") == 0)
        cg_call_init(&call, (int)rate, duration, seed);
    else
        usage();

    if (line_echo_db != 0.0) {
        sc_line_echo(&call, CG_AGENT, line_echo_db, 0.03);
        sc_line_echo(&call, CG_CUSTOMER, line_echo_db, 0.22);
    }

    int rc;
    if (strcmp(scene, "nan") == 0 || strcmp(scene, "inf") == 0) {
        size_t n = 0;
        float *two = cg_render_all(&call, &n);
        if (!two)
            return 1;
        /* a bad sample in the middle of the customer's speech */
        two[2 * (size_t)(1.5 * (double)rate) + 1] = scene[0] == 'n' ? NAN : INFINITY;
        rc = cg_write_frames(out, (int)rate, 2, CG_WAV_FLOAT, two, (long)n);
        free(two);
    } else if (upmix) {
        /* The mono mix copied to both channels, as an upmixing recorder does. */
        size_t n = 0;
        float *two = cg_render_all(&call, &n);
        if (!two)
            return 1;
        for (size_t f = 0; f < n; f++)
            two[2 * f] = two[2 * f + 1] = two[2 * f] + two[2 * f + 1];
        rc = cg_write_frames(out, (int)rate, 2, format, two, (long)n);
        free(two);
    } else {
        rc = cg_write_wav(&call, out, (cg_wav_format)format, channels);
    }
    cg_call_free(&call);
    return rc == 0 ? 0 : 1;
}
