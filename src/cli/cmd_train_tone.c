/*
 * callscope train-tone LABELS.csv -o OUT.model: refit the arousal model on a
 * user's own labelled speech. Each labelled stretch is analysed as analyze
 * would (baseline learnt from its recording, or a stored one), its tone
 * features are averaged over the speaker's speech in it, and a logistic
 * regression (ridge-penalised, fitted by Newton's method) separates tense
 * from calm.
 *
 * LABELS.csv: a header line naming at least path, start_s, end_s and label
 * (calm/neutral/0 or tense/angry/agitated/1); an optional speaker column
 * (agent/customer, default agent). Relative paths are taken from the CSV's
 * folder.
 */
#include "cli/cli.h"
#include "cli/csv_reader.h"

#include "cli/atomic_file.h"
#include "cli/call_run.h"
#include "cli/profile_io.h"
#include "cli/tone_io.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NPARAM (CS_TONE_FEATURES + 1)
#define MIN_PER_CLASS 5
#define NEWTON_STEPS 50

static const char usage_text[] =
    "usage: callscope train-tone LABELS.csv -o OUT.model [options]\n"
    "\n"
    "Fit the arousal model to labelled stretches of your own recordings.\n"
    "LABELS.csv has a header naming the columns path, start_s, end_s, label\n"
    "(calm, neutral or 0 / tense, angry, agitated or 1) and optionally speaker\n"
    "(agent or customer; default agent). Relative paths are read from the\n"
    "CSV's folder. Each stretch is compared with its speaker's baseline from\n"
    "the whole recording, or with --baseline for the agent.\n"
    "\n"
    "options:\n"
    "  -o, --output OUT           model file to write (use with analyze --tone-model)\n"
    "  --baseline FILE            stored agent baseline (callscope baseline build)\n"
    "  --ridge X                  penalty on the weights (default 1; larger = smoother)\n"
    "  --profile FILE, --set KEY=VALUE\n"
    "                             thresholds, as for analyze\n"
    "  -h, --help                 this text\n";

typedef struct label_row {
    char *path;
    double start_s, end_s;
    int speaker;
    int tense;
    double x[CS_TONE_FEATURES]; /* mean tone features over the stretch's speech */
    double weight;              /* that speech, seconds */
    int measured;
} label_row;

#define usage_error(...) cli_usage_error("train-tone", "train-tone: " __VA_ARGS__)

static int parse_label(const char *s)
{
    if (!strcmp(s, "calm") || !strcmp(s, "neutral") || !strcmp(s, "0"))
        return 0;
    if (!strcmp(s, "tense") || !strcmp(s, "angry") || !strcmp(s, "agitated") || !strcmp(s, "1"))
        return 1;
    return -1;
}

/* A path in the labels file, relative to the file's folder unless absolute. */
static char *join_dir(const char *csv_path, const char *path)
{
    const char *slash = strrchr(csv_path, '/');
    int dir = path[0] == '/' || !slash ? 0 : (int)(slash - csv_path + 1);
    return cli_strdupf("%.*s%s", dir, csv_path, path);
}

