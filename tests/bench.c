/*
 * bench: how fast and how lean the analysis is on a long call.
 *
 *   bench CALLSCOPE DECODE CALL_1H CALL_1M CALL_10H MONO_1H MONO_5M MONO_1M [SCAN_DIR SCAN_OUT]
 *
 * Runs, one after the other, (a) DECODE on the 1-hour call (reading it
 * through libsndfile and nothing else), (b) CALLSCOPE analyze on the 1-hour
 * call, (c) the same on the 1-minute call, (d) the 1-hour call with the voice
 * measures off (voice.analyze=0, turn-taking only), (e) the full analysis of
 * the 10-hour call, each as a child process measured with wait4(): CPU
 * seconds (user + system) and peak resident memory. Prints audio seconds per
 * CPU second, the analysis / decoding cost ratio, and the peak memory of the
 * 1-minute, 1-hour and 10-hour analyses (a streaming analyzer keeps them
 * within 10%, and under 32 MB). Then the mono mixes, whose two voices are told
 * apart: audio seconds per CPU second over an hour and over five minutes, and
 * the peak memory of the hour against the minute.
 *
 * With SCAN_DIR, also (f) CALLSCOPE scan of every recording in it with one
 * worker, then (g) with two, both with --force into SCAN_OUT, each twice in
 * turn keeping the faster run (elapsed time is what a second worker buys, and
 * a single run of it catches whatever else the machine was doing): the
 * speed-up and, workers included, audio seconds per CPU second.
 */
#include "measure.h"

#include <dirent.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>


static double audio_seconds(const char *path)
{
    SF_INFO info;
    memset(&info, 0, sizeof info);
    SNDFILE *sf = sf_open(path, SFM_READ, &info);
    if (!sf) {
        fprintf(stderr, "bench: %s: %s\n", path, sf_strerror(NULL));
        exit(1);
    }
    sf_close(sf);
    return (double)info.frames / info.samplerate;
}

/* Audio in the folder's .wav files (not recursive: the bench made it flat). */
static double folder_audio_seconds(const char *dir, int *files)
{
    DIR *d = opendir(dir);
    if (!d) {
        perror(dir);
        exit(1);
    }
    double total = 0;
    struct dirent *ent;
    *files = 0;
    while ((ent = readdir(d)) != NULL) {
        size_t n = strlen(ent->d_name);
        if (n < 4 || strcmp(ent->d_name + n - 4, ".wav") != 0)
            continue;
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
        total += audio_seconds(path);
        (*files)++;
    }
    closedir(d);
    return total;
}

static int bench_scan(char *bin, char *dir, char *out)
{
    int files;
    double audio_s = folder_audio_seconds(dir, &files);
    measured one = {0}, two = {0};
    char *one_argv[] = {bin, "scan", dir, "--out", out, "--force", "-q", "-j1", NULL};
    char *two_argv[] = {bin, "scan", dir, "--out", out, "--force", "-q", "-j2", NULL};
    printf("\nbench: scan of %s: %d calls, %.0f s of audio\n", dir, files, audio_s);
    for (int round = 0; round < 2; round++) {
        measured r1, r2;
        if (measure_run(one_argv, &r1) < 0 || measure_run(two_argv, &r2) < 0)
            return -1;
        if (round == 0 || r1.wall_s < one.wall_s)
            one = r1;
        if (round == 0 || r2.wall_s < two.wall_s)
            two = r2;
    }
    printf("%-28s %10s %10s %16s %16s\n", "", "CPU s", "wall s", "audio s / CPU s", "audio s / wall s");
    printf("%-28s %10.2f %10.2f %15.0fx %15.0fx\n", "scan -j1", one.cpu_s, one.wall_s, audio_s / one.cpu_s,
           audio_s / one.wall_s);
    printf("%-28s %10.2f %10.2f %15.0fx %15.0fx\n", "scan -j2", two.cpu_s, two.wall_s, audio_s / two.cpu_s,
           audio_s / two.wall_s);
    double speedup = one.wall_s / two.wall_s;
    printf("scan speed-up with 2 workers: %.2fx (target >= 1.8x on 2 cores): %s\n", speedup,
           speedup >= 1.8 ? "met" : "MISSED");
    return 0;
}

