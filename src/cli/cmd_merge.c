/*
 * callscope merge [--out OUT] SUMMARY|DIR...: one summary.csv, one
 * queue.csv and one dashboard (index.html) from the summaries of a scan run
 * in shards (scan --shard K/N
 * writes summary-K-of-N.csv), wherever they were run. A folder stands for
 * the shard summaries in it (or its summary.csv when it has none). Rows
 * are merged by path; the report columns are kept relative when the shard
 * wrote into OUT, made absolute otherwise, so they still lead to the
 * reports. Missing or repeated shards are reported.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "cli/cli.h"

#include "cli/atomic_file.h"
#include "cli/call_meta.h"
#include "cli/csv_reader.h"
#include "cli/csv_writer.h"
#include "cli/scan_dashboard.h"
#include "cli/scan_queue.h"
#include "cli/scan_record.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: callscope merge [--out OUT] SUMMARY|DIR...\n"
    "\n"
    "Combine the summaries of a scan run in shards (callscope scan --shard K/N)\n"
    "into OUT/summary.csv, OUT/queue.csv and the dashboard OUT/index.html, and\n"
    "print the closing summary. A\n"
    "folder stands for the summary-K-of-N.csv files in it (or its summary.csv).\n"
    "OUT defaults to the folder of the inputs when they share one.\n"
    "\n"
    "options:\n"
    "  --out OUT                  where summary.csv, queue.csv and index.html go\n"
    "  -q, --quiet                no closing summary\n"
    "  -h, --help                 this text\n"
    "\n"
    "Exit status: 0 all recordings analysed and every shard present; 4 some\n"
    "rows are errors, or a shard is missing or repeated; 1 cannot read or\n"
    "write; 2 usage error.\n";

typedef struct merge_input {
    char *path;      /* the summary file */
    char *dir;       /* its folder, resolved */
    int shard_k, shard_n; /* 0 when not a shard summary */
} merge_input;

typedef struct merged_row {
    scan_row row;
    size_t input;    /* which input it came from: the first wins a repeated path */
} merged_row;

typedef struct merge_state {
    merge_input *inputs;
    size_t input_count, input_cap;
    merged_row *rows;
    size_t row_count, row_cap;
    int problems;    /* missing or repeated shards, repeated paths */
    char *extra_names; /* the metadata columns of every input, NUL-separated (scan_record.h) */
    size_t extra_len;
} merge_state;

#define usage_error(...) cli_usage_error("merge", __VA_ARGS__)

static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = cli_strdupf("%s", !slash ? "." : slash == path ? "/" : path);
    if (slash && slash != path)
        dir[slash - path] = '\0';
    char *resolved = realpath(dir, NULL);
    if (!resolved)
        die(CLI_EXIT_FAILURE, "%s: %s", dir, strerror(errno));
    free(dir);
    return resolved;
}

/* "summary-K-of-N.csv": 1 with k and n. */
static int shard_name(const char *name, int *k, int *n)
{
    char tail[8];
    return sscanf(name, "summary-%d-of-%d%7s", k, n, tail) == 3 && strcmp(tail, ".csv") == 0 && *k >= 1 &&
           *k <= *n;
}

static void add_input(merge_state *m, const char *path)
{
    if (m->input_count == m->input_cap) {
        m->input_cap = m->input_cap ? 2 * m->input_cap : 16;
        if (!(m->inputs = realloc(m->inputs, m->input_cap * sizeof *m->inputs)))
            die(CLI_EXIT_FAILURE, "out of memory");
    }
    merge_input *in = &m->inputs[m->input_count++];
    memset(in, 0, sizeof *in);
    in->path = cli_strdupf("%s", path);
    in->dir = folder_of(path);
    const char *base = strrchr(path, '/');
    if (!shard_name(base ? base + 1 : path, &in->shard_k, &in->shard_n))
        in->shard_k = in->shard_n = 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A folder: its shard summaries in name order, else its summary.csv. */
static void add_folder(merge_state *m, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        die(CLI_EXIT_FAILURE, "%s: cannot read the folder: %s", dir, strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        int k, total;
        if (!shard_name(ent->d_name, &k, &total))
            continue;
        if (n == cap && !(names = realloc(names, (cap = cap ? 2 * cap : 16) * sizeof *names)))
            die(CLI_EXIT_FAILURE, "out of memory");
        names[n++] = cli_strdupf("%s", ent->d_name);
    }
    closedir(d);
    if (n == 0) {
        char *summary = cli_strdupf("%s/summary.csv", dir);
        if (access(summary, F_OK) != 0)
            die(CLI_EXIT_USAGE, "%s: no summary-K-of-N.csv and no summary.csv in this folder", dir);
        add_input(m, summary);
        free(summary);
    }
    qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        char *path = cli_strdupf("%s/%s", dir, names[i]);
        add_input(m, path);
        free(path);
        free(names[i]);
    }
    free(names);
}