static label_row *read_labels(const char *csv_path, int *count)
{
    FILE *fp = fopen(csv_path, "r");
    if (!fp)
        die(CLI_EXIT_USAGE, "%s: cannot open labels: %s", csv_path, strerror(errno));
    csv_row row = {0};
    int cols[5], n = 0, cap = 0, line_no = 1;
    label_row *rows = NULL;
    int rc = csv_read_row(fp, &row);
    if (rc == 0)
        die(CLI_EXIT_USAGE, "%s: empty labels file", csv_path);
    static const char *const want[] = {"path", "start_s", "end_s", "label", "speaker"};
    for (int i = 0; i < 5; i++)
        if ((cols[i] = rc > 0 ? csv_find(&row, want[i]) : -1) < 0 && i < 4)
            die(CLI_EXIT_USAGE, "%s:1: the header must name path, start_s, end_s and label", csv_path);
    while ((rc = csv_read_row(fp, &row)) != 0) {
        line_no++;
        if (rc > 0 && row.count == 1 && !*csv_field(&row, 0))
            continue;
        label_row r;
        memset(&r, 0, sizeof r);
        int ok = rc > 0 && row.count > cols[0] && row.count > cols[1] && row.count > cols[2] &&
                 row.count > cols[3] && (cols[4] < 0 || row.count > cols[4]);
        if (ok) {
            const char *start = csv_field(&row, cols[1]), *end = csv_field(&row, cols[2]);
            const char *speaker = cols[4] < 0 ? cs_speaker_name(CS_AGENT) : csv_field(&row, cols[4]);
            char *end1 = NULL, *end2 = NULL;
            r.start_s = strtod(start, &end1);
            r.end_s = strtod(end, &end2);
            r.tense = parse_label(csv_field(&row, cols[3]));
            r.speaker = cs_speaker_find(speaker);
            ok = *end1 == '\0' && *end2 == '\0' && end1 != start && isfinite(r.start_s) && isfinite(r.end_s) &&
                 r.end_s > r.start_s && r.start_s >= 0 && r.tense >= 0 && r.speaker >= 0 &&
                 csv_field(&row, cols[0])[0];
        }
        if (!ok)
            die(CLI_EXIT_USAGE, "%s:%d: need path, start_s < end_s, a calm/tense label and agent/customer", csv_path,
                line_no);
        r.path = join_dir(csv_path, csv_field(&row, cols[0]));
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            rows = realloc(rows, (size_t)cap * sizeof *rows);
            if (!rows)
                die(CLI_EXIT_FAILURE, "out of memory");
        }
        rows[n++] = r;
    }
    csv_row_free(&row);
    fclose(fp);
    *count = n;
    return rows;
}

/* Mean tone features over each labelled stretch of one analysed recording. */
static void measure_rows(call_run *run, label_row *rows, int n, const char *path)
{
    /* One pass over the recording's scored frames serves all its rows: x
     * gathers weighted sums and `weight` the speech behind them. */
    for (int i = 0; i < n; i++)
        if (strcmp(rows[i].path, path) == 0) {
            memset(rows[i].x, 0, sizeof rows[i].x);
            rows[i].weight = 0;
        }
    track_point tp;
    int rc;
    if (voice_log_tracks_begin(run->voice) != 0)
        die(CLI_EXIT_FAILURE, "%s: cannot read back the analysis", path);
    while ((rc = voice_log_tracks_next(run->voice, &tp)) > 0) {
        double a = cs_seconds(run->an, tp.start), b = cs_seconds(run->an, tp.end);
        for (int i = 0; i < n; i++) {
            label_row *r = &rows[i];
            double w = tp.speech_s[r->speaker];
            if (b <= r->start_s || a >= r->end_s || !(w > 0) || !isfinite(tp.arousal[r->speaker]) ||
                strcmp(r->path, path) != 0)
                continue;
            for (int k = 0; k < CS_TONE_FEATURES; k++)
                r->x[k] += w * (isfinite(tp.feature[r->speaker][k]) ? tp.feature[r->speaker][k] : 0.0);
            r->weight += w;
        }
    }
    if (rc < 0)
        die(CLI_EXIT_FAILURE, "%s: cannot read back the analysis", path);
    for (int i = 0; i < n; i++) {
        label_row *r = &rows[i];
        if (strcmp(r->path, path) != 0 || !(r->weight > 0))
            continue;
        for (int k = 0; k < CS_TONE_FEATURES; k++)
            r->x[k] /= r->weight;
        r->measured = 1;
    }
}

