/* Human-readable call summary; see summary_text.h. */
#include "cli/summary_text.h"

#include "cli/cli.h"

#include <math.h>
#include <string.h>

#define CELL 16
#define SUMMARY_TOP_FLAGS 5

/* A file name can carry terminal escape sequences; show them as '?'. */
static void print_sanitized(FILE *out, const char *s)
{
    for (; *s; s++)
        fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, out);
}

static void fmt_seconds(char *buf, size_t cap, int available, double s)
{
    if (!available || !isfinite(s))
        snprintf(buf, cap, "-");
    else if (fabs(s) < 10)
        snprintf(buf, cap, "%.2f s", s);
    else
        snprintf(buf, cap, "%.1f s", s);
}

static void fmt_share(char *buf, size_t cap, int available, double share)
{
    if (!available || !isfinite(share))
        snprintf(buf, cap, "-");
    else
        snprintf(buf, cap, "%.0f%%", share * 100.0);
}

static void fmt_count(char *buf, size_t cap, int available, int n)
{
    if (!available)
        snprintf(buf, cap, "-");
    else
        snprintf(buf, cap, "%d", n);
}

static void row(FILE *out, const char *label, const char *agent, const char *customer)
{
    fprintf(out, "  %-18s %*s %*s\n", label, CELL - 4, agent, CELL - 4, customer);
}

static void fmt_unit(char *buf, size_t cap, int available, double v, int decimals, const char *unit)
{
    if (!available || !isfinite(v))
        snprintf(buf, cap, "-");
    else
        snprintf(buf, cap, "%.*f%s", decimals, v, unit);
}

/* The most severe flags, in time order, each with its message and tip. */
static int print_top_flags(FILE *out, call_run *run, const cs_coaching *coaching, int flag_count)
{
    if (flag_count == 0) {
        fprintf(out, "  no flags\n");
        return 0;
    }
    cs_flag top[SUMMARY_TOP_FLAGS];
    int n = call_run_top_flags(run, NULL, top, SUMMARY_TOP_FLAGS);
    if (n < 0)
        return -1;
    if (flag_count > n)
        fprintf(out, "  %d flags; the %d most severe:\n", flag_count, n);
    else
        fprintf(out, "  %d flag%s:\n", flag_count, flag_count == 1 ? "" : "s");
    for (int i = 0; i < n; i++) {
        char clock[32], message[2 * CS_COACHING_TEXT_MAX];
        cli_format_clock(clock, sizeof clock, cs_seconds(run->an, top[i].start));
        cs_flag_message(coaching, &top[i], run->rate_hz, message, sizeof message);
        fprintf(out, "  %8s  %s (severity %.2f%s)\n            %s\n            tip: %s\n", clock,
                cs_flag_kind_name(top[i].kind), top[i].severity, top[i].doubtful ? "; who said what is doubtful" : "",
                message, cs_flag_tip(coaching, top[i].kind));
    }
    return 0;
}

int summary_text_print(FILE *out, const report_source *src, call_run *run, int flag_count)
{
    const cs_summary *sum = &run->sum;
    int two = src->two_party;
    char clock[32];
    cli_format_clock(clock, sizeof clock, src->duration_s);
    print_sanitized(out, strcmp(src->path, "-") == 0 ? "stdin" : src->path);
    fprintf(out, ": %s (%.1f s), %d Hz, %d channel%s, %s%s\n", clock, src->duration_s,
            src->sample_rate_hz, src->channels, src->channels == 1 ? "" : "s", src->format,
            two ? "" : " (one speaker)");
    /* Who said what rests on the separation: say how sure it is. */
    if (src->diarized && src->voices == 2)
        fprintf(out, "  the two voices were told apart in one channel (confidence %.2f)\n", src->separation_confidence);
    if (report_doubt_note(src))
        fprintf(out, "  %s\n", report_doubt_note(src));
    else if (src->diarized && src->voices == 1)
        fprintf(out, "  %s\n", report_source_note(src));

    if (!sum->any_speech) {
        fprintf(out, "  no speech detected\n");
    } else {
        char a[CELL], c[CELL];
        const cs_speaker_summary *ag = &sum->speaker[CS_AGENT], *cu = &sum->speaker[CS_CUSTOMER];
        int pa = ag->present, pc = cu->present && two;
        row(out, "", "agent", two ? "customer" : "");
        fmt_seconds(a, sizeof a, pa, ag->talk_s);
        fmt_seconds(c, sizeof c, pc, cu->talk_s);
        row(out, "talk time", a, c);
        fmt_share(a, sizeof a, pa && two, ag->talk_share);
        fmt_share(c, sizeof c, pc, cu->talk_share);
        row(out, "talk share", a, c);
        fmt_count(a, sizeof a, pa, ag->turns);
        fmt_count(c, sizeof c, pc, cu->turns);
        row(out, "turns", a, c);
        fmt_count(a, sizeof a, pa && two, ag->interruptions_made);
        fmt_count(c, sizeof c, pc, cu->interruptions_made);
        row(out, "interruptions made", a, c);
        fmt_count(a, sizeof a, pa && two, ag->backchannels_made);
        fmt_count(c, sizeof c, pc, cu->backchannels_made);
        row(out, "backchannels", a, c);
        fmt_seconds(a, sizeof a, pa && two, ag->response_latency_median_s);
        fmt_seconds(c, sizeof c, pc, cu->response_latency_median_s);
        row(out, "response latency", a, c);
        fmt_seconds(a, sizeof a, pa && ag->segments > 0, ag->longest_monologue_s);
        fmt_seconds(c, sizeof c, pc && cu->segments > 0, cu->longest_monologue_s);
        row(out, "longest monologue", a, c);
        fmt_unit(a, sizeof a, pa, ag->pace_syl_per_s, 1, " syl/s");
        fmt_unit(c, sizeof c, pc, cu->pace_syl_per_s, 1, " syl/s");
        row(out, "pace", a, c);
        fmt_unit(a, sizeof a, pa, ag->pitch_median_hz, 0, " Hz");
        fmt_unit(c, sizeof c, pc, cu->pitch_median_hz, 0, " Hz");
        row(out, "pitch", a, c);
        fmt_unit(a, sizeof a, pa, ag->level_db, 1, " dBFS");
        fmt_unit(c, sizeof c, pc, cu->level_db, 1, " dBFS");
        row(out, "level", a, c);
        fmt_unit(a, sizeof a, pa, call_run_calm_points(run, CS_AGENT), 0, "/100");
        fmt_unit(c, sizeof c, pc, call_run_calm_points(run, CS_CUSTOMER), 0, "/100");
        row(out, "calm", a, c);

        char ov[CELL], si[CELL], lo[CELL];
        fmt_seconds(ov, sizeof ov, two, sum->overlap_s);
        fmt_seconds(si, sizeof si, 1, sum->silence_s);
        fmt_seconds(lo, sizeof lo, 1, sum->longest_silence_s);
        fprintf(out, "  overlap %s, silence %s (longest %s), dead air %d\n", ov, si, lo,
                sum->dead_air_count);
    }
    if (isfinite(run->score))
        fprintf(out, "  call score %.0f/100\n", run->score);
    if (print_top_flags(out, run, src->coaching, flag_count) != 0)
        return -1;
    return fflush(out) != 0 || ferror(out) ? -1 : 0;
}