/* Mono mixes: the separation's cost, for an hour and for a call's usual
 * length (its learning is a fixed cost), and its memory. */
static int bench_mono(char *bin, char *mono_1h, char *mono_5m, char *mono_1m)
{
    char *paths[3] = {mono_1h, mono_5m, mono_1m};
    const char *names[3] = {"mono analyze, 1 h", "mono analyze, 5 min", "mono analyze, 1 min"};
    measured m[3];
    double speed[3];
    printf("\n%-28s %10s %10s %16s %12s\n", "", "CPU s", "wall s", "audio s / CPU s", "peak RSS");
    for (int i = 0; i < 3; i++) {
        char *argv[] = {bin, "analyze", paths[i], "--json", "/dev/null", "--quiet", NULL};
        if (measure_run(argv, &m[i]) < 0)
            return -1;
        speed[i] = audio_seconds(paths[i]) / (m[i].cpu_s > 1e-3 ? m[i].cpu_s : 1e-3);
        printf("%-28s %10.2f %10.2f %15.0fx %9ld KiB\n", names[i], m[i].cpu_s, m[i].wall_s, speed[i], m[i].maxrss_kib);
    }
    /* The learning stretch's store is allocated at the start but only
     * filled (made resident) as speech comes: a minute fills part of it, five
     * minutes all of it, and nothing grows after that. */
    double rss_5m = (double)m[0].maxrss_kib / (double)(m[1].maxrss_kib > 0 ? m[1].maxrss_kib : 1);
    double rss_1m = (double)m[0].maxrss_kib / (double)(m[2].maxrss_kib > 0 ? m[2].maxrss_kib : 1);
    printf("mono analysis with separation: %.0fx real time per core over 1 h, %.0fx over 5 min "
           "(target >= 500x): %s\n", speed[0], speed[1], speed[0] >= 500.0 && speed[1] >= 500.0 ? "met" : "MISSED");
    printf("mono peak memory, 1 h vs 5 min: %.3f (target within 10%%): %s; 1 h vs 1 min: %.3f (the learning store "
           "is not yet full after a minute)\n", rss_5m, rss_5m <= 1.10 ? "met" : "MISSED", rss_1m);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 9 && argc != 11) {
        fprintf(stderr, "usage: bench CALLSCOPE DECODE CALL_1H CALL_1M CALL_10H MONO_1H MONO_5M MONO_1M [SCAN_DIR SCAN_OUT]\n");
        return 2;
    }
    char *bin = argv[1], *dec = argv[2], *call_1h = argv[3], *call_1m = argv[4], *call_10h = argv[5];
    /* execv wants a path; a bare name means the current directory */
    char binpath[4096];
    snprintf(binpath, sizeof binpath, "%s%s", strchr(bin, '/') ? "" : "./", bin);
    double dur_1h = audio_seconds(call_1h), dur_1m = audio_seconds(call_1m), dur_10h = audio_seconds(call_10h);

    measured dec_1h, an_1h, an_1m, st_1h, an_10h;
    char *dec_argv[] = {dec, call_1h, NULL};
    char *an_1h_argv[] = {binpath, "analyze", call_1h, "--json", "/dev/null", "--quiet", NULL};
    char *an_1m_argv[] = {binpath, "analyze", call_1m, "--json", "/dev/null", "--quiet", NULL};
    char *st_1h_argv[] = {binpath, "analyze", call_1h, "--json", "/dev/null", "--quiet", "--set", "voice.analyze=0", NULL};
    char *an_10h_argv[] = {binpath, "analyze", call_10h, "--json", "/dev/null", "--quiet", NULL};
    printf("bench: %s (%.0f s of audio), %s (%.0f s) and %s (%.0f s)\n", call_1h, dur_1h, call_1m, dur_1m, call_10h,
           dur_10h);
    if (measure_run(dec_argv, &dec_1h) < 0 || measure_run(an_1h_argv, &an_1h) < 0 || measure_run(an_1m_argv, &an_1m) < 0 ||
        measure_run(st_1h_argv, &st_1h) < 0 || measure_run(an_10h_argv, &an_10h) < 0)
        return 1;

    double floor_s = 1e-3;
    double dec_speed = dur_1h / (dec_1h.cpu_s > floor_s ? dec_1h.cpu_s : floor_s);
    double an_speed = dur_1h / (an_1h.cpu_s > floor_s ? an_1h.cpu_s : floor_s);
    double st_speed = dur_1h / (st_1h.cpu_s > floor_s ? st_1h.cpu_s : floor_s);
    double rss_ratio = (double)an_1h.maxrss_kib / (double)(an_1m.maxrss_kib > 0 ? an_1m.maxrss_kib : 1);
    double rss_10h_ratio = (double)an_10h.maxrss_kib / (double)(an_1h.maxrss_kib > 0 ? an_1h.maxrss_kib : 1);
    double rss_10h_mib = an_10h.maxrss_kib / 1024.0;

    printf("\n%-28s %10s %10s %16s %12s\n", "", "CPU s", "wall s", "audio s / CPU s", "peak RSS");
    printf("%-28s %10.2f %10.2f %15.0fx %9ld KiB\n", "decode only, 1 h", dec_1h.cpu_s, dec_1h.wall_s, dec_speed,
           dec_1h.maxrss_kib);
    printf("%-28s %10.2f %10.2f %15.0fx %9ld KiB\n", "analyze, 1 h", an_1h.cpu_s, an_1h.wall_s, an_speed,
           an_1h.maxrss_kib);
    printf("%-28s %10.2f %10.2f %15.0fx %9ld KiB\n", "structure only, 1 h", st_1h.cpu_s, st_1h.wall_s, st_speed,
           st_1h.maxrss_kib);
    printf("%-28s %10.2f %10.2f %15.0fx %9ld KiB\n", "analyze, 1 min", an_1m.cpu_s, an_1m.wall_s,
           dur_1m / (an_1m.cpu_s > floor_s ? an_1m.cpu_s : floor_s), an_1m.maxrss_kib);
    printf("%-28s %10.2f %10.2f %15.0fx %9ld KiB\n", "analyze, 10 h", an_10h.cpu_s, an_10h.wall_s,
           dur_10h / (an_10h.cpu_s > floor_s ? an_10h.cpu_s : floor_s), an_10h.maxrss_kib);
    printf("\nanalysis costs %.1fx the CPU of decoding alone\n",
           an_1h.cpu_s / (dec_1h.cpu_s > floor_s ? dec_1h.cpu_s : floor_s));
    printf("full analysis (voice and tone included): %.0f s of audio per CPU second, %.0fx real time per core "
           "(target >= 2000x): %s\n", an_speed, an_speed, an_speed >= 2000.0 ? "met" : "MISSED");
    printf("structure only (voice.analyze=0): %.0fx real time per core (target >= 2000x): %s\n", st_speed,
           st_speed >= 2000.0 ? "met" : "MISSED");
    printf("voice and tone cost %.2fx the structure-only analysis\n",
           an_1h.cpu_s / (st_1h.cpu_s > floor_s ? st_1h.cpu_s : floor_s));
    printf("peak memory, 1 h vs 1 min: %.3f (target within 10%%): %s\n", rss_ratio,
           rss_ratio <= 1.10 ? "met" : "MISSED");
    /* 32 MB of 10^6 bytes, in MiB as the figure is printed. */
    double limit_mib = 32e6 / (1024.0 * 1024.0);
    printf("peak memory, 10 h: %.1f MiB (target <= 32 MB, %.1f MiB): %s; 10 h vs 1 h: %.3f (target within 10%%): %s\n",
           rss_10h_mib, limit_mib, rss_10h_mib <= limit_mib ? "met" : "MISSED", rss_10h_ratio,
           rss_10h_ratio <= 1.10 ? "met" : "MISSED");
    if (bench_mono(binpath, argv[6], argv[7], argv[8]) < 0)
        return 1;
    if (argc == 11 && bench_scan(binpath, argv[9], argv[10]) < 0)
        return 1;
    return 0;
}
