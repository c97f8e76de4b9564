/* The review queue from a summary; see scan_queue.h. */
#include "cli/scan_queue.h"

#include "cli/atomic_file.h"
#include "cli/cli.h"
#include "cli/csv_reader.h"
#include "cli/csv_writer.h"
#include "cli/scan_record.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* queue.csv, after the rank: these summary columns in this order. */
static const scan_column queue_order[] = {SC_SCORE,  SC_PATH,   SC_DURATION, SC_FLAG_COUNT, SC_TOP_FLAGS,
                                          SC_REASON, SC_REPORT, SC_HTML,     SC_AGENT,      SC_DATE,
                                          SC_QUEUE,  SC_ROLE_WARNING};
#define QUEUE_COLUMNS (int)(sizeof queue_order / sizeof queue_order[0])

typedef struct queue_entry {
    double score;   /* NAN: nobody spoke */
    long flags;
    off_t offset;   /* of the row in the summary */
} queue_entry;

static int worse_first(const void *a, const void *b)
{
    const queue_entry *x = a, *y = b;
    int xs = isfinite(x->score), ys = isfinite(y->score);
    if (xs != ys)
        return xs ? -1 : 1;
    if (xs && x->score != y->score)
        return x->score < y->score ? -1 : 1;
    if (x->flags != y->flags)
        return x->flags > y->flags ? -1 : 1;
    return (x->offset > y->offset) - (x->offset < y->offset); /* summary order: by path */
}

/* A line for the closing screen. */
static char *screen_text(const char *fmt, ...) CLI_PRINTF(1, 2);
static char *screen_text(const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    cli_sanitize(buf);
    return cli_strdupf("%s", buf);
}

static int fail(char *why, size_t cap, const char *path, const char *what)
{
    snprintf(why, cap, "%s: %s", path, what);
    return -1;
}

/* Pass 1: an entry per analysed call, the counts, the error examples. */
static int collect(FILE *fp, const int *col, queue_entry **out, size_t *count, scan_totals *t)
{
    csv_row row = {0};
    queue_entry *entries = NULL;
    size_t n = 0, cap = 0;
    int rc;
    for (;;) {
        off_t offset = ftello(fp);
        if ((rc = csv_read_row(fp, &row)) <= 0)
            break;
        t->recordings++;
        if (strcmp(csv_field(&row, col[SC_STATUS]), "ok") != 0) {
            t->errors++;
            if (t->error_count_shown < SCAN_SHOWN_ERRORS)
                t->error[t->error_count_shown++] =
                    screen_text("%s: %s", csv_field(&row, col[SC_PATH]), csv_field(&row, col[SC_ERROR]));
            continue;
        }
        const char *score = csv_field(&row, col[SC_SCORE]);
        t->audio_s += atof(csv_field(&row, col[SC_DURATION]));
        if (*csv_field(&row, col[SC_ROLE_WARNING])) {
            t->role_warnings++;
            if (t->role_count_shown < SCAN_SHOWN_ROLES)
                t->role[t->role_count_shown++] = screen_text("%s", csv_field(&row, col[SC_PATH]));
        }
        if (n == cap) {
            cap = cap ? 2 * cap : 1024;
            queue_entry *e = realloc(entries, cap * sizeof *e);
            if (!e) {
                rc = -1;
                errno = ENOMEM;
                break;
            }
            entries = e;
        }
        entries[n].score = *score ? atof(score) : NAN;
        entries[n].flags = atol(csv_field(&row, col[SC_FLAG_COUNT]));
        entries[n].offset = offset;
        n++;
    }
    csv_row_free(&row);
    *out = entries;
    *count = n;
    return rc;
}

static void remember_worst(scan_totals *t, const csv_row *row, const int *col)
{
    const char *score = csv_field(row, col[SC_SCORE]);
    const char *flags = csv_field(row, col[SC_TOP_FLAGS]);
    t->worst[t->worst_count++] = screen_text("%5s  %s%s%s", *score ? score : "-", csv_field(row, col[SC_PATH]),
                                             *flags ? "  " : "", *flags ? flags : "");
}