/* Every shard 1..N of each N seen exactly once. */
static void check_shards(merge_state *m)
{
    for (size_t i = 0; i < m->input_count; i++) {
        int n = m->inputs[i].shard_n;
        if (n == 0)
            continue;
        int seen_before = 0;
        for (size_t j = 0; j < i; j++)
            seen_before |= m->inputs[j].shard_n == n;
        if (seen_before)
            continue;
        for (int k = 1; k <= n; k++) {
            int count = 0;
            for (size_t j = 0; j < m->input_count; j++)
                count += m->inputs[j].shard_n == n && m->inputs[j].shard_k == k;
            if (count != 1) {
                warn("merge: shard %d of %d is %s", k, n, count ? "given more than once" : "missing");
                m->problems++;
            }
        }
    }
}

/* The report columns, relative to the folder the rows now live in. */
static void rebase_reports(scan_row *r, const char *from_dir, const char *out_dir)
{
    if (strcmp(from_dir, out_dir) == 0)
        return;
    static const scan_column cols[] = {SC_REPORT, SC_HTML};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
        const char *rel = scan_row_get(r, cols[i]);
        if (!*rel || rel[0] == '/')
            continue;
        char *abs = cli_strdupf("%s/%s", from_dir, rel);
        if (scan_row_set(r, cols[i], abs) != 0)
            die(CLI_EXIT_FAILURE, "out of memory");
        free(abs);
    }
}

static void read_input(merge_state *m, size_t index, const char *out_dir)
{
    const merge_input *in = &m->inputs[index];
    FILE *fp = fopen(in->path, "rb");
    if (!fp)
        die(CLI_EXIT_FAILURE, "%s: %s", in->path, strerror(errno));
    csv_row row = {0};
    int col[SCAN_SUMMARY_COLUMNS];
    if (csv_read_row(fp, &row) != 1)
        die(CLI_EXIT_FAILURE, "%s: not a callscope summary (no header row)", in->path);
    const char *missing;
    if (scan_summary_columns(&row, col, &missing) != 0)
        die(CLI_EXIT_FAILURE, "%s: not a callscope summary: no '%s' column", in->path, missing);
    /* The metadata columns: the union of every input's, in the order seen. */
    size_t prefix = strlen(SCAN_META_PREFIX);
    int *meta_col = malloc((size_t)(row.count ? row.count : 1) * sizeof *meta_col), meta_count = 0;
    if (!meta_col)
        die(CLI_EXIT_FAILURE, "out of memory");
    for (int i = 0; i < row.count; i++) {
        const char *name = csv_field(&row, i);
        if (strncmp(name, SCAN_META_PREFIX, prefix) != 0 || !name[prefix])
            continue;
        meta_col[meta_count++] = i;
        int known = 0;
        for (const char *n = m->extra_names; n && *n && !known; n += strlen(n) + 1)
            known = strcmp(n, name + prefix) == 0;
        if (known)
            continue;
        size_t add = strlen(name + prefix) + 1;
        if (!(m->extra_names = realloc(m->extra_names, m->extra_len + add + 1)))
            die(CLI_EXIT_FAILURE, "out of memory");
        memcpy(m->extra_names + m->extra_len, name + prefix, add);
        m->extra_len += add;
        m->extra_names[m->extra_len] = '\0';
    }
    char **meta_names = malloc((size_t)(meta_count ? meta_count : 1) * sizeof *meta_names);
    if (!meta_names)
        die(CLI_EXIT_FAILURE, "out of memory");
    for (int k = 0; k < meta_count; k++)
        meta_names[k] = cli_strdupf("%s", csv_field(&row, meta_col[k]) + prefix);
    int rc;
    while ((rc = csv_read_row(fp, &row)) > 0) {
        if (m->row_count == m->row_cap) {
            m->row_cap = m->row_cap ? 2 * m->row_cap : 1024;
            if (!(m->rows = realloc(m->rows, m->row_cap * sizeof *m->rows)))
                die(CLI_EXIT_FAILURE, "out of memory");
        }
        merged_row *mr = &m->rows[m->row_count++];
        memset(mr, 0, sizeof *mr);
        mr->input = index;
        for (int i = 0; i < SCAN_SUMMARY_COLUMNS; i++)
            if (scan_row_set(&mr->row, (scan_column)i, csv_field(&row, col[i])) != 0)
                die(CLI_EXIT_FAILURE, "out of memory");
        char *meta = NULL;
        for (int k = 0; k < meta_count; k++)
            if (call_meta_add(&meta, meta_names[k], csv_field(&row, meta_col[k])) != 0)
                die(CLI_EXIT_FAILURE, "out of memory");
        if (scan_row_set(&mr->row, SC_METADATA, meta) != 0)
            die(CLI_EXIT_FAILURE, "out of memory");
        free(meta);
        rebase_reports(&mr->row, in->dir, out_dir);
    }
    if (rc < 0)
        die(CLI_EXIT_FAILURE, "%s: %s", in->path, errno == EINVAL ? "malformed CSV" : strerror(errno));
    for (int k = 0; k < meta_count; k++)
        free(meta_names[k]);
    free(meta_names);
    free(meta_col);
    csv_row_free(&row);
    fclose(fp);
}