/* Solve a (NPARAM x NPARAM) system in place; 0, or -1 when singular. */
static int solve(double a[NPARAM][NPARAM], double *b)
{
    for (int c = 0; c < NPARAM; c++) {
        int p = c;
        for (int r = c + 1; r < NPARAM; r++)
            if (fabs(a[r][c]) > fabs(a[p][c]))
                p = r;
        if (fabs(a[p][c]) < 1e-12)
            return -1;
        for (int k = 0; k < NPARAM; k++) {
            double t = a[c][k];
            a[c][k] = a[p][k];
            a[p][k] = t;
        }
        double t = b[c];
        b[c] = b[p];
        b[p] = t;
        for (int r = c + 1; r < NPARAM; r++) {
            double f = a[r][c] / a[c][c];
            for (int k = c; k < NPARAM; k++)
                a[r][k] -= f * a[c][k];
            b[r] -= f * b[c];
        }
    }
    for (int c = NPARAM - 1; c >= 0; c--) {
        for (int k = c + 1; k < NPARAM; k++)
            b[c] -= a[c][k] * b[k];
        b[c] /= a[c][c];
    }
    return 0;
}

static void features_of(const cs_tone_model *m, const label_row *r, double *z)
{
    z[0] = 1.0;
    for (int k = 0; k < CS_TONE_FEATURES; k++) {
        double v = r->x[k], lim = m->limit[k];
        z[k + 1] = lim > 0 ? (v > lim ? lim : v < -lim ? -lim : v) : v;
    }
}

/* Ridge-penalised logistic regression by Newton's method. */
static int fit(cs_tone_model *m, const label_row *rows, int n, double ridge)
{
    double w[NPARAM] = {0};
    for (int step = 0; step < NEWTON_STEPS; step++) {
        double h[NPARAM][NPARAM] = {{0}}, g[NPARAM] = {0}, z[NPARAM];
        for (int i = 0; i < n; i++) {
            if (!rows[i].measured)
                continue;
            features_of(m, &rows[i], z);
            double eta = 0;
            for (int k = 0; k < NPARAM; k++)
                eta += w[k] * z[k];
            double p = 1.0 / (1.0 + exp(-eta)), q = p * (1 - p);
            for (int k = 0; k < NPARAM; k++) {
                g[k] += (rows[i].tense - p) * z[k];
                for (int l = 0; l < NPARAM; l++)
                    h[k][l] += q * z[k] * z[l];
            }
        }
        for (int k = 1; k < NPARAM; k++) {
            g[k] -= ridge * w[k];
            h[k][k] += ridge;
        }
        h[0][0] += 1e-9;
        if (solve(h, g) != 0)
            return -1;
        double change = 0;
        for (int k = 0; k < NPARAM; k++) {
            w[k] += g[k];
            change += fabs(g[k]);
        }
        if (change < 1e-9)
            break;
    }
    m->bias = w[0];
    for (int k = 0; k < CS_TONE_FEATURES; k++)
        m->weight[k] = w[k + 1];
    return 0;
}

/* Area under the ROC curve of the model's arousal on the rows (ties count half). */
static double training_auc(const cs_tone_model *m, const label_row *rows, int n)
{
    double wins = 0, pairs = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            if (!rows[i].measured || !rows[j].measured || !rows[i].tense || rows[j].tense)
                continue;
            double a = cs_tone_model_apply(m, rows[i].x), b = cs_tone_model_apply(m, rows[j].x);
            wins += a > b ? 1.0 : a == b ? 0.5 : 0.0;
            pairs += 1;
        }
    return pairs > 0 ? wins / pairs : NAN;
}