int scan_queue_write(const char *summary_path, const char *queue_path, scan_totals *t, char *why, size_t why_cap)
{
    memset(t, 0, sizeof *t);
    FILE *fp = fopen(summary_path, "rb");
    if (!fp)
        return fail(why, why_cap, summary_path, strerror(errno));
    csv_row row = {0};
    int col[SCAN_SUMMARY_COLUMNS];
    const char *missing;
    if (csv_read_row(fp, &row) != 1) {
        fclose(fp);
        csv_row_free(&row);
        return fail(why, why_cap, summary_path, "not a summary (no header row)");
    }
    if (scan_summary_columns(&row, col, &missing) != 0) {
        char what[96];
        snprintf(what, sizeof what, "not a callscope summary: no '%s' column", missing);
        fclose(fp);
        csv_row_free(&row);
        return fail(why, why_cap, summary_path, what);
    }
    queue_entry *entries;
    size_t count;
    if (collect(fp, col, &entries, &count, t) < 0) {
        int err = errno;
        free(entries);
        fclose(fp);
        csv_row_free(&row);
        return fail(why, why_cap, summary_path, err == EINVAL ? "malformed CSV" : strerror(err));
    }
    if (count > 0) /* no analysed call: entries may be NULL, which qsort may not take */
        qsort(entries, count, sizeof *entries, worse_first);

    atomic_file af;
    int err = atomic_open(&af, queue_path);
    if (!err) {
        csv_writer w;
        csv_init(&w, af.fp);
        csv_text(&w, "rank");
        for (int i = 0; i < QUEUE_COLUMNS; i++)
            csv_text(&w, scan_column_name[queue_order[i]]);
        csv_end_row(&w);
        for (size_t k = 0; k < count && !err; k++) {
            if (fseeko(fp, entries[k].offset, SEEK_SET) != 0 || csv_read_row(fp, &row) != 1) {
                err = errno ? errno : EIO;
                break;
            }
            csv_int(&w, (long long)k + 1);
            for (int i = 0; i < QUEUE_COLUMNS; i++)
                csv_text(&w, csv_field(&row, col[queue_order[i]]));
            csv_end_row(&w);
            if (t->worst_count < SCAN_SHOWN_WORST)
                remember_worst(t, &row, col);
        }
        if (err)
            atomic_abort(&af);
        else
            err = atomic_commit(&af);
    }
    free(entries);
    fclose(fp);
    csv_row_free(&row);
    if (err)
        return fail(why, why_cap, queue_path, strerror(err));
    return 0;
}

void scan_totals_print(FILE *out, const scan_totals *t)
{
    fprintf(out, "%ld recording%s, %.2f h of audio analysed, %ld error%s\n", t->recordings,
            t->recordings == 1 ? "" : "s", t->audio_s / 3600.0, t->errors, t->errors == 1 ? "" : "s");
    if (t->worst_count > 0) {
        fprintf(out, "worst calls (score, recording, weightiest flags):\n");
        for (int i = 0; i < t->worst_count; i++)
            fprintf(out, "  %2d %s\n", i + 1, t->worst[i]);
    }
    if (t->role_warnings > 0) {
        fprintf(out, "%ld call%s whose channel marked agent sounds like the customer (role_warning in the summary)%s:\n",
                t->role_warnings, t->role_warnings == 1 ? "" : "s",
                t->role_warnings > t->role_count_shown ? "; the first few" : "");
        for (int i = 0; i < t->role_count_shown; i++)
            fprintf(out, "  %s\n", t->role[i]);
    }
    if (t->error_count_shown > 0) {
        fprintf(out, "errors%s:\n", t->errors > t->error_count_shown ? " (the first few; all are in the summary)" : "");
        for (int i = 0; i < t->error_count_shown; i++)
            fprintf(out, "  %s\n", t->error[i]);
    }
}

void scan_totals_free(scan_totals *t)
{
    for (int i = 0; i < t->worst_count; i++)
        free(t->worst[i]);
    for (int i = 0; i < t->error_count_shown; i++)
        free(t->error[i]);
    for (int i = 0; i < t->role_count_shown; i++)
        free(t->role[i]);
    memset(t, 0, sizeof *t);
}