static int by_path_then_input(const void *a, const void *b)
{
    const merged_row *x = a, *y = b;
    int c = strcmp(scan_row_get(&x->row, SC_PATH), scan_row_get(&y->row, SC_PATH));
    return c ? c : (x->input > y->input) - (x->input < y->input);
}

int cmd_merge(int argc, char **argv)
{
    const char *out_dir = NULL;
    int quiet = 0, only_operands = 0;
    static merge_state m;
    for (int i = 1; i < argc;) {
        const char *arg = argv[i], *v;
        if (only_operands || arg[0] != '-') {
            struct stat st;
            if (stat(arg, &st) != 0)
                die(CLI_EXIT_USAGE, "%s: %s", arg, strerror(errno));
            if (S_ISDIR(st.st_mode))
                add_folder(&m, arg);
            else
                add_input(&m, arg);
            i++;
        } else if (strcmp(arg, "--") == 0) {
            only_operands = 1;
            i++;
        } else if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            cli_help_exit(usage_text);
        } else if (strcmp(arg, "-q") == 0 || strcmp(arg, "--quiet") == 0) {
            quiet = 1;
            i++;
        } else if (cli_option_value(argc, argv, &i, "--out", &v)) {
            out_dir = v;
        } else {
            usage_error("unknown option '%s'", arg);
        }
    }
    if (m.input_count == 0)
        usage_error("no summaries given");
    if (!out_dir) {
        for (size_t i = 1; i < m.input_count; i++)
            if (strcmp(m.inputs[i].dir, m.inputs[0].dir) != 0)
                usage_error("the summaries are in different folders; say where the merged one goes with --out");
        out_dir = m.inputs[0].dir;
    }
    if (mkdir(out_dir, 0777) != 0 && errno != EEXIST)
        die(CLI_EXIT_FAILURE, "%s: cannot create the folder: %s", out_dir, strerror(errno));
    char *out_resolved = realpath(out_dir, NULL);
    if (!out_resolved)
        die(CLI_EXIT_FAILURE, "%s: %s", out_dir, strerror(errno));
    char *summary_path = cli_strdupf("%s/summary.csv", out_dir);
    char *queue_path = cli_strdupf("%s/queue.csv", out_dir);
    char *index_path = cli_strdupf("%s/index.html", out_dir);
    char *target = realpath(summary_path, NULL);
    for (size_t i = 0; target && i < m.input_count; i++) {
        char *resolved = realpath(m.inputs[i].path, NULL);
        int same = resolved && strcmp(resolved, target) == 0;
        free(resolved);
        if (same)
            usage_error("%s is both an input and the merged summary; give another --out", m.inputs[i].path);
    }
    free(target);
    check_shards(&m);
    for (size_t i = 0; i < m.input_count; i++)
        read_input(&m, i, out_resolved);
    qsort(m.rows, m.row_count, sizeof *m.rows, by_path_then_input);

    atomic_file af;
    cli_output_open(&af, summary_path);
    csv_writer w;
    csv_init(&w, af.fp);
    if (!m.extra_names && !(m.extra_names = calloc(1, 1)))
        die(CLI_EXIT_FAILURE, "out of memory");
    scan_summary_header(&w, m.extra_names);
    for (size_t i = 0; i < m.row_count; i++) {
        const char *path = scan_row_get(&m.rows[i].row, SC_PATH);
        if (i > 0 && strcmp(path, scan_row_get(&m.rows[i - 1].row, SC_PATH)) == 0) {
            warn("merge: %s is in both %s and %s; keeping the first", path, m.inputs[m.rows[i - 1].input].path,
                 m.inputs[m.rows[i].input].path);
            m.problems++;
            continue;
        }
        scan_summary_row(&w, &m.rows[i].row, m.extra_names);
    }
    cli_output_close(&af, 0);

    scan_totals totals;
    char why[512];
    if (scan_queue_write(summary_path, queue_path, &totals, why, sizeof why) != 0)
        die(CLI_EXIT_FAILURE, "%s", why);
    if (scan_dashboard_write(summary_path, index_path, out_dir, why, sizeof why) != 0)
        die(CLI_EXIT_FAILURE, "%s", why);
    if (!quiet) {
        printf("merged %zu summar%s into %s: summary.csv, queue.csv, index.html\n", m.input_count,
               m.input_count == 1 ? "y" : "ies", out_dir);
        scan_totals_print(stdout, &totals);
        if (fflush(stdout) != 0 || ferror(stdout))
            die(CLI_EXIT_FAILURE, "cannot write to stdout");
    }
    int status = totals.errors > 0 || m.problems > 0 ? CLI_EXIT_INPUT : CLI_EXIT_OK;
    scan_totals_free(&totals);
    for (size_t i = 0; i < m.row_count; i++)
        scan_row_free(&m.rows[i].row);
    for (size_t i = 0; i < m.input_count; i++) {
        free(m.inputs[i].path);
        free(m.inputs[i].dir);
    }
    free(m.rows);
    free(m.inputs);
    free(summary_path);
    free(queue_path);
    free(index_path);
    free(m.extra_names);
    free(out_resolved);
    return status;
}