int cmd_train_tone(int argc, char **argv)
{
    const char *csv = NULL, *out_path = NULL, *baseline_path = NULL, *v;
    double ridge = 1.0;
    profile_args pa;
    profile_args_init(&pa, argc);
    for (int i = 1; i < argc;) {
        const char *arg = argv[i];
        if (arg[0] != '-') {
            if (csv)
                usage_error("one labels file at a time; one too many: %s", arg);
            csv = arg;
            i++;
        } else if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            profile_args_free(&pa);
            cli_help_exit(usage_text);
        } else if (cli_option_value(argc, argv, &i, "-o", &v) || cli_option_value(argc, argv, &i, "--output", &v)) {
            out_path = v;
        } else if (cli_option_value(argc, argv, &i, "--baseline", &v)) {
            baseline_path = v;
        } else if (cli_option_value(argc, argv, &i, "--ridge", &v)) {
            char *end;
            ridge = strtod(v, &end);
            if (*end || end == v || !(ridge >= 0) || ridge > 1e6)
                usage_error("--ridge wants a number >= 0, got %s", v);
        } else if (!profile_args_take(&pa, argc, argv, &i)) {
            usage_error("unknown option %s", arg);
        }
    }
    if (!csv)
        usage_error("no labels file given");
    if (!out_path || !*out_path)
        usage_error("-o OUT is required");
    cs_profile prof;
    profile_args_apply(&pa, &prof);
    cs_baseline agent_baseline;
    if (baseline_path)
        tone_io_load_baseline(&agent_baseline, baseline_path);
    int n;
    label_row *rows = read_labels(csv, &n);
    atomic_file out;
    cli_output_open(&out, out_path);

    cs_tone_model model;
    cs_tone_model_default(&model);
    channel_choice channels = {-1, 0, {-1, -1}, 0, 0};
    int recordings = 0;
    for (int i = 0; i < n; i++) {
        int seen = 0;
        for (int j = 0; j < i && !seen; j++)
            seen = strcmp(rows[j].path, rows[i].path) == 0;
        if (seen)
            continue;
        call_run run;
        int status =
            call_run_analyze(&run, rows[i].path, &prof, &channels, &model, baseline_path ? &agent_baseline : NULL);
        if (status == CLI_EXIT_OK) {
            measure_rows(&run, rows, n, rows[i].path);
            recordings++;
        } else {
            warn("%s: %s (skipped)", run.name, run.error);
        }
        call_run_release(&run);
    }
    int count[2] = {0, 0};
    for (int i = 0; i < n; i++)
        count[rows[i].tense] += rows[i].measured;
    /* A die() here leaves no temporary behind (cli_output_open). */
    if (count[0] < MIN_PER_CLASS || count[1] < MIN_PER_CLASS)
        die(CLI_EXIT_INPUT, "train-tone: %d calm and %d tense stretches with speech; at least %d of each are needed",
            count[0], count[1], MIN_PER_CLASS);
    if (fit(&model, rows, n, ridge) != 0)
        die(CLI_EXIT_INPUT, "train-tone: the labelled stretches do not tell calm from tense (singular fit)");
    double auc = training_auc(&model, rows, n);
    const char *base = strrchr(csv, '/');
    base = base ? base + 1 : csv;
    snprintf(model.name, sizeof model.name, "trained");
    char stamp[32] = "unknown date";
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm))
        strftime(stamp, sizeof stamp, "%Y-%m-%d", &tm);
    char provenance[1024];
    snprintf(provenance, sizeof provenance,
             "# callscope tone model, made by 'callscope train-tone' on %s\n"
             "# from %s: %d calm and %d tense labelled stretches in %d recordings;\n"
             "# baselines: %s; ridge %g; training AUC %.3f.\n"
             "# Features and formula: see the built-in model (models/tone.model).\n",
             stamp, base, count[0], count[1], recordings,
             baseline_path ? "stored agent baseline" : "learnt from each recording", ridge, auc);
    for (int i = 0; i < n; i++)
        free(rows[i].path);
    free(rows);
    cli_output_close(&out, tone_io_write_model(out.fp, &model, provenance) != 0 ? (errno ? errno : EIO) : 0);
    fprintf(stderr, "%s: %d calm, %d tense stretches; training AUC %.3f\n", out_path, count[0], count[1], auc);
    return CLI_EXIT_OK;
}
